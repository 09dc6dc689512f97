//! Values produced by evaluation, with first-class unknowns.
//!
//! Terraform knows many values only after apply (resource ids), or not at
//! all in a static scan (variables without a default). Such a value is an
//! [`Value::Unknown`] carrying *why*, so a finding can say "the VLAN is
//! `var.vlan`, which has no value" instead of silently guessing. Errors
//! (a missing attribute, `"a" * 2`) are unknowns too, of kind
//! [`UnknownKind::Error`], which is what lets `try()` and `can()` tell them
//! apart from values that merely come later. Maps use `BTreeMap` because
//! Terraform orders map keys lexically.

use std::collections::BTreeMap;

use super::TextRange;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// Lists, tuples and sets alike.
    List(Vec<Value>),
    /// Maps and objects alike.
    Object(BTreeMap<String, Value>),
    Unknown(Unknown),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownKind {
    /// The value exists but is not in the files: known after apply, a
    /// variable without a value, a scope that does not know the root.
    Deferred,
    /// The expression would fail in Terraform.
    Error,
    /// camlint does not evaluate this (an unsupported function).
    Unsupported,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    pub kind: UnknownKind,
    /// Why, for messages: "netbox_device_type.t1.id is known only after apply".
    pub reason: String,
    /// The expression that made it unknown, when there is one.
    pub range: Option<TextRange>,
    /// The resource instance (`module.a.netbox_device_type.t["x"]`) whose
    /// attribute this is, when it is one that is known only after apply:
    /// lets a reference such as `device_type_id = var.type_id` be followed
    /// to the resource it came from, across modules and instance keys.
    pub resource: Option<String>,
}

impl Value {
    /// An unknown that is known only after apply (or otherwise later).
    pub fn deferred(reason: impl Into<String>) -> Value {
        Value::Unknown(Unknown {
            kind: UnknownKind::Deferred,
            reason: reason.into(),
            range: None,
            resource: None,
        })
    }

    /// An attribute of a resource instance that is known only after apply.
    pub fn after_apply(address: &str, attr: &str) -> Value {
        Value::Unknown(Unknown {
            kind: UnknownKind::Deferred,
            reason: [address, ".", attr, " is known only after apply"].concat(),
            range: None,
            resource: Some(address.to_string()),
        })
    }

    pub fn error(reason: impl Into<String>, range: TextRange) -> Value {
        Value::Unknown(Unknown {
            kind: UnknownKind::Error,
            reason: reason.into(),
            range: Some(range),
            resource: None,
        })
    }

    pub fn unsupported(reason: impl Into<String>, range: TextRange) -> Value {
        Value::Unknown(Unknown {
            kind: UnknownKind::Unsupported,
            reason: reason.into(),
            range: Some(range),
            resource: None,
        })
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Known all the way down.
    pub fn is_known(&self) -> bool {
        self.first_unknown().is_none()
    }

    /// The first unknown inside, depth first, to explain why a whole value
    /// is unknown.
    pub fn first_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            Value::List(items) => items.iter().find_map(Value::first_unknown),
            Value::Object(map) => map.values().find_map(Value::first_unknown),
            _ => None,
        }
    }

    /// Terraform's type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Unknown(_) => "unknown",
        }
    }

    /// How a value reads in a message: strings bare, numbers without a
    /// needless `.0`, collections in HCL-like form, unknowns as
    /// `(known after apply)`, `(invalid)` or `(not evaluated)`.
    pub fn to_display(&self) -> String {
        match self {
            Value::String(s) => s.clone(),
            other => {
                let mut out = String::new();
                write_display(other, &mut out);
                out
            }
        }
    }

    /// JSON for reports and `jsonencode`; unknowns become `null`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null | Value::Unknown(_) => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Object(map) => serde_json::Value::Object(
                map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect(),
            ),
        }
    }

    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Integers print without a fraction (`8080`, not `8080.0`), as Terraform
/// prints them.
pub fn format_number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn number_to_json(n: f64) -> serde_json::Value {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

fn write_display(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_number(*n)),
        Value::String(s) => {
            out.push_str(&serde_json::Value::String(s.clone()).to_string());
        }
        Value::Unknown(u) => out.push_str(match u.kind {
            UnknownKind::Deferred => "(known after apply)",
            UnknownKind::Error => "(invalid)",
            UnknownKind::Unsupported => "(not evaluated)",
        }),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_display(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                out.push_str(if i > 0 { ", " } else { " " });
                out.push_str(k);
                out.push_str(" = ");
                write_display(item, out);
            }
            out.push_str(if map.is_empty() { "}" } else { " }" });
        }
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

    #[test]
    fn display_and_json() {
        let mut m = BTreeMap::new();
        m.insert("b".to_string(), Value::Number(2.0));
        m.insert("a".to_string(), Value::String("x".into()));
        let v = Value::List(vec![Value::Number(1.5), Value::Object(m), Value::Null]);
        assert_eq!(v.to_display(), r#"[1.5, { a = "x", b = 2 }, null]"#);
        assert_eq!(v.to_json().to_string(), r#"[1.5,{"a":"x","b":2},null]"#);
        assert_eq!(Value::String("plain".into()).to_display(), "plain");
        assert_eq!(Value::Number(8080.0).to_display(), "8080");
        assert_eq!(Value::deferred("later").to_display(), "(known after apply)");
        assert_eq!(
            Value::error("bad", TextRange::default()).to_display(),
            "(invalid)"
        );
    }

    #[test]
    fn known_is_deep() {
        let v = Value::List(vec![
            Value::Number(1.0),
            Value::deferred("x is known only after apply"),
        ]);
        assert!(!v.is_known());
        assert_eq!(
            v.first_unknown().map(|u| u.reason.as_str()),
            Some("x is known only after apply")
        );
        assert!(Value::List(vec![Value::Null]).is_known());
    }
}
