//! The discovery lens: what DNS zones mean. A zone that is private in one environment
//! and public in another answers different clients. Records, Cloud Map, Consul and
//! Kubernetes services are compared by the generic lens after normalisation. Makes
//! findings; never prints.

use super::generic::Input;
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
    let mut out = Vec::new();
    for row in rows {
        let Some(flip) = super::flip(input, row, zone_is_private, word) else {
            continue;
        };
        let path = AttrPath(vec![PathStep::Attr("visibility".into())]);
        out.push(Finding {
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

#[cfg(test)]
mod tests {
    use crate::lens::testing::compare;
    use crate::model::{Category, Kind};

    #[test]
    fn zone_visibility() -> crate::TestResult {
        let private = r#"{"id":"Z0AAA","name":"prod.internal","vpc":[{"vpc_id":"vpc-0aaa0001","vpc_region":"us-east-1"}]}"#;
        let public = r#"{"id":"Z0BBB","name":"staging.internal","vpc":[]}"#;
        let got: Vec<String> = compare(
            &[("aws_route53_zone.internal", private)],
            &[("aws_route53_zone.internal", public)],
        )?
        .iter()
        .filter(|f| f.kind == Kind::ZoneVisibility)
        .map(|f| format!("{} {}", f.severity, f.message))
        .collect();
        assert_eq!(
            got,
            ["high aws_route53_zone.internal is private in prod but public in staging."]
        );
        // GCP and Azure forms
        for (t, private, public) in [
            (
                "google_dns_managed_zone.z",
                r#"{"name":"internal","dns_name":"prod.internal.","visibility":"private","private_visibility_config":[{"networks":[{"network_url":"n"}]}]}"#,
                r#"{"name":"internal","dns_name":"staging.internal.","visibility":"public","private_visibility_config":[]}"#,
            ),
            (
                "azurerm_dns_zone.z",
                r#"{"name":"prod.example.com","zone_type":"Private"}"#,
                r#"{"name":"staging.example.com","zone_type":"Public"}"#,
            ),
        ] {
            let got: Vec<String> = compare(&[(t, private)], &[(t, public)])?
                .iter()
                .filter(|f| f.category == Category::Discovery)
                .map(|f| format!("{} {}", f.kind.as_str(), f.severity))
                .collect();
            assert_eq!(
                got,
                ["zone-visibility high"],
                "{t}: the visibility attributes are not repeated by the generic lens"
            );
        }
        let same = compare(
            &[("aws_route53_zone.internal", private)],
            &[("aws_route53_zone.internal", private)],
        )?;
        assert!(same.iter().all(|f| f.kind != Kind::ZoneVisibility));
        Ok(())
    }
}
