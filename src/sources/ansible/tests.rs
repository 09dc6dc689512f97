//! End-to-end tests of the Ansible family: fixture folders under
//! `testdata/ansible/<case>/` (read, sniffed and collected as discovery
//! would) and small inline inventories.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;
use crate::model::{Device, FileId, Network, Signal, Span};

struct Scan {
    files: Vec<SourceFile>,
    facts: Facts,
}

impl Scan {
    fn of(files: Vec<SourceFile>) -> Scan {
        let refs: Vec<&SourceFile> = files.iter().collect();
        let facts = collect(&refs, &SourceOptions::default());
        Scan { files, facts }
    }

    fn inline(items: &[(&str, &str)]) -> Scan {
        let files = items
            .iter()
            .enumerate()
            .map(|(i, (path, text))| {
                let kind =
                    sniff(Path::new(path), text).unwrap_or_else(|| panic!("{path} not sniffed"));
                SourceFile::new(
                    FileId(i as u32),
                    PathBuf::from(path),
                    kind,
                    Arc::from(*text),
                )
            })
            .collect();
        Scan::of(files)
    }

    fn fixture(case: &str) -> Scan {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/ansible");
        let mut paths = Vec::new();
        let mut todo = vec![root.join(case)];
        while let Some(dir) = todo.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    todo.push(p)
                } else {
                    paths.push(p)
                }
            }
        }
        paths.sort();
        let mut files = Vec::new();
        for p in paths {
            let rel = p.strip_prefix(&root).unwrap().to_path_buf();
            let text = std::fs::read_to_string(&p).unwrap();
            if let Some(kind) = sniff(&rel, &text) {
                files.push(SourceFile::new(
                    FileId(files.len() as u32),
                    rel,
                    kind,
                    Arc::from(text),
                ));
            }
        }
        Scan::of(files)
    }

    fn text(&self, span: Span) -> &str {
        self.files
            .iter()
            .find(|f| f.id == span.file)
            .map_or("", |f| f.slice(span))
    }

    fn path(&self, span: Span) -> String {
        self.files
            .iter()
            .find(|f| f.id == span.file)
            .map(|f| f.display_path())
            .unwrap_or_default()
    }

    fn device(&self, name: &str) -> &Device {
        let all: Vec<_> = self
            .facts
            .devices
            .iter()
            .filter(|d| d.name == name)
            .collect();
        assert_eq!(all.len(), 1, "device {name}: {:#?}", self.facts.devices);
        all[0]
    }

    fn network(&self, name: &str) -> (usize, &Network) {
        let i = self
            .facts
            .networks
            .iter()
            .position(|n| n.name == name)
            .unwrap_or_else(|| panic!("network {name}: {:#?}", self.facts.networks));
        (i, &self.facts.networks[i])
    }

    /// (value, text at span, file) of a device's facts of one signal.
    fn facts(&self, device: &str, signal: Signal) -> Vec<(String, String, String)> {
        self.device(device)
            .facts_of(signal)
            .map(|f| {
                (
                    f.value.clone(),
                    self.text(f.span).to_string(),
                    self.path(f.span),
                )
            })
            .collect()
    }

    fn label(&self, network: &str, key: &str) -> Option<(String, String)> {
        let (_, n) = self.network(network);
        n.labels
            .iter()
            .find(|l| l.key.as_deref() == Some(key))
            .map(|l| (l.value.clone(), self.path(l.span)))
    }

    fn parse_errors(&self) -> Vec<&Diagnostic> {
        self.facts
            .diagnostics
            .iter()
            .filter(|d| d.rule == "parse-error")
            .collect()
    }
}

fn one(v: Vec<(String, String, String)>) -> (String, String, String) {
    assert_eq!(v.len(), 1, "{v:?}");
    v.into_iter().next().unwrap()
}

