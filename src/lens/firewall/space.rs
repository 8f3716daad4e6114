//! The traffic a rule set allows, as a set of boxes in protocol × port × peer space,
//! and the difference between two such sets. Works for unordered allow-lists (security
//! groups: allowed if any rule allows) and ordered lists with denies (NACLs, NSGs, GCP:
//! the first matching rule decides). Coordinates are compressed to the boundaries the
//! rules use, so the cost follows the number of rules, not the size of the space.

use super::rule::{Action, Peer, Ports, Rule};
use ipnet::IpNet;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

/// Where along the peer axis a rule sits: an IPv4 or IPv6 range, or a named peer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeerSpace {
    V4,
    V6,
    /// Offsets inside an environment's own network, by the network's logical address.
    Rooted(String, bool),
    Named(String),
}

/// An inclusive interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub lo: u128,
    pub hi: u128,
}

/// One box of traffic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region {
    pub target: String,
    pub space: PeerSpace,
    pub protocols: Span,
    pub ports: Span,
    pub peers: Span,
}

fn net_span(n: &IpNet) -> (PeerSpace, Span) {
    match n {
        IpNet::V4(v4) => (
            PeerSpace::V4,
            Span {
                lo: u128::from(u32::from(v4.network())),
                hi: u128::from(u32::from(v4.broadcast())),
            },
        ),
        IpNet::V6(v6) => (
            PeerSpace::V6,
            Span {
                lo: u128::from(v6.network()),
                hi: u128::from(v6.broadcast()),
            },
        ),
    }
}

/// The region a rule covers.
pub fn region_of(rule: &Rule) -> Region {
    let (space, peers) = match &rule.peer {
        Peer::Net(n) => net_span(n),
        Peer::Rooted { root, v6, lo, hi } => (
            PeerSpace::Rooted(root.clone(), *v6),
            Span { lo: *lo, hi: *hi },
        ),
        Peer::Named(s) => (PeerSpace::Named(s.clone()), Span { lo: 0, hi: 0 }),
    };
    let ports = if rule.protocols.is_all() {
        Ports::ALL
    } else {
        rule.ports
    };
    Region {
        target: rule.target.clone(),
        space,
        protocols: Span {
            lo: u128::from(rule.protocols.lo),
            hi: u128::from(rule.protocols.hi),
        },
        ports: Span {
            lo: u128::from(ports.lo),
            hi: u128::from(ports.hi),
        },
        peers,
    }
}

/// How a rule set decides traffic no rule matches, and whether order matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Semantics {
    /// First match by priority decides (NACL, NSG, GCP); otherwise any allow allows.
    pub ordered: bool,
    /// What happens to traffic no rule matches.
    pub default_allow: bool,
}

/// Split points of one axis: each span starts a cell and ends one.
fn cuts(spans: impl Iterator<Item = Span>) -> Vec<u128> {
    let mut v: Vec<u128> = vec![0];
    for s in spans {
        v.push(s.lo);
        if let Some(next) = s.hi.checked_add(1) {
            v.push(next);
        }
    }
    v.sort_unstable();
    v.dedup();
    v
}

fn cell_spans(points: &[u128], max: u128) -> Vec<Span> {
    points
        .iter()
        .enumerate()
        .filter(|(_, p)| **p <= max)
        .map(|(i, &lo)| Span {
            lo,
            hi: points.get(i + 1).map(|n| n - 1).unwrap_or(max).min(max),
        })
        .collect()
}

fn contains(s: Span, p: u128) -> bool {
    s.lo <= p && p <= s.hi
}

/// Above this many cells for one target and peer space, the set difference is not
/// computed: a rule set this large is compared rule by rule instead (an allow rule
/// one side has and the other does not).
pub const MAX_CELLS: usize = 4_000_000;

/// Above this many rule checks (cells × rules), the same fallback applies.
pub const MAX_WORK: usize = 40_000_000;

