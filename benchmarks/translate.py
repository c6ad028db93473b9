#!/usr/bin/env python3
"""Translation speed: the compiled engine against a straightforward per-row Python translation.

Both translate the same records-management export (the ``acme_rms`` vendor
format, written by ``tools/generate_vendor_samples.py``) into person, arrest and
charge records with the same rules: the words-to-codes maps, the name split, the
date and local-time parsing, the UCR lookup, deterministic ids, de-duplication,
and a check of every record against the schema (pydantic, one record at a time,
for the per-row version). The per-row version is timed on a sample
(``--baseline-rows``) and its rate extrapolated to ``--rows``; both versions'
record counts on that sample are compared so that the race is fair. Wall-clock
rows/s and rows per CPU-second are both printed: on a shared machine the CPU
figures are the stable ones (the engine's CPU time includes its worker threads).
The CSV reader alone is timed too: no translator built on it can be faster.
The engine and the reader run in fresh processes (so their peak memory is
their own), each approach ``--repeat`` times; the fastest runs are compared
and the median is shown beside them.

    python benchmarks/translate.py                 # 1,000,000 rows (the issue's size)
    python benchmarks/translate.py --rows 100000   # quicker
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from generate_vendor_samples import write_rms  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from _memory import rss_mb  # noqa: E402

from justice_schema.translation import Translator, builtin_spec_path  # noqa: E402
from justice_schema.translation.expressions import _LAST_FIRST  # noqa: E402
from justice_schema.v1 import Arrest, Charge, Person  # noqa: E402

STAMP = datetime(2000, 1, 1, tzinfo=UTC)
DENVER = ZoneInfo("America/Denver")


def run_engine(path: Path, threads: int | None) -> tuple[float, float, dict[str, int], int]:
    """Wall seconds, CPU seconds, records per entity and rejects of the compiled translator over ``path``."""
    translator = Translator(builtin_spec_path("acme_rms"), extracted_at=STAMP, threads=threads)
    cpu = time.process_time()
    start = time.perf_counter()
    run = translator.stream([path])
    rejects = 0
    for batch in run:
        rejects += batch.rejects.num_rows
    return time.perf_counter() - start, time.process_time() - cpu, dict(run.reconciliation.records_out), rejects


def run_read_only(path: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds to read ``path`` with the engine's own CSV reader and nothing else (the floor)."""
    from justice_schema.translation.sources import read_source

    spec = Translator(builtin_spec_path("acme_rms"), extracted_at=STAMP).program.source
    options = {k: v for k, v in spec.items() if k != "format"}
    cpu = time.process_time()
    start = time.perf_counter()
    rows = sum(batch.table.num_rows for batch in read_source(spec["format"], [path], options))
    return time.perf_counter() - start, time.process_time() - cpu, rows


# -- the straightforward per-row translation ---------------------------------------------------
SEX = {"MALE": "M", "M": "M", "FEMALE": "F", "F": "F", "UNK": "U", "UNKNOWN": "U"}
RACE = {"WHITE": "W", "BLACK": "B", "ASIAN": "A", "AM INDIAN": "I", "AMERICAN INDIAN": "I", "PACIFIC ISLANDER": "P",
        "UNK": "U"}
ETHNICITY = {"HISPANIC": "H", "NON-HISPANIC": "N", "NOT HISPANIC": "N", "UNK": "U"}
ARREST_TYPE = {"ON-VIEW": "O", "ON VIEW": "O", "SUMMONED/CITED": "S", "TAKEN INTO CUSTODY": "T", "WARRANT": "T"}
SEVERITY = {"F1": "FELONY", "F2": "FELONY", "F3": "FELONY", "MA": "MISDEMEANOR", "MB": "MISDEMEANOR",
            "MC": "MISDEMEANOR", "C": "MISDEMEANOR", "I": "INFRACTION"}
