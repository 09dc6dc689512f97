//! Cisco IOS / IOS-XE / NX-OS and Arista EOS running-configs.
//!
//! The config is read as an indentation tree (each line a node, its more
//! indented followers its children) after taking out what is not config:
//! `!` comments, the `show running-config` preamble, `end`, and multi-line
//! literals (`banner … ^C … ^C` with any delimiter, EOS `banner … EOF`,
//! `macro name … @`) whose text must never be read as commands. The tree
//! is built without recursion, so deep indentation cannot overflow the
//! stack.
//!
//! From the tree come VLANs (`vlan N` + `name`), the CIDRs of their SVIs
//! (`interface VlanN` + `ip address`), described access ports as
//! *candidate* devices (identification keeps only those whose description
//! names a maker, a model or a camera), static MAC entries and `ip dhcp
//! pool` reservations as devices, and DHCP pool networks as subnets.
//! Trunks, routed ports and port-channel members are never devices: what
//! hangs off them is not one device.

use std::cell::RefCell;

use crate::model::{
    Device, Diagnostic, Facts, Link, Network, NetworkKind, Signal, SourceFile, Span,
};

use super::{cidr_from_mask, line_ranges, parse_vlan_list};
use crate::sources::text::{trim, trim_end, trim_start};

/// One config line that is a command, with where it sits in the tree.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Start of the command text (after the indentation).
    start: usize,
    /// End of the line, without the line break.
    end: usize,
    /// End of the command's first word: most lines are read only by it.
    word_end: usize,
    indent: usize,
    /// Index of the last node of this node's subtree (itself if a leaf).
    last: usize,
}

/// The config as a flat, pre-ordered tree.
struct Tree<'a> {
    text: &'a str,
    nodes: &'a [Node],
}

impl<'a> Tree<'a> {
    /// Top-level nodes.
    fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        let mut i = 0usize;
        std::iter::from_fn(move || {
            let n = self.nodes.get(i)?;
            let here = i;
            i = n.last + 1;
            Some(here)
        })
    }

    fn children(&self, parent: usize) -> impl Iterator<Item = usize> + '_ {
        let last = self.nodes.get(parent).map_or(0, |n| n.last);
        let mut i = parent + 1;
        std::iter::from_fn(move || {
            if i > last {
                return None;
            }
            let n = self.nodes.get(i)?;
            let here = i;
            i = n.last + 1;
            Some(here)
        })
    }

    /// Byte range of a node's whole block: its line to the end of its last
    /// descendant.
    fn block(&self, i: usize) -> (usize, usize) {
        match self.nodes.get(i) {
            Some(n) => {
                let end = self.nodes.get(n.last).map_or(n.end, |l| l.end);
                (n.start, end)
            }
            None => (0, 0),
        }
    }

    fn range(&self, i: usize) -> (usize, usize) {
        self.nodes.get(i).map_or((0, 0), |n| (n.start, n.end))
    }

    /// What `rest_after(text, start, end, 1)` gives for the node's line,
    /// without splitting the line again.
    fn after_first_word(&self, i: usize) -> Option<(usize, usize, &'a str)> {
        let n = self.nodes.get(i)?;
        let slice = self.text.get(n.word_end..n.end)?;
        let trimmed = trim(slice);
        if trimmed.is_empty() {
            return None;
        }
        let s = n.word_end + (slice.len() - trim_start(slice).len());
        Some((s, s + trimmed.len(), trimmed))
    }

    /// The node's first word: what `words` yields first for its line.
    fn first_word(&self, i: usize) -> &'a str {
        self.nodes
            .get(i)
            .and_then(|n| self.text.get(n.start..n.word_end))
            .unwrap_or("")
    }
}

/// Length of the word `s` starts with: up to the first ASCII whitespace,
/// where [`words`] ends a word.
fn word_len(s: &str) -> usize {
    s.bytes()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(s.len())
}

/// Words of `text[start..end]` with their absolute byte ranges.
fn words(text: &str, start: usize, end: usize) -> impl Iterator<Item = (usize, usize, &str)> {
    let slice = text.get(start..end).unwrap_or("");
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let rest = slice.get(pos..)?;
        let skip = rest.len() - trim_start(rest).len();
        let w_start = pos + skip;
        let rest = slice.get(w_start..)?;
        if rest.is_empty() {
            return None;
        }
        let len = rest
            .bytes()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        pos = w_start + len;
        Some((
            start + w_start,
            start + w_start + len,
            rest.get(..len).unwrap_or(""),
        ))
    })
}

