"""The registry of expression kinds is the one place a kind is declared.

Everything else is held to it: the published JSON Schema, the generated catalogue, the
hand-written reference (``docs/mapping-spec.rst``), the compiler's dispatch and its error
for an unknown kind, and a working sample spec per kind (``kind_samples.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.translation import SpecError, Translator, conditions, kinds, load_spec
from justice_schema.translation.docs import translator_catalogue_rst
from justice_schema.translation.kinds import MODIFIERS, get_kind, kind_names, names_a_kind
from justice_schema.translation.spec_schema import (
    EXPRESSION_KINDS,
    build_spec_json_schema,
    render_spec_json_schema,
    spec_json_schema,
)
from tests.translate.helpers import STAMP, spec_text
from tests.translate.kind_samples import (
    CONDITION_SAMPLES,
    CSV,
    SAMPLES,
    condition_body,
    sample_body,
    sample_toml,
)

REFERENCE = Path(__file__).parents[2] / "docs" / "mapping-spec.rst"
NAMES = kind_names()


def _branches() -> dict[str, dict]:
    """The published expression schema's branch per kind (``if`` it names the kind, ``then`` ...)."""
    branches = spec_json_schema()["$defs"]["expression"]["anyOf"][1]["allOf"]
    return {branch["if"]["required"][0]: branch["then"] for branch in branches}


def _expression_validator() -> jsonschema.Draft202012Validator:
    schema = spec_json_schema()
    return jsonschema.Draft202012Validator({**schema["$defs"]["expression"], "$defs": schema["$defs"]})


def test_the_registry_has_the_kinds_of_language_version_1_in_documented_order() -> None:
    assert NAMES == ("column", "const", "concat", "coalesce", "name", "date", "datetime", "local_date", "map",
                     "lookup", "if", "transform", "id", "int", "number", "bool", "regex", "index", "split",
                     "source", "param", "rank", "classify_offense")
    assert tuple(kind.name for kind in kinds.kinds()) == NAMES
    assert tuple(EXPRESSION_KINDS) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_kind_is_in_the_published_json_schema(name: str) -> None:
    kind = get_kind(name)
    assert kind is not None
    branch = _branches()[name]
    assert list(branch["properties"]) == [*kind.options, *MODIFIERS]
    assert branch["required"] == [name, *kind.required]
    assert branch["additionalProperties"] is False
    # The kind's key carries its one-line doc (an editor shows it), in plain text.
    assert branch["properties"][name]["description"] == kind.doc.replace("``", "`")
    assert "``" not in render_spec_json_schema()


def test_the_published_schema_file_is_the_builders_text() -> None:
    from importlib import resources

    published = resources.files("justice_schema.translation").joinpath("mapping-spec.schema.json")
    assert published.read_text(encoding="utf-8") == render_spec_json_schema()
    assert set(_branches()) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_kind_is_in_the_generated_catalogue(name: str) -> None:
    kind = get_kind(name)
    assert kind is not None
    page = translator_catalogue_rst()
    row = page.split(f"   * - ``{name}``\n", 1)[1].split("   * - ", 1)[0]
    for option in kind.options:
        assert f"``{option}`` (" in row
    for option in kind.required:
        assert re.search(rf"``{option}`` \([^)]*, required\)", row), row
    assert kind.doc in row


def _reference_section(title: str) -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index(f"\n{title}\n{'-' * len(title)}\n")
    end = text.index("\n----", start + len(title) + 2 * len(title) + 3)
    return text[start:text.rindex("\n", 0, end)]


def test_the_reference_describes_exactly_the_registered_kinds() -> None:
    """docs/mapping-spec.rst has a term per kind (``int``, ``number`` may share one), and no stale ones."""
    section = _reference_section("Expressions")
    # a definition-list term is a line of literals only, its definition indented below it
    terms = re.findall(r"^((?:``[a-z_]+``(?:, )?)+)\n {4}\S", section, re.MULTILINE)
    described = {name for term in terms for name in re.findall(r"``([a-z_]+)``", term)}
    assert described == set(NAMES)


def test_the_reference_lists_the_parsing_kinds_of_the_registry() -> None:
    text = " ".join(REFERENCE.read_text(encoding="utf-8").split())
    listed = re.search(r"On a parsing kind \(([^)]*)\)", text)
    assert listed is not None
    assert set(re.findall(r"``([a-z_]+)``", listed.group(1))) == {k.name for k in kinds.kinds() if k.parses}


def test_every_registered_kind_has_a_sample() -> None:
    assert set(SAMPLES) == set(NAMES), "register a sample in tests/translate/kind_samples.py for each kind"
    for name, sample in SAMPLES.items():
        assert [key for key in sample_toml(sample.alone) if key in NAMES] == [name]


