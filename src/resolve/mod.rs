//! Joins facts from every file into one inventory.
//!
//! Devices are attached to networks three ways: by the explicit links their
//! source wrote (a Terraform reference, group membership, an access VLAN),
//! by CIDR containment of their addresses (across files and families: a
//! dhcpd reservation inside a NetBox prefix), and by VLAN id among networks
//! declared in the same directory tree. Networks are indexed by prefix and
//! VLAN, so the join costs one hash lookup per prefix length per address,
//! never devices × networks. Sensitivity is decided here too, with reasons.

pub mod sensitivity;

use std::net::IpAddr;
use std::path::Path;

use ipnet::IpNet;
use rayon::prelude::*;

use crate::model::{Device, Diagnostic, Facts, Network, NetworkKind, Signal, SourceFile, Span};
pub use sensitivity::{NetworkDecl, SensitivityWords, Why};

/// A network with its sensitivity decided.
#[derive(Debug, Clone)]
pub struct ResolvedNetwork {
    pub net: Network,
    pub sensitive: bool,
    pub why: Option<Why>,
}

/// A device placed on a network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub device: usize,
    pub network: usize,
    /// How; words for it come from [`Attachment::via`].
    pub how: Via,
    pub span: Span,
}

/// How a device is attached. Kept as data and put into words only for
/// what is reported: a large estate has a few attachments per device and
/// few of them ever reach a report or a rule that reads `network.via`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The source's own tie: that device's link at this index.
    Link(usize),
    /// An address of the device lies in a CIDR of the network.
    Address(IpAddr, u8),
    Subnet(IpNet),
    Vlan(u16),
}

impl Attachment {
    /// "access vlan 110", "address 10.0.1.11 lies in 10.0.1.0/24 (OPS)".
    pub fn via<'a>(&self, inv: &'a Inventory) -> std::borrow::Cow<'a, str> {
        use std::borrow::Cow;
        match self.how {
            Via::Link(i) => Cow::Borrowed(
                inv.devices
                    .get(self.device)
                    .and_then(|d| d.links.get(i))
                    .map_or("", |l| l.via.as_str()),
            ),
            Via::Address(ip, len) => {
                let cidr = IpNet::new(ip, len)
                    .map(|c| c.trunc().to_string())
                    .unwrap_or_default();
                let name = inv
                    .networks
                    .get(self.network)
                    .map_or("", |n| n.net.name.as_str());
                Cow::Owned(format!("address {ip} lies in {cidr} ({name})"))
            }
            Via::Subnet(net) => Cow::Owned(format!("subnet {net}")),
            Via::Vlan(id) => Cow::Owned(format!("VLAN {id}")),
        }
    }
}

/// Everything the scan knows, joined.
#[derive(Debug, Default)]
pub struct Inventory {
    pub files: Vec<SourceFile>,
    pub devices: Vec<Device>,
    pub networks: Vec<ResolvedNetwork>,
    pub attachments: Vec<Attachment>,
    /// Where each device's attachments start in `attachments` (they are
    /// stored device by device), with the end as the last entry.
    pub device_starts: Vec<u32>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Inventory {
    pub fn file(&self, span: Span) -> Option<&SourceFile> {
        self.files.get(span.file.0 as usize)
    }

    /// A device's attachments, as they are stored: one slice of the table.
    pub fn attachments_of(&self, device: usize) -> &[Attachment] {
        let at = |d: usize| self.device_starts.get(d).map(|&i| i as usize);
        let range = match (at(device), at(device + 1)) {
            (Some(start), Some(end)) => start..end,
            _ => 0..0,
        };
        self.attachments.get(range).unwrap_or_default()
    }
}

/// What the resolver needs from the configuration.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    pub words: SensitivityWords,
    pub declared: Vec<NetworkDecl>,
}

