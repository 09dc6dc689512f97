//! dnsmasq configuration (`dnsmasq.conf`, `dnsmasq.d/*`).
//!
//! Line-based `option=value` (or `--option=value`) with dnsmasq's own
//! comment rule: `#` starts a comment at the start of a line or after
//! whitespace, outside quotes. Two options matter here:
//!
//! - `dhcp-range=[tag:X,][set:X,]start[,end|mode][,netmask][,lease]` is a
//!   subnet, named after its tag when it has one. Without a netmask the
//!   prefix comes from the server's interface, which the file does not say,
//!   so the narrowest prefix holding the range stands in for it.
//! - `dhcp-host=` in all its forms (MACs, `id:` client ids, `set:`/`tag:`,
//!   IPv4, `[IPv6]`, hostname, lease time, `ignore`) is a device, linked to
//!   the ranges sharing its tag.
//!
//! `conf-file`, `conf-dir` and `dhcp-hostsfile` are not followed: those
//! files are scanned on their own when they are in the scan.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::model::{Device, Diagnostic, Facts, Link, Network, NetworkKind, Signal, SourceFile};

use super::line_ranges;

/// One comma-separated field of a value, trimmed, with its byte range.
#[derive(Debug, Clone, Copy)]
struct Field<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn fields(text: &str, start: usize, end: usize) -> Vec<Field<'_>> {
    let mut out = Vec::new();
    let mut pos = start;
    let value = text.get(start..end).unwrap_or("");
    for piece in value.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let t = piece.trim();
        let t = t
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(t);
        let s = pos + lead;
        out.push(Field {
            text: t,
            start: s,
            end: s + piece.trim().len(),
        });
        pos += piece.len() + 1;
    }
    out
}

/// The end of a line's content: where a comment starts, or the line end.
/// `None` when a quote is left open.
fn content_end(line: &str) -> Result<usize, usize> {
    let mut quoted: Option<usize> = None;
    let mut white = true;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = if quoted.is_some() { None } else { Some(i) },
            '#' if quoted.is_none() && white => return Ok(i),
            c => white = c.is_whitespace(),
        }
    }
    match quoted {
        Some(q) => Err(q),
        None => Ok(line.len()),
    }
}

fn is_lease(s: &str) -> bool {
    if s == "infinite" || s == "deprecated" {
        return true;
    }
    let digits = s.trim_end_matches(['s', 'm', 'h', 'd', 'w']);
    !digits.is_empty() && digits.len() + 1 >= s.len() && digits.bytes().all(|c| c.is_ascii_digit())
}

/// `00:20:e0:3b:13:af`, `00-20-…`, wildcards `00:20:e0:*:*:*`, with an
/// optional hardware type (`06-00:20:…`).
fn is_mac(s: &str) -> bool {
    let seps = s.bytes().filter(|c| *c == b':' || *c == b'-').count();
    seps >= 5
        && s.bytes()
            .all(|c| c.is_ascii_hexdigit() || matches!(c, b':' | b'-' | b'*'))
}

fn ip(s: &str) -> Option<IpAddr> {
    s.trim_start_matches('[').trim_end_matches(']').parse().ok()
}

/// The narrowest prefix holding both addresses.
fn covering(a: IpAddr, b: IpAddr) -> Option<ipnet::IpNet> {
    let len = match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u32::from(a) ^ u32::from(b)).leading_zeros(),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a) ^ u128::from(b)).leading_zeros(),
        _ => return None,
    };
    ipnet::IpNet::new(a, u8::try_from(len).ok()?)
        .ok()
        .map(|n| n.trunc())
}

struct Range<'a> {
    tags: Vec<&'a str>,
    network: usize,
}

pub(super) fn parse(file: &SourceFile) -> Facts {
    let text: &str = &file.text;
    let mut facts = Facts::default();
    let mut hosts: Vec<(usize, usize, usize)> = Vec::new(); // line, value start, value end
    let mut ranges: Vec<Range<'_>> = Vec::new();
    for (ls, le) in line_ranges(text) {
        let line = text.get(ls..le).unwrap_or("");
        let end = match content_end(line) {
            Ok(e) => ls + e,
            Err(q) => {
                facts.diagnostics.push(Diagnostic::parse_error(
                    file.span(ls + q, le),
                    "unterminated quote",
                ));
                le
            }
        };
        let body = text.get(ls..end).unwrap_or("");
        let trimmed = body.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = body.len() - body.trim_start().len();
        let opt = trimmed.trim_start_matches("--");
        let opt_start = ls + lead + (trimmed.len() - opt.len());
        let line_end = ls + lead + trimmed.len();
        let (key, value_start) = match opt.split_once('=') {
            Some((k, _)) => (k.trim(), opt_start + k.len() + 1),
            None => (opt, line_end),
        };
        match key {
            "dhcp-range" => {
                if let Some(r) = dhcp_range(file, &mut facts, (opt_start, line_end), value_start) {
                    ranges.push(r);
                }
            }
            "dhcp-host" => hosts.push((opt_start, value_start, line_end)),
            _ => {}
        }
    }
    let mut by_tag: HashMap<&str, Vec<usize>> = HashMap::new();
    for r in &ranges {
        for t in &r.tags {
            by_tag.entry(t).or_default().push(r.network);
        }
    }
    facts.devices.reserve(hosts.len());
    for (start, vs, ve) in hosts {
        dhcp_host(file, &mut facts, &by_tag, start, vs, ve);
    }
    facts
}

