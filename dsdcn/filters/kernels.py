"""Filter banks: named kernels (Sobel, Laplacian, Gaussian, Gabor, box, identity, random) for every input channel, and their dilated copies."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch

from ..geometry import check_int, effective_kernel_size

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
MAX_FILTERS = 24
MAX_KERNEL_SIZE = 15


@dataclass(frozen=True)
class FilterCode:
    """One filter of a bank as data: ``kind`` (one of :data:`FILTER_KINDS`) and, for the kinds a bank holds
    several of, ``number``: a Gabor filter's angle in degrees, a random filter's place (1, 2, ...)."""

    kind: str
    number: float | None = None

    @property
    def label(self) -> str:
        """A plain English name ("Sobel x", "Gabor 45°", "Random 2") for file names and the CSV export;
        the app shows its own translation of the code."""
        if self.number is None:
            return _NAMES[self.kind]
        unit = "°" if self.kind == "gabor" else ""
        return f"{_NAMES[self.kind]} {self.number:g}{unit}"


_NAMES = {
    "sobel_x": "Sobel x",
    "sobel_y": "Sobel y",
    "laplacian": "Laplacian",
    "gaussian": "Gaussian",
    "box": "Box",
    "identity": "Identity",
    "gabor": "Gabor",
    "random": "Random",
}


@dataclass(frozen=True)
class FilterBank:
    """``F`` filters, one ``k x k`` kernel per input channel: ``kernels`` is ``(F, C, k, k)``, ``codes``
    says which filter each is."""

    codes: tuple[FilterCode, ...]
    kernels: torch.Tensor

    @property
    def labels(self) -> tuple[str, ...]:
        """The filters' plain English names (:attr:`FilterCode.label`)."""
        return tuple(code.label for code in self.codes)

    @property
    def size(self) -> int:
        """Number of filters ``F``."""
        return len(self.codes)

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
        return FilterBank(self.codes[start:stop], self.kernels[start:stop])


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
    codes: list[FilterCode] = []
    kernels: list[torch.Tensor] = []

    def fixed(code: FilterCode, kernel: np.ndarray) -> None:
        codes.append(code)
        kernels.append(torch.from_numpy(kernel.astype(np.float32)).expand(c, k, k).clone())

    for name in names:
        if name == "gabor":
            for i in range(n_gabor):
                degrees = 180.0 * i / n_gabor
                fixed(FilterCode("gabor", degrees), gabor_kernel(k, math.radians(degrees)))
        elif name == "random":
            for i in range(n_random):
                codes.append(FilterCode("random", i + 1))
                u = torch.rand((c, k, k), generator=generator, dtype=torch.float32)
                kernels.append((2.0 * u - 1.0) / k)
        else:
            fixed(FilterCode(name), _FIXED[name](k))
    if len(codes) > MAX_FILTERS:
        raise ValueError(f"the bank has {len(codes)} filters; the limit is {MAX_FILTERS}")
    return FilterBank(tuple(codes), torch.stack(kernels))


# the filters with one kernel, by kind: the kernel of size k
_FIXED: dict[str, Callable[[int], np.ndarray]] = {
    "sobel_x": lambda k: sobel_kernel(k, "x"),
    "sobel_y": lambda k: sobel_kernel(k, "y"),
    "laplacian": laplacian_kernel,
    "gaussian": gaussian_kernel,
    "box": box_kernel,
    "identity": identity_kernel,
}


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
