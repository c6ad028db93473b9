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

from justice_schema.v1._base import CanonicalRecord, sensitivity
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
    agency_type: AgencyType | None = Field(
        default=None, description="Kind of agency (the FBI UCR agency types, plus prosecution, corrections, supervision).",
        json_schema_extra=sensitivity("public"),
    )
    agency_type_raw: RawText | None = Field(
        default=None, description="Agency type as the source wrote it.", json_schema_extra=sensitivity("internal")
    )
    ori: Ori | None = Field(
        default=None, description="The agency's ORI (Originating Agency Identifier; NIBRS DE 1).", json_schema_extra=sensitivity("public")
    )
    state: StateCode | None = Field(default=None, description="State abbreviation (USPS) of the agency.", json_schema_extra=sensitivity("public"))
    country: CountryCode | None = Field(
        default=None, description="ISO 3166-1 alpha-2 country code, for agencies outside the US (e.g. 'GB').",
        json_schema_extra=sensitivity("public"),
    )
    county_fips: CountyFips | None = Field(
        default=None, description="FIPS code of the agency's (principal) county.", json_schema_extra=sensitivity("public")
    )
    parent_id: RecordId | None = Field(
        default=None, description="Id of the Agency record of the parent organisation (a state department, a county).",
        json_schema_extra=sensitivity("public"),
    )
    nibrs_start_date: Date | None = Field(
        default=None, description="Date from which the agency reports NIBRS (incident-based) data.",
        json_schema_extra=sensitivity("public"),
    )
    active_from: Date | None = Field(default=None, description="Date the agency began operating.", json_schema_extra=sensitivity("public"))
    active_to: Date | None = Field(
        default=None, description="Date the agency ceased operating or merged; empty while active.", json_schema_extra=sensitivity("public")
    )


class Court(CanonicalRecord):
    """A court: its name, level and place. NIEM: ``j:Court`` (an ``nc:Organization``)."""

    ENTITY_TYPE = "court"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["court"] = Field(default="court", description="Always 'court'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    name: ShortText = Field(description="The court's name, e.g. 'Third District Court'.", json_schema_extra=sensitivity("public"))
    court_type: CourtType | None = Field(
        default=None, description="Level of the court (NCSC court structure).", json_schema_extra=sensitivity("public")
    )
    court_type_raw: RawText | None = Field(
        default=None, description="Court type as the source wrote it.", json_schema_extra=sensitivity("internal")
    )
    ori: Ori | None = Field(default=None, description="ORI (NCIC) assigned to the court.", json_schema_extra=sensitivity("public"))
    state: StateCode | None = Field(default=None, description="State abbreviation (USPS) of the court.", json_schema_extra=sensitivity("public"))
    country: CountryCode | None = Field(
        default=None, description="ISO 3166-1 alpha-2 country code, for courts outside the US.", json_schema_extra=sensitivity("public")
    )
    county_fips: CountyFips | None = Field(
        default=None, description="FIPS code of the county the court sits in.", json_schema_extra=sensitivity("public")
    )
    parent_id: RecordId | None = Field(
        default=None, description="Id of the Court or Agency record the court belongs to (a judicial district, the state courts).",
        json_schema_extra=sensitivity("public"),
    )
    active_from: Date | None = Field(default=None, description="Date the court began sitting.", json_schema_extra=sensitivity("public"))
    active_to: Date | None = Field(
        default=None, description="Date the court was abolished or merged; empty while active.", json_schema_extra=sensitivity("public")
    )


class Facility(CanonicalRecord):
    """A place of custody: jail, prison, juvenile facility... NIEM: ``j:Facility`` / ``nc:Facility``."""

    ENTITY_TYPE = "facility"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["facility"] = Field(default="facility", description="Always 'facility'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    name: ShortText = Field(description="The facility's name.", json_schema_extra=sensitivity("public"))
    facility_type: FacilityType | None = Field(
        default=None, description="Kind of facility: jail, prison, juvenile detention...", json_schema_extra=sensitivity("public")
    )
    facility_type_raw: RawText | None = Field(
        default=None, description="Facility type as the source wrote it.", json_schema_extra=sensitivity("internal")
    )
    ori: Ori | None = Field(default=None, description="ORI (NCIC) assigned to the facility.", json_schema_extra=sensitivity("public"))
    state: StateCode | None = Field(default=None, description="State abbreviation (USPS) of the facility.", json_schema_extra=sensitivity("public"))
    country: CountryCode | None = Field(
        default=None, description="ISO 3166-1 alpha-2 country code, for facilities outside the US.", json_schema_extra=sensitivity("public")
    )
    county_fips: CountyFips | None = Field(
        default=None, description="FIPS code of the county the facility is in.", json_schema_extra=sensitivity("public")
    )
    parent_id: RecordId | None = Field(
        default=None, description="Id of the Agency record that runs the facility (a sheriff's office, a department of corrections).",
        json_schema_extra=sensitivity("public"),
    )
    active_from: Date | None = Field(default=None, description="Date the facility opened.", json_schema_extra=sensitivity("public"))
    active_to: Date | None = Field(
        default=None, description="Date the facility closed; empty while open.", json_schema_extra=sensitivity("public")
    )