/// The first `N` words of a line (missing ones empty), without
/// allocating: most lines are read only by their first few words.
fn first_words<const N: usize>(text: &str, start: usize, end: usize) -> [(usize, usize, &str); N] {
    let mut out = [(end, end, ""); N];
    for (slot, w) in out.iter_mut().zip(words(text, start, end)) {
        *slot = w;
    }
    out
}

/// What remains of a line after its first `n` words, trimmed, with its
/// absolute range; `None` when nothing remains.
fn rest_after(text: &str, start: usize, end: usize, n: usize) -> Option<(usize, usize, &str)> {
    let mut after = start;
    let mut it = words(text, start, end);
    for _ in 0..n {
        after = it.next()?.1;
    }
    let slice = text.get(after..end)?;
    let trimmed = trim(slice);
    if trimmed.is_empty() {
        return None;
    }
    let s = after + (slice.len() - trim_start(slice).len());
    Some((s, s + trimmed.len(), trimmed))
}

/// Lines a `show running-config` capture carries that are not config.
fn is_preamble(line: &str) -> bool {
    line.starts_with("Building configuration")
        || line.starts_with("Current configuration")
        || line.starts_with("Last configuration change")
        || line.starts_with("NVRAM config last updated")
        || line.starts_with("Load for ")
        || line.starts_with("Time source is")
        || line == "end"
        || is_prompt(line)
}

/// `switch#show running-config`, `sw1>sh run`.
fn is_prompt(line: &str) -> bool {
    let Some(i) = memchr::memchr2(b'#', b'>', line.as_bytes()) else {
        return false;
    };
    let (host, cmd) = (line.get(..i).unwrap_or(""), line.get(i + 1..).unwrap_or(""));
    !host.is_empty()
        && !host.contains(char::is_whitespace)
        && (cmd.trim_start().starts_with("sh ") || cmd.trim_start().starts_with("show "))
}

/// Reads the config into a tree, skipping comments and literal blocks.
fn build_tree<'a>(
    file: &'a SourceFile,
    nodes: &'a mut Vec<Node>,
    diags: &mut Vec<Diagnostic>,
) -> Tree<'a> {
    let text: &'a str = &file.text;
    nodes.clear();
    // Open ancestors of the next node, innermost last.
    let mut stack: Vec<usize> = Vec::new();
    // Lines before this offset belong to a literal block already consumed.
    let mut resume = 0usize;
    let lines = line_ranges(text).peekable();
    for (ls, le) in lines {
        if ls < resume {
            continue;
        }
        let raw = text.get(ls..le).unwrap_or("");
        let body = trim_start(raw);
        let indent = raw.len() - body.len();
        let body = trim_end(body);
        if body.is_empty() || body.starts_with('!') {
            continue;
        }
        let start = ls + indent;
        let end = start + body.len();
        if indent == 0 {
            if is_preamble(body) {
                continue;
            }
            if let Some(next) = literal_block_end(file, start, end, diags) {
                resume = next;
                continue;
            }
        }
        let idx = nodes.len();
        while let Some(&top) = stack.last() {
            match nodes.get_mut(top) {
                Some(n) if n.indent >= indent => {
                    // Its subtree ends just before this line.
                    n.last = idx.saturating_sub(1).max(top);
                    stack.pop();
                }
                _ => break,
            }
        }
        nodes.push(Node {
            start,
            end,
            word_end: start + word_len(body),
            indent,
            last: idx,
        });
        stack.push(idx);
    }
    let last = nodes.len().saturating_sub(1);
    for a in stack {
        if let Some(n) = nodes.get_mut(a) {
            n.last = last;
        }
    }
    Tree {
        text,
        nodes: nodes.as_slice(),
    }
}

