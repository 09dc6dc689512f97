//! The evaluator: walks an expression with a [`Scope`] that supplies the
//! root names (`var`, `local`, `each`, `count`, `path`, `module`, `data`,
//! resource types) and computes a [`Value`].
//!
//! It never fails and never panics: anything Terraform would reject becomes
//! an unknown of kind [`UnknownKind::Error`] with a reason, and an unknown
//! anywhere an operator needs a concrete value makes the result unknown,
//! keeping the first reason so messages can say what was missing. Building
//! the scope (which variable has which value, which attributes of a resource
//! exist before apply) is left to reference resolution. Functions are in
//! `functions.rs`.

use std::collections::BTreeMap;

use super::TextRange;
use super::ast::{BinaryOp, Expr, ExprKind, TemplatePart, UnaryOp};
use super::functions;
use super::value::{Unknown, UnknownKind, Value, format_number};

/// Supplies the values of root names.
pub trait Scope {
    /// `None` when the scope knows nothing of `root`; the evaluator then
    /// yields an unknown saying so. Borrowed, so a root is copied only
    /// when it is the value itself, not when a part of it is read.
    fn lookup(&self, root: &str) -> Option<&Value>;
}

/// A scope with nothing in it: every reference is unknown.
pub struct EmptyScope;

impl Scope for EmptyScope {
    fn lookup(&self, _root: &str) -> Option<&Value> {
        None
    }
}

impl Scope for BTreeMap<String, Value> {
    fn lookup(&self, root: &str) -> Option<&Value> {
        self.get(root)
    }
}

/// Evaluation stops descending here; the parser caps nesting lower, so
/// only trees built by hand can reach it.
const MAX_DEPTH: u32 = 256;

/// One step of a static traversal: `.name`, or an index written as a
/// literal (`[0]`, `["lobby"]`).
#[derive(Clone, Copy, Debug)]
pub enum Part<'k> {
    Attr(&'k str),
    Number(f64),
    Str(&'k str),
}

impl<'k> Part<'k> {
    /// The step a traversal node takes, and the node it takes it from;
    /// `None` for anything else, and for an index that needs evaluating.
    pub fn of(e: &'k Expr) -> Option<(&'k Expr, Part<'k>)> {
        match &e.kind {
            ExprKind::GetAttr(inner, name) => Some((inner, Part::Attr(name))),
            ExprKind::Index(inner, key) => Some((inner, Part::literal(key)?)),
            _ => None,
        }
    }

    /// An index that needs no evaluation: a number or a plain string.
    fn literal(key: &'k Expr) -> Option<Part<'k>> {
        match &key.kind {
            ExprKind::Number(n) => Some(Part::Number(*n)),
            ExprKind::Template(_) => key.as_str().map(Part::Str),
            _ => None,
        }
    }

    /// The object key this step reads (an index converted as `index`
    /// converts it).
    pub fn object_key(self) -> std::borrow::Cow<'k, str> {
        match self {
            Part::Attr(n) | Part::Str(n) => std::borrow::Cow::Borrowed(n),
            Part::Number(n) => std::borrow::Cow::Owned(format_number(n)),
        }
    }

    /// The list position this step reads, if it is a valid one.
    fn position(self, len: usize) -> Option<usize> {
        let n = match self {
            Part::Attr(_) => return None,
            Part::Number(n) => n,
            Part::Str(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite())?,
        };
        (n >= 0.0 && n.fract() == 0.0 && (n as usize) < len).then_some(n as usize)
    }
}

/// What one step reads from `base`, found as `get_attr` and `index` find
/// it; `None` wherever they would not (an error, an unknown base), so the
/// caller takes the long way and reports it.
pub fn part_of<'v>(base: &'v Value, part: Part<'_>) -> Option<&'v Value> {
    match base {
        Value::Object(m) => m.get(part.object_key().as_ref()),
        Value::List(items) => items.get(part.position(items.len())?),
        _ => None,
    }
}

/// [`part_of`] for a value that is given away: the part is moved out.
pub fn take_part(base: Value, part: Part<'_>) -> Option<Value> {
    match base {
        Value::Object(mut m) => m.remove(part.object_key().as_ref()),
        Value::List(mut items) => {
            let i = part.position(items.len())?;
            Some(items.swap_remove(i))
        }
        _ => None,
    }
}

/// Gives an unknown that has no location the location of `range`, as the
/// evaluator does for every reference.
pub fn locate(v: Value, range: TextRange) -> Value {
    located(v, range)
}

/// Evaluates `expr`. Never panics; unknowns propagate.
pub fn eval(expr: &Expr, scope: &dyn Scope) -> Value {
    Evaluator {
        scope,
        locals: Vec::new(),
        splat: Vec::new(),
        depth: 0,
    }
    .eval(expr)
}

struct Evaluator<'a> {
    scope: &'a dyn Scope,
    /// Names bound by `for` expressions and directives, innermost last.
    locals: Vec<(String, Value)>,
    /// The elements of the splats being evaluated, innermost last.
    splat: Vec<Value>,
    depth: u32,
}

