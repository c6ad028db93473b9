"""Linking events into cases: the rule cascade run with Arrow joins and numpy resolution.

Every event gets an integer rank from the sorted event ids, and every tie is broken on those ranks,
so the same events in any order give the same links and the same ``case_uid``s.
"""

from __future__ import annotations

import hashlib
import re

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.linking.events import EVENT_TYPES, STAGE_DATES, UNDATED, conform_events
from justice_schema.linking.rules import LinkRule, LinkRules, LinkType, default_rules

__all__ = ["CaseIndex", "LinkResult", "link_events", "case_uid", "LINK_SCHEMA", "UNLINKED_SCHEMA"]

LINK_SCHEMA = pa.schema([
    pa.field("child_id", pa.string(), nullable=False), pa.field("parent_id", pa.string(), nullable=False),
    pa.field("link_type", pa.string(), nullable=False), pa.field("rule", pa.string(), nullable=False),
    pa.field("days", pa.int32()), pa.field("evidence", pa.string()),
])
UNLINKED_SCHEMA = pa.schema([
    pa.field("event_id", pa.string(), nullable=False), pa.field("event_type", pa.string(), nullable=False),
    pa.field("link_type", pa.string(), nullable=False), pa.field("cause", pa.string(), nullable=False),
])
_LABELS = {"offense_tracking_number": "OTN", "arrest_transaction_number": "arrest transaction number",
           "court_case_number": "court case number", "incident_number": "incident number",
           "charge_sequence": "count number", "booking_number": "booking number", "person_uid": "person"}
_WORDS = {"prosecution_decision": "prosecution decision", "court_case": "court case", "custody_period": "custody period"}
_PERSONALISATION = b"js.case_uid"


def case_uid(root_event_id: str) -> str:
    """The ``case_uid`` of the case whose first event (its arrest, or its highest linked event) is ``root_event_id``."""
    return "C" + hashlib.blake2b(root_event_id.encode("utf-8"), digest_size=10, person=_PERSONALISATION).hexdigest()


@attrs.frozen
class CaseIndex:
    """The cases of a link run as integer positions, so the measures need no join on event ids.

    ``order`` takes the events as they were given to :func:`link_events` into event-id order, the row
    order of :attr:`LinkResult.cases`. Per row of that order, ``case`` numbers the row's case
    (``0 .. cases - 1``, in ``case_uid`` order; -1 for none) and ``incident`` is the row of its
    case's incident (-1 for none); ``uids`` is the ``case_uid`` of each case number.
    """

    order: pa.Array
    case: np.ndarray
    incident: np.ndarray
    uids: pa.Array

    @property
    def cases(self) -> int:
        """How many cases: ``uids`` holds the ``case_uid`` of each case number."""
        return len(self.uids)


@attrs.frozen
class LinkResult:
    """Links (:data:`LINK_SCHEMA`), unlinked events with their cause (:data:`UNLINKED_SCHEMA`), and
    ``cases``: every event with its ``case_uid`` (null for incidents) and its ``incident_id``, in
    event-id order. ``index`` (:class:`CaseIndex`) gives the same cases as integer positions."""

    links: pa.Table
    unlinked: pa.Table
    cases: pa.Table
    rules_version: str
    index: CaseIndex | None = attrs.field(default=None, eq=False, repr=False)


def _word(event_type: str) -> str:
    return _WORDS.get(event_type, event_type)


