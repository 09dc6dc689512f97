//! Which networks are sensitive, and why.
//!
//! A network is sensitive when the repository config declares it, when a
//! label says so (`sensitivity = "high"`, a bare `secure` tag), or when its
//! name contains a sensitivity word as a whole token (`SECURE-OPS` yes,
//! `INSECURE-IOT` no). The words are data ([`SensitivityWords`]), taken
//! from the policy `settings`. Every decision keeps its reason and span.

use globset::{Glob, GlobMatcher};
use ipnet::IpNet;

use crate::model::{Network, NetworkKind, Span};

/// The vocabulary of sensitivity.
#[derive(Debug, Clone)]
pub struct SensitivityWords {
    /// Label keys whose value is a sensitivity level.
    pub keys: Vec<String>,
    /// Values (of those keys, or bare tags) that mean sensitive.
    pub values: Vec<String>,
    /// Whole-token words that make a network's name sensitive.
    pub name_words: Vec<String>,
}

impl Default for SensitivityWords {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        SensitivityWords {
            keys: s(&[
                "sensitivity",
                "classification",
                "data_classification",
                "security_zone",
                "network_zone",
                "zone",
                "security_level",
                "sensitivity_level",
            ]),
            values: s(&[
                "sensitive",
                "high",
                "restricted",
                "secure",
                "secret",
                "top-secret",
                "official-sensitive",
                "classified",
            ]),
            // "high" is a level, not a name: "HIGH-BAY-CAMS" is a place.
            name_words: s(&[
                "sensitive",
                "restricted",
                "secure",
                "secret",
                "top-secret",
                "official-sensitive",
                "classified",
            ]),
        }
    }
}

/// A `network` block of the repository config.
#[derive(Debug, Clone)]
pub struct NetworkDecl {
    pub name: String,
    pub cidrs: Vec<IpNet>,
    pub vlans: Vec<u16>,
    pub names: Vec<String>,
    pub groups: Vec<String>,
    pub sensitive: bool,
    pub reason: Option<String>,
    pub span: Span,
}

/// Why a network is (or is declared not to be) sensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    pub text: String,
    pub span: Span,
}

/// Whether `a` and `b` are equal once each byte is mapped by `fold`.
/// Lower-casing ASCII and swapping `_` for `-` map byte for byte, so this
/// compares what mapping both strings would give without building either:
/// every label of every network is compared with every word.
fn same_folded(a: &str, b: &str, fold: impl Fn(u8) -> u8) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| fold(x) == fold(y))
}

/// Lower case, `_` read as `-`.
fn dash_fold(b: u8) -> u8 {
    match b.to_ascii_lowercase() {
        b'_' => b'-',
        b => b,
    }
}

/// Lower case, `-` read as `_`.
fn underscore_fold(b: u8) -> u8 {
    match b.to_ascii_lowercase() {
        b'-' => b'_',
        b => b,
    }
}

impl SensitivityWords {
    /// `v` and a value word, both trimmed, compare equal ignoring ASCII
    /// case and `_`/`-`.
    fn is_value(&self, v: &str) -> bool {
        let v = v.trim();
        self.values
            .iter()
            .any(|w| same_folded(v, w.trim(), dash_fold))
    }

    /// `k` (trimmed) and a key word compare equal ignoring ASCII case and
    /// `-`/`_`.
    fn is_key(&self, k: &str) -> bool {
        let k = k.trim();
        self.keys.iter().any(|w| same_folded(k, w, underscore_fold))
    }

    /// The sensitivity word in a name, as a whole token. Tokens are split
    /// on anything but letters and digits; multi-word entries
    /// (`top-secret`) must appear as consecutive tokens.
    pub fn name_word<'a>(&'a self, name: &str) -> Option<&'a str> {
        // Split by bytes: a character that is not ASCII is a separator
        // either way, and so is each of its bytes.
        let tokens: Vec<&[u8]> = name
            .as_bytes()
            .split(|b| !b.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        // A token matches a part when the token, lower-cased, is the part.
        let same = |t: &[u8], p: &str| {
            t.len() == p.len()
                && t.iter()
                    .zip(p.bytes())
                    .all(|(a, b)| a.to_ascii_lowercase() == b)
        };
        self.name_words.iter().map(String::as_str).find(|w| {
            const SEPARATORS: [char; 3] = ['-', '_', ' '];
            if !w.contains(SEPARATORS) {
                return !w.is_empty() && tokens.iter().any(|t| same(t, w));
            }
            let parts: Vec<&str> = w.split(SEPARATORS).filter(|p| !p.is_empty()).collect();
            !parts.is_empty()
                && tokens
                    .windows(parts.len())
                    .any(|win| win.iter().zip(&parts).all(|(t, p)| same(t, p)))
        })
    }
}

/// Compiled config declarations, for matching networks by name glob.
pub struct Declarations<'a> {
    decls: &'a [NetworkDecl],
    globs: Vec<Vec<GlobMatcher>>,
}

