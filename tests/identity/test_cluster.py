"""Guarded clustering: conflicts and weak links cannot chain people together."""

from __future__ import annotations

import numpy as np

from justice_schema.identity.cluster import (
    MERGED,
    REFUSED_CONFLICT,
    REFUSED_WEAK_CHAIN,
    SAME_CLUSTER,
    cluster_links,
)


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
    labels, status = cluster_links(3, np.array([0, 1]), np.array([1, 2]), np.array([True, True]),
                                   birth_year=years, max_years_apart=10)
    assert status.tolist() == [MERGED, REFUSED_CONFLICT]


def test_redundant_links_corroborate() -> None:
    labels, status = cluster_links(3, np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([True, True, True]))
    assert status.tolist() == [MERGED, MERGED, SAME_CLUSTER]
