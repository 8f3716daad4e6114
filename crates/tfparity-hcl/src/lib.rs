//! The Terraform / OpenTofu language without Terraform: load a root module's
//! configuration files, evaluate variables, locals, repetition, functions and modules,
//! and hand each resource instance to the caller. Reads and evaluates; knows nothing of
//! comparison.

pub mod body;
pub mod build;
pub mod config;
pub mod confine;
#[cfg(test)]
mod conformance;
pub mod deadline;
pub mod eval;
pub mod expr;
pub mod fetch;
pub mod files;
pub mod functions;
#[doc(hidden)]
pub mod fuzzing;
#[cfg(test)]
mod hostile;
pub mod json;
pub mod limits;
pub mod module;
pub mod paths;
pub mod scope;
pub mod scrub;
pub mod secret;
#[doc(hidden)]
pub mod testdir;
#[cfg(test)]
mod tests;
pub mod types;
pub mod value;
pub mod vars;

pub use build::{Built, ResourceInstance};
pub use files::LoadError;
pub use limits::{Limit, Limits};
pub use module::NotExpanded;
use std::path::{Path, PathBuf};
pub use tfparity_addrs as addrs;
pub use value::V;

type Result<T, E = LoadError> = std::result::Result<T, E>;

#[cfg(test)]
pub(crate) type TestResult<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// With `TFPARITY_TIMINGS` set, says on stderr how long a phase took.
pub fn timing(phase: &str, since: std::time::Instant) {
    if std::env::var_os("TFPARITY_TIMINGS").is_some() {
        eprintln!("timing: {phase}: {:.3}s", since.elapsed().as_secs_f64());
    }
}

/// How a root module is read.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    pub workspace: Workspace<'a>,
    /// Fetches the remote module sources that `terraform init` did not install (into
    /// its cache, or only from it when offline); none: they are not read, and said so.
    pub fetcher: Option<std::sync::Arc<fetch::Fetcher>>,
    /// What files may be read besides the configuration's tree.
    pub access: Access,
    /// Bounds on the work the evaluation may do.
    pub limits: Limits,
}

/// What files a configuration may read beyond its tree (see [`confine`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// Directories whose files may be read too (`--allow-path`).
    pub allow_paths: Vec<PathBuf>,
    /// The largest file read, in bytes (`--max-file-size`).
    pub max_file_size: u64,
}

