//! Configurations that ask for more than the limits allow, each from an attack on the
//! evaluator: each is an error naming where and which limit, never a crash, and the same
//! configuration just inside the limit still evaluates.

use super::{Limit, Limits};
use crate::testdir::Dir;
use crate::{load, Options};

/// The error loading a root module of one `main.tf` under `limits`, or the number of
/// resource instances it has.
fn run(main: &str, limits: Limits) -> Result<usize, String> {
    let d = Dir::with(&[("main.tf", main)]).map_err(|e| e.to_string())?;
    let options = Options {
        limits,
        ..Options::default()
    };
    load(d.path(), &[], "test", &options, |_| ())
        .map(|(b, _)| b.resources.len())
        .map_err(|e| e.to_string())
}

/// Asserts that `main` fails on `limit`, at `place` (`main.tf:2:3`).
fn refused(main: &str, limits: Limits, limit: Limit, place: &str) {
    match run(main, limits) {
        Ok(n) => panic!(
            "{n} instances, want an error about {}: {main}",
            limit.name()
        ),
        Err(e) => {
            assert!(
                e.contains(place)
                    && e.contains(super::LIMIT_EXCEEDED)
                    && e.contains(&format!("--limit {}=N", limit.name())),
                "want {place} and --limit {}: {e}",
                limit.name()
            );
        }
    }
}

fn with(l: Limit, n: u64) -> Limits {
    let mut limits = Limits::default();
    limits.set(l, n).unwrap_or_else(|e| panic!("{e}"));
    limits
}

#[test]
fn a_count_too_large_is_refused_before_anything_is_made() {
    // 1e300 once panicked with "capacity overflow"; 10^7 asked for 1.76 GB at once.
    for count in ["1e300", "10000000", "10001"] {
        let main = format!("resource \"aws_vpc\" \"a\" {{\n  count = {count}\n}}\n");
        refused(&main, Limits::default(), Limit::Instances, "main.tf:2:3");
    }
    let main = "resource \"aws_vpc\" \"a\" {\n  count = 3\n}\n";
    assert_eq!(run(main, Limits::default()), Ok(3));
    refused(
        main,
        with(Limit::Instances, 2),
        Limit::Instances,
        "main.tf:2:3",
    );
    let main = "resource \"aws_vpc\" \"a\" {\n  for_each = toset([\"a\", \"b\", \"c\"])\n}\n";
    assert_eq!(run(main, with(Limit::Instances, 3)), Ok(3));
    refused(
        main,
        with(Limit::Instances, 2),
        Limit::Instances,
        "main.tf:2:3",
    );
}

