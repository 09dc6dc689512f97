//! The directory walk. Each directory is listed once, on the threads of the
//! rayon pool, and every entry of the listing is either kept or left out by
//! the ignore rules right there, so what the rules leave out is counted
//! from the listing the walk reads anyway.
//!
//! The rules are those of the `ignore` crate's walker, whose matchers
//! (`Gitignore`, `Override`) this walk uses:
//! - `--exclude` globs are asked first, and decide alone when one matches.
//! - Otherwise each kind of ignore file is asked from the entry's own
//!   directory upwards, and the deepest file with a matching line decides
//!   for its kind (a matching `!pattern` decides too: it keeps the entry).
//!   Then `.camlintignore` outranks `.ignore`, which outranks `.gitignore`,
//!   which outranks the repository's `info/exclude`.
//! - Ignore files above a given path apply to it too, matched by absolute
//!   path. `.gitignore` applies inside a git repository or outside one.
//! - `.git/` and `.terraform/` are never entered and never counted.
//!   Symbolic links are never followed: a link is an entry like a file. A
//!   given path is followed.
//!
//! The walk is our own because the `ignore` crate's walker does not say
//! what it left out. Counting that took a second listing of every
//! directory: a tenth of a whole scan's time, all of it in the kernel.

use std::ffi::{OsStr, OsString};
use std::fs::FileType;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::overrides::Override;

