//! The policy language: loading packs, config and custom policies, and
//! evaluating rules over the inventory.
//!
//! Built-in packs live in `policies/` and are embedded in the binary; the
//! repository config `.camlint.hcl` is found at the scan root or above it
//! (up to the git root); custom policy files come from `--policy` and
//! `settings.policy_paths`. All of them share one language (see
//! `docs/policy-language.md`); `*.rego` files in policy paths are Rego
//! policies (see `rego`). Loading reports every problem it finds, each
//! pointing into its file, and then refuses to run.

pub mod baseline;
pub mod document;
pub mod eval;
pub mod fast;
pub mod limit;
pub mod load;
pub mod rego;
pub mod rules;
pub mod suppress;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::intel::{KindDb, VendorDb};
use crate::model::{FileId, SourceFile, SourceKind, Span};
use crate::resolve::{NetworkDecl, SensitivityWords};

pub use eval::{Analysis, EvalOptions, Finding, Related, evaluate, prune_candidates};
pub use rules::{RuleScope, RuleSpec};

/// Files embedded in the binary: (display path, text).
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("policies/core.hcl", include_str!("../../policies/core.hcl")),
    (
        "policies/kinds.hcl",
        include_str!("../../policies/kinds.hcl"),
    ),
    (
        "policies/vendors.hcl",
        include_str!("../../policies/vendors.hcl"),
    ),
    (
        "policies/makers.hcl",
        include_str!("../../policies/makers.hcl"),
    ),
    (
        "policies/uk-prc-nil.hcl",
        include_str!("../../policies/uk-prc-nil.hcl"),
    ),
    (
        "policies/us-fcc-covered.hcl",
        include_str!("../../policies/us-fcc-covered.hcl"),
    ),
];

/// Packs that load unless `--no-default-packs`.
pub const DEFAULT_PACKS: &[&str] = &["uk-prc-nil", "us-fcc-covered"];

pub const CONFIG_FILE_NAME: &str = ".camlint.hcl";

/// The expectations file of a `camlint verify` case; a folder holding one
/// is a test case, never a policy directory.
pub const VERIFY_EXPECT_FILE: &str = "expect.hcl";

/// The `settings` block of `.camlint.hcl`.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub packs: Option<Vec<String>>,
    pub fail_on: Option<String>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub policy_paths: Vec<String>,
    pub var_files: Vec<String>,
    pub sensitive_keys: Option<Vec<String>>,
    pub sensitive_values: Option<Vec<String>>,
    pub sensitive_name_words: Option<Vec<String>>,
    /// Rego packages whose deny/violation/warn rules run (default: main).
    pub rego_namespaces: Option<Vec<String>>,
}

/// A `pack` block.
#[derive(Debug, Clone)]
pub struct PackSpec {
    pub id: String,
    pub title: String,
    pub description: String,
    pub sources: Vec<String>,
    pub span: Span,
}

/// A problem in a policy or config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDiagnostic {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl PolicyDiagnostic {
    pub fn new(span: Span, message: String) -> PolicyDiagnostic {
        PolicyDiagnostic {
            span,
            message,
            help: None,
        }
    }

    pub fn with_help(mut self, help: String) -> PolicyDiagnostic {
        self.help = Some(help);
        self
    }
}

/// Loading failed: the diagnostics point into `files`.
#[derive(Debug)]
pub struct PolicyError {
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<PolicyDiagnostic>,
}

#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--config`; otherwise `.camlint.hcl` is searched from the first root.
    pub config: Option<PathBuf>,
    pub roots: Vec<PathBuf>,
    /// `--policy` paths.
    pub policy_paths: Vec<PathBuf>,
    pub no_default_packs: bool,
}

/// Everything loaded and checked.
#[derive(Debug)]
pub struct Policy {
    /// Policy and config files; their ids come first in the scan's file table.
    pub files: Vec<SourceFile>,
    pub config_path: Option<PathBuf>,
    pub settings: Settings,
    pub packs: Vec<PackSpec>,
    pub active_packs: BTreeSet<String>,
    pub vendors: VendorDb,
    /// Effective packs restricting each vendor (after inheritance).
    pub vendor_packs: Vec<Vec<String>>,
    pub kinds: KindDb,
    pub networks: Vec<NetworkDecl>,
    pub rules: Vec<RuleSpec>,
    pub words: SensitivityWords,
    pub rego: rego::RegoPolicies,
}

