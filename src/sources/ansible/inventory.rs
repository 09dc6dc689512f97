//! Inventories: groups, hosts and variables, resolved as Ansible does.
//!
//! Parsers (`ini`, the YAML inventory reader here) produce
//! [`InventorySource`]s: declarations with spans. [`assemble`] merges the
//! sources of one inventory with its `group_vars/`/`host_vars/` files and
//! the plays that target it, and applies Ansible's variable precedence
//! (role defaults < `all` < parent group < child group < group_vars files
//! < host vars < host_vars files < play vars < role vars), so each fact
//! keeps the span of the value that wins. Groups become
//! [`NetworkKind::Group`] networks with their variables as labels; hosts
//! become devices linked to the groups they are written under. Which
//! labels make a network sensitive is the resolver's call.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use indexmap::IndexMap;

use crate::model::{Device, Diagnostic, Facts, Label, Link, Network, NetworkKind, Signal, Span};

use super::ini::expand_host_pattern;
use super::jinja::{self, Lookup};
use super::vars::fact_signal;
use super::yaml::{Loaded, Node, Value};

/// A variable's value, as far as camlint needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarValue {
    Str(String),
    Bool(bool),
    /// A number, as written.
    Number(String),
    Null,
    List,
    Map,
    Encrypted,
}

/// A variable as written somewhere; `span` is the value's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// Shared: the same few names repeat on every host line.
    pub key: Arc<str>,
    pub value: VarValue,
    pub span: Span,
}

impl Var {
    pub fn new(key: impl Into<Arc<str>>, value: VarValue, span: Span) -> Var {
        Var {
            key: key.into(),
            value,
            span,
        }
    }

    /// A variable from a YAML mapping entry.
    pub fn from_node(key: &str, node: &Node) -> Var {
        let value = match node.value() {
            None if node.as_seq().is_some() => VarValue::List,
            None => VarValue::Map,
            Some(Value::Null) => VarValue::Null,
            Some(Value::Bool(b)) => VarValue::Bool(b),
            Some(Value::Int(_)) | Some(Value::Float(_)) => {
                VarValue::Number(node.as_scalar().map(|s| s.raw.clone()).unwrap_or_default())
            }
            Some(Value::Str(s)) => VarValue::Str(s.to_string()),
            Some(Value::Encrypted) => VarValue::Encrypted,
        };
        Var::new(key, value, node.span)
    }
}

/// Every entry of a YAML mapping as variables (non-string keys skipped).
pub fn vars_of_map(node: &Node) -> Vec<Var> {
    node.as_map()
        .unwrap_or(&[])
        .iter()
        .filter_map(|(k, v)| Some(Var::from_node(k.key_text()?, v)))
        .collect()
}

/// A group as one place declares it.
#[derive(Debug, Clone)]
pub struct GroupDecl {
    pub name: String,
    pub span: Span,
    pub name_span: Span,
    pub children: Vec<(String, Span)>,
    pub vars: Vec<Var>,
}

impl GroupDecl {
    pub fn new(name: &str, span: Span, name_span: Span) -> GroupDecl {
        GroupDecl {
            name: name.to_string(),
            span,
            name_span,
            children: Vec::new(),
            vars: Vec::new(),
        }
    }
}

/// A host as one line (INI) or key (YAML) declares it.
#[derive(Debug, Clone)]
pub struct HostDecl {
    pub name: String,
    pub span: Span,
    pub name_span: Span,
    /// The group it is written under (shared by its hosts); None for
    /// ungrouped.
    pub group: Option<Arc<str>>,
    pub vars: Vec<Var>,
}

