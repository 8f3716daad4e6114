//! `csvdecode`: RFC 4180 text as Go's `encoding/csv` reads it (quoted fields with
//! doubled quotes, `\r\n` read as `\n`, blank lines skipped, every record as wide as
//! the header), into a list of objects keyed by the header's names. Decodes only.

use super::{fail, Args, FnError, Spec};
use crate::value::V;
use std::collections::BTreeMap;

pub(super) const SPECS: &[Spec] = &[Spec::new("csvdecode", &["str"], csvdecode)];

fn csvdecode(a: &mut Args) -> Result<V, FnError> {
    let text = a.str(0)?;
    let mut records = records(&text).map_err(fail)?.into_iter();
    let Some((_, header)) = records.next() else {
        return Err(fail("missing header line"));
    };
    let mut seen = std::collections::BTreeSet::new();
    for name in &header {
        if !seen.insert(name) {
            return Err(fail(format!(
                "duplicate column name {}",
                crate::scrub::quote(name)
            )));
        }
    }
    // Each row repeats the header's names as its keys: counted before it is made.
    let keys = header
        .iter()
        .fold(1u64, |n, k| n.saturating_add(k.len() as u64 / 64));
    let mut size = crate::limits::Growing::new();
    let mut rows = Vec::new();
    for (line, fields) in records {
        if fields.len() != header.len() {
            return Err(fail(format!(
                "CSV parse error on line {line}: wrong number of fields"
            )));
        }
        let row = fields
            .iter()
            .fold(keys, |n, f| n.saturating_add(1 + f.len() as u64 / 64));
        size.add(row).map_err(fail)?;
        let row: BTreeMap<String, V> = header
            .iter()
            .cloned()
            .zip(fields.into_iter().map(V::Str))
            .collect();
        rows.push(V::map(row));
    }
    Ok(V::list(rows))
}

/// The records of CSV text, each with the line it starts on.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let text = text.replace("\r\n", "\n");
    let limit = usize::try_from(crate::limits::current().value_size).unwrap_or(usize::MAX);
    let mut total = 0usize;
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        // A blank line is no record.
        if chars.peek() == Some(&'\n') {
            chars.next();
            line += 1;
            continue;
        }
        let start = line;
        let mut fields = Vec::new();
        loop {
            let mut field = String::new();
            if chars.peek() == Some(&'"') {
                chars.next();
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                        }
                        None => {
                            return Err(format!(
                                "CSV parse error on line {line}: extraneous or missing \" in quoted-field"
                            ))
                        }
                    }
                }
                if !matches!(chars.peek(), None | Some(',' | '\n')) {
                    return Err(format!(
                        "CSV parse error on line {line}: extraneous or missing \" in quoted-field"
                    ));
                }
            } else {
                while let Some(&c) = chars.peek() {
                    match c {
                        ',' | '\n' => break,
                        '"' => {
                            return Err(format!(
                                "CSV parse error on line {line}: bare \" in non-quoted-field"
                            ))
                        }
                        c => {
                            field.push(c);
                            chars.next();
                        }
                    }
                }
            }
            fields.push(field);
            // A field is an element of the result, however short.
            total += 1;
            if total > limit {
                return Err(crate::limits::exceeded(
                    crate::limits::Limit::ValueSize,
                    "csvdecode would make a value larger than that",
                ));
            }
            match chars.next() {
                Some(',') => continue,
                Some(_) => line += 1,
                None => {}
            }
            break;
        }
        out.push((start, fields));
    }
    Ok(out)
}
