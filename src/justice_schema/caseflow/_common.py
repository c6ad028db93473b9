"""Helpers the measures share: the events with their case, first row per group."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.linking import LinkResult, check_events


def with_cases(events: pa.Table, linked: LinkResult) -> pa.Table:
    """``events`` (checked) with ``case_uid`` and ``incident_id`` from ``linked``."""
    events = check_events(events)
    return events.join(linked.cases.select(["event_id", "case_uid", "incident_id"]), "event_id", join_type="left outer")


def first_per_group(table: pa.Table, group: str, order: list[tuple[str, str]]) -> pa.Table:
    """The first row of each ``group`` value after sorting by ``group`` then ``order`` (a total order
    when ``order`` ends with a unique column)."""
    if table.num_rows == 0:
        return table
    keys = [(group, "ascending"), *order]
    indices = pc.sort_indices(table.select([k for k, _ in keys]), sort_keys=keys)
    starts = group_starts(table.column(group).take(indices))
    return table.take(indices.filter(pa.array(starts)))


def group_starts(keys: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """True where a sorted column's value differs from the row before (and on the first row)."""
    keys = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
    if len(keys) == 0:
        return np.zeros(0, bool)
    differs = pc.fill_null(pc.not_equal(keys.slice(1), keys.slice(0, len(keys) - 1)), True)
    return np.r_[True, differs.to_numpy(zero_copy_only=False)]


def days_between(later: pa.ChunkedArray | pa.Array, earlier: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Whole days from ``earlier`` to ``later`` (null when either is null)."""
    return pc.subtract(pc.cast(pc.cast(later, pa.date32()), pa.int32()), pc.cast(pc.cast(earlier, pa.date32()), pa.int32()))
