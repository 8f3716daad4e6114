//! Registrations: what a client of the environment finds by name. DNS records (Route 53,
//! Cloud DNS, Azure DNS and Private DNS), Cloud Map services, Service Directory services
//! and endpoints, Consul services and Kubernetes services, each read into one entry
//! keyed by what a client asks for — the zone or namespace (by logical address), the
//! name relative to it with environment names taken out, the record type — and
//! described by what the client gets back: targets, TTL, ports, selector, routing,
//! health checks. Entries align by that key, not by Terraform address, so the same
//! record written `aws_route53_record.api` in one environment and
//! `aws_route53_record.this["api"]` in another is one record. Makes findings; never
//! prints.

use crate::lens::generic::Input;
use crate::lens::severity;
use crate::model::{AttrPath, Category, Finding, Kind, PathStep, Resource, Value};
use crate::normalize::diff::is_secret_name;
use crate::normalize::{Context, Leaf};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a client gets back, one property: compared text (`None`: known after apply,
/// equal to anything) and the text shown for this environment.
#[derive(Debug, Clone)]
struct Prop {
    compared: Option<String>,
    shown: String,
}

/// One registration in one environment.
#[derive(Debug)]
struct Entry<'e> {
    res: &'e Resource,
    /// What it is: `DNS record`, `Cloud Map service`, ….
    noun: &'static str,
    /// The name as this environment writes it (`api.prod.example.com A`).
    shown: String,
    /// The name as compared (`api A`), for the finding's path.
    key_name: String,
    props: BTreeMap<&'static str, Prop>,
}

type Catalog<'e> = BTreeMap<String, Entry<'e>>;

/// Whether this lens reads the type (then the generic lens leaves its instances alone).
pub fn claims(rtype: &str) -> bool {
    reader(rtype).is_some()
}

/// One environment as the readers see it: its context, and its zones by type and name
/// (Azure and GCP records name their zone rather than giving its id; a public and a
/// private zone may share a name).
struct Reading<'c, 'e> {
    ctx: &'c Context<'e>,
    named: HashMap<(&'e str, &'e str), usize>,
}

type Reader = for<'c, 'e> fn(&Reading<'c, 'e>, &'e Resource) -> Option<(String, Entry<'e>)>;

fn reader(rtype: &str) -> Option<Reader> {
    let r: Reader = match rtype {
        "aws_route53_record" => route53,
        "google_dns_record_set" => cloud_dns,
        "aws_service_discovery_service" => cloud_map,
        "google_service_directory_service" => directory_service,
        "google_service_directory_endpoint" => directory_endpoint,
        "consul_service" => consul,
        "kubernetes_service" | "kubernetes_service_v1" => kubernetes,
        t if azure_record_type(t).is_some() => azure_dns,
        _ => return None,
    };
    Some(r)
}

/// `azurerm_dns_a_record` → `A`; `azurerm_private_dns_srv_record` → `SRV`.
fn azure_record_type(rtype: &str) -> Option<String> {
    let rest = rtype
        .strip_prefix("azurerm_private_dns_")
        .or_else(|| rtype.strip_prefix("azurerm_dns_"))?;
    let t = rest.strip_suffix("_record")?;
    const TYPES: &[&str] = &["a", "aaaa", "caa", "cname", "mx", "ns", "ptr", "srv", "txt"];
    TYPES.contains(&t).then(|| t.to_ascii_uppercase())
}

fn text<'v>(v: &'v Value, k: &str) -> Option<&'v str> {
    v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The first block of a nested block list (`dns_config[0]`).