/// What one inventory file declares.
#[derive(Debug, Default)]
pub struct InventorySource {
    pub groups: Vec<GroupDecl>,
    pub hosts: Vec<HostDecl>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Turns loader errors and duplicate keys into diagnostics.
pub fn load_diagnostics(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(e) = &loaded.error {
        out.push(Diagnostic::parse_error(e.span, e.message.clone()));
    }
    for (span, key) in &loaded.duplicate_keys {
        out.push(Diagnostic::note(
            "duplicate-key",
            *span,
            format!("`{key}` is defined again in this mapping; Ansible uses this last value"),
        ));
    }
    out
}

/// Reads a YAML inventory (`all:` / `children:` / `hosts:` / `vars:`).
pub fn parse_yaml_inventory(loaded: &Loaded) -> InventorySource {
    let mut out = InventorySource {
        diagnostics: load_diagnostics(loaded),
        ..InventorySource::default()
    };
    for doc in &loaded.docs {
        if doc.is_null() {
            continue;
        }
        let Some(map) = doc.as_map() else {
            out.diagnostics.push(Diagnostic::parse_error(
                doc.span,
                "a YAML inventory must be a mapping of groups",
            ));
            continue;
        };
        // Work list instead of recursion: children nest arbitrarily.
        let mut todo: Vec<(&Node, &Node)> = map.iter().rev().map(|(k, v)| (k, v)).collect();
        while let Some((key, data)) = todo.pop() {
            let Some(name) = key.key_text() else {
                continue;
            };
            let group_index = out.groups.len();
            out.groups.push(GroupDecl::new(name, key.span, key.span));
            if data.is_null() {
                continue;
            }
            let Some(entries) = data.as_map() else {
                out.diagnostics.push(Diagnostic::parse_error(
                    data.span,
                    format!("group `{name}` must be a mapping with hosts, children or vars"),
                ));
                continue;
            };
            let mut children = Vec::new();
            for (k, v) in entries {
                match k.key_text() {
                    Some("vars") => {
                        if v.as_map().is_some() {
                            if let Some(g) = out.groups.get_mut(group_index) {
                                g.vars.extend(vars_of_map(v));
                            }
                        } else if !v.is_null() {
                            out.diagnostics.push(Diagnostic::parse_error(
                                v.span,
                                format!("vars of group `{name}` must be a mapping"),
                            ));
                        }
                    }
                    Some("children") => {
                        if let Some(kids) = v.as_map() {
                            for (ck, cv) in kids {
                                if let (Some(child), Some(g)) = (ck.key_text(), out.groups.get_mut(group_index)) {
                                    g.children.push((child.to_string(), ck.span));
                                    children.push((ck, cv));
                                }
                            }
                        } else if !v.is_null() {
                            out.diagnostics.push(Diagnostic::parse_error(
                                v.span,
                                format!("children of group `{name}` must be a mapping"),
                            ));
                        }
                    }
                    Some("hosts") => read_yaml_hosts(&mut out, name, v),
                    _ => out.diagnostics.push(Diagnostic::note(
                        "unexpected-inventory-key",
                        k.span,
                        format!("Ansible skips this key in group `{name}`: only hosts, children and vars are read"),
                    )),
                }
            }
            todo.extend(children.into_iter().rev());
        }
    }
    out
}

fn read_yaml_hosts(out: &mut InventorySource, group: &str, hosts: &Node) {
    if hosts.is_null() {
        return;
    }
    let Some(entries) = hosts.as_map() else {
        out.diagnostics.push(Diagnostic::parse_error(
            hosts.span,
            format!("hosts of group `{group}` must be a mapping of host names"),
        ));
        return;
    };
    let group: Arc<str> = Arc::from(group);
    for (k, v) in entries {
        let Some(pattern) = k.as_text().or_else(|| k.key_text()) else {
            continue;
        };
        let (names, port) = match expand_host_pattern(pattern) {
            Ok(x) => x,
            Err(e) => {
                out.diagnostics.push(Diagnostic::parse_error(k.span, e));
                continue;
            }
        };
        let mut vars = Vec::new();
        if let Some(p) = port {
            vars.push(Var::new("ansible_port", VarValue::Number(p), k.span));
        }
        if v.as_map().is_some() {
            vars.extend(vars_of_map(v));
        } else if !v.is_null() {
            out.diagnostics.push(Diagnostic::parse_error(
                v.span,
                format!("variables of host `{pattern}` must be a mapping"),
            ));
        }
        if out.hosts.len() + names.len() > super::ini::MAX_HOSTS_PER_FILE {
            out.diagnostics.push(Diagnostic::parse_error(
                k.span,
                "too many hosts in one file; the rest are not read",
            ));
            return;
        }
        for name in names {
            out.hosts.push(HostDecl {
                name,
                span: k.span,
                name_span: k.span,
                group: Some(group.clone()),
                vars: vars.clone(),
            });
        }
    }
}

/// Variables from `group_vars/NAME` or `host_vars/NAME`, by NAME, each
/// file's variables in load order.
pub type VarsByName<'a> = HashMap<String, Vec<&'a [Var]>>;

/// Variables a play brings to the hosts it targets.
#[derive(Debug, Default, Clone)]
pub struct PlayVars {
    pub pattern: HostPattern,
    /// Role defaults: below everything in the inventory.
    pub defaults: Vec<Var>,
    /// Play vars, vars_files, role vars, role params: above the inventory,
    /// in increasing precedence.
    pub vars: Vec<Var>,
}

/// A play's `hosts:` pattern (`cams:&site1:!broken`, `all`, `cam*`).
#[derive(Debug, Default, Clone)]
pub struct HostPattern {
    pub terms: Vec<(PatternOp, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternOp {
    Union,
    Intersect,
    Exclude,
}

impl HostPattern {
    pub fn parse(text: &str) -> HostPattern {
        let separator = if text.contains(',') { ',' } else { ':' };
        let terms = text
            .split(separator)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                if let Some(r) = t.strip_prefix('!') {
                    (PatternOp::Exclude, r.to_string())
                } else if let Some(r) = t.strip_prefix('&') {
                    (PatternOp::Intersect, r.to_string())
                } else {
                    (PatternOp::Union, t.to_string())
                }
            })
            .collect();
        HostPattern { terms }
    }

