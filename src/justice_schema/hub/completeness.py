"""Completeness by agency, entity and field, fair to each source.

A field counts against an agency only where it **applies**:

* **not collected** — the agency's source format has no such field (its translator's
  spec maps nothing to it): reported apart, never as "left blank";
* **does not apply** — the record cannot have it (:data:`APPLIES`: a juvenile
  disposition for an adult arrestee, a sentence for a charge not convicted);
* **left blank** — collected, applies, and empty (null, or an empty list).

>>> sorted(collected_fields(_acme())["arrest"])[:3]
['arrest_date', 'arrest_transaction_number', 'arrest_type']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import holds_value as present
from justice_schema.arrow import arrow_schema

__all__ = ["META_FIELDS", "APPLIES", "collected_fields", "completeness_table", "COMPLETENESS_SCHEMA"]

#: Fields every record has by construction: not part of completeness.
META_FIELDS = frozenset({"id", "entity_type", "schema_version", "source"})


def _minor_or_unknown(table: pa.Table) -> pa.Array:
    age = pc.struct_field(table.column("arrestee_age"), "max_years")
    return pc.fill_null(pc.less(age, 18), True)


def _convicted(table: pa.Table) -> pa.Array:
    return pc.fill_null(pc.equal(table.column("disposition_type"), "CONVICTED"), False)


#: Where a field applies only to some records: (entity, field) -> (who it applies to, row mask).
APPLIES: dict[tuple[str, str], tuple[str, Callable[[pa.Table], pa.Array]]] = {
    ("arrest", "juvenile_disposition"): ("arrestees under 18 (or of unknown age)", _minor_or_unknown),
    ("arrest", "juvenile_disposition_raw"): ("arrestees under 18 (or of unknown age)", _minor_or_unknown),
    ("disposition", "sentence"): ("convictions", _convicted),
}

COMPLETENESS_SCHEMA = pa.schema([
    ("hub_export", pa.string()), ("hub_agency", pa.string()), ("translator", pa.string()),
    ("entity", pa.string()), ("field", pa.string()), ("collected", pa.bool_()),
    ("applies_to", pa.string()), ("records", pa.int64()), ("applicable", pa.int64()),
    ("filled", pa.int64()), ("blank", pa.int64()),
])


def _acme() -> Path:
    from justice_schema.translation import find_translator

    return find_translator("acme_rms").spec_path


def collected_fields(spec_path: str | Path) -> dict[str, set[str]]:
    """The top-level fields a translator's spec fills, by entity (the fields its format collects)."""
    from justice_schema.translation.spec import load_spec

    spec = load_spec(spec_path)
    found: dict[str, set[str]] = {}
    for entity in spec.data.get("entity", []):
        found.setdefault(str(entity["type"]), set()).update(str(name) for name in entity.get("fields", {}))
    return found


def completeness_table(tables: Mapping[str, pa.Table], sources: pa.Table,
                       translators: Mapping[str, str]) -> pa.Table:
    """One row per (export, entity, field): collected by the format or not, applicable, filled, blank.

    ``tables``: the hub's canonical tables (with ``hub_export`` and ``hub_agency``);
    ``sources``: ``translator, entity, field`` rows of the fields each format fills;
    ``translators``: export name -> translator.
    """
    collected = set(zip(sources.column("translator").to_pylist(), sources.column("entity").to_pylist(),
                        sources.column("field").to_pylist()))
    rows: list[dict[str, object]] = []
    for entity, table in tables.items():
        if not table.num_rows:
            continue
        fields = [f.name for f in arrow_schema(entity) if f.name not in META_FIELDS and f.name in table.column_names]
        columns: dict[str, pa.Array] = {"hub_export": table.column("hub_export"),
                                        "hub_agency": table.column("hub_agency"),
                                        "one": pa.array([1] * table.num_rows, pa.int64())}
        for name in fields:
            applies = APPLIES.get((entity, name))
            mask = applies[1](table) if applies else None
            filled = present(table.column(name))
            if mask is not None:
                filled = pc.and_(filled, mask)
                columns[f"a:{name}"] = pc.cast(mask, pa.int64())
            columns[f"f:{name}"] = pc.cast(filled, pa.int64())
        work = pa.table(columns)
        sums = [(c, "sum") for c in work.column_names if c not in ("hub_export", "hub_agency")]
        grouped = work.group_by(["hub_export", "hub_agency"]).aggregate(sums).to_pylist()
        for group in grouped:
            export, agency, records = group["hub_export"], group["hub_agency"], group["one_sum"]
            translator = translators.get(export, "")
            for name in fields:
                applies = APPLIES.get((entity, name))
                applicable = group[f"a:{name}_sum"] if applies else records
                filled_count = group[f"f:{name}_sum"]
                rows.append({"hub_export": export, "hub_agency": agency, "translator": translator, "entity": entity,
                             "field": name, "collected": (translator, entity, name) in collected,
                             "applies_to": applies[0] if applies else "all records", "records": records,
                             "applicable": applicable, "filled": filled_count,
                             "blank": applicable - filled_count})
    rows.sort(key=lambda r: (str(r["hub_export"]), str(r["entity"]), str(r["field"])))
    return pa.Table.from_pylist(rows, schema=COMPLETENESS_SCHEMA)
