"""The rule catalogue: every validation rule as data, with a stable code.

Codes are ``JS-`` + an entity letter + two digits, and are never reused:

=======  =====================================================================
letter   entity
=======  =====================================================================
``P``    person
``I``    incident (and its offenses)
``A``    arrest
``C``    charge
``D``    disposition (and its sentence)
``B``    booking
``S``    supervision (and its violations)
``V``    victim (schema 1.2)
``O``    offender (schema 1.2)
``R``    property (schema 1.2)
``K``    court case (schema 1.2)
``E``    prosecution decision (schema 1.2)
``U``    custody period (schema 1.2)
``G``    agency (schema 1.2)
``T``    court (schema 1.2)
``F``    facility (schema 1.2)
``X``    a batch of records or tables: duplicates, references, chronology, unreadable rows
=======  =====================================================================

Within an entity the two digits follow the FBI NIBRS pattern where one exists
(``01`` mandatory field missing, ``04`` not on the code table, ``05`` invalid
date ...): ``01``–``19`` are field-level rules derived from the schema, ``20``–``39``
cross-field errors, ``40``–``49`` date plausibility, ``50``–``79`` quality warnings.

>>> from justice_schema.validation import rule
>>> rule("JS-I20").nibrs_edits
('155',)
"""

from __future__ import annotations

from datetime import date
from functools import cache

import attrs
import pyarrow as pa

from justice_schema.codes import code_table, release_date
from justice_schema.registry import CURRENT_SCHEMA_VERSION, entity_types
from justice_schema.v1 import codes as code_enums
from justice_schema.v1 import version_key
from justice_schema.validation.constraints import FieldSpec, field_specs, is_free_text
from justice_schema.validation.crossentity import BATCH_RULES
from justice_schema.validation.expr import And, AsOf, DateOf, Expr, F, Ge, Gt, In, Lit, Lt
from justice_schema.validation.record_rules import RECORD_RULES
from justice_schema.validation.rule_types import ERROR, WARNING, Check, Rule

__all__ = [
    "FieldKind",
    "FIELD_KINDS",
    "ENTITY_LETTER",
    "field_rule_code",
    "RULES",  # noqa: F822 - served lazily by the module __getattr__ below
    "rule",
    "rules_for",
    "EARLIEST_PLAUSIBLE_DATE",
]

#: The letter of each entity's rule codes.
ENTITY_LETTER: dict[str, str] = {
    "person": "P", "incident": "I", "arrest": "A", "charge": "C",
    "disposition": "D", "booking": "B", "supervision": "S",
    "victim": "V", "offender": "O", "property": "R", "court_case": "K", "prosecution_decision": "E",
    "custody_period": "U", "agency": "G", "court": "T", "facility": "F",
}
#: NIBRS segment digits whose edit numbers mirror an entity's field rules.
_NIBRS_SEGMENTS: dict[str, tuple[str, ...]] = {"incident": ("1", "2"), "arrest": ("6", "7"), "property": ("3",),
                                               "victim": ("4",), "offender": ("5",)}
#: The generic numbers the FBI defines for the property, victim and offender segments (x01 mandatory,
#: x02 not numeric, x04 not a valid code, 305 date recovered): their x17 numbers are about the incident
#: number, which these records do not carry, and there is no 405 or 505.
_NIBRS_SUFFIXES: dict[str, frozenset[str]] = {"property": frozenset({"01", "02", "04", "05"}),
                                             "victim": frozenset({"01", "02", "04"}),
                                             "offender": frozenset({"01", "02", "04"})}

#: No date in the canonical records may be earlier than this.
EARLIEST_PLAUSIBLE_DATE = date(1900, 1, 1)
#: Dates that look forward by definition (a projected release, a scheduled end of supervision): the
#: "in the future" rule does not apply to them (a sentence ending in 2027 is not a typing error).
FORWARD_DATES: frozenset[tuple[str, str]] = frozenset({
    ("custody_period", "projected_release_date"), ("supervision", "expected_end_date"),
})


@attrs.frozen(slots=True)
class FieldKind:
    """A family of field-level rules, one per entity (the NIBRS ``x01``, ``x04``... pattern)."""

    number: str
    name: str
    message: str
    rationale: str
    nibrs_suffix: str | None
    example: str


