//! `camlint init [DIR]`: a starting point for a platform team. Writes a
//! repository config, a sample custom rule and a verify case for it that
//! passes out of the box (`camlint verify policies/tests`), so the first
//! thing a team does with its own rules is test them.
//!
//! Existing files are never overwritten without `--force`: the command
//! checks every target first and writes nothing when one exists.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::finish;
use crate::{EXIT_CLEAN, EXIT_USAGE};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to set up (usually the repository root)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite files that already exist
    #[arg(long)]
    pub force: bool,
}

/// Id of the sample rule, and the name of its verify case.
pub const SAMPLE_RULE: &str = "no-dahua-anywhere";

const CONFIG: &str = r#"# camlint repository config. The language: docs/policy-language.md
settings {
  # Lowest severity that fails the build: "error", "warning", "note" or "never".
  fail_on = "error"

  # Custom rules (*.hcl) and Rego policies (*.rego) are loaded from here.
  # Folders holding expect.hcl are verify cases and are not loaded.
  policy_paths = ["policies"]

  # The verify cases are sample estates, not part of this one.
  exclude = ["policies/tests/**"]

  # Packs to enable (both load by default):
  # packs = ["uk-prc-nil", "us-fcc-covered"]
}

# Networks to treat as sensitive even when nothing in the code labels them
# so. Uncomment and adapt:
#
# network "ops-core" {
#   cidrs  = ["10.20.0.0/16"]
#   vlans  = [110, 120]
#   names  = ["OPS-CORE"]
#   groups = ["secure_cameras"]
#   reason = "operations core network (security policy 4.2)"
# }
"#;

const CUSTOM: &str = r#"# A house rule: no Dahua equipment anywhere, on any network, including
# Dahua's brands and OEM products. Test it: camlint verify policies/tests
rule "no-dahua-anywhere" {
  severity  = "error"
  over      = "device"
  summary   = "Dahua equipment is banned on this estate"
  help      = "Replace the device, or suppress with a reason and a date: camlint:ignore[no-dahua-anywhere] reason=\"…\" until=YYYY-MM-DD"
  condition = device.maker == "dahua"
  message   = "${device.name}: ${device.vendor_name} equipment is banned here (${device.vendor_signal})"
}
"#;

const CASE_INPUT: &str = r#"# The sample rule must fire on this camera...
resource "netbox_manufacturer" "dahua" {
  name = "Dahua"
}

resource "netbox_device_type" "dome" {
  model           = "IPC-HDW2431T"
  manufacturer_id = netbox_manufacturer.dahua.id
}

resource "netbox_device" "lobby" {
  name           = "lobby-cam"
  device_type_id = netbox_device_type.dome.id
}

# ...and not on this one.
resource "netbox_manufacturer" "axis" {
  name = "Axis Communications"
}

resource "netbox_device_type" "bullet" {
  model           = "P1455-LE"
  manufacturer_id = netbox_manufacturer.axis.id
}

resource "netbox_device" "yard" {
  name           = "yard-cam"
  device_type_id = netbox_device_type.bullet.id
}
"#;

const CASE_EXPECT: &str = r#"# A verify case: camlint checks this folder and compares its findings.
# Format: docs/policy-language.md, "Testing policies".

finding {
  rule     = "no-dahua-anywhere"
  file     = "main.tf"
  line     = 11
  severity = "error"
}

no_finding {
  rule = "no-dahua-anywhere"
  file = "main.tf"
  line = 26
}

exit_code = 1
"#;

/// The files `init` writes, relative to DIR.
pub fn files() -> Vec<(PathBuf, &'static str)> {
    let case = Path::new("policies").join("tests").join(SAMPLE_RULE);
    vec![
        (PathBuf::from(crate::policy::CONFIG_FILE_NAME), CONFIG),
        (Path::new("policies").join("custom.hcl"), CUSTOM),
        (case.join("main.tf"), CASE_INPUT),
        (case.join(crate::policy::VERIFY_EXPECT_FILE), CASE_EXPECT),
    ]
}

/// Runs `camlint init`.
pub fn init(a: InitArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let targets: Vec<(PathBuf, &str)> = files()
        .into_iter()
        .map(|(p, text)| (a.dir.join(p), text))
        .collect();
    let existing: Vec<&PathBuf> = targets
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() && !a.force {
        let mut r = Ok(());
        for p in &existing {
            r = r.and(writeln!(
                stderr,
                "error: {} already exists",
                crate::model::display_path(p)
            ));
        }
        r = r.and(writeln!(
            stderr,
            "camlint: nothing was written; use --force to overwrite"
        ));
        return finish(r, EXIT_USAGE);
    }
    let mut r = Ok(());
    for (path, text) in &targets {
        let written = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
            _ => Ok(()),
        }
        .and_then(|_| std::fs::write(path, text));
        if let Err(e) = written {
            return finish(
                writeln!(
                    stderr,
                    "error: cannot write {}: {e}",
                    crate::model::display_path(path)
                ),
                EXIT_USAGE,
            );
        }
        r = r.and(writeln!(
            stdout,
            "created {}",
            crate::model::display_path(path)
        ));
    }
    let tests = a.dir.join("policies").join("tests");
    r = r.and(writeln!(
        stdout,
        "\nNext: camlint verify {}   (tests the sample rule)\n      camlint check {}",
        crate::model::display_path(&tests),
        crate::model::display_path(&a.dir)
    ));
    finish(r, EXIT_CLEAN)
}
