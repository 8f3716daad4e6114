//! Findings: one difference between environments, as data. Lenses make them, renderers
//! print them; nothing here decides what is a difference.

use super::address::Address;
use super::resource::AttrPath;
use std::collections::BTreeMap;
use std::fmt;

/// Which lens a finding belongs to. Declaration order is report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Network,
    Firewall,
    Discovery,
    Resource,
    /// A part of an environment that could not be compared: a module not read, a
    /// block not expanded.
    Coverage,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Network,
        Category::Firewall,
        Category::Discovery,
        Category::Resource,
        Category::Coverage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Network => "network",
            Category::Firewall => "firewall",
            Category::Discovery => "discovery",
            Category::Resource => "resource",
            Category::Coverage => "coverage",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a finding matters. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Most severe first, as reports list them.
    pub const DESCENDING: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kinds of difference the generic engine reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An instance exists in some environments and not in others.
    Missing,
    /// An attribute value differs.
    Attribute,
    /// An attribute points to different logical resources (or to none).
    Reference,
    /// A firewall allows traffic the baseline's does not.
    AllowsMore,
    /// A firewall no longer allows traffic the baseline's allows.
    AllowsLess,
    /// A network has a different number of public or private subnets.
    SubnetLayout,
    /// A network has NAT gateways in a different number of zones.
    NatLayout,
    /// A subnet is public in one environment and private in another.
    SubnetTier,
    /// A DNS zone is public in one environment and private in another.
    ZoneVisibility,
    /// A resource is reachable from the internet in one environment and internal in another.
    Exposure,
    /// A route table sends a destination somewhere else (or nowhere).
    Route,
    /// A network connects to different endpoints, peers, transit gateways or VPNs.
    NetworkLinks,
    /// A DNS record answers differently (targets, TTL, routing).
    Record,
    /// A registered service (Cloud Map, Service Directory, Consul, Kubernetes) answers
    /// differently (ports, selector, records, health checks).
    Service,
    /// A load balancer listens differently on a port (or only in some environments).
    Listener,
    /// A web application firewall policy's own settings differ: its mode (prevention or
    /// detection), whether it is on, its default action.
    WafPolicy,
    /// A web application firewall's custom rule differs (its action, whether it is on,
    /// its priority, what it matches), or exists in one environment only.
    WafRule,
    /// A web application firewall's managed rule set or rule group differs (version,
    /// per-rule overrides, exclusions), or is used in one environment only.
    WafManaged,
    /// A part that could not be compared (category coverage).
    NotCompared,
    /// A value is known in one environment and only after apply in another.
    KnownAfterApply,
    /// An environment writes the baseline's name or identifier where it writes its own
    /// everywhere else (a broken correspondence).
    CrossEnvironment,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::Attribute => "attribute",
            Kind::Reference => "reference",
            Kind::AllowsMore => "allows-more",
            Kind::AllowsLess => "allows-less",
            Kind::SubnetLayout => "subnet-layout",
            Kind::NatLayout => "nat-layout",
            Kind::SubnetTier => "subnet-tier",
            Kind::ZoneVisibility => "zone-visibility",
            Kind::Exposure => "exposure",
            Kind::Route => "route",
            Kind::NetworkLinks => "network-links",
            Kind::Record => "record",
            Kind::Service => "service",
            Kind::Listener => "listener",
            Kind::WafPolicy => "waf-policy",
            Kind::WafRule => "waf-rule",
            Kind::WafManaged => "waf-managed",
            Kind::NotCompared => "not-compared",
            Kind::KnownAfterApply => "known-after-apply",
            Kind::CrossEnvironment => "cross-environment",
        }
    }
}

/// One part of the configuration that some environment did not compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCompared {
    /// The block or module call, as the first environment that has it writes it.
    pub address: String,
    /// The environments that did not compare it.
    pub environments: Vec<String>,
    /// Why, as the end of a sentence (the first environment's reason).
    pub reason: String,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable across runs for the same difference (see [`Finding::stable_id`]).
    pub id: String,
    pub category: Category,
    pub kind: Kind,
    pub severity: Severity,
    pub address: Address,
    /// The attribute the difference is in, if any.
    pub path: Option<AttrPath>,
    /// What each environment has, by environment name, display-ready and secret-free.
    pub environments: BTreeMap<String, String>,
    pub message: String,
    /// The resources that write the difference, by environment name, when a lens
    /// reports it on the container they write into: the `aws_lb_listener` behind a
    /// balancer's listener, the `aws_security_group_rule` behind a group's rule, the
    /// `aws_route` behind a table's route. Empty when `address` alone writes it.
    pub resources: BTreeMap<String, Vec<Address>>,
    /// What each environment has in the part that differs, by environment name, when
    /// `environments` shows more than that part (a listener's whole description, whose
    /// target differs by balancer): findings on many addresses whose differing parts
    /// are alike have one cause. Empty when `environments` is the difference itself.
    pub differing: BTreeMap<String, String>,
}

