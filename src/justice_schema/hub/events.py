"""The hub's case-flow events: the canonical tables in the linker's event layout, nothing lost.

:func:`hub_events` turns the hub's canonical tables into :data:`~justice_schema.linking.EVENT_SCHEMA`
rows (through :func:`justice_schema.linking.events_from_tables`), with three things only a hub knows:

* **one row per record** — an id sent again in a later export counts once, its newest version (as
  the match stage does for persons);
* **references carried over** — a record that names its parent by record id in the canonical
  reference fields (an arrest's ``incident_id``, a charge's ``arrest_id``, a disposition's
  ``charge_id``, a supervision's ``disposition_id``) takes from that parent the tracking numbers,
  person and offense it lacks itself, so the linker's tracking-number rules can use them (the
  parent's own numbers: nothing is invented), and a charge without a filing date its arrest's date
  (as :func:`~justice_schema.linking.date_charges_from_arrests` does for the linker's own tables).
  :data:`CARRIED` lists exactly what is carried;
* **undated records set aside with their cause** — a record without its stage date cannot be
  placed in a case; it is reported in the unlinked table (:data:`~justice_schema.linking.UNLINKED_SCHEMA`,
  link type ``undated``) with the cause in words instead of being dropped.

Every event keeps its agency and export (``hub_agency`` and ``hub_export`` in :attr:`HubEvents.origin`),
so the agency pages can say whose records could not be linked.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.linking import (
    EVENT_SCHEMA,
    EVENT_TYPES,
    UNLINKED_SCHEMA,
    events_from_tables,
)

__all__ = ["HubEvents", "hub_events", "CARRIED", "STAGE_DATES", "UNDATED"]

#: The stage date of each entity (the column ``event_date`` is read from) and its words.
STAGE_DATES: dict[str, tuple[str, str]] = {
    "incident": ("incident_date", "incident date"), "arrest": ("arrest_date", "arrest date"),
    "charge": ("filed_date", "filing date"), "prosecution_decision": ("decision_date", "decision date"),
    "court_case": ("filing_date", "court filing date"), "disposition": ("disposition_date", "disposition date"),
    "custody_period": ("admission_date", "admission date"), "supervision": ("start_date", "supervision start date"),
}

#: The link type of records set aside because they have no stage date.
UNDATED = "undated"

#: What a child takes from the parent its reference names: (child, reference column, parent, [(parent
#: column, child column)]). A value is carried only where the child has none of its own.
CARRIED: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("arrest", "incident_id", "incident", (("incident_number", "incident_number"),)),
    # a charge laid at arrest (RMS, jail) has no filing date of its own: it was laid on its arrest's date
    ("charge", "arrest_id", "arrest", (("arrest_transaction_number", "arrest_transaction_number"),
                                       ("offense_tracking_number", "offense_tracking_number"),
                                       ("arrest_date", "filed_date"))),
    ("disposition", "charge_id", "charge", (("person_id", "person_id"), ("charge_sequence", "charge_sequence"),
                                            ("court_case_number", "court_case_number"),
                                            ("offense_tracking_number", "offense_tracking_number"),
                                            ("ucr_offense_code", "ucr_code"))),
    ("supervision", "disposition_id", "disposition", (("court_case_number", "case_number"),
                                                      ("offense_tracking_number", "offense_tracking_number"))),
)

#: Every column the event layout is read from (a superset): the rest of a canonical table is left behind
#: before any copy is made (nested columns such as sentences and violations are the larger part).
_READ = frozenset({*EVENT_SCHEMA.names, "id", "hub_agency", "hub_export", "hub_row", "person_id", "offenses",
                   *(date for date, _ in STAGE_DATES.values()), "disposition_date", "release_date", "end_date",
                   *(reference for _, reference, _, _ in CARRIED), "ucr_arrest_offense_code", "ucr_offense_code",
                   "disposed_statute_code", "disposed_severity", "disposed_severity_degree", "case_number",
                   "decision", "disposition_type", "release_type", "cleared_exceptionally"})

_NO_PEOPLE = pa.table({"person_id": pa.array([], pa.string()), "person_uid": pa.array([], pa.string())})
_ORIGIN = pa.schema([("event_id", pa.string()), ("hub_agency", pa.string()), ("hub_export", pa.string())])


@attrs.frozen(slots=True)
class HubEvents:
    """The events to link, the records set aside (unlinked layout), and the agency and export of both.

    ``carried``: per (child entity, parent column) how many children took a value from their parent.
    """

    events: pa.Table
    undated: pa.Table
    origin: pa.Table
    carried: dict[str, int] = attrs.field(factory=dict)


def newest_per_id(table: pa.Table) -> pa.Table:
    """One row per record id: its last occurrence (the newest export, in configuration order)."""
    last = table.group_by("id").aggregate([("hub_row", "max")]).column("hub_row_max")
    return table.filter(pc.is_in(table.column("hub_row"), value_set=last))


def _set(table: pa.Table, name: str, column: pa.Array | pa.ChunkedArray) -> pa.Table:
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, column)
    return table.append_column(name, column)


def _key(entity: str) -> str:
    """The column the linker makes an entity's event id from (an incident is known by its number)."""
    return "incident_number" if entity == "incident" else "id"


