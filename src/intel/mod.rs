//! Who made a device, with evidence: pure functions over embedded data.
//!
//! `oui` maps MAC addresses to their IEEE registrant. Deciding which
//! registrants are restricted makers, and weighing that against other
//! signals, is left to the vendor data and to the modules built on it.

pub mod oui;
