"""``nibrs check``: run the FBI's edits on a submission and list the errors in the layout of the FBI Error Data Set.

A submission (the flat file or NIBRS XML, told apart by content) is translated by the
built-in translator with the record rules on, exactly as ``justice-schema translate`` runs
it; every reason a segment is refused becomes one error row: segment level, ORI, incident
number (the arrest transaction number for a Group B arrest), data element, FBI error
number, value and message (:data:`ERROR_SCHEMA`), plus where it was read and our rule
code. The FBI error number is the catalogue rule's (:mod:`justice_schema.nibrs.edits`),
picked for the segment's level when a rule carries one number per segment (664 for a
Group A arrestee, 757 for a Group B arrest); a code with no mapping is the level's
"not a valid code" error (``x04``).

A segment refused only because the incident it belongs to was refused (``JS-T05``) is
not listed again: the FBI reports the incident's own error once. Warnings (the FBI's
warning edits, such as 640) do not refuse a segment and are not listed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import attrs
import pyarrow as pa

from justice_schema.errors import InputError
from justice_schema.progress import Progress
from justice_schema.registry import CURRENT_SCHEMA_VERSION
from justice_schema.translation import TranslationResult, Translator, builtin_spec_path
from justice_schema.validation.report import ValidationReport
from justice_schema.validation.rules import all_rules

__all__ = ["ERROR_SCHEMA", "CheckResult", "check_submission", "detect_format", "DATA_ELEMENTS"]

#: The FBI Error Data Set's columns, then where the segment was read and our rule code.
ERROR_SCHEMA = pa.schema([
    pa.field("segment_level", pa.string(), metadata={"description": "0 zero report, 1 administrative ... 7 Group B"}),
    pa.field("ori", pa.string()),
    pa.field("incident_number", pa.string(), metadata={"description": "or the arrest transaction number (level 7)"}),
    pa.field("data_element", pa.string(), metadata={"description": "NIBRS data element number, e.g. 2A, 47"}),
    pa.field("error_number", pa.string(), metadata={"description": "FBI error number, blank when none applies"}),
    pa.field("value", pa.string()),
    pa.field("message", pa.string()),
    pa.field("rule", pa.string(), metadata={"description": "justice_schema rule or reject code"}),
    pa.field("source_file", pa.string()),
    pa.field("source_line", pa.int64()),
])

#: Canonical field -> NIBRS data element (NIBRS Technical Specification 2019.1, section 3).
DATA_ELEMENTS: Mapping[str, str] = {
    "incident_number": "2", "cargo_theft": "2A", "incident_date": "3", "incident_hour": "3",
    "incident_date_is_report_date": "3", "cleared_exceptionally": "4", "exceptional_clearance_date": "5",
    "offenses": "6", "offenses.ucr_offense_code": "6", "offenses.attempted_completed": "7",
    "offenses.suspected_of_using": "8", "offenses.bias_motivations": "8A", "offenses.location_type": "9",
    "offenses.premises_entered": "10", "offenses.method_of_entry": "11", "offenses.criminal_activities": "12",
    "offenses.weapons": "13", "offenses.weapons.code": "13", "offenses.weapons.automatic": "13",
    "loss_type": "14", "descriptions.description": "15", "descriptions.value": "16",
    "descriptions.recovered_date": "17", "stolen_vehicle_count": "18", "recovered_vehicle_count": "19",
    "drugs.drug_type": "20", "drugs.quantity": "21", "drugs.measure": "22",
    "victim_sequence_number": "23", "offense_codes": "24", "victim_type": "25", "officer_activity": "25A",
    "officer_assignment": "25B", "officer_other_ori": "25C", "victim_age": "26", "circumstances": "31",
    "justifiable_homicide_circumstance": "32", "injuries": "33", "relationships.offender_sequence_number": "34",
    "relationships.relationship": "35", "offender_sequence_number": "36", "offender_age": "37",
    "arrestee_sequence_number": "40", "arrest_transaction_number": "41", "arrest_date": "42", "arrest_type": "43",
    "multiple_arrestee_indicator": "44", "ucr_arrest_offense_code": "45", "armed_with": "46",
    "armed_with.code": "46", "armed_with.automatic": "46", "arrestee_age": "47", "juvenile_disposition": "52",
}
#: Fields whose data element depends on the segment (sex, race, ethnicity, resident status).
_PER_LEVEL = {
    "sex": {"4": "27", "5": "38", "6": "48", "7": "48"}, "race": {"4": "28", "5": "39", "6": "49", "7": "49"},
    "ethnicity": {"4": "29", "5": "39A", "6": "50", "7": "50"}, "resident_status": {"4": "30", "6": "51", "7": "51"},
}
#: NIBRS XML record types of the built-in translator -> segment level.
_XML_LEVELS = {"zero_report": "0", "incident": "1", "offense": "2", "property": "3", "substance": "3", "victim": "4",
               "law_enforcement_officer": "4", "offender": "5"}
#: A field rule of the schema -> the FBI's generic error of the segment level (x01 missing, x04 code...).
_GENERIC = {"missing": "01", "type": "02", "code": "04", "date": "05", "pattern": "17"}
_EDIT_IN_TEXT = re.compile(r"FBI edits? ([0-9]{3}(?:/[0-9]{3})*)")


@attrs.frozen(slots=True)
class CheckResult:
    """What checking one submission found: the error rows, the translation behind them, and the counts."""

    path: Path
    format: str
    errors: pa.Table
    translation: TranslationResult

    @property
    def segments(self) -> int:
        """Segments (flat-file lines, XML records) read."""
        return self.translation.reconciliation.rows_in

    @property
    def segments_refused(self) -> int:
        """Segments refused (each with at least one reason; those refused with their incident included)."""
        return self.translation.reconciliation.rows_rejected

    def report(self) -> ValidationReport:
        """The errors as a validation report, for the HTML page ``validate --html`` writes."""
        issues = pa.table({
            "row": self.errors.column("source_line"),
            "record_id": self.errors.column("incident_number"),
            "entity": pa.array([f"segment {level}" for level in self.errors.column("segment_level").to_pylist()],
                               pa.string()),
            "agency_ori": self.errors.column("ori"),
            "field": pa.array([f"DE {d}" if d else None for d in self.errors.column("data_element").to_pylist()],
                              pa.string()),
            "code": pa.array([f"FBI {n}" if n else r for n, r in zip(self.errors.column("error_number").to_pylist(),
                                                                    self.errors.column("rule").to_pylist())],
                             pa.string()),
            "severity": pa.repeat(pa.scalar("error"), self.errors.num_rows),
            "message": self.errors.column("message"),
            "value": self.errors.column("value"),
        })
        rows = self.segments
        refused = self.segments_refused
        return ValidationReport(entity="NIBRS submission", schema_version=CURRENT_SCHEMA_VERSION, rows_in=rows,
                                rows_valid=rows - refused, rows_rejected=refused, issues=issues,
                                source=str(self.path), redacted=False,
                                notes=(f"{self.format} submission checked with the FBI edits of the rule catalogue "
                                       "(NIBRS Technical Specification 2019.1)",))


def detect_format(path: str | Path) -> str:
    """``"nibrs_xml"`` when the file's first non-blank character is ``<``, else ``"nibrs_flatfile"``.

    Raises :class:`~justice_schema.errors.InputError` for a missing, unreadable or empty file.
    """
    target = Path(path)
    if not target.is_file():
        raise InputError("no such file", path=str(target))
    try:
        with target.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=str(target)) from None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise InputError("the file is empty: a NIBRS submission has at least one segment", path=str(target))
    return "nibrs_xml" if text.startswith(b"<") else "nibrs_flatfile"


def check_submission(path: str | Path, *, progress: Progress | None = None,
                     translator: Translator | None = None) -> CheckResult:
    """Run the FBI edits on the submission at ``path``; the errors in the FBI Error Data Set layout.

    ``translator`` overrides the built-in one chosen by :func:`detect_format` (it must be a NIBRS
    translator). Bad input (no file, an empty file) raises
    :class:`~justice_schema.errors.InputError` naming the file; a malformed segment is an error row.
    """
    kind = detect_format(path)
    translator = translator or Translator(builtin_spec_path(kind))
    result = translator.translate([Path(path)], progress=progress)
    layouts = _layouts(translator) if kind == "nibrs_flatfile" else {}
    rules = all_rules()
    edits = {rule.code: rule.nibrs_edits for rule in rules}
    kinds = {rule.code: rule.kind for rule in rules}
    rows: list[dict[str, object]] = []
    for reject in result.rejects.to_pylist():
        segment, ori, number, cells = _segment_of(kind, reject["record_type"], reject["raw"], layouts)
        # A value with no mapping is read as missing: the rules that then find it missing (or its list
        # empty) repeat the one error, which the FBI reports once (x04).
        untranslated = {i["field"] for i in reject["issues"] if i["code"] == "JS-T02" and i["field"]}
        for issue in reject["issues"]:
            if issue["code"] == "JS-T05" and "was rejected" in (issue["message"] or ""):
                continue  # refused with its incident: the incident's own error is listed
            field = issue["field"] or ""
            if issue["code"] != "JS-T02" and any(field == f or f.startswith(field + ".") for f in untranslated):
                continue
            # An offense's data elements are the offense segment's, gathered into the incident record.
            level = "2" if segment == "1" and field.startswith("offenses") else segment
            rows.append({
                "segment_level": level, "ori": ori, "incident_number": number,
                "data_element": _data_element(field, level),
                "error_number": _error_number(issue["code"], edits.get(issue["code"], ()), issue["message"], level,
                                              kinds.get(issue["code"])),
                "value": cells.get(field.rsplit(".", 1)[-1]) if field else None,
                "message": issue["message"], "rule": issue["code"],
                "source_file": Path(reject["source_file"]).name if reject["source_file"] else None,
                "source_line": reject["source_line"],
            })
    errors = pa.Table.from_pylist(rows, schema=ERROR_SCHEMA) if rows else ERROR_SCHEMA.empty_table()
    return CheckResult(Path(path), kind, errors, result)


def _layouts(translator: Translator) -> dict[str, list[tuple[str, int, int]]]:
    """Per flat-file segment level, its fields as (name, first position, last position)."""
    spec_layouts = translator.program.source.get("layouts", {})
    return {level: [(str(f[0]), int(f[1]), int(f[2])) for f in layout.get("fields", [])]
            for level, layout in spec_layouts.items()}


def _segment_of(kind: str, record_type: str, raw: str | None, layouts: Mapping[str, list[tuple[str, int, int]]]
                ) -> tuple[str, str | None, str | None, dict[str, str]]:
    """Segment level, ORI, incident (or arrest transaction) number and the named cells of one refused segment."""
    text = raw or ""
    if kind == "nibrs_flatfile":
        level = text[4:5] or record_type
        cells = {name: text[start - 1:end].strip() for name, start, end in layouts.get(level, ())}
        cells = {k: v for k, v in cells.items() if v}
        number = text[25:37].strip() or None
        return level, text[16:25].strip() or None, number, cells
    try:
        data = json.loads(text) if text.startswith("{") else {}
    except ValueError:
        data = {}
    cells = {str(k): str(v) for k, v in data.items() if v not in (None, "")}
    if record_type == "arrest":
        level = "6" if cells.get("incident_number") else "7"
    else:
        level = _XML_LEVELS.get(record_type, "")
    number = cells.get("incident_number") or cells.get("arrest_transaction_number")
    return level, cells.get("ori"), number, cells


def _data_element(field: str, level: str) -> str | None:
    """The NIBRS data element of a canonical field path (``offenses.method_of_entry`` -> 11)."""
    if not field:
        return None
    leaf = field.split(".")[-1]
    if leaf in _PER_LEVEL:
        return _PER_LEVEL[leaf].get(level)
    found = DATA_ELEMENTS.get(field) or DATA_ELEMENTS.get(leaf)
    if found is None and "." in field:
        found = DATA_ELEMENTS.get(field.split(".")[0])
    return found


def _error_number(code: str, rule_edits: tuple[str, ...], message: str, level: str,
                  kind: str | None = None) -> str | None:
    """The FBI error number of one reason, for the segment's level."""
    numbers = list(rule_edits)
    if not numbers:
        found = _EDIT_IN_TEXT.search(message or "")
        numbers = found.group(1).split("/") if found else []
    if not numbers and code == "JS-T02" and level:
        return f"{level}04"  # a value with no mapping: the level's "not a valid code" error
    if not numbers and kind in _GENERIC and level.isdigit() and level != "0":
        return f"{level}{_GENERIC[kind]}"
    if not numbers:
        return None
    mine = [n for n in numbers if n[:1] == level]
    return (mine or numbers)[0]
