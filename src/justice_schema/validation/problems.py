"""Per-row problems: the errors the columnar engine finds, as texts a reject can carry.

An issue table (:mod:`~justice_schema.validation.issues`) is for reports: its
messages never hold values, so it can be sent to an agency. A *problem* is for
a reject file that carries the raw source row anyway: it names the field, says
exactly what is wrong with the value (quoting it, cut to 60 characters), and
ends with the rule code, so the reason can be looked up in the rule catalogue::

    sex: 'X' is not a code of Sex (JS-P04)
    source.extracted_at: required but missing (JS-P01)

:class:`RowProblems` holds them for one table; the columnar engine builds it
(:func:`~justice_schema.validation.row_problems`), translation turns it into
rejects. Texts are built whole-array, and only for the rows that fail.
"""

from __future__ import annotations

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange
from justice_schema._toolkit.scalars import scalar
from justice_schema.validation.constraints import FieldSpec
from justice_schema.validation.rule_types import Rule

__all__ = ["PROBLEM_SCHEMA", "RowProblems", "problem_texts"]

#: Columns of :attr:`RowProblems.table`: one row per (table row, rule, field).
PROBLEM_SCHEMA = pa.schema([
    pa.field("row", pa.int64(), nullable=False, metadata={"description": "0-based position in the table checked"}),
    pa.field("code", pa.string(), nullable=False),
    pa.field("field", pa.string(), metadata={"description": "field path, list levels dropped"}),
    pa.field("text", pa.string(), nullable=False,
             metadata={"description": "'field: what is wrong (CODE)', quoting the value"}),
])

#: At most this many characters of a value are quoted in a problem text.
QUOTED_CHARS = 60

_NO_PROBLEMS = PROBLEM_SCHEMA.empty_table()


@attrs.frozen(slots=True)
class RowProblems:
    """The rule errors of one canonical table, per row (warnings are not problems).

    ``table`` (:data:`PROBLEM_SCHEMA`) has one row per (row, rule, field),
    sorted by row then code; ``num_rows`` is the size of the table checked.

    >>> import pyarrow as pa
    >>> found = RowProblems(3, pa.table({"row": [2, 2], "code": ["JS-P01", "JS-P04"], "field": ["id", "sex"],
    ...     "text": ["id: required but missing (JS-P01)", "sex: 'X' is not a code of Sex (JS-P04)"]},
    ...     schema=PROBLEM_SCHEMA))
    >>> found.reasons().to_pylist()
    [None, None, "id: required but missing (JS-P01); sex: 'X' is not a code of Sex (JS-P04)"]
    >>> found.rows.to_pylist(), found.rejected.to_pylist()
    ([2], [False, False, True])
    """

    num_rows: int
    table: pa.Table

    @classmethod
    def none(cls, num_rows: int) -> RowProblems:
        """No problem in a table of ``num_rows`` rows."""
        return cls(num_rows, _NO_PROBLEMS)

    def __bool__(self) -> bool:
        return self.table.num_rows > 0

    @property
    def rows(self) -> pa.Array:
        """The 0-based positions of the rows with at least one problem, ascending, each once."""
        if not self.table.num_rows:
            return pa.array([], pa.int64())
        return pc.unique(self.table.column("row").combine_chunks())

    @property
    def rejected(self) -> pa.Array:
        """A boolean mask over the table: true for rows with at least one problem."""
        return pc.is_in(arange(self.num_rows), value_set=self.rows)

    def reasons(self, prefix: str = "") -> pa.Array:
        """One text per table row: its problems ``"; "``-joined (each after ``prefix``); null where none."""
        if not self.table.num_rows:
            return pa.nulls(self.num_rows, pa.string())
        texts = self.table.column("text").combine_chunks()
        if prefix:
            texts = pc.binary_join_element_wise(scalar(prefix), texts, scalar(""))
        grouped = (pa.table({"row": self.table.column("row"), "text": texts})
                   .group_by("row", use_threads=False).aggregate([("text", "list")]))
        joined = pc.binary_join(grouped.column("text_list"), scalar("; "))
        return pc.take(joined, pc.index_in(arange(self.num_rows), value_set=grouped.column("row")))


