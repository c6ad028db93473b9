"""Value types shared by several schema-1 entities: ages, weapons, locations, and the tracking numbers."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalModel, NonEmptyModel, optional, sensitivity, since
from justice_schema.v1._types import (
    RAW_TEXT_MAX,
    CensusTract,
    CountyFips,
    Flag,
    Latitude,
    Longitude,
    ShortText,
)
from justice_schema.v1.codes import AgeCode, ArmedWith, WeaponForce

__all__ = [
    "Age",
    "ArmedWithEntry",
    "WeaponForceEntry",
    "Location",
    "RawText",
    "Years",
    "TRACKING_NUMBERS",
    "tracking_number",
]

#: The source's own text for a coded value, kept next to the canonical code.
RawText = Annotated[str, Field(min_length=1, max_length=RAW_TEXT_MAX)]
#: An age in whole years.
Years = Annotated[int, Strict(), Field(ge=0, le=120)]


class Age(NonEmptyModel):
    """An age as NIBRS records it: exact, a range, or a special code.

    An exact age of 32 is ``min_years=32, max_years=32``; the range 25 to 30 is
    ``min_years=25, max_years=30``; "over 98" and "unknown" are the codes
    ``99`` and ``00`` with no years (NIBRS DE 26, 37, 47).
    """

    min_years: Years | None = optional("Lowest possible age in years (the exact age when exact).", "personal")
    max_years: Years | None = optional("Highest possible age in years (the exact age when exact).", "personal")
    code: AgeCode | None = optional("NIBRS non-numeric age code, when the age is not a number.", "personal")
    raw: RawText | None = optional("The age exactly as the source wrote it.", "personal")


class ArmedWithEntry(CanonicalModel):
    """One 'arrestee was armed with' value (NIBRS DE 46) and its automatic-weapon flag."""

    code: ArmedWith = Field(description="NIBRS armed-with code.", json_schema_extra=sensitivity("public"))
    automatic: Flag = Field(default=False, description="True when the firearm was automatic (NIBRS flag 'A').", json_schema_extra=sensitivity("public"))
    raw: RawText | None = optional("The value exactly as the source wrote it.", "internal")


class WeaponForceEntry(CanonicalModel):
    """One 'type of weapon/force involved' value (NIBRS DE 13) and its automatic-weapon flag."""

    code: WeaponForce = Field(description="NIBRS weapon/force code.", json_schema_extra=sensitivity("public"))
    automatic: Flag = Field(default=False, description="True when the firearm was automatic (NIBRS flag 'A').", json_schema_extra=sensitivity("public"))
    raw: RawText | None = optional("The value exactly as the source wrote it.", "internal")


class Location(NonEmptyModel):
    """Where an event happened: coarse parts for publication and analysis, precise coordinates optional.

    The coarse parts (county FIPS code, city, census tract) are what statewide
    dashboards map and publish; latitude and longitude pin the place and are
    classed sensitive, because a point can identify a victim's home. NIEM:
    ``nc:Location`` with ``nc:LocationCountyCode``, ``nc:LocationCityName``,
    ``nc:LocationCensusTractIdentification`` and ``nc:Location2DGeospatialCoordinate``.
    """

    county_fips: CountyFips | None = optional(
        "County FIPS code (2-digit state + 3-digit county), e.g. '49035'.", "public",
    )
    city: ShortText | None = optional("City, town or place name.", "public")
    census_tract: CensusTract | None = optional(
        "Census tract as its 11-digit GEOID (state, county, tract).", "internal",
    )
    latitude: Latitude | None = optional("Latitude in decimal degrees (WGS 84).", "sensitive")
    longitude: Longitude | None = optional("Longitude in decimal degrees (WGS 84).", "sensitive")


#: The numbers that link the stages of one case across agencies, with what each is and its class.
#: Every event that can carry one has it as a top-level field of that name (added in schema 1.2
#: where the entity existed before), so events are linked on these numbers without guessing.
TRACKING_NUMBERS: dict[str, tuple[str, str]] = {
    "state_id": (
        "State identification number (SID) of the person, from the state's fingerprint-based criminal "
        "history repository, as recorded on this event (the field accounts' link between arrest, court "
        "and corrections records; NIEM j:PersonStateFingerprintIdentification).",
        "personal",
    ),
    "offense_tracking_number": (
        "Offense tracking number (OTN) the state repository assigns at the fingerprinted arrest and every "
        "later stage (charge, disposition, custody) repeats (NIEM j:ChargeTrackingIdentification).",
        "internal",
    ),
    "arrest_transaction_number": (
        "The arresting agency's arrest transaction number (NIBRS DE 41), as recorded on this event.",
        "internal",
    ),
    "court_case_number": (
        "Court case (docket) number, as recorded on this event (NIEM nc:CaseDocketID).",
        "internal",
    ),
    "booking_number": (
        "The jail's booking number, as recorded on this event (NIEM j:BookingSubjectIdentification).",
        "internal",
    ),
}


def tracking_number(name: str, *, added: str | None = "1.2", required: bool = False) -> Any:
    """The ``Field(...)`` of tracking number ``name`` (a key of :data:`TRACKING_NUMBERS`).

    ``added`` is the schema version the field was added to the entity in
    (``None`` for an entity that is itself new in that version).
    """
    description, level = TRACKING_NUMBERS[name]
    extra = (since(added) if added else {}) | sensitivity(level)
    if required:
        return Field(description=description, json_schema_extra=extra)
    return optional(description, level, added=added)
