"""The room's budget: every heavy request is estimated from its sizes before it runs, and refused past it.

A shared server runs one request after another on a few cores; one link can keep everyone waiting.
``ROOM`` states the budget of one request (10 s of work and 1 GiB of memory on a 2-core machine).
Estimates are sizes times throughputs measured here (``RATES``, CPU time of a quiet 2-core machine);
they are meant to be on the high side (an upper-ish bound, see tests/test_budget.py for the factor).

Heavy torch work also *reserves* its memory while it runs (``reserve``): the bytes held by every
request in the process are counted, so two presses at once wait for each other instead of both
taking "half of the free memory". Codes and numbers out, never display words: the UI translates.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Literal

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

    Memory: two chunks of maps alive (the chunk and the first dilation's, each at most
    ``CHUNK_BYTES``), the statistics scratch, the float16 previews and crops, the input.
    """
    from .filters import CHUNK_BYTES, STAT_BLOCK_BYTES_LARGE, centre_crop_box, preview_size

    pixels = height * width
    m = channels if kind == "depthwise" else 1
    mid = channels * n_filters if kind in ("depthwise", "separable") else 0
    macs = n_dilations * pixels * kernel_size**2 * channels * n_filters
    macs += n_dilations * pixels * mid if kind == "separable" else 0
    maps = n_dilations * n_filters * m * pixels + n_dilations * mid * pixels
    seconds = (macs / RATES["conv_macs"] + maps / RATES["map_pixels"]) / _speed(device_type)
    one_dilation = n_filters * max(m, 1 if kind != "separable" else channels) * pixels * 4
    chunk = min(one_dilation, CHUNK_BYTES)
    ph, pw = preview_size(height, width, 384)
    _, _, ch, cw = centre_crop_box(height, width, 192)
    kept = n_dilations * n_filters * m * (ph * pw + ch * cw) * 2
    return Estimate(seconds, 2 * chunk + STAT_BLOCK_BYTES_LARGE + kept + channels * pixels * 4)


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


# --- one request at a time: memory reserved process-wide --------------------------------------------------


class Busy(RuntimeError):
    """The room's memory is held by other requests for longer than a request may wait."""


class _Pool:
    """Bytes reserved per device type; a request waits until its bytes fit in the capacity."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.held: dict[str, int] = {}
        self.cond = threading.Condition()

    def reserved(self, device_type: str) -> int:
        with self.cond:
            return self.held.get(device_type, 0)

    @contextmanager
    def reserve(self, nbytes: int, device_type: str, wait: float) -> Iterator[None]:
        want = min(max(int(nbytes), 0), self.capacity)  # a request larger than the room waits for all of it
        deadline = time.monotonic() + wait
        with self.cond:
            while self.held.get(device_type, 0) + want > self.capacity:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Busy(
                        f"other requests hold {self.held.get(device_type, 0):,} of the {self.capacity:,} bytes "
                        f"this server lends to heavy work; try again in a moment"
                    )
                self.cond.wait(left)
            self.held[device_type] = self.held.get(device_type, 0) + want
        try:
            yield
        finally:
            with self.cond:
                self.held[device_type] -= want
                self.cond.notify_all()


_POOL = _Pool(ROOM.bytes)
WAIT_SECONDS = 30.0


def reserve(
    nbytes: int, device_type: str = "cpu", wait: float = WAIT_SECONDS
) -> AbstractContextManager[None]:
    """Hold ``nbytes`` of the room's memory (``ROOM.bytes`` per device type, all requests of the process
    together) while the block runs; waits up to ``wait`` seconds for others to finish, else ``Busy``."""
    return _POOL.reserve(nbytes, device_type, wait)


def reserved(device_type: str = "cpu") -> int:
    """Bytes the requests running now hold on ``device_type``."""
    return _POOL.reserved(device_type)
