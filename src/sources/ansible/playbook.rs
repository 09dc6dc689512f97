//! Playbooks and task files: what plays bring to hosts, and what network
//! modules say about VLANs and switch ports.
//!
//! A play contributes variables to the hosts its `hosts:` pattern selects:
//! `vars`, `vars_files` and the roles it uses (their `defaults/` below the
//! inventory, their `vars/` above it). This module only records those
//! references; `mod.rs` finds the files and `inventory` applies them.
//! Network resource modules (`cisco.ios.ios_vlans`,
//! `arista.eos.eos_l2_interfaces`, `junipernetworks.junos.junos_interfaces`…,
//! listed in `vars`) are read here directly: VLAN definitions become VLAN
//! networks, access ports with a description become candidate devices
//! linked to their VLAN. Templated values are never evaluated.

use indexmap::IndexMap;

use crate::model::{Device, Diagnostic, Facts, Link, Network, NetworkKind, Signal, Span};

use super::inventory::{HostPattern, Var, load_diagnostics, vars_of_map};
use super::jinja;
use super::vars::{ModuleKind, network_module};
use super::yaml::{Loaded, Node, Value};

/// A role a play uses.
#[derive(Debug, Clone)]
pub struct RoleRef {
    pub name: String,
    /// `vars:` and parameters given with the role: above role vars.
    pub params: Vec<Var>,
}

/// One play, with its references still unresolved.
#[derive(Debug, Clone)]
pub struct Play {
    pub pattern: HostPattern,
    pub vars: Vec<Var>,
    /// Paths as written, relative to the playbook.
    pub vars_files: Vec<(String, Span)>,
    pub roles: Vec<RoleRef>,
}

/// What a playbook or task file holds.
#[derive(Debug, Default)]
pub struct Playbook {
    pub plays: Vec<Play>,
    /// VLAN networks and candidate port devices from network modules.
    pub facts: Facts,
}

/// Keys a role entry may carry that are not role parameters.
const ROLE_KEYWORDS: &[&str] = &[
    "role",
    "name",
    "tags",
    "when",
    "vars",
    "become",
    "become_user",
    "become_method",
    "delegate_to",
    "environment",
    "ignore_errors",
    "no_log",
    "connection",
    "collections",
    "apply",
    "public",
    "allow_duplicates",
    "tasks_from",
    "vars_from",
    "defaults_from",
    "handlers_from",
];

/// Task lists a play (or a block) may hold.
const TASK_LISTS: &[&str] = &[
    "pre_tasks",
    "tasks",
    "post_tasks",
    "handlers",
    "block",
    "rescue",
    "always",
];

pub fn parse(loaded: &Loaded) -> Playbook {
    let mut book = Playbook::default();
    book.facts.diagnostics = load_diagnostics(loaded);
    let mut net = NetworkModules::default();
    for doc in &loaded.docs {
        if doc.is_null() {
            continue;
        }
        let Some(items) = doc.as_seq() else {
            book.facts.diagnostics.push(Diagnostic::parse_error(
                doc.span,
                "a playbook or task file must be a list",
            ));
            continue;
        };
        let is_playbook = items
            .iter()
            .any(|i| i.get("hosts").is_some() || i.get("import_playbook").is_some());
        if !is_playbook {
            walk_tasks(items, "", &mut net, &mut Vec::new());
            continue;
        }
        for item in items {
            let Some(hosts) = item.get("hosts") else {
                continue;
            };
            let pattern_text = match (hosts.as_text(), hosts.as_seq()) {
                (Some(t), _) => t.to_string(),
                (None, Some(list)) => list
                    .iter()
                    .filter_map(Node::as_text)
                    .collect::<Vec<_>>()
                    .join(","),
                _ => String::new(),
            };
            let mut play = Play {
                pattern: HostPattern::parse(&pattern_text),
                vars: Vec::new(),
                vars_files: Vec::new(),
                roles: Vec::new(),
            };
            if let Some(v) = item.get("vars") {
                match (v.as_map(), v.as_seq()) {
                    (Some(_), _) => play.vars.extend(vars_of_map(v)),
                    (None, Some(list)) => play.vars.extend(list.iter().flat_map(vars_of_map)),
                    _ => {}
                }
            }
            for f in item.get("vars_files").and_then(Node::as_seq).unwrap_or(&[]) {
                // A nested list offers alternatives: the first is tried first.
                let f = f.as_seq().and_then(|alts| alts.first()).unwrap_or(f);
                if let Some(path) = f.as_text() {
                    play.vars_files.push((path.to_string(), f.span));
                }
            }
            for r in item.get("roles").and_then(Node::as_seq).unwrap_or(&[]) {
                if let Some(role) = role_ref(r) {
                    play.roles.push(role);
                }
            }
            for list in TASK_LISTS {
                if let Some(tasks) = item.get(list).and_then(Node::as_seq) {
                    walk_tasks(tasks, &pattern_text, &mut net, &mut play.roles);
                }
            }
            book.plays.push(play);
        }
    }
    net.emit(&mut book.facts);
    book
}

