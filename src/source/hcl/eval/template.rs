//! Templates: literals, interpolations and `%{if}` / `%{for}` directives joined into a
//! string, with `~` strip markers applied; a template of one interpolation is that value.

use super::{EResult, Eval, EvalError, Frame, Scope};
use crate::source::hcl::expr::{Element, Op};
use crate::source::hcl::files::Loc;
use crate::source::hcl::value::V;

/// What rendering a template met: a sensitive value, a value known only after apply.
#[derive(Default)]
struct Seen {
    marked: bool,
    unknown: bool,
}

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
        let mut seen = Seen::default();
        self.render(elements, (false, false), f, &mut out, &mut seen, span)?;
        if seen.unknown {
            return Ok(V::unknown().mark(seen.marked));
        }
        Ok(V::Str(out).mark(seen.marked))
    }

    /// Renders `elements` into `out`. `~` strip markers trim only the whitespace of the
    /// literal text next to them, never what an interpolation or a directive produced
    /// (`"${"a "}${~"b"}"` is `"a b"`): `lead` and `trail` say whether the directive
    /// around `elements` strips the start of its first and the end of its last literal.
    fn render(
        &self,
        elements: &[Element],
        (lead, trail): (bool, bool),
        f: &Frame<'_>,
        out: &mut String,
        seen: &mut Seen,
        span: Option<std::ops::Range<usize>>,
    ) -> EResult<()> {
        // Whether the element strips the whitespace before it, and after it.
        fn strips(el: &Element) -> (bool, bool) {
            match el {
                Element::Literal(_) => (false, false),
                Element::Interpolation(_, s) => (s.strip_start(), s.strip_end()),
                Element::If(d) => (d.if_strip.strip_start(), d.endif_strip.strip_end()),
                Element::For(d) => (d.for_strip.strip_start(), d.endfor_strip.strip_end()),
            }
        }
        for (i, el) in elements.iter().enumerate() {
            match el {
                Element::Literal(s) => {
                    let mut t: &str = s;
                    let after_strip = match i.checked_sub(1) {
                        Some(p) => strips(&elements[p]).1,
                        None => lead,
                    };
                    let before_strip = match elements.get(i + 1) {
                        Some(n) => strips(n).0,
                        None => trail,
                    };
                    if after_strip {
                        t = t.trim_start();
                    }
                    if before_strip {
                        t = t.trim_end();
                    }
                    out.push_str(t);
                }
                Element::Interpolation(x, _) => {
                    let (v, m) = self.eval(x, f)?.unmark();
                    seen.marked |= m;
                    if v.is_unknown() {
                        seen.unknown = true;
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
                }
                Element::If(ifd) => {
                    let (c, m) = self.eval(&ifd.cond, f)?.unmark();
                    seen.marked |= m;
                    if c.is_unknown() {
                        seen.unknown = true;
                        continue;
                    }
                    let b = c.to_bool().ok_or_else(|| {
                        self.err(
                            ifd.cond.span(),
                            "Invalid template if condition: a bool is required",
                        )
                    })?;
                    // `~` after a directive strips the start of the text it opens; `~`
                    // before one strips the end of the text it closes.
                    let endif_start = ifd.endif_strip.strip_start();
                    let (body, edges): (&[Element], _) = match (&ifd.otherwise, b) {
                        (None, true) => (&ifd.then, (ifd.if_strip.strip_end(), endif_start)),
                        (None, false) => (&[], (false, false)),
                        (Some((e, _)), true) => {
                            (&ifd.then, (ifd.if_strip.strip_end(), e.strip_start()))
                        }
                        (Some((e, t)), false) => (t, (e.strip_end(), endif_start)),
                    };
                    self.render(body, edges, f, out, seen, span.clone())?;
                }
                Element::For(fd) => {
                    let (coll, m) = self.eval(&fd.collection, f)?.shallow_unmark();
                    seen.marked |= m;
                    let pairs: Vec<(V, V)> = match coll {
                        V::Unknown(_) => {
                            seen.unknown = true;
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
                    let edges = (fd.for_strip.strip_end(), fd.endfor_strip.strip_start());
                    for (k, v) in pairs {
                        let mut b = vec![(fd.value_var.to_string(), v)];
                        if let Some(kv) = &fd.key_var {
                            b.push((kv.to_string(), k));
                        }
                        let inner = Frame::with(f, b);
                        self.render(&fd.body, edges, &inner, out, seen, span.clone())?;
                    }
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
