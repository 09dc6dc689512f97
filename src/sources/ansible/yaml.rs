//! A YAML loader that reads the way Ansible does, with byte spans.
//!
//! `saphyr-parser` gives events with character positions; this module builds
//! a small tree from them with byte spans, and applies what PyYAML (and so
//! Ansible) does on top of YAML syntax: YAML 1.1 scalar resolution (`yes`,
//! `on`, `0755`), merge keys (`<<: *x`, `<<: [*a, *b]`) and last-one-wins
//! duplicate keys. The tree is built without recursion and under limits
//! (nesting depth, nodes after alias expansion), so hostile input ends in a
//! load error rather than a stack overflow or an alias bomb. Aliases share
//! the anchored node (`Arc`), so expansion costs a count, not memory. What
//! the tree means (inventory, playbook) is for the other modules.

use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::model::{FileId, Span};

/// How deep collections may nest before the file is rejected.
pub const MAX_DEPTH: usize = 256;
/// How many nodes a file may hold once aliases are expanded.
pub const MAX_NODES: usize = 1_000_000;

/// The way a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A scalar with its text after YAML unescaping, before type resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub raw: String,
    pub style: Style,
    /// The full tag (`tag:yaml.org,2002:str`, `!vault`, `!unsafe`), if any.
    pub tag: Option<String>,
}

/// A node of the tree. Collections are shared so that an alias costs a
/// reference count.
#[derive(Debug, Clone)]
pub enum Kind {
    Scalar(Arc<Scalar>),
    Seq(Arc<[Node]>),
    Map(Arc<[(Node, Node)]>),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub span: Span,
    pub kind: Kind,
}

/// A scalar's value as Ansible sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    /// `!vault` ciphertext: a value that exists but cannot be read.
    Encrypted,
}

/// Something wrong with the text, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub span: Span,
    pub message: String,
}

/// A loaded stream: every document read (the last one possibly partial),
/// the error that stopped loading, and duplicate keys (later one wins).
#[derive(Debug, Default)]
pub struct Loaded {
    pub docs: Vec<Node>,
    pub error: Option<LoadError>,
    pub duplicate_keys: Vec<(Span, String)>,
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: MAX_DEPTH,
            max_nodes: MAX_NODES,
        }
    }
}

impl Node {
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's resolved value, or None for collections.
    pub fn value(&self) -> Option<Value<'_>> {
        self.as_scalar().map(Scalar::resolve)
    }

    /// The text of a string-like scalar (also numbers, as written).
    pub fn as_text(&self) -> Option<&str> {
        match self.value()? {
            Value::Str(s) => Some(s),
            Value::Int(_) | Value::Float(_) => self.as_scalar().map(|s| s.raw.as_str()),
            _ => None,
        }
    }

    /// True for a null scalar (`~`, `null`, empty).
    pub fn is_null(&self) -> bool {
        matches!(self.value(), Some(Value::Null))
    }

    /// The value under a string key of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_scalar().is_some_and(|s| s.raw == key))
            .map(|(_, v)| v)
    }

    /// The key text of a mapping entry, when the key is a scalar.
    pub fn key_text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.raw.as_str())
    }
}

impl Scalar {
    /// Resolves the scalar as PyYAML's YAML 1.1 resolver does for plain
    /// scalars; quoted and block scalars are strings.
    pub fn resolve(&self) -> Value<'_> {
        match self.tag.as_deref() {
            None => {}
            Some("!vault") => return Value::Encrypted,
            Some("tag:yaml.org,2002:str") | Some("!unsafe") => return Value::Str(&self.raw),
            Some("tag:yaml.org,2002:null") => return Value::Null,
            Some("tag:yaml.org,2002:bool")
            | Some("tag:yaml.org,2002:int")
            | Some("tag:yaml.org,2002:float") => return resolve_plain(&self.raw),
            // Any other tag: keep the text.
            Some(_) => return Value::Str(&self.raw),
        }
        if self.style != Style::Plain {
            return Value::Str(&self.raw);
        }
        resolve_plain(&self.raw)
    }
}

