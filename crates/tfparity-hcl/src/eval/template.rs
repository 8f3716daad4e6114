//! Templates: literals, interpolations and `%{if}` / `%{for}` directives joined into a
//! string, with `~` strip markers applied; a template of one interpolation is that value.

use super::{trim_end_in_place, EResult, Eval, EvalError, Frame, Scope};
use crate::expr::{Element, Op};
use crate::files::Loc;
use crate::value::V;

impl Eval<'_> {
    /// A template: literals and interpolations joined, with `~` strip markers applied.
    /// A template of exactly one interpolation is that value, not a string.
    pub fn template(
        &self,
        elements: &[Element],
        f: &Frame<'_>,
        span: Option<std::ops::Range<usize>>,
    ) -> EResult<V> {
        if let [Element::Interpolation(x, _)] = elements {
            return self.eval(x, f);
        }
        let mut out = String::new();
        let mut marked = false;
        let mut unknown = false;
        self.render(elements, f, &mut out, &mut marked, &mut unknown, span)?;
        if unknown {
            return Ok(V::unknown().mark(marked));
        }
        Ok(V::Str(out).mark(marked))
    }

    fn render(
        &self,
        elements: &[Element],
        f: &Frame<'_>,
        out: &mut String,
        marked: &mut bool,
        unknown: &mut bool,
        span: Option<std::ops::Range<usize>>,
    ) -> EResult<()> {
        let mut strip_next = false;
        for el in elements {
            match el {
                Element::Literal(s) => {
                    if strip_next {
                        out.push_str(s.trim_start());
                    } else {
                        out.push_str(s);
                    }
                    strip_next = false;
                }
                Element::Interpolation(x, strip) => {
                    if strip.strip_start() {
                        trim_end_in_place(out);
                    }
                    let (v, m) = self.eval(x, f)?.unmark();
                    *marked |= m;
                    if v.is_unknown() {
                        *unknown = true;
                    } else {
                        match v.to_str() {
                            Some(s) => out.push_str(&s),
                            None if v == V::Null => {
                                return Err(self.err(x.span().or(span.clone()), "Invalid template interpolation value: the expression result is null. Cannot include a null value in a string template."))
                            }
                            None => {
                                return Err(self.err(
                                    x.span().or(span.clone()),
                                    format!("Invalid template interpolation value: cannot include the given value in a string template: string required, not {}", v.type_name()),
                                ))
                            }
                        }
                    }
                    strip_next = strip.strip_end();
                }
                Element::If(ifd) => {
                    if ifd.if_strip.strip_start() {
                        trim_end_in_place(out);
                    }
                    let (c, m) = self.eval(&ifd.cond, f)?.unmark();
                    *marked |= m;
                    if c.is_unknown() {
                        *unknown = true;
                        continue;
                    }
                    let b = c.to_bool().ok_or_else(|| {
                        self.err(
                            ifd.cond.span(),
                            "Invalid template if condition: a bool is required",
                        )
                    })?;
                    let mut part = String::new();
                    let body: Option<&[Element]> = if b {
                        Some(&ifd.then)
                    } else {
                        ifd.otherwise.as_ref().map(|(_, t)| &t[..])
                    };
                    if let Some(t) = body {
                        self.render(t, f, &mut part, marked, unknown, span.clone())?;
                    }
                    // `~` after a directive strips the start of what follows it; `~`
                    // before one strips the end of what precedes it.
                    let else_strip = ifd.otherwise.as_ref().map(|(s, _)| *s);
                    let (strip_start, strip_end) = if b {
                        (
                            ifd.if_strip.strip_end(),
                            else_strip.map_or(ifd.endif_strip.strip_start(), |s| s.strip_start()),
                        )
                    } else {
                        (
                            else_strip.is_some_and(|s| s.strip_end()),
                            ifd.endif_strip.strip_start(),
                        )
                    };
                    if strip_start {
                        part = part.trim_start().to_string();
                    }
                    if strip_end {
                        trim_end_in_place(&mut part);
                    }
                    out.push_str(&part);
                    strip_next = ifd.endif_strip.strip_end();
                }
                Element::For(fd) => {
                    if fd.for_strip.strip_start() {
                        trim_end_in_place(out);
                    }
                    let (coll, m) = self.eval(&fd.collection, f)?.shallow_unmark();
                    *marked |= m;
                    let pairs: Vec<(V, V)> = match coll {
                        V::Unknown(_) => {
                            *unknown = true;
                            continue;
                        }
                        V::List(l) => l.into_iter().enumerate().map(|(i, v)| (V::Num(i as f64), v.mark(m))).collect(),
                        V::Set(l) => l.into_iter().map(|v| (v.clone().mark(m), v.mark(m))).collect(),
                        V::Map(mm) => mm.into_iter().map(|(k, v)| (V::Str(k).mark(m), v.mark(m))).collect(),
                        other => {
                            return Err(self.err(
                                fd.collection.span(),
                                format!("Invalid template for directive: a value of type {} cannot be iterated", other.type_name()),
                            ))
                        }
                    };
                    for (k, v) in pairs {
                        let mut b = vec![(fd.value_var.to_string(), v)];
                        if let Some(kv) = &fd.key_var {
                            b.push((kv.to_string(), k));
                        }
                        let inner = Frame::with(f, b);
                        let mut part = String::new();
                        self.render(&fd.body, &inner, &mut part, marked, unknown, span.clone())?;
                        if fd.for_strip.strip_end() {
                            part = part.trim_start().to_string();
                        }
                        if fd.endfor_strip.strip_start() {
                            trim_end_in_place(&mut part);
                        }
                        out.push_str(&part);
                    }
                    strip_next = fd.endfor_strip.strip_end();
                }
            }
        }
        Ok(())
    }
}

/// The scope of a template: no references of its own (it sees only the variables it is
/// given), files read from `dir`. Inside `templatestring` a template file may still be
/// read (through `outer`); inside a template file, another may not (as in Terraform).
pub struct OnlyVars<'s> {
    pub dir: &'s std::path::Path,
    pub outer: Option<&'s dyn Scope>,
}

impl Scope for OnlyVars<'_> {
    fn reference(
        &self,
        _root: &str,
        _ops: &[Op],
        _frame: &Frame<'_>,
        _at: &Loc,
    ) -> EResult<Option<(V, usize)>> {
        Ok(None)
    }
    fn module_dir(&self) -> &std::path::Path {
        self.dir
    }
    fn template_file(&self, path: &str, vars: V, at: &Loc) -> EResult<V> {
        match self.outer {
            Some(outer) => outer.template_file(path, vars, at),
            None => Err(EvalError::at(at, "Error in function call: cannot recursively call templatefile from inside another template")),
        }
    }
}
