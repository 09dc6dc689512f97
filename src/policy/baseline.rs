//! Baselines: adopt the gate on an estate that already has findings.
//!
//! `--write-baseline FILE` records a fingerprint of every current finding;
//! `--baseline FILE` then lets those findings pass so only new ones fail.
//! A fingerprint is the rule, the file, and the device's identity (its
//! name and MACs) plus the network it sits on — never a line number,
//! so reformatting and moving blocks keep it, while a new device, another
//! network or another file do not. Entries that no longer match anything
//! are counted, so the baseline can be shrunk as the estate is fixed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::eval::{Analysis, Finding};
use crate::model::{Signal, format_mac, parse_mac};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub file: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub device: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("baseline {path} is not a camlint baseline: {message}")]
    Format { path: String, message: String },
}

/// 64-bit FNV-1a: stable across platforms and releases, unlike std's hasher.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The identity of a finding that survives reformatting and line moves.
pub fn fingerprint(f: &Finding, analysis: &Analysis) -> String {
    let inv = &analysis.inventory;
    let file = inv
        .file(f.span)
        .map(|x| x.display_path())
        .unwrap_or_default();
    let mut device = String::new();
    let mut macs: Vec<String> = Vec::new();
    if let Some(d) = f.device.and_then(|d| inv.devices.get(d)) {
        device = d.name.clone();
        macs = d
            .facts_of(Signal::Mac)
            .map(|m| {
                parse_mac(&m.value)
                    .map(format_mac)
                    .unwrap_or_else(|| m.value.clone())
            })
            .collect();
        macs.sort();
    }
    let network = f
        .network
        .and_then(|n| inv.networks.get(n))
        .map(|n| n.net.name.clone())
        .unwrap_or_default();
    // Findings without a device (parse errors) are known by their message.
    let message = if f.device.is_none() {
        f.message.as_str()
    } else {
        ""
    };
    let macs = macs.join(",");
    format!(
        "{:016x}",
        fnv1a(&[&f.rule, &file, &device, &macs, &network, message])
    )
}

pub fn build(analysis: &Analysis) -> Baseline {
    let mut findings: Vec<Entry> = analysis
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| Entry {
            fingerprint: fingerprint(f, analysis),
            rule: f.rule.clone(),
            file: analysis
                .inventory
                .file(f.span)
                .map(|x| x.display_path())
                .unwrap_or_default(),
            device: f
                .device
                .and_then(|d| analysis.inventory.devices.get(d))
                .map(|d| d.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    findings.sort_by(|a, b| {
        (&a.file, &a.rule, &a.device, &a.fingerprint).cmp(&(
            &b.file,
            &b.rule,
            &b.device,
            &b.fingerprint,
        ))
    });
    Baseline {
        version: 1,
        findings,
    }
}

pub fn read(path: &std::path::Path) -> Result<Baseline, BaselineError> {
    let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let b: Baseline = serde_json::from_str(&text).map_err(|e| BaselineError::Format {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    if b.version != 1 {
        return Err(BaselineError::Format {
            path: path.display().to_string(),
            message: format!("version {} is not supported (expected 1)", b.version),
        });
    }
    Ok(b)
}

/// Marks findings the baseline holds; returns how many baseline entries
/// matched nothing (fixed since the baseline was written).
pub fn apply(analysis: &mut Analysis, baseline: &Baseline) -> usize {
    let mut remaining: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &baseline.findings {
        *remaining.entry(e.fingerprint.as_str()).or_default() += 1;
    }
    let prints: Vec<String> = analysis
        .findings
        .iter()
        .map(|f| fingerprint(f, analysis))
        .collect();
    for (f, p) in analysis.findings.iter_mut().zip(&prints) {
        if f.suppressed.is_some() {
            continue;
        }
        if let Some(n) = remaining.get_mut(p.as_str())
            && *n > 0
        {
            *n -= 1;
            f.baselined = true;
        }
    }
    remaining.values().sum()
}
