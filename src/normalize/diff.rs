//! Compares the attributes of one instance in two environments after normalisation and
//! lists the paths that really differ. Collections compare as multisets (Terraform
//! writes sets in id order, which differs by design); a difference under a sensitive or
//! secret-named path is reported with both sides shown as `(sensitive)`.

use super::catalog::{
    IGNORED_ATTRS, SECRET_NAME_FRAGMENTS, TYPE_IGNORED_ATTRS, ZONE_ATTRS, ZONE_LAYOUT_TYPES,
};
use super::context::Context;
use crate::model::{AttrPath, PathStep, Resource, Value};

/// The placeholder shown for any secret value.
pub const SENSITIVE: &str = "(sensitive)";
/// Shown for an attribute one side does not have at all.
pub const ABSENT: &str = "(absent)";
const MAX_DISPLAY: usize = 200;

/// One instance in one environment, with that environment's context.
pub struct Side<'a> {
    pub ctx: &'a Context<'a>,
    pub res: &'a Resource,
}

/// One attribute path whose values differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueDiff {
    pub path: AttrPath,
    /// A leaf on either side points at a resource (in or outside the environment).
    pub reference: bool,
    pub sensitive: bool,
    /// Display of each side's value.
    pub left: String,
    pub right: String,
    /// For collections: the elements only one side has (display form).
    pub only_left: Vec<String>,
    pub only_right: Vec<String>,
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

/// True when an attribute or key name says its value is secret.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_NAME_FRAGMENTS.iter().any(|f| lower.contains(f))
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

/// Whether `path` is sensitive on this side: under a path the source marked, or any
/// step named like a secret.
pub fn is_sensitive(res: &Resource, path: &AttrPath) -> bool {
    if path.0.iter().filter_map(step_name).any(is_secret_name) {
        return true;
    }
    res.sensitive.iter().any(|p| {
        p.0.len() <= path.0.len()
            && p.0
                .iter()
                .zip(path.0.iter())
                .all(|(a, b)| step_matches(a, b))
    })
}

/// Whether an attribute is never compared for this type.
pub fn is_ignored(rtype: &str, attr: &str) -> bool {
    IGNORED_ATTRS.contains(&attr)
        || TYPE_IGNORED_ATTRS
            .iter()
            .any(|(t, a)| *t == rtype && *a == attr)
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

/// Could normalisation change this string depending on the environment (beyond the
/// text replacements that identical strings share)? IPs and CIDRs can.
fn address_like(s: &str) -> bool {
    s.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_digit() || *b == b':')
}

/// Compares instance `a` with instance `b`.
pub fn diff(a: &Side<'_>, b: &Side<'_>) -> Vec<ValueDiff> {
    let mut out = Vec::new();
    let rtype = &a.res.address.rtype;
    let ea = a.res.attributes.entries();
    let eb = b.res.attributes.entries();
    let (mut i, mut j) = (0, 0);
    static NULL: Value = Value::Null;
    while i < ea.len() || j < eb.len() {
        let (key, va, vb, present) = match (ea.get(i), eb.get(j)) {
            (Some((ka, va)), Some((kb, vb))) if ka == kb => {
                i += 1;
                j += 1;
                (ka, va, vb, (true, true))
            }
            (Some((ka, va)), Some((kb, _))) if ka < kb => {
                i += 1;
                (ka, va, &NULL, (true, false))
            }
            (Some((ka, va)), None) => {
                i += 1;
                (ka, va, &NULL, (true, false))
            }
            (_, Some((kb, vb))) => {
                j += 1;
                (kb, &NULL, vb, (false, true))
            }
            (None, None) => break,
        };
        if is_ignored(rtype, key) {
            continue;
        }
        if ZONE_ATTRS.contains(&key.as_ref())
            && !ZONE_LAYOUT_TYPES.contains(&rtype.as_str())
            && same_region(a, b, va, vb)
        {
            continue;
        }
        let path = AttrPath(vec![PathStep::Attr(key.clone())]);
        let before = out.len();
        compare(a, b, va, vb, &path, Some(&mut out));
        if out.len() > before && path_is(&out[before].path, &path) {
            if !present.0 {
                out[before].left = ABSENT.into();
            }
            if !present.1 {
                out[before].right = ABSENT.into();
            }
        }
    }
    out
}

