//! The SARIF 2.1.0 report, for code-scanning tabs: one rule per kind of finding (within
//! its category), one result per finding with its level from the severity, the stable
//! finding id as a partial fingerprint, and, where an environment was read from a
//! configuration, the place its resource is written.
//!
//! Everything from the input is plain text here, and SARIF gives plain text one piece
//! of markup: an embedded link, `[text](target)` (SARIF 2.1.0, 3.11.6). So square
//! brackets, and the backslash that escapes them, are escaped in every message; control
//! characters are written as escapes ([`super::printable`]); paths are percent-encoded
//! into URIs. See `docs/security.md`, "Output escaping".

use super::{EnvInfo, Report};
use crate::model::{Finding, Kind, Severity};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use std::collections::BTreeMap;

/// The schema the document names.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of the partial fingerprint that carries a finding's stable id.
pub const FINGERPRINT: &str = "tfparityFindingId/v1";

/// The longest value of one environment a result's message shows (the JSON report has
/// them whole).
const VALUE_CHARS: usize = 200;

/// Characters a path keeps as they are in a URI reference: the unreserved ones and `/`.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b':')
    .add(b'@')
    .add(b'!')
    .add(b'$')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b'+')
    .add(b',')
    .add(b';')
    .add(b'=');

/// Text from the input (or the tool's words around it) as a SARIF plain-text message:
/// control characters escaped, and `\`, `[` and `]` escaped with a backslash so that no
/// embedded link can be written by the input.
pub fn text(s: &str) -> String {
    let s = super::printable(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A path as a URI reference: relative paths stay relative (to the directory the run
/// was started in, which is the repository's root in CI), absolute ones become `file://`
/// URIs; every character outside the unreserved set and `/` is percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let encoded = utf8_percent_encode(&path, PATH).to_string();
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// `infra/main.tf:12:3` as its path, line and column.
fn place(at: &str) -> Option<(&str, i64, i64)> {
    let mut parts = at.rsplitn(3, ':');
    let col = parts.next()?.parse::<i64>().ok()?;
    let line = parts.next()?.parse::<i64>().ok()?;
    let path = parts.next()?;
    (line >= 1 && col >= 1 && !path.is_empty()).then_some((path, line, col))
}

fn message(s: impl Into<String>) -> Message {
    Message::builder().text(s.into()).build()
}

fn location(path: &str, line: Option<(i64, i64)>, what: Option<String>) -> Location {
    let artifact = ArtifactLocation::builder().uri(uri(path)).build();
    let physical = match line {
        Some((line, col)) => PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(Region::builder().start_line(line).start_column(col).build())
            .build(),
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    match what {
        Some(m) => Location::builder()
            .physical_location(physical)
            .message(message(m))
            .build(),
        None => Location::builder().physical_location(physical).build(),
    }
}

/// The SARIF level of a severity: `error` for high and critical, `warning` for medium,
/// `note` below.
pub fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

/// What a kind of finding says, for its rule.
fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::Missing => "A resource exists in some environments and not in others.",
        Kind::Attribute => "An attribute's value differs between environments.",
        Kind::Reference => "A resource refers to different things in different environments.",
        Kind::AllowsMore => "A firewall allows more in one environment than in the baseline.",
        Kind::AllowsLess => "A firewall allows less in one environment than in the baseline.",
        Kind::SubnetLayout => "A network's subnets are laid out differently.",
        Kind::NatLayout => "A network's NAT gateways are laid out differently.",
        Kind::SubnetTier => "A subnet is public in one environment and private in another.",
        Kind::ZoneVisibility => "A DNS zone is public in one environment and private in another.",
        Kind::Exposure => "Something is reachable from the internet in one environment only.",
        Kind::Route => "A route table sends traffic differently.",
        Kind::NetworkLinks => "Networks are linked (peering, transit) differently.",
        Kind::Record => "A DNS record differs between environments.",
        Kind::Service => "A discovered service differs between environments.",
        Kind::Listener => "A load balancer listens differently.",
        Kind::WafPolicy => "A web application firewall policy's mode or settings differ.",
        Kind::WafRule => "A web application firewall rule differs.",
        Kind::WafManaged => "A web application firewall's managed rules differ.",
        Kind::NotCompared => "Part of the configuration could not be read, so it was not compared.",
        Kind::CrossEnvironment => {
            "An environment writes another environment's name or identifier where it writes its own everywhere else."
        }
        Kind::KnownAfterApply => {
            "A value is known only after apply in one environment, so it could not be compared."
        }
    }
}

/// The rule id of a finding: `category/kind`.
fn rule_id(f: &Finding) -> String {
    format!("{}/{}", f.category.as_str(), f.kind.as_str())
}

/// `value` cut to [`VALUE_CHARS`] characters.
fn short(value: &str) -> String {
    match value.char_indices().nth(VALUE_CHARS) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

/// Where a finding is: the place its resource is written in the first environment
/// after the baseline that was read from a configuration (then the baseline's), the
/// others as related locations; or, with no configuration, the source file of the
/// first environment the finding names after the baseline.
fn locations(r: &Report, f: &Finding) -> (Vec<Location>, Vec<Location>) {
    let order = |name: &str| (name == r.baseline, name.to_string());
    if let Some(sources) = r.sources.get(&f.id) {
        let mut envs: Vec<(&String, &String)> = sources.iter().collect();
        envs.sort_by_key(|(env, _)| order(env));
        let mut all = envs.into_iter().filter_map(|(env, at)| {
            place(at).map(|(path, line, col)| (env, location(path, Some((line, col)), None)))
        });
        if let Some((_, first)) = all.next() {
            let related = all
                // Environments that share a module write the resource in one place.
                .filter(|(_, l)| l.physical_location != first.physical_location)
                .enumerate()
                .map(|(i, (env, mut l))| {
                    l.id = Some(i as i64 + 1);
                    l.message = Some(message(text(&format!("where {env} writes it"))));
                    l
                })
                .collect();
            return (vec![first], related);
        }
    }
    let mut envs: Vec<&EnvInfo> = r
        .environments
        .iter()
        .filter(|e| f.environments.contains_key(&e.name) && !e.path.is_empty() && e.path != "-")
        .collect();
    envs.sort_by_key(|e| order(&e.name));
    let primary = envs
        .first()
        .map(|e| vec![location(&e.path, None, None)])
        .unwrap_or_default();
    (primary, Vec::new())
}

fn result(r: &Report, f: &Finding, group: Option<&str>, rule_index: i64) -> SarifResult {
    let address = f.address.to_string();
    let mut said = if f.message.contains(&address) {
        text(&f.message)
    } else {
        text(&format!("{address}: {}", f.message))
    };
    for (env, value) in &f.environments {
        said.push('\n');
        said.push_str(&text(&format!("{env}: {}", short(value))));
    }
    let (mut primary, related) = locations(r, f);
    let logical = LogicalLocation::builder()
        .fully_qualified_name(address)
        .kind("resource")
        .build();
    match primary.first_mut() {
        Some(l) => l.logical_locations = Some(vec![logical]),
        None => primary.push(Location::builder().logical_locations(vec![logical]).build()),
    }
    let mut properties = BTreeMap::new();
    properties.insert("severity".into(), f.severity.as_str().into());
    properties.insert("category".into(), f.category.as_str().into());
    properties.insert("kind".into(), f.kind.as_str().into());
    if let Some(p) = &f.path {
        properties.insert("attribute".into(), p.to_string().into());
    }
    properties.insert(
        "environments".into(),
        serde_json::to_value(&f.environments).unwrap_or_default(),
    );
    if let Some(g) = group {
        properties.insert("group".into(), g.into());
    }
    if !f.resources.is_empty() {
        let resources: BTreeMap<&str, Vec<String>> = f
            .resources
            .iter()
            .map(|(e, rs)| (e.as_str(), rs.iter().map(ToString::to_string).collect()))
            .collect();
        properties.insert(
            "resources".into(),
            serde_json::to_value(resources).unwrap_or_default(),
        );
    }
    let base = SarifResult::builder()
        .rule_id(rule_id(f))
        .rule_index(rule_index)
        .level(level(f.severity))
        .message(message(said))
        .locations(primary)
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT.to_string(), f.id.clone())]))
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        );
    if related.is_empty() {
        base.build()
    } else {
        let mut built = base.build();
        built.related_locations = Some(related);
        built
    }
}

