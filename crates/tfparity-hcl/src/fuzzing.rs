//! Entry points for the fuzz targets in `fuzz/` and their regression tests: each takes
//! any input and answers with a value or an error, never a panic, an abort or a hang.

use crate::confine::Confinement;
use crate::eval::{Eval, Frame, OnlyVars};
use crate::files::{Loc, SrcFile};
use std::path::Path;
use std::sync::Arc;

/// Evaluates `src` as one expression in an empty scope, where no file may be read: its
/// value as text, or the error.
pub fn expression(src: &str) -> Result<String, String> {
    let owned = src.to_string();
    let e = crate::deadline::bounded(move || {
        crate::expr::parse_expr(&owned).map_err(|e| e.to_string())
    })
    .map_err(|t| t.to_string())??;
    let scope = OnlyVars {
        dir: Path::new("."),
        outer: None,
        confine: Confinement::nothing(),
    };
    let ev = Eval {
        scope: &scope,
        loc: Loc {
            file: Arc::new(SrcFile::new("fuzz.tf".into(), String::new())),
            offset: None,
        },
    };
    ev.eval(&e, &Frame::new())
        .map(|v| v.to_string())
        .map_err(|e| e.what)
}

/// The files a fuzz input becomes: its parts split at NUL bytes, in this order.
pub const DIRECTORY_FILES: &[&str] = &[
    "main.tf",
    "variables.tf",
    "terraform.tfvars",
    "modules/m/main.tf",
    "data.json",
];

/// Loads the root module that `input` describes (see [`DIRECTORY_FILES`]), written
/// into a fresh directory (a Git work tree) under `scratch`: the number of resource
/// instances, or the error.
pub fn directory(scratch: &Path, input: &[u8]) -> Result<usize, String> {
    let root = scratch.join("root");
    std::fs::create_dir_all(root.join("modules/m")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(scratch.join(".git")).map_err(|e| e.to_string())?;
    for (name, part) in DIRECTORY_FILES.iter().zip(input.split(|b| *b == 0)) {
        std::fs::write(root.join(name), part).map_err(|e| e.to_string())?;
    }
    let (built, _) = crate::load(&root, &[], "fuzz", &crate::Options::default(), |_| ())
        .map_err(|e| e.to_string())?;
    Ok(built.resources.len())
}
