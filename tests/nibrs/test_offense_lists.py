"""FBI edits 219-222 and their neighbours: which offenses DE 12 and DE 13 belong to (issue 13).

One incident per case, all in one flat file run through ``nibrs check``: each case must give
exactly its FBI error numbers, so a list that is too short (a false error) or too long (a
missed one) fails here. The lists are the FBI's (docs/nibrs-edits.md gives the sources).
"""

from __future__ import annotations

from pathlib import Path

from justice_schema.nibrs.check import check_submission
from justice_schema.testing.nibrs_submissions import flat_segment

# (offense code, DE 12 values, DE 13 weapon codes) -> the FBI errors the incident must get.
CASES: dict[str, tuple[str, str, tuple[str, ...], set[str]]] = {
    "drug-with-gang-code": ("35A", "J", (), {"219"}),
    "assault-with-activity-code": ("13A", "P", ("40",), {"219"}),
    "animal-cruelty-code-elsewhere": ("35A", "PA", (), {"219"}),
    "animal-cruelty-clean": ("720", "A", (), set()),
    "animal-cruelty-without-de12": ("720", "", (), {"220"}),
    "murder-gang-none-clean": ("09A", "N", ("95",), set()),  # 09A takes gang codes (the FBI list; not every tool's)
    "robbery-gang-clean": ("120", "G", ("12",), set()),
    "trafficking-with-force-clean": ("64A", "", ("40",), set()),
    "trafficking-without-de13": ("64B", "", (), {"221"}),
    "extortion-with-force-clean": ("210", "", ("90",), set()),
    "larceny-with-weapon": ("23H", "", ("40",), {"222"}),
    "weapon-law-clean": ("520", "P", ("11",), set()),
    "weapon-law-without-de13": ("520", "P", (), {"221"}),
    "weapon-law-without-de12": ("520", "", ("11",), {"220"}),
    "simple-assault-with-knife": ("13B", "", ("20",), {"265"}),
    "simple-assault-with-handgun": ("13B", "", ("12",), {"265"}),  # and the 269 warning, which is not listed
    "negligent-manslaughter-with-none": ("09B", "", ("99",), {"267"}),
}


def _incident(number: str, code: str, activities: str, weapons: tuple[str, ...]) -> list[str]:
    offense = {38: code, 41: "C", 42: "N", 45: "20", 62: "88"}
    if activities:
        offense[50] = activities
    for i, weapon in enumerate(weapons):
        offense[53 + 3 * i] = f"{weapon} "
    return [
        flat_segment("1", {38: "20190601", 47: "10", 49: "N"}, number),
        flat_segment("2", offense, number),
        flat_segment("4", {38: "001", 41: code, 71: "S"}, number),
        flat_segment("5", {38: "01", 40: "00  ", 44: "U", 45: "U", 46: "U"}, number),
    ]


def test_each_offense_gets_exactly_its_de12_and_de13_errors(tmp_path: Path) -> None:
    lines, truth = [], set()
    for i, (code, activities, weapons, errors) in enumerate(CASES.values()):
        number = f"L{i:08d}-1"
        lines += _incident(number, code, activities, weapons)
        truth |= {(number, error) for error in errors}
    path = tmp_path / "lists.txt"
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    found = check_submission(path).errors
    pairs = set(zip(found.column("incident_number").to_pylist(), found.column("error_number").to_pylist()))
    names = {f"L{i:08d}-1": name for i, name in enumerate(CASES)}
    assert {(names[n], e) for n, e in pairs} == {(names[n], e) for n, e in truth}
