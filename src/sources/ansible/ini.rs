//! Ansible's INI inventory format, read as Ansible's `ini` plugin reads it.
//!
//! `[group]` sections hold host lines (`name k=v k="v w"`, split like a
//! POSIX shell with `#` comments), `[group:children]` names subgroups,
//! `[group:vars]` holds `k = v` lines; hosts before any section are
//! ungrouped. Host patterns expand ranges (`cam[01:24]`, `[a:f]`,
//! `[1:9:2]`). Values are typed the way Ansible's `ast.literal_eval` pass
//! types them (`True`, `10`, `'x'`; `yes` stays a string). Generic INI
//! crates fit none of this, so it is written by hand. The result is a
//! [`InventorySource`]; what it means for each host is `inventory`'s job.

use std::borrow::Cow;
use std::sync::Arc;

use crate::model::{Diagnostic, SourceFile, Span};

use super::inventory::{GroupDecl, HostDecl, InventorySource, Var, VarValue};

/// Hosts one pattern may expand to; more is a mistake or an attack.
pub const MAX_HOSTS_PER_PATTERN: usize = 65_536;
/// Host declarations one file may make (ranges included).
pub const MAX_HOSTS_PER_FILE: usize = 1_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Hosts,
    Children,
    Vars,
    /// An unknown section type: its lines are skipped.
    Skip,
}

/// One line of the file with its byte offset.
struct Line<'a> {
    start: usize,
    text: &'a str,
}

fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let rest = text.get(pos..)?;
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let raw = rest.get(..len)?;
        let line = Line {
            start: pos,
            text: raw.trim_end_matches(['\n', '\r']),
        };
        pos += len;
        Some(line)
    })
}

pub fn parse(file: &SourceFile) -> InventorySource {
    let mut out = InventorySource::default();
    // Nearly every line of an inventory is a host: size for that once.
    out.hosts
        .reserve(memchr::memchr_iter(b'\n', file.text.as_bytes()).count() + 1);
    let mut group: Option<Arc<str>> = None;
    let mut section = Section::Hosts;
    let mut words = Vec::new();
    let mut keys = Keys::default();
    for line in lines(&file.text) {
        // A byte-order mark is not part of the first line.
        let line = match line.text.strip_prefix('\u{feff}') {
            Some(rest) if line.start == 0 => Line {
                start: '\u{feff}'.len_utf8(),
                text: rest,
            },
            _ => line,
        };
        let lead = line.text.len() - line.text.trim_start().len();
        let trimmed = line.text.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        let start = line.start + lead;
        let line_span = file.span(start, start + trimmed.len());
        if trimmed.starts_with('[') {
            match parse_section(trimmed) {
                Some((name, kind, name_off)) => {
                    section = match kind {
                        None | Some("hosts") => Section::Hosts,
                        Some("children") => Section::Children,
                        Some("vars") => Section::Vars,
                        Some(other) => {
                            out.diagnostics.push(Diagnostic::parse_error(
                                line_span,
                                format!("section [{name}:{other}] has unknown type `{other}` (hosts, children or vars)"),
                            ));
                            Section::Skip
                        }
                    };
                    let name_span = file.span(start + name_off, start + name_off + name.len());
                    out.groups.push(GroupDecl::new(name, line_span, name_span));
                    group = Some(Arc::from(name));
                    continue;
                }
                None if trimmed.ends_with(']') => {
                    out.diagnostics.push(Diagnostic::parse_error(
                        line_span,
                        format!("invalid section header `{trimmed}`: no spaces or other invalid characters are allowed"),
                    ));
                    section = Section::Skip;
                    continue;
                }
                // `[::1]` and the like: a host line.
                None => {}
            }
        }
        match section {
            Section::Skip => {}
            Section::Hosts => parse_host_line(
                file,
                &mut out,
                &mut words,
                &mut keys,
                group.as_ref(),
                start,
                trimmed,
                line_span,
            ),
            Section::Children => {
                let name_len = trimmed
                    .find(|c: char| c.is_whitespace() || c == '#' || c == ':' || c == ']')
                    .unwrap_or(trimmed.len());
                let name = trimmed.get(..name_len).unwrap_or("");
                let rest = trimmed.get(name_len..).unwrap_or("").trim_start();
                if name.is_empty() || !(rest.is_empty() || rest.starts_with('#')) {
                    out.diagnostics.push(Diagnostic::parse_error(
                        line_span,
                        format!("`{trimmed}` is not a group name"),
                    ));
                    continue;
                }
                if let Some(parent) = out.groups.last_mut() {
                    parent
                        .children
                        .push((name.to_string(), file.span(start, start + name_len)));
                }
            }
            Section::Vars => match strip_trailing_comment(trimmed).split_once('=') {
                Some((k, v)) => {
                    let key = k.trim();
                    let value = v.trim();
                    // The stripped line is a prefix of `trimmed`: count from
                    // its start, not back from the end, which a trailing
                    // comment would move.
                    let v_off = k.len() + 1 + (v.len() - v.trim_start().len());
                    let span = file.span(start + v_off, start + v_off + value.len());
                    if let Some(g) = out.groups.last_mut() {
                        g.vars.push(Var::new(key, literal_value(value), span));
                    }
                }
                None => out.diagnostics.push(Diagnostic::parse_error(
                    line_span,
                    format!("expected `key=value` in a vars section, got `{trimmed}`"),
                )),
            },
        }
    }
    out
}

