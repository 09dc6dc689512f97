//! Tests of evaluation: scope lookups, operators, templates, `for`,
//! splats, and how unknowns and errors travel.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;

use super::*;

fn scope() -> BTreeMap<String, Value> {
    let json = serde_json::json!({
        "var": {
            "site": "hq",
            "vlan": 40,
            "cams": {"a": {"vlan": 10, "zone": "ops"}, "b": {"vlan": 0, "zone": "ops"}, "c": {"vlan": 30, "zone": "iot"}},
            "list": ["x", "y"],
            "port": "8080",
            "flag": true,
        },
        "local": {"prefix": "10.0.0.0/16", "objs": [{"id": 1, "name": "n1"}, {"id": 2, "name": "n2"}]},
    });
    let mut scope: BTreeMap<String, Value> = match Value::from_json(&json) {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    let mut t1 = BTreeMap::new();
    t1.insert(
        "id".to_string(),
        Value::deferred("netbox_device_type.t1.id is known only after apply"),
    );
    t1.insert("model".to_string(), Value::String("DS-2CD2143G2-I".into()));
    let mut types = BTreeMap::new();
    types.insert("t1".to_string(), Value::Object(t1));
    scope.insert("netbox_device_type".into(), Value::Object(types));
    if let Some(Value::Object(var)) = scope.get_mut("var") {
        var.insert(
            "missing".into(),
            Value::deferred("var.missing has no value"),
        );
    }
    scope
}

fn ev(text: &str) -> Value {
    let parsed = parse(&format!("x = {text}\n"));
    assert!(parsed.errors.is_empty(), "{text}: {:?}", parsed.errors);
    eval(&parsed.body.attributes[0].expr, &scope())
}

fn s(x: &str) -> Value {
    Value::String(x.into())
}

fn unknown_reason(v: &Value) -> (UnknownKind, String) {
    match v {
        Value::Unknown(u) => (u.kind, u.reason.clone()),
        other => panic!("expected unknown, got {other:?}"),
    }
}

#[test]
fn literals_and_traversals() {
    assert_eq!(ev("null"), Value::Null);
    assert_eq!(ev("1.5e1"), Value::Number(15.0));
    assert_eq!(ev("var.site"), s("hq"));
    assert_eq!(ev("var.cams.a.vlan"), Value::Number(10.0));
    assert_eq!(ev("var.cams[\"c\"].zone"), s("iot"));
    assert_eq!(ev("var.list[1]"), s("y"));
    assert_eq!(ev("var.list.0"), s("x"));
    assert_eq!(ev("netbox_device_type.t1.model"), s("DS-2CD2143G2-I"));
}

#[test]
fn operators_follow_terraform() {
    assert_eq!(ev("1 + 2 * 3"), Value::Number(7.0));
    assert_eq!(
        ev("var.port + 1"),
        Value::Number(8081.0),
        "numeric strings convert"
    );
    assert_eq!(
        ev("\"1\" == 1"),
        Value::Bool(false),
        "no conversion for equality"
    );
    assert_eq!(ev("[1, \"a\"] == [1, \"a\"]"), Value::Bool(true));
    assert_eq!(ev("7 % 3"), Value::Number(1.0));
    assert_eq!(ev("-var.vlan"), Value::Number(-40.0));
    assert_eq!(ev("!var.flag || false"), Value::Bool(false));
    assert_eq!(ev("3 >= 3 && 2 < 1"), Value::Bool(false));
    assert_eq!(ev("var.vlan > 10 ? \"big\" : \"small\""), s("big"));
    assert_eq!(unknown_reason(&ev("1 / 0")).0, UnknownKind::Error);
    assert_eq!(unknown_reason(&ev("\"a\" * 2")).0, UnknownKind::Error);
}

#[test]
fn templates() {
    assert_eq!(ev("\"${var.site}-cam-${var.vlan}\""), s("hq-cam-40"));
    assert_eq!(
        ev("\"${var.list}\""),
        Value::List(vec![s("x"), s("y")]),
        "a lone interpolation keeps its type"
    );
    assert_eq!(ev("\"%{ for v in var.list }${v};%{ endfor }\""), s("x;y;"));
    assert_eq!(ev("\"%{ if var.flag }on%{ else }off%{ endif }\""), s("on"));
    assert_eq!(
        unknown_reason(&ev("\"${var.list}!\"")).0,
        UnknownKind::Error
    );
}

#[test]
fn for_expressions_and_splats() {
    assert_eq!(
        ev("[for k, c in var.cams : upper(k) if c.vlan > 0]"),
        Value::List(vec![s("A"), s("C")])
    );
    let grouped = ev("{ for k, c in var.cams : c.zone => k... }");
    assert_eq!(grouped.to_display(), r#"{ iot = ["c"], ops = ["a", "b"] }"#);
    assert_eq!(
        ev("{ for i, v in var.list : v => i }").to_display(),
        "{ x = 0, y = 1 }"
    );
    assert_eq!(
        unknown_reason(&ev("{ for k, c in var.cams : c.zone => k }")).0,
        UnknownKind::Error
    );
    assert_eq!(
        ev("local.objs[*].name"),
        Value::List(vec![s("n1"), s("n2")])
    );
    assert_eq!(
        ev("local.objs.*.id"),
        Value::List(vec![Value::Number(1.0), Value::Number(2.0)])
    );
    assert_eq!(ev("var.site[*]"), Value::List(vec![s("hq")]));
    assert_eq!(ev("null[*]"), Value::List(vec![]));
}

#[test]
fn unknowns_propagate_with_their_reason() {
    let (kind, reason) = unknown_reason(&ev("netbox_device_type.t1.id"));
    assert_eq!(kind, UnknownKind::Deferred);
    assert_eq!(reason, "netbox_device_type.t1.id is known only after apply");
    for text in [
        "\"id-${netbox_device_type.t1.id}\"",
        "netbox_device_type.t1.id + 1",
        "upper(netbox_device_type.t1.id)",
        "netbox_device_type.t1.id.foo",
        "netbox_device_type.t1.id == 3",
        "netbox_device_type.t1.id ? 1 : 2",
        "[for x in netbox_device_type.t1.id : x]",
    ] {
        assert_eq!(
            unknown_reason(&ev(text)).1,
            "netbox_device_type.t1.id is known only after apply",
            "{text}"
        );
    }
    assert_eq!(
        unknown_reason(&ev("var.missing")).1,
        "var.missing has no value"
    );
    assert!(!ev("[var.missing, 1]").is_known());
    assert_eq!(ev("length([var.missing, 1])"), Value::Number(2.0));
    assert_eq!(ev("false && var.missing"), Value::Bool(false));
    assert_eq!(ev("true || var.missing"), Value::Bool(true));
    let (kind, reason) = unknown_reason(&ev("data.x.y"));
    assert_eq!(
        (kind, reason.as_str()),
        (UnknownKind::Deferred, "data is not known in this scan")
    );
    let (kind, reason) = unknown_reason(&ev("var.cams.z"));
    assert_eq!(
        (kind, reason.as_str()),
        (UnknownKind::Error, "var.cams has no attribute \"z\"")
    );
    let (kind, reason) = unknown_reason(&ev("provider::terraform::decode_tfvars(\"a\")"));
    assert_eq!(
        (kind, reason.as_str()),
        (
            UnknownKind::Unsupported,
            "function provider::terraform::decode_tfvars is not supported"
        )
    );
}

#[test]
fn unknowns_carry_a_range() {
    let text = "x = upper(var.missing)\n";
    let parsed = parse(text);
    let v = eval(&parsed.body.attributes[0].expr, &scope());
    let Value::Unknown(u) = v else { panic!() };
    assert_eq!(u.range.and_then(|r| r.slice(text)), Some("var.missing"));
}

#[test]
fn try_and_can() {
    assert_eq!(ev("try(var.cams.z.vlan, 5)"), Value::Number(5.0));
    assert_eq!(ev("try(var.cams.a.vlan, 5)"), Value::Number(10.0));
    assert_eq!(ev("can(var.cams.z)"), Value::Bool(false));
    assert_eq!(ev("can(regex(\"^hq\", var.site))"), Value::Bool(true));
    assert!(
        !ev("try(netbox_device_type.t1.id, 5)").is_known(),
        "a value known later is not replaced by the fallback"
    );
}

#[test]
fn calls_expand_and_compose() {
    assert_eq!(ev("max([3, 9, 2]...)"), Value::Number(9.0));
    assert_eq!(
        ev("cidrsubnet(local.prefix, 8, var.vlan)"),
        s("10.0.40.0/24")
    );
    assert_eq!(ev("join(\"-\", [for v in var.list : upper(v)])"), s("X-Y"));
    assert_eq!(ev("format(\"%s-%02d\", var.site, 7)"), s("hq-07"));
}

#[test]
fn deeply_nested_expressions_evaluate_without_crashing() {
    let text = format!("x = {}1{}\n", "[".repeat(120), "]".repeat(120));
    let parsed = parse(&text);
    assert!(eval(&parsed.body.attributes[0].expr, &EmptyScope).is_known());
    let text = format!("x = {}1\n", "-".repeat(127));
    let parsed = parse(&text);
    assert_eq!(
        eval(&parsed.body.attributes[0].expr, &EmptyScope),
        Value::Number(-1.0)
    );
}
