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


def test_offense_code_fixes_of_schema_1_2():
    offense = code_table("ucr_offense")
    assert offense.description("526") == "Explosives" != offense.description("522")
    assert offense.entry("09C").get("crime_against") == "Not a Crime"
    assert offense.entry("90Z").get("crime_against") == "Person, Property, or Society"
    from justice_schema.v1.codes import UcrOffenseCode

    assert UcrOffenseCode("526") is UcrOffenseCode.EXPLOSIVES
    assert UcrOffenseCode.WEAPONS_OF_MASS_DESTRUCTION_526 is UcrOffenseCode.EXPLOSIVES  # the former name still works
    assert list(UcrOffenseCode).count(UcrOffenseCode.EXPLOSIVES) == 1


def test_codes_are_effective_dated():
    from datetime import date

    from justice_schema.codes import RELEASES, release_date

    offense = code_table("ucr_offense")
    assert offense.entry("90I").retired == "2019.1" and offense.entry("90I").introduced is None
    assert offense.in_effect("90I", date(2018, 12, 31)) and not offense.in_effect("90I", date(2019, 1, 1))
    assert offense.in_effect("13A", date(1991, 1, 1)) and offense.in_effect("13A", date(2030, 1, 1))
    assert offense.retired_codes(date(2020, 1, 1)) == ("90I",) and offense.retired_codes(date(2000, 1, 1)) == ()
    relationship = code_table("victim_offender_relationship")
    assert [e.code for e in relationship.effective_dated()] == ["HR"]
    assert release_date("FBI NIBRS", "2019.1") == date(2019, 1, 1)
    with pytest.raises(KeyError, match="no release '1999.9' of 'FBI NIBRS' is known"):
        release_date("FBI NIBRS", "1999.9")
    # every release a table names is known, for the table's own standard
    for name in code_table_names():
        table = code_table(name)
        for entry in table.effective_dated():
            for release in (entry.introduced, entry.retired):
                if release is not None:
                    assert (table.standard, release) in RELEASES, (name, entry.code)


def test_schema_1_2_code_tables_hold_the_nibrs_values():
    assert code_table("victim_type").codes == ("B", "F", "G", "I", "L", "O", "R", "S", "U")
    assert {"SE", "XR", "VO", "RU"} <= set(code_table("victim_offender_relationship").codes)
    assert code_table("injury_type").codes == ("B", "I", "L", "M", "N", "O", "T", "U")
    assert code_table("assault_homicide_circumstance").codes == (
        "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20", "21", "30", "31", "32", "33", "34")
    assert code_table("justifiable_homicide_circumstance").codes == ("A", "B", "C", "D", "E", "F", "G")
    assert code_table("property_loss_type").codes == tuple("12345678")
    assert len(code_table("property_description").codes) == 68
    assert code_table("drug_measure").codes == ("GM", "KG", "OZ", "LB", "ML", "LT", "FO", "GL", "DU", "NP", "XX")
    assert code_table("officer_assignment").codes == tuple("FGHIJKL")
    for name in ("victim_type", "injury_type", "property_description", "suspected_drug_type", "officer_activity"):
        assert code_table(name).data_element.startswith("DE ")
