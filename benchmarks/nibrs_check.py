#!/usr/bin/env python3
"""``nibrs check`` on a self-labelled submission: precision and recall on (incident, FBI error number) pairs.

No FBI Error Data Set for a public test submission was reachable (see docs/nibrs-check.md), so the
labels are our own: :func:`justice_schema.testing.nibrs_submissions.seeded_submission` writes
edit-clean incidents and Group B arrests and injects into a share of them one fault each whose FBI
error number is known from the FBI's edit descriptions. A predicted pair is one error row of the
check (incident or arrest transaction number, FBI error number); the truth pairs are the injected
faults. Per error number the script prints how many were injected, found and wrongly reported.

It also times the check against translating the same file with the record rules off (the
obvious alternative: reading the submission without the edits), in the same run.

    python benchmarks/nibrs_check.py                     # 2,000 incidents + 2,000 Group B arrests
    python benchmarks/nibrs_check.py --incidents 300     # quicker
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from justice_schema.nibrs.check import check_submission
from justice_schema.testing.nibrs_submissions import FAULTS, seeded_submission
from justice_schema.translation import Translator, builtin_spec_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=2000)
    parser.add_argument("--faulty", type=float, default=0.3, help="share of incidents and arrests given one fault")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        seeded = seeded_submission(Path(folder) / "seeded.txt", incidents=args.incidents, faulty=args.faulty,
                                   seed=args.seed)
        start = time.process_time()
        result = check_submission(seeded.path)
        check_cpu = time.process_time() - start
        start = time.process_time()
        Translator(builtin_spec_path("nibrs_flatfile"), validate=None).translate([seeded.path])
        plain_cpu = time.process_time() - start
    predicted = {(n, e) for n, e in zip(result.errors.column("incident_number").to_pylist(),
                                        result.errors.column("error_number").to_pylist())}
    truth = set(seeded.truth)
    hits = predicted & truth
    precision = len(hits) / len(predicted) if predicted else 1.0
    recall = len(hits) / len(truth) if truth else 1.0
    print(f"seeded submission: {seeded.segments:,} segments, {seeded.incidents:,} incidents, "
          f"{seeded.arrests:,} Group B arrests, {len(truth):,} injected faults (self-labelled, seed {args.seed})")
    print(f"pairs predicted {len(predicted):,}, correct {len(hits):,}: precision {precision:.3f}, recall {recall:.3f}")
    injected = Counter(e for _, e in truth)
    found = Counter(e for _, e in hits)
    wrong = Counter(str(e) for _, e in predicted - truth)
    print(f"{'FBI error':>9}  {'injected':>8}  {'found':>5}  {'wrong':>5}")
    for number in sorted(set(FAULTS) | set(wrong)):
        print(f"{number:>9}  {injected.get(number, 0):>8}  {found.get(number, 0):>5}  {wrong.get(number, 0):>5}")
    print(f"CPU: check {check_cpu:.2f} s, translation without the edits {plain_cpu:.2f} s "
          f"(ratio {check_cpu / plain_cpu:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
