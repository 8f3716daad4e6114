//! Alignment: pairs resource instances across environments by logical address. The
//! result is one row per address with, for each environment (in the order given, the
//! baseline first), the instance's position there or nothing.

use crate::model::{Address, Environment};
use std::collections::BTreeMap;

/// One logical address and where it is in each environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'e> {
    pub address: &'e Address,
    /// `present[k]` is the position of the instance in environment `k`.
    pub present: Vec<Option<usize>>,
}

/// Aligns environments by address. Rows come out in address order.
pub fn align(envs: &[Environment]) -> Vec<Row<'_>> {
    // Each environment's resources are sorted by address: a k-way merge would do, but a
    // BTreeMap keyed by reference is simple and costs one entry per distinct address.
    let mut rows: BTreeMap<&Address, Vec<Option<usize>>> = BTreeMap::new();
    for (k, env) in envs.iter().enumerate() {
        for (i, r) in env.resources.iter().enumerate() {
            rows.entry(&r.address)
                .or_insert_with(|| vec![None; envs.len()])[k] = Some(i);
        }
    }
    rows.into_iter()
        .map(|(address, present)| Row { address, present })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Resource, Source, SourceKind, Value};

    fn env(name: &str, addrs: &[&str]) -> Environment {
        Environment::new(
            name.into(),
            Source {
                kind: SourceKind::State,
                path: name.into(),
            },
            addrs
                .iter()
                .map(|a| Resource::new(Address::parse(a).unwrap(), Value::object(vec![])))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn aligns_three_environments() {
        let envs = [
            env("a", &["x.a", "x.b[0]"]),
            env("b", &["x.b[0]", "x.c"]),
            env("c", &["x.a"]),
        ];
        let rows = align(&envs);
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
