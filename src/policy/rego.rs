//! Rego policies (`*.rego` in policy paths), run with the regorus engine over
//! the inventory document (`policy::document`, the JSON `camlint inventory
//! --format json` prints), following Conftest's conventions.
//!
//! Rules named `deny`, `violation` (errors) and `warn` (warnings) in the
//! configured namespaces (`main` unless `settings.rego_namespaces` says
//! otherwise) are evaluated once per run. A result is a string (the message)
//! or an object `{msg, device, network, rule}`; a `device` or `network`
//! naming an inventory entry (by name, or the whole object from `input`)
//! points the finding at that entry's declaration, so Rego findings carry
//! lines like built-in ones. Other results point at the rule's head in the
//! policy file. Loading is strict where Trivy is lenient: a file that does
//! not parse, sits outside every namespace, or defines none of the three
//! rules stops the run (exit 2) with a diagnostic naming the file.
//! Regorus has no `net.cidr_intersects`; a shim built on ipnet adds it
//! (`net.cidr_contains` is built in).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value as Json;

use super::{Analysis, Finding, Policy, PolicyDiagnostic, Related};
use crate::model::{Severity, SourceFile, Span};

/// Namespaces evaluated when `settings.rego_namespaces` is not set.
pub const DEFAULT_NAMESPACES: &[&str] = &["main"];

/// The rules camlint evaluates in each namespace, with their severity.
pub const RULES: &[(&str, Severity)] = &[
    ("deny", Severity::Error),
    ("violation", Severity::Error),
    ("warn", Severity::Warning),
];

/// Rule id of a finding that reports a Rego rule failing at run time.
pub const REGO_ERROR: &str = "rego-error";

/// One rule some file declares: `data.<namespace>.<rule>`.
#[derive(Debug, Clone)]
struct Declared {
    namespace: String,
    rule: &'static str,
    severity: Severity,
    /// The rule's first head in its file (the policy file when not found).
    head: Span,
}

/// Every loaded Rego file in one engine, and the rules to evaluate.
#[derive(Clone, Default)]
pub struct RegoPolicies {
    engine: Option<regorus::Engine>,
    declared: Vec<Declared>,
}

impl fmt::Debug for RegoPolicies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegoPolicies")
            .field("declared", &self.declared)
            .finish_non_exhaustive()
    }
}

impl RegoPolicies {
    pub fn is_empty(&self) -> bool {
        self.declared.is_empty()
    }
}

