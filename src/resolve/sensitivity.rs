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

fn norm(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace('_', "-")
}

impl SensitivityWords {
    fn is_value(&self, v: &str) -> bool {
        let v = norm(v);
        self.values.iter().any(|w| norm(w) == v)
    }

    fn is_key(&self, k: &str) -> bool {
        let k = k.trim().to_ascii_lowercase().replace('-', "_");
        self.keys
            .iter()
            .any(|w| w.to_ascii_lowercase().replace('-', "_") == k)
    }

    /// The sensitivity word in a name, as a whole token. Tokens are split
    /// on anything but letters and digits; multi-word entries
    /// (`top-secret`) must appear as consecutive tokens.
    pub fn name_word<'a>(&'a self, name: &str) -> Option<&'a str> {
        let tokens: Vec<String> = name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(|t| t.to_ascii_lowercase())
            .collect();
        self.name_words.iter().map(String::as_str).find(|w| {
            let parts: Vec<&str> = w.split(['-', '_', ' ']).filter(|p| !p.is_empty()).collect();
            !parts.is_empty()
                && tokens
                    .windows(parts.len())
                    .any(|win| win.iter().zip(&parts).all(|(t, p)| t == p))
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
}
