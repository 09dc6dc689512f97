//! Parsers for every input family, each turning files into [`Facts`].
//!
//! One folder per family. A family receives all of its files at once
//! because some facts span files (a Terraform module is a directory, an
//! Ansible inventory has `group_vars/` beside it); each family parses its
//! files in parallel and joins them itself. Sources report what files say,
//! never who made a device or whether a network is sensitive.

pub mod ansible;
pub mod fields;
pub mod netconf;
pub mod terraform;
pub mod text;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::model::{Facts, SourceFile};

/// Options every source may need.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// `--var-file` arguments for Terraform, in order.
    pub var_files: Vec<PathBuf>,
    /// `--max-yaml-nodes`: nodes one YAML file may hold, aliases expanded.
    pub max_yaml_nodes: usize,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            var_files: Vec::new(),
            max_yaml_nodes: ansible::yaml::MAX_NODES,
        }
    }
}

/// Parses every file and returns the facts of the whole scan. Families run
/// in parallel with each other and within themselves.
pub fn collect(files: &[SourceFile], opts: &SourceOptions) -> Facts {
    let mut by_family: [Vec<&SourceFile>; 3] = Default::default();
    for f in files {
        let slot = match f.kind.family() {
            "terraform" => 0,
            "ansible" => 1,
            _ => 2,
        };
        if let Some(v) = by_family.get_mut(slot) {
            v.push(f);
        }
    }
    let [tf, ansible, net] = by_family;
    let parts: Vec<Facts> = [0usize, 1, 2]
        .into_par_iter()
        .map(|i| match i {
            0 => terraform::collect(&tf, opts),
            1 => ansible::collect(&ansible, opts),
            _ => netconf::collect(&net, opts),
        })
        .collect();
    Facts::concat(parts)
}
