//! `format` and `formatlist`: go-cty's printf, verb by verb (`%v %#v %t %d %b %o %x %X %e
//! %E %f %g %G %s %q %%`, flags, width, precision, `%[n]`), numbers laid out as Go's
//! `big.Float` and `big.Int` print them, widths counted in grapheme clusters.

use super::convert::{as_bool, as_num};
use super::encoding::{json_string, json_text};
use super::{fail, Args, FnError, Spec, Unknowns};
use crate::value::V;
use unicode_segmentation::UnicodeSegmentation;

pub(super) const SPECS: &[Spec] = &[
    Spec::new("format", &["format"], format)
        .var("args")
        .nulls(1)
        .unknowns(Unknowns::Own),
    Spec::new("formatlist", &["format"], formatlist)
        .var("args")
        .nulls(1)
        .unknowns(Unknowns::Own),
];

fn format(a: &mut Args) -> Result<V, FnError> {
    if a.vals.iter().any(V::has_unknown) {
        return Ok(V::unknown());
    }
    let f = a.str(0)?;
    match printf(&f, &a.vals[1..]) {
        Ok(s) => Ok(V::Str(s)),
        Err(PrintfError::Call(m)) => Err(fail(m)),
        Err(PrintfError::Arg(m)) => Err(a.bad(1, m)),
    }
}

