//! Module source addresses as Terraform reads them (`internal/addrs`, go-getter's
//! detectors): a registry address, a git repository, or an https URL (an archive, or a
//! page whose `X-Terraform-Get` names the real source), each with an optional `//subdir`.
//! Parses and validates only; fetches nothing.

use super::archive::ArchiveKind;
use super::checksum::Checksum;
use super::error::FetchError;
use super::url::Url;
use std::fmt;

/// The default module registry.
pub const DEFAULT_REGISTRY: &str = "registry.terraform.io";

/// What a `source` argument names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Registry { addr: RegistryAddr, subdir: String },
    Git(GitSource),
    Http(HttpSource),
}

/// `HOST/NAMESPACE/NAME/SYSTEM` in a module registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryAddr {
    /// Lower case, maybe with a port.
    pub host: String,
    pub namespace: String,
    pub name: String,
    pub system: String,
}

impl fmt::Display for RegistryAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/{}",
            self.host, self.namespace, self.name, self.system
        )
    }
}

/// `git::URL?ref=…&depth=…//subdir`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSource {
    /// Without `ref` and `depth`.
    pub url: Url,
    pub reference: Option<String>,
    pub depth: Option<u32>,
    pub subdir: String,
}

impl GitSource {
    /// `git::URL?ref=REF` without user information: the cache key and what `resolved`
    /// says.
    pub fn display(&self) -> String {
        let mut s = format!("git::{}", self.url.redacted());
        if let Some(r) = &self.reference {
            s.push(if self.url.query.is_some() { '&' } else { '?' });
            s.push_str("ref=");
            s.push_str(r);
        }
        s
    }
}

/// An `https://` URL: an archive, or a page naming the real source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSource {
    /// Without `archive`.
    pub url: Url,
    /// `None`: not an archive, so the response must name the real source.
    pub archive: Option<ArchiveKind>,
    /// `?checksum=`, checked on the archive before it is unpacked.
    pub checksum: Option<Checksum>,
    pub subdir: String,
}

/// `raw` with any credentials in a URL removed, for messages: its user information
/// and the values of its secret-named query parameters ([`crate::scrub::url`], the one
/// function every message about a source or a URL goes through).
pub fn display_source(raw: &str) -> String {
    crate::scrub::url(raw)
}

/// Reads a module source address. Local paths (`./x`, `../x`) are not fetched and are
/// an error here.
pub fn parse(raw: &str) -> Result<Source, FetchError> {
    let err = |what: String| FetchError::Source {
        source_addr: display_source(raw),
        what,
    };
    if raw.is_empty() {
        return Err(err("empty source".into()));
    }
    if raw.len() > 2048 {
        return Err(err("longer than 2048 characters".into()));
    }
    if raw.chars().any(char::is_control) {
        return Err(err("contains control characters".into()));
    }
    if ["./", "../", ".\\", "..\\"]
        .iter()
        .any(|p| raw.starts_with(p))
    {
        return Err(err(
            "is a local path; local modules are read in place, not fetched".into(),
        ));
    }
    let registry_err = match parse_registry(raw) {
        Ok(s) => return Ok(s),
        Err(e) => e,
    };
    parse_remote(raw, &registry_err).map_err(|e| match e {
        Remote::Invalid(what) => err(what),
        Remote::Unsupported(kind) => FetchError::Unsupported {
            source_addr: display_source(raw),
            kind,
        },
    })
}

fn valid_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
}

