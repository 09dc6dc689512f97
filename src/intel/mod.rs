//! Vendor intelligence: who made a device, from names, brands, OEM links,
//! model numbers and MAC OUIs. Pure functions over data loaded from the
//! policy files and the generated OUI table.

pub mod identify;
pub mod oui;
pub mod vendors;

pub use identify::{
    Evidence, Identity, KindDb, KindSpec, Maker, ScanCache, identify, identify_with,
};
pub use vendors::{Confidence, ModelSpec, Relation, VendorDb, VendorSpec};
