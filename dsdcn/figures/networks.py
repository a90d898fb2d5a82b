"""Figures of the Network page: the receptive field over depth, and where parameters and MACs live."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .theme import STANDARD, Theme, apply_theme


@dataclass(frozen=True)
class NetworkText:
    """Every word the figures draw (English defaults; the page passes translated ones)."""

    depth: str = "layer (in order)"
    field: str = "receptive field (pixels)"
    input_size: str = "input size"
    passes: str = "the field passes the input here"
    params: str = "parameters"
    macs: str = "MACs"
    hover_field: str = "%{customdata}<br>field %{y:,}<extra></extra>"
    hover_cost: str = "%{customdata}<br>%{y:,}<extra></extra>"


def field_over_depth(
    names: Sequence[str],
    fields: Sequence[int],
    input_size: int,
    text: NetworkText = NetworkText(),
    theme: Theme = STANDARD,
) -> go.Figure:
    """The receptive field after each layer against the input size (a dashed line), log scale; the first
    layer whose field is wider than the input is marked."""
    x = list(range(1, len(fields) + 1))
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x, y=list(fields), mode="lines+markers", name=text.field, customdata=list(names),
            hovertemplate=text.hover_field, line={"width": theme.line_width, "color": theme.colour(0)},
            marker={"size": max(theme.marker_size - 3, 4)},
        )
    )  # fmt: skip
    fig.add_hline(
        y=input_size,
        line_dash="dash",
        line_color=theme.baseline_colour,
        line_width=theme.line_width / 2,
        annotation_text=f"{text.input_size} {input_size:,}",
        annotation_position="top left",
    )
    fig.layout.annotations[-1].y = math.log10(input_size)  # annotations on a log axis take log10 (shapes do not)
    past = next((i for i, f in enumerate(fields) if f > input_size), None)
    if past is not None:
        fig.add_trace(
            go.Scatter(
                x=[x[past]], y=[fields[past]], mode="markers", name=text.passes, customdata=[names[past]],
                hovertemplate=text.hover_field,
                marker={"size": theme.marker_size + 6, "color": theme.colour(1), "symbol": "star"},
            )
        )  # fmt: skip
    fig.update_layout(height=theme.height, legend={"orientation": "h", "y": -0.25}, hovermode="closest")
    fig.update_xaxes(title_text=text.depth)
    fig.update_yaxes(title_text=text.field, type="log", dtick=1)  # decades only: no bare "2", "5" labels
    return apply_theme(fig, theme)


def cost_per_layer(
    names: Sequence[str],
    params: Sequence[int],
    macs: Sequence[int],
    text: NetworkText = NetworkText(),
    theme: Theme = STANDARD,
) -> go.Figure:
    """Parameters (top) and MACs (bottom) of every layer, as bars over the same layer axis."""
    x = list(range(1, len(names) + 1))
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, subplot_titles=(text.params, text.macs)
    )
    for row, values, colour in ((1, params, theme.colour(0)), (2, macs, theme.colour(2))):
        fig.add_trace(
            go.Bar(x=x, y=list(values), customdata=list(names), hovertemplate=text.hover_cost, marker_color=colour, showlegend=False),
            row=row, col=1,
        )  # fmt: skip
    fig.update_layout(height=round(theme.height * 1.3), bargap=0.1)
    fig.update_xaxes(title_text=text.depth, row=2, col=1)
    return apply_theme(fig, theme)
