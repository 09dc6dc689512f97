//! ISC `dhcpd.conf`.
//!
//! A small lexer (words, quoted strings, `;`, `{`, `}`, `#` comments) feeds
//! a block parser that keeps what it could read: an unclosed `{` is
//! reported at the brace and its contents kept, a stray `}` is reported and
//! skipped, a statement missing its `;` is reported and kept. Nesting is
//! capped at [`MAX_DEPTH`]; deeper blocks are reported and skipped.
//!
//! Subnets become networks, named after their enclosing `shared-network`
//! when there is one (operators name the shared network, `SITE-SECURE`,
//! and leave the subnets as bare numbers), else `A/len`. Each `host` block
//! becomes a device with its name, MAC and fixed addresses; a host inside a
//! subnet block is linked to it, one outside is left for `resolve` to join
//! by address. `include "file";` is not followed: the included file is
//! scanned on its own if it is in the scan.

use crate::model::{Device, Diagnostic, Facts, Link, Network, NetworkKind, Signal, SourceFile};

use super::cidr_from_mask;

/// Deepest block nesting read; real configs use three or four levels.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Str,
    Semi,
    Open,
    Close,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
}

fn lex(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Vec<Tok> {
    let bytes = file.text.as_bytes();
    let mut toks = Vec::with_capacity(bytes.len() / 8);
    let mut i = 0usize;
    while let Some(&c) = bytes.get(i) {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => i += 1,
            b'#' => {
                i = memchr::memchr(b'\n', bytes.get(i..).unwrap_or(&[]))
                    .map_or(bytes.len(), |n| i + n);
            }
            b';' | b'{' | b'}' => {
                let kind = match c {
                    b';' => Kind::Semi,
                    b'{' => Kind::Open,
                    _ => Kind::Close,
                };
                toks.push(Tok {
                    kind,
                    start: i,
                    end: i + 1,
                });
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                let mut closed = false;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            closed = true;
                            break;
                        }
                        // A string never spans lines in practice; stopping
                        // here keeps one missing quote from eating the file.
                        b'\n' => break,
                        _ => i += 1,
                    }
                }
                let end = i.min(bytes.len());
                if !closed {
                    diags.push(Diagnostic::parse_error(
                        file.span(start, end),
                        "unterminated string",
                    ));
                }
                toks.push(Tok {
                    kind: Kind::Str,
                    start,
                    end,
                });
            }
            _ => {
                let start = i;
                while let Some(&c) = bytes.get(i) {
                    if matches!(
                        c,
                        b' ' | b'\t' | b'\r' | b'\n' | b',' | b'#' | b';' | b'{' | b'}' | b'"'
                    ) {
                        break;
                    }
                    i += 1;
                }
                toks.push(Tok {
                    kind: Kind::Word,
                    start,
                    end: i,
                });
            }
        }
    }
    toks
}

/// One statement: its words, and its block if it has one.
#[derive(Debug)]
struct Stmt<'t> {
    /// Consecutive word and string tokens.
    words: &'t [Tok],
    /// Start of the first word to the `;` or the block's `}`.
    start: usize,
    end: usize,
    body: Option<Vec<Stmt<'t>>>,
}

struct Parser<'a, 't> {
    file: &'a SourceFile,
    toks: &'t [Tok],
    pos: usize,
    diags: Vec<Diagnostic>,
}

