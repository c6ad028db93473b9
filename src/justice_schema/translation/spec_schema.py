"""The JSON Schema of the mapping-spec language (a translator's TOML file).

The schema is built here (the expression kinds from the registry in
:mod:`~justice_schema.translation.kinds`) and published as ``mapping-spec.schema.json`` next to
this module; a test keeps the file and the builder identical. Use
:func:`spec_json_schema` to get it, for example to validate specs in an editor.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from justice_schema.registry import ENTITY_TYPES
from justice_schema.translation.conditions import condition_schema
from justice_schema.translation.kinds import CONDITION_REF, EXPRESSION_REF, MODIFIERS, kinds

__all__ = ["EXPRESSION_KINDS", "REQUIRED_OPTIONS", "SPEC_LANGUAGE_VERSION", "build_spec_json_schema",
           "render_spec_json_schema", "spec_json_schema"]

#: Version of the mapping language itself (the ``spec_version`` key).
SPEC_LANGUAGE_VERSION = 1

_EXPR = dict(EXPRESSION_REF)
_COND = dict(CONDITION_REF)
_STRINGS = {"type": "array", "items": {"type": "string"}}
_UNMAPPED = {"enum": ["reject", "unknown", "keep_raw_warn"]}

#: Each expression kind and the JSON Schema of each option it takes (a view of the kind registry,
#: :mod:`justice_schema.translation.kinds`, where kinds are declared).
EXPRESSION_KINDS: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {kind.name: MappingProxyType(kind.property_schemas()) for kind in kinds()})
#: Required options per kind besides the kind key (a view of the kind registry).
REQUIRED_OPTIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {kind.name: kind.required for kind in kinds() if kind.required})


def _expression_schema() -> dict[str, Any]:
    branches = []
    for kind in kinds():
        branches.append({
            "if": {"type": "object", "required": [kind.name]},
            "then": {
                "properties": {**kind.property_schemas(), **{k: dict(v) for k, v in MODIFIERS.items()}},
                "required": [kind.name, *kind.required],
                "additionalProperties": False,
            },
        })
    return {
        "description": "How a value is computed. A bare string is a column name; a table names one kind.",
        "anyOf": [
            {"type": "string", "minLength": 1},
            {"type": "object", "minProperties": 1, "allOf": branches},
        ],
    }


def build_spec_json_schema() -> dict[str, Any]:
    """Build the JSON Schema of a translator spec (what :func:`spec_json_schema` returns)."""
    name = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
    reader_options = {"type": "object", "required": ["format"], "properties": {
        "format": {"type": "string"},
        "files": {"type": "string", "description": "glob of the main input's file names; other files not "
                                                  "claimed by a join or gather are ignored and listed"},
        "optional_columns": {**_STRINGS, "description": "columns an export may lack (read as null)"},
        "record_types": {
            "type": "object", "minProperties": 1,
            "description": "a record type per file: each main input file is read as the record type of the first "
                           "pattern its name matches (instead of files); other files not claimed by a join or "
                           "gather are ignored and listed",
            "propertyNames": {"minLength": 1},
            "additionalProperties": {"anyOf": [{"type": "string", "minLength": 1},
                                               {**_STRINGS, "minItems": 1, "items": {"type": "string",
                                                                                     "minLength": 1}}]},
        },
    }}
    entity = {
        "type": "object",
        "required": ["type", "id", "fields"],
        "additionalProperties": False,
        "properties": {
            "type": {"enum": list(ENTITY_TYPES)},
            "name": name,
            "record_type": {"type": "string"},
            "schema_version": {"type": "string", "pattern": r"^[0-9]+\.[0-9]+$",
                               "description": "the schema version this block's records declare, when not the "
                                              "translator's (an entity that exists only in a later schema)"},
            "when": _COND,
            "each": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "repeat": {"type": "object", "required": ["from", "to"], "additionalProperties": False,
                               "properties": {"from": {"type": "integer", "minimum": 0},
                                              "to": {"type": "integer", "minimum": 0}}},
                    "array": {"type": "string"},
                    "present": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                },
                "oneOf": [{"required": ["repeat"]}, {"required": ["array"]}],
            },
            "dedupe": {"type": "boolean"},
            "id": _EXPR,
            "source_key": _EXPR,
            "agency_ori": _EXPR,
            "fields": {"type": "object", "additionalProperties": {"$ref": "#/$defs/field_value"}},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:justice-schema:mapping-spec:1",
        "title": "justice_schema translator mapping spec",
        "description": "A TOML file that says how one vendor export becomes canonical records.",
        "type": "object",
        "required": ["spec_version", "translator", "source", "entity"],
        "additionalProperties": False,
        "properties": {
            "spec_version": {"const": SPEC_LANGUAGE_VERSION},
            "translator": {
                "type": "object",
                "required": ["name", "title", "system", "agency_ori", "timezone"],
                "additionalProperties": False,
                "properties": {
                    "name": name,
                    "title": {"type": "string"},
                    "description": {"type": "string"},
                    "format_version": {"type": "string"},
                    "source_url": {"type": "string"},
                    "system": {"type": "string", "minLength": 1, "maxLength": 100},
                    "agency_ori": _EXPR,
                    "timezone": {"type": "string"},
                    "schema_version": {"type": "string", "pattern": r"^[0-9]+\.[0-9]+$",
                                       "description": "a schema version this release supports, e.g. 1.0"},
                },
            },
            "source": reader_options,
            "join": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "files", "on"],
                    "additionalProperties": False,
                    "properties": {
                        "name": name,
                        "files": {"type": "string", "description": "glob matched against input file names"},
                        "on": {**_STRINGS, "minItems": 1},
                        "keys": {**_STRINGS, "minItems": 1},
                        "required": {"type": "boolean"},
                        "ignore_case": {"type": "boolean"},
                        "source": {"type": "object"},
                        "unless_param": {"type": "string", "description": "skip this join when the named "
                                                                         "parameter is given (its file is then "
                                                                         "not needed)"},
                        "record_types": {**_STRINGS, "minItems": 1,
                                         "description": "join only the rows of these record types (default: "
                                                        "every record type)"},
                    },
                },
            },
            "params": {
                "type": "object",
                "description": "parameters the user gives the translator (--param NAME=VALUE), used as { param = NAME }",
                "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
                "additionalProperties": {
                    "type": "object",
                    "required": ["description"],
                    "additionalProperties": False,
                    "properties": {
                        "description": {"type": "string", "minLength": 1},
                        "required": {"type": "boolean"},
                        "default": {"type": "string"},
                        "pattern": {"type": "string", "description": "a regex the value must match"},
                    },
                },
            },
            "maps": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "required": ["values"],
                    "additionalProperties": False,
                    "properties": {
                        "values": {"type": "object", "additionalProperties": {"type": "string"}},
                        "unmapped": _UNMAPPED,
                        "unknown": {"type": "string"},
                        "case_sensitive": {"type": "boolean"},
                        "reason": {"type": "string", "minLength": 1,
                                   "description": "the rule an unmapped value breaks, quoted in its reject "
                                                  "(e.g. a standard's edit number)"},
                    },
                },
            },
            "instruction": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["kind"],
                    "additionalProperties": False,
                    "properties": {
                        "kind": name,
                        "record_type": {"type": "string"},
                        "when": _COND,
                        "translate": {
                            "type": "boolean",
                            "description": "also translate the row (a replacement): reported and translated",
                        },
                    },
                },
            },
            "gather": {
                "type": "array",
                "description": "child rows attached to their parent row as <name>.<k>.<column> columns",
                "items": {
                    "type": "object",
                    "required": ["name", "into", "on", "max"],
                    "additionalProperties": False,
                    "properties": {
                        "name": name,
                        "record_type": {"type": "string", "description": "children: rows of this record type"},
                        "files": {"type": "string", "description": "children: rows of files matching this glob"},
                        "into": {"type": "string", "description": "the parents' record type"},
                        "on": {**_STRINGS, "minItems": 1},
                        "keys": {**_STRINGS, "minItems": 1},
                        "max": {"type": "integer", "minimum": 1, "maximum": 999},
                        "orphans": {"enum": ["reject", "report"]},
                        "attach": {"enum": ["key", "preceding", "group"],
                                   "description": "key: a child belongs to the first parent with its key; "
                                                  "preceding: to the nearest parent with its key before it in "
                                                  "the same file (segments follow their header); group: "
                                                  "into is record_type, and the rows sharing a key become one "
                                                  "record, the first, holding them all"},
                        "distinct": {**_STRINGS, "minItems": 1,
                                     "description": "group gathers: gather a row only when these columns are "
                                                    "filled and new in its group"},
                        "source": {"type": "object"},
                    },
                    "oneOf": [{"required": ["record_type"]}, {"required": ["files"]}],
                },
            },
            "not_mapped": {
                "type": "array",
                "description": "record types the canonical schema has no entity for: counted, not rejected",
                "items": {
                    "type": "object",
                    "required": ["record_type", "reason"],
                    "additionalProperties": False,
                    "properties": {"record_type": {"type": "string"}, "reason": {"type": "string", "minLength": 1}},
                },
            },
            "entity": {"type": "array", "items": entity, "minItems": 1},
        },
        "$defs": {
            "expression": _expression_schema(),
            "condition": condition_schema(),
            "field_value": {
                "description": "An expression, a table of sub-fields (a struct), or an array of them (a list).",
                "anyOf": [_EXPR, {"type": "object"}, {"type": "array", "items": {"type": ["object", "string"]}}],
            },
        },
    }


def render_spec_json_schema() -> str:
    """The text of ``mapping-spec.schema.json`` as :func:`build_spec_json_schema` makes it.

    ``python tools/write_mapping_spec_schema.py`` writes it after a kind or key of the
    language changed; a test holds the published file to this text.
    """
    return json.dumps(build_spec_json_schema(), indent=2) + "\n"


@cache
def _schema_text() -> str:
    return resources.files(__package__).joinpath("mapping-spec.schema.json").read_text(encoding="utf-8")


def spec_json_schema() -> dict[str, Any]:
    """The published JSON Schema of a translator spec, as a dict.

    >>> spec_json_schema()["$id"]
    'urn:justice-schema:mapping-spec:1'
    """
    return json.loads(_schema_text())
