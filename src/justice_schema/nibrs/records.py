"""The records of a NIBRS submission, checked: what every NIBRS writer (flat file, XML) writes, and what it refuses.

:func:`prepare_submission` takes canonical tables (``incident``, ``property``,
``victim``, ``offender``, ``arrest``, ``person``), holds every record to the
schema's field and record rules (each names its FBI edit number) and to the
submission edits the catalogue only warns about (264, 760), and arranges what
is left the way a submission nests it: each incident with its property,
victims, offenders and Group A arrestees, then the Group B arrests. A record
failing an edit is refused with the reasons, and so are the records of a
refused incident, unless ``allow_errors``. Both writers call it, so they
refuse the same records for the same reasons.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import attrs
import pyarrow as pa

from justice_schema.arrow import from_table
from justice_schema.errors import InputError
from justice_schema.validation.columnar import row_problems
from justice_schema.validation.record_rules import GROUP_B_OFFENSES

__all__ = ["ENTITIES", "Refusal", "Submission", "prepare_submission", "submission_month"]

#: The canonical entities a NIBRS submission holds.
ENTITIES = ("incident", "property", "victim", "offender", "arrest", "person")
_CHILDREN = ("property", "victim", "offender", "arrest")

Record = dict[str, Any]


@attrs.frozen(slots=True)
class Refusal:
    """A record not written: its entity, id and the reasons (rule code and FBI edit number)."""

    entity: str
    id: str
    reasons: tuple[str, ...]

    def json_line(self) -> str:
        """The refusal as one line of the refusal listing (JSON, with its line end)."""
        return json.dumps({"entity": self.entity, "id": self.id, "reasons": list(self.reasons)},
                          ensure_ascii=False) + "\n"


@attrs.frozen(slots=True)
class Submission:
    """The records to write, nested as a submission nests them, and the records refused.

    ``children[incident_id][entity]`` lists an incident's property, victim,
    offender and (Group A) arrest records in table order; ``group_b`` the
    arrests without an incident; ``persons`` the person records by id (an
    arrestee's sex, race and ethnicity). ``written`` counts the records a
    writer writes, per entity, so that read = written + refused.
    """

    incidents: Mapping[str, Record]
    children: Mapping[str, Mapping[str, list[Record]]]
    group_b: tuple[Record, ...]
    persons: Mapping[str, Record]
    refused: tuple[Refusal, ...]
    written: Mapping[str, int]

    def of(self, incident_id: str, entity: str) -> list[Record]:
        """The records of ``entity`` that belong to the incident ``incident_id`` (empty when none)."""
        return list(self.children.get(incident_id, {}).get(entity, ()))

    def person(self, arrest: Mapping[str, Any]) -> Record:
        """The person record an arrest points at (empty when none is given)."""
        return self.persons.get(arrest.get("person_id") or "", {})


def submission_month(text: str) -> tuple[str, str]:
    """``"YYYY-MM"`` as (month, year); :class:`~justice_schema.errors.InputError` naming the option otherwise.

    >>> submission_month("2019-07")
    ('07', '2019')
    """
    parts = text.split("-")
    if len(parts) != 2 or not (len(parts[0]) == 4 and parts[0].isdigit() and len(parts[1]) == 2
                               and parts[1].isdigit() and 1 <= int(parts[1]) <= 12):
        raise InputError(f"the submission month is YYYY-MM, got {text!r}", field="submission")
    return parts[1], parts[0]


def prepare_submission(tables: Mapping[str, pa.Table], *, allow_errors: bool = False) -> Submission:
    """Check canonical tables and nest them as a submission (see the module docs).

    Raises :class:`~justice_schema.errors.InputError` when a table is of an
    entity no NIBRS segment holds, or a child points at an incident that is
    not given.
    """
    unknown = set(tables) - set(ENTITIES)
    if unknown:
        raise InputError(f"no NIBRS segment holds {', '.join(sorted(unknown))}; give "
                         f"{', '.join(ENTITIES)}", field="tables")
    records: dict[str, list[Record]] = {}
    refused: list[Refusal] = []
    for entity in ENTITIES:
        table = tables.get(entity)
        if table is None or table.num_rows == 0:
            records[entity] = []
            continue
        rows = [r.model_dump(mode="json") for r in from_table(table)]
        if not allow_errors:
            problems = row_problems(table, entity, record_rules=True)
            if problems:
                reasons = problems.reasons().to_pylist()
                refused += [Refusal(entity, row["id"], tuple(reason.split("; "))) for row, reason in zip(rows, reasons)
                            if reason is not None]
                rows = [row for row, reason in zip(rows, reasons) if reason is None]
            rows = _submission_edits(entity, rows, refused)
        records[entity] = rows
    gone = {r.id for r in refused}
    incidents = {r["id"]: r for r in records["incident"]}
    persons = {r["id"]: r for r in records["person"]}
    children: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    group_b = []
    for entity in _CHILDREN:
        for row in records[entity]:
            parent: str | None = row.get("incident_id")
            if entity == "arrest" and parent is None:
                group_b.append(row)
            elif parent in gone:
                refused.append(Refusal(entity, row["id"], (f"its incident {parent} was refused",)))
            elif parent is None or parent not in incidents:
                raise InputError(f"{entity} {row['id']} points at incident {parent!r}, which is not given",
                                 field="incident_id")
            else:
                children[parent][entity].append(row)
    written = {"incident": len(incidents)}
    for entity in _CHILDREN:
        written[entity] = sum(len(found.get(entity, ())) for found in children.values())
    written["arrest"] += len(group_b)
    used = {a.get("person_id") for found in children.values() for a in found.get("arrest", ())} | {
        a.get("person_id") for a in group_b}
    written["person"] = sum(1 for pid in persons if pid in used)
    refused += [Refusal("person", pid, ("no arrest points at this person: NIBRS holds a person only as an "
                                        "arrestee",)) for pid in persons if pid not in used]
    frozen = {k: {e: list(v) for e, v in found.items()} for k, found in children.items()}
    return Submission(incidents, frozen, tuple(group_b), persons, tuple(refused), written)


def _submission_edits(entity: str, rows: list[Record], refused: list[Refusal]) -> list[Record]:
    """Refuse what the catalogue only warns about, because not every record is a NIBRS submission (264, 760)."""
    kept = []
    for row in rows:
        reason = None
        if entity == "incident" and any(o["ucr_offense_code"] in GROUP_B_OFFENSES for o in row["offenses"]):
            reason = ("offenses.ucr_offense_code: a Group B offense is reported as an offense of a Group A "
                      "incident (JS-I51, FBI edit 264)")
        elif (entity == "arrest" and row.get("incident_id") is None and row.get("ucr_arrest_offense_code")
              and row["ucr_arrest_offense_code"] not in GROUP_B_OFFENSES):
            reason = ("ucr_arrest_offense_code: a Group B arrest is reported for a Group A offense "
                      "(JS-A53, FBI edit 760)")
        if reason is None:
            kept.append(row)
        else:
            refused.append(Refusal(entity, row["id"], (reason,)))
    return kept
