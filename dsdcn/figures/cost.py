"""Charts of the Cost page: cost ratios from the formula, and latencies measured on a device.

Measured values may be ``None`` (a refused or skipped measurement): they are left out of the chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .theme import STANDARD, Theme, themed

KIND_COLORS: dict[str, str] = {
    "standard": "#1f77b4",
    "depthwise": "#d62728",
    "pointwise": "#2ca02c",
    "separable": "#9467bd",
    "dense": "#8c564b",
    "dilated": "#1f77b4",
    "stack": "#ff7f0e",
}
FONT = dict(size=15)


@dataclass(frozen=True)
class CostFigureTexts:
    """Axis texts shared by the Cost charts (English by default; the page passes translated ones).

    ``log_scale_of`` is formatted with ``name``, the baseline of a relative chart.
    """

    ratio_axis: str = "ratio (log scale)"
    log_scale_of: str = "÷ {name} (log scale)"
    dilation_axis: str = "dilation d"
    ms_axis: str = "ms"
    relative_axis: str = "relative to d = 1"


def _nan(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _layout(fig: go.Figure, height: int, title: str) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, font=dict(size=17)) if title else None,
        height=height,
        font=FONT,
        margin=dict(l=10, r=10, t=60 if title else 30, b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.3, x=0),
        plot_bgcolor="white",
        hovermode="x unified",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eceff1", zeroline=False)
    fig.update_yaxes(showgrid=True, gridcolor="#eceff1", zeroline=False)
    fig.update_yaxes(dtick=1, selector=dict(type="log"))
    return fig


def create_ratio_figure(
    x: Sequence[float],
    ratio: Sequence[float],
    first_term: Sequence[float],
    second_term: Sequence[float],
    x_title: str,
    current: float | None = None,
    log_x: bool = False,
    names: tuple[str, str, str] = ("separable ÷ standard", "m/C_out", "m/k²"),
    title: str = "",
    texts: CostFigureTexts = CostFigureTexts(),
    theme: Theme = STANDARD,
) -> go.Figure:
    """Cost ratio separable/standard along ``x`` with its two terms (dashed), log y; a marker at ``current``."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=list(x),
            y=list(ratio),
            name=names[0],
            mode="lines+markers",
            line=dict(color=KIND_COLORS["separable"], width=3),
            hovertemplate="%{y:.4f}",
        )
    )
    for values, name, color in ((first_term, names[1], "#ff7f0e"), (second_term, names[2], "#2ca02c")):
        fig.add_trace(
            go.Scatter(
                x=list(x),
                y=list(values),
                name=name,
                mode="lines",
                line=dict(color=color, dash="dash", width=2),
                hovertemplate="%{y:.4f}",
            )
        )
    fig.add_hline(y=1, line=dict(color="#5f6368", dash="dot", width=1))
    if current is not None:
        fig.add_vline(x=current, line=dict(color="#5f6368", width=1))
    fig.update_xaxes(title_text=x_title, type="log" if log_x else "linear")
    fig.update_yaxes(title_text=texts.ratio_axis, type="log")
    return themed(_layout(fig, 380, title), theme)


