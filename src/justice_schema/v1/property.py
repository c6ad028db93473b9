"""The Property entity: property lost, recovered or seized in a NIBRS Group A incident (a level-3 property segment)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalModel, CanonicalRecord, optional, sensitivity
from justice_schema.v1._types import Date, RecordId
from justice_schema.v1.codes import DrugMeasure, PropertyDescription, PropertyLossType, SuspectedDrugType
from justice_schema.v1.common import RawText

__all__ = ["Property", "PropertyItem", "DrugSeizure"]

#: A value in whole currency units (NIBRS DE 16: up to nine digits).
WholeAmount = Annotated[int, Strict(), Field(ge=0, le=999_999_999)]
#: A drug quantity (NIBRS DE 21: nine digits and three decimals).
Quantity = Annotated[float, Strict(), Field(ge=0, le=999_999_999.999)]
#: A count of motor vehicles (NIBRS DE 18/19: two digits).
VehicleCount = Annotated[int, Strict(), Field(ge=0, le=99)]


class PropertyItem(CanonicalModel):
    """One kind of property of a loss: its description, value and recovery date (NIBRS DE 15, 16, 17)."""

    description: PropertyDescription = Field(
        description="Property description (NIBRS DE 15).", json_schema_extra=sensitivity("public")
    )
    description_raw: RawText | None = optional("Property description as the source wrote it.", "internal")
    value: WholeAmount | None = optional(
        "Value of the property in whole currency units, dollars in the US (NIBRS DE 16).", "public",
    )
    recovered_date: Date | None = optional("Date the property was recovered (NIBRS DE 17).", "public")


class DrugSeizure(CanonicalModel):
    """One suspected drug seized: its type and estimated quantity (NIBRS DE 20, 21, 22)."""

    drug_type: SuspectedDrugType = Field(description="Suspected drug type (NIBRS DE 20).", json_schema_extra=sensitivity("public"))
    drug_type_raw: RawText | None = optional("Drug type as the source wrote it.", "internal")
    quantity: Quantity | None = optional("Estimated drug quantity (NIBRS DE 21).", "public")
    measure: DrugMeasure | None = optional("Type of drug measurement (NIBRS DE 22).", "public")
    measure_raw: RawText | None = optional("Measurement as the source wrote it.", "internal")


class Property(CanonicalRecord):
    """Property of one loss type in an incident: stolen, recovered, seized, burned... (NIBRS level-3 segment).

    One record per incident and loss type, as NIBRS has one property segment
    per type of loss. NIEM: ``nc:Item`` with ``nc:ItemStatus`` and
    ``nc:Substance``.
    """

    ENTITY_TYPE = "property"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["property"] = Field(default="property", description="Always 'property'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    incident_id: RecordId = Field(description="Id of the Incident the property belongs to.", json_schema_extra=sensitivity("internal"))
    loss_type: PropertyLossType | None = optional("Type of property loss/etc. (NIBRS DE 14).", "public")
    loss_type_raw: RawText | None = optional("Loss type as the source wrote it.", "internal")
    descriptions: tuple[PropertyItem, ...] = Field(
        default=(), max_length=10,
        description="The property, one entry per description with its value and recovery date (NIBRS DE 15-17), up to ten.",
        json_schema_extra=sensitivity("internal"),
    )
    stolen_vehicle_count: VehicleCount | None = optional("Number of stolen motor vehicles (NIBRS DE 18).", "public")
    recovered_vehicle_count: VehicleCount | None = optional(
        "Number of recovered motor vehicles (NIBRS DE 19).", "public",
    )
    drugs: tuple[DrugSeizure, ...] = Field(
        default=(), max_length=3,
        description="Suspected drugs with estimated quantity and measure (NIBRS DE 20-22), up to three.",
        json_schema_extra=sensitivity("internal"),
    )
