"""Dilation schedules: the gridding verdict, the HDC rule and a search for hole-free schedules.

Hybrid Dilated Convolution (Wang et al., 2018) for ``n`` layers of kernel ``K`` at rates
``r_1..r_n``: ``M_n = r_n``, ``M_i = max(M_{i+1} - 2 r_i, M_{i+1} - 2 (M_{i+1} - r_i), r_i)``,
goal ``M_2 <= K``. The rule is stated for 3x3 kernels and assumes ``r_1 = 1``; the exact coverage
(``dsdcn.coverage``) is the truth it approximates.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .fieldmap import field_start, path_counts
from .geometry import check_int
from .receptive import Layer

MAX_SCHEDULE_LAYERS = 32
MAX_SCHEDULE_KERNEL = 15
MAX_SCHEDULE_DILATION = 4096


@dataclass(frozen=True)
class HDCStep:
    """One step of the rule: layer ``i`` (from 1) at rate ``r``, the three candidates and ``M_i``."""

    i: int
    rate: int
    m_next: int | None
    candidates: tuple[int, int, int] | None
    m: int


@dataclass(frozen=True)
class HDCRule:
    """The HDC rule evaluated for ``rates``: steps from ``M_n`` down to ``M_2``, ``M_2`` and the verdict.

    ``m2`` and ``passes`` are ``None`` for a single layer (the rule needs two).
    """

    rates: tuple[int, ...]
    kernel_size: int
    steps: tuple[HDCStep, ...]
    m2: int | None
    passes: bool | None
    first_rate_is_one: bool
    common_factor: int


def hdc_rule(rates: Sequence[int], kernel_size: int = 3) -> HDCRule:
    """Evaluate the HDC rule of Wang et al. (2018) step by step.

    >>> hdc_rule([1, 2, 5]).m2, hdc_rule([1, 2, 9]).m2
    (2, 5)
    """
    k = check_int("kernel_size", kernel_size, 1)
    rs = tuple(check_int(f"rate {i + 1}", r, 1) for i, r in enumerate(rates))
    if not rs:
        raise ValueError("rates must hold at least one rate")
    n = len(rs)
    steps = [HDCStep(n, rs[-1], None, None, rs[-1])]
    m = rs[-1]
    for i in range(n - 1, 1, -1):
        r = rs[i - 1]
        cand = (m - 2 * r, m - 2 * (m - r), r)
        steps.append(HDCStep(i, r, m, cand, max(cand)))
        m = max(cand)
    m2 = m if n >= 2 else None
    return HDCRule(
        rates=rs,
        kernel_size=k,
        steps=tuple(steps),
        m2=m2,
        passes=None if m2 is None else m2 <= k,
        first_rate_is_one=rs[0] == 1,
        common_factor=math.gcd(*rs),
    )


def hdc_scope(layers: Sequence[Layer]) -> str:
    """Why the HDC rule does not describe this stack ("" when it does: stride-1 convs of one kernel)."""
    stack = list(layers)
    if not stack:
        return "the stack is empty"
    if any(layer.kind == "pool" for layer in stack):
        return "it has pooling layers"
    if any(layer.stride != 1 for layer in stack):
        return "it has strided layers"
    if len({layer.kernel_size for layer in stack}) > 1:
        return "its layers have different kernel sizes"
    return ""


@dataclass(frozen=True)
class Gridding:
    """Holes of one output's field: per axis (1D) and over the square field (2D).

    ``offsets`` are the hole positions relative to the output's position; ``runs`` groups them as
    inclusive ``(first, last)`` offset ranges.
    """

    extent: int
    start: int
    offsets: tuple[int, ...]
    runs: tuple[tuple[int, int], ...]
    holes_1d: int
    holes_2d: int

    @property
    def pixels_2d(self) -> int:
        """Pixels of the square field, ``r^2``."""
        return self.extent * self.extent

    @property
    def share_1d(self) -> float:
        """Share of the extent that is holes (1D)."""
        return self.holes_1d / self.extent

    @property
    def share_2d(self) -> float:
        """Share of the square field that is holes (2D)."""
        return self.holes_2d / self.extent**2


def hole_runs(offsets: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """Group sorted integers into inclusive runs of consecutive values.

    >>> hole_runs([-3, -2, 0, 4])
    ((-3, -2), (0, 0), (4, 4))
    """
    runs: list[tuple[int, int]] = []
    for x in offsets:
        if runs and x == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((x, x))
    return tuple(runs)


def gridding(layers: Iterable[Layer], causal: bool = False) -> Gridding:
    """The gridding verdict of a stack from its exact coverage.

    The square 2D field has ``r^2 - (r - h)^2`` holes for ``h`` holes per axis: a pixel is reached
    exactly when its row and its column offsets both are.
    """
    stack = list(layers)
    counts = path_counts(stack)
    start = field_start(stack, causal)
    idx = np.flatnonzero(counts == 0)
    offsets = tuple(int(i) + start for i in idx)
    r, h = int(counts.size), int(idx.size)
    return Gridding(r, start, offsets, hole_runs(offsets), h, r * r - (r - h) * (r - h))


@dataclass(frozen=True)
class Suggestion:
    """A hole-free schedule with the largest extent: dilations (ascending), kernel, extent, search size."""

    dilations: tuple[int, ...]
    kernel_size: int
    extent: int
    visited: int


def _reach_ok(reach: np.ndarray) -> bool:
    return bool(reach.all())


def _add_layer(reach: np.ndarray, k: int, d: int) -> np.ndarray:
    # offsets reached after one more stride-1 layer: the Minkowski sum with {0, d, ..., (k-1) d}
    grown = np.zeros(reach.size + d * (k - 1), dtype=bool)
    for m in range(k):
        grown[m * d : m * d + reach.size] |= reach
    return grown


def suggest_schedule(n_layers: int, kernel_size: int = 3, max_dilation: int = 16) -> Suggestion:
    """The stride-1 schedule of ``n_layers`` convs (kernel ``k``, dilations ``1..max_dilation``)
    with no holes and the largest extent, found by branch and bound.

    The coverage of a stride-1 stack does not depend on the order of its layers, so the search runs
    over ascending schedules. Sorted ascending, a schedule is hole-free only if each prefix is
    (a hole just past a prefix's span ``L`` cannot be reached by later, larger steps), and a step
    ``d`` extends a hole-free span ``L`` without a hole only if ``d <= L + 1``. Every visited prefix
    is checked with exact reachability; the bound for a prefix of span ``L`` is the span reached by
    always taking the largest allowed step, ``min(max_dilation, L + 1)``.
    """
    n = check_int("n_layers", n_layers, 1)
    k = check_int("kernel_size", kernel_size, 2)
    dmax = check_int("max_dilation", max_dilation, 1)
    if n > MAX_SCHEDULE_LAYERS:
        raise ValueError(f"n_layers must be at most {MAX_SCHEDULE_LAYERS}, got {n}")
    if k > MAX_SCHEDULE_KERNEL:
        raise ValueError(f"kernel_size must be at most {MAX_SCHEDULE_KERNEL}, got {k}")
    if dmax > MAX_SCHEDULE_DILATION:
        raise ValueError(f"max_dilation must be at most {MAX_SCHEDULE_DILATION}, got {dmax}")

    def bound(span: int, remaining: int) -> int:
        for _ in range(remaining):
            span += (k - 1) * min(dmax, span + 1)
        return span

    best: list[int] = []
    best_span = -1
    visited = 0

    def search(prefix: list[int], reach: np.ndarray) -> None:
        nonlocal best, best_span, visited
        visited += 1
        span = reach.size - 1
        if len(prefix) == n:
            if span > best_span:
                best, best_span = list(prefix), span
            return
        low = prefix[-1] if prefix else 1
        for d in range(min(dmax, span + 1), low - 1, -1):
            child_span = span + (k - 1) * d
            if bound(child_span, n - len(prefix) - 1) <= best_span:
                break  # the bound only shrinks with d
            grown = _add_layer(reach, k, d)
            if _reach_ok(grown):
                search([*prefix, d], grown)

    search([], np.ones(1, dtype=bool))
    return Suggestion(tuple(best), k, best_span + 1, visited)
