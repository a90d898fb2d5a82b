"""Figures of the Receptive field page: pure functions, plain values in, ``go.Figure`` out.

Coverage maps colour ``log10`` path counts; holes get a colour of their own (a band below the scale),
cells outside the field stay empty (NaN). Animation frames are plain dicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

if TYPE_CHECKING:  # theme.py takes HOLE_COLOUR from here: the theme itself is imported where it is used
    from .theme import Theme

HOLE_COLOUR = "#e4002b"
SCALE = ["#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725"]  # viridis, dark = few paths
ERF_SCALE = [[0.0, "#ffffff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"]]
MASK_COLOUR = "#ff7f0e"
FONT = {"size": 15}


@dataclass(frozen=True)
class FigureText:
    """Every word the figures of this page show (English defaults; a page passes translated ones).

    Hover templates keep plotly's ``%{x}``, ``%{y}`` and ``%{z:...}`` fields.
    """

    hole: str = "hole"
    paths: str = "paths"
    hover_2d: str = "offset x %{x}, y %{y}<br>log₁₀ paths %{z:.2f} (below 0: hole)<extra></extra>"
    hover_1d: str = "offset %{x}<br>%{y}<br>log₁₀ paths %{z:.2f} (below 0: hole)<extra></extra>"
    play: str = "▶ Play"
    pause: str = "❚❚ Pause"
    after_layer: str = "after layer "
    offset_x_px: str = "input offset x (pixels)"
    offset_y_px: str = "input offset y (pixels)"
    offset_x: str = "input offset x"
    offset_y: str = "input offset y"
    offset_1d: str = "input offset (pixels, relative to the output)"
    gradient: str = "|gradient|"
    hover_erf: str = "offset x %{x}, y %{y}<br>|gradient| %{z:.3f} of max<extra></extra>"
    mass: str = "95% of the gradient"
    path_count: str = "path count (exact)"
    erf_line: str = "|gradient| (effective field)"
    share: str = "share of the maximum"
    extent: str = "extent r (pixels)"
    stride: str = "effective stride j"


TEXT = FigureText()


def _scale(
    zmax: float, hole_label: str = "hole"
) -> tuple[list[list[object]], float, float, list[float], list[str]]:
    """Colour scale with a hole band at the bottom: ``(colorscale, zmin, zmax, tickvals, ticktext)``."""
    top = max(float(zmax), 1.0)
    hole = -0.12 * top - 0.05
    cut = (0.0 - hole) / (top - hole)
    scale: list[list[object]] = [[0.0, HOLE_COLOUR], [cut * 0.999, HOLE_COLOUR]]
    for i, colour in enumerate(SCALE):
        scale.append([min(1.0, cut + (1 - cut) * i / (len(SCALE) - 1)), colour])
    scale[-1][0] = 1.0
    step = max(1, int(np.ceil(top / 6)))
    ticks = list(range(0, int(np.floor(top)) + 1, step))
    tickvals = [hole / 2, *[float(t) for t in ticks]]
    ticktext = [hole_label, *[_pow10(t) for t in ticks]]
    return scale, hole, top, tickvals, ticktext


def _pow10(t: int) -> str:
    return f"{10**t:,}" if t <= 6 else f"1e{t}"


def _encode(level: np.ndarray, hole: np.ndarray, hole_value: float) -> np.ndarray:
    """Levels as float32 with holes set to ``hole_value`` (NaN stays NaN: outside the field)."""
    z = np.array(level, dtype=np.float32, copy=True)
    z[np.asarray(hole, dtype=bool)] = hole_value
    return z


def _zmax(levels: Sequence[np.ndarray]) -> float:
    tops = [float(np.nanmax(lv)) for lv in levels if np.isfinite(lv).any()]
    return max(tops, default=0.0)


def _colorbar(tickvals: list[float], ticktext: list[str], title: str) -> dict[str, object]:
    return {"title": {"text": title}, "tickvals": tickvals, "ticktext": ticktext, "len": 0.9}


def _play_controls(
    names: Sequence[str], labels: Sequence[str], duration_ms: int, text: FigureText = TEXT
) -> dict[str, object]:
    """Play/pause buttons and a step slider for frames ``names``."""
    play = {
        "label": text.play,
        "method": "animate",
        "args": [
            list(names),
            {
                "frame": {"duration": duration_ms, "redraw": True},
                "mode": "immediate",
                "transition": {"duration": 0},
            },
        ],
    }
    pause = {
        "label": text.pause,
        "method": "animate",
        "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}],
    }
    steps = [
        {
            "label": label,
            "method": "animate",
            "args": [[name], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}],
        }
        for name, label in zip(names, labels, strict=True)
    ]
    return {
        "updatemenus": [
            {
                "type": "buttons",
                "direction": "left",
                "x": 1.0,
                "y": 1.02,
                "xanchor": "right",
                "yanchor": "bottom",
                "showactive": False,
                "buttons": [play, pause],
            }
        ],
        "sliders": [
            {
                "active": len(steps) - 1,
                "x": 0.0,
                "len": 1.0,
                "y": 0.0,
                "yanchor": "top",
                "pad": {"t": 70},
                "currentvalue": {"prefix": text.after_layer, "font": {"size": 14}},
                "steps": steps,
            }
        ],
    }


def white_style(fig: go.Figure, theme: Theme | None = None) -> go.Figure:
    """White paper, light grid lines and the theme's type sizes (``None``: the standard theme) on a
    figure of this page, with its animation controls, colour bars and annotations; returns ``fig``.
    Set in the figure itself, so it looks the same under any plotly template."""
    from .theme import STANDARD

    theme = STANDARD if theme is None else theme
    small = max(theme.font_size - 2, 10)
    fig.update_layout(
        paper_bgcolor="white",
        font={"size": theme.font_size},
        title_font_size=theme.title_size,
        legend_font_size=small,
        hoverlabel_font_size=theme.font_size,
    )
    axis = {"gridcolor": "#ebedf0", "linecolor": "#c8ccd2", "zerolinecolor": "#c8ccd2"}
    fig.update_xaxes(tickfont_size=small, title_font_size=theme.font_size, **axis)
    fig.update_yaxes(tickfont_size=small, title_font_size=theme.font_size, **axis)
    fig.update_traces(
        colorbar_tickfont_size=small, colorbar_title_font_size=theme.font_size, selector={"type": "heatmap"}
    )
    if fig.layout.sliders:
        fig.layout.sliders[0].currentvalue.font.size = theme.font_size
        fig.layout.sliders[0].font = {"size": small}
    if fig.layout.updatemenus:
        fig.layout.updatemenus[0].font = {"size": small}
    fig.update_annotations(font_size=theme.font_size)
    return fig


def _themed(fig: go.Figure, theme: Theme | None, white: bool = False) -> go.Figure:
    # the figure in ``theme`` (``None``: the standard one): sizes grown (``themed``), then on white paper
    # with the theme's type (``white_style``) where ``white`` or in any theme but the standard one
    from .theme import STANDARD, themed

    theme = STANDARD if theme is None else theme
    if theme == STANDARD and not white:
        return fig
    return white_style(themed(fig, theme), theme)


def coverage_animation_2d(
    levels: Sequence[np.ndarray],
    holes: Sequence[np.ndarray],
    centres: np.ndarray,
    labels: Sequence[str],
    title: str,
    duration_ms: int = 700,
    text: FigureText = TEXT,
    theme: Theme | None = None,
) -> go.Figure:
    """Animated 2D coverage: frame ``l`` shows the field after layer ``l`` (square, ``(cells, cells)``).

    ``levels`` are ``log10`` path counts (NaN outside the field), ``holes`` boolean masks, ``centres``
    the offset of each cell. The figure opens on the last frame. ``theme`` (default: the standard
    one) gives the type sizes, see :func:`white_style`.
    """
    if not levels:
        raise ValueError("levels must hold at least one frame")
    scale, zmin, zmax, tickvals, ticktext = _scale(_zmax(levels), text.hole)
    zs = [_encode(lv, h, (zmin + 0.0) / 2) for lv, h in zip(levels, holes, strict=True)]
    x = np.asarray(centres, dtype=np.float64)
    trace = {
        "type": "heatmap",
        "x": x,
        "y": x,
        "z": zs[-1],
        "colorscale": scale,
        "zmin": zmin,
        "zmax": zmax,
        "colorbar": _colorbar(tickvals, ticktext, text.paths),
        "hovertemplate": text.hover_2d,
    }
    names = [str(i) for i in range(len(zs))]
    frames = [
        {"name": n, "data": [{"type": "heatmap", "z": z}], "traces": [0]}
        for n, z in zip(names, zs, strict=True)
    ]
    layout = {
        "title": {"text": title},
        "font": FONT,
        "height": 680,
        "margin": {"l": 60, "r": 20, "t": 70, "b": 150},
        "xaxis": {"title": {"text": text.offset_x_px}, "constrain": "domain"},
        "yaxis": {
            "title": {"text": text.offset_y_px},
            "scaleanchor": "x",
            "autorange": "reversed",
            "constrain": "domain",
        },
        "plot_bgcolor": "#f4f4f4",
        **_play_controls(names, list(labels), duration_ms, text),
    }
    return _themed(go.Figure(data=[trace], layout=layout, frames=frames, _validate=False), theme, white=True)


def coverage_animation_1d(
    levels: Sequence[np.ndarray],
    holes: Sequence[np.ndarray],
    centres: np.ndarray,
    labels: Sequence[str],
    title: str,
    duration_ms: int = 600,
    text: FigureText = TEXT,
    theme: Theme | None = None,
) -> go.Figure:
    """Animated 1D coverage: one row per layer (the field after it); frame ``l`` shows rows ``0..l``.
    ``theme`` (default: the standard one) gives the type sizes, see :func:`white_style`."""
    if not levels:
        raise ValueError("levels must hold at least one frame")
    scale, zmin, zmax, tickvals, ticktext = _scale(_zmax(levels), text.hole)
    rows = np.stack([_encode(lv, h, zmin / 2) for lv, h in zip(levels, holes, strict=True)])
    n = rows.shape[0]
    y = list(labels)
    names = [str(i) for i in range(n)]
    frames = []
    for i in range(n):
        z = rows.copy()
        z[i + 1 :] = np.nan
        frames.append({"name": names[i], "data": [{"type": "heatmap", "z": z}], "traces": [0]})
    trace = {
        "type": "heatmap",
        "x": np.asarray(centres, dtype=np.float64),
        "y": y,
        "z": rows,
        "colorscale": scale,
        "zmin": zmin,
        "zmax": zmax,
        "colorbar": _colorbar(tickvals, ticktext, text.paths),
        "hovertemplate": text.hover_1d,
    }
    layout = {
        "title": {"text": title},
        "font": FONT,
        "height": max(400, 220 + 34 * n),
        "margin": {"l": 150, "r": 20, "t": 70, "b": 150},
        "xaxis": {"title": {"text": text.offset_1d}},
        "yaxis": {"autorange": "reversed", "type": "category"},
        "plot_bgcolor": "#f4f4f4",
        **_play_controls(names, list(labels), duration_ms, text),
    }
    return _themed(go.Figure(data=[trace], layout=layout, frames=frames, _validate=False), theme, white=True)


def coverage_map(
    level: np.ndarray,
    hole: np.ndarray,
    centres: np.ndarray,
    title: str,
    height: int = 520,
    text: FigureText = TEXT,
    theme: Theme | None = None,
) -> go.Figure:
    """Static 2D coverage map (``log10`` path counts, holes in their own colour)."""
    scale, zmin, zmax, tickvals, ticktext = _scale(_zmax([level]), text.hole)
    x = np.asarray(centres, dtype=np.float64)
    trace = go.Heatmap(
        x=x,
        y=x,
        z=_encode(level, hole, zmin / 2),
        colorscale=scale,
        zmin=zmin,
        zmax=zmax,
        colorbar=_colorbar(tickvals, ticktext, text.paths),
        hovertemplate=text.hover_2d,
    )
    fig = go.Figure(trace)
    _square_layout(fig, title, height, text)
    return _themed(fig, theme)


def _outline(
    mask: np.ndarray, centres: np.ndarray, max_segments: int = 20000
) -> tuple[np.ndarray, np.ndarray]:
    """Cell edges between ``mask`` and not-``mask`` as one polyline (NaN-separated segments)."""
    step = float(centres[1] - centres[0]) if centres.size > 1 else 1.0
    edges = centres - step / 2
    padded = np.pad(mask, 1, constant_values=False)
    segments: list[tuple[float, float, float, float]] = []
    # row i, column j of the mask is the cell y = centres[i], x = centres[j]
    for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        neighbour = padded[1 + di : 1 + di + mask.shape[0], 1 + dj : 1 + dj + mask.shape[1]]
        rows, cols = np.nonzero(mask & ~neighbour)
        if len(segments) + rows.size > max_segments:
            return np.empty(0), np.empty(0)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            x0, y0 = edges[j], edges[i]
            if di == -1:
                segments.append((x0, y0, x0 + step, y0))
            elif di == 1:
                segments.append((x0, y0 + step, x0 + step, y0 + step))
            elif dj == -1:
                segments.append((x0, y0, x0, y0 + step))
            else:
                segments.append((x0 + step, y0, x0 + step, y0 + step))
    xs = np.array([v for x0, _, x1, _ in segments for v in (x0, x1, np.nan)], dtype=np.float64)
    ys = np.array([v for _, y0, _, y1 in segments for v in (y0, y1, np.nan)], dtype=np.float64)
    return xs, ys


def _square_layout(fig: go.Figure, title: str, height: int, text: FigureText = TEXT) -> None:
    fig.update_layout(
        title=title,
        font=FONT,
        height=height,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        plot_bgcolor="#f4f4f4",
    )
    fig.update_xaxes(title=text.offset_x, constrain="domain")
    fig.update_yaxes(title=text.offset_y, scaleanchor="x", autorange="reversed", constrain="domain")


def erf_map(
    values: np.ndarray,
    mask: np.ndarray,
    centres: np.ndarray,
    title: str,
    height: int = 520,
    text: FigureText = TEXT,
    theme: Theme | None = None,
) -> go.Figure:
    """2D effective field: ``values`` scaled to a maximum of 1 (white = 0), ``mask`` (the set
    holding 95% of the gradient) outlined."""
    x = np.asarray(centres, dtype=np.float64)
    fig = go.Figure(
        go.Heatmap(
            x=x,
            y=x,
            z=np.asarray(values, dtype=np.float32),
            colorscale=ERF_SCALE,
            zmin=0.0,
            zmax=1.0,
            colorbar={"title": {"text": text.gradient}, "len": 0.9},
            hovertemplate=text.hover_erf,
        )
    )
    inside = np.asarray(mask, dtype=bool)
    if inside.any() and not inside.all():
        xs, ys = _outline(inside, x)
        if xs.size:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": MASK_COLOUR, "width": 2.5},
                    hoverinfo="skip",
                    showlegend=False,
                    name=text.mass,
                )
            )
    _square_layout(fig, title, height, text)
    return _themed(fig, theme)


def profile_1d(
    centres: np.ndarray,
    coverage: np.ndarray,
    erf: np.ndarray | None,
    hole: np.ndarray,
    mask: np.ndarray | None,
    title: str,
    text: FigureText = TEXT,
    theme: Theme | None = None,
) -> go.Figure:
    """1D coverage and effective field on one axis, both scaled to a maximum of 1; holes marked."""
    x = np.asarray(centres, dtype=np.float64)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=np.asarray(coverage, dtype=np.float64),
            mode="lines",
            line={"shape": "hvh", "color": "#6a00a8", "width": 2},
            name=text.path_count,
        )
    )
    if erf is not None:
        g = np.asarray(erf, dtype=np.float64)
        if mask is not None and np.any(mask):
            # shade the offsets of the set that holds 95% of the gradient
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=np.where(np.asarray(mask, dtype=bool), g, 0.0),
                    mode="lines",
                    line={"shape": "hvh", "width": 0},
                    fill="tozeroy",
                    fillcolor="rgba(33, 145, 140, 0.25)",
                    name=text.mass,
                    hoverinfo="skip",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=g,
                mode="lines",
                line={"color": "#21918c", "width": 2},
                name=text.erf_line,
            )
        )
    h = np.asarray(hole, dtype=bool)
    if h.any():
        fig.add_trace(
            go.Scatter(
                x=x[h],
                y=np.zeros(int(h.sum())),
                mode="markers",
                marker={"color": HOLE_COLOUR, "symbol": "x", "size": 9},
                name=text.hole,
            )
        )
    fig.update_layout(
        title=title,
        font=FONT,
        height=420,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "y": -0.2},
        yaxis_title=text.share,
        xaxis_title=text.offset_1d,
    )
    return _themed(fig, theme)


def extent_figure(
    labels: Sequence[str],
    extents: Sequence[int],
    strides: Sequence[int],
    title: str,
    text: FigureText = TEXT,
    theme: Theme | None = None,
) -> go.Figure:
    """Extent (bars) and effective stride (line, right axis) after each layer; log axes when wide."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(x=list(labels), y=list(extents), name=text.extent, marker_color="#6a00a8"),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=list(labels),
            y=list(strides),
            name=text.stride,
            mode="lines+markers",
            line={"color": "#fca636", "width": 3},
        ),
        secondary_y=True,
    )
    wide = max(extents, default=1) > 50 * max(1, min(extents, default=1))
    if wide:  # a tick per power of ten
        fig.update_yaxes(title_text=text.extent, type="log", dtick=1, secondary_y=False)
    else:
        fig.update_yaxes(title_text=text.extent, secondary_y=False)
    top = max(strides, default=1)
    fig.update_yaxes(
        title_text=text.stride,
        secondary_y=True,
        range=[0, top * 1.15],
        tick0=0,
        dtick=max(1, int(np.ceil(top / 4))),
        showgrid=False,
    )
    fig.update_layout(
        title=title,
        font=FONT,
        height=460,
        margin={"l": 60, "r": 60, "t": 60, "b": 110},
        legend={"orientation": "h", "y": -0.25, "x": 0.0},
        bargap=0.25,
    )
    return _themed(fig, theme)