/// Cuts a ` # comment` (a `#` after whitespace, outside quotes) off a
/// vars line, so `network_zone = sensitive  # ops VLAN` means `sensitive`.
fn strip_trailing_comment(line: &str) -> &str {
    let mut quote = None;
    let mut prev_space = false;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev_space => return line.get(..i).unwrap_or(line).trim_end(),
            _ => {}
        }
        prev_space = c.is_whitespace();
    }
    line
}

/// `[name]`, `[name:kind]`, optionally followed by a `#` comment. Returns
/// the name, the kind and the name's offset in the line.
fn parse_section(line: &str) -> Option<(&str, Option<&str>, usize)> {
    let inner_end = line.find(']')?;
    let inner = line.get(1..inner_end)?;
    let after = line.get(inner_end + 1..)?.trim_start();
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    let (name, kind) = match inner.split_once(':') {
        Some((n, k)) => (n, Some(k)),
        None => (inner, None),
    };
    if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == '[') {
        return None;
    }
    if let Some(k) = kind
        && (k.is_empty() || !k.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        return None;
    }
    Some((name, kind, 1))
}

/// A shell word: its text after unquoting (borrowed when nothing was
/// unquoted), and its byte range in the line.
struct Word<'a> {
    text: Cow<'a, str>,
    start: usize,
    end: usize,
}

impl Word<'_> {
    fn text_mut(&mut self) -> &mut String {
        self.text.to_mut()
    }
}

