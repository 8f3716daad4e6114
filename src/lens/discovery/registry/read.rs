//! The readers of the registry: one per resource type, each turning an instance into
//! the key a client asks for and the properties it gets back, with the normalisation
//! every lens uses (logical addresses, environment names out, secrets redacted).

use super::{Entry, Prop};
use crate::lens::attrs::{first as block, scalar, text};
use crate::model::{Resource, Value};
use crate::normalize::diff::{is_secret_name, redact};
use crate::normalize::{Context, Leaf};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Zones that records name rather than identify.
const ZONE_TYPES: &[&str] = &[
    "google_dns_managed_zone",
    "azurerm_dns_zone",
    "azurerm_private_dns_zone",
    // Service Directory names a network `projects/<number>/…/networks/<name>`.
    "google_compute_network",
];

/// One environment as the readers see it: its context, and its zones by type and name
/// (Azure and GCP records name their zone rather than giving its id; a public and a
/// private zone may share a name).
pub(super) struct Reading<'c, 'e> {
    ctx: &'c Context<'e>,
    named: HashMap<(&'e str, &'e str), usize>,
}

impl<'c, 'e> Reading<'c, 'e> {
    pub(super) fn new(ctx: &'c Context<'e>) -> Reading<'c, 'e> {
        let mut named = HashMap::new();
        for (i, r) in ctx.env.resources.iter().enumerate() {
            if !ZONE_TYPES.contains(&r.address.rtype.as_str()) {
                continue;
            }
            if let Some(n) = text(&r.attributes, "name") {
                // The first of two zones of one name (by address) stands.
                named.entry((r.address.rtype.as_str(), n)).or_insert(i);
            }
        }
        Reading { ctx, named }
    }
}

/// `azurerm_dns_a_record` → `A`; `azurerm_private_dns_srv_record` → `SRV`.
pub(super) fn azure_record_type(rtype: &str) -> Option<String> {
    let rest = rtype
        .strip_prefix("azurerm_private_dns_")
        .or_else(|| rtype.strip_prefix("azurerm_dns_"))?;
    let t = rest.strip_suffix("_record")?;
    const TYPES: &[&str] = &["a", "aaaa", "caa", "cname", "mx", "ns", "ptr", "srv", "txt"];
    TYPES.contains(&t).then(|| t.to_ascii_uppercase())
}

/// A property whose value is plain (a number, a type, a policy name).
fn plain(v: Option<&Value>) -> Option<Prop> {
    match v? {
        Value::Unknown(_) | Value::Ref(_) => Some(unknown()),
        v => scalar(v).map(|s| Prop {
            compared: Some(s.clone()),
            shown: s,
        }),
    }
}

fn unknown() -> Prop {
    Prop {
        compared: None,
        shown: "(known after apply)".into(),
    }
}

/// How one string is compared and shown: a resource by its logical address, an
/// identifier of nothing here as outside, text with by-design differences taken out.
fn one(ctx: &Context<'_>, s: &str) -> (Option<String>, String) {
    // A password in a URL or a `token=` pair is neither shown nor compared.
    let s = redact(s);
    match ctx.leaf_str(&s) {
        // Compared by logical address, shown as written.
        Leaf::Ref(a) => (Some(format!("@{a}")), ctx.named_address(&s, &a)),
        Leaf::Unknown => (None, "(known after apply)".into()),
        l => (Some(l.canonical()), s.to_string()),
    }
}

/// A set of targets (record values, tags, source ranges): compared as a set. A name
/// inside `zone` (a record's own zone) is compared relative to it: `lb.acme.io` in
/// `acme.io` is `lb.staging.acme.io` in `staging.acme.io`.
fn set(ctx: &Context<'_>, items: &[Value], zone: Option<&str>) -> Option<Prop> {
    set_of(items.iter().filter_map(|v| match v {
        Value::Str(s) => {
            let (compared, shown) = match in_zone(s, zone) {
                Some(rel) => (one(ctx, &rel).0, redact(s).into_owned()),
                None => one(ctx, s),
            };
            Some(Prop { compared, shown })
        }
        Value::Object(_) => Some(fields(ctx, v, None)),
        Value::Unknown(_) | Value::Ref(_) => Some(unknown()),
        other => plain(Some(other)),
    }))
}

