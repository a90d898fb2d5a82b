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
from .maps import LayerKind, _check_run_args, _map_order, _raw_maps

MAX_DILATIONS = 8
# outputs are computed in chunks of filters so one chunk's maps stay below this many bytes (96 MB: a
# 2048² run of 8 filters peaks at 544 MB above the image instead of 1,615 MB with 256 MB chunks for
# depthwise, 340 instead of 971 for separable: python bench/bench_image_lab.py --memory)
CHUNK_BYTES = 96 * 2**20
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
    ds = _checked_dilations(x, bank, dilations, padding_mode)
    h, w = int(x.shape[2]), int(x.shape[3])
    m = bank.channels if kind == "depthwise" else 1
    acc = _Reduced.empty(
        len(ds), bank.size, m, preview_size(h, w, preview_side), centre_crop_box(h, w, crop_side)
    )
    chunk = _chunk_filters(bank, kind, h, w)
    blocks = _Blocks(x.device)
    start = time.perf_counter()
    with torch.inference_mode():
        for f0 in range(0, bank.size, chunk):
            _run_chunk(
                x, bank.select(f0, min(f0 + chunk, bank.size)), f0, kind, ds, padding_mode, acc, blocks
            )
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


def _run_chunk(
    x: torch.Tensor,
    sub: FilterBank,
    f0: int,
    kind: LayerKind,
    ds: tuple[int, ...],
    padding_mode: str,
    acc: _Reduced,
    blocks: _Blocks,
) -> None:
    # filters f0 : f0 + sub.size at every dilation: convolved (timed), then reduced into acc
    rows = slice(f0, f0 + sub.size)
    m = acc.preview.shape[2]
    ph, pw = acc.preview.shape[3:]
    top, left, ch, cw = acc.crop_box
    h, w = int(x.shape[2]), int(x.shape[3])
    reference: torch.Tensor | None = None
    for i, d in enumerate(ds):
        synchronize(x.device)
        t0 = time.perf_counter()
        raw = _raw_maps(x, sub, kind, d, padding_mode)
        synchronize(x.device)
        acc.conv_seconds[i] += time.perf_counter() - t0
        raw = _dense(raw)
        moments = _moments(raw, reference, blocks)
        for name, values in _map_stats(moments, kind, sub.size, m, h * w).items():
            acc.stat[name][i, rows] = values
        acc.stat["low"][i, rows], acc.stat["high"][i, rows] = _percentiles(raw, kind, sub.size, m)
        acc.preview[i, rows] = _map_order(_to_half(_area_pool(raw, ph, pw)[0]), kind, sub.size, m)
        # no name may keep a view of raw past this step: it would hold the whole chunk while the next
        # dilation's maps are made (one more chunk alive: 96 MB at 2048²)
        acc.crop[i, rows] = _map_order(_to_half(raw[0, :, top : top + ch, left : left + cw]), kind, sub.size, m)
        if reference is None:
            reference = raw
        del raw


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
