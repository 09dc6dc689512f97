//! Where each part of a value is written.
//!
//! Values do not carry spans (the evaluator stays small and fast), so a
//! finding that needs "the MAC of the `lobby` entry is on line 7" gets it
//! from a [`Prov`]: a tree shaped like the value, built from the syntax of
//! literal objects and tuples and followed through `var.`, `local.`,
//! `each.value` and module arguments by `module.rs`. Where the shape is
//! lost (a `for` expression, a function call) the tree ends in a leaf at
//! the whole expression, which is still the right place to look.

use std::collections::BTreeMap;

use super::hcl::Value;
use crate::model::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Prov {
    Leaf(Span),
    /// An object literal: each key's value.
    Map(Span, BTreeMap<String, Prov>),
    /// A tuple literal: each element, with its text when it is a literal
    /// string (so a set of strings can be looked up by element).
    List(Span, Vec<(Option<String>, Prov)>),
}

impl Prov {
    pub fn span(&self) -> Span {
        match self {
            Prov::Leaf(s) | Prov::Map(s, _) | Prov::List(s, _) => *s,
        }
    }

    /// The part at one step (an attribute name, a key or an index).
    pub fn get(&self, step: &Value) -> Option<&Prov> {
        match (self, step) {
            (Prov::Map(_, m), Value::String(k)) => m.get(k),
            (Prov::List(_, items), Value::Number(n)) if *n >= 0.0 && n.fract() == 0.0 => {
                items.get(*n as usize).map(|(_, p)| p)
            }
            // An element of a set, found by its value (`for_each =
            // toset(["a", "b"])` → `each.value` of "b").
            (Prov::List(_, items), Value::String(k)) => items
                .iter()
                .find(|(lit, _)| lit.as_deref() == Some(k.as_str()))
                .map(|(_, p)| p),
            _ => None,
        }
    }

    /// Follows steps as far as the tree knows them; the deepest part known
    /// is the narrowest true location.
    pub fn walk(&self, steps: &[Value]) -> Prov {
        let mut cur = self;
        for s in steps {
            match cur.get(s) {
                Some(next) => cur = next,
                None => break,
            }
        }
        cur.clone()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::FileId;

    fn sp(a: usize) -> Span {
        Span::new(FileId(0), a, a + 1)
    }

    #[test]
    fn walks_maps_lists_and_sets() {
        let mut inner = BTreeMap::new();
        inner.insert("mac".to_string(), Prov::Leaf(sp(5)));
        let mut m = BTreeMap::new();
        m.insert("lobby".to_string(), Prov::Map(sp(3), inner));
        let p = Prov::Map(sp(1), m);
        let steps = [Value::String("lobby".into()), Value::String("mac".into())];
        assert_eq!(p.walk(&steps).span(), sp(5));
        // An unknown step stops at the deepest known part.
        let steps = [Value::String("lobby".into()), Value::String("ip".into())];
        assert_eq!(p.walk(&steps).span(), sp(3));
        let set = Prov::List(
            sp(0),
            vec![
                (Some("a".into()), Prov::Leaf(sp(7))),
                (Some("b".into()), Prov::Leaf(sp(9))),
            ],
        );
        assert_eq!(set.walk(&[Value::String("b".into())]).span(), sp(9));
        assert_eq!(set.walk(&[Value::Number(0.0)]).span(), sp(7));
    }
}