/// If the line at `start..end` opens a literal block (banner, macro), the
/// offset where config resumes after it.
fn literal_block_end(
    file: &SourceFile,
    start: usize,
    end: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let text: &str = &file.text;
    let mut ws = words(text, start, end);
    let first = ws.next()?.2;
    if first == "macro" && ws.next().map(|w| w.2) == Some("name") {
        return Some(line_after(text, find_line(text, end, |l| l.trim() == "@")?));
    }
    if first != "banner" {
        return None;
    }
    // `banner motd ^C`, `banner ^C` (IOS default is motd), EOS `banner motd`.
    let after_kw = match ws.next() {
        Some((_, e, w)) if w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => e,
        Some((s, _, _)) => s,
        None => end,
    };
    let rest = text.get(after_kw..end).unwrap_or("").trim_start();
    let delim_at = end - rest.len();
    if rest.is_empty() {
        // EOS: the text follows on its own lines, closed by `EOF`.
        return match find_line(text, end, |l| l.trim() == "EOF") {
            Some(eof) => Some(line_after(text, eof)),
            None => {
                diags.push(Diagnostic::parse_error(
                    file.span(start, end),
                    "banner is never closed (expected a line `EOF`)",
                ));
                Some(end)
            }
        };
    }
    let delim = if rest.starts_with("^C") {
        "^C"
    } else {
        rest.get(..rest.chars().next().map_or(1, char::len_utf8))
            .unwrap_or("")
    };
    let search_from = delim_at + delim.len();
    match text.get(search_from..).and_then(|t| t.find(delim)) {
        Some(i) => Some(line_after(text, search_from + i)),
        None => {
            diags.push(Diagnostic::parse_error(
                file.span(start, end),
                format!("banner is never closed (no second `{delim}` delimiter)"),
            ));
            Some(end)
        }
    }
}

/// Offset of the first line starting after `from` that satisfies `pred`.
fn find_line(text: &str, from: usize, pred: impl Fn(&str) -> bool) -> Option<usize> {
    let mut pos = text.get(from..)?.find('\n').map(|i| from + i + 1)?;
    while pos < text.len() {
        let rest = text.get(pos..)?;
        let len = rest.find('\n').unwrap_or(rest.len());
        if pred(rest.get(..len)?) {
            return Some(pos);
        }
        pos += len + 1;
    }
    None
}

/// Start of the line after the one holding `offset`.
fn line_after(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| offset + i + 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PortMode {
    Access,
    /// Trunk, dynamic, tunnel, fabric: anything that is not one device.
    Other,
}

/// What an `interface` block says, before deciding what it is.
#[derive(Debug, Default)]
struct Interface<'a> {
    name: &'a str,
    header: (usize, usize),
    block: (usize, usize),
    description: Option<(usize, usize, &'a str)>,
    access_vlan: Option<(u16, usize, usize)>,
    mode: Option<(PortMode, usize, usize)>,
    trunk_config: bool,
    routed: bool,
    lag_member: bool,
    shutdown: Option<(usize, usize)>,
    addresses: Vec<(ipnet::IpNet, usize, usize)>,
}

struct Builder<'a> {
    file: &'a SourceFile,
    facts: Facts,
    vlans: crate::FastMap<u16, usize>,
}

impl Builder<'_> {
    fn span(&self, r: (usize, usize)) -> Span {
        self.file.span(r.0, r.1)
    }

    /// The network of VLAN `id`, created (named `VLAN id`) at `at` if the
    /// config never declared it.
    fn vlan_network(&mut self, id: u16, at: (usize, usize)) -> usize {
        if let Some(&i) = self.vlans.get(&id) {
            return i;
        }
        let span = self.span(at);
        let mut net = Network::new(["VLAN ", &id.to_string()].concat(), NetworkKind::Vlan, span);
        net.vlan = Some((id, span));
        let i = self.facts.add_network(net);
        self.vlans.insert(id, i);
        i
    }
}

thread_local! {
    /// The tree's node buffer, reused across the files one thread parses:
    /// a fresh large allocation per file costs more than the parse.
    static NODES: RefCell<Vec<Node>> = const { RefCell::new(Vec::new()) };
}

/// Buffers bigger than this are not kept for the next file.
const KEEP_NODES: usize = 1 << 16;

pub(super) fn parse(file: &SourceFile) -> Facts {
    NODES.with(|cell| match cell.try_borrow_mut() {
        Ok(mut nodes) => {
            let facts = parse_into(file, &mut nodes);
            if nodes.capacity() > KEEP_NODES {
                *nodes = Vec::new();
            }
            facts
        }
        Err(_) => parse_into(file, &mut Vec::new()),
    })
}