class _Frame:
    """Events by position in event-id order: ids, stage codes and day numbers, and any column on demand
    (taken from the events as given, so the whole table is never copied in sorted order)."""

    def __init__(self, events: pa.Table) -> None:
        order = pc.sort_indices(events, sort_keys=[("event_id", "ascending")])
        self.order = order
        self._order = np.asarray(order.to_numpy(), np.int64)
        self.source = events
        self.n = events.num_rows
        self.ids = events.column("event_id").take(order).combine_chunks()
        stage = pc.index_in(events.column("event_type"), value_set=pa.array(EVENT_TYPES))
        self.stage = np.asarray(stage.to_numpy(zero_copy_only=False), np.int8)[self._order]
        day = pc.cast(events.column("event_date"), pa.int32())
        self.dated = np.asarray(pc.is_valid(day).to_numpy(zero_copy_only=False), bool)[self._order]
        self.days = np.asarray(pc.fill_null(day, 0).to_numpy(zero_copy_only=False), np.int32)[self._order]
        self._codes: dict[str, pa.Array] = {}

    def of_type(self, event_type: str) -> np.ndarray:
        return np.flatnonzero(self.stage == EVENT_TYPES.index(event_type))

    def rows(self, idx: np.ndarray, names: list[str] | tuple[str, ...]) -> pa.Table:
        """Columns ``names`` at positions ``idx``."""
        return self.source.select(list(names)).take(pa.array(self._order[idx]))

    def codes(self, name: str) -> pa.Array:
        """Column ``name`` as integers, equal where the values are equal (null stays null): joins and
        equality tests on the codes are the same as on the text, and faster."""
        if name not in self._codes:
            column = self.source.column(name).combine_chunks()
            if not pa.types.is_integer(column.type):
                column = pc.dictionary_encode(column).indices
            self._codes[name] = column.take(self.order)
        return self._codes[name]

    def keyed(self, idx: np.ndarray, coded: tuple[str, ...], plain: tuple[str, ...] = ()) -> pa.Table:
        """Rows ``idx``: columns ``coded`` as :meth:`codes`, ``plain`` as they are."""
        take = pa.array(idx)
        cols = {name: self.codes(name).take(take) for name in coded}
        sub = self.rows(idx, [n for n in plain if n not in cols])
        for name in sub.column_names:
            cols[name] = sub.column(name)
        return pa.table(cols)


def _columns(frame: _Frame, idx: np.ndarray, coded: tuple[str, ...], plain: tuple[str, ...], prefix: str) -> pa.Table:
    sub = frame.keyed(idx, coded, plain)
    cols = {f"{prefix}idx": pa.array(idx, pa.int64())}
    for name in dict.fromkeys(coded + plain):
        cols[prefix + name] = sub.column(name)
    return pa.table(cols)


def _offense_agrees(cand: pa.Table, lesser: pa.Array) -> pa.Array:
    same_statute = pc.fill_null(pc.equal(cand["c_statute_code"], cand["p_statute_code"]), False)
    same_ucr = pc.fill_null(pc.equal(cand["c_ucr_code"], cand["p_ucr_code"]), False)
    pair = pc.binary_join_element_wise(cand["p_ucr_code"], cand["c_ucr_code"], "|")
    is_lesser = pc.fill_null(pc.is_in(pair, value_set=lesser), False)
    return pc.or_(pc.or_(same_statute, same_ucr), is_lesser)


def _mask(n: int, positions: np.ndarray) -> np.ndarray:
    """A boolean mask of ``n`` event positions, true at ``positions``."""
    out = np.zeros(n, bool)
    out[positions] = True
    return out


