"""List-column kernels: one row per item of a list column, and lists built back from items.

The engine explodes ``each.array`` inputs with :func:`explode`; a ``Split``
expression and the plans of repeated fields rebuild lists from items with
:func:`counts_per_parent` and :func:`list_offsets`::

    >>> import pyarrow as pa
    >>> counts = counts_per_parent(pa.array([0, 0, 2], pa.int64()), 3)
    >>> counts.to_pylist(), list_offsets(counts).to_pylist()
    ([2, 0, 1], [0, 2, 2, 3])
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, as_text
from justice_schema._toolkit.scalars import scalar
from justice_schema.errors import InputError
from justice_schema.translation.sources import SOURCE_FILE, SOURCE_LINE

__all__ = ["counts_per_parent", "explode", "list_offsets"]


def explode(table: pa.Table, rows: pa.Array, name: str) -> tuple[pa.Table, pa.Array, pa.Array]:
    """One row per item of the list column ``name``; item fields become ``name.field`` text columns.

    Returns the exploded table, the entry of ``rows`` each item came from, and
    each item's 1-based index within its list. A table without ``name`` gives
    no rows; a ``name`` that is not a list column raises :class:`InputError`.
    """
    if name not in table.column_names:
        empty = table.slice(0, 0)
        return empty, pa.array([], pa.int64()), pa.array([], pa.int64())
    column = table.column(name).combine_chunks()
    if not pa.types.is_list(column.type):
        raise _not_a_list(table, column, name)
    parents = pc.list_parent_indices(column)
    flat = pc.list_flatten(column)
    offsets = pc.cast(column.offsets, pa.int64())
    starts = pc.take(offsets.slice(0, len(column)), parents)
    index = pc.add(pc.subtract(arange(len(flat)), pc.subtract(starts, offsets[0])), 1)
    out = table.drop_columns([name]).take(parents)
    if pa.types.is_struct(flat.type):
        for i, field in enumerate(flat.type):
            out = out.append_column(f"{name}.{field.name}", as_text(flat.field(i)))
    return out, pc.take(rows, parents), index


def _not_a_list(table: pa.Table, column: pa.Array, name: str) -> InputError:
    """The error for an ``each.array`` column holding no arrays, naming the file and line of its first value."""
    path, row = None, None
    valid = pc.is_valid(column)
    if pc.any(valid).as_py() and SOURCE_FILE in table.column_names and SOURCE_LINE in table.column_names:
        first = int(pc.index(valid, True).as_py())
        path = table.column(SOURCE_FILE)[first].as_py()
        line = table.column(SOURCE_LINE)[first].as_py()
        row = int(line) if line is not None else None
    return InputError(f"each.array names {name!r}, which is not an array of objects in this input "
                      f"(a {column.type} value here)", path=path, row=row, field=name)


def counts_per_parent(parents: pa.Array, n: int) -> pa.Array:
    """How many items each of ``n`` parents has, given each item's parent (``parents`` sorted)."""
    if len(parents) == 0:
        return pa.repeat(scalar(0, pa.int64()), n)
    grouped = pa.table({"p": parents, "one": pa.repeat(scalar(1, pa.int64()), len(parents))}).group_by(
        "p").aggregate([("one", "sum")])
    index = pc.index_in(pc.cast(arange(n), parents.type), value_set=grouped.column("p").combine_chunks())
    return pc.fill_null(pc.take(grouped.column("one_sum").combine_chunks(), index), scalar(0))


def list_offsets(counts: pa.Array) -> pa.Array:
    """The int32 offsets of a list array whose lists have ``counts`` items (``0`` first)."""
    cumulative = pc.cumulative_sum(counts)
    return pa.concat_arrays([pa.array([0], pa.int32()), pc.cast(cumulative, pa.int32())])
