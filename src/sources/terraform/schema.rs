//! What each Terraform resource type means, as data.
//!
//! A row names a resource type, the role its blocks play in the inventory
//! and what each of its attributes says. Supporting a new provider is
//! adding rows here; the builder in `module.rs` never matches on type
//! names. Resource types without a row fall back to the shared field-name
//! table (`sources::fields`): any resource or module call with a MAC, a
//! manufacturer or a model attribute is a device.

use crate::model::{NetworkKind, Signal};

/// The part a resource plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A device of its own (a NetBox device, a UniFi client, a DHCP lease).
    Device,
    /// Describes devices that refer to it (a NetBox device type).
    DeviceType,
    /// A maker that device types refer to.
    Manufacturer,
    /// A device role that devices refer to.
    DeviceRole,
    /// An interface of a device (contributes MACs).
    Interface,
    /// An address of an interface or device (contributes addresses).
    IpAddress,
    /// A network of the given kind.
    Network(NetworkKind),
    /// A tag whose name other resources use.
    Tag,
}

/// What an attribute says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// A device signal.
    Signal(Signal),
    /// The object's name (devices: also a Name signal).
    Name,
    /// A reference to another resource whose role is the given one.
    Ref(Role),
    /// A network's CIDR.
    Cidr,
    /// A network's VLAN id.
    VlanId,
    /// Tags or labels (list of names, or a map).
    Tags,
    /// Free text describing a network.
    NetworkText,
}

pub struct ResourceSchema {
    pub ty: &'static str,
    pub role: Role,
    pub attrs: &'static [(&'static str, Use)],
}

use NetworkKind as NK;
use Role as R;
use Signal as S;
use Use as U;

