//! Compares the attributes of one instance in two environments after normalisation and
//! lists the paths that really differ. Lists compare as multisets (Terraform writes sets
//! in identifier order, which differs by design) unless the catalog says they are
//! ordered. A difference under a sensitive or secret-named path is reported once, at
//! that path, with both sides shown as `(sensitive)`.

use super::catalog::{
    IGNORED_ATTRS, NESTED_IGNORED_ATTRS, ORDERED_LIST_ATTRS, PLAIN_ATTRS, ZONE_ATTRS,
    ZONE_LAYOUT_TYPES,
};
use super::context::Context;
use super::trail::{object_step as object_step_for, to_path, Step};
use crate::model::{Address, AttrPath, PathStep, Resource, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
/// The one rule for names that mean secret lives with the evaluator, whose messages
/// need it too.
pub use tfparity_hcl::secret::is_secret_name;

/// The placeholder shown for any secret value.
pub const SENSITIVE: &str = "(sensitive)";
/// Shown for an attribute one side does not have at all.
pub const ABSENT: &str = "(absent)";
const MAX_DISPLAY: usize = 200;

/// One instance in one environment, with that environment's context.
pub struct Side<'a> {
    pub ctx: &'a Context<'a>,
    pub res: &'a Resource,
    /// The instance's own position: a value naming the instance itself is not a reference.
    own: Option<usize>,
    /// The instance's own identifiers (`id`, `arn`, …), read when first needed.
    own_ids: std::cell::OnceCell<Vec<&'a str>>,
    /// The attribute being compared holds names, not references (see `PLAIN_ATTRS`).
    plain: std::cell::Cell<bool>,
    /// The instance comes from a configuration: an attribute it does not set is left
    /// to the provider (a default, or computed), not absent, and compares with anything.
    declared: bool,
}

impl<'a> Side<'a> {
    pub fn new(ctx: &'a Context<'a>, res: &'a Resource) -> Side<'a> {
        Side::at(ctx, ctx.env.position(&res.address), res)
    }

    /// A side whose position in its environment is already known.
    pub fn at(ctx: &'a Context<'a>, own: Option<usize>, res: &'a Resource) -> Side<'a> {
        Side {
            own,
            own_ids: std::cell::OnceCell::new(),
            ctx,
            res,
            plain: std::cell::Cell::new(false),
            declared: ctx.env.source.kind == crate::model::SourceKind::Hcl,
        }
    }

    /// The resource an identifier names, unless it is this instance or the attribute
    /// holds names.
    pub fn resolve(&self, s: &str) -> Option<usize> {
        if self.plain.get() {
            return None;
        }
        self.ctx.resolve(s).filter(|i| Some(*i) != self.own)
    }

    fn is_identifier(&self, s: &str) -> bool {
        !self.plain.get()
            && self.ctx.is_identifier(s)
            && self.resolve(s).is_some() == self.ctx.resolve(s).is_some()
    }

    /// Whether `s` is this instance's own identifier (`bucket` of a bucket).
    fn names_itself(&self, s: &str) -> bool {
        let ids = self.own_ids.get_or_init(|| {
            super::catalog::IDENTITY_ATTRS
                .iter()
                .filter_map(|k| self.res.attributes.get(k).and_then(Value::as_str))
                .collect()
        });
        ids.contains(&s) || (self.own.is_some() && self.ctx.resolve(s) == self.own)
    }

    /// A scalar as compared, within the current attribute.
    pub fn leaf<'v>(&'v self, v: &'v Value) -> super::Leaf<'v> {
        match v {
            Value::Str(s) if self.plain.get() => {
                if s.is_empty() {
                    super::Leaf::Empty
                } else {
                    super::Leaf::Text(self.ctx.text(s))
                }
            }
            Value::Str(s) if self.names_itself(s) => self.ctx.leaf_unresolved(s),
            _ => self.ctx.leaf(v),
        }
    }
}

/// One attribute path whose values differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueDiff {
    pub path: AttrPath,
    /// A leaf on either side points at a resource (in or outside the environment).
    pub reference: bool,
    /// The path is sensitive: both displays are `(sensitive)`.
    pub sensitive: bool,
    /// A sensitive scalar (a password, a token): environments are expected to differ.
    pub secret_value: bool,
    /// Display of each side's value.
    pub left: String,
    pub right: String,
    /// For collections: the elements only one side has (display form).
    pub only_left: Vec<String>,
    pub only_right: Vec<String>,
    /// One side is known only after apply, the other is known: not a difference of
    /// values (yet), said so that an unknown never hides what is known.
    pub after_apply: bool,
}

/// The step for key `k` of an object: an attribute when the object is a block (an
/// element of a list), a map key otherwise.
pub fn object_step(in_block: bool, k: &str) -> PathStep {
    if in_block {
        PathStep::Attr(k.into())
    } else {
        PathStep::Key(k.into())
    }
}

fn step_name(s: &PathStep) -> Option<&str> {
    match s {
        PathStep::Attr(a) | PathStep::Key(a) => Some(a),
        PathStep::Index(_) => None,
    }
}

fn step_matches(a: &PathStep, b: &PathStep) -> bool {
    match (a, b) {
        (PathStep::Index(x), PathStep::Index(y)) => x == y,
        _ => step_name(a).is_some() && step_name(a) == step_name(b),
    }
}

/// The shortest prefix of `path` that is sensitive on this side (the source marked it,
/// or its last step is named like a secret), as a step count.
fn sensitive_prefix(res: &Resource, path: &AttrPath) -> Option<usize> {
    if path
        .top()
        .is_some_and(|t| super::catalog::SECRET_ATTRS.contains(&(res.address.rtype.as_str(), t)))
    {
        return Some(1);
    }
    let named = path
        .0
        .iter()
        .position(|s| step_name(s).is_some_and(is_secret_name))
        .map(|i| i + 1);
    // `{name = "DB_PASSWORD", value = "…"}`: the value of a secret-named pair.
    let paired = path.0.iter().enumerate().position(|(i, s)| {
        matches!(step_name(s), Some("value" | "Value"))
            && value_at(&res.attributes, &AttrPath(path.0[..i].to_vec()))
                .is_some_and(names_a_secret)
    });
    let named = match (named, paired.map(|i| i + 1)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let marked = res
        .sensitive
        .iter()
        .filter(|p| {
            p.0.len() <= path.0.len()
                && p.0
                    .iter()
                    .zip(path.0.iter())
                    .all(|(a, b)| step_matches(a, b))
        })
        .map(|p| p.0.len())
        .min();
    match (named, marked) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// An object that names a secret and holds its value (`{name, value}` pairs of
/// container environments, Kubernetes `env` blocks).
fn names_a_secret(v: &Value) -> bool {
    ["name", "Name", "key", "Key"]
        .iter()
        .any(|k| v.get(k).and_then(Value::as_str).is_some_and(is_secret_name))
}

/// Whether `path` is sensitive on this side.
pub fn is_sensitive(res: &Resource, path: &AttrPath) -> bool {
    sensitive_prefix(res, path).is_some()
}

/// Whether an attribute is never compared for this type.
pub fn is_ignored(rtype: &str, attr: &str) -> bool {
    static SORTED: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut v = IGNORED_ATTRS.to_vec();
        v.sort_unstable();
        v
    });
    sorted.binary_search(&attr).is_ok() || super::catalog::type_ignored_attrs(rtype).contains(&attr)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Str(s) => s.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Could normalisation make two identical strings differ? Only IP addresses and CIDRs
/// can (the same `10.0.0.0/16` is one environment's own network and another's foreign
/// one), and identifiers of resources.
fn address_like(s: &str) -> bool {
    let Some(&first) = s.as_bytes().first() else {
        return false;
    };
    first.is_ascii_digit()
        || (s.contains(':')
            && s.bytes()
                .all(|b| b.is_ascii_hexdigit() || b":./".contains(&b)))
}

/// Walks two sorted entry slices together: each key once, with either side's value.
fn merged<'v>(
    x: &'v [(Box<str>, Value)],
    y: &'v [(Box<str>, Value)],
) -> impl Iterator<Item = (&'v str, Option<&'v Value>, Option<&'v Value>)> {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || match (x.get(i), y.get(j)) {
        (Some((ka, va)), Some((kb, vb))) => match ka.cmp(kb) {
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
                Some((ka.as_ref(), Some(va), Some(vb)))
            }
            std::cmp::Ordering::Less => {
                i += 1;
                Some((ka.as_ref(), Some(va), None))
            }
            std::cmp::Ordering::Greater => {
                j += 1;
                Some((kb.as_ref(), None, Some(vb)))
            }
        },
        (Some((ka, va)), None) => {
            i += 1;
            Some((ka.as_ref(), Some(va), None))
        }
        (None, Some((kb, vb))) => {
            j += 1;
            Some((kb.as_ref(), None, Some(vb)))
        }
        (None, None) => None,
    })
}

/// [`merged`], with keys found on one side only paired when they read alike once
/// by-design parts are out (`tags["kubernetes.io/cluster/app-production"]` and
/// `…/app-staging`), one to one; the baseline's spelling is kept. `None` when every key
/// is on both sides or on one only (nothing to pair: the plain merge serves).
#[allow(clippy::type_complexity)]
fn merged_by_design<'v>(
    a: &Side<'_>,
    b: &Side<'_>,
    x: &'v [(Box<str>, Value)],
    y: &'v [(Box<str>, Value)],
) -> Option<Vec<(&'v str, Option<&'v Value>, Option<&'v Value>)>> {
    let (mut only_a, mut only_b) = (false, false);
    for (_, p, q) in merged(x, y) {
        only_a |= q.is_none();
        only_b |= p.is_none();
        if only_a && only_b {
            break;
        }
    }
    if !(only_a && only_b) {
        return None;
    }
    let mut all: Vec<(&'v str, Option<&'v Value>, Option<&'v Value>)> = merged(x, y).collect();
    let mut lone_a: HashMap<String, Vec<usize>> = HashMap::new();
    let mut lone_b: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (k, p, q)) in all.iter().enumerate() {
        match (p, q) {
            (Some(_), None) => lone_a
                .entry(a.ctx.text(k).into_owned())
                .or_default()
                .push(i),
            (None, Some(_)) => lone_b
                .entry(b.ctx.text(k).into_owned())
                .or_default()
                .push(i),
            _ => {}
        }
    }
    let mut gone = vec![false; all.len()];
    let mut any = false;
    for (norm, ia) in &lone_a {
        if let ([i], Some([j])) = (ia.as_slice(), lone_b.get(norm).map(Vec::as_slice)) {
            all[*i].2 = all[*j].2;
            gone[*j] = true;
            any = true;
        }
    }
    if !any {
        return None;
    }
    let mut n = 0;
    all.retain(|_| {
        n += 1;
        !gone[n - 1]
    });
    Some(all)
}

static NULL: Value = Value::Null;

/// How a value known only after apply is shown.
pub const UNKNOWN: &str = "(known after apply)";

/// How a value known only after apply begins when where it comes from is shown too:
/// `(known after apply: data.aws_vpc.main.cidr_block)`.
const UNKNOWN_FROM: &str = "(known after apply: ";

/// Whether a displayed value is one known only after apply.
pub fn is_unknown_text(s: &str) -> bool {
    s == UNKNOWN || (s.starts_with(UNKNOWN_FROM) && s.ends_with(')'))
}

