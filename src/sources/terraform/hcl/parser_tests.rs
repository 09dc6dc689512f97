//! Tests of the native-syntax parser: every syntax form, ranges that slice
//! back to the right text, error recovery, and hostile input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;

fn ok(text: &str) -> Body {
    let parsed = parse(text);
    assert!(
        parsed.errors.is_empty(),
        "unexpected errors: {:?}",
        parsed.errors
    );
    parsed.body
}

fn expr(text: &str) -> Expr {
    let src = format!("x = {text}\n");
    let mut body = ok(&src);
    body.attributes.remove(0).expr
}

fn lit(s: &str) -> Vec<TemplatePart> {
    match &expr(s).kind {
        ExprKind::Template(parts) => parts.clone(),
        other => panic!("not a template: {other:?}"),
    }
}

fn literal_text(parts: &[TemplatePart]) -> String {
    parts
        .iter()
        .map(|p| match p {
            TemplatePart::Literal(s, _) => s.clone(),
            _ => "<expr>".to_string(),
        })
        .collect()
}

#[test]
fn blocks_attributes_and_ranges() {
    let text = "resource \"netbox_device\" \"cam\" {\n  name   = \"cam-01\"\n  site_id = 34\n}\n";
    let body = ok(text);
    let block = &body.blocks[0];
    assert_eq!(block.kind, "resource");
    assert_eq!(block.range.slice(text), Some(&text[..text.len() - 1]));
    assert_eq!(block.kind_range.slice(text), Some("resource"));
    let labels: Vec<_> = block
        .labels
        .iter()
        .map(|(l, r)| (l.as_str(), r.slice(text).unwrap()))
        .collect();
    assert_eq!(
        labels,
        vec![("netbox_device", "\"netbox_device\""), ("cam", "\"cam\"")]
    );
    let name = block.body.attribute("name").unwrap();
    assert_eq!(name.name_range.slice(text), Some("name"));
    assert_eq!(name.expr.range.slice(text), Some("\"cam-01\""));
    assert_eq!(name.range.slice(text), Some("name   = \"cam-01\""));
    assert_eq!(name.expr.as_str(), Some("cam-01"));
    let site = block.body.attribute("site_id").unwrap();
    assert_eq!(site.expr.kind, ExprKind::Number(34.0));
}

#[test]
fn comments_bom_crlf_and_dashed_identifiers() {
    let text = "\u{feff}# hash\r\n// slashes\r\n/* block\r\n comment */ a-b = 1 # trailing\r\nc = /* inline */ 2\r\nlabel ident-label {\r\n}\r\n";
    let body = ok(text);
    assert_eq!(body.attributes[0].name, "a-b");
    assert_eq!(body.attributes[1].expr.kind, ExprKind::Number(2.0));
    assert_eq!(body.blocks[0].labels[0].0, "ident-label");
}

#[test]
fn numbers() {
    assert_eq!(expr("1e3").kind, ExprKind::Number(1000.0));
    assert_eq!(expr("0.5").kind, ExprKind::Number(0.5));
    assert_eq!(expr("2.5E-1").kind, ExprKind::Number(0.25));
    assert!(matches!(
        expr("-3").kind,
        ExprKind::Unary(UnaryOp::Negate, _)
    ));
}

