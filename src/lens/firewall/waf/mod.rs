//! Web application firewalls in the firewall lens: AWS WAFv2 web ACLs, rule groups and
//! IP sets, GCP Cloud Armor security policies, Azure Application Gateway and Front Door
//! WAF policies. Each policy is read (`read`) into its mode and switches, its rules by
//! name or priority, its managed rule sets with their overrides, and the address lists
//! its rules match; two environments' policies are compared field by field, so that a
//! finding names the field (`rule["block-bad-ips"].action: block in prod → count in
//! staging`) and says whether the environment enforces less. Address lists compare as
//! sets of addresses, like security groups. Makes findings; never prints.

mod read;

use super::space::{self, PeerSpace, Region, Semantics, Span};
use crate::align::Row;
use crate::lens::input::Input;
use crate::lens::severity::{self, WafChange};
use crate::model::{AttrPath, Category, Finding, Kind, PathStep, Resource, Severity, Value};
use crate::normalize::diff::{diff, Side, SENSITIVE};
use ipnet::IpNet;
use std::collections::{BTreeMap, BTreeSet};

/// The attributes this lens compares instead of the generic one, by type. A policy
/// missing altogether is the generic lens's finding; its other attributes (tags, a
/// custom block response, adaptive protection) stay with it too.
pub const CLAIMS: &[(&str, &[&str])] = &[
    ("aws_wafv2_web_acl", &["rule", "default_action"]),
    ("aws_wafv2_rule_group", &["rule"]),
    ("aws_wafv2_ip_set", &["addresses"]),
    ("google_compute_security_policy", &["rule"]),
    (
        "azurerm_web_application_firewall_policy",
        &["policy_settings", "custom_rules", "managed_rules"],
    ),
    (
        "azurerm_frontdoor_firewall_policy",
        &["enabled", "mode", "custom_rule", "managed_rule"],
    ),
    (
        "azurerm_cdn_frontdoor_firewall_policy",
        &["enabled", "mode", "custom_rule", "managed_rule"],
    ),
];

/// Whether this lens compares attribute `attr` of type `rtype` (never a whole resource).
pub fn claims(rtype: &str, attr: Option<&str>) -> bool {
    attr.is_some_and(|a| {
        CLAIMS
            .iter()
            .any(|(t, attrs)| *t == rtype && attrs.contains(&a))
    })
}

/// One compared value of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    /// Where it is, as this environment writes it (`rule["office"].action`).
    pub path: AttrPath,
    /// As compared: lower case, environment names taken out.
    pub compared: String,
    pub shown: String,
    /// How strongly it enforces (higher blocks more), when that can be told.
    pub rank: Option<u8>,
    /// Known only after apply: compares equal to anything.
    pub unknown: bool,
    /// What a side that lacks this field has instead: compared, shown, rank (a managed
    /// rule nobody overrides keeps its own action).
    pub absent: (&'static str, &'static str, Option<u8>),
}

impl Field {
    fn new(path: AttrPath, compared: String, shown: String, rank: Option<u8>) -> Field {
        Field {
            path,
            compared,
            shown,
            rank,
            unknown: false,
            absent: ("\u{0}absent", "(absent)", None),
        }
    }

    fn unknown(path: AttrPath) -> Field {
        Field {
            unknown: true,
            ..Field::new(path, String::new(), "(known after apply)".into(), None)
        }
    }

    fn with_absent(mut self, shown: &'static str, rank: Option<u8>) -> Field {
        self.absent = ("own", shown, rank);
        // Said explicitly, the same thing compares equal.
        if self.shown == shown {
            self.compared = "own".into();
        }
        self
    }

    /// What the other side has when it lacks this field.
    fn absent(&self) -> Field {
        let (compared, shown, rank) = self.absent;
        Field {
            path: self.path.clone(),
            compared: compared.into(),
            shown: shown.into(),
            rank,
            unknown: false,
            absent: self.absent,
        }
    }
}

