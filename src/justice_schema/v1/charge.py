"""The Charge entity: one offense a person is accused of, at arrest, booking or in court."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalRecord, since
from justice_schema.v1._types import (
    Count,
    Date,
    Flag,
    NcicCode,
    RecordId,
    ShortText,
    SourceKey,
    StateCode,
    Text,
)
from justice_schema.v1.codes import ChargeDegree, ChargeSeverity, UcrOffenseCode
from justice_schema.v1.common import RawText

__all__ = ["Charge"]


class Charge(CanonicalRecord):
    """One charge against one person: the statute, its severity and its UCR classification.

    A charge is laid at arrest (``arrest_id``), at booking (``booking_id``), or
    filed by a prosecutor in court (``court_case_number``); its outcome is a
    :class:`~justice_schema.v1.Disposition` that points back to it.
    NIEM: ``j:Charge`` with ``j:ChargeStatute``.
    """

    ENTITY_TYPE = "charge"

    entity_type: Literal["charge"] = Field(default="charge", description="Always 'charge'.")
    schema_version: Literal["1.0", "1.1"] = Field(default="1.0", description="Schema version of this record.")
    person_id: RecordId = Field(description="Id of the charged person's Person record.")
    arrest_id: RecordId | None = Field(default=None, description="Id of the Arrest at which the charge was laid.")
    booking_id: RecordId | None = Field(default=None, description="Id of the Booking the charge was booked on.")
    court_case_number: SourceKey | None = Field(
        default=None, description="Court case (docket) number the charge was filed under."
    )
    charge_sequence: Annotated[int, Strict(), Field(ge=1, le=999)] | None = Field(
        default=None, description="Sequence number of the charge within its arrest, booking or case."
    )
    statute_code: SourceKey | None = Field(
        default=None, description="Statute or ordinance citation, e.g. '76-6-404' (NIEM j:StatuteCodeSectionIdentification)."
    )
    statute_jurisdiction: StateCode | None = Field(
        default=None, description="Jurisdiction of the statute: state abbreviation, or 'US' for federal law."
    )
    description: Text | None = Field(default=None, description="Offense description as charged.")
    ucr_offense_code: UcrOffenseCode | None = Field(
        default=None, description="UCR offense code the charge classifies to (NIBRS DE 6/45)."
    )
    ucr_offense_code_raw: RawText | None = Field(default=None, description="UCR code as the source wrote it.")
    ncic_code: NcicCode | None = Field(default=None, description="NCIC offense code (four digits).")
    severity: ChargeSeverity | None = Field(default=None, description="Felony, misdemeanor or infraction.")
    severity_raw: RawText | None = Field(default=None, description="Severity as the source wrote it, e.g. 'F3' or 'MA'.")
    counts: Count | None = Field(default=None, description="Number of counts of this charge.")
    offense_date: Date | None = Field(default=None, description="Date the charged offense was committed.")
    filed_date: Date | None = Field(default=None, description="Date the charge was filed (NIEM j:ChargeFilingDate).")
    domestic_violence: Flag | None = Field(default=None, description="True when the charge involves domestic violence.")
    court_name: ShortText | None = Field(default=None, description="Court where the charge was filed.")
    # --- added in schema 1.1 ---
    severity_degree: ChargeDegree | None = Field(
        default=None,
        description=(
            "Degree or class of the offense within its severity, e.g. '3' with severity FELONY for a third-degree "
            "felony or 'A' with MISDEMEANOR for a class A misdemeanor (NIEM j:ChargeDegreeText)."
        ),
        json_schema_extra=since("1.1"),
    )
    severity_degree_raw: RawText | None = Field(
        default=None, description="Degree or class as the source wrote it, e.g. 'F3' or 'MA'.", json_schema_extra=since("1.1")
    )
