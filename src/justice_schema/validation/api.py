"""The public entry points: validate records, a table, several tables, or a file.

>>> from justice_schema.validation import validate_records
>>> person = {"id": "p-1", "source": {"agency_ori": "UT0180000", "system": "rms", "record_key": "1",
...           "extracted_at": "2024-05-01T12:00:00Z"}, "family_name": "DOE", "state_id": "UT123456",
...           "date_of_birth": "1990-02-03"}
>>> report = validate_records([person], "person")
>>> report.ok, report.rows_valid
(True, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

import attrs
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from justice_schema._toolkit.arrays import arange
from justice_schema._toolkit.scalars import scalar
from justice_schema.errors import InputError
from justice_schema.flat import flat_schema, flatten
from justice_schema.issues import REDACTED, Issue, empty_issues, issues_table
from justice_schema.progress import Progress
from justice_schema.registry import CURRENT_SCHEMA_VERSION, check_version
from justice_schema.validation.columnar import ColumnarValidator
from justice_schema.validation.completeness import COMPLETENESS_SCHEMA, CompletenessCounter, count_records
from justice_schema.validation.crossentity import check_records, check_tables
from justice_schema.validation.expr import get_path
from justice_schema.validation.io import UNREADABLE, Chunk, InputFile, rejected_text_schema
from justice_schema.validation.issues import is_public_field
from justice_schema.validation.record import RecordValidator
from justice_schema.validation.report import ValidationReport

#: Threads :func:`validate_file` evaluates a chunk's checks on when ``threads`` is not given. Reading is
#: parallel anyway: the next chunk is read (and Parquet decoded in Arrow's thread pool, on every core)
#: while the current one is checked. Measured on 2 cores, more check threads only add overhead.
DEFAULT_THREADS = 1

__all__ = ["validate_records", "validate_table", "validate_tables", "validate_record_batches", "validate_file",
           "valid_rows", "rejected_rows", "check_columns"]


def _entity_of(records: list[Any], entity_type: str | None) -> str:
    if entity_type:
        return entity_type
    for record in records:
        found = getattr(record, "ENTITY_TYPE", None) if isinstance(record, BaseModel) else get_path(record, "entity_type")
        if isinstance(found, str):
            return found
    raise ValueError("cannot tell the entity of these records: pass entity_type=")


def validate_records(
    records: Iterable[Mapping[str, Any] | BaseModel],
    entity_type: str | None = None,
    *,
    schema_version: str = CURRENT_SCHEMA_VERSION,
    as_of: date | None = None,
    redact: bool = True,
) -> ValidationReport:
    """Validate records one by one with the per-record engine (pydantic models); for APIs and small data.

    ``records`` are dicts (JSON-like, or Python values) or models of one
    entity. Rows in the report are positions in ``records`` counted from 1.
    """
    rows = list(records)
    entity_type = _entity_of(rows, entity_type)
    version = check_version(schema_version)
    as_of = as_of or date.today()
    validator = RecordValidator(entity_type, version, as_of=as_of, redact=redact)
    issues = validator.validate_many(rows)
    rejected = len({i.row for i in issues if i.severity == "error"})
    return ValidationReport(
        entity_type, version, len(rows), len(rows) - rejected, rejected,
        issues_table(issues) if issues else empty_issues(), count_records(rows, entity_type, version),
        redacted=redact, as_of=as_of, engine="per-record",
    )


def _as_batches(table: pa.Table | pa.RecordBatch, batch_size: int) -> list[pa.RecordBatch]:
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    return table.combine_chunks().to_batches(max_chunksize=batch_size) if table.num_rows else []


def _entity_of_table(table: pa.Table | pa.RecordBatch, entity_type: str | None) -> str:
    found = (table.schema.metadata or {}).get(b"justice_schema.entity", b"").decode()
    if entity_type or found:
        return entity_type or found
    raise ValueError("cannot tell the entity of this table: pass entity_type=")


def _version_of_table(table: pa.Table | pa.RecordBatch, schema_version: str | None) -> str:
    if schema_version:
        return check_version(schema_version)
    found = (table.schema.metadata or {}).get(b"justice_schema.schema_version", b"").decode()
    return check_version(found or CURRENT_SCHEMA_VERSION)


def validate_table(
    table: pa.Table | pa.RecordBatch,
    entity_type: str | None = None,
    *,
    schema_version: str | None = None,
    as_of: date | None = None,
    redact: bool = True,
    batch_size: int = 262_144,
    threads: int = 1,
) -> ValidationReport:
    """Validate a canonical Arrow table (``justice_schema.arrow_schema``) with the columnar engine.

    The schema version defaults to the one the table's schema metadata names
    (as :func:`justice_schema.to_table` writes it), else the newest. Use
    :func:`valid_rows` and :func:`rejected_rows` with the report to split the table.
    """
    entity_type = _entity_of_table(table, entity_type)
    version = _version_of_table(table, schema_version)
    check_columns(table.schema, entity_type, version)
    as_of = as_of or date.today()
    validator = ColumnarValidator(entity_type, version, as_of=as_of, redact=redact, threads=threads)
    counter = CompletenessCounter(entity_type, version)
    parts, offset, rejected = [], 0, 0
    for batch in _as_batches(table, batch_size):
        result = validator.validate_batch(batch, offset)
        counter.add(batch)
        parts.append(result.issues)
        rejected += result.error_count
        offset += batch.num_rows
    issues = pa.concat_tables(parts) if parts else empty_issues()
    return ValidationReport(entity_type, version, table.num_rows, table.num_rows - rejected, rejected, issues,
                            counter.result(), redacted=redact, as_of=as_of)


def check_columns(schema: pa.Schema, entity_type: str, version: str) -> None:
    """Refuse a table whose columns are not the entity's canonical columns (nothing is checked silently).

    Raises :class:`~justice_schema.errors.InputError` naming every unknown column, or every
    missing canonical column with how to build the table; returns ``None`` when the columns fit.
    Runners that validate tables they did not build (Spark partitions) call it first.
    """
    from justice_schema.arrow import arrow_schema

    canonical = arrow_schema(entity_type, version)
    unknown = [name for name in schema.names if canonical.get_field_index(name) < 0]
    if unknown:
        raise InputError(f"unknown column(s) for {entity_type}: {', '.join(unknown)}")
    missing = [f.name for f in canonical if f.name not in schema.names]
    if missing:
        raise InputError(f"missing column(s) of the canonical {entity_type} schema: {', '.join(missing)}; "
                         f"build the table with justice_schema.to_table or arrow_schema({entity_type!r})")


def _error_mask(n: int, report: ValidationReport, entity: str | None = None) -> pa.Array:
    rows = report.error_rows(entity)
    return pc.is_in(pc.add(arange(n), scalar(1, pa.int64())), value_set=rows)


def valid_rows(table: pa.Table, report: ValidationReport, entity_type: str | None = None) -> pa.Table:
    """The rows of ``table`` the report did not reject (no error), in order."""
    return table.filter(pc.invert(_error_mask(table.num_rows, report, entity_type)))


def rejected_rows(table: pa.Table, report: ValidationReport, entity_type: str | None = None) -> pa.Table:
    """The rejected rows of ``table`` with ``row`` and ``issue_codes`` (``;``-separated) columns added."""
    mask = _error_mask(table.num_rows, report, entity_type)
    rows = pc.filter(pc.add(arange(table.num_rows), scalar(1, pa.int64())), mask)
    out = table.filter(mask)
    codes = _codes_by_row(report.issues if entity_type is None else
                          report.issues.filter(pc.equal(report.issues.column("entity"), entity_type)), rows)
    return out.append_column("row", rows).append_column("issue_codes", codes["issue_codes"])


def _codes_by_row(issues: pa.Table, rows: pa.Array) -> dict[str, pa.Array]:
    """Per row in ``rows``: its issue codes, fields and messages, ``;``-separated (errors first)."""
    if not len(rows):
        empty = pa.array([], pa.string())
        return {"issue_codes": empty, "issue_fields": empty, "issue_messages": empty}
    issues = issues.filter(pc.is_in(issues.column("row"), value_set=rows))
    issues = issues.sort_by([("row", "ascending"), ("severity", "ascending"), ("code", "ascending")])
    grouped = issues.group_by("row", use_threads=False).aggregate(
        [("code", "list"), ("field", "list"), ("message", "list")])
    where = pc.index_in(rows, value_set=grouped.column("row"))
    out = {}
    for name, column in (("issue_codes", "code_list"), ("issue_fields", "field_list"), ("issue_messages", "message_list")):
        out[name] = pc.take(pc.binary_join(grouped.column(column), "; "), where).combine_chunks() if grouped.num_rows else pa.nulls(len(rows), pa.string())
    return out


def validate_tables(
    tables: Mapping[str, pa.Table],
    *,
    schema_version: str | None = None,
    as_of: date | None = None,
    redact: bool = True,
) -> ValidationReport:
    """Validate a batch of canonical tables keyed by entity, including the cross-entity rules.

    Every table is validated on its own, then references (arrest → person and
    incident, charge → arrest, disposition → charge, booking → person,
    supervision → person ...) and chronology are checked between them. The
    report's ``entity`` is ``"batch"``; each issue names its entity, and rows
    are positions within that entity's table.
    """
    as_of = as_of or date.today()
    parts, completeness, checked = [], [], {}
    rows_in = rejected = 0
    versions = []
    for entity, table in tables.items():
        report = validate_table(table, entity, schema_version=schema_version, as_of=as_of, redact=redact)
        versions.append(report.schema_version)
        parts.append(report.issues)
        completeness.append(report.completeness)
        checked[entity] = pc.invert(_error_mask(table.num_rows, report))
    cross = check_tables(tables, checked_rows=checked, as_of=as_of, redact=redact)
    parts.append(cross)
    issues = pa.concat_tables(parts)
    for entity, table in tables.items():
        rows_in += table.num_rows
        errors = issues.filter(pc.and_(pc.equal(issues.column("entity"), entity), pc.equal(issues.column("severity"), "error")))
        rejected += len(pc.unique(errors.column("row"))) if errors.num_rows else 0
    version = max(versions, key=lambda v: tuple(int(p) for p in v.split("."))) if versions else \
        check_version(schema_version or CURRENT_SCHEMA_VERSION)
    return ValidationReport("batch", version, rows_in, rows_in - rejected, rejected, issues,
                            pa.concat_tables(completeness) if completeness else COMPLETENESS_SCHEMA.empty_table(),
                            redacted=redact, as_of=as_of)


def validate_record_batches(
    records: Mapping[str, Iterable[Mapping[str, Any] | BaseModel]],
    *,
    schema_version: str = CURRENT_SCHEMA_VERSION,
    as_of: date | None = None,
    redact: bool = True,
) -> ValidationReport:
    """:func:`validate_tables` for lists of records (the per-record engine), keyed by entity."""
    version = check_version(schema_version)
    as_of = as_of or date.today()
    lists = {entity: list(rows) for entity, rows in records.items()}
    parts, completeness, checked = [], [], {}
    for entity, rows in lists.items():
        report = validate_records(rows, entity, schema_version=version, as_of=as_of, redact=redact)
        parts.append(report.issues)
        completeness.append(report.completeness)
        bad = set(report.error_rows().to_pylist())
        checked[entity] = [i + 1 not in bad for i in range(len(rows))]
    parts.append(check_records(lists, checked_rows=checked, as_of=as_of, redact=redact))
    issues = pa.concat_tables(parts)
    rows_in = sum(len(r) for r in lists.values())
    rejected = 0
    for entity in lists:
        errors = issues.filter(pc.and_(pc.equal(issues.column("entity"), entity), pc.equal(issues.column("severity"), "error")))
        rejected += len(pc.unique(errors.column("row"))) if errors.num_rows else 0
    return ValidationReport("batch", version, rows_in, rows_in - rejected, rejected, issues,
                            pa.concat_tables(completeness), redacted=redact, as_of=as_of, engine="per-record")


# ---------------------------------------------------------------------------
# Files


class _Sink:
    """One output of :func:`validate_file`: a :class:`~justice_schema.files.TableSink` on a temporary file
    beside the target, renamed into place by :meth:`commit` (so a failed run leaves no partial output)."""

    def __init__(self, path: str | Path, schema: pa.Schema, *, option: str = "output", csv_raw: bool = False) -> None:
        from justice_schema.files import AtomicFile, TableSink
        from justice_schema.files.sinks import table_format

        self.csv = table_format(path, option) == "csv"
        self.file = AtomicFile(path, option)
        self.sink = TableSink(self.file.temp, schema, name=path, csv_raw=csv_raw, option=option)
        self.schema = schema

    def write(self, table: pa.Table) -> None:
        self.sink.write(table)

    def close(self, ok: bool = True) -> None:
        try:
            self.sink.close()
        finally:
            if ok:
                self.file.commit()
            else:
                self.file.discard()


def _problem_issues(problems: list[Issue], entity: str, version: str, redact: bool) -> pa.Table:
    """The reader's issues as an issue table, values of non-public fields (and unreadable lines) redacted."""
    def shown(p: Issue) -> Issue:
        public = p.code != UNREADABLE and p.field is not None and is_public_field(entity, version, p.field)
        return p if (public or not redact or p.value is None) else attrs.evolve(p, value=REDACTED)

    return issues_table([shown(p) for p in problems])


