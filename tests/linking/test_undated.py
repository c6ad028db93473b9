"""Events without a date: charges without ``filed_date`` are dated from their arrest, the rest are reported."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from justice_schema import caseflow as cf
from justice_schema.errors import InputError
from justice_schema.linking import UNDATED, events_from_tables, link_events

D = dt.date


def _tables(filed: list[dt.date | None] | None) -> dict[str, pa.Table]:
    arrests = pa.table({"id": ["a-1"], "person_id": ["rms-7"], "arrest_date": pa.array([D(2020, 1, 5)], pa.date32()),
                        "offense_tracking_number": ["T9"]})
    charges = {"id": ["c-1", "c-2", "c-3"], "person_id": ["rms-7"] * 3, "arrest_id": ["a-1", "a-1", None],
               "offense_tracking_number": ["T9", "T9", "T9"], "charge_sequence": pa.array([1, 2, 3], pa.int32())}
    if filed is not None:
        charges["filed_date"] = pa.array(filed, pa.date32())
    return {"arrest": arrests, "charge": pa.table(charges)}


def test_a_charge_without_filed_date_takes_its_arrest_date_and_links():
    """The bug: one charge without filed_date made events_from_tables raise for the whole batch."""
    events = events_from_tables(_tables([None, D(2020, 1, 9), None])).sort_by("event_id")
    dates = dict(zip(events["event_id"].to_pylist(), events["event_date"].to_pylist(), strict=True))
    assert dates == {"arrest:a-1": D(2020, 1, 5), "charge:c-1": D(2020, 1, 5),   # from its arrest
                     "charge:c-2": D(2020, 1, 9),                                # its own date is kept
                     "charge:c-3": None}                                         # names no arrest: undated
    linked = link_events(events)
    assert sorted(linked.links["child_id"].to_pylist()) == ["charge:c-1", "charge:c-2"]
    undated = [row for row in linked.unlinked.to_pylist() if row["link_type"] == UNDATED]
    assert undated == [{"event_id": "charge:c-3", "event_type": "charge", "link_type": UNDATED,
                        "cause": "charge not linked: it has no filing date, so it cannot be placed in a case"}]


def test_a_charge_table_without_the_filed_date_column():
    events = events_from_tables(_tables(None))
    assert events.filter(pa.compute.equal(events["event_type"], "charge"))["event_date"].null_count == 1
    assert link_events(events).links.num_rows == 2


def test_an_undated_charge_without_its_arrest_table_is_reported_not_raised():
    tables = _tables([None, None, None])
    events = events_from_tables({"charge": tables["charge"]})
    linked = link_events(events)
    assert linked.unlinked["event_id"].to_pylist() == ["charge:c-1", "charge:c-2", "charge:c-3"]
    assert set(linked.unlinked["link_type"].to_pylist()) == {UNDATED}


def test_an_undated_parent_is_named_in_its_childs_cause_and_measures_run():
    events = pa.table({
        "event_id": ["A1", "C1", "X1", "I1"], "event_type": ["arrest", "charge", "disposition", "incident"],
        "person_uid": ["P1"] * 3 + [None], "event_date": pa.array([D(2020, 1, 5), None, D(2020, 6, 1), None], pa.date32()),
        "offense_tracking_number": ["T1", "T1", "T1", None], "incident_number": ["N1", None, None, "N1"],
        "charge_sequence": pa.array([None, 1, 1, None], pa.int32()), "outcome": [None, None, "CONVICTED", None]})
    linked = link_events(events)
    causes = {row["event_id"]: row["cause"] for row in linked.unlinked.to_pylist()}
    assert causes["C1"] == "charge not linked: it has no filing date, so it cannot be placed in a case"
    assert causes["I1"] == "incident not linked: it has no incident date, so it cannot be placed in a case"
    assert "the charge with OTN T1 is undated or dated outside 0 to 1500 days of it" in causes["X1"]
    assert "the incident with incident number N1 is undated or dated outside -7 to 400 days of it" in causes["A1"]
    cases = cf.case_table(events, linked)
    assert cases.num_rows == 3                       # A1, C1 and X1 each a case of their own
    cleared = cf.clearance(events, linked)
    assert cleared.to_pylist()[0]["cleared_by"] is None and cleared.to_pylist()[0]["year"] is None
    timeline = cf.person_timeline(events, linked)
    assert timeline["event_id"].to_pylist() == ["A1", "X1", "C1"]      # the undated charge last
    cf.intervals(cases)
    cf.recidivism_summary(cf.recidivism(cases, D(2022, 1, 1)))


def test_bad_tables_name_the_entity_and_field():
    tables = _tables(None)
    with pytest.raises(InputError, match=r"charge, field 'filed_date': cannot read as date32"):
        events_from_tables({"charge": tables["charge"].append_column("filed_date", pa.array(["soon"] * 3))})
    with pytest.raises(InputError, match=r"arrest: the table needs columns id and arrest_date"):
        events_from_tables({"arrest": tables["arrest"].drop(["arrest_date"])})
    twice = pa.table({"person_id": ["rms-7", "rms-7"], "person_uid": ["P1", "P2"]})
    with pytest.raises(InputError, match=r"person_uids, field 'person_uid': person id 'rms-7' is given more than one"):
        events_from_tables(tables, twice)
    same_twice = pa.table({"person_id": ["rms-7", "rms-7"], "person_uid": ["P1", "P1"]})
    assert events_from_tables(tables, same_twice).num_rows == 4
