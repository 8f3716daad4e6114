//! JSON documents held in strings (policies): compared by content, and a difference
//! said where inside the document it is; canonical forms of values for pairing.

use super::*;

/// Where two JSON documents held in strings differ once normalised: the path inside
/// them (`Statement["Bucket"].Action`, statements by `Sid`) down to where one part
/// alone differs, and each side's value there (compact JSON). `None` when they are not
/// both documents, or the place is under a secret-named key.
pub(super) fn json_difference(
    a: &Side<'_>,
    b: &Side<'_>,
    x: &str,
    y: &str,
) -> Option<(String, String, String)> {
    use serde_json::Value as J;
    let doc = |s: &str| {
        let t = s.trim_start();
        (t.starts_with('{') || t.starts_with('['))
            .then(|| serde_json::from_str::<J>(s).ok())
            .flatten()
    };
    // Read after secrets are taken out: a difference only in a secret shows nothing here
    // (and is shown as the whole value would be, redacted).
    let (dx, dy) = (doc(&redact(x))?, doc(&redact(y))?);
    let policy = dx.get("Statement").is_some() || dy.get("Statement").is_some();
    let same =
        |p: &J, q: &J| a.ctx.canonical_json_as(p, policy) == b.ctx.canonical_json_as(q, policy);
    let mut at = String::new();
    let (mut p, mut q) = (&dx, &dy);
    // Where several keys of an object differ: that object with only those keys.
    let mut only_differing: Option<(J, J)> = None;
    loop {
        let next: Option<(String, &J, &J)> = match (p, q) {
            (J::Object(m), J::Object(n)) => {
                let keys: BTreeSet<&String> = m.keys().chain(n.keys()).collect();
                let differing: Vec<&String> = keys
                    .into_iter()
                    .filter(|k| !matches!((m.get(*k), n.get(*k)), (Some(u), Some(v)) if same(u, v)))
                    .collect();
                match differing.as_slice() {
                    [k] => {
                        if is_secret_name(k) {
                            return None;
                        }
                        match (m.get(*k), n.get(*k)) {
                            (Some(u), Some(v)) => Some((format!(".{k}"), u, v)),
                            _ => {
                                at.push_str(&format!(".{k}"));
                                let show =
                                    |v: Option<&J>| v.map_or("(absent)".to_string(), J::to_string);
                                return Some((
                                    at.trim_start_matches('.').to_string(),
                                    show(m.get(*k)),
                                    show(n.get(*k)),
                                ));
                            }
                        }
                    }
                    keys => {
                        if keys.iter().any(|k| is_secret_name(k)) {
                            return None;
                        }
                        let part = |o: &serde_json::Map<String, J>| {
                            J::Object(
                                keys.iter()
                                    .filter_map(|k| o.get(*k).map(|v| ((*k).clone(), v.clone())))
                                    .collect(),
                            )
                        };
                        only_differing = Some((part(m), part(n)));
                        None
                    }
                }
            }
            (J::Array(l), J::Array(r)) => {
                // Statements by their Sid when every one has one; else by position.
                fn by_sid(xs: &[J]) -> Option<BTreeMap<String, &J>> {
                    xs.iter()
                        .map(|v| v.get("Sid").and_then(J::as_str).map(|s| (s.to_string(), v)))
                        .collect()
                }
                match (by_sid(l), by_sid(r)) {
                    (Some(sl), Some(sr))
                        if sl.len() == l.len()
                            && sr.len() == r.len()
                            && sl.keys().eq(sr.keys()) =>
                    {
                        let differing: Vec<&String> =
                            sl.keys().filter(|k| !same(sl[*k], sr[*k])).collect();
                        match differing.as_slice() {
                            [k] => Some((format!("[{}]", J::from(k.as_str())), sl[*k], sr[*k])),
                            _ => None,
                        }
                    }
                    _ if l.len() == r.len() && !policy => {
                        let differing: Vec<usize> =
                            (0..l.len()).filter(|&i| !same(&l[i], &r[i])).collect();
                        match differing.as_slice() {
                            [i] => Some((format!("[{i}]"), &l[*i], &r[*i])),
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        match next {
            Some((step, u, v)) => {
                at.push_str(&step);
                p = u;
                q = v;
            }
            None => break,
        }
    }
    if at.is_empty() {
        return None;
    }
    let (l, r) = match only_differing {
        Some((l, r)) => (l.to_string(), r.to_string()),
        None => (p.to_string(), q.to_string()),
    };
    Some((at.trim_start_matches('.').to_string(), l, r))
}

pub(super) fn canon_all(side: &Side<'_>, xs: &[Value]) -> Vec<(String, bool)> {
    xs.iter()
        .map(|v| {
            let mut unknown = false;
            let mut s = String::new();
            canon(side, v, &mut s, &mut unknown);
            (s, unknown)
        })
        .collect()
}

pub(super) fn json_str(s: &str, out: &mut String) {
    out.push_str(&serde_json::Value::from(s).to_string());
}

/// A canonical, escaped text of a normalised value, for multiset comparison.
pub(super) fn canon(side: &Side<'_>, v: &Value, out: &mut String, unknown: &mut bool) {
    match v {
        Value::Unknown(_) => {
            *unknown = true;
            out.push('?');
            if let Some((address, attr)) = source(side, v) {
                out.push_str(&format!("@{address}.{attr}"));
            }
        }
        Value::List(l) if !l.is_empty() => {
            let mut parts: Vec<String> = l
                .iter()
                .map(|x| {
                    let mut s = String::new();
                    canon(side, x, &mut s, unknown);
                    s
                })
                .collect();
            parts.sort_unstable();
            out.push('[');
            out.push_str(&parts.join(","));
            out.push(']');
        }
        Value::Object(o) if !o.is_empty() => {
            out.push('{');
            for (k, x) in o.iter() {
                if is_empty(x) {
                    continue;
                }
                json_str(k, out);
                out.push(':');
                canon(side, x, out, unknown);
                out.push(',');
            }
            out.push('}');
        }
        _ => match side.leaf(v) {
            super::super::Leaf::Text(t) => {
                out.push('t');
                json_str(&t, out);
            }
            other => out.push_str(&other.canonical()),
        },
    }
}
