"""The ProsecutionDecision entity: a prosecutor's charging decision on one person's arrest or charges."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalRecord, optional, sensitivity
from justice_schema.v1._types import Date, PersonKey, RecordId, SourceKey, Text
from justice_schema.v1.codes import ProsecutionDecisionType, ProsecutionReason
from justice_schema.v1.common import RawText, tracking_number

__all__ = ["ProsecutionDecision"]


class ProsecutionDecision(CanonicalRecord):
    """A prosecutor's decision on a referral: filed, declined, deferred, diverted..., with the reason.

    The step between arrest and court that today leaves no record: a hub can
    count arrests that never became court cases, and why. One record per
    decision; a referral that is first deferred and later filed has two.
    NIEM: ``j:ChargeFiling`` and the prosecution-decision augmentations of
    ``j:Charge``.
    """

    ENTITY_TYPE = "prosecution_decision"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["prosecution_decision"] = Field(
        default="prosecution_decision", description="Always 'prosecution_decision'.", json_schema_extra=sensitivity("public")
    )
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    person_id: RecordId = Field(description="Id of the Person record of the person the decision is about.", json_schema_extra=sensitivity("internal"))
    arrest_id: RecordId | None = optional(
        "Id of the Arrest that was referred, when the referral came from an arrest.", "internal",
    )
    charge_ids: tuple[RecordId, ...] = Field(
        default=(), description="Ids of the Charge records the decision covers (referred or filed charges).",
        json_schema_extra=sensitivity("internal"),
    )
    agency_id: RecordId | None = optional("Id of the Agency record of the prosecutor's office.", "internal")
    decision: ProsecutionDecisionType = Field(
        description="The decision: referred, filed, declined, deferred, diverted...", json_schema_extra=sensitivity("public")
    )
    decision_raw: RawText | None = optional("Decision as the source wrote it.", "internal")
    decision_date: Date = Field(description="Date of the decision.", json_schema_extra=sensitivity("public"))
    reason: ProsecutionReason | None = optional("Why: the reason for declining, deferring or diverting.", "public")
    reason_raw: RawText | None = optional("Reason as the source wrote it.", "internal")
    notes: Text | None = optional("The prosecutor's free-text note on the decision.", "sensitive")
    court_case_number: SourceKey | None = tracking_number("court_case_number", added=None)
    state_id: PersonKey | None = tracking_number("state_id", added=None)
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number", added=None)
    arrest_transaction_number: SourceKey | None = tracking_number("arrest_transaction_number", added=None)