/// Who a list of addresses lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// The listed addresses get through (an allow rule; a block rule on addresses
    /// *not* in the list): a longer list admits more.
    Admits,
    /// The listed addresses are stopped: a longer list admits less.
    Blocks,
    /// The rule only counts or logs, or is switched off.
    Neutral,
}

/// A list of addresses a rule matches, or an IP set's.
#[derive(Debug, Clone)]
pub(crate) struct Addresses {
    pub path: AttrPath,
    pub nets: Vec<IpNet>,
    pub effect: Effect,
    /// Some entry is known only after apply: not compared.
    pub unknown: bool,
    /// The rules that use an IP set, for the message.
    pub users: Vec<String>,
}

/// What a part of a policy is, for the kind of its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartKind {
    /// A custom rule.
    Rule,
    /// A managed rule set, or a rule that applies a rule group.
    Managed,
    /// The policy's own settings.
    Settings,
}

impl PartKind {
    fn kind(self) -> Kind {
        match self {
            PartKind::Rule => Kind::WafRule,
            PartKind::Managed => Kind::WafManaged,
            PartKind::Settings => Kind::WafPolicy,
        }
    }
}

/// A rule, a managed rule set, or a block of settings: its fields compare only when
/// both sides have it.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub path: AttrPath,
    pub kind: PartKind,
    /// What it does, said when one side lacks it (`deny(403) rule`).
    pub shown: String,
    pub rank: Option<u8>,
    pub fields: BTreeMap<String, Field>,
    pub addresses: BTreeMap<String, Addresses>,
    /// Everything else it holds, compared as values: the attribute it is written under
    /// and the block without what the fields and addresses say.
    pub rest: Option<(String, Value)>,
    /// Keys of `rest` left out on both sides when the named field differs (an AWS
    /// rule's action block holds that action's settings).
    pub strip: Vec<(String, Vec<&'static str>)>,
}

impl Part {
    fn new(path: AttrPath, kind: PartKind) -> Part {
        Part {
            path,
            kind,
            shown: String::new(),
            rank: None,
            fields: BTreeMap::new(),
            addresses: BTreeMap::new(),
            rest: None,
            strip: Vec::new(),
        }
    }
}

/// One policy as compared, its parts keyed by what aligns them across environments.
#[derive(Debug, Clone, Default)]
pub(crate) struct Policy {
    pub fields: BTreeMap<String, Field>,
    pub parts: BTreeMap<String, Part>,
    pub addresses: BTreeMap<String, Addresses>,
    /// The compared attributes hold values marked sensitive: say where they differ,
    /// not what they hold.
    pub sensitive: bool,
    /// Some part's key is known only after apply: which parts one side lacks cannot be
    /// told.
    pub unknown_keys: bool,
}

/// One environment's difference at one place, before environments are joined.
struct Piece {
    kind: Kind,
    path: AttrPath,
    severity: Severity,
    /// The baseline's cell and this environment's.
    base: String,
    env: String,
    /// This environment's part of the message.
    clause: String,
}

/// Every WAF finding.
pub fn findings(input: &Input<'_>, rows: &[Row<'_>]) -> Vec<Finding> {
    let b = input.baseline;
    let waf: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| {
            r.address.mode == crate::model::Mode::Managed
                && r.present[b].is_some()
                && CLAIMS.iter().any(|(t, _)| *t == r.address.rtype)
        })
        .collect();
    if waf.is_empty() {
        return Vec::new();
    }
    let usage: Vec<read::Usage> = if waf.iter().any(|r| r.address.rtype == "aws_wafv2_ip_set") {
        input.contexts.iter().map(read::ip_set_usage).collect()
    } else {
        vec![read::Usage::new(); input.envs.len()]
    };
    waf.iter()
        .flat_map(|row| row_findings(input, row, &usage))
        .collect()
}

