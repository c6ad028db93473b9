"""Canonical records -> an FBI NIBRS XML submission (IEPD 2019.1: NIEM 3.0 core, JXDM 5.2).

The document has the structure of the FBI's IEPD sample instances that the
``nibrs_xml`` translator reads: one ``nibrs:Submission`` holding a
``nibrs:Report`` per Group A incident and per Group B arrest. A Group A report
holds its ``nibrs:ReportHeader``, the ``nc:Incident``, a ``j:Offense`` and
``nc:Location`` per offense, the property as ``nc:Item`` (or ``nc:Substance``
when the property has drugs), an ``nc:Person`` per victim, offender and
arrestee, ``j:EnforcementOfficial`` for officer victims, ``j:Victim``,
``j:Subject`` (offender), ``j:Arrestee`` and ``j:Arrest``, then the
associations that link them (arrest to arrestee, offense to location, offense
to victim, offender to victim with the relationship).

Which records are written, and which refused, is decided once for every
NIBRS writer by :func:`~justice_schema.nibrs.records.prepare_submission`.
Codes the IEPD spells as words (type of property loss, bias motivation,
victim-to-offender relationship, age codes) are written as the words the
``nibrs_xml`` translator reads back; the tables are that translator's own
maps, so the two directions cannot drift apart. See ``docs/nibrs-export.md``
for what the XML cannot carry.
"""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import attrs
import pyarrow as pa

from justice_schema.nibrs.records import Refusal, Submission, prepare_submission, submission_month

__all__ = ["NAMESPACES", "VEHICLE_DESCRIPTIONS", "XmlExportResult", "export_xml"]

#: The namespaces of the IEPD 2019.1, by the prefixes its samples use.
NAMESPACES: Mapping[str, str] = {
    "nibrs": "http://fbi.gov/cjis/nibrs/2019",
    "cjis": "http://fbi.gov/cjis/2.0",
    "j": "http://release.niem.gov/niem/domains/jxdm/5.2/",
    "nc": "http://release.niem.gov/niem/niem-core/3.0/",
    "s": "http://release.niem.gov/niem/structures/3.0/",
}
#: Property descriptions that are motor vehicles (NIBRS DE 15): the item that carries DE 18/19, the vehicle count.
VEHICLE_DESCRIPTIONS = frozenset({"03", "05", "24", "28", "37"})
_DRUGS = "10"


@attrs.frozen(slots=True)
class XmlExportResult:
    """What :func:`export_xml` wrote: the document, the reports in it, and the records it refused."""

    document: str
    reports: int
    refused: tuple[Refusal, ...]
    #: Records written, per entity (a person is written inside its arrestee's report).
    written: Mapping[str, int] = attrs.field(factory=dict)

    def text(self) -> str:
        """The submission document (UTF-8 text with its XML declaration)."""
        return self.document


@cache
def _maps() -> Mapping[str, Mapping[str, str]]:
    """The ``nibrs_xml`` translator's maps of IEPD words (and codes) to codes."""
    spec = tomllib.loads(resources.files("justice_schema.vendors.nibrs_xml").joinpath("spec.toml").read_text("utf-8"))
    return {name: dict(spec["maps"][name]["values"])
            for name in ("bias_motivation", "relationship", "age_text", "property_loss_type")}


@cache
def _words() -> Mapping[str, Mapping[str, str]]:
    """Code -> IEPD word: the first word of the translator's map that is not the code itself."""
    out: dict[str, dict[str, str]] = {}
    for name, values in _maps().items():
        table: dict[str, str] = {}
        for word, code in values.items():
            if word != code and code not in table:
                table[code] = word
        out[name] = table
    return out


def _word(table: str, code: object) -> str | None:
    if code is None:
        return None
    return _words()[table].get(str(code), str(code))


