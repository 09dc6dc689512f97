//! Terraform's JSON syntax (`.tf.json`, `.tfvars.json`) mapped onto the same
//! [`Body`] tree as the native syntax, with ranges into the JSON text.
//!
//! Mapping, kept deliberately simple: top-level `resource`/`data` nest
//! type → name → body; `module`, `variable`, `output`, `provider` and
//! `check` nest name → body; `locals`, `terraform`, `moved`, `import` and
//! `removed` are unlabelled bodies; any body may also be an array of bodies.
//! Inside a body every property is an attribute: a nested block such as
//! `lifecycle` arrives as an attribute holding an object (or a tuple of
//! objects), which callers read the same way. Strings are templates, so
//! `"${var.x}"` is the reference it is in Terraform. Keys named `//` in
//! bodies are comments. The JSON text is parsed by `jsonc-parser`, which
//! stops at the first error: a broken JSON file yields that one error and an
//! empty body.

use jsonc_parser::ast::{Array, Object, ObjectProp, ObjectPropName, Value as Json};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::ast::{Attribute, Block, Body, Expr, ExprKind, TemplatePart};
use super::parser::{MAX_DEPTH, Parser};
use super::{Parsed, SyntaxError, TextRange};

fn range(r: jsonc_parser::common::Range) -> TextRange {
    TextRange::from_usize(r.start, r.end)
}

/// Parses a `.tf.json` file.
pub fn parse_json(text: &str) -> Parsed {
    parse_with(text, true)
}

/// Parses a `.tfvars.json` file: a flat object of variable values.
pub fn parse_json_vars(text: &str) -> Parsed {
    parse_with(text, false)
}

/// `config`: top-level keys name blocks; otherwise they are all attributes.
fn parse_with(text: &str, config: bool) -> Parsed {
    // The JSON parser recurses without a limit; refuse deep input first.
    if let Some(at) = too_deep(text) {
        let error = SyntaxError {
            range: TextRange::from_usize(at, at + 1),
            message: format!("JSON is nested too deeply (over {MAX_DEPTH} levels, a fixed limit)"),
        };
        return Parsed {
            body: Body::default(),
            errors: vec![error],
        };
    }
    let parsed = match parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default()) {
        Ok(p) => p,
        Err(e) => {
            let error = SyntaxError {
                range: range(e.range()),
                message: format!("invalid JSON: {}", e.kind()),
            };
            return Parsed {
                body: Body::default(),
                errors: vec![error],
            };
        }
    };
    let mut mapper = Mapper {
        text,
        errors: Vec::new(),
    };
    let body = match &parsed.value {
        Some(Json::Object(obj)) if config => mapper.config_body(obj),
        Some(Json::Object(obj)) => mapper.attributes(obj),
        Some(other) => {
            mapper.error(
                range(other.range()),
                "expected a JSON object at the top level",
            );
            Body::default()
        }
        None => Body::default(),
    };
    Parsed {
        body,
        errors: mapper.errors,
    }
}

/// The offset of the first bracket nested deeper than the parser allows.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0u32;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn prop_name<'a>(p: &'a ObjectProp<'_>) -> (&'a str, TextRange) {
    match &p.name {
        ObjectPropName::String(s) => (&s.value, range(s.range)),
        ObjectPropName::Word(w) => (w.value, range(w.range)),
    }
}

struct Mapper<'t> {
    text: &'t str,
    errors: Vec<SyntaxError>,
}

