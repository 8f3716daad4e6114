//! The coverage lens: what could not be compared, said as findings, so that a partial
//! comparison is never passed off as a complete one. A module call not read (its source
//! could not be had), a resource block or module call whose `count` / `for_each` is known
//! only after apply (wholly, or some of its keys), and one that may exist in an
//! environment (its count known only after apply) but not in another. Makes findings and
//! the list of parts not compared; never prints.

use super::catalog::category_of;
use super::input::{names, Input};
use super::severity;
use crate::model::{
    Address, AttrPath, Category, Environment, Finding, Kind, Mode, NotCompared, NotExpanded,
    PathStep,
};
use std::collections::{BTreeMap, HashMap};

/// A block or module call some environment left unexpanded or unread.
struct Part {
    /// Its address as first seen (the baseline's first).
    shown: Address,
    /// Why each environment left it, if it did.
    why: Vec<Option<NotExpanded>>,
    /// Instances (of a block) or resources (inside a module call) each environment has.
    count: Vec<usize>,
    /// Each environment where it lies inside a module left unexpanded there.
    enclosed: Vec<bool>,
    /// Each environment where, a module call, it holds parts left unexpanded there.
    holds: Vec<bool>,
}

/// Whether module path `inner` lies inside the module call `outer` (any instance of it).
fn within(inner: &[crate::model::ModuleStep], outer: &[crate::model::ModuleStep]) -> bool {
    inner.len() >= outer.len()
        && inner
            .iter()
            .zip(outer)
            .all(|(x, y)| x.name == y.name && (y.key.is_none() || x.key == y.key))
}

/// The coverage findings, and every part not compared.
pub fn findings(input: &Input<'_>) -> (Vec<Finding>, Vec<NotCompared>) {
    let mut parts = parts(input);
    let envs = input.envs;
    // Inside a module another part leaves unexpanded there, or a module holding parts
    // left unexpanded there: not absent either.
    let left = super::input::Unexpanded::of(input);
    for (logical, part) in parts.iter_mut() {
        for k in 0..envs.len() {
            if part.why[k].is_some() || part.count[k] > 0 {
                continue;
            }
            part.enclosed[k] = left.left(input, k, &part.shown);
            part.holds[k] = logical.is_module_call()
                && left
                    .parts(k)
                    .any(|a| a != logical && within(&a.module, &logical.module));
        }
    }
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for (logical, part) in &parts {
        let left: Vec<usize> = (0..envs.len()).filter(|&k| part.why[k].is_some()).collect();
        let Some(&first) = left.first() else { continue };
        let why = |k: usize| part.why[k].as_ref();
        missing.push(NotCompared {
            address: part.shown.to_string(),
            environments: left.iter().map(|&k| envs[k].name.clone()).collect(),
            reason: why(first).map(NotExpanded::reason).unwrap_or_default(),
        });
        let environments = envs
            .iter()
            .enumerate()
            .map(|(k, e)| (e.name.clone(), cell(part, k)))
            .collect();
        let unread: Vec<usize> = left
            .iter()
            .copied()
            .filter(|&k| matches!(why(k), Some(NotExpanded::Source(_))))
            .collect();
        let unknown: Vec<usize> = left
            .iter()
            .copied()
            .filter(|&k| matches!(why(k), Some(NotExpanded::Count | NotExpanded::ForEach)))
            .collect();
        let absent: Vec<usize> = (0..envs.len())
            .filter(|&k| {
                why(k).is_none() && part.count[k] == 0 && !part.enclosed[k] && !part.holds[k]
            })
            .collect();
        let what = if part.shown.is_module_call() {
            format!("{} (everything inside it)", part.shown)
        } else {
            part.shown.to_string()
        };
        if !unread.is_empty() {
            let reason = why(unread[0]).map(NotExpanded::reason).unwrap_or_default();
            out.push(not_compared(
                logical,
                &part.shown,
                true,
                environments,
                format!(
                    "{} was not read in {}: {reason}. Nothing inside it is compared.",
                    part.shown,
                    names(envs, &unread)
                ),
            ));
        } else if !unknown.is_empty() && !absent.is_empty() {
            // It may exist where its count is unknown: report it as a missing block
            // would be, saying that it may.
            let (category, mode) = if part.shown.is_module_call() {
                (Category::Resource, Mode::Managed)
            } else {
                (category_of(&part.shown.rtype), part.shown.mode)
            };
            let reason = why(unknown[0]).map(NotExpanded::reason).unwrap_or_default();
            out.push(Finding {
                resources: Default::default(),
                differing: Default::default(),
                id: Finding::stable_id(
                    category,
                    Kind::Missing,
                    logical,
                    Some(&AttrPath(vec![PathStep::Key("(may exist)".into())])),
                ),
                category,
                kind: Kind::Missing,
                severity: severity::generic(category, Kind::Missing, mode, None),
                address: part.shown.clone(),
                path: None,
                environments,
                message: format!(
                    "{what} may exist in {} ({reason}) but not in {}.",
                    names(envs, &unknown),
                    names(envs, &absent)
                ),
            });
        } else {
            let reason = why(first).map(NotExpanded::reason).unwrap_or_default();
            let partly = matches!(why(first), Some(NotExpanded::SomeKeys));
            let rest = if partly {
                "; its instances with known keys are compared, the others are not"
            } else {
                ""
            };
            out.push(not_compared(
                logical,
                &part.shown,
                false,
                environments,
                format!(
                    "{what} is not compared in {}: {reason}{rest}.",
                    names(envs, &left)
                ),
            ));
        }
    }
    (out, missing)
}

