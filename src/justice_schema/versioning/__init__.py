"""Schema versioning: compatibility checks between schema versions, and migrations of stored data.

* :func:`check_compatibility` compares two schema versions (or a vendor's
  extended schema) under a :class:`Mode` with its Avro / Confluent meaning,
  and reports every difference by a named rule (:data:`RULES`);
* :func:`upgrade` and :func:`downgrade` carry records, lists and Arrow tables
  between schema versions along a registered chain of pure steps
  (:data:`MIGRATIONS`), with an explicit :class:`DowngradePolicy`;
* :data:`SUPPORT` says which schema versions are current, supported or deprecated.

>>> from justice_schema.versioning import check_compatibility, status_of
>>> check_compatibility("1.0", "1.1", "BACKWARD").compatible
True
>>> status_of("1.0")
'supported'
"""

from justice_schema.versioning import migrations
from justice_schema.versioning.compatibility import CompatibilityReport, Finding, Mode, check_compatibility
from justice_schema.versioning.migrations import *  # noqa: F403 - re-exports migrations.__all__
from justice_schema.versioning.rules import RULES, Rule, rules_rst
from justice_schema.versioning.support import SUPPORT, VersionSupport, status_of, support_matrix_rst

__all__ = [
    "check_compatibility",
    "Mode",
    "Finding",
    "CompatibilityReport",
    "RULES",
    "Rule",
    "rules_rst",
    "SUPPORT",
    "VersionSupport",
    "status_of",
    "support_matrix_rst",
]
# Every public name of the migrations module, declared once in its own ``__all__``.
__all__ += migrations.__all__
