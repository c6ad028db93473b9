"""Cross-field rules within one record, and quality warnings, written as data.

Each rule's checks are :mod:`~justice_schema.validation.expr` conditions: the
columnar engine compiles them to ``pyarrow.compute`` calls, the per-record
engine evaluates them on a model. A rule fires where its condition is *true*;
a comparison with a missing value is never true, so rules about two dates say
nothing until both are given.
"""

from __future__ import annotations

from justice_schema.validation.expr import (
    AddDays,
    And,
    AnyOf,
    DateOf,
    Eq,
    F,
    Ge,
    Gt,
    In,
    IsNull,
    IsSet,
    ListLen,
    Lit,
    Lt,
    Matches,
    Ne,
    Not,
    NotIn,
    Or,
    Plus,
    Repeats,
)
from justice_schema.validation.rule_types import ERROR, WARNING, Check, Rule

__all__ = ["RECORD_RULES", "UNDER_18", "AVERAGE_UNDER_18", "OVER_17", "VICTIM_ONLY_AGE_CODES"]

#: NIBRS Group B offense codes (the 90 series): reported only as arrests, never as offenses of a Group A incident.
GROUP_B_OFFENSES = frozenset({"90A", "90B", "90C", "90D", "90E", "90F", "90G", "90H", "90I", "90J", "90K", "90L",
                              "90M", "90Z"})
# DE 12 (type criminal activity / gang information) holds three groups of values, each allowed only
# for its own offenses (FBI error 219); the criminal-activity and animal-cruelty groups are required for
# theirs (220). DE 13 (type weapon/force involved) is required for, and allowed only for, the weapon
# offenses (221/222). Lists: FBI NIBRS Technical Specification, error table of the offense segment
# (see docs/nibrs-edits.md for the sources).
#: DE 12 criminal-activity codes (buying, cultivating, distributing... ) and the offenses they may describe.
CRIMINAL_ACTIVITY_CODES = frozenset({"B", "C", "D", "E", "O", "P", "T", "U"})
CRIMINAL_ACTIVITY_OFFENSES = frozenset({"250", "280", "35A", "35B", "39C", "370", "520"})
#: DE 12 gang-information codes (juvenile gang, other gang, none/unknown) and the offenses they may describe.
GANG_CODES = frozenset({"J", "G", "N"})
GANG_OFFENSES = frozenset({"09A", "09B", "100", "11A", "11B", "11C", "11D", "120", "13A", "13B", "13C"})
#: DE 12 animal-cruelty codes (simple/gross neglect, intentional abuse, organised abuse, sexual abuse): 720 only.
ANIMAL_CRUELTY_CODES = frozenset({"A", "F", "I", "S"})
ANIMAL_CRUELTY_OFFENSES = frozenset({"720"})
#: Offenses that must report DE 12 (FBI error 220).
CRIMINAL_ACTIVITY_REQUIRED = CRIMINAL_ACTIVITY_OFFENSES | ANIMAL_CRUELTY_OFFENSES
#: Offenses that must report DE 13, and the only ones that may (FBI errors 221/222).
WEAPON_OFFENSES = frozenset({"09A", "09B", "09C", "100", "11A", "11B", "11C", "11D", "120", "13A", "13B", "210",
                             "520", "64A", "64B"})
#: Homicide offenses: some weapon or force was used, never 99 'none' (FBI error 267).
HOMICIDE_OFFENSES = frozenset({"09A", "09B", "09C"})
#: The weapon/force codes a simple assault (13B) may report (FBI error 265); a firearm makes it aggravated (269).
SIMPLE_ASSAULT_WEAPONS = frozenset({"40", "90", "95", "99"})

#: NIBRS weapon / armed-with codes that are firearms (the only ones with an 'A' automatic flag).
FIREARM_CODES = frozenset({"11", "12", "13", "14", "15"})
#: Offenses that can carry cargo theft data (NIBRS edits 119/122).
CARGO_THEFT_OFFENSES = frozenset({"120", "210", "220", "23D", "23F", "23H", "240", "26A", "26B", "26C",
                                  "26E", "26F", "26G", "270", "510"})
#: Offenses that must be coded as completed (NIBRS edit 256).
ALWAYS_COMPLETED = frozenset({"09A", "09B", "09C", "13A", "13B", "13C"})
#: Disposition outcomes that end a charge without a conviction: no sentence can follow.
NOT_CONVICTED = frozenset({"ACQUITTED", "DISMISSED", "NOLLE_PROSEQUI"})
#: Location types where 'number of premises entered' applies (hotel/motel, rental storage).
MULTI_PREMISES_LOCATIONS = frozenset({"14", "19"})

