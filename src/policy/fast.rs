//! Rule expressions compiled once and evaluated over views.
//!
//! hcl-rs evaluates rule conditions, messages and severities correctly,
//! but it re-parses every template on every evaluation and clones a
//! variable's whole object on every field access; with tens of thousands
//! of devices that dominated a scan. The expressions rules are written in
//! (field access, literals, `!`, `&&`, `||`, `==`, `!=`, comparisons,
//! `? :`, quoted templates, and the policy functions) are compiled here
//! into a tree evaluated against [`Fields`] without building objects.
//!
//! This is an optimisation with the same answers, never a second language:
//! anything not compiled (`for` expressions, heredocs, template directives,
//! arithmetic, indexing) stays with hcl-rs, and evaluation returns `None`
//! wherever hcl-rs would report an error or the types are not the ones
//! handled here, so the caller falls back to hcl-rs and its exact result
//! (and error text). Both sides evaluate both operands of `&&` and `||`
//! as hcl-rs does, so an error on either side is an error. The test suite
//! runs every fixture both ways (`CAMLINT_NO_FAST=1`) and compares.

use std::borrow::Cow;

use hcl::Expression as E;
use hcl::expr::{BinaryOperator, Operation, TemplateExpr, TraversalOperator, UnaryOperator};
use hcl::template::{Element, Strip, Template};

use super::view::Val;

/// Where a compiled expression reads its fields.
pub trait Fields {
    fn field(&self, var: Var, name: &str) -> Option<Val<'_>>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Device,
    Network,
}

/// The fields a variable has, as `(name, type, doc)` with the types of
/// `rules::DEVICE_FIELDS`.
pub type Schema = &'static [(&'static str, &'static str, &'static str)];

