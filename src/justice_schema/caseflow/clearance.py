"""Clearance of incidents by arrest or exceptionally, the FBI's way: an incident is cleared once.

FBI UCR definitions (FBI, *Crime in the United States*, "Offenses Cleared", and the NIBRS User Manual,
data element 4 "Cleared Exceptionally"): an offense is cleared by arrest when at least one person is
arrested, charged with the offense and turned over to the court for prosecution; it is cleared by
exceptional means when the agency identified the offender, had enough evidence to arrest and knew where
the offender was, but something beyond its control prevented the arrest (codes A-E). The arrest of
several people clears one incident once; an incident with an arrest is cleared by arrest even if it
also carries an exceptional clearance code.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.caseflow._common import aligned
from justice_schema.linking import LinkResult

__all__ = ["clearance", "clearance_summary", "EXCEPTIONAL_CODES"]

#: NIBRS DE 4 codes that clear an incident exceptionally (N = not applicable does not).
EXCEPTIONAL_CODES = ("A", "B", "C", "D", "E")


def clearance(events: pa.Table, linked: LinkResult) -> pa.Table:
    """One row per incident: its offense (``ucr_code``), agency, year, how it was cleared
    (``"arrest"``, ``"exceptional"`` or null), the clearance date (first linked arrest) and the
    number of arrests linked to it."""
    al = aligned(events, linked)
    t = al.table
    typ = t.column("event_type")
    is_arrest = np.asarray(pc.equal(typ, "arrest").to_numpy(), bool) & (al.incident >= 0)
    dated = np.asarray(pc.is_valid(t.column("event_date")).to_numpy(), bool)
    rows = np.flatnonzero(is_arrest & dated)             # an undated arrest is linked to nothing anyway
    days = np.asarray(pc.fill_null(pc.cast(t.column("event_date"), pa.int32()), 0).to_numpy(), np.int32)
    first = np.full(t.num_rows, np.iinfo(np.int32).max, np.int32)
    np.minimum.at(first, al.incident[rows], days[rows])
    count = np.bincount(al.incident[rows], minlength=t.num_rows).astype(np.int64)
    is_incident = np.asarray(pc.equal(typ, "incident").to_numpy(), bool)
    incidents = al.order[is_incident[al.order]]          # in event-id order
    out = t.select(["event_id", "event_date", "agency", "county", "ucr_code", "outcome"]).take(pa.array(incidents))
    arrests_n = count[incidents]
    cleared_date = pa.array(first[incidents], pa.int32(), mask=arrests_n == 0).cast(pa.date32())
    exceptional = pc.fill_null(pc.is_in(out["outcome"], value_set=pa.array(EXCEPTIONAL_CODES)), False)
    how = pc.if_else(pa.array(arrests_n > 0), "arrest",
                     pc.if_else(exceptional, "exceptional", pa.scalar(None, pa.string())))
    return pa.table({
        "incident_id": out["event_id"], "incident_date": out["event_date"], "agency": out["agency"], "county": out["county"],
        "ucr_code": out["ucr_code"], "year": pc.cast(pc.year(out["event_date"]), pa.int32()), "cleared_by": how,
        "cleared_date": cleared_date, "arrests": pa.array(arrests_n, pa.int64()),
        "exceptional_code": pc.if_else(pc.equal(how, "exceptional"), out["outcome"], pa.scalar(None, pa.string())),
    })


def clearance_summary(cleared: pa.Table, by: Sequence[str] = ("agency", "ucr_code", "year")) -> pa.Table:
    """Per group: incidents, cleared by arrest, cleared exceptionally, and the clearance rate (both kinds
    over all incidents)."""
    by = list(by)
    t = pa.table({**{b: cleared[b] for b in by},
                  "_n": pa.array([1] * cleared.num_rows, pa.int64()),
                  "_a": pc.cast(pc.fill_null(pc.equal(cleared["cleared_by"], "arrest"), False), pa.int64()),
                  "_e": pc.cast(pc.fill_null(pc.equal(cleared["cleared_by"], "exceptional"), False), pa.int64())})
    g = t.group_by(by, use_threads=False).aggregate([("_n", "sum"), ("_a", "sum"), ("_e", "sum")])
    rate = pc.divide(pc.cast(pc.add(g["_a_sum"], g["_e_sum"]), pa.float64()), pc.cast(g["_n_sum"], pa.float64()))
    return pa.table({**{b: g[b] for b in by}, "incidents": g["_n_sum"], "cleared_by_arrest": g["_a_sum"],
                     "cleared_exceptionally": g["_e_sum"], "clearance_rate": rate}).sort_by([(b, "ascending") for b in by])
