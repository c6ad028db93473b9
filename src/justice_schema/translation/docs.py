"""Generated documentation pages of the translators (called from ``docs/conf.py`` at build time)."""

from __future__ import annotations

import json
from typing import Any

from justice_schema.translation.spec_schema import EXPRESSION_KINDS, MODIFIERS, REQUIRED_OPTIONS

__all__ = ["translator_catalogue_rst"]

_KIND_NOTES = {
    "column": "A source column (or ``name.column`` of a joined input, or ``array.field`` of an array item). "
              "Trimmed; blank text is null. A bare string is short for ``{ column = ... }``.",
    "const": "The same value on every row.",
    "concat": "Parts joined with ``sep``; missing parts are skipped.",
    "coalesce": "The first part that is not null.",
    "name": "A part (family, given, middle, suffix) of a ``LAST, FIRST MIDDLE`` name.",
    "date": "Text to a date with explicit strptime ``formats``, tried in order; impossible days are rejected; "
            "formats with an offset are refused (use ``local_date``).",
    "datetime": "Text to an instant: ``%z`` reads the offset in the text, a literal ``Z`` means UTC, other "
                "text is local time in the translator's (or the given) time zone.",
    "local_date": "The calendar date of an instant in an IANA time zone (default: the translator's): the input "
                  "is a ``datetime`` or text read with ``formats`` that carry the offset (``%z`` or ``Z``).",
    "map": "Vendor words or codes to canonical codes through a ``[maps.<using>]`` table.",
    "lookup": "A code-table lookup by description (or by code), with ``synonyms`` and an unmapped policy.",
    "if": "A conditional: ``then`` where the condition holds, ``else`` (or null) elsewhere.",
    "transform": "A registered Python function (the escape hatch), given ``args`` and ``options``.",
    "id": "A deterministic record id: ``prefix:key1:key2`` from source keys.",
    "int": "Text to a whole number; other text rejects the row.",
    "number": "Text to a decimal number; other text rejects the row.",
    "bool": "Yes/no words to true/false (``true``/``false`` word lists).",
    "regex": "The part of the text a regex group matches (RE2 syntax).",
    "index": "The 1-based number of the item in ``each.repeat`` / ``each.array`` / ``items``.",
    "split": "Text split on ``sep`` into a list.",
    "source": "The row's ``file``, ``line`` number or ``record_type``.",
    "param": "A translator parameter declared in ``[params]`` and given when the translator is made.",
    "rank": "The 1-based place of each row within its group (``rank`` expressions), sorted by ``order`` "
            "(expressions or ``{ value, descending }``); ``ties``: row_number, min or dense.",
}


def _describe(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
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
    """The built-in translators and the expression kinds of the mapping language, as RST."""
    from justice_schema.translation.registry import available_translators

    lines = [
        "Translator catalogue",
        "====================",
        "",
        "Generated from the installed translators and the mapping language's JSON Schema.",
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
    for kind, options in EXPRESSION_KINDS.items():
        required = set(REQUIRED_OPTIONS.get(kind, ()))
        opts = [f"``{name}`` ({_describe(schema)}{', required' if name in required else ''})"
                for name, schema in options.items()]
        lines += [f"   * - ``{kind}``", f"     - {'; '.join(opts)}", f"     - {_KIND_NOTES.get(kind, '')}"]
    return "\n".join(lines) + "\n"
