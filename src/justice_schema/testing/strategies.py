"""Hypothesis strategies that generate valid canonical records of every entity.

Vendors import these in their own test suites::

    from hypothesis import given
    from justice_schema.testing import records

    @given(records("arrest"))
    def test_my_exporter_accepts_any_arrest(arrest):
        assert my_exporter.write(arrest)

The strategies are derived from the models (types, code lists, patterns,
ranges), so every field a schema version adds is generated without changes
here; realistic values are substituted for names, dates and identifiers.
Records are valid against the schema (field level). They are not promised to
be consistent across fields or entities (an arrest may predate its incident):
that is what the validation rules look for.
"""

from __future__ import annotations

import types
import typing
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from justice_schema._toolkit.annotations import constraint_limits
from justice_schema.registry import CURRENT_SCHEMA_VERSION, model_for
from justice_schema.v1 import CanonicalRecord, NonEmptyModel, field_since, version_key

__all__ = [
    "records",
    "record_dicts",
    "persons",
    "incidents",
    "arrests",
    "charges",
    "dispositions",
    "bookings",
    "supervisions",
    "victims",
    "offenders",
    "properties",
    "court_cases",
    "prosecution_decisions",
    "custody_periods",
    "agencies",
    "courts",
    "facilities",
    "strategy_for_model",
]

GIVEN_NAMES = ["JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA",
               "WILLIAM", "ELIZABETH", "DAVID", "BARBARA", "JOSÉ", "MARÍA", "WEI", "AYESHA", "O'NEIL"]
FAMILY_NAMES = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS",
                "RODRIGUEZ", "MARTINEZ", "NGUYEN", "O'BRIEN", "SMITH-JONES", "DE LA CRUZ", "BEGAY"]
SUFFIXES = ["JR", "SR", "II", "III", "IV"]
STATES = ["UT", "MA", "MT", "CA", "TX", "NY", "HI", "VT", "OK", "WA"]

#: Strategies used for a field by its name wherever it appears, instead of the generic one.
_BY_NAME: dict[str, st.SearchStrategy[Any]] = {
    "given_name": st.sampled_from(GIVEN_NAMES),
    "middle_name": st.sampled_from(GIVEN_NAMES + ["A", "LEE", "MARIE"]),
    "family_name": st.sampled_from(FAMILY_NAMES),
    "name_suffix": st.sampled_from(SUFFIXES),
    "agency_ori": st.builds(lambda s, n: f"{s}{n:07d}", st.sampled_from(STATES), st.integers(0, 9_999_999)),
    "facility_ori": st.builds(lambda s, n: f"{s}{n:06d}C", st.sampled_from(STATES), st.integers(0, 999_999)),
    "state": st.sampled_from(STATES),
    "drivers_license_state": st.sampled_from(STATES),
    "statute_jurisdiction": st.sampled_from(STATES + ["US"]),
    "country": st.sampled_from(["US", "GB", "MX", "CA"]),
    "system": st.sampled_from(["acme-rms", "nibrs-flatfile", "county-jms", "state-courts", "doc-supervision"]),
    "id": st.from_regex(r"\A[a-z]{1,4}-[0-9a-f]{4,16}\Z"),
    "state_id": st.from_regex(r"\A[A-Z]{0,2}[0-9]{6,9}\Z"),
    "fbi_number": st.from_regex(r"\A[0-9]{6,8}[A-Z]{1}\Z"),
    "postal_code": st.from_regex(r"\A[0-9]{5}(-[0-9]{4})?\Z"),
    "officer_other_ori": st.builds(lambda s, n: f"{s}{n:07d}", st.sampled_from(STATES), st.integers(0, 9_999_999)),
    "ori": st.builds(lambda s, n: f"{s}{n:07d}", st.sampled_from(STATES), st.integers(0, 9_999_999)),
    "county_fips": st.sampled_from(["49035", "49049", "25025", "30063", "06037", "48201", "15003"]),
    "city": st.sampled_from(["SALT LAKE CITY", "BOSTON", "MISSOULA", "LOS ANGELES", "HOUSTON", "HONOLULU"]),
    "latitude": st.floats(18.0, 71.0, allow_nan=False).map(lambda x: round(x, 5)),
    "longitude": st.floats(-170.0, -66.0, allow_nan=False).map(lambda x: round(x, 5)),
}
_BY_NAME["person_id"] = _BY_NAME["id"]
for _ref in ("incident_id", "arrest_id", "booking_id", "charge_id", "disposition_id", "court_id", "facility_id",
             "agency_id", "parent_id"):
    _BY_NAME[_ref] = _BY_NAME["id"]

_DATES = st.dates(min_value=date(1940, 1, 1), max_value=date(2025, 12, 31))
_INSTANTS = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2025, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"), exclude_characters="\n\r\x00"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s != "")


