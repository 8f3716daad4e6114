//! One resource instance as every source produces it: logical address, provider,
//! attributes in the provider's schema shape, which attribute paths are sensitive, and
//! the config addresses it depended on. Pure data.

use super::address::Address;
use super::value::Value;
use std::fmt;

/// One step into an attribute value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathStep {
    Attr(Box<str>),
    Index(i64),
    Key(Box<str>),
}

/// A path into a resource's attributes, e.g. `route[0].gateway_id` or `tags["Name"]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttrPath(pub Vec<PathStep>);

impl AttrPath {
    pub fn root() -> AttrPath {
        AttrPath(Vec::new())
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn child(&self, step: PathStep) -> AttrPath {
        let mut v = self.0.clone();
        v.push(step);
        AttrPath(v)
    }

    /// True when `self` equals `other` or lies inside it.
    pub fn starts_with(&self, other: &AttrPath) -> bool {
        self.0.len() >= other.0.len() && self.0[..other.0.len()] == other.0[..]
    }

    /// The first attribute name on the path.
    pub fn top(&self) -> Option<&str> {
        match self.0.first() {
            Some(PathStep::Attr(a)) => Some(a),
            _ => None,
        }
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attr(a) if i == 0 => write!(f, "{a}")?,
                PathStep::Attr(a) => write!(f, ".{a}")?,
                PathStep::Index(n) => write!(f, "[{n}]")?,
                PathStep::Key(k) => write!(f, "[{}]", serde_json::Value::from(k.as_ref()))?,
            }
        }
        Ok(())
    }
}

/// A resource instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub address: Address,
    /// Provider source as `namespace/type` (`hashicorp/aws`; `-/aws` for legacy
    /// un-namespaced states); empty when the source did not say.
    pub provider: Box<str>,
    /// The attribute object (`Value::Object`), possibly empty.
    pub attributes: Value,
    /// Attribute paths marked sensitive by the source.
    pub sensitive: Vec<AttrPath>,
    /// Config addresses (no instance keys) this instance depended on.
    pub dependencies: Vec<Address>,
    pub tainted: bool,
}

impl Resource {
    pub fn new(address: Address, attributes: Value) -> Resource {
        Resource {
            address,
            provider: "".into(),
            attributes,
            sensitive: Vec::new(),
            dependencies: Vec::new(),
            tainted: false,
        }
    }
}

/// Turns a provider configuration address or FQN into `namespace/type`:
/// `provider["registry.terraform.io/hashicorp/aws"].west` → `hashicorp/aws`,
/// `provider.aws` → `-/aws`, `registry.opentofu.org/hashicorp/aws` → `hashicorp/aws`.
pub fn provider_source(s: &str) -> Box<str> {
    let open = "provider[\"";
    let inner = match (s.find(open), s.rfind("\"]")) {
        (Some(a), Some(b)) if b >= a + open.len() => &s[a + open.len()..b],
        _ => {
            if let Some(i) = s.find("provider.") {
                let rest = &s[i + "provider.".len()..];
                let ty = rest.split('.').next().unwrap_or(rest);
                return format!("-/{ty}").into();
            }
            s
        }
    };
    let parts: Vec<&str> = inner.split('/').collect();
    match parts.as_slice() {
        [.., ns, ty] => format!("{ns}/{ty}").into(),
        [ty] if !ty.is_empty() => format!("-/{ty}").into(),
        _ => "".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_sources() {
        for (input, want) in [
            (
                r#"provider["registry.terraform.io/hashicorp/aws"]"#,
                "hashicorp/aws",
            ),
            (
                r#"provider["registry.terraform.io/hashicorp/aws"].west"#,
                "hashicorp/aws",
            ),
            (
                r#"module.net.provider["registry.opentofu.org/hashicorp/google"]"#,
                "hashicorp/google",
            ),
            ("provider.aws", "-/aws"),
            ("provider.aws.west", "-/aws"),
            ("module.x.provider.azurerm", "-/azurerm"),
            ("registry.terraform.io/hashicorp/aws", "hashicorp/aws"),
            ("", ""),
            // malformed: no panic, nothing useful
            ("provider[\"]", "-/provider[\"]"),
            ("provider[\"\"]", ""),
        ] {
            assert_eq!(&*provider_source(input), want, "{input}");
        }
    }

    #[test]
    fn attr_path_prints_terraform_style() {
        let p = AttrPath(vec![
            PathStep::Attr("route".into()),
            PathStep::Index(0),
            PathStep::Attr("tags".into()),
            PathStep::Key("Na\"me".into()),
        ]);
        assert_eq!(p.to_string(), r#"route[0].tags["Na\"me"]"#);
        assert_eq!(p.top(), Some("route"));
        assert!(p.starts_with(&AttrPath(vec![PathStep::Attr("route".into())])));
    }
}
