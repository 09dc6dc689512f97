//! Terraform: `*.tf`, `*.tf.json`, `*.tfvars`, `*.tfvars.json`.
//!
//! Files are parsed in parallel with camlint's own HCL parser (`hcl/`),
//! then grouped by directory: a directory is a module. Root modules (those
//! no other scanned directory calls) are evaluated in parallel, each with
//! the local modules it calls (`module.rs`), and their resource instances
//! become facts through the schema table (`build.rs`). Syntax errors
//! become `parse-error` diagnostics and the rest of the file is still used.

pub mod build;
pub mod hcl;
pub mod module;
pub mod plan;
pub mod prov;
pub mod schema;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::{Diagnostic, Facts, FileId, SourceFile, SourceKind};
use crate::sources::SourceOptions;
use module::{Ctx, Defs, HclView, Instance, ModDef, ModFile, VarFile};

/// Errors reported per file at most; the rest are summarised.
const MAX_ERRORS_PER_FILE: usize = 10;

/// Strings joined, for the addresses and messages made per instance and
/// per reference, where `format!` costs several times the copying.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

fn parse_one(file: &SourceFile) -> (hcl::Body, Vec<Diagnostic>) {
    let parsed = match file.kind {
        // Read by `plan.rs`, not as configuration.
        SourceKind::TerraformPlan => return (hcl::Body::default(), Vec::new()),
        SourceKind::TerraformJson => hcl::parse_json(&file.text),
        SourceKind::TerraformVarsJson => hcl::parse_json_vars(&file.text),
        _ => hcl::parse(&file.text),
    };
    let mut diags: Vec<Diagnostic> = parsed
        .errors
        .iter()
        .take(MAX_ERRORS_PER_FILE)
        .map(|e| {
            Diagnostic::parse_error(
                file.span(e.range.start as usize, e.range.end as usize),
                e.message.clone(),
            )
        })
        .collect();
    if parsed.errors.len() > MAX_ERRORS_PER_FILE
        && let Some(last) = diags.last_mut()
    {
        last.message.push_str(&format!(
            " (and {} more errors in this file)",
            parsed.errors.len() - MAX_ERRORS_PER_FILE
        ));
    }
    (parsed.body, diags)
}

