"""The Booking entity: one jail stay, from admission to release."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalRecord, since
from justice_schema.v1._types import Instant, Ori, RecordId, ShortText, SourceKey
from justice_schema.v1.codes import CustodyLevel, HousingType, ReleaseReason
from justice_schema.v1.common import RawText

__all__ = ["Booking"]


class Booking(CanonicalRecord):
    """A person's stay in a jail, from booking to release.

    The charges booked on are :class:`~justice_schema.v1.Charge` records whose
    ``booking_id`` points here. NIEM: ``j:Booking`` with ``j:BookingRelease``.
    """

    ENTITY_TYPE = "booking"

    entity_type: Literal["booking"] = Field(default="booking", description="Always 'booking'.")
    schema_version: Literal["1.0", "1.1"] = Field(default="1.0", description="Schema version of this record.")
    person_id: RecordId = Field(description="Id of the booked person's Person record.")
    arrest_id: RecordId | None = Field(default=None, description="Id of the Arrest that led to the booking.")
    booking_number: SourceKey = Field(description="The jail's booking number.")
    facility_name: ShortText | None = Field(default=None, description="Name of the detention facility.")
    facility_ori: Ori | None = Field(default=None, description="ORI of the detention facility.")
    booked_at: Instant = Field(description="Instant of admission (booking).")
    released_at: Instant | None = Field(default=None, description="Instant of release; empty while in custody.")
    release_reason: ReleaseReason | None = Field(default=None, description="Why the person was released.")
    release_reason_raw: RawText | None = Field(default=None, description="Release reason as the source wrote it.")
    # --- added in schema 1.1 ---
    housing_unit: ShortText | None = Field(
        default=None,
        description="Housing unit, pod, cell or bed the person is assigned to, as the jail names it (NIEM j:SupervisionCellIdentification).",
        json_schema_extra=since("1.1"),
    )
    housing_type: HousingType | None = Field(
        default=None, description="Kind of housing assignment: general population, protective custody, segregation...",
        json_schema_extra=since("1.1"),
    )
    housing_type_raw: RawText | None = Field(
        default=None, description="Housing type as the source wrote it.", json_schema_extra=since("1.1")
    )
    custody_level: CustodyLevel | None = Field(
        default=None, description="Custody (security) classification level (NIEM j:SubjectSecurityClassification).",
        json_schema_extra=since("1.1"),
    )
    custody_level_raw: RawText | None = Field(
        default=None, description="Custody level as the source wrote it.", json_schema_extra=since("1.1")
    )
