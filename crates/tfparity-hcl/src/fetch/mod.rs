//! Module fetching as `terraform init` does it: a module `source` (registry address, git
//! repository, https archive) and `version` become a local directory, fetched once into
//! a cache and read from there after. Self-contained: uses nothing else of the crate.
//! Fetches and checks packages; never reads or evaluates the configuration in them.
//!
//! - Sources ([`source`]): `NS/NAME/SYSTEM` and `HOST/NS/NAME/SYSTEM` in a module
//!   registry; `git::URL` (https, ssh, git; `?ref=`, `?depth=`), `github.com/…`,
//!   `git@host:path`, `bitbucket.org/…`; `https://` archives (`.zip`, `.tar.gz`,
//!   `.tgz`, `.tar.bz2`, `?archive=`, `?checksum=`) and pages answering
//!   `X-Terraform-Get`; all with `//subdir` (glob segments allowed). s3, gcs, hg and
//!   file sources are an error saying so. Plain `http://` only to loopback hosts.
//! - Versions ([`version`]): go-version's rules; the newest allowed, a prerelease only
//!   when named exactly.
//! - Cache: `$XDG_CACHE_HOME/tfparity/modules` (else `~/.cache/…`), one directory per
//!   resolved package (`registry/HOST/NS/NAME/SYSTEM/VERSION`, `git/HASH`,
//!   `http/HASH`), each built aside and renamed into place. A cached package is used
//!   without the network; a registry module cached in an allowed version is too.
//! - Offline: only the cache; a miss is [`FetchError::Offline`].
//! - Credentials ([`credentials`]): `TF_TOKEN_<host>`, else `terraform login`'s file, as
//!   a bearer token to that host only (port ignored); a URL's `user:password` as Basic
//!   auth to its host. Never in an error, a path or [`Fetched::resolved`].
//! - Limits ([`Limits`]): download size, files and bytes unpacked, request and git
//!   deadlines, redirects, sources naming sources.

pub mod archive;
mod cache;
pub mod checksum;
mod credentials;
pub mod error;
mod git;
mod http;
mod registry;
pub mod source;
mod subdir;
mod tree;
pub mod url;
pub mod version;

#[cfg(test)]
mod tests;
/// A small HTTP server on loopback, for tests (here and in the command line's).
#[doc(hidden)]
pub mod testserver;

pub use error::FetchError;
pub use source::{parse, Source};

use cache::{Cache, Key};
use credentials::TokenFn;
use error::Problem;
use http::{Http, HttpLimits};
use source::{display_source, GitSource, HttpSource, RegistryAddr};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tree::TreeLimits;
use url::Url;
use version::{Constraint, NoVersion, Version};

/// How much fetching may do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest archive downloaded, and the largest git clone (repository and
    /// checkout together).
    pub max_download_bytes: u64,
    /// The most files (and directories) in one package.
    pub max_files: usize,
    /// The most bytes one package holds unpacked.
    pub max_unpacked_bytes: u64,
    /// The deadline of each HTTP request, whole.
    pub request_timeout: Duration,
    /// The deadline of a whole git clone and checkout.
    pub git_timeout: Duration,
    /// How long all fetching of one run may take: past it, nothing more is fetched (a
    /// configuration naming a thousand slow sources does not hold a CI job for hours).
    pub total_time: Duration,
    /// Redirects followed per request.
    pub max_redirects: u32,
    /// Sources naming further sources (`X-Terraform-Get`) followed per fetch.
    pub max_indirections: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_download_bytes: 128 << 20,
            max_files: 50_000,
            max_unpacked_bytes: 512 << 20,
            request_timeout: Duration::from_secs(300),
            git_timeout: Duration::from_secs(600),
            total_time: Duration::from_secs(900),
            max_redirects: 10,
            max_indirections: 10,
        }
    }
}

/// Fetches module packages into a cache.
pub struct Fetcher {
    cache: Cache,
    offline: bool,
    upgrade: bool,
    http: Http,
    limits: Limits,
    tokens: TokenFn,
    /// One lock per cache key being fetched, so threads of one process asking for the
    /// same package fetch it once (other processes are handled by the cache's rename).
    fetching: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    /// Each registry host's module API, discovered once.
    discovered: Mutex<HashMap<String, Url>>,
    /// Each registry module's versions, listed once.
    listed: Mutex<HashMap<String, Vec<String>>>,
    /// When the network was first used.
    started: std::sync::OnceLock<std::time::Instant>,
}