fn parse_into(file: &SourceFile, nodes: &mut Vec<Node>) -> Facts {
    let mut diags = Vec::new();
    let tree = build_tree(file, nodes, &mut diags);
    let text = tree.text;
    let mut b = Builder {
        file,
        facts: Facts::default(),
        vlans: crate::FastMap::default(),
    };
    b.facts.diagnostics = diags;

    let mut hostname: Option<String> = None;

    // VLAN declarations first, so interfaces find them wherever they are.
    let mut interfaces = 0usize;
    for r in tree.roots() {
        let first = tree.first_word(r);
        if first == "interface" {
            interfaces += 1;
            continue;
        }
        if !matches!(first, "hostname" | "switchname" | "vlan") {
            continue;
        }
        let (s, e) = tree.range(r);
        let mut ws = words(text, s, e).skip(1);
        match first {
            "hostname" | "switchname" if hostname.is_none() => {
                hostname = ws.next().map(|w| w.2.trim_matches('"').to_string());
            }
            "vlan" => match ws.next() {
                Some((_, _, "database")) => {
                    for c in tree.children(r) {
                        if tree.first_word(c) == "vlan" {
                            declare_vlans(&mut b, &tree, c, c);
                        }
                    }
                }
                Some(_) => declare_vlans(&mut b, &tree, r, r),
                None => {}
            },
            _ => {}
        }
    }
    let host = hostname.unwrap_or_default();
    b.facts.devices.reserve(interfaces);

    let mut ports: Vec<(&str, usize)> = Vec::new(); // interface name → device index
    for r in tree.roots() {
        if tree.first_word(r) != "interface" {
            continue;
        }
        let Some(iface) = read_interface(&tree, r) else {
            continue;
        };
        if let Some(id) = svi_vlan(iface.name) {
            let net = b.vlan_network(id, iface.header);
            for &(cidr, cs, ce) in &iface.addresses {
                let span = b.span((cs, ce));
                if let Some(n) = b.facts.networks.get_mut(net) {
                    n.cidrs.push((cidr, span));
                }
            }
            continue;
        }
        if let Some(dev) = access_port_device(&mut b, &host, &iface) {
            ports.push((iface.name, b.facts.devices.len()));
            b.facts.devices.push(dev);
        }
    }

    for r in tree.roots() {
        if !matches!(tree.first_word(r), "mac" | "mac-address-table" | "ip") {
            continue;
        }
        let (s, e) = tree.range(r);
        let [(_, _, w0), (_, _, w1), (_, _, w2)] = first_words::<3>(text, s, e);
        match (w0, w1, w2) {
            ("mac", "address-table", "static") | ("mac-address-table", "static", _) => {
                static_mac(&mut b, &host, &ports, s, e);
            }
            ("ip", "dhcp", "pool") => dhcp_pool(&mut b, &tree, r),
            _ => {}
        }
    }
    b.facts
}

/// `vlan 10,20-22` with an optional ` name X` child (or `vlan 10 name X`
/// on one line, as in `vlan database`).
fn declare_vlans(b: &mut Builder<'_>, tree: &Tree<'_>, node: usize, block_of: usize) {
    let text = tree.text;
    let (s, e) = tree.range(node);
    let ws: Vec<(usize, usize, &str)> = words(text, s, e).collect();
    let Some(&(_, _, list)) = ws.get(1) else {
        return;
    };
    if !list
        .bytes()
        .all(|c| c.is_ascii_digit() || c == b',' || c == b'-')
    {
        return; // `vlan internal allocation policy`, `vlan access-map`…
    }
    let Some(ids) = parse_vlan_list(list) else {
        return;
    };
    let mut name: Option<(usize, usize, String)> = None;
    if ws.get(2).map(|w| w.2) == Some("name")
        && let Some((ns, ne, n)) = rest_after(text, s, e, 3)
    {
        name = Some((ws.get(2).map_or(ns, |w| w.0), ne, n.to_string()));
    }
    for c in tree.children(node) {
        let (cs, _) = tree.range(c);
        if tree.first_word(c) == "name"
            && let Some((_, ne, n)) = tree.after_first_word(c)
        {
            name = Some((cs, ne, n.trim_matches('"').to_string()));
        }
    }
    let block = tree.block(block_of);
    for id in ids {
        let idx = b.vlan_network(id, block);
        let block_span = b.span(block);
        let vlan_span = b.span((s, e));
        let name_span = name.as_ref().map(|(ns, ne, _)| b.span((*ns, *ne)));
        if let Some(net) = b.facts.networks.get_mut(idx) {
            net.vlan = Some((id, vlan_span));
            if let Some((_, _, n)) = &name {
                net.name.clone_from(n);
                net.name_span = name_span;
                net.span = block_span;
            }
        }
    }
}

