"""Where a convolution reads, cell by cell: taps, padding cells and the pixels no output reaches.

Built on :mod:`dsdcn.geometry` (PyTorch's conventions). One :class:`AxisSampling` per spatial axis;
:class:`GridSampling` combines one axis (1D) or two axes (2D, rows then columns): in 2D output
``(i, j)`` reads the row taps of ``i`` crossed with the column taps of ``j``, kernel positions in
row-major order (``flat = m_row * k_cols + m_col``).

>>> ax = axis_sampling(7, kernel_size=3, dilation=2)
>>> ax.out, ax.k_eff, ax.taps[0].tolist()
(3, 5, [0, 2, 4])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .geometry import (
    Padding,
    PaddingMode,
    check_int,
    check_padding_mode,
    effective_kernel_size,
    output_size,
    padding_source,
    resolve_padding,
)

Problem = Literal["kernel_too_wide", "reflect_padding_too_wide", "circular_padding_too_wide"]


@dataclass(frozen=True, eq=False)
class AxisSampling:
    """Sampling along one axis (all arrays are numpy ``int64`` or ``bool``).

    ``taps[i, m]`` is the input index read by tap ``m`` of output ``i`` (outside ``[0, n)`` it reads
    padding); ``tap_source`` the real pixel that tap's value comes from (``-1``: a zero);
    ``padded`` the indices ``-pad_left .. n + pad_right - 1`` and ``source`` what each of them holds;
    ``reached[x]`` says whether input pixel ``x`` reaches any output (directly or through a padding copy).
    """

    n: int
    kernel_size: int
    stride: int
    dilation: int
    pad_left: int
    pad_right: int
    mode: str
    taps: np.ndarray
    tap_source: np.ndarray
    padded: np.ndarray
    source: np.ndarray
    reached: np.ndarray

    @property
    def k_eff(self) -> int:
        """Effective kernel size ``d*(k-1) + 1``."""
        return self.dilation * (self.kernel_size - 1) + 1

    @property
    def out(self) -> int:
        """Number of outputs."""
        return int(self.taps.shape[0])

    @property
    def padded_size(self) -> int:
        """``n + pad_left + pad_right``."""
        return self.n + self.pad_left + self.pad_right

    @property
    def numerator(self) -> int:
        """``n + p_l + p_r - d*(k-1) - 1``, the part of the output-size formula divided by the stride."""
        return self.padded_size - self.k_eff

    @property
    def in_padding(self) -> np.ndarray:
        """``(out, k)`` mask of taps that read padding."""
        return (self.taps < 0) | (self.taps >= self.n)

    @property
    def padding_taps_per_output(self) -> np.ndarray:
        """Number of taps in padding, per output."""
        return self.in_padding.sum(axis=1)

    @property
    def unread(self) -> int:
        """Input pixels whose value reaches no output."""
        return int(self.n - self.reached.sum())

    @property
    def stride_skips(self) -> bool:
        """True when the stride jumps further than a window is wide (``s > k_eff``): inputs between
        consecutive windows are skipped."""
        return self.stride > self.k_eff

    @property
    def read_every(self) -> int:
        """Taps land only on every ``g``-th input, ``g = gcd(s, d)`` (``g = s`` for a 1-tap kernel)."""
        return self.stride if self.kernel_size == 1 else math.gcd(self.stride, self.dilation)

    def unread_kinds(self) -> dict[str, int]:
        """Unread input pixels by where they lie: ``"gap"`` inside some window's span (between its
        taps), ``"between"`` between two windows, ``"edge"`` before the first or after the last window."""
        x = np.flatnonzero(~self.reached)
        first = self.taps[:, 0]
        inside = ((x[:, None] >= first[None, :]) & (x[:, None] <= first[None, :] + self.k_eff - 1)).any(
            axis=1
        )
        outside = (x < first[0]) | (x > first[-1] + self.k_eff - 1)
        return {
            "gap": int(inside.sum()),
            "between": int((~inside & ~outside).sum()),
            "edge": int((~inside & outside).sum()),
        }

    @property
    def edge_leftover(self) -> int:
        """Padded inputs left over at the end because one more stride does not fit: ``numerator mod s``."""
        return self.numerator % self.stride


def sampling_problem(
    n: int, kernel_size: int, padding: Padding, dilation: int, mode: PaddingMode
) -> Problem | None:
    """Why these settings give no convolution, or ``None`` when they do.

    ``"kernel_too_wide"``: the dilated kernel is wider than the padded input (no output);
    ``"reflect_padding_too_wide"`` / ``"circular_padding_too_wide"``: PyTorch refuses this padding
    for this input size. Arguments out of range raise ``ValueError``.
    """
    n = check_int("n (input size)", n, 1)
    k_eff = effective_kernel_size(kernel_size, dilation)
    left, right = resolve_padding(padding, kernel_size, dilation)
    if k_eff > n + left + right:
        return "kernel_too_wide"
    try:
        check_padding_mode(mode, n, (left, right))
    except ValueError:
        if mode == "reflect":
            return "reflect_padding_too_wide"
        if mode == "circular":
            return "circular_padding_too_wide"
        raise
    return None


def largest_dilation(n: int, kernel_size: int, padding: Padding, mode: PaddingMode, limit: int) -> int:
    """Largest dilation in ``1..limit`` with no :func:`sampling_problem`; 0 when none fits."""
    best = 0
    for d in range(1, check_int("limit", limit, 1) + 1):
        if sampling_problem(n, kernel_size, padding, d, mode) is None:
            best = d
    return best


def largest_kernel(n: int, dilation: int, padding: Padding, mode: PaddingMode, limit: int) -> int:
    """Largest kernel size in ``1..limit`` with no :func:`sampling_problem`; 0 when none fits."""
    best = 0
    for k in range(1, check_int("limit", limit, 1) + 1):
        if sampling_problem(n, k, padding, dilation, mode) is None:
            best = k
    return best


def smallest_input(kernel_size: int, dilation: int, padding: Padding, mode: PaddingMode, limit: int) -> int:
    """Smallest input size in ``1..limit`` with no :func:`sampling_problem`; 0 when none fits."""
    for n in range(1, check_int("limit", limit, 1) + 1):
        if sampling_problem(n, kernel_size, padding, dilation, mode) is None:
            return n
    return 0


def axis_sampling(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: Padding = 0,
    dilation: int = 1,
    mode: PaddingMode = "zeros",
) -> AxisSampling:
    """Every tap and padding cell of a convolution along one axis.

    Raises ``ValueError`` for settings with a :func:`sampling_problem` (check it first to explain).
    """
    out = output_size(n, kernel_size, stride, padding, dilation)
    left, right = resolve_padding(padding, kernel_size, dilation)
    check_padding_mode(mode, n, (left, right))
    starts = np.arange(out, dtype=np.int64) * stride - left
    taps = starts[:, None] + dilation * np.arange(kernel_size, dtype=np.int64)[None, :]
    tap_source = padding_source(taps, n, mode)
    padded = np.arange(-left, n + right, dtype=np.int64)
    reached = np.zeros(n, dtype=bool)
    hit = tap_source[tap_source >= 0]
    reached[hit] = True
    return AxisSampling(
        n=int(n),
        kernel_size=int(kernel_size),
        stride=int(stride),
        dilation=int(dilation),
        pad_left=left,
        pad_right=right,
        mode=mode,
        taps=taps,
        tap_source=tap_source,
        padded=padded,
        source=padding_source(padded, n, mode),
        reached=reached,
    )


@dataclass(frozen=True, eq=False)
class GridSampling:
    """Sampling over one axis (1D) or two axes (2D: rows, then columns)."""

    axes: tuple[AxisSampling, ...]

    def __post_init__(self) -> None:
        if len(self.axes) not in (1, 2):
            raise ValueError(f"axes must hold 1 (1D) or 2 (2D) AxisSampling, got {len(self.axes)}")
        modes = {a.mode for a in self.axes}
        if len(modes) != 1:
            raise ValueError(f"all axes must share one padding mode, got {sorted(modes)}")

    @property
    def ndim(self) -> int:
        """1 or 2."""
        return len(self.axes)

    @property
    def mode(self) -> str:
        """The padding mode."""
        return self.axes[0].mode

    @property
    def out_shape(self) -> tuple[int, ...]:
        """Output size per axis."""
        return tuple(a.out for a in self.axes)

    @property
    def n_outputs(self) -> int:
        """Number of output positions."""
        return int(np.prod(self.out_shape))

    @property
    def n_taps(self) -> int:
        """Taps per output (``k`` or ``k_rows * k_cols``)."""
        return int(np.prod([a.kernel_size for a in self.axes]))

    def unravel(self, flat: int) -> tuple[int, ...]:
        """Output position of a row-major flat output index."""
        flat = check_int("output index", flat, 0)
        if flat >= self.n_outputs:
            raise ValueError(f"output index must be below {self.n_outputs}, got {flat}")
        return tuple(int(v) for v in np.unravel_index(flat, self.out_shape))

    def taps_of(self, position: Sequence[int]) -> np.ndarray:
        """Input position read by each tap of one output, shape ``(n_taps, ndim)``, kernel row-major."""
        if len(position) != self.ndim:
            raise ValueError(f"position must have {self.ndim} coordinates, got {tuple(position)}")
        per_axis = []
        for a, i in zip(self.axes, position, strict=True):
            if not 0 <= int(i) < a.out:
                raise ValueError(f"output position {tuple(position)} is outside the output {self.out_shape}")
            per_axis.append(a.taps[int(i)])
        grids = np.meshgrid(*per_axis, indexing="ij")
        return np.stack([g.ravel() for g in grids], axis=1)

    def sources_of(self, position: Sequence[int]) -> np.ndarray:
        """Real pixel each tap of one output copies, ``(n_taps, ndim)``; a row of ``-1`` reads a zero."""
        taps = self.taps_of(position)
        src = np.stack([padding_source(taps[:, i], a.n, a.mode) for i, a in enumerate(self.axes)], axis=1)
        src[(src < 0).any(axis=1)] = -1
        return src

    def padding_taps_of(self, position: Sequence[int]) -> int:
        """Taps of one output that read padding."""
        taps = self.taps_of(position)
        inside = np.ones(len(taps), dtype=bool)
        for i, a in enumerate(self.axes):
            inside &= (taps[:, i] >= 0) & (taps[:, i] < a.n)
        return int((~inside).sum())

    @property
    def padding_taps(self) -> int:
        """Taps reading padding, summed over every output."""
        total = self.n_outputs * self.n_taps
        inside = 1
        for a in self.axes:
            inside *= int((a.kernel_size - a.padding_taps_per_output).sum())
        return total - inside

    @property
    def reached(self) -> np.ndarray:
        """Mask over the input: pixels whose value reaches some output (outer product of the axes)."""
        if self.ndim == 1:
            return self.axes[0].reached.copy()
        return np.outer(self.axes[0].reached, self.axes[1].reached)

    @property
    def unread_share(self) -> float:
        """Share of input pixels that no output reads."""
        return float(1.0 - self.reached.mean())


def grid_sampling(axes: Sequence[AxisSampling]) -> GridSampling:
    """Combine one (1D) or two (2D: rows, columns) :class:`AxisSampling`."""
    return GridSampling(axes=tuple(axes))


def frame_outputs(n_outputs: int, max_frames: int) -> np.ndarray:
    """Row-major flat output indices to animate: all of them, or ``max_frames`` evenly spread
    (first and last included) when there are more."""
    n_outputs = check_int("n_outputs", n_outputs, 1)
    max_frames = check_int("max_frames", max_frames, 1)
    if n_outputs <= max_frames:
        return np.arange(n_outputs, dtype=np.int64)
    if max_frames == 1:
        return np.zeros(1, dtype=np.int64)
    return np.unique(np.round(np.linspace(0, n_outputs - 1, max_frames)).astype(np.int64))
