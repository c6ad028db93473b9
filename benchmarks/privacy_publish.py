"""Tiered publication on a generated population: the issue-17 acceptance figures.

    PYTHONPATH=src python benchmarks/privacy_publish.py [--arrests 1000000] [--press 20000]

Generates ``--arrests`` arrests (about 0.6 people per arrest, 2 % sealed, 1 % expunged people, juveniles
by age), publishes them under the shipped ``research`` and ``public`` profiles, and prints:

* research: rows withheld by reason, k, l and the share unique before and after;
* public: per table, cells, primary and complementary suppressions, cells published under the
  threshold (must be 0) and suppressed cells recomputable from the totals (must be 0);
* a linkage attack: ``--press`` arrests as a press release tells them (town, date, offense, age, sex),
  matched against both outputs; unique matches must be 0;
* the time of each step, and the ratio of publishing to the plain Parquet write of the same input
  (the obvious alternative: publishing the raw table).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import pyarrow.compute as pc
import pyarrow.parquet as pq

from justice_schema.privacy import PseudonymKey, load_profile, publish
from justice_schema.privacy.linkage import match_counts, match_records
from justice_schema.testing.population import attacker_view, generate_population, press_release


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--arrests", type=int, default=1_000_000)
    parser.add_argument("--press", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    key = PseudonymKey(os.urandom(32), "benchmark")
    t0 = time.perf_counter()
    population = generate_population(args.arrests, seed=args.seed)
    t_gen = time.perf_counter() - t0
    print(f"generated {population.arrests.num_rows:,} arrests of {population.people.num_rows:,} people "
          f"in {t_gen:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        pq.write_table(population.arrests, f"{tmp}/raw.parquet")
        t_raw = time.perf_counter() - t0
    research_profile = load_profile("research")
    t0, c0 = time.perf_counter(), time.process_time()
    research = publish(population.arrests, research_profile, person=population.people, key=key)
    t_research, c_research = time.perf_counter() - t0, time.process_time() - c0
    report = research.report
    print(f"\nresearch ({t_research:.1f} s wall, {c_research:.1f} s CPU; {t_research / t_raw:.1f}x the raw Parquet "
          f"write of {t_raw:.1f} s)")
    if report.recoded:
        print("  recoded for k:", ", ".join(f"{k} {v:,}" for k, v in report.recoded.items()))
    print("  rows:", ", ".join(f"{k} {v:,}" for k, v in report.rows.items()))
    for label, m in (("before", report.before), ("after", report.after)):
        assert m is not None
        print(f"  {label}: k={m.k} l={m.l_diversity} classes={m.classes:,} unique={m.unique_rows:,} "
              f"({m.share_unique:.2%}) rows in classes under 5: {m.rows_in_classes_under_5:,}")
    public_profile = load_profile("public")
    t0, c0 = time.perf_counter(), time.process_time()
    public = publish(population.arrests, public_profile, person=population.people, key=key)
    t_public, c_public = time.perf_counter() - t0, time.process_time() - c0
    print(f"\npublic ({t_public:.1f} s wall, {c_public:.1f} s CPU; {t_public / t_raw:.1f}x the raw Parquet write)")
    for agg in public.report.aggregates:
        print(f"  {agg['name']}: {agg['cells']} cells, {agg['primary_suppressed']} primary + "
              f"{agg['complementary_suppressed']} complementary suppressed, smallest published "
              f"{agg['smallest_published_nonzero']}, under threshold {agg['published_under_threshold']}, "
              f"recomputable {agg['recomputable_suppressed']}")
    press = press_release(population, args.press, seed=args.seed)
    records = research.records
    assert records is not None
    bands = research_profile.fields["arrestee_age.min_years"].options["bands"]
    published_offenses = pc.unique(records.column("ucr_arrest_offense_code"))
    attack = attacker_view(press, bands, published_offenses)
    on = {"county": "location.county_fips", "month": "arrest_date", "offense": "ucr_arrest_offense_code",
          "age_band": "arrestee_age.min_years", "sex": "person.sex"}
    linked = match_records(attack, records, on)
    print(f"\nlinkage attack, {press.num_rows:,} press rows (town, date, offense, age, sex):")
    print(f"  research: matched {linked.matched:,}, unique matches {linked.unique}, smallest match {linked.smallest}")
    public_attack = attacker_view(press, public_profile.fields["arrestee_age.min_years"].options["bands"])
    for agg in public_profile.aggregates:
        columns = {"location.county_fips": "county", "ucr_arrest_offense_code": "offense",
                   "arrestee_age.min_years": "age_band", "person.sex": "sex", "arrest_date": "month"}
        dims = [*agg.rows, agg.column]
        if not all(d in columns for d in dims):
            continue
        result = match_counts(public_attack, public.aggregates[agg.name], {columns[d]: d for d in dims})
        print(f"  public {agg.name}: cells of count 1 matched {result.unique}, smallest published match "
              f"{result.smallest}")


if __name__ == "__main__":
    main()
