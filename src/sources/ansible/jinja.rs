//! The little of Jinja camlint understands: `{{ var }}` substitution.
//!
//! Ansible values may be templates. camlint substitutes plain variable
//! references from the variables it resolved for the same host, and calls
//! everything else (filters, lookups, expressions, statements) an unknown
//! with a reason, because evaluating templates would mean running code the
//! repository controls. Nothing here executes anything.

/// How deep `{{ a }}` → `{{ b }}` → … may go before giving up.
const MAX_INDIRECTION: usize = 8;

/// What a variable name resolves to, for substitution.
pub enum Lookup {
    /// A scalar's text (which may itself be a template).
    Text(String),
    /// A variable that exists but is a list, a mapping, a boolean or null.
    NotText,
    /// A vault-encrypted value.
    Encrypted,
    Missing,
}

/// True when the text holds anything Jinja would interpret.
pub fn is_template(text: &str) -> bool {
    // Runs on every value of every host: one byte scan, not three.
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|i| matches!(bytes.get(i + 1), Some(b'{' | b'%' | b'#')))
}

/// Renders `text`, substituting `{{ name }}` through `lookup`. Returns the
/// reason when any part cannot be rendered without evaluating code.
pub fn render(text: &str, lookup: &dyn Fn(&str) -> Lookup) -> Result<String, String> {
    render_at(text, lookup, 0)
}

fn render_at(text: &str, lookup: &dyn Fn(&str) -> Lookup, depth: usize) -> Result<String, String> {
    if depth > MAX_INDIRECTION {
        return Err("variables refer to each other too deeply (a loop?)".to_string());
    }
    if text.contains("{%") || text.contains("{#") {
        return Err("Jinja statements are not evaluated".to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 2..).unwrap_or("");
        let Some(close) = after.find("}}") else {
            return Err("unterminated `{{`".to_string());
        };
        let expr = after.get(..close).unwrap_or("").trim();
        if !is_identifier(expr) {
            return Err(format!(
                "the Jinja expression `{{{{ {expr} }}}}` is not evaluated"
            ));
        }
        match lookup(expr) {
            Lookup::Text(t) => out.push_str(&render_at(&t, lookup, depth + 1)?),
            Lookup::NotText => return Err(format!("`{expr}` is not a plain value")),
            Lookup::Encrypted => return Err(format!("`{expr}` is vault-encrypted")),
            Lookup::Missing => return Err(format!("`{expr}` is not defined in the inventory")),
        }
        rest = after.get(close + 2..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    fn vars(name: &str) -> Lookup {
        match name {
            "maker" => Lookup::Text("{{ brand }}".into()),
            "brand" => Lookup::Text("Hikvision".into()),
            "loop" => Lookup::Text("{{ loop }}".into()),
            "cams" => Lookup::NotText,
            _ => Lookup::Missing,
        }
    }

    #[test]
    fn substitutes_plain_variables_only() {
        assert_eq!(
            render("{{ maker }} DS-2CD", &vars).unwrap(),
            "Hikvision DS-2CD"
        );
        assert_eq!(render("{{brand}}", &vars).unwrap(), "Hikvision");
        assert!(
            render("{{ brand | upper }}", &vars)
                .unwrap_err()
                .contains("not evaluated")
        );
        assert!(render("{{ lookup('pipe', 'touch x') }}", &vars).is_err());
        assert!(render("{% if x %}a{% endif %}", &vars).is_err());
        assert!(
            render("{{ nope }}", &vars)
                .unwrap_err()
                .contains("not defined")
        );
        assert!(render("{{ cams }}", &vars).is_err());
        assert!(render("{{ loop }}", &vars).unwrap_err().contains("loop"));
        assert!(is_template("a {# c #}") && is_template("{% x %}") && !is_template("{a} {"));
    }
}
