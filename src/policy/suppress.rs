//! Suppression comments: `camlint:ignore[RULE] reason="…" until=YYYY-MM-DD`.
//!
//! A suppression is found in any format's comment syntax, on the line
//! above a finding's location (it applies to the next line that is not
//! blank or another suppression) or at the end of that line. A reason is
//! required and a date is optional; a suppression without a reason, with a
//! bad date or past its date does not apply, and says so as a warning
//! (`invalid-suppression`, `expired-suppression`). Suppressed findings are
//! kept, marked, and counted: an audit with `--no-suppressions` sees them.

use memchr::memmem;

use crate::model::{Diagnostic, Severity, SourceFile, SourceKind, Span};

pub const MARKER: &str = "camlint:ignore";

/// Why a finding is not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub reason: String,
    pub until: Option<String>,
    /// The comment.
    pub span: Span,
}

/// A parsed suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub span: Span,
    /// 0-based line it applies to.
    pub target_line: u32,
    /// Empty: every rule.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub until: Option<String>,
}

/// Comment introducers of each format.
fn comment_starts(kind: SourceKind) -> &'static [&'static str] {
    use SourceKind::*;
    match kind {
        TerraformHcl | TerraformVars | Policy => &["#", "//", "/*"],
        TerraformJson | TerraformVarsJson | TerraformPlan | NetboxJson => &[],
        AnsibleIni => &["#", ";"],
        AnsibleYamlInventory
        | AnsibleVars
        | AnsiblePlaybook
        | AnsibleRoleVars
        | AnsibleDynamicInventory => &["#"],
        CiscoConfig => &["!"],
        JunosSet | JunosCurly => &["#", "/*"],
        Dhcpd | Dnsmasq => &["#"],
        Kea => &["//", "#", "/*"],
        AssetCsv => &["#"],
    }
}

/// Finds the suppression comments of one file. Diagnostics are for
/// malformed ones.
pub fn scan(file: &SourceFile, today: jiff::civil::Date) -> (Vec<Suppression>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    let text: &str = &file.text;
    let starts = comment_starts(file.kind);
    if starts.is_empty() || memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return (out, diags);
    }
    let lines = file.lines();
    for at in memmem::find_iter(text.as_bytes(), MARKER.as_bytes()) {
        let line0 = lines.line_of(at as u32);
        let line_start = lines.line_start(line0) as usize;
        let before = text.get(line_start..at).unwrap_or("");
        // The marker must sit inside a comment on its line.
        let Some(comment_at) = starts.iter().filter_map(|s| before.find(s)).min() else {
            continue;
        };
        let code_before = before.get(..comment_at).unwrap_or("").trim();
        let line_end = lines.line_start(line0 + 1) as usize;
        let rest = text
            .get(at + MARKER.len()..line_end.max(at + MARKER.len()))
            .unwrap_or("");
        let rest = rest.trim_end_matches(['\n', '\r']).trim_end_matches("*/");
        let span = file.span(
            line_start + comment_at,
            line_start + before.len() + MARKER.len() + rest.len(),
        );
        let (rules, reason, until, problem) = parse_body(rest);
        let target_line = if code_before.is_empty() {
            next_code_line(file, line0 + 1)
        } else {
            line0 as u32
        };
        let s = Suppression {
            span,
            target_line,
            rules,
            reason,
            until,
        };
        if let Some(p) = problem {
            diags.push(warning("invalid-suppression", span, p));
            continue;
        }
        if s.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            diags.push(warning(
                "invalid-suppression",
                span,
                "suppression has no reason; write camlint:ignore[RULE] reason=\"why\" (the finding stands)".into(),
            ));
            continue;
        }
        if let Some(u) = &s.until {
            match u.parse::<jiff::civil::Date>() {
                Ok(d) if d < today => {
                    diags.push(warning(
                        "expired-suppression",
                        span,
                        format!("suppression expired on {u} (the finding stands)"),
                    ));
                    continue;
                }
                Ok(_) => {}
                Err(_) => {
                    diags.push(warning(
                        "invalid-suppression",
                        span,
                        format!("until={u} is not a date like 2027-03-31 (the finding stands)"),
                    ));
                    continue;
                }
            }
        }
        out.push(s);
    }
    (out, diags)
}

fn warning(rule: &'static str, span: Span, message: String) -> Diagnostic {
    Diagnostic {
        rule,
        severity: Severity::Warning,
        message,
        span,
        help: None,
    }
}

/// The first line at or after `line0` that is neither blank nor another
/// suppression comment.
fn next_code_line(file: &SourceFile, mut line0: usize) -> u32 {
    let lines = file.lines();
    while line0 < lines.line_count() {
        let t = lines.line_text(line0).trim();
        if !t.is_empty() && !t.contains(MARKER) {
            break;
        }
        line0 += 1;
    }
    line0 as u32
}

