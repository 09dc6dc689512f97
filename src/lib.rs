//! camlint: finds restricted surveillance cameras on sensitive networks in
//! infrastructure code.
//!
//! The pipeline is the layout: `cli` → `discover` → `sources` → `model` →
//! `resolve` → `intel` → `policy` → `report`.

pub mod cli;
pub mod discover;
pub mod docs;
#[doc(hidden)]
pub mod harness;
pub mod intel;
pub mod model;
pub mod policy;
pub mod report;
pub mod resolve;
pub mod sources;
pub mod timings;

/// Nothing at or above the fail level.
pub const EXIT_CLEAN: i32 = 0;
/// Findings at or above the fail level.
pub const EXIT_FINDINGS: i32 = 1;
/// Bad flag, unreadable config, invalid policy.
pub const EXIT_USAGE: i32 = 2;
/// camlint itself failed.
pub const EXIT_INTERNAL: i32 = 3;

pub use cli::run;
