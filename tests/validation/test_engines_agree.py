"""Two engines, one verdict: the columnar and per-record engines find the same (row, code, field) issues.

On generated valid records, and on records mutated to break each rule of the
catalogue (a mutation must make its rule fire, so the test also proves every
rule can fire).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from justice_schema.arrow import arrow_schema
from justice_schema.registry import CURRENT_SCHEMA_VERSION, ENTITY_TYPES, model_for
from justice_schema.testing import records
from justice_schema.validation.columnar import ColumnarValidator
from justice_schema.validation.record import RecordValidator
from justice_schema.validation.rules import all_rules
from tests.validation.mutations import (
    AS_OF,
    RECORD_MUTATIONS,
    field_mutation,
    field_rule_cases,
    record_rule_cases,
)

FEW = settings(max_examples=8, deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])


def both_engines(entity: str, dicts: list[dict[str, Any]]) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]:
    table = pa.Table.from_pylist(dicts, schema=arrow_schema(entity))
    columnar = ColumnarValidator(entity, as_of=AS_OF).validate_batch(table)
    per_record = RecordValidator(entity, as_of=AS_OF).validate_many(dicts)
    a = sorted((r["row"], r["code"], r["field"]) for r in columnar.issues.to_pylist())
    b = sorted((i.row, i.code, i.field) for i in per_record)
    # the reject decision agrees too
    rejected_per_record = {i.row for i in per_record if i.severity == "error"}
    rejected_columnar = {i + 1 for i, bad in enumerate(columnar.error_rows.to_pylist()) if bad}
    assert rejected_columnar == rejected_per_record
    return a, b


@pytest.mark.parametrize("entity", ENTITY_TYPES)
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_same_issues_on_generated_records(entity: str, data: st.DataObject) -> None:
    recs = data.draw(st.lists(records(entity), min_size=1, max_size=6))
    dicts = [r.model_dump(mode="python") for r in recs]
    columnar, per_record = both_engines(entity, dicts)
    assert columnar == per_record
    # generated records are field-valid: no field-level rule may fire
    field_codes = {r.code for r in all_rules() if r.level == "field"}
    assert not {code for _, code, _ in columnar} & field_codes


def _batch_with_mutation(data: st.DataObject, entity: str, mutate: Any) -> tuple[list[dict[str, Any]], int]:
    recs = data.draw(st.lists(records(entity), min_size=1, max_size=4))
    dicts = [r.model_dump(mode="python") for r in recs]
    target = data.draw(st.integers(0, len(dicts) - 1))
    dicts[target] = mutate(dicts[target], data.draw)
    return dicts, target + 1


@pytest.mark.parametrize(("code", "entity", "kind"), field_rule_cases())
@FEW
@given(data=st.data())
def test_field_rule_mutations(code: str, entity: str, kind: str, data: st.DataObject) -> None:
    dicts, row = _batch_with_mutation(data, entity, field_mutation(entity, kind))
    columnar, per_record = both_engines(entity, dicts)
    assert columnar == per_record
    assert code in {c for r, c, _ in columnar if r == row}


@pytest.mark.parametrize(("code", "entity"), record_rule_cases())
@FEW
@given(data=st.data())
def test_record_rule_mutations(code: str, entity: str, data: st.DataObject) -> None:
    dicts, row = _batch_with_mutation(data, entity, RECORD_MUTATIONS[code])
    columnar, per_record = both_engines(entity, dicts)
    assert columnar == per_record
    assert code in {c for r, c, _ in columnar if r == row}


def test_every_record_rule_has_a_mutation() -> None:
    assert {code for code, _ in record_rule_cases()} <= set(RECORD_MUTATIONS)


@FEW
@given(data=st.data())
def test_duplicate_ids_agree(data: st.DataObject) -> None:
    recs = data.draw(st.lists(records("booking"), min_size=2, max_size=6))
    dicts = [r.model_dump(mode="python") for r in recs]
    source = data.draw(st.integers(0, len(dicts) - 1))
    target = data.draw(st.integers(0, len(dicts) - 1).filter(lambda i: i != source))
    dicts[target]["id"] = dicts[source]["id"]
    columnar, per_record = both_engines("booking", dicts)
    assert columnar == per_record
    assert (max(source, target) + 1, "JS-X01", "id") in columnar


@pytest.mark.parametrize("text", ["UT0180000\n", "UT018000\n"])
def test_patterns_keep_pythons_dollar(text: str) -> None:
    """pydantic's Python ``$`` accepts one final newline; the RE2 translation must agree."""
    rec = {"id": "p-1", "source": {"agency_ori": text, "system": "t", "record_key": "1",
                                   "extracted_at": datetime(2024, 5, 1, tzinfo=UTC)}}
    columnar, per_record = both_engines("person", [rec])
    assert columnar == per_record


