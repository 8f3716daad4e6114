//! The generic lens: for every aligned address, instances missing in some environment
//! and attribute or reference differences against the baseline, after normalisation.
//! Makes findings; never prints.

use super::catalog::category_of;
use super::severity;
use crate::align::Row;
use crate::model::{Address, AttrPath, Finding, Kind};
use crate::normalize::diff::{is_unknown_text, show, value_at, Side, ABSENT};
use crate::normalize::{diff, ValueDiff};
use rayon::prelude::*;

use super::input::{names, Input, Unexpanded};
use std::collections::{BTreeMap, HashMap};

/// All generic findings, unsorted.
pub fn findings(input: &Input<'_>, rows: &[Row<'_>]) -> Vec<Finding> {
    let blocks = block_counts(input, rows);
    let left = Unexpanded::of(input);
    let mut out: Vec<Finding> = rows
        .par_iter()
        .flat_map_iter(|row| row_findings(input, row, &blocks, &left))
        .collect();
    out.extend(block_findings(input, &blocks, &left));
    out
}

/// Per resource block, by logical address: instances per environment, whether any
/// instance has a key, and the block's address as first seen (the baseline's first).
type BlockCounts = BTreeMap<Address, (Vec<usize>, bool, Address)>;

/// Instances per resource block per environment. An instance paired by name with
/// another environment's at another address (`align::pair_by_name`) counts in that
/// environment's block too: the block is not missing there.
fn block_counts(input: &Input<'_>, rows: &[Row<'_>]) -> BlockCounts {
    let envs = input.envs;
    let mut m: BlockCounts = BTreeMap::new();
    let mut order: Vec<usize> = (0..envs.len()).collect();
    order.sort_by_key(|&k| k != input.baseline);
    for k in order {
        let env = &envs[k];
        // Resources are sorted, so the instances of one block are adjacent.
        for chunk in env
            .resources
            .chunk_by(|a, b| a.address.same_block(&b.address))
        {
            let first = &chunk[0].address;
            let block = first.block();
            let e = m
                .entry(input.contexts[k].logical(&block).into_owned())
                .or_insert_with(|| (vec![0; envs.len()], false, block.clone()));
            e.0[k] = chunk.len();
            e.1 |= first.key.is_some();
        }
    }
    for row in rows {
        // Most rows hold one block as written: nothing to read.
        let mut written = row
            .present
            .iter()
            .enumerate()
            .filter_map(|(k, i)| Some(&envs[k].resources[(*i)?].address));
        if let Some(first) = written.next() {
            if written.all(|a| a.same_block(first)) {
                continue;
            }
        }
        let blocks: Vec<(usize, Address)> = row
            .present
            .iter()
            .enumerate()
            .filter_map(|(k, i)| {
                let a = &envs[k].resources[(*i)?].address;
                Some((k, input.contexts[k].logical(&a.block()).into_owned()))
            })
            .collect();
        if blocks.iter().all(|(_, b)| *b == blocks[0].1) {
            continue;
        }
        for (_, b) in &blocks {
            if let Some(e) = m.get_mut(b) {
                for (k, other) in &blocks {
                    if other != b {
                        e.0[*k] += 1;
                    }
                }
            }
        }
    }
    m
}