/// Where a value known only after apply comes from, as compared: the logical address
/// of the resource and the attribute (see [`crate::model::Derived`]).
fn source<'v>(side: &'v Side<'_>, v: &'v Value) -> Option<(Cow<'v, Address>, &'v str)> {
    match v {
        Value::Unknown(Some(d)) => Some((side.ctx.logical(&d.address), &d.attr)),
        _ => None,
    }
}

/// Two values known only after apply that are known to come from different sources:
/// a difference of configuration, whatever values they turn out to have.
fn sources_differ(a: &Side<'_>, b: &Side<'_>, va: &Value, vb: &Value) -> bool {
    matches!((source(a, va), source(b, vb)), (Some(x), Some(y)) if x != y)
}

/// An attribute a configuration does not set, compared with a state or plan: the
/// provider decided it there, so it is not a difference. (Two configurations that set
/// different attributes differ; so do map keys, which are values, not attributes.)
fn unset(side: &Side<'_>, other: &Side<'_>, v: Option<&Value>) -> bool {
    side.declared && !other.declared && v.is_none()
}

/// A field of a nested block that one side leaves unset and the other sets to the
/// provider's documented default (`access_logs[0].enabled = false`). Map keys are
/// values, not attributes, so a path through one has no default.
fn nested_default(
    a: &Side<'_>,
    trail: &[Step<'_>],
    k: &str,
    p: Option<&Value>,
    q: Option<&Value>,
) -> bool {
    // Most fields are set on both sides: the path is built only when one is not.
    if p.is_some_and(|v| !v.is_null()) == q.is_some_and(|v| !v.is_null()) {
        return false;
    }
    let mut path = String::new();
    for s in trail {
        match s {
            Step::Attr(n) => {
                path.push_str(n);
                path.push('.');
            }
            Step::Index(_) => {}
            Step::Key(_) => return false,
        }
    }
    path.push_str(k);
    super::defaults::one_side_defaulted(&a.res.address.rtype, &path, p, q)
}

/// Attributes that hold text base64-encoded.
const BASE64_TEXT_ATTRS: &[&str] = &["user_data", "user_data_base64", "custom_data"];

/// Attributes that hold scripts (plain or base64-encoded): compared, never shown.
const SCRIPT_ATTRS: &[&str] = &[
    "user_data",
    "user_data_base64",
    "custom_data",
    "metadata_startup_script",
];

/// Compares instance `a` with instance `b`.
pub fn diff(a: &Side<'_>, b: &Side<'_>) -> Vec<ValueDiff> {
    PAIRING_WORK.with(|w| w.set(MAX_PAIRING_WORK));
    let mut out = Vec::new();
    let rtype = &a.res.address.rtype;
    let mut trail: Vec<Step<'_>> = Vec::with_capacity(8);
    for (key, va, vb) in merged(a.res.attributes.entries(), b.res.attributes.entries()) {
        if is_ignored(rtype, key)
            || unset(a, b, va)
            || unset(b, a, vb)
            || super::defaults::one_side_defaulted(rtype, key, va, vb)
        {
            continue;
        }
        let (va_, vb_) = (va.unwrap_or(&NULL), vb.unwrap_or(&NULL));
        if ZONE_ATTRS.contains(&key)
            && !ZONE_LAYOUT_TYPES.contains(&rtype.as_str())
            && same_region(a, b, va_, vb_)
        {
            continue;
        }
        // Scripts given to instances base64-encoded (a launch template's `user_data`):
        // compared as the text they are, so that an environment name inside is by design.
        let mut texts = None;
        if BASE64_TEXT_ATTRS.contains(&key) {
            if let (Some(Value::Str(x)), Some(Value::Str(y))) = (va, vb) {
                let decoded = (
                    tfparity_hcl::functions::base64_text(x),
                    tfparity_hcl::functions::base64_text(y),
                );
                if let (Some(dx), Some(dy)) = decoded {
                    if a.ctx.leaf_str(&dx).same(&b.ctx.leaf_str(&dy)) {
                        continue;
                    }
                    texts = Some((dx, dy));
                }
            }
        }
        let plain = PLAIN_ATTRS.contains(&key);
        a.plain.set(plain);
        b.plain.set(plain);
        trail.clear();
        trail.push(Step::Attr(key));
        let before = out.len();
        compare(a, b, va_, vb_, &mut trail, &mut out);
        // The texts differ: so do the values, whatever the base64 looked like compared.
        if let (Some(_), true) = (&texts, out.len() == before) {
            record(a, b, va_, vb_, &trail, &mut out, None);
        }
        // A script is never shown: secrets live in scripts in more shapes than can be
        // recognised (`password: …`, `-p…`, `Bearer …`). Its length and the first line
        // that differs are.
        if SCRIPT_ATTRS.contains(&key) {
            let text = |v: Option<&Value>, decoded: Option<&String>| {
                decoded
                    .cloned()
                    .or_else(|| v.and_then(Value::as_str).map(str::to_string))
            };
            let (tx, ty) = (
                text(va, texts.as_ref().map(|t| &t.0)),
                text(vb, texts.as_ref().map(|t| &t.1)),
            );
            if let (Some(tx), Some(ty), Some(d)) = (tx, ty, out.get_mut(before)) {
                if !d.sensitive && d.path.0.len() == 1 {
                    let (lx, ly): (Vec<&str>, Vec<&str>) =
                        (tx.lines().collect(), ty.lines().collect());
                    let first =
                        (0..lx.len().max(ly.len())).find(|&i| match (lx.get(i), ly.get(i)) {
                            (Some(p), Some(q)) => !a.ctx.leaf_str(p).same(&b.ctx.leaf_str(q)),
                            _ => true,
                        });
                    let encoded = if texts.is_some() {
                        ", base64-encoded"
                    } else {
                        ""
                    };
                    let at = first
                        .map(|i| format!(", line {} differs", i + 1))
                        .unwrap_or_default();
                    let shown = |n: usize| format!("a script of {n} lines{encoded}{at}");
                    d.left = shown(lx.len());
                    d.right = shown(ly.len());
                }
            }
        }
        if out.len() == before + 1 && out[before].path.0.len() == 1 && !out[before].sensitive {
            if va.is_none() {
                out[before].left = ABSENT.into();
            }
            if vb.is_none() {
                out[before].right = ABSENT.into();
            }
        }
    }
    out
}

/// Two zones (`us-east-1b`, `us-west-2f`) in the same normalised region.
fn same_region(a: &Side<'_>, b: &Side<'_>, va: &Value, vb: &Value) -> bool {
    /// A zone name: the region's placeholder and a short zone suffix.
    fn is_zone(side: &Side<'_>, v: &Value) -> bool {
        v.as_str().is_some_and(|s| {
            side.ctx
                .text(s)
                .strip_prefix("{region}")
                .is_some_and(|rest| rest.len() <= 2)
        })
    }
    is_zone(a, va) && is_zone(b, vb)
}

/// Deep equality after normalisation.
fn equal(a: &Side<'_>, b: &Side<'_>, va: &Value, vb: &Value) -> bool {
    equal_in(a, b, va, vb, false)
}

/// Deep equality; `block` when the values are elements of a list (nested blocks, whose
/// fields a configuration may leave to the provider), not map values.
fn equal_in(a: &Side<'_>, b: &Side<'_>, va: &Value, vb: &Value, block: bool) -> bool {
    match (va, vb) {
        (Value::Unknown(_), Value::Unknown(_)) => !sources_differ(a, b, va, vb),
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => true,
        (Value::Str(x), Value::Str(y))
            if x == y && !address_like(x) && !a.is_identifier(x) && !b.is_identifier(y) =>
        {
            true
        }
        // A plan knows an unknown list only as "derived from that resource".
        (Value::Ref(_), Value::List(l)) => l.len() != 1 || equal(a, b, va, &l[0]),
        (Value::List(l), Value::Ref(_)) => l.len() != 1 || equal(a, b, &l[0], vb),
        _ if is_empty(va) && is_empty(vb) => true,
        (Value::Object(x), Value::Object(y)) => {
            let same = |(k, p, q): (&str, Option<&Value>, Option<&Value>)| {
                NESTED_IGNORED_ATTRS.contains(&k)
                    || (block && (unset(a, b, p) || unset(b, a, q)))
                    || equal(a, b, p.unwrap_or(&NULL), q.unwrap_or(&NULL))
            };
            match merged_by_design(a, b, x, y) {
                Some(pairs) => pairs.into_iter().all(same),
                None => merged(x, y).all(same),
            }
        }
        (Value::List(x), Value::List(y)) => {
            (x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| equal_in(a, b, p, q, true)))
                || multiset_equal(a, b, x, y)
        }
        (Value::List(_) | Value::Object(_), _) | (_, Value::List(_) | Value::Object(_)) => false,
        _ => leaves_equal(a, b, va, vb),
    }
}

/// Scalar equality; a reference on one side equals any identifier on the other when
/// the referenced resource there does not know its identity yet (a plan creates it).
fn leaves_equal(a: &Side<'_>, b: &Side<'_>, va: &Value, vb: &Value) -> bool {
    let (la, lb) = (a.leaf(va), b.leaf(vb));
    if la.same(&lb) {
        return true;
    }
    let by_name = || match (va, vb) {
        // A name that resolves on one side only (a plan does not know the other side's
        // ids yet, or two resources share it) still compares as the name it is.
        (Value::Str(x), Value::Str(y)) => !address_like(x) && a.ctx.text(x) == b.ctx.text(y),
        _ => false,
    };
    match (&la, &lb) {
        (super::Leaf::Ref(x), super::Leaf::Text(_) | super::Leaf::External) => {
            b.ctx.identity_unknown(x) || by_name()
        }
        (super::Leaf::Text(_) | super::Leaf::External, super::Leaf::Ref(y)) => {
            a.ctx.identity_unknown(y) || by_name()
        }
        _ => false,
    }
}

