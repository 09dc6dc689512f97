//! Kea DHCP JSON (`Dhcp4` / `Dhcp6`) and NetBox JSON exports.
//!
//! Both are JSON, read with `jsonc_parser` for byte ranges and `//` / `/* */`
//! comments. Kea also accepts `#` comments and `<?include … ?>` directives,
//! which JSON parsers reject: they are blanked to spaces first, so every
//! offset still points into the file as written. Includes are not followed.
//! A JSON syntax error stops the parser, so it is one `parse-error` at the
//! place it was found and nothing else from that file.
//!
//! Kea subnets (also inside `shared-networks`, named after their shared
//! network) become networks whose `user-context` and `comment` are labels;
//! reservations become devices linked to their subnet. NetBox exports
//! (a list, or an API page with `results`) give devices, prefixes and
//! VLANs, with nested objects (`device_type.manufacturer.name`) read down
//! to the value they display.

use jsonc_parser::ast::{Array, Object, ObjectProp, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use crate::model::{
    Device, Diagnostic, Facts, Label, Link, Network, NetworkKind, Signal, SourceFile,
};
use crate::sources::fields;

/// How deep a `user-context` or custom-field object is read.
const MAX_CONTEXT_DEPTH: usize = 4;

/// The text with Kea's `#` comments and `<?include ?>` directives replaced
/// by spaces (strings and `//` / `/* */` comments left alone).
fn blank_kea_extensions(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0usize;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in out.iter_mut().take(to).skip(from) {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    while let Some(&c) = bytes.get(i) {
        match c {
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    i += if c == b'\\' { 2 } else { 1 };
                    if c == b'"' || c == b'\n' {
                        break;
                    }
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', bytes.get(i..).unwrap_or(&[]))
                    .map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(bytes.get(i + 2..).unwrap_or(&[]), b"*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
            }
            b'#' => {
                let end = memchr::memchr(b'\n', bytes.get(i..).unwrap_or(&[]))
                    .map_or(bytes.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
            }
            b'<' if bytes.get(i + 1) == Some(&b'?') => {
                let end = memchr::memmem::find(bytes.get(i..).unwrap_or(&[]), b"?>")
                    .map_or(bytes.len(), |n| i + n + 2);
                blank(&mut out, i, end);
                i = end;
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced, and whole characters at that (a
    // comment runs to the line end), so this cannot fail; fall back to the
    // original text rather than panic.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Parses JSON text (after blanking) into an AST, or reports where it broke.
fn parse_json<'a>(file: &SourceFile, text: &'a str, facts: &mut Facts) -> Option<Value<'a>> {
    match parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default()) {
        Ok(r) => r.value,
        Err(e) => {
            let r = e.range();
            facts.diagnostics.push(Diagnostic::parse_error(
                file.span(r.start, r.end),
                format!("invalid JSON: {}", e.kind()),
            ));
            None
        }
    }
}

fn str_of<'v>(v: &'v Value<'_>) -> Option<&'v str> {
    v.as_string_lit().map(|s| s.value.as_ref())
}

/// A scalar's text (strings, numbers, booleans).
fn scalar(v: &Value<'_>) -> Option<String> {
    match v {
        Value::StringLit(s) => Some(s.value.to_string()),
        Value::NumberLit(n) => Some(n.value.to_string()),
        Value::BooleanLit(b) => Some(b.value.to_string()),
        _ => None,
    }
}

fn prop<'o, 'a>(o: &'o Object<'a>, name: &str) -> Option<&'o ObjectProp<'a>> {
    o.properties.iter().find(|p| p.name.as_str() == name)
}

pub(super) fn parse(file: &SourceFile) -> Facts {
    let mut facts = Facts::default();
    let text = blank_kea_extensions(&file.text);
    let Some(root) = parse_json(file, &text, &mut facts) else {
        return facts;
    };
    let Some(root) = root.as_object() else {
        facts.diagnostics.push(Diagnostic::parse_error(
            file.whole(),
            "a Kea config is a JSON object",
        ));
        return facts;
    };
    for server in ["Dhcp4", "Dhcp6"] {
        let Some(dhcp) = root.get_object(server) else {
            continue;
        };
        let mut k = Kea {
            file,
            facts: &mut facts,
        };
        for list in ["subnet4", "subnet6"] {
            if let Some(subnets) = dhcp.get_array(list) {
                k.subnets(subnets, None);
            }
        }
        if let Some(shared) = dhcp.get_array("shared-networks") {
            for sn in shared.elements.iter().filter_map(Value::as_object) {
                let name =
                    prop(sn, "name").and_then(|p| str_of(&p.value).map(|n| (n, p.value.range())));
                let labels = k.labels(sn);
                let ctx = Shared { name, labels };
                for list in ["subnet4", "subnet6"] {
                    if let Some(subnets) = sn.get_array(list) {
                        k.subnets(subnets, Some(&ctx));
                    }
                }
            }
        }
        // Global reservations: joined to subnets later by address.
        if let Some(res) = dhcp.get_array("reservations") {
            for r in res.elements.iter().filter_map(Value::as_object) {
                let dev = k.reservation(r);
                k.facts.devices.push(dev);
            }
        }
    }
    facts
}

struct Shared<'s> {
    name: Option<(&'s str, jsonc_parser::common::Range)>,
    labels: Vec<Label>,
}

struct Kea<'f> {
    file: &'f SourceFile,
    facts: &'f mut Facts,
}

impl Kea<'_> {
    /// `user-context` entries and `comment` as labels.
    fn labels(&self, o: &Object<'_>) -> Vec<Label> {
        let mut out = Vec::new();
        if let Some(c) = prop(o, "comment")
            && let Some(v) = scalar(&c.value)
        {
            let r = c.value.range();
            out.push(Label {
                key: Some("comment".into()),
                value: v,
                span: self.file.span(r.start, r.end),
            });
        }
        if let Some(uc) = o.get_object("user-context") {
            self.context_labels(uc, "", &mut out, 0);
        }
        out
    }

    fn context_labels(&self, o: &Object<'_>, prefix: &str, out: &mut Vec<Label>, depth: usize) {
        for p in &o.properties {
            let key = if prefix.is_empty() {
                p.name.as_str().to_string()
            } else {
                format!("{prefix}.{}", p.name.as_str())
            };
            let r = p.value.range();
            let span = self.file.span(r.start, r.end);
            match &p.value {
                Value::Object(inner) if depth < MAX_CONTEXT_DEPTH => {
                    self.context_labels(inner, &key, out, depth + 1)
                }
                Value::Array(a) => {
                    for e in &a.elements {
                        if let Some(v) = scalar(e) {
                            let r = e.range();
                            out.push(Label {
                                key: Some(key.clone()),
                                value: v,
                                span: self.file.span(r.start, r.end),
                            });
                        }
                    }
                }
                v => {
                    if let Some(v) = scalar(v) {
                        out.push(Label {
                            key: Some(key),
                            value: v,
                            span,
                        });
                    }
                }
            }
        }
    }

    fn subnets(&mut self, list: &Array<'_>, shared: Option<&Shared<'_>>) {
        for s in list.elements.iter().filter_map(Value::as_object) {
            let r = s.range;
            let span = self.file.span(r.start, r.end);
            let subnet =
                prop(s, "subnet").and_then(|p| str_of(&p.value).map(|v| (v, p.value.range())));
            let own = match (subnet, prop(s, "id").and_then(|p| scalar(&p.value))) {
                (Some((v, _)), _) => v.to_string(),
                (None, Some(id)) => format!("subnet id {id}"),
                (None, None) => "subnet".to_string(),
            };
            let (name, name_range) = match shared.and_then(|sh| sh.name) {
                Some((n, nr)) => (n.to_string(), Some(nr)),
                None => (own, subnet.map(|s| s.1)),
            };
            let mut net = Network::new(name, NetworkKind::Subnet, span);
            net.name_span = name_range.map(|r| self.file.span(r.start, r.end));
            if let Some((v, vr)) = subnet
                && let Some(c) = crate::model::parse_cidr(v)
            {
                net.cidrs.push((c, self.file.span(vr.start, vr.end)));
            }
            net.labels = self.labels(s);
            if let Some(sh) = shared {
                net.labels.extend(sh.labels.iter().cloned());
            }
            let via = format!(
                "reservation in subnet {}",
                subnet.map_or(net.name.as_str(), |s| s.0)
            );
            let idx = self.facts.add_network(net);
            if let Some(res) = s.get_array("reservations") {
                for r in res.elements.iter().filter_map(Value::as_object) {
                    let mut dev = self.reservation(r);
                    dev.links.push(Link {
                        network: idx,
                        span: dev.span,
                        via: via.clone(),
                    });
                    self.facts.devices.push(dev);
                }
            }
        }
    }

    fn reservation(&self, r: &Object<'_>) -> Device {
        let span = self.file.span(r.range.start, r.range.end);
        let mut dev = Device::new(String::new(), span);
        for p in &r.properties {
            let key = p.name.as_str();
            let vr = p.value.range();
            let vspan = self.file.span(vr.start, vr.end);
            match key {
                "hw-address" => dev.fact(
                    Signal::Mac,
                    scalar(&p.value).unwrap_or_default(),
                    vspan,
                    key.to_owned(),
                ),
                "client-id" => {
                    let v = scalar(&p.value).unwrap_or_default();
                    let signal = if crate::model::parse_mac(&v).is_some() {
                        Signal::Mac
                    } else {
                        Signal::ConfigValue
                    };
                    dev.fact(signal, v, vspan, key.to_owned());
                }
                "duid" | "circuit-id" | "flex-id" => dev.fact(
                    Signal::ConfigValue,
                    scalar(&p.value).unwrap_or_default(),
                    vspan,
                    key.to_owned(),
                ),
                "ip-address" => dev.fact(
                    Signal::Address,
                    scalar(&p.value).unwrap_or_default(),
                    vspan,
                    key.to_owned(),
                ),
                "ip-addresses" => {
                    for e in p
                        .value
                        .as_array()
                        .map_or(&[][..], |a| a.elements.as_slice())
                    {
                        let er = e.range();
                        dev.fact(
                            Signal::Address,
                            scalar(e).unwrap_or_default(),
                            self.file.span(er.start, er.end),
                            key.to_owned(),
                        );
                    }
                }
                "hostname" => dev.fact(
                    Signal::Name,
                    scalar(&p.value).unwrap_or_default(),
                    vspan,
                    key.to_owned(),
                ),
                "comment" => dev.fact(
                    Signal::Description,
                    scalar(&p.value).unwrap_or_default(),
                    vspan,
                    key.to_owned(),
                ),
                "user-context" => {
                    if let Some(o) = p.value.as_object() {
                        self.context_facts(&mut dev, o, 0);
                    }
                }
                _ => {}
            }
        }
        let name = [Signal::Name, Signal::Mac, Signal::Address]
            .into_iter()
            .find_map(|s| dev.facts_of(s).next().map(|f| f.value.clone()));
        dev.name = name.unwrap_or_else(|| "reservation".to_string());
        dev
    }

    /// A reservation's `user-context`: known field names carry their
    /// signal (`vendor`, `model`), anything else is free text.
    fn context_facts(&self, dev: &mut Device, o: &Object<'_>, depth: usize) {
        for p in &o.properties {
            let key = p.name.as_str();
            let r = p.value.range();
            match &p.value {
                Value::Object(inner) if depth < MAX_CONTEXT_DEPTH => {
                    self.context_facts(dev, inner, depth + 1)
                }
                v => {
                    if let Some(val) = scalar(v) {
                        let signal = fields::device_signal(key).unwrap_or(Signal::Description);
                        dev.fact(
                            signal,
                            val,
                            self.file.span(r.start, r.end),
                            format!("user-context.{key}"),
                        );
                    }
                }
            }
        }
    }
}

/// The text a NetBox value displays: a string, or a nested object's
/// `name` / `display` / `model` / `address`.
fn display<'v>(v: &'v Value<'_>, depth: usize) -> Option<(String, &'v Value<'v>)> {
    match v {
        Value::Object(o) if depth < MAX_CONTEXT_DEPTH => [
            "address", "model", "name", "display", "value", "label", "prefix",
        ]
        .iter()
        .find_map(|k| prop(o, k).and_then(|p| display(&p.value, depth + 1))),
        v => scalar(v).map(|s| (s, v)),
    }
}

pub(super) fn parse_netbox_json(file: &SourceFile) -> Facts {
    let mut facts = Facts::default();
    let Some(root) = parse_json(file, &file.text, &mut facts) else {
        return facts;
    };
    let items: &[Value<'_>] = match &root {
        Value::Array(a) => &a.elements,
        Value::Object(o) => o
            .get_array("results")
            .map_or(&[], |a| a.elements.as_slice()),
        _ => &[],
    };
    for item in items.iter().filter_map(Value::as_object) {
        netbox_item(file, &mut facts, item);
    }
    facts
}

fn netbox_item(file: &SourceFile, facts: &mut Facts, item: &Object<'_>) {
    let span_of = |v: &Value<'_>| {
        let r = v.range();
        file.span(r.start, r.end)
    };
    let tags = |net_labels: &mut Vec<Label>, dev: Option<&mut Device>| {
        let mut labels = Vec::new();
        if let Some(t) = item.get_array("tags") {
            for e in &t.elements {
                if let Some((v, at)) = display(e, 0) {
                    labels.push(Label {
                        key: None,
                        value: v,
                        span: span_of(at),
                    });
                }
            }
        }
        match dev {
            Some(d) => {
                for l in labels {
                    d.fact(Signal::Tag, l.value, l.span, "tags");
                }
            }
            None => net_labels.extend(labels),
        }
    };
    let span = file.span(item.range.start, item.range.end);
    if let Some(p) = prop(item, "prefix").or_else(|| prop(item, "vid")) {
        let is_prefix = p.name.as_str() == "prefix";
        let Some((v, at)) = display(&p.value, 0) else {
            return;
        };
        let name = if is_prefix {
            v.clone()
        } else {
            prop(item, "name")
                .and_then(|n| display(&n.value, 0))
                .map_or_else(|| format!("VLAN {v}"), |n| n.0)
        };
        let kind = if is_prefix {
            NetworkKind::Prefix
        } else {
            NetworkKind::Vlan
        };
        let mut net = Network::new(name, kind, span);
        net.name_span = Some(span_of(at));
        if is_prefix {
            if let Some(c) = crate::model::parse_cidr(&v) {
                net.cidrs.push((c, span_of(at)));
            }
        } else if let Ok(id) = v.parse::<u16>() {
            net.vlan = Some((id, span_of(at)));
        }
        for key in ["status", "role", "description", "tenant"] {
            if let Some((lv, lat)) = prop(item, key).and_then(|p| display(&p.value, 0)) {
                net.labels.push(Label {
                    key: Some(key.into()),
                    value: lv,
                    span: span_of(lat),
                });
            }
        }
        if let Some(cf) = item.get_object("custom_fields") {
            for p in &cf.properties {
                if let Some((lv, lat)) = display(&p.value, 0) {
                    net.labels.push(Label {
                        key: Some(p.name.as_str().to_string()),
                        value: lv,
                        span: span_of(lat),
                    });
                }
            }
        }
        tags(&mut net.labels, None);
        facts.add_network(net);
        return;
    }
    let mut dev = Device::new(String::new(), span);
    for p in &item.properties {
        let key = p.name.as_str();
        match key {
            "device_type" => {
                if let Some(o) = p.value.as_object() {
                    if let Some((v, at)) = prop(o, "model").and_then(|m| display(&m.value, 0)) {
                        dev.fact(Signal::Model, v, span_of(at), "device_type.model");
                    }
                    if let Some((v, at)) =
                        prop(o, "manufacturer").and_then(|m| display(&m.value, 0))
                    {
                        dev.fact(
                            Signal::Manufacturer,
                            v,
                            span_of(at),
                            "device_type.manufacturer",
                        );
                    }
                } else if let Some((v, at)) = display(&p.value, 0) {
                    dev.fact(Signal::Model, v, span_of(at), key.to_owned());
                }
            }
            "custom_fields" => {
                for cf in p
                    .value
                    .as_object()
                    .map_or(&[][..], |o| o.properties.as_slice())
                {
                    if let (Some(sig), Some((v, at))) = (
                        fields::device_signal(cf.name.as_str()),
                        display(&cf.value, 0),
                    ) {
                        dev.fact(
                            sig,
                            v,
                            span_of(at),
                            format!("custom_fields.{}", cf.name.as_str()),
                        );
                    }
                }
            }
            "primary_ip" | "primary_ip4" | "primary_ip6" | "oob_ip" => {
                if let Some((v, at)) = display(&p.value, 0) {
                    dev.fact(Signal::Address, v, span_of(at), key.to_owned());
                }
            }
            _ => {
                if let (Some(sig), Some((v, at))) =
                    (super::csv::column_signal(key), display(&p.value, 0))
                {
                    dev.fact(sig, v, span_of(at), key.to_owned());
                }
            }
        }
    }
    tags(&mut Vec::new(), Some(&mut dev));
    if dev.facts.is_empty() {
        return;
    }
    let name = dev.facts_of(Signal::Name).next().map(|f| f.value.clone());
    dev.name = name.unwrap_or_else(|| "device".to_string());
    dev.candidate = !dev
        .facts
        .iter()
        .any(|f| matches!(f.signal, Signal::Manufacturer | Signal::Model | Signal::Mac));
    facts.devices.push(dev);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;
    use crate::sources::netconf::test_support::file;

    const KEA: &str = r#"// Kea DHCPv4
<?include "/etc/kea/extra.json"?>
{
  # hash comments are Kea's own
  "Dhcp4": {
    /* block comment with a "quote" and # inside */
    "subnet4": [
      {
        "id": 1,
        "subnet": "10.0.110.0/24", # trailing hash comment
        "user-context": { "sensitivity": "high", "site": { "zone": "ops" }, "tags": ["cctv"] },
        "reservations": [
          { "hw-address": "44:19:b6:01:02:03", "ip-address": "10.0.110.20", "hostname": "lobby-cam",
            "user-context": { "vendor": "Hikvision", "notes": "lobby # not a comment" } }
        ]
      }
    ],
    "shared-networks": [
      { "name": "SITE-SECURE", "user-context": { "classification": "secret" },
        "subnet4": [ { "id": 2, "subnet": "10.0.0.0/24", "reservations": [ { "client-id": "01:00:40:8c:00:00:01" } ] } ] }
    ],
    "reservations": [ { "hw-address": "00:11:22:33:44:55", "ip-address": "10.9.9.9" } ]
  }
}
"#;

    #[test]
    fn subnets_reservations_and_comments() {
        let f = file(SourceKind::Kea, KEA);
        let facts = parse(&f);
        assert!(facts.diagnostics.is_empty(), "{:?}", facts.diagnostics);
        assert_eq!(facts.networks.len(), 2);
        let ops = &facts.networks[0];
        assert_eq!(ops.name, "10.0.110.0/24");
        assert_eq!(f.slice(ops.cidrs[0].1), "\"10.0.110.0/24\"");
        let l = ops
            .labels
            .iter()
            .find(|l| l.key.as_deref() == Some("sensitivity"))
            .unwrap();
        assert_eq!(l.value, "high");
        assert_eq!(f.slice(l.span), "\"high\"");
        assert!(
            ops.labels
                .iter()
                .any(|l| l.key.as_deref() == Some("site.zone") && l.value == "ops")
        );
        assert!(
            ops.labels
                .iter()
                .any(|l| l.key.as_deref() == Some("tags") && l.value == "cctv")
        );
        let shared = &facts.networks[1];
        assert_eq!(shared.name, "SITE-SECURE");
        assert_eq!(f.slice(shared.name_span.unwrap()), "\"SITE-SECURE\"");
        assert!(shared.labels.iter().any(|l| l.value == "secret"));

        assert_eq!(facts.devices.len(), 3);
        let cam = &facts.devices[0];
        assert_eq!(cam.name, "lobby-cam");
        assert!(f.slice(cam.span).starts_with("{ \"hw-address\""));
        assert_eq!(cam.links[0].network, 0);
        assert_eq!(
            cam.facts_of(Signal::Manufacturer).next().unwrap().value,
            "Hikvision"
        );
        assert_eq!(
            cam.facts_of(Signal::Description).next().unwrap().value,
            "lobby # not a comment"
        );
        let second = &facts.devices[1];
        assert_eq!(
            second.facts_of(Signal::Mac).next().unwrap().value,
            "01:00:40:8c:00:00:01"
        );
        assert_eq!(second.links[0].network, 1);
        assert!(facts.devices[2].links.is_empty());
    }

    #[test]
    fn broken_json_is_one_parse_error() {
        let text = "{ \"Dhcp4\": { \"subnet4\": [ { \"subnet\": \"10.0.0.0/24\" ] } }";
        let f = file(SourceKind::Kea, text);
        let facts = parse(&f);
        assert_eq!(facts.diagnostics.len(), 1);
        assert_eq!(facts.diagnostics[0].rule, "parse-error");
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse(&file(SourceKind::Kea, &deep)).diagnostics.len(), 1);
    }

    #[test]
    fn netbox_json_devices_and_prefixes() {
        let text = r#"{"count": 3, "results": [
 {"name": "cam-01", "device_type": {"model": "DS-2CD2143G2-I", "manufacturer": {"name": "Hikvision"}},
  "role": {"name": "Camera"}, "primary_ip4": {"address": "10.0.110.5/24"}, "tags": [{"name": "cctv"}]},
 {"prefix": "10.0.110.0/24", "status": {"value": "active"}, "tags": [{"name": "secure"}], "vlan": {"vid": 110}},
 {"vid": 110, "name": "SECURE-OPS"}
]}"#;
        let f = file(SourceKind::NetboxJson, text);
        let facts = parse_netbox_json(&f);
        assert!(facts.diagnostics.is_empty());
        let d = &facts.devices[0];
        assert_eq!(d.name, "cam-01");
        assert!(!d.candidate);
        assert_eq!(
            d.facts_of(Signal::Model).next().unwrap().value,
            "DS-2CD2143G2-I"
        );
        assert_eq!(
            f.slice(d.facts_of(Signal::Manufacturer).next().unwrap().span),
            "\"Hikvision\""
        );
        assert_eq!(d.facts_of(Signal::Role).next().unwrap().value, "Camera");
        assert_eq!(
            d.facts_of(Signal::Address).next().unwrap().value,
            "10.0.110.5/24"
        );
        assert_eq!(d.facts_of(Signal::Tag).next().unwrap().value, "cctv");
        assert_eq!(facts.networks[0].kind, NetworkKind::Prefix);
        assert!(
            facts.networks[0]
                .labels
                .iter()
                .any(|l| l.key.is_none() && l.value == "secure")
        );
        assert_eq!(facts.networks[1].name, "SECURE-OPS");
        assert_eq!(facts.networks[1].vlan.unwrap().0, 110);
    }
}
