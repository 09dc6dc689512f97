//! End-to-end behaviour of the command line: exit codes, policy errors,
//! pipes, determinism. Most tests run `camlint::run` in-process; those that
//! need a real process (pipes, threads) run the built binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Read;
use std::process::{Command, Stdio};

fn run(args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["camlint"];
    argv.extend_from_slice(args);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = camlint::run(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_camlint"));
    c.env("CAMLINT_TODAY", "2026-06-01").env_remove("NO_COLOR");
    c
}

#[test]
fn demo_estate_fails_with_findings_and_evidence() {
    let (code, out, err) = run(&["check", "testdata/demo", "--format", "json"]);
    assert_eq!(code, camlint::EXIT_FINDINGS, "stderr: {err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let on_sensitive: Vec<_> = findings
        .iter()
        .filter(|f| f["rule"] == "restricted-camera-on-sensitive-network")
        .collect();
    assert!(!on_sensitive.is_empty());
    for f in &on_sensitive {
        assert_eq!(f["severity"], "error");
        assert!(f["location"]["line"].as_u64().unwrap() >= 1);
        assert!(
            !f["device"]["evidence"].as_array().unwrap().is_empty(),
            "{f}"
        );
        assert!(
            f["network"]["why"].as_str().is_some_and(|w| !w.is_empty()),
            "{f}"
        );
    }
}

#[test]
fn human_output_names_file_line_and_why() {
    let (code, out, _) = run(&["check", "testdata/demo", "--color", "never"]);
    assert_eq!(code, camlint::EXIT_FINDINGS);
    assert!(
        out.contains("restricted-camera-on-sensitive-network"),
        "{out}"
    );
    assert!(
        out.contains("testdata/demo/terraform/hq/cameras.tf:"),
        "{out}"
    );
    assert!(out.contains("is sensitive:"), "{out}");
    assert!(out.lines().last().unwrap().contains("error"), "{out}");
}

#[test]
fn fail_on_never_exits_clean_and_warning_is_stricter() {
    let (code, _, _) = run(&[
        "check",
        "testdata/terraform/netbox-chain-general-prefix",
        "--fail-on",
        "never",
    ]);
    assert_eq!(code, camlint::EXIT_CLEAN);
    let (code, _, _) = run(&["check", "testdata/terraform/netbox-chain-general-prefix"]);
    assert_eq!(
        code,
        camlint::EXIT_CLEAN,
        "only a warning: passes at the default level"
    );
    let (code, _, _) = run(&[
        "check",
        "testdata/terraform/netbox-chain-general-prefix",
        "--fail-on",
        "warning",
    ]);
    assert_eq!(code, camlint::EXIT_FINDINGS);
}

#[test]
fn missing_path_and_bad_flag_are_usage_errors() {
    let (code, _, err) = run(&["check", "testdata/no-such-dir"]);
    assert_eq!(code, camlint::EXIT_USAGE);
    assert!(err.contains("does not exist"));
    let (code, _, _) = run(&["check", "--format", "yaml"]);
    assert_eq!(code, camlint::EXIT_USAGE);
}

#[test]
fn invalid_policy_is_exit_2_pointing_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("bad.hcl");
    std::fs::write(
        &policy,
        "rule \"my-rule\" {\n  severity  = \"error\"\n  condition = device.vendr == \"x\"\n}\n",
    )
    .unwrap();
    let p = policy.to_string_lossy().into_owned();
    let (code, _, err) = run(&["check", "testdata/terraform/tf-json", "--policy", &p]);
    assert_eq!(code, camlint::EXIT_USAGE);
    assert!(err.contains("bad.hcl:3:"), "{err}");
    assert!(err.contains("vendr"), "{err}");
}

#[test]
fn a_rule_id_colliding_with_a_builtin_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("dup.hcl");
    std::fs::write(
        &policy,
        "rule \"restricted-camera-present\" {\n  severity  = \"note\"\n  over      = \"device\"\n  condition = false\n}\n",
    )
    .unwrap();
    let p = policy.to_string_lossy().into_owned();
    let (code, _, err) = run(&["rules", "--policy", &p]);
    assert_eq!(code, camlint::EXIT_USAGE);
    assert!(
        err.contains("already defined at <builtin>/policies/core.hcl"),
        "{err}"
    );
}

#[test]
fn custom_rule_fires_with_its_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("corp.hcl");
    std::fs::write(
        &policy,
        r#"rule "no-dahua-anywhere" {
  severity  = "error"
  over      = "device"
  summary   = "Corporate ban on Dahua"
  condition = device.maker == "dahua"
  message   = "${device.name}: Dahua is banned here"
}
"#,
    )
    .unwrap();
    let p = policy.to_string_lossy().into_owned();
    let (code, out, err) = run(&[
        "check",
        "testdata/terraform/tf-json",
        "--policy",
        &p,
        "--format",
        "json",
    ]);
    assert_eq!(code, camlint::EXIT_FINDINGS, "{err}");
    assert!(out.contains("\"rule\": \"no-dahua-anywhere\""), "{out}");
    assert!(out.contains("Dahua is banned here"), "{out}");
}

#[test]
fn no_default_packs_restricts_nothing() {
    let (code, out, _) = run(&[
        "check",
        "testdata/terraform/netbox-chain-sensitive-prefix",
        "--no-default-packs",
        "--format",
        "json",
    ]);
    assert_eq!(code, camlint::EXIT_CLEAN, "{out}");
}

