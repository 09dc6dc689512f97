//! Who made a device, what kind of device it is, and why we think so.
//!
//! Signals are weighed in tiers: explicit manufacturer and model fields
//! first, then the MAC's IEEE registrant, then free text (names,
//! descriptions, tags, config fingerprints such as `/ISAPI/` or an SNMP
//! enterprise OID). The highest tier that names any maker decides; text
//! never overrides an explicit field, so an Axis camera described as
//! "replaces the old Dahua" stays Axis. Ambiguous model numbers (Hytera
//! radio numbers, the shared `IPC-` prefix in free text) count only when
//! something else about the device names the same maker group, and weak
//! signals (ports) only ever supply that context. Disagreement between the
//! two strong tiers is kept as a conflict for the `vendor-evidence-conflict`
//! rule.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::oui;
use super::vendors::VendorDb;
use crate::model::{Device, Signal, Span, format_mac, parse_mac};

/// Which maker a piece of evidence points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Maker {
    /// A vendor of the knowledge base (index into `VendorDb::vendors`).
    Known(usize),
    /// Any other maker, as written (`Axis Communications AB`).
    Other(String),
}

/// One reason to attribute a device to a maker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// `manufacturer`, `model`, `mac-oui`, `model-number`, `fingerprint`,
    /// `weak-fingerprint`, `name`, `description`, `tag`…
    pub signal: &'static str,
    /// What matched: the manufacturer text, the model number, the OUI.
    pub value: String,
    pub span: Span,
    pub maker: Maker,
    /// 1 explicit field, 2 MAC OUI, 3 free text and fingerprints, 4 weak
    /// fingerprints (listed only in support of the deciding maker).
    pub tier: u8,
    /// Extra words for humans: the field name, the IEEE registrant.
    pub detail: Cow<'static, str>,
    /// The device kind a matched model pattern implies.
    pub implies_kind: Option<Arc<str>>,
}

/// What identification concluded about one device.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// The deciding evidence's maker, if any signal named one.
    pub maker: Option<Maker>,
    /// Evidence for the winning maker first, then the rest.
    pub evidence: Vec<Evidence>,
    /// The device kind's id (`camera`, `unknown`), shared with the kind table.
    pub kind: Arc<str>,
    /// The text that revealed the kind, boxed like `conflict`: an estate
    /// holds an identity per device and most have neither.
    pub kind_evidence: Option<Box<(String, Span)>>,
    /// Two strong signals (tiers 1–2) naming different maker groups, the
    /// deciding one first. Rules report it only when one side is restricted.
    pub conflict: Option<Box<(Evidence, Evidence)>>,
    /// The best model string seen (explicit field, else a matched pattern).
    pub model: Option<String>,
}

impl Identity {
    pub fn has_vendor_signal(&self) -> bool {
        self.maker.is_some()
    }
}

/// Device kinds and the words that reveal them.
#[derive(Debug, Clone)]
pub struct KindSpec {
    pub id: Arc<str>,
    pub words: Vec<String>,
    /// Part of "visual surveillance" for the camera rules.
    pub surveillance: bool,
}

#[derive(Debug)]
pub struct KindDb {
    pub kinds: Vec<KindSpec>,
    ac: Option<AhoCorasick>,
    owner: Vec<usize>,
    unknown: Arc<str>,
}

impl KindDb {
    pub fn new(kinds: Vec<KindSpec>) -> KindDb {
        let mut pats = Vec::new();
        let mut owner = Vec::new();
        for (i, k) in kinds.iter().enumerate() {
            for w in &k.words {
                pats.push(w.to_ascii_lowercase());
                owner.push(i);
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&pats)
            .ok();
        KindDb {
            kinds,
            ac,
            owner,
            unknown: Arc::from("unknown"),
        }
    }

    /// The first kind word appearing as a whole word in `text`.
    pub fn find(&self, text: &str) -> Option<usize> {
        let ac = self.ac.as_ref()?;
        let bytes = text.as_bytes();
        ac.find_iter(text)
            .find(|m| {
                let before = m.start().checked_sub(1).and_then(|i| bytes.get(i));
                let after = bytes.get(m.end());
                !before.is_some_and(|b| b.is_ascii_alphabetic())
                    && !after.is_some_and(|b| b.is_ascii_alphabetic())
            })
            .and_then(|m| self.owner.get(m.pattern().as_usize()).copied())
    }

    /// The shared id of kind `id`, when the table has it (a model pattern
    /// may imply a kind the table does not list).
    fn kind_id(&self, id: &str) -> Arc<str> {
        self.kinds
            .iter()
            .find(|k| &*k.id == id)
            .map(|k| k.id.clone())
            .unwrap_or_else(|| Arc::from(id))
    }

    pub fn is_surveillance(&self, kind: &str) -> bool {
        self.kinds.iter().any(|k| &*k.id == kind && k.surveillance)
    }
}

/// Values that say nothing about the maker.
fn is_placeholder(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "unknown"
            | "n/a"
            | "na"
            | "none"
            | "null"
            | "generic"
            | "other"
            | "-"
            | "tbd"
            | "todo"
    )
}

