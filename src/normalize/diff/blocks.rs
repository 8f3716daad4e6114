//! Pairing the elements of lists: as multisets of canonical forms, blocks by a
//! natural key (`name`, `priority`, …) or by likeness, within a bounded amount of work.

use super::*;

/// Multiset equality of two lists by canonical form; an element with a value known
/// only after apply matches any one element of the other side.
pub(super) fn multiset_equal(a: &Side<'_>, b: &Side<'_>, x: &[Value], y: &[Value]) -> bool {
    // A configuration's blocks set fewer fields than the state's: pair them one by one.
    if a.declared != b.declared {
        if x.len() != y.len() {
            return false;
        }
        let mut used = vec![false; y.len()];
        return x.iter().all(|p| {
            let found = y
                .iter()
                .enumerate()
                .find(|(j, q)| !used[*j] && equal_in(a, b, p, q, true))
                .map(|(j, _)| j);
            if let Some(j) = found {
                used[j] = true;
            }
            found.is_some()
        });
    }
    if x.len() != y.len() {
        // Lists of different length can still be equal when empty elements pad one.
        if x.iter().chain(y.iter()).all(|v| !is_empty(v)) {
            return false;
        }
    }
    let ka = canon_all(a, x);
    let kb = canon_all(b, y);
    let (ra, rb) = unmatched(&ka, &kb);
    if ra.is_empty() && rb.is_empty() {
        return true;
    }
    if ra.len() != rb.len() {
        return false;
    }
    // An element with a value known only after apply matches an element of the other
    // side whose known values are the same: an unknown hides nothing else.
    if ra.len() * rb.len() > MAX_WILDCARD_PAIRS || !spend(ra.len() * rb.len()) {
        // Too many to pair one by one: not known to be equal. The caller then pairs the
        // blocks by name, or says the list differs: loud rather than silent.
        return false;
    }
    pair_alike(a, b, x, y, &ra, &rb).is_some()
}

/// Past this many candidate pairs, elements with unknown values are paired by count.
pub(super) const MAX_WILDCARD_PAIRS: usize = 4096;

/// Pairs each of `ra` (positions in `x`) with one of `rb` (in `y`) whose known values
/// are the same, as a maximum matching (augmenting paths): `None` when one can have no
/// partner.
pub(super) fn pair_alike(
    a: &Side<'_>,
    b: &Side<'_>,
    x: &[Value],
    y: &[Value],
    ra: &[usize],
    rb: &[usize],
) -> Option<Vec<(usize, usize)>> {
    let alike: Vec<Vec<usize>> = ra
        .iter()
        .map(|&i| {
            (0..rb.len())
                .filter(|&j| equal_in(a, b, &x[i], &y[rb[j]], true))
                .collect()
        })
        .collect();
    // partner[j]: the element of `ra` (by position) paired with rb[j].
    let mut partner: Vec<Option<usize>> = vec![None; rb.len()];
    fn augment(
        p: usize,
        alike: &[Vec<usize>],
        partner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &j in &alike[p] {
            if seen[j] {
                continue;
            }
            seen[j] = true;
            if partner[j].is_none_or(|q| augment(q, alike, partner, seen)) {
                partner[j] = Some(p);
                return true;
            }
        }
        false
    }
    for p in 0..ra.len() {
        let mut seen = vec![false; rb.len()];
        if !augment(p, &alike, &mut partner, &mut seen) {
            return None;
        }
    }
    Some(
        partner
            .iter()
            .enumerate()
            .filter_map(|(j, p)| p.map(|p| (ra[p], rb[j])))
            .collect(),
    )
}

/// How many element comparisons pairing may make while comparing one pair of
/// resources, nested lists included: past it, elements with unknown values are paired
/// by count, so that deep lists of blocks cost no more than a bounded amount.
pub(super) const MAX_PAIRING_WORK: usize = 20_000;

