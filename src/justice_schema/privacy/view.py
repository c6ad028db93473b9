"""The working view a publication starts from: one row per subject record, one column per leaf.

Struct values are pulled apart into dotted columns (``arrestee_age.min_years``,
``location.county_fips``); repeated values stay whole. When a person table is given, the
subject's ``person_id`` brings the person's columns in under ``person.``, so that demographics
(sex, race, ethnicity) can be generalised and measured beside the event. Each column keeps its
:class:`~justice_schema.v1.Sensitivity` class, read from the Arrow field metadata.
"""

from __future__ import annotations

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.v1 import Sensitivity

__all__ = ["View", "build_view", "FLAGS"]

#: The record flags of schema 1.2 a publication honours.
FLAGS = ("sealed", "expunged", "juvenile_record")


@attrs.frozen(slots=True)
class View:
    """The flattened table and the sensitivity class of each of its columns (``None``: unclassed)."""

    table: pa.Table
    classes: dict[str, Sensitivity | None]


def _class_of(field: pa.Field, inherited: Sensitivity | None) -> Sensitivity | None:
    value = (field.metadata or {}).get(b"sensitivity")
    if value is None:
        return inherited
    try:
        return Sensitivity(value.decode())
    except ValueError:
        return inherited


def _flatten(prefix: str, field: pa.Field, column: pa.Array, inherited: Sensitivity | None,
             out: dict[str, pa.Array], classes: dict[str, Sensitivity | None]) -> None:
    level = _class_of(field, inherited)
    name = f"{prefix}{field.name}"
    if pa.types.is_struct(field.type):
        for index in range(field.type.num_fields):
            child = field.type.field(index)
            values = pc.struct_field(column, [index])
            if column.null_count:  # a null struct's children are null too
                values = pc.if_else(pc.is_null(column), pa.scalar(None, child.type), values)
            _flatten(f"{name}.", child, values, level, out, classes)
        return
    out[name] = column
    classes[name] = level


def flatten_table(table: pa.Table, prefix: str = "") -> View:
    """``table`` with its struct columns pulled apart into dotted leaf columns."""
    out: dict[str, pa.Array] = {}
    classes: dict[str, Sensitivity | None] = {}
    for field, column in zip(table.schema, table.columns, strict=True):
        _flatten(prefix, field, column.combine_chunks(), None, out, classes)
    return View(pa.table(out) if out else pa.table({}), classes)


def _flag(table: pa.Table, name: str) -> pa.Array:
    if name not in table.column_names:
        return pa.array([False] * table.num_rows, pa.bool_())
    return pc.fill_null(table.column(name).combine_chunks().cast(pa.bool_()), False)


def build_view(subject: pa.Table, person: pa.Table | None = None) -> View:
    """The flattened ``subject`` table, with ``person.``-prefixed person columns joined on ``person_id``.

    The joined person's ``sealed``/``expunged``/``juvenile_record`` flags carry over to the
    subject row (a sealed person seals their events). Raises :class:`InputError` when a person
    table is given and the subject has no ``person_id`` column.
    """
    view = flatten_table(subject)
    if person is None:
        return view
    if "person_id" not in subject.column_names:
        raise InputError("a person table was given but the records have no person_id column", field="person_id")
    if "id" not in person.column_names:
        raise InputError("the person table has no id column", field="id")
    people = flatten_table(person, "person.")
    right = people.table
    numbered = right.append_column("\x00n", pa.array(range(right.num_rows), pa.int64()))
    first = numbered.group_by("person.id").aggregate([("\x00n", "min")])
    right = right.take(first.column("\x00n_min"))  # one row per person id: the first, when an id repeats
    where = pc.index_in(view.table.column("person_id"), right.column("person.id"))
    matched = right.drop_columns(["person.id"]).take(where)  # a person_id with no person: null columns
    joined = view.table.append_column("\x00matched", pc.is_valid(where))
    for name in matched.column_names:
        joined = joined.append_column(name, matched.column(name))
    classes = dict(view.classes)
    classes.update({n: c for n, c in people.classes.items() if n in joined.column_names})
    for flag in FLAGS:
        merged = pc.or_(_flag(joined, flag), _flag(joined, f"person.{flag}"))
        if flag in joined.column_names:
            joined = joined.set_column(joined.column_names.index(flag), flag, merged)
        else:
            joined = joined.append_column(flag, merged)
            classes[flag] = Sensitivity.SENSITIVE
    return View(joined.combine_chunks(), classes)


def flag_mask(table: pa.Table, name: str) -> pa.Array:
    """The flag column ``name`` as a boolean mask (missing column or null: false)."""
    return _flag(table, name)
