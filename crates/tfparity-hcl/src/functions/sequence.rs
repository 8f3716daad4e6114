//! Functions that build lists and sets from others: `concat`, `flatten`, `distinct`,
//! `compact`, `range`, `slice`, `chunklist`, `reverse`, `sort`, `sum`, `setproduct` and
//! the set algebra. Elements that are unknown are carried along where their position
//! does not matter (`concat`, `flatten`, `slice`); otherwise the result is unknown.

use super::convert::{as_num, convert, ty_of, unify, unify_elements};
use super::{fail, Args, Cost, FnError, Spec, Unknowns};
use crate::value::{cmp, V};
use std::cmp::Ordering;

use Unknowns::Shallow;

pub(super) const SPECS: &[Spec] = &[
    Spec::new("chunklist", &["list", "size"], chunklist).unknowns(Shallow),
    Spec::new("compact", &["list"], compact),
    Spec::new("concat", &[], concat)
        .var("seqs")
        .unknowns(Shallow)
        .cost(Cost::Shallow),
    Spec::new("distinct", &["list"], distinct),
    Spec::new("flatten", &["list"], flatten).unknowns(Shallow),
    Spec::new("range", &[], range)
        .var("params")
        .cost(Cost::Shallow),
    Spec::new("reverse", &["list"], reverse)
        .unknowns(Shallow)
        .cost(Cost::Shallow),
    Spec::new("setintersection", &["first_set"], setintersection).var("other_sets"),
    Spec::new("setproduct", &[], setproduct)
        .var("sets")
        .unknowns(Shallow),
    Spec::new("setsubtract", &["a", "b"], setsubtract),
    Spec::new("setunion", &["first_set"], setunion).var("other_sets"),
    Spec::new("slice", &["list", "start_index", "end_index"], slice)
        .unknowns(Shallow)
        .cost(Cost::Shallow),
    Spec::new("sort", &["list"], sort),
    Spec::new("sum", &["list"], sum),
];

/// Argument `i` as a list of one element type (a `list(any)` parameter): the elements of a
/// list, tuple or set, unified.
pub(super) fn list_any(a: &mut Args, i: usize) -> Result<Vec<V>, FnError> {
    match a.take(i) {
        V::List(l) | V::Set(l) => unify_elements(l.into_vec())
            .ok_or_else(|| a.bad(i, "all list elements must have the same type")),
        _ => Err(a.bad(i, "list of any single type required")),
    }
}

