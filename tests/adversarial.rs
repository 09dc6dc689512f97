//! The adversarial suite: hostile trees run through the built binary.
//!
//! camlint reads pull requests from people who may be hostile, so every case
//! here is built in a temporary directory at test time (nothing big, binary
//! or special is committed) and run as CI would run it. Each run must end
//! within [`TIME_LIMIT`], peak under [`RSS_LIMIT`] of resident memory
//! (measured exactly with `wait4`, which reports the child's own peak), print
//! no panic, exit with the code the case demands and, for a file camlint
//! cannot take in, name that file in a `parse-error`.
//!
//! `CAMLINT_ADVERSARIAL_REPORT=1` prints each case's time and peak RSS.
#![cfg(unix)]
// Helpers outside #[test] functions are test code too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const TIME_LIMIT: Duration = Duration::from_secs(10);
const RSS_LIMIT_KB: i64 = 1024 * 1024;

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Outcome {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    fn findings(&self) -> Vec<Value> {
        self.json()["findings"].as_array().unwrap().clone()
    }

    /// The findings of `rule` whose file ends with `file`.
    fn of(&self, rule: &str, file: &str) -> Vec<Value> {
        self.findings()
            .into_iter()
            .filter(|f| f["rule"] == rule)
            .filter(|f| f["location"]["file"].as_str().unwrap().ends_with(file))
            .collect()
    }

    fn parse_error(&self, file: &str, words: &str) -> Value {
        let hits = self.of("parse-error", file);
        let hit = hits
            .iter()
            .find(|f| f["message"].as_str().unwrap().contains(words));
        match hit {
            Some(h) => h.clone(),
            None => panic!(
                "no parse-error on {file} saying {words:?}; findings: {:#}",
                self.json()["findings"]
            ),
        }
    }
}

/// Runs `camlint ARGS` in `dir` under the time and memory limits.
fn camlint(dir: &Path, case: &str, args: &[&str]) -> Outcome {
    camlint_env(dir, case, args, &[])
}

