"""Guarded clustering: links become clusters, but not every link may merge two clusters.

Links are processed in one fixed order: by rule (strongest first), then by the
ids of the two records. The order never depends on the order of the input, so
neither do the clusters. Each link ends in one of three states
(:data:`LINK_STATUSES`):

* ``linked``: its two records are in one cluster (it joined them, or corroborates);
* ``refused_conflict``: the two clusters, taken whole, conflict. A record
  without a state id may link to Jr and to Sr, but the link that would put
  Jr's and Sr's clusters (different state ids, birth dates decades apart, JR
  against SR) into one person is refused. Conflicts are the ones the rules
  declare (:class:`~justice_schema.identity.rules.Conflicts`).
* ``refused_weak_chain``: the link is from a weak rule and both clusters were
  formed by strong links. One weak link cannot chain two strong clusters.

The merge loop is sequential by nature (each merge changes the clusters the
next link sees). Most people never need it: a connected part of the link graph
whose records cannot conflict (at most one state id, one FBI number, one
suffix, one sex; birth years close enough) and where a weak link cannot meet
two strong clusters simply *is* one cluster, found with whole-array operations.
Only the remaining parts go through the loop, in the same order, so the result
is the same as running the loop over every link.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["LINK_STATUSES", "LINKED", "REFUSED_CONFLICT", "REFUSED_WEAK_CHAIN", "cluster_links", "link_order",
           "components"]

LINKED, REFUSED_CONFLICT, REFUSED_WEAK_CHAIN = 0, 1, 2
#: Names of the link states, indexed by their code.
LINK_STATUSES: tuple[str, ...] = ("linked", "refused_conflict", "refused_weak_chain")


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected-component label (its smallest member) of each of ``n`` nodes, edges ``(a, b)``.

    Min-label propagation with pointer jumping, on whole arrays.

    >>> import numpy as np
    >>> components(5, np.array([0, 3]), np.array([1, 4])).tolist()
    [0, 0, 2, 3, 3]
    """
    label = np.arange(n, dtype=np.int64)
    if len(a) == 0:
        return label
    a, b = _indices(a), _indices(b)
    while True:
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        while True:  # jump to the label's label until stable
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            return label
        label = new


def _indices(rows: np.ndarray) -> np.ndarray:
    """Row indices as an integer array, without a copy when they already are one (int32 halves link memory)."""
    rows = np.asarray(rows)
    return rows if rows.dtype.kind in "iu" else rows.astype(np.int64)


def _distinct_per_component(component: np.ndarray, values: np.ndarray) -> np.ndarray:
    """How many distinct non-missing ``values`` each component holds (indexed by component label)."""
    present = values >= 0
    pairs = np.sort(component[present] * (int(values.max(initial=0)) + 1) + values[present])
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs
    owners = pairs // (int(values.max(initial=0)) + 1)
    return np.bincount(owners, minlength=len(component))


def link_order(rank: np.ndarray, key_a: np.ndarray, key_b: np.ndarray) -> np.ndarray:
    """The processing order of links: by rule rank, then the two records' id ranks."""
    return np.lexsort((key_b, key_a, rank))


