"""Bad input: output paths that would destroy an input, and inputs that are folders."""

from __future__ import annotations


def test_validate_refuses_to_overwrite_its_input(sandbox):
    data = sandbox.write("people.csv", "id\n1\n")
    sandbox.cli("validate", data, "--entity", "person", "--valid", data).fails(2, "people.csv")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])
