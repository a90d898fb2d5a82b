"""The room's budget: every heavy request is estimated from its sizes before it runs, and refused past it.

A shared server runs one request after another on a few cores; one link can keep everyone waiting.
``ROOM`` states the budget of one request (10 s of work and 1 GiB of memory on a 2-core machine).
Estimates are sizes times throughputs measured here (``RATES``, CPU time of a quiet 2-core machine);
they are meant to be on the high side (an upper-ish bound, see tests/test_budget.py for the factor).

Heavy torch work also takes a turn and *reserves* its memory while it runs (``reserve``): one heavy
request of the process runs at a time, first come first served, and the bytes held by every request are
counted, so two presses at once wait for each other (the page says "waiting for the CPU", see
``on_wait``) instead of thrashing the same cores or both taking "half of the free memory". Codes and numbers out, never display words: the UI translates.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

from . import allocator

Reason = Literal["time", "memory", "extent"]


@dataclass(frozen=True)
class Budget:
    """Most wall time (seconds) and memory (bytes) one request may take."""

    seconds: float = 10.0
    bytes: int = 1 << 30


ROOM = Budget()

# Throughputs of a quiet 2-core CPU (measured with CPU time / threads on this project's machine);
# a GPU is counted ``GPU_SPEEDUP`` times faster (still far from what one does).
RATES: dict[str, float] = {
    "conv_macs": 4e9,  # float32 multiply-adds of an image convolution (engine's chosen algorithm)
    "map_pixels": 1.6e7,  # full-resolution map pixels reduced to statistics, previews and crops
    "scatter_adds": 5e7,  # float64 shift-and-add element operations (a stack's response)
    "erf_macs": 1e9,  # forward multiply-adds of the effective field (the backward pass counted on top)
    "dense_macs": 1e10,  # float32 multiply-adds of a timed standard or pointwise layer (oneDNN)
    "depthwise_macs": 1.5e8,  # float32 multiply-adds of a timed depthwise layer (torch's CPU kernel is slow)
    "depthwise_macs_cached": 5e8,  # the same when its input and output fit in CACHED_BYTES
    "measure_bytes": 4e9,  # memory traffic of a timed layer, bytes per second
}
GPU_SPEEDUP = 10.0
CACHED_BYTES = 8 << 20  # a depthwise layer touching at most this much runs from the CPU's caches
# a measurement pays this much besides its passes (building the module, the FLOP count, the input)
MEASURE_OVERHEAD_S = 0.005


@dataclass(frozen=True)
class Refused:
    """Why a request was not started: ``reason`` (``time``, ``memory`` or ``extent``), the estimate
    (``seconds``, ``bytes``; ``extent`` for a field too wide) and the budget it passed."""

    reason: Reason
    seconds: float
    bytes: int
    budget: Budget
    extent: int = 0
    limit: int = 0


@dataclass(frozen=True)
class Estimate:
    """Wall time (seconds) and peak memory (bytes) a request is expected to take."""

    seconds: float
    bytes: int

    def __add__(self, other: Estimate) -> Estimate:
        """Two requests one after the other: times add, the larger peak stays."""
        return Estimate(self.seconds + other.seconds, max(self.bytes, other.bytes))

    def refusal(self, budget: Budget = ROOM) -> Refused | None:
        """``Refused`` when the estimate passes ``budget`` (memory checked first), else None."""
        if self.bytes > budget.bytes:
            return Refused("memory", self.seconds, self.bytes, budget)
        if self.seconds > budget.seconds:
            return Refused("time", self.seconds, self.bytes, budget)
        return None


def _speed(device_type: str) -> float:
    return 1.0 if device_type == "cpu" else GPU_SPEEDUP


# --- the Image lab --------------------------------------------------------------------------------------


def bank_estimate(
    height: int,
    width: int,
    channels: int,
    n_filters: int,
    kernel_size: int,
    kind: str,
    n_dilations: int,
    device_type: str = "cpu",
) -> Estimate:
    """A filter bank at every dilation (``dsdcn.filters.run_bank``): convolutions and map reductions.

    Memory: bands of maps (``band_rows`` rows: the band, the same rows at the first dilation, the
    separable layer's middle band and the statistics scratch, each at most about ``BAND_BYTES``), the
    percentile grid of one dilation, the float16 previews and crops, the input.
    """
    from .filters.run import PERCENTILE_PIXELS, band_rows, centre_crop_box, preview_size, widest_maps

    pixels = height * width
    m = channels if kind == "depthwise" else 1
    mid = channels * n_filters if kind in ("depthwise", "separable") else 0
    macs = n_dilations * pixels * kernel_size**2 * channels * n_filters
    macs += n_dilations * pixels * mid if kind == "separable" else 0
    maps = n_dilations * n_filters * m * pixels + n_dilations * mid * pixels
    seconds = (macs / RATES["conv_macs"] + maps / RATES["map_pixels"]) / _speed(device_type)
    widest = widest_maps(kind, channels, n_filters)
    band = band_rows(widest, height, width, device_type) * widest * width * 4
    grid = n_filters * m * min(pixels, PERCENTILE_PIXELS) * 4
    ph, pw = preview_size(height, width, 384)
    _, _, ch, cw = centre_crop_box(height, width, 192)
    kept = n_dilations * n_filters * m * (ph * pw + ch * cw) * 2
    return Estimate(seconds, 4 * band + grid + kept + channels * pixels * 4)


def response_adds(kernel_size: int, schedule: Sequence[int]) -> int:
    """Element operations of a stack's response by shift-and-add: layer ``l`` adds ``k^2`` shifted
    copies of the response so far (``r_{l-1}^2`` entries each)."""
    r, adds = 1, 0
    for d in schedule:
        adds += kernel_size**2 * r * r
        r += d * (kernel_size - 1)
    return adds


def stacks_estimate(
    height: int,
    width: int,
    channels: int,
    kernel_size: int,
    schedules: Sequence[Sequence[int]],
    device_type: str = "cpu",
) -> Estimate:
    """Stacks of one filter on an image (``dsdcn.filters.run_stacks``) and their responses (on the CPU).

    Memory: every stack's output at full resolution, two layers' worth of scratch, and each response
    (float64, ``R x R`` with ``R`` the extent) with its next layer and one shifted product.
    """
    pixels = height * width
    macs = sum(len(s) for s in schedules) * pixels * channels * kernel_size**2
    image_s = (macs / RATES["conv_macs"] + len(schedules) * channels * pixels / RATES["map_pixels"]) / _speed(
        device_type
    )
    adds = sum(response_adds(kernel_size, s) for s in schedules)
    seconds = image_s + adds / RATES["scatter_adds"]
    extents = [1 + sum(d * (kernel_size - 1) for d in s) for s in schedules]
    images = (len(schedules) + 2) * channels * pixels * 4
    responses = sum(e * e * 8 for e in extents) + 2 * max(extents, default=1) ** 2 * 8
    return Estimate(seconds, images + responses)


# --- the Receptive field page ---------------------------------------------------------------------------


def erf_estimate(macs: int, extent: int, ndim: int, channels: int, networks: int, n_layers: int) -> Estimate:
    """The gradient-based effective field: ``macs`` forward multiply-adds (``dsdcn.erf_cost``), the
    backward pass twice that; memory: each layer's activation kept for the backward pass, and its grad."""
    seconds = 3 * macs / RATES["erf_macs"]
    activations = (n_layers + 2) * networks * channels * extent**ndim * 8
    return Estimate(seconds, 2 * activations)


def extent_refusal(extent: int, limit: int) -> Refused | None:
    """``Refused`` (reason ``extent``) when a field ``extent`` pixels wide passes ``limit``."""
    if extent > limit:
        return Refused("extent", math.inf, 0, ROOM, extent=extent, limit=limit)
    return None


# --- measurements (the Cost page) ------------------------------------------------------------------------


def timed_passes(
    pass_seconds: float, warmup: int, repeats: int, max_seconds: float, min_repeats: int = 3
) -> float:
    """Wall time of ``dsdcn.measure.time_runs``: ``warmup`` passes, then ``repeats`` passes, stopping once
    ``max_seconds`` have passed and at least ``min_repeats`` ran (the pass that crosses the limit ends)."""
    floor = min(min_repeats, repeats)
    timed = min(repeats * pass_seconds, max(floor * pass_seconds, max_seconds + pass_seconds))
    return warmup * pass_seconds + timed


def pass_seconds(
    dense_macs: int,
    depthwise_macs: int,
    traffic: int,
    device_type: str = "cpu",
    cached_depthwise_macs: int = 0,
) -> float:
    """One forward pass: its dense and depthwise multiply-adds (those of depthwise layers whose input and
    output fit in ``CACHED_BYTES`` at their faster rate) and its least memory traffic, in turn."""
    work = dense_macs / RATES["dense_macs"] + depthwise_macs / RATES["depthwise_macs"]
    work += cached_depthwise_macs / RATES["depthwise_macs_cached"]
    return (work + traffic / RATES["measure_bytes"]) / _speed(device_type)


# --- one request at a time: a queue for the CPU, memory reserved process-wide ------------------------------


class Busy(RuntimeError):
    """The room's memory or CPU is held by other requests for longer than a request may wait."""


OnWait = Callable[[int], None]
_ON_WAIT: ContextVar[OnWait | None] = ContextVar("dsdcn_budget_on_wait", default=None)


@contextmanager
def on_wait(callback: OnWait) -> Iterator[None]:
    """While the block runs, a request of this thread that has to queue calls ``callback(ahead)`` each time
    the number of requests running or queued before it changes (``0``: about to start), so the UI can show
    "waiting for the CPU" instead of a frozen page."""
    token = _ON_WAIT.set(callback)
    try:
        yield
    finally:
        _ON_WAIT.reset(token)


class _Pool:
    """A first-come queue per device type: at most ``slots`` requests run at once (one by default: the
    process's torch threads are sized to its share of the cores, so two at once only thrash each other),
    and the bytes they reserve fit in ``capacity``. A request made inside a running one (same thread) only
    adds its bytes."""

    def __init__(self, capacity: int, slots: int = 1) -> None:
        self.capacity = capacity
        self.slots = slots
        self.held: dict[str, int] = {}
        self.running: dict[str, int] = {}
        self.queue: dict[str, list[int]] = {}
        self.tickets = itertools.count()
        self.cond = threading.Condition()
        self.local = threading.local()

    def reserved(self, device_type: str) -> int:
        with self.cond:
            return self.held.get(device_type, 0)

    def waiting(self, device_type: str) -> int:
        with self.cond:
            return len(self.queue.get(device_type, []))

    def _ahead(self, device_type: str, ticket: int) -> int:
        return self.queue[device_type].index(ticket) + self.running.get(device_type, 0)

    def _may_start(self, device_type: str, ticket: int, want: int, nested: bool) -> bool:
        fits = self.held.get(device_type, 0) + want <= self.capacity
        if nested:
            return fits
        turn = self.queue[device_type][0] == ticket and self.running.get(device_type, 0) < self.slots
        return turn and fits

    def _wait_turn(self, device_type: str, want: int, nested: bool, wait: float) -> None:
        deadline = time.monotonic() + wait
        notify = _ON_WAIT.get()
        told: int | None = None
        ticket = next(self.tickets)
        queue = self.queue.setdefault(device_type, [])
        queue.append(ticket)
        try:
            while not self._may_start(device_type, ticket, want, nested):
                ahead = self._ahead(device_type, ticket)
                if notify is not None and ahead != told:
                    told = ahead
                    notify(ahead)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Busy(
                        f"requests ahead of this one: {ahead}; they hold "
                        f"{self.held.get(device_type, 0):,} of the {self.capacity:,} bytes this server lends "
                        "to heavy work; try again in a moment"
                    )
                self.cond.wait(min(left, 1.0))
        finally:
            queue.remove(ticket)
            self.cond.notify_all()
        if told:
            notify(0)  # type: ignore[misc]

    @contextmanager
    def reserve(self, nbytes: int, device_type: str, wait: float) -> Iterator[None]:
        want = min(max(int(nbytes), 0), self.capacity)  # a request larger than the room waits for all of it
        depth = getattr(self.local, "depth", 0)
        with self.cond:
            self._wait_turn(device_type, want, depth > 0, wait)
            self.held[device_type] = self.held.get(device_type, 0) + want
            if depth == 0:
                self.running[device_type] = self.running.get(device_type, 0) + 1
        self.local.depth = depth + 1
        try:
            yield
        finally:
            self.local.depth = depth
            with self.cond:
                self.held[device_type] -= want
                if depth == 0:
                    self.running[device_type] -= 1
                idle = not any(self.running.values())
                self.cond.notify_all()
            if idle and depth == 0:  # the last heavy request ended: its freed blocks go back at once
                allocator.release()


_POOL = _Pool(ROOM.bytes)
WAIT_SECONDS = 30.0


def reserve(
    nbytes: int, device_type: str = "cpu", wait: float = WAIT_SECONDS
) -> AbstractContextManager[None]:
    """Take this request's turn on ``device_type`` (one heavy request of the process at a time, first come
    first served) and hold ``nbytes`` of the room's memory (``ROOM.bytes`` per device type, all requests of
    the process together) while the block runs; waits up to ``wait`` seconds, else ``Busy``. A waiting
    request reports its place through the callback set by ``on_wait``. When the last running request
    ends, the process hands its freed heap back (:func:`dsdcn.allocator.release`)."""
    return _POOL.reserve(nbytes, device_type, wait)


def reserved(device_type: str = "cpu") -> int:
    """Bytes the requests running now hold on ``device_type``."""
    return _POOL.reserved(device_type)


def waiting(device_type: str = "cpu") -> int:
    """Requests queued (not yet started) on ``device_type`` now."""
    return _POOL.waiting(device_type)
