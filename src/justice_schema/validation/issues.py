"""Validation issues: one row per (record, rule, field), as an Arrow table.

Issues are data, not log lines. The record and its table layout are the library's one
issue shape (:mod:`justice_schema.issues`, re-exported here). The ``value`` column shows
the offending value only when it is not personal: codes, flags and declarations are
shown, every other value is replaced by ``"<redacted>"`` unless the caller asks for
values (``redact=False``). Messages never contain values, so an issue table can be
logged or sent to the agency without leaking personal data.
The issue record itself lives in :mod:`justice_schema.issues`; its names are importable from
here too, for callers written before it moved.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.issues import ISSUE_SCHEMA, REDACTED, Issue, empty_issues, issues_table  # noqa: F401 (re-exported)
from justice_schema.validation.constraints import spec_by_field

__all__ = ["is_public_field", "format_value"]

#: Longest value text an issue keeps (a huge field is cut, with a marker).
MAX_VALUE_CHARS = 200


def is_public_field(entity_type: str, schema_version: str, field: str) -> bool:
    """True when values of ``field`` are not personal data (codes, flags, declarations)."""
    spec = spec_by_field(entity_type, schema_version).get(field)
    if spec is None:
        return False
    return spec.codes is not None or spec.literal is not None or pa.types.is_boolean(spec.arrow_type)


def format_value(value: Any) -> str | None:
    """The text an issue shows for a Python value (same as the columnar engine's cast to text)."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (list, tuple, dict)):
        text = json.dumps(value, default=str, ensure_ascii=False)
    elif hasattr(value, "value") and isinstance(value.value, str):
        text = value.value
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"


def clip_text(values: pa.Array) -> pa.Array:
    """Cut text values longer than :data:`MAX_VALUE_CHARS`."""
    too_long = pc.greater(pc.utf8_length(values), MAX_VALUE_CHARS)
    if not pc.any(too_long).as_py():
        return values
    cut = pc.binary_join_element_wise(pc.utf8_slice_codeunits(values, 0, MAX_VALUE_CHARS), pa.scalar("…"), "")
    return pc.if_else(too_long, cut, values)
