//! HCL2 for Terraform: a fast, tolerant parser for the native syntax
//! (`.tf`, `.tfvars`) and the JSON syntax (`.tf.json`, `.tfvars.json`) into
//! one tree with byte ranges on every node, and an evaluator whose values can
//! be *unknown*, with a reason.
//!
//! What it leaves to others: deciding what a block means (the Terraform
//! source), building a [`Scope`] from variables, locals and resources
//! (reference resolution), and turning [`SyntaxError`]s into `parse-error`
//! diagnostics with file spans ([`TextRange`] is relative to the text given).
//!
//! # Why not hcl-rs / hcl-edit
//!
//! Speed, tolerance and unknowns. On the generated estate (2,000 sites,
//! 4,000 `.tf` files, 13.1 MB; release build, one thread, on a shared 2-core
//! machine) this parser read 140–230 MB/s across runs against 25–40 MB/s
//! for `hcl_edit::parser::parse_body` in the same runs: **6× hcl-edit on the
//! generated estate** (reproduce with the ignored test in `bench.rs`).
//! hcl-edit also stops at the first error, and hcl-rs has no unknown values.
//!
//! # API
//!
//! - [`parse`] (native) and [`parse_json`] / [`parse_json_vars`] (JSON)
//!   return a [`Parsed`]: the [`Body`] that could be read plus every
//!   [`SyntaxError`]. They never fail and never panic.
//! - [`Body`] holds [`Attribute`]s and [`Block`]s, each in source order.
//!   Every node has a [`TextRange`]: an attribute's `name_range`, its
//!   `expr.range`, its whole `range`; a block's `kind_range`, label ranges
//!   (quotes included) and `range` (keyword to closing brace).
//! - [`Expr`] / [`ExprKind`]: the expression tree. [`Expr::as_traversal`]
//!   gives `a.b["c"]` as root and [`Step`]s, [`Expr::traversals`] lists every
//!   reference inside (names bound by `for` left out), [`Expr::as_str`] the
//!   text of a literal string.
//! - [`eval`] computes a [`Value`] in a [`Scope`]. [`Value::Unknown`]
//!   carries an [`Unknown`]: its [`UnknownKind`] (deferred until apply, an
//!   error Terraform would report, or not supported here), a reason and a
//!   range. Unknowns propagate through operators, templates, `for` and
//!   functions; `try`/`can` skip errors only.
//!
//! # Not supported
//!
//! - Functions outside the table in `functions.rs` (`file`, `templatefile`,
//!   hashing, `yamldecode`, time, …) and provider functions evaluate
//!   to an unsupported unknown. Type expressions (`map(string)`) parse as
//!   calls and are not meant to be evaluated.
//! - Values do not distinguish list/tuple/set or map/object, numbers are
//!   `f64` (Terraform uses arbitrary precision), and sensitivity marks are
//!   not tracked.
//! - The native parser is more permissive than HCL in places: any non-ASCII
//!   character may appear in an identifier, and text after a block's closing
//!   brace on the same line is accepted. Only the first 100 errors of a file
//!   are kept.
//! - JSON: a JSON syntax error stops the file (the JSON parser is not
//!   tolerant); nested blocks inside bodies appear as attributes holding
//!   objects; interpolations inside strings with escape sequences get the
//!   whole string's range.

mod ast;
mod eval;
mod functions;
mod json;
mod parser;
mod template;
mod value;

pub use ast::{Attribute, BinaryOp, Block, Body, Expr, ExprKind, Step, TemplatePart, UnaryOp};
pub use eval::{EmptyScope, Part, Scope, eval, locate, part_of, take_part};
pub(crate) use json::too_deep;
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
