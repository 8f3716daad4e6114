//! Templates: literals, interpolations and `%{if}` / `%{for}` directives joined into a
//! string, with `~` strip markers applied; a template of one interpolation is that value.

use super::{EResult, Eval, EvalError, Frame, Scope};
use crate::expr::{Element, Op};
use crate::files::Loc;
use crate::value::V;

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
                    self.short_enough(out, span.clone())?;
                }
                Element::Interpolation(x, _) => {
                    let (v, m) = self.eval(x, f)?.unmark();
                    seen.marked |= m;
                    if v.is_unknown() {
                        seen.unknown = true;
                    } else {
                        match v.to_str() {
                            Some(s) => {
                                out.push_str(&s);
                                self.short_enough(out, x.span().or(span.clone()))?;
                            }
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
                        V::Map(mm) => mm.into_iter().filter(|(k, _)| k != super::RESOURCE_MARK).map(|(k, v)| (V::Str(k).mark(m), v.mark(m))).collect(),
                        other => {
                            return Err(self.err(
                                fd.collection.span(),
                                format!("Invalid template for directive: a value of type {} cannot be iterated", other.type_name()),
                            ))
                        }
                    };
                    let edges = (fd.for_strip.strip_end(), fd.endfor_strip.strip_start());
                    for (k, v) in pairs {
                        // Each pass is a step, whether or not it evaluates anything.
                        self.steps(1, fd.collection.span())?;
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

impl Eval<'_> {
    /// An error once a template's text is longer than the `string-length` limit: checked
    /// as it grows (a `%{for}` repeats its body for every element).
    fn short_enough(&self, out: &str, span: Option<std::ops::Range<usize>>) -> EResult<()> {
        crate::limits::string("this template", out.len() as u64).map_err(|w| self.err(span, w))
    }
}

/// The scope of a template: no references of its own (it sees only the variables it is
/// given), files read from `dir`. Inside `templatestring` a template file may still be
/// read (through `outer`); inside a template file, another may not (as in Terraform).
pub struct OnlyVars<'s> {
    pub dir: &'s std::path::Path,
    pub outer: Option<&'s dyn Scope>,
    pub confine: &'s crate::confine::Confinement,
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
    fn confinement(&self) -> &crate::confine::Confinement {
        self.confine
    }
    fn template_file(&self, path: &str, vars: V, at: &Loc) -> EResult<V> {
        match self.outer {
            Some(outer) => outer.template_file(path, vars, at),
            None => Err(EvalError::at(at, "Error in function call: cannot recursively call templatefile from inside another template")),
        }
    }
}

/// Completes the indentation a `<<-` heredoc removes: hcl-edit removes `indent` (the
/// least indentation of the lines outside directives) from those lines only; Terraform
/// removes the least indentation of every line, those inside `%{ if }` and `%{ for }`
/// too. When no line inside a directive is indented less than `indent`, those lines
/// lose `indent` as well; otherwise (a directive line indented less than the text around
/// it) they are left as they are.
pub fn flush_directive_lines(elements: &mut [Element], indent: usize) {
    let mut least = usize::MAX;
    walk(elements, false, &mut true, &mut Flush::Measure(&mut least));
    if least >= indent {
        walk(elements, false, &mut true, &mut Flush::Strip(indent));
    }
}

enum Flush<'a> {
    /// Finds the least indentation of the lines that start inside directives.
    Measure(&'a mut usize),
    /// Removes that many leading whitespace characters from them.
    Strip(usize),
}

/// Walks elements in the order of the text, `newline` saying whether the next one starts
/// a line; `nested` whether they are inside a directive.
fn walk(elements: &mut [Element], nested: bool, newline: &mut bool, flush: &mut Flush<'_>) {
    // A directive marker or an interpolation that starts a line: no indentation. One
    // outside directives counts no more than the lines there (hcl-edit removed their
    // indentation, down to that of the least indented); `%{ else }`, `%{ endif }` and
    // `%{ endfor }` follow text inside the directive, and count.
    let marker = |counts: bool, newline: &mut bool, flush: &mut Flush<'_>| {
        if let (true, true, Flush::Measure(least)) = (counts, *newline, flush) {
            **least = 0;
        }
        *newline = false;
    };
    for el in elements {
        match el {
            Element::Literal(s) if s.is_empty() => {}
            Element::Literal(s) => {
                let mut out = String::with_capacity(s.len());
                for (i, line) in s.split_inclusive('\n').enumerate() {
                    let starts = i > 0 || *newline;
                    let rest = line.trim_start();
                    let blank = rest.is_empty() && line.ends_with('\n');
                    let ws = line.chars().count() - rest.chars().count();
                    match flush {
                        Flush::Measure(least) if nested && starts && !blank => {
                            **least = (**least).min(ws);
                        }
                        Flush::Strip(n) if nested && starts && !blank => {
                            out.extend(line.chars().skip(ws.min(*n)));
                            continue;
                        }
                        _ => {}
                    }
                    out.push_str(line);
                }
                *newline = s.ends_with('\n');
                if matches!(flush, Flush::Strip(_)) {
                    *s = out.into();
                }
            }
            Element::Interpolation(..) => marker(nested, newline, flush),
            Element::If(d) => {
                marker(nested, newline, flush);
                walk(&mut d.then, true, newline, flush);
                if let Some((_, otherwise)) = &mut d.otherwise {
                    marker(true, newline, flush);
                    walk(otherwise, true, newline, flush);
                }
                marker(true, newline, flush);
            }
            Element::For(d) => {
                marker(nested, newline, flush);
                walk(&mut d.body, true, newline, flush);
                marker(true, newline, flush);
            }
        }
    }
}
