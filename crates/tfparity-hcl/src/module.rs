//! Module instances evaluated on demand: each variable, local, output, resource block and
//! module call is evaluated the first time something needs it and remembered, so any
//! order Terraform accepts works and a cycle is an error naming what refers to itself.
//! `count` and `for_each` expand resources and module calls into instances; values
//! known only after apply stay unknown (an identifier as a reference to its resource).
//! Evaluates; never builds the model (see `build.rs`).

use super::body::{body_values, repetition_bindings};
use super::config::{is_local, CallDecl, Module, ResDecl};
use super::eval::{Eval, Frame, RESOURCE_MARK};
use super::expr::Expr;
use super::files::{self, LoadError, Loc};
use super::limits::{Budget, Limits};
use super::paths::{canonical, lexical_join, read_manifest};
use super::scope::InstScope;
use super::types::{convert, Type};
use super::value::{num_text, V};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::{Condvar, Mutex, OnceLock, RwLock};
use tfparity_addrs::{Address, Key, Mode, ModuleStep};

/// The deepest module nesting read: a chain of modules calling modules (which fetched
/// packages can make endless) ends here with an error.
pub const MAX_MODULE_DEPTH: usize = 64;

/// The most remote packages one run fetches.
pub const MAX_PACKAGES: usize = 1000;

/// How a block repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rep {
    Single,
    Count,
    ForEach,
    /// `count` or `for_each` known only after apply: not expanded.
    Unknown,
}

/// One resource instance as configured.
#[derive(Debug)]
pub struct Instance {
    pub key: Option<Key>,
    pub address: Address,
    /// What references to it see: its configured attributes and nested blocks, and
    /// [`RESOURCE_MARK`] (the rest is unknown).
    pub object: BTreeMap<String, V>,
    /// Config addresses of the resources its configuration refers to.
    pub deps: BTreeSet<Address>,
    /// [`Instance::whole`], made once.
    whole: OnceLock<V>,
}

impl Instance {
    /// The whole object, as a reference to the resource sees it, its mark holding the
    /// address (for identifiers the configuration does not set). Made once: every
    /// reference shares it.
    pub fn whole(&self) -> V {
        self.whole
            .get_or_init(|| {
                let mut o = self.object.clone();
                o.insert(RESOURCE_MARK.into(), V::Str(self.address.to_string()));
                V::map(o)
            })
            .clone()
    }
}

#[derive(Debug)]
pub struct Expanded {
    pub rep: Rep,
    pub instances: Vec<Instance>,
    /// Why it is not wholly expanded, if it is not.
    pub unknown: Option<NotExpanded>,
    /// Every instance as one value (a list for `count`, a map for `for_each`), made
    /// once: every reference to the whole block shares it.
    whole: OnceLock<V>,
}

impl Expanded {
    /// Every instance as one value: a list for `count`, a map for `for_each` by key.
    pub fn whole(&self) -> V {
        self.whole
            .get_or_init(|| match self.rep {
                Rep::ForEach => V::Map(
                    self.instances
                        .iter()
                        .filter_map(|i| match &i.key {
                            Some(Key::Str(k)) => Some((k.clone(), i.whole())),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => V::List(self.instances.iter().map(Instance::whole).collect()),
            })
            .clone()
    }
}

/// Why a resource block or module call is not (wholly) expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotExpanded {
    /// Its `count` is known only after apply.
    Count,
    /// Its `for_each` is known only after apply.
    ForEach,
    /// Some of its `for_each` keys are known only after apply; the known ones are
    /// expanded.
    SomeKeys,
    /// A module call whose source could not be had: why, said for a reader.
    Source(String),
}

/// A module call's instances: key, `each.value`, and the child instance.
#[derive(Debug)]
pub struct CallExp {
    pub rep: Rep,
    pub children: Vec<(Option<Key>, usize)>,
    /// Why it is not wholly expanded, if it is not.
    pub unknown: Option<NotExpanded>,
}

/// What is remembered per module instance: a declaration, by its address in the
/// loaded module (declarations do not move while a run lasts), or a block's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Obj {
    Var(usize),
    Local(usize),
    Output(usize),
    Res(usize),
    Call(usize),
}

enum Memo {
    Value(Arc<V>),
    Res(Arc<Expanded>),
    Call(Arc<CallExp>),
}

/// A module instance.
#[derive(Debug)]
pub struct Inst {
    pub module: Arc<Module>,
    pub path: Vec<ModuleStep>,
    /// The path without instance keys, as dependencies name modules.
    pub config_path: Vec<ModuleStep>,
    /// The caller: instance, call, this instance's key and its `each.value`.
    parent: Option<(usize, usize, Option<Key>, Option<V>)>,
    /// Module directories from the root down to this one (for self-calls).
    chain: Vec<PathBuf>,
    /// Its remembered values: one map per instance, so that threads evaluating other
    /// instances do not contend for it.
    memo: Mutex<HashMap<Obj, Arc<Slot>>>,
}

/// A file and line:col in it.
type Place = (PathBuf, Option<(usize, usize)>);

/// One evaluation of a root module.
pub struct Run {
    pub root: PathBuf,
    pub env: String,
    /// The root module's variable values from variable files, and where each is given.
    root_values: BTreeMap<String, (V, Loc)>,
    manifest: Option<HashMap<String, PathBuf>>,
    /// Fetches remote sources that `terraform init` did not install; none: they are
    /// not read.
    fetcher: Option<Arc<crate::fetch::Fetcher>>,
    /// The root of every package fetched: a local source inside one stays inside it.
    packages: Mutex<Vec<PathBuf>>,
    /// Why each remote source (and version) that failed could not be had: asked once.
    failed: Mutex<HashMap<(String, Option<String>), String>>,
    modules: Mutex<HashMap<PathBuf, Arc<Module>>>,
    insts: RwLock<Vec<Arc<Inst>>>,
    /// What each thread waits for, while it waits (to tell a cycle from a wait).
    waiting: Mutex<HashMap<std::thread::ThreadId, Arc<Slot>>>,
    /// Whether module instances are evaluated side by side.
    pub parallel: bool,
    /// What `terraform.workspace` is (`default` when none is given).
    pub workspace: Option<String>,
    /// Where `terraform.workspace` was first read, if it was.
    workspace_read: Mutex<Option<Place>>,
    warnings: Mutex<Vec<String>>,
    /// What files may be read.
    pub confine: crate::confine::Confinement,
    /// What the evaluation may still do (see [`crate::limits`]).
    pub budget: Arc<Budget>,
}

/// One remembered value: being evaluated by a thread, evaluated, or given up (its
/// evaluation failed: whoever needs it evaluates it again, as a failure may depend on the
/// path that led there).
struct Slot {
    state: Mutex<State>,
    ready: Condvar,
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Slot")
    }
}

