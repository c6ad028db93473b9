"""An [[entity]] block's own schema_version: 1.2-only entities beside a translator pinned to 1.0."""

from __future__ import annotations

from pathlib import Path

import pytest

from justice_schema.translation import SpecError, Translator, load_spec_text
from tests.translate.helpers import run, spec_text

OFFENDER = """
[[entity]]
type = "offender"
{version}
id = {{ id = ["Inc", "Seq"], prefix = "o" }}
[entity.fields]
incident_id = {{ id = ["Inc"], prefix = "i" }}
offender_sequence_number = {{ int = "Seq" }}
"""


def _pinned(body: str) -> str:
    # The shared header has no schema_version; pin the translator to 1.0 as the NIBRS translators do.
    return spec_text(body).replace('timezone = "America/Denver"', 'timezone = "America/Denver"\nschema_version = "1.0"')


def test_a_block_declares_the_version_of_its_records(tmp_path: Path) -> None:
    body = OFFENDER.format(version='schema_version = "1.2"')
    spec = tmp_path / "spec.toml"
    spec.write_text(_pinned(body), encoding="utf-8")
    (tmp_path / "in.csv").write_text("Inc,Seq\nA1,00\nA1,01\n", encoding="utf-8")
    result = Translator(spec, validate=None).translate([tmp_path / "in.csv"])
    table = result.tables["offender"]
    assert table.column("schema_version").to_pylist() == ["1.2", "1.2"]
    assert table.column("offender_sequence_number").to_pylist() == [0, 1]


def test_an_entity_newer_than_the_translators_version_is_a_spec_error_naming_the_block() -> None:
    with pytest.raises(SpecError, match=r"entity\[0\]\.type.*schema 1\.0 has no entity 'offender'.*schema_version"):
        Translator(load_spec_text(_pinned(OFFENDER.format(version="")), "t"))


def test_an_unknown_block_version_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match=r"entity\[0\]\.schema_version.*'9\.9' is not supported"):
        Translator(load_spec_text(_pinned(OFFENDER.format(version='schema_version = "9.9"')), "t"))


def test_without_a_block_version_the_translators_version_applies(tmp_path: Path) -> None:
    result = run(tmp_path, OFFENDER.format(version=""), {"in.csv": "Inc,Seq\nA1,02\n"})
    assert result.tables["offender"].column("schema_version").to_pylist() == ["1.2"]
