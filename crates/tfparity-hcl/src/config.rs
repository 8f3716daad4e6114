//! One module's declarations, read from its blocks: variables, locals, outputs,
//! resources and data sources, module calls. Checks what Terraform checks before
//! evaluating (duplicate names, the arguments a block must have); evaluates only
//! constant settings (`sensitive = true`).

use super::expr::{Expr, Kind};
use super::files::{Attr, Block, Body, LoadError, Loc};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use tfparity_addrs::Mode;

#[derive(Debug)]
pub struct VarDecl {
    pub name: String,
    pub ty: Option<Expr>,
    /// `ty` read as a type constraint, on first use.
    pub parsed_type: std::sync::OnceLock<Result<super::types::Type, LoadError>>,
    pub default: Option<Attr>,
    pub sensitive: bool,
    pub nullable: bool,
    pub loc: Loc,
}

#[derive(Debug)]
pub struct OutputDecl {
    pub value: Attr,
    pub sensitive: bool,
}

#[derive(Debug)]
pub struct ResDecl {
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    pub count: Option<Attr>,
    pub for_each: Option<Attr>,
    pub body: Body,
    pub loc: Loc,
    /// `loc` as text, made once for all module instances.
    origin: std::sync::OnceLock<Box<str>>,
}

impl ResDecl {
    /// Where the block is written, as `file:line:col`.
    pub fn origin(&self) -> &str {
        self.origin.get_or_init(|| self.loc.to_string().into())
    }
}

#[derive(Debug)]
pub struct CallDecl {
    pub name: String,
    pub source: String,
    /// The `version` constraint of a registry source, as written.
    pub version: Option<String>,
    pub count: Option<Attr>,
    pub for_each: Option<Attr>,
    /// Input variables of the child module.
    pub args: Vec<Attr>,
    pub loc: Loc,
}

/// A module's declarations.
#[derive(Debug)]
pub struct Module {
    pub dir: PathBuf,
    pub variables: BTreeMap<String, VarDecl>,
    pub locals: HashMap<String, Attr>,
    pub outputs: BTreeMap<String, OutputDecl>,
    pub resources: Vec<ResDecl>,
    /// `(mode, type, name)` → position in `resources`.
    pub res_index: HashMap<(Mode, String, String), usize>,
    pub calls: Vec<CallDecl>,
    pub call_index: HashMap<String, usize>,
}

/// Meta-arguments of resource and module blocks: not attributes of what is built.
pub const RESOURCE_META: &[&str] = &["count", "for_each", "provider", "depends_on"];
pub const CALL_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// A literal bool setting (`sensitive = true`); anything else is an error.
fn flag(body: &Body, name: &str) -> Result<Option<bool>, LoadError> {
    let Some(a) = body.attr(name) else {
        return Ok(None);
    };
    match &a.expr.kind {
        Kind::Bool(b) => Ok(Some(*b)),
        _ => Err(LoadError::at(
            &a.loc,
            format!("`{name}` must be true or false"),
        )),
    }
}

/// Takes an attribute out of a body (it is read once, as a declaration's part).
fn take(body: &mut Body, name: &str) -> Option<Attr> {
    let i = body.attrs.iter().position(|a| a.name == name)?;
    Some(body.attrs.remove(i))
}

fn literal(a: &Attr) -> Option<String> {
    match &a.expr.kind {
        Kind::String(s) => Some(s.to_string()),
        _ => None,
    }
}

fn duplicate(loc: &Loc, what: &str, first: &Loc) -> LoadError {
    LoadError::at(
        loc,
        format!("duplicate {what}; it was first declared at {first}"),
    )
}

impl Module {
    pub fn from_blocks(dir: PathBuf, blocks: Vec<Block>) -> Result<Module, LoadError> {
        let mut m = Module {
            dir,
            variables: BTreeMap::new(),
            locals: HashMap::new(),
            outputs: BTreeMap::new(),
            resources: Vec::new(),
            res_index: HashMap::new(),
            calls: Vec::new(),
            call_index: HashMap::new(),
        };
        for mut b in blocks {
            match b.kind.as_str() {
                "variable" => m.variable(b)?,
                "locals" => {
                    for a in b.body.attrs {
                        if let Some(first) = m.locals.get(&a.name) {
                            return Err(duplicate(
                                &a.loc,
                                &format!("local value \"{}\"", a.name),
                                &first.loc,
                            ));
                        }
                        m.locals.insert(a.name.clone(), a);
                    }
                }
                "output" => {
                    let [name] = b.labels.as_slice() else {
                        return Err(LoadError::at(
                            &b.loc,
                            "an output block needs one label, its name",
                        ));
                    };
                    let sensitive = flag(&b.body, "sensitive")?.unwrap_or(false);
                    let Some(value) = take(&mut b.body, "value") else {
                        return Err(LoadError::at(
                            &b.loc,
                            format!("output \"{name}\" has no `value`"),
                        ));
                    };
                    if m.outputs.contains_key(name) {
                        return Err(LoadError::at(
                            &b.loc,
                            format!("duplicate output \"{name}\""),
                        ));
                    }
                    m.outputs
                        .insert(name.clone(), OutputDecl { value, sensitive });
                }
                "resource" | "data" => m.resource(b)?,
                "module" => m.call(b)?,
                // provider, terraform, moved, import, check, removed: nothing to build.
                _ => {}
            }
        }
        Ok(m)
    }

