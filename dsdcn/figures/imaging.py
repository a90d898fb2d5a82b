"""Figures of the Image lab: per-map statistics and the weights a stack gives each input offset."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ..filters import COLORMAP_ANCHORS
from .theme import STANDARD, Theme, themed

_FONT = {"size": 15}


@dataclass(frozen=True)
class ImagingText:
    """The words of the Image lab figures (English by default; a page passes its translation)."""

    dilation: str = "dilation"
    bar_name: str = "d = {d}"
    weight: str = "weight"
    offset_x: str = "input offset dx"
    offset_y: str = "input offset dy"


ENGLISH = ImagingText()


def _colorscale(name: str) -> list[list[float | str]]:
    anchors = COLORMAP_ANCHORS[name]
    n = len(anchors)
    return [[i / (n - 1), f"rgb({r},{g},{b})"] for i, (r, g, b) in enumerate(anchors)]


def create_stats_chart(
    labels: Sequence[str],
    dilations: Sequence[int],
    values: np.ndarray,
    title: str,
    y_label: str,
    text: ImagingText = ENGLISH,
    theme: Theme = STANDARD,
) -> go.Figure:
    """Grouped bars: one group per filter, one bar per dilation; ``values`` is ``(D, F)``."""
    v = np.asarray(values, dtype=np.float64)
    if v.shape != (len(dilations), len(labels)):
        raise ValueError(f"values must have shape {(len(dilations), len(labels))}, got {v.shape}")
    fig = go.Figure()
    for i, d in enumerate(dilations):
        name = text.bar_name.format(d=d)
        fig.add_trace(
            go.Bar(
                x=list(labels),
                y=v[i].tolist(),
                name=name,
                hovertemplate=f"%{{x}}<br>{name}<br>{y_label} = %{{y:.4g}}<extra></extra>",
            )
        )
    fig.update_layout(
        title={"text": title},
        barmode="group",
        yaxis_title=y_label,
        legend_title_text=text.dilation,
        font=_FONT,
        height=420,
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
    )
    return themed(fig, theme)


def create_response_heatmap(
    response: np.ndarray, title: str, text: ImagingText = ENGLISH, theme: Theme = STANDARD
) -> go.Figure:
    """Weight of each input offset ``(dy, dx)`` in one output of a stack; holes (exact zeros) left blank.

    A kernel with negative weights is drawn on a diverging scale centred on 0, otherwise on viridis.
    """
    r = np.asarray(response, dtype=np.float64)
    if r.ndim != 2 or r.shape[0] != r.shape[1] or r.shape[0] % 2 == 0:
        raise ValueError(f"response must be square with an odd size, got shape {r.shape}")
    half = r.shape[0] // 2
    offsets = list(range(-half, half + 1))
    z = np.where(r == 0.0, np.nan, r)
    signed = bool((r < 0).any())
    bound = float(np.abs(r).max()) or 1.0
    heat = go.Heatmap(
        z=z,
        x=offsets,
        y=offsets,
        colorscale=_colorscale("diverging" if signed else "viridis"),
        zmin=-bound if signed else 0.0,
        zmax=bound,
        colorbar={"title": {"text": text.weight}},
        hovertemplate=f"dx = %{{x}}, dy = %{{y}}<br>{text.weight} = %{{z:.3g}}<extra></extra>",
        hoverongaps=False,
    )
    fig = go.Figure(heat)
    fig.update_layout(
        title={"text": title},
        font=_FONT,
        height=420,
        plot_bgcolor="rgb(225,225,225)",
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        xaxis={"title": {"text": text.offset_x}, "showgrid": False, "zeroline": False},
        yaxis={
            "title": {"text": text.offset_y},
            "autorange": "reversed",
            "scaleanchor": "x",
            "showgrid": False,
            "zeroline": False,
        },
    )
    return themed(fig, theme)
