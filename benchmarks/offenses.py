"""Benchmark: classifying 1,000,000 charge descriptions, each distinct text once, vs a per-row loop.

:func:`justice_schema.offenses.classify_offenses` dictionary-encodes its input and runs the
rules once per distinct text with Arrow compute. The obvious alternative is a loop calling the
classifier on each row (``classify_offense(text)``), as a script over a spreadsheet would. The
loop is timed on a random sample of the same rows (it would take hours on all of them) and its
rate extrapolated; the script prints both and the ratio.

The rows are realistic in their repetition: a pool of distinct texts (offense phrases with
abbreviations, statute prefixes, degrees, repeat counts, misspellings, punctuation and case
variants) drawn with Zipf-like weights, so a few texts are very common and most are rare, as
in court and jail exports.

    python benchmarks/offenses.py                       # 1,000,000 rows
    python benchmarks/offenses.py --rows 100000 --sample 500

Figures depend on the machine and its load; compare the ratio, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import random
import resource
import time

import numpy as np
import pyarrow as pa

from justice_schema.offenses import classify_offense, classify_offenses

PHRASES = [
    "POSS CS SCH I/II", "PWID COCAINE", "DUI", "DWI", "DRIVING WHILE LICENSE SUSPENDED", "PETIT LARCENY",
    "GRAND LARCENY", "SHOPLIFTING", "ASSAULT AND BATTERY", "ASSAULT & BATTERY FAMILY MEMBER", "SIMPLE ASSAULT",
    "AGGRAVATED ASSAULT", "ASLT ON LEO", "MALICIOUS WOUNDING", "ROBBERY", "ARMED ROBBERY", "BURGLARY",
    "B&E DWELLING", "BREAKING AND ENTERING", "TRESPASS", "CRIMINAL TRESPASS", "VANDALISM", "DESTRUCTION OF PROPERTY",
    "POSS MARIJUANA", "POSS OF MARIJUANA", "POSS HEROIN", "DISTRIBUTION OF HEROIN", "POSS METH", "POSS DRUG PARAPH",
    "OBSTRUCTION OF JUSTICE", "RESISTING ARREST", "ELUDING POLICE", "FTA", "FAILURE TO APPEAR", "CONTEMPT OF COURT",
    "PROBATION VIOLATION", "VOP", "PAROLE VIOLATION", "VIOL PROTECTIVE ORDER", "DISORDERLY CONDUCT", "DRUNK IN PUBLIC",
    "PUBLIC INTOXICATION", "UNDERAGE POSS ALCOHOL", "RECKLESS DRIVING", "SPEEDING", "NO VALID DRIVERS LICENSE",
    "HIT AND RUN", "LEAVING THE SCENE OF ACCIDENT", "UNAUTH USE OF VEH", "MOTOR VEHICLE THEFT", "RECEIVING STOLEN PROP",
    "FORGERY", "UTTERING", "CREDIT CARD FRAUD", "IDENTITY THEFT", "BAD CHECK", "EMBEZZLEMENT", "FRAUD",
    "FIREARM: POSSESS BY FELON", "CARRYING CONCEALED WEAPON", "BRANDISHING FIREARM", "MURDER", "ATT MURDER",
    "MANSLAUGHTER", "KIDNAPPING", "ABDUCTION", "RAPE", "SEXUAL BATTERY", "INDECENT EXPOSURE", "PROSTITUTION",
    "SOLICITATION OF PROSTITUTION", "ARSON", "STALKING", "THREATS", "HARASSMENT", "ESCAPE", "CHILD ABUSE",
    "CONTRIBUTING TO DELINQUENCY OF A MINOR", "NON SUPPORT", "GAMBLING", "LITTERING", "CRUELTY TO ANIMALS",
]
PREFIXES = ["", "", "", "18.2-250 ", "76-6-404 ", "14-72 ", "PC 22.01 ", "2913.02 "]
SUFFIXES = ["", "", "", " 1ST OFF", " 2ND OFF", " 2ND+ OFF", " 3RD", " F3", " MA", " MISD", " FEL", " 1ST DEGREE",
            " 2ND DEGREE", " (A)", " - CLASS 1 MISDEMEANOR", " W/I 5 YRS", " <$500", " >$1000"]


def _misspell(text: str, rng: random.Random) -> str:
    words = text.split()
    if not words:
        return text
    i = rng.randrange(len(words))
    word = words[i]
    if len(word) > 5:
        j = rng.randrange(1, len(word) - 1)
        word = word[:j] + word[j + 1] + word[j] + word[j + 2:]
    words[i] = word
    return " ".join(words)


def make_pool(size: int, seed: int = 11) -> list[str]:
    """``size`` distinct charge texts built from phrases, prefixes, suffixes, case and spelling variants."""
    rng = random.Random(seed)
    pool: dict[str, None] = {}
    while len(pool) < size:
        text = rng.choice(PREFIXES) + rng.choice(PHRASES) + rng.choice(SUFFIXES)
        roll = rng.random()
        if roll < 0.15:
            text = _misspell(text, rng)
        elif roll < 0.25:
            text = text.title()
        elif roll < 0.3:
            text = text.replace(" ", "  ")
        elif roll < 0.35:
            text = f"{text} #{rng.randrange(100000)}"  # a case-specific tail: the long unique tail of real data
        pool[text] = None
    return list(pool)


def make_rows(rows: int, distinct: int, seed: int = 5) -> pa.Array:
    """``rows`` texts drawn from a pool of ``distinct`` with Zipf-like weights (rank^-1.1)."""
    pool = make_pool(distinct)
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, len(pool) + 1) ** 1.1
    picks = rng.choice(len(pool), size=rows, p=weights / weights.sum())
    return pa.array(pool, pa.string()).take(pa.array(picks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows to classify (default: %(default)s)")
    parser.add_argument("--distinct", type=int, default=50_000, help="distinct texts in the pool (default: %(default)s)")
    parser.add_argument("--sample", type=int, default=1_000, help="rows the per-row loop is timed on (default: %(default)s)")
    args = parser.parse_args()

    texts = make_rows(args.rows, args.distinct)
    distinct = len(set(texts.to_pylist()))
    print(f"{args.rows:,} rows, {distinct:,} distinct texts (pool of {args.distinct:,}, Zipf-like)")

    classify_offense("WARM UP")  # loads the vocabulary once, as any real run does
    cpu0, wall0 = time.process_time(), time.perf_counter()
    table = classify_offenses(texts)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    classified = table.column("offense_status").to_pylist().count("classified")
    print(f"classify_offenses (each distinct text once): {wall:.2f} s wall, {cpu:.2f} s CPU, "
          f"{args.rows / wall:,.0f} rows/s; {classified / args.rows:.1%} of rows classified")

    rng = random.Random(3)
    sample = [texts[rng.randrange(len(texts))].as_py() for _ in range(args.sample)]
    start = time.perf_counter()
    for text in sample:
        classify_offense(text)
    per_row = (time.perf_counter() - start) / len(sample)
    loop_total = per_row * args.rows
    print(f"per-row loop (classify_offense on each row): {per_row * 1000:.2f} ms/row on a sample of "
          f"{len(sample):,}; {loop_total:,.0f} s for all {args.rows:,} rows (extrapolated)")
    print(f"ratio: the per-distinct pipeline is {loop_total / wall:,.0f}x faster than the per-row loop")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