UCR_SYNONYMS = {"THEFT": "23H", "DUI": "90D", "POSSESSION OF CONTROLLED SUBSTANCE": "35A", "BURGLARY": "220",
                "LEWDNESS": "90Z", "CRIMINAL MISCHIEF": "290", "INTERFERING W/ ARREST": "90Z",
                "WEAPON POSS BY RESTRICTED PERSON": "520", "RETAIL THEFT": "23C", "UNDERAGE DRINKING": "90G"}
NAME = re.compile(_LAST_FIRST.replace("(?i)", ""), re.IGNORECASE)
SAFE = re.compile(r"[^A-Za-z0-9._:-]")


def _ucr_table() -> dict[str, str]:
    from justice_schema.codes import code_table

    table = {e.description.upper(): e.code for e in code_table("ucr_offense").entries}
    table.update(UCR_SYNONYMS)
    return table


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _date(value: str | None) -> date | None:
    return datetime.strptime(value, "%m/%d/%Y").date() if value else None


def translate_row(row: dict[str, str], ucr: dict[str, str], seen: dict[str, set[str]],
                  validate: bool) -> list[object]:
    """One CSV row to its records (the obvious loop a hub would write by hand)."""
    get = {k: _text(v) for k, v in row.items()}
    ori, mni, arrest_no = get["ORI"], get["MNI"], get["Arrest No"]
    source = {"agency_ori": ori, "system": "Acme RMS 7", "extracted_at": STAMP}
    person_id = "acme-rms:person:" + SAFE.sub("_", mni)
    arrest_id = "acme-rms:arrest:" + SAFE.sub("_", arrest_no)
    name = " ".join((get["Arrestee Name"] or "").split())
    match = NAME.match(name) if "," in name else None
    family = (match.group("family") if match else name) or None
    suffix = (match.group("sfx1") or match.group("sfx2")) if match else None
    dob = get["DOB"]
    sex, race, eth = get["Sex"], get["Race"], get["Ethnicity"]
    person = {
        "id": person_id, "source": {**source, "record_key": mni},
        "family_name": family.upper() if family else None,
        "given_name": match.group("given").upper() if match and match.group("given") else None,
        "middle_name": match.group("middle").upper() if match and match.group("middle") else None,
        "name_suffix": suffix.upper().replace(".", "") if suffix else None,
        "date_of_birth": _date(dob) if dob and dob != "00/00/0000" else None,
        "sex": SEX.get(sex.upper()) if sex else None, "sex_raw": sex,
        "race": RACE.get(race.upper()) if race else None, "race_raw": race,
        "ethnicity": (ETHNICITY.get(eth.upper(), "U")) if eth else None, "ethnicity_raw": eth,
        "state_id": get["SID"].upper() if get["SID"] else None,
        "other_identifiers": [{"type": "LOCAL_PERSON_ID", "value": mni, "issuer": ori}],
        "address": {"line1": get["Address"], "city": (get["City"] or "").upper() or None,
                    "state": (get["State"] or "").upper() or None, "postal_code": get["Zip"]},
    }
    arrest_date = _date(get["Arrest Date"])
    arrested_at = None
    if get["Arrest Time"]:
        naive = datetime.strptime(f"{get['Arrest Date']} {get['Arrest Time']}", "%m/%d/%Y %H:%M")
        arrested_at = naive.replace(tzinfo=DENVER).astimezone(UTC)
    description = get["Offense Description"]
    ucr_code = ucr.get(" ".join(description.upper().split())) if description else None
    if description and ucr_code is None:
        raise ValueError(f"no UCR code for {description!r}")
    arrest_type = get["Arrest Type"]
    code = ARREST_TYPE.get(" ".join(arrest_type.upper().split())) if arrest_type else None
    if arrest_type and code is None:
        raise ValueError(f"no arrest type for {arrest_type!r}")
    arrest = {
        "id": arrest_id, "source": {**source, "record_key": arrest_no}, "person_id": person_id,
        "arrest_transaction_number": arrest_no, "arrest_date": arrest_date, "arrested_at": arrested_at,
        "arrest_type": code, "arrest_type_raw": arrest_type,
        "ucr_arrest_offense_code": ucr_code, "ucr_arrest_offense_code_raw": description,
    }
    level, dv, counts = get["Statute Level"], get["DV Flag"], get["Counts"]
    dv = None if dv is None or dv.upper() == "UNK" else dv.upper() in ("Y", "YES", "TRUE", "T", "1")
    charge = {
        "id": f"acme-rms:charge:{SAFE.sub('_', arrest_no)}:{SAFE.sub('_', get['Charge Seq'])}",
        "source": {**source, "record_key": f"{arrest_no}:{get['Charge Seq']}"},
        "person_id": person_id, "arrest_id": arrest_id, "charge_sequence": int(get["Charge Seq"]),
        "statute_code": get["Statute"], "statute_jurisdiction": "UT",
        "description": description.upper() if description else None,
        "ucr_offense_code": ucr_code, "ucr_offense_code_raw": description,
        "severity": SEVERITY.get(level.upper()) if level else None, "severity_raw": level,
        "counts": int(counts) if counts else None, "offense_date": arrest_date, "domestic_violence": dv,
    }
    out: list[object] = []
    for kind, model, record in (("person", Person, person), ("arrest", Arrest, arrest), ("charge", Charge, charge)):
        if kind != "charge" and record["id"] in seen[kind]:
            continue
        clean = {k: v for k, v in record.items() if v is not None}
        out.append(model.model_validate(clean) if validate else clean)
    for kind, record in (("person", person), ("arrest", arrest)):
        seen[kind].add(record["id"])  # type: ignore[arg-type]
    return out