/// One finding per block that some environment lacks entirely.
fn block_findings(input: &Input<'_>, blocks: &BlockCounts, left: &Unexpanded) -> Vec<Finding> {
    let envs = input.envs;
    let mut out = Vec::new();
    for (counts, keyed, block) in blocks.values() {
        let keyed = *keyed;
        if super::claims::presence(&block.rtype) {
            continue;
        }
        // A block an environment could not expand is not missing there.
        let unexpanded = |k: usize| counts[k] == 0 && left.left(input, k, block);
        if !counts
            .iter()
            .enumerate()
            .any(|(k, &n)| n == 0 && !unexpanded(k))
        {
            continue;
        }
        let have: Vec<usize> = (0..envs.len()).filter(|&k| counts[k] > 0).collect();
        let lack: Vec<usize> = (0..envs.len())
            .filter(|&k| counts[k] == 0 && !unexpanded(k))
            .collect();
        let environments = envs
            .iter()
            .zip(counts)
            .enumerate()
            .map(|(k, (e, &n))| {
                let v = match (n, keyed) {
                    (0, _) if unexpanded(k) => "not expanded".to_string(),
                    (0, _) => "absent".to_string(),
                    (1, false) => "present".to_string(),
                    (1, true) => "1 instance".to_string(),
                    (n, _) => format!("{n} instances"),
                };
                (e.name.clone(), v)
            })
            .collect();
        let what = if keyed {
            format!("{block} (all instances)")
        } else {
            block.to_string()
        };
        let category = category_of(&block.rtype);
        out.push(Finding {
            resources: Default::default(),
            differing: Default::default(),
            // Distinct from the id of an unkeyed instance at the same address.
            id: Finding::stable_id(
                category,
                Kind::Missing,
                block,
                Some(&AttrPath(vec![crate::model::PathStep::Key(
                    "(block)".into(),
                )])),
            ),
            category,
            kind: Kind::Missing,
            severity: severity::generic(category, Kind::Missing, block.mode, None),
            address: block.clone(),
            path: None,
            environments,
            message: format!(
                "{what} exists in {} but not in {}.",
                names(envs, &have),
                names(envs, &lack)
            ),
        });
    }
    out
}

fn row_findings(
    input: &Input<'_>,
    row: &Row<'_>,
    blocks: &BlockCounts,
    left: &Unexpanded,
) -> Vec<Finding> {
    let envs = input.envs;
    let mut out = Vec::new();
    let category = category_of(&row.address.rtype);
    let mode = row.address.mode;
    if super::claims::whole(&row.address.rtype) {
        return out;
    }

    // Missing instances (blocks missing wholesale are reported once, per block). A
    // listener missing from its balancer is the balancers lens's finding.
    // A registration missing by what it registers is the discovery lens's finding.
    if row.present.iter().any(Option::is_none) && !super::claims::presence(&row.address.rtype) {
        let counts = blocks.get(
            input.contexts[input.baseline]
                .logical(&row.address.block())
                .as_ref(),
        );
        let lack: Vec<usize> = (0..envs.len())
            .filter(|&k| row.present[k].is_none() && counts.is_some_and(|c| c.0[k] > 0))
            .filter(|&k| !left.left(input, k, row.address))
            .collect();
        if !lack.is_empty() {
            let have: Vec<usize> = (0..envs.len())
                .filter(|&k| row.present[k].is_some())
                .collect();
            out.push(Finding {
                resources: Default::default(),
                differing: Default::default(),
                id: Finding::stable_id(category, Kind::Missing, row.address, None),
                category,
                kind: Kind::Missing,
                severity: severity::generic(category, Kind::Missing, mode, None),
                address: row.address.clone(),
                path: None,
                environments: envs
                    .iter()
                    .zip(&row.present)
                    .map(|(e, p)| {
                        (
                            e.name.clone(),
                            if p.is_some() { "present" } else { "absent" }.to_string(),
                        )
                    })
                    .collect(),
                message: format!(
                    "{} exists in {} but not in {}.",
                    row.address,
                    names(envs, &have),
                    names(envs, &lack)
                ),
            });
        }
    }

    // Attribute differences against the baseline.
    let b = input.baseline;
    let Some(bi) = row.present[b] else { return out };
    let base = Side::at(&input.contexts[b], Some(bi), &envs[b].resources[bi]);
    let mut by_path: BTreeMap<AttrPath, Vec<(usize, ValueDiff)>> = BTreeMap::new();
    for (k, p) in row.present.iter().enumerate() {
        let (true, Some(i)) = (k != b, *p) else {
            continue;
        };
        let other = Side::at(&input.contexts[k], Some(i), &envs[k].resources[i]);
        let claims = super::claims::Pair::new(base.res, other.res);
        for d in diff(&base, &other) {
            if claims.attribute(&d.path) {
                continue;
            }
            by_path.entry(d.path.clone()).or_default().push((k, d));
        }
    }
    // Values known only after apply in one environment and known in another, many
    // under one attribute (a dynamic block over a data source's results): one finding
    // for them all, not one per value.
    let mut after_apply: BTreeMap<String, Vec<AttrPath>> = BTreeMap::new();
    for (path, diffs) in &by_path {
        if diffs.iter().all(|(_, d)| d.after_apply) {
            after_apply
                .entry(path.top().unwrap_or_default().to_string())
                .or_default()
                .push(path.clone());
        }
    }
    for (top, paths) in after_apply {
        if paths.len() <= MAX_AFTER_APPLY_ROWS {
            continue;
        }
        let mut ks: Vec<usize> = paths
            .iter()
            .filter_map(|p| by_path.get(p))
            .flat_map(|d| d.iter().map(|(k, _)| *k))
            .collect();
        ks.sort_unstable();
        ks.dedup();
        for p in &paths {
            by_path.remove(p);
        }
        out.push(after_apply_summary(input, row, &top, &paths, &ks));
    }
    for (path, diffs) in by_path {
        out.push(attribute_finding(input, row, path, diffs));
    }
    out
}

