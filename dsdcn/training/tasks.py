"""Training tasks where the receptive field decides, generated on the fly from a ``torch.Generator``.

Every task draws a batch ``(x, y)`` and scores a model output against it; its ``baseline`` is the loss
of the best model that cannot see the input it needs ("learned nothing"), known in closed form:

- ``OffsetTask`` (2D): noise in, the same noise shifted by ``(dy, dx)`` out; MSE, baseline 1.0 (predict 0).
- ``MemoryTask`` (1D, causal): the copy-memory task of temporal convolutional networks; cross-entropy on
  the recall steps, baseline ``ln(alphabet)`` (guess a symbol uniformly).
- ``FilterTask`` (2D): crops of an image in, the image under a wide filter out; MSE on a target scaled to
  unit variance, baseline 1.0 (predict 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F

from ..geometry import check_int

TaskKind = Literal["offset", "memory", "filter"]
TASKS: tuple[str, ...] = ("offset", "memory", "filter")
FilterKind = Literal["gauss", "dog"]
FILTER_OPERATORS: tuple[str, ...] = ("gauss", "dog")

MAX_OFFSET = 16
MAX_BLANK = 256
MAX_SIGMA = 8.0
DOG_RATIO = 1.6  # outer σ of a difference of Gaussians, over the inner σ
MIN_IMAGE_SIDE = 32


@dataclass(frozen=True)
class OffsetTask:
    """Reach an offset: the target at ``(y, x)`` is the input at ``(y + dy, x + dx)``.

    The input is ``(B, 1, size + 2m, size + 2m)`` standard normal noise, ``m = max(|dy|, |dx|, 1)``;
    the loss is taken on the central ``size x size`` outputs, whose targets all lie inside the input.
    """

    dy: int = 3
    dx: int = 1
    size: int = 16
    batch: int = 8

    kind = "offset"
    ndim = 2
    in_channels = 1
    out_channels = 1
    causal = False
    baseline = 1.0

    def __post_init__(self) -> None:
        for name in ("dy", "dx"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_OFFSET:
                raise ValueError(f"{name} must be an integer from -{MAX_OFFSET} to {MAX_OFFSET}, got {value!r}")
        check_int("size", self.size, 1)
        check_int("batch", self.batch, 1)

    @property
    def margin(self) -> int:
        """Input pixels on each side of the scored square."""
        return max(abs(self.dy), abs(self.dx), 1)

    @property
    def target_offset(self) -> tuple[int, ...]:
        """The input offset each output must read, relative to the output: ``(dy, dx)``."""
        return (self.dy, self.dx)

    def sample(self, generator: torch.Generator, batch: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """A batch ``(x, y)``: ``x`` of shape ``(B, 1, S, S)``, ``y`` of shape ``(B, 1, size, size)``."""
        m, n = self.margin, self.size
        x = torch.randn((batch or self.batch, 1, n + 2 * m, n + 2 * m), generator=generator)
        y = x[:, :, m + self.dy : m + self.dy + n, m + self.dx : m + self.dx + n].clone()
        return x, y

    def scored(self, out: torch.Tensor) -> torch.Tensor:
        """The outputs the loss looks at (the central ``size x size``)."""
        m, n = self.margin, self.size
        return out[..., m : m + n, m : m + n]

    def loss(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Mean squared error on the scored outputs."""
        return F.mse_loss(self.scored(out), y)

    def baseline_of(self, y: torch.Tensor) -> float:
        """The "learned nothing" loss a race compares with: 1.0 (``E[x²]`` of unit noise)."""
        return self.baseline

    def holdout(self, generator: torch.Generator, batch: int) -> tuple[torch.Tensor, torch.Tensor]:
        """A held-out batch: ``batch`` fresh samples."""
        return self.sample(generator, batch=batch)


