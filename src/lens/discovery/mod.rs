//! The discovery lens: what clients find by name. A zone that is private in one
//! environment and public in another answers different clients; records and registered
//! services (Cloud Map, Service Directory, Consul, Kubernetes) are compared by what
//! they register, in [`registry`]. Makes findings; never prints.

pub mod registry;
#[cfg(test)]
mod tests;

use super::input::Input;
use crate::model::{AttrPath, Category, Finding, Kind, PathStep, Resource, Value};

/// Whether a DNS zone is private (visible only inside networks), if the type says.
pub fn zone_is_private(r: &Resource) -> Option<bool> {
    let a = &r.attributes;
    match r.address.rtype.as_str() {
        "aws_route53_zone" => Some(
            a.get("vpc")
                .and_then(Value::as_list)
                .is_some_and(|l| !l.is_empty()),
        ),
        "google_dns_managed_zone" => Some(
            a.get("visibility")
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case("private")),
        ),
        "azurerm_private_dns_zone" => Some(true),
        "azurerm_dns_zone" => Some(
            a.get("zone_type")
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case("private")),
        ),
        _ => None,
    }
}

/// Attributes that only restate a zone's visibility: when visibility differs, the
/// generic lens leaves them to this lens.
pub const VISIBILITY_ATTRS: &[(&str, &str)] = &[
    ("aws_route53_zone", "vpc"),
    ("google_dns_managed_zone", "visibility"),
    ("google_dns_managed_zone", "private_visibility_config"),
    ("azurerm_dns_zone", "zone_type"),
];

/// Whether the generic lens should leave `attr` of these two instances alone.
pub fn claims(a: &Resource, b: &Resource, attr: Option<&str>) -> bool {
    let Some(attr) = attr else { return false };
    VISIBILITY_ATTRS.contains(&(a.address.rtype.as_str(), attr))
        && zone_is_private(a) != zone_is_private(b)
}

/// Every discovery finding: zones whose visibility differs from the baseline's.
pub fn findings(input: &Input<'_>, rows: &[crate::align::Row<'_>]) -> Vec<Finding> {
    let word = |p: bool| if p { "private" } else { "public" };
    let mut out = registry::findings(input);
    for row in rows {
        let Some(flip) = super::input::flip(input, row, zone_is_private, word) else {
            continue;
        };
        let path = AttrPath(vec![PathStep::Attr("visibility".into())]);
        out.push(Finding {
            resources: Default::default(),
            differing: Default::default(),
            id: Finding::stable_id(
                Category::Discovery,
                Kind::ZoneVisibility,
                row.address,
                Some(&path),
            ),
            category: Category::Discovery,
            kind: Kind::ZoneVisibility,
            // A zone that becomes public publishes names meant for inside.
            severity: super::severity::exposure_change(flip.changed.iter().any(|p| !p)),
            address: row.address.clone(),
            path: Some(path),
            environments: flip.environments,
            message: format!("{} {}.", row.address, flip.sentence),
        });
    }
    out
}
