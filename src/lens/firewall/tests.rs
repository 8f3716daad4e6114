//! Table-driven tests of the firewall lens, one provider form at a time.

use crate::lens::testing::lines as run;
use crate::model::Environment;

const VPC_PROD: (&str, &str) = (
    "aws_vpc.main",
    r#"{"id":"vpc-0aaa0001","cidr_block":"10.0.0.0/16"}"#,
);
const VPC_STG: (&str, &str) = (
    "aws_vpc.main",
    r#"{"id":"vpc-0bbb0001","cidr_block":"10.1.0.0/16"}"#,
);

fn sg(id: &str, ingress: &str) -> String {
    let vpc = if id.contains("aaa") {
        "vpc-0aaa0001"
    } else {
        "vpc-0bbb0001"
    };
    format!(r#"{{"id":"{id}","name":"web","vpc_id":"{vpc}","ingress":{ingress},"egress":[]}}"#)
}

fn block(proto: &str, from: i64, to: i64, cidrs: &str) -> String {
    format!(
        r#"{{"protocol":"{proto}","from_port":{from},"to_port":{to},"cidr_blocks":{cidrs},"ipv6_cidr_blocks":[],"prefix_list_ids":[],"security_groups":[],"self":false,"description":"d"}}"#
    )
}

#[test]
fn the_same_allowance_in_every_aws_form_is_equal() -> crate::TestResult {
    let inline = sg(
        "sg-0aaa0001",
        &format!("[{}]", block("tcp", 443, 443, r#"["0.0.0.0/0"]"#)),
    );
    let bare = sg("sg-0bbb0001", "[]");
    let rule = r#"{"id":"sgrule-1","type":"ingress","security_group_id":"sg-0bbb0001","protocol":"tcp","from_port":443,"to_port":443,"cidr_blocks":["0.0.0.0/0"],"self":false,"description":"other words"}"#;
    let vpc_rule = r#"{"id":"sgr-0bbb0001","security_group_id":"sg-0bbb0001","ip_protocol":"6","from_port":443,"to_port":443,"cidr_ipv4":"0.0.0.0/0"}"#;
    assert_eq!(
        run(
            &[("aws_security_group.web", &inline)],
            &[
                ("aws_security_group.web", &bare),
                ("aws_security_group_rule.https", rule)
            ]
        )?,
        Vec::<String>::new()
    );
    assert_eq!(
        run(
            &[("aws_security_group.web", &inline)],
            &[
                ("aws_security_group.web", &bare),
                ("aws_vpc_security_group_ingress_rule.https", vpc_rule)
            ]
        )?,
        Vec::<String>::new()
    );
    Ok(())
}

#[test]
fn security_group_differences() -> crate::TestResult {
    let open443 = block("tcp", 443, 443, r#"["0.0.0.0/0"]"#);
    for (name, prod, staging, want) in [
        (
            "extra ssh from the internet",
            vec![open443.clone()],
            vec![open443.clone(), block("tcp", 22, 22, r#"["0.0.0.0/0"]"#)],
            vec!["allows-more critical aws_security_group.web: staging additionally allows inbound tcp/22 from 0.0.0.0/0."],
        ),
        (
            "overlapping port ranges",
            vec![block("tcp", 80, 90, r#"["0.0.0.0/0"]"#)],
            vec![block("tcp", 85, 100, r#"["0.0.0.0/0"]"#)],
            vec![
                "allows-more critical aws_security_group.web: staging additionally allows inbound tcp/91-100 from 0.0.0.0/0.",
                "allows-less medium aws_security_group.web: staging does not allow inbound tcp/80-84 from 0.0.0.0/0, which prod allows.",
            ],
        ),
        (
            "adjacent CIDRs are one range",
            vec![block("tcp", 22, 22, r#"["192.168.0.0/24","192.168.1.0/24"]"#)],
            vec![block("tcp", 22, 22, r#"["192.168.0.0/23"]"#)],
            vec![],
        ),
        (
            "the own VPC differs by design",
            vec![block("tcp", 5432, 5432, r#"["10.0.0.0/16"]"#)],
            vec![block("tcp", 5432, 5432, r#"["10.1.0.0/16"]"#)],
            vec![],
        ),
        (
            "the other environment's VPC is another network",
            vec![block("tcp", 5432, 5432, r#"["10.0.0.0/16"]"#)],
            vec![block("tcp", 5432, 5432, r#"["10.0.0.0/16"]"#)],
            vec![
                "allows-more high aws_security_group.web: staging additionally allows inbound tcp/5432 from 10.0.0.0/16.",
                "allows-less medium aws_security_group.web: staging does not allow inbound tcp/5432 from 10.0.0.0/16 (aws_vpc.main), which prod allows.",
            ],
        ),
        (
            "protocol -1 against tcp",
            vec![block("tcp", 0, 65535, r#"["192.168.0.0/16"]"#)],
            vec![block("-1", 0, 0, r#"["192.168.0.0/16"]"#)],
            vec!["allows-more high aws_security_group.web: staging additionally allows inbound protocols 0-5 from 192.168.0.0/16; protocols 7-255 from 192.168.0.0/16."],
        ),
        (
            "descriptions alone are not findings",
            vec![block("tcp", 443, 443, r#"["0.0.0.0/0"]"#)],
            vec![block("tcp", 443, 443, r#"["0.0.0.0/0"]"#).replace(r#""description":"d""#, r#""description":"another""#)],
            vec![],
        ),
    ] {
        let p = sg("sg-0aaa0001", &format!("[{}]", prod.join(",")));
        let s = sg("sg-0bbb0001", &format!("[{}]", staging.join(",")));
        assert_eq!(run(&[VPC_PROD, ("aws_security_group.web", &p)], &[VPC_STG, ("aws_security_group.web", &s)])?, want, "{name}");
    }
    Ok(())
}

#[test]
fn ipv6_rules() -> crate::TestResult {
    let v6 = |cidr: &str| {
        sg(
            "sg-0aaa0001",
            &format!(
                r#"[{{"protocol":"tcp","from_port":443,"to_port":443,"cidr_blocks":[],"ipv6_cidr_blocks":["{cidr}"],"self":false}}]"#
            ),
        )
    };
    let got = run(
        &[("aws_security_group.web", &v6("::/0"))],
        &[("aws_security_group.web", &v6("2001:db8::/32"))],
    )?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("allows-less medium"), "{got:?}");
    let got = run(
        &[("aws_security_group.web", &v6("2001:db8::/32"))],
        &[("aws_security_group.web", &v6("::/0"))],
    )?;
    assert!(got[0].starts_with("allows-more critical"), "{got:?}");
    Ok(())
}

#[test]
fn security_groups_as_peers_compare_by_logical_address() -> crate::TestResult {
    let alb = |id: &str| format!(r#"{{"id":"{id}","ingress":[],"egress":[]}}"#);
    let web = |id: &str, peer: &str| {
        sg(
            id,
            &format!(
                r#"[{{"protocol":"tcp","from_port":8080,"to_port":8080,"cidr_blocks":[],"security_groups":["{peer}"],"self":false}}]"#
            ),
        )
    };
    let prod = [
        ("aws_security_group.alb", alb("sg-0aaa0002")),
        ("aws_security_group.web", web("sg-0aaa0001", "sg-0aaa0002")),
    ];
    let stg = [
        ("aws_security_group.alb", alb("sg-0bbb0002")),
        ("aws_security_group.web", web("sg-0bbb0001", "sg-0bbb0002")),
    ];
    let p: Vec<(&str, &str)> = prod.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let s: Vec<(&str, &str)> = stg.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(run(&p, &s)?, Vec::<String>::new());
    // staging lets the web group reach itself instead of the load balancer
    let stg2 = [
        ("aws_security_group.alb", alb("sg-0bbb0002")),
        ("aws_security_group.web", web("sg-0bbb0001", "sg-0bbb0001")),
    ];
    let s2: Vec<(&str, &str)> = stg2.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        run(&p, &s2)?,
        [
            "allows-more high aws_security_group.web: staging additionally allows inbound tcp/8080 from security group aws_security_group.web.",
            "allows-less medium aws_security_group.web: staging does not allow inbound tcp/8080 from security group aws_security_group.alb, which prod allows."
        ]
    );
    Ok(())
}

#[test]
fn nacl_deny_ordered_before_allow() -> crate::TestResult {
    let entry = |no: i64, action: &str, proto: &str, from: i64, to: i64| {
        format!(
            r#"{{"rule_no":{no},"action":"{action}","protocol":"{proto}","from_port":{from},"to_port":{to},"cidr_block":"0.0.0.0/0","ipv6_cidr_block":"","icmp_type":0,"icmp_code":0}}"#
        )
    };
    let acl = |id: &str, ingress: Vec<String>| {
        format!(
            r#"{{"id":"{id}","ingress":[{}],"egress":[]}}"#,
            ingress.join(",")
        )
    };
    let prod = acl(
        "acl-0aaa0001",
        vec![
            entry(100, "deny", "tcp", 22, 22),
            entry(200, "allow", "-1", 0, 0),
        ],
    );
    // staging numbered the deny after the allow: it never applies
    let stg = acl(
        "acl-0bbb0001",
        vec![
            entry(100, "allow", "-1", 0, 0),
            entry(200, "deny", "tcp", 22, 22),
        ],
    );
    assert_eq!(
        run(&[("aws_network_acl.main", &prod)], &[("aws_network_acl.main", &stg)])?,
        ["allows-more critical aws_network_acl.main: staging additionally allows inbound tcp/22 from 0.0.0.0/0."]
    );
    // the same rules as separate aws_network_acl_rule resources are equal
    let bare = acl("acl-0bbb0001", vec![]);
    let rule = |no: i64, action: &str, proto: &str, from: i64, to: i64| {
        format!(
            r#"{{"network_acl_id":"acl-0bbb0001","rule_number":{no},"egress":false,"rule_action":"{action}","protocol":"{proto}","from_port":{from},"to_port":{to},"cidr_block":"0.0.0.0/0"}}"#
        )
    };
    let (r1, r2) = (
        rule(100, "deny", "6", 22, 22),
        rule(200, "allow", "all", 0, 0),
    );
    assert_eq!(
        run(
            &[("aws_network_acl.main", &prod)],
            &[
                ("aws_network_acl.main", &bare),
                ("aws_network_acl_rule.a", &r1),
                ("aws_network_acl_rule.b", &r2)
            ]
        )?,
        Vec::<String>::new()
    );
    Ok(())
}

#[test]
fn gcp_firewalls_with_deny() -> crate::TestResult {
    let net = |p: &str| {
        format!(
            r#"{{"id":"projects/{p}/global/networks/main","name":"main","self_link":"https://www.googleapis.com/compute/v1/projects/{p}/global/networks/main"}}"#
        )
    };
    let fw = |p: &str, prio: i64, kind: &str, ports: &str| {
        format!(
            r#"{{"id":"x","name":"fw","network":"https://www.googleapis.com/compute/v1/projects/{p}/global/networks/main","direction":"INGRESS","priority":{prio},"{kind}":[{{"protocol":"tcp","ports":{ports}}}],"source_ranges":["0.0.0.0/0"],"target_tags":["web"],"disabled":false}}"#
        )
    };
    let prod = [
        ("google_compute_network.main", net("acme-prod")),
        (
            "google_compute_firewall.allow_web",
            fw("acme-prod", 1000, "allow", r#"["22","443"]"#),
        ),
        (
            "google_compute_firewall.deny_ssh",
            fw("acme-prod", 900, "deny", r#"["22"]"#),
        ),
    ];
    let stg = [
        ("google_compute_network.main", net("acme-staging")),
        (
            "google_compute_firewall.web",
            fw("acme-staging", 1000, "allow", r#"["22","443"]"#),
        ),
    ];
    let p: Vec<(&str, &str)> = prod.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let s: Vec<(&str, &str)> = stg.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        run(&p, &s)?,
        ["allows-more critical google_compute_network.main: staging additionally allows inbound tcp/22 from 0.0.0.0/0 (applies to tag web)."]
    );
    // the same effective rules under other resource names: nothing to report
    let stg2 = [
        ("google_compute_network.main", net("acme-staging")),
        (
            "google_compute_firewall.a",
            fw("acme-staging", 1000, "allow", r#"["443","22"]"#),
        ),
        (
            "google_compute_firewall.b",
            fw("acme-staging", 900, "deny", r#"["22"]"#),
        ),
    ];
    let s2: Vec<(&str, &str)> = stg2.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(run(&p, &s2)?, Vec::<String>::new());
    Ok(())
}

#[test]
fn azure_rules_with_star_ports() -> crate::TestResult {
    let rule = |name: &str, ports: &str| {
        format!(
            r#"{{"name":"{name}","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","source_port_range":"*","destination_port_range":"{ports}","destination_port_ranges":[],"source_address_prefix":"Internet","source_address_prefixes":[],"destination_address_prefix":"*","destination_address_prefixes":[],"description":""}}"#
        )
    };
    let nsg = |id: &str, r: String| {
        format!(
            r#"{{"id":"/subscriptions/{id}/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/web","name":"web","security_rule":[{r}]}}"#
        )
    };
    let prod = nsg(
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        rule("prod-all", "*"),
    );
    let stg = nsg(
        "9a2504e0-4f89-11d3-9a0c-0305e82c3301",
        rule("staging-https", "443"),
    );
    let got = run(
        &[("azurerm_network_security_group.web", &prod)],
        &[("azurerm_network_security_group.web", &stg)],
    )?;
    assert_eq!(
        got,
        [
            "allows-less medium azurerm_network_security_group.web: staging does not allow inbound tcp/0-442, 444-65535 from 0.0.0.0/0, ::/0, which prod allows."
        ]
    );
    // A separate azurerm_network_security_rule resource is the same rule.
    let bare = nsg("9a2504e0-4f89-11d3-9a0c-0305e82c3301", String::new());
    let separate = r#"{"name":"x","network_security_group_name":"web","resource_group_name":"rg","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","source_port_range":"*","destination_port_range":"*","source_address_prefix":"Internet","destination_address_prefix":"*"}"#;
    assert_eq!(
        run(
            &[("azurerm_network_security_group.web", &prod)],
            &[
                ("azurerm_network_security_group.web", &bare),
                ("azurerm_network_security_rule.all", separate)
            ]
        )?,
        Vec::<String>::new()
    );
    Ok(())
}

#[test]
fn a_plan_that_does_not_know_groups_yet() -> crate::TestResult {
    // prod: the rule resource attaches to the web SG; staging's plan does not know the
    // SG id yet, so the rule attaches where the baseline's rule of that address does.
    let web = |id: &str| format!(r#"{{"id":"{id}","ingress":[],"egress":[]}}"#);
    let rule = |sg: &str| {
        format!(
            r#"{{"type":"ingress","security_group_id":{sg},"protocol":"tcp","from_port":22,"to_port":22,"cidr_blocks":["203.0.113.0/24"],"self":false}}"#
        )
    };
    let (pw, sw) = (web("sg-0aaa0001"), web("sg-0bbb0001"));
    let (pr, sr) = (rule(r#""sg-0aaa0001""#), rule("null"));
    let envs = [
        Environment::for_tests(
            "prod",
            &[
                ("aws_security_group.web", &pw),
                ("aws_security_group_rule.ssh", &pr),
            ],
        )?,
        Environment::for_tests(
            "staging",
            &[
                ("aws_security_group.web", &sw),
                ("aws_security_group_rule.ssh", &sr),
            ],
        )?,
    ];
    let report = crate::compare_loaded(&envs, 0);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    Ok(())
}

#[test]
fn sensitive_rules_are_not_spelled_out() -> crate::TestResult {
    let p = sg(
        "sg-0aaa0001",
        &format!("[{}]", block("tcp", 443, 443, r#"["0.0.0.0/0"]"#)),
    );
    let s = sg(
        "sg-0bbb0001",
        &format!(
            "[{},{}]",
            block("tcp", 443, 443, r#"["0.0.0.0/0"]"#),
            block("tcp", 22, 22, r#"["198.51.100.99/32"]"#)
        ),
    );
    let mut envs = vec![
        Environment::for_tests("prod", &[("aws_security_group.web", &p)])?,
        Environment::for_tests("staging", &[("aws_security_group.web", &s)])?,
    ];
    envs[1].resources[0]
        .sensitive
        .push(crate::model::AttrPath(vec![crate::model::PathStep::Attr(
            "ingress".into(),
        )]));
    let report = crate::compare_loaded(&envs, 0);
    let text = format!("{:?}", report.findings);
    assert!(!text.contains("198.51.100.99"), "{text}");
    assert!(report
        .findings
        .iter()
        .any(|f| f.kind == crate::model::Kind::AllowsMore));
    Ok(())
}

/// A GCP rule set where a deny applies more widely than the allow it shadows.
fn gcp_fw(network: &str, prio: i64, kind: &str, targets: &str) -> String {
    format!(
        r#"{{"name":"fw","network":"{network}","direction":"INGRESS","priority":{prio},"{kind}":[{{"protocol":"tcp","ports":["22"]}}],"source_ranges":["0.0.0.0/0"],"target_tags":{targets},"disabled":false}}"#
    )
}

#[test]
fn untargeted_denies_shadow_targeted_allows() -> crate::TestResult {
    let net = "https://www.googleapis.com/compute/v1/projects/p/global/networks/default";
    let deny = gcp_fw(net, 100, "deny", "[]");
    let allow = gcp_fw(net, 1000, "allow", r#"["web"]"#);
    let got = run(
        &[
            ("google_compute_firewall.deny", &deny),
            ("google_compute_firewall.allow", &allow),
        ],
        &[("google_compute_firewall.allow", &allow)],
    )?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("allows-more critical")
            && got[0].contains("tcp/22 from 0.0.0.0/0 (applies to tag web)"),
        "{got:?}"
    );
    // the reverse: a targeted deny carves web out of an untargeted allow
    let deny_web = gcp_fw(net, 100, "deny", r#"["web"]"#);
    let allow_all = gcp_fw(net, 1000, "allow", "[]");
    let got = run(
        &[
            ("google_compute_firewall.deny", &deny_web),
            ("google_compute_firewall.allow", &allow_all),
        ],
        &[("google_compute_firewall.allow", &allow_all)],
    )?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("applies to tag web"), "{got:?}");
    Ok(())
}

#[test]
fn large_rule_sets_still_compare() -> crate::TestResult {
    let rules: Vec<String> = (0..600)
        .map(|i| {
            block(
                "tcp",
                1000 + i,
                1000 + i,
                &format!(r#"["198.51.{}.{}/32"]"#, i / 250, i % 250),
            )
        })
        .collect();
    let p = sg("sg-0aaa0001", &format!("[{}]", rules.join(",")));
    let s = sg(
        "sg-0bbb0001",
        &format!(
            "[{},{}]",
            rules.join(","),
            block("tcp", 22, 22, r#"["0.0.0.0/0"]"#)
        ),
    );
    let got = run(
        &[("aws_security_group.web", &p)],
        &[("aws_security_group.web", &s)],
    )?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("allows-more critical"), "{got:?}");
    Ok(())
}

#[test]
fn azure_default_rules_apply_under_the_written_ones() -> crate::TestResult {
    let nsg = |rules: &str| {
        format!(r#"{{"id":"/subscriptions/x/nsg","name":"web","security_rule":[{rules}]}}"#)
    };
    let out443 = r#"{"name":"out","priority":100,"direction":"Outbound","access":"Allow","protocol":"Tcp","destination_port_range":"443","source_address_prefix":"*","destination_address_prefix":"Internet"}"#;
    let from_vnet = r#"{"name":"in","priority":100,"direction":"Inbound","access":"Allow","protocol":"*","destination_port_range":"*","source_address_prefix":"VirtualNetwork","destination_address_prefix":"*"}"#;
    // Both are allowed by Azure's defaults anyway: writing them changes nothing.
    assert_eq!(
        run(
            &[("azurerm_network_security_group.web", &nsg(out443))],
            &[("azurerm_network_security_group.web", &nsg(""))]
        )?,
        Vec::<String>::new()
    );
    assert_eq!(
        run(
            &[("azurerm_network_security_group.web", &nsg(from_vnet))],
            &[("azurerm_network_security_group.web", &nsg(""))]
        )?,
        Vec::<String>::new()
    );
    Ok(())
}

#[test]
fn plan_rules_with_addresses_known_after_apply_are_not_compared() -> crate::TestResult {
    let prod = sg(
        "sg-0aaa0001",
        &format!("[{}]", block("tcp", 443, 443, r#"["203.0.113.5/32"]"#)),
    );
    let plan = r#"{"format_version":"1.2","planned_values":{"root_module":{"resources":[
        {"address":"aws_security_group.web","mode":"managed","type":"aws_security_group","name":"web",
         "values":{"ingress":[{"protocol":"tcp","from_port":443,"to_port":443,"cidr_blocks":[],"self":false}],"egress":[]}}]}},
        "resource_changes":[{"address":"aws_security_group.web","change":{"after_unknown":{"id":true,"ingress":[{"cidr_blocks":[true]}]}}}]}"#;
    let (_, resources) = crate::source::parse("plan.json", "staging", plan.as_bytes())?;
    let staging = Environment::new(
        "staging".into(),
        crate::model::Source {
            kind: crate::model::SourceKind::Plan,
            path: "plan.json".into(),
        },
        resources,
    )
    .map_err(|a| format!("duplicate address {a}"))?;
    for baseline in [0, 1] {
        let envs = [
            Environment::for_tests("prod", &[("aws_security_group.web", &prod)])?,
            staging.clone(),
        ];
        let report = crate::compare_loaded(&envs, baseline);
        let rules: Vec<_> = report
            .findings
            .iter()
            .filter(|f| {
                matches!(
                    f.kind,
                    crate::model::Kind::AllowsMore | crate::model::Kind::AllowsLess
                )
            })
            .collect();
        assert!(rules.is_empty(), "baseline {baseline}: {rules:#?}");
    }
    Ok(())
}

#[test]
fn targets_are_shown_as_each_environment_writes_them() -> crate::TestResult {
    // The target tag holds the region (by design): compared without it, shown with it.
    let net = |p: &str| {
        format!(
            r#"{{"id":"projects/{p}/global/networks/main","name":"main","self_link":"https://www.googleapis.com/compute/v1/projects/{p}/global/networks/main"}}"#
        )
    };
    let fw = |p: &str, region: &str, ports: &str| {
        format!(
            r#"{{"id":"x","name":"fw","network":"https://www.googleapis.com/compute/v1/projects/{p}/global/networks/main","direction":"INGRESS","priority":1000,"allow":[{{"protocol":"tcp","ports":{ports}}}],"source_ranges":["34.94.25.3/32"],"target_tags":["gke-{region}-app-node"],"disabled":false}}"#
        )
    };
    let prod = [
        ("google_compute_network.main", net("acme-prod")),
        (
            "google_compute_firewall.ssh",
            fw("acme-prod", "us-west2", r#"["22","443"]"#),
        ),
    ];
    let stg = [
        ("google_compute_network.main", net("acme-staging")),
        (
            "google_compute_firewall.ssh",
            fw("acme-staging", "us-east1", r#"["443"]"#),
        ),
    ];
    let p: Vec<(&str, &str)> = prod.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let s: Vec<(&str, &str)> = stg.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let got = run(&p, &s)?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].contains("tcp/22 from 34.94.25.3/32 (applies to tag gke-us-west2-app-node)"),
        "{got:?}"
    );
    assert!(!got[0].contains('{'), "{got:?}");
    Ok(())
}

#[test]
fn a_rule_difference_names_the_rule_resources_that_write_it() -> crate::TestResult {
    // prod: https inline and ssh from the VPC as rule resources; staging: the ssh rule
    // opened to the internet, and one more rule resource allowing 8080.
    let rule = |id: &str, sg: &str, port: i64, cidr: &str| {
        format!(
            r#"{{"id":"{id}","type":"ingress","security_group_id":"{sg}","protocol":"tcp","from_port":{port},"to_port":{port},"cidr_blocks":["{cidr}"],"self":false}}"#
        )
    };
    let https = format!("[{}]", block("tcp", 443, 443, r#"["0.0.0.0/0"]"#));
    let (gp, gs) = (sg("sg-0aaa0001", &https), sg("sg-0bbb0001", &https));
    let ssh_p = rule("sgrule-1", "sg-0aaa0001", 22, "10.0.0.0/16");
    let ssh_s = rule("sgrule-2", "sg-0bbb0001", 22, "0.0.0.0/0");
    let alt_s = r#"{"id":"sgr-0bbb0009","security_group_id":"sg-0bbb0001","ip_protocol":"tcp","from_port":8080,"to_port":8080,"cidr_ipv4":"10.1.0.0/16"}"#;
    let got = crate::lens::testing::compare(
        &[
            VPC_PROD,
            ("aws_security_group.web", &gp),
            ("aws_security_group_rule.ssh", &ssh_p),
        ],
        &[
            VPC_STG,
            ("aws_security_group.web", &gs),
            ("aws_security_group_rule.ssh", &ssh_s),
            ("aws_vpc_security_group_ingress_rule.alt", alt_s),
        ],
    )?;
    let named: Vec<String> = got
        .iter()
        .map(|f| {
            let rs: Vec<String> = f
                .resources
                .iter()
                .map(|(e, a)| {
                    let a: Vec<String> = a.iter().map(ToString::to_string).collect();
                    format!("{e}: {}", a.join(", "))
                })
                .collect();
            format!("{} {} [{}]", f.kind.as_str(), f.address, rs.join("; "))
        })
        .collect();
    // What staging allows beyond prod is written by its ssh rule (opened) and its new
    // 8080 rule; prod's ssh rule is the same block, named so that both are found. The
    // inline https block, the same in both, is not named.
    assert_eq!(
        named,
        ["allows-more aws_security_group.web [prod: aws_security_group_rule.ssh; staging: aws_security_group_rule.ssh, aws_vpc_security_group_ingress_rule.alt]"]
    );
    // Rules written inline in both: the group itself writes them, nothing more to name.
    let wide = format!(
        "[{},{}]",
        block("tcp", 443, 443, r#"["0.0.0.0/0"]"#),
        block("tcp", 22, 22, r#"["0.0.0.0/0"]"#)
    );
    let got = crate::lens::testing::compare(
        &[VPC_PROD, ("aws_security_group.web", &gp)],
        &[
            VPC_STG,
            ("aws_security_group.web", &sg("sg-0bbb0001", &wide)),
        ],
    )?;
    assert!(got.len() == 1 && got[0].resources.is_empty(), "{got:?}");
    Ok(())
}
