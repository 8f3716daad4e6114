//! Encoding functions: `jsonencode`, `jsondecode`, `yamlencode`, `base64encode`,
//! `base64decode`, `base64gzip`, `urlencode`, and OpenTofu's `base64gunzip` and
//! `urldecode`, each producing exactly the text Terraform produces (Go's JSON escaping,
//! go-yaml's quoting, folding and block scalars). `yamldecode` is the `yaml` module's.

use super::{fail, Args, FnError, Spec};
use crate::value::{num_text, V};
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub(super) const SPECS: &[Spec] = &[
    Spec::new("jsonencode", &["val"], jsonencode).nulls(0),
    Spec::new("jsondecode", &["str"], jsondecode),
    Spec::new("yamlencode", &["value"], yamlencode).nulls(0),
    Spec::new("yamldecode", &["src"], yamldecode),
    Spec::new("base64encode", &["str"], base64encode),
    Spec::new("base64gzip", &["str"], base64gzip),
    Spec::new("base64decode", &["str"], base64decode),
    Spec::new("urlencode", &["str"], urlencode),
    // OpenTofu's.
    Spec::new("base64gunzip", &["str"], base64gunzip),
    Spec::new("urldecode", &["str"], urldecode),
];

/// A value from decoded JSON: arrays become tuples, objects objects.
pub(super) fn from_json(json: serde_json::Value) -> V {
    use serde_json::Value as J;
    match json {
        J::Null => V::Null,
        J::Bool(b) => V::Bool(b),
        J::Number(n) => V::Num(n.as_f64().unwrap_or(f64::NAN)),
        J::String(s) => V::Str(s),
        J::Array(a) => V::List(a.into_iter().map(from_json).collect()),
        J::Object(o) => V::Map(o.into_iter().map(|(k, v)| (k, from_json(v))).collect()),
    }
}

/// Compact JSON as Terraform writes it: keys sorted, sets as arrays, numbers without
/// exponent, `<`, `>`, `&`, U+2028 and U+2029 escaped as Go does.
pub(super) fn json_text(v: &V, out: &mut String) -> Result<(), String> {
    match v {
        V::Null => out.push_str("null"),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Num(n) if !n.is_finite() => return Err("value must be a finite number".into()),
        V::Num(n) => out.push_str(&num_text(*n)),
        V::Str(s) => json_string(s, out),
        V::List(l) | V::Set(l) => {
            out.push('[');
            for (i, v) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_text(v, out)?;
                within_limit(out)?;
            }
            out.push(']');
        }
        V::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                json_text(v, out)?;
                within_limit(out)?;
            }
            out.push('}');
        }
        V::Unknown(_) => return Err("value is not yet known".into()),
        V::Sensitive(v) => json_text(v, out)?,
    }
    Ok(())
}

/// An error once text being written is longer than the `string-length` limit: checked
/// as it grows, so that a value whose elements share one long string is not written out
/// whole first.
fn within_limit(out: &str) -> Result<(), String> {
    crate::limits::string("this encoding", out.len() as u64)
}

/// Whether text being written is past the `string-length` limit (the writer stops).
fn past_limit(out: &str) -> bool {
    out.len() as u64 > crate::limits::current().string_length
}

/// A JSON string literal with Go's `encoding/json` escapes.
pub(super) fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn jsonencode(a: &mut Args) -> Result<V, FnError> {
    let mut out = String::new();
    json_text(a.get(0), &mut out).map_err(|e| {
        if e.starts_with(crate::limits::LIMIT_EXCEEDED) {
            fail(e)
        } else {
            a.bad(0, e)
        }
    })?;
    Ok(V::Str(out))
}

fn jsondecode(a: &mut Args) -> Result<V, FnError> {
    let text = a.str(0)?;
    // Read once without keeping anything: a syntax error, the size of what it would
    // make (checked against the `value-size` limit as it is read, before anything is
    // made), a repeated key.
    SCAN.with(|s| {
        s.replace(Scan {
            size: 0,
            limit: crate::limits::current().value_size,
            duplicate: None,
        })
    });
    let scanned = serde_json::from_str::<Unique>(&text);
    let scan = SCAN.with(|s| s.take());
    match scanned {
        Err(e) if e.is_data() => {
            return Err(fail(e.to_string().split(" at line").next().unwrap_or("")));
        }
        Err(e) => return Err(fail(go_json_error(&text, &e))),
        Ok(_) => {}
    }
    // Terraform refuses an object that repeats a key; serde_json keeps the last.
    if let Some(key) = scan.duplicate {
        return Err(fail(format!(
            "duplicate {} property in JSON object",
            crate::scrub::quote(&key)
        )));
    }
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(json) => Ok(from_json(json)),
        Err(e) => Err(fail(go_json_error(&text, &e))),
    }
}

