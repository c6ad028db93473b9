"""A linkage attack: how many published rows or cells match each row of an outside table.

An attacker holds a table of the kind a press release or a court calendar publishes (town, date,
offense, age, sex), brings it to the published resolution (town to county, date to month, age to
band: public knowledge) and looks for the published rows that agree on every shared column. A
*unique match* (exactly one row, or a published count of 1) singles a person out. The research
tier's k-anonymity makes every match at least ``k`` rows; the public tier's suppression makes every
matching count either suppressed or at least the threshold.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LinkageResult", "match_records", "match_counts"]


@attrs.frozen(slots=True)
class LinkageResult:
    """Per outside row, how many published rows (or the published count) it matched."""

    matches: pa.Array

    @property
    def unique(self) -> int:
        """Outside rows matched by exactly one published row: people singled out."""
        return int(pc.sum(pc.equal(self.matches, 1)).as_py() or 0)

    @property
    def matched(self) -> int:
        """Outside rows matching at least one published row."""
        return int(pc.sum(pc.greater(pc.fill_null(self.matches, 0), 0)).as_py() or 0)

    @property
    def smallest(self) -> int | None:
        """The smallest non-zero match (``None`` when nothing matched)."""
        positive = pc.filter(self.matches, pc.greater(pc.fill_null(self.matches, 0), 0))
        return int(pc.min(positive).as_py()) if len(positive) else None


def _keys(table: pa.Table, columns: list[str]) -> pa.Table:
    return pa.table({f"k{i}": pc.fill_null(table.column(c).cast(pa.string()), "\x00null")
                     for i, c in enumerate(columns)})


def match_records(outside: pa.Table, published: pa.Table, on: Mapping[str, str]) -> LinkageResult:
    """Match ``outside`` rows to ``published`` rows on ``on`` (outside column → published column)."""
    left = _keys(outside, list(on)).append_column("\x00row", pa.array(range(outside.num_rows), pa.int64()))
    right = _keys(published, list(on.values()))
    names = right.column_names
    sizes = right.group_by(names).aggregate([([], "count_all")])
    joined = left.join(sizes, names, join_type="left outer").sort_by("\x00row")
    return LinkageResult(pc.fill_null(joined.column("count_all"), 0).combine_chunks())


def match_counts(outside: pa.Table, counts: pa.Table, on: Mapping[str, str]) -> LinkageResult:
    """The published count of the cell each ``outside`` row falls in (null when suppressed, 0 when
    absent) in a long count table (:func:`~justice_schema.privacy.aggregate_table`)."""
    left = _keys(outside, list(on)).append_column("\x00row", pa.array(range(outside.num_rows), pa.int64()))
    right = _keys(counts, list(on.values())).append_column("count", counts.column("count"))
    right = right.append_column("\x00present", pa.array([1] * counts.num_rows, pa.int8()))
    joined = left.join(right, [f"k{i}" for i in range(len(on))], join_type="left outer").sort_by("\x00row")
    present = pc.is_valid(joined.column("\x00present"))
    return LinkageResult(pc.if_else(present, joined.column("count"), 0).combine_chunks())
