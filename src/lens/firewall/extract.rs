//! Reads every firewall rule form into canonical rules attached to the logical group
//! they protect: AWS security groups (inline blocks, `aws_security_group_rule`, the
//! newer `aws_vpc_security_group_*_rule`), NACLs (inline and `aws_network_acl_rule`),
//! GCP `google_compute_firewall`, Azure NSGs (inline and `azurerm_network_security_rule`).
//! Addresses are moved into the baseline's frame; references become logical addresses.

use super::rule::{parse_protocol, Action, Direction, Peer, Ports, Protocols, Rule};
use super::space::Semantics;
use crate::model::{Address, Resource, Value};
use crate::normalize::{defaults, Context, Leaf};
use ipnet::IpNet;
use std::collections::BTreeMap;

/// How a group's rules are evaluated, per direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupSemantics {
    pub ingress: Semantics,
    pub egress: Semantics,
}

impl GroupSemantics {
    pub fn of(self, d: Direction) -> Semantics {
        match d {
            Direction::Ingress => self.ingress,
            Direction::Egress => self.egress,
        }
    }
}

const SECURITY_GROUP: GroupSemantics = GroupSemantics {
    ingress: Semantics {
        ordered: false,
        default_allow: false,
    },
    egress: Semantics {
        ordered: false,
        default_allow: false,
    },
};
const ORDERED_DENY: GroupSemantics = GroupSemantics {
    ingress: Semantics {
        ordered: true,
        default_allow: false,
    },
    egress: Semantics {
        ordered: true,
        default_allow: false,
    },
};
/// GCP's implied rules: deny all ingress, allow all egress.
const GCP: GroupSemantics = GroupSemantics {
    ingress: Semantics {
        ordered: true,
        default_allow: false,
    },
    egress: Semantics {
        ordered: true,
        default_allow: true,
    },
};

impl Reader<'_> {
    /// Azure's default security rules, which every NSG has below the written ones:
    /// inbound from the virtual network (its tag and its address space) and the load
    /// balancer, outbound to the virtual network and the internet, then deny.
    fn azure_defaults(&self) -> Vec<Rule> {
        let rules = |dir, prio, action, peers: Vec<Peer>| -> Vec<Rule> {
            peers
                .into_iter()
                .map(|peer| Rule {
                    direction: dir,
                    target: String::new(),
                    priority: prio,
                    action,
                    protocols: Protocols::ALL,
                    ports: Ports::ALL,
                    peer,
                })
                .collect()
        };
        let mut vnet = vec![Peer::Named("service tag VirtualNetwork".into())];
        vnet.extend(
            self.ctx
                .roots()
                .map(|(a, root)| rooted(&self.ctx.root_key(a), root, root)),
        );
        let mut all = self.nets("0.0.0.0/0");
        all.extend(self.nets("::/0"));
        let mut out = Vec::new();
        out.extend(rules(
            Direction::Ingress,
            65000,
            Action::Allow,
            vnet.clone(),
        ));
        out.extend(rules(
            Direction::Ingress,
            65001,
            Action::Allow,
            vec![Peer::Named("service tag AzureLoadBalancer".into())],
        ));
        out.extend(rules(Direction::Ingress, 65500, Action::Deny, all.clone()));
        out.extend(rules(Direction::Egress, 65000, Action::Allow, vnet));
        out.extend(rules(Direction::Egress, 65001, Action::Allow, all.clone()));
        out.extend(rules(Direction::Egress, 65500, Action::Deny, all));
        out
    }
}

/// The peer of a rule whose addresses are known only after apply.
pub const UNKNOWN_CIDRS: &str = "(addresses known after apply)";

/// The peer of a rule whose addresses are known only after apply but known to be those
/// of `source`, an attribute of a resource (`data.aws_vpc.main.cidr_block`): it
/// compares equal to the same source in another environment, and differs from another.
pub fn derived_cidrs(source: &str) -> String {
    format!("{DERIVED_CIDRS}{source}{DERIVED_CIDRS_END}")
}

