//! The real-world corpus in `../shared/corpus`, read in place (never copied here):
//! every file loads or fails with a clear error and no panic, and the groups that hold
//! the same infrastructure written by different Terraform versions compare clean.

use std::path::{Path, PathBuf};
use tfparity::model::Environment;
use tfparity::source::{self, EnvSpec};

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("INDEX.tsv").is_file() {
        Some(dir)
    } else if std::env::var_os("CI").is_some() {
        panic!("../shared/corpus is missing: CI must run with ../shared beside the checkout");
    } else {
        eprintln!("skipping: ../shared/corpus not found");
        None
    }
}

fn load(dir: &Path, rel: &str, name: &str) -> tfparity::Result<Environment> {
    let spec = EnvSpec {
        name: name.to_string(),
        path: dir.join(rel).display().to_string(),
        var_files: Vec::new(),
        workspace: None,
        shared_root: false,
    };
    let mut env = source::load(&spec, None, None, &Default::default(), &Default::default())?;
    tfparity::normalize::add_reference_edges(&mut env);
    Ok(env)
}

#[test]
fn every_corpus_file_loads_or_fails_clearly() {
    let Some(dir) = corpus() else { return };
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).expect("index");
    let (mut ok, mut failed) = (0, Vec::new());
    for line in index.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (rel, kind) = (cols[0], cols[2]);
        let result = std::panic::catch_unwind(|| load(&dir, rel, "corpus"));
        let result = result.unwrap_or_else(|_| panic!("{rel}: panicked"));
        match result {
            Ok(env) => {
                assert!(
                    matches!(kind, "state" | "plan" | "showstate"),
                    "{rel}: a {kind} file loaded as an environment"
                );
                // Comparing a file with itself never reports anything.
                let mut again = env.clone();
                again.name = "again".into();
                let report = tfparity::compare_loaded(&[env, again], 0);
                assert!(
                    report.findings.is_empty(),
                    "{rel}: compared with itself: {:?}",
                    report.findings.first()
                );
                ok += 1;
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    msg.starts_with(&dir.join(rel).display().to_string()),
                    "{rel}: error does not name the file: {msg}"
                );
                assert!(msg.contains("environment corpus"), "{rel}: {msg}");
                failed.push((kind.to_string(), msg));
            }
        }
    }
    // Every state, show-json and plan file loads but for the few known-odd fixtures.
    let odd: Vec<&(String, String)> = failed
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "state" | "plan" | "showstate"))
        .collect();
    eprintln!(
        "corpus: {ok} loaded, {} rejected ({} of them state/plan/show files)",
        failed.len(),
        odd.len()
    );
    for (_, m) in &odd {
        eprintln!("  {m}");
    }
    assert!(ok > 900, "only {ok} corpus files loaded");
    assert!(
        odd.len() <= 5,
        "too many state/plan files rejected: {odd:#?}"
    );
}

