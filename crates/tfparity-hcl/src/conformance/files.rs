//! Path and file functions. Relative paths resolve against the module directory,
//! here the crate's own directory (where `cargo test` runs), so that only its
//! `Cargo.toml` is relied on.

use super::{c, known, Case};

pub(super) const CASES: &[Case] = &[
    c(r#"basename("foo/bar/baz.txt")"#, r#""baz.txt""#),
    c(r#"basename("foo/bar/")"#, r#""bar""#),
    c(r#"basename("/")"#, r#""/""#),
    c(r#"basename("")"#, r#"".""#),
    c(r#"dirname("foo/bar/baz.txt")"#, r#""foo/bar""#),
    c(r#"dirname("baz.txt")"#, r#"".""#),
    c(r#"dirname("/baz.txt")"#, r#""/""#),
    c(r#"dirname("")"#, r#"".""#),
    c(r#"dirname("foo//bar/../baz")"#, r#""foo""#),
    c(r#"pathexpand("/etc/resolv.conf")"#, r#""/etc/resolv.conf""#),
    c(r#"pathexpand("relative/~x")"#, r#""relative/~x""#),
    c(r#"startswith(pathexpand("~/.ssh/id_rsa"), "~")"#, "false"),
    c(
        r#"endswith(pathexpand("~/.ssh/id_rsa"), "/.ssh/id_rsa")"#,
        "true",
    ),
    c(r#"abspath("/a/b/../c")"#, r#""/a/c""#),
    c(r#"startswith(abspath("x"), "/")"#, "true"),
    c(r#"fileexists("Cargo.toml")"#, "true"),
    c(r#"fileexists("no/such/file")"#, "false"),
    c(r#"strcontains(file("Cargo.toml"), "[package]")"#, "true"),
    c(
        r#"base64decode(filebase64("Cargo.toml")) == file("Cargo.toml")"#,
        "true",
    ),
    c(
        r#"file("no/such/file")"#,
        r#"error: no file exists at "no/such/file""#,
    ),
    c(
        r#"filebase64("no/such/file")"#,
        r#"error: no file exists at "no/such/file""#,
    ),
    c(r#"fileset(".", "Cargo.tom?")"#, r#"toset(["Cargo.toml"])"#),
    c(
        r#"fileset(".", "{Cargo.toml,nosuch}")"#,
        r#"toset(["Cargo.toml"])"#,
    ),
    c(r#"fileset(".", "no-such-*")"#, "toset([])"),
    c(r#"fileset(".", "[")"#, "error: "),
    c(r#"file(u)"#, "u"),
    c(r#"templatefile("no/such/template.tftpl", {})"#, "error: "),
    c(
        r#"filemd5("Cargo.toml") == md5(file("Cargo.toml"))"#,
        "true",
    ),
    c(
        r#"filesha1("Cargo.toml") == sha1(file("Cargo.toml"))"#,
        "true",
    ),
    c(
        r#"filesha256("Cargo.toml") == sha256(file("Cargo.toml"))"#,
        "true",
    ),
    c(
        r#"filesha512("Cargo.toml") == sha512(file("Cargo.toml"))"#,
        "true",
    ),
    c(
        r#"filebase64sha256("Cargo.toml") == base64sha256(file("Cargo.toml"))"#,
        "true",
    ),
    c(
        r#"filebase64sha512("Cargo.toml") == base64sha512(file("Cargo.toml"))"#,
        "true",
    ),
    known(
        r#"filebase64sha256("no/such/lambda.zip")"#,
        r#"error: no file exists at "no/such/lambda.zip""#,
        "u",
        "a file to hash that is not there is taken to be built before apply: known after apply",
    ),
    known(
        r#"filemd5("no/such/file")"#,
        r#"error: no file exists at "no/such/file""#,
        "u",
        "a file to hash that is not there is taken to be built before apply: known after apply",
    ),
    c(r#"filemd5(".")"#, "error: "),
];
