//! Learned correspondences: what each environment writes where the baseline writes
//! something else, read off the instances that align. A name that is `acme-pd-logs` in
//! prod and `acme-ts-logs` in staging, at the same address, says `pd` ↔ `ts`; seen in
//! two resources or more, and never contradicted (one to one over every observation),
//! it is a naming convention: by design, like an environment name. External
//! identifiers (`vpc-0aaa…` ↔ `vpc-0bbb…`, zone ids) and account numbers are learned the
//! same way.
//!
//! A value that **breaks** a correspondence is the finding a parity tool exists for:
//! staging writing prod's token, VPC, zone or account at an address where, everywhere
//! else, it writes its own ([`Break`]). Identical text compares equal, so without this
//! such a leak is invisible.
//!
//! Precision matters more than recall: only names, identifiers and host-like values
//! are read (never settings such as sizes or versions, which a convention would then
//! hide), only single-token differences count, secrets are never read, and a pairing
//! seen once is not learned.

use super::diff::{is_sensitive, redact};
use super::text::is_provider_id;
use super::Context;
use crate::align::Row;
use crate::model::{AttrPath, Environment, PathStep, Resource, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How many places a pairing must be seen in (distinct aligned instances).
pub const MIN_PLACES: usize = 2;

/// How many characters a one-word name must keep at its ends for a change inside it
/// to be a convention.
const MIN_KEPT: usize = 3;

/// The most leaves read per instance: a huge attribute says nothing more.
const MAX_LEAVES: usize = 4096;

/// The most items of a list read.
const MAX_ITEMS: usize = 64;

/// What a correspondence pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CorrKind {
    /// A word inside names (`pd` ↔ `ts`).
    Token,
    /// A 12-digit account number.
    Account,
    /// A provider identifier of something outside the state (`vpc-…`, a zone id).
    Identifier,
    /// A DNS suffix (`example.com` ↔ `staging.example-sandbox.net`).
    Domain,
    /// The base of an address space whose root is outside the configuration
    /// (`10.13.0.0/16` ↔ `10.12.0.0/16`).
    AddressSpace,
}

impl CorrKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CorrKind::Token => "token",
            CorrKind::Account => "account",
            CorrKind::Identifier => "identifier",
            CorrKind::Domain => "domain",
            CorrKind::AddressSpace => "address-space",
        }
    }
}

/// One correspondence between the baseline and another environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correspondence {
    /// The environment (index) whose `to` corresponds to the baseline's `from`.
    pub env: usize,
    pub from: String,
    pub to: String,
    pub kind: CorrKind,
    /// Aligned instances where it was seen.
    pub occurrences: usize,
    /// Declared (an environment's name, `--alias`) rather than learned.
    pub declared: bool,
}

/// A value of environment `env` that writes the baseline's side of a correspondence
/// where it writes its own everywhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub env: usize,
    /// The row (index into the aligned rows).
    pub row: usize,
    pub path: AttrPath,
    /// The value as written (never a secret: secrets are not read).
    pub value: String,
    /// The correspondence broken (index into [`Learned::correspondences`]).
    pub correspondence: usize,
}

/// What was learned from the aligned instances.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Learned {
    /// Sorted (environment, kind, from).
    pub correspondences: Vec<Correspondence>,
    pub breaks: Vec<Break>,
}

/// One step of a path while walking, borrowing its name: a path is made
/// ([`to_path`]) only for what is kept.
#[derive(Debug, Clone, Copy)]
enum Step<'v> {
    Attr(&'v str),
    Key(&'v str),
    Index(usize),
}

fn to_path(steps: &[Step<'_>]) -> AttrPath {
    AttrPath(
        steps
            .iter()
            .map(|s| match s {
                Step::Attr(a) => PathStep::Attr((*a).into()),
                Step::Key(k) => PathStep::Key((*k).into()),
                Step::Index(i) => PathStep::Index(*i as i64),
            })
            .collect(),
    )
}

/// Whether a value at `path` names something: the attributes conventions show in.
fn names_something(path: &[Step<'_>]) -> bool {
    last_attr(path).is_some_and(names_attr)
}

/// The innermost attribute of a path (map keys and list positions aside).
fn last_attr<'v>(path: &[Step<'v>]) -> Option<&'v str> {
    path.iter().rev().find_map(|s| match s {
        Step::Attr(a) => Some(*a),
        _ => None,
    })
}

/// Whether an attribute of this name holds names (`name`, `bucket`, `*_id`, `tags`, …)
/// rather than settings (`instance_type`, `sku`, `version`): where learned words are
/// read, and where they are applied.
pub fn names_attr(n: &str) -> bool {
    matches!(
        n,
        "name"
            | "name_prefix"
            | "bucket"
            | "arn"
            | "fqdn"
            | "records"
            | "project"
            | "hostname"
            | "host"
            | "dns_name"
            | "zone_id"
            | "tags"
            | "labels"
            | "function_name"
            | "role"
            | "queue_url"
            | "topic"
    ) || n.ends_with("_name")
        || n.ends_with("_names")
        || n.ends_with("_id")
        || n.ends_with("_ids")
        || n.ends_with("_arn")
        || n.ends_with("_arns")
        || n.contains("domain")
}

/// How many instances a learned word must be seen in to be applied to settings too.
pub const EVERYWHERE_PLACES: usize = 8;

/// Words of settings: sizes, tiers, redundancy, states. A name that carries one
/// (`jobs-xlarge-q1`) says something about a setting, and the pairing is never applied
/// to settings, however often it is seen.
const SETTING_WORDS: &[&str] = &[
    "nano",
    "micro",
    "small",
    "medium",
    "large",
    "xlarge",
    "2xlarge",
    "4xlarge",
    "8xlarge",
    "basic",
    "standard",
    "premium",
    "free",
    "shared",
    "dynamic",
    "consumption",
    "lrs",
    "grs",
    "zrs",
    "ragrs",
    "gzrs",
    "hot",
    "cool",
    "cold",
    "archive",
    "enabled",
    "disabled",
    "true",
    "false",
    "on",
    "off",
    "low",
    "high",
    "min",
    "max",
    "single",
    "multi",
    "ha",
];

/// Whether a learned pairing is applied to settings as well as to names: an account
/// pairing, or a word pairing seen in [`EVERYWHERE_PLACES`] instances or more, neither
/// side a word of settings.
/// Such a pairing is the environment's code (`p` ↔ `u` in `cstar-p-…`), which its
/// settings also carry (`cstar-p-evh-ns.servicebus.windows.net:9093`).
pub fn applies_to_settings(c: &Correspondence) -> bool {
    let setting = |w: &str| {
        SETTING_WORDS.contains(&w)
            || w.trim_end_matches(|ch: char| ch.is_ascii_digit())
                .is_empty()
    };
    match c.kind {
        // Two accounts paired one to one in two places or more are each environment's
        // own (another stack's, a shared service's): ids, wherever they are written
        // (`arn:aws:execute-api:eu-west-1:649098267436:…` in a policy).
        CorrKind::Account => true,
        CorrKind::Token => {
            c.occurrences >= EVERYWHERE_PLACES && !setting(&c.from) && !setting(&c.to)
        }
        _ => false,
    }
}

/// Whether a value reads as a host, an ARN, a URL or a path of names: where a leaked
/// token matters wherever it is written.
fn is_locator(s: &str) -> bool {
    !s.contains(char::is_whitespace)
        && (s.starts_with("arn:") || s.contains("://") || s.contains('.') || s.contains('/'))
}

/// The one word that differs between two texts of the same shape, if exactly one does.
#[cfg(test)]
fn one_word_apart(x: &str, y: &str) -> Option<(String, String)> {
    let mut pairs = words_apart(x, y, &|_, _| false)?;
    (pairs.len() == 1).then(|| pairs.remove(0))
}

/// The words in which two texts of the same shape differ, when at most one of them is
/// not a pairing already `known` (words that name their environments): every such
/// pair is an observation. `s189p01-tsc-pd-rg` and `s189t01-tsc-ts-rg`, once `s189p01`
/// ↔ `s189t01` is known, give `pd` ↔ `ts` too.
fn words_apart(
    x: &str,
    y: &str,
    known: &dyn Fn(&str, &str) -> bool,
) -> Option<Vec<(String, String)>> {
    // The words as slices, compared without regard to case; only the pairs found are
    // made into strings.
    let spans = |s: &str| -> Vec<(usize, usize)> {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let a = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            out.push((a, i));
        }
        out
    };
    let (wx, wy) = (spans(x), spans(y));
    if wx.len() != wy.len() || wx.is_empty() {
        return None;
    }
    // A value of one word that changes wholesale (`Application = "RTD"` against
    // `"IdPay"`) is a different setting, not a convention inside a name; one word that
    // keeps its ends and changes inside (`simplereportprodapp`, `simplereportstgapp`)
    // is a name.
    if wx.len() == 1 && x != y {
        let (a, b) = (x.as_bytes(), y.as_bytes());
        let m = a.len().min(b.len());
        let prefix = a
            .iter()
            .zip(b)
            .take_while(|(p, q)| p.eq_ignore_ascii_case(q))
            .count();
        let suffix = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(p, q)| p.eq_ignore_ascii_case(q))
            .count();
        let prefix = prefix.min(m);
        if prefix + suffix.min(m - prefix) < MIN_KEPT {
            return None;
        }
    }
    let mut pairs = Vec::new();
    let mut unknown = 0;
    for (a, b) in wx.iter().zip(&wy) {
        let (wa, wb) = (&x[a.0..a.1], &y[b.0..b.1]);
        if wa.eq_ignore_ascii_case(wb) {
            continue;
        }
        let (la, lb) = (wa.to_ascii_lowercase(), wb.to_ascii_lowercase());
        if !known(&la, &lb) {
            unknown += 1;
        }
        let small_number = |w: &str| w.bytes().all(|c| c.is_ascii_digit()) && w.len() < 4;
        if small_number(&la) || small_number(&lb) {
            return None;
        }
        pairs.push((la, lb));
    }
    if pairs.is_empty() || unknown > 1 {
        return None;
    }
    // The text between the words must be the same too (`a-pd` and `a.ts` are not).
    let between = |s: &str, w: &[(usize, usize)]| -> String {
        let mut out = String::new();
        let mut last = 0;
        for (i, j) in w {
            out.push_str(&s[last..*i]);
            out.push('\u{0}');
            last = *j;
        }
        out.push_str(&s[last..]);
        out
    };
    if between(x, &wx) != between(y, &wy) {
        return None;
    }
    Some(pairs)
}

