//! The Markdown report, to paste into a review: a summary, then one table per category.
//! Everything from the input (environment names, addresses, values, messages, reasons)
//! is written so that it reads as text and nothing else: no markup, HTML, link,
//! mention or table cell of its own (see `docs/security.md`, "Output escaping").

use super::Report;
use crate::model::Category;

/// Text from the input as Markdown that reads as that text and nothing else: every
/// character that can open Markdown, HTML, a table cell, math or an emoji written as
/// an HTML entity (structural characters written so are literal text in CommonMark),
/// line breaks as spaces, control characters as escapes; and what GitHub would turn
/// into a link or a notification on its own (`https://…`, `www.…`, `a@b.c`,
/// `@user`, `#1`) split by `<wbr>`, an invisible break that ends the text it is in.
fn text(s: &str) -> String {
    let s = super::printable(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 16);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        match c {
            '\n' | '\r' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // A link (`https://`), a mention (`@user`, `a@b.c`), an issue (`#1`): broken
            // where it starts.
            '@' => out.push_str("&#64;<wbr>"),
            ':' if next == '/' => out.push_str("&#58;<wbr>"),
            '#' if next.is_alphanumeric() => out.push_str("&#35;<wbr>"),
            // `www.example.com` is a link without a scheme.
            '.' if i >= 3 && chars[i - 3..i].iter().all(|p| p.eq_ignore_ascii_case(&'w')) => {
                out.push_str("&#46;<wbr>");
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '!' | '|' | '~' | '$' | '#' => {
                out.push_str(&format!("&#{};", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// A value or an address: [`text`] in `<code>`.
fn code(s: &str) -> String {
    format!("<code>{}</code>", text(s))
}

/// A sentence of the report (a finding's message, a reason) made of the tool's words
/// and values from the input, the parts between backticks shown as code: every part
/// is [`text`], whatever backticks a value brought in.
fn prose(s: &str) -> String {
    s.split('`')
        .enumerate()
        .map(|(i, part)| match i % 2 {
            1 if !part.is_empty() => code(part),
            _ => text(part),
        })
        .collect()
}

/// A finding's address, then the resources that write it when they are others:
/// `written by aws_lb_listener.https`, or one line per environment (`… in staging`).
fn address_cell(f: &crate::model::Finding) -> String {
    let mut out = code(&f.address.to_string());
    for (env, rs) in super::written_by(f) {
        let list: Vec<String> = rs.iter().map(|a| code(a)).collect();
        out.push_str(&format!("<br>written by {}", list.join(", ")));
        if let Some(e) = env {
            out.push_str(&format!(" in {}", text(e)));
        }
    }
    out
}

/// How many members a group's `<details>` lists; the JSON report has every one.
const DETAILS: usize = 100;

/// A group's members behind `<details>`, one a line: address and what differs there.
fn members(r: &Report, all: &[usize]) -> String {
    let mut lines: Vec<String> = all
        .iter()
        .take(DETAILS)
        .map(|&i| {
            let f = &r.findings[i];
            format!(
                "{} {}",
                code(&f.address.to_string()),
                text(&Report::what(f))
            )
        })
        .collect();
    if all.len() > DETAILS {
        lines.push(format!(
            "… and {} more (the JSON report lists every finding)",
            all.len() - DETAILS
        ));
    }
    format!(
        "<details><summary>{} findings</summary>{}</details>",
        all.len(),
        lines.join("<br>")
    )
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    out.push_str("# tfparity report\n\n");
    out.push_str(&format!("Baseline: **{}**\n\n", text(&r.baseline)));
    out.push_str("| environment | source | resources |\n|---|---|---:|\n");
    for e in &r.environments {
        out.push_str(&format!(
            "| {} | {} {} | {} |\n",
            text(&e.name),
            e.kind,
            code(&e.path),
            e.resources
        ));
    }
    if let Some((head, lines)) = r.assumed().split_first() {
        out.push_str(&format!(
            "\n<details><summary>{}</summary>\n\n",
            prose(head)
        ));
        for l in lines {
            out.push_str(&format!("- {}\n", prose(l)));
        }
        out.push_str("\n</details>\n");
    }
    let banner = r.banner();
    if let Some((head, parts)) = banner.split_first() {
        out.push_str(&format!("\n> [!WARNING]\n> **{}**\n", text(head)));
        for p in parts {
            out.push_str(&format!("> - {}\n", prose(p)));
        }
    }
    out.push_str(&format!("\n**{}**\n", text(&r.summary_line())));
    let names: Vec<&str> = r.environments.iter().map(|e| e.name.as_str()).collect();
    let grouping = r.grouping();
    for cat in Category::ALL {
        let gs: Vec<_> = grouping
            .groups
            .iter()
            .filter(|g| g.category == cat)
            .collect();
        if gs.is_empty() {
            continue;
        }
        let title = cat.as_str();
        let mut t = title.chars();
        let title = t
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + t.as_str())
            .unwrap_or_default();
        out.push_str(&format!(
            "\n## {title} ({})\n\n",
            Report::section_count(&gs)
        ));
        out.push_str("| severity | address | difference |");
        for n in &names {
            if *n == r.baseline {
                out.push_str(&format!(" {} (baseline) |", text(n)));
            } else {
                out.push_str(&format!(" {} |", text(n)));
            }
        }
        out.push_str("\n|---|---|---|");
        for _ in &names {
            out.push_str("---|");
        }
        out.push('\n');
        for g in gs {
            // One row per group; a group of many lists its members behind a
            // `<details>`, so that a review shows the cause first.
            let (address, said, values) = match g.members.as_slice() {
                [i] => {
                    let f = &r.findings[*i];
                    (address_cell(f), prose(&f.message), &f.environments)
                }
                all => (
                    format!("{}<br>{} findings", code(&g.address), all.len()),
                    format!("{}{}", prose(&g.message), members(r, all)),
                    &g.environments,
                ),
            };
            out.push_str(&format!("| {} | {address} | {said} |", g.severity));
            for n in &names {
                let v = values.get(*n).map(String::as_str).unwrap_or("");
                out.push_str(&format!(
                    " {} |",
                    if v.is_empty() { String::new() } else { code(v) }
                ));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Address, Finding, Kind, NotCompared, Severity};
    use crate::report::EnvInfo;

    /// Markup a value from the input could bring into a report posted as a comment.
    pub(crate) const HOSTILE: &[&str] = &[
        "![img](https://evil.example/pixel.png)",
        "[click](https://evil.example/)",
        "<img src=x onerror=alert(1)>",
        "<a href=\"https://evil.example\">x</a>",
        "https://evil.example/autolink",
        "www.evil.example",
        "mail me@evil.example",
        "@octocat and @org/team",
        "see #1",
        "**bold** _it_ ~~del~~ `code`",
        "| pipe | row |",
        "$x^2$",
        "line\nbreak\r\n# heading",
        "\\[escaped\\]",
        "&#60;img&#62;",
    ];

    pub(crate) fn report() -> crate::TestResult<Report> {
        let env = |name: &str| EnvInfo {
            name: name.to_string(),
            kind: "hcl",
            path: format!("envs/{name}"),
            resources: 1,
            warnings: HOSTILE.iter().map(|s| s.to_string()).collect(),
        };
        let mut findings = Vec::new();
        for (i, h) in HOSTILE.iter().enumerate() {
            let address = Address::parse(&format!("aws_x.r[{}]", serde_json::to_string(h)?))?;
            // Written by resources whose keys are hostile, differently per environment.
            let writer = Address::parse(&format!("aws_y.w[{}]", serde_json::to_string(h)?))?;
            findings.push(Finding {
                resources: [
                    (
                        "prod [x](https://e.example)".to_string(),
                        vec![writer.clone()],
                    ),
                    ("staging".to_string(), vec![address.clone(), writer]),
                ]
                .into(),
                differing: Default::default(),
                id: format!("{i}"),
                category: Category::Resource,
                kind: Kind::Attribute,
                severity: Severity::Low,
                address,
                path: None,
                environments: [
                    ("prod [x](https://e.example)".to_string(), h.to_string()),
                    ("staging".to_string(), format!("{h} {h}")),
                ]
                .into(),
                message: format!("`tags[{h:?}]` differs: prod has {h}, staging has `{h}`."),
            });
        }
        Ok(Report {
            baseline: "prod [x](https://e.example)".to_string(),
            environments: vec![env("prod [x](https://e.example)"), env("staging")],
            complete: false,
            not_compared: HOSTILE
                .iter()
                .map(|h| NotCompared {
                    address: format!("module.m[{h:?}]"),
                    environments: vec!["staging".to_string()],
                    reason: h.to_string(),
                })
                .collect(),
            sources: Default::default(),
            called_from: Default::default(),
            grouping: hostile_grouping(&findings),
            findings,
            correspondences: Vec::new(),
        })
    }

    /// Every finding alone, and then the last ones again as one group whose every word
    /// comes from the input.
    fn hostile_grouping(findings: &[Finding]) -> crate::report::groups::Grouping {
        let mut g = crate::report::groups::Grouping::singletons(findings);
        let n = findings.len();
        let members: Vec<usize> = (n / 2..n).collect();
        g.groups.truncate(n / 2);
        g.groups.push(crate::report::groups::Group {
            id: "g".to_string(),
            category: Category::Resource,
            kind: Kind::Attribute,
            severity: Severity::Low,
            address: HOSTILE.join(" "),
            what: HOSTILE.join(" "),
            environments: [("staging".to_string(), HOSTILE.join(" "))].into(),
            message: format!("`{}` and {}", HOSTILE.join(" "), HOSTILE.join(" ")),
            members: members.clone(),
        });
        for i in members {
            g.of[i] = n / 2;
        }
        g
    }

    #[test]
    fn values_from_the_input_add_no_markup() -> crate::TestResult {
        let out = render(&report()?);
        // Nothing of the input is read as Markdown, HTML, a link, a mention or math.
        for bad in [
            "![",
            "](",
            "<img",
            "<a ",
            "https://",
            "http://",
            "www.",
            "@octocat",
            "@org",
            "me@",
            "see #1",
            "**bold",
            "_it_",
            "~~del",
            "`code",
            "$x",
            "\\[",
            "&#60;img",
            "# heading",
        ] {
            assert!(!out.contains(bad), "{bad:?} in:\n{out}");
        }
        // The only raw HTML is the report's own.
        let tags: std::collections::BTreeSet<&str> = out
            .match_indices('<')
            .map(|(i, _)| {
                let end = out[i..].find(['>', ' ']).map_or(out.len(), |n| i + n + 1);
                &out[i..end]
            })
            .collect();
        assert!(
            tags.iter().all(|t| [
                "<code>",
                "</code>",
                "<wbr>",
                "<br>",
                "<details>",
                "</details>",
                "<summary>",
                "</summary>"
            ]
            .contains(t)),
            "{tags:?}"
        );
        // Every row is one line of the table: a value's pipes and line breaks split
        // nothing.
        for line in out.lines().filter(|l| l.starts_with("| low ")) {
            let cells = line.matches(" | ").count() + 1;
            assert_eq!(cells, 5, "{line}");
        }
        Ok(())
    }
}
