"""``match_persons``: resolve person records into people.

The pipeline: normalise the keys (:mod:`~justice_schema.identity.keys`); for
each rule, strongest first, and each of its blocking keys, generate candidate
pairs chunk by chunk (:mod:`~justice_schema.identity.blocking`), drop the pairs
a conflict vetoes, score the rule's comparisons
(:mod:`~justice_schema.identity.compare`) and keep the pairs that pass as
links; keep each pair's strongest rule; cluster the links with guarded merges
(:mod:`~justice_schema.identity.cluster`); give each cluster a deterministic
``person_uid`` (:mod:`~justice_schema.identity.uid`).

>>> import pyarrow as pa
>>> table = pa.table({
...     "id": ["a", "b", "c", "d"],
...     "given_name": ["William", "Bill", "William", "William"],
...     "family_name": ["Smith", "SMITH", "Smith Jr", "Smith"],
...     "date_of_birth": ["1970-03-04", "1970-04-03", "1995-03-04", "1970-03-04"],
...     "state_id": ["UT123", None, None, "UT999"],
...     "postal_code": ["84101", "84101-2234", "84101", "84101"],
... })
>>> result = match_persons(table)
>>> uid = dict(zip(result.ids, result.person_uids))
>>> uid["a"] == uid["b"], uid["a"] == uid["c"], uid["a"] == uid["d"]
(True, False, False)
>>> result.assignments().column("rule").to_pylist()
['fuzzy_many', 'fuzzy_many', None, None]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa

from justice_schema.identity.blocking import CappedBlock, block_codes_and_order, candidate_pairs
from justice_schema.identity.cluster import LINK_STATUSES, LINKED, cluster_links, components
from justice_schema.identity.compare import PairScorer
from justice_schema.identity.identical import IdenticalGroups
from justice_schema.identity.inputs import person_input
from justice_schema.identity.keys import PersonKeys
from justice_schema.identity.rules import COMPARABLE_FIELDS, Rule, RuleSet, load_rules
from justice_schema.identity.uid import cluster_uids
from justice_schema.issues import Issue, issues_table
from justice_schema.progress import Progress

__all__ = ["MatchResult", "match_persons", "as_person_table", "find_links", "LinkArrays", "exclusive_codes",
           "strongest_rules", "self_link_ranks", "cluster", "candidate_rules", "record_ranks"]

_COST = {"date_of_birth": 1, "given_name": 2, "middle_name": 2, "family_name": 2, "address_city": 2,
         "name_swap": 2, "address_line1": 3, "address_line2": 3}


def as_person_table(data: Any, *, path: str | None = None) -> pa.Table:
    """Person data as a flat person table: a flat table (columns read as text), a
    canonical (nested) table flattened, or an iterable of :class:`~justice_schema.v1.Person`
    records. See :func:`~justice_schema.identity.inputs.person_input`, which also
    reports the cells it had to repair."""
    return person_input(data, path=path).table


@attrs.frozen(slots=True, eq=False)
class LinkArrays:
    """Links as parallel arrays: row indices ``a`` < ``b`` by id (``int32`` when the rows allow,
    to halve their memory; else ``int64``), and the rule's rank."""

    a: np.ndarray
    b: np.ndarray
    rank: np.ndarray

    @classmethod
    def empty(cls) -> LinkArrays:
        """No links."""
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int16))

    def __len__(self) -> int:
        return len(self.a)


class _ChunkScores:
    """Scores of one chunk of pairs, computed once per field and pair, shared by every rule."""

    def __init__(self, scorer: PairScorer, a: np.ndarray, b: np.ndarray) -> None:
        self.scorer, self.a, self.b = scorer, a, b
        self.values: dict[str, np.ndarray] = {}
        self.done: dict[str, np.ndarray] = {}

    def get(self, field: str, index: np.ndarray) -> np.ndarray:
        """Scores of ``field`` for the pairs at ``index`` of the chunk."""
        if field not in self.values:
            self.values[field] = np.empty(len(self.a), dtype=np.float32)
            self.done[field] = np.zeros(len(self.a), dtype=bool)
        values, done = self.values[field], self.done[field]
        needed = index[~done[index]]
        if len(needed):
            values[needed] = self.scorer.score(field, self.a[needed], self.b[needed])
            done[needed] = True
        return values[index]


