//! Terraform evaluation through `collect`: instances, references between
//! them, modules and limits, on small in-memory trees.

use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::model::{Device, FileId, Signal};

fn scan(files: &[(&str, &str)]) -> (Vec<SourceFile>, Facts) {
    let files: Vec<SourceFile> = files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| {
            let kind = if path.ends_with(".tfvars") {
                SourceKind::TerraformVars
            } else if path.ends_with(".json") && !path.ends_with(".tf.json") {
                SourceKind::TerraformPlan
            } else {
                SourceKind::TerraformHcl
            };
            SourceFile::new(
                FileId(i as u32),
                PathBuf::from(path),
                kind,
                Arc::from(*text),
            )
        })
        .collect();
    let refs: Vec<&SourceFile> = files.iter().collect();
    let facts = collect(&refs, &SourceOptions::default());
    (files, facts)
}

fn device<'f>(facts: &'f Facts, name: &str) -> &'f Device {
    let names: Vec<&str> = facts.devices.iter().map(|d| d.name.as_str()).collect();
    facts
        .devices
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no device {name} in {names:?}"))
}

fn values(d: &Device, s: Signal) -> Vec<&str> {
    d.facts_of(s).map(|f| f.value.as_str()).collect()
}

fn line_of(files: &[SourceFile], span: crate::model::Span) -> (String, usize) {
    let f = &files[span.file.0 as usize];
    let line = f.text[..span.start as usize].matches('\n').count() + 1;
    (f.path.to_string_lossy().into_owned(), line)
}

