"""Tiered publication: public, research and restricted views of canonical data.

A :class:`~justice_schema.privacy.profile.Profile` (TOML, versioned, replaceable; three shipped)
says per sensitivity class and per column what happens: keep, drop, generalise, pseudonymise.
:func:`publish` applies it to a canonical table (sealed and expunged rows removed first, unless
the profile is restricted), enforces k-anonymity for record-level output, builds count tables with
primary and complementary suppression for aggregate output, and measures the disclosure risk
before and after. ``justice-schema publish`` is the command; ``docs/privacy.md`` the guide.
"""

from __future__ import annotations

from justice_schema.privacy.keys import PseudonymKey, load_key, pseudonymise
from justice_schema.privacy.profile import (
    Aggregate,
    FieldRule,
    Profile,
    load_profile,
    profile_from_dict,
    shipped_profiles,
)
from justice_schema.privacy.publish import Publication, aggregate_table, publish
from justice_schema.privacy.risk import RiskMeasures, RiskReport, k_anonymity, measure
from justice_schema.privacy.suppression import CountTable, bridges, count_table, suppress

__all__ = [
    "Aggregate", "CountTable", "FieldRule", "Profile", "Publication", "PseudonymKey", "RiskMeasures", "RiskReport",
    "aggregate_table", "bridges", "count_table", "k_anonymity", "load_key", "load_profile", "measure",
    "profile_from_dict", "publish", "pseudonymise", "shipped_profiles", "suppress",
]
