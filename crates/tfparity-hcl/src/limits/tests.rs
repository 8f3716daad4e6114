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
    // Blocks without count or for_each count too: a module of 100 of them called ten
    // times is 1000 instances (and 10 module instances).
    let singles: String = (0..100)
        .map(|i| format!("resource \"aws_vpc\" \"v{i}\" {{}}\n"))
        .collect();
    let d = Dir::with(&[
        (
            "main.tf",
            "module \"m\" {\n  source = \"./m\"\n  count  = 10\n}\n",
        ),
        ("m/main.tf", &singles),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let load_with = |n: u64| {
        let options = Options {
            limits: with(Limit::TotalInstances, n),
            ..Options::default()
        };
        load(d.path(), &[], "test", &options, |_| ())
            .map(|(b, _)| b.resources.len())
            .map_err(|e| e.to_string())
    };
    assert_eq!(load_with(1010), Ok(1000));
    let e = load_with(1009).err().unwrap_or_default();
    assert!(
        e.contains("m/main.tf:") && e.contains("--limit total-instances=N"),
        "{e}"
    );
}

#[test]
fn limits_are_parsed_from_names() {
    let mut l = Limits::default();
    assert_eq!(l.parse_into("value-size=5"), Ok(()));
    assert_eq!(l.value_size, 5);
    assert!(l.parse_into("depth=501").is_err());
    assert!(l.parse_into("depth=500").is_ok());
    assert!(l.parse_into("parse-seconds=0").is_err());
    assert!(l.parse_into("parse-seconds=86401").is_err());
    assert_eq!(l.parse_into("parse-seconds=90"), Ok(()));
    assert_eq!(l.parse_seconds, 90);
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

/// A root module whose locals are `locals` and whose one resource shows `shown`.
fn module(locals: &str, shown: &str) -> String {
    format!(
        "locals {{\n{locals}\n}}\nresource \"aws_vpc\" \"a\" {{\n  tags = {{ x = {shown} }}\n}}\n"
    )
}

#[test]
fn collections_made_at_once_are_checked_before_they_are_made() {
    // setproduct of three range(1000): a billion lists.
    let three = module(
        "  r = range(1000)\n  p = setproduct(local.r, local.r, local.r)",
        "length(local.p)",
    );
    refused(
        &three,
        Limits::default(),
        Limit::CollectionLength,
        "main.tf:3:7",
    );
    let two = module(
        "  r = range(300)\n  p = setproduct(local.r, local.r)",
        "length(local.p)",
    );
    assert_eq!(run(&two, Limits::default()), Ok(1));
    refused(
        &two,
        with(Limit::CollectionLength, 89_999),
        Limit::CollectionLength,
        "main.tf:3:7",
    );
    // A for expression over more elements than the limit.
    let over = module(
        "  r = flatten([for i in range(300) : range(300)])\n  f = [for x in local.r : x]",
        "length(local.f)",
    );
    assert_eq!(run(&over, Limits::default()), Ok(1));
    refused(
        &over,
        with(Limit::CollectionLength, 80_000),
        Limit::CollectionLength,
        "main.tf:",
    );
    // Splitting a long string into characters; every match of an empty pattern.
    for shown in [
        "length(split(\"\", local.s))",
        "length(regexall(\"\", local.s))",
    ] {
        let m = module(
            "  s = join(\"\", [for i in range(1000) : \"abcdefghij\"])",
            shown,
        );
        assert_eq!(run(&m, Limits::default()), Ok(1), "{shown}");
        refused(
            &m,
            with(Limit::CollectionLength, 5000),
            Limit::CollectionLength,
            "main.tf:5:",
        );
    }
}

#[test]
fn strings_are_checked_as_they_grow() {
    // Forty doublings: a terabyte of text.
    let mut locals = String::from("  s0 = \"ab\"\n");
    for i in 1..=40 {
        locals.push_str(&format!(
            "  s{i} = \"${{local.s{}}}${{local.s{}}}\"\n",
            i - 1,
            i - 1
        ));
    }
    let m = module(&locals, "length(local.s40)");
    // 2^24 bytes (s23) is the default limit exactly; s24 goes past it.
    refused(&m, Limits::default(), Limit::StringLength, "main.tf:26:");
    let within = module(
        &locals.lines().take(24).collect::<Vec<_>>().join("\n"),
        "length(local.s23)",
    );
    assert_eq!(run(&within, Limits::default()), Ok(1));
    // Functions that make long strings from short ones.
    for (expr, limit) in [
        ("join(\",\", [for i in range(1000) : local.k])", 500_000),
        ("replace(local.k, \"/(?:)/\", local.k)", 500_000),
        ("replace(local.k, \"\", local.k)", 500_000),
        (
            "indent(60000, join(\"\\n\", [for i in range(100) : \"x\"]))",
            1_000_000,
        ),
        ("format(\"%65536d%65536d\", 1, 2)", 100_000),
        ("jsonencode([for i in range(1000) : local.k])", 500_000),
        ("yamlencode([for i in range(1000) : local.k])", 500_000),
        ("\"%{for i in range(1000)}${local.k}%{endfor}\"", 500_000),
    ] {
        let m = module(
            "  k = join(\"\", [for i in range(100) : \"abcdefghij\"])",
            &format!("length({expr})"),
        );
        assert_eq!(run(&m, Limits::default()), Ok(1), "{expr}");
        refused(
            &m,
            with(Limit::StringLength, limit),
            Limit::StringLength,
            "main.tf:5:",
        );
    }
}

#[test]
fn values_are_checked_as_they_grow() {
    // A list of a thousand references to a 10 000-character string: 160 000 by size.
    let m = module(
        "  k = join(\"\", [for i in range(1000) : \"abcdefghij\"])\n  l = [for i in range(1000) : local.k]",
        "length(local.l)",
    );
    assert_eq!(run(&m, Limits::default()), Ok(1));
    refused(
        &m,
        with(Limit::ValueSize, 100_000),
        Limit::ValueSize,
        "main.tf:3:",
    );
    // Nested lists sharing one another: each level doubles the size, not the memory.
    let mut locals = String::from("  l0 = [1, 2, 3, 4]\n");
    for i in 1..=40 {
        locals.push_str(&format!("  l{i} = [local.l{}, local.l{}]\n", i - 1, i - 1));
    }
    let m = module(&locals, "length(flatten(local.l40))");
    refused(&m, Limits::default(), Limit::ValueSize, "main.tf:");
    // Decoded documents, counted while they are read.
    let doc = format!("[{}]", vec!["1"; 2000].join(","));
    for f in ["jsondecode", "yamldecode", "csvdecode"] {
        let text = if f == "csvdecode" {
            format!("a\\n{}", vec!["1"; 2000].join("\\n"))
        } else {
            doc.clone()
        };
        let m = module("", &format!("length({f}(\"{text}\"))"));
        assert_eq!(run(&m, Limits::default()), Ok(1), "{f}");
        refused(
            &m,
            with(Limit::ValueSize, 1000),
            Limit::ValueSize,
            "main.tf:5:",
        );
    }
}

#[test]
fn evaluation_steps_are_bounded() {
    // Three nested loops over range(1000): a billion evaluations of a small value.
    // (Refused by the default limit after 2·10^7 steps; here, sooner.)
    let m = module(
        "  n = sum([for a in range(1000) : sum([for b in range(1000) : length([for c in range(1000) : c])])])",
        "local.n",
    );
    refused(&m, with(Limit::Steps, 1_000_000), Limit::Steps, "main.tf:");
    // Two loops fit.
    let m = module(
        "  n = sum([for a in range(300) : length([for b in range(300) : b])])",
        "local.n",
    );
    assert_eq!(run(&m, Limits::default()), Ok(1));
    refused(&m, with(Limit::Steps, 50_000), Limit::Steps, "main.tf:");
    // Work that evaluates few expressions is counted too: a function walking a large
    // value, a splat, a comparison, a template loop.
    for shown in [
        "sum([for i in range(1000) : length(jsonencode(local.big))])",
        "sum([for i in range(1000) : length(local.big[*])])",
        "length([for i in range(1000) : local.big == local.big2])",
        "length(\"%{for i in local.big}%{for j in local.big}x%{endfor}%{endfor}\")",
    ] {
        let m = module("  big = range(1000)\n  big2 = range(1000)", shown);
        refused(&m, with(Limit::Steps, 500_000), Limit::Steps, "main.tf:");
    }
}

#[test]
fn a_limit_exceeded_is_not_caught_by_try_or_can() {
    let m = module(
        "  r = range(1000)\n  p = try(setproduct(local.r, local.r, local.r), [])\n  c = can(setproduct(local.r, local.r, local.r))",
        "length(local.p)",
    );
    refused(&m, Limits::default(), Limit::CollectionLength, "main.tf:3:");
    let m = module(
        "  r = range(1000)\n  c = can(setproduct(local.r, local.r, local.r))",
        "local.c",
    );
    refused(&m, Limits::default(), Limit::CollectionLength, "main.tf:3:");
}
