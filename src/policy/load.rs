//! Reads policy files (built-in packs, `.camlint.hcl`, custom policies).
//!
//! Parsing goes through hcl-edit (hcl-rs's own parser) so every block and
//! attribute keeps its byte span; conditions and message templates are then
//! converted to hcl-rs expressions for evaluation. Loading is strict: an
//! unknown block or attribute, a value of the wrong type, a colliding rule
//! id, or a condition that refers to a field the model does not have is a
//! [`PolicyDiagnostic`] pointing into the file, and the run stops with exit
//! code 2. Nothing is ever skipped silently.

use hcl::edit::Span as _;
use hcl::edit::expr::Expression as EditExpr;
use hcl::edit::structure::{Attribute, Block, Body, Structure};

use crate::intel::{Confidence, KindSpec, ModelSpec, Relation, VendorSpec};
use crate::model::{Severity, SourceFile, Span};
use crate::resolve::NetworkDecl;

use super::rules::{RuleScope, RuleSpec};
use super::{PackSpec, PolicyDiagnostic, Settings};

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct Loaded {
    pub settings: Option<(Settings, Span)>,
    pub packs: Vec<PackSpec>,
    pub vendors: Vec<VendorSpec>,
    pub kinds: Vec<KindSpec>,
    pub networks: Vec<NetworkDecl>,
    pub rules: Vec<RuleSpec>,
}

/// Where a file is allowed to say what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// `.camlint.hcl`: may hold `settings`.
    RepoConfig,
    /// Built-in packs and custom policies.
    Policy,
}

pub fn load_file(file: &SourceFile, role: FileRole, diags: &mut Vec<PolicyDiagnostic>) -> Loaded {
    let mut out = Loaded::default();
    let body = match hcl::edit::parser::parse_body(&file.text) {
        Ok(b) => b,
        Err(e) => {
            let loc = e.location();
            let offset = loc.offset();
            diags.push(PolicyDiagnostic::new(
                file.span(offset, offset),
                format!("invalid HCL: {}", e.message()),
            ));
            return out;
        }
    };
    let mut r = Reader { file, diags };
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => r.error(a.span(), format!("unexpected attribute `{}` at the top level; expected a block", a.key.as_str())),
            Structure::Block(b) => match b.ident.as_str() {
                "settings" => {
                    if role != FileRole::RepoConfig {
                        r.error(b.span(), "`settings` is only allowed in the repository config (.camlint.hcl)".into());
                        continue;
                    }
                    if out.settings.is_some() {
                        r.error(b.span(), "a second `settings` block; merge them into one".into());
                        continue;
                    }
                    out.settings = Some((r.settings(b), r.span(b.span())));
                }
                "pack" => {
                    if let Some(p) = r.pack(b) {
                        out.packs.push(p);
                    }
                }
                "vendor" => {
                    if let Some(v) = r.vendor(b) {
                        out.vendors.push(v);
                    }
                }
                "kind" => {
                    if let Some(k) = r.kind(b) {
                        out.kinds.push(k);
                    }
                }
                "network" => {
                    if let Some(n) = r.network(b) {
                        out.networks.push(n);
                    }
                }
                "rule" => {
                    if let Some(rule) = r.rule(b) {
                        out.rules.push(rule);
                    }
                }
                other => r.error(
                    b.ident.span(),
                    format!("unknown block `{other}`; expected settings, pack, vendor, kind, network or rule"),
                ),
            },
        }
    }
    out
}

struct Reader<'a> {
    file: &'a SourceFile,
    diags: &'a mut Vec<PolicyDiagnostic>,
}

type R = std::ops::Range<usize>;

