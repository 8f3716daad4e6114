//! The value of an expression while a configuration is evaluated: Terraform's kinds of
//! value (lists and tuples, sets, maps and objects), values known only after apply, and
//! the sensitive mark. No evaluation here: the type, its ordering and its conversions.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

mod shared;
pub use shared::{Obj, Seq};

/// An evaluated value. Collections share their elements: copying a value copies no
/// element (see [`Seq`], [`Obj`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum V {
    #[default]
    Null,
    Bool(bool),
    /// Terraform numbers are arbitrary precision; integers are exact here up to 2^53.
    Num(f64),
    Str(String),
    /// A list or a tuple.
    List(Seq),
    /// A set: elements unique and in Terraform's order (see [`cmp`]).
    Set(Seq),
    /// A map or an object: keys in lexical order, as Terraform iterates them.
    Map(Obj),
    /// Known only after apply, and where from when that is known (see [`Origin`]).
    Unknown(Option<Box<Origin>>),
    /// Marked sensitive: never shown, and everything computed from it is marked too.
    Sensitive(Box<V>),
}

/// Where a value known only after apply comes from: a resource's attribute that its
/// configuration does not set. Two such values from the same place are the same value;
/// from different places, a difference of configuration even before either is known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// An identifier of the resource at this address (`aws_vpc.main.id`), so that it
    /// can become a reference.
    Id(Box<str>),
    /// The attribute (second) of the resource at the address (first) that its
    /// configuration does not set (`data.aws_vpc.main.cidr_block`).
    Attr(Box<str>, Box<str>),
}

impl V {
    /// The identifier of the resource at `address`, known only after apply.
    pub fn id_of(address: &str) -> V {
        V::Unknown(Some(Box::new(Origin::Id(address.into()))))
    }

    pub fn str(s: impl Into<String>) -> V {
        V::Str(s.into())
    }

    pub fn unknown() -> V {
        V::Unknown(None)
    }

    /// A set from elements in any order: sorted, duplicates removed.
    pub fn set(mut items: Vec<V>) -> V {
        items.sort_by(cmp);
        items.dedup();
        V::Set(items.into())
    }

    /// A list or tuple of `items` (a `Vec`, an array).
    pub fn list(items: impl Into<Seq>) -> V {
        V::List(items.into())
    }

    /// A map or object of `entries` (a `BTreeMap`, an array of pairs).
    pub fn map(entries: impl Into<Obj>) -> V {
        V::Map(entries.into())
    }

    /// Whether both are the same collection, shared rather than copied.
    pub fn shares(&self, other: &V) -> bool {
        match (self, other) {
            (V::List(a), V::List(b)) | (V::Set(a), V::Set(b)) => a.same(b),
            (V::Map(a), V::Map(b)) => a.same(b),
            _ => false,
        }
    }

