"""The join stage of translation: lookup tables read whole, then matched to each batch by key.

:func:`load_join` reads a joined input once per run (unreadable rows counted
and dropped, the first row of each key kept); :func:`apply_join` appends the
matching row's columns (``<join>.<column>``) to each batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, as_text, one_array
from justice_schema._toolkit.scalars import scalar
from justice_schema.errors import InputError
from justice_schema.translation import textops
from justice_schema.translation.compiler import JoinPlan, Program
from justice_schema.translation.context import EvalContext
from justice_schema.translation.reasons import NO_JOIN
from justice_schema.translation.result import FileCounts, Reconciliation
from justice_schema.translation.sources import BOOKKEEPING_COLUMNS, SOURCE_ERROR, SOURCE_FILE, read_source
from justice_schema.translation.sources.presence import ColumnCheck

__all__ = ["LoadedJoin", "apply_join", "key_of", "load_join"]


@attrs.frozen(slots=True)
class LoadedJoin:
    """A joined input, read whole: its rows (columns renamed ``<join>.<column>``), their keys, its columns."""

    plan: JoinPlan
    table: pa.Table
    keys: pa.Array
    columns: tuple[str, ...]


def key_of(table: pa.Table, names: Sequence[str], ignore_case: bool = False) -> pa.Array:
    """The join key of each row: the ``names`` columns trimmed (upper-cased with ``ignore_case``), blanks
    as null, joined with a unit separator; null when any part is null."""
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


def load_join(program: Program, plan: JoinPlan, files: list[Path], reconciliation: Reconciliation,
              counted: set[str]) -> LoadedJoin:
    """Read a joined input from ``files``: unreadable rows counted and dropped, the first row of each key kept.

    Rows read per file go to ``reconciliation.files`` (a file already in
    ``counted``, feeding another join too, is counted once; it is added), and
    the join's counts to ``reconciliation.joins``. Raises
    :class:`~justice_schema.errors.InputError` when a key column is missing.
    """
    options = {k: v for k, v in plan.source.items() if k != "format"}
    batches = [b.table for b in ColumnCheck.for_program(program, plan).checked(
        read_source(plan.source["format"], files, options))]
    table = pa.concat_tables(batches, promote_options="permissive") if batches else pa.table({})
    if SOURCE_FILE in table.column_names and table.num_rows:
        per_file = pc.value_counts(as_text(one_array(table.column(SOURCE_FILE))))
        for item in per_file.to_pylist():
            name = Path(item["values"]).name if item["values"] else "?"
            if name in counted:
                continue  # one file feeding two joins (a lookup table joined on two columns) is counted once
            counted.add(name)
            reconciliation.files.setdefault(name, FileCounts(role=f"join:{plan.name}")).rows_in += item[
                "counts"]
    stats = {"rows_in": table.num_rows, "rows_unreadable": 0, "duplicate_keys": 0, "rows_matched": 0}
    if SOURCE_ERROR in table.column_names:
        bad = pc.is_valid(table.column(SOURCE_ERROR))
        stats["rows_unreadable"] = int(pc.sum(bad).as_py() or 0)
        table = table.filter(pc.invert(bad))
    for name in plan.keys:
        if name not in table.column_names:
            raise InputError(f"joined input {plan.name!r} has no key column {name!r}",
                             path=str(files[0]))
    keys = key_of(table, plan.keys, plan.ignore_case)
    positions = arange(table.num_rows)
    first = pa.table({"k": keys, "p": positions}).group_by("k", use_threads=False).aggregate([("p", "min")])
    keep = pc.is_in(positions, value_set=first.column("p_min"))
    stats["duplicate_keys"] = table.num_rows - int(pc.sum(keep).as_py() or 0)
    table = table.filter(keep)
    keys = pc.filter(keys, keep)
    data_columns = tuple(c for c in table.column_names if c not in BOOKKEEPING_COLUMNS)
    renamed = pa.table({f"{plan.name}.{c}": table.column(c) for c in data_columns})
    reconciliation.joins[plan.name] = stats
    return LoadedJoin(plan, renamed, keys, data_columns)


def apply_join(table: pa.Table, join: LoadedJoin, ctx: EvalContext) -> tuple[pa.Table, pa.Array]:
    """``table`` with the joined columns of each row's match appended, and the joined rows matched.

    A row without a match gets nulls; when the join is ``required`` it is a
    problem of ``ctx`` (the row is rejected naming the key).
    """
    keys = key_of(table, join.plan.on, join.plan.ignore_case)
    index = pc.index_in(keys, value_set=join.keys)
    matched = pc.unique(pc.drop_null(index))
    if join.plan.required:
        missing = pc.is_null(index)
        text = pc.binary_join_element_wise(
            scalar(f"no row in joined input {join.plan.name!r} with {'+'.join(join.plan.on)} = '"),
            pc.fill_null(pc.replace_substring(keys, "\x1f", "+"), scalar("<blank>")), scalar("'"), scalar(""))
        ctx.problem(missing, text, NO_JOIN)
    taken = join.table.take(index)
    for name in taken.column_names:
        table = table.append_column(name, taken.column(name))
    return table, matched
