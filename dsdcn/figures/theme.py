"""Sizes and colours shared by figure builders: the normal view, or the bigger projector view.

A builder takes ``theme: Theme = STANDARD``, draws its lines and markers with the theme's sizes and its
models in ``theme.colours``, and ends with :func:`apply_theme` for the fonts, margins and legend.
A builder whose standard look has its own sizes (set before the theme existed) keeps them in the
standard theme and ends with :func:`themed`, which grows them by the theme's factors in any other theme.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import plotly.graph_objects as go

from .receptive import HOLE_COLOUR

# Okabe–Ito, colour-blind safe; vermillion is left out because the hole colour is red
OKABE_ITO: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")


@dataclass(frozen=True)
class Theme:
    """Sizes and colours shared by figure builders: the normal view, or the projector view (bigger)."""

    font_size: int = 14
    title_size: int = 16
    line_width: float = 2.5
    marker_size: int = 8
    height: int = 380  # height of one standard figure (px)
    colours: tuple[str, ...] = OKABE_ITO  # one per model
    baseline_colour: str = "#555555"
    hole_colour: str = HOLE_COLOUR

    def colour(self, index: int) -> str:
        """The colour of model ``index`` (the palette repeats past its end)."""
        return self.colours[index % len(self.colours)]

    def scaled(self, factor: float) -> Theme:
        """This theme with every size multiplied by ``factor`` (colours kept)."""
        if not factor > 0:
            raise ValueError(f"factor must be positive, got {factor}")
        return replace(
            self,
            font_size=round(self.font_size * factor),
            title_size=round(self.title_size * factor),
            line_width=self.line_width * factor,
            marker_size=round(self.marker_size * factor),
            height=round(self.height * factor),
        )

    @property
    def growth(self) -> float:
        """How much taller this theme's figures are than the standard theme's (1 in the standard one)."""
        return self.height / STANDARD.height

    def tall(self, standard_px: float) -> int:
        """A figure height (px) of the standard theme, in this theme."""
        return int(standard_px) if self == STANDARD else int(standard_px * self.growth)

    def text(self, standard_size: float) -> float:
        """A text size of the standard theme, in this theme (grown like the theme's font size)."""
        return (
            standard_size if self == STANDARD else round(standard_size * self.font_size / STANDARD.font_size)
        )


STANDARD = Theme()
PROJECTOR = Theme(font_size=22, title_size=26, line_width=4.5, marker_size=13, height=560)


# a line at least this wide in the standard theme is a drawn line: at least the theme's width elsewhere
# (thinner ones, outlines and grid lines, grow in proportion and stay thinner than the drawn lines)
_DRAWN_LINE = 2.0
_PLOTLY_MARKER = 6  # plotly's marker size where a trace sets none


def themed(fig: go.Figure, theme: Theme = STANDARD, *, grow_height: bool = True) -> go.Figure:
    """A figure drawn with the standard theme's sizes, in ``theme``; returns ``fig`` (unchanged in the
    standard theme). Layout, legend, hover, axis, colorbar and annotation texts, slider and button
    labels and bar labels take the theme's font sizes; lines grow with ``theme.line_width`` (a drawn
    line, 2 px or more, is at least that wide) and markers with ``theme.marker_size``; the height grows with
    ``theme.height`` unless ``grow_height`` is false (a builder that sized the figure for the theme)."""
    if theme == STANDARD:
        return fig
    small = max(theme.font_size - 2, 10)
    fig.update_layout(
        font_size=theme.font_size,
        title_font_size=theme.title_size,
        legend_font_size=theme.font_size,
        legend_title_font_size=theme.font_size,
        hoverlabel_font_size=theme.font_size,
    )
    if grow_height and fig.layout.height:
        fig.layout.height = theme.tall(fig.layout.height)
    fig.update_xaxes(tickfont_size=small, title_font_size=theme.font_size)
    fig.update_yaxes(tickfont_size=small, title_font_size=theme.font_size)
    fig.update_annotations(font_size=theme.font_size)
    for menu in fig.layout.updatemenus:
        menu.font.size = small
    for slider in fig.layout.sliders:
        slider.font.size = small
        slider.currentvalue.font.size = theme.font_size
    for trace in fig.data:
        _theme_trace(trace, theme, small)
    return fig


def _theme_trace(trace: go.BaseTraceType, theme: Theme, small: int) -> None:
    # one trace's sizes in ``theme`` (see ``themed``)
    if trace.type == "bar":
        trace.textfont.size = theme.text(trace.textfont.size or STANDARD.font_size)
    if trace.type == "heatmap":
        trace.colorbar.tickfont.size = small
        trace.colorbar.title.font.size = theme.font_size
    if trace.type == "scatter":
        _theme_scatter(trace, theme)


def _theme_scatter(trace: go.Scatter, theme: Theme) -> None:
    # a scatter trace's line width and marker size in ``theme`` (see ``themed``)
    width = _DRAWN_LINE if trace.line.width is None else trace.line.width
    if width < _DRAWN_LINE:  # an outline or a grid line: in proportion
        trace.line.width = width * theme.line_width / STANDARD.line_width
    else:  # a drawn line: as much wider as the theme's lines, and at least as wide
        trace.line.width = max(width + theme.line_width - STANDARD.line_width, theme.line_width)
    mode = trace.mode or "markers"  # plotly's own choice draws markers on short traces
    if "markers" in mode or trace.marker.size is not None:
        size = _PLOTLY_MARKER if trace.marker.size is None else trace.marker.size
        grown = np.asarray(size, dtype=float) * theme.marker_size / STANDARD.marker_size
        grown = np.maximum(grown, theme.marker_size)
        trace.marker.size = float(grown) if grown.ndim == 0 else grown


def apply_theme(fig: go.Figure, theme: Theme = STANDARD) -> go.Figure:
    """Fonts (layout, title, legend, axes, annotations, hover labels) and tight margins from ``theme``;
    returns ``fig``. Tick labels are at most 2 px smaller than the text."""
    tick = max(theme.font_size - 2, 10)
    fig.update_layout(
        font={"size": theme.font_size},
        title_font_size=theme.title_size,
        legend_font_size=theme.font_size,
        hoverlabel_font_size=theme.font_size,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    fig.update_xaxes(title_font_size=theme.font_size, tickfont_size=tick, automargin=True)
    fig.update_yaxes(title_font_size=theme.font_size, tickfont_size=tick, automargin=True)
    fig.update_annotations(font_size=theme.font_size)
    return fig
