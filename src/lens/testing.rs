//! Helpers for lens tests: two environments built from `(address, attributes JSON)`
//! pairs, given reference edges as loading gives them, and compared.

use crate::model::{Environment, Finding};

/// The findings of comparing `prod` (the baseline) with `staging`.
pub(crate) fn compare(
    prod: &[(&str, &str)],
    staging: &[(&str, &str)],
) -> crate::TestResult<Vec<Finding>> {
    Ok(compare_envs(vec![
        Environment::for_tests("prod", prod)?,
        Environment::for_tests("staging", staging)?,
    ]))
}

/// The findings of comparing loaded environments (the first is the baseline), given
/// reference edges as loading gives them.
pub(crate) fn compare_envs(mut envs: Vec<Environment>) -> Vec<Finding> {
    for e in envs.iter_mut() {
        crate::normalize::add_reference_edges(e);
    }
    crate::compare_loaded(&envs, 0).findings
}

/// A finding as `kind severity address: message`.
pub(crate) fn line(f: &Finding) -> String {
    format!(
        "{} {} {}: {}",
        f.kind.as_str(),
        f.severity,
        f.address,
        f.message
    )
}

/// Every finding of comparing `prod` with `staging`, one [`line`] each.
pub(crate) fn lines(
    prod: &[(&str, &str)],
    staging: &[(&str, &str)],
) -> crate::TestResult<Vec<String>> {
    Ok(compare(prod, staging)?.iter().map(line).collect())
}
