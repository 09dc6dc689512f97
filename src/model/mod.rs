//! The inventory model: what every source produces and every rule reads.
//!
//! Sources turn files into [`Facts`]: devices with the raw signals found
//! about them (each with its span), networks with the labels that may make
//! them sensitive, and explicit links between the two. They never decide
//! who made a device or whether a network is sensitive; `intel` and
//! `resolve` do that, so every source is judged by the same rules.

mod source;

pub use source::{FileId, LineCol, LineIndex, SourceFile, SourceKind, Span, display_path};

use std::borrow::Cow;
use std::net::IpAddr;

use ipnet::IpNet;

/// What a signal about a device says. Sources map their own field names to
/// these through data tables; `intel` weighs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Signal {
    /// An explicit manufacturer / vendor / make / brand field.
    Manufacturer,
    /// An explicit model / device type / part number field.
    Model,
    /// A MAC address.
    Mac,
    /// An IP address (with or without prefix length).
    Address,
    /// A VLAN id the device is placed in.
    Vlan,
    /// A subnet (CIDR) the device is placed in.
    Subnet,
    /// A role / device type / function field ("camera", "nvr").
    Role,
    /// The device's own name or hostname.
    Name,
    /// Free text: description, comment, notes.
    Description,
    /// A tag or label.
    Tag,
    /// Some other configuration value worth fingerprinting (URLs, OIDs…).
    ConfigValue,
}

/// One thing a file says about a device, with where it says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub signal: Signal,
    pub value: String,
    pub span: Span,
    /// The attribute or field it came from (`manufacturer_id → name`,
    /// `camera_vendor`, `description`), for explanations. Most are fixed
    /// words, borrowed rather than copied into every fact.
    pub field: Cow<'static, str>,
}

/// How a device is explicitly tied to a network by its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Index into the same [`Facts`]' `networks`.
    pub network: usize,
    /// Where the tie is written (the `network_id` attribute, the host line
    /// under the group header, `switchport access vlan 110`).
    pub span: Span,
    /// Human words for the tie: "group membership", "access vlan 110".
    pub via: String,
}

/// A device as a source sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Stable, human name: `netbox_device.cam1`, `cam01` (inventory host),
    /// `GigabitEthernet1/0/3` on `acc-01`.
    pub name: String,
    /// The declaration: resource block, host line, interface block.
    pub span: Span,
    pub facts: Vec<Fact>,
    pub links: Vec<Link>,
    /// Chain of places that led here (module calls, for example), outermost
    /// first. Empty for most sources.
    pub trail: Vec<(Span, String)>,
    /// True when the source knows some of the device's values could not be
    /// resolved (a Terraform expression with an unknown value, a Jinja
    /// expression). Each such value is listed here with why.
    pub unknowns: Vec<(Span, String)>,
    /// A candidate is only a device if identification finds a maker, a
    /// model or camera words in it: a switch port described "desk 25" is
    /// not worth listing, one described "lobby cam DS-2CD2143" is.
    pub candidate: bool,
    /// The identification that kept a candidate when its file's candidates
    /// were pruned, handed on so evaluation does not make it a second time.
    /// Nothing changes a device's facts after its file is parsed.
    pub identified: Option<Box<crate::intel::Identity>>,
}

impl Device {
    pub fn new(name: impl Into<String>, span: Span) -> Device {
        Device {
            name: name.into(),
            span,
            facts: Vec::new(),
            links: Vec::new(),
            trail: Vec::new(),
            unknowns: Vec::new(),
            candidate: false,
            identified: None,
        }
    }

    pub fn fact(
        &mut self,
        signal: Signal,
        value: impl Into<String>,
        span: Span,
        field: impl Into<Cow<'static, str>>,
    ) {
        let value = value.into();
        if value.trim().is_empty() {
            return;
        }
        self.facts.push(Fact {
            signal,
            value,
            span,
            field: field.into(),
        });
    }

    pub fn facts_of(&self, signal: Signal) -> impl Iterator<Item = &Fact> {
        self.facts.iter().filter(move |f| f.signal == signal)
    }
}

/// A label on a network: a tag (`value` only), a key/value pair (tag map,
/// group var, Kea user-context), with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub key: Option<String>,
    pub value: String,
    pub span: Span,
}

/// What kind of network object this is, for messages and for matching
/// `.camlint.hcl` declarations (`groups`, `vlans`, `cidrs`, `names`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NetworkKind {
    Prefix,
    Vlan,
    Subnet,
    Group,
    Zone,
    Declared,
}

impl NetworkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkKind::Prefix => "prefix",
            NetworkKind::Vlan => "vlan",
            NetworkKind::Subnet => "subnet",
            NetworkKind::Group => "group",
            NetworkKind::Zone => "zone",
            NetworkKind::Declared => "declared",
        }
    }
}

