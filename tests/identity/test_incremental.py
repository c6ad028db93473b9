"""Incremental matching equals batch matching, up to the documented renumbering policy."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.identity import match_incremental, match_persons, person_uid
from justice_schema.identity.match import MatchResult
from justice_schema.identity.synthetic import generate_people


def groups(result: MatchResult) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for i, u in zip(result.ids.tolist(), result.person_uids.tolist(), strict=True):
        out.setdefault(u, set()).add(i)
    return {u: frozenset(g) for u, g in out.items()}


@settings(max_examples=12)
@given(seed=st.integers(0, 10_000), rows=st.integers(4, 250), cut=st.floats(0.1, 0.9))
def test_incremental_equals_batch(seed: int, rows: int, cut: float) -> None:
    table, _ = generate_people(rows, seed=seed)
    split = max(1, int(rows * cut))
    old, new = table.slice(0, split), table.slice(split)
    before = match_persons(old)
    inc = match_incremental(before, new)
    batch = match_persons(table)
    # the same people
    assert set(groups(inc.result).values()) == set(groups(batch).values())
    # the renumbering policy
    old_ids = set(old.column("id").to_pylist())
    old_uid = dict(zip(before.ids.tolist(), before.person_uids.tolist(), strict=True))
    absorbed = {a for m in inc.merges for a in m.absorbed}
    batch_uid = {members: uid for uid, members in groups(batch).items()}
    for uid, members in groups(inc.result).items():
        earlier = {old_uid[m] for m in members if m in old_ids}
        if not earlier:
            assert uid == batch_uid[members] == person_uid(min(members))
        elif not any(s.original in earlier for s in inc.splits):
            assert uid == min(earlier)  # kept: the smallest earlier uid
            assert earlier - {uid} <= absorbed
    # people neither absorbed nor split keep their uid
    inc_uid = dict(zip(inc.result.ids.tolist(), inc.result.person_uids.tolist(), strict=True))
    moved = absorbed | {s.original for s in inc.splits}
    assert all(inc_uid[i] == old_uid[i] for i in old_ids if old_uid[i] not in moved)


def test_a_new_record_that_bridges_two_people_is_a_merge() -> None:
    old = pa.table({"id": ["a", "c"], "given_name": ["John", "John"], "family_name": ["Smith", "Smith"],
                    "date_of_birth": [None, "1980-01-01"], "state_id": ["S1", None],
                    "drivers_license_number": [None, "D1"]})
    before = match_persons(old)
    assert before.person_count == 2
    new = pa.table({"id": ["b"], "given_name": ["John"], "family_name": ["Smith"],
                    "date_of_birth": ["1980-01-01"], "state_id": ["S1"], "drivers_license_number": ["D1"]})
    inc = match_incremental(before, new)
    assert inc.result.person_count == 1
    survivor = min(before.person_uids.tolist())
    assert [(m.survivor, m.absorbed) for m in inc.merges] == [
        (survivor, tuple(u for u in sorted(before.person_uids.tolist()) if u != survivor))]
    assert set(inc.result.person_uids.tolist()) == {survivor}
    assert "1 merges" in inc.summary()


def test_a_smaller_new_id_does_not_renumber_a_known_person() -> None:
    old = pa.table({"id": ["m", "n"], "given_name": ["Ann", "Ann"], "family_name": ["Lee", "Lee"],
                    "date_of_birth": ["1980-01-01", "1980-01-01"]})
    before = match_persons(old)
    new = pa.table({"id": ["a"], "given_name": ["Ann"], "family_name": ["Lee"], "date_of_birth": ["1980-01-01"]})
    inc = match_incremental(before, new)
    assert set(inc.result.person_uids.tolist()) == {person_uid("m")}  # batch would say person_uid("a")
    assert match_persons(pa.concat_tables([old, new])).person_uids[0] == person_uid("a")
    assert inc.joined_existing == 1 and inc.new_people == 0


def test_new_ids_must_not_repeat_old_ones() -> None:
    old = pa.table({"id": ["a"], "given_name": ["Ann"]})
    with pytest.raises(InputError, match="repeated"):
        match_incremental(match_persons(old), old)