def _among(children: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """A boolean mask over ``children`` (sorted event positions), true at ``positions`` (a subset)."""
    out = np.zeros(len(children), bool)
    out[np.searchsorted(children, positions)] = True
    return out


def _first_per_group(group: np.ndarray) -> np.ndarray:
    return np.r_[True, group[1:] != group[:-1]] if len(group) else np.zeros(0, bool)


@attrs.define
class _RuleOutcome:
    joined: np.ndarray    # per child (in the order of the link type's children): found a parent with the keys
    passed: np.ndarray    # ... and passed the window, agreement and offense tests
    tied: np.ndarray      # ... and was left because parents fit equally


def _candidates(frame: _Frame, link: LinkType, rule: LinkRule, child_idx: np.ndarray, parent_idx: np.ndarray,
                rules: LinkRules, link_parents: dict[str, np.ndarray]) -> tuple[pa.Table, pa.Table]:
    """Joined candidate pairs before and after the rule's tests (columns c_idx, p_idx, delta, score...)."""
    keys = rule.keys
    coded = tuple(dict.fromkeys(keys + rule.agree))
    plain = ("statute_code", "ucr_code") if rule.offense == "agree" else ()
    c = _columns(frame, child_idx, coded, plain, "c_")
    p = _columns(frame, parent_idx, coded, plain, "p_")
    p = p.append_column("p_from", p["p_idx"])       # the event whose date the window counts from
    if rule.via is not None:
        p = _via(frame, link, rules.link(rule.via).parent == link.parent, rule, p, link_parents)
        if rule.window_from == "via":
            p = p.filter(pc.not_equal(p["p_from"], p["p_idx"]))
    for name in keys:
        c = c.filter(pc.is_valid(c["c_" + name]))
        p = p.filter(pc.is_valid(p["p_" + name]))
    cand = c.join(p, keys=[f"c_{k}" for k in keys], right_keys=[f"p_{k}" for k in keys], join_type="inner")
    if rule.window_from == "via" and cand.num_rows:
        # several events of one parent may fit: keep those in the window, the nearest first
        gap = frame.days[cand["c_idx"].to_numpy()] - frame.days[cand["p_from"].to_numpy()]
        fits = (gap >= rule.window[0]) & (gap <= rule.window[1]) & frame.dated[cand["p_from"].to_numpy()]
        cand = cand.append_column("_gap", pa.array(np.abs(gap))).filter(pa.array(fits))
        cand = cand.sort_by([("c_idx", "ascending"), ("p_idx", "ascending"), ("_gap", "ascending"),
                             ("p_from", "ascending")]).drop(["_gap"])
    if rule.via is not None and cand.num_rows:
        cand = cand.group_by(["c_idx", "p_idx"], use_threads=False).aggregate([]).join(
            cand.drop([f"c_{k}" for k in keys]).group_by(["c_idx", "p_idx"], use_threads=False).aggregate(
                [(n, "first") for n in cand.column_names if n not in ("c_idx", "p_idx") and not n.startswith("c_" + keys[0])
                 and n.startswith(("c_", "p_")) and n[2:] not in keys]), keys=["c_idx", "p_idx"])
        cand = cand.rename_columns([n.removesuffix("_first") for n in cand.column_names])
    ci = cand["c_idx"].to_numpy()
    pi = cand["p_idx"].to_numpy()
    start = cand["p_from"].to_numpy() if rule.window_from == "via" else pi
    delta = frame.days[ci] - frame.days[start]
    ok = (delta >= rule.window[0]) & (delta <= rule.window[1]) & frame.dated[ci] & frame.dated[start]
    for name in rule.agree:
        if name in keys:
            continue
        same = pc.fill_null(pc.equal(cand["c_" + name], cand["p_" + name]), True).to_numpy(zero_copy_only=False)
        ok &= same
    if rule.offense == "agree" and cand.num_rows:
        lesser = pa.array([f"{p}|{c}" for p, lst in rules.lesser.items() for c in lst], pa.string())
        ok &= _offense_agrees(cand, lesser).to_numpy(zero_copy_only=False)
    full = pa.table({"c_idx": ci, "p_idx": pi, "delta": delta})
    return full, full.filter(pa.array(ok))


def _via(frame: _Frame, link: LinkType, to_parent: bool, rule: LinkRule, p: pa.Table,
         link_parents: dict[str, np.ndarray]) -> pa.Table:
    """Parents with the key values of the events linked by link ``rule.via`` to the parent itself
    (``to_parent``: an arrest gets the numbers of its prosecution decisions) or to its own parent (a
    charge gets the case numbers of the court cases linked to its arrest); ``p_from`` of the added
    rows is that event."""
    via = link_parents.get(f"via:{rule.via}")
    up = link_parents.get(f"{link.parent}->")
    # the event each parent's via events are linked to: the parent itself, or its own parent (the charge's arrest)
    if via is None:
        return p
    if to_parent:
        grand = p["p_idx"].to_numpy()
    elif up is not None:
        grand = up[p["p_idx"].to_numpy()]
    else:
        return p
    via_child, via_parent = via
    order = np.argsort(via_parent, kind="stable")
    via_child, via_parent = via_child[order], via_parent[order]
    lo = np.searchsorted(via_parent, grand, "left")
    hi = np.searchsorted(via_parent, grand, "right")
    counts = np.where(grand >= 0, hi - lo, 0)
    rows = np.repeat(np.arange(p.num_rows), counts)
    pos = np.repeat(lo, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    src = frame.keyed(via_child[pos], rule.keys)
    extended = p.take(pa.array(rows))
    for name in rule.keys:
        col = "p_" + name
        filled = pc.coalesce(src.column(name), extended[col]) if name in src.column_names else extended[col]
        extended = extended.set_column(extended.column_names.index(col), col, filled)
    extended = extended.set_column(extended.column_names.index("p_from"), "p_from", pa.array(via_child[pos], pa.int64()))
    return pa.concat_tables([p, extended])


def _scores(frame: _Frame, link: LinkType, rules: LinkRules, ci: np.ndarray, pi: np.ndarray, delta: np.ndarray) -> np.ndarray:
    near = np.abs(delta).astype(np.int64)
    if link.prefer == "most_serious":
        sub = frame.rows(pi, ["severity", "severity_degree", "ucr_code", "severity_rank"])
        rank = rules.most_serious.rank(sub["severity"], sub["severity_degree"], sub["ucr_code"], sub["severity_rank"])
        dense = np.unique(np.asarray(rank.to_numpy(zero_copy_only=False), np.int64), return_inverse=True)[1]
        return dense.astype(np.int64) * 100_000 + np.minimum(near, 99_999)
    return near


def _resolve(ci: np.ndarray, pi: np.ndarray, score: np.ndarray, one_to_one: bool, on_tie: str
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(chosen candidate rows, children left because of a tie)."""
    order = np.lexsort((pi, score, ci))
    ci, pi, score = ci[order], pi[order], score[order]
    first = _first_per_group(ci)
    second = np.r_[~first[1:], False]
    tie_rows = np.flatnonzero(first & second)
    tied = tie_rows[(score[tie_rows] == score[tie_rows + 1]) & (pi[tie_rows] != pi[tie_rows + 1])]
    tied_children = ci[tied]
    keep = np.ones(len(ci), bool)
    size = int(max(ci.max(), pi.max())) + 1 if len(ci) else 0
    if on_tie == "unlinked" and len(tied_children):
        keep &= ~_mask(size, tied_children)[ci]
    if not one_to_one:
        chosen = np.flatnonzero(first & keep)
        return order[chosen], tied_children if on_tie == "unlinked" else np.zeros(0, np.int64), np.zeros(0, np.int64)
    rows = np.flatnonzero(keep)
    accepted: list[np.ndarray] = []
    for _ in range(64):
        if not len(rows):
            break
        firsts = rows[_first_per_group(ci[rows])]           # each child's best remaining parent
        by_parent = firsts[np.lexsort((ci[firsts], score[firsts], pi[firsts]))]
        winners = by_parent[_first_per_group(pi[by_parent])]
        accepted.append(winners)
        rows = rows[~_mask(size, ci[winners])[ci[rows]] & ~_mask(size, pi[winners])[pi[rows]]]
    chosen = np.concatenate(accepted) if accepted else np.zeros(0, np.int64)
    lost = np.setdiff1d(ci[rows], ci[chosen]) if len(rows) else np.zeros(0, np.int64)
    return order[chosen], tied_children if on_tie == "unlinked" else np.zeros(0, np.int64), lost


def link_events(events: pa.Table, rules: LinkRules | None = None, *, source: str = "events") -> LinkResult:
    """Link ``events`` (the event layout) into cases by ``rules`` (default: the shipped rules).

    Link types run in file order; within one, rules run in order and a child linked by one rule is not
    offered to the next; with ``one_to_one`` a parent taken is not offered again. Children no rule
    links are reported in ``unlinked`` with the cause in words, e.g. ``"disposition not linked: it
    carries no OTN and no court case number; no charge of the same person within 0 to 730 days
    agrees on the offense"``. An event without a date (of any stage) is reported once, under link
    type ``"undated"``, and links to nothing: no window can be checked against it. With rules that give
    each stage but the incident one link type (the default rules do), every event but a dated incident
    is either a ``child_id`` of ``links`` or in ``unlinked``, exactly once.
    """
    rules = rules or default_rules()
    frame = _Frame(conform_events(events, source=source))
    _check_unique(frame, source)
    parent_of = np.full(frame.n, -1, np.int64)
    link_parents: dict[str, object] = {}
    link_tables: list[pa.Table] = []
    unlinked_tables: list[pa.Table] = []
    undated = np.flatnonzero(~frame.dated)
    if len(undated):
        unlinked_tables.append(_undated(frame, undated))
    for link in rules.links:
        children = frame.of_type(link.child)
        children = children[frame.dated[children]]
        parents = frame.of_type(link.parent)
        if link.parent_outcome is not None and len(parents):
            outcome = frame.rows(parents, ["outcome"]).column("outcome")
            parents = parents[pc.fill_null(pc.is_in(outcome, value_set=pa.array(link.parent_outcome)), False).to_numpy(zero_copy_only=False)]
        linked = np.zeros(frame.n, bool)
        taken = np.zeros(frame.n, bool)
        outcomes: list[_RuleOutcome] = []
        head_of = _case_heads(frame, link, rules, parents, parent_of) if link.within_case else None
        for rule in link.rules:
            todo = children[~linked[children]]
            offer = parents[~taken[parents]] if link.cardinality == "one_to_one" else parents
            full, cand = _candidates(frame, link, rule, todo, offer, rules, link_parents)  # type: ignore[arg-type]
            ci, pi = cand["c_idx"].to_numpy(), cand["p_idx"].to_numpy()
            delta = cand["delta"].to_numpy()
            score = _scores(frame, link, rules, ci, pi, delta)
            chosen, tied, _lost = _resolve(ci, pi, score, link.cardinality == "one_to_one", rule.on_tie)
            outcomes.append(_RuleOutcome(joined=_among(children, full["c_idx"].to_numpy()), passed=_among(children, ci),
                                         tied=_among(children, tied)))
            if len(chosen):
                c_sel, p_sel, d_sel = ci[chosen], pi[chosen], delta[chosen]
                if head_of is not None:
                    p_sel, d_sel = _to_case_head(frame, rule, head_of, c_sel, p_sel, d_sel)
                linked[c_sel] = True
                taken[p_sel] = True
                parent_of[c_sel] = p_sel
                after = f"days after its {_word(rules.link(rule.via).child)}" if rule.via and rule.window_from == "via" else "days after"
                link_tables.append(_link_rows(frame, link, rule, c_sel, p_sel, d_sel, after))
        link_parents[f"{link.child}->"] = parent_of         # read by later link types only, for their parents
        kids = children[linked[children]]
        link_parents[f"via:{link.name}"] = (kids, parent_of[kids])
        left = children[~linked[children]]
        if len(left):
            unlinked_tables.append(_causes(frame, link, children, left, outcomes,
                                           undated_parents=not frame.dated[parents].all()))
    links = pa.concat_tables(link_tables).cast(LINK_SCHEMA) if link_tables else LINK_SCHEMA.empty_table()
    unlinked = pa.concat_tables(unlinked_tables).cast(UNLINKED_SCHEMA) if unlinked_tables else UNLINKED_SCHEMA.empty_table()
    cases, index = _cases(frame, parent_of)
    return LinkResult(links=links, unlinked=unlinked, cases=cases, rules_version=rules.version, index=index)


def _case_heads(frame: _Frame, link: LinkType, rules: LinkRules, parents: np.ndarray, parent_of: np.ndarray) -> np.ndarray:
    """Per event position, the parent that stands for its case (``within_case``): among the qualifying
    ``parents`` with the same root (parent links followed up to, not into, the incident), the first by
    the link type's preference, then by event id; -1 where the event is not a qualifying parent."""
    is_incident = frame.stage == EVENT_TYPES.index("incident")
    root = parents.copy()
    for _ in range(64):
        up = parent_of[root]
        step = (up >= 0) & ~is_incident[np.maximum(up, 0)]
        if not step.any():
            break
        root = np.where(step, up, root)
    if link.prefer == "most_serious" and len(parents):
        score = _scores(frame, link, rules, parents, parents, np.zeros(len(parents), np.int64))
    else:
        score = np.zeros(len(parents), np.int64)
    order = np.lexsort((parents, score, root))
    first = _first_per_group(root[order])
    group = np.cumsum(first) - 1
    best = order[first][group]                  # per position in ``order``, the first of its root group
    head_of = np.full(frame.n, -1, np.int64)
    head_of[parents[order]] = parents[best]
    return head_of


def _to_case_head(frame: _Frame, rule: LinkRule, head_of: np.ndarray, ci: np.ndarray, pi: np.ndarray,
                  delta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Chosen parents moved to the parent that stands for their case, where its date fits the rule's window."""
    head = head_of[pi]
    new_delta = frame.days[ci] - frame.days[np.maximum(head, 0)]
    move = (head >= 0) & frame.dated[np.maximum(head, 0)] & (new_delta >= rule.window[0]) & (new_delta <= rule.window[1])
    return np.where(move, head, pi), np.where(move, new_delta, delta)


def _check_unique(frame: _Frame, source: str) -> None:
    """Event ids are unique (checked on the sorted ids, where a repeat is next to its twin): else the
    error names the first row (1-based, as given) whose id repeats."""
    ids = frame.ids
    if frame.n < 2:
        return
    same = pc.equal(ids.slice(1), ids.slice(0, frame.n - 1)).to_numpy(zero_copy_only=False)
    if not same.any():
        return
    members = np.flatnonzero(np.r_[same, False] | np.r_[False, same])
    row = int(frame._order[members].min())
    dup = frame.source.column("event_id")[row].as_py()
    raise InputError(f"{dup!r} appears more than once; event ids must be unique", path=source, row=row + 1, field="event_id")


def _link_rows(frame: _Frame, link: LinkType, rule: LinkRule, ci: np.ndarray, pi: np.ndarray, delta: np.ndarray,
               after: str = "days after") -> pa.Table:
    child = frame.rows(ci, rule.keys)
    parts: list[pa.Array | str] = []
    for key in rule.keys:
        parts.append(pc.binary_join_element_wise(_LABELS.get(key, key), pc.cast(child.column(key), pa.string()), " "))
    days = pa.array(delta.astype(np.int32))
    parts.append(pc.binary_join_element_wise(pc.cast(days, pa.string()), after, " "))
    evidence = pc.binary_join_element_wise(*parts, ", ")
    n = len(ci)
    return pa.table({"child_id": frame.ids.take(pa.array(ci)), "parent_id": frame.ids.take(pa.array(pi)),
                     "link_type": pa.array([link.name] * n, pa.string()), "rule": pa.array([rule.name] * n, pa.string()),
                     "days": days, "evidence": evidence})


def _undated(frame: _Frame, rows: np.ndarray) -> pa.Table:
    """The events without a date (positions ``rows``), each with its cause: no window can place it."""
    ids = frame.ids.take(pa.array(rows))
    stage = frame.stage[rows]
    types = pa.array(EVENT_TYPES).take(pa.array(stage.astype(np.int64)))
    causes = pa.array([f"{_word(t)} not linked: it has no {STAGE_DATES[t]}, so it cannot be placed in a case"
                       for t in EVENT_TYPES]).take(pa.array(stage.astype(np.int64)))
    return pa.table({"event_id": ids, "event_type": types, "link_type": pa.array([UNDATED] * len(rows), pa.string()),
                     "cause": causes})


def _causes(frame: _Frame, link: LinkType, children: np.ndarray, left: np.ndarray, outcomes: list[_RuleOutcome],
            *, undated_parents: bool = False) -> pa.Table:
    """One sentence per unlinked child: the numbers it lacks, then what each rule found (``undated_parents``:
    some parents have no date, so a parent found by number may have failed the window for that)."""
    sub = frame.rows(left, frame.source.column_names).combine_chunks()
    n = len(left)
    parent = _word(link.parent)
    phrases: list[pa.Array] = []
    tracking = list(dict.fromkeys(k for r in link.rules for k in r.keys if k not in ("person_uid", "charge_sequence")))
    missing_parts = [pc.if_else(pc.is_null(sub.column(k)), pa.scalar(_LABELS.get(k, k)), pa.scalar(None, pa.string()))
                     for k in tracking]
    if missing_parts:
        joined = _join(missing_parts, " and no ")
        phrases.append(pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()),
                                  pc.binary_join_element_wise("it carries no", joined, " ")))
    seen: set[str] = set()
    for rule, outcome in zip(link.rules, outcomes, strict=True):
        primary = rule.keys[0]
        if primary in seen:
            continue
        seen.add(primary)
        at = np.searchsorted(children, left)
        joined_mask, passed_mask, tied_mask = outcome.joined[at], outcome.passed[at], outcome.tied[at]
        present = pc.is_valid(sub.column(primary)).to_numpy(zero_copy_only=False)
        if primary == "person_uid":
            label = f"no {parent} of the same person within {rule.window[0]} to {rule.window[1]} days"
            if rule.offense == "agree":
                label += " agrees on the offense"
            text_none, text_filtered = label, label
        else:
            value = pc.cast(sub.column(primary), pa.string())
            name = _LABELS.get(primary, primary)
            text_none = pc.binary_join_element_wise(f"no {parent} carries {name}", value, " ")
            tests = [("undated or " if undated_parents else "") + f"dated outside {rule.window[0]} to {rule.window[1]} days of it"]
            if rule.agree:
                tests.append("of another " + " or ".join(_LABELS.get(a, a) for a in rule.agree))
            if rule.offense == "agree":
                tests.append("of a disagreeing offense")
            if link.cardinality == "one_to_one":
                tests.append("already linked")
            text_filtered = pc.binary_join_element_wise(
                f"the {parent} with {name}", value, "is " + ", ".join(tests[:-1]) + (" or " if len(tests) > 1 else "") + tests[-1], " ")
        phrase = pc.if_else(pa.array(tied_mask), f"{parent}s fit equally by {rule.name}",
                            pc.if_else(pa.array(passed_mask), f"its {parent} by {rule.name} went to another event",
                                       pc.if_else(pa.array(joined_mask), text_filtered, text_none)))
        if isinstance(phrase, pa.Scalar):
            phrase = pa.array([phrase.as_py()] * n, pa.string())
        phrases.append(pc.if_else(pa.array(present), phrase, pa.scalar(None, pa.string())))
    body = _join(phrases, "; ")
    article = "an" if parent[0] in "aeiou" else "a"
    cause = pc.binary_join_element_wise(f"{_word(link.child)} not linked to {article} {parent}:", body, " ")
    return pa.table({"event_id": sub.column("event_id"), "event_type": sub.column("event_type"),
                     "link_type": pa.array([link.name] * n, pa.string()), "cause": cause})


def _join(parts: list[pa.Array], sep: str) -> pa.Array:
    """Parts joined by ``sep``, nulls skipped; null when every part is null.

    (Arrow's own ``null_handling='skip'`` drops the rows where every part is null, so nulls are
    replaced by empty text and the doubled separators removed.)
    """
    if len(parts) == 1:
        return parts[0]
    joined = pc.binary_join_element_wise(*parts, sep, null_handling="replace", null_replacement="")
    pattern = re.escape(sep)
    joined = pc.replace_substring_regex(joined, f"({pattern})+", sep)
    joined = pc.replace_substring_regex(joined, f"^{pattern}|{pattern}$", "")
    return pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)


def _cases(frame: _Frame, parent_of: np.ndarray) -> tuple[pa.Table, CaseIndex]:
    """Every event with its case (the root of its chain below the incident) and its incident."""
    is_incident = frame.stage == EVENT_TYPES.index("incident")
    up = parent_of.copy()
    to_incident = (up >= 0) & is_incident[np.maximum(up, 0)]
    incident_of = np.where(to_incident, up, -1)
    up[to_incident] = -1
    root = np.where(up >= 0, up, np.arange(frame.n))
    for _ in range(64):
        nxt = np.where(up[root] >= 0, up[root], root)
        if np.array_equal(nxt, root):
            break
        root = nxt
    root[is_incident] = -1
    incident_of_root = np.where(root >= 0, incident_of[np.maximum(root, 0)], -1)
    roots, inverse = np.unique(root, return_inverse=True)
    has_case = roots >= 0
    root_ids = frame.ids.take(pa.array(roots[has_case])).to_pylist()
    uids = pa.array([case_uid(r) for r in root_ids], pa.string())
    # number the cases in case_uid order, so a group-by on the number sorts like one on the uid
    by_uid = pc.sort_indices(uids).to_numpy()
    number = np.empty(len(uids), np.int64)
    number[by_uid] = np.arange(len(uids))
    code_of_root = np.full(len(roots), -1, np.int64)
    code_of_root[has_case] = number
    case = code_of_root[inverse.reshape(-1)]
    uid_array = uids.take(pa.array(by_uid))
    incident_ids = frame.ids.take(pa.array(np.maximum(incident_of_root, 0)))
    table = pa.table({
        "event_id": frame.ids,
        "case_uid": uid_array.take(pa.array(case, mask=case < 0)),
        "incident_id": pc.if_else(pa.array(incident_of_root >= 0), incident_ids, pa.scalar(None, pa.string())),
        "parent_id": pc.if_else(pa.array(parent_of >= 0), frame.ids.take(pa.array(np.maximum(parent_of, 0))),
                                pa.scalar(None, pa.string())),
    })
    index = CaseIndex(order=frame.order, case=case, incident=incident_of_root, uids=uid_array)
    return table, index
