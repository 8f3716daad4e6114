//! Terraform resource addresses as typed values: `module.a["k"].data.aws_x.y[0]`.
//! Parses and prints exactly Terraform's syntax; owns nothing else (no I/O, no lookups).

use std::fmt;

/// An instance key: `[0]` from `count`, `["k"]` from `for_each`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Int(i64),
    Str(String),
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "[{i}]"),
            Key::Str(s) => {
                f.write_str("[")?;
                write_quoted(f, s)?;
                f.write_str("]")
            }
        }
    }
}

/// One `module.NAME[KEY]` step of a module instance path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleStep {
    pub name: String,
    pub key: Option<Key>,
}

/// Resource mode: managed resources have no prefix, the others print theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Managed,
    Data,
    Ephemeral,
}

impl Mode {
    fn prefix(self) -> &'static str {
        match self {
            Mode::Managed => "",
            Mode::Data => "data.",
            Mode::Ephemeral => "ephemeral.",
        }
    }
}

/// A resource instance address (or, with no keys, a resource block's config address);
/// or, with no type and name, a module call or instance (`module.net["eu"]`), as
/// Terraform addresses a module. Field order gives the sort order: module path, mode,
/// type, name, key (so a module sorts before the resources inside it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address {
    pub module: Vec<ModuleStep>,
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    pub key: Option<Key>,
}

impl Address {
    /// The address of a module call or instance (`module.a.module.b`).
    pub fn module_call(path: Vec<ModuleStep>) -> Address {
        Address {
            module: path,
            mode: Mode::Managed,
            rtype: String::new(),
            name: String::new(),
            key: None,
        }
    }

    /// Whether this addresses a module rather than a resource.
    pub fn is_module_call(&self) -> bool {
        self.rtype.is_empty() && !self.module.is_empty()
    }

    /// The address of the resource block this instance belongs to: no instance key,
    /// module keys kept.
    pub fn block(&self) -> Address {
        Address {
            key: None,
            ..self.clone()
        }
    }

    /// Same resource block (module instance, mode, type, name), any instance key.
    pub fn same_block(&self, other: &Address) -> bool {
        self.name == other.name
            && self.rtype == other.rtype
            && self.mode == other.mode
            && self.module == other.module
    }

    /// The config address: every key dropped (`module.a.aws_x.y`), as state
    /// `dependencies` write it.
    pub fn config(&self) -> Address {
        Address {
            module: self
                .module
                .iter()
                .map(|m| ModuleStep {
                    name: m.name.clone(),
                    key: None,
                })
                .collect(),
            mode: self.mode,
            rtype: self.rtype.clone(),
            name: self.name.clone(),
            key: None,
        }
    }

    /// Parses a resource address (a module's is [`parse_module_path`]). Errors say what
    /// was expected where.
    pub fn parse(s: &str) -> Result<Address, AddressError> {
        let mut p = Parser { s, pos: 0 };
        let module = p.module_path(true)?;
        let mut mode = Mode::Managed;
        let mut rtype = p.ident()?;
        if matches!(rtype.as_str(), "data" | "ephemeral" | "resource") && p.peek() == Some('.') {
            p.eat('.')?;
            mode = match rtype.as_str() {
                "data" => Mode::Data,
                "ephemeral" => Mode::Ephemeral,
                _ => Mode::Managed,
            };
            rtype = p.ident()?;
        }
        p.eat('.')?;
        let name = p.ident()?;
        let key = p.key()?;
        if p.pos != s.len() {
            return Err(p.err("end of address"));
        }
        Ok(Address {
            module,
            mode,
            rtype,
            name,
            key,
        })
    }
}

/// Parses a module instance path such as `module.a["k"].module.b[0]` (empty string:
/// the root module).
pub fn parse_module_path(s: &str) -> Result<Vec<ModuleStep>, AddressError> {
    let mut p = Parser { s, pos: 0 };
    let path = p.module_path(false)?;
    if p.pos != s.len() {
        return Err(p.err("end of module path"));
    }
    Ok(path)
}

/// Prints a module path as Terraform does (`module.a["k"].module.b`).
pub fn module_path_string(path: &[ModuleStep]) -> String {
    let mut out = String::new();
    for (i, m) in path.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str("module.");
        out.push_str(&m.name);
        if let Some(k) = &m.key {
            out.push_str(&k.to_string());
        }
    }
    out
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_module_call() {
            return f.write_str(&module_path_string(&self.module));
        }
        for m in &self.module {
            write!(f, "module.{}", m.name)?;
            if let Some(k) = &m.key {
                write!(f, "{k}")?;
            }
            f.write_str(".")?;
        }
        write!(f, "{}{}.{}", self.mode.prefix(), self.rtype, self.name)?;
        if let Some(k) = &self.key {
            write!(f, "{k}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Address {
    type Err = AddressError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Address::parse(s)
    }
}

/// Why an address did not parse: the expectation and the byte offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid address: expected {expected} at offset {offset}")]
pub struct AddressError {
    pub expected: &'static str,
    pub offset: usize,
}

