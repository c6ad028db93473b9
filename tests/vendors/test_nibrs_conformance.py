"""The three FBI translators pass the conformance kit, and its golden files are the hand-derived ones."""

from __future__ import annotations

import json

import pytest

from justice_schema.registry import parse
from justice_schema.testing.conformance import GOLDEN_EXTRACTED_AT, assert_conformance
from tests.vendors.nibrs_golden import VENDORS


@pytest.mark.parametrize("vendor", ["nibrs_flatfile", "nibrs_xml", "fbi_cde"])
def test_translator_conforms(vendor: str) -> None:
    assert_conformance(VENDORS / vendor)


@pytest.mark.parametrize("vendor", ["nibrs_flatfile", "nibrs_xml"])
def test_kit_goldens_are_the_hand_derived_records_of_every_sample(vendor: str) -> None:
    """expected/<entity>.jsonl (one run over all samples) = expected/<sample>/<entity>.jsonl, in sample order."""
    folder = VENDORS / vendor
    samples = sorted(p for p in (folder / "samples").iterdir() if p.is_file())
    for entity in ("incident", "arrest", "person"):
        hand = []
        for sample in samples:
            path = folder / "expected" / sample.stem / f"{entity}.jsonl"
            if path.exists():
                for line in path.read_text(encoding="utf-8").splitlines():
                    data = json.loads(line)
                    data["source"]["extracted_at"] = GOLDEN_EXTRACTED_AT.isoformat()
                    hand.append(parse(data).model_dump(mode="json", exclude_none=True))
        kit = [json.loads(line) for line in (folder / "expected" / f"{entity}.jsonl").read_text().splitlines()]
        assert kit == hand, entity
