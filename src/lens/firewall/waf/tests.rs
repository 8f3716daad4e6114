//! WAF tests: each scenario is a template of realistic state attributes filled in per
//! environment (names, accounts, regions, ids), so that the same template in two
//! environments must compare clean, and edits to staging's must give exactly the
//! findings listed: the WAF lens's, and nothing from the generic lens about the same
//! attributes.

use crate::lens::testing::lines;

struct Env {
    name: &'static str,
    account: &'static str,
    region: &'static str,
    hex: &'static str,
    subscription: &'static str,
}

const PROD: Env = Env {
    name: "prod",
    account: "111111111111",
    region: "us-east-1",
    hex: "8bf3b084-741c-4da0-9a1b-2c3d4e5f6a70",
    subscription: "6b1f3c2a-4d5e-4f60-8a1b-2c3d4e5f6a70",
};

const STAGING: Env = Env {
    name: "staging",
    account: "222222222222",
    region: "eu-west-1",
    hex: "d7184752-adec-4b67-b6f7-8091a2b3c4d5",
    subscription: "9e2d4b7f-1a3c-4e5d-b6f7-8091a2b3c4d5",
};

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

/// The template with each `(address, from, to)` applied in turn: `from` replaced by
/// `to` once in that resource (which must contain it); `to` `None` drops the resource.
fn edit(
    template: &[(&'static str, String)],
    edits: &[(&str, &str, Option<&str>)],
) -> Vec<(&'static str, String)> {
    let mut out = template.to_vec();
    for (address, from, to) in edits {
        let i = out
            .iter()
            .position(|(a, _)| a == address)
            .unwrap_or_else(|| panic!("no {address} in the template"));
        assert!(out[i].1.contains(from), "{address} has no {from:?}");
        match to {
            Some(to) => out[i].1 = out[i].1.replacen(from, to, 1),
            None => {
                out.remove(i);
            }
        }
    }
    out
}

fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

type Case<'a> = (
    &'a str,
    &'a [(&'a str, &'a str, Option<&'a str>)],
    &'a [&'a str],
);

