//! Terraform's type conversions for function arguments over untyped values: the type a
//! value would have ([`Ty`]), unification of several types into one (what turns the
//! tuple `[1, "a"]` into a list of strings), conversion to a type, and the `to*`
//! functions built on them. No function here echoes a value except where Terraform does.

use super::{Args, FnError, Spec, Unknowns};
use crate::value::V;
use std::collections::BTreeMap;

/// The type of a value as cty would see it. `V` keeps no types, so a `V::List` is a tuple
/// and a `V::Map` an object until unification says otherwise.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ty {
    /// Any type: `null` and unknown values, which convert to every type.
    Dyn,
    Bool,
    Num,
    Str,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Tuple(Vec<Ty>),
    Object(BTreeMap<String, Ty>),
}

impl Ty {
    fn is_primitive(&self) -> bool {
        matches!(self, Ty::Bool | Ty::Num | Ty::Str)
    }

    /// Terraform's name for the type in messages (`list of string`, `tuple`, `object`).
    pub(super) fn friendly(&self) -> String {
        match self {
            Ty::Dyn => "any single type".into(),
            Ty::Bool => "bool".into(),
            Ty::Num => "number".into(),
            Ty::Str => "string".into(),
            Ty::List(e) => format!("list of {}", e.friendly()),
            Ty::Set(e) => format!("set of {}", e.friendly()),
            Ty::Map(e) => format!("map of {}", e.friendly()),
            Ty::Tuple(_) => "tuple".into(),
            Ty::Object(_) => "object".into(),
        }
    }
}

/// The type of a value: sequences are tuples, maps are objects, sets have the unified
/// type of their elements, `null` and unknown values any type (except identifiers).
pub(super) fn ty_of(v: &V) -> Ty {
    match v {
        // A resource's identifier is a string even before it is known.
        V::Unknown(Some(o)) if matches!(**o, crate::value::Origin::Id(_)) => Ty::Str,
        V::Unknown(_) => Ty::Dyn,
        V::Null => Ty::Dyn,
        V::Bool(_) => Ty::Bool,
        V::Num(_) => Ty::Num,
        V::Str(_) => Ty::Str,
        V::List(l) => Ty::Tuple(l.iter().map(ty_of).collect()),
        V::Set(l) => Ty::Set(Box::new(
            unify(&l.iter().map(ty_of).collect::<Vec<_>>()).unwrap_or(Ty::Dyn),
        )),
        V::Map(m) => Ty::Object(m.iter().map(|(k, v)| (k.clone(), ty_of(v))).collect()),
        V::Sensitive(v) => ty_of(v),
    }
}

/// The one type all of `tys` convert to, as cty's unification finds it: primitives meet
/// at string; tuples of one length element by element, otherwise as a list; objects
/// with the same attributes attribute by attribute, otherwise as a map. `None` when
/// there is none (`[1, true]`, `[[], {}]`).
pub(super) fn unify(tys: &[Ty]) -> Option<Ty> {
    let known: Vec<&Ty> = tys.iter().filter(|t| **t != Ty::Dyn).collect();
    let Some(first) = known.first().copied() else {
        return Some(Ty::Dyn);
    };
    if known.iter().all(|t| *t == first) {
        return Some(first.clone());
    }
    if known.iter().all(|t| t.is_primitive()) {
        return known.contains(&&Ty::Str).then_some(Ty::Str);
    }
    if known
        .iter()
        .all(|t| matches!(t, Ty::Tuple(_) | Ty::List(_)))
    {
        let tuples: Vec<&Vec<Ty>> = known
            .iter()
            .filter_map(|t| match t {
                Ty::Tuple(e) => Some(e),
                _ => None,
            })
            .collect();
        if tuples.len() == known.len() && tuples.iter().all(|e| e.len() == tuples[0].len()) {
            let mut out = Vec::new();
            for i in 0..tuples[0].len() {
                let across: Vec<Ty> = tuples.iter().map(|e| e[i].clone()).collect();
                out.push(unify(&across)?);
            }
            return Some(Ty::Tuple(out));
        }
        let elems: Vec<Ty> = known
            .iter()
            .flat_map(|t| match t {
                Ty::Tuple(e) => e.clone(),
                Ty::List(e) => vec![(**e).clone()],
                _ => Vec::new(),
            })
            .collect();
        return unify(&elems).map(|e| Ty::List(Box::new(e)));
    }
    if known
        .iter()
        .all(|t| matches!(t, Ty::Object(_) | Ty::Map(_)))
    {
        let objects: Vec<&BTreeMap<String, Ty>> = known
            .iter()
            .filter_map(|t| match t {
                Ty::Object(a) => Some(a),
                _ => None,
            })
            .collect();
        let same_names =
            objects.len() == known.len() && objects.iter().all(|a| a.keys().eq(objects[0].keys()));
        if same_names {
            let mut out = BTreeMap::new();
            for name in objects[0].keys() {
                let across: Vec<Ty> = objects.iter().map(|a| a[name].clone()).collect();
                out.insert(name.clone(), unify(&across)?);
            }
            return Some(Ty::Object(out));
        }
        let elems: Vec<Ty> = known
            .iter()
            .flat_map(|t| match t {
                Ty::Object(a) => a.values().cloned().collect(),
                Ty::Map(e) => vec![(**e).clone()],
                _ => Vec::new(),
            })
            .collect();
        return unify(&elems).map(|e| Ty::Map(Box::new(e)));
    }
    if known.iter().all(|t| matches!(t, Ty::Set(_))) {
        let elems: Vec<Ty> = known
            .iter()
            .filter_map(|t| match t {
                Ty::Set(e) => Some((**e).clone()),
                _ => None,
            })
            .collect();
        return unify(&elems).map(|e| Ty::Set(Box::new(e)));
    }
    None
}

