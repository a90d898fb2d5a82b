"""A depthwise-separable layer stage by stage: costs per stage, its composed kernel, one output step by step.

The separable layer ``y = P * (D * x)`` (depthwise ``D``, pointwise ``P``) is itself a standard
convolution whose kernel is ``W[o, c] = sum_j P[o, c*m+j] * D[c*m+j]``: a standard layer restricted to
rank-``m`` mixing. That is why one output can be computed both ways and give the same number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .cost import Cost, conv_cost, separable_ratio
from .geometry import check_int, sampling_taps
from .layers import DSDilatedConv2d


@dataclass(frozen=True)
class SeparableCosts:
    """Weights and MACs (one image, no bias) of each stage, the whole layer and the layers it is compared to.

    ``naive`` is the common mistake: a "depthwise" stage written without ``groups`` (a full
    ``C_in -> C_in*m`` convolution) followed by the pointwise stage.
    """

    depthwise: Cost
    pointwise: Cost
    separable: Cost
    standard: Cost
    naive: Cost
    ratio: float
    ratio_formula: float

    def share(self, cost: Cost) -> float:
        """``cost``'s weights as a fraction of the standard layer's."""
        return cost.params / self.standard.params


def separable_costs(
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    dilation: int = 1,
    depth_multiplier: int = 1,
    height: int = 1,
    width: int = 1,
    stride: int = 1,
) -> SeparableCosts:
    """Costs of the two stages of a separable layer (``"same"`` padding) against a standard layer.

    With ``height = width = 1`` and stride 1 the MACs are per output position (equal to the weights).
    """
    c_in, c_out = in_channels, out_channels
    m = depth_multiplier
    k, d = kernel_size, dilation
    dw = conv_cost("depthwise", c_in, c_out, k, height, width, stride, d, depth_multiplier=m)
    pw = conv_cost("pointwise", c_in * m, c_out, 1, dw.out_height, dw.out_width)
    sep = conv_cost("separable", c_in, c_out, k, height, width, stride, d, depth_multiplier=m)
    std = conv_cost("standard", c_in, c_out, k, height, width, stride, d)
    full_dw = conv_cost("standard", c_in, c_in * m, k, height, width, stride, d)
    naive = Cost(full_dw.params + pw.params, full_dw.macs + pw.macs, pw.out_height, pw.out_width, c_out)
    return SeparableCosts(dw, pw, sep, std, naive, sep.macs / std.macs, separable_ratio(c_out, k, m))


def composed_kernel(module: DSDilatedConv2d) -> torch.Tensor:
    """Kernel ``(C_out, C_in, k, k)`` of the standard convolution equal to ``module``:
    ``W[o, c] = sum_j P[o, c*m+j] * D[c*m+j]``."""
    dw = module.depthwise.weight  # (C_in*m, 1, k, k)
    pw = module.pointwise.weight[:, :, 0, 0]  # (C_out, C_in*m)
    c_in = module.depthwise.in_channels
    m = dw.shape[0] // c_in
    k_h, k_w = dw.shape[-2:]
    per_channel = dw[:, 0].reshape(c_in, m, k_h, k_w)
    return torch.einsum("ocj,cjhw->ochw", pw.reshape(pw.shape[0], c_in, m), per_channel)


def equivalent_standard_conv(module: DSDilatedConv2d) -> nn.Module:
    """A standard ``nn.Conv2d`` (same dilation, stride and padding) computing exactly what ``module`` does."""
    dw, pw = module.depthwise, module.pointwise
    left, right = module.pad
    conv = nn.Conv2d(
        dw.in_channels,
        pw.out_channels,
        dw.kernel_size,
        stride=dw.stride,
        padding=left if left == right else 0,
        dilation=dw.dilation,
        bias=dw.bias is not None or pw.bias is not None,
        device=dw.weight.device,
        dtype=dw.weight.dtype,
    )
    with torch.no_grad():
        conv.weight.copy_(composed_kernel(module))
        if conv.bias is not None:
            bias = torch.zeros(pw.out_channels, dtype=pw.weight.dtype, device=pw.weight.device)
            if dw.bias is not None:
                bias += pw.weight[:, :, 0, 0] @ dw.bias
            if pw.bias is not None:
                bias += pw.bias
            conv.bias.copy_(bias)
    if left == right:
        return conv
    return nn.Sequential(nn.ZeroPad2d((left, right, left, right)), conv)


def integer_module(
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    dilation: int = 1,
    depth_multiplier: int = 1,
    generator: torch.Generator | None = None,
    low: int = -2,
    high: int = 2,
) -> DSDilatedConv2d:
    """A ``DSDilatedConv2d`` ("same" padding, no bias) with small integer weights in ``[low, high]``:
    every sum it computes is exact in float32, so both ways of computing an output agree to the bit."""
    if low > high:
        raise ValueError(f"low must not exceed high, got low={low}, high={high}")
    gen = generator if generator is not None else torch.Generator().manual_seed(0)
    module = DSDilatedConv2d(
        in_channels, out_channels, kernel_size, dilation, depth_multiplier=depth_multiplier
    )
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randint(low, high + 1, p.shape, generator=gen).to(p.dtype))
    return module.eval()


@dataclass(frozen=True)
class StepThrough:
    """One output ``y[out_channel, row, col]`` computed stage by stage and with the composed kernel.

    Arrays (float64): ``patch`` ``(C_in, k, k)`` the input values under the taps (0 on padding),
    ``rows``/``cols`` ``(k,)`` their input indices (outside ``[0, n)`` = padding),
    ``depthwise_kernels`` ``(C_in*m, k, k)``, ``intermediate`` ``(C_in*m,)`` the depthwise outputs at this
    position, ``pointwise_weights`` ``(C_in*m,)`` the 1x1 weights of ``out_channel``,
    ``composed`` ``(C_in, k, k)`` the standard kernel of ``out_channel``,
    ``separable_terms`` / ``standard_terms`` ``(C_in,)`` each input channel's contribution both ways.
    """

    out_channel: int
    row: int
    col: int
    rows: np.ndarray
    cols: np.ndarray
    patch: np.ndarray
    depthwise_kernels: np.ndarray
    intermediate: np.ndarray
    intermediate_module: np.ndarray
    pointwise_weights: np.ndarray
    composed: np.ndarray
    separable_terms: np.ndarray
    standard_terms: np.ndarray
    separable_value: float
    standard_value: float
    module_value: float
    standard_module_value: float


def step_through(
    module: DSDilatedConv2d, x: torch.Tensor, out_channel: int, row: int, col: int
) -> StepThrough:
    """Compute output ``(out_channel, row, col)`` of ``module`` on ``x`` ``(1, C_in, H, W)`` by hand, both
    ways, next to the values the real modules return (``module`` and its ``equivalent_standard_conv``).

    Bias is not supported here (use a module with ``bias=False``).
    """
    if module.depthwise.bias is not None or module.pointwise.bias is not None:
        raise ValueError("module must have no bias for a step-through (bias=False)")
    if x.dim() != 4 or x.shape[0] != 1 or x.shape[1] != module.depthwise.in_channels:
        raise ValueError(f"x must have shape (1, {module.depthwise.in_channels}, H, W), got {tuple(x.shape)}")
    c_out = module.pointwise.out_channels
    o = check_int("out_channel", out_channel, 0)
    if o >= c_out:
        raise ValueError(f"out_channel must be below C_out = {c_out}, got {o}")
    k = module.depthwise.kernel_size[0]
    d = module.depthwise.dilation[0]
    s = module.depthwise.stride[0]
    height, width = int(x.shape[2]), int(x.shape[3])
    taps_r = sampling_taps(height, k, s, module.pad, d)
    taps_c = sampling_taps(width, k, s, module.pad, d)
    r = check_int("row", row, 0)
    c = check_int("col", col, 0)
    if r >= taps_r.shape[0] or c >= taps_c.shape[0]:
        raise ValueError(
            f"row and col must be below the output size {taps_r.shape[0]} x {taps_c.shape[0]}, got ({r}, {c})"
        )
    rows, cols = taps_r[r], taps_c[c]
    xd = x[0].detach().double().cpu().numpy()
    inside_r = (rows >= 0) & (rows < height)
    inside_c = (cols >= 0) & (cols < width)
    patch = np.zeros((xd.shape[0], k, k))
    patch[np.ix_(np.arange(xd.shape[0]), inside_r, inside_c)] = xd[
        np.ix_(np.arange(xd.shape[0]), rows[inside_r], cols[inside_c])
    ]
    c_in = module.depthwise.in_channels
    dw = module.depthwise.weight.detach().double().cpu().numpy()[:, 0]  # (C_in*m, k, k)
    m = dw.shape[0] // c_in
    pw = module.pointwise.weight.detach().double().cpu().numpy()[o, :, 0, 0]  # (C_in*m,)
    source = np.repeat(np.arange(c_in), m)  # intermediate channel q reads input channel q // m
    intermediate = np.einsum("qhw,qhw->q", dw, patch[source])
    separable_terms = (pw * intermediate).reshape(c_in, m).sum(axis=1)
    composed = composed_kernel(module).detach().double().cpu().numpy()[o]
    standard_terms = np.einsum("chw,chw->c", composed, patch)
    with torch.no_grad():
        left, right = module.pad
        xp = F.pad(x, (left, right, left, right)) if left != right else x
        mid = module.depthwise(xp)[0, :, r, c].double().cpu().numpy()
        y = float(module(x)[0, o, r, c])
        y_std = float(equivalent_standard_conv(module)(x)[0, o, r, c])
    return StepThrough(
        out_channel=o,
        row=r,
        col=c,
        rows=rows,
        cols=cols,
        patch=patch,
        depthwise_kernels=dw,
        intermediate=intermediate,
        intermediate_module=mid,
        pointwise_weights=pw,
        composed=composed,
        separable_terms=separable_terms,
        standard_terms=standard_terms,
        separable_value=float(separable_terms.sum()),
        standard_value=float(standard_terms.sum()),
        module_value=y,
        standard_module_value=y_std,
    )
