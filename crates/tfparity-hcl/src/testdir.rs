//! Scratch directories of configuration files for tests, removed when dropped.

use std::path::{Path, PathBuf};

pub struct Dir(PathBuf);

impl Dir {
    /// A new directory holding `files` (`path` relative to it → text), made a Git work
    /// tree (an empty `.git`) as a checked-out repository is: the configuration's tree
    /// that files may be read from (see [`crate::confine::tree_of`]).
    pub fn with(files: &[(&str, &str)]) -> std::io::Result<Dir> {
        let d = Dir::bare(files)?;
        std::fs::create_dir_all(d.0.join(".git"))?;
        Ok(d)
    }

    /// [`Dir::with`], not a Git work tree.
    pub fn bare(files: &[(&str, &str)]) -> std::io::Result<Dir> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "tfparity-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&p)?;
        for (name, text) in files {
            let f = p.join(name);
            if let Some(parent) = f.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(f, text)?;
        }
        Ok(Dir(p))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
