//! Evaluates Terraform modules: a directory's variables, locals, resources
//! (with `count`, `for_each` and `dynamic` blocks expanded into instances)
//! and its calls to local modules, recursively.
//!
//! A [`ModDef`] is what a directory declares; an [`Instance`] is one use of
//! it, with its variables bound: a root module from its defaults and
//! tfvars files (`terraform.tfvars`, `*.auto.tfvars` in name order, then
//! `--var-file`s), a called module from the call's arguments evaluated in
//! the caller. Values are computed on demand with a *narrow* scope holding
//! only what an expression refers to, memoised per instance, so cost
//! follows references and cycles end as unknowns. A resource attribute
//! that is not written (`id` above all) is unknown until apply, and
//! remembers its resource instance, which is how `device_type_id =
//! var.type_id` is followed back to `netbox_device_type.t["dome"]` across
//! modules. Where a value is written is tracked beside it as a [`Prov`].
//!
//! Limits, each reported as a note rather than a failure: 10,000 instances
//! of one resource or module call, 10,000 module instances per root,
//! nesting 16 modules deep, and modules that call themselves. Remote
//! module sources are never fetched or guessed.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::build::{Read, View};
use super::concat;
use super::hcl::{self, Block, Body, EmptyScope, Expr, ExprKind, Scope, Step, TemplatePart, Value};
use super::prov::Prov;
use crate::model::{Diagnostic, SourceFile, Span};

/// Instances of one resource, `dynamic` block or module call.
pub const MAX_INSTANCES: usize = 10_000;
/// Module instances under one root module.
pub const MAX_MODULE_INSTANCES: usize = 10_000;
/// Module calls nested inside each other.
pub const MAX_MODULE_DEPTH: usize = 16;
/// Nested blocks inside a resource.
const MAX_BLOCK_DEPTH: u32 = 16;
/// Resource instances and `dynamic` block elements under one root module,
/// all together: nested `dynamic` blocks multiply.
pub const MAX_WORK: usize = 200_000;

pub const MODULE_NOT_EVALUATED: &str = "module-not-evaluated";
pub const EVALUATION_LIMIT: &str = "evaluation-limit";

/// Arguments of a resource or module block that are not its values.
const META: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "providers",
    "source",
    "version",
];

/// A parsed file of the module.
pub struct ModFile<'a> {
    pub file: &'a SourceFile,
    pub body: &'a hcl::Body,
}

/// Values for a root module's variables from tfvars files, in precedence
/// order.
pub struct VarFile<'a> {
    pub file: &'a SourceFile,
    pub body: &'a hcl::Body,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Mode {
    Managed,
    Data,
}

struct Res<'a> {
    mode: Mode,
    ty: &'a str,
    block: &'a Block,
    file: &'a SourceFile,
    /// `ty.name` or `data.ty.name`, made once: every instance address and
    /// many messages start with it.
    address: String,
}

fn span_of(file: &SourceFile, r: hcl::TextRange) -> Span {
    file.span(r.start as usize, r.end as usize)
}

/// A `module "name" { source = … }` block.
pub struct Call<'a> {
    pub name: &'a str,
    /// `module.NAME`, which marks the call while its instances are made.
    key: String,
    pub block: &'a Block,
    pub file: &'a SourceFile,
    /// The literal `source`, if it is one.
    pub source: Option<&'a str>,
}

impl Call<'_> {
    /// The directory a local source names (`./x`, `../x`), relative to the
    /// calling module's directory. Terraform treats every other source as
    /// remote (registry, git, http, archives).
    pub fn local_dir(&self, caller: &Path) -> Option<PathBuf> {
        local_module_dir(self.source?, caller)
    }
}

/// The directory a module source names when it is a local path, as
/// [`Call::local_dir`] reads it.
pub fn local_module_dir(source: &str, caller: &Path) -> Option<PathBuf> {
    let local = ["./", "../", ".\\", "..\\"]
        .iter()
        .any(|p| source.starts_with(p));
    local.then(|| normalize(&caller.join(source)))
}

/// The `source` of each module call a file makes, as [`ModDef::new`] finds
/// the calls: top-level `module` blocks with one label.
pub fn call_sources(body: &Body) -> impl Iterator<Item = &str> {
    body.blocks
        .iter()
        .filter(|b| b.kind == "module" && b.labels.len() == 1)
        .filter_map(|b| b.body.attribute("source").and_then(|a| a.expr.as_str()))
}

/// A path with `.` and `..` resolved lexically (symlinks are not followed:
/// Terraform resolves module paths the same way).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// What one directory declares.
pub struct ModDef<'a> {
    /// The directory as the files were reached.
    pub dir: PathBuf,
    resources: Vec<Res<'a>>,
    /// Resources by (mode, type, name). Hashed, seeded per process so the
    /// scanned files cannot choose colliding keys: in a B-tree, keys that
    /// share long prefixes (`netbox_device_type`, `netbox_device`…) cost
    /// a `memcmp` per level, and building this map was 2% of a scan.
    by_key: crate::FastMap<(Mode, &'a str, &'a str), usize>,
    /// Each local's index in `local_defs` (the last definition of a name
    /// wins).
    locals: crate::FastMap<&'a str, usize>,
    /// Each local's expression and file, and `local.NAME` (which marks it
    /// while it is being evaluated).
    local_defs: Vec<(&'a Expr, &'a SourceFile, String)>,
    variables: Vec<(&'a str, &'a Block, &'a SourceFile)>,
    pub calls: Vec<Call<'a>>,
    outputs: BTreeMap<&'a str, &'a Expr>,
    /// No module calls and no `dynamic` blocks: evaluating a value here
    /// can neither spend work nor create module instances, so a value
    /// nobody else needs may be left unevaluated without changing
    /// anything the run reports.
    quiet: bool,
}

impl<'a> ModDef<'a> {
    pub fn new(dir: PathBuf, files: &[ModFile<'a>]) -> ModDef<'a> {
        let mut m = ModDef {
            dir,
            resources: Vec::new(),
            by_key: crate::FastMap::default(),
            locals: crate::FastMap::default(),
            local_defs: Vec::new(),
            variables: Vec::new(),
            calls: Vec::new(),
            outputs: BTreeMap::new(),
            quiet: false,
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
                            m.locals.insert(a.name.as_str(), m.local_defs.len());
                            m.local_defs
                                .push((&a.expr, f.file, concat(&["local.", &a.name])));
                        }
                    }
                    ("variable", [(name, _)]) => m.variables.push((name, b, f.file)),
                    ("output", [(name, _)]) => {
                        if let Some(a) = b.body.attribute("value") {
                            m.outputs.insert(name, &a.expr);
                        }
                    }
                    ("module", [(name, _)]) => m.calls.push(Call {
                        name,
                        key: concat(&["module.", name]),
                        block: b,
                        file: f.file,
                        source: b.body.attribute("source").and_then(|a| a.expr.as_str()),
                    }),
                    _ => {}
                }
            }
        }
        m.quiet = m.calls.is_empty() && !m.resources.iter().any(|r| has_dynamic(&r.block.body));
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
        let address = match mode {
            Mode::Managed => concat(&[ty, ".", name]),
            Mode::Data => concat(&["data.", ty, ".", name]),
        };
        self.resources.push(Res {
            mode,
            ty,
            block,
            file,
            address,
        });
    }
}

/// Every module definition in the scan, found by normalised directory.
pub struct Defs<'a> {
    pub defs: Vec<ModDef<'a>>,
    by_dir: HashMap<PathBuf, usize>,
}