    fn variable(&mut self, mut b: Block) -> Result<(), LoadError> {
        let [name] = b.labels.as_slice() else {
            return Err(LoadError::at(
                &b.loc,
                "a variable block needs one label, its name",
            ));
        };
        if let Some(first) = self.variables.get(name) {
            return Err(duplicate(
                &b.loc,
                &format!("variable \"{name}\""),
                &first.loc,
            ));
        }
        let decl = VarDecl {
            name: name.clone(),
            ty: take(&mut b.body, "type").map(|a| a.expr),
            parsed_type: std::sync::OnceLock::new(),
            default: take(&mut b.body, "default"),
            sensitive: flag(&b.body, "sensitive")?.unwrap_or(false),
            nullable: flag(&b.body, "nullable")?.unwrap_or(true),
            loc: b.loc.clone(),
        };
        self.variables.insert(name.clone(), decl);
        Ok(())
    }

    fn resource(&mut self, mut b: Block) -> Result<(), LoadError> {
        let mode = if b.kind == "data" {
            Mode::Data
        } else {
            Mode::Managed
        };
        let [rtype, name] = b.labels.as_slice() else {
            return Err(LoadError::at(
                &b.loc,
                format!("a {} block needs two labels, a type and a name", b.kind),
            ));
        };
        let key = (mode, rtype.clone(), name.clone());
        if let Some(&i) = self.res_index.get(&key) {
            let what = match mode {
                Mode::Data => format!("data \"{rtype}\" \"{name}\" configuration"),
                _ => format!("resource \"{rtype}\" \"{name}\" configuration"),
            };
            return Err(duplicate(&b.loc, &what, &self.resources[i].loc));
        }
        let count = take(&mut b.body, "count");
        let for_each = take(&mut b.body, "for_each");
        if let (Some(_), Some(f)) = (&count, &for_each) {
            return Err(LoadError::at(&f.loc, "invalid combination of \"count\" and \"for_each\": they cannot be used in the same block"));
        }
        self.res_index.insert(key, self.resources.len());
        self.resources.push(ResDecl {
            mode,
            rtype: rtype.clone(),
            name: name.clone(),
            count,
            for_each,
            loc: b.loc,
            body: b.body,
            origin: std::sync::OnceLock::new(),
        });
        Ok(())
    }

    fn call(&mut self, mut b: Block) -> Result<(), LoadError> {
        let [name] = b.labels.as_slice() else {
            return Err(LoadError::at(
                &b.loc,
                "a module block needs one label, its name",
            ));
        };
        if let Some(&i) = self.call_index.get(name) {
            return Err(duplicate(
                &b.loc,
                &format!("module call \"{name}\""),
                &self.calls[i].loc,
            ));
        }
        let Some(source) = b.body.attr("source") else {
            return Err(LoadError::at(
                &b.loc,
                format!("module \"{name}\" has no `source`"),
            ));
        };
        let Some(source_text) = literal(source) else {
            return Err(LoadError::at(
                &source.loc,
                "a module source must be a literal string",
            ));
        };
        let version = match b.body.attr("version") {
            None => None,
            Some(v) => Some(literal(v).ok_or_else(|| {
                LoadError::at(&v.loc, "a module version must be a literal string")
            })?),
        };
        let count = take(&mut b.body, "count");
        let for_each = take(&mut b.body, "for_each");
        if let (Some(_), Some(f)) = (&count, &for_each) {
            return Err(LoadError::at(&f.loc, "invalid combination of \"count\" and \"for_each\": they cannot be used in the same block"));
        }
        let args = std::mem::take(&mut b.body.attrs)
            .into_iter()
            .filter(|a| !CALL_META.contains(&a.name.as_str()))
            .collect();
        self.call_index.insert(name.clone(), self.calls.len());
        self.calls.push(CallDecl {
            name: name.clone(),
            source: source_text,
            version,
            count,
            for_each,
            args,
            loc: b.loc,
        });
        Ok(())
    }
}

/// Whether a module source is a local path (resolved against the calling module).
pub fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}