fn chunklist(a: &mut Args) -> Result<V, FnError> {
    let size = a.int(1)?;
    let list = list_any(a, 0)?;
    if size < 0 {
        return Err(fail("the size argument must be positive"));
    }
    if list.is_empty() {
        return Ok(V::list(Vec::new()));
    }
    if size == 0 {
        return Ok(V::list(vec![V::list(list)]));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(V::List(
        list.chunks(size).map(|c| V::list(c.to_vec())).collect(),
    ))
}

fn compact(a: &mut Args) -> Result<V, FnError> {
    let items = a.strings(0)?;
    Ok(V::List(
        items
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .map(V::Str)
            .collect(),
    ))
}

fn concat(a: &mut Args) -> Result<V, FnError> {
    if a.vals.is_empty() {
        return Err(fail("at least one argument is required"));
    }
    // As long as all the lists together, checked before any is copied.
    let total = a.vals.iter().fold(0u64, |n, v| match v {
        V::List(l) => n.saturating_add(l.len() as u64),
        _ => n,
    });
    crate::limits::collection("concat", total).map_err(fail)?;
    let mut out = Vec::new();
    for i in 0..a.len() {
        match a.take(i) {
            V::List(l) => out.extend(l),
            v => {
                return Err(a.bad(
                    i,
                    format!(
                        "all arguments must be lists or tuples; got {}",
                        ty_of(&v).friendly()
                    ),
                ))
            }
        }
    }
    Ok(V::list(out))
}

/// The first of each run of equal values, in their order: sorted (by position among
/// equals) so that equal values are found side by side, not by comparing every pair.
fn distinct(a: &mut Args) -> Result<V, FnError> {
    let items = list_any(a, 0)?;
    // No unknown reaches here (the result would be unknown): `cmp` is `equal`.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&i, &j| cmp(&items[i], &items[j]).then(i.cmp(&j)));
    let mut first = vec![false; items.len()];
    let mut run: Option<usize> = None;
    for i in order {
        if run.is_none_or(|r| cmp(&items[r], &items[i]) != Ordering::Equal) {
            first[i] = true;
            run = Some(i);
        }
    }
    Ok(V::List(
        items
            .into_iter()
            .zip(first)
            .filter_map(|(v, keep)| keep.then_some(v))
            .collect(),
    ))
}

/// Whether the set `sorted` (in [`cmp`] order, as [`V::set`] leaves it) holds `v`.
fn holds(sorted: &[V], v: &V) -> bool {
    sorted.binary_search_by(|x| cmp(x, v)).is_ok()
}

/// Argument `i` as a whole number, or cty's message for why it is not one.
pub(super) fn whole_index(a: &Args, i: usize) -> Result<i64, String> {
    match as_num(a.get(i)) {
        None => Err("a number is required".into()),
        Some(n) => super::whole(n).ok_or_else(|| super::NOT_INT.into()),
    }
}

/// Flattens nested lists and sets; maps, primitives, nulls and unknown elements stay as
/// they are (an unknown element is taken to be a single value). Stops past `limit`
/// elements: nested lists that share their elements can hold far more than they take.
fn flatten_into(items: &[V], out: &mut Vec<V>, limit: u64) -> Result<(), FnError> {
    for v in items {
        match v {
            V::List(l) | V::Set(l) => flatten_into(l, out, limit)?,
            v => {
                if out.len() as u64 >= limit {
                    return Err(fail(crate::limits::exceeded(
                        crate::limits::Limit::CollectionLength,
                        format!("flatten would make more than {limit} elements"),
                    )));
                }
                out.push(v.clone());
            }
        }
    }
    Ok(())
}

fn flatten(a: &mut Args) -> Result<V, FnError> {
    match a.get(0) {
        V::List(l) | V::Set(l) => {
            let mut out = Vec::new();
            flatten_into(l, &mut out, crate::limits::current().collection_length)?;
            Ok(V::list(out))
        }
        _ => Err(fail("can only flatten lists, sets and tuples")),
    }
}

fn range(a: &mut Args) -> Result<V, FnError> {
    let nums = (0..a.len())
        .map(|i| a.num(i))
        .collect::<Result<Vec<f64>, _>>()?;
    let (start, end, step) = match nums[..] {
        [end] => (0.0, end, if end < 0.0 { -1.0 } else { 1.0 }),
        [start, end] => (start, end, if end < start { -1.0 } else { 1.0 }),
        [start, end, step] => (start, end, step),
        _ => return Err(fail("must have one, two, or three arguments")),
    };
    if step == 0.0 {
        return Err(a.bad(2, "step must not be zero"));
    }
    if step < 0.0 && end > start {
        return Err(a.bad(1, "end must be less than start when step is negative"));
    }
    if step > 0.0 && end < start {
        return Err(a.bad(1, "end must be greater than start when step is positive"));
    }
    let mut out = Vec::new();
    let mut n = start;
    let mut i = 0.0;
    let limit = crate::limits::current().collection_length;
    while (step > 0.0 && n < end) || (step < 0.0 && n > end) {
        if out.len() as u64 >= limit {
            return Err(fail(crate::limits::exceeded(
                crate::limits::Limit::CollectionLength,
                format!("range would make more than {limit} elements"),
            )));
        }
        if out.len() >= 1024 {
            return Err(fail(
                "more than 1024 values were generated; either decrease the difference \
                 between start and end or use a smaller step",
            ));
        }
        out.push(V::Num(n));
        // Terraform adds in 512-bit binary, where `range(0, 1, 0.1)` has ten values
        // and the fourth is 0.3: each value is computed afresh and rid of the binary
        // noise of f64 (15 significant digits), not accumulated.
        i += 1.0;
        n = start + i * step;
        if start.fract() != 0.0 || step.fract() != 0.0 {
            n = decimal(n);
        }
    }
    Ok(V::list(out))
}

/// `n` to 15 significant digits when that moves it by no more than f64's rounding
/// noise: `0.30000000000000004` is 0.3, `1000000000000001.5` stays.
fn decimal(n: f64) -> f64 {
    let d: f64 = format!("{n:.14e}").parse().unwrap_or(n);
    if (d - n).abs() <= 4.0 * f64::EPSILON * n.abs() {
        d
    } else {
        n
    }
}

fn reverse(a: &mut Args) -> Result<V, FnError> {
    match a.take(0) {
        V::List(l) | V::Set(l) => {
            let mut l = l.into_vec();
            l.reverse();
            Ok(V::list(l))
        }
        v => Err(a.bad(
            0,
            format!(
                "can only reverse list or tuple values, not {}",
                ty_of(&v).friendly()
            ),
        )),
    }
}

/// Every argument as a set (its elements unified, as when passed for `set(any)`), then
/// all of them converted to one element type.
fn sets(a: &mut Args) -> Result<Vec<Vec<V>>, FnError> {
    const MIXED: &str = "given sets must all have compatible element types";
    let mut all = Vec::new();
    let mut tys = Vec::new();
    for i in 0..a.len() {
        let items = match a.take(i) {
            V::List(l) | V::Set(l) => l,
            _ => return Err(a.bad(i, "set of any single type required")),
        };
        let ty = unify(&items.iter().map(ty_of).collect::<Vec<_>>())
            .ok_or_else(|| a.bad(i, "all set elements must have the same type"))?;
        tys.push(ty);
        all.push(items);
    }
    let ty = unify(&tys).ok_or_else(|| fail(MIXED))?;
    all.into_iter()
        .map(|l| {
            let converted = l
                .into_iter()
                .map(|v| convert(v, &ty))
                .collect::<Result<Vec<V>, String>>()
                .map_err(|_| fail(MIXED))?;
            match V::set(converted) {
                V::Set(s) => Ok(s.into_vec()),
                _ => Ok(Vec::new()),
            }
        })
        .collect()
}

fn setintersection(a: &mut Args) -> Result<V, FnError> {
    let mut sets = sets(a)?.into_iter();
    let first = sets.next().unwrap_or_default();
    let rest: Vec<Vec<V>> = sets.collect();
    Ok(V::set(
        first
            .into_iter()
            .filter(|v| rest.iter().all(|s| holds(s, v)))
            .collect(),
    ))
}

fn setsubtract(a: &mut Args) -> Result<V, FnError> {
    let mut sets = sets(a)?.into_iter();
    let (first, second) = (
        sets.next().unwrap_or_default(),
        sets.next().unwrap_or_default(),
    );
    Ok(V::set(
        first.into_iter().filter(|v| !holds(&second, v)).collect(),
    ))
}

fn setunion(a: &mut Args) -> Result<V, FnError> {
    Ok(V::set(sets(a)?.into_iter().flatten().collect()))
}

fn setproduct(a: &mut Args) -> Result<V, FnError> {
    if a.len() < 2 {
        return Err(fail("at least two arguments are required"));
    }
    let mut all_lists = true;
    let mut factors = Vec::new();
    for i in 0..a.len() {
        match a.take(i) {
            V::List(l) => factors.push(
                unify_elements(l.into_vec())
                    .ok_or_else(|| a.bad(i, "all elements must be of the same type"))?,
            ),
            V::Set(l) => {
                all_lists = false;
                factors.push(l.into_vec());
            }
            _ => return Err(a.bad(i, "a set or a list is required")),
        }
    }
    // As many elements as the lengths multiplied, each a list of one element of every
    // factor: checked before any is made.
    let n = factors
        .iter()
        .try_fold(1u64, |n, f| n.checked_mul(f.len() as u64))
        .unwrap_or(u64::MAX);
    crate::limits::collection("setproduct", n).map_err(fail)?;
    crate::limits::Growing::new()
        .add(n.saturating_mul(factors.len() as u64 + 1))
        .map_err(fail)?;
    let mut product: Vec<Vec<V>> = vec![Vec::new()];
    for factor in &factors {
        product = product
            .into_iter()
            .flat_map(|prefix| {
                factor.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(v.clone());
                    p
                })
            })
            .collect();
    }
    let product: Vec<V> = product.into_iter().map(V::list).collect();
    Ok(if all_lists {
        V::list(product)
    } else {
        V::set(product)
    })
}