fn signal_name(signal: Signal) -> &'static str {
    match signal {
        Signal::Manufacturer => "manufacturer",
        Signal::Model => "model",
        Signal::Mac => "mac-oui",
        Signal::Address => "address",
        Signal::Vlan => "vlan",
        Signal::Subnet => "subnet",
        Signal::Role => "role",
        Signal::Name => "name",
        Signal::Description => "description",
        Signal::Tag => "tag",
        Signal::ConfigValue => "config-value",
    }
}

/// Identifies one device.
pub fn identify(device: &Device, db: &VendorDb, kinds: &KindDb) -> Identity {
    identify_with(device, db, kinds, &mut ScanCache::default())
}

/// What the vendor tables found in texts already seen, for a run of
/// devices. Manufacturer and model fields repeat across an estate (a few
/// makers, a few models each) and were half of the texts scanned; names
/// and descriptions are nearly all different and are not remembered.
/// Remembered scans are shared, not copied, with each device that shows
/// the same text; and the per-device working lists live here, so a run
/// of devices reuses them instead of allocating them for each one.
#[derive(Default)]
pub struct ScanCache {
    seen: crate::FastMap<Box<str>, Rc<Scan>>,
    hits: Vec<TextHits>,
    context: Vec<usize>,
}

/// Entries one [`ScanCache`] keeps, so hostile input cannot grow it.
const SCAN_CACHE_LIMIT: usize = 1024;

/// The vendor-table hits in one text.
#[derive(Default)]
struct Scan {
    aliases: Vec<super::vendors::AliasHit>,
    prints: Vec<super::vendors::FingerprintHit>,
    models: Vec<super::vendors::ModelHit>,
}

/// A scan made for one text, or one remembered for texts like it.
enum Scanned {
    Fresh(Scan),
    Remembered(Rc<Scan>),
}

impl Default for Scanned {
    fn default() -> Self {
        Scanned::Fresh(Scan::default())
    }
}

impl std::ops::Deref for Scanned {
    type Target = Scan;
    fn deref(&self) -> &Scan {
        match self {
            Scanned::Fresh(s) => s,
            Scanned::Remembered(s) => s,
        }
    }
}

impl ScanCache {
    fn scan(&mut self, db: &VendorDb, text: &str, remember: bool) -> Scanned {
        if remember && let Some(s) = self.seen.get(text) {
            return Scanned::Remembered(Rc::clone(s));
        }
        let s = Scan {
            aliases: db.find_aliases(text),
            prints: db.find_fingerprints(text),
            models: db.find_models(text),
        };
        if remember && self.seen.len() < SCAN_CACHE_LIMIT {
            let s = Rc::new(s);
            self.seen.insert(text.into(), Rc::clone(&s));
            return Scanned::Remembered(s);
        }
        Scanned::Fresh(s)
    }
}

