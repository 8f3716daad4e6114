//! Collection functions that look things up or pick among values: maps and objects
//! (`merge`, `lookup`, `keys`, `values`, `zipmap`, `transpose`), elements (`element`,
//! `index`, `contains`, `one`, `length`), and choices (`coalesce`, `coalescelist`,
//! `matchkeys`, `alltrue`, `anytrue`). Structural functions keep what they can when
//! elements are unknown (`length([unknown, 1])` is 2); functions that must look at
//! every element give an unknown result instead. Building sequences is in `sequence`.

use super::convert::{convert, equal, ty_of, unify, Ty};
use super::sequence::{list_any, whole_index};
use super::{fail, Args, Cost, FnError, Spec, Unknowns};
use crate::value::{cmp, V};
use std::collections::BTreeMap;
use unicode_segmentation::UnicodeSegmentation;

use Unknowns::{Own, Shallow};

pub(super) const SPECS: &[Spec] = &[
    Spec::new("alltrue", &["list"], alltrue).unknowns(Shallow),
    Spec::new("anytrue", &["list"], anytrue).unknowns(Shallow),
    Spec::new("coalesce", &[], coalesce)
        .var("vals")
        .nulls(0)
        .unknowns(Own)
        .cost(Cost::Picks),
    Spec::new("coalescelist", &[], coalescelist)
        .var("vals")
        .nulls(0)
        .unknowns(Own)
        .cost(Cost::Picks),
    Spec::new("contains", &["list", "value"], contains)
        .nulls(1)
        .unknowns(Own),
    Spec::new("element", &["list", "index"], element)
        .unknowns(Shallow)
        .cost(Cost::Picks),
    Spec::new("index", &["list", "value"], index).unknowns(Shallow),
    Spec::new("keys", &["inputMap"], keys)
        .unknowns(Shallow)
        .cost(Cost::Shallow),
    Spec::new("length", &["value"], length)
        .unknowns(Shallow)
        .cost(Cost::Picks),
    Spec::new("list", &[], |_| Err(fail(DEPRECATED_LIST)))
        .var("vals")
        .nulls(0)
        .unknowns(Own),
    Spec::new("lookup", &["inputMap", "key"], lookup)
        .var("default")
        .nulls(2)
        .unknowns(Own)
        .cost(Cost::Picks),
    Spec::new("map", &[], |_| Err(fail(DEPRECATED_MAP)))
        .var("vals")
        .nulls(0)
        .unknowns(Own),
    Spec::new("matchkeys", &["values", "keys", "searchset"], matchkeys),
    Spec::new("merge", &[], merge)
        .var("maps")
        .nulls(0)
        .unknowns(Shallow)
        .cost(Cost::Shallow),
    Spec::new("one", &["list"], one)
        .unknowns(Shallow)
        .cost(Cost::Picks),
    Spec::new("transpose", &["values"], transpose),
    Spec::new("values", &["mapping"], values)
        .unknowns(Shallow)
        .cost(Cost::Shallow),
    Spec::new("zipmap", &["keys", "values"], zipmap)
        .unknowns(Shallow)
        .cost(Cost::Shallow),
];

const DEPRECATED_LIST: &str = "the \"list\" function was deprecated in Terraform v0.12 and is no \
     longer available; use tolist([ ... ]) syntax to write a literal list";
const DEPRECATED_MAP: &str = "the \"map\" function was deprecated in Terraform v0.12 and is no \
     longer available; use tomap({ ... }) syntax to write a literal map";

/// Argument `i` converted to a list of bools.
fn bools(a: &mut Args, i: usize) -> Result<Vec<V>, FnError> {
    let Some(items) = a.get(i).as_seq() else {
        return Err(a.bad(i, "list of bool required"));
    };
    let list = V::list(items.to_vec());
    match convert(list, &Ty::List(Box::new(Ty::Bool))) {
        Ok(V::List(l)) => Ok(l.into_vec()),
        Ok(_) => Err(a.bad(i, "list of bool required")),
        Err(e) => Err(a.bad(i, e.replace("a bool is required", "bool required"))),
    }
}