    /// Whether a host (with all the groups it is in, ancestors included)
    /// is selected.
    fn matches(&self, host: &str, groups: &[&str]) -> bool {
        let term = |t: &str| -> bool {
            if t == "all" || t == "*" {
                return true;
            }
            if t.starts_with('~') || jinja::is_template(t) {
                return false; // regexes and templates are not evaluated
            }
            if t.contains('*') {
                return glob(t, host) || groups.iter().any(|g| glob(t, g));
            }
            t == host || groups.contains(&t)
        };
        let mut selected = false;
        for (op, t) in &self.terms {
            if *op == PatternOp::Union && term(t) {
                selected = true;
            }
        }
        for (op, t) in &self.terms {
            match op {
                PatternOp::Intersect if !term(t) => return false,
                PatternOp::Exclude if term(t) => return false,
                _ => {}
            }
        }
        selected
    }
}

/// `*` wildcards only, as Ansible's fnmatch patterns mostly are.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    if parts.len() == 1 {
        return pattern == text;
    }
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = text.get(first.len()..text.len() - last.len()).unwrap_or("");
    for mid in parts.iter().skip(1).take(parts.len().saturating_sub(2)) {
        match rest.find(mid) {
            Some(i) => rest = rest.get(i + mid.len()..).unwrap_or(""),
            None => return false,
        }
    }
    true
}

/// Everything that shapes one inventory.
#[derive(Default)]
pub struct InventoryInput<'a> {
    /// The inventory's files, in load order (sorted by path).
    pub sources: Vec<&'a InventorySource>,
    /// `group_vars/` and `host_vars/` beside the inventory.
    pub group_vars: VarsByName<'a>,
    pub host_vars: VarsByName<'a>,
    /// `group_vars/` and `host_vars/` beside the playbooks.
    pub play_group_vars: VarsByName<'a>,
    pub play_host_vars: VarsByName<'a>,
    pub plays: &'a [PlayVars],
}

struct Group<'a> {
    span: Option<(Span, Span)>,
    parents: Vec<usize>,
    vars: Vec<&'a Var>,
    depth: usize,
}

