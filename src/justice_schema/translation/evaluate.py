"""The evaluation stage of translation: one source batch in, records, rejects and instructions out.

Joins and file-gathered children are attached, instruction rows set aside,
every ``[[entity]]`` block of the batch's record type evaluated, the records
held to the schema by the validation engine, and each row given its fate
(translated, rejected with all its reasons, an instruction, not mapped). The
result (:class:`Partial`) is folded into the run's counts in input order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, as_text, one_array
from justice_schema._toolkit.scalars import scalar
from justice_schema.translation.compiler import EntityBody, EntityPlan, Program
from justice_schema.translation.context import EvalContext
from justice_schema.translation.expressions import Column
from justice_schema.translation.file_gathers import LoadedGather, attach_file_children
from justice_schema.translation.joins import LoadedJoin, apply_join
from justice_schema.translation.listops import explode
from justice_schema.translation.plans import coerce, relaxed
from justice_schema.translation.reasons import HOOK, NO_RECORD, UNREADABLE, Reasons
from justice_schema.translation.rejects import instruction_table, reject_table
from justice_schema.translation.sources import (
    SOURCE_ERROR,
    SOURCE_FILE,
    SOURCE_LINE,
    SOURCE_WARNING,
    SourceBatch,
)
from justice_schema.validation.columnar import row_problems
from justice_schema.validation.hooks import RecordRulesHook
from justice_schema.validation.problems import RowProblems

__all__ = ["BatchEvaluator", "Partial", "source_warnings_of"]


@attrs.define(slots=True)
class Partial:
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
    attached: list[tuple[LoadedGather, pa.Array, pa.Array]] = attrs.field(factory=list)
    #: "<file> line <n>" of every row, when children need it.
    where: pa.Array | None = None
    #: Reader warnings of the batch: (text, file, line) per warned row.
    source_warnings: list[tuple[str, str | None, int | None]] = attrs.field(factory=list)
    #: The source file and line of every row.
    files: pa.Array | None = None
    lines: pa.Array | None = None
    #: The batch as read (to list rows that a later stage rejects).
    source: pa.Table | None = None
    #: Per block whose records were rejected: (entity type, the ids those records had, their batch rows).
    rejected_ids: list[tuple[str, pa.Array, pa.Array]] = attrs.field(factory=list)
    #: Per block of the batch's record type: (entity type, the id each instruction row names, its batch row).
    instruction_ids: list[tuple[str, pa.Array, pa.Array]] = attrs.field(factory=list)


def source_warnings_of(table: pa.Table) -> list[tuple[str, str | None, int | None]]:
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


class BatchEvaluator:
    """Translates one source batch at a time into records, rejects and instructions.

    Every record is held to the schema through the validation engine
    (:func:`~justice_schema.validation.row_problems`): the field rules always,
    the record rules too in the same pass when ``validate`` is
    :func:`~justice_schema.validation.hooks.translation_hook`; any other
    ``validate`` hook runs after the field rules. :meth:`evaluate` touches no
    shared state, so batches can be evaluated in parallel.
    """

    def __init__(self, program: Program, extracted_at: datetime,
                 validate: Callable[[str, pa.Table], pa.Array | RowProblems | None] | None) -> None:
        self.program = program
        self.extracted_at = extracted_at
        hook = validate
        # Keyed by the block object itself: two blocks may share an entity type and a name.
        # The compiler proves some checks cannot fail (its "enum" is the validation engine's "code" rule);
        # the engine itself sets entity_type and schema_version to the block's entity and the spec's version.
        self._proven = {id(p): frozenset((field, "code" if kind == "enum" else kind) for field, kind in p.proven_checks)
                        | {("entity_type", "declaration"), ("schema_version", "declaration")}
                        for p in program.entities}
        self._filled = {id(p): p.mapped_fields for p in program.entities}
        # The validation engine's own hook runs in the same pass as the field rules; another hook after them.
        self._record_rules = isinstance(hook, RecordRulesHook)
        self._as_of = hook.as_of if isinstance(hook, RecordRulesHook) else None
        self._hook = None if isinstance(hook, RecordRulesHook) else hook

    def evaluate(self, batch: SourceBatch, joins: list[LoadedJoin],
                 file_gathers: list[LoadedGather] | None = None) -> Partial:
        """Translate one batch; touches no shared state, so batches can run in parallel."""
        source = batch.table
        record_type = batch.record_type
        n = source.num_rows
        problems: list[Reasons] = []
        warnings: Counter[str] = Counter()
        unmapped: dict[str, Counter[str]] = {}
        matched: dict[str, pa.Array] = {}
        table, attached = attach_file_children(source, record_type, file_gathers or [])
        rows_all = arange(n)
        base_ctx = EvalContext(table, rows_all, record_type, problems, unmapped, warnings)
        for join in joins:
            if join.plan.applies_to(record_type):
                table, matched[join.plan.name] = apply_join(table, join, base_ctx)
        base_ctx = EvalContext(table, rows_all, record_type, problems, unmapped, warnings)

        unreadable = pa.repeat(scalar(False), n)
        if SOURCE_ERROR in table.column_names:
            errors = one_array(table.column(SOURCE_ERROR))
            unreadable = pc.is_valid(errors)
            base_ctx.problem(unreadable, errors, UNREADABLE)

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
        base_ctx.problem(pc.and_(active, pc.invert(produced)), reason, NO_RECORD)

        for plan, out, rows in outputs:
            # The schema's contract, as the validation engine holds every canonical table to it.
            found = row_problems(out, plan.entity_type, plan.schema_version, record_rules=self._record_rules, as_of=self._as_of,
                                 fields=self._filled[id(plan)], skip=self._proven[id(plan)])
            if found:
                problems.append(self._rule_reasons(plan, rows, found))
            if self._hook is not None and out.num_rows:
                verdict = self._hook(plan.entity_type, out)
                if isinstance(verdict, RowProblems):
                    if verdict:
                        problems.append(self._rule_reasons(plan, rows, verdict))
                elif verdict is not None:
                    if isinstance(verdict, pa.ChunkedArray):
                        verdict = verdict.combine_chunks()
                    bad = pc.is_valid(verdict)
                    problems.append(Reasons(pc.filter(rows, bad), self._prefixed(plan, pc.filter(verdict, bad)), HOOK,
                                            entity=plan.entity_type))

        rejected_rows = (pc.unique(pa.concat_arrays([p.rows for p in problems])) if problems
                         else pa.array([], pa.int64()))
        kept: list[tuple[EntityPlan, pa.Table, pa.Array]] = []
        rejected_ids: list[tuple[str, pa.Array, pa.Array]] = []
        for plan, out, rows in outputs:
            if len(rejected_rows):
                keep = pc.invert(pc.is_in(rows, value_set=rejected_rows))
                if not pc.all(keep).as_py():
                    gone = pc.invert(keep)
                    rejected_ids.append((plan.entity_type, as_text(pc.filter(one_array(out.column("id")), gone)),
                                         pc.filter(rows, gone)))
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
        return Partial(
            record_type=record_type, n=n, schema=source.schema, outputs=kept,
            rejects=reject_table(source, record_type, problems, rejected_rows),
            instructions=instruction_table(source, record_type, kinds, listed),
            unmapped=unmapped, warnings=warnings, join_matched=matched, fate=fate,
            n_instructions=int(pc.sum(is_instruction).as_py() or 0), n_not_mapped=int(pc.sum(skipped).as_py() or 0),
            attached=attached, where=where, source_warnings=source_warnings_of(source),
            files=one_array(source.column(SOURCE_FILE)) if SOURCE_FILE in source.column_names else None,
            lines=one_array(source.column(SOURCE_LINE)) if SOURCE_LINE in source.column_names else None,
            source=source, rejected_ids=rejected_ids,
            instruction_ids=self._instruction_ids(table, rows_all, is_instruction, record_type),
        )

    def _instruction_ids(self, table: pa.Table, rows_all: pa.Array, is_instruction: pa.Array,
                         record_type: str) -> list[tuple[str, pa.Array, pa.Array]]:
        """The id each instruction row names, per block of its record type (a delete names the record it deletes).

        Evaluated apart: a part of the id that cannot be read leaves the id null and rejects nothing.
        """
        if not pc.any(is_instruction).as_py():
            return []
        rows = pc.filter(rows_all, is_instruction)
        sub = table.take(rows)
        found: list[tuple[str, pa.Array, pa.Array]] = []
        for plan in self.program.entities:
            if plan.record_type != record_type or not plan.bodies:
                continue
            ctx = EvalContext(sub, rows, record_type, [], {}, Counter())
            ident = ctx.eval(plan.bodies[0].id)
            found.append((plan.entity_type, as_text(ident.array), rows))
        return found

    @staticmethod
    def _prefixed(plan: EntityPlan, texts: pa.Array) -> pa.Array:
        return pc.binary_join_element_wise(scalar(f"{plan.entity_type}."), texts, scalar(""))

    @classmethod
    def _rule_reasons(cls, plan: EntityPlan, rows: pa.Array, found: RowProblems) -> Reasons:
        """The rule errors of a block's records as reasons of their source rows, each under its rule's code."""
        table = found.table
        return Reasons(pc.take(rows, table.column("row").combine_chunks()),
                       cls._prefixed(plan, table.column("text").combine_chunks()),
                       table.column("code").combine_chunks(), table.column("field").combine_chunks(), plan.entity_type)

    def _run_entity(self, plan: EntityPlan, table: pa.Table, active_rows: pa.Array, record_type: str,
                    problems: list[Reasons], unmapped: dict[str, Counter[str]],
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
             pa.repeat(scalar(self.extracted_at, source_type.field("extracted_at").type), n)],
            fields=list(source_type),
        )
        arrays = []
        for field in plan.schema:
            if field.name == "entity_type":
                arrays.append(pa.repeat(scalar(plan.entity_type), n))
            elif field.name == "schema_version":
                arrays.append(pa.repeat(scalar(plan.schema_version), n))
            elif field.name == "id":
                arrays.append(coerce(ident, pa.string(), ctx, f"{plan.entity_type}.id"))
            elif field.name == "source":
                arrays.append(source)
            else:
                arrays.append(children[field.name])
        return pa.Table.from_arrays(arrays, schema=plan.relaxed_schema)
