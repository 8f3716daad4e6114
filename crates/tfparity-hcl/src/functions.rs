//! Terraform's built-in functions over evaluated values: the dispatcher ([`call`],
//! [`exists`]), the conversion of arguments to parameter types with Terraform's messages,
//! and unknown-value propagation. Each family of functions lives in a submodule (`cidr`,
//! `collection`, `convert`, `csv`, `encoding`, `file`, `format`, `hash`, `number`,
//! `sequence`, `string`, `text`, `time`, `yaml`). Computes only: it never evaluates
//! expressions, never sees sensitive marks (the caller strips them and marks the
//! result), and reads files only for the file functions. Within the limits
//! ([`crate::limits`]): a function that makes a collection or a string checks its size
//! before making it (or as it grows), and each call counts what it reads and makes
//! against the evaluation's steps (`Cost`).
//!
//! Limits: numbers are `f64`, so integers are exact only up to 2^53 and fractions are
//! binary (Terraform's numbers are arbitrary precision: `tostring(1/3)` has 155 digits
//! there, 16 here). Messages follow Terraform's wording without the function name and
//! without a final period. Like Terraform, a few quote an argument (`lookup` the missing
//! key, `tonumber` the string, `file` the path, `cidr*` the prefix): Terraform redacts
//! those when the argument is sensitive, so the caller must replace the message when any
//! argument it unmarked was sensitive.

mod cidr;
mod collection;
mod convert;
mod csv;
mod encoding;
pub use encoding::base64_text;
mod file;
mod format;
mod hash;
mod number;
mod sequence;
mod string;
mod text;
mod time;
mod yaml;

use super::value::V;
use std::fmt;
use std::path::Path;

/// Where a function runs: the directory relative paths of the file functions (`file`,
/// `filebase64`, `fileexists`, `fileset`) resolve against. Terraform resolves them against its
/// working directory, the root module (which is why configurations write
/// `file("${path.module}/x")`): pass the root module's directory to match it.
pub struct FnCtx<'a> {
    pub module_dir: &'a Path,
    /// What files may be read.
    pub confine: &'a crate::confine::Confinement,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum FnError {
    /// There is no function with that name.
    Unknown,
    /// Wrong number of arguments: `expects only 1 argument(s)`, for the caller to prefix
    /// with `Function "name" `.
    Arity(String),
    /// Terraform's message, e.g. `Invalid value for "netnum" parameter: a number is
    /// required` for an argument, or `insufficient address space to extend prefix of 24
    /// by 9` for the call.
    Invalid(String),
}

impl FnError {
    /// The message with the values it quotes still marked (see [`crate::scrub`]): for
    /// the evaluator, which decides whether they may be shown.
    pub fn marked_message(&self) -> &str {
        match self {
            FnError::Unknown => "there is no function with this name",
            FnError::Arity(m) | FnError::Invalid(m) => m,
        }
    }
}

/// The message as shown, values included.
impl fmt::Display for FnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::scrub::reveal(self.marked_message()))
    }
}

impl std::error::Error for FnError {}

/// Functions that need unevaluated arguments (`convert` takes a type expression), marks,
/// or the evaluator itself.
const EVALUATOR: &[&str] = &[
    "can",
    "convert",
    "issensitive",
    "nonsensitive",
    "sensitive",
    "templatefile",
    "templatestring",
    "try",
];

/// Built-in functions whose result is not computed statically: impure ones (a new value
/// on every run), and the crypto this crate does not implement (`rsadecrypt`). They
/// evaluate to an unknown value, as impure functions do during Terraform's plan, once
/// their arguments are counted as Terraform counts them.
const UNCOMPUTED: &[Spec] = &[
    uncomputed("bcrypt", &["str"]).var("cost"),
    uncomputed("plantimestamp", &[]),
    uncomputed("rsadecrypt", &["ciphertext", "privatekey"]),
    uncomputed("timestamp", &[]),
    uncomputed("uuid", &[]),
];

