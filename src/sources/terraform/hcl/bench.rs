//! Throughput comparison with hcl-edit, run by hand in release:
//! `HCL_BENCH_DIR=<estate>/terraform cargo test --release --lib hcl::bench -- --ignored --nocapture`
//! (the estate comes from the bench generator). Ignored by default: it
//! needs the generated tree and a release build to mean anything.

use std::time::Instant;

fn tf_files(dir: &std::path::Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            tf_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "tf") {
            out.extend(std::fs::read_to_string(&path).ok());
        }
    }
}

fn mb_per_s(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / 1e6 / secs
}

#[test]
#[ignore]
fn throughput_against_hcl_edit() {
    let Ok(dir) = std::env::var("HCL_BENCH_DIR") else {
        return;
    };
    let mut files = Vec::new();
    tf_files(std::path::Path::new(&dir), &mut files);
    let bytes: usize = files.iter().map(String::len).sum();
    println!("{} files, {:.1} MB", files.len(), bytes as f64 / 1e6);

    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let mut n = 0;
        for f in &files {
            let parsed = super::parse(f);
            assert!(parsed.errors.is_empty());
            n += parsed.body.blocks.len();
        }
        best = best.min(t.elapsed().as_secs_f64());
        assert!(n > 0);
    }
    let ours = mb_per_s(bytes, best);

    let mut best_edit = f64::MAX;
    for _ in 0..2 {
        let t = Instant::now();
        for f in &files {
            assert!(hcl_edit::parser::parse_body(f).is_ok());
        }
        best_edit = best_edit.min(t.elapsed().as_secs_f64());
    }
    let theirs = mb_per_s(bytes, best_edit);
    println!(
        "camlint hcl: {ours:.0} MB/s ({best:.3} s); hcl-edit: {theirs:.1} MB/s ({best_edit:.3} s); ratio {:.1}x",
        ours / theirs
    );
}
