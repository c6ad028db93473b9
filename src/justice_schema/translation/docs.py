"""Generated documentation pages of the translators (called from ``docs/conf.py`` at build time)."""

from __future__ import annotations

import json
from typing import Any

from justice_schema.translation.conditions import combinators, operators
from justice_schema.translation.kinds import MODIFIERS, kinds

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
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 20 50 10",
        "",
        "   * - name",
        "     - format",
        "     - version",
    ]
    for info in available_translators(include_plugins=False):
        lines += [f"   * - ``{info.name}``", f"     - {info.title}", f"     - {info.format_version or ''}"]
    lines += [
        "",
        "Expression kinds",
        "----------------",
        "",
        "Every expression is a TOML table naming exactly one kind; its other keys are the kind's",
        "options. Any expression may also carry the modifiers "
        + ", ".join(f"``{m}``" for m in MODIFIERS) + ".",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 12 40 48",
        "",
        "   * - kind",
        "     - options",
        "     - what it computes",
    ]
    for kind in kinds():
        opts = []
        for name, schema in kind.options.items():
            note = "" if name == kind.name or "description" not in schema else f": {schema['description']}"
            required = ", required" if name in kind.required else ""
            opts.append(f"``{name}`` ({_describe(dict(schema))}{required}){_rst_text(note)}")
        lines += [f"   * - ``{kind.name}``", f"     - {'; '.join(opts)}", f"     - {kind.doc}"]
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
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 12 40 48",
        "",
        "   * - key",
        "     - operand",
        "     - holds where",
    ]
    for op in operators():
        lines += [f"   * - ``{op.name}``", f"     - {_describe(dict(op.operand))}", f"     - {op.doc}"]
    for combinator in combinators():
        lines += [f"   * - ``{combinator.name}``", f"     - {_describe(dict(combinator.schema))}",
                  f"     - {combinator.doc}"]
    return "\n".join(lines) + "\n"


def _rst_text(text: str) -> str:
    """Plain text made safe in reStructuredText (``*`` and a word ending in ``_`` are markup there)."""
    return text.replace("*", "\\*").replace("_ ", "\\_ ")
