"""Generated documentation pages of the translators (called from ``docs/conf.py`` at build time)."""

from __future__ import annotations

import json
from typing import Any

from justice_schema._toolkit.rst import list_table
from justice_schema.translation.conditions import combinators, operators
from justice_schema.translation.kinds import MODIFIERS, Kind, kinds

__all__ = ["translator_catalogue_rst"]


def _describe(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_describe(option) for option in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    kind = schema.get("type")
    if kind == "array":
        return f"array of {_describe(schema.get('items', {}))}"
    if isinstance(kind, list):
        return " | ".join(kind)
    return str(kind or "any")


def translator_catalogue_rst() -> str:
    """The built-in translators, the expression kinds and the conditions of the mapping language, as RST."""
    from justice_schema.translation.registry import available_translators

    lines = [
        "Translator catalogue",
        "====================",
        "",
        "Generated from the installed translators and the registry of expression kinds",
        "(:mod:`justice_schema.translation.kinds`), from which the language's JSON Schema is built too.",
        "",
        "Built-in translators",
        "--------------------",
        "",
    ]
    lines += list_table(("name", "format", "version"),
                        [(f"``{info.name}``", info.title, info.format_version or "")
                         for info in available_translators(include_plugins=False)], (20, 50, 10))
    lines += [
        "",
        "Expression kinds",
        "----------------",
        "",
        "Every expression is a TOML table naming exactly one kind; its other keys are the kind's",
        "options. Any expression may also carry the modifiers "
        + ", ".join(f"``{m}``" for m in MODIFIERS) + ".",
        "",
    ]
    lines += list_table(("kind", "options", "what it computes"),
                        [(f"``{kind.name}``", "; ".join(_option_text(kind, name, dict(schema))
                                                        for name, schema in kind.options.items()), kind.doc)
                         for kind in kinds()], (12, 40, 48))
    lines += [
        "",
        "Conditions",
        "----------",
        "",
        "A condition (``when``, ``if``) is ``{ test = <expression>, <operator> = <operand> }`` with exactly",
        "one operator, or combines others. Conditions use three-valued logic, as the validation rules do:",
        "a test on a null value is unknown (``is_null`` never is), ``not`` of unknown stays unknown,",
        "and a row is taken only where the condition is true.",
        "",
    ]
    rows = [(f"``{op.name}``", _describe(dict(op.operand)), op.doc) for op in operators()]
    rows += [(f"``{c.name}``", _describe(dict(c.schema)), c.doc) for c in combinators()]
    lines += list_table(("key", "operand", "holds where"), rows, (12, 40, 48))
    return "\n".join(lines) + "\n"


def _option_text(kind: Kind, name: str, schema: dict[str, Any]) -> str:
    note = "" if name == kind.name or "description" not in schema else f": {schema['description']}"
    required = ", required" if name in kind.required else ""
    return f"``{name}`` ({_describe(schema)}{required}){_rst_text(note)}"


def _rst_text(text: str) -> str:
    """Plain text made safe in reStructuredText (``*`` and a word ending in ``_`` are markup there)."""
    return text.replace("*", "\\*").replace("_ ", "\\_ ")