fn resolve_plain(s: &str) -> Value<'_> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        _ => {}
    }
    if let Some(i) = yaml11_int(s) {
        return Value::Int(i);
    }
    if let Some(f) = yaml11_float(s) {
        return Value::Float(f);
    }
    Value::Str(s)
}

fn split_sign(s: &str) -> (i64, &str) {
    if let Some(r) = s.strip_prefix('-') {
        (-1, r)
    } else if let Some(r) = s.strip_prefix('+') {
        (1, r)
    } else {
        (1, s)
    }
}

/// YAML 1.1 ints: `0b101`, `0x1F`, `0755` (octal), `1_000`, `1:30` (base 60).
fn yaml11_int(s: &str) -> Option<i64> {
    let (sign, body) = split_sign(s);
    if body.is_empty() {
        return None;
    }
    let digits = |b: &str, radix: u32| -> Option<i64> {
        let clean: String = b.chars().filter(|c| *c != '_').collect();
        if clean.is_empty() || !b.chars().all(|c| c == '_' || c.is_digit(radix)) {
            return None;
        }
        i64::from_str_radix(&clean, radix).ok()
    };
    let v = if let Some(b) = body.strip_prefix("0b") {
        digits(b, 2)?
    } else if let Some(b) = body.strip_prefix("0x") {
        digits(b, 16)?
    } else if body == "0" {
        0
    } else if let Some(b) = body.strip_prefix('0') {
        digits(b, 8)?
    } else if body.contains(':') {
        // sexagesimal: [1-9][0-9_]*(:[0-5]?[0-9])+
        let mut parts = body.split(':');
        let first = parts.next()?;
        if !first.starts_with(|c: char| c.is_ascii_digit() && c != '0') {
            return None;
        }
        let mut v = digits(first, 10)?;
        for p in parts {
            let ok = matches!(p.len(), 1 | 2)
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || p.starts_with(['0', '1', '2', '3', '4', '5']));
            if !ok {
                return None;
            }
            v = v.checked_mul(60)?.checked_add(p.parse::<i64>().ok()?)?;
        }
        v
    } else {
        if !body.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        digits(body, 10)?
    };
    v.checked_mul(sign)
}

/// YAML 1.1 floats: `1.5`, `1.`, `.5`, `6.8e+5`, `.inf`, `.nan`, `1:30.5`.
fn yaml11_float(s: &str) -> Option<f64> {
    let (sign, body) = split_sign(s);
    match body {
        ".inf" | ".Inf" | ".INF" => return Some(sign as f64 * f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" if sign == 1 && !s.starts_with('+') => return Some(f64::NAN),
        _ => {}
    }
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i)?, Some(body.get(i + 1..)?)),
        None => (body, None),
    };
    if let Some(e) = exp {
        // PyYAML requires a sign in the exponent.
        let digits = e.strip_prefix(['+', '-'])?;
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    if mantissa.contains(':') {
        return None; // base-60 floats are too rare to matter; keep the text
    }
    let (int, frac) = mantissa.split_once('.')?;
    let int_ok = int.is_empty()
        || (int.starts_with(|c: char| c.is_ascii_digit())
            && int.chars().all(|c| c.is_ascii_digit() || c == '_'));
    let frac_ok = frac.chars().all(|c| c.is_ascii_digit() || c == '_');
    if !int_ok || !frac_ok || (int.is_empty() && frac.is_empty()) {
        return None;
    }
    let clean: String = body.chars().filter(|c| *c != '_').collect();
    let v: f64 = clean.parse().ok()?;
    Some(sign as f64 * v)
}

/// Turns the parser's character indices into byte offsets.
struct ByteOffsets<'a> {
    text: &'a str,
    ascii: bool,
    /// Byte offset of every 64th character.
    checkpoints: Vec<u32>,
}

