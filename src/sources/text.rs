//! Whitespace trimming for line-oriented parsers and sniffers.
//!
//! `str::trim_start` and friends decode every character to ask whether it
//! is Unicode whitespace; configuration lines are almost always ASCII, and
//! trimming each line that way was a visible share of parsing a switch
//! config. These give exactly the same answers: ASCII bytes are decided
//! alone, and the first non-ASCII byte hands the rest to the `str` method.

/// What `char::is_whitespace` says of an ASCII byte (tab, LF, VT, FF, CR,
/// space; note VT, which `u8::is_ascii_whitespace` leaves out).
fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// `s.trim_start()`.
pub fn trim_start(s: &str) -> &str {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if !b.is_ascii() {
            return s.get(i..).map_or("", str::trim_start);
        }
        if !ascii_space(b) {
            return s.get(i..).unwrap_or("");
        }
    }
    ""
}

/// `s.trim_end()`.
pub fn trim_end(s: &str) -> &str {
    for (i, &b) in s.as_bytes().iter().enumerate().rev() {
        if !b.is_ascii() {
            return s.get(..i + 1).map_or("", str::trim_end);
        }
        if !ascii_space(b) {
            return s.get(..i + 1).unwrap_or("");
        }
    }
    ""
}

/// `s.trim()`.
pub fn trim(s: &str) -> &str {
    trim_end(trim_start(s))
}

/// `s.lines()`: split at LF, a CR before it dropped, no empty line after
/// a final LF. Line ends are found by one vectorised scan of the text
/// rather than a search set up for each line.
pub fn lines(s: &str) -> impl Iterator<Item = &str> {
    let mut ends = memchr::memchr_iter(b'\n', s.as_bytes());
    let mut start = 0usize;
    std::iter::from_fn(move || {
        let line = match ends.next() {
            Some(nl) => {
                let line = s.get(start..nl)?;
                start = nl + 1;
                line.strip_suffix('\r').unwrap_or(line)
            }
            // The last line keeps a CR: only CRLF ends a line.
            None if start < s.len() => {
                let line = s.get(start..)?;
                start = s.len();
                line
            }
            None => return None,
        };
        Some(line)
    })
}

/// `haystack.find(needle)` for the short needles and lines of sniffing,
/// with no searcher to set up: each place the needle's first byte occurs
/// is compared with the rest of it.
#[inline]
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let mut at = 0;
    while let Some(i) = memchr::memchr(first, hay.get(at..)?) {
        let start = at + i;
        if hay.get(start + 1..start + needle.len()) == Some(rest) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// `haystack.contains(needle)`, as [`find`].
#[inline]
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// `s.split_whitespace()`: an ASCII line is split byte by byte, anything
/// else by the `str` method.
pub fn split_whitespace(s: &str) -> Words<'_> {
    if s.is_ascii() {
        Words::Ascii(s)
    } else {
        Words::Unicode(s.split_whitespace())
    }
}

/// The words of [`split_whitespace`].
pub enum Words<'a> {
    /// What is left of an ASCII line.
    Ascii(&'a str),
    Unicode(std::str::SplitWhitespace<'a>),
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Words::Ascii(rest) => {
                let t = trim_start(rest);
                if t.is_empty() {
                    *rest = t;
                    return None;
                }
                let end = t.bytes().position(ascii_space).unwrap_or(t.len());
                let (word, after) = t.split_at_checked(end)?;
                *rest = after;
                Some(word)
            }
            Words::Unicode(it) => it.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn same_as_the_str_methods_on_edge_cases() {
        for s in [
            "",
            " ",
            "\u{0B}x\u{0B}",
            "\u{a0}x\u{a0}",
            " \u{3000} x \u{2028} ",
            "x\u{85}",
            "\u{85}",
            "é ",
            " é",
            "\t\r\n",
            "set  interfaces\u{0B}ge-0/0/0 ",
            "host a {",
            "a\r\nb\n\nc\r",
            "\n",
            "\r\n\r\n",
            "a\rb\n",
        ] {
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
            assert_eq!(trim_end(s), s.trim_end(), "{s:?}");
            assert_eq!(trim(s), s.trim(), "{s:?}");
            let words: Vec<&str> = split_whitespace(s).collect();
            assert_eq!(words, s.split_whitespace().collect::<Vec<_>>(), "{s:?}");
            assert_eq!(
                lines(s).collect::<Vec<_>>(),
                s.lines().collect::<Vec<_>>(),
                "{s:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn same_as_the_str_methods(s in "[ \t\r\n\u{0B}\u{0C}\u{85}\u{a0}\u{3000}ab#é]{0,12}") {
            prop_assert_eq!(trim_start(&s), s.trim_start());
            prop_assert_eq!(trim_end(&s), s.trim_end());
            prop_assert_eq!(trim(&s), s.trim());
            let words: Vec<&str> = split_whitespace(&s).collect();
            prop_assert_eq!(words, s.split_whitespace().collect::<Vec<_>>());
        }

        #[test]
        fn lines_and_contains_as_the_str_methods(s in "[a \r\n#=é]{0,16}", needle in "[a #=]{1,3}") {
            prop_assert_eq!(lines(&s).collect::<Vec<_>>(), s.lines().collect::<Vec<_>>());
            prop_assert_eq!(contains(&s, &needle), s.contains(needle.as_str()));
            prop_assert_eq!(find(&s, &needle), s.find(needle.as_str()));
        }
    }
}
