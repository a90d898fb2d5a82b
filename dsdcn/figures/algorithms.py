"""The Cost page's algorithm chart: latency of each exact convolution algorithm against dilation.

Data in (dilations, one list of medians in seconds per algorithm, ``None`` where it does not apply),
a theme in, a ``go.Figure`` out. Display names come from the caller; the builder knows only codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .theme import STANDARD, Theme, apply_theme

# one colour per algorithm; torch's default call is the grey reference
ALGORITHM_COLOURS: dict[str, str] = {
    "nchw": "#555555",
    "channels_last": "#0072B2",
    "space_to_batch": "#E69F00",
    "space_to_batch_cl": "#009E73",
    "unfold": "#CC79A7",
    "direct": "#D55E00",
}


@dataclass(frozen=True)
class AlgorithmFigureText:
    """Axis and legend words (English by default; the page passes translated ones)."""

    dilation_axis: str = "dilation d"
    ms_axis: str = "ms per forward pass (median, log scale)"
    winner: str = "fastest at this d"


def fastest(medians: Mapping[str, Sequence[float | None]], index: int) -> str | None:
    """The algorithm with the smallest median at position ``index`` (None when nothing was timed)."""
    timed = {name: values[index] for name, values in medians.items() if values[index] is not None}
    return min(timed, key=lambda name: timed[name]) if timed else None  # type: ignore[arg-type, return-value]


def _all(medians: Mapping[str, Sequence[float | None]]) -> list[float]:
    return [1e3 * float(v) for values in medians.values() for v in values if v is not None]


def _ticks_125(ms: Sequence[float]) -> dict[str, list]:
    # log-axis ticks at 1, 2, 5 × 10^n ms over the data, all at full size (plotly draws its own minor
    # log labels small, too small for a projector)
    if not ms:
        return {}
    lo, hi = min(ms), max(ms)
    ticks = [m * 10.0**e for e in range(-4, 7) for m in (1, 2, 5) if lo / 2 <= m * 10.0**e <= hi * 2]
    return {"tickvals": ticks, "ticktext": [f"{v:g}" for v in ticks]}


def create_algorithm_figure(
    dilations: Sequence[int],
    medians: Mapping[str, Sequence[float | None]],
    names: Mapping[str, str] | None = None,
    text: AlgorithmFigureText = AlgorithmFigureText(),
    theme: Theme = STANDARD,
) -> go.Figure:
    """One line per algorithm (seconds in, milliseconds drawn on a log axis) against dilation, torch's
    default (``nchw``) dashed, and a star on the fastest algorithm at each dilation."""
    d = [int(v) for v in dilations]
    fig = go.Figure()
    for name, values in medians.items():
        if len(values) != len(d):
            raise ValueError(f"{name}: {len(values)} medians for {len(d)} dilations")
        ms = np.array([np.nan if v is None else 1e3 * float(v) for v in values])
        if np.isnan(ms).all():
            continue
        fig.add_trace(
            go.Scatter(
                x=d,
                y=ms,
                name=(names or {}).get(name, name),
                mode="lines+markers",
                line={
                    "color": ALGORITHM_COLOURS.get(name, theme.baseline_colour),
                    "width": theme.line_width * (1.4 if name == "nchw" else 1.0),
                    "dash": "dash" if name == "nchw" else "solid",
                },
                marker={"size": theme.marker_size * 0.7},
                hovertemplate="%{y:.2f} ms",
            )
        )
    stars_x, stars_y, stars_colour, stars_name = [], [], [], []
    for i, dd in enumerate(d):
        best = fastest(medians, i)
        if best is None:
            continue
        stars_x.append(dd)
        stars_y.append(1e3 * float(medians[best][i]))  # type: ignore[arg-type]
        stars_colour.append(ALGORITHM_COLOURS.get(best, theme.baseline_colour))
        stars_name.append((names or {}).get(best, best))
    fig.add_trace(
        go.Scatter(
            x=stars_x,
            y=stars_y,
            name=text.winner,
            mode="markers",
            marker={
                "symbol": "star",
                "size": theme.marker_size * 2.2,
                "color": stars_colour,
                "line": {"color": "black", "width": 1},
            },
            customdata=stars_name,
            hovertemplate="%{customdata}",
        )
    )
    fig.update_xaxes(title_text=text.dilation_axis, type="category" if len(d) <= 20 else "linear")
    fig.update_yaxes(title_text=text.ms_axis, type="log", **_ticks_125([*stars_y, *_all(medians)]))
    fig.update_layout(
        height=theme.height + 40,
        plot_bgcolor="white",
        hovermode="x unified",
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0},
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eceff1")
    fig.update_yaxes(showgrid=True, gridcolor="#eceff1")
    return apply_theme(fig, theme)
