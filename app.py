"""dsdcn explorer: navigation and shared page setup (no domain logic here)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.common import allocator_tuned, device_badge, long_lived_frozen, rest_purger
from ui.i18n import t
from ui.nav import HOME, PAGES
from ui.workshop import link_notice, sidebar_switches, snapshot_link

# a local file: a Material icon as the page icon makes the browser fetch it from a font server, which a
# workshop network without internet cannot reach
ICON = str(Path(__file__).resolve().parent / "assets" / "favicon.png")


def run() -> None:
    """Route to the chosen page."""
    st.set_page_config(page_title="dsdcn explorer", page_icon=ICON, layout="wide")
    allocator_tuned()
    long_lived_frozen()
    rest_purger()
    link = snapshot_link()
    pages = [
        st.Page(p.path, title=t(p.key + ".title"), icon=p.icon, url_path=p.url_path, default=p is HOME)
        for p in (HOME, *PAGES)
    ]
    page = st.navigation(pages)
    with st.sidebar:
        sidebar_switches()
        device_badge()
    notice = st.container()
    page.run()
    with notice:
        link_notice(link)


run()
