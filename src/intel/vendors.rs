//! The vendor knowledge base, compiled for fast matching.
//!
//! Vendor entries come from `vendor` blocks in the policy language (the
//! built-in `policies/vendors.hcl` and any custom policy); this module turns
//! them into an Aho-Corasick automaton over every name and alias, another
//! over config fingerprints (stream paths, SNMP enterprise OIDs, HTTP
//! banners), a set of model-number regexes, and a map from normalised IEEE
//! organisation names to vendors. It knows nothing about files or rules.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexSet};

use crate::model::Span;

/// How a vendor relates to its parent maker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    Maker,
    Subsidiary,
    Brand,
    Affiliate,
    FormerAffiliate,
    Oem,
}

impl Relation {
    pub fn parse(s: &str) -> Option<Relation> {
        Some(match s {
            "maker" => Relation::Maker,
            "subsidiary" => Relation::Subsidiary,
            "brand" => Relation::Brand,
            "affiliate" => Relation::Affiliate,
            "former-affiliate" => Relation::FormerAffiliate,
            "oem" => Relation::Oem,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Maker => "maker",
            Relation::Subsidiary => "subsidiary",
            Relation::Brand => "brand",
            Relation::Affiliate => "affiliate",
            Relation::FormerAffiliate => "former-affiliate",
            Relation::Oem => "oem",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn parse(s: &str) -> Option<Confidence> {
        Some(match s {
            "low" => Confidence::Low,
            "medium" => Confidence::Medium,
            "high" => Confidence::High,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// A model-number pattern of a vendor.
#[derive(Debug, Clone)]
pub struct ModelSpec {
    pub pattern: String,
    /// Device kind the pattern implies (`camera`, `nvr`…), if any.
    pub kind: Option<std::sync::Arc<str>>,
    /// Counts only when a name or alias of the same maker group appears in
    /// the device's other facts (Hytera radio numbers, EZVIZ `CS-`).
    pub requires_context: bool,
    /// A model prefix several makers share (`IPC-`: Dahua, Imou, HiLook).
    /// Such a pattern decides the maker in an explicit model field; in free
    /// text it needs context like `requires_context`.
    pub family: Option<String>,
    pub span: Span,
}

/// One `vendor` block.
#[derive(Debug, Clone)]
pub struct VendorSpec {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    pub relation: Relation,
    pub confidence: Confidence,
    /// Names and aliases, matched case-insensitively as whole words.
    pub aliases: Vec<String>,
    /// IEEE registrant names, matched after normalisation.
    pub oui_organizations: Vec<String>,
    pub models: Vec<ModelSpec>,
    /// Literal strings (any case) that only this vendor's products put in
    /// configs: RTSP/HTTP paths, SNMP enterprise OIDs, ONVIF scope names,
    /// HTTP `Server` banners. Each is evidence of its own.
    pub fingerprints: Vec<String>,
    /// Literal strings too common to decide anything (ports 8000, 37777):
    /// they only supply the context that ambiguous model numbers need.
    pub weak_fingerprints: Vec<String>,
    /// Kinds of device the vendor makes, its main line first: a device of
    /// unknown kind is taken to be of the main kind.
    pub kinds: Vec<String>,
    /// Packs that restrict this vendor.
    pub restricted_by: Vec<String>,
    /// True when the entry sets no `restricted_by` of its own and takes its
    /// parent's (a brand is restricted wherever its maker is).
    pub inherits_restrictions: bool,
    pub sources: Vec<String>,
    pub note: Option<String>,
    pub span: Span,
}

/// The model patterns compiled with Unicode off, for asking whether any
/// matches an ASCII text: twice as fast as the Unicode set there, which
/// was most of identifying a device. On ASCII text the two agree: Unicode
/// classes, word boundaries and case folding differ only on characters
/// the text does not hold. Patterns written in ASCII only, because case
/// folding maps some other characters onto ASCII ones (`ſ` onto `s`, the
/// Kelvin sign onto `k`); a pattern that needs Unicode (`\p{L}`, `\x{17F}`)
/// does not compile this way and then no set is built.
fn ascii_set(patterns: &[String]) -> Option<regex::bytes::RegexSet> {
    if !patterns.iter().all(|p| p.is_ascii()) {
        return None;
    }
    regex::bytes::RegexSetBuilder::new(patterns)
        .unicode(false)
        .build()
        .ok()
}

/// A vendor found in some text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AliasHit {
    pub vendor: usize,
    pub start: usize,
    pub end: usize,
}

/// A fingerprint found in some text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FingerprintHit {
    pub vendor: usize,
    /// Only context, never evidence of its own.
    pub weak: bool,
    pub start: usize,
    pub end: usize,
}

/// A model pattern found in some text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelHit {
    pub vendor: usize,
    pub model: usize,
    pub start: usize,
    pub end: usize,
}

/// Compiled vendor knowledge.
#[derive(Debug)]
pub struct VendorDb {
    pub vendors: Vec<VendorSpec>,
    /// For each vendor, the index of its top-level maker (itself for makers).
    group: Vec<usize>,
    alias_ac: Option<AhoCorasick>,
    alias_owner: Vec<usize>,
    print_ac: Option<AhoCorasick>,
    /// (vendor, weak) for each fingerprint pattern.
    print_owner: Vec<(usize, bool)>,
    print_text: Vec<String>,
    /// The model patterns as one set, for text that is not ASCII. Built at
    /// load when there is no ASCII set (and then checked there, so a bad
    /// pattern is reported); otherwise built the first time a text that
    /// is not ASCII is asked about, which most scans never do. `None` if
    /// that late build fails (it can only fail on size, the patterns are
    /// valid): each pattern's own regex then answers.
    model_set: OnceLock<Option<RegexSet>>,
    /// The same patterns with Unicode off, asked instead of `model_set`
    /// about ASCII text; `None` when some pattern needs Unicode.
    model_set_ascii: Option<regex::bytes::RegexSet>,
    model_src: Vec<String>,
    /// Built on first use from `model_src`.
    model_regex: Vec<OnceLock<Option<Regex>>>,
    model_owner: Vec<(usize, usize)>,
    by_org: HashMap<String, usize>,
    by_registrant: RwLock<crate::FastMap<&'static str, Option<usize>>>,
    by_id: HashMap<String, usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum VendorDbError {
    #[error("vendor `{vendor}`: invalid model pattern `{pattern}`: {message}")]
    BadPattern {
        vendor: String,
        pattern: String,
        message: String,
        span: Span,
    },
    #[error("vendor `{vendor}`: parent `{parent}` is not a known vendor")]
    UnknownParent {
        vendor: String,
        parent: String,
        span: Span,
    },
}

impl VendorDbError {
    pub fn span(&self) -> Span {
        match self {
            VendorDbError::BadPattern { span, .. } | VendorDbError::UnknownParent { span, .. } => {
                *span
            }
        }
    }
}

impl VendorDb {
    pub fn new(vendors: Vec<VendorSpec>) -> Result<VendorDb, VendorDbError> {
        let by_id: HashMap<String, usize> = vendors
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.clone(), i))
            .collect();
        let mut parent_of = Vec::with_capacity(vendors.len());
        for v in &vendors {
            match &v.parent {
                None => parent_of.push(None),
                Some(p) => match by_id.get(p) {
                    Some(&i) => parent_of.push(Some(i)),
                    None => {
                        return Err(VendorDbError::UnknownParent {
                            vendor: v.id.clone(),
                            parent: p.clone(),
                            span: v.span,
                        });
                    }
                },
            }
        }
        // Follow parents to the top, guarding against cycles.
        let group = (0..vendors.len())
            .map(|i| {
                let mut cur = i;
                for _ in 0..16 {
                    match parent_of.get(cur).copied().flatten() {
                        Some(p) if p != cur => cur = p,
                        _ => break,
                    }
                }
                cur
            })
            .collect();

        let mut patterns = Vec::new();
        let mut alias_owner = Vec::new();
        for (i, v) in vendors.iter().enumerate() {
            for a in std::iter::once(&v.name).chain(&v.aliases) {
                let a = a.trim();
                if !a.is_empty() {
                    patterns.push(a.to_ascii_lowercase());
                    alias_owner.push(i);
                }
            }
        }
        let mut print_text = Vec::new();
        let mut print_owner = Vec::new();
        for (i, v) in vendors.iter().enumerate() {
            let strong = v.fingerprints.iter().map(|f| (f, false));
            let weak = v.weak_fingerprints.iter().map(|f| (f, true));
            for (f, is_weak) in strong.chain(weak) {
                if !f.trim().is_empty() {
                    print_text.push(f.to_ascii_lowercase());
                    print_owner.push((i, is_weak));
                }
            }
        }
        let mut model_src = Vec::new();
        let mut model_owner = Vec::new();
        for (i, v) in vendors.iter().enumerate() {
            for (j, m) in v.models.iter().enumerate() {
                model_src.push(format!("(?i){}", m.pattern));
                model_owner.push((i, j));
            }
        }
        // One set is built (and so every pattern checked) at load; each
        // pattern's own regex, which finds where the set matched, is built
        // the first time the set says it matches: most never do in a scan,
        // and compiling them all cost three times the set.
        // The three automata are built side by side: together they are
        // most of loading the policy.
        let words = |patterns: &[String]| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(patterns)
                .ok()
        };
        let ((alias_ac, print_ac), model_set_ascii) = rayon::join(
            || rayon::join(|| words(&patterns), || words(&print_text)),
            || ascii_set(&model_src),
        );
        let model_set = OnceLock::new();
        if model_set_ascii.is_none() {
            let set = RegexSet::new(&model_src).map_err(|e| {
                let bad = model_owner
                    .iter()
                    .zip(&model_src)
                    .find_map(|(&(i, j), src)| {
                        let err = Regex::new(src).err()?;
                        let v = vendors.get(i)?;
                        let m = v.models.get(j)?;
                        Some(VendorDbError::BadPattern {
                            vendor: v.id.clone(),
                            pattern: m.pattern.clone(),
                            message: err.to_string(),
                            span: m.span,
                        })
                    });
                bad.unwrap_or_else(|| VendorDbError::BadPattern {
                    vendor: String::new(),
                    pattern: String::new(),
                    message: e.to_string(),
                    span: Span::default(),
                })
            })?;
            let _ = model_set.set(Some(set));
        }
        let model_regex = model_src.iter().map(|_| OnceLock::new()).collect();

        let mut by_org = HashMap::new();
        for (i, v) in vendors.iter().enumerate() {
            for o in &v.oui_organizations {
                by_org.insert(super::oui::normalise_organization(o), i);
            }
        }
        Ok(VendorDb {
            vendors,
            group,
            alias_ac,
            alias_owner,
            print_ac,
            print_owner,
            print_text,
            model_set,
            model_set_ascii,
            model_src,
            model_regex,
            model_owner,
            by_org,
            by_registrant: RwLock::default(),
            by_id,
        })
    }

    pub fn get(&self, i: usize) -> Option<&VendorSpec> {
        self.vendors.get(i)
    }

    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The top-level maker of a vendor (Hikvision for EZVIZ).
    pub fn group_of(&self, i: usize) -> usize {
        self.group.get(i).copied().unwrap_or(i)
    }

    /// Vendor names and aliases appearing as whole words in `text`.
    pub fn find_aliases(&self, text: &str) -> Vec<AliasHit> {
        let Some(ac) = &self.alias_ac else {
            return Vec::new();
        };
        let bytes = text.as_bytes();
        ac.find_iter(text)
            .filter(|m| {
                let before = m.start().checked_sub(1).and_then(|i| bytes.get(i));
                let after = bytes.get(m.end());
                !before.is_some_and(|b| b.is_ascii_alphanumeric())
                    && !after.is_some_and(|b| b.is_ascii_alphanumeric())
            })
            .filter_map(|m| {
                Some(AliasHit {
                    vendor: *self.alias_owner.get(m.pattern().as_usize())?,
                    start: m.start(),
                    end: m.end(),
                })
            })
            .collect()
    }

    /// Fingerprints appearing in `text`. A fingerprint that starts (ends)
    /// with a letter or digit must not continue a word or number there, so
    /// OID `…4.1.2011` does not match inside `…4.1.20115`.
    pub fn find_fingerprints(&self, text: &str) -> Vec<FingerprintHit> {
        let Some(ac) = &self.print_ac else {
            return Vec::new();
        };
        let bytes = text.as_bytes();
        ac.find_iter(text)
            .filter(|m| {
                let Some(pat) = self.print_text.get(m.pattern().as_usize()) else {
                    return false;
                };
                let pat = pat.as_bytes();
                let glued = |outer: Option<&u8>, inner: Option<&u8>| {
                    outer.is_some_and(|b| b.is_ascii_alphanumeric())
                        && inner.is_some_and(|b| b.is_ascii_alphanumeric())
                };
                let before = m.start().checked_sub(1).and_then(|i| bytes.get(i));
                !glued(before, pat.first()) && !glued(bytes.get(m.end()), pat.last())
            })
            .filter_map(|m| {
                let &(vendor, weak) = self.print_owner.get(m.pattern().as_usize())?;
                Some(FingerprintHit {
                    vendor,
                    weak,
                    start: m.start(),
                    end: m.end(),
                })
            })
            .collect()
    }

    fn unicode_set(&self) -> Option<&RegexSet> {
        self.model_set
            .get_or_init(|| RegexSet::new(&self.model_src).ok())
            .as_ref()
    }

    /// Model-number patterns matching in `text`, leftmost first.
    pub fn find_models(&self, text: &str) -> Vec<ModelHit> {
        // Most text holds no model number; asking whether any pattern
        // matches is cheaper than listing which ones do.
        let matched: Vec<usize> = match &self.model_set_ascii {
            Some(ascii) if text.is_ascii() => {
                if !ascii.is_match(text.as_bytes()) {
                    return Vec::new();
                }
                ascii.matches(text.as_bytes()).into_iter().collect()
            }
            _ => match self.unicode_set() {
                Some(set) => {
                    if !set.is_match(text) {
                        return Vec::new();
                    }
                    set.matches(text).into_iter().collect()
                }
                None => (0..self.model_src.len()).collect(),
            },
        };
        let mut hits: Vec<ModelHit> = matched
            .into_iter()
            .filter_map(|k| {
                let re = self
                    .model_regex
                    .get(k)?
                    .get_or_init(|| self.model_src.get(k).and_then(|src| Regex::new(src).ok()));
                let m = re.as_ref()?.find(text)?;
                let &(vendor, model) = self.model_owner.get(k)?;
                Some(ModelHit {
                    vendor,
                    model,
                    start: m.start(),
                    end: m.end(),
                })
            })
            .collect();
        // Longest match first at each position: the most specific pattern
        // (DH-IPC-… over IPC-…) decides.
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end - h.start), h.vendor));
        hits
    }

    pub fn model_spec(&self, hit: &ModelHit) -> Option<&ModelSpec> {
        self.vendors.get(hit.vendor)?.models.get(hit.model)
    }

    /// The vendor registered under an IEEE organisation name.
    pub fn by_organization(&self, organization: &str) -> Option<usize> {
        self.by_org
            .get(&super::oui::normalise_organization(organization))
            .copied()
    }

    /// [`Self::by_organization`] for a registrant of the embedded table,
    /// remembered: an estate's MACs come from few registrants, and
    /// normalising the name allocated on every lookup.
    pub fn by_registrant(&self, organization: &'static str) -> Option<usize> {
        let cached = self
            .by_registrant
            .read()
            .ok()
            .and_then(|m| m.get(organization).copied());
        if let Some(hit) = cached {
            return hit;
        }
        let found = self.by_organization(organization);
        if let Ok(mut m) = self.by_registrant.write() {
            m.insert(organization, found);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendor(id: &str, patterns: &[&str]) -> VendorSpec {
        VendorSpec {
            id: id.into(),
            name: id.into(),
            parent: None,
            relation: Relation::Maker,
            confidence: Confidence::High,
            aliases: Vec::new(),
            oui_organizations: Vec::new(),
            models: patterns
                .iter()
                .map(|p| ModelSpec {
                    pattern: (*p).to_string(),
                    kind: None,
                    requires_context: false,
                    family: None,
                    span: Span::default(),
                })
                .collect(),
            fingerprints: Vec::new(),
            weak_fingerprints: Vec::new(),
            kinds: Vec::new(),
            restricted_by: Vec::new(),
            inherits_restrictions: false,
            sources: Vec::new(),
            note: None,
            span: Span::default(),
        }
    }

    fn hits(db: &VendorDb, text: &str) -> usize {
        db.find_models(text).len()
    }

    #[test]
    fn ascii_text_is_asked_of_the_ascii_set_and_answers_the_same() {
        let db = VendorDb::new(vec![vendor(
            "v",
            &[r"\bDS-2CD[0-9A-Z]{2,}", r"\bIPC-\d{3}"],
        )])
        .expect("valid patterns");
        assert!(db.model_set_ascii.is_some());
        assert!(db.model_set.get().is_none(), "built before it was needed");
        for (text, want) in [
            ("lobby cam DS-2CD2143", 1),
            ("ds-2cd2143", 1),
            ("xDS-2CD2143", 0),
            ("IPC-123", 1),
            ("nothing here", 0),
            // Not ASCII: the Unicode set decides (Unicode digits are \d).
            ("caméra DS-2CD2143", 1),
            ("IPC-\u{661}\u{662}\u{663}", 1),
        ] {
            assert_eq!(hits(&db, text), want, "{text}");
        }
        assert!(db.model_set.get().is_some_and(Option::is_some));
    }

    #[test]
    fn a_bad_pattern_is_reported_at_load() {
        let err = VendorDb::new(vec![vendor("v", &[r"DS-(2CD"])]).expect_err("unclosed group");
        assert!(matches!(err, VendorDbError::BadPattern { .. }), "{err:?}");
    }

    #[test]
    fn patterns_that_need_unicode_keep_the_unicode_set() {
        // Case folding maps the long s onto `s`: written with it, a pattern
        // matches ASCII text that an ASCII-only set would miss.
        let db = VendorDb::new(vec![vendor("v", &["\u{17F}[0-9]{3}"])]).expect("valid pattern");
        assert!(db.model_set_ascii.is_none());
        assert_eq!(hits(&db, "S123"), 1);
        // A Unicode class does not compile with Unicode off.
        let db = VendorDb::new(vec![vendor("v", &[r"\p{Greek}+-\d"])]).expect("valid pattern");
        assert!(db.model_set_ascii.is_none());
        assert_eq!(hits(&db, "\u{3b1}\u{3b2}-1"), 1);
    }
}