def export_xml(tables: Mapping[str, pa.Table], *, submission: str, replacements: Iterable[str] = (),
               allow_errors: bool = False) -> XmlExportResult:
    """Write canonical tables (``incident``, ``property``, ``victim``, ``offender``, ``arrest``, ``person``) as NIBRS XML.

    ``submission`` is the submission's month, ``"YYYY-MM"`` (each report's
    ``nibrs:ReportDate``). Incidents are reports with action ``I``, or ``R``
    for the ids in ``replacements``; Group B arrests are reports with action
    ``A``, after the incidents. Records failing a field or record rule are
    refused, with their children, and listed with the reasons (each names the
    rule and the FBI edit number), unless ``allow_errors``.

    Raises :class:`~justice_schema.errors.InputError` when ``submission`` is
    malformed or a child points at an incident that is not given.
    """
    month, year = submission_month(submission)
    replaced = set(replacements)
    found = prepare_submission(tables, allow_errors=allow_errors)
    root = _el(None, "nibrs:Submission")
    meta = _el(root, "cjis:MessageMetadata")
    _text(meta, "cjis:MessageImplementationVersion", "2019")
    oris = [r["source"]["agency_ori"] for r in found.incidents.values()] + [
        a["source"]["agency_ori"] for a in found.group_b]
    if oris:
        _ori(_el(meta, "cjis:MessageSubmittingOrganization"), oris[0])
    reports = 0
    for incident_id, incident in found.incidents.items():
        _incident_report(root, found, incident_id, incident, "R" if incident_id in replaced else "I", f"{year}-{month}")
        reports += 1
    for arrest in found.group_b:
        report = _header(root, "GROUP B ARREST REPORT", "A", f"{year}-{month}", arrest["source"]["agency_ori"])
        _arrestees(report, [arrest], found)
        reports += 1
    for prefix, uri in NAMESPACES.items():
        root.set(f"xmlns:{prefix}", uri)
    ET.indent(root, space="  ")
    document = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return XmlExportResult(document, reports, found.refused, found.written)


# -- elements -------------------------------------------------------------------------------------

def _el(parent: ET.Element | None, name: str, **attributes: str) -> ET.Element:
    """A new element ``prefix:local`` (written with the IEPD prefixes, declared once on the root)."""
    attrib = {k.replace("_", ":", 1): v for k, v in attributes.items()}
    return ET.Element(name, attrib) if parent is None else ET.SubElement(parent, name, attrib)


def _text(parent: ET.Element, path: str, value: object) -> ET.Element | None:
    """``parent/a/b/c`` with ``value`` as the text of ``c``; nothing when the value is null."""
    if value is None or value == "":
        return None
    node = parent
    for step in path.split("/"):
        node = _el(node, step)
    node.text = str(value)
    return node


def _ori(parent: ET.Element, ori: object) -> None:
    _text(parent, "j:OrganizationAugmentation/j:OrganizationORIIdentification/nc:IdentificationID", ori)


def _header(root: ET.Element, category: str, action: str, month: str, ori: str) -> ET.Element:
    report = _el(root, "nibrs:Report")
    header = _el(report, "nibrs:ReportHeader")
    _text(header, "nibrs:NIBRSReportCategoryCode", category)
    _text(header, "nibrs:ReportActionCategoryCode", action)
    _text(header, "nibrs:ReportDate/nc:YearMonthDate", month)
    _ori(_el(header, "nibrs:ReportingAgency"), ori)
    return report


def _code(record: Mapping[str, Any], name: str) -> object:
    """A coded field, or the text the source wrote when it is not a code of the list."""
    value, raw = record.get(name), record.get(f"{name}_raw")
    if value is None:
        return raw
    # The source's own spelling of the same code (6 for 06) reads back as the same code and the same text.
    if isinstance(raw, str) and isinstance(value, str) and raw.strip() and raw.strip().zfill(len(value)) == value:
        return raw
    return value


def _bool(value: object) -> str | None:
    return None if value is None else ("true" if value else "false")


