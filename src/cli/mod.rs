//! The command line: parses arguments, runs the pipeline, maps outcomes to
//! exit codes. `run` takes its writers from the caller so end-to-end tests
//! run in-process exactly as the binary does.

pub mod args;
pub mod init;
pub mod inventory;
pub mod progress;
pub mod project;
pub mod verify;

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{CommandFactory, Parser};

use crate::model::{Severity, SourceFile};
use crate::policy::{self, Policy, PolicyError};
use crate::report::{self, Reporter};
use crate::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_USAGE, discover, resolve, sources};
use args::{
    CheckArgs, Cli, Color, Command, CompletionsArgs, DocsArgs, ExplainArgs, FailOn, Format,
    ListFormat, ManArgs, PolicyArgs, RulesArgs,
};

/// Runs camlint with `argv` (including the program name).
pub fn run<I, T>(argv: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_CLEAN
            };
            // Colour only for a person at a terminal who has not opted out.
            let color = e.use_stderr()
                && io::IsTerminal::is_terminal(&io::stderr())
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let text = if color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let w: &mut dyn Write = if e.use_stderr() { stderr } else { stdout };
            return finish(w.write_all(text.as_bytes()), code);
        }
    };
    match cli.command {
        Command::Check(a) => check(a, stdout, stderr),
        Command::Rules(a) => rules(a, stdout, stderr),
        Command::Explain(a) => explain(a, stdout, stderr),
        Command::Inventory(a) => inventory::inventory(a, stdout, stderr),
        Command::Verify(a) => verify::verify(a, stdout, stderr),
        Command::Init(a) => init::init(a, stdout, stderr),
        Command::Completions(a) => completions(a, stdout),
        Command::Man(a) => man(a, stdout, stderr),
        Command::Docs(a) => docs(a, stdout, stderr),
    }
}

/// A closed pipe (`camlint … | head`) is not a failure.
fn finish(r: io::Result<()>, code: i32) -> i32 {
    match r {
        Ok(()) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(_) => EXIT_INTERNAL,
    }
}

fn load_policy(p: &PolicyArgs, roots: &[PathBuf], stderr: &mut dyn Write) -> Result<Policy, i32> {
    let opts = policy_options(p, roots, stderr)?;
    policy::load(&opts).map_err(|e| finish(print_policy_error(&e, stderr), EXIT_USAGE))
}

/// What `policy::load` needs, after checking that a given config exists.
fn policy_options(
    p: &PolicyArgs,
    roots: &[PathBuf],
    stderr: &mut dyn Write,
) -> Result<policy::LoadOptions, i32> {
    if let Some(c) = &p.config
        && !c.is_file()
    {
        let r = writeln!(stderr, "error: config file {} does not exist", c.display());
        return Err(finish(r, EXIT_USAGE));
    }
    Ok(policy::LoadOptions {
        config: p.config.clone(),
        roots: roots.to_vec(),
        policy_paths: p.policies.clone(),
        no_default_packs: p.no_default_packs,
    })
}

fn print_policy_error(e: &PolicyError, stderr: &mut dyn Write) -> io::Result<()> {
    for d in &e.diagnostics {
        let file = e.files.get(d.span.file.0 as usize);
        let (path, lc) = match file {
            Some(f) => (f.display_path(), f.lines().line_col(d.span.start)),
            None => (String::new(), crate::model::LineCol { line: 1, column: 1 }),
        };
        writeln!(
            stderr,
            "error: {path}:{}:{}: {}",
            lc.line, lc.column, d.message
        )?;
        if let Some(f) = file {
            let line = f.lines().line_text(lc.line.saturating_sub(1) as usize);
            if !line.is_empty() {
                writeln!(stderr, "  {:>4} | {line}", lc.line)?;
            }
        }
        if let Some(h) = &d.help {
            writeln!(stderr, "  help: {h}")?;
        }
    }
    writeln!(
        stderr,
        "camlint: {} problem{} in policy or config files; nothing was scanned",
        e.diagnostics.len(),
        if e.diagnostics.len() == 1 { "" } else { "s" }
    )
}

fn today() -> jiff::civil::Date {
    // A fixed date for reproducible tests and audits of future rules.
    if let Ok(s) = std::env::var("CAMLINT_TODAY")
        && let Ok(d) = s.parse()
    {
        return d;
    }
    jiff::ZonedDateTime::now().date()
}

