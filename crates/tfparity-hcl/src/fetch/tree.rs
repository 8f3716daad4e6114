//! The check every fetched package passes before it enters the cache: at most so many
//! files and bytes, no deeper than 64 levels, no special files, and every symbolic link
//! resolving (through any chain of links) to somewhere inside the package. Reads only.

use super::error::Problem;
use std::fs;
use std::path::Path;

/// How much one package may hold.
#[derive(Debug, Clone, Copy)]
pub struct TreeLimits {
    pub max_files: usize,
    pub max_bytes: u64,
}

const MAX_DEPTH: usize = 64;

/// Checks the package at `root` (see the module comment).
pub fn check(root: &Path, limits: &TreeLimits) -> Result<(), Problem> {
    let canon = fs::canonicalize(root).map_err(|e| Problem::io(root, e))?;
    let mut files = 0usize;
    let mut bytes = 0u64;
    let mut stack = vec![(canon.clone(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(Problem::Refused(format!(
                "package is nested more than {MAX_DEPTH} levels deep"
            )));
        }
        let rd = fs::read_dir(&dir).map_err(|e| Problem::io(&dir, e))?;
        for entry in rd {
            let entry = entry.map_err(|e| Problem::io(&dir, e))?;
            files += 1;
            if files > limits.max_files {
                return Err(Problem::Refused(format!(
                    "package has more than {} files",
                    limits.max_files
                )));
            }
            let path = entry.path();
            let ft = entry.file_type().map_err(|e| Problem::io(&path, e))?;
            let shown = path
                .strip_prefix(&canon)
                .unwrap_or(&path)
                .display()
                .to_string();
            if ft.is_symlink() {
                match fs::canonicalize(&path) {
                    Ok(t) if t.starts_with(&canon) => {}
                    Ok(_) => {
                        return Err(Problem::Refused(format!(
                            "{shown:?} is a link that leads outside the package"
                        )))
                    }
                    Err(_) => {
                        return Err(Problem::Refused(format!(
                            "{shown:?} is a link that leads nowhere, or outside the package"
                        )))
                    }
                }
            } else if ft.is_dir() {
                stack.push((path, depth + 1));
            } else if ft.is_file() {
                let len = entry.metadata().map_err(|e| Problem::io(&path, e))?.len();
                bytes = bytes.saturating_add(len);
                if bytes > limits.max_bytes {
                    return Err(Problem::Refused(format!(
                        "package holds more than {} bytes",
                        limits.max_bytes
                    )));
                }
            } else {
                return Err(Problem::Refused(format!(
                    "{shown:?} is a special file, not allowed in a module"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_must_stay_inside() {
        let limits = TreeLimits {
            max_files: 10,
            max_bytes: 100,
        };
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("pkg");
        fs::create_dir_all(root.join("a")).expect("mkdir");
        fs::write(root.join("a/main.tf"), "x").expect("write");
        symlink("a/main.tf", root.join("ok.tf")).expect("link");
        check(&root, &limits).expect("inside");
        // A chain where each link alone looks inside: a/up -> .., then via -> a/up/..
        symlink("..", root.join("a/up")).expect("link");
        symlink("a/up/..", root.join("via")).expect("link");
        let e = format!("{:?}", check(&root, &limits).expect_err("escapes"));
        assert!(e.contains("outside the package"), "{e}");
        fs::remove_file(root.join("via")).expect("rm");
        symlink("missing", root.join("dangling")).expect("link");
        assert!(check(&root, &limits).is_err());
        fs::remove_file(root.join("dangling")).expect("rm");
        fs::write(root.join("big"), "y".repeat(200)).expect("write");
        let e = format!("{:?}", check(&root, &limits).expect_err("big"));
        assert!(e.contains("more than 100 bytes"), "{e}");
    }
}