/// What the walk tells its visitor about.
pub(super) enum Event<'a> {
    /// A kept entry that is not a directory: a file, a link, a FIFO… with
    /// the type its listing gave (a link's own type), or `None` for a given
    /// path, which was not listed.
    File {
        path: PathBuf,
        listed: Option<FileType>,
    },
    /// A directory the walk is listing, given paths included.
    Dir(&'a Path),
    /// An entry the rules left out. An ignored directory is not entered,
    /// so it is told once, whatever it holds.
    Ignored(&'a Path),
    /// A directory that could not be listed, or an entry whose type could
    /// not be read: a hole in the scan.
    Unreadable { path: &'a Path, error: String },
}

/// What visitors gather: one per directory, merged into one per thread.
pub(super) trait Gather: Default + Send {
    fn absorb(&mut self, other: Self);
}

/// Walks `root` and returns what `visit` gathered, one value per thread of
/// the pool. The order of events depends on scheduling.
pub(super) fn walk<G, V>(root: &Path, overrides: &Override, visit: &V) -> Vec<G>
where
    G: Gather,
    V: Fn(Event<'_>, &mut G) + Sync,
{
    let mut walk = Walk {
        root,
        overrides,
        absolute_root: None,
        visit,
        slots: (0..rayon::current_num_threads().max(1))
            .map(|_| Mutex::new(G::default()))
            .collect(),
    };
    let mut got = G::default();
    match std::fs::metadata(root) {
        Err(e) => visit(
            Event::Unreadable {
                path: root,
                error: io_error(root, &e),
            },
            &mut got,
        ),
        Ok(meta) if !meta.is_dir() => visit(
            Event::File {
                path: root.to_path_buf(),
                listed: None,
            },
            &mut got,
        ),
        Ok(_) => {
            let (above, absolute_root) = rules_above(root);
            walk.absolute_root = absolute_root;
            let walk = &walk;
            rayon::scope(|s| walk.dir(s, root.to_path_buf(), above));
        }
    }
    walk.into_gathered(got)
}

/// How many files one task of the pool hands to the visitor (which reads
/// them) at most.
const FILES_PER_TASK: usize = 32;

struct Walk<'a, G, V> {
    /// The given path, as given.
    root: &'a Path,
    overrides: &'a Override,
    /// The given path made absolute, when ignore files above it have rules.
    absolute_root: Option<PathBuf>,
    visit: &'a V,
    /// What each thread of the pool gathered.
    slots: Vec<Mutex<G>>,
}

impl<'a, G, V> Walk<'a, G, V>
where
    G: Gather,
    V: Fn(Event<'_>, &mut G) + Sync,
{
    /// Lists `dir`, hands each kept subdirectory to the pool and tells the
    /// visitor about the rest.
    fn dir<'s>(&'s self, scope: &rayon::Scope<'s>, dir: PathBuf, rules: Option<Arc<Rules>>) {
        let mut got = G::default();
        let visit = |event: Event<'_>, got: &mut G| (self.visit)(event, got);
        let listing = match std::fs::read_dir(&dir) {
            Ok(listing) => listing,
            Err(e) => {
                let error = io_error(&dir, &e);
                visit(Event::Unreadable { path: &dir, error }, &mut got);
                return self.keep(got);
            }
        };
        visit(Event::Dir(&dir), &mut got);
        let mut entries = Vec::new();
        for entry in listing {
            match entry {
                Ok(e) => entries.push((e.file_name(), e.file_type())),
                Err(e) => {
                    let error = io_error(&dir, &e);
                    visit(Event::Unreadable { path: &dir, error }, &mut got);
                }
            }
        }
        let rules = Rules::of_listing(rules, &dir, &entries);
        let mut files = Vec::new();
        for (name, ty) in entries {
            let path = dir.join(&name);
            let ty = match ty {
                Ok(ty) => ty,
                Err(e) => {
                    let error = io_error(&path, &e);
                    visit(Event::Unreadable { path: &path, error }, &mut got);
                    continue;
                }
            };
            let is_dir = ty.is_dir();
            if is_dir && (name == ".git" || name == ".terraform") {
                continue;
            }
            if self.ignored(rules.as_deref(), &path, is_dir) {
                visit(Event::Ignored(&path), &mut got);
            } else if is_dir {
                let rules = rules.clone();
                scope.spawn(move |s| self.dir(s, path, rules));
            } else {
                files.push((path, ty));
            }
        }
        // The visitor reads files: a directory of thousands is shared out
        // to every thread, as the subdirectories are.
        while files.len() > FILES_PER_TASK {
            let share = files.split_off(files.len() - FILES_PER_TASK);
            scope.spawn(move |_| {
                let mut got = G::default();
                self.files(share, &mut got);
                self.keep(got);
            });
        }
        self.files(files, &mut got);
        self.keep(got);
    }

    fn files(&self, files: Vec<(PathBuf, FileType)>, got: &mut G) {
        for (path, ty) in files {
            let listed = Some(ty);
            (self.visit)(Event::File { path, listed }, got);
        }
    }

    /// Adds what one task gathered to its thread's share.
    fn keep(&self, got: G) {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.slots.len();
        if let Some(slot) = self.slots.get(slot) {
            slot.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .absorb(got);
        }
    }

    /// Whether the rules leave `path` out, as the `ignore` crate's walker
    /// decides it (`Ignore::matched` in its `dir.rs`).
    fn ignored(&self, rules: Option<&Rules>, path: &Path, is_dir: bool) -> bool {
        let path = strip_prefix(b"./", path).unwrap_or(path);
        if !self.overrides.is_empty() {
            match self.overrides.matched(path, is_dir) {
                Match::None => {}
                decided => return decided.is_ignore(),
            }
        }
        // Per kind of ignore file, the deepest decision.
        let mut decided: [Option<bool>; 4] = [None; 4];
        let mut absolute = None;
        let mut node = rules;
        while let Some(r) = node {
            let path = if r.above_root {
                absolute
                    .get_or_insert_with(|| self.absolute(path))
                    .as_path()
            } else {
                path
            };
            for (d, file) in decided.iter_mut().zip(&r.files) {
                if d.is_none() {
                    *d = match file.matched(path, is_dir) {
                        Match::None => None,
                        Match::Ignore(_) => Some(true),
                        Match::Whitelist(_) => Some(false),
                    };
                }
            }
            // `.camlintignore` outranks the other kinds: once one has
            // decided, no shallower file can change the outcome.
            if decided[0].is_some() {
                break;
            }
            node = r.parent.as_deref();
        }
        decided.into_iter().flatten().next().unwrap_or(false)
    }

    /// `path` (under the given path) as the ignore files above the given
    /// path see it: joined to the given path's absolute form.
    fn absolute(&self, path: &Path) -> PathBuf {
        let Some(base) = &self.absolute_root else {
            return path.to_path_buf();
        };
        if self.root == Path::new(".") {
            return base.join(path);
        }
        let root = strip_prefix(b"./", self.root).unwrap_or(self.root);
        let rel = strip_prefix(root.as_os_str().as_encoded_bytes(), path).unwrap_or(path);
        base.join(strip_prefix(b"/", rel).unwrap_or(rel))
    }

    fn into_gathered(self, first: G) -> Vec<G> {
        let mut all = vec![first];
        all.extend(
            self.slots
                .into_iter()
                .map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner)),
        );
        all
    }
}

