//! The JSON report (`tfparity/report/v1`), exactly as `contract.md` fixes it. Its own
//! view structs, so a change in the model cannot change the contract by accident.

use super::Report;
use crate::model::{Category, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    tool: JsonTool,
    baseline: &'a str,
    /// False when any part was not compared (`not_compared`).
    complete: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_compared: Vec<JsonNotCompared<'a>>,
    environments: Vec<JsonEnv<'a>>,
    /// Added to the contract's fields: what was taken as by design, declared or learned.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    correspondences: Vec<JsonCorrespondence<'a>>,
    summary: JsonSummary,
    findings: Vec<JsonFinding<'a>>,
    /// Added to the contract's fields: the findings by cause, in report order; every
    /// finding is in one (most alone).
    groups: Vec<JsonGroup<'a>>,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    id: &'a str,
    category: &'a str,
    kind: &'a str,
    /// Its most severe member's.
    severity: &'a str,
    /// What it is about, as reports show it: a member's address (and how many more),
    /// a module instance or call, a resource block.
    subject: &'a str,
    message: &'a str,
    /// The number of members.
    count: usize,
    /// The members' finding ids, in report order.
    members: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonNotCompared<'a> {
    address: &'a str,
    environments: &'a [String],
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonCorrespondence<'a> {
    environment: &'a str,
    from: &'a str,
    to: &'a str,
    kind: &'a str,
    occurrences: usize,
    source: &'a str,
}

#[derive(Serialize)]
struct JsonTool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonEnv<'a> {
    name: &'a str,
    source: JsonSource<'a>,
    resources: usize,
    /// Added to the contract's fields, only when there are any.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

#[derive(Serialize)]
struct JsonSource<'a> {
    kind: &'a str,
    path: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    findings: usize,
    by_severity: BySeverity,
    by_category: ByCategory,
}

#[derive(Serialize)]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

#[derive(Serialize)]
struct ByCategory {
    network: usize,
    firewall: usize,
    discovery: usize,
    resource: usize,
    coverage: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    id: &'a str,
    category: &'a str,
    kind: &'a str,
    severity: &'a str,
    address: String,
    /// Added to the contract's fields: the attribute path, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute: Option<String>,
    environments: &'a BTreeMap<String, String>,
    message: &'a str,
    /// Added to the contract's fields: where the resource is written, per environment
    /// read from a configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    sources: Option<&'a BTreeMap<String, String>>,
    /// Added to the contract's fields: for a resource inside a module, where each
    /// environment's root module calls that module.
    #[serde(skip_serializing_if = "Option::is_none")]
    called_from: Option<&'a BTreeMap<String, String>>,
    /// Added to the contract's fields: the resources that write the difference, per
    /// environment, when not the finding's address alone.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    resources: BTreeMap<&'a str, Vec<String>>,
    /// Added to the contract's fields: the id of the finding's group (`groups`).
    group: &'a str,
}

/// Pretty-printed JSON with a final newline.
pub fn render(r: &Report) -> String {
    let grouping = r.grouping();
    let doc = JsonReport {
        schema: "tfparity/report/v1",
        tool: JsonTool {
            name: "tfparity",
            version: env!("CARGO_PKG_VERSION"),
        },
        baseline: &r.baseline,
        complete: r.complete,
        not_compared: r
            .not_compared
            .iter()
            .map(|p| JsonNotCompared {
                address: &p.address,
                environments: &p.environments,
                reason: &p.reason,
            })
            .collect(),
        environments: r
            .environments
            .iter()
            .map(|e| JsonEnv {
                name: &e.name,
                source: JsonSource {
                    kind: e.kind,
                    path: &e.path,
                },
                resources: e.resources,
                warnings: &e.warnings,
            })
            .collect(),
        correspondences: r
            .correspondences
            .iter()
            .map(|c| JsonCorrespondence {
                environment: &c.environment,
                from: &c.from,
                to: &c.to,
                kind: c.kind,
                occurrences: c.occurrences,
                source: c.source,
            })
            .collect(),
        summary: JsonSummary {
            findings: r.findings.len(),
            by_severity: BySeverity {
                critical: r.count_severity(Severity::Critical),
                high: r.count_severity(Severity::High),
                medium: r.count_severity(Severity::Medium),
                low: r.count_severity(Severity::Low),
                info: r.count_severity(Severity::Info),
            },
            by_category: ByCategory {
                network: r.count_category(Category::Network),
                firewall: r.count_category(Category::Firewall),
                discovery: r.count_category(Category::Discovery),
                resource: r.count_category(Category::Resource),
                coverage: r.count_category(Category::Coverage),
            },
        },
        findings: r
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| JsonFinding {
                id: &f.id,
                category: f.category.as_str(),
                kind: f.kind.as_str(),
                severity: f.severity.as_str(),
                address: f.address.to_string(),
                attribute: f.path.as_ref().map(|p| p.to_string()),
                environments: &f.environments,
                message: &f.message,
                sources: r.sources.get(&f.id),
                called_from: r.called_from.get(&f.id),
                resources: f
                    .resources
                    .iter()
                    .map(|(e, rs)| (e.as_str(), rs.iter().map(ToString::to_string).collect()))
                    .collect(),
                group: grouping.of(i).map(|g| g.id.as_str()).unwrap_or(""),
            })
            .collect(),
        groups: grouping
            .groups
            .iter()
            .map(|g| JsonGroup {
                id: &g.id,
                category: g.category.as_str(),
                kind: g.kind.as_str(),
                severity: g.severity.as_str(),
                subject: &g.address,
                message: &g.message,
                count: g.members.len(),
                members: g
                    .members
                    .iter()
                    .filter_map(|&i| r.findings.get(i).map(|f| f.id.as_str()))
                    .collect(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| String::from("{}"));
    s.push('\n');
    s
}
