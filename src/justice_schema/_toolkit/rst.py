"""reStructuredText list tables for the generated documentation pages (one writer for every page).

>>> print("\\n".join(list_table(("Code", "Meaning"), [("``M``", "Male")], (15, 85))))
.. list-table::
   :header-rows: 1
   :widths: 15 85
<BLANKLINE>
   * - Code
     - Meaning
   * - ``M``
     - Male
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["list_table"]


def list_table(header: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[int], *,
               title: str = "") -> list[str]:
    """The lines of a ``list-table`` directive: a header row then ``rows``, each as many cells as ``header``.

    Cells are written as given (already RST); ``title`` becomes the table's
    caption. No blank line is added after the table.
    """
    lines = [f".. list-table::{' ' + title if title else ''}", "   :header-rows: 1",
             f"   :widths: {' '.join(str(w) for w in widths)}", ""]
    for row in (header, *rows):
        if len(row) != len(header):
            raise ValueError(f"a row of {len(row)} cells in a table of {len(header)} columns: {row!r}")
        lines += [f"   * - {row[0]}", *(f"     - {cell}" for cell in row[1:])]
    return lines
