//! `yamldecode` as Terraform reads YAML (go-cty-yaml): one document; plain scalars
//! resolved by YAML 1.1's rules (`yes`/`no`/`on`/`off` are bools, `0o17` and `0x1f`
//! numbers, dates timestamps), quoted and tagged scalars by their style and tag;
//! anchors and aliases; merge keys (`<<`); a later key replacing an earlier one. Reads
//! the events of yaml-rust2's parser and builds values itself; never writes YAML.

use crate::limits::Limit;
use crate::value::{num_text, V};
use std::collections::{BTreeMap, HashMap};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The value of the one YAML document in `text` (`null` for none), or why not.
pub(super) fn decode(text: &str) -> Result<V, String> {
    let mut reader = Reader::default();
    Parser::new(text.chars())
        .load(&mut reader, true)
        .map_err(|e| at(e.marker(), e.info()))?;
    match reader.error {
        Some(e) => Err(e),
        None => Ok(reader.done.unwrap_or(V::Null)),
    }
}

/// go-cty-yaml's place in an error: `on line 2, column 1: …`.
fn at(mark: &Marker, what: impl std::fmt::Display) -> String {
    format!("on line {}, column {}: {what}", mark.line(), mark.col() + 1)
}

/// The YAML types' tag prefix, as the parser expands `!!`.
const YAML_TAG: &str = "tag:yaml.org,2002:";

/// A sequence or mapping being read.
enum Node {
    Seq(Vec<V>, usize),
    /// The entries so far, the key whose value comes next (`None`: a key comes next),
    /// and the anchor.
    Map(BTreeMap<String, V>, Option<Key>, usize),
}

enum Key {
    Name(String),
    /// `<<`: the value is merged into the mapping.
    Merge,
}

#[derive(Default)]
struct Reader {
    stack: Vec<Node>,
    /// Values of the anchors whose node is complete, with their sizes.
    anchors: HashMap<usize, (V, u64)>,
    /// The size of what aliases copied in and anchors kept so far: bounded by the
    /// `value-size` limit, so that aliases of aliases (a "billion laughs" document),
    /// or anchors around a large expansion, cannot make too large a value to hold.
    copied: u64,
    documents: usize,
    done: Option<V>,
    error: Option<String>,
}

impl MarkedEventReceiver for Reader {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_none() {
            if let Err(e) = self.event(ev) {
                self.error = Some(at(&mark, e));
            }
        }
    }
}

