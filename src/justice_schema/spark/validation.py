"""Validation on Spark: the columnar validator on every partition, one merged report.

:func:`validate_dataframe` numbers the rows in partition order (a count per partition, then
offsets), finds ids used twice across the whole input (JS-X01: a window over ``(id, row)``;
the later rows are the duplicates, as when one machine reads the rows in that order), and
runs :class:`~justice_schema.validation.columnar.ColumnarValidator` on each Arrow batch
through ``mapInArrow``. Each row comes back with its row number, whether it is rejected and
its issues; the rejects, the valid rows and the issues are DataFrames, and the report's
counts are Spark counts that reconcile exactly (``rows_in == rows_valid + rows_rejected``).
The completeness profile is counted per partition and summed.

The report equals :func:`~justice_schema.validation.validate_table` on the same rows in
partition order (``df.toArrow()``), for any number of partitions.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.issues import ISSUE_SCHEMA, empty_issues
from justice_schema.registry import CURRENT_SCHEMA_VERSION, check_version
from justice_schema.validation.columnar import ColumnarValidator
from justice_schema.validation.completeness import CompletenessCounter, profile_from_counts, profiled_fields
from justice_schema.validation.report import ValidationReport

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["SparkValidation", "validate_dataframe"]

_ROW, _REJECTED, _ISSUES, _DUP = "__row", "__rejected", "__issues", "__duplicate"


@attrs.frozen(slots=True, eq=False)
class SparkValidation:
    """What :func:`validate_dataframe` found: the merged report and the rows as DataFrames.

    ``valid``: the rows without errors (the input's columns); ``rejects``: the rejected rows
    with ``row`` (1-based, in partition order) and ``issue_codes`` (``;``-separated);
    ``issues``: every issue (:data:`~justice_schema.validation.issues.ISSUE_SCHEMA`).
    """

    report: ValidationReport
    valid: DataFrame
    rejects: DataFrame
    issues: DataFrame


def _partition_counts(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    from pyspark import TaskContext

    context = TaskContext.get()
    n = sum(batch.num_rows for batch in batches)
    yield pa.RecordBatch.from_pydict({"partition": [context.partitionId() if context else 0], "n": [n]})


def _numbered(offsets: dict[int, int], batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    from pyspark import TaskContext

    context = TaskContext.get()
    start = offsets.get(context.partitionId() if context else 0, 0)
    for batch in batches:
        rows = pa.array(np.arange(start + 1, start + 1 + batch.num_rows, dtype=np.int64))
        start += batch.num_rows
        yield pa.RecordBatch.from_arrays([*batch.columns, rows], names=[*batch.schema.names, _ROW])


def _validate(entity: str, version: str, as_of: date, redact: bool,
              batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    validator = ColumnarValidator(entity, version, as_of=as_of, redact=redact, check_duplicates=False)
    for batch in batches:
        table = pa.Table.from_batches([batch])
        rows = table.column(_ROW).combine_chunks()
        duplicates = pc.fill_null(table.column(_DUP).combine_chunks(), False)
        data = table.drop_columns([_ROW, _DUP])
        result = validator.validate_batch(data, row_numbers=rows, duplicates=duplicates)
        issues = result.issues
        # issues of each row as a list, in the validator's order: rows are ascending in both
        position = pc.index_in(issues.column("row"), value_set=rows).to_numpy(zero_copy_only=False)
        offsets = np.zeros(len(rows) + 1, dtype=np.int32)
        offsets[1:] = np.cumsum(np.bincount(position, minlength=len(rows)))
        order = np.argsort(position, kind="stable")
        structs = pa.StructArray.from_arrays([issues.column(n).combine_chunks().take(pa.array(order))
                                              for n in ISSUE_SCHEMA.names], fields=list(ISSUE_SCHEMA))
        lists = pa.ListArray.from_arrays(pa.array(offsets), structs)
        out = data.append_column(_ROW, rows).append_column(_REJECTED, result.error_rows)
        out = out.append_column(_ISSUES, lists)
        yield from out.to_batches()


def _completeness(entity: str, version: str, names: list[str],
                  batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    counter = CompletenessCounter(entity, version)
    for batch in batches:
        counter.add(batch)
    partial = counter.partial()
    columns = {"agency_ori": partial.column("agency_ori").cast(pa.string())}
    for name in names[1:]:
        columns[name] = (partial.column(name).cast(pa.int64()) if name in partial.column_names
                         else pa.nulls(partial.num_rows, pa.int64()))
    yield from pa.table(columns).to_batches()


def validate_dataframe(
    df: DataFrame,
    entity_type: str,
    *,
    schema_version: str | None = None,
    as_of: date | None = None,
    redact: bool = True,
    issues_in_report: bool = True,
) -> SparkValidation:
    """Validate a Spark DataFrame of canonical records of ``entity_type`` on the cluster.

    ``df`` has the entity's canonical columns (``justice_schema.arrow_schema``; a DataFrame read
    from the Parquet that ``translate`` writes has them). The report's issues are collected to the
    driver when ``issues_in_report`` (for the summaries by code, field and agency); with it off
    they stay a DataFrame and the report holds the counts and completeness only.
    Raises :class:`~justice_schema.errors.InputError` for missing or unknown columns.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    from justice_schema.validation.api import check_columns

    version = check_version(schema_version or CURRENT_SCHEMA_VERSION)
    as_of = as_of or date.today()
    arrow_in = to_arrow_schema(df.schema, timezone=df.sparkSession.conf.get("spark.sql.session.timeZone") or "UTC")
    check_columns(arrow_in, entity_type, version)

    counts = df.mapInArrow(_partition_counts, "partition long, n long").collect()
    offsets, start = {}, 0
    for row in sorted(counts, key=lambda r: r["partition"]):
        offsets[row["partition"]] = start
        start += int(row["n"])
    numbered_schema = from_arrow_schema(arrow_in.append(pa.field(_ROW, pa.int64())))
    numbered = df.mapInArrow(functools.partial(_numbered, offsets), numbered_schema)
    first = F.min(_ROW).over(Window.partitionBy("id"))
    duplicate_rows = (numbered.select("id", _ROW).where(F.col("id").isNotNull())
                      .withColumn("first", first).where(F.col(_ROW) > F.col("first"))
                      .select(_ROW, F.lit(True).alias(_DUP)))
    flagged = numbered.join(duplicate_rows, _ROW, "left").select(*df.columns, _ROW, _DUP)

    issue_list = pa.list_(pa.struct(list(ISSUE_SCHEMA)))
    out_schema = arrow_in.append(pa.field(_ROW, pa.int64())).append(pa.field(_REJECTED, pa.bool_()))
    out_schema = out_schema.append(pa.field(_ISSUES, issue_list))
    checked = flagged.mapInArrow(functools.partial(_validate, entity_type, version, as_of, redact),
                                 from_arrow_schema(out_schema)).persist()

    issues = checked.select(F.explode(_ISSUES).alias("issue")).select("issue.*")
    valid = checked.where(~F.col(_REJECTED)).drop(_ROW, _REJECTED, _ISSUES)
    rejects = checked.where(F.col(_REJECTED)).select(
        *df.columns, F.col(_ROW).alias("row"),
        F.concat_ws("; ", F.array_sort(F.array_distinct(
            F.transform(F.filter(_ISSUES, lambda i: i["severity"] == "error"), lambda i: i["code"])))
        ).alias("issue_codes"))
    rows_in = start
    rejected = checked.where(F.col(_REJECTED)).count()

    names = ["agency_ori", "n"] + [f"{kind}{i}" for i in range(len(profiled_fields(entity_type, version)))
                                   for kind in ("p", "u")]
    counts_schema = "agency_ori string, " + ", ".join(f"{n} long" for n in names[1:])
    partials = df.mapInArrow(functools.partial(_completeness, entity_type, version, names), counts_schema)
    summed = partials.groupBy("agency_ori").agg(*[F.sum(n).alias(n) for n in names[1:]]).collect()
    completeness = profile_from_counts([row.asDict() for row in summed], entity_type, version)

    if issues_in_report:
        collected = (checked.where(F.size(_ISSUES) > 0).select(F.explode(_ISSUES).alias("issue"))
                     .select("issue.*").toArrow())
        table = collected.cast(ISSUE_SCHEMA) if collected.num_rows else empty_issues()
        table = table.take(pc.sort_indices(table, sort_keys=[("row", "ascending")]))
    else:
        table = empty_issues()
    report = ValidationReport(entity_type, version, rows_in, rows_in - rejected, rejected, table, completeness,
                              redacted=redact, as_of=as_of)
    return SparkValidation(report=report, valid=valid, rejects=rejects, issues=issues)
