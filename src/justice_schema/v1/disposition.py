"""The Disposition entity: how a charge ended in court, and the sentence if any."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalRecord, NonEmptyModel, sensitivity, since
from justice_schema.v1._types import (
    Date,
    Flag,
    Money,
    NonNegativeInt,
    PersonKey,
    RecordId,
    ShortText,
    SourceKey,
)
from justice_schema.v1.codes import ChargeDegree, ChargeSeverity, ConfinementType, DispositionType, Plea
from justice_schema.v1.common import RawText, tracking_number

__all__ = ["Disposition", "Sentence"]


class Sentence(NonEmptyModel):
    """The sentence imposed on a conviction. Lengths are in days; amounts in currency units.

    A determinate term sets ``confinement_days``; an indeterminate one sets
    ``confinement_min_days`` and ``confinement_max_days``. NIEM: ``j:Sentence``
    with ``j:Term``.
    """

    imposed_date: Date | None = Field(default=None, description="Date the sentence was imposed.", json_schema_extra=sensitivity("public"))
    confinement_type: ConfinementType | None = Field(default=None, description="Jail, prison or other confinement.", json_schema_extra=sensitivity("public"))
    confinement_type_raw: RawText | None = Field(default=None, description="Confinement type as the source wrote it.", json_schema_extra=sensitivity("internal"))
    confinement_days: NonNegativeInt | None = Field(default=None, description="Determinate confinement term in days.", json_schema_extra=sensitivity("public"))
    confinement_min_days: NonNegativeInt | None = Field(default=None, description="Minimum of an indeterminate term, in days.", json_schema_extra=sensitivity("public"))
    confinement_max_days: NonNegativeInt | None = Field(default=None, description="Maximum of an indeterminate term, in days.", json_schema_extra=sensitivity("public"))
    suspended_days: NonNegativeInt | None = Field(default=None, description="Days of the confinement term suspended.", json_schema_extra=sensitivity("public"))
    credit_days: NonNegativeInt | None = Field(default=None, description="Days of credit for time already served.", json_schema_extra=sensitivity("public"))
    probation_days: NonNegativeInt | None = Field(default=None, description="Term of probation in days.", json_schema_extra=sensitivity("public"))
    life: Flag | None = Field(default=None, description="True for a life sentence.", json_schema_extra=sensitivity("public"))
    death: Flag | None = Field(default=None, description="True for a death sentence.", json_schema_extra=sensitivity("public"))
    fine_amount: Money | None = Field(default=None, description="Fine imposed.", json_schema_extra=sensitivity("public"))
    restitution_amount: Money | None = Field(default=None, description="Restitution ordered.", json_schema_extra=sensitivity("public"))
    community_service_hours: NonNegativeInt | None = Field(default=None, description="Hours of community service.", json_schema_extra=sensitivity("public"))
    raw: RawText | None = Field(default=None, description="The sentence exactly as the source wrote it, e.g. '2Y6M'.", json_schema_extra=sensitivity("internal"))


class Disposition(CanonicalRecord):
    """The court's disposition of one charge: plea, outcome and sentence.

    NIEM: ``j:ChargeDisposition`` (an ``nc:Disposition``) with ``j:ChargePlea``
    and ``j:ChargeSentence``.
    """

    ENTITY_TYPE = "disposition"

    entity_type: Literal["disposition"] = Field(default="disposition", description="Always 'disposition'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.0", "1.1", "1.2"] = Field(default="1.0", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    charge_id: RecordId = Field(description="Id of the Charge this disposes of.", json_schema_extra=sensitivity("internal"))
    court_case_number: SourceKey | None = Field(default=None, description="Court case (docket) number.", json_schema_extra=sensitivity("internal"))
    court_name: ShortText | None = Field(default=None, description="Court that disposed of the charge.", json_schema_extra=sensitivity("public"))
    disposition_date: Date = Field(description="Date of the disposition.", json_schema_extra=sensitivity("public"))
    disposition_type: DispositionType = Field(description="Outcome of the charge.", json_schema_extra=sensitivity("public"))
    disposition_type_raw: RawText | None = Field(default=None, description="Outcome as the source wrote it.", json_schema_extra=sensitivity("internal"))
    plea: Plea | None = Field(default=None, description="Plea entered on the charge.", json_schema_extra=sensitivity("public"))
    plea_raw: RawText | None = Field(default=None, description="Plea as the source wrote it.", json_schema_extra=sensitivity("internal"))
    disposed_statute_code: SourceKey | None = Field(
        default=None, description="Statute of conviction when it differs from the charge (amended or reduced).",
        json_schema_extra=sensitivity("public"),
    )
    disposed_severity: ChargeSeverity | None = Field(
        default=None, description="Severity of the offense of conviction.",
        json_schema_extra=sensitivity("public"),
    )
    disposed_severity_raw: RawText | None = Field(default=None, description="Severity as the source wrote it.", json_schema_extra=sensitivity("internal"))
    sentence: Sentence | None = Field(default=None, description="Sentence imposed, if any.", json_schema_extra=sensitivity("internal"))
    # --- added in schema 1.1 ---
    disposed_severity_degree: ChargeDegree | None = Field(
        default=None,
        description="Degree or class of the offense of conviction within its severity (see Charge.severity_degree).",
        json_schema_extra=since("1.1") | sensitivity("public"),
    )
    disposed_severity_degree_raw: RawText | None = Field(
        default=None, description="Degree or class of conviction as the source wrote it.", json_schema_extra=since("1.1") | sensitivity("internal")
    )
    # --- added in schema 1.2 ---
    state_id: PersonKey | None = tracking_number("state_id")
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number")
    arrest_transaction_number: SourceKey | None = tracking_number("arrest_transaction_number")