/// A coverage finding about `shown`.
fn not_compared(
    logical: &Address,
    shown: &Address,
    module_not_read: bool,
    environments: BTreeMap<String, String>,
    message: String,
) -> Finding {
    Finding {
        resources: Default::default(),
        differing: Default::default(),
        id: Finding::stable_id(Category::Coverage, Kind::NotCompared, logical, None),
        category: Category::Coverage,
        kind: Kind::NotCompared,
        severity: severity::not_compared(module_not_read),
        address: shown.clone(),
        path: None,
        environments,
        message,
    }
}

/// What environment `k` has of `part`, for the report.
fn cell(part: &Part, k: usize) -> String {
    let n = part.count[k];
    let unit = if part.shown.is_module_call() {
        "resource"
    } else {
        "instance"
    };
    let counted = match n {
        1 => format!("1 {unit}"),
        n => format!("{n} {unit}s"),
    };
    match &part.why[k] {
        Some(NotExpanded::Source(_)) => "not read".to_string(),
        Some(NotExpanded::Count) => "not expanded (count known only after apply)".to_string(),
        Some(NotExpanded::ForEach) => "not expanded (for_each known only after apply)".to_string(),
        Some(NotExpanded::SomeKeys) => {
            format!("{counted}, and keys known only after apply")
        }
        None if part.enclosed[k] => "inside a module not expanded".to_string(),
        None if part.holds[k] => format!("{counted}, and parts not expanded"),
        None if n == 0 => "absent".to_string(),
        None => counted,
    }
}

/// Every part some environment left, by logical address, with what each environment
/// has of it.
fn parts(input: &Input<'_>) -> BTreeMap<Address, Part> {
    let envs = input.envs;
    let mut parts: BTreeMap<Address, Part> = BTreeMap::new();
    let mut order: Vec<usize> = (0..envs.len()).collect();
    order.sort_by_key(|&k| k != input.baseline);
    for &k in &order {
        let ctx = &input.contexts[k];
        let left = envs[k]
            .unexpanded
            .iter()
            .map(|(a, why)| (a.clone(), why))
            .chain(
                envs[k]
                    .unexpanded_modules
                    .iter()
                    .map(|(m, why)| (Address::module_call(m.clone()), why)),
            );
        for (a, why) in left {
            let part = parts
                .entry(ctx.logical(&a).into_owned())
                .or_insert_with(|| Part {
                    shown: a.clone(),
                    why: vec![None; envs.len()],
                    count: vec![0; envs.len()],
                    enclosed: vec![false; envs.len()],
                    holds: vec![false; envs.len()],
                });
            part.why[k] = Some(why.clone());
        }
    }
    if parts.is_empty() {
        return parts;
    }
    for k in 0..envs.len() {
        count(input, k, &mut parts);
    }
    parts
}

/// Counts, in environment `k`, the instances of each block part and the resources
/// inside each module part. Each resource is looked up by its own block and by each
/// module around it: linear in the resources, whatever the number of parts.
fn count(input: &Input<'_>, k: usize, parts: &mut BTreeMap<Address, Part>) {
    let env: &Environment = &input.envs[k];
    let ctx = &input.contexts[k];
    let blocks: std::collections::HashSet<(&str, &str)> = parts
        .keys()
        .filter(|a| !a.is_module_call())
        .map(|a| (a.rtype.as_str(), a.name.as_str()))
        .collect();
    let max_depth = parts
        .keys()
        .filter(|a| a.is_module_call())
        .map(|a| a.module.len())
        .max()
        .unwrap_or(0);
    let mut hits: HashMap<Address, usize> = HashMap::new();
    for r in &env.resources {
        let a = &r.address;
        if blocks.contains(&(a.rtype.as_str(), a.name.as_str())) {
            *hits
                .entry(ctx.logical(&a.block()).into_owned())
                .or_default() += 1;
        }
        if max_depth == 0 || a.module.is_empty() {
            continue;
        }
        let logical = ctx.logical(a);
        for d in 1..=logical.module.len().min(max_depth) {
            let mut path = logical.module[..d].to_vec();
            path[d - 1].key = None;
            let call = Address::module_call(path);
            if parts.contains_key(&call) {
                *hits.entry(call).or_default() += 1;
            }
        }
    }
    for (a, n) in hits {
        if let Some(p) = parts.get_mut(&a) {
            p.count[k] = n;
        }
    }
}
