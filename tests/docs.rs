//! The checked-in rule docs (`docs/rules/*.md`, the README's rule table)
//! are what the rules' own fields generate; editing a rule without
//! regenerating them fails here.

#[test]
fn checked_in_rule_docs_are_current() {
    let policy = camlint::policy::load(&camlint::policy::LoadOptions::default()).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let stale = camlint::docs::stale_files(root, &policy).unwrap();
    assert!(
        stale.is_empty(),
        "generated docs are stale: {stale:?}\nregenerate them with `cargo run -- docs --write .`"
    );
}

#[test]
fn every_builtin_rule_has_a_page_and_a_table_row() {
    let policy = camlint::policy::load(&camlint::policy::LoadOptions::default()).unwrap();
    let rules = camlint::docs::builtin_rules(&policy);
    assert!(rules.len() >= 5);
    let readme = std::fs::read_to_string("README.md").unwrap();
    for r in rules {
        let page = std::fs::read_to_string(format!("docs/rules/{}.md", r.id)).unwrap();
        assert!(page.contains(&format!("# {}\n\n{}", r.id, r.summary)));
        assert!(readme.contains(&format!("[`{}`](docs/rules/{}.md)", r.id, r.id)));
    }
}

#[test]
fn the_check_notices_an_edit_and_write_repairs_it() {
    let policy = camlint::policy::load(&camlint::policy::LoadOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "# x\n<!-- rules:start -->\nhand-edited\n<!-- rules:end -->\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("docs/rules")).unwrap();
    std::fs::write(dir.path().join("docs/rules/retired-rule.md"), "old").unwrap();
    let stale = camlint::docs::stale_files(dir.path(), &policy).unwrap();
    assert!(stale.iter().any(|p| p.ends_with("README.md")));
    assert!(stale.iter().any(|p| p.ends_with("retired-rule.md")));
    assert!(stale.iter().any(|p| p.ends_with("parse-error.md")));

    let mut out = Vec::new();
    let mut err = Vec::new();
    let dir_arg = dir.path().to_str().unwrap();
    let code = camlint::run(
        ["camlint", "docs", "--write", dir_arg, "--check"],
        &mut out,
        &mut err,
    );
    assert_eq!(code, camlint::EXIT_FINDINGS);
    assert!(String::from_utf8_lossy(&err).contains("camlint docs --write ."));

    let code = camlint::run(["camlint", "docs", "--write", dir_arg], &mut out, &mut err);
    assert_eq!(code, camlint::EXIT_CLEAN);
    assert!(
        camlint::docs::stale_files(dir.path(), &policy)
            .unwrap()
            .is_empty()
    );
    assert!(!dir.path().join("docs/rules/retired-rule.md").exists());
    let readme = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    assert!(readme.starts_with("# x\n<!-- rules:start -->\n| id |"));
    assert!(readme.ends_with("<!-- rules:end -->\n"));
}
