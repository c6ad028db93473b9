"""The FBI edit coverage table: generated from the catalogue, every required edit carried or explained."""

from __future__ import annotations

from pathlib import Path

from justice_schema.nibrs.edits import FBI_EDITS, coverage, render_coverage
from justice_schema.validation.rules import all_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "nibrs-edits.md"


def test_the_published_page_is_the_generated_table() -> None:
    assert DOC.read_text(encoding="utf-8") == render_coverage(), "run python tools/write_nibrs_coverage.py"


def test_every_number_is_either_carried_by_a_rule_or_explained() -> None:
    for row in coverage():
        assert bool(row.rules) != bool(row.reason), row
        assert row.checks, f"FBI error {row.number} is carried by {row.rules} but FBI_EDITS does not describe it"


def test_the_edits_the_issue_names_are_catalogue_rules() -> None:
    carried = {n for rule in all_rules() for n in rule.nibrs_edits}
    assert {"760", "264", "761", "670", "206", "207", "219", "220", "221", "222"} <= carried


def test_a_number_the_table_describes_as_carried_has_a_rule() -> None:
    rows = {row.number: row for row in coverage()}
    for number, (_, reason) in FBI_EDITS.items():
        if not reason:
            assert rows[number].rules, f"FBI error {number} claims a rule but none carries it"
