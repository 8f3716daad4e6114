//! The command line: raw flags parsed by clap, then turned into validated [`Settings`].
//! Nothing here reads an input file.

use crate::error::{Error, Result};
use crate::model::Severity;
use crate::report::Format;
use crate::source::EnvSpec;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "tfparity",
    version,
    about = "Prove that Terraform/OpenTofu environments are built the same way, and show where they are not"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare environments (state files, show-json states, plan JSON, HCL root modules)
    /// against a baseline.
    Compare(CompareArgs),
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// [NAME=]PATH: a state file, `terraform show -json` output, plan JSON, a directory
    /// holding an HCL root module, or `-` for standard input. NAME defaults to the file
    /// stem or directory name. The first is the baseline.
    #[arg(value_name = "ENV", required = true)]
    pub envs: Vec<String>,
    /// The environment every other one is compared against.
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
    /// NAME=FILE: a .tfvars / .tfvars.json file for environment NAME, a root module
    /// (repeatable; applied in order, after its own terraform.tfvars and *.auto.tfvars).
    #[arg(long = "var-file", value_name = "NAME=FILE")]
    pub var_files: Vec<String>,
    /// NAME=WORKSPACE: the Terraform workspace of environment NAME, a root module, as
    /// `terraform.workspace` reads it (default: `default`).
    #[arg(long = "workspace", value_name = "NAME=WORKSPACE")]
    pub workspaces: Vec<String>,
    /// Never use the network: remote modules come from the module cache or
    /// `.terraform/modules` only (a module found in neither is not compared, and said).
    #[arg(long)]
    pub offline: bool,
    /// A directory whose files a configuration may read too (repeatable). Without it,
    /// file functions, templates and variable files read only inside the
    /// configuration's tree: the Git work tree holding the root module, else the
    /// working directory when it holds the root module, else the root module.
    #[arg(long = "allow-path", value_name = "DIR")]
    pub allow_paths: Vec<PathBuf>,
    /// How long fetching remote modules may take in all, in seconds; past it, the
    /// modules not yet fetched are not read (and said).
    #[arg(long = "fetch-timeout", value_name = "SECONDS", default_value_t = 900)]
    pub fetch_timeout: u64,
    /// The largest file a configuration may read, in bytes.
    #[arg(long = "max-file-size", value_name = "BYTES", default_value_t = crate::source::hcl::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with status 2 when a finding has at least this severity.
    #[arg(long = "fail-on", value_enum, default_value_t = FailOn::Low)]
    pub fail_on: FailOn,
    /// A parity.hcl configuration file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When to colour the table: auto (a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// NAME=N: raises (or lowers) a bound on the work evaluating an HCL root module may
    /// do (repeatable). NAME is one of instances, total-instances, depth, value-size,
    /// string-length, collection-length, steps, parse-seconds; see docs/security.md.
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limits: Vec<String>,
    /// ENV=TOKEN[,TOKEN…]: codes and aliases that also mean environment ENV in names
    /// (`prod=pd,prd`), matched as words and at either end of a run of letters
    /// (`shopprodPremium`, `app01p`), case-insensitively (repeatable).
    #[arg(long = "alias", value_name = "ENV=TOKEN[,TOKEN…]")]
    pub aliases: Vec<String>,
    /// ENV=DOMAIN: a DNS suffix of environment ENV (`staging=example.aat.example.net`);
    /// names under it compare relative to it (repeatable).
    #[arg(long = "domain", value_name = "ENV=DOMAIN")]
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Markdown,
    /// SARIF 2.1.0, for code-scanning tabs
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Critical,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Validated settings of a `compare` run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub envs: Vec<EnvSpec>,
    /// Index into `envs`.
    pub baseline: usize,
    pub format: Format,
    pub output: Option<PathBuf>,
    /// `None`: never fail on findings.
    pub fail_on: Option<Severity>,
    pub color: ColorArg,
    /// `--offline`: remote modules only from the cache.
    pub offline: bool,
    /// What files a configuration may read beyond its tree.
    pub access: crate::source::hcl::Access,
    /// `--fetch-timeout`: how long fetching modules may take in all.
    pub fetch_timeout: std::time::Duration,
    /// Bounds on evaluating HCL root modules (`--limit`).
    pub limits: tfparity_hcl::Limits,
    /// Declared naming conventions (`--alias`, `--domain`).
    pub conventions: crate::normalize::context::Conventions,
}