/// Two zones (`us-east-1b`, `us-west-2f`) in the same normalised region.
fn same_region(a: &Side<'_>, b: &Side<'_>, va: &Value, vb: &Value) -> bool {
    fn region(side: &Side<'_>, v: &Value) -> Option<String> {
        let t = side.ctx.text(v.as_str()?).into_owned();
        let stripped = t.strip_prefix("{region}")?;
        (stripped.len() <= 2).then(|| "{region}".to_string())
    }
    matches!((region(a, va), region(b, vb)), (Some(x), Some(y)) if x == y)
}

fn path_is(a: &AttrPath, b: &AttrPath) -> bool {
    a == b
}

/// Compares two values at `path`; returns whether they are equal and, when `out` is
/// given, records the differences.
fn compare(
    a: &Side<'_>,
    b: &Side<'_>,
    va: &Value,
    vb: &Value,
    path: &AttrPath,
    out: Option<&mut Vec<ValueDiff>>,
) -> bool {
    if let Some(out) = out {
        if is_sensitive(a.res, path) || is_sensitive(b.res, path) {
            if !compare(a, b, va, vb, path, None) {
                out.push(ValueDiff {
                    path: path.clone(),
                    reference: false,
                    sensitive: true,
                    left: SENSITIVE.into(),
                    right: SENSITIVE.into(),
                    only_left: Vec::new(),
                    only_right: Vec::new(),
                });
                return false;
            }
            return true;
        }
        return compare_into(a, b, va, vb, path, out);
    }
    equal(a, b, va, vb)
}

/// Deep equality after normalisation.
fn equal(a: &Side<'_>, b: &Side<'_>, va: &Value, vb: &Value) -> bool {
    match (va, vb) {
        (Value::Unknown, _) | (_, Value::Unknown) => true,
        // A plan knows an unknown list only as "derived from that resource".
        (Value::Ref(_), Value::List(l)) => l.len() != 1 || equal(a, b, va, &l[0]),
        (Value::List(l), Value::Ref(_)) => l.len() != 1 || equal(a, b, &l[0], vb),
        (Value::Str(x), Value::Str(y))
            if x == y && !address_like(x) && !a.ctx.is_identifier(x) && !b.ctx.is_identifier(y) =>
        {
            true
        }
        _ if is_empty(va) && is_empty(vb) => true,
        (Value::Object(x), Value::Object(y)) => {
            let keys = merged_keys(x, y);
            keys.iter().all(|k| {
                equal(
                    a,
                    b,
                    va.get(k).unwrap_or(&Value::Null),
                    vb.get(k).unwrap_or(&Value::Null),
                )
            })
        }
        (Value::List(x), Value::List(y)) => {
            (x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(a, b, p, q)))
                || multiset_equal(a, b, x, y)
        }
        (Value::List(_) | Value::Object(_), _) | (_, Value::List(_) | Value::Object(_)) => false,
        _ => a.ctx.leaf(va).same(&b.ctx.leaf(vb)),
    }
}

fn multiset_equal(a: &Side<'_>, b: &Side<'_>, x: &[Value], y: &[Value]) -> bool {
    let ka = canon_all(a, x);
    let kb = canon_all(b, y);
    if ka.iter().any(|k| k.1) || kb.iter().any(|k| k.1) {
        return true;
    }
    let mut sa: Vec<&str> = ka.iter().map(|k| k.0.as_str()).collect();
    let mut sb: Vec<&str> = kb.iter().map(|k| k.0.as_str()).collect();
    sa.sort_unstable();
    sb.sort_unstable();
    sa == sb
}

