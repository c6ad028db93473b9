"""Text patterns on Arrow arrays, with the verdict Python ``re`` gives (as pydantic runs it).

:func:`pattern_match` is ``pyarrow.compute.match_substring_regex`` with the
RE2 translation of a model pattern (:func:`~justice_schema.validation.constraints.re2_pattern`),
but it skips the regular expression wherever a cheaper test proves the verdict.
Cheap tests only ever *confirm* a match; anything they cannot confirm goes to
the regular expression, so the result is exactly the regular expression's.

The shortcuts:

* **Character-class runs** (:class:`ClassRun`): identifier patterns such as
  ``^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`` are one ASCII class for the first
  character and one for the rest. When every byte of the array's text data
  lies in the second class, every first byte in the first, and every byte
  length in the allowed range, every value matches. That is one pass over
  the data buffer (``bytes.translate`` deleting the class's bytes: a C loop
  over the buffer, not a regular expression per value) plus a look at the
  first byte of each value.
* **Trimmed text** (``^\\S(.*\\S)?$``): printable ASCII with no leading or
  trailing space certainly matches; only the other non-null values go to the regex.
* **Fixed-width codes** (an ORI): judged once per distinct value.

>>> import pyarrow as pa
>>> from justice_schema.validation.constraints import re2_pattern
>>> raw = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
>>> pattern_match(pa.array(["a-1", ".a", "b\\n", None]), re2_pattern(raw), raw, False).to_pylist()
[True, False, True, None]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import per_unique
from justice_schema._toolkit.scalars import NULL_BOOL, scalar

__all__ = ["ClassRun", "byte_length_bounds", "class_run", "pattern_match", "relax_counted_repeat", "surely_all_match"]

_ZERO32 = pa.scalar(0, pa.int32())
#: Bytes of text :func:`surely_all_match` scans at a time (below the C allocator's threshold for fresh memory).
_SCAN_PIECE = 1 << 16
_TRUE = pa.scalar(True)

#: Patterns with a cheap sufficient test: a value passing it certainly matches the pattern (as Python ``re``
#: judges it), so only the values it does not pass go to the regular expression.
_SURELY_MATCHES: dict[str, Callable[[pa.Array], pa.Array]] = {
    # printable ASCII has no whitespace but the space and no newline, so "." and "\\S" hold
    r"^\S(.*\S)?$": lambda v: pc.and_(pc.and_(pc.ascii_is_printable(v), pc.greater(pc.binary_length(v), _ZERO32)),
                                   pc.invert(pc.or_(pc.starts_with(v, " "), pc.ends_with(v, " ")))),
}

# A class of plain ASCII letters, digits, space and ``._:-`` (ranges allowed), no escapes or negation:
# every character such a class matches is ASCII, so testing the 128 ASCII characters finds all of them.
_PLAIN_CLASS = r"\[([A-Za-z0-9 ._:-]+)\]"
_CLASS_RUN = re.compile(rf"\^(?:{_PLAIN_CLASS})?{_PLAIN_CLASS}\{{(\d+),(\d+)\}}\$")


@attrs.frozen(slots=True)
class ClassRun:
    """A pattern ``^[first][rest]{low,high}$`` (``[first]`` optional) over ASCII character classes.

    ``first`` is a 256-entry boolean lookup by byte (``None`` when the pattern
    has no first class); ``rest`` is the RE2 class text of the other
    characters; ``min_chars`` and ``max_chars`` bound the whole value.
    """

    first: pa.Array | None
    rest: str
    min_chars: int
    max_chars: int

    #: ``first`` as a 256-entry numpy lookup by byte (every byte allowed when there is no first class)
    first_bytes: np.ndarray = attrs.field(eq=False, repr=False)
    #: 256-entry numpy lookup by byte: True for the bytes the ``rest`` class matches
    rest_bytes: np.ndarray = attrs.field(eq=False, repr=False)

    @property
    def rest_chars(self) -> bytes:
        """The bytes the ``rest`` class matches (for ``bytes.translate(None, rest_chars)``: what is left is not)."""
        return _class_bytes(self.rest)

    @property
    def scan(self) -> str:
        """RE2 pattern that matches a text made only of ``rest`` characters."""
        return f"^[{self.rest}]*$"


@cache
def class_run(raw: str | None) -> ClassRun | None:
    """The :class:`ClassRun` of a Python pattern, or ``None`` when it is not of that shape.

    >>> run = class_run(r"^[A-Z0-9][A-Z0-9-]{0,24}$")
    >>> run.rest, run.min_chars, run.max_chars
    ('A-Z0-9-', 1, 25)
    >>> class_run(r"^\\S(.*\\S)?$") is None
    True
    """
    found = _CLASS_RUN.fullmatch(raw or "")
    if not found:
        return None
    first, rest, low, high = found.groups()
    width = 1 if first else 0
    first_bytes = _ascii_class(first) if first else np.ones(256, bool)
    lookup = pa.array(first_bytes) if first else None
    return ClassRun(lookup, rest, width + int(low), width + int(high), first_bytes, _ascii_class(rest))


@cache
def _class_bytes(members: str) -> bytes:
    return bytes(np.flatnonzero(_ascii_class(members)).astype(np.uint8))


def _ascii_class(members: str) -> np.ndarray:
    """256-entry lookup by byte: True for the ASCII characters the class ``[members]`` matches."""
    pattern = re.compile(f"[{members}]")
    return np.array([b < 128 and pattern.fullmatch(chr(b)) is not None for b in range(256)], bool)


def byte_length_bounds(values: pa.Array) -> tuple[int, int] | None:
    """Smallest and largest UTF-8 byte length of the non-null values (``None`` if there are none)."""
    if not len(values) or values.null_count == len(values):
        return None
    bounds = pc.min_max(pc.binary_length(values)).as_py()
    return bounds["min"], bounds["max"]


def _offsets_and_data(values: pa.Array) -> tuple[pa.Array, pa.Buffer | None] | None:
    """The value offsets (as an integer array over ``values`` only) and the data buffer of a text array."""
    if pa.types.is_string(values.type) or pa.types.is_binary(values.type):
        offset_type = pa.int32()
    elif pa.types.is_large_string(values.type) or pa.types.is_large_binary(values.type):
        offset_type = pa.int64()
    else:
        return None
    _, offsets, data = values.buffers()
    return pa.Array.from_buffers(offset_type, len(values) + 1, [None, offsets], offset=values.offset), data


def surely_all_match(values: pa.Array, run: ClassRun, bounds: tuple[int, int] | None) -> bool:
    """True when every non-null value certainly matches ``run``'s pattern (``False``: not proven).

    ``bounds`` are the values' byte-length bounds (:func:`byte_length_bounds`).
    Every byte between the first value's start and the last value's end must
    be a ``rest`` character (that covers every value, and possibly bytes under
    nulls, which can only make the test fail), every value's first byte a
    ``first`` character, and, as all bytes are then ASCII, byte lengths are
    character counts and must lie within the run's bounds.
    """
    if bounds is None:
        return True
    if bounds[0] < run.min_chars or bounds[1] > run.max_chars:
        return False
    found = _offsets_and_data(values)
    if found is None:
        return False
    offsets, data = found
    start, end = offsets[0].as_py(), offsets[len(values)].as_py()
    if end > start and data is not None:
        # every byte a ``rest`` character: deleting those leaves nothing (a C pass, about three times faster
        # than a numpy table lookup two bytes at a time), in pieces small enough that their copies reuse
        # the same memory instead of faulting in fresh pages
        raw = np.frombuffer(data, np.uint8, end - start, start)
        rest = run.rest_chars
        for at in range(0, len(raw), _SCAN_PIECE):
            if raw[at: at + _SCAN_PIECE].tobytes().translate(None, rest):
                return False
    if run.first is not None and data is not None:
        # every non-null value has at least min_chars >= 1 bytes here, so its start is inside the data
        starts = np.asarray(offsets.slice(0, len(values)).to_numpy(zero_copy_only=False))
        if values.null_count:
            starts = starts[np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False), bool)]
        if not run.first_bytes[np.frombuffer(data, np.uint8)[starts]].all():
            return False
    return True


def pattern_match(values: pa.Array, pattern: str, raw: str | None, repeats: bool,
                  bounds: tuple[int, int] | bool | None = False, scan: bool = True) -> pa.Array:
    """``match_substring_regex(values, pattern)``, skipping the regex where a cheaper test settles it.

    ``raw`` is the Python pattern ``pattern`` was translated from; ``repeats``
    says values repeat (judge each distinct one once). ``bounds`` may pass the
    values' :func:`byte_length_bounds` when already known; ``scan=False``
    skips the character-class scan (the caller ran it already). The verdict is
    exactly the regular expression's: null for a null value, else whether it matches.
    """
    run = class_run(raw)
    if run is not None and scan and len(values):
        if bounds is False:
            bounds = byte_length_bounds(values)
        if surely_all_match(values, run, bounds):  # type: ignore[arg-type]
            matched = pc.is_valid(values)
            return pc.if_else(matched, _TRUE, NULL_BOOL) if values.null_count else matched
    if repeats and len(values) > 1024:
        return per_unique(values, lambda v: pc.match_substring_regex(v, pattern))
    surely = _SURELY_MATCHES.get(raw or "")
    if surely is None or not len(values):
        return pc.match_substring_regex(values, pattern)
    ok = surely(values)
    ok = pc.fill_null(ok, _TRUE) if ok.null_count else ok  # a null value's verdict is null (set below): no regex
    unsure = pc.invert(ok)
    if not unsure.true_count:
        return pc.if_else(pc.is_valid(values), ok, NULL_BOOL) if values.null_count else ok
    where = pc.indices_nonzero(unsure)
    checked = pc.match_substring_regex(pc.take(values, where), pattern)
    # scatter the regex verdicts back: rows in ``where`` take theirs, the rest are sure matches
    slot = pc.cumulative_sum(pc.cast(unsure, pa.int32()))
    index = pc.subtract(slot, scalar(1, pa.int32()))
    from_regex = pc.take(checked, pc.if_else(unsure, index, scalar(0, pa.int32())))
    verdict = pc.if_else(unsure, from_regex, ok)
    return pc.if_else(pc.is_valid(values), verdict, NULL_BOOL) if values.null_count else verdict


def relax_counted_repeat(pattern: str, max_length: int | None) -> str:
    """``^[A][B]{0,k}$`` → ``^[A][B]*$`` when the length limit already caps the text at 1 + k characters.

    The length check runs first and the pattern is only judged on texts of
    allowed length, so the verdict is unchanged; RE2 runs the starred form
    markedly faster than a counted repetition.
    """
    match = re.fullmatch(r"\^((?:\[[^\]]+\])*)(\[[^\]]+\])\{([01]),(\d+)\}\$", pattern)
    if not match or max_length is None:
        return pattern
    prefix, last, low, high = match.groups()
    width = prefix.count("[")
    if width + int(high) != max_length:
        return pattern
    return f"^{prefix}{last}{'*' if low == '0' else '+'}$"