    /// The name of the value's kind, for error messages (`string`, `list`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            V::Null => "null",
            V::Bool(_) => "bool",
            V::Num(_) => "number",
            V::Str(_) => "string",
            V::List(_) => "list",
            V::Set(_) => "set",
            V::Map(_) => "map",
            V::Unknown(_) => "unknown",
            V::Sensitive(v) => v.type_name(),
        }
    }

    /// Whether the value is wholly unknown (not a collection holding unknowns).
    pub fn is_unknown(&self) -> bool {
        match self {
            V::Unknown(_) => true,
            V::Sensitive(v) => v.is_unknown(),
            _ => false,
        }
    }

    /// Whether any part of the value is unknown (known without looking inside it).
    pub fn has_unknown(&self) -> bool {
        match self {
            V::Unknown(_) => true,
            V::Sensitive(v) => v.has_unknown(),
            V::List(l) | V::Set(l) => l.meta().unknown,
            V::Map(m) => m.meta().unknown,
            _ => false,
        }
    }

    /// The value's size as the `value-size` limit counts it (see [`crate::limits`]):
    /// every element at every level counts one, and a string one more per 64 bytes (of
    /// a map's key too). Known without looking inside the value.
    pub fn size(&self) -> u64 {
        match self {
            V::Str(s) => 1 + s.len() as u64 / 64,
            V::List(l) | V::Set(l) => l.meta().size,
            V::Map(m) => m.meta().size,
            V::Sensitive(v) => v.size(),
            _ => 1,
        }
    }

    /// How deeply the value nests: 0 for a primitive, one more for each collection (or
    /// sensitive mark) around it. Known without looking inside the value.
    pub fn depth(&self) -> u32 {
        match self {
            V::List(l) | V::Set(l) => l.meta().depth,
            V::Map(m) => m.meta().depth,
            V::Sensitive(v) => v.depth().saturating_add(1),
            _ => 0,
        }
    }

    /// Whether any part of the value is marked sensitive (known without looking inside
    /// it).
    pub fn has_sensitive(&self) -> bool {
        match self {
            V::Sensitive(_) => true,
            V::List(l) | V::Set(l) => l.meta().sensitive,
            V::Map(m) => m.meta().sensitive,
            _ => false,
        }
    }

    /// The value without any sensitive mark, and whether it had one anywhere. A value
    /// with none is handed back as it is.
    pub fn unmark(self) -> (V, bool) {
        if !self.has_sensitive() {
            return (self, false);
        }
        match self {
            V::Sensitive(v) => (v.unmark().0, true),
            V::List(l) => {
                let (l, s) = unmark_all(l.into_vec());
                (V::list(l), s)
            }
            V::Set(l) => {
                let (l, s) = unmark_all(l.into_vec());
                (V::set(l), s)
            }
            V::Map(m) => {
                let mut any = false;
                let m = m
                    .into_iter()
                    .map(|(k, v)| {
                        let (v, s) = v.unmark();
                        any |= s;
                        (k, v)
                    })
                    .collect();
                (V::Map(m), any)
            }
            v => (v, false),
        }
    }

    /// The value without a top-level sensitive mark (parts inside keep theirs), and
    /// whether it had one.
    pub fn shallow_unmark(self) -> (V, bool) {
        match self {
            V::Sensitive(v) => (v.shallow_unmark().0, true),
            v => (v, false),
        }
    }

    /// The value marked sensitive when `sensitive`.
    pub fn mark(self, sensitive: bool) -> V {
        match self {
            V::Sensitive(_) => self,
            v if sensitive => V::Sensitive(Box::new(v)),
            v => v,
        }
    }

    /// The value under a top-level mark, and whether there was one.
    pub fn peel(&self) -> (&V, bool) {
        match self {
            V::Sensitive(v) => (v.peel().0, true),
            v => (v, false),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            V::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The elements of a list, tuple or set.
    pub fn as_seq(&self) -> Option<&[V]> {
        match self {
            V::List(l) | V::Set(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, V>> {
        match self {
            V::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Converts to a string as Terraform does for a `string` parameter: numbers and
    /// bools print, `null` and collections do not convert.
    pub fn to_str(&self) -> Option<String> {
        match self {
            V::Str(s) => Some(s.clone()),
            V::Num(n) => Some(num_text(*n)),
            V::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Converts to a number as Terraform does: numbers, and strings that parse as one.
    pub fn to_num(&self) -> Option<f64> {
        match self {
            V::Num(n) => Some(*n),
            // cty parses the whole string: no surrounding white space.
            V::Str(s) => s.parse::<f64>().ok().filter(|n| n.is_finite()),
            _ => None,
        }
    }

    /// Converts to a bool as Terraform does: bools, and the strings `true`/`false`.
    pub fn to_bool(&self) -> Option<bool> {
        match self {
            V::Bool(b) => Some(*b),
            V::Str(s) if s == "true" || s == "1" => Some(true),
            V::Str(s) if s == "false" || s == "0" => Some(false),
            _ => None,
        }
    }
}

fn unmark_all(l: Vec<V>) -> (Vec<V>, bool) {
    let mut any = false;
    let l = l
        .into_iter()
        .map(|v| {
            let (v, s) = v.unmark();
            any |= s;
            v
        })
        .collect();
    (l, any)
}

/// A number as Terraform prints it: integers without a fraction.
pub fn num_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else if n.is_infinite() {
        if n > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else {
        format!("{n}")
    }
}

/// Terraform's order for set elements and sorting: by kind (bool, number, string, then
/// collections; null and unknown last), numbers ascending, strings lexical, collections
/// by content. Two values are `Equal` exactly when they are `==`: sorting by it brings
/// equal values together, which is how sets, `distinct` and the set functions find them
/// in `n log n` rather than comparing every pair.
pub fn cmp(a: &V, b: &V) -> Ordering {
    #[cfg(test)]
    COMPARED.with(|c| c.set(c.get() + 1));
    // Known values first; null and unknown last, as cty orders set elements.
    fn rank(v: &V) -> u8 {
        match v {
            V::Bool(_) => 0,
            V::Num(_) => 1,
            V::Str(_) => 2,
            V::List(_) => 3,
            V::Set(_) => 4,
            V::Map(_) => 5,
            V::Sensitive(_) => 6,
            V::Null => 7,
            V::Unknown(_) => 8,
        }
    }
    match (a, b) {
        (V::Bool(x), V::Bool(y)) => x.cmp(y),
        // As `==` compares them (0 and -0 are one number); NaN, which no configuration
        // can write, ordered after every number rather than left unordered.
        (V::Num(x), V::Num(y)) => x.partial_cmp(y).unwrap_or_else(|| x.total_cmp(y)),
        (V::Str(x), V::Str(y)) => x.cmp(y),
        (V::List(x), V::List(y)) | (V::Set(x), V::Set(y)) => {
            for (p, q) in x.iter().zip(y) {
                match cmp(p, q) {
                    Ordering::Equal => continue,
                    o => return o,
                }
            }
            x.len().cmp(&y.len())
        }
        (V::Map(x), V::Map(y)) => {
            for ((k1, v1), (k2, v2)) in x.iter().zip(y) {
                match k1.cmp(k2).then_with(|| cmp(v1, v2)) {
                    Ordering::Equal => continue,
                    o => return o,
                }
            }
            x.len().cmp(&y.len())
        }
        (V::Unknown(x), V::Unknown(y)) => x.cmp(y),
        (V::Sensitive(x), V::Sensitive(y)) => cmp(x, y),
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
thread_local! {
    /// How many comparisons of values this thread made ([`cmp`] and the functions'
    /// `equal`): what tests of the cost of an algorithm count, rather than time it.
    pub(crate) static COMPARED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

impl fmt::Display for V {
    /// Terraform-like text for messages: never call it on a sensitive value's contents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            V::Null => write!(f, "null"),
            V::Bool(b) => write!(f, "{b}"),
            V::Num(n) => write!(f, "{}", num_text(*n)),
            V::Str(s) => write!(f, "{s:?}"),
            V::List(l) | V::Set(l) => {
                write!(f, "[")?;
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{v}")?;
                }
                write!(f, "]")
            }
            V::Map(m) => {
                write!(f, "{{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{k:?} = {v}")?;
                }
                write!(f, "}}")
            }
            V::Unknown(_) => write!(f, "(known after apply)"),
            V::Sensitive(_) => write!(f, "(sensitive value)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_sort_and_dedupe_in_terraform_order() {
        let s = V::set(vec![
            V::str("b"),
            V::Num(10.0),
            V::str("a"),
            V::Num(2.0),
            V::str("b"),
        ]);
        assert_eq!(
            s,
            V::Set(vec![V::Num(2.0), V::Num(10.0), V::str("a"), V::str("b")].into())
        );
    }

    #[test]
    fn marks_come_off_deep_and_go_on_once() {
        let v = V::list(vec![V::str("a"), V::Sensitive(Box::new(V::str("s")))]);
        assert!(v.has_sensitive());
        let (plain, had) = v.unmark();
        assert!(had && !plain.has_sensitive());
        let m = plain.mark(true).mark(true);
        assert!(matches!(&m, V::Sensitive(inner) if !matches!(**inner, V::Sensitive(_))));
        assert_eq!(m.to_string(), "(sensitive value)");
    }

    #[test]
    fn conversions() {
        for (v, s, n, b) in [
            (V::Num(3.0), Some("3"), Some(3.0), None),
            (V::Num(0.5), Some("0.5"), Some(0.5), None),
            (V::str("12"), Some("12"), Some(12.0), None),
            (V::str("true"), Some("true"), None, Some(true)),
            (V::str("1"), Some("1"), Some(1.0), Some(true)),
            (V::str(" 5"), Some(" 5"), None, None),
            (V::Bool(false), Some("false"), None, Some(false)),
            (V::Null, None, None, None),
        ] {
            assert_eq!(v.to_str().as_deref(), s, "{v:?}");
            assert_eq!(v.to_num(), n, "{v:?}");
            assert_eq!(v.to_bool(), b, "{v:?}");
        }
    }
}
