//! `--format github`: GitHub Actions workflow commands, one line per
//! finding, which the runner turns into annotations on the pull request:
//!
//! `::error file=a.tf,line=3,col=1,endLine=9,endColumn=2,title=RULE::message`
//!
//! Errors are `::error`, warnings `::warning`, notes `::notice`. Values are
//! escaped exactly as GitHub's own toolkit (`@actions/core`) escapes them,
//! so a message with a newline, a `%`, or a property with `:` or `,` cannot
//! break the command or be read as another one. The evidence follows the
//! message on lines of its own (escaped newlines), as annotations show them.

use std::io::{self, Write};

use super::{ReportContext, Reporter, clean_path, location_of};
use crate::model::Severity;
use crate::policy::{Analysis, Policy};

pub struct Github;

impl Reporter for Github {
    fn report(
        &self,
        analysis: &Analysis,
        _policy: &Policy,
        _ctx: &ReportContext,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let inv = &analysis.inventory;
        // Suppressed and baselined findings are not worth an annotation.
        for f in analysis.findings.iter().filter(|f| f.is_active()) {
            let loc = location_of(inv, f.span);
            let mut message = f.message.clone();
            for r in &f.related {
                let rl = location_of(inv, r.span);
                message.push_str(&format!(
                    "\n{}:{}:{}: {}",
                    clean_path(&rl.file),
                    rl.line,
                    rl.column,
                    r.label
                ));
            }
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(clean_path(&loc.file)),
                loc.line,
                loc.column,
                loc.end_line.max(loc.line),
                loc.end_column,
                escape_property(&f.rule),
                escape_data(&message),
            )?;
        }
        Ok(())
    }
}

/// `escapeData` in `@actions/core`: the message after `::`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `escapeProperty` in `@actions/core`: a `key=value` before `::`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("50% a\r\nb: c, d"),
            "50%25 a%0D%0Ab%3A c%2C d"
        );
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_property("%3A"), "%253A");
    }
}
