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
use super::fast::{self, Fast, Var};
use super::rules::{DEVICE_FIELDS, NETWORK_FIELDS, RuleScope, RuleSpec, SeveritySpec};
use super::view::{DeviceView, NetworkView, Shared, Val};
use crate::intel::{Identity, Maker, ScanCache, identify_with};
use crate::model::{Device, Diagnostic, Severity, Span};
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

/// Whether a device is one to list and judge: every device a source is
/// sure of, and a candidate only when identification found a maker, a
/// model or its kind in it.
fn worth_keeping(device: &Device, identity: &Identity) -> bool {
    !device.candidate
        || identity.has_vendor_signal()
        || identity.model.is_some()
        || &*identity.kind != "unknown"
}

/// Drops the candidates among one file's devices that evaluation would
/// not keep (the hook sources call as each file is parsed:
/// [`crate::sources::Prune`]). What is left is evaluated as if nothing had
/// been dropped, since a device is identified on its own facts alone.
/// Each kept candidate carries the identification made here
/// ([`Device::identified`]), which [`evaluate`] with the same policy takes
/// over instead of identifying it again.
pub fn prune_candidates(policy: &Policy, devices: &mut Vec<Device>) {
    let mut cache = ScanCache::default();
    devices.retain_mut(|d| {
        if !d.candidate {
            return true;
        }
        let identity = identify_with(d, &policy.vendors, &policy.kinds, &mut cache);
        let keep = worth_keeping(d, &identity);
        if keep {
            d.identified = Some(Box::new(identity));
        }
        keep
    });
}