/// Splits like Python's `shlex.split(line, comments=True)`.
///
/// Runs of ASCII that need no unquoting are taken a slice at a time, and
/// quoted text a run at a time up to its closing quote or escape: an
/// inventory line is nearly all such runs, and walking it a character at a
/// time was most of parsing it.
fn shell_words<'a>(line: &'a str, words: &mut Vec<Word<'a>>) -> Result<(), String> {
    words.clear();
    let bytes = line.as_bytes();
    let mut cur: Option<Word<'a>> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let c = if b.is_ascii() {
            char::from(b)
        } else {
            line.get(i..)
                .and_then(|r| r.chars().next())
                .unwrap_or('\u{fffd}')
        };
        match c {
            c if c.is_whitespace() => {
                if let Some(w) = cur.take() {
                    words.push(w);
                }
                i += c.len_utf8();
            }
            '#' => break,
            '\'' | '"' => {
                let w = cur.get_or_insert_with(|| Word {
                    text: Cow::Owned(String::with_capacity(line.len() - i)),
                    start: i,
                    end: i,
                });
                let text = w.text_mut();
                let mut j = i + 1;
                let closed = loop {
                    let rest = bytes.get(j..).unwrap_or_default();
                    // Up to the closing quote, or (in double quotes) the
                    // next backslash: all of it is taken as written.
                    let stop = if c == '"' {
                        memchr::memchr2(b'"', b'\\', rest)
                    } else {
                        memchr::memchr(b'\'', rest)
                    };
                    let Some(k) = stop else {
                        break false;
                    };
                    text.push_str(line.get(j..j + k).unwrap_or(""));
                    j += k;
                    if bytes.get(j) == Some(&(c as u8)) {
                        w.end = j + 1;
                        j += 1;
                        break true;
                    }
                    // A backslash in double quotes escapes only these.
                    match bytes.get(j + 1) {
                        Some(&e @ (b'\\' | b'"' | b'$' | b'`')) => {
                            text.push(char::from(e));
                            j += 2;
                        }
                        _ => {
                            text.push('\\');
                            j += 1;
                        }
                    }
                };
                if !closed {
                    return Err("no closing quotation".to_string());
                }
                i = j;
            }
            '\\' => {
                let w = cur.get_or_insert_with(|| Word {
                    text: Cow::Owned(String::new()),
                    start: i,
                    end: i,
                });
                match line.get(i + 1..).and_then(|r| r.chars().next()) {
                    Some(e) => {
                        w.text_mut().push(e);
                        w.end = i + 1 + e.len_utf8();
                        i = w.end;
                    }
                    None => return Err("no escaped character".to_string()),
                }
            }
            c => {
                // The run of characters that need nothing done: ASCII other
                // than white space, quotes, backslash and `#`; or this one.
                let run = if c.is_ascii() {
                    bytes
                        .get(i..)
                        .unwrap_or_default()
                        .iter()
                        .position(|&d| !plain_ascii(d))
                        .unwrap_or(bytes.len() - i)
                } else {
                    c.len_utf8()
                };
                let end = i + run;
                let w = cur.get_or_insert(Word {
                    text: Cow::Borrowed(""),
                    start: i,
                    end: i,
                });
                match &mut w.text {
                    // Still a plain run of the line: widen the slice.
                    Cow::Borrowed(_) => {
                        w.text = Cow::Borrowed(line.get(w.start..end).unwrap_or(""))
                    }
                    Cow::Owned(t) => t.push_str(line.get(i..end).unwrap_or("")),
                }
                w.end = end;
                i = end;
            }
        }
    }
    if let Some(w) = cur.take() {
        words.push(w);
    }
    Ok(())
}

/// An ASCII byte `shell_words` takes as it is: not white space (as
/// `char::is_whitespace` has it), a quote, a backslash or `#`.
fn plain_ascii(b: u8) -> bool {
    b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ' | b'\'' | b'"' | b'\\' | b'#')
}

/// Variable names seen in this file, shared between host lines.
#[derive(Default)]
struct Keys(Vec<Arc<str>>);

impl Keys {
    fn get(&mut self, key: &str) -> Arc<str> {
        if let Some(k) = self.0.iter().find(|k| &***k == key) {
            return k.clone();
        }
        let k: Arc<str> = Arc::from(key);
        if self.0.len() < 64 {
            self.0.push(k.clone());
        }
        k
    }
}

