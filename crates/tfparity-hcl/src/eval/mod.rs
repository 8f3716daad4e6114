//! Evaluates one expression of HCL native syntax to a [`V`], as Terraform does:
//! templates and heredocs, `for` expressions, splats, conditionals, operators and
//! function calls, with values known only after apply carried through rather than
//! failing. References (`var.x`, `aws_vpc.main.id`, `module.net.id`) are resolved by a
//! [`Scope`]; names bound by `for`, `count`, `each` and `dynamic` live in a [`Frame`].
//! Every expression evaluated is a step, and every value it makes is held to the limits
//! ([`crate::limits`], [`check_value`]). Evaluates; never reads files of its own accord.

use super::expr::{BinaryOperator, Expr, ForExpr, Key, Kind, Op, UnaryOperator};
use super::files::Loc;
use super::limits::{self, Limit};
use super::value::{num_text, V};
use std::collections::BTreeMap;
use std::fmt;

mod call;
mod logic;
mod template;
pub use template::{flush_directive_lines, OnlyVars};

/// An evaluation error: where, and what.
#[derive(Debug, Clone)]
pub struct EvalError {
    /// Set when the error arose elsewhere (a variable's declaration, another module)
    /// and already knows its file and line.
    pub origin: Option<(std::path::PathBuf, Option<(usize, usize)>)>,
    pub loc: Loc,
    pub what: String,
}

impl EvalError {
    /// An error at `loc`.
    pub fn at(loc: &Loc, what: impl Into<String>) -> EvalError {
        EvalError {
            origin: None,
            loc: loc.clone(),
            what: what.into(),
        }
    }

    /// The error with the values it quotes redacted (see [`crate::scrub`]).
    pub fn redacted(self) -> EvalError {
        EvalError {
            what: crate::scrub::redact_values(&self.what),
            ..self
        }
    }

    /// The error as it may be said of a value bound for `name` (an argument, a
    /// local, a variable, an output) and computed by `expr`: the values it quotes are
    /// redacted when the name says secret, or the expression reads or writes a
    /// secret-named place (`tonumber(var.db_password)`).
    pub fn bound_for(self, name: &str, expr: &Expr) -> EvalError {
        if crate::secret::is_secret_place(name, expr) {
            self.redacted()
        } else {
            self
        }
    }

    /// The message as shown, values included (see [`crate::scrub::reveal`]).
    pub fn message(&self) -> String {
        crate::scrub::reveal(&self.what)
    }

    /// The file and line:col the error is about.
    pub fn place(&self) -> (std::path::PathBuf, Option<(usize, usize)>) {
        match &self.origin {
            Some(o) => o.clone(),
            None => (self.loc.file.path.clone(), self.loc.line_col()),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, lc) = self.place();
        match lc {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", path.display(), self.message()),
            None => write!(f, "{}: {}", path.display(), self.message()),
        }
    }
}

impl std::error::Error for EvalError {}

/// A load error met inside an expression (a variable's declaration, another module)
/// keeps its own place.
impl From<super::files::LoadError> for EvalError {
    fn from(e: super::files::LoadError) -> Self {
        EvalError {
            origin: Some((e.path.clone(), e.line_col)),
            loc: Loc {
                file: std::sync::Arc::new(super::files::SrcFile::new(e.path, String::new())),
                offset: None,
            },
            what: e.what,
        }
    }
}

impl From<EvalError> for super::files::LoadError {
    fn from(e: EvalError) -> Self {
        let (path, line_col) = e.place();
        super::files::LoadError {
            path,
            line_col,
            what: e.what,
        }
    }
}

pub type EResult<T> = Result<T, EvalError>;

/// Names bound around an expression: `for` variables, `count`, `each`, `dynamic`
/// iterators. Inner bindings shadow outer ones.
#[derive(Debug, Default)]
pub struct Frame<'p> {
    bindings: Vec<(String, V)>,
    parent: Option<&'p Frame<'p>>,
}

impl<'p> Frame<'p> {
    pub fn new() -> Frame<'static> {
        Frame::default()
    }

    pub fn with(parent: &'p Frame<'p>, bindings: Vec<(String, V)>) -> Frame<'p> {
        Frame {
            bindings,
            parent: Some(parent),
        }
    }

    pub fn get(&self, name: &str) -> Option<&V> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .or_else(|| self.parent.and_then(|p| p.get(name)))
    }
}

