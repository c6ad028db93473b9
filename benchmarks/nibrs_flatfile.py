#!/usr/bin/env python3
"""NIBRS flat-file speed: segments/s translated, against reading the file's lines alone.

Writes a synthetic NIBRS flat file with every segment level (incidents of seven segments:
administrative, two offenses, property, victim, offender, arrestee; and one Group B arrest
per incident; trailing blanks stripped, CRLF endings), then

* reads the file's lines alone (Python splitting the bytes into lines: the floor any reader
  pays), the baseline every figure below is a ratio against;

* reads it with the ``fixed_width`` source reader (one Arrow slice per field and record
  type) and with the obvious alternative, a Python loop slicing every line by the same
  layout, and checks that both give the same values;
* translates it end to end with the ``nibrs_flatfile`` translator (incidents with their
  offenses, property, victims, offenders, arrests and persons), reporting segments/s and the
  peak memory of a process that does only that: once keeping the whole result
  (``Translator.translate``), once handing each settled batch on as the command does
  (``Translator.stream``).

    python benchmarks/nibrs_flatfile.py                # 1,000,000 segments (125,000 incidents)
    python benchmarks/nibrs_flatfile.py --rows 80000   # quicker
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
import tomllib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "src" / "justice_schema" / "vendors" / "nibrs_flatfile" / "spec.toml"

from _memory import rss_mb  # noqa: E402

from justice_schema.translation import Translator  # noqa: E402
from justice_schema.translation.sources import read_source  # noqa: E402

SEGMENTS_PER_INCIDENT = 8
#: DE 12 (positions 50-52) and the first DE 13 (53-55) of an offense segment, for the offenses that need them.
_DE12_DE13 = {"13A": "   40 ", "13B": "   40 ", "35A": "P     "}


def write_sample(path: Path, lines: int) -> int:
    """Write about ``lines`` segment lines; returns the number written."""
    incidents = max(1, lines // SEGMENTS_PER_INCIDENT)
    offenses = ["13A", "13B", "23F", "35A", "290", "220"]
    with path.open("w", encoding="ascii", newline="") as out:
        for i in range(incidents):
            number = f"B{i:09d}-1"
            head = f"072019    HI0020000{number:<12}"
            day = f"201906{1 + i % 28:02d}"
            off1, off2 = offenses[i % 6], offenses[(i + 3) % 6]
            # Edit-clean, as translation checks the FBI's edits by default: cargo theft blank (not
            # applicable, 119), a method of entry for burglary only (253/254), assaults completed (256),
            # a weapon/force for the assaults only (221/222), a criminal activity for the drug offense (220).
            entry1, entry2 = ("F" if off1 == "220" else " "), ("F" if off2 == "220" else " ")
            attempted2 = "C" if off2 in ("13A", "13B") else "A"
            extra1, extra2 = (_DE12_DE13.get(off, "   " + "   ") for off in (off1, off2))
            rows = [
                f"00881I{head}{day} {i % 24:02d}N" + " " * 38 + " ",
                f"00632I{head}{off1}CN  20  {entry1}{extra1}" + " " * 6 + "88",
                f"00632I{head}{off2}{attempted2}A  13  {entry2}{extra2}" + " " * 6 + "88",
                f"01294I{head}001{off1}{off2}" + " " * 24 + f"I{20 + i % 60:02d}  FWNR" + " " * 10 + "01AQ",
                f"00465I{head}01{25 + i % 50:02d}  MWN",
                f"01106I{head}01A{i:08d}   {day}OM{off1}01    {18 + i % 70:02d}  MBNR",
                f"03073I{head}4" + "09" + f"{100 + i % 900:09d}" + " " * 8,
                f"00667A072019    HI0020000{'GB' + format(i, '09d'):<12}01{day}T90D01    {20 + i % 60:02d}  MUUR ",
            ]
            out.write("".join(row.rstrip(" ") + "\r\n" for row in rows))
    return incidents * SEGMENTS_PER_INCIDENT


def source_options() -> Mapping[str, Any]:
    with SPEC.open("rb") as handle:
        source = dict(tomllib.load(handle)["source"])
    source.pop("format")
    return source


def read_vectorised(path: Path, options: Mapping[str, Any]) -> dict[str, dict[str, list[Any]]]:
    columns: dict[str, dict[str, list[Any]]] = {}
    for batch in read_source("fixed_width", [path], options):
        per_type = columns.setdefault(batch.record_type, {})
        for name in batch.table.column_names:
            if not name.startswith("_"):
                per_type.setdefault(name, []).extend(batch.table.column(name).to_pylist())
    return columns


def read_per_line(path: Path, options: Mapping[str, Any]) -> dict[str, dict[str, list[Any]]]:
    """The straightforward version: decode, split lines, slice each line by its layout."""
    start, end = options["record_type"]
    layouts = {code: [(name, s - 1, e) for name, s, e in layout["fields"]]
               for code, layout in options["layouts"].items()}
    columns: dict[str, dict[str, list[Any]]] = {}
    with path.open("r", encoding=options.get("encoding", "utf-8"), newline="") as handle:
        for line in handle:
            line = line.rstrip("\r\n")
            code = line[start - 1:end]
            layout = layouts.get(code)
            if layout is None:
                continue
            per_type = columns.setdefault(code, {})
            for name, s, e in layout:
                value = line[s:e].strip(" ")
                per_type.setdefault(name, []).append(value or None)
    return columns


def translate_in_child(path: Path, threads: int | None) -> tuple[float, str, float]:
    """Translate ``path`` with the built-in translator; (seconds, summary, peak resident MB of this process)."""
    translator = Translator(SPEC, extracted_at=datetime(2000, 1, 1, tzinfo=UTC), threads=threads)
    t0 = time.perf_counter()
    result = translator.translate([path])
    elapsed = time.perf_counter() - t0
    recon = result.reconciliation
    not_mapped = sum(c.not_mapped for c in recon.record_types.values())
    summary = (f"records {dict(recon.records_out)}, rejected {recon.rows_rejected}, balanced {recon.balanced}")
    if not_mapped or recon.rows_rejected or not recon.balanced:
        summary += f"  UNEXPECTED: {not_mapped} not mapped, {recon.rows_rejected} rejected"
    return elapsed, summary, rss_mb()


def stream_in_child(path: Path, threads: int | None) -> tuple[float, int, float]:
    """Translate ``path`` as the command does, handing each settled batch on and dropping it (no result
    held): (seconds, records, peak resident MB of this process)."""
    translator = Translator(SPEC, extracted_at=datetime(2000, 1, 1, tzinfo=UTC), threads=threads)
    t0 = time.perf_counter()
    records = sum(t.num_rows for out in translator.stream([path]) for t in out.tables.values())
    return time.perf_counter() - t0, records, rss_mb()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="segment lines to generate (default 1,000,000)")
    parser.add_argument("--threads", type=int, default=None, help="translator threads (default: engine's)")
    args = parser.parse_args()
    options = source_options()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "nibrs.txt"
        lines = write_sample(path, args.rows)
        size = path.stat().st_size
        print(f"{lines:,} segment lines ({size / 1e6:.1f} MB), levels 1-7")
        t0 = time.perf_counter()
        counted = len(path.read_bytes().splitlines())
        t_lines = time.perf_counter() - t0
        assert counted == lines
        print(f"lines alone         : {t_lines:7.2f} s  {lines / t_lines:12,.0f} lines/s (the baseline)")

        t0 = time.perf_counter()
        fast = read_vectorised(path, options)
        t_fast = time.perf_counter() - t0
        t0 = time.perf_counter()
        slow = read_per_line(path, options)
        t_slow = time.perf_counter() - t0
        # The vectorised reader's columns are gathered back into Python lists for this check only.
        if fast != slow:
            print("MISMATCH: the two readers disagree", file=sys.stderr)
            return 1
        del fast, slow
        print(f"fixed_width reader  : {t_fast:7.2f} s  {lines / t_fast:12,.0f} lines/s (incl. to_pylist)")
        print(f"per-line Python     : {t_slow:7.2f} s  {lines / t_slow:12,.0f} lines/s")
        t0 = time.perf_counter()
        batches = sum(b.table.num_rows for b in read_source("fixed_width", [path], options))
        t_arrow = time.perf_counter() - t0
        assert batches == lines
        print(f"fixed_width, Arrow  : {t_arrow:7.2f} s  {lines / t_arrow:12,.0f} lines/s "
              f"({t_slow / t_arrow:.1f}x the per-line version)")

        # Translation runs in a fresh process so that its peak memory is its own, not the readers' above.
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            t_translate, summary, peak = pool.apply(translate_in_child, (path, args.threads))
        print(f"translate end to end: {t_translate:7.2f} s  {lines / t_translate:12,.0f} segments/s "
              f"({t_translate / t_lines:.0f}x the time of reading the lines alone)  {summary}")
        print(f"translation peak    : {peak:7.0f} MB resident (its own process; the result holds every record)")
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            t_stream, records, stream_peak = pool.apply(stream_in_child, (path, args.threads))
        print(f"streamed (as the CLI): {t_stream:6.2f} s  {lines / t_stream:12,.0f} segments/s, {records:,} records, "
              f"peak {stream_peak:.0f} MB resident (outputs handed on batch by batch)")
        if "UNEXPECTED" in summary:
            print(summary, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
