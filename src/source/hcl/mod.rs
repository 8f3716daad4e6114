//! HCL root modules as environments: the `tfparity-hcl` crate evaluates the
//! configuration, and this adapter makes each resource instance it finds into the
//! model's [`Resource`], the same a state file gives. Converts; never evaluates, never
//! judges.

mod convert;
#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::model::Resource;
use std::path::Path;
pub use tfparity_hcl::confine::DEFAULT_MAX_FILE_SIZE;
pub use tfparity_hcl::fetch::Fetcher;
pub use tfparity_hcl::{Access, Built, Options, Workspace};

impl From<tfparity_hcl::LoadError> for Error {
    fn from(e: tfparity_hcl::LoadError) -> Error {
        Error::Input {
            path: e.path,
            location: e.line_col,
            // The evaluator shows URLs without credentials; said once more at the
            // boundary, as everything from it that names a source or a URL.
            what: tfparity_hcl::scrub::urls(&e.what),
        }
    }
}

/// Why part of the configuration was not expanded, as the model says it.
pub fn not_expanded(why: tfparity_hcl::NotExpanded) -> crate::model::NotExpanded {
    use crate::model::NotExpanded as M;
    use tfparity_hcl::NotExpanded as H;
    match why {
        H::Count => M::Count,
        H::ForEach => M::ForEach,
        H::SomeKeys => M::SomeKeys,
        H::Source(s) => M::Source(tfparity_hcl::scrub::urls(&s)),
    }
}

/// Evaluates the root module in `dir` for environment `env`, with its own variable
/// files and then `var_files` in order: its resource instances and the warnings about
/// what could not be evaluated.
pub fn load(dir: &Path, var_files: &[String], env: &str) -> Result<(Vec<Resource>, Vec<String>)> {
    load_with_origins(dir, var_files, env, &Options::default()).map(|(b, w)| (b.resources, w))
}

/// [`load`], and where each instance and resource block is written, and what could not
/// be expanded.
pub fn load_with_origins(
    dir: &Path,
    var_files: &[String],
    env: &str,
    options: &Options<'_>,
) -> Result<(Built<Resource>, Vec<String>)> {
    let (built, warnings) = tfparity_hcl::load(dir, var_files, env, options, convert::resource)?;
    let warnings = warnings
        .iter()
        .map(|w| tfparity_hcl::scrub::urls(w))
        .collect();
    Ok((built, warnings))
}