fn role_ref(node: &Node) -> Option<RoleRef> {
    if let Some(name) = node.as_text() {
        return Some(RoleRef {
            name: name.to_string(),
            params: Vec::new(),
        });
    }
    let name_node = node.get("role").or_else(|| node.get("name"))?;
    let name = name_node.as_text()?;
    if jinja::is_template(name) {
        return None;
    }
    let mut params = Vec::new();
    if let Some(v) = node.get("vars") {
        params.extend(vars_of_map(v));
    }
    for (k, v) in node.as_map().unwrap_or(&[]) {
        if let Some(key) = k.key_text()
            && !ROLE_KEYWORDS.contains(&key)
        {
            params.push(Var::from_node(key, v));
        }
    }
    Some(RoleRef {
        name: name.to_string(),
        params,
    })
}

/// A VLAN a port is put in: by number, or by name (Junos).
#[derive(Debug, Clone, PartialEq, Eq)]
enum VlanRef {
    Id(u16),
    Name(String),
}

#[derive(Debug, Default)]
struct Port {
    span: Option<Span>,
    name_span: Option<Span>,
    description: Option<(String, Span)>,
    access: Option<(VlanRef, Span)>,
    unknowns: Vec<(Span, String)>,
}

#[derive(Debug)]
struct Vlan {
    id: Option<(u16, Span)>,
    name: Option<(String, Span)>,
    span: Span,
}

/// What the network modules of one file describe.
#[derive(Debug, Default)]
struct NetworkModules {
    vlans: Vec<Vlan>,
    /// By (play hosts, interface name).
    ports: IndexMap<(String, String), Port>,
}

/// Walks a task list (and its blocks) without recursion.
fn walk_tasks(tasks: &[Node], hosts: &str, net: &mut NetworkModules, roles: &mut Vec<RoleRef>) {
    let mut todo: Vec<&Node> = tasks.iter().rev().collect();
    while let Some(task) = todo.pop() {
        let Some(entries) = task.as_map() else {
            continue;
        };
        for (k, v) in entries {
            let Some(key) = k.key_text() else {
                continue;
            };
            if ["block", "rescue", "always"].contains(&key) {
                todo.extend(v.as_seq().unwrap_or(&[]).iter().rev());
                continue;
            }
            let short = key.rsplit('.').next().unwrap_or(key);
            if short == "import_role" || short == "include_role" {
                if let Some(role) = v.get("name").and_then(role_name_ref) {
                    roles.push(role);
                }
                continue;
            }
            if let Some(kind) = network_module(key) {
                net.read_module(kind, v, hosts);
            }
        }
    }
}

fn role_name_ref(node: &Node) -> Option<RoleRef> {
    let name = node.as_text()?;
    (!jinja::is_template(name)).then(|| RoleRef {
        name: name.to_string(),
        params: Vec::new(),
    })
}

/// A plain (untemplated) text value.
fn text(node: &Node) -> Option<&str> {
    node.as_text().filter(|t| !jinja::is_template(t))
}

