//! The network lens: topology compared by meaning. Per network (VPC, VNet, GCP
//! network): how many subnets of each tier (public when its route table sends
//! `0.0.0.0/0` to an internet gateway), in which zones NAT gateways stand, and which
//! subnets changed tier. The generic lens still reports the attributes; this lens says
//! what they add up to. Routes (`routes`) and load balancers' listeners (`balancers`)
//! are compared in their own modules. Makes findings; never prints.

pub mod balancers;
pub mod routes;

use super::attrs::text;
use super::input::Input;
use super::severity;
use crate::model::{Address, AttrPath, Category, Finding, Kind, PathStep, Severity, Value};
use crate::normalize::Context;
use std::collections::{BTreeMap, BTreeSet};

/// One network's layout in one environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The network's address as this environment writes it.
    pub address: Option<Address>,
    /// Subnet logical key → public?
    pub subnets: BTreeMap<String, bool>,
    /// Where NAT stands: AWS zones (normalised, `{region}a`), GCP regions with a Cloud
    /// NAT, Azure subnets with a NAT gateway association.
    pub nat_zones: BTreeSet<String>,
    /// What the network connects to beyond itself: VPC endpoints by service
    /// (`endpoint com.amazonaws.{region}.s3`), peerings, transit gateway attachments and
    /// VPN connections by what they attach to.
    pub links: BTreeSet<String>,
}

impl Layout {
    fn count(&self, public: bool) -> usize {
        self.subnets.values().filter(|p| **p == public).count()
    }
}

/// The layout of the network at `address` (logical `key`), made on first use.
fn layout_of<'m>(
    out: &'m mut BTreeMap<String, Layout>,
    key: String,
    address: &Address,
) -> &'m mut Layout {
    let l = out.entry(key).or_default();
    l.address.get_or_insert_with(|| address.clone());
    l
}

