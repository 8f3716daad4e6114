//! Git sources, fetched as go-getter does by running the machine's `git`: clone (shallow
//! with `?depth=`), check out `?ref=` (tag, branch or commit), update submodules, then
//! drop `.git`. Hardened against hostile sources: the URL comes after `--`, refs are
//! resolved with `--end-of-options` and only a commit id is checked out, only the
//! source's own transport is allowed (`protocol.allow=never` otherwise, so no `ext::`
//! or `file://`), no prompts, no hooks, and every command has a deadline.

use super::error::Problem;
use super::source::GitSource;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Clones `src` into `dest` (which must not exist).
/// The clone is stopped once `dest` holds more than `max_bytes` (checked as it grows).
pub fn clone(
    src: &GitSource,
    dest: &Path,
    timeout: Duration,
    max_bytes: u64,
) -> Result<(), Problem> {
    let deadline = Instant::now() + timeout;
    let watch = Watch {
        dir: dest,
        max_bytes,
    };
    let url = src.url.with_userinfo();
    let password = src
        .url
        .userinfo
        .as_deref()
        .and_then(|u| u.split_once(':'))
        .map(|(_, p)| p.to_string());
    let run = |dir: Option<&Path>, args: &[&str]| -> Result<String, Problem> {
        run_git(src, dir, args, deadline, &watch).map_err(|e| match (e, &password) {
            (Problem::Git(e), Some(p)) if !p.is_empty() => {
                Problem::Git(e.replace(p.as_str(), "***"))
            }
            (e, _) => e,
        })
    };
    let dest_s = dest.to_string_lossy().into_owned();
    let mut args: Vec<String> = vec!["clone".into(), "--quiet".into(), "--no-checkout".into()];
    if let Some(d) = src.depth {
        args.push(format!("--depth={d}"));
        if let Some(r) = &src.reference {
            args.push(format!("--branch={r}"));
        }
    }
    args.push("--".into());
    args.push(url);
    args.push(dest_s);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    run(None, &argv)?;
    let wanted = src.reference.as_deref().unwrap_or("HEAD");
    let mut commit = None;
    for candidate in [
        format!("{wanted}^{{commit}}"),
        format!("refs/remotes/origin/{wanted}^{{commit}}"),
    ] {
        if let Ok(out) = run(
            Some(dest),
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &candidate,
            ],
        ) {
            let id = out.trim().to_string();
            if !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit()) {
                commit = Some(id);
                break;
            }
        }
    }
    let Some(commit) = commit else {
        return Err(Problem::Git(format!(
            "ref {wanted:?} is not a branch, tag or commit of the repository"
        )));
    };
    run(
        Some(dest),
        &["checkout", "--quiet", "--detach", &commit, "--"],
    )?;
    if dest.join(".gitmodules").is_file() {
        run(
            Some(dest),
            &["submodule", "update", "--init", "--recursive", "--quiet"],
        )?;
    }
    remove_git_dirs(dest)
}

/// A directory whose size is watched while git writes to it.
struct Watch<'a> {
    dir: &'a Path,
    max_bytes: u64,
}

/// How often the watched directory is measured.
const WATCH_EVERY: Duration = Duration::from_millis(500);

/// The directory holds more than `max` bytes (stops counting there; bounded walk).
fn larger_than(dir: &Path, max: u64) -> bool {
    let mut total = 0u64;
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    let mut seen = 0usize;
    while let Some((d, depth)) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.filter_map(Result::ok) {
            seen += 1;
            if seen > 1_000_000 {
                return true;
            }
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() && depth < 64 {
                stack.push((e.path(), depth + 1));
            } else if ft.is_file() {
                total += e.metadata().map(|m| m.len()).unwrap_or(0);
                if total > max {
                    return true;
                }
            }
        }
    }
    false
}

