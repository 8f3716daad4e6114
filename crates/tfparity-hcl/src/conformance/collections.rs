//! Collection functions: lists, maps and sets, their lookups, and the set algebra.

use super::{c, Case};

pub(super) const CASES: &[Case] = &[
    // length
    c("length([])", "0"),
    c(r#"length(["a", "b"])"#, "2"),
    c(r#"length({"a" = "b"})"#, "1"),
    c(r#"length(toset(["a", "a"]))"#, "1"),
    c("length(u)", "u"),
    c(
        "length(5)",
        "error: argument must be a string, a collection type, or a structural type",
    ),
    // element: the index wraps around, and a negative one counts from the end.
    c(r#"element(["a", "b", "c"], 1)"#, r#""b""#),
    c(r#"element(["a", "b", "c"], 3)"#, r#""a""#),
    c(r#"element(["a", "b", "c"], 7)"#, r#""b""#),
    c(r#"element(["a", "b", "c"], -1)"#, r#""c""#),
    c(r#"element(["a", "b", "c"], -4)"#, r#""c""#),
    c(
        r#"element([], 0)"#,
        "error: cannot use element function with an empty list",
    ),
    c(r#"element(["a"], 0.5)"#, "error: invalid index"),
    c(r#"element(["a", u], 0)"#, r#""a""#),
    // index
    c(r#"index(["a", "b", "c"], "b")"#, "1"),
    c(r#"index(["a", "b", "c"], "z")"#, "error: item not found"),
    c(r#"index(["1"], 1)"#, "error: item not found"),
    c(r#"index([1, 2, 1], 1)"#, "0"),
    c(r#"index([], "z")"#, "error: cannot search an empty list"),
    // contains: no conversion between kinds.
    c(r#"contains(["a", "b", "c"], "a")"#, "true"),
    c(r#"contains(["a", "b", "c"], "d")"#, "false"),
    c(r#"contains(toset(["a"]), "a")"#, "true"),
    c(r#"contains([[1, 2]], [1, 2])"#, "true"),
    c(r#"contains(["a", u], "a")"#, "true"),
    c(r#"contains(["a", u], "b")"#, "u"),
    // slice
    c(r#"slice(["a", "b", "c", "d"], 1, 3)"#, r#"["b", "c"]"#),
    c(r#"slice(["a", "b"], 0, 0)"#, "[]"),
    c(r#"slice(["a", "b"], 2, 2)"#, "[]"),
    c(
        r#"slice(["a", "b"], 0, 3)"#,
        "error: end index must not be greater than the length of the list",
    ),
    c(
        r#"slice(["a", "b"], 2, 1)"#,
        "error: start index must not be greater than end index",
    ),
    c(
        r#"slice(["a", "b"], -1, 1)"#,
        "error: start index must not be less than zero",
    ),
    c(r#"slice(toset(["a"]), 0, 1)"#, "error: cannot slice a set"),
    // concat, reverse, distinct, compact, flatten
    c(r#"concat(["a", ""], ["b", "c"])"#, r#"["a", "", "b", "c"]"#),
    c("concat()", "error: at least one argument is required"),
    c(r#"concat([1], [], [2, 3])"#, "[1, 2, 3]"),
    c("reverse([1, 2, 3])", "[3, 2, 1]"),
    c("reverse([])", "[]"),
    c(
        r#"distinct(["a", "b", "a", "c", "d", "b"])"#,
        r#"["a", "b", "c", "d"]"#,
    ),
    c("distinct([])", "[]"),
    c(r#"distinct([1, "1"])"#, r#"["1"]"#),
    c(r#"distinct([[1], [1], [2]])"#, "[[1], [2]]"),
    c(
        r#"compact(["a", "", "b", null, "c"])"#,
        r#"["a", "b", "c"]"#,
    ),
    c(r#"compact([])"#, "[]"),
    c(r#"flatten([["a", "b"], [], ["c"]])"#, r#"["a", "b", "c"]"#),
    c(
        r#"flatten([[["a", "b"], []], ["c"]])"#,
        r#"["a", "b", "c"]"#,
    ),
    c(r#"flatten(["a", ["b"]])"#, r#"["a", "b"]"#),
    c(r#"flatten([])"#, "[]"),
    c(r#"flatten([{a = 1}, [{b = 2}]])"#, "[{a = 1}, {b = 2}]"),
    c(
        r#"flatten("a")"#,
        "error: can only flatten lists, sets and tuples",
    ),
    // chunklist
    c(
        r#"chunklist(["a", "b", "c", "d", "e"], 2)"#,
        r#"[["a", "b"], ["c", "d"], ["e"]]"#,
    ),
    c(
        r#"chunklist(["a", "b", "c"], 1)"#,
        r#"[["a"], ["b"], ["c"]]"#,
    ),
    c(r#"chunklist(["a", "b"], 0)"#, r#"[["a", "b"]]"#),
    c(r#"chunklist([], 2)"#, "[]"),
    c(
        r#"chunklist(["a"], -1)"#,
        "error: the size argument must be positive",
    ),
    // coalesce: the first non-null, non-empty value, converted to the common type.
    c(r#"coalesce("a", "b")"#, r#""a""#),
    c(r#"coalesce("", "b")"#, r#""b""#),
    c("coalesce(1, 2)", "1"),
    c(r#"coalesce(["", "b"]...)"#, r#""b""#),
    c(r#"coalesce(null, "x")"#, r#""x""#),
    c(r#"coalesce(1, "hello")"#, r#""1""#),
    c(r#"coalesce(true, "hello")"#, r#""true""#),
    c(
        r#"coalesce({}, "hello")"#,
        "error: all arguments must have the same type",
    ),
    c(
        r#"coalesce(null, "")"#,
        "error: no non-null, non-empty-string arguments",
    ),
    c(r#"coalesce("a", u)"#, r#""a""#),
    c(r#"coalesce(u, "a")"#, "u"),
    c(r#"coalescelist(["a", "b"], ["c", "d"])"#, r#"["a", "b"]"#),
    c(r#"coalescelist([], ["c", "d"])"#, r#"["c", "d"]"#),
    c(r#"coalescelist([[], ["c", "d"]]...)"#, r#"["c", "d"]"#),
    c(r#"coalescelist([], [])"#, "error: no non-null arguments"),
    c(
        r#"coalescelist("a")"#,
        "error: coalescelist arguments must be lists or tuples",
    ),
    // keys and values in key order; lookup; merge (later arguments win).
    c("keys({a = 1, c = 2, d = 3})", r#"["a", "c", "d"]"#),
    c("keys({b = 1, a = 2})", r#"["a", "b"]"#),
    c("keys({})", "[]"),
    c("values({a = 3, c = 2, d = 1})", "[3, 2, 1]"),
    c("values({b = 1, a = 2})", "[2, 1]"),
    c("keys([1])", "error: must have map or object type"),
    c(r#"lookup({a = "ay", b = "bee"}, "a", "what?")"#, r#""ay""#),
    c(
        r#"lookup({a = "ay", b = "bee"}, "c", "what?")"#,
        r#""what?""#,
    ),
    c(r#"lookup({a = "ay"}, "a")"#, r#""ay""#),
    c(r#"lookup({a = "ay"}, "c")"#, r#"error: "c""#),
    c(r#"lookup(tomap({a = "ay"}), "c", null)"#, "null"),
    c(r#"lookup(obj, "a")"#, "1"),
    c(r#"lookup({a = 1, b = 2}, "b", 0)"#, "2"),
    c(r#"lookup(u, "a", 1)"#, "u"),
    c(r#"keys(u)"#, "u"),
    c(
        r#"lookup([1], "a")"#,
        "error: lookup() requires a map as the first argument",
    ),
    c(
        r#"merge({a = "b", c = "d"}, {e = "f", c = "z"})"#,
        r#"{a = "b", c = "z", e = "f"}"#,
    ),
    c(
        r#"merge({a = "b"}, {a = [1, 2], c = "z"}, {d = 3})"#,
        r#"{a = [1, 2], c = "z", d = 3}"#,
    ),
    c(
        r#"merge([{a = "b", c = "d"}, {}, {e = "f", c = "z"}]...)"#,
        r#"{a = "b", c = "z", e = "f"}"#,
    ),
    c("merge()", "{}"),
    c("merge(null, {a = 1})", "{a = 1}"),
    c(
        r#"merge({a = 1}, "x")"#,
        "error: arguments must be maps or objects",
    ),
    // matchkeys, transpose, zipmap
    c(
        r#"matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])"#,
        r#"["i-abc", "i-def"]"#,
    ),
    c(r#"matchkeys(["a", "b"], ["x", "y"], [])"#, "[]"),
    c(
        r#"matchkeys(["a", "b"], ["x"], ["x"])"#,
        "error: length of keys and values should be equal",
    ),
    c(
        r#"transpose({"a" = ["1", "2"], "b" = ["2", "3"]})"#,
        r#"{"1" = ["a"], "2" = ["a", "b"], "3" = ["b"]}"#,
    ),
    c("transpose({})", "{}"),
    c(r#"transpose({a = []})"#, "{}"),
    c(r#"zipmap(["a", "b"], [1, 2])"#, "{a = 1, b = 2}"),
    c(r#"zipmap([], [])"#, "{}"),
    c(
        r#"zipmap(["a"], [1, 2])"#,
        "error: number of keys (1) does not match number of values (2)",
    ),
    // one
    c("one([])", "null"),
    c(r#"one(["hello"])"#, r#""hello""#),
    c(
        r#"one(["hello", "goodbye"])"#,
        "error: must be a list, set, or tuple value with either zero or one elements",
    ),
    c("one(toset([]))", "null"),
    c(r#"one(toset(["hello"]))"#, r#""hello""#),
    c(
        r#"one(toset(["hello", "goodbye"]))"#,
        "error: either zero or one elements",
    ),
    c(
        r#"one({a = 1})"#,
        "error: must be a list, set, or tuple value with either zero or one elements",
    ),
    // alltrue / anytrue
    c(r#"alltrue(["true", true])"#, "true"),
    c("alltrue([true, false])", "false"),
    c("alltrue([])", "true"),
    c(r#"anytrue(["true"])"#, "true"),
    c("anytrue([true, false])", "true"),
    c("anytrue([])", "false"),
    c("anytrue([false, false])", "false"),
    c("alltrue([true, u])", "u"),
    c("alltrue([false, u])", "false"),
    c("anytrue([true, u])", "true"),
    // sum
    c("sum([10, 13, 6, 4.5])", "33.5"),
    c(r#"sum(["1", 2])"#, "3"),
    c("sum([])", "error: cannot sum an empty list"),
    c("sum(5)", "error: cannot sum noniterable"),
    c(
        r#"sum(["a"])"#,
        "error: argument must be list, set, or tuple of number values",
    ),
    c(
        "sum([1, null])",
        "error: argument must be list, set, or tuple of number values",
    ),
    // range
    c("range(3)", "[0, 1, 2]"),
    c("range(0)", "[]"),
    c("range(-3)", "[0, -1, -2]"),
    c("range(1, 4)", "[1, 2, 3]"),
    c("range(1, 8, 2)", "[1, 3, 5, 7]"),
    c("range(1, 4, 0.5)", "[1, 1.5, 2, 2.5, 3, 3.5]"),
    c("range(4, 1)", "[4, 3, 2]"),
    c("range(10, 5, -2)", "[10, 8, 6]"),
    c("range(1, 1)", "[]"),
    c("length(range(0, 1, 0.1))", "10"),
    c("range(0, 0.35, 0.1)[3]", "0.3"),
    c("range(1, 2, 0.25)", "[1, 1.25, 1.5, 1.75]"),
    c("range(1, 0, -0.1)[9]", "0.1"),
    c("length(range(0, 1000, 1))", "1000"),
    c(
        "range(1000000000000000, 1000000000000003)",
        "[1000000000000000, 1000000000000001, 1000000000000002]",
    ),
    c(
        "range(0.5, 1000000000000003, 500000000000001)",
        "[0.5, 500000000000001.5, 1000000000000002.5]",
    ),
    c("range(1, 4, 0)", "error: step must not be zero"),
    c(
        "range(1, 4, -1)",
        "error: end must be less than start when step is negative",
    ),
    c(
        "range(4, 1, 1)",
        "error: end must be greater than start when step is positive",
    ),
    c("range(2000)", "error: more than 1024 values were generated"),
    c("range()", "error: must have one, two, or three arguments"),
    // sort: lexical, as strings.
    c(r#"sort(["e", "d", "a", "x"])"#, r#"["a", "d", "e", "x"]"#),
    c("sort([10, 9, 1])", r#"["1", "10", "9"]"#),
    c(r#"sort(["b", "B", "a"])"#, r#"["B", "a", "b"]"#),
    c("sort([])", "[]"),
    c(
        r#"sort(["a", null])"#,
        "error: a null string cannot be sorted",
    ),
    // sets
    c(
        r#"setintersection(["a", "b"], ["b", "c"], ["b", "d"])"#,
        r#"toset(["b"])"#,
    ),
    c(r#"setintersection(["a"], [])"#, "toset([])"),
    c(
        r#"setsubtract(["a", "b", "c"], ["a", "c"])"#,
        r#"toset(["b"])"#,
    ),
    c(
        r#"setunion(setsubtract(["a", "b", "c"], ["a", "c", "d"]), setsubtract(["a", "c", "d"], ["a", "b", "c"]))"#,
        r#"toset(["b", "d"])"#,
    ),
    c(
        r#"setunion(["a", "b"], ["b", "c"], ["d"])"#,
        r#"toset(["a", "b", "c", "d"])"#,
    ),
    c(r#"setunion(["a"], [1])"#, r#"toset(["1", "a"])"#),
    c(
        r#"setproduct(["development", "staging"], ["app1", "app2"])"#,
        r#"[["development", "app1"], ["development", "app2"], ["staging", "app1"], ["staging", "app2"]]"#,
    ),
    c(r#"setproduct(["a"], ["b"])"#, r#"[["a", "b"]]"#),
    c(
        r#"setproduct(["development", "staging", "production"], [])"#,
        "[]",
    ),
    c(
        r#"setproduct(["staging", "production"], ["a", 2])"#,
        r#"[["staging", "a"], ["staging", "2"], ["production", "a"], ["production", "2"]]"#,
    ),
    c(
        r#"setproduct(toset(["b", "a"]), toset(["x"]))"#,
        r#"toset([["a", "x"], ["b", "x"]])"#,
    ),
    c(
        r#"setproduct(["a"])"#,
        "error: at least two arguments are required",
    ),
    c(
        r#"setproduct(["a"], "b")"#,
        "error: a set or a list is required",
    ),
    // A collection that holds values known only after apply is itself known: only a
    // wholly unknown argument makes a result unknown, then each function decides.
    c("length([u, 1])", "2"),
    c("length({a = u})", "1"),
    c("keys({a = u, b = 1})", r#"["a", "b"]"#),
    c("values({a = u, b = 1})", "[u, 1]"),
    c("merge({a = u}, {b = 1})", "{a = u, b = 1}"),
    c("merge({a = 1}, u)", "u"),
    c(r#"lookup({a = u, b = 1}, "b")"#, "1"),
    c("concat([u], [1])", "[u, 1]"),
    c("reverse([u, 1])", "[1, u]"),
    c("slice([u, 1, 2], 1, 3)", "[1, 2]"),
    c("flatten([[u], [1]])", "[u, 1]"),
    c("one([u])", "u"),
    c(r#"zipmap(["a", "b"], [u, 1])"#, "{a = u, b = 1}"),
    c("chunklist([u, 1, 2], 2)", "[[u, 1], [2]]"),
    c("sum([u, 1])", "u"),
    c("distinct([u, 1])", "u"),
    c(r#"index([u, "a"], "a")"#, "u"),
    c("sort([u])", "u"),
    c("setunion([u], [1])", "u"),
    // Repeats and nulls.
    c(r#"zipmap(["a", "a"], [1, 2])"#, "{a = 2}"),
    c(r#"transpose({a = ["1", "1"]})"#, r#"{"1" = ["a", "a"]}"#),
    c(
        r#"setproduct(["a", "a"], ["b"])"#,
        r#"[["a", "b"], ["a", "b"]]"#,
    ),
    c(r#"contains(["a", null], null)"#, "true"),
    c(r#"chunklist(toset(["b", "a"]), 1)"#, r#"[["a"], ["b"]]"#),
    c(r#"concat(["a"], "b")"#, "error: "),
    c(
        r#"coalesce(1, true)"#,
        "error: all arguments must have the same type",
    ),
    // Sets have no order to index or slice; reverse and sort take them as lists.
    c(
        r#"element(toset(["a", "b"]), 0)"#,
        "error: cannot read elements from set",
    ),
    c(
        r#"index(toset(["a"]), "a")"#,
        "error: argument must be a list or tuple",
    ),
    c(r#"reverse(toset(["a", "b"]))"#, r#"["b", "a"]"#),
    c(
        r#"reverse("ab")"#,
        "error: can only reverse list or tuple values, not string",
    ),
    c(
        r#"coalescelist(toset([]), ["b"])"#,
        "error: coalescelist arguments must be lists or tuples",
    ),
    c(r#"one(toset(["a"]))"#, r#""a""#),
    c(r#"flatten([toset(["b", "a"])])"#, r#"["a", "b"]"#),
    c(
        r#"concat(toset(["b", "a"]), ["c"])"#,
        "error: all arguments must be lists or tuples; got set of string",
    ),
    c(r#"distinct(toset(["a"]))"#, r#"["a"]"#),
    c(r#"sort(toset(["b", "a"]))"#, r#"["a", "b"]"#),
    c(r#"length(toset([1, 1, 2]))"#, "2"),
    // functions Terraform removed in v0.12
    c(
        r#"list("a")"#,
        r#"error: the "list" function was deprecated in Terraform v0.12"#,
    ),
    c(
        r#"map("a", 1)"#,
        r#"error: the "map" function was deprecated in Terraform v0.12"#,
    ),
];
