//! File mode, as a pre-commit hook uses it: given only files, camlint scans
//! the project around them for context and reports only on those files.

// Helpers outside `#[test]` functions panic on purpose: that is a failure.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const CASE: &str = "testdata/terraform/netbox-chain-sensitive-prefix";

/// A project whose camera (in `sites/cams.tf`) is on a prefix that only
/// `ipam.tf`, at the root, says is sensitive.
fn project(marker: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join(CASE);
    std::fs::create_dir(dir.path().join("sites")).unwrap();
    std::fs::copy(case.join("ipam.tf"), dir.path().join("ipam.tf")).unwrap();
    std::fs::copy(case.join("devices.tf"), dir.path().join("sites/cams.tf")).unwrap();
    match marker {
        Some(".git") => std::fs::create_dir(dir.path().join(".git")).unwrap(),
        Some(name) => std::fs::write(dir.path().join(name), "").unwrap(),
        None => {}
    }
    dir
}

fn check(cwd: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_camlint"))
        .current_dir(cwd)
        .env("CAMLINT_TODAY", "2026-06-01")
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code().unwrap(), doc)
}

fn rules(doc: &Value) -> Vec<(String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["location"]["file"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_given_file_is_judged_with_its_projects_context() {
    for marker in [".git", ".camlint.hcl"] {
        let dir = project(Some(marker));
        let (code, doc) = check(dir.path(), &["sites/cams.tf"]);
        assert_eq!(code, 1, "{marker}: {doc}");
        assert_eq!(
            rules(&doc),
            [(
                "restricted-camera-on-sensitive-network".to_string(),
                "sites/cams.tf".to_string()
            )],
            "{marker}"
        );
        let why = &doc["findings"][0]["network"];
        assert_eq!(why["file"], "ipam.tf", "context came from the other file");
    }
}

#[test]
fn findings_in_other_files_are_not_reported() {
    let dir = project(Some(".git"));
    let (code, doc) = check(dir.path(), &["ipam.tf"]);
    assert_eq!((code, rules(&doc)), (0, vec![]));
}

#[test]
fn paths_read_as_typed_from_a_subdirectory() {
    let dir = project(Some(".git"));
    let (code, doc) = check(&dir.path().join("sites"), &["cams.tf"]);
    assert_eq!(code, 1);
    assert_eq!(rules(&doc)[0].1, "cams.tf");
    assert_eq!(doc["findings"][0]["network"]["file"], "../ipam.tf");
}

#[test]
fn no_project_scans_only_the_files() {
    let dir = project(Some(".git"));
    let (code, doc) = check(dir.path(), &["sites/cams.tf", "--no-project"]);
    assert_eq!(
        code, 0,
        "without ipam.tf the prefix is not known to be sensitive"
    );
    assert_eq!(rules(&doc)[0].0, "restricted-camera-present");
}

#[test]
fn a_directory_argument_keeps_the_plain_scan() {
    let dir = project(Some(".git"));
    let (code, doc) = check(dir.path(), &["sites"]);
    assert_eq!(code, 0);
    assert_eq!(rules(&doc)[0].0, "restricted-camera-present");
}

#[test]
fn files_outside_any_project_are_scanned_as_given() {
    let dir = project(None);
    if dir
        .path()
        .ancestors()
        .any(|d| d.join(".git").exists() || d.join(".camlint.hcl").exists())
    {
        return; // The temporary directory lies inside some project.
    }
    let (code, doc) = check(dir.path(), &["sites/cams.tf"]);
    assert_eq!(code, 0);
    assert_eq!(rules(&doc)[0].0, "restricted-camera-present");
}
