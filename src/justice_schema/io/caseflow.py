"""Link a stored event file into cases and write every case-flow measure as Parquet.

:func:`caseflow_file` is what ``justice-schema caseflow`` runs: it reads the events (CSV, Parquet or
Arrow IPC in the :data:`~justice_schema.linking.EVENT_SCHEMA` layout), links them
(:func:`justice_schema.linking.link_events`), computes the measures (:mod:`justice_schema.caseflow`)
and writes one Parquet file each into a folder that appears only when the run succeeds.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import attrs
import pyarrow.compute as pc
import pyarrow.parquet as pq

from justice_schema import caseflow as cf
from justice_schema.errors import InputError
from justice_schema.files.atomic import AtomicFolder
from justice_schema.files.safety import check_outputs, require_file
from justice_schema.io.readers import read_whole_table
from justice_schema.linking import check_events, link_events, load_rules
from justice_schema.linking.rules import default_rules
from justice_schema.progress import Progress

__all__ = ["CaseflowSummary", "caseflow_file", "OUTPUT_FILES"]

PathLike = str | os.PathLike[str]
#: The files a run writes, in order.
OUTPUT_FILES = ("links.parquet", "unlinked.parquet", "case_events.parquet", "cases.parquet", "attrition.parquet",
                "intervals.parquet", "recidivism.parquet", "recidivism_summary.parquet", "clearance.parquet",
                "clearance_summary.parquet", "timeline.parquet")


@attrs.frozen
class CaseflowSummary:
    """What a run did: events read, links made per link type, events left unlinked, cases, the files."""

    events: int
    links: dict[str, int]
    unlinked: int
    cases: int
    as_of: dt.date
    rules_version: str
    folder: Path

    def lines(self) -> list[str]:
        """The summary as lines for a terminal."""
        out = [f"{self.events:,} events -> {self.cases:,} cases (rules {self.rules_version}, follow-up to {self.as_of})"]
        out += [f"  {name}: {count:,} links" for name, count in sorted(self.links.items())]
        out.append(f"  {self.unlinked:,} events not linked (causes in unlinked.parquet)")
        return out



def caseflow_file(path: PathLike, out: PathLike, *, rules: PathLike | None = None, as_of: dt.date | None = None,
                  by: Sequence[str] = (), explain: bool = False, overwrite: bool = False,
                  progress: Progress | None = None) -> CaseflowSummary:
    """Link the events of ``path`` and write the measures into folder ``out`` (see :data:`OUTPUT_FILES`).

    ``as_of`` ends the recidivism follow-up (default: the latest event date); ``by`` groups attrition
    and intervals by case-table columns (e.g. ``county``, ``year``, ``charged_ucr_code``); ``explain``
    keeps each link's days and evidence in ``links.parquet``.
    """
    file = require_file(path)
    check_outputs([file], {"--out": out}, folders=["--out"])
    link_rules = load_rules(rules) if rules is not None else default_rules()
    progress = progress or Progress("caseflow", enabled=False)
    events = check_events(read_whole_table(file), source=str(file))
    cases_columns = ("case_uid", "person_uid", "agency", "county", "sex", "race", "year", "charged_ucr_code",
                     "charged_severity", "convicted_ucr_code")
    unknown = [b for b in by if b not in cases_columns]
    if unknown:
        raise InputError(f"--by {','.join(unknown)}: not a case-table column; use any of {', '.join(cases_columns[1:])}")
    if as_of is None:
        latest = pc.max(events["event_date"]).as_py()
        as_of = latest if latest is not None else dt.date.today()
    linked = link_events(events, link_rules, source=str(file))
    progress.advance(rows=events.num_rows)
    cases = cf.case_table(events, linked, link_rules)
    followed = cf.recidivism(cases, as_of)
    cleared = cf.clearance(events, linked)
    links = linked.links if explain else linked.links.drop(["days", "evidence"])
    tables = {
        "links.parquet": links, "unlinked.parquet": linked.unlinked, "case_events.parquet": linked.cases,
        "cases.parquet": cases, "attrition.parquet": cf.attrition(cases, by), "intervals.parquet": cf.intervals(cases, by),
        "recidivism.parquet": followed, "recidivism_summary.parquet": cf.recidivism_summary(followed),
        "clearance.parquet": cleared, "clearance_summary.parquet": cf.clearance_summary(cleared),
        "timeline.parquet": cf.person_timeline(events, linked),
    }
    with AtomicFolder(out, overwrite=overwrite) as folder:
        for name in OUTPUT_FILES:
            pq.write_table(tables[name], folder.temp / name)
        folder.commit()
    counts = linked.links.group_by("link_type").aggregate([("child_id", "count")]).to_pylist()
    return CaseflowSummary(events=events.num_rows, links={r["link_type"]: r["child_id_count"] for r in counts},
                           unlinked=linked.unlinked.num_rows, cases=cases.num_rows, as_of=as_of,
                           rules_version=linked.rules_version, folder=Path(out))
