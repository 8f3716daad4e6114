//! `terraform show -json` documents: the state form (`values.root_module`) and the plan
//! form (`planned_values`, `resource_changes`, `prior_state`). The plan's environment is
//! its planned values, with leaves known only after apply marked unknown.

use super::state::{parse_mode, IndexKey};
use crate::model::resource::provider_source;
use crate::model::{Address, AttrPath, Key, PathStep, Resource, Value};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
pub struct Values {
    #[serde(default)]
    pub root_module: Option<Module>,
    #[serde(default)]
    pub outputs: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
pub struct Module {
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub resources: Vec<ShowResource>,
    #[serde(default)]
    pub child_modules: Vec<Module>,
}

#[derive(Debug, Deserialize)]
pub struct ShowResource {
    pub address: String,
    /// Absent in some hand-written plan fixtures: then taken from the address.
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub name: String,
    #[serde(default)]
    pub index: Option<IndexKey>,
    #[serde(default)]
    pub provider_name: Option<String>,
    #[serde(default)]
    pub values: Option<Value>,
    #[serde(default)]
    pub sensitive_values: Option<Value>,
    #[serde(default)]
    pub depends_on: Option<Vec<String>>,
    #[serde(default)]
    pub deposed_key: Option<String>,
    #[serde(default)]
    pub tainted: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct ResourceChange {
    pub address: String,
    #[serde(default)]
    pub deposed: Option<String>,
    #[serde(default)]
    pub change: Option<Change>,
}

/// The parts of a change we use; `before`/`after` are skipped without being stored.
#[derive(Debug, Deserialize)]
pub struct Change {
    #[serde(default)]
    pub after_unknown: Option<Value>,
    #[serde(default)]
    pub after_sensitive: Option<Value>,
}

/// A plan's `configuration`: only what resolves references of unknown values.
#[derive(Debug, Deserialize)]
pub struct Configuration {
    #[serde(default)]
    pub root_module: Option<ConfigModule>,
}

#[derive(Debug, Deserialize)]
pub struct ConfigModule {
    #[serde(default)]
    pub resources: Vec<ConfigResource>,
    #[serde(default)]
    pub module_calls: std::collections::BTreeMap<String, ModuleCall>,
}

#[derive(Debug, Deserialize)]
pub struct ModuleCall {
    #[serde(default)]
    pub module: Option<ConfigModule>,
}

#[derive(Debug, Deserialize)]
pub struct ConfigResource {
    pub address: String,
    #[serde(default)]
    pub expressions: Option<Value>,
}

/// Attributes of a referenced resource that are its identifier: only an unknown value
/// taken from one of these becomes a reference (`aws_eip.web.public_ip` stays unknown).
const IDENTIFIER_ATTRS: &[&str] = &["id", "arn", "self_link", "name", "zone_id", "dns_name"];

/// Reference roots that are not resources.
const NOT_RESOURCES: &[&str] = &[
    "var",
    "local",
    "module",
    "path",
    "terraform",
    "count",
    "each",
    "self",
];

/// Where the configuration says an attribute comes from another resource
/// (`vpc_id = aws_vpc.main.id`) and the plan does not know the value yet, the value
/// becomes a reference to that resource in the same module instance.
pub fn apply_configuration(resources: &mut [Resource], config: Configuration) {
    let mut exprs: HashMap<(String, String), Value> = HashMap::new();
    fn collect(m: ConfigModule, path: &str, exprs: &mut HashMap<(String, String), Value>) {
        for r in m.resources {
            if let Some(e) = r.expressions {
                exprs.insert((path.to_string(), r.address), e);
            }
        }
        for (name, call) in m.module_calls {
            if let Some(child) = call.module {
                let p = if path.is_empty() {
                    format!("module.{name}")
                } else {
                    format!("{path}.module.{name}")
                };
                collect(child, &p, exprs);
            }
        }
    }
    if let Some(root) = config.root_module {
        collect(root, "", &mut exprs);
    }
    if exprs.is_empty() {
        return;
    }
    for r in resources.iter_mut() {
        let config = r.address.config();
        let module = crate::model::address::module_path_string(&config.module);
        let local = Address {
            module: Vec::new(),
            ..config
        }
        .to_string();
        let Some(e) = exprs.get(&(module, local)) else {
            continue;
        };
        let Value::Object(attrs) = &r.attributes else {
            continue;
        };
        let mut entries = attrs.to_vec();
        let mut changed = false;
        for (k, v) in entries.iter_mut() {
            if !matches!(v, Value::Unknown(_)) {
                continue;
            }
            let Some(refs) = e
                .get(k)
                .and_then(|x| x.get("references"))
                .and_then(Value::as_list)
            else {
                continue;
            };
            let strs: Vec<&str> = refs.iter().filter_map(Value::as_str).collect();
            // Every attribute read from a resource must be one of its identifiers.
            let reads_identifier = strs.iter().all(|s| match s.rsplit_once('.') {
                Some((base, attr)) if Address::parse(base).is_ok() => {
                    IDENTIFIER_ATTRS.contains(&attr)
                }
                _ => true,
            });
            if !reads_identifier {
                continue;
            }
            let targets: Vec<Address> = strs
                .iter()
                .filter_map(|s| Address::parse(s).ok())
                .filter(|a| a.module.is_empty() && !NOT_RESOURCES.contains(&a.rtype.as_str()))
                .collect();
            let blocks: Vec<Address> = {
                let mut b: Vec<Address> = targets.iter().map(Address::block).collect();
                b.dedup();
                b
            };
            // One resource block referenced: prefer the keyed instance when given.
            if blocks.len() != 1 {
                continue;
            }
            let target = targets
                .iter()
                .find(|a| a.key.is_some())
                .unwrap_or(&targets[0]);
            let full = Address {
                module: r.address.module.clone(),
                ..target.clone()
            };
            *v = Value::Ref(Box::new(full));
            changed = true;
        }
        if changed {
            r.attributes = Value::object(entries);
        }
    }
}

/// Flattens a module tree into resources.
pub fn convert(values: Option<Values>) -> Result<Vec<Resource>, String> {
    let mut out = Vec::new();
    if let Some(root) = values.and_then(|v| v.root_module) {
        walk(root, "", &mut out)?;
    }
    Ok(out)
}

fn walk(module: Module, parent: &str, out: &mut Vec<Resource>) -> Result<(), String> {
    // Terraform 0.12.0 wrote child-module resource addresses relative to their module.
    let module_addr = module.address.clone().unwrap_or_else(|| parent.to_string());
    for r in module.resources {
        if r.deposed_key.is_some() {
            continue;
        }
        let full = if !module_addr.is_empty() && !r.address.starts_with("module.") {
            format!("{module_addr}.{}", r.address)
        } else {
            r.address.clone()
        };
        let mut address = Address::parse(&full)
            .map_err(|e| format!("resource address `{}`: {e}", full.escape_debug()))?;
        let mode = match &r.mode {
            Some(m) => parse_mode(m)?,
            None => address.mode,
        };
        if address.mode != mode || address.rtype != r.rtype || address.name != r.name {
            return Err(format!(
                "resource address `{}` does not match its mode, type and name",
                r.address.escape_debug()
            ));
        }
        if address.key.is_none() {
            address.key = r.index.map(Key::from);
        }
        let attributes = match r.values {
            Some(v @ Value::Object(_)) => v,
            None | Some(Value::Null) => Value::object(Vec::new()),
            Some(_) => return Err(format!("{address}: `values` is not an object")),
        };
        let mut sensitive = Vec::new();
        if let Some(mirror) = &r.sensitive_values {
            mirror_paths(mirror, &mut AttrPath::root(), &mut sensitive);
        }
        out.push(Resource {
            provider: r
                .provider_name
                .as_deref()
                .map(provider_source)
                .unwrap_or_default(),
            attributes,
            sensitive,
            dependencies: r
                .depends_on
                .unwrap_or_default()
                .iter()
                .filter_map(|d| Address::parse(d).ok())
                .collect(),
            tainted: r.tainted.unwrap_or(false),
            address,
        });
    }
    for child in module.child_modules {
        walk(child, &module_addr, out)?;
    }
    Ok(())
}

/// Collects the paths where a `sensitive_values`-shaped mirror holds `true`.
pub fn mirror_paths(mirror: &Value, at: &mut AttrPath, out: &mut Vec<AttrPath>) {
    match mirror {
        Value::Bool(true) => out.push(at.clone()),
        Value::Object(entries) => {
            for (k, v) in entries.iter() {
                at.0.push(if at.is_root() {
                    PathStep::Attr(k.clone())
                } else {
                    PathStep::Key(k.clone())
                });
                mirror_paths(v, at, out);
                at.0.pop();
            }
        }
        Value::List(items) => {
            for (i, v) in items.iter().enumerate() {
                at.0.push(PathStep::Index(i as i64));
                mirror_paths(v, at, out);
                at.0.pop();
            }
        }
        _ => {}
    }
}

/// Marks leaves known only after apply as [`Value::Unknown(_)`] and adds the plan's
/// `after_sensitive` paths, using each resource's change.
pub fn apply_changes(resources: &mut [Resource], changes: Vec<ResourceChange>) {
    let mut by_addr: HashMap<String, Change> = HashMap::new();
    for c in changes {
        if c.deposed.is_none() {
            if let Some(ch) = c.change {
                by_addr.insert(c.address, ch);
            }
        }
    }
    if by_addr.is_empty() {
        return;
    }
    for r in resources.iter_mut() {
        let Some(ch) = by_addr.remove(&r.address.to_string()) else {
            continue;
        };
        if let Some(unknown) = &ch.after_unknown {
            mark_unknown(&mut r.attributes, unknown);
        }
        if let Some(mirror) = &ch.after_sensitive {
            let mut paths = Vec::new();
            mirror_paths(mirror, &mut AttrPath::root(), &mut paths);
            r.sensitive.extend(paths);
            r.sensitive.sort();
            r.sensitive.dedup();
        }
    }
}

fn mark_unknown(value: &mut Value, mirror: &Value) {
    match mirror {
        Value::Bool(true) => *value = Value::Unknown(None),
        Value::Object(m) => {
            let mut entries: Vec<(Box<str>, Value)> = match std::mem::take(value) {
                Value::Object(e) => e.into_vec(),
                Value::Null => Vec::new(),
                other => {
                    *value = other;
                    return;
                }
            };
            for (k, sub) in m.iter() {
                let found = entries
                    .binary_search_by(|(ek, _)| ek.as_ref().cmp(k.as_ref()))
                    .ok();
                match found.map(|i| &mut entries[i]) {
                    Some((_, v)) => mark_unknown(v, sub),
                    None if contains_true(sub) => {
                        let mut v = Value::Null;
                        mark_unknown(&mut v, sub);
                        entries.push((k.clone(), v));
                    }
                    None => {}
                }
            }
            *value = Value::object(entries);
        }
        Value::List(m) => {
            if let Value::List(items) = value {
                for (v, sub) in items.iter_mut().zip(m.iter()) {
                    mark_unknown(v, sub);
                }
                // Elements the plan does not know at all are left out of the planned
                // values: they are unknown, not absent.
                if m.len() > items.len() {
                    let mut all = items.to_vec();
                    for sub in &m[items.len()..] {
                        let mut v = Value::Null;
                        mark_unknown(&mut v, sub);
                        if contains_true(sub) {
                            all.push(if v.is_null() { Value::Unknown(None) } else { v });
                        }
                    }
                    *items = all.into_boxed_slice();
                }
            } else if value.is_null() && contains_true(mirror) {
                *value = Value::Unknown(None);
            }
        }
        _ => {}
    }
}

fn contains_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::List(l) => l.iter().any(contains_true),
        Value::Object(e) => e.iter().any(|(_, v)| contains_true(v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_child_modules() -> crate::TestResult {
        let v: Values = serde_json::from_str(
            r#"{"root_module":{"resources":[{"address":"aws_vpc.v","mode":"managed","type":"aws_vpc","name":"v","provider_name":"registry.terraform.io/hashicorp/aws","values":{"id":"vpc-1","tags":{"t":"x"}},"sensitive_values":{"tags":{"t":true}}}],
                "child_modules":[{"address":"module.m[\"a\"]","resources":[{"address":"module.m[\"a\"].aws_subnet.s[0]","mode":"managed","type":"aws_subnet","name":"s","index":0,"values":{},"depends_on":["aws_vpc.v"]}]}]}}"#,
        )?;
        let rs = convert(Some(v))?;
        assert_eq!(
            rs[1].address.to_string(),
            r#"module.m["a"].aws_subnet.s[0]"#
        );
        assert_eq!(rs[0].sensitive[0].to_string(), r#"tags["t"]"#);
        assert_eq!(rs[1].dependencies.len(), 1);
        Ok(())
    }

    #[test]
    fn unknowns_from_changes() -> crate::TestResult {
        let mut rs = vec![Resource::new(
            Address::parse("aws_subnet.s")?,
            serde_json::from_str(r#"{"cidr_block":"10.0.0.0/24","tags":{"a":"b"},"l":[1,null]}"#)?,
        )];
        let changes: Vec<ResourceChange> = serde_json::from_str(
            r#"[{"address":"aws_subnet.s","change":{"actions":["create"],"before":null,"after":{},"after_unknown":{"id":true,"vpc_id":true,"tags":{},"l":[false,true]},"after_sensitive":{"password":true}}}]"#,
        )?;
        apply_changes(&mut rs, changes);
        assert_eq!(
            rs[0].attributes.to_json(),
            r#"{"cidr_block":"10.0.0.0/24","id":"(known after apply)","l":[1,"(known after apply)"],"tags":{"a":"b"},"vpc_id":"(known after apply)"}"#
        );
        assert_eq!(rs[0].sensitive[0].to_string(), "password");
        Ok(())
    }

    #[test]
    fn relative_child_addresses_of_terraform_0_12_0() -> crate::TestResult {
        let v: Values = serde_json::from_str(
            r#"{"root_module":{"resources":[{"address":"null_resource.foo","mode":"managed","type":"null_resource","name":"foo"}],
                "child_modules":[{"address":"module.foo","resources":[{"address":"null_resource.foo","mode":"managed","type":"null_resource","name":"foo"}]}]}}"#,
        )?;
        let rs = convert(Some(v))?;
        let got: Vec<String> = rs.iter().map(|r| r.address.to_string()).collect();
        assert_eq!(got, ["null_resource.foo", "module.foo.null_resource.foo"]);
        Ok(())
    }

