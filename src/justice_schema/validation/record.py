"""The per-record engine: pydantic models for the field rules, the rule conditions for the rest.

For APIs and small data. A record (a dict, JSON-like or from Arrow, or a
model) is validated by its pydantic model; each pydantic error is mapped to
the field-level rule of its kind (``missing`` → ``JS-x01``, ``enum`` →
``JS-x04`` ...). A record whose fields are valid then goes through the
record-level rules, evaluated with the same conditions the columnar engine
compiles. Missing values (``None``) in a dict mean "not provided", as in Arrow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Unpack

from pydantic import BaseModel, ValidationError

from justice_schema.issues import REDACTED, Issue
from justice_schema.registry import CURRENT_SCHEMA_VERSION
from justice_schema.v1 import version_key
from justice_schema.validation.constraints import (
    field_specs,
    has_control_character,
    is_free_text,
    spec_by_field,
)
from justice_schema.validation.engine_base import EngineOptions, EntityValidator
from justice_schema.validation.expr import PyScope, get_path
from justice_schema.validation.issues import format_value, is_public_field
from justice_schema.validation.rule_types import Rule
from justice_schema.validation.rules import rules_for

__all__ = ["RecordValidator", "kind_of_error"]

#: The message of the model's check that a record sets no field newer than the version it declares.
_LATER_FIELD = re.compile(r"field '([^']+)' was added in schema")
_RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "finite_number"}


def _drop_none(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_drop_none(v) for v in value]
    return value


def kind_of_error(error_type: str, field: str, entity_type: str, schema_version: str) -> str:
    """The field-rule kind a pydantic error type maps to (``"code"``, ``"missing"``...)."""
    if error_type == "missing":
        return "missing"
    if error_type == "extra_forbidden":
        return "unknown_field"
    if error_type == "literal_error":
        return "declaration"
    if error_type == "enum":
        return "code"
    if error_type in ("string_too_short", "string_too_long"):
        return "length"
    if error_type == "string_pattern_mismatch":
        return "pattern"
    if error_type in _RANGE_ERRORS:
        return "range"
    if error_type in ("too_short", "too_long"):
        return "items"
    spec = spec_by_field(entity_type, schema_version).get(field)
    if error_type.startswith(("date", "datetime")) or (error_type == "value_error" and spec is not None and spec.is_date):
        return "date"
    if error_type == "value_error" and spec is not None and spec.non_empty:
        return "empty"
    return "type"


class RecordValidator(EntityValidator):
    """Validates records of one entity one at a time.

    >>> v = RecordValidator("person")
    >>> issues = v.validate({"id": "p-1", "source": {"agency_ori": "ut0180000", "system": "s", "record_key": "1",
    ...                      "extracted_at": "2024-05-01T12:00:00Z"}}, row=1)
    >>> [(i.code, i.field) for i in issues]
    [('JS-P07', 'source.agency_ori')]

    A record with field errors is not checked further: record-level rules
    (and their warnings) run once its fields are valid. The options (``as_of``,
    ``redact``, ``check_duplicates``) are those of both engines
    (:class:`~justice_schema.validation.engine_base.EntityValidator`).
    """

    def __init__(self, entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION,
                 **options: Unpack[EngineOptions]) -> None:
        super().__init__(entity_type, schema_version, **options)
        self.record_rules: tuple[Rule, ...] = rules_for(entity_type, self.schema_version, level="record")
        self._seen: set[Any] | None = set() if self.check_duplicates else None
        self._free_text = tuple(s for s in field_specs(entity_type, self.schema_version) if is_free_text(s))

    def _issue(self, row: int, record: Any, rule_: Rule, field: str, value: Any) -> Issue:
        if value is None:
            shown = None
        elif self.redact and not is_public_field(self.entity_type, self.schema_version, field):
            shown = REDACTED
        else:
            shown = format_value(value)
        return Issue(row, _text(get_path(record, "id")), self.entity_type, _text(get_path(record, "source.agency_ori")),
                     field, rule_.code, rule_.severity, rule_.message, shown)

    def _control_issues(self, record: Mapping[str, Any] | BaseModel, row: int) -> list[Issue]:
        """``JS-x13``: free-text fields holding a control character (one issue per field, its first value)."""
        found = []
        for spec in self._free_text:
            for value in _values_at(record, spec.steps):
                if isinstance(value, str) and has_control_character(value):
                    found.append(self._issue(row, record, self.field_rules["control"], spec.field, value))
                    break
        return found

    def validate(self, record: Mapping[str, Any] | BaseModel, row: int) -> list[Issue]:
        """Issues of one record; ``row`` is its 1-based position in the input."""
        issues: list[Issue] = []
        model: BaseModel | None
        if isinstance(record, BaseModel):
            model = record
        else:
            model = None
            try:
                model = self.model.model_validate(_drop_none(record))
            except ValidationError as exc:
                seen: set[tuple[str, str]] = set()
                for error in exc.errors():
                    loc = error["loc"]
                    field = ".".join(str(p) for p in loc if not isinstance(p, int))
                    kind = kind_of_error(error["type"], field, self.entity_type, self.schema_version)
                    later = _LATER_FIELD.search(error.get("msg", "")) if not field else None
                    if later:
                        kind, field = "declaration", later.group(1)
                    rule_ = self.field_rules.get(kind) or self.field_rules["type"]
                    if (rule_.code, field) in seen:
                        continue
                    seen.add((rule_.code, field))
                    value = error.get("input") if not later else get_path(record, field)
                    issues.append(self._issue(row, record, rule_, field, value))
        issues.extend(self._control_issues(record, row))
        if issues:
            model = None  # a record with field errors is not checked further
        declared = getattr(model, "schema_version", None)
        if model is not None and declared is not None and version_key(str(declared)) > version_key(self.schema_version):
            # Pinned to an older version: a record declaring a newer one does not conform.
            issues.append(self._issue(row, record, self.field_rules["declaration"], "schema_version", declared))
            model = None
        if model is not None:
            scope = PyScope(model, model, self.as_of)
            for rule_ in self.record_rules:
                for check in rule_.checks:
                    scopes = [scope]
                    for list_path in check.scope:
                        scopes = [inner for outer in scopes for inner in outer.sub(list_path)]
                    for inner in scopes:
                        if check.condition.py(inner) is True:
                            value = check.value_expr().py(inner)
                            issues.append(self._issue(row, record, rule_, check.field, value))
                            break
        if self._seen is not None:
            key = get_path(record, "id")
            if isinstance(key, str):
                if key in self._seen:
                    issues.append(self._issue(row, record, self._dup_rule, "id", key))
                self._seen.add(key)
        return issues

    def validate_many(self, records: Iterable[Mapping[str, Any] | BaseModel], first_row: int = 1) -> list[Issue]:
        """Issues of many records, numbered from ``first_row``."""
        out: list[Issue] = []
        for offset, record in enumerate(records):
            out.extend(self.validate(record, first_row + offset))
        return out


def _values_at(node: Any, steps: tuple[str, ...]) -> list[Any]:
    """The values at ``steps`` of a record (dict or model); ``"[]"`` steps into every list item."""
    current = [node]
    for step in steps:
        following: list[Any] = []
        for item in current:
            if step == "[]":
                if isinstance(item, (list, tuple)):
                    following.extend(item)
            elif isinstance(item, Mapping):
                if step in item:
                    following.append(item[step])
            elif isinstance(item, BaseModel):
                following.append(getattr(item, step, None))
        current = [v for v in following if v is not None]
    return current


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