fn formatlist(a: &mut Args) -> Result<V, FnError> {
    if a.get(0).has_unknown() || a.vals.iter().any(V::is_unknown) {
        return Ok(V::unknown());
    }
    let f = a.str(0)?;
    let args = &a.vals[1..];
    if args.is_empty() {
        return printf(&f, &[])
            .map(|s| V::list(vec![V::Str(s)]))
            .map_err(|e| fail(e.message()));
    }
    // Lists, tuples and sets are iterated together; anything else repeats.
    let mut len: Option<(usize, usize)> = None;
    for (i, v) in args.iter().enumerate() {
        if let Some(items) = v.as_seq() {
            match len {
                None => len = Some((items.len(), i)),
                Some((n, first)) if n != items.len() => {
                    return Err(a.bad(
                        i + 1,
                        format!(
                            "argument {} has length {}, which is inconsistent with argument {} of length {n}",
                            i + 1,
                            items.len(),
                            first + 1
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
    }
    let n = len.map_or(1, |(n, _)| n);
    crate::limits::collection("formatlist", n as u64).map_err(fail)?;
    let mut size = crate::limits::Growing::new();
    let mut out = Vec::with_capacity(n);
    for it in 0..n {
        let row: Vec<V> = args
            .iter()
            .map(|v| match v.as_seq() {
                Some(items) => items[it].clone(),
                None => v.clone(),
            })
            .collect();
        if row.iter().any(V::has_unknown) {
            out.push(V::unknown());
            continue;
        }
        let s = printf(&f, &row)
            .map_err(|e| fail(format!("error on format iteration {it}: {}", e.message())))?;
        let s = V::Str(s);
        size.add(s.size()).map_err(fail)?;
        out.push(s);
    }
    Ok(V::list(out))
}

enum PrintfError {
    /// About the call as a whole.
    Call(String),
    /// About the variadic arguments (too many of them).
    Arg(String),
}

impl PrintfError {
    fn message(self) -> String {
        match self {
            PrintfError::Call(m) | PrintfError::Arg(m) => m,
        }
    }
}

/// One `%...` sequence.
#[derive(Default)]
struct Verb<'a> {
    raw: &'a str,
    offset: usize,
    arg: usize,
    mode: char,
    zero: bool,
    sharp: bool,
    plus: bool,
    minus: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// go-cty's format state machine: literal text, `%%`, and verbs
/// `%` flags width? (`.` digits*)? (`[` n `]`)? letter.
fn printf(f: &str, args: &[V]) -> Result<String, PrintfError> {
    let mut out = String::new();
    let bytes = f.as_bytes();
    let mut next_arg = 1;
    let mut highest = 0;
    let mut p = 0;
    let unrecognized = |p: usize| {
        let c = f[p..].chars().next().unwrap_or('?');
        PrintfError::Call(format!(
            "unrecognized format character {} at offset {p}",
            crate::scrub::value(format!("{c:?}"))
        ))
    };
    while p < bytes.len() {
        if bytes[p] != b'%' {
            let c = f[p..].chars().next().unwrap_or_default();
            out.push(c);
            p += c.len_utf8();
            continue;
        }
        let start = p;
        p += 1;
        if bytes.get(p) == Some(&b'%') {
            out.push('%');
            p += 1;
            continue;
        }
        let mut verb = Verb {
            arg: next_arg,
            offset: start,
            ..Verb::default()
        };
        while let Some(&b) = bytes.get(p) {
            match b {
                b'0' => verb.zero = true,
                b'#' => verb.sharp = true,
                b'-' => verb.minus = true,
                b'+' => verb.plus = true,
                b' ' => verb.space = true,
                _ => break,
            }
            p += 1;
        }
        if let Some((n, len)) = number(&bytes[p..]) {
            verb.width = Some(n);
            p += len;
        }
        if bytes.get(p) == Some(&b'.') {
            p += 1;
            let digits = bytes[p..].iter().take_while(|b| b.is_ascii_digit()).count();
            let text = &f[p..p + digits];
            // `%.f` is precision zero; too many digits to parse is too large.
            verb.prec = Some(if text.is_empty() {
                0
            } else {
                text.parse().unwrap_or(usize::MAX)
            });
            p += digits;
        }
        if bytes.get(p) == Some(&b'[') {
            p += 1;
            let Some((n, len)) = number(&bytes[p..]) else {
                return Err(if p < bytes.len() {
                    unrecognized(p)
                } else {
                    invalid_end(p)
                });
            };
            p += len;
            if bytes.get(p) != Some(&b']') {
                return Err(if p < bytes.len() {
                    unrecognized(p)
                } else {
                    invalid_end(p)
                });
            }
            p += 1;
            verb.arg = n;
        }
        match bytes.get(p) {
            Some(b) if b.is_ascii_alphabetic() => verb.mode = char::from(*b),
            Some(_) => return Err(unrecognized(p)),
            None => return Err(invalid_end(p)),
        }
        p += 1;
        verb.raw = &f[start..p];
        if verb.width.max(verb.prec).unwrap_or(0) > MAX_WIDTH {
            return Err(PrintfError::Call(format!(
                "unsupported width or precision in {:?} at offset {start}: more than {MAX_WIDTH}",
                verb.raw
            )));
        }
        highest = highest.max(verb.arg);
        append(&verb, args, &mut out).map_err(PrintfError::Call)?;
        // Each verb may add up to 65536 bytes (and `%v` a whole value as JSON).
        crate::limits::string("format", out.len() as u64).map_err(PrintfError::Call)?;
        next_arg = verb.arg + 1;
    }
    if highest < args.len() {
        return Err(PrintfError::Arg(if highest == 0 {
            "too many arguments; no verbs in format string".into()
        } else {
            format!("too many arguments; only {highest} used by format string")
        }));
    }
    Ok(out)
}

/// The widest field or longest precision accepted: Go has no limit, but a larger one is a
/// mistake and would only exhaust memory here.
const MAX_WIDTH: usize = 1 << 16;

fn invalid_end(p: usize) -> PrintfError {
    PrintfError::Call(format!("invalid format string starting at offset {p}"))
}

/// A decimal number without a leading zero, and how many bytes it took.
fn number(bytes: &[u8]) -> Option<(usize, usize)> {
    if !matches!(bytes.first(), Some(b'1'..=b'9')) {
        return None;
    }
    let len = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let text = std::str::from_utf8(&bytes[..len]).ok()?;
    Some((text.parse().unwrap_or(usize::MAX), len))
}

fn append(verb: &Verb, args: &[V], out: &mut String) -> Result<(), String> {
    let Some(arg) = verb.arg.checked_sub(1).and_then(|i| args.get(i)) else {
        return Err(format!(
            "not enough arguments for {:?} at {}: need index {} but have {} total",
            verb.raw,
            verb.offset,
            verb.arg,
            args.len()
        ));
    };
    let unsupported = |why: &str| {
        format!(
            "unsupported value for {:?} at {}: {why}",
            verb.raw, verb.offset
        )
    };
    if verb.mode != 'v' && *arg == V::Null {
        return Err(unsupported("null value cannot be formatted"));
    }
    match verb.mode {
        'v' => {
            let text = match arg {
                V::Str(s) if !verb.sharp => s.clone(),
                V::Num(n) if !verb.sharp => go_float(*n, 'g', None),
                v => {
                    let mut json = String::new();
                    json_text(v, &mut json).map_err(|e| unsupported(&e))?;
                    json
                }
            };
            out.push_str(&pad(verb, text));
        }
        't' => match as_bool(arg) {
            Ok(b) => out.push_str(if b { "true" } else { "false" }),
            Err(e) => return Err(unsupported(&e)),
        },
        'b' | 'd' | 'o' | 'x' | 'X' | 'e' | 'E' | 'f' | 'g' | 'G' => {
            let n = match as_num(arg) {
                Some(n) => n,
                None if matches!(arg, V::Str(_)) => {
                    return Err(unsupported("a number is required"))
                }
                None => return Err(unsupported("number required")),
            };
            let text = if matches!(verb.mode, 'e' | 'E' | 'f' | 'g' | 'G') {
                float_verb(verb, n)
            } else {
                int_verb(verb, n).ok_or_else(|| unsupported("an integer is required"))?
            };
            out.push_str(&text);
        }
        's' | 'q' => {
            let Some(mut s) = arg.to_str() else {
                return Err(unsupported("string required"));
            };
            if let Some(prec) = verb.prec.filter(|p| *p > 0) {
                s = s.graphemes(true).take(prec).collect();
            }
            if verb.mode == 'q' {
                let mut quoted = String::new();
                json_string(&s, &mut quoted);
                s = quoted;
            }
            out.push_str(&pad(verb, s));
        }
        m => {
            return Err(format!(
                "unsupported format verb {m:?} in {:?} at offset {}",
                verb.raw, verb.offset
            ))
        }
    }
    Ok(())
}

/// Pads to the verb's width in grapheme clusters, with `0`s when flagged, on the right
/// when `-` (go-cty's `formatPadWidth`).
fn pad(verb: &Verb, s: String) -> String {
    let Some(width) = verb.width else { return s };
    let len = s.graphemes(true).count();
    if len >= width {
        return s;
    }
    let fill: String =
        std::iter::repeat_n(if verb.zero { '0' } else { ' ' }, width - len).collect();
    if verb.minus {
        s + &fill
    } else {
        fill + &s
    }
}

/// `%b %d %o %x %X` as Go's `big.Int` formats: sign, `#` prefix, precision as minimum
/// digits, width padded with spaces (or zeros without a precision).
fn int_verb(verb: &Verb, n: f64) -> Option<String> {
    if n.fract() != 0.0 || !n.is_finite() {
        return None;
    }
    let digits = if n.abs() < 1.7e38 {
        let m = (n.abs() as i128).unsigned_abs();
        match verb.mode {
            'b' => format!("{m:b}"),
            'o' => format!("{m:o}"),
            'x' => format!("{m:x}"),
            'X' => format!("{m:X}"),
            _ => m.to_string(),
        }
    } else if verb.mode == 'd' {
        format!("{:.0}", n.abs())
    } else {
        return None;
    };
    let sign = sign(verb, n < 0.0);
    let prefix = match (verb.sharp, verb.mode) {
        (true, 'b') => "0b",
        (true, 'o') => "0",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    let mut zeros = 0;
    if let Some(prec) = verb.prec {
        if digits.len() < prec {
            zeros = prec - digits.len();
        } else if digits == "0" && prec == 0 {
            return Some(String::new());
        }
    }
    let (mut left, mut right) = (0, 0);
    let length = sign.len() + prefix.len() + zeros + digits.len();
    if let Some(width) = verb.width.filter(|w| *w > length) {
        let d = width - length;
        if verb.minus {
            right = d;
        } else if verb.zero && verb.prec.is_none() {
            zeros = d;
        } else {
            left = d;
        }
    }
    let mut out = String::new();
    out.extend(std::iter::repeat_n(' ', left));
    out.push_str(sign);
    out.push_str(prefix);
    out.extend(std::iter::repeat_n('0', zeros));
    out.push_str(&digits);
    out.extend(std::iter::repeat_n(' ', right));
    Some(out)
}

/// The sign a number is written with: `-`, or `+` / a space when the verb asks.
fn sign(verb: &Verb, negative: bool) -> &'static str {
    if negative {
        "-"
    } else if verb.plus {
        "+"
    } else if verb.space {
        " "
    } else {
        ""
    }
}

/// `%e %E %f %g %G` as Go's `big.Float` formats: the digits, then sign and padding
/// (zeros win over `-`).
fn float_verb(verb: &Verb, n: f64) -> String {
    if n.is_infinite() {
        return pad(verb, go_float(n, verb.mode, None));
    }
    let body = go_float(n.abs(), verb.mode, verb.prec);
    let body = body.trim_start_matches('+').to_string();
    let sign = sign(verb, n < 0.0);
    let len = sign.len() + body.len();
    let padding = verb.width.map_or(0, |w| w.saturating_sub(len));
    if verb.zero && n.is_finite() {
        format!("{sign}{}{body}", "0".repeat(padding))
    } else if verb.minus {
        format!("{sign}{body}{}", " ".repeat(padding))
    } else {
        format!("{}{sign}{body}", " ".repeat(padding))
    }
}

/// Decimal digits (no trailing zeros) and exponent: the value is `0.digits × 10^exp`.
fn decimal(sci: &str) -> (String, i32) {
    let (mant, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0').to_string();
    if digits.is_empty() {
        return (digits, 0);
    }
    (digits, exp.parse::<i32>().unwrap_or(0) + 1)
}

/// Go's `fmtE`: one digit, `prec` more, exponent with sign and at least two digits.
fn fmt_e(digits: &str, exp: i32, prec: usize, upper: bool) -> String {
    let d = digits.as_bytes();
    let mut out = String::new();
    out.push(d.first().map_or('0', |b| char::from(*b)));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(d.get(i).map_or('0', |b| char::from(*b)));
        }
    }
    out.push(if upper { 'E' } else { 'e' });
    let e = if d.is_empty() { 0 } else { exp - 1 };
    out.push(if e < 0 { '-' } else { '+' });
    out.push_str(&format!("{:02}", e.abs()));
    out
}

/// Go's `fmtF` on a decimal: the integer part, then `prec` fraction digits.
fn fmt_f(digits: &str, exp: i32, prec: usize) -> String {
    let d = digits.as_bytes();
    let at = |i: i32| -> char {
        usize::try_from(i)
            .ok()
            .and_then(|i| d.get(i))
            .map_or('0', |b| char::from(*b))
    };
    let mut out = String::new();
    if exp > 0 {
        for i in 0..exp {
            out.push(at(i));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec as i32 {
            out.push(at(exp + i));
        }
    }
    out
}

/// Past this many digits after the point, an `f64` written out exactly has only zeros
/// (its exact decimal expansion has at most 767 significant digits and ends at most
/// 1074 places after the point): digits past it are written as zeros, not asked of
/// Rust's formatter, which panics past a precision of 65534.
const EXACT_DIGITS: usize = 1100;

/// `format!("{x:.p$e}")` for any precision.
fn exact_e(x: f64, p: usize) -> String {
    if p <= EXACT_DIGITS {
        return format!("{x:.p$e}");
    }
    let text = format!("{x:.EXACT_DIGITS$e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    format!("{mantissa}{}e{exp}", "0".repeat(p - EXACT_DIGITS))
}

/// `format!("{x:.p$}")` for any precision.
fn exact_f(x: f64, p: usize) -> String {
    if p <= EXACT_DIGITS {
        return format!("{x:.p$}");
    }
    format!("{x:.EXACT_DIGITS$}{}", "0".repeat(p - EXACT_DIGITS))
}

/// A number as Go's `big.Float` prints it with verb `e`, `E`, `f`, `g` or `G` and an
/// optional precision (`%v` is `g` without one: `1e+06`, `123456`, `1e-05`).
pub(super) fn go_float(n: f64, mode: char, prec: Option<usize>) -> String {
    if n.is_infinite() {
        return if n > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let neg = if n < 0.0 { "-" } else { "" };
    let x = n.abs();
    let upper = mode.is_ascii_uppercase();
    let body = match (mode.to_ascii_lowercase(), prec) {
        ('e', p) => {
            let p = p.unwrap_or(6);
            let (digits, exp) = decimal(&exact_e(x, p));
            fmt_e(&digits, exp, p, upper)
        }
        ('f', p) => exact_f(x, p.unwrap_or(6)),
        (_, p) => {
            let shortest = p.is_none();
            let (digits, exp) = match p {
                None => decimal(&format!("{x:e}")),
                Some(p) => decimal(&exact_e(x, p.max(1) - 1)),
            };
            let mut prec = p.map_or(digits.len(), |p| p.max(1));
            let mut eprec = prec;
            if eprec > digits.len() && digits.len() as i32 >= exp {
                eprec = digits.len();
            }
            if shortest {
                eprec = 6;
            }
            let e = exp - 1;
            if e < -4 || e >= eprec as i32 {
                prec = prec.min(digits.len());
                fmt_e(&digits, exp, prec.saturating_sub(1), upper)
            } else {
                if prec as i32 > exp {
                    prec = digits.len();
                }
                fmt_f(&digits, exp, (prec as i32 - exp).max(0) as usize)
            }
        }
    };
    format!("{neg}{body}")
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call_ok, call_vals, err, j};
    use super::*;

    #[test]
    fn verbs_flags_width_precision() {
        for (args, want) in [
            (
                r#"["%v|%v|%v|%v", 1000000, 123456, 0.0001, 0.00001]"#,
                "1e+06|123456|0.0001|1e-05",
            ),
            (r#"["%v|%v|%v", 1.5, -2, 1e21]"#, "1.5|-2|1e+21"),
            (
                r#"["%#v|%#v|%#v|%#v", "a<b", 1, true, {"a": [1, "x"]}]"#,
                r#""a\u003cb"|1|true|{"a":[1,"x"]}"#,
            ),
            (
                r#"["%v|%v|%v", [1, "a"], null, true]"#,
                r#"[1,"a"]|null|true"#,
            ),
            (r#"["%t|%t|%t", true, "false", "1"]"#, "true|false|true"),
            (
                r#"["%d|%+d|% d|%5d|%-5d|%05d|%.3d|%x|%X|%o|%b|%#x|%#o|%#b", 42, 42, 42, 42, 42, 42, 7, 255, 255, 8, 5, 255, 8, 5]"#,
                "42|+42| 42|   42|42   |00042|007|ff|FF|10|101|0xff|010|0b101",
            ),
            (
                r#"["%d|%05d|%+05d|%-05d|", -42, -42, 42, 42]"#,
                "-42|-0042|+0042|42   |",
            ),
            (
                r#"["%e|%E|%.2e|%10.3e|%-12e|", 1234.5678, 1234.5678, 1234.5678, 1234.5678, 0.5]"#,
                "1.234568e+03|1.234568E+03|1.23e+03| 1.235e+03|5.000000e-01|",
            ),
            (
                r#"["%f|%.2f|%8.3f|%-8.1f|%08.2f|%+f|% f|%.0f|%.0f", 3.14159, 3.14159, 3.14159, 3.14159, -3.14159, 1, 1, 2.5, 3.5]"#,
                "3.141590|3.14|   3.142|3.1     |-0003.14|+1.000000| 1.000000|2|4",
            ),
            (
                r#"["%g|%G|%.3g|%g|%g|%.2g|%g|%g", 1234.5678, 1e-7, 1234.5678, 100000, 1000000, 123, 0.0001, 0.00001]"#,
                "1234.5678|1E-07|1.23e+03|100000|1e+06|1.2e+02|0.0001|1e-05",
            ),
            (
                r#"["%.3g|%.10g|%g|%g|%G|%.3G", 0.000012345, 1.5, 1e20, 123456789, 1e-7, 1234.5678]"#,
                "1.23e-05|1.5|1e+20|1.23456789e+08|1E-07|1.23E+03",
            ),
            (
                r#"["%s|%5s|%-5s|%.2s|%q|%5.1q|%s|%s|%.0s", "abc", "ab", "ab", "abc", "a\"b\n<", "xyz", 12, true, "abc"]"#,
                r#"abc|   ab|ab   |ab|"a\"b\n\u003c"|  "x"|12|true|abc"#,
            ),
            (r#"["%[2]s %[1]s %s", "a", "b"]"#, "b a b"),
            (r#"["%[2]s %s", "a", "b", "c"]"#, "b c"),
            (r#"["%.f|%5.f", 3.7, 2.2]"#, "4|    2"),
            (r#"["%x|%X|%b", -255, 3.0, -5]"#, "-ff|3|-101"),
            (r#"["%e|%g|%f", 0, 0, 0]"#, "0.000000e+00|0|0.000000"),
            (
                r#"["%010.3f|%-010.3f|%+.2e", 3.14159, 3.14159, -12345]"#,
                "000003.142|000003.142|-1.23e+04",
            ),
            (
                r#"["%5t|%-6v|%6v|%06v", true, "ab", 12, 12]"#,
                "true|ab    |    12|000012",
            ),
            (r#"["%.1e|%.0e|%#.0e", 15, 15, 15]"#, "1.5e+01|2e+01|2e+01"),
            (r#"["%6.2v|%.3v", 3.14159, "abcdef"]"#, "3.14159|abcdef"),
            (
                r#"["%x|%d|%f", 1e20, 1e20, 1e20]"#,
                "56bc75e2d63100000|100000000000000000000|100000000000000000000.000000",
            ),
            (r#"["% 5d|%+5d|% x", 3, -3, 10]"#, "    3|   -3| a"),
            (r#"["%q|%d", 5, "12"]"#, r#""5"|12"#),
            (r#"["%5s|%-5s|", "💃🏿", "日本"]"#, "    💃🏿|日本   |"),
            (
                r#"["%.1s|%.5s", "日本語", "日本語日本語"]"#,
                "日|日本語日本",
            ),
            (r#"["100%% %s", "sure"]"#, "100% sure"),
            (r#"["%v", 5e-324]"#, "5e-324"),
            (r#"["no verbs"]"#, "no verbs"),
        ] {
            assert_eq!(call_ok("format", args), V::Str(want.into()), "format{args}");
        }
    }

    #[test]
    fn the_largest_widths_and_precisions_never_panic() {
        // `%.65536f` panicked ("Formatting argument out of range"), `%.65535e` and
        // `%.65536g` failed an assertion of Rust's float formatting: digits past the
        // exact ones are zeros, written without asking Rust's formatter for them.
        for verb in ["f", "e", "E", "g", "G", "d", "x", "s", "v", "q", "t", "b"] {
            for n in [1100, 1101, 65534, 65535, 65536] {
                for arg in ["1", "-1.5", "5e-324", "1.7976931348623157e308", "0", "true"] {
                    let f = format!(
                        "[\"%{n}.{n}{verb}|%.{n}{verb}|%0{n}{verb}\", {arg}, {arg}, {arg}]"
                    );
                    let V::List(args) = j(&f) else {
                        panic!("{f}");
                    };
                    let got = std::panic::catch_unwind(|| call_vals("format", args.into_vec()));
                    assert!(got.is_ok(), "format({f}) panicked");
                }
            }
        }
        let long = |f: &str, arg: &str| match call_ok("format", &format!("[\"{f}\", {arg}]")) {
            V::Str(s) => s,
            v => panic!("{v}"),
        };
        let f = long("%.65536f", "1");
        assert_eq!(f.len(), 65538);
        assert!(f.starts_with("1.000") && f.ends_with("000"));
        let e = long("%.65535e", "1.5");
        assert!(e.starts_with("1.5000") && e.ends_with("0e+00") && e.len() == 65541);
        let g = long("%.65536g", "0.1");
        assert!(
            g.starts_with("0.1000000000000000055511151231257827"),
            "{}",
            &g[..40]
        );
        // The exact digits run out before the zeros begin.
        for n in [1100, 1101, 2000] {
            let tiny = long(&format!("%.{n}f"), "5e-324");
            assert_eq!(tiny.len(), 2 + n);
            assert_eq!(tiny.trim_end_matches('0').len(), 2 + 1074, "{n}");
            assert!(tiny[2 + 323..].starts_with("49406564584124654"), "{n}");
        }
        assert_eq!(
            err("format", r#"["%.65537f", 1]"#),
            r#"unsupported width or precision in "%.65537f" at offset 0: more than 65536"#
        );
    }

    #[test]
    fn errors() {
        for (args, want) in [
            (
                r#"["%d", 1.5]"#,
                r#"unsupported value for "%d" at 0: an integer is required"#,
            ),
            (
                r#"["%d", "x"]"#,
                r#"unsupported value for "%d" at 0: a number is required"#,
            ),
            (
                r#"["%d", true]"#,
                r#"unsupported value for "%d" at 0: number required"#,
            ),
            (
                r#"["%s", [1]]"#,
                r#"unsupported value for "%s" at 0: string required"#,
            ),
            (
                r#"["%t", 1]"#,
                r#"unsupported value for "%t" at 0: bool required"#,
            ),
            (
                r#"["%t", "yes"]"#,
                r#"unsupported value for "%t" at 0: a bool is required"#,
            ),
            (
                r#"["%t", "True"]"#,
                r#"unsupported value for "%t" at 0: a bool is required; to convert from string, use lowercase "true""#,
            ),
            (
                r#"["%s", null]"#,
                r#"unsupported value for "%s" at 0: null value cannot be formatted"#,
            ),
            (
                r#"["x %d", null]"#,
                r#"unsupported value for "%d" at 2: null value cannot be formatted"#,
            ),
            (
                r#"["%z", 1]"#,
                r#"unsupported format verb 'z' in "%z" at offset 0"#,
            ),
            (
                r#"["%#z", 1]"#,
                r#"unsupported format verb 'z' in "%#z" at offset 0"#,
            ),
            (
                r#"["%012z", 1]"#,
                r#"unsupported format verb 'z' in "%012z" at offset 0"#,
            ),
            (
                r#"["%c", 1]"#,
                r#"unsupported format verb 'c' in "%c" at offset 0"#,
            ),
            (
                r#"["%z"]"#,
                r#"not enough arguments for "%z" at 0: need index 1 but have 0 total"#,
            ),
            (
                r#"["%s is not in the args list"]"#,
                r#"not enough arguments for "%s" at 0: need index 1 but have 0 total"#,
            ),
            (
                r#"["%[3]s", true, true]"#,
                r#"not enough arguments for "%[3]s" at 0: need index 3 but have 2 total"#,
            ),
            (
                r#"["%v %v %v", true, true]"#,
                r#"not enough arguments for "%v" at 6: need index 3 but have 2 total"#,
            ),
            (r#"["%", 1]"#, "invalid format string starting at offset 1"),
            (r#"["abc %"]"#, "invalid format string starting at offset 5"),
            (
                r#"["%[0]s", 1]"#,
                "unrecognized format character '0' at offset 2",
            ),
            (
                r#"["%%|%5.2%|", 1]"#,
                "unrecognized format character '%' at offset 7",
            ),
            (
                r#"["%☠", 1]"#,
                "unrecognized format character '☠' at offset 1",
            ),
            (
                r#"["no verbs", 1]"#,
                r#"Invalid value for "args" parameter: too many arguments; no verbs in format string"#,
            ),
            (
                r#"["%s", 1, 2]"#,
                r#"Invalid value for "args" parameter: too many arguments; only 1 used by format string"#,
            ),
            (
                r#"[null]"#,
                r#"Invalid value for "format" parameter: argument must not be null"#,
            ),
        ] {
            assert_eq!(err("format", args), want, "format{args}");
        }
    }

    #[test]
    fn formatlist_iterates_sequences_together() {
        for (args, want) in [
            (r#"["%s-%d", ["a", "b"], [1, 2]]"#, r#"["a-1", "b-2"]"#),
            (r#"["%s-%s", ["a", "b"], "x"]"#, r#"["a-x", "b-x"]"#),
            (r#"["%s", []]"#, "[]"),
            (r#"["%s-%s", [], "x"]"#, "[]"),
            (r#"["x"]"#, r#"["x"]"#),
            (r#"["%v", null]"#, r#"["null"]"#),
        ] {
            assert_eq!(call_ok("formatlist", args), j(want), "formatlist{args}");
        }
        for (args, want) in [
            (
                r#"["%s-%s", ["a", "b"], ["x"]]"#,
                r#"Invalid value for "args" parameter: argument 2 has length 1, which is inconsistent with argument 1 of length 2"#,
            ),
            (
                r#"["%s", [{}]]"#,
                r#"error on format iteration 0: unsupported value for "%s" at 0: string required"#,
            ),
            (
                r#"["%s", ["a", null]]"#,
                r#"error on format iteration 1: unsupported value for "%s" at 0: null value cannot be formatted"#,
            ),
        ] {
            assert_eq!(err("formatlist", args), want, "formatlist{args}");
        }
    }

    #[test]
    fn unknowns() {
        let u = V::unknown;
        assert_eq!(call_vals("format", vec![V::str("%s"), u()]), Ok(u()));
        assert_eq!(
            call_vals("format", vec![V::str("%v"), V::list(vec![u()])]),
            Ok(u())
        );
        assert_eq!(call_vals("format", vec![u(), V::str("a")]), Ok(u()));
        assert_eq!(
            call_vals(
                "formatlist",
                vec![V::str("%s"), V::list(vec![V::str("a"), u()])]
            ),
            Ok(V::list(vec![V::str("a"), u()]))
        );
        assert_eq!(call_vals("formatlist", vec![V::str("%s"), u()]), Ok(u()));
    }
}
