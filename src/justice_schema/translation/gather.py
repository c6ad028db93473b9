"""Gathering child rows into their parent row, as numbered columns.

Many exports are hierarchical: a NIBRS administrative segment is followed by
its offense segments, an arrestee row has several weapon rows in another
file, a report unit of an XML document holds several offenses. A ``[[gather]]``
block of a spec attaches the child rows that share a key with a parent row to
that parent, as columns ``<name>.<k>.<column>`` for ``k`` = 1 .. ``max`` (in
the children's input order), plus ``<name>.count``. The spec then builds a
nested list from them with ``repeat`` and ``{n}``, exactly as it does for
``Charge1`` .. ``Charge8`` columns::

    [[gather]]
    name = "offense"
    record_type = "2"          # the children: rows of record type "2" of the input
    into = "1"                 # ... attached to the rows of record type "1"
    on = ["ori", "incident_number"]
    max = 10

    [[entity]]
    type = "incident"
    record_type = "1"
    [entity.fields.offenses]
    repeat = { from = 1, to = 10 }
    present = ["offense.{n}.ucr_offense_code"]
    entry = { ucr_offense_code = "offense.{n}.ucr_offense_code" }

Where one file may hold the same key twice (a NIBRS submission that deletes an
incident and resubmits it, both administrative segments carrying the same
incident number), ``attach = "preceding"`` attaches each child to the nearest
parent *before it in the same file* with its key, instead of the first parent
with that key anywhere: segments belong to the administrative segment they
follow, so actions apply in file order.

Where the rows to group are themselves the records, ``attach = "group"``
with ``into`` equal to ``record_type`` collapses the rows that share a key
into one record: the first row of each key is the parent, and every row of
the key (the first included) is gathered into it, in input order. A NIBRS XML
report gives one ``nc:Item`` per property description, each with its type of
loss, and the canonical property record is one per incident and loss type::

    [[gather]]
    name = "description"
    record_type = "item"
    into = "item"
    attach = "group"
    on = ["_source_unit", "status"]
    distinct = ["category"]     # a description once per group
    max = 10

``distinct`` (group gathers only) gathers a row only when its ``distinct``
columns are filled and differ from those of every earlier row of its group;
the other rows are not gathered by this block (a repeated value is counted as
a warning). Several group gathers of one record type share the same ``on``.
The rows after the first are not records of their own: they are counted as
translated (or rejected) with their group's first row. A row whose key is
blank is a group of its own.

Children can also come from other files (``files = "NIBRS_ARRESTEE_WEAPON*.csv"``,
read like a joined input). A child row that matches no parent, or comes after
the ``max``-th child of its parent, is rejected with the reason (or, with
``orphans = "report"``, only counted as unmatched); a child row whose parent is
rejected is rejected with it, so nothing is lost.

The matching is done with whole-column Arrow operations: a hash lookup of the
child keys among the parent keys, and a rank of each child within its key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import as_text
from justice_schema._toolkit.scalars import scalar
from justice_schema.translation import textops
from justice_schema.translation.sources import SOURCE_FILE, SOURCE_LINE

__all__ = [
    "GROUP_KEY", "GatherPlan", "Gathered", "distinct_rows", "first_of_group", "gather_children", "group_keys", "key_of",
]

# Arrow scalars built once (a Python literal is converted again on every compute call).
_EMPTY = scalar("", pa.string())
_NULL_TEXT = scalar(None, pa.string())
_FALSE = scalar(False)
#: The column holding each row's group key while a group gather runs (never output).
GROUP_KEY = "_group"


@attrs.frozen(slots=True)
class GatherPlan:
    """A ``[[gather]]`` block, checked.

    ``record_type`` names child rows of the main input; ``files`` (a glob)
    names child rows read from other files with ``source`` options. ``into``
    is the parent record type, ``on`` the parent's key columns and ``keys`` the
    child's (the same names by default). ``attach`` is ``"key"`` (a child
    belongs to the first parent with its key) or ``"preceding"`` (to the
    nearest parent with its key before it in the same file) or ``"group"``
    (``into`` is ``record_type``: rows sharing a key become one record, see
    the module docs); ``distinct`` the columns a group gather gathers once.
    """

    name: str
    into: str
    on: tuple[str, ...]
    keys: tuple[str, ...]
    max: int
    record_type: str | None = None
    files: str | None = None
    orphans: str = "reject"
    source: Mapping[str, Any] = attrs.field(factory=dict)
    attach: str = "key"
    distinct: tuple[str, ...] = ()

    def column(self, k: int, name: str) -> str:
        """The parent's column holding ``name`` of its ``k``-th child."""
        return f"{self.name}.{k}.{name}"

    @property
    def count_column(self) -> str:
        """The parent's column holding its number of children."""
        return f"{self.name}.count"


