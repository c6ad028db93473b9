"""The casebook_prosecutor translator: golden files, local codes and dates, amended and dismissed counts."""

from __future__ import annotations

from datetime import date

from justice_schema.testing.conformance import VendorSamples

SAMPLES = VendorSamples.beside(__file__, "referrals.json")


def test_conforms_to_golden_files() -> None:
    SAMPLES.assert_conformance()


def test_decisions_and_reasons_in_the_offices_words_become_codes() -> None:
    decisions = SAMPLES.by_id("prosecution_decision")
    declined = decisions["casebook:decision:R24-00188:1"]
    assert (declined["decision"], declined["reason"], declined["reason_raw"]) == (
        "DECLINED", "INSUFFICIENT_EVIDENCE", "INSUFF EVID")
    assert declined["decision_date"] == date(2024, 5, 14)  # 14-MAY-2024
    deferred, filed = decisions["casebook:decision:R24-00231:1"], decisions["casebook:decision:R24-00231:2"]
    assert (deferred["decision"], filed["decision"]) == ("DEFERRED", "FILED")
    assert deferred["court_case_number"] is None and filed["court_case_number"] == "TR24-00034"
    assert decisions["casebook:decision:R24-00170:2"]["reason"] == "PROGRAMME_COMPLETED"


def test_an_amended_count_is_a_second_charge_and_a_dismissed_count_a_disposition() -> None:
    charges = SAMPLES.by_id("charge")
    original, amended = charges["casebook:charge:R24-00101:3:1"], charges["casebook:charge:R24-00101:3:2"]
    assert (original["statute_code"], original["severity_degree"]) == ("76-5-103", "3")
    assert (amended["statute_code"], amended["ucr_offense_code"], amended["filed_date"]) == (
        "76-5-102", "13B", date(2024, 3, 12))  # written 12-Mar-2024
    assert original["charge_sequence"] == amended["charge_sequence"] == 3
    [dismissal] = SAMPLES.result().tables["disposition"].to_pylist()
    assert dismissal["charge_id"] == "casebook:charge:R24-00101:2:1"
    assert (dismissal["disposition_type"], dismissal["disposition_date"]) == ("NOLLE_PROSEQUI", date(2024, 4, 15))


def test_referred_lines_are_not_filed_and_every_event_carries_the_arrests_numbers() -> None:
    charges = SAMPLES.by_id("charge")
    referred = charges["casebook:charge:R24-00188:1:1"]
    assert referred["filed_date"] is None and referred["court_case_number"] is None
    assert referred["arrest_transaction_number"] == "A24-000031"
    cases = SAMPLES.by_id("court_case")
    assert cases["casebook:court_case:R24-00140"]["court_case_number"] == "CR24-00033"  # typed "cr24-00033 "
    assert cases["casebook:court_case:R24-00140"]["offense_tracking_number"] is None


def test_unknown_decision_code_and_impossible_date_are_rejected_and_counted() -> None:
    res = SAMPLES.result()
    reasons = " ".join(" ".join(r["reasons"]) for r in res.rejects.to_pylist())
    assert "'PEND' has no mapping" in reasons and "'31-SEP-2024' is not a date" in reasons
    counts = res.reconciliation.record_types["default"]
    assert (counts.rows_in, counts.rejected) == (8, 2) and res.reconciliation.balanced
