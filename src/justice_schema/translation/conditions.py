"""The registry of conditions of the mapping language: test operators and combinators.

A condition (``when``, ``if``) is either a test of one expression with exactly one
**operator** (``{ test = "Col", in = ["A", "B"] }``) or a **combinator** of other
conditions (``{ all = [...] }``). Each is registered here once, with the JSON Schema of its
operand (with a description), a one-line doc and what it does: an operator's *build*
function (the tested value and the operand to a node of the condition language) or a
combinator's compile function.

This is a thin parser: the conditions themselves are the one condition language of the
library (:mod:`justice_schema.validation.expr`), which the validation rules are written
in too, with its three-valued null logic (a test of a null value is unknown, except
``is_null``; a row is taken only where the condition is true).
The condition part of the published JSON Schema, the compiler and the generated catalogue
are derived from this module, as the expression kinds are from
:mod:`~justice_schema.translation.kinds`.

To add an operator, give the condition language the node it needs (``validation/expr.py``,
both engines) and register it below; describe it in the *Conditions* section of
``docs/mapping-spec.rst`` (``tests/translate/test_kinds.py`` checks).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from justice_schema.translation.expressions import Condition, Step, StepValue
from justice_schema.translation.kinds import CONDITION_REF, EXPRESSION_REF, KindContext
from justice_schema.validation import expr as cond

__all__ = ["Combinator", "Operator", "combinators", "compile_condition", "condition_schema", "get_operator",
           "make_test", "operators"]

_SCALAR: dict[str, Any] = {"type": ["string", "integer", "number", "boolean"]}
#: An operator's build function: the tested value and the operand to a node of the condition language.
Build = Callable[[cond.Expr, Any], cond.Expr]
#: A combinator's compile function: ``(context, spec table, key, label) -> condition``.
CombinatorCompile = Callable[[KindContext, Mapping[str, Any], tuple[Any, ...], str], Condition]


@attrs.frozen(slots=True)
class Operator:
    """An operator of ``{ test = expr, <name> = operand }``: the operand's JSON Schema and the node it builds."""

    name: str
    operand: Mapping[str, Any] = attrs.field(repr=False)
    doc: str
    build: Build = attrs.field(repr=False)


@attrs.frozen(slots=True)
class Combinator:
    """A condition made of others (``all``, ``any``, ``not``): its value's JSON Schema and compile function."""

    name: str
    schema: Mapping[str, Any] = attrs.field(repr=False)
    doc: str
    compile: CombinatorCompile = attrs.field(repr=False)


def _plain(rst: str) -> str:
    return rst.replace("``", "`")


_OPERATORS: dict[str, Operator] = {}
_COMBINATORS: dict[str, Combinator] = {}


def _operator(name: str, operand: Mapping[str, Any], doc: str, build: Build) -> None:
    if name in _OPERATORS or name in _COMBINATORS or name == "test":
        raise ValueError(f"condition operator {name!r} is registered twice")
    _OPERATORS[name] = Operator(name, MappingProxyType({**operand, "description": _plain(doc)}), doc, build)


def _combinator(name: str, schema: Mapping[str, Any], doc: str) -> Callable[[CombinatorCompile], CombinatorCompile]:
    def register(function: CombinatorCompile) -> CombinatorCompile:
        if name in _OPERATORS or name in _COMBINATORS or name == "test":
            raise ValueError(f"condition combinator {name!r} is registered twice")
        _COMBINATORS[name] = Combinator(name, MappingProxyType({**schema, "description": _plain(doc)}), doc,
                                        function)
        return function

    return register


def operators() -> tuple[Operator, ...]:
    """Every test operator, in the documented order."""
    return tuple(_OPERATORS.values())


def combinators() -> tuple[Combinator, ...]:
    """Every combinator, in the documented order."""
    return tuple(_COMBINATORS.values())


def get_operator(name: str) -> Operator | None:
    """The test operator called ``name``, or ``None``."""
    return _OPERATORS.get(name)


def make_test(value: Step, op: str, operand: Any) -> Condition:
    """The condition ``{ test = value, <op> = operand }`` (``op`` a registered operator)."""
    return Condition(_OPERATORS[op].build(StepValue(value), operand))


def compile_condition(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Condition:
    """Compile a checked condition table: a combinator's, or a test with its one operator."""
    for combinator in _COMBINATORS.values():
        if combinator.name in node:
            return combinator.compile(context, node, key, label)
    (op,) = [k for k in node if k != "test"]
    return make_test(context.expr(node["test"], key + ("test",), label), op, node[op])


def condition_schema() -> dict[str, Any]:
    """The ``condition`` definition of the spec language's JSON Schema, built from the registry."""
    tests = {op.name: copy.deepcopy(dict(op.operand)) for op in _OPERATORS.values()}
    # Each branch says "type": "object" too: otherwise a non-table (``not = []``) is valid under
    # every branch and the error is a dump of the whole oneOf instead of "is not of type 'object'".
    branches: list[dict[str, Any]] = [
        {"type": "object", "required": ["test"], "properties": {"test": dict(EXPRESSION_REF), **tests},
         "additionalProperties": False, "minProperties": 2, "maxProperties": 2}]
    branches += [{"type": "object", "required": [c.name], "properties": {c.name: copy.deepcopy(dict(c.schema))},
                  "additionalProperties": False} for c in _COMBINATORS.values()]
    return {
        "description": f"A test on a value ({{test = expr, {'|'.join(_OPERATORS)} = ...}}) or "
                       f"{'/'.join(_COMBINATORS)}.",
        "type": "object",
        "oneOf": branches,
    }


# -- the operators and combinators, in the documented order -------------------------------------------

_operator("equals", _SCALAR, "Equal to a value (text, number or boolean).",
          lambda value, operand: cond.In(value, frozenset([operand])))
_operator("in", {"type": "array", "items": _SCALAR}, "One of the values.",
          lambda value, operand: cond.In(value, frozenset(operand)))
_operator("not_in", {"type": "array", "items": _SCALAR}, "None of the values (a null is in neither).",
          lambda value, operand: cond.NotIn(value, frozenset(operand)))
_operator("is_null", {"type": "boolean"}, "Null (``true``) or present (``false``).",
          lambda value, operand: cond.IsNull(value) if operand else cond.IsSet(value))
_operator("matches", {"type": "string"}, "An RE2 regex search of the value's text.",
          lambda value, operand: cond.Matches(value, operand))


def _parts(context: KindContext, node: Mapping[str, Any], name: str, key: tuple[Any, ...],
           label: str) -> tuple[cond.Expr, ...]:
    return tuple(context.condition(c, key + (name, i), label).expr for i, c in enumerate(node[name]))


@_combinator("all", {"type": "array", "items": dict(CONDITION_REF), "minItems": 1}, "Every condition holds.")
def _all(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Condition:
    return Condition(cond.And(*_parts(context, node, "all", key, label)))


@_combinator("any", {"type": "array", "items": dict(CONDITION_REF), "minItems": 1},
             "At least one condition holds.")
def _any(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Condition:
    return Condition(cond.Or(*_parts(context, node, "any", key, label)))


@_combinator("not", dict(CONDITION_REF), "The condition does not hold.")
def _not(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Condition:
    return Condition(cond.Not(context.condition(node["not"], key + ("not",), label).expr))
