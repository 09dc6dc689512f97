//! `camlint inventory`: the audit list. Every device the scan keeps, with
//! its maker, kind, model, MAC and IP addresses, the networks it sits on and
//! whether they are sensitive, and each piece of evidence with its place.
//!
//! It runs the same pipeline as `check` (see `cli::scan`) and prints the
//! analysis instead of judging it: as an aligned table for people, as CSV
//! for spreadsheets, or as the JSON document described in
//! `docs/inventory-schema.md`, which is also what Rego policies receive.
//! Each device object carries every field of the `device` object HCL rule
//! conditions see, so a policy reads the same names in either language.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::Value;

use super::args::PolicyArgs;
use super::{ScanInput, finish};
use crate::policy::document::{InventoryDocument, document};
use crate::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_USAGE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// Files or directories to scan
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = InventoryFormat::Table)]
    pub format: InventoryFormat,
    /// Write the inventory to FILE instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Glob of paths to skip (repeatable), in .gitignore syntax
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Terraform variable file (repeatable), applied after terraform.tfvars and *.auto.tfvars
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Worker threads [default: number of CPUs]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Largest file read, in bytes; bigger claimed files are parse errors
    #[arg(long, value_name = "BYTES", default_value_t = crate::discover::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
}

/// Runs `camlint inventory`. Exit code 0, or 1 when some file could not be
/// parsed (the list is then incomplete, and stderr says where).
pub fn inventory(a: InventoryArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let input = ScanInput {
        paths: &a.paths,
        policy: &a.policy,
        exclude: &a.exclude,
        var_files: &a.var_files,
        jobs: a.jobs,
        max_file_size: a.max_file_size,
        max_yaml_nodes: crate::sources::ansible::yaml::MAX_NODES,
        // The inventory lists every device; suppressions concern findings.
        apply_suppressions: true,
        // The inventory lists what was given, without file mode.
        project: false,
        quiet: false,
    };
    let scanned = match super::scan(&input, stderr) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let doc = document(&scanned.analysis, &scanned.policy, scanned.scanned_files);
    let mut buf = Vec::new();
    let written = match a.format {
        InventoryFormat::Json => serde_json::to_writer_pretty(&mut buf, &doc)
            .map_err(io::Error::other)
            .and_then(|_| writeln!(buf)),
        InventoryFormat::Csv => write_csv(&doc, &mut buf),
        InventoryFormat::Table => write_table(&doc, &mut buf),
    };
    if let Err(e) = written {
        return finish(writeln!(stderr, "error: {e}"), EXIT_INTERNAL);
    }
    let problems = doc.diagnostics.len();
    let mut r = Ok(());
    for d in &doc.diagnostics {
        r = r.and(writeln!(
            stderr,
            "warning: inventory incomplete: {}:{}: {}",
            text(at(d, "file")),
            at(d, "line"),
            text(at(d, "message"))
        ));
    }
    let code = if problems > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    match &a.output {
        Some(path) => match std::fs::write(path, buf) {
            Ok(()) => finish(r, code),
            Err(e) => finish(
                writeln!(stderr, "error: cannot write {}: {e}", path.display()),
                EXIT_USAGE,
            ),
        },
        None => finish(r.and(stdout.write_all(&buf)).and(stdout.flush()), code),
    }
}

