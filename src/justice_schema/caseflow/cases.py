"""One row per case: who, where, the date each stage was reached, and the most serious offenses."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.caseflow._common import Aligned, aligned, first_row_per_case
from justice_schema.linking import LinkResult
from justice_schema.linking.rules import LinkRules, default_rules

__all__ = ["case_table"]

# the case's head is its arrest, or its highest event when it has none
_HEAD_ORDER = ("arrest", "prosecution_decision", "court_case", "charge", "disposition", "custody_period", "supervision")
_NONE = np.iinfo(np.int32).max


def _stage(al: Aligned, days: np.ndarray, mask: np.ndarray, how: str) -> pa.Array:
    """Per case number, the earliest (``how="min"``) or latest (``"max"``) of ``days`` over the rows in ``mask``."""
    rows = np.flatnonzero(mask & (al.case >= 0))
    valid = days[rows] != _NONE
    rows = rows[valid]
    n = len(al.uids)
    if how == "min":
        out = np.full(n, _NONE, np.int32)
        np.minimum.at(out, al.case[rows], days[rows])
        missing = out == _NONE
    else:
        out = np.full(n, -_NONE, np.int32)
        np.maximum.at(out, al.case[rows], days[rows])
        missing = out == -_NONE
    return pa.array(out, pa.int32(), mask=missing).cast(pa.date32())


def _days(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(pc.cast(column, pa.int32()), _NONE).to_numpy(), np.int32)


def _most_serious(al: Aligned, mask: np.ndarray, rules: LinkRules, prefix: str) -> dict[str, pa.Array]:
    t = al.table
    rows = np.flatnonzero(mask & (al.case >= 0))
    sub = t.select(["severity", "severity_degree", "ucr_code", "severity_rank"]).take(pa.array(rows))
    rank = np.zeros(t.num_rows, np.int64)
    rank[rows] = np.asarray(rules.most_serious.rank(sub["severity"], sub["severity_degree"], sub["ucr_code"],
                                                    sub["severity_rank"]).to_numpy(zero_copy_only=False), np.int64)
    best = first_row_per_case(np.where(mask, al.case, -1), rank, len(al.uids), al.position)
    take = pa.array(np.maximum(best, 0))
    has = pa.array(best >= 0)
    return {f"{prefix}_{c}": pc.if_else(has, t.column(c).take(take), pa.scalar(None, pa.string()))
            for c in ("ucr_code", "statute_code", "severity", "severity_degree")}


def case_table(events: pa.Table, linked: LinkResult, rules: LinkRules | None = None) -> pa.Table:
    """One row per ``case_uid``: person, agency, county, year and demographics of its arrest; the date
    of each stage (incident, arrest, decision and whether charges were filed, court filing, last
    disposition, conviction, custody admission and release, supervision start); the most serious
    offense charged and the most serious offense of conviction (``rules.most_serious``).

    ``events`` are the events given to :func:`~justice_schema.linking.link_events`; the rows come in
    ``case_uid`` order."""
    rules = rules or default_rules()
    al = aligned(events, linked)
    t = al.table
    typ = t.column("event_type")
    head_rank = pc.fill_null(pc.index_in(typ, value_set=pa.array(_HEAD_ORDER)), len(_HEAD_ORDER))
    head = first_row_per_case(al.case, np.asarray(head_rank.to_numpy(), np.int64), len(al.uids), al.position)
    heads = t.select(["person_uid", "agency", "county", "sex", "race", "event_type", "event_date"]).take(pa.array(head))
    incident = al.incident[head]
    has_incident = pa.array(incident >= 0)
    out: dict[str, pa.Array | pa.ChunkedArray] = {"case_uid": al.uids}
    for name in ("person_uid", "agency", "county", "sex", "race"):
        out[name] = heads.column(name)
    out["incident_id"] = pc.if_else(has_incident, t.column("event_id").take(pa.array(np.maximum(incident, 0))),
                                    pa.scalar(None, pa.string()))
    out["head_type"], out["head_date"] = heads.column("event_type"), heads.column("event_date")
    days, ends = _days(t.column("event_date")), _days(t.column("end_date"))

    def is_(event_type: str) -> np.ndarray:
        return np.asarray(pc.equal(typ, event_type).to_numpy(), bool)

    outcome = pc.fill_null(t.column("outcome"), "")
    filed = np.asarray(pc.equal(outcome, "FILED").to_numpy(), bool)
    convicted = np.asarray(pc.equal(outcome, "CONVICTED").to_numpy(), bool)
    decision, disposition, custody = is_("prosecution_decision"), is_("disposition"), is_("custody_period")
    out["arrest_date"] = _stage(al, days, is_("arrest"), "min")
    out["decision_date"] = _stage(al, days, decision, "min")
    out["charges_filed_date"] = _stage(al, days, decision & filed, "min")
    out["filing_date"] = _stage(al, days, is_("court_case"), "min")
    out["disposition_date"] = _stage(al, days, disposition, "max")
    out["conviction_date"] = _stage(al, days, disposition & convicted, "min")
    out["admission_date"] = _stage(al, days, custody, "min")
    out["release_date"] = _stage(al, ends, custody, "max")
    out["supervision_date"] = _stage(al, days, is_("supervision"), "min")
    out.update(_most_serious(al, is_("charge"), rules, "charged"))
    out.update(_most_serious(al, disposition & convicted, rules, "convicted"))
    out["incident_date"] = pc.if_else(has_incident, t.column("event_date").take(pa.array(np.maximum(incident, 0))),
                                      pa.scalar(None, pa.date32()))
    year = pc.year(pc.coalesce(out["arrest_date"], out["head_date"]))
    out["year"] = pc.cast(year, pa.int32())
    return pa.table(out)