impl<'t> Parser<'_, 't> {
    fn peek(&self) -> Option<Tok> {
        self.toks.get(self.pos).copied()
    }

    /// Statements up to a `}` (left for the caller) or the end.
    fn body(&mut self, depth: usize) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        loop {
            let Some(t) = self.peek() else { return out };
            match t.kind {
                Kind::Close if depth == 0 => {
                    self.diags.push(Diagnostic::parse_error(
                        self.file.span(t.start, t.end),
                        "unexpected `}` with no block open",
                    ));
                    self.pos += 1;
                }
                Kind::Close => return out,
                Kind::Semi => self.pos += 1, // empty statement
                _ => out.push(self.statement(depth)),
            }
        }
    }

    fn statement(&mut self, depth: usize) -> Stmt<'t> {
        let first = self.pos;
        let start = self.peek().map_or(0, |t| t.start);
        loop {
            let toks = self.toks;
            let words = toks.get(first..self.pos).unwrap_or(&[]);
            let Some(t) = self.peek() else {
                let end = words.last().map_or(start, |w: &Tok| w.end);
                self.diags.push(Diagnostic::parse_error(
                    self.file.span(start, end),
                    "statement is missing its `;` at the end of the file",
                ));
                return Stmt {
                    words,
                    start,
                    end,
                    body: None,
                };
            };
            match t.kind {
                Kind::Word | Kind::Str => self.pos += 1,
                Kind::Semi => {
                    self.pos += 1;
                    return Stmt {
                        words,
                        start,
                        end: t.end,
                        body: None,
                    };
                }
                Kind::Close => {
                    let end = words.last().map_or(start, |w| w.end);
                    self.diags.push(Diagnostic::parse_error(
                        self.file.span(start, end),
                        "statement is missing its `;` before `}`",
                    ));
                    return Stmt {
                        words,
                        start,
                        end,
                        body: None,
                    };
                }
                Kind::Open => {
                    self.pos += 1;
                    if depth + 1 >= MAX_DEPTH {
                        self.diags.push(Diagnostic::parse_error(
                            self.file.span(t.start, t.end),
                            format!("blocks nested deeper than {MAX_DEPTH} levels are not read"),
                        ));
                        let end = self.skip_block();
                        return Stmt {
                            words,
                            start,
                            end,
                            body: None,
                        };
                    }
                    let body = self.body(depth + 1);
                    let end = match self.peek() {
                        Some(c) if c.kind == Kind::Close => {
                            self.pos += 1;
                            c.end
                        }
                        _ => {
                            self.diags.push(Diagnostic::parse_error(
                                self.file.span(t.start, t.end),
                                "this `{` is never closed",
                            ));
                            self.toks.last().map_or(t.end, |l| l.end)
                        }
                    };
                    return Stmt {
                        words,
                        start,
                        end,
                        body: Some(body),
                    };
                }
            }
        }
    }

    /// Skips to after the `}` matching an already consumed `{`.
    fn skip_block(&mut self) -> usize {
        let mut level = 1usize;
        while let Some(t) = self.peek() {
            self.pos += 1;
            match t.kind {
                Kind::Open => level += 1,
                Kind::Close => {
                    level -= 1;
                    if level == 0 {
                        return t.end;
                    }
                }
                _ => {}
            }
        }
        self.toks.last().map_or(0, |t| t.end)
    }
}

/// Where a statement sits: the subnet block and shared network around it.
#[derive(Clone, Copy, Default)]
struct Ctx<'a> {
    subnet: Option<usize>,
    shared: Option<(&'a str, usize, usize)>,
}

struct Walker<'a> {
    file: &'a SourceFile,
    text: &'a str,
    facts: Facts,
}

