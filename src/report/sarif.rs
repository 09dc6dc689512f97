//! `--format sarif`: a SARIF 2.1.0 log for GitHub code scanning and other
//! SARIF consumers.
//!
//! The log is written from our own serde structs rather than a SARIF crate:
//! we emit a small, fixed subset (one run, rules, results with related
//! locations and fingerprints), and ~150 lines of plain structs are easier
//! to read and keep stable than generated builders. Field names follow the
//! spec's camelCase; `tests/sarif.rs` validates the output against the
//! official schema and GitHub's extra conditions (a relative `uri` with a
//! `uriBaseId`, `startLine` ≥ 1, `columnKind`, a rule for every `ruleId`).
//! Columns are code points, as `LineIndex` counts them, hence
//! `columnKind: unicodeCodePoints`. Suppressed and baselined findings stay
//! in the log with SARIF `suppressions` (the comment's reason, or the
//! baseline), which code scanning shows as dismissed rather than open. Nothing here depends on the clock or the
//! machine, so the same scan gives the same bytes.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{ReportContext, Reporter, clean_path, fingerprint, is_builtin, location_of, rule_url};
use crate::model::{Severity, Span};
use crate::policy::{Analysis, Finding, Policy, RuleSpec};
use crate::resolve::Inventory;

pub struct Sarif;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Paths are relative to the directory camlint ran in, which a consumer
/// maps to its checkout (GitHub: the repository root).
const SRCROOT: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "camlint/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    /// GitHub ranks security alerts by this CVSS-like score.
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [SarifLocation; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    /// Only with `--baseline`: `new` or `unchanged`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
}

/// Why a finding does not count: a `camlint:ignore` comment (`inSource`)
/// or a baseline entry (`external`).
#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<SarifLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

impl Reporter for Sarif {
    fn report(
        &self,
        analysis: &Analysis,
        policy: &Policy,
        ctx: &ReportContext,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let rules: Vec<Rule> = policy.rules.iter().map(|r| rule(r, policy)).collect();
        let results = analysis
            .findings
            .iter()
            .map(|f| result(f, analysis, policy, ctx))
            .collect();
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "camlint",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: super::INFORMATION_URI,
                        rules,
                    },
                },
                column_kind: "unicodeCodePoints",
                results,
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
        writeln!(out)
    }
}

/// SARIF's three result levels map one to one onto our severities.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn rule<'a>(r: &'a RuleSpec, policy: &Policy) -> Rule<'a> {
    let summary = if r.summary.trim().is_empty() {
        r.id.clone()
    } else {
        r.summary.trim().to_string()
    };
    let description = if r.description.trim().is_empty() {
        summary.clone()
    } else {
        r.description
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut tags = vec!["security".to_string()];
    tags.push(r.pack.clone().unwrap_or_else(|| "custom".into()));
    if !is_builtin(r, policy) && r.pack.is_some() {
        tags.push("custom".into());
    }
    let severity = r.default_severity();
    Rule {
        id: &r.id,
        short_description: Text { text: summary },
        full_description: Text { text: description },
        help: Help {
            text: r.help.clone().unwrap_or_else(|| r.summary.clone()),
            markdown: crate::docs::explain(r),
        },
        help_uri: rule_url(r, policy),
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: RuleProperties {
            tags,
            security_severity: match severity {
                Severity::Error => "8.0",
                Severity::Warning => "5.0",
                Severity::Note => "2.0",
            },
        },
    }
}

