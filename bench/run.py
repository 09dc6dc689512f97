#!/usr/bin/env python3
"""Benchmark camlint against ripgrep on generated estates.

usage: bench/run.py [--sites 200,2000,10000] [--runs 10] [--work DIR] [--write-doc]

For each size, generates an estate with ../shared/bench/gen_estate.py (cached
in --work), checks that camlint's findings per top-level folder equal the
generator's expected.json (a benchmark that reports wrong findings is not a
benchmark), then times with hyperfine, in the same run:

  camlint check OUT --format json          (default threads)
  camlint check OUT --format json --jobs 1
  rg -i 'hikvision|dahua' OUT

and records camlint's wall time as a ratio to ripgrep's, the parallel
speed-up, and camlint's peak RSS (from GNU time). With --write-doc the
results and the machine they ran on are written to docs/PERFORMANCE.md.

The three commands are timed in rounds, one run of each per round, so a
machine that slows down or speeds up during the benchmark weighs on all of
them alike; ratios are of medians, which a few stalled runs (a shared
virtual machine stalls now and then for hundreds of milliseconds) do not
move, and the means are reported beside them.

Needs: a release build (cargo build --release), hyperfine, ripgrep and GNU
time (Debian packages hyperfine, ripgrep, time).
"""
import argparse
import collections
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(os.path.dirname(ROOT), "shared", "bench", "gen_estate.py")
BIN = os.path.join(ROOT, "target", "release", "camlint")
FOLDERS = ("terraform", "ansible", "network", "dhcp")


def need(tool):
    if shutil.which(tool) is None:
        sys.exit(f"bench: `{tool}` is not installed (apt-get install {tool})")


