//! Reads every environment's balancers and their listeners, per provider, into
//! [`Listener`]s: AWS `aws_lb_listener` / `aws_alb_listener` and classic ELB `listener`
//! blocks, GCP forwarding rules (with their proxy's SSL policy), Azure load-balancing
//! and NAT rules (with their probe). What cannot be read is skipped, never a panic.

use super::{Listener, AFTER_APPLY};
use crate::lens::attrs::{first, list, text};
use crate::lens::exposure::exposed;
use crate::model::{Address, Resource, Value};
use crate::normalize::defaults;
use crate::normalize::diff::{is_secret_name, redact};
use crate::normalize::{Context, Leaf};
use std::collections::BTreeMap;

/// Types that are balancers: their listeners attach to them by logical address.
const BALANCER_TYPES: &[&str] = &[
    "aws_lb",
    "aws_alb",
    "aws_elb",
    "google_compute_forwarding_rule",
    "google_compute_global_forwarding_rule",
    "azurerm_lb",
];

/// GCP forwarding-rule targets: type (without `google_compute_` and `region_`) → what
/// it is, and whether it terminates TLS.
const GCP_TARGETS: &[(&str, &str, bool)] = &[
    ("target_http_proxy", "HTTP proxy", false),
    ("target_https_proxy", "HTTPS proxy", true),
    ("target_ssl_proxy", "SSL proxy", true),
    ("target_tcp_proxy", "TCP proxy", false),
    ("target_grpc_proxy", "gRPC proxy", false),
    ("target_pool", "target pool", false),
    ("target_instance", "target instance", false),
    ("backend_service", "backend service", false),
    ("service_attachment", "service attachment", false),
];

/// A listener as read, before it is attached to its balancer.
pub(super) struct Read {
    /// The listener resource's address, as written and logical.
    pub address: Address,
    pub source: String,
    /// The balancer it names, when that is in the environment.
    pub owner: Option<usize>,
    /// `443/tcp`.
    pub port: String,
    pub listener: Listener,
}

/// A scalar at `k` as text.
fn scalar(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(crate::lens::attrs::scalar)
}

/// The protocol family a listener's port is keyed by: what the client sees on the wire.
fn family(protocol: &str) -> String {
    match protocol.to_ascii_uppercase().as_str() {
        "HTTP" | "HTTPS" | "TCP" | "TLS" | "SSL" => "tcp".into(),
        "UDP" | "GENEVE" => "udp".into(),
        other => other.to_ascii_lowercase(),
    }
}

/// `80-80` is `80`.
fn port_range(s: &str) -> String {
    match s.split_once('-') {
        Some((a, b)) if a == b => a.to_string(),
        _ => s.to_string(),
    }
}

/// What an attribute names: compared by logical address (or normalised text), shown as
/// the logical address, with the resource when it is in the environment.
struct Named {
    compared: String,
    shown: String,
    index: Option<usize>,
}

fn named(ctx: &Context<'_>, v: Option<&Value>) -> Option<Named> {
    let v = v?;
    let (leaf, raw, index) = match v {
        Value::Str(s) if !s.is_empty() => (ctx.leaf_str(s), s.as_ref(), ctx.resolve(s)),
        Value::Ref(a) => (ctx.leaf(v), "", ctx.env.position(a)),
        Value::Unknown(_) => (Leaf::Unknown, "", None),
        _ => return None,
    };
    let (compared, shown) = match leaf {
        // Compared by logical address, shown as written.
        Leaf::Ref(a) => (
            format!("@{a}"),
            index.map_or_else(
                || a.to_string(),
                |i| ctx.env.resources[i].address.to_string(),
            ),
        ),
        Leaf::External => (
            "#external".into(),
            format!("{raw} (outside the environment)"),
        ),
        Leaf::Text(t) => (format!("={t}"), raw.to_string()),
        Leaf::Unknown => (AFTER_APPLY.into(), AFTER_APPLY.into()),
        Leaf::Empty => return None,
    };
    Some(Named {
        compared,
        shown,
        index,
    })
}

