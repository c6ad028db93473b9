"""Deterministic person ids.

A cluster's ``person_uid`` is derived from its members only: it is a keyed
BLAKE2b hash of the smallest member id (ids compared as text). The same
records, in any order and under any ``PYTHONHASHSEED``, give the same ids, and
an id reveals nothing about the person.

>>> person_uid("rms:123")
'P...'
>>> person_uid("rms:123") == person_uid("rms:123"), len(person_uid("x"))
(True, 21)
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["person_uid", "cluster_uids", "UID_PREFIX"]

#: Every person_uid starts with this letter.
UID_PREFIX = "P"
_PERSONALISATION = b"js.person_uid"


def person_uid(member_key: str) -> str:
    """The ``person_uid`` of a cluster whose smallest member id is ``member_key``."""
    digest = hashlib.blake2b(member_key.encode("utf-8"), digest_size=10, person=_PERSONALISATION).hexdigest()
    return UID_PREFIX + digest


def cluster_uids(labels: np.ndarray, ids: np.ndarray, key_rank: np.ndarray) -> np.ndarray:
    """One ``person_uid`` per record: the uid of its cluster's smallest member id.

    ``key_rank`` ranks ``ids`` in sorted order; ``labels`` are cluster labels.
    """
    n = len(labels)
    if n == 0:
        return np.empty(0, dtype=object)
    order = np.lexsort((key_rank, labels))
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    first_member = order[starts]
    uids = np.asarray([person_uid(ids[i]) for i in first_member.tolist()], dtype=object)
    group = np.cumsum(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]]) - 1
    out = np.empty(n, dtype=object)
    out[order] = uids[group]
    return out
