"""The validation engine inside translation: rule errors become translation rejects."""

from __future__ import annotations

import pyarrow as pa
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
    assert not hook("supervision", table)
    assert pc.sum(pc.is_valid(table.column("id"))).as_py() == table.num_rows


def test_the_engine_checks_record_rules_in_the_field_rules_pass_without_calling_the_hook(monkeypatch):
    """translation_hook() is recognised: one pass of the engine, the hook itself is never called."""
    from justice_schema.validation.hooks import RecordRulesHook

    expected = _translate(translation_hook())

    def refuse(self, entity_type, table):
        raise AssertionError("the hook was called: the field rules ran twice")

    monkeypatch.setattr(RecordRulesHook, "__call__", refuse)
    again = _translate(translation_hook())
    assert again.rejects.to_pylist() == expected.rejects.to_pylist()
    reasons = [r for rs in again.rejects.column("reasons").to_pylist() for r in rs]
    assert any(r.startswith("supervision.") and r.endswith("(JS-S24)") for r in reasons)


def test_the_hook_alone_gives_field_and_record_problems_per_row():
    table = _translate(None).tables["supervision"]
    broken = table.set_column(table.schema.get_field_index("supervision_type"), "supervision_type",
                              pa.array(["NOPE"] + [None] * (table.num_rows - 1), pa.string()))
    found = translation_hook()("supervision", broken)
    verdict = found.reasons()
    assert len(verdict) == table.num_rows
    assert "supervision_type: 'NOPE' is not a code of SupervisionType (JS-S04)" in verdict[0].as_py()
    assert "supervision_type: required but missing (JS-S01)" in verdict[1].as_py()
    # the codes are data, not only text: each problem keeps its rule code and field
    first = found.table.filter(pc.equal(found.table.column("row"), 0)).to_pylist()
    assert {(p["code"], p["field"]) for p in first} >= {("JS-S04", "supervision_type")}


def test_rejects_carry_each_reason_with_its_rule_code():
    checked = _translate(translation_hook())
    for reasons, issues in zip(checked.rejects.column("reasons").to_pylist(),
                               checked.rejects.column("issues").to_pylist()):
        assert [i["message"] for i in issues] == reasons
        for issue in issues:
            if issue["message"].endswith(")") and "(JS-" in issue["message"]:
                # a rule's reason: its code is the one the text ends with, its field and entity are named
                assert issue["message"].endswith(f"({issue['code']})")
                assert issue["entity"] == "supervision" and issue["message"].startswith(
                    f"supervision.{issue['field']}: ")
            else:
                assert issue["code"].startswith("JS-T")
    codes = {i["code"] for issues in checked.rejects.column("issues").to_pylist() for i in issues}
    assert "JS-S24" in codes