/// Builds the inventory from every source's facts.
pub fn resolve(files: Vec<SourceFile>, facts: Facts, opts: &ResolveOptions) -> Inventory {
    let Facts {
        devices,
        mut networks,
        diagnostics,
    } = facts;

    // Declared CIDRs are networks in their own right: a device can sit in
    // one even when no source describes the subnet.
    for d in &opts.declared {
        if !d.cidrs.is_empty() {
            let mut n = Network::new(d.name.clone(), NetworkKind::Declared, d.span);
            n.cidrs = d.cidrs.iter().map(|c| (*c, d.span)).collect();
            networks.push(n);
        }
    }

    let networks = decide_sensitivity(networks, opts);
    let mut inv = Inventory {
        files,
        devices,
        networks,
        diagnostics,
        ..Inventory::default()
    };
    attach(&mut inv);
    inv
}

fn decide_sensitivity(networks: Vec<Network>, opts: &ResolveOptions) -> Vec<ResolvedNetwork> {
    let decls = sensitivity::Declarations::new(&opts.declared);
    // Each network is judged alone (an estate has thousands, each matched
    // against the sensitivity words): in parallel, in order.
    let mut out: Vec<ResolvedNetwork> = networks
        .into_par_iter()
        .map(|net| {
            if net.kind == NetworkKind::Declared {
                let decl = opts.declared.iter().find(|d| d.span == net.span);
                let sensitive = decl.is_some_and(|d| d.sensitive);
                let why = decl.map(|d| Why {
                    text: d.reason.clone().unwrap_or_else(|| {
                        format!("declared in the camlint config as network \"{}\"", d.name)
                    }),
                    span: d.span,
                });
                return ResolvedNetwork {
                    net,
                    sensitive,
                    why,
                };
            }
            if let Some((d, text)) = decls.matching(&net) {
                let text = match &d.reason {
                    Some(r) => format!("{text}: {r}"),
                    None => text,
                };
                return ResolvedNetwork {
                    sensitive: d.sensitive,
                    why: Some(Why { text, span: d.span }),
                    net,
                };
            }
            let why = sensitivity::from_labels_and_name(&net, &opts.words);
            ResolvedNetwork {
                sensitive: why.is_some(),
                why,
                net,
            }
        })
        .collect();

    // Child groups inherit from their parents. A declared `sensitive =
    // false` on the child is not overridden (its `why` is set).
    for _ in 0..32 {
        let mut changed = false;
        for i in 0..out.len() {
            let Some(n) = out.get(i) else { continue };
            if n.sensitive || n.why.is_some() {
                continue;
            }
            let inherited = n.net.parents.iter().find_map(|&p| {
                let parent = out.get(p)?;
                parent.sensitive.then(|| Why {
                    text: format!(
                        "inherits from group {}: {}",
                        parent.net.name,
                        parent
                            .why
                            .as_ref()
                            .map(|w| w.text.as_str())
                            .unwrap_or("sensitive")
                    ),
                    span: parent
                        .why
                        .as_ref()
                        .map(|w| w.span)
                        .unwrap_or(parent.net.span),
                })
            });
            if let (Some(why), Some(n)) = (inherited, out.get_mut(i)) {
                n.sensitive = true;
                n.why = Some(why);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// Networks indexed by CIDR: (prefix length, masked address) → networks.
struct CidrIndex {
    v4_lens: Vec<u8>,
    v6_lens: Vec<u8>,
    map: crate::FastMap<(bool, u8, u128), Vec<usize>>,
}

impl CidrIndex {
    fn new(networks: &[ResolvedNetwork]) -> CidrIndex {
        let mut map: crate::FastMap<(bool, u8, u128), Vec<usize>> = crate::FastMap::default();
        for (i, n) in networks.iter().enumerate() {
            for (cidr, _) in &n.net.cidrs {
                let key = key_of(cidr.network(), cidr.prefix_len());
                let v = map.entry(key).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        let mut v4_lens: Vec<u8> = map.keys().filter(|k| k.0).map(|k| k.1).collect();
        let mut v6_lens: Vec<u8> = map.keys().filter(|k| !k.0).map(|k| k.1).collect();
        // Most specific first.
        v4_lens.sort_unstable_by(|a, b| b.cmp(a));
        v4_lens.dedup();
        v6_lens.sort_unstable_by(|a, b| b.cmp(a));
        v6_lens.dedup();
        CidrIndex {
            v4_lens,
            v6_lens,
            map,
        }
    }

    /// Networks containing `ip`, most specific first, with their CIDR.
    fn containing(&self, ip: IpAddr) -> Vec<(usize, u8)> {
        let lens = if ip.is_ipv4() {
            &self.v4_lens
        } else {
            &self.v6_lens
        };
        let mut out = Vec::new();
        for &len in lens {
            if let Some(v) = self.map.get(&key_of(ip, len)) {
                out.extend(v.iter().map(|&i| (i, len)));
            }
        }
        out
    }
}

fn key_of(ip: IpAddr, len: u8) -> (bool, u8, u128) {
    match ip {
        IpAddr::V4(a) => {
            let bits = u32::from(a);
            let masked = if len == 0 {
                0
            } else {
                bits & (u32::MAX << (32 - u32::from(len.min(32))))
            };
            (true, len, u128::from(masked))
        }
        IpAddr::V6(a) => {
            let bits = u128::from(a);
            let masked = if len == 0 {
                0
            } else {
                bits & (u128::MAX << (128 - u32::from(len.min(128))))
            };
            (false, len, masked)
        }
    }
}

fn attach(inv: &mut Inventory) {
    let cidrs = CidrIndex::new(&inv.networks);
    // VLAN networks by id, for devices that name a VLAN number.
    let mut vlans: crate::FastMap<u16, Vec<usize>> = crate::FastMap::default();
    for (i, n) in inv.networks.iter().enumerate() {
        if let Some((id, _)) = n.net.vlan {
            vlans.entry(id).or_default().push(i);
        }
    }
    let inv_ref: &Inventory = inv;
    // Joined in chunks, each into one vector: a vector per device would
    // cost an allocation and its growth slack for each of them.
    const CHUNK: usize = 512;
    let parts: Vec<(Vec<Attachment>, Vec<u32>)> = inv_ref
        .devices
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut out = Vec::with_capacity(chunk.len() * 2);
            let mut counts = Vec::with_capacity(chunk.len());
            for (i, device) in chunk.iter().enumerate() {
                let before = out.len();
                attachments_of(inv_ref, c * CHUNK + i, device, &cidrs, &vlans, &mut out);
                counts.push((out.len() - before) as u32);
            }
            (out, counts)
        })
        .collect();
    let mut starts = Vec::with_capacity(inv_ref.devices.len() + 1);
    starts.push(0u32);
    let mut at = 0u32;
    let mut joined = Vec::with_capacity(parts.len());
    for (mine, counts) in parts {
        for n in counts {
            at += n;
            starts.push(at);
        }
        joined.push(((), mine));
    }
    let blank = Attachment {
        device: 0,
        network: 0,
        how: Via::Vlan(0),
        span: Span::default(),
    };
    inv.attachments = crate::par::concat(joined, || blank.clone(), |_, _| {});
    inv.device_starts = starts;
}

/// Appends one device's attachments to `out`: its links, then CIDR and
/// VLAN joins of its facts in order, each network once.
fn attachments_of(
    inv: &Inventory,
    d: usize,
    device: &Device,
    cidrs: &CidrIndex,
    vlans: &crate::FastMap<u16, Vec<usize>>,
    out: &mut Vec<Attachment>,
) {
    let start = out.len();
    let mut push = |network: usize, how: Via, span: Span| {
        let mine = out.get(start..).unwrap_or_default();
        if !mine.iter().any(|m| m.network == network) {
            out.push(Attachment {
                device: d,
                network,
                how,
                span,
            });
        }
    };
    for (i, link) in device.links.iter().enumerate() {
        push(link.network, Via::Link(i), link.span);
    }
    for fact in &device.facts {
        match fact.signal {
            Signal::Address => {
                let Some((ip, _)) = crate::model::parse_address(&fact.value) else {
                    continue;
                };
                for (n, len) in cidrs.containing(ip) {
                    if inv.networks.get(n).is_some() {
                        push(n, Via::Address(ip, len), fact.span);
                    }
                }
            }
            Signal::Subnet => {
                let Some(net) = crate::model::parse_cidr(&fact.value) else {
                    continue;
                };
                for (n, _) in cidrs.containing(net.network()) {
                    push(n, Via::Subnet(net), fact.span);
                }
            }
            Signal::Vlan => {
                let Ok(id) = fact.value.trim().parse::<u16>() else {
                    continue;
                };
                let dev_dir = inv
                    .files
                    .get(fact.span.file.0 as usize)
                    .and_then(|f| f.path.parent());
                for &n in vlans.get(&id).into_iter().flatten() {
                    let Some(net) = inv.networks.get(n) else {
                        continue;
                    };
                    let net_dir = inv
                        .files
                        .get(net.net.span.file.0 as usize)
                        .and_then(|f| f.path.parent());
                    if same_tree(dev_dir, net_dir) {
                        push(n, Via::Vlan(id), fact.span);
                    }
                }
            }
            _ => {}
        }
    }
}

/// VLAN ids are local: two files share them only when one's directory
/// contains the other's.
fn same_tree(a: Option<&Path>, b: Option<&Path>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.starts_with(b) || b.starts_with(a),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileId, Label, Link};

    fn span() -> Span {
        Span::new(FileId(0), 0, 1)
    }

    #[test]
    fn cidr_join_crosses_sources_and_prefers_specific() {
        let mut facts = Facts::default();
        let mut wide = Network::new("campus", NetworkKind::Prefix, span());
        wide.cidrs.push(("10.0.0.0/16".parse().unwrap(), span()));
        let mut ops = Network::new("ops", NetworkKind::Prefix, span());
        ops.cidrs.push(("10.0.1.0/24".parse().unwrap(), span()));
        ops.labels.push(Label {
            key: None,
            value: "sensitive".into(),
            span: span(),
        });
        facts.add_network(wide);
        facts.add_network(ops);
        let mut d = Device::new("cam", span());
        d.fact(Signal::Address, "10.0.1.11", span(), "fixed-address");
        facts.devices.push(d);
        let mut far = Device::new("far", span());
        far.fact(Signal::Address, "192.168.1.1", span(), "ip");
        facts.devices.push(far);
        let inv = resolve(Vec::new(), facts, &ResolveOptions::default());
        let nets: Vec<usize> = inv.attachments_of(0).iter().map(|a| a.network).collect();
        assert_eq!(nets, [1, 0]);
        assert!(inv.networks[1].sensitive);
        assert!(!inv.networks[0].sensitive);
        assert_eq!(inv.attachments_of(1).len(), 0);
    }

    #[test]
    fn child_groups_inherit_sensitivity() {
        let mut facts = Facts::default();
        let mut parent = Network::new("secure_sites", NetworkKind::Group, span());
        parent.labels.clear();
        let p = facts.add_network(parent);
        let mut child = Network::new("lobby", NetworkKind::Group, span());
        child.parents.push(p);
        let c = facts.add_network(child);
        let mut d = Device::new("cam", span());
        d.links.push(Link {
            network: c,
            span: span(),
            via: "member of group lobby".into(),
        });
        facts.devices.push(d);
        let inv = resolve(Vec::new(), facts, &ResolveOptions::default());
        assert!(inv.networks[c].sensitive);
        assert!(
            inv.networks[c]
                .why
                .as_ref()
                .unwrap()
                .text
                .contains("inherits from group secure_sites")
        );
    }
}
