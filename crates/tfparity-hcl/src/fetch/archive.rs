//! Module archives (`.zip`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tbz2`) unpacked into a fresh directory, refusing
//! what a hostile archive could do: entries with `..`, absolute or drive paths, links
//! that leave the package, entries written through a link, device files, and more files
//! or bytes than the limits allow. Knows nothing of where the archive came from.

use super::error::Problem;
use super::tree::TreeLimits;
use std::fs;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// An archive format go-getter would unpack and that is unpacked here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    Zip,
    TarGz,
    TarBz2,
}

/// Archive extensions Terraform unpacks that are not unpacked here.
const UNSUPPORTED: [&str; 5] = ["tar.xz", "txz", "xz", "bz2", "gz"];

impl ArchiveKind {
    /// By the URL path's extension, as go-getter does.
    pub fn from_path(path: &str) -> Option<ArchiveKind> {
        let p = path.to_ascii_lowercase();
        if p.ends_with(".zip") {
            Some(ArchiveKind::Zip)
        } else if p.ends_with(".tar.gz") || p.ends_with(".tgz") {
            Some(ArchiveKind::TarGz)
        } else if p.ends_with(".tar.bz2") || p.ends_with(".tbz2") {
            Some(ArchiveKind::TarBz2)
        } else {
            None
        }
    }

    /// By the `?archive=` name.
    pub fn from_name(name: &str) -> Option<ArchiveKind> {
        match name.to_ascii_lowercase().as_str() {
            "zip" => Some(ArchiveKind::Zip),
            "tar.gz" | "tgz" => Some(ArchiveKind::TarGz),
            "tar.bz2" | "tbz2" | "tar.tbz2" => Some(ArchiveKind::TarBz2),
            _ => None,
        }
    }

    /// The `?archive=` name.
    pub fn name(self) -> &'static str {
        match self {
            ArchiveKind::Zip => "zip",
            ArchiveKind::TarGz => "tar.gz",
            ArchiveKind::TarBz2 => "tar.bz2",
        }
    }

    /// The extension of an archive kind Terraform knows but that is not unpacked here.
    pub fn unsupported_ext(path: &str) -> Option<&'static str> {
        if ArchiveKind::from_path(path).is_some() {
            return None;
        }
        let p = path.to_ascii_lowercase();
        UNSUPPORTED
            .iter()
            .find(|e| p.ends_with(&format!(".{e}")))
            .copied()
    }
}

/// Unpacks `archive` into `dest` (which must not exist yet).
pub(super) fn unpack(
    kind: ArchiveKind,
    archive: &Path,
    dest: &Path,
    limits: &TreeLimits,
) -> Result<(), Problem> {
    fs::create_dir_all(dest).map_err(|e| Problem::io(dest, e))?;
    let file = fs::File::open(archive).map_err(|e| Problem::io(archive, e))?;
    let mut budget = Budget {
        files: 0,
        bytes: 0,
        limits,
    };
    // The whole tar stream is capped too: headers (a pax header can claim any size and
    // is read into memory whole) count, not only file contents.
    let cap = limits
        .max_bytes
        .saturating_add((limits.max_files as u64).saturating_mul(3 * 512))
        .saturating_add(1 << 20);
    match kind {
        ArchiveKind::TarGz => unpack_tar(
            Capped::new(flate2::read::GzDecoder::new(file), cap),
            dest,
            &mut budget,
        ),
        ArchiveKind::TarBz2 => unpack_tar(
            Capped::new(bzip2::read::BzDecoder::new(file), cap),
            dest,
            &mut budget,
        ),
        ArchiveKind::Zip => unpack_zip(file, dest, &mut budget),
    }
}

/// A reader that fails once more than `left` bytes were asked of it.
struct Capped<R> {
    inner: R,
    cap: u64,
    left: u64,
}

impl<R: Read> Capped<R> {
    fn new(inner: R, cap: u64) -> Capped<R> {
        Capped {
            inner,
            cap,
            left: cap,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other(format!(
                "archive unpacks to more than {} bytes",
                self.cap
            )));
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

struct Budget<'a> {
    files: usize,
    bytes: u64,
    limits: &'a TreeLimits,
}

impl Budget<'_> {
    fn entry(&mut self) -> Result<(), Problem> {
        self.files += 1;
        if self.files > self.limits.max_files {
            return Err(Problem::Refused(format!(
                "archive has more than {} entries",
                self.limits.max_files
            )));
        }
        Ok(())
    }

