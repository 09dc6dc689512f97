//! NetBox CSV exports and generic CSV asset registers.
//!
//! Everything is driven by the header row, through the shared field table
//! (`manufacturer`/`vendor`/`make`, `mac`, `primary IPv4`…) plus the few
//! names CMDB exports use differently: NetBox's `Type` and `Device Type`
//! columns hold the model, not a role. Three shapes are recognised:
//!
//! - a prefix export (`prefix` column, no hardware columns): one Prefix
//!   network per row, its other columns (tags, status, role…) as labels;
//! - a VLAN export (`vid` + `name`): one Vlan network per row;
//! - anything else: one device per row. A row naming a manufacturer, a
//!   model or a MAC is a device; a row with only a name, role or
//!   description is a candidate. Its VLAN, subnet and zone columns link it
//!   to networks of the same file, created on first use.
//!
//! Rows are read with the `csv` crate (quoting, embedded line breaks); each
//! cell's exact range is found by re-scanning the raw row, because the
//! crate's ranges are after unquoting.

use std::collections::HashMap;

use crate::model::{
    Device, Diagnostic, Facts, Label, Link, Network, NetworkKind, Signal, SourceFile, Span,
};
use crate::sources::fields;

/// The delimiter a header row uses: the most frequent of `,`, `;` and tab
/// outside quotes.
pub(super) fn guess_delimiter(header: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let [comma, semi, tab] = counts;
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

/// The device signal a (normalised or raw) column name carries.
pub(super) fn column_signal(column: &str) -> Option<Signal> {
    match fields::normalise(column).as_str() {
        // NetBox: `Type` / `Device Type` is the model ("DS-2CD2143G2-I").
        "type" | "device_type" | "devicetype" | "model_type" => Some(Signal::Model),
        "device" | "device_name" | "asset_name" => Some(Signal::Name),
        other => fields::device_signal(other),
    }
}

/// What a column is for.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Signal(Signal),
    Vlan,
    Subnet,
    Zone,
    Tags,
    Prefix,
    Vid,
    Other(String),
}

fn classify(header: &str) -> Column {
    let n = fields::normalise(header);
    match n.as_str() {
        "prefix" => return Column::Prefix,
        "vid" => return Column::Vid,
        "zone" | "security_zone" | "network_zone" | "network" | "network_name" | "segment"
        | "site" => {
            return Column::Zone;
        }
        "untagged_vlan" => return Column::Vlan,
        _ => {}
    }
    if fields::is_vlan_field(&n) {
        Column::Vlan
    } else if fields::is_subnet_field(&n) {
        Column::Subnet
    } else if fields::is_tag_field(&n) {
        Column::Tags
    } else if let Some(s) = column_signal(&n) {
        Column::Signal(s)
    } else {
        Column::Other(header.trim().to_string())
    }
}

/// Byte ranges (relative to `row`) of each cell, quotes included.
fn cell_ranges(row: &str, delim: u8) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut quoted = false;
    for (i, c) in row.bytes().enumerate() {
        if c == b'"' {
            quoted = !quoted;
        } else if c == delim && !quoted {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, row.len()));
    out
}

/// `110`, `SECURE-OPS (110)`, `110 (SECURE-OPS)` → id and name.
fn vlan_ref(value: &str) -> Option<(u16, Option<String>)> {
    let v = value.trim();
    if let Ok(id) = v.parse::<u16>() {
        return Some((id, None));
    }
    let (a, b) = v.split_once('(')?;
    let b = b.trim_end_matches(')').trim();
    let a = a.trim();
    match (a.parse::<u16>(), b.parse::<u16>()) {
        (Ok(id), _) => Some((id, Some(b.to_string()).filter(|s| !s.is_empty()))),
        (_, Ok(id)) => Some((id, Some(a.to_string()).filter(|s| !s.is_empty()))),
        _ => None,
    }
}

