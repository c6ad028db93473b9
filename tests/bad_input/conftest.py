"""Fixtures of the bad-input suite: a sandbox folder per case."""

from __future__ import annotations

import pytest

from tests.bad_input.harness import Sandbox


@pytest.fixture
def sandbox(tmp_path) -> Sandbox:
    """A fresh folder whose inputs are remembered byte for byte."""
    return Sandbox(tmp_path)
