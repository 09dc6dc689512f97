//! Juniper Junos configuration, in `set` form and in curly-brace form.
//!
//! Both forms are reduced to the same thing, a list of statements that are
//! full paths (`interfaces ge-0/0/3 unit 0 family ethernet-switching vlan
//! members OPS`) with the byte range where each is written, and one reader
//! turns those into facts: `vlans NAME vlan-id N` networks, their
//! `l3-interface irb.N` addresses as CIDRs, and described access ports
//! (one VLAN member, not trunk mode) as candidate devices linked to their
//! VLAN. The curly parser is iterative (a stack of open blocks), so deep
//! nesting cannot overflow; unbalanced braces and a missing `;` are
//! reported and what was read is kept. `#` and `/* */` comments are
//! skipped; `deactivate`/`delete` lines and `inactive:` markers are not
//! applied (the config is read as written).

use std::collections::HashMap;

use crate::model::{
    Device, Diagnostic, Facts, Link, Network, NetworkKind, Signal, SourceFile, SourceKind,
};

/// A word of a statement and its byte range.
type Word<'a> = (&'a str, usize, usize);

/// One configuration statement as a full path.
#[derive(Debug)]
struct Stmt<'a> {
    words: Vec<Word<'a>>,
    start: usize,
    end: usize,
}

/// Words of a `set` line (quoted strings keep their spaces).
fn split_words(text: &str, start: usize, end: usize) -> Vec<Word<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        match bytes.get(i) {
            Some(b' ' | b'\t') => i += 1,
            Some(b'"') => {
                let s = i + 1;
                let close =
                    memchr::memchr(b'"', bytes.get(s..end).unwrap_or(&[])).map_or(end, |n| s + n);
                out.push((text.get(s..close).unwrap_or(""), i, (close + 1).min(end)));
                i = close + 1;
            }
            Some(_) => {
                let s = i;
                while i < end && !matches!(bytes.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
                out.push((text.get(s..i).unwrap_or(""), s, i));
            }
            None => break,
        }
    }
    out
}

fn set_statements(file: &SourceFile) -> Vec<Stmt<'_>> {
    let text: &str = &file.text;
    let mut out = Vec::new();
    for (ls, le) in super::line_ranges(text) {
        let line = text.get(ls..le).unwrap_or("");
        let trimmed = line.trim_start();
        if !trimmed.starts_with("set ") {
            continue; // comments, `delete`, `deactivate`, blank lines
        }
        let start = ls + (line.len() - trimmed.len());
        let words = split_words(text, start, le);
        out.push(Stmt {
            words: words.into_iter().skip(1).collect(),
            start,
            end: le,
        });
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Word,
    Open,
    Close,
    Semi,
}

fn curly_tokens(text: &str) -> Vec<(Tok, usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0usize;
    while let Some(&c) = bytes.get(i) {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' | b'[' | b']' => i += 1,
            b'#' => {
                i = memchr::memchr(b'\n', bytes.get(i..).unwrap_or(&[]))
                    .map_or(bytes.len(), |n| i + n)
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(bytes.get(i + 2..).unwrap_or(&[]), b"*/")
                    .map_or(bytes.len(), |n| i + n + 4);
            }
            b'{' => {
                out.push((Tok::Open, i, i + 1));
                i += 1;
            }
            b'}' => {
                out.push((Tok::Close, i, i + 1));
                i += 1;
            }
            b';' => {
                out.push((Tok::Semi, i, i + 1));
                i += 1;
            }
            b'"' => {
                let s = i;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    i += if c == b'\\' { 2 } else { 1 };
                    if c == b'"' || c == b'\n' {
                        break;
                    }
                }
                out.push((Tok::Word, s, i.min(bytes.len())));
            }
            _ => {
                let s = i;
                while let Some(&c) = bytes.get(i) {
                    if matches!(
                        c,
                        b' ' | b'\t'
                            | b'\r'
                            | b'\n'
                            | b'{'
                            | b'}'
                            | b';'
                            | b'['
                            | b']'
                            | b'"'
                            | b'#'
                    ) {
                        break;
                    }
                    i += 1;
                }
                out.push((Tok::Word, s, i));
            }
        }
    }
    out
}

