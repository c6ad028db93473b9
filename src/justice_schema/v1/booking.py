"""The Booking entity: one jail stay, from admission to release."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalRecord, sensitivity, since
from justice_schema.v1._types import Instant, Ori, PersonKey, RecordId, ShortText, SourceKey
from justice_schema.v1.codes import CustodyLevel, HousingType, ReleaseReason
from justice_schema.v1.common import RawText, tracking_number

__all__ = ["Booking"]


class Booking(CanonicalRecord):
    """A person's stay in a jail, from booking to release.

    The charges booked on are :class:`~justice_schema.v1.Charge` records whose
    ``booking_id`` points here. NIEM: ``j:Booking`` with ``j:BookingRelease``.
    """

    ENTITY_TYPE = "booking"

    entity_type: Literal["booking"] = Field(default="booking", description="Always 'booking'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.0", "1.1", "1.2"] = Field(default="1.0", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    person_id: RecordId = Field(description="Id of the booked person's Person record.", json_schema_extra=sensitivity("internal"))
    arrest_id: RecordId | None = Field(default=None, description="Id of the Arrest that led to the booking.", json_schema_extra=sensitivity("internal"))
    booking_number: SourceKey = Field(description="The jail's booking number.", json_schema_extra=sensitivity("internal"))
    facility_name: ShortText | None = Field(default=None, description="Name of the detention facility.", json_schema_extra=sensitivity("public"))
    facility_ori: Ori | None = Field(default=None, description="ORI of the detention facility.", json_schema_extra=sensitivity("public"))
    booked_at: Instant = Field(description="Instant of admission (booking).", json_schema_extra=sensitivity("public"))
    released_at: Instant | None = Field(default=None, description="Instant of release; empty while in custody.", json_schema_extra=sensitivity("public"))
    release_reason: ReleaseReason | None = Field(default=None, description="Why the person was released.", json_schema_extra=sensitivity("public"))
    release_reason_raw: RawText | None = Field(default=None, description="Release reason as the source wrote it.", json_schema_extra=sensitivity("internal"))
    # --- added in schema 1.1 ---
    housing_unit: ShortText | None = Field(
        default=None,
        description="Housing unit, pod, cell or bed the person is assigned to, as the jail names it (NIEM j:SupervisionCellIdentification).",
        json_schema_extra=since("1.1") | sensitivity("internal"),
    )
    housing_type: HousingType | None = Field(
        default=None, description="Kind of housing assignment: general population, protective custody, segregation...",
        json_schema_extra=since("1.1") | sensitivity("sensitive"),
    )
    housing_type_raw: RawText | None = Field(
        default=None, description="Housing type as the source wrote it.", json_schema_extra=since("1.1") | sensitivity("sensitive")
    )
    custody_level: CustodyLevel | None = Field(
        default=None, description="Custody (security) classification level (NIEM j:SubjectSecurityClassification).",
        json_schema_extra=since("1.1") | sensitivity("internal"),
    )
    custody_level_raw: RawText | None = Field(
        default=None, description="Custody level as the source wrote it.", json_schema_extra=since("1.1") | sensitivity("internal")
    )
    # --- added in schema 1.2 ---
    facility_id: RecordId | None = Field(
        default=None, description="Id of the Facility record of the detention facility.",
        json_schema_extra=since("1.2") | sensitivity("internal"),
    )
    state_id: PersonKey | None = tracking_number("state_id")
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number")
    arrest_transaction_number: SourceKey | None = tracking_number("arrest_transaction_number")
