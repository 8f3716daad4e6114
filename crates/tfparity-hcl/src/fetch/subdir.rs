//! A source's `//subdir` applied to a fetched package, as go-getter does: segments may
//! be glob patterns (`*`, `?`; `//*` is the usual "the one top directory of a tarball"),
//! the whole must match exactly one directory, and it must stay inside the package
//! (after links are followed). Reads directory listings only.

use std::fs;
use std::path::{Path, PathBuf};

/// The most entries a glob segment looks at in one directory.
const MAX_LISTED: usize = 10_000;

/// The directory `subdir` names in `root`, or why there is none.
pub fn resolve(root: &Path, subdir: &str) -> Result<PathBuf, String> {
    let mut found = vec![root.to_path_buf()];
    for seg in subdir.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if seg == ".." {
            return Err(format!(
                "subdirectory {subdir:?} leads outside of the module package"
            ));
        }
        let mut next = Vec::new();
        for dir in &found {
            if !seg.contains(['*', '?']) {
                next.push(dir.join(seg));
                continue;
            }
            let Ok(rd) = fs::read_dir(dir) else {
                continue;
            };
            for e in rd.filter_map(Result::ok).take(MAX_LISTED) {
                if let Some(name) = e.file_name().to_str() {
                    if wildcard(seg, name) {
                        next.push(e.path());
                    }
                }
            }
        }
        next.sort();
        found = next;
        if found.len() > MAX_LISTED {
            return Err(format!("subdirectory {subdir:?} matches too many paths"));
        }
    }
    found.retain(|p| p.is_dir());
    let dir = match found.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(format!(
                "subdirectory {subdir:?} does not exist in the module package"
            ))
        }
        _ => return Err(format!("subdirectory {subdir:?} matches multiple paths")),
    };
    let inside = match (fs::canonicalize(&dir), fs::canonicalize(root)) {
        (Ok(d), Ok(r)) => d.starts_with(r),
        _ => false,
    };
    if !inside {
        return Err(format!(
            "subdirectory {subdir:?} leads outside of the module package"
        ));
    }
    Ok(dir)
}

/// `*` (any run of characters) and `?` (one character) against a whole name.
fn wildcard(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        for (p, n, want) in [
            ("*", "repo-v1.2.0", true),
            ("repo-*", "repo-abc", true),
            ("r?po", "repo", true),
            ("*.tf", "main.tf", true),
            ("*.tf", "main.tfvars", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
        ] {
            assert_eq!(wildcard(p, n), want, "{p} {n}");
        }
    }

    #[test]
    fn resolves_one_directory() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path();
        fs::create_dir_all(root.join("org-repo-1a2b3c/modules/vpc")).expect("mkdir");
        fs::write(root.join("org-repo-1a2b3c/main.tf"), "").expect("write");
        assert_eq!(
            resolve(root, "*/modules/vpc").expect("glob"),
            root.join("org-repo-1a2b3c/modules/vpc")
        );
        assert_eq!(resolve(root, "").expect("root"), root.to_path_buf());
        assert!(resolve(root, "nope").is_err());
        fs::create_dir_all(root.join("other")).expect("mkdir");
        let e = resolve(root, "*").expect_err("two");
        assert!(e.contains("multiple"), "{e}");
    }
}
