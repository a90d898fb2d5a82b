"""The Depthwise separable and Cost pages in a real browser: figures drawn, controls rerun, measurements charted."""

from __future__ import annotations

from .conftest import ARTIFACTS, assert_no_exception, open_page, screenshot, wait_idle

CHART = '[data-testid="stPlotlyChart"]'


def _go(pg, app_url: str, title: str) -> None:
    # enter through Home, then the sidebar, as a visitor does
    open_page(pg, app_url)
    pg.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
    pg.get_by_role("heading", name=title).first.wait_for()
    wait_idle(pg)


def _section_shot(pg, locator, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.mouse.move(5, 5)  # no tooltip over the shot
    locator.first.evaluate("e => e.scrollIntoView({block: 'start'})")
    pg.wait_for_timeout(300)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_depthwise_separable_page(page, app_url: str) -> None:
    pg = page
    pg.set_viewport_size({"width": 1400, "height": 2600})
    _go(pg, app_url, "Depthwise separable")
    pg.wait_for_function(f"document.querySelectorAll('{CHART} .js-plotly-plot').length >= 3")
    # the two stage figures draw their tiles and kernels (filled polygons)
    assert pg.locator(f"{CHART} .js-plotly-plot").first.locator(".scatterlayer .trace").count() > 5
    pg.get_by_text("All ways agree").first.wait_for()
    assert_no_exception(pg)
    screenshot(pg, "ds-default")

    # dilation slider: focus its thumb and press the arrow key; the page reruns with d = 3
    thumb = pg.locator('input[type="range"][aria-label="Dilation d"]')
    thumb.focus()
    thumb.press("ArrowRight")
    pg.get_by_text("Dilation d = 3 changes none of these numbers").wait_for()
    wait_idle(pg)
    # output channel: a number input, fill then Enter
    box = pg.get_by_role("spinbutton", name="Output channel o")
    box.fill("5")
    box.press("Enter")
    pg.get_by_text("All ways agree: y[5,").wait_for()
    assert_no_exception(pg)
    pg.set_viewport_size({"width": 1400, "height": 3400})
    pg.wait_for_timeout(500)
    screenshot(pg, "ds-step-through")


def test_cost_page_measures_and_charts(page, app_url: str) -> None:
    pg = page
    pg.set_viewport_size({"width": 1400, "height": 1400})
    _go(pg, app_url, "Cost")
    pg.get_by_text("Formula and count agree for every layer").wait_for()
    # ratio against k and C_out, same receptive field
    pg.wait_for_function(f"document.querySelectorAll('{CHART}').length === 3")

    pg.get_by_role("button", name="Measure on CPU").click()
    pg.get_by_text("FLOPs and time, each as a share of the standard layer's").wait_for(timeout=60_000)
    pg.wait_for_function(f"document.querySelectorAll('{CHART}').length === 4")
    assert pg.get_by_text("not measured").count() == 0
    assert_no_exception(pg)
    _section_shot(pg, pg.get_by_text("Measured on this machine"), "cost-measured")

    pg.get_by_role("button", name="Run the dilation sweep").click()
    pg.get_by_text("What the sweep shows").wait_for(timeout=60_000)
    pg.wait_for_function(f"document.querySelectorAll('{CHART} .js-plotly-plot').length === 5")
    sweep = pg.locator(f"{CHART} .js-plotly-plot").last
    assert sweep.locator(".scatterlayer .trace").count() >= 5  # 2 kinds × 2 panels + the FLOPs line
    assert_no_exception(pg)
    _section_shot(pg, pg.get_by_text("Latency against dilation"), "cost-dilation-sweep")
    _section_shot(pg, pg.get_by_role("heading", name="Sweeps"), "cost-sweeps")
    pg.set_viewport_size({"width": 1400, "height": 5200})
    pg.wait_for_timeout(500)
    screenshot(pg, "cost-full")

    # a changed input asks for a fresh measurement
    box = pg.get_by_role("spinbutton", name="C_out", exact=True)
    box.fill("48")
    box.press("Enter")
    pg.get_by_text("Changing any input above asks for a fresh measurement").wait_for()
    wait_idle(pg)
    assert_no_exception(pg)
