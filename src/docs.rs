//! Documentation generated from the rules' own fields: `camlint explain`,
//! `docs/rules/*.md` and the README's rule table all come from here.

use crate::policy::RuleSpec;

/// The Markdown page for one rule.
pub fn explain(rule: &RuleSpec) -> String {
    let mut s = format!("# {}\n\n{}\n\n", rule.id, rule.summary);
    s.push_str(&format!(
        "- default severity: {}\n- pack: {}\n- evaluated over: {}\n",
        rule.default_severity().as_str(),
        rule.pack.as_deref().unwrap_or("custom"),
        rule.scope.as_str()
    ));
    if let Some(d) = rule.enforce_from {
        s.push_str(&format!(
            "- enforced from: {d} (a warning before that date)\n"
        ));
    }
    if !rule.description.trim().is_empty() {
        s.push_str(&format!("\n## Why\n\n{}\n", rule.description.trim()));
    }
    if let Some(h) = &rule.help {
        s.push_str(&format!("\n## How to fix\n\n{h}\n"));
    }
    if let Some(u) = &rule.url {
        s.push_str(&format!("\n## Reference\n\n{u}\n"));
    }
    s
}
