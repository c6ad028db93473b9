"""The Supervision entity: a period of probation, parole or pretrial supervision."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalModel, CanonicalRecord, since
from justice_schema.v1._types import Date, RecordId, ShortText, SourceKey, Text
from justice_schema.v1.codes import (
    SupervisionLevel,
    SupervisionTermination,
    SupervisionType,
    ViolationResponse,
    ViolationType,
)
from justice_schema.v1.common import RawText

__all__ = ["Supervision", "SupervisionViolation"]


class SupervisionViolation(CanonicalModel):
    """One violation of the conditions of supervision, and the response to it."""

    violation_date: Date = Field(description="Date of the violation.")
    violation_type: ViolationType = Field(description="Technical, new offense or absconding.")
    violation_type_raw: RawText | None = Field(default=None, description="Violation type as the source wrote it.")
    description: Text | None = Field(default=None, description="What happened.")
    response: ViolationResponse | None = Field(default=None, description="How the agency or court responded.")
    response_raw: RawText | None = Field(default=None, description="Response as the source wrote it.")
    response_date: Date | None = Field(default=None, description="Date of the response.")


class Supervision(CanonicalRecord):
    """A period of community supervision (probation, parole or pretrial) and its violations.

    NIEM: ``nc:Supervision`` with ``j:SupervisionAugmentation`` and
    ``j:SupervisionViolation``.
    """

    ENTITY_TYPE = "supervision"

    entity_type: Literal["supervision"] = Field(default="supervision", description="Always 'supervision'.")
    schema_version: Literal["1.0", "1.1"] = Field(default="1.0", description="Schema version of this record.")
    person_id: RecordId = Field(description="Id of the supervised person's Person record.")
    disposition_id: RecordId | None = Field(
        default=None, description="Id of the Disposition whose sentence ordered the supervision."
    )
    case_number: SourceKey | None = Field(default=None, description="The supervising agency's case number.")
    supervision_type: SupervisionType = Field(description="Probation, parole, pretrial or other.")
    supervision_type_raw: RawText | None = Field(default=None, description="Supervision type as the source wrote it.")
    start_date: Date = Field(description="Date supervision began.")
    expected_end_date: Date | None = Field(default=None, description="Date supervision is scheduled to end.")
    end_date: Date | None = Field(default=None, description="Date supervision actually ended; empty while active.")
    termination_reason: SupervisionTermination | None = Field(
        default=None, description="Why supervision ended."
    )
    termination_reason_raw: RawText | None = Field(
        default=None, description="Termination reason as the source wrote it."
    )
    violations: tuple[SupervisionViolation, ...] = Field(default=(), description="Violations during the period.")
    # --- added in schema 1.1 ---
    supervision_level: SupervisionLevel | None = Field(
        default=None, description="Current supervision level, from administrative to intensive (NIEM j:SupervisionLevelAbstract).",
        json_schema_extra=since("1.1"),
    )
    supervision_level_raw: RawText | None = Field(
        default=None, description="Supervision level as the source wrote it.", json_schema_extra=since("1.1")
    )
    officer_staff_number: SourceKey | None = Field(
        default=None,
        description="Staff identifier of the supervising officer in the agency's system (NIEM nc:SupervisionSupervisor).",
        json_schema_extra=since("1.1"),
    )
    officer_name: ShortText | None = Field(
        default=None, description="Name of the supervising officer, as the agency records it.", json_schema_extra=since("1.1")
    )
