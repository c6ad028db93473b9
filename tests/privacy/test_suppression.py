"""Small-cell suppression: no published cell under the threshold, and no suppressed cell that the
published totals determine, checked by linear algebra (not by the bridge rule the code uses)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from justice_schema.privacy import bridges, count_table, suppress
from justice_schema.privacy.suppression import with_totals


def determined_cells(counts: np.ndarray, suppressed: np.ndarray) -> list[tuple[int, int]]:
    """Suppressed cells whose value follows from the published sums.

    Unknowns are the suppressed cells of the table with its totals (last row and column). Each
    interior row says: its cells minus its total = 0; each interior column likewise; the totals row
    and column say the same of the totals. Published cells move to the right-hand side. A cell is
    determined exactly when its unit vector lies in the row space of the equations' unknown part.
    """
    n_rows, n_cols = counts.shape
    unknown = list(zip(*np.nonzero(suppressed), strict=True))
    if not unknown:
        return []
    position = {cell: i for i, cell in enumerate(unknown)}
    equations = []
    for i in range(n_rows):  # row i: sum of interior cells = the row's total (column n_cols - 1)
        row = np.zeros(len(unknown))
        for j in range(n_cols):
            if (i, j) in position:
                row[position[(i, j)]] += -1.0 if j == n_cols - 1 else 1.0
        equations.append(row)
    for j in range(n_cols):
        col = np.zeros(len(unknown))
        for i in range(n_rows):
            if (i, j) in position:
                col[position[(i, j)]] += -1.0 if i == n_rows - 1 else 1.0
        equations.append(col)
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    found = []
    for cell, index in position.items():
        unit = np.zeros(len(unknown))
        unit[index] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(cell)
    return found


def test_hand_table():
    # one small cell (3) per row of a 2x2 table: suppressing only it would leave row totals to give it away
    inner = np.array([[3, 40], [50, 60]])
    table = suppress(with_totals((("a",), ("b",)), ("x", "y"), inner), 10)
    assert table.status[0, 0] == 1
    assert table.suppressed.sum() >= 4
    assert determined_cells(table.counts, table.suppressed) == []


def test_count_table_counts_and_totals():
    data = pa.table({"r": ["a", "a", "b", None], "c": ["x", "y", "x", "x"]})
    table = count_table(data, ["r"], "c")
    assert table.row_keys == (("(missing)",), ("a",), ("b",))
    assert table.counts.tolist() == [[1, 0, 1], [1, 1, 2], [1, 0, 1], [3, 1, 4]]


@settings(max_examples=120, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 6)),
              elements=st.one_of(st.integers(0, 12), st.integers(0, 60))),
       st.integers(2, 15))
def test_no_suppressed_cell_is_recomputable(inner, threshold):
    table = suppress(with_totals(tuple((str(i),) for i in range(inner.shape[0])),
                                 tuple(str(j) for j in range(inner.shape[1])), inner), threshold)
    counts, hidden = table.counts, table.suppressed
    published = counts[~hidden]
    assert not ((published > 0) & (published < threshold)).any()  # no small cell shown
    assert (counts[hidden] > 0).all()  # a suppressed zero could pin its cycle: never used
    assert determined_cells(counts, hidden) == []  # none recomputable from the totals
    assert bridges(hidden) == []
