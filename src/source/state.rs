//! Raw state files, format version 4 (`terraform.tfstate`, `terraform state pull`):
//! typed serde structs and their conversion into model resources. Never judges values.

use crate::model::address::parse_module_path;
use crate::model::resource::provider_source;
use crate::model::{Address, AttrPath, Key, Mode, PathStep, Resource, Value};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ResourceV4 {
    #[serde(default)]
    pub module: Option<String>,
    pub mode: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub name: String,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub instances: Vec<InstanceV4>,
}

#[derive(Debug, Deserialize)]
pub struct InstanceV4 {
    #[serde(default)]
    pub index_key: Option<IndexKey>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub deposed: Option<String>,
    #[serde(default)]
    pub attributes: Option<Value>,
    #[serde(default)]
    pub attributes_flat: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    pub sensitive_attributes: Option<Vec<Vec<SensitiveStep>>>,
    #[serde(default)]
    pub dependencies: Option<Vec<String>>,
    /// OpenTofu's per-instance provider for `for_each`'d provider configs.
    #[serde(default)]
    pub provider: Option<String>,
}

/// `index_key` / show-json `index`: an integer for `count`, a string for `for_each`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum IndexKey {
    Int(i64),
    Str(String),
}

impl From<IndexKey> for Key {
    fn from(k: IndexKey) -> Key {
        match k {
            IndexKey::Int(i) => Key::Int(i),
            IndexKey::Str(s) => Key::Str(s),
        }
    }
}

/// One step of a `sensitive_attributes` path.
#[derive(Debug, Deserialize)]
pub struct SensitiveStep {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: Value,
}

/// Parses a `mode` field.
pub fn parse_mode(mode: &str) -> Result<Mode, String> {
    match mode {
        "managed" => Ok(Mode::Managed),
        "data" => Ok(Mode::Data),
        "ephemeral" => Ok(Mode::Ephemeral),
        _ => Err(
            "unknown resource mode (expected \"managed\", \"data\" or \"ephemeral\")".to_string(),
        ),
    }
}

/// Converts v4 resources into model resources. Deposed objects (older generations kept
/// by create-before-destroy) are skipped: the current object is the environment.
pub fn convert(resources: Vec<ResourceV4>) -> Result<Vec<Resource>, String> {
    let mut out = Vec::with_capacity(resources.iter().map(|r| r.instances.len()).sum());
    for r in resources {
        let module = match &r.module {
            Some(m) if !m.is_empty() => parse_module_path(m)
                .map_err(|e| format!("resource {}.{}: module path: {e}", r.rtype, r.name))?,
            _ => Vec::new(),
        };
        let mode = parse_mode(&r.mode)?;
        let provider = r
            .provider
            .as_deref()
            .map(provider_source)
            .unwrap_or_default();
        for inst in r.instances {
            if inst.deposed.is_some() {
                continue;
            }
            let address = Address {
                module: module.clone(),
                mode,
                rtype: r.rtype.clone(),
                name: r.name.clone(),
                key: inst.index_key.map(Key::from),
            };
            if let Some(status) = inst.status.as_deref() {
                if status != "tainted" {
                    return Err(format!(
                        "{address}: unknown instance status `{}`",
                        status.escape_debug()
                    ));
                }
            }
            let attributes = match (inst.attributes, inst.attributes_flat) {
                (Some(v @ Value::Object(_)), _) => v,
                (Some(Value::Null) | None, Some(flat)) => super::legacy::unflatten(&flat),
                (Some(Value::Null) | None, None) => Value::object(Vec::new()),
                (Some(_), _) => return Err(format!("{address}: `attributes` is not an object")),
            };
            let sensitive = inst
                .sensitive_attributes
                .unwrap_or_default()
                .into_iter()
                .map(|steps| sensitive_path(&steps))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{address}: sensitive_attributes: {e}"))?;
            let dependencies = inst
                .dependencies
                .unwrap_or_default()
                .iter()
                .filter_map(|d| Address::parse(d).ok())
                .collect();
            let provider = match inst.provider.as_deref() {
                Some(p) => provider_source(p),
                None => provider.clone(),
            };
            out.push(Resource {
                tainted: inst.status.is_some(),
                address,
                provider,
                attributes,
                sensitive,
                dependencies,
            });
        }
    }
    Ok(out)
}

