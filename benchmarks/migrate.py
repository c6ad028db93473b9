"""Benchmark: migrating stored bookings between schema 1.0 and 1.1, column-wise vs record by record.

The obvious alternative to :func:`justice_schema.versioning.upgrade` over an Arrow
table is to read every row into a model, upgrade it, and write the models back
(``from_table`` -> ``upgrade(record)`` -> ``to_table``). Both are timed in the same run
on the same table; the script prints rows per second and the ratio.

    python benchmarks/migrate.py --rows 100000

Figures depend on the machine and its load; compare the ratio, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from justice_schema import from_table, to_table
from justice_schema.v1 import Booking
from justice_schema.versioning import downgrade, upgrade


def make_table(rows: int, seed: int = 7) -> pa.Table:
    """A 1.0 booking table of ``rows`` rows, built column-wise (cheap, so big sizes are quick to set up)."""
    rng = random.Random(seed)
    sample = [
        Booking(
            id=f"b-{i}", person_id=f"p-{i}", booking_number=f"B{i:07d}",
            booked_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(500_000)),
            source={"agency_ori": "UT0180000", "system": "county-jms", "record_key": str(i),
                    "extracted_at": "2024-06-01T00:00:00Z"},
            facility_name=rng.choice(["SALT LAKE COUNTY METRO JAIL", "UTAH COUNTY JAIL", None]),
        )
        for i in range(min(rows, 1000))
    ]
    base = to_table(sample)
    repeats = -(-rows // base.num_rows)
    table = pa.concat_tables([base] * repeats).slice(0, rows)
    ids = pa.array([f"b-{i}" for i in range(rows)])
    return table.set_column(table.schema.get_field_index("id"), table.schema.field("id"), ids).combine_chunks()


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the table (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default: %(default)s)")
    args = parser.parse_args()

    table = make_table(args.rows)
    print(f"bookings: {table.num_rows} rows, schema 1.0 -> 1.1 -> 1.0")

    columnar_up = timed(lambda: upgrade(table, to="1.1"), args.repeat)
    upgraded = upgrade(table, to="1.1")
    columnar_down = timed(lambda: downgrade(upgraded, to="1.0"), args.repeat)

    # the obvious alternative: one model per row
    per_record_rows = min(args.rows, 20_000)
    small = table.slice(0, per_record_rows)
    per_record = timed(lambda: to_table([upgrade(r, to="1.1") for r in from_table(small)]), 1)
    per_record_rate = per_record_rows / per_record

    for label, seconds in (("upgrade, Arrow column-wise", columnar_up), ("downgrade, Arrow column-wise", columnar_down)):
        rate = table.num_rows / seconds
        print(f"{label:<34} {seconds:8.3f} s  {rate:12,.0f} rows/s  {rate / per_record_rate:8.1f}x per-record")
    print(f"{'upgrade, record by record':<34} {per_record:8.3f} s  {per_record_rate:12,.0f} rows/s  "
          f"(measured on {per_record_rows} rows)")

    # the command line on a Parquet file: read, migrate and write, streamed batch by batch
    import contextlib
    import io
    import tempfile
    from pathlib import Path

    import pyarrow.parquet as pq

    from justice_schema.cli import main as cli

    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "bookings-1.0.parquet", Path(folder) / "bookings-1.1.parquet"
        pq.write_table(table, source)
        with contextlib.redirect_stderr(io.StringIO()):
            seconds = timed(lambda: cli(["migrate", str(source), "--to", "1.1", "--out", str(target)]), 1)
        print(f"{'justice-schema migrate (Parquet)':<34} {seconds:8.3f} s  {table.num_rows / seconds:12,.0f} rows/s  "
              f"(read + migrate + write)")


if __name__ == "__main__":
    main()