/// What a record's own zone becomes in a compared value.
pub(super) const ZONE: &str = "{zone}";

/// A record value with every name inside `zone` written relative to it (`10
/// mail.acme.io` in `acme.io` → `10 mail.{zone}`); `None` when it names nothing there.
fn in_zone(s: &str, zone: Option<&str>) -> Option<String> {
    let z = zone?.trim_end_matches('.').to_ascii_lowercase();
    if z.is_empty() {
        return None;
    }
    let mut changed = false;
    let words: Vec<String> = s
        .split(' ')
        .map(|w| {
            let lower = w.trim_end_matches('.').to_ascii_lowercase();
            if lower == z {
                changed = true;
                ZONE.to_string()
            } else if lower.len() > z.len() + 1
                && lower.ends_with(z.as_str())
                && lower.as_bytes()[lower.len() - z.len() - 1] == b'.'
            {
                changed = true;
                format!("{}{ZONE}", &lower[..lower.len() - z.len()])
            } else {
                w.to_string()
            }
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// Properties compared as a set: unknown when any is, `None` when there are none.
fn set_of(items: impl Iterator<Item = Prop>) -> Option<Prop> {
    let mut compared = BTreeSet::new();
    let mut shown = Vec::new();
    for p in items {
        let Some(c) = p.compared else {
            return Some(unknown());
        };
        compared.insert(c);
        shown.push(p.shown);
    }
    if shown.is_empty() {
        return None;
    }
    shown.sort();
    Some(Prop {
        compared: Some(compared.into_iter().collect::<Vec<_>>().join(", ")),
        shown: shown.join(", "),
    })
}

/// A property whose text is as shown and compared (a port mapping).
fn literal(t: String) -> Prop {
    Prop {
        compared: Some(t.clone()),
        shown: t,
    }
}

/// An object as `k=v` pairs in key order (`app=web tier=front`), compared with values
/// normalised and shown as written; `only` keeps just those keys. A key that names a
/// secret is `(sensitive)` in both.
fn fields(ctx: &Context<'_>, v: &Value, only: Option<&[&str]>) -> Prop {
    let mut compared = Vec::new();
    let mut shown = Vec::new();
    for (k, x) in v.entries() {
        if only.is_some_and(|o| !o.contains(&k.as_ref())) {
            continue;
        }
        let (c, s) = match x {
            // Each environment has its own secrets: not compared, never shown.
            _ if is_secret_name(k) => ("(sensitive)".into(), "(sensitive)".into()),
            Value::Str(s) if !s.is_empty() => {
                let s = redact(s);
                match ctx.leaf_str(&s) {
                    Leaf::Ref(a) => (format!("@{a}"), ctx.named_address(&s, &a)),
                    Leaf::Text(t) => (t.into_owned(), s.to_string()),
                    l => (l.canonical(), s.to_string()),
                }
            }
            other => match scalar(other) {
                Some(t) => (t.clone(), t),
                None => continue,
            },
        };
        compared.push(format!("{k}={c}"));
        shown.push(format!("{k}={s}"));
    }
    Prop {
        compared: Some(compared.join(" ")),
        shown: shown.join(" "),
    }
}

/// Any value, nested lists and objects included, as one property: strings normalised and
/// redacted, lists compared as sets, empty parts left out (`wrr [weight=0.8 rrdatas=[…]]`).
fn deep(ctx: &Context<'_>, v: &Value) -> Prop {
    match v {
        Value::Str(s) => {
            let (compared, shown) = one(ctx, s);
            Prop { compared, shown }
        }
        Value::List(l) => {
            let parts: Vec<Prop> = l
                .iter()
                .map(|x| deep(ctx, x))
                .filter(|p| !p.shown.is_empty())
                .collect();
            match set_of(parts.into_iter()) {
                Some(p) => Prop {
                    compared: p.compared.map(|c| format!("[{c}]")),
                    shown: format!("[{}]", p.shown),
                },
                None => literal(String::new()),
            }
        }
        Value::Object(_) => {
            let mut compared = Vec::new();
            let mut shown = Vec::new();
            for (k, x) in v.entries() {
                let p = if is_secret_name(k) {
                    literal("(sensitive)".into())
                } else {
                    deep(ctx, x)
                };
                if p.shown.is_empty() {
                    continue;
                }
                let Some(c) = p.compared else {
                    return unknown();
                };
                compared.push(format!("{k}={c}"));
                shown.push(format!("{k}={}", p.shown));
            }
            Prop {
                compared: Some(compared.join(" ")),
                shown: shown.join(" "),
            }
        }
        Value::Unknown(_) | Value::Ref(_) => unknown(),
        other => plain(Some(other)).unwrap_or_else(|| literal(String::new())),
    }
}

/// An object property (`selector`, `meta`): `None` when empty.
fn object(ctx: &Context<'_>, v: Option<&Value>) -> Option<Prop> {
    match v? {
        Value::Unknown(_) | Value::Ref(_) => Some(unknown()),
        v => Some(fields(ctx, v, None)).filter(|p| !p.shown.is_empty()),
    }
}

/// A network as Service Directory names it: by id, or `projects/<number>/…/networks/
/// <name>`, whose project number matches no id but whose name names the network.
fn network(rd: &Reading<'_, '_>, v: Option<&Value>) -> Option<Prop> {
    if let Some(Value::Str(s)) = v {
        let by_name = s
            .rsplit_once("/networks/")
            .filter(|_| rd.ctx.resolve(s).is_none())
            .and_then(|(_, name)| rd.named.get(&("google_compute_network", name)));
        if let Some(&i) = by_name {
            let a = rd.ctx.logical(&rd.ctx.env.resources[i].address);
            return Some(Prop {
                compared: Some(format!("@{a}")),
                shown: a.to_string(),
            });
        }
    }
    reference(rd.ctx, v)
}

/// A reference to another resource (a health check, a network).
fn reference(ctx: &Context<'_>, v: Option<&Value>) -> Option<Prop> {
    match v? {
        Value::Str(s) if !s.is_empty() => {
            let (compared, shown) = one(ctx, s);
            Some(Prop { compared, shown })
        }
        Value::Ref(a) => Some(match ctx.env.position(a) {
            Some(i) => {
                let a = ctx.logical(&ctx.env.resources[i].address);
                Prop {
                    compared: Some(format!("@{a}")),
                    shown: a.to_string(),
                }
            }
            None => unknown(),
        }),
        Value::Unknown(_) => Some(unknown()),
        _ => None,
    }
}

/// The zone or namespace an entry belongs to, by logical address, with its DNS name
/// when it has one; text when it names nothing in the environment.
fn scope<'e>(
    rd: &Reading<'_, 'e>,
    v: Option<&'e Value>,
    name_attr: &str,
    zone_type: &str,
) -> (String, Option<&'e str>) {
    let ctx = rd.ctx;
    let found = match v {
        Some(Value::Str(s)) => ctx
            .resolve(s)
            .or_else(|| rd.named.get(&(zone_type, s.as_ref())).copied()),
        Some(Value::Ref(a)) => ctx.env.position(a),
        _ => None,
    };
    match (found, v) {
        (Some(i), _) => {
            let r = &ctx.env.resources[i];
            (
                format!("@{}", ctx.logical(&r.address)),
                text(&r.attributes, name_attr),
            )
        }
        (None, Some(Value::Str(s))) => (ctx.leaf_str(s).canonical(), None),
        _ => ("?".into(), None),
    }
}

/// A DNS name relative to its zone (`api.prod.example.com` in `prod.example.com` →
/// `api`; the apex → `@`), lower case, without the final dot.
fn relative(name: &str, zone: Option<&str>) -> String {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    if let Some(z) = zone {
        let z = z.trim_end_matches('.').to_ascii_lowercase();
        if n == z {
            return "@".into();
        }
        if let Some(r) = n.strip_suffix(z.as_str()).and_then(|r| r.strip_suffix('.')) {
            return r.to_string();
        }
    }
    n
}

fn entry<'e>(
    ctx: &Context<'e>,
    res: &'e Resource,
    noun: &'static str,
    key: [&str; 3],
    shown: String,
    props: BTreeMap<&'static str, Prop>,
) -> (String, Entry<'e>) {
    let [scope, name, kind] = key;
    // A name that is nothing but the environment's own name (`staging` in a zone every
    // environment shares) is that environment's apex, as prod's `@` is prod's; another
    // environment's name is a record of its own.
    let name = match ctx.text(name) {
        n if n == "{env}" && ctx.is_own_name(name) => std::borrow::Cow::Borrowed("@"),
        n => n,
    };
    let key_name = if kind.is_empty() {
        name.to_string()
    } else {
        format!("{name} {kind}")
    };
    let mut props = props;
    // A value marked sensitive is compared, never shown: when the source marks anything
    // of a registration sensitive, none of what it answers is shown.
    if !res.sensitive.is_empty() {
        for p in props.values_mut() {
            p.shown = "(sensitive)".into();
        }
    }
    (
        format!("{noun}\u{0}{scope}\u{0}{key_name}"),
        Entry {
            res,
            noun,
            shown,
            key_name,
            props,
        },
    )
}

fn insert(props: &mut BTreeMap<&'static str, Prop>, k: &'static str, p: Option<Prop>) {
    if let Some(p) = p {
        props.insert(k, p);
    }
}

/// The DNS name an alias points at, as a resource when one has that name (a load
/// balancer's `dns_name`; Route 53 stores it lower case, sometimes `dualstack.`-prefixed).
fn alias_target(ctx: &Context<'_>, name: &str) -> Prop {
    let bare = name.trim_end_matches('.');
    let lower = bare.to_ascii_lowercase();
    let undual = lower.strip_prefix("dualstack.").unwrap_or(&lower);
    for candidate in [name, bare, undual] {
        if let Some(i) = ctx.resolve(candidate) {
            let a = ctx.logical(&ctx.env.resources[i].address);
            return Prop {
                compared: Some(format!("alias @{a}")),
                shown: format!("alias {a}"),
            };
        }
    }
    let (c, s) = one(ctx, bare);
    Prop {
        compared: c.map(|c| format!("alias {c}")),
        shown: format!("alias {s}"),
    }
}

pub(super) fn route53<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let name = text(a, "name")?;
    let kind = text(a, "type").unwrap_or("?");
    let (zone, zone_name) = scope(rd, a.get("zone_id"), "name", "aws_route53_zone");
    let mut props = BTreeMap::new();
    insert(&mut props, "ttl", plain(a.get("ttl")));
    let targets = match block(a, "alias") {
        Some(al) => match al.get("name") {
            // A configuration names the balancer itself (`aws_lb.web.dns_name`).
            Some(Value::Ref(_)) => reference(ctx, al.get("name")).map(|p| Prop {
                compared: p.compared.map(|c| format!("alias {c}")),
                shown: format!("alias {}", p.shown),
            }),
            _ => text(al, "name").map(|n| alias_target(ctx, n)),
        },
        None => a
            .get("records")
            .and_then(Value::as_list)
            .and_then(|l| set(ctx, l, zone_name)),
    };
    insert(&mut props, "targets", targets);
    if let Some(al) = block(a, "alias") {
        insert(
            &mut props,
            "evaluate target health",
            plain(al.get("evaluate_target_health")),
        );
    }
    insert(
        &mut props,
        "health check",
        reference(ctx, a.get("health_check_id")),
    );
    // Routing: which policy, with every setting of it (weight, failover role, location,
    // CIDR location, bias); a latency record's region compares without the region.
    let routing = ROUTE53_POLICIES
        .iter()
        .find_map(|attr| {
            let b = block(a, attr)?;
            let p = deep(ctx, b);
            let word = attr.trim_end_matches("_routing_policy");
            Some(Prop {
                compared: p.compared.map(|c| format!("{word} {c}")),
                shown: format!("{word} {}", p.shown).trim().to_string(),
            })
        })
        .or_else(|| {
            (a.get("multivalue_answer_routing_policy") == Some(&Value::Bool(true)))
                .then(|| literal("multivalue".to_string()))
        });
    insert(&mut props, "routing", routing);
    let rel = relative(name, zone_name);
    let set_id = text(a, "set_identifier")
        .map(|s| format!(" ({})", ctx.text(s)))
        .unwrap_or_default();
    let kind_key = format!("{kind}{set_id}");
    Some(entry(
        ctx,
        r,
        "DNS record",
        [&zone, &rel, &kind_key],
        format!("{} {kind}", name.trim_end_matches('.')),
        props,
    ))
}

