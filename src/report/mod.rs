//! Reporters: one file per output format behind one trait. Reporters only
//! print what the analysis decided; they never decide anything.

pub mod codequality;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::io::{self, Write};

use crate::model::Span;
use crate::policy::{Analysis, Finding, Policy, RuleSpec};
use crate::resolve::Inventory;

pub use json::Location;

/// Facts about the run that are not in the analysis.
#[derive(Debug, Clone)]
pub struct ReportContext {
    /// Files scanned (policy files not counted).
    pub scanned_files: usize,
    pub color: bool,
    /// Wall time so far, shown by the human summary only.
    pub elapsed: Option<std::time::Duration>,
    /// Findings only: no summary line.
    pub quiet: bool,
    /// Lowest severity that fails the run (`None`: `--fail-on never`).
    /// Formats with a pass/fail notion (JUnit) mark findings by it.
    pub fail_on: Option<crate::model::Severity>,
    /// With `--baseline`: entries that matched no finding (fixed since).
    pub baseline_unmatched: Option<usize>,
    /// Paths left out by ignore files and exclude globs.
    pub ignored: usize,
    /// False with `--fail-on-parse-error=false`: the summary must say so.
    pub parse_errors_fail: bool,
}

impl Default for ReportContext {
    fn default() -> Self {
        ReportContext {
            scanned_files: 0,
            color: false,
            elapsed: None,
            quiet: false,
            fail_on: Some(crate::model::Severity::Error),
            baseline_unmatched: None,
            ignored: 0,
            parse_errors_fail: true,
        }
    }
}

impl ReportContext {
    /// True when the finding makes the run fail.
    /// Suppressed and baselined findings never fail.
    pub fn fails(&self, finding: &Finding) -> bool {
        finding.is_active() && self.fail_on.is_some_and(|t| finding.severity >= t)
    }
}

pub trait Reporter {
    fn report(
        &self,
        analysis: &Analysis,
        policy: &Policy,
        ctx: &ReportContext,
        out: &mut dyn Write,
    ) -> io::Result<()>;
}

/// 1-based location of a span, with the path as the user reached it.
pub fn location_of(inv: &Inventory, span: Span) -> Location {
    let Some(file) = inv.file(span) else {
        return Location {
            file: String::new(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        };
    };
    let lines = file.lines();
    let start = lines.line_col(span.start);
    let end = lines.line_col(span.end);
    Location {
        file: file.display_path(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// Where camlint's documentation lives; SARIF and the rule pages link here.
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// A path as the user reached it, without the leading `./` that
/// `camlint check .` adds, so the same file has one name whichever way it
/// was scanned.
pub fn clean_path(display: &str) -> &str {
    let mut s = display;
    while let Some(rest) = s.strip_prefix("./") {
        s = rest.trim_start_matches('/');
    }
    s
}

/// A finding's stable identity, the one baselines record (rule, file,
/// device, network; never a line number). SARIF carries it as
/// `partialFingerprints["camlint/v1"]` and Code Quality as `fingerprint`,
/// so code scanning, GitLab and `--baseline` agree on what is the same
/// finding.
pub fn fingerprint(finding: &Finding, analysis: &Analysis) -> String {
    crate::policy::baseline::fingerprint(finding, analysis)
}

/// True for the rules compiled into camlint (documented in `docs/rules/`),
/// as opposed to a user's custom policies.
pub fn is_builtin(rule: &RuleSpec, policy: &Policy) -> bool {
    policy
        .file(rule.span.file)
        .is_some_and(|f| f.display_path().starts_with("<builtin>"))
}

/// The page documenting a rule: its own `url`, else, for a built-in rule,
/// its generated page in the repository.
pub fn rule_url(rule: &RuleSpec, policy: &Policy) -> Option<String> {
    rule.url.clone().or_else(|| {
        is_builtin(rule, policy)
            .then(|| format!("{INFORMATION_URI}/blob/main/docs/rules/{}.md", rule.id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_dot_slash_is_dropped() {
        assert_eq!(clean_path("./a/b.tf"), "a/b.tf");
        assert_eq!(clean_path(".//./a.tf"), "a.tf");
        assert_eq!(clean_path("../a.tf"), "../a.tf");
        assert_eq!(clean_path(".hidden/a.tf"), ".hidden/a.tf");
    }
}