fn kind_of(a: &str, b: &str) -> CorrKind {
    // An AWS account (12 digits) or a Google Cloud project number (12 or 13).
    let account = |w: &str| (12..=13).contains(&w.len()) && w.bytes().all(|c| c.is_ascii_digit());
    if account(a) && account(b) {
        CorrKind::Account
    } else {
        CorrKind::Token
    }
}

/// An IP address or network written alone (`10.13.1.0/24`, `10.13.1.5`).
fn parse_net(s: &str) -> Option<ipnet::IpNet> {
    let first = *s.as_bytes().first()?;
    if !(first.is_ascii_hexdigit() || first == b':')
        || !s
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b"./:".contains(&b))
    {
        return None;
    }
    s.parse::<ipnet::IpNet>()
        .ok()
        .or_else(|| s.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from))
}

/// The narrowest and widest base an address space learned may have: IPv4 spaces of
/// /8 to /20 (a network of at least 4,096 addresses, what a VPC or VNet of an
/// environment is), IPv6 of /16 to /56.
const SPACE_V4: std::ops::RangeInclusive<u8> = 8..=20;
const SPACE_V6: std::ops::RangeInclusive<u8> = 16..=56;

/// The bases of the address spaces two addresses are the same offset in, when they
/// differ only in the bits of such a base: `10.13.1.0/24` and `10.12.1.0/24` are
/// `10.13.0.0/16` and `10.12.0.0/16` (0.0.1.0/24 in each). The base is as long as the
/// last bit in which they differ, so that every address of the same two spaces gives
/// the same pair.
fn space_pair(x: &str, y: &str) -> Option<(ipnet::IpNet, ipnet::IpNet)> {
    use ipnet::IpNet;
    use std::net::IpAddr;
    let (a, b) = (parse_net(x)?, parse_net(y)?);
    if a.prefix_len() != b.prefix_len() {
        return None;
    }
    let (ua, ub, width, allowed) = match (a.network(), b.network()) {
        (IpAddr::V4(p), IpAddr::V4(q)) => (
            u128::from(u32::from(p)),
            u128::from(u32::from(q)),
            32u32,
            SPACE_V4,
        ),
        (IpAddr::V6(p), IpAddr::V6(q)) => (u128::from(p), u128::from(q), 128u32, SPACE_V6),
        _ => return None,
    };
    let d = ua ^ ub;
    if d == 0 {
        return None;
    }
    let len = u8::try_from(width - d.trailing_zeros()).ok()?;
    if !allowed.contains(&len) || len > a.prefix_len() {
        return None;
    }
    let base = |n: &IpNet| IpNet::new(n.network(), len).ok().map(|b| b.trunc());
    Some((base(&a)?, base(&b)?))
}

/// Whether an attribute of this name holds host names or endpoints (a record's
/// target, an origin, a URL): where domains are read besides names.
fn holds_hosts(path: &[Step<'_>]) -> bool {
    // Attribute names are lower-case snake case.
    last_attr(path).is_some_and(|n| {
        [
            "host", "url", "uri", "endpoint", "origin", "fqdn", "domain", "record", "server",
            "alias", "target", "cname", "address",
        ]
        .iter()
        .any(|w| n.contains(w))
    })
}

/// The host a value names, lower-case without a final dot, with what surrounds it
/// (`https://api.example.com/x` → `api.example.com`, `https://`, `/x`).
fn host_in(s: &str) -> Option<(String, &str, &str)> {
    let (before, rest) = match s.find("://") {
        Some(i) => s.split_at(i + 3),
        None => ("", s),
    };
    let end = rest.find(['/', ':', '?', '#']).unwrap_or(rest.len());
    let (host, after) = rest.split_at(end);
    let host = host.strip_suffix('.').unwrap_or(host);
    let host = host.strip_prefix("*.").unwrap_or(host);
    if host.is_empty()
        || !host.contains('.')
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        || host.split('.').any(str::is_empty)
    {
        return None;
    }
    Some((host.to_ascii_lowercase(), before, after))
}

/// The DNS suffixes two host names (or URLs) differ by, after the labels they share
/// on the left: `api.example.com` and `api.staging.example-sandbox.net` give
/// `example.com` and `staging.example-sandbox.net`, with `api`, the part they share.
/// Each suffix is a domain: two labels at least, ending in a name of letters.
fn domain_pair(x: &str, y: &str) -> Option<(String, String, String)> {
    let (hx, bx, ax) = host_in(x)?;
    let (hy, by, ay) = host_in(y)?;
    if hx == hy || bx != by || ax != ay {
        return None;
    }
    let (lx, ly): (Vec<&str>, Vec<&str>) = (hx.split('.').collect(), hy.split('.').collect());
    let mut shared = lx.iter().zip(&ly).take_while(|(a, b)| a == b).count();
    // Each suffix keeps two labels.
    shared = shared
        .min(lx.len().saturating_sub(2))
        .min(ly.len().saturating_sub(2));
    let (sx, sy) = (&lx[shared..], &ly[shared..]);
    let tld = |l: &[&str]| {
        l.last().is_some_and(|t| {
            (2..=24).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphabetic())
        })
    };
    if sx.len() < 2 || sy.len() < 2 || !tld(sx) || !tld(sy) || sx == sy {
        return None;
    }
    Some((sx.join("."), sy.join("."), lx[..shared].join(".")))
}

/// Every pair of strings at the same path of two instances, with the path.
fn leaves<'v>(
    a: &'v Value,
    b: &'v Value,
    path: &mut Vec<Step<'v>>,
    budget: &mut usize,
    f: &mut impl FnMut(&[Step<'v>], &'v str, &'v str),
) {
    if *budget == 0 {
        return;
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => {
            *budget -= 1;
            f(path, x, y);
        }
        (Value::Object(x), Value::Object(y)) => {
            let in_map =
                path.len() == 1 && matches!(path.last(), Some(Step::Attr("tags" | "labels")));
            // Keys are sorted: a merge, not a search per key.
            let (mut i, mut j) = (0, 0);
            while i < x.len() && j < y.len() {
                match x[i].0.cmp(&y[j].0) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        let k: &'v str = &x[i].0;
                        // Attributes never compared are not read either (`tags_all`
                        // repeats `tags`; identity attributes are ids of the instance
                        // itself).
                        if path.is_empty() && super::diff::is_ignored("", k) {
                            i += 1;
                            j += 1;
                            continue;
                        }
                        path.push(if in_map { Step::Key(k) } else { Step::Attr(k) });
                        leaves(&x[i].1, &y[j].1, path, budget, f);
                        path.pop();
                        i += 1;
                        j += 1;
                    }
                }
            }
        }
        (Value::List(x), Value::List(y)) if x.len() == y.len() && x.len() <= MAX_ITEMS => {
            for (i, (va, vb)) in x.iter().zip(y.iter()).enumerate() {
                path.push(Step::Index(i));
                leaves(va, vb, path, budget, f);
                path.pop();
            }
        }
        // Lists of different lengths (a rule more in one environment) pair no item
        // by position; items written identically in both still pair, so that a value
        // copied from the other environment is found in them.
        (Value::List(x), Value::List(y)) if x.len().max(y.len()) <= MAX_ITEMS => {
            let mut used = vec![false; y.len()];
            for (i, va) in x.iter().enumerate() {
                let Some(j) = (0..y.len()).find(|&j| !used[j] && y[j] == *va) else {
                    continue;
                };
                used[j] = true;
                path.push(Step::Index(i));
                leaves(va, &y[j], path, budget, f);
                path.pop();
            }
        }
        _ => {}
    }
}

/// What one environment's aligned instances say against the baseline's.
#[derive(Default)]
struct Seen {
    /// (from, to, kind) → the rows it was seen in.
    pairs: HashMap<(String, String, CorrKind), BTreeSet<usize>>,
    /// For domains and address spaces: distinct values it was seen in (at most
    /// [`MIN_PLACES`] kept), so that one host or network written in many places is not
    /// taken for a convention.
    variants: HashMap<(String, String, CorrKind), BTreeSet<String>>,
}

impl Seen {
    fn note(&mut self, key: (String, String, CorrKind), row: usize, variant: Option<String>) {
        if let Some(v) = variant {
            let vs = self.variants.entry(key.clone()).or_default();
            if vs.len() < MIN_PLACES {
                vs.insert(v);
            }
        }
        self.pairs.entry(key).or_default().insert(row);
    }

    fn merge(&mut self, other: Seen) {
        for (key, places) in other.pairs {
            self.pairs.entry(key).or_default().extend(places);
        }
        for (key, vs) in other.variants {
            let mine = self.variants.entry(key).or_default();
            for v in vs {
                if mine.len() < MIN_PLACES {
                    mine.insert(v);
                }
            }
        }
    }

    /// Whether a pairing was seen in enough places, and for domains and address spaces
    /// in enough distinct values: one network written in many rules, or one host
    /// written in many settings (`db-primary.example.com` ↔ `db-replica.example.com`),
    /// may be a real difference; two hosts under one suffix pair are a convention.
    fn enough(&self, key: &(String, String, CorrKind), places: usize) -> bool {
        places >= MIN_PLACES
            && (!matches!(key.2, CorrKind::Domain | CorrKind::AddressSpace)
                || self
                    .variants
                    .get(key)
                    .is_some_and(|v| v.len() >= MIN_PLACES))
    }
}