#[test]
fn for_each_over_a_set_follows_instances_by_key() {
    let (_, facts) = scan(&[(
        "main.tf",
        r#"
locals { sites = toset(["gate", "dock"]) }
resource "netbox_manufacturer" "hik" { name = "Hikvision" }
resource "netbox_manufacturer" "axis" { name = "Axis" }
resource "netbox_device_type" "t" {
  for_each        = { gate = netbox_manufacturer.hik.id, dock = netbox_manufacturer.axis.id }
  model           = "cam-${each.key}"
  manufacturer_id = each.value
}
resource "netbox_device" "cam" {
  for_each       = local.sites
  name           = "${each.value}-cam"
  device_type_id = netbox_device_type.t[each.key].id
}
resource "netbox_device_interface" "eth" {
  for_each  = local.sites
  device_id = netbox_device.cam[each.key].id
  mac_address = each.key == "gate" ? "44:19:b6:00:00:01" : "00:40:8c:00:00:02"
}
"#,
    )]);
    assert_eq!(facts.devices.len(), 2);
    let gate = device(&facts, r#"netbox_device.cam["gate"]"#);
    assert_eq!(values(gate, Signal::Manufacturer), ["Hikvision"]);
    assert_eq!(values(gate, Signal::Model), ["cam-gate"]);
    assert_eq!(values(gate, Signal::Mac), ["44:19:b6:00:00:01"]);
    let dock = device(&facts, r#"netbox_device.cam["dock"]"#);
    assert_eq!(values(dock, Signal::Manufacturer), ["Axis"]);
    assert_eq!(values(dock, Signal::Mac), ["00:40:8c:00:00:02"]);
}

#[test]
fn unknown_count_is_one_doubtful_device() {
    let (_, facts) = scan(&[(
        "main.tf",
        r#"
variable "n" {}
resource "unifi_user" "cam" {
  count = var.n
  name  = "cam-${count.index}"
  mac   = "44:19:b6:00:00:01"
}
"#,
    )]);
    let d = device(&facts, "unifi_user.cam");
    assert!(
        d.unknowns[0].1.contains("count = var.n"),
        "{:?}",
        d.unknowns
    );
    assert!(d.unknowns.iter().any(|u| u.1.contains("name")));
}

#[test]
fn instance_limit_is_a_note() {
    let (_, facts) = scan(&[(
        "main.tf",
        r#"resource "unifi_user" "cam" {
  count = 10001
  mac   = "44:19:b6:00:00:01"
}"#,
    )]);
    assert_eq!(facts.devices.len(), 10_000);
    assert!(
        facts
            .diagnostics
            .iter()
            .any(|d| d.rule == module::EVALUATION_LIMIT)
    );
}

#[test]
fn dynamic_blocks_and_data_source_attributes() {
    let (files, facts) = scan(&[(
        "main.tf",
        r#"
data "netbox_manufacturer" "dahua" {
  name = "Dahua"
}
resource "netbox_device_type" "t" {
  model           = "IPC-HDW1230T1"
  manufacturer_id = data.netbox_manufacturer.dahua.id
}
resource "netbox_device" "cam" {
  name           = data.netbox_manufacturer.dahua.slug
  device_type_id = netbox_device_type.t.id
}
"#,
    )]);
    let d = device(&facts, "netbox_device.cam");
    assert_eq!(values(d, Signal::Manufacturer), ["Dahua"]);
    let ev = d.facts_of(Signal::Manufacturer).next().unwrap();
    assert_eq!(line_of(&files, ev.span).1, 3);
    // An attribute a data source returns is unknown, not an error.
    assert!(
        d.unknowns.iter().any(|u| u
            .1
            .contains("data.netbox_manufacturer.dahua.slug is known only after apply")),
        "{:?}",
        d.unknowns
    );
}

#[test]
fn module_outputs_and_parent_paths_follow_the_chain() {
    let (files, facts) = scan(&[
        (
            "live/main.tf",
            r#"
module "types" {
  source = "../shared/types"
}
module "cam" {
  count   = 2
  source  = "../shared/cam"
  type_id = module.types.ids[count.index]
  mac     = ["44:19:b6:00:00:01", "00:40:8c:00:00:02"][count.index]
}
"#,
        ),
        (
            "shared/types/main.tf",
            r#"
resource "netbox_manufacturer" "hik" { name = "Hikvision" }
resource "netbox_device_type" "dome" {
  model           = "DS-2CD2143G2-I"
  manufacturer_id = netbox_manufacturer.hik.id
}
resource "netbox_device_type" "plain" { model = "generic" }
output "ids" { value = [netbox_device_type.dome.id, netbox_device_type.plain.id] }
"#,
        ),
        (
            "shared/cam/main.tf",
            r#"
variable "type_id" {}
variable "mac" {}
resource "netbox_device" "this" { device_type_id = var.type_id }
resource "netbox_device_interface" "eth0" {
  device_id   = netbox_device.this.id
  mac_address = var.mac
}
"#,
        ),
    ]);
    // shared/* are only modules: two devices, not three.
    assert_eq!(facts.devices.len(), 2, "{:?}", facts.devices);
    let d = device(&facts, "module.cam[0].netbox_device.this");
    assert_eq!(values(d, Signal::Manufacturer), ["Hikvision"]);
    assert_eq!(line_of(&files, d.span), ("live/main.tf".into(), 5));
    let mac = d.facts_of(Signal::Mac).next().unwrap();
    assert_eq!(line_of(&files, mac.span).0, "live/main.tf");
    assert_eq!(d.trail[0].1, "module.cam[0] instantiated here");
    assert_eq!(
        d.trail[1].1,
        "netbox_device.this declared in shared/cam/main.tf"
    );
    let other = device(&facts, "module.cam[1].netbox_device.this");
    assert_eq!(values(other, Signal::Model), ["generic"]);
}

#[test]
fn module_cycles_and_depth_are_notes() {
    let (_, facts) = scan(&[
        ("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n"),
        (
            "b/main.tf",
            "module \"a\" {\n  source = \"../a\"\n}\nresource \"unifi_user\" \"x\" { mac = \"44:19:b6:00:00:01\" }\n",
        ),
    ]);
    assert!(
        facts
            .diagnostics
            .iter()
            .any(|d| d.rule == module::MODULE_NOT_EVALUATED && d.message.contains("cycle")),
        "{:?}",
        facts.diagnostics
    );
    assert!(!facts.devices.is_empty());

    let (_, facts) = scan(&[("deep/main.tf", "module \"me\" {\n  source = \"./\"\n}\n")]);
    assert!(
        facts
            .diagnostics
            .iter()
            .any(|d| d.rule == module::MODULE_NOT_EVALUATED),
        "{:?}",
        facts.diagnostics
    );
}

#[test]
fn state_json_follows_ids_by_role() {
    let state = r#"{
  "format_version": "1.0",
  "terraform_version": "1.9.5",
  "values": {
    "root_module": {
      "resources": [
        { "address": "netbox_manufacturer.m", "mode": "managed", "type": "netbox_manufacturer", "name": "m",
          "values": { "id": "3", "name": "Dahua" } },
        { "address": "netbox_device_role.r", "mode": "managed", "type": "netbox_device_role", "name": "r",
          "values": { "id": "7", "name": "Switch" } },
        { "address": "netbox_device_type.t", "mode": "managed", "type": "netbox_device_type", "name": "t",
          "values": { "id": "7", "model": "IPC-HDW1230T1", "manufacturer_id": 3 } },
        { "address": "netbox_device.cam", "mode": "managed", "type": "netbox_device", "name": "cam",
          "values": { "id": "12", "name": "yard", "device_type_id": 7, "role_id": 7 } }
      ]
    }
  }
}"#;
    let (files, facts) = scan(&[("state.json", state)]);
    let d = device(&facts, "netbox_device.cam");
    assert_eq!(values(d, Signal::Manufacturer), ["Dahua"]);
    assert_eq!(values(d, Signal::Model), ["IPC-HDW1230T1"]);
    assert_eq!(values(d, Signal::Role), ["Switch"]);
    assert_eq!(line_of(&files, d.span), ("state.json".into(), 13));

    let (_, facts) = scan(&[(
        "plan.json",
        "{\"format_version\": \"1.2\", \"terraform_version\": ",
    )]);
    assert_eq!(facts.diagnostics.len(), 1);
    assert_eq!(facts.diagnostics[0].rule, "parse-error");
}

