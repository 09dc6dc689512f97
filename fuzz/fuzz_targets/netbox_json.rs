//! Fuzz target `netbox_json`: see `camlint::harness` for what it feeds and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| camlint::harness::run("netbox_json", data));
