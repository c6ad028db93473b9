"""A state's statute crosswalk: citation to category, NIBRS code and severity, from a CSV the state fills in.

The format (one row per statute; header names the columns, any order)::

    state,statute,ncrp_category,nibrs_code,severity,severity_degree,description,source
    VA,18.2-250,POSSESSION/USE - OTHER CONTROLLED SUBSTANCES,35A,FELONY,5,Possession of Schedule I/II,Code of Virginia

``state`` and ``statute`` are required; each other column may be left empty on a row (that
level then falls back to the description rules). Citations are put in canonical form with the
state's parser of the vocabulary, so ``18.2-250(A)`` finds the row of ``18.2-250``.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.files import reading
from justice_schema.offenses.vocabulary import DEGREES, SEVERITIES, Vocabulary

__all__ = ["Crosswalk", "CrosswalkEntry", "load_crosswalk", "canonical_citations"]

_NIBRS_CODES: frozenset[str] | None = None


@attrs.frozen(slots=True)
class CrosswalkEntry:
    """One statute of a crosswalk (empty levels are None)."""

    state: str
    statute: str
    ncrp_category: str | None
    nibrs_code: str | None
    severity: str | None
    severity_degree: str | None
    row: int


@attrs.frozen(slots=True)
class Crosswalk:
    """A loaded crosswalk: entries keyed ``STATE|canonical citation``."""

    source: str
    entries: tuple[CrosswalkEntry, ...]
    keys: pa.Array = attrs.field(repr=False)

    def __len__(self) -> int:
        return len(self.entries)


def canonical_citations(statutes: pa.Array, state: str | None, vocabulary: Vocabulary) -> tuple[pa.Array, pa.Array]:
    """Each citation's canonical ``key`` and ``base`` (section without subsections) by the state's parser.

    Text that the parser does not recognise gives its upper-cased, space-collapsed self as key and null base.
    """
    text = pc.utf8_trim_whitespace(pc.utf8_upper(statutes))
    text = pc.replace_substring_regex(text, r"\s+", " ")
    text = pc.replace_substring_regex(text, r"^(?:§+|SEC(?:TION)?\.?)\s*", "")
    parser = vocabulary.statute_parser(state)
    if parser is None:
        return text, pa.nulls(len(text), pa.string())
    parts = pc.extract_regex(text, parser.pattern)
    key = pc.struct_field(parts, "key")
    key = pc.replace_substring_regex(key, r"\s+", "")
    has_base = "(?P<base>" in parser.pattern
    base = pc.replace_substring_regex(pc.struct_field(parts, "base"), r"\s+", "") if has_base else pa.nulls(
        len(text), pa.string())
    return pc.coalesce(key, text), base


def load_crosswalk(path: str | os.PathLike[str], vocabulary: Vocabulary) -> Crosswalk:
    """Read a crosswalk CSV; every problem is an :class:`InputError` naming the file, row and column."""
    from justice_schema.codes import code_table

    global _NIBRS_CODES
    if _NIBRS_CODES is None:
        _NIBRS_CODES = frozenset(e.code for e in code_table("ucr_offense").entries)
    file = Path(path)
    entries: list[CrosswalkEntry] = []
    try:
        with reading(file), file.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            columns = set(reader.fieldnames or ())
            missing = {"state", "statute"} - columns
            if missing:
                raise InputError(f"missing column(s): {', '.join(sorted(missing))} (a crosswalk needs state and "
                                 "statute, and at least one of ncrp_category, nibrs_code, severity, severity_degree)",
                                 path=str(file))
            for row_number, row in enumerate(reader, start=2):
                entries.append(_entry(file, row_number, row, vocabulary))
    except csv.Error as exc:
        raise InputError(f"is not a readable CSV file ({exc})", path=str(file)) from None
    keys = []
    for entry in entries:
        key, _ = canonical_citations(pa.array([entry.statute]), entry.state, vocabulary)
        keys.append(f"{entry.state}|{key[0].as_py()}")
    seen: dict[str, int] = {}
    for entry, key in zip(entries, keys):
        if key in seen:
            raise InputError(f"statute {entry.statute!r} of {entry.state} is listed twice (rows {seen[key]} and "
                             f"{entry.row})", path=str(file), row=entry.row, field="statute")
        seen[key] = entry.row
    return Crosswalk(str(file), tuple(entries), pa.array(keys, pa.string()))


def _cell(row: dict[str, str | None], name: str) -> str | None:
    value = row.get(name)
    value = value.strip() if isinstance(value, str) else None
    return value or None


def _entry(file: Path, row_number: int, row: dict[str, str | None], vocabulary: Vocabulary) -> CrosswalkEntry:
    def bad(field: str, problem: str) -> InputError:
        return InputError(problem, path=str(file), row=row_number, field=field)

    state = (_cell(row, "state") or "").upper()
    if len(state) != 2 or not state.isalpha():
        raise bad("state", f"{state!r} is not a two-letter state code")
    statute = _cell(row, "statute")
    if statute is None:
        raise bad("statute", "is empty")
    ncrp = _cell(row, "ncrp_category")
    if ncrp is not None:
        ncrp = ncrp.upper()
        if ncrp not in vocabulary.categories:
            raise bad("ncrp_category", f"{ncrp!r} is not an NCRP charge category of the vocabulary")
    nibrs = _cell(row, "nibrs_code")
    if nibrs is not None:
        nibrs = nibrs.upper()
        if _NIBRS_CODES is not None and nibrs not in _NIBRS_CODES:
            raise bad("nibrs_code", f"{nibrs!r} is not a NIBRS offense code")
    severity = _cell(row, "severity")
    if severity is not None:
        severity = vocabulary.severity_words.get(severity.upper(), severity.upper())
        if severity not in SEVERITIES:
            raise bad("severity", f"{severity!r} is not one of {', '.join(SEVERITIES)}")
    degree = _cell(row, "severity_degree")
    if degree is not None:
        degree = degree.upper()
        if degree not in DEGREES:
            raise bad("severity_degree", f"{degree!r} is not a charge_degree code ({', '.join(DEGREES)})")
    if ncrp is None and nibrs is None and severity is None and degree is None:
        raise bad("ncrp_category", "the row classifies nothing: give ncrp_category, nibrs_code, severity or "
                                   "severity_degree")
    return CrosswalkEntry(state, statute, ncrp, nibrs, severity, degree, row_number)
