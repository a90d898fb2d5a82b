"""Figures of a depthwise-separable layer against a standard one, channel by channel.

Both figures share one picture: channels are rows, output channels are columns with their tile at
the bottom (each output sums its column). Kernels are drawn as ``k_eff x k_eff`` boxes with the ``k x k``
taps filled and the dilation gaps left empty.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from .theme import STANDARD, Theme, themed

PALETTE: tuple[str, ...] = tuple(qualitative.Plotly)
PITCH = 1.25  # distance between rows and between columns, in data units
TILE = 0.9  # side of a channel tile and of a kernel box
GREY = "#9aa0a6"


@dataclass(frozen=True)
class SeparableTexts:
    """Every text the figures draw, as ``str.format`` templates (English by default; pass translations).

    Fields and their placeholders: headers over the columns, ``more_*`` for channels not drawn, ``tip_*``
    for the hover texts. ``step_hover`` is a plotly hover template (``%{x}``-style, not formatted here).
    """

    separable_title: str = "Depthwise separable"
    standard_title: str = "Standard"
    input_header: str = "input<br>C_in<br>= {c_in}"
    depthwise_header: str = "depth-<br>wise {k}×{k}<br>d = {d}"
    middle_header: str = "middle<br>C_in·m<br>= {mid}"
    pointwise_header: str = "pointwise 1×1<br>C_out = {c_out}"
    standard_header: str = "C_in×C_out = {kernels} kernels<br>{k}×{k}, d = {d}"
    more_inputs: str = "+{n} more"
    more_outputs: str = "+{n}"
    tip_input: str = "input channel {c}"
    tip_depthwise: str = "depthwise kernel {q}: {k}x{k} at dilation {d}, reads input channel {c} only"
    tip_middle: str = "intermediate channel {q} (from input channel {c})"
    tip_pointwise: str = "pointwise weight P[{o}, {q}]: one number"
    tip_output: str = "output channel {o} = sum of its column"
    tip_kernel: str = "kernel W[{o}, {c}]: {k}x{k} at dilation {d}"
    step_input: str = "input under the taps"
    step_depthwise: str = "depthwise D{j} (P = {p})"
    step_composed: str = "composed kernel"
    step_hover: str = "row %{y}, col %{x}: %{z:.4g}<extra></extra>"


ENGLISH = SeparableTexts()


def _color(channel: int) -> str:
    return PALETTE[channel % len(PALETTE)]


def _rect(x0: float, y0: float, x1: float, y1: float) -> tuple[list, list]:
    # closed polygon (for fill="toself"), then a None break
    return [x0, x1, x1, x0, x0, None], [y0, y0, y1, y1, y0, None]


def _coords(values: list) -> np.ndarray:
    # polyline coordinates, None (a break between shapes) as NaN
    return np.array(values, dtype=np.float64)


class _Canvas:
    """Collects polygons, lines and labels, then emits few traces (one per colour)."""

    def __init__(self) -> None:
        self.fills: dict[str, tuple[list, list]] = {}
        self.lines: dict[tuple[str, float], tuple[list, list]] = {}
        self.hover: tuple[list, list, list] = ([], [], [])
        self.labels: list[dict] = []

    def fill(self, color: str, x0: float, y0: float, x1: float, y1: float) -> None:
        xs, ys = self.fills.setdefault(color, ([], []))
        rx, ry = _rect(x0, y0, x1, y1)
        xs.extend(rx)
        ys.extend(ry)

    def line(self, color: str, width: float, xs: Sequence[float], ys: Sequence[float]) -> None:
        lx, ly = self.lines.setdefault((color, width), ([], []))
        lx.extend([*xs, None])
        ly.extend([*ys, None])

    def tip(self, x: float, y: float, text: str) -> None:
        self.hover[0].append(x)
        self.hover[1].append(y)
        self.hover[2].append(text)

    def label(self, x: float, y: float, text: str, size: int = 13, color: str = "#222", **kw) -> None:
        self.labels.append(
            dict(x=x, y=y, text=text, showarrow=False, font=dict(size=size, color=color), **kw)
        )

    def tile(self, cx: float, cy: float, color: str, text: str, tip: str, height: float = TILE) -> None:
        self.fill(color, cx - TILE / 2, cy - height / 2, cx + TILE / 2, cy + height / 2)
        self.label(cx, cy, text, size=12, color="white")
        self.tip(cx, cy, tip)

    def kernel(self, cx: float, cy: float, k: int, d: int, color: str, tip: str) -> None:
        # k_eff x k_eff box, k x k taps filled, gaps empty
        k_eff = d * (k - 1) + 1
        cell = TILE / k_eff
        x0, y1 = cx - TILE / 2, cy + TILE / 2
        if k_eff <= 25:
            for i in range(k_eff + 1):
                self.line("#d0d4d9", 0.6, [x0 + i * cell, x0 + i * cell], [y1 - TILE, y1])
                self.line("#d0d4d9", 0.6, [x0, x0 + TILE], [y1 - i * cell, y1 - i * cell])
        self.line("#5f6368", 1.2, [x0, x0 + TILE, x0 + TILE, x0, x0], [y1, y1, y1 - TILE, y1 - TILE, y1])
        pad = cell * 0.08
        for u in range(k):
            for v in range(k):
                tx, ty = x0 + d * v * cell, y1 - d * u * cell
                self.fill(color, tx + pad, ty - cell + pad, tx + cell - pad, ty - pad)
        self.tip(cx, cy, tip)

    def traces(self) -> list[dict]:
        # plain trace dicts (plotly validates a go.Scatter point by point); coordinates as float arrays
        # (copied and sent at once, not number by number), a break between shapes as NaN
        out: list[dict] = []
        for (color, width), (xs, ys) in self.lines.items():
            out.append(
                dict(
                    type="scatter",
                    x=_coords(xs),
                    y=_coords(ys),
                    mode="lines",
                    line=dict(color=color, width=width),
                    hoverinfo="skip",
                )
            )
        for color, (xs, ys) in self.fills.items():
            out.append(
                dict(
                    type="scatter",
                    x=_coords(xs),
                    y=_coords(ys),
                    mode="lines",
                    fill="toself",
                    fillcolor=color,
                    line=dict(color=color, width=0.5),
                    hoverinfo="skip",
                )
            )
        hx, hy, ht = self.hover
        out.append(
            dict(
                type="scatter",
                x=_coords(hx),
                y=_coords(hy),
                mode="markers",
                marker=dict(size=22, opacity=0),
                hovertext=ht,
                hoverinfo="text",
            )
        )
        return out


def _figure(
    canvas: _Canvas,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    title: str,
    width_hint: int = 480,
) -> go.Figure:
    # height from the aspect ratio at about ``width_hint`` pixels wide, so no band stays empty; built from
    # plain dicts without plotly's validation (thousands of points: ~30 ms a figure with it)
    aspect = (y_range[1] - y_range[0]) / (x_range[1] - x_range[0])
    height = int(min(max(60 + width_hint * aspect, 260), 900))
    layout = dict(
        title=dict(text=title, font=dict(size=16)),
        showlegend=False,
        annotations=canvas.labels,
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        hovermode="closest",
        xaxis=dict(visible=False, range=list(x_range), fixedrange=True),
        yaxis=dict(visible=False, range=list(y_range), scaleanchor="x", scaleratio=1, fixedrange=True),
    )
    return go.Figure(data=canvas.traces(), layout=layout, _validate=False)


def shown_channels(
    in_channels: int, out_channels: int, depth_multiplier: int = 1, max_rows: int = 8
) -> tuple[int, int]:
    """How many input and output channels the figures draw: at most ``max_rows`` rows of
    ``C_in*m`` intermediate channels, and at most ``max_rows`` outputs."""
    m = max(1, depth_multiplier)
    return max(1, min(in_channels, max_rows // m)), min(out_channels, max_rows)


def create_separable_figure(
    in_channels: int,
    out_channels: int,
    depth_multiplier: int,
    kernel_size: int,
    dilation: int,
    max_rows: int = 8,
    title: str | None = None,
    texts: SeparableTexts = ENGLISH,
    width_hint: int = 480,
    theme: Theme = STANDARD,
) -> go.Figure:
    """The two stages, channel by channel: each input channel meets only its own ``m`` depthwise kernels
    (dilation gaps drawn), giving ``C_in*m`` intermediate channels; the pointwise stage mixes them with one
    weight (a dot) per (intermediate, output) pair, summed down each output's column. ``title`` defaults
    to ``texts.separable_title``; the height fits a drawing about ``width_hint`` pixels wide."""
    tx = texts
    m = depth_multiplier
    c_show, o_show = shown_channels(in_channels, out_channels, m, max_rows)
    rows = c_show * m
    cv = _Canvas()
    x_in, x_dw, x_mid = 0.0, 1.9, 3.8
    x_out = [5.5 + j * PITCH for j in range(o_show)]
    y_row = [-q * PITCH for q in range(rows)]
    y_bottom = y_row[-1] - 1.6
    for c in range(c_show):
        ys = y_row[c * m : (c + 1) * m]
        color = _color(c)
        cy = float(np.mean(ys))
        cv.tile(x_in, cy, color, f"x{c}", tx.tip_input.format(c=c), height=(m - 1) * PITCH + TILE)
        for j, y in enumerate(ys):
            q = c * m + j
            cv.line(color, 1.5, [x_in + TILE / 2, x_dw - TILE / 2], [y, y])
            cv.kernel(
                x_dw,
                y,
                kernel_size,
                dilation,
                color,
                tx.tip_depthwise.format(q=q, k=kernel_size, d=dilation, c=c),
            )
            cv.line(color, 1.5, [x_dw + TILE / 2, x_mid - TILE / 2], [y, y])
            cv.tile(x_mid, y, color, f"z{q}", tx.tip_middle.format(q=q, c=c))
            cv.line(GREY, 0.8, [x_mid + TILE / 2, x_out[-1]], [y, y])
    for j, x in enumerate(x_out):
        cv.line(GREY, 0.8, [x, x], [y_row[0], y_bottom + TILE / 2])
        for q, y in enumerate(y_row):
            cv.fill(_color(q // m), x - 0.14, y - 0.14, x + 0.14, y + 0.14)
            cv.tip(x, y, tx.tip_pointwise.format(o=j, q=q))
        cv.tile(x, y_bottom, "#3c4043", f"y{j}", tx.tip_output.format(o=j))
    top = y_row[0] + 1.5
    cv.label(x_in, top, tx.input_header.format(c_in=in_channels), size=12)
    cv.label(x_dw, top, tx.depthwise_header.format(k=kernel_size, d=dilation), size=12)
    cv.label(x_mid, top, tx.middle_header.format(mid=in_channels * m), size=12)
    cv.label(float(np.mean(x_out)), top, tx.pointwise_header.format(c_out=out_channels), size=12)
    corners = (x_in, x_out[-1], y_row[-1], y_bottom, top)
    hidden = (in_channels - c_show, out_channels - o_show)
    fig = _finish(cv, tx, corners, hidden, tx.separable_title if title is None else title, width_hint)
    return themed(fig, theme, grow_height=False)  # sized for the theme by ``width_hint``


def _finish(
    cv: _Canvas,
    tx: SeparableTexts,
    corners: tuple[float, float, float, float, float],
    hidden: tuple[int, int],
    title: str,
    width_hint: int,
) -> go.Figure:
    """The figure of a stage drawing: notes on how many input and output channels it leaves out (none
    when all are drawn), and axes around it. ``corners``: x of the inputs and of the last output, y of
    the last input row, of the outputs and of the headers; ``hidden``: inputs and outputs left out."""
    x_in, x_out, y_last, y_bottom, top = corners
    hidden_inputs, hidden_outputs = hidden
    if hidden_inputs > 0:
        cv.label(x_in, y_last - 0.9, tx.more_inputs.format(n=hidden_inputs), size=11, color="#5f6368")
    if hidden_outputs > 0:
        cv.label(x_out + 0.9, y_bottom, tx.more_outputs.format(n=hidden_outputs), size=11, color="#5f6368")
    return _figure(cv, (x_in - 0.8, x_out + 1.2), (y_bottom - 0.8, top + 0.8), title, width_hint)


def create_standard_figure(
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    dilation: int,
    max_rows: int = 8,
    title: str | None = None,
    texts: SeparableTexts = ENGLISH,
    width_hint: int = 480,
    theme: Theme = STANDARD,
) -> go.Figure:
    """A standard layer in the same picture: one ``k x k`` kernel for every (input, output) pair, so every
    output's column holds ``C_in`` kernels. ``title`` defaults to ``texts.standard_title``; the height fits
    a drawing about ``width_hint`` pixels wide."""
    tx = texts
    c_show, o_show = shown_channels(in_channels, out_channels, 1, max_rows)
    cv = _Canvas()
    x_in = 0.0
    x_out = [1.6 + j * PITCH for j in range(o_show)]
    y_row = [-c * PITCH for c in range(c_show)]
    y_bottom = y_row[-1] - 1.6
    for c, y in enumerate(y_row):
        color = _color(c)
        cv.tile(x_in, y, color, f"x{c}", tx.tip_input.format(c=c))
        cv.line(color, 1.2, [x_in + TILE / 2, x_out[-1] - TILE / 2], [y, y])
    for j, x in enumerate(x_out):
        cv.line(GREY, 0.8, [x, x], [y_row[-1] - TILE / 2, y_bottom + TILE / 2])
        for c, y in enumerate(y_row):
            cv.kernel(
                x,
                y,
                kernel_size,
                dilation,
                _color(c),
                tx.tip_kernel.format(o=j, c=c, k=kernel_size, d=dilation),
            )
        cv.tile(x, y_bottom, "#3c4043", f"y{j}", tx.tip_output.format(o=j))
    top = y_row[0] + 1.5
    cv.label(x_in, top, tx.input_header.format(c_in=in_channels), size=12)
    cv.label(
        float(np.mean(x_out)),
        top,
        tx.standard_header.format(kernels=f"{in_channels * out_channels:,}", k=kernel_size, d=dilation),
        size=12,
    )
    corners = (x_in, x_out[-1], y_row[-1], y_bottom, top)
    hidden = (in_channels - c_show, out_channels - o_show)
    fig = _finish(cv, tx, corners, hidden, tx.standard_title if title is None else title, width_hint)
    return themed(fig, theme, grow_height=False)  # sized for the theme by ``width_hint``


# plotly's "RdBu" as validation spells it out (plotly.js has another "RdBu" of its own)
_RDBU = go.Heatmap(colorscale="RdBu").colorscale


@lru_cache(maxsize=8)
def _step_grid_json(panels: int) -> str:
    # make_subplots' layout of one row of ``panels`` titled subplots (axis domains, title positions), as JSON
    grid = make_subplots(rows=1, cols=panels, subplot_titles=["_"] * panels, horizontal_spacing=0.04)
    return json.dumps(grid.layout.to_plotly_json())


def _step_grid(panels: int) -> dict:
    # a fresh copy of that layout: the step figure is built from dicts, without plotly's validation
    return json.loads(_step_grid_json(panels))


def create_step_figure(
    patch: np.ndarray,
    depthwise: np.ndarray,
    pointwise: np.ndarray,
    composed: np.ndarray,
    titles: Sequence[str] | None = None,
    texts: SeparableTexts = ENGLISH,
    theme: Theme = STANDARD,
) -> go.Figure:
    """One input channel of the step-through as numbered heatmaps: the input under the taps ``(k, k)``,
    its ``m`` depthwise kernels ``(m, k, k)`` (with their pointwise weights ``(m,)``), and the composed
    standard kernel ``(k, k)`` = the sum of the depthwise kernels weighted by the pointwise weights."""
    m = depthwise.shape[0]
    panels = [patch, *depthwise, composed]
    default = [texts.step_input]
    default += [texts.step_depthwise.format(j=j, p=f"{pointwise[j]:g}") for j in range(m)]
    default += [texts.step_composed]
    names = list(titles) if titles is not None else default
    if len(names) != len(panels):
        raise ValueError(f"titles must have {len(panels)} entries, got {len(names)}")
    layout = _step_grid(len(panels))
    layout["annotations"] = [
        {**ann, "text": name} for ann, name in zip(layout["annotations"], names, strict=True) if name
    ]
    data = []
    for i, z in enumerate(panels):
        z = np.asarray(z, dtype=float)
        bound = float(np.abs(z).max()) or 1.0
        axis = "" if i == 0 else str(i + 1)
        data.append(
            dict(
                type="heatmap",
                z=z,
                zmin=-bound,
                zmax=bound,
                colorscale=_RDBU,
                showscale=False,
                texttemplate="%{z:.4~g}",
                textfont=dict(size=theme.text(14)),
                hovertemplate=texts.step_hover,
                xgap=2,
                ygap=2,
                xaxis="x" + axis,
                yaxis="y" + axis,
            )
        )
        layout["xaxis" + axis].update(showticklabels=False, constrain="domain")
        layout["yaxis" + axis].update(
            autorange="reversed", showticklabels=False, scaleanchor="x" + axis, constrain="domain"
        )
    lines = max(name.count("<br>") + 1 for name in names)  # titles may take several lines
    layout.update(
        height=240 + 20 * lines, margin=dict(l=10, r=10, t=20 + 20 * lines, b=10), plot_bgcolor="white"
    )
    return themed(go.Figure(data=data, layout=layout, _validate=False), theme)