/// `Vlan110`, `vlan 110` → 110.
fn svi_vlan(name: &str) -> Option<u16> {
    let lower = name.to_ascii_lowercase();
    let digits = lower.strip_prefix("vlan")?.trim();
    digits.parse().ok()
}

fn read_interface<'a>(tree: &Tree<'a>, node: usize) -> Option<Interface<'a>> {
    let text = tree.text;
    let (s, e) = tree.range(node);
    let (_, _, name) = tree.after_first_word(node)?;
    let mut it = Interface {
        name,
        header: (s, e),
        block: tree.block(node),
        ..Interface::default()
    };
    for c in tree.children(node) {
        let (cs, ce) = tree.range(c);
        // Most children are told apart by their first word alone.
        match tree.first_word(c) {
            "description" => {
                if let Some((_, _, d)) = tree.after_first_word(c) {
                    it.description = Some((cs, ce, d));
                }
                continue;
            }
            "channel-group" => {
                it.lag_member = true;
                continue;
            }
            "switchport" | "no" | "shutdown" | "ip" | "ipv6" => {}
            _ => continue,
        }
        let ws = first_words::<4>(text, cs, ce);
        let w = |i: usize| ws.get(i).map_or("", |x| x.2);
        match (w(0), w(1), w(2)) {
            ("switchport", "access", "vlan") => {
                if let Ok(id) = w(3).parse::<u16>() {
                    it.access_vlan = Some((id, cs, ce));
                }
            }
            ("switchport", "mode", m) => {
                let mode = if m == "access" {
                    PortMode::Access
                } else {
                    PortMode::Other
                };
                it.mode = Some((mode, cs, ce));
            }
            ("switchport", "trunk", _) => it.trunk_config = true,
            ("no", "switchport", "") => it.routed = true,
            ("shutdown", "", _) => it.shutdown = Some((cs, ce)),
            ("ip" | "ipv6", "address", a) => {
                let cidr = if a.contains('/') {
                    crate::model::parse_cidr(a)
                } else {
                    cidr_from_mask(a, w(3))
                };
                if let Some(cidr) = cidr {
                    it.addresses.push((cidr, cs, ce));
                }
            }
            _ => {}
        }
    }
    Some(it)
}

/// A described access port as a candidate device on its access VLAN.
fn access_port_device(b: &mut Builder<'_>, host: &str, iface: &Interface<'_>) -> Option<Device> {
    if iface.routed || iface.lag_member {
        return None;
    }
    let (desc_s, desc_e, desc) = iface.description.as_ref()?;
    let (vlan, link_at, via) = match (iface.mode, iface.access_vlan) {
        (Some((PortMode::Other, _, _)), _) => return None,
        (Some((PortMode::Access, ..)), Some((id, s, e))) | (None, Some((id, s, e))) => {
            if iface.mode.is_none() && iface.trunk_config {
                return None;
            }
            (id, (s, e), ["access vlan ", &id.to_string()].concat())
        }
        (Some((PortMode::Access, s, e)), None) => {
            (1, (s, e), "access vlan 1 (default)".to_string())
        }
        (None, None) => return None,
    };
    let name = if host.is_empty() {
        iface.name.to_string()
    } else {
        [host, " ", iface.name].concat()
    };
    let mut dev = Device::new(name, b.span(iface.block));
    // Most ports carry one fact and one link; exact capacity halves the
    // memory of an estate with thousands of described ports.
    dev.facts
        .reserve_exact(1 + usize::from(iface.shutdown.is_some()));
    dev.links.reserve_exact(1);
    dev.candidate = true;
    dev.fact(
        Signal::Description,
        *desc,
        b.span((*desc_s, *desc_e)),
        "description",
    );
    if let Some(sh) = iface.shutdown {
        dev.fact(Signal::ConfigValue, "shutdown", b.span(sh), "shutdown");
    }
    let network = b.vlan_network(vlan, link_at);
    dev.links.push(Link {
        network,
        span: b.span(link_at),
        via,
    });
    Some(dev)
}

