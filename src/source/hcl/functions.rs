//! Terraform's built-in functions over evaluated values. (Placeholder until the full
//! library lands: only the API.)

use super::value::V;
use std::fmt;

/// Where a function runs: the module's directory for file functions.
pub struct FnCtx<'a> {
    pub module_dir: &'a std::path::Path,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum FnError {
    /// No such function.
    Unknown,
    /// Wrong number of arguments.
    Arity(String),
    Invalid(String),
}

impl fmt::Display for FnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FnError::Unknown => write!(f, "there is no function with this name"),
            FnError::Arity(m) | FnError::Invalid(m) => write!(f, "{m}"),
        }
    }
}

/// Whether `name` is a built-in function.
pub fn exists(name: &str) -> bool {
    let _ = name;
    false
}

/// Calls built-in function `name` with unmarked arguments.
pub fn call(name: &str, args: Vec<V>, ctx: &FnCtx) -> Result<V, FnError> {
    let _ = (name, args, ctx.module_dir);
    Err(FnError::Unknown)
}
