//! Load balancers by what they listen on: each balancer's listeners (AWS listeners and
//! classic ELB `listener` blocks, GCP forwarding rules, Azure load-balancing and NAT
//! rules), keyed by port and protocol family and described by protocol, TLS policy,
//! certificate and where they send traffic, compared per balancer. What a listener
//! points at (a target group, proxy, probe, pool) compares by logical address; its own
//! attributes stay with the generic lens. Reading is in `read`. Makes findings; never
//! prints.

mod read;

use super::super::input::Input;
use super::super::severity::{self, ListenerChange};
use crate::model::{Address, AttrPath, Category, Finding, Kind, PathStep, Severity};
use crate::normalize::Context;
use read::internet_facing;
use std::collections::BTreeMap;

/// Types whose instances are listeners of a balancer: never reported as missing by the
/// generic lens (a listener missing from a balancer is this lens's finding; a balancer
/// missing altogether is the generic lens's).
pub const LISTENER_TYPES: &[&str] = &[
    "aws_lb_listener",
    "aws_alb_listener",
    "azurerm_lb_rule",
    "azurerm_lb_nat_rule",
];

/// Attributes this lens compares instead of the generic one, by type. The other
/// attributes of a listener (tags, timeouts, headers) stay with the generic lens.
pub const LISTENER_ATTRS: &[(&[&str], &[&str])] = &[
    (
        &["aws_lb_listener", "aws_alb_listener"],
        &[
            "load_balancer_arn",
            "port",
            "protocol",
            "ssl_policy",
            "certificate_arn",
            "alpn_policy",
            "mutual_authentication",
            "default_action",
        ],
    ),
    (&["aws_elb"], &["listener"]),
    (
        &[
            "google_compute_forwarding_rule",
            "google_compute_global_forwarding_rule",
        ],
        &[
            "ip_protocol",
            "port_range",
            "ports",
            "all_ports",
            "target",
            "backend_service",
        ],
    ),
    (
        &["azurerm_lb_rule", "azurerm_lb_nat_rule"],
        &[
            "loadbalancer_id",
            "protocol",
            "frontend_port",
            "frontend_port_start",
            "frontend_port_end",
            "backend_port",
            "frontend_ip_configuration_name",
            "frontend_ip_configuration_id",
            "probe_id",
            "backend_address_pool_ids",
            "backend_address_pool_id",
        ],
    ),
];

/// Whether this lens owns this attribute of this type (`None`: the whole resource, for
/// the generic lens's `missing`).
pub fn claims(rtype: &str, attr: Option<&str>) -> bool {
    match attr {
        None => LISTENER_TYPES.contains(&rtype),
        Some(a) => LISTENER_ATTRS
            .iter()
            .any(|(types, attrs)| types.contains(&rtype) && attrs.contains(&a)),
    }
}

/// What a plan knows only after apply, in a compared part: matches anything.
const AFTER_APPLY: &str = "(known after apply)";

/// One listener as compared (part by part) and as shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Listener {
    compared: Vec<String>,
    shown: Vec<String>,
    /// Terminates TLS (HTTPS, TLS, SSL; an HTTPS or SSL proxy).
    tls: bool,
    certificate: bool,
    /// The resource that writes it (an `aws_lb_listener`; the balancer itself for an
    /// inline `listener` block).
    writer: Option<Address>,
}

impl Listener {
    /// A part compared as `compared` and shown as `shown`.
    fn push(&mut self, compared: impl Into<String>, shown: impl Into<String>) {
        self.compared.push(compared.into());
        self.shown.push(shown.into());
    }

    /// A part whose text is compared after normalisation (environment names out).
    fn text(&mut self, ctx: &Context<'_>, compared: &str, shown: String) {
        self.push(ctx.text(compared).into_owned(), shown);
    }

    fn same(&self, other: &Listener) -> bool {
        self.compared.len() == other.compared.len()
            && self
                .compared
                .iter()
                .zip(&other.compared)
                .all(|(a, b)| a == b || a.contains(AFTER_APPLY) || b.contains(AFTER_APPLY))
    }

    fn shown(&self) -> String {
        self.shown.join(", ")
    }
}

/// The listeners on one port of one balancer (usually one; an Azure balancer may listen
/// on a port on several frontends), sorted by what is compared.
type Port = Vec<Listener>;

fn same_port(a: &Port, b: &Port) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
}

fn describe(p: &Port) -> String {
    if p.is_empty() {
        return "no listener".into();
    }
    p.iter().map(Listener::shown).collect::<Vec<_>>().join("; ")
}

