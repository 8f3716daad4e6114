//! Provider defaults: an optional attribute left unset (absent or null) is the value
//! the provider documents for it, so one environment that spells the default out and
//! another that leaves it unset configure the same thing. Looks the table
//! ([`PROVIDER_DEFAULTS`]) up and matches values against it; judges nothing else.

use super::catalog::{ProviderDefault, PROVIDER_DEFAULTS};
use crate::model::Value;
use std::collections::HashMap;

/// The documented default of `path` (attribute names through nested blocks, dotted:
/// `policy_settings.mode`) for resources of type `rtype`.
pub fn lookup(rtype: &str, path: &str) -> Option<ProviderDefault> {
    static MAP: std::sync::OnceLock<HashMap<(&'static str, &'static str), ProviderDefault>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        PROVIDER_DEFAULTS
            .iter()
            .map(|(t, p, d)| ((*t, *p), *d))
            .collect()
    })
    .get(&(rtype, path))
    .copied()
}

/// The default as text, the way a lens reads a scalar (`false`, `1000`, `Prevention`).
pub fn text(rtype: &str, path: &str) -> Option<String> {
    lookup(rtype, path).map(|d| match d {
        ProviderDefault::Bool(b) => b.to_string(),
        ProviderDefault::Int(n) => n.to_string(),
        ProviderDefault::Text(t) => t.to_string(),
    })
}

/// Whether `v` is the documented default of `path`. Legacy states write every scalar
/// as a string (`"false"`, `"1000"`), so strings are read as the default's type; names
/// compare without regard to case (`Prevention`, `prevention`), as the APIs do.
pub fn is_default(rtype: &str, path: &str, v: &Value) -> bool {
    let Some(d) = lookup(rtype, path) else {
        return false;
    };
    match (d, v) {
        (ProviderDefault::Bool(b), Value::Bool(x)) => *x == b,
        (ProviderDefault::Bool(b), Value::Str(s)) => s.parse::<bool>().ok() == Some(b),
        (ProviderDefault::Int(n), Value::Num(x)) => x.as_i64() == Some(n),
        (ProviderDefault::Int(n), Value::Str(s)) => s.trim().parse::<i64>().ok() == Some(n),
        (ProviderDefault::Text(t), Value::Str(s)) => s.eq_ignore_ascii_case(t),
        _ => false,
    }
}

/// Whether one side leaves the attribute at `path` unset and the other sets it to its
/// documented default: the same setting, written two ways.
pub fn one_side_defaulted(rtype: &str, path: &str, a: Option<&Value>, b: Option<&Value>) -> bool {
    let unset = |v: Option<&Value>| v.is_none_or(Value::is_null);
    match (unset(a), unset(b)) {
        (true, false) => b.is_some_and(|v| is_default(rtype, path, v)),
        (false, true) => a.is_some_and(|v| is_default(rtype, path, v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_match_their_documented_default() -> crate::TestResult {
        for (rtype, path, json, want) in [
            ("aws_lb", "enable_deletion_protection", "false", true),
            ("aws_lb", "enable_deletion_protection", "\"false\"", true),
            ("aws_lb", "enable_deletion_protection", "true", false),
            ("aws_lb", "idle_timeout", "60", true),
            ("aws_lb", "idle_timeout", "\"60\"", true),
            ("aws_lb", "idle_timeout", "120", false),
            ("google_compute_firewall", "direction", "\"INGRESS\"", true),
            ("google_compute_firewall", "direction", "\"ingress\"", true),
            ("google_compute_firewall", "direction", "\"EGRESS\"", false),
            (
                "azurerm_web_application_firewall_policy",
                "policy_settings.mode",
                "\"Prevention\"",
                true,
            ),
            // No documented default: nothing equals it.
            ("aws_lb", "internal", "false", false),
            ("aws_s3_bucket", "force_destroy", "false", false),
        ] {
            let v: Value = serde_json::from_str(json)?;
            assert_eq!(is_default(rtype, path, &v), want, "{rtype}.{path} = {json}");
        }
        let f = Value::Bool(false);
        assert!(one_side_defaulted(
            "aws_subnet",
            "map_public_ip_on_launch",
            None,
            Some(&f)
        ));
        assert!(one_side_defaulted(
            "aws_subnet",
            "map_public_ip_on_launch",
            Some(&f),
            Some(&Value::Null)
        ));
        assert!(!one_side_defaulted(
            "aws_subnet",
            "map_public_ip_on_launch",
            None,
            Some(&Value::Bool(true))
        ));
        assert!(!one_side_defaulted(
            "aws_subnet",
            "map_public_ip_on_launch",
            Some(&f),
            Some(&f)
        ));
        Ok(())
    }

    #[test]
    fn the_documentation_lists_the_table() {
        let doc = include_str!("../../docs/normalisation.md");
        for (t, p, _) in PROVIDER_DEFAULTS {
            let row = format!("| `{t}` |");
            assert!(
                doc.lines()
                    .any(|l| l.starts_with(&row) && l.contains(&format!("`{p}` ="))),
                "docs/normalisation.md does not list {t}.{p}"
            );
        }
    }

    #[test]
    fn the_table_has_one_entry_per_attribute() {
        let mut seen = std::collections::BTreeSet::new();
        for (t, p, _) in PROVIDER_DEFAULTS {
            assert!(seen.insert((t, p)), "{t}.{p} twice");
            assert!(!p.contains('[') && !p.ends_with('.'), "{t}.{p}");
        }
    }
}