/// Past this many values known only after apply under one attribute of one instance,
/// they are one finding.
const MAX_AFTER_APPLY_ROWS: usize = 3;

/// One finding for the values under attribute `top` of `row` known only after apply in
/// an environment and known in another (`ks`, the environments compared with the
/// baseline that differ so).
fn after_apply_summary(
    input: &Input<'_>,
    row: &Row<'_>,
    top: &str,
    paths: &[AttrPath],
    ks: &[usize],
) -> Finding {
    let envs = input.envs;
    let b = input.baseline;
    let category = category_of(&row.address.rtype);
    let path = AttrPath(vec![crate::model::PathStep::Attr(top.into())]);
    let n = paths.len();
    let environments = envs
        .iter()
        .enumerate()
        .filter(|(k, _)| row.present[*k].is_some())
        .map(|(k, e)| {
            let v = if k == b {
                "baseline".to_string()
            } else if ks.contains(&k) {
                format!("{n} values known only on one side")
            } else {
                "same as baseline".to_string()
            };
            (e.name.clone(), v)
        })
        .collect();
    let first = paths.first().map(|p| p.to_string()).unwrap_or_default();
    Finding {
        resources: Default::default(),
        differing: Default::default(),
        id: Finding::stable_id(category, Kind::KnownAfterApply, row.address, Some(&path)),
        category,
        kind: Kind::KnownAfterApply,
        severity: severity::KNOWN_AFTER_APPLY,
        address: row.address.clone(),
        message: format!(
            "{n} values under `{top}` (the first `{first}`) are known only after apply in {} or in {}, and known in the other. Whether they will differ is not known until apply.",
            envs[b].name,
            names(envs, ks)
        ),
        path: Some(path),
        environments,
    }
}