/// A network as a source sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    pub name: String,
    pub kind: NetworkKind,
    pub span: Span,
    /// Where the name is written, when that is narrower than `span`.
    pub name_span: Option<Span>,
    pub cidrs: Vec<(IpNet, Span)>,
    pub vlan: Option<(u16, Span)>,
    pub labels: Vec<Label>,
    /// Indices (into the same `Facts`) of networks this one is nested in:
    /// an Ansible child group's parents. Sensitivity is inherited from them.
    pub parents: Vec<usize>,
}

impl Network {
    pub fn new(name: impl Into<String>, kind: NetworkKind, span: Span) -> Network {
        Network {
            name: name.into(),
            kind,
            span,
            name_span: None,
            cidrs: Vec::new(),
            vlan: None,
            labels: Vec::new(),
            parents: Vec::new(),
        }
    }
}

/// Severity of a finding or diagnostic.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Something wrong with the input itself (a file that does not parse, a
/// suppression without a reason), reported as a finding of `rule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn parse_error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule: "parse-error",
            severity: Severity::Error,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn note(rule: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: Severity::Note,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

/// A `camlint:ignore[RULE] reason="…" until=YYYY-MM-DD` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressionComment {
    /// The whole comment.
    pub span: Span,
    /// 0-based line the comment is on.
    pub line: u32,
    /// True when code precedes the comment on its line (an end-of-line
    /// suppression applies to that line; an own-line one to the next).
    pub trailing: bool,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub until: Option<String>,
}

/// Everything one source unit (a file, or a Terraform module, or an Ansible
/// inventory) contributes.
#[derive(Debug, Default)]
pub struct Facts {
    pub devices: Vec<Device>,
    pub networks: Vec<Network>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Facts {
    pub fn add_network(&mut self, network: Network) -> usize {
        self.networks.push(network);
        self.networks.len() - 1
    }

    /// Joins parts in order, each table sized once: moving an estate's
    /// devices through doubling vectors would leave up to half of the
    /// largest table unused.
    ///
    /// Devices are most of an estate and are moved on every thread: moved
    /// on one, an estate of 90,000 devices (and the page faults of its new
    /// 15 MB table) kept the other core idle for a tenth of the parse stage.
    pub fn concat(parts: Vec<Facts>) -> Facts {
        let mut all = Facts::default();
        all.networks
            .reserve_exact(parts.iter().map(|p| p.networks.len()).sum());
        all.diagnostics
            .reserve_exact(parts.iter().map(|p| p.diagnostics.len()).sum());
        let mut moves = Vec::with_capacity(parts.len());
        for p in parts {
            let base = all.networks.len();
            all.push_networks(p.networks, base);
            all.diagnostics.extend(p.diagnostics);
            moves.push((base, p.devices));
        }
        all.devices = crate::par::concat(
            moves,
            || Device::new(String::new(), Span::default()),
            |&base, d| rebase_links(d, base),
        );
        all
    }

    /// Drops the growth slack of each device's facts and links: they are
    /// built by pushes, a vector grown by one push holds room for four, and
    /// an estate keeps every device to the end of the run.
    pub fn shrink_devices(&mut self) {
        for d in &mut self.devices {
            d.facts.shrink_to_fit();
            d.links.shrink_to_fit();
        }
    }

    /// Appends another unit's facts, re-basing its local network indices.
    pub fn extend(&mut self, other: Facts) {
        let base = self.networks.len();
        self.push_networks(other.networks, base);
        self.devices.extend(other.devices.into_iter().map(|mut d| {
            rebase_links(&mut d, base);
            d
        }));
        self.diagnostics.extend(other.diagnostics);
    }

    /// Appends networks whose parent indices were their own part's, now
    /// counted from `base`.
    fn push_networks(&mut self, networks: Vec<Network>, base: usize) {
        self.networks.extend(networks.into_iter().map(|mut n| {
            for p in &mut n.parents {
                *p += base;
            }
            n
        }));
    }
}

/// A device's links, which named networks of its own part, re-based to a
/// joined table where that part's networks start at `base`.
fn rebase_links(d: &mut Device, base: usize) {
    for l in &mut d.links {
        l.network += base;
    }
}

/// Parses `aa:bb:cc:dd:ee:ff`, `aa-bb-…`, `aabb.ccdd.eeff` (Cisco),
/// `aabbccddeeff`, and `01:aa:bb:…` (DHCP client-identifier with the
/// Ethernet hardware type) into 6 bytes.
pub fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let s = s.trim().trim_matches('"');
    let mut hex = [0u8; 14];
    let mut n = 0;
    for c in s.bytes() {
        match c {
            b':' | b'-' | b'.' => continue,
            c if c.is_ascii_hexdigit() => {
                *hex.get_mut(n)? = c;
                n += 1;
            }
            _ => return None,
        }
    }
    let digits = match n {
        12 => hex.get(..12)?,
        // client-identifier "01" + MAC
        14 if hex.get(..2) == Some(b"01") => hex.get(2..14)?,
        _ => return None,
    };
    let mut out = [0u8; 6];
    for (i, pair) in digits.chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).ok()?;
        *out.get_mut(i)? = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

