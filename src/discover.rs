//! Finds the files to scan and decides which family each belongs to.
//!
//! The walk ([`walk`]) applies `.gitignore` (inside or outside a git
//! repository), `.camlintignore` and `--exclude` globs with the `ignore`
//! crate's matchers and precedence; `.git/` and `.terraform/` are never
//! entered and symlinked directories are never followed, so a link loop
//! cannot trap the walk. What the ignore rules leave out is counted (one
//! entry per ignored file or directory) so the report can say so. Each
//! file is read once here and shared from then on.
//! Discovery never parses: a file is claimed by its name, or for ambiguous
//! names (`.txt`, `.conf`, `.json`, no extension…) by the sniffers of the
//! source families.
//!
//! Listing directories is most of the cost of a scan, so the walk runs on
//! the threads of the rayon pool (`--jobs`) and each file is read by the
//! thread that listed its directory, as ripgrep does: reading overlaps
//! listing.
//! The type the directory listing reports decides what to do with a file,
//! so only symbolic links (and the given paths) cost a `stat` before the
//! one `fstat` of the opened file. Results are sorted by path afterwards,
//! so numbering never depends on scheduling.
//!
//! When one given path lies inside another, an entry one walk left out may
//! be yielded by the other and is then not ignored; only in that case is
//! every yielded and every ignored path kept to compare.
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

mod walk;

use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::overrides::{Override, OverrideBuilder};

use self::walk::{Event, Gather};

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
    let bases = containment_bases(roots);
    let keep_paths = roots_overlap(roots);
    let scan = Scan {
        max: opts.max_file_size,
        bases: &bases,
        keep_paths,
    };
    let visit = |event: Event<'_>, got: &mut Harvest| scan.visit(event, got);
    let mut got = Harvest::default();
    for root in roots {
        if root.symlink_metadata().is_err() {
            out.missing.push(root.clone());
            continue;
        }
        let overrides = exclude_overrides(root, &opts.exclude)?;
        for part in walk::walk(root, &overrides, &visit) {
            got.absorb(part);
        }
    }
    out.seen = got.seen;
    out.ignored = if keep_paths {
        let visited: HashSet<PathBuf> = got.visited.into_iter().collect();
        got.ignored_paths
            .iter()
            .filter(|p| !visited.contains(*p))
            .count()
    } else {
        got.ignored
    };

    let mut read = got.reads;
    sort_by_path(&mut read);
    read.dedup_by(|a, b| a.path == b.path);
    let mut unlisted = got.unlisted;
    unlisted.sort();
    unlisted.dedup();
    let unlisted = unlisted.into_iter().map(|(path, error)| Read {
        path,
        claim: Claim {
            // Irrelevant: a file with a discovery problem is never parsed.
            kind: SourceKind::TerraformHcl,
            text: Arc::from(""),
            problem: Some((
                0,
                format!("cannot list directory: {error}; files in it were not scanned"),
            )),
        },
    });
    for r in read.into_iter().chain(unlisted) {
        let id = FileId(out.files.len() as u32);
        let file = SourceFile::new(id, r.path, r.claim.kind, r.claim.text);
        if let Some((offset, message)) = r.claim.problem {
            out.diagnostics
                .push(Diagnostic::parse_error(file.span(offset, offset), message));
        }
        out.files.push(file);
    }
    Ok(out)
}

/// `--exclude` globs, relative to the root they apply under.
fn exclude_overrides(root: &Path, exclude: &[String]) -> Result<Override, DiscoverError> {
    let mut overrides = OverrideBuilder::new(root);
    for glob in exclude {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|source| DiscoverError::BadGlob {
                glob: glob.clone(),
                source,
            })?;
    }
    overrides.build().map_err(|source| DiscoverError::BadGlob {
        glob: exclude.join(", "),
        source,
    })
}

/// Whether one given path lies inside (or is) another, so that one walk may
/// yield what another left out. Paths with a common prefix sort next to
/// each other, so neighbours suffice.
fn roots_overlap(roots: &[PathBuf]) -> bool {
    let mut sorted: Vec<&PathBuf> = roots.iter().collect();
    sorted.sort();
    sorted
        .windows(2)
        .any(|pair| matches!(pair, [a, b] if b.starts_with(a)))
}