impl std::fmt::Debug for Fetcher {
    /// Without the tokens.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("cache", &self.cache.root())
            .field("offline", &self.offline)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// A fetched module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The module's directory: the package with the source's `//subdir` applied.
    pub dir: PathBuf,
    /// The root of the whole package (what `../` in the module may reach).
    pub package_root: PathBuf,
    /// What was fetched, without credentials: `registry.terraform.io/hashicorp/consul/aws
    /// 0.11.0`, `git::https://example.com/vpc.git?ref=v1.2.0`, or the archive URL.
    pub resolved: String,
}

/// The cache directory: `$XDG_CACHE_HOME/tfparity/modules`, else
/// `$HOME/.cache/tfparity/modules`, else one under the temporary directory.
pub fn default_cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .unwrap_or_else(private_temp_dir);
    base.join("tfparity").join("modules")
}

/// With neither `XDG_CACHE_HOME` nor `HOME`: a directory of this run's own under the
/// temporary directory, made here (so that no other user made it and planted packages
/// in it), and not shared with other runs.
fn private_temp_dir() -> PathBuf {
    let base = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    for i in 0..16 {
        let p = base.join(format!("tfparity-cache-{}-{nanos}-{i}", std::process::id()));
        if std::fs::create_dir(&p).is_ok() {
            return p;
        }
    }
    // Nothing could be made: a path that the cache will fail to use, said there.
    base.join(format!("tfparity-cache-{}-unusable", std::process::id()))
}

impl Fetcher {
    /// The default cache; tokens from `TF_TOKEN_<host>` variables as Terraform reads
    /// them (dots as `_`, hyphens as `__`, any case), else from `terraform login`'s
    /// `~/.terraform.d/credentials.tfrc.json`.
    pub fn from_env(offline: bool) -> Fetcher {
        Fetcher::build(
            default_cache_dir(),
            offline,
            // vars_os: `vars` panics on a variable that is not UTF-8.
            credentials::tokens_from_env_and_home(
                std::env::vars_os()
                    .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
                std::env::var_os("HOME")
                    .filter(|h| !h.is_empty())
                    .map(PathBuf::from)
                    .as_deref(),
            ),
            Limits::default(),
        )
    }