@attrs.frozen(slots=True)
class Gathered:
    """The outcome of one gather.

    ``table`` is the parent table with the gathered columns appended.
    ``child_parent`` gives, per child row, the parent row it was attached to
    (null when not attached); ``child_problem`` why a child row was not
    attached (null when attached).
    """

    table: pa.Table
    child_parent: pa.Array
    child_problem: pa.Array


def key_of(table: pa.Table, names: Sequence[str]) -> pa.Array:
    """One text key per row from the columns ``names``; null when any part is blank or missing."""
    arrays = []
    for name in names:
        if name in table.column_names:
            column = table.column(name)
            column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        else:
            column = pa.nulls(table.num_rows, pa.string())
        column = textops.trim(as_text(column))
        arrays.append(pc.if_else(pc.equal(column, _EMPTY), _NULL_TEXT, column))
    if len(arrays) == 1:
        return arrays[0]
    return pc.binary_join_element_wise(*arrays, scalar("\x1f"), null_handling="emit_null")


def group_keys(table: pa.Table, names: Sequence[str]) -> pa.Array:
    """Each row's group: its key from ``names``, or a key of its own when that is blank.

    >>> keys = group_keys(pa.table({"a": ["x", "", "x"]}), ["a"]).to_pylist()
    >>> keys[0] == keys[2] == "x" != keys[1]
    True
    """
    keys = key_of(table, names)
    own = pc.binary_join_element_wise(scalar("\x1e"), as_text(pa.array(range(table.num_rows), pa.int64())), "")
    return pc.coalesce(keys, own)


def first_of_group(keys: pa.Array) -> pa.Array:
    """True for the first row of each key (``keys`` never null)."""
    return pc.equal(pc.index_in(keys, value_set=keys), pa.array(range(len(keys)), pa.int32()))


def distinct_rows(table: pa.Table, groups: pa.Array, names: Sequence[str]) -> tuple[pa.Array, int]:
    """Which rows a group gather gathers (``distinct`` columns filled, first in their group), and how many repeat.

    >>> t = pa.table({"c": ["10", "10", None, "20"]})
    >>> mask, repeated = distinct_rows(t, pa.array(["g", "g", "g", "g"]), ["c"])
    >>> mask.to_pylist(), repeated
    ([True, False, False, True], 1)
    """
    if not names:
        return pa.repeat(scalar(True), table.num_rows), 0
    values = key_of(table, names)
    both = pc.binary_join_element_wise(groups, values, "\x1f")
    first = pc.fill_null(first_of_group(pc.fill_null(both, _EMPTY)), _FALSE)
    filled = pc.is_valid(values)
    mask = pc.and_(filled, first)
    repeated = int(pc.sum(pc.and_(filled, pc.invert(first))).as_py() or 0)
    return mask, repeated


def _rank_within_key(keys: pa.Array) -> pa.Array:
    """1-based position of each row among the rows with the same key, in input order (null key: null)."""
    n = len(keys)
    positions = pa.array(range(n), pa.int64())
    grouped = (
        pa.table({"k": keys, "p": positions})
        .filter(pc.is_valid(keys))
        .group_by("k", use_threads=False)
        .aggregate([("p", "list")])
    )
    lists = grouped.column("p_list").combine_chunks()
    flat = pc.list_flatten(lists)
    parents = pc.list_parent_indices(lists)
    offsets = pc.cast(lists.offsets, pa.int64())
    starts = pc.take(offsets.slice(0, len(lists)), parents)
    within = pc.add(pc.subtract(pa.array(range(len(flat)), pa.int64()), pc.subtract(starts, offsets[0])), 1)
    # Scatter the ranks back to input order.
    where = pc.index_in(positions, value_set=flat)
    return pc.take(within, where)