/// The longest message a finding carries, in characters; a longer one is cut, with a
/// marker saying so ([`cut`]).
pub const MAX_MESSAGE: usize = 600;

/// The longest value of one environment a finding carries, in characters.
pub const MAX_VALUE: usize = 300;

/// `s` cut to at most `max` characters and a marker that says it was cut and how long
/// it was (`… (cut: 4312 characters in all)`), or `None` when it is short enough. A cut
/// that leaves a code span open (an odd number of backticks) closes it, so that the
/// marker reads as prose.
pub fn cut(s: &str, max: usize) -> Option<String> {
    let total = s.chars().count();
    if total <= max {
        return None;
    }
    let marker = format!("… (cut: {total} characters in all)");
    let keep = max.saturating_sub(marker.chars().count() + 1);
    let mut out: String = s.chars().take(keep).collect();
    if out.matches('`').count() % 2 == 1 {
        out.push('`');
    }
    out.push_str(&marker);
    Some(out)
}

impl Finding {
    /// Cuts the message, and each environment's value, to [`MAX_MESSAGE`] and
    /// [`MAX_VALUE`] characters: a difference of whole documents or long lists reads
    /// as where it is, not kilobytes of text in a row of a report.
    pub fn cap(&mut self) {
        if let Some(m) = cut(&self.message, MAX_MESSAGE) {
            self.message = m;
        }
        for v in self
            .environments
            .values_mut()
            .chain(self.differing.values_mut())
        {
            if let Some(c) = cut(v, MAX_VALUE) {
                *v = c;
            }
        }
    }

    /// A 16-hex-digit FNV-1a hash of category, kind, address and attribute path: the
    /// same difference keeps its id across runs and value changes.
    pub fn stable_id(
        category: Category,
        kind: Kind,
        address: &Address,
        path: Option<&AttrPath>,
    ) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let text = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}",
            category.as_str(),
            kind.as_str(),
            address,
            path.map(|p| p.to_string()).unwrap_or_default()
        );
        for b in text.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }

    /// The order reports use: category, address, kind, then path.
    pub fn sort_key(&self) -> (Category, &Address, Kind, Option<&AttrPath>) {
        (self.category, &self.address, self.kind, self.path.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() -> crate::TestResult {
        let a = Address::parse("aws_vpc.main")?;
        let id = Finding::stable_id(Category::Network, Kind::Missing, &a, None);
        assert_eq!(
            id,
            Finding::stable_id(Category::Network, Kind::Missing, &a, None)
        );
        assert_eq!(id.len(), 16);
        assert_ne!(
            id,
            Finding::stable_id(Category::Network, Kind::Attribute, &a, None)
        );
        // Pinned so that a change of the hash is a visible decision.
        assert_eq!(
            Finding::stable_id(
                Category::Resource,
                Kind::Missing,
                &Address::parse("a.b")?,
                None
            ),
            {
                let mut h: u64 = 0xcbf2_9ce4_8422_2325;
                for b in "resource\u{0}missing\u{0}a.b\u{0}".bytes() {
                    h ^= u64::from(b);
                    h = h.wrapping_mul(0x0100_0000_01b3);
                }
                format!("{h:016x}")
            }
        );
        Ok(())
    }

    #[test]
    fn long_messages_and_values_are_cut_with_a_marker() -> crate::TestResult {
        let long = "x".repeat(5000);
        let mut f = Finding {
            id: String::new(),
            category: Category::Resource,
            kind: Kind::Attribute,
            severity: Severity::Low,
            address: Address::parse("aws_x.y")?,
            path: None,
            environments: [("prod".to_string(), long.clone())].into(),
            message: format!("`rule` differs: prod has `{long}`, staging has none."),
            resources: BTreeMap::new(),
            differing: [("prod".to_string(), long.clone())].into(),
        };
        f.cap();
        assert_eq!(f.message.chars().count(), MAX_MESSAGE);
        assert!(
            f.message.ends_with("`… (cut: 5046 characters in all)"),
            "{}",
            f.message
        );
        assert_eq!(f.message.matches('`').count() % 2, 0);
        for v in f.environments.values().chain(f.differing.values()) {
            assert!(v.chars().count() <= MAX_VALUE && v.ends_with("(cut: 5000 characters in all)"));
        }
        // Short text is left alone.
        assert_eq!(cut("short", 10), None);
        assert_eq!(cut("é".repeat(40).as_str(), 40), None);
        Ok(())
    }

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Info);
        for s in Severity::DESCENDING {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
        assert_eq!(Severity::parse("never"), None);
    }
}
