"""The Booking entity: one jail stay, from admission to release."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalRecord, optional, sensitivity
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
    arrest_id: RecordId | None = optional("Id of the Arrest that led to the booking.", "internal")
    booking_number: SourceKey = Field(description="The jail's booking number.", json_schema_extra=sensitivity("internal"))
    facility_name: ShortText | None = optional("Name of the detention facility.", "public")
    facility_ori: Ori | None = optional("ORI of the detention facility.", "public")
    booked_at: Instant = Field(description="Instant of admission (booking).", json_schema_extra=sensitivity("public"))
    released_at: Instant | None = optional("Instant of release; empty while in custody.", "public")
    release_reason: ReleaseReason | None = optional("Why the person was released.", "public")
    release_reason_raw: RawText | None = optional("Release reason as the source wrote it.", "internal")
    # --- added in schema 1.1 ---
    housing_unit: ShortText | None = optional(
        "Housing unit, pod, cell or bed the person is assigned to, as the jail names it (NIEM j:SupervisionCellIdentification).",
        "internal", added="1.1",
    )
    housing_type: HousingType | None = optional(
        "Kind of housing assignment: general population, protective custody, segregation...", "sensitive", added="1.1",
    )
    housing_type_raw: RawText | None = optional("Housing type as the source wrote it.", "sensitive", added="1.1")
    custody_level: CustodyLevel | None = optional(
        "Custody (security) classification level (NIEM j:SubjectSecurityClassification).", "internal", added="1.1",
    )
    custody_level_raw: RawText | None = optional("Custody level as the source wrote it.", "internal", added="1.1")
    # --- added in schema 1.2 ---
    facility_id: RecordId | None = optional(
        "Id of the Facility record of the detention facility.", "internal", added="1.2",
    )
    state_id: PersonKey | None = tracking_number("state_id")
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number")
    arrest_transaction_number: SourceKey | None = tracking_number("arrest_transaction_number")