#[test]
fn instances_in_all_are_bounded_across_modules() {
    // Nested module calls multiply: 20 levels of `count = 2` is a million instances.
    let mut files = vec![(
        "main.tf".to_string(),
        "module \"m\" {\n  source = \"./m1\"\n  count  = 2\n}\n".to_string(),
    )];
    for i in 1..20 {
        files.push((
            format!("m{i}/main.tf"),
            format!(
                "module \"m\" {{\n  source = \"../m{}\"\n  count  = 2\n}}\nresource \"aws_vpc\" \"v\" {{}}\n",
                i + 1
            ),
        ));
    }
    files.push((
        "m20/main.tf".into(),
        "resource \"aws_vpc\" \"v\" {}\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let d = Dir::with(&refs).unwrap_or_else(|e| panic!("{e}"));
    let options = Options {
        limits: with(Limit::TotalInstances, 1000),
        ..Options::default()
    };
    let err = load(d.path(), &[], "test", &options, |_| ())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("main.tf:3:3") && err.contains("--limit total-instances=N"),
        "{err}"
    );
    // Four levels: 2 + 4 + 8 + 16 module instances and 30 resources fit in 100.
    let options = Options {
        limits: with(Limit::TotalInstances, 100),
        ..Options::default()
    };
    let d = Dir::with(&[
        ("main.tf", "module \"m\" {\n  source = \"./m1\"\n  count  = 2\n}\n"),
        ("m1/main.tf", "module \"m\" {\n  source = \"../m2\"\n  count  = 2\n}\nresource \"aws_vpc\" \"v\" {}\n"),
        ("m2/main.tf", "module \"m\" {\n  source = \"../m3\"\n  count  = 2\n}\nresource \"aws_vpc\" \"v\" {}\n"),
        ("m3/main.tf", "module \"m\" {\n  source = \"../m4\"\n  count  = 2\n}\nresource \"aws_vpc\" \"v\" {}\n"),
        ("m4/main.tf", "resource \"aws_vpc\" \"v\" {}\n"),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let n = load(d.path(), &[], "test", &options, |_| ())
        .map(|(b, _)| b.resources.len())
        .map_err(|e| e.to_string());
    assert_eq!(n, Ok(30));
}

#[test]
fn limits_are_parsed_from_names() {
    let mut l = Limits::default();
    assert_eq!(l.parse_into("value-size=5"), Ok(()));
    assert_eq!(l.value_size, 5);
    assert!(l.parse_into("depth=1001").is_err());
    assert!(l.parse_into("depth=1000").is_ok());
    for limit in Limit::ALL {
        assert_eq!(Limit::from_name(limit.name()), Some(limit));
    }
}

/// `n` brackets around `inner`.
fn nest(n: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(n), "]".repeat(n))
}

#[test]
fn values_nested_past_the_depth_limit_are_refused_where_they_are_made() {
    // 100 locals each wrapping the previous in 50 brackets: 12 KB of input made a value
    // 5000 deep, and a worker's stack overflowed walking it (exit 134, no message).
    let mut main = String::from("locals {\n  l0 = 1\n");
    for i in 1..=100 {
        main.push_str(&format!(
            "  l{i} = {}\n",
            nest(50, &format!("local.l{}", i - 1))
        ));
    }
    main.push_str("}\nresource \"aws_vpc\" \"a\" {\n  tags = { x = jsonencode(local.l100) }\n}\n");
    // l3 is the first past the limit (100 levels): refused at the bracket that goes past.
    refused(&main, Limits::default(), Limit::Depth, "main.tf:5:57");
    // Just inside the limit, and just past it.
    let at = |extra: usize| {
        format!(
            "locals {{\n  a = {}\n  b = {}\n}}\nresource \"aws_vpc\" \"a\" {{\n  tags = {{ x = jsonencode(local.b) }}\n}}\n",
            nest(50, "1"),
            nest(50 + extra, "local.a")
        )
    };
    assert_eq!(run(&at(0), Limits::default()), Ok(1));
    refused(&at(1), Limits::default(), Limit::Depth, "main.tf:3:7");
    assert_eq!(run(&at(1), with(Limit::Depth, 101)), Ok(1));
}

#[test]
fn decoded_and_given_values_are_held_to_the_depth_limit() {
    // jsondecode reads up to serde_json's own 128 levels; past the limit it is refused.
    let json = |n: usize| {
        format!(
            "locals {{\n  j = jsondecode(\"{}\")\n}}\nresource \"aws_vpc\" \"a\" {{\n  tags = {{ x = length(local.j) }}\n}}\n",
            nest(n, "1")
        )
    };
    assert_eq!(run(&json(100), Limits::default()), Ok(1));
    refused(&json(101), Limits::default(), Limit::Depth, "main.tf:2:7");
    // Blocks nested in blocks.
    let blocks = |n: usize| {
        format!(
            "resource \"aws_wafv2_web_acl\" \"a\" {{\n{}{}\n}}\n",
            "statement {\n".repeat(n),
            "}\n".repeat(n)
        )
    };
    assert_eq!(run(&blocks(49), Limits::default()), Ok(1));
    let e = run(&blocks(60), Limits::default())
        .err()
        .unwrap_or_default();
    assert!(
        e.contains("main.tf:") && e.contains("--limit depth=N"),
        "{e}"
    );
    // A variable file's value, said where it is written.
    let d = Dir::with(&[
        (
            "main.tf",
            "variable \"v\" {}\nresource \"aws_vpc\" \"a\" {\n  tags = { x = length(var.v) }\n}\n",
        ),
        (
            "terraform.tfvars.json",
            &format!("{{\"v\": {}}}", nest(110, "1")),
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let e = load(d.path(), &[], "test", &Options::default(), |_| ())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("terraform.tfvars.json:1:2") && e.contains("--limit depth=N"),
        "{e}"
    );
    let options = Options {
        limits: with(Limit::Depth, 200),
        ..Options::default()
    };
    assert!(load(d.path(), &[], "test", &options, |_| ()).is_ok());
}