def estate(work, sites):
    out = os.path.join(work, f"estate-{sites}")
    if not os.path.exists(os.path.join(out, "expected.json")):
        if not os.path.exists(GEN):
            sys.exit(f"bench: the estate generator is missing: {GEN}")
        subprocess.run([sys.executable, GEN, "--sites", str(sites), "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
    return out


def check_counts(out):
    """camlint's findings per folder must equal expected.json."""
    expected = json.load(open(os.path.join(out, "expected.json")))["findings"]
    for folder in FOLDERS:
        r = subprocess.run([BIN, "check", os.path.join(out, folder), "--format", "json"],
                           capture_output=True, text=True)
        doc = json.loads(r.stdout)
        got = dict(collections.Counter(f["rule"] for f in doc["findings"]))
        if got != expected.get(folder, {}):
            sys.exit(f"bench: {out}/{folder}: findings {got} differ from expected {expected.get(folder)}")


def peak_rss_mb(args, runs=3):
    """The median of a few runs' peak RSS: with transparent huge pages it
    moves by a few megabytes from run to run."""
    peaks = []
    for _ in range(runs):
        r = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, capture_output=True, text=True)
        peaks.append(int(r.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(peaks)


def time_all(out, runs):
    cmds = {
        "camlint": f"{BIN} check {out} --format json",
        "camlint-j1": f"{BIN} check {out} --format json --jobs 1",
        "rg": f"rg -i 'hikvision|dahua' {out}",
    }
    times = {name: [] for name in cmds}
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        for i in range(runs):
            warmup = ["-w", "1"] if i == 0 else []
            subprocess.run(["hyperfine", "-N", "-i", *warmup, "-r", "1", "--export-json", f.name, *cmds.values()],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for name, r in zip(cmds, json.load(open(f.name))["results"]):
                times[name].extend(r["times"])
    return {name: {"median": statistics.median(t), "mean": statistics.mean(t), "runs": len(t)}
            for name, t in times.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", default="200,2000,10000")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "camlint-bench"))
    ap.add_argument("--write-doc", action="store_true")
    args = ap.parse_args()
    for tool in ("hyperfine", "rg"):
        need(tool)
    if not os.path.exists("/usr/bin/time"):
        sys.exit("bench: GNU time is missing (apt-get install time)")
    if not os.path.exists(BIN):
        sys.exit("bench: build first: cargo build --release")
    os.makedirs(args.work, exist_ok=True)

    rows = []
    for sites in [int(s) for s in args.sites.split(",")]:
        out = estate(args.work, sites)
        check_counts(out)
        t = time_all(out, args.runs)
        files = json.load(open(os.path.join(out, "expected.json")))["files"]
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
        row = {
            "sites": sites,
            "files": files,
            "mb": size / 1e6,
            "runs": t["rg"]["runs"],
            "camlint_ms": t["camlint"]["median"] * 1e3,
            "camlint_mean_ms": t["camlint"]["mean"] * 1e3,
            "camlint_j1_ms": t["camlint-j1"]["median"] * 1e3,
            "rg_ms": t["rg"]["median"] * 1e3,
            "rg_mean_ms": t["rg"]["mean"] * 1e3,
            "ratio": t["camlint"]["median"] / t["rg"]["median"],
            "ratio_mean": t["camlint"]["mean"] / t["rg"]["mean"],
            "speedup": t["camlint-j1"]["median"] / t["camlint"]["median"],
            "rss_mb": peak_rss_mb([BIN, "check", out, "--format", "json"]),
        }
        rows.append(row)
        print(f"{sites:>6} sites {files:>6} files {row['mb']:6.1f} MB: camlint {row['camlint_ms']:7.1f} ms "
              f"(mean {row['camlint_mean_ms']:.1f}; --jobs 1 {row['camlint_j1_ms']:7.1f} ms, speed-up {row['speedup']:.2f}x), "
              f"rg {row['rg_ms']:6.1f} ms (mean {row['rg_mean_ms']:.1f}), "
              f"ratio {row['ratio']:.2f} (of means {row['ratio_mean']:.2f}), peak RSS {row['rss_mb']:.0f} MB", flush=True)
    by = {r["sites"]: r for r in rows}
    if 2000 in by and 10000 in by:
        print(f"scaling 10000/2000 sites: {by[10000]['camlint_ms'] / by[2000]['camlint_ms']:.2f}x "
              f"(rg {by[10000]['rg_ms'] / by[2000]['rg_ms']:.2f}x)")
    if args.write_doc:
        write_doc(rows, by)


def write_doc(rows, by):
    load = os.getloadavg()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    lines = [
        "# Performance",
        "",
        "Generated by `bench/run.py --write-doc`; do not edit by hand. Estates come from",
        "the shared estate generator; every run first checks that camlint's findings per",
        "folder equal the generator's `expected.json`. camlint and `rg -i 'hikvision|dahua'`",
        "are timed with hyperfine in the same run, in rounds of one run each, so the ratio",
        "is what matters on a shared, noisy machine. Times are medians (means in",
        "brackets): the machine stalls now and then, and a few stalled runs move a mean",
        "but not a median. Peak RSS is the median of three runs.",
        "",
        f"Machine: {os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}; "
        f"load average at the end of the run {load[0]:.2f}.",
        "",
        "| sites | files | MB | runs | camlint | camlint --jobs 1 | parallel speed-up | rg | camlint / rg | peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['sites']} | {r['files']} | {r['mb']:.1f} | {r['runs']} | {r['camlint_ms']:.0f} ms ({r['camlint_mean_ms']:.0f}) "
                     f"| {r['camlint_j1_ms']:.0f} ms | {r['speedup']:.2f}x | {r['rg_ms']:.0f} ms ({r['rg_mean_ms']:.0f}) "
                     f"| {r['ratio']:.2f} ({r['ratio_mean']:.2f}) | {r['rss_mb']:.0f} MB |")
    if 2000 in by and 10000 in by:
        lines += ["", f"Scaling: 10,000 sites took {by[10000]['camlint_ms'] / by[2000]['camlint_ms']:.2f}x the time of 2,000 sites "
                  f"(ripgrep: {by[10000]['rg_ms'] / by[2000]['rg_ms']:.2f}x). Each size is timed in its own rounds, with",
                  "its tree warm in the page cache: timing the sizes in the same rounds lets the",
                  "10,000-site tree push the 2,000-site one out of the caches, which measures cold",
                  "reads rather than camlint."]
    lines += [
        "",
        "## Reading these figures",
        "",
        "ripgrep's time is almost all system time (opening, reading and closing 12,000",
        "files), so the ratio moves with how fast this machine's kernel is that day as",
        "much as with camlint: the same binary has measured from under 3 to over 4.5",
        "times ripgrep on the 2,000-site estate on different days. Compare ratios from",
        "the same run only.",
        "",
        "Where camlint's time goes, stage by stage: `CAMLINT_TIMINGS=1 camlint check …`",
        "prints each stage's wall time, the CPU time all threads spent in it (CPU near",
        "twice the wall time means both cores were busy) and resident memory. For",
        "changes smaller than the machine's noise, count instructions instead:",
        "`valgrind --tool=callgrind target/release/camlint check ESTATE --format json",
        "--jobs 1` gives the same total on every run of the same binary and input.",
        "",
        "Allocator: mimalloc, built without transparent huge pages (`no_thp`). With",
        "huge pages the 2,000-site run was bimodal (some runs stalled for hundreds of",
        "milliseconds in the kernel) and the 10,000-site run about 40% slower; without",
        "them the median was unchanged and the stalls went away. It is asked through",
        "its plain entry points (`mi_malloc`) whenever a word's alignment will do:",
        "through the aligned ones, as the `mimalloc` crate asks, mimalloc 3",
        "over-allocates whenever a size class has no free block at hand, which cost",
        "3.5% of a 2,000-site scan's instructions.",
        "",
        "Page faults are the largest cost the profile does not show as camlint's",
        "code: every 4 KiB of the ~200 MB a 2,000-site scan touches is one fault,",
        "about 12% of its CPU time, and handing the pages back at exit takes",
        "20-30 ms of wall time. Less memory per device is the way to cut both.",
    ]
    lines.append("")
    with open(os.path.join(ROOT, "docs", "PERFORMANCE.md"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
