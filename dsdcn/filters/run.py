"""A whole run: every filter at every dilation, reduced in blocks to statistics, previews and a detail crop."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F

from ..device import synchronize
from ..geometry import check_int
from .kernels import FilterBank, FilterCode
from .maps import LayerKind, _band_maps, _check_run_args, _map_order, layer_weights

MAX_DILATIONS = 8
# maps are made in bands of whole rows, one dilation's band at most this many bytes, and reduced band by
# band: alive at a time are one band, the same rows at the first dilation (made again for the
# differences) and one block of scratch, never a full-resolution map. On an accelerator, where memory is
# the device's and every op is a launch, the bands are large.
BAND_BYTES = 8 * 2**20
BAND_BYTES_ACCELERATOR = 512 * 2**20
# statistics are reduced in blocks of this many bytes of maps, small enough to stay in cache through
# the fused reductions, or of the large size where that measures faster (an accelerator; a CPU whose
# cores other processes hold, where every parallel op waits for a time slice)
STAT_BLOCK_BYTES = 4 * 2**20
STAT_BLOCK_BYTES_LARGE = 64 * 2**20
STAT_RETRY_SECONDS = 1.0
# display ranges may clip this percentage at each end, estimated on at most this many pixels a channel
CLIP_PERCENT = 0.5
PERCENTILE_PIXELS = 2**17


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

    codes: tuple[FilterCode, ...]
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

    @property
    def labels(self) -> tuple[str, ...]:
        """The filters' plain English names (:attr:`FilterCode.label`)."""
        return tuple(code.label for code in self.codes)


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


def widest_maps(kind: str, channels: int, n_filters: int) -> int:
    """Channels of a run's widest layer of maps: ``C * F`` for depthwise and separable (the separable
    layer's depthwise middle), ``F`` for the others."""
    return n_filters * (channels if kind in ("depthwise", "separable") else 1)