def _passes(rule: Rule, scores: _ChunkScores, alive: np.ndarray) -> np.ndarray:
    """The pairs among ``alive`` that pass ``rule``'s comparisons (cheapest comparisons first)."""
    for comparison in sorted(rule.require, key=lambda c: _COST.get(c.field, 0)):
        if not len(alive):
            return alive
        alive = alive[scores.get(comparison.field, alive) >= comparison.min_score]
    for comparison in sorted(rule.if_present, key=lambda c: _COST.get(c.field, 0)):
        if not len(alive):
            return alive
        values = scores.get(comparison.field, alive)
        alive = alive[np.isnan(values) | (values >= comparison.min_score)]
    if rule.min_any:
        count = np.zeros(len(alive), dtype=np.int16)
        comparisons = sorted(rule.any, key=lambda c: _COST.get(c.field, 0))
        for j, comparison in enumerate(comparisons):
            still = count + (len(comparisons) - j) >= rule.min_any
            alive, count = alive[still], count[still]
            if not len(alive):
                return alive
            count = count + (scores.get(comparison.field, alive) >= comparison.min_score)
        alive = alive[count >= rule.min_any]
    return alive


def find_links(
    keys: PersonKeys,
    rules: RuleSet,
    *,
    involving: np.ndarray | None = None,
    progress: Progress | None = None,
    identical: IdenticalGroups | None = None,
) -> tuple[LinkArrays, list[CappedBlock]]:
    """Every pair some rule links, with its strongest rule; and the capped blocks.

    Each distinct blocking key is visited once: its pairs, chunk by chunk, go
    to every rule that uses the key, strongest first, and the field scores of a
    chunk are computed once for all of them. A pair a rule already saw through
    another of its keys is not scored for it again. ``involving`` (a boolean
    mask over rows) keeps only pairs with at least one such row (incremental
    matching). With ``identical`` groups, only their representatives are
    compared, and each other member is linked to its representative by the
    strongest rule two such records pass
    (:mod:`~justice_schema.identity.identical`). Memory holds one chunk of
    candidate pairs at a time, plus the links found (a pair found through
    several keys is held once).
    """
    scorer = PairScorer(keys)
    order_rank = keys.neighbourhood_rank()
    capped: list[CappedBlock] = []
    blocks = list(dict.fromkeys(block for rule in rules.rules for block in rule.blocks))
    users = {block: [rank for rank, rule in enumerate(rules.rules) if block in rule.blocks] for block in blocks}
    # a block's codes are kept while a rule that uses it has blocks still to visit
    last_needed = {block: max(max(blocks.index(b) for b in rules.rules[rank].blocks) for rank in users[block])
                   for block in blocks}
    seen: dict[int, list[tuple[str, ...]]] = {rank: [] for rank in range(len(rules.rules))}
    kept_codes: dict[tuple[str, ...], np.ndarray] = {}
    compared = None if identical is None or not identical.collapsed else identical.compared
    found = _Found(keys.n, rules.limits.chunk_pairs)
    for position, block in enumerate(blocks):
        codes, order = block_codes_and_order(keys, block)
        if compared is not None:  # members of identical groups are linked through their representative
            codes = np.where(compared, codes, -1)
            order = order[compared[order]]
        kept_codes[block] = codes
        names = ", ".join(rules.rules[rank].name for rank in users[block])
        chunks = candidate_pairs(
            codes, order_rank, max_block_size=rules.limits.max_block_size, chunk_pairs=rules.limits.chunk_pairs,
            capped=capped, rule=names, describe=functools.partial(keys.describe_key, block), order=order,
        )
        for a, b in chunks:
            if progress is not None:
                progress.advance(rows=len(a))
            swap = keys.key_rank[a] > keys.key_rank[b]
            a, b = np.where(swap, b, a), np.where(swap, a, b)
            if involving is not None:
                keep = involving[a] | involving[b]
                a, b = a[keep], b[keep]
            if not len(a):
                continue
            vetoed = scorer.conflicts(rules.conflicts, a, b)
            a, b = a[~vetoed], b[~vetoed]
            scores = _ChunkScores(scorer, a, b)
            linked = np.zeros(len(a), dtype=bool)  # by a stronger rule of this block
            for rank in users[block]:
                alive = np.flatnonzero(~linked)
                for earlier in seen[rank]:  # already scored for this rule through another of its keys
                    previous = kept_codes[earlier]
                    pa_, pb_ = previous[a[alive]], previous[b[alive]]
                    alive = alive[(pa_ != pb_) | (pa_ < 0)]
                passed = _passes(rules.rules[rank], scores, alive)
                if len(passed):
                    linked[passed] = True
                    found.add(a[passed], b[passed], rank)
        for rank in users[block]:
            seen[rank].append(block)
        for done in [k for k in kept_codes if last_needed[k] <= position]:
            del kept_codes[done]
    if compared is not None:
        assert identical is not None
        found.add(*_identical_links(keys, rules, identical, scorer, involving))
    return found.links(), capped