/// A function of [`UNCOMPUTED`]: its parameters, and an unknown result.
const fn uncomputed(name: &'static str, params: &'static [&'static str]) -> Spec {
    Spec::new(name, params, |_| Ok(V::unknown())).unknowns(Unknowns::Own)
}

/// Calls built-in function `name` (also under the `core::` namespace) with evaluated
/// arguments. An unknown argument the result depends on gives an unknown result.
pub fn call(name: &str, args: Vec<V>, ctx: &FnCtx) -> Result<V, FnError> {
    let name = name.strip_prefix("core::").unwrap_or(name);
    if EVALUATOR.contains(&name) {
        return Err(FnError::Invalid("handled by the evaluator".into()));
    }
    let spec = find(name).ok_or(FnError::Unknown)?;
    let vals: Vec<V> = args.into_iter().map(|v| v.unmark().0).collect();
    spec.check_arity(vals.len())?;
    // What the call reads, counted before the function takes its arguments apart.
    let read = spec.cost.read(&vals);
    let mut args = Args { spec, vals, ctx };
    for i in 0..args.vals.len().min(spec.nulls_from) {
        if args.vals[i] == V::Null {
            return Err(args.bad(i, "argument must not be null"));
        }
    }
    let unknown = match spec.unknowns {
        Unknowns::Deep => args.vals.iter().any(V::has_unknown),
        Unknowns::Shallow => args.vals.iter().any(V::is_unknown),
        Unknowns::Own => false,
    };
    if unknown {
        return Ok(V::unknown());
    }
    let out = (spec.run)(&mut args)?;
    crate::limits::steps(read.saturating_add(spec.cost.made(&out))).map_err(FnError::Invalid)?;
    Ok(out)
}

/// What a call costs, in evaluation steps (see [`crate::limits`]), from the sizes of its
/// arguments and result: a step per element and per 64 bytes of text it reads or makes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Cost {
    /// Walks its arguments and result at every level (the default).
    Deep,
    /// Reads or makes only the top level of its arguments and result (`keys`, `concat`):
    /// elements are shared, not looked into.
    Shallow,
    /// Picks an element or answers a question of a collection without walking it
    /// (`lookup`, `element`, `length`); a string argument is still read.
    Picks,
}

impl Cost {
    /// The steps of reading `args`.
    fn read(self, args: &[V]) -> u64 {
        args.iter().fold(1, |n, v| n.saturating_add(self.weight(v)))
    }

    /// The steps of making `out`.
    fn made(self, out: &V) -> u64 {
        match self {
            Cost::Picks => 0,
            _ => self.weight(out),
        }
    }

    fn weight(self, v: &V) -> u64 {
        match (self, v) {
            (Cost::Deep, v) => v.size(),
            (_, V::Str(s)) => s.len() as u64 / 64,
            (Cost::Shallow, V::List(l) | V::Set(l)) => l.len() as u64,
            (Cost::Shallow, V::Map(m)) => m.len() as u64,
            _ => 0,
        }
    }
}

/// Elements converted to the one type they all convert to, as Terraform converts a tuple
/// to `list(any)`: `["a", 1]` is `["a", "1"]`. `None` when they share no type.
pub fn unify_elements(items: Vec<V>) -> Option<Vec<V>> {
    convert::unify_elements(items)
}

/// Whether `name` (or `core::name`) is one of Terraform's built-in functions.
pub fn exists(name: &str) -> bool {
    let name = name.strip_prefix("core::").unwrap_or(name);
    EVALUATOR.contains(&name) || find(name).is_some()
}

fn find(name: &str) -> Option<&'static Spec> {
    all().find(|s| s.name == name)
}

/// Every built-in function this module computes.
fn all() -> impl Iterator<Item = &'static Spec> {
    [
        cidr::SPECS,
        collection::SPECS,
        convert::SPECS,
        csv::SPECS,
        encoding::SPECS,
        file::SPECS,
        format::SPECS,
        hash::SPECS,
        number::SPECS,
        sequence::SPECS,
        string::SPECS,
        text::SPECS,
        time::SPECS,
        UNCOMPUTED,
    ]
    .into_iter()
    .flatten()
}

