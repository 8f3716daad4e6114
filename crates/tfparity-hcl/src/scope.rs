//! References resolved within one module instance (`var.`, `local.`, `module.`, resources
//! and data sources, `path.`, `terraform.workspace`), reading only what a reference
//! reaches of remembered values; and `templatefile`. Evaluates through [`Run`].

use super::config::Module;
use super::eval::{EResult, Eval, EvalError, Frame, Scope, RESOURCE_MARK};
use super::expr::{Kind, Op};
use super::files::Loc;
use super::module::{module_text, Rep, Run};
use super::paths::{canonical, relative_to};
use super::value::V;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use tfparity_addrs::{Address, Key, Mode};

/// References resolved within one module instance.
pub struct InstScope<'r> {
    pub(super) run: &'r Run,
    pub(super) inst: usize,
    pub(super) module: Arc<Module>,
    /// Resources referred to while evaluating (config addresses).
    pub deps: RefCell<BTreeSet<Address>>,
}

/// How many locals deep a reference to a resource is followed (see
/// `InstScope::names_resource`).
const LOCAL_HOPS: usize = 16;

fn attr_name(op: Option<&Op>) -> Option<&str> {
    match op {
        Some(Op::GetAttr(n)) => Some(n),
        _ => None,
    }
}

impl InstScope<'_> {
    /// Follows attribute and index steps into a remembered value without copying what
    /// is not reached; returns the value reached (copied) and how many steps it took.
    /// Anything it cannot follow (a splat, a missing key, a sensitive or unknown value)
    /// is left to the evaluator, which says what is wrong.
    fn navigate(&self, v: &V, ops: &[Op], frame: &Frame<'_>, at: &Loc) -> EResult<(V, usize)> {
        let mut cur = v;
        let mut used = 0;
        for op in ops {
            // Into a resource's object the evaluator goes itself: what it does not write
            // is unknown there.
            if super::eval::is_resource_object(cur) {
                break;
            }
            let next = match (op, cur) {
                (Op::GetAttr(a), V::Map(m)) => m.get(&**a),
                (Op::Index(ix), V::List(_) | V::Map(_)) => {
                    let ev = Eval {
                        scope: self,
                        loc: at.clone(),
                    };
                    let k = ev.eval(ix, frame)?;
                    match (cur, &k) {
                        (V::List(l), V::Num(n)) if n.fract() == 0.0 && *n >= 0.0 => {
                            l.get(*n as usize)
                        }
                        (V::Map(m), V::Str(s)) => m.get(s.as_str()),
                        _ => None,
                    }
                }
                (Op::LegacyIndex(n), V::List(l)) => l.get(*n as usize),
                _ => None,
            };
            match next {
                Some(x) => {
                    cur = x;
                    used += 1;
                }
                None => break,
            }
        }
        Ok((cur.clone(), used))
    }

    /// A reference to a resource block followed by `ops`: the block's value (an object,
    /// a list for `count`, a map for `for_each`), or — without copying the rest — one
    /// instance (`[key]`) and one attribute of it. Returns the value and how many of
    /// `ops` it consumed.
    fn resource_ref(
        &self,
        mode: Mode,
        rtype: &str,
        name: &str,
        ops: &[Op],
        frame: &Frame<'_>,
        at: &Loc,
    ) -> EResult<(V, usize)> {
        let key = (mode, rtype.to_string(), name.to_string());
        let Some(&r) = self.module.res_index.get(&key) else {
            let kind = if mode == Mode::Data {
                "data resource"
            } else {
                "managed resource"
            };
            return Err(EvalError::at(at, format!("Reference to undeclared resource: a {kind} \"{rtype}\" \"{name}\" has not been declared in {}", module_text(&self.run.inst(self.inst).path))));
        };
        let me = self.run.inst(self.inst);
        self.deps.borrow_mut().insert(Address {
            module: me.config_path.clone(),
            mode,
            rtype: rtype.to_string(),
            name: name.to_string(),
            key: None,
        });
        let exp = self.run.resource(self.inst, r)?;
        // Which instance, when the reference names one.
        let (instance, used) = match (exp.rep, ops.first()) {
            (Rep::Unknown, _) => return Ok((V::unknown(), 0)),
            (Rep::Single, _) => (exp.instances.first(), 0),
            (Rep::Count | Rep::ForEach, Some(op @ (Op::Index(_) | Op::LegacyIndex(_)))) => {
                let k = match op {
                    Op::Index(ix) => {
                        let ev = Eval {
                            scope: self,
                            loc: at.clone(),
                        };
                        ev.eval(ix, frame)?.unmark().0
                    }
                    Op::LegacyIndex(n) => V::Num(*n as f64),
                    _ => V::Null,
                };
                if k.is_unknown() {
                    return Ok((V::unknown(), 1));
                }
                let want = match exp.rep {
                    // A whole number only: `[1.5]` is no instance, not the second.
                    Rep::Count => k.to_num().and_then(crate::functions::whole).map(Key::Int),
                    _ => k.to_str().map(Key::Str),
                };
                match exp
                    .instances
                    .iter()
                    .find(|i| i.key.as_ref() == want.as_ref())
                {
                    Some(i) => (Some(i), 1),
                    // It may be one of the keys known only after apply.
                    None if exp.unknown.is_some() => return Ok((V::unknown(), 1)),
                    None => {
                        return Err(EvalError::at(
                            at,
                            format!(
                                "Invalid index: {rtype}.{name} has no instance with the given key"
                            ),
                        ))
                    }
                }
            }
            // Not every instance is known: neither is the whole.
            (Rep::Count | Rep::ForEach, _) if exp.unknown.is_some() => {
                return Ok((V::unknown(), 0))
            }
            (Rep::Count | Rep::ForEach, _) => return Ok((exp.whole(), 0)),
        };
        let Some(instance) = instance else {
            return Ok((V::Null, used));
        };
        // One attribute of it, copied alone.
        if let Some(Op::GetAttr(a)) = ops.get(used) {
            let Some(v) = instance.object.get(&**a) else {
                let v = instance
                    .object
                    .get(RESOURCE_MARK)
                    .map(|_| super::eval::unset_attribute(&V::Str(instance.address.to_string()), a))
                    .unwrap_or_else(V::unknown);
                return Ok((v, used + 1));
            };
            // What follows goes inside what the configuration writes.
            let ev = Eval {
                scope: self,
                loc: at.clone(),
            };
            let within = super::eval::Within {
                resource: true,
                block: false,
            };
            let v = ev.apply_in(v.clone(), &ops[used + 1..], frame, None, within)?;
            return Ok((v, ops.len()));
        }
        Ok((instance.whole(), used))
    }
}

