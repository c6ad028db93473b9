"""Seeded NIBRS flat-file submissions with known faults: the labelled set ``nibrs check`` is measured on.

:func:`seeded_submission` writes edit-clean incidents (administrative, offense, victim,
offender and Group A arrestee segments) and Group B arrests at the FBI's positions
(NIBRS Technical Specification 2019.1), and injects into a share of them one fault each
whose FBI error number is known: the truth is the set of (incident or arrest transaction
number, FBI error number) pairs. The labels are our own, derived from the FBI's edit
descriptions, not an FBI Error Data Set: see ``docs/nibrs-check.md``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import attrs

__all__ = ["FAULTS", "ORI", "SEGMENT_FORMS", "SeededSubmission", "flat_segment", "seeded_submission"]

#: The ORI of every generated segment.
ORI = "HI0020000"
#: Segment lengths of the forms generated here, by level (the victim form is the 129-character one
#: of the releases before 2019.1, which readers still accept).
SEGMENT_FORMS: dict[str, int] = {"1": 88, "2": 71, "3": 307, "4": 129, "5": 46, "6": 110, "7": 66}


def flat_segment(level: str, fields: dict[int, str], key: str = "", action: str = "I") -> str:
    """One NIBRS flat-file segment for tests: the header (length, level, ``action``, July 2019,
    :data:`ORI`, ``key`` at positions 26-37), blanks, and ``fields`` by 1-based start position.

    >>> flat_segment("7", {38: "01"}, "G1")[:39]
    '00667I072019    HI0020000G1          01'
    """
    line = [" "] * SEGMENT_FORMS[level]
    head = f"{SEGMENT_FORMS[level]:04d}{level}{action}072019    {ORI}{key:<12}"
    line[:len(head)] = head
    for start, text in fields.items():
        line[start - 1:start - 1 + len(text)] = text
    return "".join(line)


def _incident(number: str, *, cargo: str = " ", offenses: tuple[dict[int, str], ...] = ({},),
              arrestee: dict[int, str] | None = None) -> list[str]:
    """An edit-clean incident (290 at a residence, a business victim, an unknown offender, an adult
    arrestee), with ``offenses`` and ``arrestee`` overriding positions of those segments."""
    lines = [flat_segment("1", {38: "20190601", 47: "10", 49: "N", 88: cargo}, number)]
    for extra in offenses:
        lines.append(flat_segment("2", {38: "290", 41: "C", 42: "N", 45: "20", 62: "88", **extra}, number))
    lines.append(flat_segment("4", {38: "001", 41: "290", 71: "B"}, number))
    lines.append(flat_segment("5", {38: "01", 40: "00  ", 44: "U", 45: "U", 46: "U"}, number))
    lines.append(flat_segment("6", {38: "01", 40: f"{number[:11]}A", 52: "20190614", 60: "O", 61: "N", 62: "290",
                                65: "01", 71: "30  ", 75: "M", 76: "W", 77: "N", 78: "R", **(arrestee or {})},
                          number))
    return lines


def _group_b(atn: str, **over: str) -> list[str]:
    """An edit-clean Group B arrest (90D, taken into custody, adult) with positions overridden."""
    fields = {38: "01", 40: "20190614", 48: "T", 49: "90D", 52: "01", 58: "25  ", 62: "M", 63: "W", 64: "N",
              65: "R", 66: " "}
    fields.update({int(k[1:]): v for k, v in over.items()})
    return [flat_segment("7", fields, atn)]


# Offense segment positions: 38 offense, 41 attempted/completed, 45 location, 47 premises entered,
# 49 method of entry, 50-52 criminal activity (DE 12), 53-61 weapon/force (DE 13, code and automatic flag), 62 bias.
#: What each offense needs to pass the edits on its own: a weapon for 13B (221), a criminal activity for 250/280/35A (220).
_NEEDS = {"13B": {53: "40 "}, "250": {50: "P"}, "280": {50: "P"}, "35A": {50: "P"}}
_ELEVEN = tuple({38: code, **_NEEDS.get(code, {})}
                for code in ("290", "13B", "23H", "23F", "23D", "240", "250", "26A", "270", "280", "35A"))

#: FBI error number -> a function writing one incident (or Group B arrest) that breaks that edit only.
FAULTS: dict[str, Callable[[str], list[str]]] = {
    "119": lambda n: _incident(n, cargo="N"),
    "204": lambda n: _incident(n, offenses=({38: "99Z"},)),
    "206": lambda n: _incident(n, offenses=({42: "A", 43: "A"},)),
    "207": lambda n: _incident(n, offenses=({42: "N", 43: "A"},)),
    "219": lambda n: _incident(n, offenses=({50: "J"},)),
    "220": lambda n: _incident(n, offenses=({38: "35A"},)),
    "221": lambda n: _incident(n, offenses=({38: "13B"},)),
    "222": lambda n: _incident(n, offenses=({53: "40 "},)),
    "254": lambda n: _incident(n, offenses=({49: "F"},)),
    "257": lambda n: _incident(n, offenses=({38: "220", 45: "14", 49: "F"},)),
    "265": lambda n: _incident(n, offenses=({38: "13B", 53: "20 "},)),
    "267": lambda n: _incident(n, offenses=({38: "09A", 53: "99 "},)),
    "270": lambda n: _incident(n, offenses=({38: "09C", 53: "11 ", 62: "12"},)),
    "263": lambda n: _incident(n, offenses=_ELEVEN),
    "609": lambda n: _incident(n, arrestee={71: "3X  "}),
    "610": lambda n: _incident(n, arrestee={71: "3025"}),
    "622": lambda n: _incident(n, arrestee={71: "0025"}),
    "652": lambda n: _incident(n, arrestee={71: "16  "}),
    "653": lambda n: _incident(n, arrestee={79: "H"}),
    "664": lambda n: _incident(n, arrestee={71: "NN  "}),
    "667": lambda n: _incident(n, arrestee={75: "U"}),
    "670": lambda n: _incident(n, arrestee={62: "09C"}),
    "710": lambda n: _group_b(n, p58="3025"),
    "753": lambda n: _group_b(n, p66="H"),
    "757": lambda n: _group_b(n, p58="BB  "),
    "758": lambda n: _group_b(n, p62="U"),
}


@attrs.frozen(slots=True)
class SeededSubmission:
    """A written submission and its truth: the (incident or arrest transaction number, FBI error number) pairs."""

    path: Path
    incidents: int
    arrests: int
    truth: frozenset[tuple[str, str]]
    segments: int


def seeded_submission(path: str | Path, *, incidents: int = 200, faulty: float = 0.3, seed: int = 0,
                      faults: tuple[str, ...] | None = None) -> SeededSubmission:
    """Write ``incidents`` incidents and as many Group B arrests, ``faulty`` of each with one seeded fault.

    Faults are drawn from ``faults`` (default: every key of :data:`FAULTS`) that fit the record
    (7xx edits for Group B arrests, the others for incidents). The same ``seed`` writes the same file.
    """
    rng = random.Random(seed)
    chosen = tuple(faults) if faults is not None else tuple(FAULTS)
    for number in chosen:
        if number not in FAULTS:
            raise ValueError(f"no seeded fault for FBI error {number}; known: {', '.join(FAULTS)}")
    incident_faults = [f for f in chosen if not f.startswith("7")]
    arrest_faults = [f for f in chosen if f.startswith("7")]
    lines: list[str] = []
    truth: set[tuple[str, str]] = set()

    def write(key: str, faults_here: list[str], clean: Callable[[str], list[str]]) -> None:
        # One record: with probability ``faulty`` one of ``faults_here`` is seeded and remembered.
        if faults_here and rng.random() < faulty:
            fault = rng.choice(faults_here)
            lines.extend(FAULTS[fault](key))
            truth.add((key, fault))
        else:
            lines.extend(clean(key))

    for i in range(incidents):
        write(f"S{i:08d}-1", incident_faults, _incident)
        write(f"G{i:08d}-1", arrest_faults, _group_b)
    target = Path(path)
    target.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return SeededSubmission(target, incidents, incidents, frozenset(truth), len(lines))
