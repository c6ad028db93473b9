"""The nibrs_xml translator against its golden files (details: tests/vendors/test_nibrs_xml.py)."""

from __future__ import annotations

import json
from pathlib import Path

from justice_schema.registry import parse
from justice_schema.testing.conformance import GOLDEN_EXTRACTED_AT, assert_conformance

HERE = Path(__file__).resolve().parents[1]


def test_conforms_to_golden_files() -> None:
    assert_conformance(HERE)


def test_golden_files_are_the_hand_derived_records_of_every_sample() -> None:
    """expected/<entity>.jsonl (all samples in one run) = expected/<sample>/<entity>.jsonl, in sample order."""
    samples = sorted(p for p in (HERE / "samples").iterdir() if p.is_file())
    for entity in ("incident", "arrest", "person"):
        hand = []
        for sample in samples:
            path = HERE / "expected" / sample.stem / f"{entity}.jsonl"
            for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
                data = json.loads(line)
                data["source"]["extracted_at"] = GOLDEN_EXTRACTED_AT.isoformat()
                hand.append(parse(data).model_dump(mode="json", exclude_none=True))
        kit = [json.loads(line) for line in (HERE / "expected" / f"{entity}.jsonl").read_text().splitlines()]
        assert kit == hand, entity
