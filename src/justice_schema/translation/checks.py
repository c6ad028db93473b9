"""Whole-column checks of canonical tables against the schema's field constraints.

Every record a translator emits must be a valid record of its model. Rather
than validate row by row with pydantic, the constraints are read once from the
published JSON Schema (required fields, lengths, patterns, code lists, ranges,
list sizes) and checked with Arrow compute on the whole table; nested structs
and lists are checked on their flattened values and the finding mapped back to
the record. A property test holds that every record passing these checks
passes the pydantic model.

>>> import pyarrow as pa
>>> from justice_schema.arrow import arrow_schema
>>> from justice_schema.translation.checks import field_problems
>>> schema = arrow_schema("person")
>>> row = {name: None for name in schema.names} | {"aliases": [], "other_identifiers": []}
>>> table = pa.Table.from_pylist([row | {"entity_type": "person", "schema_version": "1.0", "id": "p 1",
...     "source": {"agency_ori": "UT0180000", "system": "s", "record_key": "1",
...                "extracted_at": None}, "sex": "X"}], schema=schema)
>>> for _, messages in field_problems("person", "1.0", table):
...     print(messages.to_pylist())
["id: 'p 1' does not match the pattern ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"]
['source.extracted_at: required but missing']
["sex: 'X' is not a code of Sex"]
"""

from __future__ import annotations

from functools import cache
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, one_array, per_unique
from justice_schema._toolkit.scalars import scalar
from justice_schema.schema_json import json_schema
from justice_schema.translation import textops

FALSE = pa.scalar(False)

__all__ = ["FieldRule", "field_rules", "field_problems", "pattern_matches", "problems_as_reasons"]


@attrs.frozen(slots=True)
class FieldRule:
    """The constraints of one field (a dotted path) as the published JSON Schema states them."""

    path: tuple[str, ...]
    in_list: tuple[bool, ...]
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    enum_name: str | None = None
    const: Any = None
    minimum: float | None = None
    maximum: float | None = None
    min_items: int | None = None
    max_items: int | None = None


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> tuple[dict[str, Any], bool, str | None]:
    """(node without $ref / null branch, nullable, $defs name)."""
    nullable = False
    name = None
    if "anyOf" in node and any(b.get("type") == "null" for b in node["anyOf"]):
        branches = [b for b in node["anyOf"] if b.get("type") != "null"]
        nullable = True
        if len(branches) == 1:
            node = branches[0]
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["$defs"][name]
    return node, nullable, name


def _walk(schema: dict[str, Any], node: dict[str, Any], path: tuple[str, ...], in_list: tuple[bool, ...],
          required: set[str], out: list[FieldRule]) -> None:
    for name, prop in node.get("properties", {}).items():
        sub, nullable, ref_name = _resolve(schema, prop)
        here = path + (name,)
        is_required = name in required and not nullable and "default" not in prop
        kind = sub.get("type")
        if kind == "object":
            if is_required:
                out.append(FieldRule(here, in_list + (False,), required=True))
            _walk(schema, sub, here, in_list + (False,), set(sub.get("required", ())), out)
            continue
        if kind == "array":
            out.append(FieldRule(here, in_list + (False,), min_items=sub.get("minItems"),
                                 max_items=sub.get("maxItems"), required=is_required))
            item, _, item_ref = _resolve(schema, sub.get("items", {}))
            if item.get("type") == "object":
                _walk(schema, item, here, in_list + (True,), set(item.get("required", ())), out)
            else:
                out.append(_scalar_rule(item, here + ("[]",), in_list + (True, False), False, item_ref))
            continue
        out.append(_scalar_rule(sub, here, in_list + (False,), is_required, ref_name))


def _scalar_rule(node: dict[str, Any], path: tuple[str, ...], in_list: tuple[bool, ...], required: bool,
                 ref_name: str | None) -> FieldRule:
    return FieldRule(
        path, in_list, required=required,
        min_length=node.get("minLength"), max_length=node.get("maxLength"), pattern=node.get("pattern"),
        enum=tuple(node["enum"]) if "enum" in node else None, enum_name=ref_name,
        const=node.get("const"), minimum=node.get("minimum"), maximum=node.get("maximum"),
    )