type Parsed = (Vec<String>, Option<String>, Option<String>, Option<String>);

/// Parses `[r1,r2] reason="…" until=YYYY-MM-DD` after the marker.
fn parse_body(rest: &str) -> Parsed {
    let mut rules = Vec::new();
    let mut s = rest;
    if let Some(after) = s.strip_prefix('[') {
        let Some(end) = after.find(']') else {
            return (
                rules,
                None,
                None,
                Some("`[` without a closing `]` in suppression".into()),
            );
        };
        rules = after
            .get(..end)
            .unwrap_or("")
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        s = after.get(end + 1..).unwrap_or("");
    } else if !s.is_empty() && !s.starts_with(char::is_whitespace) {
        return (
            rules,
            None,
            None,
            Some("expected `[RULE]` after camlint:ignore".into()),
        );
    }
    let mut reason = None;
    let mut until = None;
    let mut s = s.trim_start();
    while !s.is_empty() {
        let Some((key, after)) = s.split_once('=') else {
            break;
        };
        let key = key.trim();
        let (value, remaining) = if let Some(q) = after.strip_prefix('"') {
            match q.find('"') {
                Some(end) => (
                    q.get(..end).unwrap_or("").to_string(),
                    q.get(end + 1..).unwrap_or(""),
                ),
                None => {
                    return (
                        rules,
                        reason,
                        until,
                        Some("unterminated quoted value in suppression".into()),
                    );
                }
            }
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (
                after.get(..end).unwrap_or("").to_string(),
                after.get(end..).unwrap_or(""),
            )
        };
        match key {
            "reason" => reason = Some(value),
            "until" => until = Some(value),
            other => {
                return (
                    rules,
                    reason,
                    until,
                    Some(format!(
                        "unknown suppression key `{other}`; expected reason= or until="
                    )),
                );
            }
        }
        s = remaining.trim_start();
    }
    (rules, reason, until, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileId;
    use std::sync::Arc;

    fn file(kind: SourceKind, text: &str) -> SourceFile {
        SourceFile::new(FileId(0), "x".into(), kind, Arc::from(text))
    }

    fn today() -> jiff::civil::Date {
        "2026-06-01".parse().unwrap()
    }

    #[test]
    fn own_line_applies_to_next_code_line_and_trailing_to_its_own() {
        let f = file(
            SourceKind::TerraformHcl,
            "# camlint:ignore[restricted-camera-present] reason=\"phase-out ticket 12\" until=2027-01-01\n\n\
             resource \"a\" \"b\" {\n  mac = \"x\" // camlint:ignore[parse-error] reason=\"known\"\n}\n",
        );
        let (s, d) = scan(&f, today());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].target_line, 2);
        assert_eq!(s[0].rules, ["restricted-camera-present"]);
        assert_eq!(s[0].reason.as_deref(), Some("phase-out ticket 12"));
        assert_eq!(s[0].until.as_deref(), Some("2027-01-01"));
        assert_eq!(s[1].target_line, 3);
    }

    #[test]
    fn missing_reason_bad_and_past_dates_are_reported_and_do_not_apply() {
        let f = file(
            SourceKind::AnsibleIni,
            "; camlint:ignore[x]\ncam1\n# camlint:ignore[x] reason=\"r\" until=2025-01-01\ncam2\n\
             # camlint:ignore[x] reason=\"r\" until=2025-02-30\ncam3\n",
        );
        let (s, d) = scan(&f, today());
        assert!(s.is_empty());
        let rules: Vec<_> = d.iter().map(|d| d.rule).collect();
        assert_eq!(
            rules,
            [
                "invalid-suppression",
                "expired-suppression",
                "invalid-suppression"
            ]
        );
    }

    #[test]
    fn only_comments_count_in_each_syntax() {
        let ios = file(
            SourceKind::CiscoConfig,
            "interface Gi1\n description camlint:ignore[x] reason=\"r\"\n",
        );
        assert!(
            scan(&ios, today()).0.is_empty(),
            "a description is not a comment"
        );
        let ios = file(
            SourceKind::CiscoConfig,
            "! camlint:ignore[x] reason=\"r\"\ninterface Gi1\n",
        );
        assert_eq!(scan(&ios, today()).0.len(), 1);
        let junos = file(
            SourceKind::JunosCurly,
            "/* camlint:ignore[x] reason=\"r\" */\nge-0/0/1 {\n",
        );
        let (s, d) = scan(&junos, today());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s[0].reason.as_deref(), Some("r"));
    }
}