/// How the name of a [`derived_cidrs`] peer begins and ends.
const DERIVED_CIDRS: &str = "addresses of ";
const DERIVED_CIDRS_END: &str = " (known after apply)";

/// Whether a named peer is addresses known only after apply: from a known source (see
/// [`derived_cidrs`]) or not ([`UNKNOWN_CIDRS`]), `Some(true)` and `Some(false)`.
pub fn after_apply_source(name: &str) -> Option<bool> {
    if name == UNKNOWN_CIDRS {
        Some(false)
    } else {
        Some(name.starts_with(DERIVED_CIDRS) && name.ends_with(DERIVED_CIDRS_END)).filter(|d| *d)
    }
}

/// The peer of a rule that names one known only after apply.
pub const UNKNOWN_PEER: &str = "(known after apply)";

/// Types whose every attribute belongs to the firewall lens: the generic lens reports
/// nothing about them (not even a missing instance: a rule written as another resource
/// is the same rule).
pub const RULE_TYPES: &[&str] = &[
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_network_acl_rule",
    "google_compute_firewall",
    "azurerm_network_security_rule",
];

/// Attributes of group types that the firewall lens compares instead of the generic one.
pub const RULE_ATTRS: &[(&str, &str)] = &[
    ("aws_security_group", "ingress"),
    ("aws_security_group", "egress"),
    ("aws_default_security_group", "ingress"),
    ("aws_default_security_group", "egress"),
    ("aws_network_acl", "ingress"),
    ("aws_network_acl", "egress"),
    ("aws_default_network_acl", "ingress"),
    ("aws_default_network_acl", "egress"),
    ("azurerm_network_security_group", "security_rule"),
];

/// Whether the firewall lens owns this attribute of this type (`None`: the whole
/// resource).
pub fn claims(rtype: &str, attr: Option<&str>) -> bool {
    RULE_TYPES.contains(&rtype) || attr.is_some_and(|a| RULE_ATTRS.contains(&(rtype, a)))
}

/// The rules that protect one group in one environment.
#[derive(Debug, Clone)]
pub struct Group {
    /// The group's logical address as this environment writes it.
    pub address: Address,
    /// The group is a resource of its own (a security group, a NACL, an NSG) whose
    /// absence the generic lens reports; otherwise it is made up from the rules (a
    /// GCP network, or a rule whose group is outside the state).
    pub is_resource: bool,
    pub semantics: GroupSemantics,
    pub rules: Vec<Rule>,
    /// Some rule names a peer known only after apply (a plan): differences in named
    /// peers (other groups, tags) cannot be told.
    pub unknown_peers: bool,
    /// The directions whose rules are known only after apply (a dynamic block over an
    /// unknown): no difference of them can be told. Rules whose addresses alone are
    /// unknown are kept, with the peer [`UNKNOWN_CIDRS`].
    pub unknown_rules: Vec<Direction>,
    /// Some of its rules are marked sensitive: reports say how it differs, not what.
    pub sensitive: bool,
    /// An Azure NSG: its default rules (65000 and up) apply under the written ones.
    pub azure: bool,
    /// The resources (positions in the environment) that write each rule: the group
    /// itself for an inline block, an `aws_security_group_rule` (…) for a rule of its
    /// own. A finding names the ones behind a difference.
    pub writers: BTreeMap<Rule, Vec<usize>>,
    /// The rules of `rules` whose address range also stands for each of the
    /// environment's own networks inside it (`10.0.0.0/8` covers every VPC in it), as if
    /// a rule of that network's offsets were written too. Those rules are not made: a
    /// comparison makes the ones it needs ([`super::covered`]), so that a group costs its
    /// rules, not its rules times the environment's networks.
    pub covers: std::collections::BTreeSet<Rule>,
}

/// Every group of an environment, keyed by its normalised logical address.
pub type Groups = BTreeMap<String, Group>;

/// Which group each rule resource attached to, by normalised address: the baseline's
/// answer for a rule whose group another environment does not know yet (a plan).
pub type Attachments = BTreeMap<String, String>;

