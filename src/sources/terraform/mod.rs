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
pub mod prov;
pub mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::{Diagnostic, Facts, FileId, SourceFile, SourceKind};
use crate::sources::SourceOptions;
use module::{Ctx, Defs, HclView, Instance, ModDef, ModFile, VarFile};

/// Errors reported per file at most; the rest are summarised.
const MAX_ERRORS_PER_FILE: usize = 10;

fn parse_one(file: &SourceFile) -> (hcl::Body, Vec<Diagnostic>) {
    let parsed = match file.kind {
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

pub fn collect(files: &[&SourceFile], opts: &SourceOptions) -> Facts {
    let parsed: Vec<(hcl::Body, Vec<Diagnostic>)> =
        files.par_iter().map(|f| parse_one(f)).collect();

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

    let mut dirs: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        let dir = f.path.parent().map(Path::to_path_buf).unwrap_or_default();
        dirs.entry(dir).or_default().push(i);
    }

    // Every directory with configuration is a module definition; tfvars
    // files are kept per directory for when it is a root.
    let mut defs = Vec::new();
    let mut def_vars: Vec<Vec<usize>> = Vec::new();
    for (dir, idxs) in &dirs {
        let mut mod_files = Vec::new();
        let mut var_idx = Vec::new();
        for &i in idxs {
            let (Some(f), Some((body, _))) = (files.get(i), parsed.get(i)) else {
                continue;
            };
            match f.kind {
                SourceKind::TerraformHcl | SourceKind::TerraformJson => {
                    mod_files.push(ModFile { file: f, body })
                }
                _ if is_auto_vars(&f.path) => var_idx.push(i),
                _ => {}
            }
        }
        if mod_files.is_empty() {
            continue;
        }
        // terraform.tfvars first, then *.auto.tfvars by name.
        var_idx.sort_by_key(|&i| {
            let name = files
                .get(i)
                .map(|f| f.path.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            (
                !name.ends_with("terraform.tfvars") && !name.ends_with("terraform.tfvars.json"),
                name,
            )
        });
        defs.push(ModDef::new(dir.clone(), &mod_files));
        def_vars.push(var_idx);
    }
    let defs = Defs::new(defs);

    // Root modules only: a directory another one calls is evaluated as
    // that call's instances, never on its own as well.
    let mut facts_per_root: Vec<Facts> = defs
        .roots()
        .par_iter()
        .map(|&root| {
            let mut var_files: Vec<VarFile> = def_vars
                .get(root)
                .into_iter()
                .flatten()
                .filter_map(|&i| {
                    Some(VarFile {
                        file: files.get(i)?,
                        body: &parsed.get(i)?.0,
                    })
                })
                .collect();
            var_files.extend(
                extra
                    .iter()
                    .zip(&extra_parsed)
                    .map(|(file, body)| VarFile { file, body }),
            );
            let ctx = Ctx::new(&defs, root);
            let Some(inst) = Instance::root(&ctx, root, &var_files) else {
                return Facts::default();
            };
            let view = HclView::new(&inst);
            let mut facts = build::build(&view).facts;
            facts.diagnostics.extend(ctx.take_diagnostics());
            facts
        })
        .collect();

    let mut all = Facts::default();
    for f in facts_per_root.drain(..) {
        all.extend(f);
    }
    for (_, diags) in parsed {
        all.diagnostics.extend(diags);
    }
    all
}

#[cfg(test)]
mod tests;