/// The resource an attribute names, if it is in the environment.
fn owner(ctx: &Context<'_>, v: &Value, k: &str) -> Option<usize> {
    named(ctx, v.get(k)).and_then(|n| n.index)
}

/// A target group as shown: its address and what it forwards to.
fn target_group(ctx: &Context<'_>, n: &Named) -> String {
    let Some(tg) = n.index.map(|i| &ctx.env.resources[i].attributes) else {
        return n.shown.clone();
    };
    let mut what = Vec::new();
    match (scalar(tg, "protocol"), scalar(tg, "port")) {
        (Some(p), Some(port)) => what.push(format!("{p}/{port}")),
        (Some(p), None) => what.push(p),
        _ => {}
    }
    if let Some(t) = text(tg, "target_type").filter(|t| *t != "instance" || what.is_empty()) {
        what.push(t.to_string());
    }
    if what.is_empty() {
        n.shown.clone()
    } else {
        format!("{} ({})", n.shown, what.join(", "))
    }
}

/// The scalar settings of a block as `k=v` in key order, secrets left out, text
/// normalised (environment names out) and redacted.
fn settings(ctx: &Context<'_>, v: &Value) -> String {
    let mut parts = Vec::new();
    for (k, x) in v.entries() {
        if is_secret_name(k) {
            continue;
        }
        let t = match x {
            Value::Str(s) if !s.is_empty() => ctx.text(&redact(s)).into_owned(),
            Value::Num(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        parts.push(format!("{k}={t}"));
    }
    parts.join(" ")
}

/// One AWS listener action: its type and where it sends the request.
fn aws_action(ctx: &Context<'_>, l: &mut Listener, action: &Value) {
    let kind = text(action, "type").unwrap_or("?");
    match kind {
        "forward" => {
            let mut groups: Vec<Named> = first(action, "forward")
                .map(|f| list(f, "target_group"))
                .unwrap_or(&[])
                .iter()
                .filter_map(|g| named(ctx, g.get("arn")))
                .collect();
            groups.extend(named(ctx, action.get("target_group_arn")));
            groups.sort_by(|a, b| a.compared.cmp(&b.compared));
            groups.dedup_by(|a, b| a.compared == b.compared);
            let compared: Vec<&str> = groups.iter().map(|g| g.compared.as_str()).collect();
            let shown: Vec<String> = groups.iter().map(|g| target_group(ctx, g)).collect();
            l.push(
                format!("forward {}", compared.join(" ")),
                format!("forward to {}", shown.join(" and ")),
            );
            // Weights (blue/green) and stickiness say how requests are shared out.
            if let Some(f) = first(action, "forward") {
                let mut weights: Vec<(String, String)> = list(f, "target_group")
                    .iter()
                    .filter_map(|g| {
                        let w = scalar(g, "weight")?;
                        let n = named(ctx, g.get("arn"))?;
                        Some((format!("{}={w}", n.compared), format!("{} {w}", n.shown)))
                    })
                    .collect();
                weights.sort();
                // One target group takes everything, whatever its weight says.
                if weights.len() > 1 {
                    let (c, s): (Vec<String>, Vec<String>) = weights.into_iter().unzip();
                    l.push(
                        format!("weights {}", c.join(" ")),
                        format!("weights {}", s.join(", ")),
                    );
                }
                // Stickiness switched off is the same as none.
                if let Some(st) =
                    first(f, "stickiness").filter(|s| s.get("enabled") == Some(&Value::Bool(true)))
                {
                    let t = settings(ctx, st);
                    l.push(format!("stickiness {t}"), format!("stickiness {t}"));
                }
            }
        }
        "redirect" => {
            let r = first(action, "redirect").unwrap_or(&Value::Null);
            // A part the redirect does not name keeps the request's (the provider's
            // documented defaults: `#{protocol}`, `#{port}`, …).
            let part = |k: &str| -> String {
                text(r, k).map(str::to_string).unwrap_or_else(|| {
                    defaults::text("aws_lb_listener", &format!("default_action.redirect.{k}"))
                        .unwrap_or_default()
                })
            };
            let mut to = format!("{}:{}", part("protocol"), part("port"));
            // Only what differs from "the same request" is worth saying.
            for k in ["host", "path", "query"] {
                let same =
                    defaults::text("aws_lb_listener", &format!("default_action.redirect.{k}"));
                if let Some(v) = text(r, k).filter(|v| Some(*v) != same.as_deref()) {
                    to.push_str(&format!(" {k} {}", redact(v)));
                }
            }
            let status = text(r, "status_code").unwrap_or("?");
            l.text(
                ctx,
                &format!("redirect {to} {status}"),
                format!("redirect to {to} ({status})"),
            );
        }
        "fixed-response" => {
            let t = first(action, "fixed_response")
                .map(|f| settings(ctx, f))
                .unwrap_or_default();
            l.push(format!("fixed-response {t}"), format!("fixed response {t}"));
        }
        // authenticate-oidc, authenticate-cognito: the provider's settings, not its secret.
        other => {
            let block = other.replace('-', "_");
            let t = first(action, &block)
                .map(|f| settings(ctx, f))
                .unwrap_or_default();
            l.push(
                format!("{other} {t}"),
                format!("{other} {t}").trim().to_string(),
            );
        }
    }
}

/// An `aws_lb_listener` / `aws_alb_listener`: its port key and what it does.
fn aws_listener(ctx: &Context<'_>, a: &Value) -> (String, Listener) {
    let protocol = text(a, "protocol").unwrap_or("?").to_ascii_uppercase();
    let port = scalar(a, "port").unwrap_or_else(|| "any".into());
    let mut l = Listener {
        tls: matches!(protocol.as_str(), "HTTPS" | "TLS"),
        // A certificate known only after apply (a new one in a plan) is a certificate.
        certificate: a
            .get("certificate_arn")
            .is_some_and(|v| !v.is_null() && v.as_str() != Some("")),
        ..Listener::default()
    };
    l.push(protocol.clone(), protocol.clone());
    match text(a, "ssl_policy") {
        Some(p) => l.text(ctx, p, format!("TLS {p}")),
        None if l.tls => l.push("TLS default", "TLS default"),
        None => {}
    }
    if l.certificate {
        // Presence only: each environment has its own certificate.
        l.push("certificate", "certificate");
    }
    if let Some(p) = text(a, "alpn_policy").filter(|p| *p != "None") {
        l.push(format!("ALPN {p}"), format!("ALPN {p}"));
    }
    if let Some(m) = first(a, "mutual_authentication") {
        if let Some(mode) = text(m, "mode").filter(|m| *m != "off") {
            let store = named(ctx, m.get("trust_store_arn"));
            l.push(
                format!(
                    "mTLS {mode} {}",
                    store.as_ref().map_or("", |s| s.compared.as_str())
                ),
                match store {
                    Some(s) => format!("mTLS {mode} (trust store {})", s.shown),
                    None => format!("mTLS {mode}"),
                },
            );
        }
    }
    let mut actions: Vec<(i64, usize, &Value)> = list(a, "default_action")
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let order = match x.get("order") {
                Some(Value::Num(n)) => n.as_i64().unwrap_or(i64::MAX),
                _ => i64::MAX,
            };
            (order, i, x)
        })
        .collect();
    actions.sort_by_key(|(order, i, _)| (*order, *i));
    for (_, _, action) in actions {
        aws_action(ctx, &mut l, action);
    }
    (format!("{port}/{}", family(&protocol)), l)
}