    /// Copies at most the remaining byte budget from `r` into a new file at `path`.
    fn write_file(&mut self, r: &mut dyn Read, path: &Path) -> Result<(), Problem> {
        let remaining = self.limits.max_bytes.saturating_sub(self.bytes);
        let mut f = fs::File::create(path).map_err(|e| Problem::io(path, e))?;
        let n = std::io::copy(&mut r.take(remaining + 1), &mut f)
            .map_err(|e| Problem::Refused(format!("reading the archive: {e}")))?;
        f.flush().map_err(|e| Problem::io(path, e))?;
        self.bytes += n;
        if self.bytes > self.limits.max_bytes {
            return Err(Problem::Refused(format!(
                "archive unpacks to more than {} bytes",
                self.limits.max_bytes
            )));
        }
        Ok(())
    }
}

/// The entry's path below `dest`, refusing absolute paths, drive letters and `..`.
fn entry_path(dest: &Path, name: &str) -> Result<Option<PathBuf>, Problem> {
    let refuse = |why: &str| Problem::Refused(format!("archive entry {name:?} {why}"));
    if name.contains('\0') || name.len() > 4096 {
        return Err(refuse("has an invalid name"));
    }
    let unified = name.replace('\\', "/");
    if unified.starts_with('/') || unified.split('/').next().is_some_and(|f| f.contains(':')) {
        return Err(refuse("is an absolute path"));
    }
    let mut rel = PathBuf::new();
    let mut depth = 0;
    for seg in unified.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(refuse("leads outside the package (..)")),
            s => {
                depth += 1;
                rel.push(s);
            }
        }
    }
    if depth > 64 {
        return Err(refuse("is nested more than 64 levels deep"));
    }
    if rel.as_os_str().is_empty() {
        return Ok(None);
    }
    debug_assert!(rel.components().all(|c| matches!(c, Component::Normal(_))));
    // Refuse to write through a link made by an earlier entry.
    let mut at = dest.to_path_buf();
    let n = rel.components().count();
    for (i, c) in rel.components().enumerate() {
        at.push(c);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() && i + 1 < n => {
                return Err(refuse("goes through a symbolic link"))
            }
            Ok(m) if i + 1 == n && !m.is_dir() => {
                // A later entry of the same name replaces the earlier one.
                fs::remove_file(&at).map_err(|e| Problem::io(&at, e))?;
            }
            _ => {}
        }
    }
    Ok(Some(at))
}

/// A link's target must be relative and stay inside the package, judged from where the
/// link is (the full check, through chains of links, is [`super::tree::check`]).
fn check_link(dest: &Path, at: &Path, target: &str, name: &str) -> Result<(), Problem> {
    let refuse = || {
        Problem::Refused(format!(
            "archive entry {name:?} is a link to {target:?}, outside the package"
        ))
    };
    if target.is_empty() || target.starts_with('/') || target.contains(':') || target.contains('\\')
    {
        return Err(refuse());
    }
    let rel = at.strip_prefix(dest).map_err(|_| refuse())?;
    let mut depth: Vec<String> = rel
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if depth.pop().is_none() {
                    return Err(refuse());
                }
            }
            s => depth.push(s.to_string()),
        }
    }
    Ok(())
}

#[cfg(unix)]
fn make_link(target: &str, at: &Path) -> Result<(), Problem> {
    std::os::unix::fs::symlink(target, at).map_err(|e| Problem::io(at, e))
}

#[cfg(not(unix))]
fn make_link(_target: &str, _at: &Path) -> Result<(), Problem> {
    Ok(())
}

fn mkdir_parent(at: &Path) -> Result<(), Problem> {
    if let Some(p) = at.parent() {
        fs::create_dir_all(p).map_err(|e| Problem::io(p, e))?;
    }
    Ok(())
}

