"""The Supervision entity: a period of probation, parole or pretrial supervision."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalModel, CanonicalRecord, optional, sensitivity
from justice_schema.v1._types import Date, PersonKey, RecordId, ShortText, SourceKey, Text
from justice_schema.v1.codes import (
    SupervisionLevel,
    SupervisionTermination,
    SupervisionType,
    ViolationResponse,
    ViolationType,
)
from justice_schema.v1.common import RawText, tracking_number

__all__ = ["Supervision", "SupervisionViolation"]


class SupervisionViolation(CanonicalModel):
    """One violation of the conditions of supervision, and the response to it."""

    violation_date: Date = Field(description="Date of the violation.", json_schema_extra=sensitivity("public"))
    violation_type: ViolationType = Field(description="Technical, new offense or absconding.", json_schema_extra=sensitivity("public"))
    violation_type_raw: RawText | None = optional("Violation type as the source wrote it.", "internal")
    description: Text | None = optional("What happened.", "internal")
    response: ViolationResponse | None = optional("How the agency or court responded.", "public")
    response_raw: RawText | None = optional("Response as the source wrote it.", "internal")
    response_date: Date | None = optional("Date of the response.", "public")


class Supervision(CanonicalRecord):
    """A period of community supervision (probation, parole or pretrial) and its violations.

    NIEM: ``nc:Supervision`` with ``j:SupervisionAugmentation`` and
    ``j:SupervisionViolation``.
    """

    ENTITY_TYPE = "supervision"

    entity_type: Literal["supervision"] = Field(default="supervision", description="Always 'supervision'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.0", "1.1", "1.2"] = Field(default="1.0", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    person_id: RecordId = Field(description="Id of the supervised person's Person record.", json_schema_extra=sensitivity("internal"))
    disposition_id: RecordId | None = optional(
        "Id of the Disposition whose sentence ordered the supervision.", "internal",
    )
    case_number: SourceKey | None = optional("The supervising agency's case number.", "internal")
    supervision_type: SupervisionType = Field(description="Probation, parole, pretrial or other.", json_schema_extra=sensitivity("public"))
    supervision_type_raw: RawText | None = optional("Supervision type as the source wrote it.", "internal")
    start_date: Date = Field(description="Date supervision began.", json_schema_extra=sensitivity("public"))
    expected_end_date: Date | None = optional("Date supervision is scheduled to end.", "public")
    end_date: Date | None = optional("Date supervision actually ended; empty while active.", "public")
    termination_reason: SupervisionTermination | None = optional("Why supervision ended.", "public")
    termination_reason_raw: RawText | None = optional("Termination reason as the source wrote it.", "internal")
    violations: tuple[SupervisionViolation, ...] = Field(default=(), description="Violations during the period.", json_schema_extra=sensitivity("internal"))
    # --- added in schema 1.1 ---
    supervision_level: SupervisionLevel | None = optional(
        "Current supervision level, from administrative to intensive (NIEM j:SupervisionLevelAbstract).",
        "internal", added="1.1",
    )
    supervision_level_raw: RawText | None = optional(
        "Supervision level as the source wrote it.", "internal", added="1.1",
    )
    officer_staff_number: SourceKey | None = optional(
        "Staff identifier of the supervising officer in the agency's system (NIEM nc:SupervisionSupervisor).",
        "internal", added="1.1",
    )
    officer_name: ShortText | None = optional(
        "Name of the supervising officer, as the agency records it.", "personal", added="1.1",
    )
    # --- added in schema 1.2 ---
    state_id: PersonKey | None = tracking_number("state_id")
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number")
    court_case_number: SourceKey | None = tracking_number("court_case_number")
