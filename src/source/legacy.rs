//! State formats 1–3 (Terraform ≤ 0.11): `modules[]` with flatmap attributes, upgraded
//! the way Terraform's v3→v4 upgrade does (module path without keys, `type.name.N` keys,
//! deposed objects and legacy `depends_on` dropped), then the flatmap is unfolded into
//! nested values so that it lines up with v4 objects of the same infrastructure.

use crate::model::resource::provider_source;
use crate::model::{Address, Key, Mode, ModuleStep, Resource, Value};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
pub struct ModuleV3 {
    #[serde(default)]
    pub path: Vec<String>,
    #[serde(default)]
    pub resources: BTreeMap<String, ResourceV3>,
}

#[derive(Debug, Deserialize)]
pub struct ResourceV3 {
    #[serde(rename = "type", default)]
    pub rtype: Option<String>,
    #[serde(default)]
    pub primary: Option<InstanceV3>,
    #[serde(default)]
    pub provider: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct InstanceV3 {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub tainted: Option<bool>,
}

/// Converts legacy modules to resources.
pub fn convert(modules: Vec<ModuleV3>) -> Result<Vec<Resource>, String> {
    let mut out = Vec::new();
    for m in modules {
        let module: Vec<ModuleStep> = m
            .path
            .iter()
            .skip(1) // "root"
            .map(|name| ModuleStep {
                name: name.clone(),
                key: None,
            })
            .collect();
        for (key, r) in m.resources {
            let Some(primary) = r.primary else { continue };
            let (mode, rtype, name, index) = split_key(&key).ok_or_else(|| {
                format!(
                    "resource key `{}` is not of the form type.name[.N]",
                    key.escape_debug()
                )
            })?;
            if let Some(t) = &r.rtype {
                if t != rtype {
                    return Err(format!(
                        "resource `{}` has type `{}`",
                        key.escape_debug(),
                        t.escape_debug()
                    ));
                }
            }
            let mut flat = primary.attributes;
            if let Some(id) = primary.id {
                flat.entry("id".to_string()).or_insert(id);
            }
            let mut res = Resource::new(
                Address {
                    module: module.clone(),
                    mode,
                    rtype: rtype.to_string(),
                    name: name.to_string(),
                    key: index.map(Key::Int),
                },
                unflatten(&flat),
            );
            res.provider = r
                .provider
                .as_deref()
                .map(provider_source)
                .unwrap_or_default();
            res.tainted = primary.tainted.unwrap_or(false);
            out.push(res);
        }
    }
    Ok(out)
}

/// `aws_instance.web`, `aws_instance.web.1`, `data.aws_ami.x`, `data.aws_ami.x.0`.
fn split_key(key: &str) -> Option<(Mode, &str, &str, Option<i64>)> {
    let (mode, rest) = match key.strip_prefix("data.") {
        Some(r) => (Mode::Data, r),
        None => (Mode::Managed, key),
    };
    let parts: Vec<&str> = rest.split('.').collect();
    match parts.as_slice() {
        [t, n] if !t.is_empty() && !n.is_empty() => Some((mode, t, n, None)),
        [t, n, i] if !t.is_empty() && !n.is_empty() => Some((mode, t, n, Some(i.parse().ok()?))),
        _ => None,
    }
}

/// Unfolds a flatmap (`tags.%`, `ingress.#`, `ingress.1234.from_port`) into a nested
/// value. Lists and sets become lists (set elements ordered by their hash), maps and
/// nested blocks objects; leaves stay strings, as the flatmap holds them.
pub fn unflatten(flat: &BTreeMap<String, String>) -> Value {
    let items: Vec<(&str, &str)> = flat.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    build_object(&items, 0)
}

/// Deeper than this, the rest of a flatmap key is kept as one key: real schemas nest a
/// handful of levels, and a hostile key with thousands of dots must not exhaust the stack.
const MAX_DEPTH: usize = 32;

fn first_segment(key: &str) -> (&str, Option<&str>) {
    match key.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (key, None),
    }
}

/// A first key segment, the value stored at exactly that key, and the items below it.
type Group<'a> = (&'a str, Option<&'a str>, Vec<(&'a str, &'a str)>);

/// Groups items by first segment, keeping input (sorted) order.
fn group<'a>(items: &[(&'a str, &'a str)]) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for &(k, v) in items {
        let (seg, rest) = first_segment(k);
        let i = *index.entry(seg).or_insert_with(|| {
            groups.push((seg, None, Vec::new()));
            groups.len() - 1
        });
        match rest {
            None => groups[i].1 = Some(v),
            Some(r) => groups[i].2.push((r, v)),
        }
    }
    groups
}

