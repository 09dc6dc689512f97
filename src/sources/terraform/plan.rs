//! `terraform show -json` output, for plans and for state (format 1.x).
//!
//! A plan has the values Terraform resolved: variables from wherever they
//! came from, remote modules, data sources read during planning. Resources
//! are read from `planned_values` (plans) or `values` (state), root module
//! and child modules alike, with their full instance addresses; attributes
//! `resource_changes` lists under `after_unknown` are unknown until apply.
//! References between resources (a device's `device_type_id`) are followed
//! by id where ids are known (state), else through `configuration`'s
//! `expressions.references`, across module calls. Every value keeps the
//! byte range of its JSON text, so findings point at the plan's lines; the
//! same address in the scanned HCL is joined in `mod.rs`.

use std::collections::{BTreeMap, HashMap, HashSet};

use jsonc_parser::ast::{Object, ObjectPropName, Value as Json};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::build::{Read, View};
use super::hcl;
use super::schema::{self, Role, Use};
use crate::model::{Diagnostic, SourceFile, Span};

/// A JSON value with where it is written.
#[derive(Debug, Clone)]
enum J {
    Null,
    Scalar(String, Span),
    Arr(Vec<J>, Span),
    Obj(Vec<(String, J)>, Span),
}

impl J {
    fn span(&self) -> Option<Span> {
        match self {
            J::Null => None,
            J::Scalar(_, s) | J::Arr(_, s) | J::Obj(_, s) => Some(*s),
        }
    }

    fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(props, _) => props.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            J::Scalar(s, _) => Some(s),
            _ => None,
        }
    }

    fn items(&self) -> &[J] {
        match self {
            J::Arr(items, _) => items,
            _ => &[],
        }
    }
}

fn name_of<'x>(n: &'x ObjectPropName<'_>) -> &'x str {
    match n {
        ObjectPropName::String(s) => &s.value,
        ObjectPropName::Word(w) => w.value,
    }
}

fn convert(file: &SourceFile, v: &Json<'_>, depth: u32) -> J {
    let r = v.range();
    let span = file.span(r.start, r.end);
    if depth > 64 {
        return J::Null;
    }
    match v {
        Json::NullKeyword(_) => J::Null,
        Json::StringLit(s) => J::Scalar(s.value.to_string(), span),
        Json::NumberLit(n) => J::Scalar(
            n.value
                .parse::<f64>()
                .map(hcl::format_number)
                .unwrap_or_else(|_| n.value.to_string()),
            span,
        ),
        Json::BooleanLit(b) => J::Scalar(b.value.to_string(), span),
        Json::Array(a) => J::Arr(
            a.elements
                .iter()
                .map(|e| convert(file, e, depth + 1))
                .collect(),
            span,
        ),
        Json::Object(o) => J::Obj(object(file, o, depth), span),
    }
}

fn object(file: &SourceFile, o: &Object<'_>, depth: u32) -> Vec<(String, J)> {
    o.properties
        .iter()
        .map(|p| {
            (
                name_of(&p.name).to_string(),
                convert(file, &p.value, depth + 1),
            )
        })
        .collect()
}

struct PlanRes {
    address: String,
    /// The module instance it is in (`module.site["north"]`), empty at root.
    module: String,
    data: bool,
    ty: String,
    /// `ty.name` or `data.ty.name`, without module or key.
    base: String,
    span: Span,
    values: BTreeMap<String, J>,
    unknown: HashSet<String>,
}

/// References of one module's configuration: per resource, per attribute;
/// per module call, per argument.
#[derive(Default)]
struct ConfigModule {
    resources: HashMap<String, HashMap<String, Vec<String>>>,
    calls: HashMap<String, HashMap<String, Vec<String>>>,
}

/// One plan or state file.
pub struct Plan {
    res: Vec<PlanRes>,
    by_address: HashMap<String, usize>,
    by_base: HashMap<String, Vec<usize>>,
    by_id: HashMap<String, Vec<usize>>,
    /// Keyed by module path without instance keys (`module.site`).
    config: HashMap<String, ConfigModule>,
}

