//! Finds the files to scan and decides which family each belongs to.
//!
//! Walking uses the `ignore` crate, so `.gitignore` (inside or outside a git
//! repository), `.camlintignore` and `--exclude` globs apply; `.git/` and
//! `.terraform/` are never entered and symlinked directories are never
//! followed, so a link loop cannot trap the walk. Each file is read once
//! here and shared from then on. Discovery never parses: a file is claimed
//! by its name, or for ambiguous names (`.txt`, `.conf`, `.json`, no
//! extension…) by the sniffers of the source families. A claimed file that
//! is too big, not valid UTF-8 or unreadable becomes a `parse-error`
//! diagnostic rather than a silent skip.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use rayon::prelude::*;

use crate::model::{Diagnostic, FileId, SourceFile, SourceKind};
use crate::sources;

/// Default cap on the size of one file.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    pub exclude: Vec<String>,
    pub max_file_size: u64,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            exclude: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// The outcome of discovery: files ready to parse, and problems with files
/// that were claimed but could not be taken in (reported against a
/// placeholder `SourceFile` so they have a path).
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Paths given on the command line that do not exist.
    pub missing: Vec<PathBuf>,
    /// How many files the walk saw in all (claimed or not).
    pub seen: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("invalid --exclude glob `{glob}`: {source}")]
    BadGlob {
        glob: String,
        #[source]
        source: ignore::Error,
    },
}

/// Walks `roots` and reads every claimed file. Files are numbered in path
/// order so the result does not depend on thread scheduling.
pub fn discover(roots: &[PathBuf], opts: &DiscoverOptions) -> Result<Discovered, DiscoverError> {
    let mut out = Discovered::default();
    let mut paths = Vec::new();
    for root in roots {
        if !root.exists() && root.symlink_metadata().is_err() {
            out.missing.push(root.clone());
            continue;
        }
        let mut overrides = OverrideBuilder::new(root);
        for glob in &opts.exclude {
            overrides
                .add(&format!("!{glob}"))
                .map_err(|source| DiscoverError::BadGlob {
                    glob: glob.clone(),
                    source,
                })?;
        }
        let overrides = overrides.build().map_err(|source| DiscoverError::BadGlob {
            glob: opts.exclude.join(", "),
            source,
        })?;
        let walk = WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .git_global(false)
            .follow_links(false)
            .add_custom_ignore_filename(".camlintignore")
            .overrides(overrides)
            .filter_entry(|e| {
                let name = e.file_name();
                !(e.depth() > 0
                    && e.file_type().is_some_and(|t| t.is_dir())
                    && (name == ".git" || name == ".terraform"))
            })
            .build();
        for entry in walk.flatten() {
            let Some(ft) = entry.file_type() else {
                continue;
            };
            if ft.is_dir() {
                continue;
            }
            out.seen += 1;
            paths.push(entry.into_path());
        }
    }
    paths.sort();
    paths.dedup();

    let max = opts.max_file_size;
    let read: Vec<Option<Read>> = paths
        .par_iter()
        .map(|path| read_claimed(path, max))
        .collect();

    for r in read.into_iter().flatten() {
        let id = FileId(out.files.len() as u32);
        let file = SourceFile::new(id, r.path, r.kind, r.text);
        if let Some((offset, message)) = r.problem {
            out.diagnostics
                .push(Diagnostic::parse_error(file.span(offset, offset), message));
        }
        out.files.push(file);
    }
    Ok(out)
}

struct Read {
    path: PathBuf,
    kind: SourceKind,
    text: Arc<str>,
    /// A reason the file cannot be parsed, and where.
    problem: Option<(usize, String)>,
}

fn read_claimed(path: &Path, max: u64) -> Option<Read> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let by_name = classify_by_name(path, &name);
    if by_name.is_none() && !worth_sniffing(&name) {
        return None;
    }
    let problem = |kind, message: String| {
        Some(Read {
            path: path.to_path_buf(),
            kind,
            text: Arc::from(""),
            problem: Some((0, message)),
        })
    };
    // Only regular files (or links to them) are read: a FIFO or socket
    // would block or fail.
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return by_name.and_then(|k| problem(k, format!("cannot read file: {e}"))),
    };
    if !meta.is_file() {
        return by_name.and_then(|k| {
            problem(
                k,
                "not a regular file (FIFO, socket or device); not read".into(),
            )
        });
    }
    if meta.len() > max {
        return by_name.and_then(|k| {
            problem(
                k,
                format!(
                    "file is {} bytes, over the {} byte limit (raise it with --max-file-size)",
                    meta.len(),
                    max
                ),
            )
        });
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return by_name.and_then(|k| problem(k, format!("cannot read file: {e}"))),
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let kind = match by_name {
                Some(k) => k,
                None => sniff(path, &name, &text)?,
            };
            Some(Read {
                path: path.to_path_buf(),
                kind,
                text: Arc::from(text),
                problem: None,
            })
        }
        Err(e) => {
            // Binary or mis-encoded. Only a file claimed by name is ours to
            // complain about; an unknown binary blob is simply not ours.
            let kind = by_name?;
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let at = lossy
                .char_indices()
                .nth(
                    String::from_utf8_lossy(e.as_bytes().get(..at).unwrap_or(&[]))
                        .chars()
                        .count(),
                )
                .map(|(i, _)| i)
                .unwrap_or(0);
            Some(Read {
                path: path.to_path_buf(),
                kind,
                text: Arc::from(lossy),
                problem: Some((
                    at,
                    "file is not valid UTF-8 (binary or wrong encoding)".into(),
                )),
            })
        }
    }
}