/// Resolves references for the evaluator.
pub trait Scope {
    /// The value of reference root `root` followed by as many of `ops` as the scope
    /// consumes (`module.net.vpc_id` consumes `.net` and `.vpc_id`); `Ok(None)` when
    /// `root` names nothing the scope knows.
    fn reference(
        &self,
        root: &str,
        ops: &[Op],
        frame: &Frame<'_>,
        at: &Loc,
    ) -> EResult<Option<(V, usize)>>;

    /// The directory of the module, for file functions.
    fn module_dir(&self) -> &std::path::Path;

    /// Reads and evaluates a template file (`templatefile`); the scope knows where files are.
    fn template_file(&self, path: &str, vars: V, at: &Loc) -> EResult<V>;

    /// What files may be read here.
    fn confinement(&self) -> &crate::confine::Confinement;

    /// Whether functions may be called here (not in a `.tfvars` file).
    fn functions_allowed(&self) -> bool {
        true
    }

    /// Whether `root` followed by `ops` names a resource of this module (`aws_x.y`,
    /// `data.aws_x.y`, `resource.aws_x.y`): what is read inside it is the provider's too.
    fn is_resource(&self, _root: &str, _ops: &[Op]) -> bool {
        false
    }
}

/// A key written into a resource instance's object, holding its address: the
/// attributes its configuration does not set are unknown (known after apply) rather
/// than errors, and its identifiers ([`IDENTITY`]) are references to it.
pub const RESOURCE_MARK: &str = "\u{0}resource";

/// Attributes that, when a configuration does not set them, are the resource's own
/// identifiers: known after apply, and a reference to the resource.
pub const IDENTITY: &[&str] = &["id", "arn", "self_link", "name", "dns_name", "fqdn"];

/// Identifiers of particular types, beyond [`IDENTITY`]: `(type, attribute)`.
const TYPE_IDENTITY: &[(&str, &str)] = &[
    ("aws_route53_zone", "zone_id"),
    ("aws_service_discovery_private_dns_namespace", "hosted_zone"),
    ("aws_service_discovery_public_dns_namespace", "hosted_zone"),
];

/// Each object of a list (a resource's nested blocks) marked as the provider's: an
/// attribute it does not write reads as unknown. For a `for` loop's elements only; see
/// [`unmark_blocks`].
fn mark_blocks(v: V) -> V {
    match v {
        V::List(l) => V::List(
            l.into_iter()
                .map(|x| match x {
                    V::Map(m) if !m.contains_key(RESOURCE_MARK) => {
                        let mut m = m.into_map();
                        m.insert(RESOURCE_MARK.into(), V::Null);
                        V::map(m)
                    }
                    other => other,
                })
                .collect(),
        ),
        other => other,
    }
}

/// `v` without the marks [`mark_blocks`] put in, at any depth (a resource's own mark,
/// which holds its address, stays).
fn unmark_blocks(v: V) -> V {
    match v {
        V::Map(m) => V::Map(
            m.into_iter()
                .filter(|(k, x)| !(k == RESOURCE_MARK && matches!(x, V::Null)))
                .map(|(k, x)| (k, unmark_blocks(x)))
                .collect(),
        ),
        V::List(l) => V::List(l.into_iter().map(unmark_blocks).collect()),
        V::Set(l) => V::Set(l.into_iter().map(unmark_blocks).collect()),
        V::Sensitive(x) => V::Sensitive(Box::new(unmark_blocks(*x))),
        other => other,
    }
}

/// Where a traversal is: inside a resource's object, and in an element of a list there
/// (a nested block).
#[derive(Debug, Clone, Copy, Default)]
pub struct Within {
    pub resource: bool,
    pub block: bool,
}

/// `v` without its sensitive marks, shallowly.
fn plain(v: &V) -> &V {
    match v {
        V::Sensitive(inner) => plain(inner),
        v => v,
    }
}

/// Whether `v` is a resource's whole object (it carries [`RESOURCE_MARK`]).
pub(crate) fn is_resource_object(v: &V) -> bool {
    matches!(plain(v), V::Map(m) if m.contains_key(RESOURCE_MARK))
}

/// An attribute a resource's configuration does not set: unknown, a reference to the
/// resource when it is one of its identifiers, and known to be that attribute otherwise.
pub fn unset_attribute(mark: &V, name: &str) -> V {
    let V::Str(address) = mark else {
        return V::unknown();
    };
    let typed = || {
        tfparity_addrs::Address::parse(address)
            .is_ok_and(|a| TYPE_IDENTITY.contains(&(a.rtype.as_str(), name)))
    };
    if IDENTITY.contains(&name) || typed() {
        V::id_of(address)
    } else {
        V::Unknown(Some(Box::new(crate::value::Origin::Attr(
            address.as_str().into(),
            name.into(),
        ))))
    }
}

