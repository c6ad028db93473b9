"""The Arrest entity: one person arrested once (a NIBRS arrestee or Group B arrest)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalRecord
from justice_schema.v1._types import Date, Instant, RecordId, SourceKey
from justice_schema.v1.codes import (
    JuvenileDisposition,
    MultipleArresteeIndicator,
    ResidentStatus,
    TypeOfArrest,
    UcrOffenseCode,
)
from justice_schema.v1.common import Age, ArmedWithEntry, RawText

__all__ = ["Arrest"]


class Arrest(CanonicalRecord):
    """One arrest of one person: NIBRS Group A arrestee (level 6) or Group B arrest (level 7).

    Links to the arrested :class:`~justice_schema.v1.Person` and, for Group A
    arrests, to the :class:`~justice_schema.v1.Incident`. The charges laid at
    arrest are :class:`~justice_schema.v1.Charge` records pointing back here.
    NIEM: ``j:Arrest``.
    """

    ENTITY_TYPE = "arrest"

    entity_type: Literal["arrest"] = Field(default="arrest", description="Always 'arrest'.")
    schema_version: Literal["1.0", "1.1"] = Field(default="1.0", description="Schema version of this record.")
    person_id: RecordId = Field(description="Id of the arrested person's Person record.")
    incident_id: RecordId | None = Field(
        default=None, description="Id of the Incident this arrest clears; empty for Group B arrests."
    )
    arrest_transaction_number: SourceKey | None = Field(
        default=None, description="The agency's arrest transaction number (NIBRS DE 41)."
    )
    arrestee_sequence_number: Annotated[int, Strict(), Field(ge=1, le=99)] | None = Field(
        default=None, description="Arrestee sequence number within the incident (NIBRS DE 40)."
    )
    arrest_date: Date = Field(description="Date of arrest (NIBRS DE 42).")
    arrested_at: Instant | None = Field(default=None, description="Instant of arrest, when the source has a time.")
    arrest_type: TypeOfArrest | None = Field(default=None, description="Type of arrest (NIBRS DE 43).")
    arrest_type_raw: RawText | None = Field(default=None, description="Type of arrest as the source wrote it.")
    multiple_arrestee_indicator: MultipleArresteeIndicator | None = Field(
        default=None, description="Multiple arrestee segments indicator (NIBRS DE 44)."
    )
    multiple_arrestee_indicator_raw: RawText | None = Field(
        default=None, description="Multiple arrestee indicator as the source wrote it."
    )
    ucr_arrest_offense_code: UcrOffenseCode | None = Field(
        default=None, description="UCR arrest offense code (NIBRS DE 45)."
    )
    ucr_arrest_offense_code_raw: RawText | None = Field(
        default=None, description="Arrest offense as the source wrote it."
    )
    armed_with: tuple[ArmedWithEntry, ...] = Field(
        default=(), max_length=2, description="Arrestee was armed with (NIBRS DE 46), up to two."
    )
    arrestee_age: Age | None = Field(default=None, description="Age of the arrestee at arrest (NIBRS DE 47).")
    resident_status: ResidentStatus | None = Field(
        default=None, description="Resident status of the arrestee (NIBRS DE 51)."
    )
    resident_status_raw: RawText | None = Field(default=None, description="Resident status as the source wrote it.")
    juvenile_disposition: JuvenileDisposition | None = Field(
        default=None, description="Disposition of an arrestee under 18 (NIBRS DE 52)."
    )
    juvenile_disposition_raw: RawText | None = Field(
        default=None, description="Juvenile disposition as the source wrote it."
    )