/// Reads a plan or state file; a file that is not valid JSON is a
/// `parse-error`.
pub fn read(file: &SourceFile) -> (Plan, Vec<Diagnostic>) {
    let mut plan = Plan {
        res: Vec::new(),
        by_address: HashMap::new(),
        by_base: HashMap::new(),
        by_id: HashMap::new(),
        config: HashMap::new(),
    };
    if let Some(at) = hcl::too_deep(&file.text) {
        let d = Diagnostic::parse_error(file.span(at, at + 1), "JSON is nested too deeply");
        return (plan, vec![d]);
    }
    let parsed = match parse_to_ast(
        &file.text,
        &CollectOptions::default(),
        &ParseOptions::default(),
    ) {
        Ok(p) => p,
        Err(e) => {
            let r = e.range();
            let d = Diagnostic::parse_error(
                file.span(r.start, r.end),
                format!("invalid JSON: {}", e.kind()),
            );
            return (plan, vec![d]);
        }
    };
    let Some(root) = parsed.value.as_ref().map(|v| convert(file, v, 0)) else {
        return (plan, Vec::new());
    };
    let values = root.get("planned_values").or_else(|| root.get("values"));
    if let Some(m) = values.and_then(|v| v.get("root_module")) {
        plan.module(m, "", 0);
    }
    for rc in root.get("resource_changes").map(J::items).unwrap_or(&[]) {
        let (Some(addr), Some(change)) = (rc.get("address").and_then(J::text), rc.get("change"))
        else {
            continue;
        };
        let Some(&i) = plan.by_address.get(addr) else {
            continue;
        };
        if let (Some(J::Obj(props, _)), Some(r)) =
            (change.get("after_unknown"), plan.res.get_mut(i))
        {
            for (k, v) in props {
                if v.text() == Some("true") {
                    r.unknown.insert(k.clone());
                }
            }
        }
    }
    if let Some(c) = root.get("configuration").and_then(|c| c.get("root_module")) {
        plan.config_module(c, String::new(), 0);
    }
    for (i, r) in plan.res.iter().enumerate() {
        plan.by_address.insert(r.address.clone(), i);
        plan.by_base
            .entry(format!("{}{}", prefix(&r.module), r.base))
            .or_default()
            .push(i);
        if let Some(id) = r.values.get("id").and_then(J::text) {
            plan.by_id.entry(id.to_string()).or_default().push(i);
        }
    }
    (plan, Vec::new())
}

fn prefix(module: &str) -> String {
    if module.is_empty() {
        String::new()
    } else {
        format!("{module}.")
    }
}

/// `module.site["north"].module.camera` → `module.site.module.camera`.
pub fn without_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0u32;
    let mut in_string = false;
    let mut escaped = false;
    for c in address.chars() {
        if depth > 0 {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '[' if !in_string => depth += 1,
                ']' if !in_string => depth -= 1,
                _ => {}
            }
            continue;
        }
        if c == '[' {
            depth = 1;
        } else {
            out.push(c);
        }
    }
    out
}

impl Plan {
    fn module(&mut self, m: &J, module: &str, depth: u32) {
        if depth > 32 {
            return;
        }
        for r in m.get("resources").map(J::items).unwrap_or(&[]) {
            let (Some(address), Some(ty), Some(name), Some(span)) = (
                r.get("address").and_then(J::text),
                r.get("type").and_then(J::text),
                r.get("name").and_then(J::text),
                r.span(),
            ) else {
                continue;
            };
            let data = r.get("mode").and_then(J::text) == Some("data");
            let values = match r.get("values") {
                Some(J::Obj(props, _)) => props.iter().cloned().collect(),
                _ => BTreeMap::new(),
            };
            self.by_address.insert(address.to_string(), self.res.len());
            self.res.push(PlanRes {
                address: address.to_string(),
                module: module.to_string(),
                data,
                ty: ty.to_string(),
                base: if data {
                    format!("data.{ty}.{name}")
                } else {
                    format!("{ty}.{name}")
                },
                span,
                values,
                unknown: HashSet::new(),
            });
        }
        for c in m.get("child_modules").map(J::items).unwrap_or(&[]) {
            if let Some(addr) = c.get("address").and_then(J::text) {
                self.module(c, addr, depth + 1);
            }
        }
    }

    fn config_module(&mut self, m: &J, path: String, depth: u32) {
        if depth > 32 {
            return;
        }
        let mut cm = ConfigModule::default();
        for r in m.get("resources").map(J::items).unwrap_or(&[]) {
            let Some(addr) = r.get("address").and_then(J::text) else {
                continue;
            };
            cm.resources
                .insert(addr.to_string(), references(r.get("expressions")));
        }
        if let Some(J::Obj(calls, _)) = m.get("module_calls") {
            for (name, call) in calls {
                cm.calls
                    .insert(name.clone(), references(call.get("expressions")));
                if let Some(inner) = call.get("module") {
                    let child = format!("{}module.{name}", prefix(&path));
                    self.config_module(inner, child, depth + 1);
                }
            }
        }
        self.config.insert(path, cm);
    }