/// A classic ELB's inline `listener` blocks.
fn elb_listeners(ctx: &Context<'_>, a: &Value) -> Vec<(String, Listener)> {
    let mut out = Vec::new();
    for b in list(a, "listener") {
        let protocol = text(b, "lb_protocol").unwrap_or("?").to_ascii_uppercase();
        let port = scalar(b, "lb_port").unwrap_or_else(|| "any".into());
        let mut l = Listener {
            tls: matches!(protocol.as_str(), "HTTPS" | "SSL"),
            certificate: text(b, "ssl_certificate_id").is_some(),
            ..Listener::default()
        };
        l.push(protocol.clone(), protocol.clone());
        if l.certificate {
            l.push("certificate", "certificate");
        }
        let to = format!(
            "{}/{}",
            text(b, "instance_protocol")
                .unwrap_or("?")
                .to_ascii_uppercase(),
            scalar(b, "instance_port").unwrap_or_else(|| "?".into())
        );
        l.text(ctx, &to, format!("to instances {to}"));
        out.push((format!("{port}/{}", family(&protocol)), l));
    }
    out
}

/// A GCP SSL policy as the listener's TLS policy: its profile and minimum version.
fn gcp_tls(ctx: &Context<'_>, proxy: &Value) -> (String, String) {
    let Some(n) = named(ctx, proxy.get("ssl_policy")) else {
        return ("TLS default".into(), "TLS default".into());
    };
    match n.index.map(|i| &ctx.env.resources[i]) {
        Some(p) if p.address.rtype.ends_with("ssl_policy") => {
            let a = &p.attributes;
            // Unset, each is the provider's documented default.
            let read = |k: &str| {
                text(a, k)
                    .map(str::to_string)
                    .or_else(|| defaults::text(&p.address.rtype, k))
                    .unwrap_or_default()
            };
            let what = format!("{}/{}", read("profile"), read("min_tls_version"));
            (format!("TLS {what}"), format!("TLS {what} ({})", n.shown))
        }
        _ => (format!("TLS {}", n.compared), format!("TLS {}", n.shown)),
    }
}