@cache
def field_rules(entity_type: str, schema_version: str) -> tuple[FieldRule, ...]:
    """The field constraints of an entity, from its published JSON Schema."""
    schema = json_schema(entity_type, schema_version)
    out: list[FieldRule] = []
    _walk(schema, schema, (), (), set(schema.get("required", ())), out)
    return tuple(r for r in out if _has_check(r))


def _has_check(rule: FieldRule) -> bool:
    return any(v is not None and v is not False for v in (
        rule.required, rule.min_length, rule.max_length, rule.pattern, rule.enum, rule.const, rule.minimum,
        rule.maximum, rule.min_items, rule.max_items)) and rule.path[-1] not in ("entity_type", "schema_version")


def _descend(array: pa.Array, rule: FieldRule) -> tuple[pa.Array, pa.Array]:
    """(values at the rule's path, the record index of each value)."""
    n = len(array)
    owner = arange(n)
    current = array
    for depth, (name, listed) in enumerate(zip(rule.path, rule.in_list)):
        if depth > 0 and name != "[]":
            current = pc.struct_field(current, name)
        if listed:
            parents = pc.list_parent_indices(current)
            owner = pc.take(owner, parents)
            current = pc.list_flatten(current)
    return current, owner


def _label(rule: FieldRule) -> str:
    return ".".join(p for p in rule.path if p != "[]")


def _quote_values(values: pa.Array, before: str, after: str) -> pa.Array:
    text = pc.utf8_slice_codeunits(pc.cast(values, pa.string()), 0, 60)
    return pc.binary_join_element_wise(scalar(before + "'"), text, scalar("'" + after), scalar(""),
                                       null_handling="replace", null_replacement="")


def _rule_findings(table: pa.Table, rule: FieldRule) -> list[tuple[pa.Array, pa.Array]]:
    top = one_array(table.column(rule.path[0]))
    values, owner = _descend(top, rule)
    parent_valid = None
    if rule.required and len(rule.path) > 1 and not rule.in_list[-2]:
        # A required sub-field only matters where its struct is present.
        parent_rule = attrs.evolve(rule, path=rule.path[:-1], in_list=rule.in_list[:-1])
        parent_values, _ = _descend(top, parent_rule)
        parent_valid = pc.is_valid(parent_values)
    label = _label(rule)
    found: list[tuple[pa.Array, pa.Array]] = []

    def add(mask: pa.Array, message: str | tuple[str, str]) -> None:
        """Record the rows where ``mask`` holds; a (before, after) message quotes each bad value."""
        mask = pc.fill_null(mask, FALSE)
        if pc.any(mask).as_py():
            rows = pc.filter(owner, mask)
            if isinstance(message, str):
                texts = pa.repeat(scalar(message), len(rows))
            else:
                texts = _quote_values(pc.filter(values, mask), *message)
            found.append((rows, texts))

    if rule.required:
        missing = pc.is_null(values)
        if parent_valid is not None and pc.any(missing).as_py():
            missing = pc.and_(missing, parent_valid)
        add(missing, f"{label}: required but missing")
    if pa.types.is_list(values.type):
        lengths = pc.list_value_length(values)
        if rule.min_items:
            add(pc.less(pc.fill_null(lengths, scalar(0, lengths.type)), scalar(rule.min_items, lengths.type)),
                f"{label}: needs at least {rule.min_items} item(s)")
        if rule.max_items is not None:
            add(pc.greater(lengths, scalar(rule.max_items, lengths.type)), f"{label}: at most {rule.max_items} item(s) allowed")
        return found
    if pa.types.is_string(values.type):
        if rule.enum is not None:
            codes = pa.array(rule.enum, pa.string())
            bad = per_unique(values, lambda v: pc.invert(pc.is_in(v, value_set=codes)), costly=False)
            add(pc.and_(pc.is_valid(values), bad),
                (f"{label}: ", f" is not a code of {rule.enum_name or 'its code list'}"))
        if rule.min_length is not None or rule.max_length is not None:
            # Byte lengths bound the character count (1 to 4 bytes a character), so the
            # costlier UTF-8 count is only taken when the bytes cannot settle a bound.
            length = pc.binary_length(values)
            longest = pc.max(length).as_py() or 0
            shortest = pc.min(length).as_py() or 0
            if (rule.max_length is not None and longest > rule.max_length) or (
                    rule.min_length and rule.min_length > 1 and shortest < 4 * rule.min_length):
                length = pc.utf8_length(values)
            if rule.min_length:
                add(pc.less(length, scalar(rule.min_length, length.type)), f"{label}: shorter than {rule.min_length} character(s)")
            if rule.max_length is not None:
                add(pc.greater(length, scalar(rule.max_length, length.type)), f"{label}: longer than {rule.max_length} characters")
        if rule.pattern is not None:
            ok = pattern_matches(values, rule.pattern)
            add(pc.and_(pc.is_valid(values), pc.invert(pc.fill_null(ok, FALSE))),
                (f"{label}: ", " does not match the pattern " + rule.pattern))
    elif pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
        if rule.minimum is not None:
            add(pc.less(values, scalar(rule.minimum)), (f"{label}: ", f" is below {rule.minimum}"))
        if rule.maximum is not None:
            add(pc.greater(values, scalar(rule.maximum)), (f"{label}: ", f" is above {rule.maximum}"))
    return found