def cluster_links(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    strong: np.ndarray,
    *,
    exclusive: Sequence[np.ndarray] = (),
    birth_year: np.ndarray | None = None,
    max_years_apart: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster ``n`` records by links processed in the given order.

    ``a``, ``b``: record indices of each link, already in processing order
    (see :func:`link_order`); ``strong``: whether each link's rule is strong.
    ``exclusive``: per-record codes (``-1`` missing) of which a cluster may hold
    one value only (state id, FBI number, suffix, sex). ``birth_year`` with
    ``max_years_apart``: a cluster's birth years must span fewer years.

    Returns ``(labels, status)``: a cluster label per record (the index of a
    member, not meaningful across runs) and a :data:`LINK_STATUSES` code per
    link. Strong links should come before weak ones in the order (the
    fast path relies on it; otherwise every part goes through the loop).

    >>> import numpy as np
    >>> sid = np.array([1, -1, 2])  # records 0 and 2 have different state ids
    >>> labels, status = cluster_links(3, np.array([0, 1]), np.array([1, 2]), np.array([True, True]),
    ...                                exclusive=[sid])
    >>> bool(labels[0] == labels[1]), bool(labels[1] == labels[2]), status.tolist()
    (True, False, [0, 1])
    """
    a, b = _indices(a), _indices(b)
    strong = np.asarray(strong, dtype=bool)
    exclusive = [np.asarray(codes, dtype=np.int64) for codes in exclusive]
    component = components(n, a, b)
    unsafe = np.zeros(n, dtype=bool)  # indexed by component label
    for codes in exclusive:
        unsafe |= _distinct_per_component(component, codes) > 1
    check_years = birth_year is not None and max_years_apart > 0
    if check_years:
        assert birth_year is not None
        years = np.asarray(birth_year, dtype=np.int64)
        known = years >= 0
        low = np.full(n, np.iinfo(np.int64).max)
        high = np.full(n, -1)
        np.minimum.at(low, component[known], years[known])
        np.maximum.at(high, component[known], years[known])
        unsafe |= (high >= 0) & (high - low >= max_years_apart)
    weak = ~strong
    if weak.any():
        first_weak = int(np.flatnonzero(weak)[0])
        if strong[first_weak:].any():  # strong after weak: no shortcut for parts with both
            has_weak = np.zeros(n, dtype=bool)
            has_weak[component[a[weak]]] = True
            has_strong = np.zeros(n, dtype=bool)
            has_strong[component[a[strong]]] = True
            unsafe |= has_weak & has_strong
        else:
            strong_component = components(n, a[strong], b[strong])
            in_strong = np.zeros(n, dtype=bool)
            in_strong[a[strong]] = in_strong[b[strong]] = True
            anchors = _distinct_per_component(component, np.where(in_strong, strong_component, -1))
            has_weak = np.zeros(n, dtype=bool)
            has_weak[component[a[weak]]] = True
            unsafe |= has_weak & (anchors > 1)
    status = np.full(len(a), LINKED, dtype=np.int8)
    slow = np.flatnonzero(unsafe[component[a]])
    labels = component
    if len(slow):
        loop_labels, loop_status = _merge_loop(n, a[slow], b[slow], strong[slow], exclusive,
                                               birth_year if check_years else None, max_years_apart)
        status[slow] = loop_status
        slow_rows = unsafe[component]
        labels = np.where(slow_rows, loop_labels, component)
    return labels, status


def _merge_loop(n: int, a: np.ndarray, b: np.ndarray, strong: np.ndarray, exclusive: Sequence[np.ndarray],
                birth_year: np.ndarray | None, max_years_apart: int) -> tuple[np.ndarray, np.ndarray]:
    """The sequential guarded merge, for the parts of the graph where conflicts or guards can bite."""
    parent = list(range(n))
    size = [1] * n
    anchored = [False] * n
    attributes = [np.asarray(codes).tolist() for codes in exclusive]
    check_years = birth_year is not None and max_years_apart > 0
    low: list[int] = []
    high: list[int] = []
    if check_years:
        assert birth_year is not None
        low = np.asarray(birth_year).tolist()
        high = list(low)
    status = np.empty(len(a), dtype=np.int8)
    out = status.tolist()
    a_list, b_list, strong_list = np.asarray(a).tolist(), np.asarray(b).tolist(), np.asarray(strong).tolist()

    for i, x in enumerate(a_list):
        # find with path halving, inlined: this loop is the hot path of clustering
        while parent[x] != x:
            parent[x] = x = parent[parent[x]]
        y = b_list[i]
        while parent[y] != y:
            parent[y] = y = parent[parent[y]]
        if x == y:
            out[i] = LINKED
            continue
        conflict = False
        for values in attributes:
            vx = values[x]
            if vx >= 0:
                vy = values[y]
                if vy >= 0 and vx != vy:
                    conflict = True
                    break
        if check_years and not conflict:
            lx, ly = low[x], low[y]
            if lx >= 0 and ly >= 0 and max(high[x], high[y]) - min(lx, ly) >= max_years_apart:
                conflict = True
        if conflict:
            out[i] = REFUSED_CONFLICT
            continue
        is_strong = strong_list[i]
        if not is_strong and anchored[x] and anchored[y]:
            out[i] = REFUSED_WEAK_CHAIN
            continue
        if size[x] < size[y]:
            x, y = y, x
        parent[y] = x
        size[x] += size[y]
        anchored[x] = anchored[x] or anchored[y] or is_strong
        for values in attributes:
            if values[x] < 0:
                values[x] = values[y]
        if check_years and low[y] >= 0:
            if low[x] < 0:
                low[x], high[x] = low[y], high[y]
            else:
                low[x] = min(low[x], low[y])
                high[x] = max(high[x], high[y])
        out[i] = LINKED
    status = np.asarray(out, dtype=np.int8)
    labels = np.asarray(parent, dtype=np.int64)
    while True:  # point every record at its root
        jumped = labels[labels]
        if np.array_equal(jumped, labels):
            break
        labels = jumped
    return labels, status
