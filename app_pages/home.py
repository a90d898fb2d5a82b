"""Home: what the lab is, the device in use, a card per page and the formula cheat sheet."""

from __future__ import annotations

import streamlit as st
import torch

from dsdcn import conv_cost, effective_kernel_size
from ui.cheatsheet import CHEATSHEET
from ui.common import device_choice
from ui.i18n import latex, t
from ui.nav import PAGES


def render() -> None:
    """Draw the Home page."""
    st.title(t("home.title"))
    st.markdown(f"#### {t('home.tagline')}\n{t('home.intro')}")

    k, d, c_in, c_out = 3, 2, 64, 128
    std = conv_cost("standard", c_in, c_out, k, 56, 56, dilation=d)
    sep = conv_cost("separable", c_in, c_out, k, 56, 56, dilation=d)
    span = effective_kernel_size(k, d)
    cols = st.columns(3)
    # short labels (the settings go under the value): a label is one line, cut when longer than its
    # third of the page (the Chinese projector view cut the first one)
    cols[0].metric(
        t("home.span_label"),
        t("home.span_value", e=span),
        delta=t("home.span_delta", k=k, d=d),
        delta_color="off",
        delta_arrow="off",
        help=t("home.span_help"),
    )
    cols[1].metric(t("home.std_label", c_in=c_in, c_out=c_out), f"{std.params:,}", help=t("home.std_help"))
    cols[2].metric(
        t("home.sep_label"),
        f"{sep.params:,}",
        delta=t("home.sep_delta", ratio=sep.params / std.params),
        delta_color="off",
        delta_arrow="off",
        help=t("home.sep_help"),
    )

    st.subheader(t("home.pages"))
    grid = st.columns(min(len(PAGES), 3))
    for i, page in enumerate(PAGES):
        with grid[i % len(grid)].container(border=True):
            st.page_link(page.path, label=f"**{t(page.key + '.title')}**", icon=page.icon)
            st.caption(t(page.key + ".summary"))

    st.subheader(t("home.machine"))
    choice = device_choice()
    st.markdown(t("home.machine_text", device=choice.description, torch=torch.__version__))
    if choice.reason:
        st.caption(choice.reason)

    st.subheader(t("home.cheatsheet"))
    st.caption(t("home.notation"))
    left, right = st.columns(2)
    for i, (label, formula) in enumerate(CHEATSHEET):
        with left if i % 2 == 0 else right:
            st.markdown(f"**{t(label)}**")
            latex(formula)


render()
