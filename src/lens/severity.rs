//! The severity policy, in one place: how much a difference matters given its category,
//! its kind and where it is. Lenses ask; they do not decide.

use crate::model::{AttrPath, Category, Kind, Mode, Severity};

/// Top-level attributes whose differences are cosmetic.
const COSMETIC_ATTRS: &[&str] = &[
    "tags",
    "description",
    "labels_description",
    "display_name",
    "name",
    "name_prefix",
];

/// `(category, missing, attribute, reference)` severities for managed resources.
const TABLE: &[(Category, Severity, Severity, Severity)] = &[
    (
        Category::Network,
        Severity::High,
        Severity::Medium,
        Severity::Medium,
    ),
    (
        Category::Firewall,
        Severity::High,
        Severity::High,
        Severity::High,
    ),
    (
        Category::Discovery,
        Severity::Medium,
        Severity::Medium,
        Severity::Medium,
    ),
    (
        Category::Resource,
        Severity::Medium,
        Severity::Low,
        Severity::Low,
    ),
];

/// Severity of a difference in a secret value: each environment is expected to have
/// its own secrets, so the difference is reported, for the record, as `info`.
pub const SECRET_DIFFERENCE: Severity = Severity::Info;

/// Severity of a generic finding.
pub fn generic(category: Category, kind: Kind, mode: Mode, path: Option<&AttrPath>) -> Severity {
    if path
        .and_then(AttrPath::top)
        .is_some_and(|t| COSMETIC_ATTRS.contains(&t))
    {
        return Severity::Info;
    }
    if mode == Mode::Data {
        // A data source reads what exists; its differences follow from others.
        return if kind == Kind::Missing {
            Severity::Low
        } else {
            Severity::Info
        };
    }
    let row = TABLE
        .iter()
        .find(|r| r.0 == category)
        .copied()
        .unwrap_or(TABLE[3]);
    match kind {
        Kind::Missing => row.1,
        Kind::Attribute
        | Kind::AllowsMore
        | Kind::AllowsLess
        | Kind::SubnetLayout
        | Kind::NatLayout
        | Kind::SubnetTier
        | Kind::ZoneVisibility
        | Kind::Exposure
        | Kind::Route
        | Kind::NetworkLinks
        | Kind::Record
        | Kind::Service
        | Kind::Listener
        | Kind::WafPolicy
        | Kind::WafRule
        | Kind::WafManaged => row.2,
        Kind::Reference => row.3,
        Kind::KnownAfterApply => KNOWN_AFTER_APPLY,
        Kind::NotCompared => not_compared(false),
        Kind::CrossEnvironment => CROSS_ENVIRONMENT,
    }
}

/// An environment writing another's name, network, zone or account where it writes its
/// own everywhere else: a leak between environments, whatever the resource.
pub const CROSS_ENVIRONMENT: Severity = Severity::High;

/// A value known in one environment and only after apply in another: said, for the
/// record; whether the values will differ is not known until apply.
pub const KNOWN_AFTER_APPLY: Severity = Severity::Info;

/// Severity of a part not compared. A module call not read hides everything inside it:
/// `high`, so that a partial comparison fails a gate at `high` and below. A block whose
/// `count` / `for_each` is known only after apply: `low`, so that the default gate fails
/// and a user who accepts unknown counts says `--fail-on medium`.
pub fn not_compared(module_not_read: bool) -> Severity {
    if module_not_read {
        Severity::High
    } else {
        Severity::Low
    }
}

/// Severity of a semantic difference that either opens something up (`wider`: a
/// subnet or zone becomes public, a resource reachable from the internet, a route
/// that now leaves through an internet gateway) or does not.
pub fn exposure_change(wider: bool) -> Severity {
    if wider {
        Severity::High
    } else {
        Severity::Medium
    }
}

/// Severity of a layout difference (subnets, NAT placement, what a network connects
/// to): `lacking` when the environment has less than the baseline.
pub fn layout(kind: Kind, lacking: bool) -> Severity {
    match kind {
        Kind::SubnetLayout => Severity::Medium,
        _ if lacking => Severity::Medium,
        _ => Severity::Low,
    }
}

/// How a registration (a DNS record, a service) differs from the baseline's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// Registered in some environments only.
    Missing,
    /// Answers with other destinations: targets, ports, selector, source ranges.
    Destinations,
    /// TTL, routing policy, health checks, metadata only.
    Other,
}

/// Severity of a registration difference: clients sent elsewhere or finding nothing —
/// medium; the same destinations answered otherwise — low.
pub fn registration(change: Registration) -> Severity {
    match change {
        Registration::Missing | Registration::Destinations => Severity::Medium,
        Registration::Other => Severity::Low,
    }
}