impl Policy {
    pub fn rule(&self, id: &str) -> Option<&RuleSpec> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// Enabled packs that restrict a vendor.
    pub fn restricted_by(&self, vendor: usize) -> Vec<String> {
        self.vendor_packs
            .get(vendor)
            .map(|ps| {
                ps.iter()
                    .filter(|p| self.active_packs.contains(*p))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The repository config, read and parsed once, ahead of the rest of the
/// policy: discovery needs its excludes and runs while the rest loads.
pub struct RepoConfig {
    path: Option<PathBuf>,
    /// The file (numbered after the built-in packs, where [`load_with`]
    /// puts it), what it holds and what is wrong in it.
    read: Option<(SourceFile, load::Loaded, Vec<PolicyDiagnostic>)>,
    io_problem: Option<(PathBuf, String)>,
}

impl RepoConfig {
    pub fn read(opts: &LoadOptions) -> RepoConfig {
        let path = config_path(opts);
        let mut io = Vec::new();
        let id = FileId(BUILTIN_FILES.len() as u32);
        let read = path
            .as_ref()
            .and_then(|p| read_policy_file(p, id, &mut io))
            .map(|f| {
                let mut diags = Vec::new();
                let l = load::load_file(&f, load::FileRole::RepoConfig, &mut diags);
                (f, l, diags)
            });
        RepoConfig {
            path,
            read,
            io_problem: io.pop(),
        }
    }

    /// The config's exclude globs (none when it does not load; loading
    /// reports why).
    pub fn excludes(&self) -> &[String] {
        self.read
            .as_ref()
            .and_then(|(_, l, _)| l.settings.as_ref())
            .map_or(&[], |(s, _)| &s.exclude)
    }
}

/// The repository config to read: `--config`, else the one found from the
/// first root.
fn config_path(opts: &LoadOptions) -> Option<PathBuf> {
    match &opts.config {
        Some(p) => Some(p.clone()),
        None => opts.roots.first().and_then(|r| find_config(r)),
    }
}

/// Finds `.camlint.hcl` at `start` or above it, stopping at the directory
/// that holds `.git` (the repository root).
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            return Some(relative_to_cwd(candidate));
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// Shows a path found by walking up as the user would type it: relative to
/// the working directory when it lies below it.
fn relative_to_cwd(path: PathBuf) -> PathBuf {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok());
    match cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()) {
        Some(rel) => rel.to_path_buf(),
        None => path,
    }
}

fn read_policy_file(
    path: &Path,
    id: FileId,
    diags: &mut Vec<(PathBuf, String)>,
) -> Option<SourceFile> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(SourceFile::new(
            id,
            path.to_path_buf(),
            SourceKind::Policy,
            Arc::from(text),
        )),
        Err(e) => {
            diags.push((path.to_path_buf(), format!("cannot read policy file: {e}")));
            None
        }
    }
}

/// Expands policy paths: files as given, directories to their `*.hcl` and
/// `*.rego` files (sorted, recursively). Verify cases (folders holding
/// `expect.hcl`) are test inputs, not policies, and are not entered.
fn expand_policy_paths(paths: &[PathBuf], missing: &mut Vec<(PathBuf, String)>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(p)
                .hidden(false)
                .filter_entry(|e| {
                    !(e.depth() > 0
                        && e.file_type().is_some_and(|t| t.is_dir())
                        && e.path().join(VERIFY_EXPECT_FILE).is_file())
                })
                .build()
                .flatten()
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|e| e == "hcl" || e == "rego"))
                .filter(|p| p.file_name().is_some_and(|n| n != CONFIG_FILE_NAME))
                .collect();
            found.sort();
            if found.is_empty() {
                missing.push((
                    p.clone(),
                    "policy directory holds no .hcl or .rego files".into(),
                ));
            }
            out.extend(found);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            missing.push((p.clone(), "policy path does not exist".into()));
        }
    }
    out
}

