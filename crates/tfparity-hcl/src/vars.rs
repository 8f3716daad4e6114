//! Values of a root module's variables, with Terraform's precedence (lowest first):
//! `default`, `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` and
//! `*.auto.tfvars.json` in file-name order, then each `--var-file` in command-line order.
//! A later file replaces a whole value (maps are not merged). `.tfvars` holds constant
//! values only. (`TF_VAR_` environment variables are not read: one process compares
//! several environments, and the environment of the process belongs to none of them.)

use super::eval::{EResult, Eval, EvalError, Frame, Scope};
use super::expr::Op;
use super::files::{self, LoadError, Loc, SrcFile};
use super::value::V;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The variable files Terraform reads by itself from a root module, in order.
pub fn automatic_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for n in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(n);
        // The name, not what a link there leads to (asking would tell whether a file
        // outside exists): a link is read, and judged, like any variable file.
        if std::fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir()) {
            out.push(p);
        }
    }
    let mut auto: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json"))
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    out.extend(auto.into_iter().map(|n| dir.join(n)));
    out
}

/// Values from `files` in order, later ones replacing earlier ones, each with the place
/// it was set.
pub fn read_all(
    files: &[PathBuf],
    confine: &crate::confine::Confinement,
) -> Result<BTreeMap<String, (V, Loc)>, LoadError> {
    let mut out = BTreeMap::new();
    for f in files {
        for (k, v) in read(f, confine)? {
            out.insert(k, v);
        }
    }
    Ok(out)
}

/// No references and no functions: what a `.tfvars` file may contain.
struct Constants;

impl Scope for Constants {
    fn confinement(&self) -> &crate::confine::Confinement {
        crate::confine::Confinement::nothing()
    }
    fn functions_allowed(&self) -> bool {
        false
    }
    fn reference(
        &self,
        root: &str,
        _ops: &[Op],
        _frame: &Frame<'_>,
        at: &Loc,
    ) -> EResult<Option<(V, usize)>> {
        Err(EvalError::at(at, format!("Variables not allowed: a .tfvars file holds constant values; \"{root}\" cannot be referred to here")))
    }
    fn module_dir(&self) -> &Path {
        Path::new(".")
    }
    fn template_file(&self, _path: &str, _vars: V, at: &Loc) -> EResult<V> {
        Err(EvalError::at(
            at,
            "Functions may not be called here: a .tfvars file holds constant values",
        ))
    }
}

/// A variable's value from a file, and where it was set.
pub type Given = (String, (V, Loc));

/// One variable file.
pub fn read(path: &Path, confine: &crate::confine::Confinement) -> Result<Vec<Given>, LoadError> {
    let text = confine.read_text(path).map_err(|r| {
        LoadError::file(
            path,
            match r {
                Some(crate::confine::Refusal::NotFound) => "no such variable file".to_string(),
                Some(r) => format!(
                    "variable file: {}",
                    r.describe(&path.display().to_string(), confine)
                ),
                None => "variable file: not UTF-8 text".to_string(),
            },
        )
    })?;
    let name = path.to_string_lossy();
    if name.ends_with(".json") {
        let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| LoadError {
            path: path.to_path_buf(),
            line_col: Some((e.line(), e.column())),
            what: format!("invalid JSON: {}", crate::scrub::scrub(&e.to_string())),
        })?;
        let serde_json::Value::Object(m) = doc else {
            return Err(LoadError::file(
                path,
                "a .tfvars.json file must hold an object of variable values",
            ));
        };
        let keys = top_level_keys(&text);
        let file = Arc::new(SrcFile::new(path.to_path_buf(), text));
        return Ok(m
            .into_iter()
            .map(|(k, v)| {
                let loc = Loc {
                    file: file.clone(),
                    offset: keys.get(&k).copied(),
                };
                (k, (from_json(v), loc))
            })
            .collect());
    }
    let body = files::parse_native(path, text)?;
    if let Some(b) = body.blocks.first() {
        return Err(LoadError::at(
            &b.loc,
            format!(
                "unexpected block `{}`: a .tfvars file holds only `name = value` assignments",
                b.kind
            ),
        ));
    }
    let mut out = Vec::with_capacity(body.attrs.len());
    for a in body.attrs {
        let ev = Eval {
            scope: &Constants,
            loc: a.loc.clone(),
        };
        let v = ev.eval(&a.expr, &Frame::new())?;
        out.push((a.name, (v, a.loc)));
    }
    Ok(out)
}

/// Where each key of a JSON document's top-level object is written (byte offset of its
/// opening quote; the last one where a key repeats, as the value read is the last).
fn top_level_keys(text: &str) -> BTreeMap<String, usize> {
    let b = text.as_bytes();
    let mut out = BTreeMap::new();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                // A string: to its closing quote, past escapes.
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let end = (i + 1).min(b.len());
                let is_key = text[end..].trim_start().starts_with(':');
                if depth == 1 && is_key {
                    if let Ok(k) = serde_json::from_str::<String>(&text[start..end]) {
                        out.insert(k, start);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A JSON value as given (JSON variable files hold values, not templates).
pub fn from_json(v: serde_json::Value) -> V {
    use serde_json::Value as J;
    match v {
        J::Null => V::Null,
        J::Bool(b) => V::Bool(b),
        J::Number(n) => V::Num(n.as_f64().unwrap_or(0.0)),
        J::String(s) => V::Str(s),
        J::Array(a) => V::List(a.into_iter().map(from_json).collect()),
        J::Object(m) => V::Map(m.into_iter().map(|(k, v)| (k, from_json(v))).collect()),
    }
}
