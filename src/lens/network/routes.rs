//! Routes by destination: every route table's routes, whatever wrote them (inline
//! blocks, `aws_route`, `azurerm_route`, `google_compute_route`), as destination →
//! target kind and logical address, compared per table. Makes findings; never prints.

use super::super::input::Input;
use crate::lens::attrs::text;
use crate::model::{Address, AttrPath, Category, Finding, Kind, PathStep, Resource, Value};
use crate::normalize::{Context, Leaf};
use std::collections::BTreeMap;

/// Types whose every attribute belongs to this lens (a route written as a resource is
/// the same route as an inline block).
pub const ROUTE_TYPES: &[&str] = &["aws_route", "azurerm_route", "google_compute_route"];

/// Attributes of route tables this lens compares instead of the generic one.
pub const ROUTE_ATTRS: &[(&str, &str)] = &[
    ("aws_route_table", "route"),
    ("aws_default_route_table", "route"),
    ("azurerm_route_table", "route"),
];

/// Whether the route lens owns this attribute of this type (`None`: the whole resource).
pub fn claims(rtype: &str, attr: Option<&str>) -> bool {
    ROUTE_TYPES.contains(&rtype) || attr.is_some_and(|a| ROUTE_ATTRS.contains(&(rtype, a)))
}

/// AWS route targets: attribute → what it is.
const AWS_TARGETS: &[(&str, &str)] = &[
    ("gateway_id", "gateway"),
    ("nat_gateway_id", "NAT gateway"),
    ("transit_gateway_id", "transit gateway"),
    ("vpc_peering_connection_id", "peering"),
    ("vpc_endpoint_id", "endpoint"),
    ("network_interface_id", "network interface"),
    ("egress_only_gateway_id", "egress-only gateway"),
    ("local_gateway_id", "local gateway"),
    ("carrier_gateway_id", "carrier gateway"),
    ("core_network_arn", "core network"),
    ("instance_id", "instance"),
];

/// GCP next hops.
const GCP_TARGETS: &[(&str, &str)] = &[
    ("next_hop_gateway", "gateway"),
    ("next_hop_ip", "IP"),
    ("next_hop_instance", "instance"),
    ("next_hop_ilb", "internal load balancer"),
    ("next_hop_vpn_tunnel", "VPN tunnel"),
];

/// One route's target: its kind and what it names, as compared and as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    compared: String,
    shown: String,
    /// The route leaves through an internet gateway.
    to_internet: bool,
    /// The resource that writes the route: the table (an inline block) or an
    /// `aws_route`-like resource of its own.
    writer: Option<Address>,
}

/// Route tables of one environment: table key → (table address, destination → target).
type Tables = BTreeMap<String, (Address, BTreeMap<String, (String, Target)>)>;

fn target(ctx: &Context<'_>, v: &Value, table: &[(&str, &str)]) -> Option<Target> {
    for (attr, kind) in table {
        // A reference (a configuration's `aws_nat_gateway.nat.id`) or an identifier.
        let (s, leaf, named) = match v.get(attr) {
            Some(Value::Str(s)) if !s.is_empty() => (
                s.as_ref(),
                ctx.leaf_str(s),
                ctx.resolve(s).map(|i| &ctx.env.resources[i].address),
            ),
            Some(r @ Value::Ref(a)) => ("", ctx.leaf(r), Some(a.as_ref())),
            _ => continue,
        };
        // GCP's one way out to the internet, named the same in every project.
        if *attr == "next_hop_gateway" && s.ends_with("default-internet-gateway") {
            return Some(Target {
                compared: "internet gateway =default-internet-gateway".into(),
                shown: "internet gateway default-internet-gateway".into(),
                to_internet: true,
                writer: None,
            });
        }
        let (compared, shown) = match leaf {
            // Compared by logical address (`["{region}a"]`), shown as written.
            Leaf::Ref(a) => (
                format!("@{a}"),
                named.map_or_else(|| a.to_string(), Address::to_string),
            ),
            Leaf::External => ("#external".into(), format!("{s} (outside the environment)")),
            Leaf::Text(t) => (format!("={t}"), s.to_string()),
            _ => continue,
        };
        // An internet gateway and a virtual private gateway share `gateway_id`.
        let kind = match (*attr, &compared) {
            ("gateway_id", c) if c.contains("aws_internet_gateway") || s.starts_with("igw-") => {
                "internet gateway"
            }
            ("gateway_id", _) if s == "local" => "local",
            _ => kind,
        };
        return Some(Target {
            compared: format!("{kind} {compared}"),
            shown: format!("{kind} {shown}"),
            to_internet: kind == "internet gateway",
            writer: None,
        });
    }
    None
}

