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

/// One environment.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub source: Source,
    /// Resource instances sorted by address, addresses unique.
    pub resources: Vec<Resource>,
    /// Node `i` is `resources[i]`.
    pub graph: DiGraph<u32, Edge>,
    /// A plan's prior state, kept for later use.
    pub prior: Option<Vec<Resource>>,
    index: HashMap<Address, u32>,
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
        let mut index = HashMap::with_capacity(resources.len());
        for (i, r) in resources.iter().enumerate() {
            graph.add_node(i as u32);
            index.insert(r.address.clone(), i as u32);
        }
        let mut env = Environment {
            name,
            source,
            resources,
            graph,
            prior: None,
            index,
        };
        env.add_dependency_edges();
        Ok(env)
    }

    /// The position of an instance by address.
    pub fn position(&self, addr: &Address) -> Option<usize> {
        self.index.get(addr).map(|&i| i as usize)
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
    /// resolves to the instances of that block in the same module instance when the
    /// module paths match by name, otherwise to every instance of the block.
    fn add_dependency_edges(&mut self) {
        let mut by_config: HashMap<Address, Vec<u32>> = HashMap::new();
        for (i, r) in self.resources.iter().enumerate() {
            by_config
                .entry(r.address.config())
                .or_default()
                .push(i as u32);
        }
        let mut edges = Vec::new();
        for (i, r) in self.resources.iter().enumerate() {
            for dep in &r.dependencies {
                let Some(targets) = by_config.get(dep) else {
                    continue;
                };
                let same_module: Vec<u32> = targets
                    .iter()
                    .copied()
                    .filter(|&t| self.resources[t as usize].address.module == r.address.module)
                    .collect();
                let chosen = if same_module.is_empty() {
                    targets.clone()
                } else {
                    same_module
                };
                for t in chosen {
                    if t as usize != i {
                        edges.push((i, t as usize));
                    }
                }
            }
        }
        for (a, b) in edges {
            self.add_edge(a, b, Edge::Dependency);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::Value;

    fn res(addr: &str, deps: &[&str]) -> Resource {
        let mut r = Resource::new(Address::parse(addr).unwrap(), Value::object(vec![]));
        r.dependencies = deps.iter().map(|d| Address::parse(d).unwrap()).collect();
        r
    }

    fn src() -> Source {
        Source {
            kind: SourceKind::State,
            path: "x".into(),
        }
    }

    #[test]
    fn sorts_and_links_dependencies() {
        let env = Environment::new(
            "e".into(),
            src(),
            vec![
                res(r#"module.n["b"].aws_subnet.s[0]"#, &["module.n.aws_vpc.v"]),
                res(r#"module.n["a"].aws_vpc.v"#, &[]),
                res(r#"module.n["b"].aws_vpc.v"#, &[]),
                res(
                    "aws_instance.i",
                    &["module.n.aws_subnet.s", "aws_missing.m"],
                ),
            ],
        )
        .unwrap();
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
            .position(&Address::parse(r#"module.n["b"].aws_subnet.s[0]"#).unwrap())
            .unwrap();
        let targets: Vec<usize> = env.edges_from(sub).map(|(t, _)| t).collect();
        assert_eq!(targets, vec![3], "same module instance only");
        let inst: Vec<usize> = env.edges_from(0).map(|(t, _)| t).collect();
        assert_eq!(inst, vec![2]);
    }

    #[test]
    fn rejects_duplicates() {
        let err = Environment::new("e".into(), src(), vec![res("a.b", &[]), res("a.b", &[])])
            .unwrap_err();
        assert_eq!(err.to_string(), "a.b");
    }
}
