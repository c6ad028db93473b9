"""The hub's stages as a registry: named steps that run in order over one :class:`HubContext`.

A build runs :data:`STAGES` in order (``translate`` → ``validate`` → ``match`` → ``link`` →
``case_flow`` → ``profile``). Each stage reads what earlier stages left on the context and adds
its own tables; the store then loads every table in :attr:`HubContext.tables`,
:attr:`HubContext.hub` and :attr:`HubContext.extra` into the database. A stage joins with
:func:`register_stage`, naming the stage it follows (``link`` follows ``match``,
:mod:`justice_schema.hub.linkage`), and puts its tables in ``context.extra``; views that read
them join with :func:`justice_schema.hub.views.register_view`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO

import attrs
import pyarrow as pa

from justice_schema.hub.config import HubConfig

__all__ = ["HubContext", "Stage", "STAGES", "register_stage", "stage_names"]


@attrs.define(slots=True)
class HubContext:
    """The working state of one build, handed from stage to stage.

    ``tables``: the canonical tables by entity (every export's rows, with
    ``hub_export``, ``hub_agency`` and ``hub_row`` columns); ``hub`` the hub's own
    tables (``hub_exports``, ``hub_rejects``, ``hub_issues``, ``person_match``,
    ``golden_person``, ``hub_completeness``...); ``extra`` tables a registered
    stage adds; ``work`` what a stage hands to a later one without storing it (the
    linker's result for the case-flow stage); ``previous`` what the last build left (export fingerprints, person
    assignments), empty on a first build; ``fingerprints`` each export's
    :meth:`~justice_schema.hub.config.Export.fingerprint`.
    """

    config: HubConfig
    as_of: date
    previous: dict[str, pa.Table] = attrs.field(factory=dict)
    fingerprints: dict[str, str] = attrs.field(factory=dict)
    tables: dict[str, pa.Table] = attrs.field(factory=dict)
    hub: dict[str, pa.Table] = attrs.field(factory=dict)
    extra: dict[str, pa.Table] = attrs.field(factory=dict)
    work: dict[str, Any] = attrs.field(factory=dict)
    counts: dict[str, int] = attrs.field(factory=dict)
    timings: dict[str, float] = attrs.field(factory=dict)
    log: TextIO = sys.stderr
    quiet: bool = False

    def say(self, message: str) -> None:
        """One progress line on the log stream (``hub: translate: 3 of 9 exports``)."""
        if not self.quiet:
            self.log.write(f"hub: {message}\n")
            self.log.flush()


@attrs.frozen(slots=True)
class Stage:
    """A named step of the build: ``run(context)`` reads and adds tables on the context."""

    name: str
    run: Callable[[HubContext], None]
    description: str

    def __call__(self, context: HubContext) -> None:
        """Run the stage, timing it into ``context.timings``."""
        start = time.perf_counter()
        context.say(f"{self.name}: {self.description}")
        self.run(context)
        context.timings[self.name] = round(time.perf_counter() - start, 3)


#: The stages a build runs, in order. Extend with :func:`register_stage`.
STAGES: list[Stage] = []


def register_stage(stage: Stage, *, after: str | None = None) -> Stage:
    """Add ``stage`` to :data:`STAGES`, after the stage named ``after`` (default: at the end).

    A stage of the same name is replaced in place (re-registering is harmless).
    """
    names = stage_names()
    if stage.name in names:
        STAGES[names.index(stage.name)] = stage
        return stage
    if after is None:
        STAGES.append(stage)
    else:
        if after not in names:
            raise ValueError(f"no hub stage named {after!r}; stages: {', '.join(names)}")
        STAGES.insert(names.index(after) + 1, stage)
    return stage


def stage_names() -> list[str]:
    """The names of the registered stages, in the order they run."""
    return [stage.name for stage in STAGES]