def run_per_row(path: Path, rows: int, validate: bool) -> tuple[float, float, dict[str, int], int]:
    """Wall seconds, CPU seconds, records per entity and rejects of the per-row translation over ``rows`` rows."""
    ucr = _ucr_table()
    seen: dict[str, set[str]] = {"person": set(), "arrest": set()}
    counts = {"person": 0, "arrest": 0, "charge": 0}
    rejects = 0
    cpu = time.process_time()
    start = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            if index >= rows:
                break
            try:
                records = translate_row(row, ucr, seen, validate)
            except (ValueError, KeyError):
                rejects += 1
                continue
            for record in records:
                kind = getattr(record, "entity_type", None) or (
                    "charge" if "charge_sequence" in record else "arrest" if "arrest_date" in record else "person")
                counts[kind] += 1
    return time.perf_counter() - start, time.process_time() - cpu, counts, rejects


def child(kind: str, path: str, threads: int | None) -> None:
    """Run in a fresh process: the engine or the reader alone over ``path``; print JSON figures."""
    if kind == "engine":
        seconds, cpu, records, rejects = run_engine(Path(path), threads)
        used = threads if threads is not None else Translator(builtin_spec_path("acme_rms"), extracted_at=STAMP).threads
    else:
        seconds, cpu, _ = run_read_only(Path(path))
        records, rejects, used = {}, 0, 0
    print(json.dumps({"seconds": seconds, "cpu": cpu, "records": records, "rejects": rejects, "threads": used,
                      "peak_rss_mb": rss_mb()}))


