//! An environment: its resources in address order and the graph between them. Built by
//! sources, extended with reference edges by normalisation; knows nothing of files.

use super::address::Address;
use super::resource::{AttrPath, Resource};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

/// What kind of input an environment was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceKind {
    /// A raw state file (`terraform.tfstate`, v3 or v4).
    State,
    /// `terraform show -json` of a state.
    ShowState,
    /// `terraform show -json` of a saved plan (the planned values).
    Plan,
    /// An HCL root module.
    Hcl,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::State => "state",
            SourceKind::ShowState => "show-state",
            SourceKind::Plan => "plan",
            SourceKind::Hcl => "hcl",
        }
    }
}

/// Where an environment came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub kind: SourceKind,
    /// The path as the user gave it (`-` for standard input).
    pub path: String,
}

/// Why there is an edge between two resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edge {
    /// The state recorded a dependency.
    Dependency,
    /// An attribute of the source holds the target's identifier.
    Attribute(AttrPath),
}

/// Above this many instances, a dependency on a whole block adds no per-instance edges.
pub const MAX_FANOUT: usize = 64;

/// A hasher for keys that are already hashes.
#[derive(Debug, Default, Clone, Copy)]
pub struct PrehashedKey(u64);

impl std::hash::Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Identifier → resource position, keyed by a 64-bit hash of the identifier;
/// `u32::MAX` when several resources share it. Filled once by normalisation.
#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    pub map: HashMap<u64, u32, std::hash::BuildHasherDefault<PrehashedKey>>,
    /// Which identifier lengths occur (bit per length below 1024): most strings are
    /// ruled out without hashing them.
    pub lengths: Vec<u64>,
}

impl IdIndex {
    pub fn may_hold(&self, len: usize) -> bool {
        len >= 1024
            || self
                .lengths
                .get(len / 64)
                .is_some_and(|w| w & (1 << (len % 64)) != 0)
    }

    pub fn note_length(&mut self, len: usize) {
        if len < 1024 {
            if self.lengths.len() < 16 {
                self.lengths.resize(16, 0);
            }
            self.lengths[len / 64] |= 1 << (len % 64);
        }
    }
}

/// The position in a list of roots (most specific first, then in declaration order) of
/// the first one containing an address, found by looking up the address's network at
/// each prefix length some root has: at most 33 (IPv4) or 129 (IPv6) hash lookups,
/// whatever the number of roots.
#[derive(Debug, Clone, Default)]
pub struct RootIndex {
    /// The first position of each root network (host bits cleared).
    first: HashMap<ipnet::IpNet, usize>,
    /// The prefix lengths of IPv4 and IPv6 roots, longest first.
    v4: Vec<u8>,
    v6: Vec<u8>,
}

impl RootIndex {
    pub fn new(roots: &[(ipnet::IpNet, u32)]) -> RootIndex {
        let mut index = RootIndex::default();
        for (i, (net, _)) in roots.iter().enumerate() {
            index.first.entry(net.trunc()).or_insert(i);
            let lens = match net {
                ipnet::IpNet::V4(_) => &mut index.v4,
                ipnet::IpNet::V6(_) => &mut index.v6,
            };
            if !lens.contains(&net.prefix_len()) {
                lens.push(net.prefix_len());
            }
        }
        index.v4.sort_unstable_by(|a, b| b.cmp(a));
        index.v6.sort_unstable_by(|a, b| b.cmp(a));
        index
    }

    /// The position of the first root `r` (in the order the index was built from) with
    /// `r.contains(net)` and a prefix no longer than `net`'s.
    pub fn find(&self, net: &ipnet::IpNet) -> Option<usize> {
        let lens = match net {
            ipnet::IpNet::V4(_) => &self.v4,
            ipnet::IpNet::V6(_) => &self.v6,
        };
        // Roots are most specific first: the longest prefix that holds one wins, and
        // among roots of one network the first.
        lens.iter()
            .filter(|&&p| p <= net.prefix_len())
            .find_map(|&p| {
                let candidate = ipnet::IpNet::new(net.addr(), p).ok()?.trunc();
                self.first.get(&candidate).copied()
            })
    }
}