/// Each side's rules in one target and peer space, with their regions.
type Sides<'r> = (Vec<(Region, &'r Rule)>, Vec<(Region, &'r Rule)>);

/// The regions one side allows that the other does not: `(more, less)` where `more` is
/// what `b` allows beyond `a`, and `less` what `a` allows that `b` does not.
/// `None` when the rule sets are too large for cell arithmetic.
pub fn difference(
    a: &[Rule],
    sa: Semantics,
    b: &[Rule],
    sb: Semantics,
) -> Option<(Vec<Region>, Vec<Region>)> {
    let mut keys: BTreeMap<(String, PeerSpace), Sides<'_>> = BTreeMap::new();
    for r in a {
        let reg = region_of(r);
        keys.entry((reg.target.clone(), reg.space.clone()))
            .or_default()
            .0
            .push((reg, r));
    }
    for r in b {
        let reg = region_of(r);
        keys.entry((reg.target.clone(), reg.space.clone()))
            .or_default()
            .1
            .push((reg, r));
    }
    // Rules that apply beyond their own partition: an untargeted rule applies to every
    // target, and an address rule covering every address applies to named peers too
    // (a deny of 0.0.0.0/0 shadows an allow from a tag). They are evaluated in those
    // partitions as well; a difference they alone explain is reported where they live.
    // Looked up by key rather than found by scanning every partition for every
    // partition, which cost the square of the partitions (a group's rules fall into a
    // partition per network they name).
    let inherited = |target: &str, space: &PeerSpace, side: usize| -> Vec<(Region, &Rule)> {
        let mut out = Vec::new();
        let pick = |t: &str, s: &PeerSpace| {
            keys.get(&(t.to_string(), s.clone()))
                .map(|sides| if side == 0 { &sides.0 } else { &sides.1 })
        };
        // An untargeted rule of the same space applies to every target.
        let mut from: Vec<(&Vec<(Region, &Rule)>, bool)> = Vec::new();
        if !target.is_empty() {
            if let Some(rs) = pick("", space) {
                from.push((rs, false));
            }
        }
        // An address rule covering every address applies to named peers too.
        if matches!(space, PeerSpace::Named(_)) {
            for t in ["", target] {
                if let Some(rs) = pick(t, &PeerSpace::V4) {
                    from.push((rs, true));
                }
                if target.is_empty() {
                    break;
                }
            }
        }
        for (rs, covers_all) in from {
            for (reg, rule) in rs {
                if covers_all && !(reg.peers.lo == 0 && reg.peers.hi == u128::from(u32::MAX)) {
                    continue;
                }
                let mut moved = reg.clone();
                moved.target = target.to_string();
                moved.space = space.clone();
                if covers_all {
                    moved.peers = Span { lo: 0, hi: 0 };
                }
                out.push((moved, *rule));
            }
        }
        out
    };
    let partitions: Vec<((String, PeerSpace), Sides<'_>, Sides<'_>)> = keys
        .iter()
        .map(|((t, s), (ra, rb))| {
            let ia = inherited(t, s, 0);
            let ib = inherited(t, s, 1);
            let mut ra2 = ra.clone();
            ra2.extend(ia.iter().cloned());
            let mut rb2 = rb.clone();
            rb2.extend(ib.iter().cloned());
            ((t.clone(), s.clone()), (ra2, rb2), (ia, ib))
        })
        .collect();
    let (mut more, mut less) = (Vec::new(), Vec::new());
    for ((target, space), (ra, rb), (ia, ib)) in partitions {
        let max_peer = match space {
            PeerSpace::V4 | PeerSpace::Rooted(_, false) => u128::from(u32::MAX),
            PeerSpace::V6 | PeerSpace::Rooted(_, true) => u128::MAX,
            PeerSpace::Named(_) => 0,
        };
        let all = ra.iter().chain(rb.iter());
        let pc = cell_spans(&cuts(all.clone().map(|(r, _)| r.protocols)), 255);
        let tc = cell_spans(&cuts(all.clone().map(|(r, _)| r.ports)), 65535);
        let nc = cell_spans(&cuts(all.map(|(r, _)| r.peers)), max_peer);
        let cells = pc.len().saturating_mul(tc.len()).saturating_mul(nc.len());
        if cells > MAX_CELLS || cells.saturating_mul(ra.len() + rb.len()) > MAX_WORK {
            // Too large for cells: compare the rules themselves.
            let (sa_rules, sb_rules): (BTreeSet<&Rule>, BTreeSet<&Rule>) = (
                ra.iter().map(|x| x.1).collect(),
                rb.iter().map(|x| x.1).collect(),
            );
            more.extend(
                sb_rules
                    .difference(&sa_rules)
                    .filter(|r| r.action == Action::Allow)
                    .map(|r| region_of(r)),
            );
            less.extend(
                sa_rules
                    .difference(&sb_rules)
                    .filter(|r| r.action == Action::Allow)
                    .map(|r| region_of(r)),
            );
            continue;
        }
        let order = |rs: &mut Vec<(Region, &Rule)>| {
            rs.sort_by(|x, y| {
                x.1.priority
                    .cmp(&y.1.priority)
                    .then((x.1.action == Action::Allow).cmp(&(y.1.action == Action::Allow)))
            });
        };
        let (mut ra, mut rb, mut ia, mut ib) = (ra, rb, ia, ib);
        order(&mut ra);
        order(&mut rb);
        order(&mut ia);
        order(&mut ib);
        let decide = |rs: &[(Region, &Rule)], sem: Semantics, p: u128, t: u128, n: u128| -> bool {
            let hit = |(r, _): &&(Region, &Rule)| {
                contains(r.protocols, p) && contains(r.ports, t) && contains(r.peers, n)
            };
            if sem.ordered {
                match rs.iter().find(hit) {
                    Some((_, rule)) => rule.action == Action::Allow,
                    None => sem.default_allow,
                }
            } else {
                rs.iter()
                    .filter(|(_, rule)| rule.action == Action::Allow)
                    .any(|x| hit(&x))
                    || sem.default_allow
            }
        };
        for p in &pc {
            for t in &tc {
                for n in &nc {
                    let (x, y) = (
                        decide(&ra, sa, p.lo, t.lo, n.lo),
                        decide(&rb, sb, p.lo, t.lo, n.lo),
                    );
                    if x == y {
                        continue;
                    }
                    // Explained by inherited rules alone: reported in their partition.
                    if (!ia.is_empty() || !ib.is_empty())
                        && (
                            decide(&ia, sa, p.lo, t.lo, n.lo),
                            decide(&ib, sb, p.lo, t.lo, n.lo),
                        ) == (x, y)
                        && (ra.len() > ia.len() || rb.len() > ib.len())
                    {
                        continue;
                    }
                    let reg = Region {
                        target: target.clone(),
                        space: space.clone(),
                        protocols: *p,
                        ports: *t,
                        peers: *n,
                    };
                    if y {
                        more.push(reg);
                    } else {
                        less.push(reg);
                    }
                }
            }
        }
    }
    Some((merge(more), merge(less)))
}

/// Merges adjacent boxes along each axis in turn, so that a reader sees
/// `tcp/20-23 from 0.0.0.0/0` rather than many cells.
pub fn merge(mut regions: Vec<Region>) -> Vec<Region> {
    for axis in [1usize, 2, 0, 1] {
        regions.sort_by(|a, b| {
            // The axis being merged sorts last, so that mergeable boxes are adjacent.
            fn key(r: &Region, axis: usize) -> (&String, &PeerSpace, (Span, Span, Span)) {
                let spans = match axis {
                    0 => (r.ports, r.peers, r.protocols),
                    1 => (r.protocols, r.peers, r.ports),
                    _ => (r.protocols, r.ports, r.peers),
                };
                (&r.target, &r.space, spans)
            }
            key(a, axis).cmp(&key(b, axis))
        });
        let mut out: Vec<Region> = Vec::with_capacity(regions.len());
        for r in regions {
            if let Some(last) = out.last_mut() {
                let same_rest = last.target == r.target
                    && last.space == r.space
                    && match axis {
                        0 => last.ports == r.ports && last.peers == r.peers,
                        1 => last.protocols == r.protocols && last.peers == r.peers,
                        _ => last.protocols == r.protocols && last.ports == r.ports,
                    };
                let (l, n) = match axis {
                    0 => (&mut last.protocols, r.protocols),
                    1 => (&mut last.ports, r.ports),
                    _ => (&mut last.peers, r.peers),
                };
                if same_rest && l.hi.checked_add(1) == Some(n.lo) {
                    l.hi = n.hi;
                    continue;
                }
            }
            out.push(r);
        }
        regions = out;
    }
    regions
}

/// The CIDRs that exactly cover an address span (for a rooted span, offsets added to
/// `base`, the environment's own network).
pub fn span_to_nets(space: &PeerSpace, s: Span) -> Vec<IpNet> {
    let bits: u32 = match space {
        PeerSpace::V4 | PeerSpace::Rooted(_, false) => 32,
        PeerSpace::V6 | PeerSpace::Rooted(_, true) => 128,
        PeerSpace::Named(_) => return Vec::new(),
    };
    let space = match space {
        PeerSpace::Rooted(_, false) => &PeerSpace::V4,
        PeerSpace::Rooted(_, true) => &PeerSpace::V6,
        s => s,
    };
    let mut out = Vec::new();
    let mut lo = s.lo;
    loop {
        // The largest aligned block starting at lo that stays within hi.
        let mut size_bits = if lo == 0 {
            bits
        } else {
            lo.trailing_zeros().min(bits)
        };
        loop {
            let size: u128 = if size_bits >= 128 {
                u128::MAX
            } else {
                (1u128 << size_bits) - 1
            };
            if lo.checked_add(size).is_some_and(|end| end <= s.hi) {
                break;
            }
            size_bits -= 1;
        }
        let prefix = (bits - size_bits) as u8;
        let net = match space {
            PeerSpace::V4 => IpNet::new(IpAddr::V4(std::net::Ipv4Addr::from(lo as u32)), prefix),
            _ => IpNet::new(IpAddr::V6(std::net::Ipv6Addr::from(lo)), prefix),
        };
        if let Ok(n) = net {
            out.push(n);
        }
        let end = if size_bits >= 128 {
            u128::MAX
        } else {
            lo + ((1u128 << size_bits) - 1)
        };
        if end >= s.hi {
            break;
        }
        lo = end + 1;
    }
    out
}

/// Private, shared, loopback and link-local ranges: traffic from anywhere else is
/// traffic from the internet.
const NON_PUBLIC: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
    "::1/128",
];

