//! Module versions and version constraints with Terraform's rules (HashiCorp's
//! go-version): lenient versions (`v1.2`, `1.2.3-beta.1+build`), constraints joined by
//! commas (`>= 1.2, < 2.0`, `~> 1.4`), and the choice of the newest version a module
//! block's constraint allows, where a prerelease is chosen only when named exactly.
//! Pure: no I/O.

use std::cmp::Ordering;
use std::fmt;

/// At most this many numeric segments (`1.2.3.4…`); registries use three.
const MAX_SEGMENTS: usize = 8;

/// A version as go-version reads it: at least three numeric segments (missing ones are
/// zero), an optional prerelease and build metadata.
#[derive(Debug, Clone)]
pub struct Version {
    segments: Vec<u64>,
    /// How many segments were written (`~> 1.2` differs from `~> 1.2.0`).
    written: usize,
    pre: String,
    meta: String,
}

impl Version {
    pub fn parse(s: &str) -> Result<Version, String> {
        let bad = || format!("{s:?} is not a version");
        let t = s.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let (t, meta) = match t.split_once('+') {
            Some((a, m)) => {
                if !ident_list(m) {
                    return Err(bad());
                }
                (a, m.to_string())
            }
            None => (t, String::new()),
        };
        let num_end = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let (nums, rest) = t.split_at(num_end);
        // A trailing dot belongs to neither part ("1.2." is not a version).
        if nums.is_empty() || nums.ends_with('.') {
            return Err(bad());
        }
        let mut segments = Vec::new();
        for n in nums.split('.') {
            if n.is_empty() || n.len() > 18 || segments.len() == MAX_SEGMENTS {
                return Err(bad());
            }
            segments.push(n.parse::<u64>().map_err(|_| bad())?);
        }
        let pre = match rest.strip_prefix('-') {
            Some(p) => p,
            None if rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '~') => rest,
            None if rest.is_empty() => "",
            None => return Err(bad()),
        };
        if !pre.is_empty() && !ident_list(pre) || rest.starts_with('-') && pre.is_empty() {
            return Err(bad());
        }
        let written = segments.len();
        while segments.len() < 3 {
            segments.push(0);
        }
        Ok(Version {
            segments,
            written,
            pre: pre.to_string(),
            meta,
        })
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    fn cmp_precedence(&self, other: &Version) -> Ordering {
        let n = self.segments.len().max(other.segments.len());
        for i in 0..n {
            let a = self.segments.get(i).copied().unwrap_or(0);
            let b = other.segments.get(i).copied().unwrap_or(0);
            match a.cmp(&b) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_prereleases(&self.pre, &other.pre),
        }
    }

    fn same_segments(&self, other: &Version) -> bool {
        let n = self.segments.len().max(other.segments.len());
        (0..n).all(|i| self.segments.get(i).unwrap_or(&0) == other.segments.get(i).unwrap_or(&0))
    }
}

impl PartialEq for Version {
    /// Precedence: build metadata is ignored, `1.2` equals `1.2.0`.
    fn eq(&self, other: &Version) -> bool {
        self.cmp_precedence(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.cmp_precedence(other)
    }
}

impl fmt::Display for Version {
    /// go-version's canonical text: `1.2` prints as `1.2.0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nums: Vec<String> = self.segments.iter().map(u64::to_string).collect();
        f.write_str(&nums.join("."))?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.meta.is_empty() {
            write!(f, "+{}", self.meta)?;
        }
        Ok(())
    }
}

fn ident_list(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '~')
        })
}

