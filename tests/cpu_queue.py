"""The server's queue for heavy CPU work in tests: another request that holds it while a block runs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from dsdcn import budget


@contextmanager
def queue_held(hold: float = 60) -> Iterator[threading.Event]:
    """Another request of this server (a 1 MiB reservation on its own thread) holds the CPU queue while
    the block runs, or until the yielded event is set (at most ``hold`` seconds); it has let go, and its
    thread ended, when the block is left."""
    holding, release = threading.Event(), threading.Event()

    def other_user() -> None:
        with budget.reserve(1 << 20):
            holding.set()
            release.wait(hold)

    th = threading.Thread(target=other_user, daemon=True)
    th.start()
    assert holding.wait(5)
    try:
        yield release
    finally:
        release.set()
        th.join(5)