thread_local! {
    pub(super) static PAIRING_WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Takes `n` comparisons from this resource pair's budget; false when it is spent.
pub(super) fn spend(n: usize) -> bool {
    PAIRING_WORK.with(|w| {
        let left = w.get();
        if left < n {
            false
        } else {
            w.set(left - n);
            true
        }
    })
}

/// Positions in `ka` and `kb` whose canonical form has no partner on the other side.
pub(super) fn unmatched(ka: &[(String, bool)], kb: &[(String, bool)]) -> (Vec<usize>, Vec<usize>) {
    let mut counts: HashMap<&str, isize> = HashMap::with_capacity(ka.len());
    for (k, _) in ka {
        *counts.entry(k).or_default() += 1;
    }
    let mut rb = Vec::new();
    for (i, (k, _)) in kb.iter().enumerate() {
        match counts.get_mut(k.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => rb.push(i),
        }
    }
    let mut ra = Vec::new();
    for (i, (k, _)) in ka.iter().enumerate().rev() {
        if let Some(n) = counts.get_mut(k.as_str()) {
            if *n > 0 {
                *n -= 1;
                ra.push(i);
            }
        }
    }
    ra.reverse();
    (ra, rb)
}

/// Fields that name a block within its list (`security_rule.name`, a statement's `Sid`,
/// a WAF rule's `priority`, a managed rule set's overrides by `rule_group_name` and
/// `rule_id`), tried in this order. `type` and `id` come last: they name a block only
/// where no other field does (one managed rule set per type).
pub(super) const BLOCK_KEYS: &[&str] = &[
    "name",
    "sid",
    "Sid",
    "key",
    "rule_no",
    "rule_number",
    "priority",
    "path_pattern",
    "container_port",
    "rule_group_name",
    "rule_id",
    "type",
    "id",
];

/// Natural keys whose value is a name, written alone in a path (`rule["allow-ssh"]`);
/// the others are numbers or kinds, written with their field (`rule["priority=100"]`).
pub(super) const NAME_KEYS: &[&str] = &[
    "name",
    "sid",
    "Sid",
    "key",
    "path_pattern",
    "rule_group_name",
];

/// The longest natural key a path names an element by; a longer one (a path pattern
/// of many parts) leaves the element named by its index.
pub(super) const MAX_BLOCK_NAME: usize = 64;

/// How an element of a list of blocks is named in a path by its natural key `key`:
/// `allow-ssh` for a name, `priority=100` for a number. `None` when it has no short
/// scalar value there.
pub fn block_name(v: &Value, key: &str) -> Option<String> {
    let shown = match v.get(key)? {
        Value::Str(s) if !s.is_empty() => s.to_string(),
        Value::Num(n) => n.to_string(),
        _ => return None,
    };
    let shown = if NAME_KEYS.contains(&key) {
        shown
    } else {
        format!("{key}={shown}")
    };
    (shown.chars().count() <= MAX_BLOCK_NAME && !shown.chars().any(char::is_control))
        .then_some(shown)
}

/// The element of a list of blocks that a path step names by its natural key
/// ([`block_name`]): the first block some key names so.
pub(super) fn named_block<'v>(items: &'v [Value], name: &str) -> Option<&'v Value> {
    BLOCK_KEYS.iter().find_map(|key| {
        items
            .iter()
            .find(|v| block_name(v, key).as_deref() == Some(name))
    })
}

/// Unmatched blocks of two lists, paired: `pairs` (positions in each list), the natural
/// key that paired them (`None`: the one block left on each side), and the blocks left
/// on each side.
pub(super) struct Pairing {
    pub(super) pairs: Vec<(usize, usize)>,
    pub(super) key: Option<&'static str>,
    pub(super) rest_a: Vec<usize>,
    pub(super) rest_b: Vec<usize>,
}