/// What normalisation reads from an environment's resources, gathered once.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub ids: IdIndex,
    /// Address-space roots (a VPC's CIDR) with the declaring resource's position, most
    /// specific first.
    pub roots: Vec<(ipnet::IpNet, u32)>,
    /// `roots` by network, to find the root of an address without scanning them all.
    pub root_index: RootIndex,
    /// GCP project ids, lower case, longest first.
    pub projects: Vec<String>,
    /// The environment's own 12-digit AWS account ids.
    pub accounts: Vec<String>,
}

/// One environment.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub source: Source,
    /// Resource instances sorted by address, addresses unique.
    pub resources: Vec<Resource>,
    /// Node `i` is `resources[i]`.
    pub graph: DiGraph<u32, Edge>,
    /// Facts for normalisation, gathered on first use.
    pub facts: std::sync::OnceLock<Facts>,
    /// What the source could not read fully (an HCL block left unexpanded), for the user.
    pub warnings: Vec<String>,
    /// Where each instance and each resource block is written (`infra/main.tf:12:1`),
    /// when the source is a configuration.
    pub origins: std::collections::BTreeMap<Address, Box<str>>,
    /// Resource blocks a configuration could not expand, wholly or in part (`count` /
    /// `for_each` known only after apply): their instances are not known to be missing.
    pub unexpanded: Vec<(Address, NotExpanded)>,
    /// Module calls a configuration could not expand or read: likewise for everything
    /// inside them.
    pub unexpanded_modules: Vec<(Vec<super::address::ModuleStep>, NotExpanded)>,
    /// AWS account ids a configuration names as its own (a variable or local named for
    /// an account, holding 12 digits): a state's resources say so in their ARNs, a
    /// configuration's are known only after apply.
    pub declared_accounts: Vec<String>,
    /// Where a configuration's root module calls each module (call name →
    /// `envs/prod/main.tf:12:1`): in a folder per environment, where its inputs are.
    pub root_calls: std::collections::BTreeMap<String, Box<str>>,
}

/// Why part of a configuration was not (wholly) expanded or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotExpanded {
    /// Its `count` is known only after apply.
    Count,
    /// Its `for_each` is known only after apply.
    ForEach,
    /// Some of its `for_each` keys are known only after apply; the known ones are read.
    SomeKeys,
    /// A module call whose source could not be had: why, said for a reader.
    Source(String),
}

impl NotExpanded {
    /// Why, as the end of a sentence: `its count is known only after apply`.
    pub fn reason(&self) -> String {
        match self {
            NotExpanded::Count => "its count is known only after apply".into(),
            NotExpanded::ForEach => "its for_each is known only after apply".into(),
            NotExpanded::SomeKeys => "some of its for_each keys are known only after apply".into(),
            NotExpanded::Source(why) => why.clone(),
        }
    }
}

impl Environment {
    /// Builds an environment: sorts resources, rejects duplicate addresses (returning
    /// the first duplicate), and adds dependency edges.
    pub fn new(
        name: String,
        source: Source,
        mut resources: Vec<Resource>,
    ) -> Result<Environment, Address> {
        resources.sort_by(|a, b| a.address.cmp(&b.address));
        if let Some(w) = resources.windows(2).find(|w| w[0].address == w[1].address) {
            return Err(w[0].address.clone());
        }
        let mut graph = DiGraph::with_capacity(resources.len(), resources.len());
        for i in 0..resources.len() {
            graph.add_node(i as u32);
        }
        let mut env = Environment {
            name,
            source,
            resources,
            graph,
            facts: std::sync::OnceLock::new(),
            warnings: Vec::new(),
            origins: std::collections::BTreeMap::new(),
            unexpanded: Vec::new(),
            unexpanded_modules: Vec::new(),
            declared_accounts: Vec::new(),
            root_calls: std::collections::BTreeMap::new(),
        };
        env.add_dependency_edges();
        Ok(env)
    }

    /// For tests: the environment with every string leaf equal to `"?"` known only
    /// after apply.
    #[cfg(test)]
    pub fn with_unknowns(mut self) -> Environment {
        for r in self.resources.iter_mut() {
            r.attributes =
                std::mem::replace(&mut r.attributes, super::value::Value::Null).unknown_where("?");
        }
        self
    }

