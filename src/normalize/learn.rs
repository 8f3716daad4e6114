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

/// What a correspondence pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CorrKind {
    /// A word inside names (`pd` ↔ `ts`).
    Token,
    /// A 12-digit account number.
    Account,
    /// A provider identifier of something outside the state (`vpc-…`, a zone id).
    Identifier,
}

impl CorrKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CorrKind::Token => "token",
            CorrKind::Account => "account",
            CorrKind::Identifier => "identifier",
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
    path.iter()
        .rev()
        .find_map(|s| match s {
            Step::Attr(a) => Some(*a),
            _ => None,
        })
        .is_some_and(names_attr)
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
    let account = |w: &str| w.len() == 12 && w.bytes().all(|c| c.is_ascii_digit());
    if account(a) && account(b) {
        CorrKind::Account
    } else {
        CorrKind::Token
    }
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
        (Value::List(x), Value::List(y)) if x.len() == y.len() && x.len() <= 64 => {
            for (i, (va, vb)) in x.iter().zip(y.iter()).enumerate() {
                path.push(Step::Index(i));
                leaves(va, vb, path, budget, f);
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
    use rayon::prelude::*;
    let per_env: Vec<(usize, Seen)> = (0..envs.len())
        .into_par_iter()
        .filter(|&k| k != baseline)
        .map(|k| (k, observe(envs, contexts, rows, baseline, k)))
        .collect();
    let mut out = Learned::default();
    for (k, seen) in per_env {
        // One to one: a word that pairs with two, or two that pair with one, is no
        // convention.
        let mut from_count: HashMap<(&str, CorrKind), usize> = HashMap::new();
        let mut to_count: HashMap<(&str, CorrKind), usize> = HashMap::new();
        for (from, to, kind) in seen.pairs.keys() {
            *from_count.entry((from, *kind)).or_default() += 1;
            *to_count.entry((to, *kind)).or_default() += 1;
        }
        let mut accepted: Vec<Correspondence> = seen
            .pairs
            .iter()
            .filter(|((from, to, kind), places)| {
                places.len() >= MIN_PLACES
                    && from_count[&(from.as_str(), *kind)] == 1
                    && to_count[&(to.as_str(), *kind)] == 1
            })
            .map(|((from, to, kind), places)| Correspondence {
                env: k,
                from: from.clone(),
                to: to.clone(),
                kind: *kind,
                occurrences: places.len(),
                declared: declared(contexts, baseline, k, from, to),
            })
            .collect();
        accepted.sort_by(|a, b| (a.kind, &a.from).cmp(&(b.kind, &b.from)));
        // Breaks: the baseline's side written as is where the pairing says otherwise;
        // found in a second pass, looking each identical value's words up.
        let base = out.correspondences.len();
        let by_word: HashMap<(&str, bool), usize> = accepted
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.from.as_str(), c.kind == CorrKind::Identifier), base + i))
            .collect();
        if !by_word.is_empty() {
            let found = breaks(envs, rows, baseline, k, &by_word);
            // Everywhere else means more often kept than broken.
            let mut per: HashMap<usize, usize> = HashMap::new();
            for b in &found {
                *per.entry(b.correspondence).or_default() += 1;
            }
            out.breaks.extend(found.into_iter().filter(|b| {
                per[&b.correspondence] < accepted[b.correspondence - base].occurrences
            }));
        }
        out.correspondences.extend(accepted);
    }
    out.breaks
        .sort_by(|a, b| (a.env, a.row, &a.path).cmp(&(b.env, b.row, &b.path)));
    out
}

/// Whether `from` ↔ `to` is a pairing the user declared: each is a token of its own
/// environment's names or aliases.
fn declared(contexts: &[Context<'_>], baseline: usize, k: usize, from: &str, to: &str) -> bool {
    match (contexts.get(baseline), contexts.get(k)) {
        (Some(b), Some(e)) => b.is_env_token(from) && e.is_env_token(to),
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
            for (key, places) in b.pairs {
                a.pairs.entry(key).or_default().extend(places);
            }
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
        if x == y || !names_something(p) {
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
            seen.pairs.entry(pair).or_default().insert(n);
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

/// The correspondence whose baseline side `text` holds: the whole text as an
/// identifier, else one of its words.
fn word_hit(text: &str, by_word: &HashMap<(&str, bool), usize>) -> Option<usize> {
    by_word.get(&(text, true)).copied().or_else(|| {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .find_map(|w| {
                if w.bytes().any(|b| b.is_ascii_uppercase()) {
                    by_word
                        .get(&(w.to_ascii_lowercase().as_str(), false))
                        .copied()
                } else {
                    by_word.get(&(w, false)).copied()
                }
            })
    })
}

/// The values of environment `k` that write, at an aligned instance, exactly what the
/// baseline writes there, where that holds the baseline's side of a correspondence
/// (`by_word`: its word or identifier, and whether it is an identifier → its index).
/// One per instance and correspondence.
fn breaks(
    envs: &[Environment],
    rows: &[Row<'_>],
    baseline: usize,
    k: usize,
    by_word: &HashMap<(&str, bool), usize>,
) -> Vec<Break> {
    use rayon::prelude::*;
    rows.par_chunks(CHUNK)
        .enumerate()
        .flat_map_iter(|(c, chunk)| breaks_in(envs, chunk, c * CHUNK, baseline, k, by_word))
        .collect()
}

/// [`breaks`] in `rows`, the first of which is row `first`.
fn breaks_in(
    envs: &[Environment],
    rows: &[Row<'_>],
    first: usize,
    baseline: usize,
    k: usize,
    by_word: &HashMap<(&str, bool), usize>,
) -> Vec<Break> {
    // One per row and correspondence, in that order.
    let mut found: BTreeMap<(usize, usize), Break> = BTreeMap::new();
    aligned_leaves(envs, rows, first, baseline, k, &mut |n, ra, rb, p, x, y| {
        if x != y || x.is_empty() || !(names_something(p) || is_locator(x)) {
            return;
        }
        let Some(c) = word_hit(x, by_word) else {
            return;
        };
        // An instance named for the other environment (a route `soc_prod` to a
        // network every environment shares) writes that name by design.
        if found.contains_key(&(n, c)) || names_word(&rb.address.to_string(), by_word, c) {
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
            prod.push((
                format!("aws_x.r{i}"),
                format!(r#"{{"name":"{a}-{e}","vpc_id":"vpc-{c}","tags":{{"Name":"{a}"}}}}"#),
            ));
            staging.push((
                format!("aws_x.r{i}"),
                format!(r#"{{"name":"{b}-{f}","vpc_id":"vpc-{d}","tags":{{"Name":"{b}"}}}}"#),
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
            let mut v: Vec<(String, String)> = (0..2)
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
        let pr: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let sr: Vec<(&str, &str)> = s.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let envs = [
            Environment::for_tests("prod", &pr)?,
            Environment::for_tests("staging", &sr)?,
        ];
        let report = crate::compare_loaded(&envs, 0);
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
}