/// Multiset equality of two lists by canonical form; an element with a value known
/// only after apply matches any one element of the other side.
fn multiset_equal(a: &Side<'_>, b: &Side<'_>, x: &[Value], y: &[Value]) -> bool {
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
const MAX_WILDCARD_PAIRS: usize = 4096;

/// Pairs each of `ra` (positions in `x`) with one of `rb` (in `y`) whose known values
/// are the same, as a maximum matching (augmenting paths): `None` when one can have no
/// partner.
fn pair_alike(
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
const MAX_PAIRING_WORK: usize = 20_000;

thread_local! {
    static PAIRING_WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Takes `n` comparisons from this resource pair's budget; false when it is spent.
fn spend(n: usize) -> bool {
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

/// Whether a value holds anything known only after apply.
fn has_unknown(v: &Value) -> bool {
    match v {
        Value::Unknown(_) => true,
        Value::List(l) => l.iter().any(has_unknown),
        Value::Object(o) => o.iter().any(|(_, x)| has_unknown(x)),
        _ => false,
    }
}

/// One side is known only after apply and the other is known: said as such.
fn record_after_apply(
    a: &Side<'_>,
    b: &Side<'_>,
    va: &Value,
    vb: &Value,
    trail: &[Step<'_>],
    out: &mut Vec<ValueDiff>,
) {
    let before = out.len();
    record(a, b, va, vb, trail, out, None);
    if let Some(d) = out.get_mut(before) {
        d.after_apply = !d.sensitive;
    }
}

/// Positions in `ka` and `kb` whose canonical form has no partner on the other side.
fn unmatched(ka: &[(String, bool)], kb: &[(String, bool)]) -> (Vec<usize>, Vec<usize>) {
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

/// Compares two values at the path in `trail`, recording differences in `out`.
fn compare<'v>(
    a: &Side<'_>,
    b: &Side<'_>,
    va: &'v Value,
    vb: &'v Value,
    trail: &mut Vec<Step<'v>>,
    out: &mut Vec<ValueDiff>,
) -> bool {
    match (va, vb) {
        (Value::Unknown(_), Value::Unknown(_)) => {
            if sources_differ(a, b, va, vb) {
                record(a, b, va, vb, trail, out, None);
                return false;
            }
            true
        }
        // Known on one side only: equal for all that is known, and said.
        // Between two configurations (in a state or plan, what the provider computes is
        // unknown wherever the configuration does not set it: nothing to say there).
        (Value::Unknown(_), other) | (other, Value::Unknown(_)) => {
            if a.declared && b.declared && !is_empty(other) && !matches!(other, Value::Ref(_)) {
                record_after_apply(a, b, va, vb, trail, out);
            }
            true
        }
        (Value::Ref(_), Value::List(_)) | (Value::List(_), Value::Ref(_))
            if equal(a, b, va, vb) =>
        {
            true
        }
        _ if is_empty(va) && is_empty(vb) => true,
        (Value::Object(x), Value::Object(y)) => {
            let mut all = true;
            // No allocation when the keys line up as written (nearly always).
            let (mut paired, mut plain);
            let pairs: &mut dyn Iterator<Item = (&str, Option<&Value>, Option<&Value>)> =
                match merged_by_design(a, b, x, y) {
                    Some(v) => {
                        paired = v.into_iter();
                        &mut paired
                    }
                    None => {
                        plain = merged(x, y);
                        &mut plain
                    }
                };
            for (k, p, q) in pairs {
                let in_block = matches!(trail.last(), Some(Step::Index(_)));
                if NESTED_IGNORED_ATTRS.contains(&k)
                    || (in_block && (unset(a, b, p) || unset(b, a, q)))
                    || (in_block && nested_default(a, trail, k, p, q))
                {
                    continue;
                }
                let step = object_step_for(trail, k);
                trail.push(step);
                all &= compare(a, b, p.unwrap_or(&NULL), q.unwrap_or(&NULL), trail, out);
                trail.pop();
            }
            all
        }
        (Value::List(x), Value::List(y)) => {
            let ordered = trail.iter().rev().find_map(|s| match s {
                Step::Attr(n) => Some(*n),
                _ => None,
            });
            if ordered.is_some_and(|n| ORDERED_LIST_ATTRS.contains(&n)) {
                if x.len() == y.len() {
                    let mut all = true;
                    for (i, (p, q)) in x.iter().zip(y.iter()).enumerate() {
                        trail.push(Step::Index(i));
                        all &= compare(a, b, p, q, trail, out);
                        trail.pop();
                    }
                    return all;
                }
                record(a, b, va, vb, trail, out, None);
                return false;
            }
            if x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| equal_in(a, b, p, q, true))
            {
                // Equal for all that is known: say where one side is known only after
                // apply.
                if x.iter().chain(y.iter()).any(has_unknown) {
                    for (i, (p, q)) in x.iter().zip(y.iter()).enumerate() {
                        trail.push(Step::Index(i));
                        compare(a, b, p, q, trail, out);
                        trail.pop();
                    }
                }
                return true;
            }
            if multiset_equal(a, b, x, y) {
                // Equal for all that is known, in another order: between two
                // configurations, say where one side is known only after apply.
                if a.declared && b.declared && x.iter().chain(y.iter()).any(has_unknown) {
                    let (ka, kb) = (canon_all(a, x), canon_all(b, y));
                    let (ra, rb) = unmatched(&ka, &kb);
                    if ra.len() * rb.len() <= MAX_WILDCARD_PAIRS && spend(ra.len() * rb.len()) {
                        for (i, j) in pair_alike(a, b, x, y, &ra, &rb).unwrap_or_default() {
                            trail.push(Step::Index(i));
                            compare(a, b, &x[i], &y[j], trail, out);
                            trail.pop();
                        }
                    }
                }
                return true;
            }
            if x.len() == 1 && y.len() == 1 {
                trail.push(Step::Index(0));
                let r = compare(a, b, &x[0], &y[0], trail, out);
                trail.pop();
                return r;
            }
            let ka = canon_all(a, x);
            let kb = canon_all(b, y);
            let (ra, rb) = unmatched(&ka, &kb);
            // Blocks that differ in a field or two: pair them up and say which field.
            let marked = |side: &Side<'_>| {
                let here = to_path(trail);
                side.res.sensitive.iter().any(|p| {
                    p.0.len() > here.0.len()
                        && p.0
                            .iter()
                            .zip(here.0.iter())
                            .all(|(s, t)| step_matches(s, t))
                })
            };
            // Pairing shows each field at the baseline's index; with sensitive marks
            // inside the list, each side must be rendered at its own indexes instead.
            let pairing = if marked(a) || marked(b) {
                None
            } else {
                pair_blocks(a, b, x, y, &ra, &rb)
            };
            if let Some(p) = pairing {
                let depth = trail.len();
                for (i, j) in p.pairs {
                    let before = out.len();
                    trail.push(Step::Index(i));
                    compare(a, b, &x[i], &y[j], trail, out);
                    trail.pop();
                    // Paired by a natural key: the element is named by it
                    // (`rule["block-bad-ips"].action`), not by its place in a list
                    // whose order means nothing.
                    if let Some(name) = p.key.and_then(|k| block_name(&x[i], k)) {
                        for d in &mut out[before..] {
                            if d.path.0.get(depth) == Some(&PathStep::Index(i as i64)) {
                                d.path.0[depth] = PathStep::Key(name.as_str().into());
                            }
                        }
                    }
                }
                // Elements one side alone has: said as such, the paired ones aside.
                if !p.rest_a.is_empty() || !p.rest_b.is_empty() {
                    record(a, b, va, vb, trail, out, Some((p.rest_a, p.rest_b)));
                }
                return false;
            }
            record(a, b, va, vb, trail, out, Some((ra, rb)));
            false
        }
        (Value::List(_) | Value::Object(_), _) | (_, Value::List(_) | Value::Object(_)) => {
            record(a, b, va, vb, trail, out, None);
            false
        }
        _ => {
            if equal(a, b, va, vb) {
                return true;
            }
            record(a, b, va, vb, trail, out, None);
            false
        }
    }
}

/// Fields that name a block within its list (`security_rule.name`, a statement's `Sid`,
/// a WAF rule's `priority`, a managed rule set's overrides by `rule_group_name` and
/// `rule_id`), tried in this order. `type` and `id` come last: they name a block only
/// where no other field does (one managed rule set per type).
const BLOCK_KEYS: &[&str] = &[
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
const NAME_KEYS: &[&str] = &[
    "name",
    "sid",
    "Sid",
    "key",
    "path_pattern",
    "rule_group_name",
];

/// The longest natural key a path names an element by; a longer one (a path pattern
/// of many parts) leaves the element named by its index.
const MAX_BLOCK_NAME: usize = 64;

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
fn named_block<'v>(items: &'v [Value], name: &str) -> Option<&'v Value> {
    BLOCK_KEYS.iter().find_map(|key| {
        items
            .iter()
            .find(|v| block_name(v, key).as_deref() == Some(name))
    })
}

/// Unmatched blocks of two lists, paired: `pairs` (positions in each list), the natural
/// key that paired them (`None`: the one block left on each side), and the blocks left
/// on each side.
struct Pairing {
    pairs: Vec<(usize, usize)>,
    key: Option<&'static str>,
    rest_a: Vec<usize>,
    rest_b: Vec<usize>,
}

/// Pairs the unmatched blocks of two lists: by the first naming field that every one
/// of them has, with a value unique on its side, and that pairs at least one (the
/// others are blocks one side alone has); else the single block of each side.
fn pair_blocks(
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
        let rest_a = ra
            .iter()
            .copied()
            .filter(|i| !pairs.iter().any(|p| p.0 == *i))
            .collect();
        let rest_b = rb
            .iter()
            .copied()
            .filter(|j| !pairs.iter().any(|p| p.1 == *j))
            .collect();
        return Some(Pairing {
            pairs,
            key: Some(key),
            rest_a,
            rest_b,
        });
    }
    (ra.len() == 1 && rb.len() == 1).then(|| Pairing {
        pairs: vec![(ra[0], rb[0])],
        key: None,
        rest_a: Vec::new(),
        rest_b: Vec::new(),
    })
}

/// Two long displays cut to the part that differs, so that a reader sees the change
/// rather than a shared beginning: `…"Action": "s3:ListBucket"…`.
fn windows(l: &str, r: &str) -> (String, String) {
    const KEEP: usize = 40;
    let (lc, rc): (Vec<char>, Vec<char>) = (l.chars().collect(), r.chars().collect());
    if lc.len() <= MAX_DISPLAY && rc.len() <= MAX_DISPLAY {
        return (l.to_string(), r.to_string());
    }
    let prefix = lc.iter().zip(rc.iter()).take_while(|(p, q)| p == q).count();
    let suffix = lc
        .iter()
        .rev()
        .zip(rc.iter().rev())
        .take_while(|(p, q)| p == q)
        .count()
        .min(lc.len() - prefix)
        .min(rc.len() - prefix);
    let cut = |cs: &[char]| -> String {
        let start = prefix.saturating_sub(KEEP);
        let end = (cs.len() - suffix + KEEP).min(cs.len());
        let mut middle: String = cs[start..end].iter().collect();
        if middle.chars().count() > MAX_DISPLAY {
            middle = middle.chars().take(MAX_DISPLAY - 1).collect::<String>() + "…";
        }
        format!(
            "{}{middle}{}",
            if start > 0 { "…" } else { "" },
            if end < cs.len() { "…" } else { "" }
        )
    };
    (cut(&lc), cut(&rc))
}

/// Records a difference at `trail`, or, when the path is sensitive on either side, one
/// sensitive difference at the shortest sensitive prefix.
fn record(
    a: &Side<'_>,
    b: &Side<'_>,
    va: &Value,
    vb: &Value,
    trail: &[Step<'_>],
    out: &mut Vec<ValueDiff>,
    unmatched: Option<(Vec<usize>, Vec<usize>)>,
) {
    let path = to_path(trail);
    let prefix = match (
        sensitive_prefix(a.res, &path),
        sensitive_prefix(b.res, &path),
    ) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    if let Some(n) = prefix {
        let at = AttrPath(path.0[..n].to_vec());
        if out.iter().any(|d| d.sensitive && d.path == at) {
            return;
        }
        let scalar = |side: &Side<'_>| {
            value_at(&side.res.attributes, &at)
                .is_none_or(|v| !matches!(v, Value::List(_) | Value::Object(_)))
        };
        out.push(ValueDiff {
            secret_value: scalar(a) && scalar(b),
            path: at,
            reference: false,
            sensitive: true,
            left: SENSITIVE.into(),
            right: SENSITIVE.into(),
            only_left: Vec::new(),
            only_right: Vec::new(),
            after_apply: false,
        });
        return;
    }
    let (only_left, only_right, reference) = match (&unmatched, va, vb) {
        (Some((ra, rb)), Value::List(x), Value::List(y)) => {
            let show_el = |side: &Side<'_>, xs: &[Value], i: usize| {
                show(side, &xs[i], &path.child(PathStep::Index(i as i64)))
            };
            let mut l: Vec<String> = ra.iter().map(|&i| show_el(a, x, i)).collect();
            let mut r: Vec<String> = rb.iter().map(|&i| show_el(b, y, i)).collect();
            l.sort();
            r.sort();
            let refs = x
                .iter()
                .any(|v| matches!(v, Value::Str(_) | Value::Ref(_)) && a.leaf(v).is_reference())
                || y.iter().any(|v| {
                    matches!(v, Value::Str(_) | Value::Ref(_)) && b.leaf(v).is_reference()
                });
            (l, r, refs)
        }
        _ => {
            let scalar_ref = !matches!(va, Value::List(_) | Value::Object(_))
                && !matches!(vb, Value::List(_) | Value::Object(_))
                && (a.leaf(va).is_reference() || b.leaf(vb).is_reference());
            (Vec::new(), Vec::new(), scalar_ref)
        }
    };
    let inside = match (va, vb) {
        (Value::Str(x), Value::Str(y)) if only_left.is_empty() && only_right.is_empty() => {
            json_difference(a, b, x, y)
        }
        _ => None,
    };
    let (left, right) = if let Some((at, l, r)) = inside {
        // A JSON document (a policy): where inside it they differ, and what each has there.
        let (l, r) = windows(&l, &r);
        (format!("{at} = {l}"), format!("{at} = {r}"))
    } else if only_left.is_empty() && only_right.is_empty() {
        windows(&render_full(a, va, &path), &render_full(b, vb, &path))
    } else {
        (show(a, va, &path), show(b, vb, &path))
    };
    // Shown alike though they differ: the difference is in what was hidden (a
    // password inside a URL), a secret value.
    let hidden = left == right && left.contains(SENSITIVE);
    // Shown alike, read differently: the same text names something of one
    // environment's own (its account, an address in its network) and not the other's.
    // Say how each reads it.
    let (mut left, mut right) = (left, right);
    if left == right && !hidden {
        if let (Value::Str(_), Value::Str(_)) = (va, vb) {
            let (ra, rb) = (a.leaf(va).names_own(), b.leaf(vb).names_own());
            if ra != rb {
                left = format!("{left} (there: {ra})");
                right = format!("{right} (there: {rb})");
            }
        }
    }
    out.push(ValueDiff {
        left,
        right,
        path,
        reference,
        sensitive: hidden,
        secret_value: hidden,
        only_left,
        only_right,
        after_apply: false,
    });
}

