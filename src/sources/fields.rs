//! Which field names carry which device signal, for every source.
//!
//! Terraform attributes, Ansible variables, CSV headers and JSON keys all
//! name the same few things in many ways (`mac`, `mac_address`,
//! `hardware_address`; `manufacturer`, `vendor`, `make`…). This table is the
//! one place that knows those names, so every source agrees and adding a
//! synonym is a one-line change. Names are compared lower-cased with `-`, ` `
//! and `.` folded to `_`.

use crate::model::Signal;

/// (normalised field name, signal). Exact names only: `vendor_list` is not
/// `vendor`, and a list-valued field is never a claim about one device.
pub const DEVICE_FIELDS: &[(&str, Signal)] = &[
    // who made it
    ("manufacturer", Signal::Manufacturer),
    ("manufacturer_name", Signal::Manufacturer),
    ("vendor", Signal::Manufacturer),
    ("vendor_name", Signal::Manufacturer),
    ("make", Signal::Manufacturer),
    ("brand", Signal::Manufacturer),
    ("maker", Signal::Manufacturer),
    ("oem", Signal::Manufacturer),
    ("camera_vendor", Signal::Manufacturer),
    ("camera_manufacturer", Signal::Manufacturer),
    ("camera_make", Signal::Manufacturer),
    ("camera_brand", Signal::Manufacturer),
    ("device_vendor", Signal::Manufacturer),
    ("device_manufacturer", Signal::Manufacturer),
    ("hw_vendor", Signal::Manufacturer),
    ("hardware_vendor", Signal::Manufacturer),
    // what it is
    ("model", Signal::Model),
    ("model_name", Signal::Model),
    ("model_number", Signal::Model),
    ("part_number", Signal::Model),
    ("device_model", Signal::Model),
    ("camera_model", Signal::Model),
    ("hw_model", Signal::Model),
    ("hardware_model", Signal::Model),
    ("product", Signal::Model),
    ("sku", Signal::Model),
    // its hardware address
    ("mac", Signal::Mac),
    ("mac_address", Signal::Mac),
    ("macaddress", Signal::Mac),
    ("macaddr", Signal::Mac),
    ("hw_address", Signal::Mac),
    ("hwaddr", Signal::Mac),
    ("hardware_address", Signal::Mac),
    ("ethernet_address", Signal::Mac),
    ("camera_mac", Signal::Mac),
    ("device_mac", Signal::Mac),
    ("primary_mac", Signal::Mac),
    // where it lives
    ("ip", Signal::Address),
    ("ip_address", Signal::Address),
    ("ipaddress", Signal::Address),
    ("ipv4", Signal::Address),
    ("ipv4_address", Signal::Address),
    ("ipv6_address", Signal::Address),
    ("fixed_ip", Signal::Address),
    ("fixed_address", Signal::Address),
    ("address", Signal::Address),
    ("primary_ip", Signal::Address),
    ("primary_ipv4", Signal::Address),
    ("primary_ip4", Signal::Address),
    ("mgmt_ip", Signal::Address),
    ("management_ip", Signal::Address),
    ("ansible_host", Signal::Address),
    ("camera_ip", Signal::Address),
    // what role it plays
    ("role", Signal::Role),
    ("device_role", Signal::Role),
    ("device_type", Signal::Role),
    ("device_kind", Signal::Role),
    ("kind", Signal::Role),
    ("category", Signal::Role),
    ("function", Signal::Role),
    // free text
    ("description", Signal::Description),
    ("comment", Signal::Description),
    ("comments", Signal::Description),
    ("notes", Signal::Description),
    ("note", Signal::Description),
    ("note_text", Signal::Description),
    // its name
    ("name", Signal::Name),
    ("hostname", Signal::Name),
    ("display_name", Signal::Name),
];

/// Field names that put a device on a VLAN by number.
pub const VLAN_FIELDS: &[&str] = &[
    "vlan",
    "vlan_id",
    "vlanid",
    "vid",
    "access_vlan",
    "camera_vlan",
];

/// Field names that put a device in a subnet by CIDR.
pub const SUBNET_FIELDS: &[&str] = &["subnet", "cidr", "prefix", "network_cidr", "subnet_cidr"];

/// Field names holding tags or labels.
pub const TAG_FIELDS: &[&str] = &["tags", "labels", "tag", "label"];

pub fn normalise(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' | '.' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The device signal a field carries, if any.
pub fn device_signal(field: &str) -> Option<Signal> {
    let n = normalise(field);
    DEVICE_FIELDS.iter().find(|(k, _)| *k == n).map(|(_, s)| *s)
}

pub fn is_vlan_field(field: &str) -> bool {
    VLAN_FIELDS.contains(&normalise(field).as_str())
}

pub fn is_subnet_field(field: &str) -> bool {
    SUBNET_FIELDS.contains(&normalise(field).as_str())
}

pub fn is_tag_field(field: &str) -> bool {
    TAG_FIELDS.contains(&normalise(field).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_fold_to_one_signal() {
        assert_eq!(device_signal("Manufacturer"), Some(Signal::Manufacturer));
        assert_eq!(device_signal("camera-vendor"), Some(Signal::Manufacturer));
        assert_eq!(device_signal("MAC Address"), Some(Signal::Mac));
        assert_eq!(device_signal("Primary IPv4"), Some(Signal::Address));
        assert_eq!(device_signal("blocked_vendors"), None);
        assert!(is_vlan_field("VLAN ID"));
        assert!(!is_vlan_field("vlan_name"));
    }
}
