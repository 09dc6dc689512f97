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
use crate::sources::text::{lines, split_whitespace, trim_end, trim_start};

/// How much of a file is looked at.
const HEAD: usize = 4096;

/// A line that is not a `#` comment holds `hardware ethernet`. Searched
/// once per head: a search set up for every line cost more than the rest
/// of the line's checks together.
fn hardware_line(head: &str) -> bool {
    memchr::memmem::find_iter(head.as_bytes(), "hardware ethernet").any(|at| {
        let start =
            memchr::memrchr(b'\n', head.as_bytes().get(..at).unwrap_or(&[])).map_or(0, |i| i + 1);
        !head
            .get(start..at)
            .is_some_and(|l| trim_start(l).starts_with('#'))
    })
}

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
    let seen = Seen::of(head);
    if seen.junos_set() {
        return Some(SourceKind::JunosSet);
    }
    if seen.junos_curly() {
        return Some(SourceKind::JunosCurly);
    }
    if seen.dhcpd() {
        return Some(SourceKind::Dhcpd);
    }
    if seen.dnsmasq {
        return Some(SourceKind::Dnsmasq);
    }
    if seen.cisco() {
        return Some(SourceKind::CiscoConfig);
    }
    None
}

/// What the text formats' telltale lines were seen in a head, gathered in
/// one pass: each file of an estate is sniffed, and one pass per format
/// (with a word list per line) cost more than parsing some of them.
#[derive(Default)]
struct Seen {
    // Junos `set` style: set-like lines, other lines, a top-level stanza.
    set_lines: usize,
    other_lines: usize,
    set_stanza: bool,
    // Junos curly style: top-level stanzas, a leaf statement.
    curly_blocks: usize,
    curly_leaf: bool,
    // dhcpd: a statement only dhcpd writes, or a host with a MAC.
    dhcpd_statement: bool,
    dhcpd_host: bool,
    dhcpd_hardware: bool,
    dnsmasq: bool,
    // IOS/EOS/NX-OS: an interface with indented children, and a hostname,
    // `!` separators or a version line; or show-run's own preamble.
    cisco_preamble: bool,
    cisco_iface_children: bool,
    cisco_hostname: bool,
    cisco_bang: bool,
    cisco_version: bool,
}

impl Seen {
    fn of(head: &str) -> Seen {
        let mut seen = Seen::default();
        let mut prev_iface = false;
        for line in lines(head) {
            let l = trim_end(line);
            seen.cisco_line(l, &mut prev_iface);
            if !l.is_empty() {
                let mut d = trim_start(l);
                seen.junos_line(l, d);
                seen.dhcpd_line(d);
                while let Some(rest) = d.strip_prefix("--") {
                    d = rest;
                }
                seen.dnsmasq |= d.as_bytes().get(..2) == Some(b"dh")
                    && (d.starts_with("dhcp-range=") || d.starts_with("dhcp-host="));
            }
        }
        seen.dhcpd_hardware |= hardware_line(head);
        seen
    }

    /// `l` without trailing space; `t` is `l` without leading space too.
    fn junos_line(&mut self, l: &str, t: &str) {
        // Every string test here is guarded by a byte test that any match
        // passes: most lines of any format fail the byte test, and each
        // string comparison is a call.
        if l.ends_with('{')
            && matches!(
                l,
                "interfaces {"
                    | "vlans {"
                    | "system {"
                    | "protocols {"
                    | "routing-options {"
                    | "security {"
                    | "chassis {"
            )
        {
            self.curly_blocks += 1;
        }
        self.curly_leaf |= l.ends_with(';')
            || (t.as_bytes().get(..2) == Some(b"ho") && t.starts_with("host-name "));
        // Splitting words is most of a sniff's cost; only lines that can
        // start with a set-like word are split (the word must still match
        // whole: `settings` is not `set`).
        let set_like = match l.as_bytes().get(..2) {
            Some(b"se") => l.starts_with("set"),
            Some(b"de") => l.starts_with("delete") || l.starts_with("deactivate"),
            Some(b"ac") => l.starts_with("activate"),
            _ => false,
        };
        if !set_like {
            if !l.starts_with('#') {
                self.other_lines += 1;
            }
            return;
        }
        let mut words = split_whitespace(l);
        match words.next().unwrap_or("") {
            "set" | "delete" | "deactivate" | "activate" => {
                self.set_lines += 1;
                self.set_stanza |= matches!(
                    words.next().unwrap_or(""),
                    "interfaces"
                        | "vlans"
                        | "system"
                        | "protocols"
                        | "routing-options"
                        | "security"
                        | "groups"
                );
            }
            _ => self.other_lines += 1,
        }
    }

