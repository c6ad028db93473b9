"""One issue record for every stage: validation issues, identity data issues, translation rejects.

Every problem the library reports about outside data, whichever stage finds it, is an
:class:`Issue`: a stable ``code`` (looked up in the rule catalogue, ``docs/rules``), a
``severity`` (``"error"`` or ``"warning"``), the ``entity`` and dotted ``field`` it is about,
the ``row`` it was found on, the offending ``value`` (shown, or :data:`REDACTED`) and a
``message``. As a table (a validation report, ``match --issues``) its columns are
:data:`ISSUE_SCHEMA`.

**Rows are 1-based everywhere**: ``row`` is the record's number in the input as a user
counts it (the first record is row 1; in a CSV file with a header, row *n* is on line
*n* + 1). A translation reject names its source file and physical line instead
(``source_file``, ``source_line``, also 1-based) because a source row is not yet a record.

Code families: ``JS-P``/``JS-S``/``JS-X``... the validation rules
(:mod:`justice_schema.validation.rules`), ``JS-M`` the values identity matching worked
around (:mod:`justice_schema.identity`), ``JS-T`` the source rows translation rejects
(:mod:`justice_schema.translation.rejects`).

>>> issue = Issue(3, "P1", "person", None, "date_of_birth", "JS-M03", ERROR, "not a date", REDACTED)
>>> issue.redacted, issue_where(issue)
(True, "row 3, field 'date_of_birth'")
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pyarrow as pa

__all__ = ["ERROR", "WARNING", "REDACTED", "ISSUE_SCHEMA", "Issue", "issues_table", "empty_issues",
           "issue_where"]

#: Severity of an issue that makes a record unusable (rejected, or a value dropped).
ERROR = "error"
#: Severity of an issue worth knowing that leaves the record usable.
WARNING = "warning"
#: What a redacted value reads as (personal values are not shown unless the caller asks).
REDACTED = "<redacted>"

#: Columns of every issue table, in this order.
ISSUE_SCHEMA = pa.schema([
    pa.field("row", pa.int64(), metadata={"description": "1-based row (record) number in the input"}),
    pa.field("record_id", pa.string(), metadata={"description": "id of the record, when readable"}),
    pa.field("entity", pa.string()),
    pa.field("agency_ori", pa.string(), metadata={"description": "source.agency_ori of the record"}),
    pa.field("field", pa.string(), metadata={"description": "field path, list levels dropped"}),
    pa.field("code", pa.string()),
    pa.field("severity", pa.string()),
    pa.field("message", pa.string()),
    pa.field("value", pa.string(), metadata={"description": "offending value, redacted unless public"}),
])


@attrs.frozen(slots=True)
class Issue:
    """One coded problem with one record (or one value of it); the fields are the columns of :data:`ISSUE_SCHEMA`.

    ``row`` is 1-based (see the module). ``value`` is the offending value's text,
    :data:`REDACTED` when it is personal and the caller did not ask for values, or
    ``None`` when there is none (a missing value).
    """

    row: int | None
    record_id: str | None
    entity: str | None
    agency_ori: str | None
    field: str | None
    code: str
    severity: str
    message: str
    value: str | None

    @property
    def redacted(self) -> bool:
        """True when the value is hidden (:data:`REDACTED`)."""
        return self.value == REDACTED


def issue_where(issue: Issue) -> str:
    """Where an issue is, for one line of text: ``"row 3, field 'sex'"``."""
    parts = [f"row {issue.row}" if issue.row is not None else None,
             f"field {issue.field!r}" if issue.field else None]
    return ", ".join(p for p in parts if p)


def issues_table(issues: Sequence[Issue]) -> pa.Table:
    """An issue table (:data:`ISSUE_SCHEMA`) from :class:`Issue` values."""
    columns = {name: [getattr(issue, name) for issue in issues] for name in ISSUE_SCHEMA.names}
    return pa.table(columns, schema=ISSUE_SCHEMA)


def empty_issues() -> pa.Table:
    """An issue table with no rows."""
    return ISSUE_SCHEMA.empty_table()
