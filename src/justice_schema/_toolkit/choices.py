"""One of an enum's values, chosen by text a user gave, or a one-line error listing the choices.

    >>> from enum import Enum
    >>> class Colour(str, Enum):
    ...     RED = "red"
    ...     BLUE = "blue"
    >>> choose(Colour, "RED", "colour", "lower")
    <Colour.RED: 'red'>
    >>> choose(Colour, "green", "colour", "lower")
    Traceback (most recent call last):
    ...
    justice_schema.errors.InputError: unknown colour 'green'; use one of red, blue
"""

from __future__ import annotations

from enum import Enum
from typing import Literal, TypeVar

from justice_schema.errors import InputError

__all__ = ["choose"]

E = TypeVar("E", bound=Enum)


def choose(kind: type[E], given: object, what: str, case: Literal["upper", "lower"]) -> E:
    """The member of ``kind`` whose value is ``given`` as text in ``case``.

    ``what`` names the choice in the error (``"compatibility mode"``). Raises
    :class:`~justice_schema.errors.InputError` naming the given value and every
    allowed one when ``given`` is none of them.
    """
    text = str(given)
    try:
        return kind(text.upper() if case == "upper" else text.lower())
    except ValueError:
        allowed = ", ".join(str(member.value) for member in kind)
        raise InputError(f"unknown {what} {given!r}; use one of {allowed}") from None
