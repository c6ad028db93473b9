"""Candidate pairs, block by block and chunk by chunk, never all at once.

A blocking key is one or more fields; records that share every field's value
are a block, and the pairs inside a block are the candidates a rule compares.
:func:`block_codes` gives each row one ``int64`` code for a key (``-1`` when a
field is missing, so the row is in no block). :func:`candidate_pairs` sorts
the rows by code once and yields the pairs as NumPy chunks of at most
``chunk_pairs``, built for all blocks of one size at a time with
:func:`numpy.triu_indices` (no Python loop over blocks).

A block larger than ``max_block_size`` (a sentinel value that slipped through,
a very common name on a common birth date) would cost its size squared. It is
*capped*: its rows are ordered by family name, given name, birth date and id,
and each is compared with its ``max_block_size - 1`` neighbours in that order
(a sorted neighbourhood). Every capped block is reported as a
:class:`CappedBlock`, with the pairs compared and skipped, so nothing is
silently dropped.

>>> import numpy as np
>>> capped = []
>>> chunks = candidate_pairs(np.array([7, 7, 7, -1, 3]), np.arange(5), max_block_size=10,
...                          chunk_pairs=1000, capped=capped)
>>> sorted(zip(*map(np.ndarray.tolist, np.concatenate([np.stack(c) for c in chunks], axis=1))))
[(0, 1), (0, 2), (1, 2)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import attrs
import numpy as np

from justice_schema.identity.keys import PersonKeys

__all__ = ["CappedBlock", "block_codes", "block_codes_and_order", "block_order", "candidate_pairs", "dense_rank"]


@attrs.frozen(slots=True)
class CappedBlock:
    """A block too large to compare in full: which rule and key, how big, what was skipped."""

    rule: str
    key: str
    size: int
    pairs_compared: int
    pairs_skipped: int


def _dense_rank_and_order(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    ranks = np.cumsum(np.r_[False, ordered[1:] != ordered[:-1]])
    out = np.empty(len(values), dtype=np.int64)
    out[order] = ranks
    return out, order


def dense_rank(values: np.ndarray) -> np.ndarray:
    """Rank of each value among the distinct values (0, 1, 2...), by one stable sort.

    >>> import numpy as np
    >>> dense_rank(np.array([30, 10, 30, 20])).tolist()
    [2, 0, 2, 1]
    """
    return _dense_rank_and_order(values)[0]


def block_codes_and_order(keys: PersonKeys, block: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """One ``int64`` code per row for a blocking key (fields combined; -1 when any field is
    missing), and the rows that have a code, sorted by it."""
    combined: np.ndarray | None = None
    for spec in block:
        codes = keys.codes(spec)
        if combined is None:
            combined = codes.copy()
            continue
        missing = (combined < 0) | (codes < 0)
        width = int(codes.max(initial=0)) + 2
        if int(combined.max(initial=0)) + 1 >= (2**62) // width:
            combined = np.where(combined >= 0, dense_rank(combined), -1)
        combined = combined * width + (codes + 1)
        combined[missing] = -1
    assert combined is not None
    present = np.flatnonzero(combined >= 0)
    if len(block) > 1:  # dense codes, and the sort that made them is the block order
        dense = np.full(len(combined), -1, dtype=np.int64)
        dense[present], order = _dense_rank_and_order(combined[present])
        return dense, present[order]
    return combined, present[np.argsort(combined[present], kind="stable")]


def block_codes(keys: PersonKeys, block: Sequence[str]) -> np.ndarray:
    """One ``int64`` code per row for a blocking key (fields combined); -1 when any field is missing."""
    return block_codes_and_order(keys, block)[0]


def block_order(codes: np.ndarray) -> np.ndarray:
    """The rows that have a block code, sorted by it."""
    present = np.flatnonzero(codes >= 0)
    return present[np.argsort(codes[present], kind="stable")]


def candidate_pairs(
    codes: np.ndarray,
    order_rank: np.ndarray,
    *,
    max_block_size: int,
    chunk_pairs: int,
    capped: list[CappedBlock] | None = None,
    rule: str = "",
    describe: Callable[[int], str] | None = None,
    order: np.ndarray | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(a, b)`` row-index arrays of the pairs that share a block code.

    ``order_rank`` orders the rows of a capped block (its sorted neighbourhood);
    ``order``, when given, is :func:`block_order` of ``codes``, computed once for
    a key that several rules share. Capped blocks are appended to ``capped``;
    ``describe(row)`` names a block's key in that report.
    """
    if order is None:
        order = block_order(codes)
    if len(order) < 2:
        return
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    keep = sizes >= 2
    starts, sizes = starts[keep], sizes[keep]
    big = sizes > max_block_size

    held: list[tuple[np.ndarray, np.ndarray]] = []
    count = 0
    for size in np.unique(sizes[~big]).tolist():
        group_starts = starts[(sizes == size) & ~big]
        upper_i, upper_j = np.triu_indices(size, 1)
        per_group = len(upper_i)
        groups_per_chunk = max(1, chunk_pairs // per_group)
        offsets = np.arange(size)
        for first in range(0, len(group_starts), groups_per_chunk):
            rows = order[group_starts[first:first + groups_per_chunk, None] + offsets[None, :]]
            if held and count + len(rows) * per_group > chunk_pairs:  # small blocks of several sizes travel together
                yield np.concatenate([h[0] for h in held]), np.concatenate([h[1] for h in held])
                held, count = [], 0
            held.append((rows[:, upper_i].ravel(), rows[:, upper_j].ravel()))
            count += len(held[-1][0])
    if held:
        yield np.concatenate([h[0] for h in held]), np.concatenate([h[1] for h in held])

    window = max_block_size
    for start, size in zip(starts[big].tolist(), sizes[big].tolist(), strict=True):
        segment = order[start:start + size]
        segment = segment[np.argsort(order_rank[segment], kind="stable")]
        compared = 0
        buffer_a: list[np.ndarray] = []
        buffer_b: list[np.ndarray] = []
        buffered = 0
        for step in range(1, min(window, size)):
            buffer_a.append(segment[:-step])
            buffer_b.append(segment[step:])
            buffered += size - step
            compared += size - step
            if buffered >= chunk_pairs:
                yield np.concatenate(buffer_a), np.concatenate(buffer_b)
                buffer_a, buffer_b, buffered = [], [], 0
        if buffered:
            yield np.concatenate(buffer_a), np.concatenate(buffer_b)
        if capped is not None:
            capped.append(CappedBlock(rule=rule, key=describe(int(segment[0])) if describe else "",
                                      size=size, pairs_compared=compared,
                                      pairs_skipped=size * (size - 1) // 2 - compared))