#[test]
fn ini_group_vars_inherit_through_children() {
    let s = Scan::fixture("ini_children_inheritance");
    assert!(s.facts.diagnostics.is_empty(), "{:?}", s.facts.diagnostics);
    let (sec, security) = s.network("security");
    let (_, lobby) = s.network("lobby_cams");
    let (yard_i, yard) = s.network("yard_cams");
    assert_eq!(lobby.parents, vec![sec]);
    assert_eq!(yard.parents, vec![sec]);
    assert_eq!(s.text(security.span), "[security:children]");
    assert_eq!(s.text(lobby.name_span.unwrap()), "lobby_cams");
    assert_eq!(s.label("security", "network_zone").unwrap().0, "sensitive");
    // lists are never labels
    assert!(s.label("security", "blocked_vendors").is_none());

    // Host vars in the inventory beat group_vars/security.yml.
    let (v, at, file) = one(s.facts("cam-lobby-01", Signal::Manufacturer));
    assert_eq!((v.as_str(), at.as_str()), ("Hikvision", "\"Hikvision\""));
    assert_eq!(file, "ini_children_inheritance/hosts");
    // Without its own, a host gets the parent group's, with that span.
    let (v, at, file) = one(s.facts("cam-lobby-02", Signal::Manufacturer));
    assert_eq!((v.as_str(), at.as_str()), ("Dahua", "Dahua"));
    assert_eq!(file, "ini_children_inheritance/group_vars/security.yml");

    let cam = s.device("cam-lobby-01");
    assert_eq!(
        s.text(cam.span),
        "cam-lobby-01 ansible_host=10.20.0.11 camera_vendor=\"Hikvision\" camera_model=\"DS-2CD2143G2-I\""
    );
    assert_eq!(
        one(s.facts("cam-lobby-01", Signal::Model)).0,
        "DS-2CD2143G2-I"
    );
    assert_eq!(
        one(s.facts("cam-lobby-01", Signal::Address)).0,
        "10.20.0.11"
    );
    assert_eq!(one(s.facts("cam-lobby-01", Signal::Name)).0, "cam-lobby-01");
    assert_eq!(cam.links.len(), 1);
    assert_eq!(cam.links[0].via, "member of group lobby_cams");

    // Ranges: three hosts from one line, each linked to yard_cams.
    for h in ["cam01.yard", "cam02.yard", "cam03.yard"] {
        let d = s.device(h);
        assert_eq!(
            d.links.iter().map(|l| l.network).collect::<Vec<_>>(),
            vec![yard_i]
        );
        assert_eq!(s.text(d.span), "cam[01:03].yard ansible_host=10.20.1.10");
    }
    // `denied_vendor`/`vendor_list` in group_vars/all are not device fields.
    assert!(
        s.facts
            .devices
            .iter()
            .all(|d| d.facts.iter().all(|f| f.value != "hikvision"))
    );
}

#[test]
fn yaml_inventory_with_mac_in_host_vars() {
    let s = Scan::fixture("yaml_inventory_host_vars");
    assert!(s.facts.diagnostics.is_empty(), "{:?}", s.facts.diagnostics);
    let (ops, _) = s.network("ops");
    let (cams, cam_net) = s.network("ops_cameras");
    assert_eq!(cam_net.parents, vec![ops]);
    assert_eq!(s.label("ops", "security_zone").unwrap().0, "restricted");
    assert_eq!(s.label("all", "site").unwrap().0, "hq");

    let (mac, at, file) = one(s.facts("nvr-01", Signal::Mac));
    assert_eq!(mac, "44:19:b6:01:02:03");
    assert_eq!(at, "\"44:19:b6:01:02:03\"");
    assert_eq!(file, "yaml_inventory_host_vars/host_vars/nvr-01.yml");
    // host_vars beat group_vars; the group's value reaches the others.
    assert_eq!(one(s.facts("nvr-01", Signal::Model)).0, "DS-7608NI-K2");
    assert_eq!(one(s.facts("cam-ops-1", Signal::Model)).0, "generic");
    let nvr = s.device("nvr-01");
    assert_eq!(s.text(nvr.span), "nvr-01");
    assert_eq!(
        nvr.links.iter().map(|l| l.network).collect::<Vec<_>>(),
        vec![cams]
    );
    assert_eq!(s.text(nvr.links[0].span), "nvr-01");
    s.device("cam-ops-2");
}

