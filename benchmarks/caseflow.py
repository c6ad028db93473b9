"""Case-flow benchmark: generate a county, link it, measure it; time per step and peak memory.

    python benchmarks/caseflow.py                          # 5,000,000 events, about 900,000 people
    python benchmarks/caseflow.py --events 500000          # a quicker run
    python benchmarks/caseflow.py --identity-sweep --events 500000   # link quality under identity errors
    python benchmarks/caseflow.py --events 500000 --long-lags         # deferred filings and parole (rules 1.2)
    python benchmarks/caseflow.py --events 500000 --long-lags --rules old.toml   # the same county, other rules
    python benchmarks/caseflow.py --keep county/                      # then, under another tree's src:
    python benchmarks/caseflow.py --stage pipeline --folder county/   # the same county, another version

The county is generated first, in a process of its own, and written to Parquet (events and truth);
a second process reads the events and runs the pipeline (link, then every measure), so the peak
resident memory it reports is the pipeline's alone. Prints the wall and CPU time of each step, the
load average, the peak, link precision/recall per link type against the generator's truth, and the
ratio of the Arrow-join linker to the obvious alternative, a Python dict lookup per row, on the same
charge->arrest OTN link. ``--identity-sweep`` links counties drawn with no, realistic and heavy
identity errors (split and merged people) and prints precision and recall per link type for each.
``--long-lags`` draws the county with deferred filings and parole after prison (:data:`LONG_LAGS`), the
lags the default rules' windows were widened for in 1.2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from _memory import rss_mb

from justice_schema import caseflow as cf
from justice_schema.linking import link_events, load_rules
from justice_schema.linking.quality import link_quality
from justice_schema.linking.synthetic import CountyParams, generate_county

#: The benchmark's county: most people arrested once over the ten years, 1.3 charges per arrest, the
#: prosecutor's export covering 60 % of arrests, and the state corrections export adding people of
#: other counties (45 % more people, one custody or supervision event each). About 5.5 events per person.
HUB_MIX = dict(repeat_probability=0.15, extra_charge_rate=0.1, uncleared_incident_rate=0.3,
               decision_recorded_rate=0.6, corrections_only_rate=0.45)
EVENTS_PER_ARRESTED_PERSON = 7.95   # HUB_MIX, measured: events / people before the corrections-only people

#: --long-lags: a fifth of filings deferred 61 days to 3 years after the arrest; half of the released
#: prisoners paroled (a supervision from the release date).
LONG_LAGS = dict(deferred_filing_rate=0.2, parole_rate=0.5)

#: Identity-error settings of --identity-sweep: (label, split_rate, merge_rate).
IDENTITY_SETTINGS = (("none", 0.0, 0.0), ("realistic", 0.03, 0.002), ("heavy", 0.10, 0.01))


class Timer:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []

    def step(self, name: str):
        timer = self

        class _Step:
            def __enter__(self) -> None:
                self.wall, self.cpu = time.perf_counter(), time.process_time()

            def __exit__(self, *exc: object) -> None:
                timer.rows.append((name, time.perf_counter() - self.wall, time.process_time() - self.cpu))
                print(f"  {name:<28} {timer.rows[-1][1]:7.1f} s wall {timer.rows[-1][2]:7.1f} s CPU"
                      f"   peak so far {rss_mb():7,.0f} MB", flush=True)

        return _Step()


def _dict_link(events) -> float:
    """The obvious alternative: a dict of arrest OTN -> id, looked up row by row."""
    start = time.perf_counter()
    arrests = events.filter(pc.equal(events["event_type"], "arrest")).select(["event_id", "offense_tracking_number", "person_uid"])
    charges = events.filter(pc.equal(events["event_type"], "charge")).select(["event_id", "offense_tracking_number", "person_uid"])
    index = {}
    for eid, otn, person in zip(*(arrests[c].to_pylist() for c in arrests.column_names), strict=True):
        if otn is not None:
            index[otn] = (eid, person)
    links = {}
    for eid, otn, person in zip(*(charges[c].to_pylist() for c in charges.column_names), strict=True):
        hit = index.get(otn) if otn is not None else None
        if hit is not None and hit[1] == person:
            links[eid] = hit[0]
    return time.perf_counter() - start


ONE_RULE = """version = "bench"
[most_serious]
severity = ["FELONY"]
degree = ["1"]
ucr = ["09A"]
[[link]]
name = "charge_arrest"
child = "charge"
parent = "arrest"
  [[link.rule]]
  name = "otn"
  keys = ["offense_tracking_number"]
  agree = ["person_uid"]
  window = [-100000, 100000]