fn parse_registry(raw: &str) -> Result<Source, String> {
    let (pkg, subdir) = split_subdir(raw);
    let subdir = clean_subdir(&subdir)?;
    let parts: Vec<&str> = pkg.split('/').collect();
    let (host, rest) = match parts.len() {
        3 => (DEFAULT_REGISTRY.to_string(), &parts[..]),
        4 => {
            let h = parts[0].to_ascii_lowercase();
            let (name, port) = match h.rsplit_once(':') {
                Some((n, p)) => (n, Some(p)),
                None => (h.as_str(), None),
            };
            let labels_ok = name.split('.').all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
            if !labels_ok || port.is_some_and(|p| p.parse::<u16>().is_err()) {
                return Err(format!("invalid module registry hostname {:?}", parts[0]));
            }
            if !name.contains('.') {
                return Err("invalid module registry hostname: must contain at least one dot".into());
            }
            if name.contains("--") {
                return Err(format!("invalid module registry hostname {:?}: punycode is not accepted", parts[0]));
            }
            (h.clone(), &parts[1..])
        }
        _ => {
            return Err(
                "a module registry source address must have either three or four slash-separated components"
                    .into(),
            )
        }
    };
    if host == "github.com" || host == "bitbucket.org" {
        return Err(format!("can't use {host:?} as a module registry host"));
    }
    if !valid_name(rest[0]) {
        return Err(format!("invalid namespace {:?}", rest[0]));
    }
    if !valid_name(rest[1]) {
        return Err(format!("invalid module name {:?}", rest[1]));
    }
    let sys = rest[2];
    if sys.is_empty()
        || sys.len() > 64
        || !sys
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return Err(if sys.contains('?') {
            "module registry addresses may not include a query string portion".into()
        } else {
            format!("invalid target system {sys:?}")
        });
    }
    Ok(Source::Registry {
        addr: RegistryAddr {
            host,
            namespace: rest[0].to_string(),
            name: rest[1].to_string(),
            system: sys.to_string(),
        },
        subdir,
    })
}

/// go-getter's split of `pkg//subdir?query` into `pkg?query` and `subdir`, not looking
/// inside the scheme's `://`.
pub fn split_subdir(src: &str) -> (String, String) {
    let stop = src.find('?').unwrap_or(src.len());
    let offset = src[..stop].find("://").map_or(0, |i| i + 3);
    let Some(i) = src[offset..stop].find("//") else {
        return (src.to_string(), String::new());
    };
    let i = offset + i;
    let mut pkg = src[..i].to_string();
    let mut subdir = src[i + 2..].to_string();
    if let Some(q) = subdir.find('?') {
        pkg.push_str(&subdir[q..]);
        subdir.truncate(q);
    }
    (pkg, subdir)
}

/// `path.Clean` of a subdirectory, refusing one that leads outside the package.
fn clean_subdir(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Ok(String::new());
    }
    let mut out: Vec<&str> = Vec::new();
    let mut escapes = false;
    for seg in s.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.pop().is_none() {
                    escapes = true;
                }
            }
            x => out.push(x),
        }
    }
    if escapes {
        return Err(format!(
            "subdirectory path {s:?} leads outside of the module package"
        ));
    }
    if out.iter().any(|s| s.contains(['\\', '['])) {
        return Err(format!(
            "subdirectory path {s:?}: backslashes and [ ] patterns are not supported"
        ));
    }
    Ok(out.join("/"))
}

enum Remote {
    Invalid(String),
    Unsupported(String),
}

fn has_scheme(s: &str) -> bool {
    match s.find("://") {
        Some(i) => {
            let sch = &s[..i];
            !sch.is_empty()
                && sch.starts_with(|c: char| c.is_ascii_alphabetic())
                && sch
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn forced_getter(s: &str) -> (Option<String>, &str) {
    if let Some((f, rest)) = s.split_once("::") {
        if !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric()) && !rest.is_empty() {
            return (Some(f.to_ascii_lowercase()), rest);
        }
    }
    (None, s)
}

/// A shorthand detected: the full URL, a getter it forces and a subdirectory it found.
struct Detected {
    url: String,
    force: Option<&'static str>,
    subdir: String,
}

fn detect(src: &str) -> Result<Option<Detected>, Remote> {
    if let Some(rest) = src.strip_prefix("github.com/") {
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (rest, None),
        };
        let parts: Vec<&str> = path.split('/').collect();
        if parts.len() < 2 || parts[0].is_empty() || parts[1].is_empty() {
            return Err(Remote::Invalid(
                "GitHub URLs should be github.com/username/repo".into(),
            ));
        }
        let mut url = format!("https://github.com/{}/{}", parts[0], parts[1]);
        if !url.ends_with(".git") {
            url.push_str(".git");
        }
        if let Some(q) = query {
            url.push('?');
            url.push_str(q);
        }
        return Ok(Some(Detected {
            url,
            force: Some("git"),
            subdir: parts[2..].join("/"),
        }));
    }
    if let Some(d) = detect_ssh(src)? {
        return Ok(Some(d));
    }
    if src.starts_with("bitbucket.org/") {
        let (path, query) = match src.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (src, None),
        };
        let mut url = format!("https://{path}");
        if !url.ends_with(".git") {
            url.push_str(".git");
        }
        if let Some(q) = query {
            url.push('?');
            url.push_str(q);
        }
        return Ok(Some(Detected {
            url,
            force: Some("git"),
            subdir: String::new(),
        }));
    }
    if src.starts_with("www.googleapis.com/storage/") {
        return Err(Remote::Unsupported("gcs".into()));
    }
    if src.contains(".amazonaws.com/") {
        return Err(Remote::Unsupported("s3".into()));
    }
    if src.starts_with('/') {
        return Err(Remote::Unsupported("absolute file path".into()));
    }
    Ok(None)
}

