"""``files.reading``: the faults of reading a text file become one InputError naming it; the block's own pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from justice_schema.errors import InputError
from justice_schema.files import reading


def test_bytes_that_are_not_utf8_name_the_file(tmp_path: Path) -> None:
    file = tmp_path / "latin1.csv"
    file.write_bytes("caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1\.csv: is not UTF-8 text"), reading(file):
        file.read_text(encoding="utf-8")


def test_a_folder_is_not_readable(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read: Is a directory"), reading(tmp_path):
        tmp_path.read_text(encoding="utf-8")


def test_the_blocks_own_input_error_passes_unchanged(tmp_path: Path) -> None:
    own = InputError("missing column(s): state", path="x.csv", row=1)
    with pytest.raises(InputError) as info, reading(tmp_path / "x.csv"):
        raise own
    assert info.value is own