impl Settings {
    pub fn from_args(args: CompareArgs) -> Result<Settings> {
        let usage = |m: String| Error::Usage(m);
        let mut envs: Vec<EnvSpec> = args
            .envs
            .iter()
            .map(|s| parse_env(s))
            .collect::<Result<_>>()?;
        if envs.len() < 2 {
            return Err(usage("compare needs at least two environments".into()));
        }
        for (i, e) in envs.iter().enumerate() {
            if envs[..i].iter().any(|o| o.name == e.name) {
                return Err(usage(format!(
                    "two environments are named `{}`; name them explicitly as NAME=PATH",
                    e.name
                )));
            }
        }
        if envs.iter().filter(|e| e.is_stdin()).count() > 1 {
            return Err(usage(
                "only one environment can be read from standard input (`-`)".into(),
            ));
        }
        let baseline = match &args.baseline {
            None => 0,
            Some(b) => envs.iter().position(|e| &e.name == b).ok_or_else(|| {
                usage(format!(
                    "--baseline `{b}` is not one of the environments given ({})",
                    names(&envs)
                ))
            })?,
        };
        for vf in &args.var_files {
            let (env, file) =
                for_root_module(&mut envs, vf, "--var-file", "FILE", "variable files")?;
            env.var_files.push(file.to_string());
        }
        for ws in &args.workspaces {
            let (env, workspace) =
                for_root_module(&mut envs, ws, "--workspace", "WORKSPACE", "workspaces")?;
            let name = &env.name;
            if env.workspace.is_some() {
                return Err(usage(format!(
                    "--workspace is given twice for environment `{name}`"
                )));
            }
            env.workspace = Some(workspace.to_string());
        }
        if let Some(cfg) = &args.config {
            return Err(usage(format!(
                "--config {}: parity.hcl configuration is not supported yet",
                cfg.display()
            )));
        }
        let mut limits = tfparity_hcl::Limits::default();
        for l in &args.limits {
            limits.parse_into(l).map_err(usage)?;
        }
        let conventions = conventions(&envs, &args.aliases, &args.domains)?;
        // Environments read from one root module are likely its workspaces.
        let roots: Vec<PathBuf> = envs
            .iter()
            .map(|e| {
                // The same directory however it is written (`infra`, `./infra/`, absolute).
                std::fs::canonicalize(&e.path).unwrap_or_else(|_| {
                    Path::new(&e.path)
                        .components()
                        .filter(|c| !matches!(c, std::path::Component::CurDir))
                        .collect()
                })
            })
            .collect();
        for (i, env) in envs.iter_mut().enumerate() {
            env.shared_root = roots.iter().filter(|r| **r == roots[i]).count() > 1;
        }
        envs.shrink_to_fit();
        Ok(Settings {
            offline: args.offline,
            fetch_timeout: std::time::Duration::from_secs(args.fetch_timeout),
            access: crate::source::hcl::Access {
                allow_paths: args.allow_paths,
                max_file_size: args.max_file_size,
            },
            limits,
            conventions,
            envs,
            baseline,
            format: match args.format {
                FormatArg::Table => Format::Table,
                FormatArg::Json => Format::Json,
                FormatArg::Markdown => Format::Markdown,
                FormatArg::Sarif => Format::Sarif,
            },
            output: args.output,
            fail_on: match args.fail_on {
                FailOn::Info => Some(Severity::Info),
                FailOn::Low => Some(Severity::Low),
                FailOn::Medium => Some(Severity::Medium),
                FailOn::High => Some(Severity::High),
                FailOn::Critical => Some(Severity::Critical),
                FailOn::Never => None,
            },
            color: args.color,
        })
    }
}

