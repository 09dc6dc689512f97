//! Rules written in the policy language, and their evaluation.
//!
//! A rule's `condition` is an HCL expression over `device` (and, for rules
//! `over = "attachment"`, `network`). The objects those names hold are
//! built by [`device_value`] and [`network_value`]; their fields are the
//! whole contract a policy author writes against (documented in
//! `docs/policy-language.md`), so adding a field is adding it in both
//! places. Conditions are type-checked at load time by evaluating them
//! against probe objects that hold every field, so a misspelt field is an
//! error in the policy file, not a rule that silently never fires.

use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::{Map, Value};

use crate::model::{Severity, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleScope {
    /// Evaluated for every device × network attachment.
    Attachment,
    /// Evaluated once per device.
    Device,
    /// Emitted by camlint itself (parse errors, suppressions); no condition.
    Diagnostic,
}

impl RuleScope {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleScope::Attachment => "attachment",
            RuleScope::Device => "device",
            RuleScope::Diagnostic => "diagnostic",
        }
    }
}

#[derive(Debug, Clone)]
pub enum SeveritySpec {
    Fixed(Severity),
    /// An expression giving "error", "warning" or "note" per finding.
    Expr(hcl::Expression, Span),
}

#[derive(Debug, Clone)]
pub struct RuleSpec {
    pub id: String,
    pub severity: SeveritySpec,
    pub summary: String,
    pub description: String,
    pub help: Option<String>,
    pub url: Option<String>,
    pub scope: RuleScope,
    pub condition: Option<(hcl::Expression, Span)>,
    pub message: Option<(hcl::Expression, Span)>,
    pub enforce_from: Option<jiff::civil::Date>,
    /// The pack the rule belongs to (`core` for camlint's own).
    pub pack: Option<String>,
    pub span: Span,
    pub id_span: Span,
}

impl RuleSpec {
    /// The severity shown in rule listings (an expression shows as the
    /// highest it can give).
    pub fn default_severity(&self) -> Severity {
        match &self.severity {
            SeveritySpec::Fixed(s) => *s,
            SeveritySpec::Expr(..) => Severity::Error,
        }
    }
}

/// Fields of the `device` object, with a probe value of the right type.
pub const DEVICE_FIELDS: &[(&str, &str, &str)] = &[
    ("name", "string", "the device's name as its source gives it"),
    (
        "vendor",
        "string",
        "id of the identified maker or brand (`hikvision`, `ezviz`), or the maker as written (`axis communications`); empty when unknown",
    ),
    (
        "vendor_name",
        "string",
        "display name of the identified maker (`Hikvision`)",
    ),
    (
        "maker",
        "string",
        "id of the top-level maker group (`hikvision` for EZVIZ)",
    ),
    ("maker_name", "string", "display name of the maker group"),
    (
        "relation",
        "string",
        "how the vendor relates to its maker: maker, subsidiary, brand, affiliate, former-affiliate, oem; empty when unknown",
    ),
    (
        "confidence",
        "string",
        "confidence of the vendor link: high, medium, low; empty when unknown",
    ),
    (
        "restricted",
        "bool",
        "the vendor is restricted by an enabled pack",
    ),
    (
        "restricted_by",
        "list(string)",
        "enabled packs that restrict the vendor",
    ),
    (
        "kind",
        "string",
        "camera, nvr, dvr, encoder, intercom, access-control, network, radio or unknown",
    ),
    (
        "is_camera",
        "bool",
        "a visual-surveillance kind, or an unknown kind from a maker of cameras",
    ),
    ("model", "string", "model number, if known"),
    ("macs", "list(string)", "MAC addresses"),
    ("addresses", "list(string)", "IP addresses"),
    (
        "networks",
        "list(string)",
        "names of the networks the device is attached to",
    ),
    (
        "sensitive_networks",
        "list(string)",
        "names of the sensitive networks the device is attached to",
    ),
    (
        "on_sensitive_network",
        "bool",
        "attached to at least one sensitive network",
    ),
    (
        "has_vendor_signal",
        "bool",
        "any signal named a maker (explicit field, MAC OUI or text)",
    ),
    (
        "vendor_conflict",
        "bool",
        "two strong signals (explicit field, MAC OUI) name different makers, one of them restricted",
    ),
    (
        "vendor_signal",
        "string",
        "kind of evidence that decided the vendor: manufacturer, model, mac-oui, model-number, fingerprint, name…",
    ),
    (
        "conflicting_maker_name",
        "string",
        "the maker the conflicting strong signal names (empty without a conflict)",
    ),
    (
        "conflicting_signal",
        "string",
        "kind of the conflicting signal: manufacturer, model or mac-oui (empty without a conflict)",
    ),
    (
        "unresolved",
        "bool",
        "some value of the device could not be resolved",
    ),
    (
        "unresolved_reason",
        "string",
        "the first value that could not be resolved, with its expression and why (values that could name the maker first); empty when none",
    ),
    (
        "signals",
        "list(string)",
        "kinds of evidence found: manufacturer, model, mac-oui, name, description…",
    ),
    (
        "source",
        "string",
        "terraform, ansible, network, dhcp or cmdb",
    ),
    ("file", "string", "file that declares the device"),
];

