//! Replays inputs the fuzzers found (or that are worth keeping as seeds)
//! through the same harness the fuzz targets use.
//!
//! Each file under `testdata/fuzz/<target>/` is fed to
//! `camlint::harness::run(<target>, bytes)`, which must return without a
//! panic and with every span inside the input. Adding a regression is
//! adding a file; the folder name must be a known target.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

#[test]
fn every_saved_fuzz_input_replays_cleanly() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz");
    let mut replayed = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let target = dir.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            camlint::harness::TARGETS.contains(&target.as_str()),
            "testdata/fuzz/{target}: not a harness target"
        );
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        inputs.sort();
        for input in inputs {
            let data = std::fs::read(&input).unwrap();
            let outcome = std::panic::catch_unwind(|| camlint::harness::run(&target, &data));
            assert!(outcome.is_ok(), "{} failed", input.display());
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no fuzz regressions found under testdata/fuzz"
    );
}

#[test]
fn harness_rejects_unknown_targets() {
    // Guards the replay above: a misspelt folder must not pass silently.
    assert!(std::panic::catch_unwind(|| camlint::harness::run("no-such-parser", b"")).is_err());
}