fn alltrue(a: &mut Args) -> Result<V, FnError> {
    for v in bools(a, 0)? {
        match v {
            V::Bool(true) => {}
            V::Unknown(_) => return Ok(V::unknown()),
            _ => return Ok(V::Bool(false)),
        }
    }
    Ok(V::Bool(true))
}

fn anytrue(a: &mut Args) -> Result<V, FnError> {
    let mut unknown = false;
    for v in bools(a, 0)? {
        match v {
            V::Bool(true) => return Ok(V::Bool(true)),
            V::Unknown(_) => unknown = true,
            _ => {}
        }
    }
    Ok(if unknown {
        V::unknown()
    } else {
        V::Bool(false)
    })
}

fn coalesce(a: &mut Args) -> Result<V, FnError> {
    let tys: Vec<Ty> = a.vals.iter().map(ty_of).collect();
    let untyped = tys.contains(&Ty::Dyn);
    let ty = match unify(&tys) {
        Some(ty) if !a.vals.is_empty() => ty,
        // cty unifies to "any type" (no conversion) when nothing else fits and an
        // argument is an untyped null or unknown.
        None if untyped => Ty::Dyn,
        _ => return Err(fail("all arguments must have the same type")),
    };
    for v in std::mem::take(&mut a.vals) {
        let v = convert(v, &ty).map_err(|_| fail("all arguments must have the same type"))?;
        match v {
            V::Unknown(_) => return Ok(V::unknown()),
            V::Null => {}
            V::Str(s) if s.is_empty() && ty == Ty::Str => {}
            v => return Ok(v),
        }
    }
    Err(fail("no non-null, non-empty-string arguments"))
}

fn coalescelist(a: &mut Args) -> Result<V, FnError> {
    if a.vals.is_empty() {
        return Err(fail("at least one argument is required"));
    }
    if a.vals.iter().any(|v| {
        matches!(
            v,
            V::Set(_) | V::Map(_) | V::Bool(_) | V::Num(_) | V::Str(_)
        )
    }) {
        return Err(fail("coalescelist arguments must be lists or tuples"));
    }
    for v in std::mem::take(&mut a.vals) {
        match v {
            V::Unknown(_) => return Ok(V::unknown()),
            V::List(l) if !l.is_empty() => return Ok(V::List(l)),
            _ => {}
        }
    }
    Err(fail("no non-null arguments"))
}

fn contains(a: &mut Args) -> Result<V, FnError> {
    let Some(items) = a.get(0).as_seq() else {
        if a.get(0).is_unknown() {
            return Ok(V::unknown());
        }
        return Err(fail("argument must be list, tuple, or set"));
    };
    if items.is_empty() {
        return Ok(V::Bool(false));
    }
    let value = a.get(1);
    if value.is_unknown() {
        return Ok(V::unknown());
    }
    let mut unknown = false;
    for v in items {
        match equal(value, v) {
            Some(true) => return Ok(V::Bool(true)),
            None => unknown = true,
            Some(false) => {}
        }
    }
    Ok(if unknown {
        V::unknown()
    } else {
        V::Bool(false)
    })
}

fn element(a: &mut Args) -> Result<V, FnError> {
    let index = whole_index(a, 1).map_err(|e| fail(format!("invalid index: {e}")))?;
    let list = match a.get(0) {
        V::List(l) => l,
        v => {
            return Err(fail(format!(
                "cannot read elements from {}",
                ty_of(v).friendly()
            )))
        }
    };
    if list.is_empty() {
        return Err(fail("cannot use element function with an empty list"));
    }
    // Negative indexes count from the end (go-cty 1.15 and later).
    let n = list.len() as i64;
    let i = index.rem_euclid(n) as usize;
    Ok(list.get(i).cloned().unwrap_or_default())
}