FIELD_KINDS: dict[str, FieldKind] = {
    kind.name: kind
    for kind in (
        FieldKind("01", "missing", "a required value is missing",
                  "The schema requires this field; a record without it cannot be loaded or linked.",
                  "01", "an arrest with no arrest_date"),
        FieldKind("02", "type", "the value is not of the field's type",
                  "Numbers must be numbers, flags true/false, text text: a value of the wrong type "
                  "usually means shifted columns or a wrong export setting.",
                  "02", "arrestee_sequence_number = 'one' (text in a number field)"),
        FieldKind("03", "length", "the text is empty or longer than the field allows",
                  "Empty text is written as a missing value; over-long text is usually two fields run together.",
                  None, "source.system = '' (empty text)"),
        FieldKind("04", "code", "the value is not on the field's code table",
                  "Only codes of the published code table can be counted and mapped to NIBRS.",
                  "04", "arrest_type = 'X' (not O, S or T)"),
        FieldKind("05", "date", "the value is not a valid date",
                  "Dates are YYYY-MM-DD calendar dates; instants carry a time zone.",
                  "05", "arrest_date = '2020-02-30' or '02/30/2020'"),
        FieldKind("07", "pattern", "the value is not in the required form",
                  "Identifiers and ORIs have a fixed form so that records link across agencies.",
                  "17", "source.agency_ori = 'UT-18' (an ORI is 9 letters and digits)"),
        FieldKind("08", "range", "the number is outside the allowed range",
                  "Out-of-range numbers are typing or unit mistakes (months entered as days, ages over 120).",
                  None, "arrestee_age.min_years = 150"),
        FieldKind("09", "items", "the list has too few or too many values",
                  "The standard limits how many values a repeated field holds (NIBRS allows two 'armed with').",
                  None, "armed_with with three entries"),
        FieldKind("10", "empty", "the nested value has no parts; leave it out instead",
                  "An empty nested value (an age or address with nothing in it) carries no information "
                  "and must be written as missing, so that 'not provided' has one spelling.",
                  None, "arrestee_age = {} (no years and no code)"),
        FieldKind("11", "declaration", "entity_type or schema_version does not match the entity and version "
                  "validated, or a field is newer than the record's schema_version",
                  "A record is read under the entity and schema version it declares; a mismatch means "
                  "the wrong file or a wrong export setting.",
                  None, "schema_version = '0.9' in a 1.0 file"),
        FieldKind("12", "unknown_field", "the record has a field the schema does not define",
                  "Unknown fields are refused so that a misspelt field never vanishes silently.",
                  None, "a JSON key 'arest_date' (misspelt)"),
        FieldKind("13", "control", "the text holds a control character (NUL, or another C0 character "
                  "other than tab and line breaks)",
                  "A NUL or other control byte in a name or free text is a corrupt export or an encoding "
                  "mistake: it truncates the value in C programs and databases, breaks matching, and is "
                  "invisible when printed. (A rule, not a schema pattern, so the published schemas stay frozen.)",
                  None, "family_name = 'SMITH\\x00' (a NUL byte at the end)"),
    )
}


def field_rule_code(entity_type: str, kind: str) -> str:
    """The code of a field-level rule, e.g. ``field_rule_code("arrest", "code") == "JS-A04"``."""
    return f"JS-{ENTITY_LETTER[entity_type]}{FIELD_KINDS[kind].number}"


def _applies(kind: str, spec: FieldSpec) -> bool:
    if kind == "missing":
        return spec.required
    if kind == "type":
        return spec.kind == "scalar"
    if kind == "length":
        return spec.min_length is not None or spec.max_length is not None
    if kind == "code":
        return spec.codes is not None
    if kind == "date":
        return spec.is_date
    if kind == "pattern":
        return spec.pattern is not None
    if kind == "range":
        return spec.ge is not None or spec.le is not None
    if kind == "items":
        return spec.min_items is not None or spec.max_items is not None
    if kind == "empty":
        return spec.non_empty
    if kind == "declaration":
        return spec.literal is not None
    if kind == "control":
        return is_free_text(spec)
    return kind == "unknown_field" and len(spec.steps) == 1


def _field_rules(entity_type: str, version: str) -> list[Rule]:
    specs = field_specs(entity_type, version)
    rules = []
    for kind in FIELD_KINDS.values():
        fields = tuple(dict.fromkeys(s.field for s in specs if _applies(kind.name, s)))
        if kind.name == "unknown_field":
            fields = ("*",)
        if not fields:
            continue
        suffix = kind.nibrs_suffix
        allowed = _NIBRS_SUFFIXES.get(entity_type)
        if suffix and allowed is not None and suffix not in allowed:
            suffix = None
        edits = tuple(f"{seg}{suffix}" for seg in _NIBRS_SEGMENTS.get(entity_type, ())) if suffix else ()
        chosen = [s for s in specs if _applies(kind.name, s)]
        rules.append(Rule(
            code=field_rule_code(entity_type, kind.name), severity=ERROR, entity=entity_type, level="field",
            fields=fields, message=kind.message, rationale=kind.rationale,
            example=_field_example(kind.name, entity_type, chosen) or kind.example,
            nibrs_edits=edits, kind=kind.name,
        ))
    return rules