/// `GigabitEthernet1/0/3` and `Gi1/0/3` (or NX-OS `ethernet 1/1` and
/// `Ethernet1/1`) are the same port.
fn same_interface(a: &str, b: &str) -> bool {
    fn split(s: &str) -> (String, String) {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let cut = s
            .find(|c: char| !c.is_ascii_alphabetic() && c != '-')
            .unwrap_or(s.len());
        let (p, r) = s.split_at(cut);
        (p.to_string(), r.to_string())
    }
    let (pa, ra) = split(a);
    let (pb, rb) = split(b);
    ra == rb && !pa.is_empty() && !pb.is_empty() && (pa.starts_with(&pb) || pb.starts_with(&pa))
}

/// `mac address-table static 4419.b601.0203 vlan 110 interface Gi1/0/3`.
fn static_mac(b: &mut Builder<'_>, host: &str, ports: &[(&str, usize)], s: usize, e: usize) {
    let text: &str = &b.file.text;
    let ws: Vec<(usize, usize, &str)> = words(text, s, e).collect();
    let Some(at) = ws.iter().position(|w| w.2 == "static") else {
        return;
    };
    let Some(&(ms, me, mac)) = ws.get(at + 1) else {
        return;
    };
    let mut vlan: Option<u16> = None;
    let mut iface: Option<String> = None;
    let mut i = at + 2;
    while let Some(&(_, _, w)) = ws.get(i) {
        match w {
            "vlan" => vlan = ws.get(i + 1).and_then(|v| v.2.parse().ok()),
            "interface" => {
                let first = ws.get(i + 1).map_or("", |v| v.2);
                let second = ws.get(i + 2).map_or("", |v| v.2);
                // NX-OS writes `interface ethernet 1/1`.
                iface = Some(if second.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("{first}{second}")
                } else {
                    first.to_string()
                });
            }
            "drop" => return, // traffic from this MAC is dropped: not attached
            _ => {}
        }
        i += 1;
    }
    let mac_span = b.span((ms, me));
    let line = b.span((s, e));
    let via = match vlan {
        Some(v) => format!("static mac on vlan {v}"),
        None => "static mac".to_string(),
    };
    let network = vlan.map(|v| b.vlan_network(v, (s, e)));
    let described = iface.as_ref().and_then(|name| {
        ports
            .iter()
            .find(|(p, _)| same_interface(p, name))
            .map(|(_, d)| *d)
    });
    if let Some(dev) = described.and_then(|d| b.facts.devices.get_mut(d)) {
        dev.fact(Signal::Mac, mac, mac_span, "mac address-table static");
        dev.candidate = false;
        if let Some(network) = network
            && !dev.links.iter().any(|l| l.network == network)
        {
            dev.links.push(Link {
                network,
                span: line,
                via,
            });
        }
        return;
    }
    let port = iface.unwrap_or_else(|| mac.to_string());
    let name = if host.is_empty() {
        port
    } else {
        [host, " ", &port].concat()
    };
    let mut dev = Device::new(name, line);
    dev.fact(Signal::Mac, mac, mac_span, "mac address-table static");
    if let Some(network) = network {
        dev.links.push(Link {
            network,
            span: line,
            via,
        });
    }
    b.facts.devices.push(dev);
}

