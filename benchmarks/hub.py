#!/usr/bin/env python3
"""The hub in a box at scale: build from ``--rows`` source rows across four vendor formats.

Writes generated exports (``tools/generate_vendor_samples.py``: the police records CSV, the
jail's JSON Lines, the court's two CSV files and probation's pipe-delimited file), builds the
hub in a child process (so its peak memory is its own), and prints the time per stage, peak
memory (the link and case_flow stages included), then times the DuckDB queries behind each site page,
case-flow and person-timeline pages included (target: under one second each)
against the obvious alternative, the same SQL over the Parquet copies (``read_parquet``).
Finally a second, unchanged build (the no-op) and the site are timed, then the hub is rebuilt with the
restricted profile and its site (with person timelines) timed.

    python benchmarks/hub.py                  # 1,000,000 source rows (the issue's size)
    python benchmarks/hub.py --rows 100000    # quicker
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate_vendor_samples import write_court, write_jail, write_probation, write_rms  # noqa: E402

#: Share of the source rows each format gets (rows as each reader counts them).
SHARES = {"rms": 0.4, "jail": 0.2, "court": 0.2, "probation": 0.2}

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
from _memory import rss_mb
from justice_schema.hub import build_hub
start = time.perf_counter()
report = build_hub(sys.argv[1], quiet=True)
print(json.dumps({"wall": time.perf_counter() - start, "timings": report.timings, "counts": report.counts,
                  "unchanged": report.unchanged, "rss_mb": rss_mb()}))
"""


def write_exports(folder: Path, rows: int) -> Path:
    """Generated exports of about ``rows`` source rows and the hub.toml naming them."""
    folder.mkdir(parents=True, exist_ok=True)
    write_rms(folder / "rms.csv", int(rows * SHARES["rms"]), bad_rows=True)
    write_jail(folder / "jail.jsonl", int(rows * SHARES["jail"]))
    court = folder / "court"
    court.mkdir(exist_ok=True)
    write_court(court, int(rows * SHARES["court"] / 3))  # about two dispositions per case
    write_probation(folder / "probation.txt", int(rows * SHARES["probation"]))
    config = folder / "hub.toml"
    config.write_text(
        '[hub]\noutput = "out"\nas_of = "2025-06-30"\n'
        '[[export]]\nname = "rms"\ntranslator = "acme_rms"\nagency = "Police"\nfiles = ["rms.csv"]\n'
        '[[export]]\nname = "jail"\ntranslator = "cellblock_jms"\nagency = "Jail"\nfiles = ["jail.jsonl"]\n'
        '[[export]]\nname = "court"\ntranslator = "justiceware_courts"\nagency = "Court"\nfiles = ["court/*.csv"]\n'
        '[[export]]\nname = "probation"\ntranslator = "fieldline_supervision"\nagency = "Probation"\n'
        'files = ["probation.txt"]\n', encoding="utf-8")
    return config


def build_in_child(config: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(config), str(ROOT / "benchmarks")],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_queries(database: Path) -> list[tuple[str, float, float]]:
    """(page query, seconds in the database, seconds of the same SQL over Parquet), best of three."""
    import duckdb

    from justice_schema.hub.site import QUERIES
    from justice_schema.hub.views import VIEWS

    con = duckdb.connect(str(database), read_only=True)
    agency = con.sql("SELECT min(hub_agency) FROM agency_quality").fetchall()[0][0]
    parquet = duckdb.connect()
    folder = database.parent / "parquet"
    for table in sorted(p.stem for p in folder.glob("*.parquet")):
        parquet.execute(f"CREATE VIEW \"{table}\" AS SELECT * FROM read_parquet('{folder / table}.parquet')").fetchall()
    for view in VIEWS:
        parquet.execute(f'CREATE VIEW "{view.name}" AS {view.sql}').fetchall()
    out = []
    dimension_queries = {"attrition", "intervals", "distribution", "recidivism"}
    bucket = con.sql("SELECT min(substr(person_uid, 2, 2)) FROM person_timeline").fetchall()[0][0]
    for name, sql in QUERIES.items():
        # the agency dimension has the most groups, so its case-flow page queries are the slowest
        value = "agency" if name in dimension_queries else bucket if name == "timeline_bucket" else agency
        params = [value] * sql.count("?") or None
        best = []
        for connection in (con, parquet):
            times = []
            for _ in range(3):
                start = time.perf_counter()
                connection.sql(sql, params=params).fetchall()
                times.append(time.perf_counter() - start)
            best.append(min(times))
        out.append((name, best[0], best[1]))
    con.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="source rows across the formats")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as temp:
        folder = Path(temp)
        start = time.perf_counter()
        config = write_exports(folder, args.rows)
        print(f"generated exports in {time.perf_counter() - start:.1f} s")
        first = build_in_child(config)
        counts = first["counts"]
        print(f"build: {counts['rows_in']:,} source rows -> {counts['records']:,} records, "
              f"{counts['rows_rejected']:,} rejected, {counts['people']:,} people")
        print(f"  wall {first['wall']:.1f} s, peak RSS {first['rss_mb']:,.0f} MB")
        print(f"  case flow: {counts.get('events', 0):,} events -> {counts.get('links', 0):,} links, "
              f"{counts.get('cases', 0):,} cases, {counts.get('unlinked', 0):,} events not linked")
        for stage, seconds in first["timings"].items():
            print(f"  {stage:<10} {seconds:8.2f} s  ({counts['rows_in'] / max(seconds, 1e-9):,.0f} source rows/s)")
        again = build_in_child(config)
        print(f"second build, inputs unchanged: {again['wall']:.2f} s (unchanged={again['unchanged']}; "
              f"{first['wall'] / max(again['wall'], 1e-9):,.0f}x faster than the first)")
        database = folder / "out" / "hub.duckdb"
        print("page queries, best of 3: hub.duckdb vs the same SQL over the Parquet copies")
        for name, db_seconds, parquet_seconds in time_queries(database):
            flag = "ok" if db_seconds < 1 else "OVER 1 s"
            print(f"  {name:<24} {db_seconds * 1000:8.1f} ms  parquet {parquet_seconds * 1000:8.1f} ms  "
                  f"({parquet_seconds / max(db_seconds, 1e-9):.1f}x)  {flag}")
        from justice_schema.hub.site import build_site

        start = time.perf_counter()
        build_site(database, folder / "site")
        pages = len(list((folder / "site").rglob("*.html")))
        print(f"site: {time.perf_counter() - start:.2f} s, {pages} pages (profile public)")
        restricted = config.read_text(encoding="utf-8").replace("[hub]\n", '[hub]\nprofile = "restricted"\n', 1)
        config.write_text(restricted, encoding="utf-8")
        again = build_in_child(config)
        start = time.perf_counter()
        build_site(database, folder / "site")
        pages = len(list((folder / "site").rglob("*.html")))
        print(f"restricted: rebuild {again['wall']:.1f} s; site {time.perf_counter() - start:.2f} s, {pages} pages "
              "(with the person timelines)")


if __name__ == "__main__":
    main()