fn merged_keys<'v>(x: &'v [(Box<str>, Value)], y: &'v [(Box<str>, Value)]) -> Vec<&'v str> {
    let mut keys: Vec<&str> = x.iter().chain(y.iter()).map(|(k, _)| k.as_ref()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn compare_into(
    a: &Side<'_>,
    b: &Side<'_>,
    va: &Value,
    vb: &Value,
    path: &AttrPath,
    out: &mut Vec<ValueDiff>,
) -> bool {
    match (va, vb) {
        (Value::Unknown, _) | (_, Value::Unknown) => true,
        (Value::Ref(_), Value::List(_)) | (Value::List(_), Value::Ref(_))
            if equal(a, b, va, vb) =>
        {
            true
        }
        _ if is_empty(va) && is_empty(vb) => true,
        (Value::Object(x), Value::Object(y)) => {
            let block = matches!(path.0.last(), Some(PathStep::Index(_)));
            let mut all = true;
            for k in merged_keys(x, y) {
                let child = path.child(object_step(block, k));
                all &= compare(
                    a,
                    b,
                    va.get(k).unwrap_or(&Value::Null),
                    vb.get(k).unwrap_or(&Value::Null),
                    &child,
                    Some(out),
                );
            }
            all
        }
        (Value::List(x), Value::List(y)) => {
            if x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(a, b, p, q)) {
                return true;
            }
            if multiset_equal(a, b, x, y) {
                return true;
            }
            let ka = canon_all(a, x);
            let kb = canon_all(b, y);
            if x.len() == 1 && y.len() == 1 {
                return compare(
                    a,
                    b,
                    &x[0],
                    &y[0],
                    &path.child(PathStep::Index(0)),
                    Some(out),
                );
            }
            let only_left = only_in(a, x, &ka, &kb, path);
            let only_right = only_in(b, y, &kb, &ka, path);
            let reference = x.iter().chain(y.iter()).any(|v| matches!(v, Value::Str(_)))
                && (x.iter().any(|v| a.ctx.leaf(v).is_reference())
                    || y.iter().any(|v| b.ctx.leaf(v).is_reference()));
            out.push(ValueDiff {
                path: path.clone(),
                reference,
                sensitive: false,
                left: show(a, va, path),
                right: show(b, vb, path),
                only_left,
                only_right,
            });
            false
        }
        (Value::List(_) | Value::Object(_), _) | (_, Value::List(_) | Value::Object(_)) => {
            out.push(ValueDiff {
                path: path.clone(),
                reference: false,
                sensitive: false,
                left: show(a, va, path),
                right: show(b, vb, path),
                only_left: Vec::new(),
                only_right: Vec::new(),
            });
            false
        }
        _ => {
            if equal(a, b, va, vb) {
                return true;
            }
            let (la, lb) = (a.ctx.leaf(va), b.ctx.leaf(vb));
            out.push(ValueDiff {
                path: path.clone(),
                reference: la.is_reference() || lb.is_reference(),
                sensitive: false,
                left: show(a, va, path),
                right: show(b, vb, path),
                only_left: Vec::new(),
                only_right: Vec::new(),
            });
            false
        }
    }
}

/// Elements of `xs` (with canonical keys `kx`) not matched in `ky`, displayed.
fn only_in(
    side: &Side<'_>,
    xs: &[Value],
    kx: &[(String, bool)],
    ky: &[(String, bool)],
    path: &AttrPath,
) -> Vec<String> {
    let mut remaining: Vec<&str> = ky.iter().map(|k| k.0.as_str()).collect();
    let mut out = Vec::new();
    for (v, (k, _)) in xs.iter().zip(kx.iter()) {
        if let Some(pos) = remaining.iter().position(|r| *r == k) {
            remaining.swap_remove(pos);
        } else {
            out.push(show(side, v, &path.child(PathStep::Index(0))));
        }
    }
    out.sort();
    out
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

/// A canonical text of a normalised value, for multiset comparison.
fn canon(side: &Side<'_>, v: &Value, out: &mut String, unknown: &mut bool) {
    match v {
        Value::Unknown => *unknown = true,
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
                out.push_str(k);
                out.push(':');
                canon(side, x, out, unknown);
                out.push(',');
            }
            out.push('}');
        }
        _ => out.push_str(&side.ctx.leaf(v).canonical()),
    }
}

