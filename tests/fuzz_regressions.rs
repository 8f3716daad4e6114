//! Every input that ever crashed a fuzz target (`fuzz/regressions/TARGET/*`), run
//! through the same entry point on the stable toolchain: each must give a value or an
//! error. A crash fails the test (a panic) or the test binary (an abort).

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.file_name().is_some_and(|n| n != "README.md"));
    out.sort();
    out
}

#[test]
fn every_target_has_its_regressions() {
    for t in ["state", "hcl_expression", "hcl_directory"] {
        assert!(!inputs(t).is_empty(), "fuzz/regressions/{t} holds no input");
    }
}

#[test]
fn state_regressions() {
    for p in inputs("state") {
        let bytes = std::fs::read(&p).expect("read");
        if let Ok(parsed) = tfparity::source::parse("input.json", "fuzz", &bytes) {
            let _ = tfparity::fuzzing::compare_with_itself(parsed);
        }
    }
}

#[test]
fn hcl_expression_regressions() {
    for p in inputs("hcl_expression") {
        let bytes = std::fs::read(&p).expect("read");
        if let Ok(src) = std::str::from_utf8(&bytes) {
            let _ = tfparity_hcl::fuzzing::expression(src);
        }
    }
}

#[test]
fn hcl_directory_regressions() {
    for p in inputs("hcl_directory") {
        let bytes = std::fs::read(&p).expect("read");
        let scratch = tempfile::tempdir().expect("tmp");
        let _ = tfparity_hcl::fuzzing::directory(scratch.path(), &bytes);
    }
}
