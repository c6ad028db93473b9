"""``row_problems``: the one contract translation and validation share.

It must find exactly what the columnar engine reports as errors, in one pass;
with the record rules off, a row it passes must pass the pydantic model and a
row it flags must fail it (the control-character rule aside, which is a rule
and not a schema constraint); and its texts must say what is wrong with the
value, with the rule code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from justice_schema.arrow import arrow_schema
from justice_schema.registry import ENTITY_TYPES, model_for
from justice_schema.testing import records
from justice_schema.validation import RowProblems, row_problems
from justice_schema.validation.columnar import ColumnarValidator
from justice_schema.validation.rules import rule
from tests.validation.mutations import (
    AS_OF,
    RECORD_MUTATIONS,
    field_mutation,
    field_rule_cases,
    record_rule_cases,
)

STAMP = datetime(2024, 1, 1, tzinfo=UTC)
FEW = settings(max_examples=5, deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])


def _person(**changes: Any) -> dict[str, Any]:
    schema = arrow_schema("person")
    row: dict[str, Any] = {name: None for name in schema.names} | {"aliases": [], "other_identifiers": []}
    return row | {"entity_type": "person", "schema_version": "1.0", "id": "p-1",
                  "source": {"agency_ori": "UT0180000", "system": "s", "record_key": "1",
                             "extracted_at": None}} | changes


def _table(entity: str, dicts: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(dicts, schema=arrow_schema(entity))


def _texts(found: RowProblems) -> list[tuple[int, str]]:
    return list(zip(found.table.column("row").to_pylist(), found.table.column("text").to_pylist()))


def _engine_errors(entity: str, table: pa.Table) -> list[tuple[int, str, str]]:
    issues = ColumnarValidator(entity, as_of=AS_OF, check_duplicates=False).validate_batch(table).issues
    return sorted((r["row"] - 1, r["code"], r["field"]) for r in issues.to_pylist() if r["severity"] == "error")


def _found(found: RowProblems) -> list[tuple[int, str, str]]:
    return sorted(zip(*(found.table.column(c).to_pylist() for c in ("row", "code", "field"))))


def _model_refuses(entity: str, record: dict[str, Any]) -> bool:
    try:
        model_for(entity).model_validate(record)
    except ValidationError:
        return True
    return False


def test_the_old_field_checks_example_gives_the_same_findings_with_codes() -> None:
    """What ``translation/checks.py``'s doctest found, now found by the validation engine."""
    table = _table("person", [_person(id="p 1", sex="X"), _person()])
    found = row_problems(table, "person")
    assert _texts(found) == [
        (0, "source.extracted_at: required but missing (JS-P01)"),
        (0, "sex: 'X' is not a code of Sex (JS-P04)"),
        (0, "id: 'p 1' does not match the pattern ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$ (JS-P07)"),
        (1, "source.extracted_at: required but missing (JS-P01)"),
    ]
    assert found.rejected.to_pylist() == [True, True]
    assert found.reasons(prefix="person.").to_pylist()[1] == "person.source.extracted_at: required but missing (JS-P01)"


def test_each_kind_says_what_is_wrong_with_the_value() -> None:
    stamp = {"agency_ori": "UT0180000", "system": "s", "record_key": "1", "extracted_at": STAMP}
    rows = [
        _person(source=stamp, family_name=""),                                  # too short
        _person(source=stamp, family_name="X" * 101),                           # too long
        _person(source=stamp, address={k: None for k in arrow_schema("person").field("address").type.names}),
        _person(source=stamp, given_name="A\x00B"),                             # a control character
        _person(source=stamp, schema_version="0.9"),                            # a declaration
    ]
    texts = dict(_texts(row_problems(_table("person", rows), "person")))
    assert texts == {
        0: "family_name: shorter than 1 character(s) (JS-P03)",
        1: "family_name: longer than 100 characters (JS-P03)",
        2: "address: the nested value has no parts; leave it out instead (JS-P10)",
        3: "given_name: holds a control character (a C0 character other than tab and line breaks) (JS-P13)",
        4: texts[4],
    }
    assert texts[4].startswith("schema_version: '0.9' is not one of 1.0") and texts[4].endswith("(JS-P11)")


@FEW
@given(record=records("arrest"))
def test_ranges_and_list_sizes_name_the_bound(record: Any) -> None:
    arrest = record.model_dump(mode="python")
    weapon = {"code": "11", "automatic": False, "raw": None}
    rows = [arrest | {"arrestee_sequence_number": 100}, arrest | {"arrestee_sequence_number": 0},
            arrest | {"armed_with": [weapon, dict(weapon, code="12"), dict(weapon, code="13")]}]
    texts = dict(_texts(row_problems(_table("arrest", rows), "arrest")))
    assert texts == {0: "arrestee_sequence_number: '100' is above 99 (JS-A08)",
                     1: "arrestee_sequence_number: '0' is below 1 (JS-A08)",
                     2: "armed_with: at most 2 item(s) allowed (JS-A09)"}


