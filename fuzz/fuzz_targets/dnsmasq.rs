//! Fuzz target `dnsmasq`: see `camlint::harness` for what it feeds and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| camlint::harness::run("dnsmasq", data));
