"""Where a stack's field lies, how it forms layer by layer, and views of it small enough to draw.

Offsets are input positions relative to the output's own position ``i*j_L`` (in input pixels): the
field of a stack with effective padding ``P`` starts at ``-P``; a causal 1D stack (each layer pads
``d*(k-1)`` on the left only) sees ``-(r-1) .. 0``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .geometry import check_int
from .receptive import RF, Layer, coverage_steps, receptive_field

# Largest extent per axis the page analyses exactly (1D path counts of this length).
MAX_EXTENT = 1 << 22
# Largest number of element additions spent on the path counts of all the prefixes of a stack.
MAX_WORK = 200_000_000


def field_start(layers: Iterable[Layer], causal: bool = False) -> int:
    """Offset of the first input pixel of the field, relative to the output's position."""
    rf = receptive_field(layers)
    if not rf:
        return 0
    return -(rf[-1].size - 1) if causal else -rf[-1].padding


def check_extent(layers: Iterable[Layer], limit: int = MAX_EXTENT, max_work: int = MAX_WORK) -> list[RF]:
    """``receptive_field(layers)``, or ``ValueError`` when the extent exceeds ``limit`` pixels or the
    path counts would take more than ``max_work`` element additions (``sum_l k_l * r_l``)."""
    stack = list(layers)
    rf = receptive_field(stack)
    if rf and rf[-1].size > limit:
        raise ValueError(
            f"the receptive field spans {rf[-1].size:,} input pixels, more than the {limit:,} this page "
            f"computes exactly; use fewer strided layers, smaller strides or smaller dilations"
        )
    work = sum(layer.kernel_size * r.size for layer, r in zip(stack, rf, strict=True))
    if work > max_work:
        raise ValueError(
            f"counting the paths of this stack takes {work:,} additions, more than the {max_work:,} this "
            f"page allows; use fewer layers, smaller kernels or smaller dilations"
        )
    return rf


def _prefix_counts(stack: Sequence[Layer]) -> Iterator[np.ndarray]:
    """Path counts after each layer, in one pass (the same recurrence as ``dsdcn.coverage``).

    int64 (exact) while the product of kernel sizes stays below ``2**62``, else float64: the
    counts are then rounded, but a count is never rounded to zero, so the holes stay exact.
    """
    bound = 1
    for layer in stack:
        bound *= layer.kernel_size
    yield from coverage_steps(stack, np.int64 if bound < 2**62 else np.float64)


def path_counts(layers: Iterable[Layer]) -> np.ndarray:
    """``dsdcn.coverage`` in int64 when it fits, else float64 (never Python ints: fast at any size)."""
    counts = np.ones(1, dtype=np.int64)
    for counts in _prefix_counts(list(layers)):  # noqa: B007
        pass
    return counts


@dataclass(frozen=True)
class Field:
    """Path counts of one output over its field (1D) and where the field starts (offset)."""

    start: int
    counts: np.ndarray

    @property
    def stop(self) -> int:
        """One past the last offset."""
        return self.start + int(self.counts.size)

    @property
    def holes(self) -> int:
        """Offsets in the extent reached by no path."""
        return int(np.count_nonzero(self.counts == 0))

    @property
    def holes_2d(self) -> int:
        """Holes of the square field (outer product): ``r^2 - (r - h)^2``."""
        r, h = int(self.counts.size), self.holes
        return r * r - (r - h) * (r - h)


def stack_field(layers: Iterable[Layer], causal: bool = False) -> Field:
    """The field of the whole stack: ``path_counts`` placed at ``field_start``."""
    stack = list(layers)
    return Field(field_start(stack, causal), path_counts(stack))


def _prefix_starts(stack: Sequence[Layer], causal: bool) -> list[int]:
    rf = receptive_field(stack)
    return [-(r.size - 1) if causal else -r.padding for r in rf]


def _prefix_fields(stack: Sequence[Layer], causal: bool) -> Iterator[Field]:
    for start, counts in zip(_prefix_starts(stack, causal), _prefix_counts(stack), strict=True):
        yield Field(start, counts)


def prefix_fields(layers: Iterable[Layer], causal: bool = False) -> list[Field]:
    """The field after each layer: entry ``l`` is the field of the first ``l+1`` layers."""
    return list(_prefix_fields(list(layers), causal))


def union_field(fields: Sequence[Field]) -> Field:
    """Fields of parallel branches read by one output: path counts add up (offsets aligned)."""
    if not fields:
        raise ValueError("fields must not be empty")
    start = min(f.start for f in fields)
    stop = max(f.stop for f in fields)
    kinds = {f.counts.dtype.kind for f in fields}
    dtype = object if "O" in kinds else np.float64 if "f" in kinds else np.int64
    total = np.zeros(stop - start, dtype=dtype)
    for f in fields:
        total[f.start - start : f.stop - start] += f.counts
    return Field(start, total)


