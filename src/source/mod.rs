//! Sources: turn what describes an environment (a state file, a show-json state, a plan
//! JSON, standard input) into a model [`Environment`]. Inputs are recognised by content,
//! never by name. Sources read and convert; they never judge a value.

pub mod hcl;
pub mod legacy;
pub mod show;
pub mod state;

use crate::error::{Error, Result};
use crate::model::{Environment, Resource, Source, SourceKind};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::path::Path;

/// One environment as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvSpec {
    pub name: String,
    /// A file or directory path, or `-` for standard input.
    pub path: String,
    /// `--var-file` files for this environment, in command-line order.
    pub var_files: Vec<String>,
    /// `--workspace`: the workspace `terraform.workspace` names (`default` when not given).
    pub workspace: Option<String>,
    /// Another environment is read from the same root module: then environments are
    /// likely workspaces, and reading `terraform.workspace` without `--workspace` is said.
    pub shared_root: bool,
}

impl EnvSpec {
    pub fn is_stdin(&self) -> bool {
        self.path == "-"
    }
}

/// Every top-level field any supported document can have, so that one pass of the
/// parser both recognises the kind and reads it.
#[derive(Debug, Deserialize)]
struct Document {
    #[serde(default)]
    version: Option<u64>,
    #[serde(default)]
    terraform_version: Option<String>,
    // raw state v4
    #[serde(default)]
    resources: Option<Vec<state::ResourceV4>>,
    // raw state v1-v3
    #[serde(default)]
    modules: Option<Vec<legacy::ModuleV3>>,
    // show -json
    #[serde(default)]
    format_version: Option<String>,
    #[serde(default)]
    values: Option<show::Values>,
    #[serde(default)]
    planned_values: Option<show::Values>,
    #[serde(default)]
    prior_state: Option<IgnoredAny>,
    #[serde(default)]
    resource_changes: Option<Vec<show::ResourceChange>>,
    #[serde(default)]
    configuration: Option<show::Configuration>,
    // OpenTofu encrypted envelope
    #[serde(default)]
    encryption_version: Option<IgnoredAny>,
    #[serde(default)]
    encrypted_data: Option<IgnoredAny>,
}

/// Just enough to explain a document that did not parse as expected.
#[derive(Debug, Deserialize)]
struct Probe {
    #[serde(default)]
    version: Option<serde_json::Value>,
    #[serde(default)]
    terraform_version: Option<serde_json::Value>,
    #[serde(default)]
    encryption_version: Option<IgnoredAny>,
}

/// Loads one environment. `stdin` holds standard input when a spec names `-`;
/// `fetcher` fetches the remote modules a root module calls.
pub fn load(
    spec: &EnvSpec,
    stdin: Option<&[u8]>,
    fetcher: Option<&std::sync::Arc<hcl::Fetcher>>,
    access: &hcl::Access,
    limits: &tfparity_hcl::Limits,
) -> Result<Environment> {
    let shown = spec.path.as_str();
    let path = Path::new(&spec.path);
    let owned;
    let bytes: &[u8] = if spec.is_stdin() {
        stdin.unwrap_or_default()
    } else {
        if path.is_dir() {
            let t = std::time::Instant::now();
            let (built, warnings) = hcl::load_with_origins(
                path,
                &spec.var_files,
                &spec.name,
                &hcl::Options {
                    workspace: hcl::Workspace {
                        name: spec.workspace.as_deref(),
                        shared_root: spec.shared_root,
                    },
                    fetcher: fetcher.cloned(),
                    access: access.clone(),
                    limits: *limits,
                },
            )?;
            crate::timing(&format!("evaluate {}", spec.name), t);
            let mut env = environment(spec, SourceKind::Hcl, built.resources)?;
            env.warnings = warnings;
            env.origins = built.origins.into_iter().collect();
            env.unexpanded = built
                .unexpanded
                .into_iter()
                .map(|(a, why)| (a, hcl::not_expanded(why)))
                .collect();
            env.unexpanded_modules = built
                .unexpanded_modules
                .into_iter()
                .map(|(m, why)| (m, hcl::not_expanded(why)))
                .collect();
            env.declared_accounts = built.accounts;
            env.root_calls = built.calls.into_iter().collect();
            return Ok(env);
        }
        owned = read_named(path, access.max_file_size)
            .map_err(|what| Error::input(path, format!("environment {}: {what}", spec.name)))?;
        &owned
    };
    let t = std::time::Instant::now();
    let (kind, resources) = parse(shown, &spec.name, bytes)?;
    crate::timing(&format!("parse {}", spec.name), t);
    let t = std::time::Instant::now();
    let env = environment(spec, kind, resources)?;
    crate::timing(&format!("environment {}", spec.name), t);
    Ok(env)
}

