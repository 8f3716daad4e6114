//! Number functions: `abs`, `ceil`, `floor`, `log`, `max`, `min`, `parseint`, `pow`,
//! `signum`, in `f64` (Terraform's `log` and `pow` are `float64` too).

use super::{fail, Args, FnError, Spec};
use crate::value::V;

pub(super) const SPECS: &[Spec] = &[
    Spec::new("abs", &["num"], |a| Ok(V::Num(a.num(0)?.abs()))),
    Spec::new("ceil", &["num"], |a| Ok(V::Num(a.num(0)?.ceil()))),
    Spec::new("floor", &["num"], |a| Ok(V::Num(a.num(0)?.floor()))),
    Spec::new("log", &["num", "base"], log),
    Spec::new("max", &[], max).var("numbers"),
    Spec::new("min", &[], min).var("numbers"),
    Spec::new("parseint", &["number", "base"], parseint),
    Spec::new("pow", &["num", "power"], pow),
    Spec::new("signum", &["num"], |a| {
        Ok(V::Num(a.int(0)?.signum() as f64))
    }),
];

fn log(a: &mut Args) -> Result<V, FnError> {
    let r = a.num(0)?.ln() / a.num(1)?.ln();
    if r.is_nan() {
        return Err(fail("result is not a number"));
    }
    Ok(V::Num(r))
}

fn pow(a: &mut Args) -> Result<V, FnError> {
    let r = a.num(0)?.powf(a.num(1)?);
    if r.is_nan() {
        return Err(fail("result is not a number"));
    }
    Ok(V::Num(r))
}

fn numbers(a: &Args) -> Result<Vec<f64>, FnError> {
    if a.len() == 0 {
        return Err(fail("must pass at least one number"));
    }
    (0..a.len()).map(|i| a.num(i)).collect()
}

fn max(a: &mut Args) -> Result<V, FnError> {
    Ok(V::Num(
        numbers(a)?.into_iter().fold(f64::NEG_INFINITY, f64::max),
    ))
}

fn min(a: &mut Args) -> Result<V, FnError> {
    Ok(V::Num(
        numbers(a)?.into_iter().fold(f64::INFINITY, f64::min),
    ))
}

/// Go's `big.Int.SetString` with an explicit base: optional sign, digits `0-9a-z`
/// (case-insensitive up to base 36, then `A-Z` are 36-61), nothing else.
fn parse_int(text: &str, base: u32) -> Option<f64> {
    let (neg, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n = 0f64;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        n = n * f64::from(base) + f64::from(d);
    }
    Some(if neg { -n } else { n })
}

fn parseint(a: &mut Args) -> Result<V, FnError> {
    let V::Str(text) = a.get(0) else {
        let ty = super::convert::ty_of(a.get(0)).friendly();
        return Err(a.bad(0, format!("first argument must be a string, not {ty}")));
    };
    let base = a.int(1)?;
    if !(2..=62).contains(&base) {
        return Err(a.bad(1, "base must be a whole number between 2 and 62 inclusive"));
    }
    // Terraform quotes the string (and redacts it when sensitive).
    parse_int(text, base as u32).map(V::Num).ok_or_else(|| {
        a.bad(
            0,
            format!(
                "cannot parse {} as a base {base} integer",
                crate::scrub::quote(text)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call_ok, err, j};
    use super::*;

    #[test]
    fn results() {
        for (name, args, want) in [
            ("abs", "[-1.5]", "1.5"),
            ("abs", "[3]", "3"),
            ("ceil", "[1.2]", "2"),
            ("ceil", "[-1.2]", "-1"),
            ("floor", "[-1.2]", "-2"),
            ("floor", r#"["1.9"]"#, "1"),
            ("log", "[16, 2]", "4"),
            ("log", "[1, 10]", "0"),
            ("max", r#"[1, "3", 2]"#, "3"),
            ("max", "[-1]", "-1"),
            ("min", "[4, -2.5, 3]", "-2.5"),
            ("pow", "[2, 10]", "1024"),
            ("pow", "[4, 0.5]", "2"),
            ("pow", "[5, 0]", "1"),
            ("signum", "[-3]", "-1"),
            ("signum", "[0]", "0"),
            ("signum", "[7]", "1"),
            ("parseint", r#"["ff", 16]"#, "255"),
            ("parseint", r#"["FF", 16]"#, "255"),
            ("parseint", r#"["-101", 2]"#, "-5"),
            ("parseint", r#"["+12", 10]"#, "12"),
            ("parseint", r#"["zZ", 62]"#, "2231"),
            ("parseint", r#"["0777", 8]"#, "511"),
        ] {
            assert_eq!(call_ok(name, args), j(want), "{name}{args}");
        }
        assert_eq!(call_ok("log", "[0, 2]"), V::Num(f64::NEG_INFINITY));
        assert_eq!(call_ok("pow", "[0, -1]"), V::Num(f64::INFINITY));
    }

    #[test]
    fn errors() {
        for (name, args, want) in [
            ("max", "[]", "must pass at least one number"),
            (
                "min",
                "[[1]]",
                r#"Invalid value for "numbers" parameter: number required"#,
            ),
            (
                "abs",
                r#"["x"]"#,
                r#"Invalid value for "num" parameter: a number is required"#,
            ),
            (
                "abs",
                r#"["  4"]"#,
                r#"Invalid value for "num" parameter: a number is required"#,
            ),
            (
                "signum",
                "[0.5]",
                r#"Invalid value for "num" parameter: value must be a whole number, between -9223372036854775808 and 9223372036854775807"#,
            ),
            ("log", "[-1, 2]", "result is not a number"),
            ("pow", "[-8, 0.5]", "result is not a number"),
            (
                "parseint",
                r#"["zz", 16]"#,
                r#"Invalid value for "number" parameter: cannot parse "zz" as a base 16 integer"#,
            ),
            (
                "parseint",
                r#"["", 10]"#,
                r#"Invalid value for "number" parameter: cannot parse "" as a base 10 integer"#,
            ),
            (
                "parseint",
                r#"["1_000", 10]"#,
                r#"Invalid value for "number" parameter: cannot parse "1_000" as a base 10 integer"#,
            ),
            (
                "parseint",
                r#"["10", 1]"#,
                r#"Invalid value for "base" parameter: base must be a whole number between 2 and 62 inclusive"#,
            ),
            (
                "parseint",
                r#"["10", 63]"#,
                r#"Invalid value for "base" parameter: base must be a whole number between 2 and 62 inclusive"#,
            ),
            (
                "parseint",
                "[1, 10]",
                r#"Invalid value for "number" parameter: first argument must be a string, not number"#,
            ),
        ] {
            assert_eq!(err(name, args), want, "{name}{args}");
        }
    }
}