/// Converts `v` to `ty` as Terraform converts an argument to a parameter's type. `null`
/// and unknown values pass unchanged. The error is cty's wording (`string required`,
/// `element 0: a number is required`); it never quotes the value.
pub(super) fn convert(v: V, ty: &Ty) -> Result<V, String> {
    match (v, ty) {
        (v @ (V::Null | V::Unknown(_)), _) | (v, Ty::Dyn) => Ok(v),
        (V::Sensitive(v), ty) => convert(*v, ty),
        (v, Ty::Str) => v
            .to_str()
            .map(V::Str)
            .ok_or_else(|| "string required".into()),
        (v, Ty::Num) => match as_num(&v) {
            Some(n) => Ok(V::Num(n)),
            None => Err("a number is required".into()),
        },
        (v, Ty::Bool) => as_bool(&v).map(V::Bool),
        (V::List(l) | V::Set(l), Ty::List(e)) => convert_all(l.into_vec(), e).map(V::list),
        (V::List(l) | V::Set(l), Ty::Set(e)) => convert_all(l.into_vec(), e).map(V::set),
        (V::List(l), Ty::Tuple(ts)) if l.len() == ts.len() => {
            let mut out = Vec::with_capacity(l.len());
            for (i, (v, t)) in l.into_iter().zip(ts).enumerate() {
                out.push(convert(v, t).map_err(|e| format!("element {i}: {e}"))?);
            }
            Ok(V::list(out))
        }
        (V::Map(m), Ty::Map(e)) => {
            let mut out = BTreeMap::new();
            for (k, v) in m {
                let v = convert(v, e)
                    .map_err(|err| format!("element {}: {err}", crate::scrub::quote(&k)))?;
                out.insert(k, v);
            }
            Ok(V::map(out))
        }
        (V::Map(m), Ty::Object(ts)) if m.keys().eq(ts.keys()) => {
            let mut out = BTreeMap::new();
            for ((k, v), t) in m.into_iter().zip(ts.values()) {
                let v = convert(v, t).map_err(|err| format!("attribute {k:?}: {err}"))?;
                out.insert(k, v);
            }
            Ok(V::map(out))
        }
        (_, ty) => Err(format!("{} required", ty.friendly())),
    }
}

/// A value as a number the way cty converts one: numbers, and strings in decimal notation
/// (`1e3`, `+5`, `.5`, `Inf`) with nothing around them (`" 4"` is not a number).
pub(super) fn as_num(v: &V) -> Option<f64> {
    match v {
        V::Num(n) => Some(*n),
        V::Str(s) => s
            .parse::<f64>()
            .ok()
            .filter(|n| !n.is_nan() && !s.starts_with(char::is_whitespace)),
        _ => None,
    }
}

