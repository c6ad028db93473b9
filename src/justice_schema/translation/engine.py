"""The translation engine: runs a compiled spec over streamed source batches.

Each source batch is translated with whole-array Arrow operations: joins by
key, instruction rows set aside, every ``[[entity]]`` block evaluated,
records checked against the schema's field constraints (and an optional
``validate`` hook), rows with any problem rejected whole with all their
reasons, and the counts reconciled. Only one batch is in memory at a time
(plus joined inputs and the ids seen, when ``dedupe`` is on).
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, as_text, one_array
from justice_schema._toolkit.scalars import scalar
from justice_schema.errors import InputError
from justice_schema.progress import Progress
from justice_schema.translation import textops
from justice_schema.translation.checks import field_problems
from justice_schema.translation.compiler import EntityBody, EntityPlan, JoinPlan, Program, compile_spec
from justice_schema.translation.context import EvalContext
from justice_schema.translation.expressions import Column, join_skipping_nulls
from justice_schema.translation.gather import GatherPlan, gather_children
from justice_schema.translation.listops import explode
from justice_schema.translation.plans import coerce, relaxed
from justice_schema.translation.readahead import read_ahead
from justice_schema.translation.result import (
    CONFLICT_SCHEMA,
    INSTRUCTION_SCHEMA,
    REJECT_SCHEMA,
    FileCounts,
    Reconciliation,
    RecordTypeCounts,
    TranslationResult,
)
from justice_schema.translation.sources import (
    BOOKKEEPING_COLUMNS,
    SOURCE_ERROR,
    SOURCE_FILE,
    SOURCE_LINE,
    SOURCE_TEXT,
    SOURCE_WARNING,
    SourceBatch,
    read_source,
)
from justice_schema.translation.sources.presence import ColumnCheck
from justice_schema.translation.spec import Spec, load_spec
from justice_schema.validation.duplicates import DuplicateTracker, text_hashes

__all__ = ["Translator", "TranslationRun", "BatchOutput", "ValidateHook"]

#: A validation hook: ``validate(entity_type, table)`` returns one text per record
#: (the reasons it is invalid; null when valid), or ``None`` when all are valid.
ValidateHook = Callable[[str, pa.Table], "pa.Array | None"]


@attrs.frozen(slots=True)
class BatchOutput:
    """What one source batch gave: records per entity, rejects, instructions and dedupe conflicts.

    ``conflicts`` (:data:`~justice_schema.translation.result.CONFLICT_SCHEMA`)
    holds the values that ``dedupe`` merges of this batch dropped because they
    differed from the kept record's.
    """

    tables: dict[str, pa.Table]
    rejects: pa.Table
    instructions: pa.Table
    conflicts: pa.Table = attrs.field(factory=CONFLICT_SCHEMA.empty_table)


@attrs.define(slots=True)
class _Partial:
    """One batch, evaluated but not yet folded into the run's counts."""

    record_type: str
    n: int
    schema: pa.Schema
    #: Per block: its records, and the batch row each came from.
    outputs: list[tuple[EntityPlan, pa.Table, pa.Array]]
    rejects: pa.Table
    instructions: pa.Table
    unmapped: dict[str, Counter[str]]
    warnings: Counter[str]
    join_matched: dict[str, pa.Array]
    #: Per row: "translated", "rejected", "instruction:<kind>" or "not_mapped".
    fate: pa.Array = attrs.field(factory=lambda: pa.array([], pa.string()))
    n_instructions: int = 0
    n_not_mapped: int = 0
    #: Children gathered from other files: per gather, the parent row of each child row (null if none).
    attached: list[tuple[_LoadedGather, pa.Array, pa.Array]] = attrs.field(factory=list)
    #: "<file> line <n>" of every row, when children need it.
    where: pa.Array | None = None
    #: Reader warnings of the batch: (text, file, line) per warned row.
    source_warnings: list[tuple[str, str | None, int | None]] = attrs.field(factory=list)
    #: The source file and line of every row.
    files: pa.Array | None = None
    lines: pa.Array | None = None


@attrs.define(slots=True)
class _LoadedGather:
    """Child rows read from other files, and what became of each so far."""

    plan: GatherPlan
    table: pa.Table
    columns: tuple[str, ...]
    #: The child rows that can be attached (read without error).
    readable: pa.Array
    #: Per child row: null while unattached, else "translated", "rejected", "instruction:<kind>",
    #: "unreadable" or "overflow" (beyond ``max`` children of its parent).
    fate: pa.Array
    #: Per child row: the parent's source file and line once attached (the reason, for "overflow").
    parent_where: pa.Array


#: At most this many reader warnings are listed with their file and line; the rest are counted by message.
_LISTED_WARNINGS = 100


@attrs.frozen(slots=True)
class _LoadedJoin:
    plan: JoinPlan
    table: pa.Table
    keys: pa.Array
    columns: tuple[str, ...]


def _key_of(table: pa.Table, names: Sequence[str], ignore_case: bool = False) -> pa.Array:
    arrays = []
    for name in names:
        column = one_array(table.column(name)) if name in table.column_names else pa.nulls(
            table.num_rows, pa.string())
        column = textops.trim(as_text(column))
        if ignore_case:
            column = textops.upper(column)
        arrays.append(pc.if_else(pc.equal(column, scalar("")), scalar(None, pa.string()), column))
    if len(arrays) == 1:
        return arrays[0]
    return pc.binary_join_element_wise(*arrays, scalar("\x1f"), null_handling="emit_null")


class Translator:
    """A compiled translator: give it input files, get canonical tables and a reconciliation.

    ``spec`` is a loaded :class:`~justice_schema.translation.spec.Spec` or the
    path of a spec file. ``validate`` is an optional hook run on every output
    batch of every entity, after the built-in field checks (for example the
    validation engine's columnar rules); records it finds invalid are rejected
    with their source rows; it may be called from worker threads. ``extracted_at``
    stamps ``source.extracted_at`` (default: now). ``threads`` batches are
    translated at once (default: the number of CPUs, at most 4); results are
    the same for any number. ``params`` gives the translator's parameters (the
    spec's ``[params]``, used in mappings as ``{ param = "name" }``); an unknown
    name or a missing required one raises
    :class:`~justice_schema.errors.InputError` naming it.

    >>> from justice_schema.translation import Translator, builtin_spec_path
    >>> translator = Translator(builtin_spec_path("acme_rms"))
    >>> translator.entity_types
    ('person', 'arrest', 'charge')
    """

    def __init__(self, spec: Spec | str | Path, *, validate: ValidateHook | None = None,
                 extracted_at: datetime | None = None, threads: int | None = None,
                 params: Mapping[str, str] | None = None) -> None:
        self.spec = spec if isinstance(spec, Spec) else load_spec(spec)
        self.threads = max(1, threads if threads is not None else min(4, os.cpu_count() or 1))
        self.program: Program = compile_spec(self.spec, params)
        self.validate = validate
        stamp = extracted_at or datetime.now(UTC)
        if stamp.tzinfo is None:
            raise ValueError("extracted_at must be timezone-aware")
        self.extracted_at = stamp

    @property
    def name(self) -> str:
        """The translator's name."""
        return self.program.name

    @property
    def entity_types(self) -> tuple[str, ...]:
        """The entity types it produces, in the order the spec declares them (each once)."""
        return tuple(dict.fromkeys(e.entity_type for e in self.program.entities))

    def stream(self, paths: Sequence[str | Path], *, progress: Progress | None = None) -> TranslationRun:
        """Translate ``paths`` batch by batch; iterate the returned run for :class:`BatchOutput` values.

        A folder among ``paths`` stands for the files in it (hidden files left out).
        """
        return TranslationRun(self, [Path(p) for p in paths], progress)

    def translate(self, paths: Sequence[str | Path], *, progress: Progress | None = None) -> TranslationResult:
        """Translate ``paths`` and collect everything in memory as a :class:`TranslationResult`."""
        run = self.stream(paths, progress=progress)
        tables: dict[str, list[pa.Table]] = {e: [] for e in self.entity_types}
        rejects, instructions, conflicts = [], [], []
        for output in run:
            for entity, table in output.tables.items():
                tables[entity].append(table)
            rejects.append(output.rejects)
            instructions.append(output.instructions)
            if output.conflicts.num_rows:
                conflicts.append(output.conflicts)
        schemas = {e.entity_type: e.schema for e in self.program.entities}
        return TranslationResult(
            translator=self.name,
            tables={e: pa.concat_tables(t) if t else schemas[e].empty_table() for e, t in tables.items()},
            rejects=pa.concat_tables(rejects) if rejects else REJECT_SCHEMA.empty_table(),
            instructions=pa.concat_tables(instructions) if instructions else INSTRUCTION_SCHEMA.empty_table(),
            reconciliation=run.reconciliation,
            conflicts=pa.concat_tables(conflicts) if conflicts else CONFLICT_SCHEMA.empty_table(),
        )


