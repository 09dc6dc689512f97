//! Ansible: inventories, `group_vars/`/`host_vars/`, playbooks, roles and
//! network modules, turned into devices, groups and VLANs.
//!
//! Every file is parsed on its own, in parallel; then files are joined the
//! way Ansible joins them. The inventory files of one directory form one
//! inventory (as `-i dir/` does). `group_vars/` and `host_vars/` beside it
//! are its variables; those in a directory without an inventory are
//! playbook-level variables for every inventory below that directory, or
//! that an `ansible.cfg` there points at. Plays apply their variables and
//! roles to the hosts their `hosts:` pattern selects in every inventory.
//! A host in two inventories is one device per inventory. Inventory
//! scripts and plugin configs are never run: each gets a note saying so.
//! Vendor identification and sensitivity are left to `intel`/`resolve`.

mod ini;
mod inventory;
mod jinja;
mod playbook;
mod sniff;
mod vars;
pub mod yaml;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::model::{Diagnostic, Facts, SourceFile, SourceKind};
use crate::sources::SourceOptions;

use inventory::{InventoryInput, InventorySource, PlayVars, Var, VarsByName};
use playbook::Playbook;

pub use sniff::sniff;

/// One file, parsed.
enum Parsed {
    Inventory(InventorySource),
    Vars(Vec<Var>, Vec<Diagnostic>),
    Playbook(Playbook),
    Dynamic(Diagnostic),
    /// `ansible.cfg`: the inventory paths it names.
    Config(Vec<String>),
}

pub fn collect(files: &[&SourceFile], opts: &SourceOptions) -> Facts {
    Facts::concat(collect_parts(files, opts))
}

/// [`collect`]'s facts as parts that each stand alone (network indices
/// are a part's own), in order, for the caller to merge once with every
/// other source's.
pub fn collect_parts(files: &[&SourceFile], opts: &SourceOptions) -> Vec<Facts> {
    let limits = yaml::Limits {
        max_nodes: opts.max_yaml_nodes,
        ..yaml::Limits::default()
    };
    let mut files: Vec<&SourceFile> = files.to_vec();
    // Byte order of the path: stable, and cheaper than component order.
    files.sort_by(|a, b| {
        a.path
            .as_os_str()
            .cmp(b.path.as_os_str())
            .then(a.id.cmp(&b.id))
    });
    let mut parsed: Vec<Parsed> = files.par_iter().map(|f| parse_file(f, limits)).collect();
    // Network-module facts stand alone; take them before `join` borrows.
    let module_facts: Vec<Facts> = parsed
        .iter_mut()
        .filter_map(|p| match p {
            Parsed::Playbook(book) => {
                let mut facts = std::mem::take(&mut book.facts);
                if let Some(prune) = opts.prune {
                    prune.apply(&mut facts);
                }
                Some(facts)
            }
            _ => None,
        })
        .collect();
    let mut parts = join(&files, &parsed);
    parts.extend(module_facts);
    parts
}

fn parse_file(file: &SourceFile, limits: yaml::Limits) -> Parsed {
    let is_config = file
        .path
        .file_name()
        .is_some_and(|n| n == sniff::CONFIG_FILE);
    match file.kind {
        SourceKind::AnsibleIni if is_config => Parsed::Config(config_inventories(&file.text)),
        SourceKind::AnsibleIni => Parsed::Inventory(ini::parse(file)),
        SourceKind::AnsibleYamlInventory => {
            let loaded = yaml::load_with(&file.text, file.id, limits);
            Parsed::Inventory(inventory::parse_yaml_inventory(&loaded))
        }
        SourceKind::AnsiblePlaybook => {
            let loaded = yaml::load_with(&file.text, file.id, limits);
            Parsed::Playbook(playbook::parse(&loaded))
        }
        SourceKind::AnsibleDynamicInventory => Parsed::Dynamic(dynamic_note(file)),
        // A vault-encrypted file cannot be read without the password.
        _ if file.text.trim_start().starts_with("$ANSIBLE_VAULT;") => {
            let note = Diagnostic::note(
                "vault-encrypted-not-read",
                file.span(0, file.text.find('\n').unwrap_or(file.text.len())),
                "vault-encrypted variables file: its values are not checked",
            );
            Parsed::Vars(Vec::new(), vec![note])
        }
        // Variables files, and anything else handed to this family.
        _ => {
            let loaded = yaml::load_with(&file.text, file.id, limits);
            let mut diagnostics = inventory::load_diagnostics(&loaded);
            let root = loaded.docs.first();
            let vars = match root {
                Some(r) if r.as_map().is_some() => inventory::vars_of_map(r),
                Some(r) if !r.is_null() => {
                    diagnostics.push(Diagnostic::parse_error(
                        r.span,
                        "a variables file must be a mapping",
                    ));
                    Vec::new()
                }
                _ => Vec::new(),
            };
            Parsed::Vars(vars, diagnostics)
        }
    }
}

