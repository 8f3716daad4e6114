//! tfparity: compare Terraform / OpenTofu environments and report the differences that
//! matter. `run` is the whole program behind the command line.

pub mod error;
pub mod model;
pub mod source;

pub use error::{Error, Result};
