"""What both validation engines are built from: one entity, its pinned schema version, the shared options.

:class:`~justice_schema.validation.columnar.ColumnarValidator` (Arrow batches) and
:class:`~justice_schema.validation.record.RecordValidator` (one record at a time) must give
the same verdict; they take the same options, set here once.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict, Unpack

from justice_schema.registry import CURRENT_SCHEMA_VERSION, check_version, model_for
from justice_schema.validation.rule_types import Rule
from justice_schema.validation.rules import rule, rules_for

__all__ = ["EngineOptions", "EntityValidator"]


class EngineOptions(TypedDict, total=False):
    """The keyword options both engines take (see :class:`EntityValidator`)."""

    as_of: date | None
    redact: bool
    check_duplicates: bool


class EntityValidator:
    """The entity and options a validation engine checks with.

    ``schema_version`` is checked (an unsupported one raises
    :class:`~justice_schema.errors.UnsupportedSchemaVersionError`). ``as_of`` is the
    date "the future" starts after (default: today). ``redact`` replaces personal
    values in issues with ``"<redacted>"``. ``check_duplicates`` flags ids already used
    by an earlier record (JS-X01). ``model`` is the entity's pydantic model,
    ``field_rules`` its field rules by kind.
    """

    def __init__(self, entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION,
                 **options: Unpack[EngineOptions]) -> None:
        self.entity_type = entity_type
        self.schema_version = check_version(schema_version)
        self.model = model_for(entity_type, self.schema_version)
        self.as_of = options.get("as_of") or date.today()
        self.redact = options.get("redact", True)
        self.check_duplicates = options.get("check_duplicates", True)
        self.field_rules: dict[str | None, Rule] = {
            r.kind: r for r in rules_for(entity_type, self.schema_version, level="field")}
        self._dup_rule = rule("JS-X01", self.schema_version)