@FEW
@given(record=records("incident"))
def test_a_nested_code_is_found_once_per_record(record: Any) -> None:
    incident = record.model_dump(mode="python")
    good = incident["offenses"][0]
    incident["offenses"] = [good] + [dict(good, ucr_offense_code="XX")] * 2
    found = row_problems(_table("incident", [incident]), "incident")
    # one problem per (row, rule, field), whatever the number of bad entries
    assert _texts(found) == [(0, "offenses.ucr_offense_code: 'XX' is not a code of UcrOffenseCode (JS-I04, FBI edits 104/204)")]
    # as pydantic counts them, invalid entries do not count towards a list's minimum size
    incident["offenses"] = incident["offenses"][1:]
    assert _texts(row_problems(_table("incident", [incident]), "incident")) == [
        (0, "offenses.ucr_offense_code: 'XX' is not a code of UcrOffenseCode (JS-I04, FBI edits 104/204)"),
        (0, "offenses: needs at least 1 item(s) (JS-I09)")]


def test_fields_limit_and_skip_only_what_cannot_fail() -> None:
    table = _table("person", [_person(id="p 1", sex="X")])
    assert {f for _, _, f in _found(row_problems(table, "person", fields={"id"}))} == {"id", "source.extracted_at"}
    skipped = row_problems(table, "person", skip={("id", "pattern"), ("sex", "code")})
    assert {f for _, _, f in _found(skipped)} == {"source.extracted_at"}
    # a skipped code check does not turn the code into free text (no control-character check on it)
    coded = _table("person", [_person(source={"agency_ori": "UT0180000", "system": "s", "record_key": "1",
                                              "extracted_at": STAMP}, sex="\x00")])
    assert not row_problems(coded, "person", skip={("sex", "code")})


def test_no_problem_gives_nulls_and_an_empty_mask() -> None:
    found = row_problems(arrow_schema("person").empty_table(), "person")
    assert not found and found.reasons().to_pylist() == [] and found.rejected.to_pylist() == []


@pytest.mark.parametrize(("code", "entity", "kind"), field_rule_cases())
@FEW
@given(data=st.data())
def test_field_rules_agree_with_the_engine_and_the_model(code: str, entity: str, kind: str,
                                                         data: st.DataObject) -> None:
    dicts = [r.model_dump(mode="python") for r in data.draw(st.lists(records(entity), min_size=1, max_size=4))]
    target = data.draw(st.integers(0, len(dicts) - 1))
    dicts[target] = field_mutation(entity, kind)(dicts[target], data.draw)
    table = _table(entity, dicts)
    found = row_problems(table, entity, record_rules=False)
    field_level = {c for _, c, _ in _engine_errors(entity, table) if int(c[-2:]) < 20}
    assert {c for _, c, _ in _found(found)} == field_level
    assert code in {c for r, c, _ in _found(found) if r == target}
    # every record passing the checks passes the model, and every one failing them (bar control characters) fails it
    schema_problem = {r for r, c, _ in _found(found) if not c.endswith("13")}
    assert {i for i, d in enumerate(dicts) if _model_refuses(entity, d)} == schema_problem


@pytest.mark.parametrize(("code", "entity"), record_rule_cases())
@FEW
@given(data=st.data())
def test_one_pass_with_record_rules_is_the_engines_errors(code: str, entity: str, data: st.DataObject) -> None:
    dicts = [r.model_dump(mode="python") for r in data.draw(st.lists(records(entity), min_size=1, max_size=4))]
    target = data.draw(st.integers(0, len(dicts) - 1))
    dicts[target] = RECORD_MUTATIONS[code](dicts[target], data.draw)
    table = _table(entity, dicts)
    found = row_problems(table, entity, record_rules=True, as_of=AS_OF)
    assert _found(found) == _engine_errors(entity, table)
    severity = rule(code).severity
    assert (code in {c for r, c, _ in _found(found) if r == target}) == (severity == "error")


@pytest.mark.parametrize("entity", ENTITY_TYPES)
@FEW
@given(data=st.data())
def test_valid_records_have_no_problems(entity: str, data: st.DataObject) -> None:
    dicts = [r.model_dump(mode="python") for r in data.draw(st.lists(records(entity), min_size=1, max_size=5))]
    found = row_problems(_table(entity, dicts), entity, as_of=date(2100, 1, 1), record_rules=False)
    assert not found and found.reasons().null_count == len(dicts)