    /// For tests: the environment as read from a configuration (HCL).
    #[cfg(test)]
    pub fn declared(mut self) -> Environment {
        self.source.kind = SourceKind::Hcl;
        self
    }

    /// An environment built from `(address, attributes JSON)` pairs, for tests.
    #[cfg(test)]
    pub fn for_tests(name: &str, resources: &[(&str, &str)]) -> crate::TestResult<Environment> {
        let mut rs = Vec::with_capacity(resources.len());
        for (a, attrs) in resources {
            rs.push(Resource::new(
                Address::parse(a)?,
                serde_json::from_str(attrs)?,
            ));
        }
        Ok(Environment::new(
            name.into(),
            Source {
                kind: SourceKind::State,
                path: name.into(),
            },
            rs,
        )
        .map_err(|a| format!("duplicate test address {a}"))?)
    }

    /// The position of an instance by address.
    pub fn position(&self, addr: &Address) -> Option<usize> {
        self.resources
            .binary_search_by(|r| r.address.cmp(addr))
            .ok()
    }

    pub fn get(&self, addr: &Address) -> Option<&Resource> {
        self.position(addr).map(|i| &self.resources[i])
    }

    /// Adds an edge `from → to` labelled `edge`.
    pub fn add_edge(&mut self, from: usize, to: usize, edge: Edge) {
        self.graph
            .add_edge(NodeIndex::new(from), NodeIndex::new(to), edge);
    }

    /// Outgoing edges of resource `i`: (target, label).
    pub fn edges_from(&self, i: usize) -> impl Iterator<Item = (usize, &Edge)> {
        use petgraph::visit::EdgeRef;
        self.graph
            .edges(NodeIndex::new(i))
            .map(|e| (e.target().index(), e.weight()))
    }

