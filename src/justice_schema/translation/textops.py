"""Text kernels that first look at the raw bytes, and skip work the bytes show is not needed.

Exports are mostly plain ASCII with no stray spaces, yet every column is
trimmed, upper-cased and sanitised. Each function here gives exactly what the
Arrow kernel named in its docstring gives, but first scans the array's data
buffer with NumPy (a byte-table lookup, far cheaper than building a new string
array) and returns the input untouched, or takes a cheaper ASCII kernel, when
the bytes prove that the result would be the same.

>>> import pyarrow as pa
>>> trim(pa.array(["A", " B "])).to_pylist()
['A', 'B']
>>> values = pa.array(["SMITH", "JONES"])
>>> trim(values) is values
True
>>> upper(pa.array(["josé", "ann"])).to_pylist()
['JOSÉ', 'ANN']
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["trim", "upper", "lower", "only_bytes", "contains"]


def _bytes(values: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """(offsets, data) of a ``string`` array as NumPy views (no copy); ``None`` for other types."""
    if not isinstance(values, pa.Array) or not pa.types.is_string(values.type) or len(values) == 0:
        return None
    _, offsets_buffer, data_buffer = values.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[values.offset:values.offset + len(values) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    return offsets, data


def trim(values: pa.Array) -> pa.Array:
    """``pyarrow.compute.utf8_trim_whitespace``, skipped when no text starts or ends with a space.

    Only the first and last byte of each text are read: when all of them are
    printable ASCII other than the space, there is nothing to trim.
    """
    found = _bytes(values)
    if found is None:
        return pc.utf8_trim_whitespace(values) if len(values) else values
    offsets, data = found
    if offsets[-1] == offsets[0]:
        return values  # nothing but empty texts and nulls
    # An empty text reads its neighbour's byte here: at worst a needless trim, never a missed one.
    for edge in (np.take(data, offsets[:-1], mode="clip"), np.take(data, offsets[1:] - 1, mode="clip")):
        if edge.min() < 0x21 or edge.max() >= 0x80:  # a byte that may begin or end a space
            return pc.utf8_trim_whitespace(values)
    return values


def _ascii(values: pa.Array) -> bool:
    found = _bytes(values)
    if found is None:
        return False
    offsets, data = found
    span = data[offsets[0]:offsets[-1]]
    return not span.size or int(span.max()) < 0x80


def upper(values: pa.Array) -> pa.Array:
    """``pyarrow.compute.utf8_upper``, by the much cheaper ASCII kernel when every byte is ASCII."""
    return pc.ascii_upper(values) if _ascii(values) else pc.utf8_upper(values)


def lower(values: pa.Array) -> pa.Array:
    """``pyarrow.compute.utf8_lower``, by the much cheaper ASCII kernel when every byte is ASCII."""
    return pc.ascii_lower(values) if _ascii(values) else pc.utf8_lower(values)


def only_bytes(values: pa.Array, allowed: np.ndarray) -> bool:
    """Whether every byte of the texts is one ``allowed`` marks (a 256-entry boolean table).

    A quick proof that a character-class rewrite (such as the id sanitiser)
    would change nothing; ``False`` means "look closer", not "some byte is bad".
    """
    found = _bytes(values)
    if found is None:
        return False
    offsets, data = found
    # Deleting every allowed byte (bytes.translate, in C) leaves nothing exactly when all are allowed.
    return not data[offsets[0]:offsets[-1]].tobytes().translate(None, _deletion(allowed.tobytes()))


@lru_cache(maxsize=16)
def _deletion(table: bytes) -> bytes:
    """The bytes a 256-entry boolean table allows, as ``bytes.translate``'s ``delete`` argument."""
    return bytes(b for b in range(256) if table[b])


def contains(values: pa.Array, text: str) -> bool:
    """Whether any value holds ``text``, like ``any(match_substring(values, text))``.

    The data buffer is searched first (in C, once), so the per-value search runs
    only when the text is there at all (usually it is not).
    """
    found = _bytes(values)
    if found is not None:
        offsets, data = found
        if text.encode() not in data[offsets[0]:offsets[-1]].tobytes():
            return False
    elif not len(values):
        return False
    return bool(pc.any(pc.match_substring(values, text)).as_py())
