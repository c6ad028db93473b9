"""Why translation rejects a source row: the reject codes, and the coded reasons the stages gather.

Every reason a row is rejected for carries a stable code, as every validation issue does
(the one issue shape, :mod:`justice_schema.issues`). A record that breaks a rule of the
schema is rejected under that rule's own code (``JS-P04``, ``JS-I20``...); the rest are
translation's own:

===========  ========================================================================
``JS-T01``   the source row could not be read (a malformed line, a cell count that is off)
``JS-T02``   a value could not be translated (no date in the format, a code with no mapping,
             a part of the record id missing, a transform that refused it)
``JS-T03``   a required joined input has no row with the row's key
``JS-T04``   no record came from the row (no ``[[entity]]`` block took it, or the spec maps
             no such record type)
``JS-T05``   a child row whose parent is missing, rejected, or already full
``JS-T06``   the translator's own ``validate=`` hook found the record invalid
===========  ========================================================================

A stage records each finding as :class:`Reasons` (rows, messages, codes, fields) in the
batch's list; :func:`~justice_schema.translation.rejects.reject_table` turns them into one
reject per row.
"""

from __future__ import annotations

import attrs
import pyarrow as pa

from justice_schema._toolkit.scalars import scalar

__all__ = ["place_of", "UNREADABLE", "NOT_TRANSLATED", "NO_JOIN", "NO_RECORD", "NO_PARENT", "HOOK", "REJECT_CODES",
           "Reasons"]

UNREADABLE = "JS-T01"
NOT_TRANSLATED = "JS-T02"
NO_JOIN = "JS-T03"
NO_RECORD = "JS-T04"
NO_PARENT = "JS-T05"
HOOK = "JS-T06"

#: Each reject code of translation and what it means (the docs' table is checked against it).
REJECT_CODES = {
    UNREADABLE: "the source row could not be read",
    NOT_TRANSLATED: "a value could not be translated",
    NO_JOIN: "a required joined input has no row with the row's key",
    NO_RECORD: "no record came from the row",
    NO_PARENT: "a child row whose parent is missing, rejected, or already full",
    HOOK: "the translator's validate hook found the record invalid",
}


@attrs.frozen(slots=True)
class Reasons:
    """Rows of a batch with one reason each: positions, message texts, and the code and field of each.

    ``code`` and ``field`` are one value for all the rows or an array aligned with
    ``rows``; ``field`` is ``None`` when the reason is about the whole row, ``entity``
    the entity of the record the reason is about (``None``: the source row itself).
    """

    rows: pa.Array
    messages: pa.Array
    code: str | pa.Array
    field: str | pa.Array | None = None
    entity: str | None = None

    def column(self, name: str) -> pa.Array:
        """``code`` or ``field`` as an array aligned with :attr:`rows`."""
        value = self.code if name == "code" else self.field
        if isinstance(value, pa.ChunkedArray):
            return value.combine_chunks()
        if isinstance(value, pa.Array):
            return value
        return pa.nulls(len(self.rows), pa.string()) if value is None else pa.repeat(scalar(value), len(self.rows))


def place_of(label: str | None) -> tuple[str | None, str | None]:
    """The entity and field a mapping's label names (``"arrest.charges.statute"``: ``arrest``, ``charges.statute``).

    The compiler labels every mapped value by its entity and dotted field path, list
    levels dropped (as validation names fields); a label without a dot names no field.

    >>> place_of("arrest.arrest_date"), place_of("person"), place_of(None)
    (('arrest', 'arrest_date'), (None, None), (None, None))
    """
    if not label or "." not in label:
        return None, None
    entity, field = label.split(".", 1)
    return entity, field