/// The findings about one policy, every environment against the baseline.
fn row_findings(input: &Input<'_>, row: &Row<'_>, usage: &[read::Usage]) -> Vec<Finding> {
    let b = input.baseline;
    let rtype = row.address.rtype.as_str();
    let policies: Vec<Option<Policy>> = row
        .present
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let i = (*p)?;
            let reader = read::Reader {
                ctx: &input.contexts[k],
                rtype,
            };
            let mut policy = reader.policy(&input.envs[k].resources[i])?;
            // An IP set admits or blocks as the rules that use it do.
            if let (Some(a), Some(users)) =
                (policy.addresses.get_mut("addresses"), usage[k].get(&i))
            {
                a.effect = users
                    .iter()
                    .map(|u| u.0)
                    .find(|e| *e == Effect::Admits)
                    .or_else(|| users.iter().map(|u| u.0).find(|e| *e == Effect::Blocks))
                    .unwrap_or(Effect::Neutral);
                a.users = users.iter().map(|u| u.1.clone()).collect();
            }
            Some(policy)
        })
        .collect();
    let Some(base) = &policies[b] else {
        return Vec::new();
    };
    let mut by_place: BTreeMap<(Kind, AttrPath), Vec<(usize, Piece)>> = BTreeMap::new();
    for (k, other) in policies.iter().enumerate() {
        let (true, Some(other)) = (k != b, other) else {
            continue;
        };
        for p in compare(input, row, k, base, other) {
            by_place
                .entry((p.kind, p.path.clone()))
                .or_default()
                .push((k, p));
        }
    }
    let envs = input.envs;
    by_place
        .into_iter()
        .map(|((kind, path), pieces)| {
            let severity = pieces
                .iter()
                .map(|(_, p)| p.severity)
                .max()
                .unwrap_or(Severity::Info);
            let environments = envs
                .iter()
                .enumerate()
                .filter(|(k, _)| policies[*k].is_some())
                .map(|(k, e)| {
                    let cell = if k == b {
                        pieces[0].1.base.clone()
                    } else {
                        pieces
                            .iter()
                            .find(|(j, _)| *j == k)
                            .map(|(_, p)| p.env.clone())
                            .unwrap_or_else(|| "same as baseline".into())
                    };
                    (e.name.clone(), cell)
                })
                .collect();
            let clauses: Vec<&str> = pieces.iter().map(|(_, p)| p.clause.as_str()).collect();
            Finding {
                resources: Default::default(),
                differing: Default::default(),
                id: Finding::stable_id(Category::Firewall, kind, row.address, Some(&path)),
                category: Category::Firewall,
                kind,
                severity,
                address: row.address.clone(),
                message: format!("{} `{path}`: {}.", row.address, clauses.join("; ")),
                path: Some(path),
                environments,
            }
        })
        .collect()
}

/// Which way a ranked value moved from the baseline's `a` to the environment's `b`.
fn change(a: Option<u8>, b: Option<u8>) -> WafChange {
    match (a, b) {
        (Some(x), Some(y)) if y < x => WafChange::Weaker,
        (Some(x), Some(y)) if y > x => WafChange::Stronger,
        (Some(_), Some(_)) => WafChange::Alike,
        _ => WafChange::Unranked,
    }
}

/// What a part of rank `rank` present on one side only changes: losing a rule that
/// stops requests (or gaining one that allows them) lets more through.
fn presence(rank: Option<u8>, lost: bool) -> WafChange {
    match (rank, lost) {
        (Some(r), true) if r >= 2 => WafChange::Weaker,
        (Some(0), true) => WafChange::Stronger,
        (Some(0), false) => WafChange::Weaker,
        (Some(r), false) if r >= 2 => WafChange::Stronger,
        (Some(_), _) => WafChange::Alike,
        (None, _) => WafChange::Unranked,
    }
}

/// How a clause ends for a change that lets more through.
fn note(c: WafChange, env: &str) -> String {
    match c {
        WafChange::Weaker => format!(" ({env} enforces less)"),
        _ => String::new(),
    }
}

