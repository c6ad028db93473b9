"""Validation on Spark: the report of validate_table on the same rows, at 1, 2 and 7 partitions."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa
import pytest

from justice_schema.arrow import arrow_schema
from justice_schema.spark.validation import validate_dataframe
from justice_schema.validation import validate_table
from tests.spark.partitions import each_partition_count

pytestmark = pytest.mark.xdist_group("spark")

AS_OF = date(2025, 1, 1)


def _persons(n: int) -> pa.Table:
    rows: list[dict[str, Any]] = []
    for i in range(n):
        rows.append({
            "entity_type": "person", "schema_version": "1.1", "aliases": [], "other_identifiers": [],
            "id": f"p-{i % (n - 3)}",  # the last three rows repeat earlier ids (JS-X01 across partitions)
            "source": {"agency_ori": ["UT0180000", "UT0190000", "bad ori"][i % 3], "system": "rms",
                       "record_key": str(i), "extracted_at": datetime(2024, 5, 1, tzinfo=UTC)},
            "family_name": None if i % 4 == 0 else f"NAME{i}",
            "sex": ["M", "F", "X", None][i % 4],
            "date_of_birth": date(2030, 1, 1) if i % 7 == 0 else date(1980, 1, 1 + i % 28),
        })
    return pa.Table.from_pylist(rows, schema=arrow_schema("person"))


def test_same_report_rejects_and_issues_at_1_2_and_7_partitions(spark: Any) -> None:
    each_partition_count(functools.partial(_same_report, spark, _persons(40)))


def _same_report(spark: Any, table: pa.Table, partitions: int) -> None:
    frame = spark.createDataFrame(table).repartition(partitions)
    ordered = frame.toArrow()  # the rows in partition order, as one machine would read them
    want = validate_table(ordered.cast(table.schema), "person", as_of=AS_OF)
    got = validate_dataframe(frame, "person", as_of=AS_OF)
    report = got.report
    assert (report.rows_in, report.rows_valid, report.rows_rejected) == (want.rows_in, want.rows_valid,
                                                                          want.rows_rejected)
    assert report.rows_rejected and "JS-X01" in report.issues.column("code").to_pylist()
    assert report.issues.equals(want.issues)
    assert report.completeness.equals(want.completeness)
    assert got.valid.count() + got.rejects.count() == want.rows_in
    assert got.issues.count() == want.issues.num_rows
    rejected_rows = sorted(r["row"] for r in got.rejects.select("row").collect())
    assert rejected_rows == sorted(set(want.issues.filter(
        pa.compute.equal(want.issues.column("severity"), "error")).column("row").to_pylist()))