struct Reader<'a> {
    ctx: &'a Context<'a>,
    groups: Groups,
    attached: Attachments,
    hints: Option<&'a Attachments>,
    /// The resource being read has attributes marked sensitive.
    current_sensitive: bool,
    /// The position of the resource being read: the writer of the rules it adds.
    current: usize,
    /// Resource positions by normalised address, for rules attached through hints.
    positions: Option<BTreeMap<String, usize>>,
    /// The group key of the resource being read when its group is outside the state
    /// but named by something that compares across environments (GCP's `default`
    /// network).
    external_key: Option<String>,
}

fn get<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    v.get(k).filter(|x| !x.is_null())
}

fn text(v: &Value, k: &str) -> Option<String> {
    match get(v, k)? {
        Value::Str(s) => Some(s.to_string()),
        Value::Num(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn int(v: &Value, k: &str) -> Option<i64> {
    match get(v, k)? {
        Value::Num(n) => n.as_i64(),
        Value::Str(s) => s.parse().ok(),
        _ => None,
    }
}

fn boolean(v: &Value, k: &str) -> bool {
    match get(v, k) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Str(s)) => s.as_ref() == "true",
        _ => false,
    }
}

fn strings(v: &Value, k: &str) -> Vec<String> {
    match get(v, k) {
        Some(Value::List(l)) => l
            .iter()
            .filter_map(|x| x.as_str())
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        Some(Value::Str(s)) if !s.is_empty() => vec![s.to_string()],
        _ => Vec::new(),
    }
}

fn blocks<'v>(v: &'v Value, k: &str) -> &'v [Value] {
    get(v, k).and_then(Value::as_list).unwrap_or(&[])
}

impl<'a> Reader<'a> {
    /// The normalised key of an address (instance keys that differ by design align).
    fn key(&self, a: &Address) -> String {
        self.ctx.logical(a).to_string()
    }

    fn group(
        &mut self,
        address: &Address,
        is_resource: bool,
        semantics: GroupSemantics,
    ) -> &mut Group {
        let key = match (&self.external_key, is_resource) {
            (Some(k), false) => k.clone(),
            _ => self.key(address),
        };
        self.groups.entry(key).or_insert_with(|| Group {
            address: address.clone(),
            is_resource,
            semantics,
            rules: Vec::new(),
            unknown_peers: false,
            unknown_rules: Vec::new(),
            sensitive: false,
            azure: false,
            writers: BTreeMap::new(),
            covers: Default::default(),
        })
    }

    /// The group a rule resource attaches to through `attr` (a security group id, a
    /// NACL id), or the rule resource itself when that group is not in the state.
    fn owner(&mut self, r: &'a Resource, attr: &str) -> (&'a Address, bool) {
        let mut found = match get(&r.attributes, attr) {
            // A plan that creates the group knows it only by reference.
            Some(Value::Ref(a)) => self.ctx.env.position(a),
            _ => text(&r.attributes, attr).and_then(|id| self.ctx.resolve(&id)),
        };
        let rule_key = self.key(&r.address);
        if found.is_none()
            && matches!(
                get(&r.attributes, attr),
                None | Some(Value::Unknown(_)) | Some(Value::Ref(_))
            )
        {
            // Not known yet: the group the baseline's rule of the same address protects.
            if let Some(group_key) = self.hints.and_then(|h| h.get(&rule_key)).cloned() {
                if self.positions.is_none() {
                    // Every resource by key, built once for all the rules that need it.
                    let ctx = self.ctx;
                    self.positions = Some(
                        ctx.env
                            .resources
                            .iter()
                            .enumerate()
                            .map(|(i, x)| (ctx.logical(&x.address).to_string(), i))
                            .collect(),
                    );
                }
                found = self
                    .positions
                    .as_ref()
                    .and_then(|m| m.get(&group_key).copied());
            }
        }
        match found {
            Some(i) => {
                let a = &self.ctx.env.resources[i].address;
                self.attached.insert(rule_key, self.key(a));
                (a, true)
            }
            None => {
                // A group outside the state named by a name or URL (not an opaque id)
                // is the same group in every environment that names it alike.
                if let Some(Value::Str(s)) = get(&r.attributes, attr) {
                    if let crate::normalize::Leaf::Text(t) = self.ctx.leaf_unresolved(s) {
                        self.external_key = Some(format!("{attr} {t}"));
                    }
                }
                (&r.address, false)
            }
        }
    }