struct Host<'a> {
    span: Span,
    name_span: Span,
    /// Groups written directly over the host, with the line that does it.
    direct: Vec<(usize, Span)>,
    vars: Vec<&'a Var>,
}

const ALL: &str = "all";
const UNGROUPED: &str = "ungrouped";

/// How many (group, ancestor) pairs an inventory may hold.
const MAX_ANCESTRY: usize = 10_000_000;

/// Resolves one inventory into facts.
pub fn assemble(input: &InventoryInput<'_>) -> Facts {
    let mut facts = Facts::default();
    let mut groups: IndexMap<&str, Group<'_>> = IndexMap::new();
    group_index(&mut groups, ALL);
    group_index(&mut groups, UNGROUPED);
    let mut hosts: IndexMap<&str, Host<'_>> =
        IndexMap::with_capacity(input.sources.iter().map(|s| s.hosts.len()).sum());
    for src in &input.sources {
        for g in &src.groups {
            let gi = group_index(&mut groups, g.name.as_str());
            if let Some(group) = groups.get_index_mut(gi).map(|(_, v)| v) {
                group.span.get_or_insert((g.span, g.name_span));
                group.vars.extend(g.vars.iter());
            }
            for (child, span) in &g.children {
                let ci = group_index(&mut groups, child.as_str());
                if let Some(c) = groups.get_index_mut(ci).map(|(_, v)| v) {
                    c.span.get_or_insert((*span, *span));
                    if !c.parents.contains(&gi) && ci != gi {
                        c.parents.push(gi);
                    }
                }
            }
        }
        for h in &src.hosts {
            let group = h.group.as_deref().unwrap_or(UNGROUPED);
            let gi = group_index(&mut groups, group);
            let host = hosts.entry(h.name.as_str()).or_insert_with(|| Host {
                span: h.span,
                name_span: h.name_span,
                direct: Vec::new(),
                vars: Vec::new(),
            });
            if !host.direct.iter().any(|(g, _)| *g == gi) {
                host.direct.push((gi, h.span));
            }
            host.vars.extend(h.vars.iter());
        }
    }
    // Every group but `all` hangs under `all` when nothing else holds it.
    for (i, (_, g)) in groups.iter_mut().enumerate() {
        if i != 0 && g.parents.is_empty() {
            g.parents.push(0);
        }
    }
    let order = depth_order(&mut groups, &mut facts);
    let ancestors = ancestry(&groups, &order, &mut facts);

    // Networks: every declared group, and `all`/`ungrouped` when they carry
    // variables someone could label a network with.
    let mut net_index: Vec<Option<usize>> = vec![None; groups.len()];
    for (i, (name, g)) in groups.iter().enumerate() {
        let vars = own_vars(input, name, g);
        let labels = labels_of(&vars);
        let implicit = i < 2;
        if implicit && labels.is_empty() {
            continue;
        }
        let (span, name_span) = match g.span {
            Some(s) => s,
            None => match labels.first() {
                Some(l) => (l.span, l.span),
                None => continue,
            },
        };
        let mut net = Network::new(*name, NetworkKind::Group, span);
        net.name_span = Some(name_span);
        net.labels = labels;
        if let Some(slot) = net_index.get_mut(i) {
            *slot = Some(facts.add_network(net));
        }
    }
    for (i, g) in groups.values().enumerate() {
        let (Some(Some(me)), parents) = (net_index.get(i), &g.parents) else {
            continue;
        };
        let parent_nets: Vec<usize> = parents
            .iter()
            .filter_map(|p| net_index.get(*p).copied().flatten())
            .collect();
        if let Some(n) = facts.networks.get_mut(*me) {
            n.parents = parent_nets;
        }
    }

    let names: Vec<&str> = groups.keys().copied().collect();
    // Devices. Per-group files and per-name signals are looked up once
    // per inventory, not once per host.
    let group_files: Vec<GroupFiles<'_, '_>> = names
        .iter()
        .map(|n| (input.group_vars.get(*n), input.play_group_vars.get(*n)))
        .collect();
    let mut signals: Vec<(&str, Option<Signal>)> = Vec::new();
    facts.devices.reserve(hosts.len());
    // Scratch space reused from host to host.
    let mut in_groups: Vec<usize> = Vec::new();
    let mut group_names: Vec<&str> = Vec::new();
    let mut win = Winners::default();
    for (host_name, host) in &hosts {
        // All groups the host is in, sorted as Ansible sorts them.
        in_groups.clear();
        in_groups.push(0);
        for (g, _) in &host.direct {
            in_groups.push(*g);
            if let Some(a) = ancestors.get(*g) {
                in_groups.extend(a.iter().copied());
            }
        }
        in_groups.sort_unstable();
        in_groups.dedup();
        // `ungrouped` only holds hosts that are in no other group.
        if in_groups.len() > 2 {
            in_groups.retain(|g| *g != 1);
        }
        in_groups.sort_by_key(|g| {
            let depth = groups.get_index(*g).map_or(0, |(_, v)| v.depth);
            (depth, names.get(*g).copied().unwrap_or(""))
        });
        group_names.clear();
        group_names.extend(in_groups.iter().filter_map(|g| names.get(*g).copied()));
        let plays: Vec<&PlayVars> = input
            .plays
            .iter()
            .filter(|p| p.pattern.matches(host_name, &group_names))
            .collect();

        win.clear();
        apply(&mut win, plays.iter().flat_map(|p| p.defaults.iter()));
        for g in &in_groups {
            if let Some((_, group)) = groups.get_index(*g) {
                apply(&mut win, group.vars.iter().copied());
            }
        }
        apply_files(&mut win, group_files.first().and_then(|f| f.0));
        apply_files(&mut win, group_files.first().and_then(|f| f.1));
        for inventory_level in [true, false] {
            for g in in_groups.iter().filter(|g| **g != 0) {
                let files = group_files.get(*g);
                apply_files(
                    &mut win,
                    files.and_then(|f| if inventory_level { f.0 } else { f.1 }),
                );
            }
        }
        apply(&mut win, host.vars.iter().copied());
        apply_files(&mut win, input.host_vars.get(*host_name));
        apply_files(&mut win, input.play_host_vars.get(*host_name));
        apply(&mut win, plays.iter().flat_map(|p| p.vars.iter()));

        let mut device = Device::new(*host_name, host.span);
        device.facts.reserve(win.entries.len() + 1);
        device.fact(
            Signal::Name,
            *host_name,
            host.name_span,
            "inventory_hostname",
        );
        let lookup = |name: &str| -> Lookup {
            if name == "inventory_hostname" {
                return Lookup::Text(host_name.to_string());
            }
            match win.get(name).map(|v| &v.value) {
                None => Lookup::Missing,
                Some(VarValue::Str(s)) | Some(VarValue::Number(s)) => Lookup::Text(s.clone()),
                Some(VarValue::Encrypted) => Lookup::Encrypted,
                Some(_) => Lookup::NotText,
            }
        };
        for v in win.values() {
            let signal = match signals.iter().find(|(k, _)| *k == &*v.key) {
                Some((_, s)) => *s,
                None => {
                    let s = fact_signal(&v.key);
                    if signals.len() < 64 {
                        signals.push((&v.key, s));
                    }
                    s
                }
            };
            let Some(signal) = signal else {
                continue;
            };
            match &v.value {
                VarValue::Str(s) if jinja::is_template(s) => match jinja::render(s, &lookup) {
                    Ok(text) => device.fact(signal, text, v.span, v.key.to_string()),
                    Err(why) => device.unknowns.push((v.span, format!("{}: {why}", v.key))),
                },
                VarValue::Str(s) | VarValue::Number(s) => {
                    device.fact(signal, s.as_str(), v.span, v.key.to_string())
                }
                VarValue::Encrypted => device
                    .unknowns
                    .push((v.span, format!("{}: the value is vault-encrypted", v.key))),
                // Lists (`blocked_vendors: [...]`), maps, booleans and null
                // say nothing about one host.
                VarValue::Bool(_) | VarValue::Null | VarValue::List | VarValue::Map => {}
            }
        }
        for (g, span) in &host.direct {
            if *g < 2 {
                continue;
            }
            if let Some(Some(net)) = net_index.get(*g) {
                device.links.push(Link {
                    network: *net,
                    span: *span,
                    via: ["member of group ", names.get(*g).copied().unwrap_or("")].concat(),
                });
            }
        }
        facts.devices.push(device);
    }
    for src in &input.sources {
        facts.diagnostics.extend(src.diagnostics.iter().cloned());
    }
    facts
}

