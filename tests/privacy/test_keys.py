"""Pseudonyms: stable under one key, unlinkable across keys; the key is required and never shown."""

from __future__ import annotations

import pyarrow as pa
import pytest

from justice_schema.errors import InputError
from justice_schema.privacy import PseudonymKey, load_key, pseudonymise


def test_stable_under_one_key_and_different_under_another():
    values = pa.array(["P1", "P2", "P1", None])
    one = pseudonymise(values, PseudonymKey(b"a" * 32)).to_pylist()
    again = pseudonymise(values, PseudonymKey(b"a" * 32)).to_pylist()
    other = pseudonymise(values, PseudonymKey(b"b" * 32)).to_pylist()
    assert one == again and one[0] == one[2] and one[0] != one[1] and one[3] is None
    assert not set(one[:3]) & set(other[:3])
    assert "P1" not in one[0]


def test_missing_key_is_an_error(monkeypatch, tmp_path):
    monkeypatch.delenv("MY_KEY", raising=False)
    with pytest.raises(InputError, match="set the environment variable MY_KEY"):
        load_key(None, "MY_KEY")
    monkeypatch.setenv("MY_KEY", "short")
    with pytest.raises(InputError, match="shorter than 16 bytes") as caught:
        load_key(None, "MY_KEY")
    assert "short" not in str(caught.value).replace("shorter", "")
    with pytest.raises(InputError) as caught:
        load_key(tmp_path / "none.key")
    assert caught.value.path == str(tmp_path / "none.key")


def test_key_from_file_and_env(monkeypatch, tmp_path):
    secret = "s3cr3t-s3cr3t-s3cr3t-s3cr3t"
    (tmp_path / "k").write_text(secret + "\n")
    monkeypatch.setenv("MY_KEY", secret)
    from_file, from_env = load_key(tmp_path / "k"), load_key(None, "MY_KEY")
    assert from_file.secret == from_env.secret == secret.encode()
    assert secret not in repr(from_file) and secret not in repr(from_env)