/// `git@host:path` (scp-like) as `ssh://git@host/path`; only the user `git`, as
/// Terraform.
fn detect_ssh(src: &str) -> Result<Option<Detected>, Remote> {
    let (user, rest) = match src.split_once('@') {
        Some((u, r)) if !u.is_empty() && !u.contains(':') => (u, r),
        _ => return Ok(None),
    };
    let Some((host, path)) = rest.split_once(':') else {
        return Ok(None);
    };
    if user != "git" || host.is_empty() || path.is_empty() {
        return Ok(None);
    }
    let path = path.strip_prefix('/').unwrap_or(path);
    Ok(Some(Detected {
        url: format!("ssh://git@{host}/{path}"),
        force: Some("git"),
        subdir: String::new(),
    }))
}

fn parse_remote(raw: &str, registry_err: &str) -> Result<Source, Remote> {
    let (forced, src) = forced_getter(raw);
    let (pkg, subdir) = split_subdir(src);
    let (url_text, force, mut subdir) = if has_scheme(&pkg) {
        (pkg, forced, subdir)
    } else {
        match detect(&pkg)? {
            Some(d) => {
                let sub = match (d.subdir.is_empty(), subdir.is_empty()) {
                    (true, _) => subdir,
                    (false, true) => d.subdir,
                    (false, false) => format!("{}/{subdir}", d.subdir),
                };
                (d.url, forced.or(d.force.map(str::to_string)), sub)
            }
            None => {
                return Err(Remote::Invalid(format!(
                    "not a module registry address ({registry_err}), a local path (./ or ../), or a URL; see Terraform's module sources"
                )))
            }
        }
    };
    subdir = clean_subdir(&subdir).map_err(Remote::Invalid)?;
    if url_text.to_ascii_lowercase().starts_with("file://") {
        return Err(Remote::Unsupported("file://".into()));
    }
    let url = Url::parse(&url_text).map_err(Remote::Invalid)?;
    let getter = force.unwrap_or_else(|| url.scheme.clone());
    match getter.as_str() {
        "git" => {
            if !matches!(url.scheme.as_str(), "https" | "http" | "ssh" | "git") {
                return Err(Remote::Invalid(format!(
                    "git over {:?} is not supported (only https, ssh and git)",
                    url.scheme
                )));
            }
            plain_http_check(&url)?;
            git_source(url, subdir).map(Source::Git)
        }
        "http" | "https" => {
            if !matches!(url.scheme.as_str(), "https" | "http") {
                return Err(Remote::Invalid(format!(
                    "scheme {:?} is not http or https",
                    url.scheme
                )));
            }
            plain_http_check(&url)?;
            http_source(url, subdir).map(Source::Http)
        }
        "s3" | "gcs" | "hg" | "file" => Err(Remote::Unsupported(getter)),
        other => Err(Remote::Invalid(format!(
            "unknown source type {other:?} (only the module registry, git and https)"
        ))),
    }
}

