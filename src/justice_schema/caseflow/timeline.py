"""A person's timeline: every event of a person across agencies, in order, with its case."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.caseflow._common import aligned, group_starts
from justice_schema.linking import EVENT_TYPES, LinkResult

__all__ = ["person_timeline"]


def person_timeline(events: pa.Table, linked: LinkResult, person_uid: str | None = None) -> pa.Table:
    """Every event with a person (all people, or only ``person_uid``), ordered by person, date (undated
    events last), stage order (an arrest before its charges on the same day) and event id; with ``case_uid``, ``sequence``
    (1-based within the person) and the offense and outcome."""
    al = aligned(events, linked)
    t = al.table
    has_person = pc.is_valid(t.column("person_uid"))
    if person_uid is not None:
        has_person = pc.and_(has_person, pc.equal(t.column("person_uid"), person_uid))
    keep = np.asarray(pc.fill_null(has_person, False).to_numpy(), bool)
    rows = al.order[keep[al.order]]                       # rows with a person, in event-id order
    # a stable sort on (person, date, stage) keeps event-id order within ties; only the sort keys are
    # taken before the order is known, the output columns once after
    person_col = t.column("person_uid").take(pa.array(rows))
    person = np.asarray(pc.rank(person_col, sort_keys="ascending", tiebreaker="dense").to_numpy(), np.int64)
    del person_col
    day = pc.cast(t.column("event_date"), pa.int32())
    latest = pc.max(day).as_py()
    # an undated event comes after the person's dated ones (its place in time is unknown)
    days = np.asarray(pc.fill_null(day, (latest if latest is not None else 0) + 1).to_numpy(), np.int64)[rows]
    stage = np.asarray(pc.index_in(t.column("event_type"), value_set=pa.array(EVENT_TYPES)).to_numpy(), np.int64)[rows]
    if len(days):
        days = days - days.min()
        span = int(days.max()) + 1
        rows = rows[np.argsort((person * span + days) * len(EVENT_TYPES) + stage, kind="stable")]
    cols = ["person_uid", "event_date", "end_date", "event_type", "event_id", "agency", "ucr_code", "statute_code", "outcome"]
    ev = t.select(cols).take(pa.array(rows))
    case = al.case[rows]
    ev = ev.append_column("case_uid", al.uids.take(pa.array(case, mask=case < 0)))
    starts = group_starts(ev["person_uid"])
    idx = np.arange(len(starts))
    first = np.maximum.accumulate(np.where(starts, idx, 0)) if len(starts) else idx
    seq = (idx - first + 1).astype(np.int32)
    return pa.table({"person_uid": ev["person_uid"], "sequence": seq, "event_date": ev["event_date"],
                     "end_date": ev["end_date"], "event_type": ev["event_type"], "event_id": ev["event_id"],
                     "case_uid": ev["case_uid"], "agency": ev["agency"], "ucr_code": ev["ucr_code"],
                     "statute_code": ev["statute_code"], "outcome": ev["outcome"]})