fn check(template: &[(&'static str, String)], cases: &[Case<'_>]) -> crate::TestResult {
    for (name, edits, want) in cases {
        let staging = edit(template, edits);
        let (p, s) = (fill(template, &PROD), fill(&staging, &STAGING));
        assert_eq!(lines(&refs(&p), &refs(&s))?, *want, "{name}");
    }
    Ok(())
}

// ---- AWS WAFv2

const ACL_ARN: &str = "arn:aws:wafv2:{region}:{account}:regional/webacl/{env}-web/{hex}";
const OFFICE_ARN: &str = "arn:aws:wafv2:{region}:{account}:regional/ipset/{env}-office/{hex}";
const BAD_ARN: &str = "arn:aws:wafv2:{region}:{account}:regional/ipset/{env}-bad-ips/{hex}";

/// An action block as the provider writes it: the chosen action holds a block.
fn aws_action(word: &str) -> String {
    let inner = |w: &str| {
        if w == word {
            "[{}]"
        } else {
            "[]"
        }
    };
    format!(
        r#"[{{"allow":{},"block":{},"captcha":{},"challenge":{},"count":{}}}]"#,
        inner("allow"),
        inner("block"),
        inner("captcha"),
        inner("challenge"),
        inner("count")
    )
}

fn visibility(name: &str) -> String {
    format!(
        r#"[{{"cloudwatch_metrics_enabled":true,"metric_name":"{{env}}-{name}","sampled_requests_enabled":true}}]"#
    )
}

fn aws_rule(name: &str, priority: u32, action: &str, statement: &str) -> String {
    format!(
        r#"{{"name":"{name}","priority":{priority},"action":{},"override_action":[],"rule_label":[],"captcha_config":[],"statement":[{statement}],"visibility_config":{}}}"#,
        aws_action(action),
        visibility(name)
    )
}

fn ip_set_statement(arn: &str) -> String {
    format!(
        r#"{{"ip_set_reference_statement":[{{"arn":"{arn}","ip_set_forwarded_ip_config":[]}}],"geo_match_statement":[],"managed_rule_group_statement":[],"not_statement":[]}}"#
    )
}

/// A regional web ACL: blocks a list of bad addresses, lets the office in, blocks two
/// countries, and applies AWS's common rule set with one rule counted; default allow.
fn aws_acl() -> Vec<(&'static str, String)> {
    let geo = r#"{"geo_match_statement":[{"country_codes":["KP","IR"],"forwarded_ip_config":[]}],"ip_set_reference_statement":[],"managed_rule_group_statement":[],"not_statement":[]}"#;
    let managed = r#"{"ip_set_reference_statement":[],"geo_match_statement":[],"not_statement":[],"managed_rule_group_statement":[{"name":"AWSManagedRulesCommonRuleSet","vendor_name":"AWS","version":"Version_1.10","rule_action_override":[{"name":"SizeRestrictions_BODY","action_to_use":[{"allow":[],"block":[],"captcha":[],"challenge":[],"count":[{}]}]}],"excluded_rule":[],"scope_down_statement":[],"managed_rule_group_configs":[]}]}"#;
    let rules = [
        aws_rule("block-bad-ips", 1, "block", &ip_set_statement(BAD_ARN)),
        aws_rule("allow-office", 2, "allow", &ip_set_statement(OFFICE_ARN)),
        aws_rule("geo-block", 3, "block", geo),
        format!(
            r#"{{"name":"aws-common","priority":10,"action":[],"override_action":[{{"count":[],"none":[{{}}]}}],"rule_label":[],"captcha_config":[],"statement":[{managed}],"visibility_config":{}}}"#,
            visibility("aws-common")
        ),
    ];
    vec![
        (
            "aws_wafv2_web_acl.main",
            format!(
                r#"{{"arn":"{ACL_ARN}","id":"{{hex}}","name":"{{env}}-web","scope":"REGIONAL","capacity":725,"description":"","default_action":{},"rule":[{}],"visibility_config":{},"custom_response_body":[],"tags":{{"Environment":"{{env}}"}}}}"#,
                aws_action("allow").replace(
                    r#""allow":[{}]"#,
                    r#""allow":[{"custom_request_handling":[]}]"#
                ),
                rules.join(","),
                visibility("web")
            ),
        ),
        (
            "aws_wafv2_ip_set.office",
            format!(
                r#"{{"arn":"{OFFICE_ARN}","id":"{{hex}}","name":"{{env}}-office","scope":"REGIONAL","ip_address_version":"IPV4","addresses":["203.0.113.0/24","198.51.100.7/32"],"description":"office egress"}}"#
            ),
        ),
        (
            "aws_wafv2_ip_set.bad",
            format!(
                r#"{{"arn":"{BAD_ARN}","id":"{{hex}}","name":"{{env}}-bad-ips","scope":"REGIONAL","ip_address_version":"IPV4","addresses":["192.0.2.0/24","100.24.0.0/16"],"description":"abusers"}}"#
            ),
        ),
    ]
}

#[test]
fn aws_web_acls_compare_field_by_field() -> crate::TestResult {
    const ACL: &str = "aws_wafv2_web_acl.main";
    let t = aws_acl();
    let block = aws_action("block");
    let count = aws_action("count");
    let allow = aws_action("allow");
    check(
        &t,
        &[
            ("the same ACL", &[], &[]),
            (
                "a blocking rule that only counts",
                &[(
                    ACL,
                    &format!(r#""name":"block-bad-ips","priority":1,"action":{block}"#),
                    Some(&format!(
                        r#""name":"block-bad-ips","priority":1,"action":{count}"#
                    )),
                )],
                &[
                    r#"waf-rule high aws_wafv2_web_acl.main: aws_wafv2_web_acl.main `rule["block-bad-ips"].action`: block in prod → count in staging (staging enforces less)."#,
                ],
            ),
            (
                "counting becomes blocking",
                &[(
                    ACL,
                    &format!(r#""name":"geo-block","priority":3,"action":{block}"#),
                    Some(&format!(
                        r#""name":"geo-block","priority":3,"action":{count}"#
                    )),
                )],
                &[
                    r#"waf-rule high aws_wafv2_web_acl.main: aws_wafv2_web_acl.main `rule["geo-block"].action`: block in prod → count in staging (staging enforces less)."#,
                ],
            ),
            (
                "the managed rule group only counts, one override gone, a new version",
                &[
                    (
                        ACL,
                        r#""override_action":[{"count":[],"none":[{}]}]"#,
                        Some(r#""override_action":[{"count":[{}],"none":[]}]"#),
                    ),
                    (
                        ACL,
                        r#""rule_action_override":[{"name":"SizeRestrictions_BODY","action_to_use":[{"allow":[],"block":[],"captcha":[],"challenge":[],"count":[{}]}]}]"#,
                        Some(r#""rule_action_override":[]"#),
                    ),
                    (ACL, "Version_1.10", Some("Version_1.12")),
                ],
                &[
                    r#"waf-managed high aws_wafv2_web_acl.main: aws_wafv2_web_acl.main `rule["aws-common"].managed_rule_group.version`: Version_1.10 in prod → Version_1.12 in staging."#,
                    r#"waf-managed high aws_wafv2_web_acl.main: aws_wafv2_web_acl.main `rule["aws-common"].override_action`: none in prod → count in staging (staging enforces less)."#,
                    r#"waf-managed medium aws_wafv2_web_acl.main: aws_wafv2_web_acl.main `rule["aws-common"].rule_action_override["SizeRestrictions_BODY"]`: count in prod → (its own action) in staging."#,
                ],
            ),
            (
                "an excluded rule is a rule overridden to count",
                &[(
                    ACL,
                    r#""rule_action_override":[{"name":"SizeRestrictions_BODY","action_to_use":[{"allow":[],"block":[],"captcha":[],"challenge":[],"count":[{}]}]}],"excluded_rule":[]"#,
                    Some(
                        r#""rule_action_override":[],"excluded_rule":[{"name":"SizeRestrictions_BODY"}]"#,
                    ),
                )],
                &[],
            ),
            (
                "the default action",
                &[(
                    ACL,
                    &format!(
                        r#""default_action":{}"#,
                        allow.replace(
                            r#""allow":[{}]"#,
                            r#""allow":[{"custom_request_handling":[]}]"#
                        )
                    ),
                    Some(&format!(r#""default_action":{block}"#)),
                )],
                &[
                    r#"waf-policy medium aws_wafv2_web_acl.main: aws_wafv2_web_acl.main `default_action`: allow in prod → block in staging."#,
                ],
            ),
            (
                "a country more, in a rule's statement",
                &[(ACL, r#"["KP","IR"]"#, Some(r#"["KP","IR","RU"]"#))],
                &[
                    r#"waf-rule high aws_wafv2_web_acl.main: aws_wafv2_web_acl.main `rule["geo-block"].statement[0].geo_match_statement[0].country_codes`: staging additionally has RU."#,
                ],
            ),
            (
                "a blocking rule gone",
                &[(
                    ACL,
                    &format!(
                        r#"{},"#,
                        aws_rule(
                            "geo-block",
                            3,
                            "block",
                            r#"{"geo_match_statement":[{"country_codes":["KP","IR"],"forwarded_ip_config":[]}],"ip_set_reference_statement":[],"managed_rule_group_statement":[],"not_statement":[]}"#
                        )
                    ),
                    Some(""),
                )],
                &[
                    r#"waf-rule high aws_wafv2_web_acl.main: aws_wafv2_web_acl.main `rule["geo-block"]`: block rule in prod, not in staging (staging enforces less)."#,
                ],
            ),
            (
                "the office list opened to every address",
                &[(
                    "aws_wafv2_ip_set.office",
                    r#""198.51.100.7/32""#,
                    Some(r#""0.0.0.0/0""#),
                )],
                &[
                    r#"allows-more critical aws_wafv2_ip_set.office: aws_wafv2_ip_set.office `addresses`: staging additionally admits 0.0.0.0/0 except 198.51.100.7/32, 203.0.113.0/24 (used by aws_wafv2_web_acl.main rule["allow-office"])."#,
                ],
            ),
            (
                "one office address more",
                &[(
                    "aws_wafv2_ip_set.office",
                    r#""198.51.100.7/32""#,
                    Some(r#""198.51.100.7/32","198.51.100.8/32""#),
                )],
                &[
                    r#"allows-more high aws_wafv2_ip_set.office: aws_wafv2_ip_set.office `addresses`: staging additionally admits 198.51.100.8/32 (used by aws_wafv2_web_acl.main rule["allow-office"])."#,
                ],
            ),
            (
                "an abuser no longer blocked",
                &[("aws_wafv2_ip_set.bad", r#""192.0.2.0/24","#, Some(""))],
                &[
                    r#"allows-more high aws_wafv2_ip_set.bad: aws_wafv2_ip_set.bad `addresses`: staging no longer blocks 192.0.2.0/24 (used by aws_wafv2_web_acl.main rule["block-bad-ips"])."#,
                ],
            ),
        ],
    )
}

#[test]
fn many_rules_counting_instead_of_blocking_are_one_short_finding_each() -> crate::TestResult {
    // Twelve blocking rules that count in staging: each finding names its rule's action
    // and stays short, never a difference of whole rule lists.
    let rules = |word: &str| -> Vec<String> {
        (1..=12)
            .map(|i| {
                aws_rule(
                    &format!("block-{i}"),
                    i,
                    word,
                    r#"{"geo_match_statement":[{"country_codes":["KP"],"forwarded_ip_config":[]}]}"#,
                )
            })
            .collect()
    };
    let acl = |word: &str| {
        format!(
            r#"{{"arn":"{ACL_ARN}","id":"{{hex}}","name":"{{env}}-web","default_action":{},"rule":[{}]}}"#,
            aws_action("allow"),
            rules(word).join(",")
        )
    };
    let (p, s) = (
        fill(&[("aws_wafv2_web_acl.main", acl("block"))], &PROD),
        fill(&[("aws_wafv2_web_acl.main", acl("count"))], &STAGING),
    );
    let got = lines(&refs(&p), &refs(&s))?;
    assert_eq!(got.len(), 12, "{got:#?}");
    for (i, line) in got.iter().enumerate() {
        assert!(
            line.starts_with("waf-rule high") && line.len() < 200,
            "{line}"
        );
        assert!(
            line.contains(".action`: block in prod → count in staging"),
            "{i}: {line}"
        );
    }
    Ok(())
}

// ---- GCP Cloud Armor

fn armor_rule(
    priority: &str,
    action: &str,
    ranges: &str,
    preview: bool,
    description: &str,
) -> String {
    format!(
        r#"{{"action":"{action}","description":"{description}","header_action":[],"match":[{{"config":[{{"src_ip_ranges":{ranges}}}],"expr":[],"versioned_expr":"SRC_IPS_V1"}}],"preconfigured_waf_config":[],"preview":{preview},"priority":{priority},"rate_limit_options":[],"redirect_options":[]}}"#
    )
}

/// A Cloud Armor policy that lets the office in, denies a bad range and denies
/// everything else (the default rule), with an XSS rule from the preconfigured sets.
fn cloud_armor() -> Vec<(&'static str, String)> {
    let xss = r#"{"action":"deny(403)","description":"xss","header_action":[],"match":[{"config":[],"expr":[{"expression":"evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 1})"}],"versioned_expr":""}],"preconfigured_waf_config":[],"preview":false,"priority":900,"rate_limit_options":[],"redirect_options":[]}"#;
    let rules = [
        armor_rule("1000", "allow", r#"["203.0.113.0/24"]"#, false, "office"),
        armor_rule("2000", "deny(403)", r#"["192.0.2.0/24"]"#, false, "abusers"),
        xss.to_string(),
        armor_rule("2147483647", "deny(404)", r#"["*"]"#, false, "default rule"),
    ];
    vec![(
        "google_compute_security_policy.edge",
        format!(
            r#"{{"id":"projects/acme-{{env}}/global/securityPolicies/{{env}}-edge","name":"{{env}}-edge","project":"acme-{{env}}","description":"","fingerprint":"{{hex}}","type":"CLOUD_ARMOR","self_link":"https://www.googleapis.com/compute/v1/projects/acme-{{env}}/global/securityPolicies/{{env}}-edge","adaptive_protection_config":[],"advanced_options_config":[{{"json_parsing":"DISABLED","log_level":"NORMAL","json_custom_config":[],"user_ip_request_headers":[]}}],"rule":[{}]}}"#,
            rules.join(",")
        ),
    )]
}

#[test]
fn cloud_armor_rules_compare_by_priority() -> crate::TestResult {
    const P: &str = "google_compute_security_policy.edge";
    check(
        &cloud_armor(),
        &[
            ("the same policy", &[], &[]),
            (
                "the office rule opened to every address",
                &[(
                    P,
                    r#"["203.0.113.0/24"]"#,
                    Some(r#"["203.0.113.0/24","*"]"#),
                )],
                &[
                    r#"allows-more critical google_compute_security_policy.edge: google_compute_security_policy.edge `rule["1000"].match.config.src_ip_ranges`: staging additionally admits 0.0.0.0/0 except 203.0.113.0/24, ::/0."#,
                ],
            ),
            (
                "a deny rule in preview",
                &[(
                    P,
                    r#""preview":false,"priority":2000"#,
                    Some(r#""preview":true,"priority":2000"#),
                )],
                &[
                    r#"waf-rule high google_compute_security_policy.edge: google_compute_security_policy.edge `rule["2000"].preview`: false in prod → true in staging (staging enforces less)."#,
                ],
            ),
            (
                "an abuser range no longer denied",
                &[(P, r#"["192.0.2.0/24"]"#, Some(r#"["192.0.2.0/25"]"#))],
                &[
                    r#"allows-more high google_compute_security_policy.edge: google_compute_security_policy.edge `rule["2000"].match.config.src_ip_ranges`: staging no longer blocks 192.0.2.128/25."#,
                ],
            ),
            (
                "the default rule allows",
                &[(P, r#""action":"deny(404)""#, Some(r#""action":"allow""#))],
                &[
                    r#"waf-rule high google_compute_security_policy.edge: google_compute_security_policy.edge `rule["2147483647"].action`: deny(404) in prod → allow in staging (staging enforces less)."#,
                ],
            ),
            (
                "another status, the same strength; a description",
                &[
                    (
                        P,
                        r#""action":"deny(404)""#,
                        Some(r#""action":"deny(403)""#),
                    ),
                    (
                        P,
                        r#""description":"office""#,
                        Some(r#""description":"head office""#),
                    ),
                ],
                &[
                    r#"waf-rule info google_compute_security_policy.edge: google_compute_security_policy.edge `rule["1000"].description`: office in prod → head office in staging."#,
                    r#"waf-rule medium google_compute_security_policy.edge: google_compute_security_policy.edge `rule["2147483647"].action`: deny(404) in prod → deny(403) in staging."#,
                ],
            ),
            (
                "a weaker preconfigured rule set",
                &[(P, "'sensitivity': 1", Some("'sensitivity': 0"))],
                &[
                    r#"waf-rule high google_compute_security_policy.edge: google_compute_security_policy.edge `rule["900"].match[0].expr[0].expression`: evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 1}) in prod → evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 0}) in staging."#,
                ],
            ),
        ],
    )
}

// ---- Azure

const RG: &str =
    "/subscriptions/{subscription}/resourceGroups/rg-{env}-web/providers/Microsoft.Network";

/// An Application Gateway WAF policy: blocks everyone but the office, OWASP 3.2 with
/// one rule logged only.
fn app_gateway(settings: &str) -> Vec<(&'static str, String)> {
    vec![(
        "azurerm_web_application_firewall_policy.web",
        format!(
            r#"{{"id":"{RG}/ApplicationGatewayWebApplicationFirewallPolicies/waf-{{env}}-web","name":"waf-{{env}}-web","location":"westeurope","resource_group_name":"rg-{{env}}-web","policy_settings":[{settings}],"custom_rules":[{{"name":"OfficeOnly","priority":10,"rule_type":"MatchRule","action":"Block","enabled":true,"rate_limit_duration":"","rate_limit_threshold":0,"group_rate_limit_by":"","match_conditions":[{{"match_variables":[{{"variable_name":"RemoteAddr","selector":""}}],"operator":"IPMatch","negation_condition":true,"match_values":["203.0.113.0/24"],"transforms":[]}}]}}],"managed_rules":[{{"exclusion":[],"managed_rule_set":[{{"type":"OWASP","version":"3.2","rule_group_override":[{{"rule_group_name":"REQUEST-920-PROTOCOL-ENFORCEMENT","rule":[{{"id":"920300","enabled":true,"action":"Log"}}]}}]}}]}}],"tags":{{}}}}"#
        ),
    )]
}

#[test]
fn azure_application_gateway_policies() -> crate::TestResult {
    const W: &str = "azurerm_web_application_firewall_policy.web";
    let full = r#"{"enabled":true,"mode":"Prevention","request_body_check":true,"file_upload_limit_in_mb":100,"max_request_body_size_in_kb":128}"#;
    check(
        &app_gateway(full),
        &[
            ("the same policy", &[], &[]),
            (
                "detection mode",
                &[(W, r#""mode":"Prevention""#, Some(r#""mode":"Detection""#))],
                &[
                    r#"waf-policy high azurerm_web_application_firewall_policy.web: azurerm_web_application_firewall_policy.web `policy_settings.mode`: Prevention in prod → Detection in staging (staging enforces less)."#,
                ],
            ),
            (
                "settings left to the provider's defaults",
                &[(W, full, Some("{}"))],
                &[],
            ),
            (
                "another upload limit",
                &[(
                    W,
                    r#""file_upload_limit_in_mb":100"#,
                    Some(r#""file_upload_limit_in_mb":750"#),
                )],
                &[
                    r#"waf-policy high azurerm_web_application_firewall_policy.web: azurerm_web_application_firewall_policy.web `policy_settings.file_upload_limit_in_mb`: 100 in prod → 750 in staging."#,
                ],
            ),
            (
                "the office exemption widened",
                &[(
                    W,
                    r#"["203.0.113.0/24"]"#,
                    Some(r#"["203.0.113.0/24","0.0.0.0/1","128.0.0.0/1"]"#),
                )],
                &[
                    r#"allows-more critical azurerm_web_application_firewall_policy.web: azurerm_web_application_firewall_policy.web `custom_rules["OfficeOnly"].match_conditions.match_values`: staging additionally admits 0.0.0.0/0 except 203.0.113.0/24."#,
                ],
            ),
            (
                "the custom rule switched off",
                &[(
                    W,
                    r#""action":"Block","enabled":true"#,
                    Some(r#""action":"Block","enabled":false"#),
                )],
                &[
                    r#"waf-rule high azurerm_web_application_firewall_policy.web: azurerm_web_application_firewall_policy.web `custom_rules["OfficeOnly"].enabled`: true in prod → false in staging (staging enforces less)."#,
                ],
            ),
            (
                "a managed rule override without `enabled` is switched off",
                &[(
                    W,
                    r#"{"id":"920300","enabled":true,"action":"Log"}"#,
                    Some(r#"{"id":"920300","action":"Log"}"#),
                )],
                &[
                    r#"waf-managed high azurerm_web_application_firewall_policy.web: azurerm_web_application_firewall_policy.web `managed_rules.managed_rule_set["OWASP"].rule_group_override["REQUEST-920-PROTOCOL-ENFORCEMENT"].rule["920300"]`: Log in prod → disabled in staging (staging enforces less)."#,
                ],
            ),
            (
                "the override removed: the rule blocks again",
                &[(
                    W,
                    r#"{"id":"920300","enabled":true,"action":"Log"}"#,
                    Some(r#"{"id":"920301","enabled":true,"action":"Block"}"#),
                )],
                &[
                    r#"waf-managed medium azurerm_web_application_firewall_policy.web: azurerm_web_application_firewall_policy.web `managed_rules.managed_rule_set["OWASP"].rule_group_override["REQUEST-920-PROTOCOL-ENFORCEMENT"].rule["920300"]`: Log in prod → (its own action) in staging."#,
                    r#"waf-managed medium azurerm_web_application_firewall_policy.web: azurerm_web_application_firewall_policy.web `managed_rules.managed_rule_set["OWASP"].rule_group_override["REQUEST-920-PROTOCOL-ENFORCEMENT"].rule["920301"]`: (its own action) in prod → Block in staging."#,
                ],
            ),
            (
                "the rule set's type left to its default",
                &[(W, r#""type":"OWASP","#, Some(""))],
                &[],
            ),
            (
                "an older rule set",
                &[(W, r#""version":"3.2""#, Some(r#""version":"3.1""#))],
                &[
                    r#"waf-managed high azurerm_web_application_firewall_policy.web: azurerm_web_application_firewall_policy.web `managed_rules.managed_rule_set["OWASP"].version`: 3.2 in prod → 3.1 in staging."#,
                ],
            ),
        ],
    )
}

/// A Front Door (standard/premium) WAF policy: allows the office, blocks a country,
/// Microsoft's default rule set with the PHP group's rules switched off.
fn front_door() -> Vec<(&'static str, String)> {
    vec![(
        "azurerm_cdn_frontdoor_firewall_policy.edge",
        format!(
            r#"{{"id":"{RG}/FrontDoorWebApplicationFirewallPolicies/wafedge","name":"wafedge","resource_group_name":"rg-{{env}}-web","sku_name":"Premium_AzureFrontDoor","enabled":true,"mode":"Prevention","redirect_url":"","custom_block_response_status_code":403,"custom_rule":[{{"name":"AllowOffice","enabled":true,"priority":1,"type":"MatchRule","action":"Allow","rate_limit_duration_in_minutes":1,"rate_limit_threshold":10,"match_condition":[{{"match_variable":"RemoteAddr","operator":"IPMatch","negation_condition":false,"match_values":["203.0.113.0/24"],"selector":"","transforms":[]}}]}},{{"name":"BlockCountries","enabled":true,"priority":2,"type":"MatchRule","action":"Block","rate_limit_duration_in_minutes":1,"rate_limit_threshold":10,"match_condition":[{{"match_variable":"SocketAddr","operator":"GeoMatch","negation_condition":false,"match_values":["KP"],"selector":"","transforms":[]}}]}}],"managed_rule":[{{"type":"Microsoft_DefaultRuleSet","version":"2.1","action":"Block","exclusion":[],"override":[{{"rule_group_name":"PHP","exclusion":[],"rule":[]}}]}}],"tags":{{}}}}"#
        ),
    )]
}

#[test]
fn azure_front_door_policies() -> crate::TestResult {
    const F: &str = "azurerm_cdn_frontdoor_firewall_policy.edge";
    check(
        &front_door(),
        &[
            ("the same policy", &[], &[]),
            (
                "switched off",
                &[(
                    F,
                    r#""enabled":true,"mode""#,
                    Some(r#""enabled":false,"mode""#),
                )],
                &[
                    r#"waf-policy high azurerm_cdn_frontdoor_firewall_policy.edge: azurerm_cdn_frontdoor_firewall_policy.edge `enabled`: true in prod → false in staging (staging enforces less)."#,
                ],
            ),
            (
                "`enabled` left to its default",
                &[(F, r#""enabled":true,"mode""#, Some(r#""mode""#))],
                &[],
            ),
            (
                "detection, and the country rule only logs",
                &[
                    (F, r#""mode":"Prevention""#, Some(r#""mode":"Detection""#)),
                    (
                        F,
                        r#""type":"MatchRule","action":"Block""#,
                        Some(r#""type":"MatchRule","action":"Log""#),
                    ),
                ],
                &[
                    r#"waf-policy high azurerm_cdn_frontdoor_firewall_policy.edge: azurerm_cdn_frontdoor_firewall_policy.edge `mode`: Prevention in prod → Detection in staging (staging enforces less)."#,
                    r#"waf-rule high azurerm_cdn_frontdoor_firewall_policy.edge: azurerm_cdn_frontdoor_firewall_policy.edge `custom_rule["BlockCountries"].action`: Block in prod → Log in staging (staging enforces less)."#,
                ],
            ),
            (
                "the PHP group back on, the rule set only logs",
                &[
                    (
                        F,
                        r#""override":[{"rule_group_name":"PHP","exclusion":[],"rule":[]}]"#,
                        Some(r#""override":[]"#),
                    ),
                    (
                        F,
                        r#""version":"2.1","action":"Block""#,
                        Some(r#""version":"2.1","action":"Log""#),
                    ),
                ],
                &[
                    r#"waf-managed high azurerm_cdn_frontdoor_firewall_policy.edge: azurerm_cdn_frontdoor_firewall_policy.edge `managed_rule["Microsoft_DefaultRuleSet"].action`: Block in prod → Log in staging (staging enforces less)."#,
                    r#"waf-managed medium azurerm_cdn_frontdoor_firewall_policy.edge: azurerm_cdn_frontdoor_firewall_policy.edge `managed_rule["Microsoft_DefaultRuleSet"].override["PHP"]`: every rule disabled in prod → (its own actions) in staging."#,
                ],
            ),
            (
                "the office list narrowed",
                &[(F, r#"["203.0.113.0/24"]"#, Some(r#"["203.0.113.0/25"]"#))],
                &[
                    r#"allows-less medium azurerm_cdn_frontdoor_firewall_policy.edge: azurerm_cdn_frontdoor_firewall_policy.edge `custom_rule["AllowOffice"].match_condition.match_values`: staging no longer admits 203.0.113.128/25."#,
                ],
            ),
            (
                "the office rule gone",
                &[(
                    F,
                    r#"{"name":"AllowOffice""#,
                    Some(r#"{"name":"AllowOfficeOld""#),
                )],
                &[
                    r#"waf-rule medium azurerm_cdn_frontdoor_firewall_policy.edge: azurerm_cdn_frontdoor_firewall_policy.edge `custom_rule["AllowOffice"]`: Allow rule in prod, not in staging."#,
                    r#"waf-rule high azurerm_cdn_frontdoor_firewall_policy.edge: azurerm_cdn_frontdoor_firewall_policy.edge `custom_rule["AllowOfficeOld"]`: not in prod, Allow rule in staging (staging enforces less)."#,
                ],
            ),
        ],
    )
}

#[test]
fn claims_leave_the_rest_to_the_generic_lens() {
    use super::claims;
    assert!(claims("aws_wafv2_web_acl", Some("rule")));
    assert!(claims("azurerm_frontdoor_firewall_policy", Some("mode")));
    // A policy missing altogether, and its other attributes, are the generic lens's.
    assert!(!claims("aws_wafv2_web_acl", None));
    assert!(!claims("aws_wafv2_web_acl", Some("tags")));
    assert!(!claims(
        "google_compute_security_policy",
        Some("adaptive_protection_config")
    ));
}

#[test]
fn values_known_only_after_apply_hide_no_difference_and_invent_none() -> crate::TestResult {
    use crate::lens::testing::{compare_envs, line};
    use crate::model::Environment;
    // A plan: staging's rule names, an action and the office addresses are known only
    // after apply ("?"); only the country rule's known change is said.
    let template = cloud_armor();
    let known = fill(&template, &PROD);
    let plan = edit(
        &template,
        &[
            (
                "google_compute_security_policy.edge",
                r#""action":"deny(404)""#,
                Some(r#""action":"?""#),
            ),
            (
                "google_compute_security_policy.edge",
                r#"["203.0.113.0/24"]"#,
                Some(r#"["?"]"#),
            ),
            (
                "google_compute_security_policy.edge",
                r#""preview":false,"priority":2000"#,
                Some(r#""preview":true,"priority":2000"#),
            ),
        ],
    );
    let plan = fill(&plan, &STAGING);
    let envs = vec![
        Environment::for_tests("prod", &refs(&known))?,
        Environment::for_tests("staging", &refs(&plan))?.with_unknowns(),
    ];
    let got: Vec<String> = compare_envs(envs).iter().map(line).collect();
    assert_eq!(
        got,
        [
            r#"waf-rule high google_compute_security_policy.edge: google_compute_security_policy.edge `rule["2000"].preview`: false in prod → true in staging (staging enforces less)."#
        ]
    );
    // Rule names known only after apply: which rules one side lacks cannot be told.
    let t = aws_acl();
    let unnamed = edit(
        &t,
        &[(
            "aws_wafv2_web_acl.main",
            r#""name":"geo-block""#,
            Some(r#""name":"?""#),
        )],
    );
    let envs = vec![
        Environment::for_tests("prod", &refs(&fill(&t, &PROD)))?,
        Environment::for_tests("staging", &refs(&fill(&unnamed, &STAGING)))?.with_unknowns(),
    ];
    let got: Vec<String> = compare_envs(envs).iter().map(line).collect();
    assert!(
        got.iter().all(|l| !l.contains("not in staging")),
        "{got:#?}"
    );
    Ok(())
}

#[test]
fn three_environments_are_one_finding_per_field() -> crate::TestResult {
    use crate::lens::testing::{compare_envs, line};
    use crate::model::Environment;
    const DEV: Env = Env {
        name: "dev",
        account: "333333333333",
        region: "us-west-2",
        hex: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        subscription: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    };
    const W: &str = "azurerm_web_application_firewall_policy.web";
    let full = r#"{"enabled":true,"mode":"Prevention"}"#;
    let t = app_gateway(full);
    let detection = edit(&t, &[(W, "Prevention", Some("Detection"))]);
    let envs = vec![
        Environment::for_tests("prod", &refs(&fill(&t, &PROD)))?,
        Environment::for_tests("staging", &refs(&fill(&detection, &STAGING)))?,
        Environment::for_tests("dev", &refs(&fill(&detection, &DEV)))?,
    ];
    let found = compare_envs(envs);
    assert_eq!(
        found.iter().map(line).collect::<Vec<_>>(),
        [
            r#"waf-policy high azurerm_web_application_firewall_policy.web: azurerm_web_application_firewall_policy.web `policy_settings.mode`: Prevention in prod → Detection in staging (staging enforces less); Prevention in prod → Detection in dev (dev enforces less)."#
        ]
    );
    let cells: Vec<(&str, &str)> = found[0]
        .environments
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        cells,
        [
            ("dev", "Detection"),
            ("prod", "Prevention"),
            ("staging", "Detection")
        ]
    );
    Ok(())
}