/// Gives an unknown that has no location the location of `range`.
fn located(v: Value, range: TextRange) -> Value {
    match v {
        Value::Unknown(mut u) if u.range.is_none() => {
            u.range = Some(range);
            Value::Unknown(u)
        }
        other => other,
    }
}

/// A readable name for an expression in messages (`var.site.vlan`).
fn describe(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Variable(root) => root.clone(),
        ExprKind::GetAttr(inner, name) => format!("{}.{name}", describe(inner)),
        ExprKind::Index(inner, key) => match &key.kind {
            ExprKind::Number(n) => format!("{}[{}]", describe(inner), format_number(*n)),
            _ => match key.as_str() {
                Some(s) => format!("{}[\"{s}\"]", describe(inner)),
                None => format!("{}[…]", describe(inner)),
            },
        },
        ExprKind::Call { name, .. } => format!("{name}(…)"),
        ExprKind::Splat { source, .. } => format!("{}[*]", describe(source)),
        ExprKind::Parens(inner) => describe(inner),
        _ => "value".to_string(),
    }
}

pub(crate) fn to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(format_number(*n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) fn to_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(*n),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

pub(crate) fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// Terraform equality: values of different types are never equal.
/// `None` when an unknown decides the answer.
pub(crate) fn equals(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => None,
        (Value::Number(x), Value::Number(y)) => Some(x == y),
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.iter().zip(y) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.values().zip(y.values()) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        _ => Some(a == b),
    }
}