/// One balancer's listeners in one environment.
#[derive(Debug, Clone)]
struct Balancer {
    /// The balancer's address as this environment writes it.
    address: Address,
    /// False for listeners whose balancer is not in the state: they stand for themselves.
    resource: bool,
    internet: bool,
    /// `443/tcp` → listeners.
    ports: BTreeMap<String, Port>,
}

/// The balancers of every environment with their listeners attached. A listener whose
/// balancer is not known yet (a plan) attaches where the baseline's listener of the same
/// address does; one whose balancer is not in the state at all stands for itself.
fn balancers(input: &Input<'_>) -> Vec<BTreeMap<String, Balancer>> {
    let b = input.baseline;
    let read: Vec<_> = input.contexts.iter().map(read::environment).collect();
    let base_owner: BTreeMap<&str, String> = read
        .get(b)
        .map(|(_, listeners)| {
            listeners
                .iter()
                .filter_map(|l| {
                    let o = l.owner?;
                    let addr = &input.envs[b].resources[o].address;
                    Some((
                        l.source.as_str(),
                        input.contexts[b].logical(addr).to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for (k, (found, listeners)) in read.iter().enumerate() {
        let ctx = &input.contexts[k];
        let env = &input.envs[k];
        let mut m: BTreeMap<String, Balancer> = found
            .iter()
            .map(|(key, &i)| {
                let r = &env.resources[i];
                let bal = Balancer {
                    address: r.address.clone(),
                    resource: true,
                    internet: internet_facing(r),
                    ports: BTreeMap::new(),
                };
                (key.clone(), bal)
            })
            .collect();
        for l in listeners {
            let key = match l.owner {
                Some(o) => ctx.logical(&env.resources[o].address).to_string(),
                None => match base_owner.get(l.source.as_str()) {
                    Some(key) if m.contains_key(key) => key.clone(),
                    _ => l.source.clone(),
                },
            };
            let bal = m.entry(key).or_insert_with(|| Balancer {
                address: l.address.clone(),
                resource: false,
                internet: false,
                ports: BTreeMap::new(),
            });
            let mut listener = l.listener.clone();
            listener.writer = Some(l.address.clone());
            bal.ports.entry(l.port.clone()).or_default().push(listener);
        }
        for bal in m.values_mut() {
            for port in bal.ports.values_mut() {
                port.sort_by(|x, y| x.compared.cmp(&y.compared));
            }
        }
        out.push(m);
    }
    out
}

/// How `other` differs from `base` on one port.
fn change(base: &Port, other: &Port) -> ListenerChange {
    let tls = |p: &Port| !p.is_empty() && p.iter().all(|l| l.tls);
    let cert = |p: &Port| !p.is_empty() && p.iter().all(|l| l.certificate);
    if base.is_empty() {
        ListenerChange::Extra
    } else if other.is_empty() {
        ListenerChange::Missing
    } else if tls(base) && !tls(other) || cert(base) && !cert(other) {
        ListenerChange::Plaintext
    } else {
        ListenerChange::Other
    }
}

/// The parts in which single listeners differ, when every environment's listener on
/// the port is one with as many parts as the baseline's: the positions that differ from
/// the baseline's anywhere. `None` when the listeners do not line up part by part (a
/// part added, a listener missing, several on a port): then they differ as wholes.
fn differing_parts(base: &Port, others: &[&Port]) -> Option<Vec<usize>> {
    let [b] = base.as_slice() else { return None };
    let mut at = std::collections::BTreeSet::new();
    for p in others {
        let [l] = p.as_slice() else { return None };
        if l.compared.len() != b.compared.len() {
            return None;
        }
        for (i, (x, y)) in b.compared.iter().zip(&l.compared).enumerate() {
            if x != y && !x.contains(AFTER_APPLY) && !y.contains(AFTER_APPLY) {
                at.insert(i);
            }
        }
    }
    (!at.is_empty()).then(|| at.into_iter().collect())
}

/// The shown parts of a port's single listener at `at`, joined.
fn parts_at(p: &Port, at: &[usize]) -> String {
    p.first()
        .map(|l| {
            at.iter()
                .filter_map(|&i| l.shown.get(i).map(String::as_str))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// The shown parts of a port's single listener not at `at`: what stays the same.
fn parts_but(p: &Port, at: &[usize]) -> String {
    p.first()
        .map(|l| {
            l.shown
                .iter()
                .enumerate()
                .filter(|(i, _)| !at.contains(i))
                .map(|(_, s)| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// Every listener finding.
pub fn findings(input: &Input<'_>) -> Vec<Finding> {
    let b = input.baseline;
    let per_env = balancers(input);
    let names: Vec<&str> = input.envs.iter().map(|e| e.name.as_str()).collect();
    let mut out = Vec::new();
    let mut keys: Vec<&String> = per_env.iter().flat_map(BTreeMap::keys).collect();
    keys.sort();
    keys.dedup();
    let empty = BTreeMap::new();
    for key in keys {
        // Listeners standing for themselves are there, or not, in every environment;
        // a balancer missing altogether is the generic lens's finding.
        let standalone = per_env
            .iter()
            .any(|m| m.get(key).is_some_and(|x| !x.resource));
        let present: Vec<Option<&BTreeMap<String, Port>>> = per_env
            .iter()
            .map(|m| match m.get(key) {
                Some(x) => Some(&x.ports),
                None if standalone => Some(&empty),
                None => None,
            })
            .collect();
        let Some(base) = present.get(b).copied().flatten() else {
            continue;
        };
        let Some(address) = per_env[b]
            .get(key)
            .or_else(|| per_env.iter().find_map(|m| m.get(key)))
            .map(|x| &x.address)
        else {
            continue;
        };
        let mut ports: Vec<&String> = present.iter().flatten().flat_map(|p| p.keys()).collect();
        ports.sort();
        ports.dedup();
        let none = Port::new();
        for port in ports {
            let base_port = base.get(port).unwrap_or(&none);
            let mut environments = BTreeMap::new();
            let mut differs = Vec::new();
            // The listener resources on this port in each environment, said when one is
            // not the balancer itself (an `aws_lb_listener`).
            let mut resources: BTreeMap<String, Vec<Address>> = BTreeMap::new();
            let mut own_writer = false;
            for (k, p) in present.iter().enumerate() {
                let Some(p) = p else { continue };
                let this = p.get(port).unwrap_or(&none);
                environments.insert(names[k].to_string(), describe(this));
                if k != b && !same_port(base_port, this) {
                    differs.push((k, this));
                }
                let balancer = per_env[k].get(key).map(|x| &x.address);
                let mut writers: Vec<Address> =
                    this.iter().filter_map(|l| l.writer.clone()).collect();
                writers.sort();
                writers.dedup();
                own_writer |= writers.iter().any(|w| Some(w) != balancer);
                if !writers.is_empty() {
                    resources.insert(names[k].to_string(), writers);
                }
            }
            if differs.is_empty() {
                continue;
            }
            if !own_writer {
                resources.clear();
            }
            // Where single listeners differ in a part or two (a TLS policy), the finding
            // names those parts, and they are what makes it one with others alike.
            let at = differing_parts(
                base_port,
                &differs.iter().map(|(_, p)| *p).collect::<Vec<_>>(),
            );
            let differing: BTreeMap<String, String> = match &at {
                Some(at) => present
                    .iter()
                    .enumerate()
                    .filter_map(|(k, p)| {
                        let this = p.as_ref()?.get(port).unwrap_or(&none);
                        Some((names[k].to_string(), parts_at(this, at)))
                    })
                    .collect(),
                None => BTreeMap::new(),
            };
            let sev = differs
                .iter()
                .map(|(k, this)| {
                    let internet = per_env[*k].get(key).is_some_and(|x| x.internet);
                    severity::listener(change(base_port, this), internet)
                })
                .max()
                .unwrap_or(Severity::Medium);
            let parts: Vec<String> = differs
                .iter()
                .map(|(k, this)| {
                    if this.is_empty() {
                        format!("absent in {}", names[*k])
                    } else {
                        format!("{} in {}", describe(this), names[*k])
                    }
                })
                .collect();
            let message = if let Some(at) = &at {
                let parts: Vec<String> = differs
                    .iter()
                    .map(|(k, this)| format!("{} in {}", parts_at(this, at), names[*k]))
                    .collect();
                let rest = parts_but(base_port, at);
                let rest = if rest.is_empty() {
                    String::new()
                } else {
                    format!(" (otherwise {rest})")
                };
                format!(
                    "{address} listener {port}: {} in {} but {}{rest}.",
                    parts_at(base_port, at),
                    names[b],
                    parts.join(", ")
                )
            } else if base_port.is_empty() {
                format!(
                    "{address} has no listener on {port} in {} but {}.",
                    names[b],
                    parts.join(", ")
                )
            } else {
                format!(
                    "{address} listener {port} is {} in {} but {}.",
                    describe(base_port),
                    names[b],
                    parts.join(", ")
                )
            };
            let path = AttrPath(vec![
                PathStep::Attr("listener".into()),
                PathStep::Key(port.as_str().into()),
            ]);
            out.push(Finding {
                resources,
                differing,
                id: Finding::stable_id(Category::Network, Kind::Listener, address, Some(&path)),
                category: Category::Network,
                kind: Kind::Listener,
                severity: sev,
                address: address.clone(),
                path: Some(path),
                environments,
                message,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
