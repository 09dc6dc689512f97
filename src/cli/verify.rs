//! `camlint verify [DIR]`: policy test cases, so a platform team can test
//! its own rules the way camlint tests its built-in ones.
//!
//! A case is a folder holding `expect.hcl` (format in
//! `docs/policy-language.md`, "Testing policies") beside its input files.
//! Each case runs `camlint check` in-process on its folder, with the same
//! config search, packs and policies as a real run plus what `expect.hcl`
//! adds, and its JSON findings are compared with the `finding` blocks that
//! must appear and the `no_finding` blocks that must not. One line per
//! case, then `N passed, N failed`; exit 1 when any case fails, 2 when
//! there are no cases to run.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use clap::Args;
use hcl::edit::Span as _;
use hcl::edit::structure::{Body, Structure};
use serde_json::Value as Json;

use super::finish;
use crate::policy::VERIFY_EXPECT_FILE;
use crate::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE};

/// Where cases are looked for when no DIR is given, in this order.
pub const DEFAULT_DIRS: &[&str] = &["camlint-tests", "policies/tests"];

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Folder of cases, each a folder holding expect.hcl [default: camlint-tests/, else policies/tests/]
    pub dir: Option<PathBuf>,
}

/// A finding a case expects to see (`finding`) or not to see (`no_finding`).
#[derive(Debug, Clone, Default)]
struct Want {
    rule: String,
    file: Option<String>,
    line: Option<u64>,
    severity: Option<String>,
    message: Option<String>,
    suppressed: bool,
    /// Line of the block in expect.hcl.
    at: usize,
}

/// A parsed `expect.hcl`.
#[derive(Debug, Default)]
struct Expect {
    paths: Vec<String>,
    policy: Vec<String>,
    config: Option<String>,
    args: Vec<String>,
    exit_code: Option<i64>,
    stderr_contains: Option<String>,
    exhaustive: bool,
    findings: Vec<Want>,
    absent: Vec<Want>,
}

/// Runs `camlint verify`.
pub fn verify(a: VerifyArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let dir = match a.dir {
        Some(d) => d,
        None => match DEFAULT_DIRS.iter().map(PathBuf::from).find(|d| d.is_dir()) {
            Some(d) => d,
            None => {
                return finish(
                    writeln!(
                        stderr,
                        "error: no test folder: give one (camlint verify DIR) or create {}",
                        DEFAULT_DIRS.join(" or ")
                    ),
                    EXIT_USAGE,
                );
            }
        },
    };
    if !dir.is_dir() {
        return finish(
            writeln!(stderr, "error: {} is not a directory", dir.display()),
            EXIT_USAGE,
        );
    }
    let cases = find_cases(&dir);
    if cases.is_empty() {
        return finish(
            writeln!(
                stderr,
                "error: no verify cases under {} (a case is a folder holding {VERIFY_EXPECT_FILE})",
                dir.display()
            ),
            EXIT_USAGE,
        );
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut r = Ok(());
    for case in &cases {
        let name = case_name(&dir, case);
        let problems = run_case(case);
        if problems.is_empty() {
            passed += 1;
            r = r.and(writeln!(stdout, "ok   {name}"));
        } else {
            failed += 1;
            r = r.and(writeln!(stdout, "FAIL {name}: {}", problems.join("; ")));
        }
    }
    r = r.and(writeln!(stdout, "{passed} passed, {failed} failed"));
    finish(
        r,
        if failed > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        },
    )
}

/// `dir` itself when it is a case, else every case below it, sorted.
fn find_cases(dir: &Path) -> Vec<PathBuf> {
    if dir.join(VERIFY_EXPECT_FILE).is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_dir()))
        .map(|e| e.into_path())
        .filter(|p| p.join(VERIFY_EXPECT_FILE).is_file())
        .collect();
    out.sort();
    out
}