impl<'a> ByteOffsets<'a> {
    fn new(text: &'a str) -> ByteOffsets<'a> {
        let ascii = text.is_ascii();
        let mut checkpoints = Vec::new();
        if !ascii {
            for (n, (b, _)) in text.char_indices().enumerate() {
                if n % 64 == 0 {
                    checkpoints.push(u32::try_from(b).unwrap_or(u32::MAX));
                }
            }
        }
        ByteOffsets {
            text,
            ascii,
            checkpoints,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let base = self
            .checkpoints
            .get(char_index / 64)
            .map(|b| *b as usize)
            .unwrap_or(self.text.len());
        let rest = self.text.get(base..).unwrap_or("");
        rest.char_indices()
            .nth(char_index % 64)
            .map(|(b, _)| base + b)
            .unwrap_or(self.text.len())
    }
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
        count: usize,
    },
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        count: usize,
    },
}

struct Builder {
    file: FileId,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    docs: Vec<Node>,
    duplicate_keys: Vec<(Span, String)>,
}

impl Builder {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// Counts `n` more nodes against the budget.
    fn count(&mut self, n: usize) -> Result<(), String> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(format!(
                "more than {} YAML nodes once aliases are expanded (an alias bomb?); the limit is set by --max-yaml-nodes",
                self.limits.max_nodes
            ));
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame) -> Result<(), String> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(format!(
                "YAML nested deeper than {} levels (a fixed limit)",
                self.limits.max_depth
            ));
        }
        self.count(1)?;
        self.stack.push(frame);
        Ok(())
    }

    /// Adds a finished node (with its expanded size) to its parent.
    fn push(&mut self, node: Node, anchor: usize, size: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Frame::Seq { items, count, .. }) => {
                items.push(node);
                *count = count.saturating_add(size);
            }
            Some(Frame::Map {
                entries,
                key,
                count,
                ..
            }) => {
                *count = count.saturating_add(size);
                match key.take() {
                    None => *key = Some(node),
                    Some(k) => entries.push((k, node)),
                }
            }
        }
    }

    /// Closes the innermost collection ending at byte `end`.
    fn close(&mut self, end: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Seq {
                start,
                anchor,
                items,
                count,
            } => {
                let end = end.max(start);
                let node = Node {
                    span: self.span(start, end),
                    kind: Kind::Seq(items.into()),
                };
                self.push(node, anchor, count.saturating_add(1));
            }
            Frame::Map {
                start,
                anchor,
                entries,
                key,
                count,
            } => {
                let mut entries = entries;
                // A key with no value yet (a broken file): keep it with null.
                if let Some(k) = key {
                    let at = k.span.end as usize;
                    entries.push((k, null_at(self.span(at, at))));
                }
                let end = end.max(start);
                let entries = self.merge_and_dedupe(entries);
                let node = Node {
                    span: self.span(start, end),
                    kind: Kind::Map(entries.into()),
                };
                self.push(node, anchor, count.saturating_add(1));
            }
        }
    }

    /// Applies merge keys (explicit keys win, then earlier merge sources)
    /// and keeps the last of duplicate keys, as PyYAML does.
    fn merge_and_dedupe(&mut self, entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
        let is_merge = |k: &Node| {
            k.as_scalar().is_some_and(|s| {
                (s.raw == "<<" && s.style == Style::Plain && s.tag.is_none())
                    || s.tag.as_deref() == Some("tag:yaml.org,2002:merge")
            })
        };
        let mut merged: Vec<(Node, Node)> = Vec::new();
        let mut explicit: Vec<(Node, Node)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            if !is_merge(&k) {
                explicit.push((k, v));
                continue;
            }
            match &v.kind {
                Kind::Map(m) => merged.extend(m.iter().cloned()),
                Kind::Seq(items) => {
                    for item in items.iter().rev() {
                        if let Some(m) = item.as_map() {
                            merged.extend(m.iter().cloned());
                        }
                    }
                }
                Kind::Scalar(_) => {}
            }
        }
        let n_merged = merged.len();
        merged.extend(explicit);
        // Last one wins; the winner takes the first one's place. A key that
        // overrides a merged one is the point of a merge, not a mistake, so
        // only explicit-explicit duplicates are reported.
        let mut out: Vec<(Node, Node)> = Vec::with_capacity(merged.len());
        let mut explicit_slot: Vec<bool> = Vec::with_capacity(merged.len());
        // Small maps (nearly all) are searched linearly; big ones indexed.
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, (k, v)) in merged.into_iter().enumerate() {
            let is_explicit = i >= n_merged;
            let at = k.as_scalar().and_then(|s| {
                if index.is_empty() {
                    out.iter()
                        .position(|(o, _)| o.as_scalar().is_some_and(|o| o.raw == s.raw))
                } else {
                    index.get(s.raw.as_str()).copied()
                }
            });
            match at {
                Some(at) => {
                    let was_explicit = explicit_slot.get(at).copied().unwrap_or(false);
                    if is_explicit
                        && was_explicit
                        && let Some(text) = k.key_text()
                    {
                        self.duplicate_keys.push((k.span, text.to_string()));
                    }
                    if let Some(slot) = out.get_mut(at) {
                        *slot = (k, v);
                    }
                    if let Some(e) = explicit_slot.get_mut(at) {
                        *e = is_explicit;
                    }
                }
                None => {
                    out.push((k, v));
                    explicit_slot.push(is_explicit);
                    if !index.is_empty() {
                        if let Some(text) = out.last().and_then(|(k, _)| k.key_text()) {
                            index.insert(text.to_string(), out.len() - 1);
                        }
                    } else if out.len() > 16 {
                        index = out
                            .iter()
                            .enumerate()
                            .filter_map(|(i, (k, _))| Some((k.key_text()?.to_string(), i)))
                            .collect();
                    }
                }
            }
        }
        out
    }
}