#[allow(clippy::too_many_arguments)]
fn parse_host_line<'a>(
    file: &SourceFile,
    out: &mut InventorySource,
    words: &mut Vec<Word<'a>>,
    keys: &mut Keys,
    group: Option<&Arc<str>>,
    start: usize,
    line: &'a str,
    line_span: Span,
) {
    match shell_words(line, words) {
        Ok(()) => {}
        Err(e) => {
            out.diagnostics.push(Diagnostic::parse_error(
                line_span,
                format!("cannot split host line: {e}"),
            ));
            return;
        }
    }
    let Some((first, rest)) = words.split_first() else {
        return;
    };
    // Plain names (nearly all) skip the range machinery.
    let plain = split_port(&first.text);
    let expanded = if plain.0.contains('[') {
        expand_host_pattern(&first.text)
    } else {
        Ok((Vec::new(), plain.1))
    };
    let (names, port) = match expanded {
        Ok(x) => x,
        Err(e) => {
            let span = file.span(start + first.start, start + first.end);
            out.diagnostics.push(Diagnostic::parse_error(span, e));
            return;
        }
    };
    let mut vars = Vec::new();
    if let Some(p) = port {
        let span = file.span(start + first.start, start + first.end);
        vars.push(Var::new("ansible_port", VarValue::Number(p), span));
    }
    for w in rest {
        let word_span = file.span(start + w.start, start + w.end);
        let Some((k, v)) = w.text.split_once('=') else {
            out.diagnostics.push(Diagnostic::parse_error(
                word_span,
                format!(
                    "expected key=value host variable assignment, got `{}`",
                    w.text
                ),
            ));
            continue;
        };
        // The value is written after the first `=` of the word.
        let raw = line.get(w.start..w.end).unwrap_or("");
        let eq = raw.find('=').map_or(0, |i| i + 1);
        let span = file.span(start + w.start + eq, start + w.end);
        vars.push(Var::new(keys.get(k), literal_value(v), span));
    }
    let name_span = file.span(start + first.start, start + first.end);
    if out.hosts.len() + names.len() > MAX_HOSTS_PER_FILE {
        out.diagnostics.push(Diagnostic::parse_error(
            line_span,
            format!("more than {MAX_HOSTS_PER_FILE} hosts in one file; the rest are not read"),
        ));
        return;
    }
    if names.is_empty() {
        out.hosts.push(HostDecl {
            name: plain.0.to_string(),
            span: line_span,
            name_span,
            group: group.cloned(),
            vars,
        });
        return;
    }
    let last = names.len().saturating_sub(1);
    let mut vars = Some(vars);
    for (i, name) in names.into_iter().enumerate() {
        // Ranges share the line's variables; the last host takes them.
        let vars = if i == last {
            vars.take().unwrap_or_default()
        } else {
            vars.clone().unwrap_or_default()
        };
        out.hosts.push(HostDecl {
            name,
            span: line_span,
            name_span,
            group: group.cloned(),
            vars,
        });
    }
}

/// Types a value as `ast.literal_eval` would, falling back to the text.
pub fn literal_value(v: &str) -> VarValue {
    let v = crate::sources::text::trim(v);
    match v {
        "True" => return VarValue::Bool(true),
        "False" => return VarValue::Bool(false),
        "None" => return VarValue::Null,
        _ => {}
    }
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            let inner = v.get(1..v.len() - 1).unwrap_or("");
            if !inner.contains(q) {
                return VarValue::Str(inner.to_string());
            }
        }
    }
    let pairs = [('[', ']', true), ('(', ')', true), ('{', '}', false)];
    for (open, close, list) in pairs {
        if v.starts_with(open) && v.ends_with(close) {
            return if list { VarValue::List } else { VarValue::Map };
        }
    }
    if is_python_number(v) {
        return VarValue::Number(v.to_string());
    }
    VarValue::Str(v.to_string())
}

