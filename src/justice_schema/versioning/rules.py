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

from collections.abc import Mapping
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


_B = "BACKWARD"
_F = "FORWARD"
_BOTH = "BACKWARD and FORWARD"

_RULES: tuple[Rule, ...] = (
    # entity level
    Rule("entity_removed", "entity", "An entity type of the old schema set is gone from the new one.", _B),
    Rule("entity_added", "entity", "The new schema set has an entity type the old one lacks.", _F),
    # JSON Schema: fields and records
    Rule("field_removed", "json", "A field of the old schema is gone from the new one.",
         "BACKWARD when the new record is closed (additionalProperties false); FORWARD when the field was required"),
    Rule("field_added", "json", "The new schema has an optional field the old one lacks.",
         "FORWARD when the old record is closed (old readers refuse the unknown field)"),
    Rule("required_field_added", "json", "The new schema has a required field the old one lacks.",
         "BACKWARD (old data lacks it); also FORWARD when the old record is closed"),
    Rule("field_made_required", "json", "A field that was optional is required in the new schema.", _B),
    Rule("field_made_optional", "json", "A field that was required is optional in the new schema.", _F),
    Rule("record_closed", "json", "A record that allowed unknown fields now refuses them.", _B),
    Rule("record_opened", "json", "A record that refused unknown fields now allows them.", _F),
    # JSON Schema: values
    Rule("type_narrowed", "json", "A value accepts fewer JSON types (for example null is no longer allowed).", _B),
    Rule("type_widened", "json", "A value accepts more JSON types than before (for example it became nullable).", _F),
    Rule("type_changed", "json", "A value's JSON types changed so that neither set contains the other.", _BOTH),
    Rule("enum_value_removed", "json", "A code or enum value of the old schema is no longer allowed.", _B),
    Rule("enum_value_added", "json", "The new schema allows a code or enum value the old one refused.", _F),
    Rule("enum_constraint_added", "json", "A free value is now limited to a list of codes.", _B),
    Rule("enum_constraint_removed", "json", "A value limited to a list of codes is now free.", _F),
    Rule("pattern_added", "json", "A string value must now match a pattern it did not have to (pattern tightened).", _B),
    Rule("pattern_removed", "json", "A string value no longer has to match its pattern (pattern loosened).", _F),
    Rule("pattern_changed", "json",
         "A string value's pattern changed; neither pattern is proven to accept all the other accepts.", _BOTH),
    Rule("format_changed", "json", "A string value's format (date, date-time...) was added, removed or changed.",
         "BACKWARD when added or changed; FORWARD when removed or changed"),
    Rule("max_length_reduced", "json", "A string's maximum length is smaller (or newly set).", _B),
    Rule("max_length_increased", "json", "A string's maximum length is larger (or no longer set).", _F),
    Rule("min_length_increased", "json", "A string's minimum length is larger (or newly set).", _B),
    Rule("min_length_reduced", "json", "A string's minimum length is smaller (or no longer set).", _F),
    Rule("maximum_reduced", "json", "A number's maximum (inclusive or exclusive) is smaller (or newly set).", _B),
    Rule("maximum_increased", "json", "A number's maximum (inclusive or exclusive) is larger (or no longer set).", _F),
    Rule("minimum_increased", "json", "A number's minimum (inclusive or exclusive) is larger (or newly set).", _B),
    Rule("minimum_reduced", "json", "A number's minimum (inclusive or exclusive) is smaller (or no longer set).", _F),
    Rule("max_items_reduced", "json", "A list may hold fewer items than before.", _B),
    Rule("max_items_increased", "json", "A list may hold more items than before.", _F),
    Rule("min_items_increased", "json", "A list must hold more items than before.", _B),
    Rule("min_items_reduced", "json", "A list may hold fewer items than its old minimum.", _F),
    Rule("conditions_changed", "json",
         "Conditional constraints (allOf, if/then, not, oneOf, object-level anyOf) differ; "
         "reported for review, not proven either way.", "nothing (informational)"),
    # Arrow
    Rule("column_removed", "arrow", "An Arrow column (or struct child) of the old schema is gone.",
         "FORWARD when the old column was non-nullable (old readers cannot fill it with nulls)"),
    Rule("column_added", "arrow", "The new Arrow schema has a column (or struct child) the old one lacks.",
         "BACKWARD when the new column is non-nullable (old data has no values for it)"),
    Rule("column_made_non_nullable", "arrow", "A nullable Arrow column is non-nullable in the new schema.", _B),
    Rule("column_made_nullable", "arrow", "A non-nullable Arrow column is nullable in the new schema.", _F),
    Rule("arrow_type_widened", "arrow",
         "An Arrow type was widened losslessly (int32 to int64, float32 to float64, string to large_string...).", _F),
    Rule("arrow_type_narrowed", "arrow", "An Arrow type was narrowed (the reverse of a widening).", _B),
    Rule("arrow_type_changed", "arrow", "An Arrow type changed other than by widening or narrowing.", _BOTH),
)

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
