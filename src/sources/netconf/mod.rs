//! Network configuration sources: switch configs (Cisco IOS / IOS-XE /
//! NX-OS, Arista EOS, Juniper in `set` and curly form), DHCP servers (ISC
//! dhcpd, Kea, dnsmasq) and CMDB exports (NetBox and generic CSV asset
//! registers).
//!
//! Each format has its own small, tolerant parser in its own file and turns
//! what it reads into [`Facts`]: VLANs, subnets and prefixes as networks,
//! described access ports, static MACs and DHCP reservations as devices,
//! and the explicit ties between them (an access VLAN, a host declared
//! inside a subnet block). Nothing here decides who made a device or
//! whether a network is sensitive; joins across files (a DHCP host outside
//! any subnet block, a VLAN id seen on two switches) are left to `resolve`.
//! [`sniff`] classifies files by content for discovery, which owns the
//! decision of what to read.

mod csv;
mod dhcpd;
mod dnsmasq;
mod ios;
mod junos;
mod kea;
mod sniff;

pub use sniff::sniff;

use rayon::prelude::*;

use crate::model::{Facts, SourceFile, SourceKind};
use crate::sources::SourceOptions;

/// Parses every file in parallel; the facts of each file, in file order,
/// so the output does not depend on scheduling. Each file's facts stand
/// alone (network indices are its own), and the caller merges them once
/// with everything else rather than here and again there.
pub fn collect(files: &[&SourceFile], opts: &SourceOptions) -> Vec<Facts> {
    files
        .par_iter()
        .map(|f| {
            let mut facts = parse(f);
            if let Some(prune) = opts.prune {
                prune.apply(&mut facts);
            }
            facts.shrink_devices();
            facts
        })
        .collect()
}

/// Parses one file according to its kind. Kinds that are not network
/// configuration yield nothing.
pub fn parse(file: &SourceFile) -> Facts {
    match file.kind {
        SourceKind::CiscoConfig => ios::parse(file),
        SourceKind::JunosSet | SourceKind::JunosCurly => junos::parse(file),
        SourceKind::Dhcpd => dhcpd::parse(file),
        SourceKind::Kea => kea::parse(file),
        SourceKind::Dnsmasq => dnsmasq::parse(file),
        SourceKind::AssetCsv => csv::parse(file),
        SourceKind::NetboxJson => kea::parse_netbox_json(file),
        _ => Facts::default(),
    }
}

/// Lines of a text as `(start, end)` byte offsets, the end excluding the
/// line break (`\n`, `\r\n`; a lone `\r` is kept in the line, as the
/// formats here never use it as a separator).
fn line_ranges(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let nl = memchr::memchr(b'\n', bytes.get(start..)?).map(|i| start + i);
        let (mut end, next) = match nl {
            Some(i) => (i, i + 1),
            None => (bytes.len(), bytes.len()),
        };
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        pos = next;
        Some((start, end))
    })
}

/// Prefix length of a dotted netmask (`255.255.255.0` → 24). Non-contiguous
/// masks (and Cisco wildcard masks) are not netmasks.
fn mask_len(mask: &str) -> Option<u8> {
    let m: std::net::Ipv4Addr = mask.trim().parse().ok()?;
    let bits = u32::from(m);
    let len = bits.leading_ones();
    if bits.checked_shl(len).unwrap_or(0) != 0 {
        return None;
    }
    u8::try_from(len).ok()
}

/// `10.1.2.3` + `255.255.255.0` → `10.1.2.0/24`.
fn cidr_from_mask(addr: &str, mask: &str) -> Option<ipnet::IpNet> {
    let len = mask_len(mask)?;
    crate::model::parse_cidr(&format!("{}/{len}", addr.trim()))
}

/// The most VLAN ids one list may expand to: every valid id once.
const MAX_VLANS: usize = 4094;

/// Expands a VLAN list (`10,20-22`, `10 20`) into ids. Invalid pieces are
/// skipped; `None` only when nothing in it is a VLAN id.
fn parse_vlan_list(s: &str) -> Option<Vec<u16>> {
    let mut out = Vec::new();
    for piece in s.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        let (lo, hi) = match piece.split_once('-') {
            Some((a, b)) => (a.trim().parse::<u16>().ok(), b.trim().parse::<u16>().ok()),
            None => {
                let v = piece.parse::<u16>().ok();
                (v, v)
            }
        };
        let (Some(lo), Some(hi)) = (lo, hi) else {
            continue;
        };
        if lo == 0 || hi > 4095 || lo > hi {
            continue;
        }
        for id in lo..=hi {
            if out.len() >= MAX_VLANS {
                break;
            }
            out.push(id);
        }
    }
    if out.is_empty() { None } else { Some(out) }
}