fn index(a: &mut Args) -> Result<V, FnError> {
    let V::List(items) = a.get(0) else {
        return Err(fail("argument must be a list or tuple"));
    };
    if items.is_empty() {
        return Err(fail("cannot search an empty list"));
    }
    for (i, v) in items.iter().enumerate() {
        match equal(v, a.get(1)) {
            Some(true) => return Ok(V::Num(i as f64)),
            None => return Ok(V::unknown()),
            Some(false) => {}
        }
    }
    Err(fail("item not found"))
}

fn keys(a: &mut Args) -> Result<V, FnError> {
    match a.get(0) {
        V::Map(m) => Ok(V::List(m.keys().map(|k| V::Str(k.clone())).collect())),
        _ => Err(a.bad(0, "must have map or object type")),
    }
}

fn length(a: &mut Args) -> Result<V, FnError> {
    let n = match a.get(0) {
        V::Str(s) => s.graphemes(true).count(),
        V::List(l) | V::Set(l) => l.len(),
        V::Map(m) => m.len(),
        _ => {
            return Err(fail(
                "argument must be a string, a collection type, or a structural type",
            ))
        }
    };
    Ok(V::Num(n as f64))
}

fn lookup(a: &mut Args) -> Result<V, FnError> {
    if a.len() > 3 {
        return Err(fail(format!(
            "lookup() takes two or three arguments, got {}",
            a.len()
        )));
    }
    if a.get(0).is_unknown() || a.get(1).is_unknown() {
        return Ok(V::unknown());
    }
    let key = a.str(1)?;
    let V::Map(m) = a.get(0) else {
        return Err(a.bad(0, "lookup() requires a map as the first argument"));
    };
    // Found by key, not by looking at every element.
    if let Some(v) = m.get(&key) {
        return Ok(v.clone());
    }
    if a.len() < 3 {
        // Terraform quotes the key (and redacts it when sensitive).
        return Err(fail(format!(
            "lookup failed to find key {}",
            crate::scrub::quote(&key)
        )));
    }
    // A map's elements share one type and the default converts to it; an object's
    // attributes do not, and the default stays as it is. Values keep no such type, so a
    // default converts when every element has the same primitive type.
    let element_ty = {
        let tys: Vec<Ty> = m.values().map(ty_of).collect();
        match tys.first() {
            Some(first)
                if matches!(first, Ty::Str | Ty::Num | Ty::Bool)
                    && tys.iter().all(|t| t == first) =>
            {
                Some(first.clone())
            }
            _ => None,
        }
    };
    let default = a.take(2);
    match element_ty {
        Some(ty) if !default.is_unknown() => Ok(convert(default.clone(), &ty).unwrap_or(default)),
        _ => Ok(default),
    }
}

fn matchkeys(a: &mut Args) -> Result<V, FnError> {
    let values = list_any(a, 0)?;
    let keys = list_any(a, 1)?;
    let search = list_any(a, 2)?;
    let mut tys: Vec<Ty> = keys.iter().map(ty_of).collect();
    tys.extend(search.iter().map(ty_of));
    let ty = unify(&tys).ok_or_else(|| fail("keys and searchset must be of the same type"))?;
    if values.len() != keys.len() {
        return Err(fail("length of keys and values should be equal"));
    }
    let convert_all = |l: Vec<V>| -> Vec<V> {
        l.into_iter()
            .map(|v| convert(v.clone(), &ty).unwrap_or(v))
            .collect()
    };
    let (keys, mut search) = (convert_all(keys), convert_all(search));
    // Sorted once and searched for each key, not scanned for each: no unknown reaches
    // here (the result would be unknown), so `cmp` is `equal`.
    search.sort_by(cmp);
    Ok(V::List(
        values
            .into_iter()
            .zip(keys)
            .filter(|(_, k)| search.binary_search_by(|s| cmp(s, k)).is_ok())
            .map(|(v, _)| v)
            .collect(),
    ))
}