/// Stack left below which evaluating an expression continues on a new segment, and that
/// segment's size.
const EVAL_RED_ZONE: usize = 64 * 1024;
const EVAL_STACK_SEGMENT: usize = 1024 * 1024;

/// Why `v` goes past the limits on one value in force, if it does: its depth, its size,
/// its length as a string or collection. Each is known without looking inside it.
#[inline]
pub fn check_value(v: &V) -> Result<(), String> {
    // Most values are numbers, bools, short strings: nothing to look up.
    match v {
        V::Null | V::Bool(_) | V::Num(_) | V::Unknown(_) => Ok(()),
        V::Str(s) if s.len() <= 4096 => Ok(()),
        _ => check_larger_value(v),
    }
}

/// [`check_value`] of a collection, a long string or a marked value.
#[inline(never)]
fn check_larger_value(v: &V) -> Result<(), String> {
    let limits = limits::current();
    let depth = u64::from(v.depth());
    if depth > limits.depth {
        return Err(limits::exceeded(
            Limit::Depth,
            format!("this value is nested {depth} levels deep"),
        ));
    }
    let size = v.size();
    if size > limits.value_size {
        return Err(limits::exceeded(
            Limit::ValueSize,
            format!("this value has a size of {size}"),
        ));
    }
    let (len, limit, what) = match v.peel().0 {
        V::Str(s) => (s.len(), Limit::StringLength, "this string has"),
        V::List(l) | V::Set(l) => (l.len(), Limit::CollectionLength, "this collection has"),
        V::Map(m) => (m.len(), Limit::CollectionLength, "this collection has"),
        _ => (0, Limit::StringLength, ""),
    };
    let len = len as u64;
    if len > limits.get(limit) {
        let unit = if limit == Limit::StringLength {
            "bytes"
        } else {
            "elements"
        };
        return Err(limits::exceeded(limit, format!("{what} {len} {unit}")));
    }
    Ok(())
}

/// The steps evaluating an expression whose value is `v` takes, beyond its own: a
/// string is copied or made, at one step per 64 bytes (a collection is shared).
fn copy_steps(v: &V) -> u64 {
    match v {
        V::Str(s) => s.len() as u64 / 64,
        _ => 0,
    }
}

/// The evaluator for expressions written at `loc`.
pub struct Eval<'s> {
    pub scope: &'s dyn Scope,
    pub loc: Loc,
}

