"""Filter banks run as real torch convolutions on an image: the engine of the Image lab.

Shapes, written out once:

- an image tensor is ``(1, C, H, W)`` float32 in ``[0, 1]`` (``C = 3`` for RGB, ``1`` for grey);
- a :class:`FilterBank` holds ``F`` kernels for every input channel, ``(F, C, k, k)``;
- the maps of one dilation are ``(F, M, H, W)``: ``M = C`` for a depthwise layer (each channel keeps its
  own map), ``M = 1`` for the layers that mix channels (standard, dilated, separable).

Every layer kind is one or two plain ``F.conv2d`` calls with "same" padding (the output keeps the
input's size at every dilation; ``k`` is odd). The same bank drives every kind:

- ``standard`` / ``dilated``: a dense conv (``groups = 1``) with weight ``kernels / C`` (each filter on
  every channel, channels averaged); ``standard`` is the ``d = 1`` case;
- ``depthwise``: ``groups = C``, depth multiplier ``F``: output channel ``c*F + f`` is filter ``f`` on
  channel ``c``;
- ``separable``: that depthwise conv, then a pointwise ``1 x 1`` conv ``C*F -> F`` averaging the channels
  of each filter. It gives the dense layer's maps (the dense kernel factors exactly), by another route.

Example: an impulse through a dilated 3x3 box filter lights the taps ``d`` pixels apart.

>>> bank = make_bank(("box",), kernel_size=3, channels=1)
>>> x = torch.zeros(1, 1, 7, 7); x[0, 0, 3, 3] = 1.0
>>> maps = feature_maps(x, bank, "dilated", dilation=2, padding_mode="zeros")
>>> (maps[0, 0, 3] != 0).int().tolist()
[0, 1, 0, 1, 0, 1, 0]
"""

from __future__ import annotations

import csv
import ctypes
import io
import math
import sys
import time
import zipfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np
import torch
import torch.nn.functional as F

from . import engine
from .cost import Cost, conv_cost
from .geometry import check_int, check_padding_mode, effective_kernel_size, sampling_taps

FilterKind = Literal["identity", "box", "gaussian", "sobel_x", "sobel_y", "laplacian", "gabor", "random"]
FILTER_KINDS: tuple[str, ...] = (
    "sobel_x",
    "sobel_y",
    "laplacian",
    "gaussian",
    "gabor",
    "box",
    "identity",
    "random",
)
LayerKind = Literal["standard", "dilated", "depthwise", "separable"]
LAYER_KINDS: tuple[str, ...] = ("standard", "dilated", "depthwise", "separable")
NORMALISATIONS: tuple[str, ...] = ("per_map", "per_filter", "shared")
COLORMAPS: tuple[str, ...] = ("grey", "diverging", "viridis")

MAX_FILTERS = 24
MAX_DILATIONS = 8
MAX_DILATION = 64
MAX_KERNEL_SIZE = 15
MAX_STACK_LAYERS = 8
# ITU-R BT.601 luma, as Pillow's convert("L") uses
LUMA = (0.299, 0.587, 0.114)
# outputs are computed in chunks of filters so one chunk's maps stay below this many bytes
CHUNK_BYTES = 256 * 2**20
# statistics are reduced in blocks of this many bytes of maps, small enough to stay in cache through
# the fused reductions, or of the large size where that measures faster (an accelerator; a CPU whose
# cores other processes hold, where every parallel op waits for a time slice)
STAT_BLOCK_BYTES = 4 * 2**20
STAT_BLOCK_BYTES_LARGE = 64 * 2**20
STAT_RETRY_SECONDS = 1.0
# display ranges may clip this percentage at each end, estimated on at most this many pixels a channel
CLIP_PERCENT = 0.5
PERCENTILE_PIXELS = 2**17

# colour maps as anchor colours, evenly spaced from low to high
COLORMAP_ANCHORS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "grey": ((0, 0, 0), (255, 255, 255)),
    # ColorBrewer RdBu, reversed: blue below zero, near-white at zero, red above
    "diverging": (
        (33, 102, 172),
        (67, 147, 195),
        (146, 197, 222),
        (209, 229, 240),
        (247, 247, 247),
        (253, 219, 199),
        (244, 165, 130),
        (214, 96, 77),
        (178, 24, 43),
    ),
    "viridis": (
        (68, 1, 84),
        (72, 40, 120),
        (62, 73, 137),
        (49, 104, 142),
        (38, 130, 142),
        (31, 158, 137),
        (53, 183, 121),
        (110, 206, 88),
        (181, 222, 43),
        (253, 231, 37),
    ),
}


# ---------------------------------------------------------------------------------------------------
# filters


@dataclass(frozen=True)
class FilterBank:
    """``F`` named filters, one ``k x k`` kernel per input channel: ``kernels`` is ``(F, C, k, k)``."""

    labels: tuple[str, ...]
    kernels: torch.Tensor

    @property
    def size(self) -> int:
        """Number of filters ``F``."""
        return len(self.labels)

    @property
    def channels(self) -> int:
        """Input channels ``C``."""
        return int(self.kernels.shape[1])

    @property
    def kernel_size(self) -> int:
        """``k``."""
        return int(self.kernels.shape[-1])

    def select(self, start: int, stop: int) -> FilterBank:
        """Filters ``start:stop`` as a bank of their own."""
        return FilterBank(self.labels[start:stop], self.kernels[start:stop])


def _check_kernel_size(kernel_size: int) -> int:
    k = check_int("kernel_size", kernel_size, 3)
    if k % 2 == 0 or k > MAX_KERNEL_SIZE:
        raise ValueError(f"kernel_size must be odd and between 3 and {MAX_KERNEL_SIZE}, got {k}")
    return k


def _binomial(n: int) -> np.ndarray:
    # row n-1 of Pascal's triangle: the discrete Gaussian smoothing of length n
    row = np.array([1.0])
    for _ in range(n - 1):
        row = np.convolve(row, [1.0, 1.0])
    return row


def sobel_kernel(kernel_size: int = 3, axis: Literal["x", "y"] = "x") -> np.ndarray:
    """Sobel derivative along ``axis``, scaled so a ramp of slope 1 gives 1 (3x3: the classic kernel / 8).

    Larger sizes follow OpenCV: binomial smoothing across, binomial-smoothed central difference along.
    """
    k = _check_kernel_size(kernel_size)
    if axis not in ("x", "y"):
        raise ValueError(f"axis must be 'x' or 'y', got {axis!r}")
    smooth = _binomial(k)
    deriv = np.convolve(_binomial(k - 2), [-1.0, 0.0, 1.0])
    kernel = np.outer(smooth, deriv)
    offsets = np.arange(k) - k // 2
    kernel /= float((kernel * offsets[None, :]).sum())
    return kernel if axis == "x" else kernel.T.copy()