def _quoted(values: pa.Array, before: str, after: str) -> pa.Array:
    """``before'value'after`` per value (the value cut to :data:`QUOTED_CHARS` characters)."""
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    if pa.types.is_boolean(values.type):
        text = pc.if_else(values, scalar("true"), scalar("false"))
    else:
        text = pc.utf8_slice_codeunits(pc.cast(values, pa.string()), 0, QUOTED_CHARS)
    return pc.binary_join_element_wise(scalar(before + "'"), text, scalar("'" + after), scalar(""),
                                       null_handling="replace", null_replacement="")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _length_texts(spec: FieldSpec, values: pa.Array, before: str, after: str) -> pa.Array:
    short = f"{before}shorter than {spec.min_length} character(s){after}"
    long = f"{before}longer than {spec.max_length} characters{after}"
    if spec.min_length is None or spec.max_length is None:
        return pa.repeat(scalar(short if spec.max_length is None else long), len(values))
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    too_short = pc.fill_null(pc.less(pc.utf8_length(values), scalar(spec.min_length, pa.int32())), False)
    return pc.if_else(too_short, scalar(short), scalar(long))


def _range_texts(spec: FieldSpec, values: pa.Array, before: str, after: str) -> pa.Array:
    below = _quoted(values, before, f" is below {_number(spec.ge)}{after}") if spec.ge is not None else None
    above = _quoted(values, before, f" is above {_number(spec.le)}{after}") if spec.le is not None else None
    if below is None or above is None:
        return below if above is None else above
    return pc.if_else(pc.fill_null(pc.less(values, scalar(spec.ge)), False), below, above)


def _items_texts(spec: FieldSpec, values: pa.Array, before: str, after: str) -> pa.Array:
    few = f"{before}needs at least {spec.min_items} item(s){after}"
    many = f"{before}at most {spec.max_items} item(s) allowed{after}"
    if spec.max_items is None or spec.min_items is None:
        return pa.repeat(scalar(few if spec.max_items is None else many), len(values))
    over = pc.fill_null(pc.greater(pc.list_value_length(values), scalar(spec.max_items, pa.int32())), False)
    return pc.if_else(over, scalar(many), scalar(few))


def _fbi_edits(rule: Rule) -> str:
    """``", FBI edit 119"`` or ``", FBI edits 652/752"`` for a rule with NIBRS edit numbers, else ``""``."""
    if not rule.nibrs_edits:
        return ""
    plural = "s" if len(rule.nibrs_edits) > 1 else ""
    return f", FBI edit{plural} {'/'.join(rule.nibrs_edits)}"


def problem_texts(rule: Rule, field: str, spec: FieldSpec | None, values: pa.Array | None, count: int,
                  detail: str | None = None) -> pa.Array:
    """``count`` texts ``"field: what is wrong (CODE)"`` for failures of ``rule`` on ``field``.

    A rule with NIBRS edit numbers names them after its code:
    ``"(JS-A20, FBI edits 652/752)"``.

    ``values`` are the offending values (one per failure) when the engine kept
    them; ``spec`` gives the field's limits; ``detail`` overrides the wording.
    Without a spec or values the rule's own message is used.
    """
    before, after = f"{field}: ", f" ({rule.code}{_fbi_edits(rule)})"
    kind = rule.kind if spec is not None and values is not None and detail is None else None
    if kind == "code" and spec is not None and spec.code_list is not None:
        return _quoted(values, before, f" is not a code of {spec.code_list}{after}")
    if kind == "declaration" and spec is not None and spec.literal is not None:
        return _quoted(values, before, f" is not one of {', '.join(spec.literal)}{after}")
    if kind == "pattern" and spec is not None and spec.pattern is not None:
        return _quoted(values, before, f" does not match the pattern {spec.pattern}{after}")
    if kind == "length" and spec is not None:
        return _length_texts(spec, values, before, after)
    if kind == "range" and spec is not None:
        return _range_texts(spec, values, before, after)
    if kind == "items" and spec is not None:
        return _items_texts(spec, values, before, after)
    fixed = {"missing": "required but missing", "control": "holds a control character (a C0 character other "
                                                           "than tab and line breaks)"}
    text = detail or fixed.get(rule.kind or "", rule.message)
    return pc.fill_null(pa.nulls(count, pa.string()), scalar(f"{before}{text}{after}"))