fn block<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    v.get(k).and_then(Value::as_list).and_then(<[Value]>::first)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) if !s.is_empty() => Some(s.to_string()),
        Value::Num(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A property whose value is plain (a number, a type, a policy name).
fn plain(v: Option<&Value>) -> Option<Prop> {
    match v? {
        Value::Unknown | Value::Ref(_) => Some(unknown()),
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
    match ctx.leaf_str(s) {
        Leaf::Ref(a) => (Some(format!("@{a}")), a.to_string()),
        Leaf::Unknown => (None, "(known after apply)".into()),
        l => (Some(l.canonical()), s.to_string()),
    }
}

/// A set of targets (record values, tags, source ranges): compared as a set.
fn set(ctx: &Context<'_>, items: &[Value]) -> Option<Prop> {
    set_of(items.iter().filter_map(|v| match v {
        Value::Str(s) => {
            let (compared, shown) = one(ctx, s);
            Some(Prop { compared, shown })
        }
        Value::Object(_) => Some(fields(ctx, v, None)),
        Value::Unknown | Value::Ref(_) => Some(unknown()),
        other => plain(Some(other)),
    }))
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
            Value::Str(s) if !s.is_empty() => match ctx.leaf_str(s) {
                Leaf::Ref(a) => (format!("@{a}"), a.to_string()),
                Leaf::Text(t) => (t.into_owned(), s.to_string()),
                l => (l.canonical(), s.to_string()),
            },
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

/// An object property (`selector`, `meta`): `None` when empty.
fn object(ctx: &Context<'_>, v: Option<&Value>) -> Option<Prop> {
    match v? {
        Value::Unknown | Value::Ref(_) => Some(unknown()),
        v => Some(fields(ctx, v, None)).filter(|p| !p.shown.is_empty()),
    }
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
        Value::Unknown => Some(unknown()),
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
) -> Option<(String, Entry<'e>)> {
    let [scope, name, kind] = key;
    let name = ctx.text(name);
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
    Some((
        format!("{noun}\u{0}{scope}\u{0}{key_name}"),
        Entry {
            res,
            noun,
            shown,
            key_name,
            props,
        },
    ))
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

fn route53<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let name = text(a, "name")?;
    let kind = text(a, "type").unwrap_or("?");
    let (zone, zone_name) = scope(rd, a.get("zone_id"), "name", "aws_route53_zone");
    let mut props = BTreeMap::new();
    insert(&mut props, "ttl", plain(a.get("ttl")));
    let targets = match block(a, "alias") {
        Some(al) => text(al, "name").map(|n| alias_target(ctx, n)),
        None => a
            .get("records")
            .and_then(Value::as_list)
            .and_then(|l| set(ctx, l)),
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
    // Routing: which policy and its setting; a latency record's region is by design.
    let routing = [
        ("weighted_routing_policy", Some("weight")),
        ("failover_routing_policy", Some("type")),
        ("geolocation_routing_policy", None),
        ("latency_routing_policy", None),
        ("geoproximity_routing_policy", None),
        ("cidr_routing_policy", None),
    ]
    .iter()
    .find_map(|(attr, setting)| {
        let b = block(a, attr)?;
        let word = attr.trim_end_matches("_routing_policy");
        let t = match setting {
            Some(s) => format!("{word} {}", b.get(s).and_then(scalar).unwrap_or_default()),
            None if *attr == "geolocation_routing_policy" => {
                format!("{word} {}", fields(ctx, b, None).shown)
            }
            None => word.to_string(),
        };
        Some(t.trim().to_string())
    })
    .or_else(|| {
        (a.get("multivalue_answer_routing_policy") == Some(&Value::Bool(true)))
            .then(|| "multivalue".to_string())
    });
    insert(
        &mut props,
        "routing",
        routing.map(|t| Prop {
            compared: Some(t.clone()),
            shown: t,
        }),
    );
    let rel = relative(name, zone_name);
    let set_id = text(a, "set_identifier")
        .map(|s| format!(" ({})", ctx.text(s)))
        .unwrap_or_default();
    let kind_key = format!("{kind}{set_id}");
    entry(
        ctx,
        r,
        "DNS record",
        [&zone, &rel, &kind_key],
        format!("{} {kind}", name.trim_end_matches('.')),
        props,
    )
}

fn cloud_dns<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
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
            .and_then(|l| set(ctx, l)),
    );
    if let Some(p) = block(a, "routing_policy") {
        let word = ["wrr", "geo", "primary_backup"]
            .iter()
            .find(|k| {
                p.get(k)
                    .and_then(Value::as_list)
                    .is_some_and(|l| !l.is_empty())
            })
            .copied()
            .unwrap_or("policy");
        insert(
            &mut props,
            "routing",
            Some(Prop {
                compared: Some(word.into()),
                shown: word.into(),
            }),
        );
    }
    let rel = relative(name, zone_name);
    entry(
        ctx,
        r,
        "DNS record",
        [&zone, &rel, kind],
        format!("{} {kind}", name.trim_end_matches('.')),
        props,
    )
}

fn azure_dns<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
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
        (_, Some(Value::List(l)), _) | (_, _, Some(Value::List(l))) => set(ctx, l),
        (_, _, Some(Value::Str(s))) if !s.is_empty() => set(ctx, &[Value::str(s)]),
        _ => None,
    };
    insert(&mut props, "targets", targets);
    let fqdn = match zone_name {
        Some(z) if name != "@" => format!("{name}.{z}"),
        Some(z) => z.to_string(),
        None => name.to_string(),
    };
    entry(
        ctx,
        r,
        "DNS record",
        [&zone, &name.to_ascii_lowercase(), &kind],
        format!("{fqdn} {kind}"),
        props,
    )
}

