//! `--format json`: the versioned document SPEC.md promises.
//!
//! Field order is fixed by the structs below, and findings arrive sorted,
//! so the same scan always prints the same bytes.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::{ReportContext, Reporter, location_of};
use crate::intel::Maker;
use crate::model::Severity;
use crate::policy::{Analysis, Finding, Policy};

pub struct Json;

/// Findings rendered between two writes.
const BATCH: usize = 1024;

/// How deep a finding sits in the document: `{ "findings": [ here ] }`.
const FINDING_DEPTH: usize = 2;

/// The document's head; findings follow it (see [`write_document`]).
#[derive(Serialize)]
struct Head {
    version: u32,
    summary: Summary,
}

#[derive(Serialize)]
pub struct Summary {
    pub files: usize,
    pub devices: usize,
    pub networks: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub suppressed: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baselined: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_fixed: Option<usize>,
    /// Paths left out by ignore files and exclude globs (absent when none).
    #[serde(skip_serializing_if = "is_zero")]
    pub ignored: usize,
    /// Present, and false, only with the `--fail-on-parse-error=false` opt-out.
    #[serde(skip_serializing_if = "is_true")]
    pub fail_on_parse_error: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    device: Option<JsonDevice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    network: Option<JsonNetwork>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<JsonSuppressed>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    baselined: bool,
}

#[derive(Serialize)]
struct JsonSuppressed {
    reason: String,
    until: Option<String>,
    file: String,
    line: u32,
}

#[derive(Serialize)]
struct JsonDevice {
    name: String,
    vendor: Option<String>,
    model: Option<String>,
    kind: String,
    evidence: Vec<JsonEvidence>,
}

#[derive(Serialize)]
struct JsonEvidence {
    signal: &'static str,
    value: String,
    vendor: String,
    file: String,
    line: u32,
}

#[derive(Serialize)]
struct JsonNetwork {
    name: String,
    why: Option<String>,
    file: String,
    line: u32,
}

#[derive(Serialize)]
struct JsonRelated {
    message: String,
    file: String,
    line: u32,
    column: u32,
}

pub fn summary(analysis: &Analysis, ctx: &ReportContext) -> Summary {
    let count = |s: Severity| {
        analysis
            .findings
            .iter()
            .filter(|f| f.severity == s && f.is_active())
            .count()
    };
    Summary {
        files: ctx.scanned_files,
        devices: analysis.kept.iter().filter(|k| **k).count(),
        networks: analysis.inventory.networks.len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        notes: count(Severity::Note),
        suppressed: analysis
            .findings
            .iter()
            .filter(|f| f.suppressed.is_some())
            .count(),
        baselined: ctx
            .baseline_unmatched
            .map(|_| analysis.findings.iter().filter(|f| f.baselined).count()),
        baseline_fixed: ctx.baseline_unmatched,
        ignored: ctx.ignored,
        fail_on_parse_error: ctx.parse_errors_fail,
    }
}

impl Reporter for Json {
    fn report(
        &self,
        analysis: &Analysis,
        policy: &Policy,
        ctx: &ReportContext,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let head = Head {
            version: 1,
            summary: summary(analysis, ctx),
        };
        write_document(&head, &analysis.findings, out, |f| {
            json_finding(f, analysis, policy)
        })
    }
}

/// Writes what `serde_json::to_writer_pretty` would for `{version,
/// summary, findings}`, byte for byte, with the findings rendered in
/// parallel: on a large estate they are nearly all of the document, and
/// rendering them one after another was the longest serial step of a run.
/// Each finding is rendered alone, laid out by [`Nested`] as it would be
/// in its place in the array.
fn write_document<'a, F, J>(
    head: &Head,
    findings: &'a [F],
    out: &mut dyn Write,
    render: impl Fn(&'a F) -> J + Sync,
) -> io::Result<()>
where
    F: Sync,
    J: Serialize,
{
    let mut doc = serde_json::to_vec_pretty(head).map_err(io::Error::other)?;
    // `{ ... \n}`: reopen the object after the summary.
    if doc.ends_with(b"\n}") {
        doc.truncate(doc.len() - 2);
    }
    doc.extend_from_slice(b",\n  \"findings\": [");
    out.write_all(&doc)?;
    if findings.is_empty() {
        return out.write_all(b"]\n}\n");
    }
    // A batch at a time, so the rendered text of a large estate never
    // sits in memory whole: fresh pages cost more than the rendering.
    for (b, batch) in findings.chunks(BATCH).enumerate() {
        let chunks: Vec<Vec<u8>> = batch
            .par_chunks(64)
            .enumerate()
            .map(|(c, chunk)| {
                let mut buf = Vec::new();
                for (i, f) in chunk.iter().enumerate() {
                    let first = b == 0 && c == 0 && i == 0;
                    Nested::at(FINDING_DEPTH).newline(&mut buf, !first)?;
                    let mut ser =
                        serde_json::Serializer::with_formatter(&mut buf, Nested::at(FINDING_DEPTH));
                    render(f).serialize(&mut ser).map_err(io::Error::other)?;
                }
                Ok(buf)
            })
            .collect::<io::Result<_>>()?;
        for chunk in &chunks {
            out.write_all(chunk)?;
        }
    }
    out.write_all(b"\n  ]\n}\n")
}

