"""Helpers the measures share: the events with their case, first row per group."""

from __future__ import annotations

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.linking import LinkResult, check_events
from justice_schema.linking.events import conform_events


@attrs.frozen
class Aligned:
    """The events of a link run, in the order given, with their cases as integer positions.

    ``table`` is the events in the event layout (not copied when already in it). Per row: ``case`` is
    the case number (``uids[case]`` is its ``case_uid``; -1 for none), ``incident`` the row of its
    case's incident (-1 for none) and ``position`` the row's place in event-id order (for ties);
    ``order`` lists the rows in event-id order.
    """

    table: pa.Table
    case: np.ndarray
    incident: np.ndarray
    position: np.ndarray
    order: np.ndarray
    uids: pa.Array


def aligned(events: pa.Table, linked: LinkResult) -> Aligned:
    """``events`` lined up with ``linked`` by position when they are the events that were linked
    (the linker's sort order reused: no copy, no join, no second uniqueness check), else by a join on ids."""
    index = linked.index
    if index is not None and events.num_rows == len(index.order):
        table = conform_events(events)
        if table.column("event_id").take(index.order).equals(linked.cases.column("event_id")):
            order = np.asarray(index.order.to_numpy(), np.int64)
            position = np.empty(len(order), np.int64)
            position[order] = np.arange(len(order))
            case = index.case[position]
            incident = index.incident[position]
            incident = np.where(incident >= 0, order[np.maximum(incident, 0)], -1)
            return Aligned(table=table, case=case, incident=incident, position=position, order=order, uids=index.uids)
    table = with_cases(events, linked)
    order = np.asarray(pc.sort_indices(table.column("event_id")).to_numpy(), np.int64)
    position = np.empty(len(order), np.int64)
    position[order] = np.arange(len(order))
    uids = pc.unique(table.column("case_uid").drop_null()).sort()
    case = pc.fill_null(pc.index_in(table.column("case_uid"), value_set=uids), -1).to_numpy()
    incident = pc.fill_null(pc.index_in(table.column("incident_id"), value_set=table.column("event_id")), -1).to_numpy()
    return Aligned(table=table, case=np.asarray(case, np.int64), incident=np.asarray(incident, np.int64),
                   position=position, order=order, uids=uids)


def with_cases(events: pa.Table, linked: LinkResult) -> pa.Table:
    """``events`` (checked) with ``case_uid`` and ``incident_id`` from ``linked``."""
    events = check_events(events)
    return events.join(linked.cases.select(["event_id", "case_uid", "incident_id"]), "event_id", join_type="left outer")


def first_row_per_case(case: np.ndarray, rank: np.ndarray, cases: int, position: np.ndarray) -> np.ndarray:
    """Per case number ``0 .. cases - 1``, the row with the smallest ``rank``, ties to the smallest
    ``position`` (a distinct integer per row in ``0 .. rows - 1``, e.g. the event-id order); -1 for a
    case with no row. Rows with a negative ``case`` are left out."""
    rows = np.flatnonzero(case >= 0)
    n = max(len(case), 1)
    dense = np.unique(rank[rows], return_inverse=True)[1].reshape(-1).astype(np.int64)
    best = np.full(cases, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(best, case[rows], dense * n + position[rows])
    found = best != np.iinfo(np.int64).max
    row_at = np.empty(n, np.int64)
    row_at[position] = np.arange(len(position))
    return np.where(found, row_at[np.where(found, best % n, 0)], -1)


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