/// A GCP forwarding rule: the ports it listens on and what it does.
fn gcp_rule(ctx: &Context<'_>, a: &Value) -> Vec<(String, Listener)> {
    let protocol = text(a, "ip_protocol").unwrap_or("TCP").to_ascii_uppercase();
    let mut l = Listener::default();
    l.push(protocol.clone(), protocol.clone());
    let target = named(ctx, a.get("target"))
        .map(|n| (n, "target"))
        .or_else(|| named(ctx, a.get("backend_service")).map(|n| (n, "backend service")));
    if let Some((n, fallback)) = target {
        let res = n.index.map(|i| &ctx.env.resources[i]);
        let kind = res.and_then(|r| {
            let t = r.address.rtype.trim_start_matches("google_compute_");
            let t = t.strip_prefix("region_").unwrap_or(t);
            GCP_TARGETS.iter().find(|(k, _, _)| *k == t)
        });
        let (what, tls) = kind.map_or((fallback, false), |(_, w, tls)| (*w, *tls));
        l.push(
            format!("to {what} {}", n.compared),
            format!("to {what} {}", n.shown),
        );
        if let (true, Some(proxy)) = (tls, res) {
            l.tls = true;
            let (compared, shown) = gcp_tls(ctx, &proxy.attributes);
            l.push(compared, shown);
            let p = &proxy.attributes;
            l.certificate = !list(p, "ssl_certificates").is_empty()
                || !list(p, "certificate_manager_certificates").is_empty()
                || text(p, "certificate_map").is_some();
            if l.certificate {
                l.push("certificate", "certificate");
            }
        }
    }
    let fam = family(&protocol);
    let ports: Vec<String> = if matches!(a.get("all_ports"), Some(Value::Bool(true))) {
        vec!["all".into()]
    } else if !list(a, "ports").is_empty() {
        list(a, "ports")
            .iter()
            .filter_map(|p| match p {
                Value::Str(s) => Some(s.to_string()),
                Value::Num(n) => Some(n.to_string()),
                _ => None,
            })
            .collect()
    } else {
        vec![text(a, "port_range").map_or_else(|| "all".into(), port_range)]
    };
    ports
        .into_iter()
        .map(|p| (format!("{p}/{fam}"), l.clone()))
        .collect()
}

/// An Azure probe as shown: its address and what it asks.
fn azure_probe(ctx: &Context<'_>, n: &Named) -> String {
    let Some(p) = n.index.map(|i| &ctx.env.resources[i].attributes) else {
        return format!("probe {}", n.shown);
    };
    let mut what = format!(
        "{}:{}",
        text(p, "protocol").unwrap_or("?"),
        scalar(p, "port").unwrap_or_else(|| "?".into())
    );
    if let Some(path) = text(p, "request_path") {
        what.push_str(&format!(" {path}"));
    }
    format!("probe {} ({what})", n.shown)
}

