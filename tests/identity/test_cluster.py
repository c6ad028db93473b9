"""Guarded clustering: conflicts and weak links cannot chain people together."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.identity.cluster import (
    LINKED,
    REFUSED_CONFLICT,
    REFUSED_WEAK_CHAIN,
    _merge_loop,
    cluster_links,
)

MERGED = SAME_CLUSTER = LINKED


def test_a_record_without_identifier_cannot_bridge_two_state_ids() -> None:
    sid = np.array([1, -1, 2])
    labels, status = cluster_links(3, np.array([0, 1]), np.array([1, 2]), np.array([True, True]), exclusive=[sid])
    assert labels[0] == labels[1] != labels[2]
    assert status.tolist() == [MERGED, REFUSED_CONFLICT]


def test_one_weak_link_cannot_chain_two_strong_clusters() -> None:
    # 0-1 strong, 2-3 strong, then 1-2 weak: refused
    a, b = np.array([0, 2, 1]), np.array([1, 3, 2])
    labels, status = cluster_links(4, a, b, np.array([True, True, False]))
    assert labels[0] == labels[1] and labels[2] == labels[3] and labels[0] != labels[2]
    assert status.tolist() == [MERGED, MERGED, REFUSED_WEAK_CHAIN]


def test_weak_links_may_attach_a_single_record() -> None:
    labels, status = cluster_links(3, np.array([0, 1]), np.array([1, 2]), np.array([True, False]))
    assert len(set(labels.tolist())) == 1 and status.tolist() == [MERGED, MERGED]


def test_birth_years_across_a_cluster_veto() -> None:
    years = np.array([1950, -1, 1980])
    _, status = cluster_links(3, np.array([0, 1]), np.array([1, 2]), np.array([True, True]),
                              birth_year=years, max_years_apart=10)
    assert status.tolist() == [MERGED, REFUSED_CONFLICT]


def test_redundant_links_corroborate() -> None:
    _, status = cluster_links(3, np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([True, True, True]))
    assert status.tolist() == [MERGED, MERGED, SAME_CLUSTER]


@given(st.integers(2, 40).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans()), max_size=80),
    st.lists(st.integers(-1, 3), min_size=n, max_size=n),
    st.lists(st.integers(-1, 1), min_size=n, max_size=n),
    st.lists(st.sampled_from([-1, 1950, 1955, 1975]), min_size=n, max_size=n),
)))
def test_the_fast_path_agrees_with_the_merge_loop(case) -> None:
    n, edges, sid, suffix, years = case
    edges = [(x, y, s) for x, y, s in edges if x != y]
    edges.sort(key=lambda e: not e[2])  # strong links first, as the rule order gives
    a = np.array([e[0] for e in edges], dtype=np.int64)
    b = np.array([e[1] for e in edges], dtype=np.int64)
    strong = np.array([e[2] for e in edges], dtype=bool)
    exclusive = [np.array(sid), np.array(suffix)]
    labels, status = cluster_links(n, a, b, strong, exclusive=exclusive, birth_year=np.array(years),
                                   max_years_apart=10)
    loop_labels, loop_status = _merge_loop(n, a, b, strong, exclusive, np.array(years), 10)
    assert status.tolist() == loop_status.tolist()
    same = labels[:, None] == labels[None, :]
    assert (same == (loop_labels[:, None] == loop_labels[None, :])).all()
