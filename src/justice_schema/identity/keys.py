"""The normalised matching keys of a person table, as arrays ready for blocking and comparing.

:class:`PersonKeys` normalises the columns once (see
:mod:`justice_schema.identity.normalize`) and then serves, on demand and cached:

* ``codes(spec)``: an ``int64`` code per row for a blocking field (``-1`` when
  missing). Codes follow the *sorted* distinct values, never the order rows
  arrived in, so every decision built on them is independent of input order.
* ``strings(column, rows)``: the normalised strings of some rows as a NumPy
  object array (``""`` when missing), the form rapidfuzz's vectorised scorers
  take, built from the column's distinct values.
* ``dob``: the date of birth as ``YYYYMMDD`` integers (``0`` when missing).
* ``dob_typed``: for a birth date that was typed but is no date (``1987-05-53``,
  ``1999-17-13``), its digits as typed, ``YYYYMMDD`` (``0`` otherwise). It is
  never a date and never a blocking key; comparison uses it to recognise one
  wrong or transposed digit against a real date.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.identity.inputs import text_column
from justice_schema.identity.normalize import (
    DATE_PATTERNS,
    data_issue,
    family_parts,
    given_name_key,
    normalize_identifier,
    normalize_name,
    normalize_postal_code,
    normalize_text,
    parse_dates,
    split_family_suffix,
)
from justice_schema.issues import Issue

__all__ = ["PersonKeys", "INPUT_COLUMNS", "sorted_codes"]

#: Columns of the flat person layout that matching reads (any may be absent, except ``id``).
INPUT_COLUMNS: tuple[str, ...] = (
    "id", "given_name", "middle_name", "family_name", "name_suffix", "date_of_birth", "sex", "race",
    "state_id", "fbi_number", "drivers_license_number", "postal_code", "address_line1", "address_line2",
    "address_city", "address_state",
)

# Blocking / comparison field -> normalised column that holds it.
_COLUMN_OF = {"given_name": "given_first", "family_name": "family_key"}


def _column(table: pa.Table, name: str) -> pa.Array:
    """Column ``name`` as text (``date_of_birth`` may stay a date); all null when absent."""
    return text_column(table, name)[0]


def sorted_codes(array: pa.Array) -> tuple[np.ndarray, pa.Array | None]:
    """int64 codes of ``array`` in the order of its sorted distinct values (-1 for null), and those values."""
    if pa.types.is_integer(array.type) or pa.types.is_date(array.type):
        values = array.cast(pa.int64()) if pa.types.is_integer(array.type) else array.cast(pa.int32()).cast(pa.int64())
        lowest = pc.min(values).as_py() or 0
        # shifted so every present value is >= 0 (dates before 1970 are negative day numbers)
        codes = pc.fill_null(pc.subtract(values, lowest), -1).to_numpy(zero_copy_only=False).astype(np.int64)
        return codes, None
    encoded = pc.dictionary_encode(array)
    dictionary = encoded.dictionary
    order = pc.array_sort_indices(dictionary).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    indices = pc.fill_null(encoded.indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)
    out = np.full(len(indices), -1, dtype=np.int64)
    present = indices >= 0
    out[present] = rank[indices[present]]
    return out, pc.take(dictionary, pa.array(order))


def _typed_date_digits(raw: pa.Array, dates: pa.Array) -> np.ndarray:
    """``YYYYMMDD`` digits of the birth dates that were typed in a date layout but are no date; 0 elsewhere."""
    out = np.zeros(len(raw), dtype=np.int32)
    if pa.types.is_date(raw.type) or pa.types.is_timestamp(raw.type) or not len(raw):
        return out
    text = pc.utf8_trim_whitespace(raw.cast(pa.string()))
    unread = pc.fill_null(pc.and_(pc.is_valid(text), pc.is_null(dates)), False)
    rows = pc.indices_nonzero(unread).to_numpy(zero_copy_only=False)
    if not len(rows):
        return out
    text = pc.take(text, pa.array(rows))
    typed = pa.nulls(len(rows), pa.int64())
    for pattern in DATE_PATTERNS:
        parts = pc.extract_regex(text, pattern)
        year, month, day = (pc.struct_field(parts, k).cast(pa.int64()) for k in ("y", "m", "d"))
        typed = pc.coalesce(typed, pc.add(pc.add(pc.multiply(year, 10000), pc.multiply(month, 100)), day))
    out[rows] = pc.fill_null(typed, 0).to_numpy(zero_copy_only=False).astype(np.int32)
    return out


class PersonKeys:
    """Normalised keys of ``n`` person records; built by :meth:`from_table`."""

    def __init__(self, table: pa.Table, ids: np.ndarray, issues: Sequence[Issue],
                 dob_typed: np.ndarray | None = None) -> None:
        self.table = table
        self.ids = ids
        self.n = len(ids)
        self.issues = tuple(issues)
        order = np.argsort(ids.astype(str), kind="stable")
        self.key_rank = np.empty(self.n, dtype=np.int64)
        self.key_rank[order] = np.arange(self.n, dtype=np.int64)
        dob = table.column("date_of_birth")
        years = pc.year(dob)
        self.dob = pc.fill_null(
            pc.add(pc.add(pc.multiply(years, 10000), pc.multiply(pc.month(dob), 100)), pc.day(dob)), 0
        ).to_numpy(zero_copy_only=False).astype(np.int32)
        self.birth_year = pc.fill_null(years, -1).to_numpy(zero_copy_only=False).astype(np.int32)
        self.dob_typed = np.zeros(self.n, dtype=np.int32) if dob_typed is None else dob_typed
        self._codes: dict[str, np.ndarray] = {}
        self._dictionaries: dict[str, pa.Array | None] = {}
        self._text: dict[str, np.ndarray] = {}
        self._neighbourhood: np.ndarray | None = None

    @classmethod
    def from_table(cls, table: pa.Table, *, path: str | None = None,
                   problems: Sequence[Issue] = ()) -> PersonKeys:
        """Normalise a flat person table (see :data:`INPUT_COLUMNS`).

        Raises :class:`~justice_schema.errors.InputError` when ``id`` is absent,
        empty or repeated (naming the 1-based row); problems with single values
        (a bad date, bytes that are not UTF-8: ``problems`` found while reading,
        see :func:`~justice_schema.identity.inputs.person_input`) are kept in
        :attr:`issues` and never stop the run.
        """
        if "id" not in table.column_names:
            raise InputError("missing required column: id", path=path, field="id")
        ids_arr = text_column(table, "id", path=path)[0]
        ids_arr = pc.utf8_trim_whitespace(ids_arr)
        empty = pc.fill_null(pc.equal(pc.utf8_length(ids_arr), 0), True)
        if pc.any(empty).as_py():
            row = pc.indices_nonzero(empty)[0].as_py()
            raise InputError("id is empty; every record needs a unique id", path=path, row=row + 1, field="id")
        ids = np.asarray(ids_arr.to_pylist(), dtype=object)
        counts = pc.value_counts(ids_arr)
        repeated = pc.filter(counts, pc.greater(pc.struct_field(counts, "counts"), 1))
        if len(repeated):
            value = repeated[0]["values"].as_py()
            row = pc.indices_nonzero(pc.equal(ids_arr, value))[1].as_py()
            raise InputError(f"id {value!r} is repeated; ids must be unique", path=path, row=row + 1, field="id")

        issues: list[Issue] = [attrs.evolve(p, record_id=ids[(p.row or 0) - 1]) for p in problems]
        given = normalize_name(_column(table, "given_name"))
        family, suffix = split_family_suffix(normalize_text(_column(table, "family_name")),
                                             _column(table, "name_suffix").cast(pa.string()))
        family = normalize_name(family)
        family_key, family_first, family_last = family_parts(family)
        raw_dates = _column(table, "date_of_birth")
        dates, date_problems = parse_dates(raw_dates)
        dob_typed = _typed_date_digits(raw_dates, dates)
        for row, value, message in date_problems:
            issues.append(data_issue(row + 1, ids[row], "date_of_birth", value, message))
        issues.sort(key=lambda issue: issue.row or 0)
        sex = pc.utf8_slice_codeunits(normalize_text(_column(table, "sex")), 0, 1)
        sex = pc.if_else(pc.is_in(sex, pa.array(["M", "F"])), sex, pa.scalar(None, pa.string()))
        given_first = pc.replace_substring_regex(given, r" .*$", "")
        name_set = pc.if_else(pc.less_equal(given_first, family_key),
                              pc.binary_join_element_wise(given_first, family_key, "|"),
                              pc.binary_join_element_wise(family_key, given_first, "|"))
        month_day = pc.add(pc.multiply(pc.month(dates), 100), pc.day(dates))
        norm = pa.table({
            "given_name": given,
            "given_first": given_first,
            "given_key": pc.replace_substring(given, " ", ""),
            "given_name_key": given_name_key(given),
            "middle_name": normalize_name(_column(table, "middle_name")),
            "family_name": family,
            "family_key": family_key,
            "family_first": family_first,
            "family_last": family_last,
            "name_suffix": suffix,
            "date_of_birth": dates,
            "birth_year": pc.year(dates),
            "birth_month_day": month_day,
            "sex": sex,
            "state_id": normalize_identifier(_column(table, "state_id")),
            "fbi_number": normalize_identifier(_column(table, "fbi_number")),
            "drivers_license_number": normalize_identifier(_column(table, "drivers_license_number")),
            "postal_code": normalize_postal_code(_column(table, "postal_code")),
            "name_set": name_set,
            "address_line1": normalize_text(_column(table, "address_line1")),
            "address_line2": normalize_text(_column(table, "address_line2")),
            "address_city": normalize_name(_column(table, "address_city")),
            "address_state": normalize_text(_column(table, "address_state")),
        })
        return cls(norm, ids, issues, dob_typed)

    def column(self, field: str) -> pa.Array:
        """The normalised Arrow column behind a blocking or comparison field."""
        return self.table.column(_COLUMN_OF.get(field, field)).combine_chunks()

    def codes(self, spec: str) -> np.ndarray:
        """Order-independent ``int64`` codes of a blocking field spec (``family_name:4``); -1 = missing."""
        if spec not in self._codes:
            name, _, prefix = spec.partition(":")
            array = self.column(name)
            if prefix:
                array = pc.utf8_slice_codeunits(array, 0, int(prefix))
            self._codes[spec], self._dictionaries[spec] = sorted_codes(array)
        return self._codes[spec]

    def strings(self, column: str, rows: np.ndarray) -> np.ndarray:
        """Normalised strings of a normalised column on ``rows``, as an object array (``""`` when missing).

        Built from the column's distinct values and codes, so a million rows do
        not hold a million Python strings.
        """
        if column not in self._text:
            self.codes(column)
            dictionary = self._dictionaries[column]
            if dictionary is None:
                raise ValueError(f"{column} is not a text column")
            self._text[column] = np.asarray(dictionary.to_pylist() + [""], dtype=object)  # code -1 picks ""
        return self._text[column][self.codes(column)[rows]]

    def neighbourhood_rank(self) -> np.ndarray:
        """Rank of each row by (family name, given name, birth date, id): the order used inside capped blocks."""
        if self._neighbourhood is None:
            order = np.lexsort((self.key_rank, self.dob, self.codes("given_name"), self.codes("family_name")))
            rank = np.empty(self.n, dtype=np.int64)
            rank[order] = np.arange(self.n, dtype=np.int64)
            self._neighbourhood = rank
        return self._neighbourhood

    def describe_key(self, block: Sequence[str], row: int) -> str:
        """The values of a blocking key on one row, for reports (``SMITH|1980-01-02``)."""
        parts = []
        for spec in block:
            name, _, prefix = spec.partition(":")
            value = self.column(name)[row].as_py()
            text = "" if value is None else str(value)
            parts.append(text[: int(prefix)] if prefix else text)
        return "|".join(parts)