/// Fields of the `network` object.
pub const NETWORK_FIELDS: &[(&str, &str, &str)] = &[
    ("name", "string", "the network's name"),
    (
        "kind",
        "string",
        "prefix, vlan, subnet, group, zone or declared",
    ),
    ("sensitive", "bool", "the network is sensitive"),
    (
        "why",
        "string",
        "why it is sensitive (empty when it is not)",
    ),
    ("cidrs", "list(string)", "its CIDRs"),
    ("vlan", "number", "its VLAN id, or -1"),
    (
        "via",
        "string",
        "how the device is attached: `access vlan 110`, `address 10.0.1.5 lies in …`",
    ),
    (
        "source",
        "string",
        "terraform, ansible, network, dhcp, cmdb or config",
    ),
    ("file", "string", "file that declares the network"),
];

fn probe_value(name: &str, ty: &str, truthy: bool) -> Value {
    // Address-like fields hold values the network functions accept, so
    // `cidr_contains("10.0.0.0/8", c)` over `network.cidrs` type-checks.
    let sample = match name {
        "cidrs" => "10.0.0.0/8",
        "addresses" => "10.0.0.1",
        "macs" => "00:00:00:00:00:00",
        _ => "x",
    };
    match ty {
        "string" => Value::String(if truthy { sample.into() } else { String::new() }),
        "bool" => Value::Bool(truthy),
        "number" => Value::from(if truthy { 1 } else { -1 }),
        _ => Value::Array(if truthy {
            vec![Value::String(sample.into())]
        } else {
            vec![]
        }),
    }
}

fn probe(fields: &[(&str, &str, &str)], truthy: bool) -> Value {
    let mut m = Map::new();
    for (name, ty, _) in fields {
        m.insert((*name).to_string(), probe_value(name, ty, truthy));
    }
    Value::Object(m)
}

/// Checks a rule's expressions against probe objects. Returns a message
/// for the first problem found.
pub fn type_check(rule: &RuleSpec) -> Vec<(Span, String)> {
    let mut problems = Vec::new();
    let base = base_context();
    for truthy in [true, false] {
        let mut ctx = base.clone();
        ctx.declare_var("device", probe(DEVICE_FIELDS, truthy));
        if rule.scope == RuleScope::Attachment {
            ctx.declare_var("network", probe(NETWORK_FIELDS, truthy));
        }
        if let Some((cond, span)) = &rule.condition {
            match cond.evaluate(&ctx) {
                Ok(Value::Bool(_)) => {}
                Ok(other) => problems.push((
                    *span,
                    format!(
                        "condition must be true or false, but it gives {}",
                        type_name(&other)
                    ),
                )),
                Err(e) => problems.push((
                    *span,
                    format!(
                        "condition does not type-check against the model: {}",
                        tidy(&e)
                    ),
                )),
            }
        }
        if let Some((msg, span)) = &rule.message
            && let Err(e) = msg.evaluate(&ctx)
        {
            problems.push((
                *span,
                format!(
                    "message does not type-check against the model: {}",
                    tidy(&e)
                ),
            ));
        }
        if let SeveritySpec::Expr(e, span) = &rule.severity {
            match e.evaluate(&ctx) {
                Ok(Value::String(s)) if Severity::parse(&s).is_some() => {}
                Ok(Value::String(s)) if truthy || !s.is_empty() => problems.push((
                    *span,
                    format!(
                        "severity gives \"{s}\"; it must give \"error\", \"warning\" or \"note\""
                    ),
                )),
                Ok(Value::String(_)) => {}
                Ok(other) => problems.push((
                    *span,
                    format!(
                        "severity must give a string, but it gives {}",
                        type_name(&other)
                    ),
                )),
                Err(e) => problems.push((
                    *span,
                    format!(
                        "severity does not type-check against the model: {}",
                        tidy(&e)
                    ),
                )),
            }
        }
        if !problems.is_empty() {
            break;
        }
    }
    if rule.scope == RuleScope::Device
        && let Some((cond, span)) = &rule.condition
        && format!("{cond:?}").contains("\"network\"")
    {
        problems.push((
            *span,
            "a rule `over = \"device\"` cannot use `network`; use `over = \"attachment\"`".into(),
        ));
    }
    problems.dedup();
    problems
}