pub(super) fn cloud_dns<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let name = text(a, "name")?;
    let kind = text(a, "type").unwrap_or("?");
    let (zone, zone_name) = scope(
        rd,
        a.get("managed_zone"),
        "dns_name",
        "google_dns_managed_zone",
    );
    let mut props = BTreeMap::new();
    insert(&mut props, "ttl", plain(a.get("ttl")));
    insert(
        &mut props,
        "targets",
        a.get("rrdatas")
            .and_then(Value::as_list)
            .and_then(|l| set(ctx, l, zone_name)),
    );
    // A routing policy holds the targets and weights themselves: all of it compares.
    if let Some(p) = block(a, "routing_policy") {
        insert(&mut props, "routing", Some(deep(ctx, p)));
    }
    let rel = relative(name, zone_name);
    Some(entry(
        ctx,
        r,
        "DNS record",
        [&zone, &rel, kind],
        format!("{} {kind}", name.trim_end_matches('.')),
        props,
    ))
}

pub(super) fn azure_dns<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let kind = azure_record_type(&r.address.rtype)?;
    let zone_type = if r.address.rtype.starts_with("azurerm_private_dns_") {
        "azurerm_private_dns_zone"
    } else {
        "azurerm_dns_zone"
    };
    let name = text(a, "name")?;
    let (zone, zone_name) = scope(rd, a.get("zone_name"), "name", zone_type);
    let mut props = BTreeMap::new();
    insert(&mut props, "ttl", plain(a.get("ttl")));
    let targets = match (
        a.get("target_resource_id"),
        a.get("records"),
        a.get("record"),
    ) {
        (Some(Value::Str(t)), _, _) if !t.is_empty() => {
            let (c, s) = one(ctx, t);
            Some(Prop {
                compared: c.map(|c| format!("alias {c}")),
                shown: format!("alias {s}"),
            })
        }
        (_, Some(Value::List(l)), _) | (_, _, Some(Value::List(l))) => set(ctx, l, zone_name),
        (_, _, Some(Value::Str(s))) if !s.is_empty() => set(ctx, &[Value::str(s)], zone_name),
        _ => None,
    };
    insert(&mut props, "targets", targets);
    let fqdn = match zone_name {
        Some(z) if name != "@" => format!("{name}.{z}"),
        Some(z) => z.to_string(),
        None => name.to_string(),
    };
    Some(entry(
        ctx,
        r,
        "DNS record",
        [&zone, &name.to_ascii_lowercase(), &kind],
        format!("{fqdn} {kind}"),
        props,
    ))
}

