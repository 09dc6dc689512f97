//! Builds inventory facts from one Terraform module (a directory).
//!
//! Variables take their values as Terraform does: the `default`, then
//! `terraform.tfvars`, `*.auto.tfvars` in name order, then `--var-file`s.
//! Locals and resource attributes are evaluated on demand with a *narrow*
//! scope holding only what an expression refers to, memoised, so a module
//! costs time proportional to its references, and cycles end as unknowns.
//! Resources are interpreted through the data table in `schema.rs`; the
//! NetBox chain device → device type → manufacturer and interface / IP
//! address back to the device are followed through references. Every fact
//! keeps the span where its value is written (for `var.x`, the tfvars line
//! that won).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::hcl::{self, Block, EmptyScope, Expr, Scope, Step, Value, format_number};
use super::schema::{self, Role, Use};
use crate::model::{Device, Facts, Label, Link, Network, NetworkKind, Signal, SourceFile, Span};
use crate::sources::fields;

/// A parsed file of the module.
pub struct ModFile<'a> {
    pub file: &'a SourceFile,
    pub body: &'a hcl::Body,
}

/// A value with where it was written.
#[derive(Clone)]
struct Sourced {
    value: Value,
    span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Mode {
    Managed,
    Data,
}

struct Res<'a> {
    mode: Mode,
    ty: &'a str,
    name: &'a str,
    block: &'a Block,
    file: &'a SourceFile,
}

impl Res<'_> {
    fn address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.ty, self.name),
            Mode::Data => format!("data.{}.{}", self.ty, self.name),
        }
    }

    fn span_of(&self, r: hcl::TextRange) -> Span {
        self.file.span(r.start as usize, r.end as usize)
    }
}

pub struct Module<'a> {
    vars: BTreeMap<String, Sourced>,
    locals: BTreeMap<&'a str, (&'a Expr, &'a SourceFile)>,
    local_memo: RefCell<HashMap<String, Sourced>>,
    resources: Vec<Res<'a>>,
    by_key: HashMap<(Mode, &'a str, &'a str), usize>,
    res_memo: RefCell<HashMap<usize, Value>>,
    visiting: RefCell<HashSet<String>>,
    dir: String,
}

/// Values for the module's variables from tfvars files, in precedence order.
pub struct VarFile<'a> {
    pub file: &'a SourceFile,
    pub body: &'a hcl::Body,
}

