//! The data every stage shares: addresses, values, resources, environments and
//! findings. Imports nothing else of the crate and does no I/O.

pub mod address;
pub mod environment;
pub mod finding;
pub mod resource;
pub mod value;

pub use address::{Address, Key, Mode, ModuleStep};
pub use environment::{Edge, Environment, NotExpanded, Source, SourceKind};
pub use finding::{Category, Finding, Kind, NotCompared, Severity};
pub use resource::{AttrPath, PathStep, Resource};
pub use value::{Derived, Num, Value};
