//! Lenses read aligned environments and emit findings in their category. Only the
//! generic lens exists so far; it covers every resource type, categorised by the type
//! catalog. Findings come out sorted (category, address, kind, path).

pub mod catalog;
pub mod generic;
pub mod severity;

use crate::align::Row;
use crate::model::Finding;

/// Runs every lens and sorts the findings.
pub fn run(input: &generic::Input<'_>, rows: &[Row<'_>]) -> Vec<Finding> {
    let mut findings = generic::findings(input, rows);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}
