"""Values, not only positions: what each tap of a convolution reads, multiplies and adds up.

A small deterministic example on top of :mod:`dsdcn.sampling`: the input holds small integers
(:func:`example_input`), the kernel small integer weights (:func:`example_weight`), and the output is
computed by a real PyTorch call (:func:`torch_output`: ``F.pad`` with the grid's padding mode, then
``F.conv1d`` / ``F.conv2d``). :func:`cell_values` lists, for one output cell, every tap's input
position, padding copy, value, weight and product; their sum equals the torch output.
:func:`pixel_readers` goes the other way: every output cell (and tap) that reads one input pixel.

>>> from dsdcn.sampling import axis_sampling, grid_sampling
>>> g = grid_sampling([axis_sampling(5, kernel_size=2, dilation=2)])
>>> cv = cell_values(g, (0,))
>>> [(t.position, t.value, t.weight) for t in cv.taps], cv.total, cv.output
([((0,), 1.0, 1.0), ((2,), 3.0, 2.0)], 7.0, 7.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F

from .sampling import AxisSampling, GridSampling

# Example values (stated on the page): input x[r, c] = (3·r + c) mod 9 + 1 (1D: r = 0),
# weight w[m_r, m_c] = (m_r·k_c + m_c) mod 4 + 1 (1D: m mod 4 + 1).
INPUT_ROW_STEP, INPUT_MOD = 3, 9
WEIGHT_MOD = 4
# the table's sum and torch's output agree within this (float64, small integers: exact in practice)
TOLERANCE = 1e-9

TapKind = Literal["pixel", "zero", "copy"]
PixelStatus = Literal["read", "hole"]


def example_input(shape: Sequence[int]) -> np.ndarray:
    """The example input, ``(n,)`` or ``(rows, cols)``: ``(3*r + c) % 9 + 1`` (integers 1..9, float64)."""
    if len(shape) not in (1, 2) or any(int(s) < 1 for s in shape):
        raise ValueError(f"shape must be 1 or 2 positive sizes, got {tuple(shape)}")
    if len(shape) == 1:
        return (np.arange(int(shape[0])) % INPUT_MOD + 1).astype(np.float64)
    r = np.arange(int(shape[0]))[:, None]
    c = np.arange(int(shape[1]))[None, :]
    return ((INPUT_ROW_STEP * r + c) % INPUT_MOD + 1).astype(np.float64)


def example_weight(kernel_shape: Sequence[int]) -> np.ndarray:
    """The example kernel, ``(k,)`` or ``(k_r, k_c)``: row-major tap number mod 4, plus 1 (1..4, float64)."""
    if len(kernel_shape) not in (1, 2) or any(int(s) < 1 for s in kernel_shape):
        raise ValueError(f"kernel_shape must be 1 or 2 positive sizes, got {tuple(kernel_shape)}")
    flat = np.arange(int(np.prod(kernel_shape))) % WEIGHT_MOD + 1
    return flat.reshape(tuple(int(s) for s in kernel_shape)).astype(np.float64)


def _torch_pad(grid: GridSampling) -> tuple[int, ...]:
    # F.pad lists the last axis first: (left, right) or (col_left, col_right, row_top, row_bottom)
    out: list[int] = []
    for a in reversed(grid.axes):
        out.extend((a.pad_left, a.pad_right))
    return tuple(out)


def torch_output(grid: GridSampling, x: np.ndarray | None = None, w: np.ndarray | None = None) -> np.ndarray:
    """The convolution's output, shape ``grid.out_shape``, computed by PyTorch (float64).

    ``F.pad`` with the grid's padding and mode (``"zeros"`` is ``"constant"`` 0), then ``F.conv1d`` /
    ``F.conv2d`` with its stride and dilation and no bias. ``x`` and ``w`` default to the examples.
    """
    shape = tuple(a.n for a in grid.axes)
    kernel = tuple(a.kernel_size for a in grid.axes)
    x = example_input(shape) if x is None else np.asarray(x, dtype=np.float64)
    w = example_weight(kernel) if w is None else np.asarray(w, dtype=np.float64)
    if x.shape != shape or w.shape != kernel:
        raise ValueError(f"x must have shape {shape} and w {kernel}, got {x.shape} and {w.shape}")
    xt = torch.from_numpy(x)[None, None]
    wt = torch.from_numpy(w)[None, None]
    mode = "constant" if grid.mode == "zeros" else grid.mode
    pad = _torch_pad(grid)
    padded = F.pad(xt, pad, mode=mode) if any(pad) else xt
    stride = tuple(a.stride for a in grid.axes)
    dilation = tuple(a.dilation for a in grid.axes)
    conv = F.conv1d if grid.ndim == 1 else F.conv2d
    with torch.no_grad():
        y = conv(padded, wt, stride=stride, dilation=dilation)
    return y[0, 0].numpy()


@dataclass(frozen=True)
class TapValue:
    """One tap of one output cell.

    ``m``: kernel position per axis; ``position``: the (padded) input index it reads; ``kind``:
    ``"pixel"`` (inside the input), ``"zero"`` (zero padding) or ``"copy"`` (padding that copies the
    real pixel ``source``; ``source`` is ``None`` for a zero); ``value * weight = product``.
    """

    m: tuple[int, ...]
    position: tuple[int, ...]
    kind: TapKind
    source: tuple[int, ...] | None
    value: float
    weight: float
    product: float


@dataclass(frozen=True)
class CellValues:
    """Every tap of one output cell, the sum of their products (``total``) and torch's output there."""

    position: tuple[int, ...]
    taps: tuple[TapValue, ...]
    total: float
    output: float

    @property
    def matches(self) -> bool:
        """True when the table's sum equals torch's output (within :data:`TOLERANCE`)."""
        return abs(self.total - self.output) <= TOLERANCE * max(1.0, abs(self.output))