/// An `azurerm_lb_rule` or `azurerm_lb_nat_rule`.
fn azure_rule(ctx: &Context<'_>, r: &Resource) -> (String, Listener) {
    let a = &r.attributes;
    let nat = r.address.rtype == "azurerm_lb_nat_rule";
    let protocol = text(a, "protocol").unwrap_or("?");
    let port = scalar(a, "frontend_port")
        .or_else(|| {
            Some(format!(
                "{}-{}",
                scalar(a, "frontend_port_start")?,
                scalar(a, "frontend_port_end")?
            ))
        })
        .unwrap_or_else(|| "any".into());
    let mut l = Listener::default();
    l.push(protocol.to_ascii_lowercase(), protocol);
    if nat {
        l.push("NAT", "NAT");
    }
    if let Some(f) = text(a, "frontend_ip_configuration_name") {
        l.text(ctx, f, format!("frontend {f}"));
    }
    let backend = scalar(a, "backend_port").unwrap_or_else(|| "?".into());
    l.push(
        format!("backend port {backend}"),
        format!("to backend port {backend}"),
    );
    let mut pools: Vec<Named> = list(a, "backend_address_pool_ids")
        .iter()
        .filter_map(|p| named(ctx, Some(p)))
        .collect();
    pools.extend(named(ctx, a.get("backend_address_pool_id")));
    pools.sort_by(|x, y| x.compared.cmp(&y.compared));
    pools.dedup_by(|x, y| x.compared == y.compared);
    if !pools.is_empty() {
        let compared: Vec<&str> = pools.iter().map(|p| p.compared.as_str()).collect();
        let shown: Vec<&str> = pools.iter().map(|p| p.shown.as_str()).collect();
        l.push(
            format!("pool {}", compared.join(" ")),
            format!("pool {}", shown.join(" and ")),
        );
    }
    if let Some(p) = named(ctx, a.get("probe_id")) {
        l.push(format!("probe {}", p.compared), azure_probe(ctx, &p));
    }
    (format!("{port}/{}", family(protocol)), l)
}

/// Whether a balancer is reachable from the internet, as the exposure lens reads it (an
/// Azure load balancer: a frontend with a public address).
pub(super) fn internet_facing(r: &Resource) -> bool {
    exposed(r).is_some_and(|(e, _)| e)
}

/// Every balancer of an environment (by logical address) and every listener as read.
pub(super) fn environment(ctx: &Context<'_>) -> (BTreeMap<String, usize>, Vec<Read>) {
    let env = ctx.env;
    let key = |i: usize| ctx.logical(&env.resources[i].address).to_string();
    let mut balancers = BTreeMap::new();
    let mut out = Vec::new();
    for (i, r) in env.resources.iter().enumerate() {
        let a = &r.attributes;
        let rtype = r.address.rtype.as_str();
        if BALANCER_TYPES.contains(&rtype) {
            balancers.insert(key(i), i);
        }
        let (owner, listeners) = match rtype {
            "aws_lb_listener" | "aws_alb_listener" => (
                owner(ctx, a, "load_balancer_arn"),
                vec![aws_listener(ctx, a)],
            ),
            "aws_elb" => (Some(i), elb_listeners(ctx, a)),
            "google_compute_forwarding_rule" | "google_compute_global_forwarding_rule" => {
                (Some(i), gcp_rule(ctx, a))
            }
            "azurerm_lb_rule" | "azurerm_lb_nat_rule" => {
                (owner(ctx, a, "loadbalancer_id"), vec![azure_rule(ctx, r)])
            }
            _ => continue,
        };
        if let Some(o) = owner {
            balancers.insert(key(o), o);
        }
        for (port, listener) in listeners {
            out.push(Read {
                address: r.address.clone(),
                source: key(i),
                owner,
                port,
                listener,
            });
        }
    }
    (balancers, out)
}