fn valid_namespace(ns: &str) -> bool {
    !ns.is_empty()
        && ns.split('.').all(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Parses every Rego file into one engine and records which of `deny`,
/// `violation`, `warn` each declares. `settings_span` is where diagnostics
/// about the namespaces themselves point.
pub fn load(
    files: &[&SourceFile],
    namespaces: &[String],
    settings_span: Span,
    diags: &mut Vec<PolicyDiagnostic>,
) -> RegoPolicies {
    let mut out = RegoPolicies::default();
    if files.is_empty() {
        return out;
    }
    for ns in namespaces {
        if !valid_namespace(ns) {
            diags.push(PolicyDiagnostic::new(
                settings_span,
                format!("settings.rego_namespaces: `{ns}` is not a Rego package name (like main or camlint.rules)"),
            ));
        }
    }
    let mut engine = regorus::Engine::new();
    engine.set_rego_v0(false);
    if let Err(e) = add_shims(&mut engine) {
        if let Some(f) = files.first() {
            diags.push(PolicyDiagnostic::new(
                f.span(0, 0),
                format!("cannot prepare the Rego engine: {e}"),
            ));
        }
        return out;
    }
    for file in files {
        let path = file.display_path();
        let package = match engine.add_policy(path.clone(), file.text.to_string()) {
            Ok(p) => p,
            Err(e) => {
                diags.push(parse_error(file, &e.to_string()));
                continue;
            }
        };
        let package = package
            .strip_prefix("data.")
            .unwrap_or(&package)
            .to_string();
        if !namespaces.contains(&package) {
            diags.push(
                PolicyDiagnostic::new(
                    package_span(file),
                    format!(
                        "Rego package `{package}` is not among the namespaces camlint evaluates ({}), so none of its rules would ever run",
                        namespaces.join(", ")
                    ),
                )
                .with_help(format!(
                    "use `package {}`, or add `{package}` to settings {{ rego_namespaces = [...] }} in .camlint.hcl",
                    namespaces.first().map(String::as_str).unwrap_or("main")
                )),
            );
            continue;
        }
        let mut any = false;
        for (rule, severity) in RULES {
            match engine.has_declared_rule_rooted_at(&path, rule) {
                Ok(true) => {
                    any = true;
                    out.declared.push(Declared {
                        namespace: package.clone(),
                        rule,
                        severity: *severity,
                        head: head_span(file, rule),
                    });
                }
                Ok(false) => {}
                Err(e) => diags.push(PolicyDiagnostic::new(
                    file.span(0, 0),
                    format!("cannot inspect Rego file: {e}"),
                )),
            }
        }
        if !any {
            diags.push(
                PolicyDiagnostic::new(
                    package_span(file),
                    format!(
                        "Rego file defines none of the rules camlint evaluates (deny, violation, warn) in package `{package}`"
                    ),
                )
                .with_help(
                    "write e.g. `deny contains msg if { … }`; rules with other names (deny_x, allow) are not evaluated"
                        .into(),
                ),
            );
        }
    }
    out.engine = Some(engine);
    out
}

/// `net.cidr_intersects(a, b)`: OPA has it, regorus does not. Like a
/// builtin given bad arguments outside strict mode, a value that is not a
/// CIDR makes the expression undefined.
fn add_shims(engine: &mut regorus::Engine) -> Result<(), String> {
    engine
        .add_extension(
            "net.cidr_intersects".to_string(),
            2,
            Box::new(|args: Vec<regorus::Value>| {
                let net = |i: usize| {
                    args.get(i)
                        .and_then(|v| v.as_string().ok())
                        .and_then(|s| s.parse::<ipnet::IpNet>().ok())
                };
                Ok(match (net(0), net(1)) {
                    (Some(a), Some(b)) => {
                        regorus::Value::from(a.contains(&b.network()) || b.contains(&a.network()))
                    }
                    _ => regorus::Value::Undefined,
                })
            }),
        )
        .map_err(|e| e.to_string())
}

/// A regorus parse error, pointed at the line and column it names.
fn parse_error(file: &SourceFile, message: &str) -> PolicyDiagnostic {
    // The message looks like "\n--> path:3:5\n  |\n3 | text\n  |  ^\nerror: what".
    let mut offset = 0;
    if let Some(rest) = message.split("--> ").nth(1)
        && let Some(first) = rest.lines().next()
    {
        let mut parts = first.rsplitn(3, ':');
        let col = parts.next().and_then(|c| c.trim().parse::<usize>().ok());
        let line = parts.next().and_then(|l| l.trim().parse::<usize>().ok());
        if let (Some(line), Some(col)) = (line, col) {
            offset = offset_of(&file.text, line, col);
        }
    }
    let what = message
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or_else(|| message.trim())
        .to_string();
    let mut d = PolicyDiagnostic::new(file.span(offset, offset), format!("invalid Rego: {what}"));
    if what.contains("`if` keyword is required") || what.contains("`contains` keyword is required")
    {
        d = d.with_help(
            "camlint reads Rego v1: write `deny contains msg if { … }` rather than `deny[msg] { … }`"
                .into(),
        );
    }
    d
}

/// Byte offset of a 1-based line and column (columns count characters).
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let within = l
                .char_indices()
                .nth(col.saturating_sub(1))
                .map(|(b, _)| b)
                .unwrap_or(0);
            return start + within;
        }
        start += l.len();
    }
    0
}

/// The `package` line, or the start of the file.
fn package_span(file: &SourceFile) -> Span {
    line_starting(file, "package").unwrap_or_else(|| file.span(0, 0))
}

/// The first line whose first word is `rule` (a rule head).
fn head_span(file: &SourceFile, rule: &str) -> Span {
    line_starting(file, rule).unwrap_or_else(|| file.span(0, 0))
}

fn line_starting(file: &SourceFile, word: &str) -> Option<Span> {
    let mut start = 0;
    for l in file.text.split_inclusive('\n') {
        let indent = l.len() - l.trim_start().len();
        let rest = l.get(indent..).unwrap_or("");
        if let Some(after) = rest.strip_prefix(word)
            && after
                .chars()
                .next()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
        {
            let s = start + indent;
            return Some(file.span(s, s + word.len()));
        }
        start += l.len();
    }
    None
}

