"""The file-gather stage of translation: child rows read from other files, attached to their parents.

A gather whose children come from other files (``[[gather]]`` with
``files``) reads them once (:func:`load_file_gather`); each batch of parents
takes its children (:func:`attach_file_children`), and once the batch is
settled the children learn their parent's fate (:func:`record_children_fate`),
so each child row ends translated, rejected with its parent, an instruction,
overflow or orphan, and is counted.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.scalars import scalar
from justice_schema.errors import InputError
from justice_schema.translation.compiler import Program
from justice_schema.translation.gather import GatherPlan, gather_children, key_of
from justice_schema.translation.sources import BOOKKEEPING_COLUMNS, SOURCE_ERROR, read_source
from justice_schema.translation.sources.presence import ColumnCheck
from justice_schema.validation.duplicates import text_hashes

__all__ = ["LoadedGather", "attach_file_children", "load_file_gather", "record_children_fate"]


@attrs.define(slots=True)
class LoadedGather:
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
    #: The readable child rows with a key, as (sorted key hashes, the row of each, every row's key): a batch
    #: of parents finds its children by binary search instead of a pass over every child row (built on first use)
    index: tuple[np.ndarray, np.ndarray, pa.Array] | None = None

    def candidates(self, parent_keys: pa.Array) -> np.ndarray:
        """The readable child rows whose key is one of ``parent_keys``, in file order.

        Hashes (:func:`~justice_schema.validation.duplicates.text_hashes`) find the candidates;
        their keys are then compared as text, so a hash collision never attaches a child.
        """
        if self.index is None:
            child_keys = key_of(self.table, self.plan.keys)
            rows = np.flatnonzero(np.asarray(pc.and_(self.readable, pc.is_valid(child_keys)).to_numpy(
                zero_copy_only=False), bool))
            hashes = text_hashes(child_keys.take(pa.array(rows))) if len(rows) else np.zeros(0, np.uint64)
            order = np.argsort(hashes, kind="stable")
            self.index = (hashes[order], rows[order], child_keys)
        hashes, rows, child_keys = self.index
        wanted = pc.drop_null(parent_keys)
        if not len(wanted) or not len(hashes):
            return np.zeros(0, np.int64)
        probe = np.sort(text_hashes(wanted))
        low, high = np.searchsorted(hashes, probe, "left"), np.searchsorted(hashes, probe, "right")
        counts = high - low
        if not counts.sum():
            return np.zeros(0, np.int64)
        # every index in [low, high) of each probe, without a Python loop; a key repeated among the
        # parents finds its children once per repeat: keep each child row once
        starts = np.repeat(low - np.cumsum(counts) + counts, counts)
        found = np.sort(rows[starts + np.arange(int(counts.sum()))])
        found = found[np.r_[True, found[1:] != found[:-1]]]
        same = pc.is_in(child_keys.take(pa.array(found)), value_set=wanted)
        return found[np.asarray(same.to_numpy(zero_copy_only=False), bool)]


def load_file_gather(program: Program, plan: GatherPlan, files: list[Path]) -> LoadedGather:
    """Read the child rows a gather takes from ``files``; unreadable rows are marked so from the start.

    Raises :class:`~justice_schema.errors.InputError` when a key column is missing.
    """
    options = {k: v for k, v in plan.source.items() if k != "format"}
    batches = [b.table for b in ColumnCheck.for_program(program, gather=plan).checked(
        read_source(plan.source["format"], files, options))]
    table = pa.concat_tables(batches, promote_options="permissive") if batches else pa.table({})
    for name in plan.keys:
        if table.num_rows and name not in table.column_names:
            raise InputError(f"gathered input {plan.name!r} has no key column {name!r}",
                             path=str(files[0]))
    columns = tuple(c for c in table.column_names if c not in BOOKKEEPING_COLUMNS)
    fate = pa.nulls(table.num_rows, pa.string())
    readable = pa.repeat(scalar(True), table.num_rows)
    if SOURCE_ERROR in table.column_names:
        readable = pc.is_null(table.column(SOURCE_ERROR).combine_chunks())
        fate = pc.if_else(readable, fate, scalar("unreadable"))
    return LoadedGather(plan, table, columns, readable, fate, pa.nulls(table.num_rows, pa.string()))


def attach_file_children(table: pa.Table, record_type: str, loaded: list[LoadedGather]
                         ) -> tuple[pa.Table, list[tuple[LoadedGather, pa.Array, pa.Array]]]:
    """Attach the file-gathered children to this batch's rows; touches no shared state.

    Returns the batch with the children's columns, and per gather into this
    record type: (gather, the batch row each child row went to or null, why not).
    """
    attached = []
    for gather in loaded:
        if gather.plan.into != record_type:
            continue
        # only the children whose key is among this batch's parents' (all of a key's children, in file
        # order, so ranks and overflow are those of the whole file): a batch costs its own size, not the file's
        positions = gather.candidates(key_of(table, gather.plan.on))
        children = gather.table.take(pa.array(positions))
        out = gather_children(table, children, gather.plan, gather.columns, f"row of {gather.plan.name!r}")
        table = out.table
        slot = np.full(gather.table.num_rows, -1, dtype=np.int64)
        slot[positions] = np.arange(len(positions))
        where = pa.array(slot, mask=slot < 0)
        attached.append((gather, pc.take(out.child_parent, where), pc.take(out.child_problem, where)))
    return table, attached


def record_children_fate(attached: list[tuple[LoadedGather, pa.Array, pa.Array]], fate: pa.Array,
                         where: pa.Array | None) -> None:
    """Record what became of the file-gathered children attached in a batch (call in input order).

    ``attached`` is :func:`attach_file_children`'s answer; ``fate`` the fate of
    each batch row ("translated", "rejected", ...) and ``where`` its file and line.
    """
    for gather, parent_of, problem in attached:
        # A child beyond `max` for its parent is rejected, whatever the orphan policy.
        overflow = pc.and_(pc.and_(pc.is_null(parent_of), pc.is_null(gather.fate)),
                           pc.fill_null(pc.starts_with(problem, "more than "), scalar(False)))
        if pc.any(overflow).as_py():
            gather.fate = pc.if_else(overflow, scalar("overflow"), gather.fate)
            gather.parent_where = pc.if_else(overflow, problem, gather.parent_where)
        newly = pc.and_(pc.is_valid(parent_of), pc.is_null(gather.fate))
        if not pc.any(newly).as_py() or where is None:
            continue
        gather.fate = pc.if_else(newly, pc.take(fate, parent_of), gather.fate)
        gather.parent_where = pc.if_else(newly, pc.take(where, parent_of), gather.parent_where)
