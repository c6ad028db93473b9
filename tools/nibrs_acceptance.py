#!/usr/bin/env python3
"""Incidents and arrests accepted per NIBRS sample, translated as users get them (record rules on).

For every flat-file and XML sample of the built-in NIBRS translators (and any file given on the
command line), prints the Group A incidents translated and refused, the arrests translated, the
delete instructions, and the rule codes of the rejects, so a change to the translators or the
rule catalogue can be measured sample by sample::

    python tools/nibrs_acceptance.py
    python tools/nibrs_acceptance.py path/to/state_submission.txt
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from justice_schema.translation import Translator, builtin_spec_path

ROOT = Path(__file__).resolve().parents[1]
VENDORS = ROOT / "src" / "justice_schema" / "vendors"
EXTRA = [ROOT / "tests" / "vendors" / "data" / name for name in
         ("nibrs_resubmit_groupb_cargo.txt", "nibrs_GroupAReplace_Sample_wellformed.xml")]


def measure(path: Path) -> str:
    """One table row for ``path`` (flat file unless it ends in .xml)."""
    vendor = "nibrs_xml" if path.suffix.lower() == ".xml" else "nibrs_flatfile"
    translator = Translator(builtin_spec_path(vendor), extracted_at=datetime(2024, 1, 1, tzinfo=UTC), threads=1)
    result = translator.translate([path])
    incident_type = "incident" if vendor == "nibrs_xml" else "1"
    types = Counter(result.rejects.column("record_type").to_pylist())
    codes = sorted({code for reasons in result.rejects.column("reasons").to_pylist() for r in reasons
                    for code in re.findall(r"\((JS-[A-Z][0-9]+)", r)})
    kinds = Counter(result.instructions.column("kind").to_pylist())
    accepted = result.tables["incident"].num_rows
    refused = types.get(incident_type, 0)
    return (f"| {path.name} | {accepted}/{accepted + refused} | {result.tables['arrest'].num_rows} | "
            f"{kinds.get('delete_incident', 0) + kinds.get('delete_group_b_arrest', 0)} | "
            f"{', '.join(codes) or '-'} |")


def main(argv: list[str]) -> int:
    paths = sorted((VENDORS / "nibrs_flatfile" / "samples").glob("*.txt"))
    paths += sorted((VENDORS / "nibrs_xml" / "samples").glob("*.xml")) + EXTRA + [Path(a) for a in argv]
    print("| sample | incidents accepted | arrests | deletes | refused by |")
    print("|---|---|---|---|---|")
    for path in paths:
        print(measure(path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
