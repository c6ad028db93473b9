"""The built-in hub stages: translate, validate, match, profile (registered on import).

* ``translate`` — each export through its translator (records checked by the schema's
  rules as they are translated), or, for a ``translator = "canonical"`` export, its
  canonical records read and put to the same checks (:mod:`justice_schema.hub.canonical`);
  an export whose fingerprint (spec and file bytes) is unchanged is read back from the
  content-addressed cache instead (incremental builds);
* ``validate`` — every entity's rows together, with the cross-entity rules (references,
  chronology);
* ``match`` — identity over every person record (an id sent again in a later export
  counts once, its newest version), golden persons, and the merges and splits since the
  last build;
* ``profile`` — completeness by agency, entity and field (:mod:`justice_schema.hub.completeness`).
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from justice_schema.arrow import arrow_schema
from justice_schema.hub.canonical import canonical_fields, read_canonical_files
from justice_schema.hub.completeness import collected_fields, completeness_table
from justice_schema.hub.events import newest_per_id
from justice_schema.hub.stages import HubContext, Stage, register_stage
from justice_schema.progress import Progress
from justice_schema.registry import ENTITY_TYPES
from justice_schema.versioning.migrations import to_one_version

__all__ = ["HUB_COLUMNS", "cache_dir", "strip_hub_columns"]

#: The columns the hub adds to every canonical table.
HUB_COLUMNS = ("hub_export", "hub_agency", "hub_row")


def cache_dir(context: HubContext, name: str, fingerprint: str) -> Path:
    """Where the translation of export ``name`` with ``fingerprint`` is cached."""
    return context.config.output / "cache" / f"{name}-{fingerprint[:20]}"


def strip_hub_columns(table: pa.Table) -> pa.Table:
    """``table`` without the hub's own columns (as the library's verbs expect it)."""
    return table.drop_columns([c for c in HUB_COLUMNS if c in table.column_names])


def _tag(table: pa.Table, export: str, agency: str) -> pa.Table:
    n = table.num_rows
    return (table.append_column("hub_export", pa.array([export] * n, pa.string()))
            .append_column("hub_agency", pa.array([agency] * n, pa.string())))


def _translate_one(context: HubContext, export_index: int) -> tuple[dict[str, pa.Table], pa.Table, dict[str, int]]:
    from justice_schema.files import AtomicFolder
    from justice_schema.translation import Translator

    export = context.config.exports[export_index]
    fingerprint = context.fingerprints.get(export.name) or export.fingerprint()
    folder = cache_dir(context, export.name, fingerprint)
    done = folder / "counts.json"
    if done.is_file():
        counts = json.loads(done.read_text(encoding="utf-8"))
        cached = {p.stem: pq.read_table(p) for p in sorted(folder.glob("*.parquet")) if p.stem != "rejects"}
        context.say(f"translate: {export.name}: unchanged, reused ({counts['rows_in']:,} rows in)")
        return cached, pq.read_table(folder / "rejects.parquet"), {**counts, "fingerprint": fingerprint, "reused": 1}
    # source.extracted_at: the newest file's modification time (not 'now'), so that translating the same
    # files again gives the same records (an incremental build equals a full rebuild)
    stamp = datetime.fromtimestamp(max(int(p.stat().st_mtime) for p in export.files), UTC)
    tables: dict[str, pa.Table]
    if export.spec_path is None:  # translator = "canonical": the files hold records already
        read = read_canonical_files(export.files, ignore_columns=HUB_COLUMNS)
        tables, rejects = read.tables, read.rejects
        rows_in, rows_rejected = read.rows_in, read.rejects.num_rows
    else:
        total = sum(p.stat().st_size for p in export.files)
        with Progress(f"hub: translate {export.name}", total_bytes=total, stream=context.log,
                      enabled=None if not context.quiet else False) as progress:
            result = Translator(export.spec_path, extracted_at=stamp).translate(list(export.files),
                                                                                progress=progress)
        tables, rejects = dict(result.tables), result.rejects
        rows_in, rows_rejected = result.reconciliation.rows_in, result.reconciliation.rows_rejected
    counts = {"rows_in": rows_in, "rows_rejected": rows_rejected,
              "records_out": sum(t.num_rows for t in tables.values())}
    folder.parent.mkdir(parents=True, exist_ok=True)
    with AtomicFolder(folder, overwrite=True, option="hub cache") as out:
        for entity, table in tables.items():
            pq.write_table(table, out.temp / f"{entity}.parquet")
        pq.write_table(rejects, out.temp / "rejects.parquet")
        (out.temp / "counts.json").write_text(json.dumps(counts), encoding="utf-8")
        out.commit()
    context.say(f"translate: {export.name}: {rows_in:,} rows in, {counts['records_out']:,} records, "
                f"{rows_rejected:,} rejected")
    return tables, rejects, {**counts, "fingerprint": fingerprint, "reused": 0}


def translate(context: HubContext) -> None:
    """Translate (or reuse) every export; gather the canonical tables, rejects and the export list."""
    parts: dict[str, list[pa.Table]] = {entity: [] for entity in ENTITY_TYPES}
    rejects: list[pa.Table] = []
    exports: list[dict[str, Any]] = []
    fields: list[dict[str, str]] = []
    untagged: dict[str, list[tuple[pa.Table, str, str]]] = {}
    for index, export in enumerate(context.config.exports):
        tables, reject_table, counts = _translate_one(context, index)
        for entity, table in tables.items():
            if table.num_rows:
                untagged.setdefault(entity, []).append((table, export.name, export.agency))
        rejects.append(_tag(reject_table, export.name, export.agency))
        counts.pop("reused")  # history, in hub_loads: hub_exports describes the data only
        exports.append({"hub_export": export.name, "hub_agency": export.agency, "translator": export.translator,
                        "files": [p.name for p in export.files], **counts})
        collected = canonical_fields() if export.spec_path is None else collected_fields(export.spec_path)
        for entity, names in collected.items():
            fields.extend({"translator": export.translator, "entity": entity, "field": name} for name in names)
    for entity, pieces in untagged.items():
        # exports pinned at an older schema version are upgraded to the newest among them, so they stack
        same = to_one_version([table for table, _, _ in pieces], entity)
        parts[entity] = [_tag(table, name, agency) for table, (_, name, agency) in zip(same, pieces, strict=True)]
    for entity, chunks in parts.items():
        if chunks:
            table = pa.concat_tables(chunks, promote_options="default")
        else:
            table = _tag(arrow_schema(entity).empty_table(), "", "")
        context.tables[entity] = table.append_column("hub_row", pa.array(range(1, table.num_rows + 1), pa.int64()))
    context.hub["hub_rejects"] = pa.concat_tables(rejects, promote_options="default")
    context.hub["hub_exports"] = pa.Table.from_pylist(exports)
    unique = {tuple(row.values()): row for row in fields}
    context.hub["hub_source_fields"] = pa.Table.from_pylist(list(unique.values()), schema=pa.schema(
        [("translator", pa.string()), ("entity", pa.string()), ("field", pa.string())]))
    context.counts["rows_in"] = sum(int(e["rows_in"]) for e in exports)
    context.counts["rows_rejected"] = sum(int(e["rows_rejected"]) for e in exports)
    context.counts["records"] = sum(t.num_rows for t in context.tables.values())


def validate(context: HubContext) -> None:
    """Validate every entity's rows together (field, record and cross-entity rules)."""
    from justice_schema.validation import validate_tables

    tables = {e: strip_hub_columns(t) for e, t in context.tables.items() if t.num_rows}
    report = validate_tables(tables, as_of=context.as_of)
    issues = report.issues
    parts = []
    for entity, table in context.tables.items():
        mine = issues.filter(pc.equal(issues.column("entity"), entity))
        if not mine.num_rows:
            continue
        index = pc.subtract(mine.column("row"), 1)
        parts.append(mine.append_column("hub_export", table.column("hub_export").take(index))
                     .append_column("hub_agency", table.column("hub_agency").take(index)))
    if parts:
        context.hub["hub_issues"] = pa.concat_tables(parts)
    else:
        empty = issues.schema.append(pa.field("hub_export", pa.string())).append(pa.field("hub_agency", pa.string()))
        context.hub["hub_issues"] = empty.empty_table()
    context.counts["errors"] = report.error_count
    context.counts["warnings"] = report.warning_count


