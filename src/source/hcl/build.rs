//! Builds the model's resources from an evaluated root module: every resource instance
//! of every module instance, with its address as state writes it, its configured
//! attributes in state's shape, sensitive paths, and the resources it refers to.
//! Values known only after apply become unknown, or references when they are another
//! resource's identifier.

use super::config::ResDecl;
use super::module::{Expanded, Instance, Rep, Run};
use super::value::V;
use crate::model::{Address, AttrPath, ModuleStep, Num, PathStep, Resource, Value};
use std::sync::Arc;

/// What a root module's evaluation builds.
#[derive(Debug, Default)]
pub struct Built {
    pub resources: Vec<Resource>,
    /// Where each resource block is written (its instances are found through it:
    /// [`crate::model::Address::block`]).
    pub origins: Vec<(Address, Box<str>)>,
    /// Resource blocks whose `count` / `for_each` is known only after apply.
    pub unexpanded: Vec<Address>,
    /// Module calls not evaluated: their `count` / `for_each` is known only after apply,
    /// or their source is not installed.
    pub unexpanded_modules: Vec<Vec<ModuleStep>>,
    /// AWS account ids the configuration names as its own ([`Run::declared_accounts`]).
    pub accounts: Vec<String>,
    /// Where the root module calls each module: call name → `file:line:col`.
    pub calls: Vec<(String, Box<str>)>,
}

/// Every resource instance of module instance `inst` and the modules it calls, with
/// where each resource block is written and what could not be expanded.
pub fn resources(run: &Run, inst: usize) -> Result<Built, super::files::LoadError> {
    use rayon::prelude::*;
    let mut built = Built {
        calls: run
            .inst(inst)
            .module
            .calls
            .iter()
            .map(|c| (c.name.clone(), c.loc.to_string().into()))
            .collect(),
        ..Built::default()
    };
    let mut parts = Vec::new();
    instances(run, inst, &mut parts)?;
    // Every instance, in order, made into a resource side by side, into a vector made
    // once at its full size: growing vectors this large step by step costs fresh memory
    // at every step.
    let items: Vec<(&ResDecl, &Instance)> = parts
        .iter()
        .flat_map(|p| {
            p.blocks
                .iter()
                .flat_map(|(decl, exp)| exp.instances.iter().map(move |i| (decl.as_ref(), i)))
        })
        .collect();
    let make = |(decl, i): &(&ResDecl, &Instance)| resource(decl, i);
    if run.parallel {
        items
            .par_iter()
            .map(make)
            .collect_into_vec(&mut built.resources);
    } else {
        built.resources = items.iter().map(make).collect();
    }
    for part in parts {
        built.origins.extend(part.origins);
        built.unexpanded.extend(part.unexpanded);
        built.unexpanded_modules.extend(part.unexpanded_modules);
    }
    Ok(built)
}

/// What one module instance builds: its expanded resource blocks (declaration and
/// instances), where they are written and what could not be expanded.
#[derive(Default)]
struct Part {
    blocks: Vec<(DeclRef, Arc<Expanded>)>,
    origins: Vec<(Address, Box<str>)>,
    unexpanded: Vec<Address>,
    unexpanded_modules: Vec<Vec<ModuleStep>>,
}

/// A resource declaration of a module kept alive by the module.
struct DeclRef(Arc<super::config::Module>, usize);

impl DeclRef {
    fn as_ref(&self) -> &ResDecl {
        &self.0.resources[self.1]
    }
}

/// One resource instance as the model has it.
fn resource(decl: &ResDecl, i: &Instance) -> Resource {
    let mut sensitive = Vec::new();
    let entries: Vec<(Box<str>, Value)> = i
        .object
        .iter()
        .filter(|(k, _)| k.as_str() != super::eval::RESOURCE_MARK)
        .map(|(k, v)| (k.as_str().into(), attribute_to_model(k, v, &mut sensitive)))
        .collect();
    let mut res = Resource::new(i.address.clone(), Value::object(entries));
    res.sensitive = sensitive;
    res.provider = provider_of(&decl.rtype).into();
    res.dependencies = i.deps.iter().cloned().collect();
    res
}