pub const RESOURCES: &[ResourceSchema] = &[
    // NetBox (e-breuninger/netbox)
    ResourceSchema {
        ty: "netbox_manufacturer",
        role: R::Manufacturer,
        attrs: &[("name", U::Name)],
    },
    ResourceSchema {
        ty: "netbox_device_type",
        role: R::DeviceType,
        attrs: &[
            ("model", U::Signal(S::Model)),
            ("part_number", U::Signal(S::Model)),
            ("manufacturer_id", U::Ref(R::Manufacturer)),
            ("tags", U::Tags),
        ],
    },
    ResourceSchema {
        ty: "netbox_device_role",
        role: R::DeviceRole,
        attrs: &[("name", U::Name)],
    },
    ResourceSchema {
        ty: "netbox_device",
        role: R::Device,
        attrs: &[
            ("name", U::Name),
            ("device_type_id", U::Ref(R::DeviceType)),
            ("role_id", U::Ref(R::DeviceRole)),
            ("device_role_id", U::Ref(R::DeviceRole)),
            ("comments", U::Signal(S::Description)),
            ("description", U::Signal(S::Description)),
            ("tags", U::Tags),
            ("primary_ipv4", U::Signal(S::Address)),
        ],
    },
    ResourceSchema {
        ty: "netbox_device_interface",
        role: R::Interface,
        attrs: &[
            ("device_id", U::Ref(R::Device)),
            ("mac_address", U::Signal(S::Mac)),
            ("description", U::Signal(S::Description)),
        ],
    },
    ResourceSchema {
        ty: "netbox_ip_address",
        role: R::IpAddress,
        attrs: &[
            ("ip_address", U::Signal(S::Address)),
            ("device_interface_id", U::Ref(R::Interface)),
            ("interface_id", U::Ref(R::Interface)),
            ("description", U::Signal(S::Description)),
        ],
    },
    ResourceSchema {
        ty: "netbox_prefix",
        role: R::Network(NK::Prefix),
        attrs: &[
            ("prefix", U::Cidr),
            ("description", U::NetworkText),
            ("tags", U::Tags),
            ("vlan_id", U::Ref(R::Network(NK::Vlan))),
        ],
    },
    ResourceSchema {
        ty: "netbox_vlan",
        role: R::Network(NK::Vlan),
        attrs: &[
            ("name", U::Name),
            ("vid", U::VlanId),
            ("description", U::NetworkText),
            ("tags", U::Tags),
        ],
    },
    ResourceSchema {
        ty: "netbox_tag",
        role: R::Tag,
        attrs: &[("name", U::Name)],
    },
    // UniFi (paultyng/unifi, filipowm/unifi)
    ResourceSchema {
        ty: "unifi_user",
        role: R::Device,
        attrs: &[
            ("name", U::Name),
            ("mac", U::Signal(S::Mac)),
            ("fixed_ip", U::Signal(S::Address)),
            ("note", U::Signal(S::Description)),
            ("network_id", U::Ref(R::Network(NK::Subnet))),
        ],
    },
    ResourceSchema {
        ty: "unifi_client",
        role: R::Device,
        attrs: &[
            ("name", U::Name),
            ("mac", U::Signal(S::Mac)),
            ("fixed_ip", U::Signal(S::Address)),
            ("note", U::Signal(S::Description)),
            ("network_id", U::Ref(R::Network(NK::Subnet))),
        ],
    },
    ResourceSchema {
        ty: "unifi_device",
        role: R::Device,
        attrs: &[("name", U::Name), ("mac", U::Signal(S::Mac))],
    },
    ResourceSchema {
        ty: "unifi_network",
        role: R::Network(NK::Subnet),
        attrs: &[
            ("name", U::Name),
            ("subnet", U::Cidr),
            ("vlan_id", U::VlanId),
            ("purpose", U::NetworkText),
        ],
    },
    // RouterOS (terraform-routeros/routeros)
    ResourceSchema {
        ty: "routeros_ip_dhcp_server_lease",
        role: R::Device,
        attrs: &[
            ("mac_address", U::Signal(S::Mac)),
            ("address", U::Signal(S::Address)),
            ("comment", U::Signal(S::Description)),
            ("client_id", U::Signal(S::Mac)),
        ],
    },
    ResourceSchema {
        ty: "routeros_ip_address",
        role: R::Network(NK::Subnet),
        attrs: &[
            ("address", U::Cidr),
            ("comment", U::NetworkText),
            ("interface", U::Name),
        ],
    },
    ResourceSchema {
        ty: "routeros_interface_vlan",
        role: R::Network(NK::Vlan),
        attrs: &[
            ("name", U::Name),
            ("vlan_id", U::VlanId),
            ("comment", U::NetworkText),
        ],
    },
    ResourceSchema {
        ty: "routeros_ip_pool",
        role: R::Network(NK::Subnet),
        attrs: &[
            ("name", U::Name),
            ("ranges", U::Cidr),
            ("comment", U::NetworkText),
        ],
    },
    // Infoblox (infobloxopen/infoblox)
    ResourceSchema {
        ty: "infoblox_ipv4_network",
        role: R::Network(NK::Subnet),
        attrs: &[
            ("cidr", U::Cidr),
            ("comment", U::NetworkText),
            ("ext_attrs", U::Tags),
        ],
    },
    ResourceSchema {
        ty: "infoblox_ip_allocation",
        role: R::Device,
        attrs: &[
            ("fqdn", U::Name),
            ("ipv4_addr", U::Signal(S::Address)),
            ("mac_addr", U::Signal(S::Mac)),
            ("comment", U::Signal(S::Description)),
            ("ext_attrs", U::Tags),
        ],
    },
    ResourceSchema {
        ty: "infoblox_ipv4_fixed_address",
        role: R::Device,
        attrs: &[
            ("name", U::Name),
            ("ipv4addr", U::Signal(S::Address)),
            ("mac", U::Signal(S::Mac)),
            ("comment", U::Signal(S::Description)),
            ("ext_attrs", U::Tags),
        ],
    },
];

pub fn schema(ty: &str) -> Option<&'static ResourceSchema> {
    RESOURCES.iter().find(|r| r.ty == ty)
}
