//! The commands around the gate: shell completions, man pages, and
//! `--help` with examples for every command.

// Helpers outside `#[test]` functions panic on purpose: that is a failure.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

fn run(args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["camlint"];
    argv.extend_from_slice(args);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = camlint::run(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

#[test]
fn completions_are_generated_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef camlint"),
        ("fish", "complete -c camlint"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[camlint]"),
    ] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell} script lacks {marker:?}");
        assert!(out.contains("check") && out.contains("format"), "{shell}");
        // Shells that complete values offer the report formats.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(out.contains("sarif") && out.contains("junit"), "{shell}");
        }
    }
    let (code, _, _) = run(&["completions", "tcsh"]);
    assert_eq!(code, camlint::EXIT_USAGE);
}

#[test]
fn man_pages_are_roff_for_camlint_and_each_command() {
    let (code, out, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(out.starts_with(".ie \\n(.g .ds Aq"), "{}", &out[..80]);
    assert!(out.contains(".TH camlint 1"), "{out}");
    assert!(out.contains("check"));
    let (code, out, _) = run(&["man", "check"]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH camlint-check 1"), "{out}");
    assert!(out.contains("\\-\\-fail\\-on"), "{out}");
    let (code, _, err) = run(&["man", "nope"]);
    assert_eq!(code, camlint::EXIT_USAGE);
    assert!(err.contains("known commands: check"), "{err}");
}

#[test]
fn every_command_has_help_with_examples() {
    let (_, top, _) = run(&["--help"]);
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    for expected in ["check", "rules", "explain", "completions", "man"] {
        assert!(
            commands.iter().any(|c| c == expected),
            "{expected} not in --help:\n{top}"
        );
    }
    assert!(
        !commands.iter().any(|c| c == "docs"),
        "docs is a maintainer command"
    );
    for c in &commands {
        let (code, out, _) = run(&[c, "--help"]);
        assert_eq!(code, 0, "{c}");
        let examples = out
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{c} --help has no examples:\n{out}"));
        assert!(
            examples.contains(&format!("camlint {c}")),
            "{c}: {examples}"
        );
    }
}