fn case_name(dir: &Path, case: &Path) -> String {
    let rel = case.strip_prefix(dir).unwrap_or(case);
    let name = crate::model::display_path(rel);
    if name.is_empty() {
        case.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| crate::model::display_path(case))
    } else {
        name
    }
}

/// Runs one case; returns what went wrong (empty when it passed).
fn run_case(case: &Path) -> Vec<String> {
    let expect_path = case.join(VERIFY_EXPECT_FILE);
    let text = match std::fs::read_to_string(&expect_path) {
        Ok(t) => t,
        Err(e) => return vec![format!("cannot read {VERIFY_EXPECT_FILE}: {e}")],
    };
    let expect = match parse_expect(&text) {
        Ok(e) => e,
        Err(e) => return vec![format!("invalid {VERIFY_EXPECT_FILE}: {e}")],
    };

    let mut argv: Vec<String> = vec!["camlint".into(), "check".into()];
    if expect.paths.is_empty() {
        argv.push(path_arg(case));
    } else {
        argv.extend(expect.paths.iter().map(|p| path_arg(&case.join(p))));
    }
    argv.extend(["--format".into(), "json".into()]);
    for p in &expect.policy {
        argv.extend(["--policy".into(), path_arg(&case.join(p))]);
    }
    if let Some(c) = &expect.config {
        argv.extend(["--config".into(), path_arg(&case.join(c))]);
    }
    argv.extend(expect.args.iter().cloned());
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = super::run(argv, &mut out, &mut err);
    let err = String::from_utf8_lossy(&err).into_owned();

    let mut problems = Vec::new();
    match expect.exit_code {
        Some(want) if i64::from(code) != want => {
            problems.push(format!("exit code {code}, expected {want}"));
        }
        None if code != EXIT_CLEAN && code != EXIT_FINDINGS => {
            let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            problems.push(format!("camlint exited {code}: {}", first.trim()));
            return problems;
        }
        _ => {}
    }
    if let Some(s) = &expect.stderr_contains
        && !err.contains(s.as_str())
    {
        problems.push(format!("stderr does not contain \"{s}\""));
    }
    let findings: Vec<Json> = serde_json::from_slice::<Json>(&out)
        .ok()
        .and_then(|j| j.get("findings").and_then(|f| f.as_array()).cloned())
        .unwrap_or_default();
    if findings.is_empty() && !expect.findings.is_empty() && code == EXIT_USAGE {
        problems.push(format!(
            "no findings: {}",
            err.lines().next().unwrap_or("").trim()
        ));
        return problems;
    }
    let mut matched = vec![false; findings.len()];
    for want in &expect.findings {
        let hit = findings
            .iter()
            .enumerate()
            .find(|(i, f)| !matched.get(*i).copied().unwrap_or(true) && matches(want, f, case));
        match hit {
            Some((i, _)) => {
                if let Some(m) = matched.get_mut(i) {
                    *m = true;
                }
            }
            None => problems.push(format!("missing finding {}", describe(want))),
        }
    }
    for want in &expect.absent {
        if let Some(f) = findings.iter().find(|f| matches(want, f, case)) {
            problems.push(format!(
                "unexpected finding {} (no_finding at {VERIFY_EXPECT_FILE}:{})",
                describe_found(f, case),
                want.at
            ));
        }
    }
    if expect.exhaustive {
        for (f, m) in findings.iter().zip(&matched) {
            if !m && is_active(f) {
                problems.push(format!(
                    "unexpected finding {} (exhaustive = true)",
                    describe_found(f, case)
                ));
            }
        }
    }
    problems
}

fn path_arg(p: &Path) -> String {
    crate::model::display_path(p)
}

fn is_active(f: &Json) -> bool {
    f.get("suppressed").is_none_or(|s| s.is_null())
        && !f
            .get("baselined")
            .and_then(|b| b.as_bool())
            .unwrap_or(false)
}

