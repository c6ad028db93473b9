"""The CustodyPeriod entity: one period in jail or prison custody serving (or awaiting) a sentence."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalRecord, optional, sensitivity
from justice_schema.v1._types import Date, PersonKey, RecordId, SourceKey
from justice_schema.v1.codes import CustodyAdmissionType, CustodyReleaseType
from justice_schema.v1.common import RawText, tracking_number

__all__ = ["CustodyPeriod"]


class CustodyPeriod(CanonicalRecord):
    """A period of custody in a prison or jail, from admission to release, and the sentence it serves.

    Bookings (:class:`~justice_schema.v1.Booking`) are jail stays from arrest;
    a custody period is the corrections view: admission type and date, release
    type and date, the facility, and the :class:`~justice_schema.v1.Disposition`
    whose sentence it serves. A transfer between facilities ends one period and
    starts the next. NIEM: ``j:Commitment`` / ``j:Detention`` with
    ``j:SupervisionRelease``; Recidiviz ``StateIncarcerationPeriod``.
    """

    ENTITY_TYPE = "custody_period"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["custody_period"] = Field(
        default="custody_period", description="Always 'custody_period'.", json_schema_extra=sensitivity("public")
    )
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    person_id: RecordId = Field(description="Id of the Person record of the person in custody.", json_schema_extra=sensitivity("internal"))
    disposition_id: RecordId | None = optional("Id of the Disposition whose sentence the custody serves.", "internal")
    booking_id: RecordId | None = optional(
        "Id of the Booking the custody continues, for jail custody after booking.", "internal",
    )
    facility_id: RecordId | None = optional("Id of the Facility record of the prison or jail.", "internal")
    inmate_number: SourceKey | None = optional(
        "The corrections agency's number for the person (DOC or inmate number).", "personal",
    )
    admission_type: CustodyAdmissionType | None = optional(
        "Why the person was admitted: new commitment, revocation, transfer...", "public",
    )
    admission_type_raw: RawText | None = optional("Admission type as the source wrote it.", "internal")
    admission_date: Date = Field(description="Date of admission to custody.", json_schema_extra=sensitivity("public"))
    release_type: CustodyReleaseType | None = optional(
        "How the person left custody: expiration, parole, transfer...", "public",
    )
    release_type_raw: RawText | None = optional("Release type as the source wrote it.", "internal")
    release_date: Date | None = optional("Date of release; empty while in custody.", "public")
    projected_release_date: Date | None = optional("Projected release date as of extraction.", "internal")
    state_id: PersonKey | None = tracking_number("state_id", added=None)
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number", added=None)
    court_case_number: SourceKey | None = tracking_number("court_case_number", added=None)
    booking_number: SourceKey | None = tracking_number("booking_number", added=None)
