//! Type constraints of `variable` blocks (`list(string)`, `object({ a = optional(number, 1) })`,
//! …) and the conversion of a value to one, as Terraform converts: numbers and bools to
//! strings and back, tuples to lists and sets, objects to maps, `optional()` attributes
//! filled with their defaults. Converts; never evaluates references.

use super::eval::{EResult, Eval, Frame, RESOURCE_MARK};
use super::expr::{Expr, Key, Kind};
use super::functions::unify_elements;
use super::value::V;
use std::collections::BTreeMap;

/// A type constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    /// Attribute → (type, optional, default when optional and absent).
    Object(BTreeMap<String, (Type, bool, Option<V>)>),
}

impl Type {
    /// Parses a type expression; `ev` evaluates `optional()` defaults.
    pub fn parse(e: &Expr, ev: &Eval<'_>) -> EResult<Type> {
        let bad = |what: &str| ev.err(e.span(), what.to_string());
        match &e.kind {
            Kind::Variable(v) => match &**v {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "any" => Ok(Type::Any),
                "list" => Ok(Type::List(Box::new(Type::Any))),
                "map" => Ok(Type::Map(Box::new(Type::Any))),
                "set" => Ok(Type::Set(Box::new(Type::Any))),
                other => Err(bad(&format!("Invalid type specification: the keyword \"{other}\" is not a valid type specification"))),
            },
            // Terraform 0.11's quoted keywords, still seen in older modules.
            Kind::String(s) => match &**s {
                "string" => Ok(Type::String),
                "list" => Ok(Type::List(Box::new(Type::Any))),
                "map" => Ok(Type::Map(Box::new(Type::Any))),
                _ => Err(bad("Invalid type specification: a type constraint is a keyword or constructor, not a quoted string")),
            },
            Kind::FuncCall(c) => {
                let args = &c.args[..];
                let one = |args: &[Expr]| -> EResult<Type> {
                    match args {
                        [a] => Type::parse(a, ev),
                        _ => Err(bad(&format!("Invalid type specification: {}() takes exactly one argument", c.name))),
                    }
                };
                match &*c.name {
                    "list" => Ok(Type::List(Box::new(one(args)?))),
                    "set" => Ok(Type::Set(Box::new(one(args)?))),
                    "map" => Ok(Type::Map(Box::new(one(args)?))),
                    "tuple" => match args {
                        [Expr { kind: Kind::Array(a), .. }] => Ok(Type::Tuple(
                            a.iter().map(|x| Type::parse(x, ev)).collect::<EResult<Vec<_>>>()?,
                        )),
                        _ => Err(bad("Invalid type specification: tuple() takes a list of element types")),
                    },
                    "object" => match args {
                        [Expr { kind: Kind::Object(o), .. }] => {
                            let mut attrs = BTreeMap::new();
                            for (k, v) in o.iter() {
                                let name = match k {
                                    Key::Name(n) => n.to_string(),
                                    Key::Expr(_) => return Err(bad("Invalid type specification: object attribute names must be names")),
                                };
                                attrs.insert(name, Type::attribute(v, ev)?);
                            }
                            Ok(Type::Object(attrs))
                        }
                        _ => Err(bad("Invalid type specification: object() takes an object of attribute types")),
                    },
                    "optional" => Err(bad("Invalid type specification: optional() may only be used for an object attribute")),
                    other => Err(bad(&format!("Invalid type specification: \"{other}\" is not a type constructor"))),
                }
            }
            _ => Err(bad("Invalid type specification: a type keyword or constructor is required")),
        }
    }

    /// An object attribute's type: `optional(T)` or `optional(T, default)` or a type.
    fn attribute(e: &Expr, ev: &Eval<'_>) -> EResult<(Type, bool, Option<V>)> {
        if let Kind::FuncCall(c) = &e.kind {
            if &*c.name == "optional" {
                return match &c.args[..] {
                    [t] => Ok((Type::parse(t, ev)?, true, None)),
                    [t, d] => {
                        let ty = Type::parse(t, ev)?;
                        let dv = ev.eval(d, &Frame::new())?;
                        let dv = convert(dv, &ty).map_err(|m| ev.err(d.span(), format!("Invalid default value for optional attribute: {m}")))?;
                        Ok((ty, true, Some(dv)))
                    }
                    _ => Err(ev.err(e.span(), "Invalid type specification: optional() takes a type and an optional default".to_string())),
                };
            }
        }
        Ok((Type::parse(e, ev)?, false, None))
    }
}

