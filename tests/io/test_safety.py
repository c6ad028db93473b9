"""justice_schema.files.safety: an output that is an input is refused, however it is spelled."""

from __future__ import annotations

import os

import pytest

from justice_schema.errors import InputError
from justice_schema.io import check_outputs, require_file, same_file


def test_same_file_sees_through_symlinks_dotdot_and_hard_links(tmp_path):
    data = tmp_path / "a.csv"
    data.write_text("x")
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    hard = tmp_path / "hard.csv"
    os.link(data, hard)
    assert same_file(data, tmp_path / "sub" / ".." / "a.csv")
    assert same_file(data, link) and same_file(data, hard)
    assert not same_file(data, tmp_path / "b.csv")


def test_check_outputs_names_the_option_and_the_output(tmp_path):
    data = tmp_path / "a.csv"
    data.write_text("x")
    with pytest.raises(InputError, match=r"a\.csv: --valid is also an input") as caught:
        check_outputs([data], {"--valid": data, "--rejects": None})
    assert caught.value.path == str(data)


def test_check_outputs_allows_distinct_outputs_and_refuses_two_outputs_on_one_file(tmp_path):
    data = tmp_path / "a.csv"
    data.write_text("x")
    check_outputs([data], {"--out": tmp_path / "b.csv", "--rejects": tmp_path / "c.csv"})
    with pytest.raises(InputError, match="name the same file"):
        check_outputs([data], {"--out": tmp_path / "b.csv", "--rejects": tmp_path / "x" / ".." / "b.csv"})


def test_an_output_folder_may_not_hold_an_input(tmp_path):
    data = tmp_path / "in" / "a.csv"
    data.parent.mkdir()
    data.write_text("x")
    with pytest.raises(InputError, match="holds the input"):
        check_outputs([data], {"--out": tmp_path}, folders=["--out"])
    check_outputs([data], {"--out": tmp_path / "out"}, folders=["--out"])
    check_outputs([data], {"--report": tmp_path})  # not a folder option: only equality counts


def test_require_file(tmp_path):
    with pytest.raises(InputError, match="is a folder, not a file; hint"):
        require_file(tmp_path, expected="hint")
    with pytest.raises(InputError, match="no such file"):
        require_file(tmp_path / "gone")
    (tmp_path / "f").write_text("x")
    assert require_file(tmp_path / "f") == tmp_path / "f"
