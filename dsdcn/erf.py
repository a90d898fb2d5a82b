"""Effective receptive field (Luo et al., 2016): the input gradient of one output, by a real backward pass.

The stack is run as plain ``torch`` convolutions with no padding on an input exactly one receptive
field wide, so it has exactly one output (the "centre" output of a larger image whose field lies
inside it). Its gradient with respect to the input, in absolute value, summed over channels and
averaged over random inputs, is the effective receptive field.

Pooling layers are average pooling (a depthwise convolution with weights ``1/k`` per axis, which
also allows a dilation); the gradient of max pooling picks one pixel per window and depends on the
input.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F

from .device import synchronize
from .geometry import check_int
from .receptive import Layer, receptive_field

WeightInit = Literal["uniform", "random"]
WEIGHT_INITS: tuple[str, ...] = ("uniform", "random")

# Largest extent per axis the effective field is computed for (input pixels, per dimension count).
MAX_ERF_EXTENT: dict[int, int] = {1: 1 << 20, 2: 1024}


@dataclass(frozen=True)
class ERF:
    """An effective receptive field.

    ``grad`` holds ``|d out / d input|`` (averaged over input channels and random inputs) over the whole
    extent: shape ``(r,)`` in 1D, ``(r, r)`` in 2D. ``seconds`` is the forward+backward wall time,
    ``device`` where it ran.
    """

    grad: np.ndarray
    device: str
    seconds: float
    weights: str
    relu: bool
    channels: int
    samples: int

    @property
    def normalized(self) -> np.ndarray:
        """``grad`` scaled so that its largest entry is 1 (all zeros stay zeros)."""
        top = float(self.grad.max()) if self.grad.size else 0.0
        return self.grad / top if top > 0 else self.grad.copy()


def mirror_mean(values: np.ndarray) -> np.ndarray:
    """``values`` averaged over its mirror images: the 8 flips and transposes of a square 2D map, or a
    1D profile and its reverse.

    The expected effective field of a stack of square kernels (same size and dilation on both axes,
    weights drawn from a distribution that does not change under flips) has these symmetries, so the
    mean keeps the field and averages away the noise of the random draws, as 8 (2D) or 2 (1D) times
    as many networks would.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim == 1:
        return (v + v[::-1]) / 2.0
    if v.ndim != 2 or v.shape[0] != v.shape[1]:
        raise ValueError(f"values must be a 1D profile or a square 2D map, got shape {v.shape}")
    flips = [v, v[::-1], v[:, ::-1], v[::-1, ::-1]]
    return np.mean([*flips, *(f.T for f in flips)], axis=0)


def mass_share(values: np.ndarray, mass: float = 0.95) -> float:
    """Smallest share of the entries that holds ``mass`` of the total (largest entries first).

    ``values`` are non-negative weights (a gradient magnitude, path counts); returns a number in
    ``(0, 1]``, or ``0.0`` when every entry is zero.

    >>> mass_share(np.array([8.0, 1.0, 1.0, 0.0]), 0.8)
    0.25
    """
    if not 0.0 < mass <= 1.0:
        raise ValueError(f"mass must be in (0, 1], got {mass}")
    flat = np.sort(np.asarray(values, dtype=np.float64).ravel())[::-1]
    if flat.size == 0:
        raise ValueError("values must not be empty")
    if np.any(flat < 0):
        raise ValueError("values must be non-negative")
    total = float(flat.sum())
    if total <= 0:
        return 0.0
    needed = int(np.searchsorted(np.cumsum(flat), mass * total * (1 - 1e-12))) + 1
    return min(needed, flat.size) / flat.size


def mass_mask(values: np.ndarray, mass: float = 0.95) -> np.ndarray:
    """Boolean mask of the largest entries that together hold ``mass`` of the total."""
    arr = np.asarray(values, dtype=np.float64)
    share = mass_share(arr, mass)
    count = int(round(share * arr.size))
    mask = np.zeros(arr.size, dtype=bool)
    if count:
        order = np.argsort(arr.ravel(), kind="stable")[::-1]
        mask[order[:count]] = True
    return mask.reshape(arr.shape)


def erf_cost(layers: Iterable[Layer], ndim: int = 2, channels: int = 4, samples: int = 1) -> int:
    """Multiply-adds of the forward pass of ``effective_receptive_field`` (the backward pass costs
    about twice as much): ``samples`` networks of ``channels`` channels on an input one field wide."""
    if ndim not in (1, 2):
        raise ValueError(f"ndim must be 1 or 2, got {ndim}")
    c = check_int("channels", channels, 1)
    b = check_int("samples", samples, 1)
    stack = list(layers)
    rf = receptive_field(stack)
    # the input is r_L wide; after layer l there are n_l = (r_L - r_l) / j_l + 1 outputs per axis
    total = 0
    r_last = rf[-1].size if rf else 1
    for layer, r in zip(stack, rf, strict=True):
        n_out = (r_last - r.size) // r.stride + 1
        per_output = (c if layer.kind == "conv" else 1) * layer.kernel_size**ndim
        total += b * c * per_output * n_out**ndim
    return total


def _conv(ndim: int):
    return F.conv1d if ndim == 1 else F.conv2d


def _needs_float64(stack: Sequence[Layer], ndim: int) -> bool:
    # uniform weights give gradients equal to path counts, up to prod(k)**ndim: keep them finite
    digits = sum(math.log10(layer.kernel_size) for layer in stack) * ndim
    return digits > 30