fn slice(a: &mut Args) -> Result<V, FnError> {
    let list = match a.get(0) {
        V::List(l) => l,
        V::Set(_) => {
            return Err(a.bad(
                0,
                "cannot slice a set, because its elements do not have indices; explicitly \
                 convert to a list if the ordering of the result is not important",
            ))
        }
        _ => return Err(a.bad(0, "must be a list or tuple value")),
    };
    let len = list.len() as i64;
    let start = whole_index(a, 1).map_err(|e| a.bad(1, format!("invalid start index: {e}")))?;
    if start < 0 {
        return Err(a.bad(1, "start index must not be less than zero"));
    }
    if start > len {
        return Err(a.bad(
            1,
            "start index must not be greater than the length of the list",
        ));
    }
    let end = whole_index(a, 2).map_err(|e| a.bad(2, format!("invalid end index: {e}")))?;
    if end < 0 {
        return Err(a.bad(2, "end index must not be less than zero"));
    }
    if end > len {
        return Err(a.bad(
            2,
            "end index must not be greater than the length of the list",
        ));
    }
    if start > end {
        return Err(a.bad(1, "start index must not be greater than end index"));
    }
    Ok(V::list(list[start as usize..end as usize].to_vec()))
}

fn sort(a: &mut Args) -> Result<V, FnError> {
    let mut items = Vec::new();
    for (i, s) in a.strings(0)?.into_iter().enumerate() {
        items.push(s.ok_or_else(|| {
            fail(format!(
                "given list element {i} is null; a null string cannot be sorted"
            ))
        })?);
    }
    items.sort();
    Ok(V::List(items.into_iter().map(V::Str).collect()))
}

