"""The rule catalogue docs page, generated from the rules themselves.

Call :func:`render_rule_catalogue` from ``docs/conf.py`` (or write its text to a
file) so the page can never drift from the code::

    from justice_schema.validation.docs import render_rule_catalogue
    Path("docs/rule_catalogue.rst").write_text(render_rule_catalogue())
"""

from __future__ import annotations

from justice_schema.registry import CURRENT_SCHEMA_VERSION, ENTITY_TYPES
from justice_schema.validation.rule_types import Rule
from justice_schema.validation.rules import ENTITY_LETTER, FIELD_KINDS, all_rules

__all__ = ["render_rule_catalogue"]

_LEVELS = {
    "field": "field level (a constraint of the schema, derived from the models)",
    "record": "across the fields of one record",
    "batch": "across records or tables of a batch",
    "input": "a row that could not be read",
}


def _heading(text: str, char: str) -> list[str]:
    return [text, char * len(text), ""]


def _literal(text: str) -> str:
    return "``" + text.replace("``", "` `") + "``"


def _entry(rule: Rule) -> list[str]:
    lines = _heading(f"{rule.code}: {rule.message}", "~")
    fields = ", ".join(_literal(f) for f in rule.fields[:12])
    if len(rule.fields) > 12:
        fields += f" and {len(rule.fields) - 12} more"
    rows = [
        ("Severity", rule.severity),
        ("Entity", "every entity" if rule.entity == "*" else rule.entity),
        ("Level", _LEVELS[rule.level]),
        ("Fields", fields),
        ("NIBRS edits", ", ".join(rule.nibrs_edits) if rule.nibrs_edits else "none"),
        ("Why", rule.rationale),
        ("Example", rule.example),
    ]
    if rule.checks:
        conditions = "; ".join(_literal(c.condition.text()) for c in rule.checks[:4])
        if len(rule.checks) > 4:
            conditions += f"; and {len(rule.checks) - 4} more fields alike"
        rows.insert(5, ("Fires when", conditions))
    for name, value in rows:
        lines.append(f":{name}: {value}")
    lines.append("")
    return lines


def render_rule_catalogue(schema_version: str = CURRENT_SCHEMA_VERSION) -> str:
    """The reStructuredText page listing every validation rule, one entry per rule with an example."""
    rules = all_rules(schema_version)
    lines = _heading("Validation rule catalogue", "=")
    lines += [
        f"Every rule of schema {schema_version}, generated from the code (``justice_schema.validation.RULES``).",
        "Codes are stable and never reused: ``JS-`` + an entity letter + two digits.",
        "Where a rule corresponds to an FBI NIBRS edit, its edit numbers are given (NIBRS edit numbers",
        "from the FBI NIBRS Technical Specification, as enumerated in the SEARCH-NCJIS/nibrs toolkit).",
        "",
        "Field-level rule numbers follow the NIBRS pattern: "
        + ", ".join(f"``{k.number}`` {k.message}" for k in FIELD_KINDS.values()) + ".",
        "Numbers 20-39 are cross-field errors, 40-49 date plausibility, 50-79 quality warnings.",
        "",
    ]
    groups = [(entity, f"JS-{ENTITY_LETTER[entity]}") for entity in ENTITY_TYPES] + [("batch and input", "JS-X")]
    for title, prefix in groups:
        chosen = [r for r in rules if r.code.startswith(prefix)]
        if not chosen:
            continue
        lines += _heading(title.capitalize() if title != "batch and input" else "Batches, references and input", "-")
        for rule in chosen:
            lines += _entry(rule)
    return "\n".join(lines).rstrip() + "\n"