/// What module instance `inst` expands, then what each module instance it calls
/// expands, in that order, one part each.
fn instances(run: &Run, inst: usize, parts: &mut Vec<Part>) -> Result<(), super::files::LoadError> {
    let mut part = Part::default();
    let me = run.inst(inst);
    // Every variable, as Terraform checks every one: a value of the wrong type is an
    // error even where nothing reads it.
    for (name, v) in &me.module.variables {
        run.var(inst, name, &v.loc)?;
    }
    for (r, decl) in me.module.resources.iter().enumerate() {
        let exp = run.resource(inst, r)?;
        let block = Address {
            module: me.path.clone(),
            mode: decl.mode,
            rtype: decl.rtype.clone(),
            name: decl.name.clone(),
            key: None,
        };
        if exp.rep == Rep::Unknown {
            part.unexpanded.push(block);
            continue;
        }
        // Where the block is written; its instances are found through it.
        part.origins.push((block, decl.origin().into()));
        part.blocks.push((DeclRef(me.module.clone(), r), exp));
    }
    // Every module instance this one calls, in order.
    let mut children = Vec::new();
    for (c, call) in me.module.calls.iter().enumerate() {
        let exp = run.call(inst, c)?;
        if exp.rep == Rep::Unknown {
            let mut path = me.path.clone();
            path.push(ModuleStep {
                name: call.name.clone(),
                key: None,
            });
            part.unexpanded_modules.push(path);
        }
        children.extend(exp.children.iter().map(|(_, child)| *child));
    }
    parts.push(part);
    // They are evaluated side by side; what they build is kept in their order, and the
    // first error in that order is the one reported.
    use rayon::prelude::*;
    let one = |child: &usize| {
        let mut mine = Vec::new();
        instances(run, *child, &mut mine).map(|_| mine)
    };
    let theirs: Vec<Result<Vec<Part>, super::files::LoadError>> = if run.parallel {
        children.par_iter().map(one).collect()
    } else {
        children.iter().map(one).collect()
    };
    for t in theirs {
        parts.extend(t?);
    }
    Ok(())
}

/// `hashicorp/aws` for `aws_vpc`: the provider a type's prefix names.
fn provider_of(rtype: &str) -> String {
    let prefix = rtype.split('_').next().unwrap_or(rtype);
    format!("hashicorp/{prefix}")
}

/// A step of the path to a value being converted, borrowed from the value: made into a
/// model path only for sensitive parts.
#[derive(Clone, Copy)]
enum Step<'v> {
    Attr(&'v str),
    Key(&'v str),
    Index(usize),
}

/// An attribute's evaluated value as a model value; the paths of sensitive parts are
/// added to `sensitive`.
pub fn attribute_to_model(name: &str, v: &V, sensitive: &mut Vec<AttrPath>) -> Value {
    to_model(v, &mut vec![Step::Attr(name)], sensitive)
}

/// An evaluated value as a model value; the paths of sensitive parts are added to
/// `sensitive` (`path` is where `v` is, extended and restored while descending).
fn to_model<'v>(v: &'v V, path: &mut Vec<Step<'v>>, sensitive: &mut Vec<AttrPath>) -> Value {
    match v {
        V::Null => Value::Null,
        V::Bool(b) => Value::Bool(*b),
        V::Num(n) => Value::Num(if n.fract() == 0.0 && n.abs() < 9.0e15 {
            Num::Int(*n as i64)
        } else {
            Num::Float(*n)
        }),
        V::Str(s) => Value::Str(s.as_str().into()),
        V::List(l) | V::Set(l) => Value::List(
            l.iter()
                .enumerate()
                .map(|(i, x)| {
                    path.push(Step::Index(i));
                    let out = to_model(x, path, sensitive);
                    path.pop();
                    out
                })
                .collect(),
        ),
        V::Map(m) => Value::object(
            m.iter()
                .filter(|(k, _)| k.as_str() != super::eval::RESOURCE_MARK)
                .map(|(k, x)| {
                    path.push(Step::Key(k));
                    let out = to_model(x, path, sensitive);
                    path.pop();
                    (k.as_str().into(), out)
                })
                .collect(),
        ),
        V::Unknown(Some(a)) => match Address::parse(a) {
            Ok(addr) => Value::Ref(Box::new(addr)),
            Err(_) => Value::Unknown,
        },
        V::Unknown(None) => Value::Unknown,
        V::Sensitive(inner) => {
            sensitive.push(AttrPath(
                path.iter()
                    .map(|s| match *s {
                        Step::Attr(a) => PathStep::Attr(a.into()),
                        Step::Key(k) => PathStep::Key(k.into()),
                        Step::Index(i) => PathStep::Index(i as i64),
                    })
                    .collect(),
            ));
            to_model(inner, path, sensitive)
        }
    }
}