impl Reader {
    fn event(&mut self, ev: Event) -> Result<(), String> {
        match ev {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err("unexpected extra content after value".into());
                }
            }
            Event::SequenceStart(anchor, tag) => {
                self.container(tag.as_ref(), "seq", "sequence")?;
                self.nest()?;
                self.stack.push(Node::Seq(Vec::new(), anchor));
            }
            Event::MappingStart(anchor, tag) => {
                self.container(tag.as_ref(), "map", "mapping")?;
                self.nest()?;
                self.stack.push(Node::Map(BTreeMap::new(), None, anchor));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor) = match self.stack.pop() {
                    Some(Node::Seq(items, anchor)) => (V::list(items), anchor),
                    Some(Node::Map(m, _, anchor)) => (V::map(m), anchor),
                    None => return Err("unexpected end of a collection".into()),
                };
                self.complete(v, anchor)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if let Some(Node::Map(_, key @ None, _)) = self.stack.last_mut() {
                    let merge = match &tag {
                        None => style == TScalarStyle::Plain && text == "<<",
                        Some(t) => format!("{}{}", t.handle, t.suffix) == "tag:yaml.org,2002:merge",
                    };
                    *key = Some(if merge {
                        Key::Merge
                    } else {
                        match scalar(&text, style, tag.as_ref())? {
                            V::Null => return Err("mapping key cannot be null".into()),
                            V::Str(s) => Key::Name(s),
                            V::Bool(b) => Key::Name(b.to_string()),
                            V::Num(n) => Key::Name(num_text(n)),
                            _ => return Err("only strings are allowed as mapping keys".into()),
                        }
                    });
                    return Ok(());
                }
                let v = scalar(&text, style, tag.as_ref())?;
                self.complete(v, anchor)?;
            }
            Event::Alias(id) => {
                self.key_expected()?;
                let (v, size) = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or("cannot refer to an anchor from inside its own definition")?;
                self.copy(size)?;
                self.value(v)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// A sequence or mapping starts: not as a key, and with no tag but its own.
    fn container(&self, tag: Option<&Tag>, own: &str, what: &str) -> Result<(), String> {
        self.key_expected()?;
        match tag.map(|t| format!("{}{}", t.handle, t.suffix)) {
            Some(t) if t != format!("{YAML_TAG}{own}") => {
                Err(format!("can't interpret {what} as {t}"))
            }
            _ => Ok(()),
        }
    }

    /// An error when a mapping expects a key here (only scalars are keys).
    fn key_expected(&self) -> Result<(), String> {
        match self.stack.last() {
            Some(Node::Map(_, None, _)) => Err("only strings are allowed as mapping keys".into()),
            _ => Ok(()),
        }
    }

    /// A node is complete: remember it under its anchor (a copy, counted as one), and
    /// place it.
    fn complete(&mut self, v: V, anchor: usize) -> Result<(), String> {
        if anchor > 0 {
            let size = v.size();
            self.copy(size)?;
            self.anchors.insert(anchor, (v.clone(), size));
        }
        self.value(v)
    }

    /// Counts a copy of a value of `size`.
    fn copy(&mut self, size: u64) -> Result<(), String> {
        self.copied = self.copied.saturating_add(size);
        let limit = crate::limits::current().value_size;
        if self.copied > limit {
            return Err(crate::limits::exceeded(
                Limit::ValueSize,
                "the document's anchors and aliases make a value larger than that",
            ));
        }
        Ok(())
    }

    /// A sequence or mapping starts inside those being read: not deeper than the
    /// `depth` limit, so that the value made can be walked (and dropped) recursively.
    fn nest(&self) -> Result<(), String> {
        if self.stack.len() as u64 >= crate::limits::current().depth {
            return Err(crate::limits::exceeded(
                Limit::Depth,
                "the document is nested deeper than that",
            ));
        }
        Ok(())
    }

    /// Places a value in the node being read, or as the document's value.
    fn value(&mut self, v: V) -> Result<(), String> {
        match self.stack.last_mut() {
            None if self.done.is_some() => Err("unexpected extra content after value".into()),
            None => {
                self.done = Some(v);
                Ok(())
            }
            Some(Node::Seq(items, _)) => {
                items.push(v);
                Ok(())
            }
            Some(Node::Map(m, key, _)) => match key.take() {
                Some(Key::Name(k)) => {
                    m.insert(k, v);
                    Ok(())
                }
                Some(Key::Merge) => merge(m, v),
                None => Err("only strings are allowed as mapping keys".into()),
            },
        }
    }
}

/// Merges a mapping, or a sequence of mappings, into `m` (`<<: *base`).
fn merge(m: &mut BTreeMap<String, V>, v: V) -> Result<(), String> {
    match v {
        V::Map(other) => m.extend(other),
        V::List(items) => {
            for item in items {
                match item {
                    V::Map(other) => m.extend(other),
                    other => {
                        return Err(format!(
                            "cannot merge {} (from sequence) into mapping",
                            other.type_name()
                        ))
                    }
                }
            }
        }
        other => return Err(format!("cannot merge {} into mapping", other.type_name())),
    }
    Ok(())
}