/// What reading a JSON document once found.
#[derive(Default)]
struct Scan {
    /// The size of the value it makes (see [`V::size`]).
    size: u64,
    limit: u64,
    /// The first key an object repeats.
    duplicate: Option<String>,
}

thread_local! {
    static SCAN: std::cell::RefCell<Scan> = std::cell::RefCell::new(Scan::default());
}

/// Counts a node of `size` read, an error past the limit.
fn scanned<E: serde::de::Error>(size: u64) -> Result<Unique, E> {
    SCAN.with(|s| {
        let mut s = s.borrow_mut();
        s.size = s.size.saturating_add(size);
        if s.size > s.limit {
            return Err(E::custom(crate::limits::exceeded(
                crate::limits::Limit::ValueSize,
                "jsondecode would make a value larger than that",
            )));
        }
        Ok(Unique)
    })
}

/// JSON read only to check it: its syntax, its size, a repeated key (`duplicate "a"
/// property in JSON object`, as Terraform says).
struct Unique;

impl<'de> serde::Deserialize<'de> for Unique {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Unique, D::Error> {
        d.deserialize_any(Unique)
    }
}

impl<'de> serde::de::Visitor<'de> for Unique {
    type Value = Unique;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Unique, E> {
        scanned(1)
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Unique, E> {
        scanned(1)
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Unique, E> {
        scanned(1)
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Unique, E> {
        scanned(1)
    }
    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Unique, E> {
        scanned(1 + s.len() as u64 / 64)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Unique, E> {
        scanned(1)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        scanned::<A::Error>(1)?;
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(Unique)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        scanned::<A::Error>(1)?;
        let mut seen = std::collections::BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            scanned::<A::Error>(key.len() as u64 / 64)?;
            map.next_value::<Unique>()?;
            if !seen.insert(key.clone()) {
                SCAN.with(|s| {
                    s.borrow_mut().duplicate.get_or_insert(key);
                });
            }
        }
        Ok(Unique)
    }
}

fn yamldecode(a: &mut Args) -> Result<V, FnError> {
    super::yaml::decode(&a.str(0)?).map_err(fail)
}

/// Go's wording for the common JSON errors.
fn go_json_error(text: &str, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let first = text.trim_start().chars().next();
    match (e.classify(), first) {
        (Category::Eof, _) if ends_inside_token(text) => "unexpected EOF".into(),
        (Category::Eof, _) => "EOF".into(),
        (_, Some(c)) if !matches!(c, '{' | '[' | '"' | '-' | '0'..='9' | 't' | 'f' | 'n') => {
            format!(
                "invalid character {} looking for beginning of value",
                crate::scrub::value(format!("{c:?}"))
            )
        }
        _ if e.to_string().starts_with("trailing characters") => {
            "extraneous data after JSON object".into()
        }
        _ => format!("invalid JSON: {e}"),
    }
}

/// Whether JSON text stops in the middle of a token (an unterminated string, a partial
/// number or literal), which Go reports as "unexpected EOF" rather than "EOF".
fn ends_inside_token(text: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, _, '"') => in_string = !in_string,
            _ => {}
        }
    }
    in_string
        || text
            .trim_end()
            .ends_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
}

fn yamlencode(a: &mut Args) -> Result<V, FnError> {
    let v = a.get(0);
    let mut out = String::new();
    // The writer stops once past the limit.
    yaml_node(v, 0, &mut out);
    crate::limits::string("yamlencode", out.len() as u64).map_err(fail)?;
    out.push('\n');
    if matches!(v, V::Null | V::Bool(_) | V::Num(_)) {
        out.push_str("...\n");
    }
    Ok(V::Str(out))
}

