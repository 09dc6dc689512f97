//! A fast path for the common shape of rule conditions.
//!
//! Most conditions are boolean combinations of `device.x` / `network.y`
//! flags and string comparisons with literals
//! (`device.restricted && device.is_camera && network.sensitive`). hcl-rs
//! evaluates those correctly but builds and clones whole objects to do so;
//! with tens of thousands of devices that dominated a scan. Conditions of
//! that shape are compiled here into a small tree evaluated against
//! [`Facts`] without allocating. Anything else (functions, lists, `for`
//! expressions) stays with hcl-rs, so the language is not restricted: the
//! fast path is an optimisation with the same answers, which the tests
//! compare on every built-in rule.

use hcl::Expression as E;
use hcl::expr::{BinaryOperator, Operation, TraversalOperator, UnaryOperator};

/// The values a fast condition may read.
pub trait Facts {
    fn flag(&self, var: Var, field: &str) -> Option<bool>;
    fn text(&self, var: Var, field: &str) -> Option<&str>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Device,
    Network,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Fast {
    Const(bool),
    Flag(Var, String),
    Not(Box<Fast>),
    And(Box<Fast>, Box<Fast>),
    Or(Box<Fast>, Box<Fast>),
    /// `field == "literal"` (or `!=` when `negate`).
    TextEq(Var, String, String, bool),
}

/// Fields with a bool type and with a string type, per variable.
pub struct Schema<'a> {
    pub bools: &'a [&'a str],
    pub texts: &'a [&'a str],
}

fn field_of(e: &E) -> Option<(Var, String)> {
    let E::Traversal(t) = e else { return None };
    let E::Variable(v) = &t.expr else { return None };
    let var = match v.as_str() {
        "device" => Var::Device,
        "network" => Var::Network,
        _ => return None,
    };
    match t.operators.as_slice() {
        [TraversalOperator::GetAttr(name)] => Some((var, name.to_string())),
        _ => None,
    }
}

fn literal(e: &E) -> Option<String> {
    match e {
        E::String(s) => Some(s.clone()),
        E::TemplateExpr(t) => {
            use hcl::eval::Evaluate;
            match E::TemplateExpr(t.clone()).evaluate(&hcl::eval::Context::new()) {
                Ok(hcl::Value::String(s)) => Some(s),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Compiles a condition, or `None` when it needs the general evaluator.
pub fn compile(e: &E, device: &Schema, network: &Schema) -> Option<Fast> {
    let schema = |v: Var| if v == Var::Device { device } else { network };
    match e {
        E::Bool(b) => Some(Fast::Const(*b)),
        E::Parenthesis(inner) => compile(inner, device, network),
        E::Traversal(_) => {
            let (var, name) = field_of(e)?;
            schema(var)
                .bools
                .contains(&name.as_str())
                .then_some(Fast::Flag(var, name))
        }
        E::Operation(op) => match op.as_ref() {
            Operation::Unary(u) if u.operator == UnaryOperator::Not => {
                Some(Fast::Not(Box::new(compile(&u.expr, device, network)?)))
            }
            Operation::Binary(b) => match b.operator {
                BinaryOperator::And => Some(Fast::And(
                    Box::new(compile(&b.lhs_expr, device, network)?),
                    Box::new(compile(&b.rhs_expr, device, network)?),
                )),
                BinaryOperator::Or => Some(Fast::Or(
                    Box::new(compile(&b.lhs_expr, device, network)?),
                    Box::new(compile(&b.rhs_expr, device, network)?),
                )),
                BinaryOperator::Eq | BinaryOperator::NotEq => {
                    let negate = b.operator == BinaryOperator::NotEq;
                    let (field, lit) = match (field_of(&b.lhs_expr), field_of(&b.rhs_expr)) {
                        (Some(f), None) => (f, literal(&b.rhs_expr)?),
                        (None, Some(f)) => (f, literal(&b.lhs_expr)?),
                        _ => return None,
                    };
                    let known = schema(field.0).texts.contains(&field.1.as_str());
                    known.then_some(Fast::TextEq(field.0, field.1, lit, negate))
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

impl Fast {
    /// `None` when a field is missing (the caller then falls back).
    pub fn eval(&self, f: &dyn Facts) -> Option<bool> {
        Some(match self {
            Fast::Const(b) => *b,
            Fast::Flag(v, name) => f.flag(*v, name)?,
            Fast::Not(x) => !x.eval(f)?,
            // HCL evaluates both sides; short-circuiting gives the same
            // answer for these side-effect-free, always-defined operands.
            Fast::And(a, b) => a.eval(f)? && b.eval(f)?,
            Fast::Or(a, b) => a.eval(f)? || b.eval(f)?,
            Fast::TextEq(v, name, lit, negate) => (f.text(*v, name)? == lit) != *negate,
        })
    }
}
