"""Workshop mode of the Receptive field page in a real browser: a copied link opened in a new browser
context shows the same view (a hidden control included); screenshots in Chinese and in projector view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from .conftest import (
    ARTIFACTS,
    assert_no_exception,
    edit_grid_cell,
    new_browser_page,
    open_page,
    screenshot,
    wait_for_query,
    wait_idle,
)

URL_PATH = "receptive-field"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _wait_url(pg, key: str, value: str | None) -> None:
    """Wait until the address bar holds ``key=value`` (or no ``key`` when ``value`` is None)."""
    wait_for_query(pg, key, value)


def _shot(pg, name: str, target) -> None:
    target.scroll_into_view_if_needed()
    pg.wait_for_timeout(400)
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_copied_link_opens_the_same_view(page, browser, app_url: str) -> None:
    open_page(page, app_url, URL_PATH)
    page.get_by_role("button", name="HDC fixes it", exact=True).click()
    page.get_by_text("Every one of the 17×17 = 289 pixels").wait_for()
    wait_idle(page)
    _wait_url(page, "rf_stack", "c3,c3d2,c3d5")
    channels = page.get_by_role("spinbutton", name="Channels")
    channels.fill("5")
    channels.press("Enter")
    _wait_url(page, "rf_erf_channels", "5")
    wait_idle(page)
    # a hidden control: causal padding set in 1D, then disabled by going back to 2D
    page.get_by_role("radio", name="1D", exact=True).click()
    _wait_url(page, "rf_mode", "1D")
    wait_idle(page)
    page.get_by_text("Causal padding").click()
    _wait_url(page, "rf_causal", "true")
    wait_idle(page)
    page.get_by_role("radio", name="2D", exact=True).click()
    _wait_url(page, "rf_mode", None)
    wait_idle(page)
    assert_no_exception(page)
    link = page.url
    assert _query(link)["rf_causal"] == ["true"]

    with new_browser_page(browser) as fresh:
        fresh.goto(link)
        fresh.get_by_text("Every one of the 17×17 = 289 pixels").wait_for()
        wait_idle(fresh)
        assert_no_exception(fresh)
        expect(fresh.get_by_role("spinbutton", name="Channels")).to_have_value("5", timeout=30_000)
        causal = fresh.get_by_role("switch", name="Causal padding")
        expect(causal).to_be_checked()
        expect(causal).to_be_disabled()
        assert not fresh.get_by_text("The link had values").count()
        assert _query(fresh.url).get("rf_stack") == ["c3,c3d2,c3d5"]


def test_hostile_link_shows_defaults_and_a_notice(page, app_url: str) -> None:
    open_page(page, app_url, URL_PATH, "rf_stack=%3Cscript%3Ealert(1)%3C/script%3E&rf_erf_channels=1e999")
    page.get_by_text("The link had values this page cannot use").wait_for()
    assert_no_exception(page)
    assert page.get_by_text("120 of the 169 pixels").count() == 1  # the default stack
    assert "alert(1)" not in page.locator('[data-testid="stApp"]').inner_html()


def test_screenshots_in_chinese_and_projector_view(page, app_url: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_page(page, app_url, URL_PATH, "lang=中文")
    page.get_by_role("heading", name="感受野").first.wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _shot(page, "rf-zh-top", page.get_by_role("heading", name="感受野").first)
    _shot(page, "rf-zh-coverage", page.locator('[data-testid="stPlotlyChart"]').nth(1))
    _shot(page, "rf-zh-erf", page.locator('[data-testid="stPlotlyChart"]').nth(3))

    open_page(
        page,
        app_url,
        URL_PATH,
        "lang=中文&projector=true&rf_mode=一维&rf_stack=" + "c2z1,c2d2z2,c2d4z4,c2d8z8",
    )
    page.get_by_role("heading", name="感受野").first.wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _shot(page, "rf-zh-projector-top", page.get_by_role("heading", name="感受野").first)
    _shot(page, "rf-zh-projector-profile", page.locator('[data-testid="stPlotlyChart"]').nth(2))

    open_page(
        page,
        app_url,
        URL_PATH,
        "projector=true&rf_branches=6,12,18&rf_stack=c7s2,p3s2,c3,c3,c3,c3s2,c3,c3,c3,c3s2,c3,c3,c3",
    )
    page.get_by_text("Parallel branches (ASPP)").first.wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _shot(page, "rf-projector-extent", page.locator('[data-testid="stPlotlyChart"]').nth(0))
    _shot(page, "rf-projector-branches", page.locator('[data-testid="stPlotlyChart"]').nth(4))
    page.set_viewport_size({"width": 1400, "height": 7000})
    page.wait_for_timeout(800)
    screenshot(page, "rf-projector-page")


def test_edited_table_is_in_the_link_and_a_preset_replaces_it(page, browser, app_url: str) -> None:
    open_page(page, app_url, URL_PATH)
    page.get_by_text("120 of the 169 pixels").wait_for()
    editor = page.locator('[data-testid="stDataFrame"]').first
    editor.scroll_into_view_if_needed()
    box = editor.bounding_box()
    assert box is not None
    # row 1, column "dilation" (the 4th of kind, kernel, stride, dilation, padding)
    edit_grid_cell(page, editor, 0.71 * box["width"], 52, "1")
    _wait_url(page, "rf_stack", "c3z2,c3d2,c3d2")
    page.get_by_text("Every one of the 11×11 = 121 pixels").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    link = page.url

    with new_browser_page(browser) as fresh:
        fresh.goto(link)
        fresh.get_by_text("Every one of the 11×11 = 121 pixels").wait_for()
        wait_idle(fresh)
        assert_no_exception(fresh)

    page.get_by_role("button", name="Gridding", exact=True).click()  # the lesson preset
    page.get_by_text("120 of the 169 pixels").wait_for()
    _wait_url(page, "rf_stack", None)
    wait_idle(page)
    assert_no_exception(page)
    # the edited cell is gone for good: the next rerun keeps the preset's table
    page.get_by_role("spinbutton", name="Seed").fill("1")
    page.get_by_role("spinbutton", name="Seed").press("Enter")
    _wait_url(page, "rf_erf_seed", "1")
    wait_idle(page)
    assert page.get_by_text("120 of the 169 pixels").count() == 1