/// A group's own variables, winners only: inventory file < group_vars
/// beside the inventory < group_vars beside the playbooks.
fn own_vars<'a>(input: &InventoryInput<'a>, name: &str, g: &Group<'a>) -> Winners<'a> {
    let mut win = Winners::default();
    apply(&mut win, g.vars.iter().copied());
    apply_files(&mut win, input.group_vars.get(name));
    apply_files(&mut win, input.play_group_vars.get(name));
    win
}

/// The index of a group, added (undeclared so far) if new.
fn group_index<'a>(groups: &mut IndexMap<&'a str, Group<'a>>, name: &'a str) -> usize {
    let entry = groups.entry(name);
    let index = entry.index();
    entry.or_insert_with(|| Group {
        span: None,
        parents: Vec::new(),
        vars: Vec::new(),
        depth: 0,
    });
    index
}

/// Variables by name where a later write wins, in first-seen order. Hosts
/// usually have a handful, searched linearly; a large table gets a hash
/// index.
#[derive(Default)]
struct Winners<'a> {
    entries: Vec<(&'a str, &'a Var)>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Winners<'a> {
    const LINEAR: usize = 16;

    fn position(&self, key: &str) -> Option<usize> {
        if self.index.is_empty() {
            self.entries.iter().position(|(k, _)| *k == key)
        } else {
            self.index.get(key).copied()
        }
    }

    fn insert(&mut self, v: &'a Var) {
        let key: &'a str = &v.key;
        if let Some(i) = self.position(key) {
            if let Some(e) = self.entries.get_mut(i) {
                e.1 = v;
            }
            return;
        }
        self.entries.push((key, v));
        if !self.index.is_empty() {
            self.index.insert(key, self.entries.len() - 1);
        } else if self.entries.len() > Self::LINEAR {
            self.index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (*k, i))
                .collect();
        }
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.index.clear();
    }

    fn get(&self, key: &str) -> Option<&'a Var> {
        self.position(key)
            .and_then(|i| self.entries.get(i))
            .map(|(_, v)| *v)
    }

    fn values(&self) -> impl Iterator<Item = &'a Var> + '_ {
        self.entries.iter().map(|(_, v)| *v)
    }
}

