"""Compare two JSON Schemas of a record, field by field, and name each difference.

The comparison is structural, over the subset of JSON Schema the published
schemas use (and vendors' extensions of them normally use): ``properties``,
``required``, ``additionalProperties``, ``type``, ``enum``/``const``,
``pattern``, ``format``, length / range / item bounds, ``items``, local
``$ref`` into ``$defs``, and ``anyOf`` with ``null`` for optional values.
Conditional keywords are compared as text and reported for review.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from justice_schema._toolkit.jsonlines import json_type
from justice_schema.versioning.rules import BACKWARD, FORWARD

__all__ = ["Change", "diff_json_schemas"]

_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")
_CONDITIONAL_KEYS = ("allOf", "oneOf", "not", "if", "then", "else", "dependentRequired", "dependentSchemas")
#: keyword -> (rule when the new schema is stricter, rule when looser, True for an upper bound)
_BOUNDS: dict[str, tuple[str, str, bool]] = {
    "maxLength": ("max_length_reduced", "max_length_increased", True),
    "minLength": ("min_length_increased", "min_length_reduced", False),
    "maximum": ("maximum_reduced", "maximum_increased", True),
    "exclusiveMaximum": ("maximum_reduced", "maximum_increased", True),
    "minimum": ("minimum_increased", "minimum_reduced", False),
    "exclusiveMinimum": ("minimum_increased", "minimum_reduced", False),
    "maxItems": ("max_items_reduced", "max_items_increased", True),
    "minItems": ("min_items_increased", "min_items_reduced", False),
}


@attrs.frozen(slots=True)
class Change:
    """One difference found between two schemas: the rule, where, what, and the directions it breaks."""

    rule: str
    path: str
    detail: str
    breaks: frozenset[str]


@attrs.frozen(slots=True)
class _Node:
    types: frozenset[str] | None
    enum: frozenset[str] | None
    pattern: str | None
    format: str | None
    bounds: tuple[tuple[str, float], ...]
    properties: tuple[tuple[str, _Node], ...] | None
    required: frozenset[str]
    closed: bool
    items: _Node | None
    conditions: str | None


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class _Reader:
    """Turns a JSON Schema node into a :class:`_Node`, resolving local ``$ref``."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root

    def resolve(self, schema: Any, seen: tuple[str, ...] = ()) -> Mapping[str, Any]:
        if not isinstance(schema, Mapping):
            return {}
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and ref not in seen:
            target: Any = self.root
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, Mapping) else {}
            merged = {**self.resolve(target, seen + (ref,)), **{k: v for k, v in schema.items() if k != "$ref"}}
            return merged
        return schema

    def node(self, schema: Any, depth: int = 0) -> _Node:
        schema = self.resolve(schema)
        nullable = False
        options = schema.get("anyOf")
        conditions: dict[str, Any] = {k: schema[k] for k in _CONDITIONAL_KEYS if k in schema}
        if isinstance(options, list):
            resolved = [self.resolve(o) for o in options]
            non_null = [o for o in resolved if o.get("type") != "null"]
            nullable = len(non_null) < len(resolved)
            if len(non_null) == 1 and not schema.get("properties"):
                inner = {**{k: v for k, v in schema.items() if k != "anyOf"}, **non_null[0]}
                base = self.node(inner, depth)
                if nullable and base.types is not None:
                    return attrs.evolve(base, types=base.types | {"null"})
                return base
            if not non_null:
                schema = {**schema, "type": "null"}
            else:
                conditions["anyOf"] = options
        types = self._types(schema)
        if nullable and types is not None:
            types = types | {"null"}
        enum = None
        if "enum" in schema and isinstance(schema["enum"], list):
            enum = frozenset(_canon(v) for v in schema["enum"])
        elif "const" in schema:
            enum = frozenset([_canon(schema["const"])])
        if enum is not None and types is None:
            types = frozenset(json_type(json.loads(v)) for v in enum)
        bounds = tuple(sorted(
            (k, float(schema[k])) for k in _BOUNDS if isinstance(schema.get(k), (int, float))
            and not isinstance(schema.get(k), bool)
        ))
        properties = None
        if isinstance(schema.get("properties"), Mapping) and depth < 32:
            properties = tuple((name, self.node(sub, depth + 1)) for name, sub in schema["properties"].items())
        items = self.node(schema["items"], depth + 1) if isinstance(schema.get("items"), Mapping) and depth < 32 else None
        return _Node(
            types=types,
            enum=enum,
            pattern=schema.get("pattern") if isinstance(schema.get("pattern"), str) else None,
            format=schema.get("format") if isinstance(schema.get("format"), str) else None,
            bounds=bounds,
            properties=properties,
            required=frozenset(r for r in schema.get("required", []) if isinstance(r, str)),
            closed=schema.get("additionalProperties") is False,
            items=items,
            conditions=_canon(conditions) if conditions else None,
        )

    @staticmethod
    def _types(schema: Mapping[str, Any]) -> frozenset[str] | None:
        declared = schema.get("type")
        if isinstance(declared, str):
            return frozenset([declared])
        if isinstance(declared, list):
            return frozenset(t for t in declared if isinstance(t, str))
        if "properties" in schema:
            return frozenset(["object"])
        return None