fn unpack_tar(r: impl Read, dest: &Path, budget: &mut Budget) -> Result<(), Problem> {
    let bad = |e: std::io::Error| Problem::Refused(format!("not a valid tar archive: {e}"));
    let mut ar = tar::Archive::new(r);
    for entry in ar.entries().map_err(bad)? {
        let mut entry = entry.map_err(bad)?;
        budget.entry()?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        if matches!(
            kind,
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader
        ) {
            continue;
        }
        let Some(at) = entry_path(dest, &name)? else {
            continue;
        };
        match kind {
            tar::EntryType::Directory => {
                fs::create_dir_all(&at).map_err(|e| Problem::io(&at, e))?;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                mkdir_parent(&at)?;
                budget.write_file(&mut entry, &at)?;
            }
            tar::EntryType::Symlink => {
                let target = entry
                    .link_name_bytes()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                check_link(dest, &at, &target, &name)?;
                mkdir_parent(&at)?;
                make_link(&target, &at)?;
            }
            tar::EntryType::Link => {
                return Err(Problem::Refused(format!(
                    "archive entry {name:?} is a hard link"
                )))
            }
            other => {
                return Err(Problem::Refused(format!(
                    "archive entry {name:?} is of a type not allowed in a module ({other:?})"
                )))
            }
        }
    }
    Ok(())
}

