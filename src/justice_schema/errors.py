"""Exceptions raised by justice_schema.

Every error the library raises on purpose derives from :class:`JusticeSchemaError`,
so a caller can catch the library's own errors without catching programming
errors. Errors about outside data say *where* (file, row, field) and *what*.

Validation of many records does not raise: it returns a report of coded issues.
These exceptions are for calls that cannot go on (an unknown entity type, an
unsupported schema version, a single record that does not parse).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "JusticeSchemaError",
    "UnknownEntityError",
    "UnsupportedSchemaVersionError",
    "RecordError",
    "InputError",
]


class JusticeSchemaError(Exception):
    """Base class of every error raised on purpose by justice_schema."""


class UnknownEntityError(JusticeSchemaError, ValueError):
    """An entity type that no schema version defines.

    >>> from justice_schema import parse
    >>> parse({"entity_type": "warrant", "schema_version": "1.0"})
    Traceback (most recent call last):
    ...
    justice_schema.errors.UnknownEntityError: unknown entity_type 'warrant'; known: ...
    """

    def __init__(
        self, entity_type: object, known: Sequence[str], *, version: str | None = None, added_in: str | None = None
    ) -> None:
        self.entity_type = entity_type
        self.known = tuple(known)
        self.version = version
        self.added_in = added_in
        if added_in is not None and version is not None:
            message = (
                f"entity_type {entity_type!r} was added in schema {added_in}; schema {version} has no such "
                f"entity (its entities: {', '.join(self.known)})"
            )
        else:
            message = f"unknown entity_type {entity_type!r}; known: {', '.join(self.known)}"
        super().__init__(message)


class UnsupportedSchemaVersionError(JusticeSchemaError, ValueError):
    """A schema version this release of the library does not ship.

    The library never falls back to another version: a record that declares a
    version it does not know is refused, so that a pinned contract is never
    silently read under different rules.
    """

    def __init__(self, version: object, supported: Sequence[str]) -> None:
        self.version = version
        self.supported = tuple(supported)
        super().__init__(
            f"unsupported schema_version {version!r}; this release supports: "
            f"{', '.join(self.supported)}"
        )


class RecordError(JusticeSchemaError, ValueError):
    """One record failed its model: each problem names the field and says why.

    ``problems`` is a tuple of ``(field_path, message)`` pairs, for example
    ``("source.agency_ori", "String should match pattern '^[A-Z]{2}[A-Z0-9]{7}$'")``.
    ``location`` says where the record came from when it is known
    (``"arrests.csv, row 17"``).
    """

    def __init__(
        self,
        entity_type: str,
        problems: Sequence[tuple[str, str]],
        location: str | None = None,
    ) -> None:
        self.entity_type = entity_type
        self.problems = tuple(problems)
        self.location = location
        where = f"{location}: " if location else ""
        details = "; ".join(f"{field or '<record>'}: {msg}" for field, msg in self.problems)
        super().__init__(f"{where}invalid {entity_type} record: {details}")


class InputError(JusticeSchemaError):
    """Outside data that cannot be read at all (wrong format, missing columns...).

    ``path``, ``row`` and ``field`` say where, when known; ``str(error)`` is a
    single line fit for a command line.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.row = row
        self.field = field
        where = [part for part in (path, f"row {row}" if row is not None else None,
                                   f"field {field!r}" if field else None) if part]
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
