//! Normalisation: what differs between environments by design (identifiers, regions,
//! accounts, environment names, the base of the address space) is taken out, so that
//! only real differences remain. Builds reference edges into each environment's graph
//! and compares attribute values of aligned instances. Never prints, never judges
//! severity.

pub mod catalog;
pub mod context;
pub mod defaults;
pub mod diff;
pub mod learn;
pub mod text;
pub mod trail;

pub use context::{Context, Leaf};
pub use diff::{diff, Side, ValueDiff};

use crate::model::{Edge, Environment};

/// Adds an edge for every attribute that holds another resource's identifier,
/// labelled with the attribute path.
pub fn add_reference_edges(env: &mut Environment) {
    let edges = Context::new(env, &[]).reference_edges();
    for (from, to, path) in edges {
        env.add_edge(from, to, Edge::Attribute(path));
    }
}
