"""Whole-array helpers the pipeline subpackages share: positions, one array, text, per-distinct runs.

    >>> import pyarrow as pa
    >>> import pyarrow.compute as pc
    >>> arange(3).to_pylist()
    [0, 1, 2]
    >>> as_text(pa.chunked_array([[1, None], [3]])).to_pylist()
    ['1', None, '3']
    >>> per_unique(pa.array(["a", "b", "a"]), lambda v: pc.utf8_upper(v)).to_pylist()
    ['A', 'B', 'A']
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError

__all__ = ["arange", "as_text", "cast_column", "first_true_row", "holds_value", "one_array", "per_unique"]

_ARANGE: list[pa.Array] = [pa.array(range(1 << 16), pa.int64())]


def arange(n: int) -> pa.Array:
    """``0 .. n-1`` as an int64 array, sliced from a cached one (no Python loop per call)."""
    cached = _ARANGE[0]
    if len(cached) < n:
        size = max(n, 2 * len(cached))
        cached = pc.subtract(pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), size)), pa.scalar(1, pa.int64()))
        _ARANGE[0] = cached
    return cached.slice(0, n)


def holds_value(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """True where a row holds a value: not null and, for a list, at least one item (never null itself).

    >>> holds_value(pa.array([[1], [], None])).to_pylist(), holds_value(pa.array(["a", None])).to_pylist()
    ([True, False, False], [True, False])
    """
    valid = pc.is_valid(column)
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        return pc.and_(valid, pc.greater(pc.fill_null(pc.list_value_length(column), 0), 0))
    return valid


def one_array(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A column as one array: a single chunk as it is (``combine_chunks`` would copy it), else the chunks joined."""
    if isinstance(column, pa.ChunkedArray):
        return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    return column


def as_text(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Any array as one ``string`` array: text as it is, other values cast (dates as ``YYYY-MM-DD``).

    Large strings and dictionaries of text become plain strings; a null-typed
    array becomes all-null strings.
    """
    array = one_array(array)
    if pa.types.is_string(array.type):
        return array
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.string())
    return pc.cast(array, pa.string())


def per_unique(values: pa.Array, function: Callable[[pa.Array], pa.Array], *, costly: bool = True) -> pa.Array:
    """``function`` applied to each distinct value once, then spread back to every row.

    ``function`` must be element-wise (each output depends only on its own
    input value). Exports repeat themselves (the same dates, codes and names on
    many rows), so running an expensive kernel (regex, strptime) on the distinct
    values and taking the results back is much cheaper than running it on every row.

    Encoding costs about one hash per row, far less than a regular expression or
    a date parse, so a ``costly`` function always runs on the distinct values
    (repeats are often far apart, so a sample of the first rows cannot tell).
    A cheap ``function`` (a set lookup) is run directly when a sample of the
    values is mostly distinct. Either way, when more than half the values are
    distinct the function runs on the rows directly.
    """
    if not costly and len(values) > 4096 and pc.count_distinct(values.slice(0, 2048)).as_py() > 1024:
        return function(values)  # mostly distinct (names, ids): encoding would not pay
    encoded = one_array(pc.dictionary_encode(values))
    if len(encoded.dictionary) * 2 > len(values):
        return function(values)
    return pc.take(function(encoded.dictionary), encoded.indices)


def cast_column(column: pa.ChunkedArray | pa.Array, to: pa.DataType, *, path: str,
                field: str) -> pa.ChunkedArray | pa.Array:
    """``column`` as ``to`` (as it is when already of that type), or an :class:`InputError` naming
    ``path`` and ``field``: ``cannot read as <type>: <Arrow's reason>``.

    >>> cast_column(pa.array(["2024-01-02"]), pa.date32(), path="arrest", field="arrest_date").to_pylist()
    [datetime.date(2024, 1, 2)]
    >>> cast_column(pa.array(["soon"]), pa.date32(), path="arrest", field="arrest_date")
    Traceback (most recent call last):
    justice_schema.errors.InputError: arrest, field 'arrest_date': cannot read as date32[day]: ...
    """
    if column.type == to:
        return column
    try:
        return column.cast(to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:  # the value's fault, named
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InputError(f"cannot read as {to}: {reason}", path=path, field=field) from None


def first_true_row(mask: pa.ChunkedArray | pa.Array) -> int:
    """The 1-based row of the first true value of ``mask`` (which must hold one).

    >>> first_true_row(pa.array([False, None, True]))
    3
    """
    return int(pc.index(mask, True).as_py()) + 1