fn tables(ctx: &Context<'_>) -> Tables {
    let env = ctx.env;
    let key = |a: &Address| ctx.logical(a).to_string();
    let mut out: Tables = BTreeMap::new();
    let mut add =
        |table: &Address, (d, shown): (String, String), mut t: Target, writer: &Address| {
            t.writer = Some(writer.clone());
            out.entry(key(table))
                .or_insert_with(|| (table.clone(), BTreeMap::new()))
                .1
                .insert(d, (shown, t));
        };
    let owner = |r: &Resource, attr: &str| -> Option<&Address> {
        let i = ctx.resource_of(r.attributes.get(attr)?)?;
        Some(&env.resources[i].address)
    };
    for r in &env.resources {
        let a = &r.attributes;
        match r.address.rtype.as_str() {
            "aws_route_table" | "aws_default_route_table" => {
                for b in a.get("route").and_then(Value::as_list).unwrap_or(&[]) {
                    let dest = destination(
                        ctx,
                        b,
                        &[
                            "cidr_block",
                            "ipv6_cidr_block",
                            "destination_prefix_list_id",
                        ],
                    );
                    if let (Some(d), Some(t)) = (dest, target(ctx, b, AWS_TARGETS)) {
                        add(&r.address, d, t, &r.address);
                    }
                }
            }
            "aws_route" => {
                let dest = destination(
                    ctx,
                    a,
                    &[
                        "destination_cidr_block",
                        "destination_ipv6_cidr_block",
                        "destination_prefix_list_id",
                    ],
                );
                let table = owner(r, "route_table_id").unwrap_or(&r.address);
                if let (Some(d), Some(t)) = (dest, target(ctx, a, AWS_TARGETS)) {
                    add(table, d, t, &r.address);
                }
            }
            "azurerm_route_table" => {
                for b in a.get("route").and_then(Value::as_list).unwrap_or(&[]) {
                    if let Some(d) = destination(ctx, b, &["address_prefix"]) {
                        add(&r.address, d, azure_target(ctx, b), &r.address);
                    }
                }
            }
            "azurerm_route" => {
                let table = owner(r, "route_table_name").unwrap_or(&r.address);
                if let Some(d) = destination(ctx, a, &["address_prefix"]) {
                    add(table, d, azure_target(ctx, a), &r.address);
                }
            }
            "google_compute_route" => {
                let table = owner(r, "network").unwrap_or(&r.address);
                if let (Some(d), Some(t)) = (
                    destination(ctx, a, &["dest_range"]),
                    target(ctx, a, GCP_TARGETS),
                ) {
                    add(table, d, t, &r.address);
                }
            }
            _ => {}
        }
    }
    out
}

/// A route's destination, the first of `keys` set: as compared (normalised) and as
/// written (a prefix list may be a configuration's reference to one).
fn destination(ctx: &Context<'_>, v: &Value, keys: &[&str]) -> Option<(String, String)> {
    keys.iter().find_map(|k| match v.get(k)? {
        Value::Str(s) if !s.is_empty() => Some((ctx.leaf_str(s).canonical(), s.to_string())),
        r @ Value::Ref(a) => Some((ctx.leaf(r).canonical(), a.to_string())),
        _ => None,
    })
}

