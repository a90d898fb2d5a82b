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


def _static_traces(geo: _Geometry, labels: Mapping[str, str], animated: bool) -> list[go.Heatmap]:
    grid = geo.grid
    cols, rows = geo.cols, geo.rows
    gap = 1 if geo.cell >= 6 else 0
    traces: list = []
    pad_text = None
    # real pixels: reached or unread
    if geo.d2:
        assert rows is not None
        real = np.where(grid.reached, 0.0, 1.0).astype(np.float32)
        x0, y0 = 0, 0
    else:
        real = np.where(cols.reached, 0.0, 1.0).astype(np.float32)[None, :]
        x0, y0 = 0, 0
    real_text = None
    if not geo.d2 and geo.cell_x >= 24:
        real_text = [[f"x{i}" for i in range(cols.n)]]
    traces.append(
        go.Heatmap(
            z=real,
            x0=x0,
            dx=1,
            y0=y0,
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
    )
    # padding cells
    has_pad = any(a.pad_left or a.pad_right for a in grid.axes)
    if has_pad:
        copy = grid.mode != "zeros"
        if geo.d2:
            assert rows is not None
            inside = np.outer(
                (rows.padded >= 0) & (rows.padded < rows.n), (cols.padded >= 0) & (cols.padded < cols.n)
            )
            z = np.where(inside, np.nan, 1.0).astype(np.float32)
            src_r = np.broadcast_to(rows.source[:, None], inside.shape)
            src_c = np.broadcast_to(cols.source[None, :], inside.shape)
            custom = (
                np.stack([src_r, src_c], axis=-1).astype(_index_dtype(max(rows.n, cols.n))) if copy else None
            )
            if geo.cell >= 34 and copy:
                pad_text = [
                    [
                        f"{src_r[i, j]},{src_c[i, j]}" if not inside[i, j] else ""
                        for j in range(inside.shape[1])
                    ]
                    for i in range(inside.shape[0])
                ]
            elif geo.cell >= 20 and not copy:
                pad_text = [["" if v else "0" for v in row] for row in inside]
            py0 = -rows.pad_left
            hover = labels["hover_copy_2d" if copy else "hover_zero_2d"]
        else:
            inside = (cols.padded >= 0) & (cols.padded < cols.n)
            z = np.where(inside, np.nan, 1.0).astype(np.float32)[None, :]
            custom = cols.source.astype(_index_dtype(cols.n))[None, :, None] if copy else None
            if geo.cell_x >= 24:
                pad_text = [
                    [
                        "" if v else (f"x{s}" if copy else "0")
                        for v, s in zip(inside, cols.source, strict=True)
                    ]
                ]
            py0 = 0
            hover = labels["hover_copy_1d" if copy else "hover_zero_1d"]
        color = COLORS["pad_copy" if copy else "pad_zero"]
        traces.append(
            go.Heatmap(
                z=z,
                x0=-cols.pad_left,
                dx=1,
                y0=py0,
                dy=1,
                zmin=0,
                zmax=1,
                colorscale=[[0, color], [1, color]],
                showscale=False,
                xgap=gap,
                ygap=gap,
                customdata=custom,
                hoverongaps=False,
                text=pad_text,
                texttemplate="%{text}" if pad_text else None,
                textfont={"size": (FONT - 4) if geo.d2 else (FONT - 2), "color": COLORS["text"]},
                hovertemplate=hover,
                name="padding",
            )
        )
    # output cells, coloured by computation order
    n_out = grid.n_outputs
    order = np.arange(n_out, dtype=np.uint16 if n_out < 65536 else np.float32).reshape(grid.out_shape)
    out_common = dict(
        zmin=-0.5,
        zmax=n_out - 0.5,
        colorscale=_done_colorscale(0 if animated else None, n_out),
        showscale=False,
        hoverongaps=False,
        name="output",
    )
    if geo.d2:
        assert rows is not None
        pad_r = rows.padding_taps_per_output
        pad_c = cols.padding_taps_per_output
        in_r = rows.kernel_size - pad_r
        in_c = cols.kernel_size - pad_c
        n_pad = grid.n_taps - np.outer(in_r, in_c)
        custom = np.stack(
            [
                np.broadcast_to(rows.taps[:, :1], n_pad.shape),
                np.broadcast_to(rows.taps[:, -1:], n_pad.shape),
                np.broadcast_to(cols.taps[:, 0][None, :], n_pad.shape),
                np.broadcast_to(cols.taps[:, -1][None, :], n_pad.shape),
                n_pad,
            ],
            axis=-1,
        ).astype(np.int16)
        hover = labels["hover_out_2d"].replace("{dr}", str(rows.dilation)).replace("{dc}", str(cols.dilation))
        small = n_out <= MAX_OUTPUT_HOVER
        traces.append(
            go.Heatmap(
                z=order,
                x0=0,
                dx=1,
                y0=0,
                dy=1,
                xgap=gap,
                ygap=gap,
                customdata=custom if small else None,
                hovertemplate=hover if small else labels["hover_out_2d_short"],
                xaxis="x2",
                yaxis="y2",
                **out_common,
            )
        )
    else:
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
        traces.append(
            go.Heatmap(
                z=np.array([zrow], dtype=np.float32),
                x=np.array(edges, dtype=np.float32),
                y=[1.5, 2.5],
                xgap=gap,
                customdata=np.array([crow], dtype=np.int16),
                hovertemplate=labels["hover_out_1d"].replace("{d}", str(cols.dilation)),
                **out_common,
            )
        )
    return traces


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


def _dynamic(geo: _Geometry, flat: int, animated: bool) -> list[dict]:
    """Traces that move from one output to the next (plain dicts, fixed order)."""
    grid = geo.grid
    pos = grid.unravel(flat)
    taps = grid.taps_of(pos)
    src = grid.sources_of(pos)
    inside = np.ones(len(taps), dtype=bool)
    for i, a in enumerate(grid.axes):
        inside &= (taps[:, i] >= 0) & (taps[:, i] < a.n)
    if geo.d2:
        tx, ty = taps[:, 1], taps[:, 0]
        sx, sy = src[:, 1], src[:, 0]
    else:
        tx, ty = taps[:, 0], np.zeros(len(taps), dtype=np.int64)
        sx, sy = src[:, 0], np.zeros(len(taps), dtype=np.int64)
    # the window: the dilated kernel's extent
    if geo.d2:
        rows, cols = grid.axes
        r0, c0 = int(rows.taps[pos[0], 0]), int(cols.taps[pos[1], 0])
        wx, wy = _rect(c0 - 0.5, c0 + cols.k_eff - 0.5, r0 - 0.5, r0 + rows.k_eff - 0.5)
    else:
        c0 = int(grid.axes[0].taps[pos[0], 0])
        wx, wy = _rect(c0 - 0.5, c0 + grid.axes[0].k_eff - 0.5, -0.5, 0.5)
    real_x, real_y = _squares(tx[inside], ty[inside], geo.tap_hx, half_y=geo.tap_hy)
    pad_x, pad_y = _squares(tx[~inside], ty[~inside], geo.tap_hx, half_y=geo.tap_hy)
    # padding taps that copy a real pixel: a line to that pixel and its outline
    copies = (~inside) & (src[:, 0] >= 0)
    n_copy = int(copies.sum())
    lines = n_copy <= MAX_COPY_LINES
    if not lines:
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
    ox_, oy_ = geo.out_xy(pos)
    cur_x, cur_y = _rect(ox_ - 0.5, ox_ + 0.5, oy_ - 0.5, oy_ + 0.5)
    out = [
        {"x": wx, "y": wy},
        {"x": real_x, "y": real_y},
        {"x": pad_x, "y": pad_y},
        {"x": np.concatenate(cx), "y": np.concatenate(cy)},
        {"x": tx.astype(np.int16), "y": ty.astype(np.int16), "text": [str(m) for m in range(len(taps))]},
    ]
    if not geo.d2:
        nan = np.full(len(tx), np.nan)
        lx = np.stack([tx, np.full(len(tx), ox_), nan], axis=1).ravel().astype(np.float32)
        ly = np.stack([np.full(len(tx), 0.5), np.full(len(tx), 1.5), nan], axis=1).ravel().astype(np.float32)
        out.append({"x": lx, "y": ly})
    out.append({"x": cur_x, "y": cur_y})
    if animated:
        out.append({"type": "heatmap", "colorscale": _done_colorscale(flat, grid.n_outputs)})
    return out


def _dynamic_traces(geo: _Geometry, first: list[dict], labels: Mapping[str, str]) -> list:
    """The moving traces with their styles, filled with the first output's data."""
    d2 = geo.d2
    text_px = geo.cell * 0.5 if d2 else min(geo.cell_x * 0.5, 26)
    show_text = text_px >= 8
    xa, ya = ("x2", "y2") if d2 else ("x", "y")
    traces = [
        go.Scatter(
            first[0],
            mode="lines",
            line={"color": COLORS["window"], "width": 2, "dash": "dash"},
            hoverinfo="skip",
            name="window",
        ),
        go.Scatter(
            first[1],
            mode="lines",
            fill="toself",
            fillcolor=COLORS["tap"],
            line={"width": 0, "color": COLORS["tap"]},
            hoverinfo="skip",
            name="taps",
        ),
        go.Scatter(
            first[2],
            mode="lines",
            fill="toself",
            fillcolor=COLORS["tap_pad"],
            line={"width": 0, "color": COLORS["tap_pad"]},
            hoverinfo="skip",
            name="taps in padding",
        ),
        go.Scatter(
            first[3],
            mode="lines",
            line={"color": COLORS["copy"], "width": 2, "dash": "dot"},
            hoverinfo="skip",
            name="copies",
        ),
        go.Scatter(
            first[4],
            mode="text" if show_text else "markers",
            marker={"size": 6, "opacity": 0},
            textfont={"size": float(np.clip(text_px, 8, 22)), "color": "white", "weight": "bold"},
            hovertemplate=labels["hover_tap_2d" if d2 else "hover_tap_1d"],
            name="tap numbers",
        ),
    ]
    i = 5
    if not d2:
        traces.append(
            go.Scatter(
                first[i],
                mode="lines",
                line={"color": COLORS["tap"], "width": 1.5},
                hoverinfo="skip",
                name="to output",
            )
        )
        i += 1
    traces.append(
        go.Scatter(
            first[i],
            mode="lines",
            fill="toself",
            fillcolor="rgba(228,87,46,0.6)",
            line={"color": COLORS["current"], "width": 4},
            hoverinfo="skip",
            name="current output",
            xaxis=xa,
            yaxis=ya,
        )
    )
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


def _layout(geo: _Geometry, labels: Mapping[str, str], title: str | None, animated: bool) -> dict:
    cols = geo.cols
    axis_px = 56 if geo.d2 else 8  # tick labels and panel titles above a 2D grid
    top = (44 if title else 8) + axis_px
    if animated:
        top += 46
    bottom = 96 if animated else 40
    layout = _base_layout(geo.plot_h, top, bottom, geo.d2)
    if title:
        layout["title"] = {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 8},
            "font": {"size": FONT + 4},
        }
    axis_common = {"showgrid": False, "zeroline": False, "ticks": "", "fixedrange": True}
    if geo.d2:
        rows = geo.rows
        assert rows is not None
        xi_end = geo.wi / geo.total
        xo_start = (geo.wi + geo.gap) / geo.total
        layout["xaxis"] = {
            **axis_common,
            "domain": [0, xi_end],
            "range": [-cols.pad_left - 0.5, cols.n + cols.pad_right - 0.5],
            "title": {"text": labels["input"], "standoff": 4},
            "side": "top",
            "constrain": "domain",
        }
        layout["yaxis"] = {
            **axis_common,
            "range": [rows.n + rows.pad_right - 0.5, -rows.pad_left - 0.5],
            "scaleanchor": "x",
            "constrain": "domain",
        }
        layout["xaxis2"] = {
            **axis_common,
            "domain": [xo_start, 1],
            "range": [-0.5, cols.out - 0.5],
            "title": {"text": labels["output"], "standoff": 4},
            "side": "top",
            "anchor": "y2",
            "constrain": "domain",
        }
        layout["yaxis2"] = {
            **axis_common,
            "range": [geo.hi - 0.5, -0.5],
            "scaleanchor": "x2",
            "constrain": "domain",
            "anchor": "x2",
            "showticklabels": True,
            # only ticks inside the output (the axis spans as many rows as the padded input)
            "tickvals": list(range(0, rows.out, _tick_step(geo.cell))),
        }
        for key, size in (("xaxis", cols.padded_size), ("yaxis", rows.padded_size), ("xaxis2", cols.out)):
            if size <= 16:
                layout[key]["dtick"] = 1
        if rows.out <= 16:
            layout["yaxis2"]["dtick"] = 1
    else:
        layout["xaxis"] = {
            **axis_common,
            "range": list(geo.x_range),
            "dtick": 1 if cols.padded_size <= 40 else None,
            "title": {"text": labels["col"], "standoff": 4},
        }
        layout["yaxis"] = {
            **axis_common,
            "range": [2.55, -1.05],
            "tickvals": [0, 2],
            "ticktext": [labels["input_row"], labels["output_row"]],
        }
    return layout


