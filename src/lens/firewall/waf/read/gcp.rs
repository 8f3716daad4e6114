//! GCP Cloud Armor: security policy rules by priority, their actions, preview and
//! source ranges.

use super::super::{Effect, Field, Part, PartKind, Policy};
use super::{
    action_rank, attr, blocks, child, effect, first, get, key, scalar, without, without_at, Reader,
    Scalar,
};
use crate::model::{AttrPath, Value};

impl Reader<'_> {
    pub(super) fn cloud_armor(&self, v: &Value, p: &mut Policy) {
        if matches!(v.get("rule"), Some(Value::Unknown(_))) {
            p.unknown_keys = true;
        }
        for (i, rule) in blocks(v, "rule").iter().enumerate() {
            let name = match scalar(rule, "priority") {
                Some(Scalar::Known(s)) => s,
                _ => {
                    p.unknown_keys = true;
                    format!("(known after apply) {i}")
                }
            };
            let path = AttrPath(vec![attr("rule"), key(&name)]);
            let mut part = Part::new(path.clone(), PartKind::Rule);
            let action = self.field(
                child(&path, &[attr("action")]),
                rule,
                "action",
                None,
                action_rank,
            );
            let preview = matches!(get(rule, "preview"), Some(Value::Bool(true)))
                || matches!(get(rule, "preview"), Some(Value::Str(s)) if s.as_ref() == "true");
            // A rule in preview is not enforced: for a rule that stops requests that is
            // weaker, for one that allows them, stronger.
            let preview_rank = match action.rank {
                Some(r) if r >= 2 => Some(u8::from(!preview)),
                Some(0) => Some(u8::from(preview)),
                _ => None,
            };
            part.rank = if preview { Some(1) } else { action.rank };
            part.shown = format!(
                "{} rule{}",
                action.shown,
                if preview { " (preview)" } else { "" }
            );
            let effect = if preview {
                Effect::Neutral
            } else {
                effect(&action.compared, false)
            };
            let addresses = self.addresses(
                child(
                    &path,
                    &[attr("match"), attr("config"), attr("src_ip_ranges")],
                ),
                first(rule, "match")
                    .and_then(|m| first(m, "config"))
                    .and_then(|c| get(c, "src_ip_ranges")),
                effect,
            );
            part.addresses.insert("src_ip_ranges".into(), addresses);
            part.fields.insert("action".into(), action);
            part.fields.insert(
                "preview".into(),
                Field::new(
                    child(&path, &[attr("preview")]),
                    preview.to_string(),
                    preview.to_string(),
                    preview_rank,
                ),
            );
            let rest = without(rule, &["action", "priority", "preview"]);
            part.rest = Some((
                "rule".into(),
                without_at(&rest, &["match", "config", "src_ip_ranges"]),
            ));
            p.parts.insert(format!("rule {name}"), part);
        }
    }
}
