//! Messages made safe to show: the values they quote may be secrets.
//!
//! Values an evaluation error quotes are marked where the message is made ([`quote`],
//! [`value`]); whether they are shown is decided where the message leaves an
//! evaluation: [`redact_values`] where the error is bound for a secret-named or
//! sensitive place, [`reveal`] where it leaves the crate. Deserializer messages
//! ([`scrub`]) lose every quoted fragment.

/// Opens and closes a value quoted in a message: Unicode private-use characters, never
/// shown (taken out of the values themselves, so that a value cannot close its own).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// What a redacted value reads as.
pub const REDACTED: &str = "(sensitive value)";

/// `text` quoted as Terraform quotes a string in a message (`"…"`), marked as a value.
pub fn quote(text: &str) -> String {
    format!("{OPEN}{:?}{CLOSE}", unmarked(text))
}

/// `text` as it is written into a message (a path, a prefix), marked as a value.
pub fn value(text: impl std::fmt::Display) -> String {
    format!("{OPEN}{}{CLOSE}", unmarked(&text.to_string()))
}

fn unmarked(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([OPEN, CLOSE]) {
        text.replace([OPEN, CLOSE], "\u{FFFD}").into()
    } else {
        text.into()
    }
}

/// The message with every value it quotes replaced by [`REDACTED`].
pub fn redact_values(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut inside = false;
    for c in msg.chars() {
        match c {
            OPEN if !inside => {
                inside = true;
                out.push_str(REDACTED);
            }
            CLOSE => inside = false,
            _ if inside => {}
            c => out.push(c),
        }
    }
    out
}

/// The message as it is shown when its values may be: the marks taken out.
pub fn reveal(msg: &str) -> String {
    if msg.contains([OPEN, CLOSE]) {
        msg.replace([OPEN, CLOSE], "")
    } else {
        msg.to_string()
    }
}

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
    fn quoted_values_are_shown_or_redacted_where_the_message_leaves() {
        let msg = format!(
            "cannot convert {} to number; at {} (and {})",
            quote("hunter2"),
            value("/a/b"),
            quote("x\u{E001}y")
        );
        assert_eq!(
            reveal(&msg),
            "cannot convert \"hunter2\" to number; at /a/b (and \"x\u{FFFD}y\")"
        );
        assert_eq!(
            redact_values(&msg),
            "cannot convert (sensitive value) to number; at (sensitive value) (and (sensitive value))"
        );
        // Redacting twice, or a message with no value, changes nothing more.
        assert_eq!(redact_values(&redact_values(&msg)), redact_values(&msg));
        assert_eq!(reveal("plain"), "plain");
        // A stray opening mark hides what follows rather than show it.
        assert_eq!(redact_values("a \u{E000}b"), "a (sensitive value)");
    }

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
