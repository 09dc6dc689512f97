//! `--format sarif` is accepted by its consumers: it validates against the
//! official SARIF 2.1.0 schema (read from the shared schemas folder beside
//! the repository, not copied into it) and meets the conditions GitHub code
//! scanning adds, any one of which would make it reject the whole upload.

// Helpers outside `#[test]` functions panic on purpose: that is a failure.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

const SCHEMA: &str = "../shared/schemas/sarif-schema-2.1.0.json";

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

fn sarif_of(path: &str) -> Value {
    let (code, out, err) = run(&["check", path, "--format", "sarif"]);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(Path::new(SCHEMA))
        .unwrap_or_else(|e| panic!("the official schema should be at {SCHEMA}: {e}"));
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(log: &Value) {
    let errors: Vec<String> = validator()
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));
}

/// GitHub's conditions beyond the schema.
fn assert_github_accepts(log: &Value) {
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "camlint");
    assert!(driver["version"].is_string());
    let rule_ids: BTreeSet<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap();
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert!(rule_ids.contains(id), "no rule entry for {id}");
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(driver["rules"][index]["id"], id);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let mut places = vec![&r["locations"][0]];
        places.extend(r["relatedLocations"].as_array().into_iter().flatten());
        for loc in places {
            let phys = &loc["physicalLocation"];
            let uri = phys["artifactLocation"]["uri"].as_str().unwrap();
            assert!(!uri.is_empty() && !uri.starts_with('/') && !uri.starts_with("./"));
            assert!(!uri.contains('\\'), "{uri}");
            assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            let region = &phys["region"];
            for k in ["startLine", "startColumn", "endLine", "endColumn"] {
                assert!(region[k].as_u64().unwrap() >= 1, "{k} in {region}");
            }
        }
        let fp = r["partialFingerprints"]["camlint/v1"].as_str().unwrap();
        assert_eq!(fp.len(), 16);
    }
}

#[test]
fn demo_sarif_is_valid_and_github_ready() {
    let log = sarif_of("testdata/demo");
    assert_valid(&log);
    assert_github_accepts(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let on_sensitive: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "restricted-camera-on-sensitive-network")
        .collect();
    assert!(!on_sensitive.is_empty());
    for r in &on_sensitive {
        assert_eq!(r["level"], "error");
        let related = r["relatedLocations"].as_array().unwrap();
        assert!(
            related.iter().any(|l| l["message"]["text"]
                .as_str()
                .unwrap()
                .contains("is sensitive")),
            "{r}"
        );
        assert!(
            related
                .iter()
                .any(|l| l["message"]["text"].as_str().unwrap().contains("evidence")),
            "{r}"
        );
    }
}

#[test]
fn every_fixture_gives_valid_sarif() {
    // Parse errors, unreadable files, every source family, clean cases.
    let log = sarif_of("testdata");
    assert_valid(&log);
    assert_github_accepts(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "parse-error"));
}

#[test]
fn rules_carry_their_own_documentation() {
    let log = sarif_of("testdata/terraform/tf-json");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let r = rules
        .iter()
        .find(|r| r["id"] == "restricted-camera-on-sensitive-network")
        .unwrap();
    assert_eq!(
        r["shortDescription"]["text"],
        "A camera made by a restricted vendor is attached to a sensitive network"
    );
    assert!(
        r["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("UK government's statement")
    );
    assert!(
        r["help"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Move the device")
    );
    assert!(
        r["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("# restricted-camera-on-sensitive-network")
    );
    assert!(r["helpUri"].as_str().unwrap().starts_with("https://"));
    assert_eq!(r["defaultConfiguration"]["level"], "error");
    assert!(
        r["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&"security".into())
    );
    // Rules without their own url link to their generated page.
    let p = rules.iter().find(|r| r["id"] == "parse-error").unwrap();
    assert!(
        p["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules/parse-error.md")
    );
}

#[test]
fn fingerprints_are_the_baseline_identity() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let b = baseline.to_str().unwrap();
    let (code, _, err) = run(&["check", "testdata/demo", "--write-baseline", b]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    let recorded: BTreeSet<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    let log = sarif_of("testdata/demo");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let ours: BTreeSet<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["camlint/v1"].as_str().unwrap())
        .collect();
    assert!(!ours.is_empty());
    assert_eq!(ours, recorded);
    assert_eq!(ours.len(), results.len(), "two findings share an identity");

    // With the baseline, every result is `unchanged` and carries an
    // external suppression: code scanning shows them as dismissed.
    let (code, out, _) = run(&[
        "check",
        "testdata/demo",
        "--baseline",
        b,
        "--format",
        "sarif",
    ]);
    assert_eq!(code, 0);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid(&log);
    for r in log["runs"][0]["results"].as_array().unwrap() {
        assert_eq!(r["baselineState"], "unchanged");
        assert_eq!(r["suppressions"][0]["kind"], "external");
    }
}

#[test]
fn suppressed_findings_carry_their_justification() {
    let log = sarif_of("testdata/suppressions");
    assert_valid(&log);
    assert_github_accepts(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert!(!suppressed.is_empty());
    for r in suppressed {
        let s = &r["suppressions"][0];
        assert_eq!(s["kind"], "inSource");
        assert!(!s["justification"].as_str().unwrap().is_empty(), "{r}");
        let at = &s["location"]["physicalLocation"];
        assert!(at["region"]["startLine"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn a_clean_scan_is_a_valid_log_with_rules_and_no_results() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.tf"), "# nothing here\n").unwrap();
    let log = sarif_of(dir.path().to_str().unwrap());
    assert_valid(&log);
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert!(
        !log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_validator_rejects_what_github_would() {
    // The schema test can fail: a result with a zero line is refused.
    let mut log = sarif_of("testdata/demo");
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator().is_valid(&log));
}
