"""The translation engine: runs a compiled spec over streamed source batches.

Each source batch is translated with whole-array Arrow operations: joins by
key, instruction rows set aside, every ``[[entity]]`` block evaluated,
records checked against the schema's field rules by the validation engine
(:func:`~justice_schema.validation.row_problems`; with its record rules too,
by default, in the same pass), rows with any problem rejected whole with all their
reasons, and the counts reconciled. Only one batch is in memory at a time
(plus joined inputs and the ids seen, when ``dedupe`` is on).
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, as_text, one_array
from justice_schema._toolkit.scalars import scalar
from justice_schema.progress import Progress
from justice_schema.translation.assign import assign_files, read_main
from justice_schema.translation.compiler import JoinPlan, Program, compile_spec
from justice_schema.translation.dedupe import CONFLICT_SAMPLE, Deduplicator
from justice_schema.translation.evaluate import BatchEvaluator, Partial, source_warnings_of
from justice_schema.translation.file_gathers import (
    LoadedGather,
    load_file_gather,
    record_children_fate,
)
from justice_schema.translation.gather import (
    GROUP_KEY,
    Gathered,
    GatherPlan,
    distinct_rows,
    first_of_group,
    gather_children,
    group_keys,
)
from justice_schema.translation.joins import LoadedJoin, key_of, load_join
from justice_schema.translation.readahead import read_ahead
from justice_schema.translation.reasons import NO_PARENT, UNREADABLE, Reasons
from justice_schema.translation.references import LinkPlan, LinkResolver
from justice_schema.translation.rejects import instruction_table, reject_table
from justice_schema.translation.result import (
    CONFLICT_SCHEMA,
    INSTRUCTION_SCHEMA,
    REJECT_SCHEMA,
    BatchOutput,
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
    SourceBatch,
)
from justice_schema.translation.sources.presence import ColumnCheck
from justice_schema.translation.spec import Spec, load_spec
from justice_schema.validation.hooks import RECORD_RULES
from justice_schema.validation.problems import RowProblems

__all__ = ["Translator", "TranslationRun", "ValidateHook"]

#: A validation hook: ``validate(entity_type, table)`` returns one text per record
#: (the reasons it is invalid; null when valid; rejected under code JS-T06), or
#: ``None`` when all are valid, or the coded
#: :class:`~justice_schema.validation.problems.RowProblems` of the table.
ValidateHook = Callable[[str, pa.Table], "pa.Array | RowProblems | None"]


#: At most this many reader warnings are listed with their file and line; the rest are counted by message.
_LISTED_WARNINGS = 100


class Translator:
    """A compiled translator: give it input files, get canonical tables and a reconciliation.

    ``spec`` is a loaded :class:`~justice_schema.translation.spec.Spec` or the
    path of a spec file. Every record is held to the schema's field rules
    (:func:`~justice_schema.validation.row_problems`) and, by default, to the
    record rules of the catalogue too (``validate`` =
    :data:`~justice_schema.validation.hooks.RECORD_RULES`), exactly as
    ``justice-schema translate`` does, so a library caller gets the same
    rejects as the command. ``validate=None`` is the explicit opt-out (field
    rules only, the command's ``--no-validate``); a
    :func:`~justice_schema.validation.hooks.translation_hook` fixes "today" for
    the future-date rules; any other callable is a hook run on every output
    batch of every entity after the field rules: records it finds invalid are
    rejected with their source rows; it may be called from worker threads.
    The record rules are not called as a hook but checked in the same pass as
    the field rules. ``extracted_at``
    stamps ``source.extracted_at`` (default: now). ``threads`` batches are
    translated at once (default: the number of CPUs, at most 4); results are
    the same for any number. ``params`` gives the translator's parameters (the
    spec's ``[params]``, used in mappings as ``{ param = "name" }``); an unknown
    name or a missing required one raises
    :class:`~justice_schema.errors.InputError` naming it. ``conflict_sample``
    caps the dedupe conflict rows listed over a run (the first ones in input
    order, default :data:`~justice_schema.translation.dedupe.CONFLICT_SAMPLE`;
    ``None`` lists every one); all of them are counted in the reconciliation.

    >>> from justice_schema.translation import Translator, builtin_spec_path
    >>> translator = Translator(builtin_spec_path("acme_rms"))
    >>> translator.entity_types
    ('person', 'arrest', 'charge')
    """

    def __init__(self, spec: Spec | str | Path, *, validate: ValidateHook | None = RECORD_RULES,
                 extracted_at: datetime | None = None, threads: int | None = None,
                 params: Mapping[str, str] | None = None, conflict_sample: int | None = CONFLICT_SAMPLE) -> None:
        if conflict_sample is not None and conflict_sample < 0:
            raise ValueError(f"conflict_sample must be 0 or more (or None for all), not {conflict_sample}")
        self.conflict_sample = conflict_sample
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

    def stream(self, paths: Sequence[str | Path], *, progress: Progress | None = None,
               deduplicator: Deduplicator | None = None, source: Iterable[SourceBatch] | None = None) -> TranslationRun:
        """Translate ``paths`` batch by batch; iterate the returned run for :class:`BatchOutput` values.

        A folder among ``paths`` stands for the files in it (hidden files left out).
        ``source`` gives the main input's rows already read (raw text columns with ``_source_file`` and
        ``_source_line``, as the readers give them), e.g. a partition of a Spark DataFrame: ``paths``
        are then only the lookup files of joins and gathers, and the rows are held to the columns the
        spec reads, as a file's would be.
        ``deduplicator`` replaces the run's own :class:`~justice_schema.translation.dedupe.Deduplicator`
        (called on the records of every ``dedupe`` block in input order): a distributed engine that
        translates files in separate tasks passes one that only notes where each record came from,
        and dedupes later with all records of an id together (:mod:`justice_schema.spark.translation`).
        """
        return TranslationRun(self, [Path(p) for p in paths], progress, deduplicator, source)

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

    def __init__(self, translator: Translator, paths: list[Path], progress: Progress | None,
                 deduplicator: Deduplicator | None = None, source: Iterable[SourceBatch] | None = None) -> None:
        self.translator = translator
        self._source = source
        self.program = translator.program
        self.progress = progress
        self.reconciliation = Reconciliation()
        self._dedupe = deduplicator or Deduplicator(self.reconciliation, translator.conflict_sample)
        self._join_files_counted: set[str] = set()
        self.reconciliation.params = dict(self.program.params)
        self._observed: dict[str, set[str]] = {}
        self._join_matched: dict[str, set[int]] = {}
        self._warnings_listed = 0
        self._main, self._join_files = assign_files(self.program, paths, self.reconciliation,
                                                    rows_given=source is not None)
        self._join_files_counted.update(p.name for p in self._main)  # a main file that also joins: its rows count once
        self._evaluator = BatchEvaluator(self.program, translator.extracted_at, translator.validate)
        links = LinkPlan.of(self.program)
        #: A run whose records name records of other rows holds its outputs until the input is read.
        self._resolver = LinkResolver(links, self._main) if links is not None else None

    @property
    def join_rows_matched(self) -> dict[str, set[int]]:
        """Per join, the rows of its lookup table that some input row matched (so far): runs over parts of
        the input (tasks of a distributed engine) add up their matched rows as a union."""
        return self._join_matched

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

    def _load_join(self, plan: JoinPlan) -> LoadedJoin:
        loaded = load_join(self.program, plan, self._join_files[plan.name], self.reconciliation,
                           self._join_files_counted)
        self._observed[f"join:{plan.name}"] = set(loaded.columns)
        self._join_matched[plan.name] = set()
        return loaded

    def __iter__(self) -> Iterator[BatchOutput]:
        if self._resolver is None:
            yield from self._outputs()
            return
        for output in self._outputs():
            if not self._resolver.holds(output):
                self._resolver.hold(output)
        yield from self._resolver.resolve(self.reconciliation)

    def _outputs(self) -> Iterator[BatchOutput]:
        # A join or gather left without files serves no record type given (see assign_files).
        joins = [self._load_join(plan) for plan in self.program.joins if self._join_files[plan.name]]
        file_gathers = [self._load_gather(plan) for plan in self.program.gathers
                        if plan.files and self._join_files[plan.name]]
        record_gathers = [plan for plan in self.program.gathers if plan.record_type is not None]
        # Parents and children of record-type gathers are held until the input is read (a child
        # may come in any batch), and so are the rows of record types that rank (a group may span
        # batches); every other record type streams.
        ranked = self.program.ranked_record_types
        held_types = {g.record_type for g in record_gathers} | {g.into for g in record_gathers} | set(ranked)
        held: dict[str, list[pa.Table]] = {}
        batches = (read_main(self.program, self._main) if self._source is None
                   else ColumnCheck.for_program(self.program).checked(self._source))

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
                yield self._settle(self._evaluator.evaluate(batch, joins, file_gathers))
                if self.progress is not None:
                    self.progress.advance(rows=batch.table.num_rows)
        else:
            # Batches are evaluated in worker threads (Arrow compute releases the GIL) and
            # settled in input order, so ids, dedupe and counts do not depend on timing.
            with ThreadPoolExecutor(max_workers=workers) as pool:
                pending: deque[Future[Partial]] = deque()
                for batch in read_ahead(streamed(), depth=workers):
                    pending.append(pool.submit(self._evaluator.evaluate, batch, joins, file_gathers))
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
                yield self._settle(self._evaluator.evaluate(SourceBatch(record_type, whole), joins, file_gathers))
        for loaded in file_gathers:
            yield self._finish_file_gather(loaded)
        self._finish()

    def _settle_future(self, future: Future[Partial]) -> BatchOutput:
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
    def _load_gather(self, plan: GatherPlan) -> LoadedGather:
        loaded = load_file_gather(self.program, plan, self._join_files[plan.name])
        self._observed[f"gather:{plan.name}"] = set(loaded.columns)
        return loaded

    def _finish_file_gather(self, loaded: LoadedGather) -> BatchOutput:
        plan = loaded.plan
        label = f"gather:{plan.name}"
        counts = self.reconciliation.record_types.setdefault(label, RecordTypeCounts())
        n = loaded.table.num_rows
        counts.rows_in += n
        fate = loaded.fate
        problems: list[Reasons] = []
        rows = arange(n)
        unreadable = pc.fill_null(pc.equal(fate, scalar("unreadable")), scalar(False))
        if pc.any(unreadable).as_py():
            problems.append(Reasons(pc.filter(rows, unreadable),
                                    pc.filter(loaded.table.column(SOURCE_ERROR).combine_chunks(), unreadable), UNREADABLE))
        rejected_with_parent = pc.fill_null(pc.equal(fate, scalar("rejected")), scalar(False))
        if pc.any(rejected_with_parent).as_py():
            texts = pc.binary_join_element_wise(scalar("its parent row was rejected ("), loaded.parent_where,
                                                scalar(")"), scalar(""))
            problems.append(Reasons(pc.filter(rows, rejected_with_parent), pc.filter(texts, rejected_with_parent),
                                    NO_PARENT))
        overflow = pc.fill_null(pc.equal(fate, scalar("overflow")), scalar(False))
        if pc.any(overflow).as_py():
            problems.append(Reasons(pc.filter(rows, overflow), pc.filter(loaded.parent_where, overflow), NO_PARENT))
        orphan = pc.is_null(fate)
        n_orphans = int(pc.sum(orphan).as_py() or 0)
        keys = key_of(loaded.table, plan.keys) if n else pa.array([], pa.string())
        if plan.orphans == "reject" and n_orphans:
            texts = pc.binary_join_element_wise(
                scalar(f"no row of record type {plan.into!r} with {'+'.join(plan.keys)} = '"),
                pc.fill_null(pc.replace_substring(keys, "\x1f", "+"), scalar("<blank>")), scalar("'"), scalar(""))
            problems.append(Reasons(pc.filter(rows, orphan), pc.filter(texts, orphan), NO_PARENT))
        elif n_orphans:
            counts.not_mapped += n_orphans
            self.reconciliation.not_mapped[label] = (
                f"rows of {plan.name!r} whose {'+'.join(plan.keys)} matches no row of the main input")
        rejected_rows = pc.unique(pa.concat_arrays([p.rows for p in problems])) if problems else pa.array(
            [], pa.int64())
        rejects = reject_table(loaded.table, label, problems, rejected_rows) if n else \
            REJECT_SCHEMA.empty_table()
        is_instruction = pc.fill_null(pc.starts_with(fate, "instruction:"), scalar(False)) if n else pa.array(
            [], pa.bool_())
        kinds = pc.utf8_slice_codeunits(fate, len("instruction:")) if n else pa.array([], pa.string())
        instructions = instruction_table(loaded.table, label, kinds, is_instruction) if n else \
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
                      joins: list[LoadedJoin], file_gathers: list[LoadedGather]) -> Iterator[BatchOutput]:
        """Gather the held child rows into their parents, translate the parents, then settle the children."""
        def table_of(record_type: str) -> pa.Table:
            tables = held.get(record_type, [])
            return pa.concat_tables(tables, promote_options="permissive") if tables else pa.table(
                {SOURCE_FILE: pa.array([], pa.string()), SOURCE_LINE: pa.array([], pa.int64())})

        for parent_type in dict.fromkeys(g.into for g in gathers):
            parents = table_of(parent_type)
            settled: list[tuple[GatherPlan, pa.Table, pa.Array, pa.Array]] = []
            groups = [g for g in gathers if g.into == parent_type and g.attach == "group"]
            group = _Group.of(parents, groups[0].on) if groups else None
            if group is not None:
                parents = group.parents
            for gather in (g for g in gathers if g.into == parent_type):
                if group is not None and gather.attach == "group":
                    parents = self._gather_group(group, gather, parents)
                    continue
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
            base = self._resolver.next_row if self._resolver is not None else 0
            # A record type that ranks its rows is translated in one piece (a group may be anywhere).
            step = max(parents.num_rows, 1) if parent_type in self.program.ranked_record_types else 65_536
            for offset in range(0, parents.num_rows, step):
                partial = self._evaluator.evaluate(SourceBatch(parent_type, parents.slice(offset, step)), joins, file_gathers)
                fates.append(partial.fate)
                yield self._settle(partial)
            parent_fate = pa.concat_arrays(fates) if fates else pa.array([], pa.string())
            # The file's name, not the path it was given by: a reject reads the same on every machine.
            parent_where = pc.binary_join_element_wise(
                pc.replace_substring_regex(as_text(parents.column(SOURCE_FILE)), r"^.*[/\\]", ""),
                scalar(" line "), as_text(parents.column(SOURCE_LINE)),
                "") if parents.num_rows else pa.array([], pa.string())
            if isinstance(parent_where, pa.ChunkedArray):
                parent_where = parent_where.combine_chunks()
            # The parents were held as consecutive global rows from ``base`` (see LinkResolver.hold_batch).
            held_from = base if self._resolver is not None and self._resolver.next_row - base == parents.num_rows \
                else None
            for gather, children, parent_of, problem in settled:
                yield self._settle_children(gather, children, parent_of, problem, parent_fate, parent_where, held_from)
            if group is not None:
                rest = group.rest()
                yield self._settle_children(groups[0], rest.table, rest.child_parent, rest.child_problem, parent_fate,
                                            parent_where, held_from)

    def _gather_group(self, group: _Group, gather: GatherPlan, parents: pa.Table) -> pa.Table:
        """Gather a group's rows into its first row (``attach = "group"``); note the rows it could not take."""
        members = group.members
        columns = tuple(c for c in members.column_names if c not in BOOKKEEPING_COLUMNS and c != GROUP_KEY)
        self._observed.setdefault(gather.record_type or "", set()).update(columns)
        chosen, repeated = distinct_rows(members, group.keys, gather.distinct)
        if SOURCE_ERROR in members.column_names:
            chosen = pc.and_(chosen, pc.is_null(members.column(SOURCE_ERROR).combine_chunks()))
        if repeated:
            self.reconciliation.warnings[f"gather {gather.name}: a row repeats its group's "
                                         f"{'+'.join(gather.distinct)}; only the first is gathered"] += repeated
        plan = attrs.evolve(gather, on=(GROUP_KEY,), keys=(GROUP_KEY,), attach="key", distinct=())
        with_keys = parents.append_column(GROUP_KEY, group.parent_keys)
        out = gather_children(with_keys, members.append_column(GROUP_KEY, group.keys).filter(chosen), plan, columns,
                              f"record of type {gather.record_type!r}")
        positions = pc.filter(arange(members.num_rows), chosen)
        group.problems.append(pc.take(out.child_problem, pc.index_in(arange(members.num_rows), value_set=positions)))
        return out.table.drop_columns([GROUP_KEY])

    def _settle_children(self, gather: GatherPlan, children: pa.Table, parent_of: pa.Array, problem: pa.Array,
                         parent_fate: pa.Array, parent_where: pa.Array, held_from: int | None = None) -> BatchOutput:
        record_type = gather.record_type or ""
        counts = self.reconciliation.record_types.setdefault(record_type, RecordTypeCounts())
        n = children.num_rows
        counts.rows_in += n
        rows = arange(n)
        problems: list[Reasons] = []
        self._count_source_warnings(source_warnings_of(children))
        if SOURCE_ERROR in children.column_names:
            errors = children.column(SOURCE_ERROR).combine_chunks()
            problems.append(Reasons(pc.filter(rows, pc.is_valid(errors)), pc.drop_null(errors), UNREADABLE))
        unattached = pc.and_(pc.is_null(parent_of), pc.is_valid(problem))
        if pc.any(unattached).as_py():
            problems.append(Reasons(pc.filter(rows, unattached), pc.filter(problem, unattached), NO_PARENT))
        fate = pc.take(parent_fate, parent_of) if n else pa.array([], pa.string())
        with_rejected = pc.fill_null(pc.equal(fate, scalar("rejected")), scalar(False))
        if pc.any(with_rejected).as_py():
            texts = pc.binary_join_element_wise(scalar("its parent record was rejected ("),
                                                pc.take(parent_where, parent_of), scalar(")"), scalar(""))
            problems.append(Reasons(pc.filter(rows, with_rejected), pc.filter(texts, with_rejected), NO_PARENT))
        rejected_rows = pc.unique(pa.concat_arrays([p.rows for p in problems])) if problems else pa.array(
            [], pa.int64())
        rejects = reject_table(children, record_type, problems, rejected_rows)
        is_instruction = pc.fill_null(pc.starts_with(fate, "instruction:"), scalar(False))
        kinds = pc.utf8_slice_codeunits(fate, len("instruction:"))
        instructions = instruction_table(children, record_type, kinds, is_instruction)
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
        output = BatchOutput({}, rejects, instructions)
        if self._resolver is not None and held_from is not None and n:
            # A translated child lives inside its parent record: if the link stage rejects the parent
            # later, the child row is rejected with it (LinkResolver.hold_children).
            translated = pc.invert(pc.or_(pc.is_in(rows, value_set=rejected_rows), is_instruction))
            parent_rows = pc.if_else(translated, pc.add(pc.cast(parent_of, pa.int64()), held_from), -1)
            self._resolver.hold_children(output, record_type, children,
                                         pc.fill_null(parent_rows, -1).to_numpy(zero_copy_only=False))
        return output

    def _count_source_warnings(self, warnings: list[tuple[str, str | None, int | None]]) -> None:
        """Reader warnings: the first ones listed with file and line, then counted by message."""
        for text, file, line in warnings:
            if self._warnings_listed < _LISTED_WARNINGS:
                self._warnings_listed += 1
                self.reconciliation.warnings[f"{Path(file).name if file else '?'}, line {line}: {text}"] += 1
            else:
                self.reconciliation.warnings[f"source: {text}"] += 1

    # -- one batch ---------------------------------------------------------------------------------
    def _settle(self, partial: Partial) -> BatchOutput:
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
        records: dict[str, tuple[pa.Array, pa.Array]] = {}
        conflicts: list[pa.Table] = []
        for plan, out, rows in partial.outputs:
            if plan.dedupe:
                out, found, rows = self._dedupe.dedupe(plan.entity_type, out, rows, partial.files, partial.lines)
                if found is not None:
                    conflicts.append(found)
            rec.records_out[plan.entity_type] += out.num_rows
            previous = tables.get(plan.entity_type)
            tables[plan.entity_type] = out if previous is None else pa.concat_tables([previous, out])
            ids = as_text(one_array(out.column("id"))) if out.num_rows else pa.array([], pa.string())
            before = records.get(plan.entity_type)
            records[plan.entity_type] = (ids, rows) if before is None else (
                pa.concat_arrays([before[0], ids]), pa.concat_arrays([before[1], rows]))
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
        record_children_fate(partial.attached, partial.fate, partial.where)
        outcome = pc.if_else(pc.starts_with(partial.fate, "instruction:"), scalar("instructions"), partial.fate)
        self._tally(partial.files, outcome)
        output = BatchOutput(tables, partial.rejects, partial.instructions,
                             pa.concat_tables(conflicts) if conflicts else CONFLICT_SCHEMA.empty_table())
        if self._resolver is not None:
            self._resolver.hold_batch(output, partial.record_type, partial.source, partial.files, partial.lines,
                                      records, partial.rejected_ids, partial.instruction_ids, _reject_notes(partial))
        return output


