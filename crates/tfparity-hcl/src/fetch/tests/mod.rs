//! End-to-end tests of [`super::Fetcher`] against servers on loopback started here: a
//! module registry and archive servers (git in `git.rs`, the shared corpus in
//! `corpus.rs`). No test reaches beyond 127.0.0.1, and every server stops when its test
//! ends.

mod corpus;
mod garbage;
mod git;

use super::archive::tests::{targz, zipfile, E};
use super::testserver::{Reply, Server};
use super::{FetchError, Fetcher, Limits};
use std::path::{Path, PathBuf};
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
    // A password in an archive URL is sent as Basic auth to that host, and not shown.
    let with_user = archives
        .base
        .replace("http://", "http://deploy:pa%24%24@")
        .to_string();
    let e = f
        .fetch(&format!("{with_user}/missing.tgz"), None)
        .expect_err("500");
    assert!(!e.to_string().contains("pa%24%24"), "{e}");
    let last = archives.requests().pop().expect("asked");
    assert_eq!(last.auth.as_deref(), Some("Basic ZGVwbG95OnBhJCQ="));
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
    // Separate fetchers (as separate processes would be) racing on a new cache: each
    // may download, one rename wins, all end with the same complete package.
    let shared = tmp.path().join("shared");
    let src2 = format!("{}/m.zip?x=2", server.base);
    let raced: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| fetcher(&shared, false).fetch(&src2, None)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let first = raced[0].as_ref().expect("fetch").clone();
    for r in &raced {
        assert_eq!(r.as_ref().expect("fetch"), &first);
    }
    assert_eq!(read(first.dir.join("main.tf")), "# once");
    assert_eq!(
        std::fs::read_dir(shared.join(".tmp")).expect("tmp").count(),
        0
    );
    // With the server gone, both come from the cache.
    drop(server);
    let again = f.fetch(&src, None).expect("cached");
    assert_eq!(&again, got[0].as_ref().expect("fetch"));
    assert_eq!(
        fetcher(&shared, true).fetch(&src2, None).expect("offline"),
        first
    );
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

#[test]
fn without_a_home_the_cache_is_a_directory_of_the_runs_own() {
    let (a, b) = (super::private_temp_dir(), super::private_temp_dir());
    assert_ne!(a, b);
    assert!(a.is_dir() && b.is_dir());
    let _ = std::fs::remove_dir(&a);
    let _ = std::fs::remove_dir(&b);
}

#[test]
fn fetching_stops_when_its_time_is_spent_but_the_cache_still_serves() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = tmp.path().join("cache");
    let server = registry(None);
    let host = hostport(&server.base).to_string();
    let src = format!("{host}/acme/net/aws");
    // Fetched once with time to spare: in the cache.
    let got = fetcher(&cache, false)
        .fetch(&src, Some("1.1.0"))
        .expect("fetch");
    let asked = server.requests().len();
    let spent = fetcher(&cache, false).with_limits(Limits {
        total_time: std::time::Duration::ZERO,
        ..Limits::default()
    });
    // What the cache holds needs no time; anything else is not fetched, and said.
    assert_eq!(spent.fetch(&src, Some("1.1.0")).expect("cached"), got);
    match spent.fetch(&src, Some("1.0.0")) {
        Err(e @ FetchError::OutOfTime { .. }) => {
            assert!(e.to_string().contains("--fetch-timeout"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    match spent.fetch(&format!("{}/x.tgz", server.base), None) {
        Err(FetchError::OutOfTime { .. }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.requests().len(),
        asked,
        "no request once the time is spent"
    );
}