fn cloud_map<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
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
    entry(
        ctx,
        r,
        "Cloud Map service",
        [&namespace, name, ""],
        name.to_string(),
        props,
    )
}

fn directory_service<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let name = text(a, "service_id")?;
    let (namespace, _) = scope(rd, a.get("namespace"), "namespace_id", "");
    let mut props = BTreeMap::new();
    let meta = a.get("metadata").filter(|v| !v.is_null());
    insert(
        &mut props,
        "meta",
        object(ctx, meta.or_else(|| a.get("annotations"))),
    );
    entry(
        ctx,
        r,
        "Service Directory service",
        [&namespace, name, ""],
        name.to_string(),
        props,
    )
}

fn directory_endpoint<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
    let ctx = rd.ctx;
    let a = &r.attributes;
    let name = text(a, "endpoint_id")?;
    let (service, _) = scope(rd, a.get("service"), "service_id", "");
    let mut props = BTreeMap::new();
    insert(&mut props, "address", reference(ctx, a.get("address")));
    insert(&mut props, "port", plain(a.get("port")));
    insert(&mut props, "network", reference(ctx, a.get("network")));
    let meta = a.get("metadata").filter(|v| !v.is_null());
    insert(
        &mut props,
        "meta",
        object(ctx, meta.or_else(|| a.get("annotations"))),
    );
    entry(
        ctx,
        r,
        "Service Directory endpoint",
        [&service, name, ""],
        name.to_string(),
        props,
    )
}

fn consul<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
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
            .and_then(|l| set(ctx, l)),
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
    entry(
        ctx,
        r,
        "Consul service",
        [&node, name, ""],
        name.to_string(),
        props,
    )
}

fn kubernetes<'e>(rd: &Reading<'_, 'e>, r: &'e Resource) -> Option<(String, Entry<'e>)> {
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
                .and_then(|l| set(ctx, l)),
        );
    }
    entry(
        ctx,
        r,
        "Kubernetes service",
        [&ctx.text(namespace), name, ""],
        format!("{namespace}/{name}"),
        props,
    )
}

/// Zones that records name rather than identify.
const ZONE_TYPES: &[&str] = &[
    "google_dns_managed_zone",
    "azurerm_dns_zone",
    "azurerm_private_dns_zone",
];

/// Every registration of an environment, by key.
fn catalog<'e>(ctx: &Context<'e>) -> Catalog<'e> {
    let named = ctx
        .env
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| ZONE_TYPES.contains(&r.address.rtype.as_str()))
        .filter_map(|(i, r)| Some(((r.address.rtype.as_str(), text(&r.attributes, "name")?), i)))
        .collect();
    let rd = Reading { ctx, named };
    let mut out = Catalog::new();
    for r in &ctx.env.resources {
        let Some(read) = reader(&r.address.rtype) else {
            continue;
        };
        if let Some((k, e)) = read(&rd, r) {
            // Two resources registering the same thing: the first (by address) stands.
            out.entry(k).or_insert(e);
        }
    }
    out
}

/// Property names whose difference changes where clients go.
const DESTINATIONS: &[&str] = &[
    "targets",
    "type",
    "ports",
    "selector",
    "address",
    "port",
    "records",
    "external name",
    "network",
];

