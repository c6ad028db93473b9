"""Shared test set-up: hypothesis profiles and small record factories."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# CI draws as many examples per property as a developer's run (it was 100): the property families are
# parametrised by entity and version (about 200 tests), so 100 examples each put `make test` at 16.5
# minutes on the 2-core CI machine, over its 15-minute promise. CI is not derandomized, so every run
# still explores new examples.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
settings.register_profile("dev", max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def source(key: str = "1", ori: str = "UT0180000", system: str = "test") -> dict[str, Any]:
    """A valid ``source`` dict."""
    return {"agency_ori": ori, "system": system, "record_key": key, "extracted_at": "2024-05-01T12:00:00Z"}


def entity_versions() -> list[tuple[str, str]]:
    """Every ``(entity, version)`` pair that exists: an entity from the schema version that added it."""
    from justice_schema.registry import SCHEMA_VERSIONS, entity_types

    return [(entity, version) for version in SCHEMA_VERSIONS for entity in entity_types(version)]