fn apply<'a>(win: &mut Winners<'a>, vars: impl Iterator<Item = &'a Var>) {
    for v in vars {
        win.insert(v);
    }
}

/// A group's `group_vars` files beside the inventory and the playbooks.
type GroupFiles<'m, 'a> = (Option<&'m Vec<&'a [Var]>>, Option<&'m Vec<&'a [Var]>>);

fn apply_files<'a>(win: &mut Winners<'a>, files: Option<&Vec<&'a [Var]>>) {
    for f in files.into_iter().flatten() {
        apply(win, f.iter());
    }
}

/// Labels from a group's winning variables: every string or boolean.
fn labels_of(vars: &Winners<'_>) -> Vec<Label> {
    let lookup = |name: &str| match vars.get(name).map(|v| &v.value) {
        Some(VarValue::Str(s)) | Some(VarValue::Number(s)) => Lookup::Text(s.clone()),
        Some(VarValue::Encrypted) => Lookup::Encrypted,
        Some(_) => Lookup::NotText,
        None => Lookup::Missing,
    };
    vars.values()
        .filter_map(|v| {
            let value = match &v.value {
                VarValue::Str(s) if jinja::is_template(s) => jinja::render(s, &lookup).ok()?,
                VarValue::Str(s) => s.clone(),
                VarValue::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some(Label {
                key: Some(v.key.to_string()),
                value,
                span: v.span,
            })
        })
        .collect()
}

/// Sets each group's depth (longest path from `all`) and returns groups
/// parents-first. Cycles are reported and their edges ignored.
fn depth_order(groups: &mut IndexMap<&str, Group<'_>>, facts: &mut Facts) -> Vec<usize> {
    let n = groups.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pending: Vec<usize> = vec![0; n];
    for (i, g) in groups.values().enumerate() {
        for p in &g.parents {
            if let Some(c) = children.get_mut(*p) {
                c.push(i);
            }
        }
        if let Some(slot) = pending.get_mut(i) {
            *slot = g.parents.len();
        }
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|i| pending.get(*i) == Some(&0)).collect();
    let mut order = Vec::with_capacity(n);
    let mut depth = vec![0usize; n];
    while let Some(g) = queue.pop_front() {
        order.push(g);
        let d = depth.get(g).copied().unwrap_or(0);
        for c in children.get(g).into_iter().flatten() {
            if let Some(cd) = depth.get_mut(*c) {
                *cd = (*cd).max(d + 1);
            }
            if let Some(p) = pending.get_mut(*c) {
                *p = p.saturating_sub(1);
                if *p == 0 {
                    queue.push_back(*c);
                }
            }
        }
    }
    if order.len() < n {
        let done: HashSet<usize> = order.iter().copied().collect();
        for i in 0..n {
            if done.contains(&i) {
                continue;
            }
            if let Some((name, g)) = groups.get_index_mut(i) {
                if let Some((span, _)) = g.span {
                    facts.diagnostics.push(Diagnostic::parse_error(
                        span,
                        format!("group `{name}` is its own ancestor through :children"),
                    ));
                }
                // Keep only parents already placed, which breaks the loop.
                g.parents.retain(|p| done.contains(p));
                if g.parents.is_empty() {
                    g.parents.push(0);
                }
            }
            order.push(i);
        }
    }
    for (i, g) in groups.values_mut().enumerate() {
        g.depth = depth.get(i).copied().unwrap_or(0);
    }
    order
}

/// Every group's ancestors (not itself), computed parents-first.
fn ancestry(
    groups: &IndexMap<&str, Group<'_>>,
    order: &[usize],
    facts: &mut Facts,
) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    let mut total = 0usize;
    for &g in order {
        let Some((_, group)) = groups.get_index(g) else {
            continue;
        };
        let mut set: Vec<usize> = Vec::new();
        for p in &group.parents {
            set.push(*p);
            if let Some(a) = out.get(*p) {
                set.extend(a.iter().copied());
            }
        }
        set.sort_unstable();
        set.dedup();
        total = total.saturating_add(set.len());
        if total > MAX_ANCESTRY {
            if let Some((span, _)) = group.span {
                facts.diagnostics.push(Diagnostic::parse_error(
                    span,
                    "group nesting is too large to resolve",
                ));
            }
            break;
        }
        if let Some(slot) = out.get_mut(g) {
            *slot = set;
        }
    }
    out
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    #[test]
    fn host_patterns() {
        let p = HostPattern::parse("cams:&site1:!broken");
        assert!(p.matches("c1", &["all", "cams", "site1"]));
        assert!(!p.matches("c2", &["all", "cams"]));
        assert!(!p.matches("c3", &["all", "cams", "site1", "broken"]));
        assert!(HostPattern::parse("all").matches("x", &["all"]));
        assert!(HostPattern::parse("cam*").matches("cam01", &["all"]));
        assert!(HostPattern::parse("web,cam01").matches("cam01", &["all"]));
        assert!(!HostPattern::parse("{{ target }}").matches("cam01", &["all"]));
        assert!(glob("a*b*c", "aXXbYc"));
        assert!(!glob("a*b", "ab_"));
    }
}
