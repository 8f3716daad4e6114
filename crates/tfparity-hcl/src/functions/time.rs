//! Time functions over RFC 3339 timestamps: `formatdate`, `timeadd`, `timecmp`, read
//! and written as Terraform does (strict RFC 3339 in, Go's duration syntax, RFC 3339
//! out without fractional seconds, each timestamp keeping its own UTC offset). Pure:
//! `timestamp()` and `plantimestamp()` stay known after apply.

use super::{Args, FnError, Spec};
use crate::value::V;

pub(super) const SPECS: &[Spec] = &[
    Spec::new("formatdate", &["format", "time"], formatdate),
    Spec::new("timeadd", &["timestamp", "duration"], timeadd),
    Spec::new("timecmp", &["timestamp_a", "timestamp_b"], timecmp),
];

/// An instant, and the UTC offset it was written with.
#[derive(Debug, Clone, Copy)]
struct Time {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    nanos: i128,
    /// Seconds east of UTC.
    offset: i64,
}

const NANOS: i128 = 1_000_000_000;

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day since 1970-01-01: (year, month, day).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Days in month `m` (1–12) of year `y`, leap years as the Gregorian calendar has them.
pub(super) fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][(m - 1) as usize]
}

/// A strict RFC 3339 timestamp (`2006-01-02T15:04:05Z`, `…05.5+01:00`), with
/// go-cty's words for what is wrong.
fn parse(s: &str) -> Result<Time, String> {
    let mut c = Cursor(s);
    let year = c.field(4, 0, 9999, "year")?;
    c.sep('-')?;
    let month = c.field(2, 1, 12, "month")?;
    c.sep('-')?;
    let day = c.field(2, 1, 31, "day of month")?;
    if day > days_in_month(year, month) {
        return Err(bad("day out of range"));
    }
    c.sep('T')?;
    let hour = c.field(2, 0, 23, "hour")?;
    c.sep(':')?;
    let min = c.field(2, 0, 59, "minute")?;
    c.sep(':')?;
    let sec = c.field(2, 0, 59, "second")?;
    let mut frac: i128 = 0;
    if let Some(f) = c.0.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return Err(bad(format!(
                "cannot use {} as UTC offset",
                crate::scrub::quote(c.0)
            )));
        }
        let digits = &f[..n.min(9)];
        frac = digits.parse::<i128>().unwrap_or(0) * 10i128.pow(9 - digits.len() as u32);
        c.0 = &f[n..];
    }
    let offset = match c.0 {
        "Z" => 0,
        "" => return Err(bad("end of string before UTC offset")),
        z => {
            let b = z.as_bytes();
            let num = |t: &str| {
                t.parse::<i64>()
                    .ok()
                    .filter(|_| t.bytes().all(|b| b.is_ascii_digit()))
            };
            let hm = (z.len() == 6 && matches!(b[0], b'+' | b'-') && b[3] == b':')
                .then(|| (num(&z[1..3]), num(&z[4..6])));
            match hm {
                Some((Some(h), Some(m))) if h < 24 && m < 60 => {
                    let o = h * 3600 + m * 60;
                    if b[0] == b'-' {
                        -o
                    } else {
                        o
                    }
                }
                _ => {
                    return Err(bad(format!(
                        "cannot use {} as UTC offset",
                        crate::scrub::quote(z)
                    )))
                }
            }
        }
    };
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + min * 60 + sec;
    Ok(Time {
        nanos: i128::from(local - offset) * NANOS + frac,
        offset,
    })
}

fn bad(what: impl std::fmt::Display) -> String {
    format!("not a valid RFC3339 timestamp: {what}")
}

/// What is left of a timestamp being read.
struct Cursor<'a>(&'a str);

impl Cursor<'_> {
    /// A field of exactly `n` digits within `lo..=hi`.
    fn field(&mut self, n: usize, lo: i64, hi: i64, what: &str) -> Result<i64, String> {
        let rest = self.0;
        if rest.is_empty() {
            return Err(bad(format!("end of string before {what}")));
        }
        let digits = rest.bytes().take(n).take_while(u8::is_ascii_digit).count();
        match (digits == n)
            .then(|| rest[..n].parse::<i64>().ok())
            .flatten()
        {
            Some(v) if (lo..=hi).contains(&v) => {
                self.0 = &rest[n..];
                Ok(v)
            }
            Some(_) if what == "hour" => Err(bad("hour must be between 0 and 23 inclusive")),
            _ if what == "hour" && digits == 1 => Err(bad("hour must have exactly two digits")),
            _ => Err(bad(format!(
                "cannot use {} as {what}",
                crate::scrub::quote(rest)
            ))),
        }
    }

    /// The separator `sep`.
    fn sep(&mut self, sep: char) -> Result<(), String> {
        match self.0.chars().next() {
            Some(x) if x == sep => {
                self.0 = &self.0[1..];
                Ok(())
            }
            Some(_) if sep == 'T' => Err(bad("missing required time introducer 'T'")),
            Some(x) => Err(bad(format!(
                "found {:?} where {:?} is expected",
                x.to_string(),
                sep.to_string()
            ))),
            None => Err(bad(format!(
                "end of string where {:?} is expected",
                sep.to_string()
            ))),
        }
    }
}

