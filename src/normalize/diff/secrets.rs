//! What must never be shown: the paths a source marks sensitive or names like a
//! secret, and the redaction of secrets inside texts (URLs' user information, `key=value`
//! pairs, JSON documents in strings at any depth).

use super::*;

pub(super) fn step_name(s: &PathStep) -> Option<&str> {
    match s {
        PathStep::Attr(a) | PathStep::Key(a) => Some(a),
        PathStep::Index(_) => None,
    }
}

pub(super) fn step_matches(a: &PathStep, b: &PathStep) -> bool {
    match (a, b) {
        (PathStep::Index(x), PathStep::Index(y)) => x == y,
        _ => step_name(a).is_some() && step_name(a) == step_name(b),
    }
}

/// The shortest prefix of `path` that is sensitive on this side (the source marked it,
/// or its last step is named like a secret), as a step count.
pub(super) fn sensitive_prefix(res: &Resource, path: &AttrPath) -> Option<usize> {
    if path.top().is_some_and(|t| {
        super::super::catalog::SECRET_ATTRS.contains(&(res.address.rtype.as_str(), t))
    }) {
        return Some(1);
    }
    let named = path
        .0
        .iter()
        .position(|s| step_name(s).is_some_and(is_secret_name))
        .map(|i| i + 1);
    // `{name = "DB_PASSWORD", value = "…"}`: the value of a secret-named pair.
    let paired = path.0.iter().enumerate().position(|(i, s)| {
        matches!(step_name(s), Some("value" | "Value"))
            && value_at(&res.attributes, &AttrPath(path.0[..i].to_vec()))
                .is_some_and(names_a_secret)
    });
    let named = match (named, paired.map(|i| i + 1)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let marked = res
        .sensitive
        .iter()
        .filter(|p| {
            p.0.len() <= path.0.len()
                && p.0
                    .iter()
                    .zip(path.0.iter())
                    .all(|(a, b)| step_matches(a, b))
        })
        .map(|p| p.0.len())
        .min();
    match (named, marked) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// An object that names a secret and holds its value (`{name, value}` pairs of
/// container environments, Kubernetes `env` blocks).
pub(super) fn names_a_secret(v: &Value) -> bool {
    ["name", "Name", "key", "Key"]
        .iter()
        .any(|k| v.get(k).and_then(Value::as_str).is_some_and(is_secret_name))
}

/// Whether `path` is sensitive on this side.
pub fn is_sensitive(res: &Resource, path: &AttrPath) -> bool {
    sensitive_prefix(res, path).is_some()
}

/// Text as it may be shown: passwords in URLs, `password=` pairs and secret-named keys
/// of JSON documents replaced with `(sensitive)`.
pub fn redact(s: &str) -> std::borrow::Cow<'_, str> {
    match redact_json(s).or_else(|| redact_userinfo(s)) {
        Some(r) => std::borrow::Cow::Owned(r),
        None => std::borrow::Cow::Borrowed(s),
    }
}

/// Text with its URLs shown without user information (`postgres://app:pw@db/app`,
/// `https://TOKEN@github.com/…`) or secret-named query parameters, as every message
/// shows them ([`tfparity_hcl::scrub::urls_with`]), and the values of secret-named
/// pairs replaced ([`redact_key_values`]).
pub(super) fn redact_userinfo(s: &str) -> Option<String> {
    let out = tfparity_hcl::scrub::urls_with(s, SENSITIVE);
    match redact_key_values(&out) {
        Some(k) => Some(k),
        None => match out {
            Cow::Owned(o) => Some(o),
            Cow::Borrowed(_) => None,
        },
    }
}

/// The value of a secret-named key in text, replaced: `password=…` in a query string
/// or a connection string (`Server=db;User Id=app;Password=…;`), `DB_PASSWORD=…` in a
/// script, `password: …` in YAML, `--password …` on a command line. A quoted value is
/// replaced whole, up to its closing quote (`DB_PASSWORD="correct horse battery
/// staple"`); a YAML value, to the end of its line.
pub(super) fn redact_key_values(s: &str) -> Option<String> {
    if !s.contains(['=', ':', '-']) {
        return None;
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // Copied up to here; values are replaced from their start to their end.
    let mut copied = 0;
    let mut changed = false;
    let mut i = 0;
    while i < b.len() {
        let value = match b[i] {
            b'=' => secret_key_before(s, i).then(|| secret_value_span(s, i + 1, false)),
            // `password: …`, not `host:5432` or `https://`.
            b':' if matches!(b.get(i + 1), Some(b' ' | b'\t' | b'"' | b'\'')) => {
                secret_key_before(s, i).then(|| secret_value_span(s, i + 1, true))
            }
            // `--password value` (a value does not start with `-`).
            b'-' if i == 0 || b[i - 1].is_ascii_whitespace() => {
                let name_end = s[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .map_or(s.len(), |n| i + n);
                let name = &s[i..name_end];
                let spaced = matches!(b.get(name_end), Some(b' ' | b'\t'));
                let next = s[name_end..].trim_start_matches([' ', '\t']);
                (spaced
                    && name.trim_start_matches('-').len() > 1
                    && is_secret_name(name)
                    && !next.is_empty()
                    && !next.starts_with(['-', '\n', '\r']))
                .then(|| secret_value_span(s, name_end, false))
            }
            _ => None,
        };
        match value {
            Some((start, end)) if end > start => {
                out.push_str(&s[copied..start]);
                out.push_str(SENSITIVE);
                copied = end;
                changed = true;
                i = end;
            }
            _ => i += 1,
        }
    }
    out.push_str(&s[copied..]);
    changed.then_some(out)
}

/// Whether the key written before the separator at `sep` (`=`, `:`) is secret-named:
/// letters, digits, `_`, `.` and `-`, maybe quoted, maybe followed by blanks.
pub(super) fn secret_key_before(s: &str, sep: usize) -> bool {
    let head = s[..sep].trim_end_matches([' ', '\t']);
    let head = head.strip_suffix(['"', '\'']).unwrap_or(head);
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .map_or(0, |k| k + 1);
    let key = &head[start..];
    !key.is_empty() && key.len() <= 128 && is_secret_name(key)
}

/// Where the value that starts after blanks from `from` begins and ends: a quoted one
/// to its closing quote (the end of the line when there is none), else to the first
/// blank or `&`, `;`, `,` (to the end of the line for a YAML value, `to_eol`).
pub(super) fn secret_value_span(s: &str, from: usize, to_eol: bool) -> (usize, usize) {
    let rest = &s[from..];
    let start = from + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
    let rest = &s[start..];
    let eol = rest.find(['\n', '\r']).map_or(s.len(), |n| start + n);
    let end = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let mut escaped = false;
            let mut close = None;
            for (n, c) in rest.char_indices().skip(1) {
                match c {
                    '\\' if q == '"' && !escaped => escaped = true,
                    '\n' | '\r' => break,
                    c if c == q && !escaped => {
                        close = Some(start + n + 1);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            close.unwrap_or(eol)
        }
        _ if to_eol => eol,
        _ => rest
            .find(|c: char| matches!(c, '&' | ';' | ',') || c.is_whitespace())
            .map_or(s.len(), |n| start + n),
    };
    (start, end)
}

/// How many JSON documents held in strings of JSON documents [`redact_json`] opens one
/// inside another; a document deeper still is hidden whole.
pub(super) const MAX_JSON_NESTING: usize = 8;

/// Whether `s` may be a JSON document (an object or an array).
pub(super) fn looks_like_json(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// A JSON document held in a string, with the values of secret-named keys replaced,
/// also in the documents its strings hold (a task definition's `environment` encoded
/// once more), up to [`MAX_JSON_NESTING`] deep.
pub(super) fn redact_json(s: &str) -> Option<String> {
    redact_json_at(s, 0)
}

pub(super) fn redact_json_at(s: &str, level: usize) -> Option<String> {
    if !looks_like_json(s) {
        return None;
    }
    let mut doc: serde_json::Value = serde_json::from_str(s).ok()?;
    fn walk(v: &mut serde_json::Value, level: usize) -> bool {
        match v {
            serde_json::Value::Object(m) => {
                let mut hit = false;
                let pair = ["name", "Name", "key", "Key"].iter().any(|k| {
                    m.get(*k)
                        .and_then(|v| v.as_str())
                        .is_some_and(is_secret_name)
                });
                for (k, x) in m.iter_mut() {
                    if is_secret_name(k) || (pair && matches!(k.as_str(), "value" | "Value")) {
                        *x = serde_json::Value::from(SENSITIVE);
                        hit = true;
                    } else {
                        hit |= walk(x, level);
                    }
                }
                hit
            }
            serde_json::Value::Array(a) => a.iter_mut().fold(false, |h, x| walk(x, level) | h),
            // A document in a string of the document; past the deepest opened, one
            // is hidden whole.
            serde_json::Value::String(s) if level + 1 >= MAX_JSON_NESTING && looks_like_json(s) => {
                if serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok() {
                    *s = SENSITIVE.to_string();
                    return true;
                }
                redact_string(s)
            }
            serde_json::Value::String(s) => match redact_json_at(s, level + 1) {
                Some(r) => {
                    *s = r;
                    true
                }
                None => redact_string(s),
            },
            _ => false,
        }
    }
    /// A URL's password or a `token=` pair inside a string of the document.
    fn redact_string(s: &mut String) -> bool {
        match redact_userinfo(s) {
            Some(r) => {
                *s = r;
                true
            }
            None => false,
        }
    }
    walk(&mut doc, level).then(|| doc.to_string())
}