fn camlint_env(dir: &Path, case: &str, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let started = Instant::now();
    // Reaped with wait4 below, which also gives its resource usage.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(env!("CARGO_BIN_EXE_camlint"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env("CAMLINT_TODAY", "2025-01-01")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        out.read_to_end(&mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s).unwrap();
        s
    });
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain FFI calls with valid pointers to locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    let mut hwm_kb = 0;
    loop {
        hwm_kb = hwm_kb.max(vm_hwm_kb(pid).unwrap_or(0));
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        assert!(r == 0, "wait4 failed: {}", std::io::Error::last_os_error());
        if started.elapsed() > TIME_LIMIT {
            timed_out = true;
            child.kill().unwrap();
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    // wait4's peak includes what the child held before exec (a copy of
    // this test process), so it is an upper bound; VmHWM sampled while the
    // child runs is the binary's own peak, give or take the last 5 ms.
    let rss_kb = usage.ru_maxrss;
    if std::env::var_os("CAMLINT_ADVERSARIAL_REPORT").is_some() {
        eprintln!(
            "\nadversarial {case}: {:.2} s, peak RSS {} MiB (upper bound {} MiB)",
            elapsed.as_secs_f64(),
            hwm_kb / 1024,
            rss_kb / 1024
        );
    }
    assert!(!timed_out, "{case}: killed after {TIME_LIMIT:?}");
    assert!(
        rss_kb < RSS_LIMIT_KB,
        "{case}: peak RSS {rss_kb} KiB over the limit"
    );
    assert!(
        libc::WIFEXITED(status),
        "{case}: ended by a signal (status {status}); stderr:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stdout.contains("panicked"),
        "{case}: panic:\n{stderr}"
    );
    Outcome {
        code: libc::WEXITSTATUS(status),
        stdout,
        stderr,
    }
}

/// The peak resident set of a running process, from `/proc` (Linux).
fn vm_hwm_kb(pid: libc::pid_t) -> Option<i64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn write(path: impl AsRef<Path>, text: impl AsRef<[u8]>) {
    let path = path.as_ref();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

fn json_check(dir: &Path, case: &str) -> Outcome {
    camlint(dir, case, &["check", ".", "--format", "json"])
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A restricted camera on a sensitive network, in three formats; the
/// finding is on line 8 of the `.tf`, line 3 of `hosts`, line 6 of the IOS
/// config.
const TF: &str = "resource \"unifi_network\" \"secure_ops\" {\n  name    = \"SECURE-OPS\"\n  subnet  = \"10.30.0.0/24\"\n  vlan_id = 30\n}\n\n# camera\nresource \"unifi_user\" \"lobby_cam\" {\n  name       = \"lobby-camera\"\n  mac        = \"44:19:b6:3c:10:0a\"\n  network_id = unifi_network.secure_ops.id\n}\n";
const INI: &str = "# cameras\n[secure_cams]\ncam-lobby-01 ansible_host=10.20.0.11 camera_vendor=\"Hikvision\" camera_model=\"DS-2CD2143G2-I\"\n\n[secure_cams:vars]\nnetwork_zone=sensitive\n";
const IOS: &str = "hostname acc-01\n!\nvlan 110\n name SECURE-OPS\n!\ninterface GigabitEthernet1/0/1\n description lobby-cam-01 Hikvision DS-2CD2143G2-I\n switchport access vlan 110\n switchport mode access\n!\nend\n";

fn camera_tree(root: &Path, transform: impl Fn(&str) -> Vec<u8>) {
    write(root.join("tf/main.tf"), transform(TF));
    write(root.join("inventory/hosts"), transform(INI));
    write(root.join("net/acc-01.cfg"), transform(IOS));
}

/// (rule, file, line) of every finding, for comparing runs.
fn finding_lines(o: &Outcome) -> Vec<(String, String, u64)> {
    o.findings()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["location"]["file"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn yaml_alias_bomb_stops_at_the_node_limit() {
    let dir = tmp();
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..40 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    write(dir.path().join("group_vars/all.yml"), &text);
    let o = json_check(dir.path(), "yaml-alias-bomb");
    assert_eq!(o.code, 1);
    o.parse_error("group_vars/all.yml", "--max-yaml-nodes");
}

#[test]
fn hundred_thousand_nested_sequences() {
    let dir = tmp();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    write(
        dir.path().join("inventory/hosts.yml"),
        format!("all:\n  hosts:\n    cam1:\n      x: {deep}\n"),
    );
    write(
        dir.path().join("group_vars/all.yml"),
        format!("x: {}\n", "- ".repeat(100_000)),
    );
    let o = json_check(dir.path(), "nested-sequences");
    assert_eq!(o.code, 1);
    o.parse_error("inventory/hosts.yml", "");
    o.parse_error("group_vars/all.yml", "");
}

#[test]
fn five_thousand_deep_hcl_and_json() {
    let dir = tmp();
    let n = 5000;
    write(
        dir.path().join("expr.tf"),
        format!("locals {{\n  x = {}{}\n}}\n", "[".repeat(n), "]".repeat(n)),
    );
    write(
        dir.path().join("parens.tf"),
        format!("locals {{\n  x = {}1{}\n}}\n", "(".repeat(n), ")".repeat(n)),
    );
    write(
        dir.path().join("blocks.tf"),
        format!("{}{}", "a {\n".repeat(n), "}\n".repeat(n)),
    );
    write(
        dir.path().join("main.tf.json"),
        format!(
            "{{\"locals\": {{\"x\": {}{}}}}}",
            "[".repeat(n),
            "]".repeat(n)
        ),
    );
    write(
        dir.path().join("vars.tfvars.json"),
        format!("{{\"x\": {}{}}}", "{\"a\":".repeat(n), "}".repeat(n)),
    );
    // Other JSON readers: Kea, a NetBox export, a Terraform plan.
    let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
    write(
        dir.path().join("kea-dhcp4.conf"),
        format!("{{\"Dhcp4\": {{\"subnet4\": {deep}}}}}"),
    );
    write(
        dir.path().join("plan.json"),
        format!(
            "{{\"format_version\": \"1.2\", \"terraform_version\": \"1.9.0\", \"values\": {deep}}}"
        ),
    );
    let o = json_check(dir.path(), "deep-hcl-json");
    assert_eq!(o.code, 1);
    for f in [
        "expr.tf",
        "parens.tf",
        "blocks.tf",
        "main.tf.json",
        "vars.tfvars.json",
    ] {
        o.parse_error(f, "nested too deeply");
    }
    // The plan and Kea readers must end; either reading nothing or saying
    // why is acceptable, but a claimed file must not pass silently.
    for f in ["kea-dhcp4.conf", "plan.json"] {
        let claimed = o.findings().iter().any(|x| {
            x["location"]["file"].as_str().unwrap().ends_with(f) && x["rule"] == "parse-error"
        });
        assert!(claimed, "{f}: deep JSON passed without a parse-error");
    }
}

#[test]
fn fifty_megabyte_line() {
    let dir = tmp();
    let mut text = String::with_capacity(50 * 1024 * 1024 + 2);
    text.push('#');
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push('\n');
    write(dir.path().join("huge.tf"), &text);
    // Over the default limit: refused by size, naming the flag.
    let o = json_check(dir.path(), "50mb-line");
    assert_eq!(o.code, 1);
    o.parse_error("huge.tf", "--max-file-size");
    // Under a raised limit it parses, fast, as one long comment.
    let o = camlint(
        dir.path(),
        "50mb-line-raised",
        &[
            "check",
            ".",
            "--format",
            "json",
            "--max-file-size",
            "60000000",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stdout);
}

#[test]
fn oversized_file_claimed_by_content_is_not_skipped() {
    let dir = tmp();
    let mut text = String::from("[cams]\ncam1 ansible_host=10.0.0.1\n");
    while text.len() < 2048 {
        text.push_str("# padding\n");
    }
    write(dir.path().join("inventory/hosts"), &text);
    let o = camlint(
        dir.path(),
        "oversized-sniffed",
        &["check", ".", "--format", "json", "--max-file-size", "1024"],
    );
    assert_eq!(o.code, 1);
    o.parse_error("inventory/hosts", "--max-file-size");
}

fn random_bytes(n: usize) -> Vec<u8> {
    // xorshift: reproducible noise without a dependency.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn random_bytes_in_claimed_files() {
    let dir = tmp();
    let noise = random_bytes(256 * 1024);
    write(dir.path().join("main.tf"), &noise);
    write(dir.path().join("main.tf.json"), &noise);
    write(dir.path().join("group_vars/all.yml"), &noise);
    // Not ours by name and not text: not claimed, no noise in the report.
    write(dir.path().join("photo.jpg"), &noise);
    let o = json_check(dir.path(), "random-bytes");
    assert_eq!(o.code, 1);
    for f in ["main.tf", "main.tf.json", "group_vars/all.yml"] {
        o.parse_error(f, "not valid UTF-8");
    }
    assert!(o.of("parse-error", "photo.jpg").is_empty());
}

#[test]
fn invalid_utf8_points_at_the_bad_byte() {
    let dir = tmp();
    write(
        dir.path().join("main.tf"),
        b"resource \"a\" \"b\" {\n  name = \"caf\xe9\"\n}\n",
    );
    let o = json_check(dir.path(), "invalid-utf8");
    assert_eq!(o.code, 1);
    let f = o.parse_error("main.tf", "not valid UTF-8");
    assert_eq!(f["location"]["line"], 2);
    assert_eq!(f["location"]["column"], 14);
}

#[test]
fn bom_crlf_and_lone_cr_give_the_same_findings_on_the_same_lines() {
    let plain = tmp();
    camera_tree(plain.path(), |t| t.as_bytes().to_vec());
    let want = finding_lines(&json_check(plain.path(), "line-endings-lf"));
    assert!(
        want.iter()
            .filter(|f| f.0 == "restricted-camera-on-sensitive-network")
            .count()
            >= 3,
        "fixture must fire in every format: {want:?}"
    );
    type Transform = fn(&str) -> Vec<u8>;
    let variants: [(&str, Transform); 4] = [
        ("bom", |t| {
            [b"\xEF\xBB\xBF".as_slice(), t.as_bytes()].concat()
        }),
        ("crlf", |t| t.replace('\n', "\r\n").into_bytes()),
        ("lone-cr", |t| t.replace('\n', "\r").into_bytes()),
        ("bom-crlf", |t| {
            [
                b"\xEF\xBB\xBF".as_slice(),
                t.replace('\n', "\r\n").as_bytes(),
            ]
            .concat()
        }),
    ];
    for (name, transform) in variants {
        let dir = tmp();
        camera_tree(dir.path(), transform);
        let o = json_check(dir.path(), name);
        assert_eq!(finding_lines(&o), want, "{name}");
        assert_eq!(o.code, 1, "{name}");
    }
}

#[test]
fn symlink_loops_end_and_links_out_of_the_tree_are_not_read() {
    let dir = tmp();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::os::unix::fs::symlink("b.tf", root.join("a.tf")).unwrap();
    std::os::unix::fs::symlink("a.tf", root.join("b.tf")).unwrap();
    std::os::unix::fs::symlink(".", root.join("self")).unwrap();
    std::os::unix::fs::symlink("..", root.join("up")).unwrap();
    // A link to a file of the CI machine must not be echoed in the report.
    write(dir.path().join("secret.txt"), "TOKEN=hunter2-secret\n");
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("leak.tf")).unwrap();
    // A link inside the tree is fine.
    write(root.join("real/main.tf"), TF);
    std::os::unix::fs::symlink("real/main.tf", root.join("alias.tf")).unwrap();
    let o = json_check(&root, "symlink-loop");
    assert_eq!(o.code, 1);
    o.parse_error("a.tf", "symbolic links");
    o.parse_error("b.tf", "symbolic links");
    o.parse_error("leak.tf", "outside the scanned tree");
    assert!(!o.stdout.contains("hunter2"));
    assert!(
        !o.of("restricted-camera-on-sensitive-network", "alias.tf")
            .is_empty()
    );
    let human = camlint(&root, "symlink-loop-human", &["check", "."]);
    assert!(!human.stdout.contains("hunter2"));
}

#[test]
fn fifo_and_socket_named_like_claimed_files_do_not_block() {
    let dir = tmp();
    let make_fifo = |p: PathBuf| {
        let c = std::ffi::CString::new(p.into_os_string().into_encoded_bytes()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    };
    make_fifo(dir.path().join("main.tf"));
    make_fifo(dir.path().join("hosts"));
    std::fs::create_dir_all(dir.path().join("inventory")).unwrap();
    make_fifo(dir.path().join("inventory/hosts"));
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("net.tf")).unwrap();
    let _socket2 =
        std::os::unix::net::UnixListener::bind(dir.path().join("inventory/prod.yml")).unwrap();
    let o = json_check(dir.path(), "fifo-socket");
    // Claimed by name: a parse-error, so the gate fails closed. Files that
    // would only be claimed by content are never opened, so never claimed.
    assert_eq!(o.code, 1);
    o.parse_error("main.tf", "not a regular file");
    o.parse_error("net.tf", "not a regular file");
    assert!(o.of("parse-error", "inventory/hosts").is_empty());
}

#[test]
fn unreadable_files_and_directories_are_errors() {
    let dir = tmp();
    // Works as root too: a dangling link cannot be read by anyone.
    std::os::unix::fs::symlink("gone.tf", dir.path().join("dangling.tf")).unwrap();
    write(dir.path().join("locked.tf"), TF);
    write(dir.path().join("closed/inner.tf"), TF);
    std::fs::set_permissions(
        dir.path().join("locked.tf"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    std::fs::set_permissions(
        dir.path().join("closed"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let o = json_check(dir.path(), "unreadable");
    // Restore so the temp dir can be removed.
    std::fs::set_permissions(
        dir.path().join("closed"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_eq!(o.code, 1);
    o.parse_error("dangling.tf", "cannot read file");
    if is_root() {
        // Permission bits do not bind root: the files are simply read, and
        // the camera in them is found.
        assert!(
            !o.of("restricted-camera-on-sensitive-network", "locked.tf")
                .is_empty()
        );
        assert!(
            !o.of("restricted-camera-on-sensitive-network", "closed/inner.tf")
                .is_empty()
        );
    } else {
        o.parse_error("locked.tf", "cannot read file");
        o.parse_error("closed", "cannot list directory");
    }
}

#[test]
fn file_names_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tmp();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.tf");
    write(dir.path().join(name), TF);
    let bad = std::ffi::OsStr::from_bytes(b"br\xffoken.tf");
    write(dir.path().join(bad), "resource \"a\" \"b\" {\n");
    let o = json_check(dir.path(), "non-utf8-names");
    assert_eq!(o.code, 1);
    assert!(
        !o.of("restricted-camera-on-sensitive-network", "caf\u{FFFD}.tf")
            .is_empty()
    );
    o.parse_error("br\u{FFFD}oken.tf", "");
    let human = camlint(dir.path(), "non-utf8-names-human", &["check", "."]);
    assert_eq!(human.code, 1);
}

#[test]
fn hundred_thousand_tiny_files() {
    let dir = tmp();
    for d in 0..100 {
        let sub = dir.path().join(format!("d{d:03}"));
        std::fs::create_dir_all(&sub).unwrap();
        for f in 0..1000 {
            let (name, text) = match f % 4 {
                0 => (format!("f{f}.tf"), "# nothing\n"),
                1 => (format!("f{f}.txt"), "hello\n"),
                2 => (format!("f{f}.yml"), "a: 1\n"),
                _ => (format!("f{f}.md"), "# doc\n"),
            };
            std::fs::write(sub.join(name), text).unwrap();
        }
    }
    let o = camlint(
        dir.path(),
        "100k-files",
        &["check", ".", "--format", "json"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.json()["summary"]["files"], 25_000);
}

#[test]
fn gitignore_that_ignores_everything_is_reported() {
    let dir = tmp();
    camera_tree(dir.path(), |t| t.as_bytes().to_vec());
    write(dir.path().join(".gitignore"), "*\n");
    let o = json_check(dir.path(), "gitignore-all");
    assert_eq!(o.code, 0);
    assert!(
        o.stderr.contains("no files were scanned") && o.stderr.contains(".gitignore"),
        "{}",
        o.stderr
    );
    let summary = &o.json()["summary"];
    assert_eq!(summary["files"], 0);
    assert!(summary["ignored"].as_u64().unwrap() >= 3, "{summary}");
    let human = camlint(dir.path(), "gitignore-all-human", &["check", "."]);
    assert!(
        human.stdout.contains("ignored by .gitignore"),
        "{}",
        human.stdout
    );
}

#[test]
fn parse_errors_fail_unless_explicitly_allowed() {
    let dir = tmp();
    write(dir.path().join("broken.tf"), "resource \"a\" \"b\" {\n");
    let o = json_check(dir.path(), "parse-error-default");
    assert_eq!(o.code, 1);
    assert!(o.json()["summary"].get("fail_on_parse_error").is_none());
    let o = camlint(
        dir.path(),
        "parse-error-opt-out",
        &[
            "check",
            ".",
            "--format",
            "json",
            "--fail-on-parse-error=false",
        ],
    );
    assert_eq!(o.code, 0);
    assert_eq!(o.json()["summary"]["fail_on_parse_error"], false);
    o.parse_error("broken.tf", "");
    let human = camlint(
        dir.path(),
        "parse-error-opt-out-human",
        &["check", ".", "--fail-on-parse-error=false"],
    );
    assert_eq!(human.code, 0);
    assert!(human.stdout.contains("--fail-on-parse-error=false"));
    // The opt-out does not hide real findings.
    write(dir.path().join("main.tf"), TF);
    let o = camlint(
        dir.path(),
        "parse-error-opt-out-finding",
        &["check", ".", "--fail-on-parse-error=false"],
    );
    assert_eq!(o.code, 1);
}

#[test]
fn findings_per_file_are_capped_without_hiding_the_failure() {
    let dir = tmp();
    let mut csv = String::from("hostname;vendor;model;mac_address;vlan;zone\n");
    for i in 0..50 {
        csv.push_str(&format!(
            "cam-{i};Dahua;IPC-HFW2431S;3c:ef:8c:00:00:{i:02x};110;SECURE-OPS\n"
        ));
    }
    write(dir.path().join("assets.csv"), &csv);
    let o = camlint(
        dir.path(),
        "max-findings",
        &[
            "check",
            ".",
            "--format",
            "json",
            "--max-findings-per-file",
            "5",
        ],
    );
    assert_eq!(o.code, 1);
    let findings = o.findings();
    assert_eq!(findings.len(), 6, "{findings:#?}");
    let last = &findings[5];
    assert_eq!(last["rule"], "too-many-findings");
    assert_eq!(last["severity"], "error");
    let message = last["message"].as_str().unwrap();
    assert!(message.starts_with("45 more findings"), "{message}");
    assert!(message.contains("--max-findings-per-file"), "{message}");
}

/// Fake tools that leave a marker if anything runs them.
fn trap_dir(root: &Path, marker: &Path) -> PathBuf {
    let bin = root.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in [
        "sh",
        "bash",
        "python",
        "python3",
        "perl",
        "ruby",
        "terraform",
        "tofu",
        "ansible",
        "ansible-inventory",
        "git",
        "env",
        "node",
    ] {
        let p = bin.join(tool);
        std::fs::write(
            &p,
            format!("#!/bin/sh\necho {tool} >> '{}'\n", marker.display()),
        )
        .unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

#[test]
fn scanning_never_runs_anything() {
    let dir = tmp();
    let marker = dir.path().join("ran");
    let bin = trap_dir(dir.path(), &marker);
    let tree = dir.path().join("repo");
    // A dynamic inventory script that would leave the marker if run.
    let script = tree.join("inventory/hosts.py");
    write(
        &script,
        format!(
            "#!/bin/sh\necho script >> '{}'\necho '{{}}'\n",
            marker.display()
        ),
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    write(
        tree.join("inventory/aws_ec2.yml"),
        "plugin: amazon.aws.aws_ec2\n",
    );
    write(
        tree.join("main.tf"),
        format!(
            "data \"external\" \"x\" {{\n  program = [\"sh\", \"-c\", \"echo tf >> '{}'\"]\n}}\nresource \"null_resource\" \"y\" {{\n  provisioner \"local-exec\" {{\n    command = \"echo tf >> '{}'\"\n  }}\n}}\n",
            marker.display(),
            marker.display()
        ),
    );
    write(
        tree.join("playbook.yml"),
        format!(
            "- hosts: all\n  tasks:\n    - shell: echo play >> '{}'\n",
            marker.display()
        ),
    );
    let path = bin.to_str().unwrap();
    let o = camlint_env(
        &tree,
        "never-execute",
        &["check", ".", "--format", "json"],
        &[("PATH", path)],
    );
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    assert!(
        !o.of("dynamic-inventory-not-evaluated", "hosts.py")
            .is_empty()
    );
    assert!(
        !marker.exists(),
        "something was run: {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    // The trap works: running a fake tool does leave the marker.
    let ok = Command::new(bin.join("terraform")).status().unwrap();
    assert!(ok.success() && marker.exists());
}

#[test]
fn no_process_is_spawned_from_library_code() {
    // The binary's entry point may not spawn either; tests may.
    let mut offenders = Vec::new();
    let mut stack = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for needle in [
                "process::Command",
                "Command::new",
                "process::exec",
                "libc::exec",
                "libc::fork",
                "posix_spawn",
            ] {
                if text.contains(needle) {
                    offenders.push(format!("{}: {needle}", path.display()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "process spawning in src/: {offenders:?}"
    );
}