#[derive(Debug, Clone)]
pub enum Fast {
    Bool(bool),
    Text(String),
    Num(i64),
    /// A list literal; each element must give a string.
    List(Vec<Fast>),
    Field(Var, &'static str),
    Not(Box<Fast>),
    Binary(BinaryOperator, Box<Fast>, Box<Fast>),
    /// `a && b` or `a || b` (`And(true)` for `&&`) whose right operand
    /// surely gives a bool: hcl-rs evaluates both operands, but when `b`
    /// cannot fail or give another type, skipping it changes nothing, and
    /// most devices fail a rule's first test.
    ShortCircuit(bool, Box<Fast>, Box<Fast>),
    Cond(Box<Fast>, Box<Fast>, Box<Fast>),
    /// A template with literals and interpolations, no directives.
    Template(Vec<Part>),
    Call(Func, Vec<Fast>),
    /// `regex_match` with a literal pattern, compiled once.
    RegexMatch(Box<regex::Regex>, Box<Fast>),
}

#[derive(Debug, Clone)]
pub enum Part {
    Literal(String),
    Interpolation(Fast),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Contains,
    StartsWith,
    EndsWith,
    StrContains,
    Lower,
    Upper,
    CidrContains,
    Length,
    Join,
}

impl Func {
    fn of(name: &str) -> Option<(Func, usize)> {
        Some(match name {
            "contains" => (Func::Contains, 2),
            "startswith" => (Func::StartsWith, 2),
            "endswith" => (Func::EndsWith, 2),
            "strcontains" => (Func::StrContains, 2),
            "lower" => (Func::Lower, 1),
            "upper" => (Func::Upper, 1),
            "cidr_contains" => (Func::CidrContains, 2),
            "length" => (Func::Length, 1),
            "join" => (Func::Join, 2),
            _ => return None,
        })
    }
}

/// Compiles an expression for the given variables, or `None` when it
/// needs hcl-rs.
pub fn compile(e: &E, vars: &[(Var, Schema)]) -> Option<Fast> {
    Some(match e {
        E::Bool(b) => Fast::Bool(*b),
        E::String(s) => Fast::Text(s.clone()),
        E::Number(n) => Fast::Num(n.as_i64()?),
        E::Array(items) => Fast::List(
            items
                .iter()
                .map(|i| compile(i, vars))
                .collect::<Option<_>>()?,
        ),
        E::Parenthesis(inner) => compile(inner, vars)?,
        E::Traversal(t) => {
            let E::Variable(v) = &t.expr else { return None };
            let var = match v.as_str() {
                "device" => Var::Device,
                "network" => Var::Network,
                _ => return None,
            };
            let [TraversalOperator::GetAttr(name)] = t.operators.as_slice() else {
                return None;
            };
            let (_, schema) = vars.iter().find(|(v, _)| *v == var)?;
            let (field, _, _) = schema.iter().find(|(f, _, _)| *f == name.as_str())?;
            Fast::Field(var, field)
        }
        E::Conditional(c) => Fast::Cond(
            Box::new(compile(&c.cond_expr, vars)?),
            Box::new(compile(&c.true_expr, vars)?),
            Box::new(compile(&c.false_expr, vars)?),
        ),
        E::Operation(op) => match op.as_ref() {
            Operation::Unary(u) if u.operator == UnaryOperator::Not => {
                Fast::Not(Box::new(compile(&u.expr, vars)?))
            }
            Operation::Binary(b) => {
                use BinaryOperator::*;
                if !matches!(
                    b.operator,
                    And | Or | Eq | NotEq | Less | LessEq | Greater | GreaterEq
                ) {
                    return None;
                }
                let (lhs, rhs) = (compile(&b.lhs_expr, vars)?, compile(&b.rhs_expr, vars)?);
                if matches!(b.operator, And | Or) && surely_bool(&rhs, vars) {
                    Fast::ShortCircuit(b.operator == And, Box::new(lhs), Box::new(rhs))
                } else {
                    Fast::Binary(b.operator, Box::new(lhs), Box::new(rhs))
                }
            }
            _ => return None,
        },
        E::TemplateExpr(t) => compile_template(t, vars)?,
        E::FuncCall(f) => {
            if !f.name.namespace.is_empty() || f.expand_final {
                return None;
            }
            if f.name.name.as_str() == "regex_match" {
                let [pattern, text] = f.args.as_slice() else {
                    return None;
                };
                let Fast::Text(pattern) = compile(pattern, vars)? else {
                    return None;
                };
                let re = regex::Regex::new(&pattern).ok()?;
                return Some(Fast::RegexMatch(
                    Box::new(re),
                    Box::new(compile(text, vars)?),
                ));
            }
            let (func, arity) = Func::of(f.name.name.as_str())?;
            if f.args.len() != arity {
                return None;
            }
            Fast::Call(
                func,
                f.args
                    .iter()
                    .map(|a| compile(a, vars))
                    .collect::<Option<_>>()?,
            )
        }
        _ => return None,
    })
}

/// Whether `x` gives a bool whatever the fields hold: bool literals and
/// fields, and `!`, `&&`, `||` of those.
fn surely_bool(x: &Fast, vars: &[(Var, Schema)]) -> bool {
    match x {
        Fast::Bool(_) => true,
        Fast::Field(var, name) => vars
            .iter()
            .filter(|(v, _)| v == var)
            .flat_map(|(_, schema)| schema.iter())
            .any(|(f, ty, _)| f == name && *ty == "bool"),
        Fast::Not(x) => surely_bool(x, vars),
        Fast::ShortCircuit(_, a, b) => surely_bool(a, vars) && surely_bool(b, vars),
        Fast::Binary(BinaryOperator::And | BinaryOperator::Or, a, b) => {
            surely_bool(a, vars) && surely_bool(b, vars)
        }
        _ => false,
    }
}

/// Quoted templates without strip markers or directives. A template that
/// is one interpolation gives that value unconverted, as in HCL.
fn compile_template(t: &TemplateExpr, vars: &[(Var, Schema)]) -> Option<Fast> {
    let TemplateExpr::QuotedString(_) = t else {
        return None;
    };
    let template = Template::from_expr(t).ok()?;
    let mut parts = Vec::new();
    for element in template.elements() {
        match element {
            Element::Literal(s) => parts.push(Part::Literal(s.clone())),
            Element::Interpolation(i) if i.strip == Strip::None => {
                parts.push(Part::Interpolation(compile(&i.expr, vars)?));
            }
            _ => return None,
        }
    }
    Some(match parts.as_mut_slice() {
        [] => Fast::Text(String::new()),
        [Part::Literal(s)] => Fast::Text(std::mem::take(s)),
        [Part::Interpolation(_)] => match parts.pop() {
            Some(Part::Interpolation(e)) => e,
            _ => return None,
        },
        _ => Fast::Template(parts),
    })
}

impl Fast {
    /// The value, or `None` where hcl-rs would fail or the value is of a
    /// type this evaluator does not produce (the caller then falls back).
    pub fn eval<'a>(&'a self, f: &'a dyn Fields) -> Option<Val<'a>> {
        Some(match self {
            Fast::Bool(b) => Val::Bool(*b),
            Fast::Text(s) => Val::Text(Cow::Borrowed(s)),
            Fast::Num(n) => Val::Num(*n),
            Fast::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    match i.eval(f)? {
                        Val::Text(s) => out.push(s.into_owned()),
                        _ => return None,
                    }
                }
                Val::List(Cow::Owned(out))
            }
            Fast::Field(var, name) => f.field(*var, name)?,
            Fast::Not(x) => Val::Bool(!x.eval(f)?.as_bool()?),
            Fast::Binary(op, a, b) => {
                use BinaryOperator::*;
                let (a, b) = (a.eval(f)?, b.eval(f)?);
                Val::Bool(match op {
                    // Both operands must be bools, whichever decides.
                    And => {
                        let (x, y) = (a.as_bool()?, b.as_bool()?);
                        x && y
                    }
                    Or => {
                        let (x, y) = (a.as_bool()?, b.as_bool()?);
                        x || y
                    }
                    Eq => a == b,
                    NotEq => a != b,
                    Less => a.as_num()? < b.as_num()?,
                    LessEq => a.as_num()? <= b.as_num()?,
                    Greater => a.as_num()? > b.as_num()?,
                    GreaterEq => a.as_num()? >= b.as_num()?,
                    _ => return None,
                })
            }
            Fast::ShortCircuit(and, a, b) => {
                let x = a.eval(f)?.as_bool()?;
                Val::Bool(if x == *and { b.eval(f)?.as_bool()? } else { x })
            }
            Fast::Cond(c, t, e) => {
                if c.eval(f)?.as_bool()? {
                    t.eval(f)?
                } else {
                    e.eval(f)?
                }
            }
            Fast::Template(parts) => {
                let mut out = String::new();
                for p in parts {
                    match p {
                        Part::Literal(s) => out.push_str(s),
                        Part::Interpolation(e) => match e.eval(f)? {
                            Val::Text(s) => out.push_str(&s),
                            Val::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                            // Numbers and lists print as hcl-rs prints
                            // them; leave those to it.
                            _ => return None,
                        },
                    }
                }
                Val::Text(Cow::Owned(out))
            }
            Fast::RegexMatch(re, text) => Val::Bool(re.is_match(text.eval(f)?.as_text()?)),
            Fast::Call(func, args) => call(*func, args, f)?,
        })
    }

    /// Evaluates a condition: `None` unless it gives a bool. The logical
    /// nodes most conditions are made of are decided here as plain bools
    /// (each device meets every rule's condition, so building a value for
    /// every node showed); each gives exactly what [`Fast::eval`] gives.
    pub fn holds(&self, f: &dyn Fields) -> Option<bool> {
        match self {
            Fast::Bool(b) => Some(*b),
            Fast::Not(x) => Some(!x.holds(f)?),
            Fast::ShortCircuit(and, a, b) => {
                let x = a.holds(f)?;
                if x == *and { b.holds(f) } else { Some(x) }
            }
            Fast::Cond(c, t, e) => {
                if c.holds(f)? {
                    t.holds(f)
                } else {
                    e.holds(f)
                }
            }
            _ => self.eval(f)?.as_bool(),
        }
    }

    /// The leading conjuncts of an `a && b` condition that read no
    /// network field, when there are any. Where they are false the whole
    /// condition is false with any network: a compiled `&&` skips its
    /// right operand when the left is false (see `ShortCircuit`), so an
    /// attachment rule need not be tried on each of a device's networks.
    pub fn device_gate(&self) -> Option<&Fast> {
        let Fast::ShortCircuit(true, a, _) = self else {
            return None;
        };
        if a.reads(Var::Network) {
            a.device_gate()
        } else {
            Some(a)
        }
    }

    /// Whether evaluating this may read a field of `var`.
    fn reads(&self, var: Var) -> bool {
        match self {
            Fast::Bool(_) | Fast::Text(_) | Fast::Num(_) => false,
            Fast::Field(v, _) => *v == var,
            Fast::List(items) | Fast::Call(_, items) => items.iter().any(|i| i.reads(var)),
            Fast::Not(x) | Fast::RegexMatch(_, x) => x.reads(var),
            Fast::Binary(_, a, b) | Fast::ShortCircuit(_, a, b) => a.reads(var) || b.reads(var),
            Fast::Cond(c, t, e) => c.reads(var) || t.reads(var) || e.reads(var),
            Fast::Template(parts) => parts.iter().any(|p| match p {
                Part::Literal(_) => false,
                Part::Interpolation(e) => e.reads(var),
            }),
        }
    }

    /// Evaluates a message or severity: `None` unless it gives a string.
    pub fn text(&self, f: &dyn Fields) -> Option<String> {
        match self.eval(f)? {
            Val::Text(s) => Some(s.into_owned()),
            _ => None,
        }
    }
}