    /// References written in an attribute of resource `i`, each with the
    /// module instance it is to be read in.
    fn config_refs(
        &self,
        module: &str,
        base_or_var: Lookup<'_>,
        depth: u32,
    ) -> Vec<(String, String)> {
        if depth > 16 {
            return Vec::new();
        }
        let path = without_keys(module);
        let Some(cm) = self.config.get(&path) else {
            return Vec::new();
        };
        let refs = match base_or_var {
            Lookup::Attr(base, attr) => cm.resources.get(base).and_then(|r| r.get(attr)),
            Lookup::Arg(call, arg) => cm.calls.get(call).and_then(|c| c.get(arg)),
        };
        let mut out = Vec::new();
        for r in refs.into_iter().flatten() {
            if let Some(var) = r.strip_prefix("var.") {
                // A module variable: what the call in the parent passed.
                let var = var.split(['.', '[']).next().unwrap_or(var);
                if let Some((parent, call)) = split_module(module) {
                    out.extend(self.config_refs(&parent, Lookup::Arg(&call, var), depth + 1));
                }
            } else {
                out.push((module.to_string(), r.clone()));
            }
        }
        out
    }

    fn referent_of(&self, i: usize, attr: &str) -> Option<usize> {
        let r = self.res.get(i)?;
        let role = schema::schema(&r.ty).and_then(|s| {
            s.attrs.iter().find_map(|(a, u)| match u {
                Use::Ref(role) if *a == attr => Some(*role),
                _ => None,
            })
        });
        let fits = |c: usize| {
            c != i
                && match (role, self.res.get(c).and_then(|t| schema::schema(&t.ty))) {
                    (Some(Role::Network(_)), Some(s)) => matches!(s.role, Role::Network(_)),
                    (Some(want), Some(s)) => s.role == want,
                    (None, _) => true,
                    (Some(_), None) => false,
                }
        };
        // State: ids are known, and the attribute holds the target's id.
        if let Some(id) = r.values.get(attr).and_then(J::text)
            && let Some(c) = self
                .by_id
                .get(id)
                .into_iter()
                .flatten()
                .copied()
                .find(|&c| fits(c))
        {
            return Some(c);
        }
        // Plan: the configuration says what the attribute refers to.
        for (module, reference) in self.config_refs(&r.module, Lookup::Attr(&r.base, attr), 0) {
            let (base, key) = split_reference(&reference);
            let full = format!("{}{base}", prefix(&module));
            if let Some(key) = key
                && let Some(&c) = self.by_address.get(&format!("{full}{key}"))
                && fits(c)
            {
                return Some(c);
            }
            let Some(cands) = self.by_base.get(&full) else {
                continue;
            };
            // Same instance key as the referring resource, else the only one.
            let own_key = r
                .address
                .strip_prefix(&format!("{}{}", prefix(&r.module), r.base));
            let same = cands.iter().copied().find(|&c| {
                self.res.get(c).and_then(|t| {
                    t.address
                        .strip_prefix(&format!("{}{}", prefix(&t.module), t.base))
                }) == own_key
            });
            if let Some(c) = same.filter(|&c| fits(c)) {
                return Some(c);
            }
            if let [c] = cands.as_slice()
                && fits(*c)
            {
                return Some(*c);
            }
        }
        None
    }
}

enum Lookup<'x> {
    Attr(&'x str, &'x str),
    Arg(&'x str, &'x str),
}

/// `module.a["x"].module.b` → (`module.a["x"]`, `b`).
fn split_module(module: &str) -> Option<(String, String)> {
    let at = module.rfind("module.")?;
    let last = module.get(at + "module.".len()..)?;
    let name = last.split('[').next().unwrap_or(last).to_string();
    let parent = module.get(..at)?.trim_end_matches('.').to_string();
    Some((parent, name))
}

/// `netbox_device_type.t["x"].id` → (`netbox_device_type.t`, `["x"]`).
fn split_reference(r: &str) -> (String, Option<String>) {
    let parts = if r.starts_with("data.") { 3 } else { 2 };
    let mut base = String::new();
    let mut rest = r;
    for n in 0..parts {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        if n > 0 {
            base.push('.');
        }
        base.push_str(rest.get(..end).unwrap_or(""));
        rest = rest.get(end..).unwrap_or("");
        if n + 1 < parts {
            rest = rest.strip_prefix('.').unwrap_or(rest);
        }
    }
    let key = rest
        .starts_with('[')
        .then(|| rest.find(']').and_then(|e| rest.get(..=e)))
        .flatten()
        .map(String::from);
    (base, key)
}

