"""Rewrite ``src/justice_schema/translation/mapping-spec.schema.json`` from the builder.

The JSON Schema of the mapping-spec language is built by
``justice_schema.translation.spec_schema`` (its expression kinds from the registry in
``justice_schema.translation.kinds``) and published as a file so editors can check specs.
Run after adding or changing a kind or a key of the language, and review the diff::

    PYTHONPATH=src python tools/write_mapping_spec_schema.py

``tests/translate/test_spec_errors.py`` fails while the file and the builder disagree.
"""

from __future__ import annotations

from pathlib import Path

from justice_schema.translation.spec_schema import render_spec_json_schema

TARGET = Path(__file__).resolve().parents[1] / "src" / "justice_schema" / "translation" / "mapping-spec.schema.json"


def main() -> None:
    """Write the file (only when its text changes) and say what happened."""
    text = render_spec_json_schema()
    if TARGET.exists() and TARGET.read_text(encoding="utf-8") == text:
        print(f"{TARGET}: unchanged")
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET}: written")


if __name__ == "__main__":
    main()