enum State {
    Busy(std::thread::ThreadId),
    Done(Memo),
    Vacated,
}

/// Whether `owner`, following what each thread waits for, waits for `me`.
fn waits_for(
    waiting: &HashMap<std::thread::ThreadId, Arc<Slot>>,
    owner: std::thread::ThreadId,
    me: std::thread::ThreadId,
) -> bool {
    let mut t = owner;
    for _ in 0..=waiting.len() {
        if t == me {
            return true;
        }
        let Some(slot) = waiting.get(&t) else {
            return false;
        };
        match &*lock(&slot.state) {
            State::Busy(next) => t = *next,
            _ => return false,
        }
    }
    false
}

/// Gives a slot up if its evaluation unwinds, so that no one waits for it forever.
struct Unwinding<'a> {
    slot: &'a Slot,
    depth: usize,
}

impl Drop for Unwinding<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            DEPTH.with(|d| d.set(self.depth));
            *lock(&self.slot.state) = State::Vacated;
            self.slot.ready.notify_all();
        }
    }
}

thread_local! {
    /// How many evaluations are under way on this thread, one inside another.
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A lock, whether or not another thread panicked holding it (nothing is left half
/// written under these locks).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn lock_r<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(|p| p.into_inner())
}

fn lock_w<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(|p| p.into_inner())
}

/// The longest chain of references evaluated.
const MAX_DEPTH: usize = 20_000;
/// Stack left below which evaluation continues on a new segment, and that segment's size.
const RED_ZONE: usize = 256 * 1024;
const STACK_SEGMENT: usize = 8 * 1024 * 1024;

impl Run {
    /// Starts a run of the module in `root` with the root variables' values.
    pub fn new(
        root: &Path,
        env: &str,
        root_values: BTreeMap<String, (V, Loc)>,
        fetcher: Option<Arc<crate::fetch::Fetcher>>,
        confine: crate::confine::Confinement,
    ) -> Result<(Run, usize), LoadError> {
        let manifest = read_manifest(root, &confine)?;
        let run = Run {
            root: root.to_path_buf(),
            env: env.to_string(),
            root_values,
            manifest,
            fetcher,
            packages: Mutex::new(Vec::new()),
            failed: Mutex::new(HashMap::new()),
            modules: Mutex::new(HashMap::new()),
            insts: RwLock::new(Vec::new()),
            waiting: Mutex::new(HashMap::new()),
            parallel: true,
            workspace: None,
            workspace_read: Mutex::new(None),
            warnings: Mutex::new(Vec::new()),
            confine,
            budget: Arc::new(Budget::new(Limits::default())),
        };
        let t = std::time::Instant::now();
        let module = run.module(root)?;
        crate::timing("hcl root module", t);
        let t = std::time::Instant::now();
        run.prefetch(&module);
        crate::timing("hcl prefetch", t);
        let chain = vec![canonical(root)];
        lock_w(&run.insts).push(Arc::new(Inst {
            module,
            path: Vec::new(),
            config_path: Vec::new(),
            parent: None,
            chain,
            memo: Mutex::new(HashMap::new()),
        }));
        Ok((run, 0))
    }

    /// Reads every module the root calls, directly or through others, in parallel: the
    /// local sources and those `terraform init` installed. What cannot be read here is
    /// read again where it is called, and reported there.
    pub fn prefetch(&self, root: &Arc<Module>) {
        use rayon::prelude::*;
        // (module, call path key) pairs whose calls are still to be followed.
        let mut frontier: Vec<(Arc<Module>, String)> = vec![(root.clone(), String::new())];
        let mut depth = 0;
        while !frontier.is_empty() && depth < MAX_MODULE_DEPTH {
            depth += 1;
            let mut wanted: Vec<(PathBuf, String)> = Vec::new();
            let mut remote: Vec<(String, Option<String>, String)> = Vec::new();
            for (m, key) in &frontier {
                for c in &m.calls {
                    let k = if key.is_empty() {
                        c.name.clone()
                    } else {
                        format!("{key}.{}", c.name)
                    };
                    let dir = match self.manifest.as_ref().and_then(|mf| mf.get(&k)) {
                        Some(d) => d.clone(),
                        None if is_local(&c.source) => match self.local_dir(&m.dir, &c.source) {
                            Some(d) => d,
                            None => continue,
                        },
                        None => {
                            remote.push((c.source.clone(), c.version.clone(), k));
                            continue;
                        }
                    };
                    wanted.push((dir, k));
                }
            }
            // Remote sources are fetched side by side (each package once); what fails
            // is said where the module is called.
            if let Some(f) = &self.fetcher {
                let fetched: Vec<(PathBuf, String)> = std::mem::take(&mut remote)
                    .into_par_iter()
                    .filter_map(|(source, version, k)| {
                        let d = self.fetch(f, &source, version.as_deref()).ok()?;
                        Some((d.dir, k))
                    })
                    .collect();
                wanted.extend(fetched);
            }
            let loaded = lock(&self.modules);
            let mut seen: Vec<PathBuf> = Vec::new();
            // Only what may be read (the rest is refused when evaluated, with its place).
            wanted.retain(|(d, _)| {
                if self.confine.check(d).is_err() {
                    return false;
                }
                let c = canonical(d);
                let new = !loaded.contains_key(&c) && !seen.contains(&c);
                seen.push(c);
                new
            });
            drop(loaded);
            let parsed: Vec<(PathBuf, String, Option<Module>)> = wanted
                .into_par_iter()
                .map(|(d, k)| {
                    let m = files::load_dir(&d, &self.confine)
                        .ok()
                        .and_then(|blocks| Module::from_blocks(d.clone(), blocks).ok());
                    (d, k, m)
                })
                .collect();
            frontier.clear();
            let mut cache = lock(&self.modules);
            for (d, k, m) in parsed {
                if let Some(m) = m {
                    let m = Arc::new(m);
                    cache.insert(canonical(&d), m.clone());
                    frontier.push((m, k));
                }
            }
        }
    }

