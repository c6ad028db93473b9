"""Bad input: a compatibility mode or downgrade policy that is none of the allowed ones.

Both are read by ``justice_schema._toolkit.choices.choose`` (one place for the rule and the
message): the run stops with exit 2 and one line naming the value given and every allowed one.
"""

from __future__ import annotations

import json

import pytest

from justice_schema.versioning import Mode
from tests.bad_input.samples import person_lines

ALL_MODES = ", ".join(m.value for m in Mode)


@pytest.mark.parametrize("mode", ["SIDEWAYS", "", "FULL X", "BACK WARD", "FULL\nNONE", "FULL_TRANSITIVE_"])
def test_schema_diff_with_an_unknown_mode(sandbox, mode):
    run = sandbox.cli("schema", "diff", "1.0", "1.1", "--mode", mode)
    run.fails(2, "justice-schema schema: error:", f"unknown compatibility mode {mode!r}", ALL_MODES)
    assert run.out == ""
    sandbox.assert_written_only([])


def test_schema_diff_with_an_unknown_mode_and_schema_files(sandbox):
    old = sandbox.write("old/person.schema.json", json.dumps({"type": "object", "properties": {"id": {"type": "string"}}}))
    new = sandbox.write("new/person.schema.json", json.dumps({"type": "object", "properties": {"id": {"type": "string"}}}))
    sandbox.cli("schema", "diff", old, new, "--mode", "loose").fails(2, "unknown compatibility mode 'loose'")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


@pytest.mark.parametrize("mode", ["full", "Backward_Transitive", "none"])
def test_schema_diff_takes_a_mode_in_any_case(sandbox, mode):
    run = sandbox.cli("schema", "diff", "1.0", "1.1", "--mode", mode).exits(0 if mode != "full" else 1)
    assert "error" not in run.err
    sandbox.assert_written_only([])


@pytest.mark.parametrize("policy", ["shred", "", "ERRORS"])
def test_migrate_with_an_unknown_policy(sandbox, policy):
    data = sandbox.write("people.jsonl", person_lines(3))
    out = sandbox.path("out.jsonl")
    run = sandbox.cli("migrate", data, "--to", "1.0", "--policy", policy, "--out", out)
    # argparse refuses it: its usage lines, then one error line (the harness's fails() would count
    # the usage line "[--policy {error,...}]" as a second error line).
    run.exits(2)
    last = run.err.strip().splitlines()[-1]
    assert last.startswith("justice-schema migrate: error: argument --policy: invalid choice: " + repr(policy))
    assert "Traceback" not in run.err
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])
