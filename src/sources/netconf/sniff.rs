//! Content-based classification of network configuration files.
//!
//! Switch configs and DHCP configs come as `.cfg`, `.conf`, `.txt` or no
//! extension at all, so the name rarely decides. [`sniff`] looks at a
//! well-known file name first and then at the first few kilobytes, and only
//! claims a file when it sees statements that only that format writes
//! (`subnet … netmask … {`, `dhcp-host=`, `interface X` with indented
//! children next to `hostname`…). Claiming a file means a parse error is a
//! failed build, so a README, an nginx.conf or a sales spreadsheet must
//! never be claimed: when in doubt, the answer is `None`.

use crate::model::SourceKind;
use crate::sources::fields;

/// How much of a file is looked at.
const HEAD: usize = 4096;

/// The kind of a network configuration file, or `None` when it is not one
/// (or not clearly one).
pub fn sniff(file_name: &str, text: &str) -> Option<SourceKind> {
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .to_ascii_lowercase();
    let head = head(text);
    if base.ends_with(".csv") || base.ends_with(".tsv") {
        return is_asset_csv(head).then_some(SourceKind::AssetCsv);
    }
    if base.ends_with(".json") {
        if is_kea(head) {
            return Some(SourceKind::Kea);
        }
        return is_netbox_json(head).then_some(SourceKind::NetboxJson);
    }
    if base == "dhcpd.conf" || base == "dhcpd6.conf" {
        return Some(SourceKind::Dhcpd);
    }
    if base.starts_with("kea-dhcp4") || base.starts_with("kea-dhcp6") {
        return Some(SourceKind::Kea);
    }
    if base == "dnsmasq.conf" {
        return Some(SourceKind::Dnsmasq);
    }
    if is_kea(head) {
        return Some(SourceKind::Kea);
    }
    if is_junos_set(head) {
        return Some(SourceKind::JunosSet);
    }
    if is_junos_curly(head) {
        return Some(SourceKind::JunosCurly);
    }
    if is_dhcpd(head) {
        return Some(SourceKind::Dhcpd);
    }
    if is_dnsmasq(head) {
        return Some(SourceKind::Dnsmasq);
    }
    if is_cisco(head) {
        return Some(SourceKind::CiscoConfig);
    }
    None
}

fn head(text: &str) -> &str {
    let mut end = text.len().min(HEAD);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

/// Non-empty lines without their line breaks.
fn lines(head: &str) -> impl Iterator<Item = &str> {
    head.lines().map(|l| l.trim_end()).filter(|l| !l.is_empty())
}

/// The first key of the top-level JSON object is `Dhcp4` or `Dhcp6`.
fn is_kea(head: &str) -> bool {
    let mut rest = skip_json_trivia(head);
    let Some(r) = rest.strip_prefix('{') else {
        return false;
    };
    rest = skip_json_trivia(r);
    rest.starts_with("\"Dhcp4\"") || rest.starts_with("\"Dhcp6\"")
}

fn skip_json_trivia(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        if let Some(r) = t.strip_prefix("//").or_else(|| t.strip_prefix('#')) {
            s = r.find('\n').map_or("", |i| r.get(i..).unwrap_or(""));
        } else if let Some(r) = t.strip_prefix("/*") {
            s = r.find("*/").map_or("", |i| r.get(i + 2..).unwrap_or(""));
        } else {
            return t;
        }
    }
}

/// A NetBox API or export dump: objects with NetBox's field names.
fn is_netbox_json(head: &str) -> bool {
    let t = skip_json_trivia(head);
    (t.starts_with('[') || t.starts_with('{'))
        && (head.contains("\"device_type\"") || head.contains("\"primary_ip4\""))
        && (head.contains("\"manufacturer\"") || head.contains("\"site\""))
}

fn is_junos_set(head: &str) -> bool {
    let mut set = 0usize;
    let mut other = 0usize;
    let mut strong = false;
    for l in lines(head) {
        if l.starts_with('#') {
            continue;
        }
        let first = l.split_whitespace().next().unwrap_or("");
        match first {
            "set" | "delete" | "deactivate" | "activate" => {
                set += 1;
                let second = l.split_whitespace().nth(1).unwrap_or("");
                strong |= matches!(
                    second,
                    "interfaces"
                        | "vlans"
                        | "system"
                        | "protocols"
                        | "routing-options"
                        | "security"
                        | "groups"
                );
            }
            _ => other += 1,
        }
    }
    strong && set > other
}