#[test]
fn anchors_and_merge_keys_in_an_inventory() {
    let s = Scan::inline(&[(
        "inv/hosts.yml",
        "x-cam: &cam\n  camera_vendor: Hikvision\n  camera_model: DS-2CD\nall:\n  children:\n    cams:\n      hosts:\n        c1:\n          <<: *cam\n          camera_model: DS-9\n        c2: *cam\n",
    )]);
    // `x-cam` is not a group mapping Ansible can read: it is a note, not data
    assert!(s.parse_errors().is_empty(), "{:?}", s.facts.diagnostics);
    assert_eq!(one(s.facts("c1", Signal::Manufacturer)).1, "Hikvision");
    let (model, at, _) = one(s.facts("c1", Signal::Model));
    assert_eq!((model.as_str(), at.as_str()), ("DS-9", "DS-9"));
    assert_eq!(one(s.facts("c2", Signal::Model)).0, "DS-2CD");
}

#[test]
fn deny_lists_are_not_claims_about_hosts() {
    let s = Scan::inline(&[
        ("site/hosts", "[cams]\ncam1\n"),
        (
            "site/group_vars/all.yml",
            "blocked_vendors: [hikvision, dahua]\nvendor: [hikvision]\nmanufacturer: ~\n",
        ),
        ("site/group_vars/cams.yml", "restricted_vendor: hikvision\n"),
    ]);
    let d = s.device("cam1");
    assert_eq!(
        d.facts
            .iter()
            .filter(|f| f.signal == Signal::Manufacturer)
            .count(),
        0
    );
    assert!(s.label("cams", "restricted_vendor").is_some());
}

#[test]
fn a_vendor_in_group_vars_all_reaches_every_host() {
    let s = Scan::inline(&[
        ("site/hosts", "h0\n[cams]\ncam1\n[other]\nsw1\n"),
        ("site/group_vars/all/main.yml", "manufacturer: Hikvision\n"),
    ]);
    for h in ["h0", "cam1", "sw1"] {
        assert_eq!(
            one(s.facts(h, Signal::Manufacturer)).2,
            "site/group_vars/all/main.yml"
        );
    }
    // ungrouped hosts are linked to nothing
    assert!(s.device("h0").links.is_empty());
}

#[test]
fn precedence_host_vars_files_beat_inventory_host_vars_beat_groups() {
    let s = Scan::inline(&[
        (
            "s/hosts",
            "[cams]\ncam1 model=inline\ncam2\n[cams:vars]\nmodel=from-ini-group\nvendor=Axis\n",
        ),
        ("s/group_vars/cams.yml", "model: from-group-vars\n"),
        ("s/host_vars/cam1.yml", "model: from-host-vars\n"),
    ]);
    let (v, at, file) = one(s.facts("cam1", Signal::Model));
    assert_eq!(
        (v.as_str(), at.as_str(), file.as_str()),
        ("from-host-vars", "from-host-vars", "s/host_vars/cam1.yml")
    );
    // group_vars files beat the inventory's own [group:vars]
    assert_eq!(
        one(s.facts("cam2", Signal::Model)).2,
        "s/group_vars/cams.yml"
    );
    let (v, _, file) = one(s.facts("cam2", Signal::Manufacturer));
    assert_eq!((v.as_str(), file.as_str()), ("Axis", "s/hosts"));
    // the group's label is its winning value
    assert_eq!(s.label("cams", "model").unwrap().1, "s/group_vars/cams.yml");
}

#[test]
fn child_group_beats_parent_and_deeper_wins() {
    let s = Scan::inline(&[(
        "s/hosts",
        "[a:children]\nb\n[b:children]\nc\n[c]\nh1\n[a:vars]\nvendor=A\n[b:vars]\nvendor=B\n[c:vars]\n",
    )]);
    assert_eq!(one(s.facts("h1", Signal::Manufacturer)).0, "B");
}