impl Reader<'_> {
    fn span(&self, r: Option<R>) -> Span {
        r.map(|r| self.file.span(r.start, r.end))
            .unwrap_or_else(|| self.file.span(0, 0))
    }

    fn error(&mut self, r: Option<R>, message: String) {
        let span = self.span(r);
        self.diags.push(PolicyDiagnostic::new(span, message));
    }

    /// The single string label of a block, e.g. `rule "id"`.
    fn label(&mut self, b: &Block) -> Option<String> {
        match b.labels.as_slice() {
            [l] => Some(l.as_str().to_string()),
            _ => {
                self.error(
                    b.span(),
                    format!(
                        "`{}` needs exactly one label, e.g. {} \"name\" {{ … }}",
                        b.ident.as_str(),
                        b.ident.as_str()
                    ),
                );
                None
            }
        }
    }

    /// Checks that a body has only the allowed attributes (and no blocks
    /// except `allowed_blocks`), reporting each offender.
    fn check_keys(&mut self, what: &str, body: &Body, allowed: &[&str], allowed_blocks: &[&str]) {
        for s in body.iter() {
            match s {
                Structure::Attribute(a) if !allowed.contains(&a.key.as_str()) => {
                    let mut msg = format!("unknown attribute `{}` in {what}", a.key.as_str());
                    if let Some(near) = closest(a.key.as_str(), allowed) {
                        msg.push_str(&format!("; did you mean `{near}`?"));
                    }
                    self.diags.push(
                        PolicyDiagnostic::new(self.span(a.key.span()), msg)
                            .with_help(format!("allowed: {}", allowed.join(", "))),
                    );
                }
                Structure::Block(b) if !allowed_blocks.contains(&b.ident.as_str()) => {
                    self.error(
                        b.ident.span(),
                        format!("unexpected block `{}` in {what}", b.ident.as_str()),
                    );
                }
                _ => {}
            }
        }
    }

    fn attr<'b>(&self, body: &'b Body, key: &str) -> Option<&'b Attribute> {
        body.get_attribute(key)
    }

    fn string(&mut self, body: &Body, key: &str) -> Option<String> {
        let a = self.attr(body, key)?;
        match &a.value {
            EditExpr::String(s) => Some(s.value().to_string()),
            EditExpr::Null(_) => None,
            // Heredocs (and templates with no interpolation) are strings too.
            v @ (EditExpr::HeredocTemplate(_) | EditExpr::StringTemplate(_)) => {
                use hcl::eval::Evaluate;
                match hcl::Expression::from(v.clone()).evaluate(&hcl::eval::Context::new()) {
                    Ok(hcl::Value::String(s)) => Some(s),
                    _ => {
                        self.error(
                            v.span(),
                            format!("`{key}` must be a plain string, without interpolation"),
                        );
                        None
                    }
                }
            }
            other => {
                self.error(other.span(), format!("`{key}` must be a string"));
                None
            }
        }
    }

    fn bool(&mut self, body: &Body, key: &str) -> Option<bool> {
        let a = self.attr(body, key)?;
        match &a.value {
            EditExpr::Bool(b) => Some(*b.value()),
            other => {
                self.error(other.span(), format!("`{key}` must be true or false"));
                None
            }
        }
    }

    fn strings(&mut self, body: &Body, key: &str) -> Vec<String> {
        let Some(a) = self.attr(body, key) else {
            return Vec::new();
        };
        match &a.value {
            EditExpr::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item {
                        EditExpr::String(s) => out.push(s.value().to_string()),
                        other => {
                            self.error(other.span(), format!("`{key}` must be a list of strings"))
                        }
                    }
                }
                out
            }
            other => {
                self.error(other.span(), format!("`{key}` must be a list of strings"));
                Vec::new()
            }
        }
    }

    fn numbers(&mut self, body: &Body, key: &str) -> Vec<u16> {
        let Some(a) = self.attr(body, key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        match &a.value {
            EditExpr::Array(items) => {
                for item in items.iter() {
                    match item {
                        EditExpr::Number(n) => {
                            match n.value().as_u64().and_then(|v| u16::try_from(v).ok()) {
                                Some(v) if (1..=4094).contains(&v) => out.push(v),
                                _ => self.error(
                                    item.span(),
                                    format!("`{key}` must hold VLAN ids from 1 to 4094"),
                                ),
                            }
                        }
                        other => {
                            self.error(other.span(), format!("`{key}` must be a list of numbers"))
                        }
                    }
                }
            }
            other => self.error(other.span(), format!("`{key}` must be a list of numbers")),
        }
        out
    }

    fn expr(&mut self, body: &Body, key: &str) -> Option<(hcl::Expression, Span)> {
        let a = self.attr(body, key)?;
        let span = self.span(a.value.span());
        Some((hcl::Expression::from(a.value.clone()), span))
    }

    fn settings(&mut self, b: &Block) -> Settings {
        let body = &b.body;
        self.check_keys(
            "settings",
            body,
            &[
                "packs",
                "fail_on",
                "include",
                "exclude",
                "policy_paths",
                "sensitive_keys",
                "sensitive_values",
                "sensitive_name_words",
                "var_files",
                "rego_namespaces",
            ],
            &[],
        );
        let fail_on = self.string(body, "fail_on").and_then(|s| match s.as_str() {
            "error" | "warning" | "never" | "note" => Some(s),
            _ => {
                let span = self.attr(body, "fail_on").and_then(|a| a.value.span());
                self.error(
                    span,
                    "`fail_on` must be \"error\", \"warning\", \"note\" or \"never\"".into(),
                );
                None
            }
        });
        let packs = self
            .attr(body, "packs")
            .is_some()
            .then(|| self.strings(body, "packs"));
        let list = |r: &mut Self, k: &str| r.attr(body, k).is_some().then(|| r.strings(body, k));
        Settings {
            packs,
            fail_on,
            include: self.strings(body, "include"),
            exclude: self.strings(body, "exclude"),
            policy_paths: self.strings(body, "policy_paths"),
            var_files: self.strings(body, "var_files"),
            sensitive_keys: list(self, "sensitive_keys"),
            sensitive_values: list(self, "sensitive_values"),
            sensitive_name_words: list(self, "sensitive_name_words"),
            rego_namespaces: list(self, "rego_namespaces"),
        }
    }

    fn pack(&mut self, b: &Block) -> Option<PackSpec> {
        let id = self.label(b)?;
        self.check_keys("pack", &b.body, &["title", "description", "sources"], &[]);
        Some(PackSpec {
            title: self.string(&b.body, "title").unwrap_or_else(|| id.clone()),
            description: self.string(&b.body, "description").unwrap_or_default(),
            sources: self.strings(&b.body, "sources"),
            span: self.span(b.span()),
            id,
        })
    }

    fn vendor(&mut self, b: &Block) -> Option<VendorSpec> {
        let id = self.label(b)?;
        let body = &b.body;
        self.check_keys(
            "vendor",
            body,
            &[
                "name",
                "parent",
                "relation",
                "confidence",
                "aliases",
                "oui_organizations",
                "fingerprints",
                "weak_fingerprints",
                "kinds",
                "restricted_by",
                "sources",
                "note",
            ],
            &["model"],
        );
        let relation = match self.string(body, "relation") {
            None => Relation::Maker,
            Some(s) => Relation::parse(&s).unwrap_or_else(|| {
                let span = self.attr(body, "relation").and_then(|a| a.value.span());
                self.error(span, "`relation` must be maker, subsidiary, brand, affiliate, former-affiliate or oem".into());
                Relation::Maker
            }),
        };
        let confidence = match self.string(body, "confidence") {
            None => Confidence::High,
            Some(s) => Confidence::parse(&s).unwrap_or_else(|| {
                let span = self.attr(body, "confidence").and_then(|a| a.value.span());
                self.error(span, "`confidence` must be high, medium or low".into());
                Confidence::High
            }),
        };
        let mut models = Vec::new();
        for m in body.get_blocks("model") {
            self.check_keys(
                "model",
                &m.body,
                &["pattern", "kind", "requires_context", "family"],
                &[],
            );
            let Some(pattern) = self.string(&m.body, "pattern") else {
                self.error(m.span(), "`model` needs a `pattern`".into());
                continue;
            };
            models.push(ModelSpec {
                pattern,
                kind: self.string(&m.body, "kind").map(Into::into),
                requires_context: self.bool(&m.body, "requires_context").unwrap_or(false),
                family: self.string(&m.body, "family"),
                span: self.span(m.span()),
            });
        }
        let restricted_by = self
            .attr(body, "restricted_by")
            .is_some()
            .then(|| self.strings(body, "restricted_by"));
        Some(VendorSpec {
            name: self.string(body, "name").unwrap_or_else(|| id.clone()),
            parent: self.string(body, "parent"),
            relation,
            confidence,
            aliases: self.strings(body, "aliases"),
            oui_organizations: self.strings(body, "oui_organizations"),
            fingerprints: self.strings(body, "fingerprints"),
            weak_fingerprints: self.strings(body, "weak_fingerprints"),
            models,
            kinds: self.strings(body, "kinds"),
            restricted_by: restricted_by.clone().unwrap_or_default(),
            inherits_restrictions: restricted_by.is_none(),
            sources: self.strings(body, "sources"),
            note: self.string(body, "note"),
            span: self.span(b.span()),
            id,
        })
    }

    fn kind(&mut self, b: &Block) -> Option<KindSpec> {
        let id = self.label(b)?;
        self.check_keys("kind", &b.body, &["words", "surveillance"], &[]);
        Some(KindSpec {
            words: self.strings(&b.body, "words"),
            surveillance: self.bool(&b.body, "surveillance").unwrap_or(false),
            id: id.into(),
        })
    }

    fn network(&mut self, b: &Block) -> Option<NetworkDecl> {
        let name = self.label(b)?;
        let body = &b.body;
        self.check_keys(
            "network",
            body,
            &["cidrs", "vlans", "names", "groups", "sensitive", "reason"],
            &[],
        );
        let mut cidrs = Vec::new();
        if let Some(a) = self.attr(body, "cidrs") {
            let span = a.value.span();
            for c in self.strings(body, "cidrs") {
                match c.parse::<ipnet::IpNet>() {
                    Ok(n) => cidrs.push(n.trunc()),
                    Err(_) => self.error(
                        span.clone(),
                        format!("`{c}` is not a CIDR (like 10.20.0.0/16)"),
                    ),
                }
            }
        }
        Some(NetworkDecl {
            cidrs,
            vlans: self.numbers(body, "vlans"),
            names: self.strings(body, "names"),
            groups: self.strings(body, "groups"),
            sensitive: self.bool(body, "sensitive").unwrap_or(true),
            reason: self.string(body, "reason"),
            span: self.span(b.span()),
            name,
        })
    }

    fn rule(&mut self, b: &Block) -> Option<RuleSpec> {
        let id = self.label(b)?;
        let body = &b.body;
        self.check_keys(
            "rule",
            body,
            &[
                "severity",
                "summary",
                "description",
                "help",
                "url",
                "over",
                "condition",
                "message",
                "enforce_from",
                "pack",
            ],
            &[],
        );
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            let span = b.labels.first().and_then(|l| l.span());
            self.error(
                span,
                format!("rule id `{id}` must be kebab-case (a-z, 0-9, -)"),
            );
        }
        let scope = match self.string(body, "over").as_deref() {
            None | Some("attachment") => RuleScope::Attachment,
            Some("device") => RuleScope::Device,
            Some("diagnostic") => RuleScope::Diagnostic,
            Some(other) => {
                let span = self.attr(body, "over").and_then(|a| a.value.span());
                self.error(span, format!("`over` must be \"attachment\", \"device\" or \"diagnostic\", not \"{other}\""));
                RuleScope::Attachment
            }
        };
        let severity = match self.attr(body, "severity") {
            None => {
                self.error(b.span(), format!("rule `{id}` needs a `severity`"));
                None
            }
            Some(a) => match &a.value {
                EditExpr::String(s) => match Severity::parse(s.value()) {
                    Some(sev) => Some(super::rules::SeveritySpec::Fixed(sev)),
                    None => {
                        self.error(
                            a.value.span(),
                            "`severity` must be \"error\", \"warning\" or \"note\"".into(),
                        );
                        None
                    }
                },
                _ => self
                    .expr(body, "severity")
                    .map(|(e, s)| super::rules::SeveritySpec::Expr(e, s)),
            },
        };
        let condition = self.expr(body, "condition");
        if condition.is_none() && scope != RuleScope::Diagnostic {
            self.error(b.span(), format!("rule `{id}` needs a `condition`"));
        }
        let enforce_from = match self.string(body, "enforce_from") {
            None => None,
            Some(s) => match s.parse::<jiff::civil::Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    let span = self.attr(body, "enforce_from").and_then(|a| a.value.span());
                    self.error(
                        span,
                        format!("`enforce_from` must be a date like 2027-01-31, not \"{s}\""),
                    );
                    None
                }
            },
        };
        Some(RuleSpec {
            severity: severity.unwrap_or(super::rules::SeveritySpec::Fixed(Severity::Error)),
            summary: self.string(body, "summary").unwrap_or_default(),
            description: self.string(body, "description").unwrap_or_default(),
            help: self.string(body, "help"),
            url: self.string(body, "url"),
            scope,
            condition,
            message: self.expr(body, "message"),
            enforce_from,
            pack: self.string(body, "pack"),
            span: self.span(b.span()),
            id_span: self.span(b.labels.first().and_then(|l| l.span())),
            id,
        })
    }
}

/// The allowed word nearest to a typo, if it is close.
fn closest<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(word, a), *a))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}