fn tidy(e: &hcl::eval::Error) -> String {
    e.to_string().replace('\n', " ")
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Which fields of `device` and `network` the rules' conditions read.
/// `None` means a condition uses the whole object, so nothing is left out.
#[derive(Debug, Clone, Default)]
pub struct UsedFields {
    device: Option<std::collections::BTreeSet<String>>,
    network: Option<std::collections::BTreeSet<String>>,
}

impl UsedFields {
    pub fn of<'a>(rules: impl Iterator<Item = &'a RuleSpec>) -> UsedFields {
        let mut used = UsedFields {
            device: Some(Default::default()),
            network: Some(Default::default()),
        };
        for r in rules {
            if let Some((cond, _)) = &r.condition {
                used.walk(cond);
            }
        }
        used
    }

    fn slot(&mut self, var: &str) -> Option<&mut Option<std::collections::BTreeSet<String>>> {
        match var {
            "device" => Some(&mut self.device),
            "network" => Some(&mut self.network),
            _ => None,
        }
    }

    fn walk(&mut self, e: &hcl::Expression) {
        use hcl::Expression as E;
        use hcl::expr::{Operation, TraversalOperator};
        match e {
            E::Variable(v) => {
                if let Some(slot) = self.slot(v.as_str()) {
                    *slot = None;
                }
            }
            E::Traversal(t) => {
                if let E::Variable(v) = &t.expr
                    && let Some(TraversalOperator::GetAttr(name)) = t.operators.first()
                {
                    if let Some(Some(set)) = self.slot(v.as_str()) {
                        set.insert(name.to_string());
                    }
                } else {
                    self.walk(&t.expr);
                }
                for op in &t.operators {
                    if let TraversalOperator::Index(i) = op {
                        self.walk(i);
                    }
                }
            }
            E::Array(items) => items.iter().for_each(|i| self.walk(i)),
            E::Object(o) => o.iter().for_each(|(k, v)| {
                if let hcl::ObjectKey::Expression(k) = k {
                    self.walk(k);
                }
                self.walk(v);
            }),
            E::FuncCall(f) => f.args.iter().for_each(|a| self.walk(a)),
            E::Parenthesis(p) => self.walk(p),
            E::Conditional(c) => {
                self.walk(&c.cond_expr);
                self.walk(&c.true_expr);
                self.walk(&c.false_expr);
            }
            E::Operation(op) => match op.as_ref() {
                Operation::Unary(u) => self.walk(&u.expr),
                Operation::Binary(b) => {
                    self.walk(&b.lhs_expr);
                    self.walk(&b.rhs_expr);
                }
            },
            E::ForExpr(f) => {
                self.walk(&f.collection_expr);
                if let Some(k) = &f.key_expr {
                    self.walk(k);
                }
                self.walk(&f.value_expr);
                if let Some(c) = &f.cond_expr {
                    self.walk(c);
                }
            }
            // A template may name anything; keep whole objects.
            E::TemplateExpr(_) => {
                self.device = None;
                self.network = None;
            }
            _ => {}
        }
    }

    pub fn wants_device(&self, field: &str) -> bool {
        self.device.as_ref().is_none_or(|s| s.contains(field))
    }

    pub fn wants_network(&self, field: &str) -> bool {
        self.network.as_ref().is_none_or(|s| s.contains(field))
    }
}

