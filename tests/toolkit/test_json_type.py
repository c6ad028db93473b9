"""``json_type``: the one name for the type of a decoded JSON value (validation messages, schema diffs)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from justice_schema._toolkit.jsonlines import json_type

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                     max_leaves=10)


@given(_JSON)
def test_the_name_survives_a_json_round_trip(value: object) -> None:
    assert json_type(json.loads(json.dumps(value))) == json_type(value)


@given(_JSON)
def test_without_integer_only_whole_numbers_change_name(value: object) -> None:
    split, joined = json_type(value), json_type(value, integer=False)
    assert joined == ("number" if split == "integer" else split)
    assert split in {"null", "boolean", "integer", "number", "string", "array", "object"}


def test_a_bool_is_not_a_number() -> None:
    assert [json_type(v) for v in (True, 0, 0.5, "", [], {}, None)] == [
        "boolean", "integer", "number", "string", "array", "object", "null"]