def _incident_report(root: ET.Element, found: Submission, incident_id: str, incident: Mapping[str, Any],
                     action: str, month: str) -> None:
    report = _header(root, "GROUP A INCIDENT REPORT", action, month, incident["source"]["agency_ori"])
    node = _el(report, "nc:Incident")
    _text(node, "nc:ActivityIdentification/nc:IdentificationID", incident["incident_number"])
    when = _el(node, "nc:ActivityDate")
    if incident.get("incident_hour") is not None:
        _text(when, "nc:DateTime", f"{incident['incident_date']}T{incident['incident_hour']:02d}:00:00")
    else:
        _text(when, "nc:Date", incident["incident_date"])
    augmentation = _el(node, "cjis:IncidentAugmentation")
    _text(augmentation, "cjis:IncidentReportDateIndicator", _bool(bool(incident.get("incident_date_is_report_date"))))
    _text(augmentation, "j:OffenseCargoTheftIndicator", _bool(incident.get("cargo_theft")))
    clearance = _el(node, "j:IncidentAugmentation")
    _text(clearance, "j:IncidentExceptionalClearanceCode", _code(incident, "cleared_exceptionally"))
    _text(clearance, "j:IncidentExceptionalClearanceDate/nc:Date", incident.get("exceptional_clearance_date"))
    offenses = list(incident["offenses"])
    for n, offense in enumerate(offenses, start=1):
        _offense(report, n, offense)
    for n, offense in enumerate(offenses, start=1):
        location = _el(report, "nc:Location", s_id=f"Location{n}")
        _text(location, "nibrs:LocationCategoryCode", _code(offense, "location_type"))
    properties = found.of(incident_id, "property")
    for item in [p for p in properties if not p.get("drugs")] + [p for p in properties if p.get("drugs")]:
        _property(report, item)
    victims, offenders = found.of(incident_id, "victim"), found.of(incident_id, "offender")
    for victim in victims:
        if _has_person(victim):
            _person(report, f"PersonVictim{victim['victim_sequence_number']}", victim.get("victim_age"), victim,
                    victim.get("resident_status") or victim.get("resident_status_raw"))
    for offender in offenders:
        _person(report, f"PersonSubject{offender['offender_sequence_number']}", offender.get("offender_age"),
                offender, None)
    arrests = found.of(incident_id, "arrest")
    for victim in victims:
        if any(victim.get(k) is not None for k in ("officer_activity", "officer_activity_raw", "officer_assignment",
                                                    "officer_assignment_raw", "officer_other_ori")):
            official = _el(report, "j:EnforcementOfficial")
            _el(official, "nc:RoleOfPerson", s_ref=f"PersonVictim{victim['victim_sequence_number']}")
            _text(official, "j:EnforcementOfficialActivityCategoryCode", _code(victim, "officer_activity"))
            _text(official, "j:EnforcementOfficialAssignmentCategoryCode", _code(victim, "officer_assignment"))
            if victim.get("officer_other_ori"):
                _ori(_el(official, "j:EnforcementOfficialUnit"), victim["officer_other_ori"])
    for victim in victims:
        _victim(report, victim)
    for offender in offenders:
        subject = _el(report, "j:Subject", s_id=f"Subject{offender['offender_sequence_number']}")
        _el(subject, "nc:RoleOfPerson", s_ref=f"PersonSubject{offender['offender_sequence_number']}")
        _text(subject, "j:SubjectSequenceNumberText", offender["offender_sequence_number"])
    _arrestees(report, arrests, found, associations=False)
    _associations(report, offenses, victims, offenders, arrests)


def _offense(report: ET.Element, n: int, offense: Mapping[str, Any]) -> None:
    node = _el(report, "j:Offense", s_id=f"Offense{n}")
    _text(node, "nibrs:OffenseUCRCode", _code(offense, "ucr_offense_code"))
    for activity in offense.get("criminal_activities") or ():
        _text(node, "nibrs:CriminalActivityCategoryCode", activity)
    for bias in offense.get("bias_motivations") or ():
        _text(node, "j:OffenseFactorBiasMotivationCode", _word("bias_motivation", bias))
    _text(node, "j:OffenseStructuresEnteredQuantity", offense.get("premises_entered"))
    for factor in offense.get("suspected_of_using") or ():
        _text(node, "j:OffenseFactor/j:OffenseFactorCode", factor)
    _text(node, "j:OffenseEntryPoint/j:PassagePointMethodCode", _code(offense, "method_of_entry"))
    for weapon in offense.get("weapons") or ():
        _text(node, "j:OffenseForce/j:ForceCategoryCode", _flagged(weapon))
    attempted = _code(offense, "attempted_completed")
    _text(node, "j:OffenseAttemptedIndicator", {"A": "true", "C": "false"}.get(str(attempted), attempted))


def _flagged(entry: Mapping[str, Any]) -> object:
    """A weapon or armed-with code with its automatic flag ``A`` (the source's text when there is no code)."""
    code, raw = entry.get("code"), entry.get("raw")
    if code is None:
        return raw
    written = f"{code}{'A' if entry.get('automatic') else ''}"
    # The source's spelling (1 for 01) when it reads back as the same code and flag.
    if raw is not None and re.fullmatch(r"[0-9]+A?", raw) and code.isdigit() and (
            int(raw.rstrip("A")) == int(code) and raw.endswith("A") == bool(entry.get("automatic"))):
        return raw
    return written


