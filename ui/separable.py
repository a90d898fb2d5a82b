"""Cached computations of the Depthwise separable page (plain ints in, plain results out)."""

from __future__ import annotations

import streamlit as st
import torch

from dsdcn.separable import StepThrough, integer_module, step_through


def step_input_size(effective_kernel: int) -> int:
    """Side of the small input used for the step-through: the kernel's span plus a margin, 7 to 25."""
    return min(max(effective_kernel + 2, 7), 25)


@st.cache_data(show_spinner=False, max_entries=64)
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


def keep_in_range(key: str, default: int, low: int, high: int) -> None:
    """Put ``default`` into ``st.session_state[key]`` if missing, and clamp it into ``[low, high]``
    (a widget whose range shrank keeps a valid value). Call before creating the widget."""
    value = st.session_state.get(key, default)
    st.session_state[key] = min(max(int(value), low), high)
