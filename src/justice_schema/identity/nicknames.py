"""The nickname table: which given names are used for one another.

The table is the vendored ``nicknames`` data set (see ``data/SOURCE.md``). It is
read as a *symmetric, non-transitive* relation: ``BILL`` and ``WILLIAM`` are
nicknames of one another, and so are ``BILL`` and ``ROBERT`` (as the table says),
but that does not make ``WILLIAM`` a nickname of ``ROBERT``.

>>> are_nicknames("Bill", "WILLIAM"), are_nicknames("peggy", "Margaret"), are_nicknames("bill", "mary")
(True, True, False)
>>> canonical_given_name("PEGGY")
'MARGARET'
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

__all__ = ["nickname_pairs", "are_nicknames", "canonical_given_name", "NICKNAME_TABLE"]

#: The vendored file the pairs come from (inside the package).
NICKNAME_TABLE = "data/nicknames.csv"


@lru_cache(maxsize=1)
def nickname_pairs() -> frozenset[tuple[str, str]]:
    """Every (name, name) pair of the table, upper case, in both orders."""
    text = resources.files("justice_schema.identity").joinpath(NICKNAME_TABLE).read_text(encoding="utf-8")
    pairs: set[tuple[str, str]] = set()
    for row in csv.DictReader(text.splitlines()):
        a, b = row["name1"].strip().upper(), row["name2"].strip().upper()
        if a and b and a != b:
            pairs.add((a, b))
            pairs.add((b, a))
    return frozenset(pairs)


@lru_cache(maxsize=1)
def _neighbours() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for a, b in nickname_pairs():
        table.setdefault(a, set()).add(b)
    return {name: frozenset(names) for name, names in table.items()}


@lru_cache(maxsize=1)
def _nickname_counts() -> dict[str, int]:
    text = resources.files("justice_schema.identity").joinpath(NICKNAME_TABLE).read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for row in csv.DictReader(text.splitlines()):
        name = row["name1"].strip().upper()
        counts[name] = counts.get(name, 0) + 1
    return counts


#: A name the table gives at least this many nicknames is a formal name (WILLIAM, MARGARET).
FORMAL_NAME_MIN_NICKNAMES = 6


def are_nicknames(a: str, b: str) -> bool:
    """True when the table lists ``a`` and ``b`` as used for one another (case-insensitive)."""
    return (a.strip().upper(), b.strip().upper()) in nickname_pairs()


def canonical_given_name(name: str) -> str:
    """A blocking key for a given name: the formal name it stands for, or the name itself.

    A formal name is one the table gives at least
    :data:`FORMAL_NAME_MIN_NICKNAMES` nicknames. A nickname of several formal
    names maps to the one with most nicknames (then the alphabetically first),
    so the key is deterministic. The key only
    groups candidates; the comparison itself uses :func:`are_nicknames`.
    """
    upper = name.strip().upper()
    counts = _nickname_counts()
    if counts.get(upper, 0) >= FORMAL_NAME_MIN_NICKNAMES:
        return upper
    candidates = [n for n in _neighbours().get(upper, ()) if counts.get(n, 0) >= FORMAL_NAME_MIN_NICKNAMES]
    if not candidates:
        return upper
    return min(candidates, key=lambda n: (-counts[n], n))
