//! Terraform's JSON configuration syntax (`*.tf.json`) read into the same blocks as
//! native syntax. Block labels are nested object levels, repeated blocks are arrays,
//! `"//"` keys are comments, and every string is a template. Without provider schemas
//! an object inside a resource is a nested block unless its name says map (`tags`,
//! `labels`, …). Parses; never evaluates.

use super::expr::{parse_expr_unplaced, Expr, Key, Kind};
use super::files::{Attr, Block, Body, LoadError, Loc, SrcFile};
use serde_json::Value as J;
use std::sync::Arc;

/// How many labels each top-level block type has.
const LABELS: &[(&str, usize)] = &[
    ("resource", 2),
    ("data", 2),
    ("module", 1),
    ("variable", 1),
    ("output", 1),
    ("provider", 1),
    ("locals", 0),
    ("terraform", 0),
];

/// Attributes that hold maps, not nested blocks, when written as a JSON object.
const MAP_ATTRS: &[&str] = &[
    "tags",
    "tags_all",
    "labels",
    "annotations",
    "selector",
    "variables",
    "parameters",
    "metadata",
    "triggers",
    "default_tags",
    "resource_labels",
    "user_labels",
    "match_labels",
    "node_selector",
    "data",
];

/// Blocks that are always blocks, whatever their value looks like.
const BLOCK_ATTRS: &[&str] = &["lifecycle", "connection", "timeouts", "content"];

pub fn parse_config(text: &str, file: &Arc<SrcFile>) -> Result<Body, LoadError> {
    let root: J = serde_json::from_str(text).map_err(|e| LoadError {
        path: file.path.clone(),
        line_col: Some((e.line(), e.column())),
        what: format!("invalid JSON: {}", crate::scrub::scrub(&e.to_string())),
    })?;
    let loc = Loc {
        file: file.clone(),
        offset: None,
    };
    let J::Object(top) = root else {
        return Err(LoadError::at(
            &loc,
            "a JSON configuration file must hold an object",
        ));
    };
    let mut out = Body::default();
    for (kind, v) in top {
        if kind == "//" {
            continue;
        }
        let Some(&(_, depth)) = LABELS.iter().find(|(k, _)| *k == kind) else {
            // moved, import, check, removed: not part of what is built.
            continue;
        };
        labelled(&kind, depth, Vec::new(), &v, &loc, &mut out.blocks)?;
    }
    Ok(out)
}

fn labelled(
    kind: &str,
    depth: usize,
    labels: Vec<String>,
    v: &J,
    loc: &Loc,
    out: &mut Vec<Block>,
) -> Result<(), LoadError> {
    if labels.len() < depth {
        let J::Object(m) = v else {
            return Err(LoadError::at(
                loc,
                format!("`{kind}` needs {depth} levels of labels as nested objects"),
            ));
        };
        for (k, inner) in m {
            if k == "//" {
                continue;
            }
            let mut l = labels.clone();
            l.push(k.clone());
            labelled(kind, depth, l, inner, loc, out)?;
        }
        return Ok(());
    }
    let schema_free = matches!(kind, "resource" | "data");
    for b in bodies(v) {
        out.push(Block {
            kind: kind.to_string(),
            labels: labels.clone(),
            body: body_of(
                kind,
                b,
                schema_free,
                labels.first().is_some_and(|t| t.starts_with("kubernetes_")),
                loc,
            )?,
            loc: loc.clone(),
        });
    }
    Ok(())
}

/// One block body per object: an array of objects is several blocks.
fn bodies(v: &J) -> Vec<&serde_json::Map<String, J>> {
    match v {
        J::Object(m) => vec![m],
        J::Array(a) => a.iter().filter_map(J::as_object).collect(),
        _ => Vec::new(),
    }
}

/// A block's body; `kubernetes` inside a Kubernetes resource.
fn body_of(
    kind: &str,
    m: &serde_json::Map<String, J>,
    nested_blocks: bool,
    kubernetes: bool,
    loc: &Loc,
) -> Result<Body, LoadError> {
    let mut out = Body::default();
    for (k, v) in m {
        if k == "//" {
            continue;
        }
        let is_block = match (kind, k.as_str()) {
            ("variable", "validation") | ("output", "precondition") => true,
            (_, "dynamic") if nested_blocks => {
                // "dynamic": {"ingress": {"for_each": …, "content": {…}}}
                if let J::Object(d) = v {
                    for (label, spec) in d {
                        for s in bodies(spec) {
                            out.blocks.push(Block {
                                kind: "dynamic".into(),
                                labels: vec![label.clone()],
                                body: body_of("dynamic", s, true, kubernetes, loc)?,
                                loc: loc.clone(),
                            });
                        }
                    }
                }
                continue;
            }
            (_, "provisioner") => continue,
            (_, name) if nested_blocks || kind == "dynamic" => {
                BLOCK_ATTRS.contains(&name)
                    // Kubernetes resources have a `metadata` block; elsewhere it is a map.
                    || (name == "metadata" && kubernetes)
                    || (!MAP_ATTRS.contains(&name)
                        && match v {
                            J::Object(_) => true,
                            J::Array(a) => !a.is_empty() && a.iter().all(J::is_object),
                            _ => false,
                        })
            }
            _ => false,
        };
        if is_block {
            for b in bodies(v) {
                out.blocks.push(Block {
                    kind: k.clone(),
                    labels: Vec::new(),
                    body: body_of(k, b, nested_blocks, kubernetes, loc)?,
                    loc: loc.clone(),
                });
            }
        } else {
            let e = match (kind, k.as_str(), v) {
                // A variable's type is a type expression written as a string, and its
                // default a value: neither is a template.
                ("variable", "type", J::String(t)) => {
                    parse_expr_unplaced(t.trim()).map_err(|e| {
                        LoadError::at(loc, format!("invalid type {t:?}: {}", e.message()))
                    })?
                }
                ("variable", "default", _) => literal(v),
                _ => expr(v, loc)?,
            };
            out.attrs.push(Attr {
                name: k.clone(),
                expr: e,
                loc: loc.clone(),
            });
        }
    }
    Ok(out)
}

