//! camlint: finds restricted surveillance cameras on sensitive networks in
//! infrastructure code.
//!
//! The pipeline is the layout: `cli` → `discover` → `sources` → `model` →
//! `resolve` → `intel` → `policy` → `report`.

pub mod intel;
pub mod model;
pub mod sources;