/// Writes `v` where the cursor is (after `"key": ` or `- `, or at the start), as a
/// block whose nested lines start at column `indent` + 2 (mappings) or `indent`
/// (sequences under a key), as go-yaml lays them out.
fn yaml_node(v: &V, indent: usize, out: &mut String) {
    match v {
        V::Map(m) if !m.is_empty() => yaml_mapping(m, indent, out),
        V::List(l) | V::Set(l) if !l.is_empty() => yaml_sequence(l, indent, out),
        V::Map(_) => out.push_str("{}"),
        V::List(_) | V::Set(_) => out.push_str("[]"),
        V::Null | V::Unknown(_) => out.push_str("null"),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Num(n) => out.push_str(&num_text(*n)),
        V::Str(s) => yaml_string(s, indent + 2, true, out),
        V::Sensitive(v) => yaml_node(v, indent, out),
    }
}

/// A mapping whose first key goes where the cursor is and the others at `indent`.
fn yaml_mapping(m: &BTreeMap<String, V>, indent: usize, out: &mut String) {
    for (i, (k, v)) in m.iter().enumerate() {
        if past_limit(out) {
            return;
        }
        if i > 0 {
            newline(indent, out);
        }
        yaml_string(k, indent + 2, false, out);
        out.push(':');
        match v {
            V::Map(m) if !m.is_empty() => {
                newline(indent + 2, out);
                yaml_mapping(m, indent + 2, out);
            }
            V::List(l) | V::Set(l) if !l.is_empty() => {
                newline(indent, out);
                yaml_sequence(l, indent, out);
            }
            v => {
                out.push(' ');
                yaml_node(v, indent, out);
            }
        }
    }
}

/// A sequence whose first `- ` goes where the cursor is and the others at `indent`.
fn yaml_sequence(l: &[V], indent: usize, out: &mut String) {
    for (i, v) in l.iter().enumerate() {
        if past_limit(out) {
            return;
        }
        if i > 0 {
            newline(indent, out);
        }
        out.push_str("- ");
        match v {
            V::Map(m) if !m.is_empty() => yaml_mapping(m, indent + 2, out),
            V::List(l) | V::Set(l) if !l.is_empty() => yaml_sequence(l, indent + 2, out),
            v => yaml_node(v, indent, out),
        }
    }
}

fn newline(indent: usize, out: &mut String) {
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Characters go-yaml writes as they are inside a quoted scalar.
fn yaml_printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

/// A string as go-cty-yaml writes it: a literal block scalar (`|-`, `|`, `|+`) when it
/// has line breaks and go-yaml allows one, otherwise double-quoted, folded past column
/// 80 when `fold` (values, not keys). Block lines and folds are indented to `indent`.
fn yaml_string(s: &str, indent: usize, fold: bool, out: &mut String) {
    let literal = fold
        && s.contains('\n')
        && !s.ends_with(' ')
        && !s.contains(" \n")
        && s.chars()
            .all(|c| yaml_printable(c) && !matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'));
    if literal {
        out.push('|');
        if s.starts_with([' ', '\n']) {
            out.push('2');
        }
        if !s.ends_with('\n') {
            out.push('-');
        } else if s == "\n" || s.ends_with("\n\n") {
            out.push('+');
        }
        out.push('\n');
        let body = s.strip_suffix('\n').unwrap_or(s);
        for (i, line) in body.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if !line.is_empty() {
                out.extend(std::iter::repeat_n(' ', indent));
                out.push_str(line);
            }
        }
        return;
    }
    let mut column = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
    column = out[out.len() - column..].chars().count();
    out.push('"');
    column += 1;
    let chars: Vec<char> = s.chars().collect();
    let mut after_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            if fold && !after_space && column > 80 && i != 0 && i + 1 != chars.len() {
                newline(indent, out);
                column = indent;
                if chars.get(i + 1) == Some(&' ') {
                    out.push('\\');
                    column += 1;
                }
            } else {
                out.push(' ');
                column += 1;
            }
            after_space = true;
            continue;
        }
        after_space = false;
        let escaped = match c {
            '\0' => "\\0",
            '\u{7}' => "\\a",
            '\u{8}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{b}' => "\\v",
            '\u{c}' => "\\f",
            '\r' => "\\r",
            '\u{1b}' => "\\e",
            '"' => "\\\"",
            '\\' => "\\\\",
            '\u{85}' => "\\N",
            '\u{2028}' => "\\L",
            '\u{2029}' => "\\P",
            c if !yaml_printable(c) => {
                let code = c as u32;
                let text = if code <= 0xff {
                    format!("\\x{code:02X}")
                } else if code <= 0xffff {
                    format!("\\u{code:04X}")
                } else {
                    format!("\\U{code:08X}")
                };
                column += text.len();
                out.push_str(&text);
                continue;
            }
            c => {
                out.push(c);
                column += 1;
                continue;
            }
        };
        out.push_str(escaped);
        column += escaped.len();
    }
    out.push('"');
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub(super) fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 of UTF-8 text, or of gzip-compressed UTF-8 text (`base64gzip`),
/// decoded (`None` for anything else).
pub fn base64_text(s: &str) -> Option<String> {
    let bytes = unbase64(s)?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        use std::io::Read as _;
        // A script, not a bomb: at most 1 MiB of it is read.
        const MAX: u64 = 1 << 20;
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .take(MAX)
            .read_to_string(&mut text)
            .ok()?;
        return Some(text);
    }
    String::from_utf8(bytes).ok()
}

