"""Canonical records -> the FBI NIBRS flat file (fixed width, one line per segment).

Positions and lengths are the FBI's (NIBRS Technical Specification 2019.1, the
same layouts the ``nibrs_flatfile`` translator reads): level 1 administrative
(88), 2 offense (71), 3 property (307), 4 victim (141), 5 offender (46), 6
Group A arrestee (110), 7 Group B arrest (66). Every segment starts with its
length, level, action type, submission month and year, city indicator, ORI and
incident number (the arrest transaction number for level 7).

What the canonical records do not hold is given by the caller: the submission
month and year, the city indicator and each incident's action type (``I``, or
``R`` for the ids in ``replacements``). Deletes and zero reports are
instructions, not records, and are not written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import pyarrow as pa

from justice_schema.errors import InputError
from justice_schema.nibrs.records import Refusal, prepare_submission, submission_month

__all__ = ["SEGMENT_LENGTHS", "ExportResult", "export_flatfile", "normalise_segment"]

#: Segment length per level in the 2019.1 layout (the lengths this writer writes).
SEGMENT_LENGTHS: Mapping[str, int] = {"0": 43, "1": 88, "2": 71, "3": 307, "4": 141, "5": 46, "6": 110, "7": 66}
#: Earlier, shorter lengths a reader accepts, and the 2019.1 length they grew into.
LEGACY_LENGTHS: Mapping[tuple[str, int], int] = {("1", 87): 88, ("2", 63): 71, ("4", 129): 141, ("5", 45): 46}


@attrs.frozen(slots=True)
class ExportResult:
    """What :func:`export_flatfile` wrote: the segment lines, and the records it refused."""

    lines: tuple[str, ...]
    refused: tuple[Refusal, ...]
    #: Records written, per entity (a person is written inside its arrestee's segment).
    written: Mapping[str, int] = attrs.field(factory=dict)

    def text(self) -> str:
        """The submission file's text: one segment per line, ``\\n`` line ends."""
        return "".join(line + "\n" for line in self.lines)


def normalise_segment(line: str) -> str:
    """A segment as this writer would lay it out: trailing blanks restored, legacy lengths grown to 2019.1.

    A reader trims trailing blanks and accepts the shorter pre-2019 segments
    (an 87-character administrative segment, a 63-character offense segment
    with one bias motivation, a 129-character victim segment without LEOKA data,
    a 45-character offender segment without ethnicity); the writer writes the
    2019.1 lengths. This is the one normalisation the flat-file round trip makes.

    >>> normalise_segment("00632I072019    HI002000019164156-3  35ACN  13   P           88")[:4]
    '0071'
    """
    line = line.rstrip("\r\n")
    if len(line) < 5 or not line[:4].isdigit():
        return line
    level, declared = line[4], int(line[:4])
    length = LEGACY_LENGTHS.get((level, declared), declared)
    return f"{length:04d}{line[4:]}".ljust(length)


def export_flatfile(tables: Mapping[str, pa.Table], *, submission: str, city: str = "",
                    replacements: Iterable[str] = (), allow_errors: bool = False) -> ExportResult:
    """Write canonical tables (``incident``, ``property``, ``victim``, ``offender``, ``arrest``, ``person``) as segments.

    ``submission`` is the submission's month, ``"YYYY-MM"``. An incident is
    written with its offenses, then its property, victims, offenders and Group A
    arrestees (in table order), then come the Group B arrests (arrests without
    an incident). An arrestee's sex, race and ethnicity come from its person
    record. Records failing a field or record rule are refused, with their
    children, and listed with the reasons (each names the rule and the FBI edit
    number), unless ``allow_errors`` (:func:`~justice_schema.nibrs.records.prepare_submission`).

    Raises :class:`~justice_schema.errors.InputError` when ``submission`` or
    ``city`` is malformed or a child points at an incident that is not given.
    """
    month, year = submission_month(submission)
    if len(city) > 4:
        raise InputError(f"the city indicator is at most 4 characters, got {city!r}", field="city")
    replaced = set(replacements)
    found = prepare_submission(tables, allow_errors=allow_errors)
    head = f"{month}{year}{city:<4}"
    lines: list[str] = []
    for incident_id, incident in found.incidents.items():
        ori = incident["source"]["agency_ori"]
        action = "R" if incident_id in replaced else "I"
        key = f"{head}{ori:<9}{incident['incident_number']:<12}"
        lines.append(_segment("1", action, key, _administrative(incident)))
        lines += [_segment("2", action, key, _offense(o)) for o in incident["offenses"]]
        lines += [_segment("3", action, key, _property(p)) for p in found.of(incident_id, "property")]
        lines += [_segment("4", action, key, _victim(v)) for v in found.of(incident_id, "victim")]
        lines += [_segment("5", action, key, _offender(o)) for o in found.of(incident_id, "offender")]
        lines += [_segment("6", action, key, _arrestee(a, found.person(a), group_b=False))
                  for a in found.of(incident_id, "arrest")]
    for arrest in found.group_b:
        ori = arrest["source"]["agency_ori"]
        key = f"{head}{ori:<9}{arrest['arrest_transaction_number'] or '':<12}"
        lines.append(_segment("7", "A", key, _arrestee(arrest, found.person(arrest), group_b=True)))
    return ExportResult(tuple(lines), found.refused, found.written)


# -- segments -------------------------------------------------------------------------------------

def _segment(level: str, action: str, key: str, body: str) -> str:
    length = SEGMENT_LENGTHS[level]
    return f"{length:04d}{level}{action}{key}{body}".ljust(length)[:length]


