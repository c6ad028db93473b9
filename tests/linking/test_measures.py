"""Case-flow measures against values computed by hand on tests/linking/fixture.py."""

from __future__ import annotations

import functools

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from justice_schema import caseflow as cf
from justice_schema.linking import link_events
from tests.linking.fixture import AS_OF, D, events


@functools.cache
def _linked():
    return link_events(events())


@functools.cache
def _cases():
    return cf.case_table(events(), _linked())


def _row(table: pa.Table, column: str, value: str) -> dict:
    rows = table.filter(pc.equal(table[column], value)).to_pylist()
    assert len(rows) == 1, rows
    return rows[0]


def _case_of(event_id: str) -> str:
    return _row(_linked().cases, "event_id", event_id)["case_uid"]


def test_every_fixture_event_links_as_written():
    assert _linked().unlinked.num_rows == 0
    assert len({_case_of(e) for e in ("A1", "C1", "C2", "D1", "K1", "X1", "X2", "Y1")}) == 1
    assert _row(_linked().links, "child_id", "Y1")["parent_id"] == "X1"   # the conviction, not the dismissal


def test_case_table_stage_dates_and_most_serious_offense():
    cases = _cases()
    assert cases.num_rows == 4
    a1 = _row(cases, "case_uid", _case_of("A1"))
    assert (a1["incident_date"], a1["arrest_date"], a1["charges_filed_date"], a1["filing_date"]) == (
        D(2020, 1, 1), D(2020, 1, 5), D(2020, 1, 15), D(2020, 1, 20))
    assert (a1["disposition_date"], a1["conviction_date"], a1["admission_date"], a1["release_date"]) == (
        D(2020, 7, 18), D(2020, 7, 18), D(2020, 8, 1), D(2021, 2, 1))
    # charged with aggravated assault (felony) and simple assault: the felony; convicted of the lesser plea
    assert (a1["charged_ucr_code"], a1["convicted_ucr_code"], a1["convicted_severity"]) == ("13A", "13B", "MISDEMEANOR")
    # robbery and murder, both first-degree felonies: the UCR hierarchy puts murder first
    assert _row(cases, "case_uid", _case_of("A3"))["charged_ucr_code"] == "09A"


def test_attrition():
    rows = {r["stage"]: (r["reached"], r["previous"], r["continued"], r["continued_share"]) for r in cf.attrition(_cases()).to_pylist()}
    assert rows == {"arrest": (4, None, None, None), "charges_filed": (2, 4, 2, 0.5), "court_filing": (2, 2, 2, 1.0),
                    "disposition": (2, 2, 2, 1.0), "conviction": (2, 2, 2, 1.0), "custody": (1, 2, 1, 0.5)}
    by_agency = cf.attrition(_cases(), ["agency"]).filter(pc.equal(pc.field("stage"), "charges_filed")).to_pylist()
    assert [(r["agency"], r["reached"], r["previous"]) for r in by_agency] == [("AG1", 1, 2), ("AG2", 1, 2)]


def test_intervals_median_and_p90():
    rows = {r["interval"]: (r["cases"], r["median_days"], r["p90_days"]) for r in cf.intervals(_cases()).to_pylist()}
    # incident->arrest: 4, 1, 9, 11 days; sorted 1 4 9 11: median (4+9)/2, p90 at rank 2.7: 9 + 0.7*2
    assert rows["incident_to_arrest"] == (4, 6.5, pytest.approx(10.4))
    assert rows["arrest_to_filing"] == (2, 15.0, 15.0)                # 15 and 15 days
    assert rows["filing_to_disposition"] == (2, 272.5, pytest.approx(346.5))   # 180 and 365 days
    assert rows["disposition_to_release"] == (1, 198.0, 198.0)        # 2020-07-18 -> 2021-02-01


def test_recidivism_censors_short_follow_up():
    followed = cf.recidivism(_cases(), AS_OF)
    rows = {r["case_uid"]: r for r in followed.to_pylist()}
    assert set(rows) == {_case_of("A1"), _case_of("A3")}   # the declined and the undisposed cases start nothing
    a1, a3 = rows[_case_of("A1")], rows[_case_of("A3")]
    assert (a1["start_kind"], a1["start_date"], a1["follow_up_days"]) == ("release", D(2021, 2, 1), 514)
    assert (a1["rearrest_1y"], a1["reconviction_1y"], a1["rearrest_3y"]) == (True, False, None)  # A2, declined; 3y censored
    assert (a3["start_kind"], a3["start_date"], a3["rearrest_1y"], a3["rearrest_3y"]) == ("disposition", D(2021, 3, 25), False, None)
    summary = {(r["start_kind"], r["window"]): r for r in cf.recidivism_summary(followed).to_pylist()}
    assert (summary[("release", "1y")]["followed"], summary[("release", "1y")]["rearrest_rate"]) == (1, 1.0)
    assert (summary[("release", "3y")]["censored"], summary[("release", "3y")]["rearrest_rate"]) == (1, None)


def test_clearance_counts_an_incident_once():
    cleared = {r["incident_id"]: r for r in cf.clearance(events(), _linked()).to_pylist()}
    assert (cleared["I3"]["cleared_by"], cleared["I3"]["arrests"], cleared["I3"]["cleared_date"]) == ("arrest", 2, D(2020, 3, 10))
    assert (cleared["I4"]["cleared_by"], cleared["I4"]["exceptional_code"]) == ("exceptional", "B")
    assert cleared["I5"]["cleared_by"] is None
    total = cf.clearance_summary(cf.clearance(events(), _linked()), ["agency"]).to_pylist()
    assert [(r["agency"], r["incidents"], r["cleared_by_arrest"], r["cleared_exceptionally"]) for r in total] == [
        ("AG1", 2, 2, 0), ("AG2", 3, 1, 1)]


def test_person_timeline_in_order():
    timeline = cf.person_timeline(events(), _linked(), "P1")
    assert timeline["event_id"].to_pylist() == ["A1", "C1", "C2", "D1", "K1", "X1", "X2", "Y1", "A2", "C3", "D2"]
    assert timeline["sequence"].to_pylist() == list(range(1, 12))
