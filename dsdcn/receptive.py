"""Receptive field of a stack of layers: analytic extent and exact coverage (path counts).

Extent recurrence (Araujo et al., Distill 2019), with ``j_0 = 1``:
``r_l = r_{l-1} + d_l*(k_l-1)*j_{l-1}``, ``j_l = j_{l-1}*s_l``, ``P_l = P_{l-1} + p_l*j_{l-1}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .geometry import check_int

LayerKind = Literal["conv", "pool"]


@dataclass(frozen=True)
class Layer:
    """One convolution or pooling layer along one spatial axis (all ints)."""

    kernel_size: int
    stride: int = 1
    dilation: int = 1
    padding: int = 0
    kind: LayerKind = "conv"

    def __post_init__(self) -> None:
        check_int("kernel_size", self.kernel_size, 1)
        check_int("stride", self.stride, 1)
        check_int("dilation", self.dilation, 1)
        check_int("padding", self.padding, 0)
        if self.kind not in ("conv", "pool"):
            raise ValueError(f"kind must be 'conv' or 'pool', got {self.kind!r}")

    @property
    def effective_kernel_size(self) -> int:
        """``d*(k-1) + 1``."""
        return self.dilation * (self.kernel_size - 1) + 1


@dataclass(frozen=True)
class RF:
    """Receptive field after a layer, measured in input pixels.

    ``size`` is the extent, ``stride`` the effective stride (jump) and ``padding`` the effective
    padding: output ``i``'s field starts at input ``i*stride - padding``.
    """

    size: int
    stride: int
    padding: int


def _as_layers(layers: Iterable[Layer]) -> list[Layer]:
    out = list(layers)
    for i, layer in enumerate(out):
        if not isinstance(layer, Layer):
            raise ValueError(f"layer {i} must be a dsdcn.Layer, got {type(layer).__name__}")
    return out


def receptive_field(layers: Iterable[Layer]) -> list[RF]:
    """Cumulative receptive field after each layer (one entry per layer)."""
    size, jump, pad = 1, 1, 0
    result: list[RF] = []
    for layer in _as_layers(layers):
        size += layer.dilation * (layer.kernel_size - 1) * jump
        pad += layer.padding * jump
        jump *= layer.stride
        result.append(RF(size=size, stride=jump, padding=pad))
    return result


def _count_dtype(layers: Sequence[Layer]) -> type | np.dtype:
    # int64 holds every path count when the product of kernel sizes stays below 2**62
    bound = 1
    for layer in layers:
        bound *= layer.kernel_size
    return np.int64 if bound < 2**62 else object


def coverage(layers: Iterable[Layer]) -> np.ndarray:
    """Path counts over the final extent of one output (1D).

    Entry ``t`` is the number of distinct paths by which input offset ``t`` (from the start of the
    field) reaches the output; ``0`` marks a hole (gridding). Exact integers: int64, or Python ints
    (``object`` dtype) when the counts could overflow int64.
    """
    stack = _as_layers(layers)
    dtype = _count_dtype(stack)
    counts = np.ones(1, dtype=dtype)
    for counts in coverage_steps(stack, dtype):  # noqa: B007
        pass
    return counts


def coverage_steps(stack: Sequence[Layer], dtype: Any) -> Iterator[np.ndarray]:
    """Path counts after each layer of ``stack``, in ``dtype``: the recurrence behind ``coverage``.

    Each layer spreads the counts so far over its ``k`` taps, ``dilation × (product of earlier strides)``
    apart; the caller picks a dtype that cannot overflow (or accepts rounding, as float64 does).
    """
    counts = np.ones(1, dtype=dtype)
    jump = 1
    for layer in stack:
        step = layer.dilation * jump
        grown = np.zeros(counts.size + step * (layer.kernel_size - 1), dtype=dtype)
        for m in range(layer.kernel_size):
            grown[m * step : m * step + counts.size] += counts
        counts = grown
        jump *= layer.stride
        yield counts


def coverage_2d(layers_y: Iterable[Layer], layers_x: Iterable[Layer] | None = None) -> np.ndarray:
    """Path counts of one output in 2D: the outer product of the per-axis counts.

    ``layers_x`` defaults to ``layers_y`` (square kernels).
    """
    cy = coverage(layers_y)
    cx = cy if layers_x is None else coverage(layers_x)
    if cy.dtype == object or cx.dtype == object:
        return np.outer(cy.astype(object), cx.astype(object))
    if int(cy.max()) * int(cx.max()) >= 2**63:
        return np.outer(cy.astype(object), cx.astype(object))
    return np.outer(cy, cx)


def holes(layers: Iterable[Layer]) -> np.ndarray:
    """Offsets inside the extent that reach the output by no path (gridding holes), 1D."""
    return np.flatnonzero(coverage(layers) == 0)