fn azure_target(ctx: &Context<'_>, v: &Value) -> Target {
    let kind = text(v, "next_hop_type").unwrap_or("none");
    let ip = text(v, "next_hop_in_ip_address");
    let (compared, shown) = match ip {
        Some(ip) => (ctx.leaf_str(ip).canonical(), format!(" {ip}")),
        None => (String::new(), String::new()),
    };
    Target {
        compared: format!("{} {compared}", kind.to_ascii_lowercase()),
        shown: format!("{kind}{shown}"),
        to_internet: kind.starts_with("Internet"),
        writer: None,
    }
}

/// Every route finding.
pub fn findings(input: &Input<'_>) -> Vec<Finding> {
    let b = input.baseline;
    let per_env: Vec<Tables> = input.contexts.iter().map(tables).collect();
    let mut out = Vec::new();
    let Some(base) = per_env.get(b) else {
        return out;
    };
    let mut keys: Vec<&String> = per_env.iter().flat_map(|t| t.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        // A table missing altogether is the generic lens's finding.
        let Some((address, routes)) = base.get(key) else {
            continue;
        };
        let mut dests: Vec<&String> = per_env
            .iter()
            .filter_map(|t| t.get(key))
            .flat_map(|(_, r)| r.keys())
            .collect();
        dests.sort();
        dests.dedup();
        for dest in dests {
            let base_target = routes.get(dest);
            let mut environments = BTreeMap::new();
            let mut differs = Vec::new();
            let mut shown_dest = base_target.map(|(d, _)| d.clone());
            // The resource that writes the route in each environment; said when one is
            // not the table itself (an `aws_route`), so that a reviewer finds the block.
            let mut resources: BTreeMap<String, Vec<Address>> = BTreeMap::new();
            let mut own_writer = false;
            for (k, tables) in per_env.iter().enumerate() {
                let Some((table, r)) = tables.get(key) else {
                    continue;
                };
                let t = r.get(dest);
                if let Some(w) = t.and_then(|(_, t)| t.writer.as_ref()) {
                    own_writer |= w != table;
                    resources.insert(input.envs[k].name.clone(), vec![w.clone()]);
                }
                if shown_dest.is_none() {
                    shown_dest = t.map(|(d, _)| d.clone());
                }
                environments.insert(
                    input.envs[k].name.clone(),
                    t.map(|(_, t)| t.shown.clone())
                        .unwrap_or_else(|| "no route".into()),
                );
                if k != b && t.map(|x| &x.1.compared) != base_target.map(|x| &x.1.compared) {
                    differs.push((k, t.map(|(_, t)| t)));
                }
            }
            if differs.is_empty() {
                continue;
            }
            let dest_text = shown_dest.unwrap_or_default();
            let base_text = base_target
                .map(|(_, t)| format!("goes to {}", t.shown))
                .unwrap_or_else(|| "has no route".into());
            let parts: Vec<String> = differs
                .iter()
                .map(|(k, t)| match t {
                    Some(t) => format!("to {} in {}", t.shown, input.envs[*k].name),
                    None => format!("nowhere in {}", input.envs[*k].name),
                })
                .collect();
            // Traffic that now leaves through an internet gateway is exposed.
            let to_internet = differs
                .iter()
                .any(|(_, t)| t.is_some_and(|t| t.to_internet));
            let path = AttrPath(vec![
                PathStep::Attr("route".into()),
                PathStep::Key(dest.clone().into()),
            ]);
            if !own_writer {
                resources.clear();
            }
            out.push(Finding {
                resources,
                differing: Default::default(),
                id: Finding::stable_id(Category::Network, Kind::Route, address, Some(&path)),
                category: Category::Network,
                kind: Kind::Route,
                severity: super::super::severity::exposure_change(to_internet),
                address: address.clone(),
                path: Some(AttrPath(vec![
                    PathStep::Attr("route".into()),
                    PathStep::Key(dest_text.clone().into()),
                ])),
                environments,
                message: format!(
                    "Route {dest_text} in {address} {base_text} in {} but {}.",
                    input.envs[b].name,
                    parts.join(", ")
                ),
            });
        }
    }
    out
}
