//! Templates: quoted strings, heredocs and (for the JSON syntax) whole
//! strings, with `${…}` interpolations, `%{if}`/`%{for}` directives and `~`
//! strip markers.
//!
//! Scanning produces a flat list of items first, because strip markers act
//! on the neighbouring literal text; the list is then folded into nested
//! [`TemplatePart`]s with an explicit stack, so directive nesting costs no
//! native stack. Expressions inside are parsed by the main parser.

use super::ast::{Expr, TemplatePart};
use super::parser::{Parser, range};
use super::{SyntaxError, TextRange};

/// How a template ends and what its text means.
#[derive(Clone, Copy)]
struct Mode {
    /// Quoted string: ends at `"`, backslash escapes apply, a newline is an
    /// error. Otherwise the template runs to `end` and text is raw.
    quoted: bool,
    end: usize,
    /// `<<-` heredocs: leading spaces removed from each line.
    strip_indent: usize,
}

enum Item {
    Literal(String, TextRange),
    Interp {
        expr: Expr,
        strip_before: bool,
        strip_after: bool,
    },
    If {
        condition: Expr,
        strip_before: bool,
        strip_after: bool,
        range: TextRange,
    },
    Else {
        strip_before: bool,
        strip_after: bool,
        range: TextRange,
    },
    EndIf {
        strip_before: bool,
        strip_after: bool,
        range: TextRange,
    },
    For {
        key_var: Option<String>,
        value_var: String,
        collection: Expr,
        strip_before: bool,
        strip_after: bool,
        range: TextRange,
    },
    EndFor {
        strip_before: bool,
        strip_after: bool,
        range: TextRange,
    },
}

impl Item {
    fn strips(&self) -> (bool, bool) {
        match self {
            Item::Literal(..) => (false, false),
            Item::Interp {
                strip_before,
                strip_after,
                ..
            }
            | Item::If {
                strip_before,
                strip_after,
                ..
            }
            | Item::Else {
                strip_before,
                strip_after,
                ..
            }
            | Item::EndIf {
                strip_before,
                strip_after,
                ..
            }
            | Item::For {
                strip_before,
                strip_after,
                ..
            }
            | Item::EndFor {
                strip_before,
                strip_after,
                ..
            } => (*strip_before, *strip_after),
        }
    }
}