def _property(report: ET.Element, record: Mapping[str, Any]) -> None:
    """One property record as one element per description, grouped back by their common loss type on reading.

    Without drugs, each description is an ``nc:Item``. With drugs, every
    description is an ``nc:Substance``, and each drug is carried by a
    substance of description 10 (drugs/narcotics): the description's own
    element for the first drug, and one more element of description 10 per
    further drug (with no value of its own), or elements with no description
    when the record has no description 10.
    """
    status = _word("property_loss_type", _code(record, "loss_type"))
    drugs = list(record.get("drugs") or ())
    kind = "nc:Substance" if drugs else "nc:Item"
    counts = {"7": record.get("stolen_vehicle_count"), "5": record.get("recovered_vehicle_count")}
    vehicles = counts.get(str(record.get("loss_type")))
    vehicle_written = False
    elements: list[tuple[Mapping[str, Any] | None, Mapping[str, Any] | None, object]] = []
    pending = list(drugs)
    for item in record.get("descriptions") or ():
        described = _code(item, "description")
        quantity = None
        if vehicles is not None and not vehicle_written and described in VEHICLE_DESCRIPTIONS:
            quantity, vehicle_written = vehicles, True
        if described == _DRUGS and pending:
            elements.append((item, pending.pop(0), quantity))
            elements += [({"description": _DRUGS}, drug, None) for drug in pending]
            pending = []
        else:
            elements.append((item, None, quantity))
    elements += [(None, drug, None) for drug in pending]
    if not elements:
        elements.append((None, None, None))  # a loss type with nothing described (DE 14 "None"): its status alone
    for item, drug, quantity in elements:
        node = _el(report, kind)
        _text(node, "nc:ItemStatus/cjis:ItemStatusCode", status)
        if item is not None and (item.get("value") is not None or item.get("recovered_date") is not None):
            value = _el(node, "nc:ItemValue")
            _text(value, "nc:ItemValueAmount/nc:Amount", item.get("value"))
            _text(value, "nc:ItemValueDate/nc:Date", item.get("recovered_date"))
        if item is not None:
            _text(node, "j:ItemCategoryNIBRSPropertyCategoryCode", _code(item, "description"))
        _text(node, "nc:ItemQuantity", quantity)
        if drug is not None:
            _text(node, "j:DrugCategoryCode", _code(drug, "drug_type"))
            if drug.get("quantity") is not None or _code(drug, "measure") is not None:
                measure = _el(node, "nc:SubstanceQuantityMeasure")
                _text(measure, "nc:MeasureDecimalValue", _decimal(drug.get("quantity")))
                _text(measure, "j:SubstanceUnitCode", _code(drug, "measure"))


def _decimal(value: float | None) -> str | None:
    """A drug quantity as a decimal with at most three places (DE 21), no exponent."""
    if value is None:
        return None
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def _has_person(victim: Mapping[str, Any]) -> bool:
    keys = ("victim_age", "sex", "sex_raw", "race", "race_raw", "ethnicity", "ethnicity_raw", "resident_status",
            "resident_status_raw", "officer_activity", "officer_activity_raw", "officer_assignment",
            "officer_assignment_raw", "officer_other_ori")
    return any(victim.get(k) is not None for k in keys)


def _person(report: ET.Element, person_id: str, age: Mapping[str, Any] | None, who: Mapping[str, Any],
            resident: object) -> None:
    node = _el(report, "nc:Person", s_id=person_id)
    _age(node, age)
    _text(node, "j:PersonEthnicityCode", _code(who, "ethnicity"))
    _text(node, "j:PersonRaceNDExCode", _code(who, "race"))
    _text(node, "j:PersonResidentCode", resident)
    _text(node, "j:PersonSexCode", _code(who, "sex"))


def _age(person: ET.Element, age: Mapping[str, Any] | None) -> None:
    """DE 26/37/47: an exact age, a range, or a code (written as the source's text when it spelled the code)."""
    if age is None:
        return
    measure = _el(person, "nc:PersonAgeMeasure")
    low, high, code, raw = age.get("min_years"), age.get("max_years"), age.get("code"), age.get("raw")
    if code is not None:
        # The source's own spelling when it reads back as the same code (BABY stays BABY, BB stays BB).
        _text(measure, "nc:MeasureValueText", raw if _maps()["age_text"].get(raw or "") == code else _word("age_text", code))
    elif low is not None and (high is None or (low == high and "-" not in (raw or ""))):
        _text(measure, "nc:MeasureIntegerValue", low)
    elif low is not None:
        _text(measure, "nc:MeasureIntegerRange/nc:RangeMaximumIntegerValue", high)
        _text(measure, "nc:MeasureIntegerRange/nc:RangeMinimumIntegerValue", low)
    else:
        _text(measure, "nc:MeasureValueText", raw)


