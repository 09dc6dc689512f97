//! Runs the rules over the inventory and produces findings.
//!
//! Identification runs once per device (in parallel); each device's
//! `device` object is built once and reused for every rule and attachment.
//! An attachment rule reports a device at most once, on its first matching
//! network (explicit links come before CIDR joins, specific prefixes before
//! wide ones), so one camera is one finding however many networks contain it.

use hcl::eval::{Context, Evaluate};
use hcl::{Map, Value};
use rayon::prelude::*;

use super::Policy;
use super::rules::{RuleScope, RuleSpec, SeveritySpec};
use crate::intel::{Identity, Maker, identify};
use crate::model::{Diagnostic, Severity, Signal, Span, format_mac, parse_mac};
use crate::resolve::{Attachment, Inventory};

/// A secondary place a finding points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub label: String,
}

/// One reported problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub device: Option<usize>,
    pub network: Option<usize>,
    pub related: Vec<Related>,
    pub help: Option<String>,
}

/// The result of a run: the inventory, what each device is, what was found.
#[derive(Debug)]
pub struct Analysis {
    pub inventory: Inventory,
    pub identities: Vec<Identity>,
    /// False for candidate devices nothing identified (a port described
    /// "desk 25"): they are not devices worth listing or judging.
    pub kept: Vec<bool>,
    pub findings: Vec<Finding>,
}

/// Evaluates every rule. `today` decides `enforce_from`.
pub fn evaluate(policy: &Policy, inventory: Inventory, today: jiff::civil::Date) -> Analysis {
    let identities: Vec<Identity> = inventory
        .devices
        .par_iter()
        .map(|d| identify(d, &policy.vendors, &policy.kinds))
        .collect();
    let kept: Vec<bool> = inventory
        .devices
        .iter()
        .zip(&identities)
        .map(|(d, id)| {
            !d.candidate || id.has_vendor_signal() || id.model.is_some() || id.kind != "unknown"
        })
        .collect();

    let networks: Vec<Value> = inventory
        .networks
        .iter()
        .map(|n| network_value(n, &inventory))
        .collect();

    let device_rules: Vec<&RuleSpec> = policy
        .rules
        .iter()
        .filter(|r| r.scope == RuleScope::Device)
        .collect();
    let attach_rules: Vec<&RuleSpec> = policy
        .rules
        .iter()
        .filter(|r| r.scope == RuleScope::Attachment)
        .collect();
    let base = super::rules::base_context();

    let mut findings: Vec<Finding> = (0..inventory.devices.len())
        .into_par_iter()
        .filter(|&d| kept.get(d).copied().unwrap_or(false))
        .flat_map_iter(|d| {
            let mut out = Vec::new();
            let Some(identity) = identities.get(d) else {
                return out;
            };
            let dv = device_value(d, identity, &inventory, policy);
            let mut ctx = base.clone();
            ctx.declare_var("device", dv);
            for rule in &device_rules {
                if condition_holds(rule, &ctx) {
                    out.push(finding(
                        rule, &ctx, d, None, identity, &inventory, policy, today,
                    ));
                }
            }
            let attachments: Vec<&Attachment> = inventory.attachments_of(d).collect();
            for rule in &attach_rules {
                for a in &attachments {
                    let Some(nv) = networks.get(a.network) else {
                        continue;
                    };
                    let mut nv = nv.clone();
                    if let Value::Object(m) = &mut nv {
                        m.insert("via".into(), Value::String(a.via.clone()));
                    }
                    ctx.declare_var("network", nv);
                    if condition_holds(rule, &ctx) {
                        out.push(finding(
                            rule,
                            &ctx,
                            d,
                            Some(a),
                            identity,
                            &inventory,
                            policy,
                            today,
                        ));
                        break;
                    }
                }
            }
            out
        })
        .collect();

    for diag in &inventory.diagnostics {
        findings.push(diagnostic_finding(diag, policy));
    }
    findings.sort_by(|a, b| sort_key(a, &inventory).cmp(&sort_key(b, &inventory)));
    Analysis {
        inventory,
        identities,
        kept,
        findings,
    }
}

fn sort_key(f: &Finding, inv: &Inventory) -> (String, u32, String, Option<usize>) {
    let path = inv
        .file(f.span)
        .map(|f| f.display_path())
        .unwrap_or_default();
    (path, f.span.start, f.rule.clone(), f.device)
}

fn condition_holds(rule: &RuleSpec, ctx: &Context) -> bool {
    match &rule.condition {
        Some((cond, _)) => matches!(cond.evaluate(ctx), Ok(Value::Bool(true))),
        None => false,
    }
}

