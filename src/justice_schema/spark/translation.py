"""Translation on Spark: the compiled translator on every task, one merged :class:`TranslationResult`.

:func:`translate_files` gives the input files to Spark tasks. Files, not rows, are the unit of work:
a vendor export is read by the library's own readers (encodings, fixed-width layouts, XML, line
numbers for every reject), which a generic Spark reader would not reproduce. The steps:

1. **assign** (driver): :func:`~justice_schema.translation.assign.assign_files` splits the paths into
   main inputs and the lookup files of joins and gathers, as one machine does;
2. **translate** (one ``mapInArrow`` task per group of main files): each task runs
   :meth:`Translator.stream <justice_schema.translation.Translator.stream>` on its main files plus
   every lookup file (a lookup is loaded whole by every task, like a broadcast), with a
   deduplicator that drops nothing but notes each record's file and line; every output table
   comes back as Arrow IPC bytes as it is made (a row each), then the task's reconciliation;
3. **dedupe** (entities whose every block has ``dedupe = true``): the records are repartitioned by
   ``id`` and sorted by input position, and the library's
   :class:`~justice_schema.translation.dedupe.Deduplicator` keeps the first record of each id and
   reports what the others lose, exactly as in one run over all the files (an id's decision depends
   only on the records with that id);
4. **merge** (driver): the tasks' reconciliations are summed into one, which balances exactly
   (``rows_in == translated + instructions + not_mapped + rejected`` per record type).

**Cross-row features that need co-partitioning.** ``dedupe`` is handled by step 3. Record-type
gathers (children in other records of the input), ranked record types (a group of rows ranked
together) and file gathers (children read from other files) relate rows across main files, and
an entity that some blocks dedupe and others do not cannot be split either: a spec with any of
these is translated with all its main files in one task (same answer, no parallelism over files;
:attr:`SparkTranslation.single_task` says so). Reader warnings are listed with their line for the
first 100 of each task (of the run on one machine), the rest counted by message.
"""

from __future__ import annotations

import functools
import io
import pickle
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import one_array
from justice_schema.errors import InputError
from justice_schema.translation.assign import assign_files
from justice_schema.translation.dedupe import Deduplicator
from justice_schema.translation.engine import Translator, ValidateHook
from justice_schema.translation.references import LinkPlan
from justice_schema.translation.result import (
    CONFLICT_SCHEMA,
    INSTRUCTION_SCHEMA,
    REJECT_SCHEMA,
    FileCounts,
    Reconciliation,
    RecordTypeCounts,
    TranslationResult,
)
from justice_schema.translation.sources import SOURCE_FILE, SOURCE_LINE, SourceBatch
from justice_schema.translation.sources.presence import ColumnCheck
from justice_schema.translation.spec import Spec, load_spec
from justice_schema.validation.duplicates import DuplicateTracker
from justice_schema.validation.hooks import RECORD_RULES

if TYPE_CHECKING:
    from pyspark import StorageLevel
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkTranslation", "translate_files", "translate_dataframe", "merge_reconciliations"]

#: Columns added to every output row: the task's group (groups hold main files in input order) and
#: the row's position among its task's outputs of the same kind; together they are the input order.
_GROUP, _SEQ, _FILE, _LINE = "__group", "__seq", "__file", "__line"
#: Kinds of the rows a dedupe task yields: kept records and conflicts (IPC bytes, they stay on the
#: cluster) and the task's counts (pickled, for the driver).
_KEPT, _COUNTS, _CONFLICTS = 0, 1, 2
_PARTS = "group int, kind string, entity string, payload binary"


def _payload_level() -> StorageLevel:
    """How the tasks' IPC payloads are kept for the several jobs that read them: on disk only.

    A payload row holds a whole output table (megabytes); with a memory level Spark reads a cached
    partition back from disk into the heap whole, which ran the JVM out of memory at 10,000,000
    rows (``BlockManager.maybeCacheDiskValuesInMemory``). From disk the rows stream one by one.
    """
    from pyspark import StorageLevel

    return StorageLevel.DISK_ONLY