    /// A cache at `dir`; `env` looks up environment variables by name (for tokens).
    pub fn with_cache(
        dir: PathBuf,
        offline: bool,
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Fetcher {
        Fetcher::build(
            dir,
            offline,
            credentials::tokens_from_lookup(env),
            Limits::default(),
        )
    }

    /// The same fetcher with other limits.
    pub fn with_limits(self, limits: Limits) -> Fetcher {
        let upgrade = self.upgrade;
        let mut f = Fetcher::build(
            self.cache.root().to_path_buf(),
            self.offline,
            self.tokens,
            limits,
        );
        f.upgrade = upgrade;
        f
    }

    /// As `terraform init -upgrade`: ask the registry for the newest allowed version
    /// even when the cache holds an allowed one (ignored offline).
    pub fn with_upgrade(mut self, upgrade: bool) -> Fetcher {
        self.upgrade = upgrade;
        self
    }

    fn build(dir: PathBuf, offline: bool, tokens: TokenFn, limits: Limits) -> Fetcher {
        let http = Http::new(
            tokens.clone(),
            HttpLimits {
                timeout: limits.request_timeout,
                max_redirects: limits.max_redirects,
            },
        );
        Fetcher {
            cache: Cache::new(dir),
            offline,
            http,
            limits,
            tokens,
            fetching: Mutex::new(HashMap::new()),
            discovered: Mutex::new(HashMap::new()),
            started: std::sync::OnceLock::new(),
            listed: Mutex::new(HashMap::new()),
            upgrade: false,
        }
    }

    /// The lock of one cache key (held while it is looked up and fetched).
    fn key_lock(&self, key: &str) -> Arc<Mutex<()>> {
        let mut m = self.fetching.lock().unwrap_or_else(PoisonError::into_inner);
        m.entry(key.to_string()).or_default().clone()
    }

    fn discover(&self, host: &str) -> Result<Url, Problem> {
        if let Some(u) = self
            .discovered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(host)
        {
            return Ok(u.clone());
        }
        let u = registry::discover(&self.http, host)?;
        self.discovered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(host.to_string(), u.clone());
        Ok(u)
    }

    pub fn cache_dir(&self) -> &Path {
        self.cache.root()
    }

    fn tree_limits(&self) -> TreeLimits {
        TreeLimits {
            max_files: self.limits.max_files,
            max_bytes: self.limits.max_unpacked_bytes,
        }
    }

    /// The local directory holding module `source` (with `//subdir` applied), from the
    /// cache or fetched into it. `version` is the module block's version constraint,
    /// for registry sources only. A registry module already cached in a version the
    /// constraint allows is used without asking the registry (as `terraform init`
    /// keeps an installed module that still matches).
    pub fn fetch(&self, source: &str, version: Option<&str>) -> Result<Fetched, FetchError> {
        let shown = display_source(source);
        let parsed = source::parse(source)?;
        if version.is_some() && !matches!(parsed, Source::Registry { .. }) {
            return Err(FetchError::VersionNotAllowed { source_addr: shown });
        }
        match parsed {
            Source::Registry { addr, subdir } => {
                self.fetch_registry(&shown, &addr, &subdir, version)
            }
            Source::Git(g) => {
                let resolved = g.display();
                let key = Key::hashed("git", &resolved);
                let (root, inner) = self.cached_or(&shown, &key, |pkg| {
                    self.fetch_git(&g, pkg).map(|()| String::new())
                })?;
                finish(&shown, root, &inner, &g.subdir, resolved)
            }
            Source::Http(h) => {
                let resolved = http_display(&h);
                let key = Key::hashed("http", &resolved);
                let (root, inner) =
                    self.cached_or(&shown, &key, |pkg| self.fetch_http(&h, pkg, 0))?;
                finish(&shown, root, &inner, &h.subdir, resolved)
            }
        }
    }

    /// The cached package of `key`, or (online) the one `fill` makes. The string is
    /// the subdirectory of the package that the fetched source named, if any.
    fn cached_or(
        &self,
        shown: &str,
        key: &Key,
        fill: impl FnOnce(&Path) -> Result<String, Problem>,
    ) -> Result<(PathBuf, String), FetchError> {
        let lock = self.key_lock(&key.what);
        let _held = lock.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(root) = self.cache.get(key) {
            let inner = read_inner(&root);
            return Ok((root, inner));
        }
        if self.offline {
            return Err(FetchError::Offline {
                source_addr: shown.to_string(),
                cache: self.cache.root().to_path_buf(),
            });
        }
        self.in_time(shown)?;
        let limits = self.tree_limits();
        self.cache
            .install(key, |pkg| {
                let inner = fill(pkg)?;
                tree::check(pkg, &limits)?;
                write_inner(pkg, &inner)?;
                Ok(inner)
            })
            .map_err(|p| p.at(shown))
    }

    fn fetch_registry(
        &self,
        shown: &str,
        addr: &RegistryAddr,
        subdir: &str,
        version: Option<&str>,
    ) -> Result<Fetched, FetchError> {
        let constraint = version
            .map(|v| {
                Constraint::parse(v).map_err(|what| FetchError::Constraint {
                    source_addr: shown.to_string(),
                    constraint: v.to_string(),
                    what,
                })
            })
            .transpose()?;
        let reg_err = |what: String| FetchError::Registry {
            source_addr: shown.to_string(),
            host: addr.host.clone(),
            what,
        };
        let lock = self.key_lock(&addr.to_string());
        let _held = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let cached = self.cache.registry_versions(addr);
        let from_cache = version::select(cached.iter().map(String::as_str), constraint.as_ref());
        let chosen = match from_cache {
            Ok(v) if !self.upgrade || self.offline => v,
            _ if self.offline => {
                return Err(FetchError::Offline {
                    source_addr: shown.to_string(),
                    cache: self.cache.root().to_path_buf(),
                })
            }
            _ => {
                self.in_time(shown)?;
                let base = self.discover(&addr.host).map_err(|p| p.at(shown))?;
                let listed = self
                    .list_versions(&base, addr)
                    .map_err(|p| p.at(shown))?
                    .ok_or_else(|| reg_err(format!("module {addr} not found")))?;
                let v = version::select(listed.iter().map(String::as_str), constraint.as_ref())
                    .map_err(|e| match e {
                        NoVersion::None => reg_err(format!("module {addr} has no versions")),
                        NoVersion::NoMatch { newest } => reg_err(format!(
                            "no version of {addr} matches {:?}; the newest is {newest}",
                            version.unwrap_or_default()
                        )),
                    })?;
                let key = Key::registry(addr, &v);
                if self.cache.get(&key).is_none() {
                    self.install_registry(shown, addr, &base, &v, &key)?;
                }
                v
            }
        };
        let key = Key::registry(addr, &chosen);
        let root = self.cache.get(&key).ok_or_else(|| FetchError::Offline {
            source_addr: shown.to_string(),
            cache: self.cache.root().to_path_buf(),
        })?;
        let inner = read_inner(&root);
        finish(shown, root, &inner, subdir, format!("{addr} {chosen}"))
    }

    /// Whether the network may still be used: the time all fetching may take
    /// ([`Limits::total_time`]) counts from its first use. A fetch under way when it
    /// runs out finishes within its own deadline.
    fn in_time(&self, shown: &str) -> Result<(), FetchError> {
        let started = *self.started.get_or_init(std::time::Instant::now);
        if started.elapsed() > self.limits.total_time {
            return Err(FetchError::OutOfTime {
                source_addr: shown.to_string(),
                seconds: self.limits.total_time.as_secs(),
            });
        }
        Ok(())
    }

    /// The registry's versions of `addr`, asked once per fetcher (`None`: not found).
    fn list_versions(
        &self,
        base: &Url,
        addr: &RegistryAddr,
    ) -> Result<Option<Vec<String>>, Problem> {
        let k = addr.to_string();
        if let Some(v) = self
            .listed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&k)
        {
            return Ok(Some(v.clone()));
        }
        let got = registry::versions(&self.http, base, addr)?;
        if let Some(v) = &got {
            self.listed
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(k, v.clone());
        }
        Ok(got)
    }

