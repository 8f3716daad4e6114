//! Balancers lens tests: each scenario is built from templates filled in per
//! environment (names, accounts, regions, ids), so that the same template in two
//! environments must compare clean, and one edit to staging's must give exactly the
//! findings listed.

use crate::lens::testing::lines;

/// What differs between environments by design.
struct Env {
    name: &'static str,
    account: &'static str,
    region: &'static str,
    /// A per-environment hex run for cloud-assigned ids.
    hex: &'static str,
    /// An Azure subscription.
    subscription: &'static str,
}

const PROD: Env = Env {
    name: "prod",
    account: "111111111111",
    region: "us-east-1",
    hex: "8bf3b084741cada0",
    subscription: "6b1f3c2a-4d5e-4f60-8a1b-2c3d4e5f6a70",
};

const STAGING: Env = Env {
    name: "staging",
    account: "222222222222",
    region: "eu-west-1",
    hex: "d7184752adec9b67",
    subscription: "9e2d4b7f-1a3c-4e5d-b6f7-8091a2b3c4d5",
};

/// The template's resources with `{env}`, `{account}`, `{region}`, `{hex}` and
/// `{subscription}` filled in.
fn fill(template: &[(&str, String)], e: &Env) -> Vec<(String, String)> {
    template
        .iter()
        .map(|(a, t)| {
            let t = t
                .replace("{env}", e.name)
                .replace("{account}", e.account)
                .replace("{region}", e.region)
                .replace("{hex}", e.hex)
                .replace("{subscription}", e.subscription);
            (a.to_string(), t)
        })
        .collect()
}

