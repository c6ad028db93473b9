"""The command line: output, and exit codes for bad usage."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from justice_schema.cli import main


def test_info_json(capsys):
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["schema_versions"] == ["1.0", "1.1", "1.2"]
    assert "arrest" in info["entities"]


def test_schema_show_prints_the_published_json_schema(capsys):
    assert main(["schema", "show", "arrest"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$id"] == "urn:justice-schema:1.2:arrest"  # the current version by default


def test_schema_show_flat_lists_columns(capsys):
    assert main(["schema", "show", "person", "--format", "flat"]) == 0
    assert "postal_code\tstring" in capsys.readouterr().out


def test_unknown_version_is_one_clear_line_and_exit_2(capsys):
    assert main(["schema", "show", "person", "--schema-version", "7.0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unsupported schema_version '7.0'" in err


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["schema", "show", "warrant"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_console_entry_point_runs_without_traceback():
    done = subprocess.run([sys.executable, "-m", "justice_schema.cli", "info"], capture_output=True, text=True)
    assert done.returncode == 0 and "schema versions" in done.stdout