def _victim(report: ET.Element, victim: Mapping[str, Any]) -> None:
    seq = victim["victim_sequence_number"]
    node = _el(report, "j:Victim", s_id=f"Victim{seq}")
    if _has_person(victim):
        _el(node, "nc:RoleOfPerson", s_ref=f"PersonVictim{seq}")
    _text(node, "j:VictimSequenceNumberText", seq)
    for injury in victim.get("injuries") or ():
        _text(node, "j:VictimInjury/j:InjuryCategoryCode", injury)
    _text(node, "j:VictimCategoryCode", _code(victim, "victim_type"))
    for circumstance in victim.get("circumstances") or ():
        _text(node, "j:VictimAggravatedAssaultHomicideFactorCode", circumstance)
    _text(node, "j:VictimJustifiableHomicideFactorCode", _code(victim, "justifiable_homicide_circumstance"))


def _arrestees(report: ET.Element, arrests: Sequence[Mapping[str, Any]], found: Submission, *,
               associations: bool = True) -> None:
    """Persons, ``j:Arrestee`` and ``j:Arrest`` of each arrest (and their associations for a Group B report)."""
    for arrest in arrests:
        person = found.person(arrest)
        _person(report, f"PersonArrestee{arrest['arrestee_sequence_number']}", arrest.get("arrestee_age"), person,
                _code(arrest, "resident_status"))
    for arrest in arrests:
        seq = arrest["arrestee_sequence_number"]
        node = _el(report, "j:Arrestee", s_id=f"Arrestee{seq}")
        _el(node, "nc:RoleOfPerson", s_ref=f"PersonArrestee{seq}")
        _text(node, "j:ArrestSequenceID", seq)
        for armed in arrest.get("armed_with") or ():
            _text(node, "j:ArresteeArmedWithCode", _flagged(armed))
        _text(node, "j:ArresteeJuvenileDispositionCode", _code(arrest, "juvenile_disposition"))
        _text(node, "j:ArrestSubjectCountCode", _code(arrest, "multiple_arrestee_indicator"))
    for arrest in arrests:
        seq = arrest["arrestee_sequence_number"]
        node = _el(report, "j:Arrest", s_id=f"Arrest{seq}")
        _text(node, "nc:ActivityIdentification/nc:IdentificationID", arrest.get("arrest_transaction_number"))
        _text(node, "nc:ActivityDate/nc:Date", arrest.get("arrest_date"))
        _text(node, "j:ArrestCharge/nibrs:ChargeUCRCode", _code(arrest, "ucr_arrest_offense_code"))
        _text(node, "j:ArrestCategoryCode", _code(arrest, "arrest_type"))
    if associations:
        _arrest_associations(report, arrests)


def _arrest_associations(report: ET.Element, arrests: Sequence[Mapping[str, Any]]) -> None:
    for arrest in arrests:
        seq = arrest["arrestee_sequence_number"]
        link = _el(report, "j:ArrestSubjectAssociation")
        _el(link, "nc:Activity", s_ref=f"Arrest{seq}")
        _el(link, "j:Subject", s_ref=f"Arrestee{seq}")


def _associations(report: ET.Element, offenses: Sequence[Mapping[str, Any]], victims: Sequence[Mapping[str, Any]],
                  offenders: Sequence[Mapping[str, Any]], arrests: Sequence[Mapping[str, Any]]) -> None:
    _arrest_associations(report, arrests)
    for n in range(1, len(offenses) + 1):
        link = _el(report, "j:OffenseLocationAssociation")
        _el(link, "j:Offense", s_ref=f"Offense{n}")
        _el(link, "nc:Location", s_ref=f"Location{n}")
    first_of: dict[object, int] = {}
    for n, offense in enumerate(offenses, start=1):
        first_of.setdefault(offense.get("ucr_offense_code"), n)
    for victim in victims:
        for code in victim.get("offense_codes") or ():
            if code in first_of:  # a victim's offense that is not an offense of the incident has no element to point at
                link = _el(report, "j:OffenseVictimAssociation")
                _el(link, "j:Offense", s_ref=f"Offense{first_of[code]}")
                _el(link, "j:Victim", s_ref=f"Victim{victim['victim_sequence_number']}")
    subjects = {o["offender_sequence_number"] for o in offenders}
    for victim in victims:
        for relation in victim.get("relationships") or ():
            if relation["offender_sequence_number"] not in subjects:
                continue  # an offender that is not given has no j:Subject to point at
            link = _el(report, "j:SubjectVictimAssociation")
            _el(link, "j:Subject", s_ref=f"Subject{relation['offender_sequence_number']}")
            _el(link, "j:Victim", s_ref=f"Victim{victim['victim_sequence_number']}")
            _text(link, "nibrs:VictimToSubjectRelationshipCode",
                  _word("relationship", relation.get("relationship")) or relation.get("relationship_raw"))
