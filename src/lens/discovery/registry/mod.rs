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

use crate::lens::input::{names, Input};
use crate::lens::severity;
use crate::model::{AttrPath, Category, Finding, Kind, PathStep, Resource};
use crate::normalize::Context;
use rayon::prelude::*;
use std::collections::BTreeMap;

mod read;

use read::{azure_record_type, Reading};

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

type Reader = for<'c, 'e> fn(&Reading<'c, 'e>, &'e Resource) -> Option<(String, Entry<'e>)>;

/// Each type this lens reads: its reader, and the attribute paths the reader compares
/// (the generic lens compares the others when the instances align by address).
fn reader(rtype: &str) -> Option<(Reader, &'static [&'static str])> {
    const RECORD_53: &[&str] = &[
        "name",
        "type",
        "ttl",
        "records",
        "alias",
        "set_identifier",
        "multivalue_answer_routing_policy",
        "health_check_id",
        "zone_id",
        "fqdn",
    ];
    const CLOUD_DNS: &[&str] = &[
        "name",
        "type",
        "ttl",
        "rrdatas",
        "routing_policy",
        "managed_zone",
    ];
    const AZURE: &[&str] = &[
        "name",
        "zone_name",
        "ttl",
        "records",
        "record",
        "target_resource_id",
        "fqdn",
    ];
    const CLOUD_MAP: &[&str] = &[
        "name",
        "namespace_id",
        "type",
        "dns_config",
        "health_check_config",
        "health_check_custom_config",
    ];
    const SD_SERVICE: &[&str] = &["service_id", "namespace", "name", "metadata", "annotations"];
    const SD_ENDPOINT: &[&str] = &[
        "endpoint_id",
        "service",
        "name",
        "address",
        "port",
        "network",
        "metadata",
        "annotations",
    ];
    const CONSUL: &[&str] = &["name", "node", "port", "address", "tags", "meta", "check"];
    const KUBERNETES: &[&str] = &[
        "metadata.0.name",
        "metadata.0.namespace",
        "spec.0.type",
        "spec.0.port",
        "spec.0.selector",
        "spec.0.external_name",
        "spec.0.external_traffic_policy",
        "spec.0.load_balancer_source_ranges",
        // Assigned by the cluster: claimed, and not compared.
        "spec.0.cluster_ip",
        "spec.0.cluster_ips",
        "spec.0.health_check_node_port",
        "metadata.0.uid",
        "metadata.0.resource_version",
        "metadata.0.generation",
        "status",
    ];
    let r: (Reader, &[&str]) = match rtype {
        "aws_route53_record" => (read::route53, RECORD_53),
        "google_dns_record_set" => (read::cloud_dns, CLOUD_DNS),
        "aws_service_discovery_service" => (read::cloud_map, CLOUD_MAP),
        "google_service_directory_service" => (read::directory_service, SD_SERVICE),
        "google_service_directory_endpoint" => (read::directory_endpoint, SD_ENDPOINT),
        "consul_service" => (read::consul, CONSUL),
        "kubernetes_service" | "kubernetes_service_v1" => (read::kubernetes, KUBERNETES),
        t if azure_record_type(t).is_some() => (read::azure_dns, AZURE),
        _ => return None,
    };
    Some(r)
}

/// Whether this lens reads the type: its instances are present or missing by what they
/// register, not by address, so the generic lens does not report them missing.
pub fn claims_type(rtype: &str) -> bool {
    reader(rtype).is_some()
}

/// Whether this lens compares the attribute at `path` of the type.
pub fn claims_path(rtype: &str, path: &AttrPath) -> bool {
    let Some((_, claimed)) = reader(rtype) else {
        return false;
    };
    claimed.iter().any(|c| starts_with(path, c))
        || (rtype == "aws_route53_record"
            && path
                .top()
                .is_some_and(|t| read::ROUTE53_POLICIES.contains(&t)))
}

/// Whether `path` lies at or under the dotted path `prefix` (`spec.0.port`).
fn starts_with(path: &AttrPath, prefix: &str) -> bool {
    let mut steps = path.0.iter();
    prefix
        .split('.')
        .all(|part| match (steps.next(), part.parse::<i64>()) {
            (Some(PathStep::Index(i)), Ok(n)) => *i == n,
            (Some(PathStep::Attr(a) | PathStep::Key(a)), Err(_)) => a.as_ref() == part,
            _ => false,
        })
}

/// Every registration of an environment, by key.
fn catalog<'e>(ctx: &Context<'e>) -> Catalog<'e> {
    let rd = Reading::new(ctx);
    let mut out = Catalog::new();
    for r in &ctx.env.resources {
        let Some((read, _)) = reader(&r.address.rtype) else {
            continue;
        };
        if let Some((k, e)) = read(&rd, r) {
            // Two resources registering the same thing (two clusters, two datacenters):
            // the later one is kept apart by its address, so neither is dropped.
            let k = if out.contains_key(&k) {
                format!("{k}\u{0}{}", ctx.logical(&r.address))
            } else {
                k
            };
            out.insert(k, e);
        }
    }
    out
}

/// Property names whose difference changes where clients go.
const DESTINATIONS: &[&str] = &[
    // What clients ask for: a record renamed is not found by its old name.
    "name",
    "targets",
    "type",
    "ports",
    "selector",
    "address",
    "port",
    "records",
    "external name",
    "network",
    "source ranges",
];

