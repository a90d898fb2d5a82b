"""One filter bank as a layer on an image: the torch convolutions of each layer kind, with "same" padding, and their cost."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import torch

from .. import engine
from ..cost import Cost, conv_cost
from ..geometry import check_int, check_padding_mode, sampling_taps
from .kernels import FilterBank

LayerKind = Literal["standard", "dilated", "depthwise", "separable"]
LAYER_KINDS: tuple[str, ...] = ("standard", "dilated", "depthwise", "separable")
MAX_DILATION = 64
# ITU-R BT.601 luma, as Pillow's convert("L") uses
LUMA = (0.299, 0.587, 0.114)


def image_tensor(rgb: np.ndarray, grey: bool = False, device: torch.device | str = "cpu") -> torch.Tensor:
    """``(H, W, 3)`` uint8 RGB to a ``(1, C, H, W)`` float32 tensor in ``[0, 1]`` on ``device``.

    ``grey`` gives one channel, the BT.601 luma ``0.299 R + 0.587 G + 0.114 B``.
    """
    arr = np.asarray(rgb)
    if arr.dtype != np.uint8 or arr.ndim != 3 or arr.shape[2] != 3:
        raise ValueError(f"rgb must be an (H, W, 3) uint8 array, got {arr.dtype} {arr.shape}")
    if not (arr.flags.c_contiguous and arr.flags.writeable):
        arr = np.array(arr, copy=True, order="C")
    t = torch.from_numpy(arr).to(device)
    x = t.permute(2, 0, 1).unsqueeze(0).to(torch.float32).div_(255.0)
    if grey:
        weights = torch.tensor(LUMA, dtype=torch.float32, device=x.device).view(1, 3, 1, 1)
        x = (x * weights).sum(dim=1, keepdim=True)
    return x.contiguous()


def layer_weights(bank: FilterBank, kind: LayerKind) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Torch weights of a ``kind`` layer built from ``bank``: ``(first, pointwise or None)``.

    standard/dilated: ``(F, C, k, k)`` = kernels / C. depthwise: ``(C*F, 1, k, k)``, row ``c*F + f`` is
    filter ``f`` on channel ``c``. separable: that depthwise weight and a pointwise ``(F, C*F, 1, 1)``
    holding ``1/C`` where it averages filter ``f`` over the channels.
    """
    if kind not in LAYER_KINDS:
        raise ValueError(f"kind must be one of {', '.join(LAYER_KINDS)}, got {kind!r}")
    f, c, k, _ = bank.kernels.shape
    if kind in ("standard", "dilated"):
        return bank.kernels / c, None
    depthwise = bank.kernels.transpose(0, 1).reshape(c * f, 1, k, k).contiguous()
    if kind == "depthwise":
        return depthwise, None
    pointwise = torch.zeros(f, c * f, 1, 1)
    for ch in range(c):
        pointwise[torch.arange(f), ch * f + torch.arange(f), 0, 0] = 1.0 / c
    return depthwise, pointwise


def check_padding(height: int, width: int, kernel_size: int, dilation: int, padding_mode: str) -> None:
    """Raise ``ValueError`` where "same" padding in ``padding_mode`` is impossible for this image."""
    pad = dilation * (kernel_size - 1) // 2
    check_padding_mode(padding_mode, min(height, width), (pad, pad))  # type: ignore[arg-type]


