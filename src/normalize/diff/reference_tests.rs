use super::*;
use crate::model::{Address, Environment};

fn diffs(a: &[(&str, &str)], b: &[(&str, &str)], at: &str) -> crate::TestResult<Vec<String>> {
    let (ea, eb) = (
        Environment::for_tests("prod", a)?,
        Environment::for_tests("staging", b)?,
    );
    let names = ["prod", "staging"];
    let (ca, cb) = (Context::new(&ea, &names), Context::new(&eb, &names));
    let t = Address::parse(at)?;
    let ta = ca.env.get(&t).ok_or("missing")?;
    let tb = cb
        .env
        .resources
        .iter()
        .find(|r| cb.logical(&r.address).as_ref() == ca.logical(&t).as_ref())
        .ok_or("missing")?;
    Ok(diff(&Side::new(&ca, ta), &Side::new(&cb, tb))
        .iter()
        .map(|d| format!("{}: {} | {}", d.path, d.left, d.right))
        .collect())
}

#[test]
fn references_through_env_keyed_modules_compare_by_logical_address() -> crate::TestResult {
    let a = [
        (
            r#"module.app["prod"].aws_vpc.v"#,
            r#"{"id":"vpc-0aaa0001"}"#,
        ),
        ("aws_x.t", r#"{"vpc_id":"vpc-0aaa0001"}"#),
    ];
    let b = [
        (
            r#"module.app["staging"].aws_vpc.v"#,
            r#"{"id":"vpc-0bbb0001"}"#,
        ),
        ("aws_x.t", r#"{"vpc_id":"vpc-0bbb0001"}"#),
    ];
    assert!(diffs(&a, &b, "aws_x.t")?.is_empty());
    Ok(())
}

#[test]
fn map_keys_pair_without_environment_names() -> crate::TestResult {
    let a = [(
        "aws_subnet.s",
        r#"{"tags":{"kubernetes.io/cluster/app-production":"shared","Team":"web","only-prod":"x"}}"#,
    )];
    let b = [(
        "aws_subnet.s",
        r#"{"tags":{"kubernetes.io/cluster/app-staging":"shared","Team":"web"}}"#,
    )];
    assert_eq!(
        diffs(&a, &b, "aws_subnet.s")?,
        vec![r#"tags["only-prod"]: x | null"#.to_string()]
    );
    // A value that differs under keys that pair is said at the baseline's key.
    let b = [(
        "aws_subnet.s",
        r#"{"tags":{"kubernetes.io/cluster/app-staging":"owned","Team":"web","only-prod":"x"}}"#,
    )];
    assert_eq!(
        diffs(&a, &b, "aws_subnet.s")?,
        vec![r#"tags["kubernetes.io/cluster/app-production"]: shared | owned"#.to_string()]
    );
    Ok(())
}

#[test]
fn names_are_not_references() -> crate::TestResult {
    // An SG named like an IAM role's id is not a reference to the role.
    let a = [
        ("aws_iam_role.r", r#"{"id":"acme-prod-app"}"#),
        ("aws_x.t", r#"{"name":"acme-prod-app"}"#),
    ];
    let b = [("aws_x.t", r#"{"name":"acme-staging-app"}"#)];
    assert!(diffs(&a, &b, "aws_x.t")?.is_empty());
    Ok(())
}

#[test]
fn own_identifier_is_not_a_reference() -> crate::TestResult {
    let a = [(
        "aws_x.t",
        r#"{"id":"acme-prod-logs","bucket":"acme-prod-logs","alloc":"eipalloc-0aaa0001"}"#,
    )];
    let b = [(
        "aws_x.t",
        r#"{"id":"acme-staging-logs","bucket":"acme-staging-logs","alloc":"eipalloc-0bbb0001"}"#,
    )];
    assert!(diffs(&a, &b, "aws_x.t")?.is_empty());
    Ok(())
}

#[test]
fn a_plan_that_does_not_know_ids_compares_names() -> crate::TestResult {
    let a = [
        ("aws_db_subnet_group.g", r#"{"id":"acme-prod-db"}"#),
        ("aws_x.t", r#"{"subnet_group":"acme-prod-db"}"#),
    ];
    let mut eb = Environment::for_tests(
        "staging",
        &[
            ("aws_db_subnet_group.g", r#"{"name":"acme-staging-db"}"#),
            ("aws_x.t", r#"{"subnet_group":"acme-staging-db"}"#),
        ],
    )?;
    if let Value::Object(o) = &mut eb.resources[0].attributes {
        let mut v = o.to_vec();
        v.push(("id".into(), Value::Unknown(None)));
        eb.resources[0].attributes = Value::object(v);
    }
    let ea = Environment::for_tests("prod", &a)?;
    let names = ["prod", "staging"];
    let (ca, cb) = (Context::new(&ea, &names), Context::new(&eb, &names));
    let t = Address::parse("aws_x.t")?;
    assert!(diff(
        &Side::new(&ca, ea.get(&t).ok_or("missing")?),
        &Side::new(&cb, eb.get(&t).ok_or("missing")?)
    )
    .is_empty());
    Ok(())
}

#[test]
fn an_unset_attribute_equals_the_provider_default() -> crate::TestResult {
    // One environment spells the defaults out, the other leaves them to the
    // provider: no difference, at the top level or in a nested block.
    let explicit = r#"{"name":"web","enable_deletion_protection":false,"idle_timeout":60,"access_logs":[{"bucket":"logs","enabled":false}]}"#;
    let unset =
        r#"{"name":"web","enable_deletion_protection":null,"access_logs":[{"bucket":"logs"}]}"#;
    assert_eq!(
        diffs(
            &[("aws_lb.web", explicit)],
            &[("aws_lb.web", unset)],
            "aws_lb.web"
        )?,
        Vec::<String>::new()
    );
    assert_eq!(
        diffs(
            &[("aws_lb.web", unset)],
            &[("aws_lb.web", explicit)],
            "aws_lb.web"
        )?,
        Vec::<String>::new()
    );
    // A value other than the default still differs from unset.
    let on = r#"{"name":"web","enable_deletion_protection":true,"idle_timeout":120,"access_logs":[{"bucket":"logs","enabled":true}]}"#;
    assert_eq!(
        diffs(
            &[("aws_lb.web", unset)],
            &[("aws_lb.web", on)],
            "aws_lb.web"
        )?,
        [
            "access_logs[0].enabled: null | true",
            "enable_deletion_protection: null | true",
            "idle_timeout: (absent) | 120"
        ]
    );
    // Without a documented default, unset and `false` still differ.
    assert_eq!(
        diffs(
            &[("aws_x.t", r#"{"flag":false}"#)],
            &[("aws_x.t", r#"{}"#)],
            "aws_x.t"
        )?,
        ["flag: false | (absent)"]
    );
    Ok(())
}

#[test]
fn the_same_text_naming_no_one_resource_is_one_value() -> crate::TestResult {
    // Two data sources read the same resource group in prod, so its name is an
    // identifier there, of several resources; staging reads none. Both name the
    // same thing outside the state.
    let a = [
        (
            "data.azurerm_resource_group.a",
            r#"{"id":"prime-simple-report-test"}"#,
        ),
        (
            "data.azurerm_resource_group.b",
            r#"{"id":"prime-simple-report-test"}"#,
        ),
        (
            "data.terraform_remote_state.global",
            r#"{"config":{"resource_group_name":"prime-simple-report-test"}}"#,
        ),
    ];
    let b = [(
        "data.terraform_remote_state.global",
        r#"{"config":{"resource_group_name":"prime-simple-report-test"}}"#,
    )];
    assert_eq!(
        diffs(&a, &b, "data.terraform_remote_state.global")?,
        Vec::<String>::new()
    );
    Ok(())
}

#[test]
fn data_sources_that_read_the_same_thing_under_other_labels_are_one() -> crate::TestResult {
    let vault = |label: &str, sub: &str, name: &str| {
        let id = format!(
            "/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/{name}"
        );
        [
            (
                format!("data.azurerm_key_vault.{label}"),
                format!(r#"{{"id":"{id}","name":"{name}","resource_group_name":"rg"}}"#),
            ),
            (
                "data.azurerm_key_vault_secret.s".to_string(),
                format!(r#"{{"key_vault_id":"{id}","name":"token"}}"#),
            ),
        ]
    };
    let to = |v: &[(String, String); 2]| -> Vec<(String, String)> { v.to_vec() };
    let prod = to(&vault(
        "global",
        "00000000-0000-0000-0000-000000000001",
        "simple-report-global",
    ));
    let same = to(&vault(
        "sr_global",
        "00000000-0000-0000-0000-000000000002",
        "simple-report-global",
    ));
    let other = to(&vault(
        "sr_global",
        "00000000-0000-0000-0000-000000000002",
        "another-vault",
    ));
    fn r(v: &[(String, String)]) -> Vec<(&str, &str)> {
        v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
    }
    assert_eq!(
        diffs(&r(&prod), &r(&same), "data.azurerm_key_vault_secret.s")?,
        Vec::<String>::new()
    );
    assert_eq!(
        diffs(&r(&prod), &r(&other), "data.azurerm_key_vault_secret.s")?.len(),
        1
    );
    Ok(())
}
