//! Platform-team features end to end, in-process: `camlint verify` on
//! passing and failing cases, `camlint init` followed by `verify`, Rego
//! policies pointing at the right lines, and the policy-language doc kept in
//! step with the fields and functions rules can use.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

fn run(args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["camlint"];
    argv.extend_from_slice(args);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = camlint::run(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

const SUITE: &str = "testdata/policies/verify-suite";

#[test]
fn verify_passing_cases() {
    let (code, out, err) = run(&["verify", &format!("{SUITE}/pass")]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "ok   collision-rejected\nok   hcl-rule\nok   rego-rule\n3 passed, 0 failed\n"
    );
}

#[test]
fn verify_failing_cases_say_why() {
    let (code, out, err) = run(&["verify", &format!("{SUITE}/fail")]);
    assert_eq!(code, 1, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].starts_with(
            "FAIL typo-in-expect: invalid expect.hcl: line 4: unknown attribute `lines`"
        ),
        "{out}"
    );
    assert!(
        lines[1].starts_with(
            "FAIL unexpected: unexpected finding rule=restricted-camera-present file=main.tf line=21 severity=warning (no_finding at expect.hcl:2)"
        ),
        "{out}"
    );
    assert_eq!(
        lines[2],
        "FAIL wrong-line: missing finding rule=camera-in-ops-range file=main.tf line=22"
    );
    assert_eq!(lines[3], "0 passed, 3 failed");
}

#[test]
fn verify_a_single_case_and_the_whole_suite() {
    let (code, out, _) = run(&["verify", &format!("{SUITE}/pass/hcl-rule")]);
    assert_eq!(
        (code, out.as_str()),
        (0, "ok   hcl-rule\n1 passed, 0 failed\n")
    );
    let (code, out, _) = run(&["verify", SUITE]);
    assert_eq!(code, 1);
    assert!(out.ends_with("3 passed, 3 failed\n"), "{out}");
    assert!(out.contains("ok   pass/rego-rule\n"), "{out}");
}

#[test]
fn verify_without_cases_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["verify", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("no verify cases"), "{err}");
}

#[test]
fn init_then_verify_passes_and_init_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let (code, out, err) = run(&["init", root]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created"), "{out}");
    for f in [
        ".camlint.hcl",
        "policies/custom.hcl",
        "policies/tests/no-dahua-anywhere/main.tf",
        "policies/tests/no-dahua-anywhere/expect.hcl",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }

    let tests = dir.path().join("policies/tests");
    let (code, out, err) = run(&["verify", tests.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "ok   no-dahua-anywhere\n1 passed, 0 failed\n");

    // The repo config loads the sample rule, and leaves the test estate out.
    let (code, out, err) = run(&[
        "rules",
        "--config",
        dir.path().join(".camlint.hcl").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no-dahua-anywhere"), "{out}");
    let (code, out, err) = run(&["check", root, "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");

    // Edited files survive a second init.
    std::fs::write(dir.path().join("policies/custom.hcl"), "# mine\n").unwrap();
    let (code, _, err) = run(&["init", root]);
    assert_eq!(code, 2);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("policies/custom.hcl")).unwrap(),
        "# mine\n"
    );
    let (code, _, err) = run(&["init", root, "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(dir.path().join("policies/custom.hcl"))
            .unwrap()
            .contains("rule \"no-dahua-anywhere\"")
    );
}

fn findings(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let (code, out, err) = run(&all);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    (code, serde_json::from_str(&out).unwrap())
}

fn summary(doc: &serde_json::Value) -> Vec<(String, String, String, u64)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["location"]["file"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn rego_results_point_at_devices_networks_and_rule_heads() {
    let (code, doc) = findings(&[
        "testdata/policies/rego-deny",
        "--policy",
        "testdata/policies/rego-deny/policy.rego",
    ]);
    assert_eq!(code, 1);
    let got = summary(&doc);
    let dir = "testdata/policies/rego-deny";
    assert!(
        got.contains(&(
            "restricted-in-ops-range".into(),
            "error".into(),
            format!("{dir}/main.tf"),
            21
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "rego:main.deny".into(),
            "error".into(),
            format!("{dir}/policy.rego"),
            8
        )),
        "{got:?}"
    );

    let (_, doc) = findings(&[
        "testdata/policies/rego-warn",
        "--policy",
        "testdata/policies/rego-warn/policy.rego",
    ]);
    let got = summary(&doc);
    let dir = "testdata/policies/rego-warn";
    assert!(
        got.contains(&(
            "rego:camlint.estate.warn".into(),
            "warning".into(),
            format!("{dir}/main.tf"),
            45
        )),
        "{got:?}"
    );
    // The network named by the object: its declaration, via net.cidr_intersects.
    assert!(
        got.contains(&(
            "visitor-range-in-use".into(),
            "warning".into(),
            format!("{dir}/main.tf"),
            7
        )),
        "{got:?}"
    );
}

#[test]
fn rego_files_that_would_never_run_stop_the_run() {
    for (case, needle) in [
        ("rego-v0-syntax", "write `deny contains msg if"),
        ("rego-no-rules", "defines none of the rules"),
    ] {
        let dir = format!("testdata/policies/{case}");
        let policy = format!("{dir}/policy.rego");
        let (code, _, err) = run(&["check", &dir, "--policy", &policy]);
        assert_eq!(code, 2, "{case}: {err}");
        assert!(
            err.contains(&policy) && err.contains(needle),
            "{case}: {err}"
        );
    }
    // A package outside the namespaces is an error too, not a silent skip.
    let (code, _, err) = run(&[
        "check",
        "testdata/policies/rego-deny",
        "--policy",
        "testdata/policies/rego-warn/policy.rego",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not among the namespaces"), "{err}");
}

#[test]
fn policy_language_doc_covers_every_field_and_function() {
    let doc = std::fs::read_to_string("docs/policy-language.md").unwrap();
    let mut missing = Vec::new();
    for (name, _, _) in camlint::policy::rules::DEVICE_FIELDS {
        if !doc.contains(&format!("| `device.{name}` |")) {
            missing.push(format!("device.{name}"));
        }
    }
    for (name, _, _) in camlint::policy::rules::NETWORK_FIELDS {
        if !doc.contains(&format!("| `network.{name}` |")) {
            missing.push(format!("network.{name}"));
        }
    }
    let ctx_src = std::fs::read_to_string("src/policy/rules.rs").unwrap();
    let declared: Vec<&str> = ctx_src
        .split("ctx.declare_func(")
        .skip(1)
        .filter_map(|s| s.split('"').nth(1))
        .collect();
    assert!(declared.len() >= 12, "{declared:?}");
    for f in declared {
        if !doc.contains(&format!("`{f}(")) {
            missing.push(format!("function {f}"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/policy-language.md does not document: {missing:?}"
    );
    assert!(Path::new("docs/policy-language.md").is_file());
}