    #[test]
    fn configuration_turns_unknowns_into_references() -> crate::TestResult {
        let mut rs = vec![Resource::new(
            Address::parse(r#"module.net["eu"].aws_subnet.s[0]"#)?,
            serde_json::from_str(r#"{"cidr_block":"10.0.0.0/24"}"#)?,
        )];
        let changes: Vec<ResourceChange> = serde_json::from_str(
            r#"[{"address":"module.net[\"eu\"].aws_subnet.s[0]","change":{"after_unknown":{"id":true,"vpc_id":true,"az":true,"multi":true}}}]"#,
        )?;
        apply_changes(&mut rs, changes);
        let config: Configuration = serde_json::from_str(
            r#"{"root_module":{"module_calls":{"net":{"module":{"resources":[{"address":"aws_subnet.s","expressions":{
                "vpc_id":{"references":["aws_vpc.v.id","aws_vpc.v"]},
                "az":{"references":["var.az"]},
                "multi":{"references":["aws_a.x.id","aws_a.x","aws_b.y.id","aws_b.y"]}}}]}}}}}"#,
        )?;
        apply_configuration(&mut rs, config);
        assert_eq!(
            rs[0].attributes.to_json(),
            r#"{"az":"(known after apply)","cidr_block":"10.0.0.0/24","id":"(known after apply)","multi":"(known after apply)","vpc_id":"${module.net[\"eu\"].aws_vpc.v}"}"#
        );
        Ok(())
    }

    #[test]
    fn mismatched_address_is_an_error() -> crate::TestResult {
        let v: Values = serde_json::from_str(
            r#"{"root_module":{"resources":[{"address":"aws_vpc.v","mode":"managed","type":"aws_subnet","name":"v"}]}}"#,
        )?;
        assert!(convert(Some(v)).is_err());
        Ok(())
    }
}
