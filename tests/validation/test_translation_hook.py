"""The validation engine inside translation: rule errors become translation rejects."""

from __future__ import annotations

import pyarrow.compute as pc

from justice_schema.translation import Translator, find_translator
from justice_schema.validation import validate_table
from justice_schema.validation.hooks import translation_hook


def _translate(hook):
    info = find_translator("fieldline_supervision")
    samples = sorted(p for p in (info.spec_path.parent / "samples").iterdir() if p.is_file())
    return Translator(info.spec_path, validate=hook).translate(samples)


def test_rule_errors_become_rejects_with_rule_codes_and_counts_reconcile():
    plain = _translate(None)
    checked = _translate(translation_hook())
    assert checked.reconciliation.balanced and plain.reconciliation.balanced
    extra = checked.rejects.num_rows - plain.rejects.num_rows
    assert extra > 0
    reasons = [" ".join(r) for r in checked.rejects.column("reasons").to_pylist()]
    assert sum("JS-S24" in r for r in reasons) >= 1
    # What is left passes the engine without errors.
    table = checked.tables["supervision"]
    assert validate_table(table, "supervision").error_count == 0


def test_clean_tables_give_no_verdict():
    hook = translation_hook()
    table = _translate(hook).tables["supervision"]
    assert table.num_rows > 0
    assert hook("supervision", table) is None
    assert pc.sum(pc.is_valid(table.column("id"))).as_py() == table.num_rows