def _as_text(table: pa.Table) -> pa.Table:
    return pa.table({name: pc.cast(table.column(name), pa.string()) for name in table.column_names})


def validate_file(
    path: str | Path,
    entity_type: str,
    *,
    schema_version: str = CURRENT_SCHEMA_VERSION,
    valid: str | Path | None = None,
    rejects: str | Path | None = None,
    as_of: date | None = None,
    redact: bool = True,
    batch_size: int = 65_536,
    progress: bool | None = None,
    threads: int | None = None,
    check_duplicates: bool = True,
    csv_raw: bool = False,
) -> ValidationReport:
    """Validate a CSV (flat layout), Parquet or JSON Lines file, streaming, in bounded memory.

    Valid rows go to ``valid`` and rejected rows (with their issue codes and
    reasons) to ``rejects``, each a ``.parquet`` or ``.csv`` path. Valid Parquet
    is in the canonical nested schema, valid CSV in the flat layout; rejects
    hold every input column as text, so nothing is lost. Rows that cannot be
    read become rejects with a reason; problems with the file as a whole raise
    :class:`~justice_schema.errors.InputError`. ``progress`` shows a progress
    line on standard error (default: when it is a terminal).

    ``rows_in == rows_valid + rows_rejected`` holds in the report. The work
    uses the machine's cores by default: the next chunk is read (Parquet is
    decoded in Arrow's thread pool) and its completeness counted in a
    background thread while the current one is checked. ``threads`` above 1
    also runs the checks of a chunk in parallel (default
    :data:`DEFAULT_THREADS`, 1: on two cores extra check threads only cost).

    Memory is bounded by the chunk size, except for what must be remembered
    across chunks: the issues found, and the distinct ids for the duplicate-id
    rule (JS-X01). ``check_duplicates=False`` turns that rule off for streams
    too large to remember every id.

    Neither output may be the input (:func:`justice_schema.files.check_outputs`);
    both are written to temporary files and appear only when the run
    finishes. CSV outputs neutralise text cells a spreadsheet would run as
    formulas (a leading ``'``) unless ``csv_raw`` is true.
    """
    from justice_schema.files import check_outputs
    from justice_schema.files.sinks import table_format

    check_outputs([path], {"--valid": valid, "--rejects": rejects})
    for option, target in (("--valid", valid), ("--rejects", rejects)):
        if target is not None:
            table_format(target, option)
    version = check_version(schema_version)
    threads = threads or DEFAULT_THREADS
    as_of = as_of or date.today()
    source = InputFile(path, entity_type, version)
    counter = CompletenessCounter(entity_type, version)
    canonical = source.schema
    valid_sink = _Sink(valid, canonical if not str(valid).lower().endswith(".csv") else flat_schema(entity_type, version),
                       option="--valid", csv_raw=csv_raw) if valid else None
    reject_schema = rejected_text_schema(entity_type, version)
    try:
        reject_sink = _Sink(rejects, reject_schema, option="--rejects", csv_raw=csv_raw) if rejects else None
    except BaseException:
        if valid_sink is not None:
            valid_sink.close(ok=False)
        raise
    finished = False
    parts: list[pa.Table] = []
    rows_in = rows_valid = rows_rejected = 0
    validator = ColumnarValidator(entity_type, version, as_of=as_of, redact=redact, threads=threads,
                                  check_duplicates=check_duplicates)
    # reading starts now, in a background thread; the completeness profile and the duplicate-id check
    # need only the records (and the ids in input order), so they run there too, while this thread checks
    chunks = _Prefetch(_counted(source.chunks(batch_size), counter, validator))
    try:
        with Progress(f"validate {Path(path).name}", total_bytes=source.total_bytes, enabled=progress) as bar:
            for chunk, duplicates in chunks:
                result = validator.validate_batch(chunk.batch, row_numbers=chunk.rows, duplicates=duplicates)
                input_issues = _problem_issues(chunk.problems, entity_type, version, redact)
                chunk_issues = pa.concat_tables([input_issues, result.issues]) if input_issues.num_rows else result.issues
                parts.append(chunk_issues)
                good_count = chunk.batch.num_rows - result.error_count
                rows_in += chunk.rows_in
                rows_valid += good_count
                rows_rejected += chunk.rows_in - good_count
                if valid_sink is not None:
                    # filtering every (nested) column costs a copy: only when the valid rows are written
                    good = chunk.batch.filter(pc.invert(result.error_rows)) if result.error_count else chunk.batch
                    good_table = pa.Table.from_batches([good])
                    valid_sink.write(flatten(good_table.cast(canonical), entity_type) if valid_sink.csv else good_table)
                if reject_sink is not None:
                    _write_rejects(reject_sink, chunk, result.error_rows, chunk_issues, entity_type, canonical)
                bar.advance(rows=chunk.rows_in, bytes_done=chunk.bytes_done)
        finished = True
    finally:
        chunks.close()
        for sink in (valid_sink, reject_sink):
            if sink is not None:
                sink.close(ok=finished)
    issues = pa.concat_tables(parts) if parts else empty_issues()
    return ValidationReport(entity_type, version, rows_in, rows_valid, rows_rejected, issues, counter.result(),
                            source=str(path), notes=tuple(source.notes), redacted=redact, as_of=as_of)