/// Converts `v` to type `t`; the message says why not. Unknown values convert to
/// anything; sensitive values stay sensitive.
pub fn convert(v: V, t: &Type) -> Result<V, String> {
    let (v, marked) = v.unmark();
    let out = convert_plain(v, t)?;
    Ok(out.mark(marked))
}

fn convert_plain(v: V, t: &Type) -> Result<V, String> {
    if v.is_unknown() || matches!(v, V::Null) {
        return Ok(v);
    }
    match t {
        Type::Any => Ok(v),
        Type::String => v
            .to_str()
            .map(V::Str)
            .ok_or_else(|| format!("string required, not {}", v.type_name())),
        Type::Number => v
            .to_num()
            .map(V::Num)
            .ok_or_else(|| format!("a number is required, not {}", describe(&v, "a number"))),
        Type::Bool => v
            .to_bool()
            .map(V::Bool)
            .ok_or_else(|| format!("a bool is required, not {}", describe(&v, "true or false"))),
        Type::List(e) | Type::Set(e) => {
            let items = match v {
                V::List(l) | V::Set(l) => l,
                other => {
                    return Err(format!(
                        "{} required, not {}",
                        if matches!(t, Type::List(_)) {
                            "list"
                        } else {
                            "set"
                        },
                        other.type_name()
                    ))
                }
            };
            let mut out = Vec::with_capacity(items.len());
            for (i, x) in items.into_iter().enumerate() {
                out.push(convert(x, e).map_err(|m| format!("element {i}: {m}"))?);
            }
            // `list(any)`: the elements take one type.
            if **e == Type::Any {
                out = one_type(out);
            }
            Ok(if matches!(t, Type::Set(_)) {
                V::set(out)
            } else {
                V::list(out)
            })
        }
        Type::Map(e) => {
            let V::Map(m) = v else {
                return Err(format!("map required, not {}", v.type_name()));
            };
            let mut out = BTreeMap::new();
            for (k, x) in m {
                let c = convert(x, e)
                    .map_err(|m| format!("element {}: {m}", crate::scrub::quote(&k)))?;
                out.insert(k, c);
            }
            // `map(any)`: the elements take one type.
            if **e == Type::Any {
                let (keys, values): (Vec<String>, Vec<V>) = out.into_iter().unzip();
                out = keys.into_iter().zip(one_type(values)).collect();
            }
            Ok(V::map(out))
        }
        Type::Tuple(ts) => {
            let items = match v {
                V::List(l) | V::Set(l) => l,
                other => return Err(format!("tuple required, not {}", other.type_name())),
            };
            if items.len() != ts.len() {
                return Err(format!(
                    "tuple required with {} elements, not {}",
                    ts.len(),
                    items.len()
                ));
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, (x, e)) in items.into_iter().zip(ts).enumerate() {
                out.push(convert(x, e).map_err(|m| format!("element {i}: {m}"))?);
            }
            Ok(V::list(out))
        }
        Type::Object(attrs) => {
            let V::Map(m) = v else {
                return Err(format!("object required, not {}", v.type_name()));
            };
            let mut m = m.into_map();
            let mut out = BTreeMap::new();
            for (name, (ty, optional, default)) in attrs {
                match m.remove(name) {
                    Some(V::Null) | None if *optional => {
                        let d = default.clone().unwrap_or(V::Null);
                        out.insert(name.clone(), d);
                    }
                    Some(x) => {
                        let c = convert(x, ty).map_err(|m| format!("attribute {name:?}: {m}"))?;
                        out.insert(name.clone(), c);
                    }
                    // A resource's object has every attribute of its schema: those its
                    // configuration does not set are the provider's to compute.
                    None => match m.get(crate::eval::RESOURCE_MARK) {
                        Some(mark) => {
                            out.insert(name.clone(), crate::eval::unset_attribute(mark, name));
                        }
                        None => return Err(format!("attribute {name:?} is required")),
                    },
                }
            }
            // Attributes the type does not declare are dropped, as Terraform drops them.
            Ok(V::map(out))
        }
    }
}

/// What a value that does not convert is, without showing it (it may be a secret).
/// The elements of a `list(any)`, `set(any)` or `map(any)` given their one type, as
/// Terraform gives it (`["a", 1]` is `["a", "1"]`). Left as they are: elements that hold
/// resource objects (those have only the attributes their configuration sets, where
/// Terraform's have every attribute of the schema, so their common type here is not
/// Terraform's), and elements with no common type (which Terraform refuses).
fn one_type(items: Vec<V>) -> Vec<V> {
    fn holds_resource(v: &V) -> bool {
        match v {
            V::Map(m) => m.contains_key(RESOURCE_MARK) || m.values().any(holds_resource),
            V::List(l) | V::Set(l) => l.iter().any(holds_resource),
            V::Sensitive(x) => holds_resource(x),
            _ => false,
        }
    }
    if items.iter().any(holds_resource) {
        return items;
    }
    unify_elements(items.clone()).unwrap_or(items)
}