def _ipc(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _unipc(payload: bytes) -> pa.Table:
    return pa.ipc.open_stream(payload).read_all()


class _Locating(Deduplicator):
    """A deduplicator that keeps every record and notes where each came from (file and line),
    so that records of one id from several tasks can be deduplicated together later."""

    def __init__(self, reconciliation: Reconciliation) -> None:
        super().__init__(reconciliation)
        self.pending: dict[str, list[pa.Table]] = {}

    def dedupe(self, entity: str, table: pa.Table, rows: pa.Array, files: pa.Array | None,
               lines: pa.Array | None) -> tuple[pa.Table, pa.Table | None, pa.Array]:
        n = table.num_rows
        where = pa.table({
            _FILE: (one_array(files).cast(pa.string()).take(rows) if files is not None
                    else pa.nulls(n, pa.string())),
            _LINE: (one_array(lines).cast(pa.int64()).take(rows) if lines is not None
                    else pa.nulls(n, pa.int64())),
        })
        self.pending.setdefault(entity, []).append(where)
        return table, None, rows


@attrs.frozen(slots=True)
class _Job:
    """What every task needs to translate its files: the spec and the translator's settings."""

    spec: Spec
    validate: ValidateHook | None
    extracted_at: datetime
    params: dict[str, str] | None
    lookups: tuple[str, ...]
    later_dedupe: frozenset[str]


def _translate_group(job: _Job, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """One task: translate each group of main files it was given; yield its outputs as IPC bytes."""
    for batch in batches:
        for group, paths in zip(batch.column("group").to_pylist(), batch.column("paths").to_pylist()):
            yield from _translate_one(job, group, paths)


def _translate_one(job: _Job, group: int, paths: list[str],
                   source: Iterator[SourceBatch] | None = None) -> Iterator[pa.RecordBatch]:
    translator = Translator(job.spec, validate=job.validate, extracted_at=job.extracted_at, threads=1,
                            params=job.params)
    locating = _Locating(Reconciliation())
    run = translator.stream([*paths, *job.lookups],
                            deduplicator=locating if job.later_dedupe else None, source=source)
    seq: Counter[str] = Counter()

    def part(kind: str, entity: str, payload: bytes) -> pa.RecordBatch:
        # one row a batch: a task's whole output in one Arrow batch ran the JVM out of heap at 10M rows
        return pa.RecordBatch.from_pydict({"group": pa.array([group], pa.int32()), "kind": [kind],
                                           "entity": [entity], "payload": pa.array([payload], pa.binary())})

    def numbered(kind: str, table: pa.Table) -> bytes:
        start = seq[kind]
        seq[kind] += table.num_rows
        return _ipc(table.append_column(_GROUP, pa.repeat(pa.scalar(group, pa.int32()), table.num_rows))
                    .append_column(_SEQ, pa.array(np.arange(start, start + table.num_rows, dtype=np.int64))))

    for output in run:
        for entity, table in output.tables.items():
            if entity in job.later_dedupe:
                where = locating.pending.pop(entity, [])
                located = pa.concat_tables(where) if where else pa.table({_FILE: pa.nulls(0, pa.string()),
                                                                          _LINE: pa.nulls(0, pa.int64())})
                table = table.append_column(_FILE, located.column(_FILE)).append_column(_LINE, located.column(_LINE))
            if table.num_rows:
                yield part("records", entity, numbered(f"records:{entity}", table))
        for kind, table in (("rejects", output.rejects), ("instructions", output.instructions),
                            ("conflicts", output.conflicts)):
            if table.num_rows:
                yield part(kind, "", numbered(kind, table))
    yield part("reconciliation", "", pickle.dumps((run.reconciliation, run.join_rows_matched)))


def _translate_rows(job: _Job, columns: tuple[str, ...], name: str,
                    batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """One task of :func:`translate_dataframe`: its partition's raw rows (in input order) as the main input."""
    from pyspark import TaskContext

    context = TaskContext.get()
    group = context.partitionId() if context is not None else 0

    def source() -> Iterator[SourceBatch]:
        for batch in batches:
            raw = {c: _blank_is_null(batch.column(c)) for c in columns}
            raw[SOURCE_FILE] = batch.column(SOURCE_FILE)
            raw[SOURCE_LINE] = batch.column(SOURCE_LINE)
            yield SourceBatch("default", pa.table(raw), columns=columns, file=name)

    yield from _translate_one(job, group, [], source())


def _blank_is_null(column: pa.Array) -> pa.Array:
    """Text with empty values as null, as the readers give a blank field."""
    text = column.cast(pa.string())
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _decode(schema: pa.Schema, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The output tables carried as IPC bytes, back as rows of ``schema``."""
    for batch in batches:
        for payload in batch.column("payload").to_pylist():
            table = _unipc(payload)
            yield from table.select(schema.names).cast(schema).to_batches()


def _dedupe_partition(entity: str, schema: pa.Schema,
                      batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Records of some ids, in input order: the first of each id kept, the others' losses reported.

    Yields the kept records (``_KEPT``) and the conflicts found (``_CONFLICTS``) as IPC bytes, then one
    row of counts (``_COUNTS``, pickled) for the driver."""
    rec = Reconciliation()
    # Every conflict is listed: the rows stay a DataFrame on the cluster (a single machine lists the
    # first 1,000 by default, in memory). Counts are the same either way.
    dedupe = Deduplicator(rec, conflict_sample=None)
    seen = DuplicateTracker()  # the same decision as the deduplicator's: which rows it keeps, for their order
    for batch in batches:
        table = pa.Table.from_batches([batch])
        records = table.drop_columns([_FILE, _LINE, _GROUP, _SEQ])
        out, found, _ = dedupe.dedupe(entity, records, pa.array(np.arange(table.num_rows)),
                                      table.column(_FILE), table.column(_LINE))
        keep = pc.invert(seen.duplicates(one_array(table.column("id"))))
        out = (out.append_column(_GROUP, pc.filter(table.column(_GROUP), keep))
               .append_column(_SEQ, pc.filter(table.column(_SEQ), keep)))
        if found is not None and found.num_rows:
            yield _dedupe_row(_CONFLICTS, _ipc(found))
        if out.num_rows:
            yield _dedupe_row(_KEPT, _ipc(out))
    yield _dedupe_row(_COUNTS, pickle.dumps((rec.duplicates_merged, rec.dedupe_conflicts, rec.conflicts_listed)))


def _dedupe_row(kind: int, payload: bytes) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict({"kind": pa.array([kind], pa.int32()), "payload": pa.array([payload], pa.binary())})


def merge_reconciliations(parts: Sequence[tuple[Reconciliation, dict[str, set[int]]]],
                          ignored_files: dict[str, str]) -> Reconciliation:
    """One reconciliation from the tasks' (each with the join rows it matched), as one run would count.

    Counts add up; a lookup file's counts are the same in every task and taken once; a join's matched
    rows are the union of the tasks'; columns unused are those some task saw and the spec never reads.
    """
    out = Reconciliation()
    matched: dict[str, set[int]] = {}
    for rec, join_matched in parts:
        for name, counts in rec.record_types.items():
            mine = out.record_types.setdefault(name, RecordTypeCounts())
            for field in ("rows_in", "translated", "instructions", "rejected", "not_mapped"):
                setattr(mine, field, getattr(mine, field) + getattr(counts, field))
        out.records_out.update(rec.records_out)
        out.duplicates_merged.update(rec.duplicates_merged)
        out.instruction_kinds.update(rec.instruction_kinds)
        for name, columns in rec.unused_columns.items():
            out.unused_columns[name] = sorted(set(out.unused_columns.get(name, [])) | set(columns))
        for name, values in rec.unmapped_values.items():
            out.unmapped_values.setdefault(name, Counter()).update(values)
        out.warnings.update(rec.warnings)
        for name, stats in rec.joins.items():
            out.joins.setdefault(name, dict(stats))
        for name, rows in join_matched.items():
            matched.setdefault(name, set()).update(rows)
        out.not_mapped.update(rec.not_mapped)
        for name, stats in rec.gathers.items():
            mine_g = out.gathers.setdefault(name, {})
            for key, value in stats.items():
                mine_g[key] = mine_g.get(key, 0) + value
        for name, file_counts in rec.files.items():
            if file_counts.role != "main":
                out.files.setdefault(name, file_counts)
                continue
            total = out.files.setdefault(name, FileCounts())
            for field in ("rows_in", "translated", "instructions", "rejected", "not_mapped"):
                setattr(total, field, getattr(total, field) + getattr(file_counts, field))
        for entity, counter in rec.dedupe_conflicts.items():
            out.dedupe_conflicts.setdefault(entity, Counter()).update(counter)
        out.conflicts_listed += rec.conflicts_listed
        out.params = dict(rec.params)
    for name, rows in matched.items():
        if name in out.joins:
            out.joins[name]["rows_matched"] = len(rows)
    out.ignored_files.update(ignored_files)
    return out


@attrs.frozen(slots=True, eq=False)
class SparkTranslation:
    """What :func:`translate_files` gave: DataFrames of the outputs, and the merged reconciliation.

    ``tables`` maps each entity to a DataFrame of canonical records (:func:`justice_schema.arrow_schema`
    columns); ``rejects`` (:data:`~justice_schema.translation.result.REJECT_SCHEMA`), ``instructions``
    and ``conflicts`` are DataFrames too. ``reconciliation`` is complete (its counts are summed from the
    tasks'). ``single_task`` names why all main files went to one task, or is None; ``schemas`` are
    the entities' canonical Arrow schemas. The DataFrames of
    ``tables``, ``rejects`` and ``instructions`` carry ``__group`` and ``__seq`` (their input order) for
    :meth:`collect`; :meth:`drop_order` removes them before writing.
    """

    translator: str
    tables: dict[str, DataFrame]
    rejects: DataFrame
    instructions: DataFrame
    conflicts: DataFrame
    reconciliation: Reconciliation
    single_task: str | None
    schemas: dict[str, pa.Schema]

    def collect(self) -> TranslationResult:
        """Everything on the driver as the :class:`TranslationResult` one machine gives (for data that
        fits in memory: tests, samples), rows in input order; conflicts sorted by entity, id, field,
        file and line (one machine lists them batch by batch)."""
        def ordered(df: DataFrame, schema: pa.Schema) -> pa.Table:
            table = df.toArrow()
            if not table.num_rows:
                return schema.empty_table()
            table = table.sort_by([(_GROUP, "ascending"), (_SEQ, "ascending")])
            return table.select(schema.names).cast(schema)

        tables = {e: ordered(df, self.schemas[e]) for e, df in self.tables.items()}
        conflicts = self.conflicts.toArrow()
        conflicts = (conflicts.select(CONFLICT_SCHEMA.names).cast(CONFLICT_SCHEMA) if conflicts.num_rows
                     else CONFLICT_SCHEMA.empty_table())
        conflicts = conflicts.sort_by([(c, "ascending") for c in ("entity", "id", "field", "source_file",
                                                                   "source_line")])
        return TranslationResult(translator=self.translator, tables=tables,
                                 rejects=ordered(self.rejects, REJECT_SCHEMA),
                                 instructions=ordered(self.instructions, INSTRUCTION_SCHEMA),
                                 reconciliation=self.reconciliation, conflicts=conflicts)

    def drop_order(self, df: DataFrame) -> DataFrame:
        """``df`` without the input-order columns."""
        return df.drop(_GROUP, _SEQ)


def _single_task_reason(translator: Translator) -> str | None:
    """Why the spec's main files cannot be split between tasks, or None."""
    program = translator.program
    if any(g.record_type is not None for g in program.gathers):
        return "record-type gathers attach children to parents anywhere in the input"
    if any(g.files for g in program.gathers):
        return "file gathers attach children from other files to parents anywhere in the input"
    if program.ranked_record_types:
        return "ranked record types rank groups of rows anywhere in the input"
    if LinkPlan.of(program) is not None:
        return ("records name records of other rows (references, or deletes and replacements), which are settled "
                "over the whole input")
    by_entity: dict[str, set[bool]] = {}
    for plan in program.entities:
        by_entity.setdefault(plan.entity_type, set()).add(plan.dedupe)
    mixed = sorted(e for e, kinds in by_entity.items() if len(kinds) > 1)
    if mixed:
        return f"{', '.join(mixed)}: some blocks dedupe and others do not"
    return None


def translate_files(
    spark: SparkSession,
    spec: Spec | str | Path,
    paths: Sequence[str | Path],
    *,
    partitions: int | None = None,
    validate: ValidateHook | None = RECORD_RULES,
    extracted_at: datetime | None = None,
    params: dict[str, str] | None = None,
) -> SparkTranslation:
    """Translate vendor export files on Spark, with the answer of
    :meth:`Translator.translate <justice_schema.translation.Translator.translate>` on the same files.

    The main input files are split into at most ``partitions`` groups (default: Spark's default
    parallelism) of consecutive files, one task each; ``validate``, ``extracted_at`` and ``params``
    as for :class:`~justice_schema.translation.Translator` (pass ``extracted_at`` to get the same
    ``source.extracted_at`` as another run). The paths must be readable by the executors (a shared
    file system on a cluster). Raises :class:`~justice_schema.errors.InputError` as the translator
    does for no input file, a folder where files are needed or a join without its file, and
    :class:`~justice_schema.translation.SpecError` for a bad spec, before any Spark job.
    """
    loaded = spec if isinstance(spec, Spec) else load_spec(spec)
    translator = Translator(loaded, validate=validate, extracted_at=extracted_at, params=params)
    driver_rec = Reconciliation()
    main, lookups = assign_files(translator.program, [Path(p) for p in paths], driver_rec)
    single = _single_task_reason(translator)
    n_groups = 1 if single else max(1, min(len(main), partitions or spark.sparkContext.defaultParallelism))
    groups = [[str(p) for p in chunk] for chunk in np.array_split(np.array(main, dtype=object), n_groups) if len(chunk)]
    later = frozenset() if single else frozenset(p.entity_type for p in translator.program.entities if p.dedupe)
    job = _Job(loaded, validate, translator.extracted_at, params,
               tuple(dict.fromkeys(str(p) for files in lookups.values() for p in files)), later)

    given = spark.createDataFrame([(g, files) for g, files in enumerate(groups)], "group int, paths array<string>")
    parts = (given.repartition(len(groups), "group")
             .mapInArrow(functools.partial(_translate_group, job), _PARTS).persist(_payload_level()))
    return _assemble(parts, translator, later, single, driver_rec)


def _assemble(parts: DataFrame, translator: Translator, later: frozenset[str],
              single: str | None, driver_rec: Reconciliation) -> SparkTranslation:
    """The tasks' outputs (``parts``: IPC payloads per group) decoded, deduplicated across tasks and
    reconciled: the :class:`SparkTranslation` both entry points return."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    schemas = {p.entity_type: p.schema for p in translator.program.entities}

    def decoded(kind: str, entity: str, schema: pa.Schema) -> DataFrame:
        full = pa.schema([*schema, pa.field(_GROUP, pa.int32()), pa.field(_SEQ, pa.int64())])
        chosen = parts.where((F.col("kind") == kind) & (F.col("entity") == entity)).select("payload")
        return chosen.mapInArrow(functools.partial(_decode, full), from_arrow_schema(full))

    states = [pickle.loads(row["payload"]) for row in
              parts.where(F.col("kind") == "reconciliation").select("payload").collect()]
    rec = merge_reconciliations(states, driver_rec.ignored_files)

    tables: dict[str, DataFrame] = {}
    conflict_frames: list[DataFrame] = []
    for entity, schema in schemas.items():
        if entity not in later:
            tables[entity] = decoded("records", entity, schema)
            continue
        full = pa.schema([*schema, pa.field(_GROUP, pa.int32()), pa.field(_SEQ, pa.int64()),
                          pa.field(_FILE, pa.string()), pa.field(_LINE, pa.int64())])
        raw = parts.where((F.col("kind") == "records") & (F.col("entity") == entity)).select("payload")
        rows = raw.mapInArrow(functools.partial(_decode, full), from_arrow_schema(full))
        deduped = (rows.repartition("id").sortWithinPartitions(_GROUP, _SEQ)
                   .mapInArrow(functools.partial(_dedupe_partition, entity, full.remove(full.get_field_index(_FILE))),
                               "kind int, payload binary").persist(_payload_level()))
        kept_schema = pa.schema([*schema, pa.field(_GROUP, pa.int32()), pa.field(_SEQ, pa.int64())])
        tables[entity] = (deduped.where(F.col("kind") == _KEPT).select("payload")
                          .mapInArrow(functools.partial(_decode, kept_schema), from_arrow_schema(kept_schema)))
        merged: Counter[str] = Counter()
        dedupe_conflicts: dict[str, Counter[str]] = {}
        for row in deduped.where(F.col("kind") == _COUNTS).select("payload").collect():
            counts, conflicts_by_field, listed = pickle.loads(row["payload"])
            merged.update(counts)
            for name, counter in conflicts_by_field.items():
                dedupe_conflicts.setdefault(name, Counter()).update(counter)
            rec.conflicts_listed += listed
        conflict_frames.append(deduped.where(F.col("kind") == _CONFLICTS).select("payload").mapInArrow(
            functools.partial(_decode, CONFLICT_SCHEMA), from_arrow_schema(CONFLICT_SCHEMA)))
        dropped = sum(merged.values())
        rec.records_out[entity] -= dropped
        rec.duplicates_merged.update(merged)
        for name, counter in dedupe_conflicts.items():
            rec.dedupe_conflicts.setdefault(name, Counter()).update(counter)
    conflicts = decoded("conflicts", "", CONFLICT_SCHEMA).drop(_GROUP, _SEQ)
    for frame in conflict_frames:
        conflicts = conflicts.unionByName(frame)
    return SparkTranslation(translator=translator.name, tables=tables,
                            rejects=decoded("rejects", "", REJECT_SCHEMA),
                            instructions=decoded("instructions", "", INSTRUCTION_SCHEMA),
                            conflicts=conflicts, reconciliation=rec, single_task=single, schemas=schemas)


def _numbered(df: DataFrame, name: str) -> DataFrame:
    """``df`` with ``_source_file`` (``name`` where missing) and ``_source_line``: where missing, the row's
    position in the DataFrame as given (1-based; partition by partition, one small counting job)."""
    from pyspark.sql import functions as F

    if SOURCE_FILE not in df.columns:
        df = df.withColumn(SOURCE_FILE, F.lit(name))
    if SOURCE_LINE in df.columns:
        return df.withColumn(SOURCE_LINE, F.col(SOURCE_LINE).cast("long"))
    tagged = df.withColumn("__part", F.spark_partition_id()).withColumn("__id", F.monotonically_increasing_id())
    tagged = tagged.persist()
    counts = sorted((r["__part"], r["n"]) for r in tagged.groupBy("__part").agg(F.count("*").alias("n")).collect())
    offsets, total = [], 0
    for part, n in counts:
        offsets.append((part, total))
        total += n
    start = df.sparkSession.createDataFrame(offsets, "__part int, __start long")
    position = F.col("__id") - F.shiftleft(F.col("__part").cast("long"), 33)  # monotonically_increasing_id's layout
    return (tagged.join(F.broadcast(start), "__part")
            .withColumn(SOURCE_LINE, F.col("__start") + position + 1).drop("__part", "__id", "__start"))


def translate_dataframe(
    df: DataFrame,
    spec: Spec | str | Path,
    *,
    lookups: Sequence[str | Path] = (),
    partitions: int | None = None,
    validate: ValidateHook | None = RECORD_RULES,
    extracted_at: datetime | None = None,
    params: dict[str, str] | None = None,
    name: str = "dataframe",
) -> SparkTranslation:
    """Translate raw vendor rows held in a Spark DataFrame, with the answer of
    :meth:`Translator.translate <justice_schema.translation.Translator.translate>` on the same rows read from
    files: the same records, rejects, instructions, dedupe conflicts and reconciliation.

    ``df`` has one text column per source column (as a CSV header names them; an empty value is a blank
    field) and, optionally, ``_source_file`` and ``_source_line`` saying where each row came from: input
    order is by file, then line (so give one machine its files in name order to compare), and rejects
    point there. Without them every row is in file ``name``, numbered in the DataFrame's own order.
    ``lookups`` are the files of the spec's joins and gathers (loaded whole by every task). The rows are
    range-partitioned by file and line into ``partitions`` tasks (default: Spark's default parallelism),
    or one task for a spec with cross-row features (see :func:`translate_files`). Other arguments as for
    :func:`translate_files`.

    Raises :class:`~justice_schema.errors.InputError` before any translation job when a column the spec
    reads is missing (naming it and the spec key), a column is not text, a lookup path is a main input,
    or the spec decides record types by file name (``[source.record_types]``, which needs files).
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    loaded = spec if isinstance(spec, Spec) else load_spec(spec)
    translator = Translator(loaded, validate=validate, extracted_at=extracted_at, params=params)
    program = translator.program
    if program.file_record_types:
        raise InputError("the spec decides record types by file name ([source.record_types]); translate its files "
                         "with translate_files", path=name)
    driver_rec = Reconciliation()
    main, found = assign_files(program, [Path(p) for p in lookups], driver_rec, rows_given=True)
    if main:
        raise InputError(f"{main[0].name} is a main input of the spec, not a lookup file; its rows belong in the "
                         f"DataFrame", path=str(main[0]))
    columns = tuple(c for c in df.columns if c not in (SOURCE_FILE, SOURCE_LINE))
    for field in df.schema.fields:
        if field.name in columns and not isinstance(field.dataType, StringType):
            raise InputError(f"raw vendor rows are text; the column is {field.dataType.simpleString()} (cast it to "
                             f"string)", path=name, field=field.name)
    ColumnCheck.for_program(program).check(SourceBatch("default", pa.table({}), columns=columns, file=name))
    single = _single_task_reason(translator)
    n = 1 if single else max(1, partitions or df.sparkSession.sparkContext.defaultParallelism)
    later = frozenset() if single else frozenset(p.entity_type for p in program.entities if p.dedupe)
    job = _Job(loaded, validate, translator.extracted_at, params,
               tuple(dict.fromkeys(str(p) for files in found.values() for p in files)), later)
    rows = _numbered(df, name).select(*[F.col(c) for c in columns], SOURCE_FILE, SOURCE_LINE)
    ordered = (rows.repartitionByRange(n, SOURCE_FILE, SOURCE_LINE) if n > 1 else rows.repartition(1))
    ordered = ordered.sortWithinPartitions(SOURCE_FILE, SOURCE_LINE)
    parts = ordered.mapInArrow(functools.partial(_translate_rows, job, columns, name), _PARTS).persist(_payload_level())
    return _assemble(parts, translator, later, single, driver_rec)
