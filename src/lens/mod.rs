//! Lenses read aligned environments and emit findings in their category: the firewall
//! lens compares rules as allowed traffic; the generic lens covers every resource and
//! attribute no other lens claims. Findings come out sorted (category, address, kind,
//! path).

pub mod catalog;
pub mod discovery;
pub mod exposure;
pub mod firewall;
pub mod generic;
pub mod network;
pub mod severity;
#[cfg(test)]
pub(crate) mod testing;

use crate::align::Row;
use crate::model::Finding;

/// Runs every lens and sorts the findings.
pub fn run(input: &generic::Input<'_>, rows: &[Row<'_>]) -> Vec<Finding> {
    let (mut findings, firewall) = rayon::join(
        || generic::findings(input, rows),
        || firewall::findings(input),
    );
    findings.extend(firewall);
    findings.extend(network::findings(input));
    findings.extend(network::routes::findings(input));
    findings.extend(discovery::findings(input, rows));
    findings.extend(exposure::findings(input, rows));
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}
