//! Reporters: one file per output format behind one trait. Reporters only
//! print what the analysis decided; they never decide anything.

pub mod human;
pub mod json;

use std::io::{self, Write};

use crate::model::Span;
use crate::policy::{Analysis, Policy};
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
            baseline_unmatched: None,
            ignored: 0,
            parse_errors_fail: true,
        }
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
