"""Arrow scalars and value sets built once and reused.

Converting a Python literal into Arrow on every ``pyarrow.compute`` call is
slow (pyarrow retries an import of the optional ``dateutil`` package on every
conversion when it is missing), and a hot path passes the same few literals on
every batch. Pass :func:`scalar` / :func:`value_set` results instead::

    >>> import pyarrow as pa
    >>> scalar("", pa.string()) is scalar("", pa.string())
    True
    >>> scalar(True).type, scalar(1).type
    (DataType(bool), DataType(int64))
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

import pyarrow as pa

__all__ = ["FALSE", "NULL_BOOL", "NULL_STRING", "scalar", "value_set"]

#: Kinds whose equal values are interchangeable as Arrow scalars. Floats are not
#: (``-0.0 == 0.0``), nor are decimals or containers: those are built each time.
_CACHED_KINDS = frozenset({str, bytes, bool, int, type(None), date, datetime})


def scalar(value: Any, type: pa.DataType | None = None) -> pa.Scalar:
    """``value`` as an Arrow scalar of ``type`` (inferred when ``None``), built once per value and type.

    Safe for any value: kinds that cannot be cached safely (floats, decimals,
    lists) are converted on each call.
    """
    kind = value.__class__
    if kind not in _CACHED_KINDS:
        return pa.scalar(value, type)
    # The class keeps True and 1 apart (equal, same hash); the zone keeps equal instants in
    # different zones apart.
    return _cached(kind, getattr(value, "tzinfo", None), value, type)


@lru_cache(maxsize=4096)
def _cached(_kind: type, _zone: object, value: Any, type: pa.DataType | None) -> pa.Scalar:
    return pa.scalar(value, type)


_SETS: dict[tuple[tuple[str, Any], ...], pa.Array] = {}


def value_set(values: frozenset[Any]) -> pa.Array:
    """``values`` as a sorted Arrow array for ``value_set=`` (``is_in``, ``index_in``), built once per set.

    The values must be of one kind that Arrow can hold in one array (all text,
    all integers, ...).
    """
    key = tuple(sorted(((type(v).__name__, v) for v in values), key=lambda kv: (kv[0], kv[1])))
    found = _SETS.get(key)
    if found is None:
        found = _SETS[key] = pa.array(sorted(values))
    return found


#: ``false`` as a boolean scalar (the fill value of most masks).
FALSE = pa.scalar(False)
#: A null boolean scalar.
NULL_BOOL = pa.scalar(None, pa.bool_())
#: A null string scalar.
NULL_STRING = pa.scalar(None, pa.string())
