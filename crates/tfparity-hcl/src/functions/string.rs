//! String functions: `join`, `split`, `replace` (literal or `/regexp/`), `regex`,
//! `regexall`, case, trimming, `substr`, `indent`, `strrev`, ... Lengths and offsets are
//! in grapheme clusters like Terraform's; regular expressions use the `regex` crate with
//! Go's RE2 meaning of `\d \w \s \b` (ASCII only) restored.

use super::{fail, Args, FnError, Spec, Unknowns};
use crate::value::V;
use regex::Regex;
use std::collections::BTreeMap;
use unicode_segmentation::UnicodeSegmentation;

pub(super) const SPECS: &[Spec] = &[
    Spec::new("chomp", &["str"], |a| {
        Ok(V::Str(a.str(0)?.trim_end_matches(['\r', '\n']).to_string()))
    }),
    Spec::new("endswith", &["str", "suffix"], |a| {
        Ok(V::Bool(a.str(0)?.ends_with(&a.str(1)?)))
    }),
    Spec::new("indent", &["spaces", "str"], indent),
    Spec::new("join", &["separator"], join).var("lists"),
    Spec::new("lower", &["str"], |a| Ok(V::Str(lower(&a.str(0)?)))),
    Spec::new("regex", &["pattern", "string"], regex),
    Spec::new("regexall", &["pattern", "string"], regexall),
    Spec::new("replace", &["str", "substr", "replace"], replace),
    Spec::new("split", &["separator", "str"], split),
    Spec::new("startswith", &["str", "prefix"], startswith).unknowns(Unknowns::Own),
    Spec::new("strcontains", &["str", "substr"], |a| {
        Ok(V::Bool(a.str(0)?.contains(&a.str(1)?)))
    }),
    Spec::new("strrev", &["str"], |a| {
        Ok(V::Str(a.str(0)?.graphemes(true).rev().collect()))
    }),
    Spec::new("substr", &["str", "offset", "length"], substr),
    Spec::new("title", &["str"], |a| Ok(V::Str(title(&a.str(0)?)))),
    Spec::new("trim", &["str", "cutset"], |a| {
        let cutset = a.str(1)?;
        Ok(V::Str(
            a.str(0)?.trim_matches(|c| cutset.contains(c)).to_string(),
        ))
    }),
    Spec::new("trimprefix", &["str", "prefix"], |a| {
        let s = a.str(0)?;
        let prefix = a.str(1)?;
        Ok(V::Str(
            s.strip_prefix(prefix.as_str()).unwrap_or(&s).to_string(),
        ))
    }),
    Spec::new("trimspace", &["str"], |a| {
        Ok(V::Str(a.str(0)?.trim().to_string()))
    }),
    Spec::new("trimsuffix", &["str", "suffix"], |a| {
        let s = a.str(0)?;
        let suffix = a.str(1)?;
        Ok(V::Str(
            s.strip_suffix(suffix.as_str()).unwrap_or(&s).to_string(),
        ))
    }),
    Spec::new("upper", &["str"], |a| Ok(V::Str(upper(&a.str(0)?)))),
];

