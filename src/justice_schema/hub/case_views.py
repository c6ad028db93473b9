"""The documented SQL views over the link and case-flow stages' tables (registered on import).

``dimension`` / ``value`` columns: ``all`` / ``all``, ``offense_group`` / the FBI crime-against
group, ``agency`` / the agency of the case's arrest (or first event), ``year`` / the year of the
arrest (the cohort year for recidivism). See :mod:`justice_schema.hub.measures`.
"""

from __future__ import annotations

from justice_schema.hub.views import View, register_view

__all__ = ["CASE_VIEWS"]

CASE_VIEWS: tuple[View, ...] = (
    View("case_flow",
         "One row per case (case_uid, stable across builds): its person, agency, year, offense group, the date "
         "each stage was reached (arrest, charges filed, court filing, disposition, conviction, custody, "
         "supervision), the most serious offense charged and convicted, and how many events and agencies it spans.",
         """
         SELECT * FROM cases
         """),
    View("person_timeline",
         "One row per event in a person's history across agencies (incident, arrest, charge, decision, court "
         "case, disposition, custody, supervision), keyed by the golden person_uid, numbered in date order, with "
         "its case. Personal data: restrict access (the site shows it only under the restricted profile).",
         """
         SELECT person_uid, sequence, event_date, end_date, event_type, event_id, case_uid, agency AS hub_agency,
                ucr_code, statute_code, outcome
           FROM person_timeline_events
         """),
    View("attrition",
         "Attrition by dimension (all, offense_group, agency, year) and stage: cases that reached the stage, "
         "cases that reached the stage before, how many of those went on, and that share.",
         """
         SELECT dimension, value, stage, reached, previous, continued, continued_share FROM case_attrition
         """),
    View("intervals",
         "Days between stages by dimension and interval (incident to arrest, arrest to filing, filing to "
         "disposition, disposition to release): cases with both dates, median and 90th percentile; intervals "
         "dated backwards are counted in 'negative', not in the quantiles.",
         """
         SELECT dimension, value, interval, cases, median_days, p90_days, negative FROM case_intervals
         """),
    View("interval_distribution",
         "Days between stages as counts of cases per day range (0-7 days ... over 2 years), by dimension and interval.",
         """
         SELECT dimension, value, interval, bin, bin_order, cases FROM case_interval_histogram
         """),
    View("recidivism_curve",
         "The recidivism curve by dimension: for each follow-up window (3 to 36 months after release or "
         "conviction) the cohort, how many are censored (not yet followed for the whole window, left out of the "
         "rates), how many followed, re-arrested and re-convicted, and the two rates over the followed cases.",
         """
         SELECT dimension, value, months, "window", cohort, censored, followed, rearrested, reconvicted,
                rearrest_rate, reconviction_rate
           FROM case_recidivism
         """),
    View("clearance",
         "Incidents by agency, offense group and year: how many, cleared by arrest, cleared exceptionally (NIBRS "
         "DE 4 codes A-E), and the clearance rate (an incident is cleared once, however many arrests).",
         """
         SELECT agency AS hub_agency, offense_group, year, incidents, cleared_by_arrest, cleared_exceptionally,
                clearance_rate
           FROM case_clearance
         """),
    View("unlinked_causes",
         "Why events could not be linked, counted: per agency of the unlinked event, its stage, the stage it "
         "needed as parent, and the first reason in words (their own numbers taken out).",
         """
         SELECT hub_agency, event_type, parent_type, link_type, reason, count(*) AS events
           FROM case_unlinked GROUP BY hub_agency, event_type, parent_type, link_type, reason
         """),
)

for _view in CASE_VIEWS:
    register_view(_view)