#[test]
fn string_escapes() {
    let parts = lit(r#""a\nb\t\"q\"\\ \u00e9 \U0001F600 $${x} %%{y}""#);
    assert_eq!(literal_text(&parts), "a\nb\t\"q\"\\ é 😀 ${x} %{y}");
    assert_eq!(parts.len(), 1);
}

#[test]
fn interpolation_and_strip_markers() {
    let parts = lit(r#""site-${var.site} ~ ${~ var.x ~} end""#);
    assert_eq!(literal_text(&parts), "site-<expr> ~<expr>end");
    let e = expr(r#""${var.a}""#);
    assert_eq!(e.traversals()[0].0, "var");
}

#[test]
fn template_directives() {
    let parts =
        lit(r#""%{ if var.on }yes%{ else }no%{ endif }|%{ for s in var.l ~}${s},%{ endfor ~}""#);
    match &parts[0] {
        TemplatePart::If {
            then, otherwise, ..
        } => {
            assert_eq!(literal_text(then), "yes");
            assert_eq!(literal_text(otherwise), "no");
        }
        other => panic!("{other:?}"),
    }
    match &parts[2] {
        TemplatePart::For {
            value_var, body, ..
        } => {
            assert_eq!(value_var, "s");
            assert_eq!(body.len(), 2);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn heredocs() {
    let text =
        "a = <<EOT\nline ${var.x}\n  two\nEOT\nb = <<-EOT\n    four\n      six\n    EOT\nc = 1\n";
    let body = ok(text);
    let a = &body.attributes[0];
    match &a.expr.kind {
        ExprKind::Template(parts) => assert_eq!(literal_text(parts), "line <expr>\n  two\n"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        a.expr.range.slice(text),
        Some("<<EOT\nline ${var.x}\n  two\nEOT")
    );
    assert_eq!(body.attributes[1].expr.as_str(), Some("four\n  six\n"));
    assert_eq!(body.attributes[2].expr.kind, ExprKind::Number(1.0));
}

#[test]
fn tuples_and_objects() {
    let e = expr("[1, \"two\",\n  three,\n]");
    assert!(matches!(&e.kind, ExprKind::Tuple(items) if items.len() == 3));
    let e = expr("{\n  a = 1\n  \"b\" : 2, (var.k) = 3\n  null = 4\n}");
    let ExprKind::Object(items) = &e.kind else {
        panic!()
    };
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].0.as_str(), Some("a"));
    assert_eq!(items[1].0.as_str(), Some("b"));
    assert!(matches!(items[2].0.kind, ExprKind::Parens(_)));
    assert_eq!(items[3].0.as_str(), Some("null"));
}

#[test]
fn operator_precedence() {
    // 1 + 2 * 3 == 7 && !false || x
    let e = expr("1 + 2 * 3 == 7 && !false || x ? \"a\" : \"b\"");
    let ExprKind::Conditional(cond, _, _) = &e.kind else {
        panic!("{e:?}")
    };
    let ExprKind::Binary(BinaryOp::Or, and, _) = &cond.kind else {
        panic!()
    };
    let ExprKind::Binary(BinaryOp::And, eq, _) = &and.kind else {
        panic!()
    };
    let ExprKind::Binary(BinaryOp::Eq, sum, _) = &eq.kind else {
        panic!()
    };
    let ExprKind::Binary(BinaryOp::Add, _, prod) = &sum.kind else {
        panic!()
    };
    assert!(matches!(prod.kind, ExprKind::Binary(BinaryOp::Mul, _, _)));
    let e = expr("a - b - c");
    let ExprKind::Binary(BinaryOp::Sub, left, _) = &e.kind else {
        panic!()
    };
    assert!(
        matches!(left.kind, ExprKind::Binary(BinaryOp::Sub, _, _)),
        "left associative"
    );
    for op in ["<", "<=", ">", ">=", "!=", "%", "/"] {
        assert!(
            matches!(expr(&format!("1 {op} 2")).kind, ExprKind::Binary(..)),
            "{op}"
        );
    }
}

#[test]
fn calls_with_namespaces_and_expansion() {
    let e = expr("provider::terraform::decode_tfvars(file(\"x\"))");
    let ExprKind::Call {
        name,
        args,
        expand_final,
    } = &e.kind
    else {
        panic!()
    };
    assert_eq!(name, "provider::terraform::decode_tfvars");
    assert_eq!(args.len(), 1);
    assert!(!expand_final);
    let e = expr("max(\n  1,\n  var.list...\n)");
    let ExprKind::Call {
        args, expand_final, ..
    } = &e.kind
    else {
        panic!()
    };
    assert_eq!(args.len(), 2);
    assert!(expand_final);
}

#[test]
fn traversals_indexes_and_splats() {
    let text = "x = a.b[\"c\"].d[0].0\n";
    let body = ok(text);
    let (root, steps) = body.attributes[0].expr.as_traversal().unwrap();
    assert_eq!(root, "a");
    assert_eq!(
        steps,
        vec![
            Step::Attr("b".into()),
            Step::Index(Value::String("c".into())),
            Step::Attr("d".into()),
            Step::Index(Value::Number(0.0)),
            Step::Index(Value::Number(0.0)),
        ]
    );
    let e = expr("aws_instance.web[*].id");
    let ExprKind::Splat { source, each } = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(source.as_traversal().unwrap().0, "aws_instance");
    assert!(
        matches!(&each.kind, ExprKind::GetAttr(item, n) if n == "id" && item.kind == ExprKind::SplatItem)
    );
    let e = expr("var.list.*.name[0]");
    // The index after an attribute-only splat applies to the whole result.
    assert!(
        matches!(&e.kind, ExprKind::Index(inner, _) if matches!(inner.kind, ExprKind::Splat { .. }))
    );
}

#[test]
fn traversals_inside_everything() {
    let e = expr("\"${netbox_device.cam[count.index].id}-${local.x}\"");
    let found: Vec<_> = e
        .traversals()
        .into_iter()
        .map(|(r, s, _)| (r, s.len()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("count".into(), 1),
            ("netbox_device".into(), 1),
            ("local".into(), 1)
        ]
    );
    let e = expr("[for s in var.subnets : s.cidr if s.zone != local.z]");
    let roots: Vec<_> = e.traversals().into_iter().map(|(r, _, _)| r).collect();
    assert_eq!(roots, vec!["var", "local"]);
}

#[test]
fn for_expressions() {
    let e = expr("[for i, s in var.l : upper(s) if i > 0]");
    let ExprKind::ForTuple {
        key_var,
        value_var,
        condition,
        ..
    } = &e.kind
    else {
        panic!("{e:?}")
    };
    assert_eq!(key_var.as_deref(), Some("i"));
    assert_eq!(value_var, "s");
    assert!(condition.is_some());
    let e = expr("{\n  for k, v in var.m :\n  v.group => k...\n}");
    let ExprKind::ForObject { grouping, .. } = &e.kind else {
        panic!("{e:?}")
    };
    assert!(grouping);
}

#[test]
fn nested_blocks_and_single_line_blocks() {
    let body = ok(
        "resource \"a\" \"b\" {\n  lifecycle { ignore_changes = [tags] }\n  dynamic \"x\" {\n    for_each = var.l\n    content {\n      v = x.value\n    }\n  }\n}\nempty {}\n",
    );
    let r = &body.blocks[0];
    assert_eq!(r.body.blocks.len(), 2);
    assert_eq!(r.body.blocks[0].body.attributes[0].name, "ignore_changes");
    assert_eq!(r.body.blocks[1].body.blocks[0].kind, "content");
    assert_eq!(body.blocks[1].kind, "empty");
}

#[test]
fn newlines_end_attributes_but_not_inside_brackets() {
    let body = ok("a = foo(\n 1,\n 2)\nb = [\n 1 +\n 2\n]\nc = (\n1\n+ 2)\n");
    assert_eq!(body.attributes.len(), 3);
    let parsed = parse("a = 1 +\n2\n");
    assert!(
        !parsed.errors.is_empty(),
        "an operator cannot continue on the next line"
    );
}

#[test]
fn recovers_after_a_broken_block() {
    let text = "resource \"a\" \"one\" {\n  x = 1\n}\n\nresource \"a\" \"two\" {\n  y = = 2\n  z = [1, 2,, 3]\n  ok = true\n}\n\nresource \"a\" \"three\" {\n  w = 3\n}\n";
    let parsed = parse(text);
    let names: Vec<_> = parsed
        .body
        .blocks
        .iter()
        .map(|b| b.labels[1].0.as_str())
        .collect();
    assert_eq!(names, vec!["one", "two", "three"]);
    let two = &parsed.body.blocks[1].body;
    assert!(two.attribute("ok").is_some(), "{two:?}");
    let first = &parsed.errors[0];
    assert_eq!(first.range.start as usize, text.find("= 2").unwrap());
    assert!(
        first.message.contains("expected an expression"),
        "{}",
        first.message
    );
    assert_eq!(parsed.errors.len(), 2, "{:?}", parsed.errors);
}

#[test]
fn missing_closing_brace_is_reported_where_the_next_block_starts() {
    let text = "resource \"a\" \"one\" {\n  x = 1\n\nresource \"a\" \"two\" {\n  y = 2\n}\n";
    let parsed = parse(text);
    assert_eq!(parsed.body.blocks.len(), 2);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(
        parsed.errors[0].message,
        "expected `}` to close block `resource` opened at line 1"
    );
    assert_eq!(
        parsed.errors[0].range.start as usize,
        text.find("resource \"a\" \"two\"").unwrap()
    );
    assert_eq!(
        parsed.body.blocks[0].range.slice(text),
        Some("resource \"a\" \"one\" {\n  x = 1")
    );

    let parsed = parse("a {\n b {\n  c = 1\n");
    let msgs: Vec<_> = parsed.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs,
        vec![
            "expected `}` to close block `b` opened at line 2",
            "expected `}` to close block `a` opened at line 1"
        ]
    );
}

#[test]
fn garbage_lines_are_skipped() {
    let parsed = parse("a = 1\n@@@ what\n} stray\nb = \"x\n c = 2\nd = 4\n");
    let names: Vec<_> = parsed
        .body
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, vec!["a", "b", "c", "d"]);
    assert!(parsed.errors.len() >= 3, "{:?}", parsed.errors);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for (open, close) in [("[", "]"), ("{", "}"), ("(", ")"), ("!", ""), ("-", "")] {
        let text = format!("x = {}1{}\ny = 2\n", open.repeat(5000), close.repeat(5000));
        let parsed = parse(&text);
        assert!(
            parsed
                .errors
                .iter()
                .any(|e| e.message.contains("nested too deeply")),
            "{open}"
        );
        assert!(
            parsed.body.attribute("y").is_some(),
            "{open}: {:?}",
            parsed.errors
        );
        let unclosed = format!("x = {}", open.repeat(5000));
        assert!(!parse(&unclosed).errors.is_empty());
    }
    let blocks = format!("{}{}", "a {\n".repeat(5000), "}\n".repeat(5000));
    let parsed = parse(&blocks);
    assert!(
        parsed
            .errors
            .iter()
            .any(|e| e.message.contains("nested too deeply"))
    );
    let strings = format!("x = {}", "\"${".repeat(3000));
    assert!(!parse(&strings).errors.is_empty());
    let directives = format!("x = \"{}\"", "%{if a}".repeat(3000));
    assert!(!parse(&directives).errors.is_empty());
}

#[test]
fn long_chains_are_bounded_like_nesting() {
    for text in [
        format!("x = a{}\ny = 2\n", ".b".repeat(1_000_000)),
        format!("x = a{}\ny = 2\n", "[0]".repeat(1_000_000)),
        format!("x = a[*]{}\ny = 2\n", ".b".repeat(1_000_000)),
        format!("x = 1{}\ny = 2\n", " + 1".repeat(1_000_000)),
    ] {
        let parsed = parse(&text);
        assert!(
            parsed
                .errors
                .iter()
                .any(|e| e.message.contains("nested too deeply"))
        );
        assert!(parsed.body.attribute("y").is_some());
    }
    assert!(
        parse(&format!("x = a{}\n", ".b".repeat(100)))
            .errors
            .is_empty()
    );
}

#[test]
fn many_errors_stay_linear() {
    let started = std::time::Instant::now();
    let parsed = parse(&"x = [1 1]\nresource \"a\" {\n".repeat(200_000));
    assert_eq!(parsed.errors.len(), 100);
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn huge_single_line_finishes_fast() {
    let started = std::time::Instant::now();
    let text = format!("x = {}", "[".repeat(50_000_000));
    assert!(!parse(&text).errors.is_empty());
    let text = format!("x = [{}]", "1,".repeat(5_000_000));
    assert!(parse(&text).errors.is_empty());
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

const SAMPLE: &str = r#"
# A realistic file with every construct.
terraform {
  required_providers {
    netbox = { source = "e-breuninger/netbox", version = ">= 3.0" }
  }
}

variable "cams" {
  type    = map(object({ model = string, vlan = number }))
  default = {}
}

locals {
  site   = "hq-${var.region}"
  vlans  = [for k, c in var.cams : c.vlan if c.vlan > 0]
  byzone = { for k, c in var.cams : c.zone => k... }
  motd   = <<-EOT
    Site: ${local.site}
    %{ for v in local.vlans ~}
    vlan ${v}
    %{ endfor ~}
  EOT
}

resource "netbox_device" "cam" {
  for_each = var.cams
  name     = "${local.site}-${each.key}"
  role_id  = each.value.vlan == 0 ? 1 : (2 * 3) % 4
  tags     = concat(["cctv"], try(each.value.tags, []))
  ids      = netbox_prefix.p[*].id
  legacy   = netbox_prefix.p.*.id[0]
  neg      = !true && -1 < 2
  /* a comment */
}
"#;

#[test]
fn sample_parses_cleanly() {
    let body = ok(SAMPLE);
    assert_eq!(body.blocks.len(), 4);
}

#[test]
fn truncation_at_every_offset_never_panics() {
    for end in 0..=SAMPLE.len() {
        if let Some(prefix) = SAMPLE.get(..end) {
            let parsed = parse(prefix);
            for e in &parsed.errors {
                assert!(e.range.start <= e.range.end && e.range.end as usize <= prefix.len());
            }
        }
        if let Some(suffix) = SAMPLE.get(end..) {
            parse(suffix);
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    // A small deterministic generator: no extra dependency for fuzzing.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet: Vec<char> = "ab_-01.9 \n\t\"'\\${}%~[]()<>=!&|+*/#,:?EOT\u{e9}\r"
        .chars()
        .collect();
    for _ in 0..3000 {
        let len = (state % 64) as usize;
        let mut s = String::new();
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            s.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        let parsed = parse(&s);
        for e in &parsed.errors {
            assert!(e.range.end as usize <= s.len(), "{s:?}");
        }
        let _ = format!("{:?}", parsed.body);
        let _ = parse(&format!("x = {s}\n"));
        let _ = parse(&format!("x = \"{s}\"\n"));
    }
}

#[test]
fn tricky_but_valid_forms() {
    let text = "a = \"${lookup(m, \"}\")}-${x ? \"y\" : \"z\"}\"\r\nb = <<EOT\r\nline\r\nEOT\r\nc = {\n  # comment between items\n  k = 1, // trailing\n\n  l = [\n    for x in y :\n    x\n  ]\n}\nresource aws_instance \"x\" { count = 2 }\nd = e.f[*]\n";
    let body = ok(text);
    let names: Vec<_> = body.attributes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, vec!["a", "b", "c", "d"]);
    let ExprKind::Template(parts) = &body.attributes[0].expr.kind else {
        panic!()
    };
    assert_eq!(parts.len(), 3);
    assert_eq!(body.attributes[1].expr.as_str(), Some("line\r\n"));
    assert_eq!(body.blocks[0].labels[0].0, "aws_instance");
}
