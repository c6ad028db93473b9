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
