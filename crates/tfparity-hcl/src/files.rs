//! The files of one module directory: which are configuration (`*.tf`, `*.tf.json`,
//! `*.tofu`, `*.tofu.json`; a `.tofu` file shadows the `.tf` file of the same name;
//! override files last), read and parsed in parallel into blocks that remember where
//! they were written, then merged as Terraform merges override files. Parses; never
//! evaluates.

use super::expr::Expr;
use super::json;
use crate::confine::Confinement;
use hcl::edit::structure::{BlockLabel, Structure};
use hcl::edit::Span;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One configuration file, kept for positions in messages.
#[derive(Debug)]
pub struct SrcFile {
    pub path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
}

impl SrcFile {
    pub fn new(path: PathBuf, text: String) -> SrcFile {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SrcFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

/// Where something was written: a file and a byte offset in it (none for JSON values).
#[derive(Debug, Clone)]
pub struct Loc {
    pub file: Arc<SrcFile>,
    pub offset: Option<usize>,
}

impl Loc {
    pub fn line_col(&self) -> Option<(usize, usize)> {
        self.offset.map(|o| self.file.line_col(o))
    }

    /// The same file at the start of `span`, if there is one.
    pub fn at(&self, span: Option<std::ops::Range<usize>>) -> Loc {
        Loc {
            file: self.file.clone(),
            offset: span.map(|s| s.start).or(self.offset),
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line_col() {
            Some((l, c)) => write!(f, "{}:{l}:{c}", self.file.path.display()),
            None => write!(f, "{}", self.file.path.display()),
        }
    }
}

/// An attribute: `name = expr`.
#[derive(Debug, Clone)]
pub struct Attr {
    pub name: String,
    pub expr: Expr,
    pub loc: Loc,
}

/// A block: `kind "label" … { body }`.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Body,
    pub loc: Loc,
}

/// Attributes (names unique) and nested blocks, in source order.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn blocks_of<'b>(&'b self, kind: &'b str) -> impl Iterator<Item = &'b Block> + 'b {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }

    /// From hcl-edit's tree, with positions in `file`: expressions become the
    /// evaluator's own compact tree, and hcl-edit's is dropped.
    pub fn from_edit(body: hcl::edit::structure::Body, file: &Arc<SrcFile>) -> Body {
        let here = Loc {
            file: file.clone(),
            offset: None,
        };
        let blocks = body.iter().filter(|s| s.is_block()).count();
        let mut out = Body {
            attrs: Vec::with_capacity(body.len() - blocks),
            blocks: Vec::with_capacity(blocks),
        };
        for s in body.into_iter() {
            match s {
                Structure::Attribute(a) => out.attrs.push(Attr {
                    loc: here.at(a.span()),
                    name: a.key.as_str().to_string(),
                    expr: Expr::from_edit(&a.value),
                }),
                Structure::Block(b) => {
                    let loc = here.at(b.span());
                    out.blocks.push(Block {
                        kind: b.ident.as_str().to_string(),
                        labels: b
                            .labels
                            .iter()
                            .map(|l| match l {
                                BlockLabel::Ident(i) => i.as_str().to_string(),
                                BlockLabel::String(s) => s.as_str().to_string(),
                            })
                            .collect(),
                        body: Body::from_edit(b.body, file),
                        loc,
                    })
                }
            }
        }
        out
    }
}

/// Why a module directory could not be read: the message, and where.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub path: PathBuf,
    pub line_col: Option<(usize, usize)>,
    pub what: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((l, c)) = self.line_col {
            write!(f, ":{l}:{c}")?;
        }
        write!(f, ": {}", crate::scrub::reveal(&self.what))
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// The error with the values it quotes redacted (see [`crate::scrub`]).
    pub fn redacted(self) -> LoadError {
        LoadError {
            what: crate::scrub::redact_values(&self.what),
            ..self
        }
    }

    /// [`crate::eval::EvalError::bound_for`].
    pub fn bound_for(self, name: &str, expr: &crate::expr::Expr) -> LoadError {
        if crate::secret::is_secret_place(name, expr) {
            self.redacted()
        } else {
            self
        }
    }

    /// The error as it leaves the crate: the values it may quote shown, unmarked, and
    /// any URL in it without its credentials.
    pub fn revealed(self) -> LoadError {
        LoadError {
            what: crate::scrub::urls(&crate::scrub::reveal(&self.what)),
            ..self
        }
    }

    pub fn at(loc: &Loc, what: impl Into<String>) -> LoadError {
        LoadError {
            path: loc.file.path.clone(),
            line_col: loc.line_col(),
            what: what.into(),
        }
    }

