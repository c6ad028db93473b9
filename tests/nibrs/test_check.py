"""``nibrs check``: the errors of a submission in the FBI Error Data Set layout (issue 13, part A, item 4).

A seeded flat file with one known fault per incident or Group B arrest
(:mod:`justice_schema.testing.nibrs_submissions`) must give exactly the injected
(incident, FBI error number) pairs; the XML twin is detected by content.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from justice_schema.errors import InputError
from justice_schema.nibrs.check import ERROR_SCHEMA, check_submission, detect_format
from justice_schema.testing.nibrs_submissions import FAULTS, seeded_submission
from tests.vendors.nibrs_golden import VENDORS


def _pairs(path: Path) -> set[tuple[str, str]]:
    errors = check_submission(path).errors
    assert errors.schema == ERROR_SCHEMA
    return set(zip(errors.column("incident_number").to_pylist(), errors.column("error_number").to_pylist()))


def test_every_seeded_fault_is_found_with_its_fbi_number_and_nothing_else(tmp_path: Path) -> None:
    # Every fault once: incidents and Group B arrests each carry one, in a fixed order.
    incident_faults = [f for f in FAULTS if not f.startswith("7")]
    arrest_faults = [f for f in FAULTS if f.startswith("7")]
    lines, truth = [], set()
    for i, fault in enumerate(incident_faults):
        number = f"S{i:08d}-1"
        lines += FAULTS[fault](number)
        truth.add((number, fault))
    for i, fault in enumerate(arrest_faults):
        atn = f"G{i:08d}-1"
        lines += FAULTS[fault](atn)
        truth.add((atn, fault))
    path = tmp_path / "faults.txt"
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    assert _pairs(path) == truth


def test_clean_records_give_no_error_and_counts_reconcile(tmp_path: Path) -> None:
    seeded = seeded_submission(tmp_path / "clean.txt", incidents=5, faulty=0.0)
    result = check_submission(seeded.path)
    assert result.errors.num_rows == 0 and not seeded.truth
    assert result.segments == seeded.segments and result.translation.reconciliation.balanced


def test_a_refused_incident_is_listed_once_not_once_per_segment(tmp_path: Path) -> None:
    seeded = seeded_submission(tmp_path / "one.txt", incidents=1, faulty=1.0, faults=("119",))
    result = check_submission(seeded.path)
    assert result.segments_refused == 5  # admin, offense, victim, offender, arrestee
    assert [(e["segment_level"], e["error_number"], e["data_element"]) for e in result.errors.to_pylist()] == [
        ("1", "119", "2A")]


def test_xml_is_told_apart_by_content_and_checked() -> None:
    sample = VENDORS / "nibrs_xml" / "samples" / "nibrs_AllFields_Sample.xml"
    assert detect_format(sample) == "nibrs_xml"
    result = check_submission(sample)
    found = {(e["segment_level"], e["error_number"]) for e in result.errors.to_pylist()}
    assert {("1", "252"), ("1", "254"), ("6", "653")} <= found or {("2", "252"), ("2", "254"), ("6", "653")} <= found


def test_an_unknown_fault_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no seeded fault"):
        seeded_submission(tmp_path / "x.txt", faults=("999",))


def test_an_empty_file_is_an_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        check_submission(empty)
