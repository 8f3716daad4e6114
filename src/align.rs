//! Alignment: pairs resource instances across environments by logical address. The
//! result is one row per address with, for each environment (in the order given), the
//! instance's position there or nothing. Instance and module keys are compared after
//! normalisation, so `aws_subnet.a["us-east-1a"]` in one region pairs with
//! `aws_subnet.a["us-west-2a"]` in another, and `module.app["prod"]` with
//! `module.app["staging"]`.

use crate::model::{Address, Environment};
use crate::normalize::Context;

/// One logical address and where it is in each environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'e> {
    pub address: &'e Address,
    /// `present[k]` is the position of the instance in environment `k`.
    pub present: Vec<Option<usize>>,
}

/// Aligns environments by address; `baseline` names the environment whose spelling of
/// an address is shown when keys differ only by design. Rows come out in order of the
/// normalised address.
pub fn align<'e>(
    envs: &'e [Environment],
    contexts: &[Context<'_>],
    baseline: usize,
) -> Vec<Row<'e>> {
    use rayon::prelude::*;
    use std::borrow::Cow;
    // Each environment's instances by normalised address, sorted (resources are sorted
    // by address already, so this is nearly free), computed in parallel.
    let lists: Vec<Vec<(Cow<'e, Address>, usize)>> = envs
        .par_iter()
        .enumerate()
        .map(|(k, env)| {
            let mut v: Vec<(Cow<'e, Address>, usize)> = env
                .resources
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let key = match contexts.get(k).and_then(|c| c.logical_changed(&r.address)) {
                        Some(a) => Cow::Owned(a),
                        None => Cow::Borrowed(&r.address),
                    };
                    (key, i)
                })
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        })
        .collect();
    // A k-way merge: each row takes at most one instance of each environment; a second
    // instance that normalises alike gets a row of its own.
    let mut heads = vec![0usize; envs.len()];
    let mut rows = Vec::with_capacity(lists.iter().map(Vec::len).max().unwrap_or(0));
    loop {
        let min = (0..envs.len())
            .filter_map(|k| lists[k].get(heads[k]).map(|e| &e.0))
            .min()
            .cloned();
        let Some(min) = min else { break };
        let mut present = vec![None; envs.len()];
        let mut shown: Option<&'e Address> = None;
        for k in 0..envs.len() {
            if let Some((key, i)) = lists[k].get(heads[k]) {
                if *key == min {
                    present[k] = Some(*i);
                    heads[k] += 1;
                    if shown.is_none() || k == baseline {
                        shown = Some(&envs[k].resources[*i].address);
                    }
                }
            }
        }
        if let Some(address) = shown {
            rows.push(Row { address, present });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str, addrs: &[&str]) -> crate::TestResult<Environment> {
        let rs: Vec<(&str, &str)> = addrs.iter().map(|a| (*a, "{}")).collect();
        Environment::for_tests(name, &rs)
    }

    /// Each row as its address and where it stands in each environment.
    fn present(rows: &[Row<'_>]) -> Vec<(String, Vec<Option<usize>>)> {
        rows.iter()
            .map(|r| (r.address.to_string(), r.present.clone()))
            .collect()
    }

    #[test]
    fn aligns_keys_that_differ_by_design() -> crate::TestResult {
        let envs = [
            env(
                "prod",
                &[
                    r#"aws_subnet.a["us-east-1a"]"#,
                    r#"module.app["prod"].aws_x.y"#,
                    r#"aws_x.k["prod"]"#,
                    r#"aws_x.k["production"]"#,
                ],
            )?,
            env(
                "staging",
                &[
                    r#"aws_subnet.a["us-west-2a"]"#,
                    r#"module.app["staging"].aws_x.y"#,
                    r#"aws_x.k["stg"]"#,
                ],
            )?,
        ];
        let names = ["prod", "staging"];
        let ctxs: Vec<Context<'_>> = envs.iter().map(|e| Context::new(e, &names)).collect();
        assert_eq!(
            present(&align(&envs, &ctxs, 1)),
            vec![
                (
                    r#"aws_subnet.a["us-west-2a"]"#.to_string(),
                    vec![Some(0), Some(0)]
                ),
                (r#"aws_x.k["stg"]"#.to_string(), vec![Some(1), Some(1)]),
                (r#"aws_x.k["production"]"#.to_string(), vec![Some(2), None]),
                (
                    r#"module.app["staging"].aws_x.y"#.to_string(),
                    vec![Some(3), Some(2)]
                ),
            ]
        );
        Ok(())
    }

    #[test]
    fn labels_align_without_environment_names_unless_that_makes_two_alike() -> crate::TestResult {
        let envs = [
            env(
                "prod",
                &[
                    "aws_s3_bucket.logs",
                    "google_pubsub_topic.archiver",
                    "module.net.aws_vpc.main",
                ],
            )?,
            env(
                "staging",
                &[
                    "aws_s3_bucket.logs",
                    "aws_s3_bucket.logs-staging",
                    "google_pubsub_topic.archiver-staging",
                    "module.net_staging.aws_vpc.main",
                ],
            )?,
        ];
        let names = ["prod", "staging"];
        let ctxs: Vec<Context<'_>> = envs.iter().map(|e| Context::new(e, &names)).collect();
        assert_eq!(
            present(&align(&envs, &ctxs, 0)),
            vec![
                ("aws_s3_bucket.logs".to_string(), vec![Some(0), Some(0)]),
                // Staging holds both `logs` and `logs-staging`: kept apart, and said.
                (
                    "aws_s3_bucket.logs-staging".to_string(),
                    vec![None, Some(1)]
                ),
                (
                    "google_pubsub_topic.archiver".to_string(),
                    vec![Some(1), Some(2)]
                ),
                (
                    "module.net.aws_vpc.main".to_string(),
                    vec![Some(2), Some(3)]
                ),
            ]
        );
        assert!(ctxs[0].notes.is_empty(), "{:?}", ctxs[0].notes);
        assert_eq!(ctxs[1].notes.len(), 1, "{:?}", ctxs[1].notes);
        assert!(
            ctxs[1].notes[0].contains("aws_s3_bucket.logs and aws_s3_bucket.logs-staging"),
            "{:?}",
            ctxs[1].notes
        );
        Ok(())
    }

    #[test]
    fn declared_codes_align_labels_written_without_separators() -> crate::TestResult {
        let envs = [
            env(
                "prod",
                &[
                    "aws_x.shopprodPremium",
                    "aws_x.app01p",
                    "aws_x.coreprod",
                    "aws_x.selc-p-nat",
                ],
            )?,
            env(
                "staging",
                &[
                    "aws_x.shopaatPremium",
                    "aws_x.app01t",
                    "aws_x.coreuat",
                    "aws_x.selc-t-nat",
                ],
            )?,
        ];
        let names = ["prod", "staging"];
        let plain: Vec<Context<'_>> = envs.iter().map(|e| Context::new(e, &names)).collect();
        // Undeclared, nothing aligns (`prod` inside a word is not a word).
        assert!(align(&envs, &plain, 0).iter().all(|r| r
            .present
            .iter()
            .filter(|p| p.is_some())
            .count()
            == 1));
        let conventions = crate::normalize::context::Conventions {
            aliases: [
                (
                    "prod".to_string(),
                    vec!["prod".to_string(), "p".to_string()],
                ),
                (
                    "staging".to_string(),
                    vec!["aat".to_string(), "uat".to_string(), "t".to_string()],
                ),
            ]
            .into(),
            ..Default::default()
        };
        let declared: Vec<Context<'_>> = envs
            .iter()
            .map(|e| Context::with(e, &names, &conventions))
            .collect();
        let rows = align(&envs, &declared, 0);
        assert_eq!(rows.len(), 4, "{:?}", present(&rows));
        assert!(rows.iter().all(|r| r.present.iter().all(Option::is_some)));
        Ok(())
    }

    #[test]
    fn a_label_holding_one_environments_project_aligns_as_written() -> crate::TestResult {
        // The same block in both; its name holds prod's project id, which prod's
        // values replace as by design and staging's do not (not its own project).
        let rs = |project: &str| {
            vec![
                (
                    "google_storage_bucket.b".to_string(),
                    format!(r#"{{"project":"{project}","name":"b"}}"#),
                ),
                (
                    "google_project_iam_member.cal-itp-data-infra-viewer".to_string(),
                    format!(r#"{{"project":"{project}","role":"roles/viewer"}}"#),
                ),
            ]
        };
        let (p, st) = (rs("cal-itp-data-infra"), rs("cal-itp-data-infra-staging"));
        let pr: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let sr: Vec<(&str, &str)> = st.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let envs = [
            Environment::for_tests("prod", &pr)?,
            Environment::for_tests("staging", &sr)?,
        ];
        let names = ["prod", "staging"];
        let ctxs: Vec<Context<'_>> = envs.iter().map(|e| Context::new(e, &names)).collect();
        let rows = align(&envs, &ctxs, 0);
        assert_eq!(rows.len(), 2, "{:?}", present(&rows));
        Ok(())
    }

    #[test]
    fn aligns_three_environments() -> crate::TestResult {
        let envs = [
            env("a", &["x.a", "x.b[0]"])?,
            env("b", &["x.b[0]", "x.c"])?,
            env("c", &["x.a"])?,
        ];
        assert_eq!(
            present(&align(&envs, &[], 0)),
            vec![
                ("x.a".to_string(), vec![Some(0), None, Some(0)]),
                ("x.b[0]".to_string(), vec![Some(1), Some(0), None]),
                ("x.c".to_string(), vec![None, Some(1), None]),
            ]
        );
        Ok(())
    }
}
