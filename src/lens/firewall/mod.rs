//! The firewall lens: every rule form reduced to canonical rules per protected group,
//! compared as sets of allowed traffic. Reports what an environment allows beyond the
//! baseline ("staging additionally allows inbound tcp/22 from 0.0.0.0/0") and what it
//! no longer allows. Makes findings; never prints.

pub mod extract;
mod networks;
pub mod rule;
pub mod space;
pub mod waf;
mod writers;

use super::input::Input;
use super::severity;
use crate::model::{AttrPath, Category, Finding, Kind, PathStep};
use crate::normalize::Context;
use extract::Groups;
use rayon::prelude::*;
use rule::{protocol_name, Action, Direction, Rule};
use space::{reaches_internet, span_to_nets, PeerSpace, Region};
use std::collections::{BTreeMap, BTreeSet};

/// Whether the firewall lens owns this attribute of this type (`None`: the whole
/// resource): a rule form, or what a web application firewall policy compares.
pub fn claims(rtype: &str, attr: Option<&str>) -> bool {
    extract::claims(rtype, attr) || waf::claims(rtype, attr)
}

/// The network an environment's rooted addresses are offsets from.
fn root_base(ctx: &Context<'_>, key: &str, v6: bool) -> Option<ipnet::IpNet> {
    // A dual-stack VPC has an IPv4 and an IPv6 root: take the family of the range.
    ctx.roots()
        .find(|(a, n)| matches!(n, ipnet::IpNet::V6(_)) == v6 && ctx.root_key(*a) == key)
        .map(|(_, n)| n)
}

/// A rooted region as absolute addresses of environment `ctx`.
fn absolute(r: &Region, ctx: &Context<'_>) -> Option<(PeerSpace, space::Span)> {
    let PeerSpace::Rooted(key, v6) = &r.space else {
        return None;
    };
    let base = match root_base(ctx, key, *v6)?.network() {
        std::net::IpAddr::V4(a) => u128::from(u32::from(a)),
        std::net::IpAddr::V6(a) => u128::from(a),
    };
    let span = space::Span {
        lo: base.checked_add(r.peers.lo)?,
        hi: base.checked_add(r.peers.hi)?,
    };
    Some((if *v6 { PeerSpace::V6 } else { PeerSpace::V4 }, span))
}

/// Regions to describe: a part of the environment's own network that an address range
/// in the same list already covers (`0.0.0.0/0` covers the VPC) is not said twice.
fn without_covered<'r>(rs: &'r [Region], ctx: &Context<'_>) -> Vec<&'r Region> {
    let within = |a: space::Span, b: space::Span| b.lo <= a.lo && a.hi <= b.hi;
    rs.iter()
        .filter(|r| {
            let Some((sp, abs)) = absolute(r, ctx) else {
                return true;
            };
            !rs.iter().any(|q| {
                q.space == sp
                    && q.target == r.target
                    && within(r.protocols, q.protocols)
                    && within(r.ports, q.ports)
                    && within(abs, q.peers)
            })
        })
        .collect()
}