/// Whether any address of the region is public.
pub fn reaches_internet(r: &Region) -> bool {
    match &r.space {
        PeerSpace::Named(n) => {
            let n = n.to_ascii_lowercase();
            return n == "internet" || n == "*" || n == "any";
        }
        // The environment's own network.
        PeerSpace::Rooted(..) => return false,
        _ => {}
    }
    static NON_PUBLIC_SPANS: std::sync::LazyLock<Vec<(PeerSpace, Span)>> =
        std::sync::LazyLock::new(|| {
            let mut v: Vec<(PeerSpace, Span)> = NON_PUBLIC
                .iter()
                .filter_map(|s| s.parse::<IpNet>().ok())
                .map(|n| net_span(&n))
                .collect();
            v.sort();
            v
        });
    let covered: Vec<Span> = NON_PUBLIC_SPANS
        .iter()
        .filter(|(sp, _)| *sp == r.space)
        .map(|(_, s)| *s)
        .collect();
    // Is [lo, hi] fully inside the union of private spans?
    let mut at = r.peers.lo;
    for s in covered {
        if s.lo > at {
            break;
        }
        if s.hi >= at {
            match s.hi.checked_add(1) {
                Some(next) => at = next,
                None => return false,
            }
            if at > r.peers.hi {
                return false;
            }
        }
    }
    at <= r.peers.hi
}