def _in_child(kind: str, path: Path, threads: int | None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, str(path)]
    if threads is not None:
        command += ["--threads", str(threads)]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _best(runs: list[dict[str, Any]]) -> tuple[dict[str, Any], float]:
    """The fastest run, and the median wall time."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return ordered[0], ordered[len(ordered) // 2]["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the export (default 1,000,000)")
    parser.add_argument("--baseline-rows", type=int, default=20_000,
                        help="rows the per-row translation is timed on (default 20,000; rate extrapolated)")
    parser.add_argument("--threads", type=int, default=None, help="engine worker threads (default: CPUs, max 4)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each approach; the fastest is compared, the median shown (default 3)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.threads)
        return
    repeat = max(1, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "arrests.csv"
        start = time.perf_counter()
        write_rms(path, args.rows, bad_rows=False)
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:,.0f} MB) in "
              f"{time.perf_counter() - start:.1f}s; machine: {os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.2f}; each approach run {repeat} time(s), the fastest compared")
        sample_rows = min(args.baseline_rows, args.rows)
        sample = Path(tmp) / "sample.csv"
        with open(path, encoding="utf-8", newline="") as src, open(sample, "w", encoding="utf-8",
                                                                      newline="") as dst:
            for index, line in enumerate(src):
                if index > sample_rows:
                    break
                dst.write(line)

        read, read_median = _best([_in_child("read", path, None) for _ in range(repeat)])
        print(f"reading the CSV alone (the floor): {read['seconds']:6.2f}s = {args.rows / read['seconds']:>12,.0f} "
              f"rows/s (median {args.rows / read_median:,.0f}); {read['cpu']:7.2f} CPU-s = "
              f"{args.rows / read['cpu']:>12,.0f} rows/CPU-s; peak RSS {read['peak_rss_mb']:,.0f} MB")
        engine, engine_median = _best([_in_child("engine", path, args.threads) for _ in range(repeat)])
        seconds, cpu = engine["seconds"], engine["cpu"]
        engine_rate, engine_cpu_rate = args.rows / seconds, args.rows / cpu
        print(f"compiled engine:   {args.rows:>10,} rows in {seconds:7.2f}s = {engine_rate:>12,.0f} rows/s "
              f"(median {args.rows / engine_median:,.0f}); {cpu:7.2f} CPU-s = {engine_cpu_rate:>12,.0f} rows/CPU-s; "
              f"peak RSS {engine['peak_rss_mb']:,.0f} MB ({engine['threads']} worker threads; "
              f"records {engine['records']}, rejects {engine['rejects']})")
        print(f"  of which reading: {100 * read['cpu'] / cpu:.0f} % of the engine's CPU time; load average "
              f"{os.getloadavg()[0]:.2f} after the runs")

        _, _, engine_sample, engine_sample_rejects = run_engine(sample, 1)
        rows = [run_per_row(path, sample_rows, validate=True) for _ in range(repeat)]
        row_seconds, row_cpu, row_records, row_rejects = min(rows, key=lambda r: r[0])
        row_rate, row_cpu_rate = sample_rows / row_seconds, sample_rows / row_cpu
        print(f"per-row + pydantic:{sample_rows:>10,} rows in {row_seconds:7.2f}s = {row_rate:>12,.0f} rows/s; "
              f"{row_cpu:7.2f} CPU-s = {row_cpu_rate:>12,.0f} rows/CPU-s "
              f"-> {args.rows / row_rate:,.0f}s for {args.rows:,} rows (extrapolated)")
        bare_seconds, bare_cpu, _, _ = min((run_per_row(path, sample_rows, validate=False) for _ in range(repeat)),
                                           key=lambda r: r[0])
        bare_rate, bare_cpu_rate = sample_rows / bare_seconds, sample_rows / bare_cpu
        print(f"per-row, no checks:{sample_rows:>10,} rows in {bare_seconds:7.2f}s = {bare_rate:>12,.0f} rows/s; "
              f"{bare_cpu:7.2f} CPU-s = {bare_cpu_rate:>12,.0f} rows/CPU-s (no schema check: does less than the engine)"
              )
        same = engine_sample == row_records and engine_sample_rejects == row_rejects
        print(f"same output on the {sample_rows:,}-row sample: {'yes' if same else 'NO'} "
              f"(engine {engine_sample} / {engine_sample_rejects} rejects; per-row {row_records} / {row_rejects})")
        print(f"speed-up (wall): {engine_rate / row_rate:,.1f}x the per-row translation with schema checks, "
              f"{engine_rate / bare_rate:,.1f}x the per-row translation without them")
        print(f"speed-up (CPU):  {engine_cpu_rate / row_cpu_rate:,.1f}x the per-row translation with schema checks, "
              f"{engine_cpu_rate / bare_cpu_rate:,.1f}x the per-row translation without them")
        print(f"targets: >= 1,000,000 rows/s: {'met' if engine_rate >= 1e6 else 'NOT met'} (the CSV reader alone: "
              f"{args.rows / read['seconds']:,.0f} rows/s); >= 25x per-row: "
              f"{'met' if engine_rate / row_rate >= 25 else 'NOT met'}")


if __name__ == "__main__":
    main()