fn diagnostic_finding(diag: &Diagnostic, policy: &Policy) -> Finding {
    let rule = policy.rule(diag.rule);
    let severity = match rule.map(|r| &r.severity) {
        Some(SeveritySpec::Fixed(s)) => *s,
        _ => diag.severity,
    };
    Finding {
        rule: diag.rule.to_string(),
        severity,
        message: diag.message.clone(),
        span: diag.span,
        device: None,
        network: None,
        related: Vec::new(),
        help: diag
            .help
            .clone()
            .or_else(|| rule.and_then(|r| r.help.clone())),
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    rule: &RuleSpec,
    ctx: &Context,
    device: usize,
    attachment: Option<&Attachment>,
    identity: &Identity,
    inv: &Inventory,
    policy: &Policy,
    today: jiff::civil::Date,
) -> Finding {
    let mut severity = match &rule.severity {
        SeveritySpec::Fixed(s) => *s,
        SeveritySpec::Expr(e, _) => match e.evaluate(ctx) {
            Ok(Value::String(s)) => Severity::parse(&s).unwrap_or(Severity::Error),
            _ => Severity::Error,
        },
    };
    let mut message = match &rule.message {
        Some((m, _)) => match m.evaluate(ctx) {
            Ok(Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(e) => format!("{} (message could not be rendered: {e})", rule.summary),
        },
        None => rule.summary.clone(),
    };
    if let Some(from) = rule.enforce_from
        && today < from
        && severity == Severity::Error
    {
        severity = Severity::Warning;
        message.push_str(&format!(
            " (reported as a warning until {from}, when it becomes an error)"
        ));
    }
    let Some(dev) = inv.devices.get(device) else {
        return Finding {
            rule: rule.id.clone(),
            severity,
            message,
            span: Span::default(),
            device: Some(device),
            network: None,
            related: Vec::new(),
            help: rule.help.clone(),
        };
    };
    let mut related = Vec::new();
    for (span, label) in &dev.trail {
        related.push(Related {
            span: *span,
            label: label.clone(),
        });
    }
    let winner = identity.maker.as_ref();
    for e in identity
        .evidence
        .iter()
        .filter(|e| Some(&e.maker) == winner)
        .take(3)
    {
        related.push(Related {
            span: e.span,
            label: format!(
                "{} evidence: {}",
                maker_label(&e.maker, policy),
                evidence_words(e)
            ),
        });
    }
    if let Some((a, b)) = &identity.conflict {
        related.push(Related {
            span: b.span,
            label: format!(
                "but {} says {} (not {})",
                b.signal,
                maker_label(&b.maker, policy),
                maker_label(&a.maker, policy)
            ),
        });
    }
    let mut network = None;
    if let Some(a) = attachment {
        network = Some(a.network);
        if a.span != dev.span {
            related.push(Related {
                span: a.span,
                label: format!("attached: {}", a.via),
            });
        }
        if let Some(n) = inv.networks.get(a.network)
            && let Some(why) = &n.why
            && n.sensitive
        {
            related.push(Related {
                span: why.span,
                label: format!("{} is sensitive: {}", n.net.name, why.text),
            });
        }
    }
    Finding {
        rule: rule.id.clone(),
        severity,
        message,
        span: dev.span,
        device: Some(device),
        network,
        related,
        help: rule.help.clone(),
    }
}

fn evidence_words(e: &crate::intel::Evidence) -> String {
    match e.signal {
        "mac-oui" => format!("MAC OUI {} ({})", e.value, e.detail),
        "manufacturer" => format!("manufacturer \"{}\"", e.value),
        "model" | "model-number" => format!("model number {}", e.value),
        other => format!("{other} mentions \"{}\"", e.value),
    }
}

/// A maker's display name.
pub fn maker_label(m: &Maker, policy: &Policy) -> String {
    match m {
        Maker::Known(i) => policy
            .vendors
            .get(*i)
            .map(|v| v.name.clone())
            .unwrap_or_default(),
        Maker::Other(s) => s.clone(),
    }
}

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

fn list(items: impl IntoIterator<Item = String>) -> Value {
    Value::Array(items.into_iter().map(Value::String).collect())
}

/// The `device` object rules see.
pub fn device_value(d: usize, identity: &Identity, inv: &Inventory, policy: &Policy) -> Value {
    let mut m = Map::new();
    let Some(dev) = inv.devices.get(d) else {
        return Value::Object(m);
    };
    let (
        vendor,
        vendor_name,
        maker,
        maker_name,
        relation,
        confidence,
        restricted_by,
        makes_cameras,
    ) = match &identity.maker {
        Some(Maker::Known(i)) => {
            let v = policy.vendors.get(*i);
            let g = policy.vendors.get(policy.vendors.group_of(*i));
            let makes_cameras = [v, g]
                .iter()
                .flatten()
                .any(|x| x.kinds.iter().any(|k| policy.kinds.is_surveillance(k)));
            (
                v.map(|v| v.id.clone()).unwrap_or_default(),
                v.map(|v| v.name.clone()).unwrap_or_default(),
                g.map(|g| g.id.clone()).unwrap_or_default(),
                g.map(|g| g.name.clone()).unwrap_or_default(),
                v.map(|v| v.relation.as_str()).unwrap_or("maker"),
                v.map(|v| v.confidence.as_str()).unwrap_or("high"),
                policy.restricted_by(*i),
                makes_cameras,
            )
        }
        Some(Maker::Other(name)) => (
            name.to_lowercase(),
            name.clone(),
            name.to_lowercase(),
            name.clone(),
            "maker",
            "high",
            Vec::new(),
            false,
        ),
        None => (
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "maker",
            "high",
            Vec::new(),
            false,
        ),
    };
    let is_camera = policy.kinds.is_surveillance(&identity.kind)
        || (identity.kind == "unknown" && makes_cameras);
    let attachments: Vec<&Attachment> = inv.attachments_of(d).collect();
    let net_names: Vec<String> = attachments
        .iter()
        .filter_map(|a| inv.networks.get(a.network))
        .map(|n| n.net.name.clone())
        .collect();
    let sensitive: Vec<String> = attachments
        .iter()
        .filter_map(|a| inv.networks.get(a.network))
        .filter(|n| n.sensitive)
        .map(|n| n.net.name.clone())
        .collect();
    let macs: Vec<String> = dev
        .facts_of(Signal::Mac)
        .map(|f| {
            parse_mac(&f.value)
                .map(format_mac)
                .unwrap_or_else(|| f.value.clone())
        })
        .collect();
    let addresses: Vec<String> = dev
        .facts_of(Signal::Address)
        .map(|f| f.value.clone())
        .collect();
    let mut signals: Vec<String> = identity
        .evidence
        .iter()
        .map(|e| e.signal.to_string())
        .collect();
    signals.sort();
    signals.dedup();
    let source = inv
        .file(dev.span)
        .map(|f| f.kind.family().to_string())
        .unwrap_or_default();
    let file = inv
        .file(dev.span)
        .map(|f| f.display_path())
        .unwrap_or_default();

    m.insert("name".into(), s(dev.name.clone()));
    m.insert("vendor".into(), s(vendor));
    m.insert("vendor_name".into(), s(vendor_name));
    m.insert("maker".into(), s(maker));
    m.insert("maker_name".into(), s(maker_name));
    m.insert("relation".into(), s(relation));
    m.insert("confidence".into(), s(confidence));
    m.insert("restricted".into(), Value::Bool(!restricted_by.is_empty()));
    m.insert("restricted_by".into(), list(restricted_by));
    m.insert("kind".into(), s(identity.kind.clone()));
    m.insert("is_camera".into(), Value::Bool(is_camera));
    m.insert(
        "model".into(),
        s(identity.model.clone().unwrap_or_default()),
    );
    m.insert("macs".into(), list(macs));
    m.insert("addresses".into(), list(addresses));
    m.insert("networks".into(), list(net_names));
    m.insert(
        "on_sensitive_network".into(),
        Value::Bool(!sensitive.is_empty()),
    );
    m.insert("sensitive_networks".into(), list(sensitive));
    m.insert(
        "has_vendor_signal".into(),
        Value::Bool(identity.has_vendor_signal()),
    );
    m.insert(
        "vendor_conflict".into(),
        Value::Bool(identity.conflict.is_some()),
    );
    m.insert("unresolved".into(), Value::Bool(!dev.unknowns.is_empty()));
    m.insert("signals".into(), list(signals));
    m.insert("source".into(), s(source));
    m.insert("file".into(), s(file));
    Value::Object(m)
}

/// The `network` object rules see (without `via`, added per attachment).
pub fn network_value(n: &crate::resolve::ResolvedNetwork, inv: &Inventory) -> Value {
    let mut m = Map::new();
    let file = inv.file(n.net.span);
    m.insert("name".into(), s(n.net.name.clone()));
    m.insert("kind".into(), s(format!("{:?}", n.net.kind).to_lowercase()));
    m.insert("sensitive".into(), Value::Bool(n.sensitive));
    m.insert(
        "why".into(),
        s(n.why
            .as_ref()
            .filter(|_| n.sensitive)
            .map(|w| w.text.clone())
            .unwrap_or_default()),
    );
    m.insert(
        "cidrs".into(),
        list(n.net.cidrs.iter().map(|(c, _)| c.to_string())),
    );
    m.insert(
        "vlan".into(),
        Value::from(n.net.vlan.map(|(v, _)| i64::from(v)).unwrap_or(-1)),
    );
    m.insert("via".into(), s(""));
    m.insert(
        "source".into(),
        s(file
            .map(|f| {
                if f.kind == crate::model::SourceKind::Policy {
                    "config".to_string()
                } else {
                    f.kind.family().to_string()
                }
            })
            .unwrap_or_default()),
    );
    m.insert(
        "file".into(),
        s(file.map(|f| f.display_path()).unwrap_or_default()),
    );
    Value::Object(m)
}