/// Go's `strings.ToUpper`: one character for one (`ß` stays `ß`).
fn upper(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut up = c.to_uppercase();
            match (up.next(), up.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect()
}

/// Go's `strings.ToLower`: one character for one (`İ` becomes `i`, no final sigma).
fn lower(s: &str) -> String {
    s.chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

/// Unicode title case: upper case except for the four digraphs that have their own.
fn title_char(c: char) -> char {
    match c {
        'Ǆ' | 'ǅ' | 'ǆ' => 'ǅ',
        'Ǉ' | 'ǈ' | 'ǉ' => 'ǈ',
        'Ǌ' | 'ǋ' | 'ǌ' => 'ǋ',
        'Ǳ' | 'ǲ' | 'ǳ' => 'ǲ',
        c => upper(c.encode_utf8(&mut [0; 4]))
            .chars()
            .next()
            .unwrap_or(c),
    }
}

/// Go's `strings.Title`: the first letter of each word in title case, a word starting
/// after anything but a letter, digit or `_` (outside ASCII: after white space only).
fn title(s: &str) -> String {
    let separator = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else if c.is_alphabetic() || c.is_numeric() {
            false
        } else {
            c.is_whitespace()
        }
    };
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if separator(prev) { title_char(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

fn indent(a: &mut Args) -> Result<V, FnError> {
    let n = a.int(0)?;
    let s = a.str(1)?;
    let n = usize::try_from(n).map_err(|_| a.bad(0, "must not be negative"))?;
    if n > 1 << 16 {
        return Err(a.bad(0, "must not be more than 65536"));
    }
    let lines = s.bytes().filter(|b| *b == b'\n').count();
    let len = (lines as u64)
        .saturating_mul(n as u64)
        .saturating_add(s.len() as u64);
    crate::limits::string("indent", len).map_err(fail)?;
    Ok(V::Str(s.replace('\n', &format!("\n{}", " ".repeat(n)))))
}

fn join(a: &mut Args) -> Result<V, FnError> {
    let sep = a.str(0)?;
    if a.len() < 2 {
        return Err(fail("at least one list is required"));
    }
    let many = a.len() > 2;
    // As long as the strings and a separator between each two: checked before any is
    // copied.
    let (mut len, mut count) = (0u64, 0u64);
    for v in &a.vals[1..] {
        for x in v.as_seq().unwrap_or_default() {
            let n = match x {
                V::Str(s) => s.len(),
                // A number or bool as text: at most 330 bytes (5e-324 in full).
                _ => 330,
            };
            len = len.saturating_add(n as u64);
            count += 1;
        }
    }
    let seps = count.saturating_sub(1).saturating_mul(sep.len() as u64);
    crate::limits::string("join", len.saturating_add(seps)).map_err(fail)?;
    let mut items = Vec::new();
    for i in 1..a.len() {
        for (n, s) in a.strings(i)?.into_iter().enumerate() {
            let Some(s) = s else {
                return Err(a.bad(
                    i,
                    if many {
                        format!("element {n} of list {i} is null; cannot concatenate null values")
                    } else {
                        format!("element {n} is null; cannot concatenate null values")
                    },
                ));
            };
            items.push(s);
        }
    }
    Ok(V::Str(items.join(&sep)))
}

fn split(a: &mut Args) -> Result<V, FnError> {
    let sep = a.str(0)?;
    let s = a.str(1)?;
    // As many parts as separators and one, checked before any is made.
    let n = if sep.is_empty() {
        s.chars().count()
    } else {
        s.matches(sep.as_str()).count() + 1
    };
    crate::limits::collection("split", n as u64).map_err(fail)?;
    let parts: Vec<V> = if sep.is_empty() {
        // Go splits into characters, and an empty string into nothing.
        s.chars().map(|c| V::Str(c.to_string())).collect()
    } else {
        s.split(sep.as_str()).map(V::str).collect()
    };
    Ok(V::list(parts))
}

fn startswith(a: &mut Args) -> Result<V, FnError> {
    if a.get(1).has_unknown() {
        return Ok(V::unknown());
    }
    let prefix = a.str(1)?;
    if a.get(0).is_unknown() {
        return Ok(if prefix.is_empty() {
            V::Bool(true)
        } else {
            V::unknown()
        });
    }
    Ok(V::Bool(a.str(0)?.starts_with(&prefix)))
}

/// cty's `substr`: offsets and lengths in grapheme clusters, a negative offset counting
/// from the end, a negative length meaning "to the end".
fn substr(a: &mut Args) -> Result<V, FnError> {
    let s = a.str(0)?;
    let mut offset = a.int(1)?;
    let length = a.int(2)?;
    // Walked, not collected: a list of every cluster of a long string is many times
    // the string.
    if offset < 0 {
        offset += s.graphemes(true).count() as i64;
    } else if length == 0 {
        return Ok(V::str(""));
    }
    let start = usize::try_from(offset.max(0)).unwrap_or(usize::MAX);
    let mut clusters = s.grapheme_indices(true).skip(start);
    let Some((from, _)) = clusters.next() else {
        return Ok(V::str(""));
    };
    let to = match usize::try_from(length) {
        Ok(n) if n > 0 => clusters.nth(n - 1).map_or(s.len(), |(i, _)| i),
        _ => s.len(),
    };
    Ok(V::str(&s[from..to]))
}

/// A pattern in Go's RE2 syntax made to mean the same to the `regex` crate: Perl classes
/// and word boundaries are ASCII-only in Go, and `[`, `&` and `~` are plain characters
/// inside a Go character class.
pub(super) fn go_regex(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_start = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let text = match (in_class, e) {
                    (false, 'd') => "[0-9]",
                    (false, 'D') => "[^0-9]",
                    (false, 'w') => "[0-9A-Za-z_]",
                    (false, 'W') => "[^0-9A-Za-z_]",
                    (false, 's') => r"[\t\n\f\r ]",
                    (false, 'S') => r"[^\t\n\f\r ]",
                    (false, 'b') => r"(?-u:\b)",
                    (false, 'B') => r"(?-u:\B)",
                    (true, 'd') => "0-9",
                    (true, 'D') => "[:^digit:]",
                    (true, 'w') => "0-9A-Za-z_",
                    (true, 'W') => "[:^word:]",
                    (true, 's') => r"\t\n\f\r ",
                    (true, 'S') => "[:^space:]",
                    _ => {
                        out.push('\\');
                        out.push(e);
                        continue;
                    }
                };
                out.push_str(text);
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
            }
            '[' if chars.peek() == Some(&':') => {
                // A named ASCII class: copy it through its closing `:]`.
                out.push('[');
                for n in chars.by_ref() {
                    out.push(n);
                    if n == ']' {
                        break;
                    }
                }
            }
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            ']' if in_class && !at_start => {
                in_class = false;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

/// Compiles a Go regular expression; the error is Go's description where it has one.
fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(&go_regex(pattern)).map_err(|e| {
        let text = e.to_string();
        let last = text
            .lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix("error: "))
            .unwrap_or(&text)
            .to_string();
        match last.as_str() {
            "unclosed group" => "missing closing )".to_string(),
            "unopened group" => "unexpected )".to_string(),
            "unclosed character class" => "missing closing ]".to_string(),
            "repetition operator missing expression" => {
                "missing argument to repetition operator".to_string()
            }
            _ => last,
        }
    })
}

fn replace(a: &mut Args) -> Result<V, FnError> {
    let s = a.str(0)?;
    let sub = a.str(1)?;
    let rep = a.str(2)?;
    if sub.len() > 1 && sub.starts_with('/') && sub.ends_with('/') {
        let pattern = &sub[1..sub.len() - 1];
        let re = compile(pattern).map_err(|e| {
            fail(format!(
                "error parsing regexp: {}: `{}`",
                crate::scrub::value(e),
                crate::scrub::value(pattern)
            ))
        })?;
        // What `replace_all` does, checking the length as the result grows: every match
        // (of an empty pattern, between every two characters) may add the whole
        // replacement, `$0` expanded.
        let limit = crate::limits::current().string_length;
        let mut out = String::new();
        let mut last = 0;
        for caps in re.captures_iter(&s) {
            let Some(m) = caps.get(0) else { continue };
            out.push_str(&s[last..m.start()]);
            caps.expand(&rep, &mut out);
            last = m.end();
            if out.len() as u64 > limit {
                return Err(fail(crate::limits::exceeded(
                    crate::limits::Limit::StringLength,
                    format!("replace would make a string of more than {limit} bytes"),
                )));
            }
        }
        out.push_str(&s[last..]);
        crate::limits::string("replace", out.len() as u64).map_err(fail)?;
        return Ok(V::Str(out));
    }
    // As long as the string with each match replaced, checked before it is made.
    let matches = if sub.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(sub.as_str()).count()
    };
    let len = (s.len() as u64)
        .saturating_sub((matches * sub.len()) as u64)
        .saturating_add((matches as u64).saturating_mul(rep.len() as u64));
    crate::limits::string("replace", len).map_err(fail)?;
    Ok(V::Str(s.replace(&sub, &rep)))
}

/// The shape of a match: the whole match, a tuple of unnamed groups or an object of named
/// ones (a group that took no part is `null`).
enum Shape {
    Whole,
    Unnamed,
    Named,
}

fn pattern(a: &Args) -> Result<(Regex, Shape), FnError> {
    let pattern = a.str(0)?;
    let re = compile(&pattern).map_err(|e| {
        a.bad(
            0,
            format!(
                "invalid regexp pattern: {} in {}",
                crate::scrub::value(e),
                crate::scrub::value(&pattern)
            ),
        )
    })?;
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let named = names.iter().filter(|n| n.is_some()).count();
    let shape = match (names.len(), named) {
        (0, _) => Shape::Whole,
        (n, 0) if n > 0 => Shape::Unnamed,
        (n, m) if n == m => Shape::Named,
        _ => {
            return Err(a.bad(
                0,
                "invalid regexp pattern: cannot mix both named and unnamed capture groups",
            ))
        }
    };
    Ok((re, shape))
}

fn captures(re: &Regex, shape: &Shape, caps: &regex::Captures) -> V {
    let group = |m: Option<regex::Match>| m.map_or(V::Null, |m| V::str(m.as_str()));
    match shape {
        Shape::Whole => group(caps.get(0)),
        Shape::Unnamed => V::List((1..caps.len()).map(|i| group(caps.get(i))).collect()),
        Shape::Named => V::Map(
            re.capture_names()
                .flatten()
                .map(|n| (n.to_string(), group(caps.name(n))))
                .collect::<BTreeMap<_, _>>()
                .into(),
        ),
    }
}

fn regex(a: &mut Args) -> Result<V, FnError> {
    let (re, shape) = pattern(a)?;
    let s = a.str(1)?;
    let caps = re
        .captures(&s)
        .ok_or_else(|| fail("pattern did not match any part of the given string"))?;
    Ok(captures(&re, &shape, &caps))
}

fn regexall(a: &mut Args) -> Result<V, FnError> {
    let (re, shape) = pattern(a)?;
    let s = a.str(1)?;
    // Every match of a pattern that matches the empty string: one between every two
    // characters. Counted as they are found.
    let limit = crate::limits::current().collection_length;
    let mut out = Vec::new();
    for caps in re.captures_iter(&s) {
        if out.len() as u64 >= limit {
            return Err(fail(crate::limits::exceeded(
                crate::limits::Limit::CollectionLength,
                format!("regexall would make more than {limit} elements"),
            )));
        }
        out.push(captures(&re, &shape, &caps));
    }
    Ok(V::list(out))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call_ok, call_vals, err, j};
    use super::*;

    #[test]
    fn results() {
        for (name, args, want) in [
            ("join", r#"[",", [1, 2]]"#, r#""1,2""#),
            ("join", r#"[",", [1, true]]"#, r#""1,true""#),
            ("join", r#"[", ", ["a"], [], ["b"]]"#, r#""a, b""#),
            ("join", r#"["-", []]"#, r#""""#),
            ("split", r#"[",", ""]"#, r#"[""]"#),
            ("split", r#"[",", "a,b,,c"]"#, r#"["a", "b", "", "c"]"#),
            ("split", r#"["", "abc"]"#, r#"["a", "b", "c"]"#),
            ("split", r#"["", ""]"#, "[]"),
            ("replace", r#"["1 + 2 + 3", "+", "-"]"#, r#""1 - 2 - 3""#),
            (
                "replace",
                r#"["hello world", "/w.*d/", "everybody"]"#,
                r#""hello everybody""#,
            ),
            ("replace", r#"["hello", "/(l+)/", "[$1]"]"#, r#""he[ll]o""#),
            (
                "replace",
                r#"["a-b", "/(?P<x>a)-(?P<y>b)/", "$y-${x}"]"#,
                r#""b-a""#,
            ),
            ("replace", r#"["abc", "/(b)/", "$1x"]"#, r#""ac""#),
            ("replace", r#"["abc", "/(b)/", "${1}x"]"#, r#""abxc""#),
            ("replace", r#"["abc", "/(b)/", "$$"]"#, r#""a$c""#),
            ("replace", r#"["abc", "/", "x"]"#, r#""abc""#),
            ("replace", r#"["aaa", "", "x"]"#, r#""xaxaxax""#),
            ("replace", r#"["a.b.c", ".", "-"]"#, r#""a-b-c""#),
            ("replace", r#"["10.0.0.0/8", "/", "_"]"#, r#""10.0.0.0_8""#),
            ("lower", r#"["HeLLo"]"#, r#""hello""#),
            ("lower", r#"["İSTANBUL Σ"]"#, r#""istanbul σ""#),
            ("lower", "[true]", r#""true""#),
            ("upper", r#"["straße ǆ é"]"#, r#""STRAßE Ǆ É""#),
            (
                "title",
                r#"["hello wORLD foo_bar a-b 1st élan x.y"]"#,
                r#""Hello WORLD Foo_bar A-B 1st Élan X.Y""#,
            ),
            ("title", r#"["ǆemal"]"#, r#""ǅemal""#),
            ("chomp", r#"["hi\r\n\n\r"]"#, r#""hi""#),
            ("chomp", r#"["a\nb"]"#, r#""a\nb""#),
            ("endswith", r#"["abc", "bc"]"#, "true"),
            ("startswith", r#"["abc", "b"]"#, "false"),
            ("startswith", r#"["abc", ""]"#, "true"),
            ("strcontains", r#"["abc", "x"]"#, "false"),
            ("indent", r#"[2, "a\nb\n"]"#, r#""a\n  b\n  ""#),
            ("substr", r#"["hello world", 1, 4]"#, r#""ello""#),
            ("substr", r#"["hello", -3, -1]"#, r#""llo""#),
            ("substr", r#"["hello", 10, 2]"#, r#""""#),
            ("substr", r#"["hello", -10, 2]"#, r#""he""#),
            ("substr", r#"["hello", 1, 0]"#, r#""""#),
            ("substr", r#"["hello", -1, 0]"#, r#""o""#),
            ("substr", r#"["hello", 0, 100]"#, r#""hello""#),
            ("substr", r#"["👍🏽ab", 0, 1]"#, r#""👍🏽""#),
            ("strrev", r#"["👍🏽ab"]"#, r#""ba👍🏽""#),
            ("trim", r#"["?!hello?!", "!?"]"#, r#""hello""#),
            ("trimspace", r#"["  \n hi \t"]"#, r#""hi""#),
            ("trimprefix", r#"["helloworld", "hello"]"#, r#""world""#),
            ("trimprefix", r#"["hellohello", "hello"]"#, r#""hello""#),
            ("trimsuffix", r#"["helloworld", "world"]"#, r#""hello""#),
            (
                "regex",
                r#"["[a-z]+", "53453453.345345aaabbbccc23454"]"#,
                r#""aaabbbccc""#,
            ),
            (
                "regex",
                r#"["(\\d\\d)(\\d\\d)", "2019"]"#,
                r#"["20", "19"]"#,
            ),
            (
                "regex",
                r#"["(?P<y>\\d+)-(?P<m>\\d+)", "2019-02"]"#,
                r#"{"m": "02", "y": "2019"}"#,
            ),
            ("regex", r#"["(a)|(b)", "b"]"#, r#"[null, "b"]"#),
            ("regex", r#"["\\d", "٣1"]"#, r#""1""#),
            ("regex", r#"["[\\d]+", "٣12"]"#, r#""12""#),
            ("regex", r#"["\\w+", "é_ab"]"#, r#""_ab""#),
            ("regex", r#"["[[]", "a["]"#, r#""[""#),
            ("regex", r#"["[a&&b]+", "x&&b"]"#, r#""&&b""#),
            ("regex", r#"["^(?i)ab$", "AB"]"#, r#""AB""#),
            ("regexall", r#"["[a-z]+", "1a2bb3"]"#, r#"["a", "bb"]"#),
            ("regexall", r#"["x", "abc"]"#, "[]"),
            (
                "regexall",
                r#"["(\\d)(\\w)", "1a 2b"]"#,
                r#"[["1", "a"], ["2", "b"]]"#,
            ),
        ] {
            assert_eq!(call_ok(name, args), j(want), "{name}{args}");
        }
    }

    #[test]
    fn errors() {
        for (name, args, want) in [
            ("join", r#"[","]"#, "at least one list is required"),
            (
                "join",
                r#"[",", "a"]"#,
                r#"Invalid value for "lists" parameter: list of string required"#,
            ),
            (
                "join",
                r#"[",", [[1]]]"#,
                r#"Invalid value for "lists" parameter: element 0: string required"#,
            ),
            (
                "join",
                r#"[",", [1, null]]"#,
                r#"Invalid value for "lists" parameter: element 1 is null; cannot concatenate null values"#,
            ),
            (
                "join",
                r#"[",", ["a"], [null]]"#,
                r#"Invalid value for "lists" parameter: element 0 of list 2 is null; cannot concatenate null values"#,
            ),
            (
                "upper",
                "[[1]]",
                r#"Invalid value for "str" parameter: string required"#,
            ),
            (
                "replace",
                r#"["abc", "/(/", "x"]"#,
                "error parsing regexp: missing closing ): `(`",
            ),
            (
                "regex",
                r#"["(?P<y>\\d+)-(\\d+)", "2019-02"]"#,
                r#"Invalid value for "pattern" parameter: invalid regexp pattern: cannot mix both named and unnamed capture groups"#,
            ),
            (
                "regex",
                r#"["x", "abc"]"#,
                "pattern did not match any part of the given string",
            ),
            (
                "regex",
                r#"["(", "abc"]"#,
                r#"Invalid value for "pattern" parameter: invalid regexp pattern: missing closing ) in ("#,
            ),
            (
                "regexall",
                r#"["[a", "abc"]"#,
                r#"Invalid value for "pattern" parameter: invalid regexp pattern: missing closing ] in [a"#,
            ),
            (
                "indent",
                r#"[-1, "a"]"#,
                r#"Invalid value for "spaces" parameter: must not be negative"#,
            ),
            (
                "substr",
                r#"["abc", 1.5, 1]"#,
                r#"Invalid value for "offset" parameter: value must be a whole number, between -9223372036854775808 and 9223372036854775807"#,
            ),
        ] {
            assert_eq!(err(name, args), want, "{name}{args}");
        }
    }

    #[test]
    fn go_patterns_translate() {
        for (go, rust) in [
            (r"\d+\.\s", r"[0-9]+\.[\t\n\f\r ]"),
            (r"[\d\D]", "[0-9[:^digit:]]"),
            (r"[^[:alpha:]&]", r"[^[:alpha:]\&]"),
            (r"[]a]", "[]a]"),
            (r"\bx\B", r"(?-u:\b)x(?-u:\B)"),
            (r"a\\d", r"a\\d"),
        ] {
            assert_eq!(go_regex(go), rust, "{go}");
        }
    }

    #[test]
    fn unknowns() {
        let u = V::unknown;
        assert_eq!(
            call_vals("startswith", vec![u(), V::str("")]),
            Ok(V::Bool(true))
        );
        assert_eq!(call_vals("startswith", vec![u(), V::str("a")]), Ok(u()));
        assert_eq!(
            call_vals("replace", vec![V::str("a"), u(), V::str("b")]),
            Ok(u())
        );
        assert_eq!(call_vals("split", vec![V::str(","), u()]), Ok(u()));
    }
}