fn is_junos_curly(head: &str) -> bool {
    let mut blocks = 0usize;
    let mut leaf = false;
    for l in lines(head) {
        if matches!(
            l,
            "interfaces {"
                | "vlans {"
                | "system {"
                | "protocols {"
                | "routing-options {"
                | "security {"
                | "chassis {"
        ) {
            blocks += 1;
        }
        leaf |= l.trim_start().starts_with("host-name ") || l.trim_end().ends_with(';');
    }
    blocks > 0 && leaf
}

fn is_dhcpd(head: &str) -> bool {
    let mut hardware = false;
    let mut host = false;
    for l in lines(head) {
        let l = l.trim();
        if l.starts_with('#') {
            continue;
        }
        let w: Vec<&str> = l.split_whitespace().collect();
        match w.as_slice() {
            ["subnet", _, "netmask", _, "{", ..]
            | ["shared-network", _, "{", ..]
            | ["subnet6", _, "{", ..] => {
                return true;
            }
            ["host", _, "{", ..] => host = true,
            ["hardware", "ethernet", ..] => hardware = true,
            ["ddns-update-style", ..] | ["authoritative;"] => return true,
            _ => {}
        }
        if l.contains("hardware ethernet") {
            hardware = true;
        }
    }
    host && hardware
}

fn is_dnsmasq(head: &str) -> bool {
    lines(head).any(|l| {
        let l = l.trim_start().trim_start_matches("--");
        l.starts_with("dhcp-range=") || l.starts_with("dhcp-host=")
    })
}

fn is_cisco(head: &str) -> bool {
    let mut hostname = false;
    let mut bang = false;
    let mut version = false;
    let mut iface_with_children = false;
    let mut prev_iface = false;
    for l in head.lines() {
        let l = l.trim_end();
        if l.starts_with("Building configuration") || l.starts_with("Current configuration :") {
            return true;
        }
        let indented = l.starts_with(' ');
        if prev_iface && indented {
            iface_with_children = true;
        }
        prev_iface = l.starts_with("interface ") && l.split_whitespace().count() >= 2;
        hostname |= l.starts_with("hostname ") && l.split_whitespace().count() == 2;
        bang |= l == "!" || l.starts_with("! ") || l.starts_with("!Command:");
        version |= l.starts_with("version ") && l.split_whitespace().count() == 2;
    }
    iface_with_children && (hostname || bang || version)
}