fn split_tags(v: &str) -> impl Iterator<Item = &str> {
    v.split([',', ';', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// One read row: its byte range and cells with their ranges.
struct Row {
    start: usize,
    end: usize,
    cells: Vec<(String, usize, usize)>,
}

fn read_rows(file: &SourceFile, delim: u8, diags: &mut Vec<Diagnostic>) -> Vec<Row> {
    let text: &str = &file.text;
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut raw: Vec<(usize, ::csv::StringRecord)> = Vec::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let start = record.position().map_or(0, |p| p.byte() as usize);
                raw.push((start, record.clone()));
            }
            Ok(false) => break,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                diags.push(Diagnostic::parse_error(
                    file.span(at, at),
                    format!("CSV: {e}"),
                ));
                break;
            }
        }
    }
    let mut rows = Vec::with_capacity(raw.len());
    for (i, (start, rec)) in raw.iter().enumerate() {
        let next = raw.get(i + 1).map_or(text.len(), |r| r.0);
        let row_text = text
            .get(*start..next)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r']);
        let end = start + row_text.len();
        let ranges = cell_ranges(row_text, delim);
        let exact = ranges.len() == rec.len();
        let cells = rec
            .iter()
            .enumerate()
            .map(|(j, v)| {
                let (s, e) = match ranges.get(j) {
                    Some(&(s, e)) if exact => (start + s, start + e),
                    _ => (*start, end),
                };
                (v.trim().to_string(), s, e)
            })
            .collect();
        rows.push(Row {
            start: *start,
            end,
            cells,
        });
    }
    rows
}

struct Builder<'a> {
    file: &'a SourceFile,
    facts: Facts,
    vlans: HashMap<u16, usize>,
    named: HashMap<(NetworkKind, String), usize>,
}

impl Builder<'_> {
    fn vlan(&mut self, id: u16, name: Option<&str>, span: Span) -> usize {
        if let Some(&i) = self.vlans.get(&id) {
            return i;
        }
        let mut net = Network::new(
            name.map_or_else(|| format!("VLAN {id}"), str::to_string),
            NetworkKind::Vlan,
            span,
        );
        net.vlan = Some((id, span));
        let i = self.facts.add_network(net);
        self.vlans.insert(id, i);
        i
    }

    fn named(&mut self, kind: NetworkKind, name: &str, span: Span) -> usize {
        let key = (kind, name.to_string());
        if let Some(&i) = self.named.get(&key) {
            return i;
        }
        let mut net = Network::new(name, kind, span);
        net.name_span = Some(span);
        if kind == NetworkKind::Subnet
            && let Some(c) = crate::model::parse_cidr(name)
        {
            net.cidrs.push((c, span));
        }
        let i = self.facts.add_network(net);
        self.named.insert(key, i);
        i
    }
}

pub(super) fn parse(file: &SourceFile) -> Facts {
    let text: &str = &file.text;
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delim = guess_delimiter(header_line);
    let mut diags = Vec::new();
    let rows = read_rows(file, delim, &mut diags);
    let mut rows = rows
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.0.is_empty()));
    let mut b = Builder {
        file,
        facts: Facts::default(),
        vlans: HashMap::new(),
        named: HashMap::new(),
    };
    b.facts.diagnostics = diags;
    let Some(header) = rows.next() else {
        return b.facts;
    };
    let headers: Vec<String> = header
        .cells
        .iter()
        .map(|c| c.0.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let columns: Vec<Column> = headers.iter().map(|h| classify(h)).collect();
    let has = |want: &dyn Fn(&Column) -> bool| columns.iter().any(want);
    let hardware = has(&|c| {
        matches!(
            c,
            Column::Signal(Signal::Manufacturer | Signal::Model | Signal::Mac)
        )
    });
    let name_col = columns
        .iter()
        .position(|c| *c == Column::Signal(Signal::Name));
    if !hardware && has(&|c| *c == Column::Prefix) {
        for row in rows {
            prefix_row(&mut b, &columns, &headers, &row);
        }
    } else if !hardware && has(&|c| *c == Column::Vid) && name_col.is_some() {
        for row in rows {
            vlan_row(&mut b, &columns, &headers, &row);
        }
    } else {
        for (n, row) in rows.enumerate() {
            device_row(&mut b, &columns, &headers, &row, n + 1);
        }
    }
    b.facts
}

/// A network row's other columns as labels keyed by their header as
/// written (`Status`, `Site`), tags as bare labels.
fn labels_from(
    b: &Builder<'_>,
    net: &mut Network,
    columns: &[Column],
    headers: &[String],
    row: &Row,
) {
    for ((col, (v, s, e)), header) in columns.iter().zip(&row.cells).zip(headers) {
        if v.is_empty() {
            continue;
        }
        let span = b.file.span(*s, *e);
        match col {
            Column::Tags => {
                for t in split_tags(v) {
                    net.labels.push(Label {
                        key: None,
                        value: t.to_string(),
                        span,
                    });
                }
            }
            Column::Other(_)
            | Column::Signal(Signal::Description | Signal::Role)
            | Column::Zone => net.labels.push(Label {
                key: Some(header.clone()),
                value: v.clone(),
                span,
            }),
            _ => {}
        }
    }
}