/// Learns the correspondences of every environment with the baseline from the aligned
/// `rows`, and finds the values that break them. A pairing of words that name the
/// environments in their contexts (names, `--alias`) is marked declared.
pub fn learn(
    envs: &[Environment],
    contexts: &[Context<'_>],
    rows: &[Row<'_>],
    baseline: usize,
) -> Learned {
    let correspondences = correspondences(envs, contexts, rows, baseline);
    let breaks = find_breaks(envs, rows, baseline, &correspondences);
    Learned {
        correspondences,
        breaks,
    }
}

/// The correspondences of [`learn`], without looking for breaks.
pub fn correspondences(
    envs: &[Environment],
    contexts: &[Context<'_>],
    rows: &[Row<'_>],
    baseline: usize,
) -> Vec<Correspondence> {
    use rayon::prelude::*;
    let per_env: Vec<(usize, Seen)> = (0..envs.len())
        .into_par_iter()
        .filter(|&k| k != baseline)
        .map(|k| (k, observe(envs, contexts, rows, baseline, k)))
        .collect();
    let mut out: Vec<Correspondence> = Vec::new();
    for (k, seen) in per_env {
        // One to one: a word that pairs with two, or two that pair with one, is no
        // convention.
        // A pairing of two names of the environments (`production` ↔ `default`, the
        // workspace) contradicts nothing: an environment may have several names, and
        // `production` ↔ `development` next to it is one more.
        let (base_ctx, ctx) = (&contexts[baseline], &contexts[k]);
        // A word with two partners is no convention, even two common environment
        // words (staging reading `kv-dev` and `acme-test` where prod reads its own is
        // staging using two other environments' resources).
        let mut from_count: HashMap<(&str, CorrKind), usize> = HashMap::new();
        let mut to_count: HashMap<(&str, CorrKind), usize> = HashMap::new();
        for (from, to, kind) in seen.pairs.keys() {
            if *kind == CorrKind::Token && base_ctx.is_env_token(from) && ctx.is_env_token(to) {
                continue;
            }
            *from_count.entry((from, *kind)).or_default() += 1;
            *to_count.entry((to, *kind)).or_default() += 1;
        }
        // Address-space candidates, parsed once; so many that none can be a convention
        // (every subnet its own pairing) are none.
        let spaces: Vec<(ipnet::IpNet, ipnet::IpNet, usize)> = seen
            .pairs
            .iter()
            .filter(|((_, _, kind), _)| *kind == CorrKind::AddressSpace)
            .filter_map(|((f, t, _), places)| {
                Some((f.parse().ok()?, t.parse().ok()?, places.len()))
            })
            .collect();
        let spaces_ok = spaces.len() <= MAX_SPACE_CANDIDATES;
        let mut accepted: Vec<Correspondence> = seen
            .pairs
            .iter()
            .filter(|(key, places)| {
                let (from, to, kind) = key;
                seen.enough(key, places.len())
                    && if *kind == CorrKind::AddressSpace {
                        // Spaces nest: one contradicts another when either side
                        // overlaps. A renumbered subnet inside the space contradicts
                        // it once; the space holds when seen more than all that
                        // contradicts it.
                        spaces_ok && places.len() > rivals(&spaces, from, to)
                    } else {
                        from_count
                            .get(&(from.as_str(), *kind))
                            .copied()
                            .unwrap_or(0)
                            <= 1
                            && to_count.get(&(to.as_str(), *kind)).copied().unwrap_or(0) <= 1
                    }
            })
            .map(|((from, to, kind), places)| Correspondence {
                env: k,
                from: from.clone(),
                to: to.clone(),
                kind: *kind,
                occurrences: places.len(),
                declared: declared(contexts, baseline, k, from, to, *kind),
            })
            .collect();
        // A word seen once whose change inside is a pairing already known
        // (`cstarpcore` ↔ `cstarucore`, once `p` ↔ `u` is): the code glued into one
        // word, a convention too.
        let known: BTreeSet<(&str, &str)> = accepted
            .iter()
            .filter(|c| c.kind == CorrKind::Token)
            .map(|c| (c.from.as_str(), c.to.as_str()))
            .collect();
        let glued: Vec<Correspondence> = seen
            .pairs
            .iter()
            .filter(|((from, to, kind), places)| {
                *kind == CorrKind::Token
                    && places.len() < MIN_PLACES
                    && from_count.get(&(from.as_str(), *kind)).copied().unwrap_or(0) <= 1
                    && to_count.get(&(to.as_str(), *kind)).copied().unwrap_or(0) <= 1
                    && inside(from, to).is_some_and(|(a, b)| {
                        known.contains(&(a, b)) || (base_ctx.is_env_token(a) && ctx.is_env_token(b))
                    })
                    // Not already alike (`app01p`, `app01t` with `p`, `t` declared).
                    && base_ctx.text(from) != ctx.text(to)
            })
            .map(|((from, to, kind), places)| Correspondence {
                env: k,
                from: from.clone(),
                to: to.clone(),
                kind: *kind,
                occurrences: places.len(),
                declared: false,
            })
            .collect();
        accepted.extend(glued);
        accepted.sort_by(|a, b| (a.kind, &a.from, &a.to).cmp(&(b.kind, &b.from, &b.to)));
        out.extend(accepted);
    }
    out
}

/// The values that break `correspondences` (of every environment with the baseline):
/// the baseline's side written as is where the pairing says otherwise, found by
/// looking each identical value up. A correspondence is broken only where it is kept
/// more often than broken ("everywhere else").
pub fn find_breaks(
    envs: &[Environment],
    rows: &[Row<'_>],
    baseline: usize,
    correspondences: &[Correspondence],
) -> Vec<Break> {
    let mut out = Vec::new();
    for k in (0..envs.len()).filter(|&k| k != baseline) {
        let lookup = Lookup::of(correspondences, k);
        if lookup.is_empty() {
            continue;
        }
        let found = breaks(envs, rows, baseline, k, &lookup);
        let mut per: HashMap<usize, usize> = HashMap::new();
        for b in &found {
            *per.entry(b.correspondence).or_default() += 1;
        }
        out.extend(
            found
                .into_iter()
                .filter(|b| per[&b.correspondence] < correspondences[b.correspondence].occurrences),
        );
    }
    out.sort_by(|a, b| (a.env, a.row, &a.path).cmp(&(b.env, b.row, &b.path)));
    out
}

/// What changes inside two words that keep their ends (`cstarpcore`, `cstarucore` →
/// `p`, `u`): both parts non-empty, letters and digits only.
fn inside<'w>(x: &'w str, y: &'w str) -> Option<(&'w str, &'w str)> {
    if !x.is_ascii() || !y.is_ascii() {
        return None;
    }
    let (a, b) = (x.as_bytes(), y.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(p, q)| p == q).count();
    let m = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(m)
        .take_while(|(p, q)| p == q)
        .count();
    let (ia, ib) = (&x[prefix..x.len() - suffix], &y[prefix..y.len() - suffix]);
    (!ia.is_empty()
        && !ib.is_empty()
        && (ia, ib) != (x, y)
        && ia
            .bytes()
            .chain(ib.bytes())
            .all(|c| c.is_ascii_alphanumeric()))
    .then_some((ia, ib))
}

/// The most distinct address-space pairings an environment pair may show for any to be
/// learned: a convention is a handful of spaces, not one per subnet.
const MAX_SPACE_CANDIDATES: usize = 256;

/// How many places saw address-space pairings (`spaces`: from, to, places) that
/// overlap `from` or `to` without being that pairing.
fn rivals(spaces: &[(ipnet::IpNet, ipnet::IpNet, usize)], from: &str, to: &str) -> usize {
    let (Ok(from), Ok(to)) = (from.parse::<ipnet::IpNet>(), to.parse::<ipnet::IpNet>()) else {
        return 0;
    };
    let overlap = |a: &ipnet::IpNet, b: &ipnet::IpNet| a.contains(b) || b.contains(a);
    spaces
        .iter()
        .filter(|(f, t, _)| (*f != from || *t != to) && (overlap(f, &from) || overlap(t, &to)))
        .map(|(_, _, places)| places)
        .sum()
}

/// Whether `from` ↔ `to` is a pairing the user declared: each is a token of its own
/// environment's names or aliases.
fn declared(
    contexts: &[Context<'_>],
    baseline: usize,
    k: usize,
    from: &str,
    to: &str,
    kind: CorrKind,
) -> bool {
    match (contexts.get(baseline), contexts.get(k)) {
        (Some(b), Some(e)) => match kind {
            CorrKind::Domain => b.has_domain(from) && e.has_domain(to),
            CorrKind::AddressSpace => false,
            _ => b.is_env_token(from) && e.is_env_token(to),
        },
        _ => false,
    }
}

/// Whether `text` holds, as a word, the baseline's side of correspondence `c`.
fn names_word(text: &str, by_word: &HashMap<(&str, bool), usize>, c: usize) -> bool {
    text.split(|ch: char| !ch.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| by_word.get(&(w.to_ascii_lowercase().as_str(), false)) == Some(&c))
}

/// Whether a value read at `at` may be shown and learned from: not marked or named
/// sensitive, and nothing in it that redaction would hide.
fn readable(
    ra: &crate::model::Resource,
    rb: &crate::model::Resource,
    at: &AttrPath,
    x: &str,
    y: &str,
) -> bool {
    !is_sensitive(ra, at)
        && !is_sensitive(rb, at)
        && matches!(redact(x), std::borrow::Cow::Borrowed(_))
        && matches!(redact(y), std::borrow::Cow::Borrowed(_))
}

/// The pairings of environment `k`'s instances aligned with the baseline's.
fn observe(
    envs: &[Environment],
    contexts: &[Context<'_>],
    rows: &[Row<'_>],
    baseline: usize,
    k: usize,
) -> Seen {
    use rayon::prelude::*;
    // In chunks, in parallel; the chunks' pairings are merged.
    rows.par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| observe_rows(envs, contexts, chunk, c * CHUNK, baseline, k))
        .reduce(Seen::default, |mut a, b| {
            a.merge(b);
            a
        })
}

/// Rows per chunk of work.
const CHUNK: usize = 2048;

/// [`observe`] over `rows`, the first of which is row `first`.
fn observe_rows(
    envs: &[Environment],
    contexts: &[Context<'_>],
    rows: &[Row<'_>],
    first: usize,
    baseline: usize,
    k: usize,
) -> Seen {
    let (base_ctx, ctx) = (&contexts[baseline], &contexts[k]);
    let mut seen = Seen::default();
    aligned_leaves(envs, rows, first, baseline, k, &mut |n, ra, rb, p, x, y| {
        if x == y {
            return;
        }
        // Address spaces and domains, wherever they are written; only where the two
        // values do not compare equal already.
        let mut outside: Option<((String, String, CorrKind), String)> = None;
        // Values of maps (`tags`) are compared as text, not as addresses: no space is
        // learned from them.
        let in_map = p.iter().any(|s| matches!(s, Step::Key(_)));
        if let Some((bx, by)) = space_pair(x, y).filter(|_| !in_map) {
            let rooted = |c: &Context<'_>, s: &str| {
                parse_net(s).is_some_and(|net| c.root_of(&net).is_some())
            };
            if rooted(base_ctx, x) || rooted(ctx, y) {
                return;
            }
            outside = Some((
                (bx.to_string(), by.to_string(), CorrKind::AddressSpace),
                x.to_string(),
            ));
        } else if x.contains('.')
            && y.contains('.')
            && (names_something(p) || holds_hosts(p) || x.contains("://"))
        {
            // Hosts that already read alike (`api.prod.example.com`) are names of
            // their environments, counted as words below.
            outside = domain_pair(x, y)
                .filter(|_| base_ctx.text(x) != ctx.text(y))
                .map(|(dx, dy, left)| ((dx, dy, CorrKind::Domain), left));
        }
        if let Some((key, variant)) = outside {
            if readable(ra, rb, &to_path(p), x, y) {
                seen.note(key, n, Some(variant));
            }
            return;
        }
        // Settings are not read, ARNs in them neither: another account trusted in a
        // policy (prod trusting one vendor, staging another) is a real difference,
        // and two policies would be enough to learn it away.
        if !names_something(p) {
            return;
        }
        let pairs: Vec<(String, String, CorrKind)> = if is_provider_id(x) && is_provider_id(y) {
            vec![(x.to_string(), y.to_string(), CorrKind::Identifier)]
        } else if let Some(words) = words_apart(x, y, &|a, b| {
            base_ctx.is_env_token(a) && ctx.is_env_token(b)
        }) {
            words
                .into_iter()
                .map(|(a, b)| {
                    let kind = kind_of(&a, &b);
                    (a, b, kind)
                })
                .collect()
        } else {
            return;
        };
        if !readable(ra, rb, &to_path(p), x, y) {
            return;
        }
        for pair in pairs {
            seen.note(pair, n, None);
        }
    });
    seen
}

/// Calls `f` with every pair of strings at the same path of the instances of the
/// baseline and of environment `k` that `rows` align (the first of them is row
/// `first`): the row, the two instances, the path and the two strings.
fn aligned_leaves<'e>(
    envs: &'e [Environment],
    rows: &[Row<'_>],
    first: usize,
    baseline: usize,
    k: usize,
    f: &mut impl FnMut(usize, &'e Resource, &'e Resource, &[Step<'e>], &'e str, &'e str),
) {
    for (n, row) in rows.iter().enumerate() {
        let (Some(i), Some(j)) = (row.present[baseline], row.present[k]) else {
            continue;
        };
        let (ra, rb) = (&envs[baseline].resources[i], &envs[k].resources[j]);
        let mut path = Vec::new();
        let mut budget = MAX_LEAVES;
        leaves(
            &ra.attributes,
            &rb.attributes,
            &mut path,
            &mut budget,
            &mut |p, x, y| f(first + n, ra, rb, p, x, y),
        );
    }
}

/// The baseline's sides of the correspondences of one environment, to look values up:
/// words and identifiers by text, domains and address spaces by containment.
struct Lookup<'c> {
    /// (word or identifier, whether an identifier) → the correspondence's index.
    by_word: HashMap<(&'c str, bool), usize>,
    /// The baseline's and the environment's domains → index.
    domains: Vec<(&'c str, &'c str, usize)>,
    /// The baseline's and the environment's address spaces → index.
    spaces: Vec<(ipnet::IpNet, ipnet::IpNet, usize)>,
}

impl<'c> Lookup<'c> {
    /// The lookup of environment `env`'s correspondences among `all` (indexes are
    /// into `all`).
    fn of(all: &'c [Correspondence], env: usize) -> Lookup<'c> {
        let mut l = Lookup {
            by_word: HashMap::new(),
            domains: Vec::new(),
            spaces: Vec::new(),
        };
        for (i, c) in all.iter().enumerate().filter(|(_, c)| c.env == env) {
            match c.kind {
                CorrKind::Domain => l.domains.push((&c.from, &c.to, i)),
                CorrKind::AddressSpace => {
                    if let (Ok(f), Ok(t)) = (c.from.parse(), c.to.parse()) {
                        l.spaces.push((f, t, i));
                    }
                }
                kind => {
                    // A word with two partners (`prod` ↔ `stg`, the name, and `prod` ↔
                    // `dev`, learned): the one seen most, the first on a tie.
                    let e = l
                        .by_word
                        .entry((c.from.as_str(), kind == CorrKind::Identifier))
                        .or_insert(i);
                    if all[*e].occurrences < c.occurrences {
                        *e = i;
                    }
                }
            }
        }
        l
    }

    fn is_empty(&self) -> bool {
        self.by_word.is_empty() && self.domains.is_empty() && self.spaces.is_empty()
    }

    /// The correspondence whose baseline side `text` holds: the whole text as an
    /// identifier, a network in the baseline's space (not in the environment's), a host
    /// under the baseline's domain (not under the environment's), else one of its words.
    fn hit(&self, text: &str) -> Option<usize> {
        if let Some(c) = self.by_word.get(&(text, true)) {
            return Some(*c);
        }
        if !self.spaces.is_empty() {
            if let Some(net) = parse_net(text) {
                let inside = |root: &ipnet::IpNet| root.contains(&net);
                if let Some((_, _, c)) =
                    self.spaces.iter().find(|(f, t, _)| inside(f) && !inside(t))
                {
                    return Some(*c);
                }
            }
        }
        if !self.domains.is_empty() {
            if let Some((host, _, _)) = host_in(text) {
                let under = |d: &str| {
                    host == d || (host.ends_with(d) && host[..host.len() - d.len()].ends_with('.'))
                };
                if let Some((_, _, c)) = self.domains.iter().find(|(f, t, _)| under(f) && !under(t))
                {
                    return Some(*c);
                }
            }
        }
        // A word of one or two letters (`p` ↔ `u`) is an environment's only as a part
        // of a name (`cstar-p-rg`), never inside prose or an abbreviation
        // (`PagoPA S.p.A`).
        let prose = text.contains(char::is_whitespace);
        let b = text.as_bytes();
        let joint = |i: Option<usize>| i.and_then(|i| b.get(i)).is_none_or(|c| b"-_/".contains(c));
        let mut at = 0;
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .find_map(|w| {
                let start = at;
                at += w.len() + 1;
                if w.is_empty()
                    || (w.len() < 3
                        && (prose || !joint(start.checked_sub(1)) || !joint(Some(start + w.len()))))
                {
                    return None;
                }
                if w.bytes().any(|b| b.is_ascii_uppercase()) {
                    self.by_word
                        .get(&(w.to_ascii_lowercase().as_str(), false))
                        .copied()
                } else {
                    self.by_word.get(&(w, false)).copied()
                }
            })
    }
}

/// The values of environment `k` that write, at an aligned instance, exactly what the
/// baseline writes there, where that holds the baseline's side of a correspondence
/// ([`Lookup`]). One per instance and correspondence.
fn breaks(
    envs: &[Environment],
    rows: &[Row<'_>],
    baseline: usize,
    k: usize,
    lookup: &Lookup<'_>,
) -> Vec<Break> {
    use rayon::prelude::*;
    rows.par_chunks(CHUNK)
        .enumerate()
        .flat_map_iter(|(c, chunk)| breaks_in(envs, chunk, c * CHUNK, baseline, k, lookup))
        .collect()
}

/// [`breaks`] in `rows`, the first of which is row `first`.
fn breaks_in(
    envs: &[Environment],
    rows: &[Row<'_>],
    first: usize,
    baseline: usize,
    k: usize,
    lookup: &Lookup<'_>,
) -> Vec<Break> {
    // One per row and correspondence, in that order.
    let mut found: BTreeMap<(usize, usize), Break> = BTreeMap::new();
    aligned_leaves(envs, rows, first, baseline, k, &mut |n, ra, rb, p, x, y| {
        if x != y || x.is_empty() || !(names_something(p) || is_locator(x)) {
            return;
        }
        let Some(c) = lookup.hit(x) else {
            return;
        };
        // An instance named for the other environment (a route `soc_prod` to a
        // network every environment shares) writes that name by design.
        if found.contains_key(&(n, c)) || names_word(&rb.address.to_string(), &lookup.by_word, c) {
            return;
        }
        let at = to_path(p);
        if !readable(ra, rb, &at, x, y) {
            return;
        }
        found.insert(
            (n, c),
            Break {
                env: k,
                row: n,
                path: at,
                value: x.to_string(),
                correspondence: c,
            },
        );
    });
    found.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &[(&str, String)], b: &[(&str, String)]) -> crate::TestResult<Learned> {
        let ra: Vec<(&str, &str)> = a.iter().map(|(x, y)| (*x, y.as_str())).collect();
        let rb: Vec<(&str, &str)> = b.iter().map(|(x, y)| (*x, y.as_str())).collect();
        let envs = [
            Environment::for_tests("prod", &ra)?,
            Environment::for_tests("staging", &rb)?,
        ];
        let names = ["prod", "staging"];
        let ctxs: Vec<Context<'_>> = envs.iter().map(|e| Context::new(e, &names)).collect();
        let rows = crate::align::align(&envs, &ctxs, 0);
        Ok(learn(&envs, &ctxs, &rows, 0))
    }

    /// A bucket and a queue named by convention `acme-CODE-…`, in the network `vpc`.
    fn stack(code: &str, vpc: &str, n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| {
                (
                    format!("aws_s3_bucket.b{i}"),
                    format!(r#"{{"bucket":"acme-{code}-data{i}","vpc_id":"{vpc}"}}"#),
                )
            })
            .collect()
    }

    fn refs(v: &[(String, String)]) -> Vec<(&str, String)> {
        v.iter().map(|(a, b)| (a.as_str(), b.clone())).collect()
    }

    #[test]
    fn a_convention_seen_in_two_places_is_learned_and_a_leak_is_a_break() -> crate::TestResult {
        let prod = stack("pd", "vpc-0aaa111122223333a", 4);
        let mut staging = stack("ts", "vpc-0bbb333344445555b", 4);
        let l = run(&refs(&prod), &refs(&staging))?;
        let found: Vec<(&str, &str, CorrKind)> = l
            .correspondences
            .iter()
            .map(|c| (c.from.as_str(), c.to.as_str(), c.kind))
            .collect();
        assert_eq!(
            found,
            [
                ("pd", "ts", CorrKind::Token),
                (
                    "vpc-0aaa111122223333a",
                    "vpc-0bbb333344445555b",
                    CorrKind::Identifier
                )
            ]
        );
        assert!(l.breaks.is_empty(), "{:?}", l.breaks);
        // Staging's third bucket sits in prod's network, its fourth is named for prod.
        staging[2].1 = r#"{"bucket":"acme-ts-data2","vpc_id":"vpc-0aaa111122223333a"}"#.into();
        staging[3].1 = r#"{"bucket":"acme-pd-data3","vpc_id":"vpc-0bbb333344445555b"}"#.into();
        let l = run(&refs(&prod), &refs(&staging))?;
        let broken: Vec<(String, &str)> = l
            .breaks
            .iter()
            .map(|b| (b.path.to_string(), b.value.as_str()))
            .collect();
        assert_eq!(
            broken,
            [
                ("vpc_id".to_string(), "vpc-0aaa111122223333a"),
                ("bucket".to_string(), "acme-pd-data3")
            ]
        );
        Ok(())
    }

    #[test]
    fn random_pairings_learn_nothing() -> crate::TestResult {
        // Unrelated values at aligned addresses: names, ids and words drawn at random.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut word = |len: usize| {
            (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (b'a' + (seed % 26) as u8) as char
                })
                .collect::<String>()
        };
        let mut prod = Vec::new();
        let mut staging = Vec::new();
        for i in 0..300 {
            let (a, b) = (word(5), word(5));
            let (c, d) = (word(12), word(12));
            let (e, f) = (word(4), word(4));
            // Networks and hosts drawn at random too.
            let octets = word(4);
            let mut o = octets.bytes().map(|b| u32::from(b - b'a') * 9 % 256);
            let mut octet = || o.next().unwrap_or(0);
            let (n1, n2, n3, n4) = (octet(), octet(), octet(), octet());
            prod.push((
                format!("aws_x.r{i}"),
                format!(
                    r#"{{"name":"{a}-{e}","vpc_id":"vpc-{c}","tags":{{"Name":"{a}"}},"cidr_block":"10.{n1}.{n2}.0/24","endpoint":"https://{a}.{e}.com/x"}}"#
                ),
            ));
            staging.push((
                format!("aws_x.r{i}"),
                format!(
                    r#"{{"name":"{b}-{f}","vpc_id":"vpc-{d}","tags":{{"Name":"{b}"}},"cidr_block":"10.{n3}.{n4}.0/24","endpoint":"https://{a}.{f}.net/x"}}"#
                ),
            ));
        }
        let l = run(&refs(&prod), &refs(&staging))?;
        assert!(l.correspondences.is_empty(), "{:?}", l.correspondences);
        assert!(l.breaks.is_empty());
        Ok(())
    }

    #[test]
    fn settings_and_contradicted_pairings_are_not_conventions() -> crate::TestResult {
        // Sizes differ the same way everywhere: a real difference, not a name.
        let sized = |size: &str| -> Vec<(String, String)> {
            (0..5)
                .map(|i| {
                    (
                        format!("aws_instance.i{i}"),
                        format!(r#"{{"instance_type":"m5.{size}","ami":"ami-0abc"}}"#),
                    )
                })
                .collect()
        };
        let l = run(&refs(&sized("large")), &refs(&sized("xlarge")))?;
        assert!(l.correspondences.is_empty(), "{:?}", l.correspondences);
        // `blue` pairs with `green` in one place and with `red` in another.
        let p = vec![
            ("aws_x.a".to_string(), r#"{"name":"app-blue"}"#.to_string()),
            ("aws_x.b".to_string(), r#"{"name":"api-blue"}"#.to_string()),
        ];
        let s = vec![
            ("aws_x.a".to_string(), r#"{"name":"app-green"}"#.to_string()),
            ("aws_x.b".to_string(), r#"{"name":"api-red"}"#.to_string()),
        ];
        let l = run(&refs(&p), &refs(&s))?;
        assert!(l.correspondences.is_empty(), "{:?}", l.correspondences);
        Ok(())
    }

    #[test]
    fn a_setting_changed_wholesale_is_no_convention_and_a_name_for_the_other_is_no_leak(
    ) -> crate::TestResult {
        // uat tags its resources for another application: four real differences.
        let tagged = |app: &str| -> Vec<(String, String)> {
            (0..4)
                .map(|i| {
                    (
                        format!("aws_x.r{i}"),
                        format!(r#"{{"tags":{{"Application":"{app}"}}}}"#),
                    )
                })
                .collect()
        };
        let l = run(&refs(&tagged("RTD")), &refs(&tagged("IdPay")))?;
        assert!(l.correspondences.is_empty(), "{:?}", l.correspondences);
        // One word that keeps its ends and changes inside is a name.
        let accounts = |code: &str| -> Vec<(String, String)> {
            (0..2)
                .map(|i| {
                    (
                        format!("azurerm_storage_container.c{i}"),
                        format!(r#"{{"storage_account_name":"simplereport{code}app"}}"#),
                    )
                })
                .collect()
        };
        let l = run(&refs(&accounts("prod")), &refs(&accounts("stg")))?;
        assert_eq!(l.correspondences.len(), 1, "{:?}", l.correspondences);
        // Staging names its own things `…-ts-…`, and has a route named for prod's
        // shared network, `soc_pd`, as prod does: the route's name is by design.
        let mut prod = stack("pd", "vpc-0aaa111122223333a", 3);
        let mut staging = stack("ts", "vpc-0bbb333344445555b", 3);
        prod.push((
            r#"aws_route.r["soc_pd"]"#.into(),
            r#"{"name":"soc_pd"}"#.into(),
        ));
        staging.push((
            r#"aws_route.r["soc_pd"]"#.into(),
            r#"{"name":"soc_pd"}"#.into(),
        ));
        let l = run(&refs(&prod), &refs(&staging))?;
        assert!(!l.correspondences.is_empty());
        assert!(l.breaks.is_empty(), "{:?}", l.breaks);
        Ok(())
    }

    #[test]
    fn a_word_learned_reveals_the_next_one() -> crate::TestResult {
        // Every name differs in two words: the storage account code and the
        // environment code. Once one is learned, the other is one word apart.
        let named = |acct: &str, code: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = (0..3)
                .map(|i| {
                    (
                        format!("azurerm_storage_account.a{i}"),
                        format!(r#"{{"name":"{acct}-sa{i}"}}"#),
                    )
                })
                .collect();
            v.extend((0..2).map(|i| {
                (
                    format!("azurerm_resource_group.g{i}"),
                    format!(r#"{{"name":"{acct}-tsc-{code}-rg{i}"}}"#),
                )
            }));
            v
        };
        let (p, t) = (named("s189p01", "pd"), named("s189t01", "ts"));
        let pr: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let tr: Vec<(&str, &str)> = t.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let envs = [
            Environment::for_tests("production", &pr)?,
            Environment::for_tests("test", &tr)?,
        ];
        let report = crate::compare_loaded(&envs, 0);
        assert!(report.findings.is_empty(), "{:#?}", report.findings);
        let learned: Vec<(&str, &str)> = report
            .correspondences
            .iter()
            .map(|c| (c.from.as_str(), c.to.as_str()))
            .collect();
        assert!(learned.contains(&("pd", "ts")), "{learned:?}");
        assert_eq!(
            words_apart("s189p01-tsc-pd-rg", "s189t01-tsc-ts-rg", &|a, _| a
                == "s189p01"),
            Some(vec![
                ("s189p01".to_string(), "s189t01".to_string()),
                ("pd".to_string(), "ts".to_string())
            ])
        );
        assert_eq!(
            words_apart("s189p01-tsc-pd-rg", "s189t01-tsc-ts-rg", &|_, _| false),
            None
        );
        Ok(())
    }

    #[test]
    fn a_word_used_as_a_convention_is_always_said() -> crate::TestResult {
        // `pd` / `ts` is learned from two queues; the block it then aligns
        // (`pd_extra` / `ts_extra`) contradicts it (`x-pd-y` / `x-qa-y`), so the last
        // round no longer counts it. It is still used, so it is still listed.
        let st = |c: &str, extra: &str, word: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = (0..2)
                .map(|i| {
                    (
                        format!("aws_sqs_queue.q{i}"),
                        format!(r#"{{"name":"jobs-{c}-{i}abc"}}"#),
                    )
                })
                .collect();
            v.push((
                format!("aws_sqs_queue.{extra}"),
                format!(r#"{{"name":"x-{word}-y"}}"#),
            ));
            v
        };
        let (p, s) = (st("pd", "pd_extra", "pd"), st("ts", "ts_extra", "qa"));
        let pr: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let sr: Vec<(&str, &str)> = s.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let envs = [
            Environment::for_tests("prod", &pr)?,
            Environment::for_tests("staging", &sr)?,
        ];
        let report = crate::compare_loaded(&envs, 0);
        assert!(
            report
                .correspondences
                .iter()
                .any(|c| c.from == "pd" && c.to == "ts" && c.source == "learned"),
            "{:?}",
            report.correspondences
        );
        Ok(())
    }

    #[test]
    fn a_word_learned_from_names_never_hides_a_setting() -> crate::TestResult {
        let st = |size: &str| -> Vec<(String, String)> {
            // Seen in more places than a code needs to apply to settings: a word of
            // settings all the same.
            let mut v: Vec<(String, String)> = (0..EVERYWHERE_PLACES + 2)
                .map(|i| {
                    (
                        format!("aws_sqs_queue.q{i}"),
                        format!(r#"{{"name":"jobs-{size}-q{i}"}}"#),
                    )
                })
                .collect();
            v.push((
                "aws_db_instance.db".to_string(),
                format!(r#"{{"instance_class":"db.m5.{size}"}}"#),
            ));
            v
        };
        let (p, s) = (st("xlarge"), st("large"));
        let report = compare(&p, &s)?;
        // The queues' names are a convention (learned); the database's class is not.
        assert!(
            report.findings.iter().any(|f| f
                .path
                .as_ref()
                .is_some_and(|p| p.to_string() == "instance_class")),
            "{:#?}",
            report.findings
        );
        assert!(
            !report
                .findings
                .iter()
                .any(|f| f.address.rtype == "aws_sqs_queue"),
            "{:#?}",
            report.findings
        );
        Ok(())
    }

    #[test]
    fn one_word_apart_needs_the_same_shape() {
        assert_eq!(
            one_word_apart("acme-pd-logs", "acme-ts-logs"),
            Some(("pd".into(), "ts".into()))
        );
        assert_eq!(one_word_apart("acme-pd-logs", "acme-ts-data"), None);
        assert_eq!(one_word_apart("a-pd", "a.ts"), None);
        assert_eq!(one_word_apart("web-1", "web-2"), None);
        assert_eq!(one_word_apart("same", "same"), None);
    }
    #[test]
    fn space_pairs_are_the_bases_two_addresses_are_the_same_offset_in() {
        let pair = |x: &str, y: &str| space_pair(x, y).map(|(a, b)| (a.to_string(), b.to_string()));
        let p = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(
            pair("10.13.1.0/24", "10.12.1.0/24"),
            p("10.13.0.0/16", "10.12.0.0/16")
        );
        assert_eq!(
            pair("10.13.200.7", "10.12.200.7"),
            p("10.13.0.0/16", "10.12.0.0/16")
        );
        // 10.12 and 10.20 differ in two bits: the base holds both, the offsets agree.
        assert_eq!(
            pair("10.12.1.0/24", "10.20.1.0/24"),
            p("10.8.0.0/13", "10.16.0.0/13")
        );
        assert_eq!(
            pair("10.0.0.0/20", "10.0.16.0/20"),
            p("10.0.0.0/20", "10.0.16.0/20")
        );
        assert_eq!(
            pair("2600:1f18:1:10::/64", "2600:1f18:2:10::/64"),
            p("2600:1f18:1::/48", "2600:1f18:2::/48")
        );
        // Not spaces: a renumbered subnet (a base narrower than /20), other lengths,
        // other families, the same network, text.
        assert_eq!(pair("10.0.1.0/24", "10.0.2.0/24"), None);
        assert_eq!(pair("10.13.0.0/16", "10.12.0.0/20"), None);
        assert_eq!(pair("10.13.0.0/16", "2600::/16"), None);
        assert_eq!(pair("10.13.0.0/16", "10.13.0.0/16"), None);
        assert_eq!(pair("0.0.0.0/0", "10.0.0.0/0"), None);
        assert_eq!(pair("web-1", "web-2"), None);
    }

    #[test]
    fn domain_pairs_are_the_suffixes_after_the_labels_shared() {
        let pair = |x: &str, y: &str| domain_pair(x, y);
        let p = |a: &str, b: &str, l: &str| Some((a.to_string(), b.to_string(), l.to_string()));
        assert_eq!(
            pair("api.example.com", "api.staging.example-sandbox.net"),
            p("example.com", "staging.example-sandbox.net", "api")
        );
        assert_eq!(
            pair(
                "https://www.example.com/login",
                "https://www.example.aat.platform.example.net/login"
            ),
            p("example.com", "example.aat.platform.example.net", "www")
        );
        assert_eq!(
            pair("example.com.", "staging.example.com"),
            p("example.com", "staging.example.com", "")
        );
        assert_eq!(
            pair("*.example.com", "*.example.net"),
            p("example.com", "example.net", "")
        );
        // Not domains: versions, different paths, one label, the same host.
        assert_eq!(pair("1.2.3", "1.2.4"), None);
        assert_eq!(
            pair("https://a.example.com/x", "https://a.example.net/y"),
            None
        );
        assert_eq!(pair("localhost", "example.com"), None);
        assert_eq!(pair("API.example.com", "api.example.com"), None);
    }

    /// Subnets of an address space outside the state (`10.13` in prod, `10.12` in
    /// staging), each in its own instance.
    fn subnets(first: u8, n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| {
                (
                    format!("aws_subnet.s{i}"),
                    format!(r#"{{"cidr_block":"10.{first}.{i}.0/24","vpc_id":"vpc-0{first}"}}"#),
                )
            })
            .collect()
    }

    #[test]
    fn an_address_space_outside_the_state_is_learned_and_a_copied_network_breaks_it(
    ) -> crate::TestResult {
        let mut prod = subnets(13, 4);
        let mut staging = subnets(12, 4);
        // A rule that, in staging, names prod's admin network as prod does.
        for (env, own) in [(&mut prod, "10.13.0.0/16"), (&mut staging, "10.12.0.0/16")] {
            env.push((
                "aws_security_group_rule.admin".into(),
                format!(r#"{{"cidr_blocks":["{own}","10.13.200.0/24"],"from_port":22}}"#),
            ));
        }
        let l = run(&refs(&prod), &refs(&staging))?;
        let spaces: Vec<_> = l
            .correspondences
            .iter()
            .filter(|c| c.kind == CorrKind::AddressSpace)
            .map(|c| (c.from.as_str(), c.to.as_str(), c.occurrences))
            .collect();
        assert_eq!(spaces, vec![("10.13.0.0/16", "10.12.0.0/16", 5)]);
        assert_eq!(l.breaks.len(), 1, "{:?}", l.breaks);
        assert_eq!(l.breaks[0].value, "10.13.200.0/24");
        assert_eq!(l.breaks[0].path.to_string(), "cidr_blocks[1]");
        Ok(())
    }

    #[test]
    fn one_network_written_in_many_places_is_no_space_and_a_contradiction_must_be_rare(
    ) -> crate::TestResult {
        // One /16 pair, but only one network: the same value in five places.
        let one = |cidr: &str| -> Vec<(String, String)> {
            (0..5)
                .map(|i| {
                    (
                        format!("aws_x.r{i}"),
                        format!(r#"{{"cidr_block":"{cidr}"}}"#),
                    )
                })
                .collect()
        };
        let l = run(&refs(&one("10.13.0.0/16")), &refs(&one("10.12.0.0/16")))?;
        assert!(l.correspondences.is_empty(), "{:?}", l.correspondences);
        // Four subnets agree, one is renumbered: the space holds, and the renumbered
        // subnet stays a difference (its offsets differ).
        let prod = subnets(13, 5);
        let mut staging = subnets(12, 5);
        staging[4].1 = r#"{"cidr_block":"10.12.9.0/24","vpc_id":"vpc-012"}"#.into();
        let l = run(&refs(&prod), &refs(&staging))?;
        assert_eq!(l.correspondences.len(), 1, "{:?}", l.correspondences);
        assert_eq!(l.correspondences[0].from, "10.13.0.0/16");
        // Two spaces of one environment claimed by one network of the other: neither.
        let mut staging = subnets(12, 2);
        staging.extend(subnets(14, 4).into_iter().skip(2));
        let l = run(&refs(&subnets(13, 4)), &refs(&staging))?;
        assert!(l.correspondences.is_empty(), "{:?}", l.correspondences);
        Ok(())
    }

    #[test]
    fn domains_are_learned_from_two_hosts_and_a_host_under_the_other_domain_breaks_them(
    ) -> crate::TestResult {
        let records = |domain: &str, leak: &str| -> Vec<(String, String)> {
            vec![
                (
                    "aws_route53_record.api".into(),
                    format!(r#"{{"name":"api.{domain}","records":["lb.{domain}"]}}"#),
                ),
                (
                    "aws_route53_record.www".into(),
                    format!(r#"{{"name":"www.{domain}"}}"#),
                ),
                (
                    "aws_cloudfront_distribution.cdn".into(),
                    format!(
                        r#"{{"origin_domain":"https://static.{domain}/assets","aliases":["cdn.{leak}"]}}"#
                    ),
                ),
            ]
        };
        let prod = records("example.com", "example.com");
        let staging = records("staging.example-sandbox.net", "example.com");
        let l = run(&refs(&prod), &refs(&staging))?;
        let domains: Vec<_> = l
            .correspondences
            .iter()
            .filter(|c| c.kind == CorrKind::Domain)
            .map(|c| (c.from.as_str(), c.to.as_str()))
            .collect();
        assert_eq!(
            domains,
            vec![("example.com", "staging.example-sandbox.net")]
        );
        assert_eq!(l.breaks.len(), 1, "{:?}", l.breaks);
        assert_eq!(l.breaks[0].value, "cdn.example.com");
        // One host alone says nothing.
        let l = run(&refs(&prod[1..2]), &refs(&staging[1..2]))?;
        assert!(l.correspondences.is_empty(), "{:?}", l.correspondences);
        Ok(())
    }
    #[test]
    fn a_short_code_breaks_only_as_a_part_of_a_name() -> crate::TestResult {
        // `p` ↔ `u` learned from `cstar-p-…` / `cstar-u-…`; a certificate's subject
        // `PagoPA S.p.A` is the same in both and no leak; `cstar-p-shared` is.
        let named = |code: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = (0..3)
                .map(|i| {
                    (
                        format!("azurerm_resource_group.g{i}"),
                        format!(r#"{{"name":"cstar-{code}-rg{i}"}}"#),
                    )
                })
                .collect();
            v.push((
                "tls_self_signed_cert.c".into(),
                r#"{"subject":[{"common_name":"PagoPA S.p.A","organization":"S.p.A"}]}"#.into(),
            ));
            v.push((
                "azurerm_key_vault.kv".into(),
                r#"{"name":"cstar-p-shared"}"#.into(),
            ));
            v
        };
        let l = run(&refs(&named("p")), &refs(&named("u")))?;
        assert_eq!(
            l.correspondences
                .iter()
                .map(|c| (c.from.as_str(), c.to.as_str()))
                .collect::<Vec<_>>(),
            vec![("p", "u")]
        );
        let broken: Vec<&str> = l.breaks.iter().map(|b| b.value.as_str()).collect();
        assert_eq!(broken, vec!["cstar-p-shared"]);
        Ok(())
    }
    fn compare(a: &[(String, String)], b: &[(String, String)]) -> crate::TestResult<crate::Report> {
        compare_named(["prod", "uat"], a, b).map(|(_, r)| r)
    }

    /// The environments named `names` with resources `a` and `b`, and their comparison.
    fn compare_named(
        names: [&str; 2],
        a: &[(String, String)],
        b: &[(String, String)],
    ) -> crate::TestResult<([Environment; 2], crate::Report)> {
        let ra: Vec<(&str, &str)> = a.iter().map(|(x, y)| (x.as_str(), y.as_str())).collect();
        let rb: Vec<(&str, &str)> = b.iter().map(|(x, y)| (x.as_str(), y.as_str())).collect();
        let envs = [
            Environment::for_tests(names[0], &ra)?,
            Environment::for_tests(names[1], &rb)?,
        ];
        let report = crate::compare_loaded(&envs, 0);
        Ok((envs, report))
    }

    /// `n` resource groups named `cstar-CODE-rgI`, an action group whose name glues the
    /// code in (`cstarCODEcore`), and a config map whose setting names a host.
    fn coded(code: &str, n: usize) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = (0..n)
            .map(|i| {
                (
                    format!("azurerm_resource_group.g{i}"),
                    format!(r#"{{"name":"cstar-{code}-rg{i}"}}"#),
                )
            })
            .collect();
        v.push((
            "azurerm_monitor_action_group.core".into(),
            format!(r#"{{"name":"cstar{code}core"}}"#),
        ));
        v.push((
            "kubernetes_config_map.events".into(),
            format!(
                r#"{{"data":{{"KAFKA_BROKER":"cstar-{code}-evh-ns.servicebus.windows.net:9093"}}}}"#
            ),
        ));
        v
    }

    #[test]
    fn a_code_seen_widely_reads_settings_and_a_word_glued_around_it() -> crate::TestResult {
        let differs =
            |r: &crate::Report, rtype: &str| r.findings.iter().any(|f| f.address.rtype == rtype);
        // Seen in ten names: the code is the environment's, in settings too, and
        // `cstarpcore` ↔ `cstarucore` (seen once) is the same code glued in.
        let r = compare(&coded("p", 10), &coded("u", 10))?;
        assert!(!differs(&r, "kubernetes_config_map"), "{:#?}", r.findings);
        assert!(
            !differs(&r, "azurerm_monitor_action_group"),
            "{:#?}",
            r.findings
        );
        assert!(r
            .correspondences
            .iter()
            .any(|c| c.from == "cstarpcore" && c.to == "cstarucore"));
        // Seen in three: a convention of names only; the setting is still compared.
        let r = compare(&coded("p", 3), &coded("u", 3))?;
        assert!(differs(&r, "kubernetes_config_map"), "{:#?}", r.findings);
        assert!(!differs(&r, "azurerm_resource_group"), "{:#?}", r.findings);
        // A word seen once, whose change inside is no known pairing, is not learned.
        let mut a = coded("p", 3);
        let mut b = coded("u", 3);
        a.push(("aws_x.one".into(), r#"{"name":"shopxyzpremium"}"#.into()));
        b.push(("aws_x.one".into(), r#"{"name":"shopabcpremium"}"#.into()));
        let r = compare(&a, &b)?;
        assert!(differs(&r, "aws_x"), "{:#?}", r.findings);
        Ok(())
    }

    #[test]
    fn another_name_of_an_environment_contradicts_no_pairing() -> crate::TestResult {
        // The workspace is `default`, and the environment calls itself `development`:
        // prod's `production` pairs with both.
        let named = |env: &str, ws: &str| -> Vec<(String, String)> {
            (0..3)
                .flat_map(|i| {
                    [
                        (
                            format!("aws_kms_alias.k{i}"),
                            format!(r#"{{"name":"alias/key{i}-{env}"}}"#),
                        ),
                        (
                            format!("aws_s3_bucket.b{i}"),
                            format!(r#"{{"bucket":"logs{i}-{ws}"}}"#),
                        ),
                    ]
                })
                .collect()
        };
        let (_, r) = compare_named(
            ["production", "default"],
            &named("production", "production"),
            &named("development", "default"),
        )?;
        assert!(r.findings.is_empty(), "{:#?}", r.findings);
        assert!(r
            .correspondences
            .iter()
            .any(|c| c.from == "production" && c.to == "development" && c.source == "learned"));
        Ok(())
    }
    #[test]
    fn a_word_with_two_partners_is_looked_up_the_same_way_every_run() -> crate::TestResult {
        // stg names its own things `…-stg` (the environment's name) in five places,
        // and reads dev's secrets `…-dev` in two: `prod` has two partners. A secret
        // that stg reads as prod's own (`…-prod`) breaks the pairing seen most, on
        // every run, whatever order the pairings were found in.
        let env = |own: &str, shared: &str, leak: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = (0..5)
                .map(|i| {
                    (
                        format!("aws_s3_bucket.b{i}"),
                        format!(r#"{{"bucket":"acme-data{i}-{own}"}}"#),
                    )
                })
                .collect();
            v.extend((0..2).map(|i| {
                (
                    format!("data.azurerm_key_vault_secret.s{i}"),
                    format!(r#"{{"name":"experian-key{i}-{shared}"}}"#),
                )
            }));
            v.push((
                "data.azurerm_key_vault_secret.aims".into(),
                format!(r#"{{"name":"aims-key-{leak}"}}"#),
            ));
            v
        };
        let prod = env("prod", "prod", "prod");
        let stg = env("stg", "dev", "prod");
        let (envs, first) = compare_named(["prod", "stg"], &prod, &stg)?;
        let leaks: Vec<String> = first
            .findings
            .iter()
            .filter(|f| f.kind == crate::model::Kind::CrossEnvironment)
            .map(|f| f.address.to_string())
            .collect();
        assert_eq!(
            leaks,
            vec!["data.azurerm_key_vault_secret.aims"],
            "{:#?}",
            first.findings
        );
        for _ in 0..20 {
            let again = crate::compare_loaded(&envs, 0);
            assert_eq!(again.findings, first.findings);
            assert_eq!(again.correspondences, first.correspondences);
        }
        Ok(())
    }
    #[test]
    fn review_a_learned_space_or_domain_never_hides_a_real_difference() -> crate::TestResult {
        // Subnets teach 10.13/16 ↔ 10.12/16; staging's group also admits ssh from
        // prod's whole network, which is not its own.
        let net = |first: u8, ssh_from: Option<&str>| -> Vec<(String, String)> {
            let mut v = subnets(first, 4);
            let mut rules = format!(
                r#"{{"cidr_blocks":["10.{first}.0.0/16"],"from_port":443,"to_port":443,"protocol":"tcp","ipv6_cidr_blocks":[],"prefix_list_ids":[],"security_groups":[],"self":false,"description":""}}"#
            );
            if let Some(from) = ssh_from {
                rules.push_str(&format!(
                    r#",{{"cidr_blocks":["{from}"],"from_port":22,"to_port":22,"protocol":"tcp","ipv6_cidr_blocks":[],"prefix_list_ids":[],"security_groups":[],"self":false,"description":""}}"#
                ));
            }
            v.push((
                "aws_security_group.app".into(),
                format!(r#"{{"name":"app","ingress":[{rules}],"egress":[]}}"#),
            ));
            v
        };
        let r = compare(&net(13, None), &net(12, Some("10.13.0.0/16")))?;
        assert!(
            r.findings
                .iter()
                .any(|f| f.category == crate::model::Category::Firewall && f.message.contains("22")),
            "{:#?}",
            r.findings
        );
        // One host pair written in two settings is no domain: a primary against a
        // replica, a log intake in another region.
        let app = |db: &str, logs: &str| -> Vec<(String, String)> {
            (0..2)
                .map(|i| {
                    (
                        format!("aws_lambda_function.f{i}"),
                        format!(
                            r#"{{"function_name":"f{i}","environment":[{{"variables":{{"DATABASE_URL":"postgres://{db}.data.example.com:5432/app","LOGS":"https://http-intake.logs.{logs}/api/v2/logs"}}}}]}}"#
                        ),
                    )
                })
                .collect()
        };
        let r = compare(
            &app("db-primary", "datadoghq.com"),
            &app("db-replica", "datadoghq.eu"),
        )?;
        let said: Vec<String> = r.findings.iter().map(|f| f.message.clone()).collect();
        assert!(said.iter().any(|m| m.contains("db-replica")), "{said:#?}");
        assert!(said.iter().any(|m| m.contains("datadoghq.eu")), "{said:#?}");
        Ok(())
    }

    #[test]
    fn review_so_many_space_pairings_that_none_is_a_convention() -> crate::TestResult {
        // Each instance's networks pair differently: hundreds of candidate spaces, none
        // learned, and fast.
        let many = |shift: u32| -> Vec<(String, String)> {
            (0..3)
                .map(|i| {
                    let cidrs: Vec<String> = (0..400u32)
                        .map(|k| {
                            let a = (k * 7 + shift * (k % 13 + 1)) % 256;
                            format!(r#""10.{a}.{}.0/24""#, (k + i) % 256)
                        })
                        .collect();
                    (
                        format!("aws_x.r{i}"),
                        format!(r#"{{"cidr_blocks":[{}]}}"#, cidrs.join(",")),
                    )
                })
                .collect()
        };
        let t = std::time::Instant::now();
        let l = run(&refs(&many(0)), &refs(&many(1)))?;
        assert!(
            !l.correspondences
                .iter()
                .any(|c| c.kind == CorrKind::AddressSpace),
            "{:?}",
            l.correspondences
        );
        assert!(t.elapsed() < std::time::Duration::from_secs(20));
        Ok(())
    }
    #[test]
    fn a_learned_account_is_read_in_settings_too() -> crate::TestResult {
        // Another stack's account, one per environment, in two names and in a setting.
        let acct = |a: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = (0..2)
                .map(|i| {
                    (
                        format!("aws_lambda_permission.p{i}"),
                        format!(r#"{{"source_arn":"arn:aws:execute-api:eu-west-1:{a}:api{i}/*"}}"#),
                    )
                })
                .collect();
            v.push((
                "aws_sns_topic_policy.t".into(),
                format!(r#"{{"condition_values":["{a}"]}}"#),
            ));
            v
        };
        let r = compare(&acct("649098267436"), &acct("288342028542"))?;
        assert!(r.findings.is_empty(), "{:#?}", r.findings);
        assert!(r.correspondences.iter().any(|c| c.kind == "account"));
        Ok(())
    }
    #[test]
    fn an_environment_reading_two_other_environments_things_is_reported() -> crate::TestResult {
        // Staging reads dev's key vaults (`…-dev`, in three places) and test's storage
        // (`…-test`, in two) where prod reads its own (`…-prod`): `prod` has two
        // partners, common environment words both, and neither is learned.
        let env = |a: &str, b: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = (0..3)
                .map(|i| {
                    (
                        format!("data.azurerm_key_vault.k{i}"),
                        format!(r#"{{"name":"kv{i}-{a}"}}"#),
                    )
                })
                .collect();
            v.extend((0..2).map(|i| {
                (
                    format!("data.azurerm_storage_account.s{i}"),
                    format!(r#"{{"name":"acme-st{i}-{b}"}}"#),
                )
            }));
            v
        };
        let (_, r) = compare_named(
            ["prod", "staging"],
            &env("prod", "prod"),
            &env("dev", "test"),
        )?;
        assert!(r.correspondences.is_empty(), "{:#?}", r.correspondences);
        assert_eq!(r.findings.len(), 5, "{:#?}", r.findings);
        Ok(())
    }
    #[test]
    fn a_word_seen_widely_once_another_is_known_applies_to_settings() -> crate::TestResult {
        // Names differ in two words (`s189p01-tsc-production-x0`, `s189d01-tsc-cluster1-x0`)
        // until `s189p01` ↔ `s189d01` is learned from the names that differ in it
        // alone. `blue` ↔ `cluster1`, learned at first from three names (too few to
        // read settings), is then seen in ten more, enough to read a setting too
        // (`dns_prefix`).
        let env = |code: &str, name: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = (0..10)
                .map(|i| {
                    (
                        format!("azurerm_storage_account.x{i}"),
                        format!(r#"{{"name":"{code}-tsc-{name}-x{i}"}}"#),
                    )
                })
                .collect();
            v.extend((0..10).map(|i| {
                (
                    format!("azurerm_storage_account.y{i}"),
                    format!(r#"{{"name":"{code}-y{i}"}}"#),
                )
            }));
            v.extend((0..3).map(|i| {
                (
                    format!("azurerm_storage_account.z{i}"),
                    format!(r#"{{"name":"tsc-{name}-z{i}"}}"#),
                )
            }));
            v.push((
                "azurerm_kubernetes_cluster.main".into(),
                format!(r#"{{"dns_prefix":"tsc-{name}"}}"#),
            ));
            v
        };
        let (_, r) = compare_named(
            ["production", "development"],
            &env("s189p01", "blue"),
            &env("s189d01", "cluster1"),
        )?;
        assert!(r.findings.is_empty(), "{:#?}", r.findings);
        Ok(())
    }
    #[test]
    fn a_wildcard_certificate_outside_the_baseline_is_by_design() -> crate::TestResult {
        // Outside prod a certificate covers `*.admin.example.gov`, every environment
        // under the name prod uses alone. The other way round (prod's covers the
        // subdomains, staging's does not), a wildcard in a setting (a CORS origin), and
        // `www.` against no `www.` (a redirect to itself) stay differences.
        let env = |host: &str, cert: &str, sans: &str, origin: &str| -> Vec<(String, String)> {
            vec![
                (
                    "aws_s3_bucket_website_configuration.w".into(),
                    format!(r#"{{"redirect_all_requests_to":[{{"host_name":"{host}"}}]}}"#),
                ),
                (
                    "aws_acm_certificate.admin".into(),
                    format!(r#"{{"domain_name":"{cert}","subject_alternative_names":["{sans}"]}}"#),
                ),
                (
                    "aws_s3_bucket_cors_configuration.c".into(),
                    format!(r#"{{"cors_rule":[{{"allowed_origins":["{origin}"]}}]}}"#),
                ),
            ]
        };
        let (_, r) = compare_named(
            ["prod", "staging"],
            &env(
                "www.example.gov",
                "admin.example.gov",
                "*.example.gov",
                "https://example.gov",
            ),
            &env(
                "example.gov",
                "*.admin.example.gov",
                "example.gov",
                "https://*.example.gov",
            ),
        )?;
        let left: Vec<String> = r
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f.address,
                    f.path.as_ref().map(|p| p.to_string()).unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(
            left,
            vec![
                "aws_acm_certificate.admin subject_alternative_names[0]",
                "aws_s3_bucket_cors_configuration.c cors_rule[0].allowed_origins[0]",
                "aws_s3_bucket_website_configuration.w redirect_all_requests_to[0].host_name",
            ],
            "{:#?}",
            r.findings
        );
        Ok(())
    }
    #[test]
    fn another_account_in_settings_is_never_learned_away() -> crate::TestResult {
        // Prod's roles trust one vendor's account, staging's another, in two roles,
        // both as a policy document's principals (ARNs) and as a JSON trust policy:
        // a real difference, whatever it looks like.
        let env = |vendor: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = ["a", "b"]
                .iter()
                .map(|n| {
                    (
                        format!("data.aws_iam_policy_document.{n}"),
                        format!(
                            r#"{{"statement":[{{"sid":"X","principals":[{{"type":"AWS","identifiers":["arn:aws:iam::{vendor}:root"]}}]}}]}}"#
                        ),
                    )
                })
                .collect();
            v.extend(["c", "d"].iter().map(|n| {
                (
                    format!("aws_iam_role.{n}"),
                    format!(
                        r#"{{"name":"{n}","assume_role_policy":"{{\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"arn:aws:iam::{vendor}:root\"}}}}]}}"}}"#
                    ),
                )
            }));
            v
        };
        let (_, r) = compare_named(
            ["prod", "staging"],
            &env("999999999999"),
            &env("888888888888"),
        )?;
        assert!(r.correspondences.is_empty(), "{:#?}", r.correspondences);
        assert_eq!(r.findings.len(), 4, "{:#?}", r.findings);
        Ok(())
    }
    #[test]
    fn a_bucket_policy_at_another_address_names_the_same_bucket() -> crate::TestResult {
        // An import tool's policy names its bucket `b/acme-data`; staging's, in a
        // for_each, names its own bucket. The buckets pair by name, the policies by
        // the bucket they name, and each policy's bucket is the same one.
        let env = |bucket: &str, address: &str, written: &str, members: &str| {
            let policy = format!(
                r#"{{\"bindings\":[{{\"role\":\"roles/storage.legacyBucketReader\",\"members\":[{members}]}}]}}"#
            );
            vec![
                (
                    format!("google_storage_bucket.{address}"),
                    format!(r#"{{"name":"{bucket}","location":"US"}}"#),
                ),
                (
                    format!("google_storage_bucket_iam_policy.{address}"),
                    format!(r#"{{"bucket":"{written}","policy_data":"{policy}"}}"#),
                ),
            ]
        };
        let prod = env(
            "acme-data",
            "tfer--acme-data",
            "b/acme-data",
            r#"\"projectViewer:acme\""#,
        );
        let same = env(
            "acme-staging-data",
            r#"acme["acme-staging-data"]"#,
            "acme-staging-data",
            r#"\"projectViewer:acme\""#,
        );
        let (_, r) = compare_named(["prod", "staging"], &prod, &same)?;
        assert!(r.findings.is_empty(), "{:#?}", r.findings);
        let wider = env(
            "acme-staging-data",
            r#"acme["acme-staging-data"]"#,
            "acme-staging-data",
            r#"\"projectViewer:acme\",\"allUsers\""#,
        );
        let (_, r) = compare_named(["prod", "staging"], &prod, &wider)?;
        let found: Vec<(String, Option<String>)> = r
            .findings
            .iter()
            .map(|f| {
                (
                    f.address.to_string(),
                    f.path.as_ref().map(|p| p.to_string()),
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![(
                "google_storage_bucket_iam_policy.tfer--acme-data".to_string(),
                Some("policy_data".to_string())
            )],
            "{:#?}",
            r.findings
        );
        Ok(())
    }
    #[test]
    fn dataproc_buckets_align_and_another_projects_bucket_is_reported() -> crate::TestResult {
        // Dataproc's two buckets per project (named by the project number and eight
        // random characters) are one bucket in each environment; a cluster of staging
        // that uses a bucket of prod's project is reported.
        let env = |number: &str, random: [&str; 2], temp: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = ["staging", "temp"]
                .iter()
                .zip(random)
                .map(|(kind, r)| {
                    let name = format!("dataproc-{kind}-us-west2-{number}-{r}");
                    (
                        format!("google_storage_bucket.tfer--{name}"),
                        format!(r#"{{"name":"{name}","location":"US-WEST2"}}"#),
                    )
                })
                .collect();
            v.push((
                "google_dataproc_cluster.c".into(),
                format!(r#"{{"cluster_config":[{{"temp_bucket":"{temp}"}}]}}"#),
            ));
            v
        };
        let prod = env(
            "1005246706141",
            ["sfgmtgyp", "x9mtxbwg"],
            "dataproc-temp-us-west2-1005246706141-x9mtxbwg",
        );
        let staging = env(
            "473674835135",
            ["t87wkokr", "yuzmmdyk"],
            "dataproc-temp-us-west2-1005246706141-t87wkokr",
        );
        let (_, r) = compare_named(["prod", "staging"], &prod, &staging)?;
        assert!(
            r.findings
                .iter()
                .all(|f| f.kind != crate::model::Kind::Missing),
            "{:#?}",
            r.findings
        );
        assert!(
            r.findings
                .iter()
                .any(|f| f.address.to_string() == "google_dataproc_cluster.c"),
            "{:#?}",
            r.findings
        );
        Ok(())
    }
    #[test]
    fn a_word_learned_whole_reads_alike_though_it_holds_a_declared_name() -> crate::TestResult {
        // `prod` ↔ `aat` from four names; each front end's policy is
        // `<app>prodPremium` against `<app>aatPremium`. `prod` is also the baseline's
        // name, which must not be taken out of one side before the learned word is
        // read on both.
        let env = |code: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = (0..4)
                .map(|i| {
                    (
                        format!("azurerm_storage_account.s{i}"),
                        format!(r#"{{"name":"cft-{code}-x{i}"}}"#),
                    )
                })
                .collect();
            v.extend(["cmc", "divda"].iter().map(|app| {
                (
                    format!(r#"azurerm_cdn_frontdoor_firewall_policy.custom["{app}"]"#),
                    format!(r#"{{"name":"{app}{code}Premium","mode":"Prevention"}}"#),
                )
            }));
            // A probe's host is a name too: `plum.aat.platform.example.net` in staging.
            let host = if code == "prod" {
                "plum.platform.example.net".to_string()
            } else {
                format!("plum.{code}.platform.example.net")
            };
            v.push((
                "azurerm_application_gateway.ag".into(),
                format!(r#"{{"probe":[{{"name":"plum","host":"{host}","interval":20}}]}}"#),
            ));
            v
        };
        let (_, r) = compare_named(["prod", "stg"], &env("prod"), &env("aat"))?;
        assert!(r.findings.is_empty(), "{:#?}", r.findings);
        Ok(())
    }
    #[test]
    fn www_in_prod_is_the_environments_own_name_elsewhere() -> crate::TestResult {
        // prod serves `www.example.gov`, demo `demo.example.gov`: by design. A host
        // with no name there (a redirect to itself) or another environment's
        // (`staging.example.gov` read by dev) is a difference.
        let env = |host: &str| -> Vec<(String, String)> {
            vec![(
                "azurerm_application_gateway.lb".into(),
                format!(
                    r#"{{"redirect_configuration":[{{"name":"r","target_url":"https://{host}/app"}}]}}"#
                ),
            )]
        };
        let prod = env("www.example.gov");
        let (_, r) = compare_named(["prod", "demo"], &prod, &env("demo.example.gov"))?;
        assert!(r.findings.is_empty(), "{:#?}", r.findings);
        let (_, r) = compare_named(["prod", "demo"], &prod, &env("example.gov"))?;
        assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
        let (_, r) = compare_named(["prod", "dev"], &prod, &env("staging.example.gov"))?;
        assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
        // Staging calling `www.` where prod calls its own `prod.` host: a difference.
        let (_, r) = compare_named(
            ["prod", "staging"],
            &env("prod.example.gov"),
            &env("www.example.gov"),
        )?;
        assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
        Ok(())
    }
}
