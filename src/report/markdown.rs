//! The Markdown report, to paste into a review: a summary, then one table per category.

use super::Report;
use crate::model::Category;

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    super::printable(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
}

/// A value cell: Markdown emphasis and code characters are escaped too.
fn value_cell(s: &str) -> String {
    cell(s).replace('`', "\\`").replace('*', "\\*")
}

fn code(s: &str) -> String {
    format!("<code>{}</code>", cell(s).replace('`', "&#96;"))
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    out.push_str("# tfparity report\n\n");
    out.push_str(&format!("Baseline: **{}**\n\n", cell(&r.baseline)));
    out.push_str("| environment | source | resources |\n|---|---|---:|\n");
    for e in &r.environments {
        out.push_str(&format!(
            "| {} | {} {} | {} |\n",
            cell(&e.name),
            e.kind,
            code(&e.path),
            e.resources
        ));
    }
    let banner = r.banner();
    if let Some((head, parts)) = banner.split_first() {
        out.push_str(&format!("\n> [!WARNING]\n> **{}**\n", cell(head)));
        for p in parts {
            out.push_str(&format!("> - {}\n", value_cell(p)));
        }
    }
    out.push_str(&format!("\n**{}**\n", r.summary_line()));
    let names: Vec<&str> = r.environments.iter().map(|e| e.name.as_str()).collect();
    for cat in Category::ALL {
        let fs: Vec<_> = r.findings.iter().filter(|f| f.category == cat).collect();
        if fs.is_empty() {
            continue;
        }
        let title = cat.as_str();
        let mut t = title.chars();
        let title = t
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + t.as_str())
            .unwrap_or_default();
        out.push_str(&format!("\n## {title} ({})\n\n", fs.len()));
        out.push_str("| severity | address | difference |");
        for n in &names {
            if *n == r.baseline {
                out.push_str(&format!(" {} (baseline) |", cell(n)));
            } else {
                out.push_str(&format!(" {} |", cell(n)));
            }
        }
        out.push_str("\n|---|---|---|");
        for _ in &names {
            out.push_str("---|");
        }
        out.push('\n');
        for f in fs {
            out.push_str(&format!(
                "| {} | {} | {} |",
                f.severity,
                code(&f.address.to_string()),
                cell(&f.message)
            ));
            for n in &names {
                let v = f.environments.get(*n).map(String::as_str).unwrap_or("");
                out.push_str(&format!(" {} |", value_cell(v)));
            }
            out.push('\n');
        }
    }
    out
}