impl<'a> Defs<'a> {
    pub fn new(defs: Vec<ModDef<'a>>) -> Defs<'a> {
        let by_dir = defs
            .iter()
            .enumerate()
            .map(|(i, d)| (normalize(&d.dir), i))
            .collect();
        Defs { defs, by_dir }
    }

    fn find(&self, dir: &Path) -> Option<usize> {
        self.by_dir.get(&normalize(dir)).copied()
    }

    /// Root modules: directories no other scanned directory calls. Modules
    /// that only call each other in a cycle are roots too, so their
    /// resources are not lost (the cycle is reported when evaluated).
    pub fn roots(&self) -> Vec<usize> {
        let (called, is_called) = self.call_graph();
        let mut roots: Vec<usize> = (0..self.defs.len())
            .filter(|&i| !is_called.get(i).copied().unwrap_or(false))
            .collect();
        let mut seen = vec![false; self.defs.len()];
        let mut stack = roots.clone();
        while let Some(i) = stack.pop() {
            match seen.get_mut(i) {
                Some(s) if !*s => *s = true,
                _ => continue,
            }
            stack.extend(called.get(i).into_iter().flatten().copied());
        }
        for i in 0..self.defs.len() {
            if !seen.get(i).copied().unwrap_or(true) {
                roots.push(i);
                // Everything it reaches is covered by it.
                let mut stack = vec![i];
                while let Some(j) = stack.pop() {
                    match seen.get_mut(j) {
                        Some(s) if !*s => *s = true,
                        _ => continue,
                    }
                    stack.extend(called.get(j).into_iter().flatten().copied());
                }
            }
        }
        roots
    }

    /// Which definitions another one calls.
    pub fn called(&self) -> Vec<bool> {
        self.call_graph().1
    }

    /// The definitions each one calls, and which are called at all.
    fn call_graph(&self) -> (Vec<Vec<usize>>, Vec<bool>) {
        let mut called: Vec<Vec<usize>> = vec![Vec::new(); self.defs.len()];
        let mut is_called = vec![false; self.defs.len()];
        for (i, d) in self.defs.iter().enumerate() {
            for c in &d.calls {
                if let Some(t) = c.local_dir(&d.dir).and_then(|p| self.find(&p))
                    && t != i
                {
                    if let Some(v) = called.get_mut(i) {
                        v.push(t);
                    }
                    if let Some(x) = is_called.get_mut(t) {
                        *x = true;
                    }
                }
            }
        }
        (called, is_called)
    }
}

/// State shared by every instance under one root module.
pub struct Ctx<'d, 'a> {
    defs: &'d Defs<'a>,
    root_dir: PathBuf,
    module_budget: Cell<usize>,
    work: Cell<usize>,
    diags: RefCell<Vec<Diagnostic>>,
    /// Module calls not evaluated (`module.a["x"].module.b`), with the note
    /// saying so: a plan in the scan may cover them.
    unevaluated: RefCell<Vec<(String, Diagnostic)>>,
}

impl<'d, 'a> Ctx<'d, 'a> {
    pub fn new(defs: &'d Defs<'a>, root: usize) -> Ctx<'d, 'a> {
        Ctx {
            defs,
            root_dir: defs
                .defs
                .get(root)
                .map(|d| normalize(&d.dir))
                .unwrap_or_default(),
            module_budget: Cell::new(MAX_MODULE_INSTANCES),
            work: Cell::new(MAX_WORK),
            diags: RefCell::new(Vec::new()),
            unevaluated: RefCell::new(Vec::new()),
        }
    }

    fn note(&self, rule: &'static str, span: Span, message: String) {
        let mut diags = self.diags.borrow_mut();
        if !diags
            .iter()
            .any(|d| d.span == span && d.rule == rule && d.message == message)
        {
            diags.push(Diagnostic::note(rule, span, message));
        }
    }

    /// Takes one unit of work; false (and a note, once) when none is left.
    fn spend(&self, span: Span) -> bool {
        let left = self.work.get();
        if left == 0 {
            return false;
        }
        self.work.set(left - 1);
        if left == 1 {
            self.note(
                EVALUATION_LIMIT,
                span,
                format!("more than {MAX_WORK} resource instances and dynamic blocks under one root module; the rest were not checked"),
            );
        }
        true
    }

    fn not_evaluated(&self, module: &str, span: Span, message: String) {
        let mut list = self.unevaluated.borrow_mut();
        if !list.iter().any(|(m, d)| m == module && d.span == span) {
            list.push((
                module.to_string(),
                Diagnostic::note(MODULE_NOT_EVALUATED, span, message),
            ));
        }
    }

    pub fn take_diagnostics(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.diags.borrow_mut())
    }

    /// Notes for module calls that were not evaluated, by module address.
    pub fn take_unevaluated(&self) -> Vec<(String, Diagnostic)> {
        std::mem::take(&mut *self.unevaluated.borrow_mut())
    }
}

/// A value with where it is written.
#[derive(Clone)]
struct Sourced {
    value: Value,
    prov: Prov,
}

/// Names an expression may use besides the module's own: `each`, `count`
/// and `dynamic` block iterators.
#[derive(Clone, Default)]
struct Bindings {
    each: Option<(Value, Value, Option<Prov>)>,
    count: Option<Value>,
    iters: Vec<(String, Value, Option<Prov>)>,
}

/// An instance key, as Terraform writes it in addresses.
#[derive(Clone, PartialEq, Debug)]
enum Key {
    None,
    Index(usize),
    Name(String),
}

impl Key {
    fn suffix(&self) -> String {
        match self {
            Key::None => String::new(),
            Key::Index(i) => format!("[{i}]"),
            Key::Name(s) => format!("[{}]", serde_json::Value::String(s.clone())),
        }
    }
}

/// How a block is repeated.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Single,
    Count,
    Each,
}

struct Expansion {
    shape: Shape,
    keys: Vec<(Key, Bindings)>,
    /// Why the instances are not known (an unknown `count`): one instance
    /// stands for all of them.
    doubt: Option<(Span, String)>,
}

struct Child<'d, 'a> {
    key: Key,
    inst: Box<Instance<'d, 'a>>,
}

/// One use of a module.
pub struct Instance<'d, 'a> {
    ctx: &'d Ctx<'d, 'a>,
    def: &'d ModDef<'a>,
    /// `module.cams["lobby"].` (empty for a root module).
    prefix: String,
    /// The outermost module call, where devices inside are reported.
    anchor: Option<Span>,
    trail: Vec<(Span, String)>,
    /// Definitions from the root down to this one.
    ancestry: Vec<usize>,
    vars: BTreeMap<String, Sourced>,
    /// Values of locals and resources, by their index in the definition,
    /// set once: readers borrow them rather than copy them.
    local_memo: Vec<OnceCell<Sourced>>,
    res_memo: Vec<OnceCell<Value>>,
    /// What is being evaluated (`local.x`, a resource address,
    /// `module.x`), innermost last: met again, it is a cycle.
    visiting: RefCell<Vec<&'d str>>,
    children: Vec<OnceCell<Vec<Child<'d, 'a>>>>,
}

/// The text of an expression for messages, on one line and clipped.
fn expr_text(file: &SourceFile, e: &Expr) -> String {
    let raw = e.range.slice(&file.text).unwrap_or("");
    let one: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 80 {
        let cut: String = one.chars().take(77).collect();
        format!("{cut}…")
    } else {
        one
    }
}

fn into_scalar_text(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        other => scalar_text(&other),
    }
}

