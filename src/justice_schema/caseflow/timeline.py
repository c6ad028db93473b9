"""A person's timeline: every event of a person across agencies, in order, with its case."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.caseflow._common import group_starts, with_cases
from justice_schema.linking import EVENT_TYPES, LinkResult

__all__ = ["person_timeline"]


def person_timeline(events: pa.Table, linked: LinkResult, person_uid: str | None = None) -> pa.Table:
    """Every event with a person (all people, or only ``person_uid``), ordered by person, date, stage
    order (an arrest before its charges on the same day) and event id; with ``case_uid``, ``sequence``
    (1-based within the person) and the offense and outcome."""
    ev = with_cases(events, linked).filter(pc.is_valid(pc.field("person_uid")))
    if person_uid is not None:
        ev = ev.filter(pc.equal(ev["person_uid"], person_uid))
    stage = pc.index_in(ev["event_type"], value_set=pa.array(EVENT_TYPES))
    ev = ev.append_column("_stage", stage).sort_by(
        [("person_uid", "ascending"), ("event_date", "ascending"), ("_stage", "ascending"), ("event_id", "ascending")])
    starts = group_starts(ev["person_uid"])
    idx = np.arange(len(starts))
    first = np.maximum.accumulate(np.where(starts, idx, 0)) if len(starts) else idx
    seq = (idx - first + 1).astype(np.int32)
    return pa.table({"person_uid": ev["person_uid"], "sequence": seq, "event_date": ev["event_date"],
                     "end_date": ev["end_date"], "event_type": ev["event_type"], "event_id": ev["event_id"],
                     "case_uid": ev["case_uid"], "agency": ev["agency"], "ucr_code": ev["ucr_code"],
                     "statute_code": ev["statute_code"], "outcome": ev["outcome"]})
