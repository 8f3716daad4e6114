//! A conformance suite for the evaluator: tables of expressions and what Terraform /
//! OpenTofu answer for them, taken from their documented behaviour (the language
//! reference's function and expression pages with their examples and error cases, the
//! function library they share and its tests, HCL's own specification and expression
//! tests), written here in our own words. Each table is one family; each case is
//! evaluated through the real evaluator, as `eval/tests.rs` does. Tests only: it never
//! changes what is evaluated.
//!
//! A case is an expression and what it gives:
//! - an HCL expression for the expected value (evaluated the same way, compared
//!   exactly: `[1, 2]`, `toset(["a"])`, `u` for "known after apply", `sensitive("x")`);
//! - `error: fragment` for an error whose message contains `fragment`.
//!
//! Where we deliberately differ from Terraform (the "Known differences" of
//! `docs/hcl.md`), the case says what Terraform gives, what we give and why
//! ([`known`]); the test checks that we still give that, so that a fix shows up.

mod cidr;
mod collections;
mod dates;
mod encoding;
mod errors;
mod files;
mod numbers;
mod operators;
mod strings;
mod types;

use super::eval::tests_support::NoScope;
use super::eval::Frame;
use super::value::V;

/// One expression and what Terraform gives for it.
pub(super) struct Case {
    pub src: &'static str,
    /// An HCL expression for the value, or `error: fragment`.
    pub want: &'static str,
    /// A documented difference: what we give instead, and why.
    pub ours: Option<(&'static str, &'static str)>,
}

/// A case where we agree with Terraform.
pub(super) const fn c(src: &'static str, want: &'static str) -> Case {
    Case {
        src,
        want,
        ours: None,
    }
}

/// A case where we knowingly differ: Terraform gives `want`, we give `ours`, because
/// of `why` (one of the known differences of `docs/hcl.md`, or a deliberate choice).
pub(super) const fn known(
    src: &'static str,
    want: &'static str,
    ours: &'static str,
    why: &'static str,
) -> Case {
    Case {
        src,
        want,
        ours: Some((ours, why)),
    }
}

/// The families, and how many cases each holds: the numbers `docs/hcl.md` quotes, which
/// `case_counts` holds to (change both when a table changes).
const FAMILIES: &[(&str, &[Case], usize)] = &[
    ("strings", strings::CASES, 228),
    ("collections", collections::CASES, 202),
    ("numbers", numbers::CASES, 69),
    ("encoding", encoding::CASES, 210),
    ("cidr", cidr::CASES, 60),
    ("dates", dates::CASES, 50),
    ("types", types::CASES, 138),
    ("operators", operators::CASES, 353),
    ("errors", errors::CASES, 66),
    ("files", files::CASES, 36),
];

/// Evaluates `src` as `eval/tests.rs` does, with a few names bound: `u` (known after
/// apply), `secret` (a sensitive string), `obj` (an object), `nothing` (null), and `bar`
/// and `space_bar` (HCL's own specification tests use them).
fn run(src: &str) -> Result<V, String> {
    let e = super::expr::parse_expr(src.trim()).map_err(|e| e.to_string())?;
    let scope = NoScope::default();
    let f = Frame::new();
    let inner = Frame::with(
        &f,
        vec![
            ("u".into(), V::unknown()),
            ("secret".into(), V::str("hunter2").mark(true)),
            (
                "obj".into(),
                V::Map(
                    [
                        ("a".to_string(), V::Num(1.0)),
                        ("b".to_string(), V::Null),
                        ("list".to_string(), V::list(vec![V::str("x"), V::str("y")])),
                    ]
                    .into(),
                ),
            ),
            ("nothing".into(), V::Null),
            ("bar".into(), V::str("Bar")),
            ("space_bar".into(), V::str("  Bar")),
        ],
    );
    scope
        .eval_at("t.tf")
        .eval(&e, &inner)
        .map_err(|e| e.message())
}

/// Shows a value with its marks, for failure messages.
fn show(v: &Result<V, String>) -> String {
    match v {
        Ok(v) => format!("{v:?}"),
        Err(e) => format!("error: {e}"),
    }
}

/// Why `got` is not `want` (`None` when it is).
fn mismatch(got: &Result<V, String>, want: &str) -> Option<String> {
    if let Some(fragment) = want.strip_prefix("error: ") {
        return match got {
            Err(e) if e.to_lowercase().contains(&fragment.to_lowercase()) => None,
            _ => Some(format!("want an error containing {fragment:?}")),
        };
    }
    match (got, run(want)) {
        (_, Err(e)) => Some(format!("the expected value {want} does not evaluate: {e}")),
        (Ok(g), Ok(w)) if *g == w => None,
        (_, Ok(w)) => Some(format!("want {w:?}")),
    }
}

/// Every failing case of a family, one per line.
fn failures(cases: &[Case]) -> Vec<String> {
    let mut out = Vec::new();
    for case in cases {
        let got = run(case.src);
        match case.ours {
            None => {
                if let Some(why) = mismatch(&got, case.want) {
                    out.push(format!("{}\n    got {}; {why}", case.src, show(&got)));
                }
            }
            Some((ours, reason)) => {
                if mismatch(&got, case.want).is_none() {
                    out.push(format!(
                        "{}\n    now agrees with Terraform ({}): make it a plain case",
                        case.src, case.want
                    ));
                } else if let Some(why) = mismatch(&got, ours) {
                    out.push(format!(
                        "{}\n    known difference ({reason}) changed: got {}; {why}",
                        case.src,
                        show(&got)
                    ));
                }
            }
        }
    }
    out
}

fn check(family: &str) {
    let Some((_, cases, _)) = FAMILIES.iter().find(|(n, _, _)| *n == family) else {
        panic!("no family {family}");
    };
    let failed = failures(cases);
    assert!(
        failed.is_empty(),
        "{family}: {} of {} cases fail:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
}

#[test]
fn strings() {
    check("strings");
}

#[test]
fn collections() {
    check("collections");
}

#[test]
fn numbers() {
    check("numbers");
}

#[test]
fn encoding() {
    check("encoding");
}

#[test]
fn cidr() {
    check("cidr");
}

#[test]
fn dates() {
    check("dates");
}

#[test]
fn types() {
    check("types");
}

#[test]
fn operators() {
    check("operators");
}

#[test]
fn errors() {
    check("errors");
}

#[test]
fn files() {
    check("files");
}

/// The counts `docs/hcl.md` quotes: update both when a table changes.
#[test]
fn case_counts() {
    let counts: Vec<(&str, usize, usize)> = FAMILIES
        .iter()
        .map(|(n, cases, want)| (*n, cases.len(), *want))
        .collect();
    let total: usize = counts.iter().map(|c| c.1).sum();
    let known = FAMILIES
        .iter()
        .flat_map(|f| f.1.iter())
        .filter(|c| c.ours.is_some())
        .count();
    assert!(
        counts.iter().all(|(_, got, want)| got == want) && total == TOTAL && known == KNOWN,
        "case counts changed: {counts:?}, total {total}, known differences {known}"
    );
}

const TOTAL: usize = 1412;
const KNOWN: usize = 29;
