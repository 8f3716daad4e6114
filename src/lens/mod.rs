//! Lenses read aligned environments and emit findings in their category: the firewall
//! lens compares rules as allowed traffic; the generic lens covers every resource and
//! attribute no other lens claims (`claims` says which lens takes what; the lenses'
//! shared input is in `input`, which imports no lens). Findings come out sorted
//! (category, address, kind, path).

pub mod attrs;
pub mod catalog;
pub mod claims;
pub mod coverage;
pub mod discovery;
pub mod exposure;
pub mod firewall;
pub mod generic;
pub mod input;
pub mod network;
pub mod severity;
#[cfg(test)]
pub(crate) mod testing;

use crate::align::Row;
use crate::model::Finding;

/// Runs every lens and sorts the findings; says which parts were not compared.
pub fn run(
    input: &input::Input<'_>,
    rows: &[Row<'_>],
) -> (Vec<Finding>, Vec<crate::model::NotCompared>) {
    // The generic lens is the largest and parallel itself; the others run beside it.
    let (mut findings, others) = rayon::join(
        || generic::findings(input, rows),
        || {
            let (mut a, b) = rayon::join(
                || firewall::findings(input),
                || discovery::findings(input, rows),
            );
            a.extend(b);
            a.extend(network::findings(input));
            a.extend(network::routes::findings(input));
            a.extend(network::balancers::findings(input));
            a.extend(exposure::findings(input, rows));
            a.extend(firewall::waf::findings(input, rows));
            a
        },
    );
    findings.extend(others);
    let (covered, mut not_compared) = coverage::findings(input);
    findings.extend(covered);
    // Parts other lenses could not compare (a firewall's rules known only after apply).
    for f in &findings {
        if f.category != crate::model::Category::Coverage
            || not_compared
                .iter()
                .any(|p| p.address == f.address.to_string())
        {
            continue;
        }
        let mut reason = String::new();
        let environments = f
            .environments
            .iter()
            .filter_map(|(e, v)| {
                let why = v.strip_prefix(firewall::NOT_COMPARED)?;
                reason = why.trim_start_matches(": ").to_string();
                Some(e.clone())
            })
            .collect();
        let address = match &f.path {
            Some(p) => format!("{} ({p})", f.address),
            None => f.address.to_string(),
        };
        not_compared.push(crate::model::NotCompared {
            address,
            environments,
            reason,
        });
    }
    not_compared.sort_by(|a, b| a.address.cmp(&b.address));
    // Every lens's messages and values have a length a report row can hold.
    for f in &mut findings {
        f.cap();
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    (findings, not_compared)
}