/// The naming conventions `--alias ENV=TOKEN,…` and `--domain ENV=DOMAIN` declare. Each
/// names an environment given; tokens and domains are lower-cased; a token or domain
/// declared for two environments is refused (it could not say which one it means).
fn conventions(
    envs: &[EnvSpec],
    aliases: &[String],
    domains: &[String],
) -> Result<crate::normalize::context::Conventions> {
    let usage = |m: String| Error::Usage(m);
    let mut out = crate::normalize::context::Conventions::default();
    let mut owner: std::collections::BTreeMap<String, String> = Default::default();
    for (flag, given, what) in [
        ("--alias", aliases, "TOKEN[,TOKEN…]"),
        ("--domain", domains, "DOMAIN"),
    ] {
        for g in given {
            let Some((env, values)) = g.split_once('=') else {
                return Err(usage(format!("{flag} `{g}`: expected ENV={what}")));
            };
            if !envs.iter().any(|e| e.name == env) {
                return Err(usage(format!(
                    "{flag} `{g}`: `{env}` is not one of the environments given ({})",
                    names(envs)
                )));
            }
            for v in values.split(',') {
                let v = v.trim().trim_end_matches('.').to_ascii_lowercase();
                let valid = if flag == "--alias" {
                    !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric())
                } else {
                    v.contains('.')
                        && v.split('.').all(|l| {
                            !l.is_empty()
                                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        })
                };
                if !valid {
                    return Err(usage(format!(
                        "{flag} `{g}`: `{v}` is not a {}",
                        if flag == "--alias" {
                            "token (letters and digits)"
                        } else {
                            "domain (labels of letters, digits and `-`, with a dot)"
                        }
                    )));
                }
                if let Some(other) = owner.insert(format!("{flag}\u{0}{v}"), env.to_string()) {
                    if other != env {
                        return Err(usage(format!(
                            "{flag} `{v}` is declared for both `{other}` and `{env}`"
                        )));
                    }
                }
                let list = if flag == "--alias" {
                    out.aliases.entry(env.to_string()).or_default()
                } else {
                    out.domains.entry(env.to_string()).or_default()
                };
                if !list.contains(&v) {
                    list.push(v);
                }
            }
        }
    }
    Ok(out)
}

/// The environment an option's `NAME=VALUE` names, which must be read from an HCL
/// root module, and the value.
fn for_root_module<'e, 'v>(
    envs: &'e mut [EnvSpec],
    given: &'v str,
    option: &str,
    value: &str,
    what: &str,
) -> Result<(&'e mut EnvSpec, &'v str)> {
    let (name, v) = given
        .split_once('=')
        .filter(|(_, v)| !v.is_empty())
        .ok_or_else(|| Error::Usage(format!("{option} `{given}`: expected NAME={value}")))?;
    let known = names(envs);
    let Some(env) = envs.iter_mut().find(|e| e.name == name) else {
        return Err(Error::Usage(format!(
            "{option} names environment `{name}`, which is not given ({known})"
        )));
    };
    if env.is_stdin() || !Path::new(&env.path).is_dir() {
        return Err(Error::Usage(format!(
            "{option} {name}={v}: {what} apply to HCL root modules, and `{name}` is read from {}",
            env.path
        )));
    }
    Ok((env, v))
}

fn names(envs: &[EnvSpec]) -> String {
    envs.iter()
        .map(|e| e.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn valid_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c))
}

