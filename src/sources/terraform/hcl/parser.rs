//! The native-syntax parser: a hand-written scanner and recursive-descent
//! parser over the file's bytes, producing the [`Body`] tree and every
//! syntax error it met.
//!
//! There is no separate token stream: HCL switches lexical mode inside
//! strings, heredocs and `${…}`, and scanning on demand makes those switches
//! plain function calls and keeps the parser allocation-free except for the
//! names and strings it stores. Templates (strings, heredocs) are parsed in
//! `template.rs`. Evaluation and meaning are left to others.
//!
//! Tolerance: a construct that fails reports one error and skips to a point
//! where parsing can resume (the next line of a body, the next `,` or the
//! closing bracket of a collection), so one bad attribute never hides the
//! blocks after it. Nesting beyond [`MAX_DEPTH`] is an error, and the
//! skipping it triggers is a single linear scan, so hostile input costs
//! linear time and bounded stack.

use super::ast::{Attribute, BinaryOp, Block, Body, Expr, ExprKind, TemplatePart, UnaryOp};
use super::{SyntaxError, TextRange};

/// Blocks and expressions nested deeper than this are reported, not parsed:
/// real configurations stay far below it, and it bounds the stack.
pub(crate) const MAX_DEPTH: u32 = 128;

/// Past this many errors a file is garbage; more messages would only cost
/// time (each may count lines).
const MAX_ERRORS: usize = 100;

/// Block types that only appear at the top of a Terraform file. Meeting one
/// at column 0 inside a block means the block above lost its `}`.
const TOP_LEVEL_BLOCKS: &[&str] = &[
    "resource",
    "data",
    "module",
    "variable",
    "output",
    "locals",
    "provider",
    "terraform",
];

pub(crate) struct Parser<'s> {
    pub(crate) text: &'s str,
    pub(crate) src: &'s [u8],
    pub(crate) pos: usize,
    /// Newlines end attributes and object items; inside `()`, `[]` and
    /// `${}` they are plain whitespace.
    pub(crate) newlines: bool,
    pub(crate) depth: u32,
    /// Set when a top-level block keyword shows up inside a block: every
    /// open block ends there (each reporting its missing `}`).
    unwinding: bool,
    pub(crate) errors: Vec<SyntaxError>,
    /// (offset, line) of the last `line_of` answer.
    line_cache: std::cell::Cell<(usize, usize)>,
}

pub(crate) fn is_id_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

pub(crate) fn is_id_continue(b: u8) -> bool {
    ID_CONTINUE.get(usize::from(b)).copied().unwrap_or(false)
}

/// [`is_id_continue`] for every byte: identifiers are much of a file, and
/// one load per byte beats four comparisons.
#[allow(clippy::indexing_slicing)] // `b` counts 0..256, the table's length
static ID_CONTINUE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c >= 0x80;
        b += 1;
    }
    t
};

pub(crate) fn range(start: usize, end: usize) -> TextRange {
    TextRange::from_usize(start, end)
}

impl<'s> Parser<'s> {
    pub(crate) fn new(text: &'s str) -> Parser<'s> {
        let pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Parser {
            text,
            src: text.as_bytes(),
            pos,
            newlines: true,
            depth: 0,
            unwinding: false,
            errors: Vec::new(),
            line_cache: std::cell::Cell::new((0, 1)),
        }
    }

    // ---- scanning helpers -------------------------------------------------

    #[inline]
    pub(crate) fn peek(&self) -> u8 {
        self.src.get(self.pos).copied().unwrap_or(0)
    }

    #[inline]
    pub(crate) fn peek_at(&self, ahead: usize) -> u8 {
        self.src.get(self.pos + ahead).copied().unwrap_or(0)
    }

    #[inline]
    pub(crate) fn at_eof(&self) -> bool {
        self.pos >= self.src.len()
    }

    pub(crate) fn slice(&self, start: usize, end: usize) -> &'s str {
        self.text.get(start..end).unwrap_or("")
    }

    /// Moves past one character (never into the middle of one).
    pub(crate) fn bump_char(&mut self) {
        self.pos += 1;
        while self.pos < self.src.len() && !self.text.is_char_boundary(self.pos) {
            self.pos += 1;
        }
    }

