//! Reports: the result of a comparison as data, and one renderer per format. Renderers
//! turn findings into text; they never compute a new fact.

pub mod groups;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;

use crate::model::{Category, Finding, Severity};

/// How many parts not compared a report's banner names.
pub const BANNER_PARTS: usize = 20;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Markdown,
    /// SARIF 2.1.0, for code-scanning tabs.
    Sarif,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Table, Format::Json, Format::Markdown, Format::Sarif];
}

/// One compared environment as the report describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvInfo {
    pub name: String,
    /// `state`, `show-state`, `plan` or `hcl`.
    pub kind: &'static str,
    pub path: String,
    pub resources: usize,
    /// What its source could not read fully (an HCL block left unexpanded).
    pub warnings: Vec<String>,
}

/// Everything a renderer needs.
#[derive(Debug, Clone)]
pub struct Report {
    pub baseline: String,
    pub environments: Vec<EnvInfo>,
    /// Sorted (category, address, kind, path).
    pub findings: Vec<Finding>,
    /// Every part of the configuration was compared: no module left unread, no block
    /// left unexpanded. When false, `not_compared` says what was not, and coverage
    /// findings report it.
    pub complete: bool,
    /// The parts not compared, in address order.
    pub not_compared: Vec<crate::model::NotCompared>,
    /// Where a finding's resource is written, per environment read from a configuration
    /// (`infra/main.tf:12:1`), by finding id.
    pub sources: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// For a finding inside a module, where each environment's root module calls that
    /// module (`envs/staging/main.tf:60:1`), by finding id.
    pub called_from: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// The findings by cause: what table and Markdown show one row each of.
    pub grouping: groups::Grouping,
    /// What each environment writes where the baseline writes something else, declared
    /// or learned, and taken as by design: so a reviewer can check what was assumed.
    pub correspondences: Vec<CorrespondenceInfo>,
}

/// One correspondence as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrespondenceInfo {
    /// The environment whose `to` corresponds to the baseline's `from`.
    pub environment: String,
    pub from: String,
    pub to: String,
    /// `token`, `account` or `identifier`.
    pub kind: &'static str,
    pub occurrences: usize,
    /// `declared` or `learned`.
    pub source: &'static str,
}

impl CorrespondenceInfo {
    /// `pd → ts (staging, token, learned from 4 instances)`.
    pub fn line(&self, baseline: &str) -> String {
        format!(
            "{baseline} {} = {} {} ({}, {} from {} instance{})",
            self.from,
            self.environment,
            self.to,
            self.kind,
            self.source,
            self.occurrences,
            if self.occurrences == 1 { "" } else { "s" }
        )
    }
}

impl Report {
    /// The lines that say what was taken as by design beyond the environments' own
    /// names: learned words and accounts, declared aliases, and how many identifiers
    /// (the JSON report lists every one). Empty when there is nothing to say.
    pub fn assumed(&self) -> Vec<String> {
        let shown: Vec<&CorrespondenceInfo> = self
            .correspondences
            .iter()
            .filter(|c| c.kind != "identifier")
            // The environments' names standing for each other needs no saying.
            .filter(|c| {
                !(c.source == "declared"
                    && c.from.eq_ignore_ascii_case(&self.baseline)
                    && c.to.eq_ignore_ascii_case(&c.environment))
            })
            .collect();
        let ids = self
            .correspondences
            .iter()
            .filter(|c| c.kind == "identifier")
            .count();
        if shown.is_empty() && ids == 0 {
            return Vec::new();
        }
        let mut lines = vec!["Taken as by design (JSON `correspondences` lists each):".to_string()];
        lines.extend(shown.iter().map(|c| c.line(&self.baseline)));
        if ids > 0 {
            lines.push(format!(
                "{ids} identifier{}, each environment's own (networks, zones, subnets)",
                if ids == 1 { "" } else { "s" }
            ));
        }
        lines
    }

    pub fn count_severity(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }

    pub fn count_category(&self, c: Category) -> usize {
        self.findings.iter().filter(|f| f.category == c).count()
    }

    /// The lines that open a report of a partial comparison: what was not compared, at
    /// most [`BANNER_PARTS`] parts named. Empty when everything was compared.
    pub fn banner(&self) -> Vec<String> {
        if self.complete {
            return Vec::new();
        }
        let n = self.not_compared.len();
        let mut lines = vec![format!(
            "INCOMPLETE: {n} part{} of the configuration {} not compared; the findings cover only what was read:",
            if n == 1 { "" } else { "s" },
            if n == 1 { "was" } else { "were" },
        )];
        for p in self.not_compared.iter().take(BANNER_PARTS) {
            lines.push(format!(
                "{} in {}: {}",
                p.address,
                p.environments.join(", "),
                p.reason
            ));
        }
        if n > BANNER_PARTS {
            lines.push(format!(
                "… and {} more (see the coverage findings)",
                n - BANNER_PARTS
            ));
        }
        lines
    }

