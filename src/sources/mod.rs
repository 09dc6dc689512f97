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

use crate::model::{Device, Facts, SourceFile};

/// Options every source may need.
#[derive(Debug, Clone)]
pub struct SourceOptions<'a> {
    /// `--var-file` arguments for Terraform, in order.
    pub var_files: Vec<PathBuf>,
    /// `--max-yaml-nodes`: nodes one YAML file may hold, aliases expanded.
    pub max_yaml_nodes: usize,
    /// Drops the candidate devices of one file that are not worth keeping.
    pub prune: Option<Prune<'a>>,
}

impl Default for SourceOptions<'_> {
    fn default() -> Self {
        SourceOptions {
            var_files: Vec::new(),
            max_yaml_nodes: ansible::yaml::MAX_NODES,
            prune: None,
        }
    }
}

/// Removes, from the devices one file yielded, the candidates that are not
/// devices after all (a switch port described "desk 25"). Sources do not
/// decide that (identification does, with the policy's vendors and kinds),
/// but they call this as soon as a file is parsed: an estate's switches
/// describe tens of thousands of such ports, and dropping them while they
/// are fresh keeps them out of every table built after. Without it, the
/// candidates go on to evaluation, which leaves them out of every result
/// just the same.
#[derive(Clone, Copy)]
pub struct Prune<'a>(pub &'a (dyn Fn(&mut Vec<Device>) + Sync));

impl Prune<'_> {
    /// Prunes `facts`' devices if there is any candidate among them.
    pub fn apply(self, facts: &mut Facts) {
        if facts.devices.iter().any(|d| d.candidate) {
            (self.0)(&mut facts.devices);
        }
    }
}

impl std::fmt::Debug for Prune<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prune(..)")
    }
}

/// Parses every file and returns the facts of the whole scan. Families run
/// in parallel with each other and within themselves.
pub fn collect<'f>(files: impl IntoIterator<Item = &'f SourceFile>, opts: &SourceOptions) -> Facts {
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
    // Ansible first: it has the longest steps that run on one thread
    // (joining inventories with their variables), which the others'
    // parallel work can then fill around instead of waiting for.
    let ((ansible, mut parts), net) = rayon::join(
        || {
            rayon::join(
                || ansible::collect_parts(&ansible, opts),
                || terraform::collect_parts(&tf, opts),
            )
        },
        || netconf::collect(&net, opts),
    );
    // Each family comes back in parts (a root module, an inventory, a
    // network file), merged in one pass: an estate's devices are moved
    // once.
    parts.extend(ansible);
    parts.extend(net);
    Facts::concat(parts)
}