/// How one region of traffic reads in environment `ctx`: `tcp/22 from 0.0.0.0/0`,
/// `tcp/5432 from 10.1.0.0/16 (aws_vpc.main)`.
pub fn describe(r: &Region, dir: Direction, ctx: &Context<'_>) -> String {
    let proto = if r.protocols.lo == 0 && r.protocols.hi == 255 {
        "all traffic".to_string()
    } else if r.protocols.lo == r.protocols.hi {
        let name = protocol_name(r.protocols.lo as u16);
        let has_ports = matches!(r.protocols.lo, 6 | 17 | 132);
        let icmp = matches!(r.protocols.lo, 1 | 58);
        match (r.ports.lo, r.ports.hi) {
            (0, 65535) => name,
            (a, b) if has_ports && a == b => format!("{name}/{a}"),
            (a, b) if has_ports => format!("{name}/{a}-{b}"),
            (a, b) if icmp && a == b => format!("{name} type {a}"),
            (a, b) if icmp => format!("{name} types {a}-{b}"),
            _ => name,
        }
    } else {
        format!("protocols {}-{}", r.protocols.lo, r.protocols.hi)
    };
    let peers = match &r.space {
        PeerSpace::Named(n) => n.clone(),
        PeerSpace::Rooted(key, _) => match absolute(r, ctx) {
            Some((space, abs)) => format!(
                "{} ({key})",
                span_to_nets(&space, abs)
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => format!("part of {key}"),
        },
        space => span_to_nets(space, r.peers)
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let way = match dir {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    };
    let target = if r.target.is_empty() {
        String::new()
    } else {
        format!(" (applies to {})", ctx.shown(&r.target))
    };
    format!("{proto} {way} {}{target}", ctx.shown(&peers))
}

/// Describes regions, joining the address ranges of regions that share protocol, ports
/// and target; a long list of ranges that is nearly everything reads as
/// `0.0.0.0/0 except …`.
pub fn describe_all(rs: &[&Region], dir: Direction, ctx: &Context<'_>) -> Vec<String> {
    type Key = (String, space::Span, space::Span);
    let mut groups: BTreeMap<Key, BTreeMap<PeerSpace, Vec<space::Span>>> = BTreeMap::new();
    // Port ranges of the same protocol towards the same peers read as one list:
    // `tcp/0-442, 444-3388 from 10.10.0.0/24`.
    let mut by_peers: BTreeMap<(String, space::Span, String), Vec<space::Span>> = BTreeMap::new();
    for r in rs {
        match r.space {
            PeerSpace::V4 | PeerSpace::V6 => groups
                .entry((r.target.clone(), r.protocols, r.ports))
                .or_default()
                .entry(r.space.clone())
                .or_default()
                .push(r.peers),
            _ => {
                // The peer as `describe` writes it, without the protocol part.
                let text = describe(r, dir, ctx);
                let way = if dir == Direction::Ingress {
                    " from "
                } else {
                    " to "
                };
                let peers = text
                    .split_once(way)
                    .map(|x| x.1.to_string())
                    .unwrap_or_default();
                let peers = match peers.rfind(" (applies to ") {
                    Some(i) if !r.target.is_empty() => peers[..i].to_string(),
                    _ => peers,
                };
                by_peers
                    .entry((r.target.clone(), r.protocols, peers))
                    .or_default()
                    .push(r.ports);
            }
        }
    }
    for ((target, protocols, ports), by_space) in groups {
        let peers: Vec<String> = by_space
            .into_iter()
            .map(|(sp, spans)| address_list(&sp, spans))
            .collect();
        by_peers
            .entry((target, protocols, peers.join(", ")))
            .or_default()
            .push(ports);
    }
    let mut addressed = Vec::new();
    for ((target, protocols, peers), ports) in by_peers {
        let texts: Vec<String> = ports
            .iter()
            .map(|p| {
                let probe = Region {
                    target: target.clone(),
                    space: PeerSpace::Named(peers.clone()),
                    protocols,
                    ports: *p,
                    peers: space::Span { lo: 0, hi: 0 },
                };
                describe(&probe, dir, ctx)
            })
            .collect();
        let joined = match ports.len() {
            1 => texts[0].clone(),
            _ => {
                // "tcp/0-442 from X" → keep the protocol once, list the ports.
                let way = match dir {
                    Direction::Ingress => " from ",
                    Direction::Egress => " to ",
                };
                let heads: Vec<&str> = texts.iter().filter_map(|t| t.split(way).next()).collect();
                let proto = heads[0].split('/').next().unwrap_or("");
                let list: Vec<&str> = heads
                    .iter()
                    .map(|h| h.split_once('/').map(|x| x.1).unwrap_or(h))
                    .collect();
                let rest = texts[0].split_once(way).map(|x| x.1).unwrap_or("");
                format!("{proto}/{}{way}{rest}", list.join(", "))
            }
        };
        addressed.push(joined);
    }
    addressed
}

/// Address spans as CIDRs, or as `0.0.0.0/0 except …` when that is shorter.
fn address_list(sp: &PeerSpace, mut spans: Vec<space::Span>) -> String {
    spans.sort();
    let max = if *sp == PeerSpace::V4 {
        u128::from(u32::MAX)
    } else {
        u128::MAX
    };
    let nets: Vec<String> = spans
        .iter()
        .flat_map(|s| span_to_nets(sp, *s))
        .map(|n| n.to_string())
        .collect();
    let mut gaps = Vec::new();
    let mut at: Option<u128> = Some(0);
    for s in &spans {
        if let Some(a) = at {
            if s.lo > a {
                gaps.push(space::Span {
                    lo: a,
                    hi: s.lo - 1,
                });
            }
        }
        at = s.hi.checked_add(1);
    }
    if let Some(a) = at {
        if a <= max {
            gaps.push(space::Span { lo: a, hi: max });
        }
    }
    let gap_nets: Vec<String> = gaps
        .iter()
        .flat_map(|s| span_to_nets(sp, *s))
        .map(|n| n.to_string())
        .collect();
    let all = if *sp == PeerSpace::V4 {
        "0.0.0.0/0"
    } else {
        "::/0"
    };
    if nets.len() > 4 && gap_nets.len() < nets.len() {
        format!("{all} except {}", gap_nets.join(", "))
    } else {
        nets.join(", ")
    }
}

fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "inbound",
        Direction::Egress => "outbound",
    }
}

