"""Compare two Arrow schemas column by column, and name each difference.

Readers are assumed to select columns by name (as ``pyarrow``, Parquet and
every Arrow-based engine do): an extra column is ignored, and a missing
nullable column can be read as all nulls. A type change is judged by whether
it is a lossless widening (every old value fits the new type).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from justice_schema.versioning.json_diff import Change
from justice_schema.versioning.rules import BACKWARD, FORWARD

__all__ = ["diff_arrow_schemas", "widens"]

_SIGNED = [pa.int8(), pa.int16(), pa.int32(), pa.int64()]
_UNSIGNED = [pa.uint8(), pa.uint16(), pa.uint32(), pa.uint64()]
_FLOATS = [pa.float16(), pa.float32(), pa.float64()]
_UNITS = ["s", "ms", "us"]  # ns is left out on purpose: its range ends in 2262


def _rank(t: pa.DataType, ladder: list[pa.DataType]) -> int | None:
    for i, step in enumerate(ladder):
        if t == step:
            return i
    return None


def _plain(t: pa.DataType) -> pa.DataType:
    """Dictionary encoding is a representation, not a type: compare the values' type."""
    return t.value_type if pa.types.is_dictionary(t) else t


def widens(old: pa.DataType, new: pa.DataType) -> bool:
    """True when every value of Arrow type ``old`` is exactly representable in ``new`` (and they differ).

    >>> widens(pa.int32(), pa.int64()), widens(pa.int64(), pa.int32())
    (True, False)
    """
    old, new = _plain(old), _plain(new)
    if old == new:
        return False
    if pa.types.is_null(old):
        return True
    for ladder in (_SIGNED, _UNSIGNED, _FLOATS):
        a, b = _rank(old, ladder), _rank(new, ladder)
        if a is not None and b is not None:
            return b > a
    u, s = _rank(old, _UNSIGNED), _rank(new, _SIGNED)
    if u is not None and s is not None:
        return s > u
    if pa.types.is_integer(old) and pa.types.is_floating(new):
        mantissa = {pa.float16(): 11, pa.float32(): 24, pa.float64(): 53}[new]
        return old.bit_width <= mantissa
    pairs = [(pa.string(), pa.large_string()), (pa.binary(), pa.large_binary()), (pa.date32(), pa.date64())]
    if (old, new) in pairs:
        return True
    if pa.types.is_timestamp(old) and pa.types.is_timestamp(new):
        return (
            old.tz == new.tz and old.unit in _UNITS and new.unit in _UNITS
            and _UNITS.index(new.unit) > _UNITS.index(old.unit)
        )
    if pa.types.is_decimal(old) and pa.types.is_decimal(new):
        return new.scale >= old.scale and new.precision - new.scale >= old.precision - old.scale
    return False


def _both(b: bool, f: bool) -> frozenset[str]:
    return frozenset(d for d, on in ((BACKWARD, b), (FORWARD, f)) if on)


def _is_list(t: pa.DataType) -> bool:
    return pa.types.is_list(t) or pa.types.is_large_list(t)


def _compare_field(old: pa.Field, new: pa.Field, path: str) -> Iterator[Change]:
    if old.nullable and not new.nullable:
        yield Change("column_made_non_nullable", path, "nullable -> non-nullable", _both(True, False))
    elif new.nullable and not old.nullable:
        yield Change("column_made_nullable", path, "non-nullable -> nullable", _both(False, True))
    yield from _compare_type(_plain(old.type), _plain(new.type), path)


def _compare_type(old: pa.DataType, new: pa.DataType, path: str) -> Iterator[Change]:
    if old == new and not pa.types.is_struct(old) and not _is_list(old):
        return
    if pa.types.is_struct(old) and pa.types.is_struct(new):
        yield from _compare_children(
            [old.field(i) for i in range(old.num_fields)], [new.field(i) for i in range(new.num_fields)], f"{path}."
        )
        return
    if _is_list(old) and _is_list(new):
        if pa.types.is_list(old) and pa.types.is_large_list(new):
            yield Change("arrow_type_widened", path, "list -> large_list", _both(False, True))
        elif pa.types.is_large_list(old) and pa.types.is_list(new):
            yield Change("arrow_type_narrowed", path, "large_list -> list", _both(True, False))
        yield from _compare_field(old.value_field, new.value_field, f"{path}[]")
        return
    if old == new:
        return
    detail = f"{old} -> {new}"
    if widens(old, new):
        yield Change("arrow_type_widened", path, detail, _both(False, True))
    elif widens(new, old):
        yield Change("arrow_type_narrowed", path, detail, _both(True, False))
    else:
        yield Change("arrow_type_changed", path, detail, _both(True, True))


def _compare_children(old: list[pa.Field], new: list[pa.Field], prefix: str) -> Iterator[Change]:
    old_by_name = {f.name: f for f in old}
    new_by_name = {f.name: f for f in new}
    for name, field in old_by_name.items():
        if name not in new_by_name:
            yield Change(
                "column_removed", f"{prefix}{name}",
                "removed" + ("" if field.nullable else " (it was non-nullable)"), _both(False, not field.nullable),
            )
    for name, field in new_by_name.items():
        if name not in old_by_name:
            yield Change(
                "column_added", f"{prefix}{name}",
                f"added as {'a nullable' if field.nullable else 'a non-nullable'} {field.type}",
                _both(not field.nullable, False),
            )
    for name, field in old_by_name.items():
        if name in new_by_name:
            yield from _compare_field(field, new_by_name[name], f"{prefix}{name}")


def diff_arrow_schemas(old: pa.Schema, new: pa.Schema) -> list[Change]:
    """Every difference between two Arrow schemas, as rule-named changes (metadata is ignored).

    >>> old = pa.schema([pa.field("n", pa.int32())])
    >>> [c.rule for c in diff_arrow_schemas(old, pa.schema([pa.field("n", pa.int64())]))]
    ['arrow_type_widened']
    """
    return list(_compare_children(list(old), list(new), ""))
