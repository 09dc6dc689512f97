//! One entry point per parser for fuzzing and property tests.
//!
//! The fuzz targets in `fuzz/`, the replay of their crash inputs in
//! `tests/fuzz_regressions.rs` and the proptest properties all call
//! [`run`], so an input that once broke a parser is replayed exactly as the
//! fuzzer fed it. Besides "does not panic or hang", each run checks the
//! invariant every report relies on: every span a parser returns lies
//! inside its file, on character boundaries. Not part of the stable API.

#![allow(clippy::panic)]

use std::path::PathBuf;
use std::sync::Arc;

use crate::model::{Facts, FileId, SourceFile, SourceKind, Span};
use crate::sources::{self, SourceOptions};

/// The names of the targets [`run`] knows, one per parser.
pub const TARGETS: &[&str] = &[
    "hcl_native",
    "terraform_json",
    "terraform_plan",
    "yaml_loader",
    "ansible_yaml",
    "ansible_ini",
    "ios",
    "junos_set",
    "junos_curly",
    "dhcpd",
    "kea",
    "netbox_json",
    "dnsmasq",
    "csv",
    "policy",
    "suppress",
];

/// Feeds `data` (as text, invalid UTF-8 replaced) to the parser named
/// `target`, and panics if a returned span lies outside the text. Unknown
/// targets panic too, so a typo cannot pass as a clean run.
pub fn run(target: &str, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let file = |kind, name: &str| {
        SourceFile::new(
            FileId(0),
            PathBuf::from(name),
            kind,
            Arc::from(text.as_ref()),
        )
    };
    let opts = SourceOptions::default();
    match target {
        "hcl_native" => {
            let parsed = sources::terraform::hcl::parse(&text);
            for e in &parsed.errors {
                assert_range(&text, e.range.start, e.range.end, &e.message);
            }
            let f = file(SourceKind::TerraformHcl, "main.tf");
            assert_facts(&f, &sources::terraform::collect(&[&f], &opts));
        }
        "terraform_json" => {
            let parsed = sources::terraform::hcl::parse_json(&text);
            for e in &parsed.errors {
                assert_range(&text, e.range.start, e.range.end, &e.message);
            }
            let f = file(SourceKind::TerraformJson, "main.tf.json");
            assert_facts(&f, &sources::terraform::collect(&[&f], &opts));
        }
        "terraform_plan" => {
            let f = file(SourceKind::TerraformPlan, "plan.json");
            assert_facts(&f, &sources::terraform::collect(&[&f], &opts));
        }
        "yaml_loader" => {
            let loaded = sources::ansible::yaml::load(&text, FileId(0));
            if let Some(e) = &loaded.error {
                assert_span(&text, e.span, &e.message);
            }
            for (span, what) in &loaded.duplicate_keys {
                assert_span(&text, *span, what);
            }
            let mut stack: Vec<&sources::ansible::yaml::Node> = loaded.docs.iter().collect();
            let mut seen = 0usize;
            while let Some(n) = stack.pop() {
                // Aliases share nodes: bound the walk, not the tree.
                seen += 1;
                if seen > 100_000 {
                    break;
                }
                assert_span(&text, n.span, "yaml node");
                if let Some(items) = n.as_seq() {
                    stack.extend(items.iter());
                }
                if let Some(pairs) = n.as_map() {
                    stack.extend(pairs.iter().flat_map(|(k, v)| [k, v]));
                }
            }
        }
        "ansible_yaml" => {
            for (kind, name) in [
                (SourceKind::AnsibleYamlInventory, "inventory/hosts.yml"),
                (SourceKind::AnsiblePlaybook, "site.yml"),
                (SourceKind::AnsibleVars, "group_vars/all.yml"),
            ] {
                let f = file(kind, name);
                assert_facts(&f, &sources::ansible::collect(&[&f], &opts));
            }
        }
        "ansible_ini" => {
            let f = file(SourceKind::AnsibleIni, "inventory/hosts");
            assert_facts(&f, &sources::ansible::collect(&[&f], &opts));
        }
        "ios" => net(&file(SourceKind::CiscoConfig, "switch.cfg")),
        "junos_set" => net(&file(SourceKind::JunosSet, "router.set")),
        "junos_curly" => net(&file(SourceKind::JunosCurly, "router.conf")),
        "dhcpd" => net(&file(SourceKind::Dhcpd, "dhcpd.conf")),
        "kea" => net(&file(SourceKind::Kea, "kea-dhcp4.conf")),
        "netbox_json" => net(&file(SourceKind::NetboxJson, "netbox.json")),
        "dnsmasq" => net(&file(SourceKind::Dnsmasq, "dnsmasq.conf")),
        "csv" => net(&file(SourceKind::AssetCsv, "assets.csv")),
        "policy" => {
            let f = file(SourceKind::Policy, "policy.hcl");
            let mut diags = Vec::new();
            for role in [
                crate::policy::load::FileRole::RepoConfig,
                crate::policy::load::FileRole::Policy,
            ] {
                let _ = crate::policy::load::load_file(&f, role, &mut diags);
            }
            for d in &diags {
                assert_span(&text, d.span, &d.message);
            }
        }
        "suppress" => {
            let today = jiff::civil::date(2025, 1, 1);
            for kind in [
                SourceKind::TerraformHcl,
                SourceKind::AnsibleIni,
                SourceKind::AnsibleVars,
                SourceKind::CiscoConfig,
                SourceKind::JunosCurly,
                SourceKind::Dhcpd,
                SourceKind::AssetCsv,
            ] {
                let f = file(kind, "x");
                let (found, diags) = crate::policy::suppress::scan(&f, today);
                for s in &found {
                    assert_span(&text, s.span, "suppression");
                }
                for d in &diags {
                    assert_span(&text, d.span, &d.message);
                }
            }
        }
        other => panic!("unknown harness target `{other}`"),
    }
}

fn net(f: &SourceFile) {
    assert_facts(f, &sources::netconf::parse(f));
}

fn assert_range(text: &str, start: u32, end: u32, what: &str) {
    let (s, e) = (start as usize, end as usize);
    if s > e || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
        panic!(
            "span {s}..{e} ({what}) does not fit a text of {} bytes",
            text.len()
        );
    }
}

fn assert_span(text: &str, span: Span, what: &str) {
    if span.file != FileId(0) {
        panic!("span ({what}) points at file {:?}", span.file);
    }
    assert_range(text, span.start, span.end, what);
}

/// Every span in `facts` lies inside `file`.
pub fn assert_facts(file: &SourceFile, facts: &Facts) {
    let text: &str = &file.text;
    for d in &facts.devices {
        assert_span(text, d.span, &d.name);
        for f in &d.facts {
            assert_span(text, f.span, &f.field);
        }
        for l in &d.links {
            assert_span(text, l.span, &l.via);
            if l.network >= facts.networks.len() {
                panic!("link to network {} of {}", l.network, facts.networks.len());
            }
        }
        for (s, what) in d.trail.iter().chain(&d.unknowns) {
            assert_span(text, *s, what);
        }
    }
    for n in &facts.networks {
        assert_span(text, n.span, &n.name);
        if let Some(s) = n.name_span {
            assert_span(text, s, &n.name);
        }
        for (_, s) in &n.cidrs {
            assert_span(text, *s, "cidr");
        }
        if let Some((_, s)) = n.vlan {
            assert_span(text, s, "vlan");
        }
        for l in &n.labels {
            assert_span(text, l.span, &l.value);
        }
    }
    for d in &facts.diagnostics {
        assert_span(text, d.span, &d.message);
    }
}
