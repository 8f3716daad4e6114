//! Filesystem functions: `file`, `filebase64`, `fileexists`, `fileset` (paths relative to
//! [`FnCtx::module_dir`](super::FnCtx)), and the path functions `abspath`, `basename`,
//! `dirname`, `pathexpand`, with Go's `filepath` cleaning rules and doublestar's globs.
//! Reads, never writes.

use super::encoding::base64;
use super::{fail, Args, FnError, Spec};
use crate::confine::{Kind, Refusal};
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

/// The bytes of the file argument 0 names, within the confinement (see
/// [`crate::confine`]): a refusal says why and never what the file holds.
pub(super) fn read(a: &Args) -> Result<Vec<u8>, FnError> {
    let path = a.str(0)?;
    let full = resolve(a, &path)?;
    a.ctx.confine.read(&full).map_err(|r| match r {
        Refusal::NotFound => a.bad(
            0,
            format!(
                "no file exists at {}; this function works only with files that are \
                 distributed as part of the configuration source code, so if this file will \
                 be created by a resource in this configuration you must instead obtain this \
                 result from an attribute of that resource",
                crate::scrub::quote(&path)
            ),
        ),
        r => a.bad(0, r.describe(&path, a.ctx.confine)),
    })
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
/// is); an error outside the confinement.
pub(super) fn exists(a: &Args) -> Result<bool, FnError> {
    let path = a.str(0)?;
    let full = resolve(a, &path)?;
    match a.ctx.confine.kind(&full) {
        Ok(k) => Ok(k.is_some()),
        Err(r) => Err(a.bad(0, r.describe(&path, a.ctx.confine))),
    }
}

fn fileexists(a: &mut Args) -> Result<V, FnError> {
    let path = a.str(0)?;
    let full = resolve(a, &path)?;
    match a.ctx.confine.kind(&full) {
        Ok(Some(Kind::File)) => Ok(V::Bool(true)),
        Ok(None) => Ok(V::Bool(false)),
        Ok(Some(Kind::Dir)) => Err(fail(format!(
            "{} is a directory, not a file",
            crate::scrub::quote(&full.display().to_string())
        ))),
        Ok(Some(Kind::Other)) => Err(fail(format!(
            "{} is not a regular file",
            crate::scrub::quote(&full.display().to_string())
        ))),
        Err(r) => Err(a.bad(0, r.describe(&path, a.ctx.confine))),
    }
}

/// The most entries `fileset` walks below its directory before it gives up.
pub const MAX_FILESET_ENTRIES: usize = 100_000;

/// How deep below its directory `fileset` looks.
const MAX_FILESET_DEPTH: usize = 64;

/// The files below `path` whose paths relative to it match `pattern` (doublestar globs
/// as Terraform's `fileset` reads them: `*` and `?` within a name, `**` across
/// directories, `[class]`, `{a,b}`, `\` escapes), as a set of `/`-separated relative
/// paths. A pattern reaching above `path` (`../x/*`) matches nothing here. The
/// directory is inside the confinement; the pattern is compiled to an automaton
/// (matching is linear in the name); links to directories are not followed, links to
/// files are listed only when their target may be read; the walk
/// stops with an error past [`MAX_FILESET_ENTRIES`].
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
    let glob = globset::GlobBuilder::new(&clean(&pattern))
        .literal_separator(true)
        .backslash_escape(true)
        .empty_alternates(true)
        .build()
        .map_err(|_| syntax())?
        .compile_matcher();
    let base = resolve(a, &path)?;
    let real = match a.ctx.confine.check(&base) {
        Ok(real) => real,
        Err(Refusal::NotFound) => return Ok(V::set(Vec::new())),
        Err(r) => return Err(a.bad(0, r.describe(&path, a.ctx.confine))),
    };
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(&real)
        .follow_links(false)
        .max_depth(MAX_FILESET_DEPTH)
        .sort_by_file_name();
    for (n, entry) in walk.into_iter().enumerate() {
        if n > MAX_FILESET_ENTRIES {
            return Err(fail(format!(
                "more than {MAX_FILESET_ENTRIES} files and directories below {}; fileset looks at no more",
                crate::scrub::quote(&path)
            )));
        }
        let Ok(entry) = entry else { continue };
        let kind = entry.file_type();
        // A link is listed when it leads to a regular file that may be read: asking
        // the file system about its target would say whether a file outside exists.
        let regular = kind.is_file()
            || (kind.is_symlink()
                && matches!(a.ctx.confine.kind(entry.path()), Ok(Some(Kind::File))));
        if !regular {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&real) else {
            continue;
        };
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        if glob.is_match(&rel) {
            out.push(V::Str(rel));
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
                    confine: &crate::confine::Confinement::only(&[&self.0]),
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
        assert_eq!(
            read_dir,
            r#"Invalid value for "path" parameter: "sub" is a directory, not a file"#
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
        let confine = crate::confine::Confinement::only(&[&s.0]);
        let ctx = FnCtx {
            module_dir: &s.0,
            confine: &confine,
        };
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
