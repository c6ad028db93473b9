"""The Charge entity: one offense a person is accused of, at arrest, booking or in court."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalRecord, optional, sensitivity
from justice_schema.v1._types import (
    Count,
    Date,
    Flag,
    NcicCode,
    PersonKey,
    RecordId,
    ShortText,
    SourceKey,
    StateCode,
    Text,
)
from justice_schema.v1.codes import ChargeDegree, ChargeSeverity, UcrOffenseCode
from justice_schema.v1.common import RawText, tracking_number

__all__ = ["Charge"]


class Charge(CanonicalRecord):
    """One charge against one person: the statute, its severity and its UCR classification.

    A charge is laid at arrest (``arrest_id``), at booking (``booking_id``), or
    filed by a prosecutor in court (``court_case_number``); its outcome is a
    :class:`~justice_schema.v1.Disposition` that points back to it.
    NIEM: ``j:Charge`` with ``j:ChargeStatute``.
    """

    ENTITY_TYPE = "charge"

    entity_type: Literal["charge"] = Field(default="charge", description="Always 'charge'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.0", "1.1", "1.2"] = Field(default="1.0", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    person_id: RecordId = Field(description="Id of the charged person's Person record.", json_schema_extra=sensitivity("internal"))
    arrest_id: RecordId | None = optional("Id of the Arrest at which the charge was laid.", "internal")
    booking_id: RecordId | None = optional("Id of the Booking the charge was booked on.", "internal")
    court_case_number: SourceKey | None = optional("Court case (docket) number the charge was filed under.", "internal")
    charge_sequence: Annotated[int, Strict(), Field(ge=1, le=999)] | None = optional(
        "Sequence number of the charge within its arrest, booking or case.", "public",
    )
    statute_code: SourceKey | None = optional(
        "Statute or ordinance citation, e.g. '76-6-404' (NIEM j:StatuteCodeSectionIdentification).", "public",
    )
    statute_jurisdiction: StateCode | None = optional(
        "Jurisdiction of the statute: state abbreviation, or 'US' for federal law.", "public",
    )
    description: Text | None = optional("Offense description as charged.", "internal")
    ucr_offense_code: UcrOffenseCode | None = optional(
        "UCR offense code the charge classifies to (NIBRS DE 6/45).", "public",
    )
    ucr_offense_code_raw: RawText | None = optional("UCR code as the source wrote it.", "internal")
    ncic_code: NcicCode | None = optional("NCIC offense code (four digits).", "public")
    severity: ChargeSeverity | None = optional("Felony, misdemeanor or infraction.", "public")
    severity_raw: RawText | None = optional("Severity as the source wrote it, e.g. 'F3' or 'MA'.", "internal")
    counts: Count | None = optional("Number of counts of this charge.", "public")
    offense_date: Date | None = optional("Date the charged offense was committed.", "public")
    filed_date: Date | None = optional("Date the charge was filed (NIEM j:ChargeFilingDate).", "public")
    domestic_violence: Flag | None = optional("True when the charge involves domestic violence.", "sensitive")
    court_name: ShortText | None = optional("Court where the charge was filed.", "public")
    # --- added in schema 1.1 ---
    severity_degree: ChargeDegree | None = optional(
        "Degree or class of the offense within its severity, e.g. '3' with severity FELONY for a third-degree "
        "felony or 'A' with MISDEMEANOR for a class A misdemeanor (NIEM j:ChargeDegreeText).",
        "public", added="1.1",
    )
    severity_degree_raw: RawText | None = optional(
        "Degree or class as the source wrote it, e.g. 'F3' or 'MA'.", "internal", added="1.1",
    )
    # --- added in schema 1.2 ---
    state_id: PersonKey | None = tracking_number("state_id")
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number")
    arrest_transaction_number: SourceKey | None = tracking_number("arrest_transaction_number")
    booking_number: SourceKey | None = tracking_number("booking_number")