#[cfg(test)]
mod tests {
    use super::super::rule::{Direction, Peer};
    use super::*;

    fn rule(
        prio: i64,
        action: Action,
        proto: &str,
        ports: &str,
        peer: &str,
    ) -> crate::TestResult<Rule> {
        Ok(Rule {
            direction: Direction::Ingress,
            target: String::new(),
            priority: prio,
            action,
            protocols: super::super::rule::parse_protocol(proto).ok_or("protocol")?,
            ports: Ports::parse(ports).ok_or("ports")?,
            peer: match peer.parse::<IpNet>() {
                Ok(n) => Peer::Net(n),
                Err(_) => Peer::Named(peer.into()),
            },
        })
    }

    const SG: Semantics = Semantics {
        ordered: false,
        default_allow: false,
    };
    const ACL: Semantics = Semantics {
        ordered: true,
        default_allow: false,
    };

    fn describe(rs: &[Region]) -> Vec<String> {
        rs.iter()
            .map(|r| {
                let nets: Vec<String> = span_to_nets(&r.space, r.peers)
                    .iter()
                    .map(|n| n.to_string())
                    .collect();
                let peer = match &r.space {
                    PeerSpace::Named(n) => n.clone(),
                    _ => nets.join(","),
                };
                format!(
                    "p{}-{} {}-{} {}",
                    r.protocols.lo, r.protocols.hi, r.ports.lo, r.ports.hi, peer
                )
            })
            .collect()
    }

