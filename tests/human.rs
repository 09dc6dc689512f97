//! Human output manners: colour only on a terminal or when asked, NO_COLOR
//! honoured, `--quiet` prints findings only, a summary with counts and
//! elapsed time, and nothing but the report on a non-terminal stderr.

// Helpers outside `#[test]` functions panic on purpose: that is a failure.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_camlint"));
    c.env("CAMLINT_TODAY", "2026-06-01").env_remove("NO_COLOR");
    c
}

const ESC: &str = "\x1b[";

#[test]
fn pipes_get_plain_text_and_color_always_forces_colour() {
    let out = bin().args(["check", "testdata/demo"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("restricted-camera-on-sensitive-network"));
    assert!(!text.contains(ESC), "colour in a pipe");
    assert!(
        out.stderr.is_empty(),
        "no progress or noise on a piped stderr"
    );

    let out = bin()
        .args(["check", "testdata/demo", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains(ESC));
}

#[test]
fn usage_errors_are_plain_on_a_pipe() {
    let out = bin().args(["check", "--format", "yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(camlint::EXIT_USAGE));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("invalid value 'yaml'"), "{err}");
    assert!(!err.contains(ESC), "{err:?}");
}

/// Runs camlint with stdout on a pseudo-terminal, via util-linux `script`.
fn on_a_terminal(envs: &[(&str, &str)]) -> Option<String> {
    let probe = Command::new("script").arg("--version").output().ok()?;
    if !probe.status.success() {
        return None;
    }
    let cmd = format!("{} check testdata/demo", env!("CARGO_BIN_EXE_camlint"));
    let mut c = Command::new("script");
    c.args(["-qec", &cmd, "/dev/null"]).env_remove("NO_COLOR");
    for (k, v) in envs {
        c.env(k, v);
    }
    Some(String::from_utf8_lossy(&c.output().ok()?.stdout).into_owned())
}

#[test]
fn terminals_get_colour_unless_no_color_is_set() {
    let Some(tty) = on_a_terminal(&[]) else {
        return; // No `script` to make a terminal with.
    };
    assert!(
        tty.contains("restricted-camera-on-sensitive-network"),
        "{tty}"
    );
    assert!(tty.contains(ESC), "no colour on a terminal");
    let plain = on_a_terminal(&[("NO_COLOR", "1")]).unwrap();
    assert!(plain.contains("restricted-camera-on-sensitive-network"));
    // The spinner may draw on stderr (the same terminal) for a slow scan;
    // the report itself has no colour.
    let report: String = plain.lines().filter(|l| !l.contains("camlint: ")).collect();
    assert!(!report.contains("\x1b[3"), "{report:?}");
}

#[test]
fn quiet_prints_findings_only_and_the_summary_counts() {
    let loud = bin().args(["check", "testdata/demo"]).output().unwrap();
    let loud = String::from_utf8(loud.stdout).unwrap();
    let summary = loud.lines().last().unwrap();
    let re = regex::Regex::new(
        r"^\d+ errors?, \d+ warnings?, \d+ notes? in \d+ files? \(\d+ devices?, \d+ networks?\) in \d+\.\d\ds$",
    )
    .unwrap();
    assert!(re.is_match(summary), "{summary}");

    let quiet = bin()
        .args(["check", "testdata/demo", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(quiet.status.code(), Some(camlint::EXIT_FINDINGS));
    let quiet = String::from_utf8(quiet.stdout).unwrap();
    assert!(quiet.contains("restricted-camera-on-sensitive-network"));
    assert_eq!(
        quiet.trim_end(),
        loud.trim_end().strip_suffix(summary).unwrap().trim_end()
    );

    let clean = bin()
        .args(["check", "testdata/netconf/clean-ios-trunks-only", "-q"])
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0));
    assert!(clean.stdout.is_empty());
}