def band_rows(channels: int, height: int, width: int, device_type: str = "cpu") -> int:
    """Rows per band of a run whose widest layer has ``channels`` float32 maps of ``width`` pixels."""
    limit = BAND_BYTES if device_type == "cpu" else BAND_BYTES_ACCELERATOR
    return max(1, min(height, limit // max(1, channels * width * 4)))


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

    The maps are made in bands of rows (:func:`band_rows`) and reduced on the device to statistics (one
    fused pass in cache-sized blocks, the differences to the first dilation included), previews and a
    crop. Alive at a time: one band of maps (about :data:`BAND_BYTES`), the same rows at the first
    dilation and one block of scratch; no full-resolution map is ever held.
    """
    ds = _checked_dilations(x, bank, dilations, padding_mode)
    h, w = int(x.shape[2]), int(x.shape[3])
    m = bank.channels if kind == "depthwise" else 1
    acc = _Reduced.empty(
        len(ds), bank.size, m, preview_size(h, w, preview_side), centre_crop_box(h, w, crop_side)
    )
    weights = tuple(t.to(x.device) if t is not None else None for t in layer_weights(bank, kind))
    layer = _Layer(x, weights, kind, bank.size, m, padding_mode)  # type: ignore[arg-type]
    rows = band_rows(widest_maps(kind, bank.channels, bank.size), h, w, x.device.type)
    blocks = _Blocks(x.device)
    start = time.perf_counter()
    with torch.inference_mode():
        for i, d in enumerate(ds):
            _run_dilation(layer, i, d, ds[0] if i else None, rows, acc, blocks)
    synchronize(x.device)
    return MapRun(
        codes=bank.codes,
        dilations=ds,
        kind=kind,
        height=h,
        width=w,
        map_channels=m,
        preview=acc.preview,
        crop=acc.crop,
        crop_box=acc.crop_box,
        stats=MapStats(*(acc.stat[name] for name in _STATS)),
        conv_seconds=tuple(acc.conv_seconds),
        total_seconds=time.perf_counter() - start,
        device=str(x.device),
        run_id=run_id,
    )


# MapStats' fields in order, by their short names in a run's tables
_STATS = ("min", "max", "mean", "std", "abs", "dmean", "dmax", "low", "high")


def _checked_dilations(
    x: torch.Tensor, bank: FilterBank, dilations: Sequence[int], padding_mode: str
) -> tuple[int, ...]:
    # the run's dilations, each checked against the input, the bank and the padding mode
    ds = tuple(check_int("dilation", d, 1) for d in dilations)
    if not ds:
        raise ValueError("dilations must hold at least one dilation")
    if len(ds) > MAX_DILATIONS:
        raise ValueError(f"at most {MAX_DILATIONS} dilations at once, got {len(ds)}")
    for d in ds:
        _check_run_args(x, bank, d, padding_mode)
    return ds


@dataclass
class _Reduced:
    # what a run keeps of its maps, filled chunk by chunk: float16 previews and crops (D, F, M, ...),
    # statistics (D, F) by short name, convolution seconds per dilation
    preview: np.ndarray
    crop: np.ndarray
    crop_box: tuple[int, int, int, int]
    stat: dict[str, np.ndarray]
    conv_seconds: list[float]

    @classmethod
    def empty(
        cls, n_d: int, n_f: int, m: int, preview_hw: tuple[int, int], crop_box: tuple[int, int, int, int]
    ) -> _Reduced:
        _, _, ch, cw = crop_box
        return cls(
            preview=np.zeros((n_d, n_f, m, *preview_hw), dtype=np.float16),
            crop=np.zeros((n_d, n_f, m, ch, cw), dtype=np.float16),
            crop_box=crop_box,
            stat={name: np.zeros((n_d, n_f)) for name in _STATS},
            conv_seconds=[0.0] * n_d,
        )


@dataclass(frozen=True)
class _Layer:
    # one run's layer on its input: the weights on x's device, the kind, F filters of M map channels
    x: torch.Tensor
    weights: tuple[torch.Tensor, torch.Tensor | None]
    kind: LayerKind
    n_filters: int
    m: int
    padding_mode: str

    def band(self, dilation: int, start: int, stop: int) -> torch.Tensor:
        """Rows ``start..stop`` of the raw maps at ``dilation``: ``(1, n_out, rows, W)``."""
        return _band_maps(self.x, self.weights, self.kind, dilation, self.padding_mode, start, stop)

    def rows(self, dilation: int, start: int, stop: int, band: int) -> torch.Tensor:
        """Rows ``start..stop`` made as a band of ``band`` rows where the image has them: a short last band
        is the last ``band`` rows of the image, cut, so every band has one shape and the chooser times
        one shape per dilation, not two."""
        low = max(0, min(start, int(self.x.shape[2]) - band))  # below start only for the last band
        maps = self.band(dilation, low, stop)
        return maps[:, :, start - low :] if low < start else maps

    def order(self, values: np.ndarray) -> np.ndarray:
        """Per output channel ``(n_out, ...)`` to per map ``(F, M, ...)``."""
        return _map_order(values, self.kind, self.n_filters, self.m)


def _run_dilation(
    layer: _Layer, i: int, d: int, d_ref: int | None, rows: int, acc: _Reduced, blocks: _Blocks
) -> None:
    # the maps at dilation d (the i-th), band by band: convolved (timed), then reduced into acc; the
    # differences read the same rows made again at the first dilation d_ref (None for the first)
    h, w = int(layer.x.shape[2]), int(layer.x.shape[3])
    ph, pw = acc.preview.shape[3:]
    top, left, ch, cw = acc.crop_box
    pool = _RowPool(h, ph, pw)
    step = percentile_step(h, w)
    grid: list[torch.Tensor] = []
    total: dict[str, np.ndarray] | None = None
    for r0 in range(0, h, rows):
        r1 = min(h, r0 + rows)
        synchronize(layer.x.device)
        t0 = time.perf_counter()
        raw = _dense(layer.rows(d, r0, r1, rows))
        synchronize(layer.x.device)
        acc.conv_seconds[i] += time.perf_counter() - t0
        ref = _like(layer.rows(d_ref, r0, r1, rows), raw) if d_ref is not None else None
        part = _moments(raw, ref, blocks)
        total = part if total is None else _merge_moments(total, part)
        del ref
        g0 = -(-r0 // step) * step  # the first row of the percentile grid in this band
        if g0 < r1:  # a copy: no name may keep a view of a band past its step
            grid.append(raw[0, :, g0 - r0 :: step, ::step].clone())
        done = pool.add(raw)
        if done is not None:
            acc.preview[i, :, :, done[0] : done[0] + done[1].shape[1]] = layer.order(_to_half(done[1]))
        a, b = max(top, r0), min(top + ch, r1)
        if a < b:
            acc.crop[i, :, :, a - top : b - top] = layer.order(
                _to_half(raw[0, :, a - r0 : b - r0, left : left + cw])
            )
        del raw
    assert total is not None
    for name, values in _map_stats(total, layer.kind, layer.n_filters, layer.m, h * w).items():
        acc.stat[name][i] = values
    acc.stat["low"][i], acc.stat["high"][i] = _percentiles(
        torch.cat(grid, 1), layer.kind, layer.n_filters, layer.m
    )


def _merge_moments(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    # the moments of two sets of rows (see _moments) as one
    out = {}
    for name, va in a.items():
        if name == "min":
            out[name] = np.minimum(va, b[name])
        elif name in ("max", "dmax"):
            out[name] = np.maximum(va, b[name])
        else:  # sums
            out[name] = va + b[name]
    return out


class _RowPool:
    # area pooling to (ph, pw) of maps that come as bands of rows, top to bottom: the windows of
    # adaptive_avg_pool2d (preview row i averages rows floor(i H / ph) .. ceil((i + 1) H / ph)), each
    # band pooled along W at once and its rows kept until every window that reads them is complete

    def __init__(self, height: int, ph: int, pw: int) -> None:
        self.starts = [i * height // ph for i in range(ph)]
        self.ends = [-(-(i + 1) * height // ph) for i in range(ph)]
        self.pw = pw
        self.next = 0  # the first preview row not yet complete
        self.kept: torch.Tensor | None = None  # (n, rows, pw): pooled along W, from row self.first
        self.first = 0
        self.seen = 0  # rows added so far

    def add(self, band: torch.Tensor) -> tuple[int, torch.Tensor] | None:
        """Take the next rows ``(1, n, r, W)``; return ``(first preview row, (n, rows, pw))`` completed."""
        cols = _area_pool(band, int(band.shape[2]), self.pw)[0]
        parts = [cols] if self.kept is None else [self.kept, cols]
        self.seen += int(band.shape[2])
        i0 = i1 = self.next
        while i1 < len(self.ends) and self.ends[i1] <= self.seen:
            i1 += 1
        done = None
        if i1 > i0:  # each window's mean as a weighted sum of the rows: one small matrix per part
            weights = cols.new_zeros((i1 - i0, self.seen - self.first))
            for i in range(i0, i1):
                weights[i - i0, self.starts[i] - self.first : self.ends[i] - self.first] = 1.0 / (
                    self.ends[i] - self.starts[i]
                )
            done = (i0, _weighted_rows(weights, parts))
        self.next = i1
        self.kept = None
        if i1 < len(self.starts):  # keep the rows the next windows read (a copy, not a view of the band)
            start, before = self.starts[i1], self.seen - int(cols.shape[1])  # before: cols' first row
            if start >= before:
                self.kept = cols[:, start - before :].clone()
            else:  # a window longer than the band: its rows span the kept ones too
                self.kept = torch.cat(parts, 1)[:, start - self.first :]
            self.first = start
        return done


def _weighted_rows(weights: torch.Tensor, parts: list[torch.Tensor]) -> torch.Tensor:
    # weights (k, R) times the rows of parts (each (n, r_j, pw), R rows in all) -> (n, k, pw)
    out, at = None, 0
    for part in parts:
        r = int(part.shape[1])
        term = torch.matmul(weights[:, at : at + r], part)
        out = term if out is None else out.add_(term)
        at += r
    assert out is not None
    return out


def _to_half(t: torch.Tensor) -> np.ndarray:
    return t.clamp(-60000.0, 60000.0).to(torch.float16).cpu().numpy()


def _like(t: torch.Tensor, layout: torch.Tensor) -> torch.Tensor:
    # t in the memory layout of layout (NCHW or channels_last): the chooser may pick an algorithm of the
    # other layout for the first dilation's rows, and |v - ref| over two layouts reads one of them strided
    if layout.is_contiguous():
        return t.contiguous()
    return t.contiguous(memory_format=torch.channels_last)


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


def _percentiles(grid: torch.Tensor, kind: str, n_filters: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    # CLIP_PERCENT and 100 - CLIP_PERCENT percentiles of each map (its M channels pooled), from the
    # maps' values on the percentile grid, (n_out, rows, cols)
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
