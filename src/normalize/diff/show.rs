//! How a value is shown in a finding: found again at its path, rendered with secrets
//! hidden, and long texts cut to the window where they differ.

use super::*;

/// Two long displays cut to the part that differs, so that a reader sees the change
/// rather than a shared beginning: `…"Action": "s3:ListBucket"…`.
pub(super) fn windows(l: &str, r: &str) -> (String, String) {
    const KEEP: usize = 40;
    let (lc, rc): (Vec<char>, Vec<char>) = (l.chars().collect(), r.chars().collect());
    if lc.len() <= MAX_DISPLAY && rc.len() <= MAX_DISPLAY {
        return (l.to_string(), r.to_string());
    }
    let prefix = lc.iter().zip(rc.iter()).take_while(|(p, q)| p == q).count();
    let suffix = lc
        .iter()
        .rev()
        .zip(rc.iter().rev())
        .take_while(|(p, q)| p == q)
        .count()
        .min(lc.len() - prefix)
        .min(rc.len() - prefix);
    let cut = |cs: &[char]| -> String {
        let start = prefix.saturating_sub(KEEP);
        let end = (cs.len() - suffix + KEEP).min(cs.len());
        let mut middle: String = cs[start..end].iter().collect();
        if middle.chars().count() > MAX_DISPLAY {
            middle = middle.chars().take(MAX_DISPLAY - 1).collect::<String>() + "…";
        }
        format!(
            "{}{middle}{}",
            if start > 0 { "…" } else { "" },
            if end < cs.len() { "…" } else { "" }
        )
    };
    (cut(&lc), cut(&rc))
}

/// The value at an attribute path. A key step into a list of blocks names a block by
/// its natural key (`rule["allow-ssh"]`, see [`block_name`]).
pub fn value_at<'v>(root: &'v Value, path: &AttrPath) -> Option<&'v Value> {
    let mut v = root;
    for step in &path.0 {
        v = match (step, v) {
            (PathStep::Attr(k) | PathStep::Key(k), Value::List(items)) => named_block(items, k)?,
            (PathStep::Attr(k) | PathStep::Key(k), _) => v.get(k)?,
            (PathStep::Index(i), _) => v.as_list()?.get(usize::try_from(*i).ok()?)?,
        };
    }
    Some(v)
}

/// How a value is shown to a reader: references as the logical address, secrets as
/// `(sensitive)` (also inside JSON documents held in strings), everything else as
/// written, shortened when long.
pub fn show(side: &Side<'_>, v: &Value, path: &AttrPath) -> String {
    let s = render_full(side, v, path);
    if s.chars().count() > MAX_DISPLAY {
        let cut: String = s.chars().take(MAX_DISPLAY - 1).collect();
        return format!("{cut}…");
    }
    s
}

/// A value as shown, without shortening.
pub(super) fn render_full(side: &Side<'_>, v: &Value, path: &AttrPath) -> String {
    let mut s = String::new();
    render(side, v, path, &mut s, true);
    s
}

pub(super) fn render(side: &Side<'_>, v: &Value, path: &AttrPath, out: &mut String, top: bool) {
    if is_sensitive(side.res, path) {
        out.push_str(SENSITIVE);
        return;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Unknown(None) => out.push_str(UNKNOWN),
        Value::Unknown(Some(d)) => {
            out.push_str(&format!("{UNKNOWN_FROM}{}.{})", d.address, d.attr));
        }
        Value::Ref(a) => match side.ctx.env.position(a) {
            Some(_) => out.push_str(&a.to_string()),
            None => out.push_str("(known after apply)"),
        },
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Num(n) => out.push_str(&n.to_string()),
        Value::Str(s) => {
            if let Some(i) = side.resolve(s) {
                out.push_str(&side.ctx.env.resources[i].address.to_string());
                return;
            }
            let redacted = redact_json(s).or_else(|| redact_userinfo(s));
            let text = redacted.as_deref().unwrap_or(s);
            if top && !text.is_empty() {
                out.push_str(text);
            } else {
                json_str(text, out);
            }
        }
        Value::List(l) => {
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(side, x, &path.child(PathStep::Index(i as i64)), out, false);
            }
            out.push(']');
        }
        Value::Object(o) => {
            let block = matches!(path.0.last(), Some(PathStep::Index(_)));
            out.push('{');
            let mut first = true;
            for (k, x) in o.iter() {
                if is_empty(x) && block {
                    continue;
                }
                if !first {
                    out.push_str(", ");
                }
                first = false;
                out.push_str(k);
                out.push_str(" = ");
                render(side, x, &path.child(object_step(block, k)), out, false);
            }
            out.push('}');
        }
    }
}
