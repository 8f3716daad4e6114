//! Hash functions: `md5`, `sha1`, `sha256`, `sha512` (hex), `base64sha256`,
//! `base64sha512`, their `file*` forms over a file's bytes (known after apply when the
//! file is not there yet), and `uuidv5` (SHA-1 of a namespace and a name). The digests
//! come from the RustCrypto crates (`md-5`, `sha1`, `sha2`).

use super::encoding::base64;
use super::file::{exists, read};
use super::{fail, Args, FnError, Spec};
use crate::value::V;
use std::fmt::Write as _;

pub(super) const SPECS: &[Spec] = &[
    Spec::new("md5", &["str"], |a| Ok(hex(&md5(a.str(0)?.as_bytes())))),
    Spec::new("sha1", &["str"], |a| Ok(hex(&sha1(a.str(0)?.as_bytes())))),
    Spec::new("sha256", &["str"], |a| {
        Ok(hex(&sha256(a.str(0)?.as_bytes())))
    }),
    Spec::new("sha512", &["str"], |a| {
        Ok(hex(&sha512(a.str(0)?.as_bytes())))
    }),
    Spec::new("base64sha256", &["str"], |a| {
        Ok(V::Str(base64(&sha256(a.str(0)?.as_bytes()))))
    }),
    Spec::new("base64sha512", &["str"], |a| {
        Ok(V::Str(base64(&sha512(a.str(0)?.as_bytes()))))
    }),
    Spec::new("filemd5", &["path"], |a| {
        Ok(built(a)?.map_or_else(V::unknown, |b| hex(&md5(&b))))
    }),
    Spec::new("filesha1", &["path"], |a| {
        Ok(built(a)?.map_or_else(V::unknown, |b| hex(&sha1(&b))))
    }),
    Spec::new("filesha256", &["path"], |a| {
        Ok(built(a)?.map_or_else(V::unknown, |b| hex(&sha256(&b))))
    }),
    Spec::new("filesha512", &["path"], |a| {
        Ok(built(a)?.map_or_else(V::unknown, |b| hex(&sha512(&b))))
    }),
    Spec::new("filebase64sha256", &["path"], |a| {
        Ok(built(a)?.map_or_else(V::unknown, |b| V::Str(base64(&sha256(&b)))))
    }),
    Spec::new("filebase64sha512", &["path"], |a| {
        Ok(built(a)?.map_or_else(V::unknown, |b| V::Str(base64(&sha512(&b)))))
    }),
    Spec::new("uuidv5", &["namespace", "name"], uuidv5),
];

/// The bytes of the file to hash; `None` when there is no such file. A file that is not
/// there is most often built before apply (the zip of `source_code_hash =
/// filebase64sha256("lambda.zip")`): its hash is known after apply, where Terraform,
/// planning without it, fails.
fn built(a: &Args) -> Result<Option<Vec<u8>>, FnError> {
    match read(a) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(_) if !exists(a)? => Ok(None),
        Err(e) => Err(e),
    }
}

fn hex(bytes: &[u8]) -> V {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    V::Str(out)
}

/// The message padded as MD5 and SHA-1/SHA-256 pad it: a 1 bit, zeros, and the length
/// in bits (little-endian for MD5) in the last 8 bytes of a 64-byte block.
fn md5(data: &[u8]) -> Vec<u8> {
    use md5::Digest as _;
    md5::Md5::digest(data).to_vec()
}

fn sha1(data: &[u8]) -> Vec<u8> {
    use sha1::Digest as _;
    sha1::Sha1::digest(data).to_vec()
}

fn sha256(data: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    sha2::Sha256::digest(data).to_vec()
}

fn sha512(data: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    sha2::Sha512::digest(data).to_vec()
}

fn uuidv5(a: &mut Args) -> Result<V, FnError> {
    let given = a.str(0)?;
    let namespace = match given.as_str() {
        "dns" => "6ba7b810-9dad-11d1-80b4-00c04fd430c8".to_string(),
        "url" => "6ba7b811-9dad-11d1-80b4-00c04fd430c8".to_string(),
        "oid" => "6ba7b812-9dad-11d1-80b4-00c04fd430c8".to_string(),
        "x500" => "6ba7b814-9dad-11d1-80b4-00c04fd430c8".to_string(),
        other => other.to_string(),
    };
    let bytes = uuid_bytes(&namespace).ok_or_else(|| {
        fail(format!(
            "uuidv5() doesn't support namespace {}",
            crate::scrub::value(&given)
        ))
    })?;
    let mut data = bytes.to_vec();
    data.extend_from_slice(a.str(1)?.as_bytes());
    let mut u = sha1(&data);
    u.truncate(16);
    u[6] = (u[6] & 0x0f) | 0x50;
    u[8] = (u[8] & 0x3f) | 0x80;
    let h: String = u.iter().map(|b| format!("{b:02x}")).collect();
    Ok(V::Str(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )))
}

/// The 16 bytes of a UUID written as Go's `uuid.Parse` reads it: with dashes, without,
/// in braces, or after `urn:uuid:`.
fn uuid_bytes(s: &str) -> Option<[u8; 16]> {
    let s = s.strip_prefix("urn:uuid:").unwrap_or(s);
    let s = s
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(s);
    let digits: String = match s.len() {
        36 => {
            let b = s.as_bytes();
            if [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
                return None;
            }
            s.chars().filter(|&c| c != '-').collect()
        }
        32 => s.to_string(),
        _ => return None,
    };
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(digits.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}
