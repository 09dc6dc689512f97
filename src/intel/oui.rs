//! Placeholder until the generated IEEE table lands.

#[derive(Debug, Clone, Copy)]
pub struct OuiBlock {
    pub prefix: &'static str,
    pub bits: u8,
    pub registry: &'static str,
    pub organization: &'static str,
}

impl OuiBlock {
    pub fn prefix_display(&self) -> String {
        self.prefix.to_string()
    }
}

pub fn lookup(_mac: [u8; 6]) -> Option<OuiBlock> {
    None
}

pub fn normalise_organization(s: &str) -> String {
    s.to_ascii_lowercase()
}