    /// `l` is trimmed on both sides. `hardware ethernet` anywhere in a
    /// line is found for the whole head at once, by [`hardware_line`].
    fn dhcpd_line(&mut self, l: &str) {
        // Only lines whose first word can be one of dhcpd's are split;
        // their first two bytes say which word to compare.
        let maybe = match l.as_bytes().get(..2) {
            Some(b"su") => l.starts_with("subnet"),
            Some(b"sh") => l.starts_with("shared-network"),
            Some(b"ho") => l.starts_with("host"),
            Some(b"ha") => l.starts_with("hardware"),
            Some(b"dd") => l.starts_with("ddns-update-style"),
            Some(b"au") => l.starts_with("authoritative;"),
            _ => false,
        };
        if !maybe {
            return;
        }
        let mut w = [""; 5];
        let mut n = 0;
        for (slot, word) in w.iter_mut().zip(split_whitespace(l)) {
            *slot = word;
            n += 1;
        }
        match (n, w) {
            (5, ["subnet", _, "netmask", _, "{"])
            | (3.., ["shared-network", _, "{", ..])
            | (3.., ["subnet6", _, "{", ..])
            | (1.., ["ddns-update-style", ..])
            | (1, ["authoritative;", ..]) => self.dhcpd_statement = true,
            (3.., ["host", _, "{", ..]) => self.dhcpd_host = true,
            (2.., ["hardware", "ethernet", ..]) => self.dhcpd_hardware = true,
            _ => {}
        }
    }

    fn cisco_line(&mut self, l: &str, prev_iface: &mut bool) {
        if *prev_iface && l.starts_with(' ') {
            self.cisco_iface_children = true;
        }
        let words = || split_whitespace(l).count();
        *prev_iface = false;
        // Dispatched on the first byte: most lines start with none of
        // these words, and each comparison is a call.
        match l.as_bytes().first() {
            Some(b'B') => self.cisco_preamble |= l.starts_with("Building configuration"),
            Some(b'C') => self.cisco_preamble |= l.starts_with("Current configuration :"),
            Some(b'i') => {
                *prev_iface = l.starts_with("interface ") && split_whitespace(l).nth(1).is_some()
            }
            Some(b'h') => self.cisco_hostname |= l.starts_with("hostname ") && words() == 2,
            Some(b'!') => {
                self.cisco_bang |= l == "!" || l.starts_with("! ") || l.starts_with("!Command:");
            }
            Some(b'v') => self.cisco_version |= l.starts_with("version ") && words() == 2,
            _ => {}
        }
    }

    fn junos_set(&self) -> bool {
        self.set_stanza && self.set_lines > self.other_lines
    }

    fn junos_curly(&self) -> bool {
        self.curly_blocks > 0 && self.curly_leaf
    }

    fn dhcpd(&self) -> bool {
        self.dhcpd_statement || (self.dhcpd_host && self.dhcpd_hardware)
    }

    fn cisco(&self) -> bool {
        self.cisco_preamble
            || (self.cisco_iface_children
                && (self.cisco_hostname || self.cisco_bang || self.cisco_version))
    }
}

fn head(text: &str) -> &str {
    let mut end = text.len().min(HEAD);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
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