"""


def _params(args: argparse.Namespace, split: float, merge: float) -> CountyParams:
    people = max(int(args.events / EVENTS_PER_ARRESTED_PERSON), 10)
    lags = LONG_LAGS if args.long_lags else {}
    return CountyParams(people=people, seed=args.seed, split_rate=split, merge_rate=merge, **HUB_MIX, **lags)


def _generate(args: argparse.Namespace) -> None:
    """Child process 1: draw the county and write events.parquet, truth.parquet and as_of.txt."""
    folder = Path(args.folder)
    timer = Timer()
    with timer.step("generate"):
        county = generate_county(_params(args, args.split_rate, args.merge_rate))
    with timer.step("write Parquet"):
        pq.write_table(county.events, folder / "events.parquet")
        pq.write_table(county.truth, folder / "truth.parquet")
        (folder / "as_of.txt").write_text(str(county.as_of.astype(dt.date)))
    print(f"  generator peak memory {rss_mb():,.0f} MB (not counted)")


def _pipeline(args: argparse.Namespace) -> None:
    """Child process 2: read the events, link, run every measure; then quality and the dict ratio."""
    folder = Path(args.folder)
    as_of = dt.date.fromisoformat((folder / "as_of.txt").read_text())
    load = os.getloadavg()[0]
    timer = Timer()
    with timer.step("read Parquet"):
        events = pq.read_table(folder / "events.parquet")
    n_people = pc.count_distinct(events["person_uid"]).as_py()
    print(f"  {events.num_rows:,} events, {n_people:,} people (person_uid values)", flush=True)
    rules = load_rules(args.rules) if args.rules else None
    with timer.step("link"):
        linked = link_events(events, rules)
    print(f"  rules {linked.rules_version}", flush=True)
    with timer.step("case table"):
        cases = cf.case_table(events, linked, rules)
    with timer.step("attrition + intervals"):
        cf.attrition(cases, ["county", "year"])
        cf.intervals(cases, ["county"])
    with timer.step("recidivism"):
        cf.recidivism_summary(cf.recidivism(cases, as_of))
    with timer.step("clearance"):
        cf.clearance_summary(cf.clearance(events, linked))
    with timer.step("person timeline"):
        cf.person_timeline(events, linked)
    total_wall = sum(r[1] for r in timer.rows)
    total_cpu = sum(r[2] for r in timer.rows)
    print(f"  read + link + measure: {total_wall:.1f} s wall, {total_cpu:.1f} s CPU; {cases.num_rows:,} cases; "
          f"peak memory {rss_mb():,.0f} MB; load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} now", flush=True)
    _print_quality(linked, pq.read_table(folder / "truth.parquet"))
    with tempfile.TemporaryDirectory() as tmp:
        rules_path = Path(tmp) / "one.toml"
        rules_path.write_text(ONE_RULE)
        rules = load_rules(rules_path)
        sub = events.filter(pc.is_in(events["event_type"], value_set=pa.array(["arrest", "charge"])))
        start = time.perf_counter()
        link_events(sub, rules)
        ours = time.perf_counter() - start
    theirs = _dict_link(sub)
    print(f"  charge->arrest by OTN on {sub.num_rows:,} events: linker {ours:.2f} s, Python dict per row {theirs:.2f} s "
          f"(ratio {theirs / ours:.2f}x)")


def _print_quality(linked, truth: pa.Table) -> None:
    print("  link quality against the generator's truth:")
    for row in link_quality(linked.links, truth).to_pylist():
        print(f"    {row['link_type']:<26} precision {row['precision']:.4f} recall {row['recall']:.4f} "
              f"({row['correct']:,}/{row['true_links']:,})")


def _sweep(args: argparse.Namespace) -> None:
    """Precision and recall per link type for each identity-error setting, one table."""
    results = {}
    for label, split, merge in IDENTITY_SETTINGS:
        county = generate_county(_params(args, split, merge))
        events = county.events.take(pa.array(np.random.default_rng(args.seed).permutation(county.events.num_rows)))
        rules = load_rules(args.rules) if args.rules else None
        quality = link_quality(link_events(events, rules).links, county.truth)
        results[label] = {r["link_type"]: (r["precision"], r["recall"]) for r in quality.to_pylist()}
        print(f"  {label}: split {split:.3f}, merge {merge:.3f}: {county.events.num_rows:,} events", flush=True)
    header = " | ".join(f"{label} P / R" for label, _, _ in IDENTITY_SETTINGS)
    print(f"| link type | {header} |")
    print("|---|" + "---|" * len(IDENTITY_SETTINGS))
    for link_type in results["none"]:
        cells = " | ".join("{:.4f} / {:.4f}".format(*results[label][link_type]) for label, _, _ in IDENTITY_SETTINGS)
        print(f"| {link_type} | {cells} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--split-rate", type=float, default=0.0, help="identity errors: share of people split")
    parser.add_argument("--merge-rate", type=float, default=0.0, help="identity errors: share of people merged")
    parser.add_argument("--identity-sweep", action="store_true", help="link quality under no, realistic, heavy identity errors")
    parser.add_argument("--rules", help="link by this rules file instead of the default rules")
    parser.add_argument("--long-lags", action="store_true", help="deferred filings and parole after prison in the county")
    parser.add_argument("--keep", metavar="FOLDER", help="keep the generated county (events, truth) in FOLDER")
    parser.add_argument("--stage", choices=("generate", "pipeline"),
                        help="run one process only: 'pipeline --folder F' measures a county kept with --keep F")
    parser.add_argument("--folder", help="with --stage: the county's folder")
    args = parser.parse_args()
    if args.stage == "generate":
        return _generate(args)
    if args.stage == "pipeline":
        return _pipeline(args)
    print(f"caseflow benchmark: ~{args.events:,} events; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
          flush=True)
    if args.identity_sweep:
        return _sweep(args)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        Path(folder).mkdir(parents=True, exist_ok=True)
        common = [sys.executable, __file__, "--events", str(args.events), "--seed", str(args.seed), "--folder", folder,
                  "--split-rate", str(args.split_rate), "--merge-rate", str(args.merge_rate),
                  *(["--long-lags"] if args.long_lags else []), *(["--rules", args.rules] if args.rules else [])]
        subprocess.run([*common, "--stage", "generate"], check=True)
        subprocess.run([*common, "--stage", "pipeline"], check=True)


if __name__ == "__main__":
    main()