#: The schema's pattern for free text identifiers (case numbers, statutes, record keys).
TRIMMED_TEXT = r"^\S(.*\S)?$"
_RE2_SPACE = "\t\f\r "  # RE2's \s is [\t\n\f\r ]; the line feed is tested on its own


def pattern_matches(values: pa.Array, pattern: str) -> pa.Array:
    r"""Whether each text matches ``pattern`` as Arrow's regular expressions (RE2) read it.

    The free-text pattern ``^\S(.*\S)?$`` is the commonest; it holds exactly
    when the text has no line feed (RE2's ``.`` stops at one) and no RE2 space at
    either end, which whole-array trims and length comparisons decide several
    times faster than the regex engine. Other patterns run once per distinct
    value when values repeat.
    """
    if pattern == TRIMMED_TEXT and pa.types.is_string(values.type):
        length = pc.binary_length(values)
        ok = pc.and_(pc.greater(length, scalar(0, length.type)),
                     pc.equal(pc.binary_length(pc.ascii_trim(values, characters=_RE2_SPACE)), length))
        if textops.contains(values, "\n"):
            ok = pc.and_(ok, pc.invert(pc.match_substring(values, "\n")))
        return ok
    return per_unique(values, lambda v: pc.match_substring_regex(v, pattern), costly=False)


def field_problems(entity_type: str, schema_version: str, table: pa.Table,
                   fields: frozenset[str] | None = None,
                   proven: frozenset[tuple[str, str]] = frozenset()) -> list[tuple[pa.Array, pa.Array]]:
    """Every field-constraint violation in ``table``: ``(record positions, messages)`` pairs.

    The positions are 0-based row numbers of ``table``; each message names the
    field path and the problem. ``fields`` limits the checks to those top-level
    fields (and required ones): a translator passes the fields its spec fills,
    since the others are null or empty by construction. ``proven`` names
    ``(field, "pattern" | "enum")`` checks the compiler has proven cannot fail
    (an id built from a prefix and sanitised keys; a code from a map whose codes
    are all in the code list); they are skipped.
    """
    found: list[tuple[pa.Array, pa.Array]] = []
    for rule in field_rules(entity_type, schema_version):
        if rule.path[0] not in table.column_names:
            continue
        if fields is not None and rule.path[0] not in fields and not rule.required:
            continue
        if len(rule.path) == 1 and proven:
            if (rule.path[0], "pattern") in proven and rule.pattern is not None:
                rule = attrs.evolve(rule, pattern=None)
            if (rule.path[0], "enum") in proven and rule.enum is not None:
                rule = attrs.evolve(rule, enum=None)
        found.extend(_rule_findings(table, rule))
    return found


def problems_as_reasons(n: int, found: list[tuple[pa.Array, pa.Array]]) -> pa.Array:
    """The findings as one text per record (``"; "``-joined reasons; null where none).

    This is the shape of a ``validate`` hook's answer (see
    :class:`~justice_schema.translation.Translator`).
    """
    if not found:
        return pa.nulls(n, pa.string())
    rows = pa.concat_arrays([r for r, _ in found])
    texts = pa.concat_arrays([t for _, t in found])
    grouped = pa.table({"row": rows, "text": texts}).group_by("row").aggregate([("text", "list")])
    joined = pc.binary_join(grouped.column("text_list"), scalar("; "))
    index = pc.index_in(arange(n), value_set=grouped.column("row"))
    return pc.take(joined, index)
