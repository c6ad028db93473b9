"""Case-flow benchmark: generate a county, link it, measure it; time per step and peak memory.

    python benchmarks/caseflow.py                  # 5,000,000 events
    python benchmarks/caseflow.py --events 500000  # a quicker run

Prints the size (events, people), the wall and CPU time of each step, the peak resident memory,
link precision/recall per link type against the generator's truth, and the ratio of the Arrow-join
linker to the obvious alternative, a Python dict lookup per row, on the same charge->arrest OTN link.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyarrow as pa
import pyarrow.compute as pc
from _memory import rss_mb

from justice_schema import caseflow as cf
from justice_schema.linking import link_events, load_rules
from justice_schema.linking.quality import link_quality
from justice_schema.linking.synthetic import CountyParams, generate_county

EVENTS_PER_PERSON = 13.8   # the generator's default mix, measured


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
                print(f"  {name:<28} {timer.rows[-1][1]:7.1f} s wall {timer.rows[-1][2]:7.1f} s CPU", flush=True)

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    people = max(int(args.events / EVENTS_PER_PERSON), 10)
    print(f"caseflow benchmark: ~{args.events:,} events; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    timer = Timer()
    with timer.step("generate"):
        county = generate_county(CountyParams(people=people, seed=args.seed))
    events = county.events
    n_people = pc.count_distinct(events["person_uid"]).as_py()
    print(f"  {events.num_rows:,} events, {n_people:,} people")
    with timer.step("link"):
        linked = link_events(events)
    with timer.step("case table"):
        cases = cf.case_table(events, linked)
    with timer.step("attrition + intervals"):
        cf.attrition(cases, ["county", "year"])
        cf.intervals(cases, ["county"])
    as_of = county.as_of.astype(dt.date)
    with timer.step("recidivism"):
        cf.recidivism_summary(cf.recidivism(cases, as_of))
    with timer.step("clearance"):
        cf.clearance_summary(cf.clearance(events, linked))
    with timer.step("person timeline"):
        cf.person_timeline(events, linked)
    total_wall = sum(r[1] for r in timer.rows if r[0] != "generate")
    total_cpu = sum(r[2] for r in timer.rows if r[0] != "generate")
    print(f"  link + measure: {total_wall:.1f} s wall, {total_cpu:.1f} s CPU; {cases.num_rows:,} cases; "
          f"peak memory {rss_mb():,.0f} MB; load average now {os.getloadavg()[0]:.1f}")
    print("  link quality against the generator's truth:")
    for row in link_quality(linked.links, county.truth).to_pylist():
        print(f"    {row['link_type']:<26} precision {row['precision']:.4f} recall {row['recall']:.4f} "
              f"({row['correct']:,}/{row['true_links']:,})")
    # the obvious alternative, same link, same data
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


if __name__ == "__main__":
    main()