/// The root of a traversal whose indexes are all literal.
fn static_root(e: &Expr) -> Option<&str> {
    let mut cur = e;
    while let Some((inner, _)) = hcl::Part::of(cur) {
        cur = inner;
    }
    match &cur.kind {
        ExprKind::Variable(root) => Some(root),
        _ => None,
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(hcl::format_number(*n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where each part of a literal is written; references are resolved by
/// `refs` (an instance), or end in a leaf without one (tfvars, defaults).
fn prov_of(e: &Expr, file: &SourceFile, refs: Option<(&Instance, &Bindings)>, depth: u32) -> Prov {
    let here = span_of(file, e.range);
    if depth > 64 {
        return Prov::Leaf(here);
    }
    match &e.kind {
        ExprKind::Object(items) => {
            let mut m = BTreeMap::new();
            for (k, v) in items {
                let key = match (&k.kind, k.as_str()) {
                    (_, Some(s)) => Some(s.to_string()),
                    (ExprKind::Variable(n), _) => Some(n.clone()),
                    _ => refs.and_then(|(inst, b)| scalar_text(&inst.eval(k, b))),
                };
                if let Some(key) = key {
                    m.insert(key, prov_of(v, file, refs, depth + 1));
                }
            }
            Prov::Map(here, m)
        }
        ExprKind::Tuple(items) => Prov::List(
            here,
            items
                .iter()
                .map(|i| {
                    (
                        i.as_str().map(String::from),
                        prov_of(i, file, refs, depth + 1),
                    )
                })
                .collect(),
        ),
        ExprKind::Parens(inner) => prov_of(inner, file, refs, depth + 1),
        ExprKind::Template(parts) => match parts.as_slice() {
            [TemplatePart::Interpolation(inner)] => prov_of(inner, file, refs, depth + 1),
            _ => Prov::Leaf(here),
        },
        ExprKind::Call { name, args, .. }
            if matches!(name.as_str(), "toset" | "tolist" | "tomap") && args.len() == 1 =>
        {
            match args.first() {
                Some(a) => prov_of(a, file, refs, depth + 1),
                None => Prov::Leaf(here),
            }
        }
        ExprKind::Variable(_) | ExprKind::GetAttr(..) | ExprKind::Index(..) => refs
            .and_then(|(inst, b)| inst.prov_ref(e, b))
            .unwrap_or(Prov::Leaf(here)),
        _ => Prov::Leaf(here),
    }
}

/// Every attribute name read anywhere in an expression (`x.mac` → mac),
/// so a resource's unwritten attributes can be offered as unknowns.
fn read_names(e: &Expr, out: &mut HashSet<String>) {
    if let ExprKind::GetAttr(_, name) = &e.kind {
        out.insert(name.clone());
    }
    e.for_each_child(&mut |c| read_names(c, out));
}

/// Adds the attributes in `names` that a resource instance object lacks
/// as unknowns of that instance (found by the instance's `id`).
fn open_attrs(v: &mut Value, names: &HashSet<String>, depth: u32) {
    let addr = match v {
        Value::Object(m) => match m.get("id") {
            Some(Value::Unknown(u)) => u.resource.clone(),
            _ => None,
        },
        _ => None,
    };
    match (v, addr) {
        (Value::Object(m), Some(addr)) => {
            for n in names {
                if !m.contains_key(n) {
                    m.insert(n.clone(), Value::after_apply(&addr, n));
                }
            }
        }
        (Value::Object(m), None) if depth == 0 => {
            for item in m.values_mut() {
                open_attrs(item, names, 1);
            }
        }
        (Value::List(items), None) if depth == 0 => {
            for item in items {
                open_attrs(item, names, 1);
            }
        }
        _ => {}
    }
}

impl<'d, 'a> Instance<'d, 'a> {
    /// A root module: variables from defaults, then tfvars files.
    pub fn root(ctx: &'d Ctx<'d, 'a>, def_idx: usize, var_files: &[VarFile<'_>]) -> Option<Self> {
        let def = ctx.defs.defs.get(def_idx)?;
        let mut vars = BTreeMap::new();
        for &(name, b, file) in &def.variables {
            let sourced = match b.body.attribute("default") {
                Some(a) => Sourced {
                    value: hcl::eval(&a.expr, &EmptyScope),
                    prov: prov_of(&a.expr, file, None, 0),
                },
                None => Sourced {
                    value: Value::deferred(format!(
                        "var.{name} has no default and no value in a tfvars file"
                    )),
                    prov: Prov::Leaf(span_of(file, b.range)),
                },
            };
            vars.insert(name.to_string(), sourced);
        }
        for vf in var_files {
            for a in &vf.body.attributes {
                vars.insert(
                    a.name.clone(),
                    Sourced {
                        value: hcl::eval(&a.expr, &EmptyScope),
                        prov: prov_of(&a.expr, vf.file, None, 0),
                    },
                );
            }
        }
        Some(Instance::with(
            ctx,
            def,
            String::new(),
            None,
            Vec::new(),
            vec![def_idx],
            vars,
        ))
    }

    fn with(
        ctx: &'d Ctx<'d, 'a>,
        def: &'d ModDef<'a>,
        prefix: String,
        anchor: Option<Span>,
        trail: Vec<(Span, String)>,
        ancestry: Vec<usize>,
        vars: BTreeMap<String, Sourced>,
    ) -> Self {
        Instance {
            ctx,
            def,
            prefix,
            anchor,
            trail,
            ancestry,
            vars,
            local_memo: def.local_defs.iter().map(|_| OnceCell::new()).collect(),
            res_memo: def.resources.iter().map(|_| OnceCell::new()).collect(),
            visiting: RefCell::new(Vec::new()),
            children: def.calls.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    /// Evaluates an expression of the module with a scope that holds only
    /// the roots it refers to.
    fn eval(&self, expr: &Expr, b: &Bindings) -> Value {
        // Literals, most of a configuration, need no scope.
        match &expr.kind {
            ExprKind::Null => return Value::Null,
            ExprKind::Bool(x) => return Value::Bool(*x),
            ExprKind::Number(n) => return Value::Number(*n),
            ExprKind::Template(_) => {
                if let Some(s) = expr.as_str() {
                    return Value::String(s.to_string());
                }
            }
            _ => {}
        }
        if let Some(v) = self.read_reference(expr, b) {
            return v;
        }
        let mut scope = Narrow::default();
        let mut names = HashSet::new();
        let mut opened = false;
        for (root, steps, _) in expr.traversals() {
            let first = match steps.first() {
                Some(Step::Attr(n)) => Some(n.as_str()),
                _ => None,
            };
            if let Some((name, v, _)) = b.iters.iter().rev().find(|(n, ..)| *n == root) {
                scope.insert(&[name], v.clone());
                continue;
            }
            match (root.as_str(), first) {
                ("var", Some(n)) => {
                    let v = self
                        .vars
                        .get(n)
                        .map(|s| s.value.clone())
                        .unwrap_or_else(|| Value::deferred(format!("var.{n} is not declared")));
                    scope.insert(&["var", n], v);
                }
                ("local", Some(n)) => {
                    let v = self.local(n).into_owned().value;
                    scope.insert(&["local", n], v);
                }
                ("path", _) => {
                    let here = self.def.dir.to_string_lossy().into_owned();
                    let root = self.ctx.root_dir.to_string_lossy().into_owned();
                    scope.insert(&["path", "module"], Value::String(here));
                    scope.insert(&["path", "root"], Value::String(root.clone()));
                    scope.insert(&["path", "cwd"], Value::String(root));
                }
                ("terraform", _) => {
                    scope.insert(&["terraform", "workspace"], Value::String("default".into()))
                }
                ("each", _) => {
                    if let Some((k, v, _)) = &b.each {
                        scope.insert(&["each", "key"], k.clone());
                        scope.insert(&["each", "value"], v.clone());
                    }
                }
                ("count", _) => {
                    if let Some(c) = &b.count {
                        scope.insert(&["count", "index"], c.clone());
                    }
                }
                ("module", Some(n)) => {
                    let v = self.module_value(n);
                    scope.insert(&["module", n], v);
                }
                ("data", Some(t)) => {
                    if let Some(Step::Attr(n)) = steps.get(1)
                        && let Some(&i) = self.def.by_key.get(&(Mode::Data, t, n.as_str()))
                    {
                        if !opened {
                            read_names(expr, &mut names);
                            opened = true;
                        }
                        let mut v = self.resource_value(i).into_owned();
                        open_attrs(&mut v, &names, 0);
                        scope.insert(&["data", t, n], v);
                    }
                }
                (ty, Some(n)) => {
                    if let Some(&i) = self.def.by_key.get(&(Mode::Managed, ty, n)) {
                        if !opened {
                            read_names(expr, &mut names);
                            opened = true;
                        }
                        let mut v = self.resource_value(i).into_owned();
                        open_attrs(&mut v, &names, 0);
                        scope.insert(&[ty, n], v);
                    }
                }
                _ => {}
            }
        }
        hcl::eval(expr, &scope)
    }

    /// An expression that is one static reference (`netbox_device.cam.id`,
    /// `var.site.vlan`, `each.value.mac`), read straight from the values it
    /// names: the same value `eval` gets from a narrow scope, without
    /// copying anything but the part read. `None` leaves it to `eval`: a
    /// root or step this does not follow, a step that fails (the error is
    /// reported there), or a whole resource instance, which `open_attrs`
    /// would extend.
    fn read_reference(&self, expr: &Expr, b: &Bindings) -> Option<Value> {
        match self.walk(expr, expr, b, 0)? {
            Walk::At(v, Open::No) => Some(v.into_owned()),
            Walk::Unknown(u, at) => Some(hcl::locate(u.into_owned(), at)),
            Walk::At(..) | Walk::Names(_) => None,
        }
    }

    /// The resource instance whose unknown attribute the value of `expr`
    /// is, or holds first, handed to `f`; a reference is read without
    /// copying it.
    fn with_referent<R>(
        &self,
        expr: &Expr,
        b: &Bindings,
        f: impl FnOnce(&str) -> Option<R>,
    ) -> Option<R> {
        if let Some(addr) = self.id_referent(expr, b) {
            return f(&addr);
        }
        match self.walk(expr, expr, b, 0) {
            Some(Walk::At(v, Open::No)) => f(v.first_unknown()?.resource.as_deref()?),
            Some(Walk::Unknown(u, _)) => f(u.first_unknown()?.resource.as_deref()?),
            _ => {
                let v = self.eval(expr, b);
                f(v.first_unknown()?.resource.as_deref()?)
            }
        }
    }

    /// The instance `TYPE.NAME.id` reads, when `TYPE.NAME` is a managed
    /// resource of this module with one instance: `prefix` + its address,
    /// which is what walking the reference finds in the resource's unknown
    /// `id`. Walking evaluates the whole resource to get there, and for
    /// estates described by ids (`device_id = netbox_device.x.id`) that
    /// was a quarter of reading Terraform. Taken only where evaluating it
    /// could have no effect but its value ([`ModDef::quiet`], work left,
    /// so the instance walk ran to the end) and the walk would go exactly
    /// this way (not a `var`, `each`… root, not an iterator's name).
    fn id_referent(&self, e: &Expr, b: &Bindings) -> Option<String> {
        if !self.def.quiet || self.ctx.work.get() == 0 {
            return None;
        }
        let (inner, hcl::Part::Attr("id")) = hcl::Part::of(e)? else {
            return None;
        };
        let (root, hcl::Part::Attr(name)) = hcl::Part::of(inner)? else {
            return None;
        };
        let ExprKind::Variable(ty) = &root.kind else {
            return None;
        };
        if b.iters.iter().any(|(n, ..)| n == ty)
            || !matches!(root_names(ty, b)?, Names::Resource(_))
        {
            return None;
        }
        let &i = self.def.by_key.get(&(Mode::Managed, ty.as_str(), name))?;
        let r = self.def.resources.get(i)?;
        let body = &r.block.body;
        if body.attribute("count").is_some() || body.attribute("for_each").is_some() {
            return None;
        }
        Some(concat(&[&self.prefix, &r.address]))
    }

    fn walk<'v>(
        &'v self,
        e: &'v Expr,
        whole: &Expr,
        b: &'v Bindings,
        depth: u32,
    ) -> Option<Walk<'v>> {
        if depth > MAX_REFERENCE_STEPS {
            return None;
        }
        let Some((inner, part)) = hcl::Part::of(e) else {
            let ExprKind::Variable(root) = &e.kind else {
                return None;
            };
            if let Some((_, v, _)) = b.iters.iter().rev().find(|(n, ..)| n == root) {
                return Some(Walk::value(Cow::Borrowed(v), Open::No, e));
            }
            return root_names(root, b).map(Walk::Names);
        };
        let (v, open) = match self.walk(inner, whole, b, depth + 1)? {
            Walk::Unknown(u, at) => return Some(Walk::Unknown(u, at)),
            Walk::Names(names) => return self.name(names, part, b, e),
            Walk::At(v, open) => (v, open),
        };
        let child = match v {
            Cow::Borrowed(v) => match hcl::part_of(v, part) {
                Some(c) => Cow::Borrowed(c),
                None if open == Open::Here => Cow::Owned(unwritten(instance_of(v)?, part, whole)?),
                None => return None,
            },
            Cow::Owned(v) => {
                let addr = match open {
                    Open::Here => instance_of(&v).map(String::from),
                    _ => None,
                };
                match hcl::take_part(v, part) {
                    Some(c) => Cow::Owned(c),
                    None => Cow::Owned(unwritten(&addr?, part, whole)?),
                }
            }
        };
        let open = match open {
            Open::Elements => Open::element(&child),
            _ => Open::No,
        };
        Some(Walk::value(child, open, e))
    }

    /// The first step into a root the narrow scope holds as an object of
    /// names, as `eval` fills it.
    fn name<'v>(
        &'v self,
        names: Names<'v>,
        part: hcl::Part<'v>,
        b: &'v Bindings,
        e: &Expr,
    ) -> Option<Walk<'v>> {
        let attr = match part {
            hcl::Part::Attr(n) => Some(n),
            _ => None,
        };
        let v = match names {
            Names::Var => {
                let n = attr?;
                match self.vars.get(n) {
                    Some(s) => Cow::Borrowed(&s.value),
                    None => Cow::Owned(Value::deferred(format!("var.{n} is not declared"))),
                }
            }
            Names::Local => match self.local(attr?) {
                Cow::Borrowed(s) => Cow::Borrowed(&s.value),
                Cow::Owned(s) => Cow::Owned(s.value),
            },
            Names::Module => Cow::Owned(self.module_value(attr?)),
            Names::Data => return Some(Walk::Names(Names::DataType(attr?))),
            Names::DataType(t) => return self.resource_at(Mode::Data, t, attr?, e),
            Names::Resource(ty) => return self.resource_at(Mode::Managed, ty, attr?, e),
            Names::Each => {
                let (k, v, _) = b.each.as_ref()?;
                match part.object_key().as_ref() {
                    "key" => Cow::Borrowed(k),
                    "value" => Cow::Borrowed(v),
                    _ => return None,
                }
            }
            Names::Count => match (part.object_key().as_ref(), &b.count) {
                ("index", Some(c)) => Cow::Borrowed(c),
                _ => return None,
            },
        };
        Some(Walk::value(v, Open::No, e))
    }

    fn resource_at<'v>(&'v self, mode: Mode, ty: &str, name: &str, e: &Expr) -> Option<Walk<'v>> {
        let &i = self.def.by_key.get(&(mode, ty, name))?;
        let v = self.resource_value(i);
        let open = Open::resource(&v);
        Some(Walk::value(v, open, e))
    }

    /// Marks `key` as being evaluated; false if it already is (a cycle).
    fn enter(&self, key: &'d str) -> bool {
        let mut v = self.visiting.borrow_mut();
        if v.contains(&key) {
            return false;
        }
        v.push(key);
        true
    }

    fn leave(&self, key: &str) {
        let mut v = self.visiting.borrow_mut();
        if let Some(i) = v.iter().rposition(|k| *k == key) {
            v.remove(i);
        }
    }

    fn prov(&self, e: &Expr, file: &SourceFile, b: &Bindings) -> Prov {
        prov_of(e, file, Some((self, b)), 0)
    }

    /// Where the value a reference reads is written: through variables
    /// (to the tfvars line or the module argument), locals, `each.value`
    /// and `dynamic` iterators, down to the deepest known key.
    fn prov_ref(&self, e: &Expr, b: &Bindings) -> Option<Prov> {
        // Only these roots carry provenance. A reference to anything else
        // with nothing to evaluate in its indexes is answered at once.
        if let Some(root) = static_root(e)
            && !matches!(root, "var" | "local" | "each")
            && !b.iters.iter().any(|(n, ..)| n == root)
        {
            return None;
        }
        let (root, steps) = self.steps_of(e, b)?;
        let first = steps.first().and_then(Value::as_str);
        let rest = steps.get(1..).unwrap_or(&[]);
        let base = if let Some((_, _, p)) = b.iters.iter().rev().find(|(n, ..)| *n == root) {
            if first != Some("value") {
                return None;
            }
            p.clone()?
        } else {
            match root {
                "var" => self.vars.get(first?)?.prov.clone(),
                "local" => {
                    let l = self.local(first?).into_owned();
                    if l.prov.span() == Span::default() {
                        return None;
                    }
                    l.prov
                }
                "each" if first == Some("value") => b.each.as_ref()?.2.clone()?,
                _ => return None,
            }
        };
        Some(base.walk(rest))
    }

    /// A traversal with computed indexes evaluated; an unknown index ends
    /// it there.
    fn steps_of<'e>(&self, e: &'e Expr, b: &Bindings) -> Option<(&'e str, Vec<Value>)> {
        let mut rev = Vec::new();
        let mut cur = e;
        loop {
            match &cur.kind {
                ExprKind::Variable(root) => {
                    rev.reverse();
                    return Some((root.as_str(), rev));
                }
                ExprKind::GetAttr(inner, name) => {
                    rev.push(Value::String(name.clone()));
                    cur = inner;
                }
                ExprKind::Index(inner, key) => {
                    let k = self.eval(key, b);
                    if k.is_known() {
                        rev.push(k);
                    } else {
                        rev.clear();
                    }
                    cur = inner;
                }
                _ => return None,
            }
        }
    }

    fn local(&self, name: &str) -> Cow<'_, Sourced> {
        let found = self
            .def
            .locals
            .get(name)
            .and_then(|&i| Some((self.local_memo.get(i)?, self.def.local_defs.get(i)?)));
        let Some((memo, (expr, file, key))) = found else {
            return Cow::Owned(Sourced {
                value: Value::deferred(format!("local.{name} is not defined")),
                prov: Prov::Leaf(Span::default()),
            });
        };
        if let Some(v) = memo.get() {
            return Cow::Borrowed(v);
        }
        if !self.enter(key) {
            return Cow::Owned(Sourced {
                value: Value::deferred(format!("local.{name} refers to itself")),
                prov: Prov::Leaf(span_of(file, expr.range)),
            });
        }
        let none = Bindings::default();
        let value = self.eval(expr, &none);
        let prov = self.prov(expr, file, &none);
        self.leave(key);
        // Nothing below sets this cell: a reference back to it while it was
        // computed ended at `visiting` above.
        let _ = memo.set(Sourced { value, prov });
        match memo.get() {
            Some(v) => Cow::Borrowed(v),
            None => Cow::Owned(Sourced {
                value: Value::Null,
                prov: Prov::Leaf(Span::default()),
            }),
        }
    }

    /// How a block is repeated by its `count` or `for_each`.
    fn expand(&self, body: &Body, file: &SourceFile, b: &Bindings) -> Expansion {
        let single = |doubt| Expansion {
            shape: Shape::Single,
            keys: vec![(Key::None, b.clone())],
            doubt,
        };
        if let Some(a) = body.attribute("for_each") {
            let doubt = |why: String| {
                let mut nb = b.clone();
                let u = Value::deferred(why.clone());
                nb.each = Some((u.clone(), u, None));
                Expansion {
                    shape: Shape::Each,
                    keys: vec![(Key::None, nb)],
                    doubt: Some((
                        span_of(file, a.expr.range),
                        format!("for_each = {}: {why}", expr_text(file, &a.expr)),
                    )),
                }
            };
            let pairs: Vec<(String, Value)> = match self.eval(&a.expr, b) {
                Value::Object(m) => m.into_iter().collect(),
                Value::List(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for v in items {
                        match v {
                            Value::String(s) => out.push((s.clone(), Value::String(s))),
                            Value::Unknown(u) => return doubt(u.reason),
                            other => {
                                return doubt(format!(
                                    "for_each needs a set of strings, not a list of {}s",
                                    other.type_name()
                                ));
                            }
                        }
                    }
                    out.sort_by(|x, y| x.0.cmp(&y.0));
                    out.dedup_by(|x, y| x.0 == y.0);
                    out
                }
                Value::Unknown(u) => return doubt(u.reason),
                other => {
                    return doubt(format!(
                        "for_each needs a map or a set of strings, not {}",
                        other.type_name()
                    ));
                }
            };
            let prov = self.prov(&a.expr, file, b);
            let pairs = self.capped(pairs, span_of(file, a.expr.range), "for_each");
            let keys = pairs
                .into_iter()
                .map(|(k, v)| {
                    let key = Value::String(k.clone());
                    let p = prov.get(&key).cloned();
                    let mut nb = b.clone();
                    nb.each = Some((key, v, p));
                    (Key::Name(k), nb)
                })
                .collect();
            return Expansion {
                shape: Shape::Each,
                keys,
                doubt: None,
            };
        }
        if let Some(a) = body.attribute("count") {
            let n = match self.eval(&a.expr, b) {
                Value::Number(n) if n >= 0.0 && n.fract() == 0.0 => n,
                Value::Unknown(u) => {
                    let mut nb = b.clone();
                    nb.count = Some(Value::deferred(u.reason.clone()));
                    return Expansion {
                        shape: Shape::Count,
                        keys: vec![(Key::None, nb)],
                        doubt: Some((
                            span_of(file, a.expr.range),
                            format!("count = {}: {}", expr_text(file, &a.expr), u.reason),
                        )),
                    };
                }
                Value::Bool(x) => {
                    if x {
                        1.0
                    } else {
                        0.0
                    }
                }
                other => {
                    return single(Some((
                        span_of(file, a.expr.range),
                        format!(
                            "count = {}: needs a whole number, not {}",
                            expr_text(file, &a.expr),
                            other.to_display()
                        ),
                    )));
                }
            };
            let all: Vec<usize> = (0..(n.min(MAX_INSTANCES as f64 + 1.0) as usize)).collect();
            let idx = self.capped(all, span_of(file, a.expr.range), "count");
            let keys = idx
                .into_iter()
                .map(|i| {
                    let mut nb = b.clone();
                    nb.count = Some(Value::Number(i as f64));
                    (Key::Index(i), nb)
                })
                .collect();
            return Expansion {
                shape: Shape::Count,
                keys,
                doubt: None,
            };
        }
        single(None)
    }

    fn capped<T>(&self, mut items: Vec<T>, span: Span, what: &str) -> Vec<T> {
        if items.len() > MAX_INSTANCES {
            items.truncate(MAX_INSTANCES);
            self.ctx.note(
                EVALUATION_LIMIT,
                span,
                format!("{what} gives more than {MAX_INSTANCES} instances; only the first {MAX_INSTANCES} were checked"),
            );
        }
        items
    }

    /// A body's attributes and nested blocks (`dynamic` ones expanded) as
    /// an object; nested blocks of one type become a list.
    fn body_value(&self, body: &Body, file: &SourceFile, b: &Bindings, depth: u32) -> Value {
        let mut m = BTreeMap::new();
        for a in &body.attributes {
            if !META.contains(&a.name.as_str()) {
                m.insert(a.name.clone(), self.eval(&a.expr, b));
            }
        }
        if depth < MAX_BLOCK_DEPTH {
            for blk in &body.blocks {
                let (kind, items) = match blk.kind.as_str() {
                    "lifecycle" | "provisioner" | "connection" => continue,
                    "dynamic" => match blk.label(0) {
                        Some(kind) => (
                            kind.to_string(),
                            self.dynamic(blk, file, b, depth)
                                .into_iter()
                                .map(|(v, _)| v)
                                .collect(),
                        ),
                        None => continue,
                    },
                    kind => (
                        kind.to_string(),
                        vec![self.body_value(&blk.body, file, b, depth + 1)],
                    ),
                };
                if let Value::List(list) = m.entry(kind).or_insert_with(|| Value::List(Vec::new()))
                {
                    list.extend(items);
                }
            }
        }
        Value::Object(m)
    }

    /// The blocks a `dynamic` block stands for, each with the bindings its
    /// content was evaluated with.
    fn dynamic(
        &self,
        blk: &Block,
        file: &SourceFile,
        b: &Bindings,
        depth: u32,
    ) -> Vec<(Value, Bindings)> {
        let (Some(label), Some(content)) = (blk.label(0), blk.body.blocks_of("content").next())
        else {
            return Vec::new();
        };
        let iter = blk
            .body
            .attribute("iterator")
            .and_then(|a| match &a.expr.kind {
                ExprKind::Variable(n) => Some(n.clone()),
                _ => a.expr.as_str().map(String::from),
            })
            .unwrap_or_else(|| label.to_string());
        let Some(fe) = blk.body.attribute("for_each") else {
            return Vec::new();
        };
        let pairs: Vec<(Value, Value)> = match self.eval(&fe.expr, b) {
            Value::Object(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect(),
            Value::Unknown(u) => return vec![(Value::Unknown(u), b.clone())],
            _ => return Vec::new(),
        };
        let at = span_of(file, fe.expr.range);
        let pairs = self.capped(pairs, at, "dynamic for_each");
        let prov = self.prov(&fe.expr, file, b);
        pairs
            .into_iter()
            .take_while(|_| self.ctx.spend(at))
            .map(|(k, v)| {
                let p = prov.get(&k).cloned();
                let mut obj = BTreeMap::new();
                obj.insert("key".to_string(), k);
                obj.insert("value".to_string(), v);
                let mut nb = b.clone();
                nb.iters.push((iter.clone(), Value::Object(obj), p));
                (self.body_value(&content.body, file, &nb, depth + 1), nb)
            })
            .collect()
    }

    /// A resource as its instances' objects: one object, a list (`count`)
    /// or a map (`for_each`). `id` and every attribute not written are
    /// unknown until apply.
    fn resource_value(&self, i: usize) -> Cow<'_, Value> {
        let (Some(r), Some(memo)) = (self.def.resources.get(i), self.res_memo.get(i)) else {
            return Cow::Owned(Value::Null);
        };
        if let Some(v) = memo.get() {
            return Cow::Borrowed(v);
        }
        let key = r.address.as_str();
        if !self.enter(key) {
            return Cow::Owned(Value::deferred(concat(&[key, " refers to itself"])));
        }
        let ex = self.expand(&r.block.body, r.file, &Bindings::default());
        let v = if let Some((_, why)) = &ex.doubt {
            Value::deferred(format!(
                "the instances of {}{key} are not known: {why}",
                self.prefix
            ))
        } else {
            let mut objs: Vec<(Key, Value)> = Vec::with_capacity(ex.keys.len());
            for (k, b) in &ex.keys {
                let addr = concat(&[&self.prefix, key, &k.suffix()]);
                let mut obj = self.body_value(&r.block.body, r.file, b, 0);
                if let Value::Object(m) = &mut obj {
                    m.insert("id".into(), Value::after_apply(&addr, "id"));
                }
                objs.push((k.clone(), obj));
            }
            shape_value(ex.shape, objs)
        };
        self.leave(key);
        // As for locals: a reference back to this resource while it was
        // computed did not set the cell.
        let _ = memo.set(v);
        match memo.get() {
            Some(v) => Cow::Borrowed(v),
            None => Cow::Owned(Value::Null),
        }
    }

    /// `module.NAME` as the caller sees it: the outputs of each instance.
    fn module_value(&self, name: &str) -> Value {
        let Some(ci) = self.def.calls.iter().position(|c| c.name == name) else {
            return Value::deferred(format!("module.{name} is not declared"));
        };
        let Some(kids) = self.children(ci) else {
            return Value::deferred(format!("module.{name} is not evaluated"));
        };
        let shape = match self.def.calls.get(ci) {
            Some(c) if c.block.body.attribute("for_each").is_some() => Shape::Each,
            Some(c) if c.block.body.attribute("count").is_some() => Shape::Count,
            _ => Shape::Single,
        };
        let objs = kids
            .iter()
            .map(|c| {
                let none = Bindings::default();
                let outs = c
                    .inst
                    .def
                    .outputs
                    .iter()
                    .map(|(n, e)| (n.to_string(), c.inst.eval(e, &none)))
                    .collect();
                (c.key.clone(), Value::Object(outs))
            })
            .collect();
        shape_value(shape, objs)
    }

    /// The instances of a module call, created on first use. `None` when
    /// the call is not evaluated (remote, missing, too deep, a cycle).
    fn children(&self, ci: usize) -> Option<&[Child<'d, 'a>]> {
        let cell = self.children.get(ci)?;
        if let Some(v) = cell.get() {
            return Some(v);
        }
        let call = self.def.calls.get(ci)?;
        if !self.enter(&call.key) {
            return None;
        }
        let made = self.make_children(call);
        self.leave(&call.key);
        let made = made?;
        let _ = cell.set(made);
        cell.get().map(Vec::as_slice)
    }

    fn make_children(&self, call: &Call<'a>) -> Option<Vec<Child<'d, 'a>>> {
        let at = span_of(call.file, call.block.range);
        let name = format!("{}module.{}", self.prefix, call.name);
        let Some(dir) = call.local_dir(&self.def.dir) else {
            let why = match call.source {
                Some(s) => format!("{name} comes from \"{s}\""),
                None => format!("{name} has no literal source"),
            };
            self.ctx.not_evaluated(
                &name,
                at,
                format!(
                    "{why}: module not available locally; run terraform init or scan the plan JSON"
                ),
            );
            return None;
        };
        let Some(target) = self.ctx.defs.find(&dir) else {
            self.ctx.not_evaluated(
                &name,
                at,
                format!(
                    "{name}: {} is not in the scan; scan it too, or scan the plan JSON",
                    crate::model::display_path(&dir)
                ),
            );
            return None;
        };
        if self.ancestry.contains(&target) {
            self.ctx.not_evaluated(
                &name,
                at,
                format!("{name} calls a module that is already being evaluated above it (a cycle)"),
            );
            return None;
        }
        if self.ancestry.len() >= MAX_MODULE_DEPTH {
            self.ctx.not_evaluated(
                &name,
                at,
                format!("{name} is nested more than {MAX_MODULE_DEPTH} modules deep"),
            );
            return None;
        }
        let def = self.ctx.defs.defs.get(target)?;
        let ex = self.expand(&call.block.body, call.file, &Bindings::default());
        let mut out = Vec::with_capacity(ex.keys.len());
        for (key, b) in ex.keys {
            let left = self.ctx.module_budget.get();
            if left == 0 {
                self.ctx.note(
                    EVALUATION_LIMIT,
                    at,
                    format!("more than {MAX_MODULE_INSTANCES} module instances; the rest were not checked"),
                );
                break;
            }
            self.ctx.module_budget.set(left - 1);
            let mut vars = BTreeMap::new();
            for &(vname, vb, vfile) in &def.variables {
                let sourced = match call.block.body.attribute(vname) {
                    Some(a) if !META.contains(&vname) => Sourced {
                        value: self.eval(&a.expr, &b),
                        prov: self.prov(&a.expr, call.file, &b),
                    },
                    _ => match vb.body.attribute("default") {
                        Some(a) => Sourced {
                            value: hcl::eval(&a.expr, &EmptyScope),
                            prov: prov_of(&a.expr, vfile, None, 0),
                        },
                        None => Sourced {
                            value: Value::deferred(format!(
                                "var.{vname} has no default and {name} does not set it"
                            )),
                            prov: Prov::Leaf(span_of(vfile, vb.range)),
                        },
                    },
                };
                vars.insert(vname.to_string(), sourced);
            }
            let here = format!("{name}{}", key.suffix());
            let mut trail = self.trail.clone();
            trail.push((at, format!("{here} instantiated here")));
            let mut ancestry = self.ancestry.clone();
            ancestry.push(target);
            let mut inst = Instance::with(
                self.ctx,
                def,
                format!("{here}."),
                self.anchor.or(Some(at)),
                trail,
                ancestry,
                vars,
            );
            if let Some((span, why)) = &ex.doubt {
                // One instance stands for an unknown number of them.
                inst.trail
                    .push((*span, format!("instances unknown: {why}")));
            }
            out.push(Child {
                key,
                inst: Box::new(inst),
            });
        }
        Some(out)
    }

    /// Every resource instance here and in the modules below, for the
    /// builder.
    pub fn items<'x>(&'x self, out: &mut Vec<Item<'x, 'd, 'a>>) {
        for (i, r) in self.def.resources.iter().enumerate() {
            let ex = self.expand(&r.block.body, r.file, &Bindings::default());
            for (key, b) in ex.keys {
                if !self.ctx.spend(span_of(r.file, r.block.range)) {
                    return;
                }
                out.push(Item {
                    address: concat(&[&self.prefix, &r.address, &key.suffix()]),
                    inst: self,
                    res: i,
                    b,
                    doubt: ex.doubt.clone(),
                });
            }
        }
        for ci in 0..self.def.calls.len() {
            for c in self.children(ci).unwrap_or(&[]) {
                c.inst.items(out);
            }
        }
    }

    fn res(&self, i: usize) -> Option<&Res<'a>> {
        self.def.resources.get(i)
    }

    fn text_of(&self, i: usize, b: &Bindings, address: &str, attr: &str) -> Read {
        let Some(r) = self.res(i) else {
            return Read::Absent;
        };
        let Some(a) = r.block.body.attribute(attr) else {
            return Read::Absent;
        };
        match self.eval(&a.expr, b) {
            Value::Unknown(u) => Read::Unknown(
                span_of(r.file, a.expr.range),
                format!(
                    "{address}.{attr} = {}: {}",
                    expr_text(r.file, &a.expr),
                    u.reason
                ),
            ),
            v => match into_scalar_text(v) {
                Some(s) => Read::Known(s, self.prov(&a.expr, r.file, b).span()),
                None => Read::Absent,
            },
        }
    }

    /// An attribute's value and where its parts are written, or the nested
    /// blocks of that name (`dynamic` ones expanded) as a list of objects.
    fn value_prov(&self, i: usize, b: &Bindings, attr: &str) -> Option<(Value, Prov)> {
        let r = self.res(i)?;
        if let Some(a) = r.block.body.attribute(attr) {
            return Some((self.eval(&a.expr, b), self.prov(&a.expr, r.file, b)));
        }
        let mut values = Vec::new();
        let mut provs = Vec::new();
        for blk in &r.block.body.blocks {
            if blk.kind == attr {
                values.push(self.body_value(&blk.body, r.file, b, 1));
                provs.push((
                    None,
                    self.body_prov(&blk.body, r.file, b, span_of(r.file, blk.range)),
                ));
            } else if blk.kind == "dynamic" && blk.label(0) == Some(attr) {
                let content = blk.body.blocks_of("content").next();
                for (v, nb) in self.dynamic(blk, r.file, b, 0) {
                    let p = match content {
                        Some(c) => self.body_prov(&c.body, r.file, &nb, span_of(r.file, c.range)),
                        None => Prov::Leaf(span_of(r.file, blk.range)),
                    };
                    values.push(v);
                    provs.push((None, p));
                }
            }
        }
        if values.is_empty() {
            return None;
        }
        Some((
            Value::List(values),
            Prov::List(span_of(r.file, r.block.range), provs),
        ))
    }

    fn body_prov(&self, body: &Body, file: &SourceFile, b: &Bindings, at: Span) -> Prov {
        Prov::Map(
            at,
            body.attributes
                .iter()
                .map(|a| (a.name.clone(), self.prov(&a.expr, file, b)))
                .collect(),
        )
    }
}