/// What one environment's rules of a direction differ by, against the baseline's.
struct Change {
    env: usize,
    more: Vec<Region>,
    less: Vec<Region>,
    /// The rules are marked sensitive: say that they differ, not how.
    sensitive: bool,
}

/// Rules whose peers sit in an own network the other environment does not have are
/// read as plain address ranges: "my VPC" compares with "your VPC" only when both exist.
fn unroot(rules: Vec<Rule>, ctx: &Context<'_>, other_roots: &BTreeSet<String>) -> Vec<Rule> {
    rules
        .into_iter()
        .filter_map(|r| match &r.peer {
            rule::Peer::Rooted { root, .. } if !other_roots.contains(root) => {
                let region = space::region_of(&r);
                let (sp, abs) = absolute(&region, ctx)?;
                let net = span_to_nets(&sp, abs).into_iter().next()?;
                Some(Rule {
                    peer: rule::Peer::Net(net),
                    ..r
                })
            }
            _ => Some(r),
        })
        .collect()
}

/// Every firewall finding.
pub fn findings(input: &Input<'_>) -> Vec<Finding> {
    let b = input.baseline;
    let (base_groups, hints) = extract::groups(&input.contexts[b], None);
    let per_env: Vec<Groups> = input
        .contexts
        .par_iter()
        .enumerate()
        .map(|(k, c)| {
            if k == b {
                base_groups.clone()
            } else {
                extract::groups(c, Some(&hints)).0
            }
        })
        .collect();
    let nets: Vec<networks::Networks> = input
        .contexts
        .par_iter()
        .map(networks::Networks::new)
        .collect();
    let roots: Vec<BTreeSet<String>> = nets.iter().map(|n| n.keys.clone()).collect();
    // Each environment's networks against the baseline's, grouped by what covers them.
    let pairs: Vec<networks::Pair> = per_env
        .iter()
        .enumerate()
        .map(|(k, groups)| {
            if k == b {
                return networks::Pair::default();
            }
            networks::Pair::new(&nets[b], per_env[b].values(), &nets[k], groups.values())
        })
        .collect();
    let mut keys: Vec<&String> = per_env.iter().flat_map(|g| g.keys()).collect();
    keys.sort();
    keys.dedup();
    let lens = Lens {
        input,
        per_env: &per_env,
        roots: &roots,
        nets: &nets,
        pairs: &pairs,
    };
    keys.par_iter()
        .flat_map_iter(|key| group_findings(&lens, key))
        .collect()
}

