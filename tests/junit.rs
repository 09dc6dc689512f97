//! `--format junit` parses as XML, and what a CI test view would count
//! (suites, cases, failures, file and line) matches the JSON findings of
//! the same scan.

// Helpers outside `#[test]` functions panic on purpose: that is a failure.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;

use quick_xml::events::Event;
use serde_json::Value;

fn run(args: &[&str]) -> (i32, String) {
    let mut argv = vec!["camlint"];
    argv.extend_from_slice(args);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = camlint::run(argv, &mut out, &mut err);
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&err)
    );
    (code, String::from_utf8_lossy(&out).into_owned())
}

/// Neither suppressed by a comment nor held by a baseline.
fn is_active(f: &Value) -> bool {
    f.get("suppressed").is_none() && f["baselined"] != true
}

/// What a JUnit consumer reads: every `<testcase>` with its attributes and
/// whether it holds a `<failure>`.
#[derive(Debug, Default)]
struct Parsed {
    suites: Vec<BTreeMap<String, String>>,
    cases: Vec<(BTreeMap<String, String>, bool)>,
}

fn attrs(e: &quick_xml::events::BytesStart) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.unwrap();
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .unwrap()
                    .into_owned(),
            )
        })
        .collect()
}

fn parse(xml: &str) -> Parsed {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut p = Parsed::default();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => p.suites.push(attrs(&e)),
                b"testcase" => p.cases.push((attrs(&e), false)),
                b"failure" => p.cases.last_mut().unwrap().1 = true,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    p
}

fn json_findings(path: &str) -> Vec<Value> {
    let (_, out) = run(&["check", path, "--format", "json"]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    doc["findings"].as_array().unwrap().clone()
}

#[test]
fn cases_and_failures_match_the_json_findings() {
    for path in ["testdata/demo", "testdata"] {
        let findings = json_findings(path);
        assert!(!findings.is_empty());
        let (code, xml) = run(&["check", path, "--format", "junit"]);
        assert_eq!(code, 1);
        let p = parse(&xml);
        assert_eq!(p.cases.len(), findings.len(), "{path}");
        let errors = findings
            .iter()
            .filter(|f| f["severity"] == "error" && is_active(f))
            .count();
        let failures = p.cases.iter().filter(|c| c.1).count();
        assert_eq!(failures, errors, "{path}: only errors fail by default");
        // The totals a consumer shows come from the suite attributes.
        let sum = |k: &str| -> usize {
            p.suites
                .iter()
                .map(|s| s[k].parse::<usize>().unwrap())
                .sum()
        };
        assert_eq!(sum("tests"), findings.len());
        assert_eq!(sum("failures"), errors);
        // The same findings, grouped by rule instead of sorted by place.
        let mut from_xml: Vec<[String; 4]> = p
            .cases
            .iter()
            .map(|(c, _)| ["classname", "file", "line", "name"].map(|k| c[k].clone()))
            .collect();
        let mut from_json: Vec<[String; 4]> = findings
            .iter()
            .map(|f| {
                let file = f["location"]["file"].as_str().unwrap();
                let file = file.trim_start_matches("./").to_string();
                let line = f["location"]["line"].to_string();
                let name = f["device"]["name"]
                    .as_str()
                    .map_or_else(|| format!("{file}:{line}"), str::to_string);
                [f["rule"].as_str().unwrap().to_string(), file, line, name]
            })
            .collect();
        from_xml.sort();
        from_json.sort();
        assert_eq!(from_xml, from_json, "{path}");
    }
}

#[test]
fn one_suite_per_loaded_rule_and_the_fail_level_decides_failures() {
    let (_, xml) = run(&[
        "check",
        "testdata/demo",
        "--format",
        "junit",
        "--fail-on",
        "warning",
    ]);
    let p = parse(&xml);
    let (_, rules) = run(&["rules", "--format", "json"]);
    let rules: Vec<Value> = serde_json::from_str(&rules).unwrap();
    let names: Vec<&str> = p.suites.iter().map(|s| s["name"].as_str()).collect();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(names, ids);
    let findings = json_findings("testdata/demo");
    let at_least_warning = findings
        .iter()
        .filter(|f| f["severity"] != "note" && is_active(f))
        .count();
    assert_eq!(p.cases.iter().filter(|c| c.1).count(), at_least_warning);

    let (code, xml) = run(&[
        "check",
        "testdata/demo",
        "--format",
        "junit",
        "--fail-on",
        "never",
    ]);
    assert_eq!(code, 0);
    let p = parse(&xml);
    assert_eq!(p.cases.len(), findings.len());
    assert!(
        p.cases.iter().all(|c| !c.1),
        "nothing fails with --fail-on never"
    );
    assert!(
        xml.contains("<system-out>"),
        "passing findings keep their message"
    );
}

#[test]
fn suppressed_findings_are_skipped_cases() {
    let findings = json_findings("testdata/suppressions");
    let inactive = findings.iter().filter(|f| !is_active(f)).count();
    assert!(inactive > 0);
    let (_, xml) = run(&["check", "testdata/suppressions", "--format", "junit"]);
    let p = parse(&xml);
    assert_eq!(p.cases.len(), findings.len());
    let skipped: usize = p
        .suites
        .iter()
        .map(|s| s["skipped"].parse::<usize>().unwrap())
        .sum();
    assert_eq!(skipped, inactive);
    assert!(xml.contains("<skipped message=\"suppressed: "), "{xml}");
}

#[test]
fn junit_output_is_deterministic() {
    let (_, a) = run(&["check", "testdata/demo", "--format", "junit"]);
    let (_, b) = run(&["check", "testdata/demo", "--format", "junit"]);
    assert_eq!(a, b);
    assert!(!a.contains("timestamp="));
}