/// The blocks of two lists whose names (`na`, `nb`: every block has one) are each
/// the only one so named on both sides, paired, the others left; `None` when none
/// pairs.
fn by_unique_names(
    ra: &[usize],
    rb: &[usize],
    na: impl Fn(usize) -> Option<String>,
    nb: impl Fn(usize) -> Option<String>,
    key: &'static str,
) -> Option<Pairing> {
    let count = |rs: &[usize], n: &dyn Fn(usize) -> Option<String>| {
        let mut m: HashMap<String, Vec<usize>> = HashMap::new();
        for &i in rs {
            if let Some(k) = n(i) {
                m.entry(k).or_default().push(i);
            }
        }
        m
    };
    let (ma, mb) = (count(ra, &na), count(rb, &nb));
    let mut pairs: Vec<(usize, usize)> = ma
        .iter()
        .filter_map(
            |(k, is)| match (is.as_slice(), mb.get(k).map(Vec::as_slice)) {
                ([i], Some([j])) => Some((*i, *j)),
                _ => None,
            },
        )
        .collect();
    if pairs.is_empty() {
        return None;
    }
    pairs.sort_unstable();
    Some(Pairing::of(pairs, key, ra, rb))
}

impl Pairing {
    /// `pairs` made by `key`, with the blocks of `ra` and `rb` they leave.
    fn of(pairs: Vec<(usize, usize)>, key: &'static str, ra: &[usize], rb: &[usize]) -> Pairing {
        let (pa, pb): (
            std::collections::HashSet<usize>,
            std::collections::HashSet<usize>,
        ) = pairs.iter().copied().unzip();
        let rest_a = ra.iter().copied().filter(|i| !pa.contains(i)).collect();
        let rest_b = rb.iter().copied().filter(|j| !pb.contains(j)).collect();
        Pairing {
            pairs,
            key: Some(key),
            rest_a,
            rest_b,
        }
    }
}

/// Pairs the unmatched blocks of two lists: by the first naming field that every one
/// of them has, with a value unique on its side, and that pairs at least one (the
/// others are blocks one side alone has); else the single block of each side.
pub(super) fn pair_blocks(
    a: &Side<'_>,
    b: &Side<'_>,
    x: &[Value],
    y: &[Value],
    ra: &[usize],
    rb: &[usize],
) -> Option<Pairing> {
    if ra.is_empty()
        || rb.is_empty()
        || !ra.iter().all(|&i| matches!(x[i], Value::Object(_)))
        || !rb.iter().all(|&j| matches!(y[j], Value::Object(_)))
    {
        return None;
    }
    for key in BLOCK_KEYS {
        let name = |side: &Side<'_>, v: &Value| {
            v.get(key)
                .filter(|k| !is_empty(k) && !matches!(k, Value::List(_) | Value::Object(_)))
                .map(|k| side.leaf(k).canonical())
        };
        // Each side's blocks by name, when every one has a name of its own.
        let names =
            |side: &Side<'_>, xs: &[Value], rs: &[usize]| -> Option<HashMap<String, usize>> {
                let mut m = HashMap::with_capacity(rs.len());
                for &i in rs {
                    if m.insert(name(side, &xs[i])?, i).is_some() {
                        return None;
                    }
                }
                Some(m)
            };
        // Names every block has say what the blocks are, even when one repeats (a
        // gateway listing one front end twice) or none pairs: no later field (a
        // `priority` made from each block's place in a list) pairs blocks of other
        // names. The names unique on both sides pair.
        if NAME_KEYS.contains(key)
            && ra.iter().all(|&i| name(a, &x[i]).is_some())
            && rb.iter().all(|&j| name(b, &y[j]).is_some())
        {
            return by_unique_names(ra, rb, |i| name(a, &x[i]), |j| name(b, &y[j]), key);
        }
        let (Some(_), Some(nb)) = (names(a, x, ra), names(b, y, rb)) else {
            continue;
        };
        let pairs: Vec<(usize, usize)> = ra
            .iter()
            .filter_map(|&i| {
                let n = name(a, &x[i])?;
                nb.get(&n).map(|&j| (i, j))
            })
            .collect();
        if pairs.is_empty() {
            continue;
        }
        return Some(Pairing::of(pairs, key, ra, rb));
    }
    (ra.len() == 1 && rb.len() == 1).then(|| Pairing {
        pairs: vec![(ra[0], rb[0])],
        key: None,
        rest_a: Vec::new(),
        rest_b: Vec::new(),
    })
}