#: NIBRS age codes for victims only: an arrestee's age is a number (edits 664/757).
VICTIM_ONLY_AGE_CODES = frozenset({"NN", "NB", "BB"})
#: The arrestee is under 18: an exact age below 18, or a range whose highest age is below 18 (edits 652/752).
UNDER_18 = Lt(F("arrestee_age.max_years"), Lit(18))
#: The average of the age (range) is under 18, the FBI's test of a juvenile for an age range:
#: (low + high) / 2 < 18, that is low + high < 36 (edit 640/740; an exact age is its own average).
AVERAGE_UNDER_18 = Lt(Plus(F("arrestee_age.min_years"), F("arrestee_age.max_years")), Lit(36))
#: The arrestee is 18 or over by the FBI's average-age rule (edits 653/753), or the code 99 (over 98).
OVER_17 = Or(Ge(Plus(F("arrestee_age.min_years"), F("arrestee_age.max_years")), Lit(36)),
             Eq(F("arrestee_age.code"), Lit("99")))
#: The raw age was written as a range (``2530``, ``25-30``): two numbers, not one.
_RANGE_TEXT = r"^\s*[0-9]{1,3}\s*-\s*[0-9]{1,3}\s*$|^[0-9]{4}$"


def _r(code: str, severity: str, entity: str, message: str, rationale: str, example: str,
       checks: tuple[Check, ...], nibrs: tuple[str, ...] = ()) -> Rule:
    fields = tuple(dict.fromkeys(c.field for c in checks))
    return Rule(code, severity, entity, "record", fields, message, rationale, example, nibrs, checks=checks)


