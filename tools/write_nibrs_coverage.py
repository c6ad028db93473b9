"""Write docs/nibrs-edits.md, the FBI NIBRS edit coverage table (justice_schema.nibrs.edits.render_coverage)."""

from __future__ import annotations

from pathlib import Path

from justice_schema.nibrs.edits import render_coverage

TARGET = Path(__file__).resolve().parents[1] / "docs" / "nibrs-edits.md"

if __name__ == "__main__":
    TARGET.write_text(render_coverage(), encoding="utf-8")
    print(f"{TARGET}: written")
