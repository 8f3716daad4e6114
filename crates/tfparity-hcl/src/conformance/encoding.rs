//! Encoding functions: base64, JSON, YAML, URLs, and the hashes and text encodings
//! this crate leaves known after apply.

use super::{c, known, Case};

/// Why hashes and the crypto functions differ.
const UNHASHED: &str =
    "hashes and crypto are not computed here: known after apply (functions.rs UNCOMPUTED)";

pub(super) const CASES: &[Case] = &[
    // base64
    c(r#"base64encode("Hello World")"#, r#""SGVsbG8gV29ybGQ=""#),
    c(r#"base64encode("")"#, r#""""#),
    c(r#"base64encode("☃")"#, r#""4piD""#),
    c(r#"base64decode("SGVsbG8gV29ybGQ=")"#, r#""Hello World""#),
    c(r#"base64decode("4piD")"#, r#""☃""#),
    c(r#"base64decode("")"#, r#""""#),
    c(
        r#"base64decode("no!")"#,
        "error: failed to decode base64 data",
    ),
    c(
        r#"base64decode("/w==")"#,
        "error: the result of decoding the provided string is not valid UTF-8",
    ),
    c(r#"base64decode(base64encode("a\nb"))"#, r#""a\nb""#),
    c(r#"startswith(base64gzip("test"), "H4sI")"#, "true"),
    known(
        r#"base64gzip("test")"#,
        r#""H4sIAAAAAAAA/ypJLS4BAAAA//8BAAD//wx+f9gEAAAA""#,
        r#""H4sIAAAAAAAA/ytJLS4BAAx+f9gEAAAA""#,
        "another deflate implementation: the bytes differ, the text they hold does not",
    ),
    // urlencode: query escaping, spaces as "+".
    c(r#"urlencode("Hello World!")"#, r#""Hello+World%21""#),
    c(r#"urlencode("☃")"#, r#""%E2%98%83""#),
    c(
        r#""http://example.com/search?q=${urlencode("tofu urlencode")}""#,
        r#""http://example.com/search?q=tofu+urlencode""#,
    ),
    c(r#"urlencode("a/b?c=d&e")"#, r#""a%2Fb%3Fc%3Dd%26e""#),
    c(r#"urlencode("-_.~")"#, r#""-_.~""#),
    // urldecode (OpenTofu)
    c(r#"urldecode("Hello+World%21")"#, r#""Hello World!""#),
    c(r#"urldecode("%E2%98%83")"#, r#""☃""#),
    c(
        r#"urldecode("foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz")"#,
        r#""foo:bar@localhost?foo=bar&bar=baz""#,
    ),
    c(r#"urldecode(urlencode("a b/c?d"))"#, r#""a b/c?d""#),
    c(r#"urldecode("%zz")"#, r#"error: invalid URL escape "%zz""#),
    c(r#"urldecode("100%")"#, "error: invalid URL escape"),
    // base64gunzip (OpenTofu)
    c(
        r#"base64gunzip("H4sIAAAAAAAA/ypJLS4BAAAA//8BAAD//wx+f9gEAAAA")"#,
        r#""test""#,
    ),
    c(
        r#"base64gunzip(base64gzip("hello
world"))"#,
        r#""hello
world""#,
    ),
    c(
        r#"base64gunzip("dGVzdA==")"#,
        "error: failed to gunzip bytestream",
    ),
    c(
        r#"base64gunzip("!")"#,
        "error: failed to decode base64 data",
    ),
    // jsonencode: compact, keys sorted, HTML characters escaped as Go escapes them.
    c(
        r#"jsonencode({"hello" = "world"})"#,
        r#""{\"hello\":\"world\"}""#,
    ),
    c(
        r#"jsonencode({b = 1, a = [true, null]})"#,
        r#""{\"a\":[true,null],\"b\":1}""#,
    ),
    c(
        r#"jsonencode("<a & b>")"#,
        r#""\"\\u003ca \\u0026 b\\u003e\"""#,
    ),
    c(r#"jsonencode(1.5)"#, r#""1.5""#),
    c(r#"jsonencode(10000000)"#, r#""10000000""#),
    c(r#"jsonencode(null)"#, r#""null""#),
    c(r#"jsonencode([])"#, r#""[]""#),
    c(r#"jsonencode({})"#, r#""{}""#),
    c(r#"jsonencode(toset(["b", "a"]))"#, r#""[\"a\",\"b\"]""#),
    c(r#"jsonencode("a\nb\"")"#, r#""\"a\\nb\\\"\"""#),
    c(r#"jsonencode(u)"#, "u"),
    c(r#"jsonencode([1, u])"#, "u"),
    // jsondecode
    c(
        r#"jsondecode("{\"hello\": \"world\"}")"#,
        r#"{hello = "world"}"#,
    ),
    c(r#"jsondecode("true")"#, "true"),
    c(r#"jsondecode("null")"#, "null"),
    c(r#"jsondecode("[1, \"a\", {}]")"#, r#"[1, "a", {}]"#),
    c(r#"jsondecode("1.0")"#, "1"),
    c(r#"jsondecode("\"\\u00e9\"")"#, r#""é""#),
    c(r#"jsondecode(" 5 ")"#, "5"),
    c(r#"jsondecode("")"#, "error: "),
    c(r#"jsondecode("{")"#, "error: "),
    c(r#"jsondecode("1 2")"#, "error: extraneous data"),
    c(
        r#"jsondecode("{\"a\": 1, \"a\": 2}")"#,
        r#"error: duplicate "a" property in JSON object"#,
    ),
    c(
        r#"jsondecode(jsonencode({a = [1, "x", null]}))"#,
        r#"{a = [1, "x", null]}"#,
    ),
    // yamldecode: YAML 1.2 core schema, one document.
    c(r#"yamldecode("hello: world")"#, r#"{hello = "world"}"#),
    c(r#"yamldecode("true")"#, "true"),
    c(
        r#"yamldecode("{a: &foo [1, 2, 3], b: *foo}")"#,
        "{a = [1, 2, 3], b = [1, 2, 3]}",
    ),
    c(r#"yamldecode("- a\n- 2\n- null")"#, r#"["a", 2, null]"#),
    c(r#"yamldecode("~")"#, "null"),
    c(r#"yamldecode("")"#, "null"),
    c(r#"yamldecode("\"007\"")"#, r#""007""#),
    c(r#"yamldecode("a: 1.5")"#, "{a = 1.5}"),
    c(r#"yamldecode("a: [")"#, "error: "),
    // Terraform's YAML reader resolves plain scalars by YAML 1.1's rules: yes/no, on/off
    // and y/n are bools, dates are timestamps; quoted or tagged scalars are strings.
    c(r#"yamldecode("yes")"#, "true"),
    c(r#"yamldecode("[y, Yes, ON, n, No, off, True, FALSE]")"#, "[true, true, true, false, false, false, true, false]"),
    c(r#"yamldecode("\"yes\"")"#, r#""yes""#),
    c(r#"yamldecode("'on'")"#, r#""on""#),
    c(r#"yamldecode("!!str true")"#, r#""true""#),
    c(r#"yamldecode("!!bool bananas")"#, r#"error: cannot parse "bananas""#),
    c(r#"yamldecode("yess")"#, r#""yess""#),
    c(r#"yamldecode("[~, null, Null, NULL]")"#, "[null, null, null, null]"),
    c(r#"yamldecode("'NULL'")"#, r#""NULL""#),
    c(r#"yamldecode("0o77")"#, "63"),
    c(r#"yamldecode("077")"#, "77"),
    c(r#"yamldecode("0x1f")"#, "31"),
    c(r#"yamldecode("-12")"#, "-12"),
    c(r#"yamldecode(".5")"#, "0.5"),
    c(r#"yamldecode("1e3")"#, "1000"),
    c(r#"yamldecode("0ba")"#, r#""0ba""#),
    c(r#"yamldecode(".Inf") > 1e300"#, "true"),
    c(r#"yamldecode("Inf")"#, r#""Inf""#),
    c(r#"yamldecode("-inf")"#, r#""-inf""#),
    c(r#"yamldecode(".NaN")"#, "error: floating point NaN is not supported"),
    c(r#"yamldecode("2006-1-2")"#, r#""2006-01-02T00:00:00Z""#),
    known(
        r#"yamldecode("|\n hello\n world")"#,
        r#""hello\nworld""#,
        r#""hello\nworld\n""#,
        "yaml-rust2 keeps a final line break the text does not have (a block scalar at the very end)",
    ),
    known(
        r#"yamldecode(">\n hello\n world")"#,
        r#""hello world""#,
        r#""hello world\n""#,
        "yaml-rust2 keeps a final line break the text does not have (a block scalar at the very end)",
    ),
    c(r#"yamldecode("|\n hello\n world\n")"#, r#""hello\nworld\n""#),
    c(r#"yamldecode("a: |-\n  x\n  y\nb: 1")"#, r#"{a = "x\ny", b = 1}"#),
    c(r#"yamldecode("<<")"#, r#""<<""#),
    c(r#"yamldecode("foo: &x {a: b}\nbar:\n  <<: *x\n  c: d")"#, r#"{foo = {a = "b"}, bar = {a = "b", c = "d"}}"#),
    c(r#"yamldecode("{a: &foo [1, *foo, 3]}")"#, "error: from inside its own definition"),
    c(r#"yamldecode("{a: !not-supported foo}")"#, "error: unsupported tag"),
    c(r#"yamldecode("a: 1\na: 2")"#, "{a = 2}"),
    c(r#"yamldecode("a: 1\n<<: {a: 2, b: 3}")"#, "{a = 2, b = 3}"),
    c(r#"yamldecode("<<: [{a: 1}, {a: 2, b: 3}]\nc: 4")"#, "{a = 2, b = 3, c = 4}"),
    c(r#"yamldecode("<<: 5")"#, "error: cannot merge number into mapping"),
    c(r#"yamldecode("? [a]\n: 1")"#, "error: only strings are allowed as mapping keys"),
    c(r#"yamldecode("~: 1")"#, "error: mapping key cannot be null"),
    c(r#"yamldecode("1: a\ntrue: b")"#, r#"{"1" = "a", "true" = "b"}"#),
    c(r#"yamldecode("!!map [a]")"#, "error: can't interpret sequence as tag:yaml.org,2002:map"),
    c(r#"yamldecode("!!int 0b101")"#, "5"),
    c(r#"yamldecode("!!int x")"#, r#"error: cannot parse "x" as tag:yaml.org,2002:int"#),
    c(r#"yamldecode("!!binary 'aGVsbG8='")"#, r#""aGVsbG8=""#),
    c(r#"yamldecode("!!binary '>>>>'")"#, "error: not valid base64"),
    c(r#"yamldecode("!!null x")"#, "null"),
    c(r#"yamldecode("1_000")"#, r#""1_000""#),
    c(r#"yamldecode("!!int 1_000")"#, "1000"),
    c(r#"yamldecode("+12")"#, "12"),
    c(r#"yamldecode("+")"#, r#""+""#),
    c(r#"yamldecode("-")"#, "[null]"),
    c(r#"yamldecode("2001-12-14t21:59:43.10-05:00")"#, r#""2001-12-14T21:59:43-05:00""#),
    c(r#"yamldecode("2001-12-14 21:59:43.10")"#, r#""2001-12-14T21:59:43Z""#),
    c(r#"yamldecode("2001-12-14T21:59:43+00:00")"#, r#""2001-12-14T21:59:43Z""#),
    c(r#"yamldecode("2001-02-30")"#, r#""2001-02-30""#),
    c(r#"yamldecode("'2001-12-14'")"#, r#""2001-12-14""#),
    c(r#"yamldecode("---\ntrue\n---\nfalse")"#, "error: unexpected extra content after value"),
    c(r#"yamldecode("---")"#, "null"),
    c(r#"yamldecode("a: 1\n---\nb: 2")"#, "error: "),
    // yamlencode: keys quoted and sorted, block style.
    c(
        r#"yamlencode({"a" = "b", "c" = "d"})"#,
        r#""\"a\": \"b\"\n\"c\": \"d\"\n""#,
    ),
    c(
        r#"yamlencode({"foo" = [1, 2, 3], "bar" = "baz"})"#,
        r#""\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n""#,
    ),
    c(
        r#"yamlencode({"foo" = [1, {"a" = "b", "c" = "d"}, 3], "bar" = "baz"})"#,
        r#""\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n""#,
    ),
    c(r#"yamlencode("x")"#, r#""\"x\"\n""#),
    c(r#"yamlencode(null)"#, r#""null\n...\n""#),
    c(r#"yamlencode(1)"#, r#""1\n...\n""#),
    c(r#"yamlencode([])"#, r#""[]\n""#),
    c(
        r#"yamldecode(yamlencode({a = ["x", 1, true]}))"#,
        r#"{a = ["x", 1, true]}"#,
    ),
    // csvdecode, hashes, crypto and text encodings are not computed here.
    // csvdecode: a list of objects named by the header line.
    c(r#"csvdecode("a,b,c\n1,2,3\n4,5,6")"#, r#"[{a = "1", b = "2", c = "3"}, {a = "4", b = "5", c = "6"}]"#),
    c(
        r#"csvdecode("\"name\",\"size\"\n\"foo\",\"100\"\r\n\"bar\",\"\"\n")"#,
        r#"[{name = "foo", size = "100"}, {name = "bar", size = ""}]"#,
    ),
    c(r#"csvdecode("\"just\",\"header\"")"#, "[]"),
    c(r#"csvdecode("not csv at all")"#, "[]"),
    c(r#"csvdecode("a\n\"x, \"\"y\"\"\nz\"\n\nw")"#, r#"[{a = "x, \"y\"\nz"}, {a = "w"}]"#),
    c(r#"csvdecode("")"#, "error: missing header line"),
    c(r#"csvdecode("invalid\"thing\"")"#, r#"error: CSV parse error on line 1: bare " in non-quoted-field"#),
    c(r#"csvdecode("a,b\n1")"#, "error: CSV parse error on line 2: wrong number of fields"),
    c(r#"csvdecode("a,a\n1,2")"#, r#"error: duplicate column name "a""#),
    c(r#"csvdecode("a\n\"x")"#, "error: extraneous or missing \" in quoted-field"),
    c(r#"csvdecode("a\n\"x\"y")"#, "error: extraneous or missing \" in quoted-field"),
    c(r#"csvdecode(true)"#, r#"[]"#),
    c(r#"[for r in csvdecode("id,az\nweb,a\ndb,b") : r.id if r.az == "b"]"#, r#"["db"]"#),
    known(
        r#"md5("hello world")"#,
        r#""5eb63bbbe01eeed093cb22bb8f5acdc3""#,
        "u",
        UNHASHED,
    ),
    known(
        r#"sha1("hello world")"#,
        r#""2aae6c35c94fcfb415dbe95f408b9ce91ee846ed""#,
        "u",
        UNHASHED,
    ),
    known(
        r#"sha256("hello world")"#,
        r#""b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9""#,
        "u",
        UNHASHED,
    ),
    known(
        r#"sha512("hello world")"#,
        r#""309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f""#,
        "u",
        UNHASHED,
    ),
    known(
        r#"base64sha256("hello world")"#,
        r#""uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=""#,
        "u",
        UNHASHED,
    ),
    known(
        r#"base64sha512("hello world")"#,
        r#""MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==""#,
        "u",
        UNHASHED,
    ),
    known(
        r#"uuidv5("dns", "www.opentofu.org")"#,
        r#""df1e675d-b743-5f6c-9952-6311d0f141df""#,
        "u",
        UNHASHED,
    ),
    known(
        r#"textencodebase64("Hello World", "UTF-16LE")"#,
        r#""SABlAGwAbABvACAAVwBvAHIAbABkAA==""#,
        "u",
        "text encodings are not implemented: known after apply here",
    ),
    known(
        r#"textdecodebase64("SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE")"#,
        r#""Hello World""#,
        "u",
        "text encodings are not implemented: known after apply here",
    ),
    // bcrypt salts randomly and rsadecrypt needs a key: Terraform's plan does not know
    // bcrypt's result either.
    c(r#"bcrypt("hello world")"#, "u"),
    known(
        r#"rsadecrypt("x", "y")"#,
        "error: ",
        "u",
        "rsadecrypt is not computed here: known after apply, even for a key that would fail",
    ),
];