/// Families that are recognised by file name alone.
pub fn classify_by_name(path: &Path, name: &str) -> Option<SourceKind> {
    let lower = name.to_ascii_lowercase();
    if lower == ".camlint.hcl" {
        return None;
    }
    if lower.ends_with(".tf") {
        return Some(SourceKind::TerraformHcl);
    }
    if lower.ends_with(".tf.json") {
        return Some(SourceKind::TerraformJson);
    }
    if lower.ends_with(".tfvars") {
        return Some(SourceKind::TerraformVars);
    }
    if lower.ends_with(".tfvars.json") {
        return Some(SourceKind::TerraformVarsJson);
    }
    let _ = path;
    None
}

/// Extensions (or their absence) whose files may be ours by content.
fn worth_sniffing(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let ext = match lower.rsplit_once('.') {
        Some((_, ext)) => ext,
        None => return true,
    };
    matches!(
        ext,
        "txt"
            | "conf"
            | "cfg"
            | "config"
            | "ios"
            | "eos"
            | "nxos"
            | "junos"
            | "json"
            | "csv"
            | "yml"
            | "yaml"
            | "ini"
            | "inventory"
            | "hosts"
            | "py"
            | "sh"
            | "set"
            | "run"
            | "leases"
    )
}

fn sniff(path: &Path, name: &str, text: &str) -> Option<SourceKind> {
    if let Some(kind) = sniff_terraform_plan(name, text) {
        return Some(kind);
    }
    sources::ansible::sniff(path, text).or_else(|| sources::netconf::sniff(name, text))
}

/// `terraform show -json` output: a JSON object with `format_version` and
/// `terraform_version` near the top.
fn sniff_terraform_plan(name: &str, text: &str) -> Option<SourceKind> {
    if !name.to_ascii_lowercase().ends_with(".json") {
        return None;
    }
    let head = text.get(..text.len().min(4096)).unwrap_or(text);
    (head.trim_start().starts_with('{')
        && head.contains("\"format_version\"")
        && head.contains("\"terraform_version\""))
    .then_some(SourceKind::TerraformPlan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_is_claimed_by_name() {
        let p = Path::new("x");
        assert_eq!(
            classify_by_name(p, "main.tf"),
            Some(SourceKind::TerraformHcl)
        );
        assert_eq!(
            classify_by_name(p, "main.tf.json"),
            Some(SourceKind::TerraformJson)
        );
        assert_eq!(
            classify_by_name(p, "prod.auto.tfvars"),
            Some(SourceKind::TerraformVars)
        );
        assert_eq!(classify_by_name(p, "README.md"), None);
        assert!(!worth_sniffing("photo.png"));
        assert!(worth_sniffing("hosts"));
    }

    #[test]
    fn walk_skips_ignored_and_tool_dirs_and_reports_binary_tf() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".terraform/modules")).unwrap();
        std::fs::write(
            root.join(".terraform/modules/x.tf"),
            "resource \"a\" \"b\" {}",
        )
        .unwrap();
        std::fs::write(root.join("main.tf"), "resource \"a\" \"b\" {}").unwrap();
        std::fs::write(root.join("skip.tf"), "").unwrap();
        std::fs::write(root.join(".gitignore"), "skip.tf\n").unwrap();
        std::fs::write(root.join("bin.tf"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
        let got = discover(&[root.to_path_buf()], &DiscoverOptions::default()).unwrap();
        let names: Vec<_> = got
            .files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["bin.tf", "main.tf"]);
        assert_eq!(got.diagnostics.len(), 1);
        assert!(got.diagnostics[0].message.contains("UTF-8"));
    }

    #[test]
    fn camlintignore_and_excludes_apply_and_symlink_loops_end() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("legacy")).unwrap();
        std::fs::create_dir_all(root.join("live")).unwrap();
        std::fs::write(root.join("legacy/old.tf"), "").unwrap();
        std::fs::write(root.join("live/a.tf"), "").unwrap();
        std::fs::write(root.join("live/b.tf"), "").unwrap();
        std::fs::write(root.join(".camlintignore"), "legacy/\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root, root.join("live/loop")).unwrap();
        let opts = DiscoverOptions {
            exclude: vec!["live/b.tf".into()],
            ..DiscoverOptions::default()
        };
        let got = discover(&[root.to_path_buf()], &opts).unwrap();
        let names: Vec<_> = got
            .files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["live/a.tf"]);
    }

    #[test]
    fn oversized_claimed_file_is_a_parse_error_naming_the_flag() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.tf"), "#".repeat(2048)).unwrap();
        let opts = DiscoverOptions {
            max_file_size: 1024,
            ..DiscoverOptions::default()
        };
        let got = discover(&[dir.path().to_path_buf()], &opts).unwrap();
        assert_eq!(got.diagnostics.len(), 1);
        assert!(got.diagnostics[0].message.contains("--max-file-size"));
    }
}