fn unpack_zip(file: fs::File, dest: &Path, budget: &mut Budget) -> Result<(), Problem> {
    let bad = |e: zip::result::ZipError| Problem::Refused(format!("not a valid zip archive: {e}"));
    let mut ar = zip::ZipArchive::new(file).map_err(bad)?;
    if ar.len() > budget.limits.max_files {
        return Err(Problem::Refused(format!(
            "archive has more than {} entries",
            budget.limits.max_files
        )));
    }
    for i in 0..ar.len() {
        let mut f = ar.by_index(i).map_err(bad)?;
        budget.entry()?;
        let name = f.name().to_string();
        let Some(at) = entry_path(dest, &name)? else {
            continue;
        };
        if f.is_dir() {
            fs::create_dir_all(&at).map_err(|e| Problem::io(&at, e))?;
        } else if f.is_symlink() {
            let mut target = String::new();
            (&mut f)
                .take(4096)
                .read_to_string(&mut target)
                .map_err(|e| Problem::Refused(format!("reading the archive: {e}")))?;
            check_link(dest, &at, &target, &name)?;
            mkdir_parent(&at)?;
            make_link(&target, &at)?;
        } else {
            mkdir_parent(&at)?;
            budget.write_file(&mut f, &at)?;
        }
    }
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// One entry of a test archive.
    pub enum E<'a> {
        File(&'a str, &'a str),
        Link(&'a str, &'a str),
    }

    /// A tar.gz of the entries in order, names written raw (so hostile ones too).
    pub fn targz(entries: &[E]) -> Vec<u8> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut b = tar::Builder::new(gz);
        for e in entries {
            let mut h = tar::Header::new_gnu();
            match e {
                E::File(name, body) => {
                    h.set_size(body.len() as u64);
                    h.set_mode(0o644);
                    h.set_entry_type(tar::EntryType::Regular);
                    set_raw_name(&mut h, name);
                    h.set_cksum();
                    b.append(&h, body.as_bytes()).expect("append");
                }
                E::Link(name, target) => {
                    h.set_size(0);
                    h.set_entry_type(tar::EntryType::Symlink);
                    set_raw_name(&mut h, name);
                    let t = target.as_bytes();
                    h.as_old_mut().linkname[..t.len()].copy_from_slice(t);
                    h.set_cksum();
                    b.append(&h, std::io::empty()).expect("append");
                }
            }
        }
        b.into_inner().expect("tar").finish().expect("gz")
    }

    fn set_raw_name(h: &mut tar::Header, name: &str) {
        let n = name.as_bytes();
        let field = &mut h.as_old_mut().name;
        field.fill(0);
        field[..n.len()].copy_from_slice(n);
    }

    /// A zip of `(name, contents)` files.
    pub fn zipfile(files: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in files {
            w.start_file(*name, opts).expect("start");
            w.write_all(body.as_bytes()).expect("write");
        }
        w.finish().expect("zip").into_inner()
    }

    fn limits() -> TreeLimits {
        TreeLimits {
            max_files: 100,
            max_bytes: 10_000,
        }
    }

    fn try_unpack(kind: ArchiveKind, bytes: &[u8]) -> (tempfile::TempDir, Result<(), Problem>) {
        let tmp = tempfile::tempdir().expect("tmp");
        let a = tmp.path().join("a");
        fs::write(&a, bytes).expect("write");
        let r = unpack(kind, &a, &tmp.path().join("out"), &limits());
        (tmp, r)
    }

    #[test]
    fn unpacks_tar_and_zip() {
        let t = targz(&[
            E::File("main.tf", "x"),
            E::File("sub/vars.tf", "y"),
            E::Link("link.tf", "sub/vars.tf"),
        ]);
        let (tmp, r) = try_unpack(ArchiveKind::TarGz, &t);
        r.expect("tar");
        let out = tmp.path().join("out");
        assert_eq!(
            fs::read_to_string(out.join("sub/vars.tf")).expect("read"),
            "y"
        );
        assert_eq!(fs::read_to_string(out.join("link.tf")).expect("read"), "y");
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&t[..])
            .read_to_end(&mut plain)
            .expect("gunzip");
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bz.write_all(&plain).expect("bzip2");
        let (tmp, r) = try_unpack(ArchiveKind::TarBz2, &bz.finish().expect("bzip2"));
        r.expect("tar.bz2");
        assert_eq!(
            fs::read_to_string(tmp.path().join("out/main.tf")).expect("read"),
            "x"
        );
        let z = zipfile(&[("main.tf", "x"), ("sub/", ""), ("sub/a.tf", "z")]);
        let (tmp, r) = try_unpack(ArchiveKind::Zip, &z);
        r.expect("zip");
        assert_eq!(
            fs::read_to_string(tmp.path().join("out/sub/a.tf")).expect("read"),
            "z"
        );
    }

    #[test]
    fn refuses_hostile_archives() {
        let big = "x".repeat(20_000);
        for (entries, want) in [
            (vec![E::File("../evil.tf", "x")], "leads outside"),
            (vec![E::File("a/../../evil.tf", "x")], "leads outside"),
            (vec![E::File("/etc/evil.tf", "x")], "absolute"),
            (vec![E::Link("l", "/etc/passwd")], "outside the package"),
            (vec![E::Link("a/l", "../../x")], "outside the package"),
            (
                vec![E::Link("l", "."), E::File("l/x.tf", "x")],
                "symbolic link",
            ),
            (vec![E::File("big.tf", &big)], "more than 10000 bytes"),
        ] {
            let (_tmp, r) = try_unpack(ArchiveKind::TarGz, &targz(&entries));
            let e = format!("{:?}", r.expect_err(want));
            assert!(e.contains(want), "{want}: {e}");
        }
        let many: Vec<(String, &str)> = (0..150).map(|i| (format!("f{i}.tf"), "x")).collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        let (_tmp, r) = try_unpack(ArchiveKind::Zip, &zipfile(&many));
        assert!(format!("{:?}", r.expect_err("many")).contains("more than 100 entries"));
        let (_tmp, r) = try_unpack(ArchiveKind::Zip, &zipfile(&[("../../x.tf", "x")]));
        assert!(format!("{:?}", r.expect_err("zip slip")).contains("leads outside"));
        // A pax header of 4 MiB (read whole into memory by the tar reader)
        // stops at the stream's cap.
        let mut pax = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(tar::EntryType::XHeader);
        h.set_size(4 << 20);
        h.set_cksum();
        pax.append(&h, &vec![b'0'; 4 << 20][..]).expect("pax");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&pax.into_inner().expect("tar")).expect("gz");
        let (_tmp, r) = try_unpack(ArchiveKind::TarGz, &gz.finish().expect("gz"));
        let e = format!("{:?}", r.expect_err("pax bomb"));
        assert!(e.contains("unpacks to more than"), "{e}");
        // A bomb: a megabyte of zeros in a few kilobytes stops at the limit.
        let zeros = "0".repeat(1 << 20);
        let bomb = zipfile(&[("bomb.tf", &zeros)]);
        assert!(bomb.len() < 10_000, "{}", bomb.len());
        let (_tmp, r) = try_unpack(ArchiveKind::Zip, &bomb);
        assert!(format!("{:?}", r.expect_err("bomb")).contains("more than 10000 bytes"));
        let (_tmp, r) = try_unpack(ArchiveKind::Zip, b"not a zip");
        assert!(format!("{:?}", r.expect_err("garbage")).contains("not a valid zip"));
    }
}
