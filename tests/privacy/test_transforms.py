"""Transforms: each one's output on hand-made arrays, and the date shift keeps intervals (property)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.privacy import PseudonymKey
from justice_schema.privacy import transforms as tf
from justice_schema.privacy.keys import day_offsets


def test_age_band():
    ages = pa.array([0, 17, 18, 24, 25, 64, 65, 99, None], pa.int32())
    assert tf.age_band(ages, [18, 25, 65]).to_pylist() == [
        "<18", "<18", "18-24", "18-24", "25-64", "25-64", "65+", "65+", None]


def test_month_and_year_of_dates_and_instants():
    dates = pa.array([dt.date(2024, 2, 29), None])
    assert tf.to_month(dates).to_pylist() == ["2024-02", None]
    assert tf.to_year(dates).to_pylist() == [2024, None]
    instants = pa.array([dt.datetime(2025, 12, 31, 23, 0)], pa.timestamp("us", tz="UTC"))
    assert tf.to_month(instants).to_pylist() == ["2025-12"]


def test_geography_never_finer_than_asked():
    codes = pa.array(["06037123456", "06037", "06", None])
    assert tf.coarsen_geography(codes, "county").to_pylist() == ["06037", "06037", None, None]
    assert tf.coarsen_geography(codes, "state").to_pylist() == ["06", "06", "06", None]


def test_merge_rare():
    values = pa.array(["a", "a", "a", "b", "c", "c", None])
    assert tf.merge_rare(values, 2).to_pylist() == ["a", "a", "a", "other", "c", "c", None]
    assert tf.merge_rare(values, 1).to_pylist() == values.to_pylist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["p1", "p2", "p3"]), st.integers(18000, 21000)), min_size=1, max_size=30),
       st.integers(1, 60))
def test_date_shift_keeps_each_persons_intervals(rows, max_days):
    key = PseudonymKey(b"s" * 32)
    persons = pa.array([p for p, _ in rows])
    dates = pa.array([d for _, d in rows], pa.int32()).cast(pa.date32())
    offsets = day_offsets(persons, key, max_days)
    shifted = tf.shift_dates(dates, offsets).cast(pa.int32()).to_pylist()
    original = dates.cast(pa.int32()).to_pylist()
    for i in range(len(rows)):
        assert 1 <= abs(shifted[i] - original[i]) <= max_days  # every date moves, within the bound
        for j in range(len(rows)):
            if rows[i][0] == rows[j][0]:
                assert shifted[i] - shifted[j] == original[i] - original[j]
