//! Source files and spans.
//!
//! Every fact camlint derives points back into a file through a [`Span`]: a
//! file id plus a byte range. Lines and columns are computed only when a
//! report needs them, through the file's [`LineIndex`], and columns are
//! counted in Unicode code points (what SARIF's `unicodeCodePoints` and most
//! editors expect).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Index of a file in the scan's [`crate::model::Files`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { file, start, end }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// The smallest span covering both (they must be in the same file).
    pub fn join(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Moves a span parsed from a slice that started at `base` in the file.
    pub fn shifted(self, base: u32) -> Span {
        Span {
            file: self.file,
            start: self.start.saturating_add(base),
            end: self.end.saturating_add(base),
        }
    }
}

/// The family a file belongs to, decided by discovery from its name and
/// (for ambiguous names) its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// `*.tf`
    TerraformHcl,
    /// `*.tf.json`
    TerraformJson,
    /// `*.tfvars`
    TerraformVars,
    /// `*.tfvars.json`
    TerraformVarsJson,
    /// `terraform show -json` output
    TerraformPlan,
    /// camlint's own `.camlint.hcl` or a policy file (never scanned as input)
    Policy,
    /// Ansible INI inventory
    AnsibleIni,
    /// Ansible YAML inventory
    AnsibleYamlInventory,
    /// `group_vars/` and `host_vars/` files
    AnsibleVars,
    /// playbooks, roles' tasks
    AnsiblePlaybook,
    /// roles' `defaults/` and `vars/`
    AnsibleRoleVars,
    /// an executable inventory script or inventory plugin config: never run
    AnsibleDynamicInventory,
    /// Cisco IOS / IOS-XE / NX-OS, Arista EOS
    CiscoConfig,
    /// Junos, `set` form
    JunosSet,
    /// Junos, curly-brace form
    JunosCurly,
    /// ISC dhcpd.conf
    Dhcpd,
    /// Kea Dhcp4 / Dhcp6 JSON
    Kea,
    /// dnsmasq configuration
    Dnsmasq,
    /// NetBox export or generic CSV asset register
    AssetCsv,
    /// NetBox JSON export
    NetboxJson,
}

impl SourceKind {
    pub fn family(self) -> &'static str {
        use SourceKind::*;
        match self {
            TerraformHcl | TerraformJson | TerraformVars | TerraformVarsJson | TerraformPlan => {
                "terraform"
            }
            Policy => "policy",
            AnsibleIni
            | AnsibleYamlInventory
            | AnsibleVars
            | AnsiblePlaybook
            | AnsibleRoleVars
            | AnsibleDynamicInventory => "ansible",
            CiscoConfig | JunosSet | JunosCurly => "network",
            Dhcpd | Kea | Dnsmasq => "dhcp",
            AssetCsv | NetboxJson => "cmdb",
        }
    }
}

/// One file of the scan, read once and shared.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub id: FileId,
    /// The path as reached from the paths on the command line.
    pub path: PathBuf,
    pub kind: SourceKind,
    pub text: Arc<str>,
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(id: FileId, path: PathBuf, kind: SourceKind, text: Arc<str>) -> SourceFile {
        SourceFile {
            id,
            path,
            kind,
            text,
            lines: OnceLock::new(),
        }
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.id, start, end)
    }

    /// The whole file, for diagnostics that have no narrower place.
    pub fn whole(&self) -> Span {
        Span::new(self.id, 0, self.text.len())
    }

    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The text a span covers, or "" when the span does not fit the file.
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }
}

/// Paths are shown with forward slashes and without a leading `./` when the
/// user did not type one.
pub fn display_path(path: &std::path::Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// Line starts of a text, for turning byte offsets into 1-based line and
/// column numbers. Column counts code points, not bytes.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
    text: Arc<str>,
}

/// A 1-based line/column position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    pub fn new(text: &Arc<str>) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        // memchr finds the line ends; a lone CR ends a line too, CRLF
        // counts once.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n') {
                starts.push((i + 1) as u32);
            }
        }
        LineIndex {
            starts,
            text: text.clone(),
        }
    }

    /// 0-based line number of a byte offset.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    pub fn line_start(&self, line0: usize) -> u32 {
        self.starts
            .get(line0)
            .copied()
            .unwrap_or(self.text.len() as u32)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(self.text.len() as u32);
        let line0 = self.line_of(offset);
        let start = self.line_start(line0) as usize;
        let column = self
            .text
            .get(start..offset as usize)
            .map(|s| s.chars().count())
            .unwrap_or_else(|| (offset as usize).saturating_sub(start));
        LineCol {
            line: line0 as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// The text of a 0-based line without its line ending.
    pub fn line_text(&self, line0: usize) -> &str {
        let start = self.line_start(line0) as usize;
        let end = self.line_start(line0 + 1) as usize;
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_code_points_and_all_line_endings() {
        let text: Arc<str> = Arc::from("ab\r\nçd\re\nf");
        let idx = LineIndex::new(&text);
        assert_eq!(idx.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(4), LineCol { line: 2, column: 1 });
        // 'd' comes after the two-byte 'ç'
        assert_eq!(idx.line_col(6), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_col(8), LineCol { line: 3, column: 1 });
        assert_eq!(idx.line_col(10), LineCol { line: 4, column: 1 });
        assert_eq!(idx.line_text(1), "çd");
        // past the end clamps instead of panicking
        assert_eq!(idx.line_col(999).line, 4);
    }
}
