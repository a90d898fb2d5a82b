"""The load test's protocol client (deploy/session_client.py) drives a running app as a browser would.

bench_load.py --client ws sizes a room with it: if a Streamlit release changes the websocket protocol, this
test fails first and names what moved, instead of the load figures going quietly wrong.
"""

from __future__ import annotations

import asyncio
import io
import random
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from PIL import Image

from deploy.session_client import WsSession, visit_every_page


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    # in a thread of its own: the browser tests' Playwright (sync API) may hold an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_a_protocol_session_opens_pages_and_acts(app_url: str) -> None:
    async def run() -> None:
        s = WsSession(app_url, random.Random(3))
        try:
            first = await s.open("sampling-grid")
            assert first.finished and not first.exceptions
            assert "image-lab" in s.pages and "" in s.pages  # st.navigation's pages, by URL path
            assert s.sliders and any("sg_preset_" in b for b in s.presets)
            acted = 0
            for _ in range(6):  # sliders (select_sliders too), presets and other pages
                r = await s.act()
                if r is not None:
                    assert r.finished and not r.exceptions, (s.page, r.exceptions)
                    acted += 1
            assert acted >= 4
            s.states.clear()
            lab = await s.run_page("image-lab", 120)
            assert lab.finished and not lab.exceptions and s.page == "image-lab"
            kernel = next(wid for wid in s.sliders if wid.endswith("-lab_kernel"))
            assert s.sliders[kernel].options[:2] == ("3", "5")  # a select_slider sends its option's text
            s.states[kernel] = s.sliders[kernel].nudge(kernel, 1)
            changed = await s.run_page("image-lab", 120)
            assert changed.finished and not changed.exceptions
        finally:
            await s.close()

    _run(run())


def test_every_page_runs_once_to_warm_a_process(app_url: str) -> None:
    # deploy/room.py warms each new process this way before it prints the address to share
    assert _run(visit_every_page(app_url)) == []


def test_a_protocol_session_uploads_a_photo_to_the_image_lab(app_url: str) -> None:
    # the upload of a browser: an upload URL over the websocket, a PUT with the XSRF token, a rerun
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(buf, "PNG")

    async def run() -> None:
        s = WsSession(app_url, random.Random(0))
        try:
            opened = await s.open("image-lab", query="lab_source=upload")  # the link selects the uploader
            assert opened.finished and not opened.exceptions and s.uploaders
            done = await s.upload("tiny_photo.png", buf.getvalue())
            assert done.finished and not done.exceptions
            assert any("tiny_photo.png" in t and "64×48" in t for t in done.texts), done.texts
        finally:
            await s.close()

    _run(run())