fn dynamic_note(file: &SourceFile) -> Diagnostic {
    let first_line = file.text.find('\n').unwrap_or(file.text.len());
    let first_line = file
        .text
        .get(..first_line)
        .map_or(0, |l| l.trim_end_matches('\r').len());
    Diagnostic::note(
        "dynamic-inventory-not-evaluated",
        file.span(0, first_line),
        "dynamic inventory (script or plugin config) is not run, so the hosts it would produce are not checked",
    )
    .with_help("export it with `ansible-inventory -i FILE --list --yaml` and scan the result")
}

/// `[defaults] inventory = a, b` in an ansible.cfg.
fn config_inventories(text: &str) -> Vec<String> {
    let mut section = "";
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            section = name.trim();
            continue;
        }
        if section != "defaults" {
            continue;
        }
        if let Some((k, v)) = t.split_once(['=', ':'])
            && matches!(k.trim(), "inventory" | "hostfile")
        {
            let v = v.split([';', '#']).next().unwrap_or("");
            out.extend(
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
        }
    }
    out
}

/// A lexically normalised path (`a/./b/../c` → `a/c`), for joining files
/// that refer to each other.
fn clean(path: &Path) -> PathBuf {
    if !path
        .components()
        .any(|c| matches!(c, Component::CurDir | Component::ParentDir))
    {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn parent(path: &Path) -> PathBuf {
    clean(path.parent().unwrap_or(Path::new("")))
}

/// A directory as a map key: its cleaned path as text, which compares
/// much faster than `Path` (component by component) in big estates.
fn dir_key(dir: &Path) -> String {
    crate::model::display_path(&clean(dir))
}

/// Where a `group_vars`/`host_vars` file belongs: (base dir, is group, name).
fn vars_location(path: &Path) -> Option<(String, bool, String)> {
    let path = clean(path);
    let comps: Vec<Component<'_>> = path.components().collect();
    let at = comps
        .iter()
        .rposition(|c| c.as_os_str() == "group_vars" || c.as_os_str() == "host_vars")?;
    let is_group = comps.get(at)?.as_os_str() == "group_vars";
    let entry = comps.get(at + 1)?;
    let base: PathBuf = comps.iter().take(at).collect();
    let base = dir_key(&base);
    let name = if at + 2 == comps.len() {
        // group_vars/NAME.yml: drop a known extension only.
        let p = Path::new(entry.as_os_str());
        match p.extension().and_then(|e| e.to_str()) {
            Some("yml" | "yaml" | "json") => p.file_stem()?.to_str()?.to_string(),
            _ => entry.as_os_str().to_str()?.to_string(),
        }
    } else {
        entry.as_os_str().to_str()?.to_string()
    };
    Some((base, is_group, name))
}

/// roles/NAME/(defaults|vars)/main… → (role dir, is defaults).
fn role_location(path: &Path) -> Option<(PathBuf, bool)> {
    let path = clean(path);
    let comps: Vec<Component<'_>> = path.components().collect();
    let at = comps.iter().rposition(|c| c.as_os_str() == "roles")?;
    let part = comps.get(at + 2)?.as_os_str();
    let is_defaults = part == "defaults";
    if !is_defaults && part != "vars" {
        return None;
    }
    // Only `main.yml` or a `main/` folder load without `vars_from`.
    let main = comps.get(at + 3)?;
    let main = Path::new(main.as_os_str());
    if main.file_stem().is_none_or(|s| s != "main") {
        return None;
    }
    Some((comps.iter().take(at + 2).collect(), is_defaults))
}

#[derive(Default)]
struct DirVars<'a> {
    group: VarsByName<'a>,
    host: VarsByName<'a>,
}

#[derive(Default)]
struct RoleVars<'a> {
    defaults: Vec<&'a [Var]>,
    vars: Vec<&'a [Var]>,
}

