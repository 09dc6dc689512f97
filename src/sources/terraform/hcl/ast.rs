//! The syntax tree shared by the native and the JSON parser: bodies,
//! attributes, blocks and expressions, every node with its byte range.
//!
//! The tree is purely syntactic. Evaluation lives in `eval`, and deciding
//! what a block *means* (a device, a prefix…) is left to the Terraform
//! source that walks it. The helpers here answer the questions those walkers
//! ask without evaluating: "is this a plain reference?", "which references
//! appear anywhere in here?", "is this a literal string?".

use super::TextRange;
use super::value::Value;

/// The contents of a file or of a block, in source order within each vec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

impl Body {
    /// The first attribute named `name` (HCL forbids duplicates; a broken
    /// file may still have them, and the first one is what a reader sees).
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// Nested blocks of one type, in source order.
    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

/// `name = expr`; `range` runs from the name to the end of the expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub name_range: TextRange,
    pub expr: Expr,
    pub range: TextRange,
}

/// `kind "label" label { body }`; `range` runs from the type keyword to the
/// closing brace (to wherever the block stopped when the brace is missing).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: String,
    pub kind_range: TextRange,
    pub labels: Vec<(String, TextRange)>,
    pub body: Body,
    pub range: TextRange,
}

impl Block {
    pub fn label(&self, i: usize) -> Option<&str> {
        self.labels.get(i).map(|(s, _)| s.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub range: TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Negate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    NotEq,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl BinaryOp {
    /// HCL's precedence, higher binds tighter.
    pub(crate) fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq | BinaryOp::NotEq => 3,
            BinaryOp::Less | BinaryOp::LessEq | BinaryOp::Greater | BinaryOp::GreaterEq => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 6,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    /// Quoted strings and heredocs. A string without interpolation is a
    /// single `Literal` part (or no part at all when empty).
    Template(Vec<TemplatePart>),
    Tuple(Vec<Expr>),
    /// Keys are expressions; a bare identifier key (`{ name = 1 }`) is
    /// stored as a literal template, as HCL reads it.
    Object(Vec<(Expr, Expr)>),
    /// The root of a traversal: `var`, `local`, `aws_instance`…
    Variable(String),
    GetAttr(Box<Expr>, String),
    /// `a[i]`, and the legacy `a.0` form.
    Index(Box<Expr>, Box<Expr>),
    /// `source[*].each` or `source.*.each`: `each` is evaluated once per
    /// element with [`ExprKind::SplatItem`] standing for the element.
    Splat {
        source: Box<Expr>,
        each: Box<Expr>,
    },
    /// The element inside a splat's `each`.
    SplatItem,
    Call {
        /// With namespace, e.g. `provider::terraform::decode_tfvars`.
        name: String,
        args: Vec<Expr>,
        /// The last argument was followed by `...`.
        expand_final: bool,
    },
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    ForTuple {
        key_var: Option<String>,
        value_var: String,
        collection: Box<Expr>,
        value: Box<Expr>,
        condition: Option<Box<Expr>>,
    },
    ForObject {
        key_var: Option<String>,
        value_var: String,
        collection: Box<Expr>,
        key: Box<Expr>,
        value: Box<Expr>,
        /// `=> value...`: values with the same key are collected in a list.
        grouping: bool,
        condition: Option<Box<Expr>>,
    },
    Parens(Box<Expr>),
    /// Stands in for an expression that could not be parsed; the matching
    /// [`super::SyntaxError`] says why.
    Invalid,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    /// Text with escapes decoded and strip markers applied; the range is
    /// the source text it came from.
    Literal(String, TextRange),
    Interpolation(Expr),
    If {
        condition: Expr,
        then: Vec<TemplatePart>,
        otherwise: Vec<TemplatePart>,
        range: TextRange,
    },
    For {
        key_var: Option<String>,
        value_var: String,
        collection: Expr,
        body: Vec<TemplatePart>,
        range: TextRange,
    },
}

/// One step of a static traversal.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Attr(String),
    /// A literal index: `[0]`, `["key"]`, `.0`.
    Index(Value),
}

impl Expr {
    pub(crate) fn new(kind: ExprKind, range: TextRange) -> Expr {
        Expr { kind, range }
    }

    /// `a.b["c"].d` as (root, steps) when the expression is a pure
    /// traversal with literal indexes; `None` otherwise.
    pub fn as_traversal(&self) -> Option<(&str, Vec<Step>)> {
        let mut steps = Vec::new();
        let mut cur = self;
        loop {
            match &cur.kind {
                ExprKind::Variable(root) => {
                    steps.reverse();
                    return Some((root.as_str(), steps));
                }
                ExprKind::GetAttr(inner, name) => {
                    steps.push(Step::Attr(name.clone()));
                    cur = inner;
                }
                ExprKind::Index(inner, key) => {
                    steps.push(Step::Index(literal_value(key)?));
                    cur = inner;
                }
                _ => return None,
            }
        }
    }

    /// Every traversal anywhere inside, each cut at its first non-literal
    /// index or splat, with the range of the part kept. Names bound by `for`
    /// expressions are not references and are left out.
    pub fn traversals(&self) -> Vec<(String, Vec<Step>, TextRange)> {
        let mut out = Vec::new();
        let mut bound = Vec::new();
        collect_traversals(self, &mut bound, &mut out);
        out
    }

    /// The literal string when the expression is a template without
    /// interpolation or directives.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Template(parts) => match parts.as_slice() {
                [] => Some(""),
                [TemplatePart::Literal(s, _)] => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// Calls `f` on each direct child expression.
    pub fn for_each_child<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        match &self.kind {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::Variable(_)
            | ExprKind::SplatItem
            | ExprKind::Invalid => {}
            ExprKind::Template(parts) => parts_children(parts, f),
            ExprKind::Tuple(items) => {
                for e in items {
                    f(e)
                }
            }
            ExprKind::Object(items) => items.iter().for_each(|(k, v)| {
                f(k);
                f(v)
            }),
            ExprKind::GetAttr(e, _) | ExprKind::Unary(_, e) | ExprKind::Parens(e) => f(e),
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
                f(a);
                f(b)
            }
            ExprKind::Splat { source, each } => {
                f(source);
                f(each)
            }
            ExprKind::Call { args, .. } => {
                for e in args {
                    f(e)
                }
            }
            ExprKind::Conditional(a, b, c) => {
                f(a);
                f(b);
                f(c)
            }
            ExprKind::ForTuple {
                collection,
                value,
                condition,
                ..
            } => {
                f(collection);
                f(value);
                if let Some(c) = condition {
                    f(c)
                }
            }
            ExprKind::ForObject {
                collection,
                key,
                value,
                condition,
                ..
            } => {
                f(collection);
                f(key);
                f(value);
                if let Some(c) = condition {
                    f(c)
                }
            }
        }
    }