/// The ignore files of one directory, linked to those of the nearest
/// directory above it that has any.
struct Rules {
    parent: Option<Arc<Rules>>,
    /// A directory above the given path: its files match absolute paths.
    above_root: bool,
    /// In order of precedence: `.camlintignore`, `.ignore`, `.gitignore`
    /// and git's `info/exclude`.
    files: [Gitignore; 4],
}

/// The names whose presence in a directory gives it rules: its ignore
/// files in order of precedence, then `.git` (for `info/exclude`).
const MARKERS: [&str; 4] = [".camlintignore", ".ignore", ".gitignore", ".git"];

impl Rules {
    /// The rules in force in `dir`, whose listing says which ignore files
    /// it has: no file is looked for that the listing does not show.
    fn of_listing(
        parent: Option<Arc<Rules>>,
        dir: &Path,
        entries: &[(OsString, std::io::Result<FileType>)],
    ) -> Option<Arc<Rules>> {
        let mut present = [false; 4];
        for (name, _) in entries {
            for (p, marker) in present.iter_mut().zip(MARKERS) {
                *p |= name == marker;
            }
        }
        Rules::with(parent, dir, present, false)
    }

    /// Adds the rules of `dir`, which holds the [`MARKERS`] `present` says,
    /// below `parent`; or gives `parent` back if `dir` has none.
    fn with(
        parent: Option<Arc<Rules>>,
        dir: &Path,
        present: [bool; 4],
        above_root: bool,
    ) -> Option<Arc<Rules>> {
        if !present.contains(&true) {
            return parent;
        }
        let [custom, ignore, gitignore, git] = present;
        let [custom_name, ignore_name, gitignore_name, _] = MARKERS;
        let read = |present: bool, name: &str| {
            if present {
                matcher(dir, &dir.join(name))
            } else {
                Gitignore::empty()
            }
        };
        let exclude = git
            .then(|| git_common_dir(dir))
            .flatten()
            .map(|git_dir| git_dir.join("info/exclude"))
            .filter(|file| file.exists())
            .map_or_else(Gitignore::empty, |file| matcher(dir, &file));
        let files = [
            read(custom, custom_name),
            read(ignore, ignore_name),
            read(gitignore, gitignore_name),
            exclude,
        ];
        if files.iter().all(Gitignore::is_empty) {
            return parent;
        }
        Some(Arc::new(Rules {
            parent,
            above_root,
            files,
        }))
    }
}

/// The rules of the directories above `root`, top down, and `root` made
/// absolute, if any of them has rules. A path that cannot be made absolute
/// gets no rules from above, as with the `ignore` crate.
fn rules_above(root: &Path) -> (Option<Arc<Rules>>, Option<PathBuf>) {
    let Ok(absolute) = root.canonicalize() else {
        return (None, None);
    };
    let mut rules = None;
    let above: Vec<&Path> = absolute.ancestors().skip(1).collect();
    for dir in above.into_iter().rev() {
        let present = MARKERS.map(|name| dir.join(name).exists());
        rules = Rules::with(rules, dir, present, true);
    }
    let absolute = rules.is_some().then_some(absolute);
    (rules, absolute)
}

/// A matcher for one ignore file, rooted at `dir`. A line that is not a
/// valid glob is dropped, as git drops it, and so is a file that cannot be
/// read: ignore files are not the estate, and a broken one must not stop a
/// scan.
fn matcher(dir: &Path, file: &Path) -> Gitignore {
    let mut builder = GitignoreBuilder::new(dir);
    let _ = builder.add(file);
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

/// Where the repository whose work tree is `dir` keeps `info/exclude`: its
/// `.git` directory, or for a linked work tree (`.git` is a file saying
/// `gitdir: …`) the common directory that its `commondir` file names.
fn git_common_dir(dir: &Path) -> Option<PathBuf> {
    let dot_git = dir.join(".git");
    let meta = std::fs::metadata(&dot_git).ok()?;
    if !meta.is_file() {
        return Some(dot_git);
    }
    let first_line = |path: &Path| {
        let text = std::fs::read_to_string(path).ok()?;
        text.lines().next().map(str::to_owned)
    };
    let git_dir = dir.join(first_line(&dot_git)?.strip_prefix("gitdir: ")?);
    let common = first_line(&git_dir.join("commondir"))?;
    Some(git_dir.join(common))
}

/// `path` without the leading bytes `prefix`, compared as bytes, as the
/// `ignore` crate strips prefixes.
fn strip_prefix<'p>(prefix: &[u8], path: &'p Path) -> Option<&'p Path> {
    let rest = path.as_os_str().as_encoded_bytes().strip_prefix(prefix)?;
    os_str(rest).map(Path::new)
}

