//! The `device` and `network` objects rules read, as views over the
//! inventory.
//!
//! A view computes each field of [`super::rules::DEVICE_FIELDS`] /
//! [`super::rules::NETWORK_FIELDS`] from the inventory and the device's
//! identity, borrowing where it can and building list fields only when a
//! rule reads them. The compiled rule expressions (`fast`) read fields
//! straight from views; the hcl-rs objects that other rules, the type
//! checker and the inventory document see are made from the same views
//! ([`DeviceView::to_value`]), so both evaluators see one model.

use std::borrow::Cow;
use std::cell::OnceCell;

use hcl::{Map, Value};

use super::Policy;
use crate::intel::{Evidence, Identity, Maker};
use crate::model::{Device, Signal, SourceKind, format_mac, parse_mac};
use crate::resolve::{Attachment, Inventory, ResolvedNetwork};

/// A field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    Bool(bool),
    Text(Cow<'a, str>),
    List(Cow<'a, [String]>),
    Num(i64),
}

impl Val<'_> {
    pub fn to_hcl(&self) -> Value {
        match self {
            Val::Bool(b) => Value::Bool(*b),
            Val::Text(s) => Value::String(s.to_string()),
            Val::List(items) => Value::Array(items.iter().cloned().map(Value::String).collect()),
            Val::Num(n) => Value::from(*n),
        }
    }
}

/// What every view of one evaluation shares.
pub struct Shared<'a> {
    pub inv: &'a Inventory,
    pub policy: &'a Policy,
    /// Enabled packs restricting each vendor, computed once per run.
    restricted_by: Vec<Vec<String>>,
}

impl<'a> Shared<'a> {
    pub fn new(inv: &'a Inventory, policy: &'a Policy) -> Shared<'a> {
        Shared {
            inv,
            policy,
            restricted_by: (0..policy.vendors.vendors.len())
                .map(|i| policy.restricted_by(i))
                .collect(),
        }
    }
}

/// The `device` object of one device.
pub struct DeviceView<'a> {
    pub index: usize,
    pub device: &'a Device,
    pub identity: &'a Identity,
    shared: &'a Shared<'a>,
    vendor: Cow<'a, str>,
    vendor_name: &'a str,
    maker: Cow<'a, str>,
    maker_name: &'a str,
    relation: &'a str,
    confidence: &'a str,
    restricted_by: &'a [String],
    is_camera: bool,
    on_sensitive_network: bool,
    conflict: Option<&'a (Evidence, Evidence)>,
    macs: OnceCell<Vec<String>>,
    addresses: OnceCell<Vec<String>>,
    networks: OnceCell<Vec<String>>,
    sensitive_networks: OnceCell<Vec<String>>,
    signals: OnceCell<Vec<String>>,
}

