"""Code tables as data: every code list's values, descriptions and source.

Each table is a JSON file in ``justice_schema/codes/tables/`` naming the
standard and data element it comes from and citing its source. The
``StrEnum`` classes of :mod:`justice_schema.v1.codes` are generated from these
tables, and a test keeps the two identical.

>>> from justice_schema.codes import code_table, describe
>>> code_table("type_of_arrest").description("T")
'Taken Into Custody'
>>> from justice_schema.v1.codes import Sex
>>> describe(Sex.FEMALE)
'Female'

Codes are effective-dated: an entry may name the release of its standard that
introduced or retired it, and :meth:`CodeTable.in_effect` says whether a code
was current on a date (validation warns on a retired code for the record's date)::

    >>> from datetime import date
    >>> code_table("ucr_offense").in_effect("90I", date(2018, 6, 1))
    True
    >>> code_table("ucr_offense").in_effect("90I", date(2020, 6, 1))
    False
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources

import attrs

__all__ = ["RELEASES", "CodeEntry", "CodeTable", "code_table", "code_table_names", "describe", "release_date"]

#: The releases of the standards the code tables cite, keyed by ``(standard, release)``, with the first
#: date whose data the release governs. FBI NIBRS 2019.1 is the technical specification whose code
#: lists apply from data year 2019 (it dropped Group B offense 90I Runaway and relationship HR).
RELEASES: dict[tuple[str, str], date] = {
    ("FBI NIBRS", "2019.1"): date(2019, 1, 1),
}


def release_date(standard: str, release: str) -> date:
    """The date from which ``release`` of ``standard`` applies; ``KeyError`` naming both when unknown."""
    try:
        return RELEASES[(standard, release)]
    except KeyError:
        known = ", ".join(f"{s} {r}" for s, r in RELEASES)
        raise KeyError(f"no release {release!r} of {standard!r} is known; known: {known}") from None


@attrs.frozen(slots=True)
class CodeEntry:
    """One code of a table: the code text and its meaning.

    ``extra`` holds further attributes some tables carry, such as the offense
    group (``"A"``/``"B"``) and "crime against" of a UCR offense code.
    """

    code: str
    description: str
    extra: tuple[tuple[str, object], ...] = ()

    def get(self, key: str, default: object = None) -> object:
        """An extra attribute by name, e.g. ``entry.get("crime_against")``."""
        return dict(self.extra).get(key, default)

    @property
    def introduced(self) -> str | None:
        """The release of the table's standard that introduced the code (``None``: from the start)."""
        value = self.get("introduced")
        return value if isinstance(value, str) else None

    @property
    def retired(self) -> str | None:
        """The release of the table's standard that retired the code (``None``: still current)."""
        value = self.get("retired")
        return value if isinstance(value, str) else None


@attrs.frozen(slots=True)
class CodeTable:
    """A code list: its name, title, origin and entries, in the source's order."""

    name: str
    title: str
    standard: str
    data_element: str | None
    source: str
    entries: tuple[CodeEntry, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The code values, in table order."""
        return tuple(entry.code for entry in self.entries)

    def entry(self, code: str) -> CodeEntry:
        """The entry for ``code``; ``KeyError`` naming the table if there is none."""
        for candidate in self.entries:
            if candidate.code == code:
                return candidate
        raise KeyError(f"code {code!r} is not in code table {self.name!r}")

    def description(self, code: str) -> str:
        """The description of ``code``."""
        return self.entry(code).description

    def in_effect(self, code: str, on: date) -> bool:
        """Whether ``code`` was a current value of the table on ``on``: introduced by then and not yet retired."""
        entry = self.entry(code)
        if entry.introduced is not None and on < release_date(self.standard, entry.introduced):
            return False
        return entry.retired is None or on < release_date(self.standard, entry.retired)

    def retired_codes(self, on: date) -> tuple[str, ...]:
        """The codes of the table that were not current on ``on`` (retired by then, or not yet introduced)."""
        return tuple(entry.code for entry in self.entries if not self.in_effect(entry.code, on))

    def effective_dated(self) -> tuple[CodeEntry, ...]:
        """The entries that name a release introducing or retiring them."""
        return tuple(e for e in self.entries if e.introduced is not None or e.retired is not None)


@cache
def code_table_names() -> tuple[str, ...]:
    """Names of every code table shipped with the package, sorted."""
    folder = resources.files(__package__).joinpath("tables")
    return tuple(sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")))


@cache
def code_table(name: str) -> CodeTable:
    """Load the code table ``name`` (for example ``"ucr_offense"``).

    Raises ``KeyError`` listing the known names when there is no such table.
    """
    if name not in code_table_names():
        raise KeyError(f"no code table {name!r}; known: {', '.join(code_table_names())}")
    text = resources.files(__package__).joinpath("tables", f"{name}.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    entries = tuple(
        CodeEntry(
            code=row["code"],
            description=row["description"],
            extra=tuple((k, v) for k, v in row.items() if k not in ("code", "description")),
        )
        for row in doc["codes"]
    )
    return CodeTable(
        name=doc["name"],
        title=doc["title"],
        standard=doc["standard"],
        data_element=doc.get("data_element"),
        source=doc["source"],
        entries=entries,
    )


def describe(member: StrEnum) -> str:
    """The description of an enum member from its code table."""
    table = getattr(type(member), "__code_table__", None)
    if not isinstance(table, str):
        raise TypeError(f"{type(member).__name__} is not a justice_schema code list")
    return code_table(table).description(str(member))