def _field_example(kind: str, entity_type: str, specs: list[FieldSpec]) -> str | None:
    """A concrete example of breaking a field rule of ``entity_type``, from its own fields."""
    own = [s for s in specs if s.steps[0] not in ("source", "id", "entity_type", "schema_version")] or specs
    if not own:
        return None
    spec = own[0]
    if kind == "missing":
        return f"{entity_type} record with no {spec.field}"
    if kind == "type":
        numbers = [s for s in own if pa.types.is_integer(s.arrow_type)]
        if numbers:
            return f"{numbers[0].field} = 'twelve' (text in a number field)"
        return f"{spec.field} = 12345 in JSON (a number in a text field)"
    if kind == "length":
        short = [s for s in own if s.min_length]
        if short:
            return f"{short[0].field} = '' (empty text; leave the field out instead)"
        longest = spec.max_length or 0  # a length rule applies, so a maximum is set when no minimum is
        return f"{spec.field} with {longest + 1} characters (at most {spec.max_length})"
    if kind == "code":
        return f"{spec.field} = 'ZZ' (not on its code table)"
    if kind == "date":
        return f"{spec.field} = '2020-02-30', '2020-13-01' or '02/30/2020'"
    if kind == "pattern":
        return f"{spec.field} = ' X-1' (starts with a space)"
    if kind == "range":
        return f"{spec.field} = {int(spec.le) + 1 if spec.le is not None else -1}"
    if kind == "items":
        if spec.max_items is not None:
            return f"{spec.field} with {spec.max_items + 1} values (at most {spec.max_items})"
        return f"{spec.field} with no values (at least {spec.min_items})"
    if kind == "empty":
        return f"{spec.field} = {{}} (nothing in it)"
    if kind == "declaration":
        return "schema_version = '0.9' or entity_type = 'warrant'"
    if kind == "control":
        return f"{spec.field} = 'A\\x00B' (a NUL byte inside)"
    return None


def _scope_of(spec: FieldSpec) -> tuple[tuple[str, ...], str]:
    """(list scope, field path relative to the innermost element) of a spec."""
    scope: list[str] = []
    current: list[str] = []
    for step in spec.steps:
        if step == "[]":
            scope.append(".".join(current))
            current = []
        else:
            current.append(step)
    return tuple(scope), ".".join(current) or "."


def _date_rules(entity_type: str, version: str) -> list[Rule]:
    letter = ENTITY_LETTER[entity_type]
    future: list[Check] = []
    ancient: list[Check] = []
    for spec in field_specs(entity_type, version):
        if not spec.is_date or spec.kind != "scalar":
            continue
        scope, local = _scope_of(spec)
        value = F(local)
        day: Expr = DateOf(value) if pa.types.is_timestamp(spec.arrow_type) else value
        if (entity_type, spec.field) not in FORWARD_DATES:
            future.append(Check(Gt(day, AsOf()), spec.field, scope, value))
        ancient.append(Check(Lt(day, Lit(EARLIEST_PLAUSIBLE_DATE)), spec.field, scope, value))
    if not ancient:
        return []
    return [
        Rule(f"JS-{letter}40", ERROR, entity_type, "record", tuple(c.field for c in future),
             "the date is in the future",
             "A date after the day of validation is a typing error (a wrong year) or a wrong date format "
             "read month-first; it would also put the record in the wrong reporting period (cf. NIBRS 170).",
             "a date of 2031-01-05 validated on 2026-11-21", ("170",) if entity_type == "incident" else (),
             checks=tuple(future)),
        Rule(f"JS-{letter}41", ERROR, entity_type, "record", tuple(c.field for c in ancient),
             f"the date is implausibly far in the past (before {EARLIEST_PLAUSIBLE_DATE.isoformat()})",
             "Dates before 1900 are placeholders (1800-01-01, 0001-01-01) or typing errors; "
             "they corrupt ages and time-to-disposition figures (cf. NIBRS 172).",
             "date_of_birth = 1800-01-01", ("172",) if entity_type == "incident" else (),
             checks=tuple(ancient)),
    ]


def _unknown_code_rule(entity_type: str, version: str) -> list[Rule]:
    checks = []
    for spec in field_specs(entity_type, version):
        if spec.kind != "scalar" or not spec.unknown_codes:
            continue
        scope, local = _scope_of(spec)
        checks.append(Check(In(F(local), frozenset(spec.unknown_codes)), spec.field, scope, F(local)))
    if not checks:
        return []
    return [Rule(
        f"JS-{ENTITY_LETTER[entity_type]}50", WARNING, entity_type, "record", tuple(c.field for c in checks),
        "the value is coded as unknown",
        "An 'unknown' code where the standard has real values leaves the record out of every count by "
        "that field (race, sex, offense outcome); ask the agency whether its system holds the real value.",
        "sex = 'U'", checks=tuple(checks),
    )]


