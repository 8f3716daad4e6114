//! The exposure lens: whether a resource is reachable from the internet, read from the
//! attribute that decides it (a load balancer's `internal`, a forwarding rule's scheme,
//! a Kubernetes service's type, a database's `publicly_accessible`). A resource that is
//! exposed in one environment and not in the baseline is said in those words. Makes
//! findings; never prints.

use super::catalog::category_of;
use super::input::Input;
use crate::align::Row;
use crate::model::{AttrPath, Finding, Kind, PathStep, Resource, Value};
use crate::normalize::diff::value_at;

/// How to read exposure: `(type, attribute path, values meaning exposed)`. A value not
/// listed means not exposed; an absent attribute means unknown.
const EXPOSURE: &[(&str, &[&str], &[&str])] = &[
    ("aws_lb", &["internal"], &["false"]),
    ("aws_alb", &["internal"], &["false"]),
    ("aws_elb", &["internal"], &["false"]),
    ("aws_db_instance", &["publicly_accessible"], &["true"]),
    (
        "aws_rds_cluster_instance",
        &["publicly_accessible"],
        &["true"],
    ),
    ("aws_redshift_cluster", &["publicly_accessible"], &["true"]),
    (
        "google_compute_forwarding_rule",
        &["load_balancing_scheme"],
        &["EXTERNAL", "EXTERNAL_MANAGED"],
    ),
    (
        "google_compute_global_forwarding_rule",
        &["load_balancing_scheme"],
        &["EXTERNAL", "EXTERNAL_MANAGED"],
    ),
    ("aws_instance", &["associate_public_ip_address"], &["true"]),
    (
        "google_sql_database_instance",
        &["settings", "0", "ip_configuration", "0", "ipv4_enabled"],
        &["true"],
    ),
    (
        "kubernetes_service",
        &["spec", "0", "type"],
        &["LoadBalancer", "NodePort"],
    ),
    (
        "kubernetes_service_v1",
        &["spec", "0", "type"],
        &["LoadBalancer", "NodePort"],
    ),
];

/// Exposure read from a list of blocks: `(type, list attribute, item attributes)` —
/// exposed when any block sets any of those attributes (an Azure frontend with a public
/// IP, a GCP instance's network interface with an access config).
const EXPOSED_WHEN_SET: &[(&str, &str, &[&str])] = &[
    (
        "azurerm_lb",
        "frontend_ip_configuration",
        &["public_ip_address_id", "public_ip_prefix_id"],
    ),
    (
        "azurerm_application_gateway",
        "frontend_ip_configuration",
        &["public_ip_address_id"],
    ),
    (
        "google_compute_instance",
        "network_interface",
        &["access_config"],
    ),
];

/// Block fields that say a list-read exposure and are not said again. (A frontend's
/// subnet and private address are still compared: another frontend may have moved.)
const FOLLOWS_EXPOSURE: &[&str] = &[
    "public_ip_address_id",
    "public_ip_prefix_id",
    "access_config",
];

/// What the exposure lens says for a pair, so the generic lens does not repeat it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    path: AttrPath,
    /// A list-read exposure: only the fields that say it ([`FOLLOWS_EXPOSURE`]) of the
    /// list's blocks, not the whole list.
    in_blocks: bool,
}

impl Claim {
    /// Whether a difference at `p` is part of what the exposure finding says.
    pub fn covers(&self, p: &AttrPath) -> bool {
        if !self.in_blocks {
            return p == &self.path;
        }
        p.starts_with(&self.path)
            && p.0
                .iter()
                .any(|s| matches!(s, PathStep::Attr(a) if FOLLOWS_EXPOSURE.contains(&a.as_ref())))
    }
}

/// Whether a block sets an attribute: `None` when that is known only after apply.
fn is_set(v: Option<&Value>) -> Option<bool> {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Some(false),
        Some(Value::Unknown(_)) => None,
        Some(Value::Str(s)) => Some(!s.is_empty()),
        Some(Value::List(l)) => Some(!l.is_empty()),
        Some(_) => Some(true),
    }
}

