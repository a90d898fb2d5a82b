"""A room through the launcher: two app processes behind HAProxy, two laptops, an upload each, a failover."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from deploy.room import COOKIE, Room, start_room

from .conftest import ROOT, assert_no_exception, free_port, wait_idle

MAPS = '[data-testid="stMain"] [data-testid="stImage"] img'
# a lighter Image lab: two dilations (16 maps a run)
LINK = "/image-lab?lab_dilations=1&lab_dilations=2"
# every image of the main area has loaded (it is served by /media of the process that holds the session)
IMAGES_LOADED = f"""() => {{
  const imgs = [...document.querySelectorAll('{MAPS}')];
  return imgs.length >= 5 && imgs.every(i => i.complete && i.naturalWidth > 0);
}}"""


@pytest.fixture(scope="module")
def room() -> Iterator[Room]:
    """``deploy/room.py``'s room with K = 2 on a free loopback port."""
    if shutil.which("haproxy") is None:
        message = "the room test needs haproxy (apt-get install -y haproxy)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with start_room(2, port=free_port(), address="127.0.0.1") as r:
        yield r


def _laptop(browser, room: Room, photo: Path | None = None):
    """A new browser context on the Image lab through the proxy, with ``photo`` uploaded; (context, page)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(room.url + LINK)
    page.get_by_role("heading", name="Image lab").first.wait_for()
    wait_idle(page)
    if photo is None:
        return context, page
    page.get_by_text("Upload your own").click()
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploader.wait_for(state="attached")
    uploader.set_input_files(str(photo))
    page.get_by_text(f"{photo.name} · 96×64 px").wait_for()
    page.get_by_text("Feature maps: computed at").wait_for()
    wait_idle(page)
    return context, page


def _server(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == COOKIE)


def test_sessions_keep_their_process_and_survive_a_failover(browser, room: Room, tmp_path: Path) -> None:
    photo = tmp_path / "small.png"
    Image.open(ROOT / "assets" / "samples" / "street_scene.png").resize((96, 64)).save(photo)
    a_ctx, a = _laptop(browser, room, photo)
    b_ctx, b = _laptop(browser, room)
    try:
        # each laptop holds a websocket: the second goes to the other process, and stays there
        assert {_server(a_ctx), _server(b_ctx)} == {"app1", "app2"}
        for page in (a, b):
            page.wait_for_function(IMAGES_LOADED)
            # a rerun in the same session: the change is applied, A's upload is still there
            slider = page.get_by_role("slider", name="Gabor orientations")
            slider.focus()
            slider.press("ArrowRight")
            page.get_by_text("Gabor 144°").first.wait_for()
            wait_idle(page)
            page.wait_for_function(IMAGES_LOADED)
            assert_no_exception(page)
        a.get_by_text(f"{photo.name} · 96×64 px").wait_for()

        # the process of laptop A dies: B does not notice; A, reloaded, opens on the other process (a fresh
        # session, its settings from the link; the upload stayed with the dead process, and the page says so)
        dead = int(_server(a_ctx)[-1]) - 1
        room.apps[dead].send_signal(signal.SIGKILL)
        room.apps[dead].wait(timeout=10)
        slider = b.get_by_role("slider", name="Gabor orientations")
        slider.focus()
        slider.press("ArrowLeft")
        b.get_by_text("Gabor 135°").first.wait_for()
        wait_idle(b)
        assert b.get_by_text("Gabor 144°").count() == 0
        assert_no_exception(b)
        a.reload()
        a.get_by_role("heading", name="Image lab").first.wait_for()
        a.get_by_text("upload the file again").wait_for()
        wait_idle(a)
        assert_no_exception(a)
        assert _server(a_ctx) == _server(b_ctx)
    finally:
        a_ctx.close()
        b_ctx.close()
        room.restart_dead()