    /// The module in `dir`, loaded once. Its files are parsed off the thread pool (see
    /// [`files::load_dir`]), so evaluation may call this too.
    pub fn module(&self, dir: &Path) -> Result<Arc<Module>, LoadError> {
        // A module's directory is inside the configuration's tree (or the module cache):
        // `source = "../../../../etc"` reads nothing of the machine.
        match self.confine.check(dir) {
            Ok(_) | Err(crate::confine::Refusal::NotFound) => {}
            Err(r) => {
                return Err(LoadError::file(
                    dir,
                    format!(
                        "module directory: {}",
                        r.describe(&dir.display().to_string(), &self.confine)
                    ),
                ))
            }
        }
        let key = canonical(dir);
        if let Some(m) = lock(&self.modules).get(&key) {
            return Ok(m.clone());
        }
        let blocks = files::load_dir(dir, &self.confine)?;
        let m = Arc::new(Module::from_blocks(dir.to_path_buf(), blocks)?);
        lock(&self.modules).insert(key, m.clone());
        Ok(m)
    }

    pub fn inst(&self, i: usize) -> Arc<Inst> {
        lock_r(&self.insts)[i].clone()
    }

    /// `terraform.workspace`, read at `at`.
    pub fn workspace(&self, at: &Loc) -> &str {
        let mut first = lock(&self.workspace_read);
        // The first place in the configuration, not the first a thread got to.
        let here = (at.file.path.clone(), at.line_col());
        if first.as_ref().is_none_or(|f| here < *f) {
            *first = Some(here);
        }
        self.workspace.as_deref().unwrap_or("default")
    }

    /// Where `terraform.workspace` is read (the first place, by file and position), if
    /// it is.
    pub fn workspace_read(&self) -> Option<String> {
        lock(&self.workspace_read)
            .as_ref()
            .map(|(path, lc)| match lc {
                Some((l, c)) => format!("{}:{l}:{c}", path.display()),
                None => path.display().to_string(),
            })
    }