    /// Rewrites every range in the tree (the JSON parser parses templates
    /// out of decoded strings and moves their ranges into the file).
    pub(crate) fn map_ranges(&mut self, f: &dyn Fn(TextRange) -> TextRange) {
        self.range = f(self.range);
        match &mut self.kind {
            ExprKind::Template(parts) => map_part_ranges(parts, f),
            ExprKind::Tuple(items) => items.iter_mut().for_each(|e| e.map_ranges(f)),
            ExprKind::Object(items) => items.iter_mut().for_each(|(k, v)| {
                k.map_ranges(f);
                v.map_ranges(f)
            }),
            ExprKind::GetAttr(e, _) | ExprKind::Unary(_, e) | ExprKind::Parens(e) => {
                e.map_ranges(f)
            }
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
                a.map_ranges(f);
                b.map_ranges(f)
            }
            ExprKind::Splat { source, each } => {
                source.map_ranges(f);
                each.map_ranges(f)
            }
            ExprKind::Call { args, .. } => args.iter_mut().for_each(|e| e.map_ranges(f)),
            ExprKind::Conditional(a, b, c) => {
                a.map_ranges(f);
                b.map_ranges(f);
                c.map_ranges(f)
            }
            ExprKind::ForTuple {
                collection,
                value,
                condition,
                ..
            } => {
                collection.map_ranges(f);
                value.map_ranges(f);
                if let Some(c) = condition {
                    c.map_ranges(f)
                }
            }
            ExprKind::ForObject {
                collection,
                key,
                value,
                condition,
                ..
            } => {
                collection.map_ranges(f);
                key.map_ranges(f);
                value.map_ranges(f);
                if let Some(c) = condition {
                    c.map_ranges(f)
                }
            }
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::Variable(_)
            | ExprKind::SplatItem
            | ExprKind::Invalid => {}
        }
    }
}