/// Every difference of `other` (environment `k`) from the baseline's policy.
fn compare(
    input: &Input<'_>,
    row: &Row<'_>,
    k: usize,
    base: &Policy,
    other: &Policy,
) -> Vec<Piece> {
    let b = input.baseline;
    let (bn, kn) = (&input.envs[b].name, &input.envs[k].name);
    let sensitive = base.sensitive || other.sensitive;
    let mut out = fields(
        Kind::WafPolicy,
        &base.fields,
        &other.fields,
        bn,
        kn,
        sensitive,
    );
    out.extend(addresses(
        Kind::WafPolicy,
        &base.addresses,
        &other.addresses,
        kn,
        sensitive,
    ));
    let keys: BTreeSet<&String> = base.parts.keys().chain(other.parts.keys()).collect();
    for key in keys {
        match (base.parts.get(key), other.parts.get(key)) {
            (Some(pb), Some(po)) => {
                let kind = pb.kind.kind();
                out.extend(fields(kind, &pb.fields, &po.fields, bn, kn, sensitive));
                out.extend(addresses(kind, &pb.addresses, &po.addresses, kn, sensitive));
                out.extend(rest(input, row, k, pb, po, sensitive));
            }
            // Which parts one side lacks cannot be told while names are unknown.
            _ if base.unknown_keys || other.unknown_keys => {}
            (Some(p), None) | (None, Some(p)) => {
                // In the baseline only, or in the other environment only.
                let in_base = base.parts.contains_key(key);
                let c = presence(p.rank, in_base);
                let shown: String = if sensitive {
                    "present".into()
                } else {
                    p.shown.clone()
                };
                let (clause, base_shown, env_shown) = if in_base {
                    (
                        format!("{shown} in {bn}, not in {kn}"),
                        shown,
                        "absent".into(),
                    )
                } else {
                    (
                        format!("not in {bn}, {shown} in {kn}"),
                        "absent".into(),
                        shown,
                    )
                };
                out.push(Piece {
                    kind: p.kind.kind(),
                    path: p.path.clone(),
                    severity: severity::waf(c),
                    clause: format!("{clause}{}", note(c, kn)),
                    base: base_shown,
                    env: env_shown,
                });
            }
            (None, None) => {}
        }
    }
    out
}

/// Differences of fields, each with its path.
fn fields(
    kind: Kind,
    a: &BTreeMap<String, Field>,
    b: &BTreeMap<String, Field>,
    bn: &str,
    kn: &str,
    sensitive: bool,
) -> Vec<Piece> {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let (x, y) = match (a.get(key), b.get(key)) {
            (Some(x), Some(y)) => (x.clone(), y.clone()),
            (Some(x), None) => (x.clone(), x.absent()),
            (None, Some(y)) => (y.absent(), y.clone()),
            (None, None) => continue,
        };
        if x.unknown || y.unknown || x.compared == y.compared {
            continue;
        }
        let c = change(x.rank, y.rank);
        let (xs, ys) = if sensitive {
            (SENSITIVE.to_string(), SENSITIVE.to_string())
        } else {
            (x.shown.clone(), y.shown.clone())
        };
        let path = if a.contains_key(key) { x.path } else { y.path };
        out.push(Piece {
            kind,
            path,
            severity: severity::waf(c),
            clause: format!("{xs} in {bn} → {ys} in {kn}{}", note(c, kn)),
            base: xs,
            env: ys,
        });
    }
    out
}

/// Unordered allow-lists of every protocol and port: only the addresses matter.
const ADDRESS_SET: Semantics = Semantics {
    ordered: false,
    default_allow: false,
};

/// Past this many ranges, a list of addresses is cut short in a message.
const MAX_SHOWN_RANGES: usize = 12;

/// Addresses as CIDRs, a long list cut short.
fn describe(regions: &[Region]) -> String {
    let mut by_space: BTreeMap<PeerSpace, Vec<Span>> = BTreeMap::new();
    for r in regions {
        by_space.entry(r.space.clone()).or_default().push(r.peers);
    }
    let text: Vec<String> = by_space
        .into_iter()
        .map(|(sp, spans)| super::address_list(&sp, spans))
        .collect();
    let all: Vec<&str> = text.iter().flat_map(|t| t.split(", ")).collect();
    if all.len() > MAX_SHOWN_RANGES {
        format!(
            "{} and {} more",
            all[..MAX_SHOWN_RANGES].join(", "),
            all.len() - MAX_SHOWN_RANGES
        )
    } else {
        all.join(", ")
    }
}

