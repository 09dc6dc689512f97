//! Turns resource instances into inventory facts through the data table in
//! `schema.rs`, whatever they were read from.
//!
//! Two readers feed it: evaluated HCL (`module.rs`, one item per instance of
//! a resource in every module instance) and `terraform show -json` output
//! (`plan.rs`). Each answers the same few questions through [`View`]: what
//! an attribute's text is and where it is written, which instance an
//! attribute refers to, what tags an attribute holds. The builder follows
//! the NetBox chain device → device type → manufacturer and interface / IP
//! address back to the device through those answers, so both readers get
//! the same devices, networks and links.

use std::borrow::Cow;

use super::concat;
use super::schema::{self, Role, Use};
use crate::model::{Device, Facts, Label, Link, Network, NetworkKind, Signal, Span};
use crate::sources::fields;

/// An attribute read as one scalar.
pub enum Read {
    /// Its text and where that text is written.
    Known(String, Span),
    /// It has a value that is not known in the scan: where the expression
    /// is and why.
    Unknown(Span, String),
    /// Not written, or not a scalar (a list is not a claim about one device).
    Absent,
}

/// A list of resource instances, as the builder sees them.
pub trait View {
    fn count(&self) -> usize;
    fn ty(&self, i: usize) -> &str;
    fn is_data(&self, i: usize) -> bool;
    /// Full address: `module.cams["lobby"].unifi_user.cam`.
    fn address(&self, i: usize) -> &str;
    /// Where a device is reported (the resource block, or the outermost
    /// module call that instantiated it).
    fn decl(&self, i: usize) -> Span;
    /// Related places for a device: module calls, the resource itself.
    fn trail(&self, i: usize) -> Vec<(Span, String)>;
    /// Reasons the instance itself is uncertain (an unknown `count`).
    fn doubts(&self, i: usize) -> Vec<(Span, String)>;
    fn attr_names(&self, i: usize) -> Vec<String>;
    /// Types of nested blocks (`dynamic` ones by their label).
    fn block_names(&self, i: usize) -> Vec<String>;
    fn text(&self, i: usize, attr: &str) -> Read;
    /// Strings of a scalar or list attribute, with spans (CIDRs).
    fn strings(&self, i: usize, attr: &str) -> Vec<(String, Span)>;
    /// Tags as (key, value, span): a list gives bare tags, a map pairs.
    fn tags(&self, i: usize, attr: &str) -> Vec<(Option<String>, String, Span)>;
    /// Where the attribute is written.
    fn attr_span(&self, i: usize, attr: &str) -> Option<Span>;
    /// The instance the attribute refers to (`device_type_id =
    /// netbox_device_type.t["x"].id` → that instance).
    fn referent(&self, i: usize, attr: &str) -> Option<usize>;
}

/// Facts with, for each device and network, the view item it came from.
#[derive(Default)]
pub struct Built {
    pub facts: Facts,
    pub device_items: Vec<usize>,
    pub network_items: Vec<usize>,
}

/// Signals that can name a maker: an unknown one may hide the vendor.
fn names_vendor(signal: Signal) -> bool {
    matches!(
        signal,
        Signal::Manufacturer | Signal::Model | Signal::Mac | Signal::Role
    )
}

/// What each view item became (a device, a network), by item index.
type ItemMap = Vec<Option<usize>>;

fn lookup(map: &ItemMap, i: usize) -> Option<usize> {
    map.get(i).copied().flatten()
}

fn record(map: &mut ItemMap, i: usize, value: usize) {
    if let Some(slot) = map.get_mut(i) {
        *slot = Some(value);
    }
}

pub fn build(view: &dyn View) -> Built {
    let mut out = Built::default();
    let mut device_of: ItemMap = vec![None; view.count()];
    let mut network_of: ItemMap = vec![None; view.count()];

    // Networks first, so devices can link to them.
    for i in 0..view.count() {
        let role = schema::schema(view.ty(i)).map(|s| s.role);
        let kind = match role {
            Some(Role::Network(kind)) => Some(kind),
            None if looks_like_network(view, i) => Some(NetworkKind::Subnet),
            _ => None,
        };
        if let Some(kind) = kind {
            let n = network(view, i, kind);
            let at = out.facts.add_network(n);
            record(&mut network_of, i, at);
            out.network_items.push(i);
        }
    }
    for i in 0..view.count() {
        if view.is_data(i) {
            continue;
        }
        let is_device = match schema::schema(view.ty(i)) {
            Some(s) => s.role == Role::Device,
            None => lookup(&network_of, i).is_none() && looks_like_device(view, i),
        };
        if is_device {
            let d = device(view, i, &network_of);
            record(&mut device_of, i, out.facts.devices.len());
            out.facts.devices.push(d);
            out.device_items.push(i);
        }
    }
    // Interfaces and addresses contribute to the device they belong to.
    for i in 0..view.count() {
        let Some(s) = schema::schema(view.ty(i)) else {
            continue;
        };
        if !matches!(s.role, Role::Interface | Role::IpAddress) {
            continue;
        }
        let Some(dev) = owner_device(view, i, &device_of, 0) else {
            continue;
        };
        let Some(device) = out.facts.devices.get_mut(dev) else {
            continue;
        };
        let mut vendorish = Vec::new();
        for (attr, u) in s.attrs {
            if let Use::Signal(signal) = u {
                add_fact(view, device, &mut vendorish, i, attr, *signal);
            }
        }
        device.unknowns.splice(0..0, vendorish);
    }
    out
}

