"""One condition language: a spec's ``when`` and a validation rule's condition are the same thing.

A condition tree is generated, written once as a translator spec condition (TOML) and once
as a rule condition (``validation.expr`` nodes), and evaluated on the same generated rows:
the spec through the translation compiler, the rule through both validation engines. All
three must agree, unknowns included, with a row-by-row reference of three-valued logic.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.translation import load_spec_text
from justice_schema.translation.compiler import compile_spec
from justice_schema.translation.context import EvalContext
from justice_schema.translation.expressions import StepScope
from justice_schema.validation import expr as cond
from tests.translate.helpers import spec_text

TEXTS = ["A", "B", "AB", "7", "x y"]
#: Text columns a and b, whole-number column n (text in the source, int64 in the canonical table).
COLUMNS = {"a": "text", "b": "text", "n": "int"}

_text_leaf = st.one_of(
    st.tuples(st.just("equals"), st.sampled_from(["a", "b"]), st.sampled_from(TEXTS + [7])),
    st.tuples(st.sampled_from(["in", "not_in"]), st.sampled_from(["a", "b"]),
              st.lists(st.sampled_from(TEXTS), min_size=1, max_size=3).map(tuple)),
    st.tuples(st.just("in"), st.sampled_from(["a", "b"]), st.lists(st.integers(6, 8), min_size=1, max_size=2)
              .map(tuple)),  # numbers against text: the literals are compared as the values' type (text)
    st.tuples(st.just("matches"), st.sampled_from(["a", "b", "n"]), st.sampled_from(["^A", "B$", "[0-9]", " "])),
)
_int_leaf = st.one_of(
    st.tuples(st.just("equals"), st.just("n"), st.integers(0, 3)),
    st.tuples(st.sampled_from(["in", "not_in"]), st.just("n"), st.lists(st.integers(0, 3), min_size=1,
                                                                         max_size=2).map(tuple)),
)
_null_leaf = st.tuples(st.just("is_null"), st.sampled_from(sorted(COLUMNS)), st.booleans())
_leaf = st.one_of(_text_leaf, _int_leaf, _null_leaf).map(lambda t: ("test",) + t)
TREES = st.recursive(_leaf, lambda inner: st.one_of(
    st.tuples(st.sampled_from(["all", "any"]), st.lists(inner, min_size=1, max_size=3).map(tuple)),
    st.tuples(st.just("not"), inner),
), max_leaves=6)

ROWS = st.lists(st.fixed_dictionaries({
    "a": st.one_of(st.none(), st.sampled_from(TEXTS)),
    "b": st.one_of(st.none(), st.sampled_from(TEXTS)),
    "n": st.one_of(st.none(), st.integers(0, 3)),
}), min_size=1, max_size=25)


# -- the two surfaces ---------------------------------------------------------------------------

def spec_form(tree: tuple[Any, ...]) -> dict[str, Any]:
    """The condition as a spec's TOML table."""
    if tree[0] == "test":
        _, op, column, operand = tree
        value: Any = {"int": column} if COLUMNS[column] == "int" else column
        return {"test": value, op: list(operand) if isinstance(operand, tuple) else operand}
    if tree[0] == "not":
        return {"not": spec_form(tree[1])}
    return {tree[0]: [spec_form(part) for part in tree[1]]}


def rule_form(tree: tuple[Any, ...]) -> cond.Expr:
    """The condition as a rule writes it in Python."""
    if tree[0] == "test":
        _, op, column, operand = tree
        field = cond.F(column)
        same_type = isinstance(operand, str) == (COLUMNS[column] == "text")
        if op == "equals":
            return cond.Eq(field, cond.Lit(operand)) if same_type else cond.In(field, {operand})
        return {"in": lambda: cond.In(field, set(operand)), "not_in": lambda: cond.NotIn(field, set(operand)),
                "is_null": lambda: cond.IsNull(field) if operand else cond.IsSet(field),
                "matches": lambda: cond.Matches(field, operand)}[op]()
    if tree[0] == "not":
        return cond.Not(rule_form(tree[1]))
    parts = [rule_form(part) for part in tree[1]]
    return cond.And(*parts) if tree[0] == "all" else cond.Or(*parts)


