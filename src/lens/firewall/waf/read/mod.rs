//! Reads each web application firewall policy into a [`Policy`]: AWS WAFv2 web ACLs,
//! rule groups and IP sets, GCP Cloud Armor security policies, Azure Application Gateway
//! and Front Door (classic, standard/premium) WAF policies. Rules are keyed by name (or,
//! in Cloud Armor, priority), managed rule sets by type or vendor and name; an unset
//! field reads as the provider's documented default. What cannot be read is skipped,
//! never a panic. No judgement of differences here.

mod aws;
mod azure;
mod gcp;

pub(super) use aws::{ip_set_usage, Usage};

use super::{Addresses, Effect, Field, Policy};
use crate::model::{AttrPath, PathStep, Resource, Value};
use crate::normalize::{defaults, Context};
use ipnet::IpNet;

/// Statements nest (`not_statement` › `and_statement` › …): walks over them stop here.
const MAX_DEPTH: usize = 16;

/// The shown value of a field known only after apply.
const UNKNOWN: &str = "(known after apply)";

/// How strongly an action enforces: allow lets a request through and stops evaluation,
/// count and log only record it, a challenge, redirect or rate limit stops some
/// clients, block and deny stop it. A managed rule group whose own actions apply
/// (`override_action` `none`) and anomaly scoring enforce as blocking.
pub(super) fn action_rank(action: &str) -> Option<u8> {
    let a = action.to_ascii_lowercase();
    Some(match a.as_str() {
        "allow" => 0,
        "count" | "log" => 1,
        "captcha" | "challenge" | "jschallenge" | "redirect" | "throttle" | "rate_based_ban" => 2,
        "block" | "deny" | "none" | "anomalyscoring" => 3,
        _ if a.starts_with("deny(") => 3,
        _ => return None,
    })
}

/// Who a list of addresses lets through, given the action of the rule that matches
/// it and whether the match is negated (`not in the list`).
fn effect(action: &str, negated: bool) -> Effect {
    match (action_rank(action), negated) {
        (Some(0), false) | (Some(3), true) => Effect::Admits,
        (Some(3), false) | (Some(0), true) => Effect::Blocks,
        _ => Effect::Neutral,
    }
}

fn get<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    v.get(k).filter(|x| !x.is_null())
}

fn blocks<'v>(v: &'v Value, k: &str) -> &'v [Value] {
    get(v, k).and_then(Value::as_list).unwrap_or(&[])
}

fn first<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    blocks(v, k).first()
}

/// A scalar as text; `None` when unset.
fn scalar(v: &Value, k: &str) -> Option<Scalar> {
    Some(match get(v, k)? {
        Value::Str(s) if s.is_empty() => return None,
        Value::Str(s) => Scalar::Known(s.to_string()),
        Value::Num(n) => Scalar::Known(n.to_string()),
        Value::Bool(b) => Scalar::Known(b.to_string()),
        Value::Unknown(_) | Value::Ref(_) => Scalar::Unknown,
        _ => return None,
    })
}

enum Scalar {
    Known(String),
    Unknown,
}

/// The object without the keys named.
fn without(v: &Value, keys: &[&str]) -> Value {
    Value::object(
        v.entries()
            .iter()
            .filter(|(k, _)| !keys.contains(&k.as_ref()))
            .cloned()
            .collect(),
    )
}

/// The value with the key at the end of `path` removed, through nested blocks.
fn without_at(v: &Value, path: &[&str]) -> Value {
    match path {
        [] => v.clone(),
        [k] => without(v, &[k]),
        [k, rest @ ..] => Value::object(
            v.entries()
                .iter()
                .map(|(key, x)| {
                    if key.as_ref() != *k {
                        return (key.clone(), x.clone());
                    }
                    let x = match x {
                        Value::List(l) => {
                            Value::List(l.iter().map(|e| without_at(e, rest)).collect())
                        }
                        Value::Object(_) => without_at(x, rest),
                        other => other.clone(),
                    };
                    (key.clone(), x)
                })
                .collect(),
        ),
    }
}

fn attr(name: &str) -> PathStep {
    PathStep::Attr(name.into())
}

fn key(name: &str) -> PathStep {
    PathStep::Key(name.into())
}

fn child(p: &AttrPath, steps: &[PathStep]) -> AttrPath {
    let mut out = p.clone();
    out.0.extend_from_slice(steps);
    out
}