fn is_auto_vars(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

/// The facts of one root module or one plan, with the address of each
/// device and network, so a plan and the HCL it was made from can be
/// joined.
struct Unit {
    facts: Facts,
    /// Notes for module calls not evaluated, by module address; dropped
    /// when a plan of the same root has that module's resources.
    unevaluated: Vec<(String, Diagnostic)>,
    devices: Vec<String>,
    networks: Vec<String>,
    dir: PathBuf,
}

impl Unit {
    fn empty(dir: PathBuf) -> Unit {
        Unit {
            facts: Facts::default(),
            unevaluated: Vec::new(),
            devices: Vec::new(),
            networks: Vec::new(),
            dir,
        }
    }

    fn of(view: &dyn build::View, dir: PathBuf) -> Unit {
        let built = build::build(view);
        Unit {
            unevaluated: Vec::new(),
            devices: built
                .device_items
                .iter()
                .map(|&i| view.address(i).to_string())
                .collect(),
            networks: built
                .network_items
                .iter()
                .map(|&i| view.address(i).to_string())
                .collect(),
            facts: built.facts,
            dir,
        }
    }
}

/// Joins plans with the HCL they were made from: a device or network at
/// the same address in a root module the plan belongs to (its directory,
/// else one above or below it, else any) is reported once, from the plan's
/// resolved values, with the HCL declaration as a related location.
fn merge(hcl: Vec<Unit>, plans: Vec<Unit>) -> Vec<Facts> {
    // Without plans each unit stands alone: its facts are a part of their
    // own, merged once with every other source's.
    if plans.is_empty() {
        return hcl
            .into_iter()
            .map(|h| {
                let mut facts = h.facts;
                facts
                    .diagnostics
                    .extend(h.unevaluated.into_iter().map(|(_, d)| d));
                facts
            })
            .collect();
    }
    let mut all = Facts::default();
    // (unit, index) of HCL devices / networks a plan replaces, and by what.
    let mut dev_taken: HashMap<(usize, usize), ()> = HashMap::new();
    // Modules (without instance keys) each HCL unit's plans cover.
    let mut covered: Vec<Vec<String>> = vec![Vec::new(); hcl.len()];
    let mut net_taken: HashMap<(usize, usize), usize> = HashMap::new();
    for mut p in plans {
        let same: Vec<usize> = (0..hcl.len())
            .filter(|&u| hcl.get(u).is_some_and(|h| h.dir == p.dir))
            .collect();
        let near: Vec<usize> = (0..hcl.len())
            .filter(|&u| {
                hcl.get(u)
                    .is_some_and(|h| h.dir.starts_with(&p.dir) || p.dir.starts_with(&h.dir))
            })
            .collect();
        let candidates = if !same.is_empty() {
            same
        } else if !near.is_empty() {
            near
        } else {
            (0..hcl.len()).collect()
        };
        let find = |addrs: &dyn Fn(&Unit) -> &Vec<String>, addr: &str| {
            candidates.iter().find_map(|&u| {
                let i = addrs(hcl.get(u)?).iter().position(|a| a == addr)?;
                Some((u, i))
            })
        };
        for (d, addr) in p.facts.devices.iter_mut().zip(&p.devices) {
            let Some((u, i)) = find(&|h: &Unit| &h.devices, addr) else {
                continue;
            };
            let Some(h) = hcl.get(u).and_then(|h| h.facts.devices.get(i)) else {
                continue;
            };
            d.trail = if h.trail.is_empty() {
                vec![(h.span, format!("{addr} declared here"))]
            } else {
                h.trail.clone()
            };
            dev_taken.insert((u, i), ());
        }
        let modules: Vec<String> = p
            .devices
            .iter()
            .chain(&p.networks)
            .map(|a| plan::without_keys(a))
            .collect();
        for &u in &candidates {
            if let Some(c) = covered.get_mut(u) {
                c.extend(modules.iter().cloned());
            }
        }
        let base = all.networks.len();
        for (n, addr) in p.networks.iter().enumerate() {
            if let Some(key) = find(&|h: &Unit| &h.networks, addr) {
                net_taken.insert(key, base + n);
            }
        }
        all.extend(p.facts);
    }
    for (u, h) in hcl.into_iter().enumerate() {
        let mut map: Vec<usize> = Vec::with_capacity(h.facts.networks.len());
        for (i, n) in h.facts.networks.into_iter().enumerate() {
            match net_taken.get(&(u, i)) {
                Some(&g) => map.push(g),
                None => {
                    map.push(all.networks.len());
                    all.networks.push(n);
                }
            }
        }
        for (i, mut d) in h.facts.devices.into_iter().enumerate() {
            if dev_taken.contains_key(&(u, i)) {
                continue;
            }
            for l in &mut d.links {
                l.network = map.get(l.network).copied().unwrap_or(l.network);
            }
            all.devices.push(d);
        }
        all.diagnostics.extend(h.facts.diagnostics);
        let covers = covered.get(u);
        for (module, d) in h.unevaluated {
            let m = format!("{}.", plan::without_keys(&module));
            if !covers.is_some_and(|c| c.iter().any(|a| a.starts_with(&m))) {
                all.diagnostics.push(d);
            }
        }
    }
    vec![all]
}

/// Each directory's files, directories in path order (as `Path::cmp`
/// orders them). Keyed by each directory's order key, bytes that compare
/// as paths do: a B-tree keyed by the paths themselves compared their
/// components at every step, which made grouping an estate's files a
/// serial step of several milliseconds.
fn group_by_dir(files: &[&SourceFile]) -> Vec<(PathBuf, Vec<usize>)> {
    let mut dirs: BTreeMap<Vec<u8>, (PathBuf, Vec<usize>)> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        let dir = f.path.parent().unwrap_or(Path::new(""));
        dirs.entry(crate::discover::path_order_key(dir))
            .or_insert_with(|| (dir.to_path_buf(), Vec::new()))
            .1
            .push(i);
    }
    dirs.into_values().collect()
}

