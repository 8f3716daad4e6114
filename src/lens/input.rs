//! What every lens reads: the environments with their contexts and baseline, and the
//! helpers lenses share (environment names in a sentence, what a configuration left
//! unexpanded, a yes/no property that flips between environments). Imports no lens,
//! so that lenses and the claims registry depend on it and not on each other.

use crate::align::Row;
use crate::model::{Address, Environment, Resource};
use crate::normalize::Context;
use std::collections::BTreeMap;

/// Environments, their contexts and the baseline's position.
pub struct Input<'a> {
    pub envs: &'a [Environment],
    pub contexts: &'a [Context<'a>],
    pub baseline: usize,
}

/// What each environment left unexpanded, by logical address, made once per run: the
/// blocks, and the module calls.
pub(crate) struct Unexpanded {
    per_env: Vec<(Vec<Address>, Vec<Address>)>,
}

impl Unexpanded {
    pub(crate) fn of(input: &Input<'_>) -> Unexpanded {
        let per_env = input
            .envs
            .iter()
            .zip(input.contexts)
            .map(|(env, ctx)| {
                let blocks = env
                    .unexpanded
                    .iter()
                    .map(|(b, _)| ctx.logical(b).into_owned())
                    .collect();
                let modules = env
                    .unexpanded_modules
                    .iter()
                    .map(|(m, _)| ctx.logical(&Address::module_call(m.clone())).into_owned())
                    .collect();
                (blocks, modules)
            })
            .collect();
        Unexpanded { per_env }
    }

    /// Every part environment `k` left, blocks and module calls, by logical address.
    pub(crate) fn parts(&self, k: usize) -> impl Iterator<Item = &Address> {
        self.per_env[k].0.iter().chain(self.per_env[k].1.iter())
    }

    /// Whether environment `k` left the instances at `a` (an instance or a block, written
    /// as any environment writes it) unknown rather than absent: their block or a module
    /// around them was not expanded there. Compared by logical address, so that
    /// `module.app["prod"]` and `module.app["staging"]` are one.
    pub(crate) fn left(&self, input: &Input<'_>, k: usize, a: &Address) -> bool {
        let (blocks, modules) = &self.per_env[k];
        if blocks.is_empty() && modules.is_empty() {
            return false;
        }
        let la = input.contexts[k].logical(a);
        let same_block = |b: &Address| {
            b.mode == la.mode && b.rtype == la.rtype && b.name == la.name && b.module == la.module
        };
        blocks.iter().any(same_block)
            || modules.iter().any(|lm| {
                la.module.len() >= lm.module.len()
                    && la
                        .module
                        .iter()
                        .zip(&lm.module)
                        .all(|(x, y)| x.name == y.name && (y.key.is_none() || x.key == y.key))
            })
    }
}

/// Environment names joined for a sentence: `prod`, `prod and dev`, `a, b and c`.
pub(crate) fn names(envs: &[Environment], ks: &[usize]) -> String {
    let v: Vec<&str> = ks.iter().map(|&k| envs[k].name.as_str()).collect();
    match v.len() {
        0 => String::new(),
        1 => v[0].to_string(),
        _ => format!("{} and {}", v[..v.len() - 1].join(", "), v[v.len() - 1]),
    }
}

/// A yes/no property of one aligned row that differs from the baseline's somewhere.
pub(crate) struct Flip {
    /// Each environment where the property is known, with its word for it.
    pub environments: BTreeMap<String, String>,
    /// The value in each environment that differs from the baseline.
    pub changed: Vec<bool>,
    /// `is <word> in <baseline> but <word> in <env>, …`
    pub sentence: String,
}

/// Reads `state` of `row` in every environment; `None` when the baseline's is unknown or
/// no environment differs from it. `word` names each value in the report.
pub(crate) fn flip(
    input: &Input<'_>,
    row: &Row<'_>,
    state: impl Fn(&Resource) -> Option<bool>,
    word: impl Fn(bool) -> &'static str,
) -> Option<Flip> {
    let b = input.baseline;
    let base = state(&input.envs[b].resources[row.present[b]?])?;
    let mut environments = BTreeMap::new();
    let mut changed = Vec::new();
    let mut parts = Vec::new();
    for (k, p) in row.present.iter().enumerate() {
        let Some(s) = p.and_then(|i| state(&input.envs[k].resources[i])) else {
            continue;
        };
        environments.insert(input.envs[k].name.clone(), word(s).to_string());
        if s != base {
            changed.push(s);
            parts.push(format!("{} in {}", word(s), input.envs[k].name));
        }
    }
    if changed.is_empty() {
        return None;
    }
    Some(Flip {
        environments,
        changed,
        sentence: format!(
            "is {} in {} but {}",
            word(base),
            input.envs[b].name,
            parts.join(", ")
        ),
    })
}
