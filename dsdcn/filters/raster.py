"""Maps as 8-bit images: display ranges, colour maps, PNG bytes, a ZIP of every map, differences."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence

import numpy as np
import torch

from ..geometry import check_int
from .kernels import FilterBank
from .maps import LayerKind, feature_maps
from .run import MapStats

NORMALISATIONS: tuple[str, ...] = ("per_map", "per_filter", "shared")
COLORMAPS: tuple[str, ...] = ("grey", "diverging", "viridis")
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