/// The layouts of every network of an environment, by the network's logical address.
pub fn layouts(ctx: &Context<'_>) -> BTreeMap<String, Layout> {
    let env = ctx.env;
    let key = |a: &Address| ctx.logical(a).to_string();
    let resolve = |v: &Value, k: &str| ctx.resource_of(v.get(k)?);
    let is_igw = |i: usize| {
        matches!(
            env.resources[i].address.rtype.as_str(),
            "aws_internet_gateway" | "aws_egress_only_internet_gateway"
        )
    };
    // Route tables with a default route to an internet gateway.
    let mut public_tables: BTreeSet<usize> = BTreeSet::new();
    for (i, r) in env.resources.iter().enumerate() {
        match r.address.rtype.as_str() {
            "aws_route_table" | "aws_default_route_table" => {
                let routes = r
                    .attributes
                    .get("route")
                    .and_then(Value::as_list)
                    .unwrap_or(&[]);
                if routes.iter().any(|rt| {
                    text(rt, "cidr_block") == Some("0.0.0.0/0")
                        && resolve(rt, "gateway_id").is_some_and(is_igw)
                }) {
                    public_tables.insert(i);
                }
            }
            "aws_route"
                if text(&r.attributes, "destination_cidr_block") == Some("0.0.0.0/0")
                    && resolve(&r.attributes, "gateway_id").is_some_and(is_igw) =>
            {
                if let Some(t) = resolve(&r.attributes, "route_table_id") {
                    public_tables.insert(t);
                }
            }
            _ => {}
        }
    }
    // Subnet → route table, by explicit association.
    let mut table_of: BTreeMap<usize, usize> = BTreeMap::new();
    for r in &env.resources {
        if r.address.rtype == "aws_route_table_association" {
            if let (Some(s), Some(t)) = (
                resolve(&r.attributes, "subnet_id"),
                resolve(&r.attributes, "route_table_id"),
            ) {
                table_of.insert(s, t);
            }
        }
    }
    let mut out: BTreeMap<String, Layout> = BTreeMap::new();
    for (i, r) in env.resources.iter().enumerate() {
        let network = match r.address.rtype.as_str() {
            "aws_subnet" => resolve(&r.attributes, "vpc_id"),
            "google_compute_subnetwork" => resolve(&r.attributes, "network"),
            "azurerm_subnet" => resolve(&r.attributes, "virtual_network_name"),
            "aws_vpc" | "google_compute_network" | "azurerm_virtual_network" => {
                let l = out.entry(key(&r.address)).or_default();
                l.address = Some(r.address.clone());
                continue;
            }
            _ => continue,
        };
        let Some(n) = network else { continue };
        let flag = r.attributes.get("map_public_ip_on_launch");
        let public = match table_of.get(&i) {
            Some(t) => public_tables.contains(t),
            // Without a route table in the state, the subnet's own flag says it.
            None => {
                r.address.rtype == "aws_subnet"
                    && (matches!(flag, Some(Value::Bool(true)))
                        || flag.and_then(Value::as_str) == Some("true"))
            }
        };
        let net = &env.resources[n].address;
        layout_of(&mut out, key(net), net)
            .subnets
            .insert(key(&r.address), public);
    }
    for r in &env.resources {
        if r.address.rtype != "aws_nat_gateway" {
            continue;
        }
        let Some(s) = resolve(&r.attributes, "subnet_id") else {
            continue;
        };
        let subnet = &env.resources[s];
        let (Some(n), Some(zone)) = (
            resolve(&subnet.attributes, "vpc_id"),
            text(&subnet.attributes, "availability_zone"),
        ) else {
            continue;
        };
        let net = &env.resources[n].address;
        layout_of(&mut out, key(net), net)
            .nat_zones
            .insert(ctx.text(zone).into_owned());
    }
    for r in &env.resources {
        let place = match r.address.rtype.as_str() {
            // GCP: a Cloud NAT on a router of the network, per region.
            "google_compute_router_nat" => resolve(&r.attributes, "router")
                .and_then(|router| resolve(&env.resources[router].attributes, "network"))
                .map(|n| (n, text(&r.attributes, "region").unwrap_or("").to_string())),
            // Azure: a subnet with a NAT gateway.
            "azurerm_subnet_nat_gateway_association" => resolve(&r.attributes, "subnet_id")
                .and_then(|s| {
                    resolve(&env.resources[s].attributes, "virtual_network_name")
                        .map(|n| (n, format!("subnet {}", key(&env.resources[s].address))))
                }),
            _ => None,
        };
        if let Some((n, place)) = place {
            let net = &env.resources[n].address;
            layout_of(&mut out, key(net), net).nat_zones.insert(place);
        }
    }
    for r in &env.resources {
        let a = &r.attributes;
        // A link from the network in `owner` to the one `peer` names, said as `label peer`.
        let to_peer = |owner: &str, label: &str, peer: &str| {
            resolve(a, owner).map(|n| {
                let peer = text(a, peer)
                    .map(|p| ctx.leaf_str(p).canonical())
                    .unwrap_or_default();
                (n, format!("{label} {}", peer.trim_start_matches('@')))
            })
        };
        let link = match r.address.rtype.as_str() {
            "aws_vpc_endpoint" => resolve(a, "vpc_id").map(|n| {
                (
                    n,
                    format!(
                        "endpoint {}",
                        ctx.text(text(a, "service_name").unwrap_or("?"))
                    ),
                )
            }),
            "aws_vpc_peering_connection" | "aws_vpc_peering_connection_accepter" => {
                to_peer("vpc_id", "peering to", "peer_vpc_id")
            }
            "aws_ec2_transit_gateway_vpc_attachment" => {
                to_peer("vpc_id", "transit gateway", "transit_gateway_id")
            }
            "aws_vpn_gateway" => resolve(a, "vpc_id").map(|n| (n, "VPN gateway".to_string())),
            "google_compute_network_peering" => to_peer("network", "peering to", "peer_network"),
            "azurerm_virtual_network_peering" => to_peer(
                "virtual_network_name",
                "peering to",
                "remote_virtual_network_id",
            ),
            "google_compute_ha_vpn_gateway" | "google_compute_vpn_gateway" => {
                resolve(a, "network").map(|n| (n, "VPN gateway".to_string()))
            }
            // Azure: a gateway stands in the network's GatewaySubnet; VPN or ExpressRoute.
            "azurerm_virtual_network_gateway" => a
                .get("ip_configuration")
                .and_then(Value::as_list)
                .and_then(|l| l.first())
                .and_then(|c| resolve(c, "subnet_id"))
                .and_then(|s| resolve(&env.resources[s].attributes, "virtual_network_name"))
                .map(|n| {
                    let kind = match text(a, "type") {
                        Some(t) if t.eq_ignore_ascii_case("ExpressRoute") => "ExpressRoute gateway",
                        _ => "VPN gateway",
                    };
                    (n, kind.to_string())
                }),
            _ => None,
        };
        if let Some((n, link)) = link {
            let net = &env.resources[n].address;
            layout_of(&mut out, key(net), net).links.insert(link);
        }
    }
    out
}

fn zones(z: &BTreeSet<String>) -> String {
    if z.is_empty() {
        return "none".into();
    }
    let letters: Vec<String> = z
        .iter()
        .map(|s| match s.strip_prefix("{region}") {
            Some(zone) => zone.trim_start_matches('-').to_string(),
            None => s.clone(),
        })
        .collect();
    format!("{} ({})", z.len(), letters.join(", "))
}

