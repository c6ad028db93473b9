"""``publish_file``: a canonical Parquet file through a publication profile into an output folder.

The folder gets ``records.parquet`` (record-level tiers) or one ``<name>.parquet`` and ``<name>.csv``
per aggregate (public tier), and the risk report as ``risk.json`` and ``risk.html``. Each Parquet
file's schema metadata names the profile, its version and tier, and the privacy budget spent
(``justice_schema.publication``). The folder appears only when the whole run succeeds. The data hub
(issue 4) does not exist yet; this verb reads canonical files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import attrs
import pyarrow.parquet as pq

from justice_schema.errors import InputError
from justice_schema.files import AtomicFolder, TableSink, check_outputs
from justice_schema.io.readers import read_canonical
from justice_schema.privacy import Profile, Publication, load_key, load_profile, publish
from justice_schema.progress import Progress

__all__ = ["PublishSummary", "publish_file"]

PathLike = str | os.PathLike[str]


@attrs.frozen(slots=True)
class PublishSummary:
    """What a run wrote: the folder, the files, and the publication (with its risk report)."""

    folder: Path
    files: tuple[str, ...]
    publication: Publication


def _metadata(publication: Publication, extra: dict[str, object] | None = None) -> dict[bytes, bytes]:
    profile = publication.profile
    info = {"profile": profile.name, "profile_version": profile.version, "tier": profile.tier,
            "privacy_budget": publication.report.privacy_budget, **(extra or {})}
    return {b"justice_schema.publication": json.dumps(info, sort_keys=True).encode()}


def publish_file(path: PathLike, out: PathLike, profile: str | Profile, *, person: PathLike | None = None,
                 key_file: PathLike | None = None, overwrite: bool = False,
                 progress: Progress | None = None) -> PublishSummary:
    """Publish the canonical table at ``path`` (with its ``person`` table) under ``profile`` into ``out``.

    ``profile`` is a shipped profile's name, a profile TOML file or a :class:`Profile`. The
    pseudonym key (when the profile needs one) comes from ``key_file`` or the profile's
    environment variable; it is never written. Raises :class:`InputError` naming the file, field or
    option at fault; nothing is written then.
    """
    chosen = profile if isinstance(profile, Profile) else load_profile(profile)
    inputs = [p for p in (path, person, key_file) if p is not None]
    check_outputs(inputs, {"--out": out}, folders=["--out"])
    key = load_key(key_file, chosen.key_env) if chosen.uses_key else None
    subject = read_canonical(path)
    people = read_canonical(person) if person is not None else None
    if people is not None and ("id" not in people.column_names or people.column("id").null_count == people.num_rows):
        raise InputError("the person file has no person ids (column id) to join on", path=str(person), field="id")
    if progress:
        progress.advance(rows=subject.num_rows)
    publication = publish(subject, chosen, person=people, key=key)
    written: list[str] = []
    with AtomicFolder(out, overwrite=overwrite) as folder:
        if publication.records is not None:
            records = publication.records
            records = records.replace_schema_metadata(_metadata(publication))
            pq.write_table(records, folder.temp / "records.parquet")
            written.append("records.parquet")
        for name, table in publication.aggregates.items():
            figures = next((a for a in publication.report.aggregates if a["name"] == name), {})
            table = table.replace_schema_metadata(_metadata(publication, {"suppression": figures}))
            pq.write_table(table, folder.temp / f"{name}.parquet")
            sink = TableSink(folder.temp / f"{name}.csv", table.schema)
            sink.write(table)
            sink.close()
            written += [f"{name}.parquet", f"{name}.csv"]
        try:
            (folder.temp / "risk.json").write_text(publication.report.to_json() + "\n", encoding="utf-8")
            (folder.temp / "risk.html").write_text(publication.report.to_html(), encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the risk report: {exc.strerror or exc}", path=str(out)) from None
        written += ["risk.json", "risk.html"]
        folder.commit()
    return PublishSummary(Path(out), tuple(written), publication)