/// The SARIF log, pretty-printed with a final newline.
pub fn render(r: &Report) -> String {
    // One rule per category and kind found, in a fixed order.
    let mut rules: BTreeMap<String, &Finding> = BTreeMap::new();
    for f in &r.findings {
        rules.entry(rule_id(f)).or_insert(f);
    }
    let index: BTreeMap<&str, i64> = rules
        .keys()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i as i64))
        .collect();
    let descriptors: Vec<ReportingDescriptor> = rules
        .iter()
        .map(|(id, f)| {
            ReportingDescriptor::builder()
                .id(id.clone())
                .name(id.replace(['/', '-'], "_"))
                .short_description(
                    MultiformatMessageString::builder()
                        .text(describe(f.kind))
                        .build(),
                )
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(serde_json::Value::from("warning"))
                        .build(),
                )
                .properties(
                    PropertyBag::builder()
                        .tags(vec!["parity".to_string(), f.category.as_str().to_string()])
                        .build(),
                )
                .build()
        })
        .collect();
    let grouping = r.grouping();
    let results: Vec<SarifResult> = r
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let group = grouping.of(i).map(|g| g.id.as_str());
            let rule = index.get(rule_id(f).as_str()).copied().unwrap_or(0);
            result(r, f, group, rule)
        })
        .collect();
    // What was not compared is said where a reader of the run looks for trouble.
    let notes: Vec<Notification> = r
        .banner()
        .iter()
        .map(|line| {
            Notification::builder()
                .message(message(text(line)))
                .level(serde_json::Value::from("warning"))
                .build()
        })
        .collect();
    let invocation = if notes.is_empty() {
        Invocation::builder().execution_successful(true).build()
    } else {
        Invocation::builder()
            .execution_successful(true)
            .tool_execution_notifications(notes)
            .build()
    };
    let driver = ToolComponent::builder()
        .name("tfparity")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(descriptors)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| String::from("{}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::markdown::tests::{report, HOSTILE};

    /// Every message text of a SARIF log.
    fn messages(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("message" | "shortDescription", serde_json::Value::Object(msg)) => {
                            if let Some(t) = msg.get("text").and_then(|t| t.as_str()) {
                                out.push(t.to_string());
                            }
                        }
                        _ => messages(v, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| messages(v, out)),
            _ => {}
        }
    }

    /// Whether `s` has a square bracket no backslash escapes.
    fn bare_bracket(s: &str) -> bool {
        let mut escaped = false;
        for c in s.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '[' || c == ']' {
                return true;
            }
        }
        false
    }

    #[test]
    fn values_from_the_input_write_no_link_and_no_control_character() -> crate::TestResult {
        let mut r = report()?;
        // Places too, with every character a path can hold.
        for f in &r.findings {
            r.sources.insert(
                f.id.clone(),
                [
                    ("staging".to_string(), format!("{}/main.tf:3:1", HOSTILE[0])),
                    (
                        "prod [x](https://e.example)".to_string(),
                        "a b/#?%.tf:9:2".into(),
                    ),
                ]
                .into(),
            );
        }
        let out = render(&r);
        let doc: serde_json::Value = serde_json::from_str(&out)?;
        let mut all = Vec::new();
        messages(&doc, &mut all);
        assert!(all.len() > 2 * HOSTILE.len(), "{all:?}");
        for m in &all {
            assert!(!bare_bracket(m), "{m:?}");
            assert!(!m.chars().any(|c| c.is_control() && c != '\n'), "{m:?}");
        }
        // The input is all there, escaped: a reader sees what it was.
        assert!(
            all.iter()
                .any(|m| m.contains(r"!\[img\](https://evil.example/pixel.png)")),
            "{all:?}"
        );
        // Paths are URI references: nothing outside the unreserved set and `/`.
        let uris: Vec<&str> = out
            .lines()
            .filter_map(|l| l.trim().strip_prefix("\"uri\": \""))
            .collect();
        assert!(!uris.is_empty());
        for u in uris {
            let u = u.trim_end_matches(['"', ',']);
            assert!(
                u.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~/%".contains(c)),
                "{u}"
            );
        }
        assert!(out.contains("\"uri\": \"a%20b/%23%3F%25.tf\""), "{out}");
        Ok(())
    }

    #[test]
    fn escapes_and_places_are_read_back() {
        assert_eq!(text(r"a[b](c)\d"), r"a\[b\](c)\\d");
        assert_eq!(text("bell\u{7}"), r"bell\\u{7}");
        assert_eq!(uri("/abs/x y.tf"), "file:///abs/x%20y.tf");
        assert_eq!(uri(r"dir\x.tf"), "dir/x.tf");
        assert_eq!(place("a:b/main.tf:12:3"), Some(("a:b/main.tf", 12, 3)));
        assert_eq!(place("main.tf:0:3"), None);
        assert_eq!(place("main.tf"), None);
    }

    #[test]
    fn levels_follow_severity() {
        assert!(matches!(level(Severity::Critical), ResultLevel::Error));
        assert!(matches!(level(Severity::High), ResultLevel::Error));
        assert!(matches!(level(Severity::Medium), ResultLevel::Warning));
        assert!(matches!(level(Severity::Low), ResultLevel::Note));
        assert!(matches!(level(Severity::Info), ResultLevel::Note));
    }
}
