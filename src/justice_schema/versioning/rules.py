"""The catalogue of compatibility rules: what kind of schema change each one names.

Each rule has a stable code (never reused, never renamed), the layer it looks
at (``json`` for the JSON Schema, ``arrow`` for the Arrow schema, ``entity``
for the set of entity types) and a one-line purpose. Whether a finding breaks
``BACKWARD`` or ``FORWARD`` compatibility depends on the rule and, for a few
rules, on the schemas (a field added to a *closed* record breaks old readers;
added to an open one, it does not): each finding says which directions it
breaks.

The directions have their Avro / Confluent meaning:

* **BACKWARD**: a reader using the *new* schema can read data written with the
  *old* one (upgrade readers first);
* **FORWARD**: a reader using the *old* schema can read data written with the
  *new* one (upgrade writers first).

>>> from justice_schema.versioning import RULES
>>> RULES["field_removed"].purpose
'A field of the old schema is gone from the new one.'
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import attrs

from justice_schema._toolkit.rst import list_table

__all__ = ["Rule", "RULES", "BACKWARD", "FORWARD", "rules_rst"]

#: Direction name: new readers read old data.
BACKWARD = "BACKWARD"
#: Direction name: old readers read new data.
FORWARD = "FORWARD"


@attrs.frozen(slots=True)
class Rule:
    """One kind of schema change the compatibility checker reports.

    ``breaks`` is the text of when it breaks which direction, for the docs;
    the findings themselves carry the exact directions.
    """

    code: str
    layer: str
    purpose: str
    breaks: str


#: The catalogue as data, one ``[[rule]]`` a rule in catalogue order (shipped with the package).
RULES_FILE = Path(__file__).with_name("rules.toml")


def _load_rules() -> tuple[Rule, ...]:
    rules = tuple(Rule(**entry) for entry in tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))["rule"])
    codes = [rule.code for rule in rules]
    if len(set(codes)) != len(codes):  # pragma: no cover - the catalogue's own test holds it
        raise ValueError(f"{RULES_FILE}: a rule code is listed twice")
    return rules


_RULES: tuple[Rule, ...] = _load_rules()

#: Every rule, by code, in catalogue order.
RULES: Mapping[str, Rule] = MappingProxyType({rule.code: rule for rule in _RULES})


def rules_rst() -> str:
    """The rule catalogue as a reStructuredText table, for the documentation.

    Call it from ``docs/conf.py`` (or a docs build step) to write the page
    section, so that the docs list exactly the rules the code checks.
    """
    lines = list_table(("Code", "Layer", "Purpose", "Breaks"),
                       [(f"``{r.code}``", r.layer, r.purpose, r.breaks) for r in RULES.values()], (22, 8, 45, 25),
                       title="Compatibility rules")
    return "\n".join(lines) + "\n"