def toml_inline(value: Any) -> str:
    """A value as TOML inline text (tables, arrays, strings, integers, booleans)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_inline(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


# -- the reference: three-valued logic, row by row ----------------------------------------------

def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def reference(tree: tuple[Any, ...], row: dict[str, Any]) -> bool | None:
    """Kleene logic on one row: a test of a missing value is unknown (None), except is_null."""
    if tree[0] == "test":
        _, op, column, operand = tree
        value = row[column]
        if op == "is_null":
            return (value is None) == operand
        if value is None:
            return None
        if op == "matches":
            return re.search(operand, _text(value)) is not None
        wanted = operand if isinstance(operand, tuple) else (operand,)
        # the literals take the values' type: text columns compare text, the number column numbers
        hit = _text(value) in {_text(w) for w in wanted} if COLUMNS[column] == "text" else value in wanted
        return hit if op != "not_in" else not hit
    if tree[0] == "not":
        inner = reference(tree[1], row)
        return None if inner is None else not inner
    values = [reference(part, row) for part in tree[1]]
    decisive = tree[0] != "all"  # all: one false decides; any: one true
    if decisive in values:
        return decisive
    return None if None in values else not decisive


def spec_condition(tree: tuple[Any, ...]) -> Any:
    body = f"""
[[entity]]
type = "person"
when = {toml_inline(spec_form(tree))}
id = {{ id = ["a"], prefix = "p" }}
[entity.fields]
family_name = "b"
"""
    return compile_spec(load_spec_text(spec_text(body))).entities[0].when


@settings(max_examples=60, deadline=None)
@given(tree=TREES, rows=ROWS)
def test_spec_and_rule_forms_of_a_condition_agree(tree: tuple[Any, ...], rows: list[dict[str, Any]]) -> None:
    expected = [reference(tree, row) for row in rows]

    # the rule, in the columnar engine (canonical table: n is a number) and the per-record engine
    canonical = pa.RecordBatch.from_pylist(rows, schema=pa.schema([("a", pa.string()), ("b", pa.string()),
                                                                   ("n", pa.int64())]))
    rule = rule_form(tree)
    arrow_rule = rule.arrow(cond.ArrowScope(canonical, date.today()))
    assert arrow_rule.to_pylist() == expected
    assert [rule.py(cond.PyScope(row, row, date.today())) for row in rows] == expected

    # the spec, compiled from TOML, on the source rows (all text, as a reader gives them)
    source = pa.table({name: [None if row[name] is None else str(row[name]) for row in rows] for name in COLUMNS})
    ctx = EvalContext(source, pa.array(range(len(rows)), pa.int64()), "default", [], {}, Counter())
    when = spec_condition(tree)
    assert when.expr.arrow(StepScope(ctx)).to_pylist() == expected
    # a spec takes a row only where its condition is true (unknown is not taken)
    assert when.mask(ctx).to_pylist() == pc.fill_null(arrow_rule, False).to_pylist()


def test_not_of_a_missing_value_is_unknown_in_both_forms() -> None:
    """The documented choice: ``not`` does not turn a test of a missing value into true."""
    tree = ("not", ("test", "equals", "a", "D"))
    rows = [{"a": None, "b": None, "n": None}, {"a": "D", "b": None, "n": None}, {"a": "E", "b": None, "n": None}]
    source = pa.table({"a": [None, "D", "E"], "b": [None] * 3, "n": [None] * 3}, schema=pa.schema(
        [("a", pa.string()), ("b", pa.string()), ("n", pa.string())]))
    ctx = EvalContext(source, pa.array(range(3), pa.int64()), "default", [], {}, Counter())
    assert spec_condition(tree).mask(ctx).to_pylist() == [False, False, True]
    assert [rule_form(tree).py(cond.PyScope(r, r, date.today())) for r in rows] == [None, False, True]
