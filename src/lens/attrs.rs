//! Small readers of attribute values shared by the lenses: a non-empty string, a
//! scalar as text, the first block of a nested block list. No judgement here.

use crate::model::Value;

/// The string at `k`, when there is a non-empty one.
pub fn text<'v>(v: &'v Value, k: &str) -> Option<&'v str> {
    v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// A scalar as text: non-empty strings, numbers and booleans.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) if !s.is_empty() => Some(s.to_string()),
        Value::Num(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The first block of the nested block list at `k` (`dns_config[0]`).
pub fn first<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    v.get(k).and_then(Value::as_list).and_then(<[Value]>::first)
}

/// The list at `k`, or nothing.
pub fn list<'v>(v: &'v Value, k: &str) -> &'v [Value] {
    v.get(k).and_then(Value::as_list).unwrap_or(&[])
}