/// Whether `v` is a Python int or float literal. Read byte by byte: every
/// unquoted inventory value comes here (addresses, ports, names), and a
/// byte that is not ASCII is never part of a number, just as its
/// character is not.
fn is_python_number(v: &str) -> bool {
    let body = v.strip_prefix(['-', '+']).unwrap_or(v).as_bytes();
    if body.is_empty() || body.starts_with(b"_") || body.ends_with(b"_") {
        return false;
    }
    for (prefix, radix) in [(b"0x", 16), (b"0o", 8), (b"0b", 2)] {
        if body
            .get(..2)
            .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
        {
            let d = body.get(2..).unwrap_or(&[]);
            return !d.is_empty()
                && d.iter()
                    .all(|&c| c == b'_' || char::from(c).is_digit(radix));
        }
    }
    if body.iter().all(|&c| c.is_ascii_digit() || c == b'_') {
        // Python 3 rejects `0755`.
        return !(body.len() > 1
            && body.starts_with(b"0")
            && body.iter().any(|&c| c != b'0' && c != b'_'));
    }
    // a float: digits with one dot and/or an exponent
    let (mantissa, exp) = match body.iter().position(|&c| c == b'e' || c == b'E') {
        Some(at) => {
            let (m, e) = body.split_at(at);
            (m, e.get(1..))
        }
        None => (body, None),
    };
    let dots = mantissa.iter().filter(|&&c| c == b'.').count();
    let mantissa_ok = dots <= 1
        && mantissa.iter().any(u8::is_ascii_digit)
        && mantissa
            .iter()
            .all(|&c| c.is_ascii_digit() || c == b'.' || c == b'_');
    let exp_ok = exp.is_none_or(|e| {
        let d = e
            .strip_prefix(b"-")
            .or_else(|| e.strip_prefix(b"+"))
            .unwrap_or(e);
        !d.is_empty() && d.iter().all(u8::is_ascii_digit)
    });
    mantissa_ok && exp_ok && (dots == 1 || exp.is_some())
}

/// Expands `cam[01:24].site` and friends into host names, and splits a
/// trailing `:port`.
pub fn expand_host_pattern(pattern: &str) -> Result<(Vec<String>, Option<String>), String> {
    let (pattern, port) = split_port(pattern);
    if !pattern.contains('[') {
        return Ok((vec![pattern.to_string()], port));
    }
    let mut done = Vec::new();
    let mut todo = vec![pattern.to_string()];
    while let Some(name) = todo.pop() {
        let (Some(open), Some(close)) = (name.find('['), name.find(']')) else {
            done.push(name);
            continue;
        };
        if close < open {
            return Err(format!("invalid host range in `{pattern}`"));
        }
        let head = name.get(..open).unwrap_or("");
        let range = name.get(open + 1..close).unwrap_or("");
        let tail = name.get(close + 1..).unwrap_or("");
        let items = expand_range(range).map_err(|e| format!("{e} in `{pattern}`"))?;
        // Reversed so that the work list pops them in order.
        for item in items.into_iter().rev() {
            todo.push(format!("{head}{item}{tail}"));
        }
        if todo.len() + done.len() > MAX_HOSTS_PER_PATTERN {
            return Err(format!(
                "host pattern `{pattern}` expands to more than {MAX_HOSTS_PER_PATTERN} hosts"
            ));
        }
    }
    Ok((done, port))
}

fn split_port(pattern: &str) -> (&str, Option<String>) {
    // A port is `:digits` after the last `]`, with no other colon outside
    // brackets (IPv6 addresses keep their colons).
    let mut depth = 0i32;
    let mut colon = None;
    let mut colons = 0;
    for (i, c) in pattern.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ':' if depth == 0 => {
                colons += 1;
                colon = Some(i);
            }
            _ => {}
        }
    }
    if let (1, Some(at)) = (colons, colon) {
        let port = pattern.get(at + 1..).unwrap_or("");
        if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) {
            return (pattern.get(..at).unwrap_or(pattern), Some(port.to_string()));
        }
    }
    (pattern, None)
}