def laplacian_kernel(kernel_size: int = 3) -> np.ndarray:
    """Laplacian: 3x3 is the 4-neighbour kernel; larger sizes are smoothed second differences.

    Scaled so the paraboloid ``(x^2 + y^2) / 2`` gives 2 (the Laplacian of it), as the 3x3 kernel does.
    """
    k = _check_kernel_size(kernel_size)
    if k == 3:
        return np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    smooth = _binomial(k)
    second = np.convolve(_binomial(k - 2), [1.0, -2.0, 1.0])
    kernel = np.outer(smooth, second) + np.outer(second, smooth)
    offsets = np.arange(k) - k // 2
    yy, xx = np.meshgrid(offsets, offsets, indexing="ij")
    kernel *= 2.0 / float((kernel * (xx**2 + yy**2) / 2.0).sum())
    return kernel


def gaussian_sigma(kernel_size: int) -> float:
    """Default Gaussian width for a ``k x k`` kernel (OpenCV's rule): ``0.3*((k-1)/2 - 1) + 0.8``."""
    k = _check_kernel_size(kernel_size)
    return 0.3 * ((k - 1) / 2 - 1) + 0.8


def gaussian_kernel(kernel_size: int = 3, sigma: float | None = None) -> np.ndarray:
    """Normalised Gaussian (weights sum to 1); ``sigma`` defaults to :func:`gaussian_sigma`."""
    k = _check_kernel_size(kernel_size)
    s = gaussian_sigma(k) if sigma is None else float(sigma)
    if not s > 0:
        raise ValueError(f"sigma must be positive, got {sigma!r}")
    offsets = np.arange(k) - k // 2
    g = np.exp(-(offsets**2) / (2 * s * s))
    kernel = np.outer(g, g)
    return kernel / kernel.sum()


def gabor_kernel(
    kernel_size: int = 3,
    theta: float = 0.0,
    sigma: float | None = None,
    wavelength: float | None = None,
    gamma: float = 0.5,
) -> np.ndarray:
    """Even (cosine) Gabor at angle ``theta`` (radians), zero mean, ``sum |w| = 1``.

    Defaults: ``sigma = 0.35*k``, ``wavelength = max(2, 0.8*k)`` pixels. ``theta = 0`` responds to
    vertical stripes (the carrier runs along x).
    """
    k = _check_kernel_size(kernel_size)
    s = 0.35 * k if sigma is None else float(sigma)
    lam = max(2.0, 0.8 * k) if wavelength is None else float(wavelength)
    if not (s > 0 and lam > 0 and gamma > 0):
        raise ValueError("sigma, wavelength and gamma must be positive")
    offsets = np.arange(k) - k // 2
    yy, xx = np.meshgrid(offsets, offsets, indexing="ij")
    xr = xx * math.cos(theta) + yy * math.sin(theta)
    yr = -xx * math.sin(theta) + yy * math.cos(theta)
    kernel = np.exp(-(xr**2 + (gamma * yr) ** 2) / (2 * s * s)) * np.cos(2 * math.pi * xr / lam)
    kernel -= kernel.mean()
    return kernel / np.abs(kernel).sum()


def box_kernel(kernel_size: int = 3) -> np.ndarray:
    """Mean filter: every weight ``1/k^2``."""
    k = _check_kernel_size(kernel_size)
    return np.full((k, k), 1.0 / (k * k))


