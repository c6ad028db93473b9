"""The per-batch scratchpad expressions write their findings to (problems, unmapped values)."""

from __future__ import annotations

from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["EvalContext", "Value"]

import attrs


@attrs.frozen(slots=True)
class Value:
    """An evaluated expression: the values, and the source text they came from.

    ``raw`` is the source's own text before any map or lookup (what a coded
    field's ``*_raw`` twin keeps); ``None`` when the value did not come from the
    source (a constant).
    """

    array: pa.Array
    raw: pa.Array | None = None


class EvalContext:
    """What an expression sees while it runs on one batch, and where it reports problems.

    ``table`` is the (possibly exploded) table of source rows; ``row_index`` maps
    each of its rows to the row of the source batch it came from, so that a
    problem found on an exploded item rejects the whole source row.
    """

    __slots__ = ("table", "row_index", "item_index", "record_type", "problems", "unmapped", "warnings", "n")

    def __init__(
        self,
        table: pa.Table,
        row_index: pa.Array,
        record_type: str,
        problems: list[tuple[pa.Array, pa.Array]],
        unmapped: dict[str, Counter[str]],
        warnings: Counter[str],
        item_index: pa.Array | None = None,
    ) -> None:
        self.table = table
        self.n = table.num_rows
        self.row_index = row_index
        self.item_index = item_index
        self.record_type = record_type
        self.problems = problems
        self.unmapped = unmapped
        self.warnings = warnings

    def subset(self, mask: pa.Array) -> EvalContext:
        """A context over the rows where ``mask`` is true, reporting to the same places."""
        mask = pc.fill_null(mask, False)
        return EvalContext(
            self.table.filter(mask), pc.filter(self.row_index, mask), self.record_type, self.problems,
            self.unmapped, self.warnings, None if self.item_index is None else pc.filter(self.item_index, mask),
        )

    def column(self, name: str) -> pa.Array:
        """A column of the table as one array (all null when the batch lacks it)."""
        if name in self.table.column_names:
            column = self.table.column(name)
            return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        return pa.nulls(self.n, pa.string())

    def problem(self, mask: pa.Array, message: str | pa.Array) -> None:
        """Reject the source rows of the rows where ``mask`` is true, with ``message``.

        ``message`` is one text for all, or an array of texts aligned with the table.
        """
        mask = pc.fill_null(mask, False)
        if not pc.any(mask).as_py():
            return
        rows = pc.filter(self.row_index, mask)
        if isinstance(message, str):
            texts = pa.repeat(pa.scalar(message, pa.string()), len(rows))
        else:
            texts = pc.filter(message, mask)
        self.problems.append((rows, texts))

    def count_unmapped(self, name: str, values: pa.Array) -> None:
        """Count vendor values with no mapping under map ``name``."""
        if len(values) == 0:
            return
        counts = pc.value_counts(values)
        counter = self.unmapped.setdefault(name, Counter())
        for item in counts.to_pylist():
            counter[item["values"]] += item["counts"]
