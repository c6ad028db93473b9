"""The fieldline_supervision translator: golden files, repeating columns, short rows."""

from __future__ import annotations

from justice_schema.testing.conformance import VendorSamples

SAMPLES = VendorSamples.beside(__file__, "supervision.txt")


def test_conforms_to_golden_files() -> None:
    SAMPLES.assert_conformance()


def test_repeating_violation_columns_become_a_list() -> None:
    periods = SAMPLES.result().tables["supervision"].to_pylist()
    with_violations = [p for p in periods if p["violations"]]
    assert with_violations
    for period in with_violations:
        dates = [v["violation_date"] for v in period["violations"]]
        assert all(d >= period["start_date"] for d in dates)


def test_repeating_offense_columns_become_child_charges_numbered_by_column_group() -> None:
    charges = SAMPLES.result().tables["charge"].to_pylist()
    by_case: dict[str, list[int]] = {}
    for charge in charges:
        by_case.setdefault(charge["court_case_number"], []).append(charge["charge_sequence"])
    # One charge per filled OFFn_ group, numbered n, in column order; empty groups give nothing.
    assert all(seqs == sorted(set(seqs)) and set(seqs) <= {1, 2, 3} for seqs in by_case.values())
    assert any(len(seqs) > 1 for seqs in by_case.values())
    assert len(charges) == SAMPLES.result().reconciliation.records_out["charge"]


def test_active_periods_have_no_end_date_despite_the_sentinel() -> None:
    periods = SAMPLES.result().tables["supervision"].to_pylist()
    assert any(p["end_date"] is None for p in periods)


def test_short_row_and_unknown_type_are_rejected() -> None:
    res = SAMPLES.result()
    reasons = " ".join(" ".join(r["reasons"]) for r in res.rejects.to_pylist())
    assert "HOUSE ARREST" in reasons and "fields where 34 were expected" in reasons
    assert res.reconciliation.balanced
