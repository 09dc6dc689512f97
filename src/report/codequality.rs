//! `--format codequality`: GitLab's Code Quality report (a subset of the
//! Code Climate issue format), which merge requests show inline when a job
//! publishes it as `artifacts:reports:codequality`.
//!
//! GitLab requires `description`, `check_name`, `fingerprint`, `severity`
//! and `location.path` with `location.lines.begin`; it matches issues
//! between the base and head pipelines by fingerprint, so we use the same
//! stable identity as SARIF's `partialFingerprints`.

use std::io::{self, Write};

use serde::Serialize;

use super::{ReportContext, Reporter, clean_path, fingerprint, location_of};
use crate::model::Severity;
use crate::policy::{Analysis, Policy};

pub struct CodeQuality;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

impl Reporter for CodeQuality {
    fn report(
        &self,
        analysis: &Analysis,
        _policy: &Policy,
        _ctx: &ReportContext,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let issues: Vec<Issue> = analysis
            .findings
            .iter()
            .filter(|f| f.is_active())
            .map(|f| {
                let loc = location_of(&analysis.inventory, f.span);
                Issue {
                    kind: "issue",
                    description: &f.message,
                    check_name: &f.rule,
                    fingerprint: fingerprint(f, analysis),
                    severity: match f.severity {
                        Severity::Error => "critical",
                        Severity::Warning => "major",
                        Severity::Note => "info",
                    },
                    location: IssueLocation {
                        path: clean_path(&loc.file).to_string(),
                        lines: Lines {
                            begin: loc.line,
                            end: loc.end_line.max(loc.line),
                        },
                    },
                }
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &issues).map_err(io::Error::other)?;
        writeln!(out)
    }
}
