//! HCL2 for Terraform: a fast, tolerant parser for the native syntax
//! (`.tf`, `.tfvars`) and the JSON syntax (`.tf.json`, `.tfvars.json`) into
//! one tree with byte ranges on every node, and an evaluator whose values can
//! be *unknown*, with a reason.
//!
//! PERF_PLACEHOLDER
//!
//! What it leaves to others: deciding what a block means (the Terraform
//! source), building a [`Scope`] from variables, locals and resources
//! (reference resolution), and turning [`SyntaxError`]s into `parse-error`
//! diagnostics with file spans ([`TextRange`] is relative to the text given).

mod ast;
mod eval;
mod functions;
mod json;
mod parser;
mod template;
mod value;

pub use ast::{Attribute, BinaryOp, Block, Body, Expr, ExprKind, Step, TemplatePart, UnaryOp};
pub use eval::{EmptyScope, Scope, eval};
pub use json::{parse_json, parse_json_vars};
pub use value::{Unknown, UnknownKind, Value, format_number};

/// A byte range in the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub(crate) fn from_usize(start: usize, end: usize) -> TextRange {
        let start = TextRange::clamp(start);
        TextRange {
            start,
            end: TextRange::clamp(end).max(start),
        }
    }

    /// Offsets past 4 GiB saturate; such files are rejected long before.
    pub(crate) fn clamp(offset: usize) -> u32 {
        u32::try_from(offset).unwrap_or(u32::MAX)
    }

    /// The text this range covers, if it lies inside `text`.
    pub fn slice(self, text: &str) -> Option<&str> {
        text.get(self.start as usize..self.end as usize)
    }
}

/// What a parse produced: everything that could be read, and every error.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub body: Body,
    pub errors: Vec<SyntaxError>,
}

/// One syntax error; the message names what was expected and, for unclosed
/// constructs, where they were opened.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// Parses native HCL syntax (`.tf`, `.tfvars`). Never fails: errors are
/// returned next to the partial tree.
pub fn parse(text: &str) -> Parsed {
    let mut p = parser::Parser::new(text);
    let body = p.parse_file();
    Parsed {
        body,
        errors: p.errors,
    }
}

#[cfg(test)]
mod eval_tests;
#[cfg(test)]
mod parser_tests;

#[cfg(test)]
mod bench;