    pub fn file(path: &Path, what: impl Into<String>) -> LoadError {
        LoadError {
            path: path.to_path_buf(),
            line_col: None,
            what: what.into(),
        }
    }
}

/// The configuration file names of a directory, primary files and overrides, each in
/// lexical order, `.tofu` shadowing `.tf`.
pub fn config_files(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), LoadError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| LoadError::file(dir, format!("cannot read module directory: {e}")))?;
    let mut names: Vec<String> = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_file = e.file_type().map(|t| !t.is_dir()).unwrap_or(false);
        if is_file && !ignored(&name) && kind_of(&name).is_some() {
            names.push(name);
        }
    }
    names.sort();
    // `x.tofu` replaces `x.tf`, `x.tofu.json` replaces `x.tf.json`.
    let shadowed = |n: &String| {
        let tofu = n
            .strip_suffix(".tf")
            .map(|b| format!("{b}.tofu"))
            .or_else(|| n.strip_suffix(".tf.json").map(|b| format!("{b}.tofu.json")));
        tofu.is_some_and(|t| names.contains(&t))
    };
    let mut primary = Vec::new();
    let mut overrides = Vec::new();
    for n in names.iter().filter(|n| !shadowed(n)) {
        let path = dir.join(n);
        if is_override(n) {
            overrides.push(path);
        } else {
            primary.push(path);
        }
    }
    Ok((primary, overrides))
}

fn ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
}

/// Native or JSON syntax, by extension; `None` for files that are not configuration.
fn kind_of(name: &str) -> Option<bool> {
    if name.ends_with(".tf.json") || name.ends_with(".tofu.json") {
        Some(true)
    } else if name.ends_with(".tf") || name.ends_with(".tofu") {
        Some(false)
    } else {
        None
    }
}

fn base_name(name: &str) -> &str {
    for ext in [".tf.json", ".tofu.json", ".tf", ".tofu"] {
        if let Some(b) = name.strip_suffix(ext) {
            return b;
        }
    }
    name
}

fn is_override(name: &str) -> bool {
    let b = base_name(name);
    b == "override" || b.ends_with("_override")
}

/// Reads (within the confinement) and parses one configuration file, within the parse
/// deadline.
pub fn parse_file(path: &Path, c: &Confinement) -> Result<Body, LoadError> {
    parse_file_with(path, c, true)
}

/// [`parse_file`]; `bounded` false when the caller bounds the time itself.
fn parse_file_with(path: &Path, c: &Confinement, bounded: bool) -> Result<Body, LoadError> {
    let shown = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = c
        .read(path)
        .map_err(|r| LoadError::file(path, r.describe(&shown, c)))?;
    let text = String::from_utf8(bytes).map_err(|_| LoadError::file(path, "not UTF-8 text"))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if kind_of(&name) == Some(true) {
        let file = Arc::new(SrcFile::new(path.to_path_buf(), String::new()));
        return json::parse_config(&text, &file);
    }
    if bounded {
        parse_native(path, text)
    } else {
        parse_native_now(path, text)
    }
}

/// Native syntax, parsed within [`crate::deadline::PARSE_SECONDS`].
pub fn parse_native(path: &Path, text: String) -> Result<Body, LoadError> {
    let owned = path.to_path_buf();
    crate::deadline::bounded(move || parse_native_now(&owned, text))
        .unwrap_or_else(|t| Err(LoadError::file(path, t.to_string())))
}

/// Native syntax. hcl-rs rejects an object constructor that repeats a key, which
/// Terraform accepts (the last value wins): such a key is renamed with a marker the
/// evaluator strips ([`DUP_MARK`]), and the file parsed again.
fn parse_native_now(path: &Path, text: String) -> Result<Body, LoadError> {
    let mut src = text;
    let mut renamed = 0usize;
    loop {
        match hcl::edit::parser::parse_body(&src) {
            Ok(body) => {
                let file = Arc::new(SrcFile::new(path.to_path_buf(), src));
                return Ok(Body::from_edit(body, &file));
            }
            Err(e) => {
                let loc = e.location();
                let offset = loc.offset();
                if e.message().contains("redefined object key") && renamed < MAX_REWRITES {
                    if let Some(fixed) = rename_key(&src, offset, renamed) {
                        src = fixed;
                        renamed += 1;
                        continue;
                    }
                }
                if (e.message().contains("expected `}`") || e.message().contains("expected `:`"))
                    && renamed < MAX_REWRITES
                {
                    if let Some(fixed) = join_operator_line(&src, offset) {
                        src = fixed;
                        renamed += 1;
                        continue;
                    }
                }
                let hint = if looks_like_hcl1(&src) {
                    " (this looks like pre-0.12 HCL1 syntax, which Terraform 0.12 and later do not read; upgrade it with `terraform 0.12upgrade`)"
                } else {
                    ""
                };
                return Err(LoadError {
                    path: path.to_path_buf(),
                    line_col: Some((loc.line(), loc.column())),
                    what: format!("syntax error: {}{hint}", e.message()),
                });
            }
        }
    }
}

