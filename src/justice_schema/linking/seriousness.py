"""The most-serious-offense rule, as data: severity class, then degree, then the UCR hierarchy.

The order lives in the ``[most_serious]`` table of the linking rules file (``default_rules.toml``).
When the events carry a ``severity_rank`` (the offense classifier's order,
:func:`justice_schema.offenses.severity_rank`, computed from charge text by
:func:`justice_schema.offenses.classify_offenses`), that rank is used first and this rule breaks its ties.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["MostSeriousRule"]


@attrs.frozen
class MostSeriousRule:
    """Lists, most serious first, of severity classes, degrees and UCR codes."""

    severity: tuple[str, ...]
    degree: tuple[str, ...]
    ucr: tuple[str, ...]

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any], where: str) -> MostSeriousRule:
        """The rule from a ``[most_serious]`` table; a missing or non-list key is a ``ValueError`` naming ``where``."""
        lists = []
        for key in ("severity", "degree", "ucr"):
            value = table.get(key)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{where}: most_serious.{key} must be a list of strings")
            lists.append(tuple(value))
        return cls(*lists)

    def rank(self, severity: Any, degree: Any, ucr: Any, classifier_rank: Any = None) -> pa.Array:
        """One int64 per offense: smaller is more serious (a total order once ties are broken by id).

        Each argument is an Arrow array (or sequence) of the same length. Unknown values sort after
        every listed value of their position.
        """
        parts = [(self.severity, severity), (self.degree, degree), (self.ucr, ucr)]
        total = None
        for values, column in parts:
            arr = pa.array(column, pa.string()) if not isinstance(column, (pa.Array, pa.ChunkedArray)) else column
            pos = pc.fill_null(pc.index_in(pc.cast(arr, pa.string()), value_set=pa.array(values, pa.string())), len(values))
            pos = pc.cast(pos, pa.int64())
            total = pos if total is None else pc.add(pc.multiply(total, 1000), pos)
        assert total is not None
        if classifier_rank is not None and pc.count(classifier_rank).as_py():
            cls_rank = pc.fill_null(pc.cast(classifier_rank, pa.int64()), 10**6)
            total = pc.add(pc.multiply(cls_rank, 10**9), total)
        return total

    def rank_values(self, severity: Sequence[str | None], degree: Sequence[str | None], ucr: Sequence[str | None]) -> np.ndarray:
        """:meth:`rank` of plain sequences, as a numpy array."""
        return np.asarray(self.rank(severity, degree, ucr).to_numpy(zero_copy_only=False))