impl<'a> Walker<'a> {
    /// A word's text, without the quotes of a string.
    fn word(&self, t: Option<&Tok>) -> &'a str {
        let Some(t) = t else { return "" };
        let s = self.text.get(t.start..t.end).unwrap_or("");
        match t.kind {
            Kind::Str => s
                .strip_prefix('"')
                .map_or(s, |s| s.strip_suffix('"').unwrap_or(s)),
            _ => s,
        }
    }

    fn walk(&mut self, stmts: &[Stmt<'_>], ctx: Ctx<'a>) {
        for st in stmts {
            let w0 = self.word(st.words.first());
            match (w0, &st.body) {
                ("shared-network", Some(body)) => {
                    let name = st.words.get(1);
                    let shared = name.map(|t| (self.word(Some(t)), t.start, t.end));
                    self.walk(body, Ctx { shared, ..ctx });
                }
                ("subnet" | "subnet6", Some(body)) => {
                    let idx = self.subnet(st, ctx);
                    self.walk(
                        body,
                        Ctx {
                            subnet: Some(idx),
                            ..ctx
                        },
                    );
                }
                ("host", Some(body)) => self.host(st, body, ctx),
                // `group`, `pool`, `class`, `if`: hosts inside still belong
                // to the enclosing subnet.
                (_, Some(body)) => self.walk(body, ctx),
                _ => {}
            }
        }
    }

    fn subnet(&mut self, st: &Stmt<'_>, ctx: Ctx<'a>) -> usize {
        let addr = st.words.get(1);
        let (cidr, range) = match (self.word(st.words.get(2)), st.words.get(3)) {
            ("netmask", Some(m)) => (
                cidr_from_mask(self.word(addr), self.word(Some(m))),
                addr.map(|a| (a.start, m.end)),
            ),
            _ => (
                crate::model::parse_cidr(self.word(addr)),
                addr.map(|a| (a.start, a.end)),
            ),
        };
        let range = range.unwrap_or((st.start, st.end));
        let own_name = match cidr {
            Some(c) => c.to_string(),
            None => self.text.get(range.0..range.1).unwrap_or("").to_string(),
        };
        let (name, name_range) = match ctx.shared {
            Some((n, s, e)) => (n.to_string(), (s, e)),
            None => (own_name.clone(), range),
        };
        let mut net = Network::new(name, NetworkKind::Subnet, self.file.span(st.start, st.end));
        net.name_span = Some(self.file.span(name_range.0, name_range.1));
        if let Some(c) = cidr {
            net.cidrs.push((c, self.file.span(range.0, range.1)));
        }
        if let Some((n, s, e)) = ctx.shared {
            net.labels.push(crate::model::Label {
                key: Some("shared-network".into()),
                value: n.to_string(),
                span: self.file.span(s, e),
            });
        }
        self.facts.add_network(net)
    }

    fn host(&mut self, st: &Stmt<'_>, body: &[Stmt<'_>], ctx: Ctx<'a>) {
        let name_tok = st.words.get(1);
        let name = self.word(name_tok);
        let span = self.file.span(st.start, st.end);
        let mut dev = Device::new(name, span);
        dev.facts.reserve_exact(3);
        if let Some(t) = name_tok {
            dev.fact(Signal::Name, name, self.file.span(t.start, t.end), "host");
        }
        self.host_body(&mut dev, body, 0);
        if let Some(network) = ctx.subnet {
            let header_end = name_tok.map_or(st.start + 4, |t| t.end);
            let via = match self.facts.networks.get(network) {
                Some(n) => ["host declared in subnet ", &n.name].concat(),
                None => "host declared in subnet".to_string(),
            };
            dev.links.push(Link {
                network,
                span: self.file.span(st.start, header_end),
                via,
            });
        }
        self.facts.devices.push(dev);
    }

    fn host_body(&self, dev: &mut Device, body: &[Stmt<'_>], depth: usize) {
        for st in body {
            let w = |i: usize| self.word(st.words.get(i));
            let span_of = |i: usize| {
                st.words
                    .get(i)
                    .map_or(self.file.span(st.start, st.end), |t| {
                        self.file.span(t.start, t.end)
                    })
            };
            match (w(0), w(1)) {
                ("hardware", _) => {
                    dev.fact(Signal::Mac, w(2), span_of(2), ["hardware ", w(1)].concat())
                }
                ("fixed-address" | "fixed-address6", _) => {
                    for i in 1..st.words.len() {
                        let v = w(i);
                        let signal = if crate::model::parse_address(v).is_some() {
                            Signal::Address
                        } else {
                            Signal::Name // a DNS name the server resolves
                        };
                        dev.fact(signal, v, span_of(i), w(0).to_owned());
                    }
                }
                ("option", "host-name") => {
                    dev.fact(Signal::Name, w(2), span_of(2), "option host-name")
                }
                ("ddns-hostname", _) => dev.fact(Signal::Name, w(1), span_of(1), "ddns-hostname"),
                ("option", "dhcp-client-identifier") if crate::model::parse_mac(w(2)).is_some() => {
                    dev.fact(
                        Signal::Mac,
                        w(2),
                        span_of(2),
                        "option dhcp-client-identifier",
                    );
                }
                _ => {
                    if let Some(inner) = &st.body
                        && depth < MAX_DEPTH
                    {
                        self.host_body(dev, inner, depth + 1);
                    }
                }
            }
        }
    }
}

pub(super) fn parse(file: &SourceFile) -> Facts {
    let mut diags = Vec::new();
    let toks = lex(file, &mut diags);
    let mut p = Parser {
        file,
        toks: &toks,
        pos: 0,
        diags,
    };
    let stmts = p.body(0);
    let mut w = Walker {
        file,
        text: &file.text,
        facts: Facts::default(),
    };
    let hosts = toks
        .iter()
        .filter(|t| t.kind == Kind::Word && file.text.get(t.start..t.end) == Some("host"))
        .count();
    w.facts.devices.reserve(hosts);
    w.walk(&stmts, Ctx::default());
    let mut facts = w.facts;
    facts.diagnostics = p.diags;
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceKind, Span};
    use crate::sources::netconf::test_support::file;

    const CONF: &str = r#"# cameras
