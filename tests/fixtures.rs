//! Every folder under `testdata/<family>/<case>/` is a test case: camlint
//! checks it with `--format json` and the output (plus the exit code) must
//! match the snapshot beside the driver. Adding a case is adding a folder;
//! `cargo insta review` accepts new snapshots. A case may hold
//! `camlint.args` (one extra argument per line) for flags it needs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

fn run_case(dir: &Path) -> String {
    let mut argv: Vec<String> = vec!["camlint".into(), "check".into()];
    argv.push(dir.to_string_lossy().into_owned());
    argv.extend(["--format".into(), "json".into()]);
    let extra = dir.join("camlint.args");
    if let Ok(text) = std::fs::read_to_string(&extra) {
        argv.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_string()),
        );
    }
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = camlint::run(argv, &mut out, &mut err);
    format!(
        "exit: {code}\nstderr: {}\n{}",
        String::from_utf8_lossy(&err).trim(),
        String::from_utf8_lossy(&out)
    )
}

fn case_dirs() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let families = std::fs::read_dir("testdata")
        .into_iter()
        .flatten()
        .flatten();
    for family in families {
        let name = family.file_name().to_string_lossy().into_owned();
        // The demo estate is checked by tests/cli.rs; intel data and fuzz
        // regressions (tests/fuzz_regressions.rs) are not cases.
        if name == "demo" || name == "intel" || name == "fuzz" || !family.path().is_dir() {
            continue;
        }
        for case in std::fs::read_dir(family.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if case.path().is_dir() {
                out.push(case.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures() {
    // Fixed "today" so rules with enforce_from and suppression expiry are
    // stable whatever day the suite runs.
    // SAFETY: set before any thread of this test binary reads it.
    unsafe { std::env::set_var("CAMLINT_TODAY", "2026-06-01") };
    let cases = case_dirs();
    assert!(
        cases.len() >= 12,
        "expected the fixture cases under testdata/, found {}",
        cases.len()
    );
    for dir in cases {
        let name = dir
            .strip_prefix("testdata")
            .unwrap_or(&dir)
            .to_string_lossy()
            .replace('/', "__");
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("case", run_case(&dir));
        });
    }
}
