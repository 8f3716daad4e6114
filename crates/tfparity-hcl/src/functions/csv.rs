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
    for (i, name) in header.iter().enumerate() {
        if header[..i].contains(name) {
            return Err(fail(format!(
                "duplicate column name {}",
                crate::scrub::quote(name)
            )));
        }
    }
    let mut rows = Vec::new();
    for (line, fields) in records {
        if fields.len() != header.len() {
            return Err(fail(format!(
                "CSV parse error on line {line}: wrong number of fields"
            )));
        }
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
