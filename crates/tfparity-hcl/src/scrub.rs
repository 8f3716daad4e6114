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

/// How a credential in a URL is shown in messages.
pub const HIDDEN: &str = "***";

/// A URL or a module source (`git::https://user:TOKEN@host/x.git?ref=v1&token=…`) as it
/// may be shown: its user information replaced by `***`, user name and all (a token is
/// often written as the user: `https://ghp_…@github.com/…`), whatever characters the
/// password holds (`/`, `?`, `#` too: everything up to the last `@` is taken for it,
/// unless that `@` is in a path of a URL without `:` or `@` in its host part); and the
/// values of its secret-named query parameters ([`crate::secret::is_secret_param`]).
pub fn url(raw: &str) -> String {
    url_with(raw, HIDDEN)
}

/// [`url`] with `hidden` in place of what is taken out.
pub fn url_with(raw: &str, hidden: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    if let Some(i) = raw.find("://") {
        let (head, tail) = raw.split_at(i + 3);
        out.push_str(head);
        rest = tail;
        if let Some(at) = userinfo_end(tail) {
            out.push_str(hidden);
            rest = &tail[at..];
        }
    }
    let Some(q) = rest.find('?') else {
        out.push_str(rest);
        return out;
    };
    out.push_str(&rest[..=q]);
    let (query, fragment) = match rest[q + 1..].find('#') {
        Some(h) => rest[q + 1..].split_at(h),
        None => (&rest[q + 1..], ""),
    };
    for (n, param) in query.split('&').enumerate() {
        if n > 0 {
            out.push('&');
        }
        match param.split_once('=') {
            Some((k, v)) if !v.is_empty() && crate::secret::is_secret_param(k) => {
                out.push_str(k);
                out.push('=');
                out.push_str(hidden);
            }
            _ => out.push_str(param),
        }
    }
    out.push_str(fragment);
    out
}

/// Where the user information after `://` ends (at its `@`), if there is any.
fn userinfo_end(tail: &str) -> Option<usize> {
    let at = tail.rfind('@')?;
    // `https://host/@scope/x`, `https://host/x?ref=a@b`: an `@` past a host part
    // that cannot be user information.
    match tail.find(['/', '?', '#']) {
        Some(b) if b < at && !tail[..b].contains([':', '@']) => None,
        _ => Some(at),
    }
}

/// Text with every URL in it (a word holding `://`, or a `?query` with a pair) shown as
/// [`url`] shows it: messages of git, of HTTP clients, of the fetcher. Words end at
/// blanks and quotes.
pub fn urls(text: &str) -> String {
    urls_with(text, HIDDEN).into_owned()
}

/// [`urls`] with `hidden` in place of what is taken out; the text itself when it holds
/// no URL.
pub fn urls_with<'t>(text: &'t str, hidden: &str) -> std::borrow::Cow<'t, str> {
    if !text.contains("://") && !text.contains('?') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    while !rest.is_empty() {
        let is_end = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>');
        let start = rest.find(|c: char| !is_end(c)).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(is_end).unwrap_or(rest.len());
        // Punctuation after a URL is the sentence's (`…?token=x: status 404`).
        let word = rest[..end].trim_end_matches([':', ',', ';', '.', ')']);
        if word.contains("://") || (word.contains('?') && word.contains('=')) {
            let shown = url_with(word, hidden);
            changed |= shown != word;
            out.push_str(&shown);
        } else {
            out.push_str(word);
        }
        out.push_str(&rest[word.len()..end]);
        rest = &rest[end..];
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
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
    fn urls_lose_their_credentials() {
        for (raw, shown) in [
            ("git::https://u:p@h/x", "git::https://***@h/x"),
            ("https://deploy:Sup3r/S3cret@h/m.zip", "https://***@h/m.zip"),
            ("https://deploy:Sup3r?S3cret@h/m.zip", "https://***@h/m.zip"),
            ("https://deploy:Sup3r#S3cret@h/m.zip", "https://***@h/m.zip"),
            (
                "https://ghp_0123@github.com/o/r.git",
                "https://***@github.com/o/r.git",
            ),
            (
                "https://TOKEN:x-oauth-basic@github.com/o",
                "https://***@github.com/o",
            ),
            ("git::https://h/x?ref=v1", "git::https://h/x?ref=v1"),
            (
                "git::https://h/x.git?ref=v1&access_token=T",
                "git::https://h/x.git?ref=v1&access_token=***",
            ),
            (
                "https://h/m.zip?token=T&archive=zip",
                "https://h/m.zip?token=***&archive=zip",
            ),
            (
                "https://a.blob.core.windows.net/c/m.zip?sv=1&sig=S%2B",
                "https://a.blob.core.windows.net/c/m.zip?sv=1&sig=***",
            ),
            (
                "https://b.s3.amazonaws.com/m.zip?X-Amz-Credential=C&X-Amz-Signature=S",
                "https://b.s3.amazonaws.com/m.zip?X-Amz-Credential=***&X-Amz-Signature=***",
            ),
            ("https://h/x?key=K#frag", "https://h/x?key=***#frag"),
            (
                "h.example/m?archive=zip&private_token=T",
                "h.example/m?archive=zip&private_token=***",
            ),
            (
                "git::https://oauth2:T@h/y.git//sub?ref=main",
                "git::https://***@h/y.git//sub?ref=main",
            ),
            // Not user information: an `@` in the path or the query.
            ("https://h/@scope/x", "https://h/@scope/x"),
            ("https://h/x?ref=a@b", "https://h/x?ref=a@b"),
            ("git@github.com:o/r.git", "git@github.com:o/r.git"),
        ] {
            assert_eq!(url(raw), shown, "{raw}");
        }
        assert_eq!(
            urls("fatal: unable to access 'https://u:T1@h/x.git?access_token=T2/': no; see \"https://T3@h\""),
            "fatal: unable to access 'https://***@h/x.git?access_token=***': no; see \"https://***@h\""
        );
        assert_eq!(urls("why? a=b"), "why? a=b");
        assert_eq!(
            urls("https://h/m.zip?token=T: status 404."),
            "https://h/m.zip?token=***: status 404."
        );
        assert!(matches!(
            urls_with("no url here", HIDDEN),
            std::borrow::Cow::Borrowed(_)
        ));
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
