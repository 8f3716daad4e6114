use super::*;
use crate::model::{Address, Environment};

fn env(name: &str, resources: &[(&str, &str)]) -> crate::TestResult<Environment> {
    Environment::for_tests(name, resources)
}

fn run_with(ea: Environment, eb: Environment) -> crate::TestResult<Vec<String>> {
    let names = ["prod", "staging"];
    let (ca, cb) = (Context::new(&ea, &names), Context::new(&eb, &names));
    let t = Address::parse("aws_x.t")?;
    let sa = Side::new(&ca, ea.get(&t).ok_or("missing")?);
    let sb = Side::new(&cb, eb.get(&t).ok_or("missing")?);
    Ok(diff(&sa, &sb)
        .iter()
        .map(|d| {
            let mut s = format!("{}: {} | {}", d.path, d.left, d.right);
            if d.reference {
                s.push_str(" (ref)");
            }
            if d.secret_value {
                s.push_str(" (secret value)");
            }
            if d.after_apply {
                s.push_str(" (after apply)");
            }
            if !d.only_left.is_empty() || !d.only_right.is_empty() {
                s.push_str(&format!(" -{:?} +{:?}", d.only_left, d.only_right));
            }
            s
        })
        .collect())
}

/// Diffs `aws_x.t` between two environments that also hold `common`.
fn run(
    common_a: &[(&str, &str)],
    a: &str,
    common_b: &[(&str, &str)],
    b: &str,
) -> crate::TestResult<Vec<String>> {
    let mut ra = common_a.to_vec();
    ra.push(("aws_x.t", a));
    let mut rb = common_b.to_vec();
    rb.push(("aws_x.t", b));
    run_with(env("prod", &ra)?, env("staging", &rb)?)
}

