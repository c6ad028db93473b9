"""The cellblock_jms translator: golden files, nested charges, local times across a DST change."""

from __future__ import annotations

from datetime import UTC, datetime

from justice_schema.testing.conformance import VendorSamples

SAMPLES = VendorSamples.beside(__file__, "bookings.jsonl")


def test_conforms_to_golden_files() -> None:
    SAMPLES.assert_conformance()


def test_every_nested_charge_becomes_a_charge_of_its_booking() -> None:
    res = SAMPLES.result()
    bookings = {b["id"] for b in res.tables["booking"].to_pylist()}
    charges = res.tables["charge"].to_pylist()
    assert charges and all(c["booking_id"] in bookings for c in charges)
    first = [c for c in charges if c["booking_id"] == "cellblock:booking:B2024-00001"]
    assert [c["charge_sequence"] for c in first] == list(range(1, len(first) + 1))


def test_a_local_time_skipped_by_daylight_saving_moves_past_the_gap() -> None:
    bookings = {b["booking_number"]: b for b in SAMPLES.result().tables["booking"].to_pylist()}
    # 2024-03-10 02:30 does not exist in Denver; 03:00 MDT is 09:00 UTC.
    assert bookings["B2024-00005"]["booked_at"] == datetime(2024, 3, 10, 9, 0, tzinfo=UTC)


def test_truncated_line_and_bad_time_are_rejected_not_dropped() -> None:
    res = SAMPLES.result()
    lines = sorted(r["source_line"] for r in res.rejects.to_pylist())
    assert lines == [18, 24]
    assert res.reconciliation.balanced and res.reconciliation.rows_in == 41