    fn diff(
        a: &[Rule],
        sa: Semantics,
        b: &[Rule],
        sb: Semantics,
    ) -> crate::TestResult<(Vec<String>, Vec<String>)> {
        let (m, l) = difference(a, sa, b, sb).ok_or("too many cells")?;
        Ok((describe(&m), describe(&l)))
    }

    #[test]
    fn same_allowance_written_differently_is_equal() -> crate::TestResult {
        // one rule 20-25 vs two rules 20-22 and 23-25; two /25 vs one /24
        let a = [rule(0, Action::Allow, "tcp", "20-25", "10.0.0.0/24")?];
        let b = [
            rule(0, Action::Allow, "6", "20-22", "10.0.0.0/25")?,
            rule(0, Action::Allow, "tcp", "23-25", "10.0.0.0/25")?,
            rule(0, Action::Allow, "tcp", "20-25", "10.0.0.128/25")?,
        ];
        assert_eq!(diff(&a, SG, &b, SG)?, (vec![], vec![]));
        Ok(())
    }

    #[test]
    fn overlapping_and_adjacent_ranges() -> crate::TestResult {
        let a = [rule(0, Action::Allow, "tcp", "80-90", "0.0.0.0/0")?];
        let b = [rule(0, Action::Allow, "tcp", "85-100", "0.0.0.0/0")?];
        assert_eq!(
            diff(&a, SG, &b, SG)?,
            (
                vec!["p6-6 91-100 0.0.0.0/0".to_string()],
                vec!["p6-6 80-84 0.0.0.0/0".to_string()]
            )
        );
        let a = [rule(0, Action::Allow, "tcp", "22", "10.0.0.0/24")?];
        let b = [rule(0, Action::Allow, "tcp", "22", "10.0.0.0/23")?];
        assert_eq!(diff(&a, SG, &b, SG)?.0, vec!["p6-6 22-22 10.0.1.0/24"]);
        Ok(())
    }