def _from_annotation(annotation: Any, metadata: list[Any], version: str, name: str) -> st.SearchStrategy[Any]:
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        for item in extra:
            if isinstance(item, FieldInfo):
                metadata = metadata + list(item.metadata) + [item]
            else:
                metadata = metadata + [item]
        return _from_annotation(inner, metadata, version, name)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner = _from_annotation(options[0], metadata, version, name)
        return st.none() | inner if type(None) in typing.get_args(annotation) else inner
    if origin is typing.Literal:
        return st.sampled_from(typing.get_args(annotation))
    limits = constraint_limits(metadata)
    if origin in (tuple, list):
        (item,) = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return st.lists(
            _from_annotation(item, [], version, name),
            min_size=limits.get("min_length", 0),
            max_size=min(limits.get("max_length", 3), 3),
        ).map(tuple)
    if name in _BY_NAME and not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return _BY_NAME[name]
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return strategy_for_model(annotation, version)
        if issubclass(annotation, Enum):
            return st.sampled_from(list(annotation))
        if issubclass(annotation, bool):
            return st.booleans()
        if issubclass(annotation, int):
            return st.integers(limits.get("ge", 0), min(limits.get("le", 10_000), 10_000))
        if issubclass(annotation, float):
            return st.floats(limits.get("ge", 0.0), min(limits.get("le", 1e7), 1e7), allow_nan=False).map(
                lambda x: round(x, 2)
            )
        if issubclass(annotation, datetime):
            return _INSTANTS
        if issubclass(annotation, date):
            return _DATES
        if issubclass(annotation, str):
            pattern = limits.get("pattern")
            if pattern and pattern != r"^\S(.*\S)?$":
                core = pattern.removeprefix("^").removesuffix("$")
                return st.from_regex(rf"\A{core}\Z").filter(lambda s: len(s) <= limits.get("max_length", 10**6))
            if name.endswith("_raw") or name == "raw":
                return st.sampled_from(["Male", "W", "unk", "On-View", "F3", "2Y6M", "00/00/0000", "Taken into custody"])
            return _TEXT.filter(lambda s: len(s) <= limits.get("max_length", 500))
    raise TypeError(f"no strategy for {annotation!r}")


def _fields_of(model: type[BaseModel], version: str) -> dict[str, FieldInfo]:
    return {n: i for n, i in model.model_fields.items() if version_key(field_since(model, n)) <= version_key(version)}


def strategy_for_model(model: type[BaseModel], schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[Any]:
    """A strategy of valid instances of any canonical model or nested value."""
    fields = _fields_of(model, schema_version)
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in fields.items():
        if name == "schema_version":
            parts[name] = st.just(schema_version)
            continue
        strategy = _from_annotation(info.annotation, list(info.metadata), schema_version, name)
        if not info.is_required():
            strategy = st.one_of(st.just(info.get_default(call_default_factory=True)), strategy)
        parts[name] = strategy
    values = st.fixed_dictionaries(parts)
    if issubclass(model, NonEmptyModel):
        values = values.filter(lambda v: any(x is not None for x in v.values()))
    return values.map(model.model_validate)


def records(entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """A strategy of valid records of ``entity_type`` declaring ``schema_version``."""
    return strategy_for_model(model_for(entity_type, schema_version), schema_version)


def record_dicts(entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[dict[str, Any]]:
    """Valid records as JSON-compatible dicts (what ``json.loads`` of a record gives)."""
    return records(entity_type, schema_version).map(lambda r: r.model_dump(mode="json"))


def persons(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Person` records."""
    return records("person", schema_version)


def incidents(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Incident` records."""
    return records("incident", schema_version)


def arrests(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Arrest` records."""
    return records("arrest", schema_version)


def charges(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Charge` records."""
    return records("charge", schema_version)


def dispositions(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Disposition` records."""
    return records("disposition", schema_version)


def bookings(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Booking` records."""
    return records("booking", schema_version)


def supervisions(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Supervision` records."""
    return records("supervision", schema_version)


def victims(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Victim` records (schema 1.2 and later)."""
    return records("victim", schema_version)


def offenders(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Offender` records (schema 1.2 and later)."""
    return records("offender", schema_version)


def properties(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Property` records (schema 1.2 and later)."""
    return records("property", schema_version)


def court_cases(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.CourtCase` records (schema 1.2 and later)."""
    return records("court_case", schema_version)


def prosecution_decisions(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.ProsecutionDecision` records (schema 1.2 and later)."""
    return records("prosecution_decision", schema_version)


def custody_periods(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.CustodyPeriod` records (schema 1.2 and later)."""
    return records("custody_period", schema_version)


def agencies(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Agency` records (schema 1.2 and later)."""
    return records("agency", schema_version)


def courts(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Court` records (schema 1.2 and later)."""
    return records("court", schema_version)


def facilities(schema_version: str = CURRENT_SCHEMA_VERSION) -> st.SearchStrategy[CanonicalRecord]:
    """Valid :class:`~justice_schema.v1.Facility` records (schema 1.2 and later)."""
    return records("facility", schema_version)
