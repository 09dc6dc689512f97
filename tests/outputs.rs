//! Several reports from one scan: `--format NAME=PATH` writes a report to a
//! file, at most one format goes to standard output, and each report is
//! byte-identical to the one a single-format run prints.

// Helpers outside `#[test]` functions panic on purpose: that is a failure.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

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

#[test]
fn one_scan_writes_every_requested_report() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("results.sarif");
    let junit = dir.path().join("report.xml");
    let json = dir.path().join("camlint.json");
    let arg = |name: &str, p: &std::path::Path| format!("{name}={}", p.display());
    let (sarif_arg, junit_arg, json_arg) = (
        arg("sarif", &sarif),
        arg("junit", &junit),
        arg("json", &json),
    );
    let (code, out, err) = run(&[
        "check",
        "testdata/demo",
        "--color",
        "never",
        "--quiet",
        "--format",
        "human",
        "--format",
        &sarif_arg,
        "--format",
        &junit_arg,
        "--format",
        &json_arg,
    ]);
    assert_eq!(code, camlint::EXIT_FINDINGS, "{err}");
    let (_, human_alone, _) = run(&["check", "testdata/demo", "--color", "never", "--quiet"]);
    assert_eq!(out, human_alone, "the human report still goes to stdout");
    for (format, path) in [("sarif", &sarif), ("junit", &junit), ("json", &json)] {
        let (_, alone, _) = run(&["check", "testdata/demo", "--format", format]);
        let written = std::fs::read_to_string(path).unwrap();
        assert!(!written.is_empty());
        assert_eq!(written, alone, "{format} differs from a single-format run");
    }
}

#[test]
fn only_files_means_nothing_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("a.sarif");
    let spec = format!("sarif={}", sarif.display());
    let (code, out, _) = run(&["check", "testdata/demo", "--format", &spec]);
    assert_eq!(code, camlint::EXIT_FINDINGS, "the exit code still gates");
    assert_eq!(out, "");
    assert!(
        std::fs::read_to_string(&sarif)
            .unwrap()
            .contains("\"2.1.0\"")
    );
}

#[test]
fn output_still_serves_the_single_format_case() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.json");
    let f = file.to_str().unwrap();
    let (code, out, _) = run(&["check", "testdata/demo", "--format", "json", "--output", f]);
    assert_eq!(code, camlint::EXIT_FINDINGS);
    assert_eq!(out, "");
    let (_, alone, _) = run(&["check", "testdata/demo", "--format", "json"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), alone);
    // With several formats, --output takes the one without a path.
    let sarif = dir.path().join("x.sarif");
    let spec = format!("sarif={}", sarif.display());
    let (code, out, _) = run(&[
        "check",
        "testdata/demo",
        "--format",
        "junit",
        "--format",
        &spec,
        "-o",
        f,
    ]);
    assert_eq!(code, camlint::EXIT_FINDINGS);
    assert_eq!(out, "");
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("<?xml"));
    assert!(sarif.is_file());
}

#[test]
fn ambiguous_plans_are_usage_errors_before_scanning() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("same.out");
    let same = p.to_str().unwrap();
    let cases: Vec<Vec<String>> = vec![
        vec![
            "--format".into(),
            "human".into(),
            "--format".into(),
            "json".into(),
        ],
        vec![
            "--format".into(),
            format!("json={same}"),
            "--output".into(),
            same.into(),
        ],
        vec![
            "--format".into(),
            format!("json={same}"),
            "--format".into(),
            format!("sarif={same}"),
        ],
        vec!["--format".into(), "sarif=".into()],
        vec!["--format".into(), "yaml=x.yaml".into()],
    ];
    for extra in cases {
        let mut args = vec!["check", "testdata/demo"];
        args.extend(extra.iter().map(String::as_str));
        let (code, out, err) = run(&args);
        assert_eq!(code, camlint::EXIT_USAGE, "{extra:?}: {err}");
        assert_eq!(out, "", "{extra:?}");
        assert!(!p.exists(), "{extra:?} wrote a file");
    }
}

#[test]
fn codequality_issues_match_the_json_findings() {
    let (_, json, _) = run(&["check", "testdata", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("suppressed").is_none())
        .collect();
    let (code, out, _) = run(&["check", "testdata", "--format", "codequality"]);
    assert_eq!(code, camlint::EXIT_FINDINGS);
    let issues: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(issues.len(), findings.len());
    let mut fingerprints = std::collections::BTreeSet::new();
    for (i, f) in issues.iter().zip(&findings) {
        // The fields GitLab requires.
        assert_eq!(i["description"], f["message"]);
        assert_eq!(i["check_name"], f["rule"]);
        let sev = i["severity"].as_str().unwrap();
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&sev));
        let path = f["location"]["file"].as_str().unwrap();
        assert_eq!(i["location"]["path"], path.trim_start_matches("./"));
        assert_eq!(i["location"]["lines"]["begin"], f["location"]["line"]);
        fingerprints.insert(i["fingerprint"].as_str().unwrap().to_string());
    }
    assert_eq!(
        fingerprints.len(),
        issues.len(),
        "GitLab dedupes by fingerprint"
    );
}

#[test]
fn help_lists_the_formats() {
    let (code, out, _) = run(&["check", "--help"]);
    assert_eq!(code, 0);
    for f in ["human", "json", "sarif", "junit", "github", "FORMAT[=PATH]"] {
        assert!(out.contains(f), "{f} missing from --help:\n{out}");
    }
}