def usable_dilations(
    height: int, width: int, kernel_size: int, dilations: Sequence[int], padding_mode: str
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Split ``dilations`` into those "same" padding in ``padding_mode`` allows and those it does not.

    Zero and replicate padding allow any size; reflect needs the padding ``d*(k-1)/2`` smaller than the
    image's shorter side, circular at most equal to it.
    """
    ok: list[int] = []
    bad: list[int] = []
    for d in dilations:
        try:
            check_padding(height, width, kernel_size, d, padding_mode)
        except ValueError:
            bad.append(d)
        else:
            ok.append(d)
    return tuple(ok), tuple(bad)


def taps_inside(height: int, width: int, kernel_size: int, dilation: int) -> int:
    """How many of the ``k^2`` taps of the centre output pixel land inside the image ("same" padding)."""
    inside = 1
    for n in (height, width):
        taps = sampling_taps(n, kernel_size, 1, "same", dilation)[(n - 1) // 2]
        inside *= int(((taps >= 0) & (taps < n)).sum())
    return inside


def _same_conv(
    x: torch.Tensor, weight: torch.Tensor, dilation: int, padding_mode: str, groups: int
) -> torch.Tensor:
    # "same" padding for an odd kernel is symmetric: d*(k-1)/2 on every side; the convolution runs by
    # the fastest exact algorithm for its shape and padding mode (dsdcn.engine times them on first use)
    pad = dilation * (weight.shape[-1] - 1) // 2
    return engine.conv2d(x, weight, padding=pad, dilation=dilation, groups=groups, padding_mode=padding_mode)


def _check_run_args(x: torch.Tensor, bank: FilterBank, dilation: int, padding_mode: str) -> None:
    if x.ndim != 4 or x.shape[0] != 1:
        raise ValueError(f"x must be a (1, C, H, W) tensor, got shape {tuple(x.shape)}")
    if x.shape[1] != bank.channels:
        raise ValueError(f"x has {x.shape[1]} channels but the bank was made for {bank.channels}")
    d = check_int("dilation", dilation, 1)
    if d > MAX_DILATION:
        raise ValueError(f"dilation must be at most {MAX_DILATION}, got {d}")
    check_padding(int(x.shape[2]), int(x.shape[3]), bank.kernel_size, d, padding_mode)


def _raw_maps(
    x: torch.Tensor, bank: FilterBank, kind: LayerKind, dilation: int, padding_mode: str
) -> torch.Tensor:
    # the conv output as torch gives it, (1, n_out, H, W); depthwise channel c*F + f is filter f on c
    _check_run_args(x, bank, dilation, padding_mode)
    if kind == "standard" and dilation != 1:
        raise ValueError(f"a standard layer has dilation 1, got {dilation}; use kind 'dilated'")
    first, pointwise = layer_weights(bank, kind)
    first = first.to(x.device)
    if kind in ("standard", "dilated"):
        return _same_conv(x, first, dilation, padding_mode, 1)
    y = _same_conv(x, first, dilation, padding_mode, bank.channels)
    if kind == "depthwise":
        return y
    assert pointwise is not None
    return engine.conv2d(y, pointwise.to(x.device))  # 1x1: a few taps, so the lean direct loop applies


def _padded_rows(x: torch.Tensor, start: int, stop: int, padding_mode: str) -> torch.Tensor:
    # rows start..stop of x (1, C, H, W) padded along H as F.pad pads them: a view where every row is
    # inside, else a copy of just these rows (zeros, or the rows reflect / replicate / circular read)
    h = int(x.shape[2])
    if 0 <= start and stop <= h:
        return x[:, :, start:stop]
    if padding_mode == "zeros":
        out = x.new_zeros((x.shape[0], x.shape[1], stop - start, x.shape[3]))
        lo, hi = max(start, 0), min(stop, h)
        if lo < hi:
            out[:, :, lo - start : hi - start] = x[:, :, lo:hi]
        return out
    idx = torch.arange(start, stop)
    if padding_mode == "reflect":  # the edge row is not repeated (pad < H, checked with the run)
        idx = idx.abs()
        idx = torch.where(idx >= h, 2 * (h - 1) - idx, idx)
    elif padding_mode == "replicate":
        idx = idx.clamp(0, h - 1)
    else:  # circular
        idx = idx.remainder(h)
    return x.index_select(2, idx.to(x.device))


def _band_maps(
    x: torch.Tensor,
    weights: tuple[torch.Tensor, torch.Tensor | None],
    kind: LayerKind,
    dilation: int,
    padding_mode: str,
    start: int,
    stop: int,
) -> torch.Tensor:
    # output rows start..stop of _raw_maps (weights from layer_weights, on x's device), (1, n_out,
    # stop - start, W): only the input rows they read are padded along H, and the engine pads along W
    first, pointwise = weights
    pad = dilation * (first.shape[-1] - 1) // 2
    rows = _padded_rows(x, start - pad, stop + pad, padding_mode)
    groups = 1 if kind in ("standard", "dilated") else int(x.shape[1])
    y = engine.conv2d(
        rows, first, padding=(0, pad), dilation=dilation, groups=groups, padding_mode=padding_mode
    )
    if pointwise is None:
        return y
    return engine.conv2d(y, pointwise)


def _map_order(raw: np.ndarray, kind: str, n_filters: int, channels: int) -> np.ndarray:
    # raw per-output-channel values (n_out, ...) -> per map (F, M, ...)
    if kind == "depthwise":
        return np.swapaxes(raw.reshape(channels, n_filters, *raw.shape[1:]), 0, 1)
    return raw.reshape(n_filters, 1, *raw.shape[1:])


def feature_maps(
    x: torch.Tensor, bank: FilterBank, kind: LayerKind, dilation: int = 1, padding_mode: str = "zeros"
) -> torch.Tensor:
    """Maps of every filter at one dilation, ``(F, M, H, W)`` ("same" padding keeps ``H, W``).

    ``x`` is ``(1, C, H, W)``. Every convolution runs by the fastest exact algorithm for its shape
    (:func:`dsdcn.engine.conv2d`; results agree with ``F.conv2d`` to rounding; the algorithms that want
    ``channels_last`` convert inside their timed call). The depthwise result is a view ``(F, C, H, W)``
    when it can be.
    """
    y = _raw_maps(x, bank, kind, dilation, padding_mode)
    h, w = int(x.shape[2]), int(x.shape[3])
    if kind == "depthwise":
        return y.reshape(bank.channels, bank.size, h, w).transpose(0, 1)
    return y.reshape(bank.size, 1, h, w)


def layer_cost(
    kind: LayerKind,
    channels: int,
    n_filters: int,
    kernel_size: int,
    height: int,
    width: int,
    dilation: int = 1,
) -> Cost:
    """Weights and MACs of the lab's ``kind`` layer (see :func:`layer_weights`) on an ``H x W`` image.

    standard/dilated: ``C -> F`` dense; depthwise: ``groups = C``, depth multiplier ``F``; separable:
    that depthwise conv and a pointwise ``C*F -> F``.
    """
    if kind not in LAYER_KINDS:
        raise ValueError(f"kind must be one of {', '.join(LAYER_KINDS)}, got {kind!r}")
    c, f = channels, n_filters
    if kind in ("standard", "dilated"):
        return conv_cost("standard", c, f, kernel_size, height, width, dilation=dilation)
    if kind == "depthwise":
        return conv_cost("depthwise", c, c, kernel_size, height, width, dilation=dilation, depth_multiplier=f)
    return conv_cost("separable", c, f, kernel_size, height, width, dilation=dilation, depth_multiplier=f)
