"""The one table linking works on: every event of every stage, one row each (``EVENT_SCHEMA``).

Linking compares events of different entities (an arrest and a charge, a charge and its
disposition), so it reads them in one long layout: the stage (``event_type``), the person
(``person_uid`` from identity matching), the date the stage happened, the tracking numbers the
event carries, and the offense. :func:`events_from_tables` builds it from canonical entity tables;
a hub can also write it directly.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import cast_column, first_true_row
from justice_schema.errors import InputError

__all__ = ["EVENT_SCHEMA", "EVENT_TYPES", "STAGE_DATES", "TRACKING_COLUMNS", "UNDATED", "check_events", "conform_events",
           "date_charges_from_arrests", "events_from_tables"]

#: The stages of a case, in the order they happen.
EVENT_TYPES: tuple[str, ...] = (
    "incident", "arrest", "charge", "prosecution_decision", "court_case", "disposition", "custody_period", "supervision",
)

#: What each stage's ``event_date`` is, in words (the causes of undated events name it).
STAGE_DATES: dict[str, str] = {
    "incident": "incident date", "arrest": "arrest date", "charge": "filing date",
    "prosecution_decision": "decision date", "court_case": "court filing date", "disposition": "disposition date",
    "custody_period": "admission date", "supervision": "supervision start date",
}

#: The ``link_type`` under which :func:`~justice_schema.linking.link_events` reports an event without a date.
UNDATED = "undated"

#: The tracking-number columns (see ``justice_schema.v1.common.TRACKING_NUMBERS``) plus the incident number.
TRACKING_COLUMNS: tuple[str, ...] = (
    "incident_number", "arrest_transaction_number", "offense_tracking_number", "court_case_number", "booking_number",
)

#: The event layout. ``event_date`` is when the stage happened (incident, arrest, charge filed, decision,
#: court filing, disposition, admission, supervision start); it may be empty (an *undated* event: the
#: linker reports it with its cause, link type :data:`UNDATED`, and links nothing to it); ``end_date`` ends a custody period or a
#: supervision. ``outcome`` holds the decision, the disposition type, the release type, or an incident's
#: exceptional clearance code (NIBRS DE 4). ``severity_rank`` is optional: the offense classifier's order
#: (:func:`justice_schema.offenses.severity_rank`), used first by the most-serious-offense rule when present.
EVENT_SCHEMA = pa.schema([
    pa.field("event_id", pa.string(), nullable=False),
    pa.field("event_type", pa.string(), nullable=False),
    pa.field("person_uid", pa.string()),
    pa.field("event_date", pa.date32()),
    pa.field("end_date", pa.date32()),
    pa.field("agency", pa.string()),
    pa.field("county", pa.string()),
    *(pa.field(name, pa.string()) for name in TRACKING_COLUMNS),
    pa.field("charge_sequence", pa.int32()),
    pa.field("statute_code", pa.string()),
    pa.field("ucr_code", pa.string()),
    pa.field("severity", pa.string()),
    pa.field("severity_degree", pa.string()),
    pa.field("severity_rank", pa.int32()),
    pa.field("outcome", pa.string()),
    pa.field("sex", pa.string()),
    pa.field("race", pa.string()),
])

_REQUIRED = ("event_id", "event_type", "event_date")


def check_events(table: pa.Table, *, source: str = "events") -> pa.Table:
    """``table`` in the :data:`EVENT_SCHEMA` layout: missing optional columns added as nulls, types cast.

    Raises :class:`~justice_schema.errors.InputError` naming the file (``source``), the column and,
    for a bad value, the first row (1-based) when a required column is missing, an ``event_id`` or
    ``event_type`` is empty, a value cannot be read as its type, an ``event_type`` is not a stage, or an
    ``event_id`` repeats. An empty ``event_date`` is not an error: the event is undated (see
    :data:`EVENT_SCHEMA`).
    """
    out = conform_events(table, source=source)
    if pc.count_distinct(out.column("event_id")).as_py() != out.num_rows:
        counts = out.group_by("event_id").aggregate([("event_id", "count")])
        dup = counts.filter(pc.greater(counts.column("event_id_count"), 1)).column("event_id")[0].as_py()
        row = first_true_row(pc.equal(out.column("event_id"), dup))
        raise InputError(f"{dup!r} appears more than once; event ids must be unique", path=source, row=row, field="event_id")
    return out


def conform_events(table: pa.Table, *, source: str = "events") -> pa.Table:
    """:func:`check_events` without the check that event ids are unique (for events already checked
    once, e.g. by :func:`~justice_schema.linking.link_events`)."""
    missing = [name for name in _REQUIRED if name not in table.column_names]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; the event layout needs {', '.join(_REQUIRED)} "
                         f"(columns there: {', '.join(table.column_names) or 'none'})", path=source)
    columns = []
    for field in EVENT_SCHEMA:
        if field.name not in table.column_names:
            columns.append(pa.nulls(table.num_rows, field.type))
            continue
        column = cast_column(table.column(field.name), field.type, path=source, field=field.name)
        if not field.nullable and column.null_count:
            row = first_true_row(pc.is_null(column))
            raise InputError("empty; every event needs one", path=source, row=row, field=field.name)
        columns.append(column)
    out = pa.Table.from_arrays(columns, schema=EVENT_SCHEMA)
    bad = pc.invert(pc.is_in(out.column("event_type"), value_set=pa.array(EVENT_TYPES)))
    if pc.any(bad).as_py():
        row = first_true_row(bad)
        value = out.column("event_type")[row - 1].as_py()
        raise InputError(f"{value!r} is not a stage; expected one of {', '.join(EVENT_TYPES)}",
                         path=source, row=row, field="event_type")
    return out


_ENTITY_DATES = {
    "incident": ("incident_number", "incident_date", None),
    "arrest": ("id", "arrest_date", None),
    "charge": ("id", "filed_date", None),
    "prosecution_decision": ("id", "decision_date", None),
    "court_case": ("id", "filing_date", "disposition_date"),
    "disposition": ("id", "disposition_date", None),
    "custody_period": ("id", "admission_date", "release_date"),
    "supervision": ("id", "start_date", "end_date"),
}
_OUTCOMES = {"prosecution_decision": "decision", "disposition": "disposition_type",
             "custody_period": "release_type", "incident": "cleared_exceptionally"}
_RENAMES = {"ucr_arrest_offense_code": "ucr_code", "ucr_offense_code": "ucr_code",
            "disposed_statute_code": "statute_code", "disposed_severity": "severity",
            "disposed_severity_degree": "severity_degree", "case_number": "court_case_number"}


def date_charges_from_arrests(charges: pa.Table, arrests: pa.Table | None) -> pa.Table:
    """``charges`` with an empty or missing ``filed_date`` dated from the arrest their ``arrest_id`` names.

    A charge laid at arrest (an RMS or jail charge) has no filing date of its own; it happened on its
    arrest's date, and that is the date a clerk would put on it. Only the arrest the charge itself
    names is used (``arrests`` with ``id`` and ``arrest_date``): a charge that names none, or names an
    arrest that is not there or has no date, keeps an empty ``filed_date`` and is an undated event
    (reported with its cause by the linker). A filing date the charge has is never replaced.
    """
    if "filed_date" not in charges.column_names:
        charges = charges.append_column("filed_date", pa.nulls(charges.num_rows, pa.date32()))
    filed = _as(charges.column("filed_date"), pa.date32(), "charge", "filed_date")
    arrest_ids = _id_column(arrests) if arrests is not None else None
    if arrests is not None and arrest_ids and "arrest_date" in arrests.column_names and "arrest_id" in charges.column_names \
            and filed.null_count:
        lookup = pa.table({"_ref": _as(arrests.column(arrest_ids), pa.string(), "arrest", arrest_ids),
                           "_date": _as(arrests.column("arrest_date"), pa.date32(), "arrest", "arrest_date")})
        lookup = lookup.filter(pc.is_valid(pc.field("_date"))).group_by("_ref", use_threads=False).aggregate(
            [("_date", "min")])                                      # one date per arrest id
        keyed = pa.table({"_ref": _as(charges.column("arrest_id"), pa.string(), "charge", "arrest_id"),
                          "_pos": pa.array(range(charges.num_rows), pa.int64())})
        joined = keyed.join(lookup, "_ref", join_type="left outer").sort_by("_pos")
        filed = pc.coalesce(filed, joined.column("_date_min"))
    return charges.set_column(charges.column_names.index("filed_date"), "filed_date", filed)


def _person_lookup(person_uids: pa.Table) -> pa.Table:
    """``person_uids`` as a join table (``person_uid`` = the person id, ``_uid``), checked: both columns
    there and no person id given two uids (a join would repeat that person's events)."""
    missing = [c for c in ("person_id", "person_uid") if c not in person_uids.column_names]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; the person table needs person_id and person_uid",
                         path="person_uids")
    lookup = pa.table({"person_uid": _as(person_uids.column("person_id"), pa.string(), "person_uids", "person_id"),
                       "_uid": _as(person_uids.column("person_uid"), pa.string(), "person_uids", "person_uid")})
    lookup = lookup.filter(pc.is_valid(pc.field("person_uid")))
    if pc.count_distinct(lookup.column("person_uid")).as_py() != lookup.num_rows:
        distinct = lookup.group_by(["person_uid", "_uid"], use_threads=False).aggregate([])
        if distinct.num_rows != pc.count_distinct(lookup.column("person_uid")).as_py():
            counts = distinct.group_by("person_uid", use_threads=False).aggregate([("_uid", "count")])
            twice = counts.filter(pc.greater(counts.column("_uid_count"), 1)).column("person_uid")[0].as_py()
            raise InputError(f"person id {twice!r} is given more than one person_uid", path="person_uids", field="person_uid")
        lookup = distinct
    return lookup


