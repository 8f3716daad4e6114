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
    pair_by_name(envs, contexts, baseline, &mut rows);
    rows
}

/// For each environment with instances paired with the baseline's at another
/// logical address (by [`pair_by_name`]), a sentence saying how many and one of them.
pub fn paired_by_name(
    envs: &[Environment],
    contexts: &[Context<'_>],
    rows: &[Row<'_>],
    baseline: usize,
) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for k in (0..envs.len()).filter(|&k| k != baseline) {
        let moved = moved(envs, contexts, rows, baseline, k);
        if let Some((a, b)) = moved.first() {
            out.push((
                k,
                format!(
                    "{} instance(s) compared with {}'s of the same type at another address, paired by name or by content (`{b}` with `{a}`{})",
                    moved.len(),
                    envs[baseline].name,
                    if moved.len() > 1 { ", …" } else { "" }
                ),
            ));
        }
    }
    out
}

/// The instances of environment `k` that `rows` pair with the baseline's at another
/// logical address (by name or by content): (the baseline's address, `k`'s), in row
/// order.
pub fn moved<'e>(
    envs: &'e [Environment],
    contexts: &[Context<'_>],
    rows: &[Row<'_>],
    baseline: usize,
    k: usize,
) -> Vec<(&'e Address, &'e Address)> {
    rows.iter()
        .filter_map(|row| {
            let (i, j) = (row.present[baseline]?, row.present[k]?);
            let (a, b) = (
                &envs[baseline].resources[i].address,
                &envs[k].resources[j].address,
            );
            (a != b && contexts[baseline].logical(a) != contexts[k].logical(b)).then_some((a, b))
        })
        .collect()
}

/// Attributes that name an instance for its provider: two instances of one type and
/// module whose names read alike are one thing, wherever each is written.
const NAME_ATTRS: &[&str] = &[
    "name",
    "bucket",
    "function_name",
    "identifier",
    "cluster_identifier",
    "repository_name",
    "table_name",
    "domain_name",
];

/// The instance's name as the environment's context reads it, with its type, mode
/// and logical module path: how an instance at another address is recognised.
fn name_key(ctx: &Context<'_>, r: &crate::model::Resource) -> Option<String> {
    let named = NAME_ATTRS
        .iter()
        .find_map(|a| r.attributes.get(a).and_then(crate::model::Value::as_str));
    let read = match named {
        // A binding of a role names what it binds, not itself: one bucket has several.
        Some(name) if r.attributes.get("role").is_none() => {
            // A name that names another resource (a bucket's IAM policy: `b/logs` in
            // one environment, the bucket's name in another) reads as that one's name.
            let other = ctx
                .resolve(name)
                .map(|j| &ctx.env.resources[j])
                .filter(|o| o.address != r.address)
                .and_then(|o| {
                    NAME_ATTRS
                        .iter()
                        .find_map(|a| o.attributes.get(a).and_then(crate::model::Value::as_str))
                });
            ctx.text(other.unwrap_or(name)).into_owned()
        }
        // No name of its own (an IAM binding: a bucket, a role, members): what it
        // holds, read as compared.
        _ => content_key(ctx, r)?,
    };
    // Too little left to say which thing it is (`{env}`, `a`): placeholders are not
    // counted.
    let mut depth = 0usize;
    let left = read
        .chars()
        .filter(|c| {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            depth == 0 && c.is_ascii_alphanumeric()
        })
        .count();
    if left < 3 {
        return None;
    }
    let logical = ctx.logical(&r.address);
    Some(format!(
        "{}\u{0}{}\u{0}{:?}\u{0}{read}",
        Address::module_call(logical.module.clone()),
        r.address.rtype,
        r.address.mode,
    ))
}

/// The most characters of an instance's content read as its key.
const MAX_CONTENT_KEY: usize = 2048;

/// An instance's compared attributes, each scalar as the context reads it (identity
/// and computed attributes left out): two instances whose content reads alike are one
/// thing. `None` when anything is unknown, or the content is large.
fn content_key(ctx: &Context<'_>, r: &crate::model::Resource) -> Option<String> {
    use crate::model::Value;
    use crate::normalize::Leaf;
    fn walk(ctx: &Context<'_>, v: &Value, out: &mut String) -> Option<()> {
        if out.len() > MAX_CONTENT_KEY {
            return None;
        }
        match v {
            Value::List(l) if !l.is_empty() => {
                out.push('[');
                for x in l.iter() {
                    walk(ctx, x, out)?;
                    out.push(',');
                }
                out.push(']');
            }
            Value::Object(o) if !o.is_empty() => {
                out.push('{');
                for (k, x) in o.iter() {
                    out.push_str(k);
                    out.push('=');
                    walk(ctx, x, out)?;
                    out.push(',');
                }
                out.push('}');
            }
            _ => match ctx.leaf(v) {
                Leaf::Unknown => return None,
                Leaf::Empty => {}
                Leaf::External => out.push_str("{external}"),
                Leaf::Ref(a) => {
                    out.push_str("{ref ");
                    out.push_str(&a.to_string());
                    out.push('}');
                }
                Leaf::Text(t) => out.push_str(&t),
            },
        }
        Some(())
    }
    let mut out = String::new();
    for (k, v) in r.attributes.entries() {
        if crate::normalize::diff::is_ignored(&r.address.rtype, k) {
            continue;
        }
        out.push_str(k);
        out.push('=');
        walk(ctx, v, &mut out)?;
        out.push(';');
    }
    Some(out)
}

/// Joins the instance of an environment that has no partner in the baseline with the
/// baseline's that has none in it, when they are of one type and module and their
/// names read alike, each the only one so named on its side: the same bucket written
/// `tfer--calitp-airtable` by an import tool in prod and
/// `calitp-staging["calitp-staging-airtable"]` in staging is one row, compared
/// attribute by attribute, not missing twice. The baseline's address is shown.
fn pair_by_name<'e>(
    envs: &'e [Environment],
    contexts: &[Context<'_>],
    baseline: usize,
    rows: &mut Vec<Row<'e>>,
) {
    use std::collections::HashMap;
    if contexts.len() != envs.len() {
        return;
    }
    let mut emptied = false;
    for k in (0..envs.len()).filter(|&k| k != baseline) {
        // Name key → the one row (None: more than one).
        let index = |side: usize, other: usize| {
            let mut m: HashMap<String, Option<usize>> = HashMap::new();
            for (n, row) in rows.iter().enumerate() {
                let (Some(i), None) = (row.present[side], row.present[other]) else {
                    continue;
                };
                if let Some(key) = name_key(&contexts[side], &envs[side].resources[i]) {
                    m.entry(key).and_modify(|e| *e = None).or_insert(Some(n));
                }
            }
            m
        };
        let base_only = index(baseline, k);
        let k_only = index(k, baseline);
        let mut joins: Vec<(usize, usize)> = base_only
            .iter()
            .filter_map(|(key, b)| Some(((*b)?, (*k_only.get(key)?)?)))
            .collect();
        joins.sort_unstable();
        for (b, o) in joins {
            rows[b].present[k] = rows[o].present[k].take();
            emptied |= rows[o].present.iter().all(Option::is_none);
        }
    }
    if emptied {
        rows.retain(|r| r.present.iter().any(Option::is_some));
    }
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
    #[test]
    fn instances_at_other_addresses_pair_by_their_names_when_unambiguous() -> crate::TestResult {
        let with = |name: &str, attrs: &[(&str, &str)]| -> crate::TestResult<Environment> {
            let owned: Vec<(String, String)> = attrs
                .iter()
                .map(|(a, n)| (a.to_string(), format!(r#"{{"name":"{n}"}}"#)))
                .collect();
            let refs: Vec<(&str, &str)> = owned
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            Environment::for_tests(name, &refs)
        };
        let envs = [
            // An import tool's labels in prod.
            with(
                "prod",
                &[
                    (
                        "google_storage_bucket.tfer--calitp-airtable",
                        "calitp-airtable",
                    ),
                    (
                        "google_storage_bucket.tfer--calitp-publish",
                        "calitp-publish",
                    ),
                    // Two named alike on one side: neither pairs.
                    ("google_pubsub_topic.tfer--a", "events"),
                    ("google_pubsub_topic.tfer--b", "events"),
                    // Another type: never paired with a bucket.
                    ("google_pubsub_topic.tfer--c", "calitp-tides"),
                    ("aws_sns_topic.alerts", "prod"),
                ],
            )?,
            with(
                "staging",
                &[
                    (
                        r#"google_storage_bucket.calitp["calitp-staging-airtable"]"#,
                        "calitp-staging-airtable",
                    ),
                    (
                        r#"google_storage_bucket.calitp["calitp-staging-publish"]"#,
                        "calitp-staging-publish",
                    ),
                    ("google_pubsub_topic.events", "events"),
                    ("google_storage_bucket.tides", "calitp-staging-tides"),
                    // Named only after its environment: too little to say which it is.
                    ("aws_sns_topic.audit", "staging"),
                ],
            )?,
        ];
        let names = ["prod", "staging"];
        let ctxs: Vec<Context<'_>> = envs.iter().map(|e| Context::new(e, &names)).collect();
        let rows = present(&align(&envs, &ctxs, 0));
        let both: Vec<&str> = rows
            .iter()
            .filter(|(_, p)| p.iter().all(Option::is_some))
            .map(|(a, _)| a.as_str())
            .collect();
        assert_eq!(
            both,
            vec![
                "google_storage_bucket.tfer--calitp-airtable",
                "google_storage_bucket.tfer--calitp-publish"
            ]
        );
        assert_eq!(rows.len(), 2 + 4 + 3, "{rows:?}");
        Ok(())
    }
}
