//! HCL root modules as environments: load a directory's configuration files, evaluate
//! variables, locals, repetition and modules without Terraform, and produce the same
//! [`crate::model::Environment`] a state file gives. Reads and evaluates; never judges.

pub mod eval;
pub mod files;
pub mod functions;
pub mod json;
pub mod types;
pub mod value;