fn references(expressions: Option<&J>) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    if let Some(J::Obj(props, _)) = expressions {
        for (attr, e) in props {
            let refs: Vec<String> = e
                .get("references")
                .map(J::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(|r| r.text().map(String::from))
                .collect();
            if !refs.is_empty() {
                out.insert(attr.clone(), refs);
            }
        }
    }
    out
}

impl View for Plan {
    fn count(&self) -> usize {
        self.res.len()
    }

    fn ty(&self, i: usize) -> &str {
        self.res.get(i).map(|r| r.ty.as_str()).unwrap_or("")
    }

    fn is_data(&self, i: usize) -> bool {
        self.res.get(i).is_some_and(|r| r.data)
    }

    fn address(&self, i: usize) -> &str {
        self.res.get(i).map(|r| r.address.as_str()).unwrap_or("")
    }

    fn decl(&self, i: usize) -> Span {
        self.res.get(i).map(|r| r.span).unwrap_or_default()
    }

    fn trail(&self, _: usize) -> Vec<(Span, String)> {
        Vec::new()
    }

    fn doubts(&self, _: usize) -> Vec<(Span, String)> {
        Vec::new()
    }

    fn attr_names(&self, i: usize) -> Vec<String> {
        self.res
            .get(i)
            .map(|r| r.values.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn block_names(&self, _: usize) -> Vec<String> {
        Vec::new()
    }

    fn text(&self, i: usize, attr: &str) -> Read {
        let Some(r) = self.res.get(i) else {
            return Read::Absent;
        };
        match r.values.get(attr) {
            Some(J::Scalar(s, span)) => Read::Known(s.clone(), *span),
            Some(J::Null) | None if r.unknown.contains(attr) => Read::Unknown(
                r.span,
                format!(
                    "{}.{attr} is known only after apply (in the plan)",
                    r.address
                ),
            ),
            _ => Read::Absent,
        }
    }

    fn strings(&self, i: usize, attr: &str) -> Vec<(String, Span)> {
        match self.res.get(i).and_then(|r| r.values.get(attr)) {
            Some(J::Scalar(s, span)) => vec![(s.clone(), *span)],
            Some(J::Arr(items, _)) => items
                .iter()
                .filter_map(|v| match v {
                    J::Scalar(s, span) => Some((s.clone(), *span)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn tags(&self, i: usize, attr: &str) -> Vec<(Option<String>, String, Span)> {
        match self.res.get(i).and_then(|r| r.values.get(attr)) {
            Some(J::Scalar(s, span)) => vec![(None, s.clone(), *span)],
            Some(J::Arr(items, _)) => items
                .iter()
                .filter_map(|v| match v {
                    J::Scalar(s, span) => Some((None, s.clone(), *span)),
                    J::Obj(..) => {
                        let field = |k: &str| match v.get(k) {
                            Some(J::Scalar(s, span)) => Some((s.clone(), *span)),
                            _ => None,
                        };
                        match (field("key"), field("value"), field("name")) {
                            (Some((k, _)), Some((v, span)), _) => Some((Some(k), v, span)),
                            (_, _, Some((n, span))) => Some((None, n, span)),
                            _ => None,
                        }
                    }
                    _ => None,
                })
                .collect(),
            Some(J::Obj(props, _)) => props
                .iter()
                .filter_map(|(k, v)| match v {
                    J::Scalar(s, span) => Some((Some(k.clone()), s.clone(), *span)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn attr_span(&self, i: usize, attr: &str) -> Option<Span> {
        self.res.get(i)?.values.get(attr)?.span()
    }

    fn referent(&self, i: usize, attr: &str) -> Option<usize> {
        self.referent_of(i, attr)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_into_modules_and_references() {
        assert_eq!(
            without_keys(r#"module.site["n[1]"].module.cam[0]"#),
            "module.site.module.cam"
        );
        assert_eq!(
            split_module(r#"module.site["north"].module.camera"#),
            Some((r#"module.site["north"]"#.into(), "camera".into()))
        );
        assert_eq!(split_module("module.cams[2]").unwrap().1, "cams");
        assert_eq!(
            split_reference(r#"netbox_device_type.t["x"].id"#),
            ("netbox_device_type.t".into(), Some(r#"["x"]"#.into()))
        );
        assert_eq!(
            split_reference("data.netbox_manufacturer.hik.id"),
            ("data.netbox_manufacturer.hik".into(), None)
        );
    }
}