/// A value as a bool the way cty converts one: bools, and the strings `true`/`1` and
/// `false`/`0`; the error in cty's words.
pub(super) fn as_bool(v: &V) -> Result<bool, String> {
    match v {
        V::Bool(b) => Ok(*b),
        V::Str(s) => match s.as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            s if s.to_lowercase() == "true" => {
                Err(r#"a bool is required; to convert from string, use lowercase "true""#.into())
            }
            s if s.to_lowercase() == "false" => {
                Err(r#"a bool is required; to convert from string, use lowercase "false""#.into())
            }
            _ => Err("a bool is required".into()),
        },
        _ => Err("bool required".into()),
    }
}

fn convert_all(l: Vec<V>, ty: &Ty) -> Result<Vec<V>, String> {
    l.into_iter()
        .enumerate()
        .map(|(i, v)| convert(v, ty).map_err(|e| format!("element {i}: {e}")))
        .collect()
}

/// The elements of a sequence converted to their unified type, as when a tuple is passed
/// where a list is expected. `None` when the elements share no type.
pub(super) fn unify_elements(items: Vec<V>) -> Option<Vec<V>> {
    let ty = unify(&items.iter().map(ty_of).collect::<Vec<_>>())?;
    convert_all(items, &ty).ok()
}

/// Terraform's `==` on two values: no conversion between types, `None` when the answer
/// depends on an unknown value.
pub(super) fn equal(a: &V, b: &V) -> Option<bool> {
    #[cfg(test)]
    crate::value::COMPARED.with(|c| c.set(c.get() + 1));
    match (a, b) {
        (V::Sensitive(a), b) | (b, V::Sensitive(a)) => equal(a, b),
        (V::Unknown(_), _) | (_, V::Unknown(_)) => None,
        (V::List(x), V::List(y)) | (V::Set(x), V::Set(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut unknown = false;
            for (p, q) in x.iter().zip(y) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown {
                None
            } else {
                Some(true)
            }
        }
        (V::Map(x), V::Map(y)) => {
            if !x.keys().eq(y.keys()) {
                return Some(false);
            }
            let mut unknown = false;
            for (p, q) in x.values().zip(y.values()) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown {
                None
            } else {
                Some(true)
            }
        }
        (a, b) => Some(a == b),
    }
}

pub(super) const SPECS: &[Spec] = &[
    // An unknown string stays the same unknown, so the identifier of a resource converted
    // to a string still names it.
    Spec::new("tostring", &["v"], to_string)
        .nulls(0)
        .unknowns(Unknowns::Own),
    Spec::new("tonumber", &["v"], to_number)
        .nulls(0)
        .unknowns(Unknowns::Shallow),
    Spec::new("tobool", &["v"], to_bool)
        .nulls(0)
        .unknowns(Unknowns::Shallow),
    Spec::new("tolist", &["v"], to_list)
        .nulls(0)
        .unknowns(Unknowns::Shallow),
    Spec::new("toset", &["v"], to_set)
        .nulls(0)
        .unknowns(Unknowns::Shallow),
    Spec::new("tomap", &["v"], to_map)
        .nulls(0)
        .unknowns(Unknowns::Shallow),
    // Ephemeral values do not exist statically: the value itself.
    Spec::new("ephemeralasnull", &["value"], |a| Ok(a.take(0)))
        .nulls(0)
        .unknowns(Unknowns::Own),
];

fn to_string(a: &mut Args) -> Result<V, FnError> {
    match a.take(0) {
        v @ (V::Null | V::Unknown(_)) => Ok(v),
        v => match v.to_str() {
            Some(s) => Ok(V::Str(s)),
            None => Err(a.bad(
                0,
                format!("cannot convert {} to string", ty_of(&v).friendly()),
            )),
        },
    }
}

fn to_number(a: &mut Args) -> Result<V, FnError> {
    match a.take(0) {
        V::Null => Ok(V::Null),
        v => match (as_num(&v), &v) {
            (Some(n), _) => Ok(V::Num(n)),
            // Terraform quotes the string here (and redacts it when sensitive).
            (None, V::Str(s)) => Err(a.bad(
                0,
                format!(
                    "cannot convert {} to number; given string must be a decimal \
                     representation of a number",
                    crate::scrub::quote(s)
                ),
            )),
            (None, v) => Err(a.bad(
                0,
                format!("cannot convert {} to number", ty_of(v).friendly()),
            )),
        },
    }
}

fn to_bool(a: &mut Args) -> Result<V, FnError> {
    match a.take(0) {
        V::Null => Ok(V::Null),
        v => match (as_bool(&v).ok(), &v) {
            (Some(b), _) => Ok(V::Bool(b)),
            (None, V::Str(s)) => Err(a.bad(
                0,
                format!(
                    "cannot convert {} to bool; only the strings \"true\" or \"false\" \
                     are allowed",
                    crate::scrub::quote(s)
                ),
            )),
            (None, v) => Err(a.bad(0, format!("cannot convert {} to bool", ty_of(v).friendly()))),
        },
    }
}

/// The elements of a list, tuple or set unified to one type, or Terraform's error naming
/// what was given and what was wanted (`list`, `set`).
fn unified_seq(a: &mut Args, want: &str) -> Result<Option<Vec<V>>, FnError> {
    match a.take(0) {
        V::Null => Ok(None),
        V::List(l) | V::Set(l) => unify_elements(l.into_vec()).map(Some).ok_or_else(|| {
            a.bad(
                0,
                format!("cannot convert tuple to {want} of any single type"),
            )
        }),
        v => Err(a.bad(
            0,
            format!(
                "cannot convert {} to {want} of any single type",
                ty_of(&v).friendly()
            ),
        )),
    }
}

fn to_list(a: &mut Args) -> Result<V, FnError> {
    if let Some(V::Set(l)) = a.vals.first() {
        // A set is already one type, in its own order.
        return Ok(V::List(l.clone()));
    }
    Ok(unified_seq(a, "list")?.map_or(V::Null, V::list))
}

fn to_set(a: &mut Args) -> Result<V, FnError> {
    Ok(unified_seq(a, "set")?.map_or(V::Null, V::set))
}

fn to_map(a: &mut Args) -> Result<V, FnError> {
    match a.take(0) {
        V::Null => Ok(V::Null),
        V::Map(m) => {
            let ty = unify(&m.values().map(ty_of).collect::<Vec<_>>());
            let converted = ty.and_then(|ty| {
                let ty = Ty::Map(Box::new(ty));
                convert(V::Map(m), &ty).ok()
            });
            converted.ok_or_else(|| a.bad(0, "cannot convert object to map of any single type"))
        }
        v => Err(a.bad(
            0,
            format!(
                "cannot convert {} to map of any single type",
                ty_of(&v).friendly()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call_ok, err, j};
    use super::*;

    #[test]
    fn unification_finds_terraforms_common_type() {
        for (input, want) in [
            (r#"[1, "a"]"#, Some(r#"["1", "a"]"#)),
            (r#"[true, "a", null]"#, Some(r#"["true", "a", null]"#)),
            (r#"[[1], ["a", 2]]"#, Some(r#"[["1"], ["a", "2"]]"#)),
            (
                r#"[[1, true], ["a", false]]"#,
                Some(r#"[["1", true], ["a", false]]"#),
            ),
            (
                r#"[{"a": 1}, {"a": "x"}]"#,
                Some(r#"[{"a": "1"}, {"a": "x"}]"#),
            ),
            (
                r#"[{"a": 1, "b": true}, {"a": 2, "b": false}]"#,
                Some(r#"[{"a": 1, "b": true}, {"a": 2, "b": false}]"#),
            ),
            (
                r#"[{"a": 1}, {"b": "x"}]"#,
                Some(r#"[{"a": "1"}, {"b": "x"}]"#),
            ),
            (r#"[1, true]"#, None),
            (r#"[[1], {"a": 1}]"#, None),
            (r#"[{"a": 1}, {"b": [1]}]"#, None),
        ] {
            let got = unify_elements(j(input).as_seq().map(<[V]>::to_vec).unwrap_or_default());
            assert_eq!(
                got,
                want.map(|w| j(w).as_seq().map(<[V]>::to_vec).unwrap_or_default()),
                "{input}"
            );
        }
    }

    #[test]
    fn equality_never_converts() {
        for (a, b, want) in [
            ("1", "1", Some(true)),
            ("1", r#""1""#, Some(false)),
            (r#"[1, {"a": "x"}]"#, r#"[1, {"a": "x"}]"#, Some(true)),
            (r#"[1]"#, r#"[1, 2]"#, Some(false)),
            ("null", "null", Some(true)),
        ] {
            assert_eq!(equal(&j(a), &j(b)), want, "{a} == {b}");
        }
        assert_eq!(equal(&V::unknown(), &V::Num(1.0)), None);
        let partly = V::list(vec![V::Num(1.0), V::unknown()]);
        assert_eq!(equal(&partly, &j("[2, 3]")), Some(false));
        assert_eq!(equal(&partly, &j("[1, 3]")), None);
    }

    #[test]
    fn to_functions() {
        for (name, args, want) in [
            ("tostring", "[1]", r#""1""#),
            ("tostring", "[true]", r#""true""#),
            ("tostring", r#"["a"]"#, r#""a""#),
            ("tostring", "[null]", "null"),
            ("tonumber", r#"["3"]"#, "3"),
            ("tonumber", r#"["-1.5"]"#, "-1.5"),
            ("tonumber", "[null]", "null"),
            ("tonumber", r#"["1e2"]"#, "100"),
            ("tonumber", r#"[".5"]"#, "0.5"),
            ("tonumber", r#"["+5"]"#, "5"),
            ("tobool", r#"["true"]"#, "true"),
            ("tobool", "[false]", "false"),
            ("tobool", r#"["1"]"#, "true"),
            ("tobool", r#"["0"]"#, "false"),
            ("tolist", r#"[[1, "a"]]"#, r#"["1", "a"]"#),
            ("tolist", "[[]]", "[]"),
            (
                "tomap",
                r#"[{"a": 1, "b": "x"}]"#,
                r#"{"a": "1", "b": "x"}"#,
            ),
            (
                "tomap",
                r#"[{"a": [1], "b": ["x"]}]"#,
                r#"{"a": ["1"], "b": ["x"]}"#,
            ),
        ] {
            assert_eq!(call_ok(name, args), j(want), "{name}{args}");
        }
        assert_eq!(
            call_ok("toset", r#"[[1, "a", "1", "b", "a"]]"#),
            V::set(vec![V::str("1"), V::str("a"), V::str("b")])
        );
        let set = V::set(vec![V::str("b"), V::str("a")]);
        assert_eq!(
            super::super::tests::call_vals("tolist", vec![set]),
            Ok(j(r#"["a", "b"]"#)),
            "a set becomes a list in set order"
        );
    }

    #[test]
    fn conversions_keep_unknowns() {
        use super::super::tests::call_vals;
        let id = V::id_of("aws_vpc.main");
        assert_eq!(call_vals("tostring", vec![id.clone()]), Ok(id.clone()));
        assert_eq!(call_vals("tonumber", vec![id.clone()]), Ok(V::unknown()));
        let partly = V::list(vec![id.clone(), V::Num(1.0)]);
        assert_eq!(
            call_vals("tolist", vec![partly]),
            Ok(V::list(vec![id.clone(), V::str("1")]))
        );
        assert_eq!(call_vals("toset", vec![V::unknown()]), Ok(V::unknown()));
        assert_eq!(
            call_vals("tostring", vec![V::list(vec![id])]),
            Err(FnError::Invalid(
                r#"Invalid value for "v" parameter: cannot convert tuple to string"#.into()
            ))
        );
    }

    #[test]
    fn to_function_errors() {
        for (name, args, want) in [
            (
                "tostring",
                "[[1]]",
                r#"Invalid value for "v" parameter: cannot convert tuple to string"#,
            ),
            (
                "tonumber",
                r#"[" 4"]"#,
                r#"Invalid value for "v" parameter: cannot convert " 4" to number; given string must be a decimal representation of a number"#,
            ),
            (
                "tonumber",
                r#"["0x10"]"#,
                r#"Invalid value for "v" parameter: cannot convert "0x10" to number; given string must be a decimal representation of a number"#,
            ),
            (
                "tonumber",
                r#"["abc"]"#,
                r#"Invalid value for "v" parameter: cannot convert "abc" to number; given string must be a decimal representation of a number"#,
            ),
            (
                "tobool",
                r#"["yes"]"#,
                r#"Invalid value for "v" parameter: cannot convert "yes" to bool; only the strings "true" or "false" are allowed"#,
            ),
            (
                "tobool",
                "[1]",
                r#"Invalid value for "v" parameter: cannot convert number to bool"#,
            ),
            (
                "tolist",
                "[[1, true]]",
                r#"Invalid value for "v" parameter: cannot convert tuple to list of any single type"#,
            ),
            (
                "tolist",
                r#"[{"a": 1}]"#,
                r#"Invalid value for "v" parameter: cannot convert object to list of any single type"#,
            ),
            (
                "tolist",
                r#"["a"]"#,
                r#"Invalid value for "v" parameter: cannot convert string to list of any single type"#,
            ),
            (
                "toset",
                "[[[1], {}]]",
                r#"Invalid value for "v" parameter: cannot convert tuple to set of any single type"#,
            ),
            (
                "tomap",
                "[[1]]",
                r#"Invalid value for "v" parameter: cannot convert tuple to map of any single type"#,
            ),
            (
                "tomap",
                r#"[{"a": 1, "b": true}]"#,
                r#"Invalid value for "v" parameter: cannot convert object to map of any single type"#,
            ),
        ] {
            assert_eq!(err(name, args), want, "{name}{args}");
        }
    }
}