/// A state or plan file the command line names: read wherever it is, as a variable file
/// is, unless a symbolic link leads there (a link committed as `prod.tfstate` may point
/// anywhere): then it is read as a configuration reads a file, only inside the
/// configuration's tree of the working directory (`docs/security.md`). A descriptor
/// named by the shell (`<(terraform show -json)` is `/dev/fd/63`) is the user's own.
fn read_named(path: &Path, max_file_size: u64) -> std::result::Result<Vec<u8>, String> {
    let descriptor = path.starts_with("/dev/fd") || path.starts_with("/proc/self/fd");
    if descriptor || tfparity_hcl::confine::is_direct(path) {
        return std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => format!("cannot read: {e}"),
        });
    }
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read: {e}"))?;
    let confine = tfparity_hcl::confine::Confinement::new(&cwd, &[], max_file_size);
    confine.read(path).map_err(|r| match r {
        tfparity_hcl::confine::Refusal::NotFound => "no such file or directory".to_string(),
        r => tfparity_hcl::scrub::reveal(&r.describe(&path.display().to_string(), &confine)),
    })
}

/// The environment of these resources, read from `spec` as `kind`.
fn environment(spec: &EnvSpec, kind: SourceKind, resources: Vec<Resource>) -> Result<Environment> {
    Environment::new(
        spec.name.clone(),
        Source {
            kind,
            path: spec.path.clone(),
        },
        resources,
    )
    .map_err(|dup| {
        Error::input(
            spec.path.as_str(),
            format!("environment {}: instance {dup} appears twice", spec.name),
        )
    })
}

type Parsed = (SourceKind, Vec<Resource>);

/// Recognises and converts a JSON document.
pub fn parse(path: &str, env: &str, bytes: &[u8]) -> Result<Parsed> {
    let fail = |what: String| Error::input(path, format!("environment {env}: {what}"));
    // A UTF-8 byte order mark (some editors write one) is not part of the JSON.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(fail("this is a saved plan file (a zip archive); convert it with `terraform show -json PLANFILE`".into()));
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => return Err(fail("file is empty".into())),
        Some(b'{') => {}
        Some(_) if bytes.starts_with(b"tfstate") => {
            return Err(fail("binary state format from Terraform before 0.7 is not supported".into()))
        }
        Some(_) if std::str::from_utf8(bytes).is_err() => {
            return Err(fail("not JSON: the file is binary or not UTF-8".into()))
        }
        Some(_) => {
            return Err(fail(
                "not a JSON object: expected a state file, `terraform show -json` output or a plan JSON".into(),
            ))
        }
    }
    let doc: Document = match serde_json::from_slice(bytes) {
        Ok(d) => d,
        Err(e) => return Err(explain(path, env, bytes, &e)),
    };
    if doc.encryption_version.is_some() || doc.encrypted_data.is_some() {
        return Err(fail(
            "OpenTofu encrypted state: decrypt it first (for example with `tofu state pull`)"
                .into(),
        ));
    }
    if let Some(fv) = &doc.format_version {
        let major = fv.split('.').next().and_then(|m| m.parse::<u32>().ok());
        if major.is_none_or(|m| m > 1) {
            return Err(fail(format!(
                "unsupported show-json format_version {}",
                fv.escape_debug()
            )));
        }
    }
    // Plans and show-json states are recognised by their fields even when a hand-made
    // document lacks `format_version`.
    if doc.planned_values.is_some() || doc.resource_changes.is_some() || doc.prior_state.is_some() {
        let Some(planned) = doc.planned_values else {
            return Err(fail(
                "plan JSON has no `planned_values` (a partial plan document?)".into(),
            ));
        };
        let mut resources = show::convert(Some(planned)).map_err(fail)?;
        if let Some(changes) = doc.resource_changes {
            show::apply_changes(&mut resources, changes);
        }
        if let Some(config) = doc.configuration {
            show::apply_configuration(&mut resources, config);
        }
        return Ok((SourceKind::Plan, resources));
    }
    if doc.format_version.is_some() || (doc.values.is_some() && doc.version.is_none()) {
        let resources = show::convert(doc.values).map_err(fail)?;
        return Ok((SourceKind::ShowState, resources));
    }
    match doc.version {
        Some(4) => {
            let resources = state::convert(doc.resources.unwrap_or_default()).map_err(fail)?;
            Ok((SourceKind::State, resources))
        }
        Some(1..=3) => {
            let resources = legacy::convert(doc.modules.unwrap_or_default()).map_err(fail)?;
            Ok((SourceKind::State, resources))
        }
        Some(v) => Err(fail(unsupported_version(
            v,
            doc.terraform_version.as_deref(),
        ))),
        None => Err(fail(
            "not a Terraform state, show-json state or plan JSON: no `version` or `format_version` field".into(),
        )),
    }
}

/// Why a state of version `v` (written by `terraform`, when it says) cannot be read.
fn unsupported_version(v: u64, terraform: Option<&str>) -> String {
    format!(
        "unsupported state version {v}{} (this tool reads versions 1 to 4)",
        terraform
            .map(|t| format!(", written by Terraform {}", t.escape_debug()))
            .unwrap_or_default()
    )
}