    /// A peer that names another resource (a security group, a prefix list).
    /// The peers of the entries of `keys` known only after apply: the addresses of the
    /// attribute they are known to be (`data.aws_vpc.main.cidr_block`, by logical
    /// address, so that the same source compares equal across environments), or
    /// [`UNKNOWN_CIDRS`] when nothing says where they come from.
    fn unknown_addresses(&self, v: &Value, keys: &[&str]) -> Vec<Peer> {
        let mut names: Vec<String> = Vec::new();
        for k in keys {
            let items: &[Value] = match get(v, k) {
                Some(Value::List(l)) => l,
                Some(x @ Value::Unknown(_)) => std::slice::from_ref(x),
                _ => &[],
            };
            for x in items {
                if let Value::Unknown(origin) = x {
                    names.push(match origin {
                        Some(d) => {
                            derived_cidrs(&format!("{}.{}", self.ctx.logical(&d.address), d.attr))
                        }
                        None => UNKNOWN_CIDRS.into(),
                    });
                }
            }
        }
        names.sort();
        names.dedup();
        names.into_iter().map(Peer::Named).collect()
    }

    fn named(&self, kind: &str, id: &str) -> Peer {
        match self.ctx.leaf_str(id) {
            Leaf::Ref(a) => Peer::Named(format!("{kind} {a}")),
            Leaf::Text(t) => Peer::Named(format!("{kind} {t}")),
            _ => Peer::Named(format!("{kind} (outside the environment)")),
        }
    }

    /// An address range as peers: inside one of the environment's own networks it is
    /// an offset range there (so that each environment's VPC compares with the
    /// other's); a range containing own networks also covers them whole (the rule is
    /// marked in [`Group::covers`] when pushed, not repeated per network).
    fn nets(&self, s: &str) -> Vec<Peer> {
        let Some(n) = s
            .trim()
            .parse::<IpNet>()
            .ok()
            .or_else(|| s.trim().parse::<std::net::IpAddr>().ok().map(IpNet::from))
        else {
            return Vec::new();
        };
        if let Some((root_addr, root)) = self.ctx.root_of(&n) {
            return vec![rooted(&self.ctx.root_key(root_addr), root, n)];
        }
        vec![Peer::Net(n)]
    }

    /// Adds a rule per peer to the group at `address`. `covering`: its address ranges
    /// (from [`Reader::nets`]) stand for the own networks inside them too.
    fn push(
        &mut self,
        address: &Address,
        is_resource: bool,
        sem: GroupSemantics,
        template: &Rule,
        peers: Vec<Peer>,
        covering: bool,
    ) {
        let sensitive = self.current_sensitive;
        let writer = self.current;
        let g = self.group(address, is_resource, sem);
        g.sensitive |= sensitive;
        for peer in peers {
            let r = Rule {
                peer,
                ..template.clone()
            };
            if covering && matches!(r.peer, Peer::Net(_)) {
                g.covers.insert(r.clone());
            }
            g.writers.entry(r.clone()).or_default().push(writer);
            g.rules.push(r);
        }
    }