impl Eval<'_> {
    /// An error at `span` of the expression being evaluated.
    pub fn err(&self, span: Option<std::ops::Range<usize>>, what: impl Into<String>) -> EvalError {
        EvalError::at(&self.loc.at(span), what)
    }

    /// The value of `e`, within the limits (see [`crate::limits`]): a value nested
    /// deeper than the `depth` limit is refused where it is made, so that every value
    /// can be walked, compared and dropped recursively.
    pub fn eval(&self, e: &Expr, f: &Frame<'_>) -> EResult<V> {
        self.steps(1, e.span())?;
        // The expression tree is as deep as the parser allows (and a JSON configuration
        // file's nesting): evaluation recurses along it on a stack that grows as needed
        // (a name or a literal recurses no further).
        let v = match &e.kind {
            Kind::Null | Kind::Bool(_) | Kind::Number(_) | Kind::String(_) | Kind::Variable(_) => {
                self.eval_unchecked(e, f)
            }
            _ => stacker::maybe_grow(EVAL_RED_ZONE, EVAL_STACK_SEGMENT, || {
                self.eval_unchecked(e, f)
            }),
        }?;
        self.within_limits(&v, e.span())?;
        self.steps(copy_steps(&v), e.span())?;
        Ok(v)
    }

    /// Counts `n` steps of evaluation, at `span`.
    pub fn steps(&self, n: u64, span: Option<std::ops::Range<usize>>) -> EResult<()> {
        if n == 0 {
            return Ok(());
        }
        limits::steps(n).map_err(|what| self.err(span, what))
    }

    /// An error when `v`, made at `span`, goes past a limit on values.
    pub fn within_limits(&self, v: &V, span: Option<std::ops::Range<usize>>) -> EResult<()> {
        check_value(v).map_err(|what| self.err(span, what))
    }

    fn eval_unchecked(&self, e: &Expr, f: &Frame<'_>) -> EResult<V> {
        match &e.kind {
            Kind::Null => Ok(V::Null),
            Kind::Bool(b) => Ok(V::Bool(*b)),
            Kind::Number(n) => Ok(V::Num(*n)),
            Kind::String(s) => Ok(V::Str(s.to_string())),
            Kind::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                let mut size = limits::Growing::new();
                for x in a.iter() {
                    let v = self.eval(x, f)?;
                    size.add(v.size()).map_err(|w| self.err(x.span(), w))?;
                    out.push(v);
                }
                Ok(V::list(out))
            }
            Kind::Object(o) => {
                let mut out = BTreeMap::new();
                let mut size = limits::Growing::new();
                // A key computed from a sensitive value makes the whole object sensitive.
                let mut key_marked = false;
                for (k, v) in o.iter() {
                    let key = match k {
                        Key::Name(n) => n.to_string(),
                        // A bare `null` names the key "null", as `true` names "true".
                        Key::Expr(x) if matches!(x.kind, Kind::Null) => "null".to_string(),
                        Key::Expr(x) => {
                            let kv = self.eval(x, f)?;
                            let (kv, m) = kv.unmark();
                            key_marked |= m;
                            if kv.is_unknown() {
                                return Ok(V::unknown());
                            }
                            kv.to_str().ok_or_else(|| {
                                self.err(x.span(), "Incorrect key type: a string is required")
                            })?
                        }
                    };
                    let value = self.eval(v, f)?;
                    size.add(value.size() + key.len() as u64 / 64)
                        .map_err(|w| self.err(v.span(), w))?;
                    out.insert(key, value);
                }
                Ok(V::map(out).mark(key_marked))
            }
            Kind::Template(t) => self.template(t, f, e.span()),
            Kind::Parenthesis(p) => self.eval(p, f),
            Kind::Variable(v) => self.traversal(v, &[], f, e.span()),
            Kind::Conditional(c) => {
                let cond = self.eval(&c.cond, f)?;
                let (cond, marked) = cond.unmark();
                if cond.is_unknown() {
                    return Ok(V::unknown());
                }
                let b = cond.to_bool().ok_or_else(|| {
                    self.err(
                        c.cond.span(),
                        format!(
                            "Incorrect condition type: the condition must be a bool, not {}",
                            cond.type_name()
                        ),
                    )
                })?;
                let (chosen, other) = if b { (&c.yes, &c.no) } else { (&c.no, &c.yes) };
                let v = self.eval(chosen, f)?;
                // Terraform gives both branches one type: `cond ? toset(x) : []` is a set
                // either way. Only the form of the other branch is looked at (a `toset`
                // call), so that nothing is evaluated that Terraform would not.
                let v = match v {
                    V::List(items)
                        if matches!(other.call_name(), Some("toset" | "core::toset")) =>
                    {
                        V::set(items.into_vec())
                    }
                    // `cond ? var.names : []` with `names` a set: a set either way. The
                    // other branch is evaluated only for its type; its errors are ignored.
                    V::List(items) if items.is_empty() => match self.eval(other, f) {
                        Ok(o) if matches!(o.peel().0, V::Set(_)) => V::Set(Default::default()),
                        _ => V::List(items),
                    },
                    v => v,
                };
                Ok(v.mark(marked))
            }
            Kind::FuncCall(call) => self.call(call, f, e.span()),
            Kind::Traversal(t) => match &t.expr.kind {
                Kind::Variable(v) => self.traversal(v, &t.ops, f, e.span()),
                _ => {
                    let base = self.eval(&t.expr, f)?;
                    self.apply(base, &t.ops, f, e.span())
                }
            },
            Kind::UnaryOp(op, x) => {
                let (v, marked) = self.eval(x, f)?.unmark();
                if v.is_unknown() {
                    return Ok(V::unknown());
                }
                let out = match op {
                    UnaryOperator::Neg => V::Num(-v.to_num().ok_or_else(|| {
                        self.err(
                            e.span(),
                            format!(
                                "Invalid operand: a number is required, not {}",
                                v.type_name()
                            ),
                        )
                    })?),
                    UnaryOperator::Not => V::Bool(!v.to_bool().ok_or_else(|| {
                        self.err(
                            e.span(),
                            format!("Invalid operand: a bool is required, not {}", v.type_name()),
                        )
                    })?),
                };
                Ok(out.mark(marked))
            }
            Kind::BinaryOp(op @ (BinaryOperator::And | BinaryOperator::Or), sides) => {
                let l = self.eval(&sides.0, f);
                let r = self.eval(&sides.1, f);
                self.logical(*op, l, r, e.span())
            }
            Kind::BinaryOp(op, sides) => {
                let l = self.eval(&sides.0, f)?;
                let r = self.eval(&sides.1, f)?;
                self.binary(*op, l, r, e.span())
            }
            Kind::ForExpr(fe) => self.for_expr(fe, f, e.span()),
        }
    }

    /// A root name followed by operators: a frame binding, a scope reference, or an error.
    fn traversal(
        &self,
        root: &str,
        ops: &[Op],
        f: &Frame<'_>,
        span: Option<std::ops::Range<usize>>,
    ) -> EResult<V> {
        if let Some(v) = f.get(root) {
            let v = v.clone();
            let marked = watch::watching() && v.has_sensitive();
            return watch::note(marked, self.apply(v, ops, f, span));
        }
        let at = self.loc.at(span.clone());
        match self.scope.reference(root, ops, f, &at)? {
            Some((v, used)) => {
                let marked = watch::watching() && v.has_sensitive();
                watch::note(marked, self.apply(v, &ops[used..], f, span))
            }
            None => Err(self.err(
                span,
                format!("Unknown variable: there is no variable named \"{root}\""),
            )),
        }
    }

    /// Applies traversal operators to a value.
    pub fn apply(
        &self,
        v: V,
        ops: &[Op],
        f: &Frame<'_>,
        span: Option<std::ops::Range<usize>>,
    ) -> EResult<V> {
        self.apply_in(v, ops, f, span, Within::default())
    }

    /// Applies traversal operators to a value that is inside a resource's object
    /// (`within.resource`), or an element of a list there (`within.block`): an
    /// attribute a nested block of it does not write is the provider's to compute,
    /// unknown rather than an error, as the provider's schema would have it. A map's
    /// missing key and an index past the blocks written stay errors (`try` and `can`
    /// see them).
    pub fn apply_in(
        &self,
        mut v: V,
        ops: &[Op],
        f: &Frame<'_>,
        span: Option<std::ops::Range<usize>>,
        mut within: Within,
    ) -> EResult<V> {
        let mut i = 0;
        while i < ops.len() {
            // A resource's whole object (handed out by a module output, a local).
            if is_resource_object(&v) {
                within = Within {
                    resource: true,
                    block: false,
                };
            }
            match &ops[i] {
                Op::GetAttr(name) => {
                    let computed = within.resource
                        && within.block
                        && matches!(plain(&v), V::Map(m) if !m.contains_key(&**name));
                    if computed {
                        return Ok(V::unknown());
                    }
                    v = self.get_attr(v, name, span.clone())?;
                    within.block = false;
                }
                Op::Index(x) => {
                    let key = self.eval(x, f)?;
                    within.block = matches!(plain(&v), V::List(_));
                    v = self.index(v, key, span.clone())?;
                }
                Op::LegacyIndex(n) => {
                    within.block = matches!(plain(&v), V::List(_));
                    v = self.index(v, V::Num(*n as f64), span.clone())?;
                }
                Op::FullSplat | Op::AttrSplat => {
                    let full = matches!(ops[i], Op::FullSplat);
                    // The operators the splat applies to each element.
                    let rest = &ops[i + 1..];
                    let take = if full {
                        rest.len()
                    } else {
                        rest.iter()
                            .take_while(|o| matches!(o, Op::GetAttr(_) | Op::LegacyIndex(_)))
                            .count()
                    };
                    let (base, marked) = v.unmark();
                    let (items, listed) = match base {
                        V::Unknown(_) => {
                            return Ok(V::unknown());
                        }
                        V::Null => (Vec::new(), true),
                        V::List(l) | V::Set(l) => (l.into_vec(), true),
                        other => (vec![other], false),
                    };
                    // Each element of a list of blocks is a block.
                    let each = Within {
                        resource: within.resource,
                        block: listed,
                    };
                    // One step per element: a splat with nothing after it is no
                    // expression per element, but it is work per element.
                    self.steps(items.len() as u64, span.clone())?;
                    let mut out = Vec::with_capacity(items.len());
                    let mut size = limits::Growing::new();
                    for item in items {
                        let x = self.apply_in(item, &rest[..take], f, span.clone(), each)?;
                        size.add(x.size()).map_err(|w| self.err(span.clone(), w))?;
                        out.push(x);
                    }
                    v = V::list(out).mark(marked);
                    within.block = false;
                    i += 1 + take;
                    continue;
                }
            }
            i += 1;
        }
        Ok(v)
    }

    fn get_attr(&self, v: V, name: &str, span: Option<std::ops::Range<usize>>) -> EResult<V> {
        match v {
            V::Sensitive(inner) => Ok(self.get_attr(*inner, name, span)?.mark(true)),
            V::Unknown(_) => Ok(V::unknown()),
            // The attribute alone is copied (cheaply: it shares its elements).
            V::Map(m) => match m.get(name) {
                Some(x) => Ok(x.clone()),
                None => match m.get(RESOURCE_MARK) {
                    Some(mark) => Ok(unset_attribute(mark, name)),
                    None => Err(self.err(
                        span,
                        format!("Unsupported attribute: this object does not have an attribute named \"{name}\""),
                    )),
                },
            },
            V::Null => Err(self.err(
                span,
                format!("Attempt to get attribute \"{name}\" from a null value"),
            )),
            other => Err(self.err(
                span,
                format!(
                    "Unsupported attribute: can't access attribute \"{name}\" on a value of type {}",
                    other.type_name()
                ),
            )),
        }
    }

    fn index(&self, v: V, key: V, span: Option<std::ops::Range<usize>>) -> EResult<V> {
        let (key, kmarked) = key.unmark();
        if key.is_unknown() {
            return Ok(V::unknown());
        }
        let out = match v {
            V::Sensitive(inner) => return Ok(self.index(*inner, key, span)?.mark(true)),
            V::Unknown(_) => V::unknown(),
            V::List(l) => {
                let n = key.to_num().filter(|n| n.fract() == 0.0).ok_or_else(|| {
                    self.err(span.clone(), "Invalid index: a whole number is required to index a list")
                })?;
                if n < 0.0 || n as usize >= l.len() {
                    return Err(self.err(
                        span,
                        format!(
                            "Invalid index: the given index is greater than or equal to the length of the collection ({})",
                            l.len()
                        ),
                    ));
                }
                l.get(n as usize).cloned().unwrap_or_default()
            }
            V::Map(m) => {
                let k = key.to_str().ok_or_else(|| {
                    self.err(span.clone(), "Invalid index: a string key is required to index a map")
                })?;
                match m.get(&k) {
                    Some(x) => x.clone(),
                    // A resource's object indexed by an attribute name it does not set
                    // (`each.value["body"]`): the provider's to compute, as `.body` is.
                    None if m.contains_key(RESOURCE_MARK) => match m.get(RESOURCE_MARK) {
                        Some(mark) => unset_attribute(mark, &k),
                        None => V::unknown(),
                    },
                    None => {
                        return Err(self.err(
                            span,
                            "Invalid index: the given key does not identify an element in this collection value",
                        ))
                    }
                }
            }
            V::Set(_) => {
                return Err(self.err(
                    span,
                    "Invalid index: elements of a set are identified only by their value and don't have any separate index or key to select with",
                ))
            }
            V::Null => return Err(self.err(span, "Invalid index: cannot index a null value")),
            other => {
                return Err(self.err(
                    span,
                    format!("Invalid index: a value of type {} cannot be indexed", other.type_name()),
                ))
            }
        };
        Ok(out.mark(kmarked))
    }

    fn binary(
        &self,
        op: BinaryOperator,
        l: V,
        r: V,
        span: Option<std::ops::Range<usize>>,
    ) -> EResult<V> {
        let (l, lm) = l.unmark();
        let (r, rm) = r.unmark();
        let marked = lm || rm;
        use BinaryOperator as B;
        if matches!(op, B::Eq | B::NotEq) {
            // Compared with null, a value known to be there is not null, whatever
            // parts of it are known only after apply.
            let against_null =
                (l == V::Null && !r.is_unknown()) || (r == V::Null && !l.is_unknown());
            if !against_null && (l.has_unknown() || r.has_unknown()) {
                return Ok(V::unknown());
            }
            // Comparing walks both values, as far as the smaller goes.
            self.steps(l.size().min(r.size()), span.clone())?;
            let eq = equal(&l, &r);
            return Ok(V::Bool(if op == B::Eq { eq } else { !eq }).mark(marked));
        }
        if l.is_unknown() || r.is_unknown() {
            return Ok(V::unknown());
        }
        let num = |v: &V, side: &str| {
            if *v == V::Null {
                return Err(self.err(
                    span.clone(),
                    "Operation failed: error during operation: argument must not be null",
                ));
            }
            v.to_num().ok_or_else(|| {
                self.err(
                    span.clone(),
                    format!(
                        "Invalid operand: unsuitable value for {side} operand: a number is required, not {}",
                        v.type_name()
                    ),
                )
            })
        };
        let out = match op {
            B::And | B::Or => return self.logical(op, Ok(l.mark(lm)), Ok(r.mark(rm)), span),
            B::Plus => V::Num(num(&l, "left")? + num(&r, "right")?),
            B::Minus => V::Num(num(&l, "left")? - num(&r, "right")?),
            B::Mul => V::Num(num(&l, "left")? * num(&r, "right")?),
            B::Div => {
                let (a, b) = (num(&l, "left")?, num(&r, "right")?);
                if a == 0.0 && b == 0.0 {
                    return Err(self.err(span, "Operation failed: can't divide zero by zero"));
                }
                V::Num(a / b)
            }
            B::Mod => {
                let (a, b) = (num(&l, "left")?, num(&r, "right")?);
                if b == 0.0 {
                    return Err(self.err(span, "Operation failed: can't use modulo by zero"));
                }
                V::Num(a % b)
            }
            B::Less => V::Bool(num(&l, "left")? < num(&r, "right")?),
            B::LessEq => V::Bool(num(&l, "left")? <= num(&r, "right")?),
            B::Greater => V::Bool(num(&l, "left")? > num(&r, "right")?),
            B::GreaterEq => V::Bool(num(&l, "left")? >= num(&r, "right")?),
            B::Eq | B::NotEq => V::Null,
        };
        Ok(out.mark(marked))
    }

    fn for_expr(
        &self,
        fe: &ForExpr,
        f: &Frame<'_>,
        span: Option<std::ops::Range<usize>>,
    ) -> EResult<V> {
        // A sensitive collection's elements stay sensitive inside the loop.
        let (coll, marked) = self.eval(&fe.collection, f)?.shallow_unmark();
        // Over a resource's nested blocks (`for b in r.block`), each block is the
        // provider's: an attribute it does not write is unknown when the body reads it.
        // The mark saying so lives only inside the loop: results are rid of it.
        let blocks = match &fe.collection.kind {
            Kind::Traversal(t) => match &t.expr.kind {
                Kind::Variable(root) => self.scope.is_resource(root, &t.ops),
                _ => false,
            },
            _ => false,
        };
        let coll = if blocks { mark_blocks(coll) } else { coll };
        // As many elements as the collection has, checked before any is made.
        let n = match &coll {
            V::List(l) | V::Set(l) => l.len(),
            V::Map(m) => m.len(),
            _ => 0,
        };
        limits::collection("this for expression", n as u64)
            .map_err(|w| self.err(span.clone(), w))?;
        let pairs: Vec<(V, V)> = match coll {
            V::Unknown(_) => return Ok(V::unknown()),
            V::List(l) => l
                .into_iter()
                .enumerate()
                .map(|(i, v)| (V::Num(i as f64), v.mark(marked)))
                .collect(),
            V::Set(l) => l
                .into_iter()
                .map(|v| (v.clone().mark(marked), v.mark(marked)))
                .collect(),
            V::Map(m) => m
                .into_iter()
                .filter(|(k, _)| k != RESOURCE_MARK)
                .map(|(k, v)| (V::Str(k).mark(marked), v.mark(marked)))
                .collect(),
            V::Null => {
                return Err(self.err(span, "Iteration over null value: a null value cannot be used as the collection in a 'for' expression"))
            }
            other => {
                return Err(self.err(
                    span,
                    format!("Iteration over non-iterable value: a value of type {} cannot be used as the collection in a 'for' expression", other.type_name()),
                ))
            }
        };
        let key_var = fe.key_var.as_ref().map(|k| k.to_string());
        let value_var = fe.value_var.to_string();
        let mut list = Vec::new();
        let mut map: BTreeMap<String, V> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<V>> = BTreeMap::new();
        let mut cond_marked = false;
        // A key computed from a sensitive value: keys carry no mark of their own, so the
        // whole result is marked (as Terraform marks it).
        let mut keys_marked = false;
        let mut size = limits::Growing::new();
        for (k, v) in pairs {
            let mut b = vec![(value_var.clone(), v)];
            if let Some(kv) = &key_var {
                b.push((kv.clone(), k));
            }
            let inner = Frame::with(f, b);
            if let Some(c) = &fe.cond {
                let (cv, cm) = self.eval(c, &inner)?.unmark();
                if cv.is_unknown() {
                    return Ok(V::unknown());
                }
                let keep = cv.to_bool().ok_or_else(|| {
                    self.err(
                        c.span(),
                        "Invalid 'for' condition: the condition must be a bool",
                    )
                })?;
                // A sensitive condition makes what it selected sensitive.
                cond_marked |= cm;
                if !keep {
                    continue;
                }
            }
            let value = self.eval(&fe.value_expr, &inner)?;
            let value = if blocks { unmark_blocks(value) } else { value };
            size.add(value.size())
                .map_err(|w| self.err(fe.value_expr.span(), w))?;
            match &fe.key_expr {
                None => list.push(value),
                Some(kx) => {
                    let (key, key_marked) = self.eval(kx, &inner)?.unmark();
                    keys_marked |= key_marked;
                    if key.is_unknown() {
                        return Ok(V::unknown());
                    }
                    let key = key.to_str().ok_or_else(|| {
                        self.err(
                            kx.span(),
                            "Invalid object key: the key expression must produce a string",
                        )
                    })?;
                    if fe.grouping {
                        groups.entry(key).or_default().push(value);
                    } else {
                        match map.entry(key) {
                            std::collections::btree_map::Entry::Occupied(o) => {
                                return Err(self.err(
                                    kx.span(),
                                    format!(
                                        "Duplicate object key: two different items produced the key {} in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.",
                                        if key_marked { crate::scrub::REDACTED.to_string() } else { crate::scrub::quote(o.key()) }
                                    ),
                                ));
                            }
                            std::collections::btree_map::Entry::Vacant(v) => {
                                v.insert(value);
                            }
                        }
                    }
                }
            }
        }
        let out = match (&fe.key_expr, fe.grouping) {
            (None, _) => V::list(list),
            (Some(_), true) => V::Map(groups.into_iter().map(|(k, v)| (k, V::list(v))).collect()),
            (Some(_), false) => V::map(map),
        };
        Ok(out.mark(marked || cond_marked || keys_marked))
    }
}

