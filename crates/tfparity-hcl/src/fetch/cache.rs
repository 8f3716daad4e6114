//! The module cache on disk: one directory per resolved package, keyed by what was
//! resolved (registry host/namespace/name/system/version, or a hash of the git URL and
//! ref or the archive URL), never by credentials. A package is built in a temporary
//! directory beside the cache and renamed into place, so a reader never sees half a
//! package and two processes racing both end with the same complete one.

use super::error::Problem;
use super::source::RegistryAddr;
use super::version::Version;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// The package inside an entry; beside it, `source` says what it was fetched from.
const PKG: &str = "pkg";
/// Temporary directories older than this are from a process that died.
const STALE: Duration = Duration::from_secs(24 * 3600);

/// Where one resolved package lives in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// Relative to the cache root; every segment is validated or a hash.
    rel: PathBuf,
    /// The resolved source, written beside the package for people.
    pub what: String,
}

impl Key {
    /// A registry module version: `registry/HOST/NS/NAME/SYSTEM/VERSION`.
    pub fn registry(addr: &RegistryAddr, version: &Version) -> Key {
        Key {
            rel: registry_dir(addr).join(version.to_string()),
            what: format!("{addr} {version}"),
        }
    }

    /// A git or http package, by a hash of its resolved address.
    pub fn hashed(kind: &str, resolved: &str) -> Key {
        let d = ring::digest::digest(&ring::digest::SHA256, resolved.as_bytes());
        let hex: String = d.as_ref()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Key {
            rel: PathBuf::from(kind).join(hex),
            what: resolved.to_string(),
        }
    }
}

fn registry_dir(addr: &RegistryAddr) -> PathBuf {
    // Validated by the source parser: names are [A-Za-z0-9_-], the host [a-z0-9.-:].
    PathBuf::from("registry")
        .join(addr.host.replace(':', "_"))
        .join(&addr.namespace)
        .join(&addr.name)
        .join(&addr.system)
}

/// The cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

impl Cache {
    pub fn new(root: PathBuf) -> Cache {
        Cache { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The package root of `key`, if it is cached.
    pub fn get(&self, key: &Key) -> Option<PathBuf> {
        let pkg = self.root.join(&key.rel).join(PKG);
        pkg.is_dir().then_some(pkg)
    }

    /// The versions of a registry module that are cached.
    pub fn registry_versions(&self, addr: &RegistryAddr) -> Vec<String> {
        let dir = self.root.join(registry_dir(addr));
        let Ok(rd) = fs::read_dir(&dir) else {
            return Vec::new();
        };
        rd.filter_map(Result::ok)
            .take(10_000)
            .filter(|e| e.path().join(PKG).is_dir())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect()
    }

    /// Builds the package of `key` with `fill` (given a directory that does not exist
    /// yet, to create) and moves it into the cache; returns the package root. If
    /// another process put it there first, theirs is kept and returned.
    pub fn install<T>(
        &self,
        key: &Key,
        fill: impl FnOnce(&Path) -> Result<T, Problem>,
    ) -> Result<(PathBuf, T), Problem> {
        let tmp_root = self.root.join(".tmp");
        fs::create_dir_all(&tmp_root).map_err(|e| Problem::io(&tmp_root, e))?;
        self.clean_stale(&tmp_root);
        let tmp = self.fresh_dir(&tmp_root)?;
        let result = fill(&tmp.join(PKG)).and_then(|t| {
            fs::write(tmp.join("source"), format!("{}\n", key.what))
                .map_err(|e| Problem::io(&tmp, e))?;
            let dest = self.root.join(&key.rel);
            if let Some(parent) = dest.parent() {
                fs::create_dir_all(parent).map_err(|e| Problem::io(parent, e))?;
            }
            match fs::rename(&tmp, &dest) {
                Ok(()) => Ok((dest.join(PKG), t)),
                // Someone else installed it meanwhile: use theirs.
                Err(_) if dest.join(PKG).is_dir() => Ok((dest.join(PKG), t)),
                Err(e) => Err(Problem::io(&dest, e)),
            }
        });
        if tmp.exists() {
            let _ = fs::remove_dir_all(&tmp);
        }
        result
    }

    fn fresh_dir(&self, tmp_root: &Path) -> Result<PathBuf, Problem> {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        for _ in 0..100 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir = tmp_root.join(format!("{}-{nanos}-{n}", std::process::id()));
            match fs::create_dir(&dir) {
                Ok(()) => return Ok(dir),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Problem::io(&dir, e)),
            }
        }
        Err(Problem::io(
            tmp_root,
            "could not create a temporary directory",
        ))
    }

    /// Removes temporary directories left by processes that died (best effort).
    fn clean_stale(&self, tmp_root: &Path) {
        let Ok(rd) = fs::read_dir(tmp_root) else {
            return;
        };
        for e in rd.filter_map(Result::ok).take(1000) {
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > STALE);
            if old {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_then_get() {
        let tmp = tempfile::tempdir().expect("tmp");
        let cache = Cache::new(tmp.path().join("c"));
        let addr = RegistryAddr {
            host: "127.0.0.1:8080".into(),
            namespace: "ns".into(),
            name: "n".into(),
            system: "aws".into(),
        };
        let v = Version::parse("1.2").expect("v");
        let key = Key::registry(&addr, &v);
        assert!(cache.get(&key).is_none());
        let (pkg, ()) = cache
            .install(&key, |d| {
                fs::create_dir_all(d).map_err(|e| Problem::io(d, e))?;
                fs::write(d.join("main.tf"), "x").map_err(|e| Problem::io(d, e))
            })
            .expect("install");
        assert!(
            pkg.ends_with("registry/127.0.0.1_8080/ns/n/aws/1.2.0/pkg"),
            "{pkg:?}"
        );
        assert_eq!(cache.get(&key), Some(pkg.clone()));
        assert_eq!(cache.registry_versions(&addr), vec!["1.2.0".to_string()]);
        // A second install of the same key (a racing process) keeps the first.
        let (again, ()) = cache
            .install(&key, |d| {
                fs::create_dir_all(d).map_err(|e| Problem::io(d, e))
            })
            .expect("again");
        assert_eq!(again, pkg);
        assert!(pkg.join("main.tf").is_file());
        // A failed fill leaves nothing behind.
        let k2 = Key::hashed("git", "git::https://h/x.git?ref=v1");
        assert!(cache
            .install(&k2, |_| Err::<(), _>(Problem::Refused("no".into())))
            .is_err());
        assert!(cache.get(&k2).is_none());
        let left = fs::read_dir(tmp.path().join("c/.tmp"))
            .expect("tmp")
            .count();
        assert_eq!(left, 0);
    }
}
