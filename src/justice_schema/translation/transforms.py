"""Named Python transforms: the escape hatch for what the mapping language cannot say.

A transform receives whole Arrow arrays (one per ``args`` expression) and the
``options`` table as keyword arguments, and returns an array of the same
length, or ``(array, invalid_mask, reason)`` to reject the rows where
``invalid_mask`` is true. Keep it columnar (``pyarrow.compute``): it runs on
every batch::

    import pyarrow.compute as pc
    from justice_schema.translation import register_transform

    def strip_dashes(values):
        return pc.replace_substring(values, "-", "")

    register_transform("strip_dashes", strip_dashes)

and in a spec: ``state_id = { transform = "strip_dashes", args = ["SID"] }``.
Third-party packages register theirs when their translator plugin is loaded.

Built in: ``duration_days`` reads sentence lengths written as ``2Y6M``,
``180 days``, ``18 months``, ``1 yr 3 mo``, ``90D`` or ``365`` (years are 365
days, months 30).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.scalars import scalar

__all__ = ["register_transform", "get_transform", "transform_names", "duration_days"]

_TRANSFORMS: dict[str, Callable[..., Any]] = {}


def register_transform(name: str, function: Callable[..., Any]) -> None:
    """Register ``function`` as the transform ``name`` (replacing any earlier one)."""
    if not name or not callable(function):
        raise ValueError("register_transform needs a name and a callable")
    _TRANSFORMS[name] = function


def get_transform(name: str) -> Callable[..., Any] | None:
    """The transform registered as ``name``, or ``None``."""
    return _TRANSFORMS.get(name)


def transform_names() -> tuple[str, ...]:
    """Names of every registered transform, sorted."""
    return tuple(sorted(_TRANSFORMS))


_UNIT_DAYS = (("Y", 365), ("M", 30), ("W", 7), ("D", 1))
_DURATION = (
    r"^(?:(?P<Y>\d+)\s*(?:Y|YR|YRS|YEAR|YEARS)\b\s*)?(?:(?P<M>\d+)\s*(?:M|MO|MOS|MONTH|MONTHS)\b\s*)?"
    r"(?:(?P<W>\d+)\s*(?:W|WK|WKS|WEEK|WEEKS)\b\s*)?(?:(?P<D>\d+)\s*(?:D|DAY|DAYS)?\b\s*)?$"
)


def duration_days(values: pa.Array) -> tuple[pa.Array, pa.Array, str]:
    """Sentence lengths in mixed units as whole days; unreadable text rejects the row.

    >>> days, invalid, _ = duration_days(pa.array(["2Y6M", "180 days", "18 months", None, "soon"]))
    >>> days.to_pylist(), invalid.to_pylist()
    ([910, 180, 540, None, None], [False, False, False, False, True])
    """
    text = pc.utf8_upper(pc.utf8_trim_whitespace(pc.cast(values, pa.string())))
    text = pc.if_else(pc.equal(text, scalar("")), scalar(None, pa.string()), text)
    # "1Y6M" has no space between a unit and the next number: put one in.
    spaced = pc.replace_substring_regex(text, r"([A-Z])(\d)", r"\1 \2")
    parts = pc.extract_regex(spaced, _DURATION)
    total = pa.repeat(scalar(0, pa.int64()), len(text))
    for unit, days in _UNIT_DAYS:
        amount = pc.struct_field(parts, unit)
        amount = pc.if_else(pc.equal(amount, scalar("")), scalar(None, pa.string()), amount)
        total = pc.add(total, pc.multiply(pc.fill_null(pc.cast(amount, pa.int64()), scalar(0)), days))
    matched = pc.and_(pc.is_valid(parts), pc.match_substring_regex(spaced, r"\d"))
    invalid = pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(matched, scalar(False))))
    result = pc.if_else(pc.fill_null(matched, scalar(False)), total, scalar(None, pa.int64()))
    return result, pc.fill_null(invalid, scalar(False)), "is not a length of time such as 2Y6M or 180 days"


register_transform("duration_days", duration_days)