def _controls(
    layout: dict,
    axis_px: int,
    names: list[str],
    slider_labels: list[str],
    duration_ms: int,
    labels: Mapping[str, str],
) -> None:
    """Play/Pause buttons and a step slider (one step per frame)."""
    frame_args = {
        "mode": "immediate",
        "frame": {"duration": duration_ms, "redraw": True},
        "transition": {"duration": 0},
    }
    layout["updatemenus"] = [
        {
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
                    "args": [None, {**frame_args, "fromcurrent": True}],
                },
                {
                    "label": labels["pause"],
                    "method": "animate",
                    "args": [
                        [None],
                        {
                            "mode": "immediate",
                            "frame": {"duration": 0, "redraw": False},
                            "transition": {"duration": 0},
                        },
                    ],
                },
            ],
        }
    ]
    layout["sliders"] = [
        {
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
                {
                    "label": lab,
                    "method": "animate",
                    "args": [
                        [name],
                        {
                            "mode": "immediate",
                            "frame": {"duration": 0, "redraw": True},
                            "transition": {"duration": 0},
                        },
                    ],
                }
                for name, lab in zip(names, slider_labels, strict=True)
            ],
        }
    ]


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
    if d2:
        loose = [_Geometry(g, 10**6, 10**6) for g in grids]  # sizes in cells
        between0 = max(3.0, 0.06 * sum(geo.total for geo in loose))
        cells = sum(geo.wi + geo.wo for geo in loose)
        cell = 52.0
        for _ in range(4):  # the gaps are at least LABEL_GAP_PX wide: they grow, in cells, as cells shrink
            gaps = sum(max(geo.gap, LABEL_GAP_PX / cell) for geo in loose)
            between = max(between0, LABEL_GAP_PX / cell)
            span = cells + gaps + between * (len(grids) - 1)
            fit = min(max(200, width_px - 50) / span, max_height_px / max(geo.hi for geo in loose))
            cell = float(np.clip(fit, MIN_CELL_PX, 52.0))
        geos = [_Geometry(g, 10**6, 10**6, cell_px=cell) for g in grids]
        between = max(between0, LABEL_GAP_PX / cell)
        span = sum(geo.total for geo in geos) + between * (len(grids) - 1)
    else:
        x_range = shared_x_range(grids)
        geos = [_Geometry(g, int(width_px), int(max_height_px), x_range=x_range) for g in grids]
    data: list = []
    updated: list[int] = []  # per panel: its moving traces, then its output heatmap
    axes: dict[str, dict] = {}
    annotations = []
    first = _first_flats(grids, position, frames)
    offset_x = 0.0
    title_px = (TITLE_PX + 24 * max(t.count("<br>") for t in titles)) if titles else 0
    gap_px = 36 + max(title_px, TITLE_PX)  # 1D: the x tick labels of the panel above, then this title
    total_h = len(grids) * PANEL_PX_1D + (len(grids) - 1) * gap_px
    for p, (geo, flat) in enumerate(zip(geos, first, strict=True)):
        offset = 2 * p if d2 else p
        static = _static_traces(geo, lab, animated)
        moving = _dynamic_traces(geo, _dynamic(geo, flat, animated), lab)
        for trace in (*static, *moving):
            trace.update(
                xaxis=_axis_id(trace.xaxis or "x", offset), yaxis=_axis_id(trace.yaxis or "y", offset)
            )
        n = len(data)
        data.extend(static)
        data.extend(moving)
        updated.extend([*range(n + len(static), n + len(static) + len(moving)), n + len(static) - 1])
        panel_axes = _moved_axes(_layout(geo, lab, None, animated), offset)
        if d2:
            x_in, x_out = _axis_key(_axis_id("x", offset)), _axis_key(_axis_id("x2", offset))

            def frac(cells: float) -> float:
                return float(np.clip(round(cells / span, 6), 0.0, 1.0))

            start = frac(offset_x)
            panel_axes[x_in]["domain"] = [start, frac(offset_x + geo.wi)]
            panel_axes[x_out]["domain"] = [frac(offset_x + geo.wi + geo.gap), frac(offset_x + geo.total)]
            for key in (_axis_key(_axis_id("y", offset)), _axis_key(_axis_id("y2", offset))):
                panel_axes[key]["constraintoward"] = "top"
            panel_axes[x_in]["anchor"] = _axis_id("y", offset)  # each panel's input axes on each other
            panel_axes[_axis_key(_axis_id("y", offset))]["anchor"] = _axis_id("x", offset)
            offset_x += geo.total + between
            y_title, y_shift = 1.0, 56
        else:
            x_key, y_key = _axis_key(_axis_id("x", offset)), _axis_key(_axis_id("y", offset))
            top_px = p * (PANEL_PX_1D + gap_px)
            panel_axes[y_key]["domain"] = [
                float(np.clip(round(1 - (top_px + PANEL_PX_1D) / total_h, 6), 0.0, 1.0)),
                float(np.clip(round(1 - top_px / total_h, 6), 0.0, 1.0)),
            ]
            panel_axes[x_key]["anchor"] = _axis_id("y", offset)
            if p < len(grids) - 1:
                panel_axes[x_key].pop("title", None)  # the column label once, under the last panel
            start, y_title, y_shift = 0.0, 1 - top_px / total_h, 4
        axes.update(panel_axes)
        if titles:
            annotations.append(
                {
                    "text": titles[p],
                    "x": start,
                    "xref": "paper",
                    "xanchor": "left",
                    "y": y_title,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "yshift": y_shift,
                    "showarrow": False,
                    "align": "left",
                    "font": {"size": FONT + 4},
                }
            )
    axis_px = 56 if d2 else 0
    top = 8 + title_px + axis_px + (46 if animated else 0)
    bottom = 96 if animated else 40
    plot_h = max(geo.hi for geo in geos) * geos[0].cell if d2 else total_h
    layout = {**_base_layout(plot_h, top, bottom, d2), "annotations": annotations, **axes}
    if not animated:
        return _themed(go.Figure(data=data, layout=layout), theme)
    lead = max(range(len(grids)), key=lambda i: grids[i].n_outputs)
    fig_frames = []
    names, slider_labels = [], []
    for flats in frames:
        pos = grids[lead].unravel(int(flats[lead]))  # type: ignore[arg-type]  # the lead has every position
        dyn: list[dict] = []
        for geo, g, flat in zip(geos, grids, flats, strict=True):
            dyn.extend(
                _dynamic(geo, flat, True) if flat is not None else _no_output(geo, done_before(g, pos))
            )
        name = str(flats[lead])
        names.append(name)
        slider_labels.append(_position_label(pos))
        fig_frames.append({"name": name, "data": dyn, "traces": list(updated)})
    _drop_empty(fig_frames)
    duration = int(np.clip(9000 / len(frames), 150, 700))
    _controls(layout, axis_px + title_px, names, slider_labels, duration, lab)
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