/// A header row naming a device and something about its hardware or
/// address; an address column must hold an IP in the first row so a
/// customer list with street addresses is not claimed.
fn is_asset_csv(head: &str) -> bool {
    let mut ls = head.lines().filter(|l| !l.trim().is_empty());
    let Some(header) = ls.next() else {
        return false;
    };
    let delim = super::csv::guess_delimiter(header);
    let cols: Vec<String> = header
        .split(delim as char)
        .map(|c| fields::normalise(c.trim().trim_matches('"')))
        .collect();
    let first_row: Vec<&str> = ls
        .next()
        .map(|r| {
            r.split(delim as char)
                .map(|c| c.trim().trim_matches('"'))
                .collect()
        })
        .unwrap_or_default();
    let has = |names: &[&str]| cols.iter().any(|c| names.contains(&c.as_str()));
    // NetBox prefix and VLAN exports.
    if has(&["prefix"]) && has(&["status", "tags", "description", "vlan", "site", "role"]) {
        return true;
    }
    if has(&["vid"]) && has(&["name"]) {
        return true;
    }
    let deviceish = cols.iter().any(|c| {
        matches!(
            c.as_str(),
            "name"
                | "hostname"
                | "device"
                | "device_name"
                | "asset"
                | "asset_tag"
                | "asset_id"
                | "label"
        )
    });
    let hardware = cols.iter().any(|c| {
        matches!(
            super::csv::column_signal(c),
            Some(
                crate::model::Signal::Manufacturer
                    | crate::model::Signal::Model
                    | crate::model::Signal::Mac
            )
        )
    });
    let ip = cols.iter().enumerate().any(|(i, c)| {
        super::csv::column_signal(c) == Some(crate::model::Signal::Address)
            && first_row
                .get(i)
                .is_some_and(|v| crate::model::parse_address(v).is_some())
    });
    deviceish && (hardware || ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_each_format_by_content() {
        let cases = [
            (
                "acc-01.cfg",
                "hostname acc-01\n!\ninterface Gi1/0/1\n description x\n!\nend\n",
                SourceKind::CiscoConfig,
            ),
            (
                "sw.txt",
                "Building configuration...\n\nCurrent configuration : 100 bytes\n",
                SourceKind::CiscoConfig,
            ),
            (
                "leaf",
                "! device: leaf1 (DCS-7050, EOS-4.28)\nhostname leaf1\ninterface Ethernet1\n   description x\n",
                SourceKind::CiscoConfig,
            ),
            (
                "ex.conf",
                "set system host-name ex1\nset vlans OPS vlan-id 110\n",
                SourceKind::JunosSet,
            ),
            (
                "ex2.conf",
                "## Last commit\nsystem {\n    host-name ex2;\n}\ninterfaces {\n}\n",
                SourceKind::JunosCurly,
            ),
            (
                "dhcp.conf",
                "# x\nsubnet 10.0.0.0 netmask 255.255.255.0 {\n}\n",
                SourceKind::Dhcpd,
            ),
            (
                "hosts.conf",
                "host cam {\n  hardware ethernet 00:11:22:33:44:55;\n}\n",
                SourceKind::Dhcpd,
            ),
            ("dhcpd.conf", "", SourceKind::Dhcpd),
            (
                "lan.conf",
                "# dnsmasq\ndomain=lan\ndhcp-host=00:11:22:33:44:55,cam\n",
                SourceKind::Dnsmasq,
            ),
            (
                "dhcp4.json",
                "// kea\n{ # c\n \"Dhcp4\": {} }",
                SourceKind::Kea,
            ),
            (
                "devices.csv",
                "Name,Manufacturer,Device Type,Site\ncam1,Hikvision,DS-2CD,HQ\n",
                SourceKind::AssetCsv,
            ),
            (
                "assets.csv",
                "hostname;ip\ncam1;10.0.0.5\n",
                SourceKind::AssetCsv,
            ),
            (
                "prefixes.csv",
                "Prefix,Status,Tags\n10.0.0.0/24,active,secure\n",
                SourceKind::AssetCsv,
            ),
            (
                "vlans.csv",
                "VID,Name,Site\n110,SECURE-OPS,HQ\n",
                SourceKind::AssetCsv,
            ),
            (
                "devices.json",
                "[{\"name\": \"cam\", \"device_type\": {\"manufacturer\": {\"name\": \"Hikvision\"}}}]",
                SourceKind::NetboxJson,
            ),
        ];
        for (name, text, want) in cases {
            assert_eq!(sniff(name, text), Some(want), "{name}");
        }
    }

    #[test]
    fn leaves_unrelated_files_alone() {
        let cases = [
            (
                "README.txt",
                "This tool configures the interface between teams.\n\ninterface design\n  is hard\nhostname rules apply\n",
            ),
            (
                "nginx.conf",
                "events {\n    worker_connections 1024;\n}\nhttp {\n    server {\n        listen 80;\n        server_name host;\n    }\n}\n",
            ),
            (
                "sales.csv",
                "date,customer,amount,region\n2024-01-01,ACME,100,EU\n",
            ),
            (
                "customers.csv",
                "name,address,city\nBob,1 High Street,London\n",
            ),
            ("package.json", "{\"name\": \"x\", \"dependencies\": {}}"),
            (
                "notes.txt",
                "set up the vlans tomorrow\nset interfaces later\nremember the milk\nand more\n",
            ),
            (
                "sshd_config",
                "Port 22\nHostKey /etc/ssh/ssh_host_rsa_key\n",
            ),
            ("empty.conf", ""),
        ];
        for (name, text) in cases {
            assert_eq!(sniff(name, text), None, "{name}");
        }
    }
}