fn parts_children<'a>(parts: &'a [TemplatePart], f: &mut dyn FnMut(&'a Expr)) {
    for part in parts {
        match part {
            TemplatePart::Literal(..) => {}
            TemplatePart::Interpolation(e) => f(e),
            TemplatePart::If {
                condition,
                then,
                otherwise,
                ..
            } => {
                f(condition);
                parts_children(then, f);
                parts_children(otherwise, f);
            }
            TemplatePart::For {
                collection, body, ..
            } => {
                f(collection);
                parts_children(body, f);
            }
        }
    }
}

fn map_part_ranges(parts: &mut [TemplatePart], f: &dyn Fn(TextRange) -> TextRange) {
    for part in parts {
        match part {
            TemplatePart::Literal(_, r) => *r = f(*r),
            TemplatePart::Interpolation(e) => e.map_ranges(f),
            TemplatePart::If {
                condition,
                then,
                otherwise,
                range,
            } => {
                *range = f(*range);
                condition.map_ranges(f);
                map_part_ranges(then, f);
                map_part_ranges(otherwise, f);
            }
            TemplatePart::For {
                collection,
                body,
                range,
                ..
            } => {
                *range = f(*range);
                collection.map_ranges(f);
                map_part_ranges(body, f);
            }
        }
    }
}

/// The value of an index that needs no evaluation: a number or a literal
/// string.
fn literal_value(e: &Expr) -> Option<Value> {
    match &e.kind {
        ExprKind::Number(n) => Some(Value::Number(*n)),
        ExprKind::Template(_) => e.as_str().map(|s| Value::String(s.to_string())),
        ExprKind::Parens(inner) => literal_value(inner),
        _ => None,
    }
}

fn collect_traversals<'a>(
    e: &'a Expr,
    bound: &mut Vec<&'a str>,
    out: &mut Vec<(String, Vec<Step>, TextRange)>,
) {
    match &e.kind {
        ExprKind::Variable(_) | ExprKind::GetAttr(..) | ExprKind::Index(..) => {
            // A chain with a computed index (`a.b[x].c`) is reported up to
            // the cut (`a.b`); the computed indexes are searched too.
            let mut head = e;
            loop {
                if let Some((root, steps)) = head.as_traversal() {
                    if !bound.contains(&root) {
                        out.push((root.to_string(), steps, head.range));
                    }
                    return;
                }
                match &head.kind {
                    ExprKind::GetAttr(inner, _) => head = inner,
                    ExprKind::Index(inner, key) => {
                        collect_traversals(key, bound, out);
                        head = inner;
                    }
                    _ => return collect_traversals(head, bound, out),
                }
            }
        }
        ExprKind::ForTuple {
            key_var,
            value_var,
            collection,
            ..
        }
        | ExprKind::ForObject {
            key_var,
            value_var,
            collection,
            ..
        } => {
            collect_traversals(collection, bound, out);
            let before = bound.len();
            bound.extend(key_var.as_deref());
            bound.push(value_var);
            e.for_each_child(&mut |child| {
                if !std::ptr::eq(child, collection.as_ref()) {
                    collect_traversals(child, bound, out)
                }
            });
            bound.truncate(before);
        }
        ExprKind::Template(parts) => collect_part_traversals(parts, bound, out),
        _ => e.for_each_child(&mut |child| collect_traversals(child, bound, out)),
    }
}

fn collect_part_traversals<'a>(
    parts: &'a [TemplatePart],
    bound: &mut Vec<&'a str>,
    out: &mut Vec<(String, Vec<Step>, TextRange)>,
) {
    for part in parts {
        match part {
            TemplatePart::Literal(..) => {}
            TemplatePart::Interpolation(e) => collect_traversals(e, bound, out),
            TemplatePart::If {
                condition,
                then,
                otherwise,
                ..
            } => {
                collect_traversals(condition, bound, out);
                collect_part_traversals(then, bound, out);
                collect_part_traversals(otherwise, bound, out);
            }
            TemplatePart::For {
                key_var,
                value_var,
                collection,
                body,
                ..
            } => {
                collect_traversals(collection, bound, out);
                let before = bound.len();
                bound.extend(key_var.as_deref());
                bound.push(value_var);
                collect_part_traversals(body, bound, out);
                bound.truncate(before);
            }
        }
    }
}