pub(super) fn cloud_map<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let name = text(a, "name")?;
    let dns = block(a, "dns_config");
    let ns = a
        .get("namespace_id")
        .filter(|v| !v.is_null())
        .or_else(|| dns.and_then(|d| d.get("namespace_id")));
    let (namespace, _) = scope(rd, ns, "name", "");
    let mut props = BTreeMap::new();
    insert(&mut props, "type", plain(a.get("type")));
    if let Some(d) = dns {
        insert(&mut props, "routing", plain(d.get("routing_policy")));
        let records = d.get("dns_records").and_then(Value::as_list).unwrap_or(&[]);
        insert(
            &mut props,
            "records",
            set_of(
                records
                    .iter()
                    .map(|x| fields(ctx, x, Some(&["type", "ttl"]))),
            ),
        );
    }
    let check = block(a, "health_check_config")
        .map(|h| {
            fields(
                ctx,
                h,
                Some(&["type", "resource_path", "failure_threshold"]),
            )
        })
        .or_else(|| {
            block(a, "health_check_custom_config").map(|h| {
                let p = fields(ctx, h, Some(&["failure_threshold"]));
                Prop {
                    compared: p.compared.map(|c| format!("custom {c}")),
                    shown: format!("custom {}", p.shown),
                }
            })
        });
    insert(&mut props, "health check", check);
    Some(entry(
        ctx,
        r,
        "Cloud Map service",
        [&namespace, name, ""],
        name.to_string(),
        props,
    ))
}

