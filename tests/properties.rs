//! Properties every parser must keep on any input, checked with proptest.
//!
//! For every harness target (one per parser): parsing arbitrary bytes, and
//! arbitrary text made of each format's own punctuation, never panics, and
//! every span returned lies inside the file on character boundaries (the
//! harness asserts that). Parsing is a pure function of the text: the same
//! input gives the same facts twice.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;

/// Text built from tokens that matter to the formats, so inputs get past
/// the first line of each parser more often than random bytes do.
fn structured() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        "\"",
        "'",
        "=",
        ":",
        ";",
        ",",
        "\n",
        "\r\n",
        "\r",
        " ",
        "  ",
        "#",
        "//",
        "/*",
        "*/",
        "!",
        "-",
        "- ",
        "&a",
        "*a",
        "<<: ",
        "${",
        "%{",
        "}}",
        "{{",
        "resource",
        "interface",
        "vlan 110",
        "host",
        "subnet",
        "set ",
        "description ",
        "hardware ethernet 44:19:b6:00:00:01",
        "10.0.0.0/24",
        "\u{e9}",
        "\u{feff}",
        "camlint:ignore[x] reason=\"r\"",
        "[g]",
        "[g:vars]",
        "a=b",
        "Hikvision",
        "<<-EOT\n",
        "EOT",
        "\t",
        "\\",
        "...",
        "---",
    ]);
    prop::collection::vec(token, 0..64).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_and_spans_fit(data in prop::collection::vec(any::<u8>(), 0..512)) {
        for target in camlint::harness::TARGETS {
            camlint::harness::run(target, &data);
        }
    }

    #[test]
    fn format_shaped_text_never_panics_and_spans_fit(text in structured()) {
        for target in camlint::harness::TARGETS {
            camlint::harness::run(target, text.as_bytes());
        }
    }

    #[test]
    fn native_hcl_parse_is_a_function_of_the_text(text in structured()) {
        let a = camlint::sources::terraform::hcl::parse(&text);
        let b = camlint::sources::terraform::hcl::parse(&text);
        prop_assert_eq!(a, b);
    }
}
