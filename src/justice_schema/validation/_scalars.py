"""Arrow scalars made once: converting a Python value on every compute call is slow in pyarrow."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["scalar", "value_set", "positions", "FALSE", "NULL_BOOL", "NULL_STRING"]


@lru_cache(maxsize=4096)
def _cached(value: Any, kind: type, type_: pa.DataType | None) -> pa.Scalar:
    # ``kind`` keeps True and 1 (equal and of equal hash) apart
    return pa.scalar(value, type=type_)


def scalar(value: Any, type_: pa.DataType | None = None) -> pa.Scalar:
    """The Arrow scalar of ``value`` (cached by value and type)."""
    try:
        return _cached(value, type(value), type_)
    except TypeError:  # unhashable
        return pa.scalar(value, type=type_)


_SETS: dict[tuple[tuple[type, Any], ...], pa.Array] = {}


def value_set(values: frozenset[Any]) -> pa.Array:
    """A sorted Arrow array of ``values`` for ``is_in`` (cached by values and their types)."""
    key = tuple(sorted(((type(v), v) for v in values), key=lambda kv: (kv[0].__name__, kv[1])))
    found = _SETS.get(key)
    if found is None:
        found = _SETS[key] = pa.array(sorted(values))
    return found


FALSE = pa.scalar(False)
NULL_BOOL = pa.scalar(None, pa.bool_())
NULL_STRING = pa.scalar(None, pa.string())


_POSITIONS = pa.array(range(1 << 16), pa.int64())


def positions(n: int) -> pa.Array:
    """0, 1, ... n-1 as int64, sliced from a cached array (no Python loop per call)."""
    global _POSITIONS
    while len(_POSITIONS) < n:
        _POSITIONS = pa.concat_arrays([_POSITIONS, pc.add(_POSITIONS, len(_POSITIONS))])
    return _POSITIONS.slice(0, n)
