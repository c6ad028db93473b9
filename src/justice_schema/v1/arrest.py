"""The Arrest entity: one person arrested once (a NIBRS arrestee or Group B arrest)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalRecord, optional, sensitivity
from justice_schema.v1._types import Date, Instant, PersonKey, RecordId, SourceKey
from justice_schema.v1.codes import (
    JuvenileDisposition,
    MultipleArresteeIndicator,
    ResidentStatus,
    TypeOfArrest,
    UcrOffenseCode,
)
from justice_schema.v1.common import Age, ArmedWithEntry, Location, RawText, tracking_number

__all__ = ["Arrest"]


class Arrest(CanonicalRecord):
    """One arrest of one person: NIBRS Group A arrestee (level 6) or Group B arrest (level 7).

    Links to the arrested :class:`~justice_schema.v1.Person` and, for Group A
    arrests, to the :class:`~justice_schema.v1.Incident`. The charges laid at
    arrest are :class:`~justice_schema.v1.Charge` records pointing back here.
    NIEM: ``j:Arrest``.
    """

    ENTITY_TYPE = "arrest"

    entity_type: Literal["arrest"] = Field(default="arrest", description="Always 'arrest'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.0", "1.1", "1.2"] = Field(default="1.0", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    person_id: RecordId = Field(description="Id of the arrested person's Person record.", json_schema_extra=sensitivity("internal"))
    incident_id: RecordId | None = optional(
        "Id of the Incident this arrest clears; empty for Group B arrests.", "internal",
    )
    arrest_transaction_number: SourceKey | None = optional(
        "The agency's arrest transaction number (NIBRS DE 41).", "internal",
    )
    arrestee_sequence_number: Annotated[int, Strict(), Field(ge=1, le=99)] | None = optional(
        "Arrestee sequence number within the incident (NIBRS DE 40).", "public",
    )
    arrest_date: Date = Field(description="Date of arrest (NIBRS DE 42).", json_schema_extra=sensitivity("public"))
    arrested_at: Instant | None = optional("Instant of arrest, when the source has a time.", "public")
    arrest_type: TypeOfArrest | None = optional("Type of arrest (NIBRS DE 43).", "public")
    arrest_type_raw: RawText | None = optional("Type of arrest as the source wrote it.", "internal")
    multiple_arrestee_indicator: MultipleArresteeIndicator | None = optional(
        "Multiple arrestee segments indicator (NIBRS DE 44).", "public",
    )
    multiple_arrestee_indicator_raw: RawText | None = optional(
        "Multiple arrestee indicator as the source wrote it.", "internal",
    )
    ucr_arrest_offense_code: UcrOffenseCode | None = optional("UCR arrest offense code (NIBRS DE 45).", "public")
    ucr_arrest_offense_code_raw: RawText | None = optional("Arrest offense as the source wrote it.", "internal")
    armed_with: tuple[ArmedWithEntry, ...] = Field(
        default=(), max_length=2, description="Arrestee was armed with (NIBRS DE 46), up to two.",
        json_schema_extra=sensitivity("internal"),
    )
    arrestee_age: Age | None = optional("Age of the arrestee at arrest (NIBRS DE 47).", "personal")
    resident_status: ResidentStatus | None = optional("Resident status of the arrestee (NIBRS DE 51).", "personal")
    resident_status_raw: RawText | None = optional("Resident status as the source wrote it.", "personal")
    juvenile_disposition: JuvenileDisposition | None = optional(
        "Disposition of an arrestee under 18 (NIBRS DE 52).", "sensitive",
    )
    juvenile_disposition_raw: RawText | None = optional("Juvenile disposition as the source wrote it.", "sensitive")
    # --- added in schema 1.2 ---
    location: Location | None = optional(
        "Where the arrest was made: county FIPS code, city, census tract, optionally coordinates (NIEM j:ArrestLocation).",
        "sensitive", added="1.2",
    )
    state_id: PersonKey | None = tracking_number("state_id")
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number")
