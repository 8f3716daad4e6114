//! `textencodebase64` and `textdecodebase64` for the encodings this crate knows:
//! UTF-8, UTF-16LE, UTF-16BE and ISO-8859-1 under their IANA names and aliases (any
//! case). Another encoding's result is known after apply (Terraform knows every IANA
//! encoding).

use super::encoding::base64;
use super::{Args, FnError, Spec};
use crate::value::V;

pub(super) const SPECS: &[Spec] = &[
    Spec::new("textencodebase64", &["string", "encoding"], encode),
    Spec::new("textdecodebase64", &["source", "encoding"], decode),
];

#[derive(Clone, Copy)]
enum Enc {
    Utf8,
    Utf16Le,
    Utf16Be,
    Latin1,
}

/// The encoding an IANA name or alias names, with its IANA name.
fn named(name: &str) -> Option<(Enc, &'static str)> {
    Some(match name.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" | "csutf8" => (Enc::Utf8, "UTF-8"),
        "utf-16le" | "csutf16le" => (Enc::Utf16Le, "UTF-16LE"),
        "utf-16be" | "csutf16be" => (Enc::Utf16Be, "UTF-16BE"),
        "iso-8859-1" | "iso_8859-1" | "iso_8859-1:1987" | "iso-ir-100" | "latin1" | "l1"
        | "ibm819" | "cp819" | "csisolatin1" => (Enc::Latin1, "ISO-8859-1"),
        _ => return None,
    })
}

fn encode(a: &mut Args) -> Result<V, FnError> {
    let text = a.str(0)?;
    let Some((enc, name)) = named(&a.str(1)?) else {
        return Ok(V::unknown());
    };
    let bytes: Vec<u8> = match enc {
        Enc::Utf8 => text.into_bytes(),
        Enc::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Enc::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        Enc::Latin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect::<Option<_>>()
            .ok_or_else(|| {
                a.bad(
                    0,
                    format!(
                        "the given string contains characters that cannot be represented in {name}"
                    ),
                )
            })?,
    };
    Ok(V::Str(base64(&bytes)))
}

fn decode(a: &mut Args) -> Result<V, FnError> {
    let source = a.str(0)?;
    let Some((enc, _)) = named(&a.str(1)?) else {
        return Ok(V::unknown());
    };
    let bytes = super::encoding::unbase64(&source)
        .ok_or_else(|| a.bad(0, "the given value has an invalid base64 symbol"))?;
    let units = |f: fn([u8; 2]) -> u16| -> Vec<u16> {
        bytes
            .chunks(2)
            .map(|c| f([c[0], *c.get(1).unwrap_or(&0)]))
            .collect()
    };
    Ok(V::Str(match enc {
        Enc::Utf8 => String::from_utf8_lossy(&bytes).into_owned(),
        Enc::Utf16Le => String::from_utf16_lossy(&units(u16::from_le_bytes)),
        Enc::Utf16Be => String::from_utf16_lossy(&units(u16::from_be_bytes)),
        Enc::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
    }))
}
