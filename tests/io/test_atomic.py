"""justice_schema.files.atomic: outputs appear whole, or not at all."""

from __future__ import annotations

import pytest

from justice_schema.errors import InputError
from justice_schema.io import AtomicFile, AtomicFolder


def test_atomic_file_commits_onto_the_target(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with AtomicFile(target) as file:
        assert file.temp.parent == tmp_path and file.temp.suffix == ".csv" and file.temp != target
        file.temp.write_text("new")
        assert target.read_text() == "old"
        file.commit()
    assert target.read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_atomic_file_failure_leaves_the_target_and_no_temp(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), AtomicFile(target) as file:
        file.temp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_atomic_file_without_commit_writes_nothing(tmp_path):
    with AtomicFile(tmp_path / "out.csv") as file:
        file.temp.write_text("never")
    assert list(tmp_path.iterdir()) == []


def test_atomic_file_in_a_missing_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        AtomicFile(tmp_path / "nope" / "out.csv", "--out")


def test_atomic_folder_appears_only_on_commit(tmp_path):
    target = tmp_path / "out"
    with AtomicFolder(target) as folder:
        (folder.temp / "a.parquet").write_text("a")
        assert not target.exists()
        folder.commit()
    assert [p.name for p in target.iterdir()] == ["a.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_atomic_folder_failure_removes_everything(tmp_path):
    target = tmp_path / "out"
    with pytest.raises(RuntimeError), AtomicFolder(target) as folder:
        (folder.temp / "a.parquet").write_text("a")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_folder_refuses_earlier_files_unless_overwrite(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.parquet").write_text("old")
    with pytest.raises(InputError, match="--overwrite"):
        AtomicFolder(target)
    with AtomicFolder(target, overwrite=True) as folder:
        (folder.temp / "new.parquet").write_text("new")
        assert (target / "old.parquet").exists()
        folder.commit()
    assert [p.name for p in target.iterdir()] == ["new.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_atomic_folder_empty_target_needs_no_overwrite(tmp_path):
    (tmp_path / "out").mkdir()
    with AtomicFolder(tmp_path / "out") as folder:
        folder.commit()
    assert (tmp_path / "out").is_dir()