@FEW
@given(data=st.data())
def test_cross_entity_rules_agree(data: st.DataObject) -> None:
    """References and chronology: Arrow joins and the per-record lookup give the same issues."""
    from justice_schema.arrow import to_table
    from justice_schema.validation.crossentity import check_records, check_tables

    persons = data.draw(st.lists(records("person"), min_size=1, max_size=3))
    incidents = data.draw(st.lists(records("incident"), min_size=1, max_size=3))
    arrests = data.draw(st.lists(records("arrest"), min_size=1, max_size=5))
    charges = data.draw(st.lists(records("charge"), min_size=0, max_size=4))
    person_ids = [p.id for p in persons] + ["p-missing"]
    incident_ids = [i.id for i in incidents] + ["i-missing", None]
    arrests = [a.model_copy(update={"person_id": data.draw(st.sampled_from(person_ids)),
                                    "incident_id": data.draw(st.sampled_from(incident_ids))}) for a in arrests]
    arrest_ids = [a.id for a in arrests] + ["a-missing", None]
    charges = [c.model_copy(update={"arrest_id": data.draw(st.sampled_from(arrest_ids)),
                                    "person_id": data.draw(st.sampled_from(person_ids))}) for c in charges]
    lists = {"person": persons, "incident": incidents, "arrest": arrests, "charge": charges}
    tables = {k: to_table(v, entity_type=k) for k, v in lists.items()}
    columnar = check_tables(tables, as_of=AS_OF)
    per_record = check_records(lists, as_of=AS_OF)

    def key(t: pa.Table) -> list[tuple[Any, ...]]:
        return sorted((r["entity"], r["row"], r["code"], r["field"]) for r in t.to_pylist())

    assert key(columnar) == key(per_record)


@pytest.mark.parametrize("entity", [e for e in ENTITY_TYPES if model_for(e)._LATER_FIELDS])
@FEW
@given(data=st.data())
def test_newer_fields_on_older_records_agree(entity: str, data: st.DataObject) -> None:
    """A record declaring an older version may not set a field added later: both engines say so alike."""
    recs = data.draw(st.lists(records(entity, CURRENT_SCHEMA_VERSION), min_size=1, max_size=4))
    dicts = [r.model_dump(mode="python") for r in recs]
    later = [name for name, _ in model_for(entity)._LATER_FIELDS]
    target = data.draw(st.integers(0, len(dicts) - 1))
    assume(any(dicts[target].get(name) is not None for name in later))
    dicts[target]["schema_version"] = "1.0"
    columnar, per_record = both_engines(entity, dicts)
    assert columnar == per_record
    assert any(r == target + 1 and code.endswith("11") for r, code, _ in columnar)


#: Identifiers at the edges of ``^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`` with a 128-character limit.
EDGE_IDS = st.one_of(
    st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._:-]{0,20}\Z"),
    st.sampled_from(["a" * 128, "a" * 129, "a" * 127 + "\n", "a" * 128 + "\n", "a\n", "a\n\n", "a\nb", "\n",
                     ".a", "-a", "_a", ":a", "a.", "a b", " a", "a ", "", "é", "aé", "a-ß", "٣", "a٣", "ａ",
                     "a\t", "a\r", "a\x00b", "a/b", "a+b", "A:B.C_D-E"]),
    st.text(alphabet="aZ9._:-\né \u0663", min_size=0, max_size=6),
)


@FEW
@given(data=st.data())
def test_identifier_patterns_agree(data: st.DataObject) -> None:
    """Ids, person ids and incident ids at the pattern's edges: Python ``re`` and the columnar shortcuts agree.

    A final newline is allowed by Python's ``$``; non-ASCII letters and digits
    are not in ``[A-Za-z0-9]``; 128 characters is the limit. Batches where every
    id is clean take the columnar engine's whole-buffer shortcut, the others the
    regular expression.
    """
    recs = data.draw(st.lists(records("arrest"), min_size=1, max_size=6))
    dicts = [r.model_dump(mode="python") for r in recs]
    for record in dicts:
        for name in ("id", "person_id", "incident_id"):
            if data.draw(st.booleans()):
                record[name] = data.draw(EDGE_IDS) if name != "incident_id" else data.draw(st.one_of(st.none(), EDGE_IDS))
    columnar, per_record = both_engines("arrest", dicts)
    assert columnar == per_record


@pytest.mark.parametrize("entity", ENTITY_TYPES)
@FEW
@given(data=st.data())
def test_allowed_control_characters_agree_and_pass(entity: str, data: st.DataObject) -> None:
    """Tab and line breaks are allowed in text: neither engine raises the control-character rule."""
    from tests.validation.mutations import ALLOWED_CONTROLS

    recs = data.draw(st.lists(records(entity), min_size=1, max_size=3))
    dicts = [r.model_dump(mode="python") for r in recs]
    char = data.draw(st.sampled_from(ALLOWED_CONTROLS))
    for record in dicts:
        if isinstance(record.get("source"), dict):
            record["source"]["system"] = f"Vendor{char}RMS"
    columnar, per_record = both_engines(entity, dicts)
    assert columnar == per_record
    control = {f"JS-{letter}13" for letter in "PIACDBS"}
    assert not {code for _, code, _ in columnar} & control


@pytest.mark.parametrize("char", ["\x00", "\x1b"])
def test_a_nul_in_a_name_is_flagged_by_both_engines(char: str) -> None:
    rec = {"id": "p-1", "family_name": f"SMITH{char}", "source": {
        "agency_ori": "UT0180000", "system": "t", "record_key": "1", "extracted_at": datetime(2024, 5, 1, tzinfo=UTC)}}
    columnar, per_record = both_engines("person", [rec])
    assert columnar == per_record == [(1, "JS-P13", "family_name")]
