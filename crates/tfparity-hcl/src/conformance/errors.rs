//! Errors: wrong numbers of arguments, arguments of the wrong type or null, and the
//! messages Terraform gives for them (fragments of its wording).

use super::{c, Case};

pub(super) const CASES: &[Case] = &[
    // Arity
    c(
        "upper()",
        r#"error: Not enough function arguments: Function "upper" expects 1 argument(s). Missing value for "str""#,
    ),
    c(
        r#"upper("a", "b")"#,
        r#"error: Too many function arguments: Function "upper" expects only 1 argument(s)"#,
    ),
    c(
        r#"cidrsubnet("10.0.0.0/8", 1)"#,
        r#"error: Missing value for "netnum""#,
    ),
    c(
        r#"lookup({})"#,
        r#"error: expects at least 2 argument(s). Missing value for "key""#,
    ),
    c(r#"join()"#, r#"error: Missing value for "separator""#),
    c(r#"timestamp(1)"#, "error: Too many function arguments"),
    c(r#"sha256()"#, "error: Not enough function arguments"),
    c(r#"can()"#, "error: "),
    c(r#"try()"#, "error: at least one argument is required"),
    c(r#"sensitive()"#, "error: "),
    c(r#"templatestring("x")"#, "error: "),
    // Wrong argument types
    c(
        "upper([])",
        r#"error: Invalid function argument: Invalid value for "str" parameter: string required"#,
    ),
    c(
        r#"one([1, 2])"#,
        r#"error: Invalid function argument: Invalid value for "list" parameter"#,
    ),
    c(
        r#"regex("[a-z]+", "123")"#,
        r#"error: Error in function call: Call to function "regex" failed: pattern did not match"#,
    ),
    c(
        "upper({})",
        r#"error: Invalid value for "str" parameter: string required"#,
    ),
    c(
        r#"abs("x")"#,
        r#"error: Invalid value for "num" parameter: a number is required"#,
    ),
    c(r#"ceil([])"#, "error: number required"),
    c(r#"length(true)"#, "error: "),
    c(r#"keys("a")"#, "error: must have map or object type"),
    c(r#"values("a")"#, "error: "),
    c(r#"merge([1])"#, "error: arguments must be maps or objects"),
    c(r#"element("abc", 0)"#, "error: "),
    c(r#"join(",", "a")"#, "error: list of string required"),
    c(r#"split(",", ["a"])"#, "error: string required"),
    c(
        r#"cidrsubnet("10.0.0.0/8", "x", 1)"#,
        r#"error: Invalid value for "newbits" parameter: a number is required"#,
    ),
    c(r#"cidrhost("10.0.0.0/8", 1.5)"#, "error: "),
    c(r#"range("a")"#, "error: a number is required"),
    c(r#"zipmap("a", [1])"#, "error: "),
    c(r#"transpose({a = "b"})"#, "error: "),
    c(r#"distinct("a")"#, "error: "),
    c(r#"reverse("abc")"#, "error: "),
    c(r#"contains("abc", "a")"#, "error: "),
    c(r#"index("abc", "a")"#, "error: "),
    c(r#"setunion("a", ["b"])"#, "error: "),
    c(r#"alltrue(["x"])"#, "error: "),
    c(r#"jsondecode(1)"#, "1"),
    c(r#"jsondecode([])"#, "error: string required"),
    c(r#"base64decode([])"#, "error: "),
    // Null arguments
    c(
        "upper(null)",
        r#"error: Invalid value for "str" parameter: argument must not be null"#,
    ),
    c("length(null)", "error: argument must not be null"),
    c(r#"split(null, "a")"#, "error: argument must not be null"),
    c(
        r#"cidrhost("10.0.0.0/8", null)"#,
        r#"error: Invalid value for "hostnum" parameter: argument must not be null"#,
    ),
    c(r#"lookup(null, "a")"#, "error: argument must not be null"),
    c("keys(null)", "error: argument must not be null"),
    c(
        r#"coalesce(null, null)"#,
        "error: no non-null, non-empty-string arguments",
    ),
    c(r#"compact(["a", null])"#, r#"["a"]"#),
    c(r#"jsonencode(null)"#, r#""null""#),
    c(r#"tostring(null)"#, "null"),
    // Operators
    c(
        r#"1 + "x""#,
        "error: Invalid operand: Unsuitable value for right operand: a number is required",
    ),
    c(
        r#""x" + 1"#,
        "error: Unsuitable value for left operand: a number is required",
    ),
    c("1 + null", "error: argument must not be null"),
    c("null + 1", "error: argument must not be null"),
    c("1 + []", "error: a number is required"),
    c("0 / 0", "error: can't divide zero by zero"),
    c("1 % 0", "error: "),
    c(r#"!"x""#, "error: a bool is required"),
    c("-true", "error: a number is required"),
    c("!null", "error: "),
    c("1 < null", "error: "),
    // References and attributes
    c(
        "undefined_name",
        r#"error: no variable named "undefined_name""#,
    ),
    c(
        r#"{a = 1}.b"#,
        r#"error: does not have an attribute named "b""#,
    ),
    c(r#"[{a = 1}].a"#, "error: Unsupported attribute"),
    c(r#""x".a"#, "error: Unsupported attribute"),
    c("1.a", "error: "),
    // Sensitive values are never echoed in a message.
    c(r#"tonumber(secret)"#, "error: sensitive"),
    c(r#"lookup({}, secret)"#, "error: "),
];
