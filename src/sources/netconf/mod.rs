//! netconf sources (not yet wired).

use crate::model::{Facts, SourceFile};
use crate::sources::SourceOptions;

pub fn collect(_files: &[&SourceFile], _opts: &SourceOptions) -> Facts {
    Facts::default()
}

pub fn sniff(_name: &str, _text: &str) -> Option<crate::model::SourceKind> {
    None
}