/// How a function treats unknown arguments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Unknowns {
    /// Any unknown anywhere in the arguments makes the result unknown.
    Deep,
    /// A wholly unknown argument makes the result unknown; the function keeps what it
    /// can of collections holding unknowns.
    Shallow,
    /// The function decides (`coalesce("a", unknown)` is `"a"`).
    Own,
}

/// A function's signature and implementation.
#[derive(Clone, Copy)]
pub(super) struct Spec {
    name: &'static str,
    params: &'static [&'static str],
    /// The name of the variadic parameter, if any.
    var: Option<&'static str>,
    /// Arguments from this index on may be `null`.
    nulls_from: usize,
    unknowns: Unknowns,
    cost: Cost,
    run: fn(&mut Args) -> Result<V, FnError>,
}

impl Spec {
    pub(super) const fn new(
        name: &'static str,
        params: &'static [&'static str],
        run: fn(&mut Args) -> Result<V, FnError>,
    ) -> Spec {
        Spec {
            name,
            params,
            var: None,
            nulls_from: usize::MAX,
            unknowns: Unknowns::Deep,
            cost: Cost::Deep,
            run,
        }
    }

    pub(super) const fn cost(self, cost: Cost) -> Spec {
        Spec { cost, ..self }
    }

    /// Adds a variadic parameter.
    pub(super) const fn var(self, name: &'static str) -> Spec {
        Spec {
            var: Some(name),
            ..self
        }
    }

    /// Allows `null` from argument `from` on.
    pub(super) const fn nulls(self, from: usize) -> Spec {
        Spec {
            nulls_from: from,
            ..self
        }
    }

    pub(super) const fn unknowns(self, unknowns: Unknowns) -> Spec {
        Spec { unknowns, ..self }
    }

    fn check_arity(&self, n: usize) -> Result<(), FnError> {
        let want = self.params.len();
        if n < want {
            let qual = if self.var.is_some() { " at least" } else { "" };
            return Err(FnError::Arity(format!(
                "expects{qual} {want} argument(s). Missing value for {:?}",
                self.params[n]
            )));
        }
        if self.var.is_none() && n > want {
            return Err(FnError::Arity(format!("expects only {want} argument(s)")));
        }
        Ok(())
    }
}

/// The arguments of one call, with conversions that report errors as Terraform does.
pub(super) struct Args<'a> {
    spec: &'static Spec,
    pub(super) vals: Vec<V>,
    pub(super) ctx: &'a FnCtx<'a>,
}

impl Args<'_> {
    /// The name of the parameter argument `i` goes to.
    pub(super) fn param(&self, i: usize) -> &'static str {
        self.spec
            .params
            .get(i)
            .copied()
            .or(self.spec.var)
            .unwrap_or("args")
    }

    /// An error about argument `i`: `Invalid value for "name" parameter: msg`.
    pub(super) fn bad(&self, i: usize, msg: impl fmt::Display) -> FnError {
        FnError::Invalid(format!(
            "Invalid value for {:?} parameter: {msg}",
            self.param(i)
        ))
    }

    pub(super) fn len(&self) -> usize {
        self.vals.len()
    }

    pub(super) fn get(&self, i: usize) -> &V {
        static NULL: V = V::Null;
        self.vals.get(i).unwrap_or(&NULL)
    }

    /// Argument `i`, moved out (leaving `null`).
    pub(super) fn take(&mut self, i: usize) -> V {
        self.vals.get_mut(i).map(std::mem::take).unwrap_or_default()
    }

    /// Argument `i` converted to a string.
    pub(super) fn str(&self, i: usize) -> Result<String, FnError> {
        match self.get(i) {
            V::Null => Err(self.bad(i, "argument must not be null")),
            v => v.to_str().ok_or_else(|| self.bad(i, "string required")),
        }
    }

    /// Argument `i` converted to a number.
    pub(super) fn num(&self, i: usize) -> Result<f64, FnError> {
        match self.get(i) {
            V::Null => Err(self.bad(i, "argument must not be null")),
            v @ V::Str(_) => convert::as_num(v).ok_or_else(|| self.bad(i, "a number is required")),
            v => convert::as_num(v).ok_or_else(|| self.bad(i, "number required")),
        }
    }

    /// Argument `i` converted to a whole number.
    pub(super) fn int(&self, i: usize) -> Result<i64, FnError> {
        whole(self.num(i)?).ok_or_else(|| self.bad(i, NOT_INT))
    }

    /// Argument `i` as a list of strings (a list, tuple or set whose elements convert),
    /// `None` for `null` elements.
    pub(super) fn strings(&self, i: usize) -> Result<Vec<Option<String>>, FnError> {
        let Some(items) = self.get(i).as_seq() else {
            return Err(self.bad(i, "list of string required"));
        };
        items
            .iter()
            .enumerate()
            .map(|(n, v)| match v {
                V::Null => Ok(None),
                v => v
                    .to_str()
                    .map(Some)
                    .ok_or_else(|| self.bad(i, format!("element {n}: string required"))),
            })
            .collect()
    }
}

