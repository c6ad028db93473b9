"""The ``classify_offense`` mapping kind: classification levels in a translator, and the most serious charge."""

from __future__ import annotations

from pathlib import Path

from tests.translate.helpers import run

CHARGES = """
[[entity]]
type = "charge"
id = { id = ["ARREST", "SEQ"], prefix = "c" }
[entity.fields]
person_id = { const = "p-1" }
charge_sequence = { int = "SEQ" }
statute_code = "STATUTE"
ucr_offense_code = { classify_offense = "TEXT", statute = "STATUTE", state = "VA" }
severity = { classify_offense = "TEXT", output = "severity" }
description = { if = { test = { rank = ["ARREST"], order = [{ classify_offense = "TEXT", output = "severity_rank" }, { int = "SEQ" }] }, equals = 1 }, then = { const = "MOST SERIOUS" } }
"""


def test_the_kind_fills_codes_and_rank_picks_the_most_serious_charge(tmp_path: Path) -> None:
    csv = ("ARREST,SEQ,STATUTE,TEXT\n"
           "A1,1,18.2-250,POSS CS SCH I/II FEL\n"
           "A1,2,18.2-32,MURDER 1ST DEGREE FELONY\n"
           "A1,3,,PETIT LARCENY MISD\n"
           "A2,1,,TRESPASS MISD\n"
           "A2,2,,XYZZY\n")
    result = run(tmp_path, CHARGES, {"in.csv": csv})
    charges = sorted(result.tables["charge"].to_pylist(), key=lambda c: c["id"])
    assert [c["ucr_offense_code"] for c in charges] == ["35A", "09A", "23H", "90J", None]
    assert [c["severity"] for c in charges] == ["FELONY", "FELONY", "MISDEMEANOR", "MISDEMEANOR", None]
    # the murder outranks the drug felony; a stated misdemeanor outranks a text nothing is known of (no rank)
    assert [c["id"] for c in charges if c["description"]] == ["c:A1:2", "c:A2:1"]
    # the unclassified text is counted as unmapped, not rejected, and its raw text kept
    assert result.clean
    assert charges[-1]["ucr_offense_code_raw"] == "XYZZY"
    unmapped = {name: dict(counts) for name, counts in result.reconciliation.unmapped_values.items()
                if "classify_offense" in name}
    assert unmapped and all(counts == {"XYZZY": 1} for counts in unmapped.values())


WITH_CROSSWALK = """
[[entity]]
type = "charge"
id = { id = ["ID"], prefix = "c" }
[entity.fields]
person_id = { const = "p-1" }
statute_code = "STATUTE"
severity = { classify_offense = "TEXT", statute = "STATUTE", state = "VA", crosswalk = "va.csv", output = "severity" }
severity_degree = { classify_offense = "TEXT", statute = "STATUTE", state = "VA", crosswalk = "va.csv", output = "severity_degree" }
"""


def test_a_spec_names_a_crosswalk_beside_it(tmp_path: Path) -> None:
    (tmp_path / "va.csv").write_text("state,statute,severity,severity_degree\nVA,18.2-250,FELONY,5\n", encoding="utf-8")
    result = run(tmp_path, WITH_CROSSWALK, {"in.csv": "ID,STATUTE,TEXT\n1,18.2-250(A),POSS CS\n2,18.2-95,LARCENY\n"})
    charges = sorted(result.tables["charge"].to_pylist(), key=lambda c: c["id"])
    assert [(c["severity"], c["severity_degree"]) for c in charges] == [("FELONY", "5"), (None, None)]


def test_a_bad_crosswalk_is_a_spec_error_naming_the_key(tmp_path: Path) -> None:
    import pytest

    from justice_schema.translation import SpecError

    (tmp_path / "va.csv").write_text("state,statute,severity\nVA,18.2-250,FELONIOUS\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"crosswalk.*row 2.*'severity'"):
        run(tmp_path, WITH_CROSSWALK, {"in.csv": "ID,STATUTE,TEXT\n1,18.2-250,POSS\n"})
    (tmp_path / "va.csv").unlink()
    with pytest.raises(SpecError, match="no crosswalk file"):
        run(tmp_path, WITH_CROSSWALK, {"in.csv": "ID,STATUTE,TEXT\n1,18.2-250,POSS\n"})
