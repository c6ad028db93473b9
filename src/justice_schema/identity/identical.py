"""Records identical on every compared field: compared once, through one representative.

Thirty thousand records that all read ``JOHN SMITH, 1980-01-01`` (a test
account, a placeholder person, a vendor's default) would put thirty thousand
records in one block and link each to hundreds of neighbours: millions of links
that say nothing more than "these records are the same". Matching compares
such a group once instead:

* records whose *normalised* values agree on every field matching reads
  (names and their keys, birth date and its typed digits, sex, identifiers,
  address, postal code) form an **identical group**;
* the member with the smallest id (compared as text, so the choice never
  depends on input order) is the group's **representative**; only
  representatives enter blocking and comparison;
* every other member is linked to its representative by the strongest rule
  that two records with exactly these values pass (found by scoring the
  representative against itself with the real scorer and the rule's blocking
  keys), so each member has one link, and its explanation is the
  representative's (the ``identical`` and ``identical_group_size`` columns of
  :meth:`~justice_schema.identity.match.MatchResult.links_table` say so). When
  no rule links two such records (NIBRS people, known only by sex and race),
  the members stay apart, exactly as before.

A member's values are its representative's, so it can never conflict with
the representative's cluster, and the member ends in that cluster: the people
found are those of comparing every pair, at one link per member.

>>> import numpy as np
>>> groups = IdenticalGroups.from_codes([np.array([3, 1, 3, 3, -1]), np.array([0, 0, 0, 0, 0])],
...                                     key_rank=np.array([4, 0, 2, 1, 3]))
>>> groups.representative.tolist(), groups.size.tolist(), groups.collapsed
([3, 1, 3, 3, 4], [3, 1, 3, 3, 1], 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs
import numpy as np

from justice_schema.identity.keys import PersonKeys, sorted_codes

__all__ = ["IdenticalGroups", "grouping_columns"]


#: Normalised columns that are functions of other normalised columns (equal when those are equal),
#: so grouping need not compare them; any column not listed here is compared.
_DERIVED = frozenset({"given_first", "given_key", "given_name_key", "family_key", "family_first", "family_last",
                      "birth_year", "birth_month_day", "name_set"})


def grouping_columns(names: Iterable[str]) -> list[str]:
    """The normalised columns (of ``names``) that records of one identical group agree on; the
    others are functions of these. With the typed birth digits (``PersonKeys.dob_typed``) they make
    the group key.

    >>> grouping_columns(["given_name", "given_first", "sex"])
    ['given_name', 'sex']
    """
    return [name for name in names if name not in _DERIVED]


def _dense(values: np.ndarray) -> np.ndarray:
    _, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1)


@attrs.frozen(slots=True, eq=False)
class IdenticalGroups:
    """Per row: its group's representative row and the group's size.

    ``representative[i] == i`` for the rows that are compared (every row of a
    group of one, and one row per larger group).
    """

    representative: np.ndarray
    size: np.ndarray

    @property
    def collapsed(self) -> int:
        """How many rows are not compared themselves (members linked through their representative)."""
        return int((self.representative != np.arange(len(self.representative))).sum())

    @property
    def compared(self) -> np.ndarray:
        """Boolean mask of the rows that enter blocking and comparison."""
        return self.representative == np.arange(len(self.representative))

    @classmethod
    def from_codes(cls, codes: Iterable[np.ndarray], key_rank: np.ndarray) -> IdenticalGroups:
        """Groups of rows equal on every array of ``codes`` (``-1`` = missing, equal to missing)."""
        n = len(key_rank)
        if n == 0:
            return cls(np.zeros(0, np.int64), np.zeros(0, np.int64))
        combined = np.zeros(n, dtype=np.int64)
        for column in codes:
            column = np.asarray(column, dtype=np.int64) + 1  # missing becomes 0
            width = int(column.max(initial=0)) + 1
            if int(combined.max(initial=0)) + 1 >= (2**62) // max(width, 1):
                combined = _dense(combined)
            combined = combined * width + column
        group = _dense(combined)
        # representative: the row of smallest key rank in each group
        order = np.lexsort((key_rank, group))
        sorted_group = group[order]
        starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
        first_of_group = np.empty(int(group.max()) + 1, dtype=np.int64)
        first_of_group[sorted_group[starts]] = order[starts]
        counts = np.bincount(group)
        return cls(first_of_group[group], counts[group])

    @classmethod
    def of(cls, keys: PersonKeys) -> IdenticalGroups:
        """The identical groups of ``keys``: equal on every normalised column and on the typed birth digits."""
        def codes() -> Iterator[np.ndarray]:  # one column's codes at a time: memory stays at a few arrays
            yield np.asarray(keys.dob_typed, dtype=np.int64) - 1  # 0 (none) becomes -1 (missing)
            for name in grouping_columns(keys.table.column_names):
                yield sorted_codes(keys.table.column(name).combine_chunks())[0]

        return cls.from_codes(codes(), keys.key_rank)
