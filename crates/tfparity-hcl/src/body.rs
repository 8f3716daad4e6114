//! A block's body as values: attributes, nested blocks as lists of objects (the shape
//! state has), `dynamic` blocks expanded; and the names `count` and `each` bind for one
//! instance. Evaluates through the scope it is given.

use super::config::RESOURCE_META;
use super::eval::{EResult, Eval, EvalError, Frame};
use super::expr::Kind;
use super::files::Body;
use super::value::V;
use std::collections::BTreeMap;
use tfparity_addrs::Key;

/// `count.index` or `each.key`/`each.value` for one instance.
pub(super) fn repetition_bindings(
    count: bool,
    key: &Option<Key>,
    each: &Option<V>,
) -> Vec<(String, V)> {
    match key {
        Some(Key::Int(i)) if count => vec![(
            "count".into(),
            V::map([("index".to_string(), V::Num(*i as f64))]),
        )],
        Some(k) => {
            let key = match k {
                Key::Int(i) => V::Num(*i as f64),
                Key::Str(s) => V::Str(s.clone()),
            };
            vec![(
                "each".into(),
                V::Map(
                    [
                        ("key".to_string(), key),
                        ("value".to_string(), each.clone().unwrap_or(V::Null)),
                    ]
                    .into(),
                ),
            )]
        }
        None => Vec::new(),
    }
}

/// A nested block's value, within the limits on values: blocks nested in blocks (as
/// deep as the parser allows) make a value as deep as any expression does.
fn block_value(attrs: BTreeMap<String, V>, loc: &crate::files::Loc) -> EResult<V> {
    let v = V::map(attrs);
    crate::eval::check_value(&v).map_err(|what| EvalError::at(loc, what))?;
    Ok(v)
}

/// The attributes and nested blocks of a body as values: nested blocks as lists of
/// objects (the shape state has), `dynamic` blocks expanded. At the top of a resource,
/// meta-arguments and meta-blocks are left out.
pub fn body_values(
    ev: &Eval<'_>,
    body: &Body,
    f: &Frame<'_>,
    top: bool,
) -> EResult<BTreeMap<String, V>> {
    let mut out = BTreeMap::new();
    // The body's value, counted as it grows: many attributes and blocks, each within
    // the limits, may not be together.
    let mut size = crate::limits::Growing::new();
    for a in &body.attrs {
        if top && RESOURCE_META.contains(&a.name.as_str()) {
            continue;
        }
        let ev_here = Eval {
            scope: ev.scope,
            loc: a.loc.clone(),
        };
        // An error quotes no value bound for a secret-named argument.
        let v = ev_here
            .eval(&a.expr, f)
            .map_err(|e| e.bound_for(&a.name, &a.expr))?;
        // In a nested block, an argument set to null is not set (the provider decides).
        if !top && v == V::Null {
            continue;
        }
        size.add(v.size())
            .map_err(|what| EvalError::at(&a.loc, what))?;
        out.insert(a.name.clone(), v);
    }
    let mut lists: BTreeMap<String, Option<Vec<V>>> = BTreeMap::new();
    for b in &body.blocks {
        match b.kind.as_str() {
            "lifecycle" | "provisioner" | "connection" | "timeouts" if top => continue,
            "dynamic" => {
                let Some(label) = b.labels.first() else {
                    continue;
                };
                let slot = lists
                    .entry(label.clone())
                    .or_insert_with(|| Some(Vec::new()));
                let Some(fe) = b.body.attr("for_each") else {
                    return Err(EvalError::at(
                        &b.loc,
                        format!("dynamic \"{label}\" has no for_each argument"),
                    ));
                };
                let iterator = match b.body.attr("iterator").map(|a| &a.expr.kind) {
                    Some(Kind::Variable(v)) => v.to_string(),
                    Some(_) => {
                        return Err(EvalError::at(
                            &b.loc,
                            "Invalid dynamic iterator name: it must be a name",
                        ))
                    }
                    None => label.clone(),
                };
                let Some(content) = b.body.blocks_of("content").next() else {
                    return Err(EvalError::at(
                        &b.loc,
                        format!("dynamic \"{label}\" has no content block"),
                    ));
                };
                let (coll, marked) = Eval {
                    scope: ev.scope,
                    loc: fe.loc.clone(),
                }
                .eval(&fe.expr, f)?
                .unmark();
                let pairs: Vec<(V, V)> = match coll {
                    V::Unknown(_) => {
                        *slot = None;
                        continue;
                    }
                    V::Null => Vec::new(),
                    V::List(l) => l.into_iter().enumerate().map(|(i, v)| (V::Num(i as f64), v)).collect(),
                    V::Set(l) => l.into_iter().map(|v| (v.clone(), v)).collect(),
                    V::Map(m) => m
                        .into_iter()
                        .filter(|(k, _)| k != crate::eval::RESOURCE_MARK)
                        .map(|(k, v)| (V::Str(k), v))
                        .collect(),
                    other => {
                        return Err(EvalError::at(&fe.loc, format!("Invalid dynamic for_each value: cannot use a {} value in for_each; an iterable collection is required", other.type_name())))
                    }
                };
                // A sensitive for_each marks both the key and the value of each
                // iteration (as HCL's dynblock does): a key is the collection's too.
                for (k, v) in pairs {
                    let it = V::Map(
                        [
                            ("key".to_string(), k.mark(marked)),
                            ("value".to_string(), v.mark(marked)),
                        ]
                        .into(),
                    );
                    let inner = Frame::with(f, vec![(iterator.clone(), it)]);
                    let obj = block_value(
                        body_values(ev, &content.body, &inner, false)
                            .map_err(|e| within_block(e, label))?,
                        &b.loc,
                    )?;
                    size.add(obj.size())
                        .map_err(|what| EvalError::at(&b.loc, what))?;
                    if let Some(items) = slot {
                        items.push(obj);
                    }
                }
            }
            kind => {
                let obj = block_value(
                    body_values(ev, &b.body, f, false).map_err(|e| within_block(e, kind))?,
                    &b.loc,
                )?;
                size.add(obj.size())
                    .map_err(|what| EvalError::at(&b.loc, what))?;
                if let Some(items) = lists
                    .entry(kind.to_string())
                    .or_insert_with(|| Some(Vec::new()))
                {
                    items.push(obj);
                }
            }
        }
    }
    for (k, items) in lists {
        out.insert(k, items.map(V::list).unwrap_or_else(V::unknown));
    }
    Ok(out)
}

/// An error inside a nested block quotes no value when the block's name says secret
/// (`credentials { value = … }`).
fn within_block(e: EvalError, block: &str) -> EvalError {
    if crate::secret::is_secret_name(block) {
        e.redacted()
    } else {
        e
    }
}