fn plain_http_check(url: &Url) -> Result<(), Remote> {
    if url.scheme == "http" && !url.is_loopback() {
        return Err(Remote::Invalid(format!(
            "plain http to {} is refused; use https",
            url.host
        )));
    }
    Ok(())
}

fn git_source(mut url: Url, subdir: String) -> Result<GitSource, Remote> {
    let mut reference = None;
    let mut depth = None;
    let mut keep = Vec::new();
    for (k, v) in url.query_pairs() {
        match k.as_str() {
            "ref" => {
                if v.is_empty()
                    || v.len() > 256
                    || v.starts_with('-')
                    || v.contains("..")
                    || v.chars()
                        .any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c))
                {
                    return Err(Remote::Invalid(format!("invalid git ref {v:?}")));
                }
                reference = Some(v);
            }
            "depth" => {
                depth = Some(
                    v.parse::<u32>()
                        .ok()
                        .filter(|d| *d > 0)
                        .ok_or_else(|| Remote::Invalid(format!("invalid git depth {v:?}")))?,
                )
            }
            "sshkey" => return Err(Remote::Unsupported("git ?sshkey=".into())),
            _ => keep.push((k, v)),
        }
    }
    url.set_query_pairs(&keep);
    if url.path.is_empty() || url.path == "/" {
        return Err(Remote::Invalid("git URL has no repository path".into()));
    }
    Ok(GitSource {
        url,
        reference,
        depth,
        subdir,
    })
}

