"""glibc's allocator tuned for big tensors: keep freed blocks while the process works, give them back at rest."""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
import time

from .geometry import check_int

_TRIMMER: list[object] = []  # the idle trimmer thread of this process, once started
_LIBC: list[ctypes.CDLL] = []  # glibc, once tune_allocator has tuned it
_FROZEN: list[int] = []  # objects freeze_long_lived froze, once it has
_FREEZE_LOCK = threading.Lock()


# while a process rests, its heap is trimmed again every this many periods: memory freed without work (a
# closed session dropped by the server's timer, a cache entry expiring) goes back too
REST_TRIM_PERIODS = 6


def _trim_when_idle(libc: ctypes.CDLL, period: float, idle_share: float) -> None:
    # every ``period`` s: if this process used under ``idle_share`` of a core since the last look, and has
    # worked since the last trim or rested REST_TRIM_PERIODS periods since it, hand the heap's free pages
    # back (``malloc_trim(0)``: a few ms on a rested heap)
    last = time.process_time()
    dirty = False
    rested = 0
    while True:
        time.sleep(period)
        now = time.process_time()
        busy = (now - last) / period
        last = now
        rested += 1
        if busy >= idle_share:
            dirty = True
        elif dirty or rested >= REST_TRIM_PERIODS:
            libc.malloc_trim(0)
            last = time.process_time()
            dirty = False
            rested = 0


def tune_allocator(
    mmap_threshold: int = 512 * 2**20,
    trim_threshold: int = 2**30,
    trim_idle_seconds: float | None = 5.0,
    arena_max: int | None = 2,
) -> bool:
    """Keep freed big tensors in glibc's heap while the process works; give the memory back when it rests.

    By default glibc maps every block over 32 MB anew and unmaps it on free, so each big conv output is
    page-faulted again (2-6x slower here for 32-130 MB outputs). Raising ``M_MMAP_THRESHOLD`` (process-wide)
    puts such blocks in the heap, where a freed one is reused by the next op; ``M_TRIM_THRESHOLD`` lets the
    heap's top keep up to ``trim_threshold`` free bytes between ops (a lower one costs speed: 1.6x slower for a
    2048² Image lab run with 256 MB). With ``trim_idle_seconds``, a daemon thread (one per process) calls
    ``malloc_trim(0)`` once the process has been idle (under 5% of a core) for that long after working, so
    the memory of a finished heavy request goes back to the system; while it rests, it trims again every
    :data:`REST_TRIM_PERIODS` periods (memory freed without work: a closed session dropped by a timer).
    ``arena_max`` caps glibc's per-thread heaps (``M_ARENA_MAX``; by default 8 per core): the server runs
    every rerun in a new thread, and blocks freed in one thread's heap are not reused by another's.
    Returns ``False`` where there is no glibc ``mallopt`` (macOS, Windows, musl).
    """
    check_int("mmap_threshold", mmap_threshold, 0)
    check_int("trim_threshold", trim_threshold, 0)
    if arena_max is not None:
        check_int("arena_max", arena_max, 1)
    if trim_idle_seconds is not None and not trim_idle_seconds > 0:
        raise ValueError(f"trim_idle_seconds must be positive or None, got {trim_idle_seconds}")
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
        libc.malloc_trim  # noqa: B018 (glibc only)
    except (OSError, AttributeError):
        return False
    m_trim_threshold, m_mmap_threshold, m_arena_max = -1, -3, -8
    tuned = bool(mallopt(m_mmap_threshold, int(mmap_threshold))) and bool(
        mallopt(m_trim_threshold, int(trim_threshold))
    )
    if tuned and arena_max is not None:
        mallopt(m_arena_max, int(arena_max))
    if tuned and not _LIBC:
        _LIBC.append(libc)
    if tuned and trim_idle_seconds is not None and not _TRIMMER:
        import threading

        thread = threading.Thread(
            target=_trim_when_idle,
            args=(libc, float(trim_idle_seconds), 0.05),
            name="dsdcn-trim",
            daemon=True,
        )
        thread.start()
        _TRIMMER.append(thread)
    return tuned


def release() -> bool:
    """Hand the heap's free pages back now (``malloc_trim(0)``) where :func:`tune_allocator` tuned glibc:
    called when the last heavy request of the process ends, so one request's freed blocks do not add to
    the next one's peak (a few ms; the next request faults its pages in again). False where untuned."""
    if not _LIBC:
        return False
    _LIBC[0].malloc_trim(0)
    return True


def freeze_long_lived() -> int:
    """Collect garbage, then move every object alive to the garbage collector's permanent generation
    (``gc.freeze``), the first time it is called in a process; the number of objects frozen.

    Call it when the process has loaded what it keeps for its whole life (torch, plotly, the pages'
    modules, compiled loops) and before it makes much else. A full collection then skips those objects:
    Streamlit runs one after every script run (``runner.postScriptGC``), which took about 150 ms of CPU
    a rerun with 468,000 objects alive, and 3-6 ms after the freeze. Objects made later are collected as
    before; frozen ones are still freed when their last reference goes. Later calls freeze nothing more
    (that would keep the cycles of everything alive then, sessions included, from ever being collected).
    """
    with _FREEZE_LOCK:
        if not _FROZEN:
            gc.collect()
            gc.freeze()
            _FROZEN.append(gc.get_freeze_count())
        return _FROZEN[0]


class RestWatch:
    """How long a process has rested: fed its CPU seconds and the wall clock at each look.

    A look whose CPU use since the previous one is under ``idle_share`` of a core adds its time to the rest;
    a busier one ends it. :meth:`due` says once per rest when it has lasted ``after`` seconds (a server that
    nobody uses drops what it only kept for the people who left, then waits for the next rest).
    """

    def __init__(self, after: float, idle_share: float = 0.02) -> None:
        if not after > 0:
            raise ValueError(f"after must be positive, got {after}")
        self.after, self.idle_share = float(after), float(idle_share)
        self.rested = 0.0
        self.done = False
        self._last: tuple[float, float] | None = None

    def look(self, cpu_seconds: float, wall_seconds: float) -> float:
        """Record a look; the seconds rested so far."""
        if self._last is not None:
            cpu0, wall0 = self._last
            span = wall_seconds - wall0
            if span > 0 and (cpu_seconds - cpu0) / span < self.idle_share:
                self.rested += span
            else:
                self.rested, self.done = 0.0, False
        self._last = (cpu_seconds, wall_seconds)
        return self.rested

    def due(self) -> bool:
        """True once per rest, at the first look after ``after`` seconds of it."""
        if self.rested >= self.after and not self.done:
            self.done = True
            return True
        return False
