"""The Victim entity: one victim of a NIBRS Group A incident (a level-4 victim segment)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalModel, CanonicalRecord, optional, sensitivity
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
    relationship: VictimOffenderRelationship | None = optional(
        "Relationship of the victim to that offender (NIBRS DE 35): who the victim was to the offender.", "sensitive",
    )
    relationship_raw: RawText | None = optional("Relationship as the source wrote it.", "sensitive")


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
    person_id: RecordId | None = optional(
        "Id of the victim's Person record, when the hub holds one (individual victims only).", "internal",
    )
    offense_codes: tuple[UcrOffenseCode, ...] = Field(
        default=(), max_length=10,
        description=(
            "Victim connected to UCR offense code (NIBRS DE 24), up to ten: the offenses of the incident this victim "
            "suffered, by their offense key (the UCR offense code, unique within an incident)."
        ),
        json_schema_extra=sensitivity("public"),
    )
    victim_type: VictimType | None = optional("Type of victim (NIBRS DE 25).", "public")
    victim_type_raw: RawText | None = optional("Type of victim as the source wrote it.", "internal")
    officer_activity: OfficerActivity | None = optional(
        "LEOKA type of activity (officer) / circumstance, for officer victims (NIBRS DE 25A).", "public",
    )
    officer_activity_raw: RawText | None = optional("Officer activity as the source wrote it.", "internal")
    officer_assignment: OfficerAssignment | None = optional(
        "LEOKA officer assignment type, for officer victims (NIBRS DE 25B).", "public",
    )
    officer_assignment_raw: RawText | None = optional("Officer assignment as the source wrote it.", "internal")
    officer_other_ori: Ori | None = optional(
        "ORI of the officer's own agency when it is not the reporting agency (NIBRS DE 25C).", "public",
    )
    victim_age: Age | None = optional(
        "Age of the victim (NIBRS DE 26); a victim's age may also be NN, NB or BB (under one year).", "personal",
    )
    sex: Sex | None = optional("Sex of the victim (NIBRS DE 27).", "personal")
    sex_raw: RawText | None = optional("Sex as the source wrote it.", "personal")
    race: Race | None = optional("Race of the victim (NIBRS DE 28).", "personal")
    race_raw: RawText | None = optional("Race as the source wrote it.", "personal")
    ethnicity: Ethnicity | None = optional("Ethnicity of the victim (NIBRS DE 29).", "personal")
    ethnicity_raw: RawText | None = optional("Ethnicity as the source wrote it.", "personal")
    resident_status: ResidentStatus | None = optional("Resident status of the victim (NIBRS DE 30).", "personal")
    resident_status_raw: RawText | None = optional("Resident status as the source wrote it.", "personal")
    circumstances: tuple[AssaultHomicideCircumstance, ...] = Field(
        default=(), max_length=2,
        description="Aggravated assault/homicide circumstances (NIBRS DE 31), up to two.",
        json_schema_extra=sensitivity("sensitive"),
    )
    justifiable_homicide_circumstance: JustifiableHomicideCircumstance | None = optional(
        "Additional justifiable homicide circumstances (NIBRS DE 32).", "sensitive",
    )
    justifiable_homicide_circumstance_raw: RawText | None = optional(
        "Justifiable homicide circumstance as the source wrote it.", "sensitive",
    )
    injuries: tuple[InjuryType, ...] = Field(
        default=(), max_length=5, description="Type of injury (NIBRS DE 33), up to five.", json_schema_extra=sensitivity("sensitive")
    )
    relationships: tuple[VictimRelationship, ...] = Field(
        default=(), max_length=10,
        description="Relationship of the victim to each offender (NIBRS DE 34/35), up to ten.",
        json_schema_extra=sensitivity("sensitive"),
    )