/// The device an interface or IP address belongs to, following
/// interface → device references.
fn owner_device(view: &dyn View, i: usize, device_of: &ItemMap, depth: u32) -> Option<usize> {
    if depth > 4 {
        return None;
    }
    let s = schema::schema(view.ty(i))?;
    for (attr, u) in s.attrs {
        let Use::Ref(role) = u else { continue };
        let Some(target) = view.referent(i, attr) else {
            continue;
        };
        match role {
            Role::Device => return lookup(device_of, target),
            Role::Interface => return owner_device(view, target, device_of, depth + 1),
            _ => {}
        }
    }
    None
}

/// Records a scalar attribute as a fact, or why it is unknown; unknowns
/// that may hide the vendor go to `vendorish` so they are listed first.
fn add_fact(
    view: &dyn View,
    device: &mut Device,
    vendorish: &mut Vec<(Span, String)>,
    i: usize,
    attr: &str,
    signal: Signal,
) {
    match view.text(i, attr) {
        Read::Known(value, span) => {
            device.fact(signal, value, span, concat(&[view.address(i), ".", attr]))
        }
        Read::Unknown(span, why) => {
            if names_vendor(signal) {
                vendorish.push((span, why));
            } else {
                device.unknowns.push((span, why));
            }
        }
        Read::Absent => {}
    }
}

fn device(view: &dyn View, i: usize, networks: &ItemMap) -> Device {
    let address = view.address(i);
    let mut d = Device::new(address.to_string(), view.decl(i));
    d.trail = view.trail(i);
    let mut vendorish = view.doubts(i);
    for (attr, u) in uses(view, i) {
        let attr = attr.as_ref();
        match u {
            Use::Signal(signal) => add_fact(view, &mut d, &mut vendorish, i, attr, signal),
            Use::Name => add_fact(view, &mut d, &mut vendorish, i, attr, Signal::Name),
            Use::Tags => {
                for (key, value, span) in view.tags(i, attr) {
                    let text = match key {
                        Some(k) => format!("{k}={value}"),
                        None => value,
                    };
                    d.fact(Signal::Tag, text, span, concat(&[address, ".", attr]));
                }
            }
            Use::VlanId => add_fact(view, &mut d, &mut vendorish, i, attr, Signal::Vlan),
            Use::Cidr => add_fact(view, &mut d, &mut vendorish, i, attr, Signal::Subnet),
            Use::NetworkText => {
                add_fact(view, &mut d, &mut vendorish, i, attr, Signal::Description)
            }
            Use::Ref(role) => follow(view, &mut d, &mut vendorish, i, attr, role, networks),
        }
    }
    d.unknowns.splice(0..0, vendorish);
    d
}