/// How a value is shown to a reader: references as the logical address, secrets as
/// `(sensitive)`, everything else as written, shortened when long.
pub fn show(side: &Side<'_>, v: &Value, path: &AttrPath) -> String {
    let mut s = String::new();
    render(side, v, path, &mut s, true);
    if s.chars().count() > MAX_DISPLAY {
        let cut: String = s.chars().take(MAX_DISPLAY - 1).collect();
        return format!("{cut}…");
    }
    s
}

fn render(side: &Side<'_>, v: &Value, path: &AttrPath, out: &mut String, top: bool) {
    if is_sensitive(side.res, path) {
        out.push_str(SENSITIVE);
        return;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Unknown => out.push_str("(known after apply)"),
        Value::Ref(a) => match side.ctx.env.position(a) {
            Some(_) => out.push_str(&a.to_string()),
            None => out.push_str("(known after apply)"),
        },
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Num(n) => out.push_str(&n.to_string()),
        Value::Str(s) => match side.ctx.resolve(s) {
            Some(i) => out.push_str(&side.ctx.env.resources[i].address.to_string()),
            None if top => out.push_str(s),
            None => out.push_str(&serde_json::Value::from(s.as_ref()).to_string()),
        },
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
    use crate::model::{Address, Environment, Source, SourceKind};

    fn env(name: &str, resources: &[(&str, &str)]) -> Environment {
        let rs = resources
            .iter()
            .map(|(a, attrs)| {
                Resource::new(
                    Address::parse(a).unwrap(),
                    serde_json::from_str(attrs).unwrap(),
                )
            })
            .collect();
        Environment::new(
            name.into(),
            Source {
                kind: SourceKind::State,
                path: "p".into(),
            },
            rs,
        )
        .unwrap()
    }

    /// Diffs `aws_x.t` between two environments that also hold `common`.
    fn run(common_a: &[(&str, &str)], a: &str, common_b: &[(&str, &str)], b: &str) -> Vec<String> {
        let mut ra = common_a.to_vec();
        ra.push(("aws_x.t", a));
        let mut rb = common_b.to_vec();
        rb.push(("aws_x.t", b));
        let (ea, eb) = (env("prod", &ra), env("staging", &rb));
        let (ca, cb) = (Context::new(&ea), Context::new(&eb));
        let t = Address::parse("aws_x.t").unwrap();
        let sa = Side {
            ctx: &ca,
            res: ea.get(&t).unwrap(),
        };
        let sb = Side {
            ctx: &cb,
            res: eb.get(&t).unwrap(),
        };
        diff(&sa, &sb)
            .iter()
            .map(|d| {
                let mut s = format!("{}: {} | {}", d.path, d.left, d.right);
                if d.reference {
                    s.push_str(" (ref)");
                }
                if !d.only_left.is_empty() || !d.only_right.is_empty() {
                    s.push_str(&format!(" -{:?} +{:?}", d.only_left, d.only_right));
                }
                s
            })
            .collect()
    }

    const NETS_A: &[(&str, &str)] = &[
        (
            "aws_vpc.main",
            r#"{"id":"vpc-0aaa0001","cidr_block":"10.0.0.0/16"}"#,
        ),
        ("aws_subnet.a", r#"{"id":"subnet-0aaa0001"}"#),
        ("aws_subnet.b", r#"{"id":"subnet-0aaa0002"}"#),
    ];
    const NETS_B: &[(&str, &str)] = &[
        (
            "aws_vpc.main",
            r#"{"id":"vpc-0bbb0001","cidr_block":"10.1.0.0/16"}"#,
        ),
        ("aws_subnet.a", r#"{"id":"subnet-0bbb0001"}"#),
        ("aws_subnet.b", r#"{"id":"subnet-0bbb0002"}"#),
    ];

    #[test]
    fn by_design_differences_vanish() {
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
                r#"{"u":"(unknown)","v":"a"}"#,
                r#"{"u":"(unknown)","v":"a"}"#,
            ),
        ] {
            assert_eq!(
                run(NETS_A, a, NETS_B, b),
                Vec::<String>::new(),
                "{a} vs {b}"
            );
        }
    }

    #[test]
    fn real_differences_remain() {
        for (a, b, want) in [
            (r#"{"ttl":300}"#, r#"{"ttl":60}"#, vec!["ttl: 300 | 60"]),
            (
                r#"{"vpc_id":"vpc-0aaa0001"}"#,
                r#"{"vpc_id":"vpc-0fff0009"}"#,
                vec!["vpc_id: aws_vpc.main | vpc-0fff0009 (ref)"],
            ),
            (
                r#"{"s":"subnet-0aaa0001"}"#,
                r#"{"s":"subnet-0bbb0002"}"#,
                vec!["s: aws_subnet.a | aws_subnet.b (ref)"],
            ),
            (
                r#"{"cidr":"10.0.4.0/24"}"#,
                r#"{"cidr":"10.1.5.0/24"}"#,
                vec!["cidr: 10.0.4.0/24 | 10.1.5.0/24"],
            ),
            (
                r#"{"cidr":"10.0.0.0/16"}"#,
                r#"{"cidr":"10.0.0.0/16"}"#,
                vec!["cidr: 10.0.0.0/16 | 10.0.0.0/16"],
            ),
            (
                r#"{"name":"prod-web"}"#,
                r#"{"name":"prod-web2"}"#,
                vec!["name: prod-web | prod-web2"],
            ),
            (r#"{"x":"a"}"#, r#"{}"#, vec!["x: a | (absent)"]),
            (
                r#"{"ingress":[{"from_port":443,"cidr_blocks":["0.0.0.0/0"]}]}"#,
                r#"{"ingress":[{"from_port":443,"cidr_blocks":["0.0.0.0/0"]},{"from_port":22,"cidr_blocks":["0.0.0.0/0"]}]}"#,
                vec![
                    r#"ingress: [{cidr_blocks = ["0.0.0.0/0"], from_port = 443}] | [{cidr_blocks = ["0.0.0.0/0"], from_port = 443}, {cidr_blocks = ["0.0.0.0/0"], from_port = 22}] -[] +["{cidr_blocks = [\"0.0.0.0/0\"], from_port = 22}"]"#,
                ],
            ),
            (
                r#"{"b":[{"enabled":true}]}"#,
                r#"{"b":[{"enabled":false}]}"#,
                vec!["b[0].enabled: true | false"],
            ),
            (
                r#"{"tags":{"Team":"a"}}"#,
                r#"{"tags":{"Team":"b"}}"#,
                vec![r#"tags["Team"]: a | b"#],
            ),
        ] {
            assert_eq!(run(NETS_A, a, NETS_B, b), want, "{a} vs {b}");
        }
    }

    #[test]
    fn secrets_never_shown() {
        let got = run(
            NETS_A,
            r#"{"master_password":"hunter2","env":{"DB_TOKEN":"abc"}}"#,
            NETS_B,
            r#"{"master_password":"swordfish","env":{"DB_TOKEN":"xyz"}}"#,
        );
        assert_eq!(
            got,
            [
                r#"env["DB_TOKEN"]: (sensitive) | (sensitive)"#,
                "master_password: (sensitive) | (sensitive)"
            ]
        );
        // equal secrets are not a difference
        assert!(run(
            NETS_A,
            r#"{"password":"same"}"#,
            NETS_B,
            r#"{"password":"same"}"#
        )
        .is_empty());
    }
}