#[test]
fn closed_stdout_exits_quietly() {
    let mut child = bin()
        .args(["check", "testdata/demo", "--color", "never"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then hang up, like `| head -c1`.
    let mut stdout = child.stdout.take().unwrap();
    let mut one = [0u8; 1];
    let _ = stdout.read(&mut one);
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{:?}",
        out.status
    );
}

#[test]
fn json_is_identical_across_job_counts() {
    let outputs: Vec<Vec<u8>> = ["1", "4"]
        .iter()
        .map(|j| {
            bin()
                .args(["check", "testdata", "--format", "json", "--jobs", j])
                .output()
                .unwrap()
                .stdout
        })
        .collect();
    assert!(!outputs[0].is_empty());
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn explain_is_generated_from_the_rule() {
    let (code, out, _) = run(&["explain", "restricted-camera-on-sensitive-network"]);
    assert_eq!(code, camlint::EXIT_CLEAN);
    assert!(out.starts_with("# restricted-camera-on-sensitive-network"));
    assert!(out.contains("default severity: error"));
    let (code, _, err) = run(&["explain", "no-such-rule"]);
    assert_eq!(code, camlint::EXIT_USAGE);
    assert!(err.contains("known rules"));
}

#[test]
fn var_file_flag_overrides_tfvars() {
    let dir = tempfile::tempdir().unwrap();
    let vars = dir.path().join("prod.tfvars");
    // terraform.tfvars in the case says Dahua; the var file wins.
    std::fs::write(&vars, "camera_vendor = \"Axis\"\n").unwrap();
    let v = vars.to_string_lossy().into_owned();
    let (code, out, _) = run(&[
        "check",
        "testdata/terraform/tfvars-override",
        "--var-file",
        &v,
        "--format",
        "json",
    ]);
    assert_eq!(code, camlint::EXIT_CLEAN, "{out}");
    let (code, _, _) = run(&["check", "testdata/terraform/tfvars-override"]);
    assert_eq!(code, camlint::EXIT_FINDINGS);
}

/// Copies a fixture folder so a test can edit it.
fn copy_case(case: &str, to: &std::path::Path) {
    for entry in std::fs::read_dir(format!("testdata/{case}")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn baseline_passes_old_findings_fails_new_ones_and_survives_moves() {
    let dir = tempfile::tempdir().unwrap();
    let estate = dir.path().join("estate");
    std::fs::create_dir(&estate).unwrap();
    copy_case("terraform/netbox-chain-sensitive-prefix", &estate);
    let base = dir.path().join("baseline.json");
    let (e, b) = (
        estate.to_string_lossy().into_owned(),
        base.to_string_lossy().into_owned(),
    );

    let (code, _, err) = run(&["check", &e, "--write-baseline", &b]);
    assert_eq!(code, camlint::EXIT_CLEAN, "{err}");
    assert!(err.contains("wrote 1 finding"), "{err}");
    let (code, out, _) = run(&["check", &e, "--baseline", &b, "--format", "json"]);
    assert_eq!(code, camlint::EXIT_CLEAN, "{out}");

    // Moving blocks around (a blank-line prefix and reordering) keeps it.
    let devices = estate.join("devices.tf");
    let text = std::fs::read_to_string(&devices).unwrap();
    std::fs::write(
        &devices,
        format!(
            "\n\n# reordered\n{}",
            text.replace("  site_id        = 3\n", "")
        ),
    )
    .unwrap();
    let (code, _, _) = run(&["check", &e, "--baseline", &b]);
    assert_eq!(code, camlint::EXIT_CLEAN);

    // One new restricted camera fails with exactly one active finding.
    std::fs::write(
        estate.join("new.tf"),
        "resource \"unifi_network\" \"s\" {\n  name   = \"SECURE-LAB\"\n  subnet = \"10.99.0.0/24\"\n}\n\
         resource \"unifi_user\" \"c\" {\n  name       = \"lab-cam\"\n  mac        = \"44:19:b6:00:00:09\"\n  network_id = unifi_network.s.id\n}\n",
    )
    .unwrap();
    let (code, out, _) = run(&["check", &e, "--baseline", &b, "--format", "json"]);
    assert_eq!(code, camlint::EXIT_FINDINGS);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let active: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("baselined").is_none() && f.get("suppressed").is_none())
        .collect();
    assert_eq!(active.len(), 1, "{out}");
    assert!(
        active[0]["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("new.tf")
    );

    // Fixing the original camera leaves a stale entry, which is counted.
    std::fs::write(&devices, text.replace("Hikvision", "Axis")).unwrap();
    std::fs::write(
        estate.join("devices.tf"),
        std::fs::read_to_string(&devices).unwrap(),
    )
    .unwrap();
    let ipam = std::fs::read_to_string(estate.join("devices.tf")).unwrap();
    assert!(!ipam.contains("Hikvision"));
    let (_, out, _) = run(&["check", &e, "--baseline", &b, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["baseline_fixed"], 1, "{out}");
}

#[test]
fn fast_condition_path_agrees_with_hcl_evaluation() {
    let run_with = |no_fast: bool| {
        let mut c = bin();
        c.args(["check", "testdata", "--format", "json"]);
        if no_fast {
            c.env("CAMLINT_NO_FAST", "1");
        }
        c.output().unwrap().stdout
    };
    let fast = run_with(false);
    let slow = run_with(true);
    assert!(fast.len() > 1000);
    assert_eq!(
        String::from_utf8_lossy(&fast),
        String::from_utf8_lossy(&slow)
    );
}
