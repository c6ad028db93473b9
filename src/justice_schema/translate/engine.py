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
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.progress import Progress
from justice_schema.translate.checks import field_problems
from justice_schema.translate.compiler import EntityBody, EntityPlan, JoinPlan, Program, compile_spec
from justice_schema.translate.context import EvalContext
from justice_schema.translate.expressions import Column, as_text
from justice_schema.translate.plans import coerce
from justice_schema.translate.result import (
    INSTRUCTION_SCHEMA,
    REJECT_SCHEMA,
    Reconciliation,
    RecordTypeCounts,
    TranslationResult,
)
from justice_schema.translate.sources import (
    BOOKKEEPING_COLUMNS,
    SOURCE_ERROR,
    SOURCE_FILE,
    SOURCE_LINE,
    SOURCE_TEXT,
    SourceBatch,
    read_source,
)
from justice_schema.translate.spec import Spec, load_spec

__all__ = ["Translator", "TranslationRun", "BatchOutput", "ValidateHook"]

#: A validation hook: ``validate(entity_type, table)`` returns one text per record
#: (the reasons it is invalid; null when valid), or ``None`` when all are valid.
ValidateHook = Callable[[str, pa.Table], "pa.Array | None"]


@attrs.frozen(slots=True)
class BatchOutput:
    """What one source batch gave: records per entity, rejects and instructions."""

    tables: dict[str, pa.Table]
    rejects: pa.Table
    instructions: pa.Table


@attrs.frozen(slots=True)
class _LoadedJoin:
    plan: JoinPlan
    table: pa.Table
    keys: pa.Array
    columns: tuple[str, ...]


def _key_of(table: pa.Table, names: Sequence[str]) -> pa.Array:
    arrays = []
    for name in names:
        column = table.column(name).combine_chunks() if name in table.column_names else pa.nulls(
            table.num_rows, pa.string())
        column = pc.utf8_trim_whitespace(as_text(column))
        arrays.append(pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column))
    if len(arrays) == 1:
        return arrays[0]
    return pc.binary_join_element_wise(*arrays, "\x1f", null_handling="emit_null")


def _arange(n: int) -> pa.Array:
    return pa.array(range(n), pa.int64())


