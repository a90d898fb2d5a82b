"""The sampling-grid figure: a kernel's taps over the (padded) input and the output filling in.

One builder, :func:`sampling_figure`, for 1D and 2D, animated (one frame per output position, or a
bounded number of them) or static (one chosen output); :func:`sampling_panels` puts several grids (the
compare view) in one figure whose single set of frames, Play and slider move them together, aligned by
output position (:func:`compare_frames`). Frames are plain dicts that update only the
traces that move; the numbered taps of each frame live in the trace named ``"tap numbers"``
(``x`` = column, ``y`` = row in 2D, ``text`` = kernel position, row-major).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from ..sampling import GridSampling, frame_outputs
from ..sampling_values import PixelReaders
from .theme import STANDARD, Theme, themed

COLORS: dict[str, str] = {
    "pixel": "#dfe7f2",
    "unread": "#f4c7c3",
    "pad_zero": "#bdbdbd",
    "pad_copy": "#cdb8e6",
    "tap": "#e4572e",
    "tap_pad": "#7b2cbf",
    "window": "#e4572e",
    "copy": "#7b2cbf",
    "pending": "#eeeeee",
    "done": "#8fbfe0",
    "current": "#e4572e",
    "text": "#1f1f1f",
}

LABELS: dict[str, str] = {
    "input": "input",
    "output": "output",
    "input_row": "input",
    "output_row": "output",
    "col": "column",
    "play": "▶ Play",
    "pause": "❚❚ Pause",
    "slider": "output ",
    "hover_pixel_1d": "input x%{x}<extra></extra>",
    "hover_pixel_2d": "input pixel (row %{y}, col %{x})<extra></extra>",
    "hover_zero_1d": "padding at %{x}: reads 0<extra></extra>",
    "hover_zero_2d": "padding (row %{y}, col %{x}): reads 0<extra></extra>",
    "hover_copy_1d": "padding at %{x}: copies x%{customdata[0]}<extra></extra>",
    "hover_copy_2d": "padding (row %{y}, col %{x}): copies pixel (%{customdata[0]}, %{customdata[1]})<extra></extra>",
    "hover_tap_1d": "tap %{text} reads %{x}<extra></extra>",
    "hover_tap_2d": "tap %{text} reads (row %{y}, col %{x})<extra></extra>",
    "hover_out_1d": (
        "output %{customdata[0]}<br>reads inputs %{customdata[1]} to %{customdata[2]} in steps of {d}"
        "<br>%{customdata[3]} taps in padding<extra></extra>"
    ),
    "hover_out_2d_short": "output (row %{y}, col %{x})<extra></extra>",
    "hover_out_2d": (
        "output (row %{y}, col %{x})<br>reads rows %{customdata[0]} to %{customdata[1]} in steps of {dr}"
        "<br>and columns %{customdata[2]} to %{customdata[3]} in steps of {dc}"
        "<br>%{customdata[4]} taps in padding<extra></extra>"
    ),
}

MAX_FRAMES = 100
MAX_COPY_LINES = 24  # more padding taps than this: outline the copied pixels, no lines
MIN_TAP_PX = 5.0  # half width of a drawn tap, at least (taps stay visible on huge grids)
MAX_OUTPUT_HOVER = 4096  # larger outputs hover with their position only (keeps the JSON small)
TAP_CELL_BUDGET = 6000  # frames x taps: bounds the JSON of a large animation
HALF = 0.42  # half side of a drawn tap cell (cells are 1 wide)
MIN_CELL_PX = 1.0  # 2D cells may be this small: large grids fit the width instead of spilling past it
LABEL_GAP_PX = 44.0  # 2D: between input and output, at least room for three-digit row numbers
FONT = 16


def frame_budget(n_taps: int) -> int:
    """How many frames an animation with ``n_taps`` taps per output may have (24 to 100)."""
    return int(min(MAX_FRAMES, max(24, TAP_CELL_BUDGET // max(1, n_taps))))


def done_before(grid: GridSampling, position: Sequence[int]) -> int:
    """How many outputs of ``grid`` come before ``position`` in row-major order (``position`` may lie
    outside ``grid``'s output: the outputs of earlier rows, and the earlier ones of its row, count)."""
    done, inside = 0, True
    for p, size in zip(position, grid.out_shape, strict=True):
        done *= size
        if inside:
            done += min(int(p), size)
            inside = int(p) < size
    return done


def compare_frames(
    grids: Sequence[GridSampling], max_frames: int | None = None
) -> list[tuple[int | None, ...]]:
    """The frames of panels that move together, aligned by output position: for each frame, the flat
    output index each panel shows, or ``None`` where a panel has no output at that position.

    The frames are the positions :func:`~dsdcn.sampling.frame_outputs` picks in the panel with the most
    outputs (at most ``max_frames``, default :func:`frame_budget` of all panels' taps together); every
    panel shows the same (row, column), so the windows start at the same input place and a panel with
    fewer outputs (a wider window that no longer fits) shows none there.
    """
    if not grids:
        raise ValueError("at least one panel is needed")
    if len({g.ndim for g in grids}) != 1:
        raise ValueError("the panels must all be 1D or all be 2D")
    lead = max(grids, key=lambda g: g.n_outputs)
    limit = frame_budget(sum(g.n_taps for g in grids)) if max_frames is None else int(max_frames)
    out = []
    for flat in frame_outputs(lead.n_outputs, limit).tolist():
        pos = lead.unravel(flat)
        out.append(
            tuple(
                int(np.ravel_multi_index(pos, g.out_shape))
                if all(p < o for p, o in zip(pos, g.out_shape, strict=True))
                else None
                for g in grids
            )
        )
    return out


def _squares(
    cx: np.ndarray, cy: np.ndarray, half: float = HALF, close: bool = False, half_y: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Polygon vertices of axis-aligned rectangles, separated by NaN gaps (one fill per rectangle)."""
    hx, hy = half, half if half_y is None else half_y
    dx = np.array([-hx, hx, hx, -hx] + ([-hx] if close else []) + [np.nan], dtype=np.float32)
    dy = np.array([-hy, -hy, hy, hy] + ([-hy] if close else []) + [np.nan], dtype=np.float32)
    xs = np.asarray(cx, dtype=np.float32)[:, None] + dx[None, :]
    ys = np.asarray(cy, dtype=np.float32)[:, None] + dy[None, :]
    return xs.ravel(), ys.ravel()


def _index_dtype(n: int) -> type:
    # unsigned bytes keep base64 short (plotly's JSON escapes every '/')
    return np.uint8 if n <= 255 else np.int32


def _rect(x0: float, x1: float, y0: float, y1: float) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.array([x0, x1, x1, x0, x0], dtype=np.float32),
        np.array([y0, y0, y1, y1, y0], dtype=np.float32),
    )


def _done_colorscale(current: int | None, total: int) -> list:
    """Output colours: cells before ``current`` (row-major order) done, the rest pending; the current
    cell itself is drawn by its own trace on top."""
    if current is None or current == 0:
        return [[0.0, COLORS["pending"]], [1.0, COLORS["pending"]]]
    f = round(current / total, 6)
    return [[0.0, COLORS["done"]], [f, COLORS["done"]], [f, COLORS["pending"]], [1.0, COLORS["pending"]]]


class _Geometry:
    """Where things sit in the figure, for 1D (rows y=0 input, y=2 output) or 2D (two panels)."""

    def __init__(
        self,
        grid: GridSampling,
        width_px: int,
        max_height_px: int,
        cell_px: float | None = None,
        x_range: tuple[float, float] | None = None,
    ) -> None:
        self.grid = grid
        self.d2 = grid.ndim == 2
        cols = grid.axes[-1]
        self.cols = cols
        self.rows = grid.axes[0] if self.d2 else None
        self.width_px = width_px
        if self.d2:
            rows = grid.axes[0]
            self.wi, self.wo = cols.padded_size, cols.out
            self.hi = rows.padded_size
            self.gap = max(1.5, 0.04 * (self.wi + self.wo))
            plot_w = max(200, width_px - 50)

            def cell_for(gap_cells: float, gap_px: float = 0.0) -> float:
                fit = min((plot_w - gap_px) / (self.wi + gap_cells + self.wo), max_height_px / self.hi)
                fit = float(np.clip(fit, MIN_CELL_PX, 52.0))
                return fit if cell_px is None else min(fit, float(cell_px))

            self.cell = cell_for(self.gap)
            if self.gap * self.cell < LABEL_GAP_PX:  # small cells: room for the output's row numbers
                self.cell = cell_for(0.0, LABEL_GAP_PX)
                self.gap = LABEL_GAP_PX / self.cell
            self.cell_x = self.cell_y = self.cell
            self.plot_h = self.hi * self.cell
            self.total = self.wi + self.gap + self.wo
        else:
            plot_w = max(200, width_px - 110)
            lo, hi = x_range if x_range is not None else (-cols.pad_left - 0.5, cols.n + cols.pad_right - 0.5)
            self.x_range = (
                float(min(lo, -cols.pad_left - 0.5)),
                float(max(hi, cols.n + cols.pad_right - 0.5)),
            )
            self.cell_x = plot_w / (self.x_range[1] - self.x_range[0])
            self.cell_y = 64.0
            self.cell = min(self.cell_x, self.cell_y)
            self.plot_h = 4.0 * self.cell_y
        # half size of a drawn tap: a cell, or wider on tiny cells (never into the next tap)
        gap_x = cols.dilation if cols.kernel_size > 1 else cols.stride
        self.tap_hx = max(HALF, min(0.45 * gap_x, MIN_TAP_PX / max(self.cell_x, 1e-9)))
        self.tap_hy = HALF
        if self.d2:
            assert self.rows is not None
            gap_y = self.rows.dilation if self.rows.kernel_size > 1 else self.rows.stride
            self.tap_hy = max(HALF, min(0.45 * gap_y, MIN_TAP_PX / max(self.cell_y, 1e-9)))
        # centre of each 1D output cell: under the middle of its window
        self.out_x = cols.taps[:, 0] + (cols.k_eff - 1) / 2.0

    def out_xy(self, pos: Sequence[int]) -> tuple[float, float]:
        if self.d2:
            return float(pos[1]), float(pos[0])
        return float(self.out_x[pos[0]]), 2.0


def shared_x_range(grids: Sequence[GridSampling]) -> tuple[float, float]:
    """The x range (padded input, 1D) that holds every grid, so stacked 1D figures line up."""
    cols = [g.axes[-1] for g in grids]
    return (min(-a.pad_left for a in cols) - 0.5, max(a.n + a.pad_right for a in cols) - 0.5)


def shared_cell_px(grids: Sequence[GridSampling], width_px: int = 1000, max_height_px: int = 560) -> float:
    """One cell size (pixels) that fits every 2D grid, so figures side by side share a scale."""
    return min(_Geometry(g, int(width_px), int(max_height_px)).cell for g in grids)


def _cell_gap(geo: _Geometry) -> int:
    # a white line between cells, when the cells are large enough to spare it
    return 1 if geo.cell >= 6 else 0


def _pixel_trace(geo: _Geometry, labels: Mapping[str, str], gap: int) -> go.Heatmap:
    """The real input pixels: reached, or unread (no tap reads them); named ``x0, x1, …`` on wide 1D cells."""
    cols = geo.cols
    if geo.d2:
        real = np.where(geo.grid.reached, 0.0, 1.0).astype(np.float32)
    else:
        real = np.where(cols.reached, 0.0, 1.0).astype(np.float32)[None, :]
    real_text = [[f"x{i}" for i in range(cols.n)]] if not geo.d2 and geo.cell_x >= 24 else None
    return go.Heatmap(
        z=real,
        x0=0,
        dx=1,
        y0=0,
        dy=1,
        zmin=0,
        zmax=1,
        colorscale=[
            [0, COLORS["pixel"]],
            [0.5, COLORS["pixel"]],
            [0.5, COLORS["unread"]],
            [1, COLORS["unread"]],
        ],
        showscale=False,
        xgap=gap,
        ygap=gap,
        text=real_text,
        texttemplate="%{text}" if real_text else None,
        textfont={"size": FONT - 2, "color": COLORS["text"]},
        hovertemplate=labels["hover_pixel_2d" if geo.d2 else "hover_pixel_1d"],
        name="input pixels",
    )


class _PadCells(NamedTuple):
    """The padding heatmap's data: NaN inside the input, its copy sources, cell texts and first row."""

    z: np.ndarray
    custom: np.ndarray | None
    text: list[list[str]] | None
    y0: int


def _pad_text_2d(
    inside: np.ndarray, src_r: np.ndarray, src_c: np.ndarray, cell: float, copy: bool
) -> list[list[str]] | None:
    # the pixel a padding cell copies ("r,c") on large cells, "0" on zero padding's medium cells
    if cell >= 34 and copy:
        return [
            [f"{src_r[i, j]},{src_c[i, j]}" if not inside[i, j] else "" for j in range(inside.shape[1])]
            for i in range(inside.shape[0])
        ]
    if cell >= 20 and not copy:
        return [["" if v else "0" for v in row] for row in inside]
    return None


def _pad_cells_2d(geo: _Geometry, copy: bool) -> _PadCells:
    rows, cols = geo.grid.axes
    inside = np.outer(
        (rows.padded >= 0) & (rows.padded < rows.n), (cols.padded >= 0) & (cols.padded < cols.n)
    )
    z = np.where(inside, np.nan, 1.0).astype(np.float32)
    src_r = np.broadcast_to(rows.source[:, None], inside.shape)
    src_c = np.broadcast_to(cols.source[None, :], inside.shape)
    custom = np.stack([src_r, src_c], axis=-1).astype(_index_dtype(max(rows.n, cols.n))) if copy else None
    return _PadCells(z, custom, _pad_text_2d(inside, src_r, src_c, geo.cell, copy), -rows.pad_left)


def _pad_cells_1d(geo: _Geometry, copy: bool) -> _PadCells:
    cols = geo.cols
    inside = (cols.padded >= 0) & (cols.padded < cols.n)
    z = np.where(inside, np.nan, 1.0).astype(np.float32)[None, :]
    custom = cols.source.astype(_index_dtype(cols.n))[None, :, None] if copy else None
    text = None
    if geo.cell_x >= 24:  # the pixel a padding cell copies ("x3"), or "0"
        text = [["" if v else (f"x{s}" if copy else "0") for v, s in zip(inside, cols.source, strict=True)]]
    return _PadCells(z, custom, text, 0)


def _padding_trace(geo: _Geometry, labels: Mapping[str, str], gap: int) -> go.Heatmap | None:
    """The padding cells (zeros, or copies of a pixel), or ``None`` without padding."""
    grid = geo.grid
    if not any(a.pad_left or a.pad_right for a in grid.axes):
        return None
    copy = grid.mode != "zeros"
    cells = _pad_cells_2d(geo, copy) if geo.d2 else _pad_cells_1d(geo, copy)
    hover = labels[f"hover_{'copy' if copy else 'zero'}_{'2d' if geo.d2 else '1d'}"]
    color = COLORS["pad_copy" if copy else "pad_zero"]
    return go.Heatmap(
        z=cells.z,
        x0=-geo.cols.pad_left,
        dx=1,
        y0=cells.y0,
        dy=1,
        zmin=0,
        zmax=1,
        colorscale=[[0, color], [1, color]],
        showscale=False,
        xgap=gap,
        ygap=gap,
        customdata=cells.custom,
        hoverongaps=False,
        text=cells.text,
        texttemplate="%{text}" if cells.text else None,
        textfont={"size": (FONT - 4) if geo.d2 else (FONT - 2), "color": COLORS["text"]},
        hovertemplate=hover,
        name="padding",
    )


def _output_order(grid: GridSampling) -> np.ndarray:
    # each output's place in the computation order (row-major), in the output's shape
    n_out = grid.n_outputs
    return np.arange(n_out, dtype=np.uint16 if n_out < 65536 else np.float32).reshape(grid.out_shape)


def _output_common(n_out: int, animated: bool) -> dict:
    # what the 1D and 2D output heatmaps share: coloured by computation order, done ones before current
    return dict(
        zmin=-0.5,
        zmax=n_out - 0.5,
        colorscale=_done_colorscale(0 if animated else None, n_out),
        showscale=False,
        hoverongaps=False,
        name="output",
    )


def _output_hover_2d(grid: GridSampling) -> np.ndarray:
    """Per 2D output: first and last row read, first and last column read, taps in padding."""
    rows, cols = grid.axes
    in_r = rows.kernel_size - rows.padding_taps_per_output
    in_c = cols.kernel_size - cols.padding_taps_per_output
    n_pad = grid.n_taps - np.outer(in_r, in_c)
    return np.stack(
        [
            np.broadcast_to(rows.taps[:, :1], n_pad.shape),
            np.broadcast_to(rows.taps[:, -1:], n_pad.shape),
            np.broadcast_to(cols.taps[:, 0][None, :], n_pad.shape),
            np.broadcast_to(cols.taps[:, -1][None, :], n_pad.shape),
            n_pad,
        ],
        axis=-1,
    ).astype(np.int16)


def _output_trace_2d(geo: _Geometry, labels: Mapping[str, str], gap: int, animated: bool) -> go.Heatmap:
    """The 2D output grid (right panel); large outputs hover with their position only."""
    grid = geo.grid
    rows, cols = grid.axes
    hover = labels["hover_out_2d"].replace("{dr}", str(rows.dilation)).replace("{dc}", str(cols.dilation))
    small = grid.n_outputs <= MAX_OUTPUT_HOVER
    return go.Heatmap(
        z=_output_order(grid),
        x0=0,
        dx=1,
        y0=0,
        dy=1,
        xgap=gap,
        ygap=gap,
        customdata=_output_hover_2d(grid) if small else None,
        hovertemplate=hover if small else labels["hover_out_2d_short"],
        xaxis="x2",
        yaxis="y2",
        **_output_common(grid.n_outputs, animated),
    )


def _output_row_1d(geo: _Geometry) -> tuple[list[float], list[float], list[list[int]]]:
    """The 1D output row: cell edges (each cell under the middle of its window), order values (NaN in
    the gaps a stride leaves) and per cell its index, first and last input read and taps in padding."""
    cols = geo.cols
    order = _output_order(geo.grid)
    centres = geo.out_x
    edges: list[float] = [float(centres[0] - 0.5)]
    zrow: list[float] = []
    crow: list[list[int]] = []
    pads = cols.padding_taps_per_output
    for i, c in enumerate(centres):
        if i > 0 and c - 0.5 > edges[-1] + 1e-9:  # a gap between output cells (stride > 1)
            zrow.append(np.nan)
            crow.append([-1, -1, -1, -1])
            edges.append(float(c - 0.5))
        zrow.append(float(order[i]))
        crow.append([i, int(cols.taps[i, 0]), int(cols.taps[i, -1]), int(pads[i])])
        edges.append(float(c + 0.5))
    return edges, zrow, crow


def _output_trace_1d(geo: _Geometry, labels: Mapping[str, str], gap: int, animated: bool) -> go.Heatmap:
    """The 1D output row, below the input."""
    edges, zrow, crow = _output_row_1d(geo)
    return go.Heatmap(
        z=np.array([zrow], dtype=np.float32),
        x=np.array(edges, dtype=np.float32),
        y=[1.5, 2.5],
        xgap=gap,
        customdata=np.array([crow], dtype=np.int16),
        hovertemplate=labels["hover_out_1d"].replace("{d}", str(geo.cols.dilation)),
        **_output_common(geo.grid.n_outputs, animated),
    )


def _static_traces(geo: _Geometry, labels: Mapping[str, str], animated: bool) -> list[go.Heatmap]:
    """The traces no frame moves: input pixels, padding (if any), then the output heatmap (always last:
    frames recolour it)."""
    gap = _cell_gap(geo)
    padding = _padding_trace(geo, labels, gap)
    output = _output_trace_2d if geo.d2 else _output_trace_1d
    return [
        _pixel_trace(geo, labels, gap),
        *([padding] if padding is not None else []),
        output(geo, labels, gap, animated),
    ]


def _no_output(geo: _Geometry, done: int) -> list[dict]:
    """The moving traces of a panel with no output at this frame's position: nothing drawn, and its
    outputs before that position done."""
    empty = np.zeros(0, dtype=np.float32)
    out: list[dict] = [{"x": empty, "y": empty} for _ in range(4)]
    out.append({"x": np.zeros(0, dtype=np.int16), "y": np.zeros(0, dtype=np.int16), "text": []})
    if not geo.d2:
        out.append({"x": empty, "y": empty})
    out.append({"x": empty, "y": empty})
    out.append({"type": "heatmap", "colorscale": _done_colorscale(done, geo.grid.n_outputs)})
    return out


def _window_xy(geo: _Geometry, pos: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    # the window: the dilated kernel's extent over the input, for output ``pos``
    grid = geo.grid
    if geo.d2:
        rows, cols = grid.axes
        r0, c0 = int(rows.taps[pos[0], 0]), int(cols.taps[pos[1], 0])
        return _rect(c0 - 0.5, c0 + cols.k_eff - 0.5, r0 - 0.5, r0 + rows.k_eff - 0.5)
    c0 = int(grid.axes[0].taps[pos[0], 0])
    return _rect(c0 - 0.5, c0 + grid.axes[0].k_eff - 0.5, -0.5, 0.5)


def _copy_xy(
    geo: _Geometry, tx: np.ndarray, ty: np.ndarray, sx: np.ndarray, sy: np.ndarray, copies: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Padding taps that copy a real pixel: a line to that pixel (up to :data:`MAX_COPY_LINES` of them)
    and its outline."""
    n_copy = int(copies.sum())
    if n_copy > MAX_COPY_LINES:
        px = py = np.zeros((0, 1))
    elif geo.d2:  # a straight line from the padding tap to the pixel it copies
        px = np.stack([tx[copies], sx[copies], np.full(n_copy, np.nan)], axis=1)
        py = np.stack([ty[copies], sy[copies], np.full(n_copy, np.nan)], axis=1)
    else:  # a bracket above the input row
        up = np.full(n_copy, -0.9)
        low = np.full(n_copy, -0.5)
        px = np.stack([tx[copies], tx[copies], sx[copies], sx[copies], np.full(n_copy, np.nan)], axis=1)
        py = np.stack([low, up, up, low, np.full(n_copy, np.nan)], axis=1)
    cx, cy = [px.ravel().astype(np.float32)], [py.ravel().astype(np.float32)]
    if n_copy:
        uniq = np.unique(np.stack([sx[copies], sy[copies]], axis=1), axis=0)
        ox, oy = _squares(uniq[:, 0], uniq[:, 1], half=0.5, close=True)
        cx.append(ox)
        cy.append(oy)
    return np.concatenate(cx), np.concatenate(cy)


def _to_output_xy(tx: np.ndarray, out_x: float) -> dict:
    # 1D: a line from each tap (below the input row) to the output cell's top
    nan = np.full(len(tx), np.nan)
    lx = np.stack([tx, np.full(len(tx), out_x), nan], axis=1).ravel().astype(np.float32)
    ly = np.stack([np.full(len(tx), 0.5), np.full(len(tx), 1.5), nan], axis=1).ravel().astype(np.float32)
    return {"x": lx, "y": ly}


def _dynamic(geo: _Geometry, flat: int, animated: bool) -> list[dict]:
    """Traces that move from one output to the next (plain dicts, fixed order)."""
    grid = geo.grid
    pos = grid.unravel(flat)
    taps = grid.taps_of(pos)
    src = grid.sources_of(pos)
    inside = np.ones(len(taps), dtype=bool)
    for i, a in enumerate(grid.axes):
        inside &= (taps[:, i] >= 0) & (taps[:, i] < a.n)
    row0 = np.zeros(len(taps), dtype=np.int64)
    tx, ty = (taps[:, 1], taps[:, 0]) if geo.d2 else (taps[:, 0], row0)
    sx, sy = (src[:, 1], src[:, 0]) if geo.d2 else (src[:, 0], row0)
    wx, wy = _window_xy(geo, pos)
    real_x, real_y = _squares(tx[inside], ty[inside], geo.tap_hx, half_y=geo.tap_hy)
    pad_x, pad_y = _squares(tx[~inside], ty[~inside], geo.tap_hx, half_y=geo.tap_hy)
    copy_x, copy_y = _copy_xy(geo, tx, ty, sx, sy, (~inside) & (src[:, 0] >= 0))
    ox_, oy_ = geo.out_xy(pos)
    cur_x, cur_y = _rect(ox_ - 0.5, ox_ + 0.5, oy_ - 0.5, oy_ + 0.5)
    out = [
        {"x": wx, "y": wy},
        {"x": real_x, "y": real_y},
        {"x": pad_x, "y": pad_y},
        {"x": copy_x, "y": copy_y},
        {"x": tx.astype(np.int16), "y": ty.astype(np.int16), "text": [str(m) for m in range(len(taps))]},
    ]
    if not geo.d2:
        out.append(_to_output_xy(tx, ox_))
    out.append({"x": cur_x, "y": cur_y})
    if animated:
        out.append({"type": "heatmap", "colorscale": _done_colorscale(flat, grid.n_outputs)})
    return out


def _line_trace(data: dict, name: str, line: dict) -> go.Scatter:
    # a moving trace drawn as lines (window, copies, lines to the output)
    return go.Scatter(data, mode="lines", line=line, hoverinfo="skip", name=name)


def _fill_trace(data: dict, name: str, color: str) -> go.Scatter:
    # a moving trace of filled polygons without outline (taps)
    return go.Scatter(
        data,
        mode="lines",
        fill="toself",
        fillcolor=color,
        line={"width": 0, "color": color},
        hoverinfo="skip",
        name=name,
    )


def _tap_numbers_trace(geo: _Geometry, data: dict, labels: Mapping[str, str]) -> go.Scatter:
    """The kernel position of each tap, written on it (when its cells are large enough), and its hover."""
    text_px = geo.cell * 0.5 if geo.d2 else min(geo.cell_x * 0.5, 26)
    return go.Scatter(
        data,
        mode="text" if text_px >= 8 else "markers",
        marker={"size": 6, "opacity": 0},
        textfont={"size": float(np.clip(text_px, 8, 22)), "color": "white", "weight": "bold"},
        hovertemplate=labels["hover_tap_2d" if geo.d2 else "hover_tap_1d"],
        name="tap numbers",
    )


def _current_trace(geo: _Geometry, data: dict) -> go.Scatter:
    # the current output cell, outlined and filled, on the output's axes
    xa, ya = ("x2", "y2") if geo.d2 else ("x", "y")
    return go.Scatter(
        data,
        mode="lines",
        fill="toself",
        fillcolor="rgba(228,87,46,0.6)",
        line={"color": COLORS["current"], "width": 4},
        hoverinfo="skip",
        name="current output",
        xaxis=xa,
        yaxis=ya,
    )


def _dynamic_traces(geo: _Geometry, first: list[dict], labels: Mapping[str, str]) -> list:
    """The moving traces with their styles, filled with the first output's data (the order of
    :func:`_dynamic`)."""
    traces = [
        _line_trace(first[0], "window", {"color": COLORS["window"], "width": 2, "dash": "dash"}),
        _fill_trace(first[1], "taps", COLORS["tap"]),
        _fill_trace(first[2], "taps in padding", COLORS["tap_pad"]),
        _line_trace(first[3], "copies", {"color": COLORS["copy"], "width": 2, "dash": "dot"}),
        _tap_numbers_trace(geo, first[4], labels),
    ]
    if not geo.d2:
        traces.append(_line_trace(first[5], "to output", {"color": COLORS["tap"], "width": 1.5}))
    traces.append(_current_trace(geo, first[len(traces)]))
    return traces


def _base_layout(plot_h: float, top: int, bottom: int, d2: bool) -> dict:
    # the layout every sampling figure shares: white, no legend, no zoom, room above and below the plot
    return {
        "height": int(plot_h + top + bottom),
        "margin": {"l": 36 if d2 else 84, "r": 12, "t": top, "b": bottom},
        "showlegend": False,
        "hovermode": "closest",
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"size": FONT},
        "dragmode": False,
    }


def _title(title: str) -> dict:
    # a figure title, top left
    return {
        "text": title,
        "x": 0,
        "xanchor": "left",
        "y": 1,
        "yanchor": "top",
        "pad": {"t": 8},
        "font": {"size": FONT + 4},
    }


_AXIS_COMMON = {"showgrid": False, "zeroline": False, "ticks": "", "fixedrange": True}


def _axes_2d(geo: _Geometry, labels: Mapping[str, str]) -> dict[str, dict]:
    """The input panel's axes (left, labels on top) and the output panel's (right)."""
    cols, rows = geo.cols, geo.rows
    assert rows is not None
    axes = {
        "xaxis": {
            **_AXIS_COMMON,
            "domain": [0, geo.wi / geo.total],
            "range": [-cols.pad_left - 0.5, cols.n + cols.pad_right - 0.5],
            "title": {"text": labels["input"], "standoff": 4},
            "side": "top",
            "constrain": "domain",
        },
        "yaxis": {
            **_AXIS_COMMON,
            "range": [rows.n + rows.pad_right - 0.5, -rows.pad_left - 0.5],
            "scaleanchor": "x",
            "constrain": "domain",
        },
        "xaxis2": {
            **_AXIS_COMMON,
            "domain": [(geo.wi + geo.gap) / geo.total, 1],
            "range": [-0.5, cols.out - 0.5],
            "title": {"text": labels["output"], "standoff": 4},
            "side": "top",
            "anchor": "y2",
            "constrain": "domain",
        },
        "yaxis2": {
            **_AXIS_COMMON,
            "range": [geo.hi - 0.5, -0.5],
            "scaleanchor": "x2",
            "constrain": "domain",
            "anchor": "x2",
            "showticklabels": True,
            # only ticks inside the output (the axis spans as many rows as the padded input)
            "tickvals": list(range(0, rows.out, _tick_step(geo.cell))),
        },
    }
    # a tick on every cell of short axes
    sizes = {"xaxis": cols.padded_size, "yaxis": rows.padded_size, "xaxis2": cols.out, "yaxis2": rows.out}
    for key, size in sizes.items():
        if size <= 16:
            axes[key]["dtick"] = 1
    return axes


def _axes_1d(geo: _Geometry, labels: Mapping[str, str]) -> dict[str, dict]:
    """One x axis (input and output columns) and the rows named input (y = 0) and output (y = 2)."""
    return {
        "xaxis": {
            **_AXIS_COMMON,
            "range": list(geo.x_range),
            "dtick": 1 if geo.cols.padded_size <= 40 else None,
            "title": {"text": labels["col"], "standoff": 4},
        },
        "yaxis": {
            **_AXIS_COMMON,
            "range": [2.55, -1.05],
            "tickvals": [0, 2],
            "ticktext": [labels["input_row"], labels["output_row"]],
        },
    }


def _layout(geo: _Geometry, labels: Mapping[str, str], title: str | None, animated: bool) -> dict:
    """The layout of one grid's figure: room for its title, axis labels and animation controls."""
    axis_px = 56 if geo.d2 else 8  # tick labels and panel titles above a 2D grid
    top = (44 if title else 8) + axis_px + (46 if animated else 0)
    bottom = 96 if animated else 40
    layout = _base_layout(geo.plot_h, top, bottom, geo.d2)
    if title:
        layout["title"] = _title(title)
    layout.update(_axes_2d(geo, labels) if geo.d2 else _axes_1d(geo, labels))
    return layout


def _animate_args(duration_ms: int, redraw: bool) -> dict:
    # the options of an "animate" call: jump (no transition), each frame shown ``duration_ms``
    return {
        "mode": "immediate",
        "frame": {"duration": duration_ms, "redraw": redraw},
        "transition": {"duration": 0},
    }


def _play_pause(axis_px: int, duration_ms: int, labels: Mapping[str, str]) -> dict:
    """The Play and Pause buttons, top left above the axis labels."""
    return {
        "type": "buttons",
        "direction": "left",
        "showactive": False,
        "x": 0,
        "y": 1,
        "xanchor": "left",
        "yanchor": "bottom",
        "pad": {"b": axis_px, "t": 0},
        "font": {"size": FONT},
        "buttons": [
            {
                "label": labels["play"],
                "method": "animate",
                "args": [None, {**_animate_args(duration_ms, True), "fromcurrent": True}],
            },
            {"label": labels["pause"], "method": "animate", "args": [[None], _animate_args(0, False)]},
        ],
    }


def _step_slider(names: list[str], slider_labels: list[str], labels: Mapping[str, str]) -> dict:
    """A slider under the figure with one step per frame, labelled by output position."""
    return {
        "active": 0,
        "x": 0,
        "y": 0,
        "len": 1.0,
        "xanchor": "left",
        "yanchor": "top",
        "pad": {"t": 30, "b": 0},
        "currentvalue": {"prefix": labels["slider"], "font": {"size": FONT}},
        "font": {"size": FONT - 4},
        "steps": [
            {"label": lab, "method": "animate", "args": [[name], _animate_args(0, True)]}
            for name, lab in zip(names, slider_labels, strict=True)
        ],
    }


def _controls(
    layout: dict,
    axis_px: int,
    names: list[str],
    slider_labels: list[str],
    duration_ms: int,
    labels: Mapping[str, str],
) -> None:
    """Play/Pause buttons and a step slider (one step per frame)."""
    layout["updatemenus"] = [_play_pause(axis_px, duration_ms, labels)]
    layout["sliders"] = [_step_slider(names, slider_labels, labels)]


def _drop_empty(frames: list[dict]) -> None:
    """Leave out of every frame the traces that stay empty in all of them (copy lines in zero padding,
    padding taps without padding): a page validates each frame's traces on every rerun."""
    if not frames:
        return
    count = len(frames[0]["data"])
    keep = [
        j
        for j in range(count)
        if not all("x" in f["data"][j] and len(f["data"][j]["x"]) == 0 for f in frames)
    ]
    for f in frames:
        f["data"] = [f["data"][j] for j in keep]
        f["traces"] = [f["traces"][j] for j in keep]


def _tick_step(cell_px: float, min_px: float = 22.0) -> int:
    """A round tick step (1, 2, 5, 10, ...) that keeps tick labels ``min_px`` apart."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200):
        if step * cell_px >= min_px:
            return step
    return 500


def _position_label(pos: tuple[int, ...]) -> str:
    return str(pos[0]) if len(pos) == 1 else f"({pos[0]}, {pos[1]})"


def sampling_figure(
    grid: GridSampling,
    *,
    position: Sequence[int] | None = None,
    max_frames: int | None = None,
    width_px: int = 1000,
    max_height_px: int = 560,
    cell_px: float | None = None,
    x_range: tuple[float, float] | None = None,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Taps of a convolution over its padded input, with the output beside (2D) or below (1D).

    ``position=None`` animates: one frame per output position (row-major), at most ``max_frames``
    (default :func:`frame_budget`), with Play/Pause and a step slider; frame names are the flat
    output indices. A ``position`` draws that output alone (static). ``width_px`` is the expected
    width on screen (cell and text sizes follow from it); ``cell_px`` caps the cell size in 2D (see
    :func:`shared_cell_px`); ``x_range`` widens the x axis of a 1D figure (see :func:`shared_x_range`); ``labels`` overrides entries of :data:`LABELS`.
    """
    lab = {**LABELS, **(labels or {})}
    animated = position is None
    geo = _Geometry(grid, int(width_px), int(max_height_px), cell_px, x_range)
    if animated:
        limit = frame_budget(grid.n_taps) if max_frames is None else int(max_frames)
        flats = frame_outputs(grid.n_outputs, limit).tolist()
        first_flat = flats[0]
    else:
        pos = tuple(int(p) for p in position)
        grid.taps_of(pos)  # raises ValueError outside the output
        first_flat = int(np.ravel_multi_index(pos, grid.out_shape))
    static = _static_traces(geo, lab, animated)
    first = _dynamic(geo, first_flat, animated)
    moving = _dynamic_traces(geo, first, lab)
    layout = _layout(geo, lab, title, animated)
    if not animated:
        return go.Figure(data=[*static, *moving], layout=layout)
    n_static = len(static)
    out_index = n_static - 1  # the output heatmap is the last static trace
    moving_idx = list(range(n_static, n_static + len(moving)))
    frames = []
    for flat in flats:
        dyn = _dynamic(geo, flat, True)
        frames.append({"name": str(flat), "data": dyn, "traces": [*moving_idx, out_index]})
    _drop_empty(frames)
    duration = int(np.clip(9000 / len(flats), 150, 700))
    _controls(
        layout,
        56 if geo.d2 else 8,
        [str(f) for f in flats],
        [_position_label(grid.unravel(f)) for f in flats],
        duration,
        lab,
    )
    return go.Figure(data=[*static, *moving], layout=layout, frames=frames, _validate=False)


TITLE_PX = 36  # the row of a panel's title (figures of several panels)
PANEL_PX_1D = 256  # plot height of one 1D panel (four rows of 64 px)


def _axis_id(name: str, offset: int) -> str:
    """An axis id moved ``offset`` places on: ``'x'`` → ``'x3'`` (offset 2), ``'y2'`` → ``'y4'``."""
    number = int(name[1:] or 1) + offset
    return name[0] if number == 1 else f"{name[0]}{number}"


def _axis_key(axis_id: str) -> str:
    """The layout key of an axis id: ``'x3'`` → ``'xaxis3'``."""
    return f"{axis_id[0]}axis{axis_id[1:]}"


def _moved_axes(layout: dict, offset: int) -> dict[str, dict]:
    """The axes of one panel's layout, renamed ``offset`` places on (references included)."""
    out = {}
    for key, axis in layout.items():
        if not (key.startswith(("xaxis", "yaxis"))):
            continue
        axis = dict(axis)
        for ref in ("scaleanchor", "anchor"):
            if ref in axis:
                axis[ref] = _axis_id(axis[ref], offset)
        out[_axis_key(_axis_id(key[0] + key[5:], offset))] = axis
    return out


def _first_flats(
    grids: Sequence[GridSampling], position: Sequence[int] | None, frames: list[tuple[int | None, ...]]
) -> list[int]:
    """The output each panel shows first: frame 0's, or ``position`` clamped to each panel's output."""
    if position is None:
        return [int(f) for f in frames[0]]  # type: ignore[arg-type]  # position 0 exists in every panel
    out = []
    for g in grids:
        pos = tuple(min(int(p), o - 1) for p, o in zip(position, g.out_shape, strict=True))
        g.taps_of(pos)  # raises ValueError for a negative position
        out.append(int(np.ravel_multi_index(pos, g.out_shape)))
    return out


def _themed(fig: go.Figure, theme: Theme) -> go.Figure:
    # the figure in ``theme`` (:func:`~dsdcn.figures.theme.themed`); the 1D lines from the taps to their
    # output, thin in the standard view, are drawn lines at the theme's width in any other
    if theme == STANDARD:
        return fig
    themed(fig, theme)
    fig.update_traces(line_width=theme.line_width, selector={"name": "to output"})
    return fig


@dataclass
class _PanelsPlan:
    """Where the panels of a compare view sit: side by side in 2D (widths in cells), stacked in 1D."""

    grids: list[GridSampling]
    geos: list[_Geometry]
    d2: bool
    title_px: int  # the row of the panel titles (0 without titles)
    between: float = 0.0  # 2D: the gap between two panels, in cells
    span: float = 0.0  # 2D: the width of all panels and gaps, in cells

    @property
    def gap_px(self) -> int:
        # 1D: between two panels, the x tick labels of the panel above, then this panel's title
        return 36 + max(self.title_px, TITLE_PX)

    @property
    def axis_px(self) -> int:
        # 2D: the axis titles and tick labels above the panels
        return 56 if self.d2 else 0

    @property
    def total_h(self) -> int:
        # 1D: the plot height of all panels and the gaps between them
        return len(self.grids) * PANEL_PX_1D + (len(self.grids) - 1) * self.gap_px

    def offset(self, p: int) -> int:
        # how many axis ids panel ``p``'s axes are moved on (2D panels have two x and two y axes)
        return 2 * p if self.d2 else p

    def frac(self, cells: float) -> float:
        # 2D: a place across the panels, in cells, as a fraction of the figure's width
        return float(np.clip(round(cells / self.span, 6), 0.0, 1.0))


def _compare_cell(loose: list[_Geometry], between0: float, width_px: int, max_height_px: int) -> float:
    """The cell size (pixels) of 2D panels side by side; the gaps are at least LABEL_GAP_PX wide: they
    grow, in cells, as cells shrink (a few rounds settle it)."""
    cells = sum(geo.wi + geo.wo for geo in loose)
    cell = 52.0
    for _ in range(4):
        gaps = sum(max(geo.gap, LABEL_GAP_PX / cell) for geo in loose)
        between = max(between0, LABEL_GAP_PX / cell)
        span = cells + gaps + between * (len(loose) - 1)
        fit = min(max(200, width_px - 50) / span, max_height_px / max(geo.hi for geo in loose))
        cell = float(np.clip(fit, MIN_CELL_PX, 52.0))
    return cell


def _plan_2d(grids: list[GridSampling], width_px: int, max_height_px: int, title_px: int) -> _PanelsPlan:
    """2D panels side by side with one cell size."""
    loose = [_Geometry(g, 10**6, 10**6) for g in grids]  # sizes in cells
    between0 = max(3.0, 0.06 * sum(geo.total for geo in loose))
    cell = _compare_cell(loose, between0, width_px, max_height_px)
    geos = [_Geometry(g, 10**6, 10**6, cell_px=cell) for g in grids]
    between = max(between0, LABEL_GAP_PX / cell)
    span = sum(geo.total for geo in geos) + between * (len(grids) - 1)
    return _PanelsPlan(grids, geos, True, title_px, between, span)


def _plan_1d(grids: list[GridSampling], width_px: int, max_height_px: int, title_px: int) -> _PanelsPlan:
    """1D panels stacked, with one x range."""
    x_range = shared_x_range(grids)
    geos = [_Geometry(g, int(width_px), int(max_height_px), x_range=x_range) for g in grids]
    return _PanelsPlan(grids, geos, False, title_px)


def _panels_data(
    plan: _PanelsPlan, labels: Mapping[str, str], first: list[int], animated: bool
) -> tuple[list, list[int]]:
    """Every panel's traces on its own axes, and the indices of those the frames update (per panel: its
    moving traces, then its output heatmap)."""
    data: list = []
    updated: list[int] = []
    for p, (geo, flat) in enumerate(zip(plan.geos, first, strict=True)):
        offset = plan.offset(p)
        static = _static_traces(geo, labels, animated)
        moving = _dynamic_traces(geo, _dynamic(geo, flat, animated), labels)
        for trace in (*static, *moving):
            trace.update(
                xaxis=_axis_id(trace.xaxis or "x", offset), yaxis=_axis_id(trace.yaxis or "y", offset)
            )
        n = len(data)
        data.extend(static)
        data.extend(moving)
        updated.extend([*range(n + len(static), n + len(static) + len(moving)), n + len(static) - 1])
    return data, updated


def _place_2d(plan: _PanelsPlan, axes: dict[str, dict], p: int, offset_x: float) -> float:
    """Put 2D panel ``p`` (its axes, in place) ``offset_x`` cells from the left; returns where it starts."""
    geo, offset = plan.geos[p], plan.offset(p)
    x_in, x_out = _axis_key(_axis_id("x", offset)), _axis_key(_axis_id("x2", offset))
    start = plan.frac(offset_x)
    axes[x_in]["domain"] = [start, plan.frac(offset_x + geo.wi)]
    axes[x_out]["domain"] = [plan.frac(offset_x + geo.wi + geo.gap), plan.frac(offset_x + geo.total)]
    for key in (_axis_key(_axis_id("y", offset)), _axis_key(_axis_id("y2", offset))):
        axes[key]["constraintoward"] = "top"
    axes[x_in]["anchor"] = _axis_id("y", offset)  # each panel's input axes on each other
    axes[_axis_key(_axis_id("y", offset))]["anchor"] = _axis_id("x", offset)
    return start


def _place_1d(plan: _PanelsPlan, axes: dict[str, dict], p: int) -> float:
    """Put 1D panel ``p`` (its axes, in place) in its band from the top; returns its top (paper)."""
    offset = plan.offset(p)
    x_key, y_key = _axis_key(_axis_id("x", offset)), _axis_key(_axis_id("y", offset))
    top_px = p * (PANEL_PX_1D + plan.gap_px)
    total_h = plan.total_h
    axes[y_key]["domain"] = [
        float(np.clip(round(1 - (top_px + PANEL_PX_1D) / total_h, 6), 0.0, 1.0)),
        float(np.clip(round(1 - top_px / total_h, 6), 0.0, 1.0)),
    ]
    axes[x_key]["anchor"] = _axis_id("y", offset)
    if p < len(plan.grids) - 1:
        axes[x_key].pop("title", None)  # the column label once, under the last panel
    return 1 - top_px / total_h


def _panel_title(text: str, x: float, y: float, y_shift: int) -> dict:
    # a panel's title: an annotation above the panel, left aligned
    return {
        "text": text,
        "x": x,
        "xref": "paper",
        "xanchor": "left",
        "y": y,
        "yref": "paper",
        "yanchor": "bottom",
        "yshift": y_shift,
        "showarrow": False,
        "align": "left",
        "font": {"size": FONT + 4},
    }


def _panels_axes(
    plan: _PanelsPlan, labels: Mapping[str, str], titles: Sequence[str] | None, animated: bool
) -> tuple[dict[str, dict], list[dict]]:
    """Every panel's axes, placed, and the panel titles (annotations)."""
    axes: dict[str, dict] = {}
    annotations = []
    offset_x = 0.0
    for p, geo in enumerate(plan.geos):
        panel_axes = _moved_axes(_layout(geo, labels, None, animated), plan.offset(p))
        if plan.d2:
            start, y_title, y_shift = _place_2d(plan, panel_axes, p, offset_x), 1.0, 56
            offset_x += geo.total + plan.between
        else:
            start, y_title, y_shift = 0.0, _place_1d(plan, panel_axes, p), 4
        axes.update(panel_axes)
        if titles:
            annotations.append(_panel_title(titles[p], start, y_title, y_shift))
    return axes, annotations


def _panels_frames(
    plan: _PanelsPlan, frames: list[tuple[int | None, ...]], updated: list[int]
) -> tuple[list[dict], list[str], list[str]]:
    """The frames (plain dicts) of panels that move together, their names and slider labels."""
    grids = plan.grids
    lead = max(range(len(grids)), key=lambda i: grids[i].n_outputs)
    fig_frames = []
    names, slider_labels = [], []
    for flats in frames:
        pos = grids[lead].unravel(int(flats[lead]))  # type: ignore[arg-type]  # the lead has every position
        dyn: list[dict] = []
        for geo, g, flat in zip(plan.geos, grids, flats, strict=True):
            dyn.extend(
                _dynamic(geo, flat, True) if flat is not None else _no_output(geo, done_before(g, pos))
            )
        name = str(flats[lead])
        names.append(name)
        slider_labels.append(_position_label(pos))
        fig_frames.append({"name": name, "data": dyn, "traces": list(updated)})
    _drop_empty(fig_frames)
    return fig_frames, names, slider_labels


def _titles_px(titles: Sequence[str] | None) -> int:
    # the height of the panel titles' row: one line, and 24 px for each further line of the longest
    return (TITLE_PX + 24 * max(t.count("<br>") for t in titles)) if titles else 0


def _panels_layout(plan: _PanelsPlan, axes: dict[str, dict], annotations: list[dict], animated: bool) -> dict:
    """The layout of the panels: room for titles, axis labels and animation controls, then the axes."""
    top = 8 + plan.title_px + plan.axis_px + (46 if animated else 0)
    bottom = 96 if animated else 40
    plot_h = max(geo.hi for geo in plan.geos) * plan.geos[0].cell if plan.d2 else plan.total_h
    return {**_base_layout(plot_h, top, bottom, plan.d2), "annotations": annotations, **axes}


def sampling_panels(
    grids: Sequence[GridSampling],
    *,
    position: Sequence[int] | None = None,
    max_frames: int | None = None,
    width_px: int = 1000,
    max_height_px: int = 560,
    titles: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    theme: Theme = STANDARD,
) -> go.Figure:
    """Panels that move together in one figure (a compare view: the same kernel at d = 1 and at its
    dilation): side by side with one cell size in 2D, stacked with the same x axis in 1D.

    One Play, one step slider and one set of frames drive every panel; the frames are
    :func:`compare_frames` (aligned by output position: a panel without that output shows no window
    and keeps its earlier outputs done). Frame names are the lead panel's flat output indices. A
    ``position`` draws that output in every panel (clamped to each panel's output), static. Panel
    titles are annotations above the panels (``<br>`` breaks a line). One grid gives
    :func:`sampling_figure`. In another ``theme`` than the standard one the figure is as much taller
    (``max_height_px`` included) and its texts and lines bigger (:func:`~dsdcn.figures.theme.themed`).
    """
    grids = list(grids)
    max_height_px = theme.tall(max_height_px)
    if len(grids) == 1:
        fig = sampling_figure(
            grids[0],
            position=position,
            max_frames=max_frames,
            width_px=width_px,
            max_height_px=max_height_px,
            title=titles[0] if titles else None,
            labels=labels,
        )
        return _themed(fig, theme)
    lab = {**LABELS, **(labels or {})}
    animated = position is None
    frames = compare_frames(grids, max_frames) if animated else []
    d2 = grids[0].ndim == 2
    if not animated and len({g.ndim for g in grids}) != 1:
        raise ValueError("the panels must all be 1D or all be 2D")
    plan = (_plan_2d if d2 else _plan_1d)(grids, width_px, max_height_px, _titles_px(titles))
    data, updated = _panels_data(plan, lab, _first_flats(grids, position, frames), animated)
    layout = _panels_layout(plan, *_panels_axes(plan, lab, titles, animated), animated)
    if not animated:
        return _themed(go.Figure(data=data, layout=layout), theme)
    fig_frames, names, slider_labels = _panels_frames(plan, frames, updated)
    duration = int(np.clip(9000 / len(frames), 150, 700))
    _controls(layout, plan.axis_px + plan.title_px, names, slider_labels, duration, lab)
    return _themed(go.Figure(data=data, layout=layout, frames=fig_frames, _validate=False), theme)


READER_LABELS: dict[str, str] = {
    "input": "input",
    "output": "output",
    "hover_in_1d": "input %{x}<extra></extra>",
    "hover_in_2d": "input (row %{y}, col %{x})<extra></extra>",
    "hover_out_1d": "output %{x}<br>%{text}<extra></extra>",
    "hover_out_2d": "output (row %{y}, col %{x})<br>%{text}<extra></extra>",
}
# input cell kinds of :func:`readers_figure` (heatmap values) and their colours
_READER_KINDS = ("pixel", "unread", "padding", "picked", "copy_read")
MAX_READER_TEXT_CELL_PX = 22.0  # smaller cells carry no tap numbers


def _kind_scale(colors: Sequence[str]) -> list:
    """A discrete plotly colorscale: value ``i`` of ``0..len-1`` drawn in ``colors[i]``."""
    n = len(colors)
    scale = []
    for i, color in enumerate(colors):
        scale += [[round(i / n, 6), color], [round((i + 1) / n, 6), color]]
    return scale


def _as_2d(index: tuple[int, ...], d2: bool) -> tuple[int, ...]:
    # a 1D index as one in row 0 of a one-row grid; a 2D index as it is
    return index if d2 else (0, *index)


def _reader_input(grid: GridSampling, readers: PixelReaders) -> np.ndarray:
    """Input kinds (:data:`_READER_KINDS`) over the padded input, one row in 1D: pixels read or unread,
    padding, the picked pixel and the padding cells through which it is read."""
    d2 = grid.ndim == 2
    rows, cols = grid.axes[0], grid.axes[-1]
    top = rows.pad_left if d2 else 0
    z_in = np.full((rows.padded_size if d2 else 1, cols.padded_size), 2, dtype=np.int64)
    reached = grid.reached if d2 else grid.reached[None, :]
    z_in[top : top + reached.shape[0], cols.pad_left : cols.pad_left + cols.n] = np.where(reached, 0, 1)
    pixel = _as_2d(readers.pixel, d2)
    z_in[pixel[0] + top, pixel[1] + cols.pad_left] = 3
    for r in readers.reads:
        if r.via_padding:
            at = _as_2d(r.position, d2)
            z_in[at[0] + top, at[1] + cols.pad_left] = 4
    return z_in


def _reader_outputs(grid: GridSampling, readers: PixelReaders) -> tuple[np.ndarray, np.ndarray]:
    """Per output (one row in 1D): 1 where it reads the pixel, and the taps that read it (kernel
    positions numbered row by row, as the sampling figure numbers its taps)."""
    d2 = grid.ndim == 2
    z_out = np.zeros(grid.out_shape if d2 else (1, grid.out_shape[0]), dtype=np.int64)
    taps = np.full(z_out.shape, "", dtype=object)
    kernel = tuple(a.kernel_size for a in grid.axes)
    for r in readers.reads:
        o = _as_2d(r.output, d2)
        z_out[o] = 1
        m = str(int(np.ravel_multi_index(r.m, kernel)))  # as the taps
        taps[o] = m if not taps[o] else f"{taps[o]} {m}"
    return z_out, taps


def _reader_cells(grid: GridSampling, readers: PixelReaders) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Input kinds over the padded input, and per output: 1 where it reads the pixel, and its taps
    (kernel positions numbered row by row, as the sampling figure numbers its taps)."""
    return (_reader_input(grid, readers), *_reader_outputs(grid, readers))


READER_GAP = 2.0  # 2D: cells between the input and the output


def _reader_cell(width_px: int, max_height_px: int, wi: int, wo: int, hi: int, ho: int, d2: bool) -> float:
    """The cell size (pixels) of the reverse view: 2D no taller than ``max_height_px`` (on a narrow screen
    the figure shrinks, its height does not), 1D as wide as the figure."""
    if d2:
        fit = min((max(200, width_px - 80)) / (wi + READER_GAP + wo), max_height_px / max(hi, ho))
        return float(np.clip(fit, 4.0, 48.0))
    return float(np.clip((max(200, width_px - 120)) / max(wi, wo), 6.0, 48.0))


def _reader_traces(
    grid: GridSampling,
    readers: PixelReaders,
    cell: float,
    labels: Mapping[str, str],
    colors: Mapping[str, str],
) -> list[go.Heatmap]:
    """The input heatmap (kinds coloured) and the output one (readers coloured, numbered by tap)."""
    z_in, z_out, taps = _reader_cells(grid, readers)
    d2 = grid.ndim == 2
    pad = colors["pad_copy" if grid.mode != "zeros" else "pad_zero"]
    in_scale = _kind_scale([colors["pixel"], colors["unread"], pad, colors["tap"], colors["tap_pad"]])
    text_size = int(np.clip(cell * 0.38, 9, 16)) if cell >= MAX_READER_TEXT_CELL_PX else 1
    common = {"xgap": 1, "ygap": 1, "showscale": False, "zmin": 0}
    return [
        go.Heatmap(
            z=z_in,
            x=grid.axes[-1].padded,
            y=grid.axes[0].padded if d2 else np.zeros(1, dtype=np.int64),
            colorscale=in_scale,
            zmax=len(_READER_KINDS) - 1 + 1e-9,
            hovertemplate=labels["hover_in_2d" if d2 else "hover_in_1d"],
            name="input",
            **common,
        ),
        go.Heatmap(
            z=z_out,
            x=np.arange(grid.out_shape[-1]),
            y=np.arange(z_out.shape[0]) if d2 else np.zeros(1),
            colorscale=_kind_scale([colors["pending"], colors["tap"]]),
            zmax=1 + 1e-9,
            text=taps,
            texttemplate="%{text}" if cell >= MAX_READER_TEXT_CELL_PX else "",
            textfont={"size": text_size, "color": "white"},
            hovertemplate=labels["hover_out_2d" if d2 else "hover_out_1d"],
            name="output",
            xaxis="x2",
            yaxis="y2",
            **common,
        ),
    ]


_READER_AXIS = {"showgrid": False, "zeroline": False, "fixedrange": True}


def _reader_axes_2d(wi: int, wo: int, labels: Mapping[str, str]) -> dict[str, dict]:
    """Input (left) and output (right), titled on top, rows downwards, square cells."""
    span = wi + READER_GAP + wo
    return {
        "xaxis": {
            **_READER_AXIS,
            "domain": [0, round(wi / span, 6)],
            "side": "top",
            "title": {"text": labels["input"]},
        },
        "yaxis": {
            **_READER_AXIS,
            "autorange": "reversed",
            "scaleanchor": "x",
            "constrain": "domain",
            "constraintoward": "top",
        },
        "xaxis2": {
            **_READER_AXIS,
            "domain": [round((wi + READER_GAP) / span, 6), 1],
            "side": "top",
            "title": {"text": labels["output"]},
            "anchor": "y2",
        },
        "yaxis2": {
            **_READER_AXIS,
            "autorange": "reversed",
            "scaleanchor": "x2",
            "constrain": "domain",
            "constraintoward": "top",
            "anchor": "x2",
        },
    }


def _reader_axes_1d(pad_left: int, wi: int, wo: int, labels: Mapping[str, str]) -> dict[str, dict]:
    """Input row on top, output row below, on x axes shifted so that index 0 of each lines up."""
    return {
        "xaxis": {**_READER_AXIS, "domain": [0, 1], "anchor": "y", "range": [-pad_left - 0.5, max(wi, wo)]},
        "yaxis": {**_READER_AXIS, "domain": [0.6, 1], "tickvals": [0], "ticktext": [labels["input"]]},
        "xaxis2": {
            **_READER_AXIS,
            "domain": [0, 1],
            "anchor": "y2",
            "range": [-0.5, max(wi, wo) - pad_left],
        },
        "yaxis2": {**_READER_AXIS, "domain": [0, 0.4], "tickvals": [0], "ticktext": [labels["output"]]},
    }


def readers_figure(
    grid: GridSampling,
    readers: PixelReaders,
    *,
    width_px: int = 1000,
    max_height_px: int = 380,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    theme: Theme = STANDARD,
) -> go.Figure:
    """The reverse view: one input pixel, and every output cell that reads it (static).

    The padded input (left in 2D, on top in 1D) with the picked pixel in ``colors["tap"]``, padding
    cells through which it is read in ``colors["tap_pad"]`` and pixels no output reads in
    ``colors["unread"]``; the output with the cells that read it in ``colors["tap"]``, each numbered by
    the tap(s) ``m`` that read it (row by row in 2D). ``labels`` overrides :data:`READER_LABELS`; ``colors`` :data:`COLORS`.
    ``theme`` as in :func:`sampling_panels`.
    """
    max_height_px = theme.tall(max_height_px)
    lab = {**READER_LABELS, **(labels or {})}
    col = {**COLORS, **(colors or {})}
    rows, cols = grid.axes[0], grid.axes[-1]
    d2 = grid.ndim == 2
    wi, wo = cols.padded_size, grid.out_shape[-1]
    hi, ho = (rows.padded_size, grid.out_shape[0]) if d2 else (1, 1)
    cell = _reader_cell(width_px, max_height_px, wi, wo, hi, ho, d2)
    traces = _reader_traces(grid, readers, cell, lab, col)
    if d2:
        plot_h, top, bottom, axes = max(hi, ho) * cell, 70, 16, _reader_axes_2d(wi, wo, lab)
    else:
        plot_h, top, bottom, axes = 3 * cell + 60, 16, 36, _reader_axes_1d(cols.pad_left, wi, wo, lab)
    layout = {**_base_layout(plot_h, top, bottom, d2), **axes}
    return _themed(go.Figure(data=traces, layout=layout), theme)