def _reader_cells(grid: GridSampling, readers: PixelReaders) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Input kinds over the padded input, and per output: 1 where it reads the pixel, and its taps
    (kernel positions numbered row by row, as the sampling figure numbers its taps)."""
    rows = grid.axes[0] if grid.ndim == 2 else None
    cols = grid.axes[-1]
    top = rows.pad_left if rows is not None else 0
    z_in = np.full((rows.padded_size if rows is not None else 1, cols.padded_size), 2, dtype=np.int64)
    reached = grid.reached if rows is not None else grid.reached[None, :]
    z_in[top : top + reached.shape[0], cols.pad_left : cols.pad_left + cols.n] = np.where(reached, 0, 1)
    pixel = readers.pixel if rows is not None else (0, *readers.pixel)
    z_in[pixel[0] + top, pixel[1] + cols.pad_left] = 3
    z_out = np.zeros(grid.out_shape if rows is not None else (1, grid.out_shape[0]), dtype=np.int64)
    taps = np.full(z_out.shape, "", dtype=object)
    for r in readers.reads:
        at = r.position if rows is not None else (0, *r.position)
        if r.via_padding:
            z_in[at[0] + top, at[1] + cols.pad_left] = 4
        o = r.output if rows is not None else (0, *r.output)
        z_out[o] = 1
        m = str(int(np.ravel_multi_index(r.m, tuple(a.kernel_size for a in grid.axes))))  # as the taps
        taps[o] = m if not taps[o] else f"{taps[o]} {m}"
    return z_in, z_out, taps


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
    z_in, z_out, taps = _reader_cells(grid, readers)
    rows = grid.axes[0] if grid.ndim == 2 else None
    cols = grid.axes[-1]
    pad = col["pad_copy" if grid.mode != "zeros" else "pad_zero"]
    in_scale = _kind_scale([col["pixel"], col["unread"], pad, col["tap"], col["tap_pad"]])
    out_scale = _kind_scale([col["pending"], col["tap"]])
    d2 = rows is not None
    x_in = cols.padded
    y_in = rows.padded if rows is not None else np.zeros(1, dtype=np.int64)
    wi, wo = cols.padded_size, grid.out_shape[-1]
    hi, ho = z_in.shape[0], z_out.shape[0]
    gap = 2.0
    if d2:  # no taller than max_height_px: on a narrow screen the figure shrinks, its height does not
        cell = float(
            np.clip(min((max(200, width_px - 80)) / (wi + gap + wo), max_height_px / max(hi, ho)), 4.0, 48.0)
        )
        plot_h = max(hi, ho) * cell
    else:
        cell = float(np.clip((max(200, width_px - 120)) / max(wi, wo), 6.0, 48.0))
        plot_h = 3 * cell + 60
    text_size = int(np.clip(cell * 0.38, 9, 16)) if cell >= MAX_READER_TEXT_CELL_PX else 1
    common = {"xgap": 1, "ygap": 1, "showscale": False, "zmin": 0}
    traces = [
        go.Heatmap(
            z=z_in,
            x=x_in,
            y=y_in,
            colorscale=in_scale,
            zmax=len(_READER_KINDS) - 1 + 1e-9,
            hovertemplate=lab["hover_in_2d" if d2 else "hover_in_1d"],
            name="input",
            **common,
        ),
        go.Heatmap(
            z=z_out,
            x=np.arange(wo),
            y=np.arange(ho) if d2 else np.zeros(1),
            colorscale=out_scale,
            zmax=1 + 1e-9,
            text=taps,
            texttemplate="%{text}" if cell >= MAX_READER_TEXT_CELL_PX else "",
            textfont={"size": text_size, "color": "white"},
            hovertemplate=lab["hover_out_2d" if d2 else "hover_out_1d"],
            name="output",
            xaxis="x2",
            yaxis="y2",
            **common,
        ),
    ]
    axis = {"showgrid": False, "zeroline": False, "fixedrange": True}
    if d2:
        span = wi + gap + wo
        layout = {
            "xaxis": {
                **axis,
                "domain": [0, round(wi / span, 6)],
                "side": "top",
                "title": {"text": lab["input"]},
            },
            "yaxis": {
                **axis,
                "autorange": "reversed",
                "scaleanchor": "x",
                "constrain": "domain",
                "constraintoward": "top",
            },
            "xaxis2": {
                **axis,
                "domain": [round((wi + gap) / span, 6), 1],
                "side": "top",
                "title": {"text": lab["output"]},
                "anchor": "y2",
            },
            "yaxis2": {
                **axis,
                "autorange": "reversed",
                "scaleanchor": "x2",
                "constrain": "domain",
                "constraintoward": "top",
                "anchor": "x2",
            },
        }
        top, bottom = 70, 16
    else:
        layout = {
            "xaxis": {**axis, "domain": [0, 1], "anchor": "y", "range": [-cols.pad_left - 0.5, max(wi, wo)]},
            "yaxis": {**axis, "domain": [0.6, 1], "tickvals": [0], "ticktext": [lab["input"]]},
            "xaxis2": {
                **axis,
                "domain": [0, 1],
                "anchor": "y2",
                "range": [-0.5, max(wi, wo) - cols.pad_left],
            },
            "yaxis2": {**axis, "domain": [0, 0.4], "tickvals": [0], "ticktext": [lab["output"]]},
        }
        top, bottom = 16, 36
    layout = {**_base_layout(plot_h, top, bottom, d2), **layout}
    return _themed(go.Figure(data=traces, layout=layout), theme)
