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
    /// Set when a suppression comment covers the finding.
    pub suppressed: Option<super::suppress::Suppressed>,
    /// Set when `--baseline` holds the finding: it is reported but passes.
    pub baselined: bool,
}

impl Finding {
    /// Counts toward the exit code and the summary's severity counts.
    pub fn is_active(&self) -> bool {
        self.suppressed.is_none() && !self.baselined
    }
}

/// Options of one evaluation.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Decides `enforce_from` and suppression expiry.
    pub today: jiff::civil::Date,
    /// False for `--no-suppressions` (audits see everything).
    pub apply_suppressions: bool,
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
pub fn evaluate(policy: &Policy, inventory: Inventory, opts: &EvalOptions) -> Analysis {
    let today = opts.today;
    let mut watch = crate::timings::Stopwatch::start();
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

    watch.lap("  identify");
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

    // CAMLINT_NO_FAST=1 evaluates everything with hcl-rs; the test suite
    // compares both ways on every fixture.
    let use_fast = std::env::var_os("CAMLINT_NO_FAST").is_none();
    let compiled: Vec<Option<super::fast::Fast>> = policy
        .rules
        .iter()
        .filter(|_| use_fast)
        .map(|r| {
            r.condition
                .as_ref()
                .and_then(|(c, _)| super::fast::compile(c, &FAST_DEVICE, &FAST_NETWORK))
        })
        .collect();
    let fast_of = |rule: &RuleSpec| {
        policy
            .rules
            .iter()
            .position(|r| std::ptr::eq(r, rule))
            .and_then(|i| compiled.get(i))
            .and_then(|c| c.as_ref())
    };
    let device_fast: Vec<Option<&super::fast::Fast>> =
        device_rules.iter().map(|r| fast_of(r)).collect();
    let attach_fast: Vec<Option<&super::fast::Fast>> =
        attach_rules.iter().map(|r| fast_of(r)).collect();
    let all_fast = device_fast.iter().chain(&attach_fast).all(|f| f.is_some());

    let mut findings: Vec<Finding> = kept_devices
        .par_chunks(256)
        .flat_map_iter(|chunk| {
            let mut out = Vec::new();
            let mut ctx = base.clone();
            for &d in chunk {
                let Some(identity) = identities.get(d) else {
                    continue;
                };
                let summary = summarize(d, identity, &inventory, policy);
                // The hcl-rs object is built only when some rule needs it.
                if !all_fast {
                    let narrow = device_value_with(d, identity, &inventory, policy, &|k| {
                        used.wants_device(k)
                    });
                    ctx.declare_var("device", narrow);
                }
                let full = std::cell::OnceCell::new();
                let full = || {
                    full.get_or_init(|| device_value(d, identity, &inventory, policy))
                        .clone()
                };
                for (rule, fast) in device_rules.iter().zip(&device_fast) {
                    let facts = FastFacts {
                        device: &summary,
                        network: None,
                    };
                    let holds = match fast.and_then(|f| f.eval(&facts)) {
                        Some(b) => b,
                        None => condition_holds(rule, &ctx),
                    };
                    if holds {
                        let mut c = base.clone();
                        c.declare_var("device", full());
                        out.push(finding(
                            rule, &c, d, None, identity, &inventory, policy, today,
                        ));
                    }
                }
                let attachments: Vec<&Attachment> = inventory.attachments_of(d).collect();
                for (rule, fast) in attach_rules.iter().zip(&attach_fast) {
                    for a in &attachments {
                        let Some(net) = inventory.networks.get(a.network) else {
                            continue;
                        };
                        let facts = FastFacts {
                            device: &summary,
                            network: Some((net, a.via.as_str())),
                        };
                        let holds = match fast.and_then(|f| f.eval(&facts)) {
                            Some(b) => b,
                            None => {
                                let Some(nv) = networks.get(a.network) else {
                                    continue;
                                };
                                ctx.declare_var("network", used.narrow_network(nv, &a.via));
                                condition_holds(rule, &ctx)
                            }
                        };
                        if holds {
                            let mut fctx = base.clone();
                            fctx.declare_var("device", full());
                            let mut nv = networks.get(a.network).cloned().unwrap_or(Value::Null);
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

    watch.lap("  rules");
    for diag in &inventory.diagnostics {
        findings.push(diagnostic_finding(diag, policy));
    }
    let mut analysis = Analysis {
        inventory,
        identities,
        kept,
        findings,
    };
    // Rego rules read the finished inventory document, after the HCL rules;
    // their findings are suppressed and sorted like any other.
    if !policy.rego.is_empty() {
        let rego = super::rego::evaluate(policy, &analysis);
        analysis.findings.extend(rego);
    }
    watch.lap("  rego");
    apply_suppressions(&mut analysis.findings, &analysis.inventory, policy, opts);
    watch.lap("  suppressions");
    analysis
        .findings
        .sort_by_cached_key(|f| sort_key(f, &analysis.inventory));
    watch.lap("  sort");
    analysis
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
        suppressed: None,
        baselined: false,
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
            suppressed: None,
            baselined: false,
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
    if let Some((a, b)) = reportable_conflict(identity, policy) {
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
        suppressed: None,
        baselined: false,
    }
}

/// Reads suppression comments in the files that have findings, reports the
/// malformed and expired ones, and marks the findings the others cover.
fn apply_suppressions(
    findings: &mut Vec<Finding>,
    inv: &Inventory,
    policy: &Policy,
    opts: &EvalOptions,
) {
    let mut files: Vec<u32> = findings.iter().map(|f| f.span.file.0).collect();
    files.sort_unstable();
    files.dedup();
    let scanned: Vec<(u32, Vec<super::suppress::Suppression>, Vec<Diagnostic>)> = files
        .par_iter()
        .filter_map(|&id| {
            let file = inv.files.get(id as usize)?;
            if file.kind == crate::model::SourceKind::Policy {
                return None;
            }
            let (s, d) = super::suppress::scan(file, opts.today);
            Some((id, s, d))
        })
        .collect();
    let mut by_file = std::collections::HashMap::new();
    for (id, sups, diags) in scanned {
        for d in &diags {
            findings.push(diagnostic_finding(d, policy));
        }
        by_file.insert(id, sups);
    }
    if !opts.apply_suppressions {
        return;
    }
    for f in findings.iter_mut() {
        if f.rule == "invalid-suppression" || f.rule == "expired-suppression" {
            continue;
        }
        let Some(sups) = by_file.get(&f.span.file.0) else {
            continue;
        };
        let Some(file) = inv.files.get(f.span.file.0 as usize) else {
            continue;
        };
        let line = file.lines().line_of(f.span.start) as u32;
        if let Some(s) = sups.iter().find(|s| {
            s.target_line == line && (s.rules.is_empty() || s.rules.iter().any(|r| r == &f.rule))
        }) {
            f.suppressed = Some(super::suppress::Suppressed {
                reason: s.reason.clone().unwrap_or_default(),
                until: s.until.clone(),
                span: s.span,
            });
        }
    }
}

/// The identity's conflict, when worth reporting: one side names a vendor
/// an enabled pack restricts. Axis on the label and a NIC maker's OUI
/// disagree too, but that says nothing about restricted equipment.
pub fn reportable_conflict<'a>(
    identity: &'a Identity,
    policy: &Policy,
) -> Option<&'a (crate::intel::Evidence, crate::intel::Evidence)> {
    identity.conflict.as_ref().filter(|(a, b)| {
        [a, b].iter().any(|e| match e.maker {
            Maker::Known(i) => !policy.restricted_by(i).is_empty(),
            Maker::Other(_) => false,
        })
    })
}

fn evidence_words(e: &crate::intel::Evidence) -> String {
    match e.signal {
        "mac-oui" => format!("MAC OUI {} ({})", e.value, e.detail),
        "manufacturer" => format!("manufacturer \"{}\"", e.value),
        "model" | "model-number" => format!("model number {}", e.value),
        "fingerprint" | "weak-fingerprint" => {
            format!("{} \"{}\" in {}", e.signal, e.value, e.detail)
        }
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

/// The scalar facts of a device that conditions read most, computed once.
#[derive(Debug, Clone, Default)]
pub struct DeviceSummary {
    pub vendor: String,
    pub vendor_name: String,
    pub maker: String,
    pub maker_name: String,
    pub relation: &'static str,
    pub confidence: &'static str,
    pub restricted_by: Vec<String>,
    pub is_camera: bool,
    pub kind: String,
    pub on_sensitive_network: bool,
    pub has_vendor_signal: bool,
    pub vendor_conflict: bool,
    pub unresolved: bool,
}

pub fn summarize(d: usize, identity: &Identity, inv: &Inventory, policy: &Policy) -> DeviceSummary {
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
            // The main line (first kind) of the vendor, else of its group:
            // a Hikvision device of unknown kind is taken for a camera, a
            // Huawei or Hytera one is not.
            let makes_cameras = [v, g]
                .iter()
                .flatten()
                .find_map(|x| x.kinds.first())
                .is_some_and(|k| policy.kinds.is_surveillance(k));
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
        // No maker: no relation to one and no confidence in one.
        None => (
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "",
            "",
            Vec::new(),
            false,
        ),
    };
    let is_camera = policy.kinds.is_surveillance(&identity.kind)
        || (identity.kind == "unknown" && makes_cameras);
    let on_sensitive_network = inv
        .attachments_of(d)
        .any(|a| inv.networks.get(a.network).is_some_and(|n| n.sensitive));
    DeviceSummary {
        vendor,
        vendor_name,
        maker,
        maker_name,
        relation: if relation.is_empty() {
            "maker"
        } else {
            relation
        },
        confidence: if confidence.is_empty() {
            "high"
        } else {
            confidence
        },
        restricted_by,
        is_camera,
        kind: identity.kind.clone(),
        on_sensitive_network,
        has_vendor_signal: identity.has_vendor_signal(),
        vendor_conflict: reportable_conflict(identity, policy).is_some(),
        unresolved: inv.devices.get(d).is_some_and(|x| !x.unknowns.is_empty()),
    }
}

/// What the fast condition path reads: a device summary and, for
/// attachment rules, the network.
struct FastFacts<'a> {
    device: &'a DeviceSummary,
    network: Option<(&'a crate::resolve::ResolvedNetwork, &'a str)>,
}

/// Fields the fast path can read; the rest go through hcl-rs.
const FAST_DEVICE: super::fast::Schema<'static> = super::fast::Schema {
    bools: &[
        "restricted",
        "is_camera",
        "on_sensitive_network",
        "has_vendor_signal",
        "vendor_conflict",
        "unresolved",
    ],
    texts: &[
        "vendor",
        "vendor_name",
        "maker",
        "maker_name",
        "relation",
        "confidence",
        "kind",
    ],
};
const FAST_NETWORK: super::fast::Schema<'static> = super::fast::Schema {
    bools: &["sensitive"],
    texts: &["name", "via"],
};

impl super::fast::Facts for FastFacts<'_> {
    fn flag(&self, var: super::fast::Var, field: &str) -> Option<bool> {
        use super::fast::Var;
        match var {
            Var::Device => Some(match field {
                "restricted" => !self.device.restricted_by.is_empty(),
                "is_camera" => self.device.is_camera,
                "on_sensitive_network" => self.device.on_sensitive_network,
                "has_vendor_signal" => self.device.has_vendor_signal,
                "vendor_conflict" => self.device.vendor_conflict,
                "unresolved" => self.device.unresolved,
                _ => return None,
            }),
            Var::Network => match field {
                "sensitive" => self.network.map(|(n, _)| n.sensitive),
                _ => None,
            },
        }
    }

    fn text(&self, var: super::fast::Var, field: &str) -> Option<&str> {
        use super::fast::Var;
        match var {
            Var::Device => Some(match field {
                "vendor" => &self.device.vendor,
                "vendor_name" => &self.device.vendor_name,
                "maker" => &self.device.maker,
                "maker_name" => &self.device.maker_name,
                "relation" => self.device.relation,
                "confidence" => self.device.confidence,
                "kind" => &self.device.kind,
                _ => return None,
            }),
            Var::Network => match field {
                "name" => self.network.map(|(n, _)| n.net.name.as_str()),
                "via" => self.network.map(|(_, via)| via),
                _ => None,
            },
        }
    }
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
    let sum = summarize(d, identity, inv, policy);
    let DeviceSummary {
        vendor,
        vendor_name,
        maker,
        maker_name,
        relation,
        confidence,
        restricted_by,
        is_camera,
        ..
    } = sum;
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
    let conflict = reportable_conflict(identity, policy);
    put("vendor_conflict", Value::Bool(conflict.is_some()));
    put(
        "vendor_signal",
        s(identity
            .evidence
            .first()
            .map(|e| e.signal)
            .unwrap_or_default()),
    );
    put(
        "conflicting_maker_name",
        s(conflict
            .map(|(_, b)| maker_label(&b.maker, policy))
            .unwrap_or_default()),
    );
    put(
        "conflicting_signal",
        s(conflict.map(|(_, b)| b.signal).unwrap_or_default()),
    );
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
