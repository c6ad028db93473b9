"""The cached Arrow scalars of the engine's hot path equal freshly built ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from justice_schema._toolkit.scalars import scalar
from justice_schema.translation.expressions import text_set

values = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=20),
                   st.floats(allow_nan=False), st.dates(),
                   st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7))])))


@given(values)
def test_cached_scalar_equals_a_fresh_one(value: object) -> None:
    cached = scalar(value)
    fresh = pa.scalar(value)
    assert cached.type == fresh.type
    assert cached.equals(fresh)
    assert scalar(value).equals(fresh)  # the second (cached) call too


def test_equal_python_values_of_other_kinds_are_kept_apart() -> None:
    assert scalar(1).type == pa.int64()
    assert scalar(True).type == pa.bool_()
    assert scalar(1).type == pa.int64()  # not the cached True
    assert scalar(0.0).as_py() == 0.0 and str(scalar(-0.0).as_py()) == "-0.0"
    utc = datetime(2000, 1, 1, 7, tzinfo=UTC)
    mountain = datetime(2000, 1, 1, tzinfo=timezone(timedelta(hours=-7)))
    assert utc == mountain
    assert scalar(utc).type != scalar(mountain).type
    assert scalar(date(2000, 1, 1)).type == pa.date32()


def test_typed_scalars_and_value_sets() -> None:
    assert scalar(None, pa.string()).type == pa.string()
    assert scalar(None, pa.int64()).type == pa.int64()
    assert scalar(5, pa.int32()).type == pa.int32()
    assert scalar("", pa.string()) is scalar("", pa.string())
    assert text_set(("A", "B")).to_pylist() == ["A", "B"]
    assert text_set(("A", "B")) is text_set(("A", "B"))
