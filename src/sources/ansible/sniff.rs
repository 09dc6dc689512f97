//! Which files are Ansible's, and what kind, from the path and a cheap
//! look at the text.
//!
//! Discovery calls this for every candidate file, so it never builds a
//! tree: it scans lines. The path decides first (`group_vars/`,
//! `host_vars/`, `roles/*/defaults|vars|tasks/`), then the content: a YAML
//! list of plays, a YAML mapping of groups with `hosts:`/`children:`, an
//! inventory plugin config (`plugin:`), an INI file of `[group]` sections
//! and host lines, an inventory script (`#!` in an inventory directory).
//! Unrelated YAML (Kubernetes, CI) and INI (tox, setup.cfg) give `None`.

use std::path::{Component, Path};

use crate::model::SourceKind;
use crate::sources::text::{contains, find, lines, split_whitespace, trim};

use super::vars::network_module;

/// File names that hold Ansible's own configuration; read for its
/// `[defaults] inventory` setting. There is no dedicated kind for it, so it
/// travels as an INI file and `collect` recognises it by name.
pub const CONFIG_FILE: &str = "ansible.cfg";

pub fn sniff(path: &Path, text: &str) -> Option<SourceKind> {
    let name = path.file_name()?.to_str()?;
    if name == CONFIG_FILE {
        return Some(SourceKind::AnsibleIni);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    // Borrowed from the path: every candidate file of a scan comes here.
    let dirs: Vec<&str> = path
        .parent()
        .map(|p| {
            p.components()
                .filter_map(|c| match c {
                    Component::Normal(s) => s.to_str(),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let yamlish = matches!(ext.as_str(), "yml" | "yaml" | "json" | "");
    if yamlish && dirs.iter().any(|&d| d == "group_vars" || d == "host_vars") {
        return Some(SourceKind::AnsibleVars);
    }
    // roles/NAME/defaults|vars|tasks|handlers/…
    if let Some(at) = dirs.iter().rposition(|&d| d == "roles")
        && let Some(part) = dirs.get(at + 2)
        && matches!(ext.as_str(), "yml" | "yaml" | "json" | "")
    {
        match *part {
            "defaults" | "vars" => return Some(SourceKind::AnsibleRoleVars),
            "tasks" | "handlers" if ext != "json" => return Some(SourceKind::AnsiblePlaybook),
            _ => {}
        }
    }
    let in_inventory_dir = dirs.iter().any(|d| {
        d.as_bytes()
            .get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"inventor"))
            || d.eq_ignore_ascii_case("hosts")
    });
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let inventory_name = stem.contains("inventor") || stem.contains("hosts");
    let script_ext = matches!(ext.as_str(), "py" | "sh" | "rb" | "pl");
    if text.starts_with("#!") || script_ext {
        return (in_inventory_dir || inventory_name).then_some(SourceKind::AnsibleDynamicInventory);
    }
    let by_content = match ext.as_str() {
        "yml" | "yaml" => sniff_yaml(text),
        "ini" => sniff_ini(text, inventory_name || in_inventory_dir),
        // `hosts`, `inventory`, `production`: no extension, either syntax.
        "" => sniff_ini(text, inventory_name || in_inventory_dir).or_else(|| {
            (in_inventory_dir || inventory_name)
                .then(|| sniff_yaml(text))
                .flatten()
                .filter(|k| *k != SourceKind::AnsiblePlaybook)
        }),
        _ => None,
    };
    if by_content.is_some() {
        return by_content;
    }
    // A `vars/` folder beside playbooks holds `vars_files`.
    if matches!(ext.as_str(), "yml" | "yaml")
        && dirs.last().is_some_and(|&d| d == "vars")
        && looks_like_mapping(text)
    {
        return Some(SourceKind::AnsibleVars);
    }
    None
}

/// Significant lines: no blanks, comments or document markers.
fn significant(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    lines(text).filter(|l| {
        let t = trim(l);
        !(t.is_empty()
            || t.starts_with('#')
            || t.starts_with("---")
            || t.starts_with("...")
            || t.starts_with('%'))
    })
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The key of a `key:` line (with its value, if any, after the colon).
fn key_of(line: &str) -> Option<&str> {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    let (k, rest) = t.split_once(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let k = k.trim().trim_matches(['"', '\'']);
    (!k.is_empty() && !k.contains(' ')).then_some(k)
}

fn looks_like_mapping(text: &str) -> bool {
    significant(text)
        .next()
        .is_some_and(|l| indent(l) == 0 && key_of(l).is_some() && !l.starts_with('-'))
}

fn sniff_yaml(text: &str) -> Option<SourceKind> {
    let mut lines = significant(text).peekable();
    let first = *lines.peek()?;
    let first = first.trim_start_matches('\u{feff}');
    if first.starts_with('-') {
        // A list: plays (`hosts:`, `import_playbook:`) or tasks naming a
        // network module.
        let plays_or_modules = significant(text).any(|l| {
            key_of(l).is_some_and(|k| {
                ((k == "hosts" || k == "import_playbook") && indent(l) <= 4)
                    || network_module(k).is_some()
            })
        });
        return plays_or_modules.then_some(SourceKind::AnsiblePlaybook);
    }
    if first.starts_with('{') || first.starts_with('[') {
        return None;
    }
    // A mapping: plugin config, or groups with hosts/children/vars.
    let mut top_keys = 0;
    let mut child_indent: Option<usize> = None;
    for l in significant(text) {
        let ind = indent(l);
        if ind == 0 {
            let k = key_of(l)?;
            if k == "plugin" {
                return Some(SourceKind::AnsibleDynamicInventory);
            }
            if matches!(
                k,
                "apiVersion" | "kind" | "services" | "jobs" | "stages" | "on"
            ) {
                return None;
            }
            top_keys += 1;
            child_indent = None;
            continue;
        }
        // Only the first level below a top-level key (a group) counts.
        let level = *child_indent.get_or_insert(ind);
        if ind == level && matches!(key_of(l), Some("hosts" | "children")) && top_keys > 0 {
            return Some(SourceKind::AnsibleYamlInventory);
        }
    }
    None
}

/// Whether a line is a host definition: a host pattern and `k=v` words.
fn is_host_line(line: &str) -> bool {
    let line = match find(line, " #") {
        Some(i) => line.get(..i).unwrap_or(line),
        None => line,
    };
    let mut words = split_whitespace(line);
    let Some(host) = words.next() else {
        return false;
    };
    let punct = |b: u8| matches!(b, b'.' | b'-' | b'_' | b':' | b'[' | b']' | b'@' | b'%');
    // Every line of a candidate file comes here: ASCII names are checked
    // byte by byte, anything else by `char`.
    let host_ok = !host.ends_with(':')
        && if host.is_ascii() {
            host.bytes().all(|b| b.is_ascii_alphanumeric() || punct(b))
        } else {
            host.chars()
                .all(|c| c.is_alphanumeric() || u8::try_from(c).is_ok_and(punct))
        };
    // Quoted values may hold spaces: only words starting a pair are checked.
    // A word is a pair with a key (`k=v`), or holds no `=` and is no comment.
    host_ok
        && words.all(|w| match w.bytes().position(|b| b == b'=') {
            Some(at) => at > 0,
            None => !w.starts_with('#'),
        })
        && !contains(line, " = ")
}

fn section(line: &str) -> Option<Option<&str>> {
    let inner = line.strip_prefix('[')?;
    let (inner, after) = inner.split_once(']')?;
    let after = after.trim();
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    match inner.split_once(':') {
        Some((n, k)) if !n.is_empty() && !n.contains(char::is_whitespace) => Some(Some(k)),
        None if !inner.is_empty() && !inner.contains(char::is_whitespace) => Some(None),
        _ => None,
    }
}

/// An INI inventory: `[group]` sections whose lines are host lines,
/// `[g:children]` names, `[g:vars]` pairs. A file named like an
/// inventory may have a few bad lines (they become parse errors); any
/// other INI file must be clean.
fn sniff_ini(text: &str, named_inventory: bool) -> Option<SourceKind> {
    let mut headers = 0usize;
    let mut strong = false;
    let mut good = 0usize;
    let mut bad = 0usize;
    let mut kind: Option<&str> = None;
    for l in significant(text) {
        let t = trim(l);
        if t.starts_with(';') {
            continue;
        }
        if let Some(k) = section(t) {
            headers += 1;
            kind = k;
            strong |= matches!(k, Some("children" | "vars"));
            continue;
        }
        let ok = match kind {
            None | Some("hosts") => is_host_line(t),
            Some("children") => !t.contains(char::is_whitespace) || contains(t, " #"),
            Some("vars") => t.contains('=') && !t.starts_with('='),
            Some(_) => false,
        };
        if ok {
            good += 1;
        } else {
            bad += 1;
        }
    }
    let plausible = if named_inventory {
        (headers > 0 || good > 0) && good >= bad
    } else {
        headers > 0 && bad == 0 && (good > 0 || strong)
    };
    plausible.then_some(SourceKind::AnsibleIni)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    fn s(path: &str, text: &str) -> Option<SourceKind> {
        sniff(Path::new(path), text)
    }

    #[test]
    fn classifies_ansible_files() {
        use SourceKind::*;
        let ini = "[cams]\ncam1 ansible_host=10.0.0.1 vendor=\"Hik vision\"\n[cams:vars]\nzone = secure\n";
        assert_eq!(s("site/hosts.ini", ini), Some(AnsibleIni));
        assert_eq!(s("site/hosts", ini), Some(AnsibleIni));
        assert_eq!(s("inventory/production", "[web]\nweb1\n"), Some(AnsibleIni));
        assert_eq!(s("a/group_vars/cams.yml", "zone: x\n"), Some(AnsibleVars));
        assert_eq!(s("a/host_vars/cam1", "mac: x\n"), Some(AnsibleVars));
        assert_eq!(
            s("a/group_vars/cams/main.yaml", "zone: x\n"),
            Some(AnsibleVars)
        );
        assert_eq!(
            s("roles/cam/defaults/main.yml", "vendor: x\n"),
            Some(AnsibleRoleVars)
        );
        assert_eq!(
            s("roles/cam/vars/main.yml", "vendor: x\n"),
            Some(AnsibleRoleVars)
        );
        assert_eq!(
            s("roles/cam/tasks/main.yml", "- name: x\n  debug: {}\n"),
            Some(AnsiblePlaybook)
        );
        assert_eq!(
            s(
                "inv.yml",
                "all:\n  children:\n    cams:\n      hosts:\n        cam1:\n"
            ),
            Some(AnsibleYamlInventory)
        );
        assert_eq!(
            s("cams.yaml", "# c\ncams:\n  hosts:\n    cam1: {}\n"),
            Some(AnsibleYamlInventory)
        );
        assert_eq!(
            s("site.yml", "---\n- hosts: cams\n  roles: [cam]\n"),
            Some(AnsiblePlaybook)
        );
        assert_eq!(
            s("site.yml", "- name: x\n  hosts: all\n"),
            Some(AnsiblePlaybook)
        );
        assert_eq!(
            s(
                "vlans.yml",
                "- name: v\n  cisco.ios.ios_vlans:\n    config: []\n"
            ),
            Some(AnsiblePlaybook)
        );
        assert_eq!(
            s("aws_ec2.yml", "plugin: amazon.aws.aws_ec2\n"),
            Some(AnsibleDynamicInventory)
        );
        assert_eq!(
            s("inventory/ec2.py", "#!/usr/bin/env python\n"),
            Some(AnsibleDynamicInventory)
        );
        assert_eq!(
            s("inventory.sh", "#!/bin/sh\necho {}\n"),
            Some(AnsibleDynamicInventory)
        );
        assert_eq!(s("vars/cams.yml", "vendor: x\n"), Some(AnsibleVars));
        assert_eq!(
            s(CONFIG_FILE, "[defaults]\ninventory = hosts\n"),
            Some(AnsibleIni)
        );
    }

    #[test]
    fn leaves_unrelated_files_alone() {
        assert_eq!(
            s(
                "k8s/deploy.yaml",
                "apiVersion: v1\nkind: Pod\nspec:\n  hosts: x\n"
            ),
            None
        );
        assert_eq!(
            s(
                ".github/workflows/ci.yml",
                "on: push\njobs:\n  build:\n    hosts: x\n"
            ),
            None
        );
        assert_eq!(s("config.yml", "server:\n  port: 80\n"), None);
        assert_eq!(s("tox.ini", "[tox]\nenvlist = py3\n"), None);
        assert_eq!(s("setup.cfg", "[metadata]\nname = x\n"), None);
        assert_eq!(s("list.yml", "- a\n- b\n"), None);
        assert_eq!(s("scripts/build.sh", "#!/bin/sh\n"), None);
        assert_eq!(s("tools/gen.py", "import json\n"), None);
        assert_eq!(s("git.ini", "[core]\n\tautocrlf = true\n"), None);
    }

    #[test]
    fn host_lines_are_told_from_other_lines() {
        for line in [
            "cam1",
            "cam1 ansible_host=10.0.0.1 vendor=\"Hik vision\"",
            "cam-[01:09].example.com",
            "kamera-müller ansible_host=10.0.0.2",
            "cam1 # trailing comment",
            "[2001:db8::1]",
            "cam1 mode=",
        ] {
            assert!(is_host_line(line), "{line:?}");
        }
        for line in [
            "cam1:",
            "cam1 =x",
            "cam1\t#c",
            "key = value",
            "cam1 a=b = c",
            "cam!1",
            "caméra€ x=1",
        ] {
            assert!(!is_host_line(line), "{line:?}");
        }
    }
}