/// [`identify`], with the scans of a run of devices remembered in `cache`.
pub fn identify_with(
    device: &Device,
    db: &VendorDb,
    kinds: &KindDb,
    cache: &mut ScanCache,
) -> Identity {
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut model: Option<String> = None;

    // Maker groups named anywhere about the device (names, aliases,
    // fingerprints strong or weak, the MAC's registrant): the context that
    // ambiguous model patterns (Hytera radio numbers, `IPC-` families) need.
    let mut context = std::mem::take(&mut cache.context);
    context.clear();
    let mut text_hits = std::mem::take(&mut cache.hits);
    text_hits.clear();
    let mut note = |group: usize| {
        if !context.contains(&group) {
            context.push(group);
        }
    };
    for fact in &device.facts {
        let hits = match fact.signal {
            Signal::Address | Signal::Vlan | Signal::Subnet => TextHits::default(),
            Signal::Mac => {
                let mac = mac_evidence(fact.value.as_str(), fact.span, db);
                if let Some(Maker::Known(v)) = mac.as_ref().map(|e| &e.maker) {
                    note(db.group_of(*v));
                }
                TextHits {
                    mac,
                    ..TextHits::default()
                }
            }
            _ => {
                let remember = matches!(fact.signal, Signal::Manufacturer | Signal::Model);
                TextHits {
                    scan: cache.scan(db, &fact.value, remember),
                    mac: None,
                }
            }
        };
        for v in hits
            .scan
            .aliases
            .iter()
            .map(|h| h.vendor)
            .chain(hits.scan.prints.iter().map(|h| h.vendor))
        {
            note(db.group_of(v));
        }
        text_hits.push(hits);
    }

    let mut weak: Vec<Evidence> = Vec::new();
    for (fact, hits) in device.facts.iter().zip(text_hits.drain(..)) {
        let tier = match fact.signal {
            Signal::Manufacturer | Signal::Model => 1,
            Signal::Mac => 2,
            Signal::Address | Signal::Vlan | Signal::Subnet => continue,
            _ => 3,
        };
        let signal = signal_name(fact.signal);
        if fact.signal == Signal::Mac {
            evidence.extend(hits.mac);
            continue;
        }
        let slice =
            |start: usize, end: usize| fact.value.get(start..end).unwrap_or_default().to_string();
        // Model numbers anywhere but in MACs.
        let mut matched_model = false;
        for hit in &hits.scan.models {
            let Some(spec) = db.model_spec(hit) else {
                continue;
            };
            let needs_context =
                spec.requires_context || (spec.family.is_some() && fact.signal != Signal::Model);
            if needs_context && !context.contains(&db.group_of(hit.vendor)) {
                continue;
            }
            let text = slice(hit.start, hit.end);
            if model.is_none() || fact.signal == Signal::Model {
                model = Some(text.clone());
            }
            matched_model = true;
            evidence.push(Evidence {
                signal: if fact.signal == Signal::Model || fact.signal == Signal::Manufacturer {
                    signal
                } else {
                    "model-number"
                },
                value: text,
                span: fact.span,
                maker: Maker::Known(hit.vendor),
                tier,
                detail: fact.field.clone(),
                implies_kind: spec.kind.clone(),
            });
            break;
        }
        for hit in &hits.scan.prints {
            let e = Evidence {
                signal: if hit.weak {
                    "weak-fingerprint"
                } else {
                    "fingerprint"
                },
                value: slice(hit.start, hit.end),
                span: fact.span,
                maker: Maker::Known(hit.vendor),
                tier: if hit.weak { WEAK_TIER } else { 3 },
                detail: fact.field.clone(),
                implies_kind: None,
            };
            if hit.weak {
                weak.push(e);
            } else if !evidence.contains(&e) {
                evidence.push(e);
            }
        }
        if let Some(hit) = hits.scan.aliases.first() {
            evidence.push(Evidence {
                signal,
                value: slice(hit.start, hit.end),
                span: fact.span,
                maker: Maker::Known(hit.vendor),
                tier,
                detail: fact.field.clone(),
                implies_kind: None,
            });
        } else if fact.signal == Signal::Manufacturer && !is_placeholder(&fact.value) {
            // An explicit maker we have no entry for is still a maker.
            evidence.push(Evidence {
                signal,
                value: fact.value.clone(),
                span: fact.span,
                maker: Maker::Other(fact.value.trim().to_string()),
                tier,
                detail: fact.field.clone(),
                implies_kind: None,
            });
        }
        if fact.signal == Signal::Model
            && !matched_model
            && model.is_none()
            && !is_placeholder(&fact.value)
        {
            model = Some(fact.value.trim().to_string());
        }
    }

    cache.hits = text_hits;
    cache.context = context;

    // The best tier decides; within a tier, the field order of the source
    // (manufacturer before model) is kept by a stable sort.
    evidence.sort_by_key(|e| (e.tier, signal_rank(e.signal)));
    let maker = evidence.first().map(|e| e.maker.clone());
    // Weak signals are listed only when they agree with what decided.
    if let Some(w) = &maker {
        evidence.extend(weak.into_iter().filter(|e| same_group(&e.maker, w, db)));
    }

    let conflict = maker.as_ref().and_then(|winner| {
        let first = evidence.first()?;
        let other = evidence
            .iter()
            .filter(|e| e.tier <= 2)
            .find(|e| !same_group(&e.maker, winner, db) && involves_known(&e.maker, winner))?;
        Some(Box::new((first.clone(), other.clone())))
    });

    // Winner's evidence first, then the rest (stable).
    if let Some(w) = &maker {
        evidence.sort_by_key(|e| !same_group(&e.maker, w, db));
    }

    // Most devices have one or two pieces of evidence and an estate holds
    // an identity per device: keep no growth slack (a vector grown by
    // pushes holds room for four).
    evidence.shrink_to_fit();
    let (kind, kind_evidence) = device_kind(device, &evidence, kinds);
    Identity {
        maker,
        evidence,
        kind,
        kind_evidence,
        conflict,
        model,
    }
}

