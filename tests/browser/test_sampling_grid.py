"""Sampling grid in a real browser: Play moves the taps; screenshots of the 2D compare, 1D, 2D and pick views."""

from __future__ import annotations

from .conftest import assert_no_exception, open_page, screenshot, wait_idle

URL_PATH = "sampling-grid"
CHARTS = ".js-plotly-plot"


def _open(page, app_url: str, height: int = 1500) -> None:
    page.set_viewport_size({"width": 1400, "height": height})
    open_page(page, app_url, URL_PATH)
    page.get_by_role("heading", name="Sampling grid").first.wait_for()
    page.locator(CHARTS).first.wait_for()


def _current_value(page, chart: int) -> str:
    return page.locator(CHARTS).nth(chart).locator(".slider-group > .slider-label").text_content()


def _click_option(page, label: str) -> None:
    page.get_by_role("radio", name=label, exact=True).click()
    wait_idle(page)


def test_play_moves_the_taps(page, app_url: str) -> None:
    _open(page, app_url)
    page.wait_for_function(f"document.querySelectorAll('{CHARTS}').length == 2")
    assert_no_exception(page)
    screenshot(page, "sampling-grid-compare")
    chart = page.locator(CHARTS).nth(1)  # the dilated one
    before = _current_value(page, 1)
    taps_before = chart.evaluate("el => JSON.stringify(el.data.find(t => t.name === 'tap numbers').x)")
    chart.locator(".updatemenu-button").first.click()  # ▶ Play
    page.wait_for_function(
        "([sel, text]) => document.querySelectorAll(sel)[1].querySelector('.slider-group > .slider-label').textContent != text",
        arg=[CHARTS, before],
        timeout=10_000,
    )
    taps_after = chart.evaluate("el => JSON.stringify(el.data.find(t => t.name === 'tap numbers').x)")
    assert _current_value(page, 1) != before
    assert taps_after != taps_before
    chart.locator(".updatemenu-button").nth(1).click()  # ❚❚ Pause
    assert_no_exception(page)


def test_1d_view(page, app_url: str) -> None:
    _open(page, app_url, height=1800)
    _click_option(page, "1D")
    _click_option(page, "same")
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Padding mode").locator("input").click()
    page.get_by_role("option", name="reflect").click()
    wait_idle(page)
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{CHARTS}')].every(el => el.data.some(t => t.name === 'padding'))"
        f" && document.querySelectorAll('{CHARTS}').length == 2"
    )
    assert page.get_by_text("reflect: copies a pixel").count() == 1
    assert_no_exception(page)
    screenshot(page, "sampling-grid-1d")


def test_2d_single_and_pick_a_cell(page, app_url: str) -> None:
    _open(page, app_url)
    page.get_by_text("Compare d = 1").click()
    wait_idle(page)
    _click_option(page, "same")
    page.wait_for_function(f"document.querySelectorAll('{CHARTS}').length == 1")
    page.wait_for_function(f"document.querySelector('{CHARTS}').data.some(t => t.name === 'padding')")
    assert_no_exception(page)
    screenshot(page, "sampling-grid-2d")
    _click_option(page, "Pick a cell")
    page.get_by_text("Taps in padding here").wait_for()
    page.wait_for_function(f"!document.querySelector('{CHARTS}').querySelector('.updatemenu-button')")
    assert_no_exception(page)
    screenshot(page, "sampling-grid-pick")


def test_no_output_shows_what_to_change(page, app_url: str) -> None:
    _open(page, app_url, height=1000)
    dilation = page.get_by_role("slider").nth(2)
    dilation.focus()
    dilation.press("End")  # d = 16: a 3-tap kernel spans 33 > 7 pixels
    page.get_by_text("Change one of").wait_for()
    wait_idle(page)
    assert page.locator(CHARTS).count() == 0
    assert_no_exception(page)
    screenshot(page, "sampling-grid-no-output")
