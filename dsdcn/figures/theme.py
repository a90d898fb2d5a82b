"""Sizes and colours shared by figure builders: the normal view, or the bigger projector view.

A builder takes ``theme: Theme = STANDARD``, draws its lines and markers with the theme's sizes and its
models in ``theme.colours``, and ends with :func:`apply_theme` for the fonts, margins and legend.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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


STANDARD = Theme()
PROJECTOR = Theme(font_size=22, title_size=26, line_width=4.5, marker_size=13, height=560)


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