fn shape_value(shape: Shape, objs: Vec<(Key, Value)>) -> Value {
    match shape {
        Shape::Single => objs
            .into_iter()
            .next()
            .map(|(_, v)| v)
            .unwrap_or(Value::Null),
        Shape::Count => Value::List(objs.into_iter().map(|(_, v)| v).collect()),
        Shape::Each => Value::Object(
            objs.into_iter()
                .map(|(k, v)| match k {
                    Key::Name(n) => (n, v),
                    Key::Index(i) => (i.to_string(), v),
                    Key::None => (String::new(), v),
                })
                .collect(),
        ),
    }
}

/// Tags from a value: a list gives bare tags (strings, or objects with a
/// `name`, or `key`/`value` pairs as nested `tag` blocks write them), a map
/// key/value pairs. A NetBox tag reference evaluates to the tag's object.
fn tag_entries(v: Value, p: &Prov) -> Vec<(Option<String>, String, Span)> {
    let at = |step: Value| p.get(&step).map(Prov::span).unwrap_or(p.span());
    match v {
        Value::List(items) => items
            .into_iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let here = p.get(&Value::Number(i as f64));
                let span = here.map(Prov::span).unwrap_or(p.span());
                match v {
                    Value::String(s) => Some((None, s, span)),
                    Value::Object(o) => {
                        let field = |k: &str| {
                            let v = o.get(k).and_then(scalar_text)?;
                            let s = here
                                .and_then(|h| h.get(&Value::String(k.into())))
                                .map(Prov::span)
                                .unwrap_or(span);
                            Some((v, s))
                        };
                        if let (Some((k, _)), Some((v, s))) = (field("key"), field("value")) {
                            Some((Some(k), v, s))
                        } else {
                            field("name").map(|(n, s)| (None, n, s))
                        }
                    }
                    _ => None,
                }
            })
            .collect(),
        Value::Object(map) => map
            .into_iter()
            .filter_map(|(k, v)| match v {
                Value::String(s) => Some((Some(k.clone()), s, at(Value::String(k)))),
                Value::Bool(b) => Some((Some(k.clone()), b.to_string(), at(Value::String(k)))),
                _ => None,
            })
            .collect(),
        Value::String(s) => vec![(None, s, p.span())],
        _ => Vec::new(),
    }
}