fn build_node(leaf: Option<&str>, sub: &[(&str, &str)], depth: usize) -> Value {
    if sub.is_empty() {
        return leaf.map(Value::str).unwrap_or_default();
    }
    if let Some(&(_, count)) = sub.iter().find(|(k, _)| *k == "#") {
        let rest: Vec<(&str, &str)> = sub.iter().copied().filter(|(k, _)| *k != "#").collect();
        return build_list(&rest, count, depth + 1);
    }
    if let Some(&(_, count)) = sub.iter().find(|(k, _)| *k == "%") {
        let rest: Vec<(&str, &str)> = sub.iter().copied().filter(|(k, _)| *k != "%").collect();
        // A map of primitives: keys may contain dots, so take the whole remainder.
        if count.parse::<usize>().ok() == Some(rest.len()) {
            return Value::object(
                rest.iter()
                    .map(|(k, v)| (Box::from(*k), Value::str(v)))
                    .collect(),
            );
        }
        return build_object(&rest, depth + 1);
    }
    build_object(sub, depth + 1)
}

fn build_object(items: &[(&str, &str)], depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::object(
            items
                .iter()
                .map(|(k, v)| (Box::from(*k), Value::str(v)))
                .collect(),
        );
    }
    Value::object(
        group(items)
            .into_iter()
            .map(|(seg, leaf, sub)| (Box::from(seg), build_node(leaf, &sub, depth)))
            .collect(),
    )
}

fn build_list(items: &[(&str, &str)], _count: &str, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::List(items.iter().map(|(_, v)| Value::str(v)).collect());
    }
    let mut groups = group(items);
    // State format 1 counted maps with `#` too: keys that are not numbers make a map.
    if groups.iter().any(|(seg, _, _)| seg.parse::<u64>().is_err()) {
        return build_object(items, depth + 1);
    }
    // List indexes and set hashes are both numbers: order numerically.
    groups.sort_by_key(|(seg, _, _)| seg.parse::<u64>().unwrap_or(u64::MAX));
    Value::List(
        groups
            .into_iter()
            .map(|(_, leaf, sub)| build_node(leaf, &sub, depth))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn unflattens() {
        for (input, want) in [
            (
                vec![("id", "x"), ("port", "443")],
                r#"{"id":"x","port":"443"}"#,
            ),
            (
                vec![
                    ("tags.%", "2"),
                    ("tags.Name", "a"),
                    ("tags.k8s.io/role", "b"),
                ],
                r#"{"tags":{"Name":"a","k8s.io/role":"b"}}"#,
            ),
            (
                vec![("cidr.#", "2"), ("cidr.1", "b"), ("cidr.0", "a")],
                r#"{"cidr":["a","b"]}"#,
            ),
            (vec![("cidr.#", "0")], r#"{"cidr":[]}"#),
            (
                vec![
                    ("ingress.#", "2"),
                    ("ingress.99.from_port", "22"),
                    ("ingress.99.cidr_blocks.#", "1"),
                    ("ingress.99.cidr_blocks.0", "0.0.0.0/0"),
                    ("ingress.1234.from_port", "443"),
                    ("ingress.1234.cidr_blocks.#", "0"),
                ],
                r#"{"ingress":[{"cidr_blocks":["0.0.0.0/0"],"from_port":"22"},{"cidr_blocks":[],"from_port":"443"}]}"#,
            ),
            (
                vec![("m.%", "1"), ("m.a.x", "1"), ("m.a.y", "2")],
                r#"{"m":{"a":{"x":"1","y":"2"}}}"#,
            ),
            // version 1 counted maps with `#`
            (
                vec![("triggers.#", "1"), ("triggers.name", "x")],
                r#"{"triggers":{"name":"x"}}"#,
            ),
        ] {
            assert_eq!(unflatten(&flat(&input)).to_json(), want);
        }
    }

    #[test]
    fn deep_keys_do_not_exhaust_the_stack() {
        let key = vec!["a"; 20_000].join(".");
        let v = unflatten(&flat(&[(key.as_str(), "x")]));
        assert!(matches!(v, Value::Object(_)));
    }

    #[test]
    fn splits_keys() {
        assert_eq!(
            split_key("aws_x.y"),
            Some((Mode::Managed, "aws_x", "y", None))
        );
        assert_eq!(
            split_key("aws_x.y.3"),
            Some((Mode::Managed, "aws_x", "y", Some(3)))
        );
        assert_eq!(
            split_key("data.aws_x.y.0"),
            Some((Mode::Data, "aws_x", "y", Some(0)))
        );
        assert_eq!(split_key("aws_x"), None);
        assert_eq!(split_key("aws_x.y.z"), None);
    }

    #[test]
    fn converts_modules() -> crate::TestResult {
        let ms: Vec<ModuleV3> = serde_json::from_str(
            r#"[{"path":["root","net"],"resources":{"aws_vpc.v.1":{"type":"aws_vpc","primary":{"id":"vpc-1","attributes":{"cidr_block":"10.0.0.0/16"}},"provider":"provider.aws"}}}]"#,
        )?;
        let rs = convert(ms)?;
        assert_eq!(rs[0].address.to_string(), "module.net.aws_vpc.v[1]");
        assert_eq!(
            rs[0].attributes.to_json(),
            r#"{"cidr_block":"10.0.0.0/16","id":"vpc-1"}"#
        );
        assert_eq!(&*rs[0].provider, "-/aws");
        Ok(())
    }
}
