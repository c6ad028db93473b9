"""Field scores and conflicts for chunks of candidate pairs, vectorised.

Every function takes the row indices of the two sides of many pairs (NumPy
arrays ``a`` and ``b``) and returns one value per pair. Fuzzy scores use
rapidfuzz's :func:`rapidfuzz.process.cpdist`, which scores element-wise pairs
in C; nothing loops over pairs in Python.

Scores, ``NaN`` when either side is missing:

================================  ==============================================================
field                             score
================================  ==============================================================
``given_name``                    1 when the first given names are equal or nicknames of one
                                  another (Bill / William); else the Jaro-Winkler similarity
                                  of the first names or of the whole names without spaces,
                                  whichever is higher; at least 0.7 when one side is an
                                  initial of the other
``middle_name``                   as ``given_name``, without nicknames
``family_name``                   1 when equal (spaces and hyphens ignored); at least 0.95 when
                                  a part of a compound name is shared (Garcia-Lopez / Lopez);
                                  else Jaro-Winkler similarity
``date_of_birth``                 1 equal; 0.8 for one clerical error: day and month swapped,
                                  two adjacent digits transposed, or one digit wrong; else 0
``name_swap``                     given and family names swapped: the lower of the Jaro-Winkler
                                  similarities given/family and family/given
``address_line1``, ``line2``      token-sort ratio (word order ignored)
``address_city``                  Jaro-Winkler similarity
identifiers, ``sex``,             1 equal, 0 different
``postal_code``, ``name_suffix``,
``address_state``
================================  ==============================================================
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.process import cpdist

from justice_schema.identity.keys import PersonKeys, sorted_codes
from justice_schema.identity.nicknames import nickname_pairs
from justice_schema.identity.rules import Conflicts

__all__ = ["PairScorer", "dob_scores", "DOB_CLERICAL_ERROR_SCORE"]

#: Score of two birth dates one clerical error apart.
DOB_CLERICAL_ERROR_SCORE = 0.8
_INITIAL_SCORE = 0.7
#: Given and family name scores at which an identifier one edit off counts as a typing slip.
_SLIP_NAME_SCORE = 0.9
_COMPOUND_SCORE = 0.95
_EXACT_FIELDS = ("sex", "state_id", "fbi_number", "drivers_license_number", "postal_code", "name_suffix",
                 "address_state")
_POWERS = 10 ** np.arange(8, dtype=np.int64)


def _digits(values: np.ndarray) -> np.ndarray:
    return (values.astype(np.int64)[:, None] // _POWERS[None, :]) % 10


def _clerical(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Whether ``YYYYMMDD`` integers ``x`` and ``y`` (different, both present) are one clerical error apart."""
    xa, xb = _digits(x), _digits(y)
    hamming = (xa != xb).sum(axis=1)
    clerical = hamming == 1
    two = np.flatnonzero(hamming == 2)
    if len(two):
        ta, tb = xa[two], xb[two]
        transposed = np.zeros(len(two), dtype=bool)
        for i in range(7):
            transposed |= (ta[:, i] == tb[:, i + 1]) & (ta[:, i + 1] == tb[:, i]) & (ta[:, i] != ta[:, i + 1])
        clerical[two[transposed]] = True
    swapped = (x // 10000 == y // 10000) & ((x // 100) % 100 == y % 100) & (x % 100 == (y // 100) % 100)
    return clerical | swapped


def dob_scores(da: np.ndarray, db: np.ndarray, ta: np.ndarray | None = None,
               tb: np.ndarray | None = None) -> np.ndarray:
    """Scores of birth dates given as ``YYYYMMDD`` integers (0 = missing).

    ``ta`` and ``tb`` (optional) are the digits of birth dates typed but no
    date (``19870553``; 0 otherwise, see ``PersonKeys.dob_typed``). Where a
    side's date is missing but its typed digits are one clerical error from
    the other side (or equal to its typed digits), the pair scores 0.8: the
    typed slip still says which date was meant. Otherwise a missing side
    scores NaN, as before; unreadable digits never score 1 and never 0.

    >>> import numpy as np
    >>> dob_scores(np.array([19850312, 19850312, 19850312, 19850312, 19850312, 0]),
    ...            np.array([19850312, 19851203, 19850321, 19850313, 19750101, 19850312])).tolist()
    [1.0, 0.800000011920929, 0.800000011920929, 0.800000011920929, 0.0, nan]
    >>> dob_scores(np.array([19870523, 19870523]), np.array([0, 0]),
    ...            np.array([0, 0]), np.array([19870553, 19871353])).tolist()
    [0.800000011920929, nan]
    """
    da = np.asarray(da, dtype=np.int64)
    db = np.asarray(db, dtype=np.int64)
    out = np.zeros(len(da), dtype=np.float32)
    missing = (da == 0) | (db == 0)
    exact = da == db
    near = np.flatnonzero(~exact & ~missing)
    if len(near):
        out[near[_clerical(da[near], db[near])]] = DOB_CLERICAL_ERROR_SCORE
    out[exact] = 1.0
    out[missing] = np.nan
    if ta is not None and tb is not None:
        ta = np.asarray(ta, dtype=np.int64)
        tb = np.asarray(tb, dtype=np.int64)
        xa, xb = np.where(da == 0, ta, da), np.where(db == 0, tb, db)
        typed = np.flatnonzero(missing & (xa != 0) & (xb != 0))
        if len(typed):
            x, y = xa[typed], xb[typed]
            out[typed[(x == y) | _clerical(x, y)]] = DOB_CLERICAL_ERROR_SCORE
    return out


class PairScorer:
    """Scores and conflicts of candidate pairs over one :class:`PersonKeys`."""

    def __init__(self, keys: PersonKeys) -> None:
        self.keys = keys
        self._nickname_codes: np.ndarray | None = None
        self._nickname_size = 1
        self._lengths: dict[str, np.ndarray] = {}
        self._family_parts: tuple[np.ndarray, np.ndarray] | None = None

    def family_part_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """Codes of every record's first and last family-name part in **one** dictionary (-1 when
        missing), so that one record's first part can be compared with another's last.

        Each column's own :meth:`PersonKeys.codes` ranks its values among that column's values only:
        compared across the two columns, equal codes meant nothing (and depended on which other
        records were in the table).
        """
        if self._family_parts is None:
            first, last = self.keys.column("family_first"), self.keys.column("family_last")
            codes, _ = sorted_codes(pa.concat_arrays([first, last.cast(first.type)]))
            self._family_parts = codes[: len(first)], codes[len(first):]
        return self._family_parts

    def _nicknames(self) -> np.ndarray:
        if self._nickname_codes is None:
            distinct = self.keys.column("given_name").unique().drop_null()
            dictionary = pc.take(distinct, pc.array_sort_indices(distinct)).to_pylist()
            # codes are ranks in the sorted dictionary, so the position in `dictionary` is the code
            position = {name: i for i, name in enumerate(dictionary)}
            size = len(dictionary) + 1
            pairs = [position[x] * size + position[y] for x, y in nickname_pairs() if x in position and y in position]
            self._nickname_codes = np.unique(np.asarray(pairs, dtype=np.int64))
            self._nickname_size = size
        return self._nickname_codes

    def _fuzzy(self, column: str, a: np.ndarray, b: np.ndarray, scorer: Any, scale: float = 1.0) -> np.ndarray:
        """``scorer`` on the pairs whose values differ; equal values score 1 without calling it."""
        codes = self.keys.codes(column)
        scores = np.ones(len(a), dtype=np.float32)
        differ = np.flatnonzero(codes[a] != codes[b])
        if len(differ):
            left, right = self.keys.strings(column, a[differ]), self.keys.strings(column, b[differ])
            scores[differ] = cpdist(left, right, scorer=scorer, dtype=np.float32, workers=1) / scale
        return scores

    def _jaro_winkler(self, column: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._fuzzy(column, a, b, JaroWinkler.normalized_similarity)

    def _exact(self, field: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        codes = self.keys.codes(field)
        ca, cb = codes[a], codes[b]
        out = (ca == cb).astype(np.float32)
        out[(ca < 0) | (cb < 0)] = np.nan
        return out

    def _missing(self, column: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        codes = self.keys.codes(column)
        return (codes[a] < 0) | (codes[b] < 0)

    def _initials(self, field: str, a: np.ndarray, b: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Raise to the initial score the pairs where one side is the other's initial."""
        if field not in self._lengths:
            lengths = pc.utf8_length(self.keys.column(field))
            self._lengths[field] = pc.fill_null(lengths, 0).to_numpy(zero_copy_only=False)
        lengths = self._lengths[field]
        first = self.keys.codes(f"{field}:1")
        initial = ((lengths[a] == 1) | (lengths[b] == 1)) & (first[a] == first[b]) & (first[a] >= 0)
        return np.where(initial, np.maximum(scores, _INITIAL_SCORE), scores).astype(np.float32)

    def score(self, field: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``float32`` scores of ``field`` for the pairs ``(a[i], b[i])``; NaN where a side is missing."""
        if len(a) == 0:
            return np.zeros(0, dtype=np.float32)
        if field in _EXACT_FIELDS:
            return self._exact(field, a, b)
        if field == "date_of_birth":
            typed = self.keys.dob_typed
            return dob_scores(self.keys.dob[a], self.keys.dob[b], typed[a], typed[b])
        if field == "given_name":
            scores = np.maximum(self._jaro_winkler("given_first", a, b), self._jaro_winkler("given_key", a, b))
            codes = self.keys.codes("given_name")
            nick = self._nicknames()
            pair = codes[a] * self._nickname_size + codes[b]
            scores[np.isin(pair, nick)] = 1.0
            scores = self._initials("given_name", a, b, scores)
            scores[self._missing("given_name", a, b)] = np.nan
            return scores
        if field == "middle_name":
            scores = self._initials("middle_name", a, b, self._jaro_winkler("middle_name", a, b))
            scores[self._missing("middle_name", a, b)] = np.nan
            return scores
        if field == "family_name":
            scores = self._jaro_winkler("family_key", a, b)
            first, last = self.family_part_codes()
            fa, fb, la, lb = first[a], first[b], last[a], last[b]
            shared = (((fa == fb) | (fa == lb)) & (fa >= 0)) | (((la == lb) | (la == fb)) & (la >= 0))
            scores = np.where(shared & (scores < _COMPOUND_SCORE), _COMPOUND_SCORE, scores).astype(np.float32)
            scores[self._missing("family_name", a, b)] = np.nan
            return scores
        if field in ("address_line1", "address_line2"):
            scores = self._fuzzy(field, a, b, fuzz.token_sort_ratio, 100.0)
            scores[self._missing(field, a, b)] = np.nan
            return scores
        if field == "name_swap":
            given_a, given_b = self.keys.strings("given_first", a), self.keys.strings("given_first", b)
            family_a, family_b = self.keys.strings("family_key", a), self.keys.strings("family_key", b)
            one = cpdist(given_a, family_b, scorer=JaroWinkler.normalized_similarity, dtype=np.float32, workers=1)
            two = cpdist(family_a, given_b, scorer=JaroWinkler.normalized_similarity, dtype=np.float32, workers=1)
            scores = np.minimum(one, two)
            scores[self._missing("given_name", a, b) | self._missing("family_name", a, b)] = np.nan
            return scores
        if field == "address_city":
            scores = self._jaro_winkler("address_city", a, b)
            scores[self._missing("address_city", a, b)] = np.nan
            return scores
        raise KeyError(f"no scorer for field {field!r}")

    def conflicts(self, conflicts: Conflicts, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """True for the pairs a conflict vetoes (see :class:`~justice_schema.identity.rules.Conflicts`)."""
        veto = np.zeros(len(a), dtype=bool)
        fields = list(conflicts.different)
        if conflicts.generational_suffix:
            fields.append("name_suffix")
        if conflicts.sex:
            fields.append("sex")
        for field in fields:
            codes = self.keys.codes(field)
            ca, cb = codes[a], codes[b]
            differ = (ca >= 0) & (cb >= 0) & (ca != cb)
            if conflicts.near_identifiers and field in conflicts.different and differ.any():
                at = np.flatnonzero(differ)
                differ[at[self.slipped_identifiers(field, a[at], b[at])]] = False
            veto |= differ
        if conflicts.dob_max_years_apart > 0:
            ya, yb = self.keys.birth_year[a], self.keys.birth_year[b]
            apart = (ya >= 0) & (yb >= 0) & (np.abs(ya - yb) >= conflicts.dob_max_years_apart)
            if conflicts.clerical_dob_slip and apart.any():
                at = np.flatnonzero(apart)
                apart[at[self.score("date_of_birth", a[at], b[at]) >= DOB_CLERICAL_ERROR_SCORE]] = False
            veto |= apart
        return veto

    def slipped_identifiers(self, field: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """For pairs whose ``field`` identifiers differ: True where they are one edit apart (one character
        changed, added or dropped, or two neighbours swapped) and everything else agrees: given and family
        names at 0.9 or more and the birth date equal or one clerical error apart (or, missing on a side,
        the same postal code)."""
        left, right = self.keys.strings(field, a), self.keys.strings(field, b)
        near = cpdist(left, right, scorer=OSA.distance, dtype=np.int32, workers=1) <= 1
        at = np.flatnonzero(near)
        if len(at):
            x, y = a[at], b[at]
            dob = self.score("date_of_birth", x, y)
            # a birth date missing on a side: the postal code stands in for it
            dob_agrees = (dob >= DOB_CLERICAL_ERROR_SCORE) | (np.isnan(dob) & (self.score("postal_code", x, y) == 1))
            agree = ((self.score("given_name", x, y) >= _SLIP_NAME_SCORE)
                     & (self.score("family_name", x, y) >= _SLIP_NAME_SCORE) & dob_agrees)
            near[at[~agree]] = False
        return near
