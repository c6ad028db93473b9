"""Odd events never crash linking or the measures: nulls anywhere, missing columns, unknown stages,
repeated ids give a result whose counts reconcile, or an InputError naming the row and field."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from justice_schema import caseflow as cf
from justice_schema.errors import InputError
from justice_schema.linking import EVENT_TYPES, UNDATED, events_from_tables, link_events

_DAY0 = dt.date(2020, 1, 1)
_OPTIONAL = ("person_uid", "end_date", "incident_number", "arrest_transaction_number", "offense_tracking_number",
             "court_case_number", "charge_sequence", "statute_code", "ucr_code", "severity", "severity_degree",
             "severity_rank", "outcome", "agency", "county", "sex", "race")


def _maybe(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), values)


_event = st.fixed_dictionaries({
    "event_type": st.sampled_from(EVENT_TYPES),
    "event_date": _maybe(st.integers(0, 2000).map(lambda d: _DAY0 + dt.timedelta(days=d))),
    "end_date": _maybe(st.integers(0, 2500).map(lambda d: _DAY0 + dt.timedelta(days=d))),
    "person_uid": _maybe(st.sampled_from(["P1", "P2", "P3"])),
    "incident_number": _maybe(st.sampled_from(["N1", "N2"])),
    "arrest_transaction_number": _maybe(st.sampled_from(["A1", "A2"])),
    "offense_tracking_number": _maybe(st.sampled_from(["T1", "T2", "T3"])),
    "court_case_number": _maybe(st.sampled_from(["K1", "K2"])),
    "charge_sequence": _maybe(st.integers(1, 3)),
    "statute_code": _maybe(st.sampled_from(["97-3-7", "97-17-97"])),
    "ucr_code": _maybe(st.sampled_from(["220", "90J", "13A", "13B", "ZZZ"])),
    "severity": _maybe(st.sampled_from(["FELONY", "MISDEMEANOR", "ODD"])),
    "severity_degree": _maybe(st.sampled_from(["1", "2", "A", "?"])),
    "severity_rank": _maybe(st.integers(-5, 50)),
    "outcome": _maybe(st.sampled_from(["CONVICTED", "DISMISSED", "FILED", "DECLINED", "A", "N", "PAROLE"])),
    "agency": _maybe(st.sampled_from(["AG1", "AG2"])),
    "county": _maybe(st.sampled_from(["Hinds", "Warren"])),
    "sex": _maybe(st.sampled_from(["M", "F"])),
    "race": _maybe(st.sampled_from(["W", "B"])),
})

_TYPES = {"event_date": pa.date32(), "end_date": pa.date32(), "charge_sequence": pa.int32(), "severity_rank": pa.int32()}


#: Faults put into an otherwise usable table: (kind, row); most tables get none.
_faults = st.lists(st.tuples(st.sampled_from(["no id", "repeated id", "no stage", "unknown stage"]), st.integers(0, 30)),
                   max_size=2).map(lambda f: f if len(f) < 2 else f[:1]) | st.just([])


def _with_faults(rows: list[dict], faults: list[tuple[str, int]]) -> list[dict]:
    """``rows`` with ids E0, E1, ... and the ``faults`` applied (each at a row modulo the length)."""
    rows = [{**r, "event_id": f"E{i}"} for i, r in enumerate(rows)]
    for kind, at in faults:
        if not rows:
            break
        row = rows[at % len(rows)]
        if kind == "no id":
            row["event_id"] = None
        elif kind == "repeated id":
            row["event_id"] = rows[0]["event_id"] if len(rows) > 1 else row["event_id"]
        elif kind == "no stage":
            row["event_type"] = None
        else:
            row["event_type"] = "warrant"
    return rows


def _table(rows: list[dict], dropped: set[str]) -> pa.Table:
    names = ["event_id", "event_type", "event_date", *(n for n in _OPTIONAL if n not in dropped)]
    return pa.table({n: pa.array([r[n] for r in rows], _TYPES.get(n, pa.string())) for n in names})


def _expected_error(rows: list[dict]) -> str | None:
    """The first problem the event checks report, in their order: an empty id or stage, an unknown stage,
    then a repeated id (None when the events are usable)."""
    for name in ("event_id", "event_type"):
        if any(r[name] is None for r in rows):
            return "empty; every event needs one"
    if any(r["event_type"] not in EVENT_TYPES for r in rows):
        return "is not a stage"
    ids = [r["event_id"] for r in rows]
    if len(set(ids)) != len(ids):
        return "appears more than once"
    return None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_event, min_size=0, max_size=25), faults=_faults,
       dropped=st.sets(st.sampled_from(_OPTIONAL), max_size=6))
def test_odd_events_give_reconciled_results_or_a_named_error(rows, faults, dropped):
    rows = _with_faults(rows, faults)
    events = _table(rows, dropped)
    expected = _expected_error(rows)
    try:
        linked = link_events(events)
    except InputError as exc:
        assert expected is not None and expected in str(exc), (expected, str(exc))
        assert exc.row is not None and exc.field in ("event_id", "event_type")
        return
    assert expected is None, expected

    # counts reconcile: every event but a dated incident is linked as a child or reported, exactly once
    children = linked.links["child_id"].to_pylist()
    reported = linked.unlinked["event_id"].to_pylist()
    assert len(set(children)) == len(children) and len(set(reported)) == len(reported)
    assert not set(children) & set(reported)
    accounted = {r["event_id"] for r in rows if not (r["event_type"] == "incident" and r["event_date"] is not None)}
    assert set(children) | set(reported) == accounted
    undated = {r["event_id"] for r in rows if r["event_date"] is None}
    assert set(pc.filter(linked.unlinked["event_id"], pc.equal(linked.unlinked["link_type"], UNDATED)).to_pylist()) == undated
    assert all(cause for cause in linked.unlinked["cause"].to_pylist())
    # nothing links to or from an undated event
    assert not (set(linked.links["parent_id"].to_pylist()) | set(children)) & undated
    assert sorted(linked.cases["event_id"].to_pylist()) == sorted(r["event_id"] for r in rows)

    # every measure runs and keeps every row it should
    cases = cf.case_table(events, linked)
    assert cases.num_rows == pc.count_distinct(linked.cases["case_uid"]).as_py()
    cf.attrition(cases, ["county", "year"])
    cf.intervals(cases, ["agency"])
    cf.recidivism_summary(cf.recidivism(cases, _DAY0 + dt.timedelta(days=2500)))
    cleared = cf.clearance(events, linked)
    assert cleared.num_rows == sum(r["event_type"] == "incident" for r in rows)
    cf.clearance_summary(cleared)
    timeline = cf.person_timeline(events, linked)
    assert timeline.num_rows == (sum(r["person_uid"] is not None for r in rows) if "person_uid" not in dropped else 0)

    # the same events in another order: the same links and cases
    again = link_events(events.take(pa.array(list(reversed(range(events.num_rows))), pa.int64())))
    assert again.links.sort_by("child_id").equals(linked.links.sort_by("child_id"))
    assert again.cases.equals(linked.cases)


_record = st.fixed_dictionaries({
    "id": st.sampled_from([*(f"r{i}" for i in range(30)), None]),
    "person_id": _maybe(st.sampled_from(["p1", "p2"])),
    "date": _maybe(st.integers(0, 900).map(lambda d: _DAY0 + dt.timedelta(days=d))),
    "arrest_id": _maybe(st.sampled_from([f"r{i}" for i in range(12)])),
    "offense_tracking_number": _maybe(st.sampled_from(["T1", "T2"])),
})
_DATE_OF = {"incident": "incident_date", "arrest": "arrest_date", "charge": "filed_date", "disposition": "disposition_date"}


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(_DATE_OF)), st.lists(_record, max_size=8), max_size=4),
       st.booleans())
def test_entity_tables_with_nulls_give_every_record_as_an_event_or_a_named_error(tables, drop_filed):
    built = {}
    for entity, rows in tables.items():
        key = "incident_number" if entity == "incident" else "id"
        columns = {key: pa.array([r["id"] for r in rows], pa.string()),
                   _DATE_OF[entity]: pa.array([r["date"] for r in rows], pa.date32()),
                   "person_id": pa.array([r["person_id"] for r in rows], pa.string()),
                   "offense_tracking_number": pa.array([r["offense_tracking_number"] for r in rows], pa.string())}
        if entity == "charge":
            columns["arrest_id"] = pa.array([r["arrest_id"] for r in rows], pa.string())
            if drop_filed:
                del columns["filed_date"]
        built[entity] = pa.table(columns)
    try:
        events = events_from_tables(built)
    except InputError as exc:
        # only a record without an id, or an id repeated within its entity, stops the batch
        ids = [[r["id"] for r in rows] for rows in tables.values()]
        assert any(None in i or len(set(i)) != len(i) for i in ids), str(exc)
        assert exc.field == "event_id"
        return
    assert events.num_rows == sum(len(rows) for rows in tables.values())
    linked = link_events(events)
    dated_incidents = pc.sum(pc.and_(pc.equal(events["event_type"], "incident"), pc.is_valid(events["event_date"]))).as_py() or 0
    assert linked.links.num_rows + linked.unlinked.num_rows == events.num_rows - dated_incidents
