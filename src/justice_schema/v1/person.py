"""The Person entity: who someone is, and the identifiers that link them across agencies."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalModel, CanonicalRecord, NonEmptyModel, since
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

    given_name: ShortText | None = Field(default=None, description="Given (first) name.")
    middle_name: ShortText | None = Field(default=None, description="Middle name or names.")
    family_name: ShortText | None = Field(default=None, description="Family (last) name.")
    name_suffix: ShortText | None = Field(default=None, description="Generational suffix such as JR, SR or III.")


class Identifier(CanonicalModel):
    """An identifier other than the first-class ones (state id, FBI number, driver's licence)."""

    type: IdentifierType = Field(description="What kind of identifier this is.")
    value: ShortText = Field(description="The identifier as issued.")
    issuer: ShortText | None = Field(
        default=None, description="Who issued it: an ORI, a state abbreviation or an agency name."
    )


class Address(NonEmptyModel):
    """A postal address. Only the parts the source gives are filled."""

    line1: Text | None = Field(default=None, description="Street address, first line.")
    line2: Text | None = Field(default=None, description="Street address, second line.")
    city: ShortText | None = Field(default=None, description="City or town.")
    state: StateCode | None = Field(default=None, description="State abbreviation (USPS).")
    postal_code: PostalCode | None = Field(
        default=None, description="Postal code (ZIP or ZIP+4 in the US).", json_schema_extra={"x-flat-name": "postal_code"}
    )
    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2 country code.")


class Person(CanonicalRecord):
    """A human being as one source system knows them.

    One Person record per person per source record: identity matching
    (:mod:`justice_schema.identity`) later resolves the records that are the same
    human into one ``person_uid``. The state id, FBI number and driver's
    licence are first-class fields because they are what links people across
    agencies. NIEM: ``nc:Person`` with ``j:PersonAugmentation``.
    """

    ENTITY_TYPE = "person"

    entity_type: Literal["person"] = Field(default="person", description="Always 'person'.")
    schema_version: Literal["1.0", "1.1"] = Field(default="1.0", description="Schema version of this record.")
    given_name: ShortText | None = Field(default=None, description="Given (first) name.")
    middle_name: ShortText | None = Field(default=None, description="Middle name or names.")
    family_name: ShortText | None = Field(default=None, description="Family (last) name.")
    name_suffix: ShortText | None = Field(default=None, description="Generational suffix such as JR, SR or III.")
    aliases: tuple[PersonName, ...] = Field(default=(), description="Other names the person is known by.")
    date_of_birth: Date | None = Field(default=None, description="Date of birth.")
    sex: Sex | None = Field(default=None, description="Sex (NIBRS DE 27/38/48 code).")
    sex_raw: RawText | None = Field(default=None, description="Sex exactly as the source wrote it.")
    race: Race | None = Field(default=None, description="Race (NIBRS DE 28/39/49 code).")
    race_raw: RawText | None = Field(default=None, description="Race exactly as the source wrote it.")
    ethnicity: Ethnicity | None = Field(default=None, description="Ethnicity (NIBRS DE 29/39A/50 code).")
    ethnicity_raw: RawText | None = Field(default=None, description="Ethnicity exactly as the source wrote it.")
    state_id: PersonKey | None = Field(
        default=None,
        description="State identification number (SID), from the state's fingerprint-based repository.",
    )
    fbi_number: FbiNumber | None = Field(default=None, description="FBI number (Universal Control Number).")
    drivers_license_number: PersonKey | None = Field(default=None, description="Driver's licence number.")
    drivers_license_state: StateCode | None = Field(
        default=None, description="State that issued the driver's licence."
    )
    other_identifiers: tuple[Identifier, ...] = Field(
        default=(), description="Further identifiers: DOC number, local person id, SSN..."
    )
    address: Address | None = Field(default=None, description="Last known residence address.")
    # --- added in schema 1.1 ---
    gender_identity: GenderIdentity | None = Field(
        default=None,
        description=(
            "Gender identity as the person states it; kept apart from sex, which stays the NIBRS code "
            "(jails need both for housing and search decisions under the PREA standards)."
        ),
        json_schema_extra=since("1.1"),
    )
    gender_identity_raw: RawText | None = Field(
        default=None, description="Gender identity as the source wrote it.", json_schema_extra=since("1.1")
    )
