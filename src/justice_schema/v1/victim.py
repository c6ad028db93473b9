"""The Victim entity: one victim of a NIBRS Group A incident (a level-4 victim segment)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalModel, CanonicalRecord, sensitivity
from justice_schema.v1._types import Ori, RecordId
from justice_schema.v1.codes import (
    AssaultHomicideCircumstance,
    Ethnicity,
    InjuryType,
    JustifiableHomicideCircumstance,
    OfficerActivity,
    OfficerAssignment,
    Race,
    ResidentStatus,
    Sex,
    UcrOffenseCode,
    VictimOffenderRelationship,
    VictimType,
)
from justice_schema.v1.common import Age, RawText

__all__ = ["Victim", "VictimRelationship"]

#: An offender sequence number (NIBRS DE 34/36): 01-99, or 00 for an unknown offender.
OffenderSequence = Annotated[int, Strict(), Field(ge=0, le=99)]


class VictimRelationship(CanonicalModel):
    """The victim's relationship to one offender (NIBRS DE 34 offender number, DE 35 relationship).

    NIEM: ``j:SubjectVictimAssociation`` with ``nibrs:VictimToSubjectRelationshipCode``.
    """

    offender_sequence_number: OffenderSequence = Field(
        description="Sequence number of the offender the relationship is to (NIBRS DE 34; 00 = unknown offender).",
        json_schema_extra=sensitivity("internal"),
    )
    relationship: VictimOffenderRelationship | None = Field(
        default=None, description="Relationship of the victim to that offender (NIBRS DE 35): who the victim was to the offender.",
        json_schema_extra=sensitivity("sensitive"),
    )
    relationship_raw: RawText | None = Field(
        default=None, description="Relationship as the source wrote it.", json_schema_extra=sensitivity("sensitive")
    )


class Victim(CanonicalRecord):
    """One victim of an incident: a person, a business, society... (NIBRS level-4 victim segment).

    Linked to its :class:`~justice_schema.v1.Incident` by ``incident_id`` and to
    the incident's offenses by their offense key, the UCR offense code, which is
    unique within an incident (NIBRS DE 24). An individual victim may also point
    to a :class:`~justice_schema.v1.Person` record. Law enforcement officer
    victims carry the LEOKA data (DE 25A-25C). NIEM: ``j:Victim`` with
    ``j:OffenseVictimAssociation`` and ``j:SubjectVictimAssociation``.
    """

    ENTITY_TYPE = "victim"
    SINCE: ClassVar[str] = "1.2"

    entity_type: Literal["victim"] = Field(default="victim", description="Always 'victim'.", json_schema_extra=sensitivity("public"))
    schema_version: Literal["1.2"] = Field(default="1.2", description="Schema version of this record.", json_schema_extra=sensitivity("public"))
    incident_id: RecordId = Field(description="Id of the Incident the victim belongs to.", json_schema_extra=sensitivity("internal"))
    victim_sequence_number: Annotated[int, Strict(), Field(ge=1, le=999)] = Field(
        description="Victim sequence number within the incident, 1-999 (NIBRS DE 23).", json_schema_extra=sensitivity("internal")
    )
    person_id: RecordId | None = Field(
        default=None, description="Id of the victim's Person record, when the hub holds one (individual victims only).",
        json_schema_extra=sensitivity("internal"),
    )
    offense_codes: tuple[UcrOffenseCode, ...] = Field(
        default=(), max_length=10,
        description=(
            "Victim connected to UCR offense code (NIBRS DE 24), up to ten: the offenses of the incident this victim "
            "suffered, by their offense key (the UCR offense code, unique within an incident)."
        ),
        json_schema_extra=sensitivity("public"),
    )
    victim_type: VictimType | None = Field(
        default=None, description="Type of victim (NIBRS DE 25).", json_schema_extra=sensitivity("public")
    )
    victim_type_raw: RawText | None = Field(
        default=None, description="Type of victim as the source wrote it.", json_schema_extra=sensitivity("internal")
    )
    officer_activity: OfficerActivity | None = Field(
        default=None, description="LEOKA type of activity (officer) / circumstance, for officer victims (NIBRS DE 25A).",
        json_schema_extra=sensitivity("public"),
    )
    officer_activity_raw: RawText | None = Field(
        default=None, description="Officer activity as the source wrote it.", json_schema_extra=sensitivity("internal")
    )
    officer_assignment: OfficerAssignment | None = Field(
        default=None, description="LEOKA officer assignment type, for officer victims (NIBRS DE 25B).",
        json_schema_extra=sensitivity("public"),
    )
    officer_assignment_raw: RawText | None = Field(
        default=None, description="Officer assignment as the source wrote it.", json_schema_extra=sensitivity("internal")
    )
    officer_other_ori: Ori | None = Field(
        default=None, description="ORI of the officer's own agency when it is not the reporting agency (NIBRS DE 25C).",
        json_schema_extra=sensitivity("public"),
    )
    victim_age: Age | None = Field(
        default=None,
        description="Age of the victim (NIBRS DE 26); a victim's age may also be NN, NB or BB (under one year).",
        json_schema_extra=sensitivity("personal"),
    )
    sex: Sex | None = Field(default=None, description="Sex of the victim (NIBRS DE 27).", json_schema_extra=sensitivity("personal"))
    sex_raw: RawText | None = Field(default=None, description="Sex as the source wrote it.", json_schema_extra=sensitivity("personal"))
    race: Race | None = Field(default=None, description="Race of the victim (NIBRS DE 28).", json_schema_extra=sensitivity("personal"))
    race_raw: RawText | None = Field(default=None, description="Race as the source wrote it.", json_schema_extra=sensitivity("personal"))
    ethnicity: Ethnicity | None = Field(
        default=None, description="Ethnicity of the victim (NIBRS DE 29).", json_schema_extra=sensitivity("personal")
    )
    ethnicity_raw: RawText | None = Field(
        default=None, description="Ethnicity as the source wrote it.", json_schema_extra=sensitivity("personal")
    )
    resident_status: ResidentStatus | None = Field(
        default=None, description="Resident status of the victim (NIBRS DE 30).", json_schema_extra=sensitivity("personal")
    )
    resident_status_raw: RawText | None = Field(
        default=None, description="Resident status as the source wrote it.", json_schema_extra=sensitivity("personal")
    )
    circumstances: tuple[AssaultHomicideCircumstance, ...] = Field(
        default=(), max_length=2,
        description="Aggravated assault/homicide circumstances (NIBRS DE 31), up to two.",
        json_schema_extra=sensitivity("sensitive"),
    )
    justifiable_homicide_circumstance: JustifiableHomicideCircumstance | None = Field(
        default=None, description="Additional justifiable homicide circumstances (NIBRS DE 32).",
        json_schema_extra=sensitivity("sensitive"),
    )
    justifiable_homicide_circumstance_raw: RawText | None = Field(
        default=None, description="Justifiable homicide circumstance as the source wrote it.",
        json_schema_extra=sensitivity("sensitive"),
    )
    injuries: tuple[InjuryType, ...] = Field(
        default=(), max_length=5, description="Type of injury (NIBRS DE 33), up to five.", json_schema_extra=sensitivity("sensitive")
    )
    relationships: tuple[VictimRelationship, ...] = Field(
        default=(), max_length=10,
        description="Relationship of the victim to each offender (NIBRS DE 34/35), up to ten.",
        json_schema_extra=sensitivity("sensitive"),
    )