/// A finding's file relative to the case folder, with `..` resolved.
fn file_in_case(f: &Json, case: &Path) -> String {
    let file = f
        .pointer("/location/file")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    let file = normalize(Path::new(file));
    let case = normalize(case);
    let rel = file.strip_prefix(&case).unwrap_or(&file);
    crate::model::display_path(rel)
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn matches(want: &Want, f: &Json, case: &Path) -> bool {
    let s = |k: &str| f.get(k).and_then(|v| v.as_str()).unwrap_or("");
    let suppressed = !is_active(f);
    s("rule") == want.rule
        && suppressed == want.suppressed
        && want
            .file
            .as_ref()
            .is_none_or(|w| normalize(Path::new(w)) == normalize(Path::new(&file_in_case(f, case))))
        && want
            .line
            .is_none_or(|l| f.pointer("/location/line").and_then(|v| v.as_u64()) == Some(l))
        && want.severity.as_ref().is_none_or(|w| s("severity") == w)
        && want
            .message
            .as_ref()
            .is_none_or(|w| s("message").contains(w.as_str()))
}

fn describe(w: &Want) -> String {
    let mut s = format!("rule={}", w.rule);
    if let Some(f) = &w.file {
        s.push_str(&format!(" file={f}"));
    }
    if let Some(l) = w.line {
        s.push_str(&format!(" line={l}"));
    }
    if let Some(v) = &w.severity {
        s.push_str(&format!(" severity={v}"));
    }
    if let Some(m) = &w.message {
        s.push_str(&format!(" message~\"{m}\""));
    }
    if w.suppressed {
        s.push_str(" suppressed");
    }
    s
}

fn describe_found(f: &Json, case: &Path) -> String {
    format!(
        "rule={} file={} line={} severity={}",
        f.get("rule").and_then(|v| v.as_str()).unwrap_or(""),
        file_in_case(f, case),
        f.pointer("/location/line")
            .and_then(|v| v.as_u64())
            .unwrap_or(0),
        f.get("severity").and_then(|v| v.as_str()).unwrap_or("")
    )
}

/// Reads `expect.hcl`. Strict like policy files: an unknown attribute or
/// block is an error, so a typo never turns into an expectation that
/// silently checks nothing.
fn parse_expect(text: &str) -> Result<Expect, String> {
    let body = hcl::edit::parser::parse_body(text)
        .map_err(|e| format!("line {}: invalid HCL: {}", e.location().line(), e.message()))?;
    let line_of = |r: Option<std::ops::Range<usize>>| {
        r.map(|r| text.get(..r.start).unwrap_or("").matches('\n').count() + 1)
            .unwrap_or(1)
    };
    let mut out = Expect::default();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let at = line_of(a.span());
                let key = a.key.as_str();
                let v = value(&a.value).map_err(|e| format!("line {at}: `{key}`: {e}"))?;
                let bad = |want: &str| format!("line {at}: `{key}` must be {want}");
                match key {
                    "paths" => out.paths = strings(&v).ok_or_else(|| bad("a list of strings"))?,
                    "policy" => out.policy = strings(&v).ok_or_else(|| bad("a list of strings"))?,
                    "args" => out.args = strings(&v).ok_or_else(|| bad("a list of strings"))?,
                    "config" => {
                        out.config = Some(v.as_str().ok_or_else(|| bad("a string"))?.to_string())
                    }
                    "exit_code" => out.exit_code = Some(v.as_i64().ok_or_else(|| bad("a number"))?),
                    "stderr_contains" => {
                        out.stderr_contains =
                            Some(v.as_str().ok_or_else(|| bad("a string"))?.to_string())
                    }
                    "exhaustive" => {
                        out.exhaustive = v.as_bool().ok_or_else(|| bad("true or false"))?
                    }
                    other => {
                        return Err(format!(
                            "line {at}: unknown attribute `{other}` (expected paths, policy, config, args, exit_code, stderr_contains, exhaustive, or finding / no_finding blocks)"
                        ));
                    }
                }
            }
            Structure::Block(b) => {
                let at = line_of(b.span());
                let want = parse_want(&b.body, at, &line_of)?;
                match b.ident.as_str() {
                    "finding" => out.findings.push(want),
                    "no_finding" => out.absent.push(want),
                    other => {
                        return Err(format!(
                            "line {at}: unknown block `{other}` (expected finding or no_finding)"
                        ));
                    }
                }
            }
        }
    }
    Ok(out)
}

