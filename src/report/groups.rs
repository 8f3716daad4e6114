//! Groups: findings with one cause, computed once after the lenses for every renderer
//! to show (renderers never group). Every finding is in exactly one group, most in a
//! group of their own. A group of many is, in this order of precedence:
//!
//! 1. everything missing under one module call's instances that exist in some
//!    environments only (`module.frontdoor["x"]` and the 13 resources under it exist in
//!    prod but not in staging; 57 such instances of one call are one group);
//! 2. the instances of one resource block missing from the same environments;
//! 3. resources of several blocks missing from the same environments that refer to one
//!    another, share a resource name within one family of types, or share a string
//!    instance key in one module;
//! 4. one difference fanned out over many addresses: the same category, kind and
//!    attribute (list positions aside) with the same values, once normalised, in every
//!    environment (a TLS policy set once in a variable, on nine listeners).
//!
//! Deterministic (findings come sorted, groups follow their first member) and
//! near-linear: each finding is keyed once, no finding is compared with another.

use crate::model::{
    Address, AttrPath, Category, Environment, Finding, Kind, ModuleStep, PathStep, Severity,
};
use crate::normalize::Context;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How many member addresses (or instance keys) a group's message and compact lists
/// name before they say how many more there are.
pub const LISTED: usize = 8;

/// Findings with one cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Stable across runs for the same cause: a hash of what the members share.
    pub id: String,
    /// The category of its most severe member (the earliest category on a tie): the
    /// section of a report it is shown in.
    pub category: Category,
    pub kind: Kind,
    /// Its most severe member's.
    pub severity: Severity,
    /// What it is about, as the address column shows it: the member's address for a
    /// group of one, the module instance or call, the resource block, or the first
    /// member's address and how many more.
    pub address: String,
    /// The attribute (or the kind) it differs in, as the difference column shows it.
    pub what: String,
    /// What each environment has, as a row of a report shows it.
    pub environments: BTreeMap<String, String>,
    /// One sentence for the whole group (a group of one: its finding's message).
    pub message: String,
    /// Positions in the report's findings, in report order; never empty.
    pub members: Vec<usize>,
}

/// The groups of a report's findings, and each finding's group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grouping {
    /// In report order (by first member).
    pub groups: Vec<Group>,
    /// `of[i]` is the position in `groups` of finding `i`'s group.
    pub of: Vec<usize>,
}

impl Grouping {
    /// Every finding in a group of its own.
    pub fn singletons(findings: &[Finding]) -> Grouping {
        let groups: Vec<Group> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| single(i, f))
            .collect();
        Grouping {
            of: (0..groups.len()).collect(),
            groups,
        }
    }

    /// The group of finding `i`.
    pub fn of(&self, i: usize) -> Option<&Group> {
        self.of.get(i).and_then(|&g| self.groups.get(g))
    }
}

