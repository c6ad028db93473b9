"""``list_table``: the one writer of the generated pages' RST tables."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema._toolkit.rst import list_table

_CELL = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=8)


@given(st.integers(1, 5).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.lists(_CELL, min_size=n, max_size=n),
                                                                           max_size=4))))
def test_every_cell_is_one_line_in_row_order(shape: tuple[int, list[list[str]]]) -> None:
    columns, rows = shape
    header = [f"h{i}" for i in range(columns)]
    lines = list_table(header, rows, [10] * columns)
    assert lines[:4] == [".. list-table::", "   :header-rows: 1", "   :widths: " + " ".join(["10"] * columns), ""]
    cells = [line[7:] for line in lines[4:]]
    assert cells == [cell for row in [header, *rows] for cell in row]
    assert [line.startswith("   * - ") for line in lines[4:]] == [i % columns == 0 for i in range(len(cells))]


def test_a_caption_and_a_short_row() -> None:
    assert list_table(("a",), [], (100,), title="Rules")[0] == ".. list-table:: Rules"
    with pytest.raises(ValueError, match="a row of 1 cells in a table of 2 columns"):
        list_table(("a", "b"), [("x",)], (50, 50))
