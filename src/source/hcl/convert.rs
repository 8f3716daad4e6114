//! One evaluated resource instance as the model's [`Resource`]: attributes in state's
//! shape, the paths of sensitive parts, and the resources it refers to. Values known
//! only after apply become unknown, or references when they are another resource's
//! identifier.

use crate::model::{Address, AttrPath, Derived, Num, PathStep, Resource, Value};
use tfparity_hcl::value::Origin;
use tfparity_hcl::{ResourceInstance, V};

/// One resource instance as the model has it.
pub fn resource(i: ResourceInstance<'_>) -> Resource {
    let mut sensitive = Vec::new();
    let entries: Vec<(Box<str>, Value)> = i
        .entries()
        .map(|(k, v)| (k.into(), attribute_to_model(k, v, &mut sensitive)))
        .collect();
    let mut res = Resource::new(i.address.clone(), Value::object(entries));
    res.sensitive = sensitive;
    res.provider = provider_of(i.rtype).into();
    res.dependencies = i.deps.iter().cloned().collect();
    res
}

/// `hashicorp/aws` for `aws_vpc`: the provider a type's prefix names.
fn provider_of(rtype: &str) -> String {
    let prefix = rtype.split('_').next().unwrap_or(rtype);
    format!("hashicorp/{prefix}")
}

/// A step of the path to a value being converted, borrowed from the value: made into a
/// model path only for sensitive parts.
#[derive(Clone, Copy)]
enum Step<'v> {
    Attr(&'v str),
    Key(&'v str),
    Index(usize),
}

/// An attribute's evaluated value as a model value; the paths of sensitive parts are
/// added to `sensitive`.
fn attribute_to_model(name: &str, v: &V, sensitive: &mut Vec<AttrPath>) -> Value {
    to_model(v, &mut vec![Step::Attr(name)], sensitive)
}

/// An evaluated value as a model value; the paths of sensitive parts are added to
/// `sensitive` (`path` is where `v` is, extended and restored while descending).
fn to_model<'v>(v: &'v V, path: &mut Vec<Step<'v>>, sensitive: &mut Vec<AttrPath>) -> Value {
    match v {
        V::Null => Value::Null,
        V::Bool(b) => Value::Bool(*b),
        V::Num(n) => Value::Num(if n.fract() == 0.0 && n.abs() < 9.0e15 {
            Num::Int(*n as i64)
        } else {
            Num::Float(*n)
        }),
        V::Str(s) => Value::Str(s.as_str().into()),
        V::List(l) | V::Set(l) => Value::List(
            l.iter()
                .enumerate()
                .map(|(i, x)| {
                    path.push(Step::Index(i));
                    let out = to_model(x, path, sensitive);
                    path.pop();
                    out
                })
                .collect(),
        ),
        V::Map(m) => Value::object(
            m.iter()
                .filter(|(k, _)| k.as_str() != tfparity_hcl::eval::RESOURCE_MARK)
                .map(|(k, x)| {
                    path.push(Step::Key(k));
                    let out = to_model(x, path, sensitive);
                    path.pop();
                    (k.as_str().into(), out)
                })
                .collect(),
        ),
        V::Unknown(Some(o)) => match &**o {
            Origin::Id(a) => match Address::parse(a) {
                Ok(addr) => Value::Ref(Box::new(addr)),
                Err(_) => Value::Unknown(None),
            },
            Origin::Attr(a, attr) => match Address::parse(a) {
                Ok(address) => Value::Unknown(Some(Box::new(Derived {
                    address,
                    attr: attr.clone(),
                }))),
                Err(_) => Value::Unknown(None),
            },
        },
        V::Unknown(None) => Value::Unknown(None),
        V::Sensitive(inner) => {
            sensitive.push(AttrPath(
                path.iter()
                    .map(|s| match *s {
                        Step::Attr(a) => PathStep::Attr(a.into()),
                        Step::Key(k) => PathStep::Key(k.into()),
                        Step::Index(i) => PathStep::Index(i as i64),
                    })
                    .collect(),
            ));
            to_model(inner, path, sensitive)
        }
    }
}
