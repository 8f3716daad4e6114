//! Alignment: pairs resource instances across environments by logical address. The
//! result is one row per address with, for each environment (in the order given), the
//! instance's position there or nothing. Instance and module keys are compared after
//! normalisation, so `aws_subnet.a["us-east-1a"]` in one region pairs with
//! `aws_subnet.a["us-west-2a"]` in another, and `module.app["prod"]` with
//! `module.app["staging"]`.

use crate::model::{Address, Environment};
use crate::normalize::Context;
use std::collections::BTreeMap;

/// One logical address and where it is in each environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'e> {
    pub address: &'e Address,
    /// `present[k]` is the position of the instance in environment `k`.
    pub present: Vec<Option<usize>>,
}

/// One row while aligning: the address shown, which environment it came from, and
/// the positions.
type Building<'e> = (&'e Address, usize, Vec<Option<usize>>);

/// Aligns environments by address; `baseline` names the environment whose spelling of
/// an address is shown when keys differ only by design. Rows come out in order of the
/// normalised address.
pub fn align<'e>(
    envs: &'e [Environment],
    contexts: &[Context<'_>],
    baseline: usize,
) -> Vec<Row<'e>> {
    use rayon::prelude::*;
    // Normalising keys costs more than inserting: do it in parallel first.
    let keys: Vec<Vec<Option<Address>>> = envs
        .par_iter()
        .enumerate()
        .map(|(k, env)| {
            env.resources
                .iter()
                .map(|r| contexts.get(k).and_then(|c| c.logical_changed(&r.address)))
                .collect()
        })
        .collect();
    let mut rows: BTreeMap<Address, Building<'e>> = BTreeMap::new();
    for (k, env) in envs.iter().enumerate() {
        for (i, r) in env.resources.iter().enumerate() {
            let mut key = keys[k][i].clone().unwrap_or_else(|| r.address.clone());
            // Two instances of one environment that normalise alike keep their own rows.
            if rows.get(&key).is_some_and(|row| row.2[k].is_some()) {
                key = r.address.clone();
            }
            let row = rows
                .entry(key)
                .or_insert_with(|| (&r.address, k, vec![None; envs.len()]));
            row.2[k] = Some(i);
            if k == baseline && row.1 != baseline {
                row.0 = &r.address;
                row.1 = k;
            }
        }
    }
    rows.into_values()
        .map(|(address, _, present)| Row { address, present })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str, addrs: &[&str]) -> Environment {
        let rs: Vec<(&str, &str)> = addrs.iter().map(|a| (*a, "{}")).collect();
        Environment::for_tests(name, &rs)
    }

    #[test]
    fn aligns_keys_that_differ_by_design() {
        let envs = [
            env(
                "prod",
                &[
                    r#"aws_subnet.a["us-east-1a"]"#,
                    r#"module.app["prod"].aws_x.y"#,
                    r#"aws_x.k["prod"]"#,
                    r#"aws_x.k["production"]"#,
                ],
            ),
            env(
                "staging",
                &[
                    r#"aws_subnet.a["us-west-2a"]"#,
                    r#"module.app["staging"].aws_x.y"#,
                    r#"aws_x.k["stg"]"#,
                ],
            ),
        ];
        let names = ["prod", "staging"];
        let ctxs: Vec<Context<'_>> = envs.iter().map(|e| Context::new(e, &names)).collect();
        let rows = align(&envs, &ctxs, 1);
        let got: Vec<(String, Vec<Option<usize>>)> = rows
            .iter()
            .map(|r| (r.address.to_string(), r.present.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    r#"aws_subnet.a["us-west-2a"]"#.to_string(),
                    vec![Some(0), Some(0)]
                ),
                (r#"aws_x.k["production"]"#.to_string(), vec![Some(2), None]),
                (r#"aws_x.k["stg"]"#.to_string(), vec![Some(1), Some(1)]),
                (
                    r#"module.app["staging"].aws_x.y"#.to_string(),
                    vec![Some(3), Some(2)]
                ),
            ]
        );
    }

    #[test]
    fn aligns_three_environments() {
        let envs = [
            env("a", &["x.a", "x.b[0]"]),
            env("b", &["x.b[0]", "x.c"]),
            env("c", &["x.a"]),
        ];
        let rows = align(&envs, &[], 0);
        let got: Vec<(String, Vec<Option<usize>>)> = rows
            .iter()
            .map(|r| (r.address.to_string(), r.present.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("x.a".to_string(), vec![Some(0), None, Some(0)]),
                ("x.b[0]".to_string(), vec![Some(1), Some(0), None]),
                ("x.c".to_string(), vec![None, Some(1), None]),
            ]
        );
    }
}
