//! A compact JSON-like value for resource attributes. Smaller than `serde_json::Value`
//! (24 bytes, boxed slices, object entries kept in a sorted slice) because a large state
//! holds millions of them. No I/O and no judgement here: only the data and its parsing.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A JSON number as the input wrote it, without losing integer precision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    UInt(u64),
    Float(f64),
}

impl Num {
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::UInt(u) => u as f64,
            Num::Float(f) => f,
        }
    }

    pub fn as_i64(self) -> Option<i64> {
        match self {
            Num::Int(i) => Some(i),
            Num::UInt(u) => i64::try_from(u).ok(),
            Num::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            Num::Float(_) => None,
        }
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::UInt(u) => write!(f, "{u}"),
            Num::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => write!(f, "{}", *x as i64),
            Num::Float(x) => write!(f, "{x}"),
        }
    }
}

/// An attribute value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Num(Num),
    Str(Box<str>),
    List(Box<[Value]>),
    /// Entries sorted by key, keys unique.
    Object(Box<[(Box<str>, Value)]>),
    /// Known only after apply (a plan's `after_unknown`), and where from when that is
    /// known (see [`Derived`]). Never produced by parsing.
    Unknown(Option<Box<Derived>>),
    /// Known only after apply, but known to be an identifier of the resource at this
    /// address (a plan's configuration says `vpc_id = aws_vpc.main.id`).
    Ref(Box<super::address::Address>),
}

/// Where a value known only after apply comes from: an attribute, other than its
/// identifiers (those are [`Value::Ref`]), that the configuration of the resource at
/// `address` does not set (`data.aws_vpc.main.cidr_block`).
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub address: super::address::Address,
    pub attr: Box<str>,
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(s.into())
    }

    /// Builds an object from entries in any order; a later duplicate key wins.
    pub fn object(mut entries: Vec<(Box<str>, Value)>) -> Value {
        // Terraform writes keys sorted: then there is nothing to do.
        if entries.windows(2).all(|w| w[0].0 < w[1].0) {
            return Value::Object(entries.into_boxed_slice());
        }
        // Stable sort keeps input order among equal keys; keep the last of each run.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Box<str>, Value)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        Value::Object(out.into_boxed_slice())
    }

    /// For tests: the value with every string leaf equal to `marker` made unknown
    /// (known only after apply), as a configuration's evaluation leaves it.
    #[cfg(test)]
    pub fn unknown_where(self, marker: &str) -> Value {
        match self {
            Value::Str(s) if &*s == marker => Value::Unknown(None),
            Value::List(l) => Value::List(
                l.into_vec()
                    .into_iter()
                    .map(|x| x.unknown_where(marker))
                    .collect(),
            ),
            Value::Object(o) => Value::Object(
                o.into_vec()
                    .into_iter()
                    .map(|(k, x)| (k, x.unknown_where(marker)))
                    .collect(),
            ),
            other => other,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(entries) => entries
                .binary_search_by(|(k, _)| k.as_ref().cmp(key))
                .ok()
                .map(|i| &entries[i].1),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Box<str>, Value)] {
        match self {
            Value::Object(e) => e,
            _ => &[],
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Compact JSON text of the value (used for display and canonical keys).
    pub fn to_json(&self) -> String {
        let mut s = String::new();
        self.write_json(&mut s);
        s
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Unknown(_) => out.push_str("\"(known after apply)\""),
            Value::Ref(a) => {
                out.push_str(&serde_json::Value::from(format!("${{{a}}}")).to_string())
            }
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Num(n) => out.push_str(&n.to_string()),
            Value::Str(s) => out.push_str(&serde_json::Value::from(s.as_ref()).to_string()),
            Value::List(l) => {
                out.push('[');
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            Value::Object(e) => {
                out.push('{');
                for (i, (k, v)) in e.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::from(k.as_ref()).to_string());
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Num(Num::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Num(match i64::try_from(v) {
            Ok(i) => Num::Int(i),
            Err(_) => Num::UInt(v),
        }))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Num(Num::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v.into_boxed_str()))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Deserialize::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(x) = seq.next_element()? {
            v.push(x);
        }
        Ok(Value::List(v.into_boxed_slice()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut v: Vec<(Box<str>, Value)> = Vec::new();
        while let Some(k) = map.next_key::<KeyStr>()? {
            let val = map.next_value()?;
            v.push((k.0, val));
        }
        Ok(Value::object(v))
    }
}

/// A map key read without an intermediate `String` when the input allows it.
struct KeyStr(Box<str>);

impl<'de> Deserialize<'de> for KeyStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyStr, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyStr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyStr, E> {
                Ok(KeyStr(v.into()))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_json() -> crate::TestResult {
        for (input, want) in [
            (
                r#"{"b":1,"a":[true,null,"x"],"c":{"z":1.5}}"#,
                r#"{"a":[true,null,"x"],"b":1,"c":{"z":1.5}}"#,
            ),
            ("18446744073709551615", "18446744073709551615"),
            ("-3", "-3"),
            ("2.0", "2"),
            (r#""q\"\n""#, r#""q\"\n""#),
            (r#"{"a":1,"a":2}"#, r#"{"a":2}"#),
        ] {
            let v: Value = serde_json::from_str(input)?;
            assert_eq!(v.to_json(), want, "{input}");
        }
        Ok(())
    }

    #[test]
    fn lookup() -> crate::TestResult {
        let v: Value = serde_json::from_str(r#"{"b":1,"a":"x"}"#)?;
        assert_eq!(v.get("a").and_then(Value::as_str), Some("x"));
        assert_eq!(v.get("zz"), None);
        assert_eq!(std::mem::size_of::<Value>(), 24);
        Ok(())
    }
}
