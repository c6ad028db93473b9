"""The per-batch scratchpad expressions write their findings to (problems, unmapped values)."""

from __future__ import annotations

from collections import Counter

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import one_array
from justice_schema._toolkit.scalars import scalar
from justice_schema.translation.reasons import NOT_TRANSLATED, Reasons, place_of

__all__ = ["EvalContext", "Value"]


@attrs.frozen(slots=True)
class Value:
    """An evaluated expression: the values, and the source text they came from.

    ``raw`` is the source's own text before any map or lookup (what a coded
    field's ``*_raw`` twin keeps); ``None`` when the value did not come from the
    source (a constant). ``clean`` says the array is text already trimmed with
    blanks as null, so a consumer need not trim it again.
    """

    array: pa.Array
    raw: pa.Array | None = None
    clean: bool = False


class EvalContext:
    """What an expression sees while it runs on one batch, and where it reports problems.

    ``table`` is the (possibly exploded) table of source rows; ``row_index`` maps
    each of its rows to the row of the source batch it came from, so that a
    problem found on an exploded item rejects the whole source row.
    """

    __slots__ = ("_table", "_base", "_mask", "row_index", "item_index", "record_type", "problems", "unmapped",
                 "warnings", "n", "memo")

    def __init__(
        self,
        table: pa.Table,
        row_index: pa.Array,
        record_type: str,
        problems: list[Reasons],
        unmapped: dict[str, Counter[str]],
        warnings: Counter[str],
        item_index: pa.Array | None = None,
        memo: dict[object, Value] | None = None,
    ) -> None:
        self._table: pa.Table | None = table
        self._base: pa.Table | None = None
        self._mask: pa.Array | None = None
        self.n = table.num_rows if table is not None else len(row_index)
        self.row_index = row_index
        self.item_index = item_index
        self.record_type = record_type
        self.problems = problems
        self.unmapped = unmapped
        self.warnings = warnings
        self.memo: dict[object, Value] = {} if memo is None else memo

    def eval(self, step: object) -> Value:
        """``step.evaluate(self)``, computed once per context (shared sub-expressions run once)."""
        try:
            return self.memo[step]
        except KeyError:
            value = step.evaluate(self)  # type: ignore[attr-defined]
            self.memo[step] = value
            return value
        except TypeError:  # an unhashable step
            return step.evaluate(self)  # type: ignore[attr-defined]

    @property
    def table(self) -> pa.Table:
        """The rows this context sees (filtered on first use when the context is a subset)."""
        if self._table is None:
            assert self._base is not None and self._mask is not None
            self._table = self._base.filter(self._mask)
        return self._table

    def subset(self, mask: pa.Array) -> EvalContext:
        """A context over the rows where ``mask`` is true, reporting to the same places.

        Columns are filtered only when an expression reads them.
        """
        mask = pc.fill_null(mask, scalar(False))
        rows = pc.filter(self.row_index, mask)
        sub = EvalContext(None, rows, self.record_type, self.problems, self.unmapped,
                          self.warnings, None if self.item_index is None else pc.filter(self.item_index, mask))
        if self._table is not None:
            sub._base, sub._mask = self._table, mask
        else:
            sub._base, sub._mask = self._base, pc.replace_with_mask(
                pa.repeat(scalar(False), len(self._mask)), self._mask, mask)  # type: ignore[arg-type]
        return sub

    def column(self, name: str) -> pa.Array:
        """A column of the table as one array (all null when the batch lacks it)."""
        if self._table is None:
            base, mask = self._base, self._mask
            assert base is not None and mask is not None
            if name not in base.column_names:
                return pa.nulls(self.n, pa.string())
            column = pc.filter(base.column(name), mask)
        elif name in self._table.column_names:
            column = self._table.column(name)
        else:
            return pa.nulls(self.n, pa.string())
        return one_array(column)

    def problem(self, mask: pa.Array, message: str | pa.Array, code: str = NOT_TRANSLATED,
                label: str | None = None) -> None:
        """Reject the source rows of the rows where ``mask`` is true, with ``message`` under ``code``.

        ``message`` is one text for all, or an array of texts aligned with the table;
        ``code`` one of :mod:`~justice_schema.translation.reasons` (default: a value
        that could not be translated); ``label`` the mapped value's label
        (``entity.field``), when the problem is about one.
        """
        mask = pc.fill_null(mask, scalar(False))
        if not pc.any(mask).as_py():
            return
        rows = pc.filter(self.row_index, mask)
        if isinstance(message, str):
            texts = pa.repeat(scalar(message, pa.string()), len(rows))
        else:
            texts = pc.filter(message, mask)
        entity, field = place_of(label)
        self.problems.append(Reasons(rows, texts, code, field, entity))

    def problem_quoted(self, mask: pa.Array, values: pa.Array, before: str, after: str) -> None:
        """Like :meth:`problem` (a value not translated), the message quoting each bad value: ``before'value'after``.

        ``before`` is ``"<label>: "``, naming the mapped value. The messages are only
        built for the rows that have the problem.
        """
        mask = pc.fill_null(mask, scalar(False))
        if not pc.any(mask).as_py():
            return
        text = values if pa.types.is_string(values.type) else pc.cast(values, pa.string())
        bad = pc.utf8_slice_codeunits(pc.filter(text, mask), 0, 60)
        messages = pc.binary_join_element_wise(scalar(before + "'"), bad, scalar("'" + after), scalar(""),
                                               null_handling="replace", null_replacement="")
        entity, field = place_of(before.removesuffix(": "))
        self.problems.append(Reasons(pc.filter(self.row_index, mask), messages, NOT_TRANSLATED, field, entity))

    def count_unmapped(self, name: str, values: pa.Array) -> None:
        """Count vendor values with no mapping under map ``name``."""
        if len(values) == 0:
            return
        counts = pc.value_counts(values)
        counter = self.unmapped.setdefault(name, Counter())
        for item in counts.to_pylist():
            counter[item["values"]] += item["counts"]
