"""The nibrs_xml translator against its golden files (details: tests/vendors/test_nibrs_xml.py)."""

from __future__ import annotations

from pathlib import Path

from justice_schema.testing.conformance import assert_conformance, assert_per_sample_goldens

HERE = Path(__file__).resolve().parents[1]


def test_conforms_to_golden_files() -> None:
    assert_conformance(HERE)


def test_golden_files_are_the_hand_derived_records_of_every_sample() -> None:
    """expected/<entity>.jsonl (all samples in one run) = expected/<sample>/<entity>.jsonl, in sample order."""
    assert_per_sample_goldens(HERE, ("incident", "arrest", "person", "victim", "offender", "property"))
