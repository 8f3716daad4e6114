//! The terminal report: one comfy-table per category, severities coloured when asked.

use super::{printable, Report};
use crate::model::{Category, Severity};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};

/// Width used when the output is not a terminal, so the bytes do not depend on where
/// the report is written.
const FIXED_WIDTH: u16 = 160;

fn severity_cell(s: Severity, color: bool) -> Cell {
    let c = Cell::new(s.as_str());
    if !color {
        return c;
    }
    match s {
        Severity::Critical => c.fg(Color::Red).add_attribute(Attribute::Bold),
        Severity::High => c.fg(Color::Red),
        Severity::Medium => c.fg(Color::Yellow),
        Severity::Low => c.fg(Color::Cyan),
        Severity::Info => c.add_attribute(Attribute::Dim),
    }
}

/// A finding's address, and on the next line the resources that write it when they
/// are others (`written by aws_lb_listener.https`, or `written by
/// aws_route_table.private in prod; aws_route.default in staging`).
fn address_cell(f: &crate::model::Finding) -> String {
    let address = printable(&f.address.to_string()).into_owned();
    let by = super::written_by(f);
    if by.is_empty() {
        return address;
    }
    let parts: Vec<String> = by
        .iter()
        .map(|(env, rs)| match env {
            Some(e) => format!("{} in {e}", rs.join(", ")),
            None => rs.join(", "),
        })
        .collect();
    format!(
        "{address}\n{}",
        printable(&format!("written by {}", parts.join("; ")))
    )
}

/// Renders the table; `terminal` lets it fit the terminal's width instead of a fixed one.
pub fn render(r: &Report, color: bool, terminal: bool) -> String {
    let mut out = String::new();
    let envs: Vec<String> = r
        .environments
        .iter()
        .map(|e| {
            format!(
                "{} ({} {}, {})",
                printable(&e.name),
                e.kind,
                printable(&e.path),
                super::resources(e.resources)
            )
        })
        .collect();
    out.push_str(&format!(
        "tfparity: baseline {}; {}\n",
        printable(&r.baseline),
        envs.join("; ")
    ));
    for (i, line) in r.assumed().iter().enumerate() {
        let line = printable(line);
        out.push_str(&if i == 0 {
            format!("{line}\n")
        } else {
            format!("  - {line}\n")
        });
    }
    let banner = r.banner();
    for (i, line) in banner.iter().enumerate() {
        let line = printable(line);
        let line = match (i, color) {
            (0, true) => format!("\x1b[1;31m{line}\x1b[0m"),
            (0, false) => line.into_owned(),
            _ => format!("  - {line}"),
        };
        out.push_str(&format!("\n{line}"));
    }
    if !banner.is_empty() {
        out.push('\n');
    }
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
        out.push_str(&format!(
            "\n{} ({})\n",
            cat.as_str().to_uppercase(),
            Report::section_count(&gs)
        ));
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_content_arrangement(ContentArrangement::Dynamic);
        if !terminal {
            t.set_width(FIXED_WIDTH);
        }
        if color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        let mut header = vec![
            Cell::new("severity"),
            Cell::new("address"),
            Cell::new("difference"),
        ];
        header.extend(names.iter().map(|n| {
            if *n == r.baseline {
                Cell::new(format!("{} (baseline)", printable(n)))
            } else {
                Cell::new(printable(n))
            }
        }));
        t.set_header(header);
        for g in gs {
            // One row per group: its members' addresses under its own, compactly. The
            // values are the part that differs when a finding says which (a listener's
            // TLS policy), not the whole description: the JSON report has both.
            let address = match g.members.as_slice() {
                [i] => address_cell(&r.findings[*i]),
                all => {
                    let mut members: Vec<String> = all
                        .iter()
                        .map(|&i| r.findings[i].address.to_string())
                        .collect();
                    members.sort();
                    members.dedup();
                    let list = format!(
                        "{} findings: {}",
                        all.len(),
                        super::groups::compact(&members)
                    );
                    format!("{}\n{}", printable(&g.address), printable(&list))
                }
            };
            let mut row = vec![
                severity_cell(g.severity, color),
                Cell::new(address),
                Cell::new(printable(&g.what)),
            ];
            row.extend(names.iter().map(|n| {
                Cell::new(printable(
                    g.environments.get(*n).map(String::as_str).unwrap_or(""),
                ))
            }));
            t.add_row(row);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&printable(&r.summary_line()));
    out.push('\n');
    out
}
