"""Field plans: how the evaluated expressions become canonical Arrow columns.

The compiler walks a spec's ``fields`` table along the canonical Arrow schema of
the entity, so nested values (an address, a sentence) are built as structs and
repeated values (offenses, violations) as lists. A coded field's ``*_raw`` twin
is filled with the source text automatically unless the spec maps it itself.
"""

from __future__ import annotations

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, as_text, holds_value, one_array
from justice_schema._toolkit.scalars import scalar
from justice_schema.translation import textops
from justice_schema.translation.context import EvalContext, Value
from justice_schema.translation.expressions import (
    DEFAULT_FALSE,
    DEFAULT_TRUE,
    TIMESTAMP,
    Column,
    Condition,
    Step,
    matches,
    truth,
)
from justice_schema.translation.listops import counts_per_parent, explode, list_offsets

__all__ = ["ScalarPlan", "RawTwinPlan", "StructPlan", "EntriesPlan", "ItemsPlan", "ListExprPlan", "coerce", "Plan"]

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def coerce(value: Value, target: pa.DataType, ctx: EvalContext, label: str) -> pa.Array:
    """``value`` as an array of ``target`` type; values that cannot be converted reject their row."""
    array = value.array
    array = one_array(array)
    if array.type == target:
        return array
    if pa.types.is_null(array.type):
        return pa.nulls(ctx.n, target)
    if pa.types.is_string(target):
        return as_text(array)
    if pa.types.is_integer(target):
        if pa.types.is_string(array.type):
            ok = matches(array, r"^[+-]?\d{1,15}$")
            bad = pc.and_(pc.is_valid(array), pc.invert(ok))
            ctx.problem_quoted(bad, array, f"{label}: ", " is not a whole number")
            array = pc.cast(pc.if_else(ok, array, scalar(None, pa.string())), pa.int64())
        elif pa.types.is_floating(array.type):
            whole = pc.equal(pc.floor(array), array)
            ctx.problem(pc.invert(pc.fill_null(whole, scalar(True))), f"{label}: not a whole number", label=label)
            array = pc.cast(pc.if_else(whole, array, scalar(None, array.type)), pa.int64())
        array = pc.cast(array, pa.int64())
        out_of_range = pc.or_(pc.less(array, scalar(_INT32_MIN, pa.int64())), pc.greater(array, scalar(_INT32_MAX, pa.int64())))
        ctx.problem_quoted(out_of_range, array, f"{label}: ", " is out of range")
        array = pc.if_else(pc.fill_null(out_of_range, scalar(False)), scalar(None, pa.int64()), array)
        return pc.cast(array, target)
    if pa.types.is_floating(target):
        if pa.types.is_string(array.type):
            ok = matches(array, r"^[+-]?(\d+\.?\d*|\.\d+)$")
            ctx.problem_quoted(pc.and_(pc.is_valid(array), pc.invert(ok)), array, f"{label}: ", " is not a number")
            array = pc.if_else(ok, array, scalar(None, pa.string()))
        return pc.cast(array, target)
    if pa.types.is_boolean(target) and pa.types.is_string(array.type):
        result = truth(textops.upper(array), DEFAULT_TRUE, DEFAULT_FALSE)
        ctx.problem_quoted(pc.and_(pc.is_valid(array), pc.is_null(result)), array, f"{label}: ", " is not a yes/no value")
        return result
    if pa.types.is_timestamp(target) and pa.types.is_timestamp(array.type):
        return pc.cast(array, TIMESTAMP)
    if pa.types.is_list(target) and pa.types.is_list(array.type):
        return pc.cast(array, target)
    try:
        return pc.cast(array, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise ValueError(f"{label}: cannot turn {array.type} values into {target}") from None


def relaxed(target: pa.DataType) -> pa.DataType:
    """``target`` with every nested field nullable.

    Records are built in this relaxed form, so a row with a missing required
    part can still be held (and then rejected with its reasons); the engine
    casts to the strict canonical schema after the rejects are taken out.
    """
    if pa.types.is_struct(target):
        return pa.struct([pa.field(f.name, relaxed(f.type), nullable=True) for f in target])
    if pa.types.is_list(target):
        return pa.list_(pa.field(target.value_field.name, relaxed(target.value_type), nullable=True))
    return target


class Plan:
    """Base of field plans: ``build(ctx, siblings)`` returns the column for every row."""

    target: pa.DataType

    def build(self, ctx: EvalContext, siblings: dict[str, Value]) -> tuple[pa.Array, Value | None]:
        """The column, and the evaluated value (kept for a raw twin)."""
        raise NotImplementedError  # pragma: no cover

    def steps(self) -> list[Step | Condition]:
        """The expressions this plan evaluates."""
        raise NotImplementedError  # pragma: no cover


@attrs.frozen(slots=True)
class _OneExprPlan(Plan):
    """Base of the plans computing a field from one expression ``expr`` into ``target``."""

    expr: Step
    target: pa.DataType
    label: str = attrs.field(eq=False)

    def steps(self) -> list[Step | Condition]:
        return [self.expr]


@attrs.frozen(slots=True)
class ScalarPlan(_OneExprPlan):
    """One field computed by one expression."""

    def build(self, ctx: EvalContext, siblings: dict[str, Value]) -> tuple[pa.Array, Value | None]:
        value = ctx.eval(self.expr)
        return coerce(value, self.target, ctx, self.label), value


@attrs.frozen(slots=True)
class RawTwinPlan(Plan):
    """The ``*_raw`` twin of a coded field: the source text of that field's value."""

    of: str
    target: pa.DataType

    def build(self, ctx: EvalContext, siblings: dict[str, Value]) -> tuple[pa.Array, Value | None]:
        value = siblings.get(self.of)
        if value is None or value.raw is None:
            return pa.nulls(ctx.n, self.target), None
        return as_text(value.raw), None

    def steps(self) -> list[Step | Condition]:
        return []


@attrs.frozen(slots=True)
class StructPlan(Plan):
    """A struct (a nested value): its sub-field plans, in schema order.

    With ``null_when_empty`` the struct is null on rows where every sub-field is
    null (an empty address or age means nothing).
    """

    fields: tuple[tuple[str, Plan | None], ...]
    target: pa.StructType
    null_when_empty: bool = True

    def build_children(self, ctx: EvalContext) -> dict[str, pa.Array]:
        """Every sub-field's column (null columns for fields the spec leaves out)."""
        values: dict[str, Value] = {}
        arrays: dict[str, pa.Array] = {}
        pending = []
        for name, plan in self.fields:
            field_type = self.target.field(name).type
            if plan is None:
                arrays[name] = _empty_lists(ctx.n, field_type) if pa.types.is_list(field_type) else pa.nulls(
                    ctx.n, relaxed(field_type))
            elif isinstance(plan, RawTwinPlan):
                pending.append((name, plan))
            else:
                arrays[name], value = plan.build(ctx, values)
                if value is not None:
                    values[name] = value
        for name, plan in pending:
            arrays[name], _ = plan.build(ctx, values)
        return {name: arrays[name] for name, _ in self.fields}

    def build(self, ctx: EvalContext, siblings: dict[str, Value]) -> tuple[pa.Array, Value | None]:
        children = self.build_children(ctx)
        empty = _all_null(list(children.values()), ctx.n) if self.null_when_empty else None
        struct = pa.StructArray.from_arrays(list(children.values()), fields=list(relaxed(self.target)), mask=empty)
        return struct, None

    def steps(self) -> list[Step | Condition]:
        return [s for _, plan in self.fields if plan is not None for s in plan.steps()]


def _empty_lists(n: int, target: pa.ListType) -> pa.Array:
    offsets = pa.repeat(scalar(0, pa.int32()), n + 1)
    return pc.cast(pa.ListArray.from_arrays(offsets, pa.array([], relaxed(target.value_type))), relaxed(target))


def _all_null(arrays: list[pa.Array], n: int) -> pa.Array:
    result = pa.repeat(scalar(True), n)
    for array in arrays:
        result = pc.and_(result, pc.invert(holds_value(array)))
    return result


@attrs.frozen(slots=True)
class EntriesPlan(Plan):
    """A list built from a fixed number of entries (written out, or by ``repeat``).

    An entry is kept on a row when its ``present`` condition holds, or, without
    one, when it is not empty.
    """

    entries: tuple[tuple[Plan, Condition | None], ...]
    target: pa.ListType

    def build(self, ctx: EvalContext, siblings: dict[str, Value]) -> tuple[pa.Array, Value | None]:
        n = ctx.n
        arrays, kept = [], []
        for plan, present in self.entries:
            if isinstance(plan, StructPlan):
                children = plan.build_children(ctx)
                empty = _all_null(list(children.values()), n)
                array = pa.StructArray.from_arrays(list(children.values()), fields=list(relaxed(plan.target)))
            else:
                array, _ = plan.build(ctx, {})
                empty = pc.is_null(array)
            keep = present.mask(ctx) if present is not None else pc.invert(empty)
            arrays.append(array)
            kept.append(pc.fill_null(keep, scalar(False)))
        k = len(arrays)
        if k == 1:  # one entry: a list of zero or one item per row, in row order already
            lists = pa.ListArray.from_arrays(list_offsets(pc.cast(kept[0], pa.int32())), pc.filter(arrays[0], kept[0]))
            return pc.cast(lists, relaxed(self.target)), None
        rows = pa.concat_arrays([arange(n)] * k)
        order = pa.concat_arrays([pa.repeat(scalar(j, pa.int64()), n) for j in range(k)])
        keep_all = pa.concat_arrays(kept)
        positions = pc.filter(arange(n * k), keep_all)
        table = pa.table({"row": pc.filter(rows, keep_all), "entry": pc.filter(order, keep_all),
                          "pos": positions}).sort_by([("row", "ascending"), ("entry", "ascending")])
        values = pc.take(pa.concat_arrays(arrays), table.column("pos").combine_chunks())
        counts = counts_per_parent(table.column("row").combine_chunks(), n)
        lists = pa.ListArray.from_arrays(list_offsets(counts), values)
        return pc.cast(lists, relaxed(self.target)), None

    def steps(self) -> list[Step | Condition]:
        found: list[Step | Condition] = []
        for plan, present in self.entries:
            found.extend(plan.steps())
            if present is not None:
                found.append(present)
        return found


@attrs.frozen(slots=True)
class ItemsPlan(Plan):
    """A list built from an array column of the source (``{ items = "charges", entry = {...} }``).

    Each item of the array becomes one entry; inside ``entry`` the item's fields
    are the columns ``<array>.<field>`` and ``{ index = true }`` is its 1-based
    position. Problems found on an item reject the source row it belongs to.
    """

    array: str
    entry: Plan
    present: tuple[str, ...]
    target: pa.ListType

    def build(self, ctx: EvalContext, siblings: dict[str, Value]) -> tuple[pa.Array, Value | None]:
        positions = arange(ctx.n)
        items, parents, index = explode(ctx.table, positions, self.array)
        sub = EvalContext(items, pc.take(ctx.row_index, parents), ctx.record_type, ctx.problems, ctx.unmapped,
                          ctx.warnings, index)
        if self.present:
            keep = pa.repeat(scalar(False), sub.n)
            for name in self.present:
                keep = pc.or_(keep, pc.is_valid(Column(name).evaluate(sub).array))
            sub, parents = sub.subset(keep), pc.filter(parents, keep)
        if isinstance(self.entry, StructPlan):
            children = self.entry.build_children(sub)
            values = pa.StructArray.from_arrays(list(children.values()), fields=list(relaxed(self.entry.target)))
        else:
            values, _ = self.entry.build(sub, {})
        counts = counts_per_parent(parents, ctx.n)
        lists = pa.ListArray.from_arrays(list_offsets(counts), values)
        return pc.cast(lists, relaxed(self.target)), None

    def steps(self) -> list[Step | Condition]:
        return self.entry.steps()


@attrs.frozen(slots=True)
class ListExprPlan(_OneExprPlan):
    """A list field computed by one expression yielding lists (``split``, a transform); ``target`` is a list type."""

    def build(self, ctx: EvalContext, siblings: dict[str, Value]) -> tuple[pa.Array, Value | None]:
        value = ctx.eval(self.expr)
        array = value.array
        if not pa.types.is_list(array.type):
            raise ValueError(f"{self.label}: expected lists, the expression gave {array.type}")
        array = pc.fill_null(array, scalar([], array.type))
        return pc.cast(array, relaxed(self.target)), value


def describe_target(target: pa.DataType) -> str:
    """A short human name of an Arrow type for error messages."""
    names = {pa.string(): "text", pa.int32(): "whole number", pa.float64(): "number", pa.bool_(): "true/false",
             pa.date32(): "date", TIMESTAMP: "instant"}
    return names.get(target, str(target))