/// One resource instance of an evaluated module tree.
pub struct Item<'x, 'd, 'a> {
    inst: &'x Instance<'d, 'a>,
    res: usize,
    b: Bindings,
    doubt: Option<(Span, String)>,
    address: String,
}

/// The instance each attribute of one item refers to, as found so far.
type Referents = Vec<(Box<str>, Option<usize>)>;

/// Every resource instance under one root module, for the builder.
pub struct HclView<'x, 'd, 'a> {
    items: Vec<Item<'x, 'd, 'a>>,
    /// Answers of `referent` by item: the builder asks again for every
    /// device of a type and for an interface reached from its addresses.
    referents: RefCell<Vec<Referents>>,
    /// Item indexes sorted by address (the same address twice: in item
    /// order), to find an instance by address without a copy of each.
    by_address: Vec<usize>,
}

impl<'x, 'd, 'a> HclView<'x, 'd, 'a> {
    pub fn new(root: &'x Instance<'d, 'a>) -> Self {
        let mut items = Vec::with_capacity(root.def.resources.len());
        root.items(&mut items);
        let mut by_address: Vec<usize> = (0..items.len()).collect();
        by_address.sort_by(|&x, &y| {
            let at = |i: usize| items.get(i).map(|it| it.address.as_str());
            at(x).cmp(&at(y))
        });
        HclView {
            referents: RefCell::new(vec![Vec::new(); items.len()]),
            items,
            by_address,
        }
    }