#[test]
fn quoted_values_with_spaces_and_comments() {
    let s = Scan::inline(&[(
        "s/hosts.ini",
        "[cams]\ncam1 camera_vendor=\"Zhejiang Dahua Technology\" description='lobby cam #2' # trailing note\n",
    )]);
    assert_eq!(
        one(s.facts("cam1", Signal::Manufacturer)).0,
        "Zhejiang Dahua Technology"
    );
    let (d, at, _) = one(s.facts("cam1", Signal::Description));
    assert_eq!(
        (d.as_str(), at.as_str()),
        ("lobby cam #2", "'lobby cam #2'")
    );
}

#[test]
fn jinja_substitution_and_unknowns() {
    let s = Scan::inline(&[
        ("s/hosts", "[cams]\ncam1 brand_name=Hikvision\ncam2\n"),
        (
            "s/group_vars/cams.yml",
            "camera_vendor: \"{{ brand_name }}\"\nmac: \"{{ inventory_hostname | hash('md5') }}\"\n",
        ),
    ]);
    let (v, at, _) = one(s.facts("cam1", Signal::Manufacturer));
    assert_eq!(
        (v.as_str(), at.as_str()),
        ("Hikvision", "\"{{ brand_name }}\"")
    );
    let cam2 = s.device("cam2");
    assert!(cam2.facts_of(Signal::Manufacturer).next().is_none());
    let reasons: Vec<&str> = cam2.unknowns.iter().map(|(_, r)| r.as_str()).collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("camera_vendor") && r.contains("not defined")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("mac:") && r.contains("not evaluated")),
        "{reasons:?}"
    );
    assert_eq!(s.text(cam2.unknowns[0].0).chars().next(), Some('"'));
}

#[test]
fn dynamic_inventories_are_noted_and_never_run() {
    let marker = std::env::temp_dir().join("camlint-dynamic-inventory-ran");
    let _ = std::fs::remove_file(&marker);
    let s = Scan::fixture("dynamic_script");
    let notes: Vec<_> = s
        .facts
        .diagnostics
        .iter()
        .filter(|d| d.rule == "dynamic-inventory-not-evaluated")
        .collect();
    assert_eq!(notes.len(), 2, "{:?}", s.facts.diagnostics);
    assert_eq!(s.text(notes[1].span), "#!/bin/sh");
    assert_eq!(s.text(notes[0].span), "plugin: amazon.aws.aws_ec2");
    assert!(!marker.exists(), "the inventory script ran");
    // the static inventory beside the script is still read
    s.device("cam-static");
}

#[test]
fn plays_roles_and_vars_files_apply_to_targeted_hosts() {
    let s = Scan::fixture("playbook_roles");
    assert!(s.parse_errors().is_empty(), "{:?}", s.facts.diagnostics);
    // cam1: role defaults (lowest) give the vendor; role vars (above the
    // inventory) give the model, through a variable from vars_files.
    let (v, _, file) = one(s.facts("cam1", Signal::Manufacturer));
    assert_eq!(
        (v.as_str(), file.as_str()),
        ("Bosch", "playbook_roles/roles/cams/defaults/main.yml")
    );
    let (v, at, file) = one(s.facts("cam1", Signal::Model));
    assert_eq!(
        (v.as_str(), at.as_str(), file.as_str()),
        (
            "DS-2CD2143G2-I",
            "\"{{ cam_model_name }}\"",
            "playbook_roles/roles/cams/vars/main.yml"
        )
    );
    assert!(
        s.device("cam1")
            .unknowns
            .iter()
            .any(|(_, r)| r.starts_with("mac:"))
    );
    // cam2: the inventory beats role defaults; role params beat role vars.
    assert_eq!(one(s.facts("cam2", Signal::Manufacturer)).0, "Axis");
    assert_eq!(one(s.facts("cam2", Signal::Model)).0, "P3245");
}

