"""Strict date parsing: text in a strptime format to timestamps, refusing impossible days.

Arrow's ``strptime`` rolls an impossible day over (``02/30/2024`` becomes March 1st).
:func:`strict_strptime` parses the same way but gives null for such text, by checking the
day and month it read against the ones written::

    >>> import pyarrow as pa
    >>> strict_strptime(pa.array(["2024-02-29", "2023-02-29", "2024-2-5", None]), "%Y-%m-%d").to_pylist()
    [datetime.datetime(2024, 2, 29, 0, 0), None, datetime.datetime(2024, 2, 5, 0, 0), None]
    >>> strict_strptime(pa.array(["03-MAR-17", "31-APR-17"]), "%d-%b-%y").to_pylist()
    [datetime.datetime(2017, 3, 3, 0, 0), None]
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.scalars import FALSE, scalar

__all__ = ["format_regex", "strict_strptime"]

#: The regular expression of each strptime directive; day and month are named groups.
_DIRECTIVES = {
    "Y": r"\d{4}", "y": r"\d{2}", "m": r"(?P<m>\d{1,2})", "d": r"(?P<d>\d{1,2})", "H": r"\d{1,2}",
    "I": r"\d{1,2}", "M": r"\d{1,2}", "S": r"\d{1,2}", "p": r"[AaPp][Mm]", "b": r"(?P<b>[A-Za-z]{3})",
    "B": r"[A-Za-z]+", "j": r"\d{1,3}", "z": r"(?:Z|[+-]\d{2}:?\d{2})", "%": "%", "f": r"\d+",
}

_MONTH_ABBREVIATIONS = pa.array(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])


def format_regex(fmt: str) -> str | None:
    """A whole-text regex matching text of strptime format ``fmt``, with groups ``m``, ``d`` (and ``b``).

    ``None`` when ``fmt`` uses a directive this module does not know.
    """
    out, i = [], 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            directive = _DIRECTIVES.get(fmt[i + 1])
            if directive is None:
                return None
            out.append(directive)
            i += 2
        else:
            out.append(re.escape(ch))
            i += 1
    return "^" + "".join(out) + "$"


def strict_strptime(text: pa.Array, fmt: str) -> pa.Array:
    """``strptime(text, fmt)`` as ``timestamp[s]``, null where the text does not fit or names an impossible day.

    Text of the wrong form is null as well (``error_is_null``); a format with
    directives :func:`format_regex` does not know is parsed by Arrow alone.
    """
    parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    pattern = format_regex(fmt)
    if pattern is None:
        return parsed
    if "(?P<d>" in pattern and ("(?P<m>" in pattern or "(?P<b>" in pattern):
        parts = pc.extract_regex(text, pattern)  # null where the text does not match
        ok = pc.fill_null(pc.is_valid(parts), FALSE)
        day = pc.cast(pc.struct_field(parts, "d"), pa.int64(), safe=False)
        if "(?P<m>" in pattern:
            month = pc.cast(pc.struct_field(parts, "m"), pa.int64(), safe=False)
        else:  # a month name such as MAR (03-MAR-17); the group holds ASCII letters only
            names = pc.ascii_lower(pc.struct_field(parts, "b"))
            month = pc.add(pc.index_in(names, value_set=_MONTH_ABBREVIATIONS), 1)
        ok = pc.and_(ok, pc.and_(pc.equal(pc.day(parsed), day), pc.equal(pc.month(parsed), month)))
    else:
        ok = pc.fill_null(pc.match_substring_regex(text, pattern), FALSE)
    return pc.if_else(pc.fill_null(ok, FALSE), parsed, scalar(None, parsed.type))
