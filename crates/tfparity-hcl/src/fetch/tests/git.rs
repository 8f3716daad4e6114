//! Git sources end to end: repositories made in the test with the `git` binary and
//! served by `git daemon` on loopback (stopped when the test ends, and by itself after
//! two minutes): refs, subdirectories, depth, the cache, registry locations in git, and
//! transports a source could inject.

use super::super::testserver::{Reply, Server};
use super::super::{FetchError, Limits};
use super::{fetcher, hostport, read};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

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