fn parse_want(
    body: &Body,
    at: usize,
    line_of: &dyn Fn(Option<std::ops::Range<usize>>) -> usize,
) -> Result<Want, String> {
    let mut w = Want {
        at,
        ..Want::default()
    };
    let mut has_rule = false;
    for s in body.iter() {
        let Structure::Attribute(a) = s else {
            return Err(format!("line {at}: blocks are not allowed here"));
        };
        let line = line_of(a.span());
        let key = a.key.as_str();
        let v = value(&a.value).map_err(|e| format!("line {line}: `{key}`: {e}"))?;
        let bad = |want: &str| format!("line {line}: `{key}` must be {want}");
        match key {
            "rule" => {
                w.rule = v.as_str().ok_or_else(|| bad("a string"))?.to_string();
                has_rule = true;
            }
            "file" => w.file = Some(v.as_str().ok_or_else(|| bad("a string"))?.to_string()),
            "line" => w.line = Some(v.as_u64().ok_or_else(|| bad("a line number"))?),
            "severity" => {
                let s = v.as_str().ok_or_else(|| bad("a string"))?;
                if !matches!(s, "error" | "warning" | "note") {
                    return Err(bad("\"error\", \"warning\" or \"note\""));
                }
                w.severity = Some(s.to_string());
            }
            "message" => w.message = Some(v.as_str().ok_or_else(|| bad("a string"))?.to_string()),
            "suppressed" => w.suppressed = v.as_bool().ok_or_else(|| bad("true or false"))?,
            other => {
                return Err(format!(
                    "line {line}: unknown attribute `{other}` (expected rule, file, line, severity, message, suppressed)"
                ));
            }
        }
    }
    if !has_rule {
        return Err(format!("line {at}: the block needs a `rule`"));
    }
    Ok(w)
}

/// An attribute's value, as JSON: literals only, no variables.
fn value(e: &hcl::edit::expr::Expression) -> Result<Json, String> {
    use hcl::eval::Evaluate;
    let v = hcl::Expression::from(e.clone())
        .evaluate(&hcl::eval::Context::new())
        .map_err(|e| e.to_string().replace('\n', " "))?;
    serde_json::to_value(v).map_err(|e| e.to_string())
}

fn strings(v: &Json) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations_parse_and_typos_are_errors() {
        let e = parse_expect(
            "exit_code = 1\npolicy = [\"../p.hcl\"]\nfinding {\n  rule = \"r\"\n  file = \"main.tf\"\n  line = 4\n}\nno_finding {\n  rule = \"s\"\n}\n",
        )
        .unwrap();
        assert_eq!(e.exit_code, Some(1));
        assert_eq!(e.policy, vec!["../p.hcl"]);
        assert_eq!(e.findings.len(), 1);
        assert_eq!(e.findings[0].line, Some(4));
        assert_eq!(e.absent[0].rule, "s");
        assert_eq!(e.absent[0].at, 8);
        let err = parse_expect("finding {\n  rule = \"r\"\n  lines = 3\n}\n").unwrap_err();
        assert!(err.contains("line 3") && err.contains("`lines`"), "{err}");
        assert!(parse_expect("finding {\n  file = \"x\"\n}\n").is_err());
    }

    #[test]
    fn paths_normalize_lexically() {
        assert_eq!(
            normalize(Path::new("a/b/../c/./d.tf")),
            PathBuf::from("a/c/d.tf")
        );
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
    }
}
