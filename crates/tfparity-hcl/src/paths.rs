//! Paths of modules, by name as Terraform shows them (`envs/dev` + `../../modules/x`),
//! and the `terraform init` module manifest. No evaluation.

use super::files::LoadError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// `base` joined with a relative path, `.` and `..` resolved by name (as Terraform
/// shows module paths), not through the file system: `envs/dev` + `../../modules/x` is
/// `modules/x`, `.` + `../../` is `../..`, and an empty result is `.`.
pub fn lexical_join(base: &Path, rel: &str) -> PathBuf {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in base.components().chain(Path::new(rel).components()) {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                // Above the root of an absolute path there is nothing.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => parts.push(c),
            },
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return PathBuf::from(".");
    }
    parts.iter().map(|c| c.as_os_str()).collect()
}

/// `target` as seen from `base`, both relative to the same place (or both absolute),
/// by name: from `envs/prod`, `modules/net` is `../../modules/net`.
pub fn relative_to(base: &Path, target: &Path) -> PathBuf {
    use std::path::Component;
    let base = lexical_join(base, ".");
    let target = lexical_join(target, ".");
    let b: Vec<Component<'_>> = base
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let t: Vec<Component<'_>> = target
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

pub fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// `.terraform/modules/modules.json`: call key → directory.
pub fn read_manifest(
    root: &Path,
    confine: &crate::confine::Confinement,
) -> Result<Option<HashMap<String, PathBuf>>, LoadError> {
    let path = root.join(".terraform/modules/modules.json");
    let text = match confine.read_text(&path) {
        Ok(t) => t,
        Err(Some(crate::confine::Refusal::NotFound)) => return Ok(None),
        Err(Some(r)) => return Err(LoadError::file(&path, r.describe("modules.json", confine))),
        Err(None) => return Err(LoadError::file(&path, "not UTF-8 text")),
    };
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: String,
    }
    let m: Manifest = serde_json::from_str(&text).map_err(|e| LoadError {
        path: path.clone(),
        line_col: Some((e.line(), e.column())),
        what: format!(
            "invalid module manifest: {}",
            crate::scrub::scrub(&e.to_string())
        ),
    })?;
    Ok(Some(
        m.modules
            .into_iter()
            .filter(|e| !e.key.is_empty())
            .map(|e| (e.key, root.join(e.dir.replace('\\', "/"))))
            .collect(),
    ))
}