/// The plain scalars that YAML 1.1 gives a value of their own.
fn special(src: &str) -> Option<V> {
    Some(match src {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            V::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            V::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => V::Null,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => V::Num(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => V::Num(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// A scalar's value, as go-cty-yaml resolves it from its text, style and tag.
fn scalar(src: &str, style: TScalarStyle, tag: Option<&Tag>) -> Result<V, String> {
    let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
    let mut kind = match tag.as_deref() {
        None => "",
        Some(t) => match t.strip_prefix(YAML_TAG) {
            Some(k @ ("str" | "bool" | "int" | "float" | "null" | "timestamp" | "binary")) => k,
            _ => return Err(format!("unsupported tag {:?}", tag.unwrap_or_default())),
        },
    };
    // What the first character suggests the scalar may be.
    let hint = match src.bytes().next() {
        None => 'N',
        Some(b'+' | b'-') => 'S',
        Some(b'0'..=b'9') => 'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => 'M',
        Some(b'.') => '.',
        Some(_) => '\0',
    };
    if hint != '\0' && kind != "str" && kind != "binary" {
        if matches!(
            style,
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
        ) {
            return Ok(V::str(src));
        }
        if let Some(v) = special(src) {
            return Ok(v);
        }
        if kind.is_empty() && matches!(src, ".nan" | ".NaN" | ".NAN") {
            return Err("floating point NaN is not supported".into());
        }
        match hint {
            '.' => {
                if let Some(n) = decimal(src) {
                    return Ok(V::Num(n));
                }
            }
            'D' | 'S' => {
                if kind.is_empty() || kind == "timestamp" {
                    if let Some(t) = timestamp(src) {
                        return Ok(V::Str(t));
                    }
                }
                if int_literal(src) {
                    kind = "int";
                } else if float_literal(src) {
                    kind = "float";
                }
            }
            _ => {}
        }
    }
    let cannot = |kind: &str| {
        format!(
            "cannot parse {} as {YAML_TAG}{kind}",
            crate::scrub::quote(src)
        )
    };
    match kind {
        "binary" if !binary(src) => Err(format!("{}: not valid base64", cannot(kind))),
        "str" | "binary" | "" => Ok(V::str(src)),
        "bool" => match special(src) {
            Some(b @ V::Bool(_)) => Ok(b),
            _ => Err(cannot(kind)),
        },
        "int" | "float" => {
            let plain = src.replace('_', "");
            decimal(&plain)
                .or_else(|| prefixed(&plain))
                .map(V::Num)
                .ok_or_else(|| cannot(kind))
        }
        "timestamp" => timestamp(src).map(V::Str).ok_or_else(|| cannot(kind)),
        _ => Ok(V::Null),
    }
}

/// A decimal number (Go's `big.ParseFloat` in base 10, as `cty.ParseNumberVal`).
fn decimal(s: &str) -> Option<f64> {
    s.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        .then(|| s.parse::<f64>().ok())
        .flatten()
}

/// An integer with a base prefix (`0x1f`, `0o17`, `0b101`, `017`), as Go's
/// `strconv.ParseInt(s, 0, 64)`.
fn prefixed(s: &str) -> Option<f64> {
    let (neg, t) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (digits, radix) = match t.get(..2) {
        Some("0x" | "0X") => (&t[2..], 16),
        Some("0o" | "0O") => (&t[2..], 8),
        Some("0b" | "0B") => (&t[2..], 2),
        _ if t.len() > 1 && t.starts_with('0') => (&t[1..], 8),
        _ => return None,
    };
    let n = i64::from_str_radix(digits, radix).ok()? as f64;
    Some(if neg { -n } else { n })
}

/// go-cty-yaml's integer literal: `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
fn int_literal(s: &str) -> bool {
    let all = |t: &str, f: fn(&u8) -> bool| !t.is_empty() && t.as_bytes().iter().all(f);
    all(s.strip_prefix(['+', '-']).unwrap_or(s), u8::is_ascii_digit)
        || s.strip_prefix("0o")
            .is_some_and(|t| all(t, |b| (b'0'..=b'7').contains(b)))
        || s.strip_prefix("0x")
            .is_some_and(|t| all(t, u8::is_ascii_hexdigit))
}

/// go-cty-yaml's float literal: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn float_literal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Whether `s` is standard base64 (what `!!binary` must hold).
fn binary(s: &str) -> bool {
    let t = s.trim_end_matches('=');
    s.len() % 4 == 0
        && s.len() - t.len() <= 2
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// A YAML timestamp in one of the forms go-cty-yaml reads (`2006-1-2`,
/// `2006-1-2T15:4:5.999Z07:00`, `2006-1-2 15:4:5.999`), as RFC 3339 without
/// fractional seconds.
fn timestamp(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    // Numbers of one or two digits, and what follows them.
    fn num(s: &str, max_digits: usize) -> Option<(u32, &str)> {
        let n = s
            .bytes()
            .take(max_digits)
            .take_while(u8::is_ascii_digit)
            .count();
        Some((s.get(..n)?.parse().ok()?, &s[n..]))
    }
    let year: u32 = s[..4].parse().ok()?;
    let (month, rest) = num(&s[5..], 2)?;
    let (day, rest) = num(rest.strip_prefix('-')?, 2)?;
    if !(1..=12).contains(&month)
        || day == 0
        || i64::from(day) > super::time::days_in_month(i64::from(year), i64::from(month))
    {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if rest.is_empty() {
        return Some(format!("{date}T00:00:00Z"));
    }
    let (zoned, rest) = match rest.as_bytes()[0] {
        b'T' | b't' => (true, &rest[1..]),
        b' ' => (false, &rest[1..]),
        _ => return None,
    };
    let (hour, rest) = num(rest, 2)?;
    let (min, rest) = num(rest.strip_prefix(':')?, 2)?;
    let (sec, mut rest) = num(rest.strip_prefix(':')?, 2)?;
    if hour > 23 || min > 59 || sec > 59 {
        return None;
    }
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 9 {
            return None;
        }
        rest = &frac[n..];
    }
    let zone = match (zoned, rest) {
        (false, "") | (true, "Z") => "Z".to_string(),
        (true, z) if z.len() == 6 && matches!(z.as_bytes()[0], b'+' | b'-') => {
            let (h, m) = (z.get(1..3)?, z.get(4..6)?);
            if z.as_bytes()[3] != b':' || !(h.bytes().chain(m.bytes())).all(|c| c.is_ascii_digit())
            {
                return None;
            }
            if h == "00" && m == "00" {
                "Z".to_string()
            } else {
                z.to_string()
            }
        }
        _ => return None,
    };
    Some(format!("{date}T{hour:02}:{min:02}:{sec:02}{zone}"))
}

#[cfg(test)]
mod tests {
    use super::decode;
    use crate::value::V;

    /// Nine `lol`s, then levels `b`… of nine aliases each of the level before.
    fn laughs(levels: &str) -> String {
        let mut doc = String::from("a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        let mut prev = 'a';
        for n in levels.chars() {
            let aliases = vec![format!("*{prev}"); 9].join(",");
            doc.push_str(&format!("{n}: &{n} [{aliases}]\n"));
            prev = n;
        }
        doc
    }

    #[test]
    fn anchors_and_aliases_cannot_make_a_value_past_the_size_limit() {
        // 498 bytes: 860 000 elements made by aliases, then forty anchors around them,
        // each a copy: 2.9 GB and 15 s before anchors' copies were counted.
        let mut doc = laughs("bcde");
        let anchors: String = (0..40).map(|i| format!("&g{i} [")).collect();
        let aliases = vec!["*e"; 13].join(",");
        doc.push_str(&format!("f: {anchors}[{aliases}]{}\n", "]".repeat(40)));
        let e = decode(&doc).err().unwrap_or_default();
        assert!(e.contains("--limit value-size=N"), "{e}");
        // Aliases of aliases: 9^9 elements from 342 bytes.
        let e = decode(&laughs("bcdefghi")).err().unwrap_or_default();
        assert!(e.contains("--limit value-size=N"), "{e}");
        // What real documents do with anchors still reads.
        let v = decode("base: &b {x: 1}\nprod:\n  <<: *b\n  z: 2\nlist: [*b, *b]\n");
        let Ok(V::Map(m)) = v else {
            panic!("{v:?}");
        };
        assert_eq!(
            m.get("prod").map(V::to_string).as_deref(),
            Some("{\"x\" = 1, \"z\" = 2}")
        );
        assert_eq!(m.get("list").and_then(V::as_seq).map(<[V]>::len), Some(2));
        let small = decode(&laughs("bcd"));
        assert!(small.is_ok(), "{small:?}");
    }

    #[test]
    fn nesting_is_bounded_by_the_depth_limit() {
        let depth = crate::limits::Limits::DEFAULT.depth as usize;
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(decode(&deep(depth)).is_ok());
        let e = decode(&deep(depth + 1)).err().unwrap_or_default();
        assert!(e.contains("--limit depth=N"), "{e}");
        // The parser stops first, at its own limit.
        let e = decode(&deep(100_000)).err().unwrap_or_default();
        assert!(e.contains("recursion limit exceeded"), "{e}");
    }
}