/// Where the inventory's devices and networks are, by the ways a Rego
/// result may name them.
struct Index<'a> {
    analysis: &'a Analysis,
    /// Document position → inventory index.
    order: Vec<usize>,
    device_by_name: BTreeMap<&'a str, usize>,
    device_by_place: BTreeMap<(String, u64, u64), usize>,
    network_by_name: BTreeMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    fn new(analysis: &'a Analysis) -> Index<'a> {
        let inv = &analysis.inventory;
        let order = super::document::device_order(analysis);
        let mut device_by_name = BTreeMap::new();
        let mut device_by_place = BTreeMap::new();
        for &d in &order {
            if let Some(dev) = inv.devices.get(d) {
                device_by_name.entry(dev.name.as_str()).or_insert(d);
                let loc = crate::report::location_of(inv, dev.span);
                device_by_place
                    .entry((loc.file, u64::from(loc.line), u64::from(loc.column)))
                    .or_insert(d);
            }
        }
        let mut network_by_name = BTreeMap::new();
        for (i, n) in inv.networks.iter().enumerate() {
            network_by_name.entry(n.net.name.as_str()).or_insert(i);
        }
        Index {
            analysis,
            order,
            device_by_name,
            device_by_place,
            network_by_name,
        }
    }

    /// A device named by its name, its document object, or its position
    /// in `input.devices`.
    fn device(&self, v: &Json) -> Option<usize> {
        match v {
            Json::String(name) => self.device_by_name.get(name.as_str()).copied(),
            Json::Number(n) => n
                .as_u64()
                .and_then(|i| self.order.get(usize::try_from(i).ok()?))
                .copied(),
            Json::Object(m) => {
                let loc = m.get("location");
                let place = loc.and_then(|l| {
                    Some((
                        l.get("file")?.as_str()?.to_string(),
                        l.get("line")?.as_u64()?,
                        l.get("column")?.as_u64()?,
                    ))
                });
                place
                    .and_then(|p| self.device_by_place.get(&p).copied())
                    .or_else(|| m.get("name").and_then(|n| self.device(n)))
            }
            _ => None,
        }
    }

    /// A network named by its name, its document object, or its position
    /// in `input.networks`.
    fn network(&self, v: &Json) -> Option<usize> {
        let count = self.analysis.inventory.networks.len();
        match v {
            Json::String(name) => self.network_by_name.get(name.as_str()).copied(),
            Json::Number(n) => n
                .as_u64()
                .and_then(|i| usize::try_from(i).ok())
                .filter(|&i| i < count),
            Json::Object(m) => m.get("name").and_then(|n| self.network(n)),
            _ => None,
        }
    }
}