_T = TypeVar("_T")


def _counted(chunks: Iterator[Chunk], counter: CompletenessCounter,
             validator: ColumnarValidator) -> Iterator[tuple[Chunk, pa.Array | None]]:
    """The chunks, each added to the completeness ``counter`` as it is read, with its duplicate-id mask
    (:meth:`ColumnarValidator.duplicate_ids`: the ids are remembered in input order, in the reading thread)."""
    for chunk in chunks:
        counter.add(chunk.batch)
        yield chunk, validator.duplicate_ids(chunk.batch)


class _Prefetch(Generic[_T]):
    """Iterates ``chunks`` one ahead in a background thread (bounded: one chunk waits at most).

    Reading the first chunk starts when the object is made, so the caller's own
    set-up overlaps it. :meth:`close` stops after the chunk being read.
    """

    def __init__(self, chunks: Iterator[_T]) -> None:
        self._chunks = chunks
        self._pool = ThreadPoolExecutor(1)
        self._pending = self._pool.submit(next, chunks, None)

    def __iter__(self) -> Iterator[_T]:
        while True:
            chunk = self._pending.result()
            if chunk is None:
                return
            self._pending = self._pool.submit(next, self._chunks, None)
            yield chunk

    def close(self) -> None:
        """Wait for the chunk being read (an error in it is dropped: the caller is stopping) and stop."""
        self._pool.shutdown(wait=True)