/// Whether the ranges together hold every address of IPv4 or of IPv6 (`0.0.0.0/0`,
/// `::/0`, `*`, or ranges that add up to one).
fn covers_all(nets: &[IpNet]) -> bool {
    let covers = |v6: bool, max: u128| {
        let mut spans: Vec<(u128, u128)> = nets
            .iter()
            .filter(|n| matches!(n, IpNet::V6(_)) == v6)
            .map(|n| match n {
                IpNet::V4(a) => (
                    u128::from(u32::from(a.network())),
                    u128::from(u32::from(a.broadcast())),
                ),
                IpNet::V6(a) => (u128::from(a.network()), u128::from(a.broadcast())),
            })
            .collect();
        spans.sort_unstable();
        // The first address not yet covered, sweeping up from 0.
        let mut reach: u128 = 0;
        for (lo, hi) in spans {
            if lo > reach {
                return false;
            }
            if hi == max {
                return true;
            }
            reach = reach.max(hi + 1);
        }
        false
    };
    covers(false, u128::from(u32::MAX)) || covers(true, u128::MAX)
}

/// Differences of address lists, as the traffic they let through.
fn addresses(
    kind: Kind,
    a: &BTreeMap<String, Addresses>,
    b: &BTreeMap<String, Addresses>,
    kn: &str,
    sensitive: bool,
) -> Vec<Piece> {
    let mut out = Vec::new();
    let empty = |x: &Addresses| Addresses {
        nets: Vec::new(),
        unknown: false,
        users: Vec::new(),
        ..x.clone()
    };
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for key in keys {
        let (x, y) = match (a.get(key), b.get(key)) {
            (Some(x), Some(y)) => (x.clone(), y.clone()),
            (Some(x), None) => (x.clone(), empty(x)),
            (None, Some(y)) => (empty(y), y.clone()),
            (None, None) => continue,
        };
        if x.unknown || y.unknown {
            continue;
        }
        let as_rules = |nets: &[IpNet]| -> Vec<super::rule::Rule> {
            nets.iter()
                .map(|n| super::rule::Rule {
                    direction: super::rule::Direction::Ingress,
                    target: String::new(),
                    priority: 0,
                    action: super::rule::Action::Allow,
                    protocols: super::rule::Protocols::ALL,
                    ports: super::rule::Ports::ALL,
                    peer: super::rule::Peer::Net(*n),
                })
                .collect()
        };
        let Some((more, less)) = space::difference(
            &as_rules(&x.nets),
            ADDRESS_SET,
            &as_rules(&y.nets),
            ADDRESS_SET,
        ) else {
            continue;
        };
        let effect = if x.effect == Effect::Neutral {
            y.effect
        } else {
            x.effect
        };
        let users = if x.users.is_empty() {
            &y.users
        } else {
            &x.users
        };
        let used_by = match users.len() {
            0 => String::new(),
            1..=3 => format!(" (used by {})", users.join(", ")),
            n => format!(" (used by {} and {} more)", users[..3].join(", "), n - 3),
        };
        for (regions, gained) in [(more, true), (less, false)] {
            if regions.is_empty() {
                continue;
            }
            let (k, verb) = match (effect, gained) {
                (Effect::Admits, true) => (Kind::AllowsMore, "additionally admits"),
                (Effect::Admits, false) => (Kind::AllowsLess, "no longer admits"),
                (Effect::Blocks, true) => (Kind::AllowsLess, "additionally blocks"),
                (Effect::Blocks, false) => (Kind::AllowsMore, "no longer blocks"),
                (Effect::Neutral, true) => (kind, "additionally matches"),
                (Effect::Neutral, false) => (kind, "no longer matches"),
            };
            // Opened to the internet: every address of a family admitted where the
            // baseline admits only some (an allow-list), or no longer all blocked (a
            // deny-everything list narrowed).
            let opened = match effect {
                Effect::Admits => covers_all(&y.nets) && !covers_all(&x.nets),
                Effect::Blocks => covers_all(&x.nets) && !covers_all(&y.nets),
                Effect::Neutral => false,
            };
            let severity = if effect == Effect::Neutral {
                severity::waf(WafChange::Neutral)
            } else {
                severity::firewall(k, true, k == Kind::AllowsMore && opened)
            };
            let text = if sensitive {
                SENSITIVE.to_string()
            } else {
                describe(&regions)
            };
            out.push(Piece {
                kind: k,
                path: x.path.clone(),
                severity,
                clause: format!("{kn} {verb} {text}{used_by}"),
                base: "baseline".into(),
                env: format!("{verb} {text}"),
            });
        }
    }
    out
}

