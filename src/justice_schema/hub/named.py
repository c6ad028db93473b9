"""The hub's registries (views, page kinds) hold named things: one rule for adding to them.

>>> import attrs
>>> @attrs.frozen
... class Thing:
...     name: str
...     size: int
>>> things = [Thing("a", 1)]
>>> _ = register_named(things, Thing("b", 2)); _ = register_named(things, Thing("a", 3))
>>> things
[Thing(name='a', size=3), Thing(name='b', size=2)]
"""

from __future__ import annotations

from typing import Protocol, TypeVar

__all__ = ["Named", "register_named"]


class Named(Protocol):
    """Anything with a ``name``."""

    @property
    def name(self) -> str:
        """The name it is registered by."""
        ...


T = TypeVar("T", bound=Named)


def register_named(items: list[T], item: T) -> T:
    """Replace the entry of ``items`` with ``item``'s name in place, or append ``item``; returns ``item``."""
    for index, existing in enumerate(items):
        if existing.name == item.name:
            items[index] = item
            return item
    items.append(item)
    return item
