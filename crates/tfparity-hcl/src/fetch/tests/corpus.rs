//! The shared corpus of real files (`../shared/corpus`, read in place, never copied):
//! every module source real configurations use parses as Terraform reads it.

use std::path::{Path, PathBuf};

/// The shared corpus of real files (`../shared/corpus`), read in place.
fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.join("INDEX.tsv").is_file() {
        Some(dir)
    } else if std::env::var_os("CI").is_some() {
        panic!("../shared/corpus is missing: CI must run with ../shared beside the checkout");
    } else {
        None
    }
}

/// Module sources and versions of real configurations: `modules.json` manifests and
/// the `module_calls` of plans.
fn corpus_sources(dir: &Path) -> Vec<(String, String)> {
    fn calls(v: &serde_json::Value, out: &mut Vec<(String, String)>, depth: usize) {
        let Some(m) = v.get("module_calls").and_then(|m| m.as_object()) else {
            return;
        };
        for c in m.values() {
            if let Some(s) = c.get("source").and_then(|s| s.as_str()) {
                let ver = c.get("version_constraint").and_then(|s| s.as_str());
                out.push((s.to_string(), ver.unwrap_or_default().to_string()));
            }
            if depth < 16 {
                if let Some(inner) = c.get("module") {
                    calls(inner, out, depth + 1);
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.join("modulesjson"), dir.join("plan")];
    let mut files = 0;
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            files += 1;
            assert!(files < 20_000, "corpus walk is bounded");
            if p.extension().and_then(|x| x.to_str()) != Some("json") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            for m in doc
                .get("Modules")
                .and_then(|m| m.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(s) = m.get("Source").and_then(|s| s.as_str()) {
                    let ver = m.get("Version").and_then(|s| s.as_str());
                    out.push((s.to_string(), ver.unwrap_or_default().to_string()));
                }
            }
            if let Some(root) = doc.pointer("/configuration/root_module") {
                calls(root, &mut out, 0);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_corpus_module_source_parses_as_terraform_reads_it() {
    let Some(dir) = corpus() else { return };
    let sources = corpus_sources(&dir);
    let (mut registry, mut git, mut http, mut local) = (0, 0, 0, 0);
    let mut failed = Vec::new();
    for (src, ver) in &sources {
        // The root module's own entry in modules.json has an empty source.
        if src.is_empty() || src.starts_with("./") || src.starts_with("../") {
            local += 1;
            continue;
        }
        match super::super::parse(src) {
            Ok(super::super::Source::Registry { .. }) => {
                registry += 1;
                if !ver.is_empty() {
                    super::super::version::Constraint::parse(ver)
                        .unwrap_or_else(|e| panic!("{src} version {ver:?}: {e}"));
                }
            }
            Ok(super::super::Source::Git(_)) => git += 1,
            Ok(super::super::Source::Http(_)) => http += 1,
            Err(e) => failed.push(e.to_string()),
        }
    }
    eprintln!(
        "corpus module sources: {} distinct; {registry} registry, {git} git, {http} http, {local} local or root, {} refused",
        sources.len(),
        failed.len()
    );
    assert!(
        registry >= 20 && git >= 10,
        "{registry} registry, {git} git"
    );
    // Only test fixtures' two-part addresses, which Terraform refuses too.
    for e in &failed {
        assert!(e.contains("somewhere/"), "{e}");
    }
}