fn merge(a: &mut Args) -> Result<V, FnError> {
    let mut out = BTreeMap::new();
    for v in std::mem::take(&mut a.vals) {
        match v {
            V::Null => {}
            V::Map(m) => out.extend(m.into_map()),
            v => {
                return Err(fail(format!(
                    "arguments must be maps or objects, got {:?}",
                    ty_of(&v).friendly()
                )))
            }
        }
    }
    Ok(V::map(out))
}

fn one(a: &mut Args) -> Result<V, FnError> {
    match a.take(0) {
        V::List(l) | V::Set(l) if l.len() <= 1 => Ok(l.into_iter().next().unwrap_or_default()),
        _ => Err(a.bad(
            0,
            "must be a list, set, or tuple value with either zero or one elements",
        )),
    }
}

fn transpose(a: &mut Args) -> Result<V, FnError> {
    let V::Map(m) = a.get(0) else {
        return Err(a.bad(0, "map of list of string required"));
    };
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, list) in m {
        let items = match list {
            V::Null => return Err(fail("input must not contain null list")),
            V::List(l) | V::Set(l) => l,
            _ => {
                return Err(a.bad(
                    0,
                    format!(
                        "element {}: list of string required",
                        crate::scrub::quote(key)
                    ),
                ))
            }
        };
        for v in items {
            let s = match v {
                V::Null => return Err(fail("input list must not contain null string")),
                v => v
                    .to_str()
                    .ok_or_else(|| fail("input must be a map of lists of strings"))?,
            };
            out.entry(s).or_default().push(key.clone());
        }
    }
    Ok(V::Map(
        out.into_iter()
            .map(|(k, mut v)| {
                v.sort();
                (k, V::List(v.into_iter().map(V::Str).collect()))
            })
            .collect(),
    ))
}

fn values(a: &mut Args) -> Result<V, FnError> {
    match a.take(0) {
        V::Map(m) => Ok(V::List(m.into_map().into_values().collect())),
        _ => Err(fail("values() requires a map as the first argument")),
    }
}