impl Scope for InstScope<'_> {
    fn reference(
        &self,
        root: &str,
        ops: &[Op],
        frame: &Frame<'_>,
        at: &Loc,
    ) -> EResult<Option<(V, usize)>> {
        let run = self.run;
        let need = |what: &str| {
            EvalError::at(
                at,
                format!(
                "Invalid reference: a reference to {what} must be followed by an attribute name"
            ),
            )
        };
        match root {
            "var" => {
                let name = attr_name(ops.first()).ok_or_else(|| need("var"))?;
                let v = run.var(self.inst, name, at)?;
                let (v, used) = self.navigate(&v, &ops[1..], frame, at)?;
                Ok(Some((v, 1 + used)))
            }
            "local" => {
                let name = attr_name(ops.first()).ok_or_else(|| need("local"))?;
                let v = run.local(self.inst, name, at)?;
                let (v, used) = self.navigate(&v, &ops[1..], frame, at)?;
                Ok(Some((v, 1 + used)))
            }
            "path" => {
                let which = attr_name(ops.first()).ok_or_else(|| need("path"))?;
                let v = match which {
                    // Relative to the root module, where Terraform runs.
                    "module" => relative_to(&run.root, &self.module.dir).to_string_lossy().into_owned(),
                    "root" => ".".to_string(),
                    // Terraform runs in the root module's directory.
                    "cwd" => canonical(&run.root).to_string_lossy().into_owned(),
                    other => {
                        return Err(EvalError::at(at, format!("Invalid \"path\" attribute: \"{other}\"")))
                    }
                };
                Ok(Some((V::Str(v), 1)))
            }
            "terraform" => match attr_name(ops.first()) {
                Some("workspace") => Ok(Some((V::str(run.workspace(at)), 1))),
                _ => Err(EvalError::at(at, "Invalid \"terraform\" attribute: only terraform.workspace is available")),
            },
            "self" => Ok(Some((V::unknown(), 0))),
            "count" | "each" => Err(EvalError::at(at, format!("Reference to \"{root}\" in context without {}: \"{root}\" can only be used in blocks that use \"{}\"", if root == "count" { "count" } else { "for_each" }, if root == "count" { "count" } else { "for_each" }))),
            "module" => {
                let name = attr_name(ops.first()).ok_or_else(|| need("module"))?;
                let Some(&c) = self.module.call_index.get(name) else {
                    return Err(EvalError::at(at, format!("Reference to undeclared module: no module call named \"{name}\" is declared in {}", module_text(&run.inst(self.inst).path))));
                };
                let exp = run.call(self.inst, c)?;
                match exp.rep {
                    Rep::Unknown => Ok(Some((V::unknown(), ops.len()))),
                    Rep::Single => {
                        let child = exp.children.first().map(|x| x.1).unwrap_or(0);
                        match attr_name(ops.get(1)) {
                            Some(out) => {
                                let v = run.output(child, out, at)?;
                                let (v, used) = self.navigate(&v, &ops[2..], frame, at)?;
                                Ok(Some((v, 2 + used)))
                            }
                            None => Ok(Some((run.outputs(child, at)?, 1))),
                        }
                    }
                    Rep::Count | Rep::ForEach => {
                        // module.x[key].out: evaluate only that output.
                        if let (Some(Op::Index(ix)), Some(out)) = (ops.get(1), attr_name(ops.get(2))) {
                            let ev = Eval { scope: self, loc: at.clone() };
                            let (k, _) = ev.eval(ix, frame)?.unmark();
                            if k.is_unknown() {
                                return Ok(Some((V::unknown(), 3)));
                            }
                            let want = match (&k, exp.rep) {
                                (_, Rep::ForEach) => k.to_str().map(Key::Str),
                                _ => k.to_num().and_then(crate::functions::whole).map(Key::Int),
                            };
                            return match exp.children.iter().find(|(key, _)| key.as_ref() == want.as_ref()) {
                                Some((_, child)) => {
                                    let v = run.output(*child, out, at)?;
                                    let (v, used) = self.navigate(&v, &ops[3..], frame, at)?;
                                    Ok(Some((v, 3 + used)))
                                }
                                None if exp.unknown.is_some() => Ok(Some((V::unknown(), 3))),
                                None => Err(EvalError::at(at, format!("Invalid index: module.{name} has no instance with the given key"))),
                            };
                        }
                        if exp.unknown.is_some() {
                            return Ok(Some((V::unknown(), ops.len())));
                        }
                        let mut objs = Vec::new();
                        for (key, child) in &exp.children {
                            objs.push((key.clone(), run.outputs(*child, at)?));
                        }
                        let v = if exp.rep == Rep::Count {
                            V::List(objs.into_iter().map(|(_, o)| o).collect())
                        } else {
                            V::Map(objs.into_iter().filter_map(|(k, o)| match k { Some(Key::Str(s)) => Some((s, o)), _ => None }).collect())
                        };
                        Ok(Some((v, 1)))
                    }
                }
            }
            // `resource.aws_x.y`: Terraform's reference parser accepts the prefix.
            "resource" => {
                let (Some(t), Some(n)) = (attr_name(ops.first()), attr_name(ops.get(1))) else {
                    return Err(need("resource"));
                };
                let (v, used) = self.resource_ref(Mode::Managed, t, n, &ops[2..], frame, at)?;
                Ok(Some((v, 2 + used)))
            }
            "data" => {
                let (Some(t), Some(n)) = (attr_name(ops.first()), attr_name(ops.get(1))) else {
                    return Err(need("data"));
                };
                let (v, used) = self.resource_ref(Mode::Data, t, n, &ops[2..], frame, at)?;
                Ok(Some((v, 2 + used)))
            }
            rtype => {
                // A managed resource `type.name`; anything else is not a name we know.
                let Some(n) = attr_name(ops.first()) else {
                    return Ok(None);
                };
                let declared = self.module.res_index.contains_key(&(Mode::Managed, rtype.to_string(), n.to_string()));
                if !declared && !rtype.contains('_') {
                    return Ok(None);
                }
                let (v, used) = self.resource_ref(Mode::Managed, rtype, n, &ops[1..], frame, at)?;
                Ok(Some((v, 1 + used)))
            }
        }
    }

    fn module_dir(&self) -> &Path {
        &self.run.root
    }

    fn template_file(&self, path: &str, vars: V, at: &Loc) -> EResult<V> {
        template_file(&self.run.root, &self.run.confine, path, vars, at)
    }

    fn confinement(&self) -> &crate::confine::Confinement {
        &self.run.confine
    }

    fn is_resource(&self, root: &str, ops: &[Op]) -> bool {
        self.names_resource(root, ops, 0)
    }
}

