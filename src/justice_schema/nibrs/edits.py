"""FBI NIBRS error numbers and where the library stands on each: a catalogue rule, or why not.

:data:`FBI_EDITS` lists the error numbers of the FBI NIBRS Technical
Specification (2019.1) that concern a submission's content, each with a short
description in our words and, when no rule of the catalogue carries it, the
reason. :func:`coverage` joins it with the rule catalogue (each rule's
``nibrs_edits``), so the table can never claim a rule that does not exist;
:func:`render_coverage` writes the Markdown page ``docs/nibrs-edits.md``
(``python tools/write_nibrs_coverage.py``; a test holds the page to it).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from justice_schema.validation.rules import all_rules

__all__ = ["FBI_EDITS", "EditCoverage", "coverage", "render_coverage"]

_SEGMENT_LEVEL = "not applicable: the canonical records have no segment structure to check; the flat-file reader " \
                 "refuses such lines with the line number (JS-T codes)"

#: FBI error number -> (what it checks, in our words; reason when no catalogue rule carries it, else "").
FBI_EDITS: Mapping[str, tuple[str, str]] = {
    "076": ("a property segment where no offense involves property (kidnapping, crimes against property, drug "
            "or gambling offenses); a rule across the property and incident tables, so `validate` checks it on a "
            "batch of tables and `nibrs check`, which checks each translated record, does not list it", ""),
    "101": ("administrative segment: a mandatory data element is missing", ""),
    "102": ("administrative segment: a data element is not of its type (numeric, alphabetic)", ""),
    "105": ("administrative segment: a date is not a valid date", ""),
    "117": ("administrative segment: a value has characters its data element does not allow", ""),
    "201": ("offense segment: a mandatory data element is missing", ""),
    "202": ("offense segment: a data element is not of its type (numeric, alphabetic)", ""),
    "204": ("offense segment: a value is not in its code list", ""),
    "205": ("offense segment: a date is not a valid date", ""),
    "217": ("offense segment: a value has characters its data element does not allow", ""),
    "601": ("Group A arrestee segment: a mandatory data element is missing", ""),
    "602": ("Group A arrestee segment: a data element is not of its type (numeric, alphabetic)", ""),
    "604": ("Group A arrestee segment: a value is not in its code list", ""),
    "605": ("Group A arrestee segment: a date is not a valid date", ""),
    "617": ("Group A arrestee segment: a value has characters its data element does not allow", ""),
    "701": ("Group B arrest segment: a mandatory data element is missing", ""),
    "702": ("Group B arrest segment: a data element is not of its type (numeric, alphabetic)", ""),
    "704": ("Group B arrest segment: a value is not in its code list", ""),
    "705": ("Group B arrest segment: a date is not a valid date", ""),
    "717": ("Group B arrest segment: a value has characters its data element does not allow", ""),
    "051": ("segment level / action type not valid for the segment", _SEGMENT_LEVEL),
    "056": ("arrestee age, when a range, must be a valid range", ""),
    "071": ("arrest date before the incident date", ""),
    "104": ("administrative segment: a value is not in its code list", "field rules: every code field is "
            "checked against its code table (the JS-x04 code rules, which carry 204/604/704)"),
    "119": ("cargo theft reported for offenses that cannot involve it", ""),
    "122": ("cargo theft indicator missing where an offense can involve it", ""),
    "153": ("exceptional clearance date without exceptional clearance", ""),
    "155": ("exceptional clearance date before the incident date", ""),
    "156": ("exceptional clearance without its date", ""),
    "170": ("incident date in the future", ""),
    "172": ("incident date before 1991", ""),
    "206": ("a value entered twice in DE 8, 8A or 12", ""),
    "207": ("mutually exclusive values in DE 8, 8A or 12 (N, 88/99, N with others)", ""),
    "219": ("DE 12 values only for their offenses: criminal activity (B C D E O P T U) for 250, 280, 35A, 35B, "
            "39C, 370, 520; gang information (J G N) for 09A, 09B, 100, 11A-11D, 120, 13A-13C; animal cruelty "
            "(A F I S) for 720", ""),
    "220": ("DE 12 required for 250, 280, 35A, 35B, 39C, 370, 520 and 720", ""),
    "221": ("DE 13 weapon/force required for 09A, 09B, 09C, 100, 11A-11D, 120, 13A, 13B, 210, 520, 64A, 64B", ""),
    "222": ("DE 13 weapon/force only for the offenses of 221", ""),
    "252": ("premises entered only for burglary at hotel or rental storage", ""),
    "257": ("burglary at a hotel or rental storage without the number of premises entered", ""),
    "253": ("burglary without method of entry", ""),
    "254": ("method of entry for an offense other than burglary", ""),
    "256": ("an always-completed offense reported as attempted", ""),
    "258": ("automatic flag on a weapon that is not a firearm", ""),
    "265": ("simple assault (13B) with a weapon other than 40, 90, 95 or 99", ""),
    "267": ("homicide (09A-09C) with weapon/force 99 'none'", ""),
    "269": ("warning: simple assault (13B) with a firearm, possibly an aggravated assault", ""),
    "270": ("justifiable homicide (09C) with a bias motivation other than 88", ""),
    "263": ("more than 10 offenses in an incident", ""),
    "264": ("a Group B offense among a Group A incident's offenses", ""),
    "266": ("justifiable homicide (09C) with another offense", ""),
    "301": ("property segment: a mandatory data element is missing", ""),
    "302": ("property segment: a data element is not numeric", ""),
    "304": ("property segment: a value is not in its code list", ""),
    "305": ("property segment: the date recovered is not a valid date", ""),
    "376": ("two property segments with the same type of loss", "not applicable: the property id is the "
            "incident and loss type, so a second segment is a duplicate id, reported by translation's dedupe"),
    "401": ("victim segment: a mandatory data element is missing", ""),
    "402": ("victim segment: a data element is not numeric", ""),
    "404": ("victim segment: a value is not in its code list", ""),
    "501": ("offender segment: a mandatory data element is missing", ""),
    "502": ("offender segment: a data element is not numeric", ""),
    "504": ("offender segment: a value is not in its code list", ""),
    "607": ("arrestee 'unarmed' with a weapon", ""),
    "609": ("arrestee age not a valid age", ""),
    "610": ("arrestee age range not from a lower to a higher age", ""),
    "622": ("arrestee age range starting at 00", ""),
    "640": ("arrestee age over 98 with a juvenile disposition", ""),
    "641": ("arrestee age 99 warning", ""),
    "652": ("juvenile arrestee without disposition", ""),
    "653": ("adult arrestee with a juvenile disposition", ""),
    "655": ("automatic flag on an armed-with value that is not a firearm", ""),
    "661": ("arrestee age range exceeds the allowed spread", ""),
    "664": ("arrestee age uses a victim-only code", ""),
    "665": ("arrest date after the submission date", ""),
    "667": ("arrestee sex must be M or F", "mapping: the NIBRS translators refuse any other value with the "
            "edit number in the reason (maps.sex_of_arrestee)"),
    "670": ("justifiable homicide (09C) as an arrest offense", ""),
    "707": ("Group B arrestee 'unarmed' with a weapon", ""),
    "709": ("Group B arrestee age not a valid age", ""),
    "710": ("Group B arrestee age range not from a lower to a higher age", ""),
    "722": ("Group B arrestee age range starting at 00", ""),
    "740": ("Group B arrestee age over 98 with a juvenile disposition", ""),
    "741": ("Group B arrestee age 99 warning", ""),
    "751": ("Group B arrestee age range spread", ""),
    "752": ("Group B juvenile arrestee without disposition", ""),
    "753": ("Group B adult arrestee with a juvenile disposition", ""),
    "755": ("Group B automatic flag on a non-firearm", ""),
    "757": ("Group B arrestee age uses a victim-only code", ""),
    "758": ("Group B arrestee sex must be M or F", "mapping: as 667"),
    "760": ("Group B arrest for a Group A offense", ""),
    "761": ("runaway (90I) arrestee 18 or older", ""),
}


@attrs.frozen(slots=True)
class EditCoverage:
    """One FBI error number: what it checks, the catalogue rules that carry it, or why none does."""

    number: str
    checks: str
    rules: tuple[str, ...]
    reason: str


def coverage() -> tuple[EditCoverage, ...]:
    """Every FBI error number of :data:`FBI_EDITS` and of the catalogue, sorted by number.

    A number that a catalogue rule carries but :data:`FBI_EDITS` does not
    describe is listed with an empty description, so the table shows it.
    """
    carried: dict[str, list[str]] = {}
    for rule in all_rules():
        for number in rule.nibrs_edits:
            carried.setdefault(number, []).append(rule.code)
    numbers = sorted(set(FBI_EDITS) | set(carried))
    out = []
    for number in numbers:
        checks, reason = FBI_EDITS.get(number, ("", ""))
        rules = tuple(sorted(carried.get(number, ())))
        out.append(EditCoverage(number, checks, rules, "" if rules else reason))
    return tuple(out)


def render_coverage() -> str:
    """The Markdown text of ``docs/nibrs-edits.md``."""
    rows = coverage()
    done = sum(1 for r in rows if r.rules)
    lines = [
        "# FBI NIBRS edits: coverage",
        "",
        "<!-- Generated by tools/write_nibrs_coverage.py from justice_schema.nibrs.edits and the rule "
        "catalogue; do not edit. -->",
        "",
        "Each FBI NIBRS error number that concerns a submission's content, and the rule of the "
        "catalogue (see {doc}`rule_catalogue`) that checks it, or why none does. Error numbers are "
        "those of the FBI *NIBRS Technical Specification*, version 2019.1 (https://ucr.fbi.gov/nibrs); "
        "the descriptions are ours. Numbers 6xx are Group A arrestee edits, 7xx their Group B twins.",
        "",
        "The offense lists of edits 219-222 are those of the specification's offense-segment error table "
        "(errors 219, 220, 221 and 222). No copy of the 2019.1 text itself was reachable when they were "
        "written; they were read from that table as reproduced in SEARCH's open-source NIBRS validator "
        "(`NIBRSErrorCode`, https://github.com/SEARCH-NCJIS/nibrs, Apache-2.0) and checked against the "
        "JRSA IBR Resource Center's page on DE 12 "
        "(http://www.jrsa.org/ibrrc/using-data/data_quality/data_elements/drug/activity_quality.html). "
        "That table predates the federal offense codes of 2019 (521, 522, 526 and others): they are in no "
        "list, so a federal weapon offense with DE 12 or DE 13 values is reported under 219/222.",
        "",
        f"{done} of {len(rows)} numbers are carried by catalogue rules.",
        "",
        "| FBI error | checks | our rule | or: why not |",
        "|---|---|---|---|",
    ]
    for row in rows:
        lines.append(f"| {row.number} | {row.checks} | {', '.join(row.rules)} | {row.reason} |")
    return "\n".join(lines) + "\n"