impl Default for Access {
    fn default() -> Self {
        Access {
            allow_paths: Vec::new(),
            max_file_size: confine::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// What `terraform.workspace` is for an environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct Workspace<'a> {
    /// `--workspace`; `default` when not given.
    pub name: Option<&'a str>,
    /// Other environments are read from the same root module (likely its workspaces):
    /// reading `terraform.workspace` with no name given is then said.
    pub shared_root: bool,
}

/// Evaluates the root module in `dir` for environment `env`, with its own variable
/// files and then `var_files` in order: each resource instance as `make` makes it, where
/// each instance and resource block is written, and the warnings about what could not
/// be evaluated. Files are read and parsed in parallel. Evaluation recurses along
/// chains of references (a local naming a local naming a local …): the stack grows on
/// the heap as it deepens (`stacker`), and the chain length is capped.
pub fn load<T, F>(
    dir: &Path,
    var_files: &[String],
    env: &str,
    options: &Options<'_>,
    make: F,
) -> Result<(Built<T>, Vec<String>)>
where
    T: Send,
    F: Fn(ResourceInstance<'_>) -> T + Sync,
{
    let workspace = options.workspace;
    let (run, root) = prepare(dir, var_files, env, options).map_err(LoadError::revealed)?;
    match evaluate(run, root, env, workspace.shared_root, &make) {
        Ok(done) => Ok(done),
        // Which error surfaces first may depend on which module instance got there
        // first: evaluate once more, one instance after another, to say the same error
        // every time.
        Err(_) => {
            let (mut run, root) =
                prepare(dir, var_files, env, options).map_err(LoadError::revealed)?;
            run.parallel = false;
            // Values an error quotes were redacted on the way where they had to be.
            evaluate(run, root, env, workspace.shared_root, &make).map_err(LoadError::revealed)
        }
    }
}

/// An error of environment `env`, saying so.
fn named(env: &str, e: LoadError) -> LoadError {
    LoadError {
        what: format!("environment {env}: {}", e.what),
        ..e
    }
}

/// Reads the root module, its variable values and every module it calls.
fn prepare(
    dir: &Path,
    var_files: &[String],
    env: &str,
    options: &Options<'_>,
) -> Result<(module::Run, usize)> {
    let named = |e| named(env, e);
    // What may be read: the configuration's tree, the module cache, what was allowed.
    let mut also = options.access.allow_paths.clone();
    if let Some(f) = &options.fetcher {
        also.push(f.cache_dir().to_path_buf());
    }
    // A variable file the command line names is read wherever it is, unless a link
    // leads there (a link committed as `prod.tfvars` may point anywhere).
    also.extend(
        var_files
            .iter()
            .map(PathBuf::from)
            .filter(|f| confine::is_direct(f)),
    );
    let confine = confine::Confinement::new(dir, &also, options.access.max_file_size);
    // A directory without configuration is not an empty environment.
    let (primary, overrides) = files::config_files(dir).map_err(named)?;
    if primary.is_empty() && overrides.is_empty() {
        let hint = if dir.join("terragrunt.hcl").is_file() {
            " (it holds terragrunt.hcl: give the directory of the Terraform module it uses, with its inputs as a .tfvars file)"
        } else {
            ""
        };
        return Err(named(files::LoadError::file(
            dir,
            format!("no Terraform configuration files (*.tf, *.tf.json, *.tofu, *.tofu.json) in this directory{hint}"),
        )));
    }
    // Variable files are evaluated too: under the limits.
    let budget = std::sync::Arc::new(limits::Budget::new(options.limits));
    let _entered = limits::enter(&budget);
    let mut files = vars::automatic_files(dir);
    files.extend(var_files.iter().map(PathBuf::from));
    let given = vars::read_all(&files, &confine).map_err(named)?;
    let t = std::time::Instant::now();
    // What is checked below of the values given: their names and places.
    let given_at: Vec<(String, files::Loc)> = given
        .iter()
        .map(|(k, (_, loc))| (k.clone(), loc.clone()))
        .collect();
    let (mut run, root) =
        module::Run::new(dir, env, given, options.fetcher.clone(), confine).map_err(named)?;
    run.workspace = options.workspace.name.map(str::to_string);
    run.budget = budget.clone();
    crate::timing(&format!("hcl read and parse {env}"), t);
    let declared = &run.inst(root).module.variables;
    // Every required variable without a value, said at once.
    let missing: Vec<&config::VarDecl> = declared
        .values()
        .filter(|d| d.default.is_none() && !given_at.iter().any(|(k, _)| *k == d.name))
        .collect();
    if let Some(first) = missing.first() {
        let names: Vec<String> = missing.iter().map(|d| format!("\"{}\"", d.name)).collect();
        let what = if names.len() == 1 {
            format!("variable {} is required but has no value", names[0])
        } else {
            format!(
                "variables {} are required but have no value",
                names.join(", ")
            )
        };
        return Err(named(files::LoadError::at(
            &first.loc,
            format!("{what} (give them in a .tfvars file, or with --var-file {env}=FILE)"),
        )));
    }
    // Values for variables the module does not declare: said once per file, as
    // Terraform sums them up (a shared tfvars file may hold hundreds).
    let mut undeclared: std::collections::BTreeMap<PathBuf, Vec<(&str, &files::Loc)>> =
        std::collections::BTreeMap::new();
    for (k, loc) in &given_at {
        if !declared.contains_key(k) {
            undeclared
                .entry(loc.file.path.clone())
                .or_default()
                .push((k, loc));
        }
    }
    for names in undeclared.values_mut() {
        names.sort_by_key(|(_, loc)| loc.offset);
        let (first, loc) = names[0];
        let what = match names.len() {
            1 => format!("a value is given for variable \"{first}\", which the root module does not declare"),
            n => format!(
                "values are given for {n} variables the root module does not declare: \"{first}\" and {} more",
                n - 1
            ),
        };
        run.warn(format!("{loc}: {what}"));
    }
    Ok((run, root))
}

/// What is said where `terraform.workspace` is read and no workspace is given.
fn default_workspace(env: &str) -> String {
    format!("is \"default\" here; if this environment is a workspace, give --workspace {env}=NAME")
}

/// Evaluates every module instance and builds the resources.
fn evaluate<T, F>(
    run: module::Run,
    root: usize,
    env: &str,
    shared_root: bool,
    make: &F,
) -> Result<(Built<T>, Vec<String>)>
where
    T: Send,
    F: Fn(ResourceInstance<'_>) -> T + Sync,
{
    let named = |e| named(env, e);
    let t = std::time::Instant::now();
    let mut built = build::resources(&run, root, make).map_err(|mut e| {
        // An index by workspace name fails in the default workspace: say why it may,
        // where environments share the module (workspaces).
        let lookup =
            e.what.contains("Invalid index") || e.what.contains("does not have an attribute named");
        if let (true, true, None, Some(at)) =
            (lookup, shared_root, &run.workspace, run.workspace_read())
        {
            e.what.push_str(&format!(
                " (terraform.workspace, read at {at}, {})",
                default_workspace(env)
            ));
        }
        named(e)
    })?;
    // A limit exceeded where an error was caught (`try`, `can`) still ends the run.
    if let Some(what) = run.budget.tripped() {
        return Err(named(LoadError::file(&run.root, what)));
    }
    built.accounts = run.declared_accounts();
    crate::timing(&format!("hcl evaluate {env}"), t);
    if std::env::var_os("TFPARITY_TIMINGS").is_some() {
        eprintln!("timing: hcl steps {env}: {}", run.budget.steps_used());
    }
    // Workspaces per environment read `terraform.workspace`; left at `default`, every
    // environment would be evaluated as the same one, silently. (A folder per
    // environment is not a workspace: nothing to say there.)
    if run.workspace.is_none() && shared_root {
        if let Some(at) = run.workspace_read() {
            run.warn(format!(
                "{at}: terraform.workspace is read, and {}",
                default_workspace(env)
            ));
        }
    }
    // Sorted: evaluation order is not the same from run to run.
    let mut warnings = run.warnings();
    warnings.sort();
    // Freeing every parsed file and evaluated value takes a while; nothing waits for it.
    std::thread::spawn(move || drop(run));
    Ok((built, warnings))
}
