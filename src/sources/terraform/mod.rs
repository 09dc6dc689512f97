//! terraform sources (not yet wired).

pub mod hcl;

use crate::model::{Facts, SourceFile};
use crate::sources::SourceOptions;

pub fn collect(_files: &[&SourceFile], _opts: &SourceOptions) -> Facts {
    Facts::default()
}
