"""The NIBRS flat-file translator: goldens, reconciliation, actions, bad lines, stripped blanks."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.translation import TranslationResult
from tests.vendors.nibrs_golden import VENDORS, actual_records, expected_records, translate

VENDOR = "nibrs_flatfile"
SAMPLES = sorted((VENDORS / VENDOR / "samples").glob("*.txt"))
DATA = Path(__file__).parent / "data"


def _levels(path: Path) -> Counter[str]:
    """Lines per segment level, counted straight from the file (position 5)."""
    lines = [line for line in path.read_bytes().decode("latin-1").splitlines() if line.strip()]
    return Counter(line[4] for line in lines)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_gives_the_hand_derived_records(sample: Path) -> None:
    result = translate(VENDOR, sample)
    folder = VENDORS / VENDOR / "expected" / sample.stem
    assert folder.is_dir(), f"no golden folder for {sample.name}"
    for entity in ("incident", "arrest", "person", "property", "victim", "offender"):
        assert actual_records(result, entity) == expected_records(folder, entity), entity
    assert result.rejects.num_rows == 0


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_line_is_accounted_for_per_segment_level(sample: Path) -> None:
    recon = translate(VENDOR, sample).reconciliation
    assert recon.balanced
    assert {k: c.rows_in for k, c in recon.record_types.items()} == dict(_levels(sample))
    # Every Group A segment level is translated: nothing but state-specific segments is "not mapped".
    for level, counts in recon.record_types.items():
        assert counts.not_mapped == (counts.rows_in if level in ("8", "9") else 0), level
    for level, entity in (("3", "property"), ("4", "victim"), ("5", "offender")):
        if level in recon.record_types:
            assert recon.record_types[level].translated == recon.record_types[level].rows_in
            table = translate(VENDOR, sample).tables[entity]
            # The new entities exist only from schema 1.2 and say so; the 1.0 entities stay pinned.
            assert set(table.column("schema_version").to_pylist()) == {"1.2"}


def test_actions_zero_reports_and_state_segments_are_reported_not_dropped() -> None:
    result = translate(VENDOR, VENDORS / VENDOR / "samples" / "actions_and_group_b.txt")
    got = sorted((row["source_line"], row["record_type"], row["kind"]) for row in result.instructions.to_pylist())
    assert got == [
        (1, "0", "zero_report"),
        (2, "1", "delete_incident"),
        (3, "1", "replace_incident"),
        (11, "7", "delete_group_b_arrest"),
    ]
    recon = result.reconciliation
    # The replacement is reported *and* translated; the deletes and the zero report are not records.
    assert recon.record_types["1"].translated == 1 and recon.record_types["1"].instructions == 1
    assert recon.record_types["7"].translated == 1 and recon.record_types["7"].instructions == 1
    assert recon.record_types["0"].instructions == 1
    assert recon.record_types["8"].not_mapped == 1
    assert "8" in recon.not_mapped and "state-specific" in recon.not_mapped["8"]
    assert recon.instruction_kinds == Counter(
        {"zero_report": 1, "delete_incident": 1, "replace_incident": 1, "delete_group_b_arrest": 1})
    assert recon.balanced


def test_bad_lines_become_rejects_with_line_numbers_and_nothing_else_is_lost() -> None:
    result = translate(VENDOR, DATA / "nibrs_bad_lines.txt")
    rejects = {row["source_line"]: row for row in result.rejects.to_pylist()}
    assert sorted(rejects) == [3, 4]
    assert rejects[3]["reasons"] == ["truncated line: 23 characters, a record of type '6' needs at least 37"]
    assert rejects[3]["raw"] == "01106I072019    HI00200"
    assert rejects[4]["record_type"] == "X"
    assert rejects[4]["reasons"][0].startswith("unknown record type 'X'")
    # The line declaring a length no offense segment has is read, and the conflict reported with its line.
    warnings = result.reconciliation.warnings
    assert warnings["nibrs_bad_lines.txt, line 5: declared length 65 is not a length of record type '2' (63/71)"] == 1
    (incident,) = actual_records(result, "incident")
    assert [o["ucr_offense_code"] for o in incident["offenses"]] == ["290", "23H"]
    assert len(actual_records(result, "arrest")) == 1
    recon = result.reconciliation
    assert recon.balanced and recon.rows_in == 6 and recon.rows_rejected == 2


def test_offense_without_its_administrative_segment_is_rejected(tmp_path: Path) -> None:
    lines = (VENDORS / VENDOR / "samples" / "NIBRS_Test_Sample.txt").read_text().splitlines()
    orphan = lines[1].replace("19164156-3", "19999999-9")
    path = tmp_path / "orphan.txt"
    path.write_text("\n".join([lines[0], lines[1], orphan]) + "\n")
    result = translate(VENDOR, path)
    (reject,) = result.rejects.to_pylist()
    assert reject["source_line"] == 3 and reject["record_type"] == "2"
    assert reject["reasons"] == ["no record of type '1' with ori+incident_number = 'HI0020000+19999999-9' "
                                 "before it in its file for this record of type '2'"]
    assert result.reconciliation.balanced


def test_a_rejected_incident_takes_its_offenses_with_it(tmp_path: Path) -> None:
    lines = (VENDORS / VENDOR / "samples" / "NIBRS_Test_Sample.txt").read_text().splitlines()
    bad_date = lines[0].replace("20190501", "20191301")
    path = tmp_path / "bad_date.txt"
    path.write_text("\n".join([bad_date, lines[1]]) + "\n")
    result = translate(VENDOR, path)
    rejects = sorted((r["source_line"], r["reasons"][0]) for r in result.rejects.to_pylist())
    assert rejects[0][0] == 1 and "'20191301' is not a date" in rejects[0][1]
    assert rejects[1][0] == 2 and rejects[1][1].startswith("its parent record was rejected (")
    assert result.reconciliation.balanced and actual_records(result, "incident") == []


@cache
def _base_result() -> TranslationResult:
    return translate(VENDOR, VENDORS / VENDOR / "samples" / "actions_and_group_b.txt")


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_line_endings_and_trailing_blanks_do_not_change_the_records(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    sample = VENDORS / VENDOR / "samples" / "actions_and_group_b.txt"
    lines = sample.read_text(encoding="latin-1").splitlines()
    rewritten = []
    for line in lines:
        declared = int(line[:4])
        style = data.draw(st.sampled_from(["strip", "pad", "asis"]))
        if style == "strip":
            line = line.rstrip(" ")
        elif style == "pad":
            line = line.ljust(declared)
        rewritten.append(line)
    newline = data.draw(st.sampled_from(["\n", "\r\n"]))
    final = data.draw(st.booleans())
    path = tmp_path_factory.mktemp("nibrs") / "rewritten.txt"
    path.write_bytes((newline.join(rewritten) + (newline if final else "")).encode("latin-1"))
    base = _base_result()
    again = translate(VENDOR, path)
    for entity in ("incident", "arrest", "person"):
        assert actual_records(again, entity) == actual_records(base, entity)
    assert again.reconciliation.balanced and again.rejects.num_rows == 0