/// What a scan needs from the command line (`check` and `inventory`).
pub(crate) struct ScanInput<'a> {
    pub paths: &'a [PathBuf],
    pub policy: &'a PolicyArgs,
    pub exclude: &'a [String],
    pub var_files: &'a [PathBuf],
    pub jobs: Option<usize>,
    pub max_file_size: u64,
    pub max_yaml_nodes: usize,
    /// False for `--no-suppressions`.
    pub apply_suppressions: bool,
    /// Given only files, scan the project around them and keep only their
    /// findings (see `project`); false for `--no-project`.
    pub project: bool,
    /// No progress spinner (`--quiet`).
    pub quiet: bool,
}

/// A finished analysis and what it was made with.
pub(crate) struct Scanned {
    pub policy: Policy,
    pub analysis: policy::Analysis,
    pub scanned_files: usize,
    /// Paths left out by ignore files and exclude globs.
    pub ignored: usize,
}

fn check(a: CheckArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let started = Instant::now();
    let outputs = match plan_outputs(&a) {
        Ok(o) => o,
        Err(msg) => return finish(writeln!(stderr, "error: {msg}"), EXIT_USAGE),
    };
    let input = ScanInput {
        paths: &a.paths,
        policy: &a.policy,
        exclude: &a.exclude,
        var_files: &a.var_files,
        jobs: a.jobs,
        max_file_size: a.max_file_size,
        max_yaml_nodes: a.max_yaml_nodes,
        apply_suppressions: !a.no_suppressions,
        project: !a.no_project,
        quiet: a.quiet,
    };
    let scanned = match scan(&input, stderr) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if scanned.scanned_files == 0 && scanned.ignored > 0 {
        // Ignore rules can hide a whole estate; never pass quietly on that.
        let r = writeln!(
            stderr,
            "camlint: warning: no files were scanned: {} path{} under the given paths {} ignored by .gitignore, .camlintignore or an exclude glob",
            scanned.ignored,
            if scanned.ignored == 1 { "" } else { "s" },
            if scanned.ignored == 1 { "is" } else { "are" },
        );
        if let Err(e) = r {
            return finish(Err(e), EXIT_CLEAN);
        }
    }
    let out = Outputs {
        plan: outputs,
        stdout,
        stderr,
    };
    let mut scanned = scanned;
    let code = report_check(a, &mut scanned, started, out);
    crate::dispose(scanned);
    code
}