fn result<'a>(
    f: &'a Finding,
    analysis: &Analysis,
    policy: &Policy,
    ctx: &ReportContext,
) -> SarifResult<'a> {
    let inv = &analysis.inventory;
    // Places inside camlint's embedded packs are not in the user's
    // repository; a consumer could not open them.
    let related_locations = f
        .related
        .iter()
        .filter(|r| {
            inv.file(r.span)
                .is_some_and(|file| !file.display_path().starts_with("<builtin>"))
        })
        .enumerate()
        .map(|(i, r)| SarifLocation {
            id: Some(i + 1),
            physical_location: physical(inv, r.span),
            message: Some(Text {
                text: r.label.clone(),
            }),
        })
        .collect();
    SarifResult {
        rule_id: &f.rule,
        rule_index: policy.rules.iter().position(|r| r.id == f.rule),
        level: level(f.severity),
        message: Text {
            text: f.message.clone(),
        },
        locations: [SarifLocation {
            id: None,
            physical_location: physical(inv, f.span),
            message: None,
        }],
        related_locations,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint(f, analysis))]),
        baseline_state: ctx
            .baseline_unmatched
            .map(|_| if f.baselined { "unchanged" } else { "new" }),
        suppressions: suppressions(f, inv),
    }
}

fn suppressions(f: &Finding, inv: &Inventory) -> Vec<Suppression> {
    let mut out = Vec::new();
    if let Some(s) = &f.suppressed {
        let justification = match &s.until {
            Some(until) => format!("{} (until {until})", s.reason),
            None => s.reason.clone(),
        };
        out.push(Suppression {
            kind: "inSource",
            justification,
            location: Some(SarifLocation {
                id: None,
                physical_location: physical(inv, s.span),
                message: None,
            }),
        });
    }
    if f.baselined {
        out.push(Suppression {
            kind: "external",
            justification: "recorded in the baseline (--baseline)".into(),
            location: None,
        });
    }
    out
}

fn physical(inv: &Inventory, span: Span) -> PhysicalLocation {
    let loc = location_of(inv, span);
    let (uri, uri_base_id) = artifact_uri(&loc.file);
    // A region may not end before it starts; an empty span ends where it
    // starts.
    let (end_line, end_column) = if (loc.end_line, loc.end_column) < (loc.line, loc.column) {
        (loc.line, loc.column)
    } else {
        (loc.end_line, loc.end_column)
    };
    PhysicalLocation {
        artifact_location: ArtifactLocation { uri, uri_base_id },
        region: Region {
            start_line: loc.line.max(1),
            start_column: loc.column.max(1),
            end_line: end_line.max(1),
            end_column: end_column.max(1),
        },
    }
}

/// A displayed path as a SARIF URI: relative to `%SRCROOT%` (the directory
/// camlint ran in) when it can be, else an absolute `file://` URI with no
/// base. Characters a URI may not hold are percent-encoded.
pub fn artifact_uri(display: &str) -> (String, Option<&'static str>) {
    let mut path = clean_path(display).to_string();
    if path.starts_with('/')
        && let Some(rel) = std::env::current_dir().ok().and_then(|cwd| {
            std::path::Path::new(&path)
                .strip_prefix(cwd)
                .ok()
                .map(|r| r.to_path_buf())
        })
    {
        path = crate::model::display_path(&rel);
    }
    // Windows drive paths (`C:/…`) are absolute too.
    let absolute = path.starts_with('/') || path.as_bytes().get(1) == Some(&b':');
    let encoded = percent_encode(&path);
    if absolute {
        let sep = if encoded.starts_with('/') { "" } else { "/" };
        (format!("file://{sep}{encoded}"), None)
    } else {
        (encoded, Some(SRCROOT))
    }
}

fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else if b == b':' && out.len() == 1 {
            // The drive letter of a Windows path.
            out.push(':');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_with_forward_slashes() {
        assert_eq!(
            artifact_uri("./sites/hq/cameras.tf"),
            ("sites/hq/cameras.tf".to_string(), Some(SRCROOT))
        );
        assert_eq!(
            artifact_uri("a b/c%d.tf"),
            ("a%20b/c%25d.tf".to_string(), Some(SRCROOT))
        );
        assert_eq!(artifact_uri("/nowhere/x.tf").1, None);
        assert!(
            artifact_uri("/nowhere/x.tf")
                .0
                .starts_with("file:///nowhere/")
        );
    }
}
