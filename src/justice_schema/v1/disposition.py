"""The Disposition entity: how a charge ended in court, and the sentence if any."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from justice_schema.v1._base import CanonicalRecord, NonEmptyModel, optional, sensitivity
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

    imposed_date: Date | None = optional("Date the sentence was imposed.", "public")
    confinement_type: ConfinementType | None = optional("Jail, prison or other confinement.", "public")
    confinement_type_raw: RawText | None = optional("Confinement type as the source wrote it.", "internal")
    confinement_days: NonNegativeInt | None = optional("Determinate confinement term in days.", "public")
    confinement_min_days: NonNegativeInt | None = optional("Minimum of an indeterminate term, in days.", "public")
    confinement_max_days: NonNegativeInt | None = optional("Maximum of an indeterminate term, in days.", "public")
    suspended_days: NonNegativeInt | None = optional("Days of the confinement term suspended.", "public")
    credit_days: NonNegativeInt | None = optional("Days of credit for time already served.", "public")
    probation_days: NonNegativeInt | None = optional("Term of probation in days.", "public")
    life: Flag | None = optional("True for a life sentence.", "public")
    death: Flag | None = optional("True for a death sentence.", "public")
    fine_amount: Money | None = optional("Fine imposed.", "public")
    restitution_amount: Money | None = optional("Restitution ordered.", "public")
    community_service_hours: NonNegativeInt | None = optional("Hours of community service.", "public")
    raw: RawText | None = optional("The sentence exactly as the source wrote it, e.g. '2Y6M'.", "internal")


class Disposition(CanonicalRecord):
    """The court's disposition of one charge: plea, outcome and sentence.

    NIEM: ``j:ChargeDisposition`` (an ``nc:Disposition``) with ``j:ChargePlea``
    and ``j:ChargeSentence``.
    """

    ENTITY_TYPE = "disposition"

    entity_type: Literal["disposition"] = Field(default="disposition", description="Always 'disposition'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.0", "1.1", "1.2"] = Field(default="1.0", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    charge_id: RecordId = Field(description="Id of the Charge this disposes of.", json_schema_extra=sensitivity("internal"))
    court_case_number: SourceKey | None = optional("Court case (docket) number.", "internal")
    court_name: ShortText | None = optional("Court that disposed of the charge.", "public")
    disposition_date: Date = Field(description="Date of the disposition.", json_schema_extra=sensitivity("public"))
    disposition_type: DispositionType = Field(description="Outcome of the charge.", json_schema_extra=sensitivity("public"))
    disposition_type_raw: RawText | None = optional("Outcome as the source wrote it.", "internal")
    plea: Plea | None = optional("Plea entered on the charge.", "public")
    plea_raw: RawText | None = optional("Plea as the source wrote it.", "internal")
    disposed_statute_code: SourceKey | None = optional(
        "Statute of conviction when it differs from the charge (amended or reduced).", "public",
    )
    disposed_severity: ChargeSeverity | None = optional("Severity of the offense of conviction.", "public")
    disposed_severity_raw: RawText | None = optional("Severity as the source wrote it.", "internal")
    sentence: Sentence | None = optional("Sentence imposed, if any.", "internal")
    # --- added in schema 1.1 ---
    disposed_severity_degree: ChargeDegree | None = optional(
        "Degree or class of the offense of conviction within its severity (see Charge.severity_degree).",
        "public", added="1.1",
    )
    disposed_severity_degree_raw: RawText | None = optional(
        "Degree or class of conviction as the source wrote it.", "internal", added="1.1",
    )
    # --- added in schema 1.2 ---
    state_id: PersonKey | None = tracking_number("state_id")
    offense_tracking_number: SourceKey | None = tracking_number("offense_tracking_number")
    arrest_transaction_number: SourceKey | None = tracking_number("arrest_transaction_number")