/// Loads policies, discovers, parses, resolves and evaluates: everything but
/// the report. `Err` holds the exit code after the problem was printed.
pub(crate) fn scan(a: &ScanInput, stderr: &mut dyn Write) -> Result<Scanned, i32> {
    let mut progress = progress::Progress::start(a.quiet);
    if let Some(j) = a.jobs {
        // Ignore the error when a pool already exists (in-process tests).
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(j.max(1))
            .build_global();
    }
    // Given only files, scan their project for context, report on them.
    let scope = if a.project {
        project::scope(a.paths)
    } else {
        None
    };
    let scan_paths = match &scope {
        Some(s) => vec![s.root.clone()],
        None => a.paths.to_vec(),
    };
    let mut watch = crate::timings::Stopwatch::start();
    let p_opts = policy_options(a.policy, &scan_paths, stderr)?;
    // Discovery needs only the config's excludes: it runs while the rest
    // of the policy (vendor automata, rules) is built, which otherwise
    // leaves a core idle for most of its time.
    let config = policy::RepoConfig::read(&p_opts);
    let mut exclude = config.excludes().to_vec();
    exclude.extend(a.exclude.iter().cloned());
    let d_opts = discover::DiscoverOptions {
        exclude,
        max_file_size: a.max_file_size,
    };
    progress.stage(progress::Stage::Discover);
    let (policy, found) = rayon::join(
        || policy::load_with(&p_opts, config),
        || discover::discover(&scan_paths, &d_opts),
    );
    let policy = policy.map_err(|e| finish(print_policy_error(&e, stderr), EXIT_USAGE))?;
    watch.lap("policy+discover");
    let found = match found {
        Ok(f) => f,
        Err(e) => return Err(finish(writeln!(stderr, "error: {e}"), EXIT_USAGE)),
    };
    if !found.missing.is_empty() {
        let mut r = Ok(());
        for m in &found.missing {
            r = r.and(writeln!(stderr, "error: {} does not exist", m.display()));
        }
        return Err(finish(r, EXIT_USAGE));
    }

    // One file table: policy files first, then the scan's, ids re-based.
    let base = policy.files.len() as u32;
    let scanned_files = found.files.len();
    let ignored = found.ignored;
    let mut files: Vec<SourceFile> = policy.files.clone();
    let mut reported: Option<std::collections::HashSet<u32>> =
        scope.as_ref().map(|_| Default::default());
    for f in found.files {
        let id = crate::model::FileId(f.id.0 + base);
        let mut path = f.path;
        if let Some(s) = &scope {
            if s.given_path(&path).is_some()
                && let Some(ids) = reported.as_mut()
            {
                ids.insert(id.0);
            }
            path = s.display_path(&path);
        }
        files.push(SourceFile::new(id, path, f.kind, f.text));
    }
    let mut var_files = Vec::new();
    if let Some(dir) = policy.config_path.as_ref().and_then(|p| p.parent()) {
        var_files.extend(policy.settings.var_files.iter().map(|v| dir.join(v)));
    }
    var_files.extend(a.var_files.iter().cloned());
    let prune =
        |devices: &mut Vec<crate::model::Device>| policy::prune_candidates(&policy, devices);
    let s_opts = sources::SourceOptions {
        var_files,
        max_yaml_nodes: a.max_yaml_nodes,
        prune: Some(sources::Prune(&prune)),
    };
    // Files discovery could not take in (binary, too big, unreadable) are
    // reported once, by discovery, and not parsed.
    let unreadable: std::collections::HashSet<u32> = found
        .diagnostics
        .iter()
        .map(|d| d.span.file.0 + base)
        .collect();
    let scan = files
        .iter()
        .skip(base as usize)
        .filter(|f| !unreadable.contains(&f.id.0));
    watch.lap("file table");
    progress.stage(progress::Stage::Parse);
    let mut facts = sources::collect(scan, &s_opts);
    watch.lap("parse");
    progress.stage(progress::Stage::Resolve);
    for mut d in found.diagnostics {
        d.span.file = crate::model::FileId(d.span.file.0 + base);
        facts.diagnostics.push(d);
    }
    let r_opts = resolve::ResolveOptions {
        words: policy.words.clone(),
        declared: policy.networks.clone(),
    };
    let inventory = resolve::resolve(files, facts, &r_opts);
    watch.lap("resolve");
    progress.stage(progress::Stage::Evaluate);
    let e_opts = policy::EvalOptions {
        today: today(),
        apply_suppressions: a.apply_suppressions,
    };
    let mut analysis = policy::evaluate(&policy, inventory, &e_opts);
    if let Some(ids) = &reported {
        analysis.findings.retain(|f| ids.contains(&f.span.file.0));
    }
    watch.lap("evaluate");
    progress.finish();
    Ok(Scanned {
        policy,
        analysis,
        scanned_files,
        ignored,
    })
}

/// The planned reports and the writers for what goes to the terminal.
struct Outputs<'w> {
    plan: Vec<(Format, Sink)>,
    stdout: &'w mut dyn Write,
    stderr: &'w mut dyn Write,
}

