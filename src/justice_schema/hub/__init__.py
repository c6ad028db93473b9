"""The hub in a box: one command builds an embedded justice-data warehouse and its site.

``justice-schema hub build hub.toml`` translates every agency export named in the
configuration (:mod:`~justice_schema.hub.config`), validates, matches people and profiles
completeness, links events into cases and measures case flow as a list of named stages (:mod:`~justice_schema.hub.stages`, built-in ones in
:mod:`~justice_schema.hub.pipeline`, :mod:`~justice_schema.hub.linkage` and :mod:`~justice_schema.hub.measures`), and writes an embedded DuckDB database with documented
views (:mod:`~justice_schema.hub.views`), swapped in whole (:mod:`~justice_schema.hub.store`).
``justice-schema hub site`` publishes the static data-quality site
(:mod:`justice_schema.hub.site`). See the "build your state's hub" tutorial (``docs/hub.md``).
"""

from __future__ import annotations

from justice_schema.hub import linkage as _linkage  # registers the link stage (after match)
from justice_schema.hub import measures as _measures  # registers the case_flow stage (after link)
from justice_schema.hub import pipeline as _pipeline  # registers the built-in stages
from justice_schema.hub.build import HISTORY_TABLES, LoadReport, build_hub
from justice_schema.hub.config import Export, HubConfig, HubConfigError, load_config
from justice_schema.hub.stages import STAGES, HubContext, Stage, register_stage, stage_names
from justice_schema.hub.views import VIEWS, View, register_view

__all__ = [
    "build_hub", "LoadReport", "HISTORY_TABLES", "load_config", "HubConfig", "Export", "HubConfigError",
    "STAGES", "Stage", "HubContext", "register_stage", "stage_names", "VIEWS", "View", "register_view",
]

del _pipeline, _linkage, _measures