fn vlan_id(node: &Node) -> Option<u16> {
    let id = match node.value()? {
        Value::Int(i) => i,
        Value::Str(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    u16::try_from(id).ok().filter(|id| (1..=4094).contains(id))
}

impl NetworkModules {
    fn read_module(&mut self, kind: ModuleKind, args: &Node, hosts: &str) {
        let state = args
            .get("state")
            .and_then(Node::as_text)
            .unwrap_or("merged");
        if ["deleted", "gathered", "parsed", "purged"].contains(&state) {
            return;
        }
        if kind == ModuleKind::ConfigLines {
            self.read_config_lines(args, hosts);
            return;
        }
        let Some(config) = args.get("config") else {
            return;
        };
        // Most modules take a list; a single mapping is accepted too.
        let entries: Vec<&Node> = match config.as_seq() {
            Some(list) => list.iter().collect(),
            None => vec![config],
        };
        for entry in entries {
            if entry.as_map().is_none() {
                continue;
            }
            match kind {
                ModuleKind::Vlans => self.read_vlan(entry),
                ModuleKind::Interfaces | ModuleKind::L2Interfaces => {
                    self.read_port(kind, entry, hosts)
                }
                ModuleKind::ConfigLines => {}
            }
        }
    }

    /// `ios_config` and friends: the CLI `lines` (or `commands`) under
    /// `parents`. Only what the resource modules also say is read: an
    /// interface's description and access VLAN, a VLAN's name. Each value
    /// keeps the span of its own line in the task.
    fn read_config_lines(&mut self, args: &Node, hosts: &str) {
        let parents: Vec<&Node> = match args.get("parents") {
            Some(p) => match p.as_seq() {
                Some(list) => list.iter().collect(),
                None => vec![p],
            },
            None => Vec::new(),
        };
        let Some(lines) = args.get("lines").or_else(|| args.get("commands")) else {
            return;
        };
        let lines: Vec<&Node> = match lines.as_seq() {
            Some(list) => list.iter().collect(),
            None => vec![lines],
        };
        let Some(parent) = parents
            .last()
            .and_then(|p| text(p).map(|t| (t.trim(), p.span)))
        else {
            return;
        };
        if let Some(name) = parent.0.strip_prefix("interface ") {
            let port = self
                .ports
                .entry((hosts.to_string(), name.trim().to_string()))
                .or_default();
            port.span.get_or_insert(args.span);
            port.name_span.get_or_insert(parent.1);
            for line in &lines {
                let Some(t) = text(line) else { continue };
                let t = t.trim();
                if let Some(d) = t.strip_prefix("description ") {
                    port.description = Some((d.trim().to_string(), line.span));
                } else if let Some(v) = t.strip_prefix("switchport access vlan ")
                    && let Ok(id) = v.trim().parse::<u16>()
                    && (1..=4094).contains(&id)
                {
                    port.access = Some((VlanRef::Id(id), line.span));
                }
            }
        } else if let Some(id) = parent.0.strip_prefix("vlan ")
            && let Ok(id) = id.trim().parse::<u16>()
            && (1..=4094).contains(&id)
        {
            let name = lines.iter().find_map(|l| {
                let t = text(l)?.trim();
                t.strip_prefix("name ")
                    .map(|n| (n.trim().to_string(), l.span))
            });
            if let Some(known) = self
                .vlans
                .iter_mut()
                .find(|v| v.id.is_some_and(|(i, _)| i == id))
            {
                if known.name.is_none() {
                    known.name = name;
                }
                return;
            }
            self.vlans.push(Vlan {
                id: Some((id, parent.1)),
                name,
                span: args.span,
            });
        }
    }

    fn read_vlan(&mut self, entry: &Node) {
        let id = entry
            .get("vlan_id")
            .and_then(|n| vlan_id(n).map(|id| (id, n.span)));
        let name = entry
            .get("name")
            .and_then(|n| text(n).map(|t| (t.to_string(), n.span)));
        if id.is_none() && name.is_none() {
            return;
        }
        // One network per VLAN id in a file; a later entry may name it.
        if let Some((want, _)) = id
            && let Some(known) = self
                .vlans
                .iter_mut()
                .find(|v| v.id.is_some_and(|(i, _)| i == want))
        {
            if known.name.is_none() {
                known.name = name;
            }
            return;
        }
        self.vlans.push(Vlan {
            id,
            name,
            span: entry.span,
        });
    }

    fn read_port(&mut self, kind: ModuleKind, entry: &Node, hosts: &str) {
        let Some(name_node) = entry.get("name") else {
            return;
        };
        let Some(name) = text(name_node) else {
            return;
        };
        let port = self
            .ports
            .entry((hosts.to_string(), name.to_string()))
            .or_default();
        port.span.get_or_insert(entry.span);
        port.name_span.get_or_insert(name_node.span);
        if let Some(d) = entry.get("description") {
            match d.as_text() {
                Some(t) if jinja::is_template(t) => port.unknowns.push((
                    d.span,
                    "description: templated values are not evaluated".to_string(),
                )),
                Some(t) => port.description = Some((t.to_string(), d.span)),
                None => {}
            }
        }
        if kind == ModuleKind::L2Interfaces
            && let Some(vlan) = entry.get("access").and_then(|a| a.get("vlan"))
        {
            if let Some(id) = vlan_id(vlan) {
                port.access = Some((VlanRef::Id(id), vlan.span));
            } else if let Some(t) = text(vlan) {
                port.access = Some((VlanRef::Name(t.to_string()), vlan.span));
            }
        }
    }

    fn emit(self, facts: &mut Facts) {
        let mut by_id: Vec<(u16, usize)> = Vec::new();
        let mut by_name: Vec<(String, usize)> = Vec::new();
        for v in self.vlans {
            let label = match (&v.name, v.id) {
                (Some((n, _)), _) => n.clone(),
                (None, Some((id, _))) => format!("vlan {id}"),
                (None, None) => continue,
            };
            let mut net = Network::new(label, NetworkKind::Vlan, v.span);
            net.name_span = v.name.as_ref().map(|(_, s)| *s);
            net.vlan = v.id;
            let idx = facts.add_network(net);
            if let Some((id, _)) = v.id {
                by_id.push((id, idx));
            }
            if let Some((n, _)) = v.name {
                by_name.push((n, idx));
            }
        }
        for ((hosts, name), port) in self.ports {
            if port.description.is_none() && port.access.is_none() {
                continue;
            }
            let (Some(span), Some(name_span)) = (port.span, port.name_span) else {
                continue;
            };
            let label = if hosts.is_empty() {
                name.clone()
            } else {
                format!("{hosts} {name}")
            };
            let mut device = Device::new(label, span);
            device.candidate = true;
            device.fact(Signal::Name, name.as_str(), name_span, "name");
            if let Some((d, s)) = &port.description {
                device.fact(Signal::Description, d.as_str(), *s, "description");
            }
            device.unknowns = port.unknowns;
            if let Some((vlan, vspan)) = port.access {
                let known = match &vlan {
                    VlanRef::Id(id) => by_id.iter().find(|(i, _)| i == id).map(|(_, n)| *n),
                    VlanRef::Name(n) => by_name.iter().find(|(m, _)| m == n).map(|(_, i)| *i),
                };
                let net = known.unwrap_or_else(|| {
                    // A VLAN defined elsewhere: the resolver joins it by id.
                    let (label, id) = match &vlan {
                        VlanRef::Id(id) => (format!("vlan {id}"), Some((*id, vspan))),
                        VlanRef::Name(n) => (n.clone(), None),
                    };
                    let mut net = Network::new(label, NetworkKind::Vlan, vspan);
                    net.vlan = id;
                    let idx = facts.add_network(net);
                    match &vlan {
                        VlanRef::Id(id) => by_id.push((*id, idx)),
                        VlanRef::Name(n) => by_name.push((n.clone(), idx)),
                    }
                    idx
                });
                let via = match &vlan {
                    VlanRef::Id(id) => format!("access vlan {id}"),
                    VlanRef::Name(n) => format!("access vlan {n}"),
                };
                device.links.push(Link {
                    network: net,
                    span: vspan,
                    via,
                });
            }
            facts.devices.push(device);
        }
    }
}
