//! Confined file access: the only way the evaluator reads a file the configuration
//! names (configuration files, variable files, `file`, `templatefile`, `fileset`, …).
//! A file is read only when its real path (links resolved) is inside the
//! configuration's tree or a directory the user allowed, is a regular file (never a
//! FIFO, a device or a socket, never under `/proc`, `/sys` or `/dev`), and is no larger
//! than the limit. A refusal says why and never shows what the file holds.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest file read by default (`--max-file-size` raises it).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// Pseudo-file systems never read, wherever the tree is.
const SYSTEM: &[&str] = &["/proc", "/sys", "/dev"];

/// What may be read: the configuration's tree, the module cache, directories the user
/// allowed.
#[derive(Debug, Clone)]
pub struct Confinement {
    /// Canonical directories, each with everything below it.
    roots: Vec<PathBuf>,
    /// The directories as given (absolute, not resolved): their ancestors may be walked
    /// through on the way to them (`/var` → `/private/var`).
    given: Vec<PathBuf>,
    /// The configuration's tree, as shown in refusals.
    tree: PathBuf,
    max_file_size: u64,
}

/// Why a path was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing is there.
    NotFound,
    /// Its real path is outside every allowed directory.
    Outside,
    /// Under `/proc`, `/sys` or `/dev`.
    System,
    /// A directory.
    Directory,
    /// A FIFO, a device or a socket.
    NotRegular,
    /// Larger than the limit (the limit).
    TooLarge(u64),
    /// The file system said no (its message: a kind of error, never content).
    Io(String),
}

impl Refusal {
    /// A sentence about `shown` (the path as the configuration wrote it).
    pub fn describe(&self, shown: &str, c: &Confinement) -> String {
        // Quoted as every value an error quotes: hidden where the error is about a
        // secret place (see `crate::scrub`).
        let shown = crate::scrub::quote(shown);
        match self {
            Refusal::NotFound => format!("no file exists at {shown}"),
            Refusal::Outside => format!(
                "{shown} is outside the configuration's tree ({}); files are read only inside it (--allow-path DIR widens it)",
                c.tree.display()
            ),
            Refusal::System => format!(
                "{shown} is in /proc, /sys or /dev; such files are never read"
            ),
            Refusal::Directory => format!("{shown} is a directory, not a file"),
            Refusal::NotRegular => format!(
                "{shown} is not a regular file (a FIFO, a device or a socket); such files are never read"
            ),
            Refusal::TooLarge(max) => format!(
                "{shown} is larger than {max} bytes, the largest file read (--max-file-size raises it)"
            ),
            Refusal::Io(e) => format!("cannot read {shown}: {e}"),
        }
    }
}

impl Confinement {
    /// The tree of the root module at `root` (see [`tree_of`]), and `also`: the module
    /// cache, `--allow-path` directories. Directories that do not exist add nothing.
    pub fn new(root: &Path, also: &[PathBuf], max_file_size: u64) -> Confinement {
        let tree = tree_of(root);
        let mut roots: Vec<PathBuf> = std::iter::once(tree.clone())
            .chain(also.iter().filter_map(|d| std::fs::canonicalize(d).ok()))
            .collect();
        roots.sort();
        roots.dedup();
        let given = std::iter::once(root)
            .chain(also.iter().map(PathBuf::as_path))
            .map(absolute)
            .collect();
        Confinement {
            roots,
            given,
            tree,
            max_file_size,
        }
    }

    /// Only `dirs` (for tests and for evaluating functions alone).
    pub fn only(dirs: &[&Path]) -> Confinement {
        let roots: Vec<PathBuf> = dirs
            .iter()
            .filter_map(|d| std::fs::canonicalize(d).ok())
            .collect();
        Confinement {
            tree: roots.first().cloned().unwrap_or_default(),
            given: dirs.iter().map(|d| absolute(d)).collect(),
            roots,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }

    /// Nothing at all: where no file may be read (a `.tfvars` file, tests).
    pub fn nothing() -> &'static Confinement {
        static NOTHING: std::sync::OnceLock<Confinement> = std::sync::OnceLock::new();
        NOTHING.get_or_init(|| Confinement::only(&[]))
    }

    /// The directory refusals name as the configuration's tree.
    pub fn tree(&self) -> &Path {
        &self.tree
    }

