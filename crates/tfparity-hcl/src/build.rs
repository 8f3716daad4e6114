//! Walks an evaluated root module: every resource instance of every module instance,
//! with its address as state writes it, its configured attributes and the resources it
//! refers to, handed to the caller's `make` (which builds its own kind of resource from
//! it), with where each resource block is written and what could not be expanded.

use super::config::ResDecl;
use super::module::{Expanded, Instance, NotExpanded, Rep, Run};
use super::value::V;
use std::sync::Arc;
use tfparity_addrs::{Address, ModuleStep};

/// What a root module's evaluation builds: `T` is what the caller makes of each
/// resource instance.
#[derive(Debug)]
pub struct Built<T> {
    pub resources: Vec<T>,
    /// Where each resource block is written (its instances are found through it:
    /// [`Address::block`]).
    pub origins: Vec<(Address, Box<str>)>,
    /// Resource blocks whose `count` / `for_each` is known only after apply, wholly or
    /// in part (then their known instances are among `resources`).
    pub unexpanded: Vec<(Address, NotExpanded)>,
    /// Module calls not evaluated, wholly or in part: their `count` / `for_each` is
    /// known only after apply, or their source could not be had.
    pub unexpanded_modules: Vec<(Vec<ModuleStep>, NotExpanded)>,
    /// AWS account ids the configuration names as its own ([`Run::declared_accounts`]).
    pub accounts: Vec<String>,
    /// Where the root module calls each module: call name → `file:line:col`.
    pub calls: Vec<(String, Box<str>)>,
}

impl<T> Default for Built<T> {
    fn default() -> Self {
        Built {
            resources: Vec::new(),
            origins: Vec::new(),
            unexpanded: Vec::new(),
            unexpanded_modules: Vec::new(),
            accounts: Vec::new(),
            calls: Vec::new(),
        }
    }
}

/// One evaluated resource instance, as the caller's `make` sees it.
pub struct ResourceInstance<'a> {
    /// The resource type (`aws_vpc`).
    pub rtype: &'a str,
    pub address: &'a Address,
    /// Configured attributes and nested blocks (nested blocks as lists of objects);
    /// what the configuration does not set is absent.
    pub attributes: &'a std::collections::BTreeMap<String, V>,
    /// Config addresses of the resources its configuration refers to.
    pub deps: &'a std::collections::BTreeSet<Address>,
}

impl<'a> ResourceInstance<'a> {
    /// The attributes, without the evaluator's own mark.
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, &'a V)> {
        self.attributes
            .iter()
            .filter(|(k, _)| k.as_str() != super::eval::RESOURCE_MARK)
            .map(|(k, v)| (k.as_str(), v))
    }
}

/// Every resource instance of module instance `inst` and the modules it calls, made by
/// `make`, with where each resource block is written and what could not be expanded.
pub fn resources<T, F>(run: &Run, inst: usize, make: F) -> Result<Built<T>, super::files::LoadError>
where
    T: Send,
    F: Fn(ResourceInstance<'_>) -> T + Sync,
{
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
    let make = |(decl, i): &(&ResDecl, &Instance)| {
        make(ResourceInstance {
            rtype: &decl.rtype,
            address: &i.address,
            attributes: &i.object,
            deps: &i.deps,
        })
    };
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
    unexpanded: Vec<(Address, NotExpanded)>,
    unexpanded_modules: Vec<(Vec<ModuleStep>, NotExpanded)>,
}

/// A resource declaration of a module kept alive by the module.
struct DeclRef(Arc<super::config::Module>, usize);

impl DeclRef {
    fn as_ref(&self) -> &ResDecl {
        &self.0.resources[self.1]
    }
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
        if let Some(why) = &exp.unknown {
            part.unexpanded.push((block.clone(), why.clone()));
        }
        if exp.rep == Rep::Unknown {
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
        if let Some(why) = &exp.unknown {
            let mut path = me.path.clone();
            path.push(ModuleStep {
                name: call.name.clone(),
                key: None,
            });
            part.unexpanded_modules.push((path, why.clone()));
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