    /// `9 findings: 1 critical, 1 high, 2 medium, 5 low, 0 info`, and `9 findings in 4
    /// groups: …` where findings share causes.
    pub fn summary_line(&self) -> String {
        if self.findings.is_empty() && !self.complete {
            return "No differences in what was compared, but the comparison is incomplete."
                .to_string();
        }
        if self.findings.is_empty() {
            let others: Vec<&str> = self
                .environments
                .iter()
                .filter(|e| e.name != self.baseline)
                .map(|e| e.name.as_str())
                .collect();
            return format!(
                "No differences: {} built the same way as {}.",
                others.join(", "),
                self.baseline
            );
        }
        let n = self.findings.len();
        let parts: Vec<String> = Severity::DESCENDING
            .iter()
            .map(|s| format!("{} {}", self.count_severity(*s), s))
            .collect();
        // Findings with one cause are one row: say how many rows stand for them.
        let groups = self.grouping().groups.len();
        let grouped = if groups < n {
            format!(" in {groups} group{}", if groups == 1 { "" } else { "s" })
        } else {
            String::new()
        };
        format!(
            "{n} finding{}{grouped}: {}",
            if n == 1 { "" } else { "s" },
            parts.join(", ")
        )
    }

    /// The findings by cause: the grouping made for the report, or (for a report built
    /// without one) every finding alone.
    pub fn grouping(&self) -> std::borrow::Cow<'_, groups::Grouping> {
        if self.grouping.of.len() == self.findings.len() {
            std::borrow::Cow::Borrowed(&self.grouping)
        } else {
            std::borrow::Cow::Owned(groups::Grouping::singletons(&self.findings))
        }
    }

    /// How many findings a section of `groups` holds: `8`, or `8 findings in 5 groups`
    /// where findings share causes.
    pub fn section_count(groups: &[&groups::Group]) -> String {
        let n: usize = groups.iter().map(|g| g.members.len()).sum();
        if n == groups.len() {
            n.to_string()
        } else {
            let g = groups.len();
            format!("{n} findings in {g} group{}", if g == 1 { "" } else { "s" })
        }
    }

    /// The attribute a finding is about, or its kind when it is about a whole instance.
    pub fn what(f: &Finding) -> String {
        match &f.path {
            Some(p) => p.to_string(),
            None => f.kind.as_str().to_string(),
        }
    }
}

/// The resources that write a finding's difference, as the reports show them: one
/// list when every environment names the same addresses, else one per environment
/// (`prod: aws_route_table.private; staging: aws_route.default`). Empty when the
/// finding names none.
pub fn written_by(f: &Finding) -> Vec<(Option<&str>, Vec<String>)> {
    let lists: Vec<(&str, Vec<String>)> = f
        .resources
        .iter()
        .map(|(env, rs)| (env.as_str(), rs.iter().map(ToString::to_string).collect()))
        .collect();
    match lists.split_first() {
        None => Vec::new(),
        Some((first, rest)) if rest.iter().all(|(_, l)| *l == first.1) => {
            vec![(None, first.1.clone())]
        }
        Some(_) => lists.into_iter().map(|(e, l)| (Some(e), l)).collect(),
    }
}

/// Text safe to put on a terminal or in Markdown: control characters (an escape
/// sequence in a value could rewrite the screen) are written as `\u{..}` escapes.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A message for standard error (a warning, an error) as a CI log may show it: control
/// characters escaped as [`printable`] does, line breaks kept, and every line after the
/// first indented, so that nothing from the input starts a line of the log (a CI runner
/// reads a line starting with `::` as a command: `::add-mask::`, `::error …::`).
pub fn log_text(s: &str) -> String {
    s.split('\n')
        .map(|line| printable(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n  ")
}

/// `1 resource`, `2 resources`.
pub fn resources(n: usize) -> String {
    format!("{n} resource{}", if n == 1 { "" } else { "s" })
}

/// Renders a report. `color` and `terminal` (fit the terminal's width) only affect the
/// table.
pub fn render(report: &Report, format: Format, color: bool, terminal: bool) -> String {
    match format {
        Format::Table => table::render(report, color, terminal),
        Format::Json => json::render(report),
        Format::Markdown => markdown::render(report),
        Format::Sarif => sarif::render(report),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_and_terminals_get_text_not_commands() {
        assert_eq!(
            log_text("bad value\n::add-mask::x\u{1b}[2J\r\nend"),
            "bad value\n  ::add-mask::x\\u{1b}[2J\\u{d}\n  end"
        );
        assert_eq!(log_text("one line"), "one line");
        assert_eq!(printable("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        // An environment named with an escape sequence (a directory's name).
        let name = "prod\u{1b}]0;owned\u{7}";
        let r = Report {
            baseline: name.to_string(),
            environments: vec![EnvInfo {
                name: name.to_string(),
                kind: "hcl",
                path: format!("envs/{name}"),
                resources: 0,
                warnings: Vec::new(),
            }],
            findings: Vec::new(),
            complete: true,
            not_compared: Vec::new(),
            sources: Default::default(),
            called_from: Default::default(),
            grouping: Default::default(),
            correspondences: Vec::new(),
        };
        for format in Format::ALL {
            let out = render(&r, format, false, false);
            assert!(!out.contains(['\u{1b}', '\u{7}']), "{format:?}: {out:?}");
        }
    }
}