/// Runs `git` with the hardening settings; its stdout, or its stderr as the error.
fn run_git(
    src: &GitSource,
    dir: Option<&Path>,
    args: &[&str],
    deadline: Instant,
    watch: &Watch,
) -> Result<String, Problem> {
    let scheme = src.url.scheme.as_str();
    let mut cmd = Command::new("git");
    cmd.arg("-c")
        .arg("protocol.allow=never")
        .arg("-c")
        .arg(format!("protocol.{scheme}.allow=always"))
        .args(["-c", "core.hooksPath=/dev/null"])
        .args(["-c", "core.fsmonitor=false"])
        .args(["-c", "advice.detachedHead=false"])
        .args(["-c", "credential.interactive=never"]);
    if scheme == "http" {
        // Plain http is for loopback only; a redirect must not take it elsewhere.
        cmd.args(["-c", "http.followRedirects=false"]);
    }
    if let Some(d) = dir {
        cmd.arg("-C").arg(d);
    }
    cmd.args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PROTOCOL_FROM_USER", "0")
        .env("GIT_ALLOW_PROTOCOL", scheme)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
        .env_remove("GIT_CEILING_DIRECTORIES")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if std::env::var_os("GIT_SSH_COMMAND").is_none() && std::env::var_os("GIT_SSH").is_none() {
        cmd.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| Problem::Git(format!("could not run git (is it installed?): {e}")))?;
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_t = std::thread::spawn(move || read_capped(out.as_mut()));
    let err_t = std::thread::spawn(move || read_capped(err.as_mut()));
    let what = args.first().copied().unwrap_or_default();
    let mut measured = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Problem::Git(format!("git {what} timed out")));
            }
            Ok(None) if measured.elapsed() >= WATCH_EVERY => {
                measured = Instant::now();
                if larger_than(watch.dir, watch.max_bytes) {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(Problem::Refused(format!(
                        "the repository is larger than {} bytes",
                        watch.max_bytes
                    )));
                }
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(Problem::Git(format!("waiting for git: {e}"))),
        }
    };
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    if !status.success() {
        let msg = git_message(&stderr);
        return Err(Problem::Git(format!(
            "git {what} failed: {}",
            if msg.is_empty() { "no message" } else { &msg }
        )));
    }
    if larger_than(watch.dir, watch.max_bytes) {
        return Err(Problem::Refused(format!(
            "the repository is larger than {} bytes",
            watch.max_bytes
        )));
    }
    Ok(stdout)
}

/// What git says went wrong, the same every run: its first `fatal:` or `error:` line
/// (else its last line), without the timings some messages carry (`after 0 ms`), so
/// that a report does not change from run to run.
fn git_message(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let line = lines
        .iter()
        .find(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        .or(lines.last())
        .copied()
        .unwrap_or_default();
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(" after ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " after ".len()..];
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        match tail[digits..].strip_prefix(" ms") {
            Some(after) if digits > 0 => rest = after,
            _ => {
                out.push_str(" after ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// At most 64 KiB of a pipe.
fn read_capped(r: Option<&mut impl Read>) -> String {
    let mut buf = Vec::new();
    if let Some(r) = r {
        let _ = (&mut *r).take(64 * 1024).read_to_end(&mut buf);
        // Drain the rest so the child is never blocked on a full pipe.
        let _ = std::io::copy(r, &mut std::io::sink());
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Removes `.git` directories and files (submodules' pointers) from the checkout.
fn remove_git_dirs(root: &Path) -> Result<(), Problem> {
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        if depth > 64 {
            return Err(Problem::Refused(
                "checkout is nested more than 64 levels deep".into(),
            ));
        }
        let rd = std::fs::read_dir(&dir).map_err(|e| Problem::io(&dir, e))?;
        for e in rd {
            let e = e.map_err(|e| Problem::io(&dir, e))?;
            let p = e.path();
            let ft = e.file_type().map_err(|x| Problem::io(&p, x))?;
            if e.file_name() == ".git" {
                if ft.is_dir() {
                    std::fs::remove_dir_all(&p).map_err(|x| Problem::io(&p, x))?;
                } else {
                    std::fs::remove_file(&p).map_err(|x| Problem::io(&p, x))?;
                }
            } else if ft.is_dir() {
                stack.push((p, depth + 1));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod message_tests {
    #[test]
    fn git_messages_are_the_same_every_run() {
        for (stderr, want) in [
            (
                "Cloning into '/tmp/x1'...\nfatal: unable to access 'https://h/r/': Failed to connect to h port 443 after 0 ms: Could not connect\n",
                "fatal: unable to access 'https://h/r/': Failed to connect to h port 443: Could not connect",
            ),
            ("warning: a\nlast words", "last words"),
            ("error: pathspec after all", "error: pathspec after all"),
            ("", ""),
        ] {
            assert_eq!(super::git_message(stderr), want);
        }
    }
}
