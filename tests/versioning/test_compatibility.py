"""The compatibility checker: released versions, every rule on a deliberately broken schema, and inputs."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema import SCHEMA_VERSIONS
from justice_schema.errors import InputError
from justice_schema.versioning import RULES, Mode, check_compatibility, rules_rst
from justice_schema.versioning.rules import BACKWARD, FORWARD
from justice_schema.versioning.sources import (
    EntitySchemas,
    SchemaSet,
    arrow_schema_from_dict,
    arrow_schema_to_dict,
    load_schema_set,
)

RELEASED_PAIRS = [
    (a, b) for a, b in itertools.combinations(SCHEMA_VERSIONS, 2) if a.split(".")[0] == b.split(".")[0]
]


@pytest.mark.parametrize(("old", "new"), RELEASED_PAIRS)
def test_every_later_minor_version_is_backward_compatible(old, new):
    """Runs over every pair of released versions: a later minor version only adds."""
    for mode in ("BACKWARD", "BACKWARD_TRANSITIVE"):
        report = check_compatibility(old, new, mode)
        assert report.compatible, report.to_text()
    forward = check_compatibility(old, new, "FORWARD")
    # Closed records make additions visible to old readers, as do new entities; nothing else may differ.
    assert {f.rule for f in forward.breaking} <= {"field_added", "enum_value_added", "entity_added"}
    assert all(f.path == "schema_version" for f in forward.breaking if f.rule == "enum_value_added")
    assert not {f.rule for f in forward.findings} & {"field_removed", "enum_value_removed", "type_narrowed",
                                                     "type_changed", "arrow_type_changed", "column_removed"}


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_a_released_version_matches_itself_and_its_frozen_files(version):
    from importlib import resources

    folder = resources.files("justice_schema").joinpath("schemas", version)
    assert check_compatibility(version, version, "FULL").findings == ()
    # transitively, a version string stands for its whole history, which is backward compatible
    assert check_compatibility(version, version, "BACKWARD_TRANSITIVE").compatible
    on_disk = check_compatibility(version, str(folder), "FULL")
    assert on_disk.findings == ()


def test_one_point_one_is_not_forward_compatible_and_says_why():
    report = check_compatibility("1.0", "1.1", "FULL")
    assert not report.compatible
    added = {f"{f.entity}.{f.path}" for f in report.breaking if f.rule == "field_added"}
    assert {"person.gender_identity", "booking.custody_level", "supervision.officer_name",
            "charge.severity_degree"} <= added
    assert "NOT compatible under FULL" in report.to_text()


def test_transitive_modes_check_the_whole_history():
    history = list(SCHEMA_VERSIONS)
    report = check_compatibility(history, SCHEMA_VERSIONS[-1], "BACKWARD_TRANSITIVE")
    assert report.old == tuple(history)
    plain = check_compatibility(history, SCHEMA_VERSIONS[-1], "BACKWARD")
    assert plain.old == (history[-1],)
    # A broken history element is caught only transitively.
    broken = _obj({"a": {"type": "string"}, "b": {"type": "string"}})
    good = _obj({"a": {"type": "string"}})
    assert check_compatibility([broken, good], good, "BACKWARD").compatible
    assert not check_compatibility([broken, good], good, "BACKWARD_TRANSITIVE").compatible


def test_modes_directions():
    assert Mode.FULL.directions == {BACKWARD, FORWARD}
    assert Mode.FORWARD_TRANSITIVE.transitive and Mode.FORWARD_TRANSITIVE.directions == {FORWARD}
    assert Mode.NONE.directions == frozenset()
    with pytest.raises(InputError, match="unknown compatibility mode 'SIDEWAYS'"):
        check_compatibility("1.0", "1.1", "SIDEWAYS")


# --- every rule fires on a deliberately broken schema ---------------------------------------------


def _obj(props: dict[str, Any], required: tuple[str, ...] = (), closed: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props, "required": list(required)}
    if closed:
        schema["additionalProperties"] = False
    return schema


def _one(leaf_old: dict[str, Any], leaf_new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    return _obj({"x": leaf_old}), _obj({"x": leaf_new})


def _arrow(*fields: pa.Field) -> pa.Schema:
    return pa.schema(list(fields))


_S = {"type": "string"}
_STRING_OR_NULL = {"anyOf": [{"type": "string"}, {"type": "null"}]}
_ARR = {"type": "array", "items": _S}

#: rule -> (old, new, the directions the finding must break)
CASES: dict[str, tuple[Any, Any, set[str]]] = {
    "field_removed": (_obj({"a": _S, "b": _S}), _obj({"a": _S}), {BACKWARD}),
    "field_added": (_obj({"a": _S}), _obj({"a": _S, "b": _S}), {FORWARD}),
    "required_field_added": (_obj({"a": _S}), _obj({"a": _S, "b": _S}, required=("b",)), {BACKWARD, FORWARD}),
    "field_made_required": (_obj({"a": _S}), _obj({"a": _S}, required=("a",)), {BACKWARD}),
    "field_made_optional": (_obj({"a": _S}, required=("a",)), _obj({"a": _S}), {FORWARD}),
    "record_closed": (_obj({"a": _S}, closed=False), _obj({"a": _S}), {BACKWARD}),
    "record_opened": (_obj({"a": _S}), _obj({"a": _S}, closed=False), {FORWARD}),
    "type_narrowed": (*_one(_STRING_OR_NULL, _S), {BACKWARD}),
    "type_widened": (*_one(_S, _STRING_OR_NULL), {FORWARD}),
    "type_changed": (*_one(_S, {"type": "integer"}), {BACKWARD, FORWARD}),
    "enum_value_removed": (*_one({"enum": ["A", "B"]}, {"enum": ["A"]}), {BACKWARD}),
    "enum_value_added": (*_one({"enum": ["A"]}, {"enum": ["A", "B"]}), {FORWARD}),
    "enum_constraint_added": (*_one(_S, {"type": "string", "enum": ["A"]}), {BACKWARD}),
    "enum_constraint_removed": (*_one({"type": "string", "enum": ["A"]}, _S), {FORWARD}),
    "pattern_added": (*_one(_S, {"type": "string", "pattern": "^[A-Z]+$"}), {BACKWARD}),
    "pattern_removed": (*_one({"type": "string", "pattern": "^[A-Z]+$"}, _S), {FORWARD}),
    "pattern_changed": (*_one({"type": "string", "pattern": "^[A-Z]+$"}, {"type": "string", "pattern": "^[0-9]+$"}),
                        {BACKWARD, FORWARD}),
    "format_changed": (*_one(_S, {"type": "string", "format": "date"}), {BACKWARD}),
    "max_length_reduced": (*_one({"type": "string", "maxLength": 10}, {"type": "string", "maxLength": 5}), {BACKWARD}),
    "max_length_increased": (*_one({"type": "string", "maxLength": 5}, {"type": "string", "maxLength": 10}), {FORWARD}),
    "min_length_increased": (*_one({"type": "string", "minLength": 1}, {"type": "string", "minLength": 2}), {BACKWARD}),
    "min_length_reduced": (*_one({"type": "string", "minLength": 2}, _S), {FORWARD}),
    "maximum_reduced": (*_one({"type": "integer", "maximum": 9}, {"type": "integer", "maximum": 5}), {BACKWARD}),
    "maximum_increased": (*_one({"type": "integer", "maximum": 5}, {"type": "integer"}), {FORWARD}),
    "minimum_increased": (*_one({"type": "integer"}, {"type": "integer", "minimum": 1}), {BACKWARD}),
    "minimum_reduced": (*_one({"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 0}), {FORWARD}),
    "max_items_reduced": (*_one({**_ARR, "maxItems": 3}, {**_ARR, "maxItems": 2}), {BACKWARD}),
    "max_items_increased": (*_one({**_ARR, "maxItems": 2}, _ARR), {FORWARD}),
    "min_items_increased": (*_one(_ARR, {**_ARR, "minItems": 1}), {BACKWARD}),
    "min_items_reduced": (*_one({**_ARR, "minItems": 1}, _ARR), {FORWARD}),
    "conditions_changed": (_obj({"a": _S}), {**_obj({"a": _S}), "allOf": [{"required": ["a"]}]}, set()),
    "entity_removed": (
        SchemaSet("old", (EntitySchemas("a", _obj({})), EntitySchemas("b", _obj({}))), complete=True),
        SchemaSet("new", (EntitySchemas("a", _obj({})),), complete=True),
        {BACKWARD},
    ),
    "entity_added": (
        SchemaSet("old", (EntitySchemas("a", _obj({})),), complete=True),
        SchemaSet("new", (EntitySchemas("a", _obj({})), EntitySchemas("b", _obj({}))), complete=True),
        {FORWARD},
    ),
    "column_removed": (_arrow(pa.field("a", pa.int32()), pa.field("b", pa.int32(), nullable=False)),
                       _arrow(pa.field("a", pa.int32())), {FORWARD}),
    "column_added": (_arrow(pa.field("a", pa.int32())),
                     _arrow(pa.field("a", pa.int32()), pa.field("b", pa.int32(), nullable=False)), {BACKWARD}),
    "column_made_non_nullable": (_arrow(pa.field("a", pa.int32())), _arrow(pa.field("a", pa.int32(), nullable=False)),
                                 {BACKWARD}),
    "column_made_nullable": (_arrow(pa.field("a", pa.int32(), nullable=False)), _arrow(pa.field("a", pa.int32())),
                             {FORWARD}),
    "arrow_type_widened": (_arrow(pa.field("a", pa.int32())), _arrow(pa.field("a", pa.int64())), {FORWARD}),
    "arrow_type_narrowed": (_arrow(pa.field("a", pa.float64())), _arrow(pa.field("a", pa.float32())), {BACKWARD}),
    "arrow_type_changed": (_arrow(pa.field("a", pa.string())), _arrow(pa.field("a", pa.int32())),
                           {BACKWARD, FORWARD}),
}


def test_every_rule_has_a_broken_schema_case():
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("rule", list(CASES))
def test_each_rule_fires_on_its_broken_schema(rule):
    old, new, breaks = CASES[rule]
    report = check_compatibility(old, new, "NONE")
    fired = [f for f in report.findings if f.rule == rule]
    assert fired, f"{rule} did not fire: {report.to_text()}"
    assert fired[0].breaks == breaks
    assert fired[0].purpose == RULES[rule].purpose
    for mode, directions in (("BACKWARD", {BACKWARD}), ("FORWARD", {FORWARD})):
        verdict = check_compatibility(old, new, mode)
        if breaks & directions:
            assert not verdict.compatible, f"{rule} should break {mode}"
    # ...and the unbroken schema raises nothing
    assert check_compatibility(old, old, "FULL").findings == ()


def test_changes_inside_nested_records_and_lists_are_found_with_their_path():
    old = _obj({"s": _obj({"code": {"enum": ["A", "B"]}}), "l": {"type": "array", "items": _obj({"n": _S})}})
    new = _obj({"s": _obj({"code": {"enum": ["A"]}}), "l": {"type": "array", "items": _obj({})}})
    found = {(f.rule, f.path) for f in check_compatibility(old, new, "BACKWARD").findings}
    assert ("enum_value_removed", "s.code") in found
    assert ("field_removed", "l[].n") in found


def test_refs_into_defs_are_followed():
    old = {**_obj({"c": {"$ref": "#/$defs/Code"}}), "$defs": {"Code": {"type": "string", "enum": ["A", "B"]}}}
    new = {**_obj({"c": {"$ref": "#/$defs/Code"}}), "$defs": {"Code": {"type": "string", "enum": ["A"]}}}
    assert [f.rule for f in check_compatibility(old, new, "BACKWARD").breaking] == ["enum_value_removed"]


def test_arrow_widening_table():
    from justice_schema.versioning.arrow_diff import widens

    assert widens(pa.int8(), pa.int64()) and widens(pa.uint16(), pa.int32()) and widens(pa.int32(), pa.float64())
    assert widens(pa.string(), pa.large_string()) and widens(pa.timestamp("s", "UTC"), pa.timestamp("us", "UTC"))
    assert widens(pa.decimal128(5, 2), pa.decimal128(7, 3))
    assert not widens(pa.int64(), pa.float64())  # 64-bit ints do not fit a double's mantissa
    assert not widens(pa.uint32(), pa.int32())
    assert not widens(pa.timestamp("us", "UTC"), pa.timestamp("us"))  # time zone dropped
    assert not widens(pa.timestamp("us", "UTC"), pa.timestamp("ns", "UTC"))  # range shrinks


def test_nested_arrow_changes_report_the_child_path():
    old = _arrow(pa.field("s", pa.struct([pa.field("a", pa.int32()), pa.field("b", pa.string())])),
                 pa.field("l", pa.list_(pa.int32())))
    new = _arrow(pa.field("s", pa.struct([pa.field("a", pa.string())])), pa.field("l", pa.large_list(pa.int64())))
    found = {(f.rule, f.path) for f in check_compatibility(old, new, "NONE").findings}
    assert {("arrow_type_changed", "s.a"), ("column_removed", "s.b"), ("arrow_type_widened", "l"),
            ("arrow_type_widened", "l[]")} <= found


# --- a vendor's extended schema, from values and files ----------------------------------------------


def test_a_vendor_extension_of_a_published_schema_is_vetted(tmp_path):
    from justice_schema import arrow_schema, json_schema

    vendor = json.loads(json.dumps(json_schema("booking", "1.1")))
    vendor["$id"] = "https://acme.example/schemas/booking.schema.json"
    vendor["properties"]["acme_cell_block"] = {"type": "string", "maxLength": 8}
    vendor["properties"]["release_reason"] = {"type": ["string", "null"]}  # codes loosened to free text
    path = tmp_path / "booking.schema.json"
    path.write_text(json.dumps(vendor))
    report = check_compatibility("1.1", path, "BACKWARD")
    assert report.new == str(path)
    rules = {(f.rule, f.path) for f in report.findings}
    assert ("field_added", "acme_cell_block") in rules
    assert ("enum_constraint_removed", "release_reason") in rules
    assert report.compatible  # only the booking entity is compared; additions are backward compatible
    # the same vendor schema as an Arrow IPC file and a JSON description
    schema = arrow_schema("booking", "1.1").append(pa.field("acme_cell_block", pa.string()))
    with pa.OSFile(str(tmp_path / "booking.arrow"), "wb") as sink, pa.ipc.new_stream(sink, schema):
        pass
    (tmp_path / "booking.arrow.json").write_text(json.dumps(arrow_schema_to_dict(schema)))
    for name in ("booking.arrow", "booking.arrow.json"):
        found = check_compatibility("1.1", tmp_path / name, "FULL").findings
        assert [(f.rule, f.path) for f in found] == [("column_added", "acme_cell_block")]


def test_arrow_description_round_trips():
    from justice_schema import ENTITY_TYPES, arrow_schema

    for entity in ENTITY_TYPES:
        schema = arrow_schema(entity, SCHEMA_VERSIONS[-1])
        assert arrow_schema_from_dict(json.loads(json.dumps(arrow_schema_to_dict(schema)))).equals(
            schema, check_metadata=True
        )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("9.9", "schema version '9.9' is not shipped by this release"),
        ("no/such/file.schema.json", "no such file or folder"),
        (42, "cannot read schemas from a int"),
    ],
)
def test_unreadable_sources_are_clear_errors(source, message):
    with pytest.raises(InputError, match=message):
        load_schema_set(source)


def test_bad_files_name_the_file(tmp_path):
    bad = tmp_path / "x.schema.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match=r"x\.schema\.json: not valid JSON"):
        check_compatibility("1.0", bad)
    odd = tmp_path / "y.schema.json"
    odd.write_text("[1, 2]")
    with pytest.raises(InputError, match="y.schema.json: expected a JSON object"):
        check_compatibility("1.0", odd)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="folder holds no"):
        check_compatibility("1.0", tmp_path / "empty")
    arrow = tmp_path / "z.arrow"
    arrow.write_bytes(b"not arrow")
    with pytest.raises(InputError, match="z.arrow: not an Arrow IPC"):
        check_compatibility("1.0", arrow)


def test_report_serialises_and_the_catalogue_renders():
    report = check_compatibility("1.0", "1.1", "FULL")
    doc = json.loads(json.dumps(report.to_dict()))
    assert doc["compatible"] is False and doc["breaking"] == len(report.breaking)
    assert {f["rule"] for f in doc["findings"]} <= set(RULES)
    text = rules_rst()
    assert all(f"``{code}``" in text for code in RULES)


# --- properties ------------------------------------------------------------------------------------

_NAMES = st.text(alphabet="abcdefghij_", min_size=1, max_size=6)
_LEAVES = st.one_of(
    st.builds(lambda n: {"type": "string", "maxLength": n}, st.integers(1, 50)),
    st.builds(lambda p: {"type": "string", "pattern": p}, st.sampled_from(["^[A-Z]+$", "^\\d{4}$"])),
    st.builds(lambda lo, hi: {"type": "integer", "minimum": lo, "maximum": lo + hi}, st.integers(-5, 5), st.integers(0, 9)),
    st.builds(lambda vs: {"enum": sorted(vs)}, st.sets(st.sampled_from("ABCDEF"), min_size=1)),
    st.just({"type": "boolean"}),
    st.builds(lambda n: {"anyOf": [{"type": "string", "maxLength": n}, {"type": "null"}]}, st.integers(1, 9)),
)


@st.composite
def record_schemas(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    leaves = _LEAVES if depth >= 1 else st.one_of(_LEAVES, st.deferred(lambda: record_schemas(depth + 1)))
    props = draw(st.dictionaries(_NAMES, leaves, max_size=5))
    required = draw(st.sets(st.sampled_from(sorted(props)))) if props else set()
    return _obj(props, tuple(sorted(required)), closed=draw(st.booleans()))


@given(record_schemas())
def test_property_a_frozen_schema_never_changes(schema):
    """A schema compared with an exact copy of itself (as a frozen file is) has no findings in any mode."""
    copy = json.loads(json.dumps(schema))
    for mode in Mode:
        report = check_compatibility(schema, copy, mode)
        assert report.findings == () and report.compatible


@given(record_schemas(), st.dictionaries(_NAMES.map(lambda n: f"new_{n}"), _LEAVES, min_size=1, max_size=3))
def test_property_adding_optional_fields_is_backward_compatible(schema, extra):
    new = {**schema, "properties": {**schema["properties"], **extra}}
    report = check_compatibility(schema, new, "BACKWARD_TRANSITIVE")
    assert report.compatible, report.to_text()
    assert {f.rule for f in report.findings} == {"field_added"}
    # ...and FORWARD compatible exactly when the old record was open
    assert check_compatibility(schema, new, "FORWARD").compatible == (schema.get("additionalProperties") is not False)


@given(record_schemas(), st.data())
def test_property_removing_a_required_field_breaks_forward(schema, data):
    if not schema["required"]:
        return
    name = data.draw(st.sampled_from(schema["required"]))
    new = {**schema, "properties": {k: v for k, v in schema["properties"].items() if k != name},
           "required": [r for r in schema["required"] if r != name]}
    report = check_compatibility(schema, new, "FORWARD")
    assert not report.compatible
    assert ("field_removed", name) in {(f.rule, f.path) for f in report.breaking}


def test_support_matrix_covers_every_shipped_version():
    from justice_schema import CURRENT_SCHEMA_VERSION
    from justice_schema.versioning import SUPPORT, status_of, support_matrix_rst

    assert [s.version for s in SUPPORT] == list(SCHEMA_VERSIONS)
    assert [s.version for s in SUPPORT if s.status == "current"] == [CURRENT_SCHEMA_VERSION]
    assert status_of("1.0") == "supported"
    assert all(f"   * - {v}" in support_matrix_rst() for v in SCHEMA_VERSIONS)


def _mutations_of_published(entity: str, version: str) -> list[tuple[str, Any]]:
    """Narrowing edits of a real published schema, each of which old data could violate."""
    from justice_schema.schema_json import published_json_schema

    schema = published_json_schema(entity, version)
    out: list[tuple[str, Any]] = []
    for name in schema["properties"]:
        if name not in ("entity_type", "schema_version"):
            out.append(("field_removed", name))
    for name, definition in schema.get("$defs", {}).items():
        if len(definition.get("enum", [])) > 1:
            out.append(("enum_value_removed", name))
    for name, prop in schema["properties"].items():
        if "maxLength" in json.dumps(prop):
            out.append(("max_length_reduced", name))
    return out


def _apply(schema: dict[str, Any], rule: str, target: str) -> dict[str, Any]:
    schema = json.loads(json.dumps(schema))
    if rule == "field_removed":
        del schema["properties"][target]
        schema["required"] = [r for r in schema.get("required", []) if r != target]
    elif rule == "enum_value_removed":
        schema["$defs"][target]["enum"] = schema["$defs"][target]["enum"][1:]
    else:
        def shrink(node: Any) -> None:
            if isinstance(node, dict):
                if "maxLength" in node:
                    node["maxLength"] = max(node["maxLength"] - 1, 0)
                for value in node.values():
                    shrink(value)
            elif isinstance(node, list):
                for value in node:
                    shrink(value)
        shrink(schema["properties"][target])
    return schema


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
@given(data=st.data())
def test_property_narrowing_a_published_schema_is_caught(version, data):
    """Any of these edits to a frozen file would refuse data valid under it: the checker says so."""
    from justice_schema.registry import entity_types
    from justice_schema.schema_json import published_json_schema

    entity = data.draw(st.sampled_from(entity_types(version)))
    rule, target = data.draw(st.sampled_from(_mutations_of_published(entity, version)))
    broken = _apply(published_json_schema(entity, version), rule, target)
    report = check_compatibility({entity: published_json_schema(entity, version)}, {entity: broken}, "BACKWARD")
    assert not report.compatible
    assert rule in {f.rule for f in report.breaking}, report.to_text()
