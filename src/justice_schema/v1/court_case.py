"""The CourtCase entity: one court case (docket) against one defendant."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalRecord, optional, sensitivity
from justice_schema.v1._types import Date, PersonKey, RecordId, SourceKey
from justice_schema.v1.codes import CourtCaseStatus, CourtCaseType
from justice_schema.v1.common import RawText, tracking_number

__all__ = ["CourtCase"]


class CourtCase(CanonicalRecord):
    """A court case (docket) against one defendant, from filing to disposition.

    The stage between arrest and disposition: the :class:`~justice_schema.v1.Charge`
    records filed in the case are listed by id, and their
    :class:`~justice_schema.v1.Disposition` records give the outcome, so the
    attrition from arrest to court can be measured. A docket with several
    defendants is one CourtCase record per defendant, sharing the court case
    number. NIEM: ``j:CourtCase`` (an ``nc:Case``) with ``nc:CaseDocketID``.
    """

    ENTITY_TYPE = "court_case"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["court_case"] = Field(default="court_case", description="Always 'court_case'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    court_case_number: SourceKey = tracking_number("court_case_number", added=None, required=True)
    court_id: RecordId | None = optional("Id of the Court record of the court hearing the case.", "internal")
    person_id: RecordId = Field(description="Id of the defendant's Person record.", json_schema_extra=sensitivity("internal"))
    filing_date: Date | None = optional(
        "Date the case was filed in court (NIEM nc:CaseFiling / nc:DocumentFiledDate).", "public",
    )
    case_type: CourtCaseType | None = optional(
        "Kind of case: felony, misdemeanor, juvenile... (NIEM nc:CaseCategoryText).", "public",
    )
    case_type_raw: RawText | None = optional("Case type as the source wrote it.", "internal")
    case_status: CourtCaseStatus | None = optional(
        "Status of the case as of extraction (NIEM nc:CaseStatus).", "public",
    )
    case_status_raw: RawText | None = optional("Case status as the source wrote it.", "internal")
    disposition_date: Date | None = optional(
        "Date the last charge of the case was disposed (the case's disposition date).", "public",
    )
    charge_ids: tuple[RecordId, ...] = Field(
        default=(), description="Ids of the Charge records filed in the case.", json_schema_extra=sensitivity("internal")
    )
    state_id: PersonKey | None = tracking_number("state_id", added=None)
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number", added=None)
    arrest_transaction_number: SourceKey | None = tracking_number("arrest_transaction_number", added=None)
