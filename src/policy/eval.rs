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
    // Conditions see only the fields some condition names: hcl-rs clones a
    // variable's whole object on every access, so small objects are fast.
    let used = super::rules::UsedFields::of(policy.rules.iter());
    let base = super::rules::base_context();
    let kept_devices: Vec<usize> = (0..inventory.devices.len())
        .filter(|&d| kept.get(d).copied().unwrap_or(false))
        .collect();

    let mut findings: Vec<Finding> = kept_devices
        .par_chunks(256)
        .flat_map_iter(|chunk| {
            let mut out = Vec::new();
            let mut ctx = base.clone();
            for &d in chunk {
                let Some(identity) = identities.get(d) else {
                    continue;
                };
                let narrow =
                    device_value_with(d, identity, &inventory, policy, &|k| used.wants_device(k));
                ctx.declare_var("device", narrow);
                let full = std::cell::OnceCell::new();
                let full = || {
                    full.get_or_init(|| device_value(d, identity, &inventory, policy))
                        .clone()
                };
                let mut full_ctx: Option<Context> = None;
                for rule in &device_rules {
                    if condition_holds(rule, &ctx) {
                        let fctx = full_ctx.get_or_insert_with(|| {
                            let mut c = base.clone();
                            c.declare_var("device", full());
                            c
                        });
                        out.push(finding(
                            rule, fctx, d, None, identity, &inventory, policy, today,
                        ));
                    }
                }
                let attachments: Vec<&Attachment> = inventory.attachments_of(d).collect();
                for rule in &attach_rules {
                    for a in &attachments {
                        let Some(nv) = networks.get(a.network) else {
                            continue;
                        };
                        ctx.declare_var("network", used.narrow_network(nv, &a.via));
                        if condition_holds(rule, &ctx) {
                            let mut fctx = base.clone();
                            fctx.declare_var("device", full());
                            let mut nv = nv.clone();
                            if let Value::Object(m) = &mut nv {
                                m.insert("via".into(), Value::String(a.via.clone()));
                            }
                            fctx.declare_var("network", nv);
                            out.push(finding(
                                rule,
                                &fctx,
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
            }
            out
        })
        .collect();

    for diag in &inventory.diagnostics {
        findings.push(diagnostic_finding(diag, policy));
    }
    findings.sort_by_cached_key(|f| sort_key(f, &inventory));
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
    device_value_with(d, identity, inv, policy, &|_| true)
}

/// The `device` object with only the fields `want` accepts, so conditions
/// that read three fields do not pay for building twenty.
pub fn device_value_with(
    d: usize,
    identity: &Identity,
    inv: &Inventory,
    policy: &Policy,
    want: &dyn Fn(&str) -> bool,
) -> Value {
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
        .filter(|_| want("networks"))
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
        .filter(|_| want("macs"))
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
        .filter(|_| want("signals"))
        .map(|e| e.signal.to_string())
        .collect();
    signals.sort();
    signals.dedup();
    let source = inv
        .file(dev.span)
        .map(|f| f.kind.family().to_string())
        .unwrap_or_default();
    let file = if want("file") {
        inv.file(dev.span)
            .map(|f| f.display_path())
            .unwrap_or_default()
    } else {
        String::new()
    };
    let mut put = |k: &str, v: Value| {
        if want(k) {
            m.insert(k.to_string(), v);
        }
    };

    put("name", s(dev.name.clone()));
    put("vendor", s(vendor));
    put("vendor_name", s(vendor_name));
    put("maker", s(maker));
    put("maker_name", s(maker_name));
    put("relation", s(relation));
    put("confidence", s(confidence));
    put("restricted", Value::Bool(!restricted_by.is_empty()));
    put("restricted_by", list(restricted_by));
    put("kind", s(identity.kind.clone()));
    put("is_camera", Value::Bool(is_camera));
    put("model", s(identity.model.clone().unwrap_or_default()));
    put("macs", list(macs));
    put("addresses", list(addresses));
    put("networks", list(net_names));
    put("on_sensitive_network", Value::Bool(!sensitive.is_empty()));
    put("sensitive_networks", list(sensitive));
    put(
        "has_vendor_signal",
        Value::Bool(identity.has_vendor_signal()),
    );
    put("vendor_conflict", Value::Bool(identity.conflict.is_some()));
    put("unresolved", Value::Bool(!dev.unknowns.is_empty()));
    put(
        "unresolved_reason",
        s(dev
            .unknowns
            .first()
            .map(|(_, why)| why.clone())
            .unwrap_or_default()),
    );
    put("signals", list(signals));
    put("source", s(source));
    put("file", s(file));
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
