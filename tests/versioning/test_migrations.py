"""Migrations between schema versions: the chain, the policies, and round-trip properties."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema import ENTITY_TYPES, InputError, from_table, parse, to_table
from justice_schema.arrow import model_fields_as_of
from justice_schema.registry import model_for
from justice_schema.testing import records
from justice_schema.v1 import Person
from justice_schema.versioning import (
    EXTENSIONS,
    MIGRATIONS,
    DowngradePolicy,
    Migration,
    MigrationError,
    downgrade,
    migration_path,
    register_migration,
    upgrade,
)

from ..conftest import source

#: The column-wise properties build Arrow tables per example: fewer examples keep the suite fast.
TABLE_EXAMPLES = settings(max_examples=min(25, settings().max_examples))


def later_fields(entity: str) -> set[str]:
    model = model_for(entity, "1.1")
    return set(model_fields_as_of(model, "1.1")) - set(model_fields_as_of(model, "1.0"))


def person_dict(**extra):
    return {"entity_type": "person", "schema_version": "1.1", "id": "p-1", "source": source(), **extra}


def test_the_chain_links_every_adjacent_pair():
    assert ("1.0", "1.1") in MIGRATIONS
    assert [(m.source, m.target) for m in migration_path("1.0", "1.1")] == [("1.0", "1.1")]
    assert [(m.source, m.target) for m in migration_path("1.1", "1.0")] == [("1.0", "1.1")]
    assert migration_path("1.1", "1.1") == []
    step = MIGRATIONS["1.0", "1.1"]
    with pytest.raises(ValueError, match="adjacent"):
        register_migration(Migration("1.1", "1.0", *[getattr(step, n) for n in (
            "upgrade_record", "downgrade_record", "upgrade_table", "downgrade_table")]))


def test_steps_are_pure():
    record = person_dict(gender_identity="FEMALE")
    frozen = json.dumps(record, sort_keys=True)
    step = MIGRATIONS["1.0", "1.1"]
    step.downgrade_record(record)
    step.upgrade_record({**record, "schema_version": "1.0"})
    assert json.dumps(record, sort_keys=True) == frozen


@pytest.mark.parametrize("entity", ENTITY_TYPES)
@given(data=st.data())
def test_property_a_one_point_zero_record_upgrades_validly_and_downgrades_to_itself(entity, data):
    original = data.draw(records(entity, "1.0"))
    upgraded = upgrade(original, to="1.1")
    assert upgraded.schema_version == "1.1"
    assert parse(json.loads(upgraded.model_dump_json())) == upgraded  # valid as 1.1
    back = downgrade(upgraded, to="1.0")
    assert back.records == original and back.removed == {}
    # the same as JSON dicts
    as_dict = json.loads(original.model_dump_json())
    up = upgrade(as_dict, to="1.1")
    assert parse(up) == upgraded
    assert downgrade(up, to="1.0").records == as_dict


@pytest.mark.parametrize("entity", ENTITY_TYPES)
@TABLE_EXAMPLES
@given(data=st.data())
def test_property_arrow_tables_upgrade_and_downgrade_column_wise(entity, data):
    batch = data.draw(st.lists(records(entity, "1.0"), min_size=0, max_size=4))
    table = to_table(batch, entity_type=entity, schema_version="1.0")
    upgraded = upgrade(table, to="1.1", entity_type=entity)
    assert upgraded.schema.metadata[b"justice_schema.schema_version"] == b"1.1"
    assert from_table(upgraded) == [upgrade(r, to="1.1") for r in batch]
    back = downgrade(upgraded, to="1.0", entity_type=entity)
    assert back.records.equals(table) and back.removed == {}
    as_batch = upgrade(table.combine_chunks().to_batches()[0], to="1.1") if table.num_rows else None
    if as_batch is not None:
        assert isinstance(as_batch, pa.RecordBatch) and as_batch.num_rows == table.num_rows


@pytest.mark.parametrize("entity", ENTITY_TYPES)
@TABLE_EXAMPLES
@given(data=st.data())
def test_property_extension_policy_keeps_every_value_and_upgrade_restores_it(entity, data):
    newer = data.draw(st.lists(records(entity, "1.1"), min_size=1, max_size=4))
    dicts = [json.loads(r.model_dump_json()) for r in newer]
    result = downgrade(dicts, to="1.0", policy="extension")
    for old, original in zip(result.records, dicts, strict=True):
        kept = old.pop(EXTENSIONS, {})
        assert parse(old).schema_version == "1.0"  # without the extension it is a valid 1.0 record
        assert set(kept) <= later_fields(entity)
        restored = upgrade({**old, **({EXTENSIONS: kept} if kept else {})}, to="1.1")
        assert parse(restored) == parse(original)  # explicit nulls of the input are not kept, values are
        assert {k: v for k, v in restored.items() if v is not None} == {k: v for k, v in original.items() if v is not None}
    expected = sum(1 for d in dicts for name in later_fields(entity) if d.get(name) is not None)
    assert result.total_removed == expected
    # ...and the same column-wise
    table = to_table(newer)
    down = downgrade(table, to="1.0", policy="extension")
    assert down.removed == result.removed
    assert upgrade(down.records, to="1.1").equals(table)
    dropped = downgrade(table, to="1.0", policy="drop")
    assert dropped.removed == result.removed
    assert EXTENSIONS not in dropped.records.column_names
    assert all(r.schema_version == "1.0" for r in from_table(dropped.records))


def test_error_policy_names_the_record_and_field():
    records_ = [person_dict(id="p-1"), person_dict(id="p-2", gender_identity="NON_BINARY")]
    with pytest.raises(MigrationError, match=r"record 2, id 'p-2': field 'gender_identity' was added in schema 1\.1"):
        downgrade(records_, to="1.0")
    table = to_table([parse(r) for r in records_])
    with pytest.raises(MigrationError, match=r"row 2 \(id 'p-2'\): field 'gender_identity' .* in 1 row\(s\)"):
        downgrade(table, to="1.0", policy=DowngradePolicy.ERROR)


def test_drop_policy_counts_what_it_removes():
    result = downgrade([person_dict(gender_identity="MALE", gender_identity_raw="m"), person_dict(id="p-2")],
                       to="1.0", policy="drop")
    assert result.removed == {"person.gender_identity": 1, "person.gender_identity_raw": 1}
    assert result.total_removed == 2
    assert all(parse(r).schema_version == "1.0" for r in result.records)


def test_models_cannot_carry_extensions():
    person = Person(id="p", source=source(), schema_version="1.1", gender_identity="FEMALE")
    with pytest.raises(MigrationError, match="record model cannot carry extension fields"):
        downgrade(person, to="1.0", policy="extension")
    assert downgrade(person, to="1.0", policy="drop").records == Person(id="p", source=source())


def test_wrong_direction_and_bad_inputs_are_clear():
    with pytest.raises(MigrationError, match="newer than 1.0; use downgrade"):
        upgrade(person_dict(), to="1.0")
    with pytest.raises(MigrationError, match="older than 1.1; use upgrade"):
        downgrade({**person_dict(), "schema_version": "1.0"}, to="1.1")
    with pytest.raises(InputError, match="does not declare its schema_version"):
        upgrade({"entity_type": "person", "id": "p"}, to="1.1")
    with pytest.raises(InputError, match="unknown downgrade policy 'keep'"):
        downgrade(person_dict(), to="1.0", policy="keep")
    with pytest.raises(InputError, match="record 1: expected a record or a dict, got int"):
        upgrade([1], to="1.1")
    with pytest.raises(InputError, match="cannot tell the entity"):
        upgrade(pa.table({"x": [1]}), to="1.1")
    table = to_table([parse({**person_dict(), "schema_version": "1.0"})])
    with pytest.raises(InputError, match="column 'acme_note' is not part of schema 1.0 person; migrating would lose it"):
        upgrade(table.append_column("acme_note", pa.array(["x"])), to="1.1")
