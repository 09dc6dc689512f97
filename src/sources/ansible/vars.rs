//! Which Ansible variables and modules say something camlint cares about.
//!
//! Data, not logic: the shared field table (`sources::fields`) names the
//! generic device fields (`vendor`, `mac`, `model`…); this file adds the
//! names only Ansible uses, and the network modules whose tasks describe
//! VLANs and switch ports. Adding a synonym or a module is a one-line
//! change here.

use crate::model::Signal;
use crate::sources::fields;

/// Ansible-only variable names that carry a device signal, on top of
/// [`fields::DEVICE_FIELDS`].
pub const ANSIBLE_FACT_VARS: &[(&str, Signal)] = &[
    // the pre-2.0 spelling of ansible_host
    ("ansible_ssh_host", Signal::Address),
    ("ansible_net_model", Signal::Model),
    ("ansible_net_serialnum", Signal::ConfigValue),
];

/// The device signal a variable carries, if any. Names compare as
/// [`fields::normalise`] folds them, without allocating: this runs for
/// every variable of every host.
pub fn fact_signal(var: &str) -> Option<Signal> {
    let var = var.trim();
    let same = |k: &str| {
        k.len() == var.len()
            && k.bytes().zip(var.bytes()).all(|(a, b)| {
                let b = match b {
                    b'-' | b' ' | b'.' => b'_',
                    b => b.to_ascii_lowercase(),
                };
                a == b
            })
    };
    ANSIBLE_FACT_VARS
        .iter()
        .chain(fields::DEVICE_FIELDS)
        .find(|(k, _)| same(k))
        .map(|(_, s)| *s)
}

/// What a network resource module's `config` entries describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleKind {
    /// VLAN definitions: `vlan_id` + `name`.
    Vlans,
    /// Interfaces: `name` + `description`.
    Interfaces,
    /// Layer-2 interface settings: `name` + `access.vlan`.
    L2Interfaces,
    /// `*_config` modules: raw CLI `lines` under `parents`.
    ConfigLines,
}

/// Network resource modules, by short name. The collection prefix
/// (`cisco.ios.`, `arista.eos.`, `junipernetworks.junos.`,
/// `cisco.nxos.`) is optional in tasks and stripped before lookup.
pub const NETWORK_MODULES: &[(&str, ModuleKind)] = &[
    ("ios_vlans", ModuleKind::Vlans),
    ("ios_interfaces", ModuleKind::Interfaces),
    ("ios_l2_interfaces", ModuleKind::L2Interfaces),
    ("nxos_vlans", ModuleKind::Vlans),
    ("nxos_interfaces", ModuleKind::Interfaces),
    ("nxos_l2_interfaces", ModuleKind::L2Interfaces),
    ("eos_vlans", ModuleKind::Vlans),
    ("eos_interfaces", ModuleKind::Interfaces),
    ("eos_l2_interfaces", ModuleKind::L2Interfaces),
    ("junos_vlans", ModuleKind::Vlans),
    ("junos_interfaces", ModuleKind::Interfaces),
    ("junos_l2_interfaces", ModuleKind::L2Interfaces),
    ("ios_config", ModuleKind::ConfigLines),
    ("nxos_config", ModuleKind::ConfigLines),
    ("eos_config", ModuleKind::ConfigLines),
];

/// Collections whose modules may be named with their prefix.
pub const NETWORK_COLLECTIONS: &[&str] = &[
    "cisco.ios.",
    "cisco.nxos.",
    "arista.eos.",
    "junipernetworks.junos.",
];

/// The kind of a task key naming a network module, if it is one.
pub fn network_module(task_key: &str) -> Option<ModuleKind> {
    let short = NETWORK_COLLECTIONS
        .iter()
        .find_map(|c| task_key.strip_prefix(c))
        .unwrap_or(task_key);
    NETWORK_MODULES
        .iter()
        .find(|(k, _)| *k == short)
        .map(|(_, kind)| *kind)
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

    #[test]
    fn variables_and_modules() {
        assert_eq!(fact_signal("camera_vendor"), Some(Signal::Manufacturer));
        assert_eq!(fact_signal("ansible_ssh_host"), Some(Signal::Address));
        assert_eq!(fact_signal("blocked_vendors"), None);
        assert_eq!(fact_signal("Camera-Vendor"), Some(Signal::Manufacturer));
        assert_eq!(fact_signal("MAC Address"), Some(Signal::Mac));
        // same answer as the shared table for every name in it
        for (k, sig) in fields::DEVICE_FIELDS {
            assert_eq!(fact_signal(k), Some(*sig), "{k}");
        }
        assert_eq!(
            network_module("cisco.ios.ios_vlans"),
            Some(ModuleKind::Vlans)
        );
        assert_eq!(
            network_module("eos_l2_interfaces"),
            Some(ModuleKind::L2Interfaces)
        );
        assert_eq!(
            network_module("junipernetworks.junos.junos_interfaces"),
            Some(ModuleKind::Interfaces)
        );
        assert_eq!(
            network_module("cisco.ios.ios_config"),
            Some(ModuleKind::ConfigLines)
        );
        assert_eq!(network_module("cisco.ios.ios_command"), None);
        assert_eq!(network_module("other.ns.ios_vlans"), None);
    }
}