    /// The item at an address; the last one when several have it.
    fn find(&self, addr: &str) -> Option<usize> {
        let at = |i: usize| self.items.get(i).map(|it| it.address.as_str());
        let end = self.by_address.partition_point(|&i| at(i) <= Some(addr));
        let &i = self.by_address.get(end.checked_sub(1)?)?;
        (at(i) == Some(addr)).then_some(i)
    }

    fn item(&self, i: usize) -> Option<(&Item<'x, 'd, 'a>, &Res<'a>)> {
        let it = self.items.get(i)?;
        Some((it, it.inst.res(it.res)?))
    }
}

impl View for HclView<'_, '_, '_> {
    fn count(&self) -> usize {
        self.items.len()
    }

    fn ty(&self, i: usize) -> &str {
        self.item(i).map(|(_, r)| r.ty).unwrap_or("")
    }

    fn is_data(&self, i: usize) -> bool {
        self.item(i).is_some_and(|(_, r)| r.mode == Mode::Data)
    }

    fn address(&self, i: usize) -> &str {
        self.items
            .get(i)
            .map(|it| it.address.as_str())
            .unwrap_or("")
    }

    fn decl(&self, i: usize) -> Span {
        match self.item(i) {
            Some((it, r)) => it
                .inst
                .anchor
                .unwrap_or_else(|| span_of(r.file, r.block.range)),
            None => Span::default(),
        }
    }

    fn trail(&self, i: usize) -> Vec<(Span, String)> {
        let Some((it, r)) = self.item(i) else {
            return Vec::new();
        };
        if it.inst.anchor.is_none() {
            return Vec::new();
        }
        let path = normalize(&r.file.path);
        let shown = path
            .strip_prefix(&it.inst.ctx.root_dir)
            .map(crate::model::display_path)
            .unwrap_or_else(|_| r.file.display_path());
        let mut t = it.inst.trail.clone();
        t.push((
            span_of(r.file, r.block.range),
            format!("{} declared in {shown}", r.address),
        ));
        t
    }

    fn doubts(&self, i: usize) -> Vec<(Span, String)> {
        self.items
            .get(i)
            .and_then(|it| it.doubt.clone())
            .into_iter()
            .collect()
    }

    fn attr_names(&self, i: usize) -> Vec<String> {
        self.item(i)
            .map(|(_, r)| {
                r.block
                    .body
                    .attributes
                    .iter()
                    .filter(|a| !META.contains(&a.name.as_str()))
                    .map(|a| a.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn block_names(&self, i: usize) -> Vec<String> {
        let mut out: Vec<String> = self
            .item(i)
            .map(|(_, r)| {
                r.block
                    .body
                    .blocks
                    .iter()
                    .filter_map(|b| match b.kind.as_str() {
                        "dynamic" => b.label(0).map(String::from),
                        k => Some(k.to_string()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.dedup();
        out
    }

    fn text(&self, i: usize, attr: &str) -> Read {
        match self.items.get(i) {
            Some(it) => it.inst.text_of(it.res, &it.b, &it.address, attr),
            None => Read::Absent,
        }
    }

    fn strings(&self, i: usize, attr: &str) -> Vec<(String, Span)> {
        let Some((it, r)) = self.item(i) else {
            return Vec::new();
        };
        let Some(a) = r.block.body.attribute(attr) else {
            return Vec::new();
        };
        let p = it.inst.prov(&a.expr, r.file, &it.b);
        match it.inst.eval(&a.expr, &it.b) {
            Value::String(s) => vec![(s, p.span())],
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .filter_map(|(n, v)| {
                    let span = p
                        .get(&Value::Number(n as f64))
                        .map(Prov::span)
                        .unwrap_or(p.span());
                    v.as_str().map(|s| (s.to_string(), span))
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn tags(&self, i: usize, attr: &str) -> Vec<(Option<String>, String, Span)> {
        let Some(it) = self.items.get(i) else {
            return Vec::new();
        };
        match it.inst.value_prov(it.res, &it.b, attr) {
            Some((v, p)) => tag_entries(v, &p),
            None => Vec::new(),
        }
    }

    fn attr_span(&self, i: usize, attr: &str) -> Option<Span> {
        let (_, r) = self.item(i)?;
        let a = r.block.body.attribute(attr)?;
        Some(span_of(r.file, a.range))
    }

    fn referent(&self, i: usize, attr: &str) -> Option<usize> {
        // Evaluation at the top is the same whenever it happens: memoised
        // values never change once set.
        if let Some(known) = self.referents.borrow().get(i).and_then(|seen| {
            seen.iter()
                .find(|(a, _)| a.as_ref() == attr)
                .map(|(_, t)| *t)
        }) {
            return known;
        }
        let found = self.find_referent(i, attr);
        if let Some(seen) = self.referents.borrow_mut().get_mut(i) {
            seen.push((attr.into(), found));
        }
        found
    }
}

impl HclView<'_, '_, '_> {
    fn find_referent(&self, i: usize, attr: &str) -> Option<usize> {
        let (it, r) = self.item(i)?;
        let a = r.block.body.attribute(attr)?;
        it.inst
            .with_referent(&a.expr, &it.b, |addr| self.find(addr))
    }
}

/// What a traversal's root variable names when it is not an iterator:
/// `None` for a root the walk cannot follow (`path`, an unbound `each`).
fn root_names<'v>(root: &'v str, b: &Bindings) -> Option<Names<'v>> {
    Some(match root {
        "var" => Names::Var,
        "local" => Names::Local,
        "module" => Names::Module,
        "data" => Names::Data,
        "each" if b.each.is_some() => Names::Each,
        "count" if b.count.is_some() => Names::Count,
        "each" | "count" | "path" | "terraform" => return None,
        ty => Names::Resource(ty),
    })
}

/// A `dynamic` block anywhere in `body`, however deeply nested (walked
/// without recursion: nesting is as deep as the file makes it).
fn has_dynamic(body: &Body) -> bool {
    let mut todo = vec![body];
    while let Some(b) = todo.pop() {
        for blk in &b.blocks {
            if blk.kind == "dynamic" {
                return true;
            }
            todo.push(&blk.body);
        }
    }
    false
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
    fn lookup(&self, root: &str) -> Option<&Value> {
        self.roots.get(root)
    }
}

/// Steps a static reference may have for `Instance::read_reference` to
/// follow it; longer ones are left to the evaluator and its depth limit.
const MAX_REFERENCE_STEPS: u32 = 32;

/// How far `Instance::read_reference` has followed a traversal.
enum Walk<'v> {
    /// A root the narrow scope holds as an object of names (`var`, a
    /// resource type, `data.TYPE`…): not a value yet.
    Names(Names<'v>),
    /// A value, and whether `open_attrs` would extend it here.
    At(Cow<'v, Value>, Open),
    /// An unknown met on the way, and where it was met (its location if
    /// it has none): every later step passes it through unchanged.
    Unknown(Cow<'v, Value>, hcl::TextRange),
}

impl<'v> Walk<'v> {
    /// The value one node of the traversal reads; an unknown takes that
    /// node's location if it has none, as in the evaluator.
    fn value(v: Cow<'v, Value>, open: Open, at: &Expr) -> Walk<'v> {
        match v {
            Cow::Borrowed(Value::Unknown(_)) | Cow::Owned(Value::Unknown(_)) => {
                Walk::Unknown(v, at.range)
            }
            v => Walk::At(v, open),
        }
    }
}

#[derive(Clone, Copy)]
enum Names<'v> {
    Var,
    Local,
    Module,
    Data,
    DataType(&'v str),
    Resource(&'v str),
    Each,
    Count,
}

/// Where `open_attrs` adds the attributes an expression reads to a
/// resource's value: the instance object itself, or each element of a
/// `count` list or `for_each` map.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    No,
    Here,
    Elements,
}

impl Open {
    fn resource(v: &Value) -> Open {
        match v {
            Value::Object(_) if instance_of(v).is_some() => Open::Here,
            Value::Object(_) | Value::List(_) => Open::Elements,
            _ => Open::No,
        }
    }

    fn element(v: &Value) -> Open {
        match instance_of(v) {
            Some(_) => Open::Here,
            None => Open::No,
        }
    }
}

/// The resource instance an object is, known by its unknown `id`.
fn instance_of(v: &Value) -> Option<&str> {
    match v {
        Value::Object(m) => match m.get("id") {
            Some(Value::Unknown(u)) => u.resource.as_deref(),
            _ => None,
        },
        _ => None,
    }
}

/// The attribute `open_attrs` gives an instance when the expression reads
/// it and the resource does not write it.
fn unwritten(addr: &str, part: hcl::Part<'_>, whole: &Expr) -> Option<Value> {
    let key = part.object_key();
    reads_attr(whole, &key).then(|| Value::after_apply(addr, &key))
}

/// Whether `read_names` would find `name` in the expression.
fn reads_attr(e: &Expr, name: &str) -> bool {
    if let ExprKind::GetAttr(_, n) = &e.kind
        && n == name
    {
        return true;
    }
    let mut found = false;
    e.for_each_child(&mut |c| found = found || reads_attr(c, name));
    found
}
