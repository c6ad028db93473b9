"""Strict strptime: every real date reads back; an impossible day is refused, never rolled over."""

from __future__ import annotations

import calendar
from datetime import date, datetime

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema._toolkit.dates import format_regex, strict_strptime

FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%d-%b-%y", "%d.%m.%Y %H:%M"]


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2068, 12, 31)), st.sampled_from(FORMATS))
def test_a_written_date_reads_back(day: date, fmt: str) -> None:
    text = day.strftime(fmt)
    got = strict_strptime(pa.array([text]), fmt).to_pylist()[0]
    assert got is not None and got.date() == day


@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 31), st.sampled_from(["%Y-%m-%d", "%m/%d/%Y"]))
def test_a_day_is_accepted_exactly_when_the_month_has_it(year: int, month: int, day: int, fmt: str) -> None:
    text = fmt.replace("%Y", f"{year:04d}").replace("%m", f"{month:02d}").replace("%d", f"{day:02d}")
    got = strict_strptime(pa.array([text]), fmt).to_pylist()[0]
    real = day <= calendar.monthrange(year, month)[1]
    assert (got is not None) == real
    if real:
        assert got == datetime(year, month, day)


def test_text_of_another_form_and_nulls_are_null() -> None:
    got = strict_strptime(pa.array(["2024/01/02", "", None, "31-APR-17", "01-Foo-17"]), "%Y-%m-%d")
    assert got.to_pylist() == [None, None, None, None, None]
    assert strict_strptime(pa.array(["31-APR-17", "30-apr-17"]), "%d-%b-%y").to_pylist() == [None, datetime(2017, 4, 30)]


@pytest.mark.parametrize(("fmt", "expected"), [("%Y-%m-%d", True), ("%d %Q", False)])
def test_format_regex_knows_its_directives(fmt: str, expected: bool) -> None:
    assert (format_regex(fmt) is not None) == expected