/// What one walk needs to know, shared by its threads.
struct Scan<'a> {
    max: u64,
    bases: &'a [PathBuf],
    /// Roots overlap: keep every yielded and every ignored path.
    keep_paths: bool,
}

/// What walker threads found, merged when each thread ends.
#[derive(Default)]
struct Harvest {
    reads: Vec<Read>,
    /// Directories the walk could not list: reported, never skipped quietly.
    unlisted: Vec<(PathBuf, String)>,
    seen: usize,
    /// Entries the ignore rules left out.
    ignored: usize,
    /// Only when roots overlap: what was left out, and every yielded path.
    ignored_paths: Vec<PathBuf>,
    visited: Vec<PathBuf>,
}

impl Gather for Harvest {
    fn absorb(&mut self, other: Harvest) {
        self.reads.extend(other.reads);
        self.unlisted.extend(other.unlisted);
        self.seen += other.seen;
        self.ignored += other.ignored;
        self.ignored_paths.extend(other.ignored_paths);
        self.visited.extend(other.visited);
    }
}

impl Scan<'_> {
    fn visit(&self, event: Event<'_>, got: &mut Harvest) {
        match event {
            Event::File { path, listed } => {
                if self.keep_paths {
                    got.visited.push(path.clone());
                }
                got.seen += 1;
                let found = match listed {
                    Some(ty) => Found::of_listed(ty),
                    None => Found::of_root(&path),
                };
                if let Some(read) = read_claimed(path, found, self.max, self.bases) {
                    got.reads.push(read);
                }
            }
            Event::Dir(path) => {
                if self.keep_paths {
                    got.visited.push(path.to_path_buf());
                }
            }
            Event::Ignored(path) => {
                if self.keep_paths {
                    got.ignored_paths.push(path.to_path_buf());
                } else {
                    got.ignored += 1;
                }
            }
            Event::Unreadable { path, error } => got.unlisted.push((path.to_path_buf(), error)),
        }
    }
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

/// What the walk already knows about a file before it is opened.
enum Found {
    /// A regular file: opened without following links, checked by `fstat`.
    Regular,
    /// A symbolic link: checked for where it leads, then followed.
    Link,
    /// A FIFO, socket or device: never opened.
    Special,
    /// A given path that could not be looked at.
    Gone(std::io::Error),
}

impl Found {
    /// From the type the directory listing reported, which for links is the
    /// link's own type.
    fn of_listed(ft: std::fs::FileType) -> Found {
        if ft.is_symlink() {
            Found::Link
        } else if ft.is_file() {
            Found::Regular
        } else {
            Found::Special
        }
    }

    /// A given path's type as the walker reports it has links followed, so
    /// look at the path itself.
    fn of_root(path: &Path) -> Found {
        match path.symlink_metadata() {
            Ok(m) => Found::of_listed(m.file_type()),
            Err(e) => Found::Gone(e),
        }
    }
}

struct Read {
    path: PathBuf,
    claim: Claim,
}

/// What discovery made of a file it claimed.
struct Claim {
    kind: SourceKind,
    text: Arc<str>,
    /// A reason the file cannot be parsed, and where.
    problem: Option<(usize, String)>,
}

/// How much of an oversized file is read to decide whether it is ours.
const SNIFF_HEAD: u64 = 4096;

const NOT_REGULAR: &str = "not a regular file (FIFO, socket or device)";

fn read_claimed(path: PathBuf, found: Found, max: u64, bases: &[PathBuf]) -> Option<Read> {
    let claim = claim(&path, found, max, bases)?;
    Some(Read { path, claim })
}

