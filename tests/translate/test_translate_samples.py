"""testing.conformance.translate_samples: the samples translated exactly as the golden files were made."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import justice_schema
from justice_schema.errors import InputError
from justice_schema.testing.conformance import (
    GOLDEN_EXTRACTED_AT,
    canonical_json_lines,
    check_conformance,
    translate_samples,
)

COURTS = Path(justice_schema.__file__).resolve().parent / "vendors" / "justiceware_courts"


def _golden(entity: str) -> list[dict[str, object]]:
    lines = (COURTS / "expected" / f"{entity}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_all_samples_give_the_golden_records() -> None:
    result = translate_samples(COURTS)
    assert result.reconciliation.balanced
    for entity, table in result.tables.items():
        assert canonical_json_lines(table) == _golden(entity)
        stamps = {r["source"]["extracted_at"] for r in table.to_pylist()}
        assert stamps <= {GOLDEN_EXTRACTED_AT}


def test_named_samples_are_translated_alone_at_the_golden_instant() -> None:
    from justice_schema.translation import Translator

    xml = COURTS.parent / "nibrs_xml"
    named = translate_samples(xml, "nibrs_GroupBArrest_Sample.xml")
    direct = Translator(xml / "spec.toml", extracted_at=GOLDEN_EXTRACTED_AT).translate(
        [xml / "samples" / "nibrs_GroupBArrest_Sample.xml"])
    assert named.tables and set(named.tables) == set(direct.tables)
    for entity, table in named.tables.items():
        assert canonical_json_lines(table) == canonical_json_lines(direct.tables[entity])
    everything = translate_samples(xml)
    assert named.reconciliation.rows_in < everything.reconciliation.rows_in


def test_a_folder_without_samples_is_an_input_error(tmp_path: Path) -> None:
    shutil.copy(COURTS / "spec.toml", tmp_path / "spec.toml")
    with pytest.raises(InputError, match="no sample files"):
        translate_samples(tmp_path)
    assert "no sample files" in check_conformance(tmp_path).problems[0]
