"""Schema major version 1: the canonical entity models.

Pin the major version with one import::

    from justice_schema.v1 import Arrest, Person

Every model is a frozen pydantic model; build one from Python values or JSON::

    >>> from justice_schema.v1 import Person
    >>> p = Person.model_validate({
    ...     "id": "p-1",
    ...     "source": {"agency_ori": "UT0180000", "system": "demo", "record_key": "1",
    ...                "extracted_at": "2024-05-01T12:00:00Z"},
    ...     "family_name": "DOE", "sex": "F"})
    >>> p.sex
    <Sex.FEMALE: 'F'>

Minor versions of schema 1 (``SCHEMA_VERSIONS``) share these classes: a field
added in a later minor version is marked with its version, is absent from the
older published JSON Schema, and is refused on a record declaring the older
version. An entity added in a later minor version (``SINCE``) exists only from
that version: :func:`entities_in` lists the entities of each version.

Every field of every model declares a :class:`Sensitivity` class
(:func:`field_sensitivity`), for tiered publication.
"""

from __future__ import annotations

from justice_schema.v1 import codes
from justice_schema.v1._base import (
    SENSITIVITY_SINCE,
    CanonicalModel,
    CanonicalRecord,
    NonEmptyModel,
    Sensitivity,
    Source,
    field_sensitivity,
    field_since,
    nested_model,
    sensitivity,
    since,
    version_key,
)
from justice_schema.v1._base import V1_VERSIONS as SCHEMA_VERSIONS
from justice_schema.v1.arrest import Arrest
from justice_schema.v1.booking import Booking
from justice_schema.v1.charge import Charge
from justice_schema.v1.common import TRACKING_NUMBERS, Age, ArmedWithEntry, Location, WeaponForceEntry
from justice_schema.v1.court_case import CourtCase
from justice_schema.v1.custody import CustodyPeriod
from justice_schema.v1.disposition import Disposition, Sentence
from justice_schema.v1.incident import Incident, Offense
from justice_schema.v1.offender import Offender
from justice_schema.v1.organizations import Agency, Court, Facility
from justice_schema.v1.person import Address, Identifier, Person, PersonName
from justice_schema.v1.property import DrugSeizure, Property, PropertyItem
from justice_schema.v1.prosecution import ProsecutionDecision
from justice_schema.v1.supervision import Supervision, SupervisionViolation
from justice_schema.v1.victim import Victim, VictimRelationship

#: Every entity model of schema 1, keyed by ``entity_type``: the seven of schema 1.0 in
#: dependency order, then those added later, in the order they were added.
ENTITIES: dict[str, type[CanonicalRecord]] = {
    model.ENTITY_TYPE: model
    for model in (
        Person, Incident, Arrest, Charge, Disposition, Booking, Supervision,
        # added in schema 1.2
        Victim, Offender, Property, CourtCase, ProsecutionDecision, CustodyPeriod, Agency, Court, Facility,
    )
}


def entities_in(schema_version: str) -> dict[str, type[CanonicalRecord]]:
    """The entity models that exist in ``schema_version`` (an entity added later is left out)."""
    return {
        name: model for name, model in ENTITIES.items() if version_key(model.SINCE) <= version_key(schema_version)
    }

__all__ = [
    # the schema's versions and entities
    "SCHEMA_VERSIONS", "ENTITIES", "entities_in", "codes", "version_key",
    # base classes, version marks and sensitivity classes (_base)
    "CanonicalModel", "CanonicalRecord", "NonEmptyModel", "nested_model", "Source",
    "since", "field_since", "Sensitivity", "sensitivity", "field_sensitivity", "SENSITIVITY_SINCE",
    # shared values (common)
    "TRACKING_NUMBERS", "Age", "ArmedWithEntry", "WeaponForceEntry", "Location",
    # the entities of schema 1.0 and their nested values
    "Person", "PersonName", "Identifier", "Address", "Incident", "Offense", "Arrest", "Charge",
    "Disposition", "Sentence", "Booking", "Supervision", "SupervisionViolation",
    # added in schema 1.2
    "Victim", "VictimRelationship", "Offender", "Property", "PropertyItem", "DrugSeizure", "CourtCase",
    "ProsecutionDecision", "CustodyPeriod", "Agency", "Court", "Facility",
]