/// How a load balancer's listener on one port differs from the baseline's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListenerChange {
    /// The environment listens on a port where the baseline does not.
    Extra,
    /// The environment does not listen on a port where the baseline does.
    Missing,
    /// The listener no longer terminates TLS (HTTPS → HTTP, TLS → TCP) or lost its
    /// certificate.
    Plaintext,
    /// Anything else: TLS policy, ALPN, mutual TLS, protocol, target, backend port.
    Other,
}

/// Severity of a listener difference; `internet_facing` when the environment's balancer
/// is reachable from the internet. A new way in, or traffic from the internet no longer
/// encrypted, is high; a listener the baseline lacks on an internal balancer is low;
/// everything else may break what works in the baseline, medium.
pub fn listener(change: ListenerChange, internet_facing: bool) -> Severity {
    match change {
        ListenerChange::Extra | ListenerChange::Plaintext if internet_facing => Severity::High,
        ListenerChange::Extra => Severity::Low,
        ListenerChange::Missing | ListenerChange::Plaintext | ListenerChange::Other => {
            Severity::Medium
        }
    }
}

/// Severity of a firewall difference: more traffic allowed from the internet is
/// critical, more traffic otherwise high, less traffic (something may break when the
/// change is promoted) medium.
pub fn firewall(kind: Kind, ingress: bool, reaches_internet: bool) -> Severity {
    match kind {
        Kind::AllowsMore if ingress && reaches_internet => Severity::Critical,
        Kind::AllowsMore => Severity::High,
        _ => Severity::Medium,
    }
}

/// How a web application firewall's setting differs from the baseline's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WafChange {
    /// It enforces less: prevention to detection, block to count or allow, a blocking
    /// rule or managed rule set gone, an allow rule added.
    Weaker,
    /// It enforces more: something that works in the baseline may be stopped.
    Stronger,
    /// Another value of the same strength (`deny(403)` and `deny(404)`).
    Alike,
    /// Which way it goes cannot be told: a priority, a match condition, a version.
    Unranked,
    /// Descriptions and names.
    Cosmetic,
    /// What a rule that only counts or logs matches.
    Neutral,
}

/// Severity of a WAF difference. Less enforcement is high, like any firewall attribute
/// whose effect cannot be told; more enforcement or the same strength otherwise is
/// medium; what only counts or logs is low. (An allow-list widened to every address is
/// [`firewall`]'s critical.)
pub fn waf(change: WafChange) -> Severity {
    match change {
        WafChange::Weaker | WafChange::Unranked => Severity::High,
        WafChange::Stronger | WafChange::Alike => Severity::Medium,
        WafChange::Neutral => Severity::Low,
        WafChange::Cosmetic => Severity::Info,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PathStep;

    #[test]
    fn policy() {
        let tags = AttrPath(vec![
            PathStep::Attr("tags".into()),
            PathStep::Key("Team".into()),
        ]);
        let ttl = AttrPath(vec![PathStep::Attr("ttl".into())]);
        for (cat, kind, mode, path, want) in [
            (
                Category::Firewall,
                Kind::Attribute,
                Mode::Managed,
                Some(&ttl),
                Severity::High,
            ),
            (
                Category::Firewall,
                Kind::Attribute,
                Mode::Managed,
                Some(&tags),
                Severity::Info,
            ),
            (
                Category::Network,
                Kind::Missing,
                Mode::Managed,
                None,
                Severity::High,
            ),
            (
                Category::Network,
                Kind::Missing,
                Mode::Data,
                None,
                Severity::Low,
            ),
            (
                Category::Resource,
                Kind::Attribute,
                Mode::Data,
                Some(&ttl),
                Severity::Info,
            ),
            (
                Category::Discovery,
                Kind::Attribute,
                Mode::Managed,
                Some(&ttl),
                Severity::Medium,
            ),
            (
                Category::Resource,
                Kind::Reference,
                Mode::Managed,
                Some(&ttl),
                Severity::Low,
            ),
        ] {
            assert_eq!(generic(cat, kind, mode, path), want);
        }
    }

    #[test]
    fn listener_policy() {
        use ListenerChange::*;
        for (change, internet, want) in [
            (Extra, true, Severity::High),
            (Extra, false, Severity::Low),
            (Plaintext, true, Severity::High),
            (Plaintext, false, Severity::Medium),
            (Missing, true, Severity::Medium),
            (Missing, false, Severity::Medium),
            (Other, true, Severity::Medium),
            (Other, false, Severity::Medium),
        ] {
            assert_eq!(listener(change, internet), want, "{change:?} {internet}");
        }
    }
}