/// Attribute names whose differences are cosmetic wherever they are.
const COSMETIC: &[&str] = &["description", "name", "display_name"];

/// Differences of what else two parts hold, compared as values (after normalisation,
/// as the generic lens compares attributes), each at its path under the part.
fn rest(
    input: &Input<'_>,
    row: &Row<'_>,
    k: usize,
    pa: &Part,
    pb: &Part,
    sensitive: bool,
) -> Vec<Piece> {
    let b = input.baseline;
    let (Some((attr, va)), Some((_, vb))) = (&pa.rest, &pb.rest) else {
        return Vec::new();
    };
    // An action's settings compare only when the actions are the same.
    let mut strip: Vec<&str> = Vec::new();
    for (field, keys) in &pa.strip {
        let same = match (pa.fields.get(field), pb.fields.get(field)) {
            (Some(x), Some(y)) => x.compared == y.compared,
            (None, None) => true,
            _ => false,
        };
        if !same {
            strip.extend(keys.iter().copied());
        }
    }
    let synthetic = |v: &Value| {
        let v = Value::object(
            v.entries()
                .iter()
                .filter(|(k, _)| !strip.contains(&k.as_ref()))
                .cloned()
                .collect(),
        );
        let mut r = Resource::new(
            row.address.clone(),
            Value::object(vec![(attr.as_str().into(), Value::List(vec![v].into()))]),
        );
        if sensitive {
            r.sensitive = vec![AttrPath(vec![PathStep::Attr(attr.as_str().into())])];
        }
        r
    };
    let (ra, rb) = (synthetic(va), synthetic(vb));
    let (sa, sb) = (
        Side::at(&input.contexts[b], None, &ra),
        Side::at(&input.contexts[k], None, &rb),
    );
    let (bn, kn) = (&input.envs[b].name, &input.envs[k].name);
    let kind = pa.kind.kind();
    diff(&sa, &sb)
        .into_iter()
        .map(|d| {
            // `rule[0].statement…` of the synthetic resource is `rule["name"].statement…`.
            let mut path = pa.path.clone();
            path.0.extend(d.path.0.iter().skip(2).cloned());
            let cosmetic = d.path.0.iter().rev().find_map(|s| match s {
                PathStep::Attr(a) => Some(a.as_ref()),
                _ => None,
            });
            let (kind, severity) = if d.after_apply {
                (Kind::KnownAfterApply, severity::KNOWN_AFTER_APPLY)
            } else if cosmetic.is_some_and(|c| COSMETIC.contains(&c)) {
                (kind, severity::waf(WafChange::Cosmetic))
            } else {
                (kind, severity::waf(WafChange::Unranked))
            };
            let clause = if d.only_left.is_empty() && d.only_right.is_empty() {
                format!("{} in {bn} → {} in {kn}", d.left, d.right)
            } else {
                let mut parts = Vec::new();
                if !d.only_right.is_empty() {
                    parts.push(format!("{kn} additionally has {}", d.only_right.join(", ")));
                }
                if !d.only_left.is_empty() {
                    parts.push(format!("{kn} lacks {}", d.only_left.join(", ")));
                }
                parts.join(", ")
            };
            Piece {
                kind,
                path,
                severity,
                base: d.left,
                env: d.right,
                clause,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
