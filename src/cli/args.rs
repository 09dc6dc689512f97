//! Command-line definitions (clap derive). Validation into a run
//! configuration happens in `cli::check`; nothing here touches files.

use std::path::PathBuf;

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
    #[command(
        after_help = "Examples:\n  camlint check\n  camlint check infra/ --format json --output camlint.json\n  camlint check --fail-on warning --exclude 'legacy/**'"
    )]
    Check(CheckArgs),
    /// List the rules that are loaded, with pack, severity and summary
    #[command(after_help = "Examples:\n  camlint rules\n  camlint rules --format json")]
    Rules(RulesArgs),
    /// Explain a rule: what it checks, why, and how to fix it
    #[command(after_help = "Examples:\n  camlint explain restricted-camera-on-sensitive-network")]
    Explain(ExplainArgs),
    /// List every device found, with maker, kind, networks and evidence (the audit list)
    #[command(
        after_help = "Examples:\n  camlint inventory\n  camlint inventory infra/ --format json --output inventory.json"
    )]
    Inventory(super::inventory::InventoryArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
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
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of standard output
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
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
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
