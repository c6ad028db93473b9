"""The published JSON Schema and the pydantic models agree on what is valid.

Valid generated records pass both; records mutated to break one field-level
constraint fail both. The check is on JSON documents, the contract non-Python
consumers see.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import ValidationError

from justice_schema import json_schema, model_for
from justice_schema.testing import record_dicts

from ..conftest import entity_versions


@cache
def validator(entity: str, version: str) -> Draft202012Validator:
    schema = json_schema(entity, version)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def verdicts(entity: str, doc: dict[str, Any], version: str) -> tuple[bool, bool]:
    schema_ok = validator(entity, version).is_valid(doc)
    try:
        model_for(entity, version).model_validate_json(json.dumps(doc))
        model_ok = True
    except ValidationError:
        model_ok = False
    return schema_ok, model_ok


@pytest.mark.parametrize(("entity", "version"), entity_versions())
@given(data=st.data())
def test_valid_records_pass_both(entity, version, data):
    doc = data.draw(record_dicts(entity, version))
    assert verdicts(entity, doc, version) == (True, True)


#: Values that break a field of each JSON type; each must be refused by both.
BREAKERS: dict[str, list[Any]] = {
    "string": [12, True, "", [], {"x": 1}, "x" * 600],
    "integer": ["12", 1.5, True, -1, 10**9],
    "number": ["1.0", True, -5, None],
    "boolean": ["true", 1, "Y"],
    "array": ["[]", {"a": 1}, 3],
    "object": ["{}", [], 7],
    "enum": ["ZZ", "m", 1],
    "date": ["2020-13-01", "02/30/2020", "2020-02-30", 20200101, "2020-01-01T00:00:00Z"],
    "date-time": ["2024-05-01T12:00:00", "2024-05-01", 1714564800, "2024-05-01 12:00:00Z"],
}


def _kind(prop: dict[str, Any], defs: dict[str, Any]) -> str | None:
    options = prop.get("anyOf", [prop])
    for option in options:
        if "$ref" in option:
            target = defs[option["$ref"].split("/")[-1]]
            return "enum" if "enum" in target else "object"
        if option.get("format") in ("date", "date-time"):
            return option["format"]
        if "enum" in option or "const" in option:
            return "enum"
        if option.get("type") in BREAKERS:
            return option["type"]
    return None


def _mutations(entity: str, version: str) -> list[tuple[str, Any]]:
    schema = json_schema(entity, version)
    out = []
    for name, prop in schema["properties"].items():
        kind = _kind(prop, schema.get("$defs", {}))
        if kind is None or name in ("entity_type", "schema_version"):
            continue
        for value in BREAKERS[kind]:
            if value is None and "null" in json.dumps(prop):
                continue
            out.append((name, value))
    for required in schema.get("required", []):
        out.append((required, KeyError))
    out.append(("not_a_field", "surplus"))
    return out


@pytest.mark.parametrize(("entity", "version"), entity_versions())
@given(data=st.data())
def test_mutated_records_fail_both(entity, version, data):
    doc = data.draw(record_dicts(entity, version))
    name, value = data.draw(st.sampled_from(_mutations(entity, version)))
    if value is KeyError:
        doc.pop(name)
    else:
        doc[name] = value
    schema_ok, model_ok = verdicts(entity, doc, version)
    assert schema_ok == model_ok, f"{name}={value!r}: JSON Schema {schema_ok}, pydantic {model_ok}"
    assert not model_ok, f"{name}={value!r} should be invalid"


@pytest.mark.parametrize(("entity", "version"), entity_versions())
@given(data=st.data())
def test_nested_mutations_agree(entity, version, data):
    """Break a part of a nested value (source, address, age, sentence...)."""
    doc = data.draw(record_dicts(entity, version))
    nested = [k for k, v in doc.items() if isinstance(v, dict)]
    key = data.draw(st.sampled_from(nested))
    part = data.draw(st.sampled_from(sorted(doc[key])))
    doc[key] = {**doc[key], part: data.draw(st.sampled_from(["", 12, "bad value!", [], "2024-13-01"]))}
    schema_ok, model_ok = verdicts(entity, doc, version)
    assert schema_ok == model_ok, f"{key}.{part}={doc[key][part]!r}: JSON Schema {schema_ok}, pydantic {model_ok}"