fn attribute_finding(
    input: &Input<'_>,
    row: &Row<'_>,
    path: AttrPath,
    diffs: Vec<(usize, ValueDiff)>,
) -> Finding {
    let envs = input.envs;
    let b = input.baseline;
    let category = category_of(&row.address.rtype);
    let reference = diffs.iter().any(|(_, d)| d.reference);
    let sensitive = diffs.iter().any(|(_, d)| d.sensitive);
    // Known in some environments and only after apply in others, and no other
    // difference there: those that know it agree (else they differ, whatever the
    // unknown turns out to be).
    let after_apply = diffs.iter().all(|(_, d)| d.after_apply) && {
        let mut known: Vec<&str> = diffs
            .iter()
            .flat_map(|(_, d)| [d.left.as_str(), d.right.as_str()])
            .filter(|v| !is_unknown_text(v))
            .collect();
        known.sort_unstable();
        known.dedup();
        known.len() <= 1
    };
    let kind = if after_apply {
        Kind::KnownAfterApply
    } else if reference && !sensitive {
        Kind::Reference
    } else {
        Kind::Attribute
    };
    let differing: HashMap<usize, &ValueDiff> = diffs.iter().map(|(k, d)| (*k, d)).collect();

    let mut environments = BTreeMap::new();
    let mut displays: Vec<(usize, String)> = Vec::new();
    for (k, p) in row.present.iter().enumerate() {
        let Some(i) = p else { continue };
        let v = if let Some(d) = differing.get(&k) {
            if d.only_left.is_empty() && d.only_right.is_empty() {
                d.right.clone()
            } else {
                let mut parts: Vec<String> =
                    d.only_right.iter().map(|x| format!("+ {x}")).collect();
                parts.extend(d.only_left.iter().map(|x| format!("- {x}")));
                parts.join("; ")
            }
        } else if k == b {
            diffs[0].1.left.clone()
        } else if sensitive {
            crate::normalize::diff::SENSITIVE.to_string()
        } else {
            let side = Side::at(&input.contexts[k], Some(*i), &envs[k].resources[*i]);
            value_at(&side.res.attributes, &path)
                .map(|v| show(&side, v, &path))
                .unwrap_or_else(|| ABSENT.to_string())
        };
        environments.insert(envs[k].name.clone(), v.clone());
        displays.push((k, v));
    }

    let base_name = &envs[b].name;
    let message = if after_apply {
        let unknown: Vec<usize> = displays
            .iter()
            .filter(|(_, v)| is_unknown_text(v))
            .map(|(k, _)| *k)
            .collect();
        let known: Vec<String> = displays
            .iter()
            .filter(|(_, v)| !is_unknown_text(v))
            .map(|(k, v)| format!("{} has {v}", envs[*k].name))
            .collect();
        format!(
            "`{path}` is known only after apply in {}; {}. Whether they will differ is not known until apply.",
            names(envs, &unknown),
            known.join(", ")
        )
    } else if sensitive {
        format!(
            "`{path}` differs between {} (values are sensitive).",
            names(envs, &displays.iter().map(|d| d.0).collect::<Vec<_>>())
        )
    } else if diffs
        .iter()
        .any(|(_, d)| !d.only_left.is_empty() || !d.only_right.is_empty())
    {
        let mut parts = Vec::new();
        for (k, d) in &diffs {
            if !d.only_right.is_empty() {
                parts.push(format!(
                    "{} additionally has {}",
                    envs[*k].name,
                    d.only_right.join(", ")
                ));
            }
            if !d.only_left.is_empty() {
                parts.push(format!(
                    "{} lacks {}",
                    envs[*k].name,
                    d.only_left.join(", ")
                ));
            }
        }
        format!("`{path}` differs from {base_name}: {}.", parts.join("; "))
    } else if kind == Kind::Reference {
        let parts: Vec<String> = displays
            .iter()
            .map(|(k, v)| format!("{} in {}", describe_target(v), envs[*k].name))
            .collect();
        format!("`{path}` points to {}.", join_but(&parts))
    } else {
        let parts: Vec<String> = displays
            .iter()
            .map(|(k, v)| format!("{} has {}", envs[*k].name, v))
            .collect();
        format!("`{path}` differs: {}.", parts.join(", "))
    };

    Finding {
        resources: Default::default(),
        differing: Default::default(),
        id: Finding::stable_id(category, kind, row.address, Some(&path)),
        category,
        kind,
        severity: if sensitive && diffs.iter().all(|(_, d)| d.secret_value) {
            severity::SECRET_DIFFERENCE
        } else if after_apply {
            severity::KNOWN_AFTER_APPLY
        } else {
            severity::generic(category, kind, row.address.mode, Some(&path))
        },
        address: row.address.clone(),
        environments,
        message,
        path: Some(path),
    }
}