/// Statements of a curly config, plus the span of every block keyed by
/// its path (`interfaces ge-0/0/3`), for device spans.
fn curly_statements<'a>(
    file: &'a SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Stmt<'a>>, HashMap<String, (usize, usize)>) {
    let text: &str = &file.text;
    let word = |s: usize, e: usize| -> Word<'a> {
        let w = text.get(s..e).unwrap_or("");
        let w = w
            .strip_prefix('"')
            .map_or(w, |w| w.strip_suffix('"').unwrap_or(w));
        let w = w
            .strip_prefix("inactive:")
            .or_else(|| w.strip_prefix("protect:"))
            .unwrap_or(w);
        (w, s, e)
    };
    let mut out = Vec::new();
    let mut blocks = HashMap::new();
    let mut path: Vec<Word<'a>> = Vec::new();
    // Open blocks: (path length before, where the block's statement starts, the `{`).
    let mut open: Vec<(usize, usize, usize)> = Vec::new();
    let mut cur: Vec<Word<'a>> = Vec::new();
    for (tok, s, e) in curly_tokens(text) {
        match tok {
            Tok::Word => {
                let w = word(s, e);
                if !w.0.is_empty() {
                    cur.push(w);
                }
            }
            Tok::Semi => {
                if let Some(first) = cur.first() {
                    let start = first.1;
                    let mut words = path.clone();
                    words.append(&mut cur);
                    out.push(Stmt {
                        words,
                        start,
                        end: e,
                    });
                }
            }
            Tok::Open => {
                let start = cur.first().map_or(s, |w| w.1);
                open.push((path.len(), start, s));
                path.append(&mut cur);
            }
            Tok::Close => {
                if let Some(first) = cur.first() {
                    let end = cur.last().map_or(s, |w| w.2);
                    diags.push(Diagnostic::parse_error(
                        file.span(first.1, end),
                        "statement is missing its `;` before `}`",
                    ));
                    let start = first.1;
                    let mut words = path.clone();
                    words.append(&mut cur);
                    out.push(Stmt { words, start, end });
                }
                match open.pop() {
                    Some((len, start, _)) => {
                        let key = path.iter().map(|w| w.0).collect::<Vec<_>>().join(" ");
                        blocks.entry(key).or_insert((start, e));
                        path.truncate(len);
                    }
                    None => diags.push(Diagnostic::parse_error(
                        file.span(s, e),
                        "unexpected `}` with no block open",
                    )),
                }
            }
        }
    }
    for (_, _, brace) in open {
        diags.push(Diagnostic::parse_error(
            file.span(brace, brace + 1),
            "this `{` is never closed",
        ));
    }
    (out, blocks)
}