/// A member of a JSON object, or null: the document is built above, so a
/// missing member only means an empty cell.
fn at<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn joined(v: &Value) -> String {
    v.as_array()
        .map(|items| items.iter().map(text).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// One row per device: the columns of the table and the CSV.
fn rows(doc: &InventoryDocument) -> Vec<[String; 9]> {
    let empty = Vec::new();
    doc.devices
        .iter()
        .map(|d| {
            let vendor = text(at(d, "vendor_name"));
            let maker = text(at(d, "maker_name"));
            let who = if vendor.is_empty() {
                "-".to_string()
            } else if vendor != maker {
                format!("{vendor} ({maker})")
            } else {
                vendor
            };
            let restricted = joined(at(d, "restricted_by"));
            let networks: Vec<String> = at(d, "attachments")
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .map(|a| {
                    let name = text(at(a, "network"));
                    if at(a, "sensitive").as_bool().unwrap_or(false) {
                        format!("{name} (sensitive)")
                    } else {
                        name
                    }
                })
                .collect();
            let evidence: Vec<String> = at(d, "evidence")
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .map(|e| {
                    format!(
                        "{} {} ({}:{})",
                        text(at(e, "signal")),
                        text(at(e, "value")),
                        text(at(e, "file")),
                        at(e, "line")
                    )
                })
                .collect();
            let loc = at(d, "location");
            [
                format!("{}:{}", text(at(loc, "file")), at(loc, "line")),
                text(at(d, "name")),
                who,
                if restricted.is_empty() {
                    "-".into()
                } else {
                    restricted
                },
                text(at(d, "kind")),
                text(at(d, "model")),
                format!("{} {}", joined(at(d, "macs")), joined(at(d, "addresses")))
                    .trim()
                    .to_string(),
                networks.join("; "),
                evidence.join("; "),
            ]
        })
        .collect()
}

const HEADERS: [&str; 9] = [
    "LOCATION",
    "DEVICE",
    "MAKER",
    "RESTRICTED BY",
    "KIND",
    "MODEL",
    "MACS / ADDRESSES",
    "NETWORKS",
    "EVIDENCE",
];

fn write_table(doc: &InventoryDocument, out: &mut dyn Write) -> io::Result<()> {
    let rows = rows(doc);
    let mut widths = HEADERS.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>, out: &mut dyn Write| -> io::Result<()> {
        let last = cells.len().saturating_sub(1);
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i == last {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(HEADERS.to_vec(), out)?;
    for row in &rows {
        line(row.iter().map(String::as_str).collect(), out)?;
    }
    let summary = &doc.summary;
    writeln!(
        out,
        "\n{} devices ({} restricted, {} on a sensitive network), {} networks, {} files",
        at(summary, "devices"),
        at(summary, "restricted"),
        at(summary, "on_sensitive_network"),
        at(summary, "networks"),
        at(summary, "files")
    )
}

/// One record per device, lists joined with "; " so each cell stays one value.
fn write_csv(doc: &InventoryDocument, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "file",
        "line",
        "device",
        "vendor",
        "maker",
        "relation",
        "confidence",
        "restricted_by",
        "kind",
        "model",
        "macs",
        "addresses",
        "networks",
        "sensitive_networks",
        "evidence",
    ])
    .map_err(io::Error::other)?;
    let list = |v: &Value| {
        v.as_array()
            .map(|items| items.iter().map(text).collect::<Vec<_>>().join("; "))
            .unwrap_or_default()
    };
    let empty = Vec::new();
    for d in &doc.devices {
        let evidence: Vec<String> = at(d, "evidence")
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .map(|e| {
                format!(
                    "{} {} ({}:{})",
                    text(at(e, "signal")),
                    text(at(e, "value")),
                    text(at(e, "file")),
                    at(e, "line")
                )
            })
            .collect();
        w.write_record([
            text(at(at(d, "location"), "file")),
            text(at(at(d, "location"), "line")),
            text(at(d, "name")),
            text(at(d, "vendor_name")),
            text(at(d, "maker_name")),
            text(at(d, "relation")),
            text(at(d, "confidence")),
            list(at(d, "restricted_by")),
            text(at(d, "kind")),
            text(at(d, "model")),
            list(at(d, "macs")),
            list(at(d, "addresses")),
            list(at(d, "networks")),
            list(at(d, "sensitive_networks")),
            evidence.join("; "),
        ])
        .map_err(io::Error::other)?;
    }
    w.flush()
}