fn describe_target(v: &str) -> String {
    match v {
        "null" | ABSENT | "" | "\"\"" => "nothing".to_string(),
        v if Address::parse(v).is_ok() => v.to_string(),
        v if v.starts_with('[') => v.to_string(),
        v => format!("{v} (outside the environment)"),
    }
}

fn join_but(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [a] => a.clone(),
        [a, rest @ ..] => format!("{a} but {}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use crate::lens::testing::lines;

    #[test]
    fn many_values_known_after_apply_under_one_attribute_are_one_finding() -> crate::TestResult {
        use crate::model::Environment;
        let blocks = |name: &str, u: &str| -> crate::TestResult<Environment> {
            let items: Vec<String> = (0..40)
                .map(|i| format!(r#"{{"k":{i},"u":"{u}"}}"#))
                .collect();
            let attrs = format!(r#"{{"rule":[{}]}}"#, items.join(","));
            Ok(Environment::for_tests(name, &[("foo_thing.t", &attrs)])?
                .with_unknowns()
                .declared())
        };
        let got: Vec<String> =
            crate::lens::testing::compare_envs(vec![blocks("prod", "?")?, blocks("staging", "x")?])
                .iter()
                .map(crate::lens::testing::line)
                .collect();
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("known-after-apply info foo_thing.t: 40 values under `rule`"),
            "{got:?}"
        );
        Ok(())
    }

    #[test]
    fn a_baseline_known_only_after_apply_hides_no_difference_between_the_others(
    ) -> crate::TestResult {
        use crate::model::Environment;
        let env = |name: &str, class: &str| -> crate::TestResult<Environment> {
            let attrs = format!(r#"{{"instance_class":"{class}"}}"#);
            Ok(
                Environment::for_tests(name, &[("aws_db_instance.db", &attrs)])?
                    .with_unknowns()
                    .declared(),
            )
        };
        let got = |envs: Vec<Environment>| -> Vec<String> {
            crate::lens::testing::compare_envs(envs)
                .iter()
                .map(crate::lens::testing::line)
                .collect()
        };
        // Staging and dev differ whatever prod's turns out to be.
        assert_eq!(
            got(vec![
                env("prod", "?")?,
                env("staging", "db.r5.4xlarge")?,
                env("dev", "db.t3.micro")?,
            ]),
            ["attribute low aws_db_instance.db: `instance_class` differs: prod has (known after apply), staging has db.r5.4xlarge, dev has db.t3.micro."]
        );
        // They agree: only that prod's is not known yet.
        assert_eq!(
            got(vec![
                env("prod", "?")?,
                env("staging", "db.t3.micro")?,
                env("dev", "db.t3.micro")?,
            ]),
            ["known-after-apply info aws_db_instance.db: `instance_class` is known only after apply in prod; staging has db.t3.micro, dev has db.t3.micro. Whether they will differ is not known until apply."]
        );
        Ok(())
    }

    #[test]
    fn a_field_of_a_named_block_is_named_and_long_messages_are_cut() -> crate::TestResult {
        use crate::model::Environment;
        // A storage policy's rules by name; dev writes them in another order.
        let policy = |rules: &[(&str, &str)]| {
            let items: Vec<String> = rules
                .iter()
                .map(|(n, tier)| {
                    format!(
                        r#"{{"name":"{n}","enabled":true,"actions":[{{"base_blob":[{{"tier_to_cool_after_days":30,"tier":"{tier}"}}]}}],"filters":[{{"prefix_match":["{}"]}}]}}"#,
                        "logs/".repeat(20)
                    )
                })
                .collect();
            format!(r#"{{"name":"p","rule":[{}]}}"#, items.join(","))
        };
        let prod = policy(&[("archive", "Cool"), ("purge", "Hot"), ("tmp", "Hot")]);
        let staging = policy(&[("archive", "Cool"), ("purge", "Archive"), ("tmp", "Hot")]);
        let dev = policy(&[("tmp", "Hot"), ("purge", "Hot"), ("archive", "Cool")]);
        let t = "azurerm_storage_management_policy.p";
        let got = crate::lens::testing::compare_envs(vec![
            Environment::for_tests("prod", &[(t, &prod)])?,
            Environment::for_tests("staging", &[(t, &staging)])?,
            Environment::for_tests("dev", &[(t, &dev)])?,
        ]);
        let [f] = got.as_slice() else {
            return Err(format!("{got:?}").into());
        };
        assert_eq!(
            f.message,
            r#"`rule["purge"].actions[0].base_blob[0].tier` differs: prod has Hot, staging has Archive, dev has Hot."#
        );
        // dev's value is found by the rule's name, wherever it is in dev's list.
        assert_eq!(f.environments.get("dev").map(String::as_str), Some("Hot"));
        // Forty rules staging alone has: the message says so in a bounded length.
        let many: Vec<(String, &str)> = (0..40).map(|i| (format!("extra-{i}"), "Hot")).collect();
        let mut with_many: Vec<(&str, &str)> =
            vec![("archive", "Cool"), ("purge", "Hot"), ("tmp", "Hot")];
        with_many.extend(many.iter().map(|(n, t)| (n.as_str(), *t)));
        let staging = policy(&with_many);
        let got = crate::lens::testing::compare_envs(vec![
            Environment::for_tests("prod", &[(t, &prod)])?,
            Environment::for_tests("staging", &[(t, &staging)])?,
        ]);
        let [f] = got.as_slice() else {
            return Err(format!("{got:?}").into());
        };
        assert!(
            f.message
                .starts_with("`rule` differs from prod: staging additionally has ")
                && f.message.chars().count() <= crate::model::finding::MAX_MESSAGE
                && f.message.contains("characters in all)"),
            "{}",
            f.message
        );
        for v in f.environments.values() {
            assert!(v.chars().count() <= crate::model::finding::MAX_VALUE, "{v}");
        }
        Ok(())
    }

    #[test]
    fn assigned_ids_are_ignored_only_where_they_are_assigned() -> crate::TestResult {
        // An instance's ephemeral external address differs by design.
        let vm = |ip: &str| {
            format!(
                r#"{{"name":"bastion","network_interface":[{{"network_ip":"10.0.0.2","access_config":[{{"nat_ip":"{ip}","network_tier":"PREMIUM"}}]}}]}}"#
            )
        };
        let (a, b) = (vm("34.1.2.3"), vm("35.9.8.7"));
        assert_eq!(
            lines(
                &[("google_compute_instance.bastion", &a)],
                &[("google_compute_instance.bastion", &b)]
            )?,
            Vec::<String>::new()
        );
        // A proxy's numeric id is assigned; elsewhere `certificate_id` is a reference.
        let proxy = |id: &str| format!(r#"{{"name":"web","proxy_id":{id}}}"#);
        let (a, b) = (proxy("1234"), proxy("5678"));
        assert_eq!(
            lines(
                &[("google_compute_target_https_proxy.web", &a)],
                &[("google_compute_target_https_proxy.web", &b)]
            )?,
            Vec::<String>::new()
        );
        let cert = |n: &str| {
            format!(
                r#"{{"id":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/certificates/{n}","name":"{n}"}}"#
            )
        };
        let binding = |n: &str| {
            format!(
                r#"{{"certificate_id":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/certificates/{n}"}}"#
            )
        };
        let (api, www) = (cert("api"), cert("www"));
        let (ba, bw) = (binding("api"), binding("www"));
        let got = lines(
            &[
                ("azurerm_app_service_certificate.api", &api),
                ("azurerm_app_service_certificate.www", &www),
                ("azurerm_app_service_certificate_binding.b", &ba),
            ],
            &[
                ("azurerm_app_service_certificate.api", &api),
                ("azurerm_app_service_certificate.www", &www),
                ("azurerm_app_service_certificate_binding.b", &bw),
            ],
        )?;
        assert!(
            got.len() == 1 && got[0].starts_with("reference") && got[0].contains("certificate_id"),
            "{got:?}"
        );
        Ok(())
    }
}