fn assert_group_clean(dir: &Path, files: &[&str]) {
    let envs: Vec<Environment> = files
        .iter()
        .enumerate()
        .map(|(i, f)| load(dir, f, &format!("v{i}")).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert!(
        envs.iter().all(|e| !e.resources.is_empty()),
        "{files:?}: empty"
    );
    for a in 0..envs.len() {
        for b in 0..envs.len() {
            if a == b {
                continue;
            }
            let report = tfparity::compare_loaded(&[envs[a].clone(), envs[b].clone()], 0);
            assert!(
                report.findings.is_empty(),
                "{} vs {}: {:#?}",
                files[a],
                files[b],
                report.findings
            );
        }
    }
}

#[test]
fn same_infrastructure_by_different_terraform_versions_compares_clean() {
    let Some(dir) = corpus() else { return };
    for bucket in [
        "minio-1/test-bucket/terraform_1",
        "minio-2/test-bucket/terraform_2",
    ] {
        let files: Vec<String> = ["0.12.28", "0.13.5", "0.14.8", "0.15.5", "1.0.0"]
            .iter()
            .map(|v| format!("state/terraboard/test/data/{bucket}_{v}.tfstate"))
            .collect();
        assert_group_clean(&dir, &files.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let regula: Vec<String> = ["12", "13", "14", "15"]
        .iter()
        .map(|v| format!("plan/regula/pkg/loader/test_inputs/data/tfplan.0.{v}.json"))
        .collect();
    assert_group_clean(&dir, &regula.iter().map(String::as_str).collect::<Vec<_>>());
    let views: Vec<String> = ["v0_13", "v0_14", "v0_15", "v1_0"]
        .iter()
        .map(|v| format!("plan/regula/rego/tests/lib/inputs/resource_view_05_tf_{v}_infra.json"))
        .collect();
    assert_group_clean(&dir, &views.iter().map(String::as_str).collect::<Vec<_>>());
    assert_group_clean(
        &dir,
        &[
            "plan/infracost/cmd/infracost/testdata/terraform_v0.12_plan.json",
            "plan/infracost/cmd/infracost/testdata/terraform_v0.14_plan.json",
        ],
    );
}

/// The waze GCP states are one environment split per region. Each region's subnetworks
/// state holds the same auto-mode subnetwork, a /20 from that region's block: compared
/// across all regions this is one topology, and nothing is reported. A control shows
/// the comparison is real: a different prefix length in one region is reported.
#[test]
fn terraformer_regions_compare_as_one_topology() {
    let Some(dir) = corpus() else { return };
    let base = dir
        .join("state/terraformer-waze/waze-import/imported/infra/gcp/waze-development/subnetworks");
    let mut regions: Vec<String> = std::fs::read_dir(&base)
        .expect("subnetworks")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    regions.sort();
    assert!(regions.len() >= 19, "{regions:?}");
    let envs: Vec<Environment> = regions
        .iter()
        .map(|r| {
            let rel = format!("state/terraformer-waze/waze-import/imported/infra/gcp/waze-development/subnetworks/{r}/terraform.tfstate");
            load(&dir, &rel, r).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    assert!(envs.iter().all(|e| e.resources.len() == 1));
    let report = tfparity::compare_loaded(&envs, 0);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);

    let mut changed = envs[1].clone();
    let attrs = changed.resources[0].attributes.entries().to_vec();
    let attrs = attrs
        .into_iter()
        .map(|(k, v)| match (k.as_ref(), v.as_str()) {
            ("ip_cidr_range", Some(c)) => (
                k.clone(),
                tfparity::model::Value::str(&c.replace("/20", "/24")),
            ),
            _ => (k, v),
        })
        .collect();
    changed.resources[0].attributes = tfparity::model::Value::object(attrs);
    let report = tfparity::compare_loaded(&[envs[0].clone(), changed], 0);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.path.as_ref().and_then(|p| p.top()) == Some("ip_cidr_range")),
        "{:#?}",
        report.findings
    );
}

/// A real Cloud Armor policy (the waze GCP state, legacy v3 flatmap): compared with
/// itself it is clean; with one rule's action and one range changed in memory, the WAF
/// part of the firewall lens names each field, and the generic lens says nothing more.
#[test]
fn a_real_cloud_armor_policy_compares_by_rule() {
    use tfparity::model::Value;
    let Some(dir) = corpus() else { return };
    let rel = "state/terraformer-waze/waze-import/imported/infra/gcp/waze-development/securityPolicies/global/terraform.tfstate";
    let dev = load(&dir, rel, "dev").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dev.resources.len(), 1);
    let same = tfparity::compare_loaded(&[dev.clone(), dev.clone()], 0);
    assert!(same.findings.is_empty(), "{:#?}", same.findings);

    // The default rule allows; the rule at priority 4 also admits every address.
    let edit = |rule: &Value| -> Value {
        let priority = rule.get("priority").and_then(Value::as_str).unwrap_or("");
        let entries = rule
            .entries()
            .iter()
            .map(|(k, v)| match (k.as_ref(), priority) {
                ("action", "2147483647") => (k.clone(), Value::str("allow")),
                ("match", "4") => (k.clone(), widen(v)),
                _ => (k.clone(), v.clone()),
            })
            .collect();
        Value::object(entries)
    };
    fn widen(v: &Value) -> Value {
        match v {
            Value::List(l) => Value::List(l.iter().map(widen).collect()),
            Value::Object(o) => Value::object(
                o.iter()
                    .map(|(k, x)| match (k.as_ref(), x) {
                        ("src_ip_ranges", Value::List(r)) => {
                            let mut r = r.to_vec();
                            r.push(Value::str("0.0.0.0/0"));
                            (k.clone(), Value::List(r.into()))
                        }
                        _ => (k.clone(), widen(x)),
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let mut changed = dev.clone();
    changed.name = "v1".into();
    let attrs = changed.resources[0]
        .attributes
        .entries()
        .iter()
        .map(|(k, v)| match (k.as_ref(), v) {
            ("rule", Value::List(rules)) => {
                (k.clone(), Value::List(rules.iter().map(edit).collect()))
            }
            _ => (k.clone(), v.clone()),
        })
        .collect();
    changed.resources[0].attributes = Value::object(attrs);
    let report = tfparity::compare_loaded(&[dev, changed], 0);
    let got: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f.kind.as_str(),
                f.severity,
                f.path.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                f.message
            )
        })
        .collect();
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(
        got[0].starts_with(r#"allows-more critical rule["4"].match.config.src_ip_ranges "#),
        "{got:#?}"
    );
    assert!(
        got[1].starts_with(r#"waf-rule high rule["2147483647"].action "#)
            && got[1].ends_with("deny(403) in dev → allow in v1 (v1 enforces less)."),
        "{got:#?}"
    );
}
