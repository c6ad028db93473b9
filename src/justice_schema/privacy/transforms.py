"""The transforms a profile applies to a column, each a whole-array Arrow operation.

Every transform takes an Arrow array and returns the published array; none loops over rows.
What each one removes and leaves is in ``docs/privacy.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["age_band", "to_month", "to_year", "shift_dates", "coarsen_geography", "merge_rare", "band_labels"]


def band_labels(bands: Sequence[int]) -> list[str]:
    """Labels of the age bands cut at ``bands``: ``["0-17", "18-24", ..., "65+"]`` (under the first: ``"<0"``)."""
    labels = [f"{low}-{high - 1}" for low, high in pairwise(bands)]
    return [f"<{bands[0]}", *labels, f"{bands[-1]}+"]


def age_band(ages: pa.Array, bands: Sequence[int]) -> pa.Array:
    """Ages (whole years) to band labels; nulls stay null.

    The band of an age is the number of cut points at or below it, found with one comparison per
    cut point over the whole array.
    """
    numbers = ages.cast(pa.int32())
    index = pa.array([0] * len(numbers), pa.int32())
    for cut in bands:
        index = pc.add(index, pc.cast(pc.greater_equal(numbers, cut), pa.int32()))
    labels = pa.array(band_labels(bands), pa.string())
    return pc.take(labels, index)


def _as_date(values: pa.Array) -> pa.Array:
    if pa.types.is_timestamp(values.type):
        return pc.cast(pc.floor_temporal(values, unit="day"), pa.date32())
    return values.cast(pa.date32())


def to_month(values: pa.Array) -> pa.Array:
    """Dates or instants to ``YYYY-MM`` text."""
    return pc.strftime(_as_date(values), format="%Y-%m")


def to_year(values: pa.Array) -> pa.Array:
    """Dates or instants to the year (``int32``)."""
    return pc.cast(pc.year(_as_date(values)), pa.int32())


def shift_dates(values: pa.Array, offsets: pa.Array) -> pa.Array:
    """Dates or instants moved by ``offsets`` days (one per row); a null offset gives a null date."""
    days = pc.cast(_as_date(values), pa.int32())
    return pc.cast(pc.add(days, offsets), pa.int32()).cast(pa.date32())


def coarsen_geography(codes: pa.Array, level: str) -> pa.Array:
    """FIPS geography codes (state 2, county 5, tract 11 digits) cut to ``county`` (5) or ``state`` (2).

    A code shorter than the level asked for (a state code asked for its county) becomes null:
    nothing finer than asked is ever published, and nothing is invented.
    """
    width = 5 if level == "county" else 2
    text = codes.cast(pa.string())
    short = pc.less(pc.utf8_length(text), width)
    cut = pc.utf8_slice_codeunits(text, 0, width)
    return pc.if_else(short, pa.scalar(None, pa.string()), cut)


def merge_rare(values: pa.Array, min_count: int, other: str = "other") -> pa.Array:
    """Categories seen fewer than ``min_count`` times become ``other``; nulls stay null."""
    text = values.cast(pa.string())
    counts = pc.value_counts(text.drop_null()) if text.null_count < len(text) else None
    if counts is None or len(counts) == 0:
        return text
    rare = pc.filter(counts.field("values"), pc.less(counts.field("counts"), min_count))
    if len(rare) == 0:
        return text
    return pc.if_else(pc.is_in(text, rare), pa.scalar(other, pa.string()), text)
