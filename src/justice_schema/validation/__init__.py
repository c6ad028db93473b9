"""Validation: a coded rule catalogue, a columnar engine and a per-record engine, and reports.

Validate what you have::

    from justice_schema.validation import validate_file, validate_records, validate_table

    report = validate_file("arrests.csv", "arrest", valid="clean.parquet", rejects="rejects.csv")
    print(report.summary())
    report.to_html("report.html")

* :func:`validate_records` - dicts or models, one at a time (per-record engine, pydantic);
* :func:`validate_table` - a canonical Arrow table (columnar engine);
* :func:`validate_tables` - several tables keyed by entity, with the cross-entity rules;
* :func:`validate_file` - a CSV (flat layout), Parquet or JSON Lines file, streamed.

Every rule is in :data:`RULES` (``rule("JS-A20")`` finds one); the catalogue
page of the docs is :func:`~justice_schema.validation.docs.render_rule_catalogue`.
"""

from justice_schema.validation.api import (
    rejected_rows,
    valid_rows,
    validate_file,
    validate_record_batches,
    validate_records,
    validate_table,
    validate_tables,
)
from justice_schema.validation.columnar import ColumnarValidator
from justice_schema.validation.record import RecordValidator
from justice_schema.validation.report import ValidationReport
from justice_schema.validation.rule_types import ERROR, WARNING, Check, Rule
from justice_schema.validation.rules import all_rules, rule, rules_for

__all__ = [
    "validate_records",
    "validate_table",
    "validate_tables",
    "validate_record_batches",
    "validate_file",
    "valid_rows",
    "rejected_rows",
    "ValidationReport",
    "ColumnarValidator",
    "RecordValidator",
    "Rule",
    "Check",
    "ERROR",
    "WARNING",
    "RULES",
    "rule",
    "rules_for",
    "all_rules",
]


def __getattr__(name: str) -> object:
    if name == "RULES":
        return all_rules()
    raise AttributeError(name)