/// A directory with configuration, which is a module definition: its
/// configuration files and, for when it is a root, its tfvars files in
/// the order they apply.
struct ModDir {
    dir: PathBuf,
    configs: Vec<usize>,
    vars: Vec<usize>,
}

impl ModDir {
    fn files(&self) -> impl Iterator<Item = usize> + '_ {
        self.configs.iter().chain(&self.vars).copied()
    }
}

/// A parsed file, kept in the file's slot until its module is evaluated.
type Slot = Option<(hcl::Body, Vec<Diagnostic>)>;

/// Parse errors by file index.
type FileDiags = Vec<(usize, Vec<Diagnostic>)>;

/// Parses the files at `idxs` in parallel into their slots.
fn parse_into(slots: &mut [Slot], files: &[&SourceFile], idxs: Vec<usize>) {
    let parsed: Vec<(usize, (hcl::Body, Vec<Diagnostic>))> = idxs
        .into_par_iter()
        .filter_map(|i| Some((i, parse_one(files.get(i)?))))
        .collect();
    for (i, p) in parsed {
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(p);
        }
    }
}

/// The facts of one root module, evaluated with its tfvars files and the
/// `--var-file`s.
fn evaluate_root<'v>(
    defs: &Defs<'_>,
    root: usize,
    mut var_files: Vec<VarFile<'v>>,
    extra: &[VarFile<'v>],
) -> Unit {
    var_files.extend(extra.iter().map(|v| VarFile {
        file: v.file,
        body: v.body,
    }));
    let dir = defs
        .defs
        .get(root)
        .map(|d| module::normalize(&d.dir))
        .unwrap_or_default();
    let ctx = Ctx::new(defs, root);
    let Some(inst) = Instance::root(&ctx, root, &var_files) else {
        return Unit::empty(dir);
    };
    let view = HclView::new(&inst);
    let mut unit = Unit::of(&view, dir);
    unit.facts.shrink_devices();
    unit.facts.diagnostics.extend(ctx.take_diagnostics());
    unit.unevaluated = ctx.take_unevaluated();
    unit
}

pub fn collect(files: &[&SourceFile], opts: &SourceOptions) -> Facts {
    Facts::concat(collect_parts(files, opts))
}