fn sensitive_path(steps: &[SensitiveStep]) -> Result<AttrPath, String> {
    let mut path = Vec::with_capacity(steps.len());
    for s in steps {
        let step = match (s.kind.as_str(), &s.value) {
            ("get_attr", Value::Str(name)) => PathStep::Attr(name.clone()),
            ("index", Value::Object(_)) => match s.value.get("value") {
                Some(Value::Num(n)) => PathStep::Index(n.as_i64().unwrap_or(0)),
                Some(Value::Str(k)) => PathStep::Key(k.clone()),
                // An index we cannot name (a set element): the whole collection is
                // treated as sensitive, which errs on the safe side.
                _ => break,
            },
            _ => return Err("unrecognised path step".into()),
        };
        path.push(step);
    }
    Ok(AttrPath(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> crate::TestResult<Vec<Resource>> {
        let rs: Vec<ResourceV4> = serde_json::from_str(json)?;
        Ok(convert(rs)?)
    }

    #[test]
    fn instances_become_addressed_resources() -> crate::TestResult {
        let rs = parse(
            r#"[{"module":"module.net[\"eu\"]","mode":"managed","type":"aws_subnet","name":"p",
                "provider":"provider[\"registry.terraform.io/hashicorp/aws\"]",
                "instances":[
                  {"index_key":0,"attributes":{"id":"subnet-1"},"sensitive_attributes":[[{"type":"get_attr","value":"tags"},{"type":"index","value":{"value":"token","type":"string"}}]],"dependencies":["module.net.aws_vpc.v"]},
                  {"index_key":1,"status":"tainted","attributes":{"id":"subnet-2"}},
                  {"index_key":1,"deposed":"00000001","attributes":{"id":"subnet-old"}}]},
               {"mode":"data","type":"aws_ami","name":"u","instances":[{"attributes_flat":{"id":"ami-1","tags.%":"1","tags.a":"b"}}]}]"#,
        )?;
        let addrs: Vec<String> = rs.iter().map(|r| r.address.to_string()).collect();
        assert_eq!(
            addrs,
            [
                r#"module.net["eu"].aws_subnet.p[0]"#,
                r#"module.net["eu"].aws_subnet.p[1]"#,
                "data.aws_ami.u"
            ]
        );
        assert_eq!(&*rs[0].provider, "hashicorp/aws");
        assert_eq!(rs[0].sensitive[0].to_string(), r#"tags["token"]"#);
        assert_eq!(rs[0].dependencies[0].to_string(), "module.net.aws_vpc.v");
        assert!(rs[1].tainted);
        assert_eq!(
            rs[2].attributes.to_json(),
            r#"{"id":"ami-1","tags":{"a":"b"}}"#
        );
        Ok(())
    }

    #[test]
    fn bad_fields_are_errors() -> crate::TestResult {
        for json in [
            r#"[{"mode":"weird","type":"a","name":"b","instances":[{}]}]"#,
            r#"[{"mode":"managed","type":"a","name":"b","instances":[{"status":"odd"}]}]"#,
            r#"[{"mode":"managed","type":"a","name":"b","instances":[{"attributes":[1]}]}]"#,
            r#"[{"module":"modul.x","mode":"managed","type":"a","name":"b","instances":[{}]}]"#,
        ] {
            let rs: Vec<ResourceV4> = serde_json::from_str(json)?;
            assert!(convert(rs).is_err(), "{json}");
        }
        Ok(())
    }
}