impl<'a> Module<'a> {
    pub fn new(files: &'a [ModFile<'a>], var_files: &[VarFile<'a>], dir: String) -> Module<'a> {
        let mut m = Module {
            vars: BTreeMap::new(),
            locals: BTreeMap::new(),
            local_memo: RefCell::new(HashMap::new()),
            resources: Vec::new(),
            by_key: HashMap::new(),
            res_memo: RefCell::new(HashMap::new()),
            visiting: RefCell::new(HashSet::new()),
            dir,
        };
        for f in files {
            for b in &f.body.blocks {
                match (b.kind.as_str(), b.labels.as_slice()) {
                    ("resource", [(ty, _), (name, _)]) => {
                        m.push_res(Mode::Managed, ty, name, b, f.file)
                    }
                    ("data", [(ty, _), (name, _)]) => m.push_res(Mode::Data, ty, name, b, f.file),
                    ("locals", _) => {
                        for a in &b.body.attributes {
                            m.locals.insert(a.name.as_str(), (&a.expr, f.file));
                        }
                    }
                    _ => {}
                }
            }
        }
        // Defaults first, so tfvars can override them.
        for f in files {
            for b in f.body.blocks_of("variable") {
                let Some(name) = b.label(0) else { continue };
                let sourced = match b.body.attribute("default") {
                    Some(a) => Sourced {
                        value: m.eval_plain(&a.expr),
                        span: f
                            .file
                            .span(a.expr.range.start as usize, a.expr.range.end as usize),
                    },
                    None => Sourced {
                        value: Value::deferred(format!(
                            "var.{name} has no default and no value in a tfvars file"
                        )),
                        span: f.file.span(b.range.start as usize, b.range.end as usize),
                    },
                };
                m.vars.insert(name.to_string(), sourced);
            }
        }
        for vf in var_files {
            for a in &vf.body.attributes {
                let value = m.eval_plain(&a.expr);
                m.vars.insert(
                    a.name.clone(),
                    Sourced {
                        value,
                        span: vf
                            .file
                            .span(a.expr.range.start as usize, a.expr.range.end as usize),
                    },
                );
            }
        }
        m
    }

    fn push_res(
        &mut self,
        mode: Mode,
        ty: &'a str,
        name: &'a str,
        block: &'a Block,
        file: &'a SourceFile,
    ) {
        self.by_key.insert((mode, ty, name), self.resources.len());
        self.resources.push(Res {
            mode,
            ty,
            name,
            block,
            file,
        });
    }

    /// Evaluates an expression that may refer only to literals (tfvars,
    /// defaults): Terraform forbids references there.
    fn eval_plain(&self, expr: &Expr) -> Value {
        hcl::eval(expr, &EmptyScope)
    }

    /// Evaluates an expression of the module with a scope that holds only
    /// the roots it refers to.
    fn eval(&self, expr: &Expr) -> Value {
        let mut scope = Narrow::default();
        for (root, steps, _) in expr.traversals() {
            match root.as_str() {
                "var" => {
                    if let Some(Step::Attr(n)) = steps.first() {
                        let v = self
                            .vars
                            .get(n)
                            .map(|s| s.value.clone())
                            .unwrap_or_else(|| Value::deferred(format!("var.{n} is not declared")));
                        scope.insert(&["var", n], v);
                    }
                }
                "local" => {
                    if let Some(Step::Attr(n)) = steps.first() {
                        let v = self.local(n).value;
                        scope.insert(&["local", n], v);
                    }
                }
                "path" => {
                    for k in ["module", "root", "cwd"] {
                        scope.insert(&["path", k], Value::String(self.dir.clone()));
                    }
                }
                "data" => {
                    if let (Some(Step::Attr(t)), Some(Step::Attr(n))) =
                        (steps.first(), steps.get(1))
                        && let Some(&i) = self.by_key.get(&(Mode::Data, t.as_str(), n.as_str()))
                    {
                        scope.insert(&["data", t, n], self.resource_value(i));
                    }
                }
                ty => {
                    if let Some(Step::Attr(n)) = steps.first()
                        && let Some(&i) = self.by_key.get(&(Mode::Managed, ty, n.as_str()))
                    {
                        scope.insert(&[ty, n], self.resource_value(i));
                    }
                }
            }
        }
        hcl::eval(expr, &scope)
    }

    fn local(&self, name: &str) -> Sourced {
        if let Some(v) = self.local_memo.borrow().get(name) {
            return v.clone();
        }
        let Some(&(expr, file)) = self.locals.get(name) else {
            return Sourced {
                value: Value::deferred(format!("local.{name} is not defined")),
                span: Span::default(),
            };
        };
        let key = format!("local.{name}");
        if !self.visiting.borrow_mut().insert(key.clone()) {
            return Sourced {
                value: Value::deferred(format!("local.{name} refers to itself")),
                span: file.span(expr.range.start as usize, expr.range.end as usize),
            };
        }
        let value = self.eval(expr);
        let span = self
            .origin(expr)
            .unwrap_or_else(|| file.span(expr.range.start as usize, expr.range.end as usize));
        self.visiting.borrow_mut().remove(&key);
        let s = Sourced { value, span };
        self.local_memo
            .borrow_mut()
            .insert(name.to_string(), s.clone());
        s
    }

    /// Where the value of a plain `var.x` / `local.y` reference was written.
    fn origin(&self, expr: &Expr) -> Option<Span> {
        let (root, steps) = expr.as_traversal()?;
        match (root, steps.as_slice()) {
            ("var", [Step::Attr(n)]) => self.vars.get(n).map(|s| s.span),
            ("local", [Step::Attr(n)]) => {
                Some(self.local(n).span).filter(|s| *s != Span::default())
            }
            _ => None,
        }
    }

    /// A resource as an object of its evaluated attributes; `id` and any
    /// attribute not written are unknown until apply.
    fn resource_value(&self, i: usize) -> Value {
        if let Some(v) = self.res_memo.borrow().get(&i) {
            return v.clone();
        }
        let Some(r) = self.resources.get(i) else {
            return Value::Null;
        };
        let key = r.address();
        if !self.visiting.borrow_mut().insert(key.clone()) {
            return Value::deferred(format!("{key} refers to itself"));
        }
        let mut obj = BTreeMap::new();
        for a in &r.block.body.attributes {
            obj.insert(a.name.clone(), self.eval(&a.expr));
        }
        obj.insert(
            "id".into(),
            Value::deferred(format!("{key}.id is known only after apply")),
        );
        self.visiting.borrow_mut().remove(&key);
        let v = Value::Object(obj);
        self.res_memo.borrow_mut().insert(i, v.clone());
        v
    }

    /// The resource an attribute refers to (`netbox_device_type.t1.id` →
    /// netbox_device_type.t1).
    fn referent(&self, expr: &Expr) -> Option<usize> {
        expr.traversals().into_iter().find_map(|(root, steps, _)| {
            if root == "data" {
                match (steps.first(), steps.get(1)) {
                    (Some(Step::Attr(t)), Some(Step::Attr(n))) => self
                        .by_key
                        .get(&(Mode::Data, t.as_str(), n.as_str()))
                        .copied(),
                    _ => None,
                }
            } else {
                match steps.first() {
                    Some(Step::Attr(n)) => self
                        .by_key
                        .get(&(Mode::Managed, root.as_str(), n.as_str()))
                        .copied(),
                    _ => None,
                }
            }
        })
    }

    /// A scalar attribute as text with the span where its value is written.
    fn text_of(&self, r: &Res, attr: &str) -> Option<Result<(String, Span), (Span, String)>> {
        let a = r.block.body.attribute(attr)?;
        let span = self
            .origin(&a.expr)
            .unwrap_or_else(|| r.span_of(a.expr.range));
        Some(match self.eval(&a.expr) {
            Value::String(s) => Ok((s, span)),
            Value::Number(n) => Ok((format_number(n), span)),
            Value::Bool(b) => Ok((b.to_string(), span)),
            Value::Unknown(u) => Err((
                r.span_of(a.expr.range),
                format!("{}.{attr}: {}", r.address(), u.reason),
            )),
            // Lists and objects are not a claim about one device.
            _ => return None,
        })
    }

    /// Builds the module's facts.
    pub fn facts(&self) -> Facts {
        let mut facts = Facts::default();
        let mut device_of: HashMap<usize, usize> = HashMap::new();
        let mut network_of: HashMap<usize, usize> = HashMap::new();

        // Networks first, so devices can link to them.
        for (i, r) in self.resources.iter().enumerate() {
            let role = schema::schema(r.ty).map(|s| s.role);
            if let Some(Role::Network(kind)) = role {
                let n = self.network(r, kind);
                network_of.insert(i, facts.add_network(n));
            } else if role.is_none() && self.looks_like_network(r) {
                let n = self.network(r, NetworkKind::Subnet);
                network_of.insert(i, facts.add_network(n));
            }
        }
        for (i, r) in self.resources.iter().enumerate() {
            if r.mode == Mode::Data {
                continue;
            }
            let is_device = match schema::schema(r.ty) {
                Some(s) => s.role == Role::Device,
                None => !network_of.contains_key(&i) && self.looks_like_device(r),
            };
            if is_device {
                let d = self.device(r, &network_of);
                device_of.insert(i, facts.devices.len());
                facts.devices.push(d);
            }
        }
        // Interfaces and addresses contribute to the device they belong to.
        for r in &self.resources {
            let Some(s) = schema::schema(r.ty) else {
                continue;
            };
            if !matches!(s.role, Role::Interface | Role::IpAddress) {
                continue;
            }
            let Some(dev) = self.owner_device(r, &device_of) else {
                continue;
            };
            let Some(device) = facts.devices.get_mut(dev) else {
                continue;
            };
            for (attr, u) in s.attrs {
                if let Use::Signal(signal) = u {
                    self.add_fact(device, r, attr, *signal);
                }
            }
        }
        facts
    }

    /// The device an interface or IP address belongs to, following
    /// interface → device references.
    fn owner_device(&self, r: &Res, device_of: &HashMap<usize, usize>) -> Option<usize> {
        let s = schema::schema(r.ty)?;
        for (attr, u) in s.attrs {
            let Use::Ref(role) = u else { continue };
            let Some(a) = r.block.body.attribute(attr) else {
                continue;
            };
            let Some(target) = self.referent(&a.expr) else {
                continue;
            };
            match role {
                Role::Device => return device_of.get(&target).copied(),
                Role::Interface => {
                    let iface = self.resources.get(target)?;
                    return self.owner_device(iface, device_of);
                }
                _ => {}
            }
        }
        None
    }

    fn add_fact(&self, device: &mut Device, r: &Res, attr: &str, signal: Signal) {
        match self.text_of(r, attr) {
            Some(Ok((value, span))) => {
                device.fact(signal, value, span, format!("{}.{attr}", r.address()))
            }
            Some(Err((span, why))) => device.unknowns.push((span, why)),
            None => {}
        }
    }

    fn device(&self, r: &Res, networks: &HashMap<usize, usize>) -> Device {
        let mut d = Device::new(r.address(), r.span_of(r.block.range));
        let attrs: Vec<(&str, Use)> = match schema::schema(r.ty) {
            Some(s) => s.attrs.to_vec(),
            None => self.generic_uses(r),
        };
        for (attr, u) in attrs {
            match u {
                Use::Signal(signal) => self.add_fact(&mut d, r, attr, signal),
                Use::Name => self.add_fact(&mut d, r, attr, Signal::Name),
                Use::Tags => {
                    for (key, value, span) in self.tags(r, attr) {
                        let text = match key {
                            Some(k) => format!("{k}={value}"),
                            None => value,
                        };
                        d.fact(Signal::Tag, text, span, format!("{}.{attr}", r.address()));
                    }
                }
                Use::VlanId => self.add_fact(&mut d, r, attr, Signal::Vlan),
                Use::Cidr => self.add_fact(&mut d, r, attr, Signal::Subnet),
                Use::NetworkText => self.add_fact(&mut d, r, attr, Signal::Description),
                Use::Ref(role) => self.follow(&mut d, r, attr, role, networks),
            }
        }
        d
    }

    /// Pulls facts from a referenced resource: a device type's model and
    /// manufacturer, a role's name, a network link.
    fn follow(
        &self,
        d: &mut Device,
        r: &Res,
        attr: &str,
        role: Role,
        networks: &HashMap<usize, usize>,
    ) {
        let Some(a) = r.block.body.attribute(attr) else {
            return;
        };
        let Some(target) = self.referent(&a.expr) else {
            return;
        };
        let Some(t) = self.resources.get(target) else {
            return;
        };
        let via = format!("{}.{attr} → {}", r.address(), t.address());
        match role {
            Role::DeviceType => {
                if let Some(s) = schema::schema(t.ty) {
                    for (ta, tu) in s.attrs {
                        match tu {
                            Use::Signal(signal) => match self.text_of(t, ta) {
                                Some(Ok((v, span))) => {
                                    d.fact(*signal, v, span, format!("{via}.{ta}"))
                                }
                                Some(Err(u)) => d.unknowns.push(u),
                                None => {}
                            },
                            Use::Ref(Role::Manufacturer) => {
                                if let Some(ma) = t.block.body.attribute(ta)
                                    && let Some(m) =
                                        self.referent(&ma.expr).and_then(|i| self.resources.get(i))
                                {
                                    match self.text_of(m, "name") {
                                        Some(Ok((v, span))) => d.fact(
                                            Signal::Manufacturer,
                                            v,
                                            span,
                                            format!("{via} → {}.name", m.address()),
                                        ),
                                        Some(Err(u)) => d.unknowns.push(u),
                                        None => {}
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            Role::Manufacturer => match self.text_of(t, "name") {
                Some(Ok((v, span))) => d.fact(Signal::Manufacturer, v, span, format!("{via}.name")),
                Some(Err(u)) => d.unknowns.push(u),
                None => {}
            },
            Role::DeviceRole => match self.text_of(t, "name") {
                Some(Ok((v, span))) => d.fact(Signal::Role, v, span, format!("{via}.name")),
                Some(Err(u)) => d.unknowns.push(u),
                None => {}
            },
            Role::Network(_) => {
                if let Some(&n) = networks.get(&target) {
                    d.links.push(Link {
                        network: n,
                        span: r.span_of(a.range),
                        via: format!("{attr} = {}", t.address()),
                    });
                }
            }
            _ => {}
        }
    }

    /// Attribute uses for a resource type without a schema row, from the
    /// shared field-name table.
    fn generic_uses(&self, r: &Res) -> Vec<(&'static str, Use)> {
        let mut out = Vec::new();
        for a in &r.block.body.attributes {
            let name = a.name.as_str();
            let u = if let Some(s) = fields::device_signal(name) {
                Use::Signal(s)
            } else if fields::is_vlan_field(name) {
                Use::VlanId
            } else if fields::is_subnet_field(name) {
                Use::Cidr
            } else if fields::is_tag_field(name) {
                Use::Tags
            } else {
                continue;
            };
            if let Some(k) = intern(name) {
                out.push((k, u));
            }
        }
        out
    }

    fn looks_like_device(&self, r: &Res) -> bool {
        r.block.body.attributes.iter().any(|a| {
            matches!(
                fields::device_signal(&a.name),
                Some(Signal::Mac | Signal::Manufacturer | Signal::Model)
            )
        })
    }

    fn looks_like_network(&self, r: &Res) -> bool {
        !self.looks_like_device(r)
            && r.block
                .body
                .attributes
                .iter()
                .any(|a| fields::is_subnet_field(&a.name))
    }

    fn network(&self, r: &Res, kind: NetworkKind) -> Network {
        let mut n = Network::new(r.address(), kind, r.span_of(r.block.range));
        let attrs: Vec<(&str, Use)> = match schema::schema(r.ty) {
            Some(s) => s.attrs.to_vec(),
            None => self.generic_uses(r),
        };
        let mut named = false;
        for (attr, u) in attrs {
            match u {
                Use::Name | Use::NetworkText | Use::Signal(Signal::Name) => {
                    if let Some(Ok((v, span))) = self.text_of(r, attr)
                        && !named
                        && !v.trim().is_empty()
                    {
                        n.name = v;
                        n.name_span = Some(span);
                        named = u == Use::Name;
                    }
                }
                Use::Cidr => {
                    let Some(a) = r.block.body.attribute(attr) else {
                        continue;
                    };
                    let span = self
                        .origin(&a.expr)
                        .unwrap_or_else(|| r.span_of(a.expr.range));
                    let cidrs: Vec<String> = match self.eval(&a.expr) {
                        Value::String(s) => vec![s],
                        Value::List(l) => l
                            .into_iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect(),
                        _ => Vec::new(),
                    };
                    for c in cidrs {
                        if let Some(net) = crate::model::parse_cidr(&c) {
                            n.cidrs.push((net, span));
                        }
                    }
                }
                Use::VlanId => {
                    if let Some(Ok((v, span))) = self.text_of(r, attr)
                        && let Ok(id) = v.parse::<u16>()
                    {
                        n.vlan = Some((id, span));
                    }
                }
                Use::Tags => {
                    for (key, value, span) in self.tags(r, attr) {
                        n.labels.push(Label { key, value, span });
                    }
                }
                _ => {}
            }
        }
        // A network without a name is known by its first CIDR.
        if !named
            && n.name_span.is_none()
            && let Some((c, span)) = n.cidrs.first()
        {
            n.name = format!("{} ({c})", r.address());
            n.name_span = Some(*span);
        }
        n
    }

    /// Tags as (key, value, span): a list gives bare tags, a map key/value
    /// pairs. A NetBox tag reference evaluates to the tag's name.
    fn tags(&self, r: &Res, attr: &str) -> Vec<(Option<String>, String, Span)> {
        let Some(a) = r.block.body.attribute(attr) else {
            return Vec::new();
        };
        let span = r.span_of(a.expr.range);
        // Point at each element when the list is written out literally.
        let item_spans: Vec<Span> = match &a.expr.kind {
            hcl::ExprKind::Tuple(items) => items.iter().map(|e| r.span_of(e.range)).collect(),
            _ => Vec::new(),
        };
        match self.eval(&a.expr) {
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let s = match v {
                        Value::String(s) => s,
                        Value::Object(o) => {
                            o.get("name").and_then(|n| n.as_str()).map(String::from)?
                        }
                        _ => return None,
                    };
                    Some((None, s, item_spans.get(i).copied().unwrap_or(span)))
                })
                .collect(),
            Value::Object(map) => map
                .into_iter()
                .filter_map(|(k, v)| match v {
                    Value::String(s) => Some((Some(k), s, span)),
                    Value::Bool(b) => Some((Some(k), b.to_string(), span)),
                    _ => None,
                })
                .collect(),
            Value::String(s) => vec![(None, s, span)],
            _ => Vec::new(),
        }
    }
}

/// Field names come from files; the use table wants `'static` names.
/// Only names the field table knows are returned, as its own strings.
fn intern(name: &str) -> Option<&'static str> {
    let n = fields::normalise(name);
    fields::DEVICE_FIELDS
        .iter()
        .map(|(k, _)| *k)
        .chain(fields::VLAN_FIELDS.iter().copied())
        .chain(fields::SUBNET_FIELDS.iter().copied())
        .chain(fields::TAG_FIELDS.iter().copied())
        .find(|k| *k == n)
}

/// Only the values an expression refers to, as nested objects.
#[derive(Default)]
struct Narrow {
    roots: BTreeMap<String, Value>,
}

impl Narrow {
    fn insert(&mut self, path: &[&str], value: Value) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        let slot = self
            .roots
            .entry((*first).to_string())
            .or_insert_with(|| Value::Object(BTreeMap::new()));
        insert_path(slot, rest, value);
    }
}

fn insert_path(slot: &mut Value, path: &[&str], value: Value) {
    match path.split_first() {
        None => *slot = value,
        Some((k, rest)) => {
            if !matches!(slot, Value::Object(_)) {
                *slot = Value::Object(BTreeMap::new());
            }
            if let Value::Object(m) = slot {
                let child = m
                    .entry((*k).to_string())
                    .or_insert_with(|| Value::Object(BTreeMap::new()));
                insert_path(child, rest, value);
            }
        }
    }
}

impl Scope for Narrow {
    fn lookup(&self, root: &str) -> Option<Value> {
        self.roots.get(root).cloned()
    }
}