fn dhcp_range<'a>(
    file: &'a SourceFile,
    facts: &mut Facts,
    line: (usize, usize),
    value_start: usize,
) -> Option<Range<'a>> {
    let text: &str = &file.text;
    let fs = fields(text, value_start, line.1);
    let mut tags: Vec<&str> = Vec::new();
    let mut name: Option<Field<'_>> = None;
    let mut i = 0usize;
    while let Some(f) = fs.get(i) {
        if ip(f.text).is_some() {
            break;
        }
        let (kind, tag) = match f.text.split_once(':') {
            Some((k @ ("tag" | "set" | "net"), t)) => (k, t),
            Some(_) => ("", ""),
            None => ("set", f.text), // old syntax: a bare network id
        };
        if !kind.is_empty() && !tag.is_empty() {
            tags.push(tag);
            if kind != "tag" || name.is_none() {
                name = Some(Field { text: tag, ..*f });
            }
        }
        i += 1;
    }
    let Some(start) = fs.get(i).filter(|f| ip(f.text).is_some()) else {
        facts.diagnostics.push(Diagnostic::parse_error(
            file.span(line.0, line.1),
            "dhcp-range has no start address",
        ));
        return None;
    };
    let start_ip = ip(start.text)?;
    let end = fs.get(i + 1).filter(|f| ip(f.text).is_some());
    let after = if end.is_some() { i + 2 } else { i + 1 };
    let mut cidr = None;
    let mut cidr_end = end.map_or(start.end, |e| e.end);
    match (start_ip, fs.get(after)) {
        (IpAddr::V4(_), Some(m)) if super::mask_len(m.text).is_some() => {
            cidr = super::cidr_from_mask(start.text, m.text);
            cidr_end = m.end;
        }
        (IpAddr::V6(_), Some(p)) if p.text.parse::<u8>().is_ok_and(|l| l <= 128) => {
            cidr = crate::model::parse_cidr(&format!("{}/{}", start.text, p.text));
            cidr_end = p.end;
        }
        _ => {}
    }
    if cidr.is_none()
        && let Some(end_ip) = end.and_then(|e| ip(e.text))
    {
        cidr = covering(start_ip, end_ip);
    }
    let range_text = match end {
        Some(e) => format!("{}-{}", start.text, e.text),
        None => start.text.to_string(),
    };
    let label = name.map_or(range_text, |n| n.text.to_string());
    let mut net = Network::new(label, NetworkKind::Subnet, file.span(line.0, line.1));
    net.name_span = Some(match name {
        Some(n) => file.span(n.start, n.end),
        None => file.span(start.start, end.map_or(start.end, |e| e.end)),
    });
    if let Some(c) = cidr {
        net.cidrs.push((c, file.span(start.start, cidr_end)));
    }
    let network = facts.add_network(net);
    Some(Range { tags, network })
}