    /// The real path of `path` when it may be read or listed: inside an allowed
    /// directory and not a system file. Whether anything is there is not asked.
    ///
    /// Links are resolved one name at a time, and nothing outside is ever looked at:
    /// the walk stops, `Outside`, at the first name that is neither inside an allowed
    /// directory nor on the way to one (an ancestor of one), before asking the file
    /// system anything about it. So whatever lies outside (a file, a directory, nothing,
    /// a file where a directory would be, a directory a link's `..` passes through),
    /// the answer is the same.
    pub fn check(&self, path: &Path) -> Result<PathBuf, Refusal> {
        /// Links followed at most on one path (Linux's limit).
        const MAX_LINKS: usize = 40;
        let start = std::path::absolute(path).map_err(|e| Refusal::Io(e.kind().to_string()))?;
        // Names still to walk, the next one last.
        let mut todo: Vec<std::ffi::OsString> = Vec::new();
        push_components(&mut todo, &start);
        let mut real = PathBuf::from("/");
        let mut links = 0;
        while let Some(name) = todo.pop() {
            if name == "/" {
                real = PathBuf::from("/");
                continue;
            }
            if name == ".." {
                real.pop();
                continue;
            }
            let next = real.join(&name);
            if is_system(&next) {
                return Err(Refusal::System);
            }
            if !self.allows(&next) && !self.on_the_way(&next) {
                return Err(Refusal::Outside);
            }
            match std::fs::symlink_metadata(&next) {
                Ok(m) if m.file_type().is_symlink() => {
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(Refusal::Io("too many levels of symbolic links".into()));
                    }
                    let target =
                        std::fs::read_link(&next).map_err(|e| Refusal::Io(e.kind().to_string()))?;
                    push_components(&mut todo, &target);
                }
                Ok(m) => {
                    if !m.is_dir() && !todo.is_empty() {
                        return Err(Refusal::Io("not a directory".into()));
                    }
                    real = next;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(Refusal::NotFound)
                }
                Err(e) => return Err(Refusal::Io(e.kind().to_string())),
            }
        }
        if is_system(&real) {
            return Err(Refusal::System);
        }
        if !self.allows(&real) {
            return Err(Refusal::Outside);
        }
        Ok(real)
    }

    /// Whether `real` is an ancestor of an allowed directory (the way to it: walking
    /// through it says nothing that the allowed directory's own path does not).
    fn on_the_way(&self, real: &Path) -> bool {
        self.roots
            .iter()
            .chain(&self.given)
            .any(|r| r.starts_with(real))
    }

    fn allows(&self, real: &Path) -> bool {
        self.roots.iter().any(|r| real.starts_with(r))
    }

    /// The bytes of the regular file at `path`, within the limits.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Refusal> {
        let real = self.check(path)?;
        let meta = std::fs::metadata(&real).map_err(|e| Refusal::Io(e.kind().to_string()))?;
        if meta.is_dir() {
            return Err(Refusal::Directory);
        }
        if !meta.is_file() {
            return Err(Refusal::NotRegular);
        }
        if meta.len() > self.max_file_size {
            return Err(Refusal::TooLarge(self.max_file_size));
        }
        // Opened without blocking (a FIFO put there since the check would otherwise
        // wait forever), then asked again what it is.
        let file = open_nonblocking(&real).map_err(|e| Refusal::Io(e.kind().to_string()))?;
        let meta = file
            .metadata()
            .map_err(|e| Refusal::Io(e.kind().to_string()))?;
        if !meta.is_file() {
            return Err(Refusal::NotRegular);
        }
        let mut out = Vec::new();
        file.take(self.max_file_size.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| Refusal::Io(e.kind().to_string()))?;
        if out.len() as u64 > self.max_file_size {
            return Err(Refusal::TooLarge(self.max_file_size));
        }
        Ok(out)
    }

    /// The text of the regular file at `path`; `Err(None)` when it is not UTF-8.
    pub fn read_text(&self, path: &Path) -> Result<String, Option<Refusal>> {
        let bytes = self.read(path).map_err(Some)?;
        String::from_utf8(bytes).map_err(|_| None)
    }

    /// What is at `path`: `Ok(None)` when nothing is, else whether it is a regular file.
    pub fn kind(&self, path: &Path) -> Result<Option<Kind>, Refusal> {
        let real = match self.check(path) {
            Ok(p) => p,
            Err(Refusal::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let meta = std::fs::metadata(&real).map_err(|e| Refusal::Io(e.kind().to_string()))?;
        Ok(Some(if meta.is_file() {
            Kind::File
        } else if meta.is_dir() {
            Kind::Dir
        } else {
            Kind::Other
        }))
    }
}

/// What a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Other,
}

