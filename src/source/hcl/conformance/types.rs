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
    // Sensitivity
    c("sensitive(1)", "sensitive(1)"),
    c(r#"sensitive("hello")"#, r#"sensitive("hello")"#),
    // pending: c("issensitive(1)", "false"),
    // pending: c(r#"issensitive("hello")"#, "false"),
    // pending: c(r#"issensitive(sensitive("hello"))"#, "true"),
    // pending: c("issensitive(secret)", "true"),
    // pending: c("issensitive(upper(secret))", "true"),
    // pending: c("issensitive(u)", "false"),
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
