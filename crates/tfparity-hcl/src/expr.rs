//! The expression tree the evaluator reads: what hcl-edit parses, without the
//! decorations (comments, whitespace, raw text) it keeps for editing, with byte spans
//! only where messages need them. Built once per file as it is parsed, after which
//! hcl-edit's tree is dropped: a module tree's parsed files take a fraction of the
//! memory, and evaluation walks a compact tree. Repeated object keys renamed by the
//! loader ([`DUP_MARK`]) get their own names back here.

use super::files::DUP_MARK;
use hcl::edit::expr as edit;
pub use hcl::edit::expr::{BinaryOperator, UnaryOperator};
use hcl::edit::template as etpl;
pub use hcl::edit::template::Strip;
use hcl::edit::Span as _;
use std::ops::Range;

/// No span: an expression made from a JSON value, or a literal made by the loader.
const NONE: u32 = u32::MAX;

/// An expression and where it is written (byte offsets in its file).
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: Kind,
    start: u32,
    end: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    /// A string without interpolations or directives.
    String(Box<str>),
    Array(Box<[Expr]>),
    Object(Box<[(Key, Expr)]>),
    /// A quoted template or a heredoc (its indentation already removed).
    Template(Box<[Element]>),
    Parenthesis(Box<Expr>),
    Variable(Box<str>),
    Conditional(Box<Conditional>),
    FuncCall(Box<FuncCall>),
    Traversal(Box<Traversal>),
    UnaryOp(UnaryOperator, Box<Expr>),
    BinaryOp(BinaryOperator, Box<(Expr, Expr)>),
    ForExpr(Box<ForExpr>),
}