/// Why a number is not a valid integer argument (go-cty's words for Go's `int`).
pub(super) const NOT_INT: &str =
    "value must be a whole number, between -9223372036854775808 and 9223372036854775807";

/// `n` as an integer when it is one (and fits).
pub(crate) fn whole(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() < 9.2e18).then_some(n as i64)
}

/// A failed call: Terraform's message for the call as a whole.
pub(super) fn fail(msg: impl Into<String>) -> FnError {
    FnError::Invalid(msg.into())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A value from JSON: arrays are tuples, objects are objects.
    pub(crate) fn j(text: &str) -> V {
        let json: serde_json::Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("test JSON {text}: {e}"));
        encoding::from_json(json)
    }

    pub(crate) fn call_vals(name: &str, args: Vec<V>) -> Result<V, FnError> {
        call(
            name,
            args,
            &FnCtx {
                module_dir: Path::new("testdata"),
                confine: &crate::confine::Confinement::only(&[Path::new("testdata")]),
            },
        )
    }

    fn args_of(json: &str) -> Vec<V> {
        match j(json) {
            V::List(l) => l.into_vec(),
            v => panic!("arguments must be a JSON array, got {v}"),
        }
    }

    /// Calls `name` with the arguments in a JSON array; panics on error.
    pub(crate) fn call_ok(name: &str, args: &str) -> V {
        call_vals(name, args_of(args)).unwrap_or_else(|e| panic!("{name}({args}): {e}"))
    }

    /// Calls `name` with the arguments in a JSON array; the error message.
    pub(crate) fn err(name: &str, args: &str) -> String {
        match call_vals(name, args_of(args)) {
            Err(e) => e.to_string(),
            Ok(v) => panic!("{name}({args}) gave {v}, want an error"),
        }
    }

    #[test]
    fn names_and_namespace() {
        for (name, want) in [
            ("merge", true),
            ("core::merge", true),
            ("try", true),
            ("templatefile", true),
            ("timestamp", true),
            ("sha256", true),
            ("nosuch", false),
            ("core::nosuch", false),
            ("provider::aws::arn_parse", false),
        ] {
            assert_eq!(exists(name), want, "{name}");
        }
        assert_eq!(call_vals("core::upper", vec![V::str("a")]), Ok(V::str("A")));
        assert_eq!(call_vals("nosuch", vec![]), Err(FnError::Unknown));
        assert_eq!(
            call_vals("try", vec![V::Num(1.0)]),
            Err(FnError::Invalid("handled by the evaluator".into()))
        );
    }

    #[test]
    fn arity_errors_are_terraforms() {
        for (name, args, want) in [
            (
                "cidrsubnet",
                r#"["10.0.0.0/8", 1]"#,
                r#"expects 3 argument(s). Missing value for "netnum""#,
            ),
            ("upper", r#"["a", "b"]"#, "expects only 1 argument(s)"),
            (
                "lookup",
                r#"[{}]"#,
                r#"expects at least 2 argument(s). Missing value for "key""#,
            ),
            (
                "join",
                "[]",
                r#"expects at least 1 argument(s). Missing value for "separator""#,
            ),
        ] {
            assert_eq!(err(name, args), want, "{name}{args}");
            assert!(matches!(
                call_vals(name, args_of(args)),
                Err(FnError::Arity(_))
            ));
        }
    }

    #[test]
    fn null_arguments_are_refused_where_terraform_refuses_them() {
        assert_eq!(
            err("cidrhost", r#"["10.0.0.0/8", null]"#),
            r#"Invalid value for "hostnum" parameter: argument must not be null"#
        );
        assert_eq!(
            err("upper", "[null]"),
            r#"Invalid value for "str" parameter: argument must not be null"#
        );
    }

    #[test]
    fn unknowns_propagate_and_impure_functions_are_unknown() {
        let u = V::unknown;
        for (name, args) in [
            ("upper", vec![u()]),
            ("cidrsubnet", vec![V::str("10.0.0.0/8"), u(), V::Num(1.0)]),
            ("join", vec![V::str(","), V::list(vec![V::str("a"), u()])]),
            ("timestamp", vec![]),
            ("uuid", vec![]),
            ("bcrypt", vec![V::str("x")]),
        ] {
            assert_eq!(call_vals(name, args), Ok(V::unknown()), "{name}");
        }
    }

    #[test]
    fn extreme_arguments_are_errors_or_values_never_panics() {
        // Every function (but those that read files) with every combination of up to
        // three arguments from numbers at and past every integer range, and a few
        // values of other kinds: a panic is a crash of the whole run.
        let pool = [
            "1e300",
            "-1e300",
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551616",
            "9007199254740993",
            "4294967296",
            "65536",
            "-1",
            "0",
            "0.5",
            "1",
            "[]",
            "[1, 2]",
            "{}",
            "{\"a\": [1]}",
            "\"\"",
            "\"a\"",
            "\"10.0.0.0/8\"",
            "\"::/0\"",
            "\"2020-01-01T00:00:00Z\"",
            "\"99999999999999999999999999999999999999999h\"",
            "\"9223372036854775807h\"",
            "\"99999999999999999999999999999999999h\"",
            "\"9999-12-31T23:59:59Z\"",
            "\"0000-01-01T00:00:00+23:59\"",
            "\"%d\"",
            "null",
            "true",
        ]
        .map(j);
        let inf = [V::Num(f64::INFINITY), V::Num(f64::NEG_INFINITY)];
        let pool: Vec<V> = pool.into_iter().chain(inf).collect();
        let file_functions = [
            "abspath",
            "file",
            "filebase64",
            "fileexists",
            "fileset",
            "filemd5",
            "filesha1",
            "filesha256",
            "filesha512",
            "filebase64sha256",
            "filebase64sha512",
            "templatefile",
        ];
        for spec in all().filter(|s| !file_functions.contains(&s.name)) {
            for arity in 0..=3usize {
                let combos = pool.len().pow(arity as u32);
                for mut k in 0..combos {
                    let mut args = Vec::with_capacity(arity);
                    for _ in 0..arity {
                        args.push(pool[k % pool.len()].clone());
                        k /= pool.len();
                    }
                    let shown = format!("{}({args:?})", spec.name);
                    let got = std::panic::catch_unwind(|| call_vals(spec.name, args));
                    assert!(got.is_ok(), "{shown} panicked");
                }
            }
        }
    }

    #[test]
    fn sensitive_marks_are_ignored_if_passed() {
        let s = V::Sensitive(Box::new(V::str("a")));
        assert_eq!(call_vals("upper", vec![s]), Ok(V::str("A")));
    }
}