/// Every network-layout finding.
pub fn findings(input: &Input<'_>) -> Vec<Finding> {
    let b = input.baseline;
    let per_env: Vec<BTreeMap<String, Layout>> = input.contexts.iter().map(layouts).collect();
    let names: Vec<&str> = input.envs.iter().map(|e| e.name.as_str()).collect();
    let mut out = Vec::new();
    let Some(base) = per_env.get(b) else {
        return out;
    };
    for (key, bl) in base {
        let Some(address) = bl.address.clone() else {
            continue;
        };
        let others: Vec<(usize, &Layout)> = per_env
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != b)
            .filter_map(|(k, m)| m.get(key).map(|l| (k, l)))
            .collect();
        if others.is_empty() {
            continue;
        }
        // Subnet counts per tier.
        let describe = |l: &Layout| format!("{} public, {} private", l.count(true), l.count(false));
        if others
            .iter()
            .any(|(_, l)| l.count(true) != bl.count(true) || l.count(false) != bl.count(false))
        {
            out.push(layout_finding(
                input,
                &address,
                "subnets",
                Kind::SubnetLayout,
                severity::layout(Kind::SubnetLayout, true),
                &names,
                bl,
                &others,
                describe,
                "subnets",
            ));
        }
        // NAT gateways per zone.
        if others
            .iter()
            .any(|(_, l)| l.nat_zones.len() != bl.nat_zones.len())
        {
            let sev = severity::layout(
                Kind::NatLayout,
                others
                    .iter()
                    .any(|(_, l)| l.nat_zones.len() < bl.nat_zones.len()),
            );
            out.push(layout_finding(
                input,
                &address,
                "nat_gateways",
                Kind::NatLayout,
                sev,
                &names,
                bl,
                &others,
                |l| zones(&l.nat_zones),
                "where NAT stands (zones, regions or subnets)",
            ));
        }
        // Links beyond the network: endpoints, peerings, transit gateways, VPN.
        if others.iter().any(|(_, l)| l.links != bl.links) {
            let list = |l: &Layout| {
                if l.links.is_empty() {
                    "none".to_string()
                } else {
                    l.links.iter().cloned().collect::<Vec<_>>().join(", ")
                }
            };
            let sev = severity::layout(
                Kind::NetworkLinks,
                others.iter().any(|(_, l)| !l.links.is_superset(&bl.links)),
            );
            out.push(layout_finding(
                input,
                &address,
                "links",
                Kind::NetworkLinks,
                sev,
                &names,
                bl,
                &others,
                list,
                "what it connects to",
            ));
        }
        // Subnets that changed tier.
        for (subnet, public) in &bl.subnets {
            for (k, l) in &others {
                if let Some(p) = l.subnets.get(subnet) {
                    if p != public {
                        let tier = |p: bool| if p { "public" } else { "private" };
                        let addr = Address::parse(subnet).unwrap_or_else(|_| address.clone());
                        let path = AttrPath(vec![PathStep::Attr("tier".into())]);
                        let mut environments = BTreeMap::new();
                        environments.insert(names[b].to_string(), tier(*public).to_string());
                        environments.insert(names[*k].to_string(), tier(*p).to_string());
                        out.push(Finding {
                            resources: Default::default(),
                            differing: Default::default(),
                            id: Finding::stable_id(Category::Network, Kind::SubnetTier, &addr, Some(&path)),
                            category: Category::Network,
                            kind: Kind::SubnetTier,
                            // A subnet that becomes public exposes what runs in it.
                            severity: severity::exposure_change(*p),
                            address: addr,
                            path: Some(path),
                            environments,
                            message: format!(
                                "{subnet} is {} in {} but {} in {} (its route table {} the internet gateway).",
                                tier(*public),
                                names[b],
                                tier(*p),
                                names[*k],
                                if *p { "routes 0.0.0.0/0 to" } else { "has no default route to" }
                            ),
                        });
                    }
                }
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn layout_finding(
    input: &Input<'_>,
    address: &Address,
    attr: &str,
    kind: Kind,
    severity: Severity,
    names: &[&str],
    base: &Layout,
    others: &[(usize, &Layout)],
    describe: impl Fn(&Layout) -> String,
    what: &str,
) -> Finding {
    let b = input.baseline;
    let mut environments = BTreeMap::new();
    environments.insert(names[b].to_string(), describe(base));
    let mut parts = vec![format!("{} has {}", names[b], describe(base))];
    for (k, l) in others {
        environments.insert(names[*k].to_string(), describe(l));
        parts.push(format!("{} has {}", names[*k], describe(l)));
    }
    let path = AttrPath(vec![PathStep::Attr(attr.into())]);
    Finding {
        resources: Default::default(),
        differing: Default::default(),
        id: Finding::stable_id(Category::Network, kind, address, Some(&path)),
        category: Category::Network,
        kind,
        severity,
        address: address.clone(),
        path: Some(path),
        environments,
        message: format!("{address} differs in {what}: {}.", parts.join(", ")),
    }
}

#[cfg(test)]
mod tests;
