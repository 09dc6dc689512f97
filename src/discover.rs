//! Finds the files to scan and decides which family each belongs to.
//!
//! Walking uses the `ignore` crate, so `.gitignore` (inside or outside a git
//! repository), `.camlintignore` and `--exclude` globs apply; `.git/` and
//! `.terraform/` are never entered and symlinked directories are never
//! followed, so a link loop cannot trap the walk. What the ignore rules
//! leave out is counted (one entry per ignored file or directory) so the
//! report can say so. Each file is read once here and shared from then on.
//! Discovery never parses: a file is claimed by its name, or for ambiguous
//! names (`.txt`, `.conf`, `.json`, no extension…) by the sniffers of the
//! source families.
//!
//! Pull requests may be hostile, so discovery fails closed. A claimed file
//! that is too big, not valid UTF-8, unreadable, not a regular file (FIFO,
//! socket, device: never opened) or a symbolic link leading out of the
//! scanned tree becomes a `parse-error` diagnostic rather than a silent
//! skip, and so does a directory the walk cannot list. A file is claimed by
//! content even when it is oversized or mis-encoded (the sniffers see its
//! head, or its text with bad bytes replaced). Reads are capped at the size
//! limit whatever the file's metadata says. A UTF-8 BOM is dropped and a
//! lone CR is read as a line break, so every parser sees LF line endings.

use std::collections::HashSet;
use std::io::Read as _;
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
    /// Files and directories left out by `.gitignore`, `.camlintignore` or
    /// an exclude glob (an ignored directory counts once).
    pub ignored: usize,
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
    // Directories the walk could not list: reported, never skipped quietly.
    let mut unlisted: Vec<(PathBuf, String)> = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
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
            .filter_entry(|e| !(e.depth() > 0 && is_tool_dir(e.file_name(), e.file_type())))
            .build();
        for entry in walk {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    // A malformed line in an ignore file is not about the
                    // input; an I/O error on a path is a hole in the scan.
                    if let (Some(path), Some(io)) = (error_path(&e), e.io_error()) {
                        unlisted.push((path.to_path_buf(), io.to_string()));
                    }
                    continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                continue;
            };
            if ft.is_dir() {
                dirs.push(entry.path().to_path_buf());
                visited.insert(entry.into_path());
                continue;
            }
            out.seen += 1;
            visited.insert(entry.path().to_path_buf());
            paths.push(entry.into_path());
        }
    }
    out.ignored = count_ignored(&dirs, &visited);
    paths.sort();
    paths.dedup();

    let bases = containment_bases(roots);
    let max = opts.max_file_size;
    let read: Vec<Option<Read>> = paths
        .par_iter()
        .map(|path| read_claimed(path, max, &bases))
        .collect();

    unlisted.sort();
    unlisted.dedup();
    let unlisted = unlisted.into_iter().map(|(path, error)| {
        Some(Read {
            path,
            // Irrelevant: a file with a discovery problem is never parsed.
            kind: SourceKind::TerraformHcl,
            text: Arc::from(""),
            problem: Some((
                0,
                format!("cannot list directory: {error}; files in it were not scanned"),
            )),
        })
    });
    for r in read.into_iter().chain(unlisted).flatten() {
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

/// `.git/` and `.terraform/` hold tool state, never the estate.
fn is_tool_dir(name: &std::ffi::OsStr, ft: Option<std::fs::FileType>) -> bool {
    ft.is_some_and(|t| t.is_dir()) && (name == ".git" || name == ".terraform")
}

/// The path an `ignore` walk error is about, if it names one.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// Entries of walked directories that the walk did not yield: what ignore
/// rules and exclude globs left out. Only one level is listed per walked
/// directory, so an ignored `node_modules/` costs one entry, not a walk.
fn count_ignored(dirs: &[PathBuf], visited: &HashSet<PathBuf>) -> usize {
    dirs.par_iter()
        .map(|dir| {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return 0;
            };
            entries
                .flatten()
                .filter(|e| {
                    let name = e.file_name();
                    let ft = e.file_type().ok();
                    !is_tool_dir(&name, ft) && !visited.contains(&e.path())
                })
                .count()
        })
        .sum()
}

/// Where a symbolic link may lead: inside a scanned path, or inside the git
/// work tree that holds one. A link elsewhere (`x.tf -> /proc/self/environ`,
/// `hosts -> ~/.ssh/id_rsa`) would let a pull request make camlint print a
/// file of the CI machine in its report.
fn containment_bases(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut bases = Vec::new();
    for root in roots {
        let Ok(canon) = std::fs::canonicalize(root) else {
            continue;
        };
        let git_root = canon
            .ancestors()
            .find(|a| a.join(".git").exists())
            .map(Path::to_path_buf);
        bases.push(canon);
        bases.extend(git_root);
    }
    bases
}

struct Read {
    path: PathBuf,
    kind: SourceKind,
    text: Arc<str>,
    /// A reason the file cannot be parsed, and where.
    problem: Option<(usize, String)>,
}

/// How much of an oversized file is read to decide whether it is ours.
const SNIFF_HEAD: u64 = 4096;

