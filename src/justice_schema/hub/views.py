"""The documented SQL views of the hub database, for users' own tools (DuckDB SQL).

Each :class:`View` has a name, a one-paragraph description (also stored as the view's
``COMMENT`` in the database) and its SQL. The case-flow views (``case_flow``,
``person_timeline``, ``attrition``...) are in :mod:`justice_schema.hub.case_views`, added with
:func:`register_view`.
"""

from __future__ import annotations

import attrs

from justice_schema.hub.named import register_named

__all__ = ["View", "VIEWS", "register_view"]


@attrs.frozen(slots=True)
class View:
    """A named SQL view over the hub's tables, with what it answers."""

    name: str
    description: str
    sql: str


#: The views every hub database has, in the order the docs list them.
VIEWS: list[View] = [
    View("agency_quality",
         "One row per agency: source rows in, records out, rows rejected by translation, rule errors and warnings, "
         "and completeness (the share of applicable, collected fields that are filled).",
         """
         WITH x AS (SELECT hub_agency, sum(rows_in)::BIGINT AS rows_in, sum(records_out)::BIGINT AS records,
                           sum(rows_rejected)::BIGINT AS rejected FROM hub_exports GROUP BY hub_agency),
         i AS (SELECT hub_agency, count(*) FILTER (WHERE severity = 'error') AS errors,
                      count(*) FILTER (WHERE severity = 'warning') AS warnings FROM hub_issues GROUP BY hub_agency),
         c AS (SELECT hub_agency, sum(filled) / nullif(sum(applicable), 0) AS completeness
                 FROM hub_completeness WHERE collected GROUP BY hub_agency)
         SELECT x.hub_agency, x.rows_in, x.records, x.rejected, coalesce(i.errors, 0) AS errors,
                coalesce(i.warnings, 0) AS warnings, c.completeness
           FROM x LEFT JOIN i USING (hub_agency) LEFT JOIN c USING (hub_agency)
         """),
    View("field_completeness",
         "One row per agency, entity and field: 'not collected' when the agency's source format has no such field, "
         "else the applicable records, how many are filled and how many left blank.",
         """
         SELECT hub_agency, entity, field, bool_or(collected) AS collected, any_value(applies_to) AS applies_to,
                sum(records)::BIGINT AS records, sum(applicable)::BIGINT AS applicable, sum(filled)::BIGINT AS filled,
                sum(blank)::BIGINT AS blank,
                CASE WHEN NOT bool_or(collected) THEN 'not collected'
                     WHEN sum(applicable) = 0 THEN 'does not apply'
                     ELSE 'collected' END AS status
           FROM hub_completeness GROUP BY hub_agency, entity, field
         """),
    View("rule_violations",
         "One row per agency and rule broken: code, severity, entity, field, how many records, and the rule's message.",
         """
         SELECT hub_agency, code, severity, entity, field, count(*) AS records, min(message) AS example
           FROM hub_issues GROUP BY hub_agency, code, severity, entity, field
         """),
    View("reject_reasons",
         "One row per agency and translation reject code: source rows the hub could not turn into records.",
         """
         SELECT hub_agency, r.issue.code AS code, min(r.issue.message) AS example, count(*) AS rows
           FROM (SELECT hub_agency, unnest(issues) AS issue FROM hub_rejects) r GROUP BY hub_agency, code
         """),
    View("person_sources",
         "One row per golden person: how many records and from how many agencies (person_uid is stable across builds).",
         """
         SELECT pm.person_uid, count(*) AS records, count(DISTINCT p.hub_agency) AS agencies
           FROM person_match pm JOIN person p ON p.id = pm.id GROUP BY pm.person_uid
         """),
]


def register_view(view: View) -> View:
    """Add (or replace, by name) a view every later build creates."""
    return register_named(VIEWS, view)