fn claim(path: &Path, found: Found, max: u64, bases: &[PathBuf]) -> Option<Claim> {
    let name = path.file_name()?.to_string_lossy();
    let by_name = classify_by_name(path, &name);
    if by_name.is_none() && !worth_sniffing(&name) {
        return None;
    }
    let problem = |kind, message: String| {
        Some(Claim {
            kind,
            text: Arc::from(""),
            problem: Some((0, message)),
        })
    };
    let follow = match found {
        Found::Regular => false,
        Found::Link => {
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
            // What the link leads to must be a regular file too: a FIFO
            // behind a link is never opened either.
            match std::fs::metadata(path) {
                Ok(m) if m.is_file() => true,
                Ok(_) => {
                    return by_name.and_then(|k| problem(k, format!("{NOT_REGULAR}; not read")));
                }
                Err(e) => {
                    return by_name.and_then(|k| problem(k, format!("cannot read file: {e}")));
                }
            }
        }
        Found::Special => {
            return by_name.and_then(|k| problem(k, format!("{NOT_REGULAR}; not read")));
        }
        Found::Gone(e) => {
            return by_name.and_then(|k| problem(k, format!("cannot read file: {e}")));
        }
    };
    let (bytes, len) = match read_capped(path, max, follow) {
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
        let size = len.max(bytes.len() as u64);
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
            Some(Claim {
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
            Some(Claim {
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
/// whose size says 0, cannot make camlint read more than the limit, and
/// returns them with the size `fstat` gave. The file is opened non-blocking
/// and checked after opening: if it was swapped for a FIFO since it was
/// listed, opening and reading return at once instead of hanging. A file
/// listed as regular is opened without following links, so it cannot have
/// been swapped for a link out of the tree either.
fn read_capped(path: &Path, max: u64, follow: bool) -> std::io::Result<(Vec<u8>, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        if follow {
            libc::O_NONBLOCK
        } else {
            libc::O_NONBLOCK | libc::O_NOFOLLOW
        },
    );
    #[cfg(not(unix))]
    let _ = follow;
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(NOT_REGULAR));
    }
    let hint = meta.len().min(max).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes, meta.len()))
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

/// Sorts reads as `Path::cmp` orders their paths. Comparing paths walks
/// their components on every comparison, which made sorting 12,000 files
/// a noticeable serial step; each path's order key is built once instead.
fn sort_by_path(reads: &mut [Read]) {
    if cfg!(windows) {
        // Drive prefixes order by their parsed form, not their bytes.
        reads.sort_by(|a, b| a.path.cmp(&b.path));
    } else {
        reads.sort_by_cached_key(|r| path_order_key(&r.path));
    }
}

/// Bytes that compare as `Path::cmp` compares paths: each component as a
/// tag in `Component`'s own order, then a normal component's bytes and a
/// zero, which no component contains and which sorts a name before any
/// longer name it starts (`a` < `a.b`, so `a/b` < `a.b`).
pub(crate) fn path_order_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for c in path.components() {
        match c {
            Component::Prefix(p) => {
                key.push(0);
                key.extend_from_slice(p.as_os_str().as_encoded_bytes());
                key.push(0);
            }
            Component::RootDir => key.push(1),
            Component::CurDir => key.push(2),
            Component::ParentDir => key.push(3),
            Component::Normal(name) => {
                key.push(4);
                key.extend_from_slice(name.as_encoded_bytes());
                key.push(0);
            }
        }
    }
    key
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

    #[cfg(unix)]
    #[test]
    fn a_given_link_to_a_directory_is_walked_as_the_directory() {
        let dir = ignore_tree();
        let links = tempfile::tempdir().unwrap();
        let link = links.path().join("estate");
        std::os::unix::fs::symlink(dir.path(), &link).unwrap();
        assert_eq!(
            ignored(std::slice::from_ref(&link), &[]),
            ignored(&[dir.path().to_path_buf()], &[])
        );
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

    #[test]
    fn path_order_keys_order_as_paths_do() {
        use proptest::prelude::*;
        let part = prop::sample::select(vec![
            "a", "a.b", "b", "ab", "a-b", ".", "..", "Z", "a b", "é", "a\u{1}", "\u{3}",
        ]);
        let path = (
            any::<bool>(),
            prop::collection::vec(part, 0..5),
            any::<bool>(),
        )
            .prop_map(|(rooted, parts, doubled)| {
                let sep = if doubled { "//" } else { "/" };
                let body = parts.join(sep);
                if rooted { format!("/{body}") } else { body }
            });
        proptest!(|(a in path.clone(), b in path)| {
            let (a, b) = (Path::new(&a), Path::new(&b));
            prop_assert_eq!(path_order_key(a).cmp(&path_order_key(b)), a.cmp(b), "{:?} vs {:?}", a, b);
        });
    }
}