def branch_maps(
    titles: Sequence[str],
    levels: Sequence[np.ndarray],
    holes: Sequence[np.ndarray],
    centres: np.ndarray,
    title: str,
    text: FigureText = TEXT,
    theme: Theme | None = None,
) -> go.Figure:
    """Small multiples of 2D coverage maps on one shared grid (parallel branches and their union)."""
    n = len(levels)
    if n == 0:
        raise ValueError("levels must hold at least one map")
    scale, zmin, zmax, tickvals, ticktext = _scale(_zmax(levels), text.hole)
    fig = make_subplots(rows=1, cols=n, subplot_titles=list(titles), horizontal_spacing=0.03)
    x = np.asarray(centres, dtype=np.float64)
    for i, (lv, h) in enumerate(zip(levels, holes, strict=True)):
        fig.add_trace(
            go.Heatmap(
                x=x,
                y=x,
                z=_encode(lv, h, zmin / 2),
                colorscale=scale,
                zmin=zmin,
                zmax=zmax,
                showscale=i == n - 1,
                colorbar=_colorbar(tickvals, ticktext, text.paths),
                hovertemplate=text.hover_2d,
            ),
            row=1,
            col=i + 1,
        )
        fig.update_yaxes(
            autorange="reversed",
            scaleanchor=f"x{i + 1 if i else ''}",
            showticklabels=i == 0,
            row=1,
            col=i + 1,
        )
    fig.update_layout(
        title=title,
        font=FONT,
        height=360,
        margin={"l": 40, "r": 20, "t": 80, "b": 40},
        plot_bgcolor="#f4f4f4",
    )
    return _themed(fig, theme)