/// Runs every declared rule over the analysis' inventory document.
pub fn evaluate(policy: &Policy, analysis: &Analysis) -> Vec<Finding> {
    let rego = &policy.rego;
    let Some(engine) = &rego.engine else {
        return Vec::new();
    };
    if rego.declared.is_empty() {
        return Vec::new();
    }
    let scanned = analysis
        .inventory
        .files
        .len()
        .saturating_sub(policy.files.len());
    let doc = super::document::document(analysis, policy, scanned);
    let mut findings = Vec::new();
    let first_head = rego.declared.first().map(|d| d.head).unwrap_or_default();
    let input = serde_json::to_string(&doc)
        .map_err(|e| e.to_string())
        .and_then(|s| regorus::Value::from_json_str(&s).map_err(|e| e.to_string()));
    let input = match input {
        Ok(v) => v,
        Err(e) => {
            findings.push(error_finding(
                first_head,
                format!("cannot give the inventory to Rego: {e}"),
            ));
            return findings;
        }
    };
    let mut engine = engine.clone();
    engine.set_input(input);
    let index = Index::new(analysis);

    // Each (namespace, rule) once, with the head of its first declaration.
    let mut rules: BTreeMap<(String, &'static str), &Declared> = BTreeMap::new();
    for d in &rego.declared {
        rules.entry((d.namespace.clone(), d.rule)).or_insert(d);
    }
    for ((ns, rule), decl) in rules {
        let path = format!("data.{ns}.{rule}");
        let value = match engine.eval_rule(path.clone()) {
            Ok(v) => v,
            Err(e) => {
                findings.push(error_finding(
                    decl.head,
                    format!("Rego rule {path} failed: {}", one_line(&e.to_string())),
                ));
                continue;
            }
        };
        if value == regorus::Value::Undefined {
            continue;
        }
        let json: Json = match value.to_json_str().map(|s| serde_json::from_str(&s)) {
            Ok(Ok(j)) => j,
            _ => {
                findings.push(error_finding(
                    decl.head,
                    format!("Rego rule {path} gave a value camlint cannot read"),
                ));
                continue;
            }
        };
        let items = match json {
            Json::Array(items) => items,
            Json::Null | Json::Bool(false) => Vec::new(),
            Json::Bool(true) => vec![Json::String(format!("{path} holds"))],
            other => vec![other],
        };
        for item in items {
            findings.push(result_finding(&item, &ns, rule, decl, &index));
        }
    }
    findings
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn error_finding(span: Span, message: String) -> Finding {
    Finding {
        rule: REGO_ERROR.into(),
        severity: Severity::Error,
        message,
        span,
        device: None,
        network: None,
        related: Vec::new(),
        help: Some("fix the Rego policy; a rule that fails is never treated as passing".into()),
        suppressed: None,
        baselined: false,
    }
}

fn text_of(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One result of `data.<ns>.<rule>` as a finding.
fn result_finding(item: &Json, ns: &str, rule: &str, decl: &Declared, index: &Index) -> Finding {
    let inv = &index.analysis.inventory;
    let mut rule_id = format!("rego:{ns}.{rule}");
    let mut message = text_of(item);
    let mut device = None;
    let mut network = None;
    let mut unknown = Vec::new();
    if let Json::Object(m) = item {
        message = m
            .get("msg")
            .or_else(|| m.get("message"))
            .map(text_of)
            .unwrap_or_else(|| item.to_string());
        if let Some(Json::String(r)) = m.get("rule")
            && !r.trim().is_empty()
        {
            rule_id = r.trim().to_string();
        }
        if let Some(d) = m.get("device").filter(|d| !d.is_null()) {
            device = index.device(d);
            if device.is_none() {
                unknown.push(format!("device {}", short(d)));
            }
        }
        if let Some(n) = m.get("network").filter(|n| !n.is_null()) {
            network = index.network(n);
            if network.is_none() {
                unknown.push(format!("network {}", short(n)));
            }
        }
    }
    if !unknown.is_empty() {
        message.push_str(&format!(
            " (the result names {}, which the inventory does not have)",
            unknown.join(" and ")
        ));
    }
    let mut related = Vec::new();
    let dev = device.and_then(|d| inv.devices.get(d));
    let net = network.and_then(|n| inv.networks.get(n));
    if let (Some(d), Some(n)) = (device, network)
        && let Some(a) = inv.attachments_of(d).iter().find(|a| a.network == n)
        && dev.is_some_and(|x| x.span != a.span)
    {
        related.push(Related {
            span: a.span,
            label: format!("attached: {}", a.via(inv)),
        });
    }
    if let Some(n) = net {
        if dev.is_some() {
            related.push(Related {
                span: n.net.span,
                label: format!("network {}", n.net.name),
            });
        }
        if let Some(why) = n.why.as_ref().filter(|_| n.sensitive) {
            related.push(Related {
                span: why.span,
                label: format!("{} is sensitive: {}", n.net.name, why.text),
            });
        }
    }
    let span = match (dev, net) {
        (Some(d), _) => d.span,
        (None, Some(n)) => n.net.span,
        (None, None) => decl.head,
    };
    if span != decl.head {
        related.push(Related {
            span: decl.head,
            label: format!("reported by Rego rule data.{ns}.{rule}"),
        });
    }
    Finding {
        rule: rule_id,
        severity: decl.severity,
        message,
        span,
        device,
        network,
        related,
        help: None,
        suppressed: None,
        baselined: false,
    }
}

/// A reference as it appears in a message: a name, or a compact object.
fn short(v: &Json) -> String {
    match v {
        Json::String(s) => format!("`{s}`"),
        Json::Object(m) => m
            .get("name")
            .map(|n| format!("`{}`", text_of(n)))
            .unwrap_or_else(|| "(an object without a name)".into()),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_are_dotted_identifiers() {
        assert!(valid_namespace("main"));
        assert!(valid_namespace("camlint.rules_1"));
        assert!(!valid_namespace("main."));
        assert!(!valid_namespace("1main"));
        assert!(!valid_namespace("a-b"));
    }

    #[test]
    fn offsets_from_line_and_column() {
        let text = "package main\n\ndeny[msg] {\n";
        assert_eq!(offset_of(text, 3, 5), 18);
        assert_eq!(text.get(18..19), Some("["));
        assert_eq!(offset_of(text, 9, 1), 0);
    }
}