fn prefix_row(b: &mut Builder<'_>, columns: &[Column], headers: &[String], row: &Row) {
    let Some(i) = columns.iter().position(|c| *c == Column::Prefix) else {
        return;
    };
    let Some((prefix, ps, pe)) = row.cells.get(i) else {
        return;
    };
    if prefix.is_empty() {
        return;
    }
    let pspan = b.file.span(*ps, *pe);
    let mut net = Network::new(
        prefix.clone(),
        NetworkKind::Prefix,
        b.file.span(row.start, row.end),
    );
    net.name_span = Some(pspan);
    if let Some(c) = crate::model::parse_cidr(prefix) {
        net.cidrs.push((c, pspan));
    }
    for (col, (v, s, e)) in columns.iter().zip(&row.cells) {
        if *col == Column::Vlan
            && let Some((id, _)) = vlan_ref(v)
        {
            net.vlan = Some((id, b.file.span(*s, *e)));
        }
    }
    labels_from(b, &mut net, columns, headers, row);
    b.facts.add_network(net);
}

fn vlan_row(b: &mut Builder<'_>, columns: &[Column], headers: &[String], row: &Row) {
    let cell = |want: &Column| {
        columns
            .iter()
            .position(|c| c == want)
            .and_then(|i| row.cells.get(i))
    };
    let Some((vid, vs, ve)) = cell(&Column::Vid) else {
        return;
    };
    let Ok(id) = vid.parse::<u16>() else { return };
    let name = cell(&Column::Signal(Signal::Name));
    let label = name.map_or_else(|| format!("VLAN {id}"), |n| n.0.clone());
    let mut net = Network::new(label, NetworkKind::Vlan, b.file.span(row.start, row.end));
    net.name_span = name.map(|n| b.file.span(n.1, n.2));
    net.vlan = Some((id, b.file.span(*vs, *ve)));
    labels_from(b, &mut net, columns, headers, row);
    let idx = b.facts.add_network(net);
    b.vlans.entry(id).or_insert(idx);
}