option domain-name "example.org";
include "/etc/dhcp/more.conf";
shared-network SITE00000-SECURE {
  subnet 10.0.0.0 netmask 255.255.255.0 {
    option routers 10.0.0.1;
    pool {
      host cam-lobby {
        hardware ethernet 44:19:b6:01:02:03;
        fixed-address 10.0.0.10;
        option host-name "lobby-cam";
      }
    }
  }
}
subnet 10.100.0.0 netmask 255.255.255.0 {
  option routers 10.100.0.1; # gateway
}
host site00000-cam-02 {
  hardware ethernet 00:40:8c:88:75:34;
  fixed-address 10.100.0.12, cam2.example.org;
  ddns-hostname "cam-two";
}
"#;

    fn s(f: &SourceFile, span: Span) -> &str {
        f.slice(span)
    }

    #[test]
    fn subnets_hosts_and_shared_network_names() {
        let f = file(SourceKind::Dhcpd, CONF);
        let facts = parse(&f);
        assert!(facts.diagnostics.is_empty(), "{:?}", facts.diagnostics);
        assert_eq!(facts.networks.len(), 2);
        let secure = &facts.networks[0];
        assert_eq!(secure.name, "SITE00000-SECURE");
        assert_eq!(s(&f, secure.name_span.unwrap()), "SITE00000-SECURE");
        assert_eq!(secure.cidrs[0].0.to_string(), "10.0.0.0/24");
        assert_eq!(s(&f, secure.cidrs[0].1), "10.0.0.0 netmask 255.255.255.0");
        assert!(s(&f, secure.span).starts_with("subnet 10.0.0.0"));
        assert_eq!(facts.networks[1].name, "10.100.0.0/24");

        assert_eq!(facts.devices.len(), 2);
        let lobby = &facts.devices[0];
        assert_eq!(lobby.name, "cam-lobby");
        assert!(!lobby.candidate);
        assert!(s(&f, lobby.span).starts_with("host cam-lobby {"));
        assert!(s(&f, lobby.span).ends_with('}'));
        assert_eq!(lobby.links.len(), 1);
        assert_eq!(lobby.links[0].network, 0);
        let mac = lobby.facts_of(Signal::Mac).next().unwrap();
        assert_eq!(s(&f, mac.span), "44:19:b6:01:02:03");
        let names: Vec<&str> = lobby
            .facts_of(Signal::Name)
            .map(|f| f.value.as_str())
            .collect();
        assert_eq!(names, ["cam-lobby", "lobby-cam"]);

        let outside = &facts.devices[1];
        assert!(outside.links.is_empty(), "joined later by address");
        let addrs: Vec<&str> = outside
            .facts_of(Signal::Address)
            .map(|f| f.value.as_str())
            .collect();
        assert_eq!(addrs, ["10.100.0.12"]);
        assert!(
            outside
                .facts_of(Signal::Name)
                .any(|f| f.value == "cam2.example.org")
        );
        assert!(outside.facts_of(Signal::Name).any(|f| f.value == "cam-two"));
    }

    #[test]
    fn unclosed_brace_is_reported_at_the_brace_and_contents_kept() {
        let text = "subnet 10.1.0.0 netmask 255.255.0.0 {\n  host cam { hardware ethernet 44:19:b6:00:00:01; fixed-address 10.1.0.5; }\n";
        let f = file(SourceKind::Dhcpd, text);
        let facts = parse(&f);
        assert_eq!(facts.diagnostics.len(), 1);
        let d = &facts.diagnostics[0];
        assert_eq!(d.rule, "parse-error");
        assert_eq!(d.span.start as usize, text.find('{').unwrap());
        assert_eq!(facts.devices.len(), 1);
        assert_eq!(facts.devices[0].links[0].network, 0);
    }

    #[test]
    fn stray_brace_and_missing_semicolon_are_reported() {
        let text = "}\nhost a {\n hardware ethernet 00:11:22:33:44:55\n}\nhost b { fixed-address 10.0.0.2; }\n\"open";
        let f = file(SourceKind::Dhcpd, text);
        let facts = parse(&f);
        assert_eq!(facts.diagnostics.len(), 4, "{:?}", facts.diagnostics);
        assert_eq!(facts.devices.len(), 2);
        assert_eq!(facts.devices[0].facts_of(Signal::Mac).count(), 1);
    }

    #[test]
    fn deep_nesting_is_capped() {
        let text = format!("{}{}", "group {".repeat(10_000), "}".repeat(10_000));
        let facts = parse(&file(SourceKind::Dhcpd, &text));
        assert_eq!(facts.diagnostics.len(), 1);
        let _ = parse(&file(SourceKind::Dhcpd, &"{".repeat(10_000)));
    }
}
