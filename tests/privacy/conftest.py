"""Fixtures of the privacy tests: a small generated population with poison values in sealed rows."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from justice_schema.privacy import PseudonymKey
from justice_schema.testing.population import Population, generate_population

#: Written into every sealed or expunged record: it must never appear outside restricted output.
POISON = "ZZSEALEDZZ"
KEY = b"k" * 16 + b"0123456789abcdef"


def _poison(table: pa.Table, barred: pa.Array, column: str, make) -> pa.Table:
    values = table.column(column).combine_chunks()
    poisoned = pc.if_else(barred, make(table.num_rows), values)
    return table.set_column(table.column_names.index(column), table.schema.field(column), poisoned)


def poisoned_population(arrests: int, seed: int = 3) -> Population:
    """A population whose sealed/expunged people and arrests carry :data:`POISON` in their names,
    offense code, county and city, so that a leak of any of them can be searched for as text."""
    pop = generate_population(arrests, seed=seed)
    people, arrests_t = pop.people, pop.arrests
    p_barred = pc.or_(pc.fill_null(people.column("sealed"), False), pc.fill_null(people.column("expunged"), False))
    people = _poison(people, p_barred.combine_chunks(), "family_name", lambda n: pa.array([POISON] * n))
    a_barred = pc.or_(pc.fill_null(arrests_t.column("sealed"), False),
                      pc.fill_null(arrests_t.column("expunged"), False)).combine_chunks()
    arrests_t = _poison(arrests_t, a_barred, "ucr_arrest_offense_code", lambda n: pa.array([POISON] * n))
    location = arrests_t.column("location").combine_chunks()
    fields = [location.field(i) for i in range(location.type.num_fields)]
    fields[0] = pc.if_else(a_barred, pa.array([POISON] * arrests_t.num_rows), fields[0])
    fields[1] = pc.if_else(a_barred, pa.array([POISON + " town"] * arrests_t.num_rows), fields[1])
    new_location = pa.StructArray.from_arrays(fields, fields=list(location.type))
    arrests_t = arrests_t.set_column(arrests_t.column_names.index("location"), arrests_t.schema.field("location"),
                                     new_location)
    return Population(arrests_t, people)


@pytest.fixture(scope="session")
def population() -> Population:
    return poisoned_population(6000)


@pytest.fixture
def key() -> PseudonymKey:
    return PseudonymKey(KEY, "test")
