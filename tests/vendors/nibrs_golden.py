"""Golden-file comparison for the NIBRS translators: expected JSON Lines vs translated records."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from justice_schema.arrow import from_table
from justice_schema.registry import parse
from justice_schema.translation import TranslationResult, Translator

REPO = Path(__file__).resolve().parents[2]
VENDORS = REPO / "src" / "justice_schema" / "vendors"
#: The extraction stamp used for every golden run (goldens leave ``source.extracted_at`` out).
EXTRACTED_AT = datetime(2024, 1, 1, tzinfo=UTC)


@cache
def translator(vendor: str) -> Translator:
    """The built-in ``vendor`` translator, compiled once, with the fixed extraction stamp."""
    return Translator(VENDORS / vendor / "spec.toml", extracted_at=EXTRACTED_AT)


def translate(vendor: str, *paths: Path) -> TranslationResult:
    """Run the built-in ``vendor`` spec on ``paths``."""
    return translator(vendor).translate(list(paths))


def expected_records(folder: Path, entity: str) -> list[dict[str, Any]]:
    """The golden records of ``entity`` in ``folder``, as canonical JSON dicts (none if no file)."""
    path = folder / f"{entity}.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            data["source"]["extracted_at"] = EXTRACTED_AT.isoformat()
            out.append(parse(data).model_dump(mode="json"))
    return out


def actual_records(result: TranslationResult, entity: str) -> list[dict[str, Any]]:
    """The translated records of ``entity`` as canonical JSON dicts, in output order."""
    table = result.tables.get(entity)
    if table is None or table.num_rows == 0:
        return []
    return [record.model_dump(mode="json") for record in from_table(table)]