fn read_claimed(path: &Path, max: u64, bases: &[PathBuf]) -> Option<Read> {
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
    if path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        match std::fs::canonicalize(path) {
            Ok(target) if !bases.iter().any(|b| target.starts_with(b)) => {
                return by_name.and_then(|k| {
                    problem(
                        k,
                        "symbolic link to a file outside the scanned tree; not read".into(),
                    )
                });
            }
            Ok(_) => {}
            Err(e) => {
                return by_name.and_then(|k| problem(k, format!("cannot read file: {e}")));
            }
        }
    }
    // Only regular files (or links to them) are read. FIFOs, sockets and
    // devices are never opened: a FIFO would block the scan.
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
    let bytes = match read_capped(path, max) {
        Ok(b) => b,
        Err(e) => return by_name.and_then(|k| problem(k, format!("cannot read file: {e}"))),
    };
    if bytes.len() as u64 > max {
        // An oversized file that would be ours by content is a hole too.
        let kind = match by_name {
            Some(k) => k,
            None => {
                let head = bytes.get(..SNIFF_HEAD as usize).unwrap_or(&bytes);
                sniff(path, &name, &String::from_utf8_lossy(head))?
            }
        };
        let size = meta.len().max(bytes.len() as u64);
        return problem(
            kind,
            format!(
                "file is {}{size} bytes, over the {max} byte limit (raise it with --max-file-size)",
                if size == bytes.len() as u64 {
                    "at least "
                } else {
                    ""
                },
            ),
        );
    }
    let bytes = normalise(bytes);
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
            // Binary or mis-encoded. A file claimed by name, or one whose
            // path or content would make it ours, is an error; an unknown
            // binary blob is simply not ours.
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let kind = match by_name {
                Some(k) => k,
                None => sniff(path, &name, &lossy)?,
            };
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

/// Reads at most `max + 1` bytes, so a file that grows, or a `/proc` file
/// whose size says 0, cannot make camlint read more than the limit. The
/// file is opened non-blocking: if it was swapped for a FIFO after the
/// check above, opening and reading return at once instead of hanging.
fn read_capped(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (FIFO, socket or device)",
        ));
    }
    let hint = file.metadata()?.len().min(max).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A UTF-8 byte-order mark is dropped (editors do not count it as a
/// column; spans point into the text as stored, so positions stay right),
/// and a lone CR becomes LF, byte for byte, so every parser can split lines
/// on LF alone and old Mac line endings give the lines an editor shows.
fn normalise(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let mut i = 0;
    while let Some(at) = bytes.get(i..).and_then(|rest| memchr::memchr(b'\r', rest)) {
        let at = i + at;
        if bytes.get(at + 1) != Some(&b'\n')
            && let Some(b) = bytes.get_mut(at)
        {
            *b = b'\n';
        }
        i = at + 1;
    }
    bytes
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

    /// A tree where `.gitignore`, `.camlintignore` and a self-ignoring
    /// `.gitignore` each leave something out, beside tool directories that
    /// are never entered and never counted.
    fn ignore_tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(".gitignore", "*.log\nbuild/\n");
        write(".camlintignore", "legacy/\n");
        write("a.log", "");
        write("b.log", "");
        write("build/x.tf", "");
        write("build/y.tf", "");
        write("keep.tf", "");
        write("sub/c.log", "");
        write("sub/d.tf", "");
        write("legacy/old.tf", "");
        write("self/.gitignore", "*\n");
        write("self/s.tf", "");
        write(".git/HEAD", "");
        write(".terraform/m.tf", "");
        dir
    }

    fn ignored(roots: &[PathBuf], exclude: &[&str]) -> (usize, Vec<String>) {
        let opts = DiscoverOptions {
            exclude: exclude.iter().map(|g| g.to_string()).collect(),
            ..DiscoverOptions::default()
        };
        let got = discover(roots, &opts).unwrap();
        let names = got
            .files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        (got.ignored, names)
    }

    #[test]
    fn each_left_out_entry_is_counted_once_and_tool_dirs_never() {
        let dir = ignore_tree();
        let root = dir.path().to_path_buf();
        // a.log, b.log, build/ (once, not its two files), legacy/,
        // sub/c.log, self/.gitignore and self/s.tf.
        assert_eq!(
            ignored(std::slice::from_ref(&root), &[]),
            (7, vec!["keep.tf".into(), "d.tf".into()])
        );
        assert_eq!(ignored(std::slice::from_ref(&root), &["keep.tf"]).0, 8);
        assert_eq!(ignored(&[root.join("sub")], &[]).0, 1);
    }

    #[test]
    fn overlapping_roots_count_what_no_walk_yielded() {
        let dir = ignore_tree();
        let root = dir.path().to_path_buf();
        // Each walk lists `sub/` and leaves `c.log` out.
        assert_eq!(ignored(&[root.clone(), root.join("sub")], &[]).0, 8);
        assert_eq!(ignored(&[root.clone(), root.clone()], &[]).0, 14);
        // A file named on the command line is scanned, so not ignored.
        let (n, files) = ignored(&[root.clone(), root.join("build/x.tf")], &[]);
        assert_eq!(n, 7);
        assert_eq!(files, ["x.tf", "keep.tf", "d.tf"]);
        assert_eq!(ignored(&[root.clone(), root.join("a.log")], &[]).0, 6);
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