/// serde_json's pretty layout (two-space indent) for a value that sits
/// `depth` levels deep in the document, so a finding rendered alone needs
/// no re-indenting pass before it takes its place in the array.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn at(depth: usize) -> Nested {
        Nested {
            depth,
            has_value: false,
        }
    }

    fn newline<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> io::Result<()> {
        w.write_all(if comma { b",\n" } else { b"\n" })?;
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.newline(w, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.newline(w, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

fn json_finding<'a>(f: &'a Finding, analysis: &Analysis, policy: &Policy) -> JsonFinding<'a> {
    let inv = &analysis.inventory;
    let device = f.device.and_then(|d| {
        let dev = inv.devices.get(d)?;
        let id = analysis.identities.get(d)?;
        let vendor = id.maker.as_ref().map(|m| match m {
            Maker::Known(i) => policy
                .vendors
                .get(*i)
                .map(|v| v.id.clone())
                .unwrap_or_default(),
            Maker::Other(s) => s.to_lowercase(),
        });
        Some(JsonDevice {
            name: dev.name.clone(),
            vendor,
            model: id.model.clone(),
            kind: id.kind.to_string(),
            evidence: id
                .evidence
                .iter()
                .map(|e| {
                    let loc = location_of(inv, e.span);
                    JsonEvidence {
                        signal: e.signal,
                        value: e.value.clone(),
                        vendor: crate::policy::eval::maker_label(&e.maker, policy),
                        file: loc.file,
                        line: loc.line,
                    }
                })
                .collect(),
        })
    });
    let network = f.network.and_then(|n| {
        let net = inv.networks.get(n)?;
        let at = net
            .why
            .as_ref()
            .filter(|_| net.sensitive)
            .map(|w| w.span)
            .unwrap_or(net.net.span);
        let loc = location_of(inv, at);
        Some(JsonNetwork {
            name: net.net.name.clone(),
            why: net
                .why
                .as_ref()
                .filter(|_| net.sensitive)
                .map(|w| w.text.clone()),
            file: loc.file,
            line: loc.line,
        })
    });
    JsonFinding {
        rule: &f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        location: location_of(inv, f.span),
        device,
        network,
        related: f
            .related
            .iter()
            .map(|r| {
                let loc = location_of(inv, r.span);
                JsonRelated {
                    message: r.label.clone(),
                    file: loc.file,
                    line: loc.line,
                    column: loc.column,
                }
            })
            .collect(),
        help: f.help.as_deref(),
        suppressed: f.suppressed.as_ref().map(|s| {
            let loc = location_of(inv, s.span);
            JsonSuppressed {
                reason: s.reason.clone(),
                until: s.until.clone(),
                file: loc.file,
                line: loc.line,
            }
        }),
        baselined: f.baselined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document as serde_json writes it in one piece: the reference
    /// the parallel writer must match byte for byte.
    #[derive(Serialize)]
    struct Whole<'a> {
        version: u32,
        summary: &'a Summary,
        findings: &'a [serde_json::Value],
    }

    fn a_summary() -> Summary {
        Summary {
            files: 3,
            devices: 2,
            networks: 1,
            errors: 1,
            warnings: 0,
            notes: 0,
            suppressed: 0,
            baselined: Some(2),
            baseline_fixed: None,
            ignored: 4,
            fail_on_parse_error: true,
        }
    }

    fn finding(i: usize) -> serde_json::Value {
        serde_json::json!({
            "rule": format!("rule-{i}"),
            "message": "two\nlines and a \"quote\"",
            "location": { "file": "a/b.tf", "line": i, "column": 1 },
            "related": [],
            "empty": {},
            "device": { "evidence": [{ "value": "x" }, { "value": i }], "tags": ["a", "b"] },
        })
    }

    #[test]
    fn parallel_document_equals_serde_json_pretty_output() {
        let summary = a_summary();
        for n in [0, 1, 2, 63, 64, 65, 200, BATCH, BATCH + 1, 2 * BATCH + 70] {
            let findings: Vec<serde_json::Value> = (0..n).map(finding).collect();
            let mut want = serde_json::to_vec_pretty(&Whole {
                version: 1,
                summary: &summary,
                findings: &findings,
            })
            .unwrap();
            want.push(b'\n');
            let head = Head {
                version: 1,
                summary: a_summary(),
            };
            let mut got = Vec::new();
            write_document(&head, &findings, &mut got, |f| f).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap(),
                "{n} findings"
            );
        }
    }
}