fn path_of(steps: &[&str]) -> AttrPath {
    AttrPath(
        steps
            .iter()
            .enumerate()
            .map(|(i, s)| match s.parse::<i64>() {
                Ok(n) if i > 0 => PathStep::Index(n),
                _ => PathStep::Attr((*s).into()),
            })
            .collect(),
    )
}

/// Whether the resource is exposed to the internet, when its type says how to tell.
pub fn exposed(r: &Resource) -> Option<(bool, AttrPath)> {
    if let Some((_, list, attrs)) = EXPOSED_WHEN_SET
        .iter()
        .find(|(t, _, _)| *t == r.address.rtype)
    {
        let blocks = r.attributes.get(list)?.as_list()?;
        let mut any = false;
        for b in blocks {
            for a in *attrs {
                // A public address known only after apply: exposure unknown.
                any |= is_set(b.get(a))?;
            }
        }
        return Some((any, AttrPath(vec![PathStep::Attr((*list).into())])));
    }
    let (_, steps, yes) = EXPOSURE.iter().find(|(t, _, _)| *t == r.address.rtype)?;
    let path = path_of(steps);
    let text = match value_at(&r.attributes, &path) {
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Str(s)) => s.to_string(),
        // Unset: the provider's documented default, where there is one (a forwarding
        // rule's scheme is `EXTERNAL`); otherwise exposure is not known.
        None | Some(Value::Null) => {
            let dotted: Vec<&str> = steps
                .iter()
                .copied()
                .filter(|s| s.parse::<usize>().is_err())
                .collect();
            crate::normalize::defaults::text(&r.address.rtype, &dotted.join("."))?
        }
        _ => return None,
    };
    Some((yes.iter().any(|y| y.eq_ignore_ascii_case(&text)), path))
}

/// What the exposure lens reports for this pair, if anything: the generic lens leaves
/// the differences it covers alone.
pub fn claims(a: &Resource, b: &Resource) -> Option<Claim> {
    match (exposed(a), exposed(b)) {
        (Some((x, path)), Some((y, _))) if x != y => Some(Claim {
            path,
            in_blocks: EXPOSED_WHEN_SET
                .iter()
                .any(|(t, _, _)| *t == a.address.rtype),
        }),
        _ => None,
    }
}