fn expand_range(range: &str) -> Result<Vec<String>, String> {
    let bounds: Vec<&str> = range.split(':').collect();
    let (beg, end, step) = match bounds.as_slice() {
        [b, e] => (*b, *e, "1"),
        [b, e, s] => (*b, *e, *s),
        _ => return Err("host range must be begin:end or begin:end:step".to_string()),
    };
    let beg = if beg.is_empty() { "0" } else { beg };
    if end.is_empty() {
        return Err("host range must specify end value".to_string());
    }
    let step: usize = step
        .parse()
        .ok()
        .filter(|s| *s > 0)
        .ok_or_else(|| "host range step must be a positive number".to_string())?;
    let is_alpha = |s: &str| s.len() == 1 && s.chars().all(|c| c.is_ascii_alphabetic());
    if is_alpha(beg) && is_alpha(end) {
        const LETTERS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let (Some(b), Some(e)) = (LETTERS.find(beg), LETTERS.find(end)) else {
            return Err("invalid host range".to_string());
        };
        if b > e {
            return Err("host range must have begin <= end".to_string());
        }
        let letters = LETTERS.get(b..=e).unwrap_or("");
        return Ok(letters.chars().step_by(step).map(String::from).collect());
    }
    let width = if beg.len() > 1 && beg.starts_with('0') {
        if beg.len() != end.len() {
            return Err("host range must specify equal-length begin and end formats".to_string());
        }
        beg.len()
    } else {
        0
    };
    let (Ok(b), Ok(e)) = (beg.parse::<u64>(), end.parse::<u64>()) else {
        return Err(format!("invalid host range `[{range}]`"));
    };
    if e.saturating_sub(b) / step as u64 >= MAX_HOSTS_PER_PATTERN as u64 {
        return Err(format!(
            "host range `[{range}]` is larger than {MAX_HOSTS_PER_PATTERN} hosts"
        ));
    }
    Ok((b..=e)
        .step_by(step)
        .map(|n| format!("{n:0width$}"))
        .collect())
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    /// The character-at-a-time splitter `shell_words` replaced, kept as
    /// its reference.
    fn shell_words_reference<'a>(line: &'a str, words: &mut Vec<Word<'a>>) -> Result<(), String> {
        words.clear();
        let mut cur: Option<Word<'a>> = None;
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                c if c.is_whitespace() => {
                    if let Some(w) = cur.take() {
                        words.push(w);
                    }
                }
                '#' => break,
                '\'' | '"' => {
                    let w = cur.get_or_insert_with(|| Word {
                        text: Cow::Owned(String::with_capacity(line.len() - i)),
                        start: i,
                        end: i,
                    });
                    let text = w.text_mut();
                    let mut closed = false;
                    while let Some((j, d)) = chars.next() {
                        if d == c {
                            closed = true;
                            w.end = j + 1;
                            break;
                        }
                        if c == '"'
                            && d == '\\'
                            && let Some(&(_, e)) = chars.peek()
                            && matches!(e, '\\' | '"' | '$' | '`')
                        {
                            text.push(e);
                            chars.next();
                            continue;
                        }
                        text.push(d);
                    }
                    if !closed {
                        return Err("no closing quotation".to_string());
                    }
                }
                '\\' => {
                    let w = cur.get_or_insert_with(|| Word {
                        text: Cow::Owned(String::new()),
                        start: i,
                        end: i,
                    });
                    match chars.next() {
                        Some((j, e)) => {
                            w.text_mut().push(e);
                            w.end = j + e.len_utf8();
                        }
                        None => return Err("no escaped character".to_string()),
                    }
                }
                c => {
                    let w = cur.get_or_insert(Word {
                        text: Cow::Borrowed(""),
                        start: i,
                        end: i,
                    });
                    let end = i + c.len_utf8();
                    match &mut w.text {
                        // Still a plain run of the line: widen the slice.
                        Cow::Borrowed(_) => {
                            w.text = Cow::Borrowed(line.get(w.start..end).unwrap_or(""))
                        }
                        Cow::Owned(t) => t.push(c),
                    }
                    w.end = end;
                }
            }
        }
        if let Some(w) = cur.take() {
            words.push(w);
        }
        Ok(())
    }

    type Split = Result<Vec<(String, usize, usize)>, String>;

    fn split<'a>(f: fn(&'a str, &mut Vec<Word<'a>>) -> Result<(), String>, line: &'a str) -> Split {
        let mut words = Vec::new();
        f(line, &mut words)?;
        Ok(words
            .into_iter()
            .map(|w| (w.text.into_owned(), w.start, w.end))
            .collect())
    }

    proptest::proptest! {
        #[test]
        fn shell_words_equals_its_reference(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "0", "=", "-", " ", "\t", "\u{b}", "\r", "'", "\"", "\\", "#", "$",
                    "`", "é", "\u{a0}", "\u{2003}", "\u{85}", "ÿ", "\u{1f600}", "\u{1c}",
                ]),
                0..24,
            )
        ) {
            let line: String = parts.concat();
            proptest::prop_assert_eq!(
                split(shell_words, &line),
                split(shell_words_reference, &line),
                "line {:?}", line
            );
        }
    }

    #[test]
    fn shell_words_on_a_host_line() {
        let line = r#"cam-01 ansible_host=10.0.0.1 camera_vendor="Hanwha \"Vision\" \x" note='a b'c\ d # x"#;
        assert_eq!(split(shell_words, line), split(shell_words_reference, line));
        let words = split(shell_words, line).unwrap();
        let texts: Vec<&str> = words.iter().map(|w| w.0.as_str()).collect();
        assert_eq!(
            texts,
            [
                "cam-01",
                "ansible_host=10.0.0.1",
                "camera_vendor=Hanwha \"Vision\" \\x",
                "note=a bc d"
            ]
        );
    }

    use super::*;
    use crate::model::{FileId, SourceKind};

    fn file(text: &str) -> SourceFile {
        SourceFile::new(
            FileId(0),
            "hosts".into(),
            SourceKind::AnsibleIni,
            Arc::from(text),
        )
    }

    #[test]
    fn ranges_expand_with_padding_letters_and_steps() {
        let (names, port) = expand_host_pattern("cam[01:03].example").unwrap();
        assert_eq!(names, ["cam01.example", "cam02.example", "cam03.example"]);
        assert_eq!(port, None);
        assert_eq!(
            expand_host_pattern("db-[a:c]").unwrap().0,
            ["db-a", "db-b", "db-c"]
        );
        assert_eq!(
            expand_host_pattern("n[1:9:4]").unwrap().0,
            ["n1", "n5", "n9"]
        );
        assert_eq!(
            expand_host_pattern("r[1:2]c[a:b]").unwrap().0,
            ["r1ca", "r1cb", "r2ca", "r2cb"]
        );
        let (names, port) = expand_host_pattern("cam9:2222").unwrap();
        assert_eq!(
            (names, port),
            (vec!["cam9".to_string()], Some("2222".to_string()))
        );
        assert!(expand_host_pattern("cam[01:1]").is_err());
        assert!(expand_host_pattern("cam[0:99999999]").is_err());
        assert_eq!(expand_host_pattern("fe80::1").unwrap().0, ["fe80::1"]);
    }

    #[test]
    fn host_lines_with_quoted_values_and_comments() {
        let text = "cam0 ansible_host=10.0.0.9\n[cams] # entrance\ncam1 vendor=\"Hikvision Digital\" model='DS 2CD' note=x#trail\n  ; comment\n[cams:vars]\nnetwork_zone = sensitive\nport = 8080\nflag = True\nlist = ['a', 'b']\n";
        let f = file(text);
        let inv = parse(&f);
        assert!(inv.diagnostics.is_empty(), "{:?}", inv.diagnostics);
        assert_eq!(inv.hosts.len(), 2);
        assert_eq!(inv.hosts[0].group, None);
        let cam1 = &inv.hosts[1];
        assert_eq!(cam1.group.as_deref(), Some("cams"));
        assert_eq!(
            f.slice(cam1.span),
            "cam1 vendor=\"Hikvision Digital\" model='DS 2CD' note=x#trail"
        );
        let v = |k: &str| cam1.vars.iter().find(|v| &*v.key == k).unwrap();
        assert_eq!(v("vendor").value, VarValue::Str("Hikvision Digital".into()));
        assert_eq!(f.slice(v("vendor").span), "\"Hikvision Digital\"");
        assert_eq!(v("model").value, VarValue::Str("DS 2CD".into()));
        assert_eq!(v("note").value, VarValue::Str("x".into()));
        let g = inv.groups.iter().find(|g| g.vars.len() == 4).unwrap();
        assert_eq!(g.vars[0].value, VarValue::Str("sensitive".into()));
        assert_eq!(f.slice(g.vars[0].span), "sensitive");
        assert_eq!(g.vars[1].value, VarValue::Number("8080".into()));
        assert_eq!(g.vars[2].value, VarValue::Bool(true));
        assert_eq!(g.vars[3].value, VarValue::List);
        assert_eq!(f.slice(inv.groups[0].name_span), "cams");
    }

    #[test]
    fn broken_lines_are_reported_and_the_rest_read() {
        let text = "[cams]\ncam1 vendor=\"open\ncam2 novalue\n[bad group]\n[x:weird]\nh1\n[cams:children]\nsub\n";
        let f = file(text);
        let inv = parse(&f);
        assert_eq!(inv.diagnostics.len(), 4, "{:?}", inv.diagnostics);
        assert!(inv.diagnostics.iter().all(|d| d.rule == "parse-error"));
        assert_eq!(f.slice(inv.diagnostics[0].span), "cam1 vendor=\"open");
        assert_eq!(f.slice(inv.diagnostics[1].span), "novalue");
        // cam2 is still read; h1 is in an unknown section and skipped
        assert_eq!(
            inv.hosts
                .iter()
                .map(|h| h.name.as_str())
                .collect::<Vec<_>>(),
            ["cam2"]
        );
        let last = inv.groups.last().unwrap();
        assert_eq!(last.children[0].0, "sub");
    }

    #[test]
    fn byte_order_mark_and_host_budget() {
        let f = file("\u{feff}[cams]\ncam1\n");
        let inv = parse(&f);
        assert!(inv.diagnostics.is_empty(), "{:?}", inv.diagnostics);
        assert_eq!(f.slice(inv.groups[0].span), "[cams]");
        let many = "h[0:60000] a=1\n".repeat(20);
        let t = std::time::Instant::now();
        let inv = parse(&file(&many));
        assert!(inv.hosts.len() <= MAX_HOSTS_PER_FILE);
        assert!(
            inv.diagnostics
                .iter()
                .any(|d| d.message.contains("hosts in one file"))
        );
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn group_var_span_is_the_value_even_before_a_comment() {
        // Found by fuzzing: the span was counted back from the end of the
        // line, so a trailing comment moved it into the comment (or into
        // the middle of a character).
        let f = file("[g:vars]\nzone = secure  # ops \u{e9}\u{e9}\n");
        let inv = parse(&f);
        let var = &inv.groups[0].vars[0];
        assert_eq!(f.slice(var.span), "secure");
    }

    #[test]
    fn literal_values() {
        assert_eq!(literal_value("0755"), VarValue::Str("0755".into()));
        assert_eq!(
            strip_trailing_comment("zone = secure  # ops"),
            "zone = secure"
        );
        assert_eq!(
            strip_trailing_comment("url = http://x/#/a"),
            "url = http://x/#/a"
        );
        assert_eq!(strip_trailing_comment("note = 'a #b'"), "note = 'a #b'");
        assert_eq!(literal_value("10.0.0.1"), VarValue::Str("10.0.0.1".into()));
        assert_eq!(literal_value("1.5"), VarValue::Number("1.5".into()));
        assert_eq!(literal_value("yes"), VarValue::Str("yes".into()));
        assert_eq!(literal_value("'x'"), VarValue::Str("x".into()));
        for n in [
            "0", "-7", "+1_000", "0x1F", "0O17", "0b101", "1.5", ".5", "5.", "1e5", "1.5E-3",
            "2e+10", "1_0.5",
        ] {
            assert_eq!(literal_value(n), VarValue::Number(n.into()), "{n}");
        }
        for s in [
            "0b102", "0x", "_1", "1_", "1.2.3", "1e", "1e+", "e5", "1.5e3.2", "0755", "-", "٣",
            "1é", "0xé", "1e٣",
        ] {
            assert_eq!(literal_value(s), VarValue::Str(s.into()), "{s}");
        }
    }
}
