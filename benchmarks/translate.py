#!/usr/bin/env python3
"""Translation speed: as a user runs it, against the floor of reading the same file, and against per-row Python.

Two inputs (``--data``):

* ``real`` (the default, the headline): the bundled FBI Crime Data Explorer sample (300 real
  arrestees with their incidents, agency and lookup tables) tiled to ``--rows`` arrestees with
  unique ids in random order (``benchmarks/_real_shaped.py``), translated by ``fbi_cde``;
* ``acme_rms``: the records-management export written by ``tools/generate_vendor_samples.py``,
  translated into person, arrest and charge records (the issue's 1,000,000-row target).

Each in a fresh process, ``--repeat`` times (the fastest compared, the median shown):

* Arrow's multi-threaded ``read_csv`` of the main file, every column as text: **the floor**;
  every other figure is also given as a fraction of it, measured in the same run;
* the engine's own streaming CSV reader alone;
* the engine as a library stream (``Translator.stream``: records and rejects, no files);
* ``justice-schema translate`` as a user runs it: validation on, every entity, the rejects,
  the conflicts and the summary written (Parquet).

With ``--data acme_rms`` a straightforward per-row Python translation doing the same work
(maps, name split, dates and local times, UCR lookup, ids, de-duplication, a pydantic check
of every record) is timed on ``--baseline-rows`` rows and its rate extrapolated; both
versions' record counts on that sample are compared, so that the race is fair. Wall-clock
rows/s and rows per CPU-second are both printed: on a shared machine the CPU figures are the
steadier ones (the engine's CPU time includes its worker threads).

    python benchmarks/translate.py                        # 1,000,000 real-shaped rows
    python benchmarks/translate.py --data acme_rms        # the acme_rms export, with the per-row baseline
    python benchmarks/translate.py --rows 100000          # quicker
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

import pyarrow as pa

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


def _inputs(path: Path) -> list[Path]:
    """The input files: the export itself, or every CSV table of a download folder."""
    return sorted(path.glob("*.csv")) if path.is_dir() else [path]


def _main_file(path: Path) -> Path:
    return path / "NIBRS_ARRESTEE.csv" if path.is_dir() else path


def run_engine(path: Path, threads: int | None, vendor: str = "acme_rms") -> tuple[float, float, dict[str, int], int]:
    """Wall seconds, CPU seconds, records per entity and rejects of the compiled translator over ``path``
    (the library's stream: no Parquet written)."""
    translator = Translator(builtin_spec_path(vendor), extracted_at=STAMP, threads=threads)
    cpu = time.process_time()
    start = time.perf_counter()
    run = translator.stream(_inputs(path))
    rejects = 0
    for batch in run:
        rejects += batch.rejects.num_rows
    return time.perf_counter() - start, time.process_time() - cpu, dict(run.reconciliation.records_out), rejects


def run_cli(path: Path, vendor: str, out: Path | None = None) -> tuple[float, float, int]:
    """Wall and CPU seconds and exit code of ``justice-schema translate`` as a user runs it: validation on,
    every entity written to Parquet (plus rejects, conflicts, summary), into ``out`` (default: a new folder)."""
    from justice_schema.cli import main as cli

    out = out if out is not None else Path(tempfile.mkdtemp()) / "out"
    cpu = time.process_time()
    start = time.perf_counter()
    code = cli(["translate", "--vendor", vendor, "--out", str(out), "--quiet", "--extracted-at",
                STAMP.isoformat(), *map(str, _inputs(path))])
    return time.perf_counter() - start, time.process_time() - cpu, int(code or 0)


def run_stages(path: Path, vendor: str) -> dict[str, float]:
    """CPU seconds of each stage of ``justice-schema translate`` on ``path``, one worker thread.

    Each stage is timed with the CPU clock of the thread running it: reading and parsing the
    CSV (the reader's read-ahead thread), evaluating the mapping into canonical records (less the
    schema checks), the schema checks (``row_problems``: field and record rules), dedupe with its
    conflict report, writing Parquet, and the rest (spec loading, batching, counts, summary).
    """
    import threading

    from justice_schema.files import sinks
    from justice_schema.translation import dedupe, engine, evaluate
    from justice_schema.translation.sources import csv as csv_source
    from justice_schema.translation.sources import register_reader

    spent: dict[str, float] = dict.fromkeys(("read CSV", "evaluate mapping", "schema checks", "dedupe + conflicts",
                                             "write Parquet"), 0.0)
    lock = threading.Lock()
    depth = threading.local()

    def timed_generator(owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            items = original(*args, **kwargs)
            while True:
                start = time.thread_time()
                try:
                    item = next(items)
                except StopIteration:
                    return
                finally:
                    with lock:
                        spent[stage] += time.thread_time() - start
                yield item
        setattr(owner, name, wrapper)
        if owner is csv_source:  # the engine finds its reader through the registry
            register_reader("csv", wrapper)

    def timed(owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            outer = getattr(depth, "stage", None)
            depth.stage = stage
            start = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                used = time.thread_time() - start
                depth.stage = outer
                with lock:
                    spent[stage] += used
                    if outer is not None:
                        spent[outer] -= used  # a nested stage's time is its own
        setattr(owner, name, wrapper)

    timed_generator(csv_source, "read_csv", "read CSV")
    timed(evaluate.BatchEvaluator, "evaluate", "evaluate mapping")
    timed(evaluate, "row_problems", "schema checks")
    timed(dedupe.Deduplicator, "dedupe", "dedupe + conflicts")
    timed(sinks.TableSink, "write", "write Parquet")
    original_init = engine.Translator.__init__

    def one_thread(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs["threads"] = 1
        original_init(self, *args, **kwargs)

    engine.Translator.__init__ = one_thread  # type: ignore[method-assign]
    _, cpu, _ = run_cli(path, vendor)
    spent["other (spec, batching, counts, summary)"] = cpu - sum(spent.values())
    spent["total"] = cpu
    return spent


def run_read_only(path: Path, vendor: str = "acme_rms") -> tuple[float, float, int]:
    """Wall and CPU seconds to read the main input with the engine's own streaming CSV reader and nothing else."""
    from justice_schema.translation.sources import read_source

    spec = Translator(builtin_spec_path(vendor), extracted_at=STAMP).program.source
    options = {k: v for k, v in spec.items() if k not in ("format", "files")}
    cpu = time.process_time()
    start = time.perf_counter()
    rows = sum(batch.table.num_rows for batch in read_source(spec["format"], [_main_file(path)], options))
    return time.perf_counter() - start, time.process_time() - cpu, rows


def run_arrow_read(path: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of Arrow's multi-threaded ``read_csv`` of the main input, every column as text:
    the floor (no reader can do less work on this file)."""
    import pyarrow.csv as pacsv

    main_file = _main_file(path)
    with open(main_file, encoding="utf-8") as handle:
        names = next(csv.reader(handle))
    cpu = time.process_time()
    start = time.perf_counter()
    table = pacsv.read_csv(main_file, convert_options=pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string())), read_options=pacsv.ReadOptions(use_threads=True))
    return time.perf_counter() - start, time.process_time() - cpu, table.num_rows


def _output_batches(path: Path, vendor: str, outputs: Path) -> list[tuple[str, pa.Schema, list[pa.Table]]]:
    """The tables ``justice-schema translate`` wrote into ``outputs`` (every entity, the rejects and the
    conflicts), each with the schema the CLI's sink used, cut into as many batches as the CLI wrote them in
    (one per 4 MiB block of the main input file)."""
    import pyarrow.parquet as pq

    from justice_schema.translation.result import CONFLICT_SCHEMA, REJECT_SCHEMA
    from justice_schema.translation.sources.csv import ARROW_BLOCK

    schemas = {e.entity_type: e.schema for e in Translator(builtin_spec_path(vendor), extracted_at=STAMP).program.entities}
    schemas |= {"rejects": REJECT_SCHEMA, "conflicts": CONFLICT_SCHEMA}
    pieces = max(1, -(-_main_file(path).stat().st_size // ARROW_BLOCK))
    out = []
    for name, schema in schemas.items():
        table = pq.read_table(outputs / f"{name}.parquet").cast(schema).combine_chunks()
        step = max(1, -(-table.num_rows // pieces))
        out.append((name, schema, [table.slice(at, step) for at in range(0, table.num_rows, step)]))
    return out


def run_write_only(path: Path, vendor: str, outputs: Path, read_too: bool = False) -> tuple[float, float, int]:
    """Wall and CPU seconds to write the translator's own output tables (read beforehand from the CLI's
    ``outputs``, untimed) with the CLI's sinks: same schemas, same Parquet settings (Snappy, dictionaries
    where the first batch shows few distinct values), batch by batch. With ``read_too``, Arrow's
    multi-threaded ``read_csv`` of the input (:func:`run_arrow_read`) is timed with it, in the same process:
    together, the least any translator reading this file and writing this output can cost."""
    from justice_schema.files import TableSink

    tables = _output_batches(path, vendor, outputs)
    folder = Path(tempfile.mkdtemp())
    cpu = time.process_time()
    start = time.perf_counter()
    if read_too:
        run_arrow_read(path)
    rows = 0
    for name, schema, batches in tables:
        with TableSink(folder / f"{name}.parquet", schema) as sink:
            for batch in batches:
                sink.write(batch)
                rows += batch.num_rows
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


def child(kind: str, path: str, threads: int | None, vendor: str, outputs: Path | None = None) -> None:
    """Run in a fresh process: the engine, the CLI, a reader or a writer alone over ``path``; print JSON figures."""
    records: dict[str, int] = {}
    rejects = used = 0
    if kind == "engine":
        seconds, cpu, records, rejects = run_engine(Path(path), threads, vendor)
        used = threads if threads is not None else Translator(builtin_spec_path(vendor), extracted_at=STAMP).threads
    elif kind == "cli":
        seconds, cpu, rejects = run_cli(Path(path), vendor, outputs)
    elif kind == "arrow":
        seconds, cpu, _ = run_arrow_read(Path(path))
    elif kind in ("write", "read+write"):
        assert outputs is not None
        seconds, cpu, _ = run_write_only(Path(path), vendor, outputs, read_too=kind == "read+write")
    elif kind == "stages":
        print(json.dumps(run_stages(Path(path), vendor)))
        return
    else:
        seconds, cpu, _ = run_read_only(Path(path), vendor)
    print(json.dumps({"seconds": seconds, "cpu": cpu, "records": records, "rejects": rejects, "threads": used,
                      "peak_rss_mb": rss_mb()}))


def _in_child(kind: str, path: Path, threads: int | None, vendor: str = "acme_rms",
              outputs: Path | None = None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, str(path), "--vendor", vendor]
    if threads is not None:
        command += ["--threads", str(threads)]
    if outputs is not None:
        command += ["--outputs", str(outputs)]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _best(runs: list[dict[str, Any]]) -> tuple[dict[str, Any], float]:
    """The fastest run, and the median wall time."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return ordered[0], ordered[len(ordered) // 2]["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the export (default 1,000,000)")
    parser.add_argument("--data", choices=("real", "acme_rms"), default="real",
                        help="real (the default, the headline): the bundled FBI Crime Data Explorer sample (300 real "
                             "arrestees) tiled to --rows with unique arrestee ids in random order, translated by "
                             "fbi_cde; acme_rms: the generated records-management export (the per-row comparison "
                             "runs on it)")
    parser.add_argument("--baseline-rows", type=int, default=20_000,
                        help="rows the per-row translation is timed on (default 20,000; rate extrapolated)")
    parser.add_argument("--input", type=Path, default=None,
                        help="with --data acme_rms: an export written before (e.g. by an earlier run with --keep), "
                             "instead of generating one")
    parser.add_argument("--keep", type=Path, default=None, help="copy the generated acme_rms export to this path")
    parser.add_argument("--threads", type=int, default=None, help="engine worker threads (default: CPUs, max 4)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each approach; the fastest is compared, the median shown (default 3)")
    parser.add_argument("--vendor", default="acme_rms", help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--outputs", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.threads, args.vendor, args.outputs)
        return
    repeat = max(1, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        if args.data == "real":
            from _real_shaped import tile_cde_download

            vendor, path = "fbi_cde", Path(tmp) / "cde"
            tile_cde_download(path, args.rows)
            size = sum(f.stat().st_size for f in path.iterdir())
            what = "an FBI CDE download tiled from the bundled real sample (fbi_cde)"
        elif args.input is not None:
            vendor, path = "acme_rms", args.input
            with open(path, "rb") as handle:
                args.rows = sum(1 for _ in handle) - 1  # the export has no line breaks inside fields
            size = path.stat().st_size
            what = f"the acme_rms records-management export {path} (written before)"
        else:
            vendor, path = "acme_rms", Path(tmp) / "arrests.csv"
            write_rms(path, args.rows, bad_rows=False)
            size = path.stat().st_size
            what = "the acme_rms records-management export"
            if args.keep is not None:
                import shutil

                shutil.copyfile(path, args.keep)
        print(f"{what}: {args.rows:,} rows ({size / 1e6:,.0f} MB) written in {time.perf_counter() - start:.1f}s; "
              f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; each approach run {repeat} "
              f"time(s) in a fresh process, the fastest compared")
        # one CLI run first (not counted): its output tables are what the writing floor writes again
        outputs = Path(tmp) / "cli-output"
        _in_child("cli", path, args.threads, vendor, outputs)
        runs = {}
        for kind in ("arrow", "write", "read+write", "read", "engine", "cli"):
            runs[kind] = _best([_in_child(kind, path, args.threads, vendor, outputs if kind in ("write", "read+write")
                                          else None) for _ in range(repeat)])
        floor = args.rows / runs["arrow"][0]["seconds"]
        floor_cpu = args.rows / runs["arrow"][0]["cpu"]
        labels = {"arrow": "Arrow read_csv, multi-threaded (the read floor)",
                  "write": "writing the CLI's output tables alone (Parquet)",
                  "read+write": "read_csv + writing the output: the job's floor",
                  "read": "the engine's streaming CSV reader alone",
                  "engine": "engine, library stream (no files written)",
                  "cli": "justice-schema translate (validation on, Parquet)"}
        print(f"\n{'approach':<52} {'wall s':>7} {'rows/s':>11} {'median':>11} {'CPU s':>7} {'rows/CPU-s':>11} "
              f"{'peak MB':>8}  of the floor (wall / CPU)")
        for kind, (best, median) in runs.items():
            rate, cpu_rate = args.rows / best["seconds"], args.rows / best["cpu"]
            print(f"{labels[kind]:<52} {best['seconds']:>7.2f} {rate:>11,.0f} {args.rows / median:>11,.0f} "
                  f"{best['cpu']:>7.2f} {cpu_rate:>11,.0f} {best['peak_rss_mb']:>8,.0f}  "
                  f"{rate / floor:.2f} / {cpu_rate / floor_cpu:.2f}")
        engine, _ = runs["engine"]
        cli, _ = runs["cli"]
        print(f"engine: {engine['threads']} worker threads; records {engine['records']}, rejects {engine['rejects']}; "
              f"CLI exit code {cli['rejects']}; load average {os.getloadavg()[0]:.2f} after the runs")
        stages = _in_child("stages", path, None, vendor)
        total = stages.pop("total")
        print(f"\nwhere the CLI's CPU goes, stage by stage (one worker thread, {total:.2f} CPU-s in all; each stage "
              f"timed on the thread running it):")
        for stage, used in stages.items():
            print(f"  {stage:<42} {used:6.2f} CPU-s  {100 * used / total:5.1f} %  "
                  f"{args.rows / max(used, 1e-9):>12,.0f} rows per CPU-s")
        both = runs["read+write"][0]
        budget = (os.cpu_count() or 1) * args.rows / 1e6  # CPU-s for 1,000,000 rows/s on every core
        print(f"\nthe floor of the whole job (read the export with Arrow's multi-threaded read_csv, write the "
              f"translator's own output with the CLI's Parquet settings, nothing in between): "
              f"read {runs['arrow'][0]['cpu']:.2f} + write {runs['write'][0]['cpu']:.2f} CPU-s alone, "
              f"{both['cpu']:.2f} CPU-s ({both['seconds']:.2f} s wall) together, = "
              f"{args.rows / both['cpu']:,.0f} rows per CPU-s; the target (1,000,000 rows/s on {os.cpu_count()} "
              f"cores) allows {budget:.2f} CPU-s: the floor alone takes {both['cpu'] / budget:.0%} of it; "
              f"the CLI costs {cli['cpu'] / both['cpu']:.1f}x the floor")
        cli_rate = args.rows / cli["seconds"]
        print(f"targets: CLI >= 1,000,000 rows/s: {'met' if cli_rate >= 1e6 else 'NOT met'} ({cli_rate:,.0f}, "
              f"{cli_rate / floor:.2f} of the floor); CLI peak < 1 GB: "
              f"{'met' if cli['peak_rss_mb'] < 1000 else 'NOT met'} ({cli['peak_rss_mb']:,.0f} MB)")
        if args.data != "acme_rms":
            return
        seconds, cpu = engine["seconds"], engine["cpu"]
        engine_rate = args.rows / seconds
        engine_cpu_rate = args.rows / cpu
        sample_rows = min(args.baseline_rows, args.rows)
        sample = Path(tmp) / "sample.csv"
        with open(path, encoding="utf-8", newline="") as src, open(sample, "w", encoding="utf-8",
                                                                      newline="") as dst:
            for index, line in enumerate(src):
                if index > sample_rows:
                    break
                dst.write(line)

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


if __name__ == "__main__":
    main()