impl Mapper<'_> {
    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(SyntaxError {
            range,
            message: message.into(),
        });
    }

    fn config_body(&mut self, obj: &Object<'_>) -> Body {
        let mut body = Body::default();
        for prop in &obj.properties {
            let (name, name_range) = prop_name(prop);
            let labels = match name {
                "//" => continue,
                "resource" | "data" => 2,
                "module" | "variable" | "output" | "provider" | "check" => 1,
                "locals" | "terraform" | "moved" | "import" | "removed" => 0,
                _ => {
                    body.attributes.push(self.attribute(prop));
                    continue;
                }
            };
            let mut kind = Block {
                kind: name.to_string(),
                kind_range: name_range,
                labels: Vec::new(),
                body: Body::default(),
                range: range(prop.range),
            };
            self.blocks(
                &mut kind,
                &prop.value,
                range(prop.range),
                labels,
                &mut body.blocks,
            );
        }
        body
    }

    /// Descends `labels` levels of name → … objects, then reads one body or
    /// an array of bodies; `proto` carries the type and the labels so far.
    fn blocks(
        &mut self,
        proto: &mut Block,
        value: &Json<'_>,
        whole: TextRange,
        labels: usize,
        out: &mut Vec<Block>,
    ) {
        if labels > 0 {
            let Json::Object(obj) = value else {
                self.error(
                    range(value.range()),
                    format!("expected an object of `{}` labels", proto.kind),
                );
                return;
            };
            for prop in &obj.properties {
                let (name, name_range) = prop_name(prop);
                if name == "//" {
                    continue;
                }
                proto.labels.push((name.to_string(), name_range));
                self.blocks(proto, &prop.value, range(prop.range), labels - 1, out);
                proto.labels.pop();
            }
            return;
        }
        let mut emit = |mapper: &mut Self, obj: &Object<'_>, r: TextRange| {
            let mut block = proto.clone();
            block.body = mapper.attributes(obj);
            block.range = r;
            out.push(block);
        };
        match value {
            Json::Object(obj) => emit(self, obj, whole),
            Json::Array(Array { elements, .. }) => {
                for element in elements {
                    match element {
                        Json::Object(obj) => emit(self, obj, range(obj.range)),
                        other => self.error(
                            range(other.range()),
                            format!("expected an object for a `{}` block body", proto.kind),
                        ),
                    }
                }
            }
            other => self.error(
                range(other.range()),
                format!("expected an object for a `{}` block body", proto.kind),
            ),
        }
    }

    fn attributes(&mut self, obj: &Object<'_>) -> Body {
        let mut body = Body::default();
        for prop in &obj.properties {
            if prop_name(prop).0 != "//" {
                body.attributes.push(self.attribute(prop));
            }
        }
        body
    }

    fn attribute(&mut self, prop: &ObjectProp<'_>) -> Attribute {
        let (name, name_range) = prop_name(prop);
        Attribute {
            name: name.to_string(),
            name_range,
            expr: self.expr(&prop.value),
            range: range(prop.range),
        }
    }

    fn expr(&mut self, value: &Json<'_>) -> Expr {
        let r = range(value.range());
        let kind = match value {
            Json::NullKeyword(_) => ExprKind::Null,
            Json::BooleanLit(b) => ExprKind::Bool(b.value),
            Json::NumberLit(n) => match n.value.parse::<f64>() {
                Ok(x) => ExprKind::Number(x),
                Err(_) => {
                    self.error(r, format!("`{}` is not a number Terraform reads", n.value));
                    ExprKind::Invalid
                }
            },
            Json::StringLit(s) => return self.template(&s.value, r),
            Json::Array(a) => ExprKind::Tuple(a.elements.iter().map(|e| self.expr(e)).collect()),
            Json::Object(o) => ExprKind::Object(
                o.properties
                    .iter()
                    .map(|p| {
                        let (name, name_range) = prop_name(p);
                        let key =
                            Expr::new(ExprKind::Template(literal(name, name_range)), name_range);
                        (key, self.expr(&p.value))
                    })
                    .collect(),
            ),
        };
        Expr::new(kind, r)
    }

    /// A JSON string as a template. Ranges inside point into the JSON text
    /// when the string has no escapes (the decoded text then lines up with
    /// the source); otherwise they all cover the whole string literal.
    fn template(&mut self, decoded: &str, r: TextRange) -> Expr {
        let inner = TextRange {
            start: r.start.saturating_add(1).min(r.end),
            end: r.end.saturating_sub(1).max(r.start),
        };
        if !decoded.contains("${") && !decoded.contains("%{") {
            return Expr::new(ExprKind::Template(literal(decoded, inner)), r);
        }
        let mut p = Parser::new(decoded);
        // Parser::new skips a BOM; inside a string it is text.
        p.pos = 0;
        let parts = p.parse_template_text();
        let aligned = inner.slice(self.text) == Some(decoded);
        let shift = |x: TextRange| {
            if aligned {
                TextRange {
                    start: x.start.saturating_add(inner.start),
                    end: x.end.saturating_add(inner.start),
                }
            } else {
                r
            }
        };
        for e in p.errors {
            self.error(shift(e.range), e.message);
        }
        let mut expr = Expr::new(ExprKind::Template(parts), TextRange { start: 0, end: 0 });
        expr.map_ranges(&shift);
        expr.range = r;
        expr
    }
}

