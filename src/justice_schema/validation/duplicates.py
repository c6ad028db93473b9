"""Catching ids used twice across a stream of batches (rule JS-X01), in time about linear in the ids.

:class:`DuplicateTracker` remembers every distinct id it has seen, as Arrow
text arrays (one *run* per batch, with the run's smallest and largest id).
A new batch is compared with earlier ids in one of two ways:

* **by id range**: only runs whose id range overlaps the batch's are probed.
  Input sorted or clustered by id (the usual export order) overlaps nothing,
  so each batch costs time linear in its own size.
* **by hash**: as soon as probing overlapping runs would cost a fair share of
  what hashing does (ids in random order: from the second batch), the
  tracker builds an index of hashes of every id seen (reusing the hashes of
  runs it hashed already), kept as a few sorted arrays of hash-and-position
  words, and looks each new id up with a binary search. A hash match is only
  a candidate: it is confirmed by comparing the texts, so a hash collision
  can never flag a record wrongly.

Memory: the distinct ids, plus 8 bytes per id once the hash index exists (briefly twice
that while two large segments merge), or for the runs hashed before it (ids repeated within
a batch are found by hash too).

>>> import pyarrow as pa
>>> tracker = DuplicateTracker()
>>> tracker.duplicates(pa.array(["a-1", "a-2", "a-1"])).to_pylist()
[False, False, True]
>>> tracker.duplicates(pa.array(["a-2", "a-3"])).to_pylist()
[True, False]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.scalars import scalar

__all__ = ["DuplicateTracker", "text_hashes"]

#: Probing earlier runs by id range (an Arrow ``is_in``, which hashes the texts, more than once over a
#: stream) costs more than hashing the ids for the index. The tracker builds the index when the ids a batch
#: would probe by range, with those probed before, outnumber this share of the ids stored: ids in random order
#: are indexed from the second batch on, while sorted or clustered ids, whose ranges do not overlap, never are.
_HASH_AFTER = 0.25
_KEYS = np.random.Generator(np.random.PCG64(20261121)).integers(0, 2**64, size=256, dtype=np.uint64) | np.uint64(1)


def _keys(length: int) -> np.ndarray:
    """Odd 64-bit multipliers, one per character position (fixed seed: hashes are reproducible)."""
    global _KEYS
    if len(_KEYS) < length:
        more = np.random.Generator(np.random.PCG64(len(_KEYS))).integers(0, 2**64, size=length, dtype=np.uint64)
        _KEYS = np.concatenate([_KEYS, more | np.uint64(1)])
    return _KEYS


def _mix(h: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: spreads every input bit over the whole hash."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(31))


def text_hashes(values: pa.Array) -> np.ndarray:
    """A 64-bit hash of every value of a text array without nulls (whole-array numpy work, no per-value Python).

    Equal texts hash equal; different texts almost never do (callers confirm matches).
    Each text is read as 8-byte words (right-padded with zero bytes to the longest
    text by Arrow's ``ascii_rpad``, which pads by bytes), each word multiplied by a
    key of its position and summed with the byte length, then mixed: a few operations
    per 8 bytes instead of several per byte. The padding adds zero terms only, so a
    text's hash does not depend on the other texts in the array.
    """
    if pa.types.is_large_string(values.type) or pa.types.is_large_binary(values.type):
        offset_type: type[np.signedinteger[Any]] = np.int64
        values = values.cast(pa.large_string()) if pa.types.is_large_binary(values.type) else values
    else:
        values = values.cast(pa.string()) if not pa.types.is_string(values.type) else values
        offset_type = np.int32
    n = len(values)
    if not n:
        return np.zeros(0, np.uint64)
    if values.null_count:
        values = pc.fill_null(values, scalar("", values.type))  # a null hashes as the empty text
    _, offsets_buffer, _ = values.buffers()
    offsets = np.frombuffer(offsets_buffer, offset_type, n + 1, values.offset * np.dtype(offset_type).itemsize)
    lengths = np.diff(offsets).astype(np.int64)
    hashes = lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    longest = int(lengths.max())
    if longest:
        width = -(-longest // 8) * 8
        padded = values if (lengths == width).all() else pc.ascii_rpad(values, width=width, padding="\x00")
        _, padded_offsets, data = padded.buffers()
        start = int(np.frombuffer(padded_offsets, offset_type, 1, padded.offset * np.dtype(offset_type).itemsize)[0])
        words = np.frombuffer(data, np.uint64, n * width // 8, start).reshape(n, width // 8)
        with np.errstate(over="ignore"):
            hashes += (words * _keys(width // 8)[: width // 8]).sum(axis=1, dtype=np.uint64)
    return _mix(hashes)


def _index_hashes(values: pa.Array) -> np.ndarray:
    """The 32 high bits of :func:`text_hashes`: what the index keeps (4 bytes an id).

    Two different ids share them about once in four billion pairs; such a
    match only costs one text comparison, so 32 bits keep memory low at no
    risk to the verdict.
    """
    return (text_hashes(values) >> np.uint64(32)).astype(np.uint32)


_LOW32 = np.uint64(0xFFFFFFFF)
_32 = np.uint64(32)


def _packed(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """``high << 32 | low`` as one ``uint64`` per entry: sorting these sorts by ``high``, then ``low``, and
    a plain ``np.sort`` of one array is several times cheaper than an ``argsort`` and two gathers."""
    return (high.astype(np.uint64) << _32) | low.astype(np.uint64)


class _HashIndex:
    """Hashes of ids with each id's position in the tracker's store, as a few sorted segments.

    Each entry is one ``uint64``: the id's 32-bit index hash above its 32-bit
    store position (:func:`_packed`), so a segment sorts, merges and is
    searched as a single array. Segments merge like a binary counter (two of
    similar size become one), so adding n ids costs O(n log n) overall and a
    lookup searches O(log n) segments. Callers pass entries already sorted:
    binary searches for sorted keys walk memory in order, several times faster
    than for keys in random order.
    """

    def __init__(self) -> None:
        self._segments: list[np.ndarray] = []

    def add(self, entries: np.ndarray) -> None:
        """Add sorted packed entries (:func:`_packed` of index hash and store position: 8 bytes an id)."""
        self._segments.append(entries)
        del entries
        while len(self._segments) > 1 and len(self._segments[-2]) <= 2 * len(self._segments[-1]):
            newer, older = self._segments.pop(), self._segments.pop()
            merged = np.concatenate([older, newer])
            del older, newer  # released as soon as copied, to keep the peak memory of a large merge down
            merged.sort(kind="stable")  # two sorted runs: the stable sort merges them in linear time
            self._segments.append(merged)

    def candidates(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(query index, stored position) of every stored entry whose index hash equals one of the sorted
        query ``hashes`` (``uint32``)."""
        queries: list[np.ndarray] = []
        found: list[np.ndarray] = []
        lowest = hashes.astype(np.uint64) << _32  # the smallest entry each hash can have
        for stored in self._segments:
            at = np.searchsorted(stored, lowest)
            step = 0
            while True:  # equal hashes sit side by side: walk them (more than one only on a collision)
                index = at + step
                inside = index < len(stored)
                hit = np.zeros(len(hashes), bool)
                hit[inside] = (stored[index[inside]] >> _32) == hashes[inside]
                if not hit.any():
                    break
                queries.append(np.nonzero(hit)[0])
                found.append((stored[index[hit]] & _LOW32).astype(np.int64))
                step += 1
        if not queries:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(queries), np.concatenate(found)


class DuplicateTracker:
    """Remembers ids across batches to flag a record whose id an earlier record already used.

    See the module documentation for how: runs of distinct ids probed by id
    range, and a hash index once ids come in random order. A batch whose ids
    strictly increase has no repeat within itself, which is checked with one
    comparison instead of hashing. For endless streams turn the rule off
    (``check_duplicates=False``).
    """

    def __init__(self) -> None:
        #: distinct ids, one run per batch, with the run's smallest and largest id and, when the run was
        #: hashed, its sorted index hashes and their positions in the run (``None`` once the index exists)
        self._seen: list[tuple[pa.Array, str | None, str | None, tuple[np.ndarray, np.ndarray] | None]] = []
        self._stored = 0
        self._probed = 0
        self._index: _HashIndex | None = None

    @property
    def seen_count(self) -> int:
        """Number of distinct ids remembered."""
        return self._stored

    @property
    def hashed(self) -> bool:
        """True once the tracker looks ids up by hash (ids came in an order with overlapping ranges)."""
        return self._index is not None

    def duplicates(self, ids: pa.Array) -> pa.Array:
        """Boolean mask: true where the id appeared earlier in this batch or in an earlier batch."""
        if pa.types.is_dictionary(ids.type):
            ids = ids.dictionary_decode()
        if isinstance(ids, pa.ChunkedArray):
            ids = ids.combine_chunks()
        n = len(ids)
        # ``new``: the batch's distinct ids; with the hash index on, ``index_hashes`` their sorted index
        # hashes and ``where`` each one's position in ``new``; ``rows`` maps a position in ``new`` to its row
        index_hashes: np.ndarray | None = None
        where: np.ndarray | None = None
        lo = hi = None  # the batch's id range: only needed while runs are probed by range (no hash index yet)
        if (self._index is None and n > 1 and not ids.null_count
                and pc.all(pc.greater(ids.slice(1), ids.slice(0, n - 1))).as_py()):
            dup = np.zeros(n, bool)  # strictly increasing: every id is new within the batch
            new, rows = ids, None
            lo, hi = ids[0].as_py(), ids[n - 1].as_py()
        else:
            new, rows, dup, index_hashes, where = self._first_occurrences(ids)
            if self._index is None and len(new):
                bounds = pc.min_max(new).as_py()
                lo, hi = bounds["min"], bounds["max"]
        if not len(new):
            return pa.array(dup)
        overlapping: list[pa.Array] = []
        if self._index is None and lo is not None and hi is not None:
            # text ids compare in code point order both in Arrow (UTF-8 bytes) and in Python (every run has
            # its bounds until the index exists)
            overlapping = [run for run, low, high, _ in self._seen
                           if low is not None and high is not None and not (high < lo or low > hi)]
            probe = sum(len(run) for run in overlapping)
            if probe and self._probed + probe > _HASH_AFTER * self._stored:
                self._build_index()  # probing would cost about what hashing every id costs: hash instead
                overlapping = []
            else:
                self._probed += probe
        repeated: np.ndarray | None = None  # positions in ``new`` of ids stored before
        if self._index is not None:
            if index_hashes is None or where is None:
                index_hashes, where = _sorted_index_hashes(new)
            repeated = self._repeated_by_hash(new, index_hashes, where)
        elif overlapping:
            seen = pa.chunked_array(overlapping)
            found = pc.filter(seen, pc.is_in(seen, value_set=new)).combine_chunks()
            if len(found):
                repeated = np.flatnonzero(np.asarray(pc.is_in(new, value_set=found).to_numpy(zero_copy_only=False)))
        if repeated is not None and len(repeated):
            dup[repeated if rows is None else rows[repeated]] = True
            fresh = np.ones(len(new), bool)
            fresh[repeated] = False
            new = new.filter(pa.array(fresh))
            if index_hashes is not None and where is not None:  # drop the repeated ids, renumber the rest
                kept = fresh[where]
                index_hashes, where = index_hashes[kept], (np.cumsum(fresh) - 1)[where[kept]]
        if len(new):
            self._remember(new, lo, hi, index_hashes, where)
        return pa.array(dup)

    @staticmethod
    def _first_occurrences(ids: pa.Array) -> tuple[pa.Array, np.ndarray | None, np.ndarray, np.ndarray, np.ndarray]:
        """Within one batch: (distinct ids in row order, their rows or ``None`` when every row is one,
        the repeat mask over the rows, the distinct ids' sorted index hashes, their positions).

        One hash pass: rows whose index hashes (32 bits) are unique are first occurrences; only rows
        sharing one (true repeats, or a collision) have their texts compared. The hashes are sorted
        packed with their row numbers (:func:`_packed`), which also gives the sorted index hashes.
        """
        n = len(ids)
        dup = np.zeros(n, bool)
        valid_rows = None
        values = ids
        if ids.null_count:
            valid_rows = np.flatnonzero(np.asarray(pc.is_valid(ids).to_numpy(zero_copy_only=False)))
            values = ids.take(pa.array(valid_rows))
        packed = _packed(text_hashes(values) >> _32, np.arange(len(values), dtype=np.uint64))
        packed.sort()
        order = (packed & _LOW32).astype(np.int64)
        ordered = packed >> _32
        del packed
        same = ordered[1:] == ordered[:-1]
        first = np.ones(len(values), bool)
        if same.any():
            shared = np.zeros(len(values), bool)
            shared[1:] |= same
            shared[:-1] |= same
            candidates = np.sort(order[shared])  # in row order
            codes = np.asarray(pc.dictionary_encode(values.take(pa.array(candidates))).indices.to_numpy())
            before = np.maximum.accumulate(np.concatenate([[-1], codes[:-1]]))
            first[candidates[codes <= before]] = False  # a code no larger than one before it: seen already
        keep = np.flatnonzero(first)
        rows = valid_rows if valid_rows is not None else None
        if len(keep) < len(values):
            repeats = np.flatnonzero(~first)
            dup[repeats if valid_rows is None else valid_rows[repeats]] = True
            new = values.take(pa.array(keep))
            rows = keep if valid_rows is None else valid_rows[keep]
        else:
            new = values
        # the index hashes of ``new`` in sorted order, with their positions in ``new``
        if len(keep) < len(values):
            kept = first[order]
            order, ordered = order[kept], ordered[kept]
            where = (np.cumsum(first) - 1)[order]
        else:
            where = order
        return new, rows, dup, ordered.astype(np.uint32), where

    def _remember(self, new: pa.Array, lo: str | None, hi: str | None, index_hashes: np.ndarray | None,
                  where: np.ndarray | None) -> None:
        if self._index is not None:
            if index_hashes is None or where is None:
                index_hashes, where = _sorted_index_hashes(new)
            self._index.add(_packed(index_hashes, where + self._stored))
            index_hashes = where = None  # the index holds them now
        # a run hashed before the index exists keeps its sorted hashes for the index (8 bytes an id, as there)
        hashed = (index_hashes, where.astype(np.uint32)) if index_hashes is not None and where is not None else None
        self._seen.append((new, lo, hi, hashed))
        self._stored += len(new)

    def _build_index(self) -> None:
        """Index every run stored so far (reusing the sorted hashes of runs that were hashed already)."""
        self._index = _HashIndex()
        at = 0
        for k, (run, _, _, hashed) in enumerate(self._seen):
            hashes, where = _sorted_index_hashes(run) if hashed is None else hashed
            self._index.add(_packed(hashes, where.astype(np.uint64) + np.uint64(at)))
            self._seen[k] = (run, None, None, None)
            at += len(run)

    def _repeated_by_hash(self, new: pa.Array, hashes: np.ndarray, where: np.ndarray) -> np.ndarray:
        """Positions in ``new`` of its ids stored before: hash candidates, confirmed by comparing the texts.

        ``hashes`` are the sorted index hashes of ``new``, ``where`` their positions in it.
        """
        assert self._index is not None
        queries, positions = self._index.candidates(hashes)
        if not len(queries):
            return np.zeros(0, np.int64)
        # find each candidate's run (no concatenation of the store: candidates are few)
        starts = np.cumsum([0] + [len(run) for run, _, _, _ in self._seen])
        which = np.searchsorted(starts, positions, side="right") - 1
        pieces = [self._seen[k][0].take(pa.array(positions[which == k] - starts[k])) for k in np.unique(which)]
        order = np.argsort(which, kind="stable")  # the pieces hold the candidates grouped by run
        earlier = pa.concat_arrays(pieces).take(pa.array(np.argsort(order)))
        asked = where[queries]
        same = np.asarray(pc.equal(earlier, new.take(pa.array(asked))).to_numpy(zero_copy_only=False), bool)
        return np.unique(asked[same])


def _sorted_index_hashes(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The index hashes (:func:`_index_hashes`) of ``values`` in sorted order, and the position of each."""
    packed = _packed(_index_hashes(values), np.arange(len(values), dtype=np.uint64))
    packed.sort()
    return (packed >> _32).astype(np.uint32), (packed & _LOW32).astype(np.int64)
