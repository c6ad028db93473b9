"""Identity matching: deterministic, explainable, order-independent person resolution.

>>> from justice_schema.identity import match_persons, default_rules
>>> result = match_persons([])  # Person records, a flat person table or the canonical person table
>>> result.person_count
0

See :doc:`/identity` for how matching works, the rules file and the golden record.
"""

from justice_schema.identity.blocking import CappedBlock
from justice_schema.identity.golden import golden_persons, golden_records
from justice_schema.identity.incremental import IncrementalResult, match_incremental
from justice_schema.identity.match import MatchResult, match_persons
from justice_schema.identity.normalize import DataIssue
from justice_schema.identity.rules import RuleSet, default_rules, load_rules, rules_from_toml
from justice_schema.identity.uid import person_uid

__all__ = [
    "match_persons",
    "MatchResult",
    "match_incremental",
    "IncrementalResult",
    "golden_records",
    "golden_persons",
    "RuleSet",
    "default_rules",
    "load_rules",
    "rules_from_toml",
    "CappedBlock",
    "DataIssue",
    "person_uid",
]
