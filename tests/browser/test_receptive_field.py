"""Receptive field page in a real browser: apply presets, see the maps, play the animation, apply a suggestion."""

from __future__ import annotations

from .conftest import ARTIFACTS, assert_no_exception, open_page, screenshot, wait_idle

URL_PATH = "receptive-field"


def _open(pg, app_url: str) -> None:
    open_page(pg, app_url, URL_PATH)
    pg.get_by_role("heading", name="Receptive field").first.wait_for()


def _section_shot(pg, heading: str, name: str, chart: int | None = None) -> None:
    """Screenshot of the viewport with a section's heading (or its ``chart``-th plotly chart) in view."""
    target = pg.get_by_role("heading", name=heading).first
    if chart is not None:
        target = pg.locator('[data-testid="stPlotlyChart"]').nth(chart)
    target.scroll_into_view_if_needed()
    pg.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _charts_drawn(pg, at_least: int) -> None:
    pg.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= n",
        arg=at_least,
    )


def test_preset_shows_the_maps(page, app_url: str) -> None:
    _open(page, app_url)
    page.get_by_role("button", name="Context module", exact=True).last.click()  # the classic stack
    page.get_by_text("Every one of the 67×67 = 4,489 pixels").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    # extent chart, animated coverage, coverage map and effective field: four plotly charts with heatmaps
    _charts_drawn(page, 4)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert charts.count() >= 4
    assert page.locator('[data-testid="stPlotlyChart"] .heatmaplayer image').count() >= 3
    assert page.get_by_text("67×67").first.is_visible()
    _section_shot(page, "", "rf-context-coverage", chart=1)
    _section_shot(page, "", "rf-context-erf", chart=3)

    page.get_by_role("button", name="Gridding 2, 2, 2", exact=True).click()
    page.get_by_text("120 of the 169 pixels").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _charts_drawn(page, 4)
    assert page.get_by_text("The rule and the coverage disagree.").is_visible()
    _section_shot(page, "", "rf-gridding-coverage", chart=1)
    _section_shot(page, "", "rf-gridding-erf", chart=3)
    _section_shot(page, "5 · The HDC rule against the exact coverage", "rf-gridding-hdc")
    # play the animation: the slider goes back to layer 1 and forward again
    chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)
    chart.scroll_into_view_if_needed()
    chart.get_by_text("▶ Play").click()
    page.wait_for_timeout(400)
    assert_no_exception(page)
    page.set_viewport_size({"width": 1400, "height": 5200})
    page.wait_for_timeout(800)
    screenshot(page, "rf-gridding-page")


def test_aspp_branches_and_wavenet(page, app_url: str) -> None:
    _open(page, app_url)
    page.get_by_role("button", name="ASPP 6, 12, 18", exact=True).click()
    page.get_by_role("heading", name="6 · Parallel branches (ASPP)").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _charts_drawn(page, 5)
    _section_shot(page, "", "rf-aspp-branches", chart=4)

    page.get_by_role("button", name="WaveNet 1D", exact=True).last.click()  # the classic stack
    page.get_by_text("Every one of the 1,024 offsets").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _section_shot(page, "", "rf-wavenet-coverage", chart=1)
    _section_shot(page, "", "rf-wavenet-erf", chart=2)


def test_apply_a_suggestion(page, app_url: str) -> None:
    _open(page, app_url)
    field = page.get_by_role("spinbutton", name="Largest dilation")
    field.fill("16")
    field.press("Enter")
    page.get_by_text("Dilations 1, 3, 9").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Apply this schedule").click()
    page.get_by_text("Every one of the 27×27 = 729 pixels").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _section_shot(page, "2 · How far the field reaches", "rf-suggested-growth")