impl<'a> DeviceView<'a> {
    pub fn new(
        index: usize,
        device: &'a Device,
        identity: &'a Identity,
        shared: &'a Shared<'a>,
    ) -> DeviceView<'a> {
        let policy = shared.policy;
        let mut view = DeviceView {
            index,
            device,
            identity,
            shared,
            vendor: Cow::Borrowed(""),
            vendor_name: "",
            maker: Cow::Borrowed(""),
            maker_name: "",
            // No maker: no relation to one and no confidence in one; the
            // fields still read as the defaults.
            relation: "maker",
            confidence: "high",
            restricted_by: &[],
            is_camera: false,
            on_sensitive_network: false,
            conflict: super::eval::reportable_conflict(identity, policy),
            macs: OnceCell::new(),
            addresses: OnceCell::new(),
            networks: OnceCell::new(),
            sensitive_networks: OnceCell::new(),
            signals: OnceCell::new(),
        };
        let mut makes_cameras = false;
        match &identity.maker {
            Some(Maker::Known(i)) => {
                let v = policy.vendors.get(*i);
                let g = policy.vendors.get(policy.vendors.group_of(*i));
                // The main line (first kind) of the vendor, else of its
                // group: a Hikvision device of unknown kind is taken for a
                // camera, a Huawei or Hytera one is not.
                makes_cameras = [v, g]
                    .iter()
                    .flatten()
                    .find_map(|x| x.kinds.first())
                    .is_some_and(|k| policy.kinds.is_surveillance(k));
                if let Some(v) = v {
                    view.vendor = Cow::Borrowed(&v.id);
                    view.vendor_name = &v.name;
                    view.relation = v.relation.as_str();
                    view.confidence = v.confidence.as_str();
                }
                if let Some(g) = g {
                    view.maker = Cow::Borrowed(&g.id);
                    view.maker_name = &g.name;
                }
                view.restricted_by = shared.restricted_by.get(*i).map_or(&[], Vec::as_slice);
            }
            Some(Maker::Other(name)) => {
                view.vendor = Cow::Owned(name.to_lowercase());
                view.vendor_name = name;
                view.maker = view.vendor.clone();
                view.maker_name = name;
            }
            None => {}
        }
        view.is_camera = policy.kinds.is_surveillance(&identity.kind)
            || (&*identity.kind == "unknown" && makes_cameras);
        view.on_sensitive_network = shared.inv.attachments_of(index).iter().any(|a| {
            shared
                .inv
                .networks
                .get(a.network)
                .is_some_and(|n| n.sensitive)
        });
        view
    }

    pub fn restricted_by(&self) -> &'a [String] {
        self.restricted_by
    }

    fn network_names(&self, only_sensitive: bool) -> Vec<String> {
        let inv = self.shared.inv;
        inv.attachments_of(self.index)
            .iter()
            .filter_map(|a| inv.networks.get(a.network))
            .filter(|n| !only_sensitive || n.sensitive)
            .map(|n| n.net.name.clone())
            .collect()
    }

    /// One field of the `device` object, `None` for a name that is not one.
    pub fn field(&self, name: &str) -> Option<Val<'_>> {
        let text = |s: &'a str| Some(Val::Text(Cow::Borrowed(s)));
        let id = self.identity;
        let dev = self.device;
        Some(match name {
            "name" => return text(&dev.name),
            "vendor" => Val::Text(Cow::Borrowed(&self.vendor)),
            "vendor_name" => return text(self.vendor_name),
            "maker" => Val::Text(Cow::Borrowed(&self.maker)),
            "maker_name" => return text(self.maker_name),
            "relation" => return text(self.relation),
            "confidence" => return text(self.confidence),
            "restricted" => Val::Bool(!self.restricted_by.is_empty()),
            "restricted_by" => Val::List(Cow::Borrowed(self.restricted_by)),
            "kind" => return text(&id.kind),
            "is_camera" => Val::Bool(self.is_camera),
            "model" => return text(id.model.as_deref().unwrap_or_default()),
            "macs" => Val::List(Cow::Borrowed(self.macs.get_or_init(|| {
                dev.facts_of(Signal::Mac)
                    .map(|f| {
                        parse_mac(&f.value)
                            .map(format_mac)
                            .unwrap_or_else(|| f.value.clone())
                    })
                    .collect()
            }))),
            "addresses" => Val::List(Cow::Borrowed(self.addresses.get_or_init(|| {
                dev.facts_of(Signal::Address)
                    .map(|f| f.value.clone())
                    .collect()
            }))),
            "networks" => Val::List(Cow::Borrowed(
                self.networks.get_or_init(|| self.network_names(false)),
            )),
            "on_sensitive_network" => Val::Bool(self.on_sensitive_network),
            "sensitive_networks" => Val::List(Cow::Borrowed(
                self.sensitive_networks
                    .get_or_init(|| self.network_names(true)),
            )),
            "has_vendor_signal" => Val::Bool(id.has_vendor_signal()),
            "vendor_conflict" => Val::Bool(self.conflict.is_some()),
            "vendor_signal" => {
                return text(id.evidence.first().map(|e| e.signal).unwrap_or_default());
            }
            "conflicting_maker_name" => Val::Text(match self.conflict {
                Some((_, b)) => Cow::Owned(super::eval::maker_label(&b.maker, self.shared.policy)),
                None => Cow::Borrowed(""),
            }),
            "conflicting_signal" => {
                return text(self.conflict.map(|(_, b)| b.signal).unwrap_or_default());
            }
            "unresolved" => Val::Bool(!dev.unknowns.is_empty()),
            "unresolved_reason" => {
                return text(
                    dev.unknowns
                        .first()
                        .map(|(_, why)| why.as_str())
                        .unwrap_or_default(),
                );
            }
            "signals" => Val::List(Cow::Borrowed(self.signals.get_or_init(|| {
                let mut s: Vec<String> = id.evidence.iter().map(|e| e.signal.to_string()).collect();
                s.sort();
                s.dedup();
                s
            }))),
            "source" => {
                return text(
                    self.shared
                        .inv
                        .file(dev.span)
                        .map(|f| f.kind.family())
                        .unwrap_or_default(),
                );
            }
            "file" => Val::Text(Cow::Owned(
                self.shared
                    .inv
                    .file(dev.span)
                    .map(|f| f.display_path())
                    .unwrap_or_default(),
            )),
            _ => return None,
        })
    }

    /// The whole object, as hcl-rs and the inventory document see it.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        for name in DEVICE_OBJECT_ORDER {
            if let Some(v) = self.field(name) {
                m.insert((*name).to_string(), v.to_hcl());
            }
        }
        Value::Object(m)
    }

    /// The object with only the fields `want` accepts, for hcl-rs, which
    /// clones a variable's whole object on every access.
    pub fn to_value_with(&self, want: &dyn Fn(&str) -> bool) -> Value {
        let mut m = Map::new();
        for name in DEVICE_OBJECT_ORDER.iter().filter(|n| want(n)) {
            if let Some(v) = self.field(name) {
                m.insert((*name).to_string(), v.to_hcl());
            }
        }
        Value::Object(m)
    }
}

