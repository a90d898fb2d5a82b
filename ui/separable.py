"""Cached computations of the Depthwise separable page (plain ints in, plain results out)."""

from __future__ import annotations

from dataclasses import fields

import streamlit as st
import torch

from dsdcn.figures.separable import SeparableTexts
from dsdcn.separable import StepThrough, integer_module, step_through
from ui.i18n import t
from ui.workshop import projector


def step_input_size(effective_kernel: int) -> int:
    """Side of the small input used for the step-through: the kernel's span plus a margin, 7 to 25."""
    return min(max(effective_kernel + 2, 7), 25)


# 64 step-throughs of inputs at most 25×25 per channel: well under 1 MB each
@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def cached_step_through(
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    dilation: int,
    depth_multiplier: int,
    size: int,
    seed: int,
    out_channel: int,
    row: int,
    col: int,
) -> StepThrough:
    """Step-through of a separable layer with integer weights in [-2, 2] on an integer input in [-3, 3]
    of shape ``(1, C_in, size, size)``, both drawn from a generator seeded with ``seed``."""
    gen = torch.Generator().manual_seed(seed)
    module = integer_module(in_channels, out_channels, kernel_size, dilation, depth_multiplier, generator=gen)
    x = torch.randint(-3, 4, (1, in_channels, size, size), generator=gen).float()
    return step_through(module, x, out_channel, row, col)


def clamp_in_range(key: str, low: int, high: int) -> None:
    """Clamp ``st.session_state[key]`` into ``[low, high]`` if it holds a value outside it (a widget whose
    range shrank keeps the nearest valid value, and its link follows). Call before creating the widget;
    a missing key is left alone, so the widget's default and a link's value decide."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    try:
        clamped = min(max(int(value), low), high)
    except (TypeError, ValueError, OverflowError):
        clamped = low
    if clamped != value:
        st.session_state[key] = clamped


def page_css() -> str:
    """CSS of this page: the labels of its preset buttons wrap instead of being cut (long Chinese labels,
    the projector's bigger font); in the projector view its metric values keep their large size (the
    app-wide projector style enlarges every markdown paragraph to 1.15rem, the paragraph inside a metric
    value included, which makes metric values smaller than in the normal view)."""
    css = (
        '[class*="st-key-ds_preset_"] button p, .st-key-ds_reset button p'
        " { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }"
        '[class*="st-key-ds_preset_"] button, .st-key-ds_reset button { height: 100%; }'
    )
    if projector():
        css += '[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: inherit !important; }'
    return f"<style>{css}</style>"


def figure_texts() -> SeparableTexts:
    """The texts of the page's figures in the current language."""
    return SeparableTexts(**{f.name: t(f"depthwise_separable.fig.{f.name}") for f in fields(SeparableTexts)})