    /// AWS security-group peers of a block or rule resource.
    fn sg_peers(&self, v: &Value, own: &Address) -> Vec<Peer> {
        let mut peers: Vec<Peer> = strings(v, "cidr_blocks")
            .iter()
            .chain(strings(v, "ipv6_cidr_blocks").iter())
            .chain(strings(v, "cidr_ipv4").iter())
            .chain(strings(v, "cidr_ipv6").iter())
            .flat_map(|c| self.nets(c))
            .collect();
        peers.extend(self.unknown_addresses(
            v,
            &[
                "cidr_blocks",
                "ipv6_cidr_blocks",
                "cidr_ipv4",
                "cidr_ipv6",
                "prefix_list_ids",
            ],
        ));
        for id in strings(v, "prefix_list_ids")
            .iter()
            .chain(strings(v, "prefix_list_id").iter())
        {
            peers.push(self.named("prefix list", id));
        }
        for id in strings(v, "security_groups")
            .iter()
            .chain(strings(v, "source_security_group_id").iter())
            .chain(strings(v, "referenced_security_group_id").iter())
        {
            peers.push(self.named("security group", id));
        }
        if boolean(v, "self") {
            peers.push(Peer::Named(format!("security group {}", self.key(own))));
        }
        for k in [
            "security_groups",
            "source_security_group_id",
            "referenced_security_group_id",
        ] {
            match get(v, k) {
                Some(Value::Unknown(_)) => peers.push(Peer::Named(UNKNOWN_PEER.into())),
                Some(Value::List(l)) if l.iter().any(|x| matches!(x, Value::Unknown(_))) => {
                    peers.push(Peer::Named(UNKNOWN_PEER.into()))
                }
                Some(Value::Ref(a)) => peers.push(Peer::Named(format!(
                    "security group {}",
                    self.ctx.logical(a)
                ))),
                Some(Value::List(l)) => {
                    for x in l.iter() {
                        if let Value::Ref(a) = x {
                            peers.push(Peer::Named(format!(
                                "security group {}",
                                self.ctx.logical(a)
                            )));
                        }
                    }
                }
                _ => {}
            }
        }
        peers
    }

    /// Protocol and ports of an AWS rule: `-1` means every port whatever is written.
    fn aws_proto_ports(v: &Value, proto_attr: &str) -> Option<(Protocols, Ports)> {
        let protocols = parse_protocol(&text(v, proto_attr)?)?;
        let ports = if protocols.is_all() {
            Ports::ALL
        } else {
            match (int(v, "from_port"), int(v, "to_port")) {
                (Some(a), Some(b)) if protocols.has_ports() => Ports::range(a, b),
                // ICMP: from_port is the type, -1 any.
                (Some(t), _) if !protocols.has_ports() && (0..=255).contains(&t) => {
                    Ports::range(t, t)
                }
                _ => Ports::ALL,
            }
        };
        Some((protocols, ports))
    }

    fn aws_security_group(&mut self, r: &'a Resource) {
        for (dir, attr) in [
            (Direction::Ingress, "ingress"),
            (Direction::Egress, "egress"),
        ] {
            if matches!(r.attributes.get(attr), Some(Value::Unknown(_))) {
                self.group(&r.address, true, SECURITY_GROUP)
                    .unknown_rules
                    .push(dir);
            }
        }
        for (dir, attr) in [
            (Direction::Ingress, "ingress"),
            (Direction::Egress, "egress"),
        ] {
            for b in blocks(&r.attributes, attr) {
                let Some((protocols, ports)) = Self::aws_proto_ports(b, "protocol") else {
                    continue;
                };
                let template = rule(dir, 0, Action::Allow, protocols, ports);
                let peers = self.sg_peers(b, &r.address);
                self.push(&r.address, true, SECURITY_GROUP, &template, peers, true);
            }
        }
        // A security group without rules still exists, and allows nothing.
        self.group(&r.address, true, SECURITY_GROUP);
    }

    fn aws_security_group_rule(&mut self, r: &'a Resource) {
        let dir = match text(&r.attributes, "type").as_deref() {
            Some("egress") => Direction::Egress,
            _ => Direction::Ingress,
        };
        self.aws_rule_resource(r, dir, "protocol");
    }

    /// A security-group rule written as its own resource (`aws_security_group_rule`,
    /// `aws_vpc_security_group_*_rule`): one allowance attached to the group it names.
    fn aws_rule_resource(&mut self, r: &'a Resource, dir: Direction, protocol_attr: &str) {
        let v = &r.attributes;
        let Some((protocols, ports)) = Self::aws_proto_ports(v, protocol_attr) else {
            return;
        };
        let (owner, is_resource) = self.owner(r, "security_group_id");
        let peers = self.sg_peers(v, owner);
        self.push(
            owner,
            is_resource,
            SECURITY_GROUP,
            &rule(dir, 0, Action::Allow, protocols, ports),
            peers,
            true,
        );
    }