class TranslationRun:
    """One pass over input files; iterate it for :class:`BatchOutput` values.

    ``reconciliation`` is complete once the iteration has finished.
    """

    def __init__(self, translator: Translator, paths: list[Path], progress: Progress | None) -> None:
        self.translator = translator
        self.program = translator.program
        self.progress = progress
        self.reconciliation = Reconciliation()
        self._seen: dict[str, DuplicateTracker] = {}
        #: Per deduplicated entity: the records kept, to compare their duplicates with.
        self._kept: dict[str, _KeptRecords] = {}
        self._join_files_counted: set[str] = set()
        self.reconciliation.params = dict(self.program.params)
        self._observed: dict[str, set[str]] = {}
        self._join_matched: dict[str, set[int]] = {}
        self._warnings_listed = 0
        self._main, self._join_files = self._assign(paths)
        # Keyed by the block object itself: two blocks may share an entity type and a name.
        self._proven = {id(p): p.proven_checks for p in self.program.entities}

    def _assign(self, paths: list[Path]) -> tuple[list[Path], dict[str, list[Path]]]:
        expanded: list[Path] = []
        for path in paths:
            if path.is_dir():
                expanded.extend(sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")))
            else:
                expanded.append(path)
        # One file may feed several joins (the same lookup table joined on two columns).
        others: list[JoinPlan | GatherPlan] = [*self.program.joins, *(g for g in self.program.gathers if g.files)]
        joins: dict[str, list[Path]] = {j.name: [] for j in others}
        main_glob = self.program.main_files
        main = []
        rec = self.reconciliation
        for path in expanded:
            name = path.name.lower()
            claimed = False
            for join in others:
                if fnmatch.fnmatch(name, str(join.files).lower()):
                    joins[join.name].append(path)
                    if not claimed:  # a file feeding two joins takes the first one's name
                        rec.files[path.name] = FileCounts(
                            role=f"{'join' if isinstance(join, JoinPlan) else 'gather'}:{join.name}")
                    claimed = True
            if claimed:
                continue
            skipped = [j for j in self.program.skipped_joins if fnmatch.fnmatch(name, j.files.lower())]
            if skipped:
                rec.ignored_files[path.name] = (f"join {skipped[0].name!r} is skipped: parameter "
                                                f"{skipped[0].unless_param!r} was given")
            elif main_glob is not None and not fnmatch.fnmatch(name, main_glob.lower()):
                rec.ignored_files[path.name] = f"not read: the main input is files matching {main_glob!r}"
            else:
                main.append(path)
                rec.files[path.name] = FileCounts()
        if not expanded:
            folders = [str(p) for p in paths if p.is_dir()]
            raise InputError("no input files: the folder holds none" if folders else "no input files",
                             path=folders[0] if folders else None)
        for join in others:
            if not joins[join.name]:
                what = "joins" if isinstance(join, JoinPlan) else "gathers"
                hint = (f", or give the parameter {join.unless_param!r}"
                        if isinstance(join, JoinPlan) and join.unless_param else "")
                raise InputError(f"translator {self.program.name!r} {what} {join.name!r} from a file matching "
                                 f"{join.files!r}, and none was given{hint}")
        if not main:
            wanted = f" (files matching {main_glob!r})" if main_glob else ""
            raise InputError(f"translator {self.program.name!r} needs its main input file(s){wanted}; only joined "
                             "or ignored files were given")
        return main, joins

    def _tally(self, files: pa.Array | None, outcome: pa.Array) -> None:
        """Add per-file counts: ``outcome`` per row is translated, rejected, instructions or not_mapped."""
        if files is None or len(outcome) == 0:
            return
        grouped = pa.table({"f": as_text(one_array(files)), "o": outcome}).group_by(
            ["f", "o"], use_threads=False).aggregate([([], "count_all")])
        for file, what, count in zip(*(grouped.column(c).to_pylist() for c in ("f", "o", "count_all"))):
            counts = self.reconciliation.files.setdefault(Path(file).name if file else "?", FileCounts())
            counts.rows_in += count
            setattr(counts, what, getattr(counts, what) + count)

    def _load_join(self, plan: JoinPlan) -> _LoadedJoin:
        options = {k: v for k, v in plan.source.items() if k != "format"}
        batches = [b.table for b in ColumnCheck.for_program(self.program, plan).checked(
            read_source(plan.source["format"], self._join_files[plan.name], options))]
        table = pa.concat_tables(batches, promote_options="permissive") if batches else pa.table({})
        if SOURCE_FILE in table.column_names and table.num_rows:
            per_file = pc.value_counts(as_text(one_array(table.column(SOURCE_FILE))))
            for item in per_file.to_pylist():
                name = Path(item["values"]).name if item["values"] else "?"
                if name in self._join_files_counted:
                    continue  # one file feeding two joins (a lookup table joined on two columns) is counted once
                self._join_files_counted.add(name)
                self.reconciliation.files.setdefault(name, FileCounts(role=f"join:{plan.name}")).rows_in += item[
                    "counts"]
        stats = {"rows_in": table.num_rows, "rows_unreadable": 0, "duplicate_keys": 0, "rows_matched": 0}
        if SOURCE_ERROR in table.column_names:
            bad = pc.is_valid(table.column(SOURCE_ERROR))
            stats["rows_unreadable"] = int(pc.sum(bad).as_py() or 0)
            table = table.filter(pc.invert(bad))
        for name in plan.keys:
            if name not in table.column_names:
                raise InputError(f"joined input {plan.name!r} has no key column {name!r}",
                                 path=str(self._join_files[plan.name][0]))
        keys = _key_of(table, plan.keys, plan.ignore_case)
        positions = arange(table.num_rows)
        first = pa.table({"k": keys, "p": positions}).group_by("k", use_threads=False).aggregate([("p", "min")])
        keep = pc.is_in(positions, value_set=first.column("p_min"))
        stats["duplicate_keys"] = table.num_rows - int(pc.sum(keep).as_py() or 0)
        table = table.filter(keep)
        keys = pc.filter(keys, keep)
        data_columns = tuple(c for c in table.column_names if c not in BOOKKEEPING_COLUMNS)
        renamed = pa.table({f"{plan.name}.{c}": table.column(c) for c in data_columns})
        self.reconciliation.joins[plan.name] = stats
        self._observed[f"join:{plan.name}"] = set(data_columns)
        self._join_matched[plan.name] = set()
        return _LoadedJoin(plan, renamed, keys, data_columns)

    def __iter__(self) -> Iterator[BatchOutput]:
        joins = [self._load_join(plan) for plan in self.program.joins]
        file_gathers = [self._load_gather(plan) for plan in self.program.gathers if plan.files]
        record_gathers = [plan for plan in self.program.gathers if plan.record_type is not None]
        # Parents and children of record-type gathers are held until the input is read (a child
        # may come in any batch), and so are the rows of record types that rank (a group may span
        # batches); every other record type streams.
        ranked = self.program.ranked_record_types
        held_types = {g.record_type for g in record_gathers} | {g.into for g in record_gathers} | set(ranked)
        held: dict[str, list[pa.Table]] = {}
        options = {k: v for k, v in self.program.source.items() if k not in ("format", "files")}
        batches = ColumnCheck.for_program(self.program).checked(
            read_source(self.program.source["format"], self._main, options))

        def streamed() -> Iterator[SourceBatch]:
            for batch in batches:
                if batch.record_type in held_types:
                    held.setdefault(batch.record_type, []).append(batch.table)
                    if self.progress is not None:
                        self.progress.advance(rows=batch.table.num_rows)
                else:
                    yield batch

        workers = self.translator.threads
        if workers <= 1:
            for batch in streamed():
                yield self._settle(self._evaluate(batch, joins, file_gathers))
                if self.progress is not None:
                    self.progress.advance(rows=batch.table.num_rows)
        else:
            # Batches are evaluated in worker threads (Arrow compute releases the GIL) and
            # settled in input order, so ids, dedupe and counts do not depend on timing.
            with ThreadPoolExecutor(max_workers=workers) as pool:
                pending: deque[Future[_Partial]] = deque()
                for batch in read_ahead(streamed(), depth=workers):
                    pending.append(pool.submit(self._evaluate, batch, joins, file_gathers))
                    while len(pending) > workers:
                        yield self._settle_future(pending.popleft())
                while pending:
                    yield self._settle_future(pending.popleft())
        if record_gathers:
            yield from self._process_held(held, record_gathers, joins, file_gathers)
        gathered_into = {g.into for g in record_gathers}
        for record_type in sorted(ranked - gathered_into):
            if held.get(record_type):
                whole = pa.concat_tables(held[record_type], promote_options="permissive")
                yield self._settle(self._evaluate(SourceBatch(record_type, whole), joins, file_gathers))
        for loaded in file_gathers:
            yield self._finish_file_gather(loaded)
        self._finish()

    def _settle_future(self, future: Future[_Partial]) -> BatchOutput:
        partial = future.result()
        output = self._settle(partial)
        if self.progress is not None:
            self.progress.advance(rows=partial.n)
        return output

    def _finish(self) -> None:
        used = self.program.columns_used()
        # A child column read through its parent (offense.3.ucr_offense_code) is a used child column.
        child_used: dict[str, set[str]] = {}
        for gather in self.program.gathers:
            prefix = f"{gather.name}."
            found = {c.split(".", 2)[2] for c in used if c.startswith(prefix) and c.count(".") >= 2}
            found |= set(gather.keys)
            key = gather.record_type if gather.record_type is not None else f"gather:{gather.name}"
            child_used.setdefault(key, set()).update(found)
        not_mapped = {m.record_type for m in self.program.not_mapped}
        for record_type, observed in self._observed.items():
            if record_type in not_mapped:
                continue  # the whole record type is reported as not mapped
            if record_type.startswith("join:"):
                name = record_type[5:]
                unused = sorted(c for c in observed if f"{name}.{c}" not in used)
                self.reconciliation.joins[name]["rows_matched"] = len(self._join_matched.get(name, ()))
            else:
                mine = used | child_used.get(record_type, set())
                unused = sorted(c for c in observed if c not in mine)
            self.reconciliation.unused_columns[record_type] = unused

    # -- gathers -----------------------------------------------------------------------------------
    def _load_gather(self, plan: GatherPlan) -> _LoadedGather:
        options = {k: v for k, v in plan.source.items() if k != "format"}
        batches = [b.table for b in ColumnCheck.for_program(self.program, gather=plan).checked(
            read_source(plan.source["format"], self._join_files[plan.name], options))]
        table = pa.concat_tables(batches, promote_options="permissive") if batches else pa.table({})
        for name in plan.keys:
            if table.num_rows and name not in table.column_names:
                raise InputError(f"gathered input {plan.name!r} has no key column {name!r}",
                                 path=str(self._join_files[plan.name][0]))
        columns = tuple(c for c in table.column_names if c not in BOOKKEEPING_COLUMNS)
        self._observed[f"gather:{plan.name}"] = set(columns)
        fate = pa.nulls(table.num_rows, pa.string())
        readable = pa.repeat(scalar(True), table.num_rows)
        if SOURCE_ERROR in table.column_names:
            readable = pc.is_null(table.column(SOURCE_ERROR).combine_chunks())
            fate = pc.if_else(readable, fate, scalar("unreadable"))
        return _LoadedGather(plan, table, columns, readable, fate, pa.nulls(table.num_rows, pa.string()))

    @staticmethod
    def _apply_file_gathers(table: pa.Table, record_type: str, loaded: list[_LoadedGather]
                            ) -> tuple[pa.Table, list[tuple[_LoadedGather, pa.Array, pa.Array]]]:
        """Attach the file-gathered children to this batch's rows; touches no shared state."""
        attached = []
        for gather in loaded:
            if gather.plan.into != record_type:
                continue
            children = gather.table.filter(gather.readable)
            positions = pc.filter(arange(gather.table.num_rows), gather.readable)
            out = gather_children(table, children, gather.plan, gather.columns, f"row of {gather.plan.name!r}")
            table = out.table
            where = pc.index_in(arange(gather.table.num_rows), value_set=positions)
            attached.append((gather, pc.take(out.child_parent, where), pc.take(out.child_problem, where)))
        return table, attached

    def _finish_file_gather(self, loaded: _LoadedGather) -> BatchOutput:
        plan = loaded.plan
        label = f"gather:{plan.name}"
        counts = self.reconciliation.record_types.setdefault(label, RecordTypeCounts())
        n = loaded.table.num_rows
        counts.rows_in += n
        fate = loaded.fate
        problems: list[tuple[pa.Array, pa.Array]] = []
        rows = arange(n)
        unreadable = pc.fill_null(pc.equal(fate, scalar("unreadable")), scalar(False))
        if pc.any(unreadable).as_py():
            problems.append((pc.filter(rows, unreadable),
                             pc.filter(loaded.table.column(SOURCE_ERROR).combine_chunks(), unreadable)))
        rejected_with_parent = pc.fill_null(pc.equal(fate, scalar("rejected")), scalar(False))
        if pc.any(rejected_with_parent).as_py():
            texts = pc.binary_join_element_wise(scalar("its parent row was rejected ("), loaded.parent_where,
                                                scalar(")"), scalar(""))
            problems.append((pc.filter(rows, rejected_with_parent), pc.filter(texts, rejected_with_parent)))
        overflow = pc.fill_null(pc.equal(fate, scalar("overflow")), scalar(False))
        if pc.any(overflow).as_py():
            problems.append((pc.filter(rows, overflow), pc.filter(loaded.parent_where, overflow)))
        orphan = pc.is_null(fate)
        n_orphans = int(pc.sum(orphan).as_py() or 0)
        keys = _key_of(loaded.table, plan.keys) if n else pa.array([], pa.string())
        if plan.orphans == "reject" and n_orphans:
            texts = pc.binary_join_element_wise(
                scalar(f"no row of record type {plan.into!r} with {'+'.join(plan.keys)} = '"),
                pc.fill_null(pc.replace_substring(keys, "\x1f", "+"), scalar("<blank>")), scalar("'"), scalar(""))
            problems.append((pc.filter(rows, orphan), pc.filter(texts, orphan)))
        elif n_orphans:
            counts.not_mapped += n_orphans
            self.reconciliation.not_mapped[label] = (
                f"rows of {plan.name!r} whose {'+'.join(plan.keys)} matches no row of the main input")
        rejected_rows = pc.unique(pa.concat_arrays([r for r, _ in problems])) if problems else pa.array(
            [], pa.int64())
        rejects = self._reject_table(loaded.table, label, problems, rejected_rows) if n else \
            REJECT_SCHEMA.empty_table()
        is_instruction = pc.fill_null(pc.starts_with(fate, "instruction:"), scalar(False)) if n else pa.array(
            [], pa.bool_())
        kinds = pc.utf8_slice_codeunits(fate, len("instruction:")) if n else pa.array([], pa.string())
        instructions = self._instruction_table(loaded.table, label, kinds, is_instruction) if n else \
            INSTRUCTION_SCHEMA.empty_table()
        counts.rejected += rejects.num_rows
        counts.instructions += instructions.num_rows
        counts.translated += int(pc.sum(pc.fill_null(pc.equal(fate, scalar("translated")), scalar(False))).as_py() or 0)
        if n and SOURCE_FILE in loaded.table.column_names:
            rejected = pc.is_in(rows, value_set=rejected_rows)
            outcome = pc.if_else(rejected, scalar("rejected"), pc.if_else(
                is_instruction, scalar("instructions"), pc.if_else(
                    pc.fill_null(pc.equal(fate, scalar("translated")), scalar(False)), scalar("translated"),
                    pc.if_else(orphan, scalar("not_mapped"), scalar(None, pa.string())))))
            known = pc.is_valid(outcome)
            self._tally(pc.filter(one_array(loaded.table.column(SOURCE_FILE)), known), pc.filter(outcome, known))
        self.reconciliation.gathers[plan.name] = {
            "rows_in": n, "attached": n - n_orphans - int(pc.sum(unreadable).as_py() or 0)
            - int(pc.sum(overflow).as_py() or 0),
            "unmatched": n_orphans}
        for kind in instructions.column("kind").to_pylist():
            self.reconciliation.instruction_kinds[kind] += 1
        return BatchOutput({}, rejects, instructions)

    def _process_held(self, held: dict[str, list[pa.Table]], gathers: list[GatherPlan],
                      joins: list[_LoadedJoin], file_gathers: list[_LoadedGather]) -> Iterator[BatchOutput]:
        """Gather the held child rows into their parents, translate the parents, then settle the children."""
        def table_of(record_type: str) -> pa.Table:
            tables = held.get(record_type, [])
            return pa.concat_tables(tables, promote_options="permissive") if tables else pa.table(
                {SOURCE_FILE: pa.array([], pa.string()), SOURCE_LINE: pa.array([], pa.int64())})

        for parent_type in dict.fromkeys(g.into for g in gathers):
            parents = table_of(parent_type)
            settled: list[tuple[GatherPlan, pa.Table, pa.Array, pa.Array]] = []
            for gather in (g for g in gathers if g.into == parent_type):
                children = table_of(gather.record_type or "")
                columns = tuple(c for c in children.column_names if c not in BOOKKEEPING_COLUMNS)
                self._observed.setdefault(gather.record_type or "", set()).update(columns)
                readable = pa.repeat(scalar(True), children.num_rows)
                if SOURCE_ERROR in children.column_names:
                    readable = pc.is_null(children.column(SOURCE_ERROR).combine_chunks())
                out = gather_children(parents, children.filter(readable), gather, columns,
                                      f"record of type {gather.record_type!r}")
                parents = out.table
                positions = pc.filter(arange(children.num_rows), readable)
                where = pc.index_in(arange(children.num_rows), value_set=positions)
                settled.append((gather, children, pc.take(out.child_parent, where),
                                pc.take(out.child_problem, where)))
            fates: list[pa.Array] = []
            # A record type that ranks its rows is translated in one piece (a group may be anywhere).
            step = max(parents.num_rows, 1) if parent_type in self.program.ranked_record_types else 65_536
            for offset in range(0, parents.num_rows, step):
                partial = self._evaluate(SourceBatch(parent_type, parents.slice(offset, step)), joins, file_gathers)
                fates.append(partial.fate)
                yield self._settle(partial)
            parent_fate = pa.concat_arrays(fates) if fates else pa.array([], pa.string())
            parent_where = pc.binary_join_element_wise(
                as_text(parents.column(SOURCE_FILE)), scalar(" line "), as_text(parents.column(SOURCE_LINE)),
                "") if parents.num_rows else pa.array([], pa.string())
            if isinstance(parent_where, pa.ChunkedArray):
                parent_where = parent_where.combine_chunks()
            for gather, children, parent_of, problem in settled:
                yield self._settle_children(gather, children, parent_of, problem, parent_fate, parent_where)

    def _settle_children(self, gather: GatherPlan, children: pa.Table, parent_of: pa.Array, problem: pa.Array,
                         parent_fate: pa.Array, parent_where: pa.Array) -> BatchOutput:
        record_type = gather.record_type or ""
        counts = self.reconciliation.record_types.setdefault(record_type, RecordTypeCounts())
        n = children.num_rows
        counts.rows_in += n
        rows = arange(n)
        problems: list[tuple[pa.Array, pa.Array]] = []
        self._count_source_warnings(self._source_warnings_of(children))
        if SOURCE_ERROR in children.column_names:
            errors = children.column(SOURCE_ERROR).combine_chunks()
            problems.append((pc.filter(rows, pc.is_valid(errors)), pc.drop_null(errors)))
        unattached = pc.and_(pc.is_null(parent_of), pc.is_valid(problem))
        if pc.any(unattached).as_py():
            problems.append((pc.filter(rows, unattached), pc.filter(problem, unattached)))
        fate = pc.take(parent_fate, parent_of) if n else pa.array([], pa.string())
        with_rejected = pc.fill_null(pc.equal(fate, scalar("rejected")), scalar(False))
        if pc.any(with_rejected).as_py():
            texts = pc.binary_join_element_wise(scalar("its parent record was rejected ("),
                                                pc.take(parent_where, parent_of), scalar(")"), scalar(""))
            problems.append((pc.filter(rows, with_rejected), pc.filter(texts, with_rejected)))
        rejected_rows = pc.unique(pa.concat_arrays([r for r, _ in problems])) if problems else pa.array(
            [], pa.int64())
        rejects = self._reject_table(children, record_type, problems, rejected_rows)
        is_instruction = pc.fill_null(pc.starts_with(fate, "instruction:"), scalar(False))
        kinds = pc.utf8_slice_codeunits(fate, len("instruction:"))
        instructions = self._instruction_table(children, record_type, kinds, is_instruction)
        counts.rejected += rejects.num_rows
        counts.instructions += instructions.num_rows
        counts.translated += n - rejects.num_rows - instructions.num_rows
        if n and SOURCE_FILE in children.column_names:
            rejected = pc.is_in(rows, value_set=rejected_rows)
            outcome = pc.if_else(rejected, scalar("rejected"),
                                 pc.if_else(is_instruction, scalar("instructions"), scalar("translated")))
            self._tally(children.column(SOURCE_FILE), outcome)
        for kind in instructions.column("kind").to_pylist():
            self.reconciliation.instruction_kinds[kind] += 1
        return BatchOutput({}, rejects, instructions)

    @staticmethod
    def _source_warnings_of(table: pa.Table) -> list[tuple[str, str | None, int | None]]:
        """The reader warnings (``_source_warning``) of a batch, with file and line."""
        if SOURCE_WARNING not in table.column_names:
            return []
        warned = pc.is_valid(table.column(SOURCE_WARNING))
        if not pc.any(warned).as_py():
            return []
        picked = table.filter(warned)
        texts = picked.column(SOURCE_WARNING).to_pylist()
        files = picked.column(SOURCE_FILE).to_pylist() if SOURCE_FILE in picked.column_names else [None] * len(texts)
        lines = picked.column(SOURCE_LINE).to_pylist() if SOURCE_LINE in picked.column_names else [None] * len(texts)
        return list(zip(texts, files, lines))

    def _count_source_warnings(self, warnings: list[tuple[str, str | None, int | None]]) -> None:
        """Reader warnings: the first ones listed with file and line, then counted by message."""
        for text, file, line in warnings:
            if self._warnings_listed < _LISTED_WARNINGS:
                self._warnings_listed += 1
                self.reconciliation.warnings[f"{Path(file).name if file else '?'}, line {line}: {text}"] += 1
            else:
                self.reconciliation.warnings[f"source: {text}"] += 1

    # -- one batch ---------------------------------------------------------------------------------
    def _evaluate(self, batch: SourceBatch, joins: list[_LoadedJoin],
                  file_gathers: list[_LoadedGather] | None = None) -> _Partial:
        """Translate one batch; touches no shared state, so batches can run in parallel."""
        source = batch.table
        record_type = batch.record_type
        n = source.num_rows
        problems: list[tuple[pa.Array, pa.Array]] = []
        warnings: Counter[str] = Counter()
        unmapped: dict[str, Counter[str]] = {}
        matched: dict[str, pa.Array] = {}
        table, attached = self._apply_file_gathers(source, record_type, file_gathers or [])
        rows_all = arange(n)
        base_ctx = EvalContext(table, rows_all, record_type, problems, unmapped, warnings)
        for join in joins:
            table, matched[join.plan.name] = self._apply_join(table, join, base_ctx)
        base_ctx = EvalContext(table, rows_all, record_type, problems, unmapped, warnings)

        unreadable = pa.repeat(scalar(False), n)
        if SOURCE_ERROR in table.column_names:
            errors = one_array(table.column(SOURCE_ERROR))
            unreadable = pc.is_valid(errors)
            base_ctx.problem(unreadable, errors)

        kinds = pa.nulls(n, pa.string())
        also_translate = pa.repeat(scalar(False), n)
        for instruction in self.program.instructions:
            if instruction.record_type is not None and instruction.record_type != record_type:
                continue
            mask = instruction.when.mask(base_ctx) if instruction.when else pa.repeat(scalar(True), n)
            claim = pc.and_(pc.fill_null(mask, scalar(False)), pc.is_null(kinds))
            kinds = pc.if_else(claim, scalar(instruction.kind), kinds)
            if instruction.translate:
                also_translate = pc.or_(also_translate, claim)
        reported = pc.and_(pc.is_valid(kinds), pc.invert(unreadable))
        is_instruction = pc.and_(reported, pc.invert(also_translate))
        # A record type with no canonical entity: its readable rows are counted, not rejected.
        skipped = pa.repeat(scalar(False), n)
        if any(m.record_type == record_type for m in self.program.not_mapped):
            skipped = pc.invert(pc.or_(is_instruction, unreadable))
        active = pc.invert(pc.or_(pc.or_(is_instruction, unreadable), skipped))
        active_rows = pc.filter(rows_all, active)

        outputs: list[tuple[EntityPlan, pa.Table, pa.Array]] = []
        # Entities that read every active row share their evaluated sub-expressions.
        shared_memo: dict[object, object] = {}
        for plan in self.program.entities:
            if plan.record_type != record_type:
                continue
            out, rows = self._run_entity(plan, table, active_rows, record_type, problems, unmapped, warnings,
                                         shared_memo)
            outputs.append((plan, out, rows))

        produced = np.zeros(n, dtype=bool)  # rows are batch positions: mark them, no hashing
        for _, _, rows in outputs:
            if len(rows):
                produced[rows.to_numpy(zero_copy_only=False)] = True
        produced = pa.array(produced)
        reason = (f"no [[entity]] block produced a record from this row (record type {record_type!r})"
                  if any(p.record_type == record_type for p in self.program.entities)
                  else f"the spec maps no record type {record_type!r} and no instruction claims the row")
        base_ctx.problem(pc.and_(active, pc.invert(produced)), reason)

        version = self.program.schema_version
        for plan, out, rows in outputs:
            for positions, texts in field_problems(plan.entity_type, version, out, plan.mapped_fields,
                                                   self._proven[id(plan)]):
                problems.append((pc.take(rows, positions), self._prefixed(plan, texts)))
            if self.translator.validate is not None and out.num_rows:
                verdict = self.translator.validate(plan.entity_type, out)
                if verdict is not None:
                    if isinstance(verdict, pa.ChunkedArray):
                        verdict = verdict.combine_chunks()
                    bad = pc.is_valid(verdict)
                    problems.append((pc.filter(rows, bad), self._prefixed(plan, pc.filter(verdict, bad))))

        rejected_rows = (pc.unique(pa.concat_arrays([r for r, _ in problems])) if problems
                         else pa.array([], pa.int64()))
        kept: list[tuple[EntityPlan, pa.Table, pa.Array]] = []
        for plan, out, rows in outputs:
            if len(rejected_rows):
                keep = pc.invert(pc.is_in(rows, value_set=rejected_rows))
                out, rows = out.filter(keep), pc.filter(rows, keep)
            kept.append((plan, out.cast(plan.schema), rows))  # nothing rejected: no copy of the table
        rejected = pc.is_in(rows_all, value_set=rejected_rows)
        # A replacement that failed is a reject, not a replacement: only listed when translated.
        listed = pc.and_(reported, pc.invert(rejected))
        fate = pc.if_else(rejected, scalar("rejected"),
                          pc.if_else(is_instruction, pc.binary_join_element_wise(scalar("instruction:"), kinds, scalar("")),
                                     pc.if_else(skipped, scalar("not_mapped"), scalar("translated"))))
        where = None
        if attached:
            where = pc.binary_join_element_wise(
                as_text(one_array(source.column(SOURCE_FILE))), scalar(" line "),
                as_text(one_array(source.column(SOURCE_LINE))), scalar(""))
        return _Partial(
            record_type=record_type, n=n, schema=source.schema, outputs=kept,
            rejects=self._reject_table(source, record_type, problems, rejected_rows),
            instructions=self._instruction_table(source, record_type, kinds, listed),
            unmapped=unmapped, warnings=warnings, join_matched=matched, fate=fate,
            n_instructions=int(pc.sum(is_instruction).as_py() or 0), n_not_mapped=int(pc.sum(skipped).as_py() or 0),
            attached=attached, where=where, source_warnings=self._source_warnings_of(source),
            files=one_array(source.column(SOURCE_FILE)) if SOURCE_FILE in source.column_names else None,
            lines=one_array(source.column(SOURCE_LINE)) if SOURCE_LINE in source.column_names else None,
        )

    def _settle(self, partial: _Partial) -> BatchOutput:
        """Fold one evaluated batch into the run (in input order): dedupe, counts, reports."""
        rec = self.reconciliation
        counts = rec.record_types.setdefault(partial.record_type, RecordTypeCounts())
        observed = self._observed.setdefault(partial.record_type, set())
        gathered = tuple(f"{g.name}." for g in self.program.gathers if g.into == partial.record_type)
        for field in partial.schema:
            if field.name in BOOKKEEPING_COLUMNS or (gathered and field.name.startswith(gathered)):
                continue
            observed.add(field.name)
            if pa.types.is_list(field.type) and pa.types.is_struct(field.type.value_type):
                observed.update(f"{field.name}.{child.name}" for child in field.type.value_type)
        for name, values in partial.unmapped.items():
            rec.unmapped_values.setdefault(name, Counter()).update(values)
        rec.warnings.update(partial.warnings)
        for name, indices in partial.join_matched.items():
            self._join_matched[name].update(indices.to_pylist())
        tables: dict[str, pa.Table] = {}
        conflicts: list[pa.Table] = []
        for plan, out, rows in partial.outputs:
            if plan.dedupe:
                out, found = self._dedupe(plan.entity_type, out, rows, partial)
                if found is not None:
                    conflicts.append(found)
            rec.records_out[plan.entity_type] += out.num_rows
            previous = tables.get(plan.entity_type)
            tables[plan.entity_type] = out if previous is None else pa.concat_tables([previous, out])
        n_instructions = partial.n_instructions
        counts.rows_in += partial.n
        counts.instructions += n_instructions
        counts.not_mapped += partial.n_not_mapped
        counts.rejected += partial.rejects.num_rows
        counts.translated += partial.n - n_instructions - partial.n_not_mapped - partial.rejects.num_rows
        for item in self.program.not_mapped:
            if item.record_type == partial.record_type and partial.n_not_mapped:
                rec.not_mapped[item.record_type] = item.reason
        for kind in partial.instructions.column("kind").to_pylist():
            rec.instruction_kinds[kind] += 1
        self._count_source_warnings(partial.source_warnings)
        self._settle_file_children(partial)
        outcome = pc.if_else(pc.starts_with(partial.fate, "instruction:"), scalar("instructions"), partial.fate)
        self._tally(partial.files, outcome)
        return BatchOutput(tables, partial.rejects, partial.instructions,
                           pa.concat_tables(conflicts) if conflicts else CONFLICT_SCHEMA.empty_table())

    @staticmethod
    def _settle_file_children(partial: _Partial) -> None:
        """Record what became of the file-gathered children attached in this batch (in input order)."""
        for gather, parent_of, problem in partial.attached:
            # A child beyond `max` for its parent is rejected, whatever the orphan policy.
            overflow = pc.and_(pc.and_(pc.is_null(parent_of), pc.is_null(gather.fate)),
                               pc.fill_null(pc.starts_with(problem, "more than "), scalar(False)))
            if pc.any(overflow).as_py():
                gather.fate = pc.if_else(overflow, scalar("overflow"), gather.fate)
                gather.parent_where = pc.if_else(overflow, problem, gather.parent_where)
            newly = pc.and_(pc.is_valid(parent_of), pc.is_null(gather.fate))
            if not pc.any(newly).as_py() or partial.where is None:
                continue
            gather.fate = pc.if_else(newly, pc.take(partial.fate, parent_of), gather.fate)
            gather.parent_where = pc.if_else(newly, pc.take(partial.where, parent_of), gather.parent_where)

    @staticmethod
    def _prefixed(plan: EntityPlan, texts: pa.Array) -> pa.Array:
        return pc.binary_join_element_wise(scalar(f"{plan.entity_type}."), texts, scalar(""))

    @staticmethod
    def _apply_join(table: pa.Table, join: _LoadedJoin, ctx: EvalContext) -> tuple[pa.Table, pa.Array]:
        keys = _key_of(table, join.plan.on, join.plan.ignore_case)
        index = pc.index_in(keys, value_set=join.keys)
        matched = pc.unique(pc.drop_null(index))
        if join.plan.required:
            missing = pc.is_null(index)
            text = pc.binary_join_element_wise(
                scalar(f"no row in joined input {join.plan.name!r} with {'+'.join(join.plan.on)} = '"),
                pc.fill_null(pc.replace_substring(keys, "\x1f", "+"), scalar("<blank>")), scalar("'"), scalar(""))
            ctx.problem(missing, text)
        taken = join.table.take(index)
        for name in taken.column_names:
            table = table.append_column(name, taken.column(name))
        return table, matched

    def _run_entity(self, plan: EntityPlan, table: pa.Table, active_rows: pa.Array, record_type: str,
                    problems: list[tuple[pa.Array, pa.Array]], unmapped: dict[str, Counter[str]],
                    warnings: Counter[str], shared_memo: dict[object, object] | None = None
                    ) -> tuple[pa.Table, pa.Array]:
        base = table if len(active_rows) == table.num_rows else table.take(active_rows)
        rows = active_rows
        if plan.when is not None:
            mask = plan.when.mask(EvalContext(base, rows, record_type, problems, unmapped, warnings))
            base, rows = base.filter(mask), pc.filter(rows, mask)
        item_index = None
        if plan.array is not None:
            base, rows, item_index = explode(base, rows, plan.array)
        pieces: list[tuple[pa.Table, pa.Array, int]] = []
        for order, body in enumerate(plan.bodies):
            sub, sub_rows, sub_index = base, rows, item_index
            if body.present:
                probe = EvalContext(sub, sub_rows, record_type, problems, unmapped, warnings)
                keep = pa.repeat(scalar(False), sub.num_rows)
                for name in body.present:
                    keep = pc.or_(keep, pc.is_valid(Column(name).evaluate(probe).array))
                sub, sub_rows = sub.filter(keep), pc.filter(sub_rows, keep)
                if sub_index is not None:
                    sub_index = pc.filter(sub_index, keep)
            if body.item_index is not None:
                sub_index = pa.repeat(scalar(body.item_index, pa.int64()), sub.num_rows)
            plain = plan.when is None and plan.array is None and not body.present and body.item_index is None
            ctx = EvalContext(sub, sub_rows, record_type, problems, unmapped, warnings, sub_index,
                              memo=shared_memo if plain else None)  # type: ignore[arg-type]
            pieces.append((self._canonical(plan, body, ctx), sub_rows, order))
        if len(pieces) == 1:
            return pieces[0][0], pieces[0][1]
        out = pa.concat_tables([p[0] for p in pieces])
        rows = pa.concat_arrays([p[1] for p in pieces])
        order = pa.concat_arrays([pa.repeat(scalar(o, pa.int64()), len(r)) for _, r, o in pieces])
        sort = pc.sort_indices(pa.table({"r": rows, "o": order}), sort_keys=[("r", "ascending"), ("o", "ascending")])
        return out.take(sort), pc.take(rows, sort)

    def _canonical(self, plan: EntityPlan, body: EntityBody, ctx: EvalContext) -> pa.Table:
        n = ctx.n
        children = body.fields.build_children(ctx)
        ident = ctx.eval(body.id)
        record_key = ctx.eval(body.source_key) if body.source_key is not None else None
        key_array = coerce(record_key, pa.string(), ctx, f"{plan.entity_type}.source.record_key") \
            if record_key is not None else as_text(ident.raw if ident.raw is not None else ident.array)
        source_type = relaxed(plan.schema.field("source").type)
        ori = coerce(ctx.eval(body.agency_ori), pa.string(), ctx, f"{plan.entity_type}.source.agency_ori")
        source = pa.StructArray.from_arrays(
            [ori, pa.repeat(scalar(self.program.system), n), key_array,
             pa.repeat(scalar(self.translator.extracted_at, source_type.field("extracted_at").type), n)],
            fields=list(source_type),
        )
        arrays = []
        for field in plan.schema:
            if field.name == "entity_type":
                arrays.append(pa.repeat(scalar(plan.entity_type), n))
            elif field.name == "schema_version":
                arrays.append(pa.repeat(scalar(self.program.schema_version), n))
            elif field.name == "id":
                arrays.append(coerce(ident, pa.string(), ctx, f"{plan.entity_type}.id"))
            elif field.name == "source":
                arrays.append(source)
            else:
                arrays.append(children[field.name])
        return pa.Table.from_arrays(arrays, schema=plan.relaxed_schema)

    def _dedupe(self, entity: str, table: pa.Table, rows: pa.Array, partial: _Partial
                ) -> tuple[pa.Table, pa.Table | None]:
        """Drop records whose id an earlier record (this batch or before) already had; report what they lose.

        The ids seen so far are held by a
        :class:`~justice_schema.validation.duplicates.DuplicateTracker`: compact
        Arrow text (no Python object per id), probed by id range when the export
        is ordered by id and through a hash index otherwise. The kept records are
        held too (the compared columns of the output tables, not copies), so that
        a dropped duplicate whose value differs from the kept record's (or fills
        a value the kept record lacks) is reported as a conflict
        (:data:`~justice_schema.translation.result.CONFLICT_SCHEMA`), never lost
        silently. Values are compared in their own types; nested fields part by
        part, list fields entry by entry.
        """
        if table.num_rows == 0:
            return table, None
        tracker = self._seen.setdefault(entity, DuplicateTracker())
        ids = one_array(table.column("id"))
        repeated = tracker.duplicates(ids)
        compared = [f.name for f in table.schema if f.name not in _NOT_COMPARED]
        store = self._kept.setdefault(entity, _KeptRecords())
        if not repeated.true_count:
            store.add(ids, table.select(compared))
            self.reconciliation.duplicates_merged[entity] += 0  # 0 is reported too
            return table, None
        keep = pc.invert(repeated)
        out = table.filter(keep)
        store.add(pc.filter(ids, keep), out.select(compared))
        self.reconciliation.duplicates_merged[entity] += table.num_rows - out.num_rows
        if not compared:
            return out, None
        others = table.filter(repeated).select(compared)
        other_ids = pc.filter(ids, repeated)
        # Most duplicates repeat a record of the same batch (a person on each of their charge rows):
        # look those up in this batch's kept records, and only the rest among the earlier batches'.
        kept_ids = pc.filter(ids, keep)
        here = pc.index_in(other_ids, value_set=kept_ids)
        if here.null_count == 0:
            first = out.select(compared).take(here)
        else:
            first = store.find(other_ids)
        dup_rows = pc.filter(rows, repeated)
        pieces = []
        counter = self.reconciliation.dedupe_conflicts
        for name in compared:
            for leaf, mine, theirs, lost in _conflicts(name, one_array(others.column(name)),
                                                       one_array(first.column(name))):
                n = int(pc.sum(lost).as_py() or 0)
                if not n:
                    continue
                counter.setdefault(entity, Counter())[leaf] += n
                at = pc.filter(dup_rows, lost)
                pieces.append(pa.table({
                    "entity": pa.repeat(scalar(entity), n),
                    "id": pc.filter(other_ids, lost),
                    "field": pa.repeat(scalar(leaf), n),
                    "kept_value": _value_text(pc.filter(theirs, lost)),
                    "other_value": _value_text(pc.filter(mine, lost)),
                    "source_file": pc.take(as_text(partial.files), at) if partial.files is not None else pa.nulls(
                        n, pa.string()),
                    "source_line": pc.cast(pc.take(partial.lines, at), pa.int64()) if partial.lines is not None
                    else pa.nulls(n, pa.int64()),
                }, schema=CONFLICT_SCHEMA))
        if not pieces:
            return out, None
        found = pa.concat_tables(pieces)
        # By source line, then field in schema order (the sort is stable; the pieces are in field order).
        return out, found.take(pc.sort_indices(found, sort_keys=[("source_line", "ascending")]))

    @staticmethod
    def _raw_rows(source: pa.Table, positions: pa.Array) -> list[str]:
        picked = source.take(positions)
        data = [c for c in picked.column_names if c not in BOOKKEEPING_COLUMNS]
        texts = picked.column(SOURCE_TEXT).to_pylist() if SOURCE_TEXT in picked.column_names else [None] * len(
            positions)
        rows = picked.select(data).to_pylist()
        out = []
        for row, text in zip(rows, texts):
            if text is not None:
                out.append(text)
            else:
                out.append(json.dumps({k: (v if not hasattr(v, "isoformat") else v.isoformat())
                                       for k, v in row.items()}, ensure_ascii=False, default=str))
        return out

    def _reject_table(self, source: pa.Table, record_type: str, problems: list[tuple[pa.Array, pa.Array]],
                      rejected_rows: pa.Array) -> pa.Table:
        if len(rejected_rows) == 0:
            return REJECT_SCHEMA.empty_table()
        # Each reason once per row, in a stable (sorted) order whatever the batching.
        pairs = pa.table({"row": pa.concat_arrays([r for r, _ in problems]),
                          "text": pa.concat_arrays([as_text(t) for _, t in problems])})
        pairs = pairs.group_by(["row", "text"], use_threads=False).aggregate([]).sort_by(
            [("row", "ascending"), ("text", "ascending")])
        grouped = pairs.group_by("row", use_threads=False).aggregate([("text", "list")])
        positions = grouped.column("row").combine_chunks()
        picked = source.take(positions)
        return pa.table({
            "source_file": picked.column(SOURCE_FILE),
            "source_line": picked.column(SOURCE_LINE),
            "record_type": pa.repeat(scalar(record_type), len(positions)),
            "reasons": grouped.column("text_list"),
            "raw": pa.array(self._raw_rows(source, positions), pa.string()),
        }, schema=REJECT_SCHEMA)

    def _instruction_table(self, source: pa.Table, record_type: str, kinds: pa.Array,
                           is_instruction: pa.Array) -> pa.Table:
        if not pc.any(is_instruction).as_py():
            return INSTRUCTION_SCHEMA.empty_table()
        positions = pc.filter(arange(source.num_rows), is_instruction)
        picked = source.take(positions)
        return pa.table({
            "source_file": picked.column(SOURCE_FILE),
            "source_line": picked.column(SOURCE_LINE),
            "record_type": pa.repeat(scalar(record_type), len(positions)),
            "kind": pc.filter(kinds, is_instruction),
            "raw": pa.array(self._raw_rows(source, positions), pa.string()),
        }, schema=INSTRUCTION_SCHEMA)


#: Fields every record has that dedupe does not compare (the id is the key; source says where each came from).
_NOT_COMPARED = frozenset({"entity_type", "schema_version", "id", "source"})


def _lost(mine: pa.Array, theirs: pa.Array) -> pa.Array:
    """Where the dropped value ``mine`` says something the kept value ``theirs`` does not."""
    return pc.and_(pc.is_valid(mine), pc.or_(pc.is_null(theirs),
                                             pc.fill_null(pc.not_equal(mine, theirs), scalar(False))))


def _conflicts(name: str, mine: pa.Array, theirs: pa.Array
               ) -> Iterator[tuple[str, pa.Array, pa.Array, pa.Array]]:
    """(field path, dropped values, kept values, lost mask) of a column and its parts, in their own types.

    A struct is compared part by part (``address.city``). A list is compared as a
    whole (``other_identifiers``): the dropped list loses something when it has
    entries and the kept list is missing, has another number of entries, or an
    entry part differs; entries are compared in place, whole-array.
    """
    if pa.types.is_struct(mine.type):
        for i, field in enumerate(mine.type):
            a, b = mine.field(i), theirs.field(i)
            if mine.null_count:
                a = pc.if_else(pc.is_valid(mine), a, scalar(None, a.type))
            if theirs.null_count:
                b = pc.if_else(pc.is_valid(theirs), b, scalar(None, b.type))
            yield from _conflicts(f"{name}.{field.name}", a, b)
        return
    if not (pa.types.is_list(mine.type) or pa.types.is_large_list(mine.type)):
        yield name, mine, theirs, _lost(mine, theirs)
        return
    mine_n = pc.fill_null(pc.list_value_length(mine), scalar(0, pa.int32()))
    theirs_n = pc.fill_null(pc.list_value_length(theirs), scalar(0, pa.int32()))
    has = pc.greater(mine_n, scalar(0, pa.int32()))
    lost = pc.and_(has, pc.not_equal(mine_n, theirs_n))
    same = pc.and_(has, pc.equal(mine_n, theirs_n))
    if pc.any(same).as_py():
        positions = pc.filter(arange(len(mine)), same)
        a, b = pc.filter(mine, same), pc.filter(theirs, same)
        flat_a, flat_b = pc.list_flatten(a), pc.list_flatten(b)  # aligned: equal lengths row by row
        differs = np.zeros(len(flat_a), dtype=bool)
        for _, _x, _, entry_lost in _conflicts(name, flat_a, flat_b):
            differs |= np.asarray(entry_lost.to_numpy(zero_copy_only=False), dtype=bool)
        if differs.any():
            parents = np.asarray(pc.list_parent_indices(a).to_numpy(zero_copy_only=False))
            rows = np.unique(parents[differs])
            marked = np.zeros(len(mine), dtype=bool)
            marked[np.asarray(positions.to_numpy(zero_copy_only=False))[rows]] = True
            lost = pc.or_(lost, pa.array(marked))
    yield name, mine, theirs, lost


def _value_text(values: pa.Array) -> pa.Array:
    """Conflicting values as text, whole-array: scalars as Arrow writes them, a struct as
    ``name=value; ...`` (null parts left out), a list as its entries' texts joined with `` | ``."""
    if pa.types.is_struct(values.type):
        parts = [pc.binary_join_element_wise(scalar(f"{field.name}="), _value_text(values.field(i)), scalar(""))
                 for i, field in enumerate(values.type)]
        text = join_skipping_nulls(parts, "; ") if parts else pa.nulls(len(values), pa.string())
        return pc.if_else(pc.is_valid(values), text, scalar(None, pa.string()))
    if pa.types.is_list(values.type) or pa.types.is_large_list(values.type):
        entries = pc.fill_null(_value_text(pc.list_flatten(values)), scalar(""))
        counts = pc.fill_null(pc.list_value_length(values), scalar(0, pa.int32()))
        offsets = pa.concat_arrays([pa.array([0], pa.int32()), pc.cast(pc.cumulative_sum(counts), pa.int32())])
        lists = pa.ListArray.from_arrays(offsets, entries, mask=pc.is_null(values))
        return pc.binary_join(lists, scalar(" | "))
    return as_text(values)


class _KeptRecords:
    """The records ``dedupe`` kept of one entity (their compared columns), batch by batch, found by id.

    The tables are the output's own (no copy). Ids are found through 64-bit hashes
    of the ids kept, held as a few sorted numpy segments that merge like a binary
    counter (so adding n ids costs O(n log n) overall and a lookup O(log n)
    binary searches); a hash match is confirmed by comparing the texts.
    """

    __slots__ = ("_ids", "_tables", "_segments", "_stored")

    def __init__(self) -> None:
        self._ids: list[pa.Array] = []
        self._tables: list[pa.Table] = []
        self._segments: list[tuple[np.ndarray, np.ndarray]] = []
        self._stored = 0

    def add(self, ids: pa.Array, table: pa.Table) -> None:
        """Remember the kept records ``table`` with their ``ids`` (no id seen before)."""
        if not len(ids):
            return
        hashes = text_hashes(as_text(ids))
        order = np.argsort(hashes, kind="stable")
        self._segments.append((hashes[order], order.astype(np.int64) + self._stored))
        while len(self._segments) > 1 and len(self._segments[-2][0]) <= 2 * len(self._segments[-1][0]):
            (h2, p2), (h1, p1) = self._segments.pop(), self._segments.pop()
            merged = np.concatenate([h1, h2])
            order = np.argsort(merged, kind="stable")
            self._segments.append((merged[order], np.concatenate([p1, p2])[order]))
        self._ids.append(ids)
        self._tables.append(table)
        self._stored += len(ids)

    def find(self, ids: pa.Array) -> pa.Table:
        """The kept record of each of ``ids`` (every one of them was kept before)."""
        wanted = text_hashes(as_text(ids))
        found = np.full(len(ids), -1, dtype=np.int64)
        for hashes, positions in self._segments:
            at = np.minimum(np.searchsorted(hashes, wanted), len(hashes) - 1)
            hit = (found < 0) & (hashes[at] == wanted)
            found[hit] = positions[at[hit]]
        all_ids = pa.chunked_array(self._ids)
        confirmed = pc.fill_null(pc.equal(all_ids.take(pa.array(np.maximum(found, 0))), ids), scalar(False))
        if not pc.all(confirmed).as_py():  # a hash collision (about never): look those ids up by text
            slow = pc.index_in(ids, value_set=all_ids.combine_chunks())
            found = np.where(np.asarray(confirmed.to_numpy(zero_copy_only=False), bool), found,
                             np.asarray(pc.fill_null(slow, -1).to_numpy(zero_copy_only=False), np.int64))
        return pa.concat_tables(self._tables).take(pa.array(found))