/// Evaluates every rule. `today` decides `enforce_from`.
pub fn evaluate(policy: &Policy, mut inventory: Inventory, opts: &EvalOptions) -> Analysis {
    let today = opts.today;
    let mut watch = crate::timings::Stopwatch::start();
    let identities: Vec<Identity> = inventory
        .devices
        .par_iter_mut()
        .map_init(ScanCache::default, |cache, d| match d.identified.take() {
            Some(identity) => *identity,
            None => identify_with(d, &policy.vendors, &policy.kinds, cache),
        })
        .collect();
    let kept: Vec<bool> = inventory
        .devices
        .iter()
        .zip(&identities)
        .map(|(d, id)| worth_keeping(d, id))
        .collect();

    watch.lap("  identify");
    let shared = Shared::new(&inventory, policy);
    let device_rules: Vec<Compiled> = policy
        .rules
        .iter()
        .filter(|r| r.scope == RuleScope::Device)
        .map(|r| Compiled::new(r, false))
        .collect();
    let attach_rules: Vec<Compiled> = policy
        .rules
        .iter()
        .filter(|r| r.scope == RuleScope::Attachment)
        .map(|r| Compiled::new(r, true))
        .collect();
    // What hcl-rs sees when a condition falls back to it: only the fields
    // some condition names, since it clones a variable's whole object on
    // every access.
    let used = super::rules::UsedFields::of(policy.rules.iter());
    let base = super::rules::base_context();
    let kept_devices: Vec<usize> = (0..inventory.devices.len())
        .filter(|&d| kept.get(d).copied().unwrap_or(false))
        .collect();

    let mut findings: Vec<Finding> = kept_devices
        .par_chunks(256)
        .flat_map_iter(|chunk| {
            let mut out = Vec::new();
            for &d in chunk {
                let (Some(dev), Some(identity)) = (inventory.devices.get(d), identities.get(d))
                else {
                    continue;
                };
                let view = DeviceView::new(d, dev, identity, &shared);
                // The hcl-rs context is built only when a rule needs it.
                let slow = std::cell::OnceCell::new();
                let slow = || {
                    slow.get_or_init(|| {
                        let mut ctx = base.clone();
                        ctx.declare_var("device", view.to_value_with(&|k| used.wants_device(k)));
                        ctx
                    })
                };
                for rule in &device_rules {
                    let scope = Scope {
                        device: &view,
                        network: None,
                    };
                    if rule.holds(&scope, slow) {
                        out.push(finding(
                            rule, &scope, &base, None, &inventory, policy, today,
                        ));
                    }
                }
                let attachments = inventory.attachments_of(d);
                for rule in &attach_rules {
                    if attachments.is_empty() || !rule.may_hold_for(&view) {
                        continue;
                    }
                    for a in attachments {
                        let Some(net) = inventory.networks.get(a.network) else {
                            continue;
                        };
                        let net_view = NetworkView::attached(net, a, &inventory);
                        let scope = Scope {
                            device: &view,
                            network: Some(&net_view),
                        };
                        let holds = rule.holds(&scope, || {
                            let mut ctx = slow().clone();
                            ctx.declare_var(
                                "network",
                                net_view.to_value_with(&|k| used.wants_network(k)),
                            );
                            ctx
                        });
                        if holds {
                            out.push(finding(
                                rule,
                                &scope,
                                &base,
                                Some(a),
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
    // Keys (a path each) are built, and findings sorted, on every thread:
    // on one, this was a serial step of 2 ms on a large estate.
    analysis
        .findings
        .par_sort_by_cached_key(|f| sort_key(f, &analysis.inventory));
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

fn finding(
    rule: &Compiled,
    scope: &Scope,
    base: &Context,
    attachment: Option<&Attachment>,
    inv: &Inventory,
    policy: &Policy,
    today: jiff::civil::Date,
) -> Finding {
    let device = scope.device.index;
    let identity = scope.device.identity;
    // Messages and severities read whole objects when hcl-rs renders them.
    let full = std::cell::OnceCell::new();
    let full = || {
        full.get_or_init(|| {
            let mut ctx = base.clone();
            ctx.declare_var("device", scope.device.to_value());
            if let Some(n) = scope.network {
                ctx.declare_var("network", n.to_value());
            }
            ctx
        })
    };
    let spec = rule.spec;
    let mut severity = match &spec.severity {
        SeveritySpec::Fixed(s) => *s,
        SeveritySpec::Expr(e, _) => {
            let text = match rule.severity.as_ref().and_then(|f| f.text(scope)) {
                Some(s) => Ok(Value::String(s)),
                None => e.evaluate(full()),
            };
            match text {
                Ok(Value::String(s)) => Severity::parse(&s).unwrap_or(Severity::Error),
                _ => Severity::Error,
            }
        }
    };
    let mut message = match &spec.message {
        Some((m, _)) => match rule.message.as_ref().and_then(|f| f.text(scope)) {
            Some(s) => s,
            None => match m.evaluate(full()) {
                Ok(Value::String(s)) => s,
                Ok(other) => other.to_string(),
                Err(e) => format!("{} (message could not be rendered: {e})", spec.summary),
            },
        },
        None => spec.summary.clone(),
    };
    let rule = spec;
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
                label: format!("attached: {}", a.via(inv)),
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
            // Every finding's line is needed here and by the reports:
            // index its file's lines now, in parallel, rather than one
            // file after another when the first finding in it asks.
            file.lines();
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
        if !sups.is_empty() {
            by_file.insert(id, sups);
        }
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
    identity.conflict.as_deref().filter(|(a, b)| {
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

/// A rule with its expressions compiled for the fast path (`None` where
/// hcl-rs evaluates them).
pub(crate) struct Compiled<'p> {
    spec: &'p RuleSpec,
    condition: Option<Fast>,
    /// For an attachment rule, the device-only leading conjuncts of its
    /// compiled condition ([`Fast::device_gate`]), tried once per device.
    gate: Option<Fast>,
    message: Option<Fast>,
    severity: Option<Fast>,
}

impl<'p> Compiled<'p> {
    fn new(spec: &'p RuleSpec, with_network: bool) -> Compiled<'p> {
        // CAMLINT_NO_FAST=1 evaluates everything with hcl-rs; the test
        // suite compares both ways on every fixture.
        let enabled = std::env::var_os("CAMLINT_NO_FAST").is_none();
        let device = (Var::Device, DEVICE_FIELDS);
        let network = (Var::Network, NETWORK_FIELDS);
        let vars: &[(Var, fast::Schema)] = if with_network {
            &[device, network]
        } else {
            &[device]
        };
        let compile = |e: &hcl::Expression| enabled.then(|| fast::compile(e, vars)).flatten();
        let condition = spec.condition.as_ref().and_then(|(c, _)| compile(c));
        Compiled {
            spec,
            gate: condition
                .as_ref()
                .filter(|_| with_network)
                .and_then(Fast::device_gate)
                .cloned(),
            condition,
            message: spec.message.as_ref().and_then(|(m, _)| compile(m)),
            severity: match &spec.severity {
                SeveritySpec::Expr(e, _) => compile(e),
                SeveritySpec::Fixed(_) => None,
            },
        }
    }

    /// False when the condition surely fails for this device whatever
    /// network it is attached to; true when it may hold for some.
    fn may_hold_for(&self, device: &DeviceView) -> bool {
        let scope = Scope {
            device,
            network: None,
        };
        self.gate.as_ref().and_then(|g| g.holds(&scope)) != Some(false)
    }

    /// Whether the condition holds; hcl-rs decides (with the context `slow`
    /// builds) where the fast path cannot.
    fn holds<C>(&self, scope: &Scope, slow: impl FnOnce() -> C) -> bool
    where
        C: std::borrow::Borrow<Context<'static>>,
    {
        let Some((cond, _)) = &self.spec.condition else {
            return false;
        };
        match self.condition.as_ref().and_then(|c| c.holds(scope)) {
            Some(b) => b,
            None => matches!(cond.evaluate(slow().borrow()), Ok(Value::Bool(true))),
        }
    }
}

/// The variables one evaluation sees.
struct Scope<'v, 'a> {
    device: &'v DeviceView<'a>,
    network: Option<&'v NetworkView<'a>>,
}

impl fast::Fields for Scope<'_, '_> {
    fn field(&self, var: Var, name: &str) -> Option<Val<'_>> {
        match var {
            Var::Device => self.device.field(name),
            Var::Network => self.network?.field(name),
        }
    }
}

/// The `device` object rules see.
pub fn device_value(d: usize, identity: &Identity, inv: &Inventory, policy: &Policy) -> Value {
    let shared = Shared::new(inv, policy);
    match inv.devices.get(d) {
        Some(dev) => DeviceView::new(d, dev, identity, &shared).to_value(),
        None => Value::Object(Map::new()),
    }
}

/// The `network` object rules see (with an empty `via`, which each
/// attachment fills in).
pub fn network_value(n: &crate::resolve::ResolvedNetwork, inv: &Inventory) -> Value {
    NetworkView::new(n, inv).to_value()
}
