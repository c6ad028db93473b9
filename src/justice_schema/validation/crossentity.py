"""Rules across records and tables: duplicate ids, references that must resolve, chronology.

A batch from a hub usually holds several tables (persons, incidents, arrests,
charges...). :data:`LINKS` lists every reference between entities, and
:data:`CHRONOLOGY` the date orders that must hold across them (no disposition
before its charge was filed, no booking long before its arrest...). Both are
data; each is evaluated

* by :func:`check_tables` over Arrow tables, with hash lookups
  (``pyarrow.compute.index_in``) and whole-array comparisons, and
* by :func:`check_records` over lists of records, for the per-record engine.

Only rows that passed their own entity's validation are checked (a row with a
broken id is reported once, by its field rule); every row's id counts as a
target, so a reference to a rejected row still resolves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.codes import code_table
from justice_schema.issues import ISSUE_SCHEMA, REDACTED, Issue, empty_issues, issues_table
from justice_schema.validation.expr import (
    AddDays,
    And,
    AnyOf,
    ArrowScope,
    DateOf,
    Expr,
    F,
    In,
    IsSet,
    Le,
    Lt,
    Ne,
    Not,
    NotIn,
    PyScope,
    get_path,
)
from justice_schema.validation.issues import format_value
from justice_schema.validation.rule_types import ERROR, Rule

__all__ = ["Link", "Chronology", "LINKS", "CHRONOLOGY", "BATCH_RULES", "check_tables", "check_records"]

#: Prefix of the referenced record's fields inside a chronology condition.
TARGET = "target__"


def _property_offenses() -> frozenset[str]:
    """The offenses a NIBRS property segment may go with (FBI edit 076): kidnapping (100), the Group A
    crimes against property, drug/narcotic (35A, 35B) and gambling (39A-39D) offenses."""
    table = code_table("ucr_offense")
    against_property = {e.code for e in table.entries if e.get("group") == "A" and e.get("crime_against") == "Property"}
    return frozenset(against_property | {"100", "35A", "35B", "39A", "39B", "39C", "39D"})


PROPERTY_OFFENSES = _property_offenses()


@attrs.frozen(slots=True)
class Link:
    """A reference: ``entity.field`` holds the id of a ``target`` record."""

    code: str
    entity: str
    field: str
    target: str


@attrs.frozen(slots=True)
class Chronology:
    """A condition between a record and the record its ``field`` references; fires when true.

    In ``condition``, ``F("target__x")`` reads field ``x`` of the referenced record.
    """

    code: str
    entity: str
    field: str
    target: str
    condition: Expr
    report_field: str
    message: str
    rationale: str
    example: str
    nibrs: tuple[str, ...] = ()


LINKS: tuple[Link, ...] = (
    Link("JS-X10", "arrest", "person_id", "person"),
    Link("JS-X11", "arrest", "incident_id", "incident"),
    Link("JS-X12", "charge", "person_id", "person"),
    Link("JS-X13", "charge", "arrest_id", "arrest"),
    Link("JS-X14", "charge", "booking_id", "booking"),
    Link("JS-X15", "disposition", "charge_id", "charge"),
    Link("JS-X16", "booking", "person_id", "person"),
    Link("JS-X17", "booking", "arrest_id", "arrest"),
    Link("JS-X18", "supervision", "person_id", "person"),
    Link("JS-X19", "supervision", "disposition_id", "disposition"),
)

CHRONOLOGY: tuple[Chronology, ...] = (
    Chronology("JS-X30", "arrest", "incident_id", "incident",
               Lt(F("arrest_date"), F(TARGET + "incident_date")), "arrest_date",
               "the arrest date is before the date of its incident",
               "A person cannot be arrested for an incident before it happened.",
               "incident_date = 2024-05-03, arrest_date = 2024-05-01", ("665",)),
    Chronology("JS-X31", "arrest", "incident_id", "incident",
               And(NotIn(F(TARGET + "cleared_exceptionally"), {"N"}),
                   Le(F("arrest_date"), F(TARGET + "exceptional_clearance_date"))), "arrest_date",
               "the incident is cleared exceptionally, yet this arrest is on or before the clearance date",
               "An exceptional clearance means no arrest could be made; an arrest before it contradicts the "
               "clearance (the incident is cleared by arrest instead).",
               "incident cleared exceptionally 'B' on 2024-06-01, arrest on 2024-05-20", ("071",)),
    Chronology("JS-X32", "disposition", "charge_id", "charge",
               Lt(F("disposition_date"), F(TARGET + "filed_date")), "disposition_date",
               "the disposition is dated before its charge was filed",
               "A court cannot dispose of a charge that has not been filed yet.",
               "charge filed_date = 2024-02-01, disposition_date = 2024-01-15"),
    Chronology("JS-X33", "disposition", "charge_id", "charge",
               Lt(F("disposition_date"), F(TARGET + "offense_date")), "disposition_date",
               "the disposition is dated before the charged offense was committed",
               "A charge cannot be disposed of before the offense it charges.",
               "charge offense_date = 2024-02-01, disposition_date = 2024-01-15"),
    Chronology("JS-X34", "booking", "arrest_id", "arrest",
               Lt(DateOf(F("booked_at")), AddDays(F(TARGET + "arrest_date"), -1)), "booked_at",
               "the booking is more than a day before its arrest",
               "A person is booked after being arrested; a booking days earlier links to the wrong arrest.",
               "arrest_date = 2024-05-10, booked_at = 2024-05-01T08:00:00Z"),
    Chronology("JS-X35", "charge", "arrest_id", "arrest",
               Ne(F("person_id"), F(TARGET + "person_id")), "person_id",
               "the charge names a different person than its arrest",
               "A charge laid at an arrest is against the arrested person; a different person id breaks the "
               "chain from arrest to court disposition.",
               "arrest person_id = 'p-1', charge person_id = 'p-2'"),
    Chronology("JS-X36", "booking", "arrest_id", "arrest",
               Ne(F("person_id"), F(TARGET + "person_id")), "person_id",
               "the booking names a different person than its arrest",
               "The person booked is the person arrested; a different id means a mis-keyed booking.",
               "arrest person_id = 'p-1', booking person_id = 'p-2'"),
    Chronology("JS-X38", "property", "incident_id", "incident",
               And(IsSet(F(TARGET + "id")),
                   Not(AnyOf(TARGET + "offenses", In(F("ucr_offense_code"), PROPERTY_OFFENSES)))), "incident_id",
               "the property belongs to an incident with no offense that involves property",
               "NIBRS takes a property segment only with kidnapping, a crime against property, a drug or a "
               "gambling offense; property reported for an assault alone is evidence, not loss, or the wrong "
               "incident.",
               "property of an incident whose only offense is 13B", ("076",)),
    Chronology("JS-X37", "supervision", "disposition_id", "disposition",
               Lt(F("start_date"), F(TARGET + "disposition_date")), "start_date",
               "supervision starts before the disposition that ordered it",
               "Probation or parole ordered by a sentence cannot start before the court's disposition.",
               "disposition_date = 2024-03-01, supervision start_date = 2024-02-01"),
)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _link_rule(link: Link) -> Rule:
    return Rule(
        link.code, ERROR, link.entity, "batch", (link.field,),
        f"{link.field} names {_a(link.target)} that is not in the batch",
        f"Every {link.entity} must point to {_a(link.target)} delivered with it; an unresolved reference "
        f"is a record the hub cannot connect ({_a(link.target)} left out of the extract, or a mistyped id).",
        f"{link.entity}.{link.field} = 'x-999' with no {link.target} of that id",
    )


def _chronology_rule(c: Chronology) -> Rule:
    return Rule(c.code, ERROR, c.entity, "batch", (c.report_field, c.field), c.message, c.rationale,
                c.example, c.nibrs)


BATCH_RULES: tuple[Rule, ...] = (
    Rule("JS-X01", ERROR, "*", "batch", ("id",), "the id is already used by an earlier record in the batch",
         "Ids identify records; a second record with the same id is a duplicate delivery or a key collision, "
         "and loading it would overwrite or double-count the first (cf. NIBRS 056, 661).",
         "two arrests with id 'a-1001'", ("056", "661", "751")),
    *(_link_rule(link) for link in LINKS),
    *(_chronology_rule(c) for c in CHRONOLOGY),
    Rule("JS-X90", ERROR, "*", "input", ("*",), "the row could not be read (wrong number of fields or not a record)",
         "A row with too few or too many fields (a truncated export, an unquoted delimiter) or a line that is "
         "not a JSON object cannot be mapped to fields; it is rejected with its text.",
         "a CSV row with 12 fields where the header has 30"),
)
_BY_CODE = {r.code: r for r in BATCH_RULES}


# ---------------------------------------------------------------------------
# Columnar


def _index_of(ids: pa.Array, refs: pa.Array) -> pa.Array:
    return pc.index_in(refs, value_set=pc.drop_null(ids))


def _plain(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    return values


def check_tables(
    tables: Mapping[str, pa.Table],
    *,
    checked_rows: Mapping[str, pa.Array] | None = None,
    as_of: date | None = None,
    redact: bool = True,
) -> pa.Table:
    """Issues of the reference and chronology rules over canonical Arrow tables keyed by entity.

    ``checked_rows`` is, per entity, a boolean mask of the rows to check (rows
    that passed their own validation); by default every row is checked. Rules
    whose target table is not in ``tables`` do not run.
    """
    as_of = as_of or date.today()
    parts = []
    for link in LINKS:
        if link.entity not in tables or link.target not in tables:
            continue
        table, target = tables[link.entity], tables[link.target]
        refs = _plain(table.column(link.field))
        found = _index_of(_plain(target.column("id")), refs)
        mask = pc.and_(pc.is_valid(refs), pc.is_null(found))
        parts.append(_issues(link.entity, table, mask, checked_rows, _BY_CODE[link.code], link.field, refs, redact))
    for c in CHRONOLOGY:
        if c.entity not in tables or c.target not in tables:
            continue
        table, target = tables[c.entity], tables[c.target]
        refs = _plain(table.column(c.field))
        found = _index_of(_plain(target.column("id")), refs)
        columns = {name: _plain(table.column(name)) for name in table.column_names}
        for name in _target_fields(c.condition):
            columns[TARGET + name] = pc.take(_plain(target.column(name)), found)
        joined = pa.RecordBatch.from_pydict(columns)
        mask = c.condition.arrow(ArrowScope(joined, as_of))
        mask = pc.fill_null(mask, False)
        parts.append(_issues(c.entity, table, mask, checked_rows, _BY_CODE[c.code], c.report_field,
                             _plain(table.column(c.report_field)), redact))
    parts = [p for p in parts if p.num_rows]
    if not parts:
        return empty_issues()
    return pa.concat_tables(parts)


def _target_fields(condition: Expr) -> list[str]:
    # a path into a nested value (target__offenses.ucr_offense_code) takes the whole top-level column
    return sorted({f[len(TARGET):].split(".")[0] for f in condition.fields() if f.startswith(TARGET)})


def _issues(entity: str, table: pa.Table, mask: pa.Array, checked: Mapping[str, pa.Array] | None, rule: Rule,
            field: str, values: pa.Array, redact: bool) -> pa.Table:
    if checked is not None and entity in checked:
        mask = pc.and_(mask, checked[entity])
    where = pc.indices_nonzero(mask)
    count = len(where)
    if not count:
        return empty_issues()
    picked = pc.take(values, where)
    if redact:
        text = pc.if_else(pc.is_valid(picked), pa.scalar(REDACTED), pa.scalar(None, pa.string()))
    else:
        text = pc.cast(picked, pa.string())
    oris = _plain(pc.struct_field(table.column("source"), "agency_ori")) if "source" in table.column_names else pa.nulls(table.num_rows, pa.string())
    const = lambda v: pc.fill_null(pa.nulls(count, pa.string()), v)  # noqa: E731
    return pa.table({
        "row": pc.add(pc.cast(where, pa.int64()), 1),
        "record_id": pc.take(_plain(table.column("id")), where),
        "entity": const(entity),
        "agency_ori": pc.take(oris, where),
        "field": const(field),
        "code": const(rule.code),
        "severity": const(rule.severity),
        "message": const(rule.message),
        "value": text,
    }, schema=ISSUE_SCHEMA)


# ---------------------------------------------------------------------------
# Per record


def check_records(
    records: Mapping[str, Sequence[Any]],
    *,
    checked_rows: Mapping[str, Sequence[bool]] | None = None,
    as_of: date | None = None,
    redact: bool = True,
) -> pa.Table:
    """The same rules as :func:`check_tables`, over lists of records (models or dicts) keyed by entity."""
    as_of = as_of or date.today()
    issues: list[Issue] = []
    index: dict[str, dict[Any, Any]] = {}
    for entity, rows in records.items():
        seen: dict[Any, Any] = {}
        for record in rows:
            key = get_path(record, "id")
            if key is not None and key not in seen:
                seen[key] = record
        index[entity] = seen

    def checked(entity: str, i: int) -> bool:
        return checked_rows is None or entity not in checked_rows or bool(checked_rows[entity][i])

    def add(entity: str, i: int, record: Any, rule: Rule, field: str) -> None:
        value = get_path(record, field)
        issues.append(Issue(i + 1, get_path(record, "id"), entity, get_path(record, "source.agency_ori"), field,
                            rule.code, rule.severity, rule.message,
                            (REDACTED if value is not None else None) if redact else format_value(value)))

    for link in LINKS:
        if link.entity not in records or link.target not in records:
            continue
        for i, record in enumerate(records[link.entity]):
            ref = get_path(record, link.field)
            if checked(link.entity, i) and ref is not None and ref not in index[link.target]:
                add(link.entity, i, record, _BY_CODE[link.code], link.field)
    for c in CHRONOLOGY:
        if c.entity not in records or c.target not in records:
            continue
        for i, record in enumerate(records[c.entity]):
            if not checked(c.entity, i):
                continue
            target = index[c.target].get(get_path(record, c.field))
            view = _Joined(record, target)
            if c.condition.py(PyScope(view, view, as_of)) is True:
                add(c.entity, i, record, _BY_CODE[c.code], c.report_field)
    return issues_table(issues) if issues else empty_issues()


class _Joined(dict[str, Any]):
    """A record with the referenced record's fields under ``target__``."""

    def __init__(self, record: Any, target: Any) -> None:
        super().__init__()
        self.record = record
        self.target = target

    def get(self, key: str, default: Any = None) -> Any:
        if key.startswith(TARGET):
            return get_path(self.target, key[len(TARGET):]) if self.target is not None else None
        return get_path(self.record, key)
