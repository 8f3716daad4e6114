//! End-to-end tests of [`super::Fetcher`] against servers on loopback started here: a
//! module registry, archive servers, and git repositories served by `git daemon`. No
//! test reaches beyond 127.0.0.1, and every server stops when its test ends.

use super::archive::tests::{targz, zipfile, E};
use super::testserver::{Reply, Server};
use super::{FetchError, Fetcher, Limits};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn fetcher_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Fetcher>();
}

fn fetcher(cache: &Path, offline: bool) -> Fetcher {
    Fetcher::with_cache(cache.to_path_buf(), offline, no_env)
}

fn read(p: PathBuf) -> String {
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `host:port` of a server's base URL.
fn hostport(base: &str) -> &str {
    base.trim_start_matches("http://")
}

/// A registry with module acme/net/aws in versions 1.0.0 (200 + JSON location, a zip),
/// 1.1.0 (204 + relative X-Terraform-Get, a tar.gz with a subdirectory) and
/// 2.0.0-beta; archives on the same server unless `archive_base` says where.
fn registry(archive_base: Option<String>) -> Server {
    let tgz = Arc::new(targz(&[
        E::File("main.tf", "# v1.1.0 root"),
        E::File("modules/sub/main.tf", "# v1.1.0 sub"),
    ]));
    let zip = Arc::new(zipfile(&[("main.tf", "# v1.0.0 root")]));
    Server::start("127.0.0.1", move |r| {
        let arch = archive_base.clone().unwrap_or_else(|| r.base.clone());
        match r.path.as_str() {
            "/.well-known/terraform.json" => Reply::ok(r#"{"modules.v1":"/v1/modules/"}"#),
            "/v1/modules/acme/net/aws/versions" => Reply::ok(
                r#"{"modules":[{"versions":[{"version":"1.0.0"},{"version":"1.1.0"},{"version":"2.0.0-beta"},{"version":"bogus"}]}]}"#,
            ),
            "/v1/modules/acme/net/aws/1.1.0/download" => {
                let loc = if arch == r.base {
                    "/archives/net-1.1.0.tar.gz".to_string()
                } else {
                    format!("{arch}/archives/net-1.1.0.tar.gz")
                };
                Reply::status(204).header("X-Terraform-Get", &loc)
            }
            "/v1/modules/acme/net/aws/1.0.0/download" => {
                Reply::ok(format!(r#"{{"location":"{arch}/archives/net-1.0.0.zip"}}"#))
            }
            "/archives/net-1.1.0.tar.gz" => Reply::ok(tgz.as_slice()),
            "/archives/net-1.0.0.zip" => Reply::ok(zip.as_slice()),
            _ => Reply::status(404),
        }
    })
}

#[test]
fn registry_fetch_end_to_end_then_cache_only() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = tmp.path().join("cache");
    let server = registry(None);
    let host = hostport(&server.base).to_string();
    let f = fetcher(&cache, false);
    let src = format!("{host}/acme/net/aws//modules/sub");
    let got = f.fetch(&src, Some("~> 1.0")).expect("fetch 1.1.0");
    assert_eq!(got.resolved, format!("{host}/acme/net/aws 1.1.0"));
    assert_eq!(read(got.dir.join("main.tf")), "# v1.1.0 sub");
    assert_eq!(read(got.package_root.join("main.tf")), "# v1.1.0 root");
    let old = f
        .fetch(&format!("{host}/acme/net/aws"), Some("< 1.1"))
        .expect("fetch 1.0.0");
    assert_eq!(read(old.dir.join("main.tf")), "# v1.0.0 root");
    let beta = f.fetch(&format!("{host}/acme/net/aws"), Some("> 1.1.0"));
    let e = beta.expect_err("no release above 1.1.0").to_string();
    assert!(
        e.contains("no version") && e.contains("the newest is 1.1.0"),
        "{e}"
    );
    let asked = server.requests().len();
    // The same fetches again: from the cache, with the server gone.
    drop(server);
    let again = f.fetch(&src, Some("~> 1.0")).expect("cached");
    assert_eq!(again, got);
    let offline = fetcher(&cache, true);
    assert_eq!(
        offline
            .fetch(&src, Some(">= 1.0.0, < 2.0.0"))
            .expect("offline hit"),
        got
    );
    assert_eq!(
        offline
            .fetch(&format!("{host}/acme/net/aws"), Some("1.0.0"))
            .expect("offline hit")
            .resolved,
        format!("{host}/acme/net/aws 1.0.0")
    );
    match offline.fetch(&format!("{host}/acme/net/aws"), Some("2.0.0-beta")) {
        Err(e @ FetchError::Offline { .. }) => {
            assert!(e.to_string().contains("--offline forbids"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert!(asked > 0);
}

#[test]
fn a_cached_allowed_version_is_kept_unless_upgrading() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = tmp.path().join("c");
    let server = registry(None);
    let src = format!("{}/acme/net/aws", hostport(&server.base));
    let f = fetcher(&cache, false);
    let v = |got: super::Fetched| {
        got.resolved
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(v(f.fetch(&src, Some("< 1.1")).expect("1.0.0")), "1.0.0");
    let asked = server.requests().len();
    assert_eq!(v(f.fetch(&src, Some("~> 1.0")).expect("cached")), "1.0.0");
    assert_eq!(server.requests().len(), asked, "the cache answered");
    let up = fetcher(&cache, false).with_upgrade(true);
    assert_eq!(v(up.fetch(&src, Some("~> 1.0")).expect("newest")), "1.1.0");
    assert_eq!(v(up.fetch(&src, None).expect("newest")), "1.1.0");
}

#[test]
fn registry_prerelease_and_not_found() {
    let tmp = tempfile::tempdir().expect("tmp");
    let server = registry(None);
    let host = hostport(&server.base).to_string();
    let f = fetcher(&tmp.path().join("c"), false);
    let e = f
        .fetch(&format!("{host}/acme/missing/aws"), None)
        .expect_err("missing")
        .to_string();
    assert!(e.contains("not found"), "{e}");
    // The prerelease is chosen when named exactly; it has no download here.
    let e = f
        .fetch(&format!("{host}/acme/net/aws"), Some("2.0.0-beta"))
        .expect_err("no download")
        .to_string();
    assert!(e.contains("2.0.0-beta"), "{e}");
    let e = f
        .fetch(&format!("{host}/acme/net/aws"), Some("~> nope"))
        .expect_err("bad constraint");
    assert!(matches!(e, FetchError::Constraint { .. }), "{e}");
}

#[test]
fn token_goes_only_to_its_host_and_is_never_shown() {
    let tmp = tempfile::tempdir().expect("tmp");
    let token = "s3cr3t-t0ken-value";
    let archives = Server::start("localhost", {
        let tgz = targz(&[E::File("main.tf", "# from cdn")]);
        move |r| match r.path.as_str() {
            "/archives/net-1.1.0.tar.gz" => Reply::ok(tgz.clone()),
            _ => Reply::status(500).header("X-Echo", "whatever"),
        }
    });
    let server = registry(Some(archives.base.clone()));
    let host = hostport(&server.base).to_string();
    let f = Fetcher::with_cache(tmp.path().join("c"), false, move |name| {
        (name == "TF_TOKEN_127_0_0_1").then(|| token.to_string())
    });
    let got = f
        .fetch(&format!("{host}/acme/net/aws"), Some("1.1.0"))
        .expect("fetch");
    assert_eq!(read(got.dir.join("main.tf")), "# from cdn");
    let reg = server.requests();
    assert!(!reg.is_empty());
    for r in &reg {
        assert_eq!(
            r.auth.as_deref(),
            Some("Bearer s3cr3t-t0ken-value"),
            "{}",
            r.path
        );
    }
    for r in archives.requests() {
        assert_eq!(r.auth, None, "token sent to the other host: {}", r.path);
    }
    // Never in a message, `resolved`, the fetcher's Debug or a cache path.
    let e = f
        .fetch(&format!("{host}/acme/net/aws"), Some("1.0.0"))
        .expect_err("the zip is not on the archive host");
    for text in [
        e.to_string(),
        format!("{e:?}"),
        got.resolved.clone(),
        format!("{f:?}"),
    ] {
        assert!(!text.contains(token), "{text}");
    }
    let mut stack = vec![tmp.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            assert!(!e.path().to_string_lossy().contains(token));
            if e.path().is_dir() {
                stack.push(e.path());
            } else if let Ok(s) = std::fs::read_to_string(e.path()) {
                assert!(!s.contains(token), "{}", e.path().display());
            }
        }
    }
}

#[test]
fn archives_and_terraform_get_pages() {
    let tmp = tempfile::tempdir().expect("tmp");
    let zip = zipfile(&[("main.tf", "# zip"), ("sub/main.tf", "# zip sub")]);
    let zip_bytes = zip.clone();
    let tgz = targz(&[E::File("m/main.tf", "# tgz")]);
    let gh = targz(&[E::File("org-repo-1a2b3c/modules/x/main.tf", "# globbed")]);
    let server = Server::start("127.0.0.1", move |r| {
        match r.path.split('?').next().unwrap_or_default() {
            "/m.zip" => Reply::ok(zip.clone()),
            "/download" => Reply::ok(tgz.clone()),
            "/gh.tar.gz" => Reply::ok(gh.clone()),
            "/page" if r.path.contains("terraform-get=1") => {
                Reply::ok("").header("X-Terraform-Get", "./download//m?archive=tgz")
            }
            "/meta" => Reply::ok(format!(
                r#"<html><head><meta name="terraform-get" content="{}/m.zip//sub"></head></html>"#,
                r.base
            )),
            "/loop" => Reply::ok("").header("X-Terraform-Get", "/loop"),
            "/plain" => Reply::ok("just a page"),
            _ => Reply::status(404),
        }
    });
    let f = fetcher(&tmp.path().join("c"), false);
    let b = &server.base;
    let got = f.fetch(&format!("{b}/m.zip//sub"), None).expect("zip");
    assert_eq!(read(got.dir.join("main.tf")), "# zip sub");
    assert_eq!(got.resolved, format!("{b}/m.zip"));
    let got = f
        .fetch(&format!("{b}/download//m?archive=tar.gz"), None)
        .expect("tgz");
    assert_eq!(read(got.dir.join("main.tf")), "# tgz");
    let got = f
        .fetch(&format!("{b}/page"), None)
        .expect("X-Terraform-Get");
    assert_eq!(read(got.dir.join("main.tf")), "# tgz");
    let got = f
        .fetch(&format!("{b}/gh.tar.gz//*/modules/x"), None)
        .expect("glob");
    assert_eq!(read(got.dir.join("main.tf")), "# globbed");
    let got = f.fetch(&format!("{b}/meta"), None).expect("meta tag");
    assert_eq!(read(got.dir.join("main.tf")), "# zip sub");
    for (path, want) in [
        ("/loop", "more than 10 sources"),
        ("/plain", "neither an archive"),
        ("/missing.zip", "status 404"),
        ("/m.zip//nope", "does not exist"),
    ] {
        let e = f
            .fetch(&format!("{b}{path}"), None)
            .expect_err(path)
            .to_string();
        assert!(e.contains(want), "{path}: {e}");
    }
    let sha: String = ring::digest::digest(&ring::digest::SHA256, &zip_bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let got = f
        .fetch(&format!("{b}/m.zip?checksum=sha256:{sha}"), None)
        .expect("checksum");
    assert_eq!(read(got.dir.join("main.tf")), "# zip");
    let wrong = "0".repeat(64);
    match f.fetch(&format!("{b}/m.zip?checksum=sha256:{wrong}"), None) {
        Err(e @ FetchError::Refused { .. }) => {
            assert!(e.to_string().contains("checksum mismatch"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    let e = f
        .fetch(&format!("{b}/m.zip"), Some("1.0"))
        .expect_err("version");
    assert!(matches!(e, FetchError::VersionNotAllowed { .. }), "{e}");
}

#[test]
fn concurrent_fetches_of_one_package_download_it_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let zip = zipfile(&[("main.tf", "# once")]);
    let server = Server::start("127.0.0.1", move |_| Reply::ok(zip.clone()));
    let f = fetcher(&tmp.path().join("c"), false);
    let src = format!("{}/m.zip", server.base);
    let got: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4).map(|_| s.spawn(|| f.fetch(&src, None))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    for g in &got {
        assert_eq!(
            read(g.as_ref().expect("fetch").dir.join("main.tf")),
            "# once"
        );
    }
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn redirects_are_checked_and_bounded_and_requests_time_out() {
    let tmp = tempfile::tempdir().expect("tmp");
    let token = "tok-for-127";
    let other = Server::start("localhost", {
        let tgz = targz(&[E::File("main.tf", "# redirected")]);
        move |_| Reply::ok(tgz.clone())
    });
    let other_base = other.base.clone();
    let server = Server::start("127.0.0.1", move |r| match r.path.as_str() {
        "/away.tgz" => Reply::status(302).header("Location", &format!("{other_base}/m.tgz")),
        "/loop.tgz" => Reply::status(307).header("Location", "/loop.tgz"),
        "/plain.tgz" => Reply::status(301).header("Location", "http://example.com/m.tgz"),
        "/ftp.tgz" => Reply::status(302).header("Location", "ftp://127.0.0.1/m.tgz"),
        "/slow.tgz" => {
            std::thread::sleep(Duration::from_millis(1500));
            Reply::ok("late")
        }
        _ => Reply::status(404),
    });
    let limits = Limits {
        request_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let f = Fetcher::with_cache(tmp.path().join("c"), false, move |name| {
        (name == "TF_TOKEN_127_0_0_1").then(|| token.to_string())
    })
    .with_limits(limits);
    let b = &server.base;
    let got = f.fetch(&format!("{b}/away.tgz"), None).expect("redirected");
    assert_eq!(read(got.dir.join("main.tf")), "# redirected");
    assert_eq!(
        server.requests()[0].auth.as_deref(),
        Some("Bearer tok-for-127")
    );
    assert!(
        other.requests().iter().all(|r| r.auth.is_none()),
        "token followed the redirect"
    );
    for (path, want) in [
        ("/loop.tgz", "more than 10 redirects"),
        ("/plain.tgz", "plain http is refused"),
        ("/ftp.tgz", "is not http or https"),
        ("/slow.tgz", "timed out"),
    ] {
        let e = f
            .fetch(&format!("{b}{path}"), None)
            .expect_err(path)
            .to_string();
        assert!(e.contains(want), "{path}: {e}");
        assert!(!e.contains(token), "{e}");
    }
}

#[test]
fn hostile_archives_are_refused_and_not_cached() {
    let tmp = tempfile::tempdir().expect("tmp");
    let slip = targz(&[E::File("ok.tf", "x"), E::File("../../escaped.tf", "pwned")]);
    let link = targz(&[E::Link("creds", "/etc/passwd")]);
    let zslip = zipfile(&[("../../escaped.tf", "pwned")]);
    let big: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let server = Server::start("127.0.0.1", move |r| match r.path.as_str() {
        "/slip.tgz" => Reply::ok(slip.clone()),
        "/link.tgz" => Reply::ok(link.clone()),
        "/slip.zip" => Reply::ok(zslip.clone()),
        "/big.zip" => Reply::ok(big.clone()),
        _ => Reply::status(404),
    });
    let cache = tmp.path().join("a").join("b").join("cache");
    let limits = Limits {
        max_download_bytes: 10_000,
        ..Limits::default()
    };
    let f = fetcher(&cache, false).with_limits(limits);
    for (path, want) in [
        ("/slip.tgz", "leads outside"),
        ("/link.tgz", "outside the package"),
        ("/slip.zip", "leads outside"),
        ("/big.zip", "more than the limit of 10000"),
    ] {
        match f.fetch(&format!("{}{path}", server.base), None) {
            Err(e @ FetchError::Refused { .. }) => assert!(e.to_string().contains(want), "{e}"),
            other => panic!("{path}: {other:?}"),
        }
    }
    for p in [
        tmp.path().join("escaped.tf"),
        tmp.path().join("a/escaped.tf"),
        tmp.path().join("a/b/escaped.tf"),
    ] {
        assert!(!p.exists(), "{}", p.display());
    }
    // Nothing entered the cache, and no temporary directory is left.
    assert!(!cache.join("http").exists());
    assert_eq!(
        std::fs::read_dir(cache.join(".tmp")).expect("tmp").count(),
        0
    );
}

#[test]
fn offline_miss_is_an_error_without_network() {
    let tmp = tempfile::tempdir().expect("tmp");
    let f = fetcher(&tmp.path().join("c"), true);
    for src in [
        "hashicorp/consul/aws",
        "github.com/hashicorp/example?ref=v1",
        "https://example.com/m.zip",
    ] {
        let e = f.fetch(src, None).expect_err(src);
        assert!(matches!(e, FetchError::Offline { .. }), "{src}: {e}");
        assert!(e.to_string().contains("not in the module cache"), "{e}");
    }
    let e = f
        .fetch("s3::https://s3.amazonaws.com/b/m.zip", None)
        .expect_err("s3");
    assert!(e.to_string().contains("not supported"), "{e}");
}

/// `git daemon` serving `base` on a free loopback port; stopped on drop, and by itself
/// after two minutes.
struct GitDaemon {
    child: Child,
    port: u16,
}

impl GitDaemon {
    fn start(base: &Path) -> GitDaemon {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new("timeout")
            .args(["120", "git", "daemon", "--reuseaddr", "--export-all"])
            .arg(format!("--base-path={}", base.display()))
            .args([
                "--listen=127.0.0.1",
                &format!("--port={port}"),
                "--timeout=30",
            ])
            .arg(base)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("git daemon");
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        GitDaemon { child, port }
    }
}

impl Drop for GitDaemon {
    fn drop(&mut self) {
        // TERM to `timeout`, which passes it on to git daemon.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "init.defaultBranch=main",
        ])
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repository with tag v1.0.0 and a later commit on main.
fn repo(base: &Path) -> PathBuf {
    let r = base.join("net.git");
    std::fs::create_dir_all(r.join("modules/a")).expect("mkdir");
    git(&r, &["init", "--quiet"]);
    std::fs::write(r.join("main.tf"), "# v1 root").expect("write");
    std::fs::write(r.join("modules/a/main.tf"), "# v1 a").expect("write");
    git(&r, &["add", "."]);
    git(&r, &["commit", "--quiet", "-m", "v1"]);
    git(&r, &["tag", "v1.0.0"]);
    git(&r, &["checkout", "--quiet", "-b", "feature"]);
    std::fs::write(r.join("main.tf"), "# feature root").expect("write");
    git(&r, &["commit", "--quiet", "-am", "feature"]);
    git(&r, &["checkout", "--quiet", "main"]);
    std::fs::write(r.join("main.tf"), "# v2 root").expect("write");
    git(&r, &["commit", "--quiet", "-am", "v2"]);
    r
}

#[test]
fn git_fetch_refs_subdirs_depth_and_cache() {
    let tmp = tempfile::tempdir().expect("tmp");
    let served = tmp.path().join("served");
    repo(&served);
    let daemon = GitDaemon::start(&served);
    let p = daemon.port;
    let cache = tmp.path().join("c");
    let f = fetcher(&cache, false);
    let src = format!("git::git://127.0.0.1:{p}/net.git//modules/a?ref=v1.0.0");
    let got = f.fetch(&src, None).expect("tag");
    assert_eq!(read(got.dir.join("main.tf")), "# v1 a");
    assert_eq!(read(got.package_root.join("main.tf")), "# v1 root");
    assert_eq!(
        got.resolved,
        format!("git::git://127.0.0.1:{p}/net.git?ref=v1.0.0")
    );
    assert!(!got.package_root.join(".git").exists());
    for (src, want) in [
        (format!("git::git://127.0.0.1:{p}/net.git"), "# v2 root"),
        (
            format!("git::git://127.0.0.1:{p}/net.git?ref=feature"),
            "# feature root",
        ),
        (
            format!("git::git://127.0.0.1:{p}/net.git?ref=v1.0.0&depth=1"),
            "# v1 root",
        ),
    ] {
        let got = f.fetch(&src, None).unwrap_or_else(|e| panic!("{src}: {e}"));
        assert_eq!(read(got.dir.join("main.tf")), want, "{src}");
    }
    let e = f
        .fetch(&format!("git::git://127.0.0.1:{p}/net.git?ref=nope"), None)
        .expect_err("no such ref")
        .to_string();
    assert!(e.contains("nope"), "{e}");
    let small = fetcher(&tmp.path().join("c2"), false).with_limits(Limits {
        max_download_bytes: 2000,
        ..Limits::default()
    });
    match small.fetch(&src, None) {
        Err(e @ FetchError::Refused { .. }) => {
            assert!(e.to_string().contains("larger than 2000 bytes"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    drop(daemon);
    assert_eq!(f.fetch(&src, None).expect("cached"), got);
    assert_eq!(
        fetcher(&cache, true).fetch(&src, None).expect("offline"),
        got
    );
}

#[test]
fn registry_location_in_git_with_both_subdirectories() {
    let tmp = tempfile::tempdir().expect("tmp");
    let served = tmp.path().join("served");
    repo(&served);
    let daemon = GitDaemon::start(&served);
    let loc = format!(
        "git::git://127.0.0.1:{}/net.git//modules?ref=v1.0.0",
        daemon.port
    );
    let server = Server::start("127.0.0.1", move |r| match r.path.as_str() {
        "/.well-known/terraform.json" => Reply::ok(r#"{"modules.v1":"/m/"}"#),
        "/m/acme/net/aws/versions" => {
            Reply::ok(r#"{"modules":[{"versions":[{"version":"1.0.0"}]}]}"#)
        }
        "/m/acme/net/aws/1.0.0/download" => Reply::status(204).header("X-Terraform-Get", &loc),
        _ => Reply::status(404),
    });
    let f = fetcher(&tmp.path().join("c"), false);
    let src = format!("{}/acme/net/aws//a", hostport(&server.base));
    let got = f.fetch(&src, None).expect("registry to git");
    assert_eq!(read(got.dir.join("main.tf")), "# v1 a");
    assert_eq!(read(got.package_root.join("main.tf")), "# v1 root");
    drop(daemon);
    drop(server);
    assert_eq!(f.fetch(&src, Some("1.0.0")).expect("cached"), got);
}

#[test]
fn git_refuses_transports_a_source_could_inject() {
    let tmp = tempfile::tempdir().expect("tmp");
    let served = tmp.path().join("served");
    let r = repo(&served);
    let f = fetcher(&tmp.path().join("c"), false);
    // file:// is refused before git runs; a submodule over file:// is refused by git.
    assert!(f
        .fetch(&format!("git::file://{}", r.display()), None)
        .is_err());
    let outer = served.join("outer.git");
    std::fs::create_dir_all(&outer).expect("mkdir");
    git(&outer, &["init", "--quiet"]);
    std::fs::write(outer.join("main.tf"), "#").expect("write");
    git(&outer, &["add", "."]);
    git(&outer, &["commit", "--quiet", "-m", "x"]);
    let sub = format!("file://{}", r.display());
    git(
        &outer,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "--quiet",
            &sub,
            "s",
        ],
    );
    git(&outer, &["commit", "--quiet", "-m", "sub"]);
    let daemon = GitDaemon::start(&served);
    let e = f
        .fetch(
            &format!("git::git://127.0.0.1:{}/outer.git", daemon.port),
            None,
        )
        .expect_err("file:// submodule");
    assert!(matches!(e, FetchError::Git { .. }), "{e}");
    assert!(
        e.to_string().contains("transport 'file' not allowed"),
        "{e}"
    );
}

/// The shared corpus of real files (`../shared/corpus`), read in place.
fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("INDEX.tsv").is_file() {
        Some(dir)
    } else if std::env::var_os("CI").is_some() {
        panic!("../shared/corpus is missing: CI must run with ../shared beside the checkout");
    } else {
        None
    }
}

/// Module sources and versions of real configurations: `modules.json` manifests and
/// the `module_calls` of plans.
fn corpus_sources(dir: &Path) -> Vec<(String, String)> {
    fn calls(v: &serde_json::Value, out: &mut Vec<(String, String)>, depth: usize) {
        let Some(m) = v.get("module_calls").and_then(|m| m.as_object()) else {
            return;
        };
        for c in m.values() {
            if let Some(s) = c.get("source").and_then(|s| s.as_str()) {
                let ver = c.get("version_constraint").and_then(|s| s.as_str());
                out.push((s.to_string(), ver.unwrap_or_default().to_string()));
            }
            if depth < 16 {
                if let Some(inner) = c.get("module") {
                    calls(inner, out, depth + 1);
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.join("modulesjson"), dir.join("plan")];
    let mut files = 0;
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            files += 1;
            assert!(files < 20_000, "corpus walk is bounded");
            if p.extension().and_then(|x| x.to_str()) != Some("json") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            for m in doc
                .get("Modules")
                .and_then(|m| m.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(s) = m.get("Source").and_then(|s| s.as_str()) {
                    let ver = m.get("Version").and_then(|s| s.as_str());
                    out.push((s.to_string(), ver.unwrap_or_default().to_string()));
                }
            }
            if let Some(root) = doc.pointer("/configuration/root_module") {
                calls(root, &mut out, 0);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_corpus_module_source_parses_as_terraform_reads_it() {
    let Some(dir) = corpus() else { return };
    let sources = corpus_sources(&dir);
    let (mut registry, mut git, mut http, mut local) = (0, 0, 0, 0);
    let mut failed = Vec::new();
    for (src, ver) in &sources {
        // The root module's own entry in modules.json has an empty source.
        if src.is_empty() || src.starts_with("./") || src.starts_with("../") {
            local += 1;
            continue;
        }
        match super::parse(src) {
            Ok(super::Source::Registry { .. }) => {
                registry += 1;
                if !ver.is_empty() {
                    super::version::Constraint::parse(ver)
                        .unwrap_or_else(|e| panic!("{src} version {ver:?}: {e}"));
                }
            }
            Ok(super::Source::Git(_)) => git += 1,
            Ok(super::Source::Http(_)) => http += 1,
            Err(e) => failed.push(e.to_string()),
        }
    }
    eprintln!(
        "corpus module sources: {} distinct; {registry} registry, {git} git, {http} http, {local} local or root, {} refused",
        sources.len(),
        failed.len()
    );
    assert!(
        registry >= 20 && git >= 10,
        "{registry} registry, {git} git"
    );
    // Only test fixtures' two-part addresses, which Terraform refuses too.
    for e in &failed {
        assert!(e.contains("somewhere/"), "{e}");
    }
}
