"""Round trips are exact: model to JSON, to Arrow, and to the flat layout (and CSV) and back."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema import ENTITY_TYPES, from_table, parse, to_table
from justice_schema.flat import from_flat_table, read_flat_csv, to_flat_table, unflatten, write_flat_csv
from justice_schema.testing import records


@pytest.mark.parametrize("entity", ENTITY_TYPES)
@given(data=st.data())
def test_json_round_trip(entity, data):
    record = data.draw(records(entity))
    assert parse(record.model_dump_json()) == record
    assert parse(json.loads(record.model_dump_json())) == record


@pytest.mark.parametrize("entity", ENTITY_TYPES)
@given(data=st.data())
def test_arrow_round_trip(entity, data):
    batch = data.draw(st.lists(records(entity), min_size=0, max_size=4))
    table = to_table(batch, entity_type=entity)
    assert table.num_rows == len(batch)
    assert from_table(table) == batch


@pytest.mark.parametrize("entity", ENTITY_TYPES)
@given(data=st.data())
def test_flat_layout_round_trip(entity, data):
    batch = data.draw(st.lists(records(entity), min_size=1, max_size=4))
    flat = to_flat_table(batch)
    assert all(not str(field.type).startswith(("struct", "list")) for field in flat.schema)
    assert from_flat_table(flat, entity) == batch


@pytest.mark.parametrize("entity", ENTITY_TYPES)
@given(data=st.data())
def test_flat_csv_file_round_trip(entity, data, tmp_path_factory):
    batch = data.draw(st.lists(records(entity), min_size=1, max_size=3))
    path = tmp_path_factory.mktemp("csv") / f"{entity}.csv"
    write_flat_csv(batch, path)
    table = read_flat_csv(path, entity)
    assert from_table(unflatten(table, entity)) == batch
