"""The rules file: the default loads, every mistake is named, a tuned copy changes the outcome."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from justice_schema.errors import InputError
from justice_schema.identity import default_rules, load_rules, match_persons, rules_from_toml
from justice_schema.identity.rules import COMPARABLE_FIELDS

MINIMAL = '''
format = 1
name = "mine"
version = "2.3"
[[rules]]
name = "sid"
block = [["state_id"]]
any = { family_name = 0.9 }
'''


def test_default_rules_are_ordered_strong_then_weak() -> None:
    rules = default_rules()
    strengths = [r.strength for r in rules.rules]
    assert strengths == sorted(strengths, key=["strong", "weak"].index)
    assert rules.label == "justice_schema default 1.2.0"
    assert all(c.field in COMPARABLE_FIELDS for r in rules.rules for c in r.require + r.any)
    # a shared strong identifier links only when corroborated
    assert all(r.min_any >= 1 or r.require for r in rules.rules if r.blocks[0][0] in ("state_id", "fbi_number"))


def test_minimal_rules_file_and_defaults() -> None:
    rules = rules_from_toml(MINIMAL)
    assert rules.name == "mine" and rules.version == "2.3"
    assert rules.rules[0].strength == "strong" and rules.rules[0].min_any == 1
    assert rules.conflicts.different == ("state_id", "fbi_number")


@pytest.mark.parametrize(("change", "message"), [
    (("format = 1", "format = 9"), "rules format 9 is not supported"),
    (('name = "mine"', ""), "needs a name"),
    (("any = { family_name = 0.9 }", "any = { shoe_size = 0.9 }"), "unknown field 'shoe_size'"),
    (("any = { family_name = 0.9 }", "any = { family_name = 1.5 }"), "must be a number in (0, 1]"),
    (('block = [["state_id"]]', 'block = [["shoe"]]'), "unknown blocking field 'shoe'"),
    (('block = [["state_id"]]', "block = []"), "block must be a list of keys"),
    (('name = "sid"', 'name = "sid"\nstrength = "medium"'), "strength must be one of"),
    (('name = "sid"', 'name = "sid"\nmin_any = 3'), "min_any must be an integer from 0 to 1"),
    (('name = "sid"', 'name = "sid"\ncolour = 1'), "unknown key(s) colour"),
    (('name = "sid"', 'name = "sid"\nif_present = { shoe_size = 0.9 }'), "unknown field 'shoe_size'"),
    (("[[rules]]", "bogus = 1\n[[rules]]"), "unknown top-level key(s): bogus"),
    (("format = 1", "format = 1 ="), "not valid TOML"),
])
def test_mistakes_are_named(change: tuple[str, str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        rules_from_toml(MINIMAL.replace(*change), "mine.toml")
    assert message in str(caught.value) and str(caught.value).startswith("mine.toml")
    assert "\n" not in str(caught.value)


def test_unreadable_rules_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read rules file"):
        load_rules(tmp_path / "missing.toml")


def test_tuned_rules_change_the_outcome(tmp_path: Path) -> None:
    import pyarrow as pa

    table = pa.table({"id": ["a", "b"], "given_name": ["Ann", "Ann"], "family_name": ["Lee", "Lee"],
                      "date_of_birth": ["1980-01-01", "1980-01-01"]})
    assert match_persons(table).person_count == 1
    path = tmp_path / "strict.toml"
    path.write_text(MINIMAL)
    assert match_persons(table, rules=path).person_count == 2  # only state ids link now


def test_if_present_passes_a_missing_side_but_not_a_disagreement() -> None:
    rules = rules_from_toml(MINIMAL + 'if_present = { date_of_birth = 0.8 }\n')
    assert [c.field for c in rules.rules[0].if_present] == ["date_of_birth"]
    table = pa.table({
        "id": ["a", "b", "c", "d"],
        "family_name": ["Quorn", "Quorn", "Vale", "Vale"],
        "date_of_birth": ["1970-01-01", None, "1970-01-01", "1981-07-09"],
        "state_id": ["S1", "S1", "S2", "S2"],
    })
    uid = dict(zip(*(c.tolist() for c in (match_persons(table, rules=rules).ids,
                                           match_persons(table, rules=rules).person_uids)), strict=True))
    assert uid["a"] == uid["b"]  # the birth date is missing on a side: no disagreement
    assert uid["c"] != uid["d"]  # present on both sides and different: the rule does not link