impl<'a> Declarations<'a> {
    pub fn new(decls: &'a [NetworkDecl]) -> Declarations<'a> {
        let globs = decls
            .iter()
            .map(|d| {
                d.names
                    .iter()
                    .filter_map(|n| {
                        globset::GlobBuilder::new(n)
                            .case_insensitive(true)
                            .build()
                            .or_else(|_| Glob::new(&globset::escape(n)))
                            .ok()
                            .map(|g| g.compile_matcher())
                    })
                    .collect()
            })
            .collect();
        Declarations { decls, globs }
    }

    /// The first declaration that covers `net`, with the words for why.
    pub fn matching(&self, net: &Network) -> Option<(&NetworkDecl, String)> {
        for (d, globs) in self.decls.iter().zip(&self.globs) {
            let what = || format!("network \"{}\" in the camlint config", d.name);
            if let Some((vlan, _)) = net.vlan
                && d.vlans.contains(&vlan)
            {
                return Some((d, format!("VLAN {vlan} is declared by {}", what())));
            }
            if net.kind == NetworkKind::Group && d.groups.iter().any(|g| g == &net.name) {
                return Some((d, format!("group {} is declared by {}", net.name, what())));
            }
            if globs.iter().any(|g| g.is_match(&net.name)) {
                return Some((d, format!("name {} is declared by {}", net.name, what())));
            }
            for (cidr, _) in &net.cidrs {
                if let Some(outer) = d.cidrs.iter().find(|o| o.contains(cidr)) {
                    return Some((d, format!("{cidr} lies in {outer}, declared by {}", what())));
                }
            }
        }
        None
    }
}

/// Decides one network from its own labels and name (not inheritance, not
/// declarations). `Some(true/false, why)` when a label or name decides.
pub fn from_labels_and_name(net: &Network, words: &SensitivityWords) -> Option<Why> {
    for label in &net.labels {
        match &label.key {
            Some(k) if words.is_key(k) && words.is_value(&label.value) => {
                return Some(Why {
                    text: format!("{} {k} = \"{}\"", label_noun(net), label.value),
                    span: label.span,
                });
            }
            None if words.is_value(&label.value) => {
                return Some(Why {
                    text: format!("tagged \"{}\"", label.value),
                    span: label.span,
                });
            }
            _ => {}
        }
    }
    let word = words.name_word(&net.name)?;
    Some(Why {
        text: format!("name {} contains \"{word}\"", net.name),
        span: net.name_span.unwrap_or(net.span),
    })
}

fn label_noun(net: &Network) -> &'static str {
    match net.kind {
        NetworkKind::Group => "group var",
        _ => "tag",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileId, Label};

    fn net(name: &str) -> Network {
        Network::new(name, NetworkKind::Vlan, Span::new(FileId(0), 0, 1))
    }

    #[test]
    fn name_tokens_are_whole_words() {
        let w = SensitivityWords::default();
        assert!(from_labels_and_name(&net("SECURE-OPS"), &w).is_some());
        assert!(from_labels_and_name(&net("secure_zone"), &w).is_some());
        assert!(from_labels_and_name(&net("INSECURE-IOT"), &w).is_none());
        assert!(from_labels_and_name(&net("ops_cameras"), &w).is_none());
        assert!(from_labels_and_name(&net("DMZ-TOP-SECRET"), &w).is_some());
        assert!(from_labels_and_name(&net("HIGH-BAY"), &w).is_none());
    }

    #[test]
    fn labels_need_a_sensitivity_key_or_a_bare_word() {
        let w = SensitivityWords::default();
        let mut n = net("GENERAL");
        n.labels.push(Label {
            key: Some("owner".into()),
            value: "secure".into(),
            span: Span::default(),
        });
        assert!(from_labels_and_name(&n, &w).is_none());
        n.labels.push(Label {
            key: Some("network_zone".into()),
            value: "Sensitive".into(),
            span: Span::default(),
        });
        let why = from_labels_and_name(&n, &w).unwrap();
        assert_eq!(why.text, "tag network_zone = \"Sensitive\"");
        let mut t = net("x");
        t.labels.push(Label {
            key: None,
            value: "sensitive".into(),
            span: Span::default(),
        });
        assert!(from_labels_and_name(&t, &w).is_some());
    }

    #[test]
    fn keys_and_values_compare_ignoring_case_and_dash_or_underscore() {
        let w = SensitivityWords::default();
        let labelled = |key: Option<&str>, value: &str| {
            let mut n = net("GENERAL");
            n.labels.push(Label {
                key: key.map(str::to_string),
                value: value.into(),
                span: Span::default(),
            });
            from_labels_and_name(&n, &w).is_some()
        };
        assert!(labelled(Some(" Security-Zone "), " Top_Secret "));
        assert!(labelled(Some("NETWORK_ZONE"), "OFFICIAL-SENSITIVE"));
        assert!(labelled(None, "Top_Secret"));
        assert!(!labelled(Some("security-zones"), "secret"));
        assert!(!labelled(Some("zone"), "top secret"));
        assert!(!labelled(None, "secrets"));
        // Custom words: an upper-case name word can never match a token,
        // which is compared lower-cased; a multi-part one needs its parts
        // as consecutive tokens.
        let custom = SensitivityWords {
            name_words: vec!["PCI".into(), "card_data".into()],
            ..SensitivityWords::default()
        };
        assert_eq!(custom.name_word("pci-zone"), None);
        assert_eq!(custom.name_word("CARD-DATA-01"), Some("card_data"));
        assert_eq!(custom.name_word("card-x-data"), None);
    }
}
