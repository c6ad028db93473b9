"""Is a schema change compatible? Modes with Avro / Confluent meanings, and the report.

>>> from justice_schema.versioning import check_compatibility
>>> report = check_compatibility("1.0", "1.1", "BACKWARD")
>>> report.compatible
True
>>> check_compatibility("1.0", "1.1", "FORWARD").compatible
False

The second answer is expected and documented: published records are *closed*
(``additionalProperties: false``), so a 1.0 reader refuses a record that
declares 1.1 or carries a 1.1 field. Hand 1.1 data to a 1.0 consumer with
:func:`justice_schema.versioning.downgrade`.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

import attrs

from justice_schema._toolkit.choices import choose
from justice_schema.errors import InputError
from justice_schema.registry import SCHEMA_VERSIONS
from justice_schema.v1 import version_key
from justice_schema.versioning.arrow_diff import diff_arrow_schemas
from justice_schema.versioning.json_diff import Change, diff_json_schemas
from justice_schema.versioning.rules import BACKWARD, FORWARD, RULES
from justice_schema.versioning.sources import SchemaSet, SchemaSource, load_schema_set

__all__ = ["Mode", "Finding", "CompatibilityReport", "check_compatibility"]


class Mode(StrEnum):
    """Compatibility modes, as in Avro and the Confluent schema registry.

    ``BACKWARD``: readers on the new schema read data written with the old one.
    ``FORWARD``: readers on the old schema read data written with the new one.
    ``FULL``: both. The ``*_TRANSITIVE`` forms check the new schema against
    every earlier version, not only the latest; ``NONE`` checks nothing but
    still lists the differences.
    """

    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"
    NONE = "NONE"

    @property
    def directions(self) -> frozenset[str]:
        """The directions (``BACKWARD``, ``FORWARD``) this mode requires."""
        base = self.value.removesuffix("_TRANSITIVE")
        return {
            "BACKWARD": frozenset([BACKWARD]),
            "FORWARD": frozenset([FORWARD]),
            "FULL": frozenset([BACKWARD, FORWARD]),
            "NONE": frozenset(),
        }[base]

    @property
    def transitive(self) -> bool:
        """True for the ``*_TRANSITIVE`` modes."""
        return self.value.endswith("_TRANSITIVE")


@attrs.frozen(slots=True)
class Finding:
    """One difference between an old and the new schema, named by a rule.

    ``breaks`` holds the directions (``BACKWARD``/``FORWARD``) the difference
    breaks; an empty set means informational.
    """

    rule: str
    layer: str
    entity: str
    path: str
    detail: str
    breaks: frozenset[str]
    old: str
    new: str

    @property
    def purpose(self) -> str:
        """The one-line purpose of the rule."""
        return RULES[self.rule].purpose

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "rule": self.rule, "layer": self.layer, "entity": self.entity, "path": self.path,
            "detail": self.detail, "breaks": sorted(self.breaks), "old": self.old, "new": self.new,
        }


@attrs.frozen(slots=True)
class CompatibilityReport:
    """What :func:`check_compatibility` found: every difference, and which ones break the mode."""

    mode: Mode
    old: tuple[str, ...]
    new: str
    findings: tuple[Finding, ...]

    @property
    def breaking(self) -> tuple[Finding, ...]:
        """The findings that break a direction the mode requires."""
        return tuple(f for f in self.findings if f.breaks & self.mode.directions)

    @property
    def compatible(self) -> bool:
        """True when no finding breaks the mode."""
        return not self.breaking

    def rules_fired(self) -> frozenset[str]:
        """The codes of every rule with at least one finding."""
        return frozenset(f.rule for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (for ``schema diff --json``)."""
        return {
            "mode": self.mode.value,
            "old": list(self.old),
            "new": self.new,
            "compatible": self.compatible,
            "breaking": len(self.breaking),
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_text(self) -> str:
        """A human-readable report: verdict first, then one line per finding."""
        verdict = "compatible" if self.compatible else "NOT compatible"
        lines = [
            f"{', '.join(self.old)} -> {self.new}: {verdict} under {self.mode.value} "
            f"({len(self.breaking)} breaking, {len(self.findings)} findings)"
        ]
        for f in self.findings:
            mark = "BREAKS " + "+".join(sorted(f.breaks & self.mode.directions)) if f.breaks & self.mode.directions \
                else ("breaks " + "+".join(sorted(f.breaks)) if f.breaks else "info")
            lines.append(f"  [{mark}] {f.rule} {f.layer} {f.entity}.{f.path}: {f.detail}  (from {f.old})")
        return "\n".join(lines) + "\n"


def _compare_sets(old: SchemaSet, new: SchemaSet) -> list[Finding]:
    findings: list[Finding] = []

    def add(changes: list[Change], layer: str, entity: str) -> None:
        findings.extend(
            Finding(c.rule, layer, entity, c.path, c.detail, c.breaks, old.label, new.label) for c in changes
        )

    pairs = [(o, new.get(o.entity)) for o in old.entities]
    if len(old.entities) == 1 and len(new.entities) == 1 and pairs[0][1] is None:
        pairs = [(old.entities[0], new.entities[0])]  # two single schemas under different names
    both_complete = old.complete and new.complete
    for before, after in pairs:
        if after is None:
            if both_complete:
                add([Change("entity_removed", "(entity)", "entity type removed", frozenset([BACKWARD]))],
                    "entity", before.entity)
            continue
        if before.json is not None and after.json is not None:
            add(diff_json_schemas(before.json, after.json), "json", before.entity)
        if before.arrow is not None and after.arrow is not None:
            add(diff_arrow_schemas(before.arrow, after.arrow), "arrow", before.entity)
    if both_complete:
        for after in new.entities:
            if old.get(after.entity) is None:
                add([Change("entity_added", "(entity)", "entity type added", frozenset([FORWARD]))],
                    "entity", after.entity)
    return findings


def _history(old: SchemaSource | Sequence[SchemaSource], transitive: bool) -> list[SchemaSource]:
    if isinstance(old, (list, tuple)):
        if not old:
            raise InputError("check_compatibility needs at least one old schema")
        history = list(old)
    elif transitive and isinstance(old, str) and old in SCHEMA_VERSIONS:
        major = old.split(".")[0]
        history = [
            v for v in SCHEMA_VERSIONS if v.split(".")[0] == major and version_key(v) <= version_key(old)
        ]
    else:
        history = [old]
    return history if transitive else history[-1:]


def check_compatibility(
    old: SchemaSource | Sequence[SchemaSource],
    new: SchemaSource,
    mode: Mode | str = Mode.BACKWARD,
) -> CompatibilityReport:
    """Compare schemas and say whether ``new`` is compatible with ``old`` under ``mode``.

    ``old`` and ``new`` are anything :func:`~justice_schema.versioning.sources.load_schema_set`
    reads: a released version (``"1.0"``), a JSON Schema or Arrow schema (as a
    value or a file), or a folder of schema files, such as a vendor's extended
    schema. Both the JSON Schema and the Arrow schema are compared when both
    sides have them.

    ``old`` may be a list (the version history, oldest first): the plain modes
    check against its last element only, the ``*_TRANSITIVE`` modes against
    all of them. A single released version with a transitive mode stands for
    every released version of its major version up to it.

    >>> report = check_compatibility("1.0", "1.1", "FULL")
    >>> sorted({f.rule for f in report.breaking})
    ['enum_value_added', 'field_added']
    """
    chosen = choose(Mode, mode, "compatibility mode", "upper")
    new_set = load_schema_set(new)
    old_sets = [load_schema_set(item) for item in _history(old, chosen.transitive)]
    findings: list[Finding] = []
    for old_set in old_sets:
        findings.extend(_compare_sets(old_set, new_set))
    return CompatibilityReport(
        mode=chosen, old=tuple(s.label for s in old_sets), new=new_set.label, findings=tuple(findings)
    )
