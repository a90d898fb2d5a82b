"""Streamlit side of the Cost page: cached counts and measurements, and a runner that shows progress.

Measurements are cached per (layers, shape, device, dtype, memory format, threads, timing settings) with
``st.cache_data``; a refusal (``MeasurementRefused``) is raised again, not cached. The results a user has
asked for are kept in ``st.session_state`` under a key of all those settings, so changing any input
shows nothing stale: it waits for the next press of the button. A result without a timing is kept as a
``MeasurementRefused`` value (its ``code`` says why) and put into words only when shown (``refusal_text``).

``PageSettings`` is every control of the page, read once per run: the page's sections take it whole.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

from dsdcn import budget, effective_kernel_size
from dsdcn.measure import (
    Counted,
    LayerSpec,
    Measurement,
    MeasurementRefused,
    check_fits,
    counted_cost,
    measure_latency,
    measurement_estimate,
    supported_dtypes,
)
from ui.common import refused, waiting_for_the_cpu
from ui.i18n import t

RESULTS_KEY = "cost_results"
MAX_KEPT = 24
KINDS = ("standard", "depthwise", "pointwise", "separable")

T = TypeVar("T")
Result = Measurement | MeasurementRefused
# (name, layers) to measure: the name a stable id (a kind, ("reach", way), (kind, d)), never a text
Items = Sequence[tuple[Hashable, tuple[LayerSpec, ...]]]


@dataclass(frozen=True)
class Settings:
    """How to measure: device, dtype, memory format, CPU threads (0: torch's default) and timing."""

    device: str
    dtype: str
    memory_format: str
    threads: int
    warmup: int
    repeats: int
    max_seconds: float

    def timing(self) -> dict[str, object]:
        """The keyword arguments every measurement of the page shares (device, dtype, timing, threads)."""
        return {
            "device": self.device,
            "dtype": self.dtype,
            "warmup": self.warmup,
            "repeats": self.repeats,
            "max_seconds": self.max_seconds,
            "threads": self.threads or None,
        }


@dataclass(frozen=True)
class PageSettings:
    """Every control of the Cost page, clamped to its limits: the input (``h``, ``w``, ``c_in``,
    ``batch``), the layer (``c_out``, ``k``, ``d``, ``s``, ``m``), how to measure (``how``) and the
    dilation sweep's largest ``max_d``. Frozen and hashable: a cache or session key."""

    h: int
    w: int
    c_in: int
    batch: int
    c_out: int
    k: int
    d: int
    s: int
    m: int
    how: Settings
    max_d: int

    @property
    def specs(self) -> dict[str, LayerSpec]:
        """The four layers compared, by kind (``KINDS``)."""
        c_in, c_out, k, d, s, m = self.c_in, self.c_out, self.k, self.d, self.s, self.m
        return {
            "standard": LayerSpec("standard", c_in, c_out, k, d, s),
            "depthwise": LayerSpec("depthwise", c_in, c_out, k, d, s, m),
            "pointwise": LayerSpec("pointwise", c_in, c_out, 1, 1, s),
            "separable": LayerSpec("separable", c_in, c_out, k, d, s, m),
        }

    @property
    def k_eff(self) -> int:
        """The dilated kernel's extent, ``d(k - 1) + 1``."""
        return effective_kernel_size(self.k, self.d)

    @property
    def dev(self) -> str:
        """The measuring device as the page names it (``CPU``, ``CUDA``)."""
        return self.how.device.upper()

    @property
    def on_cpu(self) -> bool:
        """Whether measurements run on the CPU."""
        return self.how.device == "cpu"

    @property
    def dilations(self) -> list[int]:
        """The dilations the sweeps time: 1 to ``max_d``."""
        return list(range(1, self.max_d + 1))

    def key(self, name: str, measured: Sequence[Hashable]) -> tuple:
        """The session key of results ``name`` measuring ``measured`` (items or layers) at this shape and
        with these settings: a change of any of them finds no results (nothing stale is shown)."""
        return (name, tuple(measured), self.h, self.w, self.batch, self.how)


# one short tuple per device
@st.cache_resource(show_spinner=False, max_entries=4, ttl="1d")
def dtypes_for(device: str) -> tuple[str, ...]:
    """Dtypes the device runs convolutions in (probed once per process)."""
    return supported_dtypes(device)


# 256 counts and 512 measurements of a few KB each: ≤ 4 MB; a measurement is redone after an hour
@st.cache_data(show_spinner=False, max_entries=256, ttl="1h")
def cached_count(specs: tuple[LayerSpec, ...], height: int, width: int, batch: int) -> Counted:
    """``counted_cost`` (meta device, nothing allocated), cached."""
    return counted_cost(specs, height, width, batch)


@st.cache_data(show_spinner=False, max_entries=512, ttl="1h")
def cached_measure(
    specs: tuple[LayerSpec, ...], height: int, width: int, batch: int, settings: Settings
) -> Measurement:
    """``measure_latency`` with the given settings, cached per all of them."""
    return measure_latency(
        specs,
        height,
        width,
        batch,
        memory_format=settings.memory_format,
        **settings.timing(),  # type: ignore[arg-type]
    )


def attempt(measure: Callable[..., T], *args: Any) -> T | MeasurementRefused:
    """``measure(*args)``, or why it gave no result: a refusal, ``budget.Busy`` or a runtime error as a
    ``MeasurementRefused`` value (``MeasurementRefused.of``)."""
    try:
        with waiting_for_the_cpu():  # another person's measurement runs first: say so while waiting
            return measure(*args)
    except (MeasurementRefused, budget.Busy, RuntimeError, ValueError, MemoryError) as err:
        return MeasurementRefused.of(err)


def refusal_text(refusal: MeasurementRefused) -> str:
    """A result without a timing in words: the library's English reason after a translated prefix."""
    if refusal.code == "busy":
        return t("cost.busy")
    if refusal.code == "failed":
        return t("cost.failed", reason=str(refusal) or t("cost.no_reason"))  # the reason, not the class
    return t("cost.not_measured", reason=str(refusal))


def measure_all(
    items: Items,
    height: int,
    width: int,
    batch: int,
    settings: Settings,
    label: str,
    display: Mapping[Hashable, str] | None = None,
) -> dict[Hashable, Result]:
    """Measure every ``(name, specs)`` in turn with a progress bar; a refusal or a runtime error becomes
    a ``MeasurementRefused`` value (``attempt``). ``name`` is a stable id (results are kept under it
    whatever the language); ``display`` gives the text the progress bar shows.
    A widget change interrupts the loop between two items (Streamlit reruns)."""
    bar = st.progress(0.0, text=label)
    out: dict[Hashable, Result] = {}
    for i, (name, specs) in enumerate(items):
        shown = (display or {}).get(name, name)
        bar.progress(i / len(items), text=f"{label}: {shown} ({i + 1}/{len(items)})")
        out[name] = attempt(cached_measure, specs, height, width, batch, settings)
    bar.empty()
    return out


def press_estimate(
    items: Items,
    height: int,
    width: int,
    batch: int,
    settings: Settings,
    algorithms: int = 1,
) -> budget.Estimate:
    """What one press measuring every item costs (``dsdcn.measure.measurement_estimate``, one after the
    other); items the library refuses before allocating (``check_fits``) cost nothing."""
    total = budget.Estimate(0.0, 0)
    for _, specs in items:
        try:
            check_fits(specs, height, width, batch, settings.device)
        except MeasurementRefused:
            continue
        total += measurement_estimate(
            specs,
            height,
            width,
            batch,
            settings.device,
            settings.dtype,
            settings.warmup,
            settings.repeats,
            settings.max_seconds,
            algorithms,
        )
    return total


def refused_press(n: int, need: budget.Estimate, fix: str) -> bool:
    """Say so (and return True) when a press of ``n`` measurements costing ``need`` passes the room's
    budget; ``fix`` is the translated suggestion."""
    return refused(need, "cost.too_heavy", n=n, fix=fix)


def remember(key: tuple, results: Mapping[Hashable, object]) -> None:
    """Keep ``results`` for ``key`` in this session (the oldest go first beyond ``MAX_KEPT``)."""
    kept: dict[tuple, Mapping[Hashable, object]] = st.session_state.setdefault(RESULTS_KEY, {})
    kept.pop(key, None)
    kept[key] = results
    while len(kept) > MAX_KEPT:
        kept.pop(next(iter(kept)))


def recall(key: tuple) -> dict[Hashable, Any] | None:
    """Results measured in this session for exactly ``key``, if any."""
    return st.session_state.get(RESULTS_KEY, {}).get(key)


def forget_all() -> None:
    """Drop this session's results and the process-wide measurement cache (to measure afresh)."""
    st.session_state.pop(RESULTS_KEY, None)
    cached_measure.clear()
