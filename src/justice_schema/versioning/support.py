"""The support policy as data: which schema versions this release ships, and their status.

A schema version is **current** (the newest; what new work should target),
**supported** (shipped, validated, migrated, frozen; no new fields) or
**deprecated** (still shipped and working, but announced for removal in a
later *major* package release). The docs' support matrix is rendered from this
table by :func:`support_matrix_rst`, so the two cannot disagree.

>>> from justice_schema.versioning import status_of
>>> status_of("1.2")
'current'
"""

from __future__ import annotations

import attrs

from justice_schema._toolkit.rst import list_table
from justice_schema.registry import CURRENT_SCHEMA_VERSION, check_version

__all__ = ["VersionSupport", "SUPPORT", "STATUSES", "status_of", "support_matrix_rst"]

#: The statuses a schema version can have.
STATUSES = ("current", "supported", "deprecated")


@attrs.frozen(slots=True)
class VersionSupport:
    """One schema version's line in the support matrix."""

    version: str
    status: str = attrs.field(validator=attrs.validators.in_(STATUSES))
    since_package: str
    summary: str
    deprecated_in: str | None = None


#: Every schema version this package release ships, oldest first.
SUPPORT: tuple[VersionSupport, ...] = (
    VersionSupport(
        "1.0", "supported", "0.1.0",
        "The seven canonical entities: person, incident, arrest, charge, disposition, booking, supervision.",
    ),
    VersionSupport(
        "1.1", "supported", "0.1.0",
        "Additive: charge and disposition degree/class, booking housing and custody level, supervision level "
        "and officer, person gender identity.",
    ),
    VersionSupport(
        "1.2", "current", "0.1.0",
        "Additive: nine new entities (victim, offender, property, court_case, prosecution_decision, custody_period, "
        "agency, court, facility); a sensitivity class on every field; record flags sealed, expunged and "
        "juvenile_record; incident and arrest location; the cross-agency tracking numbers on every event.",
    ),
)


def status_of(version: str) -> str:
    """The status (``current``, ``supported`` or ``deprecated``) of a shipped schema version."""
    check_version(version)
    for entry in SUPPORT:
        if entry.version == version:
            return entry.status
    raise LookupError(f"schema version {version} has no entry in the support matrix")


def support_matrix_rst() -> str:
    """The support matrix as a reStructuredText table, for the versioning policy page."""
    rows = []
    for entry in SUPPORT:
        status = entry.status + (" (current)" if entry.version == CURRENT_SCHEMA_VERSION and entry.status != "current"
                                 else "")
        if entry.deprecated_in:
            status += f", deprecated in {entry.deprecated_in}"
        rows.append((entry.version, status, entry.since_package, f"``urn:justice-schema:{entry.version}:<entity>``",
                     entry.summary))
    lines = list_table(("Schema", "Status", "Shipped since package", "JSON Schema ``$id``", "What it holds"), rows,
                       (10, 12, 14, 24, 40), title="Schema versions shipped by this release")
    return "\n".join(lines) + "\n"
