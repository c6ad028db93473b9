"""Code tables and the enums generated from them agree, entry for entry."""

from __future__ import annotations

from enum import StrEnum

import pytest

from justice_schema.codes import code_table, code_table_names, describe
from justice_schema.v1 import codes as v1_codes

ENUMS = [getattr(v1_codes, name) for name in v1_codes.__all__]


def test_every_enum_names_an_existing_table():
    for enum in ENUMS:
        assert issubclass(enum, StrEnum)
        assert enum.__code_table__ in code_table_names(), enum


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_enum_values_and_table_codes_are_the_same_set(enum):
    table = code_table(enum.__code_table__)
    assert [m.value for m in enum] == list(table.codes)
    for member in enum:
        assert describe(member) == table.description(member.value)


def test_every_table_is_used_by_an_enum():
    assert sorted(code_table_names()) == sorted(e.__code_table__ for e in ENUMS)


@pytest.mark.parametrize("name", code_table_names())
def test_tables_cite_a_source_and_have_unique_codes(name):
    table = code_table(name)
    assert table.source and table.title and table.standard
    assert len(table.codes) == len(set(table.codes)) > 0
    assert all(entry.description for entry in table.entries)


def test_nibrs_facts_are_kept():
    offense = code_table("ucr_offense")
    assert offense.entry("90Z").get("group") == "B"
    assert offense.entry("13A").get("crime_against") == "Person"
    assert code_table("type_of_arrest").description("O") == "On-View Arrest"
    assert len([e for e in offense.entries if e.get("group") == "B"]) == 14  # 90A-90M and 90Z


def test_unknown_table_and_code_are_clear_errors():
    with pytest.raises(KeyError, match="known: age_code"):
        code_table("nope")
    with pytest.raises(KeyError, match="not in code table 'sex'"):
        code_table("sex").entry("Q")


def test_enum_module_is_generated_from_the_tables(tmp_path, monkeypatch):
    """Regenerating the enum module from the tables gives the committed file."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("gen", root / "tools" / "generate_code_enums.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    target = tmp_path / "codes.py"
    monkeypatch.setattr(gen, "TARGET", target)
    gen.main()
    assert target.read_text() == (root / "src" / "justice_schema" / "v1" / "codes.py").read_text()
