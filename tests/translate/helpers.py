"""Small helpers for translator tests: write a spec and inputs into a temp folder and run it."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

from justice_schema.translation import TranslationResult, Translator, load_spec

STAMP = datetime(2024, 1, 1, tzinfo=UTC)

HEADER = """
spec_version = 1
[translator]
name = "t"
title = "test"
system = "Test RMS"
agency_ori = {{ const = "UT0180000" }}
timezone = "America/Denver"
[source]
format = "{fmt}"
{source}
"""


def spec_text(body: str, fmt: str = "csv", source: str = "") -> str:
    """A full spec: the standard header plus ``body`` (maps, entities...)."""
    return HEADER.format(fmt=fmt, source=source) + textwrap.dedent(body)


def run(tmp: Path, body: str, files: dict[str, str | bytes], fmt: str = "csv", source: str = "",
        **options: object) -> TranslationResult:
    """Write the spec and the files under ``tmp`` and translate the files.

    The record rules are left out unless ``validate`` is given: these tests are about the
    mapping language, and generated values (future dates, say) would trip the catalogue.
    """
    options.setdefault("validate", None)
    spec = tmp / "spec.toml"
    spec.write_text(spec_text(body, fmt, source), encoding="utf-8")
    paths = []
    for name, content in files.items():
        path = tmp / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        paths.append(path)
    return Translator(load_spec(spec), extracted_at=STAMP, **options).translate(paths)  # type: ignore[arg-type]


PERSON = """
[[entity]]
type = "person"
id = { id = ["ID"], prefix = "p" }
[entity.fields]
"""