/// hcl-rs ends an object `for` expression at a newline that Terraform reads on from: a
/// conditional whose `?` or `:` starts the next line. That line break is moved to the end
/// of the line, so the expression reads as one line and later lines keep their numbers.
fn join_operator_line(src: &str, offset: usize) -> Option<String> {
    // From the error, over white space, to the operator.
    let tail = src.get(offset..)?;
    let skipped = tail.len() - tail.trim_start().len();
    let op = offset + skipped;
    if !(src[op..].starts_with('?') || src[op..].starts_with(':')) {
        return None;
    }
    // The line break between the operand before and the operator.
    let start = src[..op].trim_end().len();
    let nl = start + src[start..op].rfind('\n')?;
    // A comment at the end of that line would swallow the operator.
    let line_start = src[..nl].rfind('\n').map_or(0, |i| i + 1);
    let line = &src[line_start..nl];
    if line.contains('#') || line.contains("//") || line.contains("/*") {
        return None;
    }
    let end = op + src[op..].find('\n').unwrap_or(src.len() - op);
    let mut out = String::with_capacity(src.len() + 1);
    out.push_str(&src[..nl]);
    out.push(' ');
    out.push_str(&src[nl + 1..end]);
    out.push('\n');
    out.push_str(&src[end..]);
    Some(out)
}

/// How many times one file is rewritten and parsed again (each repeated key, each
/// joined line costs a parse of the file): past this, the parse error stands.
const MAX_REWRITES: usize = 500;

/// Prefix of a renamed repeated object key: `__tfparity_dup<n>__<key>`.
pub const DUP_MARK: &str = "__tfparity_dup";

/// The key at `offset` (an identifier or a quoted string) renamed uniquely.
fn rename_key(src: &str, offset: usize, n: usize) -> Option<String> {
    let rest = src.get(offset..)?;
    let mark = format!("{DUP_MARK}{n}__");
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut out = String::with_capacity(src.len() + mark.len());
        out.push_str(&src[..offset + 1]);
        out.push_str(&mark);
        out.push_str(quoted);
        return Some(out);
    }
    let first = rest.chars().next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    let mut out = String::with_capacity(src.len() + mark.len());
    out.push_str(&src[..offset]);
    out.push_str(&mark);
    out.push_str(rest);
    Some(out)
}

/// The marks of Terraform 0.11 configuration: quoted type keywords and interpolation
/// wrapped around whole values.
fn looks_like_hcl1(src: &str) -> bool {
    let quoted_type = ["type = \"list\"", "type = \"map\"", "type = \"string\""]
        .iter()
        .any(|t| src.contains(t));
    // Values that are nothing but one interpolation (`count = "${length(var.x)}"`), as
    // 0.11 required; a template that starts with one (`name = "${var.env}-web"`) is
    // ordinary today.
    let wrapped = src
        .lines()
        .filter_map(|l| l.split_once('=').map(|(_, v)| v.trim()))
        .filter(|v| {
            v.strip_prefix("\"${")
                .and_then(|r| r.strip_suffix("}\""))
                .is_some_and(|inner| !inner.contains(['{', '}', '"']))
        })
        .count();
    quoted_type || wrapped >= 3
}

/// The blocks of a module directory: every primary file's top-level blocks in file
/// order, then each override file merged in. One thread, within the parse deadline,
/// reads and parses the files one after another (a thread per file cost more than the
/// parsing: each new thread touches fresh memory); it never waits on the thread pool,
/// so any thread may call this.
pub fn load_dir(dir: &Path, c: &Confinement) -> Result<Vec<Block>, LoadError> {
    let (primary, overrides) = config_files(dir)?;
    let files: Vec<PathBuf> = primary.iter().chain(overrides.iter()).cloned().collect();
    let confine = c.clone();
    let parsed: Vec<Result<Body, LoadError>> = crate::deadline::bounded_times(2, move || {
        files
            .iter()
            .map(|p| parse_file_with(p, &confine, false))
            .collect()
    })
    .map_err(|t| LoadError::file(dir, t.to_string()))?;
    let mut bodies = Vec::with_capacity(parsed.len());
    for p in parsed {
        bodies.push(p?);
    }
    let over = bodies.split_off(primary.len());
    let mut blocks: Vec<Block> = Vec::with_capacity(bodies.iter().map(|b| b.blocks.len()).sum());
    for b in bodies {
        if let Some(a) = b.attrs.first() {
            return Err(LoadError::at(
                &a.loc,
                format!("unexpected attribute `{}` outside any block", a.name),
            ));
        }
        blocks.extend(b.blocks);
    }
    for o in over {
        if let Some(a) = o.attrs.first() {
            return Err(LoadError::at(
                &a.loc,
                format!("unexpected attribute `{}` outside any block", a.name),
            ));
        }
        for ob in o.blocks {
            merge_override(&mut blocks, ob)?;
        }
    }
    Ok(blocks)
}

