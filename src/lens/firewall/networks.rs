//! An environment's own networks (address-space roots) as the firewall lens reads them,
//! indexed once: by key, and by address so that the networks inside a range are found
//! without scanning them all. And what an address-range rule stands for inside them: a
//! rule from `10.0.0.0/8` also allows each VPC in it whole. Those rules are made only
//! for the networks a comparison needs ([`Expansion`]): a network whose rules from
//! covering ranges are the same on both sides compares equal and is not made at all,
//! so the cost follows rules and networks, not their product. Judges nothing.

use super::extract::Group;
use super::rule::{Direction, Peer, Rule};
use super::space::Semantics;
use crate::normalize::Context;
use ipnet::IpNet;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One root: its key, family and network, in the order [`Context::roots`] gives.
#[derive(Debug, Clone)]
pub struct Root {
    pub key: String,
    pub v6: bool,
    pub net: IpNet,
}

/// A network compared across environments: a root key and a family.
pub type Unit = (String, bool);

/// The roots of one environment, indexed.
#[derive(Debug, Default)]
pub struct Networks {
    /// In [`Context::roots`] order.
    pub roots: Vec<Root>,
    /// Positions in `roots` by key and family, in order.
    by_unit: HashMap<Unit, Vec<usize>>,
    /// `(first address, last address, position)` per family, by first address.
    spans: [Vec<(u128, u128, usize)>; 2],
    /// Every key.
    pub keys: BTreeSet<String>,
}

fn bounds(n: &IpNet) -> (u128, u128) {
    match n {
        IpNet::V4(v) => (
            u128::from(u32::from(v.network())),
            u128::from(u32::from(v.broadcast())),
        ),
        IpNet::V6(v) => (u128::from(v.network()), u128::from(v.broadcast())),
    }
}

impl Networks {
    pub fn new(ctx: &Context<'_>) -> Networks {
        let mut n = Networks::default();
        for (i, (owner, net)) in ctx.roots().enumerate() {
            let key = ctx.root_key(owner);
            let v6 = matches!(net, IpNet::V6(_));
            n.by_unit.entry((key.clone(), v6)).or_default().push(i);
            let (lo, hi) = bounds(&net);
            n.spans[usize::from(v6)].push((lo, hi, i));
            n.keys.insert(key.clone());
            n.roots.push(Root { key, v6, net });
        }
        for s in &mut n.spans {
            s.sort_unstable();
        }
        n
    }

    /// The positions of the roots inside `n` (`n.contains(root)`), in root order.
    pub fn inside(&self, n: &IpNet) -> Vec<usize> {
        let v6 = matches!(n, IpNet::V6(_));
        let (lo, hi) = bounds(n);
        let spans = &self.spans[usize::from(v6)];
        let start = spans.partition_point(|s| s.0 < lo);
        let mut out: Vec<usize> = spans[start..]
            .iter()
            .take_while(|s| s.0 <= hi)
            .filter(|s| s.1 <= hi)
            .map(|s| s.2)
            .collect();
        out.sort_unstable();
        out
    }

    /// The roots of a unit, in order.
    pub fn of_unit(&self, unit: &Unit) -> &[usize] {
        self.by_unit.get(unit).map_or(&[], Vec::as_slice)
    }
}

/// The rule a covering rule stands for inside one root: the same rule from the whole
/// root, as offsets.
pub fn covered(rule: &Rule, root: &Root) -> Rule {
    Rule {
        peer: super::extract::rooted(&root.key, root.net, root.net),
        ..rule.clone()
    }
}

/// What a network's covering rules look like on one side, for one root of it: the
/// distinct covering range (an index into [`Pair::ranges`]) and the root's size.
type Cover = (usize, u8);

/// The networks of two environments compared with each other, grouped by what covers
/// them: networks that every covering range (of either side) covers alike, with roots
/// of the same sizes, compare alike in every group.
#[derive(Debug, Default)]
pub struct Pair {
    /// Every distinct range of a covering rule, either side.
    ranges: Vec<IpNet>,
    range_index: HashMap<IpNet, usize>,
    /// Classes of networks: what covers them on each side, and the networks.
    classes: Vec<(Vec<Cover>, Vec<Cover>, Vec<Unit>)>,
}