def create_dilation_figure(
    dilations: Sequence[int],
    kinds: Sequence[str],
    medians: Sequence[Sequence[float | None]],
    q1: Sequence[Sequence[float | None]],
    q3: Sequence[Sequence[float | None]],
    mark: int | None = None,
    mark_text: str = "",
    titles: tuple[str, str] = ("latency (median, bars: 25–75 %)", "time ÷ time at d = 1"),
    flops_name: str = "FLOPs (same for every d)",
    title: str = "",
    kind_names: Mapping[str, str] | None = None,
    texts: CostFigureTexts = CostFigureTexts(),
    theme: Theme = STANDARD,
) -> go.Figure:
    """Measured latency against dilation per kind (seconds in, milliseconds drawn), and the same
    normalised to ``d = 1`` next to the FLOP count, which does not change with ``d``. ``kind_names``
    gives the legend name of each kind (the kind itself by default)."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.1)
    d = list(dilations)
    for i, kind in enumerate(kinds):
        med = _nan(medians[i]) * 1e3
        lo, hi = _nan(q1[i]) * 1e3, _nan(q3[i]) * 1e3
        color = KIND_COLORS.get(kind, None)
        name = (kind_names or {}).get(kind, kind)
        fig.add_trace(
            go.Scatter(
                x=d,
                y=med,
                name=name,
                legendgroup=kind,
                mode="lines+markers",
                line=dict(color=color, width=3),
                error_y=dict(type="data", symmetric=False, array=hi - med, arrayminus=med - lo, width=3),
                hovertemplate="%{y:.3f} ms",
            ),
            row=1,
            col=1,
        )
        base = med[0] if med.size and np.isfinite(med[0]) else np.nan
        fig.add_trace(
            go.Scatter(
                x=d,
                y=med / base,
                name=name,
                legendgroup=kind,
                showlegend=False,
                mode="lines+markers",
                line=dict(color=color, width=3),
                hovertemplate="%{y:.2f}×",
            ),
            row=1,
            col=2,
        )
    fig.add_trace(
        go.Scatter(
            x=d,
            y=[1.0] * len(d),
            name=flops_name,
            mode="lines",
            line=dict(color="#5f6368", dash="dash", width=2),
            hoverinfo="skip",
        ),
        row=1,
        col=2,
    )
    if mark is not None:
        for col in (1, 2):
            fig.add_vline(x=mark - 0.5, line=dict(color="#5f6368", dash="dot", width=1.5), row=1, col=col)
        if mark_text:
            fig.add_annotation(
                x=mark - 0.5,
                y=1,
                xref="x2",
                yref="y2 domain",
                text=mark_text,
                showarrow=False,
                xanchor="left",
                yanchor="top",
                font=dict(size=12, color="#5f6368"),
            )
    fig.update_xaxes(
        title_text=texts.dilation_axis,
        dtick=1 if len(d) <= 16 else None,
        range=[0.5, max(d, default=1) + 0.5],
    )
    fig.update_yaxes(title_text=texts.ms_axis, rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=texts.relative_axis, row=1, col=2)
    return themed(_layout(fig, 420, title), theme)


def create_time_vs_flops_figure(
    kinds: Sequence[str],
    flops: Sequence[float],
    medians: Sequence[float | None],
    baseline: int = 0,
    names: tuple[str, str] = ("share of FLOPs", "share of time"),
    title: str = "",
    labels: Sequence[str] | None = None,
    texts: CostFigureTexts = CostFigureTexts(),
    theme: Theme = STANDARD,
) -> go.Figure:
    """Each kind's FLOPs and measured time as a fraction of the ``baseline`` kind's (bars, log y):
    where the two bars differ, FLOPs do not predict time. ``labels`` names the bars (the kinds by default)."""
    x = list(labels) if labels is not None else list(kinds)
    f = np.asarray(flops, dtype=float)
    t = _nan(medians)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=x,
            y=f / f[baseline],
            name=names[0],
            marker_color="#90a4ae",
            texttemplate="%{y:.2~g}",
            textposition="outside",
            textfont=dict(size=12),
            hovertemplate="%{y:.4f}",
        )
    )
    fig.add_trace(
        go.Bar(
            x=x,
            y=t / t[baseline],
            name=names[1],
            marker_color=[KIND_COLORS.get(k, "#1f77b4") for k in kinds],
            texttemplate="%{y:.2~g}",
            textposition="outside",
            textfont=dict(size=12),
            hovertemplate="%{y:.4f}",
        )
    )
    fig.update_yaxes(title_text=texts.log_scale_of.format(name=x[baseline]), type="log")
    fig.update_layout(barmode="group", bargap=0.25)
    return themed(_layout(fig, 380, title), theme)


def create_same_rf_figure(
    names: Sequence[str],
    params: Sequence[float],
    macs: Sequence[float],
    medians: Sequence[float | None],
    series: tuple[str, str, str] = ("weights", "MACs", "time"),
    title: str = "",
    texts: CostFigureTexts = CostFigureTexts(),
    theme: Theme = STANDARD,
) -> go.Figure:
    """Weights, MACs and measured time of each way to reach the same extent, relative to the first (log y)."""
    fig = go.Figure()
    colors = ("#90a4ae", "#607d8b", "#e65100")
    for values, label, color in zip((params, macs, medians), series, colors, strict=True):
        v = _nan(values)
        fig.add_trace(
            go.Bar(
                x=list(names),
                y=v / v[0],
                name=label,
                marker_color=color,
                texttemplate="%{y:.2~g}",
                textposition="outside",
                textfont=dict(size=12),
                hovertemplate="%{y:.4f}",
            )
        )
    fig.update_yaxes(title_text=texts.log_scale_of.format(name=names[0]), type="log")
    fig.update_layout(barmode="group", bargap=0.25)
    return themed(_layout(fig, 380, title), theme)
