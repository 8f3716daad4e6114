//! go-getter's `?checksum=` on an archive URL: `sha256:HEX` (also sha1, sha384,
//! sha512; a bare hex digest is typed by its length), checked on the downloaded file
//! before it is unpacked. md5 and `file:` checksum lists are not supported.

use super::error::Problem;
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algo {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

/// An expected digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checksum {
    pub algo: Algo,
    /// Lower-case hex.
    pub hex: String,
}

impl Checksum {
    /// Parses the parameter's value; `Err(Some(kind))` for a kind not supported here.
    pub fn parse(v: &str) -> Result<Checksum, Result<String, String>> {
        let (kind, hex) = match v.split_once(':') {
            Some((k, h)) => (Some(k.to_ascii_lowercase()), h),
            None => (None, v),
        };
        let hex = hex.to_ascii_lowercase();
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Err(format!("invalid checksum {v:?}")));
        }
        let algo = match (kind.as_deref(), hex.len()) {
            (Some("sha1"), 40) | (None, 40) => Algo::Sha1,
            (Some("sha256"), 64) | (None, 64) => Algo::Sha256,
            (Some("sha384"), 96) | (None, 96) => Algo::Sha384,
            (Some("sha512"), 128) | (None, 128) => Algo::Sha512,
            (Some("md5"), _) | (None, 32) => return Err(Ok("md5 checksum".into())),
            (Some("file"), _) => return Err(Ok("checksum file".into())),
            _ => return Err(Err(format!("invalid checksum {v:?}"))),
        };
        Ok(Checksum { algo, hex })
    }

    /// `TYPE:HEX`.
    pub fn display(&self) -> String {
        let name = match self.algo {
            Algo::Sha1 => "sha1",
            Algo::Sha256 => "sha256",
            Algo::Sha384 => "sha384",
            Algo::Sha512 => "sha512",
        };
        format!("{name}:{}", self.hex)
    }

    /// Checks the file at `path`.
    pub(super) fn verify(&self, path: &Path) -> Result<(), Problem> {
        use ring::digest;
        let alg = match self.algo {
            Algo::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
            Algo::Sha256 => &digest::SHA256,
            Algo::Sha384 => &digest::SHA384,
            Algo::Sha512 => &digest::SHA512,
        };
        let mut ctx = digest::Context::new(alg);
        let mut f = std::fs::File::open(path).map_err(|e| Problem::io(path, e))?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = f.read(&mut buf).map_err(|e| Problem::io(path, e))?;
            if n == 0 {
                break;
            }
            ctx.update(&buf[..n]);
        }
        let got: String = ctx
            .finish()
            .as_ref()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if got != self.hex {
            return Err(Problem::Refused(format!(
                "checksum mismatch: expected {}, got {got}",
                self.display()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_verify() {
        let tmp = tempfile::tempdir().expect("tmp");
        let f = tmp.path().join("a");
        std::fs::write(&f, "abc").expect("write");
        let sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let c = Checksum::parse(&format!("sha256:{}", sha256.to_uppercase())).expect("parse");
        c.verify(&f).expect("matches");
        Checksum::parse(sha256)
            .expect("bare")
            .verify(&f)
            .expect("matches");
        Checksum::parse("sha1:a9993e364706816aba3e25717850c26c9cd0d89d")
            .expect("sha1")
            .verify(&f)
            .expect("matches");
        let wrong = Checksum::parse(&format!("sha256:{}", "0".repeat(64))).expect("parse");
        assert!(format!("{:?}", wrong.verify(&f)).contains("checksum mismatch"));
        assert_eq!(
            Checksum::parse("md5:900150983cd24fb0d6963f7d28e17f72"),
            Err(Ok("md5 checksum".into()))
        );
        assert!(matches!(Checksum::parse("sha256:xyz"), Err(Err(_))));
        assert!(matches!(Checksum::parse("sha256:abcd"), Err(Err(_))));
    }
}