    fn nacl_entry(
        &mut self,
        owner: &Address,
        is_resource: bool,
        v: &Value,
        dir: Direction,
        number: &str,
        action: &str,
    ) {
        let Some(protocols) = text(v, "protocol").and_then(|p| parse_protocol(&p)) else {
            return;
        };
        let ports = if protocols.is_all() {
            Ports::ALL
        } else if protocols.has_ports() {
            Ports::range(
                int(v, "from_port").unwrap_or(0),
                int(v, "to_port").unwrap_or(65535),
            )
        } else {
            match int(v, "icmp_type") {
                Some(t) if (0..=255).contains(&t) => Ports::range(t, t),
                _ => Ports::ALL,
            }
        };
        let action = match text(v, action).map(|a| a.to_ascii_lowercase()).as_deref() {
            Some("deny") => Action::Deny,
            _ => Action::Allow,
        };
        let priority = int(v, number).unwrap_or(i64::MAX);
        let mut peers: Vec<Peer> = strings(v, "cidr_block")
            .iter()
            .chain(strings(v, "ipv6_cidr_block").iter())
            .flat_map(|c| self.nets(c))
            .collect();
        peers.extend(self.unknown_addresses(v, &["cidr_block", "ipv6_cidr_block"]));
        self.push(
            owner,
            is_resource,
            ORDERED_DENY,
            &rule(dir, priority, action, protocols, ports),
            peers,
            true,
        );
    }

    fn aws_network_acl(&mut self, r: &'a Resource) {
        for (dir, attr) in [
            (Direction::Ingress, "ingress"),
            (Direction::Egress, "egress"),
        ] {
            for b in blocks(&r.attributes, attr) {
                self.nacl_entry(&r.address, true, b, dir, "rule_no", "action");
            }
        }
        self.group(&r.address, true, ORDERED_DENY);
    }

    fn aws_network_acl_rule(&mut self, r: &'a Resource) {
        let dir = if boolean(&r.attributes, "egress") {
            Direction::Egress
        } else {
            Direction::Ingress
        };
        let (owner, is_resource) = self.owner(r, "network_acl_id");
        self.nacl_entry(
            owner,
            is_resource,
            &r.attributes,
            dir,
            "rule_number",
            "rule_action",
        );
    }

    fn google_compute_firewall(&mut self, r: &'a Resource) {
        let v = &r.attributes;
        if boolean(v, "disabled") {
            return;
        }
        // Unset, direction and priority are the provider's documented defaults.
        let default = |k: &str| defaults::text(&r.address.rtype, k);
        let dir = match text(v, "direction")
            .or_else(|| default("direction"))
            .map(|d| d.to_ascii_uppercase())
            .as_deref()
        {
            Some("EGRESS") => Direction::Egress,
            _ => Direction::Ingress,
        };
        let (owner, is_resource) = self.owner(r, "network");
        let priority = int(v, "priority")
            .or_else(|| default("priority").and_then(|p| p.parse().ok()))
            .unwrap_or(i64::MAX);
        let mut targets: Vec<String> = strings(v, "target_tags")
            .iter()
            .map(|t| format!("tag {}", self.ctx.text(t)))
            .collect();
        targets.extend(
            strings(v, "target_service_accounts")
                .iter()
                .map(|t| format!("service account {}", self.ctx.text(t))),
        );
        targets.sort();
        let target = targets.join(", ");
        let mut peers: Vec<Peer> = Vec::new();
        let ranges = if dir == Direction::Ingress {
            "source_ranges"
        } else {
            "destination_ranges"
        };
        peers.extend(strings(v, ranges).iter().flat_map(|c| self.nets(c)));
        peers.extend(self.unknown_addresses(v, &[ranges]));
        if dir == Direction::Ingress {
            peers.extend(
                strings(v, "source_tags")
                    .iter()
                    .map(|t| Peer::Named(format!("tag {}", self.ctx.text(t)))),
            );
            peers.extend(
                strings(v, "source_service_accounts")
                    .iter()
                    .map(|t| Peer::Named(format!("service account {}", self.ctx.text(t)))),
            );
        }
        // No source or destination given: GCP applies the rule to every address (as an
        // address range only, not standing for the own networks).
        let covering = !peers.is_empty();
        if peers.is_empty() {
            peers.push(Peer::Net(IpNet::V4(Default::default())));
        }
        for (action, attr) in [(Action::Allow, "allow"), (Action::Deny, "deny")] {
            for b in blocks(v, attr) {
                let Some(protocols) = text(b, "protocol").and_then(|p| parse_protocol(&p)) else {
                    continue;
                };
                let mut port_list: Vec<Ports> = strings(b, "ports")
                    .iter()
                    .filter_map(|p| Ports::parse(p))
                    .collect();
                if port_list.is_empty() {
                    port_list.push(Ports::ALL);
                }
                for ports in port_list {
                    let mut template = rule(dir, priority, action, protocols, ports);
                    template.target = target.clone();
                    self.push(owner, is_resource, GCP, &template, peers.clone(), covering);
                }
            }
        }
        if !is_resource {
            self.group(owner, false, GCP);
        }
    }