#: The date that places each record in time, for rules that depend on when it happened: the code
#: tables say which codes were current at a date. Victim, offender and property records carry no
#: date of their own (their incident does).
RECORD_DATE: dict[str, str] = {
    "incident": "incident_date", "arrest": "arrest_date", "charge": "offense_date",
    "disposition": "disposition_date", "booking": "booked_at", "supervision": "start_date",
    "court_case": "filing_date", "prosecution_decision": "decision_date", "custody_period": "admission_date",
}
#: The first schema version whose rule catalogue has the retired-code warning (``x55``); the catalogues
#: of older versions are left as they were published.
RETIRED_CODE_RULE_SINCE = "1.2"


def _retired_code_rule(entity_type: str, version: str) -> list[Rule]:
    """``x55``: a code its table marks retired (or not yet introduced) at the record's date."""
    date_field = RECORD_DATE.get(entity_type)
    if date_field is None or version_key(version) < version_key(RETIRED_CODE_RULE_SINCE):
        return []
    specs = {s.field: s for s in field_specs(entity_type, version)}
    date_spec = specs[date_field]
    checks = []
    for spec in field_specs(entity_type, version):
        if spec.kind != "scalar" or spec.codes is None or spec.code_list is None:
            continue
        table = code_table(getattr(code_enums, spec.code_list).__code_table__)
        scope, local = _scope_of(spec)
        path = f"^{date_field}" if scope else date_field
        day: Expr = DateOf(F(path)) if pa.types.is_timestamp(date_spec.arrow_type) else F(path)
        # one check per (direction, release): retired codes from the release date on, new codes before it
        groups: dict[tuple[str, str], set[str]] = {}
        for entry in table.effective_dated():
            if entry.retired is not None:
                groups.setdefault(("retired", entry.retired), set()).add(entry.code)
            if entry.introduced is not None:
                groups.setdefault(("introduced", entry.introduced), set()).add(entry.code)
        for (direction, release), codes in sorted(groups.items()):
            when = Lit(release_date(table.standard, release))
            timing = Ge(day, when) if direction == "retired" else Lt(day, when)
            checks.append(Check(And(In(F(local), frozenset(codes)), timing), spec.field, scope, F(local)))
    if not checks:
        return []
    return [Rule(
        f"JS-{ENTITY_LETTER[entity_type]}55", WARNING, entity_type, "record", tuple(dict.fromkeys(c.field for c in checks)),
        f"the code was not current on the record's date ({date_field}): retired, or not yet introduced, by then",
        "Code tables change between releases of the standard (the FBI dropped Group B offense 90I Runaway "
        "in NIBRS 2019.1); a retired code on a newer record is usually an outdated code table in the "
        "agency's system, and the FBI would reject the record.",
        f"ucr offense code '90I' with {date_field} 2020-05-01", checks=tuple(checks),
    )]


@cache
def _catalogue(version: str) -> tuple[Rule, ...]:
    out: list[Rule] = []
    for entity_type in entity_types(version):
        out.extend(_field_rules(entity_type, version))
        out.extend(r for r in RECORD_RULES if r.entity == entity_type)
        out.extend(_date_rules(entity_type, version))
        out.extend(_unknown_code_rule(entity_type, version))
        out.extend(_retired_code_rule(entity_type, version))
    out.extend(BATCH_RULES)
    out.sort(key=lambda r: r.code)
    codes = [r.code for r in out]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise AssertionError(f"rule codes used twice: {sorted(duplicates)}")
    return tuple(out)


def rules_for(entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION, *, level: str | None = None) -> tuple[Rule, ...]:
    """The rules that apply to records of ``entity_type`` (optionally of one level)."""
    return tuple(r for r in _catalogue(schema_version)
                 if r.entity == entity_type and (level is None or r.level == level))


@cache
def _by_code(version: str) -> dict[str, Rule]:
    return {r.code: r for r in _catalogue(version)}


def rule(code: str, schema_version: str = CURRENT_SCHEMA_VERSION) -> Rule:
    """The rule with ``code``; raises :class:`KeyError` naming the code when there is none."""
    try:
        return _by_code(schema_version)[code]
    except KeyError:
        raise KeyError(f"no validation rule {code!r}") from None


def all_rules(schema_version: str = CURRENT_SCHEMA_VERSION) -> tuple[Rule, ...]:
    """Every rule of the catalogue for ``schema_version``, sorted by code."""
    return _catalogue(schema_version)


def __getattr__(name: str) -> object:
    if name == "RULES":
        return _catalogue(CURRENT_SCHEMA_VERSION)
    raise AttributeError(name)