/// Writes `s` as an HCL quoted string the way Terraform's `toHCLQuotedString` does.
fn write_quoted(f: &mut impl fmt::Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            '$' | '%' if chars.peek() == Some(&'{') => {
                f.write_char(c)?;
                f.write_char(c)?;
            }
            c if !is_print(c) => {
                let n = c as u32;
                if n <= 0xFFFF {
                    write!(f, "\\u{n:04x}")?;
                } else {
                    write!(f, "\\U{n:08x}")?;
                }
            }
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

/// Go's `unicode.IsPrint`, which Terraform uses to decide what to escape: letters,
/// marks, numbers, punctuation, symbols and the ASCII space. Approximated without the
/// Unicode category tables: controls, every other space, format characters and
/// private-use characters are not printable.
fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let n = c as u32;
    let format_chars = matches!(n, 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x1BCA0..=0x1BCA3 | 0xE0001 | 0xE0020..=0xE007F);
    let private_use = matches!(n, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF);
    let noncharacter = (n & 0xFFFE) == 0xFFFE || (0xFDD0..=0xFDEF).contains(&n);
    !(format_chars || private_use || noncharacter)
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, expected: &'static str) -> AddressError {
        AddressError {
            expected,
            offset: self.pos,
        }
    }

    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn eat(&mut self, c: char) -> Result<(), AddressError> {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else {
            Err(self.err(match c {
                '.' => "'.'",
                ']' => "']'",
                _ => "a delimiter",
            }))
        }
    }

    fn ident(&mut self) -> Result<String, AddressError> {
        let start = self.pos;
        for (i, c) in self.s[self.pos..].char_indices() {
            let ok = if i == 0 {
                c.is_alphabetic() || c == '_'
            } else {
                c.is_alphanumeric() || c == '_' || c == '-'
            };
            if !ok {
                break;
            }
            self.pos = start + i + c.len_utf8();
        }
        if self.pos == start {
            return Err(self.err("an identifier"));
        }
        Ok(self.s[start..self.pos].to_string())
    }

    /// `module.NAME[KEY]` steps, each followed by `.` when `trailing_dot`.
    fn module_path(&mut self, trailing_dot: bool) -> Result<Vec<ModuleStep>, AddressError> {
        let mut path = Vec::new();
        loop {
            let rest = &self.s[self.pos..];
            if !rest.starts_with("module.") {
                break;
            }
            // `module.x` as the final two parts of a resource address would be a
            // resource of type "module", which Terraform reserves; always a module step.
            self.pos += "module.".len();
            let name = self.ident()?;
            let key = self.key()?;
            path.push(ModuleStep { name, key });
            if trailing_dot {
                self.eat('.')?;
            } else if self.pos < self.s.len() {
                self.eat('.')?;
                if !self.s[self.pos..].starts_with("module.") {
                    return Err(self.err("another module step"));
                }
            }
        }
        Ok(path)
    }

    fn key(&mut self) -> Result<Option<Key>, AddressError> {
        if self.peek() != Some('[') {
            return Ok(None);
        }
        self.pos += 1;
        let key = match self.peek() {
            Some('"') => Key::Str(self.quoted()?),
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let start = self.pos;
                self.pos += 1;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                let n = self.s[start..self.pos]
                    .parse::<i64>()
                    .map_err(|_| AddressError {
                        expected: "an integer key",
                        offset: start,
                    })?;
                Key::Int(n)
            }
            _ => return Err(self.err("an integer or quoted key")),
        };
        self.eat(']')?;
        Ok(Some(key))
    }

    fn quoted(&mut self) -> Result<String, AddressError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let c = self.peek().ok_or_else(|| self.err("a closing quote"))?;
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let e = self.peek().ok_or_else(|| self.err("an escape"))?;
                    self.pos += e.len_utf8();
                    match e {
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        'u' | 'U' => {
                            let n = if e == 'u' { 4 } else { 8 };
                            let hex = self
                                .s
                                .get(self.pos..self.pos + n)
                                .ok_or_else(|| self.err("hex digits"))?;
                            let v = u32::from_str_radix(hex, 16)
                                .ok()
                                .and_then(char::from_u32)
                                .ok_or_else(|| self.err("a valid unicode escape"))?;
                            self.pos += n;
                            out.push(v);
                        }
                        _ => return Err(self.err("a valid escape")),
                    }
                }
                '$' | '%' if self.s[self.pos..].starts_with(&format!("{c}{{")) => {
                    // `$${` and `%%{` are the escaped forms of `${` and `%{`.
                    self.pos += 1;
                    out.push(c);
                }
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

    #[test]
    fn round_trip() {
        for s in [
            "aws_vpc.main",
            "data.aws_ami.ubuntu",
            "ephemeral.random_password.x",
            "aws_subnet.a[0]",
            "aws_subnet.a[-1]",
            r#"aws_subnet.a["eu-west-1a"]"#,
            r#"module.net["eu"].aws_subnet.private[2]"#,
            r#"module.a["k"].module.b[0].aws_x.y["z"]"#,
            r#"module.a.module.b.data.aws_x.y"#,
            r#"aws_x.y["quote \" back \\ nl \n tab \t"]"#,
            r#"aws_x.y["$${not} %%{tmpl}"]"#,
            r#"aws_x.y["\u0007bell"]"#,
            r#"aws_x.y["ünï"]"#,
            "aws_x.with-dash_1",
        ] {
            let a = Address::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(a.to_string(), s, "print(parse({s}))");
            assert_eq!(Address::parse(&a.to_string()).as_ref(), Ok(&a));
        }
    }

    #[test]
    fn modules_are_addresses_too() -> TestResult {
        for s in ["module.net", r#"module.a["k"].module.b[0]"#] {
            let m = Address::module_call(parse_module_path(s)?);
            assert!(m.is_module_call());
            assert_eq!(m.to_string(), s);
        }
        let m = Address::module_call(parse_module_path(r#"module.net["eu"]"#)?);
        assert!(!Address::parse("module.net.aws_vpc.a")?.is_module_call());
        // A module sorts before the resources inside it.
        assert!(m < Address::parse(r#"module.net["eu"].aws_vpc.a"#)?);
        Ok(())
    }

    #[test]
    fn parts() -> TestResult {
        let a = Address::parse(r#"module.net["eu"].data.aws_subnet.private["a\"b"]"#)?;
        assert_eq!(a.module.len(), 1);
        assert_eq!(a.module[0].key, Some(Key::Str("eu".into())));
        assert_eq!(a.mode, Mode::Data);
        assert_eq!(a.rtype, "aws_subnet");
        assert_eq!(a.name, "private");
        assert_eq!(a.key, Some(Key::Str("a\"b".into())));
        assert_eq!(a.config().to_string(), "module.net.data.aws_subnet.private");
        assert_eq!(
            a.block().to_string(),
            r#"module.net["eu"].data.aws_subnet.private"#
        );
        // `resource.` is an accepted no-op prefix.
        assert_eq!(Address::parse("resource.aws_x.y")?.to_string(), "aws_x.y");
        Ok(())
    }

    #[test]
    fn printing_escapes_like_terraform() {
        let a = Address {
            module: vec![],
            mode: Mode::Managed,
            rtype: "t".into(),
            name: "n".into(),
            key: Some(Key::Str("a${b}\u{1F600}\u{7f}".into())),
        };
        assert_eq!(a.to_string(), "t.n[\"a$${b}\u{1F600}\\u007f\"]");
    }

    #[test]
    fn escapes_what_go_does_not_print() -> TestResult {
        for (key, want) in [
            ("nbsp\u{a0}x", r#"["nbsp\u00a0x"]"#),
            ("zw\u{200b}s", r#"["zw\u200bs"]"#),
            ("soft\u{ad}", r#"["soft\u00ad"]"#),
            ("pua\u{e000}", r#"["pua\ue000"]"#),
            ("ok é ✓", r#"["ok é ✓"]"#),
        ] {
            let a = Address {
                module: vec![],
                mode: Mode::Managed,
                rtype: "t".into(),
                name: "n".into(),
                key: Some(Key::Str(key.into())),
            };
            assert_eq!(a.to_string(), format!("t.n{want}"));
            assert_eq!(Address::parse(&a.to_string())?, a);
        }
        Ok(())
    }

    #[test]
    fn rejects_bad_addresses() {
        for s in [
            "",
            "aws_vpc",
            "aws_vpc.",
            "aws_vpc.main[",
            "aws_vpc.main[x]",
            r#"aws_vpc.main["x]"#,
            "aws_vpc.main extra",
            "module.a",
            "module..x.y",
            "1aws.x",
            r#"aws_x.y["\q"]"#,
        ] {
            assert!(Address::parse(s).is_err(), "{s:?} should not parse");
        }
    }

    #[test]
    fn module_paths() -> TestResult {
        assert_eq!(parse_module_path("")?, vec![]);
        let p = parse_module_path(r#"module.a["k"].module.b[3]"#)?;
        assert_eq!(module_path_string(&p), r#"module.a["k"].module.b[3]"#);
        assert!(parse_module_path("module.a.").is_err());
        Ok(())
    }

    #[test]
    fn ordering_is_module_mode_type_name_key() -> TestResult {
        let mut v: Vec<Address> = [
            "b.x[1]",
            "a.z",
            "b.x[0]",
            "data.a.a",
            r#"b.x["a"]"#,
            "module.m.a.a",
        ]
        .iter()
        .map(|s| Address::parse(s))
        .collect::<Result<_, _>>()?;
        v.sort();
        let got: Vec<String> = v.iter().map(|a| a.to_string()).collect();
        assert_eq!(
            got,
            [
                "a.z",
                "b.x[0]",
                "b.x[1]",
                r#"b.x["a"]"#,
                "data.a.a",
                "module.m.a.a"
            ]
        );
        Ok(())
    }
}
