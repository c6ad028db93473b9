"""The Incident entity (a NIBRS Group A incident report) with its offenses."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalModel, CanonicalRecord, optional, sensitivity
from justice_schema.v1._types import Date, Flag, SourceKey
from justice_schema.v1.codes import (
    AttemptedCompleted,
    BiasMotivation,
    ClearedExceptionally,
    CriminalActivity,
    LocationType,
    MethodOfEntry,
    SuspectedOfUsing,
    UcrOffenseCode,
)
from justice_schema.v1.common import Location, RawText, WeaponForceEntry

__all__ = ["Incident", "Offense"]


class Offense(CanonicalModel):
    """One offense within an incident (a NIBRS level-2 offense segment)."""

    ucr_offense_code: UcrOffenseCode = Field(description="UCR offense code (NIBRS DE 6).", json_schema_extra=sensitivity("public"))
    ucr_offense_code_raw: RawText | None = optional("Offense as the source wrote it.", "internal")
    attempted_completed: AttemptedCompleted | None = optional(
        "Whether the offense was attempted or completed (NIBRS DE 7).", "public",
    )
    attempted_completed_raw: RawText | None = optional("Attempted/completed as the source wrote it.", "internal")
    suspected_of_using: tuple[SuspectedOfUsing, ...] = Field(
        default=(), max_length=3, description="Offender suspected of using (NIBRS DE 8), up to three.",
        json_schema_extra=sensitivity("public"),
    )
    location_type: LocationType | None = optional("Location type (NIBRS DE 9).", "public")
    location_type_raw: RawText | None = optional("Location as the source wrote it.", "internal")
    premises_entered: Annotated[int, Strict(), Field(ge=1, le=99)] | None = optional(
        "Number of premises entered (NIBRS DE 10).", "public",
    )
    method_of_entry: MethodOfEntry | None = optional("Method of entry (NIBRS DE 11).", "public")
    method_of_entry_raw: RawText | None = optional("Method of entry as the source wrote it.", "internal")
    criminal_activities: tuple[CriminalActivity, ...] = Field(
        default=(), max_length=3, description="Type of criminal activity or gang information (NIBRS DE 12), up to three.",
        json_schema_extra=sensitivity("public"),
    )
    weapons: tuple[WeaponForceEntry, ...] = Field(
        default=(), max_length=3, description="Type of weapon or force involved (NIBRS DE 13), up to three.",
        json_schema_extra=sensitivity("internal"),
    )
    bias_motivations: tuple[BiasMotivation, ...] = Field(
        default=(), max_length=5, description="Bias motivation (NIBRS DE 8A), up to five.",
        json_schema_extra=sensitivity("public"),
    )


class Incident(CanonicalRecord):
    """A reported crime incident and its offenses (NIBRS Group A incident report).

    NIEM: ``nc:Incident`` with ``j:IncidentAugmentation`` and ``j:Offense``.
    Victims, offenders and property of the NIBRS report are outside schema 1.0.
    """

    ENTITY_TYPE = "incident"

    entity_type: Literal["incident"] = Field(default="incident", description="Always 'incident'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.0", "1.1", "1.2"] = Field(default="1.0", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    incident_number: SourceKey = Field(description="The agency's incident number (NIBRS DE 2).", json_schema_extra=sensitivity("internal"))
    incident_date: Date = Field(description="Date the incident occurred, or was reported (NIBRS DE 3).", json_schema_extra=sensitivity("public"))
    incident_date_is_report_date: Flag = Field(
        default=False, description="True when incident_date is the report date, not the occurrence date (NIBRS 'R').",
        json_schema_extra=sensitivity("public"),
    )
    incident_hour: Annotated[int, Strict(), Field(ge=0, le=23)] | None = optional(
        "Hour of the day the incident occurred, 0-23 (NIBRS DE 3).", "public",
    )
    cleared_exceptionally: ClearedExceptionally | None = optional(
        "Exceptional clearance code (NIBRS DE 4); 'N' when not cleared exceptionally.", "public",
    )
    cleared_exceptionally_raw: RawText | None = optional("Clearance as the source wrote it.", "internal")
    exceptional_clearance_date: Date | None = optional("Date of exceptional clearance (NIBRS DE 5).", "public")
    cargo_theft: Flag | None = optional("Cargo theft indicator (NIBRS DE 2A).", "public")
    offenses: tuple[Offense, ...] = Field(min_length=1, description="The offenses of the incident; at least one.", json_schema_extra=sensitivity("internal"))
    # --- added in schema 1.2 ---
    location: Location | None = optional(
        "Where the incident happened: county FIPS code, city, census tract, and optionally latitude and "
        "longitude (NIEM nc:Location via j:OffenseLocationAssociation; NIBRS DE 9 gives only the location type).",
        "sensitive", added="1.2",
    )
