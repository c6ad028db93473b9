"""Model field annotations taken apart: the bare type, its constraint metadata, and whether it is optional.

Every module that derives something from the models (Arrow schemas, the flat
layout, the reference docs, the field rules, translator plans) needs the type
under ``Annotated[...]`` and ``X | None``; this is the one place that peels them::

    >>> from typing import Annotated
    >>> from pydantic import Field
    >>> found = unwrap(Annotated[int, Field(ge=0)] | None)
    >>> found.bare, found.optional, [type(m).__name__ for m in found.metadata]
    (<class 'int'>, True, ['Ge'])
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from typing import Any

import attrs
from pydantic.fields import FieldInfo

__all__ = ["Unwrapped", "LIMIT_KEYS", "constraint_limits", "strip_annotated", "unwrap"]


@attrs.frozen(slots=True)
class Unwrapped:
    """An annotation without its wrappers.

    ``bare`` is the type under every ``Annotated`` and ``X | None`` layer (a
    class, a ``Literal[...]``, a ``tuple[X, ...]``...); ``metadata`` the
    constraint objects found on the way, outermost first, with pydantic
    ``Field(...)`` values replaced by their constraints; ``optional`` whether
    ``None`` was one of the alternatives.
    """

    bare: Any
    metadata: tuple[Any, ...] = ()
    optional: bool = False


def strip_annotated(annotation: Any) -> Any:
    """``annotation`` without its ``Annotated[...]`` layers (``X | None`` is kept)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def unwrap(annotation: Any) -> Unwrapped:
    """Peel ``Annotated[...]`` and ``X | None`` layers off ``annotation``, in any nesting.

    A union of two or more types besides ``None`` is kept as it is (it has no
    single bare type).
    """
    metadata: list[Any] = []
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            for item in extra:
                metadata.extend(item.metadata if isinstance(item, FieldInfo) else (item,))
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                break
            optional = True
            annotation = args[0]
        else:
            break
    return Unwrapped(annotation, tuple(metadata), optional)


#: The constraint keywords :func:`constraint_limits` reads.
LIMIT_KEYS = ("ge", "le", "gt", "lt", "min_length", "max_length", "pattern")


def constraint_limits(metadata: Iterable[Any]) -> dict[str, Any]:
    """The bounds, lengths and pattern set by constraint ``metadata`` (later items win), by keyword.

    Reads each item's ``ge``, ``le``, ``gt``, ``lt``, ``min_length``, ``max_length`` and
    ``pattern`` (pydantic and annotated-types constraints alike, an ``Interval``'s
    bounds included)::

        >>> from annotated_types import Ge, Interval, MaxLen
        >>> constraint_limits([Ge(1), MaxLen(9), Interval(le=5)])
        {'ge': 1, 'max_length': 9, 'le': 5}
    """
    found: dict[str, Any] = {}
    for item in metadata:
        for key in LIMIT_KEYS:
            value = getattr(item, key, None)
            if value is not None:
                found[key] = value
    return found