impl InstScope<'_> {
    /// Whether `root` followed by `ops` names a resource of this module, directly or
    /// through locals that are references to one (`local.b` where `b =
    /// aws_lb.x.subnet_mapping`), followed at most [`LOCAL_HOPS`] deep.
    fn names_resource(&self, root: &str, ops: &[Op], hops: usize) -> bool {
        if root == "local" {
            let Some(a) = attr_name(ops.first()).and_then(|n| self.module.locals.get(n)) else {
                return false;
            };
            return hops < LOCAL_HOPS
                && match &a.expr.kind {
                    Kind::Traversal(t) => match &t.expr.kind {
                        Kind::Variable(r) => self.names_resource(r, &t.ops, hops + 1),
                        _ => false,
                    },
                    _ => false,
                };
        }
        let (mode, t, n) = match root {
            "data" => (Mode::Data, attr_name(ops.first()), attr_name(ops.get(1))),
            "resource" => (Mode::Managed, attr_name(ops.first()), attr_name(ops.get(1))),
            rtype => (Mode::Managed, Some(rtype), attr_name(ops.first())),
        };
        match (t, n) {
            (Some(t), Some(n)) => {
                self.module
                    .res_index
                    .contains_key(&(mode, t.to_string(), n.to_string()))
            }
            _ => false,
        }
    }
}

