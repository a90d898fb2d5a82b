"""Cached process-wide resources and small widgets shared by the pages."""

from __future__ import annotations

import streamlit as st
import torch

from dsdcn.device import DeviceChoice, choose_device
from ui.i18n import t


@st.cache_resource(show_spinner=False)
def device_choice() -> DeviceChoice:
    """The device probe, done once per process."""
    return choose_device("auto")


def device_badge() -> None:
    """One caption line: the device in use and torch's version."""
    choice = device_choice()
    st.caption(t("common.device", device=choice.description, torch=torch.__version__))
    if choice.reason:
        st.caption(choice.reason)


def coming_soon(title: str, points: list[str]) -> None:
    """A placeholder page that says what is coming."""
    st.title(title)
    st.info("This page is being built. Here is what it will show:", icon=":material/construction:")
    st.markdown("\n".join(f"- {p}" for p in points))
