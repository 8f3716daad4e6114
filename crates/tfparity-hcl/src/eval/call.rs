//! Function calls: the ones that decide how their arguments are evaluated (`try`,
//! `can`, `convert`, `sensitive`, `nonsensitive`, `issensitive`, `templatestring`,
//! `templatefile`), and every other built-in through [`functions::call`], sensitive
//! arguments never echoed.

use super::{unset_attribute, EResult, Eval, Frame, OnlyVars, RESOURCE_MARK};
use crate::expr::{parse_template, FuncCall};
use crate::functions::{self, FnCtx, FnError};
use crate::types::{convert, Type};
use crate::value::V;

impl Eval<'_> {
    pub(super) fn call(
        &self,
        call: &FuncCall,
        f: &Frame<'_>,
        span: Option<std::ops::Range<usize>>,
    ) -> EResult<V> {
        let full: &str = &call.name;
        let args = &call.args[..];
        if !self.scope.functions_allowed() {
            return Err(self.err(
                span,
                "Functions may not be called here: a .tfvars file holds constant values",
            ));
        }
        // Functions that decide how their arguments are evaluated.
        match full {
            "try" | "core::try" => {
                let mut last = None;
                // Which argument succeeded says something of a sensitive value any of
                // them read: the result is sensitive then.
                let mut seen = false;
                for a in args {
                    let (r, read) = super::watch::during(|| self.eval(a, f));
                    seen |= read;
                    match r {
                        Ok(v) => return Ok(v.mark(seen)),
                        // A reference to something not declared is an error of the
                        // configuration, which `try` does not catch (as in Terraform).
                        Err(e) if e.what.starts_with("Reference to undeclared") => return Err(e),
                        // Nor a limit exceeded: the configuration asked for too much.
                        Err(e) if crate::limits::tripped() => return Err(e),
                        Err(e) => last = Some(e),
                    }
                }
                return Err(match last {
                    Some(e) => self.err(span, format!("Error in function call: Call to function \"try\" failed: no expression succeeded: {}", e.what)),
                    None => self.err(span, "Error in function call: Call to function \"try\" failed: at least one argument is required"),
                });
            }
            "convert" | "core::convert" => {
                // The second argument is a type expression, never evaluated.
                let [value, ty] = args else {
                    return Err(self.err(
                        span,
                        "Error in function call: function \"convert\" expects 2 arguments",
                    ));
                };
                let ty = Type::parse(ty, self)?;
                let v = self.eval(value, f)?;
                // Converting walks the value.
                self.steps(v.size(), span.clone())?;
                let marked = v.has_sensitive();
                return convert(v, &ty).map_err(|e| {
                    self.err(
                        span,
                        format!(
                            "Invalid function argument: Invalid value for \"value\" parameter: {}",
                            if marked { "(sensitive value)" } else { &e }
                        ),
                    )
                });
            }
            "can" | "core::can" => {
                let [a] = args else {
                    return Err(self.err(
                        span,
                        "Not enough function arguments: function \"can\" expects 1 argument",
                    ));
                };
                let (r, seen) = super::watch::during(|| self.eval(a, f));
                return match r {
                    Ok(v) if v.has_unknown() => Ok(V::unknown()),
                    Ok(_) => Ok(V::Bool(true).mark(seen)),
                    Err(e) if crate::limits::tripped() => Err(e),
                    Err(_) => Ok(V::Bool(false).mark(seen)),
                };
            }
            _ => {}
        }
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.eval(a, f)?);
        }
        if call.expand_final {
            match values.pop().map(V::unmark) {
                Some((V::List(l) | V::Set(l), m)) => values.extend(l.into_iter().map(|v| v.mark(m))),
                Some((v, _)) if v.is_unknown() => return Ok(V::unknown()),
                Some(_) => {
                    return Err(self.err(span, "Invalid expanding argument value: the expanding argument (indicated by ...) must be of a tuple, list, or set type"))
                }
                None => {}
            }
        }
        match full {
            "sensitive" | "core::sensitive" => {
                let [v] = <[V; 1]>::try_from(values).map_err(|_| {
                    self.err(
                        span.clone(),
                        "Error in function call: function \"sensitive\" expects 1 argument",
                    )
                })?;
                return Ok(v.mark(true));
            }
            "nonsensitive" | "core::nonsensitive" => {
                let [v] = <[V; 1]>::try_from(values).map_err(|_| {
                    self.err(
                        span.clone(),
                        "Error in function call: function \"nonsensitive\" expects 1 argument",
                    )
                })?;
                // Unlike Terraform, the mark stays: the configuration is untrusted, and
                // `nonsensitive(var.db_password)` would show a secret it was given.
                return Ok(v);
            }
            "issensitive" | "core::issensitive" => {
                let [v] = <[V; 1]>::try_from(values).map_err(|_| {
                    self.err(
                        span.clone(),
                        "Error in function call: function \"issensitive\" expects 1 argument",
                    )
                })?;
                // Only a mark on the value itself counts, as in Terraform; an unknown
                // value may yet turn out sensitive.
                return Ok(match v {
                    V::Sensitive(_) => V::Bool(true),
                    v if v.is_unknown() => V::unknown(),
                    _ => V::Bool(false),
                });
            }
            "templatestring" | "core::templatestring" => {
                let mut it = values.into_iter();
                let (Some(t), Some(vars), None) = (it.next(), it.next(), it.next()) else {
                    return Err(self.err(
                        span,
                        "Error in function call: function \"templatestring\" expects 2 arguments",
                    ));
                };
                let (t, tm) = t.unmark();
                // Each variable keeps its own mark inside the template.
                let (vars, vm) = vars.shallow_unmark();
                if t.is_unknown() || vars.is_unknown() {
                    return Ok(V::unknown());
                }
                let text = t.to_str().ok_or_else(|| {
                    self.err(
                        span.clone(),
                        "Invalid function argument: templatestring's template must be a string",
                    )
                })?;
                let V::Map(m) = vars else {
                    return Err(self.err(
                        span,
                        "Invalid function argument: templatestring's vars must be an object",
                    ));
                };
                let template = parse_template(&text).map_err(|e| {
                    self.err(span.clone(), format!("Invalid template: {}", e.message()))
                })?;
                // Only the given variables are in scope, as in a template file.
                let only = OnlyVars {
                    dir: self.scope.module_dir(),
                    outer: Some(self.scope),
                    confine: self.scope.confinement(),
                };
                let inner = Eval {
                    scope: &only,
                    loc: self.loc.at(span.clone()),
                };
                let base = Frame::new();
                let frame =
                    Frame::with(&base, m.into_iter().map(|(k, v)| (k, v.mark(vm))).collect());
                let (out, om) = inner.template(&template, &frame, span.clone())?.unmark();
                // The result is a string, even of a template that is one interpolation.
                let out = match out {
                    V::Null => return Err(self.err(span, "Template result is null: the result of the template is null, which is not a valid result for a templatestring call")),
                    v if v.is_unknown() => v,
                    v => V::Str(v.to_str().ok_or_else(|| {
                        self.err(
                            span,
                            format!(
                                "Error in function call: Call to function \"templatestring\" failed: invalid template result: string required, but have {}",
                                v.type_name()
                            ),
                        )
                    })?),
                };
                return Ok(out.mark(tm || vm || om));
            }
            "templatefile" | "core::templatefile" => {
                let mut it = values.into_iter();
                let (Some(p), Some(vars), None) = (it.next(), it.next(), it.next()) else {
                    return Err(self.err(
                        span,
                        "Error in function call: function \"templatefile\" expects 2 arguments",
                    ));
                };
                let (p, pm) = p.unmark();
                if p.is_unknown() {
                    return Ok(V::unknown());
                }
                let path = p.to_str().ok_or_else(|| {
                    self.err(
                        span.clone(),
                        "Invalid function argument: templatefile's path must be a string",
                    )
                })?;
                // A sensitive path is not quoted in a message about the file.
                return Ok(self
                    .scope
                    .template_file(&path, vars, &self.loc.at(span))
                    .map_err(|e| if pm { e.redacted() } else { e })?
                    .mark(pm));
            }
            _ => {}
        }
        // Taking marks off the parts of a value that has them inside rebuilds it.
        let rebuilt = values
            .iter()
            .filter(|v| v.peel().0.has_sensitive())
            .fold(0u64, |n, v| n.saturating_add(v.size()));
        self.steps(rebuilt, span.clone())?;
        let mut marked = false;
        let plain: Vec<V> = values
            .into_iter()
            .map(|v| {
                let (v, m) = v.unmark();
                marked |= m;
                v
            })
            .collect();
        let bare = full.strip_prefix("core::").unwrap_or(full);
        // A whole resource object carries an internal mark: functions must not see it.
        // `lookup` of an attribute its configuration does not set is that attribute.
        if let (Some(V::Map(m)), Some(V::Str(key))) = (plain.first(), plain.get(1)) {
            if bare == "lookup" && !m.contains_key(key.as_str()) {
                if let Some(mark) = m.get(RESOURCE_MARK) {
                    return Ok(unset_attribute(mark, key).mark(marked));
                }
            }
        }
        // Functions that write a value out see no mark at any depth; the others pass
        // resource objects inside lists and maps through as they are (so that
        // `one(aws_lb.x[*]).arn` is still a reference) and see none at the top.
        let encodes = matches!(bare, "jsonencode" | "yamlencode");
        let plain: Vec<V> = plain
            .into_iter()
            .map(|v| match v {
                v if encodes => without_marks(v),
                V::Map(m) if m.contains_key(RESOURCE_MARK) => {
                    let mut m = m.into_map();
                    m.remove(RESOURCE_MARK);
                    V::map(m)
                }
                v => v,
            })
            .collect();
        let ctx = FnCtx {
            module_dir: self.scope.module_dir(),
            confine: self.scope.confinement(),
        };
        match functions::call(bare, plain, &ctx) {
            Ok(v) => Ok(v.mark(marked)),
            Err(FnError::Unknown) if full.starts_with("provider::") => Ok(V::unknown()),
            Err(FnError::Unknown) => Err(self.err(
                span,
                format!("Call to unknown function: there is no function named \"{full}\""),
            )),
            Err(FnError::Arity(m)) => Err(self.err(
                span,
                format!(
                    "{} function arguments: Function \"{full}\" {m}",
                    if m.starts_with("expects only") {
                        "Too many"
                    } else {
                        "Not enough"
                    }
                ),
            )),
            // An argument Terraform refuses is an "Invalid function argument"; a call
            // that fails otherwise, an "Error in function call".
            Err(e) if !marked && e.marked_message().starts_with("Invalid value for ") => Err(self
                .err(
                    span,
                    format!("Invalid function argument: {}", e.marked_message()),
                )),
            Err(e) => Err(self.err(
                span,
                format!(
                    "Error in function call: Call to function \"{full}\" failed: {}",
                    if marked {
                        "(the arguments are sensitive)"
                    } else {
                        e.marked_message()
                    }
                ),
            )),
        }
    }
}

/// A value without the resource marks of the objects inside it.
fn without_marks(v: V) -> V {
    match v {
        V::Map(m) => V::Map(
            m.into_iter()
                .filter(|(k, _)| k != RESOURCE_MARK)
                .map(|(k, x)| (k, without_marks(x)))
                .collect(),
        ),
        V::List(l) => V::List(l.into_iter().map(without_marks).collect()),
        V::Set(l) => V::set(l.into_iter().map(without_marks).collect()),
        other => other,
    }
}
