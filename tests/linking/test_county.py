"""One synthetic county end to end: the bundled samples of police, prosecutor, court, prison and
probation translated, their people matched, their events linked and measured.

The stories are designed in ``tools/county.py``; each test asserts one of them.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from justice_schema.caseflow import case_table
from justice_schema.linking import LinkResult, link_events
from justice_schema.testing.county import CountyTables, county_events, county_tables

ARREST = "arrest:acme-rms:arrest:"


@pytest.fixture(scope="module")
def county() -> CountyTables:
    return county_tables()


@pytest.fixture(scope="module")
def events(county: CountyTables) -> pa.Table:
    return county_events(county)


@pytest.fixture(scope="module")
def linked(events: pa.Table) -> LinkResult:
    return link_events(events)


def _case_of(linked: LinkResult) -> dict[str, str | None]:
    return dict(zip(linked.cases["event_id"].to_pylist(), linked.cases["case_uid"].to_pylist(), strict=True))


def _cause(linked: LinkResult, event_id: str) -> str:
    [cause] = linked.unlinked.filter(pc.equal(linked.unlinked["event_id"], event_id))["cause"].to_pylist()
    return str(cause)


def test_every_stage_of_the_county_is_in_the_events(events: pa.Table) -> None:
    stages = set(events["event_type"].to_pylist())
    assert stages == {"arrest", "prosecution_decision", "court_case", "charge", "disposition", "custody_period",
                      "supervision"}


def test_mary_johnson_arrest_to_probation_is_one_case(linked: LinkResult, events: pa.Table) -> None:
    case = _case_of(linked)
    chain = [ARREST + "A24-000029", "prosecution_decision:casebook:decision:R24-00101:1",
             "court_case:casebook:court_case:R24-00101", "charge:casebook:charge:R24-00101:1:1",
             "charge:casebook:charge:R24-00101:3:2", "disposition:jw-courts:disposition:CR24-00031:1",
             "disposition:jw-courts:disposition:CR24-00031:3", "disposition:casebook:disposition:R24-00101:2:1",
             "custody_period:keystone:custody:245001:01", "supervision:fieldline:supervision:00001601:CR24-00031"]
    assert len({case[e] for e in chain}) == 1 and case[chain[0]] is not None
    rule_of = dict(zip(linked.links["child_id"].to_pylist(), linked.links["rule"].to_pylist(), strict=True))
    # the police export carries no OTN: the arrest is found by its arrest number; the court's
    # dispositions by the court case number and the offense, the prosecutor's dismissal by the OTN
    assert [rule_of[e] for e in chain[1:]] == [
        "arrest_transaction_number", "arrest_transaction_number", "arrest_transaction_number",
        "arrest_transaction_number", "court_case_offense", "court_case_offense", "otn_offense",
        "court_case_number", "court_case_number"]
    parents = dict(zip(linked.cases["event_id"].to_pylist(), linked.cases["parent_id"].to_pylist(), strict=True))
    # the amended count 3 (simple assault) takes the court's disposition, not the original count
    assert parents["disposition:jw-courts:disposition:CR24-00031:3"] == "charge:casebook:charge:R24-00101:3:2"
    # prison and probation follow the most serious conviction, the burglary
    assert parents["custody_period:keystone:custody:245001:01"] == "disposition:jw-courts:disposition:CR24-00031:1"
    assert parents["supervision:fieldline:supervision:00001601:CR24-00031"] == parents[
        "custody_period:keystone:custody:245001:01"]
    [row] = case_table(events, linked).filter(pc.equal(pc.field("case_uid"), case[chain[0]])).to_pylist()
    assert [str(row[k]) for k in ("arrest_date", "charges_filed_date", "filing_date", "conviction_date",
                                  "admission_date", "release_date", "supervision_date")] == [
        "2024-01-21", "2024-02-02", "2024-02-05", "2024-05-20", "2024-06-03", "2024-09-05", "2024-09-05"]
    assert (row["charged_statute_code"], row["convicted_statute_code"]) == ("76-6-202", "76-6-202")


def test_tyler_smith_jones_declined_and_diverted_cases_stop_at_prosecution(
        county: CountyTables, linked: LinkResult, events: pa.Table) -> None:
    case = _case_of(linked)
    declined = "prosecution_decision:casebook:decision:R24-00188:1"
    assert case[declined] == case[ARREST + "A24-000031"]
    decisions = {d["id"]: d for d in county.tables["casebook_prosecutor"]["prosecution_decision"].to_pylist()}
    assert decisions["casebook:decision:R24-00188:1"]["reason"] == "INSUFFICIENT_EVIDENCE"
    diverted = ["prosecution_decision:casebook:decision:R24-00170:1", "prosecution_decision:casebook:decision:R24-00170:2"]
    assert {case[d] for d in diverted} == {case[ARREST + "A24-000035"]}
    rows = case_table(events, linked).filter(pc.is_in(pc.field("case_uid"), pa.array(
        [case[ARREST + "A24-000031"], case[ARREST + "A24-000035"]]))).to_pylist()
    assert len(rows) == 2
    for row in rows:
        assert row["decision_date"] is not None
        assert row["charges_filed_date"] is row["filing_date"] is row["disposition_date"] is None


def test_a_mistyped_arrest_number_leaves_the_decision_unlinked_with_its_cause(linked: LinkResult) -> None:
    case = _case_of(linked)
    decision = "prosecution_decision:casebook:decision:R24-00140:1"
    assert case[decision] != case[ARREST + "A24-000018"]
    assert _cause(linked, decision) == (
        "prosecution decision not linked to an arrest: it carries no OTN; no arrest carries arrest transaction "
        "number A24-00018; no arrest of the same person within 0 to 45 days agrees on the offense")
    # the court case still finds the arrest by the person and the date
    assert case["court_case:casebook:court_case:R24-00140"] == case[ARREST + "A24-000018"]


def test_deferred_then_filed_is_two_decisions_of_one_case(linked: LinkResult, events: pa.Table) -> None:
    case = _case_of(linked)
    uid = case[ARREST + "A24-000028"]
    assert case["prosecution_decision:casebook:decision:R24-00231:1"] == uid
    assert case["prosecution_decision:casebook:decision:R24-00231:2"] == uid
    assert case["court_case:casebook:court_case:R24-00231"] == uid
    [row] = case_table(events, linked).filter(pc.equal(pc.field("case_uid"), uid)).to_pylist()
    assert (str(row["decision_date"]), str(row["charges_filed_date"])) == ("2024-06-17", "2024-10-21")


def test_an_arrest_the_county_does_not_hold_is_named_in_the_cause(linked: LinkResult) -> None:
    cause = _cause(linked, "prosecution_decision:casebook:decision:R24-00250:1")
    assert "no arrest carries OTN T240118730" in cause and "arrest transaction number UHP24-11873" in cause


def test_prison_admissions_find_the_courts_convictions_by_docket_or_say_why_not(linked: LinkResult) -> None:
    parents = dict(zip(linked.cases["event_id"].to_pylist(), linked.cases["parent_id"].to_pylist(), strict=True))
    assert parents["custody_period:keystone:custody:245017:01"] == "disposition:jw-courts:disposition:CR24-00010:3"
    assert _cause(linked, "custody_period:keystone:custody:245040:01") == (
        "custody period not linked to a disposition: it carries no OTN; no disposition carries court case number "
        "CR24-0005; no disposition of the same person within 0 to 30 days agrees on the offense")


def test_shuffled_events_give_the_same_cases(events: pa.Table, linked: LinkResult) -> None:
    order = pa.array(list(reversed(range(events.num_rows))))
    again = link_events(events.take(order))
    assert _case_of(again) == _case_of(linked)
