//! `--format github` prints workflow commands the Actions runner accepts:
//! every line matches the command grammar, values are escaped as GitHub's
//! toolkit escapes them, and unescaping gives back the JSON findings.

// Helpers outside `#[test]` functions panic on purpose: that is a failure.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;

use regex::Regex;
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

/// `::command key=value,key=value::data`, as the runner reads it: the
/// properties and data may not hold a raw newline, and a property value may
/// not hold a raw `,` or `:` (it would start the next property or the data).
fn grammar() -> Regex {
    Regex::new(r"^::(error|warning|notice) ((?:[A-Za-z]+=[^,:\r\n]*)(?:,[A-Za-z]+=[^,:\r\n]*)*)::([^\r\n]*)$")
        .unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

struct Command {
    level: String,
    props: BTreeMap<String, String>,
    message: String,
}

fn parse(out: &str) -> Vec<Command> {
    let re = grammar();
    out.lines()
        .map(|line| {
            let c = re
                .captures(line)
                .unwrap_or_else(|| panic!("not a workflow command: {line}"));
            let props = c[2]
                .split(',')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap();
                    (k.to_string(), unescape(v))
                })
                .collect();
            Command {
                level: c[1].to_string(),
                props,
                message: unescape(&c[3]),
            }
        })
        .collect()
}

#[test]
fn every_line_is_a_command_matching_a_json_finding() {
    let (code, out) = run(&["check", "testdata", "--format", "github"]);
    assert_eq!(code, 1);
    let commands = parse(&out);
    let (_, json) = run(&["check", "testdata", "--format", "json"]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    // Suppressed and baselined findings are not annotated.
    let findings: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("suppressed").is_none() && f["baselined"] != true)
        .collect();
    assert!(findings.len() < doc["findings"].as_array().unwrap().len());
    assert_eq!(commands.len(), findings.len());
    for (c, f) in commands.iter().zip(&findings) {
        let level = match f["severity"].as_str().unwrap() {
            "note" => "notice",
            other => other,
        };
        assert_eq!(c.level, level);
        assert_eq!(c.props["title"], f["rule"].as_str().unwrap());
        let loc = &f["location"];
        assert_eq!(
            c.props["file"],
            loc["file"].as_str().unwrap().trim_start_matches("./")
        );
        assert_eq!(c.props["line"], loc["line"].to_string());
        assert_eq!(c.props["col"], loc["column"].to_string());
        assert_eq!(c.props["endLine"], loc["end_line"].to_string());
        assert_eq!(c.props["endColumn"], loc["end_column"].to_string());
        let first = c.message.lines().next().unwrap();
        assert_eq!(first, f["message"].as_str().unwrap());
    }
    assert!(commands.iter().any(|c| c.level == "error"));
    assert!(commands.iter().any(|c| c.level == "warning"));
    // Evidence travels on escaped newlines inside the one command.
    assert!(commands.iter().any(|c| c.message.contains("\n")));
}

#[test]
fn awkward_file_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::path::Path::new("testdata/terraform/netbox-chain-sensitive-prefix");
    std::fs::copy(src.join("ipam.tf"), dir.path().join("ipam.tf")).unwrap();
    std::fs::copy(
        src.join("devices.tf"),
        dir.path().join("cams, 100%: east.tf"),
    )
    .unwrap();
    let (code, out) = run(&["check", dir.path().to_str().unwrap(), "--format", "github"]);
    assert_eq!(code, 1);
    assert!(out.contains("cams%2C 100%25%3A east.tf,line="), "{out}");
    let commands = parse(&out);
    assert_eq!(commands.len(), 1);
    assert!(commands[0].props["file"].ends_with("/cams, 100%: east.tf"));
}

#[test]
fn a_clean_scan_prints_nothing_and_warnings_do_not_fail() {
    let (code, out) = run(&[
        "check",
        "testdata/netconf/clean-ios-trunks-only",
        "--format",
        "github",
    ]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out) = run(&[
        "check",
        "testdata/terraform/unifi-insecure-iot",
        "--format",
        "github",
    ]);
    assert_eq!(code, 0);
    let commands = parse(&out);
    assert_eq!(commands.len(), 1);
    assert_eq!(commands[0].level, "warning");
}