/// A context with the policy functions declared.
pub fn base_context() -> Context<'static> {
    let mut ctx = Context::new();
    let s = ParamType::String;
    let any = ParamType::Any;
    let list = || ParamType::Array(Box::new(ParamType::Any));
    ctx.declare_func(
        "contains",
        FuncDef::builder()
            .param(list())
            .param(any.clone())
            .build(f_contains),
    );
    ctx.declare_func("anytrue", FuncDef::builder().param(list()).build(f_anytrue));
    ctx.declare_func("alltrue", FuncDef::builder().param(list()).build(f_alltrue));
    ctx.declare_func(
        "regex_match",
        FuncDef::builder()
            .param(s.clone())
            .param(s.clone())
            .build(f_regex_match),
    );
    ctx.declare_func(
        "startswith",
        FuncDef::builder()
            .param(s.clone())
            .param(s.clone())
            .build(f_startswith),
    );
    ctx.declare_func(
        "endswith",
        FuncDef::builder()
            .param(s.clone())
            .param(s.clone())
            .build(f_endswith),
    );
    ctx.declare_func(
        "strcontains",
        FuncDef::builder()
            .param(s.clone())
            .param(s.clone())
            .build(f_strcontains),
    );
    ctx.declare_func("lower", FuncDef::builder().param(s.clone()).build(f_lower));
    ctx.declare_func("upper", FuncDef::builder().param(s.clone()).build(f_upper));
    ctx.declare_func(
        "cidr_contains",
        FuncDef::builder()
            .param(s.clone())
            .param(s)
            .build(f_cidr_contains),
    );
    ctx.declare_func("length", FuncDef::builder().param(any).build(f_length));
    ctx.declare_func(
        "join",
        FuncDef::builder()
            .param(ParamType::String)
            .param(list())
            .build(f_join),
    );
    ctx
}

fn arg(args: &FuncArgs, i: usize) -> Result<&Value, String> {
    args.get(i)
        .ok_or_else(|| format!("missing argument {}", i + 1))
}

fn str_arg(args: &FuncArgs, i: usize) -> Result<&str, String> {
    arg(args, i)?
        .as_str()
        .ok_or_else(|| format!("argument {} must be a string", i + 1))
}

fn f_contains(args: FuncArgs) -> Result<Value, String> {
    let list = arg(&args, 0)?
        .as_array()
        .ok_or("contains: first argument must be a list")?;
    let needle = arg(&args, 1)?;
    Ok(Value::Bool(list.iter().any(|v| v == needle)))
}

fn bools(args: &FuncArgs) -> Result<Vec<bool>, String> {
    arg(args, 0)?
        .as_array()
        .ok_or("expected a list of bools")?
        .iter()
        .map(|v| {
            v.as_bool()
                .ok_or_else(|| "expected a list of bools".to_string())
        })
        .collect()
}

fn f_anytrue(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::Bool(bools(&args)?.into_iter().any(|b| b)))
}

fn f_alltrue(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::Bool(bools(&args)?.into_iter().all(|b| b)))
}

fn f_regex_match(args: FuncArgs) -> Result<Value, String> {
    let pattern = str_arg(&args, 0)?;
    let text = str_arg(&args, 1)?;
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, regex::Regex>> = Default::default();
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if !c.contains_key(pattern) {
            let re = regex::Regex::new(pattern)
                .map_err(|e| format!("regex_match: invalid pattern: {e}"))?;
            c.insert(pattern.to_string(), re);
        }
        Ok(Value::Bool(
            c.get(pattern).is_some_and(|re| re.is_match(text)),
        ))
    })
}

fn f_startswith(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::Bool(
        str_arg(&args, 0)?.starts_with(str_arg(&args, 1)?),
    ))
}

fn f_endswith(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::Bool(
        str_arg(&args, 0)?.ends_with(str_arg(&args, 1)?),
    ))
}

fn f_strcontains(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::Bool(str_arg(&args, 0)?.contains(str_arg(&args, 1)?)))
}

fn f_lower(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::String(str_arg(&args, 0)?.to_lowercase()))
}

fn f_upper(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::String(str_arg(&args, 0)?.to_uppercase()))
}

fn f_cidr_contains(args: FuncArgs) -> Result<Value, String> {
    let cidr: ipnet::IpNet = str_arg(&args, 0)?
        .parse()
        .map_err(|_| "cidr_contains: first argument must be a CIDR".to_string())?;
    let what = str_arg(&args, 1)?;
    let inside = if let Ok(ip) = what.parse::<std::net::IpAddr>() {
        cidr.contains(&ip)
    } else if let Ok(net) = what.parse::<ipnet::IpNet>() {
        cidr.contains(&net)
    } else {
        return Err("cidr_contains: second argument must be an address or CIDR".into());
    };
    Ok(Value::Bool(inside))
}

fn f_length(args: FuncArgs) -> Result<Value, String> {
    let n = match arg(&args, 0)? {
        Value::Array(a) => a.len(),
        Value::Object(o) => o.len(),
        Value::String(s) => s.chars().count(),
        _ => return Err("length: expected a list, object or string".into()),
    };
    Ok(Value::from(n as u64))
}

fn f_join(args: FuncArgs) -> Result<Value, String> {
    let sep = str_arg(&args, 0)?;
    let items = arg(&args, 1)?
        .as_array()
        .ok_or("join: second argument must be a list")?;
    let parts: Vec<String> = items
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    Ok(Value::String(parts.join(sep)))
}