    /// Azure address prefixes: CIDRs and IPs, `*`, or service tags.
    fn azure_peers(&self, v: &Value, single: &str, plural: &str) -> Vec<Peer> {
        let mut out = Vec::new();
        for p in strings(v, single).iter().chain(strings(v, plural).iter()) {
            match p.to_ascii_lowercase().as_str() {
                "*" | "any" | "internet" => {
                    out.extend(self.nets("0.0.0.0/0"));
                    out.extend(self.nets("::/0"));
                }
                _ => {
                    let nets = self.nets(p);
                    if nets.is_empty() {
                        out.push(Peer::Named(format!("service tag {p}")));
                    }
                    out.extend(nets);
                }
            }
        }
        for id in strings(
            v,
            &single.replace("address_prefix", "application_security_group_ids"),
        ) {
            out.push(self.named("application security group", &id));
        }
        out.extend(self.unknown_addresses(v, &[single, plural]));
        out
    }

    fn azure_rule(&mut self, owner: &Address, is_resource: bool, v: &Value) {
        self.group(owner, is_resource, ORDERED_DENY).azure = true;
        let dir = match text(v, "direction")
            .map(|d| d.to_ascii_lowercase())
            .as_deref()
        {
            Some("outbound") => Direction::Egress,
            _ => Direction::Ingress,
        };
        let action = match text(v, "access").map(|a| a.to_ascii_lowercase()).as_deref() {
            Some("deny") => Action::Deny,
            _ => Action::Allow,
        };
        let Some(protocols) = text(v, "protocol").and_then(|p| parse_protocol(&p)) else {
            return;
        };
        let priority = int(v, "priority").unwrap_or(4096);
        let mut ports: Vec<Ports> = strings(v, "destination_port_range")
            .iter()
            .chain(strings(v, "destination_port_ranges").iter())
            .filter_map(|p| Ports::parse(p))
            .collect();
        if ports.is_empty() {
            ports.push(Ports::ALL);
        }
        let (peer_side, target_side) = match dir {
            Direction::Ingress => ("source", "destination"),
            Direction::Egress => ("destination", "source"),
        };
        let peers = self.azure_peers(
            v,
            &format!("{peer_side}_address_prefix"),
            &format!("{peer_side}_address_prefixes"),
        );
        let (ts, tp) = (
            format!("{target_side}_address_prefix"),
            format!("{target_side}_address_prefixes"),
        );
        let everywhere = strings(v, &ts)
            .iter()
            .chain(strings(v, &tp).iter())
            .any(|p| matches!(p.to_ascii_lowercase().as_str(), "*" | "any" | "0.0.0.0/0"));
        let mut targets: Vec<String> = if everywhere {
            Vec::new()
        } else {
            self.azure_peers(v, &ts, &tp)
                .iter()
                .map(|p| p.to_string())
                .collect()
        };
        targets.sort();
        targets.dedup();
        for p in ports {
            let mut template = rule(dir, priority, action, protocols, p);
            template.target = targets.join(", ");
            self.push(
                owner,
                is_resource,
                ORDERED_DENY,
                &template,
                peers.clone(),
                true,
            );
        }
    }

