//! AWS WAFv2: web ACLs and rule groups (rules by name, actions, managed rule groups
//! with their overrides) and which rules use each IP set.

use super::super::{Effect, Field, Part, PartKind, Policy};
use super::{
    action_rank, attr, blocks, child, effect, first, get, key, scalar, without, without_at, Reader,
    Scalar, MAX_DEPTH, OWN_ACTION, UNKNOWN,
};
use crate::model::{AttrPath, Value};
use crate::normalize::{Context, Leaf};
use std::collections::BTreeMap;

impl Reader<'_> {
    /// The action block's chosen action: the one of `allow`, `block`, `count`, … that
    /// holds a block.
    pub(super) fn aws_word(v: &Value, k: &str) -> Option<Scalar> {
        match get(v, k)? {
            Value::Unknown(_) => Some(Scalar::Unknown),
            Value::List(l) => {
                let inner = l.first()?;
                inner
                    .entries()
                    .iter()
                    .find(|(_, x)| {
                        matches!(x, Value::List(l) if !l.is_empty())
                            || matches!(x, Value::Object(_))
                    })
                    .map(|(w, _)| Scalar::Known(w.to_string()))
            }
            _ => None,
        }
    }

    fn aws_word_field(&self, path: AttrPath, v: &Value, k: &str) -> Option<Field> {
        Some(match Self::aws_word(v, k)? {
            Scalar::Known(w) => Field::new(path, w.clone(), w.clone(), action_rank(&w)),
            Scalar::Unknown => Field::unknown(path),
        })
    }

    pub(super) fn aws_acl(&self, v: &Value, p: &mut Policy) {
        if let Some(f) =
            self.aws_word_field(AttrPath(vec![attr("default_action")]), v, "default_action")
        {
            let mut part = Part::new(AttrPath(vec![attr("default_action")]), PartKind::Settings);
            part.fields.insert("default_action".into(), f);
            // The chosen action's settings (a custom response) compare when the
            // actions are the same.
            if let Some(d) = get(v, "default_action") {
                part.rest = Some((
                    "default_action".into(),
                    d.as_list()
                        .and_then(<[Value]>::first)
                        .cloned()
                        .unwrap_or(Value::Null),
                ));
                part.strip = vec![("default_action".into(), vec!["allow", "block"])];
            }
            p.parts.insert("default_action".into(), part);
        }
        if matches!(v.get("rule"), Some(Value::Unknown(_))) {
            p.unknown_keys = true;
        }
        for (i, rule) in blocks(v, "rule").iter().enumerate() {
            let (k, name) = match self.block_key(rule, "name") {
                Some(Ok(k)) => k,
                Some(Err(())) | None => {
                    p.unknown_keys = true;
                    (format!("(known after apply) {i}"), UNKNOWN.to_string())
                }
            };
            let path = AttrPath(vec![attr("rule"), key(&name)]);
            let statement = first(rule, "statement");
            let managed = statement.and_then(|s| first(s, "managed_rule_group_statement"));
            let group_ref = statement.and_then(|s| first(s, "rule_group_reference_statement"));
            let kind = if managed.is_some() || group_ref.is_some() {
                PartKind::Managed
            } else {
                PartKind::Rule
            };
            let mut part = Part::new(path.clone(), kind);
            part.fields.insert(
                "priority".into(),
                self.field(
                    child(&path, &[attr("priority")]),
                    rule,
                    "priority",
                    None,
                    |_| None,
                ),
            );
            for k in ["action", "override_action"] {
                if let Some(f) = self.aws_word_field(child(&path, &[attr(k)]), rule, k) {
                    part.rank = f.rank;
                    part.shown = format!(
                        "{} {}",
                        f.shown,
                        if kind == PartKind::Managed {
                            "rule group"
                        } else {
                            "rule"
                        }
                    );
                    part.fields.insert(k.into(), f);
                }
            }
            let mut rest = without(rule, &["name", "priority"]);
            if let Some(m) = managed {
                let vendor = scalar(m, "vendor_name");
                let name = scalar(m, "name");
                let id = match (vendor, name) {
                    (Some(Scalar::Known(a)), Some(Scalar::Known(b))) => Field::new(
                        child(&path, &[attr("managed_rule_group")]),
                        format!("{a}/{b}").to_ascii_lowercase(),
                        format!("{a}/{b}"),
                        None,
                    ),
                    _ => Field::unknown(child(&path, &[attr("managed_rule_group")])),
                };
                part.fields.insert("managed_rule_group".into(), id);
                let mut version = self.field(
                    child(&path, &[attr("managed_rule_group"), attr("version")]),
                    m,
                    "version",
                    None,
                    |_| None,
                );
                if version.shown == "(absent)" {
                    version.shown = "(the vendor's default version)".into();
                }
                part.fields.insert("version".into(), version);
                self.aws_overrides(&path, m, &mut part);
                // What the fields say is not compared again as values.
                for k in [
                    "name",
                    "vendor_name",
                    "version",
                    "rule_action_override",
                    "excluded_rule",
                ] {
                    rest = without_at(&rest, &["statement", "managed_rule_group_statement", k]);
                }
            }
            if let Some(g) = group_ref {
                self.aws_overrides(&path, g, &mut part);
                for k in ["rule_action_override", "excluded_rule"] {
                    rest = without_at(&rest, &["statement", "rule_group_reference_statement", k]);
                }
            }
            part.rest = Some(("rule".into(), rest));
            // An action's settings compare only when the actions are the same.
            part.strip = vec![
                ("action".into(), vec!["action"]),
                ("override_action".into(), vec!["override_action"]),
            ];
            p.parts.insert(format!("rule {k}"), part);
        }
    }

    /// A rule group's per-rule overrides: `rule_action_override` (the action to use)
    /// and the older `excluded_rule` (which counts the rule's matches).
    fn aws_overrides(&self, path: &AttrPath, g: &Value, part: &mut Part) {
        let mut put = |name: &str, field: Field| {
            part.fields
                .insert(format!("override {}", self.ctx.text(name)), field);
        };
        for o in blocks(g, "rule_action_override") {
            let Some(Scalar::Known(name)) = scalar(o, "name") else {
                continue;
            };
            let p = child(path, &[attr("rule_action_override"), key(&name)]);
            let f = self
                .aws_word_field(p.clone(), o, "action_to_use")
                .unwrap_or_else(|| Field::unknown(p));
            put(&name, f.with_absent(OWN_ACTION, Some(3)));
        }
        for o in blocks(g, "excluded_rule") {
            let Some(Scalar::Known(name)) = scalar(o, "name") else {
                continue;
            };
            let p = child(path, &[attr("rule_action_override"), key(&name)]);
            // Excluding a rule sets its action to count: the same as overriding it so.
            put(
                &name,
                Field::new(p, "count".into(), "count (excluded_rule)".into(), Some(1))
                    .with_absent(OWN_ACTION, Some(3)),
            );
        }
    }
}