/// `ip dhcp pool X`: a manual binding (`host` + `hardware-address` or
/// `client-identifier`) is a device; a `network` makes a subnet.
fn dhcp_pool(b: &mut Builder<'_>, tree: &Tree<'_>, node: usize) {
    let text = tree.text;
    let (s, e) = tree.range(node);
    let Some((ps, pe, pool)) = rest_after(text, s, e, 3) else {
        return;
    };
    let block = b.span(tree.block(node));
    let mut dev = Device::new(pool, block);
    dev.fact(Signal::Name, pool, b.span((ps, pe)), "ip dhcp pool");
    let mut is_binding = false;
    for c in tree.children(node) {
        let (cs, ce) = tree.range(c);
        let ws = first_words::<3>(text, cs, ce);
        let w = |i: usize| ws.get(i).map_or("", |x| x.2);
        let wspan = |i: usize| ws.get(i).map_or((cs, ce), |x| (x.0, x.1));
        let addr = |a: &str, m: &str| -> Option<ipnet::IpNet> {
            if a.contains('/') {
                a.parse::<ipnet::IpNet>().ok()
            } else if m.is_empty() {
                a.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from)
            } else {
                let len = super::mask_len(m)?;
                ipnet::IpNet::new(a.parse().ok()?, len).ok()
            }
        };
        match w(0) {
            "host" => {
                if let Some(net) = addr(w(1), w(2)) {
                    let value = if net.prefix_len() == net.max_prefix_len() {
                        net.addr().to_string()
                    } else {
                        net.to_string()
                    };
                    dev.fact(Signal::Address, value, b.span((cs, ce)), "host");
                    is_binding = true;
                }
            }
            "hardware-address" | "client-identifier" => {
                dev.fact(Signal::Mac, w(1), b.span(wspan(1)), w(0).to_owned());
                is_binding = true;
            }
            "client-name" => dev.fact(Signal::Name, w(1), b.span(wspan(1)), "client-name"),
            "network" => {
                if let Some(net) = addr(w(1), w(2)).map(|n| n.trunc()) {
                    let mut network = Network::new(pool, NetworkKind::Subnet, block);
                    network.name_span = Some(b.span((ps, pe)));
                    network.cidrs.push((net, b.span((cs, ce))));
                    b.facts.add_network(network);
                }
            }
            _ => {}
        }
    }
    if is_binding {
        b.facts.devices.push(dev);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;
    use crate::sources::netconf::test_support::file;

    const SWITCH: &str = "\
Building configuration...

Current configuration : 4242 bytes
!
version 15.2
hostname acc-01
!
banner motd ^C
interface GigabitEthernet9/9
 description not a port, just banner text
 switchport access vlan 110
^C
!
vlan 110
 name SECURE-OPS
!
vlan 120,130-131
!
interface GigabitEthernet1/0/1
 description lobby cam Hikvision DS-2CD2143G2-I
 switchport access vlan 110
 switchport mode access
 spanning-tree portfast
!
interface GigabitEthernet1/0/2
 description uplink to core
 switchport trunk allowed vlan 110,120
 switchport mode trunk
!
interface GigabitEthernet1/0/3
 description door cam
 switchport access vlan 140
!
interface GigabitEthernet1/0/4
 switchport access vlan 110
!
interface Vlan110
 ip address 10.0.110.1 255.255.255.0
!
mac address-table static 4419.b601.0203 vlan 110 interface Gi1/0/1
mac address-table static 4419.b601.0204 vlan 120 interface GigabitEthernet1/0/9
!
ip dhcp pool CAM-LOBBY
 host 10.0.110.20 255.255.255.0
 client-identifier 0144.19b6.0102.05
 client-name lobby-cam
ip dhcp pool OPS
 network 10.0.110.0 255.255.255.0
!
end
";

    fn slice(f: &SourceFile, s: Span) -> &str {
        f.slice(s)
    }

    #[test]
    fn switch_config_yields_vlans_ports_and_macs() {
        let f = file(SourceKind::CiscoConfig, SWITCH);
        let facts = parse(&f);
        assert!(facts.diagnostics.is_empty(), "{:?}", facts.diagnostics);
        let names: Vec<&str> = facts.networks.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "SECURE-OPS",
                "VLAN 120",
                "VLAN 130",
                "VLAN 131",
                "VLAN 140",
                "OPS"
            ]
        );
        let ops = &facts.networks[0];
        assert_eq!(slice(&f, ops.name_span.unwrap()), "name SECURE-OPS");
        assert_eq!(ops.vlan.unwrap().0, 110);
        assert_eq!(ops.cidrs[0].0.to_string(), "10.0.110.0/24");
        assert_eq!(
            slice(&f, ops.cidrs[0].1),
            "ip address 10.0.110.1 255.255.255.0"
        );

        let devs: Vec<&str> = facts.devices.iter().map(|d| d.name.as_str()).collect();
        // The banner's fake interface, the trunk and the undescribed port are not devices.
        assert_eq!(
            devs,
            [
                "acc-01 GigabitEthernet1/0/1",
                "acc-01 GigabitEthernet1/0/3",
                "acc-01 GigabitEthernet1/0/9",
                "CAM-LOBBY"
            ]
        );
        let cam = &facts.devices[0];
        assert!(!cam.candidate, "a static MAC makes the port a device");
        assert!(slice(&f, cam.span).starts_with("interface GigabitEthernet1/0/1\n"));
        assert!(slice(&f, cam.span).ends_with("spanning-tree portfast"));
        let desc = cam.facts_of(Signal::Description).next().unwrap();
        assert_eq!(desc.value, "lobby cam Hikvision DS-2CD2143G2-I");
        assert_eq!(
            slice(&f, desc.span),
            "description lobby cam Hikvision DS-2CD2143G2-I"
        );
        assert_eq!(
            cam.facts_of(Signal::Mac).next().unwrap().value,
            "4419.b601.0203"
        );
        assert_eq!(cam.links.len(), 1);
        assert_eq!(cam.links[0].network, 0);
        assert_eq!(slice(&f, cam.links[0].span), "switchport access vlan 110");

        let door = &facts.devices[1];
        assert!(door.candidate);
        assert_eq!(facts.networks[door.links[0].network].name, "VLAN 140");

        let mac_only = &facts.devices[2];
        assert!(!mac_only.candidate);
        assert_eq!(
            facts.networks[mac_only.links[0].network].vlan.unwrap().0,
            120
        );
        assert!(slice(&f, mac_only.span).starts_with("mac address-table static 4419.b601.0204"));

        let pool = &facts.devices[3];
        let mac = pool.facts_of(Signal::Mac).next().unwrap();
        assert_eq!(
            crate::model::parse_mac(&mac.value),
            Some([0x44, 0x19, 0xb6, 1, 2, 5])
        );
        assert_eq!(
            pool.facts_of(Signal::Address).next().unwrap().value,
            "10.0.110.20/24"
        );
        assert_eq!(facts.networks[5].cidrs[0].0.to_string(), "10.0.110.0/24");
    }

    #[test]
    fn eos_and_nxos_forms() {
        let text = "\
! Command: show running-config
hostname leaf1
banner motd
interface Ethernet99
   switchport access vlan 110
EOF
vlan 110
   name SECURE-CCTV
interface Ethernet7
   description cctv NVR Dahua
   switchport access vlan 110
interface Ethernet8
   description server
   switchport mode trunk
   switchport access vlan 110
interface Ethernet9
   description routed
   no switchport
   ip address 10.9.9.1/31
interface Vlan110
   ip address 10.1.110.1/24
mac address-table static 0011.2233.4455 vlan 110 interface ethernet 7
";
        let f = file(SourceKind::CiscoConfig, text);
        let facts = parse(&f);
        assert!(facts.diagnostics.is_empty());
        assert_eq!(facts.devices.len(), 1);
        let d = &facts.devices[0];
        assert_eq!(d.name, "leaf1 Ethernet7");
        assert_eq!(d.facts_of(Signal::Mac).count(), 1);
        assert_eq!(facts.networks.len(), 1);
        assert_eq!(facts.networks[0].cidrs[0].0.to_string(), "10.1.110.0/24");
    }

    #[test]
    fn unclosed_banner_is_reported_and_the_rest_still_read() {
        let text = "hostname sw\nbanner login #\nWelcome\ninterface Gi0/1\n description cam\n switchport mode access\n";
        let f = file(SourceKind::CiscoConfig, text);
        let facts = parse(&f);
        assert_eq!(facts.diagnostics.len(), 1);
        assert_eq!(slice(&f, facts.diagnostics[0].span), "banner login #");
        assert_eq!(facts.devices.len(), 1);
        assert_eq!(facts.devices[0].links[0].via, "access vlan 1 (default)");
    }

    #[test]
    fn same_line_banner_and_macro_blocks_are_skipped() {
        let text = "banner exec %interface X\n description y\n switchport access vlan 5%\nmacro name CAM\ninterface Gi1\n description z\n switchport access vlan 5\n@\nhostname a\n";
        let facts = parse(&file(SourceKind::CiscoConfig, text));
        assert!(facts.devices.is_empty());
        assert!(facts.networks.is_empty());
        assert!(facts.diagnostics.is_empty());
    }

    #[test]
    fn interface_names_match_abbreviated() {
        assert!(same_interface("GigabitEthernet1/0/3", "Gi1/0/3"));
        assert!(same_interface("Ethernet1/1", "ethernet 1/1"));
        assert!(!same_interface("GigabitEthernet1/0/3", "Gi1/0/30"));
        assert!(!same_interface("TenGigabitEthernet1/0/3", "Gi1/0/3"));
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for text in [
            "",
            "\n\n",
            "interface",
            "vlan",
            "vlan 99999\n name",
            "banner",
            "banner motd ^C",
            "   \u{e9}\n\u{e9}",
            "ip dhcp pool",
        ] {
            let _ = parse(&file(SourceKind::CiscoConfig, text));
        }
        let deep: String = (0..5000).map(|i| format!("{}x\n", " ".repeat(i))).collect();
        let _ = parse(&file(SourceKind::CiscoConfig, &deep));
    }
}
