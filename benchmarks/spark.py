"""Spark (``local[N]``) against the single-machine functions, in the same run: time, memory, shuffle.

Three workloads, each run once with the single-machine function (in a child process, for its own
peak memory) and once through ``justice_schema.spark`` on a ``local[--cores]`` session:

* **match**: ``--persons`` generated people (``identity.synthetic.generate_people``) through
  ``match_persons`` and ``match_persons_spark``; the run checks that every ``person_uid`` agrees;
* **validate**: ``--rows`` canonical person rows (a tenth with errors) through ``validate_table``
  and ``validate_dataframe``; the run checks that the counts agree;
* **link**: the events of a generated county of ``--link-people`` people (``linking.synthetic.generate_county``,
  3 % split and 0.2 % merged people, about 12 events a person) through ``link_events`` and
  ``link_events_spark``; the run checks that every event's ``case_uid`` and parent agree;
* **translate**: ``--vendor-rows`` vendor rows (the acme_rms sample tiled, each copy with its own
  arrest numbers and people, in ``--files`` CSV files) through ``Translator.translate`` and
  ``translate_files``; the run checks that the reconciliations agree.

Printed per workload: wall seconds of each and their ratio, peak resident memory of the
single-machine child, of the Spark driver JVM and of the largest Python worker (sampled from
``/proc`` every 0.2 s), and the shuffle bytes written (Spark's status API), with per-row
figures for the cost model of ``docs/cluster.md``.

The issue's target is 10,000,000 of each; on the shared 2-core machine that is hours, so the
sizes are flags::

    python benchmarks/spark.py --persons 20000 --rows 200000 --link-people 20000
    python benchmarks/spark.py --persons 10000000 --rows 10000000   # on a machine that can
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import threading
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import pyarrow as pa
from _memory import rss_mb

AS_OF = date(2025, 1, 1)


def _persons(rows: int) -> pa.Table:
    """Canonical person rows, built column-wise; every tenth has an invalid sex code."""
    from justice_schema.arrow import arrow_schema

    schema = arrow_schema("person")
    i = np.arange(rows)
    source = pa.StructArray.from_arrays(
        [pa.array(np.where(i % 2 == 0, "UT0180000", "UT0190000")), pa.array(np.full(rows, "rms")),
         pa.array(i.astype(str)), pa.array(np.full(rows, datetime(2024, 5, 1, tzinfo=UTC)), pa.timestamp("us", "UTC"))],
        names=["agency_ori", "system", "record_key", "extracted_at"])
    columns = {"entity_type": pa.array(np.full(rows, "person")), "schema_version": pa.array(np.full(rows, "1.1")),
               "aliases": pa.array([[]] * rows, schema.field("aliases").type),
               "other_identifiers": pa.array([[]] * rows, schema.field("other_identifiers").type),
               "id": pa.array(np.char.add("p-", i.astype(str))), "source": source,
               "family_name": pa.array(np.char.add("NAME", (i % 5000).astype(str))),
               "sex": pa.array(np.where(i % 10 == 0, "X", "M"))}
    arrays = []
    for field in schema:
        if field.name in columns:
            arrays.append(columns[field.name].cast(field.type) if field.name != "source" else
                          pa.StructArray.from_arrays([columns["source"].field(f.name).cast(f.type) if
                                                      columns["source"].type.get_field_index(f.name) >= 0 else
                                                      pa.nulls(rows, f.type) for f in field.type],
                                                     fields=list(field.type)))
        else:
            arrays.append(pa.nulls(rows, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _vendor_files(rows: int, files: int) -> list[Path]:
    """``rows`` acme_rms rows in ``files`` CSV files: the sample tiled, each copy with its own arrest
    numbers and people (suffixed ids), so dedupe keeps one person per copy."""
    import pyarrow.compute as pc
    from pyarrow import csv

    from justice_schema.translation import builtin_spec_path

    sample = builtin_spec_path("acme_rms").parent / "samples" / "arrests.csv"
    header = sample.read_text(encoding="utf-8").splitlines()[0].split(",")  # the sample's header has no quotes
    base = csv.read_csv(sample, convert_options=csv.ConvertOptions(
        column_types={name: pa.string() for name in header}, strings_can_be_null=False))
    copies = -(-rows // base.num_rows)
    table = pa.concat_tables([base] * copies).slice(0, rows)
    copy = pa.array((np.arange(rows) // base.num_rows).astype(str))
    for column in ("Arrest No", "SID", "MNI"):
        index = table.column_names.index(column)
        values = table.column(column)
        suffixed = pc.if_else(pc.equal(values, ""), values, pc.binary_join_element_wise(values, copy, "-"))
        table = table.set_column(index, column, suffixed)
    folder = Path(f"/tmp/js-spark-bench-vendor-{os.getpid()}")
    folder.mkdir(exist_ok=True)
    paths = []
    for i, chunk in enumerate(np.array_split(np.arange(rows), files)):
        path = folder / f"arrests_{i:04d}.csv"
        csv.write_csv(table.take(pa.array(chunk)), path)
        paths.append(path)
    return paths


_STAMP = datetime(2025, 1, 1, tzinfo=UTC)


def _county_events(people: int) -> pa.Table:
    from justice_schema.linking.synthetic import CountyParams, generate_county

    return generate_county(CountyParams(people=people, seed=3, split_rate=0.03, merge_rate=0.002)).events


def _single(kind: str, size: int, queue: Any, files: int = 1) -> None:
    start = time.perf_counter()
    if kind == "link":
        from justice_schema.linking import link_events

        events = _county_events(size)
        start = time.perf_counter()
        cases = link_events(events).cases
        answer: Any = cases.select(["event_id", "case_uid", "parent_id"])
    elif kind == "translate":
        from justice_schema.translation import Translator, builtin_spec_path

        paths = _vendor_files(size, files)
        start = time.perf_counter()
        # streamed and dropped, batch by batch: the records of 10M rows do not fit in memory at once
        # (Spark's side only counts them too)
        run = Translator(builtin_spec_path("acme_rms"), extracted_at=_STAMP).stream(paths)
        for _ in run:
            pass
        answer = run.reconciliation.to_dict()
    elif kind == "match":
        from justice_schema.identity import match_persons
        from justice_schema.identity.synthetic import generate_people

        table, _ = generate_people(size, seed=7)
        start = time.perf_counter()
        result = match_persons(table)
        answer = dict(zip(result.ids.tolist(), result.person_uids.tolist()))
    else:
        from justice_schema.validation import validate_table

        table = _persons(size)
        start = time.perf_counter()
        report = validate_table(table, "person", as_of=AS_OF)
        answer = (report.rows_in, report.rows_valid, report.rows_rejected)
    queue.put((time.perf_counter() - start, rss_mb(), answer))


def _run_single(kind: str, size: int, files: int) -> tuple[float, float, Any]:
    queue: Any = mp.get_context("fork").Queue()
    child = mp.get_context("fork").Process(target=_single, args=(kind, size, queue, files))
    child.start()
    out = queue.get()
    child.join()
    return out


class _Sampler:
    """Peak RSS of the JVM (driver + local executors) and of the largest Python worker, from /proc."""

    def __init__(self) -> None:
        self.jvm = 0.0
        self.worker = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            for pid in os.listdir("/proc"):
                if not pid.isdigit() or int(pid) == me:
                    continue
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                if f"{me}" not in status and "pyspark" not in cmd and "java" not in cmd:
                    continue
                rss = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)
                ppid = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:")), 0)
                if "java" in cmd and "spark" in cmd and ppid == me:
                    self.jvm = max(self.jvm, rss)
                elif "pyspark" in cmd and ("daemon" in cmd or "worker" in cmd):
                    self.worker = max(self.worker, rss)
            time.sleep(0.2)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _shuffle_bytes(spark: Any) -> int:
    """Shuffle bytes written by every stage so far (the status REST API of the driver)."""
    url = spark.sparkContext.uiWebUrl
    app = spark.sparkContext.applicationId
    with urllib.request.urlopen(f"{url}/api/v1/applications/{app}/stages") as response:
        stages = json.load(response)
    return sum(int(s.get("shuffleWriteBytes", 0)) for s in stages)


def _run_spark(spark: Any, kind: str, size: int, partitions: int,
               files: int) -> tuple[float, float, float, int, Any]:
    from pyspark.sql import functions as F

    before = _shuffle_bytes(spark)
    if kind == "link":
        import pyarrow.parquet as pq

        from justice_schema.spark import link_events_spark

        path = Path(f"/tmp/js-spark-bench-events-{os.getpid()}.parquet")
        pq.write_table(_county_events(size), path)
        frame = spark.read.parquet(str(path)).repartition(partitions).persist()
        frame.count()
        with _Sampler() as sampler:
            start = time.perf_counter()
            linked = link_events_spark(frame)
            linked.rows.select(F.count("*")).collect()   # every link, cause and case computed
            seconds = time.perf_counter() - start
        cases = linked.cases.toArrow().sort_by("event_id")
        answer: Any = cases.select(["event_id", "case_uid", "parent_id"])
        path.unlink()
    elif kind == "translate":
        from justice_schema.spark import translate_files
        from justice_schema.translation import builtin_spec_path

        paths = _vendor_files(size, files)
        with _Sampler() as sampler:
            start = time.perf_counter()
            translated = translate_files(spark, builtin_spec_path("acme_rms"), paths, partitions=partitions,
                                         extracted_at=_STAMP)
            for frame in [*translated.tables.values(), translated.rejects]:
                frame.select(F.count("*")).collect()
            seconds = time.perf_counter() - start
        answer = translated.reconciliation.to_dict()
    elif kind == "match":
        import pyarrow.parquet as pq

        from justice_schema.identity.synthetic import generate_people
        from justice_schema.spark import match_persons_spark

        path = Path(f"/tmp/js-spark-bench-people-{os.getpid()}.parquet")
        pq.write_table(generate_people(size, seed=7)[0], path)
        frame = spark.read.parquet(str(path)).repartition(partitions).persist()
        frame.count()
        with _Sampler() as sampler:
            start = time.perf_counter()
            result = match_persons_spark(frame)
            rows = result.assignments.select("id", "person_uid").toArrow()
            seconds = time.perf_counter() - start
        answer = dict(zip(rows.column("id").to_pylist(), rows.column("person_uid").to_pylist()))
        path.unlink()
    else:
        from justice_schema.spark import validate_dataframe

        path = Path(f"/tmp/js-spark-bench-{os.getpid()}.parquet")
        import pyarrow.parquet as pq

        pq.write_table(_persons(size), path)
        frame = spark.read.parquet(str(path)).repartition(partitions).persist()
        frame.count()
        with _Sampler() as sampler:
            start = time.perf_counter()
            checked = validate_dataframe(frame, "person", as_of=AS_OF, issues_in_report=False)
            checked.issues.select(F.count("*")).collect()
            seconds = time.perf_counter() - start
        report = checked.report
        answer = (report.rows_in, report.rows_valid, report.rows_rejected)
        path.unlink()
    return seconds, sampler.jvm, sampler.worker, _shuffle_bytes(spark) - before, answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=20_000, help="generated person records to match")
    parser.add_argument("--rows", type=int, default=200_000, help="canonical rows to validate")
    parser.add_argument("--vendor-rows", type=int, default=200_000, help="acme_rms vendor rows to translate")
    parser.add_argument("--link-people", type=int, default=20_000, help="people of the generated county to link")
    parser.add_argument("--files", type=int, default=8, help="files the vendor rows are written in")
    parser.add_argument("--cores", type=int, default=2, help="local[N]")
    parser.add_argument("--partitions", type=int, default=8, help="input partitions")
    parser.add_argument("--driver-memory", default="4g", help="spark.driver.memory (10M rows: 8g)")
    parser.add_argument("--skip", choices=["match", "validate", "translate", "link"], action="append", default=[])
    args = parser.parse_args(argv)

    from justice_schema.spark import local_session

    spark = local_session(args.cores, shuffle_partitions=args.partitions, driver_memory=args.driver_memory,
                          spark_ui_enabled="true", spark_ui_port="0")
    print(f"Spark {spark.version}, local[{args.cores}], {args.partitions} partitions")
    for kind, size in (("match", args.persons), ("validate", args.rows), ("translate", args.vendor_rows),
                       ("link", args.link_people)):
        if kind in args.skip:
            continue
        print(f"\n[{time.strftime('%H:%M:%S')}] {kind}: {size:,} on one machine", flush=True)
        single_s, single_mb, want = _run_single(kind, size, args.files)
        print(f"[{time.strftime('%H:%M:%S')}] {kind}: one machine took {single_s:.1f} s; now on Spark", flush=True)
        spark_s, jvm_mb, worker_mb, shuffle, got = _run_spark(spark, kind, size, args.partitions, args.files)
        if kind == "link":
            print(f"\n(link: a county of {size:,} people)")
            size = want.num_rows  # figures per event, not per person
        print(f"\n== {kind}: {size:,} rows")
        print(f"  single machine   {single_s:9.1f} s   peak {single_mb:7.0f} MB")
        print(f"  spark local[{args.cores}]  {spark_s:9.1f} s   driver JVM peak {jvm_mb:7.0f} MB, "
              f"largest Python worker {worker_mb:5.0f} MB")
        print(f"  spark / single   {spark_s / single_s:9.2f} x time")
        print(f"  shuffle written  {shuffle / 1e6:9.1f} MB  ({shuffle / size:,.0f} bytes per row)")
        print(f"  per row: single {1e6 * single_s / size:,.1f} us, spark {1e6 * spark_s / size:,.1f} us "
              f"({args.cores} cores)")
        if kind == "link":
            same = got.cast(want.schema).equals(want)
        elif kind == "translate":
            # Spark lists every dedupe conflict where one machine lists the first 1,000 (docs/cluster.md):
            # the count of listed rows is the one field that may differ
            same = {k: v for k, v in got.items() if k != "dedupe_conflicts_listed"} == {
                k: v for k, v in want.items() if k != "dedupe_conflicts_listed"}
            if "dedupe_conflicts_listed" in want:
                listed = got.get("dedupe_conflicts_listed")
                print(f"  conflicts listed: single {want['dedupe_conflicts_listed']:,} (its cap), "
                      f"spark {'all' if listed is None else f'{listed:,}'}")
        else:
            same = got == want
        print(f"  same answer: {same}")
        if not same and isinstance(want, dict):
            differ = [k for k in sorted(set(want) | set(got))
                      if k != "dedupe_conflicts_listed" and want.get(k) != got.get(k)]
            print(f"  {len(differ):,} keys differ; the first: ")
            for key in differ[:10]:
                print(f"    {key}: single {str(want.get(key))[:200]} / spark {str(got.get(key))[:200]}")
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