#[test]
fn network_modules_give_vlans_and_candidate_ports() {
    let s = Scan::fixture("network_modules");
    assert!(s.parse_errors().is_empty(), "{:?}", s.facts.diagnostics);
    let (secure, net) = s.network("SECURE-OPS");
    assert_eq!(net.vlan.map(|(id, _)| id), Some(110));
    assert!(
        s.facts
            .networks
            .iter()
            .all(|n| n.vlan.map(|v| v.0) != Some(999))
    );
    let port = s.device("acc-01 GigabitEthernet1/0/3");
    assert!(port.candidate);
    assert_eq!(
        one(s.facts("acc-01 GigabitEthernet1/0/3", Signal::Description)).0,
        "lobby cam DS-2CD2143G2-I"
    );
    assert_eq!(port.links.len(), 1);
    assert_eq!(port.links[0].network, secure);
    assert_eq!(port.links[0].via, "access vlan 110");
    assert_eq!(s.text(port.links[0].span), "110");
    // described but in no VLAN: still a candidate, unlinked
    assert!(s.device("acc-01 GigabitEthernet1/0/4").links.is_empty());
    // a VLAN defined elsewhere gets a network the resolver can join by id
    let p9 = s.device("acc-01 GigabitEthernet1/0/9");
    assert_eq!(
        s.facts.networks[p9.links[0].network].vlan.map(|v| v.0),
        Some(130)
    );
    // Junos: access VLAN by name; a templated description is an unknown.
    let (cams, _) = s.network("cams");
    let ge = s.device("ge-0/0/1");
    assert_eq!(ge.links[0].network, cams);
    assert!(ge.unknowns.iter().any(|(_, r)| r.contains("templated")));
    assert_eq!(
        s.facts.networks[s.device("Ethernet7").links[0].network]
            .vlan
            .map(|v| v.0),
        Some(310)
    );
}

#[test]
fn ansible_cfg_ties_playbook_group_vars_to_its_inventory() {
    let s = Scan::fixture("cfg_points_at_inventory");
    assert_eq!(one(s.facts("cam1", Signal::Manufacturer)).0, "Hikvision");
    assert_eq!(s.label("cams", "network_zone").unwrap().0, "secure");
}

#[test]
fn one_device_per_inventory() {
    let s = Scan::inline(&[
        ("prod/hosts", "[cams]\ncam1 vendor=Axis\n"),
        ("stage/hosts", "[cams]\ncam1 vendor=Bosch\n"),
    ]);
    let cams: Vec<_> = s
        .facts
        .devices
        .iter()
        .filter(|d| d.name == "cam1")
        .collect();
    assert_eq!(cams.len(), 2);
    assert_ne!(cams[0].links[0].network, cams[1].links[0].network);
}

#[test]
fn alias_bomb_in_an_inventory_is_a_parse_error() {
    let mut text = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
    for (p, c) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        text.push_str(&format!(
            "{c}: &{c} [{}]\n",
            vec![format!("*{p}"); 9].join(",")
        ));
    }
    text.push_str("all:\n  hosts:\n    cam1:\n");
    let t = std::time::Instant::now();
    let files = vec![SourceFile::new(
        FileId(0),
        "inv/hosts.yml".into(),
        SourceKind::AnsibleYamlInventory,
        Arc::from(text),
    )];
    let s = Scan::of(files);
    assert!(t.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(s.parse_errors().len(), 1);
    assert!(s.parse_errors()[0].message.contains("alias bomb"));
}

#[test]
fn broken_files_report_and_keep_going() {
    let s = Scan::inline(&[
        (
            "a/hosts",
            "[cams]\ncam1 vendor=\"unclosed\ncam2 vendor=Axis\n",
        ),
        ("a/group_vars/cams.yml", "zone: [unclosed\n"),
        (
            "b/inventory.yml",
            "all:\n  hosts:\n    cam3:\n      mac: '44:19:b6:00:00:01'\n  children: [oops]\n",
        ),
    ]);
    assert_eq!(s.parse_errors().len(), 3, "{:?}", s.facts.diagnostics);
    assert_eq!(one(s.facts("cam2", Signal::Manufacturer)).0, "Axis");
    assert_eq!(one(s.facts("cam3", Signal::Mac)).0, "44:19:b6:00:00:01");
}

