"""The pseudonym key and keyed pseudonyms (HMAC-SHA256).

A pseudonym is ``HMAC-SHA256(key, value)`` cut to 32 hex digits: the same value under the same key
gives the same pseudonym in every release, and pseudonyms under two keys cannot be linked without
the keys. The key is read from a file or an environment variable, is held only in memory and is
never written to any output; a missing or short key is an error, never a fallback.
"""

from __future__ import annotations

import hmac
import os
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError

__all__ = ["PseudonymKey", "load_key", "pseudonymise", "day_offsets", "MIN_KEY_BYTES"]

#: The shortest key accepted (bytes): 16, the HMAC guidance for SHA-256 is at least 32.
MIN_KEY_BYTES = 16


@attrs.frozen(slots=True, repr=False)
class PseudonymKey:
    """The secret of a release. Its ``repr`` never shows the bytes."""

    secret: bytes = attrs.field(repr=False)
    origin: str = "memory"

    def __repr__(self) -> str:
        return f"PseudonymKey(origin={self.origin!r})"

    def digest(self, label: str, value: str) -> bytes:
        """``HMAC-SHA256(secret, label NUL value)``: one keyed digest, domain-separated by ``label``."""
        return hmac.digest(self.secret, f"{label}\x00{value}".encode(), "sha256")  # OpenSSL's one-shot HMAC


def load_key(key_file: str | os.PathLike[str] | None = None, env: str = "JUSTICE_SCHEMA_PSEUDONYM_KEY") -> PseudonymKey:
    """The key from ``key_file`` when given, else from environment variable ``env``.

    Raises :class:`InputError` when neither gives a key of at least :data:`MIN_KEY_BYTES` bytes
    (the message names the file or the variable, never the key).
    """
    if key_file is not None:
        path = Path(key_file)
        try:
            secret = path.read_bytes().strip()
        except OSError as exc:
            raise InputError(f"cannot read the pseudonym key file: {exc.strerror or exc}", path=str(path)) from None
        origin = f"file {path}"
    else:
        value = os.environ.get(env)
        if not value:
            raise InputError(f"this profile needs a pseudonym key: set the environment variable {env} "
                             f"or pass --key-file")
        secret = value.strip().encode()
        origin = f"environment variable {env}"
    if len(secret) < MIN_KEY_BYTES:
        raise InputError(f"the pseudonym key from {origin} is shorter than {MIN_KEY_BYTES} bytes")
    return PseudonymKey(secret, origin)


def _per_unique(values: pa.Array, make: object, out_type: pa.DataType) -> pa.Array:
    """Apply ``make`` once per distinct non-null value and take the results back to every row."""
    uniques = pc.unique(values).drop_null()
    results = pa.array([make(v) for v in uniques.to_pylist()], out_type)  # type: ignore[operator]
    return pc.take(results, pc.index_in(values, uniques))


def pseudonymise(values: pa.Array, key: PseudonymKey, label: str = "id") -> pa.Array:
    """Keyed pseudonyms of ``values`` (text), computed once per distinct value; nulls stay null."""
    text = values.cast(pa.string())
    return _per_unique(text, lambda v: key.digest(label, v).hex()[:32], pa.string())


def day_offsets(persons: pa.Array, key: PseudonymKey, max_days: int) -> pa.Array:
    """A secret shift in ``[-max_days, max_days]`` days (never 0) per person, the same for all their rows.

    Every date of one person moves by the same number of days, so intervals between a person's
    events are kept while the calendar dates are not. Rows without a person get null.
    """
    def offset(person: str) -> int:
        draw = int.from_bytes(key.digest("date-shift", person)[:8], "big") % (2 * max_days)
        return draw - max_days if draw < max_days else draw - max_days + 1

    return _per_unique(persons.cast(pa.string()), offset, pa.int32())
