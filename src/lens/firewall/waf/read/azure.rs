//! Azure: Application Gateway WAF policies and Front Door (classic, standard/premium)
//! WAF policies: mode and switch, custom rules by name, managed rule sets by type with
//! their per-rule overrides.

use super::super::{Effect, Field, Part, PartKind, Policy};
use super::{
    action_rank, attr, blocks, child, effect, first, get, key, mode_rank, scalar, without, Reader,
    Scalar, OWN_ACTION, UNKNOWN,
};
use crate::model::{AttrPath, Value};
use crate::normalize::defaults;

impl Reader<'_> {
    /// Ranks of a switch (`enabled`) on a rule with action `rank`: switching off a rule
    /// that stops requests is weaker, one that allows them stronger.
    fn switch_rank(action: Option<u8>) -> impl Fn(&str) -> Option<u8> {
        move |s: &str| {
            let on = s.eq_ignore_ascii_case("true");
            match action {
                Some(r) if r >= 2 => Some(u8::from(on)),
                Some(0) => Some(u8::from(!on)),
                _ => None,
            }
        }
    }

    /// A custom rule of any Azure WAF policy: action, switch, priority, the addresses it
    /// matches, the rest as values. `conditions` names the match-condition blocks, and
    /// `variable` reads a condition's match variable.
    fn azure_custom_rule(
        &self,
        list: &str,
        rule: &Value,
        i: usize,
        p: &mut Policy,
        conditions: &str,
        variable: fn(&Value) -> Vec<String>,
    ) {
        let (k, name) = match self.block_key(rule, "name") {
            Some(Ok(k)) => k,
            _ => {
                p.unknown_keys = true;
                (format!("(known after apply) {i}"), UNKNOWN.to_string())
            }
        };
        let path = AttrPath(vec![attr(list), key(&name)]);
        let mut part = Part::new(path.clone(), PartKind::Rule);
        let action = self.field(
            child(&path, &[attr("action")]),
            rule,
            "action",
            None,
            action_rank,
        );
        let enabled = self.field(
            child(&path, &[attr("enabled")]),
            rule,
            "enabled",
            Some(&format!("{list}.enabled")),
            Self::switch_rank(action.rank),
        );
        let on = enabled.compared != "false";
        part.rank = if on { action.rank } else { Some(1) };
        part.shown = format!(
            "{} rule{}",
            action.shown,
            if on { "" } else { " (disabled)" }
        );
        part.fields.insert(
            "priority".into(),
            self.field(
                child(&path, &[attr("priority")]),
                rule,
                "priority",
                Some(&format!("{list}.priority")),
                |_| None,
            ),
        );
        // Conditions on the client's address with the IP operator: an address list.
        let mut ip = Vec::new();
        let mut negated = false;
        let mut rest_conditions = Vec::new();
        for c in blocks(rule, conditions) {
            let is_ip = variable(c).iter().any(|v| {
                v.eq_ignore_ascii_case("RemoteAddr") || v.eq_ignore_ascii_case("SocketAddr")
            }) && matches!(get(c, "operator"), Some(Value::Str(o)) if o.eq_ignore_ascii_case("IPMatch"));
            if is_ip {
                negated |= matches!(get(c, "negation_condition"), Some(Value::Bool(true)));
                if let Some(l) = get(c, "match_values") {
                    ip.push(l.clone());
                }
                rest_conditions.push(without(c, &["match_values"]));
            } else {
                rest_conditions.push(c.clone());
            }
        }
        if !ip.is_empty() {
            let mut all = Vec::new();
            let mut unknown = false;
            for l in &ip {
                match l {
                    Value::List(x) => all.extend(x.iter().cloned()),
                    _ => unknown = true,
                }
            }
            let list_value = if unknown {
                Value::Unknown(None)
            } else {
                Value::List(all.into())
            };
            let effect = if on {
                effect(&action.compared, negated)
            } else {
                Effect::Neutral
            };
            part.addresses.insert(
                "match_values".into(),
                self.addresses(
                    child(&path, &[attr(conditions), attr("match_values")]),
                    Some(&list_value),
                    effect,
                ),
            );
        }
        part.fields.insert("action".into(), action);
        part.fields.insert("enabled".into(), enabled);
        let mut rest = without(rule, &["name", "action", "enabled", "priority", conditions]);
        if !rest_conditions.is_empty() {
            let mut entries = rest.entries().to_vec();
            entries.push((conditions.into(), Value::List(rest_conditions.into())));
            rest = Value::object(entries);
        }
        part.rest = Some((list.into(), rest));
        p.parts.insert(format!("{list} {k}"), part);
    }

    /// A managed rule's override: its action when the override is on, `disabled`
    /// otherwise (unset, the provider's documented default says which).
    fn azure_rule_override(&self, path: AttrPath, r: &Value, enabled_path: &str) -> Field {
        let enabled = self.field(path.clone(), r, "enabled", Some(enabled_path), |_| None);
        if enabled.unknown {
            return Field::unknown(path);
        }
        if enabled.compared == "false" {
            return Field::new(path, "disabled".into(), "disabled".into(), Some(0))
                .with_absent(OWN_ACTION, Some(3));
        }
        match scalar(r, "action") {
            Some(Scalar::Known(a)) => {
                Field::new(path, a.to_ascii_lowercase(), a.clone(), action_rank(&a))
            }
            Some(Scalar::Unknown) => Field::unknown(path),
            None => Field::new(path, "own".into(), OWN_ACTION.into(), Some(3)),
        }
        .with_absent(OWN_ACTION, Some(3))
    }

    pub(super) fn azure_app_gateway(&self, v: &Value, p: &mut Policy) {
        // Policy settings: the mode and the switch, the rest as values.
        let settings = first(v, "policy_settings")
            .cloned()
            .unwrap_or(Value::object(Vec::new()));
        let sp = AttrPath(vec![attr("policy_settings")]);
        let mut part = Part::new(sp.clone(), PartKind::Settings);
        part.fields.insert(
            "enabled".into(),
            self.field(
                child(&sp, &[attr("enabled")]),
                &settings,
                "enabled",
                Some("policy_settings.enabled"),
                |s| Some(u8::from(s.eq_ignore_ascii_case("true"))),
            ),
        );
        part.fields.insert(
            "mode".into(),
            self.field(
                child(&sp, &[attr("mode")]),
                &settings,
                "mode",
                Some("policy_settings.mode"),
                mode_rank,
            ),
        );
        part.rest = Some((
            "policy_settings".into(),
            without(&settings, &["enabled", "mode"]),
        ));
        p.parts.insert("policy_settings".into(), part);
        if matches!(v.get("custom_rules"), Some(Value::Unknown(_))) {
            p.unknown_keys = true;
        }
        for (i, rule) in blocks(v, "custom_rules").iter().enumerate() {
            self.azure_custom_rule("custom_rules", rule, i, p, "match_conditions", |c| {
                blocks(c, "match_variables")
                    .iter()
                    .filter_map(|m| match scalar(m, "variable_name") {
                        Some(Scalar::Known(s)) => Some(s),
                        _ => None,
                    })
                    .collect()
            });
        }
        // Managed rules: exclusions as values, each rule set with its overrides.
        let managed = first(v, "managed_rules")
            .cloned()
            .unwrap_or(Value::object(Vec::new()));
        let mp = AttrPath(vec![attr("managed_rules")]);
        let mut part = Part::new(mp.clone(), PartKind::Settings);
        part.rest = Some((
            "managed_rules".into(),
            without(&managed, &["managed_rule_set"]),
        ));
        p.parts.insert("managed_rules".into(), part);
        for set in blocks(&managed, "managed_rule_set") {
            let kind = match scalar(set, "type") {
                Some(Scalar::Known(t)) => t,
                Some(Scalar::Unknown) => {
                    p.unknown_keys = true;
                    continue;
                }
                None => defaults::text(self.rtype, "managed_rules.managed_rule_set.type")
                    .unwrap_or_default(),
            };
            let path = child(&mp, &[attr("managed_rule_set"), key(&kind)]);
            let mut part = Part::new(path.clone(), PartKind::Managed);
            let version = self.field(
                child(&path, &[attr("version")]),
                set,
                "version",
                None,
                |_| None,
            );
            part.shown = format!("rule set {kind} {}", version.shown);
            part.rank = Some(3);
            part.fields.insert("version".into(), version);
            for g in blocks(set, "rule_group_override") {
                let Some(Scalar::Known(group)) = scalar(g, "rule_group_name") else {
                    continue;
                };
                let gp = child(&path, &[attr("rule_group_override"), key(&group)]);
                for r in blocks(g, "rule") {
                    let Some(Scalar::Known(id)) = scalar(r, "id") else {
                        continue;
                    };
                    let fp = child(&gp, &[attr("rule"), key(&id)]);
                    let f = self.azure_rule_override(
                        fp,
                        r,
                        "managed_rules.managed_rule_set.rule_group_override.rule.enabled",
                    );
                    part.fields.insert(format!("override {group} {id}"), f);
                }
                // Older provider versions list rules switched off by id.
                for id in blocks(g, "disabled_rules") {
                    let Some(id) = id.as_str() else { continue };
                    let fp = child(&gp, &[attr("rule"), key(id)]);
                    part.fields.insert(
                        format!("override {group} {id}"),
                        Field::new(
                            fp,
                            "disabled".into(),
                            "disabled (disabled_rules)".into(),
                            Some(0),
                        )
                        .with_absent(OWN_ACTION, Some(3)),
                    );
                }
            }
            p.parts.insert(
                format!("managed_rule_set {}", kind.to_ascii_lowercase()),
                part,
            );
        }
    }

    pub(super) fn azure_front_door(&self, v: &Value, p: &mut Policy) {
        p.fields.insert(
            "enabled".into(),
            self.field(
                AttrPath(vec![attr("enabled")]),
                v,
                "enabled",
                Some("enabled"),
                |s| Some(u8::from(s.eq_ignore_ascii_case("true"))),
            ),
        );
        p.fields.insert(
            "mode".into(),
            self.field(
                AttrPath(vec![attr("mode")]),
                v,
                "mode",
                Some("mode"),
                mode_rank,
            ),
        );
        if matches!(v.get("custom_rule"), Some(Value::Unknown(_))) {
            p.unknown_keys = true;
        }
        for (i, rule) in blocks(v, "custom_rule").iter().enumerate() {
            self.azure_custom_rule(
                "custom_rule",
                rule,
                i,
                p,
                "match_condition",
                |c| match scalar(c, "match_variable") {
                    Some(Scalar::Known(s)) => vec![s],
                    _ => Vec::new(),
                },
            );
        }
        for set in blocks(v, "managed_rule") {
            let Some(Scalar::Known(kind)) = scalar(set, "type") else {
                p.unknown_keys = true;
                continue;
            };
            let path = AttrPath(vec![attr("managed_rule"), key(&kind)]);
            let mut part = Part::new(path.clone(), PartKind::Managed);
            let version = self.field(
                child(&path, &[attr("version")]),
                set,
                "version",
                None,
                |_| None,
            );
            part.shown = format!("rule set {kind} {}", version.shown);
            part.rank = Some(3);
            part.fields.insert("version".into(), version);
            if get(set, "action").is_some() {
                part.fields.insert(
                    "action".into(),
                    self.field(
                        child(&path, &[attr("action")]),
                        set,
                        "action",
                        None,
                        action_rank,
                    ),
                );
            }
            let mut rest_overrides = Vec::new();
            for g in blocks(set, "override") {
                let Some(Scalar::Known(group)) = scalar(g, "rule_group_name") else {
                    continue;
                };
                let gp = child(&path, &[attr("override"), key(&group)]);
                let rules = blocks(g, "rule");
                if rules.is_empty() {
                    // An override that names no rule switches the whole group off.
                    part.fields.insert(
                        format!("override {group}"),
                        Field::new(
                            gp.clone(),
                            "all disabled".into(),
                            "every rule disabled".into(),
                            Some(0),
                        )
                        .with_absent("(its own actions)", Some(3)),
                    );
                }
                let mut rest_rules = Vec::new();
                for r in rules {
                    let Some(Scalar::Known(id)) = scalar(r, "rule_id") else {
                        continue;
                    };
                    let fp = child(&gp, &[attr("rule"), key(&id)]);
                    let f = self.azure_rule_override(fp, r, "managed_rule.override.rule.enabled");
                    part.fields.insert(format!("override {group} {id}"), f);
                    if !blocks(r, "exclusion").is_empty() {
                        rest_rules.push(Value::object(vec![
                            ("rule_id".into(), Value::str(&id)),
                            (
                                "exclusion".into(),
                                get(r, "exclusion").cloned().unwrap_or(Value::Null),
                            ),
                        ]));
                    }
                }
                // Exclusions compare as values; the rules' actions are fields.
                if !blocks(g, "exclusion").is_empty() || !rest_rules.is_empty() {
                    let mut e: Vec<(Box<str>, Value)> = vec![
                        ("rule_group_name".into(), Value::str(&group)),
                        (
                            "exclusion".into(),
                            get(g, "exclusion").cloned().unwrap_or(Value::Null),
                        ),
                    ];
                    if !rest_rules.is_empty() {
                        e.push(("rule".into(), Value::List(rest_rules.into())));
                    }
                    rest_overrides.push(Value::object(e));
                }
            }
            let mut rest = without(set, &["type", "version", "action", "override"]);
            if !rest_overrides.is_empty() {
                let mut e = rest.entries().to_vec();
                e.push(("override".into(), Value::List(rest_overrides.into())));
                rest = Value::object(e);
            }
            part.rest = Some(("managed_rule".into(), rest));
            p.parts
                .insert(format!("managed_rule {}", kind.to_ascii_lowercase()), part);
        }
    }
}
