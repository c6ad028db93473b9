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

from justice_schema.errors import InputError

__all__ = ["EVENT_SCHEMA", "EVENT_TYPES", "TRACKING_COLUMNS", "check_events", "conform_events", "events_from_tables"]

#: The stages of a case, in the order they happen.
EVENT_TYPES: tuple[str, ...] = (
    "incident", "arrest", "charge", "prosecution_decision", "court_case", "disposition", "custody_period", "supervision",
)

#: The tracking-number columns (see ``justice_schema.v1.common.TRACKING_NUMBERS``) plus the incident number.
TRACKING_COLUMNS: tuple[str, ...] = (
    "incident_number", "arrest_transaction_number", "offense_tracking_number", "court_case_number", "booking_number",
)

#: The event layout. ``event_date`` is when the stage happened (incident, arrest, charge filed, decision,
#: court filing, disposition, admission, supervision start); ``end_date`` ends a custody period or a
#: supervision. ``outcome`` holds the decision, the disposition type, the release type, or an incident's
#: exceptional clearance code (NIBRS DE 4). ``severity_rank`` is optional: the offense classifier's order
#: (:func:`justice_schema.offenses.severity_rank`), used first by the most-serious-offense rule when present.
EVENT_SCHEMA = pa.schema([
    pa.field("event_id", pa.string(), nullable=False),
    pa.field("event_type", pa.string(), nullable=False),
    pa.field("person_uid", pa.string()),
    pa.field("event_date", pa.date32(), nullable=False),
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
    for a bad value, the first row (1-based) when a required column is missing, a value cannot be
    read as its type, an ``event_type`` is not a stage, or an ``event_id`` repeats.
    """
    out = conform_events(table, source=source)
    if pc.count_distinct(out.column("event_id")).as_py() != out.num_rows:
        counts = out.group_by("event_id").aggregate([("event_id", "count")])
        dup = counts.filter(pc.greater(counts.column("event_id_count"), 1)).column("event_id")[0].as_py()
        row = _first_row(pc.equal(out.column("event_id"), dup))
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
        column = table.column(field.name)
        try:
            column = column.cast(field.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            detail = str(exc).splitlines()[0]
            raise InputError(f"cannot read as {field.type}: {detail}", path=source, field=field.name) from None
        if not field.nullable and column.null_count:
            row = _first_row(pc.is_null(column))
            raise InputError("empty; every event needs one", path=source, row=row, field=field.name)
        columns.append(column)
    out = pa.Table.from_arrays(columns, schema=EVENT_SCHEMA)
    bad = pc.invert(pc.is_in(out.column("event_type"), value_set=pa.array(EVENT_TYPES)))
    if pc.any(bad).as_py():
        row = _first_row(bad)
        value = out.column("event_type")[row - 1].as_py()
        raise InputError(f"{value!r} is not a stage; expected one of {', '.join(EVENT_TYPES)}",
                         path=source, row=row, field="event_type")
    return out


def _first_row(mask: pa.ChunkedArray | pa.Array) -> int:
    return int(pc.index(mask, True).as_py()) + 1


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


def events_from_tables(tables: Mapping[str, pa.Table], person_uids: pa.Table | None = None) -> pa.Table:
    """The event table of canonical (flat or nested) entity tables keyed by entity type.

    Each table's ``id`` (``record_id`` in the flat layout) becomes ``event_id`` prefixed by its entity,
    its stage date ``event_date``, and the tracking numbers, offense and outcome columns are taken
    where the entity has them. ``person_uids`` (columns ``person_id``, ``person_uid``, e.g. the output
    of ``match``) gives each event its person; without it ``person_id`` is used as the person.
    """
    parts = []
    for entity, table in tables.items():
        if entity not in _ENTITY_DATES:
            raise InputError(f"{entity}: not a case-flow stage; expected one of {', '.join(EVENT_TYPES)}")
        id_column, date_column, end_column = _ENTITY_DATES[entity]
        names = set(table.column_names)
        id_name = id_column if id_column in names else "record_id"
        if id_name not in names or date_column not in names:
            raise InputError(f"{entity}: the table needs columns {id_column} and {date_column}")
        n = table.num_rows
        cols: dict[str, pa.Array | pa.ChunkedArray] = {
            "event_id": pc.binary_join_element_wise(entity, pc.cast(table.column(id_name), pa.string()), ":"),
            "event_type": pa.array([entity] * n, pa.string()),
            "event_date": pc.cast(table.column(date_column), pa.date32()),
        }
        if end_column and end_column in names:
            cols["end_date"] = pc.cast(table.column(end_column), pa.date32())
        if "person_id" in names:
            cols["person_uid"] = pc.cast(table.column("person_id"), pa.string())
        if entity == "incident" and "offenses" in names:
            first = pc.list_element(table.column("offenses"), 0)
            cols["ucr_code"] = pc.struct_field(first, "ucr_offense_code")
        outcome = _OUTCOMES.get(entity)
        if outcome and outcome in names:
            cols["outcome"] = pc.cast(table.column(outcome), pa.string())
        for name in names:
            target = _RENAMES.get(name, name)
            if target in cols or target not in EVENT_SCHEMA.names:
                continue
            cols[target] = table.column(name)
        part = pa.table(cols)
        if person_uids is not None and "person_uid" in part.column_names:
            lookup = person_uids.select(["person_id", "person_uid"]).rename_columns(["person_uid", "_uid"])
            part = part.join(lookup, "person_uid", join_type="left outer")
            part = part.set_column(part.column_names.index("person_uid"), "person_uid", part.column("_uid")).drop(["_uid"])
        parts.append(check_events(part, source=entity))
    if not parts:
        return EVENT_SCHEMA.empty_table()
    return pa.concat_tables(parts)