fn report_check(a: CheckArgs, scanned: &mut Scanned, started: Instant, out: Outputs) -> i32 {
    let Outputs {
        plan,
        stdout,
        stderr,
    } = out;
    let Scanned {
        policy,
        analysis,
        scanned_files,
        ignored,
    } = scanned;
    let (policy, scanned_files, ignored) = (&*policy, *scanned_files, *ignored);
    if let Some(path) = &a.write_baseline {
        let b = policy::baseline::build(analysis);
        let text = match serde_json::to_string_pretty(&b) {
            Ok(t) => t + "\n",
            Err(e) => return finish(writeln!(stderr, "error: {e}"), EXIT_INTERNAL),
        };
        if let Err(e) = std::fs::write(path, text) {
            return finish(
                writeln!(stderr, "error: cannot write {}: {e}", path.display()),
                EXIT_USAGE,
            );
        }
        let r = writeln!(
            stderr,
            "camlint: wrote {} finding{} to baseline {}",
            b.findings.len(),
            if b.findings.len() == 1 { "" } else { "s" },
            path.display()
        );
        return finish(r, EXIT_CLEAN);
    }
    let mut baseline_unmatched = None;
    if let Some(path) = &a.baseline {
        match policy::baseline::read(path) {
            Ok(b) => baseline_unmatched = Some(policy::baseline::apply(analysis, &b)),
            Err(e) => return finish(writeln!(stderr, "error: {e}"), EXIT_USAGE),
        }
    }
    let fail_on = a.fail_on.or(match policy.settings.fail_on.as_deref() {
        Some("warning") => Some(FailOn::Warning),
        Some("note") => Some(FailOn::Note),
        Some("never") => Some(FailOn::Never),
        _ => None,
    });
    let threshold = match fail_on.unwrap_or(FailOn::Error) {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    // Decided before findings are collapsed, from every finding.
    let failing = threshold.is_some_and(|t| {
        analysis.findings.iter().any(|f| {
            f.severity >= t && f.is_active() && (a.fail_on_parse_error || f.rule != "parse-error")
        })
    });
    policy::limit::cap_per_file(analysis, a.max_findings_per_file);
    let code = if failing { EXIT_FINDINGS } else { EXIT_CLEAN };
    let context = |terminal: bool| report::ReportContext {
        scanned_files,
        color: match a.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        },
        elapsed: Some(started.elapsed()),
        quiet: a.quiet,
        fail_on: threshold,
        baseline_unmatched,
        ignored,
        parse_errors_fail: a.fail_on_parse_error,
    };
    let mut to_stdout = None;
    for (format, sink) in &plan {
        let Sink::File(path) = sink else {
            to_stdout = Some(*format);
            continue;
        };
        let mut buf = Vec::new();
        if let Err(e) = reporter(*format).report(analysis, policy, &context(false), &mut buf) {
            return finish(writeln!(stderr, "error: {e}"), EXIT_INTERNAL);
        }
        if let Err(e) = std::fs::write(path, buf) {
            return finish(
                writeln!(stderr, "error: cannot write {}: {e}", path.display()),
                EXIT_USAGE,
            );
        }
    }
    let Some(format) = to_stdout else {
        return code;
    };
    let ctx = context(io::IsTerminal::is_terminal(&io::stdout()));
    let mut watch = crate::timings::Stopwatch::start();
    let mut out = io::BufWriter::new(stdout);
    let r = reporter(format)
        .report(analysis, policy, &ctx, &mut out)
        .and_then(|_| out.flush());
    watch.lap("report");
    finish(r, code)
}

/// Where one report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sink {
    Stdout,
    File(PathBuf),
}

/// Pairs each requested format with its destination, refusing plans that
/// would mix two reports on standard output or write one file twice.
fn plan_outputs(a: &CheckArgs) -> Result<Vec<(Format, Sink)>, String> {
    let specs = if a.format.is_empty() {
        vec![args::FormatSpec {
            format: Format::Human,
            path: None,
        }]
    } else {
        a.format.clone()
    };
    let unrouted = specs.iter().filter(|s| s.path.is_none()).count();
    if unrouted > 1 {
        return Err(
            "only one --format can go to standard output; give the others a path, \
             e.g. --format sarif=camlint.sarif"
                .into(),
        );
    }
    if a.output.is_some() && unrouted == 0 {
        return Err("--output has no report to write: every --format names its own path".into());
    }
    let out: Vec<(Format, Sink)> = specs
        .into_iter()
        .map(|s| match (s.path, &a.output) {
            (Some(p), _) => (s.format, Sink::File(p)),
            (None, Some(o)) => (s.format, Sink::File(o.clone())),
            (None, None) => (s.format, Sink::Stdout),
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for (_, sink) in &out {
        if let Sink::File(p) = sink
            && !seen.insert(p)
        {
            return Err(format!(
                "two reports would both be written to {}",
                p.display()
            ));
        }
    }
    Ok(out)
}

fn reporter(format: Format) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(report::human::Human),
        Format::Json => Box::new(report::json::Json),
        Format::Sarif => Box::new(report::sarif::Sarif),
        Format::Junit => Box::new(report::junit::Junit),
        Format::Github => Box::new(report::github::Github),
        Format::Codequality => Box::new(report::codequality::CodeQuality),
    }
}