/// Pulls facts from a referenced resource: a device type's model and
/// manufacturer, a role's name, a network link. A reference that cannot
/// be followed because its value is unknown (a literal id from a variable)
/// is itself an unknown of the device.
fn follow(
    view: &dyn View,
    d: &mut Device,
    vendorish: &mut Vec<(Span, String)>,
    i: usize,
    attr: &str,
    role: Role,
    networks: &ItemMap,
) {
    let Some(target) = view.referent(i, attr) else {
        if matches!(role, Role::DeviceType | Role::Manufacturer)
            && let Read::Unknown(span, why) = view.text(i, attr)
        {
            vendorish.push((span, why));
        }
        return;
    };
    let via = concat(&[view.address(i), ".", attr, " → ", view.address(target)]);
    let record = |d: &mut Device,
                  vendorish: &mut Vec<(Span, String)>,
                  signal: Signal,
                  read: Read,
                  field: String| match read {
        Read::Known(v, span) => d.fact(signal, v, span, field),
        Read::Unknown(span, why) => vendorish.push((span, why)),
        Read::Absent => {}
    };
    match role {
        Role::DeviceType => {
            let Some(s) = schema::schema(view.ty(target)) else {
                return;
            };
            for (ta, tu) in s.attrs {
                match tu {
                    Use::Signal(signal) => record(
                        d,
                        vendorish,
                        *signal,
                        view.text(target, ta),
                        concat(&[&via, ".", ta]),
                    ),
                    Use::Ref(Role::Manufacturer) => match view.referent(target, ta) {
                        Some(m) => record(
                            d,
                            vendorish,
                            Signal::Manufacturer,
                            view.text(m, "name"),
                            concat(&[&via, " → ", view.address(m), ".name"]),
                        ),
                        None => {
                            if let Read::Unknown(span, why) = view.text(target, ta) {
                                vendorish.push((span, why));
                            }
                        }
                    },
                    _ => {}
                }
            }
        }
        Role::Manufacturer => record(
            d,
            vendorish,
            Signal::Manufacturer,
            view.text(target, "name"),
            concat(&[&via, ".name"]),
        ),
        Role::DeviceRole => {
            if let Read::Known(v, span) = view.text(target, "name") {
                d.fact(Signal::Role, v, span, concat(&[&via, ".name"]));
            }
        }
        Role::Network(_) => {
            if let Some(n) = lookup(networks, target) {
                d.links.push(Link {
                    network: n,
                    span: view.attr_span(i, attr).unwrap_or(d.span),
                    via: format!("{attr} = {}", view.address(target)),
                });
            }
        }
        _ => {}
    }
}

/// What each attribute of an item says: its schema row, else the
/// field-name table.
fn uses(view: &dyn View, i: usize) -> Vec<(Cow<'static, str>, Use)> {
    match schema::schema(view.ty(i)) {
        Some(s) => s
            .attrs
            .iter()
            .map(|(a, u)| (Cow::Borrowed(*a), *u))
            .collect(),
        None => generic_uses(view, i)
            .into_iter()
            .map(|(a, u)| (Cow::Owned(a), u))
            .collect(),
    }
}

/// Attribute uses for a resource type without a schema row, from the
/// shared field-name table.
fn generic_uses(view: &dyn View, i: usize) -> Vec<(String, Use)> {
    let mut out = Vec::new();
    for name in view.attr_names(i) {
        let u = if let Some(s) = fields::device_signal(&name) {
            Use::Signal(s)
        } else if fields::is_vlan_field(&name) {
            Use::VlanId
        } else if fields::is_subnet_field(&name) {
            Use::Cidr
        } else if fields::is_tag_field(&name) {
            Use::Tags
        } else {
            continue;
        };
        out.push((name, u));
    }
    // Nested `tag` blocks (written out or `dynamic`) are tags too.
    for name in view.block_names(i) {
        if fields::is_tag_field(&name) && !out.iter().any(|(n, _)| *n == name) {
            out.push((name, Use::Tags));
        }
    }
    out
}

fn looks_like_device(view: &dyn View, i: usize) -> bool {
    view.attr_names(i).iter().any(|a| {
        matches!(
            fields::device_signal(a),
            Some(Signal::Mac | Signal::Manufacturer | Signal::Model)
        )
    })
}

fn looks_like_network(view: &dyn View, i: usize) -> bool {
    !looks_like_device(view, i)
        && view
            .attr_names(i)
            .iter()
            .any(|a| fields::is_subnet_field(a))
}

fn network(view: &dyn View, i: usize, kind: NetworkKind) -> Network {
    let address = view.address(i);
    let mut n = Network::new(address.to_string(), kind, view.decl(i));
    let mut named = false;
    for (attr, u) in uses(view, i) {
        let attr = attr.as_ref();
        match u {
            Use::Name | Use::NetworkText | Use::Signal(Signal::Name) => {
                if let Read::Known(v, span) = view.text(i, attr)
                    && !named
                    && !v.trim().is_empty()
                {
                    n.name = v;
                    n.name_span = Some(span);
                    named = u == Use::Name;
                }
            }
            Use::Cidr => {
                for (c, span) in view.strings(i, attr) {
                    if let Some(net) = crate::model::parse_cidr(&c) {
                        n.cidrs.push((net, span));
                    }
                }
            }
            Use::VlanId => {
                if let Read::Known(v, span) = view.text(i, attr)
                    && let Ok(id) = v.parse::<u16>()
                {
                    n.vlan = Some((id, span));
                }
            }
            Use::Tags => {
                for (key, value, span) in view.tags(i, attr) {
                    n.labels.push(Label { key, value, span });
                }
            }
            _ => {}
        }
    }
    // A network without a name is known by its first CIDR.
    if !named
        && n.name_span.is_none()
        && let Some((c, span)) = n.cidrs.first()
    {
        n.name = format!("{address} ({c})");
        n.name_span = Some(*span);
    }
    n
}
