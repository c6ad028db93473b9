"""Case linking: every stage of a case, across agencies, into one chain with a ``case_uid``.

:func:`link_events` links events (the :data:`EVENT_SCHEMA` layout) by the rule cascade of a TOML file
(:func:`load_rules`, default ``default_rules.toml``): tracking numbers first, then the person, date
windows and offense agreement. :mod:`justice_schema.linking.synthetic` generates county histories with
known truth, :mod:`justice_schema.linking.quality` measures links against it.
"""

from justice_schema.linking.events import (
    EVENT_SCHEMA,
    EVENT_TYPES,
    STAGE_DATES,
    UNDATED,
    check_events,
    date_charges_from_arrests,
    events_from_tables,
)
from justice_schema.linking.link import (
    LINK_SCHEMA,
    UNLINKED_SCHEMA,
    CaseIndex,
    LinkResult,
    case_uid,
    link_events,
)
from justice_schema.linking.rules import LinkRules, default_rules, load_rules
from justice_schema.linking.seriousness import MostSeriousRule

__all__ = [
    "EVENT_SCHEMA", "EVENT_TYPES", "STAGE_DATES", "UNDATED", "check_events", "date_charges_from_arrests", "events_from_tables",
    "LINK_SCHEMA", "UNLINKED_SCHEMA", "CaseIndex", "LinkResult", "case_uid", "link_events",
    "LinkRules", "load_rules", "default_rules", "MostSeriousRule",
]
