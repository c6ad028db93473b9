"""Reading ahead: the next source batches are parsed in a background thread while this one is used.

Arrow's readers release the GIL while they parse, so a reader thread keeps a
core busy with the input while the engine's own thread settles finished
batches (de-duplication, counts) and its workers translate others.

>>> list(read_ahead(iter(range(5)), depth=2))
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

import attrs

__all__ = ["read_ahead"]

T = TypeVar("T")

_DONE = object()


@attrs.frozen(slots=True)
class _Raised:
    error: BaseException


def read_ahead(source: Iterator[T], depth: int = 2) -> Iterator[T]:
    """The items of ``source``, in order, with up to ``depth`` of them read ahead in a thread.

    An exception raised by ``source`` is raised here, at the point where its
    item would have come. Stopping early (closing this iterator) makes the
    thread stop after the item it is reading.
    """
    handoff: queue.Queue[object] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def give(item: object) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def pump() -> None:
        try:
            for item in source:
                if not give(item):
                    return
        except BaseException as error:  # noqa: BLE001 - every error is handed to the consumer and raised there
            give(_Raised(error))
            return
        give(_DONE)

    thread = threading.Thread(target=pump, name="justice-schema-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = handoff.get()
            if item is _DONE:
                return
            if isinstance(item, _Raised):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
