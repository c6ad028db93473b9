"""One row per case: who, where, the date each stage was reached, and the most serious offenses."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.caseflow._common import first_per_group, with_cases
from justice_schema.linking import LinkResult
from justice_schema.linking.rules import LinkRules, default_rules

__all__ = ["case_table"]


def _stage(events: pa.Table, event_type: str, column: str, how: str, name: str, where: pa.Array | None = None) -> pa.Table:
    mask = pc.equal(events["event_type"], event_type)
    if where is not None:
        mask = pc.and_(mask, where)
    sub = events.filter(mask)
    return sub.group_by("case_uid", use_threads=False).aggregate([(column, how)]).rename_columns(["case_uid", name])


def _most_serious(events: pa.Table, mask: pa.Array, rules: LinkRules, prefix: str) -> pa.Table:
    sub = events.filter(mask)
    rank = rules.most_serious.rank(sub["severity"], sub["severity_degree"], sub["ucr_code"], sub["severity_rank"])
    sub = sub.append_column("_rank", rank)
    top = first_per_group(sub, "case_uid", [("_rank", "ascending"), ("event_id", "ascending")])
    cols = ["ucr_code", "statute_code", "severity", "severity_degree"]
    return top.select(["case_uid", *cols]).rename_columns(["case_uid", *(f"{prefix}_{c}" for c in cols)])


def case_table(events: pa.Table, linked: LinkResult, rules: LinkRules | None = None) -> pa.Table:
    """One row per ``case_uid``: person, agency, county, year and demographics of its arrest; the date
    of each stage (incident, arrest, decision and whether charges were filed, court filing, last
    disposition, conviction, custody admission and release, supervision start); the most serious
    offense charged and the most serious offense of conviction (``rules.most_serious``)."""
    rules = rules or default_rules()
    ev = with_cases(events, linked).filter(pc.is_valid(pc.field("case_uid")))
    typ = ev["event_type"]
    # the case's head: its arrest, or its highest event when it has none
    order = pc.index_in(typ, value_set=pa.array(["arrest", "prosecution_decision", "court_case", "charge", "disposition",
                                                 "custody_period", "supervision"]))
    head = first_per_group(ev.append_column("_order", order), "case_uid", [("_order", "ascending"), ("event_id", "ascending")])
    out = head.select(["case_uid", "person_uid", "agency", "county", "sex", "race", "incident_id", "event_type", "event_date"])
    out = out.rename_columns(["case_uid", "person_uid", "agency", "county", "sex", "race", "incident_id", "head_type", "head_date"])
    outcome = pc.fill_null(ev["outcome"], "")
    parts = [
        _stage(ev, "arrest", "event_date", "min", "arrest_date"),
        _stage(ev, "prosecution_decision", "event_date", "min", "decision_date"),
        _stage(ev, "prosecution_decision", "event_date", "min", "charges_filed_date", pc.equal(outcome, "FILED")),
        _stage(ev, "court_case", "event_date", "min", "filing_date"),
        _stage(ev, "disposition", "event_date", "max", "disposition_date"),
        _stage(ev, "disposition", "event_date", "min", "conviction_date", pc.equal(outcome, "CONVICTED")),
        _stage(ev, "custody_period", "event_date", "min", "admission_date"),
        _stage(ev, "custody_period", "end_date", "max", "release_date"),
        _stage(ev, "supervision", "event_date", "min", "supervision_date"),
        _most_serious(ev, pc.equal(typ, "charge"), rules, "charged"),
        _most_serious(ev, pc.and_(pc.equal(typ, "disposition"), pc.equal(outcome, "CONVICTED")), rules, "convicted"),
    ]
    for part in parts:
        out = out.join(part, "case_uid", join_type="left outer")
    all_events = events.select(["event_id", "event_date"]).rename_columns(["incident_id", "incident_date"])
    out = out.join(all_events, "incident_id", join_type="left outer")
    year = pc.year(pc.coalesce(out["arrest_date"], out["head_date"]))
    out = out.append_column("year", pc.cast(year, pa.int32()))
    return out.sort_by("case_uid")
