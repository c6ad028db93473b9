"""The hub's ``link`` stage: every stage of a case, across agencies, linked into ``case_uid`` chains.

Runs after ``match`` (events need the golden ``person_uid``): the hub's records become events
(:func:`justice_schema.hub.events.hub_events`), :func:`justice_schema.linking.link_events` links them
by the rules of ``[hub] link_rules`` (default: the library's), and the stage adds these tables:

* ``case_links`` — one row per link: child, parent, link type, the rule that made it, days between
  and the evidence in words, and the child's agency;
* ``case_events`` — every linked or linkable event with its ``case_uid`` (null for incidents),
  incident, parent, stage, date, person and agency;
* ``case_unlinked`` — every event no rule linked (and every record set aside without its stage date),
  with the linker's cause, the reason in a clerk's words (:mod:`justice_schema.hub.reasons`), the
  parent it needed, and its agency and export;
* ``case_parent_gaps`` — per agency and parent stage, how many of its records lack each tracking
  number the rules look for (what the agency pages tell a clerk to fill in).

Everything is recomputed from all records on every build, so an incremental build equals a full
rebuild and ``case_uid`` (derived from the case's first event id) is stable.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.hub import pipeline  # noqa: F401 (the match stage, which link follows, registers first)
from justice_schema.hub.events import hub_events
from justice_schema.hub.reasons import reasons
from justice_schema.hub.stages import HubContext, Stage, register_stage
from justice_schema.linking import LinkRules, default_rules, link_events, load_rules

__all__ = ["link", "link_rules", "PARENT_GAPS_SCHEMA"]

PARENT_GAPS_SCHEMA = pa.schema([("hub_agency", pa.string()), ("parent_type", pa.string()), ("number", pa.string()),
                                ("events", pa.int64()), ("missing", pa.int64())])


def link_rules(context: HubContext) -> LinkRules:
    """The linking rules of this hub (``[hub] link_rules``, else the library's default)."""
    path = context.config.link_rules
    return load_rules(path) if path is not None else default_rules()


def _parent_gaps(events: pa.Table, origin: pa.Table, rules: LinkRules) -> pa.Table:
    """Per agency, parent stage and tracking number a rule keys on: parent events, and how many lack it."""
    tagged = events.join(origin.select(["event_id", "hub_agency"]), "event_id", join_type="inner")
    wanted: dict[str, list[str]] = {}
    for link_type in rules.links:
        keys = wanted.setdefault(link_type.parent, [])
        keys.extend(k for r in link_type.rules for k in r.keys
                    if k not in ("person_uid", "charge_sequence") and k not in keys)
    parts = []
    for parent, keys in wanted.items():
        mine = tagged.filter(pc.equal(tagged.column("event_type"), parent))
        if not mine.num_rows or not keys:
            continue
        for key in keys:
            work = pa.table({"hub_agency": mine.column("hub_agency"),
                             "_n": pa.array([1] * mine.num_rows, pa.int64()),
                             "_m": pc.cast(pc.is_null(mine.column(key)), pa.int64())})
            g = work.group_by("hub_agency", use_threads=False).aggregate([("_n", "sum"), ("_m", "sum")])
            parts.append(pa.table({"hub_agency": g.column("hub_agency"),
                                   "parent_type": pa.array([parent] * g.num_rows, pa.string()),
                                   "number": pa.array([key] * g.num_rows, pa.string()),
                                   "events": g.column("_n_sum"), "missing": g.column("_m_sum")},
                                  schema=PARENT_GAPS_SCHEMA))
    if not parts:
        return PARENT_GAPS_SCHEMA.empty_table()
    return pa.concat_tables(parts).sort_by([("hub_agency", "ascending"), ("parent_type", "ascending"),
                                            ("number", "ascending")])


def link(context: HubContext) -> None:
    """Link every event into cases; the links, the unlinked events with their causes, the parent gaps."""
    rules = link_rules(context)
    built = hub_events(context.tables, context.hub.get("person_match"))
    linked = link_events(built.events, rules, source="hub events")
    origin = built.origin
    events = built.events
    parents = {lt.name: lt.parent for lt in rules.links}
    # an undated record needed the parent of its stage's first link type
    first_parent: dict[str, str] = {}
    for lt in rules.links:
        first_parent.setdefault(lt.child, lt.parent)
    unlinked = pa.concat_tables([linked.unlinked, built.undated])
    unlinked = unlinked.append_column("reason", reasons(unlinked.column("cause")))
    parent = pc.coalesce(_lookup(unlinked.column("link_type"), parents),
                         _lookup(unlinked.column("event_type"), first_parent), pa.scalar("", pa.string()))
    unlinked = unlinked.append_column("parent_type", parent)
    unlinked = unlinked.join(origin, "event_id", join_type="left outer").sort_by("event_id")
    case_events = linked.cases.join(
        events.select(["event_id", "event_type", "event_date", "person_uid"]), "event_id", join_type="left outer")
    case_events = case_events.join(origin, "event_id", join_type="left outer").sort_by("event_id")
    links = linked.links.join(origin.rename_columns(["child_id", "hub_agency", "hub_export"]), "child_id",
                              join_type="left outer").sort_by("child_id")
    context.extra["case_links"] = links
    context.extra["case_events"] = case_events
    context.extra["case_unlinked"] = unlinked
    context.extra["case_parent_gaps"] = _parent_gaps(events, origin, rules)
    context.work["case_events_layout"] = events
    context.work["case_linked"] = linked
    context.work["case_rules"] = rules
    context.counts["events"] = events.num_rows + built.undated.num_rows
    context.counts["links"] = links.num_rows
    context.counts["unlinked"] = unlinked.num_rows
    context.say(f"link: {events.num_rows:,} events and {built.undated.num_rows:,} records set aside without a date -> "
                f"{links.num_rows:,} links; {unlinked.num_rows:,} events not linked (causes in case_unlinked)")


def _lookup(values: pa.ChunkedArray | pa.Array, mapping: dict[str, str]) -> pa.Array:
    keys = pa.array(list(mapping), pa.string())
    index = pc.index_in(values, value_set=keys)
    return pa.array(list(mapping.values()), pa.string()).take(index)


register_stage(Stage("link", link, "link events into cases (tracking numbers, person, dates, offense)"), after="match")