/// The local date and time of `t` in its own offset: (year, month, day, weekday with
/// Sunday 0, hour, minute, second).
fn fields(t: Time) -> (i64, i64, i64, i64, i64, i64, i64) {
    let local = t.nanos.div_euclid(NANOS) as i64 + t.offset;
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    (
        y,
        m,
        d,
        (days + 4).rem_euclid(7),
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
    )
}

/// The offset as `+hhmm` (`sep` false) or `+hh:mm`.
fn offset_text(offset: i64, sep: bool) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let o = offset.abs();
    let colon = if sep { ":" } else { "" };
    format!("{sign}{:02}{colon}{:02}", o / 3600, o / 60 % 60)
}

/// RFC 3339 without fractional seconds, in the timestamp's own offset.
fn rfc3339(t: Time) -> String {
    let (y, mo, d, _, h, mi, s) = fields(t);
    let zone = if t.offset == 0 {
        "Z".to_string()
    } else {
        offset_text(t.offset, true)
    };
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{zone}")
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn formatdate(a: &mut Args) -> Result<V, FnError> {
    let spec = a.str(0)?;
    let t = parse(&a.str(1)?).map_err(|e| a.bad(1, e))?;
    let (y, mo, d, wd, h, mi, s) = fields(t);
    let bad = |tok: &str, what: &str| {
        let what = if what.is_empty() {
            String::new()
        } else {
            format!(": {what}")
        };
        a.bad(
            0,
            format!(
                "invalid date format verb {}{what}",
                crate::scrub::quote(tok)
            ),
        )
    };
    let b = spec.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\'' {
            // A literal between quotes; '' is a quote.
            if b.get(i + 1) == Some(&b'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            let mut j = i + 1;
            let mut lit = Vec::new();
            loop {
                match b.get(j) {
                    None => return Err(a.bad(0, "unterminated literal '")),
                    Some(b'\'') if b.get(j + 1) == Some(&b'\'') => {
                        lit.push(b'\'');
                        j += 2;
                    }
                    Some(b'\'') => break,
                    Some(&x) => {
                        lit.push(x);
                        j += 1;
                    }
                }
            }
            out.push_str(&String::from_utf8_lossy(&lit));
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            let j = (i + 1..b.len())
                .find(|&j| b[j] == b'\'' || b[j].is_ascii_alphabetic())
                .unwrap_or(b.len());
            out.push_str(&spec[i..j]);
            i = j;
            continue;
        }
        let j = (i + 1..b.len()).find(|&j| b[j] != c).unwrap_or(b.len());
        let tok = &spec[i..j];
        let n = j - i;
        let twelve = if h % 12 == 0 { 12 } else { h % 12 };
        let num = |v: i64, what: &str| match n {
            1 => Ok(v.to_string()),
            2 => Ok(format!("{v:02}")),
            _ => Err(bad(tok, what)),
        };
        let text = match c {
            b'Y' => match n {
                2 => format!("{:02}", y % 100),
                4 => format!("{y:04}"),
                _ => return Err(bad(tok, "year must either be \"YY\" or \"YYYY\"")),
            },
            b'M' => match n {
                1 | 2 => num(mo, "")?,
                3 => MONTHS[mo as usize - 1][..3].to_string(),
                4 => MONTHS[mo as usize - 1].to_string(),
                _ => {
                    return Err(bad(
                        tok,
                        "month must be \"M\", \"MM\", \"MMM\", or \"MMMM\"",
                    ))
                }
            },
            b'D' => num(d, "day of month must either be \"D\" or \"DD\"")?,
            b'E' => match n {
                3 => WEEKDAYS[wd as usize][..3].to_string(),
                4 => WEEKDAYS[wd as usize].to_string(),
                _ => return Err(bad(tok, "day of week must either be \"EEE\" or \"EEEE\"")),
            },
            b'h' => num(h, "24-hour must either be \"h\" or \"hh\"")?,
            b'H' => num(twelve, "12-hour must either be \"H\" or \"HH\"")?,
            b'A' | b'a' if n == 2 => match (h < 12, c == b'A') {
                (true, true) => "AM",
                (true, false) => "am",
                (false, true) => "PM",
                (false, false) => "pm",
            }
            .to_string(),
            b'A' | b'a' => {
                let l = char::from(c);
                return Err(bad(tok, &format!("must be \"{l}{l}\"")));
            }
            b'm' => num(mi, "minute must either be \"m\" or \"mm\"")?,
            b's' => num(s, "second must either be \"s\" or \"ss\"")?,
            b'Z' => match n {
                1 if t.offset == 0 => "Z".to_string(),
                1 | 5 => offset_text(t.offset, true),
                3 if t.offset == 0 => "UTC".to_string(),
                3 | 4 => offset_text(t.offset, false),
                _ => return Err(bad(tok, "timezone must be Z, ZZZZ, or ZZZZZ")),
            },
            _ => return Err(bad(tok, "")),
        };
        out.push_str(&text);
        i = j;
    }
    Ok(V::Str(out))
}

/// A duration in Go's syntax (`1h30m`, `-10m`, `1.5s`, `300ms`) in nanoseconds.
fn duration(s: &str) -> Result<i128, String> {
    let invalid = || format!("time: invalid duration {}", crate::scrub::quote(s));
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    // Go's durations are 64-bit: anything past 2^63 ns (292 years) is invalid, as there.
    const MAX: i128 = 1 << 63;
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let mut int: i128 = 0;
        for b in rest[..int_len].bytes() {
            int = int * 10 + i128::from(b - b'0');
            if int > MAX {
                return Err(invalid());
            }
        }
        rest = &rest[int_len..];
        let (mut frac, mut scale) = (0i128, 1i128);
        let mut frac_len = 0;
        if let Some(f) = rest.strip_prefix('.') {
            frac_len = f.bytes().take_while(u8::is_ascii_digit).count();
            for b in f[..frac_len].bytes().take(18) {
                frac = frac * 10 + i128::from(b - b'0');
                scale *= 10;
            }
            rest = &f[frac_len..];
        }
        if int_len == 0 && frac_len == 0 {
            return Err(invalid());
        }
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        let unit = match &rest[..unit_len] {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => NANOS,
            "m" => 60 * NANOS,
            "h" => 3600 * NANOS,
            "" => {
                return Err(format!(
                    "time: missing unit in duration {}",
                    crate::scrub::quote(s)
                ))
            }
            u => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    crate::scrub::quote(u),
                    crate::scrub::quote(s)
                ))
            }
        };
        rest = &rest[unit_len..];
        // At most 2^63 × 3.6e12 and 10^18 × 3.6e12: within i128.
        total += int * unit + frac * unit / scale;
        if total > MAX {
            return Err(invalid());
        }
    }
    if !neg && total == MAX {
        return Err(invalid());
    }
    Ok(if neg { -total } else { total })
}