def _accepts(reader: frozenset[str] | None, writer: frozenset[str] | None) -> bool:
    """Does a value of types ``reader`` accept every value of types ``writer``? ``None`` = any type."""
    if reader is None:
        return True
    if writer is None:
        return False
    return all(t in reader or (t == "integer" and "number" in reader) for t in writer)


def _both(b: bool, f: bool) -> frozenset[str]:
    return frozenset(d for d, on in ((BACKWARD, b), (FORWARD, f)) if on)


def _label(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(t for t in _TYPES if t in types) or "none"


def _compare(old: _Node, new: _Node, path: str) -> Iterator[Change]:
    where = path or "(record)"
    # types
    if old.types != new.types:
        new_reads_old = _accepts(new.types, old.types)
        old_reads_new = _accepts(old.types, new.types)
        detail = f"{_label(old.types)} -> {_label(new.types)}"
        if new_reads_old and not old_reads_new:
            yield Change("type_widened", where, detail, _both(False, True))
        elif old_reads_new and not new_reads_old:
            yield Change("type_narrowed", where, detail, _both(True, False))
        elif not old_reads_new:
            yield Change("type_changed", where, detail, _both(True, True))
    # enums
    if old.enum is not None and new.enum is not None:
        removed, added = sorted(old.enum - new.enum), sorted(new.enum - old.enum)
        if removed:
            yield Change("enum_value_removed", where, f"no longer allowed: {', '.join(removed)}", _both(True, False))
        if added:
            yield Change("enum_value_added", where, f"newly allowed: {', '.join(added)}", _both(False, True))
    elif new.enum is not None:
        yield Change("enum_constraint_added", where, f"now limited to {len(new.enum)} values", _both(True, False))
    elif old.enum is not None:
        yield Change("enum_constraint_removed", where, f"was limited to {len(old.enum)} values", _both(False, True))
    # patterns and formats
    if old.pattern != new.pattern:
        if old.pattern is None:
            yield Change("pattern_added", where, f"must now match {new.pattern}", _both(True, False))
        elif new.pattern is None:
            yield Change("pattern_removed", where, f"no longer must match {old.pattern}", _both(False, True))
        else:
            yield Change("pattern_changed", where, f"{old.pattern} -> {new.pattern}", _both(True, True))
    if old.format != new.format:
        yield Change(
            "format_changed", where, f"{old.format or 'no format'} -> {new.format or 'no format'}",
            _both(new.format is not None, old.format is not None),
        )
    # bounds
    old_bounds, new_bounds = dict(old.bounds), dict(new.bounds)
    for key in sorted(set(old_bounds) | set(new_bounds)):
        stricter, looser, upper = _BOUNDS[key]
        before, after = old_bounds.get(key), new_bounds.get(key)
        if before == after:
            continue
        if before is None:
            tighter = True
        elif after is None:
            tighter = False
        else:
            tighter = after < before if upper else after > before
        detail = f"{key} {_num(before)} -> {_num(after)}"
        yield Change(stricter if tighter else looser, where, detail, _both(tighter, not tighter))
    # records
    if old.properties is not None or new.properties is not None:
        yield from _compare_properties(old, new, path)
    # lists
    if old.items is not None and new.items is not None:
        yield from _compare(old.items, new.items, f"{path}[]")
    # conditions
    if old.conditions != new.conditions:
        yield Change("conditions_changed", where, "conditional constraints differ; review by hand", frozenset())


def _num(value: float | None) -> str:
    if value is None:
        return "unset"
    return str(int(value)) if value == int(value) else str(value)


def _compare_properties(old: _Node, new: _Node, path: str) -> Iterator[Change]:
    old_props, new_props = dict(old.properties or ()), dict(new.properties or ())
    prefix = f"{path}." if path else ""
    for name in old_props:
        if name not in new_props:
            yield Change(
                "field_removed", f"{prefix}{name}",
                "removed" + (" (it was required)" if name in old.required else ""),
                _both(new.closed, name in old.required),
            )
    for name in new_props:
        if name in old_props:
            continue
        if name in new.required:
            yield Change("required_field_added", f"{prefix}{name}", "added as a required field", _both(True, old.closed))
        else:
            yield Change(
                "field_added", f"{prefix}{name}",
                "added as an optional field" + (" to a closed record" if old.closed else ""),
                _both(False, old.closed),
            )
    for name in old_props:
        if name not in new_props:
            continue
        if name in new.required and name not in old.required:
            yield Change("field_made_required", f"{prefix}{name}", "optional -> required", _both(True, False))
        elif name in old.required and name not in new.required:
            yield Change("field_made_optional", f"{prefix}{name}", "required -> optional", _both(False, True))
        yield from _compare(old_props[name], new_props[name], f"{prefix}{name}")
    if old.closed and not new.closed:
        yield Change("record_opened", path or "(record)", "unknown fields are now allowed", _both(False, True))
    elif new.closed and not old.closed:
        yield Change("record_closed", path or "(record)", "unknown fields are now refused", _both(True, False))


def diff_json_schemas(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference between two JSON Schemas of a record, as rule-named :class:`Change` values.

    >>> old = {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}
    >>> [c.rule for c in diff_json_schemas(old, {**old, "properties": {}})]
    ['field_removed']
    """
    return list(_compare(_Reader(old).node(old), _Reader(new).node(new), ""))