fn literal(s: &str, r: TextRange) -> Vec<TemplatePart> {
    if s.is_empty() {
        Vec::new()
    } else {
        vec![TemplatePart::Literal(s.to_string(), r)]
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    const TF_JSON: &str = r#"{
  "//": "generated by a pipeline",
  "resource": {
    "netbox_device": {
      "cam1": { "name": "cam-${var.site}", "site_id": 34, "tags": ["cctv"] },
      "cam2": [{ "name": "two" }, { "name": "three" }]
    }
  },
  "variable": { "site": { "default": "hq", "//": "comment" } },
  "locals": { "zone": { "a": 1 } },
  "output": { "x": { "value": "${netbox_device.cam1.id}" } }
}"#;

    #[test]
    fn maps_blocks_and_labels_with_ranges() {
        let parsed = parse_json(TF_JSON);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let blocks = &parsed.body.blocks;
        let summary: Vec<_> = blocks
            .iter()
            .map(|b| {
                (
                    b.kind.as_str(),
                    b.labels.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("resource", vec!["netbox_device", "cam1"]),
                ("resource", vec!["netbox_device", "cam2"]),
                ("resource", vec!["netbox_device", "cam2"]),
                ("variable", vec!["site"]),
                ("locals", vec![]),
                ("output", vec!["x"]),
            ]
        );
        let cam1 = &blocks[0];
        assert_eq!(cam1.kind_range.slice(TF_JSON), Some("\"resource\""));
        assert_eq!(cam1.labels[1].1.slice(TF_JSON), Some("\"cam1\""));
        assert!(
            cam1.range
                .slice(TF_JSON)
                .unwrap()
                .starts_with("\"cam1\": {")
        );
        let name = cam1.body.attribute("site_id").unwrap();
        assert_eq!(name.name_range.slice(TF_JSON), Some("\"site_id\""));
        assert_eq!(name.expr.range.slice(TF_JSON), Some("34"));
        assert_eq!(
            blocks[2].body.attribute("name").unwrap().expr.as_str(),
            Some("three")
        );
        assert_eq!(blocks[3].body.attributes.len(), 1, "`//` keys are comments");
        assert!(matches!(
            blocks[4].body.attributes[0].expr.kind,
            ExprKind::Object(_)
        ));
    }

    #[test]
    fn strings_are_templates_with_ranges_into_the_json() {
        let parsed = parse_json(TF_JSON);
        let name = parsed.body.blocks[0].body.attribute("name").unwrap();
        let refs = name.expr.traversals();
        assert_eq!(refs[0].0, "var");
        assert_eq!(refs[0].2.slice(TF_JSON), Some("var.site"));
        assert_eq!(name.expr.range.slice(TF_JSON), Some("\"cam-${var.site}\""));
        let out = parsed.body.blocks[5].body.attribute("value").unwrap();
        let (root, steps) = match &out.expr.kind {
            ExprKind::Template(parts) => match &parts[0] {
                TemplatePart::Interpolation(e) => e
                    .as_traversal()
                    .map(|(r, s)| (r.to_string(), s.len()))
                    .unwrap(),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        };
        assert_eq!((root.as_str(), steps), ("netbox_device", 2));
    }

    #[test]
    fn escaped_strings_point_at_the_whole_literal() {
        let text = r#"{"locals": {"a": "\"q\" ${var.x}"}}"#;
        let parsed = parse_json(text);
        let a = &parsed.body.blocks[0].body.attributes[0];
        assert_eq!(a.expr.traversals()[0].2, a.expr.range);
    }

    #[test]
    fn tfvars_json_is_flat() {
        let text = r#"{"site": "hq", "resource": {"not": "a block"}, "vlans": [10, 20]}"#;
        let parsed = parse_json_vars(text);
        let names: Vec<_> = parsed
            .body
            .attributes
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(names, vec!["site", "resource", "vlans"]);
        assert!(parsed.body.blocks.is_empty());
    }

    #[test]
    fn errors() {
        let parsed = parse_json("{\"resource\": {\"a\": 1}, \"x\": ");
        assert_eq!(parsed.errors.len(), 1);
        assert!(parsed.errors[0].message.starts_with("invalid JSON"));
        let parsed = parse_json("{\"resource\": {\"a\": {\"b\": 5}}}");
        assert!(
            parsed.errors[0]
                .message
                .contains("expected an object for a `resource` block body"),
            "{:?}",
            parsed.errors
        );
        let parsed = parse_json("[1]");
        assert_eq!(
            parsed.errors[0].message,
            "expected a JSON object at the top level"
        );
        let deep = format!("{{\"a\": {}", "[".repeat(100_000));
        assert!(
            parse_json(&deep).errors[0]
                .message
                .starts_with("JSON is nested too deeply")
        );
        let bad_template = r#"{"locals": {"a": "${"}}"#;
        assert!(!parse_json(bad_template).errors.is_empty());
    }

    #[test]
    fn truncation_never_panics() {
        for end in 0..=TF_JSON.len() {
            if let Some(prefix) = TF_JSON.get(..end) {
                parse_json(prefix);
                parse_json_vars(prefix);
            }
        }
    }
}