#[test]
fn ids_are_followed_alike_with_and_without_the_shortcut() {
    // `TYPE.NAME.id` is answered without evaluating the resource only in
    // modules with no calls and no `dynamic` blocks; an unrelated dynamic
    // block sends the same chain down the full walk. Both must agree.
    let chain = r#"
resource "netbox_manufacturer" "m" {
  name = "Hikvision"
}
resource "netbox_device_type" "t" {
  model           = "DS-2CD2143G2-I"
  manufacturer_id = netbox_manufacturer.m.id
}
resource "netbox_device" "cam" {
  name           = "lobby-cam"
  device_type_id = netbox_device_type.t.id
}
resource "netbox_device_interface" "eth0" {
  name      = "eth0"
  device_id = netbox_device.cam.id
}
resource "netbox_ip_address" "ip" {
  ip_address          = "10.0.0.5/24"
  device_interface_id = netbox_device_interface.eth0.id
}
resource "netbox_prefix" "ops" {
  prefix = "10.0.0.0/24"
}
"#;
    let walked = format!(
        "{chain}\nresource \"netbox_tag\" \"x\" {{\n  dynamic \"label\" {{\n    for_each = []\n    content {{}}\n  }}\n}}\n"
    );
    let (_, quick) = scan(&[("main.tf", chain)]);
    let (_, slow) = scan(&[("main.tf", &walked)]);
    let summary = |facts: &Facts| {
        let d = device(facts, "netbox_device.cam");
        let mut facts: Vec<(Signal, String)> = d
            .facts
            .iter()
            .map(|f| (f.signal, f.value.clone()))
            .collect();
        facts.sort_by(|a, b| a.1.cmp(&b.1));
        (facts, d.links.len(), d.unknowns.clone())
    };
    let (facts, links, unknowns) = summary(&quick);
    assert_eq!((facts.clone(), links, unknowns.clone()), summary(&slow));
    assert!(
        facts
            .iter()
            .any(|(s, v)| *s == Signal::Manufacturer && v == "Hikvision"),
        "{facts:?}"
    );
    assert!(
        facts
            .iter()
            .any(|(s, v)| *s == Signal::Address && v.starts_with("10.0.0.5")),
        "{facts:?}"
    );
}