/// `[NAME=]PATH`. Without a name: the file stem (`states/prod.tfstate` → `prod`), the
/// directory name, or `stdin` for `-`.
pub fn parse_env(s: &str) -> Result<EnvSpec> {
    if let Some((name, path)) = s.split_once('=') {
        if valid_name(name) {
            if path.is_empty() {
                return Err(Error::Usage(format!("environment `{name}`: empty path")));
            }
            return Ok(EnvSpec {
                name: name.to_string(),
                path: path.to_string(),
                var_files: Vec::new(),
                workspace: None,
                shared_root: false,
            });
        }
    }
    if s.is_empty() {
        return Err(Error::Usage("empty environment argument".into()));
    }
    let name = if s == "-" {
        "stdin".to_string()
    } else {
        let p = Path::new(s.trim_end_matches('/'));
        let stem = if p.is_dir() {
            p.file_name()
        } else {
            p.file_stem()
        };
        stem.map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "cannot derive an environment name from `{s}`; use NAME=PATH"
                ))
            })?
    };
    Ok(EnvSpec {
        name,
        path: s.to_string(),
        var_files: Vec::new(),
        workspace: None,
        shared_root: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_specs() -> crate::TestResult {
        for (input, name, path) in [
            ("prod=states/prod.tfstate", "prod", "states/prod.tfstate"),
            ("states/prod.tfstate", "prod", "states/prod.tfstate"),
            ("staging.json", "staging", "staging.json"),
            ("-", "stdin", "-"),
            ("prod=-", "prod", "-"),
            ("a/b=c/d.json", "d", "a/b=c/d.json"),
        ] {
            let e = parse_env(input)?;
            assert_eq!((e.name.as_str(), e.path.as_str()), (name, path), "{input}");
        }
        assert!(parse_env("prod=").is_err());
        assert!(parse_env("").is_err());
        Ok(())
    }

    fn settings(args: &[&str]) -> Result<Settings> {
        let mut full = vec!["tfparity", "compare"];
        full.extend_from_slice(args);
        let cli = Cli::try_parse_from(full).map_err(|e| Error::Usage(e.to_string()))?;
        let Command::Compare(c) = cli.command;
        Settings::from_args(c)
    }

    #[test]
    fn declared_conventions_are_checked() -> crate::TestResult {
        let s = settings(&[
            "prod=x",
            "staging=y",
            "--alias",
            "prod=PD,prd",
            "--alias",
            "staging=aat",
            "--domain",
            "staging=Example.AAT.platform.example.net.",
            "--domain",
            "prod=example.com",
        ])?;
        let c = &s.conventions;
        assert_eq!(c.aliases["prod"], ["pd", "prd"]);
        assert_eq!(c.aliases["staging"], ["aat"]);
        assert_eq!(c.domains["staging"], ["example.aat.platform.example.net"]);
        assert_eq!(c.domains["prod"], ["example.com"]);
        for (bad, says) in [
            (&["--alias", "qa=q"][..], "not one of the environments"),
            (&["--alias", "prod"][..], "expected ENV=TOKEN"),
            (&["--alias", "prod=p-d"][..], "not a token"),
            (
                &["--alias", "prod=pd", "--alias", "staging=PD"][..],
                "declared for both",
            ),
            (&["--domain", "prod=localhost"][..], "not a domain"),
            (&["--domain", "prod=a..b"][..], "not a domain"),
        ] {
            let mut args = vec!["prod=x", "staging=y"];
            args.extend_from_slice(bad);
            let e = settings(&args)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
        Ok(())
    }

    #[test]
    fn validates() -> crate::TestResult {
        let s = settings(&[
            "a=x",
            "b=y",
            "--baseline",
            "b",
            "--fail-on",
            "high",
            "--format",
            "json",
        ])?;
        assert_eq!(s.baseline, 1);
        // Environments read from one root module are said to share it.
        let shared = |args: &[&str]| -> crate::TestResult<Vec<bool>> {
            Ok(settings(args)?.envs.iter().map(|e| e.shared_root).collect())
        };
        assert_eq!(
            shared(&["a=infra", "b=./infra/", "c=other"])?,
            [true, true, false]
        );
        // An existing directory written relative and absolute is one root.
        let dir = std::env::current_dir()?.join("src");
        let abs = format!("b={}", dir.display());
        assert_eq!(shared(&["a=src", &abs])?, [true, true]);
        assert_eq!(s.fail_on, Some(Severity::High));
        let limited = settings(&[
            "a=x",
            "b=y",
            "--limit",
            "instances=20000",
            "--limit",
            "steps=1_000",
        ])?;
        assert_eq!(limited.limits.instances, 20_000);
        assert_eq!(limited.limits.steps, 1_000);
        assert_eq!(s.limits, tfparity_hcl::Limits::default());
        assert_eq!(s.format, Format::Json);
        assert_eq!(
            settings(&["a=x", "b=y", "--fail-on", "never"])?.fail_on,
            None
        );
        for (args, want) in [
            (vec!["a=x"], "at least two"),
            (vec!["a=x", "a=y"], "two environments are named `a`"),
            (
                vec!["x/p.json", "y/p.json"],
                "two environments are named `p`",
            ),
            (vec!["a=-", "b=-"], "standard input"),
            (vec!["a=x", "b=y", "--baseline", "c"], "--baseline `c`"),
            (
                vec!["a=x", "b=y", "--var-file", "c=v.tfvars"],
                "names environment `c`",
            ),
            (
                vec!["a=x", "b=y", "--var-file", "a=v.tfvars"],
                "HCL root modules",
            ),
            (vec!["a=x", "b=y", "--var-file", "nonsense"], "NAME=FILE"),
            (
                vec!["a=x", "b=y", "--workspace", "c=staging"],
                "names environment `c`",
            ),
            (
                vec!["a=x", "b=y", "--workspace", "a=staging"],
                "HCL root modules",
            ),
            (vec!["a=x", "b=y", "--workspace", "a"], "NAME=WORKSPACE"),
            (vec!["a=x", "b=y", "--workspace", "a="], "NAME=WORKSPACE"),
            (
                vec!["a=x", "b=y", "--config", "parity.hcl"],
                "not supported yet",
            ),
            (vec!["a=x", "b=y", "--limit", "steps"], "expected NAME=N"),
            (
                vec!["a=x", "b=y", "--limit", "nope=1"],
                "no limit is named `nope`",
            ),
            (vec!["a=x", "b=y", "--limit", "steps=-1"], "whole number"),
            (vec!["a=x", "b=y", "--limit", "depth=100000"], "at most 500"),
        ] {
            let err = settings(&args).unwrap_err().to_string();
            assert!(err.contains(want), "{args:?}: {err}");
        }
        Ok(())
    }
}