/// Every registration finding: missing in some environment, or answering differently
/// from the baseline's.
pub fn findings(input: &Input<'_>) -> Vec<Finding> {
    let envs = input.envs;
    let mut cats: Vec<Catalog<'_>> = input.contexts.par_iter().map(catalog).collect();
    one_address_one_entry(input, &mut cats);
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
                resources: Default::default(),
                differing: Default::default(),
                id: Finding::stable_id(Category::Discovery, Kind::Missing, address, Some(&path)),
                category: Category::Discovery,
                kind: Kind::Missing,
                severity: severity::registration(severity::Registration::Missing),
                address: address.clone(),
                path: None,
                environments,
                message: format!(
                    "{what} exists in {} but not in {}.",
                    names(input.envs, &have),
                    names(input.envs, &lack)
                ),
            });
        }
        if let Some(f) = differences(input, &at, r, &what, &path) {
            out.push(f);
        }
    }
    out
}

/// One address, one row: an entry of an environment whose key the baseline lacks, at
/// the same logical address as a baseline entry whose key that environment lacks, is
/// the same registration under another name (a record under each environment's own
/// domain, in a zone outside the state): it takes the baseline's key, and the names
/// are compared as a property (`name`) instead of being reported missing both ways.
fn one_address_one_entry(input: &Input<'_>, cats: &mut [Catalog<'_>]) {
    let b = input.baseline;
    if b >= cats.len() {
        return;
    }
    for k in 0..cats.len() {
        if k == b {
            continue;
        }
        let base = &cats[b];
        let lonely_base: std::collections::HashMap<String, &String> = base
            .iter()
            .filter(|(key, _)| !cats[k].contains_key(*key))
            .map(|(key, e)| (input.contexts[b].logical(&e.res.address).to_string(), key))
            .collect();
        if lonely_base.is_empty() {
            continue;
        }
        let mut moves: Vec<(String, String)> = cats[k]
            .iter()
            .filter(|(key, _)| !base.contains_key(*key))
            .filter_map(|(key, e)| {
                let at = input.contexts[k].logical(&e.res.address).to_string();
                lonely_base.get(&at).map(|bk| (key.clone(), (*bk).clone()))
            })
            .collect();
        // One entry per baseline key: two entries at one logical address (their keys
        // normalise alike) are left as they are, each reported on its own.
        let mut targets: std::collections::HashMap<&String, usize> = Default::default();
        for (_, to) in &moves {
            *targets.entry(to).or_default() += 1;
        }
        let once: std::collections::HashSet<String> = targets
            .into_iter()
            .filter(|(_, n)| *n == 1)
            .map(|(t, _)| t.clone())
            .collect();
        moves.retain(|(_, to)| once.contains(to));
        let mut named = Vec::new();
        for (from, to) in moves {
            if let Some(mut e) = cats[k].remove(&from) {
                e.props.insert(
                    "name",
                    Prop {
                        compared: Some(e.key_name.clone()),
                        shown: e.shown.clone(),
                    },
                );
                cats[k].insert(to.clone(), e);
                named.push(to);
            }
        }
        let Some(base) = cats.get_mut(b) else { return };
        for key in named {
            if let Some(e) = base.get_mut(&key) {
                e.props.entry("name").or_insert_with(|| Prop {
                    compared: Some(e.key_name.clone()),
                    shown: e.shown.clone(),
                });
            }
        }
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
        let declared = |k: usize| envs[k].source.kind == crate::model::SourceKind::Hcl;
        // The same text that means different places: a name inside one environment's
        // own zone and outside the other's (staging naming prod's `lb.acme.io`).
        let zoned = |x: &Prop| {
            x.compared
                .as_deref()
                .is_some_and(|c| c.contains(read::ZONE))
        };
        let place = |x: &Prop| {
            if zoned(x) {
                " (inside its own zone)"
            } else {
                " (outside its own zone)"
            }
        };
        let mut base_shown = b.shown.clone();
        let mut parts = Vec::new();
        for (k, e) in at.iter().enumerate() {
            let Some(e) = e else { continue };
            let x = e.props.get(p).unwrap_or(&none);
            // What a configuration does not set, a state's provider decided.
            let unset = (declared(r) && !declared(k) && !base.props.contains_key(p))
                || (declared(k) && !declared(r) && !e.props.contains_key(p));
            if k != r
                && !unset
                && b.compared.is_some()
                && x.compared.is_some()
                && x.compared != b.compared
            {
                if x.shown == b.shown && (zoned(x) || zoned(b)) {
                    parts.push(format!("{}{} in {}", x.shown, place(x), envs[k].name));
                    base_shown = format!("{}{}", b.shown, place(b));
                } else {
                    parts.push(format!("{} in {}", x.shown, envs[k].name));
                }
            }
        }
        if !parts.is_empty() {
            differing.push((
                p,
                format!(
                    "{p} {base_shown} in {} but {}",
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
        resources: Default::default(),
        differing: Default::default(),
        id: Finding::stable_id(Category::Discovery, kind, &base.res.address, Some(path)),
        category: Category::Discovery,
        kind,
        severity: severity::registration(if names.iter().any(|p| DESTINATIONS.contains(p)) {
            severity::Registration::Destinations
        } else {
            severity::Registration::Other
        }),
        address: base.res.address.clone(),
        // The properties that differ, as the report's "difference".
        path: Some(AttrPath(vec![PathStep::Attr(names.join(", ").into())])),
        environments,
        message: format!("{what}: {}.", sentences.join("; ")),
    })
}
