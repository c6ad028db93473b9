"""The Person entity: who someone is, and the identifiers that link them across agencies."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalModel, CanonicalRecord, NonEmptyModel, sensitivity, since
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

    given_name: ShortText | None = Field(default=None, description="Given (first) name.", json_schema_extra=sensitivity("personal"))
    middle_name: ShortText | None = Field(default=None, description="Middle name or names.", json_schema_extra=sensitivity("personal"))
    family_name: ShortText | None = Field(default=None, description="Family (last) name.", json_schema_extra=sensitivity("personal"))
    name_suffix: ShortText | None = Field(default=None, description="Generational suffix such as JR, SR or III.", json_schema_extra=sensitivity("personal"))


class Identifier(CanonicalModel):
    """An identifier other than the first-class ones (state id, FBI number, driver's licence)."""

    type: IdentifierType = Field(description="What kind of identifier this is.", json_schema_extra=sensitivity("internal"))
    value: ShortText = Field(description="The identifier as issued.", json_schema_extra=sensitivity("personal"))
    issuer: ShortText | None = Field(
        default=None, description="Who issued it: an ORI, a state abbreviation or an agency name.",
        json_schema_extra=sensitivity("internal"),
    )


class Address(NonEmptyModel):
    """A postal address. Only the parts the source gives are filled."""

    line1: Text | None = Field(default=None, description="Street address, first line.", json_schema_extra=sensitivity("personal"))
    line2: Text | None = Field(default=None, description="Street address, second line.", json_schema_extra=sensitivity("personal"))
    city: ShortText | None = Field(default=None, description="City or town.", json_schema_extra=sensitivity("personal"))
    state: StateCode | None = Field(default=None, description="State abbreviation (USPS).", json_schema_extra=sensitivity("personal"))
    postal_code: PostalCode | None = Field(
        default=None, description="Postal code (ZIP or ZIP+4 in the US).", json_schema_extra={"x-flat-name": "postal_code"} | sensitivity("personal")
    )
    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2 country code.", json_schema_extra=sensitivity("personal"))


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
    given_name: ShortText | None = Field(default=None, description="Given (first) name.", json_schema_extra=sensitivity("personal"))
    middle_name: ShortText | None = Field(default=None, description="Middle name or names.", json_schema_extra=sensitivity("personal"))
    family_name: ShortText | None = Field(default=None, description="Family (last) name.", json_schema_extra=sensitivity("personal"))
    name_suffix: ShortText | None = Field(default=None, description="Generational suffix such as JR, SR or III.", json_schema_extra=sensitivity("personal"))
    aliases: tuple[PersonName, ...] = Field(default=(), description="Other names the person is known by.", json_schema_extra=sensitivity("personal"))
    date_of_birth: Date | None = Field(default=None, description="Date of birth.", json_schema_extra=sensitivity("personal"))
    sex: Sex | None = Field(default=None, description="Sex (NIBRS DE 27/38/48 code).", json_schema_extra=sensitivity("personal"))
    sex_raw: RawText | None = Field(default=None, description="Sex exactly as the source wrote it.", json_schema_extra=sensitivity("personal"))
    race: Race | None = Field(default=None, description="Race (NIBRS DE 28/39/49 code).", json_schema_extra=sensitivity("personal"))
    race_raw: RawText | None = Field(default=None, description="Race exactly as the source wrote it.", json_schema_extra=sensitivity("personal"))
    ethnicity: Ethnicity | None = Field(default=None, description="Ethnicity (NIBRS DE 29/39A/50 code).", json_schema_extra=sensitivity("personal"))
    ethnicity_raw: RawText | None = Field(default=None, description="Ethnicity exactly as the source wrote it.", json_schema_extra=sensitivity("personal"))
    state_id: PersonKey | None = Field(
        default=None,
        description="State identification number (SID), from the state's fingerprint-based repository.",
        json_schema_extra=sensitivity("personal"),
    )
    fbi_number: FbiNumber | None = Field(default=None, description="FBI number (Universal Control Number).", json_schema_extra=sensitivity("personal"))
    drivers_license_number: PersonKey | None = Field(default=None, description="Driver's licence number.", json_schema_extra=sensitivity("personal"))
    drivers_license_state: StateCode | None = Field(
        default=None, description="State that issued the driver's licence.",
        json_schema_extra=sensitivity("personal"),
    )
    other_identifiers: tuple[Identifier, ...] = Field(
        default=(), description="Further identifiers: DOC number, local person id, SSN...",
        json_schema_extra=sensitivity("personal"),
    )
    address: Address | None = Field(default=None, description="Last known residence address.", json_schema_extra=sensitivity("personal"))
    # --- added in schema 1.1 ---
    gender_identity: GenderIdentity | None = Field(
        default=None,
        description=(
            "Gender identity as the person states it; kept apart from sex, which stays the NIBRS code "
            "(jails need both for housing and search decisions under the PREA standards)."
        ),
        json_schema_extra=since("1.1") | sensitivity("sensitive"),
    )
    gender_identity_raw: RawText | None = Field(
        default=None, description="Gender identity as the source wrote it.", json_schema_extra=since("1.1") | sensitivity("sensitive")
    )
