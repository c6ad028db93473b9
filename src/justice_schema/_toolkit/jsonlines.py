"""Decode one JSON text from outside without letting it crash the run.

Python's :func:`json.loads` raises ``RecursionError`` on deeply nested arrays
and ``ValueError`` on an integer of thousands of digits; in a file of a million
lines either would abort the whole run. :func:`loads_record` turns every such
fault into a :class:`JsonTextError` with a one-line reason, so a caller can
reject that one line and go on::

    >>> loads_record('{"id": "A1"}')
    {'id': 'A1'}
    >>> loads_record('[' * 5000 + ']' * 5000)
    Traceback (most recent call last):
    ...
    justice_schema._toolkit.jsonlines.JsonTextError: nested too deeply (more than 100 levels)
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["JsonTextError", "loads_record", "json_type", "MAX_DEPTH", "MAX_INT_DIGITS"]

#: Deepest nesting of arrays and objects a record may have; canonical records use 3.
MAX_DEPTH = 100
#: Longest integer literal accepted; no field of a record needs more than 19 digits.
MAX_INT_DIGITS = 40


#: JSON Schema's name for each Python type :func:`json.loads` returns (``bool`` first: a bool is an int).
_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (type(None), "null"), (bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
    (list, "array"), (dict, "object"),
)


def json_type(value: Any, *, integer: bool = True) -> str:
    """JSON Schema's type name of a decoded JSON value; with ``integer=False`` every number is ``"number"``.

    JSON itself has one number type, which is how a message to a user names it
    (``integer=False``); JSON Schema tells whole numbers apart (the default).

    >>> json_type(3), json_type(3, integer=False), json_type(True), json_type(None), json_type([1])
    ('integer', 'number', 'boolean', 'null', 'array')
    """
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return "number" if name == "integer" and not integer else name
    return type(value).__name__


class JsonTextError(ValueError):
    """A JSON text that cannot be a record; ``str()`` is a one-line reason."""


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise JsonTextError(f"an integer of {digits:,} digits is out of range")
    return int(text)


def _refuse_constant(name: str) -> float:
    raise JsonTextError(f"{name} is not a JSON value")


def _depth_exceeds(text: str, limit: int) -> bool:
    """True when brackets outside strings nest deeper than ``limit`` (one pass, no recursion)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def loads_record(text: str | bytes) -> Any:
    """Decode ``text`` as JSON, raising :class:`JsonTextError` (never anything else) when it cannot be.

    Refused: invalid JSON, nesting deeper than :data:`MAX_DEPTH`, integers longer
    than :data:`MAX_INT_DIGITS` digits, ``NaN``/``Infinity``, and bytes that are not UTF-8.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JsonTextError(f"not UTF-8 (byte 0x{text[exc.start]:02x} at offset {exc.start})") from None
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth_exceeds(text, MAX_DEPTH):
        raise JsonTextError(f"nested too deeply (more than {MAX_DEPTH} levels)")
    try:
        return json.loads(text, parse_int=_parse_int, parse_constant=_refuse_constant)
    except JsonTextError:
        raise
    except json.JSONDecodeError as exc:
        raise JsonTextError(f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    except (RecursionError, ValueError) as exc:  # defensive: any other decoder fault is one reason
        raise JsonTextError(f"not valid JSON: {exc}") from None