class _Found:
    """Links found so far; a pair found again (through another key or rule) is held once, with its strongest rule.

    Without this, a block of thousands of records capped under several keys would hold the same
    window of pairs once per key and rule: the held links are folded whenever they outgrow ``fold_at``.
    """

    def __init__(self, n: int, chunk_pairs: int) -> None:
        self.n = max(n, 1)
        self.index_type = np.int32 if n < 2**31 else np.int64  # half the memory for every held link
        self.fold_at = max(4 * chunk_pairs, 1_000_000)
        self.parts: list[LinkArrays] = []
        self.held = 0
        self.folded = 0

    def add(self, a: np.ndarray, b: np.ndarray, rank: int | np.ndarray) -> None:
        if not len(a):
            return
        ranks = np.broadcast_to(np.asarray(rank, dtype=np.int16), a.shape).copy()
        self.parts.append(LinkArrays(a.astype(self.index_type), b.astype(self.index_type), ranks))
        self.held += len(a)
        if self.held - self.folded > self.fold_at:
            self._fold()
            self.folded = self.held = len(self.parts[0])

    def _fold(self) -> None:
        all_a = np.concatenate([p.a for p in self.parts])
        all_b = np.concatenate([p.b for p in self.parts])
        ranks = np.concatenate([p.rank for p in self.parts])
        self.parts = []
        pair = all_a.astype(np.int64) * self.n + all_b
        by_pair = np.lexsort((ranks, pair))  # each pair keeps its strongest rule
        pair = pair[by_pair]
        first = by_pair[np.r_[True, pair[1:] != pair[:-1]]]
        del pair, by_pair
        self.parts = [LinkArrays(all_a[first], all_b[first], ranks[first])]

    def links(self) -> LinkArrays:
        """Every pair once, with its strongest rule, sorted by pair."""
        if not self.parts:
            return LinkArrays.empty()
        self._fold()
        folded, self.parts = self.parts[0], []
        return folded


def strongest_rules(keys: PersonKeys, rules: RuleSet, a: np.ndarray, b: np.ndarray,
                    allowed: np.ndarray) -> np.ndarray:
    """Per candidate pair ``(a[i], b[i])``: the rank of the strongest rule that links it, or -1.

    ``allowed[i, r]`` says whether pair ``i`` is a candidate of rule ``r`` (it shares one of the
    rule's blocking keys, or its capped window). A pair a conflict vetoes is linked by no rule.
    This is :func:`find_links`'s decision for one pair, without the blocking: a distributed
    engine forms the candidate pairs itself and calls this on each batch of them
    (:mod:`justice_schema.spark.identity`); ``keys`` need only hold the batch's records.

    >>> import numpy as np, pyarrow as pa
    >>> from justice_schema.identity.rules import load_rules
    >>> keys = PersonKeys.from_table(pa.table({"id": ["a", "b"], "given_name": ["Bill", "William"],
    ...     "family_name": ["Smith", "Smith"], "date_of_birth": ["1970-03-04", "1970-03-04"]}))
    >>> rules = load_rules(None)
    >>> # the pair shares no identifier, so the identifier rules' blocks did not make it a candidate
    >>> allowed = np.array([[r.name not in ("state_id", "fbi_number", "drivers_license") for r in rules.rules]])
    >>> rank = strongest_rules(keys, rules, np.array([0]), np.array([1]), allowed)
    >>> rules.rules[int(rank[0])].name
    'name_dob'
    """
    rank = np.full(len(a), -1, dtype=np.int16)
    if not len(a):
        return rank
    scorer = PairScorer(keys)
    open_ = ~scorer.conflicts(rules.conflicts, a, b)
    scores = _ChunkScores(scorer, a, b)
    for r, rule in enumerate(rules.rules):
        alive = np.flatnonzero(open_ & (rank < 0) & allowed[:, r])
        if len(alive):
            rank[_passes(rule, scores, alive)] = r
    return rank


