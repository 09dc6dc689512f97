//! kea (to do).

use crate::model::{Facts, SourceFile};

pub(super) fn parse(_file: &SourceFile) -> Facts {
    Facts::default()
}

pub(super) fn parse_netbox_json(_file: &SourceFile) -> Facts {
    Facts::default()
}
