"""Benchmark: validating arrest records, columnar engine vs per-record pydantic vs jsonschema.

Generates ``--rows`` arrest records (default 1,000,000) with about 2 % invalid,
writes them to Parquet in the canonical schema, and measures in one run:

* reading the Parquet file alone (the floor);
* the columnar engine end to end from Parquet (``validate_file``: read, every
  rule, issues, completeness profile), in a subprocess so its peak resident
  memory is measured on its own — that is the streaming peak;
* the per-record engine (pydantic models + the same rules) on a sample;
* ``jsonschema`` on the published JSON Schema on a smaller sample (pure-Python
  jsonschema runs at a few thousand rows per second; 1M rows would take minutes).

The columnar engine and the plain read run ``--repeat`` times (default 3), each
in a fresh process; the fastest is compared and the median and slowest are
printed (a first run after installing also compiles Python bytecode, and a
shared machine's speed drifts). Rates on samples are rows per second, directly
comparable. Run::

    python benchmarks/validate.py                 # 1,000,000 rows
    python benchmarks/validate.py --rows 100000   # quicker
    python benchmarks/validate.py --shuffle-ids   # ids in random order (harder for the duplicate-id rule)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from justice_schema.arrow import arrow_schema

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _memory import rss_mb

AS_OF = date(2026, 1, 1)
THREADS = [""]
ORIS = [f"{s}{n:07d}" for s in ("UT", "MT", "MA", "CA") for n in range(0, 250_000, 10_000)]
OFFENSES = ["13A", "13B", "220", "23C", "23H", "240", "35A", "90D", "90J", "520"]


def generate(rows: int, seed: int = 7, shuffle_ids: bool = False) -> pa.Table:
    """``rows`` arrest records, about 2 % breaking a rule (bad code, future date, bad ORI, juvenile, age range).

    Ids are ``a-00000000``, ``a-00000001`` ... in file order, or in random order with ``shuffle_ids``.
    """
    rnd = random.Random(seed)
    base = date(2015, 1, 1).toordinal()
    ids = [f"a-{i:08x}" for i in range(rows)]
    if shuffle_ids:
        random.Random(seed + 1).shuffle(ids)
    persons = [f"p-{rnd.randrange(rows):08x}" for _ in range(rows)]
    incidents = [f"i-{rnd.randrange(rows):08x}" if rnd.random() < 0.7 else None for _ in range(rows)]
    dates = [date.fromordinal(base + rnd.randrange(3650)) for _ in range(rows)]
    oris = [rnd.choice(ORIS) for _ in range(rows)]
    extracted = datetime(2025, 6, 1, tzinfo=UTC)
    arrest_type = [rnd.choice("OST") for _ in range(rows)]
    offense = [rnd.choice(OFFENSES) for _ in range(rows)]
    ages = [rnd.randrange(18, 80) for _ in range(rows)]
    juvenile: list[str | None] = [None] * rows
    resident = [rnd.choice("RRRRRRRRRRRRRRRRRRRRNNNNNNNNNU") for _ in range(rows)]
    age_min, age_max = list(ages), list(ages)
    bad = rnd.sample(range(rows), rows // 50)
    for i in bad:
        kind = i % 5
        if kind == 0:
            arrest_type[i] = "X"  # not on the code table
        elif kind == 1:
            dates[i] = AS_OF + timedelta(days=30)  # in the future
        elif kind == 2:
            oris[i] = "ut-018"  # ORI pattern
        elif kind == 3:
            age_min[i] = age_max[i] = 15  # juvenile without disposition
        else:
            age_min[i], age_max[i] = 40, 30  # inverted range
    age_type = arrow_schema("arrest").field("arrestee_age").type
    ages_array = pa.StructArray.from_arrays(
        [pa.array(age_min, pa.int32()), pa.array(age_max, pa.int32()), pa.nulls(rows, pa.string()),
         pa.nulls(rows, pa.string())], fields=list(age_type))
    source_type = arrow_schema("arrest").field("source").type
    source = pa.StructArray.from_arrays(
        [pa.array(oris), pa.array(["bench-rms"] * rows), pa.array(ids),
         pa.array([extracted] * rows, pa.timestamp("us", tz="UTC"))], fields=list(source_type))
    schema = arrow_schema("arrest")
    columns = {
        "entity_type": pa.array(["arrest"] * rows), "schema_version": pa.array(["1.0"] * rows),
        "id": pa.array(ids), "source": source, "person_id": pa.array(persons), "incident_id": pa.array(incidents),
        "arrest_transaction_number": pa.array([f"AT{i:09d}" for i in range(rows)]),
        "arrest_date": pa.array(dates, pa.date32()), "arrest_type": pa.array(arrest_type),
        "ucr_arrest_offense_code": pa.array(offense), "arrestee_age": ages_array,
        "resident_status": pa.array(resident), "juvenile_disposition": pa.array(juvenile, pa.string()),
    }
    arrays = [columns[f.name] if f.name in columns else pa.nulls(rows, f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def child_columnar(path: str, batch_size: int) -> None:
    """Run in a subprocess: validate the Parquet file end to end, print JSON with time and peak RSS."""
    from justice_schema.validation import validate_file
    from justice_schema.validation.api import DEFAULT_THREADS

    threads = int(os.environ["JS_BENCH_THREADS"]) if os.environ.get("JS_BENCH_THREADS") else None
    start, cpu = time.perf_counter(), time.process_time()
    report = validate_file(path, "arrest", as_of=AS_OF, batch_size=batch_size, progress=False, threads=threads)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "rows": report.rows_in,
                      "rejected": report.rows_rejected, "issues": report.issues.num_rows, "peak_rss_mb": rss_mb(),
                      "threads": threads if threads is not None else DEFAULT_THREADS}))


def child_read(path: str, batch_size: int) -> None:
    """Run in a subprocess: read the Parquet file batch by batch, nothing else."""
    start, cpu = time.perf_counter(), time.process_time()
    rows = sum(b.num_rows for b in pq.ParquetFile(path).iter_batches(batch_size=batch_size))
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "rows": rows,
                      "peak_rss_mb": rss_mb()}))


def _run_child(kind: str, path: Path, number: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path), "--batch-size", str(number)],
                         check=True, capture_output=True, text=True, env={**os.environ, "JS_BENCH_THREADS": THREADS[0]})
    return json.loads(out.stdout.strip().splitlines()[-1])


def _sample(path: str, rows: int) -> pa.Table:
    batches, taken = [], 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=min(rows, 65_536)):
        batches.append(batch.slice(0, rows - taken))
        taken += batches[-1].num_rows
        if taken >= rows:
            break
    return pa.Table.from_batches(batches)


def child_record(path: str, rows: int) -> None:
    """Run in a subprocess: the per-record engine on the first ``rows`` rows (Arrow rows to dicts, pydantic, rules)."""
    from justice_schema.validation.record import RecordValidator

    sample = _sample(path, rows)
    validator = RecordValidator("arrest", as_of=AS_OF)
    start, cpu = time.perf_counter(), time.process_time()
    rejected = 0
    for batch in sample.to_batches(max_chunksize=10_000):
        for offset, record in enumerate(batch.to_pylist()):
            issues = validator.validate(record, offset + 1)
            rejected += any(i.severity == "error" for i in issues)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "rows": sample.num_rows,
                      "rejected": rejected, "peak_rss_mb": rss_mb()}))


def child_pydantic(path: str, rows: int) -> None:
    """Run in a subprocess: pydantic ``model_validate`` alone (models kept, no rules), for context."""
    from justice_schema.v1 import Arrest

    sample = _sample(path, rows)
    start, cpu = time.perf_counter(), time.process_time()
    models, rejected = [], 0
    for batch in sample.to_batches(max_chunksize=10_000):
        for record in batch.to_pylist():
            try:
                models.append(Arrest.model_validate({k: v for k, v in record.items() if v is not None}))
            except ValueError:
                rejected += 1
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "rows": sample.num_rows,
                      "rejected": rejected, "peak_rss_mb": rss_mb()}))


def child_jsonschema(path: str, rows: int) -> None:
    """Run in a subprocess: ``jsonschema`` (Draft 2020-12) on the published arrest schema, on JSON-ready dicts."""
    try:
        import jsonschema
    except ImportError:
        print(json.dumps({"missing": "jsonschema"}))
        return
    from justice_schema.schema_json import published_json_schema

    validator = jsonschema.Draft202012Validator(published_json_schema("arrest", "1.0"))
    documents = [json.loads(json.dumps({k: v for k, v in r.items() if v is not None}, default=_json_default))
                 for r in _sample(path, rows).to_pylist()]
    start, cpu = time.perf_counter(), time.process_time()
    rejected = sum(1 for d in documents if next(validator.iter_errors(d), None) is not None)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "rows": len(documents),
                      "rejected": rejected, "peak_rss_mb": rss_mb()}))


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="arrest rows to generate (default 1,000,000)")
    parser.add_argument("--record-rows", type=int, default=100_000,
                        help="rows for the per-record engine (default 100,000; rows/s is a rate)")
    parser.add_argument("--jsonschema-rows", type=int, default=20_000,
                        help="rows for jsonschema (default 20,000: it runs at a few thousand rows/s)")
    parser.add_argument("--batch-size", type=int, default=131_072, help="rows per batch for the columnar engine")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for the columnar engine's checks (default: validate_file's default)")
    parser.add_argument("--data", choices=("real", "generated"), default="real",
                        help="real (the default, the headline): the translators' own arrests from the bundled real "
                             "samples, tiled with unique ids in random order and one duplicate id in 10,000; "
                             "generated: the benchmark's own synthetic rows (flatter: sorted ids, flat values)")
    parser.add_argument("--shuffle-ids", action="store_true",
                        help="put the record ids in random order (the duplicate-id rule cannot rely on id ranges)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the columnar engine and of the plain read; the fastest is compared and the "
                             "median and slowest shown (default 3)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, path = args.child
        {"columnar": child_columnar, "read": child_read, "record": child_record, "pydantic": child_pydantic,
         "jsonschema": child_jsonschema}[kind](path, args.batch_size)
        return 0

    THREADS[0] = "" if args.threads is None else str(args.threads)
    if args.data == "real":
        from _real_shaped import real_arrests

        table, counts = real_arrests(args.rows)
        print(f"real-shaped: {args.rows:,} arrests tiled from the translators' output on the bundled samples "
              f"({', '.join(f'{v}: {n}' for v, n in counts.items())} records), ids in random order, "
              f"{args.rows // 10_000:,} duplicate ids", flush=True)
    else:
        order = "in random order" if args.shuffle_ids else "in file order"
        print(f"generating {args.rows:,} arrest rows (about 2 % invalid, ids {order}) ...", flush=True)
        table = generate(args.rows, shuffle_ids=args.shuffle_ids)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "arrests.parquet"
        pq.write_table(table, path, row_group_size=args.batch_size)
        del table
        size_mb = path.stat().st_size / 2**20
        print(f"Parquet file: {size_mb:.1f} MB in row groups of {args.batch_size:,}; machine: {os.cpu_count()} "
              f"cores, load average {os.getloadavg()[0]:.2f}", flush=True)
        repeat = max(1, args.repeat)
        reads = sorted((_run_child("read", path, args.batch_size) for _ in range(repeat)), key=lambda m: m["seconds"])
        runs = sorted((_run_child("columnar", path, args.batch_size) for _ in range(repeat)),
                      key=lambda m: m["seconds"])
        read, columnar = reads[0], runs[0]  # the fastest of each (a first run also compiles bytecode)
        columnar_median = runs[len(runs) // 2]
        record = _run_child("record", path, min(args.record_rows, args.rows))
        bare = _run_child("pydantic", path, min(args.record_rows, args.rows))
        js: dict[str, float] | None = _run_child("jsonschema", path, min(args.jsonschema_rows, args.rows))
    if js and "missing" in js:
        print("jsonschema is not installed: that comparison is skipped (pip install jsonschema)")
        js = None

    col_rate = columnar["rows"] / columnar["seconds"]
    col_cpu_rate = columnar["rows"] / columnar["cpu"]
    threads = ""
    lines = [
        ("reading the Parquet file alone", read),
        (f"columnar engine, end to end from Parquet{threads}", columnar),
        ("per-record engine (pydantic + rules)", record),
        ("  for context: pydantic models alone, no rules", bare),
    ]
    if js:
        lines.append(("jsonschema on the published JSON Schema", js))
    print()
    print(f"{'approach':<44} {'rows':>10} {'seconds':>8} {'rows/s':>11} {'rows/CPU-s':>11} {'peak RSS MB':>11}"
          f"  columnar is (wall / CPU)")
    for label, m in lines:
        rate, cpu_rate = m["rows"] / m["seconds"], m["rows"] / m["cpu"]
        ratio = ("-" if m is columnar or m is read
                 else f"{col_rate / rate:,.1f}x / {col_cpu_rate / cpu_rate:,.1f}x faster")
        print(f"{label:<44} {m['rows']:>10,} {m['seconds']:>8.2f} {rate:>11,.0f} {cpu_rate:>11,.0f} "
              f"{m['peak_rss_mb']:>11.0f}  {ratio}")
    print()
    print(f"columnar engine: the fastest of {repeat} run(s) shown; median "
          f"{columnar_median['rows'] / columnar_median['seconds']:,.0f} rows/s, slowest "
          f"{runs[-1]['rows'] / runs[-1]['seconds']:,.0f} rows/s (reading alone: fastest of {repeat} too)")
    print(f"columnar engine threads: {columnar['threads']} for the checks ({'given' if args.threads else 'the default'}); "
          f"Parquet decoded in Arrow's pool of {pa.cpu_count()} threads, one chunk read ahead; "
          f"load average now {os.getloadavg()[0]:.2f}")
    print(f"columnar: {columnar['rejected']:,} of {columnar['rows']:,} rows rejected "
          f"({100 * columnar['rejected'] / columnar['rows']:.2f} %), {columnar['issues']:,} issues; "
          f"per-record on its sample: {record['rejected']:,} of {record['rows']:,} rejected")
    if js:
        print(f"jsonschema measured on {js['rows']:,} rows (schema checks only: no cross-field rules).")
    print(f"per-record measured on {record['rows']:,} rows. rows/CPU-s counts the process's own CPU time, "
          f"which a busy machine distorts less than wall time.")
    floor_ratio = col_rate / (read["rows"] / read["seconds"])
    floor_cpu_ratio = col_cpu_rate / (read["rows"] / read["cpu"])
    # on a shared machine the least CPU time of the repeats is the least disturbed figure of each
    least_read, least_col = min(m["cpu"] for m in reads), min(m["cpu"] for m in runs)
    print(f"columnar / reading alone (the floor, same run): {floor_ratio:.2f} of the floor wall, "
          f"{floor_cpu_ratio:.2f} per CPU-second (fastest runs); least CPU of {repeat} runs each: reading "
          f"{least_read:.2f} s, columnar {least_col:.2f} s: {least_read / least_col:.2f} per CPU-second")
    targets = [("columnar >= 0.5 of the read floor", floor_ratio >= 0.5),
               ("columnar >= 25x per-record", col_rate / (record["rows"] / record["seconds"]) >= 25),
               ("streaming peak RSS < 500 MB", columnar["peak_rss_mb"] < 500)]
    print("targets: " + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in targets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