/// Loads built-in packs, the repository config and custom policies.
pub fn load(opts: &LoadOptions) -> Result<Policy, PolicyError> {
    load_with(opts, RepoConfig::read(opts))
}

/// [`load`], with the repository config already read.
pub fn load_with(opts: &LoadOptions, config: RepoConfig) -> Result<Policy, PolicyError> {
    let mut files: Vec<SourceFile> = Vec::new();
    let mut diags: Vec<PolicyDiagnostic> = Vec::new();
    let mut io_problems: Vec<(PathBuf, String)> = Vec::new();
    let mut loaded = Vec::new();

    for (path, text) in BUILTIN_FILES {
        let id = FileId(files.len() as u32);
        files.push(SourceFile::new(
            id,
            PathBuf::from(format!("<builtin>/{path}")),
            SourceKind::Policy,
            Arc::from(*text),
        ));
        if let Some(f) = files.last() {
            loaded.push((load::load_file(f, load::FileRole::Policy, &mut diags), true));
        }
    }

    let RepoConfig {
        path: config_path,
        read,
        io_problem,
    } = config;
    let mut settings = Settings::default();
    io_problems.extend(io_problem);
    if let Some((f, l, config_diags)) = read {
        debug_assert_eq!(f.id.0 as usize, files.len(), "the config follows the packs");
        files.push(f);
        diags.extend(config_diags);
        if let Some((s, _)) = &l.settings {
            settings = s.clone();
        }
        loaded.push((l, false));
    }

    let mut custom = opts.policy_paths.clone();
    if let Some(dir) = config_path.as_ref().and_then(|p| p.parent()) {
        custom.extend(settings.policy_paths.iter().map(|p| dir.join(p)));
    }
    let mut rego_files = Vec::new();
    for path in expand_policy_paths(&custom, &mut io_problems) {
        let id = FileId(files.len() as u32);
        if let Some(f) = read_policy_file(&path, id, &mut io_problems) {
            files.push(f);
            if path.extension().is_some_and(|e| e == "rego") {
                rego_files.push(id);
            } else if let Some(f) = files.last() {
                loaded.push((
                    load::load_file(f, load::FileRole::Policy, &mut diags),
                    false,
                ));
            }
        }
    }

    let namespaces: Vec<String> = match &settings.rego_namespaces {
        Some(list) => list.clone(),
        None => rego::DEFAULT_NAMESPACES
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    let config_span = files
        .iter()
        .find(|f| Some(&f.path) == config_path.as_ref())
        .map(|f| f.span(0, 0))
        .unwrap_or_default();
    let rego_sources: Vec<&SourceFile> = rego_files
        .iter()
        .filter_map(|id| files.get(id.0 as usize))
        .collect();
    let rego = rego::load(&rego_sources, &namespaces, config_span, &mut diags);

    // I/O problems have no file to point into: give each a file of its own.
    for (path, message) in io_problems {
        let id = FileId(files.len() as u32);
        files.push(SourceFile::new(id, path, SourceKind::Policy, Arc::from("")));
        diags.push(PolicyDiagnostic::new(Span::new(id, 0, 0), message));
    }

    let mut packs = Vec::new();
    let mut vendors = Vec::new();
    let mut kinds = Vec::new();
    let mut networks = Vec::new();
    let mut rules: Vec<RuleSpec> = Vec::new();
    for (l, builtin) in loaded {
        for p in l.packs {
            if let Some(prev) = packs.iter().find(|q: &&PackSpec| q.id == p.id) {
                diags.push(collision("pack", &p.id, p.span, prev.span, &files));
            } else {
                packs.push(p);
            }
        }
        for v in l.vendors {
            if let Some(prev) = vendors
                .iter()
                .find(|w: &&crate::intel::VendorSpec| w.id == v.id)
            {
                diags.push(collision("vendor", &v.id, v.span, prev.span, &files));
            } else {
                vendors.push(v);
            }
        }
        kinds.extend(l.kinds);
        networks.extend(l.networks);
        for mut r in l.rules {
            if builtin && r.pack.is_none() {
                r.pack = Some("core".into());
            }
            if let Some(prev) = rules.iter().find(|q| q.id == r.id) {
                diags.push(collision("rule", &r.id, r.id_span, prev.id_span, &files));
            } else {
                rules.push(r);
            }
        }
    }

    for r in &rules {
        if r.scope != RuleScope::Diagnostic {
            for (span, message) in rules::type_check(r) {
                diags.push(
                    PolicyDiagnostic::new(span, format!("rule `{}`: {message}", r.id)).with_help(
                        "device and network fields are listed by `camlint explain --fields` and in docs/policy-language.md"
                            .into(),
                    ),
                );
            }
        }
    }

    let declared: BTreeSet<&str> = packs.iter().map(|p| p.id.as_str()).collect();
    for v in &vendors {
        for p in &v.restricted_by {
            if !declared.contains(p.as_str()) {
                diags.push(PolicyDiagnostic::new(
                    v.span,
                    format!(
                        "vendor `{}` is restricted by pack `{p}`, which no policy declares",
                        v.id
                    ),
                ));
            }
        }
    }
    let active_packs: BTreeSet<String> = match &settings.packs {
        Some(list) => {
            for p in list {
                if !declared.contains(p.as_str()) {
                    let span = files
                        .iter()
                        .find(|f| Some(&f.path) == config_path.as_ref())
                        .map(|f| f.whole())
                        .unwrap_or_default();
                    diags.push(
                        PolicyDiagnostic::new(
                            span,
                            format!("settings.packs names `{p}`, which is not a known pack"),
                        )
                        .with_help(format!(
                            "known packs: {}",
                            declared.iter().copied().collect::<Vec<_>>().join(", ")
                        )),
                    );
                }
            }
            list.iter().cloned().collect()
        }
        None => packs
            .iter()
            .map(|p| p.id.clone())
            .filter(|p| !(opts.no_default_packs && DEFAULT_PACKS.contains(&p.as_str())))
            .collect(),
    };

    // Restrictions are inherited from the parent unless a vendor sets its own.
    let by_id: BTreeMap<&str, usize> = vendors
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let vendor_packs: Vec<Vec<String>> = (0..vendors.len())
        .map(|i| {
            let mut cur = i;
            for _ in 0..16 {
                let Some(v) = vendors.get(cur) else { break };
                if !v.inherits_restrictions {
                    return v.restricted_by.clone();
                }
                match v.parent.as_deref().and_then(|p| by_id.get(p)) {
                    Some(&p) if p != cur => cur = p,
                    _ => break,
                }
            }
            Vec::new()
        })
        .collect();

    let mut words = SensitivityWords::default();
    if let Some(k) = &settings.sensitive_keys {
        words.keys = k.clone();
    }
    if let Some(v) = &settings.sensitive_values {
        words.values = v.clone();
    }
    if let Some(n) = &settings.sensitive_name_words {
        words.name_words = n.clone();
    }

    let vendor_db = match VendorDb::new(vendors) {
        Ok(db) => Some(db),
        Err(e) => {
            diags.push(PolicyDiagnostic::new(e.span(), e.to_string()));
            None
        }
    };
    match vendor_db {
        Some(vendors) if diags.is_empty() => Ok(Policy {
            files,
            config_path,
            settings,
            packs,
            active_packs,
            vendors,
            vendor_packs,
            kinds: KindDb::new(kinds),
            networks,
            rules,
            words,
            rego,
        }),
        _ => Err(PolicyError {
            files,
            diagnostics: diags,
        }),
    }
}

fn collision(
    what: &str,
    id: &str,
    span: Span,
    prev: Span,
    files: &[SourceFile],
) -> PolicyDiagnostic {
    let at = files
        .get(prev.file.0 as usize)
        .map(|f| {
            let lc = f.lines().line_col(prev.start);
            format!("{}:{}", f.display_path(), lc.line)
        })
        .unwrap_or_default();
    PolicyDiagnostic::new(span, format!("{what} id `{id}` is already defined at {at}"))
        .with_help(format!("{what} ids are global; pick another id (camlint never lets one {what} silently replace another)"))
}
