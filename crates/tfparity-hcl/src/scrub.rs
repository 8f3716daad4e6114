//! Deserializer messages made safe to show: the values they quote may be secrets.

/// Replaces every double-quoted fragment of a deserializer message (serde prints
/// offending string values that way) with `"…"`, and drops the backticked value after
/// `integer`, `floating point`, `boolean` and `character`. Field names (backticked
/// after `field`) are kept.
pub fn scrub(msg: &str) -> String {
    let msg = scrub_quotes(msg);
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg.as_str();
    while let Some(i) = rest.find('`') {
        let before = &rest[..i];
        let Some(j) = rest[i + 1..].find('`') else {
            break;
        };
        let is_value = [
            "integer ",
            "floating point ",
            "boolean ",
            "character ",
            "unsigned integer ",
        ]
        .iter()
        .any(|w| before.ends_with(w));
        out.push_str(before);
        if is_value {
            out.push('…');
        } else {
            out.push_str(&rest[i..i + j + 2]);
        }
        rest = &rest[i + j + 2..];
    }
    out.push_str(rest);
    out
}

fn scrub_quotes(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut in_quote = false;
    let mut escaped = false;
    for ch in msg.chars() {
        if in_quote {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                in_quote = false;
                out.push_str("…\"");
            }
            continue;
        }
        out.push(ch);
        if ch == '"' {
            in_quote = true;
        }
    }
    if in_quote {
        out.push_str("…\"");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_quoted_values() {
        for (input, want) in [
            (
                r#"invalid type: string "hunter2", expected u64"#,
                r#"invalid type: string "…", expected u64"#,
            ),
            ("missing field `resources`", "missing field `resources`"),
            (r#"a "b\"c" d"#, r#"a "…" d"#),
            (r#"open "quote"#, r#"open "…""#),
            (
                "invalid type: integer `987654321`, expected a string",
                "invalid type: integer …, expected a string",
            ),
            (
                "invalid type: floating point `1.5`, expected u64",
                "invalid type: floating point …, expected u64",
            ),
            (
                "invalid type: boolean `true`, expected a map",
                "invalid type: boolean …, expected a map",
            ),
        ] {
            assert_eq!(scrub(input), want);
        }
    }
}