def build_weights(
    stack: Sequence[Layer],
    ndim: int,
    weights: WeightInit,
    channels: int,
    generator: torch.Generator,
    samples: int = 1,
) -> list[torch.Tensor]:
    """One weight tensor per layer (float64 on the CPU) for ``samples`` independent networks.

    The networks run side by side as groups of one convolution: conv weights have shape
    ``(samples*C, C, k[, k])`` (``groups = samples``), all ``1/C`` for ``uniform`` (each output then
    sums its taps, so the gradient equals the path count) or ``U(-b, b)``, ``b = 1/sqrt(C k^ndim)``
    for ``random`` (PyTorch's default initialisation), drawn anew for every network. Pool weights
    have shape ``(samples*C, 1, k[, k])``, all ``1/k^ndim`` (average pooling, ``groups = samples*C``).
    """
    out: list[torch.Tensor] = []
    for layer in stack:
        k = layer.kernel_size
        spatial = (k,) * ndim
        if layer.kind == "pool":
            out.append(torch.full((samples * channels, 1, *spatial), 1.0 / k**ndim, dtype=torch.float64))
        elif weights == "uniform":
            out.append(
                torch.full((samples * channels, channels, *spatial), 1.0 / channels, dtype=torch.float64)
            )
        else:
            bound = 1.0 / math.sqrt(channels * k**ndim)
            w = torch.rand((samples * channels, channels, *spatial), generator=generator, dtype=torch.float64)
            out.append((2 * w - 1) * bound)
    return out


def effective_receptive_field(
    layers: Iterable[Layer],
    ndim: int = 2,
    weights: WeightInit = "uniform",
    relu: bool = False,
    channels: int = 4,
    samples: int = 8,
    seed: int = 0,
    device: torch.device | str | None = None,
) -> ERF:
    """Gradient of the one output of the stack with respect to an input one field wide.

    ``ndim`` is 1 (sequences, ``conv1d``) or 2 (images, ``conv2d``). ``relu`` puts a ReLU after
    every conv layer but the last one; the gradient then depends on the input, which is random
    normal. The result is averaged over ``samples`` independent networks (each with its own random
    weights and input, run side by side as groups of one convolution); one network is used when
    nothing is random (uniform weights, no ReLU). Random weights and inputs come from a
    ``torch.Generator`` seeded with ``seed``. ``device`` defaults to ``dsdcn.pick_device()``.

    With ``uniform`` weights and no ReLU the result equals the exact path counts of
    ``dsdcn.coverage`` (times ``1/k`` per pooling layer and axis).
    """
    if ndim not in (1, 2):
        raise ValueError(f"ndim must be 1 or 2, got {ndim}")
    if weights not in WEIGHT_INITS:
        raise ValueError(f"weights must be one of {', '.join(WEIGHT_INITS)}, got {weights!r}")
    c = check_int("channels", channels, 1)
    n_samples = check_int("samples", samples, 1)
    seed = check_int("seed", seed, 0)
    stack = list(layers)
    extent = _checked_extent(stack, ndim)
    if device is None:
        from .device import pick_device

        device = pick_device()
    device = torch.device(device)
    dtype = torch.float64 if _needs_float64(stack, ndim) and device.type != "mps" else torch.float32
    gen = torch.Generator(device="cpu").manual_seed(seed)
    batch = n_samples if (relu or weights == "random") else 1
    kernels = [w.to(device=device, dtype=dtype) for w in build_weights(stack, ndim, weights, c, gen, batch)]
    shape = (1, batch * c, *((extent,) * ndim))
    x = (
        torch.randn(shape, generator=gen, dtype=torch.float64)
        if relu
        else torch.ones(shape, dtype=torch.float64)
    )
    x = x.to(device=device, dtype=dtype).requires_grad_(True)
    synchronize(device)
    start = time.perf_counter()
    _forward(x, stack, kernels, ndim, batch * c, batch, relu).sum().backward()
    grad = x.grad.abs().reshape(batch, c, *((extent,) * ndim)).mean(dim=(0, 1))
    synchronize(device)
    seconds = time.perf_counter() - start
    return ERF(
        grad=grad.detach().to("cpu", torch.float64).numpy(),
        device=str(device),
        seconds=seconds,
        weights=weights,
        relu=relu,
        channels=c,
        samples=batch,
    )


def _checked_extent(stack: list[Layer], ndim: int) -> int:
    # the stack's field size: the input's side, refused past MAX_ERF_EXTENT
    rf = receptive_field(stack)
    extent = rf[-1].size if rf else 1
    if extent > MAX_ERF_EXTENT[ndim]:
        raise ValueError(
            f"extent {extent} is too large for the effective field in {ndim}D "
            f"(at most {MAX_ERF_EXTENT[ndim]} input pixels per axis); use fewer or smaller layers"
        )
    return extent


def _forward(
    x: torch.Tensor,
    stack: list[Layer],
    kernels: list[torch.Tensor],
    ndim: int,
    pool_groups: int,
    groups: int,
    relu: bool,
) -> torch.Tensor:
    # the stack on x: every network a group of each convolution, pooling per channel, a ReLU after every
    # conv layer but the last one when asked
    conv = _conv(ndim)
    last_conv = max((i for i, layer in enumerate(stack) if layer.kind == "conv"), default=-1)
    h = x
    for i, (layer, w) in enumerate(zip(stack, kernels, strict=True)):
        g = pool_groups if layer.kind == "pool" else groups
        h = conv(h, w, stride=layer.stride, dilation=layer.dilation, groups=g)
        if relu and layer.kind == "conv" and i < last_conv:
            h = F.relu(h)
    return h
