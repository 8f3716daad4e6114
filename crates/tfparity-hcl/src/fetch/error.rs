//! The one error type of module fetching. Every variant names the module source it is
//! about (as written, with any password in it removed) and says what went wrong; none
//! ever holds a credential.

use std::path::PathBuf;

/// Why a module source could not be made into a local directory.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The source address is not one Terraform accepts, or not one fetched here.
    #[error("module source {source_addr:?}: {what}")]
    Source { source_addr: String, what: String },
    /// A kind of source Terraform knows that is not fetched here (s3, gcs, hg, file).
    #[error("module source {source_addr:?}: {kind} sources are not supported (only the module registry, git and https archives are)")]
    Unsupported { source_addr: String, kind: String },
    /// A `version` argument on a source that is not a registry address.
    #[error("module source {source_addr:?}: cannot apply a version constraint to a module that doesn't come from a module registry (pin a git source with ?ref=)")]
    VersionNotAllowed { source_addr: String },
    /// The version constraint does not parse.
    #[error("module source {source_addr:?}: invalid version constraint {constraint:?}: {what}")]
    Constraint {
        source_addr: String,
        constraint: String,
        what: String,
    },
    /// The time all fetching of one run may take is spent.
    #[error("module source {source_addr:?}: not fetched: fetching modules has taken its {seconds} s already (--fetch-timeout raises it)")]
    OutOfTime { source_addr: String, seconds: u64 },
    /// `--offline` and the module is not in the cache.
    #[error("module source {source_addr:?}: not in the module cache ({cache}), and --offline forbids fetching it")]
    Offline { source_addr: String, cache: PathBuf },
    /// A network request failed or gave an answer that cannot be used.
    #[error("module source {source_addr:?}: {url}: {what}")]
    Http {
        source_addr: String,
        /// The URL without any user information.
        url: String,
        what: String,
    },
    /// The module registry answered, but not with a usable version or location.
    #[error("module source {source_addr:?}: registry {host}: {what}")]
    Registry {
        source_addr: String,
        host: String,
        what: String,
    },
    /// `git` failed or refused.
    #[error("module source {source_addr:?}: git: {what}")]
    Git { source_addr: String, what: String },
    /// A downloaded package is unsafe or too large (escaping paths, links, limits).
    #[error("module source {source_addr:?}: package refused: {what}")]
    Refused { source_addr: String, what: String },
    /// Reading or writing the cache or a temporary directory failed.
    #[error("module source {source_addr:?}: {path}: {what}")]
    Io {
        source_addr: String,
        path: PathBuf,
        what: String,
    },
}

impl FetchError {
    /// The source the error is about, as shown in messages.
    pub fn source_addr(&self) -> &str {
        match self {
            FetchError::Source { source_addr, .. }
            | FetchError::Unsupported { source_addr, .. }
            | FetchError::VersionNotAllowed { source_addr }
            | FetchError::Constraint { source_addr, .. }
            | FetchError::Offline { source_addr, .. }
            | FetchError::OutOfTime { source_addr, .. }
            | FetchError::Http { source_addr, .. }
            | FetchError::Registry { source_addr, .. }
            | FetchError::Git { source_addr, .. }
            | FetchError::Refused { source_addr, .. }
            | FetchError::Io { source_addr, .. } => source_addr,
        }
    }
}

/// A problem found below the level that knows the source; [`Problem::at`] names it.
#[derive(Debug)]
pub(super) enum Problem {
    Http { url: String, what: String },
    Git(String),
    Refused(String),
    Io { path: PathBuf, what: String },
}

impl Problem {
    pub(super) fn io(path: &std::path::Path, e: impl std::fmt::Display) -> Problem {
        Problem::Io {
            path: path.to_path_buf(),
            what: e.to_string(),
        }
    }

    /// The error for module source `source_addr`. What a server, git or a package
    /// said may quote a URL with its credentials: it loses them here
    /// ([`crate::scrub::urls`]).
    pub(super) fn at(self, source_addr: &str) -> FetchError {
        let source_addr = crate::scrub::url(source_addr);
        let shown = |s: String| crate::scrub::urls(&s);
        match self {
            Problem::Http { url, what } => FetchError::Http {
                source_addr,
                url: shown(url),
                what: shown(what),
            },
            Problem::Git(what) => FetchError::Git {
                source_addr,
                what: shown(what),
            },
            Problem::Refused(what) => FetchError::Refused {
                source_addr,
                what: shown(what),
            },
            Problem::Io { path, what } => FetchError::Io {
                source_addr,
                path,
                what: shown(what),
            },
        }
    }
}