impl Pair {
    /// Groups the networks both environments have by the covering ranges of every
    /// group of both (`a_groups`, `b_groups`).
    pub fn new<'g>(
        a: &Networks,
        a_groups: impl Iterator<Item = &'g Group>,
        b: &Networks,
        b_groups: impl Iterator<Item = &'g Group>,
    ) -> Pair {
        let mut pair = Pair::default();
        let note = |pair: &mut Pair, r: &Rule| {
            if let Peer::Net(n) = r.peer {
                if !pair.range_index.contains_key(&n) {
                    pair.range_index.insert(n, pair.ranges.len());
                    pair.ranges.push(n);
                }
            }
        };
        for g in a_groups.chain(b_groups) {
            for r in &g.covers {
                note(&mut pair, r);
            }
        }
        // What covers each unit, per side (each distinct range's roots found by address).
        let mut cover: [BTreeMap<Unit, Vec<Cover>>; 2] = Default::default();
        for (side, nets) in [a, b].into_iter().enumerate() {
            for (d, range) in pair.ranges.iter().enumerate() {
                for i in nets.inside(range) {
                    let root = &nets.roots[i];
                    cover[side]
                        .entry((root.key.clone(), root.v6))
                        .or_default()
                        .push((d, root.net.prefix_len()));
                }
            }
        }
        let units: BTreeSet<&Unit> = cover[0]
            .keys()
            .chain(cover[1].keys())
            .filter(|(k, _)| a.keys.contains(k) && b.keys.contains(k))
            .collect();
        let mut classes: BTreeMap<(Vec<Cover>, Vec<Cover>), Vec<Unit>> = BTreeMap::new();
        for u in units {
            let mut ca = cover[0].get(u).cloned().unwrap_or_default();
            let mut cb = cover[1].get(u).cloned().unwrap_or_default();
            ca.sort_unstable();
            cb.sort_unstable();
            classes.entry((ca, cb)).or_default().push(u.clone());
        }
        pair.classes = classes
            .into_iter()
            .map(|((ca, cb), us)| (ca, cb, us))
            .collect();
        pair
    }
}

/// A covering rule inside a root of a given size, without its range: the rule the
/// comparison of that network would have (everything but the peer, whose offsets
/// are the whole root).
type Shape = (
    String,
    super::rule::Protocols,
    super::rule::Ports,
    super::rule::Action,
    i64,
    u8,
);

fn shape(r: &Rule, size: u8) -> Shape {
    (
        r.target.clone(),
        r.protocols,
        r.ports,
        r.action,
        r.priority,
        size,
    )
}

/// A group's covering rules of a direction, with the index of their range.
fn covering<'g>(pair: &Pair, dir: Direction, g: Option<&'g Group>) -> Vec<(usize, &'g Rule)> {
    g.map(|g| {
        g.covers
            .iter()
            .filter(|r| r.direction == dir)
            .filter_map(|r| match r.peer {
                Peer::Net(n) => pair.range_index.get(&n).map(|&d| (d, r)),
                _ => None,
            })
            .collect()
    })
    .unwrap_or_default()
}

/// The rules of one group and direction on both sides, with the covered-network rules
/// the comparison needs added: those of every network a rule names by its offsets, and
/// of every class of networks whose covering rules differ between the sides. Networks
/// of a class whose covering rules are the same on both sides (same targets, protocols,
/// ports, actions, priorities and root sizes), under the same semantics, allow the same
/// traffic on both sides and are left out: the comparison would find nothing there.
/// Covered networks the other environment does not have are left out too: their rules
/// would be read as address ranges inside the covering range itself, which allows
/// them already.
pub fn expand(
    pair: &Pair,
    dir: Direction,
    (a, a_group, a_rules, sa): (&Networks, Option<&Group>, Vec<Rule>, Semantics),
    (b, b_group, b_rules, sb): (&Networks, Option<&Group>, Vec<Rule>, Semantics),
) -> (Vec<Rule>, Vec<Rule>) {
    let (ca, cb) = (covering(pair, dir, a_group), covering(pair, dir, b_group));
    if ca.is_empty() && cb.is_empty() {
        return (a_rules, b_rules);
    }
    // Networks a rule of either side names by offsets (and that both sides have).
    let mut explicit: BTreeSet<Unit> = BTreeSet::new();
    for r in a_rules.iter().chain(b_rules.iter()) {
        if let Peer::Rooted { root, v6, .. } = &r.peer {
            if a.keys.contains(root) && b.keys.contains(root) {
                explicit.insert((root.clone(), *v6));
            }
        }
    }
    let sig = |cs: &[(usize, &Rule)], covers: &[Cover]| -> Vec<Shape> {
        let mut out: Vec<Shape> = covers
            .iter()
            .flat_map(|&(d, size)| {
                cs.iter()
                    .filter(move |(rd, _)| *rd == d)
                    .map(move |(_, r)| shape(r, size))
            })
            .collect();
        out.sort();
        out.dedup();
        out
    };
    for (cov_a, cov_b, units) in &pair.classes {
        let (x, y) = (sig(&ca, cov_a), sig(&cb, cov_b));
        if x.is_empty() && y.is_empty() {
            continue;
        }
        if sa != sb || x != y {
            explicit.extend(units.iter().cloned());
        }
    }
    let add = |nets: &Networks, cs: &[(usize, &Rule)], mut rules: Vec<Rule>| -> Vec<Rule> {
        if cs.is_empty() || explicit.is_empty() {
            return rules;
        }
        let before = rules.len();
        for unit in &explicit {
            for &i in nets.of_unit(unit) {
                let root = &nets.roots[i];
                for (_, r) in cs {
                    if let Peer::Net(n) = r.peer {
                        if n.contains(&root.net) {
                            rules.push(covered(r, root));
                        }
                    }
                }
            }
        }
        if rules.len() != before {
            rules.sort();
            rules.dedup();
        }
        rules
    };
    (add(a, &ca, a_rules), add(b, &cb, b_rules))
}
