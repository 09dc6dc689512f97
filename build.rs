//! Indexes the embedded IEEE registry table (`policies/oui.tsv`) at build
//! time, so a run never parses 58,000 rows to answer its first MAC lookup.
//!
//! For each prefix length (36, 28, 24 bits) it writes a sorted array of
//! fixed 12-byte records, the prefix value (8 bytes, little-endian) and
//! the byte offset of its row in the table (4 bytes), which `intel::oui`
//! embeds and binary-searches. The table stays plain, diffable TSV; this
//! index is derived from it on every build where it changes. A row the
//! index cannot read fails the build: the table is generated, and a broken
//! row is a bug in the generator, not something to skip at run time.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let table = "policies/oui.tsv";
    println!("cargo:rerun-if-changed={table}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = match std::fs::read_to_string(table) {
        Ok(t) => t,
        Err(e) => fail(&format!("cannot read {table}: {e}")),
    };
    let mut levels: [(u8, Vec<(u64, u32)>); 3] =
        [(36, Vec::new()), (28, Vec::new()), (24, Vec::new())];
    let mut offset = 0usize;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let at = offset;
        offset += line.len();
        let line = line.trim_end_matches('\n');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((bits, key)) = row_key(line) else {
            fail(&format!("{table}:{}: unreadable row {line:?}", n + 1));
        };
        let Ok(at) = u32::try_from(at) else {
            fail(&format!("{table} is over 4 GiB"));
        };
        if let Some((_, rows)) = levels.iter_mut().find(|(b, _)| *b == bits) {
            rows.push((key, at));
        }
    }
    let out = match std::env::var_os("OUT_DIR") {
        Some(d) => PathBuf::from(d),
        None => fail("OUT_DIR is not set"),
    };
    let mut counts = String::new();
    for (bits, rows) in &mut levels {
        rows.sort_unstable();
        if rows.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0)) {
            fail(&format!("{table}: a {bits}-bit prefix is listed twice"));
        }
        let mut bytes = Vec::with_capacity(rows.len() * 12);
        for (key, at) in rows.iter() {
            bytes.extend_from_slice(&key.to_le_bytes());
            bytes.extend_from_slice(&at.to_le_bytes());
        }
        if let Err(e) = std::fs::write(out.join(format!("oui{bits}.bin")), bytes) {
            fail(&format!("cannot write the OUI index: {e}"));
        }
        let _ = writeln!(counts, "pub const ROWS_{bits}: usize = {};", rows.len());
    }
    if let Err(e) = std::fs::write(out.join("oui_counts.rs"), counts) {
        fail(&format!("cannot write the OUI index: {e}"));
    }
}

/// Prefix length and value of a row: the same reading as `intel::oui`.
fn row_key(line: &str) -> Option<(u8, u64)> {
    let mut fields = line.split('\t');
    let prefix = fields.next()?;
    let bits: u8 = match fields.next()? {
        "24" => 24,
        "28" => 28,
        "36" => 36,
        _ => return None,
    };
    let registry = fields.next()?;
    let organization = fields.next()?;
    if prefix.len() != usize::from(bits / 4) || registry.is_empty() || organization.is_empty() {
        return None;
    }
    Some((bits, u64::from_str_radix(prefix, 16).ok()?))
}

fn fail(message: &str) -> ! {
    eprintln!("build: {message}");
    std::process::exit(1)
}
