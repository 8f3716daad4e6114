//! Entry points for the fuzz targets in `fuzz/` and their regression tests: whatever a
//! reader accepted is compared and rendered in every format, never a crash.

use crate::model::{Environment, Resource, Source, SourceKind};
use crate::report::{render, Format};

/// Compares what a reader read (as `prod`) with itself in another environment
/// (`staging`), and renders the report in every format: the total length of the
/// renderings, or why the resources were not an environment.
pub fn compare_with_itself(parsed: (SourceKind, Vec<Resource>)) -> Result<usize, String> {
    let (kind, resources) = parsed;
    let env = |name: &str| {
        Environment::new(
            name.into(),
            Source {
                kind,
                path: "input.json".into(),
            },
            resources.clone(),
        )
        .map_err(|a| format!("duplicate address {a}"))
    };
    let mut envs = vec![env("prod")?, env("staging")?];
    for e in envs.iter_mut() {
        crate::normalize::add_reference_edges(e);
    }
    let report = crate::compare_loaded(&envs, 0);
    Ok(Format::ALL
        .into_iter()
        .map(|f| render(&report, f, false, false).len())
        .sum())
}