    /// AWS account ids the configuration names as its own: the values of the root
    /// module's variables and locals named for the account itself (`account_id`, `aws_account_id`, `account`,
    /// `aws_account_number`; not `logs_account`, another account) that hold 12 digits
    /// and were evaluated (nothing is evaluated for this).
    pub fn declared_accounts(&self) -> Vec<String> {
        // The root module's: a called module's `account_id` is as often a peer's or a
        // trusted account as its own.
        let mut out: Vec<String> = Vec::new();
        if let Some(inst) = lock_r(&self.insts).first().cloned() {
            let memo = lock(&inst.memo);
            let vars = inst
                .module
                .variables
                .iter()
                .map(|(n, d)| (n.as_str(), Obj::Var(d as *const _ as usize)));
            let locals = inst
                .module
                .locals
                .iter()
                .map(|(n, a)| (n.as_str(), Obj::Local(a as *const _ as usize)));
            for (name, obj) in vars.chain(locals) {
                if !own_account_name(name) {
                    continue;
                }
                let Some(slot) = memo.get(&obj) else { continue };
                if let State::Done(Memo::Value(v)) = &*lock(&slot.state) {
                    let text = match v.peel().0 {
                        V::Str(s) => Some(s.clone()),
                        V::Num(n) => Some(super::value::num_text(*n)),
                        _ => None,
                    };
                    if let Some(t) =
                        text.filter(|t| t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()))
                    {
                        out.push(t);
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The warnings so far.
    pub fn warnings(&self) -> Vec<String> {
        lock(&self.warnings).clone()
    }

    /// Records a warning; a value it quotes is shown (a warning is said where the
    /// caller has already redacted what must not be).
    pub fn warn(&self, msg: String) {
        // A warning may name a module source or a URL: never its credentials.
        let msg = crate::scrub::urls(&crate::scrub::reveal(&msg));
        let mut w = lock(&self.warnings);
        if !w.contains(&msg) {
            w.push(msg);
        }
    }

    /// Evaluates `obj` of instance `inst` once, detecting cycles.
    fn memo<T>(
        &self,
        inst: usize,
        obj: Obj,
        loc: &Loc,
        what: impl Fn() -> String,
        get: impl Fn(&Memo) -> Option<T>,
        make: impl FnOnce() -> Result<Memo, LoadError>,
    ) -> Result<T, LoadError> {
        let owner_inst = self.inst(inst);
        let memo = &owner_inst.memo;
        let me = std::thread::current().id();
        let mut make = Some(make);
        loop {
            // Find the slot, or take it to evaluate here.
            let (slot, mine) = {
                let mut map = lock(memo);
                match map.get(&obj) {
                    Some(s) => (s.clone(), false),
                    None => {
                        let s = Arc::new(Slot {
                            state: Mutex::new(State::Busy(me)),
                            ready: Condvar::new(),
                        });
                        map.insert(obj, s.clone());
                        (s, true)
                    }
                }
            };
            if mine {
                let Some(make) = make.take() else {
                    return Err(LoadError::at(loc, "internal: evaluated twice"));
                };
                return self.evaluate_slot(memo, obj, &slot, loc, &what, &get, make);
            }
            // Another evaluation has it: wait for it, unless that evaluation waits, through
            // others, for this one (a cycle).
            let owner = match &*lock(&slot.state) {
                State::Done(m) => {
                    return get(m).ok_or_else(|| LoadError::at(loc, "internal: wrong memo kind"))
                }
                State::Vacated => continue,
                State::Busy(owner) => *owner,
            };
            {
                // Checked and recorded under one lock: two threads cannot both miss that
                // each waits for the other.
                let mut waiting = lock(&self.waiting);
                if waits_for(&waiting, owner, me) {
                    return Err(LoadError::at(
                        loc,
                        format!("cycle: {} refers to itself", what()),
                    ));
                }
                waiting.insert(me, slot.clone());
            }
            let mut state = lock(&slot.state);
            while matches!(&*state, State::Busy(_)) {
                state = match slot.ready.wait(state) {
                    Ok(s) => s,
                    Err(p) => p.into_inner(),
                };
            }
            drop(state);
            lock(&self.waiting).remove(&me);
        }
    }

    /// Evaluates the value of a slot this thread took, and remembers it (or gives the
    /// slot up when evaluation fails).
    #[allow(clippy::too_many_arguments)]
    fn evaluate_slot<T>(
        &self,
        memo: &Mutex<HashMap<Obj, Arc<Slot>>>,
        obj: Obj,
        slot: &Arc<Slot>,
        loc: &Loc,
        what: &impl Fn() -> String,
        get: &impl Fn(&Memo) -> Option<T>,
        make: impl FnOnce() -> Result<Memo, LoadError>,
    ) -> Result<T, LoadError> {
        let depth = DEPTH.with(|d| d.get());
        let made = if depth >= MAX_DEPTH {
            Err(LoadError::at(
                loc,
                format!("{} is reached through a chain of references more than {MAX_DEPTH} evaluations deep; tfparity stops there", what()),
            ))
        } else {
            let _guard = Unwinding { slot, depth };
            let _budget = crate::limits::enter(&self.budget);
            DEPTH.with(|d| d.set(depth + 1));
            // Each step of a chain of references takes stack: grow it on the heap when
            // it runs low, instead of overflowing.
            let made = stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, make);
            DEPTH.with(|d| d.set(depth));
            made
        };
        match made {
            Ok(m) => {
                let out = get(&m).ok_or_else(|| LoadError::at(loc, "internal: wrong memo kind"));
                *lock(&slot.state) = State::Done(m);
                slot.ready.notify_all();
                out
            }
            Err(e) => {
                lock(memo).remove(&obj);
                *lock(&slot.state) = State::Vacated;
                slot.ready.notify_all();
                Err(e)
            }
        }
    }

    fn scope(&self, inst: usize) -> InstScope<'_> {
        InstScope {
            run: self,
            inst,
            module: self.inst(inst).module.clone(),
            deps: RefCell::new(BTreeSet::new()),
        }
    }

    /// Evaluates an expression of instance `inst` written at `loc`.
    fn eval_in(&self, inst: usize, e: &Expr, loc: &Loc, f: &Frame<'_>) -> Result<V, LoadError> {
        let scope = self.scope(inst);
        let ev = Eval {
            scope: &scope,
            loc: loc.clone(),
        };
        ev.eval(e, f).map_err(LoadError::from)
    }

    pub fn var(&self, inst: usize, name: &str, at: &Loc) -> Result<Arc<V>, LoadError> {
        let me = self.inst(inst);
        let Some(decl) = me.module.variables.get(name) else {
            return Err(LoadError::at(
                at,
                format!("Reference to undeclared input variable: an input variable with the name \"{name}\" has not been declared"),
            ));
        };
        let loc = decl.loc.clone();
        self.memo(inst, Obj::Var(decl as *const _ as usize), &loc, || format!("var.{name}"), |m| match m {
            Memo::Value(v) => Some(v.clone()),
            _ => None,
        }, || {
            // The value given (and where), from a variable file or the module call.
            let given: Option<(V, Loc)> = match &me.parent {
                None => self.root_values.get(name).cloned(),
                Some((p, call, key, each)) => {
                    let pm = self.inst(*p).module.clone();
                    let c = &pm.calls[*call];
                    match c.args.iter().find(|a| a.name == name) {
                        Some(a) => {
                            let base = Frame::new();
                            let f = Frame::with(&base, repetition_bindings(c.count.is_some(), key, each));
                            let v = self
                                .eval_in(*p, &a.expr, &a.loc, &f)
                                .map_err(|e| e.bound_for(name, &a.expr))?;
                            Some((v, a.loc.clone()))
                        }
                        None => None,
                    }
                }
            };
            let given = match given {
                Some((V::Null, _)) if !decl.nullable => None,
                g => g,
            };
            // A value from a variable file was made by no expression here: it is held to
            // the limits on values where it is written.
            if let Some((v, at)) = &given {
                crate::eval::check_value(v).map_err(|what| LoadError::at(at, what))?;
            }
            // A value of the wrong type is wrong where it is given.
            let value_at = given.as_ref().map_or(&decl.loc, |(_, at)| at).clone();
            let value = match (given, &decl.default) {
                (Some((v, _)), _) => v,
                (None, Some(d)) => self
                    .eval_in(inst, &d.expr, &d.loc, &Frame::new())
                    .map_err(|e| e.bound_for(name, &d.expr))?,
                (None, None) => {
                    let what = match &me.parent {
                        None => format!(
                            "variable \"{name}\" is required but has no value (give it in a .tfvars file, or with --var-file {}=FILE)",
                            self.env
                        ),
                        Some((p, call, _, _)) => {
                            // Said at the call, which is what lacks it.
                            let c = &self.inst(*p).module.calls[*call];
                            return Err(LoadError::at(
                                &c.loc,
                                format!(
                                    "module \"{}\": the call does not set variable \"{name}\", which the module requires (declared at {})",
                                    c.name, decl.loc
                                ),
                            ));
                        }
                    };
                    return Err(LoadError::at(&decl.loc, what));
                }
            };
            let value = match &decl.ty {
                Some(t) => {
                    // A type constraint is the same in every instance: read it once.
                    let ty = decl
                        .parsed_type
                        .get_or_init(|| {
                            let scope = self.scope(inst);
                            let ev = Eval { scope: &scope, loc: decl.loc.clone() };
                            Type::parse(t, &ev).map_err(LoadError::from)
                        })
                        .as_ref()
                        .map_err(Clone::clone)?;
                    // Converting walks the value.
                    crate::limits::steps(value.size()).map_err(|w| LoadError::at(&value_at, w))?;
                    convert(value, ty).map_err(|m| {
                        let declared = if value_at.file.path == decl.loc.file.path && value_at.offset == decl.loc.offset {
                            String::new()
                        } else {
                            format!(" (declared at {})", decl.loc)
                        };
                        LoadError::at(&value_at, format!("invalid value for variable \"{name}\"{declared}: {m}"))
                    })?
                }
                None => value,
            };
            // A variable whose name says secret and that holds a string holds a secret, whatever its declaration says: its value may come
            // from outside the configuration (a variable file the CI gives), and the
            // configuration must not be able to show it by using it elsewhere
            // (`description = var.db_password`). A collection under such a name is
            // settings about secrets (`federated_credentials`, a map of objects that
            // `for_each` goes over), not one: marking it whole would refuse valid
            // configurations; its secret-named keys are hidden where values are shown.
            let mut plain = &value;
            while let V::Sensitive(inner) = plain {
                plain = inner;
            }
            // A number or a bool under such a name is a setting (`token_version = 2`,
            // `implicit_id_token_issuance_enabled`), often a `count`.
            let scalar = matches!(plain, V::Str(_));
            let secret = decl.sensitive || (scalar && crate::secret::is_secret_name(name));
            Ok(Memo::Value(Arc::new(value.mark(secret))))
        })
    }

    pub fn local(&self, inst: usize, name: &str, at: &Loc) -> Result<Arc<V>, LoadError> {
        let me = self.inst(inst);
        let Some(a) = me.module.locals.get(name) else {
            return Err(LoadError::at(
                at,
                format!("Reference to undeclared local value: a local value with the name \"{name}\" has not been declared"),
            ));
        };
        self.memo(
            inst,
            Obj::Local(a as *const _ as usize),
            &a.loc,
            || format!("local.{name}"),
            |m| match m {
                Memo::Value(v) => Some(v.clone()),
                _ => None,
            },
            || {
                let v = self
                    .eval_in(inst, &a.expr, &a.loc, &Frame::new())
                    .map_err(|e| e.bound_for(name, &a.expr))?;
                Ok(Memo::Value(Arc::new(v)))
            },
        )
    }

    pub fn output(&self, inst: usize, name: &str, at: &Loc) -> Result<Arc<V>, LoadError> {
        let me = self.inst(inst);
        let Some(o) = me.module.outputs.get(name) else {
            return Err(LoadError::at(
                at,
                format!(
                    "Unsupported attribute: module {} has no output named \"{name}\"",
                    module_text(&me.path)
                ),
            ));
        };
        self.memo(
            inst,
            Obj::Output(o as *const _ as usize),
            &o.value.loc,
            || format!("output \"{name}\""),
            |m| match m {
                Memo::Value(v) => Some(v.clone()),
                _ => None,
            },
            || {
                let v = self
                    .eval_in(inst, &o.value.expr, &o.value.loc, &Frame::new())
                    .map_err(|e| e.bound_for(name, &o.value.expr))?;
                Ok(Memo::Value(Arc::new(v.mark(o.sensitive))))
            },
        )
    }

    /// All outputs of a module instance as an object.
    pub(super) fn outputs(&self, inst: usize, at: &Loc) -> Result<V, LoadError> {
        let me = self.inst(inst);
        let mut m = BTreeMap::new();
        for name in me.module.outputs.keys() {
            m.insert(name.clone(), (*self.output(inst, name, at)?).clone());
        }
        Ok(V::map(m))
    }

    /// The instances of a resource block.
    pub fn resource(&self, inst: usize, r: usize) -> Result<Arc<Expanded>, LoadError> {
        let me = self.inst(inst);
        let decl = &me.module.resources[r];
        self.memo(
            inst,
            Obj::Res(r),
            &decl.loc,
            || config_text(decl),
            |m| match m {
                Memo::Res(x) => Some(x.clone()),
                _ => None,
            },
            || Ok(Memo::Res(Arc::new(self.expand_resource(inst, &me, decl)?))),
        )
    }

    fn expand_resource(
        &self,
        inst: usize,
        me: &Inst,
        decl: &ResDecl,
    ) -> Result<Expanded, LoadError> {
        let what = format!("{}{}", module_prefix(&me.path), config_text(decl));
        let (rep, keys, unknown) = self.repetition(
            inst,
            &decl.loc,
            decl.count.as_ref(),
            decl.for_each.as_ref(),
            &what,
        )?;
        let mut instances = Vec::with_capacity(keys.len());
        for (key, each) in keys {
            let base = Frame::new();
            let f = Frame::with(&base, repetition_bindings(rep == Rep::Count, &key, &each));
            let scope = self.scope(inst);
            let ev = Eval {
                scope: &scope,
                loc: decl.loc.clone(),
            };
            let attrs = body_values(&ev, &decl.body, &f, true).map_err(LoadError::from)?;
            let address = Address {
                module: me.path.clone(),
                mode: decl.mode,
                rtype: decl.rtype.clone(),
                name: decl.name.clone(),
                key: key.clone(),
            };
            // An argument set to null is not set: the provider decides (or computes) it.
            let mut object = attrs;
            object.retain(|_, v| !matches!(v, V::Null));
            // The mark's address is written when the whole object is handed out.
            object.insert(RESOURCE_MARK.into(), V::Null);
            instances.push(Instance {
                key,
                address,
                object,
                deps: scope.deps.into_inner(),
                whole: OnceLock::new(),
            });
        }
        Ok(Expanded {
            rep,
            instances,
            unknown,
            whole: OnceLock::new(),
        })
    }

    /// Keys of a repeated block, each with its `each.value`, and why they are not all
    /// known ([`Rep::Unknown`] with no keys when none is).
    #[allow(clippy::type_complexity)]
    fn repetition(
        &self,
        inst: usize,
        loc: &Loc,
        count: Option<&files::Attr>,
        for_each: Option<&files::Attr>,
        what: &str,
    ) -> Result<(Rep, Vec<(Option<Key>, Option<V>)>, Option<NotExpanded>), LoadError> {
        if let Some(c) = count {
            let (v, marked) = self.eval_in(inst, &c.expr, &c.loc, &Frame::new())?.unmark();
            if v.has_unknown() {
                self.warn(format!("{}: {what}: `count` is known only after apply, so its instances are not expanded", c.loc));
                return Ok((Rep::Unknown, Vec::new(), Some(NotExpanded::Count)));
            }
            if marked {
                return Err(LoadError::at(
                    &c.loc,
                    "Invalid count argument: Sensitive values, or values derived from sensitive values, cannot be used as count arguments. If used, the sensitive value could be exposed as a resource instance key.",
                ));
            }
            let n = v.to_num().filter(|n| *n >= 0.0 && n.fract() == 0.0).ok_or_else(|| {
                LoadError::at(&c.loc, format!("Invalid count argument: the given \"count\" argument value is unsuitable: a whole number of zero or more is required, not {}", v.type_name()))
            })?;
            // Checked before anything is made: `count = 1e300` is refused, not tried.
            let n = self.instances(&c.loc, &format!("{what}: count = {}", short_num(n)), n)?;
            return Ok((
                Rep::Count,
                (0..n).map(|i| (Some(Key::Int(i)), None)).collect(),
                None,
            ));
        }
        if let Some(fe) = for_each {
            // Only a mark on the value itself (or a set's element: a key) is refused;
            // sensitive values inside a map's elements are each.value's business.
            let (v, marked) = self
                .eval_in(inst, &fe.expr, &fe.loc, &Frame::new())?
                .shallow_unmark();
            let marked = marked || matches!(&v, V::Set(l) if l.iter().any(V::has_sensitive));
            if v.is_unknown() {
                self.warn(format!("{}: {what}: `for_each` is known only after apply, so its instances are not expanded", fe.loc));
                return Ok((Rep::Unknown, Vec::new(), Some(NotExpanded::ForEach)));
            }
            // A set some of whose keys are known only after apply: the known ones are
            // expanded, the rest is one part not expanded.
            let mut unknown = None;
            let v = match v {
                V::Set(items) if items.iter().any(V::has_unknown) => {
                    self.warn(format!("{}: {what}: some `for_each` keys are known only after apply, so only the known ones are expanded", fe.loc));
                    unknown = Some(NotExpanded::SomeKeys);
                    V::Set(items.into_iter().filter(|x| !x.has_unknown()).collect())
                }
                v => v,
            };
            if marked {
                return Err(LoadError::at(&fe.loc, "Invalid for_each argument: Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments. If used, the sensitive value could be exposed as a resource instance key."));
            }
            let n = match &v {
                V::Map(m) => m.len(),
                V::Set(items) => items.len(),
                _ => 0,
            };
            self.instances(
                &fe.loc,
                &format!("{what}: for_each has {n} elements"),
                n as f64,
            )?;
            let keys = match v {
                // A resource's object iterates as its attributes, without the evaluator's mark.
                V::Map(m) => m.into_iter().filter(|(k, _)| k != RESOURCE_MARK).map(|(k, v)| (Some(Key::Str(k)), Some(v))).collect(),
                V::Set(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for x in items {
                        let Some(s) = x.as_str().map(String::from) else {
                            return Err(LoadError::at(&fe.loc, format!("Invalid for_each set argument: the given \"for_each\" argument value is unsuitable: \"for_each\" supports sets of strings, but you have provided a set containing type {}", x.type_name())));
                        };
                        out.push((Some(Key::Str(s.clone())), Some(V::Str(s))));
                    }
                    out
                }
                V::Null => return Err(LoadError::at(&fe.loc, "Invalid for_each argument: the given \"for_each\" argument value is null; a map, or set of strings is allowed")),
                other => return Err(LoadError::at(&fe.loc, format!("Invalid for_each argument: the \"for_each\" argument must be a map, or set of strings, and you have provided a value of type {}", if matches!(other, V::List(_)) { "tuple (convert it with toset())" } else { other.type_name() }))),
            };
            return Ok((Rep::ForEach, keys, unknown));
        }
        // One instance, counted too: single blocks in a module called many times add up.
        self.instances(loc, what, 1.0)?;
        Ok((Rep::Single, vec![(None, None)], None))
    }

    /// `n` instances of a block, counted against the limits (per block and in all)
    /// before any is made; `n` as a count of them.
    fn instances(&self, loc: &Loc, what: &str, n: f64) -> Result<i64, LoadError> {
        // Whole and not negative; anything past u64 is past every limit too.
        let whole = if n < u64::MAX as f64 {
            n as u64
        } else {
            u64::MAX
        };
        self.budget
            .instances(what, whole)
            .map_err(|e| LoadError::at(loc, e))?;
        i64::try_from(whole).map_err(|_| LoadError::at(loc, format!("{what}: too many instances")))
    }

    /// The instances of a module call.
    pub fn call(&self, inst: usize, c: usize) -> Result<Arc<CallExp>, LoadError> {
        let me = self.inst(inst);
        let decl = &me.module.calls[c];
        self.memo(
            inst,
            Obj::Call(c),
            &decl.loc,
            || format!("module.{}", decl.name),
            |m| match m {
                Memo::Call(x) => Some(x.clone()),
                _ => None,
            },
            || Ok(Memo::Call(Arc::new(self.expand_call(inst, &me, c, decl)?))),
        )
    }

    fn expand_call(
        &self,
        inst: usize,
        me: &Inst,
        c: usize,
        decl: &CallDecl,
    ) -> Result<CallExp, LoadError> {
        let what = format!("{}module.{}", module_prefix(&me.path), decl.name);
        let dir = match self.call_dir(me, decl, &what)? {
            Ok(dir) => dir,
            Err(why) => {
                return Ok(CallExp {
                    rep: Rep::Unknown,
                    children: Vec::new(),
                    unknown: Some(NotExpanded::Source(why)),
                })
            }
        };
        let canon = canonical(&dir);
        if me.chain.len() >= MAX_MODULE_DEPTH {
            return Err(LoadError::at(
                &decl.loc,
                format!(
                    "module \"{}\": modules are nested more than {MAX_MODULE_DEPTH} deep here",
                    decl.name
                ),
            ));
        }
        if me.chain.contains(&canon) {
            let mut names: Vec<String> = me
                .path
                .iter()
                .map(|s| format!("module.{}", s.name))
                .collect();
            names.push(format!("module.{}", decl.name));
            return Err(LoadError::at(
                &decl.loc,
                format!("module \"{}\" calls a module that is already being called above it ({}): a module may not call itself, directly or through others", decl.name, names.join(" → ")),
            ));
        }
        let module = self.module(&dir).map_err(|e| {
            if e.what.starts_with("cannot read module directory") {
                LoadError::at(
                    &decl.loc,
                    format!(
                        "module \"{}\": source {:?} is not a readable directory ({})",
                        decl.name,
                        crate::fetch::source::display_source(&decl.source),
                        e.what
                    ),
                )
            } else {
                e
            }
        })?;
        // What Terraform checks of a call before anything is evaluated: every argument
        // is a variable of the module, and every variable without a default is set.
        if let Some(a) = decl
            .args
            .iter()
            .find(|a| !module.variables.contains_key(&a.name))
        {
            return Err(LoadError::at(
                &a.loc,
                format!(
                    "Unsupported argument: module \"{}\" ({}) declares no variable named \"{}\"",
                    decl.name,
                    crate::fetch::source::display_source(&decl.source),
                    a.name
                ),
            ));
        }
        if let Some(v) = module
            .variables
            .values()
            .find(|v| v.default.is_none() && !decl.args.iter().any(|a| a.name == v.name))
        {
            return Err(LoadError::at(
                &decl.loc,
                format!(
                    "module \"{}\": the call does not set variable \"{}\", which the module requires (declared at {})",
                    decl.name, v.name, v.loc
                ),
            ));
        }
        let (rep, keys, unknown) = self.repetition(
            inst,
            &decl.loc,
            decl.count.as_ref(),
            decl.for_each.as_ref(),
            &what,
        )?;
        let mut children = Vec::with_capacity(keys.len());
        for (key, each) in keys {
            let mut path = me.path.clone();
            path.push(ModuleStep {
                name: decl.name.clone(),
                key: key.clone(),
            });
            let mut chain = me.chain.clone();
            chain.push(canon.clone());
            let mut config_path = me.config_path.clone();
            config_path.push(ModuleStep {
                name: decl.name.clone(),
                key: None,
            });
            let child = Inst {
                module: module.clone(),
                path,
                config_path,
                parent: Some((inst, c, key.clone(), each)),
                chain,
                memo: Mutex::new(HashMap::new()),
            };
            let mut insts = lock_w(&self.insts);
            insts.push(Arc::new(child));
            children.push((key, insts.len() - 1));
        }
        Ok(CallExp {
            rep,
            children,
            unknown,
        })
    }

    /// Fetches a remote source, remembering the package it is in, or why it failed
    /// (a source that failed is not asked again in this run).
    fn fetch(
        &self,
        f: &crate::fetch::Fetcher,
        source: &str,
        version: Option<&str>,
    ) -> Result<crate::fetch::Fetched, String> {
        let key = (source.to_string(), version.map(str::to_string));
        if let Some(why) = lock(&self.failed).get(&key) {
            return Err(why.clone());
        }
        {
            let p = lock(&self.packages);
            if p.len() >= MAX_PACKAGES {
                return Err(format!(
                    "module source {:?}: this run already fetched {MAX_PACKAGES} packages, the most it fetches",
                    crate::fetch::source::display_source(source)
                ));
            }
        }
        match f.fetch(source, version) {
            Ok(d) => {
                let mut p = lock(&self.packages);
                if !p.contains(&d.package_root) {
                    p.push(d.package_root.clone());
                }
                Ok(d)
            }
            Err(e) => {
                // A fetch error names the source without credentials; what git or a
                // server said may quote another URL with them.
                let why = crate::scrub::urls(&e.to_string());
                lock(&self.failed).insert(key, why.clone());
                Err(why)
            }
        }
    }

    /// For a directory under the root module's `.terraform/modules/NAME/` that is not
    /// there (`terraform init` has not run): the same place in the package of the root
    /// module's call NAME, fetched, or why it cannot be had. `None` when `dir` is not
    /// under `.terraform/modules/`.
    fn installed_by_init(
        &self,
        dir: &Path,
        what: &str,
    ) -> Result<Option<Result<PathBuf, String>>, LoadError> {
        let installed = lexical_join(&self.root, ".terraform/modules");
        let Ok(rest) = dir.strip_prefix(&installed) else {
            return Ok(None);
        };
        let mut parts = rest.components();
        let Some(name) = parts
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
        else {
            return Ok(None);
        };
        let inner = parts.as_path().to_path_buf();
        let root = self.module(&self.root)?;
        // Only a remote call of the root module is installed there: otherwise running
        // `terraform init` would not make the directory either, and it is an error.
        let Some(call) = root
            .calls
            .iter()
            .find(|c| c.name == name && !is_local(&c.source))
        else {
            return Ok(None);
        };
        let Some(f) = &self.fetcher else {
            let why = format!(
                "{:?} is where `terraform init` installs module \"{name}\", and it has not run here",
                dir.display().to_string()
            );
            self.warn(format!(
                "{what}: {why}, so its resources are not read and its outputs are unknown"
            ));
            return Ok(Some(Err(why)));
        };
        match self.fetch(f, &call.source, call.version.as_deref()) {
            Ok(fetched) => {
                let found = lexical_join(&fetched.package_root, &inner.to_string_lossy());
                if !found.starts_with(&fetched.package_root) || !found.is_dir() {
                    return Err(LoadError::file(
                        dir,
                        format!(
                            "module \"{name}\" (installed by `terraform init`) has no directory {:?}",
                            inner.display().to_string()
                        ),
                    ));
                }
                Ok(Some(Ok(found)))
            }
            Err(why) => {
                self.warn(format!(
                    "{what}: {why}, so its resources are not read and its outputs are unknown"
                ));
                Ok(Some(Err(why)))
            }
        }
    }

    /// A local source of the module in `dir`; `None` when the module is in a fetched
    /// package and the source leads outside it (Terraform refuses that too).
    fn local_dir(&self, dir: &Path, source: &str) -> Option<PathBuf> {
        let joined = lexical_join(dir, source);
        let packages = lock(&self.packages);
        match packages.iter().find(|root| dir.starts_with(root)) {
            Some(root) if !joined.starts_with(root) => None,
            _ => Some(joined),
        }
    }

    /// Where a called module is: a local path, or the `terraform init` manifest; or why
    /// it cannot be had.
    fn call_dir(
        &self,
        me: &Inst,
        decl: &CallDecl,
        what: &str,
    ) -> Result<Result<PathBuf, String>, LoadError> {
        let key: Vec<&str> = me
            .path
            .iter()
            .map(|s| s.name.as_str())
            .chain(std::iter::once(decl.name.as_str()))
            .collect();
        let key = key.join(".");
        // Where a module is read from stays inside what may be read.
        let confined = |dir: PathBuf| match self.confine.check(&dir) {
            Ok(_) | Err(crate::confine::Refusal::NotFound) => Ok(dir),
            Err(r) => Err(LoadError::at(
                &decl.loc,
                format!(
                    "module \"{}\": its directory {}",
                    decl.name,
                    r.describe(&dir.display().to_string(), &self.confine)
                ),
            )),
        };
        if let Some(dir) = self.manifest.as_ref().and_then(|m| m.get(&key)) {
            return Ok(Ok(confined(dir.clone())?));
        }
        if is_local(&decl.source) {
            let Some(dir) = self.local_dir(&me.module.dir, &decl.source) else {
                return Err(LoadError::at(
                    &decl.loc,
                    format!(
                        "module \"{}\": source {:?} leads outside the module package it is in; a local source in a fetched module must stay inside its package",
                        decl.name, decl.source
                    ),
                ));
            };
            // Confined before anything is asked of it: whether a directory outside
            // exists is not for the configuration to learn.
            let dir = confined(dir)?;
            if !dir.is_dir() {
                // `./.terraform/modules/NAME/…`: where `terraform init` installs the root
                // module's call NAME; read from that call's package instead.
                if let Some(found) = self.installed_by_init(&dir, what)? {
                    return Ok(found);
                }
                return Err(LoadError::at(
                    &decl.loc,
                    format!(
                        "module \"{}\": source directory {:?} does not exist",
                        decl.name, decl.source
                    ),
                ));
            }
            return Ok(Ok(dir));
        }
        let why = match &self.fetcher {
            Some(f) => match self.fetch(f, &decl.source, decl.version.as_deref()) {
                Ok(fetched) => return Ok(Ok(fetched.dir)),
                Err(why) => why,
            },
            None => format!(
                "source {:?} is not installed (no .terraform/modules/modules.json from `terraform init`)",
                crate::fetch::source::display_source(&decl.source)
            ),
        };
        self.warn(format!(
            "{}: {what}: {why}, so its resources are not read and its outputs are unknown",
            decl.loc
        ));
        Ok(Err(why))
    }
}

/// A number for a message: `1e300` rather than its 301 digits.
fn short_num(n: f64) -> String {
    if n.abs() < 1e17 {
        num_text(n)
    } else {
        format!("{n:e}")
    }
}

fn config_text(d: &ResDecl) -> String {
    match d.mode {
        Mode::Data => format!("data.{}.{}", d.rtype, d.name),
        _ => format!("{}.{}", d.rtype, d.name),
    }
}

fn module_prefix(path: &[ModuleStep]) -> String {
    path.iter()
        .map(|s| match &s.key {
            Some(k) => format!("module.{}{k}.", s.name),
            None => format!("module.{}.", s.name),
        })
        .collect()
}

/// A variable or local name that means the environment's own AWS account.
fn own_account_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let n = n.strip_prefix("aws_").unwrap_or(&n);
    let n = n.strip_prefix("current_").unwrap_or(n);
    matches!(
        n,
        "account" | "account_id" | "account_number" | "account_no"
    )
}

pub(super) fn module_text(path: &[ModuleStep]) -> String {
    if path.is_empty() {
        return "the root module".to_string();
    }
    let p = module_prefix(path);
    p.trim_end_matches('.').to_string()
}