@dataclass(frozen=True)
class Branch:
    """One parallel branch (ASPP): its rate, the gap between its taps in input pixels
    (``rate * j`` of the backbone), the whole stack through it and its field."""

    rate: int
    tap_gap: int
    layers: tuple[Layer, ...]
    field: Field

    @property
    def holes(self) -> int:
        """Offsets in the extent reached by no path (1D)."""
        return self.field.holes


def branch_fields(backbone: Sequence[Layer], rates: Sequence[int], kernel_size: int = 3) -> list[Branch]:
    """Each branch = the backbone then a ``k x k`` conv at dilation ``rate`` with "same" padding."""
    k = check_int("kernel_size", kernel_size, 1)
    rf = receptive_field(backbone)
    jump = rf[-1].stride if rf else 1
    out = []
    for rate in rates:
        r = check_int("rate", rate, 1)
        layers = (*backbone, Layer(k, 1, r, r * (k - 1) // 2))
        check_extent(layers)
        out.append(Branch(r, r * jump, layers, stack_field(layers)))
    return out


@dataclass(frozen=True)
class FieldView:
    """A field on a drawing grid of ``cells`` cells of ``block`` input pixels, from offset ``start``.

    ``level`` is ``log10`` of the mean path count of the reached pixels of a cell (NaN where none is
    reached), ``hole`` marks cells inside the field whose pixels are all holes, ``inside`` cells
    that overlap the field.
    """

    start: int
    block: int
    level: np.ndarray
    hole: np.ndarray
    inside: np.ndarray

    @property
    def centres(self) -> np.ndarray:
        """Offset of each cell's centre (input pixels)."""
        return self.start + self.block * np.arange(self.level.size) + (self.block - 1) / 2

    def level_2d(self) -> np.ndarray:
        """``log10`` path counts of the square field (outer product): NaN outside and at holes."""
        return self.level[:, None] + self.level[None, :]

    def hole_2d(self) -> np.ndarray:
        """Cells inside the square field that no path reaches."""
        inside = self.inside[:, None] & self.inside[None, :]
        return inside & (self.hole[:, None] | self.hole[None, :])


def grid_for(start: int, stop: int, max_cells: int) -> tuple[int, int, int]:
    """Drawing grid over offsets ``[start, stop)``: ``(start, block, cells)`` with ``cells <= max_cells``."""
    check_int("max_cells", max_cells, 1)
    span = stop - start
    block = max(1, math.ceil(span / max_cells))
    return start, block, math.ceil(span / block)


def field_view(field: Field, grid: tuple[int, int, int]) -> FieldView:
    """Draw ``field`` on ``grid`` (from ``grid_for``); the grid must contain the field."""
    start, block, cells = grid
    if field.start < start or field.stop > start + block * cells:
        raise ValueError("grid must contain the field")
    total = block * cells
    counts = np.zeros(total, dtype=np.float64)
    inside = np.zeros(total, dtype=bool)
    lo = field.start - start
    counts[lo : lo + field.counts.size] = field.counts.astype(np.float64)
    inside[lo : lo + field.counts.size] = True
    counts = counts.reshape(cells, block)
    inside = inside.reshape(cells, block)
    reached = counts > 0
    n_reached = reached.sum(axis=1)
    sums = counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        level = np.where(n_reached > 0, np.log10(sums / np.maximum(n_reached, 1)), np.nan)
    cell_inside = inside.any(axis=1)
    return FieldView(start, block, level, cell_inside & (n_reached == 0), cell_inside)


def layer_views(
    layers: Sequence[Layer], causal: bool = False, max_cells: int = 201, indices: Sequence[int] | None = None
) -> list[FieldView]:
    """The field after each layer (or after the layers ``indices``, from 0), all on one drawing grid
    that holds every prefix's field (for an animation). One pass; only the drawn views are kept."""
    stack = list(layers)
    if not stack:
        return []
    rf = receptive_field(stack)
    starts = _prefix_starts(stack, causal)
    start = min(starts)
    stop = max(s0 + r.size for s0, r in zip(starts, rf, strict=True))
    grid = grid_for(start, stop, max_cells)
    wanted = set(range(len(stack)) if indices is None else indices)
    return [field_view(f, grid) for i, f in enumerate(_prefix_fields(stack, causal)) if i in wanted]


def bin_mean(values: np.ndarray, block: int) -> np.ndarray:
    """Mean over ``block``-wide cells along every axis (the last cell may be partial).

    >>> bin_mean(np.arange(5.0), 2).tolist()
    [0.5, 2.5, 4.0]
    """
    b = check_int("block", block, 1)
    arr = np.asarray(values, dtype=np.float64)
    if b == 1:
        return arr.copy()
    for axis in range(arr.ndim):
        n = arr.shape[axis]
        cells = math.ceil(n / b)
        pad = [(0, 0)] * arr.ndim
        pad[axis] = (0, cells * b - n)
        padded = np.pad(arr, pad, constant_values=np.nan)
        shape = list(padded.shape)
        shape[axis : axis + 1] = [cells, b]
        arr = np.nanmean(padded.reshape(shape), axis=axis + 1)
    return arr


@dataclass(frozen=True)
class GrowthRow:
    """One layer of the growth table: the layer, its effective kernel, the jump ``j_{l-1}`` it sees,
    the term ``d (k-1) j_{l-1}`` it adds, the field after it (extent, stride, padding) and its holes."""

    index: int
    layer: Layer
    effective_kernel: int
    jump_in: int
    term: int
    rf: RF
    holes: int


def growth_table(layers: Sequence[Layer]) -> list[GrowthRow]:
    """Per layer: ``r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}`` term by term, with exact hole counts."""
    stack = list(layers)
    rf = receptive_field(stack)
    rows = []
    for i, (layer, counts) in enumerate(zip(stack, _prefix_counts(stack), strict=True)):
        jump_in = rf[i - 1].stride if i else 1
        holes = int(np.count_nonzero(counts == 0))
        term = layer.dilation * (layer.kernel_size - 1) * jump_in
        rows.append(GrowthRow(i + 1, layer, layer.effective_kernel_size, jump_in, term, rf[i], holes))
    return rows


def frame_indices(n: int, max_frames: int) -> list[int]:
    """At most ``max_frames`` indices of ``0..n-1``, evenly spread, always with the last one.

    >>> frame_indices(10, 4)
    [0, 3, 6, 9]
    """
    check_int("n", n, 0)
    m = check_int("max_frames", max_frames, 1)
    if n <= m:
        return list(range(n))
    picks = {round(i * (n - 1) / (m - 1)) for i in range(m)} if m > 1 else {n - 1}
    return sorted(picks)


def normalized_profile(values: np.ndarray, block: int = 1) -> np.ndarray:
    """``values`` averaged over ``block``-wide cells and scaled so the largest cell is 1.

    >>> normalized_profile(np.array([1, 2, 4, 0]), 2).tolist()
    [0.75, 1.0]
    """
    binned = bin_mean(np.asarray(values, dtype=np.float64), block)
    top = float(np.nanmax(binned)) if binned.size else 0.0
    return binned / top if top > 0 else binned


MAX_BRANCHES = 8


def _signatures(fields: Sequence[Field], start: int, total: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Per offset, a bit per field set where that field reaches it; and each field's counts on the span."""
    if not 1 <= len(fields) <= MAX_BRANCHES:
        raise ValueError(f"fields must hold 1 to {MAX_BRANCHES} fields, got {len(fields)}")
    sig = np.zeros(total, dtype=np.int64)
    counts = []
    for b, f in enumerate(fields):
        c = np.zeros(total, dtype=np.float64)
        lo = f.start - start
        if lo < 0 or lo + f.counts.size > total:
            raise ValueError("the span must contain every field")
        c[lo : lo + f.counts.size] = f.counts.astype(np.float64)
        sig |= (c > 0).astype(np.int64) << b
        counts.append(c)
    return sig, counts


def _reach_matrix(n_fields: int) -> np.ndarray:
    # pixel (x, y) is reached by some square field b exactly when bit b is set in both signatures
    s = np.arange(2**n_fields)
    return ((s[:, None] & s[None, :]) != 0).astype(np.float64)


def union_holes_2d(fields: Sequence[Field]) -> int:
    """Holes of parallel square fields read together (ASPP), in 2D, over their bounding square.

    Pixel ``(x, y)`` is reached when some field reaches both ``x`` and ``y``: the union is a sum of
    outer products, not one outer product, so its 2D holes do not follow from its 1D ones.
    """
    union = union_field(fields)
    sig, _ = _signatures(fields, union.start, union.counts.size)
    hist = np.bincount(sig, minlength=2 ** len(fields)).astype(np.float64)
    reached = int(round(float(hist @ _reach_matrix(len(fields)) @ hist)))
    return union.counts.size**2 - reached


def union_view_2d(fields: Sequence[Field], grid: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The union of square fields on a drawing grid: ``(level, hole)``, both ``(cells, cells)``.

    ``level`` is ``log10`` of the mean path count over the reached pixels of a cell (NaN where none
    is), ``hole`` marks cells inside the bounding square of the fields with no reached pixel.
    Exact for any extent: cells are counted through the fields' reach signatures.
    """
    start, block, cells = grid
    total = block * cells
    sig, counts = _signatures(fields, start, total)
    k = 2 ** len(fields)
    hist = np.zeros((cells, k), dtype=np.float64)
    np.add.at(hist, (np.repeat(np.arange(cells), block), sig), 1.0)
    reached = hist @ _reach_matrix(len(fields)) @ hist.T
    sums = sum(
        np.outer(c.reshape(cells, block).sum(axis=1), c.reshape(cells, block).sum(axis=1)) for c in counts
    )
    union = union_field(fields)
    span = np.zeros(total, dtype=bool)
    span[union.start - start : union.stop - start] = True
    inside = span.reshape(cells, block).any(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        level = np.where(reached > 0, np.log10(sums / np.maximum(reached, 1)), np.nan)
    hole = (inside[:, None] & inside[None, :]) & (reached == 0)
    return level, hole