def _tap_value(
    grid: GridSampling, m: tuple[int, ...], tap: np.ndarray, src: np.ndarray, x: np.ndarray, w: np.ndarray
) -> TapValue:
    """One row of the table: tap ``m`` at (padded) input ``tap``, reading pixel ``src`` (negative: zero
    padding), its value, weight and product."""
    inside = all(0 <= int(p) < a.n for p, a in zip(tap, grid.axes, strict=True))
    zero = bool((src < 0).any())
    value = 0.0 if zero else float(x[tuple(int(s) for s in src)])
    weight = float(w[m])
    return TapValue(
        m=m,
        position=tuple(int(p) for p in tap),
        kind="pixel" if inside else ("zero" if zero else "copy"),
        source=None if zero else tuple(int(s) for s in src),
        value=value,
        weight=weight,
        product=value * weight,
    )


def _example_or(
    given: np.ndarray | None, example: Callable[[tuple[int, ...]], np.ndarray], shape: tuple[int, ...]
) -> np.ndarray:
    # ``given`` as float64, or the example values of ``shape``
    return example(shape) if given is None else np.asarray(given, dtype=np.float64)


def cell_values(
    grid: GridSampling,
    position: Sequence[int],
    x: np.ndarray | None = None,
    w: np.ndarray | None = None,
    output: np.ndarray | None = None,
) -> CellValues:
    """The per-tap table of output ``position`` (kernel positions row-major, as in the figure).

    ``x`` and ``w`` default to :func:`example_input` and :func:`example_weight`; ``output`` (torch's
    whole output for them) is computed when not given. Raises ``ValueError`` outside the output.
    """
    pos = tuple(int(p) for p in position)
    taps = grid.taps_of(pos)  # raises ValueError outside the output
    sources = grid.sources_of(pos)
    x = _example_or(x, example_input, tuple(a.n for a in grid.axes))
    kernel = tuple(a.kernel_size for a in grid.axes)
    w = _example_or(w, example_weight, kernel)
    y = torch_output(grid, x, w) if output is None else output
    rows = [
        _tap_value(grid, tuple(int(v) for v in np.unravel_index(flat, kernel)), tap, src, x, w)
        for flat, (tap, src) in enumerate(zip(taps, sources, strict=True))
    ]
    return CellValues(
        position=pos, taps=tuple(rows), total=float(sum(r.product for r in rows)), output=float(y[pos])
    )


@dataclass(frozen=True)
class Reader:
    """One read of an input pixel: output cell ``output`` through tap ``m``, at (padded) input index
    ``position`` (the pixel itself, or a padding cell that copies it: ``via_padding``)."""

    output: tuple[int, ...]
    m: tuple[int, ...]
    position: tuple[int, ...]
    via_padding: bool


@dataclass(frozen=True)
class PixelReaders:
    """Every read of one input pixel, outputs row-major then taps row-major.

    ``status``: ``"read"``, or ``"hole"`` when no output reads it (a gap between taps, skipped by the
    stride, or past the last window). ``outputs``: the distinct output cells that read it.
    """

    pixel: tuple[int, ...]
    reads: tuple[Reader, ...]
    status: PixelStatus

    @property
    def outputs(self) -> tuple[tuple[int, ...], ...]:
        """The distinct output cells that read the pixel, row-major."""
        return tuple(dict.fromkeys(r.output for r in self.reads))


def _axis_reads(a: AxisSampling, x: int) -> list[tuple[int, int, int]]:
    """Per axis: (output index, tap m, padded position) of every tap whose value is pixel ``x``."""
    hit = np.argwhere(a.tap_source == x)
    return [(int(i), int(m), int(a.taps[i, m])) for i, m in hit]


def pixel_readers(grid: GridSampling, pixel: Sequence[int]) -> PixelReaders:
    """Every output cell and tap that reads input ``pixel`` (directly or through a padding copy).

    In 2D an output reads pixel ``(r, c)`` when its row taps read ``r`` and its column taps read ``c``
    (the kernel is their cross product). Raises ``ValueError`` for a pixel outside the input.
    """
    px = tuple(int(p) for p in pixel)
    if len(px) != grid.ndim or not all(0 <= p < a.n for p, a in zip(px, grid.axes, strict=True)):
        raise ValueError(f"pixel {tuple(pixel)} is outside the input {tuple(a.n for a in grid.axes)}")
    per_axis = [_axis_reads(a, p) for a, p in zip(grid.axes, px, strict=True)]
    reads: list[Reader] = []
    if grid.ndim == 1:
        reads = [Reader((i,), (m,), (q,), q != px[0]) for i, m, q in per_axis[0]]
    else:
        for i, mr, qr in per_axis[0]:
            for j, mc, qc in per_axis[1]:
                reads.append(Reader((i, j), (mr, mc), (qr, qc), (qr, qc) != px))
    reads.sort(key=lambda r: (r.output, r.m))
    return PixelReaders(pixel=px, reads=tuple(reads), status="read" if reads else "hole")