def _id_column(table: pa.Table) -> str | None:
    """The record-id column of a canonical table: ``id`` (nested layout) or ``record_id`` (flat)."""
    return next((name for name in ("id", "record_id") if name in table.column_names), None)


def _as(column: pa.Array | pa.ChunkedArray, to: pa.DataType, entity: str, field: str) -> pa.ChunkedArray | pa.Array:
    """``column`` cast to ``to``, or an :class:`InputError` naming the entity table and the field."""
    return cast_column(column, to, path=entity, field=field)


def events_from_tables(tables: Mapping[str, pa.Table], person_uids: pa.Table | None = None) -> pa.Table:
    """The event table of canonical (flat or nested) entity tables keyed by entity type.

    Each table's ``id`` (``record_id`` in the flat layout) becomes ``event_id`` prefixed by its entity,
    its stage date ``event_date``, and the tracking numbers, offense and outcome columns are taken
    where the entity has them. ``person_uids`` (columns ``person_id``, ``person_uid``, e.g. the output
    of ``match``) gives each event its person; without it ``person_id`` is used as the person.

    A record whose stage date is empty becomes an undated event (the linker reports it with its cause);
    a charge without a filing date (or without the column: charges laid at arrest) is first dated from
    the arrest its ``arrest_id`` names when the ``arrest`` table is given
    (:func:`date_charges_from_arrests`). Raises :class:`~justice_schema.errors.InputError` for an entity
    that is not a stage, or a table without its id or (except charges) its stage-date column.
    """
    parts = []
    for entity, table in tables.items():
        if entity not in _ENTITY_DATES:
            raise InputError(f"{entity}: not a case-flow stage; expected one of {', '.join(EVENT_TYPES)}")
        if entity == "charge":
            table = date_charges_from_arrests(table, tables.get("arrest"))
        id_column, date_column, end_column = _ENTITY_DATES[entity]
        names = set(table.column_names)
        id_name = id_column if id_column in names else "record_id"
        if id_name not in names or date_column not in names:
            raise InputError(f"{entity}: the table needs columns {id_column} and {date_column}")
        n = table.num_rows
        cols: dict[str, pa.Array | pa.ChunkedArray] = {
            "event_id": pc.binary_join_element_wise(entity, _as(table.column(id_name), pa.string(), entity, id_name), ":"),
            "event_type": pa.array([entity] * n, pa.string()),
            "event_date": _as(table.column(date_column), pa.date32(), entity, date_column),
        }
        if end_column and end_column in names:
            cols["end_date"] = _as(table.column(end_column), pa.date32(), entity, end_column)
        if "person_id" in names:
            cols["person_uid"] = _as(table.column("person_id"), pa.string(), entity, "person_id")
        if entity == "incident" and "offenses" in names:
            first = pc.list_element(table.column("offenses"), 0)
            cols["ucr_code"] = pc.struct_field(first, "ucr_offense_code")
        outcome = _OUTCOMES.get(entity)
        if outcome and outcome in names:
            cols["outcome"] = _as(table.column(outcome), pa.string(), entity, outcome)
        for name in names:
            target = _RENAMES.get(name, name)
            if target in cols or target not in EVENT_SCHEMA.names:
                continue
            cols[target] = table.column(name)
        part = pa.table(cols)
        if person_uids is not None and "person_uid" in part.column_names:
            lookup = _person_lookup(person_uids)
            part = part.join(lookup, "person_uid", join_type="left outer")
            part = part.set_column(part.column_names.index("person_uid"), "person_uid", part.column("_uid")).drop(["_uid"])
        parts.append(check_events(part, source=entity))
    if not parts:
        return EVENT_SCHEMA.empty_table()
    return pa.concat_tables(parts)