/// Every registration finding: missing in some environment, or answering differently
/// from the baseline's.
pub fn findings(input: &Input<'_>) -> Vec<Finding> {
    let envs = input.envs;
    let cats: Vec<Catalog<'_>> = input.contexts.par_iter().map(catalog).collect();
    let mut keys: Vec<&String> = cats.iter().flat_map(|c| c.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        let at: Vec<Option<&Entry<'_>>> = cats.iter().map(|c| c.get(key)).collect();
        // The entry others are compared with: the baseline's, else the first.
        let Some(r) = std::iter::once(input.baseline)
            .chain(0..envs.len())
            .find(|&k| at[k].is_some())
        else {
            continue;
        };
        let Some(base) = at[r] else { continue };
        let address = &base.res.address;
        let path = AttrPath(vec![PathStep::Key(base.key_name.clone().into())]);
        let what = format!("{} {} ({address})", base.noun, base.shown);
        let have: Vec<usize> = (0..envs.len()).filter(|&k| at[k].is_some()).collect();
        if have.len() < envs.len() {
            let lack: Vec<usize> = (0..envs.len()).filter(|&k| at[k].is_none()).collect();
            let environments = envs
                .iter()
                .zip(&at)
                .map(|(e, x)| {
                    let v = match x {
                        Some(x) if &x.res.address == address => "present".to_string(),
                        Some(x) => format!("present as {}", x.res.address),
                        None => "absent".to_string(),
                    };
                    (e.name.clone(), v)
                })
                .collect();
            out.push(Finding {
                id: Finding::stable_id(Category::Discovery, Kind::Missing, address, Some(&path)),
                category: Category::Discovery,
                kind: Kind::Missing,
                severity: severity::registration(true, false),
                address: address.clone(),
                path: None,
                environments,
                message: format!(
                    "{what} exists in {} but not in {}.",
                    names(input, &have),
                    names(input, &lack)
                ),
            });
        }
        if let Some(f) = differences(input, &at, r, &what, &path) {
            out.push(f);
        }
    }
    out
}

fn names(input: &Input<'_>, ks: &[usize]) -> String {
    let v: Vec<&str> = ks.iter().map(|&k| input.envs[k].name.as_str()).collect();
    match v.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// One finding for the properties of an entry that differ from the reference `r`'s.
fn differences(
    input: &Input<'_>,
    at: &[Option<&Entry<'_>>],
    r: usize,
    what: &str,
    path: &AttrPath,
) -> Option<Finding> {
    let envs = input.envs;
    let base = at[r]?;
    let mut props: Vec<&'static str> = at
        .iter()
        .flatten()
        .flat_map(|e| e.props.keys().copied())
        .collect();
    props.sort_unstable();
    props.dedup();
    let none = Prop {
        compared: Some(String::new()),
        shown: "none".into(),
    };
    let mut differing = Vec::new();
    for p in props {
        // A service's type is the exposure lens's when exposure differs.
        if p == "type"
            && at
                .iter()
                .flatten()
                .any(|e| crate::lens::exposure::claims(base.res, e.res).is_some())
        {
            continue;
        }
        let b = base.props.get(p).unwrap_or(&none);
        let mut parts = Vec::new();
        for (k, e) in at.iter().enumerate() {
            let Some(e) = e else { continue };
            let x = e.props.get(p).unwrap_or(&none);
            if k != r && b.compared.is_some() && x.compared.is_some() && x.compared != b.compared {
                parts.push(format!("{} in {}", x.shown, envs[k].name));
            }
        }
        if !parts.is_empty() {
            differing.push((
                p,
                format!(
                    "{p} {} in {} but {}",
                    b.shown,
                    envs[r].name,
                    parts.join(", ")
                ),
            ));
        }
    }
    if differing.is_empty() {
        return None;
    }
    let names: Vec<&str> = differing.iter().map(|(p, _)| *p).collect();
    let environments = envs
        .iter()
        .zip(at)
        .filter_map(|(env, e)| {
            let e = (*e)?;
            let shown = |p: &&str| e.props.get(p).unwrap_or(&none).shown.clone();
            let v: Vec<String> = match names.as_slice() {
                [one] => vec![shown(one)],
                many => many.iter().map(|p| format!("{p} {}", shown(p))).collect(),
            };
            Some((env.name.clone(), v.join("; ")))
        })
        .collect();
    let kind = if base.noun == "DNS record" {
        Kind::Record
    } else {
        Kind::Service
    };
    let sentences: Vec<String> = differing.into_iter().map(|(_, s)| s).collect();
    Some(Finding {
        id: Finding::stable_id(Category::Discovery, kind, &base.res.address, Some(path)),
        category: Category::Discovery,
        kind,
        severity: severity::registration(false, names.iter().any(|p| DESTINATIONS.contains(p))),
        address: base.res.address.clone(),
        // The properties that differ, as the report's "difference".
        path: Some(AttrPath(vec![PathStep::Attr(names.join(", ").into())])),
        environments,
        message: format!("{what}: {}.", sentences.join("; ")),
    })
}