/// Route 53 routing policy blocks; a record has at most one.
pub(super) const ROUTE53_POLICIES: &[&str] = &[
    "weighted_routing_policy",
    "failover_routing_policy",
    "geolocation_routing_policy",
    "latency_routing_policy",
    "geoproximity_routing_policy",
    "cidr_routing_policy",
];

/// Service Directory metadata (`metadata`, or `annotations` in newer providers).
fn directory_meta(ctx: &Context<'_>, a: &Value) -> Option<Prop> {
    let meta = a.get("metadata").filter(|v| !v.is_null());
    object(ctx, meta.or_else(|| a.get("annotations")))
}

pub(super) fn directory_service<'e>(
    rd: &Reading<'_, 'e>,
    r: &'e Resource,
) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let name = text(a, "service_id")?;
    let (namespace, _) = scope(rd, a.get("namespace"), "namespace_id", "");
    let mut props = BTreeMap::new();
    insert(&mut props, "meta", directory_meta(ctx, a));
    Some(entry(
        ctx,
        r,
        "Service Directory service",
        [&namespace, name, ""],
        name.to_string(),
        props,
    ))
}

pub(super) fn directory_endpoint<'e>(
    rd: &Reading<'_, 'e>,
    r: &'e Resource,
) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let name = text(a, "endpoint_id")?;
    let (service, _) = scope(rd, a.get("service"), "service_id", "");
    let mut props = BTreeMap::new();
    insert(&mut props, "address", reference(ctx, a.get("address")));
    insert(&mut props, "port", plain(a.get("port")));
    insert(&mut props, "network", network(rd, a.get("network")));
    insert(&mut props, "meta", directory_meta(ctx, a));
    Some(entry(
        ctx,
        r,
        "Service Directory endpoint",
        [&service, name, ""],
        name.to_string(),
        props,
    ))
}