def _reject_notes(partial: Partial) -> dict[int, str]:
    """Per rejected record's batch row: its reject codes and first reason (what its children are told)."""
    if not partial.rejected_ids or not partial.rejects.num_rows:
        return {}
    said = {(f, line): f"{', '.join(sorted({i['code'] for i in issues}))} ({reasons[0]})"
            for f, line, issues, reasons in zip(*(partial.rejects.column(c).to_pylist() for c in
                                                  ("source_file", "source_line", "issues", "reasons")))}
    files = partial.files.to_pylist() if partial.files is not None else None
    lines = partial.lines.to_pylist() if partial.lines is not None else None
    notes = {}
    for _, _, rows in partial.rejected_ids:
        for row in rows.to_pylist():
            key = (files[row] if files else None, lines[row] if lines else None)
            notes[row] = said.get(key, "")
    return notes


@attrs.define(slots=True)
class _Group:
    """The rows of a record type collapsed by a group gather: first rows are the parents, the rest follow them."""

    members: pa.Table
    keys: pa.Array
    first: pa.Array
    parents: pa.Table
    parent_keys: pa.Array
    problems: list[pa.Array] = attrs.field(factory=list)

    @classmethod
    def of(cls, table: pa.Table, on: tuple[str, ...]) -> _Group:
        keys = group_keys(table, on)
        first = first_of_group(keys)
        return cls(table, keys, first, table.filter(first), pc.filter(keys, first))

    def rest(self) -> Gathered:
        """The rows after each group's first: their parent (null when a gather refused them) and why not."""
        rest = pc.invert(self.first)
        parent_of = pc.filter(pc.cast(pc.index_in(self.keys, value_set=self.parent_keys), pa.int64()), rest)
        problem = pc.filter(pc.coalesce(*self.problems) if self.problems else pa.nulls(len(self.keys), pa.string()),
                            rest)
        parent_of = pc.if_else(pc.is_valid(problem), scalar(None, pa.int64()), parent_of)
        return Gathered(self.members.filter(rest), parent_of, problem)
