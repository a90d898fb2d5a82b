"""Parameters and multiply-accumulates (MACs) of convolution layers, from formulas.

FLOPs are ``2 * MACs`` (the convention of ``torch.utils.flop_counter``, which ignores bias).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .geometry import Padding, check_int, output_size

ConvKind = Literal["standard", "depthwise", "pointwise", "separable"]
CONV_KINDS: tuple[str, ...] = ("standard", "depthwise", "pointwise", "separable")


@dataclass(frozen=True)
class Cost:
    """Weights (``params``, biases included when asked) and MACs of one layer for one image."""

    params: int
    macs: int
    out_height: int
    out_width: int
    out_channels: int = 0

    @property
    def flops(self) -> int:
        """FLOPs as ``2 * macs`` (bias additions not counted)."""
        return 2 * self.macs


def conv_cost(
    kind: ConvKind,
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    height: int,
    width: int,
    stride: int = 1,
    dilation: int = 1,
    padding: Padding = "same",
    depth_multiplier: int = 1,
    bias: bool = False,
) -> Cost:
    """Params and MACs of a ``kind`` layer on a ``(in_channels, height, width)`` input.

    - ``standard``: ``k x k`` conv ``C_in -> C_out``.
    - ``depthwise``: ``k x k`` conv with ``groups = C_in``, ``C_in -> C_in*m`` (``out_channels`` unused).
    - ``pointwise``: ``1 x 1`` conv ``C_in -> C_out`` with the given stride (``kernel_size``,
      ``dilation`` unused; ``"same"`` padding is 0).
    - ``separable``: depthwise (``k``, ``d``, ``s``, padding, ``m``) then pointwise ``C_in*m -> C_out``.

    A dilated layer is any kind with ``dilation > 1``: dilation changes neither params nor MACs.
    """
    if kind not in CONV_KINDS:
        raise ValueError(f"kind must be one of {', '.join(CONV_KINDS)}, got {kind!r}")
    c_in = check_int("in_channels", in_channels, 1)
    c_out = check_int("out_channels", out_channels, 1)
    m = check_int("depth_multiplier", depth_multiplier, 1)
    k = check_int("kernel_size", kernel_size, 1)
    if kind == "pointwise":
        k, dilation = 1, 1
    h_out = output_size(height, k, stride, padding, dilation)
    w_out = output_size(width, k, stride, padding, dilation)
    positions = h_out * w_out
    b = 1 if bias else 0
    if kind == "standard":
        return Cost(c_in * c_out * k * k + b * c_out, c_in * c_out * k * k * positions, h_out, w_out, c_out)
    if kind == "pointwise":
        return Cost(c_in * c_out + b * c_out, c_in * c_out * positions, h_out, w_out, c_out)
    mid = c_in * m
    dw_params = mid * k * k + b * mid
    dw_macs = mid * k * k * positions
    if kind == "depthwise":
        return Cost(dw_params, dw_macs, h_out, w_out, mid)
    pw_params = mid * c_out + b * c_out
    pw_macs = mid * c_out * positions
    return Cost(dw_params + pw_params, dw_macs + pw_macs, h_out, w_out, c_out)


def separable_ratio(out_channels: int, kernel_size: int, depth_multiplier: int = 1) -> float:
    """Cost of a separable layer over a standard one (weights or MACs, no bias): ``m*(1/C_out + 1/k^2)``.

    Exact for any depth multiplier ``m``: ``(C_in*m*k^2 + C_in*m*C_out) / (C_in*C_out*k^2)``;
    ``C_in`` cancels, and so do the output positions (both layers produce the same grid).
    """
    c_out = check_int("out_channels", out_channels, 1)
    k = check_int("kernel_size", kernel_size, 1)
    m = check_int("depth_multiplier", depth_multiplier, 1)
    return m / c_out + m / (k * k)


def separable_ratio_terms(
    out_channels: int, kernel_size: int, depth_multiplier: int = 1
) -> tuple[float, float]:
    """The two terms of ``separable_ratio``: ``(m/C_out, m/k^2)``, the depthwise and pointwise stages'
    shares of a standard layer's cost."""
    c_out = check_int("out_channels", out_channels, 1)
    k = check_int("kernel_size", kernel_size, 1)
    m = check_int("depth_multiplier", depth_multiplier, 1)
    return m / c_out, m / (k * k)
