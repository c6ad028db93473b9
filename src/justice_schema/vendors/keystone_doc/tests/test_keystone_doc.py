"""The keystone_doc translator: golden files, fixed-width lines, movement codes, a transfer."""

from __future__ import annotations

from datetime import date

from justice_schema.testing.conformance import VendorSamples
from justice_schema.validation import validate_tables

SAMPLES = VendorSamples.beside(__file__, "custody_extract.txt")


def test_conforms_to_golden_files() -> None:
    SAMPLES.assert_conformance()


def test_movement_codes_and_zero_dates() -> None:
    periods = SAMPLES.by_id("custody_period")
    mary = periods["keystone:custody:245001:01"]
    assert (mary["admission_type"], mary["admission_type_raw"], mary["admission_date"]) == (
        "NEW_COMMITMENT", "NC", date(2024, 6, 3))
    assert (mary["release_type"], mary["release_date"]) == ("PROBATION", date(2024, 9, 5))
    assert (mary["state_id"], mary["offense_tracking_number"], mary["court_case_number"]) == (
        "UT137301", "T240002917", "CR24-00031")
    in_custody = periods["keystone:custody:245017:01"]
    assert in_custody["release_date"] is None and in_custody["release_type"] is None  # 00000000
    unknown = periods["keystone:custody:240388:01"]
    assert (unknown["admission_type"], unknown["admission_type_raw"]) == ("UNKNOWN", "ZZ")


def test_a_transfer_is_two_periods_in_two_facilities() -> None:
    periods = SAMPLES.by_id("custody_period")
    out, into = periods["keystone:custody:231877:01"], periods["keystone:custody:231877:02"]
    assert (out["release_type"], into["admission_type"]) == ("TRANSFER", "TRANSFER")
    assert out["release_date"] == into["admission_date"]
    facilities = SAMPLES.by_id("facility")
    assert facilities[out["facility_id"]]["name"] == "UTAH STATE PRISON"
    assert facilities[into["facility_id"]]["facility_type"] == "PRISON"


def test_the_offense_of_commitment_is_a_charge_of_the_same_court_case() -> None:
    charges = SAMPLES.by_id("charge")
    charge = charges["keystone:charge:245001:01"]
    assert (charge["statute_code"], charge["severity"], charge["severity_degree"], charge["court_case_number"]) == (
        "76-6-202", "FELONY", "2", "CR24-00031")


def test_header_trailer_and_truncated_line_are_accounted_for() -> None:
    res = SAMPLES.result()
    assert res.reconciliation.instruction_kinds == {"header": 1, "trailer": 1}
    [reject] = res.rejects.to_pylist()
    assert "truncated line" in " ".join(reject["reasons"])
    assert res.reconciliation.balanced and res.reconciliation.rows_in == 11


def test_a_projected_release_in_the_future_is_not_a_typing_error() -> None:
    periods = SAMPLES.result().tables["custody_period"]
    report = validate_tables({"custody_period": periods}, as_of=date(2025, 1, 6))  # the extract's date
    codes = {row["code"] for row in report.by_code().to_pylist()}
    assert "JS-U40" not in codes
