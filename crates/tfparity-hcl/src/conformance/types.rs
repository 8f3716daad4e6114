//! Type conversion: the `to*` functions, automatic conversion of arguments and
//! operands, sensitivity (`sensitive`, `nonsensitive`, `issensitive`), `try` and `can`.

use super::{c, known, Case};

/// Why lists and tuples, maps and objects are one kind here.
const ONE_KIND: &str = "no separate tuple/object types (docs/hcl.md, Known differences)";

pub(super) const CASES: &[Case] = &[
    // tostring
    c(r#"tostring("hello")"#, r#""hello""#),
    c("tostring(1)", r#""1""#),
    c("tostring(1.5)", r#""1.5""#),
    c("tostring(-0.25)", r#""-0.25""#),
    c("tostring(true)", r#""true""#),
    c("tostring(null)", "null"),
    c("tostring([])", "error: cannot convert tuple to string"),
    c("tostring({})", "error: cannot convert object to string"),
    c("tostring(u)", "u"),
    // tonumber: decimal text only.
    c("tonumber(1)", "1"),
    c(r#"tonumber("1")"#, "1"),
    c(r#"tonumber("-1.5")"#, "-1.5"),
    c(r#"tonumber("1e3")"#, "1000"),
    c(r#"tonumber("+2")"#, "2"),
    c("tonumber(null)", "null"),
    c(
        r#"tonumber("no")"#,
        r#"error: cannot convert "no" to number; given string must be a decimal representation of a number"#,
    ),
    c(
        r#"tonumber("0x1")"#,
        r#"error: cannot convert "0x1" to number"#,
    ),
    c(
        r#"tonumber(" 1")"#,
        r#"error: cannot convert " 1" to number"#,
    ),
    c(
        r#"tonumber("1_000")"#,
        r#"error: cannot convert "1_000" to number"#,
    ),
    c(r#"tonumber("")"#, r#"error: cannot convert "" to number"#),
    c("tonumber(true)", "error: cannot convert bool to number"),
    // tobool: "true"/"false", and also "1"/"0" (go-cty's string conversion).
    c("tobool(true)", "true"),
    c(r#"tobool("true")"#, "true"),
    c(r#"tobool("false")"#, "false"),
    c(r#"tobool("1")"#, "true"),
    c(r#"tobool("0")"#, "false"),
    c("tobool(null)", "null"),
    c(r#"tobool("no")"#, r#"error: cannot convert "no" to bool"#),
    c(
        r#"tobool("TRUE")"#,
        r#"error: cannot convert "TRUE" to bool"#,
    ),
    c("tobool(1)", "error: cannot convert number to bool"),
    // tolist / toset / tomap: elements converted to one type.
    c(r#"tolist(["a", "b", "c"])"#, r#"["a", "b", "c"]"#),
    c(r#"tolist(["a", "b", 3])"#, r#"["a", "b", "3"]"#),
    c(
        r#"tolist([1, true])"#,
        "error: cannot convert tuple to list of any single type",
    ),
    c(r#"tolist(["a", 1, true])"#, r#"["a", "1", "true"]"#),
    c(r#"tolist(toset(["b", "a"]))"#, r#"["a", "b"]"#),
    c("tolist([])", "[]"),
    c("tolist(null)", "null"),
    c(r#"tolist(["a", [1]])"#, "error: "),
    c(r#"tolist({a = 1})"#, "error: "),
    c(r#"toset(["a", "b", "c"])"#, r#"toset(["c", "b", "a"])"#),
    c(r#"toset(["a", "b", 3])"#, r#"toset(["3", "a", "b"])"#),
    c(r#"toset(["c", "b", "b"])"#, r#"toset(["b", "c"])"#),
    c(r#"length(toset(["c", "b", "b"]))"#, "2"),
    c(r#"tolist(toset([3, 1, 2]))"#, "[1, 2, 3]"),
    c(r#"tolist(toset(["b", "a", "c"]))"#, r#"["a", "b", "c"]"#),
    c(r#"toset([{a = 1}, {a = 1}])"#, "toset([{a = 1}])"),
    c(r#"tomap({"a" = 1, "b" = 2})"#, "{a = 1, b = 2}"),
    c(
        r#"tomap({"a" = "foo", "b" = true})"#,
        r#"{a = "foo", b = "true"}"#,
    ),
    c(r#"tomap({})"#, "{}"),
    c(r#"tomap(["a"])"#, "error: "),
    c(r#"tomap({a = "x", b = [1]})"#, "error: "),
    // Function arguments convert to the parameter's type.
    c(r#"upper(true)"#, r#""TRUE""#),
    c(r#"substr(12345, 1, 2)"#, r#""23""#),
    c(r#"cidrhost("10.0.0.0/24", "3")"#, r#""10.0.0.3""#),
    c(r#"join(",", toset(["b", "a"]))"#, r#""a,b""#),
    // convert (OpenTofu): a value to a type constraint.
    c(r#"convert("true", bool)"#, "true"),
    c(
        r#"convert({}, object({ name = optional(string, "OpenTofu") }))"#,
        r#"{name = "OpenTofu"}"#,
    ),
    c("convert(1, string)", r#""1""#),
    c(r#"convert([1, "2"], list(number))"#, "[1, 2]"),
    c(
        r#"convert(["b", "a", "b"], set(string))"#,
        r#"toset(["a", "b"])"#,
    ),
    c(r#"convert({a = 1}, map(string))"#, r#"{a = "1"}"#),
    c("convert(null, string)", "null"),
    c("convert(u, number)", "u"),
    c(r#"convert("x", number)"#, "error: a number is required"),
    c(r#"convert(1, nosuchtype)"#, "error: nosuchtype"),
    c(r#"convert(secret, string)"#, r#"sensitive("hunter2")"#),
    c(
        r#"convert({a = 1, b = 2}, object({a = number}))"#,
        "{a = 1}",
    ),
    c(
        r#"convert({a = "x"}, object({a = number}))"#,
        "error: a number is required",
    ),
    c(
        r#"convert({}, object({a = string}))"#,
        r#"error: attribute "a" is required"#,
    ),
    c(
        r#"convert({a = null}, object({a = optional(string, "d")}))"#,
        r#"{a = "d"}"#,
    ),
    c(
        r#"convert({b = {}}, object({b = object({c = optional(number, 5)})}))"#,
        "{b = {c = 5}}",
    ),
    c(
        r#"convert([{}], list(object({x = optional(bool, true)})))"#,
        "[{x = true}]",
    ),
    c(
        r#"convert({}, object({a = optional(string)}))"#,
        "{a = null}",
    ),
    c(r#"convert([1], tuple([string]))"#, r#"["1"]"#),
    c(r#"convert([1, 2], tuple([string]))"#, "error: "),
    c(r#"convert("a", list(string))"#, "error: "),
    c(r#"convert(["a"], string)"#, "error: "),
    c(r#"convert({a = [1]}, map(list(string)))"#, r#"{a = ["1"]}"#),
    c(r#"convert(1, any)"#, "1"),
    c(r#"convert(["a", 1], list(any))"#, r#"["a", "1"]"#),
    c(
        r#"convert(["a", {}], list(any))"#,
        "error: all list elements must have the same type",
    ),
    c(
        r#"convert({a = "x", b = true}, map(any))"#,
        r#"{a = "x", b = "true"}"#,
    ),
    c(
        r#"convert({a = "x", b = []}, map(any))"#,
        "error: all map elements must have the same type",
    ),
    c(r#"convert([1, "1"], set(any))"#, r#"toset(["1"])"#),
    c(r#"convert([[1], ["a"]], list(any))"#, r#"[["1"], ["a"]]"#),
    c(r#"convert([1, 2], list(any))"#, "[1, 2]"),
    c(
        r#"convert([{a = 1}, {a = "x"}], list(any))"#,
        r#"[{a = "1"}, {a = "x"}]"#,
    ),
    // Objects with different attributes meet as maps.
    c(
        r#"convert([{a = 1}, {b = 2}], list(any))"#,
        "[{a = 1}, {b = 2}]",
    ),
    c(
        r#"tolist([{a = 1}, {b = "x"}])"#,
        r#"[{a = "1"}, {b = "x"}]"#,
    ),
    c(
        r#"tolist([{a = 1}, {b = true}])"#,
        "error: cannot convert tuple to list of any single type",
    ),
    c(
        r#"convert([{a = 1}, {b = true}], list(any))"#,
        "error: all list elements must have the same type",
    ),
    c(
        r#"tolist([[1], [true]])"#,
        "error: cannot convert tuple to list of any single type",
    ),
    c(r#"tolist([["a"], [1]])"#, r#"[["a"], ["1"]]"#),
    c(r#"tolist([null, "a"])"#, r#"[null, "a"]"#),
    c(r#"tolist([u, "a"])"#, r#"[u, "a"]"#),
    // Sensitivity
    c("sensitive(1)", "sensitive(1)"),
    c(r#"sensitive("hello")"#, r#"sensitive("hello")"#),
    c("issensitive(1)", "false"),
    c(r#"issensitive("hello")"#, "false"),
    c(r#"issensitive(sensitive("hello"))"#, "true"),
    c("issensitive(secret)", "true"),
    c("issensitive(upper(secret))", "true"),
    c("issensitive(u)", "u"),
    c("issensitive(sensitive(u))", "true"),
    c("issensitive(null)", "false"),
    c("issensitive([secret])", "false"),
    c("issensitive()", "error: "),
    c(r#"nonsensitive(sensitive("x"))"#, r#""x""#),
    c(r#"nonsensitive("clear")"#, r#""clear""#),
    c("nonsensitive(secret)", r#""hunter2""#),
    c("upper(secret)", r#"sensitive("HUNTER2")"#),
    c("length(secret)", "sensitive(7)"),
    c(r#"[secret, "a"][1]"#, r#""a""#),
    c(r#"ephemeralasnull("Hello World")"#, r#""Hello World""#),
    c(r#"ephemeralasnull([4, null])"#, "[4, null]"),
    // try and can: errors are caught, results with unknowns are not decided yet.
    c("try(obj.a, 0)", "1"),
    c(r#"try(obj.zz, "fallback")"#, r#""fallback""#),
    c(r#"try(obj.zz, obj.yy, "last")"#, r#""last""#),
    c(r#"try(tonumber("x"), 0)"#, "0"),
    c(r#"try(u, "fallback")"#, "u"),
    c("try(obj.zz)", "error: no expression succeeded"),
    c("can(obj.a)", "true"),
    c("can(obj.zz)", "false"),
    c("can(u)", "u"),
    c("can([1, u])", "u"),
    c(r#"can(regex("^a", "abc"))"#, "true"),
    c(r#"can(regex("^b", "abc"))"#, "false"),
    known(
        "try([1, u], 0)",
        "u",
        "[1, u]",
        "try keeps the known parts of a partly unknown result; Terraform makes it wholly unknown",
    ),
    // `type` exists only in the console.
    c("type(1)", r#"error: "type""#),
    // One kind for list and tuple, map and object.
    known("tolist([]) == []", "false", "true", ONE_KIND),
    known("tomap({}) == {}", "false", "true", ONE_KIND),
    known(r#"true ? 1 : "x""#, r#""1""#, "1", ONE_KIND),
    known(r#"false ? "x" : 1"#, r#""1""#, "1", ONE_KIND),
];
