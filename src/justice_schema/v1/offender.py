"""The Offender entity: one offender of a NIBRS Group A incident (a level-5 offender segment)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalRecord, optional, sensitivity
from justice_schema.v1._types import RecordId
from justice_schema.v1.codes import Ethnicity, Race, Sex
from justice_schema.v1.common import Age, RawText

__all__ = ["Offender"]


class Offender(CanonicalRecord):
    """One offender of an incident, as the victim or witnesses describe them (NIBRS level-5 offender segment).

    An offender is not an arrestee: the description may be all a report has.
    Sequence number ``0`` (NIBRS ``00``) is the single "unknown offender" of an
    incident where nothing is known of who did it. NIEM: ``j:Subject``.
    """

    ENTITY_TYPE = "offender"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["offender"] = Field(default="offender", description="Always 'offender'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    incident_id: RecordId = Field(description="Id of the Incident the offender belongs to.", json_schema_extra=sensitivity("internal"))
    offender_sequence_number: Annotated[int, Strict(), Field(ge=0, le=99)] = Field(
        description="Offender sequence number within the incident (NIBRS DE 36); 0 (NIBRS '00') is an unknown offender.",
        json_schema_extra=sensitivity("internal"),
    )
    person_id: RecordId | None = optional(
        "Id of the offender's Person record, when the offender is identified.", "internal",
    )
    offender_age: Age | None = optional("Age of the offender (NIBRS DE 37).", "personal")
    sex: Sex | None = optional("Sex of the offender (NIBRS DE 38).", "personal")
    sex_raw: RawText | None = optional("Sex as the source wrote it.", "personal")
    race: Race | None = optional("Race of the offender (NIBRS DE 39).", "personal")
    race_raw: RawText | None = optional("Race as the source wrote it.", "personal")
    ethnicity: Ethnicity | None = optional("Ethnicity of the offender (NIBRS DE 39A).", "personal")
    ethnicity_raw: RawText | None = optional("Ethnicity as the source wrote it.", "personal")