    /// State dependencies are config addresses (`module.net.aws_vpc.this`). A dependency
    /// resolves to the instances of that block in the same module instance when there
    /// are any, otherwise in every module instance. When the dependent's instance key
    /// exists in the target block (`aws_route_table_association.a[1]` on
    /// `aws_subnet.a`), the edge goes to that instance only; otherwise to every instance,
    /// unless the block has more than [`MAX_FANOUT`] of them (the edge would say nothing
    /// a lens can use, and would make the graph quadratic).
    fn add_dependency_edges(&mut self) {
        // Resources are sorted, so the instances of one block in one module instance
        // are a contiguous range.
        let mut ranges: HashMap<(Address, &[super::address::ModuleStep]), (u32, u32)> =
            HashMap::new();
        let mut by_config: HashMap<Address, Vec<(u32, u32)>> = HashMap::new();
        let mut i = 0;
        let n = self.resources.len();
        while i < n {
            let a = &self.resources[i].address;
            let mut j = i + 1;
            while j < n && a.same_block(&self.resources[j].address) {
                j += 1;
            }
            let config = a.config();
            ranges.insert((config.clone(), &a.module), (i as u32, j as u32));
            by_config
                .entry(config)
                .or_default()
                .push((i as u32, j as u32));
            i = j;
        }
        let mut edges = Vec::new();
        for (i, r) in self.resources.iter().enumerate() {
            for dep in &r.dependencies {
                let chosen: Vec<(u32, u32)> =
                    match ranges.get(&(dep.clone(), r.address.module.as_slice())) {
                        Some(range) => vec![*range],
                        None => match by_config.get(dep) {
                            Some(all) => all.clone(),
                            None => continue,
                        },
                    };
                // Across module instances the fan-out limit counts every instance.
                let total: u32 = chosen.iter().map(|(s, e)| e - s).sum();
                let many = chosen.len() > 1 && total as usize > MAX_FANOUT;
                for (start, end) in chosen {
                    let slice = &self.resources[start as usize..end as usize];
                    let keyed = r.address.key.as_ref().and_then(|k| {
                        slice
                            .binary_search_by(|t| t.address.key.as_ref().cmp(&Some(k)))
                            .ok()
                    });
                    match keyed {
                        Some(pos) => edges.push((i, start as usize + pos)),
                        None if slice.len() <= MAX_FANOUT && !many => {
                            edges.extend((start as usize..end as usize).map(|t| (i, t)));
                        }
                        None => {}
                    }
                }
            }
        }
        edges.retain(|(a, b)| a != b);
        drop(ranges);
        for (a, b) in edges {
            self.add_edge(a, b, Edge::Dependency);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::Value;

    fn res(addr: &str, deps: &[&str]) -> crate::TestResult<Resource> {
        let mut r = Resource::new(Address::parse(addr)?, Value::object(vec![]));
        r.dependencies = deps
            .iter()
            .map(|d| Address::parse(d))
            .collect::<Result<_, _>>()?;
        Ok(r)
    }

    fn src() -> Source {
        Source {
            kind: SourceKind::State,
            path: "x".into(),
        }
    }

    #[test]
    fn sorts_and_links_dependencies() -> crate::TestResult {
        let env = Environment::new(
            "e".into(),
            src(),
            vec![
                res(r#"module.n["b"].aws_subnet.s[0]"#, &["module.n.aws_vpc.v"])?,
                res(r#"module.n["a"].aws_vpc.v"#, &[])?,
                res(r#"module.n["b"].aws_vpc.v"#, &[])?,
                res(
                    "aws_instance.i",
                    &["module.n.aws_subnet.s", "aws_missing.m"],
                )?,
            ],
        )
        .map_err(|a| format!("duplicate address {a}"))?;
        let names: Vec<String> = env
            .resources
            .iter()
            .map(|r| r.address.to_string())
            .collect();
        assert_eq!(
            names,
            [
                "aws_instance.i",
                r#"module.n["a"].aws_vpc.v"#,
                r#"module.n["b"].aws_subnet.s[0]"#,
                r#"module.n["b"].aws_vpc.v"#
            ]
        );
        let sub = env
            .position(&Address::parse(r#"module.n["b"].aws_subnet.s[0]"#)?)
            .ok_or("missing")?;
        let targets: Vec<usize> = env.edges_from(sub).map(|(t, _)| t).collect();
        assert_eq!(targets, vec![3], "same module instance only");
        let inst: Vec<usize> = env.edges_from(0).map(|(t, _)| t).collect();
        assert_eq!(inst, vec![2]);
        Ok(())
    }

    #[test]
    fn keyed_dependencies_link_the_same_key() -> crate::TestResult {
        let mut rs: Vec<Resource> = (0..3)
            .map(|i| res(&format!("aws_subnet.s[{i}]"), &[]))
            .collect::<Result<_, _>>()?;
        for i in 0..3 {
            rs.push(res(
                &format!("aws_route_table_association.a[{i}]"),
                &["aws_subnet.s"],
            )?);
        }
        rs.push(res("aws_lb.l", &["aws_subnet.s"])?);
        // A block over the fan-out limit is not linked instance by instance.
        for i in 0..=MAX_FANOUT {
            rs.push(res(&format!("aws_x.big[{i}]"), &[])?);
        }
        rs.push(res(r#"aws_y.y["k"]"#, &["aws_x.big"])?);
        let env = Environment::new("e".into(), src(), rs)
            .map_err(|a| format!("duplicate address {a}"))?;
        let targets = |a: &str| -> crate::TestResult<Vec<String>> {
            let i = env.position(&Address::parse(a)?).ok_or("missing")?;
            let mut v: Vec<String> = env
                .edges_from(i)
                .map(|(t, _)| env.resources[t].address.to_string())
                .collect();
            v.sort();
            Ok(v)
        };
        assert_eq!(
            targets("aws_route_table_association.a[1]")?,
            ["aws_subnet.s[1]"]
        );
        assert_eq!(
            targets("aws_lb.l")?,
            ["aws_subnet.s[0]", "aws_subnet.s[1]", "aws_subnet.s[2]"]
        );
        assert!(targets(r#"aws_y.y["k"]"#)?.is_empty());
        Ok(())
    }

    #[test]
    fn rejects_duplicates() -> crate::TestResult {
        let err = Environment::new("e".into(), src(), vec![res("a.b", &[])?, res("a.b", &[])?])
            .unwrap_err();
        assert_eq!(err.to_string(), "a.b");
        Ok(())
    }
}
