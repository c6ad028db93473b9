"""The fbi_cde translator against its golden files (details: tests/vendors/test_fbi_cde.py)."""

from __future__ import annotations

import json
from pathlib import Path

from justice_schema.registry import parse
from justice_schema.testing.conformance import GOLDEN_EXTRACTED_AT, assert_conformance

HERE = Path(__file__).resolve().parents[1]


def test_conforms_to_golden_files() -> None:
    assert_conformance(HERE)


def test_hand_derived_rows_are_in_the_golden_files() -> None:
    kit = {}
    for entity in ("arrest", "person"):
        for line in (HERE / "expected" / f"{entity}.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            kit[record["id"]] = record
    for entity in ("arrest", "person"):
        for line in (HERE / "expected" / "selected_rows" / f"{entity}.jsonl").read_text(encoding="utf-8").splitlines():
            data = json.loads(line)
            data["source"]["extracted_at"] = GOLDEN_EXTRACTED_AT.isoformat()
            assert kit[data["id"]] == parse(data).model_dump(mode="json", exclude_none=True)
