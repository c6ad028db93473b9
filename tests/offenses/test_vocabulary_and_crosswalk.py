"""Vocabulary and crosswalk files: bad ones are refused naming file, row and key; good ones decide."""

from __future__ import annotations

from pathlib import Path

import pytest

from justice_schema.errors import InputError
from justice_schema.offenses import classify_offense, load_crosswalk, load_vocabulary
from justice_schema.offenses.vocabulary import _default_path

HEADER = "state,statute,ncrp_category,nibrs_code,severity,severity_degree\n"


def test_the_shipped_vocabulary_has_unique_rule_ids_and_every_category() -> None:
    vocabulary = load_vocabulary()
    assert len({r.id for r in vocabulary.rules}) == len(vocabulary.rules)
    assert len(vocabulary.categories) == 84  # the NCRP charge categories
    assert {c.uccs_broad_type for c in vocabulary.categories.values()} == {
        "VIOLENT", "PROPERTY", "DRUG", "PUBLIC ORDER", "CRIMINAL TRAFFIC", "OTHER"}


def _vocabulary_with(tmp_path: Path, old: str, new: str) -> Path:
    text = _default_path("vocabulary.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "vocab.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "mentions"), [
    ('ncrp = "MURDER"', 'ncrp = "MURDERS"', ["rule[", "ncrp", "'MURDERS' is not a category"]),
    ('all = ["\\\\bMURDER"]', 'all = ["(?<=X)MURDER"]', ["rule[", "all[0]", "RE2"]),
    ('confidence = 0.95\n[[rule]]\nid = "supervision.probation"', 'confidence = 1.5\n[[rule]]\nid = "supervision.probation"',
     ["confidence", "(0, 1]"]),
    ('[vocabulary]', '[vocabulary]\n[oops', ["is not valid TOML"]),
    ('nibrs = "11C"', 'nibrs = "999"', ["nibrs", "'999' is not a NIBRS offense code"]),
    ('ANYDRUG = "(DRUG', 'ANYDRUGS = "(DRUG', ["unknown macro {ANYDRUG}"]),
])
def test_a_bad_vocabulary_is_refused_naming_the_file_and_key(tmp_path: Path, old: str, new: str,
                                                              mentions: list[str]) -> None:
    path = _vocabulary_with(tmp_path, old, new)
    with pytest.raises(InputError) as caught:
        load_vocabulary(path)
    message = str(caught.value)
    assert str(path) in message
    for text in mentions:
        assert text in message, message


def test_a_replacement_vocabulary_changes_the_answer(tmp_path: Path) -> None:
    path = _vocabulary_with(tmp_path, 'id = "homicide.murder"\nall = ["\\\\bMURDER"]',
                            'id = "homicide.murder"\nall = ["\\\\b(MURDER|SLAYING)"]')
    assert classify_offense("SLAYING")["offense_status"] == "unclassified"
    assert classify_offense("SLAYING", vocabulary=load_vocabulary(path))["ncrp_category"] == "MURDER"


def test_a_crosswalk_row_decides_with_full_confidence(tmp_path: Path) -> None:
    path = tmp_path / "cw.csv"
    path.write_text(HEADER + "VA,18.2-250,POSSESSION/USE - OTHER CONTROLLED SUBSTANCES,35A,FELONY,5\n"
                    "VA,18.2-95,,,FELONY,\n", encoding="utf-8")
    crosswalk = load_crosswalk(path, load_vocabulary())
    result = classify_offense("SOMETHING UNREADABLE", "18.2-250(A)", "VA", crosswalk=crosswalk)
    assert (result["ncrp_category"], result["severity"], result["severity_degree"]) == (
        "POSSESSION/USE - OTHER CONTROLLED SUBSTANCES", "FELONY", "5")
    assert result["offense_confidence"] == 1.0
    assert result["offense_evidence"] == f"crosswalk {path} row 2 (VA 18.2-250)"
    # a row with severity only: the category still comes from the description rules
    larceny = classify_offense("GRAND LARCENY", "18.2-95", "VA", crosswalk=crosswalk)
    assert larceny["ncrp_category"] == "GRAND LARCENY - THEFT OVER $200"
    assert larceny["offense_evidence"] == "rule larceny.grand"
    assert (larceny["severity"], larceny["severity_evidence"]) == ("FELONY", f"crosswalk {path} row 3 (VA 18.2-95)")
    # another state's statute of the same number is not this row
    assert classify_offense(None, "18.2-250", "NC", crosswalk=crosswalk)["offense_status"] == "unclassified"


@pytest.mark.parametrize(("rows", "mentions"), [
    ("VA,18.2-250,NOT A CATEGORY,,,\n", ["row 2", "'ncrp_category'", "not an NCRP charge category"]),
    ("VAX,18.2-250,,35A,,\n", ["row 2", "'state'", "two-letter"]),
    ("VA,,,35A,,\n", ["row 2", "'statute'", "is empty"]),
    ("VA,18.2-250,,35Q,,\n", ["row 2", "'nibrs_code'"]),
    ("VA,18.2-250,,,FELONIOUS,\n", ["row 2", "'severity'"]),
    ("VA,18.2-250,,,,9\n", ["row 2", "'severity_degree'"]),
    ("VA,18.2-250,,,,\n", ["row 2", "classifies nothing"]),
    ("VA,18.2-250,,35A,,\nVA,18.2-250,,35A,,\n", ["row 3", "listed twice"]),
])
def test_a_bad_crosswalk_row_is_refused_naming_row_and_column(tmp_path: Path, rows: str, mentions: list[str]) -> None:
    path = tmp_path / "cw.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_crosswalk(path, load_vocabulary())
    for text in [str(path), *mentions]:
        assert text in str(caught.value), str(caught.value)


def test_a_crosswalk_without_its_key_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cw.csv"
    path.write_text("statute,ncrp_category\n18.2-250,MURDER\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        load_crosswalk(path, load_vocabulary())