#[cfg(test)]
pub(crate) mod test_support {
    use std::path::PathBuf;
    use std::sync::Arc;

    use crate::model::{FileId, SourceFile, SourceKind};

    pub fn file(kind: SourceKind, text: &str) -> SourceFile {
        SourceFile::new(FileId(7), PathBuf::from("test"), kind, Arc::from(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_vlan_lists() {
        assert_eq!(mask_len("255.255.255.0"), Some(24));
        assert_eq!(mask_len("255.255.255.255"), Some(32));
        assert_eq!(mask_len("0.0.0.0"), Some(0));
        assert_eq!(mask_len("0.0.0.255"), None);
        assert_eq!(
            cidr_from_mask("10.1.2.3", "255.255.254.0").map(|n| n.to_string()),
            Some("10.1.2.0/23".into())
        );
        assert_eq!(parse_vlan_list("10,20-22"), Some(vec![10, 20, 21, 22]));
        assert_eq!(parse_vlan_list("none"), None);
        assert_eq!(parse_vlan_list("1-4094").map(|v| v.len()), Some(4094));
        assert_eq!(parse_vlan_list("5000"), None);
    }

    #[test]
    fn lines_strip_crlf() {
        let t = "a\r\nbb\n\nc";
        let v: Vec<_> = line_ranges(t).map(|(s, e)| &t[s..e]).collect();
        assert_eq!(v, ["a", "bb", "", "c"]);
    }

    /// Throughput on a generated estate: set `CAMLINT_BENCH_DIR` to the
    /// output of `gen_estate.py` and run
    /// `cargo test --release --lib netconf::tests::estate -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn estate_throughput_and_shape() {
        use crate::model::Signal;
        use std::time::Instant;
        let Ok(root) = std::env::var("CAMLINT_BENCH_DIR") else {
            eprintln!("CAMLINT_BENCH_DIR not set");
            return;
        };
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out)
                } else {
                    out.push(p)
                }
            }
        }
        for (sub, kind) in [
            ("network", SourceKind::CiscoConfig),
            ("dhcp", SourceKind::Dhcpd),
        ] {
            let mut paths = Vec::new();
            walk(&std::path::Path::new(&root).join(sub), &mut paths);
            paths.sort();
            let files: Vec<SourceFile> = paths
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let text = std::fs::read_to_string(p).unwrap();
                    SourceFile::new(crate::model::FileId(i as u32), p.clone(), kind, text.into())
                })
                .collect();
            let bytes: usize = files.iter().map(|f| f.text.len()).sum();
            for f in &files {
                assert_eq!(
                    sniff(&f.path.to_string_lossy(), &f.text),
                    Some(kind),
                    "{}",
                    f.path.display()
                );
            }
            // Best of five: the machine is shared.
            // On-CPU time of this thread (Linux), which a busy machine
            // does not inflate the way it inflates wall time.
            let cpu_ns = || {
                std::fs::read_to_string("/proc/thread-self/schedstat")
                    .ok()
                    .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            };
            let mut serial = std::time::Duration::MAX;
            let mut cpu = u64::MAX;
            let mut parts = Vec::new();
            for _ in 0..5 {
                drop(std::mem::take(&mut parts));
                let c = cpu_ns();
                let t = Instant::now();
                parts = files.iter().map(parse).collect::<Vec<Facts>>();
                serial = serial.min(t.elapsed());
                if let (Some(a), Some(b)) = (c, cpu_ns()) {
                    cpu = cpu.min(b - a);
                }
            }
            let mut facts = Facts::default();
            for p in parts {
                facts.extend(p);
            }
            let refs: Vec<&SourceFile> = files.iter().collect();
            let mut parallel = std::time::Duration::MAX;
            let mut par = Facts::default();
            for _ in 0..5 {
                drop(std::mem::take(&mut par));
                let t = Instant::now();
                par = Facts::concat(collect(&refs, &SourceOptions::default()));
                parallel = parallel.min(t.elapsed());
            }
            let mb = bytes as f64 / 1e6;
            eprintln!(
                "{sub}: {} files, {mb:.1} MB, one thread {:.0} MB/s ({:.0} MB/s of CPU time), collect {:.0} MB/s; {} devices, {} networks",
                files.len(),
                mb / serial.as_secs_f64(),
                mb / (cpu as f64 / 1e9),
                mb / parallel.as_secs_f64(),
                facts.devices.len(),
                facts.networks.len()
            );
            assert_eq!(par.devices.len(), facts.devices.len());
            assert!(facts.diagnostics.is_empty());
            if sub == "network" {
                let cams: Vec<_> = facts
                    .devices
                    .iter()
                    .filter(|d| {
                        d.facts_of(Signal::Description)
                            .any(|f| f.value.contains("-cam-"))
                    })
                    .collect();
                assert!(!cams.is_empty());
                for d in &cams {
                    assert!(d.candidate);
                    let net = &facts.networks[d.links[0].network];
                    let via = &d.links[0].via;
                    if via == "access vlan 110" {
                        assert_eq!(net.name, "SECURE-OPS");
                        assert_eq!(net.vlan.unwrap().0, 110);
                    }
                }
            } else {
                assert!(facts.networks.iter().any(|n| n.name.ends_with("-SECURE")));
                assert!(
                    facts
                        .devices
                        .iter()
                        .all(|d| d.facts_of(Signal::Mac).count() == 1)
                );
            }
        }
    }

    /// Renders facts with 1-based lines and the text each span covers, so
    /// a snapshot shows what was read and where.
    fn render(file: &SourceFile, facts: &Facts) -> String {
        use std::fmt::Write;
        let at = |span: crate::model::Span| {
            let lc = file.lines().line_col(span.start);
            let end = file.lines().line_col(span.end);
            format!("{}:{}-{}:{}", lc.line, lc.column, end.line, end.column)
        };
        let mut out = String::new();
        for n in &facts.networks {
            let _ = writeln!(out, "network {:?} {:?} @{}", n.kind, n.name, at(n.span));
            if let Some(ns) = n.name_span {
                let _ = writeln!(out, "  name from {:?}", file.slice(ns));
            }
            if let Some((id, _)) = n.vlan {
                let _ = writeln!(out, "  vlan {id}");
            }
            for (c, sp) in &n.cidrs {
                let _ = writeln!(out, "  cidr {c} from {:?}", file.slice(*sp));
            }
            for l in &n.labels {
                let _ = writeln!(out, "  label {:?}={:?}", l.key, l.value);
            }
        }
        for d in &facts.devices {
            let cand = if d.candidate { " (candidate)" } else { "" };
            let _ = writeln!(out, "device {:?}{cand} @{}", d.name, at(d.span));
            for f in &d.facts {
                let _ = writeln!(
                    out,
                    "  {:?} {:?} [{}] from {:?}",
                    f.signal,
                    f.value,
                    f.field,
                    file.slice(f.span)
                );
            }
            for l in &d.links {
                let net = facts
                    .networks
                    .get(l.network)
                    .map_or("?", |n| n.name.as_str());
                let _ = writeln!(
                    out,
                    "  link {net:?} via {:?} from {:?}",
                    l.via,
                    file.slice(l.span)
                );
            }
        }
        for g in &facts.diagnostics {
            let _ = writeln!(out, "{} @{}: {}", g.rule, at(g.span), g.message);
        }
        out
    }

    /// Every folder under `testdata/netconf` is a case: its files must be
    /// claimed by [`sniff`], parse without a diagnostic unless the folder
    /// is named `err-…`, and read as their snapshot says.
    #[test]
    fn fixtures() {
        insta::glob!("../../../testdata/netconf", "*/*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let case = path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            let kind = sniff(&name, &text).unwrap_or_else(|| panic!("{case}/{name} not claimed"));
            let file = SourceFile::new(
                crate::model::FileId(0),
                path.to_path_buf(),
                kind,
                text.into(),
            );
            let facts = parse(&file);
            assert_eq!(
                case.starts_with("err-"),
                !facts.diagnostics.is_empty(),
                "{case}: {:?}",
                facts.diagnostics
            );
            insta::assert_snapshot!(format!("{kind:?}\n{}", render(&file, &facts)));
        });
    }
}