@dataclass(frozen=True)
class MemoryTask:
    """Copy memory: ``symbols`` symbols, a blank of ``blank`` steps ending in a recall marker, then recall.

    Input ``(B, alphabet + 2, L)``, one-hot (0 blank, 1..alphabet symbols, ``alphabet + 1`` the marker),
    ``L = 2 * symbols + blank``. The outputs at the last ``symbols`` steps must name the symbols seen
    ``delay = symbols + blank`` steps earlier; the loss is the cross-entropy there, in nats.
    """

    symbols: int = 4
    alphabet: int = 4
    blank: int = 24
    batch: int = 16

    kind = "memory"
    ndim = 1
    causal = True

    def __post_init__(self) -> None:
        check_int("symbols", self.symbols, 1)
        check_int("alphabet", self.alphabet, 2)
        check_int("blank", self.blank, 1)
        check_int("batch", self.batch, 1)
        if self.blank > MAX_BLANK:
            raise ValueError(f"blank must be at most {MAX_BLANK} steps, got {self.blank}")

    @property
    def in_channels(self) -> int:
        """One-hot channels: blank, the symbols and the marker."""
        return self.alphabet + 2

    @property
    def out_channels(self) -> int:
        """Classes scored: blank and the symbols."""
        return self.alphabet + 1

    @property
    def length(self) -> int:
        """Steps in one sequence."""
        return 2 * self.symbols + self.blank

    @property
    def delay(self) -> int:
        """Steps between seeing a symbol and recalling it: a causal field must span ``delay + 1`` steps."""
        return self.symbols + self.blank

    @property
    def target_offset(self) -> tuple[int, ...]:
        """The input offset each recall output must read: ``delay`` steps back."""
        return (-self.delay,)

    @property
    def baseline(self) -> float:
        """Cross-entropy of a uniform guess among the symbols: ``ln(alphabet)``."""
        return math.log(self.alphabet)

    def sample(self, generator: torch.Generator, batch: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """A batch ``(x, y)``: one-hot ``x`` ``(B, alphabet + 2, L)``, symbol indices ``y`` ``(B, symbols)``."""
        b, n = batch or self.batch, self.symbols
        y = torch.randint(1, self.alphabet + 1, (b, n), generator=generator)
        seq = torch.zeros((b, self.length), dtype=torch.long)
        seq[:, :n] = y
        seq[:, n + self.blank - 1] = self.alphabet + 1
        x = F.one_hot(seq, self.alphabet + 2).to(torch.float32).transpose(1, 2).contiguous()
        return x, y

    def scored(self, out: torch.Tensor) -> torch.Tensor:
        """The recall steps' logits ``(B, alphabet + 1, symbols)``."""
        return out[..., self.symbols + self.blank :]

    def loss(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Cross-entropy of the recall steps, in nats."""
        return F.cross_entropy(self.scored(out), y)

    def baseline_of(self, y: torch.Tensor) -> float:
        """The "learned nothing" loss a race compares with: ``ln(alphabet)``, whatever the batch."""
        return self.baseline

    def holdout(self, generator: torch.Generator, batch: int) -> tuple[torch.Tensor, torch.Tensor]:
        """A held-out batch: ``batch`` fresh sequences."""
        return self.sample(generator, batch=batch)


def gaussian_kernel(sigma: float) -> np.ndarray:
    """A normalised 1D Gaussian over ``[-3σ, 3σ]`` (odd length, sums to 1); ``σ`` up to ``1.6 * MAX_SIGMA``
    (the outer Gaussian of the widest difference of Gaussians)."""
    if not 0.0 < sigma <= DOG_RATIO * MAX_SIGMA:
        raise ValueError(f"sigma must be in (0, {DOG_RATIO * MAX_SIGMA}], got {sigma}")
    radius = max(int(math.ceil(3 * sigma)), 1)
    t = np.arange(-radius, radius + 1, dtype=np.float64)
    g = np.exp(-(t**2) / (2 * sigma**2))
    return g / g.sum()


def _separable_blur(image: torch.Tensor, sigma: float) -> torch.Tensor:
    # (1, 1, H, W) under a Gaussian, reflect padding (replicate where the image is too small to reflect)
    g = torch.from_numpy(gaussian_kernel(sigma)).to(image.dtype)
    r = g.numel() // 2
    mode = "reflect" if min(image.shape[-2:]) > r else "replicate"
    out = F.conv2d(F.pad(image, (r, r, 0, 0), mode=mode), g.view(1, 1, 1, -1))
    return F.conv2d(F.pad(out, (0, 0, r, r), mode=mode), g.view(1, 1, -1, 1))


def wide_filter(image: np.ndarray, operator: FilterKind = "gauss", sigma: float = 2.0) -> np.ndarray:
    """``image`` (2D) under a Gaussian blur of ``sigma`` or a difference of Gaussians (``σ`` and ``1.6σ``)."""
    if operator not in FILTER_OPERATORS:
        raise ValueError(f"operator must be one of {', '.join(FILTER_OPERATORS)}, got {operator!r}")
    arr = np.asarray(image, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"image must be 2D (grey), got shape {arr.shape}")
    if not 0.0 < sigma <= MAX_SIGMA:
        raise ValueError(f"sigma must be in (0, {MAX_SIGMA}], got {sigma}")
    t = torch.from_numpy(arr)[None, None]
    out = _separable_blur(t, sigma)
    if operator == "dog":
        out = out - _separable_blur(t, DOG_RATIO * sigma)
    return out[0, 0].numpy()


def grey_levels(rgb: np.ndarray) -> np.ndarray:
    """Luma of an ``(H, W, 3)`` uint8 image (or a 2D grey one), scaled to zero mean and unit variance."""
    arr = np.asarray(rgb, dtype=np.float64)
    if arr.ndim == 3:
        arr = arr[..., :3] @ np.array([0.299, 0.587, 0.114])
    if arr.ndim != 2:
        raise ValueError(f"image must be (H, W) or (H, W, 3), got shape {arr.shape}")
    std = float(arr.std())
    return (arr - arr.mean()) / (std if std > 0 else 1.0)


class FilterTask:
    """Imitate a wide filter on crops of one image.

    The image (2D, any scale) is normalised to zero mean and unit variance; the target is the filtered
    image scaled to unit variance, so predicting 0 scores 1.0. A batch is ``batch`` random crops of
    ``size + 2m`` pixels, ``m = margin``; the loss is taken on the central ``size x size``.
    """

    kind = "filter"
    ndim = 2
    in_channels = 1
    out_channels = 1
    causal = False
    baseline = 1.0
    target_offset: tuple[int, ...] = ()

    def __init__(
        self,
        image: np.ndarray,
        operator: FilterKind = "gauss",
        sigma: float = 2.0,
        size: int = 24,
        batch: int = 4,
        margin: int = 16,
    ) -> None:
        self.operator = operator
        self.sigma = float(sigma)
        self.size = check_int("size", size, 1)
        self.batch = check_int("batch", batch, 1)
        self.margin = check_int("margin", margin, 0)
        grey = grey_levels(image)
        side = self.size + 2 * self.margin
        if min(grey.shape) < max(side, MIN_IMAGE_SIDE):
            raise ValueError(f"the image must be at least {max(side, MIN_IMAGE_SIDE)} pixels on each side")
        target = wide_filter(grey, operator, self.sigma)
        scale = float(target.std())
        self.image = torch.from_numpy(grey.astype(np.float32))[None, None]
        self.target = torch.from_numpy((target / (scale if scale > 0 else 1.0)).astype(np.float32))[None, None]

    def sample(self, generator: torch.Generator, batch: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """``batch`` crops: ``x`` ``(B, 1, S, S)`` of the image, ``y`` ``(B, 1, size, size)`` of the target."""
        b, n, m = batch or self.batch, self.size, self.margin
        side = n + 2 * m
        h, w = self.image.shape[-2:]
        ys = torch.randint(0, h - side + 1, (b,), generator=generator).tolist()
        xs = torch.randint(0, w - side + 1, (b,), generator=generator).tolist()
        x = torch.cat([self.image[..., a : a + side, c : c + side] for a, c in zip(ys, xs, strict=True)])
        y = torch.cat([self.target[..., a + m : a + m + n, c + m : c + m + n] for a, c in zip(ys, xs, strict=True)])
        return x, y

    def scored(self, out: torch.Tensor) -> torch.Tensor:
        """The central ``size x size`` outputs."""
        m, n = self.margin, self.size
        return out[..., m : m + n, m : m + n]

    def loss(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Mean squared error on the scored outputs."""
        return F.mse_loss(self.scored(out), y)

    def baseline_of(self, y: torch.Tensor) -> float:
        """The loss of predicting 0 on the batch ``y`` (``mean(y²)``): the crops' share of the image's
        variance, which the scored centres (away from the image's border) do not hold in full."""
        return float(y.pow(2).mean())

    def holdout(self, generator: torch.Generator, batch: int) -> tuple[torch.Tensor, torch.Tensor]:
        """A held-out batch that covers the image evenly: about ``batch`` crops on a grid (random crops
        of a small batch can all land on flat areas). ``generator`` is not used."""
        n, m = self.size, self.margin
        side = n + 2 * m
        h, w = self.image.shape[-2:]
        per_axis = max(int(math.isqrt(batch)), 1)
        ys = np.linspace(0, h - side, per_axis).round().astype(int).tolist()
        xs = np.linspace(0, w - side, per_axis).round().astype(int).tolist()
        spots = [(a, c) for a in ys for c in xs]
        x = torch.cat([self.image[..., a : a + side, c : c + side] for a, c in spots])
        y = torch.cat([self.target[..., a + m : a + m + n, c + m : c + m + n] for a, c in spots])
        return x, y


Task = OffsetTask | MemoryTask | FilterTask
