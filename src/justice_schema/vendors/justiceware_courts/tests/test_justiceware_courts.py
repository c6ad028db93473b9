"""The justiceware_courts translator: golden files, the two-file join, Latin-1 names, sentence lengths."""

from __future__ import annotations

from justice_schema.testing.conformance import VendorSamples

SAMPLES = VendorSamples.beside(__file__, "dispositions.csv", "cases.csv")


def test_conforms_to_golden_files() -> None:
    SAMPLES.assert_conformance()


def test_latin1_case_file_is_decoded() -> None:
    names = {p["given_name"] for p in SAMPLES.result().tables["person"].to_pylist()} | {
        p["family_name"] for p in SAMPLES.result().tables["person"].to_pylist()}
    assert names & {"RENÉ", "MARÍA", "MUÑOZ", "PEÑA"}


def test_charges_get_case_data_through_the_join_even_with_lower_case_case_numbers() -> None:
    charges = SAMPLES.result().tables["charge"].to_pylist()
    assert all(c["court_case_number"] == c["court_case_number"].upper() for c in charges)
    assert all(c["filed_date"] is not None and c["court_name"] for c in charges)


def test_sentence_lengths_in_mixed_units_become_days() -> None:
    sentences = [d["sentence"] for d in SAMPLES.result().tables["disposition"].to_pylist() if d["sentence"]]
    pairs = {(s["raw"], s["confinement_days"]) for s in sentences if s["confinement_days"] is not None}
    known = {"2Y6M": 910, "180 days": 180, "18 months": 540, "1 yr 3 mo": 455, "90D": 90, "365": 365, "1Y": 365}
    assert pairs and all(known[raw] == days for raw, days in pairs)


def test_missing_case_and_unreadable_sentence_are_rejected() -> None:
    res = SAMPLES.result()
    reasons = " ".join(" ".join(r["reasons"]) for r in res.rejects.to_pylist())
    assert "CR24-99999" in reasons and "LIFE?" in reasons
    assert res.reconciliation.joins["cases"]["rows_matched"] == 31
    assert res.reconciliation.unused_columns["join:cases"] == ["JUDGE"]