fn http_source(mut url: Url, subdir: String) -> Result<HttpSource, Remote> {
    let mut archive = ArchiveKind::from_path(&url.path);
    let mut checksum = None;
    let mut keep = Vec::new();
    for (k, v) in url.query_pairs() {
        match k.as_str() {
            "archive" => {
                archive = if v == "false" {
                    None
                } else {
                    Some(
                        ArchiveKind::from_name(&v)
                            .ok_or_else(|| Remote::Unsupported(format!("archive type {v:?}")))?,
                    )
                }
            }
            "checksum" => {
                checksum = Some(Checksum::parse(&v).map_err(|e| match e {
                    Ok(kind) => Remote::Unsupported(kind),
                    Err(what) => Remote::Invalid(what),
                })?)
            }
            _ => keep.push((k, v)),
        }
    }
    if let Some(kind) = ArchiveKind::unsupported_ext(&url.path) {
        if archive.is_none() && !url.query_pairs().iter().any(|(k, _)| k == "archive") {
            return Err(Remote::Unsupported(format!("archive type {kind:?}")));
        }
    }
    if checksum.is_some() && archive.is_none() {
        return Err(Remote::Invalid(
            "?checksum= is checked on archives only (.zip, .tar.gz, ?archive=)".into(),
        ));
    }
    url.set_query_pairs(&keep);
    Ok(HttpSource {
        url,
        archive,
        checksum,
        subdir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(host: &str, ns: &str, name: &str, sys: &str, subdir: &str) -> Source {
        Source::Registry {
            addr: RegistryAddr {
                host: host.into(),
                namespace: ns.into(),
                name: name.into(),
                system: sys.into(),
            },
            subdir: subdir.into(),
        }
    }

    fn git(url: &str, r: Option<&str>, depth: Option<u32>, subdir: &str) -> Source {
        Source::Git(GitSource {
            url: Url::parse(url).expect(url),
            reference: r.map(str::to_string),
            depth,
            subdir: subdir.into(),
        })
    }

    fn http(url: &str, archive: Option<ArchiveKind>, subdir: &str) -> Source {
        Source::Http(HttpSource {
            url: Url::parse(url).expect(url),
            archive,
            checksum: None,
            subdir: subdir.into(),
        })
    }

    #[test]
    fn parse_table() {
        let t = "registry.terraform.io";
        for (input, want) in [
            ("hashicorp/consul/aws", reg(t, "hashicorp", "consul", "aws", "")),
            (
                "hashicorp/consul/aws//modules/x",
                reg(t, "hashicorp", "consul", "aws", "modules/x"),
            ),
            (
                "app.Terraform.io/acme/net-work/aws",
                reg("app.terraform.io", "acme", "net-work", "aws", ""),
            ),
            (
                "example.com:8443/acme/net_work/happycloud//a/./b",
                reg("example.com:8443", "acme", "net_work", "happycloud", "a/b"),
            ),
            (
                "github.com/hashicorp/example",
                git("https://github.com/hashicorp/example.git", None, None, ""),
            ),
            (
                "github.com/hashicorp/example//sub/dir?ref=v1.2.0",
                git("https://github.com/hashicorp/example.git", Some("v1.2.0"), None, "sub/dir"),
            ),
            (
                "github.com/hashicorp/example/sub?ref=v1",
                git("https://github.com/hashicorp/example.git", Some("v1"), None, "sub"),
            ),
            (
                "git@github.com:hashicorp/example.git",
                git("ssh://git@github.com/hashicorp/example.git", None, None, ""),
            ),
            (
                "git::git@example.com:code/baz.git//bleep?ref=main",
                git("ssh://git@example.com/code/baz.git", Some("main"), None, "bleep"),
            ),
            (
                "bitbucket.org/hashicorp/tf-test-git",
                git("https://bitbucket.org/hashicorp/tf-test-git.git", None, None, ""),
            ),
            (
                "git::https://example.com/vpc.git?ref=v1.2.0&depth=1",
                git("https://example.com/vpc.git", Some("v1.2.0"), Some(1), ""),
            ),
            (
                "git::https://example.com/vpc.git//modules/a?ref=51d462976d84fdea54b47d80dcabbf680badcdb8",
                git(
                    "https://example.com/vpc.git",
                    Some("51d462976d84fdea54b47d80dcabbf680badcdb8"),
                    None,
                    "modules/a",
                ),
            ),
            (
                "git::ssh://deploy@git.example.com:7999/team/alb//sub?ref=master",
                git("ssh://deploy@git.example.com:7999/team/alb", Some("master"), None, "sub"),
            ),
            (
                "git@github.com:org/repo//modules/object?ref=v4.1.1",
                git("ssh://git@github.com/org/repo", Some("v4.1.1"), None, "modules/object"),
            ),
            (
                "git::ssh://git@example.com/storage.git",
                git("ssh://git@example.com/storage.git", None, None, ""),
            ),
            (
                "git://example.com/code/baz.git//bleep/bloop",
                git("git://example.com/code/baz.git", None, None, "bleep/bloop"),
            ),
            (
                "git::http://127.0.0.1:9418/repo.git",
                git("http://127.0.0.1:9418/repo.git", None, None, ""),
            ),
            (
                "https://example.com/vpc-module.zip",
                http("https://example.com/vpc-module.zip", Some(ArchiveKind::Zip), ""),
            ),
            (
                "https://example.com/vpc-module.tar.gz//sub",
                http("https://example.com/vpc-module.tar.gz", Some(ArchiveKind::TarGz), "sub"),
            ),
            (
                "https://example.com/vpc-module.tgz",
                http("https://example.com/vpc-module.tgz", Some(ArchiveKind::TarGz), ""),
            ),
            (
                "https://example.com/vpc-module?archive=zip",
                http("https://example.com/vpc-module", Some(ArchiveKind::Zip), ""),
            ),
            (
                "https://example.com/vpc-module?x=1",
                http("https://example.com/vpc-module?x=1", None, ""),
            ),
            (
                "https://example.com/m.tar.bz2",
                http("https://example.com/m.tar.bz2", Some(ArchiveKind::TarBz2), ""),
            ),
            (
                "https://example.com/download?archive=tbz2",
                http("https://example.com/download", Some(ArchiveKind::TarBz2), ""),
            ),
            (
                "http://localhost:8080/m.zip",
                http("http://localhost:8080/m.zip", Some(ArchiveKind::Zip), ""),
            ),
        ] {
            let got = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn checksums() {
        let sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        match parse(&format!(
            "https://example.com/m.zip?checksum=sha256:{sha}&x=1"
        )) {
            Ok(Source::Http(h)) => {
                assert_eq!(
                    h.checksum.map(|c| c.display()),
                    Some(format!("sha256:{sha}"))
                );
                assert_eq!(h.url.to_string(), "https://example.com/m.zip?x=1");
            }
            other => panic!("{other:?}"),
        }
        for (input, want) in [
            (
                "https://example.com/m.zip?checksum=md5:900150983cd24fb0d6963f7d28e17f72",
                "not supported",
            ),
            (
                "https://example.com/m.zip?checksum=sha256:zz",
                "invalid checksum",
            ),
            (
                "https://example.com/page?checksum=sha1:a9993e364706816aba3e25717850c26c9cd0d89d",
                "archives only",
            ),
        ] {
            let e = parse(input).expect_err(input).to_string();
            assert!(e.contains(want), "{input}: {e}");
        }
    }

    #[test]
    fn parse_errors() {
        for (input, want) in [
            ("./local", "local path"),
            ("../up", "local path"),
            ("", "empty"),
            ("hashicorp/consul", "not a module registry address"),
            ("hashicorp/consul/aws//../x", "leads outside"),
            ("github.com/org/repo//../../x", "leads outside"),
            ("github.com/org", "github.com/username/repo"),
            ("http://example.com/m.zip", "plain http"),
            ("git::http://example.com/m.git", "plain http"),
            (
                "git::https://example.com/m.git?ref=--upload-pack=x",
                "invalid git ref",
            ),
            (
                "git::https://example.com/m.git?depth=x",
                "invalid git depth",
            ),
            ("git::ftp://example.com/m.git", "not supported"),
            (
                "git::ssh://-oProxyCommand=x@example.com/m.git",
                "invalid user information",
            ),
            ("git@-oProxyCommand=x:m.git", "invalid host"),
            (
                "ext::sh -c touch% /tmp/pwned",
                "not a module registry address",
            ),
            ("git::ext::sh -c x", "not a module registry address"),
            ("ext::https://example.com/x", "unknown source type"),
            ("ssh://git@example.com/x.git", "unknown source type"),
        ] {
            let e = parse(input).expect_err(input).to_string();
            assert!(e.contains(want), "{input}: {e}");
        }
        for (input, kind) in [
            (
                "s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip",
                "s3",
            ),
            ("bucket.s3-eu-west-1.amazonaws.com/vpc.zip", "s3"),
            ("gcs::https://www.googleapis.com/storage/v1/b/m.zip", "gcs"),
            ("www.googleapis.com/storage/v1/b/m", "gcs"),
            ("hg::http://example.com/vpc.hg", "hg"),
            ("git::file:///tmp/repo", "file://"),
            ("/abs/path", "absolute file path"),
            ("https://example.com/m.tar.xz", "archive type"),
        ] {
            match parse(input) {
                Err(FetchError::Unsupported { kind: k, .. }) => {
                    assert!(k.contains(kind), "{input}: {k}")
                }
                other => panic!("{input}: {other:?}"),
            }
        }
    }

    #[test]
    fn passwords_are_not_shown() {
        let e = parse("git::https://user:hunter2@example.com/x.git?ref=..")
            .expect_err("bad ref")
            .to_string();
        assert!(!e.contains("hunter2"), "{e}");
        for (raw, shown) in [
            ("git::https://u:p@h/x", "git::https://***@h/x"),
            ("https://deploy:Sup3r/S3cret@h/m.zip", "https://***@h/m.zip"),
            ("https://deploy:Sup3r?S3cret@h/m.zip", "https://***@h/m.zip"),
            ("https://deploy:Sup3r#S3cret@h/m.zip", "https://***@h/m.zip"),
            (
                "git::https://ghp_0123456789abcdef@github.com/o/r.git",
                "git::https://***@github.com/o/r.git",
            ),
            ("git::https://h/x?ref=v1", "git::https://h/x?ref=v1"),
            ("git@github.com:o/r.git", "git@github.com:o/r.git"),
        ] {
            assert_eq!(display_source(raw), shown, "{raw}");
        }
        let g = match parse("git::https://user:hunter2@example.com/x.git?ref=v1") {
            Ok(Source::Git(g)) => g,
            other => panic!("{other:?}"),
        };
        assert_eq!(g.display(), "git::https://example.com/x.git?ref=v1");
    }
}
