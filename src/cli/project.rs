//! File mode: when every path on the command line is a file (as a
//! pre-commit hook passes them), camlint scans the project those files
//! belong to, so a camera in `cameras.tf` is judged against the sensitive
//! prefix declared in `ipam.tf`, the config and the group vars, and then
//! reports only the findings located in the given files.
//!
//! The project root is the nearest directory above the files holding
//! `.camlint.hcl` or `.git`, the same walk that finds the config. Files
//! with no such directory above them are scanned on their own, as before.
//! Paths keep the spelling the user gave, and the root is named relative to
//! the working directory, so output reads the same as a plain scan.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The project to scan and the files to report on.
#[derive(Debug, Clone)]
pub struct ProjectScope {
    /// The root as the scan should name it (`.`, `../..`, `infra`).
    pub root: PathBuf,
    /// Each given file's path below the root, mapped to the path the user
    /// typed.
    given: BTreeMap<PathBuf, PathBuf>,
}

impl ProjectScope {
    /// The user's spelling of a scanned file, if it is one of the given
    /// files. `scanned` is a path discovery produced from [`Self::root`].
    pub fn given_path(&self, scanned: &Path) -> Option<&PathBuf> {
        let rel = without_curdir(scanned);
        let rel = rel.strip_prefix(without_curdir(&self.root)).ok()?;
        self.given.get(rel)
    }

    /// How to show a scanned file: as the user typed it if it was given,
    /// else without the `./` the user never typed.
    pub fn display_path(&self, scanned: &Path) -> PathBuf {
        match self.given_path(scanned) {
            Some(p) => p.clone(),
            None => without_curdir(scanned),
        }
    }
}

/// The project scope for `paths`, when every one is a file inside a
/// project; `None` means scan the paths as given.
pub fn scope(paths: &[PathBuf]) -> Option<ProjectScope> {
    if paths.is_empty() || !paths.iter().all(|p| p.is_file()) {
        return None;
    }
    let cwd = std::fs::canonicalize(std::env::current_dir().ok()?).ok()?;
    let canonical: Vec<PathBuf> = paths
        .iter()
        .map(std::fs::canonicalize)
        .collect::<Result<_, _>>()
        .ok()?;
    // One root for all: the nearest project of the files' common ancestor.
    let mut common = canonical.first()?.parent()?.to_path_buf();
    for c in &canonical {
        while !c.starts_with(&common) {
            common = common.parent()?.to_path_buf();
        }
    }
    let root = common
        .ancestors()
        .find(|d| d.join(crate::policy::CONFIG_FILE_NAME).is_file() || d.join(".git").exists())?
        .to_path_buf();
    let given = canonical
        .iter()
        .zip(paths)
        .filter_map(|(c, p)| Some((c.strip_prefix(&root).ok()?.to_path_buf(), p.clone())))
        .collect();
    Some(ProjectScope {
        root: relative_to(&root, &cwd),
        given,
    })
}

/// `path` as seen from `base` (both canonical): `.`, `sub/dir`, `../..`,
/// or `path` itself when they share nothing but the filesystem root.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    if let Ok(below) = path.strip_prefix(base) {
        return if below.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            below.to_path_buf()
        };
    }
    if let Ok(above) = base.strip_prefix(path) {
        return above.components().map(|_| Component::ParentDir).collect();
    }
    path.to_path_buf()
}

fn without_curdir(p: &Path) -> PathBuf {
    p.components().filter(|c| *c != Component::CurDir).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_named_from_the_working_directory() {
        let base = Path::new("/r/sites/hq");
        assert_eq!(relative_to(Path::new("/r/sites/hq"), base), Path::new("."));
        assert_eq!(relative_to(Path::new("/r"), base), Path::new("../.."));
        assert_eq!(
            relative_to(Path::new("/r/sites/hq/x"), base),
            Path::new("x")
        );
        assert_eq!(relative_to(Path::new("/other"), base), Path::new("/other"));
    }

    #[test]
    fn scanned_paths_map_back_to_the_given_spelling() {
        let scope = ProjectScope {
            root: PathBuf::from("../.."),
            given: BTreeMap::from([(PathBuf::from("sites/hq/a.tf"), PathBuf::from("a.tf"))]),
        };
        assert_eq!(
            scope.given_path(Path::new("../../sites/hq/a.tf")),
            Some(&PathBuf::from("a.tf"))
        );
        assert_eq!(scope.given_path(Path::new("../../sites/hq/b.tf")), None);
        let here = ProjectScope {
            root: PathBuf::from("."),
            given: BTreeMap::from([(PathBuf::from("a.tf"), PathBuf::from("./a.tf"))]),
        };
        assert!(here.given_path(Path::new("a.tf")).is_some());
        assert!(here.given_path(Path::new("./a.tf")).is_some());
    }
}