def _qualified_incidents(incidents: pa.Table) -> pa.Table:
    """Incidents with ``incident_number`` qualified by agency (numbers are unique only within an agency),
    one row per qualified number, the newest."""
    number = pc.binary_join_element_wise(incidents.column("hub_agency"), incidents.column("incident_number"), " / ")
    incidents = _set(incidents, "incident_number", number)
    last = incidents.group_by("incident_number").aggregate([("hub_row", "max")]).column("hub_row_max")
    return incidents.filter(pc.or_(pc.is_in(incidents.column("hub_row"), value_set=last), pc.is_null(number)))


def _carry(tables: dict[str, pa.Table], carried: dict[str, int]) -> None:
    """Fill each child's missing tracking numbers, person, offense and (a charge) date from the parent its
    reference names."""
    for child, reference, parent, pairs in CARRIED:
        kids, parents = tables.get(child), tables.get(parent)
        if kids is None or parents is None or reference not in kids.column_names or not kids.num_rows:
            continue
        wanted = [(p, c) for p, c in pairs if p in parents.column_names]
        if not wanted:
            continue
        lookup = parents.select(["id", *dict.fromkeys(p for p, _ in wanted)])
        lookup = lookup.rename_columns(["_ref", *(f"_p:{n}" for n in lookup.column_names[1:])])
        keyed = pa.table({"_ref": kids.column(reference), "_pos": pa.array(range(kids.num_rows), pa.int64())})
        joined = keyed.join(lookup, "_ref", join_type="left outer").sort_by("_pos")
        for parent_column, child_column in wanted:
            theirs = joined.column(f"_p:{parent_column}")
            if child_column in kids.column_names:
                mine = kids.column(child_column)
                theirs = theirs.cast(mine.type)
                filled = pc.and_(pc.is_null(mine), pc.is_valid(theirs))
                value = pc.coalesce(mine, theirs)
            else:
                filled = pc.is_valid(theirs)
                value = theirs
            carried[f"{child}.{child_column}"] = int(pc.sum(pc.cast(filled, pa.int64())).as_py() or 0)
            kids = _set(kids, child_column, value)
        tables[child] = kids


def _undated(entity: str, table: pa.Table) -> pa.Table:
    words = STAGE_DATES[entity][1]
    label = entity.replace("_", " ")
    n = table.num_rows
    nameless = pc.binary_join_element_wise("(no id, hub row ", pc.cast(table.column("hub_row"), pa.string()), ")", "")
    ids = pc.binary_join_element_wise(entity, pc.coalesce(pc.cast(table.column(_key(entity)), pa.string()), nameless), ":")
    cause = f"{label} not linked: it has no {words}, so it cannot be placed in a case"
    return pa.table({"event_id": ids, "event_type": pa.array([entity] * n, pa.string()),
                     "link_type": pa.array([UNDATED] * n, pa.string()),
                     "cause": pa.array([cause] * n, pa.string())}, schema=UNLINKED_SCHEMA)


def hub_events(tables: Mapping[str, pa.Table], person_match: pa.Table | None) -> HubEvents:
    """The events of the hub's canonical ``tables`` (with ``hub_export``, ``hub_agency``, ``hub_row``).

    ``person_match`` (``id``, ``person_uid``, from the match stage) gives every event its golden
    person; a disposition without a person of its own takes its charge's.
    """
    work: dict[str, pa.Table] = {}
    for entity in EVENT_TYPES:
        table = tables.get(entity)
        if table is not None and table.num_rows and "id" in table.column_names:
            work[entity] = newest_per_id(table.select([c for c in table.column_names if c in _READ]))
    if "incident" in work:
        work["incident"] = _qualified_incidents(work["incident"])
    carried: dict[str, int] = {}
    _carry(work, carried)
    usable: dict[str, pa.Table] = {}
    undated: list[pa.Table] = []
    origins: list[pa.Table] = []
    for entity, table in work.items():
        date_column = STAGE_DATES[entity][0]
        key = _key(entity)
        ok = pc.and_(pc.is_valid(table.column(key)), pc.is_valid(table.column(date_column)))
        if not pc.all(ok).as_py():
            aside = table.filter(pc.invert(ok))
            undated.append(_undated(entity, aside))
            origins.append(pa.table({"event_id": undated[-1].column("event_id"), "hub_agency": aside.column("hub_agency"),
                                     "hub_export": aside.column("hub_export")}, schema=_ORIGIN))
            table = table.filter(ok)
        table = _set(table, "agency", table.column("hub_agency"))
        usable[entity] = table
        ids = pc.binary_join_element_wise(entity, pc.cast(table.column(key), pa.string()), ":")
        origins.append(pa.table({"event_id": ids, "hub_agency": table.column("hub_agency"),
                                 "hub_export": table.column("hub_export")}, schema=_ORIGIN))
    lookup = None
    if person_match is not None and person_match.num_rows:
        lookup = person_match.select(["id", "person_uid"]).rename_columns(["person_id", "person_uid"])
    # without a match table every person id is unknown: events then carry no person
    events = (events_from_tables(usable, lookup if lookup is not None else _NO_PEOPLE)
              if usable else EVENT_SCHEMA.empty_table())
    return HubEvents(events=events,
                     undated=pa.concat_tables(undated) if undated else UNLINKED_SCHEMA.empty_table(),
                     origin=pa.concat_tables(origins) if origins else _ORIGIN.empty_table(),
                     carried=carried)