fn join(files: &[&SourceFile], parsed: &[Parsed]) -> Vec<Facts> {
    let mut facts = Facts::default();
    let mut inventories: BTreeMap<String, Vec<&InventorySource>> = BTreeMap::new();
    let mut dir_vars: BTreeMap<String, DirVars<'_>> = BTreeMap::new();
    let mut vars_files: HashMap<PathBuf, &[Var]> = HashMap::new();
    let mut roles: BTreeMap<PathBuf, RoleVars<'_>> = BTreeMap::new();
    let mut configs: Vec<(PathBuf, &[String])> = Vec::new();
    let mut playbooks: Vec<(PathBuf, &Playbook)> = Vec::new();
    for (file, p) in files.iter().zip(parsed) {
        match p {
            Parsed::Inventory(src) => inventories
                .entry(dir_key(file.path.parent().unwrap_or(Path::new(""))))
                .or_default()
                .push(src),
            Parsed::Vars(vars, diagnostics) => {
                facts.diagnostics.extend(diagnostics.iter().cloned());
                if let Some((base, is_group, name)) = vars_location(&file.path) {
                    let d = dir_vars.entry(base).or_default();
                    let by = if is_group { &mut d.group } else { &mut d.host };
                    by.entry(name).or_default().push(vars);
                } else if let Some((role, is_defaults)) = role_location(&file.path) {
                    let r = roles.entry(role).or_default();
                    if is_defaults {
                        r.defaults.push(vars);
                    } else {
                        r.vars.push(vars);
                    }
                } else {
                    // Loose files, for plays' vars_files.
                    vars_files.insert(clean(&file.path), vars);
                }
            }
            Parsed::Playbook(book) => playbooks.push((parent(&file.path), book)),
            Parsed::Dynamic(note) => facts.diagnostics.push(note.clone()),
            Parsed::Config(paths) => configs.push((parent(&file.path), paths)),
        }
    }

    let plays = resolve_plays(&playbooks, &vars_files, &roles);

    // Playbook-level variables: dirs with group_vars/host_vars but no
    // inventory, applied to inventories below them or named by their cfg.
    let play_level: Vec<(&String, &DirVars<'_>)> = dir_vars
        .iter()
        .filter(|(dir, _)| !inventories.contains_key(*dir))
        .collect();
    let units: Vec<(&String, InventoryInput<'_>)> = inventories
        .iter()
        .map(|(dir, sources)| {
            let mut input = InventoryInput {
                sources: sources.clone(),
                plays: &plays,
                ..InventoryInput::default()
            };
            if let Some(d) = dir_vars.get(dir) {
                input.group_vars = d.group.clone();
                input.host_vars = d.host.clone();
            }
            for (base, d) in &play_level {
                let named_by_cfg = configs.iter().any(|(cfg_dir, paths)| {
                    dir_key(cfg_dir) == **base
                        && paths.iter().any(|p| {
                            let target = clean(&cfg_dir.join(p));
                            dir_key(&target) == *dir
                                || target.parent().is_some_and(|t| dir_key(t) == *dir)
                        })
                });
                if Path::new(dir).starts_with(Path::new(base.as_str())) || named_by_cfg {
                    merge_by_name(&mut input.play_group_vars, &d.group);
                    merge_by_name(&mut input.play_host_vars, &d.host);
                }
            }
            (dir, input)
        })
        .collect();
    let per_inventory: Vec<Facts> = units
        .par_iter()
        .map(|(_, input)| {
            let mut facts = inventory::assemble(input);
            facts.shrink_devices();
            facts
        })
        .collect();
    std::iter::once(facts).chain(per_inventory).collect()
}

fn merge_by_name<'a>(into: &mut VarsByName<'a>, from: &VarsByName<'a>) {
    for (name, files) in from {
        into.entry(name.clone())
            .or_default()
            .extend(files.iter().copied());
    }
}

/// Turns each play's references (vars_files, roles) into variables.
fn resolve_plays(
    playbooks: &[(PathBuf, &Playbook)],
    vars_files: &HashMap<PathBuf, &[Var]>,
    roles: &BTreeMap<PathBuf, RoleVars<'_>>,
) -> Vec<PlayVars> {
    let mut out = Vec::new();
    for (dir, book) in playbooks {
        for play in &book.plays {
            let mut pv = PlayVars {
                pattern: play.pattern.clone(),
                ..PlayVars::default()
            };
            pv.vars.extend(play.vars.iter().cloned());
            for (path, _) in &play.vars_files {
                if jinja::is_template(path) {
                    continue;
                }
                if let Some(vars) = vars_files.get(&clean(&dir.join(path))) {
                    pv.vars.extend(vars.iter().cloned());
                }
            }
            for role in &play.roles {
                let beside = clean(&dir.join("roles").join(&role.name));
                let found = roles.get(&beside).or_else(|| {
                    roles
                        .iter()
                        .find(|(p, _)| p.file_name().is_some_and(|n| n == role.name.as_str()))
                        .map(|(_, r)| r)
                });
                if let Some(r) = found {
                    pv.defaults
                        .extend(r.defaults.iter().flat_map(|v| v.iter().cloned()));
                    pv.vars
                        .extend(r.vars.iter().flat_map(|v| v.iter().cloned()));
                }
            }
            for role in &play.roles {
                pv.vars.extend(role.params.iter().cloned());
            }
            out.push(pv);
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
mod tests;