fn timeadd(a: &mut Args) -> Result<V, FnError> {
    let t = parse(&a.str(0)?).map_err(|e| a.bad(0, e))?;
    let d = duration(&a.str(1)?).map_err(|e| a.bad(1, e))?;
    Ok(V::Str(rfc3339(Time {
        nanos: t.nanos + d,
        ..t
    })))
}

fn timecmp(a: &mut Args) -> Result<V, FnError> {
    let x = parse(&a.str(0)?).map_err(|e| a.bad(0, e))?;
    let y = parse(&a.str(1)?).map_err(|e| a.bad(1, e))?;
    Ok(V::Num(match x.nanos.cmp(&y.nanos) {
        std::cmp::Ordering::Less => -1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => 1.0,
    }))
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_past_64_bits_are_invalid_as_in_go() {
        // 35 nines of hours once overflowed i128 (a panic in a debug build).
        for s in [
            "99999999999999999999999999999999999h",
            "9223372036854775808ns",
            "2562048h",
            "-2562048h",
        ] {
            assert_eq!(
                duration(s).map_err(|e| crate::scrub::reveal(&e)),
                Err(format!("time: invalid duration {s:?}"))
            );
        }
        assert_eq!(
            duration("9223372036854775807ns"),
            Ok(9_223_372_036_854_775_807)
        );
        assert_eq!(duration("-9223372036854775808ns"), Ok(-(1 << 63)));
        assert_eq!(duration("2562047h"), Ok(2_562_047 * 3_600_000_000_000));
    }
}