/// Decodes standard padded base64 as Go's `StdEncoding` does (line breaks ignored).
pub(super) fn unbase64(text: &str) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b'\r' | b'\n'))
        .collect();
    if symbols.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(symbols.len() / 4 * 3);
    let quads = symbols.chunks(4);
    let last = quads.len().saturating_sub(1);
    for (q, quad) in quads.enumerate() {
        let pad = quad.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && q != last) {
            return None;
        }
        let mut n = 0u32;
        for &b in &quad[..4 - pad] {
            let d = BASE64.iter().position(|&s| s == b)?;
            n = n << 6 | d as u32;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        // Go rejects non-zero bits left over in a padded quad.
        if bytes[3 - pad..].iter().any(|&b| b != 0) {
            return None;
        }
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

fn base64encode(a: &mut Args) -> Result<V, FnError> {
    Ok(V::Str(base64(a.str(0)?.as_bytes())))
}

/// gzip, then base64. The compressed bytes need not be Terraform's (another deflate
/// implementation); the text they hold is, and that is what is compared
/// ([`base64_text`] decompresses).
fn base64gzip(a: &mut Args) -> Result<V, FnError> {
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(a.str(0)?.as_bytes())
        .and_then(|_| gz.finish())
        .map(|bytes| V::Str(base64(&bytes)))
        .map_err(|e| FnError::Invalid(format!("cannot compress: {e}")))
}

fn base64decode(a: &mut Args) -> Result<V, FnError> {
    let text = a.str(0)?;
    // Terraform quotes the data (and redacts it when sensitive).
    let bytes = unbase64(&text).ok_or_else(|| {
        fail(format!(
            "failed to decode base64 data {}",
            crate::scrub::quote(&text)
        ))
    })?;
    String::from_utf8(bytes)
        .map(V::Str)
        .map_err(|_| fail("the result of decoding the provided string is not valid UTF-8"))
}

/// Go's `url.QueryEscape`: spaces as `+`, unreserved characters kept, the rest `%XX`.
/// base64, then gunzip (at most 1 MiB of text, as [`base64_text`]).
fn base64gunzip(a: &mut Args) -> Result<V, FnError> {
    use std::io::Read as _;
    let text = a.str(0)?;
    let bytes = unbase64(&text).ok_or_else(|| {
        fail(format!(
            "failed to decode base64 data {}",
            crate::scrub::quote(&text)
        ))
    })?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes.as_slice())
        .take(1 << 20)
        .read_to_end(&mut out)
        .map_err(|e| fail(format!("failed to gunzip bytestream: {e}")))?;
    Ok(V::Str(String::from_utf8_lossy(&out).into_owned()))
}

/// Go's `url.QueryUnescape`: `+` is a space, `%XX` a byte.
fn urldecode(a: &mut Args) -> Result<V, FnError> {
    let text = a.str(0)?;
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
                let Some(b) = hex else {
                    let bad: String = text[i..].chars().take(3).collect();
                    return Err(fail(format!(
                        "failed to decode URL '': invalid URL escape {bad:?}"
                    )));
                };
                out.push(b);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Ok(V::Str(String::from_utf8_lossy(&out).into_owned()))
}

