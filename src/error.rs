//! The crate's one error type. Every input error names the file (and line:col where the
//! input has lines) and the environment it belongs to; no message ever carries a value
//! read from the input, so a secret in a malformed file cannot leak through an error.

use std::path::PathBuf;
pub use tfparity_hcl::scrub::scrub;

/// Everything that can go wrong in a `compare` run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or configuration is unusable.
    #[error("{0}")]
    Usage(String),

    /// An input file could not be read or understood.
    #[error("{path}{loc}: {what}", path = .path.display(), loc = fmt_loc(*.location))]
    Input {
        path: PathBuf,
        /// `(line, column)`, both 1-based, when the input has lines.
        location: Option<(usize, usize)>,
        what: String,
    },

    /// The report could not be written.
    #[error("{path}: cannot write report: {source}", path = .path.display())]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn fmt_loc(loc: Option<(usize, usize)>) -> String {
    match loc {
        Some((l, c)) => format!(":{l}:{c}"),
        None => String::new(),
    }
}

/// The crate-wide result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An input error without a position.
    pub fn input(path: impl Into<PathBuf>, what: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            location: None,
            what: what.into(),
        }
    }

    /// An input error from JSON parsing, with its line and column and a message
    /// scrubbed of any quoted input value.
    pub fn json(path: impl Into<PathBuf>, env: &str, err: &serde_json::Error) -> Self {
        let location = (err.line() > 0).then(|| (err.line(), err.column().max(1)));
        let what = match err.classify() {
            serde_json::error::Category::Eof => {
                "unexpected end of input (file truncated?)".to_string()
            }
            serde_json::error::Category::Io => "cannot read input".to_string(),
            _ => scrub(&strip_position(&err.to_string())),
        };
        Error::Input {
            path: path.into(),
            location,
            what: format!("environment {env}: {what}"),
        }
    }
}

/// serde_json appends " at line L column C"; we print the position in front instead.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_error_prints_path_and_position() {
        let e = Error::Input {
            path: "a/b.tfstate".into(),
            location: Some((3, 7)),
            what: "bad".into(),
        };
        assert_eq!(e.to_string(), "a/b.tfstate:3:7: bad");
        assert_eq!(Error::input("x", "y").to_string(), "x: y");
    }
}
