//! Terraform addresses, from the `tfparity-addrs` crate (shared with the evaluator).

pub use tfparity_addrs::*;
