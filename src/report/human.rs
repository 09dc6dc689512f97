//! `--format human`: findings rendered by miette, with the device as the
//! primary label and the vendor and sensitivity evidence as secondary
//! labels (or notes, when they are in another file), then a summary line.
//!
//! miette scans a source from its first byte for every report; with
//! thousands of findings in one file that is quadratic, so sources are
//! handed to it through [`Indexed`], which uses the file's line index to
//! give miette only the lines around a span.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{ReportContext, Reporter, location_of};
use crate::model::{Severity, SourceFile};
use crate::policy::{Analysis, Finding, Policy};

pub struct Human;

impl Reporter for Human {
    fn report(
        &self,
        analysis: &Analysis,
        _policy: &Policy,
        ctx: &ReportContext,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let theme = if ctx.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_width(110)
            .with_context_lines(1);
        let inv = &analysis.inventory;
        for f in analysis.findings.iter().filter(|f| f.is_active()) {
            let Some(file) = inv.file(f.span) else {
                continue;
            };
            let report = Report::new(f, file, analysis);
            let mut s = String::new();
            if handler.render_report(&mut s, &report).is_err() {
                s = format!("{}: {}\n", f.rule, f.message);
            }
            out.write_all(s.as_bytes())?;
        }
        if ctx.quiet {
            return Ok(());
        }
        let sum = super::json::summary(analysis, ctx);
        let mut line = format!(
            "{} {}, {} {}, {} {} in {} {} ({} {}, {} {})",
            sum.errors,
            plural(sum.errors, "error", "errors"),
            sum.warnings,
            plural(sum.warnings, "warning", "warnings"),
            sum.notes,
            plural(sum.notes, "note", "notes"),
            sum.files,
            plural(sum.files, "file", "files"),
            sum.devices,
            plural(sum.devices, "device", "devices"),
            sum.networks,
            plural(sum.networks, "network", "networks"),
        );
        if sum.suppressed > 0 {
            line.push_str(&format!(", {} suppressed", sum.suppressed));
        }
        if let Some(b) = sum.baselined
            && b > 0
        {
            line.push_str(&format!(", {b} in the baseline"));
        }
        if let Some(fixed) = sum.baseline_fixed
            && fixed > 0
        {
            line.push_str(&format!(
                "; {fixed} baseline entr{} no longer match (rerun with --write-baseline to shrink it)",
                if fixed == 1 { "y" } else { "ies" }
            ));
        }
        if sum.ignored > 0 {
            line.push_str(&format!(
                "; {} path{} ignored by .gitignore/.camlintignore/excludes",
                sum.ignored,
                plural(sum.ignored, "", "s")
            ));
        }
        if !sum.fail_on_parse_error {
            line.push_str("; parse errors do not fail this run (--fail-on-parse-error=false)");
        }
        if let Some(t) = ctx.elapsed {
            line.push_str(&format!(" in {:.2}s", t.as_secs_f64()));
        }
        writeln!(out, "{line}")
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// One finding shaped as a miette diagnostic.
struct Report<'a> {
    finding: &'a Finding,
    source: Indexed<'a>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl<'a> Report<'a> {
    fn new(finding: &'a Finding, file: &'a SourceFile, analysis: &Analysis) -> Report<'a> {
        let inv = &analysis.inventory;
        let primary_label = match finding.device.and_then(|d| inv.devices.get(d)) {
            Some(_) => "this device".to_string(),
            None => finding.rule.replace('-', " "),
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(primary_label),
            head_span(finding.span, file),
        )];
        let mut notes = Vec::new();
        for r in &finding.related {
            if r.span.file == file.id {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.label.clone()),
                    head_span(r.span, file),
                ));
            } else {
                let loc = location_of(inv, r.span);
                notes.push(format!(
                    "{}:{}:{}: {}",
                    loc.file, loc.line, loc.column, r.label
                ));
            }
        }
        let mut help = String::new();
        for n in &notes {
            help.push_str(n);
            help.push('\n');
        }
        if let Some(h) = &finding.help {
            help.push_str(h);
        }
        Report {
            finding,
            source: Indexed { file },
            labels,
            help: (!help.is_empty()).then_some(help),
        }
    }
}

/// The first line of a span: a whole resource block as a label is noise.
fn head_span(span: crate::model::Span, file: &SourceFile) -> SourceSpan {
    let start = span.start as usize;
    let end = (span.end as usize).min(file.text.len()).max(start);
    let text = file.text.get(start..end).unwrap_or("");
    let len = text.find(['\n', '\r']).unwrap_or(text.len());
    SourceSpan::new(start.into(), len)
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A source that uses the file's line index instead of rescanning.
pub struct Indexed<'a> {
    pub file: &'a SourceFile,
}

impl SourceCode for Indexed<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_before: usize,
        context_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text: &str = &self.file.text;
        let lines = self.file.lines();
        let offset = span.offset().min(text.len());
        let end = (offset + span.len()).min(text.len());
        let l0 = lines.line_of(offset as u32).saturating_sub(context_before);
        let l1 = lines.line_of(end as u32) + context_after;
        let ws = lines.line_start(l0) as usize;
        let we = (lines.line_start(l1 + 1) as usize).min(text.len());
        let window = text.get(ws..we).ok_or(MietteError::OutOfBounds)?;
        let inner = SourceSpan::new((offset - ws).into(), end - offset);
        let contents = window.read_span(&inner, context_before, context_after)?;
        let o = ws + contents.span().offset();
        let n = contents.span().len();
        let data = text
            .as_bytes()
            .get(o..o + n)
            .ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.file.display_path(),
            data,
            (o, n).into(),
            contents.line() + l0,
            contents.column(),
            contents.line_count(),
        )))
    }
}