/// What every group's comparison reads.
struct Lens<'a> {
    input: &'a Input<'a>,
    per_env: &'a [Groups],
    /// Each environment's network keys.
    roots: &'a [BTreeSet<String>],
    nets: &'a [networks::Networks],
    /// Each environment's networks against the baseline's.
    pairs: &'a [networks::Pair],
}

/// The findings about one group, both directions.
fn group_findings(lens: &Lens<'_>, key: &String) -> Vec<Finding> {
    let (input, per_env, roots) = (lens.input, lens.per_env, lens.roots);
    let b = input.baseline;
    let mut out = Vec::new();
    {
        let base = per_env[b].get(key);
        for dir in [Direction::Ingress, Direction::Egress] {
            let mut changes: Vec<Change> = Vec::new();
            // Environments where part of this direction could not be told (rules or
            // addresses known only after apply), and why.
            let mut untold: Vec<(usize, &'static str)> = Vec::new();
            for (k, groups) in per_env.iter().enumerate() {
                if k == b {
                    continue;
                }
                let other = groups.get(key);
                // A security group missing altogether is the generic lens's finding.
                if base.is_none_or(|g| g.is_resource && other.is_none())
                    && other.is_none_or(|g| g.is_resource && base.is_none())
                {
                    continue;
                }
                let rules = |g: Option<&extract::Group>| -> Vec<Rule> {
                    g.map(|g| {
                        g.rules
                            .iter()
                            .filter(|r| r.direction == dir)
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default()
                };
                let sem = |g: Option<&extract::Group>, fallback: Option<&extract::Group>| {
                    g.or(fallback)
                        .map(|g| g.semantics.of(dir))
                        .unwrap_or(space::Semantics {
                            ordered: false,
                            default_allow: false,
                        })
                };
                // Rules known only after apply cannot be compared at all: said.
                let unknown =
                    |g: Option<&extract::Group>| g.is_some_and(|g| g.unknown_rules.contains(&dir));
                if unknown(base) || unknown(other) {
                    // A configuration's rules known only after apply are its own (a
                    // dynamic block over an unknown): said. A plan's are what the
                    // provider computes where the configuration writes none.
                    let declared =
                        |e: usize| input.envs[e].source.kind == crate::model::SourceKind::Hcl;
                    if (unknown(base) && declared(b)) || (unknown(other) && declared(k)) {
                        untold.push((k, "its rules are known only after apply"));
                    }
                    continue;
                }
                let (sa, sb) = (sem(base, other), sem(other, base));
                let (ra, rb) = networks::expand(
                    &lens.pairs[k],
                    dir,
                    (&lens.nets[b], base, rules(base), sa),
                    (&lens.nets[k], other, rules(other), sb),
                );
                let ra = unroot(ra, &input.contexts[b], &roots[k]);
                let rb = unroot(rb, &input.contexts[k], &roots[b]);
                let Some((mut more, mut less)) = space::difference(&ra, sa, &rb, sb) else {
                    continue;
                };
                // Addresses known only after apply may be any addresses. Traffic one side
                // allows to them on ports the other side allows nothing on is a
                // difference whatever they turn out to be; elsewhere it cannot be told,
                // and neither can known addresses on ports the other side allows to
                // unknown ones. What cannot be told is said (a coverage finding).
                let before = more.len() + less.len();
                if before > 0 {
                    // Each side's rules as traffic, made once for every region asked.
                    let traffic = |rs: &[Rule]| -> Vec<(Region, bool)> {
                        rs.iter()
                            .map(|r| (space::region_of(r), r.action == Action::Allow))
                            .collect()
                    };
                    let (ga, gb) = (traffic(&ra), traffic(&rb));
                    more.retain(|r| told(r, &ga));
                    less.retain(|r| told(r, &gb));
                }
                if before != more.len() + less.len() {
                    untold.push((k, "some of its addresses are known only after apply"));
                }
                // A peer known only after apply may be any named peer.
                let named = |r: &Region| matches!(r.space, PeerSpace::Named(_));
                if other.is_some_and(|g| g.unknown_peers) {
                    less.retain(|r| !named(r));
                }
                if base.is_some_and(|g| g.unknown_peers) {
                    more.retain(|r| !named(r));
                }
                if !more.is_empty() || !less.is_empty() {
                    let sensitive =
                        base.is_some_and(|g| g.sensitive) || other.is_some_and(|g| g.sensitive);
                    changes.push(Change {
                        env: k,
                        more,
                        less,
                        sensitive,
                    });
                }
            }
            if let Some(f) = untold_finding(input, per_env, key, dir, &untold) {
                out.push(f);
            }
            if changes.is_empty() {
                continue;
            }
            let address = base
                .or_else(|| per_env.iter().find_map(|g| g.get(key)))
                .map(|g| g.address.clone());
            let Some(address) = address else { continue };
            let mut found = change_findings(input, &address, dir, &changes);
            // Each finding names the resources that write the traffic it is about.
            for f in &mut found {
                let wider = f.kind == Kind::AllowsMore;
                let regions: Vec<(usize, &[Region])> = changes
                    .iter()
                    .map(|c| (c.env, if wider { &c.more[..] } else { &c.less[..] }))
                    .filter(|(_, rs)| !rs.is_empty())
                    .collect();
                f.resources =
                    writers::resources(input, per_env, roots, lens.nets, key, dir, wider, &regions);
            }
            out.extend(found);
        }
    }
    out
}

/// Whether region `r`, allowed on one side, is a difference that can be told against
/// `others`, the other side's rules of that direction (as traffic, and whether each
/// allows it):
/// - an address region, unless the other side allows addresses known only after apply
///   on overlapping traffic;
/// - a region of addresses known only after apply from a known source (an attribute of
///   a resource), unless the other side allows address ranges or addresses from no
///   known source on overlapping traffic: another known source, a named peer (a group,
///   a tag) or a deny rule is a difference;
/// - a region of addresses known only after apply from no known source, when the other
///   side allows nothing overlapping.
fn told(r: &Region, others: &[(Region, bool)]) -> bool {
    let overlaps = |a: &space::Span, b: &space::Span| a.lo <= b.hi && b.lo <= a.hi;
    let touches = |blocks: &dyn Fn(&Region, bool) -> bool| {
        others.iter().any(|(g, allows)| {
            blocks(g, *allows)
                && (g.target == r.target || g.target.is_empty() || r.target.is_empty())
                && overlaps(&r.protocols, &g.protocols)
                && overlaps(&r.ports, &g.ports)
        })
    };
    match after_apply(r) {
        Some(false) => !touches(&|_, _| true),
        Some(true) => !touches(&|g, allows| {
            allows && (after_apply(g) == Some(false) || !matches!(g.space, PeerSpace::Named(_)))
        }),
        None => !touches(&|g, _| after_apply(g).is_some()),
    }
}

/// How an environment's cell of a coverage finding begins.
pub const NOT_COMPARED: &str = "not compared";

/// Whether a region is of addresses known only after apply: `Some(true)` when from a
/// known source, `Some(false)` when not.
fn after_apply(r: &Region) -> Option<bool> {
    match &r.space {
        PeerSpace::Named(n) => extract::after_apply_source(n),
        _ => None,
    }
}

/// A coverage finding for a group direction some environments could not compare.
fn untold_finding(
    input: &Input<'_>,
    per_env: &[Groups],
    key: &str,
    dir: Direction,
    untold: &[(usize, &'static str)],
) -> Option<Finding> {
    let (&(_, why), _) = untold.split_first()?;
    let b = input.baseline;
    let group = per_env[b]
        .get(key)
        .or_else(|| per_env.iter().find_map(|g| g.get(key)))?;
    let address = group.address.clone();
    let envs = input.envs;
    let ks: Vec<usize> = untold.iter().map(|(k, _)| *k).collect();
    let environments = envs
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let v = if k == b {
                "baseline".to_string()
            } else if let Some((_, w)) = untold.iter().find(|(j, _)| *j == k) {
                format!("{NOT_COMPARED}: {w}")
            } else {
                "compared".to_string()
            };
            (e.name.clone(), v)
        })
        .collect();
    let path = AttrPath(vec![PathStep::Attr(dir.as_str().into())]);
    Some(Finding {
        resources: Default::default(),
        differing: Default::default(),
        id: Finding::stable_id(Category::Coverage, Kind::NotCompared, &address, Some(&path)),
        category: Category::Coverage,
        kind: Kind::NotCompared,
        severity: severity::not_compared(false),
        message: format!(
            "{} rules of {address} are not wholly compared between {} and {}: {why}.",
            dir.as_str(),
            envs[b].name,
            super::input::names(envs, &ks)
        ),
        address,
        path: Some(path),
        environments,
    })
}

fn change_findings(
    input: &Input<'_>,
    address: &crate::model::Address,
    dir: Direction,
    changes: &[Change],
) -> Vec<Finding> {
    let envs = input.envs;
    let base_name = &envs[input.baseline].name;
    let mut out = Vec::new();
    for wider in [true, false] {
        let relevant: Vec<(&Change, &Vec<Region>)> = changes
            .iter()
            .map(|c| (c, if wider { &c.more } else { &c.less }))
            .filter(|(_, rs)| !rs.is_empty())
            .collect();
        if relevant.is_empty() {
            continue;
        }
        let kind = if wider {
            Kind::AllowsMore
        } else {
            Kind::AllowsLess
        };
        let public = relevant
            .iter()
            .any(|(_, rs)| rs.iter().any(reaches_internet));
        let sev = severity::firewall(kind, dir == Direction::Ingress, public);
        let mut environments: BTreeMap<String, String> = BTreeMap::new();
        let mut parts = Vec::new();
        for (k, env) in envs.iter().enumerate() {
            let value = if k == input.baseline {
                "baseline".to_string()
            } else {
                match relevant.iter().find(|(c, _)| c.env == k) {
                    Some((c, rs)) => {
                        // What an environment gained reads in its own addresses; what it
                        // lost, in the baseline's.
                        let ctx = &input.contexts[if wider { k } else { input.baseline }];
                        let text = describe_all(&without_covered(rs, ctx), dir, ctx);
                        let joined = if c.sensitive {
                            crate::normalize::diff::SENSITIVE.to_string()
                        } else {
                            text.join("; ")
                        };
                        parts.push((env.name.clone(), joined.clone()));
                        format!(
                            "{} {joined}",
                            if wider {
                                "also allows"
                            } else {
                                "no longer allows"
                            }
                        )
                    }
                    None => "same as baseline".to_string(),
                }
            };
            environments.insert(env.name.clone(), value);
        }
        let message = parts
            .iter()
            .map(|(name, what)| {
                if wider {
                    format!("{name} additionally allows {} {what}", direction_word(dir))
                } else {
                    format!(
                        "{name} does not allow {} {what}, which {base_name} allows",
                        direction_word(dir)
                    )
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        let path = AttrPath(vec![PathStep::Attr(dir.as_str().into())]);
        out.push(Finding {
            resources: Default::default(),
            differing: Default::default(),
            id: Finding::stable_id(Category::Firewall, kind, address, Some(&path)),
            category: Category::Firewall,
            kind,
            severity: sev,
            address: address.clone(),
            path: Some(path),
            environments,
            message: format!("{message}."),
        });
    }
    out
}

#[cfg(test)]
mod tests;