/// [`collect`]'s facts as parts that each stand alone (network indices
/// are a part's own), in order, for the caller to merge once with every
/// other source's.
pub fn collect_parts(files: &[&SourceFile], opts: &SourceOptions) -> Vec<Facts> {
    // --var-file arguments are read here; they apply to every module.
    let extra: Vec<SourceFile> = opts
        .var_files
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let text = std::fs::read_to_string(p).ok()?;
            let kind = if p.to_string_lossy().ends_with(".json") {
                SourceKind::TerraformVarsJson
            } else {
                SourceKind::TerraformVars
            };
            // Spans in these files are not reported through the file
            // table; they only provide values.
            Some(SourceFile::new(
                FileId(u32::MAX - i as u32),
                p.clone(),
                kind,
                Arc::from(text),
            ))
        })
        .collect();
    let extra_parsed: Vec<hcl::Body> = extra.iter().map(|f| parse_one(f).0).collect();
    let extra_vars: Vec<VarFile> = extra
        .iter()
        .zip(&extra_parsed)
        .map(|(file, body)| VarFile { file, body })
        .collect();

    let dirs = group_by_dir(files);

    // Every directory with configuration is a module definition; tfvars
    // files are kept per directory for when it is a root.
    let mut mods: Vec<ModDir> = Vec::new();
    for (dir, idxs) in dirs {
        let mut configs = Vec::new();
        let mut vars = Vec::new();
        for i in idxs {
            let Some(f) = files.get(i) else {
                continue;
            };
            match f.kind {
                SourceKind::TerraformHcl | SourceKind::TerraformJson => configs.push(i),
                _ if is_auto_vars(&f.path) => vars.push(i),
                _ => {}
            }
        }
        if configs.is_empty() {
            continue;
        }
        // terraform.tfvars first, then *.auto.tfvars by name.
        vars.sort_by_key(|&i| {
            let name = files
                .get(i)
                .map(|f| f.path.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            (
                !name.ends_with("terraform.tfvars") && !name.ends_with("terraform.tfvars.json"),
                name,
            )
        });
        mods.push(ModDir { dir, configs, vars });
    }

    // Most directories neither call a module nor are called by one. Each
    // of those is parsed, evaluated and dropped on its own, so the syntax
    // trees of a whole estate are never held at once. Only a file that
    // contains the word `module` can call one (JSON may spell it with
    // escapes, so it always counts); those are parsed first, and with the
    // directories their calls name they are evaluated together.
    let may_call: Vec<bool> = mods
        .par_iter()
        .map(|m| {
            m.configs.iter().any(|&i| {
                files.get(i).is_some_and(|f| {
                    f.kind == SourceKind::TerraformJson
                        || memchr::memmem::find(f.text.as_bytes(), b"module").is_some()
                })
            })
        })
        .collect();
    let mut slots: Vec<Slot> = files.iter().map(|_| None).collect();
    let first: Vec<usize> = mods
        .iter()
        .zip(&may_call)
        .filter(|(_, c)| **c)
        .flat_map(|(m, _)| m.files())
        .collect();
    parse_into(&mut slots, files, first);
    let mut targets: BTreeSet<PathBuf> = BTreeSet::new();
    for (m, _) in mods.iter().zip(&may_call).filter(|(_, c)| **c) {
        for i in &m.configs {
            if let Some(Some((body, _))) = slots.get(*i) {
                targets.extend(
                    module::call_sources(body)
                        .filter_map(|s| module::local_module_dir(s, &m.dir))
                        .map(|d| module::normalize(&d)),
                );
            }
        }
    }
    let joined: Vec<bool> = mods
        .iter()
        .zip(&may_call)
        .map(|(m, &c)| c || targets.contains(&module::normalize(&m.dir)))
        .collect();
    let called_only: Vec<usize> = mods
        .iter()
        .zip(joined.iter().zip(&may_call))
        .filter(|(_, (j, c))| **j && !**c)
        .flat_map(|(m, _)| m.files())
        .collect();
    parse_into(&mut slots, files, called_only);

    // Units are ordered as the roots of all definitions are: directories
    // no other calls, in order, then those only a cycle calls.
    let mut hcl_units: Vec<((bool, usize), Unit)> = Vec::new();
    {
        let joined_mods: Vec<usize> = (0..mods.len())
            .filter(|&k| joined.get(k).copied().unwrap_or(false))
            .collect();
        let mut defs = Vec::new();
        let mut def_vars: Vec<Vec<VarFile>> = Vec::new();
        for &k in &joined_mods {
            let Some(m) = mods.get(k) else { continue };
            let mod_files: Vec<ModFile> = m
                .configs
                .iter()
                .filter_map(|&i| {
                    Some(ModFile {
                        file: files.get(i)?,
                        body: &slots.get(i)?.as_ref()?.0,
                    })
                })
                .collect();
            defs.push(ModDef::new(m.dir.clone(), &mod_files));
            def_vars.push(
                m.vars
                    .iter()
                    .filter_map(|&i| {
                        Some(VarFile {
                            file: files.get(i)?,
                            body: &slots.get(i)?.as_ref()?.0,
                        })
                    })
                    .collect(),
            );
        }
        let defs = Defs::new(defs);
        let called = defs.called();
        let units: Vec<((bool, usize), Unit)> = defs
            .roots()
            .par_iter()
            .map(|&root| {
                let vars: Vec<VarFile> = def_vars
                    .get(root)
                    .into_iter()
                    .flatten()
                    .map(|v| VarFile {
                        file: v.file,
                        body: v.body,
                    })
                    .collect();
                let key = (
                    called.get(root).copied().unwrap_or(false),
                    joined_mods.get(root).copied().unwrap_or(usize::MAX),
                );
                (key, evaluate_root(&defs, root, vars, &extra_vars))
            })
            .collect();
        hcl_units.extend(units);
    }

    let mut diags: Vec<Vec<Diagnostic>> = slots
        .into_iter()
        .map(|s| s.map(|(_, d)| d).unwrap_or_default())
        .collect();

    // The standalone directories, each read, evaluated and dropped.
    let standalone: Vec<(usize, Unit, FileDiags)> = (0..mods.len())
        .filter(|&k| !joined.get(k).copied().unwrap_or(true))
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter_map(|k| {
            let m = mods.get(k)?;
            let parsed: Vec<(usize, (hcl::Body, Vec<Diagnostic>))> = m
                .files()
                .filter_map(|i| Some((i, parse_one(files.get(i)?))))
                .collect();
            let body = |i: usize| parsed.iter().find(|(j, _)| *j == i).map(|(_, (b, _))| b);
            let mod_files: Vec<ModFile> = m
                .configs
                .iter()
                .filter_map(|&i| {
                    Some(ModFile {
                        file: files.get(i)?,
                        body: body(i)?,
                    })
                })
                .collect();
            let vars: Vec<VarFile> = m
                .vars
                .iter()
                .filter_map(|&i| {
                    Some(VarFile {
                        file: files.get(i)?,
                        body: body(i)?,
                    })
                })
                .collect();
            let defs = Defs::new(vec![ModDef::new(m.dir.clone(), &mod_files)]);
            let unit = evaluate_root(&defs, 0, vars, &extra_vars);
            drop(defs);
            let file_diags = parsed.into_iter().map(|(i, (_, d))| (i, d)).collect();
            Some((k, unit, file_diags))
        })
        .collect();
    for (k, unit, file_diags) in standalone {
        hcl_units.push(((false, k), unit));
        for (i, d) in file_diags {
            if let Some(slot) = diags.get_mut(i) {
                *slot = d;
            }
        }
    }
    hcl_units.sort_by_key(|(key, _)| *key);

    // Files no module reads (other tfvars) are still checked for errors.
    let read: BTreeSet<usize> = mods.iter().flat_map(ModDir::files).collect();
    let rest: Vec<(usize, Vec<Diagnostic>)> = (0..files.len())
        .filter(|i| !read.contains(i))
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter_map(|i| Some((i, parse_one(files.get(i)?).1)))
        .collect();
    for (i, d) in rest {
        if let Some(slot) = diags.get_mut(i) {
            *slot = d;
        }
    }

    let plan_units: Vec<Unit> = files
        .par_iter()
        .filter(|f| f.kind == SourceKind::TerraformPlan)
        .map(|f| {
            let (plan, diags) = plan::read(f);
            let dir = module::normalize(f.path.parent().unwrap_or(Path::new("")));
            let mut unit = Unit::of(&plan, dir);
            unit.facts.diagnostics.extend(diags);
            unit
        })
        .collect();

    let mut parts = merge(hcl_units.into_iter().map(|(_, u)| u).collect(), plan_units);
    let mut rest = Facts::default();
    for d in diags {
        rest.diagnostics.extend(d);
    }
    parts.push(rest);
    parts
}

#[cfg(test)]
mod tests;