    #[test]
    fn all_protocols_versus_tcp() -> crate::TestResult {
        let a = [rule(0, Action::Allow, "tcp", "*", "10.0.0.0/8")?];
        let b = [rule(0, Action::Allow, "-1", "*", "10.0.0.0/8")?];
        let (more, less) = diff(&a, SG, &b, SG)?;
        assert!(less.is_empty());
        assert_eq!(
            more,
            vec!["p0-5 0-65535 10.0.0.0/8", "p7-255 0-65535 10.0.0.0/8"]
        );
        Ok(())
    }

    #[test]
    fn ipv6_and_named_peers() -> crate::TestResult {
        let a = [
            rule(0, Action::Allow, "tcp", "443", "::/0")?,
            rule(0, Action::Allow, "tcp", "443", "sg web")?,
        ];
        let b = [
            rule(0, Action::Allow, "tcp", "443", "2001:db8::/32")?,
            rule(0, Action::Allow, "tcp", "443", "sg web")?,
        ];
        let (more, less) = diff(&a, SG, &b, SG)?;
        assert!(more.is_empty());
        assert_eq!(less.len(), 2, "{less:?}"); // ::/0 minus 2001:db8::/32 is two spans
        Ok(())
    }

    #[test]
    fn deny_before_allow_in_ordered_lists() -> crate::TestResult {
        // NACL: rule 100 denies 22 from anywhere, 200 allows everything.
        let a = [
            rule(100, Action::Deny, "tcp", "22", "0.0.0.0/0")?,
            rule(200, Action::Allow, "-1", "*", "0.0.0.0/0")?,
        ];
        // Same rules, allow first: 22 is now open.
        let b = [
            rule(100, Action::Allow, "-1", "*", "0.0.0.0/0")?,
            rule(200, Action::Deny, "tcp", "22", "0.0.0.0/0")?,
        ];
        assert_eq!(
            diff(&a, ACL, &b, ACL)?,
            (vec!["p6-6 22-22 0.0.0.0/0".to_string()], vec![])
        );
        // Equal priority: deny wins (GCP).
        let c = [
            rule(1000, Action::Allow, "tcp", "22", "0.0.0.0/0")?,
            rule(1000, Action::Deny, "tcp", "22", "0.0.0.0/0")?,
        ];
        assert_eq!(diff(&[], ACL, &c, ACL)?, (vec![], vec![]));
        Ok(())
    }

    #[test]
    fn internet_reach() -> crate::TestResult {
        for (cidr, want) in [
            ("0.0.0.0/0", true),
            ("10.0.0.0/8", false),
            ("10.0.0.0/7", true),
            ("192.168.1.0/24", false),
            ("8.8.8.8/32", true),
            ("::/0", true),
            ("fd00::/8", false),
        ] {
            let r = region_of(&rule(0, Action::Allow, "tcp", "22", cidr)?);
            assert_eq!(reaches_internet(&r), want, "{cidr}");
        }
        Ok(())
    }

    #[test]
    fn spans_to_cidrs() {
        let nets = |lo: u32, hi: u32| -> Vec<String> {
            span_to_nets(
                &PeerSpace::V4,
                Span {
                    lo: lo.into(),
                    hi: hi.into(),
                },
            )
            .iter()
            .map(|n| n.to_string())
            .collect()
        };
        assert_eq!(nets(0, u32::MAX), ["0.0.0.0/0"]);
        assert_eq!(
            nets(
                u32::from(std::net::Ipv4Addr::new(10, 0, 1, 0)),
                u32::from(std::net::Ipv4Addr::new(10, 0, 2, 255))
            ),
            ["10.0.1.0/24", "10.0.2.0/24"]
        );
        assert_eq!(
            span_to_nets(
                &PeerSpace::V6,
                Span {
                    lo: 0,
                    hi: u128::MAX
                }
            )
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>(),
            ["::/0"]
        );
    }
}
