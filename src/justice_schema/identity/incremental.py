"""Incremental matching: new records against people already known, without renumbering them.

:func:`match_incremental` takes a previous :class:`~justice_schema.identity.match.MatchResult`
and new records. It finds the links that involve a new record (with the same
rules), and re-clusters only the *connected parts* of the link graph that a
new record touches, in the same fixed link order as a batch run. Because the
guarded clustering of one connected part never depends on another, the
clusters are exactly those of a batch run over all the records (as long as no
block crosses ``max_block_size`` between the two runs, which would change which
pairs are compared).

**Renumbering policy** (how ``person_uid`` values survive):

* a person untouched by the new records keeps their uid;
* a cluster that continues one earlier person keeps that person's uid, even
  when a new record has a smaller id than every earlier member;
* a cluster that joins several earlier people (a **merge**) keeps the smallest
  of their uids; the others are reported as absorbed into it;
* an earlier person whose records end up in several clusters (a **split**,
  possible when a new strong link reorders the guarded merges) keeps their uid
  in the cluster holding their smallest earlier member id; the other parts get
  fresh uids, and the split is reported;
* a cluster of new records only gets the batch uid (the hash of its smallest id).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np
import pyarrow as pa

from justice_schema.identity.cluster import cluster_links, components, link_order
from justice_schema.identity.identical import IdenticalGroups
from justice_schema.identity.inputs import NOT_UTF8, person_input
from justice_schema.identity.keys import PersonKeys
from justice_schema.identity.match import (
    LinkArrays,
    MatchResult,
    exclusive_codes,
    find_links,
)
from justice_schema.identity.uid import person_uid
from justice_schema.progress import Progress

__all__ = ["IncrementalResult", "Merge", "Split", "match_incremental"]


@attrs.frozen(slots=True)
class Merge:
    """Earlier people found to be one: ``absorbed`` uids now read ``survivor``."""

    survivor: str
    absorbed: tuple[str, ...]


@attrs.frozen(slots=True)
class Split:
    """An earlier person whose records are now in several clusters: ``kept`` and the ``new`` uids."""

    original: str
    kept: str
    new: tuple[str, ...]


@attrs.frozen(slots=True, eq=False)
class IncrementalResult:
    """The combined result (earlier then new records), and what changed for earlier people."""

    result: MatchResult
    merges: tuple[Merge, ...]
    splits: tuple[Split, ...]
    new_people: int
    joined_existing: int

    def summary(self) -> str:
        """One line: new people, records joining known people, merges, splits."""
        return (f"{self.new_people} new people, {self.joined_existing} new records joined known people, "
                f"{len(self.merges)} merges, {len(self.splits)} splits")


def match_incremental(
    previous: MatchResult,
    new_data: pa.Table | Iterable[Any],
    *,
    progress: Progress | None = None,
) -> IncrementalResult:
    """Match ``new_data`` against ``previous`` without renumbering known people.

    The rules are those of ``previous`` (matching with other rules is a new
    batch run, not an increment). Ids of new records must not repeat earlier
    ids (:class:`~justice_schema.errors.InputError` names the row). See the module documentation for the renumbering policy.
    """
    ruleset = previous.rules
    given = person_input(new_data)
    new_table = given.table
    old_table = previous.data
    names = [c for c in old_table.column_names if c in new_table.column_names]
    for name in new_table.column_names:
        if name not in names:
            names.append(name)
    parts = []
    for table in (old_table, new_table):
        columns = {}
        for name in names:
            if name in table.column_names:
                column = table.column(name)
                columns[name] = column.cast(pa.string()) if not pa.types.is_string(column.type) else column
            else:
                columns[name] = pa.nulls(table.num_rows, pa.string())
        parts.append(pa.table(columns))
    combined = pa.concat_tables(parts)
    n_old = old_table.num_rows
    # cells repaired on reading (bytes that were not UTF-8) stay reported, the new ones after the earlier rows
    repaired = [i for i in previous.issues if i.message == NOT_UTF8]
    repaired += [attrs.evolve(p, row=(p.row or 0) + n_old) for p in given.problems]
    keys = PersonKeys.from_table(combined, problems=repaired)  # raises on ids repeated across old and new
    identical = IdenticalGroups.of(keys)
    n = keys.n
    is_new = np.zeros(n, dtype=bool)
    is_new[n_old:] = True

    new_links, capped = find_links(keys, ruleset, involving=is_new, progress=progress, identical=identical)
    links = LinkArrays(np.concatenate([previous.links.a, new_links.a]),
                       np.concatenate([previous.links.b, new_links.b]),
                       np.concatenate([previous.links.rank, new_links.rank]))
    component = components(n, links.a, links.b)
    touched = np.zeros(n, dtype=bool)
    touched[np.isin(component, component[is_new])] = True

    in_part = touched[links.a]  # both ends share a component, so one end decides
    part = LinkArrays(links.a[in_part], links.b[in_part], links.rank[in_part])
    order = link_order(part.rank, keys.key_rank[part.a], keys.key_rank[part.b])
    part = LinkArrays(part.a[order], part.b[order], part.rank[order])
    strong = np.array([r.strength == "strong" for r in ruleset.rules], dtype=bool)[part.rank]
    labels, part_status = cluster_links(
        n, part.a, part.b, strong, exclusive=exclusive_codes(keys, ruleset),
        birth_year=keys.birth_year, max_years_apart=ruleset.conflicts.dob_max_years_apart,
    )

    old_uids = previous.person_uids
    uids = np.empty(n, dtype=object)
    uids[:n_old] = old_uids
    merges: list[Merge] = []
    splits: list[Split] = []
    touched_rows = np.flatnonzero(touched)
    groups: dict[int, list[int]] = {}
    for row in touched_rows.tolist():
        groups.setdefault(int(labels[row]), []).append(row)
    # which new clusters each earlier uid went to
    destinations: dict[str, list[int]] = {}
    for label, rows in groups.items():
        for row in rows:
            if row < n_old:
                destinations.setdefault(old_uids[row], []).append(label)
    smallest_member: dict[str, int] = {}
    for row in touched_rows[touched_rows < n_old].tolist():
        uid = old_uids[row]
        if uid not in smallest_member or keys.key_rank[row] < keys.key_rank[smallest_member[uid]]:
            smallest_member[uid] = row
    keeper_of = {uid: int(labels[row]) for uid, row in smallest_member.items()}
    new_people = joined = 0
    for label, rows in sorted(groups.items(), key=lambda item: min(keys.key_rank[r] for r in item[1])):
        earlier = sorted({old_uids[r] for r in rows if r < n_old})
        kept = [u for u in earlier if keeper_of[u] == label]
        smallest_row = min(rows, key=lambda r: keys.key_rank[r])
        if kept:
            uid = kept[0]
            if len(kept) > 1:
                merges.append(Merge(survivor=uid, absorbed=tuple(kept[1:])))
            joined += sum(1 for r in rows if r >= n_old)
        else:
            uid = person_uid(keys.ids[smallest_row])
            if not earlier:
                new_people += 1
            else:
                joined += sum(1 for r in rows if r >= n_old)
        for r in rows:
            uids[r] = uid
    for uid, dests in sorted(destinations.items()):
        others = sorted({d for d in dests if d != keeper_of[uid]})
        if others:
            splits.append(Split(original=uid, kept=uid,
                                new=tuple(sorted({uids[groups[d][0]] for d in others}))))

    status = np.concatenate([previous.link_status, np.zeros(len(new_links), dtype=np.int8)])
    status[np.flatnonzero(in_part)[order]] = part_status
    result = MatchResult(ids=keys.ids, person_uids=uids, links=links, link_status=status, rules=ruleset,
                         capped_blocks=tuple(previous.capped_blocks) + tuple(capped),
                         issues=keys.issues, keys=keys, data=combined,
                         identical=identical if identical.collapsed else None)
    return IncrementalResult(result=result, merges=tuple(merges), splits=tuple(splits), new_people=new_people,
                             joined_existing=joined)