/// The order of the `device` object's keys (a `for` expression over the
/// object sees them in this order).
const DEVICE_OBJECT_ORDER: &[&str] = &[
    "name",
    "vendor",
    "vendor_name",
    "maker",
    "maker_name",
    "relation",
    "confidence",
    "restricted",
    "restricted_by",
    "kind",
    "is_camera",
    "model",
    "macs",
    "addresses",
    "networks",
    "on_sensitive_network",
    "sensitive_networks",
    "has_vendor_signal",
    "vendor_conflict",
    "vendor_signal",
    "conflicting_maker_name",
    "conflicting_signal",
    "unresolved",
    "unresolved_reason",
    "signals",
    "source",
    "file",
];

/// The `network` object of one attachment (or of a network alone, with
/// an empty `via`).
pub struct NetworkView<'a> {
    pub network: &'a ResolvedNetwork,
    attachment: Option<&'a Attachment>,
    inv: &'a Inventory,
    via: OnceCell<Cow<'a, str>>,
    cidrs: OnceCell<Vec<String>>,
}

impl<'a> NetworkView<'a> {
    /// A network alone: `via` is empty.
    pub fn new(network: &'a ResolvedNetwork, inv: &'a Inventory) -> NetworkView<'a> {
        NetworkView {
            network,
            attachment: None,
            inv,
            via: OnceCell::new(),
            cidrs: OnceCell::new(),
        }
    }

    /// A network as one attachment of a device reaches it.
    pub fn attached(
        network: &'a ResolvedNetwork,
        attachment: &'a Attachment,
        inv: &'a Inventory,
    ) -> NetworkView<'a> {
        NetworkView {
            attachment: Some(attachment),
            ..NetworkView::new(network, inv)
        }
    }

    pub fn field(&self, name: &str) -> Option<Val<'_>> {
        let n = self.network;
        let text = |s: &'a str| Some(Val::Text(Cow::Borrowed(s)));
        let file = self.inv.file(n.net.span);
        Some(match name {
            "name" => return text(&n.net.name),
            "kind" => return text(n.net.kind.as_str()),
            "sensitive" => Val::Bool(n.sensitive),
            "why" => {
                return text(
                    n.why
                        .as_ref()
                        .filter(|_| n.sensitive)
                        .map(|w| w.text.as_str())
                        .unwrap_or_default(),
                );
            }
            "cidrs" => {
                Val::List(Cow::Borrowed(self.cidrs.get_or_init(|| {
                    n.net.cidrs.iter().map(|(c, _)| c.to_string()).collect()
                })))
            }
            "vlan" => Val::Num(n.net.vlan.map(|(v, _)| i64::from(v)).unwrap_or(-1)),
            "via" => Val::Text(Cow::Borrowed(self.via.get_or_init(|| {
                self.attachment
                    .map_or(Cow::Borrowed(""), |a| a.via(self.inv))
            }))),
            "source" => {
                return text(match file {
                    Some(f) if f.kind == SourceKind::Policy => "config",
                    Some(f) => f.kind.family(),
                    None => "",
                });
            }
            "file" => Val::Text(Cow::Owned(
                file.map(|f| f.display_path()).unwrap_or_default(),
            )),
            _ => return None,
        })
    }

    /// The whole object, as hcl-rs and the inventory document see it.
    pub fn to_value(&self) -> Value {
        self.to_value_with(&|_| true)
    }

    pub fn to_value_with(&self, want: &dyn Fn(&str) -> bool) -> Value {
        let mut m = Map::new();
        for name in NETWORK_OBJECT_ORDER.iter().filter(|n| want(n)) {
            if let Some(v) = self.field(name) {
                m.insert((*name).to_string(), v.to_hcl());
            }
        }
        Value::Object(m)
    }
}

const NETWORK_OBJECT_ORDER: &[&str] = &[
    "name",
    "kind",
    "sensitive",
    "why",
    "cidrs",
    "vlan",
    "via",
    "source",
    "file",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::rules::{DEVICE_FIELDS, NETWORK_FIELDS};

    #[test]
    fn object_orders_hold_every_documented_field_once() {
        let mut doc: Vec<&str> = DEVICE_FIELDS.iter().map(|f| f.0).collect();
        let mut ours = DEVICE_OBJECT_ORDER.to_vec();
        doc.sort_unstable();
        ours.sort_unstable();
        assert_eq!(doc, ours);
        let mut doc: Vec<&str> = NETWORK_FIELDS.iter().map(|f| f.0).collect();
        let mut ours = NETWORK_OBJECT_ORDER.to_vec();
        doc.sort_unstable();
        ours.sort_unstable();
        assert_eq!(doc, ours);
    }
}