def _changes(previous: pa.Table | None, current: pa.Table) -> pa.Table:
    """Merges (people of the last build now one) and splits (one now several) among records seen before."""
    schema = pa.schema([("kind", pa.string()), ("person_uid", pa.string()), ("other_uids", pa.list_(pa.string()))])
    if previous is None or not previous.num_rows:
        return schema.empty_table()
    joined = current.select(["id", "person_uid"]).join(
        previous.select(["id", "person_uid"]).rename_columns(["id", "old_uid"]), "id", join_type="inner")
    rows = []
    for kind, key, other in (("merge", "person_uid", "old_uid"), ("split", "old_uid", "person_uid")):
        grouped = joined.group_by(key).aggregate([(other, "distinct")])
        many = grouped.filter(pc.greater(pc.list_value_length(grouped.column(f"{other}_distinct")), 1))
        for uid, others in zip(many.column(key).to_pylist(), many.column(f"{other}_distinct").to_pylist()):
            rows.append({"kind": kind, "person_uid": uid, "other_uids": sorted(others)})
    rows.sort(key=lambda r: (r["kind"], r["person_uid"]))
    return pa.Table.from_pylist(rows, schema=schema)


def match(context: HubContext) -> None:
    """Match every person into a ``person_uid``; golden persons; merges and splits since the last build."""
    from justice_schema.identity import golden_records, match_persons

    people = newest_per_id(context.tables["person"])
    with Progress("hub: match", stream=context.log, enabled=None if not context.quiet else False) as progress:
        result = match_persons(strip_hub_columns(people), rules=context.config.identity_rules, progress=progress)
    assignments = result.assignments()
    context.hub["person_match"] = assignments
    context.hub["golden_person"] = golden_records(result)
    changes = _changes(context.previous.get("person_match"), assignments)
    context.hub["hub_identity_changes"] = changes
    context.counts["people"] = result.person_count
    context.counts["merges"] = int(pc.sum(pc.equal(changes.column("kind"), "merge")).as_py() or 0)
    context.counts["splits"] = int(pc.sum(pc.equal(changes.column("kind"), "split")).as_py() or 0)
    context.say(f"match: {people.num_rows:,} person records -> {result.person_count:,} people "
                f"({context.counts['merges']} merges, {context.counts['splits']} splits since the last build)")


def profile(context: HubContext) -> None:
    """Completeness by agency, entity and field, separating not collected from left blank."""
    sources = context.hub["hub_source_fields"]
    translators = dict(zip(context.hub["hub_exports"].column("hub_export").to_pylist(),
                           context.hub["hub_exports"].column("translator").to_pylist()))
    context.hub["hub_completeness"] = completeness_table(context.tables, sources, translators)


def remove_stale_cache(context: HubContext) -> None:
    """Delete cached translations no export of this build uses (after the database is in place)."""
    root = context.config.output / "cache"
    if not root.is_dir():
        return
    keep = {cache_dir(context, name, fp).name for name, fp in zip(
        context.hub["hub_exports"].column("hub_export").to_pylist(),
        context.hub["hub_exports"].column("fingerprint").to_pylist())}
    for entry in root.iterdir():
        if entry.is_dir() and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


register_stage(Stage("translate", translate, "translate each export (unchanged exports reused)"))
register_stage(Stage("validate", validate, "field, record and cross-entity rules over every entity"))
register_stage(Stage("match", match, "identity matching into person_uid, golden persons"))
register_stage(Stage("profile", profile, "completeness by agency and field"))
