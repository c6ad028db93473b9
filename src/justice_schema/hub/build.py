"""``build_hub``: run the stages over a hub configuration and swap in the new database.

* **incremental** — an export whose spec and files are unchanged is not translated
  again (its cached translation is reused); validation and matching run over all rows,
  so an incremental build equals a full rebuild, and ``person_uid`` (derived from a
  person's records) is stable; merges and splits since the last build are reported;
* **idempotent** — a build whose inputs (exports, rules, ``as_of``, library version,
  stages) are those of the last build changes nothing and says so;
* **crash-safe** — see :mod:`justice_schema.hub.store`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import attrs
import pyarrow as pa

from justice_schema._version import __version__
from justice_schema.hub import pipeline
from justice_schema.hub.config import HubConfig, load_config
from justice_schema.hub.stages import STAGES, HubContext, stage_names
from justice_schema.hub.store import read_tables, write_database, write_parquet

__all__ = ["LoadReport", "build_hub", "build_fingerprint", "HISTORY_TABLES", "LOADS_SCHEMA"]

#: Tables that record the history of builds (not the data): they differ between an
#: incremental build and a full rebuild of the same exports, by design.
HISTORY_TABLES = ("hub_loads", "hub_identity_changes")

_NAMES = pa.list_(pa.string())
#: One row per build (the load report): ``hub_loads``.
LOADS_SCHEMA = pa.schema([
    ("build", pa.int64()), ("build_fingerprint", pa.string()), ("library_version", pa.string()),
    ("as_of", pa.date32()), ("exports", pa.int64()), ("exports_added", _NAMES), ("exports_reused", _NAMES),
    ("exports_removed", _NAMES), ("rows_in", pa.int64()), ("records", pa.int64()), ("rows_rejected", pa.int64()),
    ("errors", pa.int64()), ("warnings", pa.int64()), ("people", pa.int64()), ("merges", pa.int64()),
    ("splits", pa.int64()), ("stage_seconds", pa.string()), ("events", pa.int64()), ("links", pa.int64()),
    ("unlinked", pa.int64()), ("cases", pa.int64()),
])


@attrs.frozen(slots=True)
class LoadReport:
    """What one build did: the counts, the time per stage, and whether anything changed."""

    database: Path
    unchanged: bool
    build: int
    counts: dict[str, int] = attrs.field(factory=dict)
    timings: dict[str, float] = attrs.field(factory=dict)
    exports_added: tuple[str, ...] = ()
    exports_reused: tuple[str, ...] = ()
    exports_removed: tuple[str, ...] = ()

    def text(self) -> str:
        """The report as lines for a terminal."""
        if self.unchanged:
            return f"{self.database}: unchanged (build {self.build}: the same inputs as the last build)"
        c = self.counts
        lines = [f"{self.database}: build {self.build}",
                 f"  exports: {len(self.exports_added)} translated, {len(self.exports_reused)} reused, "
                 f"{len(self.exports_removed)} removed",
                 f"  rows in {c.get('rows_in', 0):,}; records {c.get('records', 0):,}; "
                 f"rejected {c.get('rows_rejected', 0):,}; rule errors {c.get('errors', 0):,}, "
                 f"warnings {c.get('warnings', 0):,}",
                 f"  people {c.get('people', 0):,}; since the last build: {c.get('merges', 0)} merges, "
                 f"{c.get('splits', 0)} splits",
                 f"  case flow: {c.get('events', 0):,} events, {c.get('links', 0):,} links, {c.get('cases', 0):,} "
                 f"cases; {c.get('unlinked', 0):,} events not linked (why: the unlinked_causes view)",
                 "  seconds: " + ", ".join(f"{name} {sec:.2f}" for name, sec in self.timings.items())]
        return "\n".join(lines)


def build_fingerprint(config: HubConfig, fingerprints: dict[str, str], as_of: date) -> str:
    """A hash of every input of a build; equal fingerprints mean equal databases."""
    digest = hashlib.sha256()
    parts: list[Any] = [__version__, as_of.isoformat(), stage_names()]
    parts += [[e.name, e.agency, e.translator, fingerprints[e.name]] for e in config.exports]
    digest.update(json.dumps(parts).encode("utf-8"))
    if config.identity_rules is not None:
        digest.update(config.identity_rules.read_bytes())
    if config.link_rules is not None:
        digest.update(b"\0link rules\0" + config.link_rules.read_bytes())
    digest.update(b"\0profile\0" + json.dumps(profile_table(config).to_pylist()).encode("utf-8"))
    return digest.hexdigest()


def profile_table(config: HubConfig) -> pa.Table:
    """``hub_profile``: the publication profile the site of this hub follows (name, version, tier)."""
    from justice_schema.privacy import load_profile

    profile = load_profile(config.profile)
    return pa.table({"name": [profile.name], "version": [profile.version], "tier": [profile.tier]})


def _load_row(context: HubContext, build: int, fingerprint: str, added: list[str], reused: list[str],
              removed: list[str]) -> dict[str, Any]:
    return {"build": build, "build_fingerprint": fingerprint, "library_version": __version__,
            "as_of": context.as_of, "exports": len(context.config.exports), "exports_added": added,
            "exports_reused": reused, "exports_removed": removed,
            **{key: context.counts.get(key, 0) for key in
               ("rows_in", "records", "rows_rejected", "errors", "warnings", "people", "merges", "splits",
                "events", "links", "unlinked", "cases")},
            "stage_seconds": json.dumps(context.timings)}


def build_hub(config: HubConfig | str | Path, *, force: bool = False, log: TextIO | None = None,
              quiet: bool = False) -> LoadReport:
    """Build (or update) the hub database of ``config`` (a :class:`HubConfig` or the path of ``hub.toml``).

    Runs every stage of :data:`~justice_schema.hub.stages.STAGES`, then writes a new
    database and swaps it in; ``force`` rebuilds even when the inputs are unchanged.
    Returns the :class:`LoadReport` (also stored, one row per build, in ``hub_loads``).
    """
    if not isinstance(config, HubConfig):
        config = load_config(config)
    context = HubContext(config=config, as_of=config.as_of or date.today(), log=log or sys.stderr, quiet=quiet)
    context.say(f"hashing {len(config.exports)} exports")
    context.fingerprints = {export.name: export.fingerprint() for export in config.exports}
    fingerprint = build_fingerprint(config, context.fingerprints, context.as_of)
    context.previous = read_tables(config.database, ["hub_exports", "person_match", "hub_loads"])
    loads = context.previous.get("hub_loads")
    build = (max(loads.column("build").to_pylist()) if loads is not None and loads.num_rows else 0) + 1
    if (not force and loads is not None and loads.num_rows
            and loads.column("build_fingerprint").to_pylist()[-1] == fingerprint):
        return LoadReport(database=config.database, unchanged=True, build=build - 1)
    old = context.previous.get("hub_exports")
    old_prints = dict(zip(old.column("hub_export").to_pylist(), old.column("fingerprint").to_pylist())) if old else {}
    reused = [e.name for e in config.exports if old_prints.get(e.name) == context.fingerprints[e.name]]
    added = [e.name for e in config.exports if e.name not in reused]
    removed = sorted(set(old_prints) - {e.name for e in config.exports})
    for stage in list(STAGES):
        stage(context)
    row = _load_row(context, build, fingerprint, added, reused, removed)
    history = [*(loads.to_pylist() if loads is not None else []), row]
    tables: dict[str, pa.Table] = {**context.tables, **context.hub, **context.extra,
                                   "hub_profile": profile_table(config),
                                   "hub_loads": pa.Table.from_pylist(history, schema=LOADS_SCHEMA)}
    context.say(f"load: writing {len(tables)} tables into a new database beside {config.database.name}")
    write_database(config.database, tables, on_table=lambda name: context.say(f"load: {name}"))
    context.say(f"load: {config.database} in place; writing Parquet copies")
    write_parquet(config.output / "parquet", tables)
    pipeline.remove_stale_cache(context)
    report = LoadReport(database=config.database, unchanged=False, build=build, counts=dict(context.counts),
                        timings=dict(context.timings), exports_added=tuple(added), exports_reused=tuple(reused),
                        exports_removed=tuple(removed))
    (config.output / "load-report.json").write_text(json.dumps(
        {**{k: v for k, v in row.items() if k != "as_of"}, "as_of": context.as_of.isoformat()}, indent=2) + "\n",
        encoding="utf-8")
    return report