fn urlencode(a: &mut Args) -> Result<V, FnError> {
    let text = a.str(0)?;
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    Ok(V::Str(out))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call_ok, call_vals, err, j};
    use super::*;

    #[test]
    fn jsonencode_is_compact_sorted_and_escapes_like_go() {
        for (args, want) in [
            (
                r#"[{"b": "<a&b>", "a": [1, 1.5, true, null]}]"#,
                r#"{"a":[1,1.5,true,null],"b":"\u003ca\u0026b\u003e"}"#,
            ),
            (r#"["\u2028\t\u0001é\"\\"]"#, r#""\u2028\t\u0001é\"\\""#),
            ("[null]", "null"),
            ("[1e21]", "1000000000000000000000"),
            ("[[]]", "[]"),
            ("[{}]", "{}"),
        ] {
            assert_eq!(call_ok("jsonencode", args), V::Str(want.into()), "{args}");
        }
        let set = V::set(vec![V::str("b"), V::str("a")]);
        assert_eq!(
            call_vals("jsonencode", vec![set]),
            Ok(V::str(r#"["a","b"]"#))
        );
        let partly = V::list(vec![V::Num(1.0), V::unknown()]);
        assert_eq!(call_vals("jsonencode", vec![partly]), Ok(V::unknown()));
    }

    #[test]
    fn jsondecode_values_and_errors() {
        assert_eq!(
            call_ok(
                "jsondecode",
                r#"["{\"a\": [1, 2.5e3, true, null, \"x\"]}"]"#
            ),
            j(r#"{"a": [1, 2500, true, null, "x"]}"#)
        );
        for (args, want) in [
            (
                r#"["x"]"#,
                "invalid character 'x' looking for beginning of value",
            ),
            (r#"["{"]"#, "EOF"),
            (r#"[""]"#, "EOF"),
            (r#"["[1,"]"#, "EOF"),
            (r#"["{\"a\""]"#, "EOF"),
            (r#"["nul"]"#, "unexpected EOF"),
            (r#"["\"abc"]"#, "unexpected EOF"),
            (r#"["1."]"#, "unexpected EOF"),
            (r#"["[1] x"]"#, "extraneous data after JSON object"),
        ] {
            assert_eq!(err("jsondecode", args), want, "{args}");
        }
    }

    #[test]
    fn yamlencode_lays_out_like_go_yaml() {
        let doc = r#"[{"a": 1, "b": ["x", "y"], "c": {"d": true}, "e": null, "f": "multi\nline",
            "g": [], "h": {}, "i": [{"j": 1, "k": 2}], "l": 1.5, "m": [[1, 2]], "n o": "p: q",
            "o": "", "p": "trail\n", "q": "  lead", "s": "a\"b", "t": -3, "u": "tab\there",
            "w": "é", "x": "true", "af": "a\u0001"}]"#;
        let want = concat!(
            "\"a\": 1\n\"af\": \"a\\x01\"\n\"b\":\n- \"x\"\n- \"y\"\n\"c\":\n  \"d\": true\n",
            "\"e\": null\n\"f\": |-\n  multi\n  line\n\"g\": []\n\"h\": {}\n",
            "\"i\":\n- \"j\": 1\n  \"k\": 2\n\"l\": 1.5\n\"m\":\n- - 1\n  - 2\n",
            "\"n o\": \"p: q\"\n\"o\": \"\"\n\"p\": |\n  trail\n\"q\": \"  lead\"\n",
            "\"s\": \"a\\\"b\"\n\"t\": -3\n\"u\": \"tab\\there\"\n\"w\": \"é\"\n\"x\": \"true\"\n",
        );
        assert_eq!(call_ok("yamlencode", doc), V::str(want));
        for (args, want) in [
            (r#"["a"]"#, "\"a\"\n"),
            ("[null]", "null\n...\n"),
            ("[-0.5]", "-0.5\n...\n"),
            ("[true]", "true\n...\n"),
            ("[{}]", "{}\n"),
            ("[[[]]]", "- []\n"),
            (r#"["x: y\n  z"]"#, "|-\n  x: y\n    z\n"),
            (r#"["a\nb\n\n"]"#, "|+\n  a\n  b\n\n"),
            (r#"[" lead\nb"]"#, "|2-\n   lead\n  b\n"),
            (
                r#"[["a \nb", "a\tb\nc", "\nabc", "a\r\nb", "\n"]]"#,
                "- \"a \\nb\"\n- \"a\\tb\\nc\"\n- |2-\n\n  abc\n- \"a\\r\\nb\"\n- |2+\n\n",
            ),
            (
                r#"[{"a": {"b": {"c": [1]}}, "d": [{"e": [{"f": 1}]}]}]"#,
                "\"a\":\n  \"b\":\n    \"c\":\n    - 1\n\"d\":\n- \"e\":\n  - \"f\": 1\n",
            ),
            (
                r#"[{"a": {"b": "x\ny"}}]"#,
                "\"a\":\n  \"b\": |-\n    x\n    y\n",
            ),
            (
                r#"[[["a", "b"], {"c": []}]]"#,
                "- - \"a\"\n  - \"b\"\n- \"c\": []\n",
            ),
        ] {
            assert_eq!(call_ok("yamlencode", args), V::Str(want.into()), "{args}");
        }
    }

    #[test]
    fn yamlencode_folds_long_values_past_column_80() {
        let words = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu";
        let got = call_vals("yamlencode", vec![V::str(words)]);
        let want = "\"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq\n  rrrr ssss tttt uuuu\"\n";
        assert_eq!(got, Ok(V::str(want)));
        let mut m = BTreeMap::new();
        m.insert("k".to_string(), V::str(words));
        let got = call_vals("yamlencode", vec![V::map(m)]);
        let want = "\"k\": \"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp\n  qqqq rrrr ssss tttt uuuu\"\n";
        assert_eq!(got, Ok(V::str(want)));
        let mut m = BTreeMap::new();
        m.insert(words.to_string(), V::Num(1.0));
        let got = call_vals("yamlencode", vec![V::map(m)]);
        assert_eq!(
            got,
            Ok(V::Str(format!("\"{words}\": 1\n"))),
            "keys never fold"
        );
    }

    #[test]
    fn base64gzip_holds_its_text() -> Result<(), String> {
        // Ours, and another implementation's (Python's gzip), decompress to the text.
        let ours = call_ok("base64gzip", r##"["#!/bin/bash\nDEBUG=0\n"]"##);
        let V::Str(ours) = ours else {
            return Err(format!("not a string: {ours:?}"));
        };
        assert!(ours.starts_with("H4sI"), "{ours}");
        for s in [
            ours.as_str(),
            "H4sIAAAAAAACA1NW1E/KzNNPSizO4HJxdQp1tzXgAgBVuGNmFAAAAA==",
        ] {
            assert_eq!(base64_text(s).as_deref(), Some("#!/bin/bash\nDEBUG=0\n"));
        }
        assert_eq!(base64_text("aGk=").as_deref(), Some("hi"));
        assert_eq!(base64_text("not base64!"), None);
        Ok(())
    }

    #[test]
    fn base64_and_urlencode() {
        for (name, args, want) in [
            ("base64encode", r#"["héllo"]"#, "aMOpbGxv"),
            ("base64encode", r#"[""]"#, ""),
            ("base64encode", r#"["a"]"#, "YQ=="),
            ("base64encode", r#"["ab"]"#, "YWI="),
            ("base64decode", r#"["aGk="]"#, "hi"),
            ("base64decode", r#"["aMOpbGxv"]"#, "héllo"),
            ("base64decode", r#"["YWI=\n"]"#, "ab"),
            (
                "urlencode",
                r#"["a b&c=d/é~-_."]"#,
                "a+b%26c%3Dd%2F%C3%A9~-_.",
            ),
        ] {
            assert_eq!(call_ok(name, args), V::Str(want.into()), "{name}{args}");
        }
        for (args, want) in [
            (r#"["aGk"]"#, r#"failed to decode base64 data "aGk""#),
            (r#"["!!!!"]"#, r#"failed to decode base64 data "!!!!""#),
            (r#"["aG=k"]"#, r#"failed to decode base64 data "aG=k""#),
            (
                r#"["/w=="]"#,
                "the result of decoding the provided string is not valid UTF-8",
            ),
        ] {
            assert_eq!(err("base64decode", args), want, "{args}");
        }
    }

    #[test]
    fn yamldecode_reads_one_document() {
        let doc = "a: 1\nb: [x, 2.5, true, ~]\nc:\n  d: text\n";
        assert_eq!(
            call_vals("yamldecode", vec![V::str(doc)]).map(|v| v.to_string()),
            Ok(r#"{"a" = 1, "b" = ["x", 2.5, true, null], "c" = {"d" = "text"}}"#.to_string())
        );
        assert_eq!(
            call_vals("yamldecode", vec![V::str("{}")]),
            Ok(V::map(BTreeMap::new()))
        );
        assert!(call_vals("yamldecode", vec![V::str("a: [1")]).is_err());
        assert!(call_vals("yamldecode", vec![V::str("a: 1\n---\nb: 2\n")]).is_err());
        assert_eq!(
            call_vals("yamldecode", vec![V::unknown()]),
            Ok(V::unknown())
        );
    }
}
