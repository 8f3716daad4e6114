//! Compares the attributes of one instance in two environments after normalisation and
//! lists the paths that really differ. Lists compare as multisets (Terraform writes sets
//! in identifier order, which differs by design) unless the catalog says they are
//! ordered. A difference under a sensitive or secret-named path is reported once, at
//! that path, with both sides shown as `(sensitive)`.
//!
//! Here: the walk over two values and what is equal. By concern, beside it: `secrets`
//! (what is never shown), `blocks` (pairing list elements), `documents` (JSON held in
//! strings), `show` (how a value is displayed).

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

mod blocks;
mod documents;
#[cfg(test)]
mod policy_tests;
#[cfg(test)]
mod reference_tests;
mod secrets;
mod show;
#[cfg(test)]
mod tests;

pub use blocks::block_name;
use blocks::*;
use documents::*;
use secrets::*;
pub use secrets::{is_sensitive, redact};
use show::*;
pub use show::{show, value_at};

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
                    super::Leaf::Text(self.ctx.value_text(s))
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
        let setting = !super::learn::names_attr(key);
        super::context::settings_only(setting, || compare(a, b, va_, vb_, &mut trail, &mut out));
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
        // The same text that names no one resource on either side (several resources
        // carry it as an id on one side: an identifier all the same, and outside
        // both) is the same value, not two references.
        (Value::Str(x), Value::Str(y))
            if x == y && !address_like(x) && a.resolve(x).is_none() && b.resolve(y).is_none() =>
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
                    || under(k, || equal(a, b, p.unwrap_or(&NULL), q.unwrap_or(&NULL)))
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
        (super::Leaf::Ref(_), super::Leaf::Ref(_)) => same_reading(a, b, va, vb),
        (super::Leaf::Text(_), super::Leaf::Text(_)) => match (va, vb) {
            (Value::Str(x), Value::Str(y)) => {
                www_for_own_name(a.ctx, b.ctx, x, y) || www_for_own_name(b.ctx, a.ctx, y, x)
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether host `x` of the baseline (context `cx`) serves `www.` where `y` (of `cy`)
/// serves that environment's own name in the same place, the rest alike once
/// normalised: `https://www.example.gov/app` in prod and `https://demo.example.gov/app`
/// in demo. A host with no such label (`example.gov`: a redirect to itself) or another
/// environment's (`staging.example.gov` in dev) is no match, nor is `www.` outside the
/// baseline (staging calling prod's public `www.` where prod calls `prod.`).
fn www_for_own_name(cx: &super::Context<'_>, cy: &super::Context<'_>, x: &str, y: &str) -> bool {
    if !cx.is_baseline() {
        return false;
    }
    let xb = x.as_bytes();
    // The two texts alike up to here: a `www.` further on has other text before it.
    let common = xb
        .iter()
        .zip(y.as_bytes())
        .take_while(|(p, q)| p == q)
        .count();
    let mut end = (common + 4).min(x.len());
    while !x.is_char_boundary(end) {
        end -= 1;
    }
    let mut from = 0;
    while let Some(found) = x.get(from..end).and_then(|t| t.find("www.")) {
        let i = from + found;
        from = i + 4;
        let starts = i == 0 || matches!(xb[i - 1], b'/' | b'@');
        if !starts || !y.is_char_boundary(i) {
            continue;
        }
        let rest = &y[i..];
        let label_len = rest
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
            .count();
        let label = &rest[..label_len];
        if label.is_empty()
            || rest.as_bytes().get(label_len) != Some(&b'.')
            || !cy.is_own_name(label)
        {
            continue;
        }
        let mut with = String::with_capacity(y.len());
        with.push_str(&x[..i]);
        with.push_str(label);
        with.push_str(&x[i + 3..]);
        return cx.text(&with) == cy.text(y);
    }
    false
}

/// Runs `f` for the value under key `k` of an object: a key that holds names (a
/// nested block's `name`, `app_settings["STORAGE_ACCOUNT_NAME"]`) turns learned
/// words on, any other key keeps what holds around it.
fn under<R>(k: &str, f: impl FnOnce() -> R) -> R {
    let named = if k.bytes().any(|b| b.is_ascii_uppercase()) {
        super::learn::names_attr(&k.to_ascii_lowercase())
    } else {
        super::learn::names_attr(k)
    };
    if named {
        super::context::settings_only(false, f)
    } else {
        f()
    }
}

thread_local! {
    /// How deep [`same_reading`] is: a data source's arguments may name other data
    /// sources, a few levels at most.
    static READING_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Whether two references name data sources of one type that read the same thing
/// under different labels (`data.azurerm_key_vault.global` and `.sr_global`, both
/// `name = "simple-report-global"`): every argument compares equal, as references do,
/// a few levels deep.
fn same_reading(a: &Side<'_>, b: &Side<'_>, va: &Value, vb: &Value) -> bool {
    let (Some(i), Some(j)) = (a.ctx.resource_of(va), b.ctx.resource_of(vb)) else {
        return false;
    };
    let (ra, rb) = (&a.ctx.env.resources[i], &b.ctx.env.resources[j]);
    if ra.address.mode != crate::model::Mode::Data
        || rb.address.mode != crate::model::Mode::Data
        || ra.address.rtype != rb.address.rtype
    {
        return false;
    }
    // Asked once per pair of data sources in a comparison: many references to many
    // data sources that name each other would otherwise be compared again and again.
    let depth = READING_DEPTH.with(|d| d.get());
    if depth >= 3 {
        return false;
    }
    // By depth too: deeper, fewer levels are left to look through.
    let key = (std::ptr::from_ref(b.ctx) as usize, i, j, depth);
    if let Some(&known) = a
        .ctx
        .readings
        .lock()
        .ok()
        .as_ref()
        .and_then(|m| m.get(&key))
    {
        return known;
    }
    READING_DEPTH.with(|d| d.set(depth + 1));
    // The comparison inside spends the pairing budget of the one around it.
    let budget = PAIRING_WORK.with(|w| w.get());
    let same = diff(&Side::at(a.ctx, Some(i), ra), &Side::at(b.ctx, Some(j), rb)).is_empty();
    let used = MAX_PAIRING_WORK.saturating_sub(PAIRING_WORK.with(|w| w.get()));
    PAIRING_WORK.with(|w| w.set(budget.saturating_sub(used)));
    READING_DEPTH.with(|d| d.set(depth));
    if let Ok(mut m) = a.ctx.readings.lock() {
        m.insert(key, same);
    }
    same
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
                all &= under(k, || {
                    compare(a, b, p.unwrap_or(&NULL), q.unwrap_or(&NULL), trail, out)
                });
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