fn device_row(b: &mut Builder<'_>, columns: &[Column], headers: &[String], row: &Row, n: usize) {
    let span = b.file.span(row.start, row.end);
    let mut dev = Device::new(String::new(), span);
    let mut links: Vec<(usize, Span, String)> = Vec::new();
    let mut zones: Vec<usize> = Vec::new();
    for ((col, (v, s, e)), header) in columns.iter().zip(&row.cells).zip(headers) {
        if v.is_empty() {
            continue;
        }
        let cspan = b.file.span(*s, *e);
        match col {
            Column::Signal(sig) => dev.fact(*sig, v.clone(), cspan, header.clone()),
            Column::Tags => {
                for t in split_tags(v) {
                    dev.fact(Signal::Tag, t, cspan, "tags");
                }
            }
            Column::Vlan => {
                if let Some((id, name)) = vlan_ref(v) {
                    let net = b.vlan(id, name.as_deref(), cspan);
                    links.push((net, cspan, format!("vlan {id}")));
                }
            }
            Column::Subnet | Column::Prefix => {
                if crate::model::parse_cidr(v).is_some() {
                    let net = b.named(NetworkKind::Subnet, v, cspan);
                    links.push((net, cspan, format!("subnet {v}")));
                }
            }
            Column::Zone => {
                let net = b.named(NetworkKind::Zone, v, cspan);
                zones.push(net);
                links.push((net, cspan, format!("zone {v}")));
            }
            Column::Vid | Column::Other(_) => {}
        }
    }
    if dev.facts.is_empty() {
        return;
    }
    let name = dev.facts_of(Signal::Name).next().map(|f| f.value.clone());
    dev.name = name.unwrap_or_else(|| format!("row {n}"));
    dev.candidate = !dev
        .facts
        .iter()
        .any(|f| matches!(f.signal, Signal::Manufacturer | Signal::Model | Signal::Mac));
    // A zone named on the same row as a classification column carries it.
    for (col, (v, s, e)) in columns.iter().zip(&row.cells) {
        if let Column::Other(key) = col {
            let k = fields::normalise(key);
            if !v.is_empty()
                && matches!(
                    k.as_str(),
                    "sensitivity" | "classification" | "data_classification"
                )
            {
                for &z in &zones {
                    let span = b.file.span(*s, *e);
                    if let Some(net) = b.facts.networks.get_mut(z) {
                        net.labels.push(Label {
                            key: Some(k.clone()),
                            value: v.clone(),
                            span,
                        });
                    }
                }
            }
        }
    }
    for (network, span, via) in links {
        dev.links.push(Link { network, span, via });
    }
    b.facts.devices.push(dev);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;
    use crate::sources::netconf::test_support::file;

    #[test]
    fn netbox_device_export_with_synonyms() {
        let text = "Name,Status,Site,Manufacturer,Type,Primary IPv4,Tags,VLAN\n\
cam-01,active,HQ,Hikvision,DS-2CD2143G2-I,10.0.1.5/24,\"cctv,outdoor\",SECURE-OPS (110)\n\
desk-01,active,HQ,,,10.0.2.5/24,,\n\
\"cam, lobby\",active,HQ,Axis,P3245,,,110\n";
        let f = file(SourceKind::AssetCsv, text);
        let facts = parse(&f);
        assert!(facts.diagnostics.is_empty());
        assert_eq!(facts.devices.len(), 3);
        let cam = &facts.devices[0];
        assert_eq!(cam.name, "cam-01");
        assert!(!cam.candidate);
        assert_eq!(f.slice(cam.span), text.lines().nth(1).unwrap());
        let m = cam.facts_of(Signal::Model).next().unwrap();
        assert_eq!(m.value, "DS-2CD2143G2-I");
        assert_eq!(f.slice(m.span), "DS-2CD2143G2-I");
        assert_eq!(
            cam.facts_of(Signal::Manufacturer).next().unwrap().value,
            "Hikvision"
        );
        assert_eq!(cam.facts_of(Signal::Tag).count(), 2);
        let vlan = cam.links.iter().find(|l| l.via == "vlan 110").unwrap();
        assert_eq!(facts.networks[vlan.network].name, "SECURE-OPS");
        assert!(facts.devices[1].candidate);
        let lobby = &facts.devices[2];
        assert_eq!(lobby.name, "cam, lobby");
        assert_eq!(
            f.slice(lobby.facts_of(Signal::Name).next().unwrap().span),
            "\"cam, lobby\""
        );
        let v = lobby.links.iter().find(|l| l.via == "vlan 110").unwrap();
        assert_eq!(v.network, vlan.network, "same VLAN, same network");
    }

    #[test]
    fn generic_register_semicolons_and_zone_classification() {
        let text = "hostname;vendor;mac_address;zone;classification\ncam1;Dahua;3c:ef:8c:00:00:01;OPS;secret\n";
        let f = file(SourceKind::AssetCsv, text);
        let facts = parse(&f);
        let d = &facts.devices[0];
        assert_eq!(
            d.facts_of(Signal::Mac).next().unwrap().value,
            "3c:ef:8c:00:00:01"
        );
        let zone = &facts.networks[d.links[0].network];
        assert_eq!(zone.kind, NetworkKind::Zone);
        assert_eq!(zone.name, "OPS");
        assert!(
            zone.labels
                .iter()
                .any(|l| l.key.as_deref() == Some("classification") && l.value == "secret")
        );
    }

    #[test]
    fn prefix_and_vlan_exports_give_networks() {
        let text = "Prefix,Status,VLAN,Tags,Description\n10.0.110.0/24,active,110,\"secure,cctv\",Cameras\n";
        let f = file(SourceKind::AssetCsv, text);
        let facts = parse(&f);
        assert!(facts.devices.is_empty());
        let n = &facts.networks[0];
        assert_eq!(n.kind, NetworkKind::Prefix);
        assert_eq!(n.cidrs[0].0.to_string(), "10.0.110.0/24");
        assert_eq!(n.vlan.unwrap().0, 110);
        assert!(
            n.labels
                .iter()
                .any(|l| l.key.is_none() && l.value == "secure")
        );
        assert!(
            n.labels
                .iter()
                .any(|l| l.key.as_deref() == Some("Status") && l.value == "active")
        );

        let text = "VID,Name,Tags\n110,SECURE-OPS,\n120,GENERAL,\n";
        let f = file(SourceKind::AssetCsv, text);
        let facts = parse(&f);
        assert_eq!(facts.networks.len(), 2);
        assert_eq!(f.slice(facts.networks[0].name_span.unwrap()), "SECURE-OPS");
        assert_eq!(facts.networks[1].vlan.unwrap().0, 120);
    }

    #[test]
    fn broken_quotes_do_not_panic() {
        for text in [
            "",
            "\n\n",
            "a,b\n\"x",
            "Name,MAC\n\"cam,00:11:22:33:44:55\n",
            "\u{feff}Name,Model\nc,m\n",
        ] {
            let _ = parse(&file(SourceKind::AssetCsv, text));
        }
    }
}
