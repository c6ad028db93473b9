"""The Charge entity: one offense a person is accused of, at arrest, booking or in court."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalRecord, sensitivity, since
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
    arrest_id: RecordId | None = Field(default=None, description="Id of the Arrest at which the charge was laid.", json_schema_extra=sensitivity("internal"))
    booking_id: RecordId | None = Field(default=None, description="Id of the Booking the charge was booked on.", json_schema_extra=sensitivity("internal"))
    court_case_number: SourceKey | None = Field(
        default=None, description="Court case (docket) number the charge was filed under.",
        json_schema_extra=sensitivity("internal"),
    )
    charge_sequence: Annotated[int, Strict(), Field(ge=1, le=999)] | None = Field(
        default=None, description="Sequence number of the charge within its arrest, booking or case.",
        json_schema_extra=sensitivity("public"),
    )
    statute_code: SourceKey | None = Field(
        default=None, description="Statute or ordinance citation, e.g. '76-6-404' (NIEM j:StatuteCodeSectionIdentification).",
        json_schema_extra=sensitivity("public"),
    )
    statute_jurisdiction: StateCode | None = Field(
        default=None, description="Jurisdiction of the statute: state abbreviation, or 'US' for federal law.",
        json_schema_extra=sensitivity("public"),
    )
    description: Text | None = Field(default=None, description="Offense description as charged.", json_schema_extra=sensitivity("internal"))
    ucr_offense_code: UcrOffenseCode | None = Field(
        default=None, description="UCR offense code the charge classifies to (NIBRS DE 6/45).",
        json_schema_extra=sensitivity("public"),
    )
    ucr_offense_code_raw: RawText | None = Field(default=None, description="UCR code as the source wrote it.", json_schema_extra=sensitivity("internal"))
    ncic_code: NcicCode | None = Field(default=None, description="NCIC offense code (four digits).", json_schema_extra=sensitivity("public"))
    severity: ChargeSeverity | None = Field(default=None, description="Felony, misdemeanor or infraction.", json_schema_extra=sensitivity("public"))
    severity_raw: RawText | None = Field(default=None, description="Severity as the source wrote it, e.g. 'F3' or 'MA'.", json_schema_extra=sensitivity("internal"))
    counts: Count | None = Field(default=None, description="Number of counts of this charge.", json_schema_extra=sensitivity("public"))
    offense_date: Date | None = Field(default=None, description="Date the charged offense was committed.", json_schema_extra=sensitivity("public"))
    filed_date: Date | None = Field(default=None, description="Date the charge was filed (NIEM j:ChargeFilingDate).", json_schema_extra=sensitivity("public"))
    domestic_violence: Flag | None = Field(default=None, description="True when the charge involves domestic violence.", json_schema_extra=sensitivity("sensitive"))
    court_name: ShortText | None = Field(default=None, description="Court where the charge was filed.", json_schema_extra=sensitivity("public"))
    # --- added in schema 1.1 ---
    severity_degree: ChargeDegree | None = Field(
        default=None,
        description=(
            "Degree or class of the offense within its severity, e.g. '3' with severity FELONY for a third-degree "
            "felony or 'A' with MISDEMEANOR for a class A misdemeanor (NIEM j:ChargeDegreeText)."
        ),
        json_schema_extra=since("1.1") | sensitivity("public"),
    )
    severity_degree_raw: RawText | None = Field(
        default=None, description="Degree or class as the source wrote it, e.g. 'F3' or 'MA'.", json_schema_extra=since("1.1") | sensitivity("internal")
    )
    # --- added in schema 1.2 ---
    state_id: PersonKey | None = tracking_number("state_id")
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number")
    arrest_transaction_number: SourceKey | None = tracking_number("arrest_transaction_number")
    booking_number: SourceKey | None = tracking_number("booking_number")