pub fn format_mac(mac: [u8; 6]) -> String {
    // Written by hand: one is formatted for every MAC of an estate, and
    // the formatting machinery cost more than the rest of the lookup.
    let hex = |n: u8| char::from_digit(u32::from(n), 16).map_or('0', |c| c.to_ascii_uppercase());
    let mut out = String::with_capacity(17);
    for (i, b) in mac.into_iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(hex(b >> 4));
        out.push(hex(b & 0xF));
    }
    out
}

/// Parses `10.0.0.5`, `10.0.0.5/24` (host in a prefix) or an IPv6 address.
/// Returns the address and, if given, the prefix it was declared in.
pub fn parse_address(s: &str) -> Option<(IpAddr, Option<IpNet>)> {
    let s = s.trim().trim_matches('"');
    if let Some((addr, len)) = s.split_once('/') {
        let ip: IpAddr = addr.parse().ok()?;
        let len: u8 = len.parse().ok()?;
        let net = IpNet::new(ip, len).ok()?.trunc();
        Some((ip, Some(net)))
    } else {
        Some((s.parse().ok()?, None))
    }
}

/// Parses a CIDR, normalising host bits away (`10.0.0.5/24` → `10.0.0.0/24`).
pub fn parse_cidr(s: &str) -> Option<IpNet> {
    let s = s.trim().trim_matches('"');
    let net: IpNet = s.parse().ok()?;
    Some(net.trunc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_in_every_notation() {
        let want = [0x44, 0x19, 0xb6, 0x01, 0x02, 0x03];
        for s in [
            "44:19:b6:01:02:03",
            "44-19-B6-01-02-03",
            "4419.b601.0203",
            "4419b6010203",
            "01:44:19:b6:01:02:03",
        ] {
            assert_eq!(parse_mac(s), Some(want), "{s}");
        }
        assert_eq!(parse_mac("44:19:b6"), None);
        assert_eq!(parse_mac("not a mac"), None);
        assert_eq!(format_mac(want), "44:19:B6:01:02:03");
    }

    #[test]
    fn addresses_and_cidrs() {
        let (ip, net) = parse_address("10.0.1.11/24").unwrap();
        assert_eq!(ip.to_string(), "10.0.1.11");
        assert_eq!(net.unwrap().to_string(), "10.0.1.0/24");
        assert_eq!(
            parse_cidr("10.0.1.7/24").unwrap().to_string(),
            "10.0.1.0/24"
        );
        assert!(parse_address("hikvision").is_none());
    }

    /// Part `k` of `n`: `k + 1` devices each linked to its part's networks,
    /// which nest in the part's first.
    fn part(k: usize) -> Facts {
        let span = |i: usize| Span::new(FileId(k as u32), i, i + 1);
        let mut facts = Facts::default();
        for i in 0..2 {
            let mut n = Network::new(format!("net{k}.{i}"), NetworkKind::Group, span(i));
            if i == 1 {
                n.parents.push(0);
            }
            facts.networks.push(n);
        }
        for i in 0..=k {
            let mut d = Device::new(format!("dev{k}.{i}"), span(i));
            d.links.push(Link {
                network: i % 2,
                span: span(i),
                via: "group membership".into(),
            });
            facts.devices.push(d);
        }
        facts
            .diagnostics
            .push(Diagnostic::parse_error(span(0), format!("part {k}")));
        facts
    }

    #[test]
    fn concat_keeps_order_and_rebases_each_parts_network_indices() {
        // Many parts, some empty, so the moves run on several threads.
        let mut parts: Vec<Facts> = (0..200).map(part).collect();
        parts.insert(7, Facts::default());
        let all = Facts::concat(parts);
        assert_eq!(all.devices.len(), (1..=200).sum::<usize>());
        assert_eq!(all.networks.len(), 400);
        assert_eq!(all.diagnostics.len(), 200);
        let mut devices = all.devices.iter();
        for k in 0..200 {
            let net = |i: usize| all.networks.get(i).map(|n| n.name.as_str());
            assert_eq!(net(2 * k), Some(format!("net{k}.0").as_str()));
            assert_eq!(
                all.networks.get(2 * k + 1).map(|n| n.parents.clone()),
                Some(vec![2 * k])
            );
            assert_eq!(
                all.diagnostics.get(k).map(|d| d.message.as_str()),
                Some(format!("part {k}").as_str())
            );
            for i in 0..=k {
                let d = devices.next().unwrap();
                assert_eq!(d.name, format!("dev{k}.{i}"));
                let linked = d.links.first().map(|l| l.network).unwrap();
                assert_eq!(net(linked), Some(format!("net{k}.{}", i % 2).as_str()));
            }
        }
        assert!(devices.next().is_none());
    }
}