fn zipmap(a: &mut Args) -> Result<V, FnError> {
    if a.get(0).has_unknown() {
        return Ok(V::unknown());
    }
    let keys = a.strings(0)?;
    let V::List(values) = a.take(1) else {
        return Err(fail("values argument must be a list or tuple value"));
    };
    if keys.len() != values.len() {
        return Err(fail(format!(
            "number of keys ({}) does not match number of values ({})",
            keys.len(),
            values.len()
        )));
    }
    let mut out = BTreeMap::new();
    for (i, (k, v)) in keys.into_iter().zip(values).enumerate() {
        let k = k.ok_or_else(|| fail(format!("keys list has null value at index {i}")))?;
        out.insert(k, v);
    }
    Ok(V::map(out))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call_ok, call_vals, err, j};
    use super::*;

    #[test]
    fn results() {
        for (name, args, want) in [
            (
                "merge",
                r#"[{"a": 1, "b": 1}, null, {"b": 2, "c": {"x": 1}}]"#,
                r#"{"a": 1, "b": 2, "c": {"x": 1}}"#,
            ),
            (
                "merge",
                r#"[{"a": {"x": 1}}, {"a": {"y": 2}}]"#,
                r#"{"a": {"y": 2}}"#,
            ),
            ("merge", "[]", "{}"),
            ("lookup", r#"[{"a": 1}, "a"]"#, "1"),
            ("lookup", r#"[{"a": 1}, "b", 7]"#, "7"),
            ("lookup", r#"[{"a": "x"}, "b", 7]"#, r#""7""#),
            ("lookup", r#"[{"a": "x", "b": 1}, "c", [7]]"#, "[7]"),
            ("lookup", r#"[{"a": null}, "a", 1]"#, "null"),
            ("element", r#"[["a", "b", "c"], 1]"#, r#""b""#),
            ("element", r#"[["a", "b", "c"], 5]"#, r#""c""#),
            ("element", r#"[["a", "b", "c"], -1]"#, r#""c""#),
            ("element", r#"[["a", "b", "c"], -4]"#, r#""c""#),
            ("element", r#"[["a", "b", "c"], "3"]"#, r#""a""#),
            ("length", r#"["👍🏽ab"]"#, "3"),
            ("length", r#"["é"]"#, "1"),
            ("length", r#"[""]"#, "0"),
            ("length", r#"[[1, 2]]"#, "2"),
            ("length", r#"[{"a": 1}]"#, "1"),
            ("keys", r#"[{"b": 1, "a": 2}]"#, r#"["a", "b"]"#),
            ("keys", "[{}]", "[]"),
            ("values", r#"[{"b": 1, "a": 2}]"#, "[2, 1]"),
            ("zipmap", r#"[["a", "b"], [1, 2]]"#, r#"{"a": 1, "b": 2}"#),
            ("zipmap", r#"[["a", "a"], [1, 2]]"#, r#"{"a": 2}"#),
            (
                "zipmap",
                r#"[[1, 2], ["x", "y"]]"#,
                r#"{"1": "x", "2": "y"}"#,
            ),
            ("coalesce", r#"[1, "x"]"#, r#""1""#),
            ("coalesce", r#"[null, "", "b"]"#, r#""b""#),
            ("coalesce", r#"[null, 2, 3]"#, "2"),
            ("coalesce", r#"["", "b"]"#, r#""b""#),
            ("coalesce", r#"[[], [1]]"#, "[]"),
            ("coalesce", r#"[null, 1, "x"]"#, r#""1""#),
            ("coalesce", r#"[false, [], null]"#, "false"),
            ("coalescelist", r#"[[], ["a"], ["b"]]"#, r#"["a"]"#),
            ("coalescelist", r#"[null, [1]]"#, "[1]"),
            ("contains", r#"[["a", "b"], "b"]"#, "true"),
            ("contains", r#"[["a", "b"], "c"]"#, "false"),
            ("contains", r#"[[1, 2], "1"]"#, "false"),
            ("contains", r#"[["1", 2], "2"]"#, "false"),
            ("contains", r#"[[[1], {"a": 1}], {"a": 1}]"#, "true"),
            ("contains", r#"[[null], null]"#, "true"),
            ("contains", r#"[[], "x"]"#, "false"),
            ("index", r#"[["a", "b"], "b"]"#, "1"),
            ("one", "[[]]", "null"),
            ("one", r#"[["x"]]"#, r#""x""#),
            (
                "transpose",
                r#"[{"a": ["1", "2"], "b": ["2", "3"]}]"#,
                r#"{"1": ["a"], "2": ["a", "b"], "3": ["b"]}"#,
            ),
            ("transpose", r#"[{"a": [1]}]"#, r#"{"1": ["a"]}"#),
            (
                "matchkeys",
                r#"[["i-1", "i-2", "i-3"], ["us-west", "us-east", "us-east"], ["us-east"]]"#,
                r#"["i-2", "i-3"]"#,
            ),
            ("matchkeys", r#"[[1], [1], ["1"]]"#, "[1]"),
            ("matchkeys", r#"[["a"], ["b"], []]"#, "[]"),
            ("alltrue", "[[]]", "true"),
            ("alltrue", r#"[[true, "true", "1"]]"#, "true"),
            ("anytrue", r#"[["0", false]]"#, "false"),
            ("alltrue", "[[true, null]]", "false"),
            ("anytrue", "[[]]", "false"),
            ("anytrue", r#"[[null, "true"]]"#, "true"),
        ] {
            assert_eq!(call_ok(name, args), j(want), "{name}({args})");
        }
    }

    #[test]
    fn sets_are_collections_too() {
        let ab = V::set(vec![V::str("b"), V::str("a")]);
        assert_eq!(call_vals("length", vec![ab.clone()]), Ok(V::Num(2.0)));
        assert_eq!(
            call_vals("contains", vec![ab.clone(), V::str("a")]),
            Ok(V::Bool(true))
        );
        assert_eq!(
            call_vals("one", vec![V::set(vec![V::Num(1.0)])]),
            Ok(V::Num(1.0))
        );
        assert_eq!(
            call_vals("element", vec![ab, V::Num(0.0)]),
            Err(fail("cannot read elements from set of string"))
        );
    }

    #[test]
    fn errors() {
        for (name, args, want) in [
            ("merge", "[[1]]", r#"arguments must be maps or objects, got "tuple""#),
            ("merge", r#"[{"a": 1}, "b"]"#, r#"arguments must be maps or objects, got "string""#),
            ("lookup", r#"[{"a": 1}, "b"]"#, r#"lookup failed to find key "b""#),
            ("lookup", r#"[[1], "b"]"#, r#"Invalid value for "inputMap" parameter: lookup() requires a map as the first argument"#),
            ("lookup", r#"[{"a": 1}, "a", 1, 2]"#, "lookup() takes two or three arguments, got 4"),
            ("element", r#"[[], 0]"#, "cannot use element function with an empty list"),
            ("element", r#"[["a"], 1.5]"#, "invalid index: value must be a whole number, between -9223372036854775808 and 9223372036854775807"),
            ("element", r#"["ab", 1]"#, "cannot read elements from string"),
            ("length", "[5]", "argument must be a string, a collection type, or a structural type"),
            ("length", "[null]", r#"Invalid value for "value" parameter: argument must not be null"#),
            ("keys", "[[1]]", r#"Invalid value for "inputMap" parameter: must have map or object type"#),
            ("values", r#"["a"]"#, "values() requires a map as the first argument"),
            ("zipmap", r#"[["a", null], [1, 2]]"#, "keys list has null value at index 1"),
            ("zipmap", r#"[["a"], [1, 2]]"#, "number of keys (1) does not match number of values (2)"),
            ("zipmap", r#"[["a"], "b"]"#, "values argument must be a list or tuple value"),
            ("coalesce", r#"["", null]"#, "no non-null, non-empty-string arguments"),
            ("coalesce", "[]", "all arguments must have the same type"),
            ("coalesce", r#"[1, [1]]"#, "all arguments must have the same type"),
            ("coalescelist", "[]", "at least one argument is required"),
            ("coalescelist", r#"["a"]"#, "coalescelist arguments must be lists or tuples"),
            ("coalescelist", "[[], []]", "no non-null arguments"),
            ("contains", r#"["a", "a"]"#, "argument must be list, tuple, or set"),
            ("index", "[[], 1]", "cannot search an empty list"),
            ("index", r#"[["a"], "z"]"#, "item not found"),
            ("index", r#"[[1, 2], "2"]"#, "item not found"),
            ("index", r#"[{"a": 1}, 1]"#, "argument must be a list or tuple"),
            ("one", "[[1, 2]]", r#"Invalid value for "list" parameter: must be a list, set, or tuple value with either zero or one elements"#),
            ("one", "[{}]", r#"Invalid value for "list" parameter: must be a list, set, or tuple value with either zero or one elements"#),
            ("transpose", r#"[{"a": null}]"#, "input must not contain null list"),
            ("transpose", r#"[{"a": [null]}]"#, "input list must not contain null string"),
            ("matchkeys", r#"[["a"], ["b", "c"], ["b"]]"#, "length of keys and values should be equal"),
            ("matchkeys", r#"[["a"], ["b"], [[1]]]"#, "keys and searchset must be of the same type"),
            ("alltrue", "[[1]]", r#"Invalid value for "list" parameter: element 0: bool required"#),
            ("list", "[1]", DEPRECATED_LIST),
            ("map", r#"["a", 1]"#, DEPRECATED_MAP),
        ] {
            assert_eq!(err(name, args), want, "{name}({args})");
        }
    }

    #[test]
    fn unknowns_keep_what_they_can() {
        let known_map = |pairs: Vec<(&str, V)>| {
            V::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        };
        let partly = V::list(vec![V::unknown(), V::Num(1.0)]);
        for (name, args, want) in [
            ("length", vec![partly.clone()], V::Num(2.0)),
            ("length", vec![V::unknown()], V::unknown()),
            (
                "merge",
                vec![known_map(vec![("a", V::unknown())]), j(r#"{"b": 1}"#)],
                known_map(vec![("a", V::unknown()), ("b", V::Num(1.0))]),
            ),
            ("merge", vec![V::unknown(), j(r#"{"b": 1}"#)], V::unknown()),
            (
                "keys",
                vec![known_map(vec![("a", V::unknown())])],
                j(r#"["a"]"#),
            ),
            (
                "values",
                vec![known_map(vec![("a", V::unknown())])],
                V::list(vec![V::unknown()]),
            ),
            ("element", vec![partly.clone(), V::Num(0.0)], V::unknown()),
            ("element", vec![partly.clone(), V::Num(1.0)], V::Num(1.0)),
            ("element", vec![partly.clone(), V::unknown()], V::unknown()),
            (
                "lookup",
                vec![
                    known_map(vec![("a", V::unknown()), ("b", V::Num(1.0))]),
                    V::str("b"),
                ],
                V::Num(1.0),
            ),
            (
                "lookup",
                vec![j(r#"{"b": 1}"#), V::str("b"), V::unknown()],
                V::Num(1.0),
            ),
            (
                "lookup",
                vec![j(r#"{"b": 1}"#), V::str("c"), V::unknown()],
                V::unknown(),
            ),
            ("lookup", vec![j(r#"{"b": 1}"#), V::unknown()], V::unknown()),
            ("coalesce", vec![V::str("a"), V::unknown()], V::str("a")),
            (
                "coalesce",
                vec![V::Null, V::unknown(), V::str("a")],
                V::unknown(),
            ),
            ("coalescelist", vec![j("[1]"), V::unknown()], j("[1]")),
            ("coalescelist", vec![j("[]"), V::unknown()], V::unknown()),
            ("contains", vec![partly.clone(), V::Num(1.0)], V::Bool(true)),
            ("contains", vec![partly.clone(), V::Num(2.0)], V::unknown()),
            ("contains", vec![j("[]"), V::unknown()], V::Bool(false)),
            (
                "index",
                vec![V::list(vec![V::Num(1.0), V::unknown()]), V::Num(1.0)],
                V::Num(0.0),
            ),
            ("index", vec![partly.clone(), V::Num(1.0)], V::unknown()),
            (
                "alltrue",
                vec![V::list(vec![V::Bool(false), V::unknown()])],
                V::Bool(false),
            ),
            (
                "alltrue",
                vec![V::list(vec![V::unknown(), V::Bool(false)])],
                V::unknown(),
            ),
            (
                "anytrue",
                vec![V::list(vec![V::unknown(), V::Bool(true)])],
                V::Bool(true),
            ),
            (
                "anytrue",
                vec![V::list(vec![V::unknown(), V::Bool(false)])],
                V::unknown(),
            ),
            (
                "zipmap",
                vec![j(r#"["a", "b"]"#), partly.clone()],
                known_map(vec![("a", V::unknown()), ("b", V::Num(1.0))]),
            ),
            (
                "zipmap",
                vec![V::list(vec![V::unknown()]), j("[1]")],
                V::unknown(),
            ),
            ("one", vec![V::list(vec![V::unknown()])], V::unknown()),
        ] {
            assert_eq!(call_vals(name, args.clone()), Ok(want), "{name}({args:?})");
        }
    }
}