fn describe(v: &V, wanted: &str) -> String {
    match v {
        V::Str(_) => format!("a string that is not {wanted}"),
        other => other.type_name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> crate::TestResult<Type> {
        let e = crate::expr::parse_expr(src)?;
        let scope = crate::eval::tests_support::NoScope::default();
        let ev = scope.eval_at("t.tf");
        Ok(Type::parse(&e, &ev).map_err(|e| e.what)?)
    }

    fn val(src: &str) -> crate::TestResult<V> {
        let e = crate::expr::parse_expr(src)?;
        let scope = crate::eval::tests_support::NoScope::default();
        Ok(scope
            .eval_at("t.tf")
            .eval(&e, &Frame::new())
            .map_err(|e| e.what)?)
    }

    #[test]
    fn conversions_to_declared_types() -> crate::TestResult {
        for (t, v, want) in [
            ("string", "5", "\"5\""),
            ("number", "\"12\"", "12"),
            ("bool", "\"true\"", "true"),
            ("list(string)", "[1, true]", "[\"1\", \"true\"]"),
            ("set(string)", "[\"b\", \"a\", \"b\"]", "[\"a\", \"b\"]"),
            ("map(number)", "{a = \"1\"}", "{\"a\" = 1}"),
            ("tuple([string, number])", "[1, \"2\"]", "[\"1\", 2]"),
            (
                "object({ name = string, port = optional(number, 443), tls = optional(bool) })",
                "{name = \"web\", extra = 1}",
                "{\"name\" = \"web\", \"port\" = 443, \"tls\" = null}",
            ),
            (
                "list(object({ cidr = string, public = optional(bool, false) }))",
                "[{cidr = \"10.0.0.0/24\"}, {cidr = \"10.0.1.0/24\", public = true}]",
                "[{\"cidr\" = \"10.0.0.0/24\", \"public\" = false}, {\"cidr\" = \"10.0.1.0/24\", \"public\" = true}]",
            ),
            ("any", "{a = [1]}", "{\"a\" = [1]}"),
            ("\"list\"", "[1]", "[1]"),
        ] {
            let got = convert(val(v)?, &ty(t)?)?;
            assert_eq!(got.to_string(), want, "{t} <- {v}");
        }
        Ok(())
    }

    #[test]
    fn any_elements_take_one_type_unless_they_are_resources() -> crate::TestResult {
        let list_any = ty("list(any)")?;
        let given = val(r#"["a", 1, true]"#)?;
        assert_eq!(
            convert(given, &list_any)?.to_string(),
            r#"["a", "1", "true"]"#
        );
        // Resource objects hold only the attributes their configuration sets: their
        // common type here is not Terraform's, so they stay as they are.
        let resource = |name: &str, attr: (&str, V)| {
            V::map(BTreeMap::from([
                (RESOURCE_MARK.to_string(), V::str(name)),
                (attr.0.to_string(), attr.1),
            ]))
        };
        let resources = V::list(vec![
            resource("aws_instance.a", ("count", V::Num(1.0))),
            resource("aws_instance.b", ("name", V::str("x"))),
        ]);
        assert_eq!(convert(resources.clone(), &list_any)?, resources);
        Ok(())
    }

    #[test]
    fn conversion_errors_say_why() -> crate::TestResult {
        for (t, v, want) in [
            ("number", "\"x\"", "a number is required"),
            (
                "list(number)",
                "[1, \"x\"]",
                "element 1: a number is required",
            ),
            (
                "object({ name = string })",
                "{}",
                "attribute \"name\" is required",
            ),
            ("map(string)", "[1]", "map required, not list"),
            (
                "tuple([string])",
                "[1, 2]",
                "tuple required with 1 elements",
            ),
        ] {
            let err = convert(val(v)?, &ty(t)?).err().ok_or("expected an error")?;
            assert!(err.contains(want), "{t} <- {v}: {err}");
        }
        for bad in [
            "strin",
            "optional(string)",
            "\"number\"",
            "list(string, number)",
        ] {
            assert!(ty(bad).is_err(), "{bad}");
        }
        // Unknown and sensitive values pass through, marked as they were.
        assert_eq!(convert(V::unknown(), &Type::Number)?, V::unknown());
        let s = convert(V::str("1").mark(true), &Type::Number)?;
        assert_eq!(s, V::Num(1.0).mark(true));
        Ok(())
    }
}