fn rules(a: RulesArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let policy = match load_policy(&a.policy, &[PathBuf::from(".")], stderr) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let r = match a.format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = policy
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "pack": r.pack.clone().unwrap_or_else(|| "custom".into()),
                        "severity": r.default_severity().as_str(),
                        "over": r.scope.as_str(),
                        "summary": r.summary,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *stdout, &list)
                .map_err(io::Error::other)
                .and_then(|_| writeln!(stdout))
        }
        ListFormat::Human => {
            let mut r = Ok(());
            for rule in &policy.rules {
                r = r.and(writeln!(
                    stdout,
                    "{:<42} {:<8} {:<8} {}",
                    rule.id,
                    rule.pack.as_deref().unwrap_or("custom"),
                    rule.default_severity().as_str(),
                    rule.summary
                ));
            }
            r
        }
    };
    finish(r, EXIT_CLEAN)
}

fn explain(a: ExplainArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let policy = match load_policy(&a.policy, &[PathBuf::from(".")], stderr) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let Some(rule) = policy.rule(&a.rule) else {
        let known: Vec<&str> = policy.rules.iter().map(|r| r.id.as_str()).collect();
        return finish(
            writeln!(
                stderr,
                "error: no rule `{}`; known rules: {}",
                a.rule,
                known.join(", ")
            ),
            EXIT_USAGE,
        );
    };
    finish(
        stdout.write_all(crate::docs::explain(rule).as_bytes()),
        EXIT_CLEAN,
    )
}

fn completions(a: CompletionsArgs, stdout: &mut dyn Write) -> i32 {
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "camlint", &mut buf);
    finish(stdout.write_all(&buf), EXIT_CLEAN)
}

fn man(a: ManArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let mut root = Cli::command();
    root.build();
    let cmd = match &a.command {
        None => root,
        Some(name) => {
            let Some(sub) = root
                .get_subcommands()
                .find(|s| s.get_name() == name && !s.is_hide_set())
            else {
                let known: Vec<&str> = root
                    .get_subcommands()
                    .filter(|s| !s.is_hide_set() && s.get_name() != "help")
                    .map(|s| s.get_name())
                    .collect();
                return finish(
                    writeln!(
                        stderr,
                        "error: no command `{name}`; known commands: {}",
                        known.join(", ")
                    ),
                    EXIT_USAGE,
                );
            };
            // The page of `camlint check` is camlint-check(1).
            sub.clone()
                .name(format!("camlint-{name}"))
                .bin_name(format!("camlint {name}"))
        }
    };
    let mut buf = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).render(&mut buf) {
        return finish(writeln!(stderr, "error: {e}"), EXIT_INTERNAL);
    }
    finish(stdout.write_all(&buf), EXIT_CLEAN)
}

/// Only the built-in packs: the docs describe what camlint ships, whatever
/// config the directory it runs in holds.
fn docs(a: DocsArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let policy = match policy::load(&policy::LoadOptions::default()) {
        Ok(p) => p,
        Err(e) => return finish(print_policy_error(&e, stderr), EXIT_INTERNAL),
    };
    if a.check {
        return match crate::docs::stale_files(&a.write, &policy) {
            Ok(stale) if stale.is_empty() => EXIT_CLEAN,
            Ok(stale) => {
                let mut r = Ok(());
                for p in &stale {
                    r = r.and(writeln!(stderr, "stale: {}", p.display()));
                }
                r = r.and(writeln!(
                    stderr,
                    "run `camlint docs --write .` to regenerate"
                ));
                finish(r, EXIT_FINDINGS)
            }
            Err(e) => finish(writeln!(stderr, "error: {e}"), EXIT_USAGE),
        };
    }
    match crate::docs::write_files(&a.write, &policy) {
        Ok(changed) => {
            let mut r = Ok(());
            for p in &changed {
                r = r.and(writeln!(stdout, "wrote {}", p.display()));
            }
            finish(r, EXIT_CLEAN)
        }
        Err(e) => finish(writeln!(stderr, "error: {e}"), EXIT_USAGE),
    }
}