/// Where two JSON documents held in strings differ once normalised: the path inside
/// them (`Statement["Bucket"].Action`, statements by `Sid`) down to where one part
/// alone differs, and each side's value there (compact JSON). `None` when they are not
/// both documents, or the place is under a secret-named key.
fn json_difference(
    a: &Side<'_>,
    b: &Side<'_>,
    x: &str,
    y: &str,
) -> Option<(String, String, String)> {
    use serde_json::Value as J;
    let doc = |s: &str| {
        let t = s.trim_start();
        (t.starts_with('{') || t.starts_with('['))
            .then(|| serde_json::from_str::<J>(s).ok())
            .flatten()
    };
    // Read after secrets are taken out: a difference only in a secret shows nothing here
    // (and is shown as the whole value would be, redacted).
    let (dx, dy) = (doc(&redact(x))?, doc(&redact(y))?);
    let policy = dx.get("Statement").is_some() || dy.get("Statement").is_some();
    let same =
        |p: &J, q: &J| a.ctx.canonical_json_as(p, policy) == b.ctx.canonical_json_as(q, policy);
    let mut at = String::new();
    let (mut p, mut q) = (&dx, &dy);
    // Where several keys of an object differ: that object with only those keys.
    let mut only_differing: Option<(J, J)> = None;
    loop {
        let next: Option<(String, &J, &J)> = match (p, q) {
            (J::Object(m), J::Object(n)) => {
                let keys: BTreeSet<&String> = m.keys().chain(n.keys()).collect();
                let differing: Vec<&String> = keys
                    .into_iter()
                    .filter(|k| !matches!((m.get(*k), n.get(*k)), (Some(u), Some(v)) if same(u, v)))
                    .collect();
                match differing.as_slice() {
                    [k] => {
                        if is_secret_name(k) {
                            return None;
                        }
                        match (m.get(*k), n.get(*k)) {
                            (Some(u), Some(v)) => Some((format!(".{k}"), u, v)),
                            _ => {
                                at.push_str(&format!(".{k}"));
                                let show =
                                    |v: Option<&J>| v.map_or("(absent)".to_string(), J::to_string);
                                return Some((
                                    at.trim_start_matches('.').to_string(),
                                    show(m.get(*k)),
                                    show(n.get(*k)),
                                ));
                            }
                        }
                    }
                    keys => {
                        if keys.iter().any(|k| is_secret_name(k)) {
                            return None;
                        }
                        let part = |o: &serde_json::Map<String, J>| {
                            J::Object(
                                keys.iter()
                                    .filter_map(|k| o.get(*k).map(|v| ((*k).clone(), v.clone())))
                                    .collect(),
                            )
                        };
                        only_differing = Some((part(m), part(n)));
                        None
                    }
                }
            }
            (J::Array(l), J::Array(r)) => {
                // Statements by their Sid when every one has one; else by position.
                fn by_sid(xs: &[J]) -> Option<BTreeMap<String, &J>> {
                    xs.iter()
                        .map(|v| v.get("Sid").and_then(J::as_str).map(|s| (s.to_string(), v)))
                        .collect()
                }
                match (by_sid(l), by_sid(r)) {
                    (Some(sl), Some(sr))
                        if sl.len() == l.len()
                            && sr.len() == r.len()
                            && sl.keys().eq(sr.keys()) =>
                    {
                        let differing: Vec<&String> =
                            sl.keys().filter(|k| !same(sl[*k], sr[*k])).collect();
                        match differing.as_slice() {
                            [k] => Some((format!("[{}]", J::from(k.as_str())), sl[*k], sr[*k])),
                            _ => None,
                        }
                    }
                    _ if l.len() == r.len() && !policy => {
                        let differing: Vec<usize> =
                            (0..l.len()).filter(|&i| !same(&l[i], &r[i])).collect();
                        match differing.as_slice() {
                            [i] => Some((format!("[{i}]"), &l[*i], &r[*i])),
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        match next {
            Some((step, u, v)) => {
                at.push_str(&step);
                p = u;
                q = v;
            }
            None => break,
        }
    }
    if at.is_empty() {
        return None;
    }
    let (l, r) = match only_differing {
        Some((l, r)) => (l.to_string(), r.to_string()),
        None => (p.to_string(), q.to_string()),
    };
    Some((at.trim_start_matches('.').to_string(), l, r))
}

fn canon_all(side: &Side<'_>, xs: &[Value]) -> Vec<(String, bool)> {
    xs.iter()
        .map(|v| {
            let mut unknown = false;
            let mut s = String::new();
            canon(side, v, &mut s, &mut unknown);
            (s, unknown)
        })
        .collect()
}

fn json_str(s: &str, out: &mut String) {
    out.push_str(&serde_json::Value::from(s).to_string());
}

/// A canonical, escaped text of a normalised value, for multiset comparison.
fn canon(side: &Side<'_>, v: &Value, out: &mut String, unknown: &mut bool) {
    match v {
        Value::Unknown(_) => {
            *unknown = true;
            out.push('?');
            if let Some((address, attr)) = source(side, v) {
                out.push_str(&format!("@{address}.{attr}"));
            }
        }
        Value::List(l) if !l.is_empty() => {
            let mut parts: Vec<String> = l
                .iter()
                .map(|x| {
                    let mut s = String::new();
                    canon(side, x, &mut s, unknown);
                    s
                })
                .collect();
            parts.sort_unstable();
            out.push('[');
            out.push_str(&parts.join(","));
            out.push(']');
        }
        Value::Object(o) if !o.is_empty() => {
            out.push('{');
            for (k, x) in o.iter() {
                if is_empty(x) {
                    continue;
                }
                json_str(k, out);
                out.push(':');
                canon(side, x, out, unknown);
                out.push(',');
            }
            out.push('}');
        }
        _ => match side.leaf(v) {
            super::Leaf::Text(t) => {
                out.push('t');
                json_str(&t, out);
            }
            other => out.push_str(&other.canonical()),
        },
    }
}

/// The value at an attribute path. A key step into a list of blocks names a block by
/// its natural key (`rule["allow-ssh"]`, see [`block_name`]).
pub fn value_at<'v>(root: &'v Value, path: &AttrPath) -> Option<&'v Value> {
    let mut v = root;
    for step in &path.0 {
        v = match (step, v) {
            (PathStep::Attr(k) | PathStep::Key(k), Value::List(items)) => named_block(items, k)?,
            (PathStep::Attr(k) | PathStep::Key(k), _) => v.get(k)?,
            (PathStep::Index(i), _) => v.as_list()?.get(usize::try_from(*i).ok()?)?,
        };
    }
    Some(v)
}

/// How a value is shown to a reader: references as the logical address, secrets as
/// `(sensitive)` (also inside JSON documents held in strings), everything else as
/// written, shortened when long.
pub fn show(side: &Side<'_>, v: &Value, path: &AttrPath) -> String {
    let s = render_full(side, v, path);
    if s.chars().count() > MAX_DISPLAY {
        let cut: String = s.chars().take(MAX_DISPLAY - 1).collect();
        return format!("{cut}…");
    }
    s
}

/// Text as it may be shown: passwords in URLs, `password=` pairs and secret-named keys
/// of JSON documents replaced with `(sensitive)`.
pub fn redact(s: &str) -> std::borrow::Cow<'_, str> {
    match redact_json(s).or_else(|| redact_userinfo(s)) {
        Some(r) => std::borrow::Cow::Owned(r),
        None => std::borrow::Cow::Borrowed(s),
    }
}

/// Text with its URLs shown without user information (`postgres://app:pw@db/app`,
/// `https://TOKEN@github.com/…`) or secret-named query parameters, as every message
/// shows them ([`tfparity_hcl::scrub::urls_with`]), and the values of secret-named
/// pairs replaced ([`redact_key_values`]).
fn redact_userinfo(s: &str) -> Option<String> {
    let out = tfparity_hcl::scrub::urls_with(s, SENSITIVE);
    match redact_key_values(&out) {
        Some(k) => Some(k),
        None => match out {
            Cow::Owned(o) => Some(o),
            Cow::Borrowed(_) => None,
        },
    }
}

/// The value of a secret-named key in text, replaced: `password=…` in a query string
/// or a connection string (`Server=db;User Id=app;Password=…;`), `DB_PASSWORD=…` in a
/// script, `password: …` in YAML, `--password …` on a command line. A quoted value is
/// replaced whole, up to its closing quote (`DB_PASSWORD="correct horse battery
/// staple"`); a YAML value, to the end of its line.
fn redact_key_values(s: &str) -> Option<String> {
    if !s.contains(['=', ':', '-']) {
        return None;
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // Copied up to here; values are replaced from their start to their end.
    let mut copied = 0;
    let mut changed = false;
    let mut i = 0;
    while i < b.len() {
        let value = match b[i] {
            b'=' => secret_key_before(s, i).then(|| secret_value_span(s, i + 1, false)),
            // `password: …`, not `host:5432` or `https://`.
            b':' if matches!(b.get(i + 1), Some(b' ' | b'\t' | b'"' | b'\'')) => {
                secret_key_before(s, i).then(|| secret_value_span(s, i + 1, true))
            }
            // `--password value` (a value does not start with `-`).
            b'-' if i == 0 || b[i - 1].is_ascii_whitespace() => {
                let name_end = s[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .map_or(s.len(), |n| i + n);
                let name = &s[i..name_end];
                let spaced = matches!(b.get(name_end), Some(b' ' | b'\t'));
                let next = s[name_end..].trim_start_matches([' ', '\t']);
                (spaced
                    && name.trim_start_matches('-').len() > 1
                    && is_secret_name(name)
                    && !next.is_empty()
                    && !next.starts_with(['-', '\n', '\r']))
                .then(|| secret_value_span(s, name_end, false))
            }
            _ => None,
        };
        match value {
            Some((start, end)) if end > start => {
                out.push_str(&s[copied..start]);
                out.push_str(SENSITIVE);
                copied = end;
                changed = true;
                i = end;
            }
            _ => i += 1,
        }
    }
    out.push_str(&s[copied..]);
    changed.then_some(out)
}

/// Whether the key written before the separator at `sep` (`=`, `:`) is secret-named:
/// letters, digits, `_`, `.` and `-`, maybe quoted, maybe followed by blanks.
fn secret_key_before(s: &str, sep: usize) -> bool {
    let head = s[..sep].trim_end_matches([' ', '\t']);
    let head = head.strip_suffix(['"', '\'']).unwrap_or(head);
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .map_or(0, |k| k + 1);
    let key = &head[start..];
    !key.is_empty() && key.len() <= 128 && is_secret_name(key)
}

/// Where the value that starts after blanks from `from` begins and ends: a quoted one
/// to its closing quote (the end of the line when there is none), else to the first
/// blank or `&`, `;`, `,` (to the end of the line for a YAML value, `to_eol`).
fn secret_value_span(s: &str, from: usize, to_eol: bool) -> (usize, usize) {
    let rest = &s[from..];
    let start = from + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
    let rest = &s[start..];
    let eol = rest.find(['\n', '\r']).map_or(s.len(), |n| start + n);
    let end = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let mut escaped = false;
            let mut close = None;
            for (n, c) in rest.char_indices().skip(1) {
                match c {
                    '\\' if q == '"' && !escaped => escaped = true,
                    '\n' | '\r' => break,
                    c if c == q && !escaped => {
                        close = Some(start + n + 1);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            close.unwrap_or(eol)
        }
        _ if to_eol => eol,
        _ => rest
            .find(|c: char| matches!(c, '&' | ';' | ',') || c.is_whitespace())
            .map_or(s.len(), |n| start + n),
    };
    (start, end)
}

/// A value as shown, without shortening.
fn render_full(side: &Side<'_>, v: &Value, path: &AttrPath) -> String {
    let mut s = String::new();
    render(side, v, path, &mut s, true);
    s
}

/// How many JSON documents held in strings of JSON documents [`redact_json`] opens one
/// inside another; a document deeper still is hidden whole.
const MAX_JSON_NESTING: usize = 8;

/// Whether `s` may be a JSON document (an object or an array).
fn looks_like_json(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// A JSON document held in a string, with the values of secret-named keys replaced,
/// also in the documents its strings hold (a task definition's `environment` encoded
/// once more), up to [`MAX_JSON_NESTING`] deep.
fn redact_json(s: &str) -> Option<String> {
    redact_json_at(s, 0)
}

fn redact_json_at(s: &str, level: usize) -> Option<String> {
    if !looks_like_json(s) {
        return None;
    }
    let mut doc: serde_json::Value = serde_json::from_str(s).ok()?;
    fn walk(v: &mut serde_json::Value, level: usize) -> bool {
        match v {
            serde_json::Value::Object(m) => {
                let mut hit = false;
                let pair = ["name", "Name", "key", "Key"].iter().any(|k| {
                    m.get(*k)
                        .and_then(|v| v.as_str())
                        .is_some_and(is_secret_name)
                });
                for (k, x) in m.iter_mut() {
                    if is_secret_name(k) || (pair && matches!(k.as_str(), "value" | "Value")) {
                        *x = serde_json::Value::from(SENSITIVE);
                        hit = true;
                    } else {
                        hit |= walk(x, level);
                    }
                }
                hit
            }
            serde_json::Value::Array(a) => a.iter_mut().fold(false, |h, x| walk(x, level) | h),
            // A document in a string of the document; past the deepest opened, one
            // is hidden whole.
            serde_json::Value::String(s) if level + 1 >= MAX_JSON_NESTING && looks_like_json(s) => {
                if serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok() {
                    *s = SENSITIVE.to_string();
                    return true;
                }
                redact_string(s)
            }
            serde_json::Value::String(s) => match redact_json_at(s, level + 1) {
                Some(r) => {
                    *s = r;
                    true
                }
                None => redact_string(s),
            },
            _ => false,
        }
    }
    /// A URL's password or a `token=` pair inside a string of the document.
    fn redact_string(s: &mut String) -> bool {
        match redact_userinfo(s) {
            Some(r) => {
                *s = r;
                true
            }
            None => false,
        }
    }
    walk(&mut doc, level).then(|| doc.to_string())
}

fn render(side: &Side<'_>, v: &Value, path: &AttrPath, out: &mut String, top: bool) {
    if is_sensitive(side.res, path) {
        out.push_str(SENSITIVE);
        return;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Unknown(None) => out.push_str(UNKNOWN),
        Value::Unknown(Some(d)) => {
            out.push_str(&format!("{UNKNOWN_FROM}{}.{})", d.address, d.attr));
        }
        Value::Ref(a) => match side.ctx.env.position(a) {
            Some(_) => out.push_str(&a.to_string()),
            None => out.push_str("(known after apply)"),
        },
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Num(n) => out.push_str(&n.to_string()),
        Value::Str(s) => {
            if let Some(i) = side.resolve(s) {
                out.push_str(&side.ctx.env.resources[i].address.to_string());
                return;
            }
            let redacted = redact_json(s).or_else(|| redact_userinfo(s));
            let text = redacted.as_deref().unwrap_or(s);
            if top && !text.is_empty() {
                out.push_str(text);
            } else {
                json_str(text, out);
            }
        }
        Value::List(l) => {
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(side, x, &path.child(PathStep::Index(i as i64)), out, false);
            }
            out.push(']');
        }
        Value::Object(o) => {
            let block = matches!(path.0.last(), Some(PathStep::Index(_)));
            out.push('{');
            let mut first = true;
            for (k, x) in o.iter() {
                if is_empty(x) && block {
                    continue;
                }
                if !first {
                    out.push_str(", ");
                }
                first = false;
                out.push_str(k);
                out.push_str(" = ");
                render(side, x, &path.child(object_step(block, k)), out, false);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Address, Environment};

    fn env(name: &str, resources: &[(&str, &str)]) -> crate::TestResult<Environment> {
        Environment::for_tests(name, resources)
    }

    fn run_with(ea: Environment, eb: Environment) -> crate::TestResult<Vec<String>> {
        let names = ["prod", "staging"];
        let (ca, cb) = (Context::new(&ea, &names), Context::new(&eb, &names));
        let t = Address::parse("aws_x.t")?;
        let sa = Side::new(&ca, ea.get(&t).ok_or("missing")?);
        let sb = Side::new(&cb, eb.get(&t).ok_or("missing")?);
        Ok(diff(&sa, &sb)
            .iter()
            .map(|d| {
                let mut s = format!("{}: {} | {}", d.path, d.left, d.right);
                if d.reference {
                    s.push_str(" (ref)");
                }
                if d.secret_value {
                    s.push_str(" (secret value)");
                }
                if d.after_apply {
                    s.push_str(" (after apply)");
                }
                if !d.only_left.is_empty() || !d.only_right.is_empty() {
                    s.push_str(&format!(" -{:?} +{:?}", d.only_left, d.only_right));
                }
                s
            })
            .collect())
    }

    /// Diffs `aws_x.t` between two environments that also hold `common`.
    fn run(
        common_a: &[(&str, &str)],
        a: &str,
        common_b: &[(&str, &str)],
        b: &str,
    ) -> crate::TestResult<Vec<String>> {
        let mut ra = common_a.to_vec();
        ra.push(("aws_x.t", a));
        let mut rb = common_b.to_vec();
        rb.push(("aws_x.t", b));
        run_with(env("prod", &ra)?, env("staging", &rb)?)
    }

    const NETS_A: &[(&str, &str)] = &[
        (
            "aws_vpc.main",
            r#"{"id":"vpc-0aaa0001","cidr_block":"10.0.0.0/16","arn":"arn:aws:ec2:us-east-1:111111111111:vpc/vpc-0aaa0001"}"#,
        ),
        ("aws_subnet.a", r#"{"id":"subnet-0aaa0001"}"#),
        ("aws_subnet.b", r#"{"id":"subnet-0aaa0002"}"#),
    ];
    const NETS_B: &[(&str, &str)] = &[
        (
            "aws_vpc.main",
            r#"{"id":"vpc-0bbb0001","cidr_block":"10.1.0.0/16","arn":"arn:aws:ec2:us-west-2:222222222222:vpc/vpc-0bbb0001"}"#,
        ),
        ("aws_subnet.a", r#"{"id":"subnet-0bbb0001"}"#),
        ("aws_subnet.b", r#"{"id":"subnet-0bbb0002"}"#),
    ];

    #[test]
    fn by_design_differences_vanish() -> crate::TestResult {
        for (a, b) in [
            (
                r#"{"id":"x-1","arn":"arn:1","vpc_id":"vpc-0aaa0001"}"#,
                r#"{"id":"x-2","arn":"arn:2","vpc_id":"vpc-0bbb0001"}"#,
            ),
            (
                r#"{"subnets":["subnet-0aaa0001","subnet-0aaa0002"]}"#,
                r#"{"subnets":["subnet-0bbb0002","subnet-0bbb0001"]}"#,
            ),
            (
                r#"{"cidr":"10.0.4.0/24","az":"us-east-1a"}"#,
                r#"{"cidr":"10.1.4.0/24","az":"us-west-2a"}"#,
            ),
            (
                r#"{"name":"prod-web","tags":{"Env":"production"}}"#,
                r#"{"name":"staging-web","tags":{"Env":"stage"}}"#,
            ),
            (
                r#"{"port":"443","on":"true","x":null}"#,
                r#"{"port":443,"on":true,"x":""}"#,
            ),
            (r#"{"l":[],"m":{}}"#, r#"{}"#),
            (
                r#"{"cert":"arn:aws:acm:us-east-1:111111111111:certificate/3f2504e0-4f89-11d3-9a0c-0305e82c3301"}"#,
                r#"{"cert":"arn:aws:acm:us-west-2:222222222222:certificate/9a2504e0-4f89-11d3-9a0c-0305e82c3301"}"#,
            ),
            (
                r#"{"ext":"sg-0123456789abcdef0"}"#,
                r#"{"ext":"sg-0fedcba987654321f"}"#,
            ),
            (
                r#"{"tags_all":{"a":"1"},"owner_id":"111111111111"}"#,
                r#"{"tags_all":{"a":"2"},"owner_id":"222222222222"}"#,
            ),
            (
                r#"{"route":[{"cidr":"0.0.0.0/0","gw":"vpc-0aaa0001"},{"cidr":"10.0.9.0/24","gw":null}]}"#,
                r#"{"route":[{"cidr":"10.1.9.0/24","gw":""},{"cidr":"0.0.0.0/0","gw":"vpc-0bbb0001"}]}"#,
            ),
            (
                r#"{"availability_zone":"us-east-1b"}"#,
                r#"{"availability_zone":"us-west-2f"}"#,
            ),
            // identical text is equal even where it holds an environment word
            (
                r#"{"dev":["/dev/sdf","/dev/sdg"]}"#,
                r#"{"dev":["/dev/sdg","/dev/sdf"]}"#,
            ),
            (
                r#"{"policy":"{\"Principal\":\"arn:aws:iam::111111111111:root\"}"}"#,
                r#"{"policy":"{\"Principal\": \"arn:aws:iam::222222222222:root\"}"}"#,
            ),
        ] {
            assert_eq!(
                run(NETS_A, a, NETS_B, b)?,
                Vec::<String>::new(),
                "{a} vs {b}"
            );
        }
        Ok(())
    }

    #[test]
    fn json_documents_say_where_inside_they_differ() -> crate::TestResult {
        let policy = |action: &str| {
            let doc = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Logs","Effect":"Allow","Action":["logs:PutLogEvents"],"Resource":"*"}},{{"Sid":"Bucket","Effect":"Allow","Action":["{action}"],"Resource":["arn:aws:s3:::prod-data/*"]}}]}}"#
            );
            serde_json::json!({ "policy": doc }).to_string()
        };
        let got = run(&[], &policy("s3:GetObject"), &[], &policy("s3:*"))?;
        assert_eq!(
            got,
            [
                r#"policy: Statement["Bucket"].Action = ["s3:GetObject"] | Statement["Bucket"].Action = ["s3:*"]"#
            ]
        );
        Ok(())
    }

    #[test]
    fn base64_scripts_compare_as_their_text() -> crate::TestResult {
        // `#!/bin/bash\nENV=prod\n` and `…ENV=staging\n`: by design.
        let same = run(
            &[],
            r#"{"user_data":"IyEvYmluL2Jhc2gKRU5WPXByb2QK"}"#,
            &[],
            r#"{"user_data":"IyEvYmluL2Jhc2gKRU5WPXN0YWdpbmcK"}"#,
        )?;
        assert!(same.is_empty(), "{same:?}");
        // `PORT=1` and `PORT=2`: a real difference.
        let differ = run(
            &[],
            r#"{"user_data":"IyEvYmluL2Jhc2gKUE9SVD0xCg=="}"#,
            &[],
            r#"{"user_data":"IyEvYmluL2Jhc2gKUE9SVD0yCg=="}"#,
        )?;
        assert_eq!(
            differ,
            ["user_data: a script of 2 lines, base64-encoded, line 2 differs | a script of 2 lines, base64-encoded, line 2 differs"]
        );
        // Plain scripts are not shown either: secrets hide in them in many shapes.
        let plain = run(
            &[],
            r##"{"user_data":"#!/bin/sh\npassword: PLANTED1\n-pPLANTED1\n"}"##,
            &[],
            r##"{"user_data":"#!/bin/sh\npassword: PLANTED2\n-pPLANTED2\necho\n"}"##,
        )?;
        assert_eq!(plain.len(), 1, "{plain:?}");
        assert!(plain.iter().all(|g| !g.contains("PLANTED")), "{plain:?}");
        Ok(())
    }

    #[test]
    fn real_differences_remain() -> crate::TestResult {
        for (a, b, want) in [
            (r#"{"ttl":300}"#, r#"{"ttl":60}"#, vec!["ttl: 300 | 60"]),
            (r#"{"vpc_id":"vpc-0aaa0001"}"#, r#"{"vpc_id":"vpc-0fff0009"}"#, vec!["vpc_id: aws_vpc.main | vpc-0fff0009 (ref)"]),
            (r#"{"s":"subnet-0aaa0001"}"#, r#"{"s":"subnet-0bbb0002"}"#, vec!["s: aws_subnet.a | aws_subnet.b (ref)"]),
            (r#"{"cidr":"10.0.4.0/24"}"#, r#"{"cidr":"10.1.5.0/24"}"#, vec!["cidr: 10.0.4.0/24 | 10.1.5.0/24"]),
            (r#"{"cidr":"10.0.0.0/16"}"#, r#"{"cidr":"10.0.0.0/16"}"#, vec!["cidr: 10.0.0.0/16 (there: an address in its own network) | 10.0.0.0/16 (there: nothing of its own)"]),
            (r#"{"name":"prod-web"}"#, r#"{"name":"prod-web2"}"#, vec!["name: prod-web | prod-web2"]),
            (r#"{"x":"a"}"#, r#"{}"#, vec!["x: a | (absent)"]),
            (
                r#"{"ingress":[{"from_port":443,"cidr_blocks":["0.0.0.0/0"]}]}"#,
                r#"{"ingress":[{"from_port":443,"cidr_blocks":["0.0.0.0/0"]},{"from_port":22,"cidr_blocks":["0.0.0.0/0"]}]}"#,
                vec![
                    r#"ingress: [{cidr_blocks = ["0.0.0.0/0"], from_port = 443}] | [{cidr_blocks = ["0.0.0.0/0"], from_port = 443}, {cidr_blocks = ["0.0.0.0/0"], from_port = 22}] -[] +["{cidr_blocks = [\"0.0.0.0/0\"], from_port = 22}"]"#,
                ],
            ),
            (r#"{"b":[{"enabled":true}]}"#, r#"{"b":[{"enabled":false}]}"#, vec!["b[0].enabled: true | false"]),
            (r#"{"tags":{"Team":"a"}}"#, r#"{"tags":{"Team":"b"}}"#, vec![r#"tags["Team"]: a | b"#]),
            // a foreign account stays what it is
            (
                r#"{"trust":"arn:aws:iam::111111111111:root"}"#,
                r#"{"trust":"arn:aws:iam::999999999999:root"}"#,
                vec!["trust: arn:aws:iam::111111111111:root | arn:aws:iam::999999999999:root"],
            ),
            (
                r#"{"policy_arn":"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}"#,
                r#"{"policy_arn":"arn:aws:iam::aws:policy/AmazonS3FullAccess"}"#,
                vec!["policy_arn: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess | arn:aws:iam::aws:policy/AmazonS3FullAccess"],
            ),
            // ordered lists compare in order
            (r#"{"args":["migrate","serve"]}"#, r#"{"args":["serve","migrate"]}"#, vec!["args[0]: migrate | serve", "args[1]: serve | migrate"]),
            // canonical forms are escaped: these two rules are not the same
            (
                r#"{"r":[{"d":"x\",\"p\":\"22","q":1},{"d":"y"}]}"#,
                r#"{"r":[{"d":"x","p":"22","q":1},{"d":"y"}]}"#,
                vec![r#"r[0].d: x","p":"22 | x"#, "r[0].p: null | 22"],
            ),
            (r#"{"metadata_options":[{"http_tokens":"required"}]}"#, r#"{"metadata_options":[{"http_tokens":"optional"}]}"#, vec!["metadata_options[0].http_tokens: required | optional"]),
            (r#"{"minimum_password_length":14}"#, r#"{"minimum_password_length":6}"#, vec!["minimum_password_length: 14 | 6"]),
        ] {
            assert_eq!(run(NETS_A, a, NETS_B, b)?, want, "{a} vs {b}");
        }
        Ok(())
    }

    #[test]
    fn differing_blocks_pair_by_name_and_long_values_show_the_change() -> crate::TestResult {
        let rules = |src: &str| {
            format!(
                r#"{{"rules":[{{"name":"a","src":"*","port":1}},{{"name":"b","src":"{src}","port":2}},{{"name":"c","src":"*","port":3}}]}}"#
            )
        };
        assert_eq!(
            run(
                NETS_A,
                &rules("AzureFrontDoor.Backend"),
                NETS_B,
                &rules("*")
            )?,
            ["rules[\"b\"].src: AzureFrontDoor.Backend | *"]
        );
        let long = |action: &str| format!(r#"{{"doc":"{}{action}"}}"#, "x".repeat(300));
        let got = run(
            NETS_A,
            &long("s3:ListBucket"),
            NETS_B,
            &long("s3:DeleteObject"),
        )?;
        assert_eq!(got.len(), 1);
        assert!(
            got[0].contains("ListBucket") && got[0].contains("DeleteObject"),
            "{got:?}"
        );
        Ok(())
    }

    #[test]
    fn blocks_paired_by_a_natural_key_are_named_by_it_field_by_field() -> crate::TestResult {
        // Twelve WAF rules switch from count to block and one is added: each rule's
        // field is named, the added rule said alone, never the whole set of rules.
        let rule = |n: usize, action: &str| {
            format!(
                r#"{{"name":"rule-{n}","priority":{n},"action":"{action}","statement":[{{"ip_set":"{}","scope_down":[{{"text":"{}"}}]}}]}}"#,
                "s".repeat(40),
                "t".repeat(80)
            )
        };
        let waf = |action: &str, extra: bool| {
            let mut rules: Vec<String> = (1..=12).map(|n| rule(n, action)).collect();
            if extra {
                rules.push(rule(13, "allow"));
            }
            format!(r#"{{"rule":[{}]}}"#, rules.join(","))
        };
        let got = run(NETS_A, &waf("count", false), NETS_B, &waf("block", true))?;
        assert_eq!(got.len(), 13, "{got:?}");
        for n in 1..=12 {
            assert!(
                got.contains(&format!("rule[\"rule-{n}\"].action: count | block")),
                "{got:?}"
            );
        }
        assert!(
            got.iter()
                .any(|d| d.starts_with("rule: ") && d.contains("rule-13")),
            "{got:?}"
        );
        // Blocks keyed by a number are named with their field; overrides of a managed
        // rule set by their group and rule.
        let acl = |action: &str| {
            format!(
                r#"{{"rule":[{{"priority":10,"action":"allow"}},{{"priority":20,"action":"{action}"}}],"override":[{{"rule_group_name":"SQLI","rule":[{{"rule_id":"942100","action":"Log"}},{{"rule_id":"942110","action":"{action}"}}]}},{{"rule_group_name":"XSS","rule":[]}}]}}"#
            )
        };
        assert_eq!(
            run(NETS_A, &acl("Block"), NETS_B, &acl("Log"))?,
            [
                "override[\"SQLI\"].rule[\"rule_id=942110\"].action: Block | Log",
                "rule[\"priority=20\"].action: Block | Log",
            ]
        );
        // The path finds the block again by its name, wherever it is in the list.
        let v: Value = serde_json::from_str(&acl("Block"))?;
        let at = AttrPath(vec![
            PathStep::Attr("override".into()),
            PathStep::Key("SQLI".into()),
            PathStep::Attr("rule".into()),
            PathStep::Key("rule_id=942110".into()),
            PathStep::Attr("action".into()),
        ]);
        assert_eq!(value_at(&v, &at).and_then(Value::as_str), Some("Block"));
        Ok(())
    }

    #[test]
    fn unknown_elements_are_wildcards_not_blanket_equality() -> crate::TestResult {
        let mut a = env(
            "prod",
            &[("aws_x.t", r#"{"ingress":[{"p":443,"sg":"x"}]}"#)],
        )?;
        let mut b = env(
            "staging",
            &[(
                "aws_x.t",
                r#"{"ingress":[{"p":443,"sg":"x"},{"p":22},{"p":0}]}"#,
            )],
        )?;
        let port: Value = serde_json::from_str("443")?;
        let unknown_sg = |e: &mut Environment| {
            if let Value::Object(o) = &mut e.resources[0].attributes {
                let mut entries = o.to_vec();
                if let Value::List(l) = &mut entries[0].1 {
                    let mut items = l.to_vec();
                    items[0] = Value::object(vec![
                        ("p".into(), port.clone()),
                        ("sg".into(), Value::Unknown(None)),
                    ]);
                    *l = items.into_boxed_slice();
                }
                *o = entries.into_boxed_slice();
            }
        };
        unknown_sg(&mut b);
        assert_eq!(
            run_with(a.clone(), b.clone())?.len(),
            1,
            "extra rules are reported despite an unknown"
        );
        // Same length, the unknown element matches the known one.
        b = env(
            "staging",
            &[("aws_x.t", r#"{"ingress":[{"p":443,"sg":"x"}]}"#)],
        )?;
        unknown_sg(&mut b);
        // Equal for all that is known (states: nothing to say of the unknown).
        assert!(run_with(a.clone(), b)?.is_empty());
        unknown_sg(&mut a);
        let b = env(
            "staging",
            &[("aws_x.t", r#"{"ingress":[{"p":443,"sg":"y"}]}"#)],
        )?;
        assert!(run_with(a, b)?.is_empty());
        Ok(())
    }

    #[test]
    fn long_lists_of_blocks_with_unknowns_hide_no_known_difference() -> crate::TestResult {
        // Past the pairs compared one by one (65 × 65), blocks are not taken as equal.
        let rules = |proto: &str, sg: &str| {
            let items: Vec<String> = (0..65)
                .map(|i| format!(r#"{{"p":{i},"proto":"{proto}","sg":"{sg}"}}"#))
                .collect();
            format!(r#"{{"ingress":[{}]}}"#, items.join(","))
        };
        let a = env("prod", &[("aws_x.t", &rules("tcp", "x"))])?;
        let b = env("staging", &[("aws_x.t", &rules("udp", "?"))])?.with_unknowns();
        assert!(
            !run_with(a.clone(), b)?.is_empty(),
            "tcp against udp is known"
        );
        let same = env("staging", &[("aws_x.t", &rules("tcp", "?"))])?.with_unknowns();
        assert!(run_with(a, same)?.is_empty());
        Ok(())
    }

    #[test]
    fn an_unknown_is_said_whatever_the_order_of_the_blocks() -> crate::TestResult {
        let a = r#"{"rule":[{"cidr":"?","p":22},{"cidr":"10.0.0.0/8","p":80}]}"#;
        let b = r#"{"rule":[{"cidr":"10.0.0.0/8","p":80},{"cidr":"0.0.0.0/0","p":22}]}"#;
        let ea = env("prod", &[("aws_x.t", a)])?.with_unknowns().declared();
        let eb = env("staging", &[("aws_x.t", b)])?.declared();
        assert_eq!(
            run_with(ea, eb)?,
            vec!["rule[0].cidr: (known after apply) | 0.0.0.0/0 (after apply)"]
        );
        Ok(())
    }

    #[test]
    fn an_unknown_in_a_block_hides_nothing_else_in_it() -> crate::TestResult {
        // One value known only after apply in a nested block (a data source's id), and
        // known values that differ beside it: each known difference is reported.
        let block = |class: &str, min: u32, sg: &str| {
            format!(
                r#"{{"cfg":[{{"class":"{class}","min":{min},"sg":"{sg}","subnets":["a","b"]}}]}}"#
            )
        };
        // Two configurations: a value known in one and only after apply in the other is
        // said.
        let a = env("prod", &[("aws_x.t", &block("large", 3, "sg-1"))])?.declared();
        let b = env("staging", &[("aws_x.t", &block("small", 1, "?"))])?
            .with_unknowns()
            .declared();
        assert_eq!(
            run_with(a, b.clone())?,
            vec![
                "cfg[0].class: large | small",
                "cfg[0].min: 3 | 1",
                "cfg[0].sg: sg-1 | (known after apply) (after apply)",
            ]
        );
        // Unknown on both sides: only the known differences.
        let a = env("prod", &[("aws_x.t", &block("large", 3, "?"))])?
            .with_unknowns()
            .declared();
        assert_eq!(
            run_with(a, b)?,
            vec!["cfg[0].class: large | small", "cfg[0].min: 3 | 1"]
        );
        Ok(())
    }

    #[test]
    fn secrets_never_shown() -> crate::TestResult {
        let got = run(
            NETS_A,
            r#"{"master_password":"hunter2","env":{"DB_TOKEN":"abc"}}"#,
            NETS_B,
            r#"{"master_password":"swordfish","env":{"DB_TOKEN":"xyz"}}"#,
        )?;
        assert_eq!(
            got,
            [
                r#"env["DB_TOKEN"]: (sensitive) | (sensitive) (secret value)"#,
                "master_password: (sensitive) | (sensitive) (secret value)"
            ]
        );
        // equal secrets are not a difference
        assert!(run(
            NETS_A,
            r#"{"password":"same"}"#,
            NETS_B,
            r#"{"password":"same"}"#
        )?
        .is_empty());
        // JSON documents in strings keep their secrets hidden
        let got = run(
            NETS_A,
            r#"{"cfg":"{\"api_token\":\"hunter2\",\"t\":1}"}"#,
            NETS_B,
            r#"{"cfg":"{\"api_token\":\"hunter3\",\"t\":2}"}"#,
        )?;
        assert_eq!(got.len(), 1);
        assert!(!got[0].contains("hunter"), "{got:?}");
        // passwords inside URLs
        let got = run(
            NETS_A,
            r#"{"url":"postgres://app:Pr0dPw@db/a","x":1}"#,
            NETS_B,
            r#"{"url":"postgres://app:StgPw@db/b","x":1}"#,
        )?;
        assert_eq!(
            got,
            ["url: postgres://(sensitive)@db/a | postgres://(sensitive)@db/b"]
        );
        // passwords with slashes, in query strings, connection strings, name/value pairs
        for (a, b) in [
            (
                r#"{"c":"postgres://app:Pr0d/PLANTED1@db/a"}"#,
                r#"{"c":"postgres://app:Stg/PLANTED2@db/b"}"#,
            ),
            (
                r#"{"c":"jdbc:pg://db/a?user=x&password=PLANTED1"}"#,
                r#"{"c":"jdbc:pg://db/b?user=x&password=PLANTED2"}"#,
            ),
            (
                r#"{"c":"Server=a;Password=PLANTED1;"}"#,
                r#"{"c":"Server=b;Password=PLANTED2;"}"#,
            ),
            (
                r#"{"env":[{"name":"DB_PASSWORD","value":"PLANTED1"},{"name":"A","value":"1"}]}"#,
                r#"{"env":[{"name":"DB_PASSWORD","value":"PLANTED2"},{"name":"A","value":"2"}]}"#,
            ),
            (
                r#"{"defs":"[{\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"PLANTED1\"}],\"cpu\":1}]"}"#,
                r#"{"defs":"[{\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"PLANTED2\"}],\"cpu\":2}]"}"#,
            ),
            // A URL's password in a document that also has a secret-named entry.
            (
                r#"{"defs":"[{\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"x\"},{\"name\":\"UP\",\"value\":\"https://svc:PLANTED1@up.example.com\"}]}]"}"#,
                r#"{"defs":"[{\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"x\"},{\"name\":\"UP\",\"value\":\"https://svc:PLANTED2@up.example.com\"}]}]"}"#,
            ),
            // A secret at the start of a line of a script, plain and base64-encoded.
            (
                r##"{"user_data":"#!/bin/bash\nPORT=1\nDB_PASSWORD=PLANTED1\n"}"##,
                r##"{"user_data":"#!/bin/bash\nPORT=2\nDB_PASSWORD=PLANTED2\n"}"##,
            ),
            (
                r#"{"user_data":"IyEvYmluL2Jhc2gKUE9SVD0xCkRCX1BBU1NXT1JEPVBMQU5URUQxCg=="}"#,
                r#"{"user_data":"IyEvYmluL2Jhc2gKUE9SVD0yCkRCX1BBU1NXT1JEPVBMQU5URUQyCg=="}"#,
            ),
        ] {
            let got = run(NETS_A, a, NETS_B, b)?;
            assert!(!got.is_empty(), "{a}");
            assert!(got.iter().all(|g| !g.contains("PLANTED")), "{got:?}");
        }
        Ok(())
    }

    #[test]
    fn quoted_values_options_and_yaml_pairs_are_redacted_whole() {
        for (text, hidden, kept) in [
            (
                r#"DB_PASSWORD="correct horse battery staple""#,
                "horse battery staple",
                "DB_PASSWORD=",
            ),
            (
                "DB_PASSWORD='correct horse battery staple'",
                "horse battery staple",
                "DB_PASSWORD=",
            ),
            (
                r#"export PGPASSWORD="a b c" && psql -h db"#,
                "a b c",
                "&& psql -h db",
            ),
            (
                r#"password = "two words" port = 5432"#,
                "two words",
                "port = 5432",
            ),
            (r#"PASSWORD="say \"hi there\" now" X=1"#, "hi there", "X=1"),
            (
                r#"PASSWORD="never closed at all"#,
                "closed at all",
                "PASSWORD=",
            ),
            (
                "password: correct horse battery staple\nuser: app",
                "horse battery",
                "user: app",
            ),
            ("DB_PASSWORD: 'two words'\nport: 1", "two words", "port: 1"),
            ("  api_token:   \"two words\"\n", "two words", "api_token:"),
            (
                r#"{password: "two words", user: app}"#,
                "two words",
                "{password:",
            ),
            (
                r#"{"password" : "two words", "user": "app"}x"#,
                "two words",
                r#""user": "app""#,
            ),
            ("run --password hunter2 --user app", "hunter2", "--user app"),
            (
                r#"run --password "two words" --user app"#,
                "two words",
                "--user app",
            ),
            ("run --db-password=hunter2 -v", "hunter2", "-v"),
        ] {
            let shown = redact(text);
            assert!(
                !shown.contains(hidden),
                "{text:?} shows {hidden:?}: {shown:?}"
            );
            assert!(shown.contains(kept), "{text:?} lost {kept:?}: {shown:?}");
            assert!(shown.contains(SENSITIVE), "{text:?}: {shown:?}");
        }
        // Not pairs of a secret: left as they are.
        for text in [
            "https://host:5432/x",
            "at time: 12:30",
            "key_name: my key",
            "passenger: two words",
            "run --password-file /etc/pw --user app",
            "a == b",
            "c3VyZQ==",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn urls_in_values_lose_their_user_information_and_secret_parameters() {
        for (text, hidden, kept) in [
            (
                "https://ghp_TOKEN1@github.com/o/r.git",
                "TOKEN1",
                "@github.com/o/r.git",
            ),
            (
                "git::https://user:TOKEN2@h/x.git?ref=v1",
                "TOKEN2",
                "@h/x.git?ref=v1",
            ),
            ("https://h/m.zip?sv=1&sig=TOKEN3", "TOKEN3", "sv=1"),
            (
                "https://b.s3.amazonaws.com/m?X-Amz-Signature=TOKEN4",
                "TOKEN4",
                "b.s3.amazonaws.com",
            ),
            (
                "see https://TOKEN5:x-oauth-basic@github.com/o now",
                "TOKEN5",
                "now",
            ),
        ] {
            let shown = redact(text);
            assert!(!shown.contains(hidden), "{text}: {shown}");
            assert!(shown.contains(kept), "{text}: {shown}");
        }
    }

    #[test]
    fn json_in_strings_is_redacted_at_any_depth() {
        // A document whose string holds a document, whose string holds one, …
        fn nest(inner: serde_json::Value, depth: usize) -> serde_json::Value {
            (0..depth).fold(
                inner,
                |doc, i| serde_json::json!({ "level": i, "cfg": doc.to_string() }),
            )
        }
        for depth in [1, 2, 3, 5, 12] {
            let doc = nest(
                serde_json::json!({"user": "app", "password": "NESTEDPW", "list": ["[{\"token\":\"NESTEDTOK\"}]"]}),
                depth,
            )
            .to_string();
            let shown = redact(&doc);
            assert!(
                !shown.contains("NESTEDPW") && !shown.contains("NESTEDTOK"),
                "depth {depth}: {shown}"
            );
            // What is not secret is still there, up to where the documents stay readable.
            if depth <= 3 {
                assert!(shown.contains("app"), "depth {depth}: {shown}");
            }
        }
        // A document in a string in a list, and a URL with a password in an inner one.
        let doc =
            r#"[{"env":"{\"DB_URL\":\"postgres://u:URLPW@db/x\",\"PGPASSWORD\":\"ONEWORD\"}"}]"#;
        let shown = redact(doc);
        assert!(
            !shown.contains("URLPW") && !shown.contains("ONEWORD"),
            "{shown}"
        );
    }

    #[test]
    fn marked_list_elements_stay_hidden_in_list_differences() -> crate::TestResult {
        let mut a = env(
            "prod",
            &[(
                "aws_x.t",
                r#"{"env":[{"n":"A","v":"1"},{"n":"URL","v":"pg://u:SECRET1@db"}]}"#,
            )],
        )?;
        let mut b = env(
            "staging",
            &[(
                "aws_x.t",
                r#"{"env":[{"n":"A","v":"1"},{"n":"URL","v":"pg://u:SECRET2@db"},{"n":"D","v":"1"}]}"#,
            )],
        )?;
        let mark = AttrPath(vec![
            PathStep::Attr("env".into()),
            PathStep::Index(1),
            PathStep::Attr("v".into()),
        ]);
        a.resources[0].sensitive.push(mark.clone());
        b.resources[0].sensitive.push(mark);
        let got = run_with(a, b)?;
        assert_eq!(got.len(), 1);
        assert!(!got[0].contains("SECRET"), "{got:?}");
        Ok(())
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;
    use crate::model::{Address, Environment};

    fn diffs(a: &[(&str, &str)], b: &[(&str, &str)], at: &str) -> crate::TestResult<Vec<String>> {
        let (ea, eb) = (
            Environment::for_tests("prod", a)?,
            Environment::for_tests("staging", b)?,
        );
        let names = ["prod", "staging"];
        let (ca, cb) = (Context::new(&ea, &names), Context::new(&eb, &names));
        let t = Address::parse(at)?;
        let ta = ca.env.get(&t).ok_or("missing")?;
        let tb = cb
            .env
            .resources
            .iter()
            .find(|r| cb.logical(&r.address).as_ref() == ca.logical(&t).as_ref())
            .ok_or("missing")?;
        Ok(diff(&Side::new(&ca, ta), &Side::new(&cb, tb))
            .iter()
            .map(|d| format!("{}: {} | {}", d.path, d.left, d.right))
            .collect())
    }

    #[test]
    fn references_through_env_keyed_modules_compare_by_logical_address() -> crate::TestResult {
        let a = [
            (
                r#"module.app["prod"].aws_vpc.v"#,
                r#"{"id":"vpc-0aaa0001"}"#,
            ),
            ("aws_x.t", r#"{"vpc_id":"vpc-0aaa0001"}"#),
        ];
        let b = [
            (
                r#"module.app["staging"].aws_vpc.v"#,
                r#"{"id":"vpc-0bbb0001"}"#,
            ),
            ("aws_x.t", r#"{"vpc_id":"vpc-0bbb0001"}"#),
        ];
        assert!(diffs(&a, &b, "aws_x.t")?.is_empty());
        Ok(())
    }

    #[test]
    fn map_keys_pair_without_environment_names() -> crate::TestResult {
        let a = [(
            "aws_subnet.s",
            r#"{"tags":{"kubernetes.io/cluster/app-production":"shared","Team":"web","only-prod":"x"}}"#,
        )];
        let b = [(
            "aws_subnet.s",
            r#"{"tags":{"kubernetes.io/cluster/app-staging":"shared","Team":"web"}}"#,
        )];
        assert_eq!(
            diffs(&a, &b, "aws_subnet.s")?,
            vec![r#"tags["only-prod"]: x | null"#.to_string()]
        );
        // A value that differs under keys that pair is said at the baseline's key.
        let b = [(
            "aws_subnet.s",
            r#"{"tags":{"kubernetes.io/cluster/app-staging":"owned","Team":"web","only-prod":"x"}}"#,
        )];
        assert_eq!(
            diffs(&a, &b, "aws_subnet.s")?,
            vec![r#"tags["kubernetes.io/cluster/app-production"]: shared | owned"#.to_string()]
        );
        Ok(())
    }

    #[test]
    fn names_are_not_references() -> crate::TestResult {
        // An SG named like an IAM role's id is not a reference to the role.
        let a = [
            ("aws_iam_role.r", r#"{"id":"acme-prod-app"}"#),
            ("aws_x.t", r#"{"name":"acme-prod-app"}"#),
        ];
        let b = [("aws_x.t", r#"{"name":"acme-staging-app"}"#)];
        assert!(diffs(&a, &b, "aws_x.t")?.is_empty());
        Ok(())
    }

    #[test]
    fn own_identifier_is_not_a_reference() -> crate::TestResult {
        let a = [(
            "aws_x.t",
            r#"{"id":"acme-prod-logs","bucket":"acme-prod-logs","alloc":"eipalloc-0aaa0001"}"#,
        )];
        let b = [(
            "aws_x.t",
            r#"{"id":"acme-staging-logs","bucket":"acme-staging-logs","alloc":"eipalloc-0bbb0001"}"#,
        )];
        assert!(diffs(&a, &b, "aws_x.t")?.is_empty());
        Ok(())
    }

    #[test]
    fn a_plan_that_does_not_know_ids_compares_names() -> crate::TestResult {
        let a = [
            ("aws_db_subnet_group.g", r#"{"id":"acme-prod-db"}"#),
            ("aws_x.t", r#"{"subnet_group":"acme-prod-db"}"#),
        ];
        let mut eb = Environment::for_tests(
            "staging",
            &[
                ("aws_db_subnet_group.g", r#"{"name":"acme-staging-db"}"#),
                ("aws_x.t", r#"{"subnet_group":"acme-staging-db"}"#),
            ],
        )?;
        if let Value::Object(o) = &mut eb.resources[0].attributes {
            let mut v = o.to_vec();
            v.push(("id".into(), Value::Unknown(None)));
            eb.resources[0].attributes = Value::object(v);
        }
        let ea = Environment::for_tests("prod", &a)?;
        let names = ["prod", "staging"];
        let (ca, cb) = (Context::new(&ea, &names), Context::new(&eb, &names));
        let t = Address::parse("aws_x.t")?;
        assert!(diff(
            &Side::new(&ca, ea.get(&t).ok_or("missing")?),
            &Side::new(&cb, eb.get(&t).ok_or("missing")?)
        )
        .is_empty());
        Ok(())
    }

    #[test]
    fn an_unset_attribute_equals_the_provider_default() -> crate::TestResult {
        // One environment spells the defaults out, the other leaves them to the
        // provider: no difference, at the top level or in a nested block.
        let explicit = r#"{"name":"web","enable_deletion_protection":false,"idle_timeout":60,"access_logs":[{"bucket":"logs","enabled":false}]}"#;
        let unset =
            r#"{"name":"web","enable_deletion_protection":null,"access_logs":[{"bucket":"logs"}]}"#;
        assert_eq!(
            diffs(
                &[("aws_lb.web", explicit)],
                &[("aws_lb.web", unset)],
                "aws_lb.web"
            )?,
            Vec::<String>::new()
        );
        assert_eq!(
            diffs(
                &[("aws_lb.web", unset)],
                &[("aws_lb.web", explicit)],
                "aws_lb.web"
            )?,
            Vec::<String>::new()
        );
        // A value other than the default still differs from unset.
        let on = r#"{"name":"web","enable_deletion_protection":true,"idle_timeout":120,"access_logs":[{"bucket":"logs","enabled":true}]}"#;
        assert_eq!(
            diffs(
                &[("aws_lb.web", unset)],
                &[("aws_lb.web", on)],
                "aws_lb.web"
            )?,
            [
                "access_logs[0].enabled: null | true",
                "enable_deletion_protection: null | true",
                "idle_timeout: (absent) | 120"
            ]
        );
        // Without a documented default, unset and `false` still differ.
        assert_eq!(
            diffs(
                &[("aws_x.t", r#"{"flag":false}"#)],
                &[("aws_x.t", r#"{}"#)],
                "aws_x.t"
            )?,
            ["flag: false | (absent)"]
        );
        Ok(())
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;
    use crate::model::{Address, Environment};

    #[test]
    fn policies_compare_as_sets() -> crate::TestResult {
        let doc = |actions: &str, resource: &str| {
            let policy = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{actions},"Resource":{resource}}}]}}"#
            );
            format!(r#"{{"policy":{}}}"#, serde_json::Value::from(policy))
        };
        let run = |a: &str, b: &str| -> crate::TestResult<usize> {
            let (ea, eb) = (
                Environment::for_tests("prod", &[("aws_x.t", a)])?,
                Environment::for_tests("staging", &[("aws_x.t", b)])?,
            );
            let names = ["prod", "staging"];
            let (ca, cb) = (Context::new(&ea, &names), Context::new(&eb, &names));
            let t = Address::parse("aws_x.t")?;
            Ok(diff(
                &Side::new(&ca, ea.get(&t).ok_or("missing")?),
                &Side::new(&cb, eb.get(&t).ok_or("missing")?),
            )
            .len())
        };
        assert_eq!(
            run(
                &doc(r#"["s3:Get","s3:Put"]"#, r#""*""#),
                &doc(r#"["s3:Put","s3:Get"]"#, r#"["*"]"#)
            )?,
            0
        );
        assert_eq!(
            run(
                &doc(r#"["s3:Get"]"#, r#""*""#),
                &doc(r#"["s3:Delete"]"#, r#""*""#)
            )?,
            1
        );
        Ok(())
    }
}