/// Which AWS IP sets each rule of an environment uses, and how: by the IP set's
/// position, the effect and the rule (`aws_wafv2_web_acl.main rule["office"]`).
pub(crate) type Usage = BTreeMap<usize, Vec<(Effect, String)>>;

/// Every use of an AWS IP set by a web ACL's or rule group's rule.
pub(crate) fn ip_set_usage(ctx: &Context<'_>) -> Usage {
    let mut out: Usage = BTreeMap::new();
    for r in &ctx.env.resources {
        if !matches!(
            r.address.rtype.as_str(),
            "aws_wafv2_web_acl" | "aws_wafv2_rule_group"
        ) {
            continue;
        }
        for rule in blocks(&r.attributes, "rule") {
            let Some(Scalar::Known(action)) = Reader::aws_word(rule, "action") else {
                continue;
            };
            let name = match scalar(rule, "name") {
                Some(Scalar::Known(n)) => n,
                _ => UNKNOWN.to_string(),
            };
            let mut found = Vec::new();
            if let Some(s) = first(rule, "statement") {
                ip_sets(ctx, s, false, 0, &mut found);
            }
            for (i, negated) in found {
                let user = format!(
                    "{} {}",
                    ctx.logical(&r.address),
                    AttrPath(vec![attr("rule"), key(&name)])
                );
                out.entry(i)
                    .or_default()
                    .push((effect(&action, negated), user));
            }
        }
    }
    for users in out.values_mut() {
        users.sort_by(|a, b| a.1.cmp(&b.1));
        users.dedup();
    }
    out
}

/// The IP sets a statement refers to, with whether a `not_statement` negates each.
fn ip_sets(
    ctx: &Context<'_>,
    s: &Value,
    negated: bool,
    depth: usize,
    out: &mut Vec<(usize, bool)>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for (k, v) in s.entries() {
        let Value::List(items) = v else { continue };
        for item in items.iter() {
            match k.as_ref() {
                "ip_set_reference_statement" => {
                    let found = match get(item, "arn") {
                        Some(Value::Str(a)) => match ctx.leaf_str(a) {
                            Leaf::Ref(_) => ctx.resolve(a),
                            _ => None,
                        },
                        Some(Value::Ref(a)) => ctx.env.position(a),
                        _ => None,
                    };
                    if let Some(i) = found {
                        out.push((i, negated));
                    }
                }
                "not_statement" => ip_sets(ctx, item, !negated, depth + 1, out),
                _ => ip_sets(ctx, item, negated, depth + 1, out),
            }
        }
    }
}
