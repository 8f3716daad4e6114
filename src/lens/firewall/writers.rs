//! Which resources write a firewall difference: in each environment a finding compares,
//! the resources whose rules of the group touch the traffic that differs (an
//! `aws_security_group_rule`, an `aws_vpc_security_group_ingress_rule`, a
//! `google_compute_firewall` of a network), and their counterparts of the same logical
//! address in the other environments. Attribution only: it judges nothing.

use super::extract::{Group, Groups};
use super::networks::{covered, Networks};
use super::rule::{Action, Direction};
use super::space::{region_of, PeerSpace, Region, Span};
use crate::lens::input::Input;
use crate::model::Address;
use crate::normalize::Context;
use std::collections::{BTreeMap, BTreeSet};

/// Whether two regions of traffic share any: the same kind of peer and overlapping
/// protocols, ports and peers, for the same target (or the whole group).
fn overlap(a: &Region, b: &Region) -> bool {
    let o = |p: &Span, q: &Span| p.lo <= q.hi && q.lo <= p.hi;
    a.space == b.space
        && (a.target == b.target || a.target.is_empty() || b.target.is_empty())
        && o(&a.protocols, &b.protocols)
        && o(&a.ports, &b.ports)
        && o(&a.peers, &b.peers)
}

/// The positions of the resources writing `group`'s rules of direction `dir` and
/// `action` that touch any of `regions`, the rules read as the comparison reads them
/// (`other_roots`: the networks of the environment compared with).
fn touching(
    group: Option<&Group>,
    (dir, action): (Direction, Action),
    regions: &[Region],
    (ctx, nets): (&Context<'_>, &Networks),
    other_roots: &BTreeSet<String>,
) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let Some(g) = group else { return out };
    for (rule, ws) in &g.writers {
        if rule.direction != dir || rule.action != action {
            continue;
        }
        let touches = super::unroot(vec![rule.clone()], ctx, other_roots)
            .iter()
            .any(|r| {
                let x = region_of(r);
                regions.iter().any(|y| overlap(&x, y))
            })
            || (g.covers.contains(rule) && covers_touching(rule, regions, nets, other_roots));
        if touches {
            out.extend(ws.iter().copied());
        }
    }
    out
}

/// Whether a covering rule (see [`Group::covers`]) touches `regions` through what it
/// stands for in one of the environment's networks that the other environment has too
/// (inside the others it reads as an address range within its own, already tried).
fn covers_touching(
    rule: &super::rule::Rule,
    regions: &[Region],
    nets: &Networks,
    other_roots: &BTreeSet<String>,
) -> bool {
    let super::rule::Peer::Net(n) = rule.peer else {
        return false;
    };
    regions.iter().any(|y| {
        let PeerSpace::Rooted(key, v6) = &y.space else {
            return false;
        };
        other_roots.contains(key)
            && nets.of_unit(&(key.clone(), *v6)).iter().any(|&i| {
                let root = &nets.roots[i];
                n.contains(&root.net) && overlap(&region_of(&covered(rule, root)), y)
            })
    })
}

/// The resources behind one finding about the group `key` in direction `dir`, by
/// environment name: `regions` holds, for each environment that differs, the traffic
/// that differs there, which it allows beyond the baseline when `wider` and no longer
/// allows otherwise. The side that allows that traffic names its allow rules touching
/// it; the other side names its deny rules touching it (a deny that only one side has
/// is what differs). Then a resource named in one environment brings its counterpart
/// (same logical address, writing rules of this group and direction) in the others, so
/// that a changed rule is named on both sides. Empty when the groups themselves write
/// every rule named (inline blocks): the finding's address says it.
#[allow(clippy::too_many_arguments)]
pub(super) fn resources(
    input: &Input<'_>,
    per_env: &[Groups],
    roots: &[BTreeSet<String>],
    nets: &[Networks],
    key: &str,
    dir: Direction,
    wider: bool,
    regions: &[(usize, &[Region])],
) -> BTreeMap<String, Vec<Address>> {
    let b = input.baseline;
    let envs = input.envs;
    let (here, there) = if wider {
        (Action::Allow, Action::Deny)
    } else {
        (Action::Deny, Action::Allow)
    };
    let mut found: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); envs.len()];
    let mut involved: BTreeSet<usize> = BTreeSet::from([b]);
    for (k, rs) in regions {
        involved.insert(*k);
        let ctx = &input.contexts[*k];
        found[*k].extend(touching(
            per_env[*k].get(key),
            (dir, here),
            rs,
            (ctx, &nets[*k]),
            &roots[b],
        ));
        let ctx = &input.contexts[b];
        found[b].extend(touching(
            per_env[b].get(key),
            (dir, there),
            rs,
            (ctx, &nets[b]),
            &roots[*k],
        ));
    }
    let logical = |k: usize, i: usize| {
        input.contexts[k]
            .logical(&envs[k].resources[i].address)
            .into_owned()
    };
    let named: BTreeSet<Address> = found
        .iter()
        .enumerate()
        .flat_map(|(k, s)| s.iter().map(move |&i| (k, i)))
        .map(|(k, i)| logical(k, i))
        .collect();
    for &k in &involved {
        let Some(g) = per_env[k].get(key) else {
            continue;
        };
        for (rule, ws) in &g.writers {
            if rule.direction != dir {
                continue;
            }
            for &i in ws {
                if !found[k].contains(&i) && named.contains(&logical(k, i)) {
                    found[k].insert(i);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    let mut own = false;
    for &k in &involved {
        if found[k].is_empty() {
            continue;
        }
        let group = per_env[k].get(key).map(|g| &g.address);
        let addresses: Vec<Address> = found[k]
            .iter()
            .map(|&i| envs[k].resources[i].address.clone())
            .collect();
        own |= addresses.iter().any(|a| Some(a) != group);
        out.insert(envs[k].name.clone(), addresses);
    }
    if !own {
        out.clear();
    }
    out
}