/// The configuration's tree of a root module: the Git work tree holding it; else the
/// working directory, when it holds the root module; else the root module's directory.
pub fn tree_of(root: &Path) -> PathBuf {
    // Found from where the root module is written, not from where a link there leads:
    // a root module committed as a link to elsewhere is then outside its own tree.
    let at = absolute(root);
    let is_link = |d: &Path| std::fs::symlink_metadata(d).is_ok_and(|m| m.file_type().is_symlink());
    let real = |d: &Path| std::fs::canonicalize(d).unwrap_or_else(|_| d.to_path_buf());
    if let Some(g) = at
        .ancestors()
        .find(|d| !is_link(d) && d.join(".git").exists())
    {
        return real(g);
    }
    match std::env::current_dir() {
        Ok(cwd) if at.starts_with(absolute(&cwd)) => real(&cwd),
        _ if is_link(&at) => at.parent().map(real).unwrap_or_else(|| real(&at)),
        _ => real(&at),
    }
}

/// Whether `path` names a file with no link on the way (its real path is where it
/// says).
pub fn is_direct(path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|real| real == absolute(path))
}

/// `path` made absolute against the working directory, cleaned lexically.
fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// The names of `path` pushed on `todo` so that the first is popped first; `/` for the
/// root, `..` kept (resolved against the real path walked so far), `.` dropped.
fn push_components(todo: &mut Vec<std::ffi::OsString>, path: &Path) {
    use std::path::Component;
    let names: Vec<std::ffi::OsString> = path
        .components()
        .filter_map(|c| match c {
            Component::RootDir | Component::Prefix(_) => Some("/".into()),
            Component::ParentDir => Some("..".into()),
            Component::CurDir => None,
            Component::Normal(n) => Some(n.to_os_string()),
        })
        .collect();
    todo.extend(names.into_iter().rev());
}

fn is_system(real: &Path) -> bool {
    SYSTEM.iter().any(|s| real.starts_with(s))
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_regular_files_inside_the_tree() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(root.join("env")).expect("mkdir");
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::write(root.join("env/a.txt"), "inside").expect("write");
        std::fs::write(tmp.path().join("outside.txt"), "SECRET").expect("write");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("outside.txt"), root.join("env/link"))
                .expect("link");
            std::os::unix::fs::symlink("/dev/zero", root.join("env/zero")).expect("link");
            std::os::unix::fs::symlink("/proc/self/environ", root.join("env/environ"))
                .expect("link");
            let made = std::process::Command::new("mkfifo")
                .arg(root.join("env/fifo"))
                .status()
                .expect("mkfifo");
            assert!(made.success());
        }
        let c = Confinement::new(&root.join("env"), &[], 4);
        assert_eq!(c.tree(), std::fs::canonicalize(&root).expect("real"));
        let env = root.join("env");
        assert_eq!(c.read(&env.join("a.txt")), Err(Refusal::TooLarge(4)));
        let c = Confinement::new(&env, &[], DEFAULT_MAX_FILE_SIZE);
        assert_eq!(c.read(&env.join("a.txt")), Ok(b"inside".to_vec()));
        assert_eq!(c.read(&env.join("../a.txt")), Err(Refusal::NotFound));
        assert_eq!(
            c.read(&env.join("../../outside.txt")),
            Err(Refusal::Outside)
        );
        assert_eq!(c.read(Path::new("/etc/hostname")), Err(Refusal::Outside));
        assert_eq!(c.read(Path::new("/nonexistent/x")), Err(Refusal::Outside));
        assert_eq!(
            c.read(Path::new("/proc/self/environ")),
            Err(Refusal::System)
        );
        assert_eq!(c.read(&env), Err(Refusal::Directory));
        #[cfg(unix)]
        {
            assert_eq!(c.read(&env.join("link")), Err(Refusal::Outside));
            assert_eq!(c.read(&env.join("zero")), Err(Refusal::System));
            assert_eq!(c.read(&env.join("environ")), Err(Refusal::System));
            assert_eq!(c.read(&env.join("fifo")), Err(Refusal::NotRegular));
            // Even when allowed outright.
            let wide = Confinement::new(&env, &[PathBuf::from("/")], DEFAULT_MAX_FILE_SIZE);
            assert_eq!(wide.read(Path::new("/dev/zero")), Err(Refusal::System));
            assert_eq!(wide.read(&env.join("fifo")), Err(Refusal::NotRegular));
            assert_eq!(
                wide.read(&env.join("link")),
                Ok(b"SECRET".to_vec()),
                "--allow-path widens the tree"
            );
        }
        let said = Refusal::Outside.describe("../../outside.txt", &c);
        assert!(
            said.contains("outside the configuration's tree") && !said.contains("SECRET"),
            "{said}"
        );
    }
}