impl Parser<'_> {
    /// A quoted string at the cursor (on its `"`), up to and including the
    /// closing quote.
    pub(crate) fn parse_quoted(&mut self) -> Vec<TemplatePart> {
        let open = self.pos;
        self.pos += 1;
        // Most strings are plain text: take them in one slice, without the
        // item list and folding below.
        let rest = self.src.get(self.pos..).unwrap_or(&[]);
        let plain = rest
            .iter()
            .position(|&b| matches!(b, b'"' | b'\\' | b'$' | b'%' | b'\n'));
        if let Some(len) = plain.filter(|&len| rest.get(len) == Some(&b'"')) {
            let start = self.pos;
            self.pos += len + 1;
            if len == 0 {
                return Vec::new();
            }
            return vec![TemplatePart::Literal(
                self.slice(start, start + len).to_string(),
                range(start, start + len),
            )];
        }
        let mode = Mode {
            quoted: true,
            end: self.src.len(),
            strip_indent: 0,
        };
        let items = self.scan_template(mode);
        if self.peek() == b'"' {
            self.pos += 1;
        } else {
            self.error(
                range(open, self.pos),
                "unterminated string: expected `\"` before the end of the line",
            );
        }
        self.fold_template(items)
    }

    /// `<<EOT` / `<<-EOT` at the cursor, through the closing marker.
    pub(crate) fn parse_heredoc(&mut self) -> Expr {
        let start = self.pos;
        self.pos += 2;
        let indented = self.peek() == b'-';
        if indented {
            self.pos += 1;
        }
        let (marker, _) = self.ident();
        let marker = marker.to_string();
        if self.peek() == b'\r' {
            self.pos += 1;
        }
        if marker.is_empty() || self.peek() != b'\n' {
            self.error(
                range(start, self.pos),
                "expected a heredoc marker (`<<EOT`) followed by a newline",
            );
            return Expr::new(super::ast::ExprKind::Invalid, range(start, self.pos));
        }
        self.pos += 1;
        let content_start = self.pos;
        // Find the line holding only the marker.
        let mut line = content_start;
        let (content_end, after) = loop {
            if line >= self.src.len() {
                self.error(
                    range(start, content_start),
                    format!("heredoc `{marker}` is never closed"),
                );
                break (self.src.len(), self.src.len());
            }
            let rest = self.src.get(line..).unwrap_or(&[]);
            let next = memchr::memchr(b'\n', rest).map_or(self.src.len(), |i| line + i);
            let text = self.slice(line, next);
            let trimmed = text.trim_start_matches([' ', '\t']).trim_end_matches('\r');
            if trimmed == marker {
                break (line, line + text.trim_end_matches('\r').len());
            }
            line = next + 1;
        };
        let strip_indent = if indented {
            self.min_indent(content_start, content_end)
        } else {
            0
        };
        self.pos = content_start;
        let mode = Mode {
            quoted: false,
            end: content_end,
            strip_indent,
        };
        let items = self.scan_template(mode);
        let parts = self.fold_template(items);
        self.pos = after.max(self.pos).min(self.src.len());
        Expr::new(
            super::ast::ExprKind::Template(parts),
            range(start, self.pos),
        )
    }

    fn min_indent(&self, start: usize, end: usize) -> usize {
        self.slice(start, end)
            .split('\n')
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
            .min()
            .unwrap_or(0)
    }

    /// A whole string as a template (JSON syntax): the text is already
    /// unescaped, only `${`, `%{` and their `$${`/`%%{` escapes mean anything.
    pub(crate) fn parse_template_text(&mut self) -> Vec<TemplatePart> {
        let mode = Mode {
            quoted: false,
            end: self.src.len(),
            strip_indent: 0,
        };
        let items = self.scan_template(mode);
        self.fold_template(items)
    }

    fn scan_template(&mut self, mode: Mode) -> Vec<Item> {
        let mut items = Vec::new();
        let mut lit = String::new();
        let mut lit_start = self.pos;
        let mut run = self.pos;
        let mut line_start = !mode.quoted;
        while self.pos < mode.end {
            if line_start && mode.strip_indent > 0 {
                line_start = false;
                lit.push_str(self.slice(run, self.pos));
                let mut n = 0;
                while n < mode.strip_indent
                    && matches!(self.peek(), b' ' | b'\t')
                    && self.pos < mode.end
                {
                    self.pos += 1;
                    n += 1;
                }
                run = self.pos;
                continue;
            }
            let b = self.peek();
            match b {
                b'"' if mode.quoted => break,
                b'\n' if mode.quoted => break,
                b'\n' => {
                    self.pos += 1;
                    line_start = true;
                }
                b'\\' if mode.quoted => {
                    lit.push_str(self.slice(run, self.pos));
                    self.scan_escape(&mut lit);
                    run = self.pos;
                }
                b'$' | b'%' if self.peek_at(1) == b && self.peek_at(2) == b'{' => {
                    // `$${` and `%%{` stand for the literal `${` and `%{`.
                    lit.push_str(self.slice(run, self.pos + 1));
                    lit.push('{');
                    self.pos += 3;
                    run = self.pos;
                }
                b'$' | b'%' if self.peek_at(1) == b'{' => {
                    lit.push_str(self.slice(run, self.pos));
                    if !lit.is_empty() {
                        items.push(Item::Literal(
                            std::mem::take(&mut lit),
                            range(lit_start, self.pos),
                        ));
                    }
                    let item = if b == b'$' {
                        self.scan_interpolation(mode)
                    } else {
                        self.scan_directive(mode)
                    };
                    items.extend(item);
                    lit_start = self.pos;
                    run = self.pos;
                }
                _ => self.pos += 1,
            }
        }
        let stop = self.pos.min(mode.end);
        lit.push_str(self.slice(run, stop));
        if !lit.is_empty() {
            items.push(Item::Literal(lit, range(lit_start, stop)));
        }
        items
    }

    fn scan_escape(&mut self, out: &mut String) {
        let start = self.pos;
        self.pos += 1;
        let c = self.peek();
        self.pos += 1;
        match c {
            b'n' => out.push('\n'),
            b't' => out.push('\t'),
            b'r' => out.push('\r'),
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'u' | b'U' => {
                let len = if c == b'u' { 4 } else { 8 };
                let hex = self.slice(self.pos, (self.pos + len).min(self.src.len()));
                match u32::from_str_radix(hex, 16)
                    .ok()
                    .filter(|_| hex.len() == len)
                    .and_then(char::from_u32)
                {
                    Some(ch) => {
                        out.push(ch);
                        self.pos += len;
                    }
                    None => self.error(range(start, self.pos), "invalid unicode escape"),
                }
            }
            _ => {
                self.pos = start + 1;
                if self.at_eof() || c == b'\n' {
                    return;
                }
                self.bump_char();
                self.error(range(start, self.pos), "invalid escape sequence in string");
                out.push_str(self.slice(start + 1, self.pos));
            }
        }
    }

    /// Inside `${` or `%{`: reads an optional `~`.
    fn open_marker(&mut self) -> bool {
        self.pos += 2;
        if self.peek() == b'~' {
            self.pos += 1;
            return true;
        }
        false
    }

    /// Reads `~}` or `}` closing an interpolation or directive; on failure
    /// skips to the closing brace (or the end of the string).
    fn close_marker(&mut self, mode: Mode, what: &str) -> bool {
        self.skip_trivia();
        let strip = self.peek() == b'~';
        if strip {
            self.pos += 1;
        }
        if self.peek() == b'}' {
            self.pos += 1;
        } else {
            let found = self.found();
            self.error_here(format!("expected `}}` to close the {what}, found {found}"));
            while self.pos < mode.end && !matches!(self.peek(), b'}' | b'"' | b'\n') {
                self.bump_char();
            }
            if self.peek() == b'}' {
                self.pos += 1;
            }
        }
        strip
    }

    fn template_expr(&mut self) -> Expr {
        let saved = self.newlines;
        self.newlines = false;
        let e = self.parse_expr();
        self.newlines = saved;
        e
    }

    fn scan_interpolation(&mut self, mode: Mode) -> Option<Item> {
        let strip_before = self.open_marker();
        let expr = self.template_expr();
        let saved = self.newlines;
        self.newlines = false;
        let strip_after = self.close_marker(mode, "interpolation");
        self.newlines = saved;
        Some(Item::Interp {
            expr,
            strip_before,
            strip_after,
        })
    }

    fn scan_directive(&mut self, mode: Mode) -> Option<Item> {
        let start = self.pos;
        let strip_before = self.open_marker();
        let saved = self.newlines;
        self.newlines = false;
        self.skip_trivia();
        let (word, _) = self.ident();
        let word = word.to_string();
        let item = match word.as_str() {
            "if" => {
                let condition = self.template_expr();
                let strip_after = self.close_marker(mode, "`%{if}` directive");
                Item::If {
                    condition,
                    strip_before,
                    strip_after,
                    range: range(start, self.pos),
                }
            }
            "else" => {
                let strip_after = self.close_marker(mode, "`%{else}` directive");
                Item::Else {
                    strip_before,
                    strip_after,
                    range: range(start, self.pos),
                }
            }
            "endif" => {
                let strip_after = self.close_marker(mode, "`%{endif}` directive");
                Item::EndIf {
                    strip_before,
                    strip_after,
                    range: range(start, self.pos),
                }
            }
            "endfor" => {
                let strip_after = self.close_marker(mode, "`%{endfor}` directive");
                Item::EndFor {
                    strip_before,
                    strip_after,
                    range: range(start, self.pos),
                }
            }
            "for" => {
                let mut names = Vec::new();
                loop {
                    self.skip_trivia();
                    let (name, _) = self.ident();
                    if name.is_empty() {
                        break;
                    }
                    names.push(name.to_string());
                    self.skip_trivia();
                    if self.peek() != b',' {
                        break;
                    }
                    self.pos += 1;
                }
                self.skip_trivia();
                if names.is_empty() || names.len() > 2 || !self.at_keyword("in") {
                    self.error_here("expected `%{for NAME[, NAME] in …}`");
                    self.close_marker(mode, "`%{for}` directive");
                    self.newlines = saved;
                    return None;
                }
                self.pos += 2;
                let collection = self.template_expr();
                let strip_after = self.close_marker(mode, "`%{for}` directive");
                let value_var = names.pop().unwrap_or_default();
                let key_var = names.pop();
                Item::For {
                    key_var,
                    value_var,
                    collection,
                    strip_before,
                    strip_after,
                    range: range(start, self.pos),
                }
            }
            _ => {
                self.error(range(start, self.pos), format!("unknown template directive `{word}`; expected if, else, endif, for or endfor"));
                self.close_marker(mode, "directive");
                self.newlines = saved;
                return None;
            }
        };
        self.newlines = saved;
        Some(item)
    }

    /// Applies strip markers, then nests directive bodies.
    fn fold_template(&mut self, mut items: Vec<Item>) -> Vec<TemplatePart> {
        for i in 0..items.len() {
            let (before, after) = items.get(i).map_or((false, false), Item::strips);
            if before
                && i > 0
                && let Some(Item::Literal(s, _)) = items.get_mut(i - 1)
            {
                s.truncate(s.trim_end().len());
            }
            if after && let Some(Item::Literal(s, _)) = items.get_mut(i + 1) {
                let trimmed = s.trim_start().len();
                s.drain(..s.len() - trimmed);
            }
        }

        enum Open {
            If {
                condition: Expr,
                range: TextRange,
                then: Option<Vec<TemplatePart>>,
            },
            For {
                key_var: Option<String>,
                value_var: String,
                collection: Expr,
                range: TextRange,
            },
        }
        let mut stack: Vec<(Open, Vec<TemplatePart>)> = Vec::new();
        let mut current: Vec<TemplatePart> = Vec::new();
        let mut errors: Vec<SyntaxError> = Vec::new();
        for item in items {
            match item {
                Item::Literal(s, r) => {
                    if !s.is_empty() {
                        current.push(TemplatePart::Literal(s, r))
                    }
                }
                Item::Interp { expr, .. } => current.push(TemplatePart::Interpolation(expr)),
                Item::If {
                    condition, range, ..
                } => {
                    stack.push((
                        Open::If {
                            condition,
                            range,
                            then: None,
                        },
                        std::mem::take(&mut current),
                    ));
                }
                Item::For {
                    key_var,
                    value_var,
                    collection,
                    range,
                    ..
                } => {
                    stack.push((
                        Open::For {
                            key_var,
                            value_var,
                            collection,
                            range,
                        },
                        std::mem::take(&mut current),
                    ));
                }
                Item::Else { range, .. } => match stack.last_mut() {
                    Some((
                        Open::If {
                            then: then @ None, ..
                        },
                        _,
                    )) => *then = Some(std::mem::take(&mut current)),
                    _ => errors.push(SyntaxError {
                        range,
                        message: "`%{else}` without a matching `%{if}`".into(),
                    }),
                },
                Item::EndIf { range: end, .. } => match stack.pop() {
                    Some((
                        Open::If {
                            condition,
                            range,
                            then,
                        },
                        outer,
                    )) => {
                        let (then, otherwise) = match then {
                            Some(then) => (then, std::mem::take(&mut current)),
                            None => (std::mem::take(&mut current), Vec::new()),
                        };
                        current = outer;
                        let range = TextRange {
                            start: range.start,
                            end: end.end,
                        };
                        current.push(TemplatePart::If {
                            condition,
                            then,
                            otherwise,
                            range,
                        });
                    }
                    other => {
                        stack.extend(other);
                        errors.push(SyntaxError {
                            range: end,
                            message: "`%{endif}` without a matching `%{if}`".into(),
                        });
                    }
                },
                Item::EndFor { range: end, .. } => match stack.pop() {
                    Some((
                        Open::For {
                            key_var,
                            value_var,
                            collection,
                            range,
                        },
                        outer,
                    )) => {
                        let body = std::mem::replace(&mut current, outer);
                        let range = TextRange {
                            start: range.start,
                            end: end.end,
                        };
                        current.push(TemplatePart::For {
                            key_var,
                            value_var,
                            collection,
                            body,
                            range,
                        });
                    }
                    other => {
                        stack.extend(other);
                        errors.push(SyntaxError {
                            range: end,
                            message: "`%{endfor}` without a matching `%{for}`".into(),
                        });
                    }
                },
            }
        }
        while let Some((open, outer)) = stack.pop() {
            let body = std::mem::replace(&mut current, outer);
            match open {
                Open::If {
                    condition,
                    range,
                    then,
                } => {
                    errors.push(SyntaxError {
                        range,
                        message: "`%{if}` is never closed by `%{endif}`".into(),
                    });
                    let (then, otherwise) = match then {
                        Some(then) => (then, body),
                        None => (body, Vec::new()),
                    };
                    current.push(TemplatePart::If {
                        condition,
                        then,
                        otherwise,
                        range,
                    });
                }
                Open::For {
                    key_var,
                    value_var,
                    collection,
                    range,
                } => {
                    errors.push(SyntaxError {
                        range,
                        message: "`%{for}` is never closed by `%{endfor}`".into(),
                    });
                    current.push(TemplatePart::For {
                        key_var,
                        value_var,
                        collection,
                        body,
                        range,
                    });
                }
            }
        }
        for e in errors {
            self.error(e.range, e.message);
        }
        current
    }
}