const NETS_A: &[(&str, &str)] = &[
    (
        "aws_vpc.main",
        r#"{"id":"vpc-0aaa0001","cidr_block":"10.0.0.0/16","arn":"arn:aws:ec2:us-east-1:111111111111:vpc/vpc-0aaa0001"}"#,
    ),
    ("aws_subnet.a", r#"{"id":"subnet-0aaa0001"}"#),
    ("aws_subnet.b", r#"{"id":"subnet-0aaa0002"}"#),
];
const NETS_B: &[(&str, &str)] = &[
    (
        "aws_vpc.main",
        r#"{"id":"vpc-0bbb0001","cidr_block":"10.1.0.0/16","arn":"arn:aws:ec2:us-west-2:222222222222:vpc/vpc-0bbb0001"}"#,
    ),
    ("aws_subnet.a", r#"{"id":"subnet-0bbb0001"}"#),
    ("aws_subnet.b", r#"{"id":"subnet-0bbb0002"}"#),
];

#[test]
fn by_design_differences_vanish() -> crate::TestResult {
    for (a, b) in [
        (
            r#"{"id":"x-1","arn":"arn:1","vpc_id":"vpc-0aaa0001"}"#,
            r#"{"id":"x-2","arn":"arn:2","vpc_id":"vpc-0bbb0001"}"#,
        ),
        (
            r#"{"subnets":["subnet-0aaa0001","subnet-0aaa0002"]}"#,
            r#"{"subnets":["subnet-0bbb0002","subnet-0bbb0001"]}"#,
        ),
        (
            r#"{"cidr":"10.0.4.0/24","az":"us-east-1a"}"#,
            r#"{"cidr":"10.1.4.0/24","az":"us-west-2a"}"#,
        ),
        (
            r#"{"name":"prod-web","tags":{"Env":"production"}}"#,
            r#"{"name":"staging-web","tags":{"Env":"stage"}}"#,
        ),
        (
            r#"{"port":"443","on":"true","x":null}"#,
            r#"{"port":443,"on":true,"x":""}"#,
        ),
        (r#"{"l":[],"m":{}}"#, r#"{}"#),
        (
            r#"{"cert":"arn:aws:acm:us-east-1:111111111111:certificate/3f2504e0-4f89-11d3-9a0c-0305e82c3301"}"#,
            r#"{"cert":"arn:aws:acm:us-west-2:222222222222:certificate/9a2504e0-4f89-11d3-9a0c-0305e82c3301"}"#,
        ),
        (
            r#"{"ext":"sg-0123456789abcdef0"}"#,
            r#"{"ext":"sg-0fedcba987654321f"}"#,
        ),
        (
            r#"{"tags_all":{"a":"1"},"owner_id":"111111111111"}"#,
            r#"{"tags_all":{"a":"2"},"owner_id":"222222222222"}"#,
        ),
        (
            r#"{"route":[{"cidr":"0.0.0.0/0","gw":"vpc-0aaa0001"},{"cidr":"10.0.9.0/24","gw":null}]}"#,
            r#"{"route":[{"cidr":"10.1.9.0/24","gw":""},{"cidr":"0.0.0.0/0","gw":"vpc-0bbb0001"}]}"#,
        ),
        (
            r#"{"availability_zone":"us-east-1b"}"#,
            r#"{"availability_zone":"us-west-2f"}"#,
        ),
        // identical text is equal even where it holds an environment word
        (
            r#"{"dev":["/dev/sdf","/dev/sdg"]}"#,
            r#"{"dev":["/dev/sdg","/dev/sdf"]}"#,
        ),
        (
            r#"{"policy":"{\"Principal\":\"arn:aws:iam::111111111111:root\"}"}"#,
            r#"{"policy":"{\"Principal\": \"arn:aws:iam::222222222222:root\"}"}"#,
        ),
    ] {
        assert_eq!(
            run(NETS_A, a, NETS_B, b)?,
            Vec::<String>::new(),
            "{a} vs {b}"
        );
    }
    Ok(())
}

#[test]
fn json_documents_say_where_inside_they_differ() -> crate::TestResult {
    let policy = |action: &str| {
        let doc = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Logs","Effect":"Allow","Action":["logs:PutLogEvents"],"Resource":"*"}},{{"Sid":"Bucket","Effect":"Allow","Action":["{action}"],"Resource":["arn:aws:s3:::prod-data/*"]}}]}}"#
        );
        serde_json::json!({ "policy": doc }).to_string()
    };
    let got = run(&[], &policy("s3:GetObject"), &[], &policy("s3:*"))?;
    assert_eq!(
        got,
        [
            r#"policy: Statement["Bucket"].Action = ["s3:GetObject"] | Statement["Bucket"].Action = ["s3:*"]"#
        ]
    );
    Ok(())
}

#[test]
fn base64_scripts_compare_as_their_text() -> crate::TestResult {
    // `#!/bin/bash\nENV=prod\n` and `…ENV=staging\n`: by design.
    let same = run(
        &[],
        r#"{"user_data":"IyEvYmluL2Jhc2gKRU5WPXByb2QK"}"#,
        &[],
        r#"{"user_data":"IyEvYmluL2Jhc2gKRU5WPXN0YWdpbmcK"}"#,
    )?;
    assert!(same.is_empty(), "{same:?}");
    // `PORT=1` and `PORT=2`: a real difference.
    let differ = run(
        &[],
        r#"{"user_data":"IyEvYmluL2Jhc2gKUE9SVD0xCg=="}"#,
        &[],
        r#"{"user_data":"IyEvYmluL2Jhc2gKUE9SVD0yCg=="}"#,
    )?;
    assert_eq!(
        differ,
        ["user_data: a script of 2 lines, base64-encoded, line 2 differs | a script of 2 lines, base64-encoded, line 2 differs"]
    );
    // Plain scripts are not shown either: secrets hide in them in many shapes.
    let plain = run(
        &[],
        r##"{"user_data":"#!/bin/sh\npassword: PLANTED1\n-pPLANTED1\n"}"##,
        &[],
        r##"{"user_data":"#!/bin/sh\npassword: PLANTED2\n-pPLANTED2\necho\n"}"##,
    )?;
    assert_eq!(plain.len(), 1, "{plain:?}");
    assert!(plain.iter().all(|g| !g.contains("PLANTED")), "{plain:?}");
    Ok(())
}

#[test]
fn real_differences_remain() -> crate::TestResult {
    for (a, b, want) in [
        (r#"{"ttl":300}"#, r#"{"ttl":60}"#, vec!["ttl: 300 | 60"]),
        (r#"{"vpc_id":"vpc-0aaa0001"}"#, r#"{"vpc_id":"vpc-0fff0009"}"#, vec!["vpc_id: aws_vpc.main | vpc-0fff0009 (ref)"]),
        (r#"{"s":"subnet-0aaa0001"}"#, r#"{"s":"subnet-0bbb0002"}"#, vec!["s: aws_subnet.a | aws_subnet.b (ref)"]),
        (r#"{"cidr":"10.0.4.0/24"}"#, r#"{"cidr":"10.1.5.0/24"}"#, vec!["cidr: 10.0.4.0/24 | 10.1.5.0/24"]),
        (r#"{"cidr":"10.0.0.0/16"}"#, r#"{"cidr":"10.0.0.0/16"}"#, vec!["cidr: 10.0.0.0/16 (there: an address in its own network) | 10.0.0.0/16 (there: nothing of its own)"]),
        (r#"{"name":"prod-web"}"#, r#"{"name":"prod-web2"}"#, vec!["name: prod-web | prod-web2"]),
        (r#"{"x":"a"}"#, r#"{}"#, vec!["x: a | (absent)"]),
        (
            r#"{"ingress":[{"from_port":443,"cidr_blocks":["0.0.0.0/0"]}]}"#,
            r#"{"ingress":[{"from_port":443,"cidr_blocks":["0.0.0.0/0"]},{"from_port":22,"cidr_blocks":["0.0.0.0/0"]}]}"#,
            vec![
                r#"ingress: [{cidr_blocks = ["0.0.0.0/0"], from_port = 443}] | [{cidr_blocks = ["0.0.0.0/0"], from_port = 443}, {cidr_blocks = ["0.0.0.0/0"], from_port = 22}] -[] +["{cidr_blocks = [\"0.0.0.0/0\"], from_port = 22}"]"#,
            ],
        ),
        (r#"{"b":[{"enabled":true}]}"#, r#"{"b":[{"enabled":false}]}"#, vec!["b[0].enabled: true | false"]),
        (r#"{"tags":{"Team":"a"}}"#, r#"{"tags":{"Team":"b"}}"#, vec![r#"tags["Team"]: a | b"#]),
        // a foreign account stays what it is
        (
            r#"{"trust":"arn:aws:iam::111111111111:root"}"#,
            r#"{"trust":"arn:aws:iam::999999999999:root"}"#,
            vec!["trust: arn:aws:iam::111111111111:root | arn:aws:iam::999999999999:root"],
        ),
        (
            r#"{"policy_arn":"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}"#,
            r#"{"policy_arn":"arn:aws:iam::aws:policy/AmazonS3FullAccess"}"#,
            vec!["policy_arn: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess | arn:aws:iam::aws:policy/AmazonS3FullAccess"],
        ),
        // ordered lists compare in order
        (r#"{"args":["migrate","serve"]}"#, r#"{"args":["serve","migrate"]}"#, vec!["args[0]: migrate | serve", "args[1]: serve | migrate"]),
        // canonical forms are escaped: these two rules are not the same
        (
            r#"{"r":[{"d":"x\",\"p\":\"22","q":1},{"d":"y"}]}"#,
            r#"{"r":[{"d":"x","p":"22","q":1},{"d":"y"}]}"#,
            vec![r#"r[0].d: x","p":"22 | x"#, "r[0].p: null | 22"],
        ),
        (r#"{"metadata_options":[{"http_tokens":"required"}]}"#, r#"{"metadata_options":[{"http_tokens":"optional"}]}"#, vec!["metadata_options[0].http_tokens: required | optional"]),
        (r#"{"minimum_password_length":14}"#, r#"{"minimum_password_length":6}"#, vec!["minimum_password_length: 14 | 6"]),
    ] {
        assert_eq!(run(NETS_A, a, NETS_B, b)?, want, "{a} vs {b}");
    }
    Ok(())
}

#[test]
fn differing_blocks_pair_by_name_and_long_values_show_the_change() -> crate::TestResult {
    let rules = |src: &str| {
        format!(
            r#"{{"rules":[{{"name":"a","src":"*","port":1}},{{"name":"b","src":"{src}","port":2}},{{"name":"c","src":"*","port":3}}]}}"#
        )
    };
    assert_eq!(
        run(
            NETS_A,
            &rules("AzureFrontDoor.Backend"),
            NETS_B,
            &rules("*")
        )?,
        ["rules[\"b\"].src: AzureFrontDoor.Backend | *"]
    );
    let long = |action: &str| format!(r#"{{"doc":"{}{action}"}}"#, "x".repeat(300));
    let got = run(
        NETS_A,
        &long("s3:ListBucket"),
        NETS_B,
        &long("s3:DeleteObject"),
    )?;
    assert_eq!(got.len(), 1);
    assert!(
        got[0].contains("ListBucket") && got[0].contains("DeleteObject"),
        "{got:?}"
    );
    Ok(())
}

#[test]
fn blocks_paired_by_a_natural_key_are_named_by_it_field_by_field() -> crate::TestResult {
    // Twelve WAF rules switch from count to block and one is added: each rule's
    // field is named, the added rule said alone, never the whole set of rules.
    let rule = |n: usize, action: &str| {
        format!(
            r#"{{"name":"rule-{n}","priority":{n},"action":"{action}","statement":[{{"ip_set":"{}","scope_down":[{{"text":"{}"}}]}}]}}"#,
            "s".repeat(40),
            "t".repeat(80)
        )
    };
    let waf = |action: &str, extra: bool| {
        let mut rules: Vec<String> = (1..=12).map(|n| rule(n, action)).collect();
        if extra {
            rules.push(rule(13, "allow"));
        }
        format!(r#"{{"rule":[{}]}}"#, rules.join(","))
    };
    let got = run(NETS_A, &waf("count", false), NETS_B, &waf("block", true))?;
    assert_eq!(got.len(), 13, "{got:?}");
    for n in 1..=12 {
        assert!(
            got.contains(&format!("rule[\"rule-{n}\"].action: count | block")),
            "{got:?}"
        );
    }
    assert!(
        got.iter()
            .any(|d| d.starts_with("rule: ") && d.contains("rule-13")),
        "{got:?}"
    );
    // Blocks keyed by a number are named with their field; overrides of a managed
    // rule set by their group and rule.
    let acl = |action: &str| {
        format!(
            r#"{{"rule":[{{"priority":10,"action":"allow"}},{{"priority":20,"action":"{action}"}}],"override":[{{"rule_group_name":"SQLI","rule":[{{"rule_id":"942100","action":"Log"}},{{"rule_id":"942110","action":"{action}"}}]}},{{"rule_group_name":"XSS","rule":[]}}]}}"#
        )
    };
    assert_eq!(
        run(NETS_A, &acl("Block"), NETS_B, &acl("Log"))?,
        [
            "override[\"SQLI\"].rule[\"rule_id=942110\"].action: Block | Log",
            "rule[\"priority=20\"].action: Block | Log",
        ]
    );
    // The path finds the block again by its name, wherever it is in the list.
    let v: Value = serde_json::from_str(&acl("Block"))?;
    let at = AttrPath(vec![
        PathStep::Attr("override".into()),
        PathStep::Key("SQLI".into()),
        PathStep::Attr("rule".into()),
        PathStep::Key("rule_id=942110".into()),
        PathStep::Attr("action".into()),
    ]);
    assert_eq!(value_at(&v, &at).and_then(Value::as_str), Some("Block"));
    Ok(())
}

#[test]
fn blocks_with_names_pair_by_name_even_when_one_name_repeats() -> crate::TestResult {
    // A gateway's routing rules, their priorities made from each rule's place in
    // the list: staging lists `xui` twice and has no `cmc`. The rules pair by
    // name; priorities never pair unrelated rules.
    let gateway = |names: &[&str]| {
        let rules: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                format!(
                    r#"{{"name":"{n}","priority":{},"backend_address_pool_name":"{n}"}}"#,
                    (i + 1) * 10
                )
            })
            .collect();
        format!(r#"{{"request_routing_rule":[{}]}}"#, rules.join(","))
    };
    let got = run(
        NETS_A,
        &gateway(&["plum", "cmc", "div", "xui"]),
        NETS_B,
        &gateway(&["plum", "xui", "div", "xui"]),
    )?;
    assert!(
        got.iter().all(|d| !d.contains("priority=")),
        "paired by priority: {got:?}"
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("request_routing_rule: ") && got[0].contains("cmc"),
        "{got:?}"
    );
    Ok(())
}

#[test]
fn unknown_elements_are_wildcards_not_blanket_equality() -> crate::TestResult {
    let mut a = env(
        "prod",
        &[("aws_x.t", r#"{"ingress":[{"p":443,"sg":"x"}]}"#)],
    )?;
    let mut b = env(
        "staging",
        &[(
            "aws_x.t",
            r#"{"ingress":[{"p":443,"sg":"x"},{"p":22},{"p":0}]}"#,
        )],
    )?;
    let port: Value = serde_json::from_str("443")?;
    let unknown_sg = |e: &mut Environment| {
        if let Value::Object(o) = &mut e.resources[0].attributes {
            let mut entries = o.to_vec();
            if let Value::List(l) = &mut entries[0].1 {
                let mut items = l.to_vec();
                items[0] = Value::object(vec![
                    ("p".into(), port.clone()),
                    ("sg".into(), Value::Unknown(None)),
                ]);
                *l = items.into_boxed_slice();
            }
            *o = entries.into_boxed_slice();
        }
    };
    unknown_sg(&mut b);
    assert_eq!(
        run_with(a.clone(), b.clone())?.len(),
        1,
        "extra rules are reported despite an unknown"
    );
    // Same length, the unknown element matches the known one.
    b = env(
        "staging",
        &[("aws_x.t", r#"{"ingress":[{"p":443,"sg":"x"}]}"#)],
    )?;
    unknown_sg(&mut b);
    // Equal for all that is known (states: nothing to say of the unknown).
    assert!(run_with(a.clone(), b)?.is_empty());
    unknown_sg(&mut a);
    let b = env(
        "staging",
        &[("aws_x.t", r#"{"ingress":[{"p":443,"sg":"y"}]}"#)],
    )?;
    assert!(run_with(a, b)?.is_empty());
    Ok(())
}

#[test]
fn long_lists_of_blocks_with_unknowns_hide_no_known_difference() -> crate::TestResult {
    // Past the pairs compared one by one (65 × 65), blocks are not taken as equal.
    let rules = |proto: &str, sg: &str| {
        let items: Vec<String> = (0..65)
            .map(|i| format!(r#"{{"p":{i},"proto":"{proto}","sg":"{sg}"}}"#))
            .collect();
        format!(r#"{{"ingress":[{}]}}"#, items.join(","))
    };
    let a = env("prod", &[("aws_x.t", &rules("tcp", "x"))])?;
    let b = env("staging", &[("aws_x.t", &rules("udp", "?"))])?.with_unknowns();
    assert!(
        !run_with(a.clone(), b)?.is_empty(),
        "tcp against udp is known"
    );
    let same = env("staging", &[("aws_x.t", &rules("tcp", "?"))])?.with_unknowns();
    assert!(run_with(a, same)?.is_empty());
    Ok(())
}

#[test]
fn an_unknown_is_said_whatever_the_order_of_the_blocks() -> crate::TestResult {
    let a = r#"{"rule":[{"cidr":"?","p":22},{"cidr":"10.0.0.0/8","p":80}]}"#;
    let b = r#"{"rule":[{"cidr":"10.0.0.0/8","p":80},{"cidr":"0.0.0.0/0","p":22}]}"#;
    let ea = env("prod", &[("aws_x.t", a)])?.with_unknowns().declared();
    let eb = env("staging", &[("aws_x.t", b)])?.declared();
    assert_eq!(
        run_with(ea, eb)?,
        vec!["rule[0].cidr: (known after apply) | 0.0.0.0/0 (after apply)"]
    );
    Ok(())
}

#[test]
fn an_unknown_in_a_block_hides_nothing_else_in_it() -> crate::TestResult {
    // One value known only after apply in a nested block (a data source's id), and
    // known values that differ beside it: each known difference is reported.
    let block = |class: &str, min: u32, sg: &str| {
        format!(r#"{{"cfg":[{{"class":"{class}","min":{min},"sg":"{sg}","subnets":["a","b"]}}]}}"#)
    };
    // Two configurations: a value known in one and only after apply in the other is
    // said.
    let a = env("prod", &[("aws_x.t", &block("large", 3, "sg-1"))])?.declared();
    let b = env("staging", &[("aws_x.t", &block("small", 1, "?"))])?
        .with_unknowns()
        .declared();
    assert_eq!(
        run_with(a, b.clone())?,
        vec![
            "cfg[0].class: large | small",
            "cfg[0].min: 3 | 1",
            "cfg[0].sg: sg-1 | (known after apply) (after apply)",
        ]
    );
    // Unknown on both sides: only the known differences.
    let a = env("prod", &[("aws_x.t", &block("large", 3, "?"))])?
        .with_unknowns()
        .declared();
    assert_eq!(
        run_with(a, b)?,
        vec!["cfg[0].class: large | small", "cfg[0].min: 3 | 1"]
    );
    Ok(())
}

#[test]
fn secrets_never_shown() -> crate::TestResult {
    let got = run(
        NETS_A,
        r#"{"master_password":"hunter2","env":{"DB_TOKEN":"abc"}}"#,
        NETS_B,
        r#"{"master_password":"swordfish","env":{"DB_TOKEN":"xyz"}}"#,
    )?;
    assert_eq!(
        got,
        [
            r#"env["DB_TOKEN"]: (sensitive) | (sensitive) (secret value)"#,
            "master_password: (sensitive) | (sensitive) (secret value)"
        ]
    );
    // equal secrets are not a difference
    assert!(run(
        NETS_A,
        r#"{"password":"same"}"#,
        NETS_B,
        r#"{"password":"same"}"#
    )?
    .is_empty());
    // JSON documents in strings keep their secrets hidden
    let got = run(
        NETS_A,
        r#"{"cfg":"{\"api_token\":\"hunter2\",\"t\":1}"}"#,
        NETS_B,
        r#"{"cfg":"{\"api_token\":\"hunter3\",\"t\":2}"}"#,
    )?;
    assert_eq!(got.len(), 1);
    assert!(!got[0].contains("hunter"), "{got:?}");
    // passwords inside URLs
    let got = run(
        NETS_A,
        r#"{"url":"postgres://app:Pr0dPw@db/a","x":1}"#,
        NETS_B,
        r#"{"url":"postgres://app:StgPw@db/b","x":1}"#,
    )?;
    assert_eq!(
        got,
        ["url: postgres://(sensitive)@db/a | postgres://(sensitive)@db/b"]
    );
    // passwords with slashes, in query strings, connection strings, name/value pairs
    for (a, b) in [
        (
            r#"{"c":"postgres://app:Pr0d/PLANTED1@db/a"}"#,
            r#"{"c":"postgres://app:Stg/PLANTED2@db/b"}"#,
        ),
        (
            r#"{"c":"jdbc:pg://db/a?user=x&password=PLANTED1"}"#,
            r#"{"c":"jdbc:pg://db/b?user=x&password=PLANTED2"}"#,
        ),
        (
            r#"{"c":"Server=a;Password=PLANTED1;"}"#,
            r#"{"c":"Server=b;Password=PLANTED2;"}"#,
        ),
        (
            r#"{"env":[{"name":"DB_PASSWORD","value":"PLANTED1"},{"name":"A","value":"1"}]}"#,
            r#"{"env":[{"name":"DB_PASSWORD","value":"PLANTED2"},{"name":"A","value":"2"}]}"#,
        ),
        (
            r#"{"defs":"[{\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"PLANTED1\"}],\"cpu\":1}]"}"#,
            r#"{"defs":"[{\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"PLANTED2\"}],\"cpu\":2}]"}"#,
        ),
        // A URL's password in a document that also has a secret-named entry.
        (
            r#"{"defs":"[{\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"x\"},{\"name\":\"UP\",\"value\":\"https://svc:PLANTED1@up.example.com\"}]}]"}"#,
            r#"{"defs":"[{\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"x\"},{\"name\":\"UP\",\"value\":\"https://svc:PLANTED2@up.example.com\"}]}]"}"#,
        ),
        // A secret at the start of a line of a script, plain and base64-encoded.
        (
            r##"{"user_data":"#!/bin/bash\nPORT=1\nDB_PASSWORD=PLANTED1\n"}"##,
            r##"{"user_data":"#!/bin/bash\nPORT=2\nDB_PASSWORD=PLANTED2\n"}"##,
        ),
        (
            r#"{"user_data":"IyEvYmluL2Jhc2gKUE9SVD0xCkRCX1BBU1NXT1JEPVBMQU5URUQxCg=="}"#,
            r#"{"user_data":"IyEvYmluL2Jhc2gKUE9SVD0yCkRCX1BBU1NXT1JEPVBMQU5URUQyCg=="}"#,
        ),
    ] {
        let got = run(NETS_A, a, NETS_B, b)?;
        assert!(!got.is_empty(), "{a}");
        assert!(got.iter().all(|g| !g.contains("PLANTED")), "{got:?}");
    }
    Ok(())
}

#[test]
fn quoted_values_options_and_yaml_pairs_are_redacted_whole() {
    for (text, hidden, kept) in [
        (
            r#"DB_PASSWORD="correct horse battery staple""#,
            "horse battery staple",
            "DB_PASSWORD=",
        ),
        (
            "DB_PASSWORD='correct horse battery staple'",
            "horse battery staple",
            "DB_PASSWORD=",
        ),
        (
            r#"export PGPASSWORD="a b c" && psql -h db"#,
            "a b c",
            "&& psql -h db",
        ),
        (
            r#"password = "two words" port = 5432"#,
            "two words",
            "port = 5432",
        ),
        (r#"PASSWORD="say \"hi there\" now" X=1"#, "hi there", "X=1"),
        (
            r#"PASSWORD="never closed at all"#,
            "closed at all",
            "PASSWORD=",
        ),
        (
            "password: correct horse battery staple\nuser: app",
            "horse battery",
            "user: app",
        ),
        ("DB_PASSWORD: 'two words'\nport: 1", "two words", "port: 1"),
        ("  api_token:   \"two words\"\n", "two words", "api_token:"),
        (
            r#"{password: "two words", user: app}"#,
            "two words",
            "{password:",
        ),
        (
            r#"{"password" : "two words", "user": "app"}x"#,
            "two words",
            r#""user": "app""#,
        ),
        ("run --password hunter2 --user app", "hunter2", "--user app"),
        (
            r#"run --password "two words" --user app"#,
            "two words",
            "--user app",
        ),
        ("run --db-password=hunter2 -v", "hunter2", "-v"),
    ] {
        let shown = redact(text);
        assert!(
            !shown.contains(hidden),
            "{text:?} shows {hidden:?}: {shown:?}"
        );
        assert!(shown.contains(kept), "{text:?} lost {kept:?}: {shown:?}");
        assert!(shown.contains(SENSITIVE), "{text:?}: {shown:?}");
    }
    // Not pairs of a secret: left as they are.
    for text in [
        "https://host:5432/x",
        "at time: 12:30",
        "key_name: my key",
        "passenger: two words",
        "run --password-file /etc/pw --user app",
        "a == b",
        "c3VyZQ==",
    ] {
        assert_eq!(redact(text), text);
    }
}

#[test]
fn urls_in_values_lose_their_user_information_and_secret_parameters() {
    for (text, hidden, kept) in [
        (
            "https://ghp_TOKEN1@github.com/o/r.git",
            "TOKEN1",
            "@github.com/o/r.git",
        ),
        (
            "git::https://user:TOKEN2@h/x.git?ref=v1",
            "TOKEN2",
            "@h/x.git?ref=v1",
        ),
        ("https://h/m.zip?sv=1&sig=TOKEN3", "TOKEN3", "sv=1"),
        (
            "https://b.s3.amazonaws.com/m?X-Amz-Signature=TOKEN4",
            "TOKEN4",
            "b.s3.amazonaws.com",
        ),
        (
            "see https://TOKEN5:x-oauth-basic@github.com/o now",
            "TOKEN5",
            "now",
        ),
    ] {
        let shown = redact(text);
        assert!(!shown.contains(hidden), "{text}: {shown}");
        assert!(shown.contains(kept), "{text}: {shown}");
    }
}

#[test]
fn json_in_strings_is_redacted_at_any_depth() {
    // A document whose string holds a document, whose string holds one, …
    fn nest(inner: serde_json::Value, depth: usize) -> serde_json::Value {
        (0..depth).fold(
            inner,
            |doc, i| serde_json::json!({ "level": i, "cfg": doc.to_string() }),
        )
    }
    for depth in [1, 2, 3, 5, 12] {
        let doc = nest(
            serde_json::json!({"user": "app", "password": "NESTEDPW", "list": ["[{\"token\":\"NESTEDTOK\"}]"]}),
            depth,
        )
        .to_string();
        let shown = redact(&doc);
        assert!(
            !shown.contains("NESTEDPW") && !shown.contains("NESTEDTOK"),
            "depth {depth}: {shown}"
        );
        // What is not secret is still there, up to where the documents stay readable.
        if depth <= 3 {
            assert!(shown.contains("app"), "depth {depth}: {shown}");
        }
    }
    // A document in a string in a list, and a URL with a password in an inner one.
    let doc = r#"[{"env":"{\"DB_URL\":\"postgres://u:URLPW@db/x\",\"PGPASSWORD\":\"ONEWORD\"}"}]"#;
    let shown = redact(doc);
    assert!(
        !shown.contains("URLPW") && !shown.contains("ONEWORD"),
        "{shown}"
    );
}

#[test]
fn marked_list_elements_stay_hidden_in_list_differences() -> crate::TestResult {
    let mut a = env(
        "prod",
        &[(
            "aws_x.t",
            r#"{"env":[{"n":"A","v":"1"},{"n":"URL","v":"pg://u:SECRET1@db"}]}"#,
        )],
    )?;
    let mut b = env(
        "staging",
        &[(
            "aws_x.t",
            r#"{"env":[{"n":"A","v":"1"},{"n":"URL","v":"pg://u:SECRET2@db"},{"n":"D","v":"1"}]}"#,
        )],
    )?;
    let mark = AttrPath(vec![
        PathStep::Attr("env".into()),
        PathStep::Index(1),
        PathStep::Attr("v".into()),
    ]);
    a.resources[0].sensitive.push(mark.clone());
    b.resources[0].sensitive.push(mark);
    let got = run_with(a, b)?;
    assert_eq!(got.len(), 1);
    assert!(!got[0].contains("SECRET"), "{got:?}");
    Ok(())
}