def _t(value: object, width: int) -> str:
    """Text left-justified in ``width`` (blank when null)."""
    return ("" if value is None else str(value)).ljust(width)[:width]


def _n(value: int | None, width: int) -> str:
    """A whole number zero-padded to ``width`` (blank when null)."""
    return " " * width if value is None else str(value).zfill(width)


def _d(value: str | None) -> str:
    """An ISO date as YYYYMMDD (blank when null)."""
    return " " * 8 if value is None else value.replace("-", "")


def _many(values: Sequence[object], count: int, width: int) -> str:
    return "".join(_t(v, width) for v in list(values)[:count]).ljust(count * width)


def _flag(entry: Mapping[str, Any] | None) -> str:
    if entry is None:
        return "   "
    return _t(entry["code"], 2) + ("A" if entry.get("automatic") else " ")


def _age(age: Mapping[str, Any] | None) -> str:
    if age is None:
        return "    "
    if age.get("code") is not None:
        return _t(age["code"], 4)
    low, high = age.get("min_years"), age.get("max_years")
    if low is None and high is None:
        return _t(age.get("raw"), 4)
    if low == high or high is None:
        return _t(f"{low:02d}", 4)
    return f"{low:02d}{high:02d}"


def _administrative(r: Mapping[str, Any]) -> str:
    cargo = {True: "Y", False: "N", None: " "}[r.get("cargo_theft")]
    return (_d(r["incident_date"]) + ("R" if r.get("incident_date_is_report_date") else " ")
            + _n(r.get("incident_hour"), 2) + _t(r.get("cleared_exceptionally"), 1)
            + _d(r.get("exceptional_clearance_date")) + " " * 30 + cargo)


def _offense(o: Mapping[str, Any]) -> str:
    weapons = list(o.get("weapons") or ())
    return (_t(o["ucr_offense_code"], 3) + _t(o.get("attempted_completed"), 1)
            + _many(o.get("suspected_of_using") or (), 3, 1) + _t(o.get("location_type"), 2)
            + _n(o.get("premises_entered"), 2) + _t(o.get("method_of_entry"), 1)
            + _many(o.get("criminal_activities") or (), 3, 1)
            + "".join(_flag(weapons[i] if i < len(weapons) else None) for i in range(3))
            + _many(o.get("bias_motivations") or (), 5, 2))


def _quantity(value: float | None) -> str:
    if value is None:
        return " " * 12
    thousandths = round(value * 1000)
    return f"{thousandths // 1000:09d}{thousandths % 1000:03d}"


def _property(p: Mapping[str, Any]) -> str:
    items = list(p.get("descriptions") or ())
    body = _t(p.get("loss_type"), 1)
    for i in range(10):
        item = items[i] if i < len(items) else None
        body += (" " * 19 if item is None else
                 _t(item["description"], 2) + _n(item.get("value"), 9) + _d(item.get("recovered_date")))
    body += _n(p.get("stolen_vehicle_count"), 2) + _n(p.get("recovered_vehicle_count"), 2)
    drugs = list(p.get("drugs") or ())
    for i in range(3):
        drug = drugs[i] if i < len(drugs) else None
        body += (" " * 15 if drug is None else
                 _t(drug["drug_type"], 1) + _quantity(drug.get("quantity")) + _t(drug.get("measure"), 2))
    return body


def _victim(v: Mapping[str, Any]) -> str:
    relationships = list(v.get("relationships") or ())
    return (_n(v["victim_sequence_number"], 3) + _many(v.get("offense_codes") or (), 10, 3)
            + _t(v.get("victim_type"), 1) + _age(v.get("victim_age")) + _t(v.get("sex"), 1) + _t(v.get("race"), 1)
            + _t(v.get("ethnicity"), 1) + _t(v.get("resident_status"), 1)
            + _many(v.get("circumstances") or (), 2, 2) + _t(v.get("justifiable_homicide_circumstance"), 1)
            + _many(v.get("injuries") or (), 5, 1)
            + "".join(_n(r["offender_sequence_number"], 2) + _t(r.get("relationship") or r.get("relationship_raw"), 2)
                      for r in relationships[:10]).ljust(40)
            + _t(v.get("officer_activity"), 2) + _t(v.get("officer_assignment"), 1) + _t(v.get("officer_other_ori"), 9))


def _offender(o: Mapping[str, Any]) -> str:
    return (_n(o["offender_sequence_number"], 2) + _age(o.get("offender_age")) + _t(o.get("sex"), 1)
            + _t(o.get("race"), 1) + _t(o.get("ethnicity"), 1))


def _arrestee(a: Mapping[str, Any], person: Mapping[str, Any] | None, *, group_b: bool) -> str:
    person = person or {}
    armed = list(a.get("armed_with") or ())
    weapons = "".join(_flag(armed[i] if i < len(armed) else None) for i in range(2))
    who = (_age(a.get("arrestee_age")) + _t(person.get("sex"), 1) + _t(person.get("race"), 1)
           + _t(person.get("ethnicity"), 1) + _t(a.get("resident_status"), 1) + _t(a.get("juvenile_disposition"), 1))
    if group_b:
        return (_n(a.get("arrestee_sequence_number"), 2) + _d(a.get("arrest_date")) + _t(a.get("arrest_type"), 1)
                + _t(a.get("ucr_arrest_offense_code"), 3) + weapons + who)
    return (_n(a.get("arrestee_sequence_number"), 2) + _t(a.get("arrest_transaction_number"), 12)
            + _d(a.get("arrest_date")) + _t(a.get("arrest_type"), 1) + _t(a.get("multiple_arrestee_indicator"), 1)
            + _t(a.get("ucr_arrest_offense_code"), 3) + weapons + who)