/// The template with `from` replaced by `to` in the resource at `address` (which must
/// contain it), or that resource dropped when `to` is `None`.
fn edit(
    template: &[(&'static str, String)],
    address: &str,
    from: &str,
    to: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut seen = false;
    for (a, t) in template {
        if *a != address {
            out.push((*a, t.clone()));
            continue;
        }
        seen = true;
        assert!(t.contains(from), "{address} has no {from:?}");
        if let Some(to) = to {
            out.push((*a, t.replacen(from, to, 1)));
        }
    }
    assert!(seen, "no {address} in the template");
    out
}

/// Every finding of prod (from `p`) against staging (from `s`), one line each.
fn run(p: &[(&str, String)], s: &[(&str, String)]) -> crate::TestResult<Vec<String>> {
    let (p, s) = (fill(p, &PROD), fill(s, &STAGING));
    lines(&refs(&p), &refs(&s))
}

fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

/// Each case: the template, an edit of staging's (`None`: the same template), and the
/// findings wanted.
type Case<'a> = (
    &'a str,
    Option<(&'a str, &'a str, Option<&'a str>)>,
    &'a [&'a str],
);

fn check(template: &[(&'static str, String)], cases: &[Case<'_>]) -> crate::TestResult {
    for (name, change, want) in cases {
        let staging = match change {
            Some((address, from, to)) => edit(template, address, from, *to),
            None => template.to_vec(),
        };
        assert_eq!(run(template, &staging)?, *want, "{name}");
    }
    Ok(())
}

const LB_ARN: &str =
    "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/{env}-web/{hex}";
const TG_ARN: &str = "arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{env}-web/{hex}";

/// An internet-facing ALB: HTTPS 443 forwarding to a target group, HTTP 80 redirecting.
fn alb() -> Vec<(&'static str, String)> {
    let listener = |suffix: &str, body: &str| {
        let arn = format!("arn:aws:elasticloadbalancing:{{region}}:{{account}}:listener/app/{{env}}-web/{{hex}}/{suffix}");
        format!(
            r#"{{"arn":"{arn}","id":"{arn}","load_balancer_arn":"{LB_ARN}","tags":{{"Name":"{{env}}-web-{suffix}"}},{body}}}"#
        )
    };
    vec![
        (
            "aws_lb.web",
            format!(
                r#"{{"arn":"{LB_ARN}","id":"{LB_ARN}","name":"{{env}}-web","internal":false,"load_balancer_type":"application"}}"#
            ),
        ),
        (
            "aws_lb_target_group.web",
            format!(
                r#"{{"arn":"{TG_ARN}","id":"{TG_ARN}","name":"{{env}}-web","port":8080,"protocol":"HTTP","target_type":"ip"}}"#
            ),
        ),
        (
            "aws_lb_listener.https",
            listener(
                "443",
                &format!(
                    r#""port":443,"protocol":"HTTPS","ssl_policy":"ELBSecurityPolicy-TLS13-1-2-2021-06","certificate_arn":"arn:aws:acm:{{region}}:{{account}}:certificate/{{hex}}","alpn_policy":null,"mutual_authentication":[{{"mode":"off","trust_store_arn":""}}],"default_action":[{{"type":"forward","order":1,"target_group_arn":"{TG_ARN}","forward":[],"redirect":[],"fixed_response":[]}}]"#
                ),
            ),
        ),
        (
            "aws_lb_listener.http",
            listener(
                "80",
                r##""port":80,"protocol":"HTTP","ssl_policy":"","certificate_arn":null,"default_action":[{"type":"redirect","order":1,"target_group_arn":"","forward":[],"fixed_response":[],"redirect":[{"host":"#{host}","path":"/#{path}","port":"443","protocol":"HTTPS","query":"#{query}","status_code":"HTTP_301"}]}]"##,
            ),
        ),
    ]
}

const HTTPS_PROD: &str = "HTTPS, TLS ELBSecurityPolicy-TLS13-1-2-2021-06, certificate, forward to aws_lb_target_group.web (HTTP/8080, ip)";

#[test]
fn aws_application_load_balancer() -> crate::TestResult {
    let t = alb();
    let forward = format!(
        r#""type":"forward","order":1,"target_group_arn":"","forward":[{{"target_group":[{{"arn":"{TG_ARN}","weight":1}}]}}]"#
    );
    let to_plain = r#""port":443,"protocol":"HTTP","ssl_policy":"","certificate_arn":null"#;
    let extra = r#""port":80,"protocol":"HTTP""#;
    check(
        &t,
        &[
            ("the same, with each environment's ids, names, accounts and regions", None, &[]),
            (
                "one target group written as a weighted forward block",
                Some((
                    "aws_lb_listener.https",
                    &format!(
                        r#""type":"forward","order":1,"target_group_arn":"{TG_ARN}","forward":[]"#
                    ),
                    Some(&forward),
                )),
                &[],
            ),
            (
                "another TLS policy",
                Some((
                    "aws_lb_listener.https",
                    "TLS13-1-2-2021-06",
                    Some("2016-08"),
                )),
                &["listener medium aws_lb.web: aws_lb.web listener 443/tcp: TLS ELBSecurityPolicy-TLS13-1-2-2021-06 in prod but TLS ELBSecurityPolicy-2016-08 in staging (otherwise HTTPS, certificate, forward to aws_lb_target_group.web (HTTP/8080, ip))."],
            ),
            (
                "HTTP forwards instead of redirecting",
                Some((
                    "aws_lb_listener.http",
                    r##""type":"redirect","order":1,"target_group_arn":"""##,
                    Some(&format!(
                        r#""type":"forward","order":1,"target_group_arn":"{TG_ARN}""#
                    )),
                )),
                &["listener medium aws_lb.web: aws_lb.web listener 80/tcp: redirect to HTTPS:443 (HTTP_301) in prod but forward to aws_lb_target_group.web (HTTP/8080, ip) in staging (otherwise HTTP)."],
            ),
            (
                "443 becomes plaintext on an internet-facing balancer",
                Some((
                    "aws_lb_listener.https",
                    r#""port":443,"protocol":"HTTPS","ssl_policy":"ELBSecurityPolicy-TLS13-1-2-2021-06","certificate_arn":"arn:aws:acm:{region}:{account}:certificate/{hex}""#,
                    Some(to_plain),
                )),
                &[&format!("listener high aws_lb.web: aws_lb.web listener 443/tcp is {HTTPS_PROD} in prod but HTTP, forward to aws_lb_target_group.web (HTTP/8080, ip) in staging.")],
            ),
            (
                "no HTTP listener",
                Some(("aws_lb_listener.http", "", None)),
                &["listener medium aws_lb.web: aws_lb.web listener 80/tcp is HTTP, redirect to HTTPS:443 (HTTP_301) in prod but absent in staging."],
            ),
            (
                "HTTP listens on 8080 instead: one listener gone, one new on an internet-facing balancer",
                Some(("aws_lb_listener.http", extra, Some(r#""port":8080,"protocol":"HTTP""#))),
                &[
                    "listener medium aws_lb.web: aws_lb.web listener 80/tcp is HTTP, redirect to HTTPS:443 (HTTP_301) in prod but absent in staging.",
                    "listener high aws_lb.web: aws_lb.web has no listener on 8080/tcp in prod but HTTP, redirect to HTTPS:443 (HTTP_301) in staging.",
                ],
            ),
            (
                "mutual TLS verified",
                Some((
                    "aws_lb_listener.https",
                    r#""mode":"off""#,
                    Some(r#""mode":"verify""#),
                )),
                &[&format!("listener medium aws_lb.web: aws_lb.web listener 443/tcp is {HTTPS_PROD} in prod but HTTPS, TLS ELBSecurityPolicy-TLS13-1-2-2021-06, certificate, mTLS verify, forward to aws_lb_target_group.web (HTTP/8080, ip) in staging.")],
            ),
        ],
    )
}

#[test]
fn an_extra_listener_on_an_internal_balancer_is_low() -> crate::TestResult {
    let internal = edit(
        &alb(),
        "aws_lb.web",
        r#""internal":false"#,
        Some(r#""internal":true"#),
    );
    let without_http = edit(&internal, "aws_lb_listener.http", "", None);
    assert_eq!(
        run(&without_http, &internal)?,
        ["listener low aws_lb.web: aws_lb.web has no listener on 80/tcp in prod but HTTP, redirect to HTTPS:443 (HTTP_301) in staging."]
    );
    // The same on the internet-facing balancer is a new way in.
    let t = alb();
    let without_http = edit(&t, "aws_lb_listener.http", "", None);
    let got = run(&without_http, &t)?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("listener high aws_lb.web:"), "{got:?}");
    Ok(())
}

#[test]
fn aws_network_load_balancer() -> crate::TestResult {
    let lb = "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/net/{env}-db/{hex}";
    let tg = "arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{env}-db/{hex}";
    let l = "arn:aws:elasticloadbalancing:{region}:{account}:listener/net/{env}-db/{hex}/1";
    let t = vec![
        (
            "aws_lb.db",
            format!(
                r#"{{"arn":"{lb}","id":"{lb}","internal":true,"load_balancer_type":"network"}}"#
            ),
        ),
        (
            "aws_lb_target_group.db",
            format!(
                r#"{{"arn":"{tg}","id":"{tg}","port":5432,"protocol":"TCP","target_type":"instance"}}"#
            ),
        ),
        (
            "aws_lb_listener.db",
            format!(
                r#"{{"arn":"{l}","id":"{l}","load_balancer_arn":"{lb}","port":5432,"protocol":"TCP","ssl_policy":"","default_action":[{{"type":"forward","target_group_arn":"{tg}"}}]}}"#
            ),
        ),
    ];
    check(
        &t,
        &[
            ("the same", None, &[]),
            (
                "TLS terminated at the balancer",
                Some(("aws_lb_listener.db", r#""protocol":"TCP""#, Some(r#""protocol":"TLS""#))),
                &["listener medium aws_lb.db: aws_lb.db listener 5432/tcp is TCP, forward to aws_lb_target_group.db (TCP/5432) in prod but TLS, TLS default, forward to aws_lb_target_group.db (TCP/5432) in staging."],
            ),
            (
                "another port on an internal balancer",
                Some(("aws_lb_listener.db", r#""port":5432"#, Some(r#""port":5433"#))),
                &[
                    "listener medium aws_lb.db: aws_lb.db listener 5432/tcp is TCP, forward to aws_lb_target_group.db (TCP/5432) in prod but absent in staging.",
                    "listener low aws_lb.db: aws_lb.db has no listener on 5433/tcp in prod but TCP, forward to aws_lb_target_group.db (TCP/5432) in staging.",
                ],
            ),
        ],
    )
}

#[test]
fn classic_elb_listener_blocks() -> crate::TestResult {
    let arn = "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{env}-legacy";
    let t = vec![(
        "aws_elb.legacy",
        format!(
            r#"{{"arn":"{arn}","id":"{{env}}-legacy","name":"{{env}}-legacy","internal":false,"listener":[{{"lb_port":80,"lb_protocol":"http","instance_port":8080,"instance_protocol":"http","ssl_certificate_id":""}},{{"lb_port":443,"lb_protocol":"https","instance_port":8080,"instance_protocol":"http","ssl_certificate_id":"arn:aws:acm:{{region}}:{{account}}:certificate/{{hex}}"}}]}}"#
        ),
    )];
    check(
        &t,
        &[
            ("the same", None, &[]),
            (
                "443 passed through as TCP without a certificate",
                Some((
                    "aws_elb.legacy",
                    r#""lb_protocol":"https","instance_port":8080,"instance_protocol":"http","ssl_certificate_id":"arn:aws:acm:{region}:{account}:certificate/{hex}""#,
                    Some(r#""lb_protocol":"tcp","instance_port":8080,"instance_protocol":"tcp","ssl_certificate_id":"""#),
                )),
                &["listener high aws_elb.legacy: aws_elb.legacy listener 443/tcp is HTTPS, certificate, to instances HTTP/8080 in prod but TCP, to instances TCP/8080 in staging."],
            ),
            (
                "another instance port",
                Some(("aws_elb.legacy", r#""instance_port":8080"#, Some(r#""instance_port":9090"#))),
                &["listener medium aws_elb.legacy: aws_elb.legacy listener 80/tcp: to instances HTTP/8080 in prod but to instances HTTP/9090 in staging (otherwise HTTP)."],
            ),
        ],
    )
}

#[test]
fn gcp_forwarding_rule_to_https_proxy_and_ssl_policy() -> crate::TestResult {
    let link = |kind: &str, name: &str| {
        format!("https://www.googleapis.com/compute/v1/projects/acme-{{env}}/global/{kind}/{{env}}-{name}")
    };
    let id = |kind: &str, name: &str| format!("projects/acme-{{env}}/global/{kind}/{{env}}-{name}");
    let t = vec![
        (
            "google_compute_global_forwarding_rule.web",
            format!(
                r#"{{"id":"{}","self_link":"{}","name":"{{env}}-web","project":"acme-{{env}}","ip_protocol":"TCP","port_range":"443-443","load_balancing_scheme":"EXTERNAL_MANAGED","target":"{}"}}"#,
                id("forwardingRules", "web"),
                link("forwardingRules", "web"),
                id("targetHttpsProxies", "web")
            ),
        ),
        (
            "google_compute_target_https_proxy.web",
            format!(
                r#"{{"id":"{}","self_link":"{}","name":"{{env}}-web","project":"acme-{{env}}","ssl_policy":"{}","ssl_certificates":["{}"]}}"#,
                id("targetHttpsProxies", "web"),
                link("targetHttpsProxies", "web"),
                link("sslPolicies", "modern"),
                link("sslCertificates", "web"),
            ),
        ),
        (
            "google_compute_ssl_policy.modern",
            format!(
                r#"{{"id":"{}","self_link":"{}","name":"{{env}}-modern","project":"acme-{{env}}","profile":"MODERN","min_tls_version":"TLS_1_2"}}"#,
                id("sslPolicies", "modern"),
                link("sslPolicies", "modern"),
            ),
        ),
    ];
    let sslpolicy_link = link("sslPolicies", "modern");
    let no_policy = format!(r#""ssl_policy":"{sslpolicy_link}","#);
    check(
        &t,
        &[
            ("the same in each environment's project", None, &[]),
            (
                "port range written as one port",
                Some(("google_compute_global_forwarding_rule.web", "443-443", Some("443"))),
                &[],
            ),
            (
                "a weaker minimum TLS version (the policy's own attribute is the generic lens's)",
                Some(("google_compute_ssl_policy.modern", "TLS_1_2", Some("TLS_1_0"))),
                &[
                    "listener medium google_compute_global_forwarding_rule.web: google_compute_global_forwarding_rule.web listener 443/tcp: TLS MODERN/TLS_1_2 (google_compute_ssl_policy.modern) in prod but TLS MODERN/TLS_1_0 (google_compute_ssl_policy.modern) in staging (otherwise TCP, to HTTPS proxy google_compute_target_https_proxy.web, certificate).",
                    "attribute medium google_compute_ssl_policy.modern: `min_tls_version` differs: prod has TLS_1_2, staging has TLS_1_0.",
                ],
            ),
            (
                "no SSL policy on the proxy: GCP's default",
                Some(("google_compute_target_https_proxy.web", &no_policy, Some(""))),
                &[
                    "listener medium google_compute_global_forwarding_rule.web: google_compute_global_forwarding_rule.web listener 443/tcp: TLS MODERN/TLS_1_2 (google_compute_ssl_policy.modern) in prod but TLS default in staging (otherwise TCP, to HTTPS proxy google_compute_target_https_proxy.web, certificate).",
                    "reference medium google_compute_target_https_proxy.web: `ssl_policy` points to google_compute_ssl_policy.modern in prod but nothing in staging.",
                ],
            ),
        ],
    )
}

#[test]
fn azure_rules_probes_and_nat() -> crate::TestResult {
    let lb = "/subscriptions/{subscription}/resourceGroups/rg-{env}/providers/Microsoft.Network/loadBalancers/{env}-lb";
    let t = vec![
        (
            "azurerm_lb.web",
            format!(
                r#"{{"id":"{lb}","name":"{{env}}-lb","frontend_ip_configuration":[{{"name":"{{env}}-public","public_ip_address_id":"/subscriptions/{{subscription}}/resourceGroups/rg-{{env}}/providers/Microsoft.Network/publicIPAddresses/{{env}}-pip"}}]}}"#
            ),
        ),
        (
            "azurerm_lb_backend_address_pool.web",
            format!(
                r#"{{"id":"{lb}/backendAddressPools/web","name":"web","loadbalancer_id":"{lb}"}}"#
            ),
        ),
        (
            "azurerm_lb_probe.http",
            format!(
                r#"{{"id":"{lb}/probes/http","name":"http","loadbalancer_id":"{lb}","protocol":"Http","port":8080,"request_path":"/healthz"}}"#
            ),
        ),
        (
            "azurerm_lb_rule.http",
            format!(
                r#"{{"id":"{lb}/loadBalancingRules/http","name":"http","loadbalancer_id":"{lb}","protocol":"Tcp","frontend_port":80,"backend_port":8080,"frontend_ip_configuration_name":"{{env}}-public","frontend_ip_configuration_id":"{lb}/frontendIPConfigurations/{{env}}-public","probe_id":"{lb}/probes/http","backend_address_pool_ids":["{lb}/backendAddressPools/web"],"enable_floating_ip":false}}"#
            ),
        ),
        (
            "azurerm_lb_nat_rule.ssh",
            format!(
                r#"{{"id":"{lb}/inboundNatRules/ssh","name":"ssh","loadbalancer_id":"{lb}","protocol":"Tcp","frontend_port":2222,"backend_port":22,"frontend_ip_configuration_name":"{{env}}-public"}}"#
            ),
        ),
    ];
    let http = "Tcp, frontend prod-public, to backend port 8080, pool azurerm_lb_backend_address_pool.web, probe azurerm_lb_probe.http (Http:8080 /healthz)";
    check(
        &t,
        &[
            ("the same in each environment's subscription and group", None, &[]),
            (
                "another backend port",
                Some(("azurerm_lb_rule.http", r#""backend_port":8080"#, Some(r#""backend_port":8081"#))),
                &["listener medium azurerm_lb.web: azurerm_lb.web listener 80/tcp: to backend port 8080 in prod but to backend port 8081 in staging (otherwise Tcp, frontend prod-public, pool azurerm_lb_backend_address_pool.web, probe azurerm_lb_probe.http (Http:8080 /healthz))."],
            ),
            (
                "an attribute this lens does not read stays with the generic lens",
                Some(("azurerm_lb_rule.http", r#""enable_floating_ip":false"#, Some(r#""enable_floating_ip":true"#))),
                &["attribute medium azurerm_lb_rule.http: `enable_floating_ip` differs: prod has false, staging has true."],
            ),
            (
                "the SSH NAT rule gone",
                Some(("azurerm_lb_nat_rule.ssh", "", None)),
                &["listener medium azurerm_lb.web: azurerm_lb.web listener 2222/tcp is Tcp, NAT, frontend prod-public, to backend port 22 in prod but absent in staging."],
            ),
            (
                "the rule on 8080 instead of 80 on a public balancer",
                Some(("azurerm_lb_rule.http", r#""frontend_port":80"#, Some(r#""frontend_port":8080"#))),
                &[
                    &format!("listener medium azurerm_lb.web: azurerm_lb.web listener 80/tcp is {http} in prod but absent in staging."),
                    "listener high azurerm_lb.web: azurerm_lb.web has no listener on 8080/tcp in prod but Tcp, frontend staging-public, to backend port 8080, pool azurerm_lb_backend_address_pool.web, probe azurerm_lb_probe.http (Http:8080 /healthz) in staging.",
                ],
            ),
        ],
    )
}

#[test]
fn odd_input_is_skipped_not_a_panic() -> crate::TestResult {
    let t = vec![
        ("aws_lb.web", r#"{"id":"arn:lb","internal":"maybe"}"#.to_string()),
        (
            "aws_lb_listener.a",
            r#"{"id":"l1","load_balancer_arn":42,"port":{"x":1},"protocol":7,"default_action":"forward","mutual_authentication":"on"}"#.to_string(),
        ),
        (
            "aws_lb_listener.b",
            r#"{"id":"l2","load_balancer_arn":"arn:lb","default_action":[1,null,{"type":"forward","forward":"x"},{"type":"redirect","redirect":[7]}]}"#.to_string(),
        ),
        ("aws_elb.x", r#"{"id":"x","listener":[1,{"lb_port":[]},null]}"#.to_string()),
        ("aws_elb.y", r#"{"id":"y","listener":"everything"}"#.to_string()),
        (
            "google_compute_forwarding_rule.f",
            r#"{"id":"f","ports":[1,{"a":2},"3"],"target":["x"],"all_ports":"yes"}"#.to_string(),
        ),
        ("azurerm_lb_rule.r", r#"{"id":"r","loadbalancer_id":null,"frontend_port":null,"backend_address_pool_ids":"p"}"#.to_string()),
        ("azurerm_lb_nat_rule.n", "[]".to_string()),
    ];
    assert_eq!(run(&t, &t)?, Vec::<String>::new());
    // And against an environment without any of it.
    // Listeners whose balancer is not in the state stand for themselves.
    assert_eq!(
        run(&t, &[])?,
        [
            "missing high aws_elb.x: aws_elb.x exists in prod but not in staging.",
            "missing high aws_elb.y: aws_elb.y exists in prod but not in staging.",
            "missing high aws_lb.web: aws_lb.web exists in prod but not in staging.",
            "listener medium aws_lb_listener.a: aws_lb_listener.a listener any/? is ? in prod but absent in staging.",
            "listener medium azurerm_lb_nat_rule.n: azurerm_lb_nat_rule.n listener any/? is ?, NAT, to backend port ? in prod but absent in staging.",
            "listener medium azurerm_lb_rule.r: azurerm_lb_rule.r listener any/? is ?, to backend port ? in prod but absent in staging.",
            "missing high google_compute_forwarding_rule.f: google_compute_forwarding_rule.f exists in prod but not in staging.",
        ]
    );
    Ok(())
}

/// Sets `attr` of the resource at `address` to `v`, as a plan that knows it only after
/// apply would.
fn set(
    env: &mut crate::model::Environment,
    address: &str,
    attr: &str,
    v: crate::model::Value,
) -> crate::TestResult {
    use crate::model::Value;
    let r = env
        .resources
        .iter_mut()
        .find(|r| r.address.to_string() == address)
        .ok_or(format!("no {address}"))?;
    let mut entries: Vec<(Box<str>, Value)> = r.attributes.entries().to_vec();
    entries.retain(|(k, _)| k.as_ref() != attr);
    entries.push((attr.into(), v));
    r.attributes = Value::object(entries);
    Ok(())
}

#[test]
fn known_after_apply_matches_anything() -> crate::TestResult {
    use crate::model::{Environment, Value};
    let t = alb();
    let (p, s) = (fill(&t, &PROD), fill(&t, &STAGING));
    let mut envs = [
        Environment::for_tests("prod", &refs(&p))?,
        Environment::for_tests("staging", &refs(&s))?,
    ];
    // staging is a plan: one listener's balancer and the other's target group are not
    // known yet.
    set(
        &mut envs[1],
        "aws_lb_listener.http",
        "load_balancer_arn",
        Value::Unknown(None),
    )?;
    let mut action: Value = serde_json::from_str(r#"{"type":"forward","order":1}"#)?;
    let mut entries = action.entries().to_vec();
    entries.push(("target_group_arn".into(), Value::Unknown(None)));
    action = Value::object(entries);
    set(
        &mut envs[1],
        "aws_lb_listener.https",
        "default_action",
        Value::List(vec![action].into()),
    )?;
    for e in envs.iter_mut() {
        crate::normalize::add_reference_edges(e);
    }
    let got: Vec<String> = crate::compare_loaded(&envs, 0)
        .findings
        .iter()
        .map(crate::lens::testing::line)
        .collect();
    assert_eq!(got, Vec::<String>::new());
    Ok(())
}

#[test]
fn forward_weights_fixed_responses_and_redirect_secrets() -> crate::TestResult {
    let lb = r#"{"arn":"arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/1","id":"arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/1","internal":false}"#;
    let tg = |n: &str| {
        format!(
            r#"{{"arn":"arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/{n}/1","id":"arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/{n}/1","port":80,"protocol":"HTTP"}}"#
        )
    };
    let listener = |action: &str| {
        format!(
            r#"{{"load_balancer_arn":"arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/1","port":443,"protocol":"HTTPS","ssl_policy":"p","certificate_arn":"arn:aws:acm:us-east-1:111111111111:certificate/x","default_action":[{action}]}}"#
        )
    };
    let weighted = |b: u32, g: u32| {
        format!(
            r#"{{"type":"forward","forward":[{{"target_group":[{{"arn":"arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/blue/1","weight":{b}}},{{"arn":"arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/green/1","weight":{g}}}],"stickiness":[{{"enabled":false,"duration":0}}]}}]}}"#
        )
    };
    let env = |action: String| -> Vec<(String, String)> {
        vec![
            ("aws_lb.web".into(), lb.into()),
            ("aws_lb_target_group.blue".into(), tg("blue")),
            ("aws_lb_target_group.green".into(), tg("green")),
            ("aws_lb_listener.https".into(), listener(&action)),
        ]
    };
    let run =
        |a: Vec<(String, String)>, b: Vec<(String, String)>| -> crate::TestResult<Vec<String>> {
            let a: Vec<(&str, &str)> = a.iter().map(|(x, y)| (x.as_str(), y.as_str())).collect();
            let b: Vec<(&str, &str)> = b.iter().map(|(x, y)| (x.as_str(), y.as_str())).collect();
            crate::lens::testing::lines(&a, &b)
        };
    // Blue/green weights flipped: a listener finding.
    let got = run(env(weighted(100, 0)), env(weighted(0, 100)))?;
    assert!(
        got.len() == 1 && got[0].contains("weights") && got[0].starts_with("listener medium"),
        "{got:?}"
    );
    // A fixed response's body and a redirect's query; a secret in the query is never shown.
    let fixed = |body: &str| {
        format!(
            r#"{{"type":"fixed-response","fixed_response":[{{"status_code":"503","content_type":"text/plain","message_body":"{body}"}}]}}"#
        )
    };
    let got = run(env(fixed("down")), env(fixed("maintenance")))?;
    assert!(
        got.len() == 1 && got[0].contains("message_body=maintenance"),
        "{got:?}"
    );
    let redirect = |q: &str| {
        format!(
            r#"{{"type":"redirect","redirect":[{{"protocol":"HTTPS","port":"443","status_code":"HTTP_301","query":"{q}"}}]}}"#
        )
    };
    let got = run(
        env(redirect("api_key=AKSECRET1")),
        env(redirect("api_key=AKSECRET2")),
    )?;
    assert!(!format!("{got:?}").contains("AKSECRET"), "{got:?}");
    Ok(())
}

#[test]
fn a_listener_finding_names_the_listener_resources_that_write_it() -> crate::TestResult {
    let t = alb();
    let staging = edit(
        &t,
        "aws_lb_listener.https",
        "TLS13-1-2-2021-06",
        Some("2016-08"),
    );
    let (p, s) = (fill(&t, &PROD), fill(&staging, &STAGING));
    let got = crate::lens::testing::compare(&refs(&p), &refs(&s))?;
    let [f] = got.as_slice() else {
        return Err(format!("{got:?}").into());
    };
    // Reported on the balancer, written by its listener in each environment.
    assert_eq!(f.address.to_string(), "aws_lb.web");
    let named: Vec<(String, Vec<String>)> = f
        .resources
        .iter()
        .map(|(e, rs)| (e.clone(), rs.iter().map(ToString::to_string).collect()))
        .collect();
    let listener = vec!["aws_lb_listener.https".to_string()];
    assert_eq!(
        named,
        [
            ("prod".to_string(), listener.clone()),
            ("staging".to_string(), listener)
        ]
    );
    // The part that differs, for findings alike on other balancers to be one.
    assert_eq!(
        f.differing.get("staging").map(String::as_str),
        Some("TLS ELBSecurityPolicy-2016-08")
    );
    // A classic ELB's inline listener is written by the balancer itself: nothing more
    // to name.
    let elb = |port: u16| {
        format!(
            r#"{{"id":"legacy","name":"legacy","internal":false,"listener":[{{"lb_port":80,"lb_protocol":"http","instance_port":{port},"instance_protocol":"http","ssl_certificate_id":""}}]}}"#
        )
    };
    let (a, b) = (elb(8080), elb(9090));
    let got = crate::lens::testing::compare(&[("aws_elb.legacy", &a)], &[("aws_elb.legacy", &b)])?;
    assert!(got.len() == 1 && got[0].resources.is_empty(), "{got:?}");
    Ok(())
}