    fn azurerm_network_security_group(&mut self, r: &'a Resource) {
        for b in blocks(&r.attributes, "security_rule") {
            self.azure_rule(&r.address, true, b);
        }
        self.group(&r.address, true, ORDERED_DENY).azure = true;
    }

    fn azurerm_network_security_rule(&mut self, r: &'a Resource) {
        let (owner, is_resource) = self.owner(r, "network_security_group_name");
        self.azure_rule(owner, is_resource, &r.attributes);
    }
}

/// `net` inside `root` as offsets.
pub(super) fn rooted(key: &str, root: IpNet, net: IpNet) -> Peer {
    let (lo, hi, base) = match (net, root) {
        (IpNet::V4(n), IpNet::V4(r)) => (
            u128::from(u32::from(n.network())),
            u128::from(u32::from(n.broadcast())),
            u128::from(u32::from(r.network())),
        ),
        (IpNet::V6(n), IpNet::V6(r)) => (
            u128::from(n.network()),
            u128::from(n.broadcast()),
            u128::from(r.network()),
        ),
        _ => return Peer::Net(net),
    };
    Peer::Rooted {
        root: key.to_string(),
        v6: matches!(net, IpNet::V6(_)),
        lo: lo - base,
        hi: hi - base,
    }
}

fn rule(
    direction: Direction,
    priority: i64,
    action: Action,
    protocols: Protocols,
    ports: Ports,
) -> Rule {
    Rule {
        direction,
        target: String::new(),
        priority,
        action,
        protocols,
        ports,
        peer: Peer::Named(String::new()),
    }
}

/// Reads every firewall rule of the environment behind `ctx`; `hints` are the
/// baseline's attachments, for rules whose group is not known yet.
pub fn groups<'a>(ctx: &'a Context<'a>, hints: Option<&'a Attachments>) -> (Groups, Attachments) {
    let mut reader = Reader {
        ctx,
        groups: BTreeMap::new(),
        attached: BTreeMap::new(),
        hints,
        current_sensitive: false,
        current: 0,
        external_key: None,
        positions: None,
    };
    for (i, r) in ctx.env.resources.iter().enumerate() {
        if r.address.mode != crate::model::Mode::Managed {
            continue;
        }
        reader.current = i;
        reader.current_sensitive = !r.sensitive.is_empty();
        reader.external_key = None;
        match r.address.rtype.as_str() {
            "aws_security_group" | "aws_default_security_group" => reader.aws_security_group(r),
            "aws_security_group_rule" => reader.aws_security_group_rule(r),
            "aws_vpc_security_group_ingress_rule" => {
                reader.aws_rule_resource(r, Direction::Ingress, "ip_protocol")
            }
            "aws_vpc_security_group_egress_rule" => {
                reader.aws_rule_resource(r, Direction::Egress, "ip_protocol")
            }
            "aws_network_acl" | "aws_default_network_acl" => reader.aws_network_acl(r),
            "aws_network_acl_rule" => reader.aws_network_acl_rule(r),
            "google_compute_firewall" => reader.google_compute_firewall(r),
            "azurerm_network_security_group" => reader.azurerm_network_security_group(r),
            "azurerm_network_security_rule" => reader.azurerm_network_security_rule(r),
            _ => {}
        }
    }
    let defaults = reader.azure_defaults();
    for g in reader.groups.values_mut() {
        if g.azure {
            g.rules.extend(defaults.iter().cloned());
            g.covers.extend(
                defaults
                    .iter()
                    .filter(|r| matches!(r.peer, Peer::Net(_)))
                    .cloned(),
            );
        }
        g.rules.sort();
        g.rules.dedup();
        let unknown_peer = Peer::Named(UNKNOWN_PEER.into());
        g.unknown_peers = g.rules.iter().any(|r| r.peer == unknown_peer);
        g.rules.retain(|r| r.peer != unknown_peer);
    }
    (reader.groups, reader.attached)
}
