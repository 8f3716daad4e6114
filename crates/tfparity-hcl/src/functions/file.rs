//! Filesystem functions: `file`, `filebase64`, `fileexists`, `fileset` (paths relative to
//! [`FnCtx::module_dir`](super::FnCtx)), and the path functions `abspath`, `basename`,
//! `dirname`, `pathexpand`, with Go's `filepath` cleaning rules and doublestar's globs.
//! Reads, never writes.

use super::encoding::base64;
use super::{fail, Args, FnError, Spec};
use crate::value::V;
use std::path::{Path, PathBuf};

pub(super) const SPECS: &[Spec] = &[
    Spec::new("abspath", &["path"], abspath),
    Spec::new("basename", &["path"], |a| Ok(V::Str(basename(&a.str(0)?)))),
    Spec::new("dirname", &["path"], |a| Ok(V::Str(dirname(&a.str(0)?)))),
    Spec::new("file", &["path"], file),
    Spec::new("filebase64", &["path"], filebase64),
    Spec::new("fileexists", &["path"], fileexists),
    Spec::new("fileset", &["path", "pattern"], fileset),
    Spec::new("pathexpand", &["path"], |a| {
        Ok(V::Str(expand_home(&a.str(0)?)?))
    }),
];

/// Go's `filepath.Clean`: one slash between names, no `.`, `..` resolved lexically
/// (and dropped at the root), `.` for nothing.
pub(super) fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Base`: the last element, `.` for an empty path, `/` for the root.
fn basename(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// Go's `filepath.Dir`: everything before the last element, cleaned.
fn dirname(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean(&path[..=i]),
        None => ".".into(),
    }
}

/// `~` or `~/...` with the home directory, as go-homedir expands them.
fn expand_home(path: &str) -> Result<String, FnError> {
    let Some(rest) = path.strip_prefix('~') else {
        return Ok(path.to_string());
    };
    if !(rest.is_empty() || rest.starts_with('/') || rest.starts_with('\\')) {
        return Err(fail("cannot expand user-specific home dir"));
    }
    let home = std::env::var("HOME")
        .ok()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| fail("failed to expand ~: HOME is not defined"))?;
    Ok(format!("{home}{rest}"))
}

fn abspath(a: &mut Args) -> Result<V, FnError> {
    let path = a.str(0)?;
    if path.starts_with('/') {
        return Ok(V::Str(clean(&path)));
    }
    // Terraform runs in the root module: relative paths are relative to it, whatever
    // directory tfparity was started from.
    let root = std::path::absolute(a.ctx.module_dir).map_err(|e| fail(e.to_string()))?;
    Ok(V::Str(clean(&format!("{}/{path}", root.display()))))
}

/// Where a path given to a file function points: home expanded, joined to the module
/// directory when relative, cleaned.
fn resolve(a: &Args, path: &str) -> Result<PathBuf, FnError> {
    let path = expand_home(path)?;
    if Path::new(&path).is_absolute() {
        return Ok(PathBuf::from(clean(&path)));
    }
    let joined = format!("{}/{path}", a.ctx.module_dir.display());
    Ok(PathBuf::from(clean(&joined)))
}

/// The bytes of the file argument 0 names.
pub(super) fn read(a: &Args) -> Result<Vec<u8>, FnError> {
    let path = a.str(0)?;
    let full = resolve(a, &path)?;
    match std::fs::read(&full) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(a.bad(
            0,
            format!(
                "no file exists at {}; this function works only with files that are \
                 distributed as part of the configuration source code, so if this file will \
                 be created by a resource in this configuration you must instead obtain this \
                 result from an attribute of that resource",
                crate::scrub::quote(&path)
            ),
        )),
        Err(e) => Err(a.bad(
            0,
            format!(
                "failed to read file: read {}: {e}",
                crate::scrub::value(full.display())
            ),
        )),
    }
}

fn file(a: &mut Args) -> Result<V, FnError> {
    let bytes = read(a)?;
    String::from_utf8(bytes).map(V::Str).map_err(|_| {
        let path = a.str(0).unwrap_or_default();
        fail(format!(
            "contents of {} are not valid UTF-8; use the filebase64 function to obtain \
             the Base64 encoded contents or the other file functions (e.g. filemd5, \
             filesha256) to obtain file hashing results instead",
            crate::scrub::quote(&path)
        ))
    })
}

fn filebase64(a: &mut Args) -> Result<V, FnError> {
    Ok(V::Str(base64(&read(a)?)))
}

/// Whether the path argument 0 names is there at all (a directory or an unreadable file
/// is).
pub(super) fn exists(a: &Args) -> Result<bool, FnError> {
    let full = resolve(a, &a.str(0)?)?;
    Ok(!matches!(std::fs::metadata(full), Err(e) if e.kind() == std::io::ErrorKind::NotFound))
}

fn fileexists(a: &mut Args) -> Result<V, FnError> {
    let path = a.str(0)?;
    let full = resolve(a, &path)?;
    match std::fs::metadata(&full) {
        Ok(m) if m.is_file() => Ok(V::Bool(true)),
        Ok(m) if m.is_dir() => Err(fail(format!(
            "{} is a directory, not a file",
            crate::scrub::quote(&full.display().to_string())
        ))),
        Ok(_) => Err(fail(format!(
            "{} is not a regular file",
            crate::scrub::quote(&full.display().to_string())
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(V::Bool(false)),
        Err(_) => Err(fail(format!(
            "failed to stat {}",
            crate::scrub::quote(&full.display().to_string())
        ))),
    }
}

/// Expands `{a,b}` alternatives (outermost first) into separate patterns; `None` when a
/// brace is not closed.
fn expand_braces(pattern: &str) -> Option<Vec<String>> {
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'{' => {
                let (mut depth, mut j, mut parts, mut start) = (0, i, Vec::new(), i + 1);
                loop {
                    match bytes.get(j)? {
                        b'\\' => j += 1,
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        b',' if depth == 1 => {
                            parts.push(&pattern[start..j]);
                            start = j + 1;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                parts.push(&pattern[start..j]);
                let (head, tail) = (&pattern[..i], &pattern[j + 1..]);
                let mut out = Vec::new();
                for part in parts {
                    out.extend(expand_braces(&format!("{head}{part}{tail}"))?);
                }
                return Some(out);
            }
            _ => i += 1,
        }
    }
    Some(vec![pattern.to_string()])
}

/// Whether every `[` of a glob has its `]` (with at least one character between).
fn classes_closed(pattern: &str) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '[' => match chars.iter().skip(i + 2).position(|&c| c == ']') {
                Some(n) => i += n + 3,
                None => return false,
            },
            _ => i += 1,
        }
    }
    true
}

/// Whether one path segment matches one glob segment: `*`, `?`, `[class]` (`^` or `!`
/// negates, ranges with `-`), `\` escapes. `None` for a malformed class.
fn match_segment(pattern: &[char], name: &[char]) -> Option<bool> {
    let Some((&p, rest)) = pattern.split_first() else {
        return Some(name.is_empty());
    };
    match p {
        '*' => {
            for skip in 0..=name.len() {
                if match_segment(rest, &name[skip..])? {
                    return Some(true);
                }
            }
            Some(false)
        }
        '?' => match name.split_first() {
            Some((_, tail)) => match_segment(rest, tail),
            None => Some(false),
        },
        '[' => {
            let close = rest.iter().skip(1).position(|&c| c == ']')? + 1;
            let (class, after) = (&rest[..close], &rest[close + 1..]);
            let (negated, class) = match class.first() {
                Some('^' | '!') => (true, &class[1..]),
                _ => (false, class),
            };
            let Some((&c, tail)) = name.split_first() else {
                return Some(false);
            };
            let mut hit = false;
            let mut k = 0;
            while k < class.len() {
                if class.get(k + 1) == Some(&'-') && k + 2 < class.len() {
                    hit |= class[k] <= c && c <= class[k + 2];
                    k += 3;
                } else {
                    hit |= class[k] == c;
                    k += 1;
                }
            }
            if hit == negated {
                return Some(false);
            }
            match_segment(after, tail)
        }
        '\\' => match (rest.split_first(), name.split_first()) {
            (Some((&e, prest)), Some((&c, tail))) if e == c => match_segment(prest, tail),
            _ => Some(false),
        },
        p => match name.split_first() {
            Some((&c, tail)) if c == p => match_segment(rest, tail),
            _ => Some(false),
        },
    }
}

/// Whether a `/`-separated path matches a pattern whose `**` segments match any number
/// of segments.
fn match_path(pattern: &[&str], path: &[&str]) -> Option<bool> {
    let Some((&p, rest)) = pattern.split_first() else {
        return Some(path.is_empty());
    };
    if p == "**" {
        for skip in 0..=path.len() {
            if match_path(rest, &path[skip..])? {
                return Some(true);
            }
        }
        return Some(false);
    }
    let Some((&name, tail)) = path.split_first() else {
        return Some(false);
    };
    let pc: Vec<char> = p.chars().collect();
    let nc: Vec<char> = name.chars().collect();
    if !match_segment(&pc, &nc)? {
        return Some(false);
    }
    match_path(rest, tail)
}

/// Every regular file under `dir`, as `/`-separated paths relative to it (directory
/// links are not followed).
fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&entry.path(), &rel, out);
        } else if std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()) {
            out.push(rel);
        }
    }
}

/// The files below `path` whose paths relative to it match `pattern` (doublestar globs
/// as Terraform's `fileset` reads them), as a set of `/`-separated relative paths. A
/// pattern reaching above `path` (`../x/*`) matches nothing here.
fn fileset(a: &mut Args) -> Result<V, FnError> {
    let path = a.str(0)?;
    let pattern = a.str(1)?;
    let joined = clean(&format!("{path}/{pattern}"));
    // Terraform quotes the joined pattern (and redacts it when sensitive).
    let syntax = || {
        fail(format!(
            "failed to glob pattern {}: syntax error in pattern",
            crate::scrub::quote(&joined)
        ))
    };
    let patterns = expand_braces(&clean(&pattern))
        .filter(|ps| ps.iter().all(|p| classes_closed(p)))
        .ok_or_else(syntax)?;
    let base = resolve(a, &path)?;
    let mut files = Vec::new();
    walk(&base, "", &mut files);
    let mut out = Vec::new();
    for file in files {
        let segments: Vec<&str> = file.split('/').collect();
        for p in &patterns {
            let pattern: Vec<&str> = p.split('/').collect();
            if match_path(&pattern, &segments).ok_or_else(syntax)? {
                out.push(V::Str(file));
                break;
            }
        }
    }
    Ok(V::set(out))
}

#[cfg(test)]
mod tests {
    use super::super::{call, FnCtx};
    use super::*;

    /// A scratch module directory with a text file, a binary file and a subdirectory.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("tfparity-fn-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("sub")).unwrap();
            std::fs::write(dir.join("hello.txt"), "hi\n").unwrap();
            std::fs::write(dir.join("sub/b.bin"), [0xff, 0x00]).unwrap();
            Scratch(dir)
        }

        fn call(&self, name: &str, path: &str) -> Result<V, FnError> {
            call(
                name,
                vec![V::str(path)],
                &FnCtx {
                    module_dir: &self.0,
                },
            )
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn files_resolve_against_the_module_directory() {
        let s = Scratch::new("files");
        let abs = s.0.join("hello.txt").display().to_string();
        for (name, path, want) in [
            ("file", "hello.txt", V::str("hi\n")),
            ("file", "./sub/../hello.txt", V::str("hi\n")),
            ("file", abs.as_str(), V::str("hi\n")),
            ("filebase64", "sub/b.bin", V::str("/wA=")),
            ("fileexists", "hello.txt", V::Bool(true)),
            ("fileexists", "nope.txt", V::Bool(false)),
        ] {
            assert_eq!(s.call(name, path), Ok(want), "{name}({path})");
        }
        let missing = s.call("file", "nope.txt").unwrap_err().to_string();
        assert!(
            missing.starts_with(r#"Invalid value for "path" parameter: no file exists at "nope.txt"; this function works only with files"#),
            "{missing}"
        );
        let binary = s.call("file", "sub/b.bin").unwrap_err().to_string();
        assert!(
            binary.starts_with(
                r#"contents of "sub/b.bin" are not valid UTF-8; use the filebase64 function"#
            ),
            "{binary}"
        );
        let dir = s.call("fileexists", "sub").unwrap_err().to_string();
        assert_eq!(
            dir,
            format!(
                "{:?} is a directory, not a file",
                s.0.join("sub").display().to_string()
            )
        );
        let read_dir = s.call("file", "sub").unwrap_err().to_string();
        assert!(
            read_dir
                .starts_with(r#"Invalid value for "path" parameter: failed to read file: read "#),
            "{read_dir}"
        );
    }

    #[test]
    fn fileset_globs_like_terraform() {
        let s = Scratch::new("fileset");
        for f in [
            "x.txt",
            "y.json",
            ".hidden",
            "a/z.txt",
            "a/b/w.txt",
            "c/v.txt",
        ] {
            let path = s.0.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let set = |names: &[&str]| V::set(names.iter().map(|n| V::str(*n)).collect());
        let ctx = FnCtx { module_dir: &s.0 };
        for (path, pattern, want) in [
            (".", "*", set(&[".hidden", "hello.txt", "x.txt", "y.json"])),
            (".", "*.txt", set(&["hello.txt", "x.txt"])),
            ("a", "**", set(&["b/w.txt", "z.txt"])),
            (
                ".",
                "**/*.txt",
                set(&["a/b/w.txt", "a/z.txt", "c/v.txt", "hello.txt", "x.txt"]),
            ),
            (".", "a/**", set(&["a/b/w.txt", "a/z.txt"])),
            (".", "{a,c}/*", set(&["a/z.txt", "c/v.txt"])),
            (".", "{x,y}.{txt,json}", set(&["x.txt", "y.json"])),
            (".", "?.txt", set(&["x.txt"])),
            (".", "[xy].*", set(&["x.txt", "y.json"])),
            (".", "[!x].*", set(&["y.json"])),
            (".", "*.[a-z]xt", set(&["hello.txt", "x.txt"])),
            (".", "**/b/*", set(&["a/b/w.txt"])),
            (".", "a/*/w.txt", set(&["a/b/w.txt"])),
            (".", "a", set(&[])),
            ("./", "./*.json", set(&["y.json"])),
            ("nope", "*", set(&[])),
        ] {
            let got = call("fileset", vec![V::str(path), V::str(pattern)], &ctx);
            assert_eq!(got, Ok(want), "fileset({path}, {pattern})");
        }
        for (pattern, want) in [
            (
                "[",
                r#"failed to glob pattern "[": syntax error in pattern"#,
            ),
            (
                "{a,b",
                r#"failed to glob pattern "{a,b": syntax error in pattern"#,
            ),
            (
                "a/[x",
                r#"failed to glob pattern "a/[x": syntax error in pattern"#,
            ),
            (
                "zzz/[x",
                r#"failed to glob pattern "zzz/[x": syntax error in pattern"#,
            ),
        ] {
            let got = call("fileset", vec![V::str("."), V::str(pattern)], &ctx);
            assert_eq!(
                got.map_err(|e| e.to_string()),
                Err(want.to_string()),
                "fileset(., {pattern})"
            );
        }
    }

    #[test]
    fn paths_follow_go_filepath() {
        for (path, want) in [
            ("", "."),
            ("a//b/./c/..", "a/b"),
            ("/../a", "/a"),
            ("../../a", "../../a"),
            ("a/../..", ".."),
            ("/", "/"),
        ] {
            assert_eq!(clean(path), want, "clean({path})");
        }
        for (path, base, dir) in [
            ("", ".", "."),
            ("/", "/", "/"),
            ("a", "a", "."),
            ("/a", "a", "/"),
            ("a/b/", "b", "a/b"),
            ("a//b", "b", "a"),
            ("a/../b/./c", "c", "b"),
            ("foo/bar/baz.txt", "baz.txt", "foo/bar"),
        ] {
            assert_eq!(basename(path), base, "basename({path})");
            assert_eq!(dirname(path), dir, "dirname({path})");
        }
    }

    #[test]
    fn home_and_absolute_paths() {
        let home = std::env::var("HOME").unwrap_or_default();
        if !home.is_empty() {
            assert_eq!(expand_home("~/x"), Ok(format!("{home}/x")));
            assert_eq!(expand_home("~"), Ok(home));
        }
        assert_eq!(expand_home("a/~"), Ok("a/~".to_string()));
        assert_eq!(
            expand_home("~bob/x"),
            Err(fail("cannot expand user-specific home dir"))
        );
        // Relative to the root module (the scratch directory), not to where the
        // process started.
        let s = Scratch::new("abspath");
        assert_eq!(
            s.call("abspath", "a/../b"),
            Ok(V::Str(format!("{}/b", s.0.display())))
        );
        assert_eq!(s.call("abspath", "/x/./y/"), Ok(V::str("/x/y")));
    }
}