class Translator:
    """A compiled translator: give it input files, get canonical tables and a reconciliation.

    ``spec`` is a loaded :class:`~justice_schema.translate.spec.Spec` or the
    path of a spec file. ``validate`` is an optional hook run on every output
    batch of every entity, after the built-in field checks (for example the
    validation engine's columnar rules); records it finds invalid are rejected
    with their source rows. ``extracted_at`` stamps ``source.extracted_at``
    (default: now).

    >>> from justice_schema.translate import Translator, builtin_spec_path
    >>> translator = Translator(builtin_spec_path("acme_rms"))
    >>> translator.entity_types
    ('person', 'arrest', 'charge')
    """

    def __init__(self, spec: Spec | str | Path, *, validate: ValidateHook | None = None,
                 extracted_at: datetime | None = None) -> None:
        self.spec = spec if isinstance(spec, Spec) else load_spec(spec)
        self.program: Program = compile_spec(self.spec)
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
        """Translate ``paths`` batch by batch; iterate the returned run for :class:`BatchOutput` values."""
        return TranslationRun(self, [Path(p) for p in paths], progress)

    def translate(self, paths: Sequence[str | Path], *, progress: Progress | None = None) -> TranslationResult:
        """Translate ``paths`` and collect everything in memory as a :class:`TranslationResult`."""
        run = self.stream(paths, progress=progress)
        tables: dict[str, list[pa.Table]] = {e: [] for e in self.entity_types}
        rejects, instructions = [], []
        for output in run:
            for entity, table in output.tables.items():
                tables[entity].append(table)
            rejects.append(output.rejects)
            instructions.append(output.instructions)
        schemas = {e.entity_type: e.schema for e in self.program.entities}
        return TranslationResult(
            translator=self.name,
            tables={e: pa.concat_tables(t) if t else schemas[e].empty_table() for e, t in tables.items()},
            rejects=pa.concat_tables(rejects) if rejects else REJECT_SCHEMA.empty_table(),
            instructions=pa.concat_tables(instructions) if instructions else INSTRUCTION_SCHEMA.empty_table(),
            reconciliation=run.reconciliation,
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
        self._seen: dict[str, list[pa.Array]] = {}
        self._observed: dict[str, set[str]] = {}
        self._join_matched: dict[str, set[int]] = {}
        self._main, self._join_files = self._assign(paths)

    def _assign(self, paths: list[Path]) -> tuple[list[Path], dict[str, list[Path]]]:
        joins: dict[str, list[Path]] = {j.name: [] for j in self.program.joins}
        main = []
        for path in paths:
            for join in self.program.joins:
                if fnmatch.fnmatch(path.name.lower(), join.files.lower()):
                    joins[join.name].append(path)
                    break
            else:
                main.append(path)
        for join in self.program.joins:
            if not joins[join.name]:
                raise InputError(f"translator {self.program.name!r} joins {join.name!r} from a file matching "
                                 f"{join.files!r}, and none was given")
        if not main:
            raise InputError(f"translator {self.program.name!r} needs its main input file(s); only joined files "
                             "were given")
        return main, joins

    def _load_join(self, plan: JoinPlan) -> _LoadedJoin:
        options = {k: v for k, v in plan.source.items() if k != "format"}
        batches = [b.table for b in read_source(plan.source["format"], self._join_files[plan.name], options)]
        table = pa.concat_tables(batches, promote_options="permissive") if batches else pa.table({})
        stats = {"rows_in": table.num_rows, "rows_unreadable": 0, "duplicate_keys": 0, "rows_matched": 0}
        if SOURCE_ERROR in table.column_names:
            bad = pc.is_valid(table.column(SOURCE_ERROR))
            stats["rows_unreadable"] = int(pc.sum(bad).as_py() or 0)
            table = table.filter(pc.invert(bad))
        for name in plan.keys:
            if name not in table.column_names:
                raise InputError(f"joined input {plan.name!r} has no key column {name!r}",
                                 path=str(self._join_files[plan.name][0]))
        keys = _key_of(table, plan.keys)
        positions = _arange(table.num_rows)
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
        options = {k: v for k, v in self.program.source.items() if k != "format"}
        for batch in read_source(self.program.source["format"], self._main, options):
            yield self._process(batch, joins)
            if self.progress is not None:
                self.progress.advance(rows=batch.table.num_rows)
        self._finish()

    def _finish(self) -> None:
        used = self.program.columns_used()
        for record_type, observed in self._observed.items():
            if record_type.startswith("join:"):
                name = record_type[5:]
                unused = sorted(c for c in observed if f"{name}.{c}" not in used)
                self.reconciliation.joins[name]["rows_matched"] = len(self._join_matched.get(name, ()))
            else:
                unused = sorted(c for c in observed if c not in used)
            self.reconciliation.unused_columns[record_type] = unused

    # -- one batch ---------------------------------------------------------------------------------
    def _process(self, batch: SourceBatch, joins: list[_LoadedJoin]) -> BatchOutput:
        source = batch.table
        record_type = batch.record_type
        n = source.num_rows
        counts = self.reconciliation.record_types.setdefault(record_type, RecordTypeCounts())
        counts.rows_in += n
        self._observed.setdefault(record_type, set()).update(
            c for c in source.column_names if c not in BOOKKEEPING_COLUMNS)
        problems: list[tuple[pa.Array, pa.Array]] = []
        warnings = self.reconciliation.warnings
        unmapped = self.reconciliation.unmapped_values
        table = source
        rows_all = _arange(n)
        base_ctx = EvalContext(table, rows_all, record_type, problems, unmapped, warnings)
        for join in joins:
            table = self._apply_join(table, join, base_ctx)
        base_ctx = EvalContext(table, rows_all, record_type, problems, unmapped, warnings)

        unreadable = pa.repeat(pa.scalar(False), n)
        if SOURCE_ERROR in table.column_names:
            errors = table.column(SOURCE_ERROR).combine_chunks()
            unreadable = pc.is_valid(errors)
            base_ctx.problem(unreadable, errors)

        kinds = pa.nulls(n, pa.string())
        for instruction in self.program.instructions:
            if instruction.record_type is not None and instruction.record_type != record_type:
                continue
            mask = instruction.when.mask(base_ctx) if instruction.when else pa.repeat(pa.scalar(True), n)
            kinds = pc.if_else(pc.and_(mask, pc.is_null(kinds)), pa.scalar(instruction.kind), kinds)
        is_instruction = pc.and_(pc.is_valid(kinds), pc.invert(unreadable))
        active = pc.invert(pc.or_(is_instruction, unreadable))
        active_rows = pc.filter(rows_all, active)

        outputs: list[tuple[EntityPlan, pa.Table, pa.Array]] = []
        for plan in self.program.entities:
            if plan.record_type != record_type:
                continue
            out, rows = self._run_entity(plan, table, active_rows, record_type, problems)
            outputs.append((plan, out, rows))

        produced = pa.repeat(pa.scalar(False), n)
        if outputs:
            all_rows = pa.concat_arrays([rows for _, _, rows in outputs])
            produced = pc.is_in(rows_all, value_set=all_rows)
        reason = (f"no [[entity]] block produced a record from this row (record type {record_type!r})"
                  if any(p.record_type == record_type for p in self.program.entities)
                  else f"the spec maps no record type {record_type!r} and no instruction claims the row")
        base_ctx.problem(pc.and_(active, pc.invert(produced)), reason)

        version = self.program.schema_version
        for plan, out, rows in outputs:
            for positions, texts in field_problems(plan.entity_type, version, out):
                problems.append((pc.take(rows, positions), self._prefixed(plan, texts)))
            if self.translator.validate is not None and out.num_rows:
                verdict = self.translator.validate(plan.entity_type, out)
                if verdict is not None:
                    bad = pc.is_valid(verdict)
                    problems.append((pc.filter(rows, bad), self._prefixed(plan, pc.filter(verdict, bad))))

        rejected_rows = (pc.unique(pa.concat_arrays([r for r, _ in problems])) if problems
                         else pa.array([], pa.int64()))
        tables: dict[str, pa.Table] = {}
        for plan, out, rows in outputs:
            keep = pc.invert(pc.is_in(rows, value_set=rejected_rows))
            out = out.filter(keep)
            if plan.dedupe:
                out = self._dedupe(plan.entity_type, out)
            self.reconciliation.records_out[plan.entity_type] += out.num_rows
            previous = tables.get(plan.entity_type)
            tables[plan.entity_type] = out if previous is None else pa.concat_tables([previous, out])

        instructions = self._instruction_table(source, record_type, kinds, is_instruction)
        rejects = self._reject_table(source, record_type, problems, rejected_rows)
        n_instructions = instructions.num_rows
        counts.instructions += n_instructions
        counts.rejected += rejects.num_rows
        counts.translated += n - n_instructions - rejects.num_rows
        for kind in instructions.column("kind").to_pylist():
            self.reconciliation.instruction_kinds[kind] += 1
        return BatchOutput(tables, rejects, instructions)

    @staticmethod
    def _prefixed(plan: EntityPlan, texts: pa.Array) -> pa.Array:
        return pc.binary_join_element_wise(pa.scalar(f"{plan.entity_type}."), texts, "")

    def _apply_join(self, table: pa.Table, join: _LoadedJoin, ctx: EvalContext) -> pa.Table:
        keys = _key_of(table, join.plan.on)
        index = pc.index_in(keys, value_set=join.keys)
        matched = pc.unique(pc.drop_null(index)).to_pylist()
        self._join_matched[join.plan.name].update(matched)
        if join.plan.required:
            missing = pc.is_null(index)
            text = pc.binary_join_element_wise(
                pa.scalar(f"no row in joined input {join.plan.name!r} with {'+'.join(join.plan.on)} = '"),
                pc.fill_null(pc.replace_substring(keys, "\x1f", "+"), "<blank>"), pa.scalar("'"), "")
            ctx.problem(missing, text)
        taken = join.table.take(index)
        for name in taken.column_names:
            table = table.append_column(name, taken.column(name))
        return table

    def _run_entity(self, plan: EntityPlan, table: pa.Table, active_rows: pa.Array, record_type: str,
                    problems: list[tuple[pa.Array, pa.Array]]) -> tuple[pa.Table, pa.Array]:
        warnings, unmapped = self.reconciliation.warnings, self.reconciliation.unmapped_values
        base = table.take(active_rows)
        rows = active_rows
        if plan.when is not None:
            mask = plan.when.mask(EvalContext(base, rows, record_type, problems, unmapped, warnings))
            base, rows = base.filter(mask), pc.filter(rows, mask)
        item_index = None
        if plan.array is not None:
            base, rows, item_index = _explode(base, rows, plan.array)
        pieces: list[tuple[pa.Table, pa.Array, int]] = []
        for order, body in enumerate(plan.bodies):
            sub, sub_rows, sub_index = base, rows, item_index
            if body.present:
                probe = EvalContext(sub, sub_rows, record_type, problems, unmapped, warnings)
                keep = pa.repeat(pa.scalar(False), sub.num_rows)
                for name in body.present:
                    keep = pc.or_(keep, pc.is_valid(Column(name).evaluate(probe).array))
                sub, sub_rows = sub.filter(keep), pc.filter(sub_rows, keep)
                if sub_index is not None:
                    sub_index = pc.filter(sub_index, keep)
            if body.item_index is not None:
                sub_index = pa.repeat(pa.scalar(body.item_index, pa.int64()), sub.num_rows)
            ctx = EvalContext(sub, sub_rows, record_type, problems, unmapped, warnings, sub_index)
            pieces.append((self._canonical(plan, body, ctx), sub_rows, order))
        if len(pieces) == 1:
            return pieces[0][0], pieces[0][1]
        out = pa.concat_tables([p[0] for p in pieces])
        rows = pa.concat_arrays([p[1] for p in pieces])
        order = pa.concat_arrays([pa.repeat(pa.scalar(o, pa.int64()), len(r)) for _, r, o in pieces])
        sort = pc.sort_indices(pa.table({"r": rows, "o": order}), sort_keys=[("r", "ascending"), ("o", "ascending")])
        return out.take(sort), pc.take(rows, sort)

    def _canonical(self, plan: EntityPlan, body: EntityBody, ctx: EvalContext) -> pa.Table:
        n = ctx.n
        children = body.fields.build_children(ctx)
        ident = body.id.evaluate(ctx)
        record_key = body.source_key.evaluate(ctx) if body.source_key is not None else None
        key_array = coerce(record_key, pa.string(), ctx, f"{plan.entity_type}.source.record_key") \
            if record_key is not None else as_text(ident.raw if ident.raw is not None else ident.array)
        source_type = plan.schema.field("source").type
        ori = coerce(body.agency_ori.evaluate(ctx), pa.string(), ctx, f"{plan.entity_type}.source.agency_ori")
        source = pa.StructArray.from_arrays(
            [ori, pa.repeat(pa.scalar(self.program.system), n), key_array,
             pa.repeat(pa.scalar(self.translator.extracted_at, source_type.field("extracted_at").type), n)],
            fields=list(source_type),
        )
        arrays = []
        for field in plan.schema:
            if field.name == "entity_type":
                arrays.append(pa.repeat(pa.scalar(plan.entity_type), n))
            elif field.name == "schema_version":
                arrays.append(pa.repeat(pa.scalar(self.program.schema_version), n))
            elif field.name == "id":
                arrays.append(coerce(ident, pa.string(), ctx, f"{plan.entity_type}.id"))
            elif field.name == "source":
                arrays.append(source)
            else:
                arrays.append(children[field.name])
        return pa.Table.from_arrays(arrays, schema=plan.schema)

    def _dedupe(self, entity: str, table: pa.Table) -> pa.Table:
        if table.num_rows == 0:
            return table
        ids = table.column("id").combine_chunks()
        positions = _arange(table.num_rows)
        first = pa.table({"id": ids, "p": positions}).group_by("id", use_threads=False).aggregate([("p", "min")])
        keep = pc.is_in(positions, value_set=first.column("p_min"))
        seen = self._seen.setdefault(entity, [])
        if seen:
            keep = pc.and_(keep, pc.invert(pc.is_in(ids, value_set=pa.concat_arrays(seen))))
        out = table.filter(keep)
        self.reconciliation.duplicates_merged[entity] += table.num_rows - out.num_rows
        seen.append(out.column("id").combine_chunks())
        if len(seen) > 16:
            self._seen[entity] = [pa.concat_arrays(seen)]
        return out

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
        grouped = pa.table({"row": pa.concat_arrays([r for r, _ in problems]),
                            "text": pa.concat_arrays([as_text(t) for _, t in problems])}).group_by(
            "row", use_threads=False).aggregate([("text", "distinct")]).sort_by("row")
        positions = grouped.column("row").combine_chunks()
        picked = source.take(positions)
        return pa.table({
            "source_file": picked.column(SOURCE_FILE),
            "source_line": picked.column(SOURCE_LINE),
            "record_type": pa.repeat(pa.scalar(record_type), len(positions)),
            "reasons": grouped.column("text_distinct"),
            "raw": pa.array(self._raw_rows(source, positions), pa.string()),
        }, schema=REJECT_SCHEMA)

    def _instruction_table(self, source: pa.Table, record_type: str, kinds: pa.Array,
                           is_instruction: pa.Array) -> pa.Table:
        if not pc.any(is_instruction).as_py():
            return INSTRUCTION_SCHEMA.empty_table()
        positions = pc.filter(_arange(source.num_rows), is_instruction)
        picked = source.take(positions)
        return pa.table({
            "source_file": picked.column(SOURCE_FILE),
            "source_line": picked.column(SOURCE_LINE),
            "record_type": pa.repeat(pa.scalar(record_type), len(positions)),
            "kind": pc.filter(kinds, is_instruction),
            "raw": pa.array(self._raw_rows(source, positions), pa.string()),
        }, schema=INSTRUCTION_SCHEMA)


def _explode(table: pa.Table, rows: pa.Array, name: str) -> tuple[pa.Table, pa.Array, pa.Array]:
    """One row per item of the list column ``name``; item fields become ``name.field`` columns."""
    if name not in table.column_names:
        empty = table.slice(0, 0)
        return empty, pa.array([], pa.int64()), pa.array([], pa.int64())
    column = table.column(name).combine_chunks()
    if not pa.types.is_list(column.type):
        raise InputError(f"each.array names {name!r}, which is not an array of objects in this input")
    parents = pc.list_parent_indices(column)
    flat = pc.list_flatten(column)
    offsets = pc.cast(column.offsets, pa.int64())
    starts = pc.take(offsets.slice(0, len(column)), parents)
    index = pc.add(pc.subtract(_arange(len(flat)), pc.subtract(starts, offsets[0])), 1)
    out = table.drop_columns([name]).take(parents)
    if pa.types.is_struct(flat.type):
        for i, field in enumerate(flat.type):
            out = out.append_column(f"{name}.{field.name}", as_text(flat.field(i)))
    return out, pc.take(rows, parents), index


def _unused(*_: Any) -> Counter[str]:  # pragma: no cover
    return Counter()