    fn install_registry(
        &self,
        shown: &str,
        addr: &RegistryAddr,
        base: &Url,
        v: &Version,
        key: &Key,
    ) -> Result<(), FetchError> {
        let loc =
            registry::location(&self.http, base, addr, &v.to_string()).map_err(|p| p.at(shown))?;
        let bad_loc = |what: String| FetchError::Registry {
            source_addr: shown.to_string(),
            host: addr.host.clone(),
            what: format!("location {:?} for {addr} {v}: {what}", display_source(&loc)),
        };
        let target = source::parse(&loc).map_err(|e| bad_loc(strip_source(&e)))?;
        let limits = self.tree_limits();
        self.cache
            .install(key, |pkg| {
                let inner = match &target {
                    Source::Registry { .. } => {
                        return Err(Problem::Http {
                            url: display_source(&loc),
                            what: "a registry location must be a package address, not another registry module".into(),
                        })
                    }
                    Source::Git(g) => {
                        self.fetch_git(g, pkg)?;
                        g.subdir.clone()
                    }
                    Source::Http(h) => join_sub(&self.fetch_http(h, pkg, 0)?, &h.subdir),
                };
                tree::check(pkg, &limits)?;
                write_inner(pkg, &inner)?;
                Ok(())
            })
            .map(|_| ())
            .map_err(|p| p.at(shown))
    }

    fn fetch_git(&self, g: &GitSource, pkg: &Path) -> Result<(), Problem> {
        git::clone(
            g,
            pkg,
            self.limits.git_timeout,
            self.limits.max_download_bytes,
        )
    }