@pytest.mark.parametrize("name", NAMES)
def test_every_kind_compiles_through_the_registry_and_runs(name: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    sample = SAMPLES[name]
    kind = get_kind(name)
    assert kind is not None
    calls: list[str] = []

    def counted(context, node, key, label):  # type: ignore[no-untyped-def]
        calls.append(label)
        return kind.compile(context, node, key, label)

    monkeypatch.setitem(kinds._KINDS, name, attrs.evolve(kind, compile=counted))
    (tmp_path / "spec.toml").write_text(spec_text(sample_body(sample)), encoding="utf-8")
    (tmp_path / "in.csv").write_text(CSV, encoding="utf-8")
    result = Translator(load_spec(tmp_path / "spec.toml"), extracted_at=STAMP).translate([tmp_path / "in.csv"])
    assert f"{sample.entity}.{sample.field}" in calls
    assert result.reconciliation.balanced
    assert result.rejects.num_rows == 0, result.rejects.to_pylist()
    assert result.tables[sample.entity].column(sample.field).to_pylist() == [sample.expected]


def test_an_unknown_kind_lists_every_registered_kind(tmp_path: Path) -> None:
    sample = SAMPLES["column"]
    for expression, found in (('{ colum = "NAME" }', "none"), ('{ column = "NAME", const = "x" }',
                                                              "['column', 'const']")):
        (tmp_path / "spec.toml").write_text(spec_text(sample_body(sample, expression)), encoding="utf-8")
        with pytest.raises(SpecError) as caught:
            Translator(load_spec(tmp_path / "spec.toml"))
        assert caught.value.key == "entity[0].fields.description"
        assert caught.value.problem == (f"an expression names exactly one kind of value ({', '.join(NAMES)}); "
                                        f"found {found}")


def test_a_table_naming_no_kind_is_a_group_of_fields_not_an_expression() -> None:
    assert names_a_kind({"date": "D", "formats": []})
    assert names_a_kind({"trim": False, "column": "X"})
    assert not names_a_kind({"line1": "Street", "city": "City"})
    assert not names_a_kind({"trim": True})
    assert not names_a_kind("date")


def test_the_registry_refuses_a_kind_declared_inconsistently() -> None:
    def compile_nothing(context, node, key, label):  # type: ignore[no-untyped-def]
        raise AssertionError("never compiled")

    before = kinds.kinds()
    with pytest.raises(ValueError, match="registered twice"):
        kinds._kind("date", {"date": {}}, "again")(compile_nothing)
    with pytest.raises(ValueError, match="own key comes first"):
        kinds._kind("upper", {"sep": {}, "upper": {}}, "x")(compile_nothing)
    with pytest.raises(ValueError, match="required options"):
        kinds._kind("upper", {"upper": {}}, "x", required=("sep",))(compile_nothing)
    with pytest.raises(ValueError, match="modifiers"):
        kinds._kind("upper", {"upper": {}, "default": {}}, "x")(compile_nothing)
    assert kinds.kinds() == before


def test_option_schemas_handed_out_are_copies() -> None:
    kind = get_kind("date")
    assert kind is not None
    schemas = kind.property_schemas()
    schemas["formats"]["minItems"] = 0
    schemas["date"]["description"] = "changed"
    assert build_spec_json_schema() == spec_json_schema()


# -- invariants of the schema built from the registry ------------------------------------------------

_OPTION_NAMES = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)
_MODIFIER_VALUES = st.fixed_dictionaries({}, optional={
    "trim": st.booleans(),
    "case": st.sampled_from(["upper", "lower", "title"]),
    "null_if": st.lists(st.text(max_size=5), max_size=3),
    "default": st.one_of(st.text(max_size=5), st.integers(-5, 5), st.booleans()),
})


@given(name=st.sampled_from(NAMES), extra=_OPTION_NAMES)
def test_a_key_that_is_neither_an_option_nor_a_modifier_is_refused(name: str, extra: str) -> None:
    kind = get_kind(name)
    assert kind is not None
    node = sample_toml(SAMPLES[name].alone)
    if extra in kind.options or extra in MODIFIERS or get_kind(extra) is not None:
        return
    errors = list(_expression_validator().iter_errors({**node, extra: 1}))
    assert errors
    assert any(f"'{extra}' was unexpected" in e.message for error in errors for e in [error, *error.context])


@given(name=st.sampled_from(NAMES), modifiers=_MODIFIER_VALUES)
def test_every_kind_takes_every_modifier(name: str, modifiers: dict) -> None:
    node = sample_toml(SAMPLES[name].alone)
    assert list(_expression_validator().iter_errors({**node, **modifiers})) == []


