"""The wheel carries every file the library reads at run time.

Editable installs read data files straight from ``src/``, so a package-data glob that misses a
folder (the vendors' per-sample golden folders did) goes unnoticed until someone installs the
wheel. This test builds the wheel from a copy of the source tree and compares its contents with
the files under ``src/justice_schema``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "justice_schema"
IGNORED_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis"}
IGNORED_SUFFIXES = {".pyc", ".pyo"}


def _source_files() -> set[str]:
    """Every file of the package as the wheel names it (``justice_schema/...``)."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*"):
        rel = path.relative_to(PACKAGE.parent)
        if path.is_dir() or IGNORED_PARTS.intersection(rel.parts) or path.suffix in IGNORED_SUFFIXES:
            continue
        found.add(rel.as_posix())
    return found


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Build the wheel from a copy of the tree (so no build/ or egg-info lands in the checkout)."""
    tree = tmp_path_factory.mktemp("tree")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, tree / name)
    shutil.copytree(
        ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    )
    out = tmp_path_factory.mktemp("wheel")
    script = (
        "import sys\nfrom setuptools import build_meta\n"
        f"print(build_meta.build_wheel({str(out)!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tree, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    wheel = out / done.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_every_package_file_is_in_the_wheel(wheel_names: set[str]) -> None:
    missing = sorted(_source_files() - wheel_names)
    assert not missing, f"{len(missing)} package files are not in the wheel, e.g. {missing[:10]}"


def test_golden_files_of_each_sample_folder_are_shipped(wheel_names: set[str]) -> None:
    # the per-sample golden folders are the case the old one-level glob missed
    nested = [
        n for n in wheel_names if n.startswith("justice_schema/vendors/") and n.count("/") >= 5
    ]
    assert any("/expected/NIBRS_Test_Sample/" in n for n in nested)
