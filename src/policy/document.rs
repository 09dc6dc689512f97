//! The inventory document: what `camlint inventory --format json` prints
//! (schema: `docs/inventory-schema.md`) and exactly what Rego policies
//! receive as `input`.
//!
//! It lives beside evaluation rather than with the reporters because Rego
//! rules run during evaluation, before there is anything to report; the
//! inventory command prints the same value afterwards. It reads the
//! analysis' inventory and identities, never its findings.

use serde_json::{Value, json};

use crate::model::Span;
use crate::policy::{Analysis, Policy};
use crate::report::location_of;

/// Version of the inventory document; bumped only for breaking changes.
pub const INVENTORY_VERSION: u32 = 1;

/// The kept devices (indices into the inventory) in the order the document
/// lists them: by file, then position, then name.
pub fn device_order(analysis: &Analysis) -> Vec<usize> {
    let inv = &analysis.inventory;
    let mut order: Vec<usize> = (0..inv.devices.len())
        .filter(|&d| analysis.kept.get(d).copied().unwrap_or(false))
        .collect();
    order.sort_by_cached_key(|&d| {
        let dev = inv.devices.get(d);
        let span = dev.map(|x| x.span).unwrap_or_default();
        let path = inv.file(span).map(|f| f.display_path()).unwrap_or_default();
        (path, span.start, dev.map(|x| x.name.clone()))
    });
    order
}

/// The inventory document (schema: `docs/inventory-schema.md`).
pub fn document(analysis: &Analysis, policy: &Policy, scanned_files: usize) -> InventoryDocument {
    let inv = &analysis.inventory;
    let order = device_order(analysis);
    let devices: Vec<Value> = order
        .iter()
        .filter_map(|&d| device(d, analysis, policy))
        .collect();
    let networks: Vec<Value> = inv
        .networks
        .iter()
        .map(|n| {
            let mut v = to_json(crate::policy::eval::network_value(n, inv));
            if let Value::Object(m) = &mut v {
                m.remove("via");
                m.insert("location".into(), place(inv, n.net.span));
                let why_at = n.why.as_ref().filter(|_| n.sensitive).map(|w| w.span);
                m.insert(
                    "why_location".into(),
                    why_at.map_or(Value::Null, |s| place(inv, s)),
                );
            }
            v
        })
        .collect();
    let diagnostics: Vec<Value> = inv
        .diagnostics
        .iter()
        .map(|d| {
            let loc = location_of(inv, d.span);
            json!({"rule": d.rule, "message": d.message, "file": loc.file, "line": loc.line})
        })
        .collect();
    let count = |key: &str| {
        devices
            .iter()
            .filter(|d| at(d, key).as_bool().unwrap_or(false))
            .count()
    };
    let summary = json!({
        "files": scanned_files,
        "devices": devices.len(),
        "networks": networks.len(),
        "restricted": count("restricted"),
        "on_sensitive_network": count("on_sensitive_network"),
    });
    InventoryDocument {
        version: INVENTORY_VERSION,
        summary,
        devices,
        networks,
        diagnostics,
    }
}

/// The inventory document. A struct, so its top level prints in this
/// order; the objects inside print their keys sorted.
#[derive(Debug, serde::Serialize)]
pub struct InventoryDocument {
    pub version: u32,
    pub summary: Value,
    pub devices: Vec<Value>,
    pub networks: Vec<Value>,
    pub diagnostics: Vec<Value>,
}

fn to_json(v: hcl::Value) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// A place as `{file, line, column}`.
fn place(inv: &crate::resolve::Inventory, span: Span) -> Value {
    let loc = location_of(inv, span);
    json!({"file": loc.file, "line": loc.line, "column": loc.column})
}

fn device(d: usize, analysis: &Analysis, policy: &Policy) -> Option<Value> {
    let inv = &analysis.inventory;
    let dev = inv.devices.get(d)?;
    let identity = analysis.identities.get(d)?;
    let mut v = to_json(crate::policy::eval::device_value(d, identity, inv, policy));
    let Value::Object(m) = &mut v else {
        return None;
    };
    m.insert(
        "location".into(),
        serde_json::to_value(location_of(inv, dev.span)).unwrap_or(Value::Null),
    );
    let attachments: Vec<Value> = inv
        .attachments_of(d)
        .iter()
        .filter_map(|a| {
            let n = inv.networks.get(a.network)?;
            let why = n.why.as_ref().filter(|_| n.sensitive);
            Some(json!({
                "network": n.net.name,
                "sensitive": n.sensitive,
                "why": why.map(|w| w.text.clone()),
                "via": a.via(inv),
                "location": place(inv, a.span),
            }))
        })
        .collect();
    m.insert("attachments".into(), Value::Array(attachments));
    let evidence: Vec<Value> = identity
        .evidence
        .iter()
        .map(|e| {
            let loc = location_of(inv, e.span);
            json!({
                "signal": e.signal,
                "value": e.value,
                "vendor": crate::policy::eval::maker_label(&e.maker, policy),
                "tier": e.tier,
                "detail": e.detail,
                "file": loc.file,
                "line": loc.line,
                "column": loc.column,
            })
        })
        .collect();
    m.insert("evidence".into(), Value::Array(evidence));
    m.insert(
        "kind_evidence".into(),
        identity.kind_evidence.as_ref().map_or(Value::Null, |e| {
            let (value, span) = &**e;
            let loc = location_of(inv, *span);
            json!({"value": value, "file": loc.file, "line": loc.line})
        }),
    );
    Some(v)
}

/// A member of a JSON object, or null.
fn at<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}