fn null_at(span: Span) -> Node {
    Node {
        span,
        kind: Kind::Scalar(Arc::new(Scalar {
            raw: String::new(),
            style: Style::Plain,
            tag: None,
        })),
    }
}

fn style_of(s: ScalarStyle) -> Style {
    match s {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        ScalarStyle::Literal => Style::Literal,
        ScalarStyle::Folded => Style::Folded,
    }
}

/// Loads every document of a YAML stream under the default limits.
pub fn load(text: &str, file: FileId) -> Loaded {
    load_with(text, file, Limits::default())
}

pub fn load_with(text: &str, file: FileId, limits: Limits) -> Loaded {
    let offsets = ByteOffsets::new(text);
    let mut b = Builder {
        file,
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        docs: Vec::new(),
        duplicate_keys: Vec::new(),
    };
    let mut error = None;
    let mut last_end = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(e) => e,
            Err(e) => {
                let at = offsets.byte(e.marker().index());
                let end = text
                    .get(at..)
                    .and_then(|r| r.chars().next())
                    .map_or(at, |c| at + c.len_utf8());
                error = Some(LoadError {
                    span: Span::new(file, at, end),
                    message: format!("invalid YAML: {}", e.info()),
                });
                break;
            }
        };
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index()).max(start);
        let fail = |message: String| LoadError {
            span: Span::new(file, start, end),
            message,
        };
        let step = match event {
            Event::Scalar(value, style, anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                last_end = end;
                b.count(1).map(|()| {
                    let node = Node {
                        span: Span::new(file, start, end),
                        kind: Kind::Scalar(Arc::new(Scalar {
                            raw: value.into_owned(),
                            style: style_of(style),
                            tag,
                        })),
                    };
                    b.push(node, anchor, 1);
                })
            }
            Event::Alias(id) => match b.anchors.get(&id).cloned() {
                Some((node, size)) => {
                    last_end = end;
                    b.count(size).map(|()| b.push(node, 0, size))
                }
                None => Err("alias to an unknown anchor".to_string()),
            },
            Event::SequenceStart(anchor, _) => b.open(Frame::Seq {
                start,
                anchor,
                items: Vec::new(),
                count: 0,
            }),
            Event::MappingStart(anchor, _) => b.open(Frame::Map {
                start,
                anchor,
                entries: Vec::new(),
                key: None,
                count: 0,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                // Flow collections end after their bracket.
                let close_at = if end > start { end } else { last_end };
                last_end = last_end.max(close_at);
                b.close(close_at);
                Ok(())
            }
            Event::DocumentEnd => {
                // Anchors do not carry across documents.
                b.anchors.clear();
                Ok(())
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => Ok(()),
        };
        if let Err(message) = step {
            error = Some(fail(message));
            // A document over the limits is dropped whole: walking what
            // was built of a hostile document would only cost more.
            b.stack.clear();
            break;
        }
    }
    // A file with a syntax error keeps what was read.
    while !b.stack.is_empty() {
        b.close(last_end);
    }
    Loaded {
        docs: b.docs,
        error,
        duplicate_keys: b.duplicate_keys,
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn one(text: &str) -> Node {
        let l = load(text, FileId(0));
        assert!(l.error.is_none(), "{:?}", l.error);
        l.docs.into_iter().next().unwrap()
    }

    fn slice<'a>(text: &'a str, n: &Node) -> &'a str {
        &text[n.span.start as usize..n.span.end as usize]
    }

    #[test]
    fn yaml_1_1_scalars_as_ansible_reads_them() {
        let doc = one(
            "a: yes\nb: Off\nc: '0755'\nd: 0755\ne: ~\nf: 1.5\ng: 10.0.0.1\nh: y\ni: \"on\"\nj: 0x1F\nk: !!str 12\nl: 1_000\nm: 44:19:b6:01:02:03\nn: 1:30\no: yEs\np: .inf\n",
        );
        let v = |k: &str| doc.get(k).unwrap().value().unwrap();
        assert_eq!(v("a"), Value::Bool(true));
        assert_eq!(v("b"), Value::Bool(false));
        assert_eq!(v("c"), Value::Str("0755"));
        assert_eq!(v("d"), Value::Int(0o755));
        assert_eq!(v("e"), Value::Null);
        assert_eq!(v("f"), Value::Float(1.5));
        assert_eq!(v("g"), Value::Str("10.0.0.1"));
        assert_eq!(v("h"), Value::Str("y"));
        assert_eq!(v("i"), Value::Str("on"));
        assert_eq!(v("j"), Value::Int(31));
        assert_eq!(v("k"), Value::Str("12"));
        assert_eq!(v("l"), Value::Int(1000));
        assert_eq!(v("m"), Value::Str("44:19:b6:01:02:03"));
        assert_eq!(v("n"), Value::Int(90));
        assert_eq!(v("o"), Value::Str("yEs"));
        assert_eq!(v("p"), Value::Float(f64::INFINITY));
    }

    #[test]
    fn spans_are_bytes_even_after_non_ascii() {
        let text = "é: \"ü\"\nvendor: Hikvision\nlist: [a, ñ]\n";
        let doc = one(text);
        assert_eq!(slice(text, doc.get("vendor").unwrap()), "Hikvision");
        assert_eq!(slice(text, doc.get("é").unwrap()), "\"ü\"");
        let list = doc.get("list").unwrap();
        assert_eq!(slice(text, list), "[a, ñ]");
        assert_eq!(slice(text, &list.as_seq().unwrap()[1]), "ñ");
        // a byte-order mark counts as one character before the first key
        let text = "\u{feff}a: b\n";
        assert_eq!(slice(text, one(text).get("a").unwrap()), "b");
    }

    #[test]
    fn block_collection_spans_cover_their_content() {
        let text = "hosts:\n  cam1:\n    mac: aa\n  cam2:\nnext: 1\n";
        let doc = one(text);
        let hosts = doc.get("hosts").unwrap();
        // an empty value sits where its key ends
        assert_eq!(slice(text, hosts), "cam1:\n    mac: aa\n  cam2");
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text = "base: &b {vendor: Axis, model: P1}\nextra: &e {zone: x, vendor: Bosch}\ncam1:\n  <<: *b\n  model: P2\ncam2:\n  <<: [*e, *b]\ncam3: *b\n";
        let doc = one(text);
        let cam1 = doc.get("cam1").unwrap();
        assert_eq!(cam1.get("vendor").unwrap().as_text(), Some("Axis"));
        assert_eq!(cam1.get("model").unwrap().as_text(), Some("P2"));
        // explicit key wins, and keeps its own span
        assert_eq!(slice(text, cam1.get("model").unwrap()), "P2");
        let cam2 = doc.get("cam2").unwrap();
        // earlier merge source wins
        assert_eq!(cam2.get("vendor").unwrap().as_text(), Some("Bosch"));
        assert_eq!(cam2.get("model").unwrap().as_text(), Some("P1"));
        assert_eq!(cam2.get("zone").unwrap().as_text(), Some("x"));
        // an aliased value keeps the anchor's span: that is where it is written
        let v = doc.get("cam3").unwrap().get("vendor").unwrap();
        assert_eq!(slice(text, v), "Axis");
        assert!(text[..v.span.start as usize].ends_with("{vendor: "));
    }

    #[test]
    fn duplicate_keys_last_wins_with_its_span() {
        let text = "vendor: Axis\nvendor: Hikvision\n";
        let l = load(text, FileId(0));
        let doc = &l.docs[0];
        let v = doc.get("vendor").unwrap();
        assert_eq!(v.as_text(), Some("Hikvision"));
        assert_eq!(v.span.start, 21);
        assert_eq!(doc.as_map().unwrap().len(), 1);
        assert_eq!(l.duplicate_keys.len(), 1);
        assert_eq!(l.duplicate_keys[0].0.start, 13);
    }

    #[test]
    fn multi_document_streams() {
        let l = load("---\na: 1\n---\n- b\n...\n", FileId(0));
        assert!(l.error.is_none());
        assert_eq!(l.docs.len(), 2);
        assert!(l.docs[1].as_seq().is_some());
    }

    #[test]
    fn syntax_error_keeps_what_was_read() {
        let text = "a: 1\nb: [2\n";
        let l = load(text, FileId(0));
        let err = l.error.unwrap();
        assert!(err.message.contains("invalid YAML"), "{}", err.message);
        assert_eq!(l.docs[0].get("a").unwrap().as_text(), Some("1"));
    }

    fn assert_fast_error(text: &str, what: &str) {
        let t = Instant::now();
        let l = load(text, FileId(0));
        let took = t.elapsed();
        let err = l.error.expect("an error");
        assert!(
            what.split('|').any(|w| err.message.contains(w)),
            "{}",
            err.message
        );
        assert!(took < Duration::from_secs(1), "took {took:?}");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let (prev, cur) = (w[0], w[1]);
            let refs = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{cur}: &{cur} [{refs}]\n"));
        }
        assert_fast_error(&text, "alias bomb");
    }

    #[test]
    fn deep_sequences_are_refused() {
        let text = format!("{}1\n", "- ".repeat(100_000));
        assert_fast_error(&text, "nested deeper");
        let flow = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        // the parser's own guard catches deep flow collections first
        assert_fast_error(&flow, "nested deeper|recursion limit");
    }

    #[test]
    fn deep_mappings_are_refused() {
        let mut text = String::new();
        for i in 0..5_000 {
            text.push_str(&" ".repeat(i));
            text.push_str("k:\n");
        }
        assert_fast_error(&text, "nested deeper");
    }
}
