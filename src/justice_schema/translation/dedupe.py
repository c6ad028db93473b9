"""The dedupe stage of translation: one record per id, and nothing the dropped duplicates said is lost.

A source often repeats a record (the same person on every arrest row). A
``dedupe = true`` block keeps the first record of each id across the whole
run (:class:`Deduplicator`), counts the duplicates merged, and counts every
value a dropped duplicate disagrees on or adds, per entity and field
(``dedupe_conflicts`` in the summary). The conflicting values themselves are
listed (:data:`~justice_schema.translation.result.CONFLICT_SCHEMA`) for the
first :data:`CONFLICT_SAMPLE` conflicts of the run by default, in input order,
or for all of them (``conflict_sample=None``): an export that repeats each
person on every charge row can have more conflicts than rows, and listing
them all cost a third of a translation's CPU and most of its output.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, as_text, one_array
from justice_schema._toolkit.scalars import scalar
from justice_schema.translation.expressions import join_skipping_nulls
from justice_schema.translation.result import CONFLICT_SCHEMA, Reconciliation
from justice_schema.validation.duplicates import DuplicateTracker, text_hashes

__all__ = ["CONFLICT_SAMPLE", "Deduplicator", "KeptRecords"]

#: Conflict rows listed per run by default (all are counted); ``conflict_sample=None`` lists every one.
CONFLICT_SAMPLE = 1_000


class Deduplicator:
    """The ids seen and the records kept so far, per entity, for one translation run.

    Counts go to ``reconciliation`` (``duplicates_merged``, ``dedupe_conflicts``,
    and ``conflicts_listed``). Call :meth:`dedupe` on each batch's records in
    input order. ``conflict_sample`` caps the conflict rows returned over the
    run (the first ones in input order; ``None``: every one); counting is never capped.
    """

    def __init__(self, reconciliation: Reconciliation, conflict_sample: int | None = CONFLICT_SAMPLE) -> None:
        if conflict_sample is not None and conflict_sample < 0:
            raise ValueError(f"conflict_sample must be 0 or more (or None for all), not {conflict_sample}")
        self.reconciliation = reconciliation
        self.conflict_sample = conflict_sample
        self._seen: dict[str, DuplicateTracker] = {}
        #: Per deduplicated entity: the records kept, to compare their duplicates with.
        self._kept: dict[str, KeptRecords] = {}

    def dedupe(self, entity: str, table: pa.Table, rows: pa.Array, files: pa.Array | None,
               lines: pa.Array | None) -> tuple[pa.Table, pa.Table | None, pa.Array]:
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
        part, list fields entry by entry. ``rows`` are the records' positions in
        their source batch, whose ``files`` and ``lines`` locate a conflict.
        Returns the records kept, the conflicts (or ``None``) and the ``rows`` of the records kept.
        """
        if table.num_rows == 0:
            return table, None, rows
        tracker = self._seen.setdefault(entity, DuplicateTracker())
        ids = one_array(table.column("id"))
        repeated = tracker.duplicates(ids)
        compared = [f.name for f in table.schema if f.name not in _NOT_COMPARED]
        store = self._kept.setdefault(entity, KeptRecords())
        if not repeated.true_count:
            store.add(ids, table.select(compared))
            self.reconciliation.duplicates_merged[entity] += 0  # 0 is reported too
            return table, None, rows
        keep = pc.invert(repeated)
        out = table.filter(keep)
        kept_rows = pc.filter(rows, keep)
        store.add(pc.filter(ids, keep), out.select(compared))
        self.reconciliation.duplicates_merged[entity] += table.num_rows - out.num_rows
        if not compared:
            return out, None, kept_rows
        others = table.select(compared).filter(repeated)  # only the compared columns are copied
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
        room = (None if self.conflict_sample is None
                else max(0, self.conflict_sample - self.reconciliation.conflicts_listed))
        for name in compared:
            for leaf, mine, theirs, lost in _conflicts(name, one_array(others.column(name)),
                                                       one_array(first.column(name))):
                n = int(lost.true_count)
                if not n:
                    continue
                counter.setdefault(entity, Counter())[leaf] += n
                if room == 0:
                    continue  # the sample is full: counted, not listed
                at = pc.filter(dup_rows, lost)
                pieces.append(pa.table({
                    "entity": pa.repeat(scalar(entity), n),
                    "id": pc.filter(other_ids, lost),
                    "field": pa.repeat(scalar(leaf), n),
                    "kept_value": _value_text(pc.filter(theirs, lost)),
                    "other_value": _value_text(pc.filter(mine, lost)),
                    "source_file": pc.take(as_text(files), at) if files is not None else pa.nulls(
                        n, pa.string()),
                    "source_line": pc.cast(pc.take(lines, at), pa.int64()) if lines is not None
                    else pa.nulls(n, pa.int64()),
                }, schema=CONFLICT_SCHEMA))
        if not pieces:
            return out, None, kept_rows
        found = pa.concat_tables(pieces)
        # By source line, then field in schema order (the sort is stable; the pieces are in field order).
        found = found.take(pc.sort_indices(found, sort_keys=[("source_line", "ascending")]))
        if room is not None:
            found = found.slice(0, room)
        self.reconciliation.conflicts_listed += found.num_rows
        return out, found, kept_rows

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


class KeptRecords:
    """The records ``dedupe`` kept of one entity (their compared columns), batch by batch, found by id.

    The tables are the output's own (no copy). Ids are found through 64-bit hashes
    of the ids kept, held as a few sorted numpy segments that merge like a binary
    counter (so adding n ids costs O(n log n) overall and a lookup O(log n)
    binary searches); a hash match is confirmed by comparing the texts.
    """

    __slots__ = ("_ids", "_segments", "_stored", "_tables")

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