/// A JSON value as an expression: strings are templates.
pub fn expr(v: &J, loc: &Loc) -> Result<Expr, LoadError> {
    Ok(Expr::bare(match v {
        J::String(s) => return template(s, loc),
        J::Array(a) => Kind::Array(a.iter().map(|x| expr(x, loc)).collect::<Result<_, _>>()?),
        J::Object(m) => Kind::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "//")
                .map(|(k, x)| Ok((Key::Name(k.as_str().into()), expr(x, loc)?)))
                .collect::<Result<_, LoadError>>()?,
        ),
        scalar => return Ok(literal(scalar)),
    }))
}

/// A JSON value as a literal expression: strings as they are, no templates.
fn literal(v: &J) -> Expr {
    Expr::bare(match v {
        J::Null => Kind::Null,
        J::Bool(b) => Kind::Bool(*b),
        J::Number(n) => Kind::Number(n.as_f64().unwrap_or(0.0)),
        J::String(s) => Kind::String(s.as_str().into()),
        J::Array(a) => Kind::Array(a.iter().map(literal).collect()),
        J::Object(m) => Kind::Object(
            m.iter()
                .map(|(k, x)| (Key::Name(k.as_str().into()), literal(x)))
                .collect(),
        ),
    })
}

/// A JSON string as a template expression (`"${var.cidr}"`), parsed by the native parser.
fn template(s: &str, loc: &Loc) -> Result<Expr, LoadError> {
    if !s.contains("${") && !s.contains("%{") {
        return Ok(Expr::bare(Kind::String(s.into())));
    }
    let mut quoted = String::with_capacity(s.len() + 2);
    quoted.push('"');
    for c in s.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '"' => quoted.push_str("\\\""),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    parse_expr_unplaced(&quoted).map_err(|e| {
        LoadError::at(
            loc,
            format!("invalid template in a string: {}", e.message()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> crate::TestResult<Body> {
        let file = Arc::new(SrcFile::new("main.tf.json".into(), String::new()));
        Ok(parse_config(text, &file).map_err(|e| e.what)?)
    }

    #[test]
    fn blocks_labels_and_nested_blocks() -> crate::TestResult {
        let b = parse(
            r#"{
              "//": "a comment",
              "variable": {"cidr": {"default": "10.0.0.0/16", "type": "string"}},
              "resource": {
                "aws_security_group": {
                  "web": {
                    "name": "web-${var.env}",
                    "tags": {"Team": "core"},
                    "ingress": [{"from_port": 80}, {"from_port": 443}],
                    "lifecycle": {"create_before_destroy": true},
                    "dynamic": {"egress": {"for_each": "${var.rules}", "content": {"from_port": "${egress.value}"}}}
                  }
                }
              },
              "locals": [{"a": 1}, {"b": {"x": [1, 2]}}]
            }"#,
        )?;
        let kinds: Vec<(&str, Vec<&str>)> = b
            .blocks
            .iter()
            .map(|b| {
                (
                    b.kind.as_str(),
                    b.labels.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("locals", vec![]),
                ("locals", vec![]),
                ("resource", vec!["aws_security_group", "web"]),
                ("variable", vec!["cidr"]),
            ]
        );
        let sg = &b.blocks[2].body;
        let attrs: Vec<&str> = sg.attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(attrs, ["name", "tags"]);
        let blocks: Vec<&str> = sg.blocks.iter().map(|b| b.kind.as_str()).collect();
        assert_eq!(blocks, ["dynamic", "ingress", "ingress", "lifecycle"]);
        assert!(matches!(sg.attrs[0].expr.kind, Kind::Template(_)));
        // A local that is an object stays an attribute.
        assert!(matches!(
            b.blocks[1].body.attrs[0].expr.kind,
            Kind::Object(_)
        ));
        Ok(())
    }

    #[test]
    fn errors_say_where() {
        let file = Arc::new(SrcFile::new("x.tf.json".into(), String::new()));
        let e = parse_config("{\n \"resource\": [\n", &file).err();
        assert!(e.is_some_and(|e| e.line_col.is_some() && e.what.starts_with("invalid JSON")));
        let e = parse_config("[1]", &file).err();
        assert!(e.is_some_and(|e| e.what.contains("must hold an object")));
    }
}
