"""The organisations that report and hold records: Agency, Court and Facility.

Until schema 1.2 an agency was only an ORI pattern on each record. These
reference entities give every organisation a record of its own (name, type,
state, county FIPS code, parent organisation, active dates), so a hub can say
who reported what, group agencies under a parent (a county's sheriff and its
jails), and hold organisations without a US ORI (a UK police force).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalRecord, optional, sensitivity
from justice_schema.v1._types import CountryCode, CountyFips, Date, Ori, RecordId, ShortText, StateCode
from justice_schema.v1.codes import AgencyType, CourtType, FacilityType
from justice_schema.v1.common import RawText

__all__ = ["Agency", "Court", "Facility"]


class Agency(CanonicalRecord):
    """A law enforcement, prosecution, corrections or supervision agency.

    ``ori`` is the agency's ORI (NIBRS DE 1); ``nibrs_start_date`` the date
    from which it reports incident-based (NIBRS) data, which tells a hub when
    the agency's counts become comparable. NIEM: ``nc:Organization`` with
    ``j:OrganizationAugmentation`` (``j:OrganizationORIIdentification``).
    """

    ENTITY_TYPE = "agency"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["agency"] = Field(default="agency", description="Always 'agency'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    name: ShortText = Field(description="The agency's name, as it styles itself.", json_schema_extra=sensitivity("public"))
    agency_type: AgencyType | None = optional(
        "Kind of agency (the FBI UCR agency types, plus prosecution, corrections, supervision).", "public",
    )
    agency_type_raw: RawText | None = optional("Agency type as the source wrote it.", "internal")
    ori: Ori | None = optional("The agency's ORI (Originating Agency Identifier; NIBRS DE 1).", "public")
    state: StateCode | None = optional("State abbreviation (USPS) of the agency.", "public")
    country: CountryCode | None = optional(
        "ISO 3166-1 alpha-2 country code, for agencies outside the US (e.g. 'GB').", "public",
    )
    county_fips: CountyFips | None = optional("FIPS code of the agency's (principal) county.", "public")
    parent_id: RecordId | None = optional(
        "Id of the Agency record of the parent organisation (a state department, a county).", "public",
    )
    nibrs_start_date: Date | None = optional(
        "Date from which the agency reports NIBRS (incident-based) data.", "public",
    )
    active_from: Date | None = optional("Date the agency began operating.", "public")
    active_to: Date | None = optional("Date the agency ceased operating or merged; empty while active.", "public")


class Court(CanonicalRecord):
    """A court: its name, level and place. NIEM: ``j:Court`` (an ``nc:Organization``)."""

    ENTITY_TYPE = "court"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["court"] = Field(default="court", description="Always 'court'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    name: ShortText = Field(description="The court's name, e.g. 'Third District Court'.", json_schema_extra=sensitivity("public"))
    court_type: CourtType | None = optional("Level of the court (NCSC court structure).", "public")
    court_type_raw: RawText | None = optional("Court type as the source wrote it.", "internal")
    ori: Ori | None = optional("ORI (NCIC) assigned to the court.", "public")
    state: StateCode | None = optional("State abbreviation (USPS) of the court.", "public")
    country: CountryCode | None = optional("ISO 3166-1 alpha-2 country code, for courts outside the US.", "public")
    county_fips: CountyFips | None = optional("FIPS code of the county the court sits in.", "public")
    parent_id: RecordId | None = optional(
        "Id of the Court or Agency record the court belongs to (a judicial district, the state courts).", "public",
    )
    active_from: Date | None = optional("Date the court began sitting.", "public")
    active_to: Date | None = optional("Date the court was abolished or merged; empty while active.", "public")


class Facility(CanonicalRecord):
    """A place of custody: jail, prison, juvenile facility... NIEM: ``j:Facility`` / ``nc:Facility``."""

    ENTITY_TYPE = "facility"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["facility"] = Field(default="facility", description="Always 'facility'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    name: ShortText = Field(description="The facility's name.", json_schema_extra=sensitivity("public"))
    facility_type: FacilityType | None = optional("Kind of facility: jail, prison, juvenile detention...", "public")
    facility_type_raw: RawText | None = optional("Facility type as the source wrote it.", "internal")
    ori: Ori | None = optional("ORI (NCIC) assigned to the facility.", "public")
    state: StateCode | None = optional("State abbreviation (USPS) of the facility.", "public")
    country: CountryCode | None = optional("ISO 3166-1 alpha-2 country code, for facilities outside the US.", "public")
    county_fips: CountyFips | None = optional("FIPS code of the county the facility is in.", "public")
    parent_id: RecordId | None = optional(
        "Id of the Agency record that runs the facility (a sheriff's office, a department of corrections).", "public",
    )
    active_from: Date | None = optional("Date the facility opened.", "public")
    active_to: Date | None = optional("Date the facility closed; empty while open.", "public")