    /// 1-based line of `offset`, for messages. Counting resumes from the
    /// last answer when it can, so a file full of errors stays linear.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        if self.errors.len() >= MAX_ERRORS {
            return 0; // the message will be dropped anyway
        }
        let end = offset.min(self.src.len());
        let (from, line) = match self.line_cache.get() {
            (o, l) if o <= end => (o, l),
            _ => (0, 1),
        };
        let counted = self
            .src
            .get(from..end)
            .map_or(0, |s| memchr::memchr_iter(b'\n', s).count());
        self.line_cache.set((end, line + counted));
        line + counted
    }

    pub(crate) fn error(&mut self, r: TextRange, message: impl Into<String>) {
        // One failure often trips the checks of every enclosing construct at
        // the same spot; the first message is the useful one.
        if self.errors.last().is_some_and(|e| e.range.start == r.start)
            || self.errors.len() >= MAX_ERRORS
        {
            return;
        }
        self.errors.push(SyntaxError {
            range: r,
            message: message.into(),
        });
    }

    pub(crate) fn error_here(&mut self, message: impl Into<String>) {
        let end = if self.at_eof() {
            self.pos
        } else {
            self.next_char_end()
        };
        self.error(range(self.pos, end), message);
    }

    fn next_char_end(&self) -> usize {
        let mut end = self.pos + 1;
        while end < self.src.len() && !self.text.is_char_boundary(end) {
            end += 1;
        }
        end.min(self.src.len())
    }

    /// What is at the cursor, for error messages.
    pub(crate) fn found(&self) -> String {
        match self.peek() {
            _ if self.at_eof() => "end of file".to_string(),
            b'\n' => "newline".to_string(),
            b'\r' if self.peek_at(1) == b'\n' => "newline".to_string(),
            _ => format!("`{}`", self.slice(self.pos, self.next_char_end())),
        }
    }

    /// Skips spaces and comments, and newlines where they do not matter.
    #[inline]
    pub(crate) fn skip_trivia(&mut self) {
        // Most calls find a token at once.
        if matches!(self.peek(), b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'/') {
            self.skip_trivia_run();
        }
    }

    fn skip_trivia_run(&mut self) {
        loop {
            self.skip_blanks();
            match self.peek() {
                b'\n' if !self.newlines => self.pos += 1,
                b'#' => self.skip_line_comment(),
                b'/' if self.peek_at(1) == b'/' => self.skip_line_comment(),
                b'/' if self.peek_at(1) == b'*' => self.skip_block_comment(),
                _ => return,
            }
        }
    }

    /// Skips spaces, tabs and carriage returns. Alignment padding is much of
    /// a configuration, so runs of spaces are taken eight bytes at a time.
    fn skip_blanks(&mut self) {
        const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
        while let Some(chunk) = self.src.get(self.pos..self.pos + 8) {
            let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]));
            let other = word ^ SPACES;
            if other != 0 {
                // The first byte that is not a space, in memory order.
                self.pos += (other.trailing_zeros() / 8) as usize;
                break;
            }
            self.pos += 8;
        }
        while matches!(self.peek(), b' ' | b'\t' | b'\r') {
            self.pos += 1;
        }
    }

    /// Skips trivia and newlines alike (between body items).
    fn skip_newlines(&mut self) {
        loop {
            self.skip_trivia();
            if self.peek() == b'\n' {
                self.pos += 1;
            } else {
                return;
            }
        }
    }

    fn skip_line_comment(&mut self) {
        // The newline stays: it still ends the attribute before the comment.
        let rest = self.src.get(self.pos..).unwrap_or(&[]);
        self.pos += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    }

    fn skip_block_comment(&mut self) {
        let start = self.pos;
        let rest = self.src.get(self.pos + 2..).unwrap_or(&[]);
        match memchr::memmem::find(rest, b"*/") {
            Some(i) => self.pos += 2 + i + 2,
            None => {
                self.pos = self.src.len();
                self.error(range(start, start + 2), "unterminated `/*` comment");
            }
        }
    }

    pub(crate) fn ident(&mut self) -> (&'s str, TextRange) {
        let start = self.pos;
        let rest = self.src.get(start..).unwrap_or(&[]);
        self.pos += rest
            .iter()
            .position(|&b| !is_id_continue(b))
            .unwrap_or(rest.len());
        (self.slice(start, self.pos), range(start, self.pos))
    }

    /// Is the word at the cursor exactly `kw` (not a prefix of a longer name)?
    pub(crate) fn at_keyword(&self, kw: &str) -> bool {
        let end = self.pos + kw.len();
        self.src.get(self.pos..end) == Some(kw.as_bytes())
            && !self.src.get(end).is_some_and(|&b| is_id_continue(b))
    }

    /// Skips to where parsing can resume: past balanced brackets and strings,
    /// stopping (without consuming) at a newline or `,` at depth 0 when asked,
    /// and at a closing bracket at depth 0 (only `}` when `any_closer` is off,
    /// the others are then skipped as garbage).
    pub(crate) fn skip_balanced(&mut self, stop_newline: bool, stop_comma: bool, any_closer: bool) {
        let mut depth = 0usize;
        while let Some(&b) = self.src.get(self.pos) {
            match b {
                b'"' => {
                    self.skip_simple_string();
                    continue;
                }
                b'#' => {
                    self.skip_line_comment();
                    continue;
                }
                b'/' if self.peek_at(1) == b'/' => {
                    self.skip_line_comment();
                    continue;
                }
                b'/' if self.peek_at(1) == b'*' => {
                    self.skip_block_comment();
                    continue;
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth > 0 => depth -= 1,
                b'}' => return,
                b')' | b']' if any_closer => return,
                b',' if depth == 0 && stop_comma => return,
                b'\n' if depth == 0 && stop_newline => return,
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// Skips a quoted string for recovery: to its closing quote or the end
    /// of the line.
    fn skip_simple_string(&mut self) {
        self.pos += 1;
        while let Some(&b) = self.src.get(self.pos) {
            match b {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\n' => return,
                _ => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.src.len());
    }

    /// Skips what is left of an expression that failed to parse.
    pub(crate) fn skip_expr_rest(&mut self) {
        self.skip_balanced(self.newlines, true, true);
    }

    // ---- bodies -----------------------------------------------------------

    pub(crate) fn parse_file(&mut self) -> Body {
        self.parse_body(false)
    }

    fn parse_body(&mut self, in_block: bool) -> Body {
        let mut body = Body::default();
        loop {
            self.skip_newlines();
            if self.unwinding {
                if in_block {
                    break;
                }
                self.unwinding = false;
            }
            if self.at_eof() {
                break;
            }
            let start = self.pos;
            let b = self.peek();
            if b == b'}' {
                if in_block {
                    break;
                }
                self.error_here("unexpected `}` with no block to close");
                self.pos += 1;
                continue;
            }
            if !is_id_start(b) {
                let found = self.found();
                self.error_here(format!("expected an attribute or a block, found {found}"));
                self.skip_balanced(true, false, false);
                if self.pos == start {
                    self.bump_char();
                }
                continue;
            }
            let (name, name_range) = self.ident();
            self.skip_trivia();
            let after = self.peek();
            if after == b'=' && self.peek_at(1) != b'=' {
                self.pos += 1;
                let attr = self.parse_attribute(name, name_range);
                body.attributes.push(attr);
            } else {
                if in_block
                    && self.at_column0(start)
                    && TOP_LEVEL_BLOCKS.contains(&name)
                    && matches!(after, b'"' | b'{')
                {
                    self.unwinding = true;
                    self.pos = start;
                    break;
                }
                if let Some(block) = self.parse_block(name, name_range) {
                    body.blocks.push(block);
                }
            }
        }
        body
    }

    fn at_column0(&self, offset: usize) -> bool {
        offset == 0 || self.src.get(offset - 1) == Some(&b'\n')
    }

    fn parse_attribute(&mut self, name: &str, name_range: TextRange) -> Attribute {
        let errors_before = self.errors.len();
        let expr = self.parse_expr();
        self.skip_trivia();
        if !(self.at_eof() || matches!(self.peek(), b'\n' | b'}')) {
            if self.errors.len() == errors_before {
                let found = self.found();
                self.error_here(format!(
                    "expected a newline after the value of `{name}`, found {found}"
                ));
            }
            self.skip_balanced(true, false, false);
        }
        let end = expr.range.end.max(name_range.end);
        Attribute {
            name: name.to_string(),
            name_range,
            range: TextRange {
                start: name_range.start,
                end,
            },
            expr,
        }
    }

    fn parse_block(&mut self, kind: &str, kind_range: TextRange) -> Option<Block> {
        let mut labels = Vec::new();
        loop {
            self.skip_trivia();
            match self.peek() {
                b'"' => {
                    let start = self.pos;
                    let parts = self.parse_quoted();
                    let r = range(start, self.pos);
                    match parts.as_slice() {
                        [] => labels.push((String::new(), r)),
                        [TemplatePart::Literal(s, _)] => labels.push((s.clone(), r)),
                        _ => {
                            self.error(r, "block labels cannot contain interpolations");
                            labels.push((self.slice(start, self.pos).to_string(), r));
                        }
                    }
                }
                b if is_id_start(b) => {
                    let (label, r) = self.ident();
                    labels.push((label.to_string(), r));
                }
                b'{' => break,
                _ => {
                    let found = self.found();
                    self.error_here(format!(
                        "expected `=` or a block `{{` after `{kind}`, found {found}"
                    ));
                    // Skip the line, and with it a whole `{…}` if the line
                    // opens one: that block's contents are unreliable.
                    self.skip_balanced(true, false, false);
                    return None;
                }
            }
        }
        let open = self.pos;
        self.pos += 1;
        let body = if self.depth >= MAX_DEPTH {
            self.error(
                range(open, open + 1),
                format!("blocks are nested too deeply (over {MAX_DEPTH} levels, a fixed limit)"),
            );
            self.skip_balanced(false, false, false);
            Body::default()
        } else {
            self.depth += 1;
            let saved = self.newlines;
            self.newlines = true;
            let body = self.parse_body(true);
            self.newlines = saved;
            self.depth -= 1;
            body
        };
        if self.peek() == b'}' && !self.unwinding {
            self.pos += 1;
        } else {
            let line = self.line_of(kind_range.start as usize);
            let r = range(self.pos, self.pos);
            // Bypass the same-position dedup: each unclosed block is its own
            // error, and the innermost one is not the whole story.
            if self.errors.len() < MAX_ERRORS {
                self.errors.push(SyntaxError {
                    range: r,
                    message: format!("expected `}}` to close block `{kind}` opened at line {line}"),
                });
            }
        }
        let end = if self.unwinding {
            self.last_content_end()
        } else {
            self.pos
        };
        Some(Block {
            kind: kind.to_string(),
            kind_range,
            labels,
            body,
            range: TextRange {
                start: kind_range.start,
                end: TextRange::clamp(end),
            },
        })
    }

    /// End of the last non-blank text before the cursor (a block cut short
    /// ends there, not at the next block's keyword).
    fn last_content_end(&self) -> usize {
        let mut end = self.pos;
        while end > 0
            && self
                .src
                .get(end - 1)
                .is_some_and(|b| b.is_ascii_whitespace())
        {
            end -= 1;
        }
        end
    }

    // ---- expressions ------------------------------------------------------

    pub(crate) fn parse_expr(&mut self) -> Expr {
        self.parse_nested(Parser::parse_conditional)
    }

    /// Runs `inner` one nesting level deeper, or reports the nesting and
    /// skips the rest of the expression when the limit is reached.
    fn parse_nested(&mut self, inner: fn(&mut Self) -> Expr) -> Expr {
        self.skip_trivia();
        if self.depth >= MAX_DEPTH {
            let start = self.pos;
            self.error_here(format!(
                "expression is nested too deeply (over {MAX_DEPTH} levels, a fixed limit)"
            ));
            self.skip_expr_rest();
            return Expr::new(ExprKind::Invalid, range(start, self.pos));
        }
        self.depth += 1;
        let e = inner(self);
        self.depth -= 1;
        e
    }

    fn parse_conditional(&mut self) -> Expr {
        let cond = self.parse_binary(1);
        self.finish_conditional(cond)
    }

    fn finish_conditional(&mut self, cond: Expr) -> Expr {
        self.skip_trivia();
        if self.peek() != b'?' {
            return cond;
        }
        self.pos += 1;
        let then = self.parse_expr();
        self.skip_trivia();
        if self.peek() == b':' {
            self.pos += 1;
        } else {
            let found = self.found();
            self.error_here(format!(
                "expected `:` in conditional expression, found {found}"
            ));
        }
        let otherwise = self.parse_expr();
        let r = TextRange {
            start: cond.range.start,
            end: otherwise.range.end.max(then.range.end),
        };
        Expr::new(
            ExprKind::Conditional(Box::new(cond), Box::new(then), Box::new(otherwise)),
            r,
        )
    }

    fn peek_binop(&self) -> Option<(BinaryOp, usize)> {
        let next = self.peek_at(1);
        Some(match self.peek() {
            b'|' if next == b'|' => (BinaryOp::Or, 2),
            b'&' if next == b'&' => (BinaryOp::And, 2),
            b'=' if next == b'=' => (BinaryOp::Eq, 2),
            b'!' if next == b'=' => (BinaryOp::NotEq, 2),
            b'<' if next == b'=' => (BinaryOp::LessEq, 2),
            b'>' if next == b'=' => (BinaryOp::GreaterEq, 2),
            b'<' => (BinaryOp::Less, 1),
            b'>' => (BinaryOp::Greater, 1),
            b'+' => (BinaryOp::Add, 1),
            b'-' => (BinaryOp::Sub, 1),
            b'*' => (BinaryOp::Mul, 1),
            b'/' => (BinaryOp::Div, 1),
            b'%' => (BinaryOp::Mod, 1),
            _ => return None,
        })
    }

    /// One more link in a left-nested chain (`a.b.c`, `1 + 2 + 3`): chains
    /// nest the tree as deeply as brackets do, and dropping or walking a
    /// million-link chain would overflow the stack. `false` (with the error
    /// reported and the rest skipped) when the chain must stop here.
    fn chain_link(&mut self) -> bool {
        self.depth += 1;
        if self.depth < MAX_DEPTH {
            return true;
        }
        self.error_here(format!(
            "expression is nested too deeply (over {MAX_DEPTH} levels, a fixed limit)"
        ));
        self.skip_expr_rest();
        false
    }

    fn parse_binary(&mut self, min_prec: u8) -> Expr {
        let base = self.depth;
        let mut lhs = self.parse_unary();
        loop {
            self.skip_trivia();
            let Some((op, len)) = self.peek_binop() else {
                break;
            };
            let prec = op.precedence();
            if prec < min_prec || !self.chain_link() {
                break;
            }
            self.pos += len;
            let rhs = self.parse_binary(prec + 1);
            let r = TextRange {
                start: lhs.range.start,
                end: rhs.range.end.max(lhs.range.end),
            };
            lhs = Expr::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), r);
        }
        self.depth = base;
        lhs
    }

    fn parse_unary(&mut self) -> Expr {
        self.skip_trivia();
        let start = self.pos;
        let op = match self.peek() {
            b'!' => UnaryOp::Not,
            b'-' => UnaryOp::Negate,
            _ => return self.parse_postfix(),
        };
        self.pos += 1;
        if self.depth >= MAX_DEPTH {
            self.error_here(format!(
                "expression is nested too deeply (over {MAX_DEPTH} levels, a fixed limit)"
            ));
            self.skip_expr_rest();
            return Expr::new(ExprKind::Invalid, range(start, self.pos));
        }
        self.depth += 1;
        let operand = self.parse_unary();
        self.depth -= 1;
        let r = range(start, operand.range.end as usize);
        Expr::new(ExprKind::Unary(op, Box::new(operand)), r)
    }

    fn parse_postfix(&mut self) -> Expr {
        let mut e = self.parse_primary();
        if matches!(e.kind, ExprKind::Invalid) {
            return e;
        }
        let base = self.depth;
        loop {
            let save = self.pos;
            self.skip_trivia();
            if matches!(self.peek(), b'.' | b'[') && self.peek_at(1) != b'.' && !self.chain_link() {
                break;
            }
            match self.peek() {
                b'.' if self.peek_at(1) == b'*' => {
                    self.pos += 2;
                    e = self.parse_splat(e, false);
                }
                b'.' if self.peek_at(1) == b'.' => {
                    self.pos = save;
                    break;
                }
                b'.' => {
                    self.pos += 1;
                    e = self.parse_dot_step(e);
                }
                b'[' => {
                    if self.bracket_star() {
                        e = self.parse_splat(e, true);
                    } else {
                        e = self.parse_index(e);
                    }
                }
                _ => {
                    self.pos = save;
                    break;
                }
            }
        }
        self.depth = base;
        e
    }

    /// After a `.`: an attribute name or a legacy numeric index.
    fn parse_dot_step(&mut self, e: Expr) -> Expr {
        let b = self.peek();
        if b.is_ascii_digit() {
            let start = self.pos;
            while self.peek().is_ascii_digit() {
                self.pos += 1;
            }
            let n = self.slice(start, self.pos).parse::<f64>().unwrap_or(0.0);
            let key = Expr::new(ExprKind::Number(n), range(start, self.pos));
            let r = TextRange {
                start: e.range.start,
                end: TextRange::clamp(self.pos),
            };
            return Expr::new(ExprKind::Index(Box::new(e), Box::new(key)), r);
        }
        if is_id_start(b) {
            let (name, _) = self.ident();
            let r = TextRange {
                start: e.range.start,
                end: TextRange::clamp(self.pos),
            };
            return Expr::new(ExprKind::GetAttr(Box::new(e), name.to_string()), r);
        }
        let found = self.found();
        self.error_here(format!(
            "expected an attribute name after `.`, found {found}"
        ));
        e
    }

    /// Is the cursor at `[*]` (spaces allowed inside)? Consumes it if so.
    fn bracket_star(&mut self) -> bool {
        let mut i = self.pos + 1;
        while matches!(self.src.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if self.src.get(i) != Some(&b'*') {
            return false;
        }
        i += 1;
        while matches!(self.src.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if self.src.get(i) != Some(&b']') {
            return false;
        }
        self.pos = i + 1;
        true
    }

    fn parse_index(&mut self, e: Expr) -> Expr {
        let open = self.pos;
        self.pos += 1;
        let saved = self.newlines;
        self.newlines = false;
        let key = self.parse_expr();
        self.skip_trivia();
        if self.peek() == b']' {
            self.pos += 1;
        } else {
            let found = self.found();
            self.error_here(format!(
                "expected `]` to close the index opened at line {}, found {found}",
                self.line_of(open)
            ));
            self.skip_expr_rest();
            if self.peek() == b']' {
                self.pos += 1;
            }
        }
        self.newlines = saved;
        let r = TextRange {
            start: e.range.start,
            end: TextRange::clamp(self.pos),
        };
        Expr::new(ExprKind::Index(Box::new(e), Box::new(key)), r)
    }

    /// The steps after `.*` (attribute steps only) or `[*]` (attributes and
    /// indexes) apply to each element.
    fn parse_splat(&mut self, source: Expr, full: bool) -> Expr {
        let item_range = range(source.range.end as usize, self.pos);
        let mut each = Expr::new(ExprKind::SplatItem, item_range);
        loop {
            let save = self.pos;
            self.skip_trivia();
            let b = self.peek();
            let link =
                (b == b'.' && !matches!(self.peek_at(1), b'*' | b'.')) || (b == b'[' && full);
            if link && !self.chain_link() {
                break;
            }
            match self.peek() {
                b'.' if self.peek_at(1) != b'*' && self.peek_at(1) != b'.' => {
                    self.pos += 1;
                    each = self.parse_dot_step(each);
                }
                b'[' if full && !self.bracket_star() => each = self.parse_index(each),
                _ => {
                    self.pos = save;
                    break;
                }
            }
        }
        let r = TextRange {
            start: source.range.start,
            end: TextRange::clamp(self.pos),
        };
        Expr::new(
            ExprKind::Splat {
                source: Box::new(source),
                each: Box::new(each),
            },
            r,
        )
    }

    fn parse_primary(&mut self) -> Expr {
        self.skip_trivia();
        let start = self.pos;
        match self.peek() {
            b'0'..=b'9' => self.parse_number(),
            b'"' => {
                let parts = self.parse_quoted();
                Expr::new(ExprKind::Template(parts), range(start, self.pos))
            }
            b'<' if self.peek_at(1) == b'<' => self.parse_heredoc(),
            b'(' => {
                self.pos += 1;
                let saved = self.newlines;
                self.newlines = false;
                let inner = self.parse_expr();
                self.skip_trivia();
                if self.peek() == b')' {
                    self.pos += 1;
                } else {
                    let found = self.found();
                    self.error_here(format!(
                        "expected `)` to close `(` at line {}, found {found}",
                        self.line_of(start)
                    ));
                    self.skip_expr_rest();
                    if self.peek() == b')' {
                        self.pos += 1;
                    }
                }
                self.newlines = saved;
                Expr::new(ExprKind::Parens(Box::new(inner)), range(start, self.pos))
            }
            b'[' => self.parse_tuple(),
            b'{' => self.parse_object(),
            b if is_id_start(b) => self.parse_name(),
            _ => {
                let found = self.found();
                self.error_here(format!("expected an expression, found {found}"));
                Expr::new(ExprKind::Invalid, range(start, start))
            }
        }
    }

    fn parse_number(&mut self) -> Expr {
        let start = self.pos;
        while self.peek().is_ascii_digit() {
            self.pos += 1;
        }
        if self.peek() == b'.' && self.peek_at(1).is_ascii_digit() {
            self.pos += 1;
            while self.peek().is_ascii_digit() {
                self.pos += 1;
            }
        }
        if matches!(self.peek(), b'e' | b'E') {
            let sign = usize::from(matches!(self.peek_at(1), b'+' | b'-'));
            if self.peek_at(1 + sign).is_ascii_digit() {
                self.pos += 1 + sign;
                while self.peek().is_ascii_digit() {
                    self.pos += 1;
                }
            }
        }
        let n = self
            .slice(start, self.pos)
            .parse::<f64>()
            .unwrap_or(f64::NAN);
        Expr::new(ExprKind::Number(n), range(start, self.pos))
    }

    /// A keyword, a variable root or a function call.
    fn parse_name(&mut self) -> Expr {
        let start = self.pos;
        let (name, r) = self.ident();
        match name {
            "true" => return Expr::new(ExprKind::Bool(true), r),
            "false" => return Expr::new(ExprKind::Bool(false), r),
            "null" => return Expr::new(ExprKind::Null, r),
            _ => {}
        }
        // Namespaced functions: provider::terraform::decode_tfvars(…)
        let mut end = self.pos;
        while self.src.get(end) == Some(&b':')
            && self.src.get(end + 1) == Some(&b':')
            && self.src.get(end + 2).is_some_and(|&b| is_id_start(b))
        {
            self.pos = end + 2;
            self.ident();
            end = self.pos;
        }
        let save = self.pos;
        self.skip_trivia();
        if self.peek() == b'(' {
            return self.parse_call(self.slice(start, end), start);
        }
        self.pos = save;
        if end != r.end as usize {
            self.error(
                range(start, end),
                "expected `(` after a namespaced function name",
            );
        }
        Expr::new(ExprKind::Variable(name.to_string()), range(start, end))
    }

    fn parse_call(&mut self, name: &str, start: usize) -> Expr {
        let open = self.pos;
        self.pos += 1;
        let saved = self.newlines;
        self.newlines = false;
        let mut args = Vec::new();
        let mut expand_final = false;
        loop {
            self.skip_trivia();
            if self.peek() == b')' {
                self.pos += 1;
                break;
            }
            if self.at_eof() || expand_final {
                let found = self.found();
                self.error_here(format!(
                    "expected `)` to close the call to `{name}` opened at line {}, found {found}",
                    self.line_of(open)
                ));
                self.skip_expr_rest();
                if self.peek() == b')' {
                    self.pos += 1;
                }
                break;
            }
            args.push(self.parse_expr());
            self.skip_trivia();
            if self.src.get(self.pos..self.pos + 3) == Some(b"...") {
                self.pos += 3;
                expand_final = true;
                self.skip_trivia();
            }
            match self.peek() {
                b',' => self.pos += 1,
                b')' => {}
                _ => {
                    let found = self.found();
                    self.error_here(format!(
                        "expected `,` or `)` in the arguments of `{name}`, found {found}"
                    ));
                    self.skip_expr_rest();
                    match self.peek() {
                        b',' => self.pos += 1,
                        b')' => {}
                        _ => break,
                    }
                }
            }
        }
        self.newlines = saved;
        let kind = ExprKind::Call {
            name: name.to_string(),
            args,
            expand_final,
        };
        Expr::new(kind, range(start, self.pos))
    }

    fn parse_tuple(&mut self) -> Expr {
        let start = self.pos;
        self.pos += 1;
        let saved = self.newlines;
        self.newlines = false;
        self.skip_trivia();
        let e = if self.at_keyword("for") {
            self.parse_for(start, false)
        } else {
            let mut items = Vec::new();
            loop {
                self.skip_trivia();
                if self.peek() == b']' {
                    self.pos += 1;
                    break;
                }
                if self.at_eof() {
                    self.error_here(format!(
                        "expected `]` to close the tuple opened at line {}",
                        self.line_of(start)
                    ));
                    break;
                }
                items.push(self.parse_expr());
                self.skip_trivia();
                match self.peek() {
                    b',' => self.pos += 1,
                    b']' => {}
                    _ => {
                        let found = self.found();
                        self.error_here(format!(
                            "expected `,` or `]` in the tuple opened at line {}, found {found}",
                            self.line_of(start)
                        ));
                        self.skip_expr_rest();
                        match self.peek() {
                            b',' => self.pos += 1,
                            b']' => {}
                            _ => break,
                        }
                    }
                }
            }
            Expr::new(ExprKind::Tuple(items), range(start, self.pos))
        };
        self.newlines = saved;
        e
    }

    fn parse_object(&mut self) -> Expr {
        let start = self.pos;
        self.pos += 1;
        let saved = self.newlines;
        self.newlines = false;
        self.skip_trivia();
        if self.at_keyword("for") {
            let e = self.parse_for(start, true);
            self.newlines = saved;
            return e;
        }
        // Items are separated by commas or newlines.
        self.newlines = true;
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek() == b'}' {
                self.pos += 1;
                break;
            }
            if self.at_eof() {
                self.error_here(format!(
                    "expected `}}` to close the object opened at line {}",
                    self.line_of(start)
                ));
                break;
            }
            let key = self.parse_object_key();
            self.skip_trivia();
            let b = self.peek();
            if b == b'=' || b == b':' {
                self.pos += 1;
                let value = self.parse_expr();
                items.push((key, value));
            } else {
                let found = self.found();
                self.error_here(format!(
                    "expected `=` or `:` after an object key, found {found}"
                ));
            }
            self.skip_trivia();
            match self.peek() {
                b',' | b'\n' => self.pos += 1,
                b'}' => {}
                _ => {
                    let found = self.found();
                    self.error_here(format!("expected `,`, a newline or `}}` in the object opened at line {}, found {found}", self.line_of(start)));
                    self.skip_expr_rest();
                    match self.peek() {
                        b',' | b'\n' => self.pos += 1,
                        b'}' => {}
                        _ => break,
                    }
                }
            }
        }
        self.newlines = saved;
        Expr::new(ExprKind::Object(items), range(start, self.pos))
    }

    /// A bare name as an object key is a literal string, whatever it spells
    /// (`{ null = 1 }` has the key "null"); anything else is an expression.
    fn parse_object_key(&mut self) -> Expr {
        self.skip_trivia();
        if is_id_start(self.peek()) {
            let save = self.pos;
            let (name, r) = self.ident();
            let after = self.pos;
            self.skip_trivia();
            let b = self.peek();
            if (b == b'=' && self.peek_at(1) != b'=') || b == b':' {
                self.pos = after;
                let parts = vec![TemplatePart::Literal(name.to_string(), r)];
                return Expr::new(ExprKind::Template(parts), r);
            }
            self.pos = save;
        }
        // Keys are parsed below the conditional level: a `:` after the key
        // is the separator, not the middle of `? :`.
        self.parse_nested(|p| p.parse_binary(1))
    }

    /// `for k, v in coll : …` after the opening bracket (already consumed).
    fn parse_for(&mut self, start: usize, object: bool) -> Expr {
        let close = if object { b'}' } else { b']' };
        self.pos += 3;
        self.newlines = false;
        let mut names = Vec::new();
        loop {
            self.skip_trivia();
            if !is_id_start(self.peek()) {
                break;
            }
            let (name, _) = self.ident();
            names.push(name.to_string());
            self.skip_trivia();
            if self.peek() == b',' {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.skip_trivia();
        let ok_names = (1..=2).contains(&names.len());
        if !ok_names || !self.at_keyword("in") {
            let found = self.found();
            self.error_here(format!(
                "expected `for NAME[, NAME] in` in a for expression, found {found}"
            ));
            return self.abandon_for(start, close);
        }
        self.pos += 2;
        let collection = self.parse_expr();
        self.skip_trivia();
        if self.peek() != b':' {
            let found = self.found();
            self.error_here(format!(
                "expected `:` after the collection of a for expression, found {found}"
            ));
            return self.abandon_for(start, close);
        }
        self.pos += 1;
        let first = self.parse_expr();
        let mut second = None;
        let mut grouping = false;
        self.skip_trivia();
        if object {
            if self.peek() == b'=' && self.peek_at(1) == b'>' {
                self.pos += 2;
                second = Some(self.parse_expr());
                self.skip_trivia();
                if self.src.get(self.pos..self.pos + 3) == Some(b"...") {
                    self.pos += 3;
                    grouping = true;
                    self.skip_trivia();
                }
            } else {
                let found = self.found();
                self.error_here(format!(
                    "expected `=>` in an object for expression, found {found}"
                ));
                return self.abandon_for(start, close);
            }
        }
        let mut condition = None;
        if self.at_keyword("if") {
            self.pos += 2;
            condition = Some(Box::new(self.parse_expr()));
            self.skip_trivia();
        }
        if self.peek() == close {
            self.pos += 1;
        } else {
            let found = self.found();
            self.error_here(format!(
                "expected `{}` to close the for expression opened at line {}, found {found}",
                close as char,
                self.line_of(start)
            ));
            self.skip_balanced(false, false, true);
            if self.peek() == close {
                self.pos += 1;
            }
        }
        let (value_var, key_var) = match names.len() {
            2 => (names.pop().unwrap_or_default(), names.pop()),
            _ => (names.pop().unwrap_or_default(), None),
        };
        let r = range(start, self.pos);
        let collection = Box::new(collection);
        let kind = match second {
            Some(value) => ExprKind::ForObject {
                key_var,
                value_var,
                collection,
                key: Box::new(first),
                value: Box::new(value),
                grouping,
                condition,
            },
            None => ExprKind::ForTuple {
                key_var,
                value_var,
                collection,
                value: Box::new(first),
                condition,
            },
        };
        Expr::new(kind, r)
    }

    fn abandon_for(&mut self, start: usize, close: u8) -> Expr {
        self.skip_balanced(false, false, true);
        if self.peek() == close {
            self.pos += 1;
        }
        Expr::new(ExprKind::Invalid, range(start, self.pos))
    }
}