/// An object key: a name written as an identifier or a quoted string, or an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Name(Box<str>),
    Expr(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conditional {
    pub cond: Expr,
    pub yes: Expr,
    pub no: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncCall {
    /// With its namespace: `provider::aws::arn_parse`, `core::try`.
    pub name: Box<str>,
    pub args: Box<[Expr]>,
    /// The last argument ends with `...`.
    pub expand_final: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Traversal {
    pub expr: Expr,
    pub ops: Box<[Op]>,
}

/// A traversal step.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    GetAttr(Box<str>),
    Index(Expr),
    LegacyIndex(u64),
    FullSplat,
    AttrSplat,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForExpr {
    pub key_var: Option<Box<str>>,
    pub value_var: Box<str>,
    pub collection: Expr,
    pub key_expr: Option<Expr>,
    pub value_expr: Expr,
    pub cond: Option<Expr>,
    pub grouping: bool,
}

/// A template element.
#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    Literal(Box<str>),
    Interpolation(Expr, Strip),
    If(Box<IfDirective>),
    For(Box<ForDirective>),
}

/// `%{if cond}…%{else}…%{endif}` with the strip markers of each part.
#[derive(Debug, Clone, PartialEq)]
pub struct IfDirective {
    pub cond: Expr,
    pub if_strip: Strip,
    pub then: Box<[Element]>,
    pub otherwise: Option<(Strip, Box<[Element]>)>,
    pub endif_strip: Strip,
}

/// `%{for k, v in coll}…%{endfor}` with the strip markers of each part.
#[derive(Debug, Clone, PartialEq)]
pub struct ForDirective {
    pub key_var: Option<Box<str>>,
    pub value_var: Box<str>,
    pub collection: Expr,
    pub for_strip: Strip,
    pub body: Box<[Element]>,
    pub endfor_strip: Strip,
}

impl Expr {
    /// An expression written at byte offsets `span` (none for values without a place).
    pub fn new(kind: Kind, span: Option<Range<usize>>) -> Expr {
        let (start, end) = match span {
            Some(r) if r.end < NONE as usize => (r.start as u32, r.end as u32),
            _ => (NONE, NONE),
        };
        Expr { kind, start, end }
    }

    /// An expression without a place.
    pub fn bare(kind: Kind) -> Expr {
        Expr::new(kind, None)
    }

    pub fn span(&self) -> Option<Range<usize>> {
        (self.start != NONE).then_some(self.start as usize..self.end as usize)
    }

    /// The expression hcl-edit parsed, as the evaluator reads it.
    pub fn from_edit(e: &edit::Expression) -> Expr {
        Conv { spans: true }.expr(e)
    }

    /// Whether `pred` holds for a name the expression reads or writes: a reference's
    /// root or attribute (`var.db_password`, `each.value.token`) or an object key it
    /// writes (`{ password = … }`). Past [`NAMES_DEPTH`] levels of nesting, true: the
    /// answer decides whether an error may quote values, and doubt hides them.
    pub fn names_any(&self, pred: &dyn Fn(&str) -> bool) -> bool {
        self.names_within(pred, 0)
    }

    fn names_within(&self, pred: &dyn Fn(&str) -> bool, depth: usize) -> bool {
        if depth > NAMES_DEPTH {
            return true;
        }
        let any = |e: &Expr| e.names_within(pred, depth + 1);
        match &self.kind {
            Kind::Null | Kind::Bool(_) | Kind::Number(_) | Kind::String(_) => false,
            Kind::Variable(v) => pred(v),
            Kind::Array(a) => a.iter().any(any),
            Kind::Object(o) => o.iter().any(|(k, v)| {
                (match k {
                    Key::Name(n) => pred(n),
                    Key::Expr(x) => any(x),
                }) || any(v)
            }),
            Kind::Template(t) => elements_name_any(t, pred, depth + 1),
            Kind::Parenthesis(x) | Kind::UnaryOp(_, x) => any(x),
            Kind::Conditional(c) => any(&c.cond) || any(&c.yes) || any(&c.no),
            Kind::FuncCall(c) => c.args.iter().any(any),
            Kind::Traversal(t) => {
                any(&t.expr)
                    || t.ops.iter().any(|o| match o {
                        Op::GetAttr(n) => pred(n),
                        Op::Index(x) => any(x),
                        _ => false,
                    })
            }
            Kind::BinaryOp(_, sides) => any(&sides.0) || any(&sides.1),
            Kind::ForExpr(f) => {
                any(&f.collection)
                    || f.key_expr.as_ref().is_some_and(any)
                    || any(&f.value_expr)
                    || f.cond.as_ref().is_some_and(any)
            }
        }
    }

    /// A function call's name when this is one.
    pub fn call_name(&self) -> Option<&str> {
        match &self.kind {
            Kind::FuncCall(c) => Some(&c.name),
            _ => None,
        }
    }
}

/// How deep [`Expr::names_any`] looks before it answers yes.
const NAMES_DEPTH: usize = 256;

fn elements_name_any(els: &[Element], pred: &dyn Fn(&str) -> bool, depth: usize) -> bool {
    if depth > NAMES_DEPTH {
        return true;
    }
    els.iter().any(|el| match el {
        Element::Literal(_) => false,
        Element::Interpolation(x, _) => x.names_within(pred, depth + 1),
        Element::If(d) => {
            d.cond.names_within(pred, depth + 1)
                || elements_name_any(&d.then, pred, depth + 1)
                || d.otherwise
                    .as_ref()
                    .is_some_and(|(_, o)| elements_name_any(o, pred, depth + 1))
        }
        Element::For(d) => {
            d.collection.names_within(pred, depth + 1)
                || elements_name_any(&d.body, pred, depth + 1)
        }
    })
}

/// A repeated object key renamed by the loader (`__tfparity_dup<n>__<key>`), back to
/// its own name; any other name as it is.
fn own_name(key: &str) -> Box<str> {
    key.strip_prefix(DUP_MARK)
        .and_then(|rest| rest.find("__").map(|i| &rest[i + 2..]))
        .unwrap_or(key)
        .into()
}

/// Converts hcl-edit's tree; without spans for expressions whose offsets are not in a
/// file (templates inside JSON strings).
#[derive(Clone, Copy)]
struct Conv {
    spans: bool,
}

impl Conv {
    fn expr(self, e: &edit::Expression) -> Expr {
        let kind = match e {
            edit::Expression::Null(_) => Kind::Null,
            edit::Expression::Bool(b) => Kind::Bool(*b.value()),
            edit::Expression::Number(n) => Kind::Number(n.value().as_f64().unwrap_or(0.0)),
            edit::Expression::String(s) => Kind::String(s.value().as_str().into()),
            edit::Expression::Array(a) => Kind::Array(a.iter().map(|x| self.expr(x)).collect()),
            edit::Expression::Object(o) => Kind::Object(
                o.iter()
                    .map(|(k, v)| (self.key(k), self.expr(v.expr())))
                    .collect(),
            ),
            edit::Expression::StringTemplate(t) => Kind::Template(self.elements(t.iter())),
            edit::Expression::HeredocTemplate(h) => {
                let mut elements = self.elements(h.template.iter());
                if let Some(indent) = h.indent() {
                    crate::eval::flush_directive_lines(&mut elements, indent);
                }
                Kind::Template(elements)
            }
            edit::Expression::Parenthesis(p) => Kind::Parenthesis(Box::new(self.expr(p.inner()))),
            edit::Expression::Variable(v) => Kind::Variable(v.as_str().into()),
            edit::Expression::Conditional(c) => Kind::Conditional(Box::new(Conditional {
                cond: self.expr(&c.cond_expr),
                yes: self.expr(&c.true_expr),
                no: self.expr(&c.false_expr),
            })),
            edit::Expression::FuncCall(c) => {
                let mut name = String::new();
                for n in &c.name.namespace {
                    name.push_str(n.as_str());
                    name.push_str("::");
                }
                name.push_str(c.name.name.as_str());
                Kind::FuncCall(Box::new(FuncCall {
                    name: name.into(),
                    args: c.args.iter().map(|x| self.expr(x)).collect(),
                    expand_final: c.args.expand_final(),
                }))
            }
            edit::Expression::Traversal(t) => Kind::Traversal(Box::new(Traversal {
                expr: self.expr(&t.expr),
                ops: t
                    .operators
                    .iter()
                    .map(|o| match o.value() {
                        edit::TraversalOperator::GetAttr(n) => Op::GetAttr(n.as_str().into()),
                        edit::TraversalOperator::Index(x) => Op::Index(self.expr(x)),
                        edit::TraversalOperator::LegacyIndex(n) => Op::LegacyIndex(*n.value()),
                        edit::TraversalOperator::FullSplat(_) => Op::FullSplat,
                        edit::TraversalOperator::AttrSplat(_) => Op::AttrSplat,
                    })
                    .collect(),
            })),
            edit::Expression::UnaryOp(u) => {
                Kind::UnaryOp(*u.operator.value(), Box::new(self.expr(&u.expr)))
            }
            edit::Expression::BinaryOp(b) => Kind::BinaryOp(
                *b.operator.value(),
                Box::new((self.expr(&b.lhs_expr), self.expr(&b.rhs_expr))),
            ),
            edit::Expression::ForExpr(f) => Kind::ForExpr(Box::new(ForExpr {
                key_var: f.intro.key_var.as_ref().map(|k| k.as_str().into()),
                value_var: f.intro.value_var.as_str().into(),
                collection: self.expr(&f.intro.collection_expr),
                key_expr: f.key_expr.as_ref().map(|x| self.expr(x)),
                value_expr: self.expr(&f.value_expr),
                cond: f.cond.as_ref().map(|c| self.expr(&c.expr)),
                grouping: f.grouping,
            })),
        };
        Expr::new(kind, if self.spans { e.span() } else { None })
    }

    fn key(self, k: &edit::ObjectKey) -> Key {
        match k {
            edit::ObjectKey::Ident(i) => Key::Name(own_name(i.as_str())),
            // A bare name is the key itself, not a reference; so is a quoted string.
            edit::ObjectKey::Expression(edit::Expression::Variable(i)) => {
                Key::Name(own_name(i.as_str()))
            }
            edit::ObjectKey::Expression(edit::Expression::String(s)) => {
                Key::Name(own_name(s.value()))
            }
            edit::ObjectKey::Expression(x) => {
                let mut e = self.expr(x);
                // A renamed template key: the mark is the start of its first literal.
                if let Kind::Template(els) = &mut e.kind {
                    if let Some(Element::Literal(s)) = els.first_mut() {
                        *s = own_name(s);
                    }
                }
                Key::Expr(e)
            }
        }
    }

    /// Template elements as the evaluator reads them.
    fn elements<'t>(self, els: impl Iterator<Item = &'t etpl::Element>) -> Box<[Element]> {
        els.map(|el| match el {
            etpl::Element::Literal(s) => Element::Literal(s.value().as_str().into()),
            etpl::Element::Interpolation(i) => Element::Interpolation(self.expr(&i.expr), i.strip),
            etpl::Element::Directive(d) => match d.as_ref() {
                etpl::Directive::If(ifd) => Element::If(Box::new(IfDirective {
                    cond: self.expr(&ifd.if_expr.cond_expr),
                    if_strip: ifd.if_expr.strip,
                    then: self.elements(ifd.if_expr.template.iter()),
                    otherwise: ifd
                        .else_expr
                        .as_ref()
                        .map(|e| (e.strip, self.elements(e.template.iter()))),
                    endif_strip: ifd.endif_expr.strip,
                })),
                etpl::Directive::For(fd) => Element::For(Box::new(ForDirective {
                    key_var: fd.for_expr.key_var.as_ref().map(|k| k.as_str().into()),
                    value_var: fd.for_expr.value_var.as_str().into(),
                    collection: self.expr(&fd.for_expr.collection_expr),
                    for_strip: fd.for_expr.strip,
                    body: self.elements(fd.for_expr.template.iter()),
                    endfor_strip: fd.endfor_expr.strip,
                })),
            },
        })
        .collect()
    }
}

/// Parses one expression (a variable's type, a test's input).
pub fn parse_expr(src: &str) -> Result<Expr, hcl::edit::parser::Error> {
    hcl::edit::parser::parse_expr(src).map(|e| Expr::from_edit(&e))
}

/// Parses an expression written somewhere other than the file at hand (inside a JSON
/// string): its offsets are not the file's, and are dropped.
pub fn parse_expr_unplaced(src: &str) -> Result<Expr, ParseError> {
    let src = src.to_string();
    crate::deadline::bounded(move || {
        hcl::edit::parser::parse_expr(&src)
            .map(|e| Conv { spans: false }.expr(&e))
            .map_err(|e| ParseError(e.message().to_string()))
    })
    .unwrap_or_else(|t| Err(ParseError(t.to_string())))
}

/// Why a text from the input did not parse: the parser's message, or that parsing ran
/// out of time (see [`crate::deadline`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(String);

impl ParseError {
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// In tests, a template holding this text takes 30 s to parse: no template found so far
/// makes the parser itself backtrack for long (expressions do, see
/// `fuzz/regressions/hcl_expression/parse-backtracking`), but one may.
#[cfg(test)]
pub const SLOW_IN_TESTS: &str = "tfparity-test: parse me slowly";

/// Parses a template (a `templatefile` file, a `templatestring` argument). Its offsets
/// are not in the file of the call, and are dropped: errors inside it are said at the call.
pub fn parse_template(src: &str) -> Result<Box<[Element]>, ParseError> {
    let src = src.to_string();
    crate::deadline::bounded(move || {
        #[cfg(test)]
        if src.contains(SLOW_IN_TESTS) {
            std::thread::sleep(std::time::Duration::from_secs(30));
        }
        hcl::edit::parser::parse_template(&src)
            .map(|t| Conv { spans: false }.elements(t.iter()))
            .map_err(|e| ParseError(e.message().to_string()))
    })
    .unwrap_or_else(|t| Err(ParseError(t.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_get_their_names_back_and_spans_are_kept() -> Result<(), hcl::edit::parser::Error> {
        let src = r#"{ __tfparity_dup0__a = 1, "__tfparity_dup1__b" = 2, c = x, "${y}" = 3 }"#;
        let e = parse_expr(src)?;
        let Kind::Object(items) = &e.kind else {
            panic!("not an object: {e:?}");
        };
        let names: Vec<String> = items
            .iter()
            .map(|(k, _)| match k {
                Key::Name(n) => n.to_string(),
                Key::Expr(_) => "<expr>".to_string(),
            })
            .collect();
        assert_eq!(names, ["a", "b", "c", "<expr>"]);
        let x = src.find("x,").unwrap_or_default();
        assert_eq!(items[2].1.span(), Some(x..x + 1));
        assert_eq!(Expr::bare(Kind::Null).span(), None);
        Ok(())
    }

    #[test]
    fn calls_keep_their_namespace() -> Result<(), hcl::edit::parser::Error> {
        let e = parse_expr("provider::aws::arn_parse(x...)")?;
        let Kind::FuncCall(c) = &e.kind else {
            panic!("not a call: {e:?}");
        };
        assert_eq!(&*c.name, "provider::aws::arn_parse");
        assert!(c.expand_final);
        Ok(())
    }
}
