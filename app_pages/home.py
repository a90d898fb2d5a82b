"""Home: what the lab is, the device in use, a card per page and the formula cheat sheet."""

from __future__ import annotations

import streamlit as st
import torch

from dsdcn import conv_cost, effective_kernel_size
from ui.cheatsheet import CHEATSHEET
from ui.common import device_choice
from ui.nav import PAGES


def render() -> None:
    """Draw the Home page."""
    st.title("dsdcn explorer")
    st.markdown(
        "#### The interactive lab for dilated and depthwise-separable dilated convolutions (DS-DCN)\n"
        "A **dilated** convolution spaces its taps `d` pixels apart: the same weights reach further, "
        "with gaps between them. A **depthwise-separable** layer splits a convolution into one small "
        "kernel per channel and a 1×1 mix across channels: far fewer weights and multiply-adds. "
        "Each page below lets you change the settings and see the effect, with every number "
        "computed by a tested library and checked against PyTorch itself."
    )

    k, d, c_in, c_out = 3, 2, 64, 128
    std = conv_cost("standard", c_in, c_out, k, 56, 56, dilation=d)
    sep = conv_cost("separable", c_in, c_out, k, 56, 56, dilation=d)
    cols = st.columns(3)
    cols[0].metric(
        f"{k}×{k} kernel at dilation {d} spans",
        f"{effective_kernel_size(k, d)}×{effective_kernel_size(k, d)} pixels",
        help="Effective kernel size d·(k−1)+1: the reach grows, the number of weights stays k².",
    )
    cols[1].metric(
        f"Weights, standard {c_in}→{c_out}",
        f"{std.params:,}",
        help="C_in·C_out·k², bias not counted.",
    )
    cols[2].metric(
        "Weights, depthwise separable",
        f"{sep.params:,}",
        delta=f"{sep.params / std.params:.1%} of standard",
        delta_color="off",
        delta_arrow="off",
        help="C_in·k² + C_in·C_out for a depth multiplier of 1: a ratio of 1/C_out + 1/k².",
    )

    st.subheader("Pages")
    grid = st.columns(len(PAGES) if len(PAGES) <= 3 else 3)
    for i, page in enumerate(PAGES):
        with grid[i % len(grid)].container(border=True):
            st.page_link(page.path, label=f"**{page.title}**", icon=page.icon)
            st.caption(page.summary)

    st.subheader("This machine")
    choice = device_choice()
    st.markdown(
        f"Computations run on **{choice.description}** with PyTorch `{torch.__version__}`. "
        "With a CUDA GPU the Cost and Image lab pages use it; otherwise everything runs on the CPU."
    )
    if choice.reason:
        st.caption(choice.reason)

    st.subheader("Cheat sheet")
    st.caption(
        "Per spatial axis: input size n, kernel size k, dilation d, stride s, padding p (left p_l, "
        "right p_r), channels C_in and C_out, depth multiplier m."
    )
    left, right = st.columns(2)
    for i, (label, formula) in enumerate(CHEATSHEET):
        with left if i % 2 == 0 else right:
            st.markdown(f"**{label}**")
            st.latex(formula)


render()