RECORD_RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------- person
    _r("JS-P51", WARNING, "person", "the person has no linking identifier (state id, FBI number or driver's licence)",
       "Without a fingerprint-based state id, FBI number or driver's licence, this person can only be matched "
       "on name and birth date, so their court dispositions and jail stays may never link to this record.",
       "a person with only a name and date of birth",
       (Check(And(IsNull(F("state_id")), IsNull(F("fbi_number")), IsNull(F("drivers_license_number"))),
              "state_id"),)),
    _r("JS-P52", WARNING, "person", "the date of birth is missing",
       "Without a date of birth the person's age at arrest cannot be computed, juvenile records cannot be "
       "told apart, and a prosecutor cannot find prior convictions to enhance a repeat charge.",
       "a person with no date_of_birth",
       (Check(IsNull(F("date_of_birth")), "date_of_birth"),)),
    _r("JS-P53", WARNING, "person", "a name contains digits",
       "Digits in a name usually mean shifted columns (a date or an id in the name field) or a placeholder.",
       "family_name = 'SMITH2'",
       tuple(Check(Matches(F(name), "[0-9]"), name) for name in ("given_name", "middle_name", "family_name"))),
    _r("JS-P54", WARNING, "person", "a driver's licence number is given without the issuing state",
       "A licence number is only unique within the state that issued it; without the state it cannot be "
       "used to link records.",
       "drivers_license_number = 'D1234567', drivers_license_state missing",
       (Check(And(IsSet(F("drivers_license_number")), IsNull(F("drivers_license_state"))), "drivers_license_state"),)),
    # -------------------------------------------------------------- incident
    _r("JS-I20", ERROR, "incident", "the exceptional clearance date is before the incident date",
       "A case cannot be cleared before it happened; one of the two dates is wrong.",
       "incident_date = 2024-03-01, exceptional_clearance_date = 2024-02-27",
       (Check(Lt(F("exceptional_clearance_date"), F("incident_date")), "exceptional_clearance_date"),),
       ("155",)),
    _r("JS-I21", ERROR, "incident", "an exceptional clearance date is given but the incident is not cleared exceptionally",
       "The clearance date belongs to an exceptional clearance (codes A-E); with 'N' or no code it contradicts "
       "the clearance field.",
       "cleared_exceptionally = 'N', exceptional_clearance_date = 2024-03-05",
       (Check(And(IsSet(F("exceptional_clearance_date")),
                  Or(IsNull(F("cleared_exceptionally")), Eq(F("cleared_exceptionally"), Lit("N")))),
              "exceptional_clearance_date"),),
       ("153",)),
    _r("JS-I22", ERROR, "incident", "the incident is cleared exceptionally but has no clearance date",
       "NIBRS requires the date of an exceptional clearance; without it clearance-time figures are wrong.",
       "cleared_exceptionally = 'B', exceptional_clearance_date missing",
       (Check(And(NotIn(F("cleared_exceptionally"), {"N"}), IsNull(F("exceptional_clearance_date"))),
              "exceptional_clearance_date", value=F("cleared_exceptionally")),),
       ("156",)),
    _r("JS-I23", ERROR, "incident", "a method of entry is given for an offense other than burglary",
       "Method of entry (forcible / no force) is only collected for burglary (220).",
       "offense 13B with method_of_entry = 'F'",
       (Check(And(IsSet(F("method_of_entry")), Ne(F("ucr_offense_code"), Lit("220"))),
              "offenses.method_of_entry", ("offenses",)),),
       ("254",)),
    _r("JS-I24", ERROR, "incident", "a burglary offense has no method of entry",
       "NIBRS requires the method of entry for every burglary (220).",
       "offense 220 with no method_of_entry",
       (Check(And(Eq(F("ucr_offense_code"), Lit("220")), IsNull(F("method_of_entry"))),
              "offenses.method_of_entry", ("offenses",), F("ucr_offense_code")),),
       ("253",)),
    _r("JS-I25", ERROR, "incident", "premises entered is only allowed for a burglary at a hotel or rental storage",
       "The number of premises entered applies to burglary (220) at location 14 (hotel/motel) or 19 "
       "(rental storage facility) only.",
       "offense 220 at location 20 (residence) with premises_entered = 3",
       (Check(And(IsSet(F("premises_entered")),
                  Or(Ne(F("ucr_offense_code"), Lit("220")), NotIn(F("location_type"), MULTI_PREMISES_LOCATIONS),
                     IsNull(F("location_type")))),
              "offenses.premises_entered", ("offenses",)),),
       ("252",)),
    _r("JS-I26", ERROR, "incident", "a homicide or assault offense must be coded as completed",
       "Murder, manslaughter, justifiable homicide and assaults (09A-09C, 13A-13C) cannot be attempted in NIBRS: "
       "an attempted murder is an aggravated assault.",
       "offense 09A with attempted_completed = 'A'",
       (Check(And(In(F("ucr_offense_code"), ALWAYS_COMPLETED), Eq(F("attempted_completed"), Lit("A"))),
              "offenses.attempted_completed", ("offenses",)),),
       ("256",)),
    _r("JS-I27", ERROR, "incident", "the automatic flag is set on a weapon that is not a firearm",
       "Only firearms (codes 11-15) can be automatic.",
       "weapon code 40 (personal weapons) with automatic = true",
       (Check(And(Eq(F("automatic"), Lit(True)), NotIn(F("code"), FIREARM_CODES)),
              "offenses.weapons.automatic", ("offenses", "weapons"), F("code")),),
       ("258",)),
    _r("JS-I28", ERROR, "incident", "cargo theft is reported but no offense can involve cargo theft",
       "Cargo theft data can only be submitted with robbery, burglary, larceny, motor vehicle theft, fraud, "
       "embezzlement, stolen property or bribery offenses.",
       "cargo_theft = true with a single offense 13A",
       (Check(And(IsSet(F("cargo_theft")), Not(AnyOf("offenses", In(F("ucr_offense_code"), CARGO_THEFT_OFFENSES)))),
              "cargo_theft"),),
       ("119",)),
    _r("JS-I29", WARNING, "incident", "an offense can involve cargo theft but the cargo theft indicator is missing",
       "For agencies that report cargo theft, NIBRS requires the indicator with these offenses.",
       "offense 23D with cargo_theft missing",
       (Check(And(IsNull(F("cargo_theft")), AnyOf("offenses", In(F("ucr_offense_code"), CARGO_THEFT_OFFENSES))),
              "cargo_theft"),),
       ("122",)),
    _r("JS-I30", ERROR, "incident", "an incident has more than 10 offenses",
       "A NIBRS Group A incident reports at most 10 offenses (the ten most serious); an 11th offense segment "
       "means a duplicate or a second incident under the same number.",
       "an incident with 11 offenses",
       (Check(Gt(ListLen("offenses"), Lit(10)), "offenses", value=ListLen("offenses")),),
       ("263",)),
    _r("JS-I51", WARNING, "incident", "a Group B offense is reported as an offense of a Group A incident",
       "A warning, as not every incident is a NIBRS submission (nibrs export refuses it). In NIBRS, Group B offenses (90A-90Z) are reported only as arrests (Group B arrest reports); an incident report's "
       "offenses are Group A offenses. An incident whose only offense is 90Z 'all other offenses' is not a "
       "Group A incident at all.",
       "offense 90Z in an incident",
       (Check(In(F("ucr_offense_code"), GROUP_B_OFFENSES), "offenses.ucr_offense_code", ("offenses",)),),
       ("264",)),
    _r("JS-I31", ERROR, "incident", "'not applicable' is reported with other 'offender suspected of using' values",
       "DE 8 value N (not applicable) excludes alcohol (A), computer equipment (C) and drugs (D).",
       "suspected_of_using = [N, A]",
       (Check(And(AnyOf("suspected_of_using", Eq(F("."), Lit("N"))), Gt(ListLen("suspected_of_using"), Lit(1))),
              "offenses.suspected_of_using", ("offenses",), Lit("N")),),
       ("207",)),
    _r("JS-I32", ERROR, "incident", "'none' or 'unknown' bias is reported with another bias motivation",
       "DE 8A values 88 (none) and 99 (unknown) exclude every other bias motivation.",
       "bias_motivations = [88, 12]",
       (Check(And(AnyOf("bias_motivations", In(F("."), {"88", "99"})), Gt(ListLen("bias_motivations"), Lit(1))),
              "offenses.bias_motivations", ("offenses",)),),
       ("207",)),
    _r("JS-I33", ERROR, "incident", "'none/unknown' gang information is reported with other criminal activity values",
       "DE 12 value N (none/unknown gang involvement) excludes the other gang and criminal-activity values.",
       "criminal_activities = [N, J]",
       (Check(And(AnyOf("criminal_activities", Eq(F("."), Lit("N"))), Gt(ListLen("criminal_activities"), Lit(1))),
              "offenses.criminal_activities", ("offenses",), Lit("N")),),
       ("207",)),
    _r("JS-I35", ERROR, "incident", "a value is entered twice in 'offender suspected of using'",
       "DE 8 lists each value at most once.",
       "suspected_of_using = [A, A]",
       (Check(Repeats("suspected_of_using"), "offenses.suspected_of_using", ("offenses",)),),
       ("206",)),
    _r("JS-I36", ERROR, "incident", "a value is entered twice in 'bias motivation'",
       "DE 8A lists each value at most once.",
       "bias_motivations = [12, 12]",
       (Check(Repeats("bias_motivations"), "offenses.bias_motivations", ("offenses",)),),
       ("206",)),
    _r("JS-I37", ERROR, "incident", "a value is entered twice in 'type of criminal activity/gang information'",
       "DE 12 lists each value at most once.",
       "criminal_activities = [J, J]",
       (Check(Repeats("criminal_activities"), "offenses.criminal_activities", ("offenses",)),),
       ("206",)),
    _r("JS-I38", ERROR, "incident", "justifiable homicide is reported with another offense",
       "A justifiable homicide (09C) is not a crime: it is the only offense of its incident.",
       "offenses 09C and 13A",
       (Check(And(AnyOf("offenses", Eq(F("ucr_offense_code"), Lit("09C"))), Gt(ListLen("offenses"), Lit(1))),
              "offenses.ucr_offense_code", value=ListLen("offenses")),),
       ("266",)),
    _r("JS-I34", ERROR, "incident", "a type of criminal activity or gang information is given for an offense it cannot describe",
       "DE 12 holds three groups of values, each for its own offenses: criminal-activity codes (B, C, D, E, O, P, "
       "T, U: buying, cultivating, distributing, exploiting children, operating, possessing, transporting, using) "
       "for counterfeiting (250), stolen property (280), drug (35A, 35B), gambling equipment (39C), pornography "
       "(370) and weapon law (520) offenses; gang codes (J, G, N) for homicide, kidnapping, sex, robbery and "
       "assault offenses (09A, 09B, 100, 11A-11D, 120, 13A-13C); animal-cruelty codes (A, F, I, S) for animal "
       "cruelty (720) only.",
       "offense 13B with criminal_activities = [P]; offense 35A with criminal_activities = [J]",
       tuple(Check(And(AnyOf("criminal_activities", In(F("."), codes)), NotIn(F("ucr_offense_code"), offenses)),
                   "offenses.criminal_activities", ("offenses",), F("ucr_offense_code"))
             for codes, offenses in ((CRIMINAL_ACTIVITY_CODES, CRIMINAL_ACTIVITY_OFFENSES),
                                     (GANG_CODES, GANG_OFFENSES),
                                     (ANIMAL_CRUELTY_CODES, ANIMAL_CRUELTY_OFFENSES))),
       ("219",)),
    _r("JS-I39", ERROR, "incident", "the offense requires a type of criminal activity but none is given",
       "NIBRS requires DE 12 for counterfeiting (250), stolen property (280), drug (35A, 35B), gambling "
       "equipment (39C), pornography (370), weapon law (520) and animal cruelty (720) offenses: what the "
       "offender did (bought, possessed, distributed...) is the point of these offenses.",
       "offense 35A with no criminal_activities",
       (Check(And(In(F("ucr_offense_code"), CRIMINAL_ACTIVITY_REQUIRED), Eq(ListLen("criminal_activities"), Lit(0))),
              "offenses.criminal_activities", ("offenses",), F("ucr_offense_code")),),
       ("220",)),
    _r("JS-I42", ERROR, "incident", "the offense requires a type of weapon or force but none is given",
       "NIBRS requires DE 13 for homicide (09A-09C), kidnapping (100), forcible sex (11A-11D), robbery (120), "
       "aggravated and simple assault (13A, 13B), extortion (210), weapon law (520) and human trafficking "
       "(64A, 64B) offenses; 99 'none' and 95 'unknown' are values, a blank is not.",
       "offense 13A with no weapons",
       (Check(And(In(F("ucr_offense_code"), WEAPON_OFFENSES), Eq(ListLen("weapons"), Lit(0))),
              "offenses.weapons", ("offenses",), F("ucr_offense_code")),),
       ("221",)),
    _r("JS-I43", ERROR, "incident", "a type of weapon or force is given for an offense that does not report one",
       "DE 13 is collected only for the offenses that require it (09A-09C, 100, 11A-11D, 120, 13A, 13B, 210, "
       "520, 64A, 64B); a weapon on a burglary or a theft belongs to an offense of that list reported beside it.",
       "offense 23F with weapons = [40]",
       (Check(And(NotIn(F("ucr_offense_code"), WEAPON_OFFENSES), Gt(ListLen("weapons"), Lit(0))),
              "offenses.weapons", ("offenses",), F("ucr_offense_code")),),
       ("222",)),
    _r("JS-I44", ERROR, "incident", "a simple assault is reported with a weapon other than personal weapons, other, unknown or none",
       "A simple assault (13B) involves no weapon or only personal weapons (hands, fists, feet); with a knife, "
       "a blunt object or a firearm the assault is aggravated (13A).",
       "offense 13B with weapons = [20]",
       (Check(And(Eq(F("ucr_offense_code"), Lit("13B")), AnyOf("weapons", NotIn(F("code"), SIMPLE_ASSAULT_WEAPONS))),
              "offenses.weapons", ("offenses",), F("ucr_offense_code")),),
       ("265",)),
    _r("JS-I45", ERROR, "incident", "a homicide is reported with weapon/force 99 'none'",
       "Some weapon or force is used in every homicide (09A-09C); 'none' contradicts the offense "
       "(95 'unknown' is the value when it is not known).",
       "offense 09A with weapons = [99]",
       (Check(And(In(F("ucr_offense_code"), HOMICIDE_OFFENSES), AnyOf("weapons", Eq(F("code"), Lit("99")))),
              "offenses.weapons", ("offenses",), F("ucr_offense_code")),),
       ("267",)),
    _r("JS-I46", ERROR, "incident", "a justifiable homicide is reported with a bias motivation other than 88 'none'",
       "A justifiable homicide (09C) is not a crime, so it cannot be a hate crime: its bias motivation is 88.",
       "offense 09C with bias_motivations = [12]",
       (Check(And(Eq(F("ucr_offense_code"), Lit("09C")), AnyOf("bias_motivations", Ne(F("."), Lit("88")))),
              "offenses.bias_motivations", ("offenses",)),),
       ("270",)),
    _r("JS-I47", ERROR, "incident", "a burglary at a hotel or rental storage has no number of premises entered",
       "For a burglary (220) at a hotel/motel (14) or a rental storage facility (19) NIBRS counts the premises "
       "(rooms, units) entered.",
       "offense 220 at location 14 with no premises_entered",
       (Check(And(Eq(F("ucr_offense_code"), Lit("220")), In(F("location_type"), MULTI_PREMISES_LOCATIONS),
                  IsNull(F("premises_entered"))),
              "offenses.premises_entered", ("offenses",), F("location_type")),),
       ("257",)),
    _r("JS-I52", WARNING, "incident", "a simple assault is reported with a firearm: possibly an aggravated assault",
       "An assault with a firearm (11-15) is aggravated (13A); the FBI warns when it is coded 13B.",
       "offense 13B with weapons = [12]",
       (Check(And(Eq(F("ucr_offense_code"), Lit("13B")), AnyOf("weapons", In(F("code"), FIREARM_CODES))),
              "offenses.weapons", ("offenses",), F("ucr_offense_code")),),
       ("269",)),
    # ---------------------------------------------------------------- arrest
    _r("JS-A20", ERROR, "arrest", "the arrestee is under 18 but the juvenile disposition is missing",
       "NIBRS requires the disposition of an arrestee under 18 (handled within the department or referred); "
       "juvenile justice reports count on it. An age range counts when its highest age is under 18; a range "
       "across 18 is JS-A52's warning.",
       "arrestee_age 16-16 with no juvenile_disposition",
       (Check(And(UNDER_18, IsNull(F("juvenile_disposition"))), "juvenile_disposition", value=F("arrestee_age.max_years")),),
       ("652", "752")),
    _r("JS-A21", ERROR, "arrest", "a juvenile disposition is given for an arrestee aged 18 or over",
       "The under-18 disposition must be blank for adults; an entry means the age or the disposition is wrong. "
       "For an age range the FBI takes the average of its two ages: 17-19 averages 18, an adult.",
       "arrestee_age 34-34 with juvenile_disposition = 'H'",
       (Check(And(OVER_17, IsSet(F("juvenile_disposition"))), "juvenile_disposition"),),
       ("653", "753")),
    _r("JS-A22", ERROR, "arrest", "the age range does not run from a lower to a higher age",
       "The first age of a range must be less than the second: an inverted range is a typing error, and a "
       "range with equal bounds ('2525') is not an exact age but a malformed range.",
       "arrestee_age min_years = 30, max_years = 25; or arrestee_age raw '2525'",
       (Check(Gt(F("arrestee_age.min_years"), F("arrestee_age.max_years")), "arrestee_age.min_years"),
        Check(And(Eq(F("arrestee_age.min_years"), F("arrestee_age.max_years")),
                  Matches(F("arrestee_age.raw"), _RANGE_TEXT)),
              "arrestee_age.raw", value=F("arrestee_age.raw"))),
       ("610", "710")),
    _r("JS-A23", ERROR, "arrest", "the age has both years and a non-numeric age code",
       "An age is a number of years, a range, or one of the codes NN/NB/BB/99/00 - never both.",
       "arrestee_age code '00' with min_years = 20",
       (Check(And(IsSet(F("arrestee_age.code")),
                  Or(IsSet(F("arrestee_age.min_years")), IsSet(F("arrestee_age.max_years")))),
              "arrestee_age.code"),)),
    _r("JS-A24", ERROR, "arrest", "the automatic flag is set on an 'armed with' value that is not a firearm",
       "Only firearms (codes 11-15) can be automatic.",
       "armed_with code 16 (lethal cutting instrument) with automatic = true",
       (Check(And(Eq(F("automatic"), Lit(True)), NotIn(F("code"), FIREARM_CODES)),
              "armed_with.automatic", ("armed_with",), F("code")),),
       ("655", "755")),
    _r("JS-A25", ERROR, "arrest", "'unarmed' is reported together with a weapon",
       "Unarmed (01) excludes every other 'armed with' value.",
       "armed_with = [01, 12]",
       (Check(And(AnyOf("armed_with", Eq(F("code"), Lit("01"))), Gt(ListLen("armed_with"), Lit(1))),
              "armed_with.code", value=Lit("01")),),
       ("607", "707")),
    _r("JS-A26", ERROR, "arrest", "the arrest instant is more than a day away from the arrest date",
       "arrested_at (UTC) and arrest_date (the agency's local date) may differ by the time zone, never by more "
       "than a day.",
       "arrest_date = 2024-05-01, arrested_at = 2024-05-09T10:00:00Z",
       (Check(Or(Gt(DateOf(F("arrested_at")), AddDays(F("arrest_date"), 1)),
                 Lt(DateOf(F("arrested_at")), AddDays(F("arrest_date"), -1))),
              "arrested_at"),)),
    _r("JS-A27", ERROR, "arrest", "an arrestee's age cannot be NN, NB or BB (under a year old)",
       "The codes for a newborn or a baby under a year (NN, NB, BB) are valid for victims only; an arrestee's "
       "age is a number of years, a range, 00 (unknown) or 99 (over 98).",
       "arrestee_age code 'BB'",
       (Check(In(F("arrestee_age.code"), VICTIM_ONLY_AGE_CODES), "arrestee_age.code", value=F("arrestee_age.code")),),
       ("664", "757")),
    _r("JS-A28", ERROR, "arrest", "an age range cannot start at 00 (unknown)",
       "A range is two known ages; '0025' mixes the unknown code with an age.",
       "arrestee_age raw '0025' (min_years = 0, max_years = 25)",
       (Check(And(Eq(F("arrestee_age.min_years"), Lit(0)), Gt(F("arrestee_age.max_years"), Lit(0))),
              "arrestee_age.min_years", value=F("arrestee_age.raw")),),
       ("622", "722")),
    _r("JS-A29", ERROR, "arrest", "the age is neither a number of years, a range, nor an age code",
       "Text kept as the raw age with no years and no code ('3X', '-5') is not an age; NIBRS needs digits "
       "(01-98, a four-digit range, 00 or 99).",
       "arrestee_age raw '3X'",
       (Check(And(IsSet(F("arrestee_age.raw")), IsNull(F("arrestee_age.min_years")),
                  IsNull(F("arrestee_age.max_years")), IsNull(F("arrestee_age.code"))),
              "arrestee_age.raw", value=F("arrestee_age.raw")),),
       ("609", "664", "709", "757")),
    _r("JS-A53", WARNING, "arrest", "a Group B arrest is reported for a Group A offense",
       "A warning, as an RMS arrest need not be linked to its incident (nibrs export refuses it). In NIBRS, an arrest without an incident is a Group B arrest report, and its offense must be a Group B offense "
       "(90A-90Z); an arrest for a Group A offense is reported with its incident (a Group A arrestee).",
       "incident_id missing, ucr_arrest_offense_code = '13A'",
       (Check(And(IsNull(F("incident_id")), IsSet(F("ucr_arrest_offense_code")),
                  NotIn(F("ucr_arrest_offense_code"), GROUP_B_OFFENSES)),
              "ucr_arrest_offense_code"),),
       ("760",)),
    _r("JS-A30", ERROR, "arrest", "justifiable homicide (09C) is reported as an arrest offense",
       "A justifiable homicide is not a crime: no one is arrested for it.",
       "ucr_arrest_offense_code = '09C'",
       (Check(Eq(F("ucr_arrest_offense_code"), Lit("09C")), "ucr_arrest_offense_code"),),
       ("670",)),
    _r("JS-A31", ERROR, "arrest", "a runaway arrestee (90I) is 18 or older",
       "Runaway (90I) applies to persons under 18 only.",
       "ucr_arrest_offense_code = '90I', arrestee_age 19-19",
       (Check(And(Eq(F("ucr_arrest_offense_code"), Lit("90I")), Ge(F("arrestee_age.min_years"), Lit(18))),
              "arrestee_age.min_years"),),
       ("761",)),
    _r("JS-A52", WARNING, "arrest", "the age range may be a juvenile's but the juvenile disposition is missing",
       "The range spans 18 (its lowest age is a juvenile's, its highest an adult's) and its average is under 18, "
       "so the FBI flags the arrestee as a possible juvenile without a disposition.",
       "arrestee_age 16-19 with no juvenile_disposition",
       (Check(And(Lt(F("arrestee_age.min_years"), Lit(18)), Ge(F("arrestee_age.max_years"), Lit(18)),
                  AVERAGE_UNDER_18, IsNull(F("juvenile_disposition"))),
              "juvenile_disposition", value=F("arrestee_age.raw")),),
       ("640", "740")),
    _r("JS-A51", WARNING, "arrest", "the arrestee is reported as over 98 years old",
       "Ages over 98 are rare enough that NIBRS asks for a check; often a placeholder birth date.",
       "arrestee_age code '99'",
       (Check(Or(Eq(F("arrestee_age.code"), Lit("99")), Gt(F("arrestee_age.min_years"), Lit(98))),
              "arrestee_age"),),
       ("641", "741")),
    # ---------------------------------------------------------------- charge
    _r("JS-C20", ERROR, "charge", "the charge was filed before the offense was committed",
       "A charge cannot be filed for an offense that has not happened; one of the dates is wrong.",
       "offense_date = 2024-06-10, filed_date = 2024-06-01",
       (Check(Lt(F("filed_date"), F("offense_date")), "filed_date"),)),
    _r("JS-C51", WARNING, "charge", "the charge is tied to no arrest, booking or court case",
       "A charge that names no arrest, booking or court case cannot be followed to its disposition.",
       "a charge with arrest_id, booking_id and court_case_number all missing",
       (Check(And(IsNull(F("arrest_id")), IsNull(F("booking_id")), IsNull(F("court_case_number"))), "arrest_id"),)),
    # ----------------------------------------------------------- disposition
    _r("JS-D20", ERROR, "disposition", "the minimum term of the sentence exceeds its maximum",
       "An indeterminate sentence runs from a minimum to a maximum term.",
       "confinement_min_days = 3650, confinement_max_days = 1825",
       (Check(Gt(F("sentence.confinement_min_days"), F("sentence.confinement_max_days")),
              "sentence.confinement_min_days"),)),
    _r("JS-D21", ERROR, "disposition", "more days are suspended than the confinement term has",
       "The suspended part of a term cannot be longer than the term.",
       "confinement_days = 365, suspended_days = 400",
       (Check(Gt(F("sentence.suspended_days"), F("sentence.confinement_days")), "sentence.suspended_days"),
        Check(Gt(F("sentence.suspended_days"), F("sentence.confinement_max_days")), "sentence.suspended_days"))),
    _r("JS-D22", ERROR, "disposition", "the sentence has both a determinate term and an indeterminate range",
       "A term is either fixed (confinement_days) or a range (min and max days), not both.",
       "confinement_days = 365 with confinement_max_days = 730",
       (Check(And(IsSet(F("sentence.confinement_days")),
                  Or(IsSet(F("sentence.confinement_min_days")), IsSet(F("sentence.confinement_max_days")))),
              "sentence.confinement_days"),)),
    _r("JS-D23", ERROR, "disposition", "the sentence was imposed before the disposition date",
       "Sentence follows conviction; a sentence dated before the disposition has a wrong date.",
       "disposition_date = 2024-04-02, sentence.imposed_date = 2024-03-01",
       (Check(Lt(F("sentence.imposed_date"), F("disposition_date")), "sentence.imposed_date"),)),
    _r("JS-D24", ERROR, "disposition", "a sentence is recorded on a charge that was not convicted",
       "An acquitted, dismissed or dropped charge carries no sentence; the outcome or the sentence is on the "
       "wrong charge.",
       "disposition_type = 'DISMISSED' with a sentence of 30 days",
       (Check(And(In(F("disposition_type"), NOT_CONVICTED), IsSet(F("sentence"))), "sentence",
              value=F("disposition_type")),)),
    _r("JS-D25", ERROR, "disposition", "the sentence is both life and death",
       "A sentence is life or death, not both.",
       "sentence.life = true and sentence.death = true",
       (Check(And(Eq(F("sentence.life"), Lit(True)), Eq(F("sentence.death"), Lit(True))), "sentence.death"),)),
    # --------------------------------------------------------------- booking
    _r("JS-B20", ERROR, "booking", "the release is before the booking",
       "A person cannot leave jail before entering it; one of the instants is wrong (often a time zone).",
       "booked_at = 2024-05-01T10:00Z, released_at = 2024-04-30T09:00Z",
       (Check(Lt(F("released_at"), F("booked_at")), "released_at"),)),
    _r("JS-B21", ERROR, "booking", "a release reason is given but no release instant",
       "A release reason means the person was released; the release time is missing.",
       "release_reason = 'BAIL', released_at missing",
       (Check(And(IsSet(F("release_reason")), IsNull(F("released_at"))), "released_at", value=F("release_reason")),)),
    # ----------------------------------------------------------- supervision
    _r("JS-S20", ERROR, "supervision", "supervision ends before it starts",
       "The end date of a supervision period cannot precede its start.",
       "start_date = 2024-01-10, end_date = 2023-12-31",
       (Check(Lt(F("end_date"), F("start_date")), "end_date"),)),
    _r("JS-S21", ERROR, "supervision", "the expected end date is before the start date",
       "The scheduled end of a supervision period cannot precede its start.",
       "start_date = 2024-01-10, expected_end_date = 2023-01-10",
       (Check(Lt(F("expected_end_date"), F("start_date")), "expected_end_date"),)),
    _r("JS-S22", ERROR, "supervision", "a termination reason is given but no end date",
       "A terminated supervision has ended; its end date is missing.",
       "termination_reason = 'REVOKED', end_date missing",
       (Check(And(IsSet(F("termination_reason")), IsNull(F("end_date"))), "end_date", value=F("termination_reason")),)),
    _r("JS-S23", ERROR, "supervision", "a violation is dated before the supervision started",
       "A violation of supervision conditions can only happen during supervision.",
       "start_date = 2024-01-10, violation_date = 2023-12-01",
       (Check(Lt(F("violation_date"), F("^start_date")), "violations.violation_date", ("violations",)),)),
    _r("JS-S24", ERROR, "supervision", "a violation is dated after the supervision ended",
       "A violation of supervision conditions can only happen during supervision.",
       "end_date = 2024-06-30, violation_date = 2024-08-01",
       (Check(Gt(F("violation_date"), F("^end_date")), "violations.violation_date", ("violations",)),)),
    _r("JS-S25", ERROR, "supervision", "the response to a violation is dated before the violation",
       "The agency or court can only respond to a violation after it happened.",
       "violation_date = 2024-03-02, response_date = 2024-02-20",
       (Check(Lt(F("response_date"), F("violation_date")), "violations.response_date", ("violations",)),)),
)