impl Val<'_> {
    fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn as_num(&self) -> Option<i64> {
        match self {
            Val::Num(n) => Some(*n),
            _ => None,
        }
    }

    fn as_text(&self) -> Option<&str> {
        match self {
            Val::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// The policy functions, with the behaviour of `rules::base_context`'s.
fn call<'a>(func: Func, args: &'a [Fast], f: &'a dyn Fields) -> Option<Val<'a>> {
    // Every function takes one or two arguments (`Func::of`): they are
    // held here rather than in a vector allocated for each call.
    let mut vals: [Option<Val<'a>>; 2] = [None, None];
    if args.len() > vals.len() {
        return None;
    }
    for (slot, a) in vals.iter_mut().zip(args) {
        *slot = Some(a.eval(f)?);
    }
    let arg = |i: usize| vals.get(i).and_then(Option::as_ref);
    let text = |i: usize| arg(i).and_then(Val::as_text);
    Some(match func {
        Func::Contains => {
            let Some(Val::List(list)) = arg(0) else {
                return None;
            };
            // A needle of another type equals no string of the list.
            match arg(1)? {
                Val::Text(needle) => Val::Bool(list.iter().any(|s| s == needle)),
                _ => Val::Bool(false),
            }
        }
        Func::StartsWith => Val::Bool(text(0)?.starts_with(text(1)?)),
        Func::EndsWith => Val::Bool(text(0)?.ends_with(text(1)?)),
        Func::StrContains => Val::Bool(text(0)?.contains(text(1)?)),
        Func::Lower => Val::Text(Cow::Owned(text(0)?.to_lowercase())),
        Func::Upper => Val::Text(Cow::Owned(text(0)?.to_uppercase())),
        Func::CidrContains => {
            let cidr: ipnet::IpNet = text(0)?.parse().ok()?;
            let what = text(1)?;
            Val::Bool(if let Ok(ip) = what.parse::<std::net::IpAddr>() {
                cidr.contains(&ip)
            } else {
                cidr.contains(&what.parse::<ipnet::IpNet>().ok()?)
            })
        }
        Func::Length => Val::Num(match arg(0)? {
            Val::List(l) => i64::try_from(l.len()).ok()?,
            Val::Text(s) => i64::try_from(s.chars().count()).ok()?,
            _ => return None,
        }),
        Func::Join => {
            let sep = text(0)?;
            let Some(Val::List(items)) = arg(1) else {
                return None;
            };
            Val::Text(Cow::Owned(items.join(sep)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::rules::{DEVICE_FIELDS, NETWORK_FIELDS, base_context};
    use hcl::eval::Evaluate;

    /// Fields read from two hcl objects, so one value feeds both evaluators.
    struct Objects(hcl::Value, hcl::Value);

    fn val(v: &hcl::Value) -> Option<Val<'_>> {
        Some(match v {
            hcl::Value::Bool(b) => Val::Bool(*b),
            hcl::Value::String(s) => Val::Text(Cow::Borrowed(s)),
            hcl::Value::Number(n) => Val::Num(n.as_i64()?),
            hcl::Value::Array(items) => Val::List(Cow::Owned(
                items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect::<Option<_>>()?,
            )),
            _ => return None,
        })
    }

    impl Fields for Objects {
        fn field(&self, var: Var, name: &str) -> Option<Val<'_>> {
            let obj = if var == Var::Device { &self.0 } else { &self.1 };
            val(obj.as_object()?.get(name)?)
        }
    }

    fn objects() -> Objects {
        let device = hcl::value!({
            name = "cam-1"
            vendor = "hikvision"
            vendor_name = "Hikvision"
            maker = "hikvision"
            maker_name = "Hikvision"
            kind = "camera"
            confidence = "high"
            restricted = true
            restricted_by = ["uk-prc-nil", "us-fcc-covered"]
            is_camera = true
            addresses = ["10.0.1.5"]
            macs = []
            on_sensitive_network = true
            unresolved = false
            has_vendor_signal = true
        });
        let network = hcl::value!({
            name = "SECURE-OPS"
            sensitive = true
            vlan = 110
            cidrs = ["10.0.1.0/24"]
            via = "access vlan 110"
        });
        Objects(device, network)
    }

    /// The expression `src`, as an attribute's value parses it.
    fn expr(src: &str) -> hcl::Expression {
        let body: hcl::Body = hcl::from_str(&format!("x = {src}\n")).unwrap();
        body.attributes().next().unwrap().expr().clone()
    }

    /// `src` compiled with both variables in scope.
    fn compiled(src: &str) -> Option<Fast> {
        let vars = [(Var::Device, DEVICE_FIELDS), (Var::Network, NETWORK_FIELDS)];
        compile(&expr(src), &vars)
    }

    fn both(src: &str) -> (Option<hcl::Value>, Option<Option<hcl::Value>>) {
        let objs = objects();
        let mut ctx = base_context();
        ctx.declare_var("device", objs.0.clone());
        ctx.declare_var("network", objs.1.clone());
        let slow = expr(src).evaluate(&ctx).ok();
        let fast = compiled(src).map(|c| c.eval(&objs).map(|v| v.to_hcl()));
        (slow, fast)
    }

    #[test]
    fn compiled_expressions_agree_with_hcl_rs() {
        for src in [
            "device.restricted && device.is_camera && network.sensitive",
            "!device.restricted || network.sensitive",
            "device.vendor == \"hikvision\"",
            "device.vendor != \"axis\"",
            "network.vlan == 110",
            "network.vlan >= 100 && network.vlan < 200",
            "device.vendor == 3",
            "contains(device.restricted_by, \"us-fcc-covered\")",
            "contains(device.restricted_by, true)",
            "\"${device.vendor_name}${device.vendor != device.maker ? \" (${device.maker_name})\" : \"\"} ${device.kind} ${device.name} is on ${network.name}\"",
            "\"made by (${join(\", \", device.restricted_by)})\"",
            "\"${device.restricted}\"",
            "\"restricted: ${device.restricted}\"",
            "\"$${literal} and %%{x}\"",
            "device.kind == \"unknown\" ? \"device\" : device.kind",
            "regex_match(\"^cam-[0-9]+$\", device.name)",
            "startswith(network.name, \"SECURE\") && endswith(device.name, \"1\")",
            "strcontains(lower(network.name), \"secure\") && upper(device.name) == \"CAM-1\"",
            "cidr_contains(\"10.0.0.0/8\", \"10.0.1.5\")",
            "cidr_contains(\"10.0.0.0/8\", \"10.1.0.0/16\")",
            "length(device.restricted_by) == 2 && length(device.name) > 3",
            "length(device.macs) == 0",
            "device.restricted_by == [\"uk-prc-nil\", \"us-fcc-covered\"]",
            "[device.name] == [\"cam-1\"]",
            "false && device.is_camera",
            "true || network.sensitive",
            "!device.on_sensitive_network || device.unresolved && !device.has_vendor_signal",
            "device.on_sensitive_network && (device.unresolved || !device.has_vendor_signal)",
        ] {
            let (slow, fast) = both(src);
            assert!(slow.is_some(), "{src}: hcl-rs failed");
            assert_eq!(fast, Some(slow), "{src}");
        }
    }

    #[test]
    fn the_built_in_shapes_compile() {
        for src in [
            "device.restricted && device.is_camera && network.sensitive",
            "contains(device.restricted_by, \"us-fcc-covered\") && !device.is_camera && network.sensitive",
            "\"${device.vendor_name}${device.vendor != device.maker ? \" (${device.maker_name})\" : \"\"} ${device.kind == \"unknown\" ? \"device\" : device.kind} ${device.name} is made by a restricted vendor (${join(\", \", device.restricted_by)})\"",
            "device.confidence == \"low\" ? \"warning\" : \"error\"",
        ] {
            let (slow, fast) = both(src);
            assert!(slow.is_some(), "{src}");
            assert_eq!(fast, Some(slow), "{src}");
        }
    }

    #[test]
    fn and_or_skip_only_operands_that_surely_give_a_bool() {
        assert!(matches!(
            compiled("device.restricted && device.is_camera && network.sensitive"),
            Some(Fast::ShortCircuit(true, _, _))
        ));
        assert!(matches!(
            compiled("device.restricted || !network.sensitive"),
            Some(Fast::ShortCircuit(false, _, _))
        ));
        assert!(matches!(
            compiled("device.restricted && device.name == \"x\""),
            Some(Fast::Binary(..))
        ));
    }

    #[test]
    fn the_device_gate_is_the_leading_device_only_conjuncts() {
        let gate = |src: &str| {
            let fast = compiled(src).unwrap();
            fast.device_gate()
                .map(|g| (g.reads(Var::Device), g.reads(Var::Network)))
        };
        // `a && b && c` is `(a && b) && c`: the device-only `a && b` gates.
        assert_eq!(
            gate("device.restricted && device.is_camera && network.sensitive"),
            Some((true, false))
        );
        assert_eq!(
            gate("(device.restricted && network.sensitive) && device.is_camera"),
            Some((true, false))
        );
        // Nothing device-only leads, or the operator is not `&&`.
        assert_eq!(gate("network.sensitive && device.restricted"), None);
        assert_eq!(gate("device.restricted || network.sensitive"), None);
        assert_eq!(gate("device.restricted"), None);
        // Not surely a bool on the right: hcl-rs semantics, no short cut.
        assert_eq!(gate("device.restricted && network.name == \"x\""), None);
    }

    #[test]
    fn errors_and_unsupported_shapes_are_left_to_hcl_rs() {
        for src in [
            // hcl-rs: error (a string is not a bool); fast: declines.
            "device.name && true",
            "true || device.name",
            // The right operand is not surely a bool: no short cut.
            "false && device.name",
            "false && lower(device.name)",
            "lower(device.restricted)",
            "cidr_contains(\"bogus\", \"10.0.0.1\")",
            "regex_match(\"(\", device.name)",
            "join(\", \", device.name)",
        ] {
            let (slow, fast) = both(src);
            assert_eq!(slow, None, "{src}: hcl-rs should fail");
            assert!(matches!(fast, None | Some(None)), "{src}: {fast:?}");
        }
        for src in [
            "[for r in device.restricted_by : upper(r)]",
            "network.cidrs[0]",
            "<<EOT\n${device.name}\nEOT\n",
            "\"%{ if device.restricted }yes%{ endif }\"",
            "\"${~ device.name}\"",
            "network.vlan + 1",
            "device.unknown_field",
        ] {
            assert!(compiled(src).is_none(), "{src} compiled");
        }
    }
}