/// `==` as Terraform compares: no conversion between kinds; numbers by value; lists and
/// tuples by element; maps and objects by key.
pub fn equal(a: &V, b: &V) -> bool {
    if a.shares(b) {
        return true;
    }
    match (a, b) {
        (V::Num(x), V::Num(y)) => x == y,
        (V::List(x), V::List(y)) | (V::Set(x), V::Set(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (V::Map(x), V::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && equal(v1, v2))
        }
        _ => a == b,
    }
}

/// A number as text for keys and messages.
pub fn key_text(v: &V) -> Option<String> {
    match v {
        V::Num(n) => Some(num_text(*n)),
        other => other.to_str(),
    }
}

/// A scope with no references, for tests of expressions alone.
#[cfg(test)]
pub mod tests_support {
    use super::*;
    use crate::files::SrcFile;
    use std::sync::Arc;

    /// A scope with no references (and no template files): a template's scope with no
    /// one outside it. Files are read in the working directory (the crate's, in tests).
    pub struct NoScope(OnlyVars<'static>);

    impl Default for NoScope {
        fn default() -> NoScope {
            static HERE: std::sync::OnceLock<crate::confine::Confinement> =
                std::sync::OnceLock::new();
            NoScope(OnlyVars {
                dir: std::path::Path::new("."),
                outer: None,
                confine: HERE.get_or_init(|| {
                    crate::confine::Confinement::only(&[std::path::Path::new(".")])
                }),
            })
        }
    }

    impl NoScope {
        pub fn eval_at(&self, file: &str) -> Eval<'_> {
            Eval {
                scope: &self.0,
                loc: Loc {
                    file: Arc::new(SrcFile::new(file.into(), String::new())),
                    offset: None,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests;

/// Whether a sensitive value was read while `can` or `try` evaluated an argument: then
/// what they say (succeeded or not, which argument) depends on it and is sensitive too,
/// or `can(regex("^a", var.password))` would tell a secret one bit at a time.
pub(crate) mod watch {
    use std::cell::Cell;

    thread_local! {
        /// How many `can` / `try` are being evaluated, and whether a sensitive value was
        /// read in the innermost.
        static STATE: Cell<(u32, bool)> = const { Cell::new((0, false)) };
    }

    /// Whether any `can` or `try` is being evaluated (else nothing is noted).
    pub fn watching() -> bool {
        STATE.with(|s| s.get().0 > 0)
    }

    /// Notes a reference's result: read from a sensitive value (`root_marked`, which an
    /// error may depend on) or sensitive itself.
    pub fn note<E>(root_marked: bool, r: Result<super::V, E>) -> Result<super::V, E> {
        if watching() {
            let marked = match &r {
                Ok(v) => root_marked || v.has_sensitive(),
                Err(_) => root_marked,
            };
            if marked {
                STATE.with(|s| s.set((s.get().0, true)));
            }
        }
        r
    }

    /// Evaluates `f` watching; its result and whether a sensitive value was read. What
    /// was read counts for the enclosing `can` / `try` too.
    pub fn during<T>(f: impl FnOnce() -> T) -> (T, bool) {
        let (depth, outer) = STATE.with(|s| s.get());
        STATE.with(|s| s.set((depth + 1, false)));
        let out = f();
        let seen = STATE.with(|s| s.get().1);
        STATE.with(|s| s.set((depth, outer || seen)));
        (out, seen)
    }
}