/// The bytes left of an `OsStr` once a prefix is cut off, as an `OsStr`.
#[cfg(unix)]
fn os_str(bytes: &[u8]) -> Option<&OsStr> {
    Some(std::os::unix::ffi::OsStrExt::from_bytes(bytes))
}

#[cfg(not(unix))]
fn os_str(bytes: &[u8]) -> Option<&OsStr> {
    std::str::from_utf8(bytes).ok().map(OsStr::new)
}

/// Worded as the `ignore` crate's walker worded it, so reports did not
/// change when the walk became our own.
fn io_error(path: &Path, e: &std::io::Error) -> String {
    format!("IO error for operation on {}: {e}", path.display())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    #[derive(Default)]
    struct Seen {
        kept: Vec<PathBuf>,
        ignored: usize,
    }

    impl Gather for Seen {
        fn absorb(&mut self, other: Seen) {
            self.kept.extend(other.kept);
            self.ignored += other.ignored;
        }
    }

    impl Gather for Vec<String> {
        fn absorb(&mut self, other: Vec<String>) {
            self.extend(other);
        }
    }

    fn overrides(root: &Path, exclude: &[&str]) -> Override {
        let mut b = ignore::overrides::OverrideBuilder::new(root);
        for glob in exclude {
            b.add(&format!("!{glob}")).unwrap();
        }
        b.build().unwrap()
    }

    /// What this walk keeps (given path included) and how much it leaves out.
    fn ours(root: &Path, exclude: &[&str]) -> (BTreeSet<PathBuf>, usize) {
        let visit = |event: Event<'_>, got: &mut Seen| match event {
            Event::File { path, .. } => got.kept.push(path),
            Event::Dir(path) => got.kept.push(path.to_path_buf()),
            Event::Ignored(_) => got.ignored += 1,
            Event::Unreadable { path, error } => panic!("{}: {error}", path.display()),
        };
        let mut all = Seen::default();
        for part in walk(root, &overrides(root, exclude), &visit) {
            all.absorb(part);
        }
        (all.kept.into_iter().collect(), all.ignored)
    }

    /// The same, from the `ignore` crate's own walker set up as discovery
    /// once set it up: what it leaves out is what the walked directories
    /// hold (tool directories aside) less what it yielded from them.
    fn reference(root: &Path, exclude: &[&str]) -> (BTreeSet<PathBuf>, usize) {
        let tool = |name: &OsStr, dir: bool| dir && (name == ".git" || name == ".terraform");
        let walk = ignore::WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .git_global(false)
            .follow_links(false)
            .add_custom_ignore_filename(".camlintignore")
            .overrides(overrides(root, exclude))
            .filter_entry(move |e| {
                e.depth() == 0 || !tool(e.file_name(), e.file_type().is_some_and(|t| t.is_dir()))
            })
            .build();
        let (mut kept, mut listed, mut yielded) = (BTreeSet::new(), 0, 0);
        for entry in walk {
            let entry = entry.unwrap();
            if entry.depth() > 0 {
                yielded += 1;
            }
            if entry.file_type().is_some_and(|t| t.is_dir()) {
                listed += std::fs::read_dir(entry.path())
                    .unwrap()
                    .flatten()
                    .filter(|e| !tool(&e.file_name(), e.file_type().unwrap().is_dir()))
                    .count();
            }
            kept.insert(entry.into_path());
        }
        (kept, listed - yielded)
    }

    const LINES: &[&str] = &[
        "*.log",
        "!keep.log",
        "a/",
        "/b",
        "x.tf",
        "!x.tf",
        "**/c",
        "z",
        "a/*.tf",
        "*",
        "!a",
        "b/z",
        "[",
        "#x.tf",
        "keep.*",
        "c/**",
        "!*/",
        ".gitignore",
        "sub",
    ];
    const DIRS: &[&str] = &["", "a", "b", "sub", "a/c", "b/a", "sub/a", "above"];
    const FILES: &[&str] = &[
        "x.tf",
        "y.log",
        "keep.log",
        "z",
        ".gitignore",
        ".ignore",
        ".camlintignore",
        "info",
    ];

    /// One thing put in the tree: a file with ignore lines (which only the
    /// ignore files read), a directory, a link back to the top, or a tool
    /// directory.
    fn node() -> impl Strategy<Value = (usize, usize, Vec<usize>, u8)> {
        (
            0..DIRS.len(),
            0..FILES.len(),
            prop::collection::vec(0..LINES.len(), 0..4),
            0u8..8,
        )
    }

    fn build(top: &Path, nodes: &[(usize, usize, Vec<usize>, u8)]) {
        std::fs::create_dir_all(top.join("root")).unwrap();
        for (dir, file, lines, extra) in nodes {
            // `above` is beside the scanned path's parent: its rules
            // apply from above the given path.
            let dir = match DIRS[*dir] {
                "above" => top.to_path_buf(),
                d => top.join("root").join(d),
            };
            std::fs::create_dir_all(&dir).unwrap();
            let text: Vec<&str> = lines.iter().map(|&l| LINES[l]).collect();
            std::fs::write(dir.join(FILES[*file]), text.join("\n")).unwrap();
            match extra {
                0 => std::fs::create_dir_all(dir.join(".git/info")).unwrap(),
                1 => std::fs::write(dir.join(".git/info/exclude"), text.join("\n")).unwrap_or(()),
                2 => std::fs::create_dir_all(dir.join(".terraform")).unwrap(),
                #[cfg(unix)]
                3 => std::os::unix::fs::symlink(top, dir.join("link")).unwrap_or(()),
                _ => {}
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn keeps_and_leaves_out_what_the_ignore_crates_walker_does(
            nodes in prop::collection::vec(node(), 1..10),
            exclude in prop::sample::subsequence(vec!["*.log", "b", "a/x.tf", "sub/**"], 0..2),
        ) {
            let dir = tempfile::tempdir().unwrap();
            build(dir.path(), &nodes);
            let root = dir.path().join("root");
            prop_assert_eq!(ours(&root, &exclude), reference(&root, &exclude));
        }
    }

    #[test]
    fn a_deeper_negation_keeps_what_a_shallower_file_ignores() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join(".gitignore"), "*.log\n").unwrap();
        std::fs::write(root.join("a/.gitignore"), "!keep.log\n").unwrap();
        std::fs::write(root.join("a/keep.log"), "").unwrap();
        std::fs::write(root.join("a/drop.log"), "").unwrap();
        // .camlintignore outranks .gitignore in the same directory.
        std::fs::write(root.join("a/.camlintignore"), "keep.log\n").unwrap();
        let (kept, ignored) = ours(root, &[]);
        assert_eq!(
            (kept.contains(&root.join("a/keep.log")), ignored),
            (false, 2)
        );
        std::fs::remove_file(root.join("a/.camlintignore")).unwrap();
        let (kept, ignored) = ours(root, &[]);
        assert_eq!(
            (kept.contains(&root.join("a/keep.log")), ignored),
            (true, 1)
        );
    }

    #[test]
    fn a_wide_directory_is_walked_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join(".gitignore"), "*7.tf\n").unwrap();
        for i in 0..FILES_PER_TASK * 5 + 3 {
            std::fs::write(root.join(format!("{i}.tf")), "").unwrap();
        }
        let (kept, ignored) = ours(root, &[]);
        assert_eq!((kept.len(), ignored), (1 + 1 + 147, 16));
        assert_eq!((kept, ignored), reference(root, &[]));
    }

    #[test]
    fn a_directory_that_cannot_be_listed_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone");
        let visit = |event: Event<'_>, got: &mut Vec<String>| {
            if let Event::Unreadable { error, .. } = event {
                got.push(error);
            }
        };
        let errors: Vec<String> = walk(&missing, &overrides(&missing, &[]), &visit)
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("IO error for operation on "),
            "{errors:?}"
        );
    }
}