/// `templatefile(path, vars)`: the file read relative to the root module, evaluated with
/// only `vars` in scope.
pub fn template_file(
    base: &Path,
    confine: &crate::confine::Confinement,
    path: &str,
    vars: V,
    at: &Loc,
) -> EResult<V> {
    let full = base.join(path);
    let text = confine.read_text(&full).map_err(|r| {
        EvalError::at(
            at,
            match r {
                Some(r) => format!("Invalid function argument: {}", r.describe(path, confine)),
                None => format!(
                    "Invalid function argument: {} is not valid UTF-8 text",
                    crate::scrub::quote(path)
                ),
            },
        )
    })?;
    let template = super::expr::parse_template(&text).map_err(|e| {
        EvalError::at(
            at,
            format!(
                "Invalid template file {}: {}",
                crate::scrub::quote(path),
                e.message()
            ),
        )
    })?;
    // Each variable keeps its own mark inside the template.
    let (vars, marked) = vars.shallow_unmark();
    if vars.is_unknown() {
        return Ok(V::unknown());
    }
    let V::Map(m) = vars else {
        return Err(EvalError::at(
            at,
            "Invalid function argument: templatefile's vars must be an object",
        ));
    };
    let scope = super::eval::OnlyVars {
        dir: base,
        outer: None,
        confine,
    };
    let ev = Eval {
        scope: &scope,
        loc: at.clone(),
    };
    let base_frame = Frame::new();
    let f = Frame::with(
        &base_frame,
        m.into_iter().map(|(k, v)| (k, v.mark(marked))).collect(),
    );
    Ok(ev.template(&template, &f, None)?.mark(marked))
}
