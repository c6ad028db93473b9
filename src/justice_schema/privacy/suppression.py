"""Count tables with primary and complementary small-cell suppression.

A table counts rows by row dimensions (one or more columns, combined) and one column dimension,
and publishes every row total, column total and the grand total. Cells from 1 to ``threshold - 1``
are suppressed (primary; a total under the threshold too). Then more cells are suppressed
(complementary) until no suppressed cell can be worked out from what is published.

Why the rule below is enough: read the table with its totals as a bipartite graph, one node per
row (the totals row included) and per column (the totals column included), one edge per
suppressed cell. The published sums fix a suppressed cell exactly when its edge is a *bridge*
(on no cycle): along a cycle one can add and take away the same amount alternately and every
published sum stays the same. So complementary suppression adds cells, always with a count above
zero (a suppressed zero could pin the amount at zero), until no suppressed edge is a bridge.
Suppressing every non-zero cell is always bridge-free, so the loop ends. The property test in
``tests/privacy/test_suppression.py`` checks the result with linear algebra, not with this reasoning.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["CountTable", "count_table", "suppress", "bridges", "TOTAL", "MISSING"]

#: The label of a total in a row or column dimension.
TOTAL = "(all)"
#: The label of a null value in a dimension.
MISSING = "(missing)"


@attrs.frozen(slots=True)
class CountTable:
    """Counts with totals: ``counts[i, j]`` for row key ``i`` and column key ``j``; the last row and
    last column are the totals. ``status`` is 0 published, 1 primary suppression, 2 complementary."""

    row_keys: tuple[tuple[str, ...], ...]
    column_keys: tuple[str, ...]
    counts: np.ndarray
    status: np.ndarray

    @property
    def suppressed(self) -> np.ndarray:
        """Mask of the suppressed cells (totals included)."""
        return self.status > 0


def _labels(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    text = column.cast(pa.string())
    return pc.fill_null(text, MISSING)


def count_table(table: pa.Table, rows: Sequence[str], column: str) -> CountTable:
    """Count ``table``'s rows by ``rows`` × ``column`` (one Arrow group-by) and add the totals."""
    work = pa.table({**{f"r{i}": _labels(table.column(name)) for i, name in enumerate(rows)},
                     "c": _labels(table.column(column))})
    grouped = work.group_by([*(f"r{i}" for i in range(len(rows))), "c"]).aggregate([([], "count_all")])
    row_part = list(zip(*(grouped.column(f"r{i}").to_pylist() for i in range(len(rows))), strict=True))
    col_part = grouped.column("c").to_pylist()
    row_keys = tuple(sorted(set(row_part)))
    column_keys = tuple(sorted(set(col_part)))
    row_index = {key: i for i, key in enumerate(row_keys)}
    col_index = {key: j for j, key in enumerate(column_keys)}
    counts = np.zeros((len(row_keys) + 1, len(column_keys) + 1), dtype=np.int64)
    r = np.array([row_index[k] for k in row_part], dtype=np.int64)
    c = np.array([col_index[k] for k in col_part], dtype=np.int64)
    counts[r, c] = grouped.column("count_all").to_numpy()
    return with_totals(row_keys, column_keys, counts[:-1, :-1])


def with_totals(row_keys: tuple[tuple[str, ...], ...], column_keys: tuple[str, ...], inner: np.ndarray) -> CountTable:
    """A :class:`CountTable` of the interior counts ``inner`` with its totals computed."""
    counts = np.zeros((inner.shape[0] + 1, inner.shape[1] + 1), dtype=np.int64)
    counts[:-1, :-1] = inner
    counts[:-1, -1] = inner.sum(axis=1)
    counts[-1, :-1] = inner.sum(axis=0)
    counts[-1, -1] = inner.sum()
    return CountTable(row_keys, column_keys, counts, np.zeros(counts.shape, dtype=np.int8))


def bridges(mask: np.ndarray) -> list[tuple[int, int]]:
    """The suppressed cells (``mask`` true) that the published sums determine: bridges of the
    row/column graph (Tarjan's bridge search, iterative)."""
    n_rows, n_cols = mask.shape
    edges = list(zip(*np.nonzero(mask), strict=True))
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n_rows + n_cols)]
    for index, (i, j) in enumerate(edges):
        adjacency[i].append((n_rows + j, index))
        adjacency[n_rows + j].append((i, index))
    order = [-1] * (n_rows + n_cols)
    low = [0] * (n_rows + n_cols)
    found: list[tuple[int, int]] = []
    counter = 0
    for start in range(n_rows + n_cols):
        if order[start] != -1 or not adjacency[start]:
            continue
        order[start] = low[start] = counter
        counter += 1
        stack = [(start, -1, iter(adjacency[start]))]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for nxt, edge in neighbours:
                if edge == via:
                    continue
                if order[nxt] == -1:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, edge, iter(adjacency[nxt])))
                    advanced = True
                    break
                low[node] = min(low[node], order[nxt])
            if not advanced:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        i, j = edges[via]
                        found.append((int(i), int(j)))
    return found


def _complement(counts: np.ndarray, status: np.ndarray, i: int, j: int) -> tuple[int, int] | None:
    """The cell to hide so that the determined cell ``(i, j)`` gets onto a cycle (``None``: every
    non-zero cell is hidden already, so nothing is determined any more)."""
    candidates = []
    for jj in np.nonzero((counts[i] > 0) & (status[i] == 0))[0]:
        closes = (status[:, jj] > 0).any()
        candidates.append((not closes, int(counts[i, jj]), int(i), int(jj)))
    for ii in np.nonzero((counts[:, j] > 0) & (status[:, j] == 0))[0]:
        closes = (status[ii] > 0).any()
        candidates.append((not closes, int(counts[ii, j]), int(ii), int(j)))
    if not candidates:  # row and column used up: any non-zero cell left (the grand total last)
        for ii, jj in zip(*np.nonzero((counts > 0) & (status == 0)), strict=True):
            candidates.append((False, int(counts[ii, jj]), int(ii), int(jj)))
    if not candidates:
        return None
    _, _, ci, cj = min(candidates)
    return ci, cj


def suppress(table: CountTable, threshold: int) -> CountTable:
    """Primary and complementary suppression of ``table`` (see the module text for the rule).

    A complementary cell for a determined cell ``(i, j)`` is the smallest non-zero published cell
    in row ``i`` or column ``j``, preferring one whose other line already holds a suppressed cell
    (it closes a cycle at once).
    """
    counts = table.counts
    status = np.where((counts > 0) & (counts < threshold), 1, 0).astype(np.int8)
    while True:
        open_cells = bridges(status > 0)
        if not open_cells:
            break
        # one complement per interior line of the longer side per round (a complement often
        # closes the cycle of several determined cells of its line); bridges are searched again after
        by_row = counts.shape[0] >= counts.shape[1]
        last = (counts.shape[0] if by_row else counts.shape[1]) - 1
        touched: set[int] = set()
        for i, j in open_cells:
            line = i if by_row else j
            if line in touched:
                continue
            cell = _complement(counts, status, i, j)
            if cell is None:  # the round's earlier complements used the last cells up
                continue
            ci, cj = cell
            status[ci, cj] = 2
            touched.update(x for x in ((i, ci) if by_row else (j, cj)) if x != last)
    return attrs.evolve(table, status=status)
