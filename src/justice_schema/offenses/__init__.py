"""Offense classification: statute citations and charge descriptions to NIBRS, NCRP, UCCS and severity.

Deterministic and explained: the rules are data (:func:`load_vocabulary`: abbreviations,
phrase patterns, per-state citation parsers, classification rules, each with an id), a state
adds its statutes with a crosswalk CSV (:func:`load_crosswalk`), and every answer names the
rule, crosswalk row or pattern that decided it, or says why nothing did.

    >>> from justice_schema.offenses import classify_offense
    >>> result = classify_offense("PWID COCAINE")
    >>> result["ncrp_category"], result["nibrs_code"], result["offense_evidence"]
    ('TRAFFICKING - COCAINE OR CRACK', '35A', 'rule drug.traffic.cocaine')
"""

from justice_schema.offenses.classify import OUTPUT_SCHEMA, classify_offense, classify_offenses, severity_rank
from justice_schema.offenses.crosswalk import Crosswalk, CrosswalkEntry, load_crosswalk
from justice_schema.offenses.summary import CoverageSummary, coverage_summary
from justice_schema.offenses.vocabulary import Category, Rule, Vocabulary, load_vocabulary

__all__ = [
    "classify_offenses", "classify_offense", "severity_rank", "OUTPUT_SCHEMA",
    "load_vocabulary", "Vocabulary", "Rule", "Category",
    "load_crosswalk", "Crosswalk", "CrosswalkEntry",
    "coverage_summary", "CoverageSummary",
]