#[test]
fn estate_host_lines_give_device_facts_and_group_labels() {
    let s = Scan::inline(&[
        (
            "ansible/site00000/hosts.ini",
            "[ops_cameras]\nsite00000-cam-00 ansible_host=10.0.0.10 camera_vendor=\"Hikvision\" camera_model=\"DS-2CD2143G2-I\"\n\n[general_cameras]\nsite00000-cam-01 ansible_host=10.100.0.11 camera_vendor=\"Axis\" camera_model=\"P3245-LVE\"\n\n",
        ),
        (
            "ansible/site00000/group_vars/ops_cameras.yml",
            "---\nnetwork_zone: sensitive\nntp_server: 10.0.0.1\n",
        ),
    ]);
    let d = s.device("site00000-cam-00");
    assert_eq!(
        one(s.facts("site00000-cam-00", Signal::Manufacturer)).0,
        "Hikvision"
    );
    assert_eq!(
        one(s.facts("site00000-cam-00", Signal::Model)).0,
        "DS-2CD2143G2-I"
    );
    assert_eq!(
        one(s.facts("site00000-cam-00", Signal::Address)).0,
        "10.0.0.10"
    );
    let (ops, _) = s.network("ops_cameras");
    assert_eq!(d.links[0].network, ops);
    assert_eq!(
        s.label("ops_cameras", "network_zone").unwrap().0,
        "sensitive"
    );
    assert!(s.label("general_cameras", "network_zone").is_none());
}

#[test]
fn output_does_not_depend_on_input_order() {
    let items = [
        ("s/hosts", "[cams]\ncam1\n[x:children]\ncams\n"),
        ("s/group_vars/cams.yml", "vendor: A\n"),
        ("s/group_vars/x.yml", "zone: secure\n"),
        ("t/inventory.yml", "all:\n  hosts:\n    h:\n"),
    ];
    let a = Scan::inline(&items);
    let mut rev = items;
    rev.reverse();
    let b = Scan::inline(&rev);
    let names = |s: &Scan| -> Vec<String> {
        s.facts
            .devices
            .iter()
            .map(|d| d.name.clone())
            .chain(s.facts.networks.iter().map(|n| n.name.clone()))
            .collect()
    };
    assert_eq!(names(&a), names(&b));
}

