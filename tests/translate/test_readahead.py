"""Reading ahead keeps the order, passes errors on at their place, and stops when the reader stops."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.translate.readahead import read_ahead


@given(items=st.lists(st.integers()), depth=st.integers(1, 5))
def test_items_come_in_order(items: list[int], depth: int) -> None:
    assert list(read_ahead(iter(items), depth)) == items


def test_an_error_is_raised_where_its_item_would_have_come() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise InputError("bad row", path="in.csv", row=3)

    seen = []
    with pytest.raises(InputError, match="bad row"):
        for item in read_ahead(source(), depth=4):
            seen.append(item)
    assert seen == [1, 2]


def test_stopping_early_stops_the_reader() -> None:
    produced = []

    def source() -> Iterator[int]:
        for i in range(1000):
            produced.append(i)
            yield i

    items = read_ahead(source(), depth=2)
    assert next(items) == 0
    items.close()
    time.sleep(0.3)
    count = len(produced)
    time.sleep(0.2)
    assert len(produced) == count < 10  # no further reading once the consumer stopped
    assert not any(t.name == "justice-schema-read-ahead" and t.is_alive() for t in threading.enumerate())
