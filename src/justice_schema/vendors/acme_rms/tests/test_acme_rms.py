"""The acme_rms translator: golden files, and the messy parts of the export it must get right."""

from __future__ import annotations

from datetime import UTC, datetime

from justice_schema.testing.conformance import VendorSamples

SAMPLES = VendorSamples.beside(__file__, "arrests.csv")


def test_conforms_to_golden_files() -> None:
    SAMPLES.assert_conformance()


def test_names_are_split_and_suffixes_found() -> None:
    first = SAMPLES.by_id("person")["acme-rms:person:MNI00000000"]  # written "LEE, MARÍA LEE SR"
    assert (first["family_name"], first["given_name"], first["middle_name"], first["name_suffix"]) == (
        "LEE", "MARÍA", "LEE", "SR")


def test_local_arrest_times_become_utc_instants() -> None:
    arrests = SAMPLES.by_id("arrest")
    first = arrests["acme-rms:arrest:A24-000001"]  # 06/01/2024 09:05 in Denver (MDT, UTC-6)
    assert first["arrested_at"] == datetime(2024, 6, 1, 15, 5, tzinfo=UTC)
    assert arrests["acme-rms:arrest:A23-000002"]["arrested_at"] is None  # blank time: no instant, still an arrest


def test_words_become_codes_and_raw_text_is_kept() -> None:
    people = SAMPLES.result().tables["person"].to_pylist()
    assert {(p["sex"], p["sex_raw"]) for p in people} >= {("F", "Female"), ("M", "MALE")}
    charges = SAMPLES.result().tables["charge"].to_pylist()
    assert {(c["ucr_offense_code"], c["ucr_offense_code_raw"]) for c in charges} >= {("13B", "Simple Assault")}


def test_bad_rows_are_rejected_with_reasons_and_counted() -> None:
    res = SAMPLES.result()
    reasons = [" ".join(r["reasons"]) for r in res.rejects.to_pylist()]
    assert any("13/45/2023" in r for r in reasons)
    assert any("JAYWALKING WITH INTENT" in r for r in reasons)
    counts = res.reconciliation.record_types["default"]
    assert counts.rows_in == 60 and counts.rejected == 2 and counts.balanced
    assert res.reconciliation.unused_columns["default"] == ["Entered By", "Officer Badge"]
    assert any("X" in values for values in res.reconciliation.unmapped_values.values())
