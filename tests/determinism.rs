//! Determinism: the same tree gives byte-identical machine output on every
//! run and whatever `--jobs` is.
//!
//! The binary runs five times with `--jobs 1` and five times with
//! `--jobs 8` on `testdata/` and on an estate made by the shared estate
//! generator, for every machine format the binary offers (JSON always;
//! SARIF and JUnit once they exist) and for `inventory --format json`.
//! Every run must print exactly the bytes of the first. The generator is
//! part of the contract (CI has it beside the repository): when it or
//! python3 is missing the test fails with a message, it does not skip.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::Command;

const RUNS: usize = 5;
const JOBS: [&str; 2] = ["1", "8"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], dir: &Path) -> (i32, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_camlint"))
        .args(args)
        .current_dir(dir)
        .env("CAMLINT_TODAY", "2025-06-01")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), out.stdout)
}

/// Machine formats this build of `check` accepts.
fn machine_formats() -> Vec<&'static str> {
    let (_, help) = run(&["check", "--help"], &repo());
    let help = String::from_utf8_lossy(&help).into_owned();
    let mut formats = vec!["json"];
    // SARIF and JUnit are covered as soon as the binary offers them.
    for f in ["sarif", "junit"] {
        if help.contains(f) {
            formats.push(f);
        }
    }
    formats
}

/// Runs `base` + `--jobs N` RUNS times per N and asserts every output is
/// the first one, byte for byte.
fn assert_stable(what: &str, dir: &Path, base: &[&str]) {
    let mut first: Option<(i32, Vec<u8>)> = None;
    for jobs in JOBS {
        for i in 0..RUNS {
            let mut args = base.to_vec();
            args.extend(["--jobs", jobs]);
            let got = run(&args, dir);
            assert!(!got.1.is_empty(), "{what}: empty output");
            match &first {
                None => first = Some(got),
                Some(want) => {
                    assert_eq!(
                        want.0, got.0,
                        "{what}: exit code differs (--jobs {jobs}, run {i})"
                    );
                    if want.1 != got.1 {
                        let at = want
                            .1
                            .iter()
                            .zip(&got.1)
                            .position(|(a, b)| a != b)
                            .unwrap_or(want.1.len().min(got.1.len()));
                        let context = |b: &[u8]| {
                            let s = at.saturating_sub(200);
                            String::from_utf8_lossy(&b[s..(at + 200).min(b.len())]).into_owned()
                        };
                        panic!(
                            "{what}: output differs at byte {at} (--jobs {jobs}, run {i})\nfirst:\n{}\nthis run:\n{}",
                            context(&want.1),
                            context(&got.1)
                        );
                    }
                }
            }
        }
    }
}

fn check_tree(name: &str, dir: &Path, target: &str) {
    for format in machine_formats() {
        assert_stable(
            &format!("{name} check --format {format}"),
            dir,
            &["check", target, "--format", format],
        );
    }
    assert_stable(
        &format!("{name} inventory"),
        dir,
        &["inventory", target, "--format", "json"],
    );
}

#[test]
fn testdata_output_is_byte_identical_across_runs_and_jobs() {
    check_tree("testdata", &repo(), "testdata");
}

#[test]
fn generated_estate_output_is_byte_identical_across_runs_and_jobs() {
    let script = repo().join("../shared/bench/gen_estate.py");
    assert!(
        script.is_file(),
        "the estate generator is missing: expected shared/bench/gen_estate.py beside the repository"
    );
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(&script)
        .args(["--sites", "50", "--out"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run python3 for the estate generator: {e}"));
    assert!(status.success(), "the estate generator failed: {status}");
    let (code, out) = run(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(
        code, 1,
        "the generated estate has restricted cameras on sensitive networks"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(doc["findings"].as_array().unwrap().len() > 10);
    check_tree("estate", dir.path(), ".");
}

#[test]
fn machine_output_has_no_timestamps() {
    // Runs seconds apart are compared above; this also looks for anything
    // shaped like a date and time in the JSON itself.
    let (_, out) = run(&["check", "testdata/demo", "--format", "json"], &repo());
    let text = String::from_utf8(out).unwrap();
    let stamp = regex::Regex::new(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}").unwrap();
    let hits: Vec<&str> = stamp.find_iter(&text).map(|m| m.as_str()).collect();
    assert!(hits.is_empty(), "timestamps in JSON output: {hits:?}");
}