fn dhcp_host(
    file: &SourceFile,
    facts: &mut Facts,
    by_tag: &HashMap<&str, Vec<usize>>,
    start: usize,
    vs: usize,
    ve: usize,
) {
    let text: &str = &file.text;
    let mut dev = Device::new(String::new(), file.span(start, ve));
    let mut tags: Vec<(&str, usize, usize)> = Vec::new();
    for f in fields(text, vs, ve) {
        let span = file.span(f.start, f.end);
        let t = f.text;
        if t.is_empty() || t == "*" {
            continue;
        }
        if let Some(id) = t.strip_prefix("id:") {
            if crate::model::parse_mac(id).is_some() {
                dev.fact(Signal::Mac, id, span, "id");
            } else if id != "*" {
                dev.fact(Signal::ConfigValue, id, span, "client id");
            }
        } else if let Some(tag) = t.strip_prefix("set:").or_else(|| t.strip_prefix("tag:")) {
            tags.push((tag, f.start, f.end));
        } else if t == "ignore" {
            dev.fact(Signal::ConfigValue, t, span, "ignore");
        } else if ip(t).is_some() {
            dev.fact(
                Signal::Address,
                t.trim_start_matches('[').trim_end_matches(']'),
                span,
                "address",
            );
        } else if is_mac(t) {
            dev.fact(Signal::Mac, t, span, "mac");
        } else if is_lease(t) {
            // lease time: nothing about the device
        } else {
            dev.fact(Signal::Name, t, span, "hostname");
        }
    }
    if dev.facts.is_empty() {
        facts.diagnostics.push(Diagnostic::parse_error(
            file.span(start, ve),
            "dhcp-host names no MAC, client id, address or hostname",
        ));
        return;
    }
    let name = [
        Signal::Name,
        Signal::Mac,
        Signal::Address,
        Signal::ConfigValue,
    ]
    .into_iter()
    .find_map(|s| dev.facts_of(s).next().map(|f| f.value.clone()));
    dev.name = name.unwrap_or_default();
    for (tag, s, e) in tags {
        for &network in by_tag.get(tag).map_or(&[][..], Vec::as_slice) {
            dev.links.push(Link {
                network,
                span: file.span(s, e),
                via: format!("dhcp tag {tag}"),
            });
        }
    }
    facts.devices.push(dev);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;
    use crate::sources::netconf::test_support::file;

    const CONF: &str = "\
# cameras get their own range
domain=lan
dhcp-range=set:secure-cams,10.0.110.50,10.0.110.150,255.255.255.0,12h
dhcp-range=10.0.120.10,10.0.120.99,24h   # general
dhcp-range=tag:v6,1234::2,1234::500,64,12h
dhcp-range=192.168.0.0,static
--dhcp-host=44:19:b6:01:02:03,set:secure-cams,10.0.110.20,lobby-cam,infinite
dhcp-host=11:22:33:44:55:66,12:34:56:78:90:12,192.168.0.2
dhcp-host=id:01:44:19:b6:01:02:04,door-cam
dhcp-host=id:marvin,192.168.0.5
dhcp-host=00:20:e0:3b:13:af,ignore
dhcp-host=laptop,[1234::56]
dhcp-host=00:20:e0:*:*:*,set:red
dhcp-host=lap,192.168.0.199,45m
dhcp-host=
";

    #[test]
    fn ranges_and_every_host_form() {
        let f = file(SourceKind::Dnsmasq, CONF);
        let facts = parse(&f);
        let names: Vec<&str> = facts.networks.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "secure-cams",
                "10.0.120.10-10.0.120.99",
                "v6",
                "192.168.0.0"
            ]
        );
        let cidrs: Vec<String> = facts
            .networks
            .iter()
            .map(|n| n.cidrs.first().map(|c| c.0.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(cidrs, ["10.0.110.0/24", "10.0.120.0/25", "1234::/64", ""]);
        assert_eq!(
            f.slice(facts.networks[0].name_span.unwrap()),
            "set:secure-cams"
        );
        assert_eq!(facts.diagnostics.len(), 1, "the empty dhcp-host");

        let d: Vec<&Device> = facts.devices.iter().collect();
        assert_eq!(d.len(), 8);
        let lobby = d[0];
        assert_eq!(lobby.name, "lobby-cam");
        assert!(f.slice(lobby.span).starts_with("dhcp-host=44:19:b6"));
        assert_eq!(
            lobby.facts_of(Signal::Mac).next().unwrap().value,
            "44:19:b6:01:02:03"
        );
        assert_eq!(
            lobby.facts_of(Signal::Address).next().unwrap().value,
            "10.0.110.20"
        );
        assert_eq!(lobby.links.len(), 1);
        assert_eq!(lobby.links[0].network, 0);
        assert_eq!(f.slice(lobby.links[0].span), "set:secure-cams");
        assert_eq!(d[1].facts_of(Signal::Mac).count(), 2);
        assert_eq!(d[1].name, "11:22:33:44:55:66");
        assert_eq!(
            d[2].facts_of(Signal::Mac).next().unwrap().value,
            "01:44:19:b6:01:02:04"
        );
        assert_eq!(d[2].name, "door-cam");
        assert_eq!(
            d[3].facts_of(Signal::ConfigValue).next().unwrap().value,
            "marvin"
        );
        assert!(
            d[4].facts_of(Signal::ConfigValue)
                .any(|f| f.value == "ignore")
        );
        assert_eq!(
            d[5].facts_of(Signal::Address).next().unwrap().value,
            "1234::56"
        );
        assert_eq!(
            d[6].facts_of(Signal::Mac).next().unwrap().value,
            "00:20:e0:*:*:*"
        );
        assert!(d[6].links.is_empty(), "no range is tagged red");
        assert_eq!(
            d[7].facts_of(Signal::Name).count(),
            1,
            "45m is a lease time"
        );
    }

    #[test]
    fn comments_follow_dnsmasq_rules() {
        let text = "dhcp-host=aa:bb:cc:dd:ee:ff,cam#1\ndhcp-host=aa:bb:cc:dd:ee:01,\"x # y\"\n";
        let facts = parse(&file(SourceKind::Dnsmasq, text));
        assert_eq!(facts.devices[0].name, "cam#1");
        assert_eq!(facts.devices[1].name, "x # y");
        let facts = parse(&file(SourceKind::Dnsmasq, "dhcp-host=\"open\n"));
        assert_eq!(facts.diagnostics.len(), 1);
    }
}
