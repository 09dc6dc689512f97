//! Command-line definitions (clap derive). Validation into a run
//! configuration happens in `cli::check`; nothing here touches files.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "camlint",
    version,
    about = "Find restricted surveillance cameras on sensitive networks in infrastructure code",
    long_about = "camlint reads Terraform, Ansible, switch configs, DHCP servers and CMDB exports, builds one \
inventory of devices and networks, identifies each device's maker (name, brand, OEM, model number, MAC OUI), \
decides which networks are sensitive, and fails when a restricted camera sits on a sensitive network."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan paths and report findings (the CI gate)
    #[command(after_help = "Examples:
  camlint check
  camlint check infra/ --format json --output camlint.json
  camlint check --fail-on warning --exclude 'legacy/**'
  camlint check --format human --format sarif=camlint.sarif --format junit=camlint.xml
  camlint check sites/hq/cameras.tf     # report on one file, with its project as context")]
    Check(CheckArgs),
    /// List the rules that are loaded, with pack, severity and summary
    #[command(after_help = "Examples:
  camlint rules
  camlint rules --format json
  camlint rules --policy policies/corp.hcl")]
    Rules(RulesArgs),
    /// Explain a rule: what it checks, why, and how to fix it
    #[command(after_help = "Examples:
  camlint explain restricted-camera-on-sensitive-network
  camlint explain parse-error")]
    Explain(ExplainArgs),
    /// List every device found, with maker, kind, networks and evidence (the audit list)
    #[command(
        after_help = "Examples:\n  camlint inventory\n  camlint inventory infra/ --format json --output inventory.json"
    )]
    Inventory(super::inventory::InventoryArgs),
    /// Run policy test cases (folders holding expect.hcl)
    #[command(
        after_help = "Examples:\n  camlint verify\n  camlint verify policies/tests\n\nWithout DIR, cases are looked for in camlint-tests/, then policies/tests/."
    )]
    Verify(super::verify::VerifyArgs),
    /// Write a starter .camlint.hcl, a sample custom rule and its verify case
    #[command(after_help = "Examples:\n  camlint init\n  camlint init infra/ --force")]
    Init(super::init::InitArgs),
    /// Print a shell completion script
    #[command(after_help = "Examples:
  camlint completions bash > ~/.local/share/bash-completion/completions/camlint
  camlint completions zsh > \"${fpath[1]}/_camlint\"
  camlint completions fish > ~/.config/fish/completions/camlint.fish
  camlint completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// Print a man page (roff), for camlint or one of its commands
    #[command(after_help = "Examples:
  camlint man > camlint.1 && man ./camlint.1
  camlint man check > camlint-check.1")]
    Man(ManArgs),
    /// Regenerate docs/rules/*.md and the README's rule table from the rules
    #[command(hide = true)]
    Docs(DocsArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to complete for
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Command to document instead of camlint itself (check, rules, …)
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Repository root to write into (docs/rules/ and README.md)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub write: PathBuf,
    /// Exit 1 instead of writing when a checked-in copy is stale
    #[arg(long)]
    pub check: bool,
}

/// A report format of `camlint check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with source excerpts, for people
    Human,
    /// camlint's versioned JSON document
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// JUnit XML, for CI test-report views (GitLab, Jenkins)
    Junit,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// GitLab Code Quality report (Code Climate issues)
    Codequality,
}

/// `--format NAME` or `--format NAME=PATH`: a format and where it goes
/// (standard output, or `--output`, when no path is given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: Format,
    pub path: Option<PathBuf>,
}

/// Parses `NAME[=PATH]`, and offers the format names to help and shell
/// completion as a `ValueEnum` would.
#[derive(Debug, Clone, Copy)]
pub struct FormatSpecParser;

impl TypedValueParser for FormatSpecParser {
    type Value = FormatSpec;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<FormatSpec, clap::Error> {
        let text = value.to_string_lossy();
        let (name, path) = match text.split_once('=') {
            Some((n, p)) => (n, Some(p)),
            None => (text.as_ref(), None),
        };
        let format = EnumValueParser::<Format>::new().parse_ref(cmd, arg, OsStr::new(name))?;
        let path = match path {
            Some("") => {
                let mut e = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
                e.insert(
                    ContextKind::InvalidArg,
                    ContextValue::String("--format <FORMAT[=PATH]>".into()),
                );
                e.insert(
                    ContextKind::InvalidValue,
                    ContextValue::String(text.into_owned()),
                );
                return Err(e);
            }
            Some(p) => Some(PathBuf::from(p)),
            None => None,
        };
        Ok(FormatSpec { format, path })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Format::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// The formats `camlint rules` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Options shared by every command that loads policies.
#[derive(Debug, Args, Clone)]
pub struct PolicyArgs {
    /// Repository config to use instead of searching for .camlint.hcl
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Extra policy file or directory (repeatable)
    #[arg(long = "policy", value_name = "PATH")]
    pub policies: Vec<PathBuf>,
    /// Do not load the built-in packs (uk-prc-nil, us-fcc-covered)
    #[arg(long)]
    pub no_default_packs: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to scan
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Report format [default: human]; repeat it for several reports from
    /// one scan. FORMAT=PATH writes that report to PATH; at most one format
    /// without a path goes to standard output (or --output).
    #[arg(long, value_name = "FORMAT[=PATH]", value_parser = FormatSpecParser)]
    pub format: Vec<FormatSpec>,
    /// Write the report (the one format given without a path) to FILE
    /// instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest severity that makes the exit code 1 [default: error, or settings.fail_on]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Glob of paths to skip (repeatable), in .gitignore syntax
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Terraform variable file (repeatable), applied after terraform.tfvars and *.auto.tfvars
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Worker threads [default: number of CPUs]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Largest file read, in bytes; bigger claimed files are parse errors
    #[arg(long, value_name = "BYTES", default_value_t = crate::discover::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// YAML nodes one file may hold once aliases are expanded (alias bombs end here)
    #[arg(long, value_name = "N", default_value_t = crate::sources::ansible::yaml::MAX_NODES)]
    pub max_yaml_nodes: usize,
    /// Findings listed per file (0: no limit); the rest collapse into one `too-many-findings` finding
    #[arg(long, value_name = "N", default_value_t = crate::policy::limit::DEFAULT_MAX_FINDINGS_PER_FILE)]
    pub max_findings_per_file: usize,
    /// Let parse errors fail the run; `--fail-on-parse-error=false` is an opt-out the summary reports
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub fail_on_parse_error: bool,
    /// When to use colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Let the findings recorded in FILE pass; only new findings fail
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in FILE as the baseline, and exit 0
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Ignore suppression comments (audits see every finding)
    #[arg(long)]
    pub no_suppressions: bool,
    /// Print only findings, no summary line
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// When given files only, scan just those files; by default camlint
    /// scans the project around them (up to .camlint.hcl or the git root)
    /// for context and reports on the given files
    #[arg(long)]
    pub no_project: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule id, e.g. restricted-camera-on-sensitive-network
    pub rule: String,
    #[command(flatten)]
    pub policy: PolicyArgs,
}