def _column(table: pa.Table, name: str, kind: pa.DataType) -> pa.Array:
    """A column as one array (nulls when the table has no such column)."""
    if name not in table.column_names:
        return pa.nulls(table.num_rows, kind)
    column = table.column(name)
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _preceding_parent(parents: pa.Table, parent_keys: pa.Array, children: pa.Table,
                      child_keys: pa.Array) -> pa.Array:
    """Per child row, the nearest parent row before it in the same file with the same key (null: none).

    Parents and children are sorted together by (key, file, line); the last
    parent seen is carried forward and kept where its key and file are the
    child's. Whole-array operations only.
    """
    n, m = parents.num_rows, children.num_rows
    group = pa.concat_arrays([
        pc.binary_join_element_wise(parent_keys, as_text(_column(parents, SOURCE_FILE, pa.string())), "\x1e"),
        pc.binary_join_element_wise(child_keys, as_text(_column(children, SOURCE_FILE, pa.string())), "\x1e"),
    ])
    lines = pa.concat_arrays([pc.cast(_column(parents, SOURCE_LINE, pa.int64()), pa.int64()),
                              pc.cast(_column(children, SOURCE_LINE, pa.int64()), pa.int64())])
    is_parent = pa.concat_arrays([pa.repeat(scalar(True), n), pa.repeat(_FALSE, m)])
    position = pa.concat_arrays([pa.array(range(n), pa.int64()), pa.array(range(m), pa.int64())])
    both = pa.table({"g": group, "l": lines, "p": is_parent, "i": position})
    # At the same line (never in a real file) the parent sorts first.
    order = pc.sort_indices(both, sort_keys=[("g", "ascending"), ("l", "ascending"), ("p", "descending")])
    both = both.take(order)
    parent_row = pc.fill_null_forward(pc.if_else(both.column("p"), both.column("i"), scalar(None, pa.int64())))
    parent_group = pc.fill_null_forward(pc.if_else(both.column("p"), both.column("g"), scalar(None, pa.string())))
    same = pc.fill_null(pc.equal(parent_group, both.column("g")), _FALSE)
    found = pc.if_else(same, parent_row, scalar(None, pa.int64()))
    mine = pc.invert(both.column("p").combine_chunks())
    child_at = pc.filter(both.column("i").combine_chunks(), mine)
    found = pc.filter(found.combine_chunks() if isinstance(found, pa.ChunkedArray) else found, mine)
    # child_at is a permutation of 0..m-1: its sort order puts the answers back in child order.
    return pc.take(found, pc.sort_indices(child_at))


def gather_children(
    parents: pa.Table,
    children: pa.Table,
    plan: GatherPlan,
    columns: Sequence[str],
    child_label: str,
) -> Gathered:
    """Attach ``children`` to ``parents`` by key as numbered columns (see the module docs).

    ``columns`` are the child columns to copy; ``child_label`` names the child
    rows in reasons (``"record of type '2'"``).

    >>> parents = pa.table({"inc": ["A", "B"]})
    >>> children = pa.table({"inc": ["B", "A", "B", "C"], "code": ["x", "y", "z", "w"]})
    >>> plan = GatherPlan(name="off", into="1", on=("inc",), keys=("inc",), max=2, record_type="2")
    >>> out = gather_children(parents, children, plan, ["code"], "record of type '2'")
    >>> out.table.column("off.1.code").to_pylist(), out.table.column("off.2.code").to_pylist()
    (['y', 'x'], [None, 'z'])
    >>> out.child_parent.to_pylist()
    [1, 0, 1, None]
    """
    n = parents.num_rows
    parent_keys = key_of(parents, plan.on)
    child_keys = key_of(children, plan.keys)
    if plan.attach == "preceding":
        parent_of = _preceding_parent(parents, parent_keys, children, child_keys)
        rank = _rank_within_key(as_text(parent_of))
    else:
        parent_of = pc.index_in(child_keys, value_set=parent_keys, skip_nulls=True)
        rank = _rank_within_key(child_keys)
    overflow = pc.fill_null(pc.greater(rank, scalar(plan.max, pa.int64())), _FALSE)
    attached = pc.and_(pc.is_valid(parent_of), pc.invert(overflow))
    shown_key = pc.fill_null(pc.replace_substring(child_keys, "\x1f", "+"), scalar("<blank>"))
    what = "+".join(plan.keys)
    where = " before it in its file" if plan.attach == "preceding" else ""
    orphan_text = pc.binary_join_element_wise(
        scalar(f"no record of type {plan.into!r} with {what} = '"), shown_key,
        scalar(f"'{where} for this {child_label}"), scalar(""))
    overflow_text = pc.binary_join_element_wise(
        scalar(f"more than {plan.max} '{plan.name}' records for {what} = '"), shown_key,
        scalar("'; this one is number "), as_text(rank), scalar(""))
    problem = pc.if_else(
        pc.is_null(parent_of), orphan_text,
        pc.if_else(overflow, overflow_text, scalar(None, pa.string())))
    child_parent = pc.if_else(attached, parent_of, scalar(None, pa.int64()))

    table = parents
    parent_rows = pa.array(range(n), pa.int64())
    child_rows = pa.array(range(children.num_rows), pa.int64())
    count = pa.repeat(scalar(0, pa.int64()), n)
    for k in range(1, plan.max + 1):
        mine = pc.and_(attached, pc.fill_null(pc.equal(rank, scalar(k, pa.int64())), _FALSE))
        owners = pc.filter(child_parent, mine)
        rows = pc.filter(child_rows, mine)
        slot = pc.index_in(parent_rows, value_set=owners)
        child_at = pc.take(rows, slot)
        count = pc.add(count, pc.cast(pc.is_valid(child_at), pa.int64()))
        for name in columns:
            values = children.column(name) if name in children.column_names else pa.nulls(
                children.num_rows, pa.string())
            values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
            table = table.append_column(plan.column(k, name), pc.take(as_text(values), child_at))
    table = table.append_column(plan.count_column, as_text(count))
    return Gathered(table, child_parent, problem)