/// go-version's prerelease order (a missing part sorts after an alphanumeric one and
/// before a numeric one, as it does there).
fn compare_prereleases(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let pa: Vec<&str> = a.split('.').collect();
    let pb: Vec<&str> = b.split('.').collect();
    for i in 0..pa.len().max(pb.len()) {
        let x = pa.get(i).copied().unwrap_or("");
        let y = pb.get(i).copied().unwrap_or("");
        let o = compare_part(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn compare_part(x: &str, y: &str) -> Ordering {
    if x == y {
        return Ordering::Equal;
    }
    let xn = x.parse::<i64>().ok();
    let yn = y.parse::<i64>().ok();
    if x.is_empty() {
        return if yn.is_some() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    if y.is_empty() {
        return if xn.is_some() {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    match (xn, yn) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => x.cmp(y),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Pessimistic,
}

/// One `OP VERSION` of a constraint.
#[derive(Debug, Clone)]
struct Part {
    op: Op,
    version: Version,
}

impl Part {
    fn check(&self, v: &Version) -> bool {
        let c = &self.version;
        match self.op {
            Op::Eq => v == c,
            Op::Ne => v != c,
            Op::Gt => prerelease_check(v, c) && v > c,
            Op::Ge => prerelease_check(v, c) && v >= c,
            Op::Lt => prerelease_check(v, c) && v < c,
            Op::Le => prerelease_check(v, c) && v <= c,
            Op::Pessimistic => {
                if !prerelease_check(v, c) || (c.is_prerelease() && !v.is_prerelease()) || v < c {
                    return false;
                }
                let n = c.written;
                if n > v.segments.len() {
                    return false;
                }
                (0..n.saturating_sub(1)).all(|i| v.segments[i] == c.segments[i])
                    && v.segments[n - 1] >= c.segments[n - 1]
            }
        }
    }
}

/// A prerelease version only meets a range bound that is a prerelease of the same
/// release (go-version).
fn prerelease_check(v: &Version, c: &Version) -> bool {
    match (v.is_prerelease(), c.is_prerelease()) {
        (true, true) => v.same_segments(c),
        (true, false) => false,
        _ => true,
    }
}

/// A module block's `version`: parts joined by commas, all of which must hold.
#[derive(Debug, Clone)]
pub struct Constraint {
    parts: Vec<Part>,
}

impl Constraint {
    pub fn parse(s: &str) -> Result<Constraint, String> {
        if s.len() > 1024 {
            return Err("longer than 1024 characters".into());
        }
        let mut parts = Vec::new();
        for raw in s.split(',') {
            let t = raw.trim();
            let (op, rest) = [
                (">=", Op::Ge),
                ("<=", Op::Le),
                ("!=", Op::Ne),
                ("~>", Op::Pessimistic),
                (">", Op::Gt),
                ("<", Op::Lt),
                ("=", Op::Eq),
            ]
            .into_iter()
            .find_map(|(p, op)| t.strip_prefix(p).map(|r| (op, r)))
            .unwrap_or((Op::Eq, t));
            let rest = rest.trim();
            if rest.is_empty() {
                return Err(format!("malformed constraint {t:?}"));
            }
            let version =
                Version::parse(rest).map_err(|_| format!("malformed constraint {t:?}"))?;
            parts.push(Part { op, version });
        }
        Ok(Constraint { parts })
    }

    /// Every part holds for `v`.
    pub fn check(&self, v: &Version) -> bool {
        self.parts.iter().all(|p| p.check(v))
    }

    /// A prerelease may be chosen: some `=` part names exactly it.
    fn names_exactly(&self, v: &Version) -> bool {
        self.parts
            .iter()
            .any(|p| p.op == Op::Eq && p.version == *v && p.version.pre == v.pre)
    }

    /// The exact version this constraint pins, if it is a single `= X`.
    pub fn exact(&self) -> Option<&Version> {
        match self.parts.as_slice() {
            [Part {
                op: Op::Eq,
                version,
            }] => Some(version),
            _ => None,
        }
    }
}

/// Why no version was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoVersion {
    /// The list has no usable (release, or exactly named prerelease) version.
    None,
    /// None meets the constraint; the newest there is.
    NoMatch { newest: String },
}

/// The newest of `available` that `constraint` allows (no constraint: the newest
/// release), as Terraform's module installer chooses: versions that do not parse are
/// skipped, and a prerelease is a candidate only when the constraint names it exactly.
pub fn select<'a>(
    available: impl IntoIterator<Item = &'a str>,
    constraint: Option<&Constraint>,
) -> Result<Version, NoVersion> {
    let mut newest: Option<Version> = None;
    let mut best: Option<Version> = None;
    for raw in available {
        let Ok(v) = Version::parse(raw) else {
            continue;
        };
        if v.is_prerelease() && !constraint.is_some_and(|c| c.check(&v) && c.names_exactly(&v)) {
            continue;
        }
        if newest.as_ref().is_none_or(|n| v > *n) {
            newest = Some(v.clone());
        }
        if constraint.is_none_or(|c| c.check(&v)) && best.as_ref().is_none_or(|b| v > *b) {
            best = Some(v);
        }
    }
    match (best, newest) {
        (Some(b), _) => Ok(b),
        (None, Some(n)) => Err(NoVersion::NoMatch {
            newest: n.to_string(),
        }),
        (None, None) => Err(NoVersion::None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_versions() {
        for (input, want) in [
            ("1.2.3", "1.2.3"),
            ("v1.2", "1.2.0"),
            ("1", "1.0.0"),
            ("1.2.3-beta.1", "1.2.3-beta.1"),
            ("1.2.3+build.5", "1.2.3+build.5"),
            ("1.2.3-rc1+b", "1.2.3-rc1+b"),
            ("1.2.3beta", "1.2.3-beta"),
            ("1.2.3.4", "1.2.3.4"),
        ] {
            assert_eq!(
                Version::parse(input).expect(input).to_string(),
                want,
                "{input}"
            );
        }
        for bad in [
            "",
            "x",
            "1.",
            "1..2",
            "1.2.3-",
            "1.2.3-a..b",
            "1.2.3+",
            "1.2/3",
            "-1",
        ] {
            assert!(Version::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn order() {
        let v = |s: &str| Version::parse(s).expect(s);
        let sorted = [
            "0.9.0",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.10.0",
        ];
        for w in sorted.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.2"), v("1.2.0"));
        assert_eq!(v("1.2.0+a"), v("1.2.0+b"));
    }

    #[test]
    fn select_table() {
        let list = [
            "0.9.0",
            "1.0.0",
            "1.0.4",
            "1.1.0",
            "1.2.0-beta.1",
            "1.2.0",
            "1.3.0-rc.1",
            "2.0.0",
            "2.1.0-alpha",
            "not-a-version",
        ];
        for (constraint, want) in [
            (None, Ok("2.0.0")),
            (Some("1.0.4"), Ok("1.0.4")),
            (Some("= 1.0.4"), Ok("1.0.4")),
            (Some("!= 2.0.0"), Ok("1.2.0")),
            (Some("> 1.0.0, < 1.2.0"), Ok("1.1.0")),
            (Some(">= 1.0.0,<= 1.1.0"), Ok("1.1.0")),
            (Some("< 1.0"), Ok("0.9.0")),
            (Some("~> 1.0.0"), Ok("1.0.4")),
            (Some("~> 1.0"), Ok("1.2.0")),
            (Some("~> 1"), Ok("2.0.0")),
            (Some("~> 0.9"), Ok("0.9.0")),
            (Some("~> 0.9.0"), Ok("0.9.0")),
            // A prerelease only when named exactly.
            (Some(">= 1.2.0-beta.1"), Ok("2.0.0")),
            (Some("1.2.0-beta.1"), Ok("1.2.0-beta.1")),
            (Some("= 1.3.0-rc.1"), Ok("1.3.0-rc.1")),
            (
                Some("~> 1.3.0-rc.1"),
                Err(NoVersion::NoMatch {
                    newest: "2.0.0".into(),
                }),
            ),
            (Some("2.1.0-alpha"), Ok("2.1.0-alpha")),
            (
                Some("2.1.0-alpha, < 2.0.0"),
                Err(NoVersion::NoMatch {
                    newest: "2.0.0".into(),
                }),
            ),
            (
                Some("> 2.0.0"),
                Err(NoVersion::NoMatch {
                    newest: "2.0.0".into(),
                }),
            ),
            (
                Some("3.0.0"),
                Err(NoVersion::NoMatch {
                    newest: "2.0.0".into(),
                }),
            ),
        ] {
            let c = constraint.map(|c| Constraint::parse(c).expect(c));
            let got = select(list, c.as_ref()).map(|v| v.to_string());
            assert_eq!(got, want.map(str::to_string), "{constraint:?}");
        }
        assert_eq!(select(["1.0.0-beta"], None), Err(NoVersion::None));
        assert_eq!(select(Vec::<&str>::new(), None), Err(NoVersion::None));
    }

    #[test]
    fn bad_constraints() {
        for bad in ["", ">=", "~> x", "1.0,", "=> 1.0", ">= 1.0 || < 2"] {
            assert!(Constraint::parse(bad).is_err(), "{bad:?}");
        }
    }
}
