//! Hostile and malformed input, made deterministically from fragments of real sources:
//! the parsers (sources, URLs, versions, constraints, pages) and the archive reader end
//! with a value or an error, never a panic, and in bounded time.

use super::super::archive::{self, ArchiveKind};
use super::super::tree::TreeLimits;
use super::super::url::Url;
use super::super::version::{Constraint, Version};
use super::super::{meta_terraform_get, source};

const PIECES: [&str; 40] = [
    "git::",
    "https://",
    "http://",
    "ssh://",
    "git://",
    "s3::",
    "hg::",
    "file://",
    "//",
    "/",
    "?",
    "&",
    "=",
    "ref=",
    "depth=",
    "archive=",
    "checksum=",
    "sha256:",
    "..",
    ".",
    "@",
    ":",
    "[",
    "]",
    "::1",
    "%",
    "%2",
    "github.com/",
    "bitbucket.org/",
    "git@",
    "127.0.0.1",
    "localhost",
    "*",
    "-",
    "v1.2.3",
    "~>",
    ">=",
    ",",
    "é",
    "\u{0}",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn parsers_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let base = Url::parse("https://r.example/v1/modules/a/b/c/1.0.0/download").expect("base");
    for _ in 0..20_000 {
        let n = 1 + rng.below(8);
        let s: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        let _ = source::parse(&s);
        let _ = source::display_source(&s);
        let _ = Url::parse(&s);
        let _ = base.join(&s);
        let _ = Version::parse(&s);
        let _ = Constraint::parse(&s);
        let _ =
            meta_terraform_get(format!("<meta name=\"terraform-get\" content=\"{s}").as_bytes());
    }
}

#[test]
fn archive_reader_never_panics_on_garbage() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let tmp = tempfile::tempdir().expect("tmp");
    let limits = TreeLimits {
        max_files: 50,
        max_bytes: 50_000,
    };
    let valid = [
        super::super::archive::tests::targz(&[super::super::archive::tests::E::File("a.tf", "x")]),
        super::super::archive::tests::zipfile(&[("a.tf", "x")]),
    ];
    for i in 0..300 {
        // Real archives with bytes flipped, and pure noise.
        let mut bytes = if i % 3 == 0 {
            (0..rng.below(2000))
                .map(|_| rng.next() as u8)
                .collect::<Vec<u8>>()
        } else {
            valid[i % 2].clone()
        };
        for _ in 0..1 + rng.below(8) {
            if !bytes.is_empty() {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
            }
        }
        let file = tmp.path().join(format!("a{i}"));
        std::fs::write(&file, &bytes).expect("write");
        for kind in [ArchiveKind::TarGz, ArchiveKind::Zip, ArchiveKind::TarBz2] {
            let out = tmp.path().join(format!("out{i}-{}", kind.name()));
            let _ = archive::unpack(kind, &file, &out, &limits);
        }
    }
}
