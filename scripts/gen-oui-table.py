#!/usr/bin/env python3
"""Build policies/oui.tsv, camlint's table of IEEE MAC address blocks.

Rerun (from the repository root; needs npm, apt-get and dpkg-deb, no root):

    apt-get update            # once, so apt knows the current ieee-data
    python3 scripts/gen-oui-table.py --fetch

or, with registry copies already on disk:

    python3 scripts/gen-oui-table.py \
        --oui-data DIR/node_modules/oui-data --oui-data-date YYYY-MM-DD \
        --ieee-data /usr/share/ieee-data --ieee-data-version 20220827.1

Why these sources. Of the registry copies installable through package
managers, the npm package `oui-data` is by far the newest (2.1.9, published
2026-08-26, against Debian bookworm's `ieee-data` 20220827.1 and Wireshark's
`manuf` in `libwireshark-data` 4.0.17, dated 2024-08-28). It holds MA-L
(6 hex digits), MA-M (7) and MA-S (9) keyed by prefix, with the organization
on the first line of each value. It lacks the old IAB registry (36-bit blocks
under 00:50:C2 and 40:D8:55); the IEEE closed that registry to new
assignments, and Debian's 2022 iab.csv holds exactly the same 4,575 blocks as
Wireshark's 2024 manuf, so IAB rows come from `ieee-data`. CID rows (company
ids, never MAC blocks) are in neither input and so never in the output.

`--fetch` installs the npm `latest` tag (not the most recently published
version: the registry shows an old 1.x line republished after 2.1.9) and
downloads the current `ieee-data` .deb without installing it.

Output: comment lines starting with `#` (source, date, generator, row
counts), then one row per block, sorted by prefix:
`<prefix hex, 6/7/9 digits>\\t<bits 24|28|36>\\t<registry>\\t<organization>`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import pathlib
import re
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "policies" / "oui.tsv"
GENERATOR = "scripts/gen-oui-table.py"

# Prefix length in hex digits -> (bits, registry) for oui-data keys.
OUI_DATA_KEYS = {6: (24, "MA-L"), 7: (28, "MA-M"), 9: (36, "MA-S")}

# A copy much smaller than this is truncated or an old 1.x release that only
# carried MA-L; refuse it rather than ship a table that misses blocks.
MIN_OUI_DATA_ROWS = 50_000

HEX = re.compile(r"^[0-9A-F]+$")


def clean_organization(raw: str) -> str:
    """First line only (the rest is the postal address), whitespace collapsed
    so that a tab or newline can never break the TSV."""
    first = raw.split("\n", 1)[0]
    return " ".join(first.split())


def run(cmd: list[str], cwd: pathlib.Path | None = None) -> str:
    return subprocess.run(
        cmd, cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def fetch(work: pathlib.Path) -> tuple[pathlib.Path, str, pathlib.Path, str]:
    """Install oui-data@latest and unpack ieee-data into `work`."""
    meta = json.loads(
        run(["npm", "view", "oui-data", "dist-tags.latest", "time", "--json"])
    )
    version = meta["dist-tags.latest"]
    date = meta["time"][version][:10]
    npm_dir = work / "npm"
    run(["npm", "install", "--prefix", str(npm_dir), "--ignore-scripts",
         "--no-audit", "--no-fund", f"oui-data@{version}"])
    oui_dir = npm_dir / "node_modules" / "oui-data"

    deb_dir = work / "deb"
    deb_dir.mkdir()
    run(["apt-get", "download", "ieee-data"], cwd=deb_dir)
    debs = sorted(deb_dir.glob("ieee-data_*.deb"))
    if not debs:
        sys.exit("apt-get download ieee-data produced no .deb")
    deb_version = run(["dpkg-deb", "-f", str(debs[-1]), "Version"]).strip()
    root = work / "ieee-data"
    run(["dpkg-deb", "-x", str(debs[-1]), str(root)])
    return oui_dir, date, root / "usr" / "share" / "ieee-data", deb_version


def read_oui_data(pkg: pathlib.Path) -> tuple[str, list[tuple[str, int, str, str]]]:
    version = json.loads((pkg / "package.json").read_text())["version"]
    data = json.loads((pkg / "index.json").read_text(encoding="utf-8"))
    rows = []
    for key, value in data.items():
        prefix = key.upper()
        kind = OUI_DATA_KEYS.get(len(prefix))
        if kind is None or not HEX.match(prefix):
            sys.exit(f"oui-data: unexpected key {key!r}")
        org = clean_organization(value)
        if not org:
            sys.exit(f"oui-data: empty organization for {key}")
        rows.append((prefix, kind[0], kind[1], org))
    if len(rows) < MIN_OUI_DATA_ROWS:
        sys.exit(
            f"oui-data {version}: only {len(rows)} rows; "
            "refusing an old or truncated copy"
        )
    return version, rows


def read_iab(ieee_dir: pathlib.Path) -> tuple[str, list[tuple[str, int, str, str]]]:
    rows = []
    with open(ieee_dir / "iab.csv", newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            prefix = rec["Assignment"].strip().upper()
            if rec["Registry"].strip() != "IAB" or len(prefix) != 9 or not HEX.match(prefix):
                sys.exit(f"iab.csv: unexpected row {rec!r}")
            org = clean_organization(rec["Organization Name"])
            if org:
                rows.append((prefix, 36, "IAB", org))
    stamp = ieee_dir / ".lastupdate"
    date = "unknown"
    if stamp.exists():
        seconds = int(stamp.read_text().strip())
        date = dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()
    return date, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fetch", action="store_true",
                    help="get both inputs through npm and apt")
    ap.add_argument("--oui-data", type=pathlib.Path,
                    help="installed oui-data package directory")
    ap.add_argument("--oui-data-date",
                    help="publish date of that oui-data version (YYYY-MM-DD)")
    ap.add_argument("--ieee-data", type=pathlib.Path, help="directory holding ieee-data's iab.csv")
    ap.add_argument("--ieee-data-version", help="Debian version of that ieee-data")
    ap.add_argument("-o", "--output", type=pathlib.Path, default=DEFAULT_OUT)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if args.fetch:
            oui_dir, oui_date, ieee_dir, ieee_version = fetch(pathlib.Path(tmp))
        else:
            given = (args.oui_data, args.oui_data_date, args.ieee_data, args.ieee_data_version)
            if not all(given):
                ap.error("give --fetch, or all of --oui-data, --oui-data-date, "
                         "--ieee-data, --ieee-data-version")
            oui_dir, oui_date = args.oui_data, args.oui_data_date
            ieee_dir, ieee_version = args.ieee_data, args.ieee_data_version
        oui_version, rows = read_oui_data(oui_dir)
        iab_date, iab_rows = read_iab(ieee_dir)

    taken = {r[0] for r in rows}
    clash = [r[0] for r in iab_rows if r[0] in taken]
    if clash:
        sys.exit(f"IAB prefixes also in oui-data: {clash[:5]}")
    rows.extend(iab_rows)
    rows.sort()

    counts = {reg: sum(1 for r in rows if r[2] == reg) for reg in ("MA-L", "MA-M", "MA-S", "IAB")}
    header = [
        "# IEEE MAC address blocks: prefix hex, prefix bits, registry, organization.",
        f"# source: npm oui-data {oui_version} (MA-L, MA-M, MA-S)",
        f"# source: Debian ieee-data {ieee_version} iab.csv"
        " (IAB, a registry closed to new assignments)",
        f"# date: {oui_date} (oui-data {oui_version} published); IAB data {iab_date}",
        f"# generated by {GENERATOR}; edit the script, not this file",
        "# rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
    ]
    body = [f"{p}\t{bits}\t{reg}\t{org}" for p, bits, reg, org in rows]
    args.output.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} rows to {args.output}: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
