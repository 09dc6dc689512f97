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