/// Every exposure finding.
pub fn findings(input: &Input<'_>, rows: &[Row<'_>]) -> Vec<Finding> {
    let word = |e: bool| {
        if e {
            "reachable from the internet"
        } else {
            "internal"
        }
    };
    let mut out = Vec::new();
    for row in rows {
        let Some(flip) = super::input::flip(input, row, |r| exposed(r).map(|(e, _)| e), word)
        else {
            continue;
        };
        // The baseline's exposure is known, so is the attribute that says it.
        let Some((_, path)) = row.present[input.baseline]
            .and_then(|i| exposed(&input.envs[input.baseline].resources[i]))
        else {
            continue;
        };
        let category = category_of(&row.address.rtype);
        out.push(Finding {
            resources: Default::default(),
            differing: Default::default(),
            id: Finding::stable_id(category, Kind::Exposure, row.address, Some(&path)),
            category,
            kind: Kind::Exposure,
            // Newly reachable from the internet is what must not slip through.
            severity: super::severity::exposure_change(flip.changed.iter().any(|e| *e)),
            address: row.address.clone(),
            message: format!("{} {} (`{path}`).", row.address, flip.sentence),
            path: Some(path),
            environments: flip.environments,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    /// Every finding as `kind severity message`.
    fn run(prod: &[(&str, &str)], staging: &[(&str, &str)]) -> crate::TestResult<Vec<String>> {
        Ok(crate::lens::testing::compare(prod, staging)?
            .iter()
            .map(|f| format!("{} {} {}", f.kind.as_str(), f.severity, f.message))
            .collect())
    }

    #[test]
    fn exposure_changes() -> crate::TestResult {
        for (t, a, b, want) in [
            ("aws_lb.web", r#"{"internal":true}"#, r#"{"internal":false}"#, "exposure high aws_lb.web is internal in prod but reachable from the internet in staging (`internal`)."),
            ("aws_db_instance.db", r#"{"publicly_accessible":true}"#, r#"{"publicly_accessible":false}"#, "exposure medium aws_db_instance.db is reachable from the internet in prod but internal in staging (`publicly_accessible`)."),
            ("kubernetes_service_v1.api", r#"{"spec":[{"type":"ClusterIP"}]}"#, r#"{"spec":[{"type":"LoadBalancer"}]}"#, "exposure high kubernetes_service_v1.api is internal in prod but reachable from the internet in staging (`spec[0].type`)."),
            ("google_compute_forwarding_rule.fr", r#"{"load_balancing_scheme":"INTERNAL"}"#, r#"{"load_balancing_scheme":"EXTERNAL"}"#, "exposure high google_compute_forwarding_rule.fr is internal in prod but reachable from the internet in staging (`load_balancing_scheme`)."),
            ("azurerm_lb.app", r#"{"frontend_ip_configuration":[{"name":"fe","public_ip_address_id":""}]}"#, r#"{"frontend_ip_configuration":[{"name":"fe","public_ip_address_id":"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/lb"}]}"#, "exposure high azurerm_lb.app is internal in prod but reachable from the internet in staging (`frontend_ip_configuration`)."),
            ("google_compute_instance.bastion", r#"{"network_interface":[{"network":"n","access_config":[{"nat_ip":"34.1.2.3"}]}]}"#, r#"{"network_interface":[{"network":"n","access_config":[]}]}"#, "exposure medium google_compute_instance.bastion is reachable from the internet in prod but internal in staging (`network_interface`)."),
            // Unset, a forwarding rule's scheme is the provider's default, EXTERNAL.
            ("google_compute_forwarding_rule.fr", r#"{"load_balancing_scheme":"INTERNAL"}"#, r#"{"load_balancing_scheme":null}"#, "exposure high google_compute_forwarding_rule.fr is internal in prod but reachable from the internet in staging (`load_balancing_scheme`)."),
            ("aws_instance.web", r#"{"associate_public_ip_address":false}"#, r#"{"associate_public_ip_address":true}"#, "exposure high aws_instance.web is internal in prod but reachable from the internet in staging (`associate_public_ip_address`)."),
            ("google_sql_database_instance.db", r#"{"settings":[{"ip_configuration":[{"ipv4_enabled":false}]}]}"#, r#"{"settings":[{"ip_configuration":[{"ipv4_enabled":true}]}]}"#, "exposure high google_sql_database_instance.db is internal in prod but reachable from the internet in staging (`settings[0].ip_configuration[0].ipv4_enabled`)."),
        ] {
            assert_eq!(run(&[(t, a)], &[(t, b)])?, [want]);
        }
        assert!(run(
            &[("aws_lb.web", r#"{"internal":true}"#)],
            &[("aws_lb.web", r#"{"internal":true}"#)]
        )?
        .is_empty());
        // A frontend's public address known only after apply (a plan): exposure unknown.
        use crate::model::{Address, Resource, Value};
        let frontend = |v: Value| {
            Value::object(vec![(
                "frontend_ip_configuration".into(),
                Value::List(vec![Value::object(vec![("public_ip_address_id".into(), v)])].into()),
            )])
        };
        let lb = |v: Value| -> crate::TestResult<Resource> {
            Ok(Resource::new(
                Address::parse("azurerm_lb.app")?,
                frontend(v),
            ))
        };
        assert_eq!(super::exposed(&lb(Value::Unknown(None))?), None);
        assert_eq!(
            super::exposed(&lb(Value::Bool(false))?).map(|e| e.0),
            Some(false)
        );
        assert_eq!(
            super::exposed(&lb(Value::str("pip-1"))?).map(|e| e.0),
            Some(true)
        );
        Ok(())
    }
}