pub(super) fn consul<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let name = text(a, "name")?;
    let node = text(a, "node")
        .map(|n| ctx.text(n).into_owned())
        .unwrap_or_default();
    let mut props = BTreeMap::new();
    insert(&mut props, "port", plain(a.get("port")));
    insert(&mut props, "address", reference(ctx, a.get("address")));
    insert(
        &mut props,
        "tags",
        a.get("tags")
            .and_then(Value::as_list)
            .and_then(|l| set(ctx, l, None)),
    );
    insert(&mut props, "meta", object(ctx, a.get("meta")));
    let checks = a.get("check").and_then(Value::as_list).unwrap_or(&[]);
    const CHECK: &[&str] = &[
        "http",
        "tcp",
        "method",
        "interval",
        "timeout",
        "tls_skip_verify",
    ];
    insert(
        &mut props,
        "health checks",
        set_of(checks.iter().map(|c| fields(ctx, c, Some(CHECK)))),
    );
    Some(entry(
        ctx,
        r,
        "Consul service",
        [&node, name, ""],
        name.to_string(),
        props,
    ))
}

pub(super) fn kubernetes<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let meta = block(a, "metadata")?;
    let name = text(meta, "name")?;
    let namespace = text(meta, "namespace").unwrap_or("default");
    let spec = block(a, "spec");
    let mut props = BTreeMap::new();
    if let Some(s) = spec {
        insert(&mut props, "type", plain(s.get("type")));
        let ports = s.get("port").and_then(Value::as_list).unwrap_or(&[]);
        let ports = ports.iter().map(|p| {
            let get = |k: &str| p.get(k).and_then(scalar).unwrap_or_default();
            let target = match get("target_port") {
                t if t.is_empty() => get("port"),
                t => t,
            };
            let label = match get("name") {
                n if n.is_empty() => String::new(),
                n => format!("{n} "),
            };
            let proto = match get("protocol") {
                p if p.is_empty() => "TCP".to_string(),
                p => p,
            };
            literal(format!("{label}{}→{target}/{proto}", get("port")))
        });
        insert(&mut props, "ports", set_of(ports));
        insert(&mut props, "selector", object(ctx, s.get("selector")));
        insert(&mut props, "external name", plain(s.get("external_name")));
        insert(
            &mut props,
            "traffic policy",
            plain(s.get("external_traffic_policy")),
        );
        insert(
            &mut props,
            "source ranges",
            s.get("load_balancer_source_ranges")
                .and_then(Value::as_list)
                .and_then(|l| set(ctx, l, None)),
        );
    }
    Some(entry(
        ctx,
        r,
        "Kubernetes service",
        [&ctx.text(namespace), name, ""],
        format!("{namespace}/{name}"),
        props,
    ))
}
