//! `--format junit`: JUnit XML for CI test-report views (GitLab's
//! `artifacts:reports:junit`, Jenkins, Azure DevOps), written with
//! `quick-junit`.
//!
//! One test suite per loaded rule (so a clean rule shows as an empty
//! suite), one test case per finding. A finding at or above the fail level
//! is a `<failure>`; one below it is a passing case whose `<system-out>`
//! holds the message, so warnings stay visible without failing the report.
//! Suppressed and baselined findings are skipped cases that say why.
//! Cases carry `file` and `line` attributes, which GitLab and Jenkins link
//! to the source. No timestamps or durations: the same scan gives the same
//! bytes.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{ReportContext, Reporter, clean_path, location_of};
use crate::policy::{Analysis, Finding, Policy};

pub struct Junit;

impl Reporter for Junit {
    fn report(
        &self,
        analysis: &Analysis,
        policy: &Policy,
        ctx: &ReportContext,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut report = Report::new("camlint");
        // Rules in load order, then any finding whose rule is not loaded
        // (none today, but a finding must never be dropped).
        let mut ids: Vec<&str> = policy.rules.iter().map(|r| r.id.as_str()).collect();
        for f in &analysis.findings {
            if !ids.contains(&f.rule.as_str()) {
                ids.push(&f.rule);
            }
        }
        for id in ids {
            let mut suite = TestSuite::new(id);
            suite.add_test_cases(
                analysis
                    .findings
                    .iter()
                    .filter(|f| f.rule == id)
                    .map(|f| test_case(f, analysis, ctx)),
            );
            report.add_test_suite(suite);
        }
        report.serialize(&mut *out).map_err(io::Error::other)?;
        writeln!(out)
    }
}

fn test_case(f: &Finding, analysis: &Analysis, ctx: &ReportContext) -> TestCase {
    let inv = &analysis.inventory;
    let loc = location_of(inv, f.span);
    let file = clean_path(&loc.file).to_string();
    let at = format!("{file}:{}:{}", loc.line, loc.column);
    let name = match f.device.and_then(|d| inv.devices.get(d)) {
        Some(d) => d.name.clone(),
        None => format!("{file}:{}", loc.line),
    };
    let mut details = format!("{at}: {}: {}\n", f.severity.as_str(), f.message);
    for r in &f.related {
        let rl = location_of(inv, r.span);
        details.push_str(&format!(
            "  {}:{}:{}: {}\n",
            clean_path(&rl.file),
            rl.line,
            rl.column,
            r.label
        ));
    }
    if let Some(h) = &f.help {
        details.push_str(&format!("  help: {h}\n"));
    }
    let status = if let Some(sup) = &f.suppressed {
        let mut s = TestCaseStatus::skipped();
        s.set_message(format!("suppressed: {}", sup.reason))
            .set_description(details.as_str());
        s
    } else if f.baselined {
        let mut s = TestCaseStatus::skipped();
        s.set_message("in the baseline")
            .set_description(details.as_str());
        s
    } else if ctx.fails(f) {
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
        s.set_message(f.message.as_str())
            .set_type(f.severity.as_str())
            .set_description(details.as_str());
        s
    } else {
        TestCaseStatus::success()
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(f.rule.as_str());
    if f.is_active() && !ctx.fails(f) {
        case.set_system_out(details.as_str());
    }
    case.extra.insert("file".into(), file.into());
    case.extra
        .insert("line".into(), loc.line.to_string().into());
    case
}