/// Merges one override block into the primary block with the same header.
fn merge_override(blocks: &mut [Block], ob: Block) -> Result<(), LoadError> {
    // `locals` merge per name; `terraform` blocks are settings we do not evaluate.
    if ob.kind == "locals" {
        for a in ob.body.attrs {
            let target = blocks
                .iter_mut()
                .filter(|b| b.kind == "locals")
                .find(|b| b.body.attr(&a.name).is_some());
            match target {
                Some(b) => replace_attr(&mut b.body, a),
                None => {
                    return Err(LoadError::at(
                        &a.loc,
                        format!(
                            "missing base local value definition to override: local.{}",
                            a.name
                        ),
                    ))
                }
            }
        }
        return Ok(());
    }
    if ob.kind == "terraform" {
        return Ok(());
    }
    let Some(base) = blocks
        .iter_mut()
        .find(|b| b.kind == ob.kind && b.labels == ob.labels)
    else {
        return Err(LoadError::at(
            &ob.loc,
            format!(
                "missing base {} block to override: {} {}",
                ob.kind,
                ob.kind,
                ob.labels
                    .iter()
                    .map(|l| format!("\"{l}\""))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ));
    };
    merge_body(&mut base.body, ob.body);
    Ok(())
}

/// Attributes replace attributes; a nested block type in the override replaces all
/// blocks of that type; `lifecycle` merges per argument.
fn merge_body(base: &mut Body, over: Body) {
    for a in over.attrs {
        replace_attr(base, a);
    }
    // A `dynamic "ingress"` block is an `ingress` block for merging, both ways.
    fn merged_kind(b: &Block) -> &str {
        match (b.kind.as_str(), b.labels.first()) {
            ("dynamic", Some(label)) => label,
            (kind, _) => kind,
        }
    }
    let mut kinds: Vec<String> = over
        .blocks
        .iter()
        .map(|b| merged_kind(b).to_string())
        .collect();
    kinds.sort();
    kinds.dedup();
    for k in &kinds {
        if k == "lifecycle" {
            continue;
        }
        base.blocks.retain(|b| merged_kind(b) != k);
    }
    for b in over.blocks {
        if b.kind == "lifecycle" {
            match base.blocks.iter_mut().find(|x| x.kind == "lifecycle") {
                Some(l) => merge_body(&mut l.body, b.body),
                None => base.blocks.push(b),
            }
        } else {
            base.blocks.push(b);
        }
    }
}

fn replace_attr(body: &mut Body, a: Attr) {
    match body.attrs.iter_mut().find(|x| x.name == a.name) {
        Some(x) => *x = a,
        None => body.attrs.push(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(files: &[(&str, &str)]) -> crate::TestResult<crate::testdir::Dir> {
        Ok(crate::testdir::Dir::with(files)?)
    }

    #[test]
    fn which_files_are_configuration() -> crate::TestResult {
        let d = dir_with(&[
            ("main.tf", ""),
            ("main.tofu", ""),
            ("net.tf.json", "{}"),
            ("net.tofu.json", "{}"),
            ("vars.tf", ""),
            ("main_override.tf", ""),
            ("override.tf.json", "{}"),
            (".hidden.tf", ""),
            ("backup.tf~", ""),
            ("#x.tf#", ""),
            ("terraform.tfvars", ""),
            ("test.tftest.hcl", ""),
        ])?;
        let (p, o) = config_files(d.path())?;
        let names = |v: &[PathBuf]| -> Vec<String> {
            v.iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(names(&p), ["main.tofu", "net.tofu.json", "vars.tf"]);
        assert_eq!(names(&o), ["main_override.tf", "override.tf.json"]);
        Ok(())
    }

    #[test]
    fn overrides_merge_as_terraform_merges() -> crate::TestResult {
        let d = dir_with(&[
            (
                "main.tf",
                "resource \"aws_sg\" \"web\" {\n  name = \"a\"\n  description = \"d\"\n  ingress { from_port = 80 }\n  ingress { from_port = 443 }\n  lifecycle {\n    create_before_destroy = true\n    prevent_destroy = false\n  }\n}\nlocals {\n  x = 1\n  y = 2\n}\n",
            ),
            (
                "main_override.tf",
                "resource \"aws_sg\" \"web\" {\n  name = \"b\"\n  ingress { from_port = 22 }\n  lifecycle { prevent_destroy = true }\n}\nlocals { y = 3 }\n",
            ),
        ])?;
        let blocks = load_dir(d.path(), &Confinement::only(&[d.path()]))?;
        let sg = &blocks[0];
        let names: Vec<&str> = sg.body.attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["name", "description"]);
        let ingress = sg.body.blocks_of("ingress").count();
        assert_eq!(
            ingress, 1,
            "an override's nested blocks replace all of that type"
        );
        let lc: Vec<&str> = sg
            .body
            .blocks_of("lifecycle")
            .flat_map(|b| b.body.attrs.iter().map(|a| a.name.as_str()))
            .collect();
        assert_eq!(lc, ["create_before_destroy", "prevent_destroy"]);
        assert_eq!(blocks[1].body.attrs.len(), 2);
        // An override for a block that does not exist is an error naming it.
        let d = dir_with(&[
            ("main.tf", ""),
            ("x_override.tf", "resource \"aws_vpc\" \"main\" {}\n"),
        ])?;
        let err = load_dir(d.path(), &Confinement::only(&[d.path()]))
            .err()
            .ok_or("expected an error")?;
        assert_eq!(err.line_col, Some((1, 1)));
        assert!(
            err.what.contains("missing base resource block"),
            "{}",
            err.what
        );
        Ok(())
    }

    #[test]
    fn syntax_errors_name_line_and_column_and_hcl1_is_recognised() -> crate::TestResult {
        let d = dir_with(&[("main.tf", "locals {\n  a = 1\n  b = \n}\n")])?;
        let err = load_dir(d.path(), &Confinement::only(&[d.path()]))
            .err()
            .ok_or("expected an error")?;
        assert!(err.path.ends_with("main.tf"));
        assert_eq!(err.line_col.map(|l| l.0), Some(3));
        assert!(err.what.starts_with("syntax error"), "{}", err.what);
        let hcl1 = "variable \"x\" { type = \"list\" }\nresource \"a\" \"b\" {\n  count = \"${length(var.x)}\"\n  tags { Name = \"${var.n}\" \n  x = \"${var.y}\"\n  z = [\"${var.q}\"\n}\n";
        let d = dir_with(&[("old.tf", hcl1)])?;
        let err = load_dir(d.path(), &Confinement::only(&[d.path()]))
            .err()
            .ok_or("expected an error")?;
        assert!(err.what.contains("HCL1"), "{}", err.what);
        // Without a quoted type, values that are one interpolation each are the mark.
        let wrapped = "resource \"a\" \"b\" {\n  count = \"${length(var.x)}\"\n  n = \"${var.n}\"\n  y = \"${var.y}\"\n  z = \n}\n";
        let d = dir_with(&[("old.tf", wrapped)])?;
        let err = load_dir(d.path(), &Confinement::only(&[d.path()]))
            .err()
            .ok_or("expected an error")?;
        assert!(err.what.contains("HCL1"), "{}", err.what);
        // Modern templates that start with an interpolation are not.
        let modern = "resource \"a\" \"b\" {\n  name = \"${var.env}-web\"\n  n = \"${var.env}-a\"\n  m = \"${local.p}/${var.q}\"\n  x = var.env == \"prod\" +\n}\n";
        let d = dir_with(&[("new.tf", modern)])?;
        let err = load_dir(d.path(), &Confinement::only(&[d.path()]))
            .err()
            .ok_or("expected an error")?;
        assert!(!err.what.contains("HCL1"), "{}", err.what);
        Ok(())
    }

    #[test]
    fn a_repeated_object_key_is_accepted() -> crate::TestResult {
        let d = dir_with(&[(
            "main.tf",
            "locals {\n  tags = {\n    a = 1\n    b = 2\n    a = 3\n    \"b\" = 4\n  }\n}\n",
        )])?;
        let blocks = load_dir(d.path(), &Confinement::only(&[d.path()]))?;
        assert_eq!(blocks.len(), 1);
        Ok(())
    }

    #[test]
    fn line_and_column_of_offsets() {
        let f = SrcFile::new("x.tf".into(), "ab\ncdé\nf".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(7), (2, 4));
        assert_eq!(f.line_col(8), (3, 1));
    }
}