    /// Fetches an http source into `pkg`; the subdirectory a named source adds.
    fn fetch_http(&self, h: &HttpSource, pkg: &Path, hops: u32) -> Result<String, Problem> {
        if let Some(kind) = h.archive {
            let parent = pkg.parent().unwrap_or(pkg);
            let file = parent.join("download");
            self.http
                .download(&h.url, &file, self.limits.max_download_bytes)?;
            let r = match &h.checksum {
                Some(c) => c.verify(&file),
                None => Ok(()),
            }
            .and_then(|()| archive::unpack(kind, &file, pkg, &self.tree_limits()));
            let _ = std::fs::remove_file(&file);
            return r.map(|()| String::new());
        }
        if hops >= self.limits.max_indirections {
            return Err(Problem::Http {
                url: h.url.shown(),
                what: format!(
                    "more than {} sources naming other sources (X-Terraform-Get)",
                    self.limits.max_indirections
                ),
            });
        }
        let mut url = h.url.clone();
        let mut q = url.query_pairs();
        q.push(("terraform-get".into(), "1".into()));
        url.set_query_pairs(&q);
        let a = self.http.get(&url, 1 << 20)?;
        if !(200..300).contains(&a.status) {
            return Err(Problem::Http {
                url: a.url.shown(),
                what: format!("status {}", a.status),
            });
        }
        let named = a
            .terraform_get
            .clone()
            .or_else(|| meta_terraform_get(&a.body))
            .ok_or_else(|| Problem::Http {
                url: a.url.shown(),
                what: "neither an archive (.zip, .tar.gz, ?archive=) nor a page naming the module source (X-Terraform-Get)".into(),
            })?;
        let named = if named.starts_with('/') || named.starts_with("./") || named.starts_with("../")
        {
            a.url
                .join(&named)
                .map_err(|e| Problem::Http {
                    url: a.url.shown(),
                    what: format!("invalid X-Terraform-Get {:?}: {e}", display_source(&named)),
                })?
                .with_userinfo()
        } else {
            named
        };
        let bad = |what: String| Problem::Http {
            url: a.url.shown(),
            what: format!("X-Terraform-Get {:?}: {what}", display_source(&named)),
        };
        match source::parse(&named).map_err(|e| bad(strip_source(&e)))? {
            Source::Git(g) => {
                self.fetch_git(&g, pkg)?;
                Ok(g.subdir)
            }
            Source::Http(inner) => {
                let sub = self.fetch_http(&inner, pkg, hops + 1)?;
                Ok(join_sub(&sub, &inner.subdir))
            }
            Source::Registry { .. } => Err(bad("names a registry module, not a package".into())),
        }
    }
}

/// The error's text without the leading `module source "…": `.
fn strip_source(e: &FetchError) -> String {
    let s = e.to_string();
    match s.split_once("\": ") {
        Some((_, rest)) if s.starts_with("module source \"") => rest.to_string(),
        _ => s,
    }
}

fn join_sub(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (false, true) => a.to_string(),
        (false, false) => format!("{a}/{b}"),
    }
}

/// The source's subdirectory recorded beside a package (a registry location or
/// X-Terraform-Get may name one).
fn write_inner(pkg: &Path, inner: &str) -> Result<(), Problem> {
    let f = pkg.with_file_name("subdir");
    std::fs::write(&f, inner).map_err(|e| Problem::io(&f, e))
}

fn read_inner(pkg: &Path) -> String {
    std::fs::read_to_string(pkg.with_file_name("subdir"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

fn http_display(h: &HttpSource) -> String {
    let mut s = h.url.redacted();
    if let (Some(k), None) = (h.archive, archive::ArchiveKind::from_path(&h.url.path)) {
        s.push(if h.url.query.is_some() { '&' } else { '?' });
        s.push_str("archive=");
        s.push_str(k.name());
    }
    if let Some(c) = &h.checksum {
        s.push(if s.contains('?') { '&' } else { '?' });
        s.push_str("checksum=");
        s.push_str(&c.display());
    }
    s
}

/// The module directory: the package, then the fetched source's subdirectory, then the
/// module source's (see [`subdir::resolve`]).
fn finish(
    shown: &str,
    package_root: PathBuf,
    inner: &str,
    subdir: &str,
    resolved: String,
) -> Result<Fetched, FetchError> {
    let sub = join_sub(inner, subdir);
    let dir = subdir::resolve(&package_root, &sub).map_err(|what| FetchError::Source {
        source_addr: shown.to_string(),
        what,
    })?;
    Ok(Fetched {
        dir,
        package_root,
        resolved,
    })
}

/// `<meta name="terraform-get" content="…">` in an HTML page (go-getter's fallback).
fn meta_terraform_get(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    for _ in 0..1000 {
        let i = from + lower[from..].find("<meta")?;
        let end = i + lower[i..].find('>')?;
        let tag = &text[i..end];
        let tag_l = &lower[i..end];
        from = end;
        if !(tag_l.contains("name=\"terraform-get\"") || tag_l.contains("name='terraform-get'")) {
            continue;
        }
        let c = tag_l.find("content=")?;
        let rest = &tag[c + 8..];
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let value = &rest[1..];
        let close = value.find(quote)?;
        return Some(value[..close].replace("&amp;", "&"));
    }
    None
}
