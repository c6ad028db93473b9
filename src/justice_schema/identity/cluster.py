"""Guarded clustering: links become clusters, but not every link may merge two clusters.

Links are processed in one fixed order: by rule (strongest first), then by the
ids of the two records. The order never depends on the order of the input, so
neither do the clusters. Each link ends in one of four states
(:data:`LINK_STATUSES`):

* ``merged``: it joined two clusters;
* ``same_cluster``: its records were already together (it corroborates);
* ``refused_conflict``: the two clusters, taken whole, conflict. A record
  without a state id may link to Jr and to Sr, but the link that would put
  Jr's and Sr's clusters (different state ids, birth dates decades apart, JR
  against SR) into one person is refused. Conflicts are the ones the rules
  declare (:class:`~justice_schema.identity.rules.Conflicts`).
* ``refused_weak_chain``: the link is from a weak rule and both clusters were
  formed by strong links. One weak link cannot chain two strong clusters.

The merge loop is sequential by nature (each merge changes the clusters the
next link sees); it is a tight loop over the links only, with cluster
attributes kept per root.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["LINK_STATUSES", "MERGED", "SAME_CLUSTER", "REFUSED_CONFLICT", "REFUSED_WEAK_CHAIN", "cluster_links",
           "link_order"]

MERGED, SAME_CLUSTER, REFUSED_CONFLICT, REFUSED_WEAK_CHAIN = 0, 1, 2, 3
#: Names of the link states, indexed by their code.
LINK_STATUSES: tuple[str, ...] = ("merged", "same_cluster", "refused_conflict", "refused_weak_chain")


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
    member, not meaningful across runs) and a :data:`LINK_STATUSES` code per link.

    >>> import numpy as np
    >>> sid = np.array([1, -1, 2])  # records 0 and 2 have different state ids
    >>> labels, status = cluster_links(3, np.array([0, 1]), np.array([1, 2]), np.array([True, True]),
    ...                                exclusive=[sid])
    >>> bool(labels[0] == labels[1]), bool(labels[1] == labels[2]), status.tolist()
    (True, False, [0, 2])
    """
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
            out[i] = SAME_CLUSTER
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
        out[i] = MERGED
    status = np.asarray(out, dtype=np.int8)
    labels = np.asarray(parent, dtype=np.int64)
    while True:  # point every record at its root
        jumped = labels[labels]
        if np.array_equal(jumped, labels):
            break
        labels = jumped
    return labels, status