/// Times `collect` on a generated estate: set `CAMLINT_ANSIBLE_BENCH` to
/// the estate's `ansible/` folder and run in release with `--ignored`.
#[test]
#[ignore]
fn bench_estate() {
    let Ok(root) = std::env::var("CAMLINT_ANSIBLE_BENCH") else {
        return;
    };
    let root = PathBuf::from(root);
    let mut paths = Vec::new();
    let mut todo = vec![root.clone()];
    while let Some(dir) = todo.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p)
            } else {
                paths.push(p)
            }
        }
    }
    let mut files = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        if let Some(kind) = sniff(&p, &text) {
            files.push(SourceFile::new(
                FileId(files.len() as u32),
                p,
                kind,
                Arc::from(text),
            ));
        }
    }
    let refs: Vec<&SourceFile> = files.iter().collect();
    // `CAMLINT_ANSIBLE_BENCH_RUNS=N` only runs collect N times, for
    // counting cycles with an external profiler (minus a run with N=0).
    if let Some(runs) = std::env::var("CAMLINT_ANSIBLE_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse::<usize>().ok())
    {
        for _ in 0..runs {
            drop(collect(&refs, &SourceOptions::default()));
        }
        return;
    }
    let mut times = Vec::new();
    let mut facts = Facts::default();
    let mut phases = Vec::new();
    for _ in 0..10 {
        drop(std::mem::take(&mut facts));
        let t = std::time::Instant::now();
        facts = collect(&refs, &SourceOptions::default());
        times.push(t.elapsed());
        let t = std::time::Instant::now();
        let parsed: Vec<Parsed> = refs
            .par_iter()
            .map(|f| parse_file(f, yaml::Limits::default()))
            .collect();
        let t1 = t.elapsed();
        let joined = join(&refs, &parsed);
        let t2 = t.elapsed();
        drop(joined);
        drop(parsed);
        phases.push((t1, t2 - t1, t.elapsed() - t2));
    }
    // CPU time is steadier than wall time on a shared machine.
    let cpu = || -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let after = stat.rsplit_once(')')?.1;
        let f: Vec<&str> = after.split_whitespace().collect();
        let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
        Some(ticks / 100.0)
    };
    if let Some(c0) = cpu() {
        let runs = 30;
        for _ in 0..runs {
            drop(collect(&refs, &SourceOptions::default()));
        }
        if let Some(c1) = cpu() {
            println!(
                "cpu per collect: {:.1} ms",
                (c1 - c0) * 1000.0 / runs as f64
            );
        }
    }
    phases.sort();
    println!("parse / join / drop: {:?}", phases[phases.len() / 2]);
    times.sort();
    let sensitive = facts
        .networks
        .iter()
        .filter(|n| n.labels.iter().any(|l| l.value == "sensitive"))
        .count();
    println!(
        "{} files, {} devices, {} networks ({sensitive} labelled sensitive), {} diagnostics; collect min {:?} median {:?}",
        files.len(),
        facts.devices.len(),
        facts.networks.len(),
        facts.diagnostics.len(),
        times[0],
        times[times.len() / 2]
    );
    assert!(facts.diagnostics.is_empty());
    assert!(facts.devices.iter().all(|d| d.links.len() == 1
        && d.facts_of(Signal::Manufacturer).count() == 1
        && d.facts_of(Signal::Model).count() == 1
        && d.facts_of(Signal::Address).count() == 1));
}

#[test]
fn vault_encrypted_vars_are_noted_not_errors() {
    let s = Scan::inline(&[
        ("s/hosts", "[cams]\ncam1\n"),
        (
            "s/group_vars/cams/vault",
            "$ANSIBLE_VAULT;1.1;AES256\n6263383336\n",
        ),
        (
            "s/group_vars/cams/main.yml",
            "secret: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3836\nmac: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3937\n",
        ),
    ]);
    assert!(s.parse_errors().is_empty(), "{:?}", s.facts.diagnostics);
    assert!(
        s.facts
            .diagnostics
            .iter()
            .any(|d| d.rule == "vault-encrypted-not-read")
    );
    let cam = s.device("cam1");
    assert!(cam.unknowns.iter().any(|(_, r)| r.contains("vault")));
    assert!(cam.facts_of(Signal::Mac).next().is_none());
}

/// Random bytes from a YAML/INI-ish alphabet: nothing panics or hangs.
#[test]
fn hostile_input_never_panics() {
    let alphabet: &[&str] = &[
        "- ",
        ": ",
        "\n",
        "  ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "<<: ",
        "'",
        "\"",
        "#",
        "!!str ",
        "!vault ",
        "|",
        ">",
        "---\n",
        "...",
        "host",
        "=",
        "[g:children]",
        "[g:vars]",
        "{{ x }}",
        "é",
        "\u{feff}",
        "\r",
        "\t",
        "%YAML 1.1\n",
        "?",
        "\\",
        "all:",
        "hosts:",
        "children:",
        "vars:",
        "[0:9]",
        ";",
        "~",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let len = (next() % 60) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let _ = yaml::load(&text, FileId(0));
        for (path, kind) in [
            ("x/hosts", SourceKind::AnsibleIni),
            ("x/inv.yml", SourceKind::AnsibleYamlInventory),
            ("x/site.yml", SourceKind::AnsiblePlaybook),
            ("x/group_vars/all.yml", SourceKind::AnsibleVars),
        ] {
            let _ = sniff(Path::new(path), &text);
            let f = SourceFile::new(FileId(0), path.into(), kind, Arc::from(text.as_str()));
            let _ = collect(&[&f], &SourceOptions::default());
        }
    }
}
