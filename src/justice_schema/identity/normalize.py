"""Normalisation of the fields identity matching compares, as whole-column Arrow operations.

Every function takes and returns Arrow arrays; none loops over rows. The rules:

* **Text** (:func:`normalize_text`): Unicode NFKD, accents dropped, upper case;
  apostrophes and full stops vanish (``O'Brien`` → ``OBRIEN``, ``St.`` → ``ST``);
  every other run of non-alphanumeric characters is one space; empty is missing.
* **Names** (:func:`normalize_name`): as text, letters only.
* **Suffixes** (:func:`split_family_suffix`, :func:`normalize_suffix`): a
  generational suffix typed inside the family name (``SMITH JR``, ``Smith, III``)
  moves to the suffix; ``JUNIOR``/``SENIOR``/``2ND``/``3RD``/``4TH`` become
  ``JR``/``SR``/``II``/``III``/``IV``.
* **Compound family names** (:func:`family_parts`): ``Garcia-Lopez`` is
  ``GARCIA LOPEZ``; its key is ``GARCIALOPEZ``, its first part ``GARCIA`` (after
  particles such as ``DE LA``) and its last part ``LOPEZ``, so it can meet
  ``GARCIA`` or ``LOPEZ`` alone.
* **Identifiers** (:func:`normalize_identifier`): upper case, letters and digits
  only; sentinels (``000000000``, ``999999999``, ``UNKNOWN``, ``NONE``...) are missing.
* **Dates of birth** (:func:`parse_dates`): ``YYYY-MM-DD``, ``YYYYMMDD`` or
  ``MM/DD/YYYY``; a ``YYYY-MM-DD`` that is only a date with day and month
  swapped is read swapped and reported; implausible dates are missing and reported.
  The comparison of two dates (:mod:`justice_schema.identity.compare`) recognises
  swapped day and month, transposed digits and one wrong digit.

>>> import pyarrow as pa
>>> normalize_name(pa.array(["  José-María ", "O'Brien", "", None])).to_pylist()
['JOSE MARIA', 'OBRIEN', None, None]
>>> normalize_identifier(pa.array(["12-345-678", "000000000", "unknown", None])).to_pylist()
['12345678', None, None, None]
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import one_array, per_unique
from justice_schema.identity.nicknames import canonical_given_name
from justice_schema.issues import ERROR, WARNING, Issue

__all__ = [
    "DATE_PATTERNS",
    "DATA_ISSUE_CODES",
    "DataIssue",
    "data_issue",
    "normalize_text",
    "normalize_name",
    "normalize_suffix",
    "split_family_suffix",
    "family_parts",
    "normalize_identifier",
    "normalize_postal_code",
    "given_name_key",
    "parse_dates",
    "IDENTIFIER_SENTINELS",
    "GENERATIONAL_SUFFIXES",
]

#: Identifier values that mean "no identifier" (compared after normalisation).
IDENTIFIER_SENTINELS: tuple[str, ...] = (
    "UNKNOWN", "UNK", "UNKN", "NONE", "NA", "NULL", "NIL", "REFUSED", "UNAVAILABLE", "NOTAVAILABLE",
    "TBD", "PENDING", "MISSING", "NOSID", "NOFBI", "NODL", "NOTAPPLICABLE", "123456789", "1234567890",
)
_SENTINEL_PATTERN = r"^(0+|9+|X+|" + "|".join(IDENTIFIER_SENTINELS) + r")$"

#: Generational suffixes the library recognises, as spelt after normalisation.
GENERATIONAL_SUFFIXES: tuple[str, ...] = ("JR", "SR", "II", "III", "IV", "V")
_SUFFIX_SPELLINGS = {"JUNIOR": "JR", "JNR": "JR", "SENIOR": "SR", "SNR": "SR", "2ND": "II", "3RD": "III", "4TH": "IV"}
_SUFFIX_IN_FAMILY = r"^(?P<family>.+?) (?P<suffix>JR|SR|JNR|SNR|JUNIOR|SENIOR|II|III|IV|2ND|3RD|4TH)$"
_PARTICLES = r"^((DE|DEL|DELA|LA|LAS|LOS|DA|DAS|DI|DO|DOS|DU|VAN|VON|DER|DEN|TER|LE|ST|SAN|SANTA|MAC|MC|AL|EL|BIN|BEN) )+"

_EARLIEST_BIRTH = _dt.date(1900, 1, 2)
#: Birth-date layouts read, as regular expressions with groups ``y``, ``m``, ``d``:
#: YYYY-MM-DD (first: its day/month swap is recognised), YYYYMMDD, MM/DD/YYYY.
DATE_PATTERNS = _DATE_PATTERNS = (
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$",
    r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$",
    r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})$",
)
_MONTH_DAYS = pa.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], pa.int32())


def _checked_date(year: pa.Array, month: pa.Array, day: pa.Array) -> pa.Array:
    """The date of (year, month, day) where it is a calendar date; null elsewhere (no rollover)."""
    ok_month = pc.and_(pc.greater_equal(month, 1), pc.less_equal(month, 12))
    safe_month = pc.if_else(ok_month, month, 0)
    leap = pc.and_(pc.equal(pc.bit_wise_and(year, 3), 0),
                   pc.or_(pc.not_equal(pc.remainder(year, 100), 0), pc.equal(pc.remainder(year, 400), 0)))
    days = pc.add(pc.take(_MONTH_DAYS, safe_month.cast(pa.int64())),
                  pc.if_else(pc.and_(leap, pc.equal(safe_month, 2)), 1, 0))
    ok = pc.and_(ok_month, pc.and_(pc.greater_equal(day, 1), pc.less_equal(day, days)))
    text = pc.binary_join_element_wise(
        pc.utf8_lpad(year.cast(pa.string()), 4, "0"), pc.utf8_lpad(month.cast(pa.string()), 2, "0"),
        pc.utf8_lpad(day.cast(pa.string()), 2, "0"), "-")
    text = pc.if_else(pc.fill_null(ok, False), text, pa.scalar(None, pa.string()))
    return text.cast(pa.date32())


#: The data issues of matching (:class:`~justice_schema.issues.Issue` codes), by the start of their message.
#: A value read after a repair is a warning; a value matching could not use (treated as missing) an error.
DATA_ISSUE_CODES: dict[str, tuple[str, str]] = {
    "not valid UTF-8": ("JS-M01", WARNING),
    "day and month look swapped": ("JS-M02", WARNING),
    "not a date": ("JS-M03", ERROR),
    "a placeholder date": ("JS-M04", ERROR),
    "implausible date of birth": ("JS-M05", ERROR),
}

#: The record of a data issue is the library's one :class:`~justice_schema.issues.Issue` (kept as a name).
DataIssue = Issue


def data_issue(row: int, record_id: str | None, field: str, value: str | None, message: str) -> Issue:
    """The :class:`~justice_schema.issues.Issue` of a person value matching worked around (it never stops a run).

    ``row`` is 1-based: the record's number in the input as a user counts it
    (the first record is row 1, as in validation reports; in a CSV file with a
    header, row *n* is on line *n* + 1). The value is shown, not redacted: the
    issues of a match go back to whoever owns the data.

    >>> data_issue(2, "p7", "date_of_birth", "banana", "not a date").code
    'JS-M03'
    """
    code, severity = next(found for start, found in DATA_ISSUE_CODES.items() if message.startswith(start))
    return Issue(row, record_id, "person", None, field, code, severity, message, value)


def _per_distinct(function: Callable[[pa.Array], pa.Array]) -> Callable[[pa.Array | pa.ChunkedArray], pa.Array]:
    """Run a normalisation on the distinct values only, then spread the results over the rows.

    Names, codes and postal codes repeat a lot: normalising 30,000 distinct family
    names instead of 1,000,000 rows is the same result, many times faster.
    """

    @functools.wraps(function)
    def wrapper(array: pa.Array | pa.ChunkedArray) -> pa.Array:
        array = one_array(array)
        if len(array) < 1024 or pa.types.is_dictionary(array.type):
            return function(array)
        return per_unique(array, function)

    return wrapper


def _null_if_empty(array: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(pc.utf8_length(array), 0), pa.scalar(None, pa.string()), array)


@_per_distinct
def normalize_text(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Accents dropped, upper case, punctuation as single spaces; empty becomes missing.

    >>> import pyarrow as pa
    >>> normalize_text(pa.array(["12 Main St.", "  müller--straße "])).to_pylist()
    ['12 MAIN ST', 'MULLER STRASSE']
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    text = pc.replace_substring(array, "ß", "SS")
    text = pc.utf8_normalize(text, "NFKD")
    text = pc.replace_substring_regex(text, r"\p{M}+", "")
    text = pc.utf8_upper(text)
    text = pc.replace_substring_regex(text, r"['’`.]", "")
    text = pc.replace_substring_regex(text, r"[^A-Z0-9]+", " ")
    text = pc.utf8_trim_whitespace(text)
    return _null_if_empty(text)


@_per_distinct
def normalize_name(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A name as :func:`normalize_text`, letters only (digits dropped)."""
    text = normalize_text(array)
    text = pc.replace_substring_regex(text, r"[^A-Z ]+", "")
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, r" +", " "))
    return _null_if_empty(text)


