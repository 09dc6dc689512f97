//! The per-file cap on findings (`--max-findings-per-file`).
//!
//! A hostile or generated file can yield findings by the hundred thousand,
//! and a report that size helps nobody and costs memory and CI log space.
//! Past the cap, a file's remaining findings collapse into one
//! `too-many-findings` finding that says how many were left out and takes
//! the highest severity among the active ones, so the summary still shows
//! that errors exist. The exit code is decided before the cap applies.

use std::collections::HashMap;

use super::eval::{Analysis, Finding};
use crate::model::{FileId, Severity};

/// Default of `--max-findings-per-file`.
pub const DEFAULT_MAX_FINDINGS_PER_FILE: usize = 1000;

/// Rule id of the finding that stands for the ones left out.
pub const RULE: &str = "too-many-findings";

/// Keeps the first `max` findings of each file (in report order) and
/// replaces the rest by one finding. `max` 0 means no cap.
pub fn cap_per_file(analysis: &mut Analysis, max: usize) {
    if max == 0 {
        return;
    }
    let mut count: HashMap<FileId, usize> = HashMap::new();
    // Per file: where the first dropped finding was, how many were dropped,
    // the highest active severity among them, and its position in the list.
    let mut dropped: HashMap<FileId, (usize, usize, Option<Severity>)> = HashMap::new();
    let mut kept = Vec::with_capacity(analysis.findings.len().min(max.saturating_mul(16)));
    for f in std::mem::take(&mut analysis.findings) {
        let n = count.entry(f.span.file).or_insert(0);
        *n += 1;
        if *n <= max {
            kept.push(f);
            continue;
        }
        let entry = dropped.entry(f.span.file).or_insert_with(|| {
            kept.push(summary_placeholder(&f));
            (kept.len() - 1, 0, None)
        });
        entry.1 += 1;
        if f.is_active() {
            entry.2 = entry.2.max(Some(f.severity));
        }
    }
    for (at, n, severity) in dropped.into_values() {
        if let Some(f) = kept.get_mut(at) {
            f.severity = severity.unwrap_or(Severity::Note);
            f.message = format!(
                "{n} more finding{} in this file {} not listed: over the limit of {max} per file (raise it with --max-findings-per-file)",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
            );
        }
    }
    analysis.findings = kept;
}

fn summary_placeholder(first_dropped: &Finding) -> Finding {
    Finding {
        rule: RULE.to_string(),
        severity: Severity::Note,
        message: String::new(),
        span: first_dropped.span,
        device: None,
        network: None,
        related: Vec::new(),
        help: Some(
            "Fix the findings listed first, or raise --max-findings-per-file to see them all."
                .into(),
        ),
        suppressed: None,
        baselined: false,
    }
}