/// A 16-hex-digit FNV-1a hash of a group's key, as finding ids are made.
fn hash(key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// What a row shows of one finding in each environment: the part that differs when the
/// finding says which, else its whole values.
fn shown(f: &Finding) -> &BTreeMap<String, String> {
    if f.differing.is_empty() {
        &f.environments
    } else {
        &f.differing
    }
}

/// The attribute a finding is about, or its kind.
fn what(f: &Finding) -> String {
    match &f.path {
        Some(p) => p.to_string(),
        None => f.kind.as_str().to_string(),
    }
}

fn single(i: usize, f: &Finding) -> Group {
    Group {
        id: hash(&format!("finding\u{0}{}", f.id)),
        category: f.category,
        kind: f.kind,
        severity: f.severity,
        address: f.address.to_string(),
        what: what(f),
        environments: shown(f).clone(),
        message: f.message.clone(),
        members: vec![i],
    }
}

/// Environment names joined for a sentence: `prod`, `prod and dev`, `a, b and c`.
fn names(v: &[&str]) -> String {
    match v {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Items joined with `, `, the first [`LISTED`] of them and how many more.
pub fn compact(items: &[String]) -> String {
    let mut out = items
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > LISTED {
        out.push_str(&format!(" and {} more", items.len() - LISTED));
    }
    out
}

/// Which module instances each environment has, by logical address (every prefix of
/// every resource's module path), with how many resources are under each.
struct Modules {
    per_env: Vec<HashMap<String, usize>>,
}

impl Modules {
    fn of(envs: &[Environment], contexts: &[Context<'_>]) -> Modules {
        let per_env = envs
            .iter()
            .zip(contexts)
            .map(|(env, ctx)| {
                let mut m: HashMap<String, usize> = HashMap::new();
                // Resources are sorted by address: those of one module instance are
                // adjacent, so each instance's logical address is made once.
                let mut last: Option<(&[ModuleStep], Vec<String>)> = None;
                for r in &env.resources {
                    let path = r.address.module.as_slice();
                    if last.as_ref().is_none_or(|(p, _)| *p != path) {
                        let keys = (1..=path.len())
                            .map(|n| logical_module(ctx, &path[..n]))
                            .collect();
                        last = Some((path, keys));
                    }
                    if let Some((_, keys)) = &last {
                        for k in keys {
                            *m.entry(k.clone()).or_default() += 1;
                        }
                    }
                }
                m
            })
            .collect();
        Modules { per_env }
    }

    /// Resources under module instance `key` in environment `k` (0: it has none there).
    fn count(&self, k: usize, key: &str) -> usize {
        self.per_env[k].get(key).copied().unwrap_or(0)
    }
}

/// A module instance's logical address in an environment, as text.
fn logical_module(ctx: &Context<'_>, path: &[ModuleStep]) -> String {
    ctx.logical(&Address::module_call(path.to_vec()))
        .to_string()
}

/// A finding (its position) in a cause's group, with the module instance it is
/// missing under when that is the cause.
type Member = (usize, Option<Vec<ModuleStep>>);

/// How many leading words of a type or a resource name relate reads.
const MAX_WORDS: usize = 8;

/// A finding's cause, with the module instance it is under.
type Caused = Option<(Cause, Option<Vec<ModuleStep>>)>;

/// Why a finding is in a group of many, as a key: findings with one key are one group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Cause {
    /// Missing under instances of the module call `call` (logical, in the baseline)
    /// that the environments `lack` do not have at all.
    Module { call: String, lack: Vec<usize> },
    /// Instances of the resource block `block` missing from the environments `lack`.
    Instances { block: String, lack: Vec<usize> },
    /// Resources of several blocks missing from the environments `lack` that refer to
    /// one another, share a resource name or an instance key (a bucket and its ACL
    /// and IAM members; nine resources keyed `["ai_accelerator"]`): `root` is the one
    /// most referred to.
    Related { root: String, lack: Vec<usize> },
    /// The same difference on many addresses (`at` empty), or on many named blocks of
    /// the address `at`.
    FanOut {
        category: Category,
        kind: Kind,
        path: String,
        values: Vec<(String, String)>,
        at: String,
    },
}

impl Cause {
    fn key(&self) -> String {
        match self {
            Cause::Module { call, lack } => format!("module\u{0}{call}\u{0}{lack:?}"),
            Cause::Instances { block, lack } => format!("instances\u{0}{block}\u{0}{lack:?}"),
            Cause::Related { root, lack } => format!("related\u{0}{root}\u{0}{lack:?}"),
            Cause::FanOut {
                category,
                kind,
                path,
                values,
                at,
            } => {
                let mut s = format!("fan-out\u{0}{category}\u{0}{}\u{0}{path}", kind.as_str());
                if !at.is_empty() {
                    s.push_str(&format!("\u{0}at={at}"));
                }
                for (e, v) in values {
                    s.push_str(&format!("\u{0}{e}={v}"));
                }
                s
            }
        }
    }
}

/// A path with list positions left out (`rule[*].action`): the same attribute of
/// another resource may sit at another position of its list. Names of blocks stay:
/// across addresses, `parameter["max_connections"]` and `parameter["rds.force_ssl"]`
/// are two settings.
fn positions_out(p: &AttrPath) -> String {
    masked(p, false)
}

/// A path with list positions and the names of blocks left out
/// (`backend_address_pool[*].ip_addresses`): within one address, the same change may be
/// made to many named blocks. A key that ends the path (`tags["team"]`) stays.
fn blocks_out(p: &AttrPath) -> String {
    masked(p, true)
}

/// `p` with its list positions, and with `names` the keys before its last step, as `*`.
fn masked(p: &AttrPath, names: bool) -> String {
    let last = p.0.len().saturating_sub(1);
    AttrPath(
        p.0.iter()
            .enumerate()
            .map(|(n, s)| match s {
                PathStep::Index(_) => PathStep::Key("*".into()),
                PathStep::Key(_) if names && n < last => PathStep::Key("*".into()),
                s => s.clone(),
            })
            .collect(),
    )
    .to_string()
}

/// The environments (positions) a missing finding says lack the resource.
fn lacking(f: &Finding, envs: &[Environment]) -> Vec<usize> {
    envs.iter()
        .enumerate()
        .filter(|(_, e)| f.environments.get(&e.name).map(String::as_str) == Some("absent"))
        .map(|(k, _)| k)
        .collect()
}

/// The cause of finding `f`, when it may share one with others.
fn cause(
    f: &Finding,
    envs: &[Environment],
    contexts: &[Context<'_>],
    baseline: usize,
    modules: &Modules,
) -> Option<(Cause, Option<Vec<ModuleStep>>)> {
    if f.kind == Kind::Missing {
        let lack = lacking(f, envs);
        if lack.is_empty() || f.address.is_module_call() {
            return None;
        }
        let path = &f.address.module;
        // The outermost module instance some environment lacks altogether: when the
        // environments lacking it are the ones lacking the resource, that is the cause.
        for n in 1..=path.len() {
            let without: Vec<usize> = (0..envs.len())
                .filter(|&k| modules.count(k, &logical_module(&contexts[k], &path[..n])) == 0)
                .collect();
            if without.is_empty() {
                continue;
            }
            if without != lack {
                break;
            }
            let mut call = path[..n].to_vec();
            if let Some(last) = call.last_mut() {
                last.key = None;
            }
            let call = logical_module(&contexts[baseline], &call);
            return Some((Cause::Module { call, lack }, Some(path[..n].to_vec())));
        }
        if f.address.key.is_some() {
            let block = contexts[baseline].logical(&f.address.block()).to_string();
            return Some((Cause::Instances { block, lack }, None));
        }
        return None;
    }
    let path = f.path.as_ref().map(positions_out).unwrap_or_default();
    let values = shown(f)
        .iter()
        .map(|(e, v)| {
            let norm = envs
                .iter()
                .position(|x| &x.name == e)
                .map(|k| contexts[k].text(v).into_owned())
                .unwrap_or_else(|| v.clone());
            (e.clone(), norm)
        })
        .collect();
    Some((
        Cause::FanOut {
            category: f.category,
            kind: f.kind,
            path,
            values,
            at: String::new(),
        },
        None,
    ))
}

/// Groups `findings` (sorted, as a report holds them) by cause. `envs`, `contexts` and
/// `baseline` are the comparison's: which module instances each environment has, and
/// how values normalise there.
pub fn group(
    findings: &[Finding],
    envs: &[Environment],
    contexts: &[Context<'_>],
    baseline: usize,
) -> Grouping {
    let modules = Modules::of(envs, contexts);
    let mut causes: Vec<Caused> = findings
        .iter()
        .map(|f| cause(f, envs, contexts, baseline, &modules))
        .collect();
    relate(findings, envs, &mut causes);
    // Members of each cause, in report order, with the module instance each is under.
    let mut by_cause: BTreeMap<Cause, Vec<Member>> = BTreeMap::new();
    let mut alone: Vec<usize> = Vec::new();
    for (i, c) in causes.into_iter().enumerate() {
        match c {
            Some((c, at)) => by_cause.entry(c).or_default().push((i, at)),
            None => alone.push(i),
        }
    }
    let mut groups: Vec<Group> = alone.iter().map(|&i| single(i, &findings[i])).collect();
    let mut left: Vec<(Cause, Vec<Member>)> = Vec::new();
    for (c, members) in by_cause {
        // One address is no fan-out: the same difference twice there is two findings
        // of their own (an ingress rule at two positions, say).
        let addresses: BTreeSet<&Address> =
            members.iter().map(|(i, _)| &findings[*i].address).collect();
        if members.len() < 2 || (matches!(c, Cause::FanOut { .. }) && addresses.len() < 2) {
            match &c {
                Cause::FanOut { .. } => left.push((c.clone(), members)),
                _ => groups.extend(members.iter().map(|(i, _)| single(*i, &findings[*i]))),
            }
            continue;
        }
        groups.push(many(&c, &members, findings, envs, &modules, contexts));
    }
    // The same change to many named blocks of one address is one (every backend pool
    // of a gateway pointing elsewhere).
    let mut on_blocks: BTreeMap<Cause, Vec<Member>> = BTreeMap::new();
    for (c, members) in left {
        let Cause::FanOut {
            category,
            kind,
            values,
            ..
        } = c
        else {
            continue;
        };
        for m in members {
            let f = &findings[m.0];
            let cause = Cause::FanOut {
                category,
                kind,
                path: f.path.as_ref().map(blocks_out).unwrap_or_default(),
                values: values.clone(),
                at: f.address.to_string(),
            };
            on_blocks.entry(cause).or_default().push(m);
        }
    }
    for (c, mut members) in on_blocks {
        members.sort_by_key(|m| m.0);
        let paths: BTreeSet<String> = members
            .iter()
            .filter_map(|(i, _)| findings[*i].path.as_ref().map(positions_out))
            .collect();
        if members.len() < 2 || paths.len() < 2 {
            groups.extend(members.iter().map(|(i, _)| single(*i, &findings[*i])));
            continue;
        }
        groups.push(many(&c, &members, findings, envs, &modules, contexts));
    }
    groups.sort_by_key(|g| g.members[0]);
    let mut of = vec![0; findings.len()];
    for (gi, g) in groups.iter().enumerate() {
        for &i in &g.members {
            of[i] = gi;
        }
    }
    Grouping { groups, of }
}

/// Joins what is missing from the same environments, outside a module instance
/// missing altogether, when it is one thing: resources that refer to one another (in
/// an environment that has them), and resources of one module that share a string
/// instance key. A set that spans several blocks gets a [`Cause::Related`] named by
/// the member most referred to; within one block the instances stay
/// [`Cause::Instances`].
fn relate(findings: &[Finding], envs: &[Environment], causes: &mut [Caused]) {
    use petgraph::unionfind::UnionFind;
    // The missing findings that may join: outside a module instance missing
    // altogether, with the environments lacking them.
    let open: Vec<usize> = (0..findings.len())
        .filter(|&i| {
            findings[i].kind == Kind::Missing
                && !findings[i].address.is_module_call()
                && matches!(causes[i], None | Some((Cause::Instances { .. }, _)))
        })
        .collect();
    if open.len() < 2 {
        return;
    }
    let lacks: Vec<Vec<usize>> = open.iter().map(|&i| lacking(&findings[i], envs)).collect();
    let mut uf: UnionFind<usize> = UnionFind::new(open.len());
    // Where each open finding's resource is, in every environment that has it.
    let mut at: HashMap<(usize, usize), usize> = HashMap::new();
    for (n, &i) in open.iter().enumerate() {
        if lacks[n].is_empty() {
            continue;
        }
        for (k, e) in envs.iter().enumerate() {
            if !lacks[n].contains(&k) {
                if let Some(p) = e.position(&findings[i].address) {
                    at.insert((k, p), n);
                }
            }
        }
    }
    let mut referred = vec![0usize; open.len()];
    for (&(k, p), &n) in &at {
        for (q, _) in envs[k].edges_from(p) {
            if let Some(&m) = at.get(&(k, q)) {
                if m != n && lacks[m] == lacks[n] {
                    uf.union(n, m);
                    referred[m] += 1;
                }
            }
        }
    }
    // One string key in one module, on several blocks.
    let mut by_key: HashMap<(String, String, &Vec<usize>), usize> = HashMap::new();
    for (n, &i) in open.iter().enumerate() {
        let a = &findings[i].address;
        if let (Some(crate::model::Key::Str(key)), false) = (&a.key, lacks[n].is_empty()) {
            let module = Address::module_call(a.module.clone()).to_string();
            join_first(
                &mut by_key,
                (module, key.to_string(), &lacks[n]),
                n,
                &mut uf,
            );
        }
    }
    // One resource name in one module, on types of one family: a type and those its
    // name begins, or types whose names share their first three words
    // (`google_storage_bucket.x`, `google_storage_bucket_acl.x`,
    // `google_storage_bucket_iam_member.x`: one bucket as an import tool writes it).
    // Unrelated types sharing a common label (`aws_sns_topic.main`,
    // `aws_guardduty_detector.main`) are not one thing.
    let mut by_label: HashMap<(String, &str, &Vec<usize>, &str), usize> = HashMap::new();
    for (n, &i) in open.iter().enumerate() {
        let a = &findings[i].address;
        if !lacks[n].is_empty() {
            let module = Address::module_call(a.module.clone()).to_string();
            by_label
                .entry((module, a.name.as_str(), &lacks[n], a.rtype.as_str()))
                .or_insert(n);
        }
    }
    let mut by_stem: HashMap<(String, &str, &Vec<usize>, &str), usize> = HashMap::new();
    for (n, &i) in open.iter().enumerate() {
        let a = &findings[i].address;
        if lacks[n].is_empty() {
            continue;
        }
        let module = Address::module_call(a.module.clone()).to_string();
        let t = a.rtype.as_str();
        // A type's family is in its first words; a hostile type of thousands of words
        // is not read further.
        for (cut, _) in t.match_indices('_').take(MAX_WORDS) {
            if let Some(&m) = by_label.get(&(module.clone(), a.name.as_str(), &lacks[n], &t[..cut]))
            {
                uf.union(m, n);
            }
        }
        // Types of one family also share their first three words
        // (`google_storage_bucket_iam_binding`, `google_storage_bucket_iam_member`).
        if let Some((cut, _)) = t.match_indices('_').nth(2) {
            join_first(
                &mut by_stem,
                (module, a.name.as_str(), &lacks[n], &t[..cut]),
                n,
                &mut uf,
            );
        }
    }
    // A specific resource name, on any type: an import tool's per-object label
    // (`tfer--calitp-airtable`), or a name of two words or more, and the names it
    // begins (`mock_onelogin`, `mock_onelogin_ecs_service`: one feature's resources).
    // A name of one word (`main`) is too common to say so.
    let specific = |l: &str| l.starts_with("tfer--") || l.contains('_');
    let mut by_name: HashMap<(String, &Vec<usize>, &str), usize> = HashMap::new();
    for (n, &i) in open.iter().enumerate() {
        let a = &findings[i].address;
        if !lacks[n].is_empty() && specific(&a.name) {
            let module = Address::module_call(a.module.clone()).to_string();
            by_name
                .entry((module, &lacks[n], a.name.as_str()))
                .or_insert(n);
        }
    }
    for (n, &i) in open.iter().enumerate() {
        let a = &findings[i].address;
        if lacks[n].is_empty() || !specific(&a.name) {
            continue;
        }
        let module = Address::module_call(a.module.clone()).to_string();
        let l = a.name.as_str();
        let prefixes = l
            .match_indices('_')
            .take(MAX_WORDS)
            .map(|(cut, _)| &l[..cut])
            .filter(|p| p.contains('_'))
            .chain(std::iter::once(l));
        for p in prefixes {
            if let Some(&m) = by_name.get(&(module.clone(), &lacks[n], p)) {
                uf.union(m, n);
            }
        }
    }
    // Instances of one block are one already.
    let mut by_block: HashMap<(String, &Vec<usize>), usize> = HashMap::new();
    for (n, &i) in open.iter().enumerate() {
        if let Some((Cause::Instances { block, .. }, _)) = &causes[i] {
            join_first(&mut by_block, (block.clone(), &lacks[n]), n, &mut uf);
        }
    }
    let mut sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for n in 0..open.len() {
        sets.entry(uf.find(n)).or_default().push(n);
    }
    for members in sets.values() {
        let blocks: BTreeSet<Address> = members
            .iter()
            .map(|&n| findings[open[n]].address.block())
            .collect();
        if members.len() < 2 || blocks.len() < 2 {
            continue;
        }
        // The most severe member, then the one most referred to, then the first in
        // report order.
        let root = members
            .iter()
            .copied()
            .max_by(|&x, &y| {
                let (fx, fy) = (&findings[open[x]], &findings[open[y]]);
                fx.severity
                    .cmp(&fy.severity)
                    .then(referred[x].cmp(&referred[y]))
                    .then(y.cmp(&x))
            })
            .unwrap_or(members[0]);
        let cause = Cause::Related {
            root: findings[open[root]].address.to_string(),
            lack: lacks[root].clone(),
        };
        for &n in members {
            causes[open[n]] = Some((cause.clone(), None));
        }
    }
}

/// Joins `n` with the first member seen under `key`, or makes `n` that member.
fn join_first<K: std::hash::Hash + Eq>(
    first: &mut HashMap<K, usize>,
    key: K,
    n: usize,
    uf: &mut petgraph::unionfind::UnionFind<usize>,
) {
    match first.entry(key) {
        std::collections::hash_map::Entry::Occupied(o) => {
            uf.union(*o.get(), n);
        }
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(n);
        }
    }
}

/// The group of many `members` with cause `c`.
fn many(
    c: &Cause,
    members: &[Member],
    findings: &[Finding],
    envs: &[Environment],
    modules: &Modules,
    contexts: &[Context<'_>],
) -> Group {
    let idx: Vec<usize> = members.iter().map(|(i, _)| *i).collect();
    let first = &findings[idx[0]];
    let severity = idx
        .iter()
        .map(|&i| findings[i].severity)
        .max()
        .unwrap_or(first.severity);
    let category = idx
        .iter()
        .map(|&i| &findings[i])
        .filter(|f| f.severity == severity)
        .map(|f| f.category)
        .min()
        .unwrap_or(first.category);
    let (address, what, environments, message) = match c {
        Cause::Module { lack, .. }
        | Cause::Instances { lack, .. }
        | Cause::Related { lack, .. } => {
            let lack_names: Vec<&str> = lack.iter().map(|&k| envs[k].name.as_str()).collect();
            // The environments that have them: every other one the members compare.
            let have: Vec<usize> = (0..envs.len())
                .filter(|k| {
                    !lack.contains(k)
                        && first
                            .environments
                            .get(&envs[*k].name)
                            .is_some_and(|v| v != "not expanded")
                })
                .collect();
            let have_names: Vec<&str> = have.iter().map(|&k| envs[k].name.as_str()).collect();
            match c {
                Cause::Module { .. } => module_group(
                    members,
                    envs,
                    modules,
                    contexts,
                    &have,
                    &lack_names,
                    &have_names,
                ),
                Cause::Related { root, .. } => {
                    related_group(&idx, findings, envs, root, lack, &lack_names, &have_names)
                }
                _ => instances_group(&idx, findings, envs, lack, &lack_names, &have_names),
            }
        }
        Cause::FanOut { path, at, .. } if !at.is_empty() => {
            // Many named blocks of one address: the blocks are listed.
            let n = idx.len() - 1;
            let others: Vec<String> = idx[1..]
                .iter()
                .filter_map(|&i| findings[i].path.as_ref().map(ToString::to_string))
                .collect();
            let message = format!(
                "{} The same in {n} more: {}.",
                first.message.trim_end(),
                compact(&others)
            );
            (
                first.address.to_string(),
                path.clone(),
                shown(first).clone(),
                message,
            )
        }
        Cause::FanOut { .. } => {
            let n = idx.len() - 1;
            // The other addresses, each once (a list's blocks may differ alike).
            let mut seen: BTreeSet<&Address> = BTreeSet::from([&first.address]);
            let others: Vec<String> = idx[1..]
                .iter()
                .map(|&i| &findings[i].address)
                .filter(|a| seen.insert(*a))
                .map(ToString::to_string)
                .collect();
            let message = format!(
                "{} The same on {n} more: {}.",
                first.message.trim_end(),
                compact(&others)
            );
            (
                format!("{} and {n} more", first.address),
                what(first),
                shown(first).clone(),
                message,
            )
        }
    };
    Group {
        id: hash(&c.key()),
        category,
        kind: first.kind,
        severity,
        address,
        what,
        environments,
        // As long as a finding's may be, whatever the group names.
        message: crate::model::finding::cut(&message, crate::model::finding::MAX_MESSAGE)
            .unwrap_or(message),
        members: idx,
    }
}

type Shown = (String, String, BTreeMap<String, String>, String);

/// Address, difference, values and message of a group of what is missing under
/// instances of one module call.
fn module_group(
    members: &[Member],
    envs: &[Environment],
    modules: &Modules,
    contexts: &[Context<'_>],
    have: &[usize],
    lack_names: &[&str],
    have_names: &[&str],
) -> Shown {
    // The instances, as the members write them, in order.
    let mut instances: Vec<Vec<ModuleStep>> = Vec::new();
    for (_, at) in members {
        if let Some(at) = at {
            if !instances.contains(at) {
                instances.push(at.clone());
            }
        }
    }
    // Resources under the instances in each environment that has them.
    let count = |k: usize| -> usize {
        instances
            .iter()
            .map(|p| modules.count(k, &logical_module(&contexts[k], p)))
            .sum()
    };
    let resources = have.iter().map(|&k| count(k)).max().unwrap_or(0);
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let environments = envs
        .iter()
        .enumerate()
        .filter(|(k, e)| have.contains(k) || lack_names.contains(&e.name.as_str()))
        .map(|(k, e)| {
            let v = if have.contains(&k) {
                let n = count(k);
                match instances.len() {
                    1 => format!("present ({})", plural(n, "resource", "resources")),
                    m => format!("{m} instances ({})", plural(n, "resource", "resources")),
                }
            } else {
                "absent".to_string()
            };
            (e.name.clone(), v)
        })
        .collect();
    let call = |p: &[ModuleStep]| {
        let mut c = p.to_vec();
        if let Some(last) = c.last_mut() {
            last.key = None;
        }
        crate::model::address::module_path_string(&c)
    };
    let (address, message) = match instances.as_slice() {
        [one] => {
            let at = crate::model::address::module_path_string(one);
            (
                at.clone(),
                format!(
                    "`{at}` and the {} under it exist in {} but not in {}.",
                    plural(resources, "resource", "resources"),
                    names(have_names),
                    names(lack_names)
                ),
            )
        }
        all => {
            let name = all.first().map(|p| call(p)).unwrap_or_default();
            let keys: Vec<String> = all
                .iter()
                .filter_map(|p| p.last().and_then(|s| s.key.as_ref()).map(|k| k.to_string()))
                .collect();
            (
                format!("{name} ({} instances)", all.len()),
                format!(
                    "{} instances of `{name}` ({}) and the {} under them exist in {} but not in {}.",
                    all.len(),
                    compact(&keys),
                    plural(resources, "resource", "resources"),
                    names(have_names),
                    names(lack_names)
                ),
            )
        }
    };
    (address, "missing".to_string(), environments, message)
}

/// What each environment has, for a group of what is missing: `absent` where it
/// lacks them, `have` where it has them.
fn missing_row(
    envs: &[Environment],
    lack: &[usize],
    lack_names: &[&str],
    have_names: &[&str],
    have: &str,
) -> BTreeMap<String, String> {
    envs.iter()
        .enumerate()
        .filter(|(_, e)| {
            lack_names.contains(&e.name.as_str()) || have_names.contains(&e.name.as_str())
        })
        .map(|(k, e)| {
            let v = if lack.contains(&k) { "absent" } else { have };
            (e.name.clone(), v.to_string())
        })
        .collect()
}

/// Address, difference, values and message of a group of related resources missing
/// from the same environments, named by `root`.
fn related_group(
    idx: &[usize],
    findings: &[Finding],
    envs: &[Environment],
    root: &str,
    lack: &[usize],
    lack_names: &[&str],
    have_names: &[&str],
) -> Shown {
    // The most severe first, so that none is hidden among "and N more".
    let mut by_severity: Vec<usize> = idx.to_vec();
    by_severity.sort_by(|&a, &b| findings[b].severity.cmp(&findings[a].severity));
    let others: Vec<String> = by_severity
        .iter()
        .map(|&i| findings[i].address.to_string())
        .filter(|a| a != root)
        .collect();
    let n = others.len();
    let environments = missing_row(
        envs,
        lack,
        lack_names,
        have_names,
        &format!("{} resources", n + 1),
    );
    (
        format!("{root} and {n} related"),
        "missing".to_string(),
        environments,
        format!(
            "`{root}` and {n} related {} ({}) exist in {} but not in {}: they refer to one another, or share a block, a name or an instance key.",
            if n == 1 { "resource" } else { "resources" },
            compact(&others),
            names(have_names),
            names(lack_names)
        ),
    )
}

/// Address, difference, values and message of a group of instances of one resource
/// block missing from the same environments.
fn instances_group(
    idx: &[usize],
    findings: &[Finding],
    envs: &[Environment],
    lack: &[usize],
    lack_names: &[&str],
    have_names: &[&str],
) -> Shown {
    let block = findings[idx[0]].address.block().to_string();
    let keys: Vec<String> = idx
        .iter()
        .filter_map(|&i| findings[i].address.key.as_ref().map(|k| k.to_string()))
        .collect();
    let n = idx.len();
    let environments = missing_row(
        envs,
        lack,
        lack_names,
        have_names,
        &format!("{n} instances"),
    );
    (
        format!("{block} ({n} instances)"),
        "missing".to_string(),
        environments,
        format!(
            "{n} instances of `{block}` ({}) exist in {} but not in {}.",
            compact(&keys),
            names(have_names),
            names(lack_names)
        ),
    )
}

#[cfg(test)]
mod tests {
    use crate::model::Environment;
    use crate::report::Report;

    fn report(envs: Vec<Environment>) -> Report {
        let mut envs = envs;
        for e in envs.iter_mut() {
            crate::normalize::add_reference_edges(e);
        }
        crate::compare_loaded(&envs, 0)
    }

    /// Each group as `severity kind (members): message`.
    fn groups(r: &Report) -> Vec<String> {
        r.grouping
            .groups
            .iter()
            .map(|g| {
                format!(
                    "{} {} ({}): {}",
                    g.severity,
                    g.kind.as_str(),
                    g.members.len(),
                    g.message
                )
            })
            .collect()
    }

    #[test]
    fn fifty_seven_instances_in_one_environment_are_one_group() -> crate::TestResult {
        // A front door per site: 57 sites in prod, 3 of them in staging, 13 resources
        // each (network and other types, so that members span categories).
        let site = |env: &str, s: usize| -> Vec<(String, String)> {
            let m = format!(r#"module.frontdoor["site{s}"]"#);
            let mut v = vec![(
                format!("{m}.aws_lb_target_group.edge"),
                format!(r#"{{"id":"tg-{env}-{s}","port":443}}"#),
            )];
            for i in 0..12 {
                v.push((
                    format!("{m}.aws_s3_bucket.b{i}"),
                    format!(r#"{{"id":"{env}-site{s}-{i}","bucket":"{env}-site{s}-{i}"}}"#),
                ));
            }
            v
        };
        let env = |name: &str, sites: usize| -> crate::TestResult<Environment> {
            let rs: Vec<(String, String)> = (0..sites).flat_map(|s| site(name, s)).collect();
            let refs: Vec<(&str, &str)> =
                rs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            Environment::for_tests(name, &refs)
        };
        let r = report(vec![env("prod", 57)?, env("staging", 3)?]);
        assert_eq!(r.findings.len(), 54 * 13);
        let got = groups(&r);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with(
                r#"high missing (702): 54 instances of `module.frontdoor` (["site10"], ["site11"]"#
            ) && got[0].ends_with(
                "and 46 more) and the 702 resources under them exist in prod but not in staging."
            ),
            "{got:?}"
        );
        let g = &r.grouping.groups[0];
        assert_eq!(g.category, crate::model::Category::Network);
        assert_eq!(r.grouping.of, vec![0; r.findings.len()]);
        // The exit status still counts findings: every one is still there.
        assert!(r.summary_line().starts_with("702 findings in 1 group: "));
        // One site only: named, with what is under it.
        let r = report(vec![env("prod", 4)?, env("staging", 3)?]);
        assert_eq!(
            groups(&r),
            [
                r#"high missing (13): `module.frontdoor["site3"]` and the 13 resources under it exist in prod but not in staging."#
            ]
        );
        Ok(())
    }

    #[test]
    fn a_module_instance_is_the_cause_only_when_it_is_absent_altogether() -> crate::TestResult {
        // staging has module.app["x"], but not two of its buckets: those are missing
        // instances of their blocks, not a module missing.
        let prod = Environment::for_tests(
            "prod",
            &[
                (
                    r#"module.app["x"].aws_s3_bucket.a["1"]"#,
                    r#"{"bucket":"a1"}"#,
                ),
                (
                    r#"module.app["x"].aws_s3_bucket.a["2"]"#,
                    r#"{"bucket":"a2"}"#,
                ),
                (
                    r#"module.app["x"].aws_s3_bucket.a["3"]"#,
                    r#"{"bucket":"a3"}"#,
                ),
                (r#"module.app["x"].aws_sqs_queue.q"#, r#"{"name":"q"}"#),
            ],
        )?;
        let staging = Environment::for_tests(
            "staging",
            &[
                (
                    r#"module.app["x"].aws_s3_bucket.a["1"]"#,
                    r#"{"bucket":"a1"}"#,
                ),
                (r#"module.app["x"].aws_sqs_queue.q"#, r#"{"name":"q"}"#),
            ],
        )?;
        assert_eq!(
            groups(&report(vec![prod, staging])),
            [
                r#"medium missing (2): 2 instances of `module.app["x"].aws_s3_bucket.a` (["2"], ["3"]) exist in prod but not in staging."#
            ]
        );
        Ok(())
    }

    #[test]
    fn one_difference_on_many_addresses_is_one_group() -> crate::TestResult {
        let vm = |t: &str, ami: &str| format!(r#"{{"instance_type":"{t}","ami":"{ami}"}}"#);
        let (p, s, s2) = (
            vm("m5.large", "ami-1"),
            vm("t3.medium", "ami-1"),
            vm("t3.small", "ami-1"),
        );
        let prod = Environment::for_tests(
            "prod",
            &[
                ("aws_instance.a", &p),
                ("aws_instance.b", &p),
                ("aws_instance.c", &p),
                ("aws_instance.d", &p),
            ],
        )?;
        // Three instances change alike; the fourth differently: its own cause.
        let staging = Environment::for_tests(
            "staging",
            &[
                ("aws_instance.a", &s),
                ("aws_instance.b", &s),
                ("aws_instance.c", &s),
                ("aws_instance.d", &s2),
            ],
        )?;
        let r = report(vec![prod, staging]);
        assert_eq!(
            groups(&r),
            [
                "low attribute (3): `instance_type` differs: prod has m5.large, staging has t3.medium. The same on 2 more: aws_instance.b, aws_instance.c.",
                "low attribute (1): `instance_type` differs: prod has m5.large, staging has t3.small.",
            ]
        );
        // Ids are stable and distinct, and every finding is in exactly one group.
        let again = groups(&report(vec![
            Environment::for_tests("prod", &[("aws_instance.a", &p), ("aws_instance.b", &p)])?,
            Environment::for_tests("staging", &[("aws_instance.a", &s), ("aws_instance.b", &s)])?,
        ]));
        assert_eq!(again.len(), 1);
        let ids: std::collections::BTreeSet<&str> =
            r.grouping.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids.len(), 2);
        let mut seen: Vec<usize> = r
            .grouping
            .groups
            .iter()
            .flat_map(|g| g.members.iter().copied())
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..r.findings.len()).collect::<Vec<_>>());
        Ok(())
    }
    #[test]
    fn one_change_to_many_named_blocks_of_one_address_is_one_group() -> crate::TestResult {
        // Every backend pool of a gateway points at other hosts in staging: one cause.
        // Two tags changed alike are two settings, each its own.
        let gw = |host: &str, tag: &str| {
            let pools: Vec<String> = ["cmc", "div", "fact"]
                .iter()
                .map(|n| format!(r#"{{"name":"{n}","fqdns":["{host}.example.net"]}}"#))
                .collect();
            format!(
                r#"{{"backend_address_pool":[{}],"tags":{{"autoShutdown":"{tag}","startupMode":"{tag}"}}}}"#,
                pools.join(",")
            )
        };
        let r = report(vec![
            Environment::for_tests(
                "prod",
                &[("azurerm_application_gateway.ag", &gw("pool-a", "x"))],
            )?,
            Environment::for_tests(
                "staging",
                &[("azurerm_application_gateway.ag", &gw("pool-b", "y"))],
            )?,
        ]);
        let g = groups(&r);
        assert_eq!(g.len(), 3, "{g:#?}");
        assert!(
            g.iter().any(|x| x.contains("(3)")
                && x.contains("The same in 2 more")
                && x.contains("backend_address_pool[\"div\"].fqdns")),
            "{g:#?}"
        );
        Ok(())
    }
    #[test]
    fn named_blocks_of_other_addresses_are_other_settings() -> crate::TestResult {
        // One parameter group lowers `max_connections`, another turns `rds.force_ssl`
        // off, both 1 → 0: two settings, two rows, each named by its own.
        let pg = |a: &str, b: &str| {
            [
                format!(
                    r#"{{"parameter":[{{"name":"log_min_duration","value":"5"}},{{"name":"max_connections","value":"{a}"}}]}}"#
                ),
                format!(
                    r#"{{"parameter":[{{"name":"log_min_duration","value":"5"}},{{"name":"rds.force_ssl","value":"{b}"}}]}}"#
                ),
            ]
        };
        let (p, s) = (pg("1", "1"), pg("0", "0"));
        let r = report(vec![
            Environment::for_tests(
                "prod",
                &[
                    ("aws_db_parameter_group.a", &p[0]),
                    ("aws_db_parameter_group.b", &p[1]),
                ],
            )?,
            Environment::for_tests(
                "staging",
                &[
                    ("aws_db_parameter_group.a", &s[0]),
                    ("aws_db_parameter_group.b", &s[1]),
                ],
            )?,
        ]);
        let g = groups(&r);
        assert_eq!(g.len(), 2, "{g:#?}");
        assert!(g.iter().any(|x| x.contains("rds.force_ssl")), "{g:#?}");
        Ok(())
    }
    #[test]
    fn related_resources_missing_together_are_one_group() -> crate::TestResult {
        // prod has two buckets staging lacks, each with an ACL (and one with an IAM
        // member) that an import tool named like it, and a database `ai` with its
        // alarm and secret keyed alike; `main` and the queue are in both.
        let shared: [(&str, &str); 4] = [
            (r#"aws_db_instance.db["main"]"#, r#"{"identifier":"main"}"#),
            (
                r#"aws_cloudwatch_metric_alarm.cpu["main"]"#,
                r#"{"alarm_name":"main-cpu"}"#,
            ),
            (
                r#"aws_secretsmanager_secret.pw["main"]"#,
                r#"{"name":"main-pw"}"#,
            ),
            ("aws_sqs_queue.jobs", r#"{"name":"jobs"}"#),
        ];
        let mut only: Vec<(&str, &str)> = vec![
            (
                "google_storage_bucket.tfer--logs",
                r#"{"name":"logs","id":"logs"}"#,
            ),
            (
                "google_storage_bucket_acl.tfer--logs",
                r#"{"bucket":"logs"}"#,
            ),
            (
                "google_storage_bucket_iam_member.tfer--logs",
                r#"{"bucket":"logs","role":"r"}"#,
            ),
            (
                "google_storage_bucket.tfer--data",
                r#"{"name":"data","id":"data"}"#,
            ),
            (
                "google_storage_bucket_acl.tfer--data",
                r#"{"bucket":"data"}"#,
            ),
            (r#"aws_db_instance.db["ai"]"#, r#"{"identifier":"ai"}"#),
            (
                r#"aws_cloudwatch_metric_alarm.cpu["ai"]"#,
                r#"{"alarm_name":"ai-cpu"}"#,
            ),
            (
                r#"aws_secretsmanager_secret.pw["ai"]"#,
                r#"{"name":"ai-pw"}"#,
            ),
        ];
        only.extend(shared);
        // The bucket is in both; its ACL and IAM binding and member are in prod only:
        // one family by their first three words.
        only.extend([
            (
                "google_storage_bucket_acl.tfer--shared",
                r#"{"bucket":"shared","x":1}"#,
            ),
            (
                "google_storage_bucket_iam_binding.tfer--shared",
                r#"{"bucket":"shared","role":"a"}"#,
            ),
            (
                "google_storage_bucket_iam_member.tfer--shared",
                r#"{"bucket":"shared","role":"b"}"#,
            ),
        ]);
        // One feature's resources, named alike across unrelated types.
        only.extend([
            ("aws_lb.mock_login", r#"{"name":"mock"}"#),
            (
                "aws_security_group.mock_login_service",
                r#"{"name":"mock-svc"}"#,
            ),
            (
                "google_storage_default_object_acl.tfer--logs",
                r#"{"bucket":"logs","x":2}"#,
            ),
        ]);
        // Unrelated types that share a common label are not one thing.
        only.extend([
            ("aws_guardduty_detector.main", r#"{"enable":true}"#),
            ("aws_sns_topic.main", r#"{"name":"alerts"}"#),
        ]);
        let prod = Environment::for_tests("prod", &only)?;
        let staging = Environment::for_tests("staging", &shared)?;
        let mut g = groups(&report(vec![prod, staging]));
        g.sort();
        assert_eq!(
            g,
            [
                "high missing (2): `aws_lb.mock_login` and 1 related resource (aws_security_group.mock_login_service) exist in prod but not in staging: they refer to one another, or share a block, a name or an instance key.",
                "medium missing (1): aws_guardduty_detector.main exists in prod but not in staging.",
                "medium missing (1): aws_sns_topic.main exists in prod but not in staging.",
                r#"medium missing (2): `google_storage_bucket.tfer--data` and 1 related resource (google_storage_bucket_acl.tfer--data) exist in prod but not in staging: they refer to one another, or share a block, a name or an instance key."#,
                r#"medium missing (3): `aws_cloudwatch_metric_alarm.cpu["ai"]` and 2 related resources (aws_db_instance.db["ai"], aws_secretsmanager_secret.pw["ai"]) exist in prod but not in staging: they refer to one another, or share a block, a name or an instance key."#,
                r#"medium missing (3): `google_storage_bucket_acl.tfer--shared` and 2 related resources (google_storage_bucket_iam_binding.tfer--shared, google_storage_bucket_iam_member.tfer--shared) exist in prod but not in staging: they refer to one another, or share a block, a name or an instance key."#,
                r#"medium missing (4): `google_storage_bucket.tfer--logs` and 3 related resources (google_storage_bucket_acl.tfer--logs, google_storage_bucket_iam_member.tfer--logs, google_storage_default_object_acl.tfer--logs) exist in prod but not in staging: they refer to one another, or share a block, a name or an instance key."#,
            ]
        );
        Ok(())
    }
}