def identity_kernel(kernel_size: int = 3) -> np.ndarray:
    """A single 1 at the centre: the map is the input (shifted by nothing)."""
    k = _check_kernel_size(kernel_size)
    kernel = np.zeros((k, k))
    kernel[k // 2, k // 2] = 1.0
    return kernel


def make_bank(
    filters: Sequence[str],
    kernel_size: int = 3,
    channels: int = 3,
    gabor_orientations: int = 4,
    random_count: int = 2,
    seed: int = 0,
) -> FilterBank:
    """A bank from filter names (:data:`FILTER_KINDS`), in the order given.

    ``"gabor"`` expands to ``gabor_orientations`` filters at angles ``i*180/n`` degrees; ``"random"`` to
    ``random_count`` filters drawn from ``torch.Generator().manual_seed(seed)``, uniform in
    ``(-1/k, 1/k)`` independently for every channel (PyTorch's default init of a depthwise layer, whose
    fan-in is ``k^2``). Fixed filters use the same kernel on every channel.
    """
    k = _check_kernel_size(kernel_size)
    c = check_int("channels", channels, 1)
    n_gabor = check_int("gabor_orientations", gabor_orientations, 1)
    n_random = check_int("random_count", random_count, 1)
    check_int("seed", seed, 0)
    names = list(filters)
    if not names:
        raise ValueError("filters must name at least one filter")
    unknown = [n for n in names if n not in FILTER_KINDS]
    if unknown:
        raise ValueError(f"filters must be among {', '.join(FILTER_KINDS)}, got {unknown!r}")
    generator = torch.Generator().manual_seed(int(seed))
    labels: list[str] = []
    kernels: list[torch.Tensor] = []

    def fixed(label: str, kernel: np.ndarray) -> None:
        labels.append(label)
        kernels.append(torch.from_numpy(kernel.astype(np.float32)).expand(c, k, k).clone())

    for name in names:
        if name == "sobel_x":
            fixed("Sobel x", sobel_kernel(k, "x"))
        elif name == "sobel_y":
            fixed("Sobel y", sobel_kernel(k, "y"))
        elif name == "laplacian":
            fixed("Laplacian", laplacian_kernel(k))
        elif name == "gaussian":
            fixed("Gaussian", gaussian_kernel(k))
        elif name == "box":
            fixed("Box", box_kernel(k))
        elif name == "identity":
            fixed("Identity", identity_kernel(k))
        elif name == "gabor":
            for i in range(n_gabor):
                degrees = 180.0 * i / n_gabor
                fixed(f"Gabor {degrees:g}°", gabor_kernel(k, math.radians(degrees)))
        else:  # random
            for i in range(n_random):
                labels.append(f"Random {i + 1}")
                u = torch.rand((c, k, k), generator=generator, dtype=torch.float32)
                kernels.append((2.0 * u - 1.0) / k)
    if len(labels) > MAX_FILTERS:
        raise ValueError(f"the bank has {len(labels)} filters; the limit is {MAX_FILTERS}")
    return FilterBank(tuple(labels), torch.stack(kernels))


def dilate_kernel(kernel: np.ndarray | torch.Tensor, dilation: int) -> np.ndarray:
    """The ``k x k`` kernel spread to its ``d*(k-1)+1`` footprint, zeros between the taps."""
    d = check_int("dilation", dilation, 1)
    w = np.asarray(kernel, dtype=np.float64)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise ValueError(f"kernel must be square 2D, got shape {w.shape}")
    k = w.shape[0]
    out = np.zeros((effective_kernel_size(k, d),) * 2)
    out[::d, ::d] = w
    return out


# ---------------------------------------------------------------------------------------------------
# convolutions


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
    # the fastest exact algorithm for its shape (dsdcn.engine times them on first use)
    pad = dilation * (weight.shape[-1] - 1) // 2
    if padding_mode == "zeros":
        return engine.conv2d(x, weight, padding=pad, dilation=dilation, groups=groups)
    if pad:
        x = F.pad(x, (pad, pad, pad, pad), mode=padding_mode)
    return engine.conv2d(x, weight, dilation=dilation, groups=groups)


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
    xc = x.contiguous(memory_format=torch.channels_last)
    y = _same_conv(xc, first, dilation, padding_mode, bank.channels)
    if kind == "depthwise":
        return y
    assert pointwise is not None
    return F.conv2d(y, pointwise.to(x.device))


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
    (:func:`dsdcn.engine.conv2d`; results agree with ``F.conv2d`` to rounding); depthwise inputs are
    handed over in ``channels_last``. The depthwise result is a view ``(F, C, H, W)`` when it can be.
    """
    y = _raw_maps(x, bank, kind, dilation, padding_mode)
    h, w = int(x.shape[2]), int(x.shape[3])
    if kind == "depthwise":
        return y.reshape(bank.channels, bank.size, h, w).transpose(0, 1)
    return y.reshape(bank.size, 1, h, w)


# ---------------------------------------------------------------------------------------------------
# a whole run: every filter at every dilation, reduced to statistics, previews and a detail crop


@dataclass(frozen=True)
class MapStats:
    """Per-map statistics at full resolution, arrays of shape ``(D, F)``.

    ``diff_mean_abs`` / ``diff_max_abs``: mean and largest ``|map_d - map_ref|`` against the first
    dilation of the run (zeros on its own row). ``low`` / ``high``: the :data:`CLIP_PERCENT` and
    ``100 - CLIP_PERCENT`` percentiles, on a regular grid of at most :data:`PERCENTILE_PIXELS` pixels
    per channel (every pixel when the image is that small): a display range that ignores rare extremes.
    """

    minimum: np.ndarray
    maximum: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    mean_abs: np.ndarray
    diff_mean_abs: np.ndarray
    diff_max_abs: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def rows(self, labels: Sequence[str], dilations: Sequence[int]) -> list[dict[str, float | int | str]]:
        """One dict per (dilation, filter): a table a person can read or write to CSV."""
        out: list[dict[str, float | int | str]] = []
        for i, d in enumerate(dilations):
            for j, label in enumerate(labels):
                out.append(
                    {
                        "filter": label,
                        "dilation": int(d),
                        "min": float(self.minimum[i, j]),
                        "max": float(self.maximum[i, j]),
                        "mean": float(self.mean[i, j]),
                        "std": float(self.std[i, j]),
                        "mean_abs": float(self.mean_abs[i, j]),
                        f"p{CLIP_PERCENT:g}": float(self.low[i, j]),
                        f"p{100 - CLIP_PERCENT:g}": float(self.high[i, j]),
                        "diff_mean_abs": float(self.diff_mean_abs[i, j]),
                        "diff_max_abs": float(self.diff_max_abs[i, j]),
                    }
                )
        return out


@dataclass(frozen=True)
class MapRun:
    """A bank at several dilations on one image, kept small enough to cache.

    ``preview``: ``(D, F, M, h, w)`` float16, area-downscaled so the longer side is at most
    ``preview_side`` (area averaging is linear: the preview of a difference is the difference of
    previews). ``crop``: ``(D, F, M, ch, cw)`` float16, a full-resolution centre crop at
    ``crop_box = (top, left, height, width)``. ``conv_seconds``: convolution time per dilation
    (synchronised on a GPU); ``total_seconds``: the whole run with statistics and previews.
    """

    labels: tuple[str, ...]
    dilations: tuple[int, ...]
    kind: str
    height: int
    width: int
    map_channels: int
    preview: np.ndarray
    crop: np.ndarray
    crop_box: tuple[int, int, int, int]
    stats: MapStats
    conv_seconds: tuple[float, ...]
    total_seconds: float
    device: str
    run_id: str = field(default="")


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def preview_size(height: int, width: int, preview_side: int) -> tuple[int, int]:
    """Display size with the longer side at most ``preview_side`` (never upscaled, at least 1)."""
    check_int("preview_side", preview_side, 1)
    scale = min(1.0, preview_side / max(height, width))
    return max(1, round(height * scale)), max(1, round(width * scale))


def centre_crop_box(height: int, width: int, crop_side: int) -> tuple[int, int, int, int]:
    """``(top, left, h, w)`` of a centred crop of at most ``crop_side`` pixels a side."""
    check_int("crop_side", crop_side, 1)
    ch, cw = min(height, crop_side), min(width, crop_side)
    return (height - ch) // 2, (width - cw) // 2, ch, cw


def _chunk_filters(bank: FilterBank, kind: str, height: int, width: int) -> int:
    per_filter = (bank.channels if kind in ("depthwise", "separable") else 1) * height * width * 4
    return max(1, min(bank.size, CHUNK_BYTES // max(per_filter, 1)))


def run_bank(
    x: torch.Tensor,
    bank: FilterBank,
    kind: LayerKind,
    dilations: Sequence[int],
    padding_mode: str = "zeros",
    preview_side: int = 384,
    crop_side: int = 192,
    run_id: str = "",
) -> MapRun:
    """Run ``bank`` as a ``kind`` layer at each of ``dilations`` on ``x`` (``(1, C, H, W)``, its device).

    Full-resolution maps are reduced on the device to statistics (one fused pass in cache-sized blocks,
    the differences to the first dilation included), previews and a crop. Alive at a time: one chunk of
    filters' maps (about :data:`CHUNK_BYTES`), the same chunk at the first dilation and one block of
    scratch (at most :data:`STAT_BLOCK_BYTES_LARGE`).
    """
    ds = tuple(check_int("dilation", d, 1) for d in dilations)
    if not ds:
        raise ValueError("dilations must hold at least one dilation")
    if len(ds) > MAX_DILATIONS:
        raise ValueError(f"at most {MAX_DILATIONS} dilations at once, got {len(ds)}")
    for d in ds:
        _check_run_args(x, bank, d, padding_mode)
    device = x.device
    h, w = int(x.shape[2]), int(x.shape[3])
    m = bank.channels if kind == "depthwise" else 1
    ph, pw = preview_size(h, w, preview_side)
    top, left, ch, cw = centre_crop_box(h, w, crop_side)
    n_d, n_f = len(ds), bank.size
    preview = np.zeros((n_d, n_f, m, ph, pw), dtype=np.float16)
    crop = np.zeros((n_d, n_f, m, ch, cw), dtype=np.float16)
    stat = {
        name: np.zeros((n_d, n_f))
        for name in ("min", "max", "mean", "std", "abs", "dmean", "dmax", "low", "high")
    }
    conv_seconds = [0.0] * n_d
    chunk = _chunk_filters(bank, kind, h, w)
    blocks = _Blocks(device)
    start = time.perf_counter()
    with torch.inference_mode():
        for f0 in range(0, n_f, chunk):
            sub = bank.select(f0, min(f0 + chunk, n_f))
            rows = slice(f0, f0 + sub.size)
            reference: torch.Tensor | None = None
            for i, d in enumerate(ds):
                _sync(device)
                t0 = time.perf_counter()
                raw = _raw_maps(x, sub, kind, d, padding_mode)
                _sync(device)
                conv_seconds[i] += time.perf_counter() - t0
                raw = _dense(raw)
                moments = _moments(raw, reference, blocks)
                for name, values in _map_stats(moments, kind, sub.size, m, h * w).items():
                    stat[name][i, rows] = values
                stat["low"][i, rows], stat["high"][i, rows] = _percentiles(raw, kind, sub.size, m)
                preview[i, rows] = _map_order(_to_half(_area_pool(raw, ph, pw)[0]), kind, sub.size, m)
                detail = raw[0, :, top : top + ch, left : left + cw]
                crop[i, rows] = _map_order(_to_half(detail), kind, sub.size, m)
                if reference is None:
                    reference = raw
                del raw
            del reference
    _sync(device)
    stats = MapStats(
        stat["min"],
        stat["max"],
        stat["mean"],
        stat["std"],
        stat["abs"],
        stat["dmean"],
        stat["dmax"],
        stat["low"],
        stat["high"],
    )
    return MapRun(
        labels=bank.labels,
        dilations=ds,
        kind=kind,
        height=h,
        width=w,
        map_channels=m,
        preview=preview,
        crop=crop,
        crop_box=(top, left, ch, cw),
        stats=stats,
        conv_seconds=tuple(conv_seconds),
        total_seconds=time.perf_counter() - start,
        device=str(device),
        run_id=run_id,
    )


def _to_half(t: torch.Tensor) -> np.ndarray:
    return t.clamp(-60000.0, 60000.0).to(torch.float16).cpu().numpy()


def _dense(raw: torch.Tensor) -> torch.Tensor:
    # raw in NCHW or channels_last memory, the two layouts the reductions read (conv algorithms give one)
    if raw.is_contiguous() or raw.is_contiguous(memory_format=torch.channels_last):
        return raw
    return raw.contiguous()


def _area_pool(raw: torch.Tensor, height: int, width: int) -> torch.Tensor:
    # area downscaling of (1, n, H, W) to (height, width): adaptive average pooling, which is plain
    # average pooling (faster, the same windows) when the sizes divide
    h, w = int(raw.shape[2]), int(raw.shape[3])
    if (h, w) == (height, width):
        return raw
    if h % height == 0 and w % width == 0:
        return F.avg_pool2d(raw, (h // height, w // width))
    return F.adaptive_avg_pool2d(raw, (height, width))


class _Blocks:
    # block sizes for the fused reductions of one run, chosen by measurement: the cheaper size in seconds
    # per byte (the best of each size's last few blocks, so one hiccup does not count) is used, and the
    # other is measured again once its figures are STAT_RETRY_SECONDS old. Large blocks win where other
    # processes hold the cores (every parallel op then waits for a time slice) and on an accelerator.

    def __init__(self, device: torch.device) -> None:
        self.costs: dict[int, deque[float]] = {
            size: deque(maxlen=4) for size in (STAT_BLOCK_BYTES, STAT_BLOCK_BYTES_LARGE)
        }
        self.seen: dict[int, float] = dict.fromkeys(self.costs, -math.inf)
        if device.type != "cpu":  # one launch per op: large blocks only
            self.costs[STAT_BLOCK_BYTES].append(math.inf)
            self.seen[STAT_BLOCK_BYTES] = math.inf
        self.clock: Callable[[], float] = time.perf_counter

    def size(self) -> int:
        """Bytes of maps in the next block."""
        now = self.clock()
        for size, costs in self.costs.items():
            if not costs or now - self.seen[size] > STAT_RETRY_SECONDS:
                costs.clear()
                return size
        return min(self.costs, key=lambda size: min(self.costs[size]))

    def spans(self, count: int, item_bytes: int) -> Iterator[slice]:
        # consecutive slices of range(count), items of item_bytes each, timed while the caller uses them
        start = 0
        while start < count:
            size = self.size()
            stop = min(count, start + max(1, size // item_bytes))
            t0 = self.clock()
            yield slice(start, stop)
            self.seen[size] = self.clock()
            if 2 * (stop - start) * item_bytes >= size or (start, stop) == (0, count):  # not a stub
                self.costs[size].append((self.seen[size] - t0) / ((stop - start) * item_bytes))
            start = stop


def _pixel_group(pixels: int) -> int:
    # pixels per row of the channels_last matrix: rows of 64 pixels x n channels reduce well on a CPU
    return next(g for g in (64, 32, 16, 8, 4, 2, 1) if pixels % g == 0)


def _moments(
    raw: torch.Tensor, reference: torch.Tensor | None = None, blocks: _Blocks | None = None
) -> dict[str, np.ndarray]:
    # per channel of (1, n, H, W) in one blocked pass: "min", "max", "sum", "sq" (sum of squares), "abs"
    # (sum of |v|) and, against a reference of the same shape in any layout, "dabs" (sum of |v - ref|)
    # and "dmax" (largest |v - ref|); float32 within a block, float64 across blocks
    n, h, w = int(raw.shape[1]), int(raw.shape[2]), int(raw.shape[3])
    raw = _dense(raw)
    ref = reference[0].reshape(n, h * w) if reference is not None else None  # (n, P), a view in either layout
    plan = blocks if blocks is not None else _Blocks(raw.device)
    if raw.is_contiguous():
        table = _row_moments(raw.view(n, h * w), ref, plan)
    else:
        table = _pixel_moments(raw, ref, plan)
    t = table.cpu().double()  # (blocks, k, n): float64 (on the CPU: MPS has none) for these few partials
    out = {
        "min": t[:, 0].amin(0),
        "max": t[:, 1].amax(0),
        "sum": t[:, 2].sum(0),
        "sq": t[:, 3].sum(0),
        "abs": t[:, 4].sum(0),
    }
    if ref is not None:
        out["dabs"] = t[:, 5].sum(0)
        out["dmax"] = t[:, 6].amax(0)
    return {name: v.numpy() for name, v in out.items()}


def _row_moments(rows: torch.Tensor, ref: torch.Tensor | None, blocks: _Blocks) -> torch.Tensor:
    # NCHW maps as (n, P) rows, blocks of columns: reductions along the contiguous axis; |v|, v^2 and
    # |v - ref| go through one scratch block (torch's sums are cascaded: float32 stays accurate, where
    # vector_norm and matrix-vector products drift by 1e-5 to 1e-3 over millions of pixels)
    n, p = int(rows.shape[0]), int(rows.shape[1])
    scratch = rows.new_empty(0)
    parts: list[torch.Tensor] = []
    for cols in blocks.spans(p, n * rows.element_size()):
        v = rows[:, cols]
        if scratch.numel() < v.numel():
            scratch = rows.new_empty(v.numel())
        buf = scratch[: v.numel()].view(v.shape)
        part = [v.amin(1), v.amax(1), v.sum(1)]
        sum_abs = torch.abs(v, out=buf).sum(1)
        part += [buf.mul_(buf).sum(1), sum_abs]  # |v|^2 is v^2 exactly
        if ref is not None:
            torch.sub(v, ref[:, cols], out=buf).abs_()
            part += [buf.sum(1), buf.amax(1)]
        parts.append(torch.stack(part))
    return torch.stack(parts)


def _pixel_moments(raw: torch.Tensor, ref: torch.Tensor | None, blocks: _Blocks) -> torch.Tensor:
    # channels_last maps as rows of g pixels x n channels, blocks of rows: the reductions run down the
    # columns (torch reduces the channels of a channels_last tensor up to 10x slower); |v|, v^2 and
    # |v - ref| go through one scratch block; returns (blocks * g, 5 or 7, n)
    n, p = int(raw.shape[1]), int(raw.shape[2]) * int(raw.shape[3])
    g = _pixel_group(p)
    width = g * n
    mat = raw[0].permute(1, 2, 0).reshape(p // g, width)  # a view
    scratch = raw.new_empty(0)
    parts: list[torch.Tensor] = []
    for span in blocks.spans(p // g, width * raw.element_size()):
        v = mat[span]
        r = int(v.shape[0])
        if scratch.numel() < v.numel():
            scratch = raw.new_empty(v.numel())
        buf = scratch[: v.numel()].view(r, width)
        part = [v.amin(0), v.amax(0), v.sum(0)]
        sum_abs = torch.abs(v, out=buf).sum(0)
        part += [buf.mul_(buf).sum(0), sum_abs]  # |v|^2 is v^2 exactly
        if ref is not None:
            there = ref[:, span.start * g : span.stop * g].t().view(r, g, n)
            torch.sub(v.view(r, g, n), there, out=buf.view(r, g, n)).abs_()
            part += [buf.sum(0), buf.amax(0)]
        parts.append(torch.stack(part))
    table = torch.stack(parts)  # (blocks, k, g * n): fold the g pixels of a row into the blocks axis
    return table.reshape(len(parts), -1, g, n).transpose(1, 2).reshape(len(parts) * g, -1, n)


def _map_stats(
    moments: dict[str, np.ndarray], kind: str, n_filters: int, m: int, pixels: int
) -> dict[str, np.ndarray]:
    # per output channel, then pooled over the M equal-sized channels of each map
    count = pixels * m
    mo = {name: _map_order(v, kind, n_filters, m) for name, v in moments.items()}
    mean = mo["sum"].sum(axis=1) / count
    var = mo["sq"].sum(axis=1) / count - mean**2
    out = {
        "min": mo["min"].min(axis=1),
        "max": mo["max"].max(axis=1),
        "mean": mean,
        "std": np.sqrt(np.maximum(var, 0.0)),
        "abs": mo["abs"].sum(axis=1) / count,
    }
    if "dabs" in mo:
        out["dmean"] = mo["dabs"].sum(axis=1) / count
        out["dmax"] = mo["dmax"].max(axis=1)
    return out


def percentile_step(height: int, width: int) -> int:
    """Grid step of the pixels used for percentiles: the smallest with at most PERCENTILE_PIXELS."""
    step = 1
    while math.ceil(height / step) * math.ceil(width / step) > PERCENTILE_PIXELS:
        step += 1
    return step


def _percentiles(raw: torch.Tensor, kind: str, n_filters: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    # CLIP_PERCENT and 100 - CLIP_PERCENT percentiles of each map (its M channels pooled), on a grid
    step = percentile_step(int(raw.shape[2]), int(raw.shape[3]))
    grid = raw[0, :, ::step, ::step]
    if kind == "depthwise":  # channel c*F + f is filter f on channel c: gather each filter's M channels
        grid = grid.reshape(m, n_filters, *grid.shape[1:]).transpose(0, 1)
    per_map = grid.reshape(n_filters, -1)
    return _quantile(per_map, CLIP_PERCENT / 100), _quantile(per_map, 1 - CLIP_PERCENT / 100)


def _quantile(rows: torch.Tensor, q: float) -> np.ndarray:
    # torch.quantile's linear interpolation per row, from the two order statistics around q*(n-1), taken
    # with topk from the nearer end (O(n); quantile sorts every row, kthvalue is 2-3x slower than topk)
    n = int(rows.shape[1])
    pos = q * (n - 1)
    below = math.floor(pos)
    above = min(below + 1, n - 1)
    if below <= n - 1 - above:
        ranked = rows.topk(above + 1, dim=1, largest=False, sorted=True).values
        lower, upper = ranked[:, below], ranked[:, above]
    else:  # descending: ascending rank i is at n - 1 - i
        ranked = rows.topk(n - below, dim=1, largest=True, sorted=True).values
        lower, upper = ranked[:, n - 1 - below], ranked[:, n - 1 - above]
    lo = lower.cpu().double().numpy()
    if pos == below:
        return lo
    return lo + (pos - below) * (upper.cpu().double().numpy() - lo)


# ---------------------------------------------------------------------------------------------------
# stacks: the same filter N times with a dilation schedule (gridding on a real image)


def parse_schedule(text: str) -> tuple[int, ...]:
    """``"1, 2, 5"`` -> ``(1, 2, 5)``; commas or spaces; 1 to :data:`MAX_STACK_LAYERS` dilations."""
    if not isinstance(text, str):
        raise ValueError(f"schedule must be text such as '1, 2, 5', got {type(text).__name__}")
    parts = [p for p in text.replace(",", " ").split() if p]
    if not parts:
        raise ValueError("schedule must list at least one dilation, such as '1, 2, 5'")
    values: list[int] = []
    for p in parts:
        if not p.isdigit():
            raise ValueError(f"schedule must hold whole numbers such as '1, 2, 5'; {p!r} is not one")
        values.append(int(p))
    if len(values) > MAX_STACK_LAYERS:
        raise ValueError(f"schedule may have at most {MAX_STACK_LAYERS} layers, got {len(values)}")
    for v in values:
        if not 1 <= v <= MAX_DILATION:
            raise ValueError(f"schedule dilations must be between 1 and {MAX_DILATION}, got {v}")
    return tuple(values)


def stack_extent(kernel_size: int, schedule: Sequence[int]) -> int:
    """Receptive-field extent of the stack: ``1 + sum d_l*(k-1)``."""
    k = check_int("kernel_size", kernel_size, 1)
    return 1 + sum(check_int("dilation", d, 1) * (k - 1) for d in schedule)


def run_stack(
    x: torch.Tensor, kernel: torch.Tensor, schedule: Sequence[int], padding_mode: str = "zeros"
) -> torch.Tensor:
    """``kernel`` (``(k, k)``) applied to every channel of ``x`` once per dilation in ``schedule``.

    Each layer is a depthwise conv (``groups = C``, "same" padding), so a colour image stays a colour
    image. Returns ``(1, C, H, W)``.
    """
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1] or kernel.shape[0] % 2 == 0:
        raise ValueError(f"kernel must be square with an odd size, got shape {tuple(kernel.shape)}")
    if x.ndim != 4 or x.shape[0] != 1:
        raise ValueError(f"x must be a (1, C, H, W) tensor, got shape {tuple(x.shape)}")
    c, h, w = int(x.shape[1]), int(x.shape[2]), int(x.shape[3])
    k = int(kernel.shape[0])
    weight = kernel.to(device=x.device, dtype=x.dtype).expand(c, 1, k, k).contiguous()
    y = x.contiguous(memory_format=torch.channels_last)
    for d in schedule:
        check_int("dilation", d, 1)
        check_padding(h, w, k, d, padding_mode)
        y = _same_conv(y, weight, d, padding_mode, c)
    return y


def stack_response(kernel: torch.Tensor | np.ndarray, schedule: Sequence[int]) -> np.ndarray:
    """Weight of each input offset in one output of the stack, ``(R, R)`` float64, ``R`` = extent.

    Entry ``[R//2 + dy, R//2 + dx]`` multiplies the input ``dy, dx`` pixels from the output; an exact 0
    inside the extent is a hole only if no path reaches it (see :func:`dsdcn.coverage_2d`). Found by
    shift-and-add (float64), the response growing layer by layer: layer ``l`` adds its ``k^2`` weights
    times the response so far, shifted by ``d_l`` per tap (``dsdcn.budget.response_adds`` operations;
    13x faster here than convolving an impulse of the full extent, and equal to it).
    """
    w = np.asarray(torch.as_tensor(kernel).cpu().numpy() if isinstance(kernel, torch.Tensor) else kernel)
    w = w.astype(np.float64)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] % 2 == 0:
        raise ValueError(f"kernel must be square with an odd size, got shape {tuple(w.shape)}")
    k = int(w.shape[0])
    stack_extent(k, schedule)
    out = np.ones((1, 1))
    for d in schedule:
        r = out.shape[0]
        grown = np.zeros((r + d * (k - 1),) * 2)
        scratch = np.empty_like(out)
        for m in range(k):
            for n in range(k):
                if w[m, n] != 0.0:
                    np.multiply(out, w[m, n], out=scratch)
                    grown[m * d : m * d + r, n * d : n * d + r] += scratch
        out = grown
    return out


def response_cells(response: np.ndarray, max_cells: int = 257) -> tuple[np.ndarray, list[int]]:
    """A response (odd ``R x R``) reduced to at most ``max_cells`` cells a side for drawing, and the offset
    at the centre of each cell. Cells are ``b x b`` blocks (``b`` odd, the centre cell centred on offset 0)
    holding their mean; a cell is exactly 0 only where its whole block is (holes stay visible as blanks
    when they fill a cell). ``b = 1`` (the response itself) when ``R <= max_cells``."""
    r = np.asarray(response, dtype=np.float64)
    size = int(r.shape[0])
    check_int("max_cells", max_cells, 1)
    b = max(1, math.ceil(size / max_cells))
    b += 1 - b % 2
    n = math.ceil(size / b)
    n += 1 - n % 2
    pad = (n * b - size) // 2
    padded = np.zeros((n * b, n * b))
    padded[pad : pad + size, pad : pad + size] = r
    blocks = padded.reshape(n, b, n, b)
    mean = blocks.mean(axis=(1, 3))
    touched = (blocks != 0).any(axis=(1, 3))
    tiny = np.finfo(np.float64).tiny
    cells = np.where(touched & (mean == 0), tiny, mean)  # a block reached by paths is never blank
    return cells, [(i - n // 2) * b for i in range(n)]


@dataclass(frozen=True)
class StackRun:
    """Two schedules of the same filter on one image (A, then B), reduced for display.

    ``preview``/``crop``: ``(2, C, h, w)`` float16 as in :class:`MapRun`; ``responses``: the stacks'
    weights per input offset (:func:`stack_response`); ``diff_mean_abs``/``diff_max_abs``: ``|A - B|``
    over the full-resolution outputs.
    """

    schedules: tuple[tuple[int, ...], tuple[int, ...]]
    preview: np.ndarray
    crop: np.ndarray
    crop_box: tuple[int, int, int, int]
    responses: tuple[np.ndarray, np.ndarray]
    minimum: float
    maximum: float
    diff_mean_abs: float
    diff_max_abs: float
    seconds: tuple[float, float]
    device: str


def run_stacks(
    x: torch.Tensor,
    kernel: torch.Tensor,
    schedule_a: Sequence[int],
    schedule_b: Sequence[int],
    padding_mode: str = "zeros",
    preview_side: int = 384,
    crop_side: int = 192,
) -> StackRun:
    """:func:`run_stack` for two schedules on ``x``; both outputs reduced to previews and a centre crop."""
    device = x.device
    h, w = int(x.shape[2]), int(x.shape[3])
    ph, pw = preview_size(h, w, preview_side)
    top, left, ch, cw = centre_crop_box(h, w, crop_side)
    outs: list[torch.Tensor] = []
    seconds: list[float] = []
    with torch.inference_mode():
        for schedule in (schedule_a, schedule_b):
            _sync(device)
            t0 = time.perf_counter()
            outs.append(run_stack(x, kernel, schedule, padding_mode)[0])
            _sync(device)
            seconds.append(time.perf_counter() - t0)
        both = torch.stack(outs)
        preview = _to_half(F.adaptive_avg_pool2d(both, (ph, pw)))
        crop = _to_half(both[:, :, top : top + ch, left : left + cw])
        diff = (outs[0] - outs[1]).reshape(-1)
        lo, hi = float(both.amin()), float(both.amax())
        dmean = float(torch.linalg.vector_norm(diff, ord=1)) / diff.numel()
        dmax = float(diff.abs().amax())
    responses = (stack_response(kernel.cpu(), schedule_a), stack_response(kernel.cpu(), schedule_b))
    return StackRun(
        schedules=(tuple(schedule_a), tuple(schedule_b)),
        preview=preview,
        crop=crop,
        crop_box=(top, left, ch, cw),
        responses=responses,
        minimum=lo,
        maximum=hi,
        diff_mean_abs=dmean,
        diff_max_abs=dmax,
        seconds=(seconds[0], seconds[1]),
        device=str(device),
    )


# ---------------------------------------------------------------------------------------------------
# rendering maps to 8-bit images


def map_ranges(
    minimum: np.ndarray, maximum: np.ndarray, mode: str = "per_map", centre_zero: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Display range ``(lo, hi)`` of every map, arrays shaped like ``minimum`` (``(D, F)``).

    ``per_map``: each map's own min..max; ``per_filter``: one range per filter (column) across the
    dilations; ``shared``: one range for all. With ``centre_zero``, a range that spans 0 is made
    symmetric (``-a..a``) so that zero sits in the middle of the colour map.
    """
    lo = np.asarray(minimum, dtype=np.float64)
    hi = np.asarray(maximum, dtype=np.float64)
    if lo.shape != hi.shape:
        raise ValueError(f"minimum and maximum must have one shape, got {lo.shape} and {hi.shape}")
    if mode == "per_map":
        lo, hi = lo.copy(), hi.copy()
    elif mode == "per_filter":
        if lo.ndim != 2:
            raise ValueError("per_filter ranges need (D, F) arrays")
        lo = np.broadcast_to(lo.min(axis=0, keepdims=True), lo.shape).copy()
        hi = np.broadcast_to(hi.max(axis=0, keepdims=True), hi.shape).copy()
    elif mode == "shared":
        lo, hi = np.full(lo.shape, lo.min()), np.full(hi.shape, hi.max())
    else:
        raise ValueError(f"mode must be one of {', '.join(NORMALISATIONS)}, got {mode!r}")
    if centre_zero:
        spans = (lo < 0) & (hi > 0)
        a = np.maximum(-lo, hi)
        lo = np.where(spans, -a, lo)
        hi = np.where(spans, a, hi)
    return lo, hi


def to_uint8(values: np.ndarray | torch.Tensor, lo: float, hi: float) -> np.ndarray:
    """``lo -> 0``, ``hi -> 255``, linear, clipped, rounded; a flat range (``hi <= lo``) gives 128."""
    v = values.detach().cpu().numpy() if isinstance(values, torch.Tensor) else np.asarray(values)
    v = v.astype(np.float32, copy=False)
    if not hi > lo:
        return np.full(v.shape, 128, dtype=np.uint8)
    scaled = (v - np.float32(lo)) * np.float32(255.0 / (hi - lo))
    return np.clip(np.rint(np.nan_to_num(scaled, nan=0.0)), 0, 255).astype(np.uint8)


def colormap_lut(name: str = "grey") -> np.ndarray:
    """``(256, 3)`` uint8 lookup table of a colour map in :data:`COLORMAPS`."""
    if name not in COLORMAP_ANCHORS:
        raise ValueError(f"colormap must be one of {', '.join(COLORMAPS)}, got {name!r}")
    anchors = np.asarray(COLORMAP_ANCHORS[name], dtype=np.float64)
    positions = np.linspace(0.0, 1.0, len(anchors))
    t = np.linspace(0.0, 1.0, 256)
    lut = np.stack([np.interp(t, positions, anchors[:, i]) for i in range(3)], axis=1)
    return np.rint(lut).astype(np.uint8)


def render_map(values: np.ndarray, lo: float, hi: float, colormap: str = "grey") -> np.ndarray:
    """A map ``(M, h, w)`` as an 8-bit image: ``M = 1`` through the colour map to ``(h, w, 3)``;
    ``M = 3`` (a depthwise map of an RGB image) as RGB with one range for its three channels."""
    v = np.asarray(values)
    if v.ndim != 3 or v.shape[0] not in (1, 3):
        raise ValueError(f"values must be (1, h, w) or (3, h, w), got shape {v.shape}")
    u8 = to_uint8(v, lo, hi)
    if v.shape[0] == 3:
        return np.ascontiguousarray(u8.transpose(1, 2, 0))
    return colormap_lut(colormap)[u8[0]]


def colorbar_image(colormap: str = "grey", width: int = 256, height: int = 16) -> np.ndarray:
    """A horizontal ``(height, width, 3)`` uint8 gradient of ``colormap``, low on the left."""
    w = check_int("width", width, 2)
    h = check_int("height", height, 1)
    ramp = np.rint(np.linspace(0, 255, w)).astype(np.uint8)
    return np.ascontiguousarray(np.broadcast_to(colormap_lut(colormap)[ramp], (h, w, 3)))


def zoom_nearest(image: np.ndarray, factor: int) -> np.ndarray:
    """Enlarge ``(h, w)`` or ``(h, w, 3)`` by an integer ``factor``, each pixel a ``factor`` square."""
    f = check_int("factor", factor, 1)
    return np.repeat(np.repeat(np.asarray(image), f, axis=0), f, axis=1)


def png_bytes(image: np.ndarray, compress_level: int = 1) -> bytes:
    """PNG of an ``(h, w)`` or ``(h, w, 3)`` uint8 array."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image)).save(buf, format="PNG", compress_level=compress_level)
    return buf.getvalue()


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in text.replace("°", "deg"))
    return "_".join(p for p in out.split("_") if p)


def maps_zip(
    x: torch.Tensor,
    bank: FilterBank,
    kind: LayerKind,
    dilations: Sequence[int],
    padding_mode: str,
    lo: np.ndarray,
    hi: np.ndarray,
    colormap: str = "grey",
    stats: MapStats | None = None,
    notes: str = "",
) -> bytes:
    """ZIP of every full-resolution map as a PNG (``d{d}_{index}_{filter}.png``), rendered with the
    ranges ``lo``/``hi`` (``(D, F)``, from :func:`map_ranges`), plus ``stats.csv`` and ``README.txt``."""
    ds = tuple(dilations)
    if np.shape(lo) != (len(ds), bank.size) or np.shape(hi) != (len(ds), bank.size):
        raise ValueError(f"lo and hi must have shape {(len(ds), bank.size)}")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf, torch.inference_mode():
        for i, d in enumerate(ds):
            maps = feature_maps(x, bank, kind, d, padding_mode)
            for j, label in enumerate(bank.labels):
                image = render_map(maps[j].cpu().numpy(), float(lo[i, j]), float(hi[i, j]), colormap)
                zf.writestr(f"d{d:02d}_{j + 1:02d}_{_slug(label)}.png", png_bytes(image))
            del maps
        if stats is not None:
            text = io.StringIO()
            rows = stats.rows(bank.labels, ds)
            writer = csv.DictWriter(text, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
            zf.writestr("stats.csv", text.getvalue())
        zf.writestr("README.txt", notes)
    return buf.getvalue()


def differences(maps: np.ndarray, reference: int = 0, clip_percent: float = 0.0) -> tuple[np.ndarray, float]:
    """``maps - maps[reference]`` along the first axis (float32) and a symmetric display bound.

    The bound is the largest ``|difference|``, or with ``clip_percent`` its ``100 - clip_percent``
    percentile (over the entries other than the reference), so rare extremes do not wash out the view.
    On previews the difference is exact up to float16 rounding: area downscaling is linear.
    """
    m = np.asarray(maps, dtype=np.float32)
    if m.ndim < 1 or not 0 <= reference < m.shape[0]:
        raise ValueError(
            f"reference must index the first axis (size {m.shape[0] if m.ndim else 0}), got {reference}"
        )
    if not 0.0 <= clip_percent < 50.0:
        raise ValueError(f"clip_percent must be in [0, 50), got {clip_percent}")
    diff = m - m[reference : reference + 1]
    others = np.abs(np.delete(diff, reference, axis=0))
    if others.size == 0:
        return diff, 0.0
    bound = float(others.max()) if clip_percent == 0 else float(np.percentile(others, 100.0 - clip_percent))
    return diff, bound


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


# ---------------------------------------------------------------------------------------------------
# device fallback and allocator


T = TypeVar("T")


@dataclass(frozen=True)
class Fallback:
    """Set when a run on ``device`` ran out of memory and was repeated on the CPU."""

    device: str
    error: str


def run_with_fallback(
    run: Callable[[torch.device], T], device: torch.device
) -> tuple[T, torch.device, Fallback | None]:
    """``run(device)``; if an accelerator runs out of memory, free its cache and ``run(cpu)`` instead.

    Returns the result, the device it ran on and, after a fallback, what happened. An out-of-memory
    error on the CPU itself is raised.
    """
    try:
        return run(device), device, None
    except torch.OutOfMemoryError as exc:
        if device.type == "cpu":
            raise
        if device.type == "cuda" and torch.cuda.is_available():
            torch.cuda.empty_cache()
        cpu = torch.device("cpu")
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return run(cpu), cpu, Fallback(str(device), first_line[:200])


_TRIMMER: list[object] = []  # the idle trimmer thread of this process, once started


def _trim_when_idle(libc: ctypes.CDLL, period: float, idle_share: float) -> None:
    # every ``period`` s: if this process used under ``idle_share`` of a core since the last look and has
    # worked since the last trim, hand the heap's free pages back (``malloc_trim(0)``)
    last = time.process_time()
    dirty = False
    while True:
        time.sleep(period)
        now = time.process_time()
        busy = (now - last) / period
        last = now
        if busy >= idle_share:
            dirty = True
        elif dirty:
            libc.malloc_trim(0)
            last = time.process_time()
            dirty = False


def tune_allocator(
    mmap_threshold: int = 512 * 2**20,
    trim_threshold: int = 2**30,
    trim_idle_seconds: float | None = 5.0,
) -> bool:
    """Keep freed big tensors in glibc's heap while the process works; give the memory back when it rests.

    By default glibc maps every block over 32 MB anew and unmaps it on free, so each big conv output is
    page-faulted again (2-6x slower here for 32-130 MB outputs). Raising ``M_MMAP_THRESHOLD`` (process-wide)
    puts such blocks in the heap, where a freed one is reused by the next op; ``M_TRIM_THRESHOLD`` lets the
    heap's top keep up to ``trim_threshold`` free bytes between ops (a lower one costs speed: 1.6x slower for a
    2048² Image lab run with 256 MB). With ``trim_idle_seconds``, a daemon thread (one per process) calls
    ``malloc_trim(0)`` once the process has been idle (under 5% of a core) for that long after working, so
    the memory of a finished heavy request goes back to the system.
    Returns ``False`` where there is no glibc ``mallopt`` (macOS, Windows, musl).
    """
    check_int("mmap_threshold", mmap_threshold, 0)
    check_int("trim_threshold", trim_threshold, 0)
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
    m_trim_threshold, m_mmap_threshold = -1, -3
    tuned = bool(mallopt(m_mmap_threshold, int(mmap_threshold))) and bool(
        mallopt(m_trim_threshold, int(trim_threshold))
    )
    if tuned and trim_idle_seconds is not None and not _TRIMMER:
        import threading

        thread = threading.Thread(
            target=_trim_when_idle, args=(libc, float(trim_idle_seconds), 0.05), name="dsdcn-trim", daemon=True
        )
        thread.start()
        _TRIMMER.append(thread)
    return tuned