def candidate_rules(keys: PersonKeys, rules: RuleSet, a: np.ndarray, b: np.ndarray, found_by: np.ndarray,
                    blocks: list[tuple[str, ...]]) -> np.ndarray:
    """Which rules score each pair, as :func:`find_links` decides it: ``allowed[i, r]``.

    ``blocks`` are the distinct blocking keys in the order :func:`find_links` visits them, and
    bit ``k`` of ``found_by[i]`` says that key ``k`` produced pair ``i`` (the pair shares the
    key's value and, in a capped block, falls in the sorted window). :func:`find_links` scores a
    pair for a rule only under the *first* of the rule's keys whose value the pair shares (later
    keys skip it as already seen), so a pair that a capped window of that first key left out is
    not scored for the rule through a later key either. Pass the result to :func:`strongest_rules`.
    """
    index = {block: k for k, block in enumerate(blocks)}
    shares = np.zeros((len(a), len(blocks)), dtype=bool)
    for k, block in enumerate(blocks):
        together = np.ones(len(a), dtype=bool)
        for spec in block:
            codes = keys.codes(spec)
            together &= (codes[a] == codes[b]) & (codes[a] >= 0)
        shares[:, k] = together
    allowed = np.zeros((len(a), len(rules.rules)), dtype=bool)
    found_by = np.asarray(found_by, dtype=np.int64)
    for r, rule in enumerate(rules.rules):
        decided = np.zeros(len(a), dtype=bool)
        for k in sorted(index[block] for block in rule.blocks):
            first = shares[:, k] & ~decided
            allowed[first, r] = (found_by[first] >> k) & 1 == 1
            decided |= shares[:, k]
    return allowed


def self_link_ranks(keys: PersonKeys, rules: RuleSet, rows: np.ndarray,
                    scorer: PairScorer | None = None) -> np.ndarray:
    """Per row of ``rows``: the rank of the strongest rule two records with exactly its values pass
    (blocked together, no conflict, comparisons passed), or -1.

    It is the rule that links a member of an identical group to the group's representative
    (:mod:`~justice_schema.identity.identical`).
    """
    scorer = scorer or PairScorer(keys)
    scores = _ChunkScores(scorer, rows, rows)  # each row against itself
    rule_of = np.full(len(rows), -1, dtype=np.int16)
    open_ = ~scorer.conflicts(rules.conflicts, rows, rows)
    for rank, rule in enumerate(rules.rules):
        candidates = np.flatnonzero(open_ & (rule_of < 0))
        if not len(candidates):
            break
        blocked = np.zeros(len(candidates), dtype=bool)
        for block in rule.blocks:
            together = np.ones(len(candidates), dtype=bool)
            for spec in block:
                together &= keys.codes(spec)[rows[candidates]] >= 0
            blocked |= together
        rule_of[_passes(rule, scores, candidates[blocked])] = rank
    return rule_of


