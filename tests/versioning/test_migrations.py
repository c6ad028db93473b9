"""Migrations between schema versions: the chain, the policies, and round-trip properties."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema import InputError, from_table, parse, to_table
from justice_schema.arrow import model_fields_as_of
from justice_schema.registry import SCHEMA_VERSIONS, entity_types, model_for
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


#: The newest version: the round-trip properties walk the whole chain from 1.0 to it and back.
NEWEST = SCHEMA_VERSIONS[-1]
#: The entities of schema 1.0, which every later version still has.
OLD_ENTITIES = entity_types("1.0")


def later_fields(entity: str, newer: str = NEWEST) -> set[str]:
    model = model_for(entity, newer)
    return set(model_fields_as_of(model, newer)) - set(model_fields_as_of(model, "1.0"))


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


@pytest.mark.parametrize("entity", OLD_ENTITIES)
@given(data=st.data())
def test_property_a_one_point_zero_record_upgrades_validly_and_downgrades_to_itself(entity, data):
    original = data.draw(records(entity, "1.0"))
    upgraded = upgrade(original, to=NEWEST)
    assert upgraded.schema_version == NEWEST
    assert parse(json.loads(upgraded.model_dump_json())) == upgraded  # valid as the newest version
    back = downgrade(upgraded, to="1.0")
    assert back.records == original and back.removed == {}
    # the same as JSON dicts
    as_dict = json.loads(original.model_dump_json())
    up = upgrade(as_dict, to=NEWEST)
    assert parse(up) == upgraded
    assert downgrade(up, to="1.0").records == as_dict


@pytest.mark.parametrize("entity", OLD_ENTITIES)
@TABLE_EXAMPLES
@given(data=st.data())
def test_property_arrow_tables_upgrade_and_downgrade_column_wise(entity, data):
    batch = data.draw(st.lists(records(entity, "1.0"), min_size=0, max_size=4))
    table = to_table(batch, entity_type=entity, schema_version="1.0")
    upgraded = upgrade(table, to=NEWEST, entity_type=entity)
    assert upgraded.schema.metadata[b"justice_schema.schema_version"] == NEWEST.encode()
    assert from_table(upgraded) == [upgrade(r, to=NEWEST) for r in batch]
    back = downgrade(upgraded, to="1.0", entity_type=entity)
    assert back.records.equals(table) and back.removed == {}
    as_batch = upgrade(table.combine_chunks().to_batches()[0], to=NEWEST) if table.num_rows else None
    if as_batch is not None:
        assert isinstance(as_batch, pa.RecordBatch) and as_batch.num_rows == table.num_rows


@pytest.mark.parametrize("entity", OLD_ENTITIES)
@TABLE_EXAMPLES
@given(data=st.data())
def test_property_extension_policy_keeps_every_value_and_upgrade_restores_it(entity, data):
    newer = data.draw(st.lists(records(entity, NEWEST), min_size=1, max_size=4))
    dicts = [json.loads(r.model_dump_json()) for r in newer]
    result = downgrade(dicts, to="1.0", policy="extension")
    for old, original in zip(result.records, dicts, strict=True):
        kept = old.pop(EXTENSIONS, {})
        assert parse(old).schema_version == "1.0"  # without the extension it is a valid 1.0 record
        assert set(kept) <= later_fields(entity)
        restored = upgrade({**old, **({EXTENSIONS: kept} if kept else {})}, to=NEWEST)
        assert parse(restored) == parse(original)  # explicit nulls of the input are not kept, values are
        assert {k: v for k, v in restored.items() if v is not None} == {k: v for k, v in original.items() if v is not None}
    expected = sum(1 for d in dicts for name in later_fields(entity) if d.get(name) is not None)
    assert result.total_removed == expected
    # ...and the same column-wise
    table = to_table(newer)
    down = downgrade(table, to="1.0", policy="extension")
    assert down.removed == result.removed
    assert upgrade(down.records, to=NEWEST).equals(table)
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


# --- schema 1.2: new entities have no place in 1.1 -------------------------------------------------

VICTIM = {"entity_type": "victim", "schema_version": "1.2", "id": "v-1", "source": source(),
          "incident_id": "i-1", "victim_sequence_number": 1, "injuries": ["M"]}


def test_the_chain_reaches_one_point_two():
    assert [(m.source, m.target) for m in migration_path("1.0", "1.2")] == [("1.0", "1.1"), ("1.1", "1.2")]


@pytest.mark.parametrize("policy", list(DowngradePolicy))
def test_a_record_of_an_entity_the_older_version_lacks_is_refused_under_every_policy(policy):
    from justice_schema.versioning import entity_exists_in, rows_losing_values

    assert not entity_exists_in("victim", "1.1") and entity_exists_in("victim", "1.2")
    message = r"entity 'victim' was added in schema 1\.2; schema 1\.1 has no victim records"
    with pytest.raises(MigrationError, match=rf"record 2, id 'v-2': {message}"):
        downgrade([person_dict(schema_version="1.2"), {**VICTIM, "id": "v-2"}], to="1.1", policy=policy)
    with pytest.raises(MigrationError, match=message.replace("1\\.1", "1\\.0")):
        downgrade(parse(VICTIM), to="1.0", policy="drop" if policy is DowngradePolicy.EXTENSION else policy)
    table = to_table([parse(VICTIM), parse({**VICTIM, "id": "v-2"})])
    with pytest.raises(MigrationError, match=rf"the victim table \(2 row\(s\)\): {message}"):
        downgrade(table, to="1.1", policy=policy)
    assert rows_losing_values(table, to="1.1").to_pylist() == [True, True]
    assert rows_losing_values(table, to="1.2").to_pylist() == [False, False]
    # at its own version it passes unchanged
    assert downgrade([VICTIM], to="1.2", policy=policy).records == [VICTIM]


def test_a_record_declaring_a_version_its_entity_does_not_exist_in_is_bad_input():
    with pytest.raises(InputError, match=r"declares schema 1\.1, but entity 'victim' was added in schema 1\.2"):
        upgrade({**VICTIM, "schema_version": "1.1"}, to="1.2")


def test_one_point_two_fields_move_to_extensions_and_back():
    arrest = {"entity_type": "arrest", "schema_version": "1.2", "id": "a-1", "source": source(), "person_id": "p-1",
              "arrest_date": "2024-01-01", "sealed": True, "offense_tracking_number": "OTN-1",
              "location": {"county_fips": "49035", "latitude": 40.7}}
    with pytest.raises(MigrationError, match=r"field 'sealed' was added in schema 1\.2"):
        downgrade([arrest], to="1.1")
    down = downgrade([arrest], to="1.1", policy="extension")
    assert down.removed == {"arrest.location": 1, "arrest.offense_tracking_number": 1, "arrest.sealed": 1}
    assert down.records[0][EXTENSIONS]["location"] == {"county_fips": "49035", "latitude": 40.7}
    assert upgrade(down.records, to="1.2") == [arrest]
    table = to_table([parse(arrest)])
    down_table = downgrade(table, to="1.0", policy="extension")
    assert down_table.removed == down.removed
    assert upgrade(down_table.records, to="1.2").equals(table)
