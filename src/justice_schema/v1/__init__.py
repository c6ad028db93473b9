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
version.
"""

from __future__ import annotations

from justice_schema.v1 import codes
from justice_schema.v1._base import V1_VERSIONS as SCHEMA_VERSIONS
from justice_schema.v1._base import (
    CanonicalModel,
    CanonicalRecord,
    NonEmptyModel,
    Source,
    field_since,
    nested_model,
    since,
    version_key,
)
from justice_schema.v1.arrest import Arrest
from justice_schema.v1.booking import Booking
from justice_schema.v1.charge import Charge
from justice_schema.v1.common import Age, ArmedWithEntry, WeaponForceEntry
from justice_schema.v1.disposition import Disposition, Sentence
from justice_schema.v1.incident import Incident, Offense
from justice_schema.v1.person import Address, Identifier, Person, PersonName
from justice_schema.v1.supervision import Supervision, SupervisionViolation

#: The entity models of schema 1, keyed by ``entity_type``, in dependency order.
ENTITIES: dict[str, type[CanonicalRecord]] = {
    model.ENTITY_TYPE: model
    for model in (Person, Incident, Arrest, Charge, Disposition, Booking, Supervision)
}

__all__ = [
    "SCHEMA_VERSIONS",
    "ENTITIES",
    "codes",
    "CanonicalModel",
    "CanonicalRecord",
    "Source",
    "since",
    "field_since",
    "NonEmptyModel",
    "nested_model",
    "version_key",
    "Person",
    "PersonName",
    "Identifier",
    "Address",
    "Incident",
    "Offense",
    "Arrest",
    "Age",
    "ArmedWithEntry",
    "WeaponForceEntry",
    "Charge",
    "Disposition",
    "Sentence",
    "Booking",
    "Supervision",
    "SupervisionViolation",
]