/// Reads one environment's policies; `rtype` picks the reader.
pub(super) struct Reader<'a> {
    pub ctx: &'a Context<'a>,
    pub rtype: &'a str,
}

impl Reader<'_> {
    /// A field read from a scalar, unset reading as the documented default of
    /// `default_path` (when given) or as `(absent)`.
    fn field(
        &self,
        path: AttrPath,
        v: &Value,
        k: &str,
        default_path: Option<&str>,
        rank: impl Fn(&str) -> Option<u8>,
    ) -> Field {
        let read = match scalar(v, k) {
            Some(s) => Some(s),
            None => default_path
                .and_then(|p| defaults::text(self.rtype, p))
                .map(Scalar::Known),
        };
        match read {
            Some(Scalar::Known(s)) => Field::new(path, self.compared(&s), s.clone(), rank(&s)),
            Some(Scalar::Unknown) => Field::unknown(path),
            None => Field::new(path, String::new(), "(absent)".into(), None),
        }
    }

    /// Text as compared: environment names, regions and accounts taken out, lower case
    /// (the APIs read `Block` and `block` alike).
    fn compared(&self, s: &str) -> String {
        self.ctx.text(s).to_ascii_lowercase()
    }

    /// The key of a block in its list: its name as compared, or `None` when the name is
    /// known only after apply.
    fn block_key(&self, v: &Value, k: &str) -> Option<Result<(String, String), ()>> {
        match scalar(v, k)? {
            Scalar::Known(s) => Some(Ok((self.ctx.text(&s).into_owned(), s))),
            Scalar::Unknown => Some(Err(())),
        }
    }

    /// Addresses of a list of CIDRs and IPs (`*` is every address); entries that are
    /// not addresses are left to the generic comparison of the rest.
    fn addresses(&self, path: AttrPath, list: Option<&Value>, effect: Effect) -> Addresses {
        let mut nets = Vec::new();
        let mut unknown = false;
        let items: &[Value] = match list {
            Some(Value::List(l)) => l,
            Some(Value::Unknown(_) | Value::Ref(_)) => {
                unknown = true;
                &[]
            }
            _ => &[],
        };
        for x in items {
            match x {
                Value::Str(s) if s.trim() == "*" => {
                    nets.push(IpNet::V4(Default::default()));
                    nets.push(IpNet::V6(Default::default()));
                }
                Value::Str(s) => {
                    let s = s.trim();
                    if let Some(n) = s
                        .parse::<IpNet>()
                        .ok()
                        .or_else(|| s.parse::<std::net::IpAddr>().ok().map(IpNet::from))
                    {
                        nets.push(n.trunc());
                    }
                }
                Value::Unknown(_) | Value::Ref(_) => unknown = true,
                _ => {}
            }
        }
        nets.sort();
        nets.dedup();
        Addresses {
            path,
            nets,
            effect,
            unknown,
            users: Vec::new(),
        }
    }

    /// Reads a policy of the reader's type; `None` for types this lens does not read.
    pub fn policy(&self, r: &Resource) -> Option<Policy> {
        let v = &r.attributes;
        let mut p = Policy {
            sensitive: r
                .sensitive
                .iter()
                .any(|s| s.top().is_some_and(|t| super::claims(self.rtype, Some(t)))),
            ..Policy::default()
        };
        match self.rtype {
            "aws_wafv2_web_acl" | "aws_wafv2_rule_group" => self.aws_acl(v, &mut p),
            "aws_wafv2_ip_set" => {
                let a = self.addresses(
                    AttrPath(vec![attr("addresses")]),
                    get(v, "addresses"),
                    Effect::Neutral,
                );
                p.addresses.insert("addresses".into(), a);
            }
            "google_compute_security_policy" => self.cloud_armor(v, &mut p),
            "azurerm_web_application_firewall_policy" => self.azure_app_gateway(v, &mut p),
            "azurerm_frontdoor_firewall_policy" | "azurerm_cdn_frontdoor_firewall_policy" => {
                self.azure_front_door(v, &mut p)
            }
            _ => return None,
        }
        Some(p)
    }
}

/// What a managed rule does when nothing overrides it.
const OWN_ACTION: &str = "(its own action)";

/// Prevention enforces, detection only logs.
fn mode_rank(s: &str) -> Option<u8> {
    match s.to_ascii_lowercase().as_str() {
        "prevention" => Some(1),
        "detection" => Some(0),
        _ => None,
    }
}