fn sum(a: &mut Args) -> Result<V, FnError> {
    let items = match a.get(0) {
        V::List(l) | V::Set(l) => l,
        V::Map(m) if !m.is_empty() => {
            return Err(a.bad(0, "argument must be list, set, or tuple. Received object"))
        }
        V::Map(_) => return Err(a.bad(0, "cannot sum an empty list")),
        _ => return Err(a.bad(0, "cannot sum noniterable")),
    };
    if items.is_empty() {
        return Err(a.bad(0, "cannot sum an empty list"));
    }
    let mut total = 0.0;
    for v in items {
        let n = match v {
            V::Null => None,
            v => as_num(v),
        };
        let Some(n) = n else {
            return Err(a.bad(0, "argument must be list, set, or tuple of number values"));
        };
        total += n;
    }
    if total.is_nan() {
        return Err(fail("can't compute sum of opposing infinities"));
    }
    Ok(V::Num(total))
}
#[cfg(test)]
mod tests {
    use super::super::tests::{call_ok, call_vals, err, j};
    use super::*;

    #[test]
    fn results() {
        for (name, args, want) in [
            ("concat", r#"[[1], [2, [3]], []]"#, "[1, 2, [3]]"),
            ("concat", r#"[[], []]"#, "[]"),
            (
                "flatten",
                r#"[[[1, [2]], {"a": [1]}, 3, [], [null]]]"#,
                r#"[1, 2, {"a": [1]}, 3, null]"#,
            ),
            (
                "distinct",
                r#"[["a", "b", "a", "c", "b"]]"#,
                r#"["a", "b", "c"]"#,
            ),
            ("distinct", r#"[[1, "1", 2]]"#, r#"["1", "2"]"#),
            ("distinct", r#"[[[1], [1], [2]]]"#, "[[1], [2]]"),
            (
                "compact",
                r#"[["a", "", null, "b", 1]]"#,
                r#"["a", "b", "1"]"#,
            ),
            ("range", "[3]", "[0, 1, 2]"),
            ("range", "[0]", "[]"),
            ("range", "[-3]", "[0, -1, -2]"),
            ("range", "[1, 4]", "[1, 2, 3]"),
            ("range", "[4, 1]", "[4, 3, 2]"),
            ("range", "[1, 1]", "[]"),
            ("range", "[0, 10, 3]", "[0, 3, 6, 9]"),
            ("range", "[10, 0, -4]", "[10, 6, 2]"),
            ("range", "[0, 1, 0.25]", "[0, 0.25, 0.5, 0.75]"),
            ("range", r#"["2"]"#, "[0, 1]"),
            ("slice", "[[1, 2, 3], 1, 2]", "[2]"),
            ("slice", "[[1, 2, 3], 0, 3]", "[1, 2, 3]"),
            ("slice", "[[1, 2, 3], 3, 3]", "[]"),
            ("chunklist", "[[1, 2, 3], 2]", "[[1, 2], [3]]"),
            ("chunklist", "[[1, 2, 3], 0]", "[[1, 2, 3]]"),
            ("chunklist", "[[], 2]", "[]"),
            ("reverse", "[[1, 2, 3]]", "[3, 2, 1]"),
            ("sort", r#"[["b", "a", "B"]]"#, r#"["B", "a", "b"]"#),
            ("sort", "[[3, 1, 20]]", r#"["1", "20", "3"]"#),
            ("sum", r#"[[1, "2", 3.5]]"#, "6.5"),
            (
                "setproduct",
                r#"[["a", "b"], [1, 2]]"#,
                r#"[["a", 1], ["a", 2], ["b", 1], ["b", 2]]"#,
            ),
            (
                "setproduct",
                r#"[[1, "a"], [true]]"#,
                r#"[["1", true], ["a", true]]"#,
            ),
            ("setproduct", "[[], [1]]", "[]"),
        ] {
            assert_eq!(call_ok(name, args), j(want), "{name}({args})");
        }
    }

    #[test]
    fn sets() {
        let set = |items: &str| match j(items) {
            V::List(l) => V::set(l.into_vec()),
            v => panic!("{v}"),
        };
        for (name, args, want) in [
            ("setunion", r#"[["a"], [1]]"#, r#"["1", "a"]"#),
            ("setunion", r#"[["b", "a"], ["a"], []]"#, r#"["a", "b"]"#),
            ("setintersection", r#"[["a", "b"], ["b", 1]]"#, r#"["b"]"#),
            ("setintersection", r#"[["a", "b"]]"#, r#"["a", "b"]"#),
            ("setsubtract", r#"[["a", "b"], ["a"]]"#, r#"["b"]"#),
        ] {
            assert_eq!(call_ok(name, args), set(want), "{name}({args})");
        }
        let ab = V::set(vec![V::str("b"), V::str("a")]);
        let product = call_vals("setproduct", vec![ab.clone(), j("[1, 2]")]);
        assert_eq!(
            product,
            Ok(set(r#"[["a", 1], ["a", 2], ["b", 1], ["b", 2]]"#))
        );
        assert_eq!(
            call_vals("reverse", vec![ab.clone()]),
            Ok(j(r#"["b", "a"]"#))
        );
        assert_eq!(
            call_vals("flatten", vec![V::list(vec![ab.clone()])]),
            Ok(j(r#"["a", "b"]"#))
        );
        assert_eq!(
            call_vals("sort", vec![ab]),
            Ok(j(r#"["a", "b"]"#)),
            "a set converts to a list of strings"
        );
    }

    #[test]
    fn distinct_and_the_set_functions_compare_n_log_n_times() {
        // distinct of 2×10^5 elements compared every pair (over 60 s); so did
        // setintersection, setsubtract and matchkeys. Counted, not timed.
        let n = 5000;
        let items = |f: fn(usize) -> String| V::List((0..n).map(|i| V::Str(f(i))).collect());
        let doubled = V::List(
            (0..2 * n)
                .map(|i| V::Str(format!("k{}", (i * 7919) % n)))
                .collect(),
        );
        let cases: Vec<(&str, Vec<V>)> = vec![
            ("distinct", vec![doubled.clone()]),
            (
                "setintersection",
                vec![items(|i| format!("k{i}")), doubled.clone()],
            ),
            (
                "setsubtract",
                vec![items(|i| format!("k{i}")), doubled.clone()],
            ),
            (
                "setunion",
                vec![items(|i| format!("k{i}")), doubled.clone()],
            ),
            (
                "matchkeys",
                vec![
                    doubled.clone(),
                    doubled.clone(),
                    items(|i| format!("k{}", 2 * i)),
                ],
            ),
            ("toset", vec![doubled.clone()]),
        ];
        for (name, args) in cases {
            crate::value::COMPARED.with(|c| c.set(0));
            let got = call_vals(name, args);
            let compared = crate::value::COMPARED.with(|c| c.get());
            assert!(got.is_ok(), "{name}: {got:?}");
            // n log2 n is about 61 000 for 5000; every pair would be 12.5 million.
            assert!(
                compared < 40 * n as u64 * 13,
                "{name}: {compared} comparisons"
            );
        }
        // The first of each value, in order.
        assert_eq!(
            call_ok("distinct", r#"[["b", "a", "b", "c", "a", "b"]]"#),
            j(r#"["b", "a", "c"]"#)
        );
        assert_eq!(call_ok("distinct", "[[0, -0, 1]]"), j("[0, 1]"));
        assert_eq!(
            call_ok("distinct", r#"[[{"a": [1]}, {"a": [2]}, {"a": [1]}]]"#),
            j(r#"[{"a": [1]}, {"a": [2]}]"#)
        );
        assert_eq!(
            call_ok("matchkeys", r#"[["a", "b", "c"], ["x", "y", "x"], ["x"]]"#),
            j(r#"["a", "c"]"#)
        );
    }

    #[test]
    fn errors() {
        for (name, args, want) in [
            ("concat", r#"[[1], "a"]"#, r#"Invalid value for "seqs" parameter: all arguments must be lists or tuples; got string"#),
            ("concat", "[]", "at least one argument is required"),
            ("concat", "[null]", r#"Invalid value for "seqs" parameter: argument must not be null"#),
            ("flatten", r#"["a"]"#, "can only flatten lists, sets and tuples"),
            ("distinct", r#"["a"]"#, r#"Invalid value for "list" parameter: list of any single type required"#),
            ("distinct", "[[1, true]]", r#"Invalid value for "list" parameter: all list elements must have the same type"#),
            ("compact", r#"["a"]"#, r#"Invalid value for "list" parameter: list of string required"#),
            ("compact", "[[[1]]]", r#"Invalid value for "list" parameter: element 0: string required"#),
            ("range", "[]", "must have one, two, or three arguments"),
            ("range", "[1, 2, 3, 4]", "must have one, two, or three arguments"),
            ("range", "[0, 10, 0]", r#"Invalid value for "params" parameter: step must not be zero"#),
            ("range", "[0, 10, -1]", r#"Invalid value for "params" parameter: end must be less than start when step is negative"#),
            ("range", "[10, 0, 1]", r#"Invalid value for "params" parameter: end must be greater than start when step is positive"#),
            ("range", "[1025]", "more than 1024 values were generated; either decrease the difference between start and end or use a smaller step"),
            ("range", r#"["x"]"#, r#"Invalid value for "params" parameter: a number is required"#),
            ("slice", "[[1, 2, 3], 2, 1]", r#"Invalid value for "start_index" parameter: start index must not be greater than end index"#),
            ("slice", "[[1, 2, 3], 0, 4]", r#"Invalid value for "end_index" parameter: end index must not be greater than the length of the list"#),
            ("slice", "[[1, 2, 3], -1, 1]", r#"Invalid value for "start_index" parameter: start index must not be less than zero"#),
            ("slice", "[[1, 2, 3], 4, 4]", r#"Invalid value for "start_index" parameter: start index must not be greater than the length of the list"#),
            ("slice", "[[1, 2, 3], 0, -1]", r#"Invalid value for "end_index" parameter: end index must not be less than zero"#),
            ("slice", "[[1, 2, 3], 0.5, 1]", r#"Invalid value for "start_index" parameter: invalid start index: value must be a whole number, between -9223372036854775808 and 9223372036854775807"#),
            ("slice", r#"["abc", 0, 1]"#, r#"Invalid value for "list" parameter: must be a list or tuple value"#),
            ("chunklist", "[[1], -1]", "the size argument must be positive"),
            ("chunklist", "[[1], 1.5]", r#"Invalid value for "size" parameter: value must be a whole number, between -9223372036854775808 and 9223372036854775807"#),
            ("reverse", r#"["a"]"#, r#"Invalid value for "list" parameter: can only reverse list or tuple values, not string"#),
            ("setproduct", "[[1]]", "at least two arguments are required"),
            ("setproduct", r#"[["a"], "b"]"#, r#"Invalid value for "sets" parameter: a set or a list is required"#),
            ("setproduct", r#"[[1, true], [1]]"#, r#"Invalid value for "sets" parameter: all elements must be of the same type"#),
            ("setunion", r#"[["a"], [[1]]]"#, "given sets must all have compatible element types"),
            ("setunion", r#"["a"]"#, r#"Invalid value for "first_set" parameter: set of any single type required"#),
            ("setunion", r#"[[1, true], ["a"]]"#, r#"Invalid value for "first_set" parameter: all set elements must have the same type"#),
            ("setsubtract", r#"[["", "b"], [true, 2]]"#, r#"Invalid value for "b" parameter: all set elements must have the same type"#),
            ("setintersection", r#"[["a"], ["b"], [[1], "c"]]"#, r#"Invalid value for "other_sets" parameter: all set elements must have the same type"#),
            ("setsubtract", r#"[["a"], "b"]"#, r#"Invalid value for "b" parameter: set of any single type required"#),
            ("sort", r#"[["b", null]]"#, "given list element 1 is null; a null string cannot be sorted"),
            ("sum", "[[]]", r#"Invalid value for "list" parameter: cannot sum an empty list"#),
            ("sum", r#"["a"]"#, r#"Invalid value for "list" parameter: cannot sum noniterable"#),
            ("sum", "[[true]]", r#"Invalid value for "list" parameter: argument must be list, set, or tuple of number values"#),
            ("sum", r#"[{"a": 1}]"#, r#"Invalid value for "list" parameter: argument must be list, set, or tuple. Received object"#),
        ] {
            assert_eq!(err(name, args), want, "{name}({args})");
        }
    }

    #[test]
    fn unknowns_keep_what_they_can() {
        let partly = V::list(vec![V::unknown(), V::Num(1.0)]);
        for (name, args, want) in [
            (
                "concat",
                vec![partly.clone(), j("[2]")],
                V::list(vec![V::unknown(), V::Num(1.0), V::Num(2.0)]),
            ),
            ("concat", vec![V::unknown(), j("[2]")], V::unknown()),
            (
                "flatten",
                vec![V::list(vec![partly.clone(), j("[[2]]")])],
                V::list(vec![V::unknown(), V::Num(1.0), V::Num(2.0)]),
            ),
            ("distinct", vec![partly.clone()], V::unknown()),
            (
                "compact",
                vec![V::list(vec![V::str("a"), V::unknown()])],
                V::unknown(),
            ),
            (
                "sort",
                vec![V::list(vec![V::str("a"), V::unknown()])],
                V::unknown(),
            ),
            (
                "slice",
                vec![partly.clone(), V::Num(0.0), V::Num(1.0)],
                V::list(vec![V::unknown()]),
            ),
            (
                "reverse",
                vec![partly.clone()],
                V::list(vec![V::Num(1.0), V::unknown()]),
            ),
            ("sum", vec![partly.clone()], V::unknown()),
            ("range", vec![V::unknown()], V::unknown()),
            ("setunion", vec![partly.clone(), j("[2]")], V::unknown()),
        ] {
            assert_eq!(call_vals(name, args.clone()), Ok(want), "{name}({args:?})");
        }
    }
}