impl<'a> Evaluator<'a> {
    fn eval(&mut self, e: &Expr) -> Value {
        if self.depth >= MAX_DEPTH {
            return Value::error("expression is nested too deeply to evaluate", e.range);
        }
        self.depth += 1;
        let v = self.eval_inner(e);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, e: &Expr) -> Value {
        let r = e.range;
        if matches!(
            e.kind,
            ExprKind::Variable(_) | ExprKind::GetAttr(..) | ExprKind::Index(..)
        ) && let Some(v) = self.read_in_scope(e)
        {
            return v;
        }
        match &e.kind {
            ExprKind::Null => Value::Null,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::Template(parts) => self.template(parts, r),
            ExprKind::Tuple(items) => Value::List(items.iter().map(|i| self.eval(i)).collect()),
            ExprKind::Object(items) => {
                let mut map = BTreeMap::new();
                for (k, v) in items {
                    let key = match self.eval(k) {
                        Value::Unknown(u) => return Value::Unknown(u),
                        key => match to_string(&key) {
                            Some(s) => s,
                            None => {
                                return Value::error(
                                    format!("object key must be a string, not {}", key.type_name()),
                                    k.range,
                                );
                            }
                        },
                    };
                    let value = self.eval(v);
                    map.insert(key, value);
                }
                Value::Object(map)
            }
            ExprKind::Variable(root) => {
                if let Some((_, v)) = self.locals.iter().rev().find(|(n, _)| n == root) {
                    return v.clone();
                }
                match self.scope.lookup(root) {
                    Some(v) => located(v.clone(), r),
                    None => Value::Unknown(Unknown {
                        kind: UnknownKind::Deferred,
                        reason: format!("{root} is not known in this scan"),
                        range: Some(r),
                        resource: None,
                    }),
                }
            }
            ExprKind::GetAttr(inner, name) => {
                let base = self.eval(inner);
                located(self.get_attr(base, name, inner, r), r)
            }
            ExprKind::Index(inner, key) => {
                let base = self.eval(inner);
                let key_value = self.eval(key);
                located(self.index(base, key_value, inner, r), r)
            }
            ExprKind::Splat { source, each } => match self.eval(source) {
                Value::Unknown(u) => Value::Unknown(u),
                Value::Null => Value::List(Vec::new()),
                Value::List(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        self.splat.push(item);
                        out.push(self.eval(each));
                        self.splat.pop();
                    }
                    Value::List(out)
                }
                single => {
                    self.splat.push(single);
                    let v = self.eval(each);
                    self.splat.pop();
                    Value::List(vec![v])
                }
            },
            ExprKind::SplatItem => self
                .splat
                .last()
                .cloned()
                .unwrap_or_else(|| Value::error("splat element outside a splat", r)),
            ExprKind::Call {
                name,
                args,
                expand_final,
            } => {
                let mut values: Vec<Value> = args.iter().map(|a| self.eval(a)).collect();
                if *expand_final {
                    match values.pop() {
                        Some(Value::List(items)) => values.extend(items),
                        Some(Value::Unknown(u)) => return Value::Unknown(u),
                        Some(other) => {
                            return Value::error(
                                format!("`...` needs a list, not {}", other.type_name()),
                                r,
                            );
                        }
                        None => {}
                    }
                }
                functions::call(name, values, r)
            }
            ExprKind::Unary(op, inner) => {
                let v = self.eval(inner);
                if let Value::Unknown(u) = v {
                    return Value::Unknown(u);
                }
                match op {
                    UnaryOp::Not => match to_bool(&v) {
                        Some(b) => Value::Bool(!b),
                        None => Value::error(format!("`!` needs a bool, not {}", v.type_name()), r),
                    },
                    UnaryOp::Negate => match to_number(&v) {
                        Some(n) => Value::Number(-n),
                        None => {
                            Value::error(format!("`-` needs a number, not {}", v.type_name()), r)
                        }
                    },
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, r),
            ExprKind::Conditional(cond, then, otherwise) => match self.eval(cond) {
                Value::Unknown(u) => Value::Unknown(u),
                c => match to_bool(&c) {
                    Some(true) => self.eval(then),
                    Some(false) => self.eval(otherwise),
                    None => Value::error(
                        format!("condition must be a bool, not {}", c.type_name()),
                        cond.range,
                    ),
                },
            },
            ExprKind::ForTuple {
                key_var,
                value_var,
                collection,
                value,
                condition,
            } => {
                let Some(pairs) = self.iteration(collection) else {
                    return self.eval(collection);
                };
                let pairs = match pairs {
                    Ok(p) => p,
                    Err(v) => return v,
                };
                let mut out = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    let mark = self.bind(key_var.as_deref(), value_var, k, v);
                    let keep = self.keep(condition.as_deref());
                    let item = match keep {
                        Ok(true) => Some(self.eval(value)),
                        Ok(false) => None,
                        Err(u) => {
                            self.locals.truncate(mark);
                            return u;
                        }
                    };
                    self.locals.truncate(mark);
                    out.extend(item);
                }
                Value::List(out)
            }
            ExprKind::ForObject {
                key_var,
                value_var,
                collection,
                key,
                value,
                grouping,
                condition,
            } => {
                let Some(pairs) = self.iteration(collection) else {
                    return self.eval(collection);
                };
                let pairs = match pairs {
                    Ok(p) => p,
                    Err(v) => return v,
                };
                let mut out: BTreeMap<String, Value> = BTreeMap::new();
                for (k, v) in pairs {
                    let mark = self.bind(key_var.as_deref(), value_var, k, v);
                    let result = match self.keep(condition.as_deref()) {
                        Ok(true) => {
                            let kv = self.eval(key);
                            let vv = self.eval(value);
                            Ok(Some((kv, vv)))
                        }
                        Ok(false) => Ok(None),
                        Err(u) => Err(u),
                    };
                    self.locals.truncate(mark);
                    let (kv, vv) = match result {
                        Ok(Some(pair)) => pair,
                        Ok(None) => continue,
                        Err(u) => return u,
                    };
                    let k = match kv {
                        Value::Unknown(u) => return Value::Unknown(u),
                        other => match to_string(&other) {
                            Some(s) => s,
                            None => {
                                return Value::error(
                                    format!(
                                        "for expression key must be a string, not {}",
                                        other.type_name()
                                    ),
                                    key.range,
                                );
                            }
                        },
                    };
                    if *grouping {
                        match out.entry(k).or_insert_with(|| Value::List(Vec::new())) {
                            Value::List(items) => items.push(vv),
                            _ => return Value::error("grouping into a non-list", r),
                        }
                    } else {
                        match out.entry(k) {
                            std::collections::btree_map::Entry::Occupied(o) => {
                                let msg = format!(
                                    "duplicate key \"{}\" in for expression; use `...` to group",
                                    o.key()
                                );
                                return Value::error(msg, key.range);
                            }
                            std::collections::btree_map::Entry::Vacant(slot) => {
                                slot.insert(vv);
                            }
                        }
                    }
                }
                Value::Object(out)
            }
            ExprKind::Parens(inner) => self.eval(inner),
            ExprKind::Invalid => Value::error("invalid expression", r),
        }
    }

    /// A static traversal of a root the scope holds, read in place so only
    /// the part read is copied. `None` sends it the long way: a root bound
    /// by `for` or missing, a step that fails (whose error that way
    /// reports), or a chain too long for the depth limit to stay out of it.
    fn read_in_scope(&self, e: &Expr) -> Option<Value> {
        let mut len = 0u32;
        let mut cur = e;
        while let Some((inner, _)) = Part::of(cur) {
            len += 1;
            cur = inner;
        }
        let ExprKind::Variable(root) = &cur.kind else {
            return None;
        };
        if self.depth + len + 2 >= MAX_DEPTH || self.locals.iter().any(|(n, _)| n == root) {
            return None;
        }
        let scope: &'a dyn Scope = self.scope;
        match read_chain(e, scope)? {
            Ok(v) => Some(v.clone()),
            Err(unknown) => Some(unknown),
        }
    }

    /// The (key, value) pairs a `for` walks; `None` when the collection is
    /// unknown (the caller returns it), `Err` for a non-collection.
    #[allow(clippy::type_complexity)]
    fn iteration(&mut self, collection: &Expr) -> Option<Result<Vec<(Value, Value)>, Value>> {
        match self.eval(collection) {
            Value::Unknown(_) => None,
            Value::List(items) => Some(Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect())),
            Value::Object(map) => Some(Ok(map
                .into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect())),
            other => Some(Err(Value::error(
                format!("cannot iterate over {}", other.type_name()),
                collection.range,
            ))),
        }
    }

    fn bind(&mut self, key_var: Option<&str>, value_var: &str, k: Value, v: Value) -> usize {
        let mark = self.locals.len();
        if let Some(name) = key_var {
            self.locals.push((name.to_string(), k));
        }
        self.locals.push((value_var.to_string(), v));
        mark
    }

    /// Evaluates a `for` filter: `Err` carries the unknown or error that
    /// makes the whole result unknown.
    fn keep(&mut self, condition: Option<&Expr>) -> Result<bool, Value> {
        let Some(c) = condition else { return Ok(true) };
        match self.eval(c) {
            Value::Unknown(u) => Err(Value::Unknown(u)),
            v => to_bool(&v).ok_or_else(|| {
                Value::error(
                    format!("for condition must be a bool, not {}", v.type_name()),
                    c.range,
                )
            }),
        }
    }

    fn get_attr(&self, base: Value, name: &str, inner: &Expr, r: TextRange) -> Value {
        match base {
            Value::Unknown(u) => Value::Unknown(u),
            Value::Object(mut map) => match map.remove(name) {
                Some(v) => v,
                None => Value::error(
                    format!("{} has no attribute \"{name}\"", describe(inner)),
                    r,
                ),
            },
            Value::Null => Value::error(
                format!(
                    "{} is null, so it has no attribute \"{name}\"",
                    describe(inner)
                ),
                r,
            ),
            other => Value::error(
                format!(
                    "{} is a {}, which has no attributes",
                    describe(inner),
                    other.type_name()
                ),
                r,
            ),
        }
    }

    fn index(&self, base: Value, key: Value, inner: &Expr, r: TextRange) -> Value {
        if let Value::Unknown(u) = base {
            return Value::Unknown(u);
        }
        if let Value::Unknown(u) = key {
            return Value::Unknown(u);
        }
        match base {
            Value::List(mut items) => match to_number(&key) {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && (n as usize) < items.len() => {
                    items.swap_remove(n as usize)
                }
                Some(n) => Value::error(
                    format!(
                        "index {} is out of range for {} ({} elements)",
                        format_number(n),
                        describe(inner),
                        items.len()
                    ),
                    r,
                ),
                None => Value::error(
                    format!("a list index must be a number, not {}", key.type_name()),
                    r,
                ),
            },
            Value::Object(mut map) => match to_string(&key) {
                Some(k) => match map.remove(&k) {
                    Some(v) => v,
                    None => Value::error(format!("{} has no key \"{k}\"", describe(inner)), r),
                },
                None => Value::error(
                    format!("a map key must be a string, not {}", key.type_name()),
                    r,
                ),
            },
            Value::Null => Value::error(
                format!("{} is null and cannot be indexed", describe(inner)),
                r,
            ),
            other => Value::error(
                format!(
                    "{} is a {} and cannot be indexed",
                    describe(inner),
                    other.type_name()
                ),
                r,
            ),
        }
    }

    fn binary(&mut self, op: BinaryOp, a: &Expr, b: &Expr, r: TextRange) -> Value {
        let left = self.eval(a);
        // Logic short-circuits on a known left side, as Terraform does.
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let want = op == BinaryOp::Or;
                let l = match &left {
                    Value::Unknown(_) => None,
                    v => match to_bool(v) {
                        Some(x) => Some(x),
                        None => {
                            return Value::error(
                                format!("logical operators need bools, not {}", v.type_name()),
                                a.range,
                            );
                        }
                    },
                };
                if l == Some(want) {
                    return Value::Bool(want);
                }
                let right = self.eval(b);
                let rb = match &right {
                    Value::Unknown(_) => None,
                    v => match to_bool(v) {
                        Some(x) => Some(x),
                        None => {
                            return Value::error(
                                format!("logical operators need bools, not {}", v.type_name()),
                                b.range,
                            );
                        }
                    },
                };
                return match (l, rb) {
                    (_, Some(x)) if x == want => Value::Bool(want),
                    (Some(_), Some(x)) => Value::Bool(x),
                    _ => {
                        if let Value::Unknown(u) = left {
                            Value::Unknown(u)
                        } else {
                            right
                        }
                    }
                };
            }
            _ => {}
        }
        let right = self.eval(b);
        if matches!(op, BinaryOp::Eq | BinaryOp::NotEq) {
            return match equals(&left, &right) {
                Some(eq) => Value::Bool(eq == (op == BinaryOp::Eq)),
                None => first_unknown_of(left, right),
            };
        }
        if left.first_unknown().is_some() || right.first_unknown().is_some() {
            return first_unknown_of(left, right);
        }
        let (Some(x), Some(y)) = (to_number(&left), to_number(&right)) else {
            let bad = if to_number(&left).is_none() {
                &left
            } else {
                &right
            };
            return Value::error(
                format!(
                    "arithmetic and comparison need numbers, not {}",
                    bad.type_name()
                ),
                r,
            );
        };
        match op {
            BinaryOp::Add => Value::Number(x + y),
            BinaryOp::Sub => Value::Number(x - y),
            BinaryOp::Mul => Value::Number(x * y),
            BinaryOp::Div if y == 0.0 => Value::error("division by zero", r),
            BinaryOp::Div => Value::Number(x / y),
            BinaryOp::Mod if y == 0.0 => Value::error("modulo by zero", r),
            BinaryOp::Mod => Value::Number(x % y),
            BinaryOp::Less => Value::Bool(x < y),
            BinaryOp::LessEq => Value::Bool(x <= y),
            BinaryOp::Greater => Value::Bool(x > y),
            BinaryOp::GreaterEq => Value::Bool(x >= y),
            BinaryOp::And | BinaryOp::Or | BinaryOp::Eq | BinaryOp::NotEq => {
                Value::error("unreachable operator", r)
            }
        }
    }

    fn template(&mut self, parts: &[TemplatePart], r: TextRange) -> Value {
        // A template that is exactly one interpolation yields the value
        // itself, not its string form (`"${var.list}"` stays a list).
        if let [TemplatePart::Interpolation(e)] = parts {
            return self.eval(e);
        }
        let mut out = String::new();
        match self.render(parts, &mut out) {
            Ok(()) => Value::String(out),
            Err(v) => located(v, r),
        }
    }

    fn render(&mut self, parts: &[TemplatePart], out: &mut String) -> Result<(), Value> {
        for part in parts {
            match part {
                TemplatePart::Literal(s, _) => out.push_str(s),
                TemplatePart::Interpolation(e) => match self.eval(e) {
                    Value::Unknown(u) => return Err(Value::Unknown(u)),
                    Value::Null => {
                        return Err(Value::error(
                            format!("{} is null and cannot be part of a string", describe(e)),
                            e.range,
                        ));
                    }
                    v => match to_string(&v) {
                        Some(s) => out.push_str(&s),
                        None => {
                            return Err(Value::error(
                                format!("a {} cannot be part of a string", v.type_name()),
                                e.range,
                            ));
                        }
                    },
                },
                TemplatePart::If {
                    condition,
                    then,
                    otherwise,
                    ..
                } => match self.eval(condition) {
                    Value::Unknown(u) => return Err(Value::Unknown(u)),
                    c => match to_bool(&c) {
                        Some(true) => self.render(then, out)?,
                        Some(false) => self.render(otherwise, out)?,
                        None => {
                            return Err(Value::error(
                                format!("%{{if}} needs a bool, not {}", c.type_name()),
                                condition.range,
                            ));
                        }
                    },
                },
                TemplatePart::For {
                    key_var,
                    value_var,
                    collection,
                    body,
                    ..
                } => {
                    let pairs = match self.iteration(collection) {
                        None => return Err(self.eval(collection)),
                        Some(Err(v)) => return Err(v),
                        Some(Ok(p)) => p,
                    };
                    for (k, v) in pairs {
                        let mark = self.bind(key_var.as_deref(), value_var, k, v);
                        let result = self.render(body, out);
                        self.locals.truncate(mark);
                        result?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Follows a static traversal through borrowed values: `Ok` with the value
/// read, `Err` with the unknown met on the way, located where it was met
/// (every later step passes it through unchanged); `None` where a step
/// fails.
fn read_chain<'s>(e: &Expr, scope: &'s dyn Scope) -> Option<Result<&'s Value, Value>> {
    let base = match Part::of(e) {
        Some((inner, part)) => match read_chain(inner, scope)? {
            Ok(base) => part_of(base, part)?,
            Err(unknown) => return Some(Err(unknown)),
        },
        None => match &e.kind {
            ExprKind::Variable(root) => scope.lookup(root)?,
            _ => return None,
        },
    };
    match base {
        Value::Unknown(_) => Some(Err(located(base.clone(), e.range))),
        v => Some(Ok(v)),
    }
}

fn first_unknown_of(a: Value, b: Value) -> Value {
    let u = a.first_unknown().or_else(|| b.first_unknown()).cloned();
    u.map_or(Value::Null, Value::Unknown)
}
