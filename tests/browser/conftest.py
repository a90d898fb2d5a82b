"""Browser fixtures: `streamlit run app.py` on a free loopback port, driven by headless Chromium.

Pages add their own `test_<page>.py` here and use `app_url`, `page` and the helpers below.
Screenshots go to `test-artifacts/` at the repository root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy.headless import CHROMIUM, CHROMIUM_ARGS, IDLE
from deploy.room import app_command, free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser` (so `-m "not browser"` skips them)."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)


def _require_browser() -> None:
    missing = []
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    if missing:
        message = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def serve_app() -> Iterator[str]:
    """Start `streamlit run app.py` on a free loopback port; yield its base URL; stop it afterwards."""
    _require_browser()
    port = free_port()
    proc = subprocess.Popen(
        app_command(port, "127.0.0.1"), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(proc, url, time.monotonic() + 60, "streamlit run app.py", "its output (not kept)")
        except RuntimeError as e:
            pytest.fail(str(e))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Base URL of a running `streamlit run app.py` shared by the session."""
    with serve_app() as url:
        yield url


@pytest.fixture()
def fresh_app_url() -> Iterator[str]:
    """Base URL of a server started for this test alone (no page has been served yet)."""
    with serve_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser(app_url: str):
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@contextmanager
def new_browser_page(browser) -> Iterator:
    """A page, 1400×1000, in a browser context of its own (nothing shared with other pages: another
    laptop opening a link); the context is closed afterwards."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        yield pg
    finally:
        context.close()


@pytest.fixture()
def page(browser):
    """A fresh browser page, 1400×1000."""
    with new_browser_page(browser) as pg:
        yield pg


def wait_idle(pg, timeout_ms: int = 60_000) -> None:
    """Wait until the script has finished its current run (give a rerun time to start first)."""
    pg.wait_for_timeout(300)
    pg.wait_for_selector(IDLE, timeout=timeout_ms)


def wait_for_query(pg, key: str, value: str | None, timeout_ms: int = 30_000) -> None:
    """Wait until the address bar holds ``key`` with ``value`` in it (``value`` None: no ``key`` at all)."""
    pg.wait_for_function(
        """([key, value]) => {
            const got = new URLSearchParams(location.search).get(key);
            return value === null ? got === null : got !== null && got.includes(value);
        }""",
        arg=[key, value],
        timeout=timeout_ms,
    )


def edit_grid_cell(pg, grid, x: float, y: float, text: str, tries: int = 3) -> None:
    """Type ``text`` into the `st.data_editor` cell at (x, y) pixels from the grid's top-left corner.

    Waits for the script to be idle (a rerun redraws the grid and drops an open editor), double-clicks
    the cell, waits until the grid's cell editor is really open (retrying the double-click if it is
    not), then fills it and presses Enter.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    cell_editor = pg.locator(".gdg-input").first
    for _ in range(tries):
        wait_idle(pg)
        box = grid.bounding_box()
        assert box is not None
        pg.mouse.dblclick(box["x"] + x, box["y"] + y)
        try:
            cell_editor.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeout:
            pg.keyboard.press("Escape")
    else:
        raise AssertionError(f"the cell editor did not open after {tries} double-clicks")
    cell_editor.fill(text)
    cell_editor.press("Enter")


def record_dialogs(pg) -> None:
    """From the next navigation on, remember the text of every dialog that appears, even briefly."""
    pg.add_init_script(
        "window.__dialogs = [];"
        "new MutationObserver(() => { for (const d of document.querySelectorAll('[role=dialog]'))"
        " window.__dialogs.push(d.innerText.slice(0, 120)); })"
        ".observe(document, {subtree: true, childList: true});"
    )


def dialogs_seen(pg) -> list[str]:
    """Texts of the dialogs seen since `record_dialogs` (duplicates removed)."""
    return sorted(set(pg.evaluate("window.__dialogs || []")))


def open_page(pg, app_url: str, url_path: str = "", query: str = "") -> None:
    """Open a page of the app by its URL path and wait for it to settle."""
    pg.goto(f"{app_url}/{url_path}{('?' + query) if query else ''}")
    pg.wait_for_selector('[data-testid="stApp"]')
    wait_idle(pg)


def assert_no_exception(pg) -> None:
    """No Streamlit exception box and no error-level alert showing a traceback."""
    boxes = pg.locator('[data-testid="stException"]')
    assert boxes.count() == 0, boxes.first.inner_text()


def screenshot(pg, name: str) -> Path:
    """Full-page PNG in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
