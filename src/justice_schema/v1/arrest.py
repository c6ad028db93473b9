"""The Arrest entity: one person arrested once (a NIBRS arrestee or Group B arrest)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalRecord, sensitivity, since
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
    incident_id: RecordId | None = Field(
        default=None, description="Id of the Incident this arrest clears; empty for Group B arrests.",
        json_schema_extra=sensitivity("internal"),
    )
    arrest_transaction_number: SourceKey | None = Field(
        default=None, description="The agency's arrest transaction number (NIBRS DE 41).",
        json_schema_extra=sensitivity("internal"),
    )
    arrestee_sequence_number: Annotated[int, Strict(), Field(ge=1, le=99)] | None = Field(
        default=None, description="Arrestee sequence number within the incident (NIBRS DE 40).",
        json_schema_extra=sensitivity("public"),
    )
    arrest_date: Date = Field(description="Date of arrest (NIBRS DE 42).", json_schema_extra=sensitivity("public"))
    arrested_at: Instant | None = Field(default=None, description="Instant of arrest, when the source has a time.", json_schema_extra=sensitivity("public"))
    arrest_type: TypeOfArrest | None = Field(default=None, description="Type of arrest (NIBRS DE 43).", json_schema_extra=sensitivity("public"))
    arrest_type_raw: RawText | None = Field(default=None, description="Type of arrest as the source wrote it.", json_schema_extra=sensitivity("internal"))
    multiple_arrestee_indicator: MultipleArresteeIndicator | None = Field(
        default=None, description="Multiple arrestee segments indicator (NIBRS DE 44).",
        json_schema_extra=sensitivity("public"),
    )
    multiple_arrestee_indicator_raw: RawText | None = Field(
        default=None, description="Multiple arrestee indicator as the source wrote it.",
        json_schema_extra=sensitivity("internal"),
    )
    ucr_arrest_offense_code: UcrOffenseCode | None = Field(
        default=None, description="UCR arrest offense code (NIBRS DE 45).",
        json_schema_extra=sensitivity("public"),
    )
    ucr_arrest_offense_code_raw: RawText | None = Field(
        default=None, description="Arrest offense as the source wrote it.",
        json_schema_extra=sensitivity("internal"),
    )
    armed_with: tuple[ArmedWithEntry, ...] = Field(
        default=(), max_length=2, description="Arrestee was armed with (NIBRS DE 46), up to two.",
        json_schema_extra=sensitivity("internal"),
    )
    arrestee_age: Age | None = Field(default=None, description="Age of the arrestee at arrest (NIBRS DE 47).", json_schema_extra=sensitivity("personal"))
    resident_status: ResidentStatus | None = Field(
        default=None, description="Resident status of the arrestee (NIBRS DE 51).",
        json_schema_extra=sensitivity("personal"),
    )
    resident_status_raw: RawText | None = Field(default=None, description="Resident status as the source wrote it.", json_schema_extra=sensitivity("personal"))
    juvenile_disposition: JuvenileDisposition | None = Field(
        default=None, description="Disposition of an arrestee under 18 (NIBRS DE 52).",
        json_schema_extra=sensitivity("sensitive"),
    )
    juvenile_disposition_raw: RawText | None = Field(
        default=None, description="Juvenile disposition as the source wrote it.",
        json_schema_extra=sensitivity("sensitive"),
    )
    # --- added in schema 1.2 ---
    location: Location | None = Field(
        default=None,
        description="Where the arrest was made: county FIPS code, city, census tract, optionally coordinates (NIEM j:ArrestLocation).",
        json_schema_extra=since("1.2") | sensitivity("sensitive"),
    )
    state_id: PersonKey | None = tracking_number("state_id")
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number")