/// Tier of weak fingerprints: below free text, so they never decide.
const WEAK_TIER: u8 = 4;

/// What the vendor tables found in one fact.
#[derive(Default)]
struct TextHits {
    scan: Scanned,
    mac: Option<Evidence>,
}

fn signal_rank(signal: &str) -> u8 {
    match signal {
        "manufacturer" => 0,
        "model" => 1,
        "mac-oui" => 2,
        "model-number" => 3,
        "fingerprint" => 4,
        "name" => 5,
        _ => 6,
    }
}

fn involves_known(a: &Maker, b: &Maker) -> bool {
    matches!(a, Maker::Known(_)) || matches!(b, Maker::Known(_))
}

fn same_group(a: &Maker, b: &Maker, db: &VendorDb) -> bool {
    match (a, b) {
        (Maker::Known(x), Maker::Known(y)) => db.group_of(*x) == db.group_of(*y),
        (Maker::Other(x), Maker::Other(y)) => {
            let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
            x.starts_with(&y) || y.starts_with(&x)
        }
        _ => false,
    }
}

fn mac_evidence(value: &str, span: Span, db: &VendorDb) -> Option<Evidence> {
    let mac = parse_mac(value)?;
    let block = oui::lookup(mac)?;
    let maker = match db.by_registrant(block.organization) {
        Some(v) => Maker::Known(v),
        None => Maker::Other(block.organization.to_string()),
    };
    Some(Evidence {
        signal: "mac-oui",
        value: block.prefix_display(),
        span,
        maker,
        tier: 2,
        detail: [&format_mac(mac), " registered to ", block.organization]
            .concat()
            .into(),
        implies_kind: None,
    })
}

fn device_kind(
    device: &Device,
    evidence: &[Evidence],
    kinds: &KindDb,
) -> (Arc<str>, Option<Box<(String, Span)>>) {
    // An explicit role says it best.
    for fact in device.facts_of(Signal::Role) {
        if let Some(k) = kinds.find(&fact.value).and_then(|i| kinds.kinds.get(i)) {
            return (
                k.id.clone(),
                Some(Box::new((fact.value.clone(), fact.span))),
            );
        }
    }
    // Then a model pattern that implies a kind.
    if let Some((kind, e)) = evidence
        .iter()
        .find_map(|e| e.implies_kind.as_ref().map(|k| (k, e)))
    {
        return (
            kinds.kind_id(kind),
            Some(Box::new((e.value.clone(), e.span))),
        );
    }
    // Then words in names, descriptions, models and tags.
    for fact in &device.facts {
        if matches!(
            fact.signal,
            Signal::Name | Signal::Description | Signal::Tag | Signal::Model
        ) && let Some(k) = kinds.find(&fact.value).and_then(|i| kinds.kinds.get(i))
        {
            return (
                k.id.clone(),
                Some(Box::new((fact.value.clone(), fact.span))),
            );
        }
    }
    (kinds.unknown.clone(), None)
}