/// A JSON error, explained with the document's declared version when that is the cause.
fn explain(path: &str, env: &str, bytes: &[u8], err: &serde_json::Error) -> Error {
    if err.is_data() {
        if let Ok(p) = serde_json::from_slice::<Probe>(bytes) {
            if p.encryption_version.is_some() {
                return Error::input(
                    path,
                    format!("environment {env}: OpenTofu encrypted state: decrypt it first"),
                );
            }
            if let Some(v) = p.version.as_ref().and_then(|v| v.as_u64()) {
                if v > 4 {
                    let tf = p.terraform_version.as_ref().and_then(|t| t.as_str());
                    return Error::input(
                        path,
                        format!("environment {env}: {}", unsupported_version(v, tf)),
                    );
                }
            }
        }
    }
    Error::json(path, env, err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(json: &str) -> Result<SourceKind> {
        parse("f.json", "e", json.as_bytes()).map(|p| p.0)
    }

    #[test]
    fn recognises_by_content() -> crate::TestResult {
        for (json, want) in [
            (r#"{"version":4,"resources":[]}"#, SourceKind::State),
            (
                "\u{feff}{\"version\":4,\"resources\":[]}",
                SourceKind::State,
            ),
            (
                r#"{"version":3,"modules":[{"path":["root"],"resources":{}}]}"#,
                SourceKind::State,
            ),
            (r#"{"format_version":"1.0"}"#, SourceKind::ShowState),
            (
                r#"{"format_version":"1.0","values":{"root_module":{}}}"#,
                SourceKind::ShowState,
            ),
            (
                r#"{"format_version":"1.2","planned_values":{"root_module":{}},"resource_changes":[]}"#,
                SourceKind::Plan,
            ),
            (
                r#"{"format_version":"0.1","planned_values":{}}"#,
                SourceKind::Plan,
            ),
        ] {
            assert_eq!(kind_of(json)?, want, "{json}");
        }
        Ok(())
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let deep_obj = format!(
            r#"{{"version":4,"resources":[{{"mode":"managed","type":"a","name":"b","instances":[{{"attributes":{{"x":{}"#,
            "[{\"a\":".repeat(50_000)
        );
        for (input, want) in [
            ("".to_string(), "file is empty"),
            ("   \n".to_string(), "file is empty"),
            (r#"{"version":4,"resources":["#.to_string(), "unexpected end of input"),
            ("not json".to_string(), "not a JSON object"),
            ("tfstate\x00\x01".to_string(), "binary state format"),
            (r#"{"version":5,"terraform_version":"9.0.0","resources":{}}"#.to_string(), "unsupported state version 5, written by Terraform 9.0.0"),
            (r#"{"version":5}"#.to_string(), "unsupported state version 5"),
            (r#"{"version":"4"}"#.to_string(), "invalid type"),
            (r#"{"version":4,"resources":[{"mode":"managed","type":1}]}"#.to_string(), "invalid type"),
            (r#"{"serial":1}"#.to_string(), "no `version` or `format_version`"),
            (deep, "not a JSON object"),
            (deep_obj, "recursion limit"),
            (r#"{"encryption_version":"v0","encrypted_data":"AAAA"}"#.to_string(), "encrypted"),
            (r#"{"format_version":"1.0","resource_changes":[]}"#.to_string(), "no `planned_values`"),
            (r#"{"resource_changes":[]}"#.to_string(), "no `planned_values`"),
            (r#"{"format_version":"2.0"}"#.to_string(), "unsupported show-json"),
            (r#"{"version":4,"resources":[{"mode":"managed","type":"a","name":"b","instances":[{"attributes":{"password":"hunter2"},"status":5}]}]}"#.to_string(), "invalid type"),
        ] {
            let err = parse("in.json", "prod", input.as_bytes()).unwrap_err().to_string();
            assert!(err.starts_with("in.json"), "{err}");
            assert!(err.contains("environment prod"), "{err}");
            assert!(err.contains(want), "{input:.60}: got {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
        let err = parse("p.tfplan", "e", b"PK\x03\x04rest")
            .unwrap_err()
            .to_string();
        assert!(err.contains("terraform show -json"), "{err}");
        let bin = [0xff_u8, 0xfe, 0x00, 0x12];
        let err = parse("b", "e", &bin).unwrap_err().to_string();
        assert!(err.contains("binary"), "{err}");
    }

    #[test]
    fn wrong_string_values_are_not_echoed() {
        let err = parse("f", "e", br#"{"version":4,"resources":[{"mode":"managed","type":"t","name":"n","instances":[{"index_key":{"secret":"hunter2"}}]}]}"#)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
        let err = parse("f", "e", br#"{"version":"hunter2"}"#)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.starts_with("f:1:"), "{err}");
    }
}
