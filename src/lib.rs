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
mod par;
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

/// A hash map for the scan's hot lookups (networks by CIDR and VLAN, texts
/// already scanned): foldhash instead of SipHash, which showed in profiles,
/// still seeded per process so input cannot choose colliding keys.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

static FREE_AT_EXIT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Tells camlint that the process ends when [`run`] returns, so the
/// scan's memory need not be handed back piece by piece: the system takes
/// it back at once, while dropping a large estate's inventory, object by
/// object, cost about 6% of a run. Only the binary calls this; a library
/// caller running several scans keeps the default and frees everything.
pub fn skip_freeing_at_exit() {
    FREE_AT_EXIT.store(false, std::sync::atomic::Ordering::Relaxed);
}

/// Drops `value`, unless the process is about to exit (see
/// [`skip_freeing_at_exit`]).
pub(crate) fn dispose<T>(value: T) {
    if FREE_AT_EXIT.load(std::sync::atomic::Ordering::Relaxed) {
        drop(value);
    } else {
        std::mem::forget(value);
    }
}