#[derive(Debug, Default)]
struct Interface<'a> {
    name: &'a str,
    /// Union of every statement about it, or its block in curly form.
    range: Option<(usize, usize)>,
    description: Option<(&'a str, usize, usize)>,
    members: Vec<Word<'a>>,
    members_at: Option<(usize, usize)>,
    trunk: bool,
    lag_member: bool,
    /// `(unit, cidr, range)` from `family inet address`.
    addresses: Vec<(&'a str, ipnet::IpNet, usize, usize)>,
}

pub(super) fn parse(file: &SourceFile) -> Facts {
    let mut facts = Facts::default();
    let (stmts, blocks) = match file.kind {
        SourceKind::JunosCurly => curly_statements(file, &mut facts.diagnostics),
        _ => (set_statements(file), HashMap::new()),
    };
    let span = |s: usize, e: usize| file.span(s, e);

    let mut host = "";
    let mut vlan_by_name: HashMap<&str, usize> = HashMap::new();
    let mut vlan_by_id: HashMap<u16, usize> = HashMap::new();
    let mut l3: Vec<(usize, &str)> = Vec::new(); // vlan network, `irb.110`
    let mut ifaces: Vec<Interface<'_>> = Vec::new();
    let mut iface_index: HashMap<&str, usize> = HashMap::new();

    for st in &stmts {
        let w = |i: usize| st.words.get(i).map_or("", |x| x.0);
        match w(0) {
            "system" if w(1) == "host-name" => host = w(2),
            "vlans" if !w(1).is_empty() => {
                let Some(&(name, ns, ne)) = st.words.get(1) else {
                    continue;
                };
                let idx = *vlan_by_name.entry(name).or_insert_with(|| {
                    let block = blocks
                        .get(&format!("vlans {name}"))
                        .copied()
                        .unwrap_or((st.start, st.end));
                    let mut net = Network::new(name, NetworkKind::Vlan, span(block.0, block.1));
                    net.name_span = Some(span(ns, ne));
                    facts.add_network(net)
                });
                match w(2) {
                    "vlan-id" => {
                        if let Ok(id) = w(3).parse::<u16>() {
                            if let Some(n) = facts.networks.get_mut(idx) {
                                n.vlan = Some((id, span(st.start, st.end)));
                            }
                            vlan_by_id.entry(id).or_insert(idx);
                        }
                    }
                    "l3-interface" => l3.push((idx, w(3))),
                    _ => {}
                }
            }
            "interfaces" if !w(1).is_empty() && w(1) != "interface-range" => {
                let name = w(1);
                let i = *iface_index.entry(name).or_insert_with(|| {
                    ifaces.push(Interface {
                        name,
                        ..Interface::default()
                    });
                    ifaces.len() - 1
                });
                let Some(it) = ifaces.get_mut(i) else {
                    continue;
                };
                it.range = Some(
                    match (blocks.get(&format!("interfaces {name}")), it.range) {
                        (Some(&b), _) => b,
                        (None, Some((s, e))) => (s.min(st.start), e.max(st.end)),
                        (None, None) => (st.start, st.end),
                    },
                );
                read_interface_stmt(it, st);
            }
            _ => {}
        }
    }

    // Layer-3 interfaces give their VLAN its CIDRs.
    for (net, l3if) in l3 {
        let (ifname, unit) = l3if.split_once('.').unwrap_or((l3if, "0"));
        let Some(it) = iface_index.get(ifname).and_then(|&i| ifaces.get(i)) else {
            continue;
        };
        for &(u, cidr, s, e) in &it.addresses {
            if u == unit
                && let Some(n) = facts.networks.get_mut(net)
            {
                n.cidrs.push((cidr, span(s, e)));
            }
        }
    }

    for it in &ifaces {
        if it.trunk || it.lag_member || it.members.len() != 1 || matches!(it.name, "irb" | "vlan") {
            continue;
        }
        let (Some((desc, ds, de)), Some(&(member, _, _)), Some((ms, me)), Some((bs, be))) =
            (it.description, it.members.first(), it.members_at, it.range)
        else {
            continue;
        };
        // `all` and id ranges carry many VLANs: not one device's port.
        if member == "all"
            || (member.contains('-') && member.bytes().all(|c| c.is_ascii_digit() || c == b'-'))
        {
            continue;
        }
        let network = match (vlan_by_name.get(member), member.parse::<u16>().ok()) {
            (Some(&i), _) => i,
            (None, Some(id)) => match vlan_by_id.get(&id) {
                Some(&i) => i,
                None => {
                    let mut net =
                        Network::new(format!("VLAN {id}"), NetworkKind::Vlan, span(ms, me));
                    net.vlan = Some((id, span(ms, me)));
                    let i = facts.add_network(net);
                    vlan_by_id.insert(id, i);
                    i
                }
            },
            (None, None) => {
                let mut net = Network::new(member, NetworkKind::Vlan, span(ms, me));
                net.name_span = Some(span(ms, me));
                let i = facts.add_network(net);
                vlan_by_name.insert(member, i);
                i
            }
        };
        let name = if host.is_empty() {
            it.name.to_string()
        } else {
            format!("{host} {}", it.name)
        };
        let mut dev = Device::new(name, span(bs, be));
        dev.candidate = true;
        dev.fact(Signal::Description, desc, span(ds, de), "description");
        dev.links.push(Link {
            network,
            span: span(ms, me),
            via: format!("vlan members {member}"),
        });
        facts.devices.push(dev);
    }
    facts
}

fn read_interface_stmt<'a>(it: &mut Interface<'a>, st: &Stmt<'a>) {
    let w = |i: usize| st.words.get(i).map_or("", |x| x.0);
    let rest = |i: usize| st.words.get(i..).unwrap_or(&[]);
    match (w(2), w(4)) {
        ("description", _) => {
            let d = rest(3);
            if let (Some(first), Some(last)) = (d.first(), d.last()) {
                it.description = Some((first.0, st.start, st.end.max(last.2)));
            }
        }
        ("unit", "description") if it.description.is_none() => {
            if let Some(d) = st.words.get(5) {
                it.description = Some((d.0, st.start, st.end));
            }
        }
        ("ether-options" | "gigether-options", _) if w(3) == "802.3ad" => it.lag_member = true,
        ("unit", "family") => match (w(5), w(6), w(7)) {
            ("ethernet-switching", "vlan", "members") => {
                it.members.extend(rest(8).iter().copied());
                it.members_at = Some((st.start, st.end));
            }
            ("ethernet-switching", "interface-mode" | "port-mode", m) => it.trunk = m == "trunk",
            ("inet" | "inet6", "address", a) => {
                if let Some(cidr) = crate::model::parse_cidr(a) {
                    it.addresses.push((w(3), cidr, st.start, st.end));
                }
            }
            _ => {}
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::netconf::test_support::file;

    const SET: &str = "\
# ex4300 access switch
set system host-name ex-acc-01
set vlans SECURE-OPS vlan-id 110
set vlans SECURE-OPS l3-interface irb.110
set vlans GENERAL vlan-id 120
set interfaces ge-0/0/3 description \"lobby cam Hikvision DS-2CD2143G2-I\"
set interfaces ge-0/0/3 unit 0 family ethernet-switching interface-mode access
set interfaces ge-0/0/3 unit 0 family ethernet-switching vlan members SECURE-OPS
set interfaces ge-0/0/4 description uplink
set interfaces ge-0/0/4 unit 0 family ethernet-switching interface-mode trunk
set interfaces ge-0/0/4 unit 0 family ethernet-switching vlan members SECURE-OPS
set interfaces ge-0/0/5 description door-cam
set interfaces ge-0/0/5 unit 0 family ethernet-switching vlan members 130
set interfaces irb unit 110 family inet address 10.0.110.1/24
deactivate interfaces ge-0/0/9
";

    const CURLY: &str = "\
## Last commit: 2024-01-01
system {
    host-name ex-acc-02;
}
/* cameras */
interfaces {
    ge-0/0/3 {
        description \"lobby cam Dahua\";
        unit 0 {
            family ethernet-switching {
                interface-mode access;
                vlan {
                    members SECURE-OPS;
                }
            }
        }
    }
    ge-0/0/4 {
        unit 0 {
            family ethernet-switching {
                interface-mode trunk;
                vlan {
                    members [ SECURE-OPS GENERAL ];
                }
            }
        }
    }
    irb {
        unit 110 {
            family inet {
                address 10.0.110.1/24;
            }
        }
    }
}
vlans {
    SECURE-OPS {
        vlan-id 110;
        l3-interface irb.110;
    }
}
";

    #[test]
    fn set_form() {
        let f = file(SourceKind::JunosSet, SET);
        let facts = parse(&f);
        assert!(facts.diagnostics.is_empty());
        let ops = &facts.networks[0];
        assert_eq!(ops.name, "SECURE-OPS");
        assert_eq!(ops.vlan.unwrap().0, 110);
        assert_eq!(ops.cidrs[0].0.to_string(), "10.0.110.0/24");
        assert_eq!(facts.devices.len(), 2, "the trunk is not a device");
        let cam = &facts.devices[0];
        assert_eq!(cam.name, "ex-acc-01 ge-0/0/3");
        assert!(cam.candidate);
        assert_eq!(
            cam.facts_of(Signal::Description).next().unwrap().value,
            "lobby cam Hikvision DS-2CD2143G2-I"
        );
        assert_eq!(cam.links[0].network, 0);
        assert!(
            f.slice(cam.links[0].span)
                .ends_with("vlan members SECURE-OPS")
        );
        assert!(
            f.slice(cam.span)
                .starts_with("set interfaces ge-0/0/3 description")
        );
        assert!(f.slice(cam.span).ends_with("vlan members SECURE-OPS"));
        let door = &facts.devices[1];
        assert_eq!(facts.networks[door.links[0].network].name, "VLAN 130");
    }

    #[test]
    fn curly_form() {
        let f = file(SourceKind::JunosCurly, CURLY);
        let facts = parse(&f);
        assert!(facts.diagnostics.is_empty(), "{:?}", facts.diagnostics);
        assert_eq!(facts.devices.len(), 1);
        let cam = &facts.devices[0];
        assert_eq!(cam.name, "ex-acc-02 ge-0/0/3");
        assert!(f.slice(cam.span).starts_with("ge-0/0/3 {"));
        assert!(f.slice(cam.span).ends_with('}'));
        assert_eq!(f.slice(cam.links[0].span), "members SECURE-OPS;");
        let desc = cam.facts_of(Signal::Description).next().unwrap();
        assert_eq!(desc.value, "lobby cam Dahua");
        assert_eq!(f.slice(desc.span), "description \"lobby cam Dahua\";");
        let net = &facts.networks[cam.links[0].network];
        assert_eq!(net.name, "SECURE-OPS");
        assert_eq!(net.vlan.unwrap().0, 110);
        assert_eq!(net.cidrs[0].0.to_string(), "10.0.110.0/24");
    }

    #[test]
    fn broken_braces_are_reported() {
        let text = "interfaces {\n  ge-0/0/1 {\n    description cam;\n    unit 0 { family ethernet-switching { vlan { members 10; } } }\n  }\n}\n}\nvlans {\n X { vlan-id 10 }\n";
        let f = file(SourceKind::JunosCurly, text);
        let facts = parse(&f);
        assert_eq!(facts.diagnostics.len(), 3, "{:?}", facts.diagnostics);
        assert_eq!(facts.devices.len(), 1);
        let deep = "a {".repeat(50_000);
        assert_eq!(
            parse(&file(SourceKind::JunosCurly, &deep))
                .diagnostics
                .len(),
            50_000
        );
    }
}