@_per_distinct
def normalize_suffix(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A generational suffix in its one spelling (``JR SR II III IV V``); anything else is missing.

    >>> import pyarrow as pa
    >>> normalize_suffix(pa.array(["Jr.", "junior", "3rd", "esq", None])).to_pylist()
    ['JR', 'JR', 'III', None, None]
    """
    text = pc.replace_substring_regex(normalize_text(array), " ", "")
    for spelling, canonical in _SUFFIX_SPELLINGS.items():
        text = pc.if_else(pc.equal(text, spelling), canonical, text)
    return pc.if_else(pc.is_in(text, pa.array(GENERATIONAL_SUFFIXES)), text, pa.scalar(None, pa.string()))


def split_family_suffix(family: pa.Array, suffix: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Move a suffix typed inside the (normalised) family name into the suffix.

    An explicit suffix wins over one found in the family name.

    >>> import pyarrow as pa
    >>> f, s = split_family_suffix(pa.array(["SMITH JR", "JONES III", "JR", "BROWN"]), pa.array([None, None, None, "SR"]))
    >>> f.to_pylist(), s.to_pylist()
    (['SMITH', 'JONES', 'JR', 'BROWN'], ['JR', 'III', None, 'SR'])
    """
    parts = pc.extract_regex(family, _SUFFIX_IN_FAMILY)
    found_family = pc.struct_field(parts, "family")
    found_suffix = normalize_suffix(pc.struct_field(parts, "suffix"))
    has = pc.is_valid(found_family)
    new_family = pc.if_else(has, found_family, family)
    new_suffix = pc.coalesce(normalize_suffix(suffix), pc.if_else(has, found_suffix, pa.scalar(None, pa.string())))
    return new_family, new_suffix


def family_parts(family: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(key, first part, last part) of normalised family names.

    The key joins the parts (``DE LA CRUZ`` → ``DELACRUZ``); the first part skips
    leading particles (``CRUZ``); the last part is the last word.

    >>> import pyarrow as pa
    >>> [a.to_pylist() for a in family_parts(pa.array(["GARCIA LOPEZ", "DE LA CRUZ", "SMITH"]))]
    [['GARCIALOPEZ', 'DELACRUZ', 'SMITH'], ['GARCIA', 'CRUZ', 'SMITH'], ['LOPEZ', 'CRUZ', 'SMITH']]
    """
    key = pc.replace_substring(family, " ", "")
    stripped = pc.replace_substring_regex(family, _PARTICLES, "")
    stripped = pc.if_else(pc.equal(pc.utf8_length(stripped), 0), family, stripped)
    first = pc.replace_substring_regex(stripped, r" .*$", "")
    last = pc.replace_substring_regex(family, r"^.* ", "")
    return key, first, last


@_per_distinct
def normalize_identifier(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Upper case letters and digits only; sentinel values are missing."""
    text = pc.replace_substring(normalize_text(array), " ", "")
    text = _null_if_empty(text)
    return pc.if_else(pc.match_substring_regex(text, _SENTINEL_PATTERN), pa.scalar(None, pa.string()), text)


@_per_distinct
def normalize_postal_code(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The first five letters or digits of a postal code (a US ZIP without its +4)."""
    text = pc.replace_substring(normalize_text(array), " ", "")
    text = pc.utf8_slice_codeunits(_null_if_empty(text), 0, 5)
    return pc.if_else(pc.match_substring_regex(text, r"^(0+|9+)$"), pa.scalar(None, pa.string()), text)


def given_name_key(given: pa.Array) -> pa.Array:
    """The nickname-resolved blocking key of normalised given names (first word only).

    Computed once per *distinct* name, then spread back over the rows.

    >>> import pyarrow as pa
    >>> given_name_key(pa.array(["BOB", "PEGGY ANN", "ROBERT", None])).to_pylist()
    ['ROBERT', 'MARGARET', 'ROBERT', None]
    """
    first = pc.replace_substring_regex(given, r" .*$", "")
    encoded = pc.dictionary_encode(first)
    keys = pa.array([canonical_given_name(name) for name in encoded.dictionary.to_pylist()], pa.string())
    return pc.take(keys, encoded.indices)


def parse_dates(
    array: pa.Array | pa.ChunkedArray,
    *,
    today: _dt.date | None = None,
    missing: tuple[str, ...] = ("1900-01-01",),
) -> tuple[pa.Array, list[tuple[int, str | None, str]]]:
    """Dates of birth as ``date32``, and the per-row problems found on the way.

    Accepts ``date32`` (kept) or text in ``YYYY-MM-DD``, ``YYYYMMDD`` or
    ``MM/DD/YYYY``. Returns ``(dates, problems)``; each problem is
    ``(row, value, message)``. A date before 1900-01-02 or after ``today``, a
    sentinel date from ``missing``, and text that is no date become missing. A
    ``YYYY-MM-DD`` text that is a date only with day and month swapped
    (``1985-25-12``) is read swapped, and reported.

    >>> import pyarrow as pa
    >>> dates, problems = parse_dates(pa.array(["1985-12-25", "1985-25-12", "12/25/1985", "banana", ""]))
    >>> [str(d) if d else None for d in dates.to_pylist()]
    ['1985-12-25', '1985-12-25', '1985-12-25', None, None]
    >>> [(row, message) for row, _, message in problems]
    [(1, 'day and month look swapped; read as 1985-12-25'), (3, 'not a date')]
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    today = today or _dt.date.today()
    if len(array) >= 1024 and not pa.types.is_dictionary(array.type):
        # birth dates repeat: parse each distinct value once, then spread dates and problems over the rows
        encoded = pc.dictionary_encode(array)
        if len(encoded.dictionary) <= len(array) // 2:
            distinct_dates, distinct_problems = parse_dates(encoded.dictionary, today=today, missing=missing)
            indices = encoded.indices
            by_value: dict[int, list[tuple[str | None, str]]] = {}
            for value_index, value, message in distinct_problems:
                by_value.setdefault(value_index, []).append((value, message))
            # one extra slot at the end, always False: a null row's code -1 picks it, so a
            # column with no value at all (an empty dictionary) needs no special case
            flagged = np.zeros(len(encoded.dictionary) + 1, dtype=bool)
            flagged[list(by_value)] = True
            codes = pc.fill_null(indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
            rows = np.flatnonzero(flagged[codes])
            spread = [(row, value, message) for row in rows.tolist() for value, message in by_value[int(codes[row])]]
            return pc.take(distinct_dates, indices), spread
    problems: list[tuple[int, str | None, str]] = []
    if pa.types.is_date(array.type) or pa.types.is_timestamp(array.type):
        dates = array.cast(pa.date32())
        text = dates.cast(pa.string())
    else:
        text = pc.utf8_trim_whitespace(array.cast(pa.string()))
        text = _null_if_empty(text)
        dates = pa.nulls(len(text), pa.date32())
        swapped = pa.nulls(len(text), pa.date32())
        for pattern in _DATE_PATTERNS:
            parts = pc.extract_regex(text, pattern)
            year, month, day = (pc.struct_field(parts, k).cast(pa.int32()) for k in ("y", "m", "d"))
            dates = pc.coalesce(dates, _checked_date(year, month, day))
            if pattern == _DATE_PATTERNS[0]:
                swapped = pc.if_else(pc.is_null(_checked_date(year, month, day)), _checked_date(year, day, month),
                                     pa.scalar(None, pa.date32()))
        swap_rows = pc.indices_nonzero(pc.is_valid(swapped)).to_pylist()
        for row in swap_rows:
            value = swapped[row].as_py()
            problems.append((row, text[row].as_py(), f"day and month look swapped; read as {value.isoformat()}"))
        dates = pc.coalesce(dates, swapped)
        bad = pc.and_(pc.is_valid(text), pc.is_null(dates))
        for row in pc.indices_nonzero(pc.fill_null(bad, False)).to_pylist():
            problems.append((row, text[row].as_py(), "not a date"))
    if missing:
        sentinel = pc.is_in(dates, pa.array([_dt.date.fromisoformat(m) for m in missing], pa.date32()))
        for row in pc.indices_nonzero(pc.fill_null(sentinel, False)).to_pylist():
            problems.append((row, text[row].as_py(), "a placeholder date; treated as missing"))
        dates = pc.if_else(sentinel, pa.scalar(None, pa.date32()), dates)
    implausible = pc.or_(pc.less(dates, pa.scalar(_EARLIEST_BIRTH, pa.date32())),
                         pc.greater(dates, pa.scalar(today, pa.date32())))
    for row in pc.indices_nonzero(pc.fill_null(implausible, False)).to_pylist():
        problems.append((row, text[row].as_py(), "implausible date of birth; treated as missing"))
    dates = pc.if_else(implausible, pa.scalar(None, pa.date32()), dates)
    problems.sort(key=lambda p: p[0])
    return dates, problems