@given(name=st.sampled_from([k.name for k in kinds.kinds() if k.required]), data=st.data())
def test_leaving_out_a_required_option_is_refused(name: str, data: st.DataObject) -> None:
    kind = get_kind(name)
    assert kind is not None
    missing = data.draw(st.sampled_from(kind.required))
    node = sample_toml(SAMPLES[name].alone)
    node.pop(missing, None)
    messages = [e.message for error in _expression_validator().iter_errors(node) for e in [error, *error.context]]
    assert f"'{missing}' is a required property" in messages


# -- the condition registry ------------------------------------------------------------------------------

CONDITION_NAMES = tuple(op.name for op in conditions.operators()) + tuple(c.name for c in conditions.combinators())


def test_the_condition_registry_has_the_operators_and_combinators_of_version_1() -> None:
    assert CONDITION_NAMES == ("equals", "in", "not_in", "is_null", "matches", "all", "any", "not")
    assert set(CONDITION_SAMPLES) == set(CONDITION_NAMES), "add a sample to CONDITION_SAMPLES for each"


def test_every_condition_is_in_the_published_json_schema() -> None:
    branches = spec_json_schema()["$defs"]["condition"]["oneOf"]
    test = branches[0]["properties"]
    assert list(test) == ["test", *(op.name for op in conditions.operators())]
    for op in conditions.operators():
        assert test[op.name]["description"] == op.doc.replace("``", "`")
    assert [list(b["required"]) for b in branches[1:]] == [[c.name] for c in conditions.combinators()]
    for branch, combinator in zip(branches[1:], conditions.combinators(), strict=True):
        assert branch["properties"][combinator.name]["description"] == combinator.doc


def test_every_condition_is_in_the_catalogue_and_the_reference() -> None:
    page = translator_catalogue_rst()
    section = _reference_section("Conditions")
    for name in CONDITION_NAMES:
        assert f"   * - ``{name}``\n" in page
        assert re.search(rf"\b{name} =", section), f"docs/mapping-spec.rst does not show {name} = ..."


@pytest.mark.parametrize("name", CONDITION_NAMES)
def test_every_condition_compiles_and_runs(name: str, tmp_path: Path) -> None:
    condition, holds = CONDITION_SAMPLES[name]
    (tmp_path / "spec.toml").write_text(spec_text(condition_body(condition)), encoding="utf-8")
    (tmp_path / "in.csv").write_text(CSV, encoding="utf-8")
    result = Translator(load_spec(tmp_path / "spec.toml"), extracted_at=STAMP).translate([tmp_path / "in.csv"])
    assert result.tables["charge"].column("description").to_pylist() == ["yes" if holds else "no"]


_CELLS = st.lists(st.one_of(st.none(), st.sampled_from(["A", "B", "AB", "ba", "7"])), max_size=12)


def _reference(op: str, value: str | None, operand: object) -> bool:
    """The operator on one value, written row by row (a null tests unknown, which a condition counts as false; is_null never is)."""
    if op == "is_null":
        return (value is None) == operand
    if value is None:
        return False
    if op == "equals":
        return value == operand
    if op == "in":
        return value in operand  # type: ignore[operator]
    if op == "not_in":
        return value not in operand  # type: ignore[operator]
    return re.search(str(operand), value) is not None


_OPERANDS = {
    "equals": st.sampled_from(["A", "AB", "7", "C"]),
    "in": st.lists(st.sampled_from(["A", "AB", "7", "C"]), min_size=1, max_size=3),
    "not_in": st.lists(st.sampled_from(["A", "AB", "7", "C"]), min_size=1, max_size=3),
    "is_null": st.booleans(),
    "matches": st.sampled_from(["^A", "B$", "[0-9]", "b"]),
}


@given(values=_CELLS, data=st.data())
def test_every_operator_agrees_with_a_row_by_row_reference(values: list[str | None], data: st.DataObject) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    op = data.draw(st.sampled_from([o.name for o in conditions.operators()]))
    operand = data.draw(_OPERANDS[op])
    operator = conditions.get_operator(op)
    assert operator is not None
    # the operator is a node of the one condition language: run it as a rule, in both engines
    from datetime import date

    from justice_schema.validation.expr import ArrowScope, F, PyScope

    node = operator.build(F("v"), operand)
    batch = pa.record_batch({"v": pa.array(values, pa.string())})
    mask = pc.fill_null(node.arrow(ArrowScope(batch, date.today())), False).to_pylist()
    assert mask == [_reference(op, v, operand) for v in values]
    assert [node.py(PyScope({"v": v}, {"v": v}, date.today())) is True for v in values] == mask
