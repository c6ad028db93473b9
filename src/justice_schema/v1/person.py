"""The Person entity: who someone is, and the identifiers that link them across agencies."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from justice_schema.v1._base import (
    CanonicalModel,
    CanonicalRecord,
    NonEmptyModel,
    optional,
    sensitivity,
)
from justice_schema.v1._types import (
    CountryCode,
    Date,
    FbiNumber,
    PersonKey,
    PostalCode,
    ShortText,
    StateCode,
    Text,
)
from justice_schema.v1.codes import Ethnicity, GenderIdentity, IdentifierType, Race, Sex
from justice_schema.v1.common import RawText

__all__ = ["Person", "PersonName", "Identifier", "Address"]


class PersonName(CanonicalModel):
    """A name a person is known by (an alias, a maiden name, a misspelling on file)."""

    given_name: ShortText | None = optional("Given (first) name.", "personal")
    middle_name: ShortText | None = optional("Middle name or names.", "personal")
    family_name: ShortText | None = optional("Family (last) name.", "personal")
    name_suffix: ShortText | None = optional("Generational suffix such as JR, SR or III.", "personal")


class Identifier(CanonicalModel):
    """An identifier other than the first-class ones (state id, FBI number, driver's licence)."""

    type: IdentifierType = Field(description="What kind of identifier this is.", json_schema_extra=sensitivity("internal"))
    value: ShortText = Field(description="The identifier as issued.", json_schema_extra=sensitivity("personal"))
    issuer: ShortText | None = optional("Who issued it: an ORI, a state abbreviation or an agency name.", "internal")


class Address(NonEmptyModel):
    """A postal address. Only the parts the source gives are filled."""

    line1: Text | None = optional("Street address, first line.", "personal")
    line2: Text | None = optional("Street address, second line.", "personal")
    city: ShortText | None = optional("City or town.", "personal")
    state: StateCode | None = optional("State abbreviation (USPS).", "personal")
    postal_code: PostalCode | None = Field(
        default=None, description="Postal code (ZIP or ZIP+4 in the US).", json_schema_extra={"x-flat-name": "postal_code"} | sensitivity("personal")
    )
    country: CountryCode | None = optional("ISO 3166-1 alpha-2 country code.", "personal")


class Person(CanonicalRecord):
    """A human being as one source system knows them.

    One Person record per person per source record: identity matching
    (:mod:`justice_schema.identity`) later resolves the records that are the same
    human into one ``person_uid``. The state id, FBI number and driver's
    licence are first-class fields because they are what links people across
    agencies. NIEM: ``nc:Person`` with ``j:PersonAugmentation``.
    """

    ENTITY_TYPE = "person"

    entity_type: Literal["person"] = Field(default="person", description="Always 'person'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.0", "1.1", "1.2"] = Field(default="1.0", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    given_name: ShortText | None = optional("Given (first) name.", "personal")
    middle_name: ShortText | None = optional("Middle name or names.", "personal")
    family_name: ShortText | None = optional("Family (last) name.", "personal")
    name_suffix: ShortText | None = optional("Generational suffix such as JR, SR or III.", "personal")
    aliases: tuple[PersonName, ...] = Field(default=(), description="Other names the person is known by.", json_schema_extra=sensitivity("personal"))
    date_of_birth: Date | None = optional("Date of birth.", "personal")
    sex: Sex | None = optional("Sex (NIBRS DE 27/38/48 code).", "personal")
    sex_raw: RawText | None = optional("Sex exactly as the source wrote it.", "personal")
    race: Race | None = optional("Race (NIBRS DE 28/39/49 code).", "personal")
    race_raw: RawText | None = optional("Race exactly as the source wrote it.", "personal")
    ethnicity: Ethnicity | None = optional("Ethnicity (NIBRS DE 29/39A/50 code).", "personal")
    ethnicity_raw: RawText | None = optional("Ethnicity exactly as the source wrote it.", "personal")
    state_id: PersonKey | None = optional(
        "State identification number (SID), from the state's fingerprint-based repository.", "personal",
    )
    fbi_number: FbiNumber | None = optional("FBI number (Universal Control Number).", "personal")
    drivers_license_number: PersonKey | None = optional("Driver's licence number.", "personal")
    drivers_license_state: StateCode | None = optional("State that issued the driver's licence.", "personal")
    other_identifiers: tuple[Identifier, ...] = Field(
        default=(), description="Further identifiers: DOC number, local person id, SSN...",
        json_schema_extra=sensitivity("personal"),
    )
    address: Address | None = optional("Last known residence address.", "personal")
    # --- added in schema 1.1 ---
    gender_identity: GenderIdentity | None = optional(
        "Gender identity as the person states it; kept apart from sex, which stays the NIBRS code "
        "(jails need both for housing and search decisions under the PREA standards).",
        "sensitive", added="1.1",
    )
    gender_identity_raw: RawText | None = optional("Gender identity as the source wrote it.", "sensitive", added="1.1")
