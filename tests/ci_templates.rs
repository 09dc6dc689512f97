//! The CI templates (`action.yml`, `ci/gitlab-camlint.yml`) ask camlint for
//! reports it can produce: the `--format` plans they use are accepted and
//! write every file the platform then uploads.

// Helpers outside `#[test]` functions panic on purpose: that is a failure.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

/// The `--format` values a template passes, with quotes and line
/// continuations removed.
fn formats(template: &str) -> Vec<String> {
    let text = std::fs::read_to_string(template).unwrap();
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\\').to_string())
        .collect();
    words
        .windows(2)
        .filter(|w| w[0] == "--format")
        .map(|w| w[1].clone())
        .collect()
}

#[test]
fn templates_ask_for_reports_camlint_writes() {
    for (template, uploads) in [
        ("action.yml", vec!["camlint.sarif"]),
        (
            "ci/gitlab-camlint.yml",
            vec![
                "camlint-junit.xml",
                "gl-code-quality-report.json",
                "camlint.sarif",
            ],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let specs = formats(template);
        assert!(specs.len() >= 2, "{template}: {specs:?}");
        let mut argv: Vec<String> = vec!["camlint".into(), "check".into(), "testdata/demo".into()];
        for spec in &specs {
            // `sarif=$CAMLINT_SARIF` → a file in the temporary directory
            // (the action's default name for the SARIF input).
            let spec = match spec.split_once('=') {
                Some((f, p)) => {
                    let name = match p.strip_prefix('$') {
                        Some(_) if f == "sarif" => "camlint.sarif".to_string(),
                        Some(var) => var.to_lowercase(),
                        None => p.to_string(),
                    };
                    format!("{f}={}", dir.path().join(name).display())
                }
                None => spec.clone(),
            };
            argv.extend(["--format".into(), spec]);
        }
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = camlint::run(argv, &mut out, &mut err);
        assert_eq!(
            code,
            camlint::EXIT_FINDINGS,
            "{template}: {}",
            String::from_utf8_lossy(&err)
        );
        for file in uploads {
            assert!(
                dir.path().join(file).is_file(),
                "{template} does not write {file}"
            );
        }
    }
}