def _write_rejects(sink: _Sink, chunk: Chunk, error_rows: pa.Array, issues: pa.Table, entity_type: str,
                   canonical: pa.Schema) -> None:
    pieces: list[pa.Table] = []
    if chunk.rejected is not None and chunk.rejected.num_rows:
        pieces.append(chunk.rejected)
    unreadable = [p for p in chunk.problems if p.row is None]
    if unreadable:
        pieces.append(pa.table({"row": pa.nulls(len(unreadable), pa.int64()),
                                "raw_line": pa.array([p.value for p in unreadable], pa.string()),
                                "issue_codes": pa.array([p.code for p in unreadable], pa.string()),
                                "issue_fields": pa.array([p.field for p in unreadable], pa.string()),
                                "issue_messages": pa.array([p.message for p in unreadable], pa.string())}))
    if error_rows.true_count:
        bad = pa.Table.from_batches([chunk.batch.filter(error_rows)]).cast(canonical)
        flat = _as_text(flatten(bad, entity_type))
        pieces.append(flat.append_column("row", pc.filter(chunk.rows, error_rows)))
    if not pieces:
        return
    table = pa.concat_tables([_conform_rejects(p, sink.schema) for p in pieces])
    table = table.combine_chunks()
    with_rows = pc.is_valid(table.column("row")).combine_chunks()
    codes = _codes_by_row(issues, pc.drop_null(table.column("row")).combine_chunks())
    if with_rows.true_count == table.num_rows:
        for name, values in codes.items():
            table = table.set_column(table.schema.get_field_index(name), name, values)
    else:
        ordered = pa.concat_tables([table.filter(with_rows), table.filter(pc.invert(with_rows))])
        for name, values in codes.items():
            index = ordered.schema.get_field_index(name)
            tail = ordered.column(name).slice(len(values))
            ordered = ordered.set_column(index, name, pa.chunked_array([values, tail.combine_chunks()]))
        table = ordered
    sink.write(table)


def _conform_rejects(table: pa.Table, schema: pa.Schema) -> pa.Table:
    columns = []
    for field in schema:
        if field.name in table.column_names:
            columns.append(pc.cast(table.column(field.name), field.type))
        else:
            columns.append(pa.nulls(table.num_rows, field.type))
    return pa.table(columns, schema=schema)