def _identical_links(keys: PersonKeys, rules: RuleSet, identical: IdenticalGroups, scorer: PairScorer,
                     involving: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each member of an identical group linked to its representative, by :func:`self_link_ranks`."""
    members = np.flatnonzero(~identical.compared)
    their_rep = identical.representative[members]
    reps = np.unique(their_rep)
    rule_of = self_link_ranks(keys, rules, reps, scorer)
    rank_of_rep = np.full(keys.n, -1, dtype=np.int16)
    rank_of_rep[reps] = rule_of
    rank = rank_of_rep[their_rep]
    keep = rank >= 0
    if involving is not None:
        keep &= involving[their_rep] | involving[members]
    return their_rep[keep], members[keep], rank[keep]


def exclusive_codes(keys: PersonKeys, rules: RuleSet) -> list[np.ndarray]:
    """The per-record codes of every field on which two records must agree to be linked.

    These are the conflict fields of ``rules`` (plus generational suffix and sex
    when those vetoes are on); the clustering refuses a merge that would put two
    different codes of one of them into a cluster.
    """
    fields = list(rules.conflicts.different)
    if rules.conflicts.generational_suffix:
        fields.append("name_suffix")
    if rules.conflicts.sex:
        fields.append("sex")
    return [keys.codes(field) for field in fields]


#: The fields two records must agree on (where both have them; names and birth date on both) for their link to
#: be clustered first: such records are one person whatever else their clusters hold.
AGREEMENT_FIELDS = ("given_name", "middle_name", "family_name", "name_suffix", "date_of_birth", "sex", "state_id",
                    "fbi_number", "drivers_license_number", "postal_code")


def agree_on_every_field(keys: PersonKeys, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True for the pairs that agree on every field of :data:`AGREEMENT_FIELDS` both records have, with given
    name, family name and birth date present on both."""
    agree = np.ones(len(a), dtype=bool)
    for field in AGREEMENT_FIELDS:
        codes = keys.codes(field)
        ca, cb = codes[a], codes[b]
        required = field in ("given_name", "family_name", "date_of_birth")
        agree &= (ca == cb) & (ca >= 0) if required else (ca == cb) | (ca < 0) | (cb < 0)
    return agree


def _excuse_slips(keys: PersonKeys, links: LinkArrays, rules: RuleSet,
                  exclusive: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """The exclusive codes and birth years the clustering guards, with the slips links were found across
    (:attr:`~justice_schema.identity.rules.Conflicts.near_identifiers`, ``clerical_dob_slip``) excused.

    Every link passed the pair's conflict check, so a link between two different identifiers joined a typing
    slip: the two identifiers count as one (their codes are joined). A link between birth years too far apart
    crossed a slipped birth date: those records' birth years are left out of the years guard.
    """
    conflicts = rules.conflicts
    years = keys.birth_year
    if conflicts.near_identifiers:
        exclusive = list(exclusive)
        for i, _ in enumerate(conflicts.different):
            codes = exclusive[i]
            ca, cb = codes[links.a], codes[links.b]
            slipped = (ca >= 0) & (cb >= 0) & (ca != cb)
            if slipped.any():
                joined = components(int(codes.max()) + 1, ca[slipped], cb[slipped])
                exclusive[i] = np.where(codes >= 0, joined[np.maximum(codes, 0)], -1)
    if conflicts.clerical_dob_slip and conflicts.dob_max_years_apart > 0:
        ya, yb = years[links.a], years[links.b]
        apart = (ya >= 0) & (yb >= 0) & (np.abs(ya - yb) >= conflicts.dob_max_years_apart)
        if apart.any():
            years = years.copy()
            years[links.a[apart]] = years[links.b[apart]] = -1
    return exclusive, years


def cluster(keys: PersonKeys, links: LinkArrays, rules: RuleSet) -> tuple[np.ndarray, LinkArrays, np.ndarray]:
    """Cluster ``links``; returns (labels, links in processing order, status per link).

    Strong links between records that agree on every field (:func:`agree_on_every_field`) go first, so
    that no guard can keep such records apart; then the rest by rule, then by ids (:func:`~justice_schema.identity.cluster.link_order`).
    """
    strong_rule = np.array([r.strength == "strong" for r in rules.rules], dtype=bool)
    first = strong_rule[links.rank] & agree_on_every_field(keys, links.a, links.b)
    order = np.lexsort((keys.key_rank[links.b], keys.key_rank[links.a], links.rank, ~first))
    ordered = LinkArrays(links.a[order], links.b[order], links.rank[order])
    del order, first
    strong = strong_rule[ordered.rank]
    exclusive, years = _excuse_slips(keys, ordered, rules, exclusive_codes(keys, rules))
    labels, status = cluster_links(
        keys.n, ordered.a, ordered.b, strong, exclusive=exclusive,
        birth_year=years, max_years_apart=rules.conflicts.dob_max_years_apart,
    )
    return labels, ordered, status


def record_ranks(n: int, links: LinkArrays, status: np.ndarray, person_uids: np.ndarray,
                 representative: np.ndarray | None = None) -> np.ndarray:
    """Per record (``0..n-1``), the rank of the strongest rule among the links the clustering kept
    (``status`` :data:`~justice_schema.identity.cluster.LINKED`) that touch it; -1 for none.

    With ``representative`` (each record's identical-group representative, itself when alone), a
    member in its representative's cluster also gets the representative's rule: had it been
    compared itself, it would have had the representative's links.

    >>> links = LinkArrays(np.array([0]), np.array([1]), np.array([2], dtype=np.int16))
    >>> record_ranks(3, links, np.array([LINKED]), np.array(["u", "u", "v"])).tolist()
    [2, 2, -1]
    """
    none = np.iinfo(np.int32).max
    best = np.full(n, none, dtype=np.int64)
    used = status == LINKED
    rank = links.rank[used].astype(np.int64)
    np.minimum.at(best, links.a[used], rank)
    np.minimum.at(best, links.b[used], rank)
    if representative is not None:
        joined = (representative != np.arange(n)) & (person_uids == person_uids[representative])
        best[joined] = np.minimum(best[joined], best[representative[joined]])
    best[best == none] = -1
    return best


@attrs.frozen(slots=True, eq=False)
class MatchResult:
    """What :func:`match_persons` found.

    ``ids`` and ``person_uids`` are parallel, in input order. ``links`` holds
    every link found (row indices and rule rank) and ``link_status`` what the
    clustering did with it (:data:`~justice_schema.identity.cluster.LINK_STATUSES`).
    ``capped_blocks`` lists the blocks that were too large to compare in full;
    ``issues`` the input values that were unusable (a bad date) and how they were read,
    with 1-based rows. ``identical`` holds the groups of records identical on every
    compared field, each compared once through its representative
    (:mod:`~justice_schema.identity.identical`); None when nothing was grouped.
    """

    ids: np.ndarray
    person_uids: np.ndarray
    links: LinkArrays
    link_status: np.ndarray
    rules: RuleSet
    capped_blocks: tuple[CappedBlock, ...]
    issues: tuple[Issue, ...]
    keys: PersonKeys
    data: pa.Table
    identical: IdenticalGroups | None = None

    @property
    def person_count(self) -> int:
        """How many people the records resolve to."""
        return len(set(self.person_uids.tolist()))

    def record_rules(self) -> list[str | None]:
        """Per record, the strongest rule among the links that joined or corroborate its cluster.

        A member of an identical group that is linked to its representative gets the
        representative's rule: had it been compared itself, it would have had the
        representative's links.
        """
        rep = None if self.identical is None else self.identical.representative
        best = record_ranks(len(self.ids), self.links, self.link_status, self.person_uids, rep)
        names = [r.name for r in self.rules.rules]
        return [None if r < 0 else names[r] for r in best.tolist()]

    def assignments(self) -> pa.Table:
        """One row per input record: ``id``, ``person_uid``, ``rule`` (the strongest rule that linked it)."""
        return pa.table({
            "id": pa.array(self.ids.tolist(), pa.string()),
            "person_uid": pa.array(self.person_uids.tolist(), pa.string()),
            "rule": pa.array(self.record_rules(), pa.string()),
        })

    @property
    def identical_records(self) -> int:
        """How many records were not compared themselves, being identical on every compared field to
        their group's representative (they are linked to it, or stay apart when no rule links such records)."""
        return 0 if self.identical is None else self.identical.collapsed

    @property
    def identical_links(self) -> int:
        """How many links join a record to its identical group's representative (see :attr:`identical_records`)."""
        if self.identical is None:
            return 0
        rep = self.identical.representative
        return int((rep[self.links.a] == rep[self.links.b]).sum())

    def links_table(self, *, scores: bool = True) -> pa.Table:
        """Every link: ``id_a``, ``id_b``, ``rule``, ``strength``, ``status``, ``identical``,
        ``identical_group_size`` and, with ``scores``, one ``score_<field>`` column per
        comparable field (null when a side is missing).

        ``identical`` is true when the two records agree on every compared field;
        such a link joins a member of a group of ``identical_group_size`` records to
        the group's representative (``id_a``), with the rule and scores two such
        records get, instead of comparing every pair of the group. For millions of
        links, write :meth:`links_batches` one by one instead of holding this table.
        """
        return pa.Table.from_batches(list(self.links_batches(scores=scores)))

    def links_batches(self, *, scores: bool = True, batch_rows: int = 250_000) -> Iterator[pa.RecordBatch]:
        """The rows of :meth:`links_table` as record batches of at most ``batch_rows`` links,
        so an explanation of any size is written with memory for one batch. There is
        always at least one batch (empty when there are no links), which carries the schema."""
        yield self._links_batch(0, min(batch_rows, len(self.links)), scores=scores)
        for start in range(batch_rows, len(self.links), batch_rows):
            yield self._links_batch(start, min(start + batch_rows, len(self.links)), scores=scores)

    def _links_batch(self, start: int, stop: int, *, scores: bool) -> pa.RecordBatch:
        rule_names = pa.array([r.name for r in self.rules.rules] or [""], pa.string())
        strengths = pa.array([r.strength for r in self.rules.rules] or [""], pa.string())
        a, b = self.links.a[start:stop], self.links.b[start:stop]
        rank = pa.array(self.links.rank[start:stop].astype(np.int64))
        ids = self._id_array()
        columns: dict[str, pa.Array] = {
            "id_a": ids.take(pa.array(a)),
            "id_b": ids.take(pa.array(b)),
            "rule": rule_names.take(rank),
            "strength": strengths.take(rank),
            "status": pa.array(LINK_STATUSES, pa.string()).take(pa.array(self.link_status[start:stop].astype(np.int64))),
        }
        if self.identical is not None:
            same = self.identical.representative[a] == self.identical.representative[b]
            size = self.identical.size[a]
        else:
            same = np.zeros(len(a), dtype=bool)
            size = np.zeros(len(a), dtype=np.int64)
        columns["identical"] = pa.array(same, pa.bool_())
        columns["identical_group_size"] = pa.array(size, pa.int64(), mask=~same)
        if scores:
            scorer = PairScorer(self.keys)
            for field in COMPARABLE_FIELDS:
                values = scorer.score(field, a, b)
                columns[f"score_{field}"] = pa.array(np.round(values, 4), pa.float32(), from_pandas=True)
        return pa.RecordBatch.from_pydict(columns)

    def _id_array(self) -> pa.Array:
        return pa.array(self.ids, pa.string())

    def capped_blocks_table(self) -> pa.Table:
        """The capped blocks as a table (rule, key, size, pairs_compared, pairs_skipped)."""
        fields = ("rule", "key", "size", "pairs_compared", "pairs_skipped")
        return pa.table({f: [getattr(c, f) for c in self.capped_blocks] for f in fields},
                        schema=pa.schema([("rule", pa.string()), ("key", pa.string()), ("size", pa.int64()),
                                          ("pairs_compared", pa.int64()), ("pairs_skipped", pa.int64())]))

    def issues_table(self) -> pa.Table:
        """The data issues as an issue table (:data:`~justice_schema.issues.ISSUE_SCHEMA`, row 1-based as in a file).

        The columns ``id`` and ``problem`` of earlier releases follow, repeating
        ``record_id`` and ``message``, so readers of the old layout keep working.
        """
        table = issues_table(self.issues)
        return table.append_column("id", table.column("record_id")).append_column("problem", table.column("message"))


def match_persons(
    data: pa.Table | Iterable[Any],
    *,
    rules: RuleSet | str | Path | None = None,
    progress: Progress | None = None,
    path: str | None = None,
) -> MatchResult:
    """Resolve person records into people, deterministically.

    ``data``: a flat person table (columns of the flat person layout; only
    ``id`` is required, and ids must be unique), a canonical person table, or
    :class:`~justice_schema.v1.Person` records. ``rules``: a
    :class:`~justice_schema.identity.rules.RuleSet`, the path of a rules file,
    or None for the packaged default. ``path`` names the input in error messages.

    Never fails on the values themselves: empty or missing names and birth
    dates (a NIBRS person table has neither), all-null columns, bytes that are
    not UTF-8 and dates that are no dates simply give fewer links, and the
    values that needed repair are in :attr:`MatchResult.issues` (1-based rows).
    Records identical on every compared field are compared once, through one
    representative (:mod:`~justice_schema.identity.identical`), so a file of
    thousands of copies of one person stays small in time, memory and
    explanation.

    The same records in any order give the same clusters and ``person_uid`` values.
    Raises :class:`~justice_schema.errors.InputError` for missing, empty or
    repeated ids, a table with none of the columns matching compares, and a
    column whose type cannot be read as text (each naming the column or row).
    """
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    given = person_input(data, path=path)
    keys = PersonKeys.from_table(given.table, path=path, problems=given.problems)
    identical = IdenticalGroups.of(keys)
    links, capped = find_links(keys, ruleset, progress=progress, identical=identical)
    labels, ordered, status = cluster(keys, links, ruleset)
    uids = cluster_uids(labels, keys.ids, keys.key_rank)
    return MatchResult(ids=keys.ids, person_uids=uids, links=ordered, link_status=status, rules=ruleset,
                       capped_blocks=tuple(capped), issues=keys.issues, keys=keys, data=given.table,
                       identical=identical if identical.collapsed else None)
